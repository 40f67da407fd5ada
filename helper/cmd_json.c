#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "helper.h"

static const char usage_text[] =
"usage: iamdb json [URL] [--host HOST] [--port PORT] [--user USER]\n"
"                  [--database NAME] [--engine ENGINE] [--region REGION]\n"
"                  [--profile NAME] [--ca-bundle PATH] [--sslmode MODE]\n"
"                  [--expires SECONDS] [--signing-time TIME] [-v]\n"
"       iamdb json --stdin\n"
"\n"
"Prints the token and the connection details as one JSON object of\n"
"strings. With --stdin, reads the same fields as a JSON object on standard\n"
"input, as Terraform's external data source sends them. See iamdb(1).\n";

static int
own(void *arg, int ch, const char *value)
{
	(void)value;
	if (ch != 'i')
		return 0;
	*(int *)arg = 1;
	return 1;
}

/* The request's fields, as the options of the same names. */
static int
read_request(struct target *t, json_t **keep)
{
	static const struct {
		const char *key;
		int opt;
	} fields[] = {
		{ "host", 'H' }, { "port", 'P' }, { "user", 'U' },
		{ "engine", 'E' }, { "region", 'R' }, { "profile", 'F' },
		{ "database", 'D' }, { "expires", 'X' },
		{ "signing_time", 'T' }, { "ca_bundle", 'C' },
		{ "sslmode", 'S' }, { "mfa_code", 'M' },
	};
	json_error_t je;
	json_t *req, *v;
	const char *url;
	size_t i;

	if ((req = json_loadf(stdin, JSON_REJECT_DUPLICATES, &je)) == NULL ||
	    !json_is_object(req)) {
		json_decref(req);
		return usage_error("json", "--stdin: expected a JSON object "
		    "(%s)", req == NULL ? je.text : "not an object");
	}
	*keep = req;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		char num[32];
		const char *s;

		if ((v = json_object_get(req, fields[i].key)) == NULL ||
		    json_is_null(v))
			continue;
		if (json_is_integer(v)) {
			snprintf(num, sizeof(num), "%lld",
			    (long long)json_integer_value(v));
			s = num;
		} else if (json_is_string(v))
			s = json_string_value(v);
		else
			return usage_error("json", "--stdin: \"%s\" must be a "
			    "string", fields[i].key);
		if (*s == '\0')
			continue;
		/* Numbers (port, expires) are converted at once; strings
		 * stay in *keep, which lives as long as t. */
		if (target_option(t, "json", fields[i].opt, s) == -1)
			return EXIT_USAGE;
	}
	if ((url = json_string_value(json_object_get(req, "url"))) != NULL &&
	    *url != '\0')
		return target_url(t, "json", url);
	return 0;
}

static void
print_json(const struct conn *c, void *arg, struct buf *out)
{
	(void)arg;
	format_json(c, out);
}

int
cmd_json(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "stdin",	no_argument,	NULL, 'i' },
		{ NULL, 0, NULL, 0 }
	};
	struct target t;
	json_t *req = NULL;
	int rc, from_stdin = 0;

	target_init(&t);
	if ((rc = target_args(&t, "json", usage_text, argc, argv, longopts,
	    own, &from_stdin, NULL)) != 0)
		goto out;
	if (from_stdin && (rc = read_request(&t, &req)) != 0)
		goto out;
	if ((rc = target_finish(&t, "json")) != 0)
		goto out;
	rc = conn_print(&t, "JSON", 1, print_json, NULL);
out:
	json_decref(req);
	target_free(&t);
	return rc == -1 ? EXIT_OK : rc;
}
