/* The pieces the chain and a profile's settings are made of. Each returns
 * 0 with c filled or -1 with e set, unless said otherwise. */
#ifndef IAMDB_PROFILE_H
#define IAMDB_PROFILE_H

#include "providers.h"

/* The profiles a role chain has passed through, for cycle detection. */
struct profile_path {
	const char	*names[16];
	size_t		 n;
};

/* A profile's credentials by its settings: role_arn (with source_profile,
 * credential_source or web_identity_token_file), SSO, static keys,
 * credential_process. Returns 1 with c filled, 0 when the profile has
 * none of these (explained), -1 on error. */
int	profile_credentials(struct provider_ctx *, const char *profile,
	    struct profile_path *, struct credentials *, struct err *);

int	assume_role_credentials(struct provider_ctx *, const char *profile,
	    struct profile_path *, struct credentials *, struct err *);
int	web_identity_credentials(struct provider_ctx *, const char *role_arn,
	    const char *session_name, const char *token_file,
	    struct credentials *, struct err *);
int	sso_credentials(struct provider_ctx *, const char *profile,
	    struct credentials *, struct err *);
int	process_credentials(struct provider_ctx *, const char *command,
	    struct credentials *, struct err *);

/* Fetches through the on-disk cache: desc names every input that selects
 * the credentials; fetch runs only on a miss, under the entry's lock. */
typedef int (*fetch_fn)(struct provider_ctx *, void *,
	    struct credentials *, struct err *);
int	cached_credentials(struct provider_ctx *, const char *desc,
	    const char *label, fetch_fn, void *, struct credentials *,
	    struct err *);

/* The non-profile providers' fetches, for credential_source. Return 1, 0
 * (nothing there, explained) or -1. */
int	env_credentials(struct provider_ctx *, struct credentials *,
	    struct err *);
int	container_credentials(struct provider_ctx *, struct credentials *,
	    struct err *);
int	imds_credentials(struct provider_ctx *, struct credentials *,
	    struct err *);

/* The region from instance metadata (placement/region), or NULL. */
char	*imds_region(struct provider_ctx *);

/* A profile's setting, NULL when absent or empty. */
const char *profile_setting(struct provider_ctx *, const char *profile,
	    const char *key);

/* A file's contents with surrounding white space trimmed, at most max
 * bytes; errors name the file and what it was for. */
char	*read_secret_file(const char *path, size_t max, const char *what,
	    struct err *);

#endif
