/* iamdb pgpass: the connection's line in a PostgreSQL password file. */
#include <stdlib.h>

#include "helper.h"

static char *
default_path(void)
{
	const char *v = env_nonempty("PGPASSFILE"), *home = getenv("HOME");
	struct buf b = BUF_INIT;

	if (v != NULL)
		return xstrdup(v);
	buf_printf(&b, "%s/.pgpass", home ? home : ".");
	return b.data;
}

static int
update(const char *old, size_t len, const struct args *a,
    const struct conn *c, struct buf *out, struct err *e)
{
	return pgpass_update(old, len, c, a->remove, out, e);
}

static const struct file_kind pgpass = {
	.name = "pgpass",
	.output = OUT_PGPASS,
	.default_path = default_path,
	.update = update,
};

static int
run(struct args *a)
{
	return file_command(a, &pgpass);
}

const struct opt opts_file[] = {
	{ .name = "file", .kind = OPT_TEXT, .flags = OPT_PATH,
	  .field = offsetof(struct args, file), .value = "PATH",
	  .help = "The file to write.",
	  .dflt = "for pgpass $PGPASSFILE, else ~/.pgpass; for mycnf "
	      "~/.my.cnf",
	  .example = "--file /run/app/pgpass" },
	{ .name = "remove", .kind = OPT_FLAG,
	  .field = offsetof(struct args, remove),
	  .help = "Take iamdb's entry out instead, leaving the rest of the "
	      "file as it is." },
	{ .name = "watch", .kind = OPT_FLAG,
	  .field = offsetof(struct args, watch),
	  .help = "Stay running and write a new token before the old one "
	      "runs out, until stopped with SIGTERM, SIGINT or SIGHUP." },
	{ .name = NULL }
};

static const struct optgroup groups[] = {
	{ "File", opts_file, NULL },
	{ "Connection", opts_conn, NULL },
	{ "Store", opts_store, NULL },
	{ "Redshift", opts_redshift, NULL },
	{ .include = optgroups_aws },
	{ NULL, NULL, NULL }
};

const struct command cmd_pgpass = {
	.name = "pgpass",
	.summary = "add, refresh (--watch) or --remove a ~/.pgpass line",
	.synopsis = "[URL] [--file PATH] [--remove] [--watch] [options]",
	.description = "Adds or replaces the connection's line in a "
	    "PostgreSQL password file, leaving every other line as it was; "
	    "--watch keeps rewriting it before the token expires.",
	.groups = groups,
	.operands = { 1, "URL", 0 },
	.run = run,
};
