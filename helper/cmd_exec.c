/*
 * iamdb exec: runs a command with the connection in its environment. A
 * token lasts 15 minutes but programs connect again later, so by default
 * iamdb stays as the command's parent and keeps a private password file
 * (PGPASSFILE, or a MySQL option file through MYSQL_HOME) fresh while it
 * runs, forwards signals to it, returns its exit status and removes the
 * files when it ends. --no-refresh just execs with the variables.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../common/fileio.h"
#include "helper.h"

extern char **environ;

static const char usage_text[] =
"usage: iamdb exec [URL] [--no-refresh] [--host HOST] [--port PORT]\n"
"                  [--user USER] [--database NAME] [--engine ENGINE]\n"
"                  [--region REGION] [--profile NAME] [--ca-bundle PATH]\n"
"                  [--sslmode MODE] [--expires SECONDS] [-v]\n"
"                  -- COMMAND [ARG ...]\n"
"\n"
"Runs COMMAND with the variables of 'iamdb env' and a password file that\n"
"iamdb keeps fresh while it runs. See iamdb(1).\n";

/* Exit statuses of our own for the command's fate, as env(1) has them. */
#define EXIT_CANNOT_RUN	126
#define EXIT_NOT_FOUND	127

static const int forwarded[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH,
	SIGCONT, SIGTSTP,
};

static int
own(void *arg, int ch, const char *value)
{
	(void)value;
	if (ch != 'n')
		return 0;
	*(int *)arg = 1;
	return 1;
}

/* The environment for the command: ours, less what would contradict the
 * connection, plus the connection's variables and extra. */
static char **
child_env(char **pairs, size_t npairs, const char *const *extra,
    int refresh)
{
	static const char *const drop[] = {
		"PGPASSWORD=", "PGPASSFILE=", "PGHOST=", "PGPORT=", "PGUSER=",
		"PGDATABASE=", "PGSSLMODE=", "PGSSLROOTCERT=",
		/* libpq would connect to PGHOSTADDR instead of the host, and
		 * take a service's host, user or password over the PG*
		 * variables. */
		"PGHOSTADDR=", "PGSERVICE=", "MYSQL_PWD=",
		"MYSQL_HOST=", "MYSQL_TCP_PORT=", "MYSQL_HOME=",
		/* MariaDB's clients read $MARIADB_HOME/my.cnf, when it is
		 * set, instead of $MYSQL_HOME's. */
		"MARIADB_HOME=",
	};
	size_t n = 0, i, j, count = 0;
	char **env;

	while (environ[count] != NULL)
		count++;
	for (j = 0; extra[j] != NULL; j++)
		;
	env = xcalloc(count + npairs + j + 1, sizeof(*env));
	for (i = 0; i < count; i++) {
		int keep = 1;

		for (j = 0; j < sizeof(drop) / sizeof(drop[0]); j++)
			if (strncmp(environ[i], drop[j], strlen(drop[j])) == 0)
				keep = 0;
		for (j = 0; j < npairs && keep; j++) {
			size_t k = strcspn(pairs[j], "=") + 1;

			if (strncmp(environ[i], pairs[j], k) == 0)
				keep = 0;
		}
		if (keep)
			env[n++] = environ[i];
	}
	for (j = 0; j < npairs; j++) {
		/* With a password file kept fresh, a fixed password in the
		 * environment would win over it and then go stale; so would
		 * IAMDB_TOKEN for whoever reads it. */
		if (refresh && (strncmp(pairs[j], "PGPASSWORD=", 11) == 0 ||
		    strncmp(pairs[j], "IAMDB_TOKEN=", 12) == 0))
			continue;
		env[n++] = pairs[j];
	}
	for (j = 0; extra[j] != NULL; j++)
		env[n++] = (char *)extra[j];
	env[n] = NULL;
	return env;
}

struct private_files {
	char	*dir;
	char	*file;
	int	 mysql;
};

static int
write_file_update(const char *old, size_t len, void *arg, struct buf *out,
    struct err *e)
{
	const struct conn *c = arg;

	(void)old;
	(void)len;
	if (c->engine == DB_MYSQL)
		return mycnf_update("", 0, c, "client", 0, out, e);
	return pgpass_update("", 0, c, 0, out, e);
}

static int
private_write(struct private_files *p, const struct conn *c)
{
	struct err e = { 0 };

	if (secret_file_update(p->file, write_file_update, (void *)c, 5000,
	    &e) == -1)
		return fail(&e);
	return EXIT_OK;
}

static int
private_open(struct private_files *p, const struct conn *c)
{
	const char *base = getenv("XDG_RUNTIME_DIR");
	struct buf b = BUF_INIT;
	struct stat st;

	memset(p, 0, sizeof(*p));
	if (base == NULL || *base != '/' || stat(base, &st) == -1 ||
	    !S_ISDIR(st.st_mode))
		base = getenv("TMPDIR");
	if (base == NULL || *base != '/')
		base = "/tmp";
	buf_printf(&b, "%s/iamdb-exec.XXXXXX", base);
	if (mkdtemp(b.data) == NULL) {
		warnx("%s: %s", buf_str(&b), strerror(errno));
		buf_free(&b);
		return EXIT_IO;
	}
	p->dir = xstrdup(b.data);
	p->mysql = c->engine == DB_MYSQL;
	buf_reset(&b);
	buf_printf(&b, "%s/%s", p->dir, p->mysql ? "my.cnf" : "pgpass");
	p->file = xstrdup(b.data);
	buf_free(&b);
	return private_write(p, c);
}

static void
private_close(struct private_files *p)
{
	struct buf lock = BUF_INIT;

	if (p->file != NULL) {
		buf_printf(&lock, "%s.lock", p->file);
		unlink(buf_str(&lock));
		unlink(p->file);
	}
	if (p->dir != NULL)
		rmdir(p->dir);
	buf_free(&lock);
	free(p->file);
	free(p->dir);
	memset(p, 0, sizeof(*p));
}

static int
exec_status(int err)
{
	return err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN;
}

/* Signs again and rewrites the private file; failures are reported and
 * retried, as the file stays valid until the token expires. */
static time_t
refresh(struct target *t, struct private_files *p)
{
	struct session s;
	struct buf token = BUF_INIT;
	struct conn c;
	time_t next = time(NULL) + 30;
	long margin = t->expires / 3 > 300 ? 300 : t->expires / 3;

	t->when = time(NULL);
	if (conn_open(t, &s, &token, &c, 1) == EXIT_OK &&
	    private_write(p, &c) == EXIT_OK) {
		next = c.expires_at - margin;
		if (verbose)
			warnx("refreshed %s", p->file);
	}
	conn_close(&s, &token);
	return next > time(NULL) + 10 ? next : time(NULL) + 10;
}

static int
supervise(pid_t child, struct target *t, struct private_files *p,
    time_t next, const sigset_t *set)
{
	int status;

	for (;;) {
		struct timespec ts;
		siginfo_t si;
		time_t now = time(NULL);
		int sig;

		ts.tv_sec = next > now ? next - now : 0;
		ts.tv_nsec = 0;
		sig = sigtimedwait(set, &si, &ts);
		if (sig == -1 && errno == EAGAIN) {
			next = refresh(t, p);
			continue;
		}
		if (sig == -1)
			continue;
		if (sig == SIGCHLD) {
			pid_t w = waitpid(child, &status, WNOHANG);

			if (w == child)
				break;
			continue;
		}
		/* A key typed at the terminal reaches the whole process
		 * group, the command included: pass on only what was sent
		 * to iamdb alone. */
		if (si.si_code == SI_USER || si.si_code == SI_QUEUE ||
		    (sig != SIGINT && sig != SIGQUIT && sig != SIGTSTP &&
		    sig != SIGWINCH))
			kill(child, sig);
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int
cmd_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "no-refresh",	no_argument,	NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct target t;
	struct session s;
	struct conn c;
	struct private_files p;
	struct buf token = BUF_INIT, home = BUF_INIT, passfile = BUF_INIT;
	const char *extra[3] = { NULL, NULL, NULL };
	char **rest = NULL, **pairs = NULL, **env = NULL;
	size_t npairs = 0, i;
	sigset_t set, old;
	pid_t pid;
	time_t next;
	int rc, no_refresh = 0, pipefd[2], err;

	memset(&p, 0, sizeof(p));
	memset(&s, 0, sizeof(s));
	target_init(&t);
	if ((rc = target_args(&t, "exec", usage_text, argc, argv, longopts,
	    own, &no_refresh, &rest)) != 0 ||
	    (rc = target_finish(&t, "exec")) != 0)
		goto out;
	if (rest == NULL || rest[0] == NULL) {
		rc = usage_error("exec", "no command: give it after --");
		goto out;
	}
	/* A refreshed file holds tokens signed now, whatever was asked. */
	if (t.fixed_time && !no_refresh) {
		rc = usage_error("exec", "--signing-time needs --no-refresh");
		goto out;
	}
	if ((rc = conn_open(&t, &s, &token, &c, 1)) != EXIT_OK)
		goto out;
	env_pairs(&c, &pairs, &npairs);

	if (no_refresh) {
		env = child_env(pairs, npairs, extra, 0);
		environ = env;
		execvp(rest[0], rest);
		err = errno;
		warnx("%s: %s", rest[0], strerror(err));
		rc = exec_status(err);
		goto out;
	}

	/* Signals wait in the mask until sigtimedwait takes them; from now
	 * on, so that none can end iamdb with the private file left behind.
	 * The mask stays until iamdb exits: a signal that comes after the
	 * command has ended is not for anyone. */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(&set, forwarded[i]);
	sigprocmask(SIG_BLOCK, &set, &old);

	if ((rc = private_open(&p, &c)) != EXIT_OK)
		goto out;
	if (p.mysql) {
		buf_printf(&home, "MYSQL_HOME=%s", p.dir);
		extra[0] = buf_str(&home);
	} else {
		buf_printf(&passfile, "PGPASSFILE=%s", p.file);
		extra[0] = buf_str(&passfile);
	}
	env = child_env(pairs, npairs, extra, 1);

	/* The child reports a failed exec through a close-on-exec pipe. */
	if (pipe(pipefd) == -1 || fcntl(pipefd[0], F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(pipefd[1], F_SETFD, FD_CLOEXEC) == -1 ||
	    (pid = fork()) == -1) {
		warnx("cannot start %s: %s", rest[0], strerror(errno));
		rc = EXIT_FAIL;
		goto out;
	}
	if (pid == 0) {
		close(pipefd[0]);
		sigprocmask(SIG_SETMASK, &old, NULL);
		signal(SIGPIPE, SIG_DFL);
		environ = env;
		execvp(rest[0], rest);
		err = errno;
		if (write(pipefd[1], &err, sizeof(err)) < 0)
			_exit(EXIT_CANNOT_RUN);
		_exit(exec_status(err));
	}
	close(pipefd[1]);
	if (read(pipefd[0], &err, sizeof(err)) == (ssize_t)sizeof(err)) {
		close(pipefd[0]);
		waitpid(pid, NULL, 0);
		warnx("%s: %s", rest[0], strerror(err));
		rc = exec_status(err);
		goto out;
	}
	close(pipefd[0]);
	{
		long margin = t.expires / 3 > 300 ? 300 : t.expires / 3;

		next = c.expires_at - margin;
	}
	/* The parent holds no secret it does not need while it waits. */
	conn_close(&s, &token);
	memset(&s, 0, sizeof(s));
	free(env);
	env = NULL;
	env_pairs_free(pairs, npairs);
	pairs = NULL;
	npairs = 0;
	rc = supervise(pid, &t, &p, next, &set);
out:
	private_close(&p);
	free(env);
	env_pairs_free(pairs, npairs);
	conn_close(&s, &token);
	buf_free(&home);
	buf_free(&passfile);
	target_free(&t);
	return rc == -1 ? EXIT_OK : rc;
}
