#include <stdlib.h>
#include <string.h>

#include "jsonout.h"

int
jsonout_value(json_t *o, const char *key, json_t *v)
{
	return v != NULL && json_object_set_new(o, key, v) == 0 ? 0 : -1;
}

int
jsonout_string(json_t *o, const char *key, const char *s)
{
	return jsonout_value(o, key, s ? json_string(s) : json_null());
}

int
jsonout_integer(json_t *o, const char *key, long long v)
{
	return jsonout_value(o, key, json_integer((json_int_t)v));
}

int
jsonout_bool(json_t *o, const char *key, int v)
{
	return jsonout_value(o, key, json_boolean(v));
}

int
jsonout_dump(const json_t *o, size_t flags, struct buf *out)
{
	char *text = json_dumps(o, flags);

	if (text == NULL)
		return -1;
	buf_adds(out, text);
	buf_addc(out, '\n');
	wipe(text, strlen(text));
	free(text);
	return 0;
}
