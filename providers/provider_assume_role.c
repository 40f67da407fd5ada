/*
 * A profile with role_arn (and no web_identity_token_file, which is web
 * identity's): the role is assumed with credentials from its source_profile
 * (resolved as botocore resolves one, to any depth, refusing cycles) or its
 * credential_source (Environment, Ec2InstanceMetadata, EcsContainer).
 * Results go through the on-disk cache, keyed as the aws CLI keys them: by
 * the role's own settings, never the region, so a cache hit needs neither
 * the source credentials nor the network, and one MFA code serves every
 * region.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "profile.h"
#include "sts.h"

/* The profiles a role chain has passed through, for cycle detection. */
struct profile_path {
	const char	*names[16];
	size_t		 n;
};

static int assume_role_credentials(struct provider_ctx *, const char *,
	    struct profile_path *, struct credentials *, struct err *);

/* A source_profile's credentials, as botocore resolves one: a profile
 * with static keys, or without role_arn, through its own chain (its
 * web_identity_token_file, then profile_sources), else by assuming its
 * role, which comes back here for its own source: the whole recursion is
 * in this file. 0 with *found set when c is filled, clear when the
 * profile has none; -1 on error. */
static int
profile_credentials(struct provider_ctx *ctx, const char *profile,
    struct profile_path *path, struct credentials *c, int *found,
    struct err *e)
{
	*found = 0;
	if (!awsconfig_has(ctx->cfg, profile, "aws_access_key_id") &&
	    !awsconfig_has(ctx->cfg, profile, "aws_secret_access_key") &&
	    profile_assumes_role(ctx, profile)) {
		if (assume_role_credentials(ctx, profile, path, c, e) == -1)
			return -1;
		*found = 1;
		return 0;
	}
	if (web_identity_credentials(ctx, profile, 0, c, found, e) == -1)
		return -1;
	if (*found)
		return 0;
	return profile_sources(ctx, profile, c, found, e);
}

struct assume {
	const char		*profile;
	struct profile_path	*path;
	struct sts_request	 rq;
	const char		*source_profile;
	const char		*credential_source;
	struct credentials	 src;
	char			 code[64];
	char			 session[64];
};

/* credential_source's values, and the providers they name (botocore's
 * CanonicalNameCredentialSourcer). */
static const struct {
	const char		*name;
	const struct provider	*p;
} sources[] = {
	{ "Environment", &provider_env_source },
	{ "Ec2InstanceMetadata", &provider_imds },
	{ "EcsContainer", &provider_container },
};

static const struct provider *
source_provider(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if (strcmp(name, sources[i].name) == 0)
			return sources[i].p;
	return NULL;
}

/* botocore's _has_static_credentials: either key, even empty. */
static int
has_static_keys(struct provider_ctx *ctx, const char *profile)
{
	return awsconfig_has(ctx->cfg, profile, "aws_access_key_id") ||
	    awsconfig_has(ctx->cfg, profile, "aws_secret_access_key");
}

/* What botocore's _get_role_config checks before anything is fetched, so
 * that a warm cache does not hide a broken configuration. */
static int
check_source(struct provider_ctx *ctx, const struct assume *a,
    struct err *e)
{
	const struct profile_path *path = a->path;
	struct buf chain = BUF_INIT;
	size_t i;

	if (a->source_profile != NULL && a->credential_source != NULL)
		return err_set(e, ERR_CONFIG, "profile %s: source_profile and "
		    "credential_source are mutually exclusive", a->profile);
	if (a->source_profile == NULL && a->credential_source == NULL)
		return err_set(e, ERR_CONFIG, "profile %s: role_arn needs "
		    "source_profile, credential_source or "
		    "web_identity_token_file", a->profile);
	if (a->credential_source != NULL) {
		if (source_provider(a->credential_source) != NULL)
			return 0;
		return err_set(e, ERR_CONFIG, "profile %s: unknown "
		    "credential_source '%s' (expected Environment, "
		    "Ec2InstanceMetadata or EcsContainer)", a->profile,
		    a->credential_source);
	}
	if (!awsconfig_profile_exists(ctx->cfg, a->source_profile))
		return err_set(e, ERR_CONFIG, "profile %s: source_profile "
		    "'%s' does not exist", a->profile, a->source_profile);
	/* A profile may name itself as its source when it has keys. */
	if (strcmp(a->source_profile, a->profile) == 0) {
		if (!has_static_keys(ctx, a->profile))
			return err_set(e, ERR_CONFIG, "profile %s: "
			    "source_profile is itself but it has no static "
			    "keys", a->profile);
		return 0;
	}
	for (i = 0; i < path->n; i++)
		if (strcmp(path->names[i], a->source_profile) == 0)
			break;
	if (i == path->n) {
		if (path->n + 1 < sizeof(path->names) / sizeof(path->names[0]))
			return 0;
		return err_set(e, ERR_CONFIG, "profile %s: role chain deeper "
		    "than %zu", a->profile, path->n);
	}
	for (i = 0; i < path->n; i++)
		buf_printf(&chain, "%s -> ", path->names[i]);
	buf_printf(&chain, "%s -> %s", a->profile, a->source_profile);
	err_set(e, ERR_CONFIG, "source_profile cycle: %s", buf_str(&chain));
	buf_free(&chain);
	return -1;
}

static int
source_credentials(struct provider_ctx *ctx, struct assume *a,
    struct credentials *src, struct err *e)
{
	const char *cs = a->credential_source;
	int rc, found;

	/* Through the provider interface, as aws-c-auth hands a sourcer its
	 * creds_provider: check_source made sure there is one. */
	if (cs != NULL) {
		rc = source_provider(cs)->get(ctx, src, &found, e);
		if (rc == 0 && !found)
			return err_set(e, ERR_CREDENTIALS, "profile %s: "
			    "credential_source %s has no credentials",
			    a->profile, cs);
		return rc;
	}
	a->path->names[a->path->n++] = a->profile;
	rc = profile_credentials(ctx, a->source_profile, a->path, src, &found,
	    e);
	a->path->n--;
	if (rc == 0 && !found)
		return err_set(e, ERR_CREDENTIALS, "profile %s: source_profile"
		    " %s has no credentials", a->profile, a->source_profile);
	return rc;
}

/* An MFA code from --mfa-code, else from the caller's prompt (helper/'s
 * terminal), else refused. */
static int
mfa_code(struct provider_ctx *ctx, const char *serial, char *code,
    size_t len, struct err *e)
{
	if (ctx->mfa_code != NULL) {
		snprintf(code, len, "%s", ctx->mfa_code);
		return 0;
	}
	if (ctx->mfa_prompt == NULL)
		return err_set(e, ERR_CREDENTIALS, "role needs an MFA code "
		    "for %s: give --mfa-code", serial);
	return ctx->mfa_prompt(serial, code, len, e);
}

/* Outside the cache's lock: the source credentials (which may have locks
 * and prompts of their own) and the MFA code. */
static int
prepare_assumed(struct provider_ctx *ctx, void *arg, struct err *e)
{
	struct assume *a = arg;

	if (source_credentials(ctx, a, &a->src, e) == -1)
		return -1;
	if (a->src.has_expiration && a->src.expiration <= time(NULL))
		return err_set(e, ERR_CREDENTIALS, "profile %s: the source "
		    "credentials have expired", a->profile);
	if (a->rq.mfa_serial != NULL) {
		if (mfa_code(ctx, a->rq.mfa_serial, a->code, sizeof(a->code),
		    e) == -1)
			return -1;
		a->rq.mfa_code = a->code;
	}
	return 0;
}

static int
fetch_assumed(struct provider_ctx *ctx, void *arg, struct credentials *c,
    struct err *e)
{
	struct assume *a = arg;
	int rc;

	provider_explain(ctx, "assume role", "profile %s: AssumeRole %s with "
	    "credentials from %s", a->profile, a->rq.role_arn, a->src.source);
	rc = sts_assume_role(ctx, &a->rq, &a->src, c, e);
	if (rc == 0)
		snprintf(c->source, sizeof(c->source), "AssumeRole %s "
		    "(profile %s)", a->rq.role_arn, a->profile);
	return rc;
}

/* botocore ignores a duration_seconds that int() cannot read; iamdb
 * refuses it, and one STS would refuse. */
static int
duration(struct provider_ctx *ctx, const char *profile, long *out,
    struct err *e)
{
	const char *v;
	char *end;
	long d;

	*out = 0;
	if (profile_setting(ctx, profile, "duration_seconds", INI_NONEMPTY,
	    &v, e) == -1)
		return -1;
	if (v == NULL)
		return 0;
	d = strtol(v, &end, 10);
	if (*end != '\0' || d < 900 || d > 43200)
		return err_set(e, ERR_CONFIG, "profile %s: duration_seconds "
		    "'%s' is not 900 to 43200", profile, v);
	*out = d;
	return 0;
}

static int
assume_role_credentials(struct provider_ctx *ctx, const char *profile,
    struct profile_path *path, struct credentials *c, struct err *e)
{
	struct cached_fetch f = { 0 };
	struct assume a;
	struct buf desc = BUF_INIT;
	const char *name;
	char *override = NULL;
	int rc = -1;

	memset(&a, 0, sizeof(a));
	a.profile = profile;
	a.path = path;
	if (profile_setting(ctx, profile, "role_arn", INI_NONEMPTY,
	    &a.rq.role_arn, e) == -1 ||
	    profile_setting(ctx, profile, "source_profile", INI_NONEMPTY,
	    &a.source_profile, e) == -1 ||
	    profile_setting(ctx, profile, "credential_source", INI_NONEMPTY,
	    &a.credential_source, e) == -1 ||
	    profile_setting(ctx, profile, "role_session_name", 0, &name,
	    e) == -1 ||
	    profile_setting(ctx, profile, "external_id", INI_NONEMPTY,
	    &a.rq.external_id, e) == -1 ||
	    profile_setting(ctx, profile, "mfa_serial", INI_NONEMPTY,
	    &a.rq.mfa_serial, e) == -1 ||
	    duration(ctx, profile, &a.rq.duration, e) == -1 ||
	    check_source(ctx, &a, e) == -1 ||
	    endpoint_override(ctx, "sts", &override, e) == -1)
		return -1;
	/* As botocore: an empty role_session_name is none. */
	if (name != NULL && *name == '\0')
		name = NULL;
	if (name == NULL)
		snprintf(a.session, sizeof(a.session), "iamdb-%lld",
		    (long long)time(NULL));
	a.rq.session_name = name ? name : a.session;

	buf_printf(&desc, "assume-role\nprofile=%s\nrole_arn=%s\n"
	    "session=%s\nexternal_id=%s\nmfa_serial=%s\nduration=%ld\n"
	    "source_profile=%s\ncredential_source=%s\nendpoint=%s\n"
	    "config=%s\ncredentials=%s\n", profile, a.rq.role_arn,
	    name ? name : "", a.rq.external_id ? a.rq.external_id : "",
	    a.rq.mfa_serial ? a.rq.mfa_serial : "", a.rq.duration,
	    a.source_profile ? a.source_profile : "",
	    a.credential_source ? a.credential_source : "",
	    override ? override : "", ctx->cfg->config_path,
	    ctx->cfg->credentials_path);
	f.desc = buf_str(&desc);
	f.label = "assume role";
	f.prepare = prepare_assumed;
	f.fetch = fetch_assumed;
	f.arg = &a;
	f.personal = a.rq.mfa_serial != NULL;
	rc = cached_credentials(ctx, &f, c, e);
	buf_free(&desc);
	free(override);
	credentials_free(&a.src);
	wipe(a.code, sizeof(a.code));
	return rc;
}

static int
assume_role_get(struct provider_ctx *ctx, struct credentials *c,
    int *found, struct err *e)
{
	struct awsconfig *cfg = ctx->cfg;
	struct profile_path path = { { NULL }, 0 };

	*found = 0;
	if (awsconfig_check_profile(cfg, e) == -1)
		return -1;
	if (!profile_assumes_role(ctx, cfg->profile)) {
		provider_explain(ctx, "assume role", "profile %s has no "
		    "role_arn%s", cfg->profile, awsconfig_has(cfg,
		    cfg->profile, "role_arn") ? " without "
		    "web_identity_token_file" : "");
		return 0;
	}
	if (assume_role_credentials(ctx, cfg->profile, &path, c, e) == -1)
		return -1;
	*found = 1;
	return 0;
}

const struct provider provider_assume_role = {
	"assume role", assume_role_get
};
