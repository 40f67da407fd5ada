/*
 * iamdb exec: runs a command with the connection in its environment. A
 * token lasts 15 minutes but programs connect again later, so by default
 * iamdb stays as the command's parent and keeps a private password file
 * (PGPASSFILE, or MySQL option files through MYSQL_HOME and MARIADB_HOME)
 * fresh while it runs, forwards signals to it, follows it when it is
 * stopped and resumed (job control), reaps orphans when it is process 1 (a
 * container's entrypoint), returns its exit status and removes the files
 * when it ends.
 * --no-refresh just execs with the variables.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../common/timeutil.h"
#include "helper.h"

extern char **environ;

/* Exit statuses of our own for the command's fate, as env(1) has them. */
#define EXIT_CANNOT_RUN	126
#define EXIT_NOT_FOUND	127

/* How long the command has to end after SIGTERM when iamdb must stop it. */
#define STOP_GRACE	10

static const int forwarded[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH,
	SIGCONT, SIGTSTP, SIGTTIN, SIGTTOU,
};

/* What in iamdb's own environment would contradict the connection; with
 * refresh, what of the connection's would go stale while the private file
 * is kept fresh. */
static int
dropped(const char *var, int inherited, int refresh)
{
	static const char *const always[] = {
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
	/* A password in the environment would win over the file and then
	 * go stale; so would the token and its end for whoever reads them. */
	static const char *const stale[] = {
		"PGPASSWORD=", "MYSQL_PWD=", "IAMDB_TOKEN=", "IAMDB_EXPIRES_AT=",
	};
	size_t i;

	for (i = 0; inherited && i < sizeof(always) / sizeof(always[0]); i++)
		if (strncmp(var, always[i], strlen(always[i])) == 0)
			return 1;
	for (i = 0; refresh && i < sizeof(stale) / sizeof(stale[0]); i++)
		if (strncmp(var, stale[i], strlen(stale[i])) == 0)
			return 1;
	return 0;
}

/* The environment for the command: ours, less what dropped() names and
 * what the connection sets, plus the connection's variables and extra
 * (NULL-terminated). */
static char **
child_env(char **pairs, size_t npairs, char *const *extra, int refresh)
{
	size_t n = 0, i, j, count = 0, nextra = 0;
	char **env;

	while (environ[count] != NULL)
		count++;
	while (extra != NULL && extra[nextra] != NULL)
		nextra++;
	env = xcalloc(count + npairs + nextra + 1, sizeof(*env));
	for (i = 0; i < count; i++) {
		int keep = !dropped(environ[i], 1, 0);

		for (j = 0; j < npairs && keep; j++)
			if (strncmp(environ[i], pairs[j],
			    strcspn(pairs[j], "=") + 1) == 0)
				keep = 0;
		if (keep)
			env[n++] = environ[i];
	}
	for (j = 0; j < npairs; j++)
		if (!dropped(pairs[j], 0, refresh))
			env[n++] = pairs[j];
	for (j = 0; j < nextra; j++)
		env[n++] = extra[j];
	env[n] = NULL;
	return env;
}

static int
exec_status(int err)
{
	return err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN;
}

/* What the supervisor keeps track of. */
struct child {
	const char	*name;		/* argv[0], for messages */
	pid_t		 pid;
	int		 status;
	struct target	*t;
	struct private_files *p;
	time_t		 expires_at;	/* of the token in the file */
	time_t		 next;		/* when to make the next one */
};

/* Signs again and rewrites the private file. A failure is retried while
 * the file's token is good; after that, -1: the command's connections
 * would be refused from now on. */
static int
refresh(struct child *ch, struct err *e)
{
	struct session s;
	struct buf token = BUF_INIT;
	struct conn c;
	time_t now;
	int rc;

	ch->t->when = time(NULL);
	if ((rc = conn_open(ch->t, &s, &token, &c, 1, e)) == 0 &&
	    (rc = private_write(ch->p, &c, e)) == 0) {
		ch->expires_at = c.expires_at;
		ch->next = refresh_time(c.expires_at, ch->t->expires);
		if (verbose)
			warnf("refreshed %s", ch->p->dir);
	}
	conn_close(&s, &token);
	if (rc == 0)
		return 0;
	if ((now = time(NULL)) < ch->expires_at) {
		warnf("%s (will try again)", e->msg);
		ch->next = now + 30 < ch->expires_at ? now + 30 :
		    ch->expires_at;
		return 0;
	}
	return -1;
}

/* Whether iamdb runs in a terminal's foreground job, where ^Z stops the
 * job and the shell waits for all of it to stop. */
static int
in_foreground(void)
{
	int fd = open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC), fg = 0;

	if (fd != -1) {
		fg = tcgetpgrp(fd) == getpgrp();
		close(fd);
	}
	return fg;
}

/* The command was stopped. If that was job control, iamdb stops too, so
 * that the shell sees the whole job stopped and gets the terminal back;
 * when it is continued (fg, bg), so is the command. */
static void
follow_stop(struct child *ch, int sig)
{
	if (sig != SIGTSTP && sig != SIGTTIN && sig != SIGTTOU &&
	    !(sig == SIGSTOP && in_foreground()))
		return;
	kill(getpid(), SIGSTOP);
	kill(ch->pid, SIGCONT);
}

/* Collects what SIGCHLD says: 1 when the command has ended. As process 1
 * every orphan is iamdb's to reap. */
static int
reap(struct child *ch)
{
	pid_t w;
	int st;

	while ((w = waitpid(getpid() == 1 ? -1 : ch->pid, &st,
	    WNOHANG | WUNTRACED)) > 0) {
		if (w != ch->pid)
			continue;
		if (WIFSTOPPED(st)) {
			follow_stop(ch, WSTOPSIG(st));
			continue;
		}
		ch->status = st;
		return 1;
	}
	return 0;
}

/* iamdb must end the command: its token has run out for good. */
static void
stop_child(struct child *ch)
{
	int i;

	kill(ch->pid, SIGTERM);
	kill(ch->pid, SIGCONT);
	for (i = 0; i < STOP_GRACE * 10; i++) {
		struct timespec ts = { 0, 100000000L };

		if (waitpid(ch->pid, &ch->status, WNOHANG) == ch->pid)
			return;
		nanosleep(&ts, NULL);
	}
	kill(ch->pid, SIGKILL);
	while (waitpid(ch->pid, &ch->status, 0) == -1 && errno == EINTR)
		;
}

static int
supervise(struct child *ch, const sigset_t *set)
{
	struct err e = { 0 };
	char until[21];

	for (;;) {
		struct timespec ts;
		siginfo_t si;
		time_t now = time(NULL);
		int sig;

		ts.tv_sec = ch->next > now ? ch->next - now : 0;
		ts.tv_nsec = 0;
		sig = sigtimedwait(set, &si, &ts);
		if (sig == -1 && errno == EAGAIN) {
			if (refresh(ch, &e) == 0)
				continue;
			time_format_iso8601(ch->expires_at, until);
			warnf("the password file's token ran out at %s and no "
			    "new one could be made: stopping %s", until,
			    ch->name);
			stop_child(ch);
			return fail(&e);
		}
		if (sig == -1)
			continue;
		if (sig == SIGCHLD) {
			if (reap(ch))
				break;
			continue;
		}
		/* A key typed at the terminal reaches the whole process
		 * group, the command included: pass on only what was sent
		 * to iamdb alone. */
		if (si.si_code == SI_USER || si.si_code == SI_QUEUE ||
		    (sig != SIGINT && sig != SIGQUIT && sig != SIGTSTP &&
		    sig != SIGWINCH && sig != SIGTTIN && sig != SIGTTOU))
			kill(ch->pid, sig);
	}
	if (WIFSIGNALED(ch->status))
		return 128 + WTERMSIG(ch->status);
	return WEXITSTATUS(ch->status);
}

/* Starts the command with the signal mask and dispositions iamdb found;
 * a failed exec comes back through a close-on-exec pipe. */
static int
start(char **argv, char **env, const sigset_t *old, pid_t *pid)
{
	int fds[2], err;

	if (pipe(fds) == -1 || fcntl(fds[0], F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(fds[1], F_SETFD, FD_CLOEXEC) == -1 ||
	    (*pid = fork()) == -1) {
		warnf("cannot start %s: %s", argv[0], strerror(errno));
		return EXIT_FAIL;
	}
	if (*pid == 0) {
		close(fds[0]);
		sigprocmask(SIG_SETMASK, old, NULL);
		signal(SIGPIPE, SIG_DFL);
		environ = env;
		execvp(argv[0], argv);
		err = errno;
		if (write(fds[1], &err, sizeof(err)) < 0)
			_exit(EXIT_CANNOT_RUN);
		_exit(exec_status(err));
	}
	close(fds[1]);
	if (read(fds[0], &err, sizeof(err)) == (ssize_t)sizeof(err)) {
		close(fds[0]);
		waitpid(*pid, NULL, 0);
		warnf("%s: %s", argv[0], strerror(err));
		return exec_status(err);
	}
	close(fds[0]);
	return EXIT_OK;
}

/* --no-refresh: becomes the command, as it would have started. */
static int
replace(char **argv, char **pairs, size_t npairs, char *const *extra)
{
	int err;

	environ = child_env(pairs, npairs, extra, 0);
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], argv);
	err = errno;
	signal(SIGPIPE, SIG_IGN);
	warnf("%s: %s", argv[0], strerror(err));
	return exec_status(err);
}

static int
run_replaced(const struct conn *c, char **argv, char **pairs,
    size_t npairs)
{
	struct private_files p;
	struct err e = { 0 };
	int rc;

	memset(&p, 0, sizeof(p));
	if (c->service->family == FAMILY_MYSQL &&
	    settings_open(&p, c, &e) == -1)
		rc = fail(&e);
	else
		rc = replace(argv, pairs, npairs, p.vars);
	private_free(&p);
	return rc;
}

/* Runs the command beside a private password file kept fresh. */
static int
run_refreshed(struct target *t, const struct conn *c, char **argv,
    char **pairs, size_t npairs, struct session *s, struct buf *token)
{
	struct private_files p;
	struct child ch;
	struct err e = { 0 };
	sigset_t set, old;
	char **env;
	size_t i;
	int rc;

	/* Signals wait in the mask until sigtimedwait takes them; from now
	 * on, so that none can end iamdb with the private file left behind.
	 * The mask stays until iamdb exits: a signal that comes after the
	 * command has ended is not for anyone. */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(&set, forwarded[i]);
	sigprocmask(SIG_BLOCK, &set, &old);

	if (private_open(&p, c, &e) == -1) {
		private_close(&p);
		return fail(&e);
	}
	env = child_env(pairs, npairs, p.vars, 1);
	memset(&ch, 0, sizeof(ch));
	ch.name = argv[0];
	ch.t = t;
	ch.p = &p;
	ch.expires_at = c->expires_at;
	ch.next = refresh_time(c->expires_at, t->expires);
	rc = start(argv, env, &old, &ch.pid);
	free(env);
	/* The parent holds no secret it does not need while it waits. */
	env_pairs_free(pairs, npairs);
	conn_close(s, token);
	memset(s, 0, sizeof(*s));
	if (rc == EXIT_OK) {
		if (process_private(&e) == -1)
			warnf("warning: %s", e.msg);
		rc = supervise(&ch, &set);
	}
	private_close(&p);
	return rc;
}

static int
run(struct args *a)
{
	struct target t;
	struct session s;
	struct conn c;
	struct buf token = BUF_INIT;
	struct err e = { 0 };
	char **pairs = NULL;
	size_t npairs = 0;
	int rc, once;

	memset(&s, 0, sizeof(s));
	if (target_for(&t, a, OUT_EXEC, &e) == -1) {
		rc = usage_fail("exec", &e);
		target_free(&t);
		return rc;
	}
	/* Redis clients read REDISCLI_AUTH once and send AUTH with it on
	 * each connection: no file of theirs to keep fresh, so exec as
	 * --no-refresh does. */
	once = t.service->family == FAMILY_REDIS;
	if (a->rest == NULL || a->rest[0] == NULL)
		rc = usage_error("exec", "no command: give it after --");
	/* A refreshed file holds tokens signed now, whatever was asked. */
	else if (t.fixed_time && !a->no_refresh && !once)
		rc = usage_error("exec", "--signing-time needs --no-refresh");
	else if (conn_open(&t, &s, &token, &c, 1, &e) == -1 ||
	    env_pairs(&c, &pairs, &npairs, &e) == -1)
		rc = fail(&e);
	else if (a->no_refresh || once) {
		rc = run_replaced(&c, a->rest, pairs, npairs);
		env_pairs_free(pairs, npairs);
	} else
		rc = run_refreshed(&t, &c, a->rest, pairs, npairs, &s, &token);
	conn_close(&s, &token);
	target_free(&t);
	return rc;
}

static const struct opt own[] = {
	{ .name = "no-refresh", .kind = OPT_FLAG,
	  .field = offsetof(struct args, no_refresh),
	  .help = "Replace iamdb with the command, the token in its "
	      "environment (PGPASSWORD, MYSQL_PWD), rather than staying to "
	      "keep a password file fresh." },
	{ .name = NULL }
};

static const struct optgroup groups[] = {
	{ "Exec", own, NULL },
	{ .include = optgroups_target },
	{ NULL, NULL, NULL }
};

const struct command cmd_exec = {
	.name = "exec",
	.summary = "run a command with a password file kept fresh",
	.synopsis = "[URL] [--no-refresh] [options] -- COMMAND [ARG ...]",
	.description = "Runs COMMAND (without a shell) with the variables of "
	    "iamdb env and a private password file (PGPASSFILE, or MySQL "
	    "option files through MYSQL_HOME and MARIADB_HOME) that iamdb "
	    "keeps fresh while it runs; forwards signals to it and exits "
	    "with its status.",
	.groups = groups,
	.operands = { 1, "URL", 1 },
	.run = run,
};
