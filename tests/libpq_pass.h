/* What libpq itself takes from a password file for a connection, asked
 * through PQconnectStartParams with hostaddr=127.0.0.1 (so host is used
 * only to look the password up, never resolved) and a loopback port: it
 * reads the file before it connects, and PQpass gives what it found.
 * Nothing leaves the machine. Shared by tests/unit/test_pgpass_libpq.c
 * and tests/fuzz/fuzz_pgpass_libpq.c. */
#ifndef IAMDB_LIBPQ_PASS_H
#define IAMDB_LIBPQ_PASS_H

#include <libpq-fe.h>

#include "common/buf.h"

/* A heap copy of the password, or "(no connection)". */
static inline char *
libpq_password(const char *file, const char *host, const char *port,
    const char *db, const char *user)
{
	const char *const keys[] = { "host", "hostaddr", "port", "dbname",
	    "user", "passfile", "sslmode", "gssencmode", "connect_timeout",
	    NULL };
	const char *const values[] = { host, "127.0.0.1", port, db, user,
	    file, "disable", "disable", "1", NULL };
	PGconn *conn = PQconnectStartParams(keys, values, 0);
	const char *pw = conn ? PQpass(conn) : NULL;
	char *copy = xstrdup(pw ? pw : "(no connection)");

	PQfinish(conn);
	return copy;
}

#endif
