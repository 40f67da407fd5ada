/* Connection URIs: libpq's postgresql://, the MySQL Shell's mysql:// and
 * JDBC's, with every value percent-encoded. */
#include <stdio.h>
#include <string.h>

#include "../sigv4/sigv4.h"
#include "formats.h"

static void
enc(struct buf *b, const char *s)
{
	sigv4_uri_encode(b, s, strlen(s), 0);
}

/* Hosts go in as they are; an IPv6 literal keeps its brackets. */
void
format_uri(const struct conn *c, enum uri_style style, struct buf *out)
{
	int pg = c->service->family == FAMILY_POSTGRES;
	const char *db = c->database;

	switch (style) {
	case URI_LIBPQ:
	case URI_MYSQL:
		buf_adds(out, pg ? "postgresql://" : "mysql://");
		enc(out, c->user);
		buf_addc(out, ':');
		enc(out, c->token);
		buf_printf(out, "@%s:%u/", c->host, c->port);
		if (db != NULL)
			enc(out, db);
		if (pg) {
			buf_adds(out, "?sslmode=");
			enc(out, c->sslmode);
			if (c->sslrootcert != NULL) {
				buf_adds(out, "&sslrootcert=");
				enc(out, c->sslrootcert);
			}
		} else {
			buf_adds(out, "?ssl-mode=");
			buf_adds(out, mysql_ssl_mode(c->sslmode));
			if (c->sslrootcert != NULL) {
				buf_adds(out, "&ssl-ca=");
				enc(out, c->sslrootcert);
			}
		}
		break;
	case URI_JDBC:
		buf_printf(out, "jdbc:%s://%s:%u/", pg ? "postgresql" : "mysql",
		    c->host, c->port);
		if (db != NULL)
			enc(out, db);
		buf_adds(out, "?user=");
		enc(out, c->user);
		buf_adds(out, "&password=");
		enc(out, c->token);
		if (pg) {
			buf_adds(out, "&sslmode=");
			enc(out, c->sslmode);
			if (c->sslrootcert != NULL) {
				buf_adds(out, "&sslrootcert=");
				enc(out, c->sslrootcert);
			}
		} else {
			buf_adds(out, "&sslMode=");
			buf_adds(out, mysql_ssl_mode(c->sslmode));
			buf_adds(out, "&allowCleartextPasswords=true");
			/* MariaDB Connector/J reads a PEM CA file here. */
			if (c->sslrootcert != NULL) {
				buf_adds(out, "&serverSslCert=");
				enc(out, c->sslrootcert);
			}
		}
		break;
	}
	buf_addc(out, '\n');
}
