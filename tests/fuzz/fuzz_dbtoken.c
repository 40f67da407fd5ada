/* Tokens (sigv4/dbtoken_parse.c). The input is a token, a NUL, then a
 * host, user and region for a token iamdb makes: whatever dbtoken_make
 * makes, dbtoken_parse reads back with the same host, port, user and
 * region, and its signature checks with the secret it was made with. Any
 * token parsed survives the verifier and the linter. */
#include <string.h>

#include "sigv4/dbtoken.h"
#include "tests/fuzz/fuzz.h"

static const char secret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

static int
key(void *arg, const char *akid, const char **s, const char **token)
{
	(void)arg;
	(void)akid;
	*s = secret;
	*token = NULL;
	return 1;
}

static void
hostile(const char *token)
{
	struct dbtoken_info t;
	struct dbtoken_policy p;
	struct buf warnings = BUF_INIT;
	struct err e;

	if (dbtoken_parse(token, &t, &e) == -1)
		return;
	must(t.host != NULL && t.region != NULL && t.service != NULL &&
	    t.access_key_id != NULL && t.signature != NULL);
	(void)dbtoken_signature_ok(&t, secret);
	dbtoken_lint(&t, 1700000000, "us-east-1", "h", 5432, &warnings);
	memset(&p, 0, sizeof(p));
	p.service = service_for_token(t.service, t.action);
	if (p.service != NULL) {
		p.host = t.host;
		p.port = t.port;
		p.user = t.user ? t.user : "admin";
		p.now = t.signed_at;
		p.skew = 300;
		(void)dbtoken_verify(&t, &p, key, NULL, &e);
	}
	buf_free(&warnings);
	dbtoken_info_free(&t);
}

static void
round_trip(struct fuzz_in *in)
{
	const struct sigv4_credentials cred = { "AKIAIOSFODNN7EXAMPLE", secret,
	    NULL };
	struct dbtoken_target tg;
	struct dbtoken_info t;
	struct buf b = BUF_INIT;
	struct err e;
	char *host = fuzz_part(in), *user = fuzz_part(in);
	char *region = fuzz_part(in);
	unsigned k = fuzz_byte(in);

	memset(&tg, 0, sizeof(tg));
	tg.service = &services[k % nservices];
	/* The round trip is the database tokens' (RDS, Aurora DSQL):
	 * dbtoken_parse reads those; the other stores' tokens have their
	 * vectors in tests/vectors. */
	if (strcmp(tg.service->signing_name, "rds-db") != 0 &&
	    strcmp(tg.service->signing_name, "dsql") != 0)
		tg.service = &services[0];
	tg.host = host;
	tg.port = 1 + (fuzz_byte(in) << 8 | fuzz_byte(in)) % 65535;
	tg.user = user;
	tg.region = region;
	tg.expires = 900;
	tg.when = 1700000000;
	if (dbtoken_make(NULL, &tg, &cred, &b, &e) == 0) {
		must(dbtoken_parse(buf_str(&b), &t, &e) == 0);
		must(strcmp(t.region, region) == 0);
		must(strcasecmp(t.host, host) == 0);
		must(tg.service->host_form == HOST_ONLY ||
		    t.port == tg.port || (t.port == 0 && tg.port == 443));
		must(tg.service->user_param == NULL ||
		    (t.user != NULL && strcmp(t.user, user) == 0));
		must(t.signed_at == tg.when && t.expires == tg.expires);
		must(dbtoken_signature_ok(&t, secret) == 1);
		dbtoken_info_free(&t);
	}
	buf_free(&b);
	free(host);
	free(user);
	free(region);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = fuzz_in(data, size);
	char *token = fuzz_part(&in);

	hostile(token);
	free(token);
	round_trip(&in);
	return 0;
}
