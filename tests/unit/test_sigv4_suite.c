/*
 * The AWS SigV4 test suite (tests/vectors/sigv4-suite), fed to the signer
 * as the requests were sent. Each case's raw HTTP request is taken apart
 * here only as far as any HTTP reader would (request line, headers in order
 * with repeated names and continuation lines, body); everything SigV4
 * normalises (header case and whitespace, repeated headers, dot segments and
 * repeated slashes, query order, percent-encoding) is left to the signer.
 * The canonical request, string to sign and Authorization header must come
 * out byte for byte as published.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "sigv4/sigv4.h"
#include "tests/tap.h"

#define MAXPARAMS	32
#define MAXHEADERS	32

/* What every case of AWS's suite signs with (its documentation page). */
static const char suite_key_id[] = "AKIDEXAMPLE";
static const char suite_secret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
static const char suite_region[] = "us-east-1";
static const char suite_service[] = "service";
static const time_t suite_time = 1440938160;	/* 2015-08-30T12:36:00Z */

struct rawreq {
	char			*text;		/* holds method, headers, body */
	const char		*method;
	char			*path;		/* percent-decoded */
	struct sigv4_param	 params[MAXPARAMS];	/* decoded, as sent */
	size_t			 np;
	struct sigv4_header	 headers[MAXHEADERS];	/* values as sent */
	size_t			 nh;
	const char		*body;
	size_t			 bodylen;
};

static char *
slurp(const char *dir, const char *name, size_t *lenp)
{
	char path[1024], chunk[4096];
	struct buf b = BUF_INIT;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (lenp != NULL)
		*lenp = b.len;
	return b.data ? b.data : xstrdup("");
}

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' :
	    c >= 'A' && c <= 'F' ? c - 'A' + 10 :
	    c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static char *
decode(const char *s, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
		    hexval(s[i + 2]) >= 0) {
			*o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

static int
add_params(struct rawreq *rq, const char *q, size_t len)
{
	const char *end = q + len, *amp, *eq;

	while (q < end) {
		if ((amp = memchr(q, '&', (size_t)(end - q))) == NULL)
			amp = end;
		if (rq->np == MAXPARAMS)
			return -1;
		if ((eq = memchr(q, '=', (size_t)(amp - q))) == NULL)
			eq = amp;
		rq->params[rq->np].key = decode(q, (size_t)(eq - q));
		rq->params[rq->np].value = eq < amp ?
		    decode(eq + 1, (size_t)(amp - eq - 1)) : xstrdup("");
		rq->np++;
		q = amp + 1;
	}
	return 0;
}

/* The next line, NUL-terminated in place, without its CR LF or LF. */
static char *
next_line(char **p, char *end)
{
	char *line = *p, *nl;

	if (line >= end)
		return NULL;
	if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
		nl = end;
	*p = nl < end ? nl + 1 : end;
	if (nl > line && nl[-1] == '\r')
		nl--;
	*nl = '\0';
	return line;
}

/*
 * "METHOD SP target SP HTTP/x.y", then "Name:value" lines up to an empty
 * line, then the body. The target runs to the last space, as the suite
 * writes a path with a space in it raw (get-space). A continuation line
 * (obs-fold, starting with a space or tab) counts as a further value of
 * the header above it: the suite's canonical request joins them with
 * commas (get-header-value-multiline), as aws-c-auth's reader does, where
 * RFC 7230 section 3.2.4 would replace the fold with a space.
 */
static int
parse_request(char *text, size_t len, struct rawreq *rq)
{
	char *p = text, *end = text + len, *line, *sp, *last, *q;

	memset(rq, 0, sizeof(*rq));
	rq->text = text;
	if ((line = next_line(&p, end)) == NULL ||
	    (sp = strchr(line, ' ')) == NULL ||
	    (last = strrchr(line, ' ')) == sp ||
	    strncmp(last + 1, "HTTP/", 5) != 0)
		return -1;
	*sp = '\0';
	*last = '\0';
	rq->method = line;
	if ((q = strchr(sp + 1, '?')) != NULL) {
		if (add_params(rq, q + 1, strlen(q + 1)) == -1)
			return -1;
	} else
		q = last;
	rq->path = decode(sp + 1, (size_t)(q - (sp + 1)));
	while ((line = next_line(&p, end)) != NULL && *line != '\0') {
		char *colon;

		if (rq->nh == MAXHEADERS)
			return -1;
		if (*line == ' ' || *line == '\t') {
			if (rq->nh == 0)
				return -1;
			rq->headers[rq->nh].name = rq->headers[rq->nh - 1].name;
			rq->headers[rq->nh++].value = line;
			continue;
		}
		if ((colon = strchr(line, ':')) == NULL || colon == line)
			return -1;
		*colon = '\0';
		rq->headers[rq->nh].name = line;
		rq->headers[rq->nh++].value = colon + 1;
	}
	rq->body = p;
	rq->bodylen = (size_t)(end - p);
	return 0;
}

static void
rawreq_free(struct rawreq *rq)
{
	size_t i;

	for (i = 0; i < rq->np; i++) {
		free((char *)rq->params[i].key);
		free((char *)rq->params[i].value);
	}
	free(rq->path);
	free(rq->text);
}

/* Removes a header (the signer's Authorization) and returns its value. */
static const char *
drop_header(struct rawreq *rq, const char *name)
{
	const char *value = NULL;
	size_t i, o = 0;

	for (i = 0; i < rq->nh; i++) {
		if (strcasecmp(rq->headers[i].name, name) == 0)
			value = rq->headers[i].value;
		else
			rq->headers[o++] = rq->headers[i];
	}
	rq->nh = o;
	return value;
}

/* Keeps only the headers a signed request says it signed ("a;b;c"). */
static void
keep_signed_headers(struct rawreq *rq, const char *list, size_t listlen)
{
	size_t i, o = 0, n;
	const char *p, *end = list + listlen;

	for (i = 0; i < rq->nh; i++) {
		n = strlen(rq->headers[i].name);
		for (p = list; p < end; p += strcspn(p, ";") + 1)
			if (strncasecmp(p, rq->headers[i].name, n) == 0 &&
			    (p + n == end || p[n] == ';'))
				break;
		if (p < end)
			rq->headers[o++] = rq->headers[i];
	}
	rq->nh = o;
}

/*
 * Removes query parameters: those named `only`, or with only NULL every
 * X-Amz-* one (what presigning adds). Returns the last removed value.
 */
static char *
drop_params(struct rawreq *rq, const char *only)
{
	char *value = NULL;
	size_t i, o = 0;
	const char *k;

	for (i = 0; i < rq->np; i++) {
		k = rq->params[i].key;
		if (only ? strcmp(k, only) != 0 : strncmp(k, "X-Amz-", 6) != 0) {
			rq->params[o++] = rq->params[i];
			continue;
		}
		free(value);
		value = (char *)rq->params[i].value;
		free((char *)k);
	}
	rq->np = o;
	return value;
}

static const char *
param(const struct rawreq *rq, const char *key)
{
	size_t i;

	for (i = 0; i < rq->np; i++)
		if (strcmp(rq->params[i].key, key) == 0)
			return rq->params[i].value;
	return NULL;
}

static void
request_from(const struct rawreq *rq, struct sigv4_request *r)
{
	memset(r, 0, sizeof(*r));
	r->method = rq->method;
	r->path = rq->path;
	r->normalize_path = 1;	/* every service but S3 */
	r->params = rq->params;
	r->nparams = rq->np;
	r->headers = rq->headers;
	r->nheaders = rq->nh;
	r->region = suite_region;
	r->service = suite_service;
	r->when = suite_time;
}

static int
read_request(const char *dir, const char *file, struct rawreq *rq)
{
	size_t len;
	char *text;

	if ((text = slurp(dir, file, &len)) == NULL)
		return -1;
	if (parse_request(text, len, rq) == -1) {
		rawreq_free(rq);
		return -1;
	}
	return 0;
}

/* A case of AWS's own suite: NAME.req, .creq, .sts, .authz (header mode). */
static void
check_suite_case(const char *dir, const char *name)
{
	struct sigv4_credentials cred = { suite_key_id, suite_secret, NULL };
	struct sigv4_trace trace;
	struct sigv4_request r;
	struct rawreq rq;
	struct buf auth = BUF_INIT;
	char file[256], hash[65], *creq, *sts, *authz;

	snprintf(file, sizeof(file), "%s.req", name);
	if (read_request(dir, file, &rq) == -1) {
		ok(0, "%s: the raw request is an HTTP request", name);
		return;
	}
	snprintf(file, sizeof(file), "%s.creq", name);
	creq = slurp(dir, file, NULL);
	snprintf(file, sizeof(file), "%s.sts", name);
	sts = slurp(dir, file, NULL);
	snprintf(file, sizeof(file), "%s.authz", name);
	authz = slurp(dir, file, NULL);

	request_from(&rq, &r);
	sigv4_sha256_hex(rq.body, rq.bodylen, hash);
	r.payload_hash = hash;
	memset(&trace, 0, sizeof(trace));
	sigv4_sign_headers(NULL, &r, &cred, &auth, NULL, &trace);
	is(buf_str(&trace.canonical_request), creq,
	    "%s: the request as sent gives the published canonical request",
	    name);
	if (sts != NULL)
		is(buf_str(&trace.string_to_sign), sts,
		    "%s: and the published string to sign", name);
	if (authz != NULL)
		is(buf_str(&auth), authz,
		    "%s: and the published Authorization header", name);
	sigv4_trace_free(&trace);
	buf_free(&auth);
	free(creq);
	free(sts);
	free(authz);
	rawreq_free(&rq);
}

/* An aws-c-auth case's files for one mode, and its context.json. */
struct signed_case {
	const char			*name;
	const char			*mode;	/* "header" or "query" */
	char				*creq, *sts, *sig;	/* NULL: none */
	json_t				*ctx;
	struct sigv4_credentials	 cred;
	struct tm			 tm;
};

static int
load_signed_case(const char *dir, struct signed_case *sc)
{
	char file[256], *text;
	json_t *c;

	snprintf(file, sizeof(file), "%s-canonical-request.txt", sc->mode);
	sc->creq = slurp(dir, file, NULL);
	snprintf(file, sizeof(file), "%s-string-to-sign.txt", sc->mode);
	sc->sts = slurp(dir, file, NULL);
	snprintf(file, sizeof(file), "%s-signature.txt", sc->mode);
	if ((sc->sig = slurp(dir, file, NULL)) != NULL)
		sc->sig[strcspn(sc->sig, "\r\n")] = '\0';
	text = slurp(dir, "context.json", NULL);
	sc->ctx = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	if (sc->ctx == NULL)
		return -1;
	c = json_object_get(sc->ctx, "credentials");
	sc->cred.access_key_id = json_string_value(json_object_get(c,
	    "access_key_id"));
	sc->cred.secret_access_key = json_string_value(json_object_get(c,
	    "secret_access_key"));
	sc->cred.session_token = json_string_value(json_object_get(c,
	    "token"));
	memset(&sc->tm, 0, sizeof(sc->tm));
	text = (char *)json_string_value(json_object_get(sc->ctx, "timestamp"));
	return text && strptime(text, "%Y-%m-%dT%H:%M:%SZ", &sc->tm) ? 0 : -1;
}

static void
free_signed_case(struct signed_case *sc)
{
	free(sc->creq);
	free(sc->sts);
	free(sc->sig);
	json_decref(sc->ctx);
}

/*
 * aws-c-auth signs the body only when context.json says sign_body, and
 * then as signed_body_value or its SHA-256; else the empty body's hash.
 */
static const char *
payload_hash(const struct signed_case *sc, const struct rawreq *rq,
    char hash[65])
{
	const char *v = json_string_value(json_object_get(sc->ctx,
	    "signed_body_value"));

	if (v != NULL)
		return v;
	if (json_is_true(json_object_get(sc->ctx, "sign_body")))
		sigv4_sha256_hex(rq->body, rq->bodylen, hash);
	else
		sigv4_sha256_hex("", 0, hash);
	return hash;
}

static void
compare(const struct signed_case *sc, const struct sigv4_trace *t,
    const char *how, const char *sent)
{
	if (sc->creq != NULL)
		is(buf_str(&t->canonical_request), sc->creq,
		    "%s/%s: %s gives the published canonical request",
		    sc->name, sc->mode, how);
	if (sc->sts != NULL)
		is(buf_str(&t->string_to_sign), sc->sts,
		    "%s/%s: and the published string to sign", sc->name,
		    sc->mode);
	if (sc->sig != NULL)
		is(t->signature, sc->sig, "%s/%s: and the published signature",
		    sc->name, sc->mode);
	is(t->signature, sent, "%s/%s: and the signature the request carries",
	    sc->name, sc->mode);
}

/*
 * An aws-c-auth case (context.json, MODE-signed-request.txt and whichever
 * of the canonical request, string to sign and signature it has). Its
 * request is as signed, so it is read as a verifier reads a request: the
 * signature taken off, only the headers it names as signed kept (aws-c-auth
 * adds an unsigned X-Amz-Date header in query mode), and signed again,
 * headers or query parameters and all. A case with X-Amz-Expires is also
 * presigned afresh from the request without any X-Amz-* parameter.
 */
static void
check_signed_case(const char *dir, const char *name, const char *mode)
{
	struct signed_case sc = { name, mode, NULL, NULL, NULL, NULL,
	    { NULL, NULL, NULL }, { 0 } };
	struct sigv4_trace trace;
	struct sigv4_request r;
	struct rawreq rq;
	struct buf out = BUF_INIT;
	char file[256], hash[65], *sent = NULL;
	const char *list;
	int query = strcmp(mode, "query") == 0;

	snprintf(file, sizeof(file), "%s-signed-request.txt", mode);
	if (read_request(dir, file, &rq) == -1)
		return;
	if (load_signed_case(dir, &sc) == -1) {
		ok(0, "%s/%s: context.json readable", name, mode);
		goto out;
	}
	if (query) {
		sent = drop_params(&rq, "X-Amz-Signature");
		list = param(&rq, "X-Amz-SignedHeaders");
	} else {
		const char *a = drop_header(&rq, "Authorization");

		list = a ? strstr(a, "SignedHeaders=") : NULL;
		if (list != NULL) {
			list += strlen("SignedHeaders=");
			sent = xstrdup(strstr(a, "Signature=") ?
			    strstr(a, "Signature=") + strlen("Signature=") :
			    "");
		}
	}
	if (sent == NULL || list == NULL) {
		ok(0, "%s/%s: the signed request names its signature", name,
		    mode);
		goto out;
	}
	keep_signed_headers(&rq, list, strcspn(list, ","));
	request_from(&rq, &r);
	r.region = json_string_value(json_object_get(sc.ctx, "region"));
	r.service = json_string_value(json_object_get(sc.ctx, "service"));
	r.when = timegm(&sc.tm);
	r.normalize_path = json_is_true(json_object_get(sc.ctx, "normalize"));
	r.payload_hash = payload_hash(&sc, &rq, hash);
	memset(&trace, 0, sizeof(trace));
	sigv4_sign_headers(NULL, &r, &sc.cred, &out, NULL, &trace);
	compare(&sc, &trace, "the request as received", sent);
	sigv4_trace_free(&trace);

	r.expires = (long)json_integer_value(json_object_get(sc.ctx,
	    "expiration_in_seconds"));
	if (query && r.expires != 0) {
		free(drop_params(&rq, NULL));
		r.nparams = rq.np;
		memset(&trace, 0, sizeof(trace));
		buf_reset(&out);
		sigv4_presign(NULL, &r, &sc.cred, &out, &trace);
		compare(&sc, &trace, "presigning the request unsigned", sent);
		sigv4_trace_free(&trace);
	}
out:
	buf_free(&out);
	free(sent);
	free_signed_case(&sc);
	rawreq_free(&rq);
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(void)
{
	const char *tests = getenv("TESTS_DIR");
	char suite[1024], dir[1280], req[1600], *names[256];
	struct dirent *d;
	size_t n = 0, i, aws = 0;
	DIR *dp;
	FILE *f;

	snprintf(suite, sizeof(suite), "%s/vectors/sigv4-suite",
	    tests ? tests : "tests");
	if ((dp = opendir(suite)) == NULL) {
		ok(0, "open the suite directory");
		return tap_done();
	}
	while ((d = readdir(dp)) != NULL && n < 256)
		if (d->d_name[0] != '.' && strchr(d->d_name, '.') == NULL)
			names[n++] = xstrdup(d->d_name);
	closedir(dp);
	qsort(names, n, sizeof(names[0]), cmp);
	for (i = 0; i < n; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", suite, names[i]);
		snprintf(req, sizeof(req), "%s/%s.req", dir, names[i]);
		if ((f = fopen(req, "rb")) != NULL) {
			fclose(f);
			check_suite_case(dir, names[i]);
			aws++;
		}
		check_signed_case(dir, names[i], "header");
		check_signed_case(dir, names[i], "query");
		free(names[i]);
	}
	ok(aws == 31, "all 31 cases of AWS's suite were run (%zu)", aws);
	return tap_done();
}
