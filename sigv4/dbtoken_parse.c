/*
 * Reading tokens back: the inverse of dbtoken_make, for iamdb inspect and
 * iamdb verify. A token is untrusted input: every field is checked for
 * shape, duplicates are refused (two DBUser values could mean one thing
 * to the verifier and another to the database), and sizes are bounded.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "../common/pct.h"
#include "dbtoken.h"

#define TOKEN_MAX	8192

/* %XX-decoded copy of s[0..n); NULL on a bad escape, a NUL, or a byte
 * that a URL does not carry raw ('+', spaces, controls). */
static char *
decode(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '+' || (unsigned char)s[i] < 0x21 ||
		    (unsigned char)s[i] == 0x7f)
			return NULL;
	if (pct_decode(s, n, &b) == -1) {
		buf_free(&b);
		return NULL;
	}
	return b.data ? b.data : xstrdup("");
}

static const char *
param(const struct dbtoken_info *t, const char *key)
{
	size_t i;

	for (i = 0; i < t->nparams; i++)
		if (strcmp(t->params[i].key, key) == 0)
			return t->params[i].value;
	return NULL;
}

static int
all(const char *s, int (*pred)(int))
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!pred((unsigned char)*s))
			return 0;
	return 1;
}

static int
is_hex_lower(int c)
{
	return isdigit(c) || (c >= 'a' && c <= 'f');
}

static int
is_key_char(int c)
{
	return isalnum(c);
}

static int
stamp_time(const char *s, time_t *out)
{
	struct tm tm, want;
	const char *end;

	if (strlen(s) != 16)
		return -1;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y%m%dT%H%M%SZ", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	want = tm;
	if ((*out = timegm(&tm)) == (time_t)-1 || tm.tm_mday != want.tm_mday ||
	    tm.tm_hour != want.tm_hour)
		return -1;
	return 0;
}

/* AKID/YYYYMMDD/REGION/SERVICE/aws4_request */
static int
credential_scope(struct dbtoken_info *t, const char *cred, struct err *e)
{
	char *copy = xstrdup(cred), *part[5], *save = NULL, *p;
	const char *date;
	int n = 0;

	for (p = strtok_r(copy, "/", &save); p != NULL && n < 5;
	    p = strtok_r(NULL, "/", &save))
		part[n++] = p;
	if (n != 5 || p != NULL || strcmp(part[4], "aws4_request") != 0 ||
	    !all(part[0], is_key_char) || strlen(part[1]) != 8) {
		free(copy);
		return err_set(e, ERR_USAGE, "malformed token: X-Amz-Credential "
		    "is not KEY/DATE/REGION/SERVICE/aws4_request");
	}
	date = param(t, "X-Amz-Date");
	if (date == NULL || strncmp(date, part[1], 8) != 0) {
		free(copy);
		return err_set(e, ERR_USAGE, "malformed token: the credential "
		    "date differs from X-Amz-Date");
	}
	t->access_key_id = xstrdup(part[0]);
	t->region = xstrdup(part[2]);
	t->service = xstrdup(part[3]);
	free(copy);
	return 0;
}

static int
parse_host(struct dbtoken_info *t, const char *s, size_t n, struct err *e)
{
	const char *colon = NULL, *p;
	long port;
	char *end;

	if (n == 0 || n > 260)
		return err_set(e, ERR_USAGE, "malformed token: no host before "
		    "'/?'");
	if (s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (close == NULL)
			return err_set(e, ERR_USAGE, "malformed token: "
			    "unterminated IPv6 host");
		if ((size_t)(close - s) + 1 < n)
			colon = close + 1;
	} else
		colon = memchr(s, ':', n);
	if (colon != NULL && *colon != ':')
		return err_set(e, ERR_USAGE, "malformed token: junk after the "
		    "host");
	t->host = xstrndup(s, colon ? (size_t)(colon - s) : n);
	for (p = t->host; *p; p++)
		if (!isalnum((unsigned char)*p) && strchr(".-_[]:", *p) == NULL)
			return err_set(e, ERR_USAGE, "malformed token: invalid "
			    "character in the host");
	if (colon != NULL) {
		char *digits = xstrndup(colon + 1, n - (size_t)(colon + 1 - s));

		port = strtol(digits, &end, 10);
		if (*digits == '\0' || *end != '\0' || port < 1 ||
		    port > 65535 || !isdigit((unsigned char)*digits)) {
			free(digits);
			return err_set(e, ERR_USAGE, "malformed token: bad "
			    "port");
		}
		free(digits);
		t->port = (unsigned)port;
	}
	return 0;
}

/* One name=value pair of the query, decoded; the signature is kept
 * apart from the parameters it signs. */
static int
add_param(struct dbtoken_info *t, const char *p, size_t n, size_t *cap,
    struct err *e)
{
	const char *eq = memchr(p, '=', n);
	char *key, *value;
	size_t i;

	if (eq == NULL || eq == p)
		return err_set(e, ERR_USAGE, "malformed token: a parameter "
		    "without '=' or name");
	key = decode(p, (size_t)(eq - p));
	value = decode(eq + 1, n - (size_t)(eq + 1 - p));
	if (key == NULL || value == NULL) {
		free(key);
		free(value);
		return err_set(e, ERR_USAGE, "malformed token: bad "
		    "%%-encoding");
	}
	for (i = 0; i < t->nparams; i++)
		if (strcmp(t->params[i].key, key) == 0)
			break;
	if (i < t->nparams || (t->signature != NULL &&
	    strcmp(key, "X-Amz-Signature") == 0)) {
		err_set(e, ERR_USAGE, "malformed token: %s appears twice",
		    key);
		free(key);
		free(value);
		return -1;
	}
	if (strcmp(key, "X-Amz-Signature") == 0) {
		t->signature = value;
		free(key);
		return 0;
	}
	if (t->nparams == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		t->params = xrealloc(t->params, *cap * sizeof(*t->params));
	}
	t->params[t->nparams].key = key;
	t->params[t->nparams].value = value;
	t->nparams++;
	return 0;
}

static int
parse_query(struct dbtoken_info *t, const char *p, struct err *e)
{
	size_t cap = 0;

	while (*p != '\0') {
		size_t n = strcspn(p, "&");

		if (add_param(t, p, n, &cap, e) == -1)
			return -1;
		p += n;
		if (*p == '&' && *++p == '\0')
			return err_set(e, ERR_USAGE, "malformed token: ends "
			    "with '&'");
	}
	return 0;
}

/* The parameters every SigV4 query-signed token has, each in its
 * shape. */
static int
check_fields(struct dbtoken_info *t, struct err *e)
{
	const char *v;
	char *end;

	if (t->signature == NULL || strlen(t->signature) != 64 ||
	    !all(t->signature, is_hex_lower))
		return err_set(e, ERR_USAGE, "malformed token: no 64-digit "
		    "hex X-Amz-Signature");
	if ((v = param(t, "X-Amz-Algorithm")) == NULL ||
	    strcmp(v, "AWS4-HMAC-SHA256") != 0)
		return err_set(e, ERR_USAGE, "malformed token: "
		    "X-Amz-Algorithm is not AWS4-HMAC-SHA256");
	if ((v = param(t, "X-Amz-Date")) == NULL ||
	    stamp_time(v, &t->signed_at) == -1)
		return err_set(e, ERR_USAGE, "malformed token: no valid "
		    "X-Amz-Date");
	if ((v = param(t, "X-Amz-Expires")) == NULL || !all(v, isdigit) ||
	    strlen(v) > 9 || (t->expires = strtol(v, &end, 10)) < 1)
		return err_set(e, ERR_USAGE, "malformed token: no valid "
		    "X-Amz-Expires");
	if ((v = param(t, "X-Amz-Credential")) == NULL)
		return err_set(e, ERR_USAGE, "malformed token: no "
		    "X-Amz-Credential");
	if (credential_scope(t, v, e) == -1)
		return -1;
	if ((v = param(t, "X-Amz-SignedHeaders")) == NULL)
		return err_set(e, ERR_USAGE, "malformed token: no "
		    "X-Amz-SignedHeaders");
	t->signed_headers = xstrdup(v);
	if ((v = param(t, "Action")) == NULL)
		return err_set(e, ERR_USAGE, "malformed token: no Action");
	t->action = xstrdup(v);
	if ((v = param(t, "DBUser")) != NULL)
		t->user = xstrdup(v);
	t->session_token = param(t, "X-Amz-Security-Token") != NULL;
	return 0;
}

int
dbtoken_parse(const char *token, struct dbtoken_info *t, struct err *e)
{
	const char *q;
	size_t len;

	memset(t, 0, sizeof(*t));
	len = strlen(token);
	if (len == 0 || len > TOKEN_MAX)
		return err_set(e, ERR_USAGE, "malformed token: %s", len ?
		    "too long" : "empty");
	if ((q = strstr(token, "/?")) == NULL)
		return err_set(e, ERR_USAGE, "malformed token: no '/?' after "
		    "the host (is it a token?)");
	if (parse_host(t, token, (size_t)(q - token), e) == -1 ||
	    parse_query(t, q + 2, e) == -1 || check_fields(t, e) == -1) {
		dbtoken_info_free(t);
		return -1;
	}
	return 0;
}

void
dbtoken_info_free(struct dbtoken_info *t)
{
	size_t i;

	for (i = 0; i < t->nparams; i++) {
		free((char *)t->params[i].key);
		wipe_str((char *)t->params[i].value);
	}
	free(t->params);
	free(t->host);
	free(t->action);
	free(t->user);
	free(t->access_key_id);
	free(t->region);
	free(t->service);
	free(t->signed_headers);
	free(t->signature);
	memset(t, 0, sizeof(*t));
}

int
dbtoken_signature_ok(const struct dbtoken_info *t, const char *secret)
{
	struct sigv4_credentials c = { t->access_key_id, secret, NULL };
	struct sigv4_trace trace;
	struct sigv4_header host;
	struct sigv4_request r;
	struct buf h = BUF_INIT, auth = BUF_INIT;
	char *p;
	int ok;

	/* Only host is ever signed in a token; anything else cannot be
	 * checked by the database either. */
	if (strcmp(t->signed_headers, "host") != 0)
		return 0;
	buf_adds(&h, t->host);
	for (p = h.data; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (t->port != 0 && t->port != 443)
		buf_printf(&h, ":%u", t->port);
	host.name = "host";
	host.value = buf_str(&h);
	memset(&r, 0, sizeof(r));
	r.method = "GET";
	r.path = "/";
	r.params = t->params;
	r.nparams = t->nparams;
	r.headers = &host;
	r.nheaders = 1;
	r.region = t->region;
	r.service = t->service;
	r.when = t->signed_at;
	memset(&trace, 0, sizeof(trace));
	sigv4_sign_headers(NULL, &r, &c, &auth, NULL, &trace);
	ok = CRYPTO_memcmp(trace.signature, t->signature, 64) == 0;
	sigv4_trace_free(&trace);
	buf_free(&auth);
	buf_free(&h);
	return ok;
}
