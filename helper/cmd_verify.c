/*
 * iamdb verify: checks a token as the database service would, so that a
 * local PostgreSQL or MariaDB can accept IAM tokens through PAM (pam_exec
 * with expose_authtok hands the password on standard input, NUL-ended).
 * Exit 0 accepts, 1 refuses with the reason on standard error. The policy
 * itself is sigv4's dbtoken_verify.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../providers/ini.h"
#include "helper.h"

static int
refuse(const char *why, const char *more)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s%s", why, more);
	print_line("iamdb verify: refused: ", buf_str(&b));
	buf_free(&b);
	return EXIT_FAIL;
}

/* The keys file is an AWS credentials file: any section with the key. */
static int
lookup_key(void *arg, const char *akid, const char **secret,
    const char **token)
{
	const struct ini *keys = arg;
	size_t i;

	for (i = 0; i < keys->n; i++) {
		const struct ini_entry *en = &keys->e[i];

		if (strcmp(en->key, "aws_access_key_id") != 0 ||
		    strcmp(en->value, akid) != 0)
			continue;
		*secret = ini_get(keys, en->section, "aws_secret_access_key");
		*token = ini_get(keys, en->section, "aws_session_token");
		if (*token != NULL && **token == '\0')
			*token = NULL;
		return *secret != NULL && **secret != '\0';
	}
	return 0;
}

static int
check_token(const char *token, const struct args *a, const char *user,
    const struct ini *keys)
{
	struct dbtoken_policy p;
	struct dbtoken_info t;
	struct err e = { 0 };
	char *host = NULL, *host_region = NULL;
	int rc;

	memset(&p, 0, sizeof(p));
	if (url_endpoint(a->endpoint, &host, &p.port, &e) == -1)
		return usage_fail("verify", &e);
	if (dbtoken_parse(token, &t, &e) == -1) {
		/* pam_exec passes at most PAM_MAX_RESP_SIZE - 1 bytes and
		 * silently cuts longer passwords there. */
		free(host);
		return refuse(e.msg, strlen(token) == 511 ? " (cut at 511 "
		    "bytes, the most PAM passes on: tokens with a session "
		    "token are longer)" : "");
	}
	p.service = service_find(a->engine ? a->engine : "postgres");
	p.host = host;
	p.user = user;
	p.region = a->region;
	if (p.region == NULL)
		p.region = host_region = region_from_host(host);
	p.now = time(NULL);
	p.skew = a->skew.set ? a->skew.v : 300;
	rc = dbtoken_verify(&t, &p, lookup_key, (void *)keys, &e) == 0 ?
	    EXIT_OK : refuse(e.msg, "");
	dbtoken_info_free(&t);
	free(host_region);
	free(host);
	return rc;
}

static int
run(struct args *a)
{
	const char *user = a->user ? a->user : getenv("PAM_USER");
	struct buf in = BUF_INIT;
	struct ini keys;
	struct err e = { 0 };
	int rc;

	memset(&keys, 0, sizeof(keys));
	if (a->noperands > 0)
		return usage_error("verify", "the token is read from standard "
		    "input, not the command line");
	if (a->keys == NULL || a->endpoint == NULL)
		return usage_error("verify", "--keys and --endpoint are "
		    "required");
	if (user == NULL || *user == '\0')
		return usage_error("verify", "no user: give --user or set "
		    "PAM_USER");
	if (ini_load(&keys, a->keys, &e) == -1)
		return fail(&e);
	if (keys.n == 0) {
		warnf("%s holds no keys", a->keys);
		rc = EXIT_CONFIG;
	} else if (read_token_stdin(&in) == -1)
		rc = refuse("the token on standard input is unreadable or too "
		    "long", "");
	else
		rc = check_token(buf_str(&in), a, user, &keys);
	ini_free(&keys);
	buf_free(&in);
	return rc;
}

static const struct opt own[] = {
	{ .name = "keys", .kind = OPT_TEXT, .flags = OPT_PATH,
	  .field = offsetof(struct args, keys), .value = "FILE",
	  .help = "The keys the database accepts, as an AWS credentials "
	      "file: each section's aws_access_key_id and "
	      "aws_secret_access_key (and aws_session_token).",
	  .example = "--keys /etc/iamdb/keys" },
	{ .name = "endpoint", .kind = OPT_TEXT, .check = check_endpoint,
	  .field = offsetof(struct args, endpoint), .value = "HOST:PORT",
	  .help = "The endpoint clients connect to, which tokens must be "
	      "signed for.",
	  .example = "--endpoint localhost:5432" },
	{ .name = "user", .kind = OPT_TEXT,
	  .field = offsetof(struct args, user), .value = "USER",
	  .help = "The user logging in.", .dflt = "$PAM_USER",
	  .example = "--user jane" },
	{ .name = "region", .kind = OPT_TEXT,
	  .field = offsetof(struct args, region), .value = "REGION",
	  .help = "The region tokens must be signed for.",
	  .dflt = "the region in the endpoint's host name, else any",
	  .example = "--region us-east-1" },
	{ .name = "engine", .kind = OPT_TEXT, .check = check_engine,
	  .values = engine_names,
	  .field = offsetof(struct args, engine), .value = "ENGINE",
	  .help = "The kind of database: dsql checks Aurora DSQL's "
	      "actions; the others, RDS's.",
	  .dflt = "postgres", .example = "--engine dsql" },
	{ .name = "skew", .kind = OPT_NUMBER, .min = 0, .max = 3600,
	  .field = offsetof(struct args, skew), .value = "SECONDS",
	  .help = "How far in the future a token's signing time may be.",
	  .dflt = "300", .example = "--skew 60" },
	{ .name = NULL }
};

static const struct optgroup groups[] = {
	{ "Verification", own, NULL },
	{ "Diagnostics", opts_verbose, NULL },
	{ NULL, NULL, NULL }
};

const struct command cmd_verify = {
	.name = "verify",
	.summary = "check a token as the database would (for PAM)",
	.synopsis = "--keys FILE --endpoint HOST:PORT [--user USER] "
	    "[--region REGION] [--engine ENGINE] [--skew SECONDS]",
	.description = "Reads a token on standard input and exits 0 if a "
	    "database would accept it for USER at HOST:PORT, 1 if not, with "
	    "the reason on standard error.",
	.groups = groups,
	.operands = { 1, "TOKEN", 0 },
	.run = run,
};
