/* Token construction details and the checks on its inputs. */
#include <string.h>

#include "sigv4/dbtoken.h"
#include "tests/tap.h"

static const struct sigv4_credentials cred = { "akid", "skid", NULL };

static struct dbtoken_target
target(void)
{
	struct dbtoken_target t = {
		service_find("mysql"), "prod-instance.us-east-1.rds.amazonaws.com", 3306,
		"someusername", "us-east-1", 900, 1478540373, 0, NULL
	};

	return t;
}

static int
make(const struct dbtoken_target *t, const struct sigv4_credentials *c,
    struct buf *out, struct err *e)
{
	buf_reset(out);
	memset(e, 0, sizeof(*e));
	return dbtoken_make(NULL, t, c, out, e);
}

static void
test_published_botocore_vector(void)
{
	struct dbtoken_target t = target();
	struct buf b = BUF_INIT;
	struct err e;

	ok(make(&t, &cred, &b, &e) == 0, "published vector signs");
	is(b.data, "prod-instance.us-east-1.rds.amazonaws.com:3306/?"
	    "Action=connect&DBUser=someusername&"
	    "X-Amz-Algorithm=AWS4-HMAC-SHA256&"
	    "X-Amz-Credential=akid%2F20161107%2Fus-east-1%2Frds-db%2F"
	    "aws4_request&X-Amz-Date=20161107T173933Z&X-Amz-Expires=900&"
	    "X-Amz-SignedHeaders=host&X-Amz-Signature="
	    "d1138cdbc0ca63eec012ec0fc6c2267e03642168f5884a7795320d4c18374c61",
	    "token equals botocore's published one");
	buf_free(&b);
}

static void
test_signer_reuse_tracks_inputs(void)
{
	struct sigv4_signer *s = sigv4_signer_new();
	struct dbtoken_target t = target();
	struct sigv4_credentials other = { "akid", "other", NULL };
	struct buf a = BUF_INIT, b = BUF_INIT, c = BUF_INIT;
	struct err e;

	dbtoken_make(s, &t, &cred, &a, &e);
	dbtoken_make(s, &t, &other, &b, &e);
	make(&t, &other, &c, &e);
	is(b.data, c.data, "a reused signer re-derives for a new secret");
	t.region = "eu-west-1";
	buf_reset(&b);
	buf_reset(&c);
	dbtoken_make(s, &t, &cred, &b, &e);
	make(&t, &cred, &c, &e);
	is(b.data, c.data, "... and for a new region");
	t.when += 86400;
	buf_reset(&b);
	buf_reset(&c);
	dbtoken_make(s, &t, &cred, &b, &e);
	make(&t, &cred, &c, &e);
	is(b.data, c.data, "... and for a new day");
	sigv4_signer_free(s);
	buf_free(&a);
	buf_free(&b);
	buf_free(&c);
}

static void
test_dsql_tokens(void)
{
	struct dbtoken_target t = target();
	struct buf b = BUF_INIT;
	struct err e;

	t.service = service_find("dsql");
	t.host = "abc.dsql.us-east-1.on.aws";
	t.user = "admin";
	t.expires = 604800;
	ok(make(&t, &cred, &b, &e) == 0, "DSQL accepts a week");
	ok(strncmp(b.data, "abc.dsql.us-east-1.on.aws/?Action=DbConnectAdmin&"
	    "X-Amz-Algorithm", 64) == 0, "admin gets DbConnectAdmin, no port");
	ok(strstr(b.data, "%2Fdsql%2Faws4_request") != NULL,
	    "signed for service dsql");
	t.user = "app_user";
	make(&t, &cred, &b, &e);
	ok(strstr(b.data, "Action=DbConnect&") != NULL &&
	    strstr(b.data, "DBUser") == NULL, "others get DbConnect");
	t.expires = 604801;
	ok(make(&t, &cred, &b, &e) == -1 && e.kind == ERR_USAGE,
	    "DSQL refuses more than a week");
	buf_free(&b);
}

static void
test_port_443_is_kept_in_token_dropped_from_host(void)
{
	struct dbtoken_target t = target();
	struct buf b = BUF_INIT;
	struct err e;

	t.port = 443;
	t.host = "DB.Example.COM";
	make(&t, &cred, &b, &e);
	ok(strncmp(b.data, "DB.Example.COM:443/?", 20) == 0,
	    "token keeps the host's case and port 443");
	buf_free(&b);
}

static void
test_session_token_is_encoded(void)
{
	struct sigv4_credentials c = { "ASIAX", "s", "ab/cd+ef==" };
	struct dbtoken_target t = target();
	struct buf b = BUF_INIT;
	struct err e;

	make(&t, &c, &b, &e);
	ok(strstr(b.data, "&X-Amz-SignedHeaders=host&"
	    "X-Amz-Security-Token=ab%2Fcd%2Bef%3D%3D&X-Amz-Signature=") != NULL,
	    "session token percent-encoded, after SignedHeaders");
	buf_free(&b);
}

static void
test_bad_inputs_are_refused(void)
{
	static const char *const bad_hosts[] = {
		"", "a/b", "a?b", "a#b", "user@host", "a b", "-lead", ".lead",
		"[::1", "[zz]", "host:5432",
	};
	static const char *const bad_users[] = {
		"", "a\nb", "tab\there", "\x7f", "\xff", "\xc0\xaf",
		"\xed\xa0\x80", "\xe6\x97",
	};
	static const char *const bad_regions[] = {
		"", "US-EAST-1", "us_east_1", "us-east-1/x", "a b",
	};
	struct dbtoken_target t;
	struct buf b = BUF_INIT;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(bad_hosts) / sizeof(bad_hosts[0]); i++) {
		t = target();
		t.host = bad_hosts[i];
		ok(make(&t, &cred, &b, &e) == -1 && e.kind == ERR_USAGE &&
		    b.len == 0, "host '%s' refused", bad_hosts[i]);
	}
	for (i = 0; i < sizeof(bad_users) / sizeof(bad_users[0]); i++) {
		t = target();
		t.user = bad_users[i];
		ok(make(&t, &cred, &b, &e) == -1 && e.kind == ERR_USAGE,
		    "bad user %zu refused", i);
	}
	for (i = 0; i < sizeof(bad_regions) / sizeof(bad_regions[0]); i++) {
		t = target();
		t.region = bad_regions[i];
		ok(make(&t, &cred, &b, &e) == -1 && e.kind == ERR_USAGE,
		    "region '%s' refused", bad_regions[i]);
	}
	t = target();
	t.port = 0;
	ok(make(&t, &cred, &b, &e) == -1, "port 0 refused");
	t.port = 65536;
	ok(make(&t, &cred, &b, &e) == -1, "port 65536 refused");
	t = target();
	t.expires = 901;
	ok(make(&t, &cred, &b, &e) == -1 && strstr(e.msg, "900") != NULL,
	    "RDS refuses more than 900 s");
	t.expires = 0;
	ok(make(&t, &cred, &b, &e) == -1, "expiry 0 refused");
	t = target();
	{
		struct sigv4_credentials half = { "akid", "", NULL };

		ok(make(&t, &half, &b, &e) == -1 &&
		    e.kind == ERR_CREDENTIALS, "empty secret refused");
	}
	t.host = "[fd00::1]";
	ok(make(&t, &cred, &b, &e) == 0 &&
	    strncmp(b.data, "[fd00::1]:3306/?", 16) == 0,
	    "bracketed IPv6 literal accepted");
	t.user = "j\xc3\xbcrgen \xe6\x97\xa5@x+y/z=%:";
	ok(make(&t, &cred, &b, &e) == 0 && strstr(b.data,
	    "DBUser=j%C3%BCrgen%20%E6%97%A5%40x%2By%2Fz%3D%25%3A&") != NULL,
	    "UTF-8 and reserved characters in user names are encoded");
	buf_free(&b);
}

int
main(void)
{
	test_published_botocore_vector();
	test_signer_reuse_tracks_inputs();
	test_dsql_tokens();
	test_port_443_is_kept_in_token_dropped_from_host();
	test_session_token_is_encoded();
	test_bad_inputs_are_refused();
	return tap_done();
}
