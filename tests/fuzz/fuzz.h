/* What the harnesses share: libFuzzer's entry point, a check that aborts
 * (so that libFuzzer keeps the input) when an invariant breaks, and the
 * input cut into NUL-separated parts. */
#ifndef IAMDB_FUZZ_H
#define IAMDB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define must(cond)	fuzz_must((cond), #cond, __FILE__, __LINE__)

static inline void
fuzz_must(int cond, const char *what, const char *file, int line)
{
	if (!cond) {
		fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line,
		    what);
		abort();
	}
}

struct fuzz_in {
	const char	*p;
	size_t		 n;
};

static inline struct fuzz_in
fuzz_in(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { (const char *)data, size };

	return in;
}

/* The bytes up to the next NUL (or the end), as a heap string. */
static inline char *
fuzz_part(struct fuzz_in *in)
{
	const char *nul;
	size_t n;
	char *s;

	if (in->n == 0)
		return xstrdup("");
	nul = memchr(in->p, '\0', in->n);
	n = nul ? (size_t)(nul - in->p) : in->n;
	s = xstrndup(in->p, n);

	in->p += nul ? n + 1 : n;
	in->n -= nul ? n + 1 : n;
	return s;
}

/* One byte, 0 when none are left. */
static inline unsigned
fuzz_byte(struct fuzz_in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return (unsigned char)*in->p++;
}

#endif
