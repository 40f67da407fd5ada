/* From a target to a connection: region, credentials, the token, the CA
 * bundle the client verifies the server with. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/timeutil.h"
#include "../providers/ca.h"
#include "../providers/dbprobe.h"
#include "helper.h"

int
session_open(struct session *s, const struct target *t, int region_required,
    struct err *e)
{
	int rc;

	memset(s, 0, sizeof(*s));
	awsconfig_init(&s->cfg, t->profile);
	s->ctx.cfg = &s->cfg;
	s->ctx.now = time(NULL);
	s->ctx.mfa_code = t->mfa_code;
	s->ctx.mfa_prompt = mfa_prompt;
	s->ctx.no_cache = t->no_cache;

	if (awsconfig_check_profile(&s->cfg, e) == -1 ||
	    region_resolve(&s->region, t->region, t->host, &s->ctx,
	    region_required, e) == -1)
		return -1;
	if (s->region.warning != NULL)
		warnf("warning: %s", s->region.warning);
	if (verbose && s->region.name != NULL)
		warnf("region %s (from %s)", s->region.name,
		    s->region.source);
	s->ctx.region = s->region.name;

	rc = credentials_resolve(&s->ctx, &s->creds, e);
	if (verbose && rc == 0) {
		warnf("credentials, in the order tried:");
		print_lines("", buf_str(&s->ctx.explain));
	} else if (verbose && e->kind != ERR_CREDENTIALS) {
		warnf("credentials tried:");
		print_lines("", buf_str(&s->ctx.explain));
	}
	return rc;
}

void
session_close(struct session *s)
{
	credentials_free(&s->creds);
	redshift_login_free(&s->login);
	region_free(&s->region);
	buf_free(&s->ctx.explain);
	awsconfig_free(&s->cfg);
}

/* Where the client finds the CA to verify the server with: the bundle the
 * user named (checked now, not when the client fails on it), the system's
 * store for public certificates, else the RDS bundle iamdb keeps. */
static int
root_cert(struct target *t, struct conn *c, struct err *e)
{
	const char *given = t->ca_bundle ? t->ca_bundle :
	    env_nonempty("IAMDB_CA_BUNDLE");
	struct buf warnings = BUF_INIT, ignored = BUF_INIT;
	char *path = NULL;
	int rc;

	if (strcmp(c->sslmode, "verify-full") != 0)
		warnf("warning: sslmode %s: the client will not check %s, so "
		    "whoever answers in the server's place gets a password "
		    "good for %ld s", c->sslmode, strcmp(c->sslmode,
		    "verify-ca") == 0 ? "that the certificate names the "
		    "server" : "the server's certificate", t->expires);
	/* The user's and the system's bundles are theirs to keep current:
	 * only whether they can be read as certificates is checked. */
	if (given != NULL && strcmp(given, "system") != 0) {
		rc = ca_check_file(given, &ignored, e);
		c->sslrootcert = given;
	} else if (given != NULL || t->service->public_ca)
		rc = ca_system_bundle(&c->sslrootcert, &ignored, e);
	else if (strcmp(c->sslmode, "verify-full") != 0 &&
	    strcmp(c->sslmode, "verify-ca") != 0)
		rc = 0;
	else if ((rc = ca_bundle(NULL, 0, &path, &warnings, e)) == 0) {
		free(t->ca_path);
		t->ca_path = path;
		c->sslrootcert = path;
	}
	warnings_print(&warnings);
	buf_free(&warnings);
	buf_free(&ignored);
	return rc;
}

/* The host as clients take it: without an IPv6 address's brackets. */
static const char *
bare_host(struct target *t)
{
	size_t n = strlen(t->host);

	if (n < 2 || t->host[0] != '[' || t->host[n - 1] != ']')
		return t->host;
	free(t->bare_buf);
	t->bare_buf = xstrndup(t->host + 1, n - 2);
	return t->bare_buf;
}

/* Redshift's login: the user and password its API gives (the password
 * in token), good until the expiration it says. */
static int
redshift_open(struct target *t, struct session *s, struct buf *token,
    struct conn *c, struct err *e)
{
	size_t seen = s->ctx.explain.len;
	const char *u, *colon;

	if (redshift_login(&s->ctx, &t->redshift, &s->creds, &s->login,
	    e) == -1)
		return -1;
	u = s->login.user;
	if (verbose)
		print_lines("", buf_str(&s->ctx.explain) + seen);
	/* GetCredentials takes no user: a user given is what the login
	 * must be, with or without its IAM: or IAMR: prefix. */
	colon = strchr(u, ':');
	if (t->redshift.serverless && t->user != NULL &&
	    strcmp(u, t->user) != 0 && (colon == NULL ||
	    strcmp(colon + 1, t->user) != 0))
		return err_set(e, ERR_CREDENTIALS, "Redshift Serverless logs "
		    "these credentials in as %s, not %s", u, t->user);
	buf_reset(token);
	buf_adds(token, s->login.password);
	c->user = u;
	c->token = buf_str(token);
	c->expires_at = s->login.expiration;
	return 0;
}

int
conn_open(struct target *t, struct session *s, struct buf *token,
    struct conn *c, int want_ca, struct err *e)
{
	memset(c, 0, sizeof(*c));
	if (session_open(s, t, 1, e) == -1)
		return -1;
	return conn_sign(t, s, token, c, want_ca, e);
}

int
conn_sign(struct target *t, struct session *s, struct buf *token,
    struct conn *c, int want_ca, struct err *e)
{
	struct sigv4_credentials sc;
	struct dbtoken_target dt;
	time_t until;

	memset(c, 0, sizeof(*c));
	if (t->service->login_api) {
		if (redshift_open(t, s, token, c, e) == -1)
			return -1;
		goto connection;
	}
	sc.access_key_id = s->creds.access_key_id;
	sc.secret_access_key = s->creds.secret_access_key;
	sc.session_token = s->creds.session_token;
	memset(&dt, 0, sizeof(dt));
	dt.service = t->service;
	dt.host = t->name ? t->name : t->host;
	dt.serverless = t->serverless;
	dt.port = t->port;
	dt.user = t->user;
	dt.region = s->region.name;
	dt.expires = t->expires;
	dt.when = t->when;
	if (dbtoken_make(NULL, &dt, &sc, token, e) == -1)
		return -1;
	c->user = t->user;
	c->token = buf_str(token);
	/* A token is good no longer than the credentials that signed it. */
	until = t->when + t->expires;
	if (s->creds.expiration != 0 && s->creds.expiration < until)
		until = s->creds.expiration;
	c->expires_at = until;
	c->signed_at = t->when;
	c->lifetime = t->expires;
connection:
	return conn_fill(t, c, s->region.name, want_ca, e);
}

int
conn_fill(struct target *t, struct conn *c, const char *region, int want_ca,
    struct err *e)
{
	c->service = t->service;
	c->host = t->host;
	c->bare_host = t->host ? bare_host(t) : NULL;
	c->name = t->name;
	c->params = t->params;
	c->nparams = t->nparams;
	c->port = t->port;
	c->database = t->database;
	c->region = region;
	c->sslmode = t->sslmode ? t->sslmode : "verify-full";
	if (want_ca && root_cert(t, c, e) == -1)
		return -1;
	return 0;
}

void
conn_probe(const struct conn *c, long timeout, struct dbprobe *p)
{
	memset(p, 0, sizeof(*p));
	p->host = c->bare_host;
	p->port = c->port;
	p->user = c->user;
	p->database = c->database;
	p->password = c->token;
	p->sslmode = c->sslmode;
	p->sslrootcert = c->sslrootcert;
	p->timeout = timeout;
	p->params = c->params;
	p->nparams = c->nparams;
}

void
conn_close(struct session *s, struct buf *token)
{
	buf_free(token);
	session_close(s);
}

int
conn_print(struct target *t, const char *what, int want_ca,
    conn_format format, void *arg)
{
	struct session s;
	struct conn c;
	struct buf token = BUF_INIT, out = BUF_INIT;
	struct err e = { 0 };
	int rc;

	if (stdout_closed) {
		warnf("standard output is closed: nowhere to write the %s",
		    what);
		return EXIT_IO;
	}
	if (conn_open(t, &s, &token, &c, want_ca, &e) == -1)
		rc = fail(&e);
	else if (format(&c, arg, &out, &e) == -1 ||
	    write_out(stdout, &out, what, &e) == -1)
		rc = fail(&e);
	else
		rc = EXIT_OK;
	conn_close(&s, &token);
	buf_free(&out);
	return rc;
}

int
printer_run(struct args *a, const struct printer *p)
{
	struct target t;
	struct err e = { 0 };
	int rc;

	if (target_for(&t, a, p->output, &e) == -1 ||
	    (p->check != NULL && p->check(&t, a, &e) == -1))
		rc = usage_fail(a->cmd->name, &e);
	else
		rc = conn_print(&t, p->what, p->want_ca &&
		    t.service->family != FAMILY_KUBERNETES &&
		    t.service->family != FAMILY_KAFKA, p->format, a);
	target_free(&t);
	return rc;
}

time_t
refresh_time(time_t expires_at, long lifetime)
{
	time_t t = renew_at(expires_at, lifetime), soon = time(NULL) + 10;

	return t > soon ? t : soon;
}
