/*
 * The Redshift credential APIs as botocore calls them: every Redshift and
 * Redshift Serverless request in tests/vectors/api_requests.jsonl must
 * come out of redshift_body and api_sign byte for byte (body, headers,
 * Authorization); and what the answers say, errors and hostile ones too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "providers/awsapi.h"
#include "providers/credjson.h"
#include "providers/redshift.h"
#include "tests/tap.h"

/* The request a vector's params stand for. */
static void
request_of(json_t *v, struct redshift_request *r, const char **groups)
{
	json_t *p = json_object_get(v, "params"), *g, *a;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->serverless = strcmp(json_string_value(json_object_get(v,
	    "service")), "redshift-serverless") == 0;
	if (r->serverless) {
		r->cluster = json_string_value(json_object_get(p,
		    "workgroupName"));
		r->db_name = json_string_value(json_object_get(p, "dbName"));
		r->duration = (long)json_integer_value(json_object_get(p,
		    "durationSeconds"));
		return;
	}
	r->cluster = json_string_value(json_object_get(p,
	    "ClusterIdentifier"));
	r->db_user = json_string_value(json_object_get(p, "DbUser"));
	r->db_name = json_string_value(json_object_get(p, "DbName"));
	r->duration = (long)json_integer_value(json_object_get(p,
	    "DurationSeconds"));
	if ((a = json_object_get(p, "AutoCreate")) != NULL)
		r->auto_create = json_is_true(a) ? 1 : -1;
	g = json_object_get(p, "DbGroups");
	for (i = 0; i < json_array_size(g) && i < 8; i++)
		groups[i] = json_string_value(json_array_get(g, i));
	r->db_groups = groups;
	r->ngroups = i;
}

/* "Name: value" for each header the vector lists, and Authorization. */
static int
headers_match(json_t *want, const struct api_headers *h, const char *auth)
{
	const char *name;
	json_t *value;
	size_t i, n = 0;

	for (i = 0; h->list[i] != NULL; i++)
		if (strncmp(h->list[i], "Host: ", 6) != 0 &&
		    strncmp(h->list[i], "Authorization: ", 15) != 0)
			n++;
	if (n != json_object_size(want) ||
	    strcmp(buf_str(&h->authorization), auth) != 0)
		return 0;
	json_object_foreach(want, name, value) {
		char line[4096];
		int found = 0;

		snprintf(line, sizeof(line), "%s: %s", name,
		    json_string_value(value));
		for (i = 0; h->list[i] != NULL; i++)
			found |= strcmp(h->list[i], line) == 0;
		if (!found)
			return 0;
	}
	return 1;
}

static void
test_requests_are_botocore_s_byte_for_byte(void)
{
	const char *tests = getenv("TESTS_DIR");
	char path[1024], line[16384];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/vectors/api_requests.jsonl",
	    tests ? tests : "tests");
	if ((f = fopen(path, "r")) == NULL) {
		ok(0, "open api_requests.jsonl");
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		json_t *v = json_loads(line, 0, NULL);
		const char *service, *groups[8];
		struct redshift_request r;
		struct api_call call;
		struct api_headers h;
		struct credentials c;
		struct buf body = BUF_INIT, url = BUF_INIT;
		struct err e = { 0 };
		struct tm tm;

		if (v == NULL) {
			ok(0, "a vector line parses");
			continue;
		}
		service = json_string_value(json_object_get(v, "service"));
		if (strncmp(service, "redshift", 8) != 0) {
			json_decref(v);
			continue;
		}
		n++;
		request_of(v, &r, groups);
		redshift_body(&r, &body);
		memset(&tm, 0, sizeof(tm));
		strptime(json_string_value(json_object_get(v, "signing_time")),
		    "%Y-%m-%dT%H:%M:%SZ", &tm);
		memset(&c, 0, sizeof(c));
		c.access_key_id = (char *)json_string_value(json_object_get(v,
		    "access_key_id"));
		c.secret_access_key = (char *)json_string_value(
		    json_object_get(v, "secret_access_key"));
		c.session_token = (char *)json_string_value(json_object_get(v,
		    "session_token"));
		memset(&call, 0, sizeof(call));
		call.what = "Redshift";
		call.service = json_string_value(json_object_get(v,
		    "signing_name"));
		call.region = json_string_value(json_object_get(v,
		    "signing_region"));
		call.url = json_string_value(json_object_get(v, "url"));
		call.content_type = redshift_content_type(&r);
		call.target = redshift_target(&r);
		call.body = buf_str(&body);
		memset(&h, 0, sizeof(h));
		is(buf_str(&body), json_string_value(json_object_get(v, "body")),
		    "%s %s in %s: the body", service, redshift_operation(&r),
		    call.region);
		ok(api_sign(&call, &c, timegm(&tm), &h, &e) == 0 &&
		    headers_match(json_object_get(v, "headers"), &h,
		    json_string_value(json_object_get(v, "authorization"))),
		    "%s %s in %s: the headers and the signature", service,
		    redshift_operation(&r), call.region);
		is(redshift_operation(&r), json_string_value(json_object_get(v,
		    "operation")), "the operation follows from the user given");
		api_headers_free(&h);
		buf_free(&body);
		buf_free(&url);
		json_decref(v);
	}
	fclose(f);
	ok(n == 17, "all 17 Redshift vectors were checked (%d)", n);
}

static int
answer(int serverless, long status, const char *body,
    struct redshift_login *l, int *throttled, struct err *e)
{
	struct redshift_request r;

	memset(&r, 0, sizeof(r));
	r.serverless = serverless;
	r.cluster = "c";
	r.db_user = serverless ? NULL : "alice";
	memset(e, 0, sizeof(*e));
	return redshift_answer(&r, status, body, strlen(body), "Redshift X",
	    l, throttled, e);
}

static void
test_answers_give_the_user_password_and_expiration(void)
{
	struct redshift_login l;
	struct err e;
	int t;

	ok(answer(0, 200, "<GetClusterCredentialsResponse xmlns=\"http://"
	    "redshift.amazonaws.com/doc/2012-12-01/\"><GetClusterCredentials"
	    "Result><DbUser>IAM:alice</DbUser><Expiration>2026-12-03T07:00:00"
	    ".123Z</Expiration><DbPassword>p/w+d:1</DbPassword></GetCluster"
	    "CredentialsResult><ResponseMetadata><RequestId>x</RequestId>"
	    "</ResponseMetadata></GetClusterCredentialsResponse>", &l, &t,
	    &e) == 0, "a Query answer is read");
	is(l.user, "IAM:alice", "the user is the answer's, prefix and all");
	is(l.password, "p/w+d:1", "the password");
	ok(l.expiration == 1796281200, "the expiration, milliseconds dropped");
	redshift_login_free(&l);

	ok(answer(1, 200, "{\"dbPassword\": \"pw\", \"dbUser\": \"IAMR:ops\", "
	    "\"expiration\": 1796281200.5, \"nextRefreshTime\": 1796281200.5}",
	    &l, &t, &e) == 0, "a JSON 1.1 answer is read");
	is(l.user, "IAMR:ops", "its user");
	is(l.password, "pw", "its password");
	ok(l.expiration == 1796281200, "its expiration, in epoch seconds");
	redshift_login_free(&l);
}

static void
test_errors_name_code_and_message_and_throttling_is_retried(void)
{
	struct redshift_login l;
	struct err e;
	int t;

	ok(answer(0, 404, "<ErrorResponse><Error><Type>Sender</Type><Code>"
	    "ClusterNotFound</Code><Message>Cluster x not found.</Message>"
	    "</Error><RequestId>r</RequestId></ErrorResponse>", &l, &t, &e) ==
	    -1 && !t && e.kind == ERR_NETWORK, "ClusterNotFound fails, not "
	    "retried");
	is(e.msg, "Redshift X: HTTP 404 ClusterNotFound: Cluster x not found.",
	    "the message has AWS's code and words");
	ok(answer(0, 400, "<ErrorResponse><Error><Code>Throttling</Code>"
	    "<Message>Rate exceeded</Message></Error></ErrorResponse>", &l, &t,
	    &e) == -1 && t, "Throttling with 400 is retried");
	ok(answer(1, 400, "{\"__type\": \"com.amazonaws#ThrottlingException\","
	    " \"message\": \"slow\"}", &l, &t, &e) == -1 && t,
	    "ThrottlingException is retried");
	is(e.msg, "Redshift X: HTTP 400 ThrottlingException: slow",
	    "the code is what follows '#' in __type");
	ok(answer(1, 503, "", &l, &t, &e) == -1 && t, "an empty 503 is "
	    "retried");
	ok(answer(0, 403, "<ErrorResponse><Error><Code>SignatureDoesNotMatch"
	    "</Code><Message>bad\nThe Canonical String: secret-token\n</Message>"
	    "</Error></ErrorResponse>", &l, &t, &e) == -1 && !t &&
	    strstr(e.msg, "secret-token") == NULL, "only a message's first "
	    "line is quoted: the rest holds the request");
	ok(answer(0, 200, "<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>", &l, &t,
	    &e) == -1, "a DTD is refused");
	ok(answer(0, 200, "<R><DbUser>IAM:a</DbUser><Expiration>2026-12-03T07:"
	    "00:00Z</Expiration></R>", &l, &t, &e) == -1 &&
	    strstr(e.msg, "lacks") != NULL, "an answer without a password "
	    "fails");
	ok(answer(0, 200, "<R><DbUser>IAM:a&#10;x</DbUser><DbPassword>p"
	    "</DbPassword><Expiration>2026-12-03T07:00:00Z</Expiration></R>",
	    &l, &t, &e) == -1, "a user with a line break is refused");
	ok(answer(1, 200, "{\"dbUser\": \"u\", \"dbPassword\": \"p\", "
	    "\"expiration\": \"soon\"}", &l, &t, &e) == -1, "a JSON "
	    "expiration that is not a number is refused");
	ok(answer(1, 200, "[1]", &l, &t, &e) == -1, "JSON that is no object "
	    "is refused");
}

/* jansson's blocks (keys and tokens among them) are wiped when freed, by
 * an allocator set before main that needs nothing but malloc and free. */
static void
test_jansson_blocks_are_ours(void)
{
	json_malloc_t m;
	json_free_t f;
	size_t sizes[] = { 0, 1, 15, 16, 17, 4096 }, i;
	json_t *o;

	json_get_alloc_funcs(&m, &f);
	ok(m != NULL && f != NULL && m != malloc && f != free,
	    "jansson allocates through iamdb's wiping allocator from the "
	    "start");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned char *p = m(sizes[i]);

		ok(p != NULL && ((uintptr_t)p % _Alignof(max_align_t)) == 0,
		    "a block of %zu bytes, aligned for any type", sizes[i]);
		memset(p, 'k', sizes[i]);
		f(p);
	}
	o = json_pack("{s:s}", "SecretAccessKey", "wJalrXUtnFEMI/K7MDENG");
	ok(o != NULL, "jansson builds and frees documents with it");
	json_decref(o);
}

int
main(void)
{
	test_jansson_blocks_are_ours();
	test_requests_are_botocore_s_byte_for_byte();
	test_answers_give_the_user_password_and_expiration();
	test_errors_name_code_and_message_and_throttling_is_retried();
	return tap_done();
}
