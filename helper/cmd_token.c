#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../formats/formats.h"
#include "../providers/providers.h"
#include "helper.h"

static const char usage_text[] =
"usage: iamdb token --host HOST [--port PORT] --user USER\n"
"                   [--engine postgres|mysql|dsql] [--region REGION]\n"
"                   [--profile NAME] [--expires SECONDS]\n"
"                   [--signing-time YYYY-MM-DDTHH:MM:SSZ]\n"
"                   [--mfa-code CODE] [--no-cache] [-v]\n"
"\n"
"Prints an IAM database authentication token for RDS, Aurora or Aurora\n"
"DSQL on standard output. See iamdb(1).\n";

static int
make_token(const struct target *t, struct buf *token)
{
	struct session s;
	struct sigv4_credentials sc;
	struct dbtoken_target dt;
	struct err e = { 0 };
	int rc;

	if ((rc = session_open(&s, t, 1)) != EXIT_OK) {
		session_close(&s);
		return rc;
	}
	sc.access_key_id = s.creds.access_key_id;
	sc.secret_access_key = s.creds.secret_access_key;
	sc.session_token = s.creds.session_token;
	dt.engine = t->engine;
	dt.host = t->host;
	dt.port = t->port;
	dt.user = t->user;
	dt.region = s.region.name;
	dt.expires = t->expires;
	dt.when = t->when;
	if (dbtoken_make(NULL, &dt, &sc, token, &e) == -1)
		rc = fail(&e);
	session_close(&s);
	return rc;
}

int
cmd_token(int argc, char **argv)
{
	static const struct option longopts[] = {
		TARGET_OPTIONS,
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct target t;
	struct buf token = BUF_INIT;
	struct err e = { 0 };
	int ch, rc;

	target_init(&t);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		default:
			if ((rc = target_option(&t, "token", ch, optarg)) == 1)
				break;
			if (rc == -1)
				return EXIT_USAGE;
			return usage_error("token", "unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("token", "unexpected argument '%s'",
		    argv[optind]);
	if (target_finish(&t, "token") != 0)
		return EXIT_USAGE;
	if (stdout_closed) {
		warnx("standard output is closed: nowhere to write the token");
		return EXIT_IO;
	}
	if ((rc = make_token(&t, &token)) != EXIT_OK)
		return rc;
	if (format_token(stdout, buf_str(&token), &e) == -1)
		rc = fail(&e);
	buf_free(&token);
	return rc;
}
