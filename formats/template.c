/*
 * Templates for iamdb render: text in which {{ FIELD }}, {{ FIELD | FILTER }}
 * or, with several connections, {{ NAME.FIELD | FILTER }} stand for a
 * connection's fields, each escaped for the syntax it lands in. Every
 * placeholder, field and filter must be known: a typo is an error, never
 * an empty string in a configuration file. "\{{" is a literal "{{".
 *
 * The filters write a value whole in one syntax or refuse it:
 *   json   a JSON string, quotes included: '"' '\' and controls escaped,
 *          U+2028 and U+2029 too; refuses invalid UTF-8.
 *   yaml   a YAML double-quoted scalar: '"' '\' controls, U+0085, U+2028,
 *          U+2029 escaped; refuses invalid UTF-8.
 *   ini    "VALUE" in double quotes; refuses '"', '\', controls: INI
 *          dialects agree on no escapes, and a line break would start a
 *          key of its own.
 *   shell  one POSIX shell word in single quotes.
 *   url    percent-encoded, all but RFC 3986's unreserved characters.
 * Without a filter the value goes in as it is, and may hold no control
 * character.
 */
#include <stdio.h>
#include <string.h>

#include "../common/timeutil.h"
#include "../common/vis.h"
#include "formats.h"

#define MAX_PLACEHOLDER	128

static int
utf8_ok(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i, k;
	unsigned long cp;

	for (i = 0; i < n; i += k)
		if (u[i] < 0x80)
			k = 1;
		else if ((k = utf8_len(u + i, n - i, &cp)) == 0)
			return 0;
	return 1;
}

/* How a double-quoted string of JSON or YAML spells what it escapes:
 * control characters (\u00XX or \xXX), and the line breaks beyond ASCII
 * that readers would take for line ends (NEL, which JSON need not escape,
 * and LS, PS). */
struct quoting {
	int		 json;
	const char	*nel, *ls, *ps;
};

static const struct quoting json_quoting = {
	1, NULL, "\\u2028", "\\u2029"
};
static const struct quoting yaml_quoting = {
	0, "\\N", "\\L", "\\P"
};

static int
quoted(struct buf *b, const char *s, const struct quoting *q)
{
	const unsigned char *u = (const unsigned char *)s;

	if (!utf8_ok(s))
		return -1;
	buf_addc(b, '"');
	for (; *u; u++) {
		if (*u == '"' || *u == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)*u);
		} else if (*u < 0x20 || *u == 0x7f)
			buf_printf(b, q->json ? "\\u%04x" : "\\x%02x", *u);
		else if (q->nel != NULL && u[0] == 0xc2 && u[1] == 0x85) {
			buf_adds(b, q->nel);
			u++;
		} else if (u[0] == 0xe2 && u[1] == 0x80 &&
		    (u[2] == 0xa8 || u[2] == 0xa9)) {
			buf_adds(b, u[2] == 0xa8 ? q->ls : q->ps);
			u += 2;
		} else
			buf_addc(b, (char)*u);
	}
	buf_addc(b, '"');
	return 0;
}

static int
json(struct buf *b, const char *s)
{
	return quoted(b, s, &json_quoting);
}

static int
yaml(struct buf *b, const char *s)
{
	return quoted(b, s, &yaml_quoting);
}

static int
no_controls(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static int
ini(struct buf *b, const char *s)
{
	if (!no_controls(s) || strpbrk(s, "\"\\") != NULL)
		return -1;
	buf_addc(b, '"');
	buf_adds(b, s);
	buf_addc(b, '"');
	return 0;
}

static int
shell(struct buf *b, const char *s)
{
	sh_quote(b, s);
	return 0;
}

static int
url(struct buf *b, const char *s)
{
	for (; *s; s++)
		if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || strchr("-._~", *s) != NULL)
			buf_addc(b, *s);
		else
			buf_printf(b, "%%%02X", (unsigned char)*s);
	return 0;
}

static int
raw(struct buf *b, const char *s)
{
	if (!no_controls(s))
		return -1;
	buf_adds(b, s);
	return 0;
}

static const struct {
	const char	*name;
	int		(*write)(struct buf *, const char *);
	const char	*refuses;	/* for the message */
} filters[] = {
	{ "json", json, "invalid UTF-8" },
	{ "yaml", yaml, "invalid UTF-8" },
	{ "ini", ini, "a quote, a backslash or a control character" },
	{ "shell", shell, "" },
	{ "url", url, "" },
};

static const char *const fields[] = {
	"token", "host", "port", "user", "database", "ca", "sslmode",
	"expires", NULL
};

/* The field's value, in port or when; NULL if the connection has none. */
static const char *
value(const struct conn *c, const char *field, char port[8], char when[21])
{
	if (strcmp(field, "token") == 0)
		return c->token;
	if (strcmp(field, "host") == 0)
		return c->bare_host ? c->bare_host : c->host;
	if (strcmp(field, "port") == 0) {
		snprintf(port, 8, "%u", c->port);
		return port;
	}
	if (strcmp(field, "user") == 0)
		return c->user;
	if (strcmp(field, "database") == 0)
		return c->database;
	if (strcmp(field, "ca") == 0)
		return c->sslrootcert;
	if (strcmp(field, "sslmode") == 0)
		return c->sslmode;
	if (time_format_iso8601(c->expires_at, when) == -1)
		return NULL;
	return when;
}

/* s[0..n) without blanks at either end. */
static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

static int
word(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

/* One placeholder's inside, s[0..n), on line. */
static int
placeholder(const char *s, size_t n, size_t line,
    const struct template_conn *conns, size_t nconns, struct buf *out,
    struct err *e)
{
	const char *bar = memchr(s, '|', n), *dot, *f, *name = NULL;
	const struct conn *c = NULL;
	size_t fn, nn = 0, fl = 0, i;
	char field[32], port[8], when[21];
	const char *v, *filter = NULL;
	int k = -1;

	fn = bar ? (size_t)(bar - s) : n;
	f = s;
	trim(&f, &fn);
	if (bar != NULL) {
		filter = bar + 1;
		fl = n - (size_t)(filter - s);
		trim(&filter, &fl);
	}
	if ((dot = memchr(f, '.', fn)) != NULL) {
		name = f;
		nn = (size_t)(dot - f);
		fn -= nn + 1;
		f = dot + 1;
	}
	if (!word(f, fn) || (name != NULL && !word(name, nn)) ||
	    (filter != NULL && !word(filter, fl)))
		return err_set(e, ERR_CONFIG, "line %zu: '{{%.*s}}' is not a "
		    "placeholder: {{ FIELD }}, {{ FIELD | FILTER }} or "
		    "{{ NAME.FIELD | FILTER }}", line, (int)n, s);
	for (i = 0; fields[i] != NULL; i++)
		if (strlen(fields[i]) == fn && memcmp(fields[i], f, fn) == 0)
			break;
	if (fields[i] == NULL)
		return err_set(e, ERR_CONFIG, "line %zu: unknown field '%.*s' "
		    "(token, host, port, user, database, ca, sslmode, "
		    "expires)", line, (int)fn, f);
	snprintf(field, sizeof(field), "%s", fields[i]);
	if (name == NULL) {
		if (nconns != 1)
			return err_set(e, ERR_CONFIG, "line %zu: '%s' of which "
			    "URL? with %zu, write {{ NAME.%s }}", line, field,
			    nconns, field);
		c = conns[0].conn;
	} else {
		for (i = 0; i < nconns; i++)
			if (strlen(conns[i].name) == nn &&
			    memcmp(conns[i].name, name, nn) == 0)
				c = conns[i].conn;
		if (c == NULL)
			return err_set(e, ERR_CONFIG, "line %zu: no URL is "
			    "named '%.*s'", line, (int)nn, name);
	}
	if (filter != NULL) {
		for (i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
			if (strlen(filters[i].name) == fl &&
			    memcmp(filters[i].name, filter, fl) == 0)
				k = (int)i;
		if (k == -1)
			return err_set(e, ERR_CONFIG, "line %zu: unknown filter "
			    "'%.*s' (json, yaml, ini, shell, url)", line,
			    (int)fl, filter);
	}
	if ((v = value(c, field, port, when)) == NULL)
		return err_set(e, ERR_CONFIG, "line %zu: the URL has no %s",
		    line, field);
	if (k == -1 ? raw(out, v) : filters[k].write(out, v)) {
		if (k == -1)
			return err_set(e, ERR_CONFIG, "line %zu: the %s holds a "
			    "control character: give a filter", line, field);
		return err_set(e, ERR_CONFIG, "line %zu: the %s cannot be "
		    "written with %s: it holds %s", line, field,
		    filters[k].name, filters[k].refuses);
	}
	return 0;
}

int
template_render(const char *text, size_t len,
    const struct template_conn *conns, size_t nconns, struct buf *out,
    struct err *e)
{
	const char *p = text, *end = text + len, *open, *close;
	size_t line = 1, start = out->len;

	while (p < end) {
		const char *q;

		for (open = p; open + 1 < end; open++)
			if (open[0] == '{' && open[1] == '{')
				break;
		if (open + 1 >= end) {
			buf_add(out, p, (size_t)(end - p));
			break;
		}
		for (q = p; q < open; q++)
			line += *q == '\n';
		if (open > p && open[-1] == '\\') {
			buf_add(out, p, (size_t)(open - 1 - p));
			buf_adds(out, "{{");
			p = open + 2;
			continue;
		}
		buf_add(out, p, (size_t)(open - p));
		for (close = open + 2; close + 1 < end; close++)
			if ((close[0] == '}' && close[1] == '}') ||
			    *close == '\n' || (size_t)(close - open) >
			    MAX_PLACEHOLDER)
				break;
		if (close + 1 >= end || close[0] != '}' || close[1] != '}') {
			err_set(e, ERR_CONFIG, "line %zu: '{{' without '}}' on "
			    "the same line (write a literal one as \\{{)",
			    line);
			goto fail;
		}
		if (placeholder(open + 2, (size_t)(close - open - 2), line,
		    conns, nconns, out, e) == -1)
			goto fail;
		p = close + 2;
	}
	return 0;
fail:
	/* Nothing of a half-made file is kept, tokens least of all. */
	if (out->data != NULL) {
		wipe(out->data + start, out->len - start);
		out->data[start] = '\0';
	}
	out->len = start;
	return -1;
}
