/* Writing JSON with jansson, every step checked: a value jansson refuses
 * (text that is not UTF-8) fails the whole document rather than leaving a
 * key out of it. Each returns 0, or -1 for the caller to say why (it knows
 * whose text it was). */
#ifndef IAMDB_JSONOUT_H
#define IAMDB_JSONOUT_H

#include <jansson.h>

#include "buf.h"

/* Sets key in o; a NULL s is JSON's null. */
int	jsonout_string(json_t *o, const char *key, const char *s);
int	jsonout_integer(json_t *o, const char *key, long long v);
int	jsonout_bool(json_t *o, const char *key, int v);
/* Takes v's reference, whatever happens. */
int	jsonout_value(json_t *o, const char *key, json_t *v);

/* Appends o as text (json_dumps' flags) to out: jansson makes no copy of
 * its own. jsonout_dump adds a newline. */
int	jsonout_text(const json_t *o, size_t flags, struct buf *out);
int	jsonout_dump(const json_t *o, size_t flags, struct buf *out);

#endif
