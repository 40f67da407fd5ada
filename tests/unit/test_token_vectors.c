/*
 * Every token in tests/vectors/tokens.jsonl was produced by botocore; iamdb
 * must produce each byte for byte, with a fresh signer and with one signer
 * reused across all of them (as a long-running caller would). So must the
 * other stores' tokens: elasticache.jsonl, memorydb.jsonl, eks.jsonl and
 * msk.jsonl (gen_services.py, with the published vectors first).
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

static time_t
signing_time(json_t *v)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	strptime(json_string_value(json_object_get(v, "signing_time")),
	    "%Y-%m-%dT%H:%M:%SZ", &tm);
	return timegm(&tm);
}

static const char *
str(json_t *v, const char *key)
{
	return json_string_value(json_object_get(v, key));
}

/* One of the other stores' files: each line's token, byte for byte, with
 * a fresh and a reused signer; the count of lines made. */
static int
store_vectors(const char *tests, const char *file, const char *engine,
    struct sigv4_signer *signer, int *total)
{
	const struct service *svc = service_find(engine);
	char path[1024], line[16384];
	int lineno = 0, good = 0, made_here = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/vectors/%s", tests, file);
	if ((f = fopen(path, "r")) == NULL) {
		ok(0, "open %s", file);
		return 0;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		json_error_t jerr;
		json_t *v = json_loads(line, 0, &jerr);
		struct dbtoken_target t;
		struct sigv4_credentials c;
		struct buf a = BUF_INIT, b = BUF_INIT;
		struct err e;
		int made;

		lineno++;
		if (v == NULL) {
			ok(0, "%s line %d parses: %s", file, lineno, jerr.text);
			continue;
		}
		memset(&t, 0, sizeof(t));
		t.service = svc;
		t.host = str(v, svc->family == FAMILY_KUBERNETES ? "cluster" :
		    "host");
		if (svc->family == FAMILY_KAFKA)
			t.host = NULL;
		t.user = str(v, "user");
		t.region = str(v, "region");
		t.expires = (long)json_integer_value(json_object_get(v,
		    "expires"));
		t.when = signing_time(v);
		t.serverless = json_is_true(json_object_get(v, "serverless"));
		t.user_agent = str(v, "user_agent");
		c.access_key_id = str(v, "access_key_id");
		c.secret_access_key = str(v, "secret_access_key");
		c.session_token = str(v, "session_token");

		/* X-Amz-Expires 0 (an EKS vector) pins the construction;
		 * iamdb makes tokens that live at least a second. */
		if (t.expires < 1) {
			ok(dbtoken_make(NULL, &t, &c, &a, &e) == -1 &&
			    e.kind == ERR_USAGE && a.len == 0, "%s line %d: "
			    "expiry %ld refused", file, lineno, t.expires);
			json_decref(v);
			continue;
		}
		made_here++;
		made = dbtoken_make(NULL, &t, &c, &a, &e) == 0 &&
		    strcmp(a.data, str(v, "token")) == 0 &&
		    dbtoken_make(signer, &t, &c, &b, &e) == 0 &&
		    strcmp(b.data, str(v, "token")) == 0;
		if (made)
			good++;
		else
			is(a.len ? a.data : e.msg, str(v, "token"), "%s line %d",
			    file, lineno);
		buf_free(&a);
		buf_free(&b);
		json_decref(v);
	}
	fclose(f);
	ok(lineno > 0 && good == made_here, "%s: %d of %d tokens equal "
	    "botocore's, fresh and reused signer", file, good, made_here);
	*total += made_here;
	return good;
}

/* Endpoints the cache's name is taken from, and those it cannot be. */
static void
names_from_endpoints(void)
{
	static const struct {
		const char *engine, *host, *name;
		int serverless;
	} cases[] = {
		{ "elasticache", "my-rg", "my-rg", 0 },
		{ "elasticache", "master.my-rg.abc123.use1.cache.amazonaws.com",
		  "my-rg", 0 },
		{ "elasticache", "replica.my-rg.abc123.use1.cache.amazonaws.com",
		  "my-rg", 0 },
		{ "elasticache",
		  "clustercfg.my-rg.abc123.euw1.cache.amazonaws.com", "my-rg",
		  0 },
		{ "elasticache", "my-rg.abc123.ng.0001.use1.cache.amazonaws.com",
		  "my-rg", 0 },
		{ "elasticache",
		  "my-cache-abc123.serverless.use1.cache.amazonaws.com",
		  "my-cache", 1 },
		{ "elasticache",
		  "master.cn-rg.abc123.cnn1.cache.amazonaws.com.cn", "cn-rg", 0 },
		{ "memorydb",
		  "clustercfg.my-cluster.abc123.memorydb.us-east-1.amazonaws.com",
		  "my-cluster", 0 },
		/* a node, a reader of an old-style group, not AWS at all */
		{ "elasticache",
		  "my-rg-0001-001.abc123.0001.use1.cache.amazonaws.com", NULL, 0 },
		{ "elasticache", "my-rg-ro.abc123.ng.0001.use1.cache.amazonaws.com",
		  NULL, 0 },
		{ "elasticache", "redis.example.com", NULL, 0 },
		{ "elasticache", "127.0.0.1", NULL, 0 },
		{ "memorydb",
		  "my-cluster-0001-001.abc123.memorydb.us-east-1.amazonaws.com",
		  NULL, 0 },
		{ "memorydb", "master.my-rg.abc123.use1.cache.amazonaws.com",
		  NULL, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct err e = { 0 };
		int serverless = -1;
		char *name = service_name_from(service_find(cases[i].engine),
		    cases[i].host, &serverless, &e);

		if (cases[i].name != NULL)
			ok(name != NULL && strcmp(name, cases[i].name) == 0 &&
			    serverless == cases[i].serverless, "%s %s names %s%s",
			    cases[i].engine, cases[i].host, cases[i].name,
			    cases[i].serverless ? " (serverless)" : "");
		else
			ok(name == NULL && e.kind == ERR_USAGE &&
			    strstr(e.msg, cases[i].host) != NULL,
			    "%s %s: no name, and the message says so (%.200s)",
			    cases[i].engine, cases[i].host, e.msg);
		free(name);
	}
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
	{
		int total = 0;

		store_vectors(tests ? tests : "tests", "elasticache.jsonl",
		    "elasticache", signer, &total);
		store_vectors(tests ? tests : "tests", "memorydb.jsonl",
		    "memorydb", signer, &total);
		store_vectors(tests ? tests : "tests", "eks.jsonl", "eks",
		    signer, &total);
		store_vectors(tests ? tests : "tests", "msk.jsonl", "msk",
		    signer, &total);
		ok(total >= 280, "%d other stores' vectors made", total);
	}
	names_from_endpoints();
	sigv4_signer_free(signer);
	ok(n >= 300, "%d botocore vectors to reproduce", n);
	ok(fresh_ok == n, "%d of %d tokens equal botocore's (fresh signer)",
	    fresh_ok, n);
	ok(reused_ok == n, "%d of %d tokens equal botocore's (reused signer)",
	    reused_ok, n);
	return tap_done();
}
