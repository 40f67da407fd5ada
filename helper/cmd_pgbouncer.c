/* iamdb pgbouncer: the server user's token in pgbouncer's auth_file, and
 * SIGHUP to pgbouncer, which rereads the file only then (since 1.17). */
#include <signal.h>
#include <string.h>

#include "../common/fileio.h"
#include "helper.h"

/* pgbouncer 1.16 takes passwords of at most 995 bytes; 1.17 to 1.25
 * 2047, which pgbouncer_update enforces. */
#define PGBOUNCER_1_16_MAX	995

static int
update(const char *old, size_t len, const struct args *a,
    const struct conn *c, struct buf *out, struct err *e)
{
	size_t n = c->token ? strlen(c->token) : 0;

	if (n > PGBOUNCER_1_16_MAX && n <= PGBOUNCER_MAX_PASSWORD)
		warnf("warning: the token is %zu bytes: pgbouncer 1.17 or later "
		    "is needed (1.16 takes at most %d)", n, PGBOUNCER_1_16_MAX);
	return pgbouncer_update(old, len, c, a->remove, out, e);
}

static int
reload(const struct args *a, struct err *e)
{
	int sent;

	if (a->pidfile == NULL)
		return 0;
	if (signal_pidfile(a->pidfile, SIGHUP, &sent, e) == -1)
		return -1;
	if (!sent)
		warnf("pgbouncer is not running (%s names no process): it "
		    "reads the auth_file when it starts", a->pidfile);
	else if (verbose)
		warnf("sent SIGHUP to the process in %s", a->pidfile);
	return 0;
}

static const struct file_kind pgbouncer = {
	.name = "pgbouncer",
	.engine = "postgres",
	.output = OUT_PGPASS,
	.update = update,
	.file_flags = SECRET_FILE_KEEP_GROUP,
	.after = reload,
};

static int
run(struct args *a)
{
	if (a->file == NULL)
		return usage_error("pgbouncer", "--auth-file is required");
	return file_command(a, &pgbouncer);
}

static const struct opt opts_pgbouncer[] = {
	{ .name = "auth-file", .kind = OPT_TEXT, .flags = OPT_PATH,
	  .field = offsetof(struct args, file), .value = "FILE",
	  .help = "pgbouncer's auth_file, in which iamdb keeps the line of "
	      "the URL's user; every other line stays as it is, and a file "
	      "its group may read stays readable by that group (0640).",
	  .example = "--auth-file /etc/pgbouncer/userlist.txt" },
	{ .name = "pidfile", .kind = OPT_TEXT, .flags = OPT_PATH,
	  .field = offsetof(struct args, pidfile), .value = "PIDFILE",
	  .help = "pgbouncer's pidfile: its process gets SIGHUP after each "
	      "change, so that it rereads the auth_file.",
	  .example = "--pidfile /run/postgresql/pgbouncer.pid" },
	{ .name = "watch", .kind = OPT_FLAG,
	  .field = offsetof(struct args, watch),
	  .help = "Stay running and write a new token well before the old "
	      "one runs out (5 minutes before, or a third of --expires), "
	      "until stopped with SIGTERM, SIGINT or SIGHUP." },
	{ .name = NULL }
};

static const struct optgroup groups[] = {
	{ "pgbouncer", opts_pgbouncer, NULL },
	{ .include = optgroups_conn },
	{ NULL, NULL, NULL }
};

const struct command cmd_pgbouncer = {
	.name = "pgbouncer",
	.summary = "keep a server user's token in pgbouncer's auth_file",
	.synopsis = "URL --auth-file FILE [--pidfile PIDFILE] [--watch] "
	    "[options]",
	.description = "Writes the \"USER\" \"TOKEN\" line for the URL's user "
	    "into a pgbouncer auth_file, for a [databases] entry that forces "
	    "that server user without a password=, and signals pgbouncer to "
	    "reread it; --watch keeps doing so before the token expires.",
	.groups = groups,
	.operands = { 1, "URL", 0 },
	.run = run,
};
