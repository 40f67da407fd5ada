/*
 * MySQL option files (~/.my.cnf). What iamdb writes is one block of its
 * own, between the comment lines "# BEGIN iamdb" and "# END iamdb",
 * holding whole groups: it is replaced on each update and taken out by
 * --remove, and nothing outside it is ever changed. The clients (mysys)
 * read every group of a name in file order, a later value winning, so a
 * block at the end serves the group; where the user's own lines of that
 * group already set a key iamdb would write (their user and password,
 * their host), iamdb refuses rather than override them, and says how to
 * give it a group of its own ([client_iamdb], read by clients run with
 * --defaults-group-suffix=_iamdb).
 *
 * Oracle's and MariaDB's clients share user, password, host, port and
 * ssl-ca but spell verification apart (ssl-mode=VERIFY_IDENTITY;
 * ssl-verify-server-cert), and each warns about the other's spelling on
 * every run, "loose-" or not. So a file written for one family has that
 * family's spelling alone; a file for both (iamdb mycnf) puts MariaDB's
 * into [client-mariadb], a group only MariaDB's clients read, and
 * Oracle's only on request (--cleartext-plugin, which Oracle's client
 * needs). The database goes in [mysql], which only the mysql/mariadb
 * client reads: in [client], mysqldump would take "database" for its
 * --databases.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "formats.h"

#define MARK_BEGIN	"# BEGIN iamdb"
#define MARK_END	"# END iamdb"

/* The keys iamdb writes in the connection's group, compared as mysys
 * compares them: '_' as '-', without "loose-", and with the prefixes that
 * turn a flag off or on (skip-ssl-verify-server-cert). A user's own line
 * for any of them in that group is refused, not overridden. */
static const char *const owned[] = {
	"user", "password", "host", "port", "ssl-ca", "ssl-mode",
	"ssl-verify-server-cert", "enable-cleartext-plugin", NULL
};
static const char *const owned_db[] = { "database", NULL };
static const char *const owned_mariadb[] = { "ssl-verify-server-cert", NULL };

/* The groups one update writes: the connection's, MariaDB's own (when
 * there is one to write), and the database's. */
struct plan {
	const struct conn	*c;
	const char		*eol;
	char			 group[256];
	char			 mariadb[256];	/* "" if none */
	char			 db[256];	/* "" if none */
	int			 loose_here;	/* MariaDB's key in group */
};

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
key_value(struct buf *b, const char *key, const char *v, const char *eol)
{
	buf_printf(b, "%s = ", key);
	quoted(b, v);
	buf_adds(b, eol);
}

static void
group_body(const struct plan *p, struct buf *b)
{
	const struct conn *c = p->c;
	const char *eol = p->eol;
	int full = strcmp(c->sslmode, "verify-full") == 0;

	key_value(b, "user", c->user, eol);
	if (c->token != NULL)
		key_value(b, "password", c->token, eol);
	key_value(b, "host", conn_client_host(c), eol);
	buf_printf(b, "port = %u%s", c->port, eol);
	if (c->sslrootcert != NULL && strcmp(c->sslrootcert, "system") != 0)
		key_value(b, "ssl-ca", c->sslrootcert, eol);
	switch (c->mycnf_for) {
	case MYCNF_ORACLE:
		buf_printf(b, "ssl-mode = %s%s", mysql_ssl_mode(c->sslmode),
		    eol);
		break;
	case MYCNF_MARIADB:
		if (full)
			buf_printf(b, "ssl-verify-server-cert%s", eol);
		break;
	case MYCNF_BOTH:
		/* Only when asked: Oracle's client needs them, MariaDB's
		 * warns about them. */
		if (c->cleartext_option)
			buf_printf(b, "loose-ssl-mode = %s%s"
			    "loose-enable-cleartext-plugin%s",
			    mysql_ssl_mode(c->sslmode), eol, eol);
		/* Where no group of MariaDB's own goes with this one, its
		 * key with "loose-", which Oracle's clients warn about but
		 * do not refuse. */
		if (full && p->loose_here)
			buf_printf(b, "loose-ssl-verify-server-cert%s", eol);
		break;
	}
}

/* The whole block, markers and group headers included. */
static void
block(const struct plan *p, struct buf *b)
{
	const char *eol = p->eol;

	buf_printf(b, "%s (written by iamdb mycnf, which replaces it on every "
	    "update: edit outside it)%s[%s]%s", MARK_BEGIN, eol, p->group,
	    eol);
	group_body(p, b);
	if (p->mariadb[0] != '\0')
		buf_printf(b, "[%s]%sssl-verify-server-cert%s", p->mariadb,
		    eol, eol);
	if (p->db[0] != '\0') {
		buf_printf(b, "[%s]%s", p->db, eol);
		key_value(b, "database", p->c->database, eol);
	}
	buf_printf(b, "%s%s", MARK_END, eol);
}

/* Without the blanks mysys skips: the line's first character, or NULL
 * for a blank line. */
static const char *
first(const char *s, size_t n, size_t *rest)
{
	size_t i = 0;

	while (i < n && isspace((unsigned char)s[i]))
		i++;
	*rest = n - i;
	return i < n ? s + i : NULL;
}

/* A marker line: the marker, then nothing or a blank and anything. */
static int
is_mark(const char *s, size_t n, const char *mark)
{
	size_t rest, m = strlen(mark);

	s = first(s, n, &rest);
	return s != NULL && rest >= m && memcmp(s, mark, m) == 0 &&
	    (rest == m || isspace((unsigned char)s[m]));
}

/* A group header as mysys reads one: '[' after blanks, the name up to the
 * first ']' with the blanks before it dropped (not those after '[');
 * anything after ']' is ignored. */
static int
header(const char *s, size_t n, struct buf *name)
{
	const char *close;
	size_t rest;

	if ((s = first(s, n, &rest)) == NULL || *s != '[' ||
	    (close = memchr(s, ']', rest)) == NULL)
		return 0;
	while (close > s + 1 && isspace((unsigned char)close[-1]))
		close--;
	buf_reset(name);
	buf_add(name, s + 1, (size_t)(close - s - 1));
	return 1;
}

/* mysys compares group names without regard to case. */
static int
same_group(const struct buf *name, const char *group)
{
	return group[0] != '\0' && strcasecmp(buf_str(name), group) == 0;
}

/* The option a line sets, normalized: lower case, '_' as '-', without
 * "loose-"; "" for comments, headers, directives and blank lines. */
static void
option_name(const char *s, size_t n, struct buf *name)
{
	size_t rest, i = 0;

	buf_reset(name);
	if ((s = first(s, n, &rest)) == NULL || *s == '#' || *s == ';' ||
	    *s == '[' || *s == '!')
		return;
	if (rest > 6 && strncasecmp(s, "loose", 5) == 0 &&
	    (s[5] == '-' || s[5] == '_'))
		i = 6;
	for (; i < rest && s[i] != '=' && !isspace((unsigned char)s[i]); i++)
		buf_addc(name, s[i] == '_' ? '-' : (char)tolower((unsigned
		    char)s[i]));
}

/* Is the option one of keys, as written or as a flag turned off or on? */
static int
sets_key(const char *name, const char *const *keys)
{
	static const char *const prefix[] = {
		"", "skip-", "disable-", "enable-", NULL
	};
	size_t i, k;

	for (i = 0; prefix[i] != NULL; i++) {
		size_t n = strlen(prefix[i]);

		if (strncmp(name, prefix[i], n) != 0)
			continue;
		for (k = 0; keys[k] != NULL; k++)
			if (strcmp(name + n, keys[k]) == 0)
				return 1;
	}
	return 0;
}

/* The length of the line at p, its line end included. */
static size_t
line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
}

/*
 * Reads the file as mysys would, for the update of p: every line in an
 * iamdb block or not; a key of the user's that the update would override
 * is refused (with its line), and so is a block without its end.
 */
static int
survey(const char *text, size_t len, const struct plan *p, int remove,
    struct err *e)
{
	const char *s = text, *end = text + len;
	struct buf cur = BUF_INIT, name = BUF_INIT;
	unsigned line = 0, begin = 0;
	int rc = 0, after = 0;

	for (; s < end && rc == 0; s += line_len(s, end)) {
		size_t n = line_len(s, end);

		line++;
		if (is_mark(s, n, MARK_BEGIN)) {
			if (begin != 0)
				break;
			begin = line;
			continue;
		}
		if (begin != 0 && is_mark(s, n, MARK_END)) {
			begin = 0;
			after = 1;
			continue;
		}
		if (header(s, n, &name)) {
			buf_reset(&cur);
			buf_add(&cur, buf_str(&name), name.len);
			after = 0;
			continue;
		}
		if (begin != 0)
			continue;
		option_name(s, n, &name);
		if (name.len == 0)
			continue;
		/* It is in the last group of iamdb's block, which an update
		 * or removal would change under it. */
		if (after) {
			rc = err_set(e, ERR_CONFIG, "line %u: an option right "
			    "after iamdb's block, in its group [%s]; put a "
			    "group header before it", line, buf_str(&cur));
			break;
		}
		if (remove)
			continue;
		if ((same_group(&cur, p->group) && sets_key(buf_str(&name),
		    owned)) || (same_group(&cur, p->mariadb) &&
		    sets_key(buf_str(&name), owned_mariadb)) ||
		    (same_group(&cur, p->db) && sets_key(buf_str(&name),
		    owned_db)))
			rc = err_set(e, ERR_CONFIG, "line %u: [%s] already "
			    "sets %s, which iamdb did not write and will not "
			    "override; leave it and give iamdb a group of its "
			    "own: iamdb mycnf --group client_iamdb, read by "
			    "clients run with --defaults-group-suffix=_iamdb",
			    line, buf_str(&cur), buf_str(&name));
	}
	if (rc == 0 && begin != 0)
		rc = err_set(e, ERR_CONFIG, "line %u: \"%s\" without \"%s\" "
		    "after it; mend the file by hand", begin, MARK_BEGIN,
		    MARK_END);
	buf_free(&cur);
	buf_free(&name);
	return rc;
}

/* A group name that mysys reads back as written and that compares as it
 * compares: printable ASCII (its case folding is Latin-1's), no brackets,
 * no blank at either end (it drops those before ']'). */
int
group_name_ok(const char *g, struct err *e)
{
	size_t i, n = strlen(g);

	if (n == 0 || n > 200 || g[0] == ' ' || g[n - 1] == ' ')
		return err_set(e, ERR_USAGE, "the group name must be 1 to 200 "
		    "characters with no blank at either end");
	for (i = 0; i < n; i++)
		if (g[i] < ' ' || g[i] > '~' || g[i] == '[' || g[i] == ']')
			return err_set(e, ERR_USAGE, "the group name may hold "
			    "only printable ASCII characters other than '[' "
			    "and ']'");
	return 0;
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
	return group_name_ok(group, e);
}

/*
 * Which groups an update writes. [client] and [client_SUFFIX] (read with
 * --defaults-group-suffix=_SUFFIX) have MariaDB's group beside them,
 * [client-mariadb] or [client-mariadb_SUFFIX], and the database's,
 * [mysql] or [mysql_SUFFIX]; any other group has MariaDB's key in it
 * with "loose-", and the database in [mysql].
 */
static void
plan_for(const struct conn *c, const char *group, const char *eol,
    struct plan *p)
{
	const char *suffix = NULL;

	memset(p, 0, sizeof(*p));
	p->c = c;
	p->eol = eol;
	snprintf(p->group, sizeof(p->group), "%s", group);
	if (strcasecmp(group, "client") == 0 ||
	    (strncasecmp(group, "client_", 7) == 0 && group[7] != '\0'))
		suffix = group + 6;
	/* (--remove has no TLS settings: it needs only the group.) */
	if (c->mycnf_for == MYCNF_BOTH && c->sslmode != NULL &&
	    strcmp(c->sslmode, "verify-full") == 0) {
		if (suffix != NULL)
			snprintf(p->mariadb, sizeof(p->mariadb),
			    "client-mariadb%s", suffix);
		else
			p->loose_here = 1;
	}
	if (c->database != NULL)
		snprintf(p->db, sizeof(p->db), "mysql%s", suffix ? suffix : "");
}

int
mycnf_update(const char *text, size_t len, const struct conn *c,
    const char *group, int remove, struct buf *out, struct err *e)
{
	const char *s = text, *end = text + len;
	struct buf name = BUF_INIT;
	struct plan p;
	int placed = remove, in_block = 0;

	if (check(c, group, remove, e) == -1)
		return -1;
	plan_for(c, group, file_eol(text, len), &p);
	if (survey(text, len, &p, remove, e) == -1)
		return -1;
	while (s < end) {
		size_t n = line_len(s, end);
		const char *next = s + n;

		/* A block of this group: the first is replaced by the new
		 * one (or, with remove, taken out), any later one dropped. */
		if (!in_block && is_mark(s, n, MARK_BEGIN) && next < end &&
		    header(next, line_len(next, end), &name) &&
		    same_group(&name, p.group)) {
			in_block = 1;
			if (!placed)
				block(&p, out);
			placed = 1;
		} else if (in_block) {
			if (is_mark(s, n, MARK_END))
				in_block = 0;
		} else {
			keep_line(out, s, n, !placed, p.eol);
		}
		s = next;
	}
	if (!placed)
		block(&p, out);
	buf_free(&name);
	return 0;
}
