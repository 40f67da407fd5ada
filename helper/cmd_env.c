#include <stdio.h>
#include <string.h>

#include "helper.h"

static const char usage_text[] =
"usage: iamdb env [URL] [--format sh|fish|dotenv|json] [--host HOST]\n"
"                 [--port PORT] [--user USER] [--database NAME]\n"
"                 [--engine ENGINE] [--region REGION] [--profile NAME]\n"
"                 [--ca-bundle PATH] [--sslmode MODE] [--expires SECONDS]\n"
"                 [-v]\n"
"\n"
"Prints the environment variables a PostgreSQL or MySQL client needs to\n"
"connect with an IAM token, for eval in a shell. See iamdb(1).\n";

static int
own(void *arg, int ch, const char *value)
{
	static const struct {
		const char *name;
		enum env_syntax syntax;
	} formats[] = {
		{ "sh", ENV_SH }, { "bash", ENV_SH }, { "zsh", ENV_SH },
		{ "fish", ENV_FISH }, { "dotenv", ENV_DOTENV },
		{ "json", ENV_JSON },
	};
	size_t i;

	if (ch != 'f')
		return 0;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(value, formats[i].name) == 0) {
			*(enum env_syntax *)arg = formats[i].syntax;
			return 1;
		}
	usage_error("env", "--format '%s': expected sh, fish, dotenv or json",
	    value);
	return -1;
}

static void
print_env(const struct conn *c, void *arg, struct buf *out)
{
	format_env(c, *(enum env_syntax *)arg, out);
}

int
cmd_env(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format",	required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	enum env_syntax syntax = ENV_SH;
	struct target t;
	int rc;

	target_init(&t);
	if ((rc = target_args(&t, "env", usage_text, argc, argv, longopts,
	    own, &syntax, NULL)) == 0 && (rc = target_finish(&t, "env")) == 0)
		rc = conn_print(&t, "environment", 1, print_env, &syntax);
	target_free(&t);
	return rc == -1 ? EXIT_OK : rc;
}
