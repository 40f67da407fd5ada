/* iamdb token: the token on standard output. */
#include "helper.h"

static int
print_token(const struct conn *c, void *arg, struct buf *out, struct err *e)
{
	(void)arg;
	(void)e;
	buf_adds(out, c->token);
	buf_addc(out, '\n');
	return 0;
}

static int
run(struct args *a)
{
	struct target t;
	struct err e = { 0 };
	int rc;

	if (target_from_args(&t, a, NULL, &e) == -1 ||
	    target_output(&t, OUT_TOKEN, "token", &e) == -1)
		rc = usage_fail("token", &e);
	else
		rc = conn_print(&t, "token", 0, print_token, NULL);
	target_free(&t);
	return rc;
}

static const struct optgroup groups[] = {
	{ "Connection", opts_conn },
	{ "Store", opts_store },
	{ "ElastiCache", opts_serverless },
	{ "Redshift", opts_redshift },
	{ "AWS", opts_aws },
	{ "Diagnostics", opts_verbose },
	{ NULL, NULL }
};

const struct command cmd_token = {
	.name = "token",
	.summary = "print an IAM authentication token",
	.synopsis = "[URL] --host HOST --user USER [--port PORT] "
	    "[--engine ENGINE] [--cluster NAME] [--serverless] [options]",
	.description = "Prints an IAM authentication token on standard "
	    "output: for RDS, Aurora or Aurora DSQL the password of USER at "
	    "HOST:PORT for the next --expires seconds; for elasticache and "
	    "memorydb USER's password at the cache HOST; for eks a bearer "
	    "token for cluster HOST; for msk a SASL OAUTHBEARER token. URL "
	    "(postgres://USER@HOST:PORT/DB, mysql://, mariadb://, dsql://) "
	    "may stand for --host, --port, --user and --engine.",
	.groups = groups,
	.operands = { 1, "URL", 0 },
	.run = run,
};
