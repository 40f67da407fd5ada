/* Where credentials and the region come from. Each provider lives in its
 * own file; the chain tries them in the AWS SDKs' order and records, for
 * --explain, what each one found or why it was skipped. */
#ifndef IAMDB_PROVIDERS_H
#define IAMDB_PROVIDERS_H

#include <time.h>

#include "../common/buf.h"
#include "../common/err.h"
#include "ini.h"

/* Names in the config file's section headers ([profile NAME],
 * [sso-session NAME], [services NAME]) and the section each stands for. */
struct awsconfig_map {
	char		**name;
	const char	**section;
	size_t		  n;
};

/* The shared config and credentials files, read on first use. */
struct awsconfig {
	const char	*profile;	/* selected profile name */
	int		 explicit;	/* chosen with --profile */
	int		 named;		/* chosen at all, not the fallback */
	char		*config_path;
	char		*credentials_path;
	int		 loaded;
	struct ini	 config;
	struct ini	 credentials;
	struct awsconfig_map profiles, sso_sessions, services;
};

/* Selects the profile: --profile, else AWS_PROFILE, AWS_DEFAULT_PROFILE,
 * "default". The paths are AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE
 * or ~/.aws/config and ~/.aws/credentials, with $VAR, ${VAR} and ~
 * expanded as botocore expands them. Files are not read yet. */
void	awsconfig_init(struct awsconfig *, const char *cli_profile);
int	awsconfig_load(struct awsconfig *, struct err *);
void	awsconfig_free(struct awsconfig *);

/* A setting of the selected profile: the credentials file's [name] first,
 * then the config file's section for the profile, as botocore merges them:
 * [profile NAME] (the header split into words as a shell would, so
 * [profile "a b"] is "a b") or [default], the later of two for one name.
 * *where (may be NULL) names the file it came from. */
const char *awsconfig_get(struct awsconfig *, const char *key,
	    const char **where);
/* The same for any profile, e.g. a role's source_profile. */
const char *awsconfig_profile_get(struct awsconfig *, const char *profile,
	    const char *key, const char **where);
/* The same for use in a request, a header or a file name: -1 when the
 * value is a nested block or holds a control character (ini_setting,
 * with its flags). */
int	awsconfig_setting(struct awsconfig *, const char *profile,
	    const char *key, int flags, const char **value, struct err *);
/* Whether a profile has the key at all: botocore tells sources apart by
 * which keys are present, even empty. */
int	awsconfig_has(struct awsconfig *, const char *profile,
	    const char *key);
int	awsconfig_profile_exists(struct awsconfig *, const char *profile);
/* Whether either file defines the selected profile. */
int	awsconfig_has_profile(struct awsconfig *);
/* The config file's section for a profile, an [sso-session NAME] or a
 * [services NAME]; NULL when there is none. */
const char *awsconfig_config_section(struct awsconfig *, const char *profile);
const char *awsconfig_sso_section(struct awsconfig *, const char *session);
const char *awsconfig_services_section(struct awsconfig *, const char *name);
/* Reads the files, as the aws CLI reads them before any command, and
 * fails when a profile was named (even "default") that neither defines. */
int	awsconfig_check_profile(struct awsconfig *, struct err *);

struct credentials {
	char	*access_key_id;
	char	*secret_access_key;
	char	*session_token;		/* NULL when none */
	int	 has_expiration;	/* 0: they do not expire */
	time_t	 expiration;		/* when they do, if has_expiration */
	char	 source[256];		/* where they came from, no secret */
};

void	credentials_free(struct credentials *);

struct provider_ctx {
	struct awsconfig	*cfg;
	struct buf		 explain;	/* one line per provider tried */
	time_t			 now;
	const char		*region;	/* for STS; NULL: global */
	const char		*mfa_code;	/* --mfa-code, else prompt */
	/* Asks for the MFA code of device serial (NUL-terminated in
	 * code); NULL where nobody can be asked. */
	int			(*mfa_prompt)(const char *serial, char *code,
				    size_t len, struct err *);
	int			 no_cache;	/* --no-cache */
};

/*
 * A provider returns 0 with *found set when it filled c, and clear when it
 * has nothing (explaining why in ctx->explain); or -1 when it found
 * credentials it cannot use (half-set, expired, malformed): the chain
 * stops there, as the SDKs do.
 */
struct provider {
	const char	*name;
	int		(*get)(struct provider_ctx *, struct credentials *,
			    int *found, struct err *);
};

extern const struct provider provider_env;
extern const struct provider provider_assume_role;
extern const struct provider provider_profile;
extern const struct provider provider_web_identity;
extern const struct provider provider_container;
extern const struct provider provider_imds;

/* Tries the chain in order. */
int	credentials_resolve(struct provider_ctx *, struct credentials *,
	    struct err *);

/* Records what a provider did, for --explain. */
void	provider_explain(struct provider_ctx *, const char *name,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The region named by an AWS endpoint host name, or NULL:
 * *.REGION.rds.amazonaws.com(.cn), *.REGION.redshift.amazonaws.com,
 * *.REGION.redshift-serverless.amazonaws.com, *.dsql.REGION.on.aws and
 * the other partitions' domains. Returns a heap string. */
char	*region_from_host(const char *host);

struct region {
	char		*name;
	char		*source;	/* "--region", "host name", a file */
	char		*warning;	/* set when --region and host differ */
};

/* --region, the host name, AWS_REGION, AWS_DEFAULT_REGION, the profile's
 * region, instance metadata (only if required). With none: an error if
 * required, else 0 with r->name NULL. */
int	region_resolve(struct region *, const char *cli_region,
	    const char *host, struct provider_ctx *, int required,
	    struct err *);
void	region_free(struct region *);

#endif
