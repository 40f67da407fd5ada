/*
 * EC2 instance metadata, IMDSv2: a session token from PUT
 * /latest/api/token, then the instance role's credentials. The v1 flow
 * (no token) is used only when the token request is refused and v1 is not
 * disabled. Timeouts are short (1 s, one attempt, as botocore) so that
 * a machine that is not on EC2 is not held up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "credjson.h"
#include "http.h"
#include "profile.h"

struct imds {
	char	*base;		/* endpoint without a trailing slash */
	char	*token;		/* NULL: v1 */
	long	 timeout_ms;
};

static const char *
setting(struct provider_ctx *ctx, const char *env_name, const char *key)
{
	const char *v = env_nonempty(env_name);

	if (v == NULL && awsconfig_load(ctx->cfg, NULL) == 0)
		v = awsconfig_get(ctx->cfg, key, NULL);
	return v != NULL && *v != '\0' ? v : NULL;
}

static int
is_true(const char *v)
{
	return v != NULL && strcasecmp(v, "true") == 0;
}

static void
imds_free(struct imds *m)
{
	free(m->base);
	wipe_str(m->token);
	memset(m, 0, sizeof(*m));
}

static int
imds_get(struct imds *m, const char *path, struct http_response *rs,
    struct err *e)
{
	struct buf url = BUF_INIT, hdr = BUF_INIT;
	const char *headers[2] = { NULL, NULL };
	struct http_request rq;
	int rc;

	buf_printf(&url, "%s%s", m->base, path);
	if (m->token != NULL) {
		buf_printf(&hdr, "X-aws-ec2-metadata-token: %s", m->token);
		headers[0] = buf_str(&hdr);
	}
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.url = buf_str(&url);
	rq.headers = headers;
	rq.timeout_ms = m->timeout_ms;
	rq.attempts = 1;
	rq.what = "instance metadata";
	rc = http_do(&rq, rs, e);
	buf_free(&url);
	buf_free(&hdr);
	if (rc == 0 && rs->status != 200) {
		long status = rs->status;

		err_set(e, ERR_NETWORK, "instance metadata %s: HTTP %ld", path,
		    status);
		http_response_free(rs);
		rs->status = status;
		return -1;
	}
	return rc;
}

/* 1 with a session ready, 0 when IMDS is off or unreachable (explained),
 * -1 on error. */
static int
imds_open(struct provider_ctx *ctx, struct imds *m, struct err *e)
{
	static const char *const put_headers[] = {
		"X-aws-ec2-metadata-token-ttl-seconds: 21600", NULL
	};
	const char *endpoint, *mode;
	struct http_request rq;
	struct http_response rs;
	struct buf url = BUF_INIT;
	struct err neterr = { 0 };
	long status;
	int rc;

	memset(m, 0, sizeof(*m));
	if (is_true(env_nonempty("AWS_EC2_METADATA_DISABLED"))) {
		provider_explain(ctx, "instance metadata", "disabled by "
		    "AWS_EC2_METADATA_DISABLED");
		return 0;
	}
	endpoint = setting(ctx, "AWS_EC2_METADATA_SERVICE_ENDPOINT",
	    "ec2_metadata_service_endpoint");
	mode = setting(ctx, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
	    "ec2_metadata_service_endpoint_mode");
	if (endpoint == NULL)
		endpoint = mode && strcasecmp(mode, "IPv6") == 0 ?
		    "http://[fd00:ec2::254]" : "http://169.254.169.254";
	if (strncmp(endpoint, "http://", 7) != 0 &&
	    strncmp(endpoint, "https://", 8) != 0)
		return err_set(e, ERR_CONFIG, "instance metadata endpoint '%s'"
		    " is not an http(s) URL", endpoint);
	m->base = xstrdup(endpoint);
	while (*m->base && m->base[strlen(m->base) - 1] == '/')
		m->base[strlen(m->base) - 1] = '\0';
	m->timeout_ms = 1000;

	buf_printf(&url, "%s/latest/api/token", m->base);
	memset(&rq, 0, sizeof(rq));
	rq.method = "PUT";
	rq.url = buf_str(&url);
	rq.headers = put_headers;
	rq.timeout_ms = m->timeout_ms;
	rq.attempts = 1;
	rq.what = "instance metadata";
	rc = http_do(&rq, &rs, &neterr);
	buf_free(&url);
	if (rc == -1) {
		provider_explain(ctx, "instance metadata", "not reachable: %s",
		    neterr.msg);
		imds_free(m);
		return 0;
	}
	status = rs.status;
	/* The token goes into a header: one line, no NUL. */
	if (status == 200 && rs.body.len > 0 &&
	    strlen(buf_str(&rs.body)) == rs.body.len &&
	    strpbrk(buf_str(&rs.body), "\r\n") == NULL) {
		m->token = xstrdup(buf_str(&rs.body));
		http_response_free(&rs);
		return 1;
	}
	http_response_free(&rs);
	if (status == 403 || status == 404 || status == 405) {
		if (is_true(setting(ctx, "AWS_EC2_METADATA_V1_DISABLED",
		    "ec2_metadata_v1_disabled"))) {
			imds_free(m);
			return err_set(e, ERR_CREDENTIALS, "instance metadata "
			    "refused an IMDSv2 token and v1 is disabled");
		}
		provider_explain(ctx, "instance metadata", "no IMDSv2 token "
		    "(HTTP %ld): using v1", status);
		return 1;
	}
	err_set(e, ERR_NETWORK, "instance metadata token request: HTTP %ld%s",
	    status, status == 200 ? " without a usable token" : "");
	imds_free(m);
	return -1;
}

int
imds_credentials(struct provider_ctx *ctx, struct credentials *c,
    struct err *e)
{
	static const struct cred_fields fields = {
		"AccessKeyId", "SecretAccessKey", "Token", "Expiration", 0, 1
	};
	struct http_response rs;
	struct imds m;
	struct buf path = BUF_INIT;
	json_t *doc = NULL;
	char *role = NULL;
	const char *code;
	int rc;

	if ((rc = imds_open(ctx, &m, e)) != 1)
		return rc;
	rc = -1;
	if (imds_get(&m, "/latest/meta-data/iam/security-credentials/", &rs,
	    e) == -1) {
		/* An instance without a role has no credentials to give. */
		if (rs.status == 404) {
			provider_explain(ctx, "instance metadata", "no "
			    "instance role (HTTP 404)");
			memset(e, 0, sizeof(*e));
			rc = 0;
		}
		goto out;
	}
	role = xstrndup(buf_str(&rs.body), strcspn(buf_str(&rs.body), "\r\n"));
	http_response_free(&rs);
	if (*role == '\0' || strpbrk(role, "/?#%") != NULL) {
		err_set(e, ERR_CREDENTIALS, "instance metadata: no usable "
		    "instance role");
		goto out;
	}
	buf_printf(&path, "/latest/meta-data/iam/security-credentials/%s",
	    role);
	if (imds_get(&m, buf_str(&path), &rs, e) == -1)
		goto out;
	if ((doc = json_parse(buf_str(&rs.body), rs.body.len,
	    "instance metadata credentials", e)) != NULL &&
	    ((code = json_string_value(json_object_get(doc, "Code"))) == NULL ||
	    strcmp(code, "Success") == 0) &&
	    credentials_from_json(doc, &fields, c, "instance metadata "
	    "credentials", e) == 0) {
		snprintf(c->source, sizeof(c->source), "instance role %s%s",
		    role, m.token ? "" : " (IMDSv1)");
		rc = 1;
	} else if (doc != NULL && e->kind == ERR_NONE)
		err_set(e, ERR_CREDENTIALS, "instance metadata: role %s: "
		    "Code is not Success", role);
	http_response_free(&rs);
out:
	json_decref(doc);
	free(role);
	buf_free(&path);
	imds_free(&m);
	return rc;
}

char *
imds_region(struct provider_ctx *ctx)
{
	struct http_response rs;
	struct imds m;
	struct err e = { 0 };
	struct buf explain = ctx->explain;
	char *region = NULL;

	/* What the lookup met is no part of the credentials' story. */
	memset(&ctx->explain, 0, sizeof(ctx->explain));
	if (imds_open(ctx, &m, &e) == 1) {
		if (imds_get(&m, "/latest/meta-data/placement/region", &rs,
		    &e) == 0) {
			region = xstrndup(buf_str(&rs.body),
			    strcspn(buf_str(&rs.body), "\r\n \t"));
			http_response_free(&rs);
		}
		imds_free(&m);
	}
	buf_free(&ctx->explain);
	ctx->explain = explain;
	return region;
}

static int
imds_provider_get(struct provider_ctx *ctx, struct credentials *c,
    struct err *e)
{
	return imds_credentials(ctx, c, e);
}

const struct provider provider_imds = {
	"instance metadata", imds_provider_get
};
