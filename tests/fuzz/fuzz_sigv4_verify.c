/* sigv4_verify (sigv4/sigv4_verify.c), fed what iamdb serve takes from a
 * client: an Authorization header, then header lines NAME:VALUE, each
 * ended by a NUL, then the body. It never crashes, and accepts only what
 * the signer would have made: a request it takes verifies again. */
#include <strings.h>
#include <time.h>

#include "sigv4/sigv4.h"
#include "tests/fuzz/fuzz.h"

struct hdrs {
	char	*line[16];
	size_t	 n;
};

static const char *
lookup(void *arg, const char *name)
{
	struct hdrs *h = arg;
	size_t i, n = strlen(name);

	for (i = 0; i < h->n; i++)
		if (strncasecmp(h->line[i], name, n) == 0 &&
		    h->line[i][n] == ':')
			return h->line[i] + n + 1;
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigv4_credentials cr = { "AKIAIOSFODNN7EXAMPLE",
	    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", NULL };
	struct fuzz_in in = fuzz_in(data, size);
	char *auth = fuzz_part(&in);
	struct hdrs h = { { NULL }, 0 };
	struct sigv4_signed s;
	struct sigv4_check c;
	size_t i;

	while (h.n < 8)
		h.line[h.n++] = fuzz_part(&in);
	memset(&s, 0, sizeof(s));
	s.method = "POST";
	s.path = "/";
	s.authorization = auth;
	s.header = lookup;
	s.arg = &h;
	s.body = in.p ? in.p : "";
	s.body_len = in.n;
	if (sigv4_verify(&s, &cr, "secretsmanager", 1733346000, &c) == 0)
		must(sigv4_verify(&s, &cr, "secretsmanager", 1733346000,
		    &c) == 0);
	else
		must(c.code != NULL);
	free(auth);
	for (i = 0; i < h.n; i++)
		free(h.line[i]);
	return 0;
}
