/*
 * The RDS certificate authority bundle that clients verify RDS and Aurora
 * endpoints against: downloaded once over HTTPS (AWS's global bundle, or a
 * region's), checked to parse as X.509 certificates, cached beside the
 * credential cache, refreshed with a conditional GET once a day, and served
 * from the cache (with a warning) when the network is down.
 */
#ifndef IAMDB_CA_H
#define IAMDB_CA_H

#include "../common/buf.h"
#include "../common/err.h"

/* Sets *path (heap) to the bundle for region (NULL: the global one).
 * Warnings (stale copy served, certificates about to expire) are appended
 * to warnings, one per line. IAMDB_CA_URL replaces AWS's URL. */
int	ca_bundle(const char *region, int force_refresh, char **path,
	    struct buf *warnings, struct err *);

/* Checks a PEM file holds only X.509 certificates, at least one; appends
 * to warnings those that expire within 30 days or have. */
int	ca_check_file(const char *path, struct buf *warnings, struct err *);

/* The path of the system's trust store, for endpoints whose certificates
 * come from a public CA (DSQL): $SSL_CERT_FILE, else OpenSSL's default
 * file; checked as ca_check_file checks. */
int	ca_system_bundle(const char **path, struct buf *warnings,
	    struct err *);

#endif
