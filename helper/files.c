/* iamdb pgpass and iamdb mycnf: one entry of a client's password file,
 * written once or, with --watch, kept fresh until iamdb is stopped. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../common/fileio.h"
#include "helper.h"

static const char pgpass_usage[] =
"usage: iamdb pgpass [URL] [--file PATH] [--remove] [--watch] [--host HOST]\n"
"                    [--port PORT] [--user USER] [--database NAME]\n"
"                    [--engine ENGINE] [--region REGION] [--profile NAME]\n"
"                    [--expires SECONDS] [-v]\n"
"\n"
"Adds or replaces the connection's line in a PostgreSQL password file\n"
"($PGPASSFILE or ~/.pgpass); --watch keeps rewriting it before the token\n"
"expires. See iamdb(1).\n";

static const char mycnf_usage[] =
"usage: iamdb mycnf [URL] [--file PATH] [--group NAME] [--remove] [--watch]\n"
"                   [--cleartext-plugin]\n"
"                   [--host HOST] [--port PORT] [--user USER]\n"
"                   [--database NAME] [--region REGION] [--profile NAME]\n"
"                   [--ca-bundle PATH] [--sslmode MODE] [--expires SECONDS]\n"
"                   [-v]\n"
"\n"
"Writes the connection's user, token, host, port and TLS settings into a\n"
"group of a MySQL option file (~/.my.cnf, [client]); --watch keeps them\n"
"fresh. See iamdb(1).\n";

struct file_opts {
	const char	*cmd;
	const char	*file;
	const char	*group;
	int		 remove;
	int		 watch;
	int		 cleartext;
};

static int
own(void *arg, int ch, const char *value)
{
	struct file_opts *o = arg;

	switch (ch) {
	case 'o':
		o->file = value;
		return 1;
	case 'g':
		if (*value == '\0' || strpbrk(value, "[]\n") != NULL) {
			usage_error(o->cmd, "--group '%s': not a group name",
			    value);
			return -1;
		}
		o->group = value;
		return 1;
	case 'r':
		o->remove = 1;
		return 1;
	case 'w':
		o->watch = 1;
		return 1;
	case 'c':
		if (strcmp(o->cmd, "mycnf") != 0)
			return 0;
		o->cleartext = 1;
		return 1;
	}
	return 0;
}

struct update {
	const struct conn	*c;
	const char		*group;
	int			 remove;
	int			 mysql;
};

static int
update(const char *old, size_t len, void *arg, struct buf *out,
    struct err *e)
{
	struct update *u = arg;

	if (u->mysql)
		return mycnf_update(old, len, u->c, u->group, u->remove, out,
		    e);
	return pgpass_update(old, len, u->c, u->remove, out, e);
}

static char *
default_file(int mysql)
{
	const char *v = getenv("PGPASSFILE"), *home = getenv("HOME");
	struct buf b = BUF_INIT;

	if (!mysql && v != NULL && *v != '\0')
		return xstrdup(v);
	buf_printf(&b, "%s/%s", home ? home : ".", mysql ? ".my.cnf" :
	    ".pgpass");
	return b.data;
}

/* Neither file format can hold a line break inside a value: one would
 * end iamdb's entry early and start a line of its own. */
static int
line_break(const char *cmd, const char *opt, const char *value)
{
	if (value == NULL || strpbrk(value, "\r\n") == NULL)
		return 0;
	usage_error(cmd, "%s: a line break cannot go into the file", opt);
	return 1;
}

static volatile sig_atomic_t stop;

static void
on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

/* Sleeps until t, or until a signal asks to stop. */
static void
sleep_until(time_t t)
{
	while (!stop && time(NULL) < t) {
		struct timespec ts = { 1, 0 };

		nanosleep(&ts, NULL);
	}
}

/* When to write again: well before the token (or the credentials behind
 * it) runs out, and never in a tight loop. */
static time_t
next_refresh(const struct conn *c, long expires)
{
	long margin = expires / 3 > 300 ? 300 : expires / 3;
	time_t t = c->expires_at - margin;

	return t > time(NULL) + 10 ? t : time(NULL) + 10;
}

static int
write_once(struct target *t, struct file_opts *o, const char *path,
    time_t *next)
{
	struct session s;
	struct conn c;
	struct buf token = BUF_INIT;
	struct update u;
	struct err e = { 0 };
	struct stat st;
	int rc;

	u.mysql = strcmp(o->cmd, "mycnf") == 0;
	u.group = o->group;
	u.remove = o->remove;
	u.c = &c;
	memset(&s, 0, sizeof(s));
	if (o->remove) {
		/* No token is needed to take a line out. */
		memset(&c, 0, sizeof(c));
		c.engine = t->engine;
		c.host = t->host;
		c.port = t->port;
		c.user = t->user;
		c.database = t->database;
	} else {
		if (!t->fixed_time)
			t->when = time(NULL);
		if ((rc = conn_open(t, &s, &token, &c, u.mysql)) != EXIT_OK) {
			conn_close(&s, &token);
			return rc;
		}
		c.cleartext_option = o->cleartext;
	}
	rc = EXIT_OK;
	if (o->remove && lstat(path, &st) == -1 && errno == ENOENT) {
		if (verbose)
			warnx("%s does not exist: nothing to remove", path);
	} else if (secret_file_update(path, update, &u, 10000, &e) == -1)
		rc = fail(&e);
	else if (verbose)
		warnx("%s %s", o->remove ? "removed the entry from" :
		    "wrote", path);
	if (next != NULL && !o->remove)
		*next = next_refresh(&c, t->expires);
	conn_close(&s, &token);
	return rc;
}

static int
run(int argc, char **argv, const char *cmd, const char *usage)
{
	static const struct option longopts[] = {
		{ "file",	required_argument, NULL, 'o' },
		{ "group",	required_argument, NULL, 'g' },
		{ "remove",	no_argument,	NULL, 'r' },
		{ "watch",	no_argument,	NULL, 'w' },
		{ "cleartext-plugin", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct file_opts o = { cmd, NULL, "client", 0, 0, 0 };
	struct target t;
	struct sigaction sa;
	char *path = NULL;
	time_t next;
	int rc;

	target_init(&t);
	if ((rc = target_args(&t, cmd, usage, argc, argv, longopts, own, &o,
	    NULL)) != 0)
		goto out;
	if (strcmp(cmd, "pgpass") == 0 && strcmp(o.group, "client") != 0) {
		rc = usage_error(cmd, "--group is for mycnf");
		goto out;
	}
	if (strcmp(cmd, "mycnf") == 0 && t.engine_name == NULL)
		target_option(&t, cmd, 'E', "mysql");
	if ((rc = target_finish(&t, cmd)) != 0)
		goto out;
	if (line_break(cmd, "--host", t.host) ||
	    line_break(cmd, "--user", t.user) ||
	    line_break(cmd, "--database", t.database)) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (o.watch && (o.remove || t.fixed_time)) {
		rc = usage_error(cmd, "--watch does not go with --remove or "
		    "--signing-time");
		goto out;
	}
	path = o.file ? xstrdup(o.file) : default_file(strcmp(cmd, "mycnf")
	    == 0);
	if (o.watch) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_stop;
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
	}
	if ((rc = write_once(&t, &o, path, &next)) != EXIT_OK || !o.watch)
		goto out;
	while (!stop) {
		sleep_until(next);
		if (stop)
			break;
		/* A failed refresh is retried; the old entry stays valid
		 * until it expires. */
		if (write_once(&t, &o, path, &next) != EXIT_OK)
			next = time(NULL) + 30;
	}
	rc = EXIT_OK;
out:
	free(path);
	target_free(&t);
	return rc == -1 ? EXIT_OK : rc;
}

int
cmd_pgpass(int argc, char **argv)
{
	return run(argc, argv, "pgpass", pgpass_usage);
}

int
cmd_mycnf(int argc, char **argv)
{
	return run(argc, argv, "mycnf", mycnf_usage);
}
