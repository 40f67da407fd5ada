/*
 * iamdb render: a template with connections' fields filled in, written as
 * the other secret files are; with --watch made again before the first
 * token runs out, after which the reader is told: a signal to the pid in
 * --pidfile, or --on-change's program run (no shell) and waited for.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/fileio.h"
#include "helper.h"

#define MAX_TEMPLATE	(1 << 20)
#define MAX_URLS	(sizeof(((struct args *)0)->operands) / \
			    sizeof(((struct args *)0)->operands[0]))

static const char *const signals[] = {
	"HUP", "USR1", "USR2", "INT", "TERM", "QUIT", NULL
};
static const int signal_numbers[] = {
	SIGHUP, SIGUSR1, SIGUSR2, SIGINT, SIGTERM, SIGQUIT
};

struct render {
	const struct args	*a;
	struct buf		 text;		/* the template */
	struct target		 t[MAX_URLS];
	char			*names[MAX_URLS];
	size_t			 n;
	/* this round's connections */
	struct session		 s[MAX_URLS];
	struct conn		 c[MAX_URLS];
	struct buf		 token[MAX_URLS];
	struct template_conn	 tc[MAX_URLS];
};

static int
read_template(const char *path, struct buf *b, struct err *e)
{
	struct stat st;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(e, ERR_IO, "%s is not a regular file", path);
	}
	if (read_fd(fd, MAX_TEMPLATE, b) == -1) {
		err_set(e, ERR_IO, "%s: %s", path, errno == EFBIG ?
		    "larger than 1 MiB" : strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (memchr(buf_str(b), '\0', b->len) != NULL)
		return err_set(e, ERR_USAGE, "%s holds a NUL byte", path);
	return 0;
}

/* NAME=URL: the name, cut off the operand; else the URL's number. */
static char *
url_name(char **operand, size_t i)
{
	char *s = *operand, *eq = strchr(s, '='), *colon = strchr(s, ':');
	struct buf b = BUF_INIT;
	size_t k;

	if (eq != NULL && eq > s && (colon == NULL || eq < colon)) {
		for (k = 0; s + k < eq; k++)
			if (!((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' &&
			    s[k] <= 'Z') || (s[k] >= '0' && s[k] <= '9') ||
			    s[k] == '_' || s[k] == '-'))
				break;
		if (s + k == eq) {
			*operand = eq + 1;
			return xstrndup(s, k);
		}
	}
	buf_printf(&b, "%zu", i + 1);
	return b.data;
}

static int
update(const char *old, size_t len, void *arg, struct buf *out,
    struct err *e)
{
	const struct buf *b = arg;

	(void)old;
	(void)len;
	(void)e;
	buf_add(out, b->data, b->len);
	return 0;
}

/* Runs --on-change's program with the arguments after "--", and waits. */
static int
run_hook(const struct args *a, struct err *e)
{
	char **argv;
	size_t n = 0, i;
	pid_t pid;
	int st;

	while (a->rest != NULL && a->rest[n] != NULL)
		n++;
	argv = xcalloc(n + 2, sizeof(*argv));
	argv[0] = (char *)a->on_change;
	for (i = 0; i < n; i++)
		argv[i + 1] = a->rest[i];
	if ((pid = fork()) == -1) {
		free(argv);
		return err_set(e, ERR_INTERNAL, "cannot start %s: %s",
		    a->on_change, strerror(errno));
	}
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		warnf("%s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	free(argv);
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return err_set(e, ERR_INTERNAL, "waiting for %s: %s",
			    a->on_change, strerror(errno));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFSIGNALED(st))
		return err_set(e, ERR_INTERNAL, "%s was killed by signal %d",
		    a->on_change, WTERMSIG(st));
	return err_set(e, ERR_INTERNAL, "%s exited with status %d",
	    a->on_change, WEXITSTATUS(st));
}

static int
tell(const struct args *a, struct err *e)
{
	size_t i;
	int sent;

	if (a->on_change != NULL)
		return run_hook(a, e);
	if (a->pidfile == NULL)
		return 0;
	for (i = 0; strcmp(signals[i], a->signal_name ? a->signal_name :
	    "HUP") != 0; i++)
		;
	if (signal_pidfile(a->pidfile, signal_numbers[i], &sent, e) == -1)
		return -1;
	if (!sent)
		warnf("%s names no running process: not signalled",
		    a->pidfile);
	else if (verbose)
		warnf("sent SIG%s to the process in %s", signals[i],
		    a->pidfile);
	return 0;
}

/* One round: a token for each URL, the file, then the reader told. */
static int
render_once(void *arg, time_t *expires_at, struct err *e)
{
	struct render *r = arg;
	struct buf out = BUF_INIT;
	size_t i, opened = 0;
	int rc = -1;

	for (i = 0; i < r->n; i++) {
		memset(&r->s[i], 0, sizeof(r->s[i]));
		if (!r->t[i].fixed_time)
			r->t[i].when = time(NULL);
		opened++;
		if (conn_open(&r->t[i], &r->s[i], &r->token[i], &r->c[i], 1,
		    e) == -1)
			goto out;
		r->tc[i].name = r->names[i];
		r->tc[i].conn = &r->c[i];
		if (i == 0 || r->c[i].expires_at < *expires_at)
			*expires_at = r->c[i].expires_at;
	}
	if (template_render(buf_str(&r->text), r->text.len, r->tc, r->n,
	    &out, e) == -1) {
		struct err why = *e;

		err_set(e, why.kind, "%s: %s", r->a->template_path, why.msg);
		goto out;
	}
	buf_add(&out, "", 0);
	if (secret_file_update(r->a->out_path, update, &out, 10000, e) == -1)
		goto out;
	if (verbose)
		warnf("wrote %s", r->a->out_path);
	rc = tell(r->a, e);
out:
	for (i = 0; i < opened; i++)
		conn_close(&r->s[i], &r->token[i]);
	buf_free(&out);
	return rc;
}

static int
run(struct args *a)
{
	struct render r;
	struct err e = { 0 };
	size_t i;
	long lifetime = 0;
	int rc = EXIT_OK;

	memset(&r, 0, sizeof(r));
	r.a = a;
	if (a->template_path == NULL || a->out_path == NULL)
		return usage_error("render", "--template and --out are "
		    "required");
	if (a->pidfile != NULL && a->on_change != NULL)
		return usage_error("render", "--pidfile and --on-change do not "
		    "go together");
	if (a->signal_name != NULL && a->pidfile == NULL)
		return usage_error("render", "--signal needs --pidfile");
	if (a->rest != NULL && a->rest[0] != NULL && a->on_change == NULL)
		return usage_error("render", "arguments after -- are for "
		    "--on-change's program");
	if (a->watch && a->signing_time.set)
		return usage_error("render", "--watch does not go with "
		    "--signing-time");
	/* Each URL is a target of its own, with the options given. */
	r.n = a->noperands > 0 ? a->noperands : 1;
	for (i = 0; i < r.n; i++) {
		char *url = a->noperands > 0 ? a->operands[i] : NULL;

		r.names[i] = url ? url_name(&url, i) : xstrdup("1");
		if (target_from_url(&r.t[i], a, url, NULL, &e) == -1) {
			r.n = i + 1;
			rc = usage_fail("render", &e);
			goto out;
		}
		if (i == 0 || r.t[i].expires < lifetime)
			lifetime = r.t[i].expires;
	}
	for (i = 0; i < r.n; i++) {
		size_t k;

		for (k = 0; k < i; k++)
			if (strcmp(r.names[i], r.names[k]) == 0) {
				rc = usage_error("render", "two URLs are named "
				    "'%s'", r.names[i]);
				goto out;
			}
	}
	if (read_template(a->template_path, &r.text, &e) == -1) {
		rc = fail(&e);
		goto out;
	}
	rc = watch_run(a->watch, a->out_path, lifetime, render_once, &r);
out:
	for (i = 0; i < r.n; i++) {
		target_free(&r.t[i]);
		free(r.names[i]);
	}
	buf_free(&r.text);
	return rc;
}

static const struct opt opts_render[] = {
	{ .name = "template", .kind = OPT_TEXT, .flags = OPT_PATH,
	  .field = offsetof(struct args, template_path), .value = "FILE",
	  .help = "The template: text with {{ FIELD }}, {{ FIELD | FILTER }} "
	      "or {{ NAME.FIELD | FILTER }}; fields token, host, port, user, "
	      "database, ca, sslmode, expires; filters json, yaml, ini, "
	      "shell, url.",
	  .example = "--template grafana-datasource.yaml.tmpl" },
	{ .name = "out", .kind = OPT_TEXT, .flags = OPT_PATH,
	  .field = offsetof(struct args, out_path), .value = "FILE",
	  .help = "The file to write (0600, replaced atomically).",
	  .example = "--out /etc/grafana/provisioning/datasources/rds.yaml" },
	{ .name = "watch", .kind = OPT_FLAG,
	  .field = offsetof(struct args, watch),
	  .help = "Stay running and render again before the first token "
	      "runs out, until stopped with SIGTERM, SIGINT or SIGHUP." },
	{ .name = "pidfile", .kind = OPT_TEXT, .flags = OPT_PATH,
	  .field = offsetof(struct args, pidfile), .value = "PIDFILE",
	  .help = "After each rendering, signal the process whose pid this "
	      "file holds.",
	  .example = "--pidfile /run/grafana/grafana-server.pid" },
	{ .name = "signal", .kind = OPT_CHOICE, .choices = signals,
	  .field = offsetof(struct args, signal_name), .value = "SIG",
	  .help = "The signal for --pidfile.", .dflt = "HUP",
	  .example = "--signal USR1" },
	{ .name = "on-change", .kind = OPT_TEXT,
	  .field = offsetof(struct args, on_change), .value = "COMMAND",
	  .help = "After each rendering, run this program (no shell; its "
	      "arguments follow --) and wait for it.",
	  .example = "--on-change systemctl -- reload grafana-server" },
	{ .name = NULL }
};

static const struct optgroup groups[] = {
	{ "Render", opts_render, NULL },
	{ .include = optgroups_conn },
	{ NULL, NULL, NULL }
};

const struct command cmd_render = {
	.name = "render",
	.summary = "fill a template with tokens and connection fields",
	.synopsis = "--template FILE --out FILE [[NAME=]URL ...] [--watch] "
	    "[--pidfile PIDFILE [--signal SIG] | --on-change COMMAND "
	    "[-- ARG ...]] [options]",
	.description = "Writes the template with each placeholder replaced by "
	    "a field of one of the URLs' connections, escaped by its filter; "
	    "unknown placeholders and filters are errors. URLs are named "
	    "NAME=URL, or by their number (1, 2, ...); with one URL a field "
	    "needs no name. --watch renders again before the first token "
	    "runs out, then signals --pidfile's process or runs --on-change.",
	.groups = groups,
	.operands = { MAX_URLS, "URL", 1 },
	.run = run,
};
