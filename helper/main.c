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

static const char usage_text[] =
"usage: iamdb token --host HOST [--port PORT] --user USER [options]\n"
"       iamdb credentials [--format json|env] [--explain] [options]\n"
"       iamdb json|env|uri|pgpass|mycnf [URL] [options]\n"
"       iamdb exec [URL] [options] -- COMMAND [ARG ...]\n"
"       iamdb ca [--region REGION] [--refresh]\n"
"       iamdb inspect [--format text|json] [--endpoint HOST:PORT] [TOKEN]\n"
"       iamdb verify --keys FILE --endpoint HOST:PORT [--user USER]\n"
"       iamdb --version\n"
"       iamdb [COMMAND] --help\n"
"\n"
"Commands:\n"
"  token        print an IAM authentication token for RDS, Aurora or DSQL\n"
"  credentials  print the resolved AWS credentials (credential_process JSON)\n"
"  json         print the token and connection details as JSON (--stdin)\n"
"  env          print the variables a client needs (sh, fish, dotenv, json)\n"
"  exec         run a command with them and a password file kept fresh\n"
"  pgpass       add, refresh (--watch) or --remove a ~/.pgpass line\n"
"  mycnf        the same for a group of ~/.my.cnf\n"
"  uri          print a connection URI (libpq, mysql, jdbc)\n"
"  ca           print the path of the verified RDS CA bundle\n"
"  inspect      show what a token says, and why a database might refuse it\n"
"  verify       check a token as the database would (for PAM)\n"
"\n"
"Exit status: 0 success, 1 failure, 2 usage, 3 configuration,\n"
"4 credentials, 5 network, 6 file I/O. See iamdb(1).\n";

static const struct {
	const char	*name;
	int		(*run)(int, char **);
} commands[] = {
	{ "token",		cmd_token },
	{ "credentials",	cmd_credentials },
	{ "json",		cmd_json },
	{ "env",		cmd_env },
	{ "exec",		cmd_exec },
	{ "pgpass",		cmd_pgpass },
	{ "mycnf",		cmd_mycnf },
	{ "uri",		cmd_uri },
	{ "ca",			cmd_ca },
	{ "inspect",		cmd_inspect },
	{ "verify",		cmd_verify },
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
	size_t i;

	sanitize_fds();
	credjson_init();
	/* Write errors are reported by the writers, not by dying. */
	signal(SIGPIPE, SIG_IGN);

	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("iamdb %s\n", IAMDB_VERSION);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	return usage_error(NULL, "unknown command '%s'", argv[1]);
}
