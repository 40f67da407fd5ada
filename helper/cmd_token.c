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

static void
print_token(const struct conn *c, void *arg, struct buf *out)
{
	(void)arg;
	buf_adds(out, c->token);
	buf_addc(out, '\n');
}

int
cmd_token(int argc, char **argv)
{
	struct target t;
	int rc;

	target_init(&t);
	if ((rc = target_args(&t, "token", usage_text, argc, argv, NULL, NULL,
	    NULL, NULL)) == 0 && (rc = target_finish(&t, "token")) == 0)
		rc = conn_print(&t, "token", 0, print_token, NULL);
	target_free(&t);
	return rc == -1 ? EXIT_OK : rc;
}
