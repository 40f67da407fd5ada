/* iamdb json: the token and the connection as one JSON object; with
 * --stdin, the request too, as Terraform's external data source sends
 * it. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "helper.h"

/* The request's fields, as the options of the same names; strings stay
 * in *keep, which lives as long as a. */
static int
read_request(struct args *a, json_t **keep, struct err *e)
{
	static const struct {
		const char *key, *option;
	} fields[] = {
		{ "host", "host" }, { "port", "port" }, { "user", "user" },
		{ "engine", "engine" }, { "region", "region" },
		{ "profile", "profile" }, { "database", "database" },
		{ "expires", "expires" }, { "signing_time", "signing-time" },
		{ "ca_bundle", "ca-bundle" }, { "sslmode", "sslmode" },
		{ "mfa_code", "mfa-code" },
	};
	json_error_t je;
	json_t *req, *v;
	const char *url;
	size_t i;

	if ((req = json_loadf(stdin, JSON_REJECT_DUPLICATES, &je)) == NULL ||
	    !json_is_object(req)) {
		json_decref(req);
		return err_set(e, ERR_USAGE, "--stdin: expected a JSON object "
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
			return err_set(e, ERR_USAGE, "--stdin: \"%s\" must be "
			    "a string", fields[i].key);
		if (*s == '\0')
			continue;
		if (opt_set(&cmd_json, fields[i].option, s, a, e) == -1)
			return -1;
	}
	if ((url = json_string_value(json_object_get(req, "url"))) != NULL &&
	    *url != '\0' && a->noperands == 0)
		a->operands[a->noperands++] = (char *)url;
	return 0;
}

static int
print_json(const struct conn *c, void *arg, struct buf *out, struct err *e)
{
	(void)arg;
	return format_json(c, out, e);
}

static const struct printer printer = {
	.output = OUT_JSON, .what = "JSON", .want_ca = 1, .format = print_json,
};

static int
run(struct args *a)
{
	struct err e = { 0 };
	json_t *req = NULL;
	int rc;

	if (a->from_stdin && read_request(a, &req, &e) == -1)
		rc = usage_fail("json", &e);
	else
		rc = printer_run(a, &printer);
	json_decref(req);
	return rc;
}

static const struct opt own[] = {
	{ .name = "stdin", .kind = OPT_FLAG,
	  .field = offsetof(struct args, from_stdin),
	  .help = "Read the connection from a JSON object on standard "
	      "input (host, port, user, engine, region, profile, database, "
	      "expires, signing_time, ca_bundle, sslmode, mfa_code, url), "
	      "as Terraform's external data source sends it." },
	{ .name = NULL }
};

static const struct optgroup groups[] = {
	{ "Input", own, NULL },
	{ .include = optgroups_target },
	{ NULL, NULL, NULL }
};

const struct command cmd_json = {
	.name = "json",
	.summary = "print the token and the connection as JSON",
	.synopsis = "[URL] [options] | --stdin",
	.description = "Prints the token and the connection details as one "
	    "JSON object of strings: token, host, port, user, database, "
	    "engine, region, expires_at, sslmode and sslrootcert; for eks "
	    "and msk token, engine, cluster (eks), region, expires_at and "
	    "expiry_ms (msk: the expiry in milliseconds).",
	.groups = groups,
	.operands = { 1, "URL", 0 },
	.run = run,
};
