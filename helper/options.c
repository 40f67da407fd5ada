/* The option tables that many commands share. */
#include <stdlib.h>
#include <string.h>

#include "helper.h"

static const char *const sslmodes[] = {
	"verify-full", "verify-ca", "require", "prefer", "allow", "disable",
	NULL
};

int
check_engine(const char *v, struct err *e)
{
	struct buf names = BUF_INIT;

	if (service_find(v) != NULL)
		return 0;
	service_names(&names);
	err_set(e, ERR_USAGE, "--engine '%s': expected %s", v,
	    buf_str(&names));
	buf_free(&names);
	return -1;
}

void
engine_names(struct buf *b)
{
	size_t i;

	for (i = 0; i < nservices; i++)
		buf_printf(b, "%s%s%s%s", i ? " " : "", services[i].name,
		    *services[i].aliases ? " " : "", services[i].aliases);
}

int
check_endpoint(const char *v, struct err *e)
{
	char *host;
	unsigned port;

	if (url_endpoint(v, &host, &port, e) == -1)
		return -1;
	free(host);
	return 0;
}

const struct opt opts_aws[] = {
	{ .name = "profile", .kind = OPT_TEXT, .flags = OPT_GLOBAL,
	  .field = offsetof(struct args, profile), .value = "NAME",
	  .help = "The profile of the shared config and credentials files "
	      "to take credentials and the region from.",
	  .dflt = "$AWS_PROFILE, else $AWS_DEFAULT_PROFILE, else default",
	  .example = "--profile prod-readonly" },
	{ .name = "region", .kind = OPT_TEXT, .flags = OPT_GLOBAL,
	  .field = offsetof(struct args, region), .value = "REGION",
	  .help = "The AWS region to sign for.",
	  .dflt = "the region in the host name, else $AWS_REGION, "
	      "$AWS_DEFAULT_REGION, the profile's region",
	  .example = "--region eu-west-1" },
	{ .name = "mfa-code", .kind = OPT_TEXT,
	  .field = offsetof(struct args, mfa_code), .value = "CODE",
	  .help = "The code for a role's mfa_serial, instead of asking on "
	      "the terminal.",
	  .example = "--mfa-code 123456" },
	{ .name = "no-cache", .kind = OPT_FLAG,
	  .field = offsetof(struct args, no_cache),
	  .help = "Neither read nor write the credential cache." },
	{ .name = NULL }
};

const struct opt opts_verbose[] = {
	{ .name = "verbose", .letter = 'v', .kind = OPT_FLAG,
	  .flags = OPT_GLOBAL, .field = offsetof(struct args, verbose),
	  .help = "Say on standard error what iamdb found and did: where "
	      "the region and the credentials came from, the files it "
	      "wrote." },
	{ .name = NULL }
};

const struct opt opts_conn[] = {
	{ .name = "host", .alias = "hostname", .kind = OPT_TEXT,
	  .field = offsetof(struct args, host), .value = "HOST",
	  .help = "The endpoint, exactly as the client connects to it.",
	  .example = "--host mydb.123456789012.us-east-1.rds.amazonaws.com" },
	{ .name = "port", .kind = OPT_NUMBER, .min = 1, .max = 65535,
	  .field = offsetof(struct args, port), .value = "PORT",
	  .help = "The port the client connects to.",
	  .dflt = "the engine's (postgres and dsql 5432, mysql 3306, "
	      "elasticache and memorydb 6379)",
	  .example = "--port 5433" },
	{ .name = "user", .alias = "username", .kind = OPT_TEXT,
	  .field = offsetof(struct args, user), .value = "USER",
	  .help = "The database user to log in as.",
	  .example = "--user app_user" },
	{ .name = "engine", .kind = OPT_TEXT, .check = check_engine,
	  .values = engine_names,
	  .field = offsetof(struct args, engine), .value = "ENGINE",
	  .help = "The kind of database: postgres (or postgresql, "
	      "aurora-postgresql), mysql (or aurora-mysql), mariadb, dsql "
	      "for Aurora DSQL, elasticache, memorydb, eks, msk, redshift or "
	      "redshift-serverless.",
	  .dflt = "the URL's scheme, else postgres when --port is given",
	  .example = "--engine mysql" },
	{ .name = "database", .alias = "dbname", .kind = OPT_TEXT,
	  .field = offsetof(struct args, database), .value = "NAME",
	  .help = "The database to connect to, for the outputs that name "
	      "one.",
	  .example = "--database app" },
	{ .name = "expires", .kind = OPT_NUMBER, .min = 1, .max = 31536000,
	  .field = offsetof(struct args, expires), .value = "SECONDS",
	  .help = "How long the token is valid: RDS, ElastiCache, MemoryDB "
	      "and MSK take at most 900, EKS 900 (but holds every token to "
	      "15 minutes; its default is 60), Aurora DSQL 604800; Redshift's "
	      "logins last 900 to 3600.",
	  .dflt = "900", .example = "--expires 300" },
	{ .name = "signing-time", .kind = OPT_TIME,
	  .field = offsetof(struct args, signing_time),
	  .value = "YYYY-MM-DDTHH:MM:SSZ",
	  .help = "Sign as at this time instead of now, for reproducible "
	      "tokens.",
	  .example = "--signing-time 2024-01-01T00:00:00Z" },
	{ .name = "ca-bundle", .kind = OPT_TEXT, .flags = OPT_PATH,
	  .field = offsetof(struct args, ca_bundle), .value = "PATH",
	  .help = "The CA certificates the client verifies the server with.",
	  .dflt = "$IAMDB_CA_BUNDLE, else the RDS bundle iamdb keeps",
	  .example = "--ca-bundle /etc/ssl/rds/global-bundle.pem" },
	{ .name = "sslmode", .kind = OPT_CHOICE, .choices = sslmodes,
	  .field = offsetof(struct args, sslmode), .value = "MODE",
	  .help = "The TLS mode the client is told to use, in libpq's "
	      "names; anything below verify-full is weaker.",
	  .dflt = "verify-full", .example = "--sslmode verify-ca" },
	{ .name = NULL }
};

/* What names the store beyond its endpoint (issue 11): for the commands
 * that serve ElastiCache, MemoryDB and EKS tokens. */
const struct opt opts_store[] = {
	{ .name = "cluster", .kind = OPT_TEXT,
	  .field = offsetof(struct args, cluster), .value = "NAME",
	  .help = "For elasticache and memorydb, the replication group, "
	      "serverless cache or cluster the token is for, when --host is "
	      "the address to connect to; for eks, the cluster; for redshift, "
	      "the cluster's identifier.",
	  .dflt = "taken from --host (for redshift, the host name's first "
	      "label)",
	  .example = "--cluster my-replication-group" },
	{ .name = NULL }
};

const struct opt opts_serverless[] = {
	{ .name = "serverless", .kind = OPT_FLAG,
	  .field = offsetof(struct args, serverless),
	  .help = "For elasticache: the cache is a serverless cache." },
	{ .name = NULL }
};

/* Redshift's own (--cluster is the store's, above). */
const struct opt opts_redshift[] = {
	{ .name = "workgroup", .kind = OPT_TEXT,
	  .field = offsetof(struct args, workgroup), .value = "NAME",
	  .help = "The Redshift Serverless workgroup, and --engine "
	      "redshift-serverless.",
	  .dflt = "the host name's first label",
	  .example = "--workgroup default-wg" },
	{ .name = "auto-create", .kind = OPT_FLAG,
	  .field = offsetof(struct args, auto_create),
	  .help = "Have Redshift create the user if it does not exist "
	      "(GetClusterCredentials' AutoCreate)." },
	{ .name = "db-groups", .kind = OPT_TEXT,
	  .field = offsetof(struct args, db_groups), .value = "GROUP,...",
	  .help = "The database groups the user joins for the session "
	      "(GetClusterCredentials' DbGroups).",
	  .example = "--db-groups readers,etl" },
	{ .name = NULL }
};

/* The groups that commands include after their own: every option of a
 * command that signs for any store (token, json, env, exec, uri); of one
 * for a database (mycnf, pgbouncer, render, setup, summon, doctor); and
 * of one that only needs AWS credentials. */
const struct optgroup optgroups_target[] = {
	{ "Connection", opts_conn, NULL },
	{ "Store", opts_store, NULL },
	{ "ElastiCache", opts_serverless, NULL },
	{ "Redshift", opts_redshift, NULL },
	{ "AWS", opts_aws, NULL },
	{ "Diagnostics", opts_verbose, NULL },
	{ NULL, NULL, NULL }
};

const struct optgroup optgroups_conn[] = {
	{ "Connection", opts_conn, NULL },
	{ "AWS", opts_aws, NULL },
	{ "Diagnostics", opts_verbose, NULL },
	{ NULL, NULL, NULL }
};

const struct optgroup optgroups_aws[] = {
	{ "AWS", opts_aws, NULL },
	{ "Diagnostics", opts_verbose, NULL },
	{ NULL, NULL, NULL }
};
