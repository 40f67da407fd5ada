#include <stdio.h>

#include <jansson.h>

#include "../common/timeutil.h"
#include "formats.h"

/* All values are strings: Terraform's external data source wants exactly
 * that, and every other reader copes. */
void
format_json(const struct conn *c, struct buf *out)
{
	json_t *o = json_object();
	char port[8], when[21], *text;

	snprintf(port, sizeof(port), "%u", c->port);
	time_format_iso8601(c->expires_at, when);
	json_object_set_new(o, "token", json_string(c->token));
	json_object_set_new(o, "host", json_string(c->host));
	json_object_set_new(o, "port", json_string(port));
	json_object_set_new(o, "user", json_string(c->user));
	json_object_set_new(o, "database", json_string(c->database ?
	    c->database : ""));
	json_object_set_new(o, "engine", json_string(c->service->name));
	json_object_set_new(o, "region", json_string(c->region));
	json_object_set_new(o, "expires_at", json_string(when));
	json_object_set_new(o, "sslmode", json_string(c->sslmode));
	json_object_set_new(o, "sslrootcert", json_string(c->sslrootcert ?
	    c->sslrootcert : ""));
	text = json_dumps(o, JSON_PRESERVE_ORDER | JSON_INDENT(2));
	json_decref(o);
	buf_adds(out, text);
	buf_addc(out, '\n');
	wipe_str(text);
}
