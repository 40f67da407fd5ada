/*
 * ~/.pgpass: hostname:port:database:username:password, with ':' and '\'
 * escaped by '\'; libpq takes the first line that matches, '*' matching
 * anything. iamdb's line goes where its old copy was, or before the first
 * line that would otherwise match a connection it is for; every other line
 * stays byte for byte.
 */
#include <stdio.h>
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
	f[0] = c->host;
	f[1] = port;
	f[2] = c->database ? c->database : "*";
	f[3] = c->user;
}

/* libpq reads a file line by line: no field may hold a line break. */
static int
check(const struct conn *c, int remove, struct err *e)
{
	if (value_one_line("the host", c->host, e) == -1 ||
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

/* Splits one line (without its end) into its first four fields,
 * unescaped; 0 if it is a comment or has fewer than five fields. */
static int
parse(const char *s, size_t n, struct buf f[4])
{
	size_t i;
	int k = 0;

	if (n == 0 || s[0] == '#')
		return 0;
	for (i = 0; i < n && k < 4; i++) {
		if (s[i] == '\\' && i + 1 < n)
			buf_addc(&f[k], s[++i]);
		else if (s[i] == ':') {
			k++;
			if (k < 4)
				buf_add(&f[k], "", 0);
		} else
			buf_addc(&f[k], s[i]);
	}
	return k == 4;
}

struct line {
	const char	*start;
	size_t		 len;		/* with its line end */
	size_t		 body;		/* without it */
	int		 exact;		/* the same host:port:db:user */
	int		 covers;	/* libpq would take it for a connection
					   iamdb's line is meant for */
};

/* A line covers iamdb's when each field is the same or '*' on either
 * side: iamdb writes '*' for "any database", so a line for one database
 * of the same host and user would hide iamdb's line for that database. */
static void
classify(struct line *l, const struct conn *c)
{
	struct buf f[4] = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT };
	const char *want[4];
	char port[8];
	int i;

	line_fields(c, want, port);
	l->exact = l->covers = 0;
	if (parse(l->start, l->body, f)) {
		l->exact = l->covers = 1;
		for (i = 0; i < 4; i++) {
			const char *got = buf_str(&f[i]);

			if (strcmp(got, want[i]) != 0)
				l->exact = 0;
			if (strcmp(got, want[i]) != 0 && strcmp(got, "*") != 0 &&
			    strcmp(want[i], "*") != 0)
				l->covers = 0;
		}
	}
	for (i = 0; i < 4; i++)
		buf_free(&f[i]);
}

int
pgpass_update(const char *text, size_t len, const struct conn *c,
    int remove, struct buf *out, struct err *e)
{
	const char *p = text, *end = text + len;
	const char *first = memchr(text, '\n', len);
	const char *eol = "\n";
	int placed = remove;

	if (check(c, remove, e) == -1)
		return -1;
	/* A file written with CRLF gets CRLF from iamdb too. */
	if (first != NULL && first > text && first[-1] == '\r')
		eol = "\r\n";
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct line l;

		l.start = p;
		l.len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		l.body = nl ? (size_t)(nl - p) : l.len;
		if (l.body > 0 && p[l.body - 1] == '\r')
			l.body--;
		p += l.len;
		classify(&l, c);
		/* iamdb's line replaces its old self in place, or goes just
		 * before the first line that would hide it; copies of it
		 * further down are dropped. */
		if (l.covers && !placed) {
			pgpass_line(c, out, e);
			buf_adds(out, eol);
			placed = 1;
			if (l.exact)
				continue;
		} else if (l.exact)
			continue;
		buf_add(out, l.start, l.len);
		if (nl == NULL && !placed)
			buf_adds(out, eol);
	}
	if (!placed) {
		pgpass_line(c, out, e);
		buf_adds(out, eol);
	}
	return 0;
}
