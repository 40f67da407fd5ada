/*
 * ~/.pgpass: hostname:port:database:username:password, with ':' and '\'
 * escaped by '\'. Every decision about a line is made the way libpq 15
 * reads it (fe-connect.c, passwordFromFile and pwdfMatchesString): the
 * first line whose four fields match wins; a field that is '*' and
 * nothing else matches anything, "\*" only a '*'; a '\' makes the next
 * character ordinary; lines that start with '#' and empty ones are
 * skipped; CRs and LFs at a line's end are not part of it. The password is
 * the rest of the line up to an unescaped ':'.
 *
 * iamdb's own line is one that libpq would take for exactly iamdb's host,
 * port, database (or '*') and user, and whose password is an IAM token
 * for that endpoint and user: a password the user wrote for the same
 * fields is theirs, and stays. iamdb's line goes where its old copy was,
 * or before the first line libpq would otherwise take for a connection it
 * is meant for; every other line stays byte for byte.
 */
#include <stdio.h>
#include <strings.h>
#include <string.h>

#include "formats.h"

static void
field(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == ':' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
}

static void
line_fields(const struct conn *c, const char *f[4], char port[8])
{
	snprintf(port, 8, "%u", c->port);
	f[0] = conn_client_host(c);
	f[1] = port;
	f[2] = c->database ? c->database : "*";
	f[3] = c->user;
}

/* libpq reads a file line by line: no field may hold a line break. */
static int
check(const struct conn *c, int remove, struct err *e)
{
	if (value_one_line("the host", conn_client_host(c), e) == -1 ||
	    value_one_line("the user", c->user, e) == -1 ||
	    value_one_line("the database", c->database, e) == -1 ||
	    (!remove && value_one_line("the token", c->token, e) == -1))
		return -1;
	return 0;
}

int
pgpass_line(const struct conn *c, struct buf *b, struct err *e)
{
	const char *f[4];
	char port[8];
	int i;

	if (check(c, 0, e) == -1)
		return -1;
	line_fields(c, f, port);
	for (i = 0; i < 4; i++) {
		field(b, f[i]);
		buf_addc(b, ':');
	}
	field(b, c->token);
	return 0;
}

/*
 * pwdfMatchesString: if the field at s[*at..n) matches token, moves *at
 * past its ':' and returns 1. wild: whether a field of "*" alone matches
 * anything. An unescaped ':' matches a ':' in the token, as in libpq.
 */
static int
field_match(const char *s, size_t n, size_t *at, const char *token, int wild)
{
	size_t i = *at, t = 0, tn = strlen(token);

	if (wild && n - i >= 2 && s[i] == '*' && s[i + 1] == ':') {
		*at = i + 2;
		return 1;
	}
	for (; i < n; i++, t++) {
		int escaped = s[i] == '\\';

		if (escaped && ++i == n)
			return 0;
		if (s[i] == ':' && !escaped && t == tn) {
			*at = i + 1;
			return 1;
		}
		if (t == tn || s[i] != token[t])
			return 0;
	}
	return 0;
}

/* Whether, for some non-empty database name, the database field at
 * s[at..n) matches it and the user field after it matches user. */
static int
any_database(const char *s, size_t n, size_t at, const char *user)
{
	size_t i, next = at + 2;

	if (n - at >= 2 && s[at] == '*' && s[at + 1] == ':' &&
	    field_match(s, n, &next, user, 1))
		return 1;
	/* The name may end at any unescaped ':' after its first character,
	 * since one in the name matches one in the field. */
	for (i = at; i < n; i++) {
		if (s[i] == '\\') {
			i++;
			continue;
		}
		next = i + 1;
		if (s[i] == ':' && i > at && field_match(s, n, &next, user, 1))
			return 1;
	}
	return 0;
}

/* The line as libpq compares it: without its CRs and LFs at the end; 0
 * for a comment or an empty line. */
static size_t
body(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return n > 0 && s[0] != '#' ? n : 0;
}

/* The password after the fields, de-escaped as libpq does. */
static void
password(const char *s, size_t n, struct buf *out)
{
	size_t i;

	buf_add(out, "", 0);
	for (i = 0; i < n && s[i] != ':'; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		buf_addc(out, s[i]);
	}
}

int
pgpass_match(const char *line, size_t len, const char *host,
    const char *port, const char *database, const char *user,
    struct buf *pw)
{
	const char *want[4] = { host, port, database, user };
	size_t n = body(line, len), at = 0;
	int i;

	if (n == 0)
		return 0;
	for (i = 0; i < 4; i++)
		if (!field_match(line, n, &at, want[i], 1))
			return 0;
	if (pw != NULL)
		password(line + at, n - at, pw);
	return 1;
}

/* Would libpq take this line for a connection iamdb's line is for? */
static int
covers(const char *s, size_t n, const struct conn *c)
{
	const char *want[4];
	char port[8];
	size_t at = 0;
	int i;

	line_fields(c, want, port);
	for (i = 0; i < 2; i++)
		if (!field_match(s, n, &at, want[i], 1))
			return 0;
	if (c->database == NULL)
		return any_database(s, n, at, c->user);
	return field_match(s, n, &at, want[2], 1) &&
	    field_match(s, n, &at, want[3], 1);
}

/* The line's fields are iamdb's own (a literal host, port and user; "*"
 * for any database) and its password an IAM token for the same endpoint
 * and user. */
static int
mine(const char *s, size_t n, const struct conn *c)
{
	struct dbtoken_info t;
	struct buf pw = BUF_INIT;
	const char *want[4];
	char port[8];
	size_t at = 0, db;
	int i, found = 0;

	line_fields(c, want, port);
	for (i = 0; i < 4; i++) {
		db = at;
		if (!field_match(s, n, &at, want[i], i == 2 &&
		    c->database == NULL))
			return 0;
		/* "*" itself, not an escaped "\*" */
		if (i == 2 && c->database == NULL && at - db != 2)
			return 0;
	}
	password(s + at, n - at, &pw);
	if (dbtoken_parse(buf_str(&pw), &t, NULL) == 0) {
		found = strcasecmp(t.host, c->host) == 0 &&
		    (t.port == c->port || t.port == 0) &&
		    (t.user == NULL || strcmp(t.user, c->user) == 0);
		dbtoken_info_free(&t);
	}
	buf_free(&pw);
	return found;
}

int
pgpass_update(const char *text, size_t len, const struct conn *c,
    int remove, struct buf *out, struct err *e)
{
	const char *p = text, *end = text + len, *nul;
	const char *eol = file_eol(text, len);
	struct buf line = BUF_INIT;
	int placed = remove;

	if (check(c, remove, e) == -1)
		return -1;
	/* libpq reads a line with a NUL in it together with the lines after
	 * it, in pieces that depend on its buffer's size: no line placed
	 * after one could be known to be read as iamdb's. */
	if ((nul = memchr(text, '\0', len)) != NULL) {
		size_t n = 1;

		for (p = text; p < nul; p++)
			n += *p == '\n';
		return err_set(e, ERR_CONFIG, "line %zu holds a NUL byte, after "
		    "which libpq misreads the lines that follow; iamdb leaves "
		    "the file alone until it is removed", n);
	}
	if (!placed && pgpass_line(c, &line, e) == -1)
		return -1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		size_t b = body(p, n);
		int own = b > 0 && mine(p, b, c);

		/* iamdb's line replaces its old self in place, or goes just
		 * before the first line that would hide it; copies of it
		 * further down are dropped. */
		if (!placed && (own || (b > 0 && covers(p, b, c)))) {
			buf_add(out, line.data, line.len);
			buf_adds(out, eol);
			placed = 1;
		}
		if (!own) {
			keep_line(out, p, n, !placed, eol);
		}
		p += n;
	}
	if (!placed) {
		buf_add(out, line.data, line.len);
		buf_adds(out, eol);
	}
	buf_free(&line);
	return 0;
}
