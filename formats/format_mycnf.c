/*
 * MySQL option files (~/.my.cnf): iamdb owns a few keys of one group
 * ([client] by default) and leaves every other line alone. Oracle's and
 * MariaDB's clients share user, password, host, port and ssl-ca but spell
 * verification apart (ssl-mode=VERIFY_IDENTITY; ssl-verify-server-cert),
 * and each warns about the other's spelling on every run, "loose-" or
 * not. So a file written for one family has that family's spelling
 * alone; a file for both (iamdb mycnf) puts MariaDB's into
 * [client-mariadb], a group only MariaDB's clients read, and Oracle's
 * only on request (--cleartext-plugin, which Oracle's client needs).
 * The database goes in [mysql], which only the mysql/mariadb client reads:
 * in [client], mysqldump would take "database" for its --databases.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "formats.h"

/* The keys iamdb writes, compared without "loose-" and with '_' as '-';
 * enable-cleartext-plugin, which it once wrote, is still replaced. */
static const char *const owned[] = {
	"user", "password", "host", "port", "ssl-ca", "ssl-mode",
	"ssl-verify-server-cert", "enable-cleartext-plugin", NULL
};
static const char *const owned_db[] = { "database", NULL };
static const char *const owned_mariadb[] = { "ssl-verify-server-cert", NULL };

/* A value in double quotes with '\\' and '"' escaped, which both the
 * clients' parser (mysys) and Connector/C's undo. Single quotes would not
 * do for a value holding both kinds: mysys pairs quotes up to find where a
 * '#' comment starts, and would cut such a value at its '#'. */
static void
quoted(struct buf *b, const char *v)
{
	buf_addc(b, '"');
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			buf_addc(b, '\\');
		buf_addc(b, *v);
	}
	buf_addc(b, '"');
}

/* MariaDB's spelling of verify-full, in a group it alone reads. */
static void
mariadb_body(const struct conn *c, const char *eol, struct buf *b)
{
	if (strcmp(c->sslmode, "verify-full") == 0)
		buf_printf(b, "ssl-verify-server-cert%s", eol);
}

static void
mariadb_loose_body(const struct conn *c, const char *eol, struct buf *b)
{
	if (strcmp(c->sslmode, "verify-full") == 0)
		buf_printf(b, "loose-ssl-verify-server-cert%s", eol);
}

static void
group_body(const struct conn *c, const char *eol, struct buf *b)
{
	buf_adds(b, "user = ");
	quoted(b, c->user);
	buf_adds(b, eol);
	if (c->token != NULL) {
		buf_adds(b, "password = ");
		quoted(b, c->token);
		buf_adds(b, eol);
	}
	buf_adds(b, "host = ");
	quoted(b, conn_client_host(c));
	buf_printf(b, "%sport = %u%s", eol, c->port, eol);
	if (c->sslrootcert != NULL && strcmp(c->sslrootcert, "system") != 0) {
		buf_adds(b, "ssl-ca = ");
		quoted(b, c->sslrootcert);
		buf_adds(b, eol);
	}
	switch (c->mycnf_for) {
	case MYCNF_ORACLE:
		buf_printf(b, "ssl-mode = %s%s", mysql_ssl_mode(c->sslmode),
		    eol);
		break;
	case MYCNF_MARIADB:
		mariadb_body(c, eol, b);
		break;
	case MYCNF_BOTH:
		/* Only when asked: Oracle's client needs them, MariaDB's
		 * warns about them. */
		if (c->cleartext_option)
			buf_printf(b, "loose-ssl-mode = %s%s"
			    "loose-enable-cleartext-plugin%s",
			    mysql_ssl_mode(c->sslmode), eol, eol);
		break;
	}
}

/* The option name of a line, normalized, or "" for other lines. */
static void
option_name(const char *s, size_t n, struct buf *name)
{
	size_t i = 0;

	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i == n || s[i] == '#' || s[i] == ';' || s[i] == '[' ||
	    s[i] == '!')
		return;
	if (n - i > 6 && strncmp(s + i, "loose-", 6) == 0)
		i += 6;
	else if (n - i > 6 && strncmp(s + i, "loose_", 6) == 0)
		i += 6;
	for (; i < n && s[i] != '=' && !isspace((unsigned char)s[i]); i++)
		buf_addc(name, s[i] == '_' ? '-' : (char)tolower((unsigned
		    char)s[i]));
}

static int
is_owned(const char *s, size_t n, const char *const *keys)
{
	struct buf name = BUF_INIT;
	size_t i;
	int found = 0;

	option_name(s, n, &name);
	for (i = 0; keys[i] != NULL; i++)
		if (strcmp(buf_str(&name), keys[i]) == 0)
			found = 1;
	buf_free(&name);
	return found;
}

/* "[name]" with blanks allowed around it; NULL if not a header. */
static int
header(const char *s, size_t n, struct buf *name)
{
	size_t i = 0, j;

	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i == n || s[i] != '[')
		return 0;
	for (j = i + 1; j < n && s[j] != ']'; j++)
		;
	if (j == n)
		return 0;
	buf_add(name, s + i + 1, j - i - 1);
	return 1;
}

static void
database_body(const struct conn *c, const char *eol, struct buf *b)
{
	buf_adds(b, "database = ");
	quoted(b, c->database);
	buf_adds(b, eol);
}

/* Replaces (or removes) the keys of one group. */
static void
group_update(const char *text, size_t len, const char *group,
    const char *const *keys, void (*body)(const struct conn *, const char *,
    struct buf *), const struct conn *c, int remove, struct buf *out)
{
	const char *p = text, *end = text + len;
	const char *eol = file_eol(text, len);
	int in_group = 0, placed = remove;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		struct buf name = BUF_INIT;

		if (header(p, n, &name)) {
			in_group = strcmp(buf_str(&name), group) == 0;
			buf_add(out, p, n);
			if (nl == NULL)
				buf_adds(out, last_line_end(p, n, eol));
			if (in_group && !placed) {
				body(c, eol, out);
				placed = 1;
			}
		} else if (!(in_group && is_owned(p, n, keys))) {
			buf_add(out, p, n);
			if (nl == NULL && !placed)
				buf_adds(out, last_line_end(p, n, eol));
		}
		buf_free(&name);
		p += n;
	}
	if (!placed) {
		if (out->len > 0)
			buf_adds(out, eol);
		buf_printf(out, "[%s]%s", group, eol);
		body(c, eol, out);
	}
}

/* mysys reads a file line by line: no value may hold a line break. */
static int
check(const struct conn *c, const char *group, int remove, struct err *e)
{
	if (value_one_line("the group name", group, e) == -1 ||
	    value_one_line("the user", c->user, e) == -1 ||
	    value_one_line("the host", conn_client_host(c), e) == -1 ||
	    value_one_line("the database", c->database, e) == -1 ||
	    (!remove && (value_one_line("the token", c->token, e) == -1 ||
	    value_one_line("the CA bundle path", c->sslrootcert, e) == -1)))
		return -1;
	return 0;
}

/* The group MariaDB's clients alone read beside [client], for the key
 * only they know; NULL for any other group. */
static const char *
mariadb_group(const char *group)
{
	return strcmp(group, "client") == 0 ? "client-mariadb" : NULL;
}

int
mycnf_update(const char *text, size_t len, const struct conn *c,
    const char *group, int remove, struct buf *out, struct err *e)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	const char *mg = mariadb_group(group);

	if (check(c, group, remove, e) == -1)
		return -1;
	group_update(text, len, group, owned, group_body, c, remove, &a);
	/* MariaDB's key for a file both families read: in its group, or
	 * with the "loose-" prefix, which Oracle's clients warn about but
	 * do not refuse, where there is none. */
	if (c->mycnf_for == MYCNF_BOTH &&
	    (remove || strcmp(c->sslmode, "verify-full") == 0))
		group_update(buf_str(&a), a.len, mg ? mg : group,
		    owned_mariadb, mg ? mariadb_body : mariadb_loose_body, c,
		    remove, &b);
	else
		buf_add(&b, buf_str(&a), a.len);
	/* The database goes with the connection, or stays as the user had
	 * it; --remove takes out what iamdb would have written. */
	if (c->database == NULL && !remove)
		buf_add(out, buf_str(&b), b.len);
	else
		group_update(buf_str(&b), b.len, "mysql", owned_db,
		    database_body, c, remove, out);
	buf_free(&a);
	buf_free(&b);
	return 0;
}
