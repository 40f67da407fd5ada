#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../formats/formats.h"
#include "../providers/providers.h"
#include "helper.h"

static const char usage_text[] =
"usage: iamdb token [URL] --host HOST [--port PORT] --user USER\n"
"                   [--engine postgres|mysql|dsql] [--region REGION]\n"
"                   [--profile NAME] [--expires SECONDS]\n"
"                   [--signing-time YYYY-MM-DDTHH:MM:SSZ]\n"
"                   [--mfa-code CODE] [--no-cache] [-v]\n"
"\n"
"Prints an IAM database authentication token for RDS, Aurora or Aurora\n"
"DSQL on standard output. See iamdb(1).\n";

int
cmd_token(int argc, char **argv)
{
	struct target t;
	struct session s;
	struct conn c;
	struct buf token = BUF_INIT;
	struct err e = { 0 };
	int rc;

	memset(&s, 0, sizeof(s));
	target_init(&t);
	if ((rc = target_args(&t, "token", usage_text, argc, argv, NULL, NULL,
	    NULL, NULL)) != 0 || (rc = target_finish(&t, "token")) != 0)
		goto out;
	if (stdout_closed) {
		warnx("standard output is closed: nowhere to write the token");
		rc = EXIT_IO;
		goto out;
	}
	if ((rc = conn_open(&t, &s, &token, &c, 0)) == EXIT_OK &&
	    format_token(stdout, c.token, &e) == -1)
		rc = fail(&e);
	conn_close(&s, &token);
out:
	target_free(&t);
	return rc == -1 ? EXIT_OK : rc;
}
