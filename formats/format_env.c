/*
 * The environment a client needs. PostgreSQL's libpq reads PG* variables;
 * the MySQL and MariaDB clients read MYSQL_HOST, MYSQL_TCP_PORT and
 * MYSQL_PWD, and LIBMYSQL_ENABLE_CLEARTEXT_PLUGIN lets libmysqlclient send
 * the token as RDS's cleartext plugin asks. IAMDB_* carry the same for
 * tools with their own names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/timeutil.h"
#include "formats.h"

struct var {
	const char	*name;
	char		*value;
};

static size_t
vars(const struct conn *c, struct var *v)
{
	char port[8], expires[24];
	size_t n = 0;
	int pg = c->service->family == FAMILY_POSTGRES;

	snprintf(port, sizeof(port), "%u", c->port);
	time_format_iso8601(c->expires_at, expires);
#define VAR(k, val) do {						\
	v[n].name = (k);						\
	v[n].value = xstrdup(val);					\
	n++;								\
} while (0)
	if (pg) {
		VAR("PGHOST", c->host);
		VAR("PGPORT", port);
		VAR("PGUSER", c->user);
		if (c->database != NULL)
			VAR("PGDATABASE", c->database);
		VAR("PGPASSWORD", c->token);
		VAR("PGSSLMODE", c->sslmode);
		if (c->sslrootcert != NULL)
			VAR("PGSSLROOTCERT", c->sslrootcert);
	} else {
		VAR("MYSQL_HOST", c->host);
		VAR("MYSQL_TCP_PORT", port);
		VAR("MYSQL_PWD", c->token);
		VAR("LIBMYSQL_ENABLE_CLEARTEXT_PLUGIN", "1");
	}
	VAR("IAMDB_HOST", c->host);
	VAR("IAMDB_PORT", port);
	VAR("IAMDB_USER", c->user);
	if (c->database != NULL)
		VAR("IAMDB_DATABASE", c->database);
	VAR("IAMDB_REGION", c->region);
	VAR("IAMDB_TOKEN", c->token);
	VAR("IAMDB_EXPIRES_AT", expires);
	VAR("IAMDB_SSLMODE", c->sslmode);
	if (c->sslrootcert != NULL)
		VAR("IAMDB_SSLROOTCERT", c->sslrootcert);
#undef VAR
	return n;
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

static void
quote_json(struct buf *b, const char *v)
{
	static const char hex[] = "0123456789abcdef";

	buf_addc(b, '"');
	for (; *v; v++) {
		unsigned char ch = (unsigned char)*v;

		if (ch == '"' || ch == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)ch);
		} else if (ch < 0x20) {
			buf_adds(b, "\\u00");
			buf_addc(b, hex[ch >> 4]);
			buf_addc(b, hex[ch & 15]);
		} else
			buf_addc(b, (char)ch);
	}
	buf_addc(b, '"');
}

void
format_env(const struct conn *c, enum env_syntax syntax, struct buf *out)
{
	struct var v[24];
	size_t n = vars(c, v), i;

	if (syntax == ENV_JSON)
		buf_addc(out, '{');
	for (i = 0; i < n; i++) {
		switch (syntax) {
		case ENV_SH:
			buf_printf(out, "export %s=", v[i].name);
			sh_quote(out, v[i].value);
			buf_adds(out, ";\n");
			break;
		case ENV_FISH:
			buf_printf(out, "set -gx %s ", v[i].name);
			quote_fish(out, v[i].value);
			buf_adds(out, ";\n");
			break;
		case ENV_DOTENV:
			buf_printf(out, "%s=", v[i].name);
			quote_dotenv(out, v[i].value);
			buf_addc(out, '\n');
			break;
		case ENV_JSON:
			buf_printf(out, "%s\n  \"%s\": ", i ? "," : "",
			    v[i].name);
			quote_json(out, v[i].value);
			break;
		}
		wipe_str(v[i].value);
	}
	if (syntax == ENV_JSON)
		buf_adds(out, "\n}\n");
}

void
env_pairs(const struct conn *c, char ***out, size_t *count)
{
	struct var v[24];
	size_t n = vars(c, v), i;
	char **p = xcalloc(n + 1, sizeof(*p));

	for (i = 0; i < n; i++) {
		struct buf b = BUF_INIT;

		buf_printf(&b, "%s=%s", v[i].name, v[i].value);
		p[i] = xstrdup(buf_str(&b));
		buf_free(&b);
		wipe_str(v[i].value);
	}
	*out = p;
	*count = n;
}

void
env_pairs_free(char **p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		wipe_str(p[i]);
	free(p);
}
