/* libpq's connection parameters that a postgres:// URL may carry beside
 * iamdb's own, and the environment variable libpq reads each from. */
#ifndef IAMDB_PGPARAMS_H
#define IAMDB_PGPARAMS_H

struct pgparam {
	const char	*name;		/* application_name */
	const char	*env;		/* PGAPPNAME; NULL: none */
};

/* The parameter called name, or NULL when libpq has none of that name or
 * iamdb takes it itself (host, port, user, dbname, sslmode, sslrootcert)
 * or refuses it (password, passfile, service: they would override what
 * iamdb hands the client). */
const struct pgparam *pgparam_find(const char *name);

#endif
