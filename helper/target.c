#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helper.h"

static const struct {
	const char	*name;
	enum db_engine	 engine;
	unsigned	 port;
} engines[] = {
	{ "postgres",		DB_POSTGRES,	5432 },
	{ "postgresql",		DB_POSTGRES,	5432 },
	{ "aurora-postgresql",	DB_POSTGRES,	5432 },
	{ "mysql",		DB_MYSQL,	3306 },
	{ "mariadb",		DB_MYSQL,	3306 },
	{ "aurora-mysql",	DB_MYSQL,	3306 },
	{ "dsql",		DB_DSQL,	5432 },
};

void
target_init(struct target *t)
{
	memset(t, 0, sizeof(*t));
	t->expires = -1;
	t->engine = DB_POSTGRES;
}

static int
number(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *s == '-' ||
	    *s == '+' || *s == ' ' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* YYYY-MM-DDTHH:MM:SSZ, always UTC. */
static int
parse_time(const char *s, time_t *out)
{
	struct tm tm, want;
	const char *end;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end == NULL || *end != '\0' || strlen(s) != 20)
		return -1;
	/* strptime takes 2016-02-31, which timegm would roll over. */
	want = tm;
	if ((t = timegm(&tm)) == (time_t)-1 || tm.tm_mday != want.tm_mday ||
	    tm.tm_mon != want.tm_mon || tm.tm_hour != want.tm_hour)
		return -1;
	*out = t;
	return 0;
}

int
target_option(struct target *t, const char *cmd, int opt, const char *arg)
{
	size_t i;
	long v;

	switch (opt) {
	case 'H':
		t->host = arg;
		return 1;
	case 'D':
		t->database = arg;
		return 1;
	case 'C':
		t->ca_bundle = arg;
		return 1;
	case 'S':
		if (strcmp(arg, "verify-full") != 0 &&
		    strcmp(arg, "verify-ca") != 0 &&
		    strcmp(arg, "require") != 0 &&
		    strcmp(arg, "prefer") != 0 &&
		    strcmp(arg, "disable") != 0) {
			usage_error(cmd, "--sslmode '%s': expected verify-full, "
			    "verify-ca, require, prefer or disable", arg);
			return -1;
		}
		t->sslmode = arg;
		return 1;
	case 'U':
		t->user = arg;
		return 1;
	case 'R':
		t->region = arg;
		return 1;
	case 'F':
		t->profile = arg;
		return 1;
	case 'M':
		t->mfa_code = arg;
		return 1;
	case 'N':
		t->no_cache = 1;
		return 1;
	case 'v':
		verbose = 1;
		return 1;
	case 'P':
		if (number(arg, 1, 65535, &v) == -1) {
			usage_error(cmd, "--port '%s': expected a number "
			    "from 1 to 65535", arg);
			return -1;
		}
		t->port = (unsigned)v;
		return 1;
	case 'X':
		if (number(arg, 1, DBTOKEN_DSQL_MAX_EXPIRES, &v) == -1) {
			usage_error(cmd, "--expires '%s': expected seconds, "
			    "1 to 900 (RDS) or %d (Aurora DSQL)", arg,
			    DBTOKEN_DSQL_MAX_EXPIRES);
			return -1;
		}
		t->expires = v;
		return 1;
	case 'T':
		if (parse_time(arg, &t->when) == -1) {
			usage_error(cmd, "--signing-time '%s': expected "
			    "YYYY-MM-DDTHH:MM:SSZ (UTC)", arg);
			return -1;
		}
		t->fixed_time = 1;
		return 1;
	case 'E':
		for (i = 0; i < sizeof(engines) / sizeof(engines[0]); i++)
			if (strcmp(arg, engines[i].name) == 0) {
				t->engine_name = engines[i].name;
				t->engine = engines[i].engine;
				return 1;
			}
		usage_error(cmd, "--engine '%s': expected postgres "
		    "(postgresql, aurora-postgresql), mysql (mariadb, "
		    "aurora-mysql) or dsql", arg);
		return -1;
	}
	return 0;
}

int
target_finish(struct target *t, const char *cmd)
{
	size_t i;

	if (t->host == NULL || *t->host == '\0')
		return usage_error(cmd, "--host is required");
	if (t->user == NULL || *t->user == '\0')
		return usage_error(cmd, "--user is required");
	if (t->port == 0) {
		if (t->engine_name == NULL)
			return usage_error(cmd, "give --port or --engine "
			    "(postgres, mysql or dsql) to set the port");
		for (i = 0; i < sizeof(engines) / sizeof(engines[0]); i++)
			if (strcmp(t->engine_name, engines[i].name) == 0)
				t->port = engines[i].port;
	}
	if (t->expires == -1)
		t->expires = 900;
	if (t->engine != DB_DSQL && t->expires > DBTOKEN_RDS_MAX_EXPIRES)
		return usage_error(cmd, "--expires %ld: RDS accepts tokens "
		    "valid for at most %d seconds", t->expires,
		    DBTOKEN_RDS_MAX_EXPIRES);
	if (!t->fixed_time)
		t->when = time(NULL);
	return 0;
}

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' :
	    c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes %XX in place; -1 on a bad escape or a decoded NUL. */
static int
pct_decode(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '%') {
			int hi = hexval(s[1]), lo = hi < 0 ? -1 : hexval(s[2]);

			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -1;
			*w++ = (char)(hi * 16 + lo);
			s += 2;
		} else
			*w++ = *s;
	}
	*w = '\0';
	return 0;
}

int
target_url(struct target *t, const char *cmd, const char *url)
{
	static const struct {
		const char *scheme, *engine;
	} schemes[] = {
		{ "postgres://", "postgres" }, { "postgresql://", "postgres" },
		{ "mysql://", "mysql" }, { "mariadb://", "mariadb" },
		{ "dsql://", "dsql" },
	};
	char *u, *host, *user = NULL, *port = NULL, *db = NULL, *q, *at;
	const char *engine = NULL;
	size_t i;

	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strncmp(url, schemes[i].scheme,
		    strlen(schemes[i].scheme)) == 0) {
			engine = schemes[i].engine;
			break;
		}
	if (engine == NULL)
		return usage_error(cmd, "'%s' is not a postgres://, mysql:// "
		    "or dsql:// URL", url);
	free(t->url_buf);
	t->url_buf = u = xstrdup(url + strlen(schemes[i].scheme));
	if ((q = strpbrk(u, "?#")) != NULL)
		*q = '\0';
	if ((at = strrchr(u, '@')) != NULL) {
		*at = '\0';
		user = u;
		if (strchr(user, ':') != NULL)
			return usage_error(cmd, "the URL carries a password: "
			    "iamdb makes the password, leave it out");
		host = at + 1;
	} else
		host = u;
	if ((db = strchr(host, '/')) != NULL)
		*db++ = '\0';
	if (*host == '[') {
		char *close = strchr(host, ']');

		if (close == NULL)
			return usage_error(cmd, "unterminated [ in the URL's "
			    "host");
		if (close[1] == ':') {
			port = close + 2;
			close[1] = '\0';
		}
	} else if ((port = strchr(host, ':')) != NULL)
		*port++ = '\0';
	if ((user != NULL && pct_decode(user) == -1) ||
	    (db != NULL && pct_decode(db) == -1))
		return usage_error(cmd, "bad %%-escape in the URL");
	if (t->host == NULL && *host != '\0')
		t->host = host;
	if (t->user == NULL && user != NULL && *user != '\0')
		t->user = user;
	if (t->database == NULL && db != NULL && *db != '\0')
		t->database = db;
	if (t->engine_name == NULL && target_option(t, cmd, 'E', engine) == -1)
		return EXIT_USAGE;
	if (t->port == 0 && port != NULL && *port != '\0' &&
	    target_option(t, cmd, 'P', port) == -1)
		return EXIT_USAGE;
	return 0;
}

void
target_free(struct target *t)
{
	free(t->url_buf);
	free(t->ca_path);
	t->url_buf = t->ca_path = NULL;
}

int
target_args(struct target *t, const char *cmd, const char *usage,
    int argc, char **argv, const struct option *own_options,
    int (*own)(void *, int, const char *), void *arg, char ***rest)
{
	struct option longopts[48] = { TARGET_OPTIONS };
	size_t n = 0, k;
	int ch, rc, have_url = 0;

	while (longopts[n].name != NULL)
		n++;
	for (k = 0; own_options != NULL && own_options[k].name != NULL &&
	    n + 2 < sizeof(longopts) / sizeof(longopts[0]); k++)
		longopts[n++] = own_options[k];
	longopts[n].name = "help";
	longopts[n].has_arg = no_argument;
	longopts[n].flag = NULL;
	longopts[n].val = 'h';
	memset(&longopts[n + 1], 0, sizeof(longopts[0]));

	opterr = 0;
	optind = 1;
	for (;;) {
		if (optind < argc && strcmp(argv[optind], "--") == 0) {
			optind++;
			break;
		}
		if (optind < argc && argv[optind][0] != '-') {
			if (have_url)
				return usage_error(cmd, "unexpected argument "
				    "'%s'", argv[optind]);
			if ((rc = target_url(t, cmd, argv[optind])) != 0)
				return rc;
			have_url = 1;
			optind++;
			continue;
		}
		if ((ch = getopt_long(argc, argv, "+:vh", longopts, NULL)) == -1)
			break;
		if (ch == 'h') {
			fputs(usage, stdout);
			return -1;
		}
		if (ch == '?' || ch == ':')
			return usage_error(cmd, "%s '%s'", ch == ':' ?
			    "missing value for" : "unknown option",
			    argv[optind - 1]);
		if ((rc = target_option(t, cmd, ch, optarg)) == 1)
			continue;
		if (rc == -1)
			return EXIT_USAGE;
		if (own != NULL && (rc = own(arg, ch, optarg)) == 1)
			continue;
		if (rc == -1)
			return EXIT_USAGE;
		return usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
	}
	if (rest != NULL) {
		*rest = argv + optind;
		return 0;
	}
	if (optind < argc)
		return usage_error(cmd, "unexpected argument '%s'",
		    argv[optind]);
	return 0;
}
