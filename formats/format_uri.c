/* Connection URIs: libpq's postgresql://, the MySQL Shell's mysql:// and
 * JDBC's, with every value percent-encoded, except in a MySQL JDBC URL,
 * which holds no token and only values no driver decodes differently. */
#include <stdio.h>
#include <string.h>

#include "../sigv4/sigv4.h"
#include "formats.h"

static void
enc(struct buf *b, const char *s)
{
	sigv4_uri_encode(b, s, strlen(s), 0);
}

/* libpq's parameters under pgjdbc's names, where it has the same one. */
static const char *
pgjdbc_name(const char *libpq)
{
	static const char *const names[][2] = {
		{ "application_name", "ApplicationName" },
		{ "connect_timeout", "connectTimeout" },
		{ "options", "options" },
		{ "sslcert", "sslcert" },
		{ "sslkey", "sslkey" },
		{ "sslpassword", "sslpassword" },
		{ "gsslib", "gsslib" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i][0], libpq) == 0)
			return names[i][1];
	return NULL;
}

/* The URL's libpq parameters, after iamdb's own. */
static int
params(const struct conn *c, int jdbc, struct buf *out, struct err *e)
{
	const char *name;
	size_t i;

	for (i = 0; i < c->nparams; i++) {
		name = jdbc ? pgjdbc_name(c->params[i].key) : c->params[i].key;
		if (name == NULL)
			return err_set(e, ERR_USAGE, "URL parameter %s has no "
			    "equivalent in pgjdbc", c->params[i].key);
		buf_addc(out, '&');
		enc(out, name);
		buf_addc(out, '=');
		enc(out, c->params[i].value);
	}
	return 0;
}

/* rediss:// (TLS), as redis-cli -u, redis-py and valkey-cli take it. */
static int
redis_uri(const struct conn *c, struct buf *out, struct err *e)
{
	if (strcmp(c->sslmode, "disable") == 0)
		return err_set(e, ERR_USAGE, "%s takes IAM tokens over TLS "
		    "only: sslmode disable does not fit", c->service->title);
	buf_adds(out, "rediss://");
	enc(out, c->user);
	buf_addc(out, ':');
	enc(out, c->token);
	buf_printf(out, "@%s:%u\n", c->host, c->port);
	return 0;
}

/* A value for a MySQL JDBC URL: MariaDB Connector/J cuts at '&' and
 * never decodes; Oracle's Connector/J URL-decodes ('%', and '+' as a
 * space) and trims; so only values that both read as written may be in
 * it (the database, in the path, without '/' and '?' either). */
static int
jdbc_raw(struct buf *out, const char *what, const char *v, int path,
    struct err *e)
{
	const unsigned char *p;
	size_t n = strlen(v);
	int bad = n > 0 && (v[0] == ' ' || v[n - 1] == ' ');

	for (p = (const unsigned char *)v; *p != '\0' && !bad; p++)
		bad = *p < 0x20 || *p == 0x7f || strchr("&%+#", *p) != NULL ||
		    (path && strchr("/?", *p) != NULL);
	if (bad)
		return err_set(e, ERR_USAGE, "%s has characters that MariaDB "
		    "Connector/J and Oracle's Connector/J read differently in "
		    "a JDBC URL: set it as a connection property instead",
		    what);
	buf_adds(out, v);
	return 0;
}

/* A JDBC URL for both MySQL drivers, without the token: MariaDB
 * Connector/J cuts a URL's values at their first '&' and never decodes,
 * so no spelling of a token survives it; the token goes in the password
 * property (iamdb token). TLS in both drivers' terms: sslMode for
 * Oracle's; useSsl, serverSslCert (a PEM file) and the checks to leave out
 * for MariaDB's, which ignores sslMode before version 3. */
static int
jdbc_mysql(const struct conn *c, struct buf *out, struct err *e)
{
	const char *m = c->sslmode;

	buf_printf(out, "jdbc:mysql://%s:%u/", c->host, c->port);
	if ((c->database != NULL &&
	    jdbc_raw(out, "the database", c->database, 1, e) == -1))
		return -1;
	buf_adds(out, "?user=");
	if (jdbc_raw(out, "the user", c->user, 0, e) == -1)
		return -1;
	buf_printf(out, "&sslMode=%s", mysql_ssl_mode(m));
	if (strcmp(m, "disable") == 0) {
		buf_adds(out, "&useSsl=false");
		return 0;
	}
	buf_adds(out, "&useSsl=true");
	if (strcmp(m, "verify-full") != 0 && strcmp(m, "verify-ca") != 0)
		buf_adds(out, "&trustServerCertificate=true");
	else if (strcmp(m, "verify-ca") == 0)
		buf_adds(out, "&disableSslHostnameVerification=true");
	if (c->sslrootcert != NULL) {
		buf_adds(out, "&serverSslCert=");
		if (jdbc_raw(out, "the CA bundle path", c->sslrootcert,
		    0, e) == -1)
			return -1;
	}
	buf_adds(out, "&allowCleartextPasswords=true");
	return 0;
}

/* Hosts go in as they are; an IPv6 literal keeps its brackets. */
int
format_uri(const struct conn *c, enum uri_style style, struct buf *out,
    struct err *e)
{
	int pg = c->service->family == FAMILY_POSTGRES;
	const char *db = c->database;

	if (style == URI_REDIS)
		return redis_uri(c, out, e);
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
			if (params(c, 0, out, e) == -1)
				return -1;
		} else {
			buf_adds(out, "?ssl-mode=");
			buf_adds(out, mysql_ssl_mode(c->sslmode));
			if (c->sslrootcert != NULL) {
				buf_adds(out, "&ssl-ca=");
				enc(out, c->sslrootcert);
			}
		}
		break;
	case URI_REDIS:
		break;
	case URI_JDBC:
		if (!pg) {
			if (jdbc_mysql(c, out, e) == -1)
				return -1;
			break;
		}
		buf_printf(out, "jdbc:postgresql://%s:%u/", c->host, c->port);
		if (db != NULL)
			enc(out, db);
		buf_adds(out, "?user=");
		enc(out, c->user);
		buf_adds(out, "&password=");
		enc(out, c->token);
		buf_adds(out, "&sslmode=");
		enc(out, c->sslmode);
		if (c->sslrootcert != NULL) {
			buf_adds(out, "&sslrootcert=");
			enc(out, c->sslrootcert);
		}
		if (params(c, 1, out, e) == -1)
			return -1;
		break;
	}
	buf_addc(out, '\n');
	return 0;
}
