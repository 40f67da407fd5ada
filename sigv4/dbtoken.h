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

/* The DSQL action for a user: DbConnectAdmin for "admin", else DbConnect. */
const char *dbtoken_dsql_action(const char *user);

#endif
