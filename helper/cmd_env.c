/* iamdb env: the variables a client needs, for eval in a shell. */
#include <string.h>

#include "helper.h"

static const char *const syntaxes[] = {
	"sh", "bash", "zsh", "fish", "dotenv", "json", NULL
};

static int
print_env(const struct conn *c, void *arg, struct buf *out, struct err *e)
{
	const struct args *a = arg;
	const char *f = a->format ? a->format : "sh";
	enum env_syntax syntax = ENV_SH;

	if (strcmp(f, "fish") == 0)
		syntax = ENV_FISH;
	else if (strcmp(f, "dotenv") == 0)
		syntax = ENV_DOTENV;
	else if (strcmp(f, "json") == 0)
		syntax = ENV_JSON;
	return format_env(c, syntax, out, e);
}

static const struct printer printer = {
	.output = OUT_ENV, .what = "environment", .want_ca = 1,
	.format = print_env,
};

static int
run(struct args *a)
{
	return printer_run(a, &printer);
}

static const struct opt own[] = {
	{ .name = "format", .kind = OPT_CHOICE, .choices = syntaxes,
	  .field = offsetof(struct args, format), .value = "SYNTAX",
	  .help = "The syntax: export lines for a POSIX shell (sh, bash, "
	      "zsh), set -gx for fish, a .env file, or one JSON object.",
	  .dflt = "sh", .example = "--format dotenv" },
	{ .name = NULL }
};

static const struct optgroup groups[] = {
	{ "Output", own, NULL },
	{ .include = optgroups_target },
	{ NULL, NULL, NULL }
};

const struct command cmd_env = {
	.name = "env",
	.summary = "print the variables a client needs",
	.synopsis = "[URL] [--format sh|fish|dotenv|json] [options]",
	.description = "Prints the environment variables a PostgreSQL, "
	    "MySQL or Redis client needs to connect with an IAM token (PGHOST "
	    "... PGPASSWORD, MYSQL_HOST ... MYSQL_PWD, or REDISCLI_AUTH and "
	    "VALKEYCLI_AUTH, and IAMDB_*), quoted for eval in a shell.",
	.groups = groups,
	.operands = { 1, "URL", 0 },
	.run = run,
};
