/* Comparing files line by line, for the writers' harnesses: a line is
 * what stands before its LF or CR LF, the last one whether or not one
 * ends it (the writers end a last line when they add one after it). */
#ifndef IAMDB_FUZZ_LINES_H
#define IAMDB_FUZZ_LINES_H

#include "tests/fuzz/fuzz.h"

/* The next line of *p (before end) as s and n; 0 when none is left. */
static inline int
next_line(const char **p, const char *end, const char **s, size_t *n)
{
	const char *nl;

	if (*p >= end)
		return 0;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	*s = *p;
	*n = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
	*p = nl ? nl + 1 : end;
	if (*n > 0 && (*s)[*n - 1] == '\r')
		(*n)--;
	return 1;
}

/* Whether the lines of a, less those skip says are to go, are a
 * subsequence of the lines of b: each of them found in b, byte for byte,
 * in the same order. */
static inline int
lines_within(const char *a, size_t alen, const char *b, size_t blen,
    int (*skip)(const char *, size_t, void *), void *arg)
{
	const char *pa = a, *pb = b, *ea = a + alen, *eb = b + blen;
	const char *s, *t;
	size_t n, m;

	while (next_line(&pa, ea, &s, &n)) {
		if (skip != NULL && skip(s, n, arg))
			continue;
		for (;;) {
			if (!next_line(&pb, eb, &t, &m))
				return 0;
			if (m == n && memcmp(s, t, n) == 0)
				break;
		}
	}
	return 1;
}

#endif
