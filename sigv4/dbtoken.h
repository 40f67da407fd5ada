/* Authentication tokens: presigned GET requests made as the services'
 * own generators make them (botocore's for RDS and DSQL), byte for byte.
 * What differs between kinds of token is in service.h. */
#ifndef IAMDB_DBTOKEN_H
#define IAMDB_DBTOKEN_H

#include <time.h>

#include "../common/err.h"
#include "service.h"
#include "sigv4.h"

struct dbtoken_target {
	const struct service *service;
	const char	*host;		/* as the client connects to it */
	unsigned	 port;		/* 1..65535; unused for HOST_ONLY */
	const char	*user;
	const char	*region;
	long		 expires;	/* seconds */
	time_t		 when;		/* signing time */
	int		 serverless;	/* ElastiCache: a serverless cache */
	const char	*user_agent;	/* TOKEN_BASE64_UA; NULL: iamdb's */
};

/* Checks the target, then appends the token to out. signer may be NULL.
 * For HOST_NAME kinds host is the name (see service_name_from), for EKS
 * the cluster; MSK takes neither host nor user. */
int	dbtoken_make(struct sigv4_signer *, const struct dbtoken_target *,
	    const struct sigv4_credentials *, struct buf *out, struct err *);

/* Region names become part of the credential scope, so they must be
 * plain: lower-case letters, digits and '-', at most 64. */
int	dbtoken_region_valid(const char *);

/* What a token says, read without any secret. */
struct dbtoken_info {
	char		*host;		/* as in the token */
	unsigned	 port;		/* 0 when the token has none (DSQL) */
	char		*action;	/* connect, DbConnect, DbConnectAdmin */
	char		*user;		/* DBUser, decoded; NULL for DSQL */
	char		*access_key_id;
	char		*region;
	char		*service;	/* rds-db or dsql */
	char		*signed_headers;
	char		*signature;	/* hex */
	time_t		 signed_at;
	long		 expires;
	int		 session_token;	/* X-Amz-Security-Token present */
	struct sigv4_param *params;	/* all but the signature, decoded */
	size_t		 nparams;
};

/* Takes a token apart; malformed tokens get a message saying what is
 * wrong, never a crash. */
int	dbtoken_parse(const char *token, struct dbtoken_info *, struct err *);
void	dbtoken_info_free(struct dbtoken_info *);

/* Recomputes the token's signature with secret and compares it in
 * constant time: 1 when it matches, 0 when not. */
int	dbtoken_signature_ok(const struct dbtoken_info *, const char *secret);

/* What a database checks a token against. */
struct dbtoken_policy {
	const struct service	*service;
	const char		*host;		/* the endpoint clients use */
	unsigned		 port;
	const char		*user;		/* who logs in */
	const char		*region;	/* NULL: not checked */
	time_t			 now;
	long			 skew;		/* allowed clock difference */
};

/* The secret (and session token, NULL when none) of an access key id;
 * 0 when the key is unknown. */
typedef int (*dbtoken_key_fn)(void *, const char *akid, const char **secret,
	    const char **session_token);

/* Checks a token as the database service would: 0 when it would accept
 * it, -1 with the reason in why (ERR_CREDENTIALS) when not. */
int	dbtoken_verify(const struct dbtoken_info *,
	    const struct dbtoken_policy *, dbtoken_key_fn, void *,
	    struct err *why);

/* The usual causes of "PAM authentication failed" that can be seen
 * without a key, one line each in warnings: expired, signed in the
 * future, longer than the service takes, a region that is not
 * host_region (when not NULL), an endpoint that is not host:port (when
 * host is not NULL). */
void	dbtoken_lint(const struct dbtoken_info *, time_t now,
	    const char *host_region, const char *host, unsigned port,
	    struct buf *warnings);

#endif
