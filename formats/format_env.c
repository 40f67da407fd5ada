/*
 * The environment a client needs. PostgreSQL's libpq reads PG* variables;
 * the MySQL and MariaDB clients read MYSQL_HOST, MYSQL_TCP_PORT and
 * MYSQL_PWD, and LIBMYSQL_ENABLE_CLEARTEXT_PLUGIN lets libmysqlclient send
 * the token as RDS's cleartext plugin asks. redis-cli and valkey-cli take
 * the password from REDISCLI_AUTH and VALKEYCLI_AUTH (not argv, where
 * others could read it); they take nothing else from the environment.
 * IAMDB_* carry the same for tools with their own names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/jsonout.h"
#include "../common/timeutil.h"
#include "formats.h"
#include "pgparams.h"

struct var {
	const char	*name;
	char		*value;
};

struct vars {
	struct var	*v;
	size_t		 n;
};

static void
add(struct vars *vs, const char *name, const char *value)
{
	vs->v = xrealloc(vs->v, (vs->n + 1) * sizeof(*vs->v));
	vs->v[vs->n].name = name;
	vs->v[vs->n].value = xstrdup(value);
	vs->n++;
}

static void
vars_free(struct vars *vs)
{
	size_t i;

	for (i = 0; i < vs->n; i++)
		wipe_str(vs->v[i].value);
	free(vs->v);
	memset(vs, 0, sizeof(*vs));
}

/* The URL's libpq parameters, under the variables libpq reads them from;
 * one without a variable cannot be passed this way. */
static int
params(const struct conn *c, struct vars *vs, struct err *e)
{
	const struct pgparam *p;
	size_t i;

	for (i = 0; i < c->nparams; i++) {
		if ((p = pgparam_find(c->params[i].key)) == NULL ||
		    p->env == NULL)
			return err_set(e, ERR_USAGE, "URL parameter %s has no "
			    "environment variable in libpq: use iamdb uri to "
			    "pass it", c->params[i].key);
		add(vs, p->env, c->params[i].value);
	}
	return 0;
}

static int
vars(const struct conn *c, struct vars *vs, struct err *e)
{
	char port[8], expires[24];
	int pg = c->service->family == FAMILY_POSTGRES;

	memset(vs, 0, sizeof(*vs));
	snprintf(port, sizeof(port), "%u", c->port);
	time_format_iso8601(c->expires_at, expires);
	if (pg) {
		add(vs, "PGHOST", c->bare_host);
		add(vs, "PGPORT", port);
		add(vs, "PGUSER", c->user);
		if (c->database != NULL)
			add(vs, "PGDATABASE", c->database);
		add(vs, "PGPASSWORD", c->token);
		add(vs, "PGSSLMODE", c->sslmode);
		if (c->sslrootcert != NULL)
			add(vs, "PGSSLROOTCERT", c->sslrootcert);
		if (params(c, vs, e) == -1) {
			vars_free(vs);
			return -1;
		}
	} else if (c->service->family == FAMILY_REDIS) {
		add(vs, "REDISCLI_AUTH", c->token);
		add(vs, "VALKEYCLI_AUTH", c->token);
	} else {
		add(vs, "MYSQL_HOST", c->bare_host);
		add(vs, "MYSQL_TCP_PORT", port);
		add(vs, "MYSQL_PWD", c->token);
		add(vs, "LIBMYSQL_ENABLE_CLEARTEXT_PLUGIN", "1");
	}
	add(vs, "IAMDB_HOST", c->bare_host);
	add(vs, "IAMDB_PORT", port);
	add(vs, "IAMDB_USER", c->user);
	if (c->database != NULL)
		add(vs, "IAMDB_DATABASE", c->database);
	add(vs, "IAMDB_REGION", c->region);
	add(vs, "IAMDB_TOKEN", c->token);
	add(vs, "IAMDB_EXPIRES_AT", expires);
	add(vs, "IAMDB_SSLMODE", c->sslmode);
	if (c->sslrootcert != NULL)
		add(vs, "IAMDB_SSLROOTCERT", c->sslrootcert);
	return 0;
}

void
sh_quote(struct buf *b, const char *v)
{
	buf_addc(b, '\'');
	for (; *v; v++)
		if (*v == '\'')
			buf_adds(b, "'\\''");
		else
			buf_addc(b, *v);
	buf_addc(b, '\'');
}

/* fish: inside single quotes only \ and ' are special. */
static void
quote_fish(struct buf *b, const char *v)
{
	buf_addc(b, '\'');
	for (; *v; v++) {
		if (*v == '\'' || *v == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *v);
	}
	buf_addc(b, '\'');
}

/* Double quotes with \\ \" \n \$ escapes, as Ruby's dotenv and its ports
 * (godotenv, Docker Compose) read them; a '$' left bare would be expanded
 * there. Readers that decode fewer escapes (Node's dotenv) differ only
 * for values that need them, which tokens, hosts and paths rarely do. */
static void
quote_dotenv(struct buf *b, const char *v)
{
	buf_addc(b, '"');
	for (; *v; v++) {
		if (*v == '\n') {
			buf_adds(b, "\\n");
			continue;
		}
		if (*v == '"' || *v == '\\' || *v == '$' || *v == '`')
			buf_addc(b, '\\');
		buf_addc(b, *v);
	}
	buf_addc(b, '"');
}

/* One JSON object of strings; JSON carries only UTF-8 text. */
static int
env_json(const struct vars *vs, struct buf *out, struct err *e)
{
	json_t *o = json_object();
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < vs->n; i++)
		if (o == NULL || jsonout_string(o, vs->v[i].name,
		    vs->v[i].value) == -1)
			rc = err_set(e, ERR_USAGE, "%s is not UTF-8 text, which "
			    "JSON cannot carry", vs->v[i].name);
	if (rc == 0 && jsonout_dump(o, JSON_PRESERVE_ORDER | JSON_INDENT(2),
	    out) == -1)
		rc = err_set(e, ERR_INTERNAL, "cannot write JSON");
	json_decref(o);
	return rc;
}

int
format_env(const struct conn *c, enum env_syntax syntax, struct buf *out,
    struct err *e)
{
	struct vars vs;
	size_t i;

	if (vars(c, &vs, e) == -1)
		return -1;
	if (syntax == ENV_JSON) {
		int rc = env_json(&vs, out, e);

		vars_free(&vs);
		return rc;
	}
	for (i = 0; i < vs.n; i++) {
		const struct var *v = &vs.v[i];

		switch (syntax) {
		case ENV_SH:
			buf_printf(out, "export %s=", v->name);
			sh_quote(out, v->value);
			buf_adds(out, ";\n");
			break;
		case ENV_FISH:
			buf_printf(out, "set -gx %s ", v->name);
			quote_fish(out, v->value);
			buf_adds(out, ";\n");
			break;
		case ENV_DOTENV:
			buf_printf(out, "%s=", v->name);
			quote_dotenv(out, v->value);
			buf_addc(out, '\n');
			break;
		case ENV_JSON:
			break;
		}
	}
	vars_free(&vs);
	return 0;
}

int
env_pairs(const struct conn *c, char ***out, size_t *count, struct err *e)
{
	struct vars vs;
	size_t i;
	char **p;

	if (vars(c, &vs, e) == -1)
		return -1;
	p = xcalloc(vs.n + 1, sizeof(*p));
	for (i = 0; i < vs.n; i++) {
		struct buf b = BUF_INIT;

		buf_printf(&b, "%s=%s", vs.v[i].name, vs.v[i].value);
		p[i] = b.data;
	}
	*out = p;
	*count = vs.n;
	vars_free(&vs);
	return 0;
}

void
env_pairs_free(char **p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		wipe_str(p[i]);
	free(p);
}
