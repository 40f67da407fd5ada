/*
 * Connection URLs as users write them: SCHEME://[USER@]HOST[:PORT][/DB]
 * [?PARAM=VALUE&...], with the scheme naming the service (postgres://,
 * postgresql://, mysql://, mariadb://, dsql://, case-insensitive), an IPv6
 * host in brackets, and every part percent-decoded. A password is refused:
 * iamdb makes it.
 */
#ifndef IAMDB_URL_H
#define IAMDB_URL_H

#include <stddef.h>

#include "../common/err.h"
#include "../sigv4/service.h"

struct url_param {
	char	*key;
	char	*value;
};

struct dburl {
	const struct service	*service;
	char			*user;		/* NULL when absent */
	char			*host;		/* "[::1]" for IPv6 */
	char			*database;
	unsigned		 port;		/* 0 when absent */
	struct url_param	*params;	/* in the order given */
	size_t			 nparams;
};

int	url_parse(const char *url, struct dburl *, struct err *);
void	url_free(struct dburl *);

/* The value of a query parameter, or NULL. */
const char *url_param(const struct dburl *, const char *key);

/* HOST:PORT or [V6]:PORT, as --endpoint takes it; *host is a heap copy. */
int	url_endpoint(const char *, char **host, unsigned *port, struct err *);

#endif
