#include <stddef.h>
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

/* json_dump_callback's sink. */
static int
to_buf(const char *p, size_t n, void *arg)
{
	buf_add(arg, p, n);
	return 0;
}

int
jsonout_text(const json_t *o, size_t flags, struct buf *out)
{
	return json_dump_callback(o, to_buf, out, flags);
}

int
jsonout_dump(const json_t *o, size_t flags, struct buf *out)
{
	if (jsonout_text(o, flags, out) == -1)
		return -1;
	buf_addc(out, '\n');
	return 0;
}

/*
 * jansson keeps what it parses and builds (keys, secrets, tokens) in blocks
 * of its own allocator: these are wiped when jansson frees them. Each block
 * carries its size in front of it, so that this needs nothing of the C
 * library's allocator but malloc and free; set before main, ahead of any
 * jansson allocation, for every program that links this file (iamdb, its
 * tests and its fuzzers). No jansson block is ever handed to free(): text
 * is written through jsonout_text.
 */
#define JSON_BLOCK_HEADER	sizeof(max_align_t)

static void *
json_block_alloc(size_t n)
{
	unsigned char *p;

	if (n > (size_t)-1 - JSON_BLOCK_HEADER ||
	    (p = malloc(n + JSON_BLOCK_HEADER)) == NULL)
		return NULL;
	memcpy(p, &n, sizeof(n));
	return p + JSON_BLOCK_HEADER;
}

static void
json_block_free(void *q)
{
	unsigned char *p;
	size_t n;

	if (q == NULL)
		return;
	p = (unsigned char *)q - JSON_BLOCK_HEADER;
	memcpy(&n, p, sizeof(n));
	wipe(p, n + JSON_BLOCK_HEADER);
	free(p);
}

__attribute__((constructor)) static void
json_blocks_wiped(void)
{
	json_set_alloc_funcs(json_block_alloc, json_block_free);
}
