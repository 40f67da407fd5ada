/* iamdb render's templates: every filter with hostile values (quotes,
 * backslashes, line breaks, controls, the Unicode line separators,
 * invalid UTF-8), and every placeholder that is not one refused with its
 * line, the output left as it was. */
#include <string.h>
#include <time.h>

#include "formats/formats.h"
#include "tests/tap.h"

static struct conn a, b;
static const struct template_conn one[] = { { "1", &a } };
static const struct template_conn two[] = { { "app", &a }, { "2", &b } };

static void
setup(void)
{
	memset(&a, 0, sizeof(a));
	a.service = service_find("postgres");
	a.host = "[::1]";
	a.bare_host = "::1";
	a.port = 5432;
	a.user = "jane";
	a.database = "app";
	a.token = "h:5432/?Action=connect&DBUser=jane&X-Amz-Signature=ab";
	a.sslmode = "verify-full";
	a.sslrootcert = "/var/cache/iamdb/rds-ca.pem";
	a.expires_at = 1700000000;
	b = a;
	b.host = b.bare_host = "other.example";
	b.port = 3306;
	b.database = NULL;
}

/* The template rendered with conns; "(refused: MESSAGE)" if it is. */
static const char *
render(const char *t, const struct template_conn *c, size_t n)
{
	static struct buf out;
	struct err e;

	buf_free(&out);
	buf_adds(&out, "");
	if (template_render(t, strlen(t), c, n, &out, &e) == -1) {
		if (out.len != 0)
			return "(refused, but output left behind)";
		buf_printf(&out, "(refused: %s)", e.msg);
	}
	return buf_str(&out);
}

static void
test_fields_and_names(void)
{
	is(render("h={{host}} p={{ port }} u={{ user }} d={{database}} "
	    "ca={{ ca }} m={{ sslmode }} x={{ expires }}", one, 1),
	    "h=::1 p=5432 u=jane d=app ca=/var/cache/iamdb/rds-ca.pem "
	    "m=verify-full x=2023-11-14T22:13:20Z", "every field, bare with "
	    "one URL, with or without blanks; an IPv6 host without brackets, "
	    "the expiry in ISO 8601 UTC");
	is(render("{{ token }}", one, 1), a.token, "the token as it is");
	is(render("{{ app.port }} {{ 2.port }} {{2.host|url}}", two, 2),
	    "5432 3306 other.example", "with several URLs, by name or number");
	is(render("{{ port }}", two, 2), "(refused: line 1: 'port' of which "
	    "URL? with 2, write {{ NAME.port }})", "a bare field with two "
	    "URLs is refused");
	is(render("{{ 2.database }}", two, 2), "(refused: line 1: the URL "
	    "has no database)", "a field the URL lacks is refused, not empty");
	is(render("a\nb\n{{ nope.port }}", two, 2), "(refused: line 3: no "
	    "URL is named 'nope')", "an unknown name, with its line");
	is(render("x\n{{ tokn }}", one, 1), "(refused: line 2: unknown field "
	    "'tokn' (token, host, port, user, database, ca, sslmode, "
	    "expires))", "an unknown field");
	is(render("{{ token | jsn }}", one, 1), "(refused: line 1: unknown "
	    "filter 'jsn' (json, yaml, ini, shell, url))", "an unknown filter");
	is(render("{{ token | json | url }}", one, 1), "(refused: line 1: "
	    "'{{ token | json | url }}' is not a placeholder: {{ FIELD }}, "
	    "{{ FIELD | FILTER }} or {{ NAME.FIELD | FILTER }})",
	    "two filters");
	is(render("{{ }}", one, 1), "(refused: line 1: '{{ }}' is not a "
	    "placeholder: {{ FIELD }}, {{ FIELD | FILTER }} or "
	    "{{ NAME.FIELD | FILTER }})", "an empty placeholder");
	is(render("{{ token\n}}", one, 1), "(refused: line 1: '{{' without "
	    "'}}' on the same line (write a literal one as \\{{))", "a "
	    "placeholder across lines");
	is(render("{{ token", one, 1), "(refused: line 1: '{{' without '}}' "
	    "on the same line (write a literal one as \\{{))", "one never "
	    "closed");
	is(render("alert: \\{{ $labels }} }} {", one, 1), "alert: {{ $labels "
	    "}} }} {", "\\{{ is a literal {{, a lone }} or { is text");
	is(render("", one, 1), "", "an empty template is an empty file");
}

static void
filter(const char *f, const char *v, const char *want, const char *what)
{
	char t[64];

	a.user = v;
	snprintf(t, sizeof(t), "{{ user | %s }}", f);
	is(render(t, one, 1), want, "%s: %s", f, what);
	a.user = "jane";
}

static void
test_filters_with_hostile_values(void)
{
	filter("json", "a\"b\\c", "\"a\\\"b\\\\c\"", "quotes and backslashes");
	filter("json", "l1\nl2\r\t\x01\x7f", "\"l1\\u000al2\\u000d\\u0009"
	    "\\u0001\\u007f\"", "line breaks and controls as \\u");
	filter("json", "\xe2\x80\xa8\xe2\x80\xa9 \xc3\xa9", "\"\\u2028\\u2029 "
	    "\xc3\xa9\"", "U+2028 and U+2029 escaped, other UTF-8 kept");
	filter("json", "a\xff", "(refused: line 1: the user cannot be written "
	    "with json: it holds invalid UTF-8)", "invalid UTF-8 refused");
	filter("json", "\xc0\xaf", "(refused: line 1: the user cannot be "
	    "written with json: it holds invalid UTF-8)", "overlong refused");
	filter("yaml", "a\"b\\c: #d", "\"a\\\"b\\\\c: #d\"", "quotes, "
	    "backslashes, ': ' and '#' inside double quotes");
	filter("yaml", "l1\nl2\r\x1b", "\"l1\\x0al2\\x0d\\x1b\"", "line "
	    "breaks and controls as \\x");
	filter("yaml", "\xc2\x85\xe2\x80\xa8\xe2\x80\xa9", "\"\\N\\L\\P\"",
	    "NEL, LS, PS escaped");
	filter("yaml", "\xed\xa0\x80", "(refused: line 1: the user cannot be "
	    "written with yaml: it holds invalid UTF-8)", "a surrogate refused");
	filter("ini", "a;b#c=d e", "\"a;b#c=d e\"", "';' '#' '=' and blanks "
	    "kept inside double quotes");
	filter("ini", "a\"b", "(refused: line 1: the user cannot be written "
	    "with ini: it holds a quote, a backslash or a control character)",
	    "a quote refused");
	filter("ini", "a\\b", "(refused: line 1: the user cannot be written "
	    "with ini: it holds a quote, a backslash or a control character)",
	    "a backslash refused");
	filter("ini", "a\nb=c", "(refused: line 1: the user cannot be written "
	    "with ini: it holds a quote, a backslash or a control character)",
	    "a line break, which would start a key, refused");
	filter("shell", "it's $(rm -rf /) `x` \"y\"\nz", "'it'\\''s $(rm -rf /) "
	    "`x` \"y\"\nz'", "single quotes, '\\'' for a quote");
	filter("shell", "", "''", "the empty string is a word");
	filter("url", "a b/c?d=e&f%g#h+\xc3\xa9~-._", "a%20b%2Fc%3Fd%3De%26f%25"
	    "g%23h%2B%C3%A9~-._", "all but unreserved percent-encoded");
	filter("url", "\n\x01", "%0A%01", "controls too");
}

static void
test_no_filter_refuses_controls(void)
{
	a.user = "ja\nne";
	is(render("{{ user }}", one, 1), "(refused: line 1: the user holds a "
	    "control character: give a filter)", "a line break without a "
	    "filter is refused");
	a.user = "ja\x1b[2Jne";
	is(render("{{ user }}", one, 1), "(refused: line 1: the user holds a "
	    "control character: give a filter)", "so is an escape sequence");
	a.user = "jane";
}

int
main(void)
{
	setup();
	test_fields_and_names();
	test_filters_with_hostile_values();
	test_no_filter_refuses_controls();
	return tap_done();
}
