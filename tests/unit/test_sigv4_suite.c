/*
 * The AWS SigV4 test suite (tests/vectors/sigv4-suite): each case's
 * canonical request is taken apart into method, path, query parameters and
 * headers, signed again, and the canonical request, string to sign and
 * signature must come out byte for byte as AWS published them.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "sigv4/sigv4.h"
#include "tests/tap.h"

static char *
slurp(const char *dir, const char *name)
{
	char path[1024];
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
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

/* The signature a case publishes, in whichever file it has. */
static char *
published_signature(const char *dir, const char *kind)
{
	char name[64], *text, *p, *sig = NULL;

	snprintf(name, sizeof(name), "%s-signature.txt", kind);
	if ((text = slurp(dir, name)) != NULL) {
		text[strcspn(text, "\r\n")] = '\0';
		return text;
	}
	snprintf(name, sizeof(name), "%s-signed-request.txt", kind);
	if ((text = slurp(dir, name)) == NULL)
		return NULL;
	p = strstr(text, strcmp(kind, "query") == 0 ? "X-Amz-Signature=" :
	    "Signature=");
	if (p != NULL) {
		p = strchr(p, '=') + 1;
		sig = xstrndup(p, strspn(p, "0123456789abcdef"));
	}
	free(text);
	return sig;
}

static void
check_case(const char *dir, const char *name, const char *kind)
{
	char file[64], *creq, *sts, *sig, *line, *save = NULL, *copy;
	struct sigv4_param params[64];
	struct sigv4_header headers[64];
	struct sigv4_request r;
	struct sigv4_credentials cred;
	struct sigv4_trace trace;
	struct buf auth = BUF_INIT;
	size_t np = 0, nh = 0, i;
	json_t *ctx, *c;
	struct tm tm;
	char *ctx_text;

	snprintf(file, sizeof(file), "%s-canonical-request.txt", kind);
	if ((creq = slurp(dir, file)) == NULL)
		return;
	snprintf(file, sizeof(file), "%s-string-to-sign.txt", kind);
	sts = slurp(dir, file);
	sig = published_signature(dir, kind);
	ctx_text = slurp(dir, "context.json");
	ctx = ctx_text ? json_loads(ctx_text, 0, NULL) : NULL;
	free(ctx_text);
	if (ctx == NULL || sts == NULL) {
		ok(0, "%s/%s: case files readable", name, kind);
		goto out;
	}
	c = json_object_get(ctx, "credentials");
	cred.access_key_id = json_string_value(json_object_get(c,
	    "access_key_id"));
	cred.secret_access_key = json_string_value(json_object_get(c,
	    "secret_access_key"));
	cred.session_token = json_string_value(json_object_get(c, "token"));
	memset(&tm, 0, sizeof(tm));
	strptime(json_string_value(json_object_get(ctx, "timestamp")),
	    "%Y-%m-%dT%H:%M:%SZ", &tm);

	memset(&r, 0, sizeof(r));
	r.region = json_string_value(json_object_get(ctx, "region"));
	r.service = json_string_value(json_object_get(ctx, "service"));
	r.when = timegm(&tm);

	/* method \n path \n query \n headers... \n\n signed \n payload */
	copy = xstrdup(creq);
	r.method = strtok_r(copy, "\n", &save);
	line = strtok_r(NULL, "\n", &save);
	r.path = decode(line, strlen(line));
	line = save;
	save = strchr(line, '\n');
	*save++ = '\0';
	{
		char *pair, *psave = NULL;

		for (pair = strtok_r(line, "&", &psave); pair != NULL &&
		    np < 64; pair = strtok_r(NULL, "&", &psave)) {
			char *eq = strchr(pair, '=');

			params[np].key = decode(pair, eq ? (size_t)(eq - pair) :
			    strlen(pair));
			params[np].value = eq ? decode(eq + 1, strlen(eq + 1)) :
			    xstrdup("");
			np++;
		}
	}
	while (*save != '\n' && nh < 64) {
		char *end = strchr(save, '\n'), *colon = strchr(save, ':');

		*end = '\0';
		*colon = '\0';
		headers[nh].name = save;
		headers[nh].value = colon + 1;
		nh++;
		save = end + 1;
	}
	save++;
	save = strchr(save, '\n') + 1;		/* signed headers line */
	r.payload_hash = save;
	r.params = params;
	r.nparams = np;
	r.headers = headers;
	r.nheaders = nh;

	memset(&trace, 0, sizeof(trace));
	sigv4_sign_headers(NULL, &r, &cred, &auth, NULL, &trace);
	is(buf_str(&trace.canonical_request), creq,
	    "%s/%s: canonical request", name, kind);
	is(buf_str(&trace.string_to_sign), sts, "%s/%s: string to sign",
	    name, kind);
	if (sig != NULL)
		is(trace.signature, sig, "%s/%s: signature", name, kind);
	sigv4_trace_free(&trace);
	buf_free(&auth);
	for (i = 0; i < np; i++) {
		free((char *)params[i].key);
		free((char *)params[i].value);
	}
	free((char *)r.path);
	free(copy);
out:
	json_decref(ctx);
	free(creq);
	free(sts);
	free(sig);
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
	char suite[1024], dir[2048], *names[256];
	struct dirent *d;
	size_t n = 0, i;
	DIR *dp;

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
	ok(n >= 20, "suite has %zu cases", n);
	for (i = 0; i < n; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", suite, names[i]);
		check_case(dir, names[i], "query");
		check_case(dir, names[i], "header");
		free(names[i]);
	}
	return tap_done();
}
