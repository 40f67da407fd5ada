/*
 * EC2 instance metadata, as botocore's InstanceMetadataFetcher asks it: a
 * session token from PUT /latest/api/token (IMDSv2), then the instance
 * role's credentials. Without a token (the PUT refused, timed out or
 * failed), the v1 flow, unless v1 is disabled. Timeouts are short (1 s,
 * one attempt, unless metadata_service_timeout and _num_attempts say
 * otherwise) so that a machine that is not on EC2 is not held up; and
 * whatever goes wrong past the token is "no credentials here", as in
 * botocore, so that the chain's error lists what was tried.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "credjson.h"
#include "endpoint.h"
#include "http.h"
#include "profile.h"

struct imds {
	char	*base;		/* endpoint without a trailing slash */
	char	*token;		/* NULL: v1 */
	long	 timeout_ms;
	int	 attempts;
};

/* An IMDS setting: the variable, else the selected profile's key. */
static int
setting(struct provider_ctx *ctx, const char *env_name, const char *key,
    const char **v, struct err *e)
{
	if (env_setting(env_name, v, e) == -1)
		return -1;
	if (*v == NULL && (awsconfig_load(ctx->cfg, e) == -1 ||
	    awsconfig_setting(ctx->cfg, ctx->cfg->profile, key, 0, v,
	    e) == -1))
		return -1;
	if (*v != NULL && **v == '\0')
		*v = NULL;
	return 0;
}

/* metadata_service_timeout and _num_attempts: whole numbers, as
 * botocore's int() reads them. */
static int
count(struct provider_ctx *ctx, const char *env_name, const char *key,
    long dflt, long max, long *out, struct err *e)
{
	const char *v;
	char *end;

	if (setting(ctx, env_name, key, &v, e) == -1)
		return -1;
	*out = dflt;
	if (v == NULL)
		return 0;
	*out = strtol(v, &end, 10);
	if (*end != '\0' || *out < 1 || *out > max)
		return err_set(e, ERR_CONFIG, "%s '%s' is not a whole number "
		    "from 1 to %ld", key, v, max);
	return 0;
}

static void
imds_free(struct imds *m)
{
	free(m->base);
	wipe_str(m->token);
	memset(m, 0, sizeof(*m));
}

/* A GET, tried as often as configured while the answer is not a 200
 * with a body: 0 with it in rs, -1 without (the last status in
 * rs->status). */
/* One request to the metadata service, as botocore makes them: no retry
 * of its own (the callers count attempts), botocore's proxy rules. */
static struct http_request
imds_request(const struct imds *m, const char *method, const char *url,
    const char *const *headers)
{
	return (struct http_request){ .method = method, .url = url,
	    .headers = headers, .timeout_ms = m->timeout_ms, .attempts = 1,
	    .what = "instance metadata", .proxy = HTTP_PROXY_BOTOCORE };
}

static int
imds_get(struct imds *m, const char *path, struct http_response *rs,
    struct err *e)
{
	struct buf url = BUF_INIT, hdr = BUF_INIT;
	const char *headers[2] = { NULL, NULL };
	struct http_request rq;
	long status = 0;
	int i, rc = -1;

	buf_printf(&url, "%s%s", m->base, path);
	if (m->token != NULL) {
		buf_printf(&hdr, "X-aws-ec2-metadata-token: %s", m->token);
		headers[0] = buf_str(&hdr);
	}
	rq = imds_request(m, "GET", buf_str(&url), headers);
	for (i = 0; i < m->attempts && rc == -1; i++) {
		if (http_do(&rq, rs, e) == -1)
			continue;
		status = rs->status;
		if (status == 200 && rs->body.len > 0)
			rc = 0;
		else {
			err_set(e, ERR_NETWORK, "instance metadata %s: HTTP "
			    "%ld%s", path, status, status == 200 ?
			    " with an empty answer" : "");
			http_response_free(rs);
		}
	}
	rs->status = status;
	buf_free(&url);
	buf_free(&hdr);
	return rc;
}

/* botocore's _fetch_metadata_token: 0 with the token in m->token, or
 * none there (v1, e saying why); -1 when the service refused the request
 * outright (HTTP 400). *reached says whether a connection was ever made. */
static int
fetch_token(struct imds *m, int *reached, struct err *e)
{
	static const char *const put_headers[] = {
		"X-aws-ec2-metadata-token-ttl-seconds: 21600", NULL
	};
	struct http_request rq;
	struct http_response rs;
	struct buf url = BUF_INIT;
	long status;
	int i, rc = 0;

	*reached = 0;
	buf_printf(&url, "%s/latest/api/token", m->base);
	rq = imds_request(m, "PUT", buf_str(&url), put_headers);
	for (i = 0; i < m->attempts; i++) {
		if (http_do(&rq, &rs, e) == -1) {
			*reached |= rs.connected;
			continue;
		}
		*reached = 1;
		status = rs.status;
		if (status == 200 && rs.body.len == 0)
			err_set(e, ERR_NETWORK, "HTTP 200 with an empty token");
		else if (status == 200) {
			m->token = xstrdup(buf_str(&rs.body));
		} else if (status == 400)
			rc = err_set(e, ERR_NETWORK, "instance metadata "
			    "refused the token request (HTTP 400)");
		else
			err_set(e, ERR_NETWORK, "HTTP %ld", status);
		http_response_free(&rs);
		if (rc == -1 || status == 200 || status == 403 ||
		    status == 404 || status == 405)
			break;
	}
	buf_free(&url);
	return rc;
}

/* The endpoint, timeout and attempts, and whether v1 is off. */
static int
imds_config(struct provider_ctx *ctx, struct imds *m, int *v1_disabled,
    struct err *e)
{
	const char *endpoint, *mode, *v1_off, *v6;
	long attempts;

	memset(m, 0, sizeof(*m));
	if (setting(ctx, "AWS_EC2_METADATA_SERVICE_ENDPOINT",
	    "ec2_metadata_service_endpoint", &endpoint, e) == -1 ||
	    setting(ctx, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
	    "ec2_metadata_service_endpoint_mode", &mode, e) == -1 ||
	    setting(ctx, "AWS_IMDS_USE_IPV6", "imds_use_ipv6", &v6, e) == -1 ||
	    setting(ctx, "AWS_EC2_METADATA_V1_DISABLED",
	    "ec2_metadata_v1_disabled", &v1_off, e) == -1)
		return -1;
	if (mode != NULL && strcasecmp(mode, "IPv4") != 0 &&
	    strcasecmp(mode, "IPv6") != 0)
		return err_set(e, ERR_CONFIG, "instance metadata endpoint mode "
		    "'%s' is neither IPv4 nor IPv6", mode);
	if (endpoint == NULL)
		endpoint = (mode != NULL ? strcasecmp(mode, "IPv6") == 0 :
		    is_true(v6)) ? "http://[fd00:ec2::254]" :
		    "http://169.254.169.254";
	if (strncmp(endpoint, "http://", 7) != 0 &&
	    strncmp(endpoint, "https://", 8) != 0)
		return err_set(e, ERR_CONFIG, "instance metadata endpoint '%s'"
		    " is not an http(s) URL", endpoint);
	m->base = xstrdup(endpoint);
	while (*m->base && m->base[strlen(m->base) - 1] == '/')
		m->base[strlen(m->base) - 1] = '\0';
	if (count(ctx, "AWS_METADATA_SERVICE_TIMEOUT",
	    "metadata_service_timeout", 1, 600, &m->timeout_ms, e) == -1 ||
	    count(ctx, "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
	    "metadata_service_num_attempts", 1, 10, &attempts, e) == -1) {
		imds_free(m);
		return -1;
	}
	m->timeout_ms *= 1000;
	m->attempts = (int)attempts;
	*v1_disabled = is_true(v1_off);
	return 0;
}

int
imds_check_settings(struct provider_ctx *ctx, struct err *e)
{
	struct imds m;
	int v1_disabled;

	if (imds_config(ctx, &m, &v1_disabled, e) == -1)
		return -1;
	imds_free(&m);
	return 0;
}

/* 0 with *open set and a session ready, or clear when IMDS is off,
 * unreachable or refuses (explained); -1 on error. */
static int
imds_open(struct provider_ctx *ctx, struct imds *m, int *open,
    struct err *e)
{
	struct err neterr = { 0 };
	int reached, v1_disabled;

	*open = 0;
	memset(m, 0, sizeof(*m));
	if (is_true(env_nonempty("AWS_EC2_METADATA_DISABLED"))) {
		provider_explain(ctx, "instance metadata", "disabled by "
		    "AWS_EC2_METADATA_DISABLED");
		return 0;
	}
	if (imds_config(ctx, m, &v1_disabled, e) == -1)
		return -1;
	if (fetch_token(m, &reached, &neterr) == -1) {
		provider_explain(ctx, "instance metadata", "%s", neterr.msg);
		imds_free(m);
		return 0;
	}
	if (m->token != NULL) {
		/* The token goes into a header: one line of text. */
		if (control_char(m->token)) {
			imds_free(m);
			return err_set(e, ERR_NETWORK, "instance metadata "
			    "token request: HTTP 200 without a usable token");
		}
		*open = 1;
		return 0;
	}
	/* A machine that never answered is no EC2 instance: asking v1 would
	 * only wait as long again, and botocore would find nothing either. */
	if (!reached) {
		provider_explain(ctx, "instance metadata", "not reachable: %s",
		    neterr.msg);
		imds_free(m);
		return 0;
	}
	if (v1_disabled) {
		imds_free(m);
		return err_set(e, ERR_CREDENTIALS, "instance metadata gave no "
		    "IMDSv2 token (%s) and IMDSv1 is disabled", neterr.msg);
	}
	provider_explain(ctx, "instance metadata", "no IMDSv2 token (%s): "
	    "using v1", neterr.msg);
	*open = 1;
	return 0;
}

/* Role names are ASCII words; anything else is not used, nor printed. */
static int
usable_role(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f ||
		    strchr("/?#%", *s) != NULL)
			return 0;
	return 1;
}

static int
imds_provider_get(struct provider_ctx *ctx, struct credentials *c,
    int *found, struct err *e)
{
	struct http_response rs;
	struct imds m;
	struct buf path = BUF_INIT;
	struct err why = { 0 };
	char *role = NULL;
	int open;

	*found = 0;
	if (imds_open(ctx, &m, &open, e) == -1)
		return -1;
	if (!open)
		return 0;
	if (imds_get(&m, "/latest/meta-data/iam/security-credentials/", &rs,
	    &why) == -1) {
		provider_explain(ctx, "instance metadata", "no instance role "
		    "(%s)", why.msg);
		goto out;
	}
	role = xstrndup(buf_str(&rs.body), strcspn(buf_str(&rs.body), "\r\n"));
	http_response_free(&rs);
	if (!usable_role(role)) {
		provider_explain(ctx, "instance metadata", "no usable instance "
		    "role name");
		goto out;
	}
	buf_printf(&path, "/latest/meta-data/iam/security-credentials/%s",
	    role);
	if (imds_get(&m, buf_str(&path), &rs, &why) == -1) {
		provider_explain(ctx, "instance metadata", "role %s: %s", role,
		    why.msg);
		goto out;
	}
	/* botocore asks again for JSON it cannot read, and takes an answer
	 * without the four fields as none. */
	if (credentials_from_answer(buf_str(&rs.body), rs.body.len, NULL,
	    &cred_fields_metadata, c, "instance metadata credentials",
	    &why) == -1 || c->session_token == NULL) {
		credentials_free(c);
		provider_explain(ctx, "instance metadata", "role %s: %s", role,
		    why.kind != ERR_NONE ? why.msg : "no Token in the answer");
	} else {
		snprintf(c->source, sizeof(c->source), "instance role %s%s",
		    role, m.token ? "" : " (IMDSv1)");
		*found = 1;
	}
	http_response_free(&rs);
out:
	free(role);
	buf_free(&path);
	imds_free(&m);
	return 0;
}

char *
imds_region(struct provider_ctx *ctx)
{
	struct http_response rs;
	struct imds m;
	struct err e = { 0 };
	struct buf explain = ctx->explain;
	char *region = NULL;
	int open;

	/* What the lookup met is no part of the credentials' story. */
	memset(&ctx->explain, 0, sizeof(ctx->explain));
	if (imds_open(ctx, &m, &open, &e) == 0 && open) {
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

const struct provider provider_imds = {
	"instance metadata", imds_provider_get
};
