/* Connection URLs as users write them, and everything else a user or a
 * script might hand iamdb as one. */
#include <stdlib.h>
#include <string.h>

#include "formats/url.h"
#include "tests/tap.h"

static int
parse(const char *s, struct dburl *u, struct err *e)
{
	memset(e, 0, sizeof(*e));
	return url_parse(s, u, e);
}

static void
test_a_full_url_is_taken_apart(void)
{
	struct dburl u;
	struct err e;

	ok(parse("postgres://jane@db.example.com:5433/app", &u, &e) == 0,
	    "a full URL parses");
	is(u.service->name, "postgres", "the scheme names the service");
	is(u.user, "jane", "the user");
	is(u.host, "db.example.com", "the host");
	ok(u.port == 5433, "the port");
	is(u.database, "app", "the database");
	ok(u.nparams == 0, "no parameters");
	url_free(&u);

	ok(parse("mysql://db.example.com", &u, &e) == 0 && u.user == NULL &&
	    u.port == 0 && u.database == NULL && strcmp(u.host,
	    "db.example.com") == 0, "only a host: the rest is absent");
	url_free(&u);
	ok(parse("mariadb://u@h/", &u, &e) == 0 && u.database == NULL,
	    "an empty path is no database");
	url_free(&u);
}

static void
test_schemes_name_services_whatever_their_case(void)
{
	static const char *const cases[][2] = {
		{ "postgres://h", "postgres" }, { "postgresql://h", "postgres" },
		{ "POSTGRES://h", "postgres" }, { "PostgreSQL://h", "postgres" },
		{ "mysql://h", "mysql" }, { "MySQL://h", "mysql" },
		{ "mariadb://h", "mariadb" }, { "dsql://h", "dsql" },
		{ "DSQL://h", "dsql" },
	};
	struct dburl u;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ok(parse(cases[i][0], &u, &e) == 0 && u.service != NULL &&
		    strcmp(u.service->name, cases[i][1]) == 0, "%s is %s",
		    cases[i][0], cases[i][1]);
		url_free(&u);
	}
	ok(parse("oracle://h", &u, &e) == -1 && e.kind == ERR_USAGE &&
	    strstr(e.msg, "is not a connection URL") != NULL,
	    "an unknown scheme is refused");
	ok(parse("db.example.com", &u, &e) == -1, "no scheme is refused");
	ok(parse("://h", &u, &e) == -1, "an empty scheme is refused");
	ok(parse("postgres:/h", &u, &e) == -1, "a scheme without // is refused");
}

static void
test_parts_are_percent_decoded(void)
{
	struct dburl u;
	struct err e;

	ok(parse("postgres://ja%40ne%3A%2F@h/my%20db", &u, &e) == 0,
	    "escaped user and database parse");
	is(u.user, "ja@ne:/", "the user is decoded");
	is(u.database, "my db", "the database is decoded");
	url_free(&u);
	ok(parse("postgres://a@b@h/d", &u, &e) == 0, "a raw @ in the user");
	is(u.user, "a@b", "the last @ ends the user");
	is(u.host, "h", "and begins the host");
	url_free(&u);
	ok(parse("postgres://J%C3%BCrgen@h", &u, &e) == 0 &&
	    strcmp(u.user, "J\xc3\xbcrgen") == 0, "UTF-8 in escapes");
	url_free(&u);
	ok(parse("postgres://u%zz@h", &u, &e) == -1 && strstr(e.msg,
	    "bad %-escape in the URL's user") != NULL, "%%zz is refused");
	ok(parse("postgres://u@h/d%4", &u, &e) == -1, "a cut escape is refused");
	ok(parse("postgres://u%00x@h", &u, &e) == -1,
	    "an escape that decodes to NUL is refused");
}

static void
test_a_password_is_refused(void)
{
	struct dburl u;
	struct err e;

	ok(parse("postgres://jane:secret@h/app", &u, &e) == -1 &&
	    strstr(e.msg, "carries a password") != NULL &&
	    strstr(e.msg, "secret") == NULL,
	    "a password is refused, and not repeated");
	ok(parse("postgres://jane:@h/app", &u, &e) == -1,
	    "an empty password is refused too");
}

static void
test_ipv6_hosts_keep_their_brackets(void)
{
	struct dburl u;
	struct err e;

	ok(parse("postgres://jane@[::1]:5432/app", &u, &e) == 0, "[::1]:5432");
	is(u.host, "[::1]", "the host keeps its brackets");
	ok(u.port == 5432, "the port after ]");
	url_free(&u);
	ok(parse("postgres://[fe80::1]", &u, &e) == 0 && u.port == 0 &&
	    strcmp(u.host, "[fe80::1]") == 0, "no port after ]");
	url_free(&u);
	ok(parse("postgres://[::1", &u, &e) == -1 && strstr(e.msg,
	    "unterminated [") != NULL, "an unterminated [ is refused");
	ok(parse("postgres://[::1]x:5432", &u, &e) == -1,
	    "junk after ] is refused");
}

static void
test_ports_are_numbers_from_1_to_65535(void)
{
	static const char *const bad[] = {
		"postgres://h:0", "postgres://h:65536", "postgres://h:abc",
		"postgres://h:", "postgres://h:-1", "postgres://h:+5",
		"postgres://h:99999999999999999999", "postgres://h: 5",
	};
	struct dburl u;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(parse(bad[i], &u, &e) == -1 && e.kind == ERR_USAGE, "%s is "
		    "refused", bad[i]);
	ok(parse("postgres://h:65535", &u, &e) == 0 && u.port == 65535,
	    "65535 is a port");
	url_free(&u);
}

static void
test_query_parameters_are_kept_in_order(void)
{
	struct dburl u;
	struct err e;

	ok(parse("postgres://h/d?sslmode=require&application_name=my%20app&"
	    "&connect_timeout=5", &u, &e) == 0, "parameters parse");
	ok(u.nparams == 3, "three parameters (an empty one is nothing)");
	is(u.params[0].key, "sslmode", "first in order");
	is(url_param(&u, "application_name"), "my app", "values are decoded");
	ok(url_param(&u, "nothing") == NULL, "an absent one is NULL");
	url_free(&u);
	ok(parse("postgres://h?sslmode=a&sslmode=b", &u, &e) == -1 &&
	    strstr(e.msg, "given twice") != NULL, "a repeated one is refused");
	ok(parse("postgres://h?sslmode", &u, &e) == -1 && strstr(e.msg,
	    "not NAME=VALUE") != NULL, "one without = is refused");
	ok(parse("postgres://h?=x", &u, &e) == -1, "one without a name is "
	    "refused");
	ok(parse("postgres://h/d#frag", &u, &e) == -1, "a #fragment is "
	    "refused");
}

static void
test_hostile_input_is_refused_or_parsed_never_crashes(void)
{
	struct dburl u;
	struct err e;
	char *big = malloc(200001);
	int rc;

	memcpy(big, "postgres://", 11);
	memset(big + 11, 'a', 200000 - 11);
	big[200000] = '\0';
	rc = parse(big, &u, &e);
	ok(rc == 0 && strlen(u.host) == 200000 - 11, "a 200 kB host parses "
	    "(its checks come later)");
	url_free(&u);
	memset(big + 11, '@', 200000 - 11);
	ok(parse(big, &u, &e) == 0 || e.kind == ERR_USAGE, "200 kB of @");
	url_free(&u);
	memset(big + 11, '%', 200000 - 11);
	ok(parse(big, &u, &e) == -1, "200 kB of %% is refused");
	memset(big + 11, '[', 200000 - 11);
	ok(parse(big, &u, &e) == -1, "200 kB of [ is refused");
	free(big);
	ok(parse("postgres://", &u, &e) == 0 && *u.host == '\0',
	    "nothing after the scheme parses to an empty host (refused later)");
	url_free(&u);
	ok(parse("postgres://@", &u, &e) == 0 && *u.user == '\0',
	    "a lone @");
	url_free(&u);
}

static void
test_endpoints_are_host_and_port(void)
{
	struct err e;
	char *host = NULL;
	unsigned port = 0;

	ok(url_endpoint("h.example:5432", &host, &port, &e) == 0 &&
	    strcmp(host, "h.example") == 0 && port == 5432, "HOST:PORT");
	free(host);
	ok(url_endpoint("[::1]:5432", &host, &port, &e) == 0 &&
	    strcmp(host, "[::1]") == 0, "[V6]:PORT");
	free(host);
	ok(url_endpoint("::1:5432", &host, &port, &e) == -1,
	    "an IPv6 host without brackets is refused");
	ok(url_endpoint("h", &host, &port, &e) == -1, "no port is refused");
	ok(url_endpoint(":5432", &host, &port, &e) == -1, "no host is refused");
	ok(url_endpoint("h:0", &host, &port, &e) == -1, "port 0 is refused");
	ok(url_endpoint("h:5432x", &host, &port, &e) == -1,
	    "junk after the port is refused");
}

int
main(void)
{
	test_a_full_url_is_taken_apart();
	test_schemes_name_services_whatever_their_case();
	test_parts_are_percent_decoded();
	test_a_password_is_refused();
	test_ipv6_hosts_keep_their_brackets();
	test_ports_are_numbers_from_1_to_65535();
	test_query_parameters_are_kept_in_order();
	test_hostile_input_is_refused_or_parsed_never_crashes();
	test_endpoints_are_host_and_port();
	return tap_done();
}
