/*
 * iamdb setup: what IAM database authentication needs for one database
 * user, ready to paste: the SQL that makes the user, the IAM policy that
 * lets a principal log in as it, the lockdown of the master user, and the
 * client's settings. It prints; with --apply it also runs the SQL (not the
 * lockdown, and not what is a placeholder) over an admin connection.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/jsonout.h"
#include "../common/vis.h"
#include "../providers/awsdiag.h"
#include "../providers/dbprobe.h"
#include "../sigv4/service.h"
#include "../sigv4/sigv4.h"
#include "helper.h"

static const char *const formats[] = { "text", "json", NULL };
static const char *const admin_auths[] = { "client", "iam", NULL };

#define MAX_APPLY	4

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
	/* The statements --apply runs: the SQL's, placeholders aside. */
	char			*apply[MAX_APPLY];
	size_t			 napply;
};

/* What --apply came to. */
struct applied {
	int			 tried;
	const char		*as;		/* the admin user */
	struct buf		 where;		/* host:port */
	struct buf		 login;		/* why it could not log in */
	struct dbprobe_result	 r;
	size_t			 done;
	int			 said;		/* the error is on stderr */
};

/* A statement of the plan's SQL, on its own line; with runnable, also one
 * --apply runs. */
static void
statement(struct plan *p, struct buf *sql, int runnable, const char *note)
{
	if (runnable && p->napply < MAX_APPLY)
		p->apply[p->napply++] = xstrdup(buf_str(sql));
	buf_add(&p->sql, sql->data, sql->len);
	if (note != NULL)
		buf_printf(&p->sql, "  -- %s", note);
	buf_addc(&p->sql, '\n');
	buf_reset(sql);
}

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
	struct buf host = BUF_INIT, sql = BUF_INIT;
	int rc = -1;

	buf_adds(&sql, "CREATE USER ");
	if (mysql_string(&sql, t->user, "user", e) == -1)
		goto out;
	buf_adds(&sql, "@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS "
	    "'RDS' REQUIRE SSL;");
	statement(p, &sql, 1, NULL);
	buf_adds(&sql, "GRANT SELECT ON ");
	if (t->database != NULL) {
		quoted_ident(&sql, t->database, '`');
		buf_adds(&sql, ".*");
	} else
		buf_adds(&sql, "DATABASE.*");
	buf_adds(&sql, " TO ");
	mysql_string(&sql, t->user, "user", e);
	buf_adds(&sql, "@'%';");
	statement(p, &sql, 0, "grant what the user needs");

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
	buf_free(&sql);
	return rc;
}

static int
postgres_plan(struct plan *p, const struct args *a)
{
	const struct target *t = p->t;
	struct buf sql = BUF_INIT;

	buf_adds(&sql, "CREATE USER ");
	quoted_ident(&sql, t->user, '"');
	buf_addc(&sql, ';');
	statement(p, &sql, 1, NULL);
	buf_adds(&sql, "GRANT rds_iam TO ");
	quoted_ident(&sql, t->user, '"');
	buf_addc(&sql, ';');
	statement(p, &sql, 1, NULL);
	buf_free(&sql);
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
	struct buf sql = BUF_INIT;

	if (strcmp(t->user, "admin") == 0) {
		buf_adds(&p->lockdown_note, "admin is Aurora DSQL's own role: "
		    "it needs dsql:DbConnectAdmin and no SQL");
		return;
	}
	buf_adds(&sql, "CREATE ROLE ");
	quoted_ident(&sql, t->user, '"');
	buf_adds(&sql, " WITH LOGIN;");
	statement(p, &sql, 1, NULL);
	buf_adds(&sql, "AWS IAM GRANT ");
	quoted_ident(&sql, t->user, '"');
	buf_printf(&sql, " TO 'arn:%s:iam::%s:role/ROLE';", p->partition,
	    p->account);
	statement(p, &sql, 0, "the IAM role that logs in");
	buf_free(&sql);
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

static json_t *applied_json(const struct plan *, const struct applied *);

static int
print_json(const struct plan *p, const struct applied *ap, struct buf *out)
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
	    jsonout_value(o, "commands", lines(&p->client)) == 0 &&
	    (!ap->tried || ap->as == NULL ||
	    jsonout_value(o, "applied", applied_json(p, ap)) == 0))
		rc = jsonout_dump(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER,
		    out);
	json_decref(o);
	return rc;
}

static void print_applied_text(const struct plan *,
	    const struct applied *, struct buf *);

static int
print_text(const struct plan *p, const struct applied *ap, struct buf *out)
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
	print_applied_text(p, ap, out);
	return 0;
}

/* The admin connection --apply logs in with: ADMIN_URL with the options
 * that are not the setup target's own (profile, region, TLS). */
static int
admin_target(struct target *at, const struct args *a,
    const struct target *t, struct err *e)
{
	struct args aa;

	memset(&aa, 0, sizeof(aa));
	aa.cmd = a->cmd;
	aa.profile = a->profile;
	aa.region = a->region;
	aa.mfa_code = a->mfa_code;
	aa.no_cache = a->no_cache;
	aa.ca_bundle = a->ca_bundle;
	aa.sslmode = a->sslmode;
	if (target_from_url(at, &aa, a->apply, t->service->name, e) == -1) {
		struct err why = *e;

		return err_set(e, why.kind, "--apply: %s", why.msg);
	}
	if (at->service->family != t->service->family)
		return err_set(e, ERR_USAGE, "--apply: %s is a %s URL, and the "
		    "SQL is for %s", at->service->name, at->service->title,
		    t->service->title);
	return 0;
}

/*
 * Runs the plan's statements as the admin of --apply: with the password
 * the client library finds itself (--admin-auth client: PGPASSWORD or the
 * password file; the option files' [client] or MYSQL_PWD), never one
 * iamdb is given, or with a token iamdb makes for the admin user
 * (--admin-auth iam, Aurora DSQL's default). The exit status: 0 when
 * every statement ran.
 */
static int
apply(struct plan *p, const struct args *a, struct applied *ap)
{
	const struct target *t = p->t;
	const char *auth = a->admin_auth ? a->admin_auth :
	    strcmp(t->service->signing_name, "dsql") == 0 ? "iam" : "client";
	struct target at;
	struct session s;
	struct buf token = BUF_INIT;
	struct conn c;
	struct dbprobe probe;
	struct err e = { 0 };
	int iam = strcmp(auth, "iam") == 0, rc;

	memset(&s, 0, sizeof(s));
	memset(&c, 0, sizeof(c));
	ap->tried = 1;
	if (admin_target(&at, a, t, &e) == -1) {
		rc = e.kind == ERR_USAGE ? usage_fail("setup", &e) : fail(&e);
		target_free(&at);
		return rc;
	}
	ap->as = at.user;
	buf_printf(&ap->where, "%s:%u", at.host, at.port);
	if (iam ? conn_open(&at, &s, &token, &c, 1, &e) == -1 :
	    conn_fill(&at, &c, NULL, 1, &e) == -1) {
		buf_adds(&ap->login, e.msg);
		ap->said = 1;
		rc = fail(&e);
		goto out;
	}
	if (!iam)
		c.user = at.user;
	conn_probe(&c, 10, &probe);
	if (dbprobe_run(&probe, t->service->family == FAMILY_MYSQL,
	    (const char *const *)p->apply, p->napply, &ap->r, &ap->done,
	    &e) == -1) {
		buf_adds(&ap->login, e.msg);
		ap->said = 1;
		rc = fail(&e);
		goto out;
	}
	switch (ap->r.outcome) {
	case DBPROBE_OK:
		rc = EXIT_OK;
		break;
	case DBPROBE_REFUSED:
		rc = EXIT_FAIL;
		break;
	case DBPROBE_NETWORK:
	case DBPROBE_TLS:
		buf_add(&ap->login, ap->r.message.data, ap->r.message.len);
		rc = EXIT_NETWORK;
		break;
	default:
		buf_add(&ap->login, ap->r.message.data, ap->r.message.len);
		rc = EXIT_FAIL;
		break;
	}
out:
	/* What stays of at for printing: the user's name, copied. */
	ap->as = ap->as ? xstrdup(ap->as) : NULL;
	conn_close(&s, &token);
	target_free(&at);
	return rc;
}

static void
applied_free(struct applied *ap)
{
	free((char *)ap->as);
	buf_free(&ap->where);
	buf_free(&ap->login);
	dbprobe_result_free(&ap->r);
}

/* A statement's fate: ran, refused (the one at done), or not tried. */
static const char *
fate(const struct applied *ap, size_t i)
{
	if (i < ap->done)
		return "ok";
	if (i == ap->done && ap->r.outcome == DBPROBE_REFUSED)
		return "fail";
	return "skipped";
}

static void
print_applied_text(const struct plan *p, const struct applied *ap,
    struct buf *out)
{
	size_t i;

	if (!ap->tried || ap->as == NULL)
		return;
	buf_printf(out, "\n-- 5. Applied as %s at %s", ap->as,
	    buf_str(&ap->where));
	if (ap->login.len > 0) {
		buf_adds(out, ": could not log in:\n--    ");
		vis_add(out, ap->login.data, ap->login.len);
		buf_adds(out, "\n");
		return;
	}
	if (ap->r.server.len > 0) {
		buf_adds(out, " (");
		vis_add(out, ap->r.server.data, ap->r.server.len);
		buf_adds(out, ")");
	}
	buf_adds(out, ":\n");
	for (i = 0; i < p->napply; i++) {
		buf_printf(out, "-- %-7s %s\n", fate(ap, i), p->apply[i]);
		if (strcmp(fate(ap, i), "fail") == 0) {
			buf_adds(out, "--         ");
			vis_add(out, ap->r.message.data, ap->r.message.len);
			buf_addc(out, '\n');
		}
	}
}

static json_t *
applied_json(const struct plan *p, const struct applied *ap)
{
	json_t *o = json_object(), *list = json_array();
	size_t i;

	if (o == NULL || list == NULL ||
	    jsonout_string(o, "as", ap->as) == -1 ||
	    jsonout_string(o, "at", buf_str(&ap->where)) == -1 ||
	    jsonout_string(o, "login_error", ap->login.len ?
	    buf_str(&ap->login) : NULL) == -1)
		goto fail;
	for (i = 0; i < p->napply; i++) {
		json_t *s = json_object();
		int failed = strcmp(fate(ap, i), "fail") == 0;

		if (s == NULL || json_array_append_new(list, s) == -1 ||
		    jsonout_string(s, "sql", p->apply[i]) == -1 ||
		    jsonout_string(s, "result", fate(ap, i)) == -1 ||
		    (failed && jsonout_string(s, "error",
		    buf_str(&ap->r.message)) == -1))
			goto fail;
	}
	if (jsonout_value(o, "statements", list) == -1) {
		list = NULL;
		goto fail;
	}
	return o;
fail:
	json_decref(list);
	json_decref(o);
	return NULL;
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
	struct applied ap = { 0 };
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
	rc = a->apply != NULL ? apply(&p, a, &ap) : EXIT_OK;
	if (ap.tried && ap.as == NULL)
		goto out;	/* the admin URL itself was refused */
	if ((json ? print_json(&p, &ap, &out) : print_text(&p, &ap, &out)) ==
	    -1) {
		warnf("setup: a name is not valid UTF-8");
		rc = EXIT_FAIL;
		goto out;
	}
	if (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) == EOF) {
		warnf("writing: write error");
		rc = EXIT_IO;
	} else if (rc == EXIT_FAIL && ap.r.outcome == DBPROBE_REFUSED)
		warnf("setup --apply: the server refused a statement: %s",
		    buf_str(&ap.r.message));
	else if (rc != EXIT_OK && ap.login.len > 0 && !ap.said)
		warnf("setup --apply: could not log in as %s at %s: %s", ap.as,
		    buf_str(&ap.where), buf_str(&ap.login));
out:
	buf_free(&p.arn);
	buf_free(&p.sql);
	buf_free(&p.lockdown);
	buf_free(&p.lockdown_note);
	buf_free(&p.client);
	while (p.napply > 0)
		free(p.apply[--p.napply]);
	applied_free(&ap);
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
	{ .name = "apply", .kind = OPT_TEXT,
	  .field = offsetof(struct args, apply), .value = "ADMIN_URL",
	  .help = "Also run the SQL (not the lockdown, nor what is a "
	      "placeholder) as the admin user of ADMIN_URL; its password "
	      "comes from the client library's own sources, never from the "
	      "command line.",
	  .example = "--apply postgres://postgres@mydb.123456789012.us-east-1.rds.amazonaws.com/postgres" },
	{ .name = "admin-auth", .kind = OPT_CHOICE, .choices = admin_auths,
	  .field = offsetof(struct args, admin_auth), .value = "HOW",
	  .help = "How --apply logs in: client (PGPASSWORD or the password "
	      "file; the option files' [client] or MYSQL_PWD) or iam (a "
	      "token iamdb makes for the admin user).",
	  .dflt = "client; iam for Aurora DSQL", .example = "--admin-auth iam" },
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
	    "[--master USER] [--apply ADMIN_URL [--admin-auth client|iam]] "
	    "[--format text|json] [options]",
	.description = "Prints, ready to paste, what IAM authentication "
	    "needs for the database user of URL: the SQL that creates it, the "
	    "IAM policy for rds-db:connect (dsql:DbConnect) with the exact "
	    "Resource ARN, the master user's lockdown, and the client's "
	    "settings; with --apply it runs the SQL as an admin user.",
	.groups = groups,
	.operands = { 1, "URL", 0 },
	.run = run,
};
