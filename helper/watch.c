/*
 * Commands that keep a token in a file: write it once, or with --watch
 * again before it runs out, until iamdb is stopped. A refresh that fails
 * is retried while the token already written is still good; once that one
 * has run out too, iamdb stops with the error, so that a service manager's
 * Restart=on-failure can act rather than iamdb retrying forever.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../common/fileio.h"
#include "../common/timeutil.h"
#include "helper.h"

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

struct update_arg {
	const struct file_kind	*kind;
	const struct args	*a;
	const struct conn	*c;
};

static int
update(const char *old, size_t len, void *arg, struct buf *out,
    struct err *e)
{
	struct update_arg *u = arg;

	return u->kind->update(old, len, u->a, u->c, out, e);
}

/* Writes (or removes) the entry once; *expires_at is the written token's
 * end. */
static int
write_once(struct target *t, const struct args *a, const struct file_kind *k,
    const char *path, time_t *expires_at, struct err *e)
{
	struct session s;
	struct conn c;
	struct buf token = BUF_INIT;
	struct update_arg u = { k, a, &c };
	struct stat st;
	int rc;

	memset(&s, 0, sizeof(s));
	memset(&c, 0, sizeof(c));
	if (a->remove) {
		/* No token is needed to take an entry out. */
		c.service = t->service;
		c.host = t->host;
		c.port = t->port;
		c.user = t->user;
		c.database = t->database;
		if (lstat(path, &st) == -1 && errno == ENOENT) {
			if (verbose)
				warnf("%s does not exist: nothing to remove",
				    path);
			return 0;
		}
	} else {
		if (!t->fixed_time)
			t->when = time(NULL);
		if (conn_open(t, &s, &token, &c, k->want_ca, e) == -1) {
			conn_close(&s, &token);
			return -1;
		}
		*expires_at = c.expires_at;
	}
	rc = secret_file_update_flags(path, k->file_flags, update, &u, 10000,
	    e);
	if (rc == 0 && verbose)
		warnf("%s %s", a->remove ? "removed the entry from" : "wrote",
		    path);
	if (rc == 0 && k->after != NULL)
		rc = k->after(a, e);
	conn_close(&s, &token);
	return rc;
}

struct file_once {
	struct target		*t;
	const struct args	*a;
	const struct file_kind	*k;
	const char		*path;
};

static int
file_once(void *arg, time_t *expires_at, struct err *e)
{
	struct file_once *f = arg;

	return write_once(f->t, f->a, f->k, f->path, expires_at, e);
}

int
watch_run(int watch, const char *path, long lifetime, watch_once once,
    void *arg)
{
	struct sigaction sa;
	struct err e = { 0 };
	char until[21];
	time_t expires_at = 0, next;
	int rc = EXIT_OK;

	if (watch) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_stop;
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
	}
	/* Before the first fetch: a crash in it would dump the keys. */
	if (watch && process_private(&e) == -1)
		warnf("warning: %s", e.msg);
	if (once(arg, &expires_at, &e) == -1)
		return fail(&e);
	next = refresh_time(expires_at, lifetime);
	while (watch && !stop) {
		time_t now;

		sleep_until(next);
		if (stop)
			break;
		if (once(arg, &expires_at, &e) == 0) {
			next = refresh_time(expires_at, lifetime);
			continue;
		}
		if ((now = time(NULL)) < expires_at) {
			/* The entry written last is good for a while yet. */
			warnf("%s (will try again)", e.msg);
			next = now + 30 < expires_at ? now + 30 : expires_at;
			continue;
		}
		time_format_iso8601(expires_at, until);
		warnf("the token in %s ran out at %s and no new one could be "
		    "made: stopping", path, until);
		rc = fail(&e);
		break;
	}
	return rc;
}

/* A password file line holds host, port, database, user and password:
 * the URL's other parameters are the client's to be given, said once
 * rather than dropped in silence. */
static void
warn_params_dropped(const struct target *t, const char *path)
{
	struct buf names = BUF_INIT;
	size_t i;

	for (i = 0; i < t->url.nparams; i++) {
		const char *k = t->url.params[i].key;

		if (strcmp(k, "host") == 0 || strcmp(k, "port") == 0 ||
		    strcmp(k, "user") == 0 || strcmp(k, "dbname") == 0)
			continue;
		buf_printf(&names, "%s%s", names.len ? ", " : "", k);
	}
	if (names.len > 0)
		warnf("warning: %s holds no connection parameters: give %s to "
		    "the client itself (in its connection string or PG* "
		    "variables)", path, buf_str(&names));
	buf_free(&names);
}

int
file_command(struct args *a, const struct file_kind *k)
{
	struct target t;
	struct file_once f;
	struct err e = { 0 };
	char *path = NULL;
	int rc;

	if (target_from_args(&t, a, k->engine, &e) == -1) {
		rc = usage_fail(k->name, &e);
		goto out;
	}
	if (!(t.service->outputs & k->output)) {
		rc = usage_error(k->name, "engine %s has no %s file",
		    t.service->name, k->name);
		goto out;
	}
	if (a->watch && (a->remove || t.fixed_time)) {
		rc = usage_error(k->name, "--watch does not go with --remove "
		    "or --signing-time");
		goto out;
	}
	path = a->file ? xstrdup(a->file) : k->default_path();
	if (k->output == OUT_PGPASS && !a->remove)
		warn_params_dropped(&t, path);
	f.t = &t;
	f.a = a;
	f.k = k;
	f.path = path;
	rc = watch_run(a->watch, path, t.expires, file_once, &f);
out:
	free(path);
	target_free(&t);
	return rc;
}
