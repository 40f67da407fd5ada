/* Database authentication tokens: RDS / Aurora (service rds-db) and Aurora
 * DSQL (service dsql), byte-identical to botocore's generators. */
#ifndef IAMDB_DBTOKEN_H
#define IAMDB_DBTOKEN_H

#include <time.h>

#include "../common/err.h"
#include "sigv4.h"

enum db_engine {
	DB_POSTGRES,
	DB_MYSQL,
	DB_DSQL
};

#define DBTOKEN_RDS_MAX_EXPIRES		900
#define DBTOKEN_DSQL_MAX_EXPIRES	604800

struct dbtoken_target {
	enum db_engine	 engine;
	const char	*host;		/* as the client connects to it */
	unsigned	 port;		/* 1..65535; ignored for DSQL */
	const char	*user;
	const char	*region;
	long		 expires;	/* seconds */
	time_t		 when;		/* signing time */
};

/* Checks the target, then appends the token to out. signer may be NULL. */
int	dbtoken_make(struct sigv4_signer *, const struct dbtoken_target *,
	    const struct sigv4_credentials *, struct buf *out, struct err *);

/* Region names become part of the credential scope, so they must be
 * plain: lower-case letters, digits and '-', at most 64. */
int	dbtoken_region_valid(const char *);

/* The DSQL action for a user: DbConnectAdmin for "admin", else DbConnect. */
const char *dbtoken_dsql_action(const char *user);

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

#endif
