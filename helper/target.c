#include <errno.h>
#include <getopt.h>
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
