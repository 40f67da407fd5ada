/* vis: strings from peers and tokens, made safe for a terminal and a log
 * line. Hostile input: forged log lines, terminal escapes (7-bit and C1),
 * bidi overrides, invalid and overlong UTF-8, NULs, and the escape
 * character itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/vis.h"
#include "tests/tap.h"

/* vis of n bytes, as a string */
static const char *
v(const char *s, size_t n)
{
	static struct buf b = BUF_INIT;

	buf_reset(&b);
	vis_add(&b, s, n);
	return buf_str(&b);
}

#define V(lit)	v(lit, sizeof(lit) - 1)

static void
test_plain_text_is_unchanged(void)
{
	is(V("jane_doe-01 @ db.example.com:5432/app?x=1"),
	    "jane_doe-01 @ db.example.com:5432/app?x=1",
	    "printable ASCII, spaces included, is kept as it is");
	is(V("J\xc3\xbcrgen \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x91"),
	    "J\xc3\xbcrgen \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x91",
	    "valid UTF-8 (2, 3 and 4 bytes) is kept");
	is(V(""), "", "an empty string stays empty");
}

static void
test_forged_log_lines_and_escapes(void)
{
	is(V("jane\nFeb  2 iamdb verify: accepted: root"),
	    "jane\\nFeb  2 iamdb verify: accepted: root",
	    "a newline cannot start a forged log line");
	is(V("a\rb\tc\a\b\v\f"), "a\\rb\\tc\\a\\b\\v\\f",
	    "C's named escapes are used for CR, tab, BEL, BS, VT and FF");
	is(V("\x1b]0;owned\x07\x1b[2J"), "\\033]0;owned\\a\\033[2J",
	    "ESC (terminal title, clear screen) becomes \\033");
	is(V("x\x7fy\x01z\x1f"), "x\\177y\\001z\\037",
	    "DEL and the other control characters are three-digit octal");
	is(V("a\\nb\\"), "a\\\\nb\\\\",
	    "a backslash is doubled, so no output is ambiguous");
	is(V("a\0b"), "a\\000b", "a NUL byte inside the data is shown, not "
	    "a place where the string ends");
}

static void
test_c1_controls_and_bidi(void)
{
	is(V("\xc2\x9b" "2J"), "\\302\\2332J",
	    "U+009B (the C1 CSI, an escape to many terminals) is escaped");
	is(V("\xc2\x85"), "\\302\\205", "U+0085 (NEL, a line break) too");
	is(V("\xc2\xa0"), "\xc2\xa0", "U+00A0, printable, is kept");
	is(V("admin\xe2\x80\xae" "txt.exe"), "admin\\342\\200\\256txt.exe",
	    "a right-to-left override cannot reorder what is shown");
	is(V("\xe2\x80\xa8\xe2\x80\xa9"), "\\342\\200\\250\\342\\200\\251",
	    "the Unicode line and paragraph separators are escaped");
	is(V("\xe2\x81\xa6\xe2\x81\xa9\xe2\x80\x8f"),
	    "\\342\\201\\246\\342\\201\\251\\342\\200\\217",
	    "so are the bidi isolates and marks");
}

static void
test_invalid_utf8_is_escaped_bytewise(void)
{
	is(V("d\xff" "b"), "d\\377b", "a byte that never starts UTF-8");
	is(V("\xc3"), "\\303", "a sequence cut short at the end");
	is(V("\xc3(x"), "\\303(x", "a lead byte without its continuation");
	is(V("\x80\xbf"), "\\200\\277", "stray continuation bytes");
	is(V("\xc0\xaf"), "\\300\\257", "an overlong '/'");
	is(V("\xe0\x80\xaf"), "\\340\\200\\257", "a three-byte overlong");
	is(V("\xed\xa0\x80"), "\\355\\240\\200", "a UTF-16 surrogate");
	is(V("\xf4\x90\x80\x80"), "\\364\\220\\200\\200",
	    "a code point past U+10FFFF");
	is(V("\xf0\x9f\x94"), "\\360\\237\\224",
	    "four-byte sequence cut short");
}

static void
test_vis_str_and_long_input(void)
{
	char *s = vis_str("x\ny");
	struct buf b = BUF_INIT, in = BUF_INIT;
	size_t i;

	is(s, "x\\ny", "vis_str returns an escaped heap copy");
	free(s);
	s = vis_str(NULL);
	is(s, "(null)", "vis_str(NULL) says so rather than crash");
	free(s);
	for (i = 0; i < 100000; i++)
		buf_addc(&in, (char)(i % 256));
	vis_add(&b, in.data, in.len);
	ok(strlen(buf_str(&b)) == b.len && b.len > in.len &&
	    strspn(buf_str(&b), "\\0123456789 !\"#$%&'()*+,-./:;<=>?@"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~")
	    == b.len, "every byte value, 100 kB of it, comes out as "
	    "printable ASCII without a NUL");
	buf_free(&b);
	buf_free(&in);
}

int
main(void)
{
	test_plain_text_is_unchanged();
	test_forged_log_lines_and_escapes();
	test_c1_controls_and_bidi();
	test_invalid_utf8_is_escaped_bytewise();
	test_vis_str_and_long_input();
	return tap_done();
}
