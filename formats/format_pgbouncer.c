/*
 * pgbouncer's auth_file: lines `"USER" "PASSWORD" ...`, each field in
 * double quotes with a '"' inside written '""'; lines that start with ';'
 * are comments (src/loader.c, load_auth_file). A forced server user
 * without password= in [databases] logs in to the server with the
 * password on its user's line, the line iamdb keeps: the first line for
 * the user is replaced in place, later ones (which would win on reload)
 * are dropped, and every other line stays byte for byte.
 *
 * pgbouncer takes a user of at most 127 bytes and a password of at most
 * 2047 as written, a '""' counting two (MAX_USERNAME, MAX_PASSWORD of 1.17
 * to 1.25); a longer field ends the load there, losing every user after
 * it, so such a line is never written.
 */
#include <string.h>

#include "formats.h"

static void
quoted(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_addc(b, '"');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

/* The field as written, quotes doubled, without the outer quotes. */
static size_t
written_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '"' ? 2 : 1;
	return n;
}

int
pgbouncer_line(const struct conn *c, struct buf *b, struct err *e)
{
	if (value_one_line("the user", c->user, e) == -1 ||
	    value_one_line("the token", c->token, e) == -1)
		return -1;
	if (written_len(c->user) > PGBOUNCER_MAX_USER)
		return err_set(e, ERR_USAGE, "the user name is %zu bytes in "
		    "the auth_file; pgbouncer takes at most %d", written_len(
		    c->user), PGBOUNCER_MAX_USER);
	if (written_len(c->token) > PGBOUNCER_MAX_PASSWORD)
		return err_set(e, ERR_CONFIG, "the token is %zu bytes; "
		    "pgbouncer (1.17 to 1.25) takes at most %d and drops every "
		    "line after a longer one", written_len(c->token),
		    PGBOUNCER_MAX_PASSWORD);
	quoted(b, c->user);
	buf_addc(b, ' ');
	quoted(b, c->token);
	return 0;
}

/* Whether the line is one for user: `"user"` after any blanks. */
static int
for_user(const char *s, size_t n, const char *user)
{
	size_t i = 0, u = 0, un = strlen(user);

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n || s[i++] != '"')
		return 0;
	for (; i < n; i++, u++) {
		if (s[i] == '"') {
			if (i + 1 < n && s[i + 1] == '"')
				i++;
			else
				return u == un;
		}
		if (u == un || s[i] != user[u])
			return 0;
	}
	return 0;
}

int
pgbouncer_update(const char *text, size_t len, const struct conn *c,
    int remove, struct buf *out, struct err *e)
{
	const char *p = text, *end = text + len;
	const char *eol = file_eol(text, len);
	struct buf line = BUF_INIT;
	int placed = remove;

	if (memchr(text, '\0', len) != NULL)
		return err_set(e, ERR_CONFIG, "it holds a NUL byte, where "
		    "pgbouncer stops reading; iamdb leaves it alone");
	if (value_one_line("the user", c->user, e) == -1 ||
	    (!remove && pgbouncer_line(c, &line, e) == -1)) {
		buf_free(&line);
		return -1;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

		if (for_user(p, n, c->user)) {
			if (!placed) {
				buf_add(out, line.data, line.len);
				buf_adds(out, eol);
				placed = 1;
			}
		} else {
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
