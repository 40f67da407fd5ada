/*
 * The kinds of IAM-authenticated store iamdb signs for, as data: what
 * differs between them (the SigV4 service, the token's host and query
 * parameters, the default port, the longest lifetime, the client family
 * and so which outputs make sense) is an entry in one table, so that a new
 * kind is an entry and its tests.
 */
#ifndef IAMDB_SERVICE_H
#define IAMDB_SERVICE_H

#include <stddef.h>

#include "../common/buf.h"

/* The client side of a store: which programs connect to it and so which
 * outputs can serve them. */
enum family {
	FAMILY_POSTGRES,	/* libpq: PG* variables, .pgpass */
	FAMILY_MYSQL,		/* MySQL and MariaDB clients: option files */
};

/* How the token names the endpoint. */
enum host_form {
	HOST_AND_PORT,		/* host:port; the signed Host drops :443 */
	HOST_ONLY,		/* the host alone; the port is not signed */
};

/* What a command makes of a connection, for service.outputs. */
enum {
	OUT_TOKEN	= 1 << 0,
	OUT_JSON	= 1 << 1,
	OUT_ENV		= 1 << 2,
	OUT_URI		= 1 << 3,
	OUT_EXEC	= 1 << 4,
	OUT_PGPASS	= 1 << 5,
	OUT_MYCNF	= 1 << 6,
};

struct service {
	const char	*name;		/* --engine NAME, and the URL scheme */
	const char	*aliases;	/* other names, space-separated */
	const char	*title;		/* for messages */
	enum family	 family;
	const char	*signing_name;	/* the SigV4 service: rds-db */
	enum host_form	 host_form;
	const char	*action;	/* Action= */
	const char	*admin_action;	/* Action= for the user "admin" */
	const char	*user_param;	/* the user's parameter; NULL: none */
	unsigned	 default_port;
	long		 default_expires;
	long		 max_expires;	/* the longest X-Amz-Expires taken */
	unsigned	 outputs;	/* OUT_* */
	int		 public_ca;	/* certificates from a public CA, not
					   the RDS CA */
	/* Redshift: no token is signed; the user and password are asked of
	 * the service's API (providers/redshift.c). */
	int		 login_api;
	long		 min_expires;	/* the shortest lifetime taken */
};

extern const struct service services[];
extern const size_t nservices;

/* The service named name (or one of its aliases); NULL when none is. */
const struct service *service_find(const char *name);

/* The service whose tokens are signed for signing_name with action; NULL
 * when none is. */
const struct service *service_for_token(const char *signing_name,
	    const char *action);

/* The Action a token for user asks for. */
const char *service_action(const struct service *, const char *user);

/* The names, for messages: "postgres (postgresql, ...), mysql ..." */
void	service_names(struct buf *);

/* The longest X-Amz-Expires any service takes. */
long	service_max_expires(void);

#endif
