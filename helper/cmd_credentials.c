#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "../common/timeutil.h"
#include "../providers/providers.h"
#include "helper.h"

static const char usage_text[] =
"usage: iamdb credentials [--format json|env] [--explain] [--profile NAME]\n"
"                         [--region REGION] [--mfa-code CODE] [--no-cache]\n"
"                         [-v]\n"
"\n"
"Prints the AWS credentials iamdb resolves, as credential_process JSON\n"
"(Version 1) or as shell export lines. See iamdb(1).\n";

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
credentials_json(const struct credentials *c, struct buf *out)
{
	json_t *o = json_object();
	char when[21], *text;

	json_object_set_new(o, "Version", json_integer(1));
	json_object_set_new(o, "AccessKeyId", json_string(c->access_key_id));
	json_object_set_new(o, "SecretAccessKey",
	    json_string(c->secret_access_key));
	if (c->session_token != NULL)
		json_object_set_new(o, "SessionToken",
		    json_string(c->session_token));
	if (c->expiration != 0) {
		time_format_iso8601(c->expiration, when);
		json_object_set_new(o, "Expiration", json_string(when));
	}
	text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (text == NULL)
		return -1;
	buf_adds(out, text);
	buf_addc(out, '\n');
	wipe_str(text);
	return 0;
}

int
cmd_credentials(int argc, char **argv)
{
	static const struct option longopts[] = {
		AUTH_OPTIONS,
		{ "format",	required_argument, NULL, 'f' },
		{ "explain",	no_argument,	NULL, 'x' },
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct target t;
	struct session s;
	struct buf out = BUF_INIT;
	const char *format = "json";
	int ch, rc;

	target_init(&t);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		case 'x':
			verbose = 1;
			break;
		case 'f':
			if (strcmp(optarg, "json") != 0 &&
			    strcmp(optarg, "env") != 0)
				return usage_error("credentials", "--format "
				    "'%s': expected json or env", optarg);
			format = optarg;
			break;
		default:
			if ((rc = target_option(&t, "credentials", ch,
			    optarg)) == 1)
				break;
			if (rc == -1)
				return EXIT_USAGE;
			return usage_error("credentials", "unknown option "
			    "'%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("credentials", "unexpected argument '%s'",
		    argv[optind]);
	if (stdout_closed) {
		warnx("standard output is closed: nowhere to write the "
		    "credentials");
		return EXIT_IO;
	}
	if ((rc = session_open(&s, &t, 0)) == EXIT_OK) {
		if (strcmp(format, "env") == 0)
			credentials_env(&s.creds, &out);
		else
			credentials_json(&s.creds, &out);
		if (fwrite(out.data, 1, out.len, stdout) != out.len ||
		    fflush(stdout) == EOF) {
			warnx("writing the credentials: %s", strerror(errno));
			rc = EXIT_IO;
		}
	}
	buf_free(&out);
	session_close(&s);
	return rc;
}
