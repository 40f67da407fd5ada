/*
 * IAM Identity Center (SSO): the access token that `aws sso login` cached
 * in ~/.aws/sso/cache/<sha1 of the session name or start URL>.json is
 * exchanged for role credentials at the portal's GetRoleCredentials.
 * iamdb never logs in itself; it says to run aws sso login.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "../common/timeutil.h"
#include "../sigv4/sigv4.h"
#include "credjson.h"
#include "../sigv4/dbtoken.h"
#include "http.h"
#include "profile.h"
#include "sts.h"

struct sso {
	const char	*profile;
	const char	*session;	/* sso_session, or NULL (legacy) */
	const char	*section;	/* its [sso-session NAME] */
	const char	*start_url;
	const char	*region;
	const char	*account;
	const char	*role;
};

static char *
token_cache_path(const char *key)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[20];
	const char *home = getenv("HOME");
	struct buf b = BUF_INIT;
	unsigned int i, n = 0;

	EVP_Digest(key, strlen(key), md, &n, EVP_sha1(), NULL);
	buf_printf(&b, "%s/.aws/sso/cache/", home ? home : "");
	for (i = 0; i < n; i++) {
		buf_addc(&b, digits[md[i] >> 4]);
		buf_addc(&b, digits[md[i] & 15]);
	}
	buf_adds(&b, ".json");
	return b.data;
}

/* The cached access token, if there is one that has not expired. */
static char *
access_token(struct provider_ctx *ctx, const struct sso *s, struct err *e)
{
	char *path = token_cache_path(s->session ? s->session : s->start_url);
	char *text, *token = NULL;
	struct err ignored;
	const char *v;
	json_t *doc = NULL;
	time_t expires;

	(void)ctx;
	if ((text = read_secret_file(path, 256 * 1024, "SSO token cache",
	    &ignored)) != NULL &&
	    (doc = json_parse(text, strlen(text), path, &ignored)) != NULL &&
	    (v = json_string_value(json_object_get(doc, "accessToken"))) &&
	    *v != '\0' &&
	    time_parse_iso8601(json_string_value(json_object_get(doc,
	    "expiresAt")), &expires) == 0 && expires > time(NULL))
		token = xstrdup(v);
	else
		err_set(e, ERR_CREDENTIALS, "the SSO session for profile %s "
		    "%s: run 'aws sso login --profile %s'", s->profile, text ?
		    "has expired or its cached token is unreadable" :
		    "has no cached token", s->profile);
	json_decref(doc);
	wipe_str(text);
	free(path);
	return token;
}

/* The portal's reason for an error answer, as one line, or "". */
static void
portal_message(const struct buf *body, char *out, size_t len)
{
	json_t *doc = json_loadb(buf_str(body), body->len, 0, NULL);
	const char *m = json_string_value(json_object_get(doc, "message"));
	size_t i;

	snprintf(out, len, "%s", m != NULL ? m : "");
	json_decref(doc);
	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '?';
}

static int
fetch_sso(struct provider_ctx *ctx, void *arg, struct credentials *c,
    struct err *e)
{
	struct sso *s = arg;
	struct buf url = BUF_INIT, hdr = BUF_INIT;
	struct http_request rq;
	struct http_response rs;
	const char *headers[3];
	char *token, *base;
	int rc = -1;

	if (endpoint_override(ctx, "sso", &base, e) == -1 ||
	    (token = access_token(ctx, s, e)) == NULL) {
		free(base);
		return -1;
	}
	if (base == NULL)
		base = endpoint_for_region("portal.sso", s->region);
	buf_adds(&url, base);
	while (url.len > 0 && url.data[url.len - 1] == '/')
		url.data[--url.len] = '\0';
	buf_adds(&url, "/federation/credentials?account_id=");
	sigv4_uri_encode(&url, s->account, strlen(s->account), 0);
	buf_adds(&url, "&role_name=");
	sigv4_uri_encode(&url, s->role, strlen(s->role), 0);
	buf_printf(&hdr, "x-amz-sso_bearer_token: %s", token);
	headers[0] = buf_str(&hdr);
	headers[1] = "Accept: application/json";
	headers[2] = NULL;
	rq = (struct http_request){ .method = "GET", .url = buf_str(&url),
	    .headers = headers, .timeout_ms = http_timeout_ms(),
	    .attempts = 3, .what = "SSO" };
	if (http_do(&rq, &rs, e) == -1) {
		http_response_free(&rs);
		goto out;
	}
	/* 401 is a token the portal no longer knows; 403 is a role the
	 * user may not take, which logging in again does not change. */
	if (rs.status == 401) {
		err_set(e, ERR_CREDENTIALS, "SSO portal refused the cached "
		    "token for profile %s (HTTP %ld): run 'aws sso login "
		    "--profile %s'", s->profile, rs.status, s->profile);
	} else if (rs.status != 200) {
		char why[512];

		portal_message(&rs.body, why, sizeof(why));
		err_set(e, ERR_NETWORK, "SSO GetRoleCredentials for role %s in "
		    "account %s at %s: HTTP %ld%s%s", s->role, s->account, base,
		    rs.status, *why ? ": " : "", why);
	} else if (credentials_from_answer(buf_str(&rs.body), rs.body.len,
	    "roleCredentials", &cred_fields_sso, c,
	    "SSO GetRoleCredentials answer", e) == 0) {
		snprintf(c->source, sizeof(c->source), "SSO role %s in "
		    "account %s (profile %s)", s->role, s->account, s->profile);
		rc = 0;
	} else
		e->kind = ERR_NETWORK;
	http_response_free(&rs);
out:
	wipe_str(token);
	free(base);
	buf_free(&url);
	buf_free(&hdr);
	return rc;
}

/* A setting of the SSO configuration: the profile's, else its
 * sso-session's. */
static int
sso_setting(struct provider_ctx *ctx, const struct sso *s, const char *key,
    const char **v, struct err *e)
{
	if (profile_setting(ctx, s->profile, key, INI_NONEMPTY, v, e) == -1)
		return -1;
	if (*v == NULL && s->section != NULL)
		return ini_setting(&ctx->cfg->config, s->section, key,
		    INI_NONEMPTY, v, e);
	return 0;
}

/* botocore lays every key of the sso-session (its [DEFAULT]'s included)
 * over the profile's, and refuses a key the two set differently. */
static int
check_session(struct provider_ctx *ctx, const struct sso *s, struct err *e)
{
	const struct ini *ini = &ctx->cfg->config;
	const struct ini_entry *en;
	const char *mine;
	size_t i;

	for (i = 0; i < ini->n; i++) {
		en = &ini->e[i];
		if (*en->key == '\0' || (strcmp(en->section, s->section) != 0 &&
		    (strcmp(en->section, "DEFAULT") != 0 ||
		    ini_find(ini, s->section, en->key) != en)))
			continue;
		mine = awsconfig_profile_get(ctx->cfg, s->profile, en->key,
		    NULL);
		if (mine != NULL && strcmp(mine, en->value) != 0)
			return err_set(e, ERR_CONFIG, "profile %s: %s differs "
			    "between the profile and [sso-session %s]",
			    s->profile, en->key, s->session);
	}
	return 0;
}

int
sso_credentials(struct provider_ctx *ctx, const char *profile,
    struct credentials *c, int *found, struct err *e)
{
	static const char *const need[] = {
		"sso_start_url", "sso_region", "sso_account_id", "sso_role_name"
	};
	const char **have[4];
	struct cached_fetch f = { 0 };
	struct buf desc = BUF_INIT, missing = BUF_INIT;
	struct sso s;
	size_t i;
	int rc;

	/* A role name or an account makes the profile an SSO one. */
	*found = 0;
	if (!awsconfig_has(ctx->cfg, profile, "sso_role_name") &&
	    !awsconfig_has(ctx->cfg, profile, "sso_account_id"))
		return 0;
	memset(&s, 0, sizeof(s));
	s.profile = profile;
	if (profile_setting(ctx, profile, "sso_session", INI_NONEMPTY,
	    &s.session, e) == -1)
		return -1;
	if (s.session != NULL) {
		if ((s.section = awsconfig_sso_section(ctx->cfg, s.session)) ==
		    NULL)
			return err_set(e, ERR_CONFIG, "profile %s: no "
			    "[sso-session %s] in %s", profile, s.session,
			    ctx->cfg->config_path);
		if (check_session(ctx, &s, e) == -1)
			return -1;
	}
	have[0] = &s.start_url;
	have[1] = &s.region;
	have[2] = &s.account;
	have[3] = &s.role;
	for (i = 0; i < 4; i++) {
		if (sso_setting(ctx, &s, need[i], have[i], e) == -1) {
			buf_free(&missing);
			return -1;
		}
		if (*have[i] == NULL)
			buf_printf(&missing, "%s%s", missing.len ? ", " : "",
			    need[i]);
	}
	if (missing.len > 0) {
		err_set(e, ERR_CONFIG, "profile %s is configured for SSO but "
		    "lacks %s (in the profile%s)", profile, buf_str(&missing),
		    s.session ? " or its sso-session" : "");
		buf_free(&missing);
		return -1;
	}
	if (!dbtoken_region_valid(s.region))
		return err_set(e, ERR_CONFIG, "profile %s: invalid sso_region "
		    "'%s'", profile, s.region);
	buf_printf(&desc, "sso\nsession=%s\nstart_url=%s\nregion=%s\n"
	    "account=%s\nrole=%s\n", s.session ? s.session : "", s.start_url,
	    s.region, s.account, s.role);
	f.desc = buf_str(&desc);
	f.label = "sso";
	f.fetch = fetch_sso;
	f.arg = &s;
	rc = cached_credentials(ctx, &f, c, e);
	buf_free(&desc);
	*found = rc == 0;
	return rc;
}
