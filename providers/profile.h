/* The pieces the chain and a profile's settings are made of. Each returns
 * 0 with c filled or -1 with e set, unless said otherwise. */
#ifndef IAMDB_PROFILE_H
#define IAMDB_PROFILE_H

#include "providers.h"

/* The sources a profile's settings name after role_arn and web identity,
 * in botocore's order: SSO, static keys in the credentials file,
 * credential_process, static keys in the config file. 0 (with *found)
 * or -1. */
int	profile_sources(struct provider_ctx *, const char *profile,
	    struct credentials *, int *found, struct err *);

/* Whether a profile is one botocore assumes a role for: role_arn without
 * web_identity_token_file. */
int	profile_assumes_role(struct provider_ctx *, const char *profile);

/* Web identity from a profile's web_identity_token_file, role_arn and
 * role_session_name, each overridden by AWS_WEB_IDENTITY_TOKEN_FILE,
 * AWS_ROLE_ARN and AWS_ROLE_SESSION_NAME when env is set. 0, *found clear
 * when no token file is named; or -1. */
int	web_identity_credentials(struct provider_ctx *, const char *profile,
	    int env, struct credentials *, int *found, struct err *);
/* 0, *found clear when the profile names no SSO role or account; or -1. */
int	sso_credentials(struct provider_ctx *, const char *profile,
	    struct credentials *, int *found, struct err *);
int	process_credentials(struct provider_ctx *, const char *command,
	    struct credentials *, struct err *);

/* A fetch through the on-disk cache. prepare (may be NULL) runs on a
 * miss before the entry's lock is taken, for what must not hold it (the
 * source credentials, asking for an MFA code); fetch runs under the lock,
 * once no other process has filled the entry meanwhile. When the process
 * that held the lock failed, its waiters give up with its reason, unless
 * the fetch is personal (it uses an MFA code only this process has). */
typedef int (*fetch_fn)(struct provider_ctx *, void *,
	    struct credentials *, struct err *);
typedef int (*prepare_fn)(struct provider_ctx *, void *, struct err *);
struct cached_fetch {
	const char	*desc;		/* every input that selects them */
	const char	*label;		/* for --explain */
	prepare_fn	 prepare;
	fetch_fn	 fetch;
	void		*arg;
	int		 personal;
};
int	cached_credentials(struct provider_ctx *, const struct cached_fetch *,
	    struct credentials *, struct err *);

/* The environment as credential_source names it: read even when --profile
 * was given (provider_env skips it then). */
extern const struct provider provider_env_source;

/* The region from instance metadata (placement/region), or NULL. */
char	*imds_region(struct provider_ctx *);
/* The instance metadata settings are well-formed (endpoint, its mode,
 * timeout, attempts): botocore reads them before any source, so a bad
 * one fails the whole chain there. */
int	imds_check_settings(struct provider_ctx *, struct err *);

/* A profile's setting (awsconfig_setting): 0 with *value, NULL when
 * absent; an empty value is present, as in botocore. -1 when it cannot
 * be used (a control character, a nested block, or empty with
 * INI_NONEMPTY). */
int	profile_setting(struct provider_ctx *, const char *profile,
	    const char *key, int flags, const char **value, struct err *);

/* An environment variable for use in a request: 0 with *value (NULL when
 * unset or empty), -1 when it holds a control character (e names it). */
int	env_setting(const char *name, const char **value, struct err *);

/* Whether s holds a C0 control character or DEL: nothing a key, secret,
 * token or header value may hold. */
int	control_char(const char *s);

/* Refuses credentials that hold control characters before they reach a
 * header or a signature; what names their source in the message. */
int	credentials_check(const struct credentials *, const char *what,
	    struct err *);

/* A file's contents with surrounding white space trimmed, at most max
 * bytes; errors name the file and what it was for. */
char	*read_secret_file(const char *path, size_t max, const char *what,
	    struct err *);

#endif
