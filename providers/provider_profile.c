/*
 * The selected profile's own sources, in botocore's order (the role_arn
 * and web identity providers come before it in the chain): SSO, static
 * keys in the credentials file, credential_process, static keys in the
 * config file. Each file's keys are read from that file alone, as
 * botocore's SharedCredentialProvider and ConfigProvider read them.
 */
#include <stdio.h>
#include <string.h>

#include "profile.h"

int
profile_assumes_role(struct provider_ctx *ctx, const char *profile)
{
	return awsconfig_has(ctx->cfg, profile, "role_arn") &&
	    !awsconfig_has(ctx->cfg, profile, "web_identity_token_file");
}

/* aws_access_key_id makes the section a source; the secret must be there
 * too; the session token is the first of aws_security_token and
 * aws_session_token that is there, even empty. */
static int
static_keys(const struct ini *ini, const char *section,
    struct credentials *c, int *found, struct err *e)
{
	const char *akid, *secret, *token, *token_key = "aws_session_token";

	*found = 0;
	if (section == NULL || ini_find(ini, section, "aws_access_key_id") ==
	    NULL)
		return 0;
	if (ini_find(ini, section, "aws_secret_access_key") == NULL)
		return err_set(e, ERR_CREDENTIALS, "%s: [%s] has "
		    "aws_access_key_id but no aws_secret_access_key",
		    ini->path, section);
	if (ini_find(ini, section, "aws_security_token") != NULL)
		token_key = "aws_security_token";
	if (ini_setting(ini, section, "aws_access_key_id", INI_NONEMPTY,
	    &akid, e) == -1 ||
	    ini_setting(ini, section, "aws_secret_access_key", INI_NONEMPTY,
	    &secret, e) == -1 ||
	    ini_setting(ini, section, token_key, 0, &token, e) == -1)
		return -1;
	c->access_key_id = xstrdup(akid);
	c->secret_access_key = xstrdup(secret);
	c->session_token = token && *token ? xstrdup(token) : NULL;
	snprintf(c->source, sizeof(c->source), "%s [%s]", ini->path,
	    section);
	*found = 1;
	return 0;
}

int
profile_sources(struct provider_ctx *ctx, const char *profile,
    struct credentials *c, int *found, struct err *e)
{
	struct awsconfig *cfg = ctx->cfg;
	const char *cmd;

	if (sso_credentials(ctx, profile, c, found, e) == -1)
		return -1;
	if (*found)
		return 0;
	if (static_keys(&cfg->credentials, profile, c, found, e) == -1)
		return -1;
	if (*found)
		return 0;
	if (profile_setting(ctx, profile, "credential_process", INI_WORDS |
	    INI_NONEMPTY, &cmd, e) == -1)
		return -1;
	if (cmd != NULL) {
		if (process_credentials(ctx, cmd, c, e) == -1)
			return -1;
		snprintf(c->source, sizeof(c->source), "credential_process "
		    "of profile %s", profile);
		*found = 1;
		return 0;
	}
	return static_keys(&cfg->config, awsconfig_config_section(cfg,
	    profile), c, found, e);
}

static int
profile_get(struct provider_ctx *ctx, struct credentials *c, int *found,
    struct err *e)
{
	struct awsconfig *cfg = ctx->cfg;

	*found = 0;
	if (awsconfig_check_profile(cfg, e) == -1)
		return -1;
	if (!awsconfig_has_profile(cfg)) {
		provider_explain(ctx, "profile", "no [%s] in %s, no "
		    "[profile %s] in %s", cfg->profile, cfg->credentials_path,
		    cfg->profile, cfg->config_path);
		return 0;
	}
	if (profile_sources(ctx, cfg->profile, c, found, e) == -1)
		return -1;
	if (!*found)
		provider_explain(ctx, "profile", "profile %s has no "
		    "credentials settings (sso_*, keys, credential_process)",
		    cfg->profile);
	return 0;
}

const struct provider provider_profile = { "profile", profile_get };
