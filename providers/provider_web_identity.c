/* Web identity (EKS IRSA, GitHub Actions, ...): a token file and a role,
 * exchanged by AssumeRoleWithWebIdentity, which needs no credentials. From
 * a profile's web_identity_token_file, role_arn and role_session_name, each
 * overridden by AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN and
 * AWS_ROLE_SESSION_NAME, as botocore takes them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "profile.h"
#include "sts.h"

struct web_identity {
	struct sts_request	 rq;
	const char		*token_file;
};

static int
fetch_web_identity(struct provider_ctx *ctx, void *arg,
    struct credentials *c, struct err *e)
{
	struct web_identity *w = arg;
	char *token;
	int rc;

	if ((token = read_secret_file(w->token_file, 64 * 1024,
	    "web identity token file", e)) == NULL)
		return -1;
	w->rq.web_identity_token = token;
	rc = sts_assume_role_with_web_identity(ctx, &w->rq, c, e);
	wipe_str(token);
	if (rc == 0)
		snprintf(c->source, sizeof(c->source), "AssumeRoleWithWeb"
		    "Identity %s", w->rq.role_arn);
	return rc;
}

/* The environment's value (when env) before the profile's, as botocore's
 * AssumeRoleWithWebIdentityProvider takes each of its settings. */
static int
setting(struct provider_ctx *ctx, const char *profile, int env,
    const char *var, const char *key, const char **value, struct err *e)
{
	*value = NULL;
	if (env && env_setting(var, value, e) == -1)
		return -1;
	if (*value == NULL && profile_setting(ctx, profile, key, 0, value,
	    e) == -1)
		return -1;
	if (*value != NULL && **value == '\0')
		*value = NULL;
	return 0;
}

int
web_identity_credentials(struct provider_ctx *ctx, const char *profile,
    int env, struct credentials *c, int *found, struct err *e)
{
	struct cached_fetch f = { 0 };
	struct web_identity w;
	struct buf desc = BUF_INIT;
	const char *file, *role, *name;
	char session[64], *override;
	int rc;

	*found = 0;
	if (awsconfig_load(ctx->cfg, e) == -1 ||
	    setting(ctx, profile, env, "AWS_WEB_IDENTITY_TOKEN_FILE",
	    "web_identity_token_file", &file, e) == -1)
		return -1;
	if (file == NULL) {
		if (env)
			provider_explain(ctx, "web identity", "AWS_WEB_"
			    "IDENTITY_TOKEN_FILE is not set, nor "
			    "web_identity_token_file in profile %s", profile);
		return 0;
	}
	if (setting(ctx, profile, env, "AWS_ROLE_ARN", "role_arn", &role,
	    e) == -1 || setting(ctx, profile, env, "AWS_ROLE_SESSION_NAME",
	    "role_session_name", &name, e) == -1 ||
	    endpoint_override(ctx, "sts", &override, e) == -1)
		return -1;
	if (role == NULL) {
		free(override);
		return err_set(e, ERR_CONFIG, "web identity token file %s "
		    "needs a role ARN: role_arn in profile %s%s", file, profile,
		    env ? " or AWS_ROLE_ARN" : "");
	}
	memset(&w, 0, sizeof(w));
	if (name == NULL) {
		snprintf(session, sizeof(session), "iamdb-%lld",
		    (long long)time(NULL));
		w.rq.session_name = session;
	} else
		w.rq.session_name = name;
	w.rq.role_arn = role;
	w.token_file = file;
	/* As the aws CLI's cache key: never the region. */
	buf_printf(&desc, "web-identity\nrole_arn=%s\nsession=%s\n"
	    "token_file=%s\nendpoint=%s\n", role, name ? name : "", file,
	    override ? override : "");
	f.desc = buf_str(&desc);
	f.label = "web identity";
	f.fetch = fetch_web_identity;
	f.arg = &w;
	rc = cached_credentials(ctx, &f, c, e);
	buf_free(&desc);
	free(override);
	*found = rc == 0;
	return rc;
}

static int
web_identity_get(struct provider_ctx *ctx, struct credentials *c,
    int *found, struct err *e)
{
	/* As in botocore, --profile keeps the environment's settings out. */
	return web_identity_credentials(ctx, ctx->cfg->profile,
	    !ctx->cfg->explicit, c, found, e);
}

const struct provider provider_web_identity = {
	"web identity", web_identity_get
};
