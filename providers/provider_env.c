/* AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SECURITY_TOKEN or
 * AWS_SESSION_TOKEN, and AWS_CREDENTIAL_EXPIRATION. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credjson.h"
#include "profile.h"

static int
env_credentials(struct provider_ctx *ctx, struct credentials *c,
    int *found, struct err *e)
{
	const char *akid, *secret, *token, *exp;
	time_t when = 0;

	*found = 0;

	if (env_setting("AWS_ACCESS_KEY_ID", &akid, e) == -1)
		goto bad;
	if (akid == NULL) {
		provider_explain(ctx, "environment",
		    "AWS_ACCESS_KEY_ID is not set");
		return 0;
	}
	if (env_setting("AWS_SECRET_ACCESS_KEY", &secret, e) == -1)
		goto bad;
	if (secret == NULL)
		return err_set(e, ERR_CREDENTIALS, "AWS_ACCESS_KEY_ID is set "
		    "but AWS_SECRET_ACCESS_KEY is not");
	if ((exp = env_nonempty("AWS_CREDENTIAL_EXPIRATION")) != NULL &&
	    expiration_parse(exp, &when) == -1)
		return err_set(e, ERR_CREDENTIALS, "AWS_CREDENTIAL_EXPIRATION "
		    "'%s' is not an ISO 8601 time", exp);
	/* botocore's order: the older name first. */
	if (env_setting("AWS_SECURITY_TOKEN", &token, e) == -1 ||
	    (token == NULL && env_setting("AWS_SESSION_TOKEN", &token,
	    e) == -1))
		goto bad;
	c->access_key_id = xstrdup(akid);
	c->secret_access_key = xstrdup(secret);
	c->session_token = token ? xstrdup(token) : NULL;
	c->has_expiration = exp != NULL;
	c->expiration = when;
	snprintf(c->source, sizeof(c->source), "environment variables");
	*found = 1;
	return 0;
bad:
	e->kind = ERR_CREDENTIALS;
	return -1;
}

static int
env_get(struct provider_ctx *ctx, struct credentials *c, int *found,
    struct err *e)
{
	/* As in botocore, an explicit --profile outranks the environment. */
	if (ctx->cfg->explicit) {
		provider_explain(ctx, "environment", "skipped: --profile %s "
		    "was given", ctx->cfg->profile);
		*found = 0;
		return 0;
	}
	return env_credentials(ctx, c, found, e);
}

const struct provider provider_env = { "environment", env_get };
const struct provider provider_env_source = { "environment",
    env_credentials };
