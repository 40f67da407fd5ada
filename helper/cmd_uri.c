#include <stdio.h>
#include <string.h>

#include "helper.h"

static const char usage_text[] =
"usage: iamdb uri [URL] [--format libpq|mysql|jdbc] [--host HOST]\n"
"                 [--port PORT] [--user USER] [--database NAME]\n"
"                 [--engine ENGINE] [--region REGION] [--profile NAME]\n"
"                 [--ca-bundle PATH] [--sslmode MODE] [--expires SECONDS]\n"
"                 [-v]\n"
"\n"
"Prints a connection URI with the token as its password and TLS\n"
"verification set. See iamdb(1).\n";

struct uri_opts {
	enum uri_style	style;
	int		given;
};

static int
own(void *arg, int ch, const char *value)
{
	struct uri_opts *o = arg;

	if (ch != 'f')
		return 0;
	if (strcmp(value, "libpq") == 0)
		o->style = URI_LIBPQ;
	else if (strcmp(value, "mysql") == 0)
		o->style = URI_MYSQL;
	else if (strcmp(value, "jdbc") == 0)
		o->style = URI_JDBC;
	else {
		usage_error("uri", "--format '%s': expected libpq, mysql or "
		    "jdbc", value);
		return -1;
	}
	o->given = 1;
	return 1;
}

static void
print_uri(const struct conn *c, void *arg, struct buf *out)
{
	format_uri(c, ((struct uri_opts *)arg)->style, out);
}

int
cmd_uri(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format",	required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct uri_opts o = { URI_LIBPQ, 0 };
	struct target t;
	int rc;

	target_init(&t);
	if ((rc = target_args(&t, "uri", usage_text, argc, argv, longopts,
	    own, &o, NULL)) != 0 || (rc = target_finish(&t, "uri")) != 0)
		goto out;
	if (!o.given)
		o.style = t.engine == DB_MYSQL ? URI_MYSQL : URI_LIBPQ;
	if ((o.style == URI_LIBPQ && t.engine == DB_MYSQL) ||
	    (o.style == URI_MYSQL && t.engine != DB_MYSQL)) {
		rc = usage_error("uri", "--format %s does not fit engine %s",
		    o.style == URI_LIBPQ ? "libpq" : "mysql",
		    t.engine_name ? t.engine_name : "postgres");
		goto out;
	}
	rc = conn_print(&t, "URI", 1, print_uri, &o);
out:
	target_free(&t);
	return rc == -1 ? EXIT_OK : rc;
}
