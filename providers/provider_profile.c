/* Static keys of the selected profile: aws_access_key_id,
 * aws_secret_access_key and aws_session_token, in the shared credentials
 * file and then in the config file, as botocore's chain has them. */
#include <stdio.h>
#include <string.h>

#include "providers.h"

static int
profile_keys(struct provider_ctx *ctx, struct credentials *c,
    const struct ini *ini, const char *section, const char *label,
    struct err *e)
{
	const char *akid, *secret, *token;

	if (!ini_has_section(ini, section)) {
		provider_explain(ctx, label, "%s: no [%s] section",
		    ini->path, section);
		return 0;
	}
	if ((akid = ini_get(ini, section, "aws_access_key_id")) == NULL ||
	    *akid == '\0') {
		provider_explain(ctx, label, "%s: [%s] has no "
		    "aws_access_key_id", ini->path, section);
		return 0;
	}
	secret = ini_get(ini, section, "aws_secret_access_key");
	if (secret == NULL || *secret == '\0')
		return err_set(e, ERR_CREDENTIALS, "%s: [%s] has "
		    "aws_access_key_id but no aws_secret_access_key",
		    ini->path, section);
	if ((token = ini_get(ini, section, "aws_session_token")) == NULL ||
	    *token == '\0')
		token = ini_get(ini, section, "aws_security_token");
	c->access_key_id = xstrdup(akid);
	c->secret_access_key = xstrdup(secret);
	c->session_token = token && *token ? xstrdup(token) : NULL;
	snprintf(c->source, sizeof(c->source), "%s [%s]", ini->path,
	    section);
	return 1;
}

static int
load(struct provider_ctx *ctx, struct err *e)
{
	struct awsconfig *cfg = ctx->cfg;

	if (awsconfig_load(cfg, e) == -1)
		return -1;
	return awsconfig_check_profile(cfg, e);
}

static int
credentials_file_get(struct provider_ctx *ctx, struct credentials *c,
    struct err *e)
{
	if (load(ctx, e) == -1)
		return -1;
	return profile_keys(ctx, c, &ctx->cfg->credentials, ctx->cfg->profile,
	    "shared credentials file", e);
}

static int
config_file_get(struct provider_ctx *ctx, struct credentials *c,
    struct err *e)
{
	struct buf section = BUF_INIT;
	const struct ini *ini = &ctx->cfg->config;
	int rc;

	if (load(ctx, e) == -1)
		return -1;
	buf_printf(&section, "profile %s", ctx->cfg->profile);
	if (strcmp(ctx->cfg->profile, "default") == 0 &&
	    !ini_has_section(ini, buf_str(&section))) {
		buf_reset(&section);
		buf_adds(&section, "default");
	}
	rc = profile_keys(ctx, c, ini, buf_str(&section), "config file", e);
	buf_free(&section);
	return rc;
}

const struct provider provider_shared_credentials = {
	"shared credentials file", credentials_file_get
};
const struct provider provider_config_file = {
	"config file", config_file_get
};
