#include <stdlib.h>
#include <string.h>

#include "../providers/ca.h"
#include "helper.h"

/* Where the client finds the CA to verify the server with. */
static int
root_cert(struct target *t, struct conn *c, struct err *e)
{
	struct buf warnings = BUF_INIT;
	const char *p;
	char *path = NULL;
	size_t n;
	int rc;

	if (t->ca_bundle != NULL || env_nonempty("IAMDB_CA_BUNDLE") != NULL) {
		c->sslrootcert = t->ca_bundle ? t->ca_bundle :
		    env_nonempty("IAMDB_CA_BUNDLE");
		return 0;
	}
	/* DSQL endpoints carry publicly trusted certificates. */
	if (t->engine == DB_DSQL) {
		c->sslrootcert = "system";
		return 0;
	}
	if (strcmp(c->sslmode, "verify-full") != 0 &&
	    strcmp(c->sslmode, "verify-ca") != 0)
		return 0;
	rc = ca_bundle(NULL, 0, &path, &warnings, e);
	for (p = buf_str(&warnings); *p != '\0'; p += n + (p[n] == '\n')) {
		n = strcspn(p, "\n");
		warnx("warning: %.*s", (int)n, p);
	}
	buf_free(&warnings);
	if (rc == -1)
		return -1;
	free(t->ca_path);
	t->ca_path = path;
	c->sslrootcert = path;
	return 0;
}

int
conn_open(struct target *t, struct session *s, struct buf *token,
    struct conn *c, int want_ca)
{
	struct sigv4_credentials sc;
	struct dbtoken_target dt;
	struct err e = { 0 };
	time_t until;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = session_open(s, t, 1)) != EXIT_OK)
		return rc;
	sc.access_key_id = s->creds.access_key_id;
	sc.secret_access_key = s->creds.secret_access_key;
	sc.session_token = s->creds.session_token;
	dt.engine = t->engine;
	dt.host = t->host;
	dt.port = t->port;
	dt.user = t->user;
	dt.region = s->region.name;
	dt.expires = t->expires;
	dt.when = t->when;
	if (dbtoken_make(NULL, &dt, &sc, token, &e) == -1)
		return fail(&e);

	c->engine = t->engine;
	c->host = t->host;
	c->port = t->port;
	c->user = t->user;
	c->database = t->database;
	c->region = s->region.name;
	c->token = buf_str(token);
	/* A token is good no longer than the credentials that signed it. */
	until = t->when + t->expires;
	if (s->creds.expiration != 0 && s->creds.expiration < until)
		until = s->creds.expiration;
	c->expires_at = until;
	c->sslmode = t->sslmode ? t->sslmode : "verify-full";
	if (want_ca && root_cert(t, c, &e) == -1)
		return fail(&e);
	return EXIT_OK;
}

void
conn_close(struct session *s, struct buf *token)
{
	buf_free(token);
	session_close(s);
}

int
conn_print(struct target *t, const char *what, int want_ca,
    void (*format)(const struct conn *, void *, struct buf *), void *arg)
{
	struct session s;
	struct conn c;
	struct buf token = BUF_INIT, out = BUF_INIT;
	struct err e = { 0 };
	int rc;

	if (stdout_closed) {
		warnx("standard output is closed: nowhere to write the %s",
		    what);
		return EXIT_IO;
	}
	if ((rc = conn_open(t, &s, &token, &c, want_ca)) == EXIT_OK) {
		format(&c, arg, &out);
		if (write_out(stdout, &out, what, &e) == -1)
			rc = fail(&e);
	}
	conn_close(&s, &token);
	buf_free(&out);
	return rc;
}
