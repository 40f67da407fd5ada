/*
 * signing [seconds]
 *
 * In-process throughput of the signing core: dbtoken_make() for a fixed
 * RDS target, with one reused signer, with a reused signer and a session
 * token, and with no signer (the signing key derived afresh every token).
 * Each variant runs for about seconds (default 0.5) in ROUNDS slices,
 * interleaved with the other variants, and prints the median slice's rate:
 *   signing core: N tokens/s (variant)
 * The tokens are checked against botocore's before and after, so a broken
 * signer is never measured.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sigv4/dbtoken.h"
#include "sigv4/sigv4.h"

#define BATCH		500
#define ROUNDS		10	/* even */
#define NVARIANT	3

static const char sig_plain[] =
    "X-Amz-Signature="
    "d1138cdbc0ca63eec012ec0fc6c2267e03642168f5884a7795320d4c18374c61";
static const char sig_session[] =
    "X-Amz-Signature="
    "43ace2452aa44aae88c6b1cd9ad6a91ae953009c40e33ebd2fb0a07895116fde";

static struct dbtoken_target target = {
	NULL,
	"prod-instance.us-east-1.rds.amazonaws.com",
	3306,
	"someusername",
	"us-east-1",
	900,
	1478540373,		/* 2016-11-07T17:39:33Z */
	0,
	NULL
};

static const struct sigv4_credentials creds_plain = {
	"akid", "skid", NULL
};
static const struct sigv4_credentials creds_session = {
	"akid", "skid", "token"
};

static double
now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		err(1, "clock_gettime");
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
make(struct sigv4_signer *s, const struct sigv4_credentials *c,
    struct buf *out)
{
	struct err e;

	buf_reset(out);
	if (dbtoken_make(s, &target, c, out, &e) == -1)
		errx(1, "dbtoken_make: %s", e.msg);
}

static void
check(struct sigv4_signer *s, const struct sigv4_credentials *c,
    const char *want, struct buf *out)
{
	size_t n = strlen(want);

	make(s, c, out);
	if (out->len < n || strcmp(out->data + out->len - n, want) != 0)
		errx(1, "wrong token: %s\nwant it to end with %s",
		    buf_str(out), want);
}

struct variant {
	const char			*label;
	struct sigv4_signer		*signer;
	const struct sigv4_credentials	*creds;
	const char			*want;
	double				 rate[ROUNDS];
};

/* Makes tokens for about secs seconds and returns tokens per second. */
static double
slice(struct variant *v, struct buf *out, double secs)
{
	double t0, t;
	long n = 0, i;

	t0 = now();
	do {
		for (i = 0; i < BATCH; i++)
			make(v->signer, v->creds, out);
		n += BATCH;
	} while ((t = now() - t0) < secs);
	return n / t;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char *argv[])
{
	struct variant v[] = {
		{ "reused signer", NULL, &creds_plain, sig_plain, { 0 } },
		{ "reused signer, session token", NULL, &creds_session,
		    sig_session, { 0 } },
		{ "no signer, key derived per token", NULL, &creds_plain,
		    sig_plain, { 0 } }
	};
	struct buf out = BUF_INIT;
	struct sigv4_signer *s;
	double secs = 0.5;
	char *end;
	size_t i, r;

	target.service = service_find("mysql");
	if (argc > 2) {
		fputs("usage: signing [seconds]\n", stderr);
		return 2;
	}
	if (argc == 2) {
		secs = strtod(argv[1], &end);
		if (*argv[1] == '\0' || *end != '\0' ||
		    !(secs > 0 && secs < 60))
			errx(2, "bad duration: %s", argv[1]);
	}
	if ((s = sigv4_signer_new()) == NULL)
		errx(1, "sigv4_signer_new failed");
	v[0].signer = v[1].signer = s;

	for (i = 0; i < NVARIANT; i++)
		check(v[i].signer, v[i].creds, v[i].want, &out);
	for (i = 0; i < NVARIANT; i++)	/* warm up caches and clocks */
		slice(&v[i], &out, 0.02);
	/* Interleave the variants so that drift hits them all alike. */
	for (r = 0; r < ROUNDS; r++)
		for (i = 0; i < NVARIANT; i++)
			v[i].rate[r] = slice(&v[i], &out, secs / ROUNDS);
	for (i = 0; i < NVARIANT; i++) {
		check(v[i].signer, v[i].creds, v[i].want, &out);
		qsort(v[i].rate, ROUNDS, sizeof(v[i].rate[0]), cmp);
		printf("signing core: %.0f tokens/s (%s)\n",
		    (v[i].rate[ROUNDS / 2 - 1] + v[i].rate[ROUNDS / 2]) / 2,
		    v[i].label);
	}

	buf_free(&out);
	sigv4_signer_free(s);
	return 0;
}
