#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "../common/timeutil.h"
#include "../sigv4/service.h"
#include "../sigv4/sigv4.h"
#include "awsapi.h"
#include "credjson.h"
#include "http.h"
#include "profile.h"
#include "sts.h"

/* The fields of the STS XML answer iamdb reads, in this order. */
static const char *const reply_names[] = {
	"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration",
	"Code", "Message",
};
enum { R_AKID, R_SECRET, R_TOKEN, R_EXPIRATION, R_CODE, R_MESSAGE, R_N };

struct sts_reply {
	char	*f[R_N];
	long	 status;
	int	 parsed;	/* the answer was XML */
	int	 empty;
};

static void
reply_free(struct sts_reply *r)
{
	wipe_str(r->f[R_AKID]);
	wipe_str(r->f[R_SECRET]);
	wipe_str(r->f[R_TOKEN]);
	free(r->f[R_EXPIRATION]);
	free(r->f[R_CODE]);
	free(r->f[R_MESSAGE]);
	memset(r, 0, sizeof(*r));
}

/* api_post's judge: keeps the parsed answer, and asks again on server
 * errors and throttling (which STS answers with 400 too). */
static int
sts_again(void *arg, const struct http_response *rs)
{
	struct sts_reply *r = arg;

	reply_free(r);
	r->status = rs->status;
	r->empty = rs->body.len == 0;
	r->parsed = api_xml_fields(buf_str(&rs->body), rs->body.len,
	    reply_names, r->f, R_N) == 0;
	if (!r->parsed)
		return http_retryable(r->status);
	return r->status != 200 && (http_retryable(r->status) ||
	    api_throttled(r->f[R_CODE]) ||
	    (r->f[R_CODE] != NULL &&
	    strcmp(r->f[R_CODE], "IDPCommunicationError") == 0));
}

static int
sts_call(struct provider_ctx *ctx, const char *action, const char *body,
    const struct credentials *signer_creds, struct credentials *out,
    struct err *e)
{
	const char *region = ctx->region ? ctx->region : "us-east-1";
	struct api_call call;
	struct http_response rs;
	struct sts_reply reply;
	char *url;
	int rc = -1;

	if (endpoint_override(ctx, "sts", &url, e) == -1)
		return -1;
	if (url == NULL)
		url = ctx->region == NULL ? xstrdup("https://sts.amazonaws.com") :
		    endpoint_for_region("sts", region);
	memset(&call, 0, sizeof(call));
	call.what = "STS";
	call.service = "sts";
	call.region = region;
	call.url = url;
	call.content_type = "application/x-www-form-urlencoded; charset=utf-8";
	call.accept = "text/xml";
	call.body = body;
	memset(&reply, 0, sizeof(reply));
	if (api_post(&call, signer_creds, sts_again, &reply, &rs, e) == -1)
		goto out;
	http_response_free(&rs);
	if (!reply.parsed) {
		err_set(e, ERR_NETWORK, "STS %s at %s: HTTP %ld with %s "
		    "answer", action, url, reply.status, reply.empty ?
		    "an empty" : "an unreadable (not STS XML)");
	} else if (reply.status != 200) {
		/* peer text */
		err_set(e, ERR_NETWORK, "STS %s at %s: HTTP %ld %s: %s", action,
		    url, reply.status, api_one_line(reply.f[R_CODE],
		    "(no code)"), api_one_line(reply.f[R_MESSAGE],
		    "(no message)"));
	} else if (reply.f[R_AKID] == NULL || reply.f[R_SECRET] == NULL ||
	    reply.f[R_TOKEN] == NULL || reply.f[R_EXPIRATION] == NULL ||
	    *reply.f[R_AKID] == '\0' || *reply.f[R_SECRET] == '\0') {
		err_set(e, ERR_NETWORK, "STS %s at %s: the answer lacks "
		    "credentials", action, url);
	} else if (expiration_parse(reply.f[R_EXPIRATION], &out->expiration)) {
		/* peer text */
		err_set(e, ERR_NETWORK, "STS %s at %s: unreadable Expiration "
		    "'%s'", action, url, api_one_line(reply.f[R_EXPIRATION],
		    ""));
	} else {
		out->access_key_id = reply.f[R_AKID];
		out->secret_access_key = reply.f[R_SECRET];
		out->session_token = reply.f[R_TOKEN];
		out->has_expiration = 1;
		reply.f[R_AKID] = reply.f[R_SECRET] = reply.f[R_TOKEN] = NULL;
		if ((rc = credentials_check(out, "the STS answer", e)) == -1) {
			e->kind = ERR_NETWORK;
			credentials_free(out);
		}
	}
out:
	reply_free(&reply);
	free(url);
	return rc;
}

static void
role_form(struct buf *b, const char *action, const struct sts_request *r)
{
	char duration[24];

	api_form_add(b, "Action", action);
	api_form_add(b, "Version", "2011-06-15");
	api_form_add(b, "RoleArn", r->role_arn);
	api_form_add(b, "RoleSessionName", r->session_name);
	if (r->duration > 0) {
		snprintf(duration, sizeof(duration), "%ld", r->duration);
		api_form_add(b, "DurationSeconds", duration);
	}
}

int
sts_assume_role(struct provider_ctx *ctx, const struct sts_request *r,
    const struct credentials *source, struct credentials *out,
    struct err *e)
{
	struct buf body = BUF_INIT;
	int rc;

	role_form(&body, "AssumeRole", r);
	api_form_add(&body, "ExternalId", r->external_id);
	if (r->mfa_serial != NULL) {
		api_form_add(&body, "SerialNumber", r->mfa_serial);
		api_form_add(&body, "TokenCode", r->mfa_code);
	}
	rc = sts_call(ctx, "AssumeRole", buf_str(&body), source, out, e);
	buf_free(&body);
	return rc;
}

int
sts_assume_role_with_web_identity(struct provider_ctx *ctx,
    const struct sts_request *r, struct credentials *out, struct err *e)
{
	struct buf body = BUF_INIT;
	int rc;

	role_form(&body, "AssumeRoleWithWebIdentity", r);
	api_form_add(&body, "WebIdentityToken", r->web_identity_token);
	rc = sts_call(ctx, "AssumeRoleWithWebIdentity", buf_str(&body), NULL,
	    out, e);
	buf_free(&body);
	return rc;
}
