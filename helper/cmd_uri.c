/* iamdb uri: a connection URI with the token as its password. */
#include <string.h>

#include "helper.h"

static const char *const styles[] = { "libpq", "mysql", "jdbc", "redis",
	NULL };

static int
print_uri(const struct conn *c, void *arg, struct buf *out, struct err *e)
{
	return format_uri(c, *(enum uri_style *)arg, out, e);
}

static int
run(struct args *a)
{
	struct target t;
	struct err e = { 0 };
	enum uri_style style;
	int rc, mysql;

	if (target_from_args(&t, a, NULL, &e) == -1) {
		rc = usage_fail("uri", &e);
		goto out;
	}
	if (target_output(&t, OUT_URI, "uri", &e) == -1) {
		rc = usage_fail("uri", &e);
		goto out;
	}
	mysql = t.service->family == FAMILY_MYSQL;
	if (t.service->family == FAMILY_REDIS) {
		if (a->format != NULL && strcmp(a->format, "redis") != 0) {
			rc = usage_error("uri", "--format %s does not fit "
			    "engine %s", a->format, t.service->name);
			goto out;
		}
		style = URI_REDIS;
	} else if (a->format != NULL && strcmp(a->format, "redis") == 0) {
		rc = usage_error("uri", "--format redis does not fit engine %s",
		    t.service->name);
		goto out;
	} else if (a->format == NULL)
		style = mysql ? URI_MYSQL : URI_LIBPQ;
	else if (strcmp(a->format, "jdbc") == 0)
		style = URI_JDBC;
	else if ((strcmp(a->format, "mysql") == 0) != mysql) {
		rc = usage_error("uri", "--format %s does not fit engine %s",
		    a->format, t.service->name);
		goto out;
	} else
		style = mysql ? URI_MYSQL : URI_LIBPQ;
	rc = conn_print(&t, "URI", 1, print_uri, &style);
out:
	target_free(&t);
	return rc;
}

static const struct opt own[] = {
	{ .name = "format", .kind = OPT_CHOICE, .choices = styles,
	  .field = offsetof(struct args, format), .value = "STYLE",
	  .help = "libpq's postgresql:// URI, the MySQL clients' mysql:// "
	      "URI, a JDBC URL, or rediss://USER:TOKEN@HOST:PORT for "
	      "ElastiCache and MemoryDB.",
	  .dflt = "libpq for PostgreSQL and DSQL, mysql for MySQL, redis for "
	      "ElastiCache and MemoryDB",
	  .example = "--format jdbc" },
	{ .name = NULL }
};

static const struct optgroup groups[] = {
	{ "Output", own },
	{ "Connection", opts_conn },
	{ "Store", opts_store },
	{ "ElastiCache", opts_serverless },
	{ "Redshift", opts_redshift },
	{ "AWS", opts_aws },
	{ "Diagnostics", opts_verbose },
	{ NULL, NULL }
};

const struct command cmd_uri = {
	.name = "uri",
	.summary = "print a connection URI",
	.synopsis = "[URL] [--format libpq|mysql|jdbc|redis] [options]",
	.description = "Prints a connection URI with the token, "
	    "percent-encoded, as its password and TLS verification set.",
	.groups = groups,
	.operands = { 1, "URL", 0 },
	.run = run,
};
