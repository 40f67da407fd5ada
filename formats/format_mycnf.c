/*
 * MySQL option files (~/.my.cnf): iamdb owns a few keys of one group
 * ([client] by default) and leaves every other line alone. Options that
 * only one of MySQL and MariaDB knows are written with the "loose-" prefix,
 * which both read and neither rejects, so one file serves both clients.
 * enable-cleartext-plugin is left out: MariaDB's client answers it with a
 * warning on standard output, ahead of every query's result, and MySQL's
 * clients take LIBMYSQL_ENABLE_CLEARTEXT_PLUGIN=1 (exec sets it) instead.
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

static void
group_body(const struct conn *c, const char *eol, struct buf *b)
{
	buf_adds(b, "user = ");
	quoted(b, c->user);
	buf_printf(b, "%spassword = ", eol);
	quoted(b, c->token);
	buf_printf(b, "%shost = ", eol);
	quoted(b, c->host);
	buf_printf(b, "%sport = %u%s", eol, c->port, eol);
	if (c->sslrootcert != NULL && strcmp(c->sslrootcert, "system") != 0) {
		buf_adds(b, "ssl-ca = ");
		quoted(b, c->sslrootcert);
		buf_adds(b, eol);
	}
	buf_printf(b, "loose-ssl-mode = %s%s", mysql_ssl_mode(c->sslmode),
	    eol);
	/* Only when asked: Oracle's client needs it, MariaDB's prints a
	 * warning about it on standard output. */
	if (c->cleartext_option)
		buf_printf(b, "loose-enable-cleartext-plugin%s", eol);
	if (strcmp(c->sslmode, "verify-full") == 0)
		buf_printf(b, "loose-ssl-verify-server-cert%s", eol);
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
	const char *first = memchr(text, '\n', len);
	const char *eol = first != NULL && first > text && first[-1] == '\r' ?
	    "\r\n" : "\n";
	int in_group = 0, placed = remove;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		struct buf name = BUF_INIT;

		if (header(p, n, &name)) {
			in_group = strcmp(buf_str(&name), group) == 0;
			buf_add(out, p, n);
			if (nl == NULL)
				buf_adds(out, eol);
			if (in_group && !placed) {
				body(c, eol, out);
				placed = 1;
			}
		} else if (!(in_group && is_owned(p, n, keys))) {
			buf_add(out, p, n);
			if (nl == NULL && !placed)
				buf_adds(out, eol);
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
	    value_one_line("the host", c->host, e) == -1 ||
	    value_one_line("the database", c->database, e) == -1 ||
	    (!remove && (value_one_line("the token", c->token, e) == -1 ||
	    value_one_line("the CA bundle path", c->sslrootcert, e) == -1)))
		return -1;
	return 0;
}

int
mycnf_update(const char *text, size_t len, const struct conn *c,
    const char *group, int remove, struct buf *out, struct err *e)
{
	struct buf mid = BUF_INIT;

	if (check(c, group, remove, e) == -1)
		return -1;

	/* The database goes with the connection, or stays as the user had
	 * it; --remove takes out what iamdb would have written. */
	if (c->database == NULL && !remove) {
		group_update(text, len, group, owned, group_body, c, 0, out);
		return 0;
	}
	group_update(text, len, group, owned, group_body, c, remove, &mid);
	group_update(buf_str(&mid), mid.len, "mysql", owned_db, database_body,
	    c, remove, out);
	buf_free(&mid);
	return 0;
}
