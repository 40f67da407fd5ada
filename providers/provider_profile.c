/*
 * The selected profile of the shared config and credentials files, in
 * botocore's order: role_arn (assume-role, or web identity with
 * web_identity_token_file), SSO, static keys in the credentials file,
 * credential_process, static keys in the config file.
 */
#include <stdio.h>
#include <string.h>

#include "profile.h"

const char *
profile_setting(struct provider_ctx *ctx, const char *profile,
    const char *key)
{
	const char *v = awsconfig_profile_get(ctx->cfg, profile, key, NULL);

	return v != NULL && *v != '\0' ? v : NULL;
}

static int
static_keys(struct provider_ctx *ctx, const struct ini *ini,
    const char *section, struct credentials *c, struct err *e)
{
	const char *akid, *secret, *token;

	if ((akid = ini_get(ini, section, "aws_access_key_id")) == NULL ||
	    *akid == '\0')
		return 0;
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
	(void)ctx;
	return 1;
}

int
profile_credentials(struct provider_ctx *ctx, const char *profile,
    struct profile_path *path, struct credentials *c, struct err *e)
{
	struct awsconfig *cfg = ctx->cfg;
	const char *cmd, *section;
	int rc;

	if (profile_setting(ctx, profile, "role_arn") != NULL) {
		if ((rc = assume_role_credentials(ctx, profile, path, c, e)) == 0)
			return 1;
		return -1;
	}
	if (profile_setting(ctx, profile, "sso_session") != NULL ||
	    profile_setting(ctx, profile, "sso_start_url") != NULL ||
	    profile_setting(ctx, profile, "sso_account_id") != NULL) {
		if (sso_credentials(ctx, profile, c, e) == 0)
			return 1;
		return -1;
	}
	if ((rc = static_keys(ctx, &cfg->credentials, profile, c, e)) != 0)
		return rc;
	if ((cmd = profile_setting(ctx, profile, "credential_process")) != NULL) {
		if (process_credentials(ctx, cmd, c, e) == -1)
			return -1;
		snprintf(c->source, sizeof(c->source), "credential_process "
		    "of profile %s", profile);
		return 1;
	}
	if ((section = awsconfig_config_section(cfg, profile)) == NULL)
		return 0;
	return static_keys(ctx, &cfg->config, section, c, e);
}

static int
profile_get(struct provider_ctx *ctx, struct credentials *c, struct err *e)
{
	struct awsconfig *cfg = ctx->cfg;
	struct profile_path path = { { NULL }, 0 };
	int rc;

	if (awsconfig_load(cfg, e) == -1 ||
	    awsconfig_check_profile(cfg, e) == -1)
		return -1;
	if (!awsconfig_has_profile(cfg)) {
		provider_explain(ctx, "profile", "no [%s] in %s, no "
		    "[profile %s] in %s", cfg->profile, cfg->credentials_path,
		    cfg->profile, cfg->config_path);
		return 0;
	}
	rc = profile_credentials(ctx, cfg->profile, &path, c, e);
	if (rc == 0)
		provider_explain(ctx, "profile", "profile %s has no "
		    "credentials settings (keys, role_arn, sso_*, "
		    "credential_process)", cfg->profile);
	return rc;
}

const struct provider provider_profile = { "profile", profile_get };
