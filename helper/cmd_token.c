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

static const struct printer printer = {
	.output = OUT_TOKEN, .what = "token", .format = print_token,
};

static int
run(struct args *a)
{
	return printer_run(a, &printer);
}

static const struct optgroup groups[] = {
	{ .include = optgroups_target },
	{ NULL, NULL, NULL }
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
