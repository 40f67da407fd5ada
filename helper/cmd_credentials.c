#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "../common/jsonout.h"
#include "../common/timeutil.h"
#include "../providers/providers.h"
#include "helper.h"

static void
export(struct buf *b, const char *name, const char *value)
{
	buf_printf(b, "export %s=", name);
	sh_quote(b, value);
	buf_addc(b, '\n');
}

static int
credentials_env(const struct credentials *c, struct buf *out)
{
	char when[21];

	export(out, "AWS_ACCESS_KEY_ID", c->access_key_id);
	export(out, "AWS_SECRET_ACCESS_KEY", c->secret_access_key);
	if (c->session_token != NULL)
		export(out, "AWS_SESSION_TOKEN", c->session_token);
	else
		buf_adds(out, "unset AWS_SESSION_TOKEN\n");
	if (c->expiration != 0) {
		time_format_iso8601(c->expiration, when);
		export(out, "AWS_CREDENTIAL_EXPIRATION", when);
	}
	return 0;
}

static int
credentials_json(const struct credentials *c, struct buf *out,
    struct err *e)
{
	json_t *o = json_object();
	char when[21] = "";
	int rc = -1;

	if (c->expiration != 0)
		time_format_iso8601(c->expiration, when);
	if (o == NULL || jsonout_integer(o, "Version", 1) == -1 ||
	    jsonout_string(o, "AccessKeyId", c->access_key_id) == -1 ||
	    jsonout_string(o, "SecretAccessKey", c->secret_access_key) == -1 ||
	    (c->session_token != NULL && jsonout_string(o, "SessionToken",
	    c->session_token) == -1))
		err_set(e, ERR_CREDENTIALS, "the credentials from %s are not "
		    "text that JSON can carry (not UTF-8)", c->source);
	else if ((*when != '\0' && jsonout_string(o, "Expiration", when) ==
	    -1) || jsonout_dump(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER, out) ==
	    -1)
		err_set(e, ERR_INTERNAL, "cannot write JSON");
	else
		rc = 0;
	json_decref(o);
	return rc;
}

static int
run(struct args *a)
{
	struct target t;
	struct session s;
	struct buf out = BUF_INIT;
	struct err e = { 0 };
	int rc;

	memset(&t, 0, sizeof(t));
	t.profile = a->profile;
	t.region = a->region;
	t.mfa_code = a->mfa_code;
	t.no_cache = a->no_cache;
	if (a->explain)
		verbose = 1;
	if (stdout_closed) {
		warnf("standard output is closed: nowhere to write the "
		    "credentials");
		return EXIT_IO;
	}
	if (session_open(&s, &t, 0, &e) == -1)
		rc = fail(&e);
	else {
		rc = EXIT_OK;
		if (a->format != NULL && strcmp(a->format, "env") == 0)
			credentials_env(&s.creds, &out);
		else if (credentials_json(&s.creds, &out, &e) == -1)
			rc = fail(&e);
		if (rc == EXIT_OK && write_out(stdout, &out, "credentials", &e)
		    == -1)
			rc = fail(&e);
	}
	buf_free(&out);
	session_close(&s);
	return rc;
}

static const char *const formats[] = { "json", "env", NULL };

static const struct opt own[] = {
	{ .name = "format", .kind = OPT_CHOICE, .choices = formats,
	  .field = offsetof(struct args, format), .value = "FORMAT",
	  .help = "json: credential_process JSON (Version 1); env: export "
	      "lines for a POSIX shell.",
	  .dflt = "json", .example = "--format env" },
	{ .name = "explain", .kind = OPT_FLAG,
	  .field = offsetof(struct args, explain),
	  .help = "Say on standard error which sources were tried and what "
	      "each found (as -v)." },
	{ .name = NULL }
};

static const struct optgroup groups[] = {
	{ "Output", own, NULL },
	{ .include = optgroups_aws },
	{ NULL, NULL, NULL }
};

const struct command cmd_credentials = {
	.name = "credentials",
	.summary = "print the resolved AWS credentials",
	.synopsis = "[--format json|env] [--explain] [options]",
	.description = "Prints the AWS credentials iamdb resolves, as "
	    "credential_process JSON (Version 1) or as shell export lines, "
	    "so that other AWS tools can use iamdb's chain and cache.",
	.groups = groups,
	.run = run,
};
