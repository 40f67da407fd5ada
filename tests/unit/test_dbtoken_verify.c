/* The verification policy alone: each reason a database refuses a token,
 * at a fixed time, with the keys handed in. */
#include <string.h>

#include "sigv4/dbtoken.h"
#include "tests/tap.h"

#define HOST	"db.c9akciq32.eu-west-1.rds.amazonaws.com"
#define WHEN	1700000000

struct key {
	const char *akid, *secret, *token;
};

static int
lookup(void *arg, const char *akid, const char **secret, const char **token)
{
	const struct key *k = arg;

	for (; k->akid != NULL; k++)
		if (strcmp(k->akid, akid) == 0) {
			*secret = k->secret;
			*token = k->token;
			return 1;
		}
	return 0;
}

static const struct key keys[] = {
	{ "AKIDPLAIN", "plain/secret", NULL },
	{ "AKIDSESSION", "s2", "tok/en" },
	{ NULL, NULL, NULL }
};

/* Signs for engine/user/region with key k and parses the token back. */
static void
token(const char *engine, const char *host, const char *user,
    const char *region, const struct key *k, const char *session,
    time_t when, long expires, struct dbtoken_info *info)
{
	struct sigv4_credentials c = { k->akid, k->secret, session };
	struct dbtoken_target t;
	struct buf b = BUF_INIT;
	struct err e;

	memset(&t, 0, sizeof(t));
	t.service = service_find(engine);
	t.host = host;
	t.port = 5432;
	t.user = user;
	t.region = region;
	t.expires = expires;
	t.when = when;
	if (dbtoken_make(NULL, &t, &c, &b, &e) == -1 ||
	    dbtoken_parse(buf_str(&b), info, &e) == -1)
		ok(0, "making a token: %.400s", e.msg);
	buf_free(&b);
}

static struct dbtoken_policy
policy(void)
{
	struct dbtoken_policy p;

	memset(&p, 0, sizeof(p));
	p.service = service_find("postgres");
	p.host = HOST;
	p.port = 5432;
	p.user = "jane";
	p.region = "eu-west-1";
	p.now = WHEN + 10;
	p.skew = 300;
	return p;
}

/* Whether the policy refuses t for a reason that contains why. */
static int
refused(const struct dbtoken_info *t, const struct dbtoken_policy *p,
    const char *why)
{
	struct err e;

	memset(&e, 0, sizeof(e));
	if (dbtoken_verify(t, p, lookup, (void *)keys, &e) == 0)
		return 0;
	if (strstr(e.msg, why) == NULL) {
		printf("#   reason: %s\n", e.msg);
		return 0;
	}
	return 1;
}

static void
test_each_reason_for_refusal(void)
{
	struct dbtoken_policy p = policy();
	struct dbtoken_info t;
	struct err e;

	token("postgres", HOST, "jane", "eu-west-1", &keys[0], NULL, WHEN,
	    900, &t);
	ok(dbtoken_verify(&t, &p, lookup, (void *)keys, &e) == 0,
	    "a good token is accepted");
	p.user = "bob";
	ok(refused(&t, &p, "signed for user jane, not bob"), "another user");
	p = policy();
	p.port = 5433;
	ok(refused(&t, &p, "signed for another endpoint (" HOST ":5432), not "
	    "this one (" HOST ":5433)"), "another port");
	p = policy();
	p.host = "other.example";
	ok(refused(&t, &p, "signed for another endpoint"), "another host");
	p = policy();
	p.host = "DB.C9AKCIQ32.EU-WEST-1.RDS.AMAZONAWS.COM";
	ok(dbtoken_verify(&t, &p, lookup, (void *)keys, &e) == 0,
	    "host names compare without case");
	p = policy();
	p.region = "eu-west-2";
	ok(refused(&t, &p, "signed for region eu-west-1, not eu-west-2"),
	    "another region");
	p = policy();
	p.now = WHEN + 901;
	ok(refused(&t, &p, "expired"), "expired a second after its end");
	p.now = WHEN + 900;
	ok(dbtoken_verify(&t, &p, lookup, (void *)keys, &e) == 0,
	    "good to its last second");
	p = policy();
	p.now = WHEN - 301;
	ok(refused(&t, &p, "signed in the future"), "beyond the skew ahead");
	p.now = WHEN - 300;
	ok(dbtoken_verify(&t, &p, lookup, (void *)keys, &e) == 0,
	    "within the skew ahead");
	p = policy();
	p.service = service_find("dsql");
	ok(refused(&t, &p, "signed for service rds-db, not dsql"),
	    "another service");
	dbtoken_info_free(&t);

	token("postgres", HOST, "jane", "eu-west-1", &(struct key){
	    "AKIDNOBODY", "x", NULL }, NULL, WHEN, 900, &t);
	p = policy();
	ok(refused(&t, &p, "unknown access key AKIDNOBODY"), "an unknown key");
	dbtoken_info_free(&t);

	token("postgres", HOST, "jane", "eu-west-1", &(struct key){
	    "AKIDPLAIN", "wrong", NULL }, NULL, WHEN, 900, &t);
	ok(refused(&t, &p, "the signature does not match"), "another secret");
	dbtoken_info_free(&t);

	token("postgres", HOST, "jane", "eu-west-1", &keys[1], "tok/en", WHEN,
	    900, &t);
	ok(dbtoken_verify(&t, &p, lookup, (void *)keys, &e) == 0,
	    "the key's own session token is accepted");
	dbtoken_info_free(&t);
	token("postgres", HOST, "jane", "eu-west-1", &keys[1], "forged", WHEN,
	    900, &t);
	ok(refused(&t, &p, "the session token does not belong to key "
	    "AKIDSESSION"), "another session token");
	dbtoken_info_free(&t);
	token("postgres", HOST, "jane", "eu-west-1", &keys[1], NULL, WHEN,
	    900, &t);
	ok(refused(&t, &p, "the session token does not belong"),
	    "no session token where the key has one");
	dbtoken_info_free(&t);
	token("postgres", HOST, "jane", "eu-west-1", &keys[0], "extra", WHEN,
	    900, &t);
	ok(refused(&t, &p, "the session token does not belong"),
	    "a session token where the key has none");
	dbtoken_info_free(&t);
}

static void
test_dsql_checks_the_action_not_the_user(void)
{
	struct dbtoken_policy p = policy();
	struct dbtoken_info t;
	struct err e;

	p.service = service_find("dsql");
	p.host = "abc.dsql.us-east-1.on.aws";
	p.region = "us-east-1";
	p.user = "admin";
	token("dsql", p.host, "admin", "us-east-1", &keys[0], NULL, WHEN, 3600,
	    &t);
	ok(dbtoken_verify(&t, &p, lookup, (void *)keys, &e) == 0,
	    "an admin token for admin");
	p.port = 1;
	ok(dbtoken_verify(&t, &p, lookup, (void *)keys, &e) == 0,
	    "whatever the port: DSQL tokens have none");
	p.user = "app";
	ok(refused(&t, &p, "action DbConnectAdmin is not the one for this "
	    "user"), "an admin token for another user");
	dbtoken_info_free(&t);
}

static void
test_lint_names_the_usual_causes(void)
{
	struct dbtoken_info t;
	struct buf w = BUF_INIT;

	token("postgres", HOST, "jane", "eu-west-2", &keys[0], NULL, WHEN, 900,
	    &t);
	dbtoken_lint(&t, WHEN + 1000, "eu-west-1", "localhost", 5432, &w);
	ok(strstr(buf_str(&w), "expired 100 s ago\n") != NULL, "expired");
	ok(strstr(buf_str(&w), "signed for region eu-west-2, but the host is "
	    "in eu-west-1\n") != NULL, "the region");
	ok(strstr(buf_str(&w), "but the client connects to localhost:5432") !=
	    NULL, "the endpoint");
	buf_reset(&w);
	dbtoken_lint(&t, WHEN - 3600, NULL, NULL, 0, &w);
	ok(strstr(buf_str(&w), "signed 3600 s in the future") != NULL,
	    "the future");
	buf_reset(&w);
	dbtoken_lint(&t, WHEN + 10, "eu-west-2", HOST, 5432, &w);
	ok(w.len == 0, "nothing for a good token");
	buf_free(&w);
	dbtoken_info_free(&t);
}

int
main(void)
{
	test_each_reason_for_refusal();
	test_dsql_checks_the_action_not_the_user();
	test_lint_names_the_usual_causes();
	return tap_done();
}
