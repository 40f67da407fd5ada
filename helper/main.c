#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../providers/credjson.h"
#include "helper.h"

#ifndef IAMDB_VERSION
#define IAMDB_VERSION "unknown"
#endif

const struct command *const commands[] = {
	&cmd_token, &cmd_credentials, &cmd_json, &cmd_env, &cmd_exec,
	&cmd_pgpass, &cmd_mycnf, &cmd_uri, &cmd_ca, &cmd_eks, &cmd_inspect,
	&cmd_verify, &cmd_setup, &cmd_doctor, &cmd_pgbouncer, &cmd_summon,
	&cmd_render, &cmd_serve, &cmd_help, &cmd_completion,
};
const size_t ncommands = sizeof(commands) / sizeof(commands[0]);

static void
usage(struct buf *b)
{
	size_t i;

	for (i = 0; i < ncommands; i++)
		buf_printf(b, "%s iamdb %s %s\n", i ? "      " : "usage:",
		    commands[i]->name, commands[i]->synopsis);
	buf_adds(b, "       iamdb --version\n\nCommands:\n");
	for (i = 0; i < ncommands; i++)
		buf_printf(b, "  %-12s %s\n", commands[i]->name,
		    commands[i]->summary);
	buf_adds(b, "\n-v, --profile and --region may also come before the "
	    "command.\n"
	    "Exit status: 0 success, 1 failure, 2 usage, 3 configuration,\n"
	    "4 credentials, 5 network, 6 file I/O. See iamdb(1).\n");
}

static int
print(FILE *f, struct buf *b)
{
	int rc = fwrite(buf_str(b), 1, b->len, f) == b->len &&
	    fflush(f) != EOF ? EXIT_OK : EXIT_IO;

	buf_free(b);
	return rc;
}

static const struct command *
find(const char *name)
{
	size_t i;

	for (i = 0; i < ncommands; i++)
		if (strcmp(name, commands[i]->name) == 0)
			return commands[i];
	return NULL;
}

static int
unknown_command(const char *name)
{
	const char *names[sizeof(commands) / sizeof(commands[0])], *near;
	size_t i;

	for (i = 0; i < ncommands; i++)
		names[i] = commands[i]->name;
	if ((near = opt_nearest(name, names, ncommands)) != NULL)
		return usage_error(NULL, "unknown command '%s' (did you mean "
		    "'%s'?)", name, near);
	return usage_error(NULL, "unknown command '%s'", name);
}

/* iamdb help [COMMAND] */
static int
help_run(struct args *a)
{
	const struct command *c;
	struct buf b = BUF_INIT;

	if (a->noperands == 0) {
		usage(&b);
		return print(stdout, &b);
	}
	if ((c = find(a->operands[0])) == NULL)
		return unknown_command(a->operands[0]);
	opt_help(c, &b);
	return print(stdout, &b);
}

const struct command cmd_help = {
	.name = "help",
	.summary = "describe a command and its options",
	.synopsis = "[COMMAND]",
	.description = "Prints what COMMAND does and each of its options, "
	    "with its default and an example; without COMMAND, the list of "
	    "commands.",
	.operands = { 1, "COMMAND", 0 },
	.run = help_run,
};

static int
completion_run(struct args *a)
{
	struct buf b = BUF_INIT;
	struct err e = { 0 };

	if (a->noperands != 1)
		return usage_error("completion", "give the shell: bash, zsh "
		    "or fish");
	if (opt_completion(commands, ncommands, a->operands[0], &b, &e) == -1)
		return usage_fail("completion", &e);
	return print(stdout, &b);
}

const struct command cmd_completion = {
	.name = "completion",
	.summary = "print a completion script for bash, zsh or fish",
	.synopsis = "bash|zsh|fish",
	.description = "Prints the shell's completion script for iamdb, "
	    "made from the same tables as the option parser: for bash, "
	    "source it (make install puts it where bash-completion finds "
	    "it); for zsh, put it in a directory of $fpath as _iamdb; for "
	    "fish, in ~/.config/fish/completions/iamdb.fish.",
	.operands = { 1, "SHELL", 0 },
	.run = completion_run,
};

/* A closed fd 0-2 would make a secret land in whatever file is opened
 * next with that number: fill them with /dev/null, and remember that
 * stdout was closed so that no token is "printed" into nothing. */
static void
sanitize_fds(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) == -1) {
			if (open("/dev/null", fd == 0 ? O_RDONLY :
			    O_WRONLY) == -1)
				_exit(EXIT_FAIL);
			if (fd == 1)
				stdout_closed = 1;
		}
}

int
main(int argc, char **argv)
{
	const struct command *c;
	struct args a;
	struct buf b = BUF_INIT;
	struct err e = { 0 };
	int next;

	sanitize_fds();
	/* Write errors are reported by the writers, not by dying. */
	signal(SIGPIPE, SIG_IGN);

	memset(&a, 0, sizeof(a));
	if (opt_parse_global(argc, argv, &next, &a, &e) == -1)
		return usage_fail(NULL, &e);
	if (next >= argc) {
		usage(&b);
		print(stderr, &b);
		return EXIT_USAGE;
	}
	if (strcmp(argv[next], "--version") == 0 ||
	    strcmp(argv[next], "-V") == 0) {
		buf_printf(&b, "iamdb %s\n", IAMDB_VERSION);
		return print(stdout, &b);
	}
	if (strcmp(argv[next], "--help") == 0 || strcmp(argv[next], "-h") == 0) {
		usage(&b);
		return print(stdout, &b);
	}
	if ((c = find(argv[next])) == NULL)
		return unknown_command(argv[next]);
	if (opt_parse(c, argc - next, argv + next, &a, &e) == -1)
		return usage_fail(c->name, &e);
	verbose = a.verbose;
	if (a.help) {
		opt_help(c, &b);
		return print(stdout, &b);
	}
	return c->run(&a);
}
