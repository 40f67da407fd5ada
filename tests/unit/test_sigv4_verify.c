/* sigv4_verify, as iamdb serve checks an SDK's GetSecretValue: a request
 * signed by sigv4_sign_headers (the signer botocore's vectors pin) is
 * taken, with the right credentials only; each thing an attacker or a
 * misconfigured client could change is refused with the service's own
 * error code, and hostile Authorization headers never crash it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sigv4/sigv4.h"
#include "tests/tap.h"

#define NOW	1733346000	/* 2024-12-04T21:00:00Z */
#define BODY	"{\"SecretId\":\"db/app\"}"

struct req {
	struct sigv4_header	 h[8];
	size_t			 n;
	struct buf		 auth;
	const char		*body;
};

static const char *
lookup(void *arg, const char *name)
{
	struct req *r = arg;
	size_t i;

	if (strcasecmp(name, "authorization") == 0)
		return buf_str(&r->auth);
	for (i = 0; i < r->n; i++)
		if (strcasecmp(r->h[i].name, name) == 0)
			return r->h[i].value;
	return NULL;
}

/* A GetSecretValue as botocore sends it, signed at when for region. */
static void
signed_request(struct req *r, const struct sigv4_credentials *cr,
    const char *region, time_t when)
{
	static char date[17];
	struct sigv4_request rq;
	char hash[65];

	memset(r, 0, sizeof(*r));
	sigv4_amz_date(when, date);
	r->h[r->n++] = (struct sigv4_header){ "content-type",
	    "application/x-amz-json-1.1" };
	r->h[r->n++] = (struct sigv4_header){ "host", "127.0.0.1:2773" };
	r->h[r->n++] = (struct sigv4_header){ "x-amz-date", date };
	if (cr->session_token != NULL)
		r->h[r->n++] = (struct sigv4_header){ "x-amz-security-token",
		    cr->session_token };
	r->h[r->n++] = (struct sigv4_header){ "x-amz-target",
	    "secretsmanager.GetSecretValue" };
	r->body = BODY;
	sigv4_sha256_hex(BODY, strlen(BODY), hash);
	memset(&rq, 0, sizeof(rq));
	rq.method = "POST";
	rq.path = "/";
	rq.normalize_path = 1;
	rq.headers = r->h;
	rq.nheaders = r->n;
	rq.payload_hash = hash;
	rq.region = region;
	rq.service = "secretsmanager";
	rq.when = when;
	sigv4_sign_headers(NULL, &rq, cr, &r->auth, NULL, NULL);
}

static int
check(struct req *r, const struct sigv4_credentials *cr, const char *auth,
    struct sigv4_check *c)
{
	struct sigv4_signed s;

	memset(&s, 0, sizeof(s));
	s.method = "POST";
	s.path = "/";
	s.authorization = auth ? auth : buf_str(&r->auth);
	s.header = lookup;
	s.arg = r;
	s.body = r->body;
	s.body_len = strlen(r->body);
	return sigv4_verify(&s, cr, "secretsmanager", NOW, c);
}

int
main(void)
{
	struct sigv4_credentials cr = { "AKIAIOSFODNN7EXAMPLE",
	    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", NULL };
	struct sigv4_credentials tmp = { "ASIAIOSFODNN7EXAMPLE",
	    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "FQoGZXIvYXdzE" };
	struct sigv4_credentials other = cr;
	static const char *const hostile[] = {
		"", "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 Credential=",
		"AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=, Signature=",
		"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20241204/"
		    "us-east-1/secretsmanager/aws4_request, SignedHeaders=;;;;, "
		    "Signature=0000000000000000000000000000000000000000000000000"
		    "000000000000000",
		"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20241204/"
		    "us-east-1/secretsmanager/aws4_request/x, SignedHeaders=host,"
		    " Signature=00",
		"Basic dXNlcjpwYXNz",
	};
	struct sigv4_check c;
	struct req r;
	char *s;
	size_t i;

	signed_request(&r, &cr, "us-east-1", NOW - 10);
	ok(check(&r, &cr, NULL, &c) == 0 && strcmp(c.region, "us-east-1") == 0,
	    "a request signed with the credentials is taken, its region said");
	other.secret_access_key = "another/secret";
	ok(check(&r, &other, NULL, &c) == -1 &&
	    strcmp(c.code, "InvalidSignatureException") == 0,
	    "with another secret key: InvalidSignatureException");
	other = cr;
	other.access_key_id = "AKIAOTHER0000000000X";
	ok(check(&r, &other, NULL, &c) == -1 &&
	    strcmp(c.code, "UnrecognizedClientException") == 0,
	    "signed with a key that is not ours: UnrecognizedClientException");
	r.body = "{\"SecretId\":\"db/other\"}";
	ok(check(&r, &cr, NULL, &c) == -1 &&
	    strcmp(c.code, "InvalidSignatureException") == 0,
	    "another body than the one signed is refused");
	r.body = BODY;
	r.h[r.n - 1].value = "secretsmanager.DeleteSecret";
	ok(check(&r, &cr, NULL, &c) == -1, "so is another signed header");
	buf_free(&r.auth);

	signed_request(&r, &cr, "us-east-1", NOW - 600);
	ok(check(&r, &cr, NULL, &c) == -1 && strstr(c.message, "expired"),
	    "signed 10 minutes ago: Signature expired");
	buf_free(&r.auth);
	signed_request(&r, &cr, "us-east-1", NOW + 600);
	ok(check(&r, &cr, NULL, &c) == -1, "10 minutes ahead: refused too");
	buf_free(&r.auth);

	signed_request(&r, &tmp, "eu-west-1", NOW);
	ok(check(&r, &tmp, NULL, &c) == 0 && strcmp(c.region, "eu-west-1") == 0,
	    "temporary credentials with their session token are taken");
	other = tmp;
	other.session_token = "another-token";
	ok(check(&r, &other, NULL, &c) == -1 &&
	    strcmp(c.code, "UnrecognizedClientException") == 0,
	    "with another session token than ours: refused");
	other.session_token = NULL;
	ok(check(&r, &other, NULL, &c) == -1, "and with one where we have none");
	s = strdup(buf_str(&r.auth));
	memcpy(strstr(s, "secretsmanager"), "secretsmanagex", 14);
	ok(check(&r, &tmp, s, &c) == -1 && strstr(c.message, "service"),
	    "scoped to another service: refused");
	free(s);
	buf_free(&r.auth);

	signed_request(&r, &cr, "us-east-1", NOW);
	ok(check(&r, &cr, "", &c) == -1 && c.code != NULL,
	    "an empty header is refused");
	{
		struct sigv4_signed sg;

		memset(&sg, 0, sizeof(sg));
		sg.method = "POST";
		sg.path = "/";
		sg.header = lookup;
		sg.arg = &r;
		sg.body = "";
		ok(sigv4_verify(&sg, &cr, "secretsmanager", NOW, &c) == -1 &&
		    strcmp(c.code, "MissingAuthenticationTokenException") == 0,
		    "no Authorization header: MissingAuthenticationToken");
	}
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++)
		ok(check(&r, &cr, hostile[i], &c) == -1 && c.code != NULL,
		    "a hostile Authorization header (%zu) is refused: %s", i,
		    c.code ? c.code : "?");
	buf_free(&r.auth);
	return tap_done();
}
