#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "../sigv4/service.h"
#include "../sigv4/sigv4.h"
#include "awsapi.h"
#include "awsdiag.h"
#include "sts.h"

/* A Query-protocol call: the fields names[] of the answer into f[], or -1
 * with the service's error. */
struct query {
	const char		*what;		/* "RDS DescribeDBInstances" */
	const char		*service;	/* rds, iam, sts */
	const char		*endpoint;	/* the configured name: rds */
	const char		*region;	/* the signing region */
	const char		*default_url;
	const char *const	*names;
	char			**f;
	size_t			 n;
	char			*code;		/* the error's, when -1 */
	long			 status;
	time_t			 date;		/* the Date header's */
};

static const char *const error_names[] = { "Code", "Message" };

static int
judge(void *arg, const struct http_response *rs)
{
	char *err[2] = { NULL, NULL };
	int again;

	(void)arg;
	if (rs->status == 200)
		return 0;
	if (api_xml_fields(buf_str(&rs->body), rs->body.len, error_names,
	    err, 2) == -1)
		return http_retryable(rs->status);
	again = http_retryable(rs->status) || api_throttled(err[0]);
	free(err[0]);
	free(err[1]);
	return again;
}

/* "Thu, 03 Dec 2026 06:30:00 GMT", as HTTP dates are. */
static time_t
http_date(const struct http_response *rs)
{
	const char *v;
	char buf[64];
	struct tm tm;
	size_t len;

	if ((v = http_header(rs, "Date", &len)) == NULL || len >= sizeof(buf))
		return 0;
	memcpy(buf, v, len);
	buf[len] = '\0';
	memset(&tm, 0, sizeof(tm));
	if (strptime(buf, "%a, %d %b %Y %H:%M:%S GMT", &tm) == NULL)
		return 0;
	return timegm(&tm);
}

static int
query(struct provider_ctx *ctx, const struct credentials *creds,
    struct query *q, const char *body, struct err *e)
{
	struct api_call call;
	struct http_response rs;
	char *url, *err[2] = { NULL, NULL };
	int rc = -1;

	memset(q->f, 0, q->n * sizeof(*q->f));
	if (endpoint_override(ctx, q->endpoint, &url, e) == -1)
		return -1;
	if (url == NULL)
		url = xstrdup(q->default_url);
	memset(&call, 0, sizeof(call));
	call.what = q->what;
	call.service = q->service;
	call.region = q->region;
	call.url = url;
	call.content_type = "application/x-www-form-urlencoded; charset=utf-8";
	call.accept = "text/xml";
	call.body = body;
	if (api_post(&call, creds, judge, NULL, &rs, e) == -1)
		goto out;
	q->status = rs.status;
	q->date = http_date(&rs);
	if (rs.status != 200) {
		if (api_xml_fields(buf_str(&rs.body), rs.body.len, error_names,
		    err, 2) == -1)
			err_set(e, ERR_NETWORK, "%s at %s: HTTP %ld with an "
			    "unreadable answer", q->what, url, rs.status);
		else {
			/* peer text */
			err_set(e, ERR_NETWORK, "%s at %s: HTTP %ld %s: %s",
			    q->what, url, rs.status, api_one_line(err[0],
			    "(no code)"), api_one_line(err[1],
			    "(no message)"));
			q->code = err[0];
			err[0] = NULL;
		}
	} else if (api_xml_fields(buf_str(&rs.body), rs.body.len, q->names,
	    q->f, q->n) == -1)
		err_set(e, ERR_NETWORK, "%s at %s: an unreadable answer",
		    q->what, url);
	else
		rc = 0;
	http_response_free(&rs);
out:
	free(err[0]);
	free(err[1]);
	free(url);
	return rc;
}

static void
fields_free(char **f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(f[i]);
}

int
aws_caller(struct provider_ctx *ctx, const struct credentials *creds,
    struct caller *c, struct err *e)
{
	static const char *const names[] = { "Account", "Arn" };
	const char *region = ctx->region ? ctx->region : "us-east-1";
	char *f[2], *url = endpoint_for_region("sts", region);
	struct query q = { 0 };
	int rc;

	memset(c, 0, sizeof(*c));
	q.what = "STS GetCallerIdentity";
	q.service = q.endpoint = "sts";
	q.region = region;
	q.default_url = url;
	q.names = names;
	q.f = f;
	q.n = 2;
	rc = query(ctx, creds, &q, "Action=GetCallerIdentity&"
	    "Version=2011-06-15", e);
	c->server_time = q.date;
	free(q.code);
	free(url);
	if (rc == 0 && (f[0] == NULL || f[1] == NULL)) {
		fields_free(f, 2);
		return err_set(e, ERR_NETWORK, "STS GetCallerIdentity: the "
		    "answer lacks Account or Arn");
	}
	if (rc == 0) {
		c->account = f[0];
		c->arn = f[1];
	}
	return rc;
}

void
caller_free(struct caller *c)
{
	free(c->account);
	free(c->arn);
	memset(c, 0, sizeof(*c));
}

char *
rds_identifier(const char *host, int *cluster)
{
	const char *dot = strchr(host, '.'), *next;
	char *region = region_from_host(host);

	if (region == NULL || dot == NULL || strstr(host, ".rds.") == NULL) {
		free(region);
		return NULL;
	}
	free(region);
	next = dot + 1;
	*cluster = strncasecmp(next, "cluster-", 8) == 0;
	return xstrndup(host, (size_t)(dot - host));
}

char *
dsql_identifier(const char *host)
{
	const char *dot = strchr(host, '.');

	if (dot == NULL || strncmp(dot, ".dsql.", 6) != 0)
		return NULL;
	return xstrndup(host, (size_t)(dot - host));
}

int
rds_describe(struct provider_ctx *ctx, const struct credentials *creds,
    const char *id, int cluster, struct rds_db *db, int *found,
    struct err *e)
{
	/* The first of each element: Address and Port are the instance's
	 * Endpoint's, which comes before any other in the model's order. */
	static const char *const inames[] = {
		"DBInstanceIdentifier", "Engine", "DBInstanceStatus",
		"Address", "Port", "IAMDatabaseAuthenticationEnabled",
		"PubliclyAccessible", "DbiResourceId",
	};
	static const char *const cnames[] = {
		"DBClusterIdentifier", "Engine", "Status", "Endpoint", "Port",
		"IAMDatabaseAuthenticationEnabled", "ReaderEndpoint",
		"DbClusterResourceId",
	};
	enum { F_ID, F_ENGINE, F_STATUS, F_ADDRESS, F_PORT, F_IAM, F_EXTRA,
	    F_RESOURCE, F_N };
	char *f[F_N], *url = endpoint_for_region("rds", ctx->region);
	struct buf body = BUF_INIT, what = BUF_INIT;
	struct query q = { 0 };
	int rc;

	memset(db, 0, sizeof(*db));
	*found = 0;
	buf_printf(&what, "RDS %s", cluster ? "DescribeDBClusters" :
	    "DescribeDBInstances");
	q.what = buf_str(&what);
	q.service = q.endpoint = "rds";
	q.region = ctx->region;
	q.default_url = url;
	q.names = cluster ? cnames : inames;
	q.f = f;
	q.n = F_N;
	api_form_add(&body, "Action", cluster ? "DescribeDBClusters" :
	    "DescribeDBInstances");
	api_form_add(&body, cluster ? "DBClusterIdentifier" :
	    "DBInstanceIdentifier", id);
	api_form_add(&body, "Version", "2014-10-31");
	rc = query(ctx, creds, &q, buf_str(&body), e);
	if (rc == -1 && q.status == 404 && q.code != NULL &&
	    (strcmp(q.code, "DBInstanceNotFound") == 0 ||
	    strcmp(q.code, "DBClusterNotFoundFault") == 0))
		rc = 0;
	else if (rc == 0 && f[F_ID] != NULL) {
		*found = 1;
		db->cluster = cluster;
		db->id = f[F_ID];
		db->engine = f[F_ENGINE];
		db->status = f[F_STATUS];
		db->address = f[F_ADDRESS];
		db->port = f[F_PORT] ? (unsigned)strtoul(f[F_PORT], NULL, 10) :
		    0;
		db->iam_auth = f[F_IAM] && strcmp(f[F_IAM], "true") == 0;
		if (cluster)
			db->reader = f[F_EXTRA];
		else
			db->publicly_accessible = f[F_EXTRA] &&
			    strcmp(f[F_EXTRA], "true") == 0;
		db->resource_id = f[F_RESOURCE];
		free(f[F_PORT]);
		free(f[F_IAM]);
		if (!cluster)
			free(f[F_EXTRA]);
		memset(f, 0, sizeof(f));
	}
	if (rc == 0)
		fields_free(f, F_N);
	free(q.code);
	free(url);
	buf_free(&body);
	buf_free(&what);
	return rc;
}

void
rds_db_free(struct rds_db *db)
{
	free(db->id);
	free(db->engine);
	free(db->status);
	free(db->address);
	free(db->reader);
	free(db->resource_id);
	memset(db, 0, sizeof(*db));
}

char *
iam_principal(const char *arn)
{
	const char *part[6], *p = arn, *role, *slash;
	struct buf b = BUF_INIT;
	size_t i;

	/* arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION */
	for (i = 0; i < 5 && p != NULL; i++) {
		part[i] = p;
		if ((p = strchr(p, ':')) != NULL)
			p++;
	}
	if (p == NULL || strncmp(arn, "arn:", 4) != 0 ||
	    strncmp(part[2], "sts:", 4) != 0 ||
	    strncmp(p, "assumed-role/", 13) != 0)
		return xstrdup(arn);
	role = p + 13;
	if ((slash = strchr(role, '/')) == NULL)
		return xstrdup(arn);
	buf_adds(&b, "arn:");
	buf_add(&b, part[1], (size_t)(part[2] - 1 - part[1]));
	buf_adds(&b, ":iam::");
	buf_add(&b, part[4], (size_t)(p - 1 - part[4]));
	buf_adds(&b, ":role/");
	buf_add(&b, role, (size_t)(slash - role));
	return b.data;
}

/* IAM is global: its endpoint and signing region are the partition's. */
static int
iam_endpoint(const char *region, char **url, const char **signing,
    struct err *e)
{
	const char *host = partition_iam_host(region, signing);
	struct buf b = BUF_INIT;

	if (host == NULL)
		return err_set(e, ERR_CONFIG, "IAM: iamdb knows no endpoint in "
		    "partition %s", partition_name(region));
	buf_printf(&b, "https://%s", host);
	*url = b.data;
	return 0;
}

int
iam_simulate(struct provider_ctx *ctx, const struct credentials *creds,
    const char *principal, const char *action, const char *resource,
    char **decision, struct err *e)
{
	static const char *const names[] = { "EvalDecision" };
	struct buf body = BUF_INIT;
	struct query q = { 0 };
	char *url = NULL, *f[1];
	const char *signing;
	int rc;

	*decision = NULL;
	if (iam_endpoint(ctx->region ? ctx->region : "us-east-1", &url,
	    &signing, e) == -1)
		return -1;
	q.what = "IAM SimulatePrincipalPolicy";
	q.service = q.endpoint = "iam";
	q.region = signing;
	q.default_url = url;
	q.names = names;
	q.f = f;
	q.n = 1;
	api_form_add(&body, "Action", "SimulatePrincipalPolicy");
	api_form_add(&body, "ActionNames.member.1", action);
	api_form_add(&body, "PolicySourceArn", principal);
	api_form_add(&body, "ResourceArns.member.1", resource);
	api_form_add(&body, "Version", "2010-05-08");
	rc = query(ctx, creds, &q, buf_str(&body), e);
	if (rc == 0 && f[0] == NULL)
		rc = err_set(e, ERR_NETWORK, "IAM SimulatePrincipalPolicy: "
		    "the answer has no EvalDecision");
	else if (rc == 0)
		*decision = f[0];
	free(q.code);
	free(url);
	buf_free(&body);
	return rc;
}

/* A JSON member's string, as a heap copy; NULL when it is none. */
static char *
json_member(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? xstrdup(v) : NULL;
}

int
dsql_describe(struct provider_ctx *ctx, const struct credentials *creds,
    const char *id, struct dsql_cluster *cl, int *found, struct err *e)
{
	struct buf url = BUF_INIT, what = BUF_INIT;
	struct api_call call;
	struct http_response rs;
	json_t *o = NULL;
	char *base;
	const char *type;
	size_t tlen = 0;
	int rc = -1;

	memset(cl, 0, sizeof(*cl));
	*found = 0;
	if (endpoint_override(ctx, "dsql", &base, e) == -1)
		return -1;
	if (base != NULL)
		buf_printf(&url, "%s", base);
	else
		buf_printf(&url, "https://dsql.%s.api.aws", ctx->region);
	while (url.len > 0 && url.data[url.len - 1] == '/')
		url.data[--url.len] = '\0';
	buf_adds(&url, "/cluster/");
	sigv4_uri_encode(&url, id, strlen(id), 1);
	buf_printf(&what, "Aurora DSQL GetCluster %s", id);
	memset(&call, 0, sizeof(call));
	call.what = buf_str(&what);
	call.method = "GET";
	call.service = "dsql";
	call.region = ctx->region;
	call.url = buf_str(&url);
	call.body = "";
	if (api_post(&call, creds, judge, NULL, &rs, e) == -1)
		goto out;
	o = json_loadb(rs.body.data ? rs.body.data : "", rs.body.len, 0, NULL);
	type = http_header(&rs, "x-amzn-ErrorType", &tlen);
	if (rs.status == 404 && type != NULL &&
	    strncmp(type, "ResourceNotFoundException", 25) == 0)
		rc = 0;
	else if (rs.status != 200) {
		char *msg = json_member(o, "message"), *code = NULL;
		size_t n = 0;

		/* CODE, or CODE:NAMESPACE */
		while (type != NULL && n < tlen && type[n] != ':')
			n++;
		if (type != NULL)
			code = xstrndup(type, n);

		/* peer text */
		err_set(e, ERR_NETWORK, "%s: HTTP %ld %s: %s", call.what,
		    rs.status, api_one_line(code, "(no code)"),
		    api_one_line(msg, "(no message)"));
		free(msg);
		free(code);
	} else if (!json_is_object(o))
		err_set(e, ERR_NETWORK, "%s: an unreadable answer", call.what);
	else {
		*found = 1;
		cl->arn = json_member(o, "arn");
		cl->status = json_member(o, "status");
		rc = 0;
	}
	json_decref(o);
	http_response_free(&rs);
out:
	free(base);
	buf_free(&url);
	buf_free(&what);
	return rc;
}

void
dsql_cluster_free(struct dsql_cluster *cl)
{
	free(cl->arn);
	free(cl->status);
	memset(cl, 0, sizeof(*cl));
}
