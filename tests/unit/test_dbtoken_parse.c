/* Reading tokens back: every botocore vector parses to its inputs and
 * verifies with its secret; hostile input is refused with a message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "sigv4/dbtoken.h"
#include "tests/tap.h"

static void
test_vectors_parse_to_their_inputs_and_verify(void)
{
	const char *tests = getenv("TESTS_DIR");
	char path[1024], line[16384];
	int n = 0, good = 0, wrong_secret_refused = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/vectors/tokens.jsonl",
	    tests ? tests : "tests");
	if ((f = fopen(path, "r")) == NULL) {
		ok(0, "open tokens.jsonl");
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		json_t *v = json_loads(line, 0, NULL);
		struct dbtoken_info t;
		struct err e;
		struct tm tm;
		const char *engine = json_string_value(json_object_get(v,
		    "engine"));
		int dsql = strcmp(engine, "dsql") == 0, match;

		n++;
		memset(&tm, 0, sizeof(tm));
		strptime(json_string_value(json_object_get(v, "signing_time")),
		    "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (dbtoken_parse(json_string_value(json_object_get(v,
		    "token")), &t, &e) == -1) {
			ok(0, "line %d parses: %.200s", n, e.msg);
			json_decref(v);
			continue;
		}
		match = strcmp(t.host, json_string_value(json_object_get(v,
		    "host"))) == 0 &&
		    t.port == (unsigned)json_integer_value(json_object_get(v,
		    "port")) &&
		    (dsql ? t.user == NULL : t.user != NULL &&
		    strcmp(t.user, json_string_value(json_object_get(v,
		    "user"))) == 0) &&
		    strcmp(t.region, json_string_value(json_object_get(v,
		    "region"))) == 0 &&
		    strcmp(t.access_key_id, json_string_value(json_object_get(v,
		    "access_key_id"))) == 0 &&
		    t.session_token == !json_is_null(json_object_get(v,
		    "session_token")) &&
		    t.signed_at == timegm(&tm) &&
		    t.expires == (long)json_integer_value(json_object_get(v,
		    "expires")) &&
		    strcmp(t.service, dsql ? "dsql" : "rds-db") == 0;
		if (match && dbtoken_signature_ok(&t,
		    json_string_value(json_object_get(v, "secret_access_key"))))
			good++;
		else
			ok(0, "line %d: fields and signature", n);
		if (!dbtoken_signature_ok(&t, "not-the-secret"))
			wrong_secret_refused++;
		dbtoken_info_free(&t);
		json_decref(v);
	}
	fclose(f);
	ok(n >= 300 && good == n, "%d of %d vectors read back to their inputs "
	    "and verify", good, n);
	ok(wrong_secret_refused == n, "%d of %d refuse another secret",
	    wrong_secret_refused, n);
}

static const char good_token[] =
    "prod-instance.us-east-1.rds.amazonaws.com:3306/?Action=connect&"
    "DBUser=someusername&X-Amz-Algorithm=AWS4-HMAC-SHA256&"
    "X-Amz-Credential=akid%2F20161107%2Fus-east-1%2Frds-db%2Faws4_request&"
    "X-Amz-Date=20161107T173933Z&X-Amz-Expires=900&"
    "X-Amz-SignedHeaders=host&X-Amz-Signature="
    "d1138cdbc0ca63eec012ec0fc6c2267e03642168f5884a7795320d4c18374c61";

/* The good token with one piece replaced. */
static char *
edit(const char *from, const char *to)
{
	struct buf b = BUF_INIT;
	const char *at = strstr(good_token, from);

	buf_add(&b, good_token, (size_t)(at - good_token));
	buf_adds(&b, to);
	buf_adds(&b, at + strlen(from));
	return b.data;
}

static void
test_tampering_breaks_the_signature(void)
{
	static const struct {
		const char *from, *to, *what;
	} cases[] = {
		{ "DBUser=someusername", "DBUser=admin", "another user" },
		{ "prod-instance", "prod-instanc3", "another host" },
		{ ":3306/", ":3307/", "another port" },
		{ "X-Amz-Expires=900", "X-Amz-Expires=899", "another expiry" },
		{ "T173933Z", "T173934Z", "another time" },
		{ "us-east-1%2Frds-db", "us-east-2%2Frds-db", "another region" },
	};
	struct dbtoken_info t;
	struct err e;
	size_t i;

	ok(dbtoken_parse(good_token, &t, &e) == 0 &&
	    dbtoken_signature_ok(&t, "skid"), "the published token verifies");
	dbtoken_info_free(&t);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *tok = edit(cases[i].from, cases[i].to);
		int parsed = dbtoken_parse(tok, &t, &e) == 0;

		ok(!parsed || !dbtoken_signature_ok(&t, "skid"),
		    "%s does not verify", cases[i].what);
		if (parsed)
			dbtoken_info_free(&t);
		free(tok);
	}
}

static void
test_hostile_tokens_are_refused_with_a_message(void)
{
	static const struct {
		const char *from, *to, *what;
	} cases[] = {
		{ "/?", "?", "no '/?'" },
		{ "DBUser=someusername", "DBUser=some%2", "truncated escape" },
		{ "DBUser=someusername", "DBUser=a%00b", "escaped NUL" },
		{ "DBUser=someusername", "DBUser=a%zzb", "bad escape" },
		{ "DBUser=someusername", "DBUser=a+b", "'+' for space" },
		{ "DBUser=someusername", "DBUser=a&DBUser=b", "DBUser twice" },
		{ "Action=connect&", "", "no Action" },
		{ "&X-Amz-Expires=900", "", "no X-Amz-Expires" },
		{ "X-Amz-Expires=900", "X-Amz-Expires=-1", "negative expiry" },
		{ "X-Amz-Expires=900", "X-Amz-Expires=9e9", "odd expiry" },
		{ "X-Amz-Date=20161107T173933Z", "X-Amz-Date=20161399T000000Z",
		    "impossible date" },
		{ "akid%2F20161107", "akid%2F20161108", "scope date differs" },
		{ "%2Faws4_request", "%2Faws5_request", "bad scope" },
		{ "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1", "other algorithm" },
		{ ":3306/", ":0/", "port 0" },
		{ ":3306/", ":70000/", "port 70000" },
		{ ":3306/", ":33a6/", "port with a letter" },
		{ "prod-instance", "prod instance", "space in host" },
		{ "Signature=d1138cdb", "Signature=D1138CDB", "upper-case hex" },
		{ "74c61", "74c6", "short signature" },
		{ "&X-Amz-Signature=", "&X-Amz-Signature=00&X-Amz-Signature=",
		    "two signatures" },
		{ "74c61", "74c61&", "trailing '&'" },
		{ "Action=connect", "=connect", "empty name" },
		{ "Action=connect", "Action", "parameter without '='" },
	};
	struct dbtoken_info t;
	struct err e;
	struct buf big = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *tok = edit(cases[i].from, cases[i].to);

		memset(&e, 0, sizeof(e));
		ok(dbtoken_parse(tok, &t, &e) == -1 && e.kind == ERR_USAGE &&
		    strncmp(e.msg, "malformed token", 15) == 0,
		    "%s is refused", cases[i].what);
		free(tok);
	}
	ok(dbtoken_parse("", &t, &e) == -1, "empty input is refused");
	while (big.len < 9000)
		buf_adds(&big, good_token);
	ok(dbtoken_parse(big.data, &t, &e) == -1 && strstr(e.msg, "too long"),
	    "more than 8 KiB is refused");
	buf_free(&big);
}

int
main(void)
{
	test_vectors_parse_to_their_inputs_and_verify();
	test_tampering_breaks_the_signature();
	test_hostile_tokens_are_refused_with_a_message();
	return tap_done();
}
