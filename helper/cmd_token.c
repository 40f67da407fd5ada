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
"                   [--signing-time YYYY-MM-DDTHH:MM:SSZ] [-v]\n"
"\n"
"Prints an IAM database authentication token for RDS, Aurora or Aurora\n"
"DSQL on standard output. See iamdb(1).\n";

/* Resolves region and credentials, then signs. Shared by every mode that
 * needs a token. */
static int
make_token(struct target *t, struct buf *token)
{
	struct awsconfig cfg;
	struct provider_ctx ctx;
	struct credentials c;
	struct region region;
	struct sigv4_credentials sc;
	struct dbtoken_target dt;
	struct err e = { 0 };
	int rc = EXIT_OK;

	awsconfig_init(&cfg, t->profile);
	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = &cfg;
	ctx.now = t->when;

	if (awsconfig_check_profile(&cfg, &e) == -1) {
		rc = fail(&e);
		goto out_cfg;
	}
	if (region_resolve(&region, t->region, t->host, &cfg, &e) == -1) {
		rc = fail(&e);
		goto out_cfg;
	}
	if (region.warning != NULL)
		warnx("warning: %s", region.warning);
	if (verbose)
		warnx("region %s (from %s)", region.name, region.source);

	if (credentials_resolve(&ctx, &c, &e) == -1) {
		rc = fail(&e);
		goto out_region;
	}
	if (verbose)
		fprintf(stderr, "iamdb: credentials chain:\n%s",
		    buf_str(&ctx.explain));

	sc.access_key_id = c.access_key_id;
	sc.secret_access_key = c.secret_access_key;
	sc.session_token = c.session_token;
	dt.engine = t->engine;
	dt.host = t->host;
	dt.port = t->port;
	dt.user = t->user;
	dt.region = region.name;
	dt.expires = t->expires;
	dt.when = t->when;
	if (dbtoken_make(NULL, &dt, &sc, token, &e) == -1)
		rc = fail(&e);
	credentials_free(&c);
out_region:
	region_free(&region);
out_cfg:
	buf_free(&ctx.explain);
	awsconfig_free(&cfg);
	return rc;
}

int
cmd_token(int argc, char **argv)
{
	static const struct option longopts[] = {
		TARGET_OPTIONS,
		{ "verbose",	no_argument,	NULL, 'v' },
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
		case 'v':
			verbose = 1;
			break;
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
