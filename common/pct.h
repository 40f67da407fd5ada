/* Percent-encoding as URLs carry it. */
#ifndef IAMDB_PCT_H
#define IAMDB_PCT_H

#include <stddef.h>

#include "buf.h"

/* Appends s[0..n) with each %XX decoded to out. -1 on a malformed escape
 * or one that decodes to NUL (which no C string can hold); out then holds
 * part of the text and is the caller's to free. */
int	pct_decode(const char *s, size_t n, struct buf *out);

#endif
