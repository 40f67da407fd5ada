/*
 * iamdb doctor: every check of an IAM database login that can be made from
 * here, in the order a login depends on them, one line each: "ok   NAME
 * detail", or "FAIL NAME  detail" and an indented line that says how to fix
 * it. A database that refuses a token says only "PAM authentication
 * failed"; doctor finds the cause from what it can see itself.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/jsonout.h"
#include "../common/timeutil.h"
#include "../common/vis.h"
#include "../providers/awsdiag.h"
#include "../providers/dbprobe.h"
#include "helper.h"

static const char *const formats[] = { "text", "json", NULL };

enum status { CHECK_OK, CHECK_FAIL, CHECK_SKIP };

struct check {
	const char	*name;
	enum status	 status;
	struct buf	 detail;
	struct buf	 fix;
};

struct doctor {
	struct target	*t;
	struct session	 s;
	struct conn	 c;
	struct buf	 token;
	struct check	 checks[16];
	size_t		 n;
	int		 json;
	long		 timeout;
	struct addrinfo	*addrs;
	/* What the checks found, for the causes of a refused login. */
	int		 region_mismatch;
	int		 host_not_endpoint;
	int		 describe;
	struct caller	 caller;	/* account NULL: unknown */
	const char	*identity_cause;
	long		 skew;		/* our clock less STS's */
	struct rds_db	 db;
	int		 db_found;
	const char	*aws_cause;	/* what Describe or the policy found */
};

/* Records a check's result; text goes out at once, so that a slow check
 * shows what came before it. */
static struct check *
report(struct doctor *d, const char *name, enum status st, const char *fix,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static struct check *
report(struct doctor *d, const char *name, enum status st, const char *fix,
    const char *fmt, ...)
{
	static const char *const word[] = { "ok  ", "FAIL", "skip" };
	struct check *c = &d->checks[d->n < 15 ? d->n++ : 15];
	struct buf line = BUF_INIT;
	va_list ap;
	char *s;
	int len;

	c->name = name;
	c->status = st;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc((size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	buf_adds(&c->detail, s);
	free(s);
	if (fix != NULL)
		buf_adds(&c->fix, fix);
	if (!d->json) {
		/* What peers and files said is in detail: escaped. */
		buf_printf(&line, "%s %-12s ", word[st], name);
		vis_add(&line, c->detail.data, c->detail.len);
		printf("%s\n", buf_str(&line));
		if (c->fix.len > 0) {
			buf_reset(&line);
			vis_add(&line, c->fix.data, c->fix.len);
			printf("     %s\n", buf_str(&line));
		}
		fflush(stdout);
	}
	buf_free(&line);
	return c;
}

/* target: what will be signed for, and where each part came from. */
static void
check_target(struct doctor *d)
{
	struct target *t = d->t;
	char *hregion = region_from_host(t->host);
	struct region *r = &d->s.region;

	report(d, "target", CHECK_OK, NULL, "%s %s@%s:%u, region %s (from %s)",
	    t->service->name, t->user, t->host, t->port, r->name, r->source);
	if (hregion != NULL && strcmp(hregion, r->name) != 0) {
		d->region_mismatch = 1;
		report(d, "region", CHECK_FAIL, "sign for the host's region: "
		    "leave out --region, or give the host's", "the token is "
		    "signed for %s but the host is in %s: the database "
		    "refuses it", r->name, hregion);
	} else if (hregion != NULL)
		report(d, "region", CHECK_OK, NULL, "%s, as the host name "
		    "says", r->name);
	else {
		d->host_not_endpoint = 1;
		report(d, "region", CHECK_OK, NULL, "%s; the host name does "
		    "not say (not an RDS or DSQL endpoint name)", r->name);
	}
	free(hregion);
}

static void
check_credentials(struct doctor *d, int rc, struct err *e)
{
	struct credentials *c = &d->s.creds;
	char when[21];
	time_t now = time(NULL);

	if (rc == -1) {
		report(d, "credentials", CHECK_FAIL, strstr(e->msg, "expired") ?
		    "get fresh credentials (aws sso login, a new MFA session, "
		    "or whatever issued them): tokens they sign are refused" :
		    "iamdb credentials --explain shows every source tried",
		    "%s", e->msg);
		return;
	}
	if (!c->has_expiration) {
		report(d, "credentials", CHECK_OK, NULL, "%s, long-term "
		    "keys (%s)", c->source, c->access_key_id);
		return;
	}
	time_format_iso8601(c->expiration, when);
	if (c->expiration <= now) {
		report(d, "credentials", CHECK_FAIL, "get fresh credentials "
		    "(aws sso login, a new MFA session, or the source that "
		    "issued them): tokens they sign are refused",
		    "%s expired at %s, %ld min ago", c->source, when,
		    (long)(now - c->expiration + 59) / 60);
		return;
	}
	report(d, "credentials", CHECK_OK, NULL, "%s, until %s (%ld min)",
	    c->source, when, (long)(c->expiration - now) / 60);
}

/* identity and clock: who STS says the credentials are, and how far this
 * machine's clock is from STS's (its Date header). */
static void
check_identity(struct doctor *d)
{
	struct err e = { 0 };
	time_t now;

	if (aws_caller(&d->s.ctx, &d->s.creds, &d->caller, &e) == -1) {
		d->identity_cause = strstr(e.msg, "InvalidClientTokenId") ?
		    "the access key is not valid (deleted, inactive or of "
		    "another partition)" : strstr(e.msg, "ExpiredToken") ?
		    "the session token has expired" :
		    strstr(e.msg, "SignatureDoesNotMatch") &&
		    !strstr(e.msg, "expired") ? "the secret key does not "
		    "belong to the access key" : NULL;
		report(d, "identity", CHECK_FAIL, d->identity_cause ?
		    d->identity_cause : "STS must be reachable (a private "
		    "subnet needs an STS VPC endpoint: AWS_ENDPOINT_URL_STS)",
		    "%s", e.msg);
	} else
		report(d, "identity", CHECK_OK, NULL, "account %s, %s",
		    d->caller.account, d->caller.arn);
	if (d->caller.server_time == 0)
		return;
	now = time(NULL);
	d->skew = (long)(now - d->caller.server_time);
	if (d->skew > 300 || d->skew < -300)
		report(d, "clock", CHECK_FAIL, "set the clock right (NTP: "
		    "chrony, systemd-timesyncd): a token signed on it is "
		    "refused as not yet valid or already expired",
		    "this machine's clock is %ld s %s STS's", labs(d->skew),
		    d->skew > 0 ? "ahead of" : "behind");
	else
		report(d, "clock", CHECK_OK, NULL, "within %ld s of STS's",
		    labs(d->skew) + 1);
}

/* IAM's decision on action for resource, as the check named name. */
static void
check_policy(struct doctor *d, const char *action, const char *resource)
{
	struct err e = { 0 };
	char *principal, *decision;

	if (d->caller.arn == NULL)
		return;
	principal = iam_principal(d->caller.arn);
	if (iam_simulate(&d->s.ctx, &d->s.creds, principal, action, resource,
	    &decision, &e) == -1)
		report(d, "policy", CHECK_FAIL, "the credentials need "
		    "iam:SimulatePrincipalPolicy for --describe", "%s", e.msg);
	else if (strcmp(decision, "allowed") != 0) {
		d->aws_cause = "IAM does not allow the caller to connect as "
		    "this user to this database";
		report(d, "policy", CHECK_FAIL, "attach the policy iamdb "
		    "setup prints (a policy for another user or instance "
		    "does not count)", "%s for %s on %s: %s", principal,
		    action, resource, decision);
	} else
		report(d, "policy", CHECK_OK, NULL, "%s may %s on %s",
		    principal, action, resource);
	if (decision != NULL)
		free(decision);
	free(principal);
}

/* The Aurora DSQL cluster as GetCluster describes it, and IAM's decision
 * on dsql:DbConnect (dsql:DbConnectAdmin for admin). */
static void
check_dsql(struct doctor *d)
{
	struct dsql_cluster cl;
	struct buf arn = BUF_INIT;
	struct err e = { 0 };
	char *id;
	int found;

	if ((id = dsql_identifier(d->t->host)) == NULL) {
		report(d, "dsql", CHECK_SKIP, NULL, "%s is no Aurora DSQL "
		    "endpoint name: nothing to describe", d->t->host);
		return;
	}
	if (dsql_describe(&d->s.ctx, &d->s.creds, id, &cl, &found, &e) == -1)
		report(d, "dsql", CHECK_FAIL, "the credentials need "
		    "dsql:GetCluster for --describe", "%s", e.msg);
	else if (!found) {
		d->aws_cause = "Aurora DSQL has no such cluster in the region "
		    "the token is signed for";
		report(d, "dsql", CHECK_FAIL, "check the host name and the "
		    "account the credentials belong to", "Aurora DSQL has no "
		    "cluster %s in %s", id, d->s.region.name);
	} else {
		if (cl.status != NULL && strcmp(cl.status, "ACTIVE") != 0 &&
		    strcmp(cl.status, "IDLE") != 0) {
			d->aws_cause = "the cluster is not active";
			report(d, "dsql", CHECK_FAIL, "wait until it is ACTIVE",
			    "cluster %s is %s", id, cl.status);
		} else
			report(d, "dsql", CHECK_OK, NULL, "cluster %s: %s", id,
			    cl.status ? cl.status : "(no status)");
		if (cl.arn != NULL)
			buf_adds(&arn, cl.arn);
		else if (d->caller.account != NULL)
			buf_printf(&arn, "arn:%s:dsql:%s:%s:cluster/%s",
			    partition_name(d->s.region.name), d->s.region.name,
			    d->caller.account, id);
		if (arn.len > 0)
			check_policy(d, strcmp(d->t->user, "admin") == 0 ?
			    "dsql:DbConnectAdmin" : "dsql:DbConnect",
			    buf_str(&arn));
		dsql_cluster_free(&cl);
	}
	buf_free(&arn);
	free(id);
}

/* The database as RDS describes it, and what IAM allows the caller. */
static void
check_rds(struct doctor *d)
{
	struct target *t = d->t;
	struct buf arn = BUF_INIT;
	struct err e = { 0 };
	char *id;
	int cluster = 0;

	if (strcmp(t->service->signing_name, "dsql") == 0) {
		check_dsql(d);
		return;
	}
	if ((id = rds_identifier(t->host, &cluster)) == NULL) {
		report(d, "rds", CHECK_SKIP, NULL, "%s is no RDS endpoint name: "
		    "nothing to describe", t->host);
		return;
	}
	if (rds_describe(&d->s.ctx, &d->s.creds, id, cluster, &d->db,
	    &d->db_found, &e) == -1) {
		report(d, "rds", CHECK_FAIL, "the credentials need "
		    "rds:DescribeDBInstances and rds:DescribeDBClusters for "
		    "--describe", "%s", e.msg);
		goto out;
	}
	if (!d->db_found) {
		d->aws_cause = "RDS has no such database in the region the "
		    "token is signed for";
		report(d, "rds", CHECK_FAIL, "check the region (the host "
		    "name's) and the account the credentials belong to",
		    "RDS has no %s %s in %s", cluster ? "cluster" : "instance",
		    id, d->s.region.name);
		goto out;
	}
	report(d, "rds", CHECK_OK, NULL, "%s %s: %s, %s, %s:%u%s",
	    cluster ? "cluster" : "instance", d->db.id, d->db.engine,
	    d->db.status, d->db.address, d->db.port, cluster ? "" :
	    d->db.publicly_accessible ? ", publicly accessible" :
	    ", not publicly accessible");
	if (d->db.port != 0 && d->db.port != t->port) {
		d->aws_cause = "the token is signed for another port than the "
		    "database's";
		report(d, "port", CHECK_FAIL, "connect to (and sign for) the "
		    "database's port", "the token is signed for port %u but "
		    "%s listens on %u", t->port, d->db.id, d->db.port);
	}
	if (!d->db.iam_auth) {
		d->aws_cause = "IAM authentication is disabled on the "
		    "database";
		report(d, "iam-auth", CHECK_FAIL, cluster ? "aws rds "
		    "modify-db-cluster --db-cluster-identifier ID "
		    "--enable-iam-database-authentication --apply-immediately" :
		    "aws rds modify-db-instance --db-instance-identifier ID "
		    "--enable-iam-database-authentication --apply-immediately",
		    "IAM database authentication is disabled on %s", d->db.id);
	} else
		report(d, "iam-auth", CHECK_OK, NULL, "enabled on %s",
		    d->db.id);
	if (d->caller.arn == NULL || d->db.resource_id == NULL)
		goto out;
	buf_printf(&arn, "arn:%s:rds-db:%s:%s:dbuser:%s/%s",
	    partition_name(d->s.region.name), d->s.region.name,
	    d->caller.account, d->db.resource_id, t->user);
	check_policy(d, "rds-db:connect", buf_str(&arn));
out:
	free(id);
	buf_free(&arn);
}

/* Private addresses (RFC 1918, loopback, link-local, ULA). */
static int
is_private(const struct sockaddr *sa)
{
	const unsigned char *a;

	if (sa->sa_family == AF_INET) {
		a = (const unsigned char *)&((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr;
		return a[0] == 10 || a[0] == 127 ||
		    (a[0] == 172 && (a[1] & 0xf0) == 16) ||
		    (a[0] == 192 && a[1] == 168) ||
		    (a[0] == 169 && a[1] == 254);
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *in6 = &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr;

		a = in6->s6_addr;
		return (a[0] & 0xfe) == 0xfc ||
		    (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||
		    IN6_IS_ADDR_LOOPBACK(in6);
	}
	return 0;
}

static void
numeric(const struct addrinfo *ai, char *out, size_t len)
{
	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, out, (socklen_t)len,
	    NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(out, len, "?");
}

/* Where the client connects: libpq's hostaddr when the URL gives one
 * (the token still names the host), else the host. */
static const char *
connect_host(const struct doctor *d)
{
	size_t i;

	for (i = 0; i < d->t->nparams; i++)
		if (strcmp(d->t->params[i].key, "hostaddr") == 0)
			return d->t->params[i].value;
	return d->c.bare_host ? d->c.bare_host : d->t->host;
}

static int
check_dns(struct doctor *d)
{
	struct addrinfo hints = { 0 }, *ai;
	struct buf list = BUF_INIT;
	char a[NI_MAXHOST], port[8];
	int rc, private = 0, n = 0;

	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%u", d->t->port);
	if ((rc = getaddrinfo(connect_host(d), port, &hints,
	    &d->addrs)) != 0) {
		report(d, "dns", CHECK_FAIL, "check the host name (the "
		    "endpoint the RDS console shows) and that this machine's "
		    "resolver can see it (a private hosted zone needs the "
		    "VPC's resolver)", "%s: %s", connect_host(d),
		    gai_strerror(rc));
		return -1;
	}
	for (ai = d->addrs; ai != NULL; ai = ai->ai_next) {
		numeric(ai, a, sizeof(a));
		private |= is_private(ai->ai_addr);
		if (strstr(buf_str(&list), a) == NULL)
			buf_printf(&list, "%s%s", n++ ? ", " : "", a);
	}
	/* A name RDS gave that resolves to private addresses: the instance
	 * is not publicly accessible, or this is its VPC's view. */
	report(d, "dns", CHECK_OK, NULL, "%s: %s%s", connect_host(d),
	    buf_str(&list), private && !d->host_not_endpoint ? " (private: "
	    "reachable from its VPC, a VPN or a tunnel only)" : "");
	buf_free(&list);
	return 0;
}

/* A TCP connection to one address within d->timeout seconds: 0, or the
 * errno that ended it. */
static int
tcp_connect(const struct doctor *d, const struct addrinfo *ai)
{
	struct pollfd p;
	socklen_t len = sizeof(int);
	int fd, err = 0;

	if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol)) == -1)
		return errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
		if (errno != EINPROGRESS)
			err = errno;
		else {
			p.fd = fd;
			p.events = POLLOUT;
			if (poll(&p, 1, (int)d->timeout * 1000) == 0)
				err = ETIMEDOUT;
			else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
			    &len) == -1)
				err = errno;
		}
	}
	close(fd);
	return err;
}

static int
check_tcp(struct doctor *d)
{
	const struct addrinfo *ai;
	struct timespec t0, t1;
	char a[NI_MAXHOST];
	int err = 0;

	for (ai = d->addrs; ai != NULL; ai = ai->ai_next) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if ((err = tcp_connect(d, ai)) == 0) {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			numeric(ai, a, sizeof(a));
			report(d, "tcp", CHECK_OK, NULL, "%s port %u in %ld ms",
			    a, d->t->port, (t1.tv_sec - t0.tv_sec) * 1000 +
			    (t1.tv_nsec - t0.tv_nsec) / 1000000);
			return 0;
		}
	}
	report(d, "tcp", CHECK_FAIL, err == ETIMEDOUT ? "no answer: the "
	    "security group's inbound rules must allow this address on "
	    "this port, and a private instance needs a route (VPN, "
	    "bastion, tunnel)" : "nothing listens there: check the port "
	    "(the instance's endpoint port) and that the instance is "
	    "available", "%s port %u: %s", connect_host(d), d->t->port,
	    strerror(err));
	return -1;
}

/* Why a database may refuse a token when everything doctor could check
 * held, most likely first. */
static void
refusal_causes(struct doctor *d, struct buf *b)
{
	if (d->aws_cause != NULL)
		buf_printf(b, "%s; ", d->aws_cause);
	if (d->identity_cause != NULL)
		buf_printf(b, "%s; ", d->identity_cause);
	if (d->skew > 300 || d->skew < -300)
		buf_adds(b, "the clock is off (see clock); ");
	if (d->region_mismatch)
		buf_adds(b, "the token is signed for another region than "
		    "the host's (see region); ");
	if (d->host_not_endpoint)
		buf_printf(b, "the token names %s, and RDS checks it against "
		    "its endpoint name: connect to that name (libpq's "
		    "hostaddr= keeps a tunnel's address); ", d->t->host);
	buf_printf(b, "is %s a user with IAM authentication (iamdb setup "
	    "prints the SQL)? does the IAM policy allow %s on this "
	    "instance's resource id and user %s (iamdb setup prints it)? is "
	    "IAM authentication enabled on the instance?", d->t->user,
	    strcmp(d->t->service->signing_name, "dsql") == 0 ?
	    "dsql:DbConnect" : "rds-db:connect", d->t->user);
}

static void
check_login(struct doctor *d)
{
	struct dbprobe p = { 0 };
	struct dbprobe_result r;
	struct buf fix = BUF_INIT;
	struct err e = { 0 };
	const char *name;
	int rc;

	conn_probe(&d->c, d->timeout, &p);
	rc = d->c.service->family == FAMILY_MYSQL ?
	    dbprobe_mysql(&p, &r, &e) : dbprobe_postgres(&p, &r, &e);
	if (rc == -1) {
		report(d, "login", CHECK_SKIP, NULL, "%s", e.msg);
		return;
	}
	name = r.outcome == DBPROBE_TLS ? "tls" : "login";
	switch (r.outcome) {
	case DBPROBE_OK:
		report(d, "tls", CHECK_OK, NULL, "%s, certificate verified "
		    "against %s%s", r.server.len ? buf_str(&r.server) : "",
		    d->c.sslrootcert, strcmp(d->c.sslmode, "verify-full") == 0 ?
		    ", name checked" : "");
		report(d, "login", CHECK_OK, NULL, "logged in as %s",
		    d->c.user);
		break;
	case DBPROBE_TLS:
		report(d, name, CHECK_FAIL, "the server's certificate must "
		    "chain to the CA bundle the client is given (iamdb ca "
		    "--refresh; --ca-bundle) and name the host the client "
		    "connects to (connect to the endpoint name, not an "
		    "address or an alias)", "%s", buf_str(&r.message));
		break;
	case DBPROBE_AUTH:
		report(d, "tls", CHECK_OK, NULL, "the handshake passed: the "
		    "server asked for the password");
		refusal_causes(d, &fix);
		report(d, "login", CHECK_FAIL, buf_str(&fix), "the server "
		    "refused the token: %s", buf_str(&r.message));
		break;
	case DBPROBE_NO_USER:
		report(d, "tls", CHECK_OK, NULL, "the handshake passed");
		report(d, "login", CHECK_FAIL, "create the user for IAM "
		    "authentication: iamdb setup prints the SQL", "%s",
		    buf_str(&r.message));
		break;
	case DBPROBE_NO_DATABASE:
		report(d, "tls", CHECK_OK, NULL, "the handshake passed");
		report(d, "login", CHECK_FAIL, "the token was taken: name a "
		    "database that exists and that the user may use (GRANT)",
		    "%s", buf_str(&r.message));
		break;
	case DBPROBE_NETWORK:
		report(d, name, CHECK_FAIL, "see tcp above", "%s",
		    buf_str(&r.message));
		break;
	case DBPROBE_OTHER:
	case DBPROBE_REFUSED:	/* (doctor runs no statement) */
		report(d, name, CHECK_FAIL, "the server's own words above say "
		    "what it wants", "%s", buf_str(&r.message));
		break;
	}
	buf_free(&fix);
	dbprobe_result_free(&r);
}

static int
print_json(const struct doctor *d, int all_ok)
{
	static const char *const word[] = { "ok", "fail", "skip" };
	json_t *o = json_object(), *arr = json_array(), *c;
	struct buf out = BUF_INIT;
	struct err e = { 0 };
	size_t i;
	int rc = -1;

	for (i = 0; arr != NULL && i < d->n; i++) {
		if ((c = json_object()) == NULL ||
		    json_array_append_new(arr, c) == -1 ||
		    jsonout_string(c, "name", d->checks[i].name) == -1 ||
		    jsonout_string(c, "status", word[d->checks[i].status]) ||
		    jsonout_string(c, "detail",
		    buf_str(&d->checks[i].detail)) == -1 ||
		    jsonout_string(c, "fix", d->checks[i].fix.len ?
		    buf_str(&d->checks[i].fix) : NULL) == -1)
			goto out;
	}
	if (o != NULL && arr != NULL && jsonout_bool(o, "ok", all_ok) == 0 &&
	    jsonout_value(o, "checks", json_incref(arr)) == 0 &&
	    jsonout_dump(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER, &out) == 0)
		rc = write_out(stdout, &out, "report", &e);
out:
	if (rc == -1)
		warnf("doctor: the report cannot be written as JSON (a "
		    "message that is not UTF-8?)");
	json_decref(arr);
	json_decref(o);
	buf_free(&out);
	return rc;
}

/* The checks in order; each that fails leaves out those that need it. */
static void
examine(struct doctor *d)
{
	struct err e = { 0 };
	int rc;

	rc = session_open(&d->s, d->t, 1, &e);
	if (d->s.region.name == NULL) {
		report(d, "region", CHECK_FAIL, "give --region, or set "
		    "AWS_REGION or the profile's region", "%s", e.msg);
		return;
	}
	check_target(d);
	check_credentials(d, rc, &e);
	if (rc == -1 || d->checks[d->n - 1].status == CHECK_FAIL)
		return;
	check_identity(d);
	if (d->describe)
		check_rds(d);
	if (conn_sign(d->t, &d->s, &d->token, &d->c, 1, &e) == -1) {
		report(d, e.kind == ERR_CREDENTIALS ? "token" : "ca",
		    CHECK_FAIL, "give --ca-bundle FILE or IAMDB_CA_BUNDLE "
		    "with the RDS CA certificates", "%s", e.msg);
		return;
	}
	report(d, "ca", CHECK_OK, NULL, "the client verifies the server "
	    "with %s (sslmode %s)", d->c.sslrootcert, d->c.sslmode);
	if (check_dns(d) == -1 || check_tcp(d) == -1)
		return;
	check_login(d);
}

static int
run(struct args *a)
{
	struct doctor d = { 0 };
	struct target t;
	struct err e = { 0 };
	size_t i;
	int rc, all_ok = 1;

	if (target_from_args(&t, a, NULL, &e) == -1) {
		rc = usage_fail("doctor", &e);
		target_free(&t);
		return rc;
	}
	d.t = &t;
	d.json = a->format != NULL && strcmp(a->format, "json") == 0;
	d.timeout = a->timeout.set ? a->timeout.v : 5;
	d.describe = a->describe;
	examine(&d);
	for (i = 0; i < d.n; i++)
		all_ok &= d.checks[i].status != CHECK_FAIL;
	if (d.json && print_json(&d, all_ok) == -1)
		rc = EXIT_IO;
	else if (!d.json && ferror(stdout)) {
		warnf("writing the report: write error");
		rc = EXIT_IO;
	} else
		rc = all_ok ? EXIT_OK : EXIT_FAIL;
	for (i = 0; i < d.n; i++) {
		buf_free(&d.checks[i].detail);
		buf_free(&d.checks[i].fix);
	}
	if (d.addrs != NULL)
		freeaddrinfo(d.addrs);
	caller_free(&d.caller);
	rds_db_free(&d.db);
	conn_close(&d.s, &d.token);
	target_free(&t);
	return rc;
}

static const struct opt own[] = {
	{ .name = "format", .kind = OPT_CHOICE, .choices = formats,
	  .field = offsetof(struct args, format), .value = "FORMAT",
	  .help = "A line a check, or the same as JSON.",
	  .dflt = "text", .example = "--format json" },
	{ .name = "describe", .kind = OPT_FLAG,
	  .field = offsetof(struct args, describe),
	  .help = "Ask RDS about the database (DescribeDBInstances, "
	      "DescribeDBClusters: IAM authentication, endpoint, port) and "
	      "IAM whether the caller may rds-db:connect as the user "
	      "(SimulatePrincipalPolicy)." },
	{ .name = "timeout", .kind = OPT_NUMBER, .min = 1, .max = 300,
	  .field = offsetof(struct args, timeout), .value = "SECONDS",
	  .help = "How long to wait for the network and the database.",
	  .dflt = "5", .example = "--timeout 10" },
	{ .name = NULL }
};

static const struct optgroup groups[] = {
	{ "Report", own, NULL },
	{ .include = optgroups_conn },
	{ NULL, NULL, NULL }
};

const struct command cmd_doctor = {
	.name = "doctor",
	.summary = "check every step of an IAM login and name what fails",
	.synopsis = "URL [--describe] [--format text|json] [--timeout SECONDS] "
	    "[options]",
	.description = "Checks, in order, the target and its region, the "
	    "credentials, the CA bundle, DNS, TCP, the TLS handshake and the "
	    "login itself with a fresh token through the real client library "
	    "(libpq; MariaDB Connector/C), and prints a line a check; a "
	    "failure comes with how to fix it. Exits 0 only when every check "
	    "passes.",
	.groups = groups,
	.operands = { 1, "URL", 0 },
	.run = run,
};
