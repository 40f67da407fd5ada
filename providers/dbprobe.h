/*
 * The database end, for iamdb doctor: a login as the clients make it,
 * through the real client libraries — libpq for PostgreSQL and Aurora
 * DSQL, MariaDB Connector/C for MySQL and MariaDB — loaded with dlopen on
 * first use, as libcurl is, so that no other command pays for them.
 */
#ifndef IAMDB_DBPROBE_H
#define IAMDB_DBPROBE_H

#include "../common/buf.h"
#include "../common/err.h"
#include "../formats/url.h"

struct dbprobe {
	const char		*host;		/* as the client connects */
	unsigned		 port;
	const char		*user;
	const char		*database;	/* may be NULL */
	const char		*password;	/* NULL: the library's
						   own sources */
	const char		*sslmode;	/* libpq's names */
	const char		*sslrootcert;	/* a file */
	long			 timeout;	/* seconds */
	/* libpq's parameters from the URL (hostaddr, ...), passed on. */
	const struct url_param	*params;
	size_t			 nparams;
};

/* What the login came to. */
enum dbprobe_outcome {
	DBPROBE_OK,
	DBPROBE_NETWORK,	/* no connection: refused, timeout, DNS */
	DBPROBE_TLS,		/* the handshake or the certificate */
	DBPROBE_AUTH,		/* the server refused the password */
	DBPROBE_NO_USER,	/* it says the user does not exist */
	DBPROBE_NO_DATABASE,	/* the database does not exist, or the
				   user may not use it */
	DBPROBE_OTHER,		/* the server refused something else */
	DBPROBE_REFUSED,	/* logged in; a statement was refused */
};

struct dbprobe_result {
	enum dbprobe_outcome	 outcome;
	struct buf		 message;	/* the library's own words */
	struct buf		 server;	/* version, TLS; when OK */
};

/* Logs in and out. -1 only when the library cannot be loaded; what the
 * server said is in r. */
int	dbprobe_postgres(const struct dbprobe *, struct dbprobe_result *,
	    struct err *);
int	dbprobe_mysql(const struct dbprobe *, struct dbprobe_result *,
	    struct err *);
/* The same login, then the statements sql[0..n) in order, stopping at
 * the first one the server refuses (DBPROBE_REFUSED, its words in r);
 * *done counts those that ran. */
int	dbprobe_run(const struct dbprobe *, int mysql, const char *const *sql,
	    size_t n, struct dbprobe_result *, size_t *done, struct err *);
void	dbprobe_result_free(struct dbprobe_result *);

#endif
