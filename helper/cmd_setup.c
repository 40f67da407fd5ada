/*
 * iamdb setup: what IAM database authentication needs for one database
 * user, ready to paste: the SQL that makes the user, the IAM policy that
 * lets a principal log in as it, the lockdown of the master user, and the
 * client's settings. It prints; it changes nothing.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/jsonout.h"
#include "../providers/awsdiag.h"
#include "../sigv4/service.h"
#include "../sigv4/sigv4.h"
#include "helper.h"

static const char *const formats[] = { "text", "json", NULL };

/* What setup prints, built once for both formats. */
struct plan {
	const struct target	*t;
	const char		*region;
	const char		*partition;
	const char		*account;
	const char		*resource;	/* DbiResourceId, cluster id */
	const char		*master;
	const char		*action;	/* rds-db:connect, ... */
	struct buf		 arn;		/* the policy's Resource */
	struct buf		 sql;		/* one statement a line */
	struct buf		 lockdown;	/* statements, or empty */
	struct buf		 lockdown_note;
	struct buf		 client;	/* iamdb commands, a line each */
	char			*dsql_id;	/* resource, when from the host */
};

/* A MySQL string literal. A backslash is refused, since whether it
 * escapes depends on the server's sql_mode (NO_BACKSLASH_ESCAPES). */
static int
mysql_string(struct buf *b, const char *s, const char *what, struct err *e)
{
	if (strchr(s, '\\') != NULL)
		return err_set(e, ERR_USAGE, "%s '%s': a backslash cannot be "
		    "quoted for every sql_mode; rename it", what, s);
	buf_addc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			buf_addc(b, '\'');
		buf_addc(b, *s);
	}
	buf_addc(b, '\'');
	return 0;
}

/* An identifier in quote marks q, which are doubled inside it: PostgreSQL's
 * "name", MySQL's `name`. */
static void
quoted_ident(struct buf *b, const char *s, char q)
{
	buf_addc(b, q);
	for (; *s != '\0'; s++) {
		if (*s == q)
			buf_addc(b, q);
		buf_addc(b, *s);
	}
	buf_addc(b, q);
}

/* MySQL's host part for an IPv4 CIDR: octet-aligned prefixes as wildcards
 * ('10.0.%'), others as the ip/netmask form MySQL and MariaDB take. */
static int
cidr_host(const char *cidr, struct buf *out, struct err *e)
{
	char addr[INET_ADDRSTRLEN + 1], *end;
	const char *slash = strchr(cidr, '/');
	struct in_addr in;
	unsigned char o[4];
	unsigned long bits;
	uint32_t mask, net;
	size_t n;

	if (slash == NULL || (n = (size_t)(slash - cidr)) >= sizeof(addr))
		goto bad;
	memcpy(addr, cidr, n);
	addr[n] = '\0';
	bits = strtoul(slash + 1, &end, 10);
	if (inet_pton(AF_INET, addr, &in) != 1 || slash[1] < '0' ||
	    slash[1] > '9' || *end != '\0' || bits > 32)
		goto bad;
	mask = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
	net = ntohl(in.s_addr);
	if ((net & ~mask) != 0)
		return err_set(e, ERR_USAGE, "--vpc-cidr '%s': host bits are "
		    "set; the network is %u.%u.%u.%u/%lu", cidr,
		    (net & mask) >> 24, (net & mask) >> 16 & 0xff,
		    (net & mask) >> 8 & 0xff, net & mask & 0xff, bits);
	o[0] = net >> 24;
	o[1] = net >> 16 & 0xff;
	o[2] = net >> 8 & 0xff;
	o[3] = net & 0xff;
	if (bits == 0)
		buf_adds(out, "%");
	else if (bits == 32)
		buf_printf(out, "%u.%u.%u.%u", o[0], o[1], o[2], o[3]);
	else if (bits % 8 == 0) {
		for (n = 0; n < bits / 8; n++)
			buf_printf(out, "%u.", o[n]);
		buf_addc(out, '%');
	} else
		buf_printf(out, "%u.%u.%u.%u/%u.%u.%u.%u", o[0], o[1], o[2],
		    o[3], mask >> 24, mask >> 16 & 0xff, mask >> 8 & 0xff,
		    mask & 0xff);
	return 0;
bad:
	return err_set(e, ERR_USAGE, "--vpc-cidr '%s': expected an IPv4 "
	    "network like 10.0.0.0/16", cidr);
}

static int
mysql_plan(struct plan *p, const struct args *a, struct err *e)
{
	const struct target *t = p->t;
	struct buf host = BUF_INIT;
	int rc = -1;

	buf_adds(&p->sql, "CREATE USER ");
	if (mysql_string(&p->sql, t->user, "user", e) == -1)
		goto out;
	buf_adds(&p->sql, "@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS "
	    "'RDS' REQUIRE SSL;\n");
	buf_adds(&p->sql, "GRANT SELECT ON ");
	if (t->database != NULL) {
		quoted_ident(&p->sql, t->database, '`');
		buf_adds(&p->sql, ".*");
	} else
		buf_adds(&p->sql, "DATABASE.*");
	buf_adds(&p->sql, " TO ");
	mysql_string(&p->sql, t->user, "user", e);
	buf_adds(&p->sql, "@'%';  -- grant what the user needs\n");

	if (a->vpc_cidr == NULL) {
		buf_printf(&p->lockdown_note, "give --vpc-cidr to restrict "
		    "the master user %s to the VPC: it keeps a fixed "
		    "password", p->master);
		rc = 0;
		goto out;
	}
	if (cidr_host(a->vpc_cidr, &host, e) == -1)
		goto out;
	buf_adds(&p->lockdown, "RENAME USER ");
	if (mysql_string(&p->lockdown, p->master, "--master", e) == -1)
		goto out;
	buf_adds(&p->lockdown, "@'%' TO ");
	mysql_string(&p->lockdown, p->master, "--master", e);
	buf_addc(&p->lockdown, '@');
	mysql_string(&p->lockdown, buf_str(&host), "--vpc-cidr", e);
	buf_adds(&p->lockdown, ";\n");
	buf_printf(&p->lockdown_note, "the master user %s can then log in "
	    "only from %s", p->master, a->vpc_cidr);
	rc = 0;
out:
	buf_free(&host);
	return rc;
}

static int
postgres_plan(struct plan *p, const struct args *a)
{
	const struct target *t = p->t;

	buf_adds(&p->sql, "CREATE USER ");
	quoted_ident(&p->sql, t->user, '"');
	buf_adds(&p->sql, ";\nGRANT rds_iam TO ");
	quoted_ident(&p->sql, t->user, '"');
	buf_adds(&p->sql, ";\n");
	buf_printf(&p->lockdown_note, "RDS for PostgreSQL has no per-user "
	    "host restriction (pg_hba.conf is not yours to edit): limit the "
	    "security group's inbound rule for port %u to %s, and keep the "
	    "master user %s's password in Secrets Manager with rotation",
	    t->port, a->vpc_cidr ? a->vpc_cidr : "the VPC's CIDR",
	    p->master);
	return 0;
}

static void
dsql_plan(struct plan *p)
{
	const struct target *t = p->t;

	if (strcmp(t->user, "admin") == 0) {
		buf_adds(&p->lockdown_note, "admin is Aurora DSQL's own role: "
		    "it needs dsql:DbConnectAdmin and no SQL");
		return;
	}
	buf_adds(&p->sql, "CREATE ROLE ");
	quoted_ident(&p->sql, t->user, '"');
	buf_adds(&p->sql, " WITH LOGIN;\nAWS IAM GRANT ");
	quoted_ident(&p->sql, t->user, '"');
	buf_printf(&p->sql, " TO 'arn:%s:iam::%s:role/ROLE';  -- the IAM "
	    "role that logs in\n", p->partition, p->account);
	buf_adds(&p->lockdown_note, "Aurora DSQL has no password users: "
	    "keep dsql:DbConnectAdmin for the roles that administer it");
}

/* The iamdb commands that connect, as shell words. */
static void
client_plan(struct plan *p)
{
	const struct target *t = p->t;
	const char *client = t->service->family == FAMILY_MYSQL ? "mysql" :
	    "psql";
	struct buf url = BUF_INIT;

	buf_printf(&url, "%s://", t->service->name);
	sigv4_uri_encode(&url, t->user, strlen(t->user), 0);
	buf_printf(&url, "@%s:%u", t->host, t->port);
	if (t->database != NULL) {
		buf_addc(&url, '/');
		sigv4_uri_encode(&url, t->database, strlen(t->database), 0);
	}
	buf_printf(&p->client, "iamdb %s ", t->service->family ==
	    FAMILY_MYSQL ? "mycnf" : "pgpass");
	sh_quote(&p->client, buf_str(&url));
	buf_adds(&p->client, "\niamdb exec ");
	sh_quote(&p->client, buf_str(&url));
	buf_printf(&p->client, " -- %s\n", client);
	buf_free(&url);
}

/* Names go into SQL and onto the terminal as they are: no controls. */
static int
printable(const char *s, const char *what, struct err *e)
{
	for (; s != NULL && *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return err_set(e, ERR_USAGE, "%s: a control character "
			    "cannot be part of it here", what);
	return 0;
}

static int
plan_make(struct plan *p, const struct args *a, const struct target *t,
    const char *region, struct err *e)
{
	int dsql = strcmp(t->service->signing_name, "dsql") == 0;

	p->t = t;
	p->region = region;
	p->partition = partition_name(region);
	p->account = a->account;
	p->resource = a->resource_id;
	if (p->account == NULL)
		return err_set(e, ERR_USAGE, "give --account: the policy "
		    "names the database's AWS account");
	if (p->resource == NULL && dsql)
		p->resource = p->dsql_id = dsql_identifier(t->host);
	if (p->resource == NULL)
		return err_set(e, ERR_USAGE, "give --resource-id: the policy "
		    "names the %s, and %s is no RDS endpoint name to look it "
		    "up by (aws rds describe-db-instances shows DbiResourceId, "
		    "describe-db-clusters DbClusterResourceId)",
		    dsql ? "cluster id" : "instance's resource id", t->host);
	p->master = a->master ? a->master :
	    t->service->family == FAMILY_MYSQL ? "admin" : "postgres";
	if (printable(t->user, "the user", e) == -1 ||
	    printable(t->database, "the database", e) == -1 ||
	    printable(t->host, "the host", e) == -1 ||
	    printable(p->master, "--master", e) == -1)
		return -1;

	if (dsql) {
		p->action = strcmp(t->user, "admin") == 0 ?
		    "dsql:DbConnectAdmin" : "dsql:DbConnect";
		buf_printf(&p->arn, "arn:%s:dsql:%s:%s:cluster/%s",
		    p->partition, region, p->account, p->resource);
		dsql_plan(p);
	} else {
		p->action = "rds-db:connect";
		buf_printf(&p->arn, "arn:%s:rds-db:%s:%s:dbuser:%s/%s",
		    p->partition, region, p->account, p->resource, t->user);
		if (t->service->family == FAMILY_MYSQL) {
			if (mysql_plan(p, a, e) == -1)
				return -1;
		} else
			postgres_plan(p, a);
	}
	client_plan(p);
	return 0;
}

static json_t *
policy(const struct plan *p)
{
	return json_pack("{s:s, s:[{s:s, s:s, s:s}]}", "Version",
	    "2012-10-17", "Statement", "Effect", "Allow", "Action", p->action,
	    "Resource", buf_str(&p->arn));
}

/* The lines of text as a JSON array. */
static json_t *
lines(const struct buf *text)
{
	json_t *arr = json_array();
	const char *s = buf_str(text), *nl;

	while (arr != NULL && *s != '\0') {
		nl = strchr(s, '\n');
		if (json_array_append_new(arr, json_stringn(s,
		    (size_t)(nl - s))) == -1) {
			json_decref(arr);
			return NULL;
		}
		s = nl + 1;
	}
	return arr;
}

static int
print_json(const struct plan *p, struct buf *out)
{
	const struct target *t = p->t;
	json_t *o = json_object();
	int rc = -1;

	if (o != NULL && jsonout_string(o, "engine", t->service->name) == 0 &&
	    jsonout_string(o, "host", t->host) == 0 &&
	    jsonout_integer(o, "port", t->port) == 0 &&
	    jsonout_string(o, "user", t->user) == 0 &&
	    jsonout_string(o, "region", p->region) == 0 &&
	    jsonout_string(o, "account", p->account) == 0 &&
	    jsonout_string(o, "resource_id", p->resource) == 0 &&
	    jsonout_value(o, "sql", lines(&p->sql)) == 0 &&
	    jsonout_value(o, "policy", policy(p)) == 0 &&
	    jsonout_string(o, "master", p->master) == 0 &&
	    jsonout_value(o, "lockdown", lines(&p->lockdown)) == 0 &&
	    jsonout_string(o, "lockdown_note",
	    buf_str(&p->lockdown_note)) == 0 &&
	    jsonout_string(o, "sslmode", "verify-full") == 0 &&
	    jsonout_value(o, "commands", lines(&p->client)) == 0)
		rc = jsonout_dump(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER,
		    out);
	json_decref(o);
	return rc;
}

static int
print_text(const struct plan *p, struct buf *out)
{
	const struct target *t = p->t;
	json_t *pol = policy(p);
	struct buf s = BUF_INIT;

	if (pol == NULL || jsonout_text(pol, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER, &s) == -1) {
		json_decref(pol);
		buf_free(&s);
		return -1;
	}
	json_decref(pol);
	if (p->sql.len > 0)
		buf_printf(out, "-- 1. On the database, as the master user "
		    "(%s):\n%s\n", p->master, buf_str(&p->sql));
	else
		buf_adds(out, "-- 1. No SQL: the user exists already.\n\n");
	buf_printf(out, "-- 2. The IAM policy for whoever logs in as %s:\n"
	    "%s\n\n", t->user, buf_str(&s));
	buf_free(&s);
	buf_adds(out, "-- 3. The master user:\n");
	buf_adds(out, buf_str(&p->lockdown));
	buf_printf(out, "--    %s.\n\n", buf_str(&p->lockdown_note));
	buf_printf(out, "-- 4. The client verifies the server (verify-full) "
	    "against %s; iamdb's outputs say so and give its path:\n%s",
	    t->service->public_ca ? "the system's CA certificates" :
	    "the RDS CA bundle (iamdb ca prints its path)",
	    buf_str(&p->client));
	return 0;
}

/* What the options leave out, from AWS: the account from STS
 * GetCallerIdentity, the resource id from RDS's description of the
 * instance or cluster the host name names. */
static int
look_up(struct session *s, const struct target *t, struct args *la,
    struct caller *who, struct rds_db *db, struct err *e)
{
	char *id;
	int cluster = 0, found, rc;

	if (la->account == NULL) {
		if (aws_caller(&s->ctx, &s->creds, who, e) == -1)
			return -1;
		la->account = who->account;
		if (verbose)
			warnf("account %s (STS GetCallerIdentity: %s)",
			    who->account, who->arn);
	}
	if (la->resource_id != NULL ||
	    strcmp(t->service->signing_name, "rds-db") != 0 ||
	    (id = rds_identifier(t->host, &cluster)) == NULL)
		return 0;
	rc = rds_describe(&s->ctx, &s->creds, id, cluster, db, &found, e);
	if (rc == 0 && !found)
		rc = err_set(e, ERR_CONFIG, "RDS has no %s %s in %s: check the "
		    "host and region, or give --resource-id", cluster ?
		    "cluster" : "instance", id, s->region.name);
	else if (rc == 0 && db->resource_id == NULL)
		rc = err_set(e, ERR_NETWORK, "RDS describes %s without its "
		    "resource id", id);
	else if (rc == 0) {
		la->resource_id = db->resource_id;
		if (verbose)
			warnf("resource id %s (RDS %s %s)", db->resource_id,
			    cluster ? "cluster" : "instance", id);
	}
	free(id);
	return rc;
}

static int
run(struct args *a)
{
	struct awsconfig cfg;
	struct provider_ctx ctx = { 0 };
	struct region region = { 0 };
	struct session s;
	struct caller who = { 0 };
	struct rds_db db = { 0 };
	struct buf out = BUF_INIT;
	struct plan p = { 0 };
	struct target t;
	struct err e = { 0 };
	struct args la = *a;
	const char *rname;
	int rc, json = a->format != NULL && strcmp(a->format, "json") == 0;
	int online = 0;

	memset(&s, 0, sizeof(s));
	awsconfig_init(&cfg, a->profile);
	ctx.cfg = &cfg;
	ctx.mfa_prompt = mfa_prompt;
	if (target_from_args(&t, a, NULL, &e) == -1) {
		rc = usage_fail("setup", &e);
		goto out;
	}
	/* Offline when the options (and a DSQL host) say everything. */
	online = a->account == NULL || (a->resource_id == NULL &&
	    strcmp(t.service->signing_name, "rds-db") == 0);
	if (online ? session_open(&s, &t, 1, &e) == -1 ||
	    look_up(&s, &t, &la, &who, &db, &e) == -1 :
	    awsconfig_check_profile(&cfg, &e) == -1 ||
	    region_resolve(&region, t.region, t.host, &ctx, 1, &e) == -1) {
		rc = fail(&e);
		goto out;
	}
	rname = online ? s.region.name : region.name;
	if (plan_make(&p, &la, &t, rname, &e) == -1) {
		rc = e.kind == ERR_USAGE ? usage_fail("setup", &e) : fail(&e);
		goto out;
	}
	if ((json ? print_json(&p, &out) : print_text(&p, &out)) == -1) {
		warnf("setup: a name is not valid UTF-8");
		rc = EXIT_FAIL;
		goto out;
	}
	rc = fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) == EOF ? (warnf("writing: write error"), EXIT_IO) :
	    EXIT_OK;
out:
	buf_free(&p.arn);
	buf_free(&p.sql);
	buf_free(&p.lockdown);
	buf_free(&p.lockdown_note);
	buf_free(&p.client);
	buf_free(&out);
	free(p.dsql_id);
	caller_free(&who);
	rds_db_free(&db);
	if (online)
		session_close(&s);
	region_free(&region);
	awsconfig_free(&cfg);
	target_free(&t);
	return rc;
}

static int
check_digits(const char *v, struct err *e)
{
	if (strlen(v) == 12 && strspn(v, "0123456789") == 12)
		return 0;
	return err_set(e, ERR_USAGE, "--account '%s': expected 12 digits", v);
}

static int
check_resource(const char *v, struct err *e)
{
	if (strspn(v, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == strlen(v))
		return 0;
	return err_set(e, ERR_USAGE, "--resource-id '%s': expected letters, "
	    "digits and '-', like db-ABCDEFGHIJKLMNOPQRSTUVWXY0", v);
}

static const struct opt own[] = {
	{ .name = "account", .kind = OPT_TEXT, .check = check_digits,
	  .field = offsetof(struct args, account), .value = "ID",
	  .help = "The AWS account that owns the database.",
	  .dflt = "the credentials' account, from STS GetCallerIdentity",
	  .example = "--account 123456789012" },
	{ .name = "resource-id", .kind = OPT_TEXT, .check = check_resource,
	  .field = offsetof(struct args, resource_id), .value = "ID",
	  .help = "The instance's DbiResourceId or the Aurora cluster's "
	      "DbClusterResourceId, which the policy names.",
	  .dflt = "RDS's, from DescribeDBInstances or DescribeDBClusters for "
	      "the instance or cluster the host name names; for Aurora DSQL, "
	      "the cluster id in the host name",
	  .example = "--resource-id db-ABCDEFGHIJKLMNOPQRSTUVWXY0" },
	{ .name = "vpc-cidr", .kind = OPT_TEXT,
	  .field = offsetof(struct args, vpc_cidr), .value = "CIDR",
	  .help = "The VPC's IPv4 network, to restrict the master user to.",
	  .example = "--vpc-cidr 10.0.0.0/16" },
	{ .name = "master", .kind = OPT_TEXT,
	  .field = offsetof(struct args, master), .value = "USER",
	  .help = "The master user to lock down.",
	  .dflt = "admin for MySQL and MariaDB, postgres for PostgreSQL",
	  .example = "--master admin" },
	{ .name = "format", .kind = OPT_CHOICE, .choices = formats,
	  .field = offsetof(struct args, format), .value = "FORMAT",
	  .help = "Text to paste, or the same as JSON for tools.",
	  .dflt = "text", .example = "--format json" },
	{ .name = NULL }
};

static const struct optgroup groups[] = {
	{ "Setup", own, NULL },
	{ .include = optgroups_conn },
	{ NULL, NULL, NULL }
};

const struct command cmd_setup = {
	.name = "setup",
	.summary = "print the SQL, IAM policy and settings IAM auth needs",
	.synopsis = "URL [--account ID] [--resource-id ID] [--vpc-cidr CIDR] "
	    "[--master USER] [--format text|json] [options]",
	.description = "Prints, ready to paste, what IAM authentication "
	    "needs for the database user of URL: the SQL that creates it, the "
	    "IAM policy for rds-db:connect (dsql:DbConnect) with the exact "
	    "Resource ARN, the master user's lockdown, and the client's "
	    "settings. It changes nothing.",
	.groups = groups,
	.operands = { 1, "URL", 0 },
	.run = run,
};
