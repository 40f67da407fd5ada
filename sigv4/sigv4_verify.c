/*
 * Checking a request signed with an Authorization header, as an AWS
 * service checks one (for iamdb serve's Secrets Manager API): the header
 * is parsed, the request as signed is rebuilt from the headers it names,
 * and the signature is made again with the credentials it claims; the
 * two must be equal, compared in constant time. No I/O.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>

#include "sigv4.h"

#define MAX_SIGNED	24

/* The value of key= in the Authorization header's list, as a heap string;
 * NULL when absent. */
static char *
auth_field(const char *auth, const char *key)
{
	size_t n = strlen(key);
	const char *p = auth;

	while ((p = strstr(p, key)) != NULL) {
		if ((p == auth || p[-1] == ' ' || p[-1] == ',') && p[n] == '=') {
			p += n + 1;
			return strndup(p, strcspn(p, ", "));
		}
		p += n;
	}
	return NULL;
}

/* YYYYMMDDTHHMMSSZ as a time. */
static int
amz_time(const char *s, time_t *out)
{
	struct tm tm;
	char *end;

	if (s == NULL || strlen(s) != 16)
		return -1;
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y%m%dT%H%M%SZ", &tm)) == NULL || *end != '\0')
		return -1;
	*out = timegm(&tm);
	return 0;
}

static int
fail(struct sigv4_check *c, const char *code, const char *msg)
{
	c->code = code;
	snprintf(c->message, sizeof(c->message), "%s", msg);
	return -1;
}

int
sigv4_verify(const struct sigv4_signed *s, const struct sigv4_credentials *cr,
    const char *service, time_t now, struct sigv4_check *c)
{
	struct sigv4_header hdr[MAX_SIGNED];
	struct sigv4_request rq;
	struct sigv4_trace trace;
	struct buf auth = BUF_INIT;
	char *cred = NULL, *signed_h = NULL, *sig = NULL, *parts[5] = { 0 };
	char *name, *save = NULL, hash[65];
	const char *date, *token;
	size_t n = 0, i;
	time_t when;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	memset(&trace, 0, sizeof(trace));
	if (s->authorization == NULL)
		return fail(c, "MissingAuthenticationTokenException",
		    "Request is missing Authentication Token");
	if (strncmp(s->authorization, "AWS4-HMAC-SHA256 ", 17) != 0 ||
	    (cred = auth_field(s->authorization, "Credential")) == NULL ||
	    (signed_h = auth_field(s->authorization, "SignedHeaders")) ==
	    NULL || (sig = auth_field(s->authorization, "Signature")) == NULL ||
	    strlen(sig) != 64) {
		fail(c, "IncompleteSignatureException", "Authorization header "
		    "requires Credential, SignedHeaders and Signature");
		goto out;
	}
	/* AKID/DATE/REGION/SERVICE/aws4_request */
	parts[0] = strtok_r(cred, "/", &save);
	for (i = 1; i < 5 && parts[i - 1] != NULL; i++)
		parts[i] = strtok_r(NULL, "/", &save);
	if (parts[4] == NULL || strcmp(parts[4], "aws4_request") != 0 ||
	    strtok_r(NULL, "/", &save) != NULL) {
		fail(c, "IncompleteSignatureException", "Credential must be "
		    "KEY/DATE/REGION/SERVICE/aws4_request");
		goto out;
	}
	if (strcmp(parts[0], cr->access_key_id) != 0) {
		fail(c, "UnrecognizedClientException", "The security token "
		    "included in the request is invalid.");
		goto out;
	}
	token = s->header(s->arg, "x-amz-security-token");
	if ((cr->session_token != NULL) != (token != NULL) ||
	    (token != NULL && strcmp(token, cr->session_token) != 0)) {
		fail(c, "UnrecognizedClientException", "The security token "
		    "included in the request is invalid.");
		goto out;
	}
	if (strcmp(parts[3], service) != 0) {
		fail(c, "InvalidSignatureException", "Credential should be "
		    "scoped to the correct service");
		goto out;
	}
	date = s->header(s->arg, "x-amz-date");
	if (amz_time(date, &when) == -1 || strncmp(date, parts[1], 8) != 0) {
		fail(c, "IncompleteSignatureException", "X-Amz-Date is missing "
		    "or does not match the credential's date");
		goto out;
	}
	if (when < now - 300 || when > now + 300) {
		fail(c, "InvalidSignatureException", "Signature expired: the "
		    "request's X-Amz-Date is more than 5 minutes away from "
		    "the server's time");
		goto out;
	}
	for (name = strtok_r(signed_h, ";", &save); name != NULL;
	    name = strtok_r(NULL, ";", &save)) {
		if (n == MAX_SIGNED || (hdr[n].value = s->header(s->arg,
		    name)) == NULL) {
			fail(c, "IncompleteSignatureException", "a header "
			    "named in SignedHeaders is missing");
			goto out;
		}
		hdr[n++].name = name;
	}
	sigv4_sha256_hex(s->body ? s->body : "", s->body_len, hash);
	memset(&rq, 0, sizeof(rq));
	rq.method = s->method;
	rq.path = s->path;
	rq.normalize_path = 1;
	rq.headers = hdr;
	rq.nheaders = n;
	rq.payload_hash = hash;
	rq.region = parts[2];
	rq.service = service;
	rq.when = when;
	sigv4_sign_headers(NULL, &rq, cr, &auth, NULL, &trace);
	if (CRYPTO_memcmp(trace.signature, sig, 64) != 0) {
		fail(c, "InvalidSignatureException", "The request signature we "
		    "calculated does not match the signature you provided.");
		goto out;
	}
	snprintf(c->region, sizeof(c->region), "%s", parts[2]);
	rc = 0;
out:
	free(cred);
	free(signed_h);
	free(sig);
	buf_free(&auth);
	sigv4_trace_free(&trace);
	return rc;
}
