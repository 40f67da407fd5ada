/*
 * Every token in tests/vectors/tokens.jsonl was produced by botocore; iamdb
 * must produce each byte for byte, with a fresh signer and with one signer
 * reused across all of them (as a long-running caller would).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "sigv4/dbtoken.h"
#include "tests/tap.h"

static const struct service *
engine(const char *name)
{
	return service_find(name);
}

int
main(void)
{
	const char *tests = getenv("TESTS_DIR");
	struct sigv4_signer *signer = sigv4_signer_new();
	char path[1024], line[16384];
	int n = 0, lineno = 0, fresh_ok = 0, reused_ok = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/vectors/tokens.jsonl",
	    tests ? tests : "tests");
	if ((f = fopen(path, "r")) == NULL) {
		ok(0, "open tokens.jsonl");
		return tap_done();
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		json_error_t jerr;
		json_t *v = json_loads(line, 0, &jerr);
		struct dbtoken_target t;
		struct sigv4_credentials c;
		struct buf a = BUF_INIT, b = BUF_INIT;
		struct err e;
		struct tm tm;
		const char *want;

		lineno++;
		if (v == NULL) {
			ok(0, "line %d parses: %s", lineno, jerr.text);
			continue;
		}
		n++;
		memset(&tm, 0, sizeof(tm));
		strptime(json_string_value(json_object_get(v, "signing_time")),
		    "%Y-%m-%dT%H:%M:%SZ", &tm);
		t.service = engine(json_string_value(json_object_get(v,
		    "engine")));
		t.host = json_string_value(json_object_get(v, "host"));
		t.port = (unsigned)json_integer_value(json_object_get(v,
		    "port"));
		t.user = json_string_value(json_object_get(v, "user"));
		t.region = json_string_value(json_object_get(v, "region"));
		t.expires = (long)json_integer_value(json_object_get(v,
		    "expires"));
		t.when = timegm(&tm);
		c.access_key_id = json_string_value(json_object_get(v,
		    "access_key_id"));
		c.secret_access_key = json_string_value(json_object_get(v,
		    "secret_access_key"));
		c.session_token = json_string_value(json_object_get(v,
		    "session_token"));
		want = json_string_value(json_object_get(v, "token"));

		/* botocore signs these, but RDS rejects them; so does iamdb. */
		if (t.expires > t.service->max_expires) {
			ok(dbtoken_make(NULL, &t, &c, &a, &e) == -1 &&
			    e.kind == ERR_USAGE && a.len == 0, "line %d: "
			    "RDS expiry %ld refused", lineno, t.expires);
			n--;
			json_decref(v);
			continue;
		}

		if (dbtoken_make(NULL, &t, &c, &a, &e) == 0 &&
		    strcmp(a.data, want) == 0)
			fresh_ok++;
		else
			is(a.len ? a.data : e.msg, want, "line %d (fresh "
			    "signer)", lineno);
		if (dbtoken_make(signer, &t, &c, &b, &e) == 0 &&
		    strcmp(b.data, want) == 0)
			reused_ok++;
		else
			is(b.len ? b.data : e.msg, want, "line %d (reused "
			    "signer)", lineno);
		buf_free(&a);
		buf_free(&b);
		json_decref(v);
	}
	fclose(f);
	sigv4_signer_free(signer);
	ok(n >= 300, "%d botocore vectors to reproduce", n);
	ok(fresh_ok == n, "%d of %d tokens equal botocore's (fresh signer)",
	    fresh_ok, n);
	ok(reused_ok == n, "%d of %d tokens equal botocore's (reused signer)",
	    reused_ok, n);
	return tap_done();
}
