/*
 * iamdb verify: checks a token as the database service would, so that a
 * local PostgreSQL or MariaDB can accept IAM tokens through PAM (pam_exec
 * with expose_authtok hands the password on standard input, NUL-ended).
 * Exit 0 accepts, 1 refuses with the reason on standard error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../providers/ini.h"
#include "helper.h"

static const char usage_text[] =
"usage: iamdb verify --keys FILE --endpoint HOST:PORT [--user USER]\n"
"                    [--region REGION] [--engine postgres|mysql|dsql]\n"
"                    [--skew SECONDS]\n"
"\n"
"Reads a token on standard input and exits 0 if a database would accept\n"
"it for USER (default $PAM_USER) at HOST:PORT, 1 if not, with the reason\n"
"on standard error. FILE holds the keys, as an AWS credentials file.\n"
"See iamdb(1).\n";

static int
refuse(const char *fmt, const char *a, const char *b)
{
	fputs("iamdb verify: refused: ", stderr);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return EXIT_FAIL;
}

/* The secret (and session token, if any) of an access key id. */
static int
lookup_key(const struct ini *keys, const char *akid, const char **secret,
    const char **token)
{
	size_t i;

	for (i = 0; i < keys->n; i++) {
		const struct ini_entry *en = &keys->e[i];

		if (strcmp(en->key, "aws_access_key_id") != 0 ||
		    strcmp(en->value, akid) != 0)
			continue;
		*secret = ini_get(keys, en->section, "aws_secret_access_key");
		*token = ini_get(keys, en->section, "aws_session_token");
		return *secret != NULL && **secret != '\0';
	}
	return 0;
}

static int
check(const struct dbtoken_info *t, const struct ini *keys,
    const char *ep_host, unsigned ep_port, const char *user,
    const char *region, int dsql, long skew)
{
	time_t now = time(NULL);
	const char *secret = NULL, *session = NULL, *presented = NULL;
	char *host_region;
	size_t i;

	if (strcmp(t->service, dsql ? "dsql" : "rds-db") != 0)
		return refuse("signed for service %s, not %s", t->service,
		    dsql ? "dsql" : "rds-db");
	if (dsql ? strcmp(t->action, strcmp(user, "admin") == 0 ?
	    "DbConnectAdmin" : "DbConnect") != 0 :
	    strcmp(t->action, "connect") != 0)
		return refuse("action %s is not the one for this user%s",
		    t->action, "");
	if (strcasecmp(t->host, ep_host) != 0 ||
	    (!dsql && t->port != ep_port)) {
		char got[16] = "", want[16] = "";

		if (!dsql) {
			snprintf(got, sizeof(got), ":%u", t->port);
			snprintf(want, sizeof(want), ":%u", ep_port);
		}
		fprintf(stderr, "iamdb verify: refused: signed for another "
		    "endpoint (%s%s), not this one (%s%s)\n", t->host, got,
		    ep_host, want);
		return EXIT_FAIL;
	}
	if (!dsql && (t->user == NULL || strcmp(t->user, user) != 0))
		return refuse("signed for user %s, not %s", t->user ? t->user :
		    "(none)", user);
	host_region = region == NULL ? region_from_host(ep_host) : NULL;
	if (region == NULL)
		region = host_region;
	if (region != NULL && strcmp(t->region, region) != 0) {
		refuse("signed for region %s, not %s", t->region, region);
		free(host_region);
		return EXIT_FAIL;
	}
	free(host_region);
	if (t->expires > (dsql ? DBTOKEN_DSQL_MAX_EXPIRES :
	    DBTOKEN_RDS_MAX_EXPIRES))
		return refuse("valid for longer than the service allows%s%s",
		    "", "");
	if (t->signed_at > now + skew)
		return refuse("signed in the future%s%s (check the clocks)",
		    "", "");
	if (now > t->signed_at + t->expires)
		return refuse("expired%s%s", "", "");
	if (!lookup_key(keys, t->access_key_id, &secret, &session))
		return refuse("unknown access key %s%s", t->access_key_id, "");
	for (i = 0; i < t->nparams; i++)
		if (strcmp(t->params[i].key, "X-Amz-Security-Token") == 0)
			presented = t->params[i].value;
	if ((session != NULL && *session != '\0') != (presented != NULL) ||
	    (presented != NULL && strcmp(presented, session) != 0))
		return refuse("the session token does not belong to key %s%s",
		    t->access_key_id, "");
	if (!dbtoken_signature_ok(t, secret))
		return refuse("the signature does not match%s%s", "", "");
	return EXIT_OK;
}

int
cmd_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "keys",	required_argument, NULL, 'k' },
		{ "endpoint",	required_argument, NULL, 'e' },
		{ "user",	required_argument, NULL, 'u' },
		{ "region",	required_argument, NULL, 'r' },
		{ "engine",	required_argument, NULL, 'E' },
		{ "skew",	required_argument, NULL, 's' },
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *keys_path = NULL, *user = getenv("PAM_USER");
	const char *region = NULL;
	struct buf in = BUF_INIT;
	struct dbtoken_info t;
	struct ini keys;
	struct err e = { 0 };
	char *ep_host = NULL, *end;
	unsigned ep_port = 0;
	long skew = 300;
	int ch, rc, dsql = 0;

	memset(&keys, 0, sizeof(keys));
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			keys_path = optarg;
			break;
		case 'e':
			free(ep_host);
			if (parse_endpoint(optarg, &ep_host, &ep_port) == -1) {
				ep_host = NULL;
				rc = usage_error("verify", "--endpoint '%s': "
				    "expected HOST:PORT", optarg);
				goto out;
			}
			break;
		case 'u':
			user = optarg;
			break;
		case 'r':
			region = optarg;
			break;
		case 'E':
			dsql = strcmp(optarg, "dsql") == 0;
			break;
		case 's':
			skew = strtol(optarg, &end, 10);
			if (*end != '\0' || skew < 0 || skew > 3600) {
				rc = usage_error("verify", "--skew '%s': "
				    "expected 0 to 3600 seconds", optarg);
				goto out;
			}
			break;
		case 'h':
			fputs(usage_text, stdout);
			rc = EXIT_OK;
			goto out;
		default:
			rc = usage_error("verify", "unknown option '%s'",
			    argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		rc = usage_error("verify", "the token is read from standard "
		    "input, not the command line");
		goto out;
	}
	if (keys_path == NULL || ep_host == NULL) {
		rc = usage_error("verify", "--keys and --endpoint are required");
		goto out;
	}
	if (user == NULL || *user == '\0') {
		rc = usage_error("verify", "no user: give --user or set "
		    "PAM_USER");
		goto out;
	}
	if (ini_load(&keys, keys_path, &e) == -1) {
		rc = fail(&e);
		goto out;
	}
	if (keys.n == 0) {
		warnx("%s holds no keys", keys_path);
		rc = EXIT_CONFIG;
		goto out;
	}
	if (read_token_stdin(&in) == -1) {
		rc = refuse("the token on standard input is unreadable or too "
		    "long%s%s", "", "");
		goto out;
	}
	if (dbtoken_parse(buf_str(&in), &t, &e) == -1) {
		/* pam_exec passes at most PAM_MAX_RESP_SIZE - 1 bytes and
		 * silently cuts longer passwords there. */
		rc = refuse("%s%s", e.msg, in.len == 511 ? " (cut at 511 "
		    "bytes, the most PAM passes on: tokens with a session "
		    "token are longer)" : "");
		goto out;
	}
	rc = check(&t, &keys, ep_host, ep_port, user, region, dsql, skew);
	dbtoken_info_free(&t);
out:
	ini_free(&keys);
	free(ep_host);
	buf_free(&in);
	return rc;
}
