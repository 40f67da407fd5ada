/* iamdb uri: a connection URI with the token as its password. */
#include <string.h>

#include "helper.h"

static const char *const styles[] = { "libpq", "mysql", "jdbc", "redis",
	NULL };

/* --format against the engine: redis URIs for the Redis family and only
 * for it, mysql:// for MySQL's and libpq's for PostgreSQL's; JDBC for
 * both of those. */
static int
check_style(const struct target *t, const struct args *a, struct err *e)
{
	const char *f = a->format;
	int redis = t->service->family == FAMILY_REDIS;
	int mysql = t->service->family == FAMILY_MYSQL;

	if (f == NULL || (!redis && strcmp(f, "jdbc") == 0))
		return 0;
	if ((strcmp(f, "redis") == 0) == redis &&
	    (redis || (strcmp(f, "mysql") == 0) == mysql))
		return 0;
	return err_set(e, ERR_USAGE, "--format %s does not fit engine %s", f,
	    t->service->name);
}

static int
print_uri(const struct conn *c, void *arg, struct buf *out, struct err *e)
{
	const struct args *a = arg;
	enum uri_style style = c->service->family == FAMILY_MYSQL ?
	    URI_MYSQL : URI_LIBPQ;

	if (c->service->family == FAMILY_REDIS)
		style = URI_REDIS;
	else if (a->format != NULL && strcmp(a->format, "jdbc") == 0)
		style = URI_JDBC;
	return format_uri(c, style, out, e);
}

static const struct printer printer = {
	.output = OUT_URI, .what = "URI", .want_ca = 1, .check = check_style,
	.format = print_uri,
};

static int
run(struct args *a)
{
	return printer_run(a, &printer);
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
	{ "Output", own, NULL },
	{ .include = optgroups_target },
	{ NULL, NULL, NULL }
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
