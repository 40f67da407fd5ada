/* AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (or the
 * older AWS_SECURITY_TOKEN) and AWS_CREDENTIAL_EXPIRATION. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/timeutil.h"
#include "profile.h"

int
env_credentials(struct provider_ctx *ctx, struct credentials *c,
    struct err *e)
{
	const char *akid, *secret, *token, *exp;
	time_t when = 0;

	akid = env_nonempty("AWS_ACCESS_KEY_ID");
	secret = env_nonempty("AWS_SECRET_ACCESS_KEY");
	if (akid == NULL) {
		provider_explain(ctx, "environment",
		    "AWS_ACCESS_KEY_ID is not set");
		return 0;
	}
	if (secret == NULL)
		return err_set(e, ERR_CREDENTIALS, "AWS_ACCESS_KEY_ID is set "
		    "but AWS_SECRET_ACCESS_KEY is not");
	if ((exp = env_nonempty("AWS_CREDENTIAL_EXPIRATION")) != NULL &&
	    time_parse_iso8601(exp, &when) == -1)
		return err_set(e, ERR_CREDENTIALS, "AWS_CREDENTIAL_EXPIRATION "
		    "'%s' is not an ISO 8601 time", exp);
	if ((token = env_nonempty("AWS_SESSION_TOKEN")) == NULL)
		token = env_nonempty("AWS_SECURITY_TOKEN");
	c->access_key_id = xstrdup(akid);
	c->secret_access_key = xstrdup(secret);
	c->session_token = token ? xstrdup(token) : NULL;
	c->expiration = when;
	snprintf(c->source, sizeof(c->source), "environment variables");
	return 1;
}

static int
env_get(struct provider_ctx *ctx, struct credentials *c, struct err *e)
{
	/* As in botocore, an explicit --profile outranks the environment. */
	if (ctx->cfg->explicit) {
		provider_explain(ctx, "environment", "skipped: --profile %s "
		    "was given", ctx->cfg->profile);
		return 0;
	}
	return env_credentials(ctx, c, e);
}

const struct provider provider_env = { "environment", env_get };
