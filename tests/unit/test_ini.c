/* The shared config parser reads what botocore reads and rejects, with
 * file:line, what botocore rejects. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "providers/ini.h"
#include "tests/tap.h"

static int
parse(struct ini *ini, const char *text, struct err *e)
{
	memset(e, 0, sizeof(*e));
	return ini_parse(ini, "cfg", text, strlen(text), e);
}

static void
test_basic_sections_and_keys(void)
{
	struct ini ini;
	struct err e;

	ok(parse(&ini, "[default]\naws_access_key_id = AKID\n"
	    "aws_secret_access_key=SECRET\n\n[profile dev]\nregion = eu-west-1\n",
	    &e) == 0, "plain file parses");
	is(ini_get(&ini, "default", "aws_access_key_id"), "AKID",
	    "key with spaces around '='");
	is(ini_get(&ini, "default", "aws_secret_access_key"), "SECRET",
	    "key without spaces");
	is(ini_get(&ini, "profile dev", "region"), "eu-west-1",
	    "[profile dev] section");
	ok(ini_get(&ini, "dev", "region") == NULL,
	    "[profile dev] is not [dev]");
	ini_free(&ini);
}

static void
test_comments_and_whitespace(void)
{
	struct ini ini;
	struct err e;

	ok(parse(&ini, "# comment\n; another\n  # indented comment\n"
	    "[default]\r\n\tregion = us-east-1  \r\nkey: value : with colon\r\n"
	    "url = https://x?a=b#frag\n", &e) == 0,
	    "comments, CRLF and tabs parse");
	is(ini_get(&ini, "default", "region"), "us-east-1",
	    "CR and trailing blanks are trimmed");
	is(ini_get(&ini, "default", "key"), "value : with colon",
	    "':' is a delimiter, the first one wins");
	is(ini_get(&ini, "default", "url"), "https://x?a=b#frag",
	    "'#' inside a value is not a comment, as in botocore");
	ini_free(&ini);
}

static void
test_text_that_is_not_utf8_is_refused(void)
{
	static const char *const bad[] = {
		"[a]\nk = caf\xe9\n",		/* Latin-1 */
		"[a]\nk = \xc0\xaf\n",		/* overlong '/' */
		"[a]\nk = \xed\xa0\x80\n",		/* a surrogate */
		"[a]\nk = \xf4\x90\x80\x80\n",	/* above U+10FFFF */
		"[a]\nk = \xe2\x82\n",		/* cut short */
		"[a]\n# \xff in a comment\n",
	};
	struct ini ini;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ok(parse(&ini, bad[i], &e) == -1 && e.kind == ERR_CONFIG,
		    "invalid UTF-8 %zu is refused, as botocore refuses the file",
		    i);
		is(e.msg, "cfg:2: not UTF-8 text", "message for %zu", i);
	}
	ok(parse(&ini, "\xef\xbb\xbf[a]\nk = v\n", &e) == -1,
	    "a byte order mark is refused (botocore reads it as text)");
	is(e.msg, "cfg:1: starts with a byte order mark", "and named");
	ok(parse(&ini, "[caf\xc3\xa9]\nk = \xe2\x82\xac \xf0\x9f\x94\x91\n",
	    &e) == 0, "UTF-8 in names and values parses");
	is(ini_get(&ini, "caf\xc3\xa9", "k"), "\xe2\x82\xac \xf0\x9f\x94\x91",
	    "and is kept");
	ini_free(&ini);
}

static void
test_unicode_white_space_is_stripped_as_python_strips(void)
{
	struct ini ini;
	struct err e;

	ok(parse(&ini, "[a]\nregion = us-east-1\xc2\xa0\n"
	    "k\xe2\x80\x83=\xe2\x80\xafv\x1f\xe3\x80\x80\n"
	    "x = 1\n\xc2\x85  # nel then a comment\n"
	    "y = 2\n\xc2\xa0more\n", &e) == 0,
	    "a file with no-break and other Unicode spaces parses");
	is(ini_get(&ini, "a", "region"), "us-east-1",
	    "a trailing no-break space is stripped");
	is(ini_get(&ini, "a", "k"), "v",
	    "so are ideographic, em and narrow spaces and U+001F");
	is(ini_get(&ini, "a", "x"), "1", "a line with U+0085 and a comment is one");
	is(ini_get(&ini, "a", "y"), "2\nmore",
	    "a line indented by a no-break space continues a value");
	ini_free(&ini);
	ok(parse(&ini, "[a]\n\xe2\x80\x83\xe2\x80\x83region = r\n"
	    "\t\t\tmore\n   x = 1\n", &e) == 0, "indentation by Unicode spaces");
	is(ini_get(&ini, "a", "region"), "r\nmore\nx = 1",
	    "indentation counts characters, not bytes: three tabs or spaces "
	    "are deeper than two em spaces of three bytes each");
	ini_free(&ini);
}

static void
test_keys_fold_case_sections_do_not(void)
{
	struct ini ini;
	struct err e;

	parse(&ini, "[Dev]\nAWS_Access_Key_ID = A\n", &e);
	is(ini_get(&ini, "Dev", "aws_access_key_id"), "A",
	    "keys are case-insensitive");
	ok(ini_get(&ini, "dev", "aws_access_key_id") == NULL,
	    "section names are case-sensitive");
	ini_free(&ini);
	parse(&ini, "[ default ]\nk = 1\n[profile  spaced\t name]\nregion = r\n",
	    &e);
	ok(ini_has_section(&ini, " default ") && !ini_has_section(&ini,
	    "default"), "spaces inside the brackets belong to the name");
	is(ini_get(&ini, "profile  spaced\t name", "region"), "r",
	    "a section name is kept as written");
	ok(ini_get(&ini, "profile spaced name", "region") == NULL,
	    "runs of blanks do not fold");
	ini_free(&ini);
	parse(&ini, "  [a] ; not a comment ]\nk = 1\n[b]c]\nk = 2\n", &e);
	ok(ini_has_section(&ini, "a] ; not a comment "),
	    "a header ends at the line's last ']'");
	ok(ini_has_section(&ini, "b]c"), "and may hold ']'");
	ini_free(&ini);
	ok(parse(&ini, "[a]\n[b = c\n", &e) == 0 && ini_get(&ini, "a", "[b") &&
	    strcmp(ini_get(&ini, "a", "[b"), "c") == 0,
	    "'[b = c' without a ']' is a key, as configparser reads it");
	ini_free(&ini);
}

static void
test_default_section_applies_to_every_section(void)
{
	struct ini ini;
	struct err e;

	ok(parse(&ini, "[DEFAULT]\nregion = eu-west-1\noutput = json\n"
	    "[a]\n[b]\nregion = us-east-1\n[DEFAULT]\nk = 1\n", &e) == 0,
	    "[DEFAULT] may appear twice");
	is(ini_get(&ini, "a", "region"), "eu-west-1",
	    "a section without the key takes [DEFAULT]'s");
	is(ini_get(&ini, "b", "region"), "us-east-1",
	    "a section's own key wins over [DEFAULT]'s");
	is(ini_get(&ini, "b", "k"), "1", "keys of a later [DEFAULT] apply too");
	ok(ini_get(&ini, "c", "region") == NULL,
	    "but not to a section that does not exist");
	ok(!ini_has_section(&ini, "DEFAULT"), "[DEFAULT] is no section");
	ok(ini_has_section(&ini, "a"), "an empty section is");
	ini_free(&ini);
	ok(parse(&ini, "[DEFAULT]\nk = 1\n[a]\n[DEFAULT]\nK = 2\n", &e) == -1,
	    "a key repeated across [DEFAULT] blocks is refused");
	is(e.msg, "cfg:5: duplicate key 'k' in [DEFAULT] (first at line 2)",
	    "with both lines");
	ok(parse(&ini, "[DEFAULT]\ns3 =\n  bad\n", &e) == 0,
	    "a bad block in [DEFAULT] with no section to apply it to is read, as "
	    "botocore never looks at it");
	ini_free(&ini);
	ok(parse(&ini, "[DEFAULT]\ns3 =\n  bad\n[a]\ns3 = own\n", &e) == 0,
	    "nor where every section sets the key itself");
	ini_free(&ini);
	ok(parse(&ini, "[DEFAULT]\ns3 =\n  bad\n[a]\ns3 = own\n[b]\n", &e) == -1,
	    "but refused once a section takes it");
	is(e.msg, "cfg:3: a line in the block under 's3' (line 2) has no '='",
	    "naming its line");
}

static void
test_nested_subsections_are_skipped(void)
{
	struct ini ini;
	struct err e;

	ok(parse(&ini, "[default]\ns3 =\n    max_concurrent_requests = 20\n"
	    "    addressing_style = path\nregion = us-west-2\n", &e) == 0,
	    "nested s3 block parses");
	is(ini_get(&ini, "default", "region"), "us-west-2",
	    "key after a nested block");
	ok(ini_get(&ini, "default", "max_concurrent_requests") == NULL,
	    "nested keys are not top-level keys");
	ok(ini_get(&ini, "default", "s3") != NULL &&
	    strstr(ini_get(&ini, "default", "s3"), "addressing_style") != NULL,
	    "nested lines continue the parent value");
	ok(ini.e[1].nested && !ini.e[2].nested, "the block is marked nested");
	ini_free(&ini);
}

static void
test_nested_block_lines_need_an_equals_sign(void)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "[default]\ns3 =\n  foo\n",
		  "cfg:3: a line in the block under 's3' (line 2) has no '='" },
		{ "[default]\ns3 =\n  a = 1\n\n  a: b\n",
		  "cfg:5: a line in the block under 's3' (line 2) has no '='" },
		{ "[default]\naws_secret_access_key =\n  wJalrXUtnFEMI\n",
		  "cfg:3: a line in the block under 'aws_secret_access_key' "
		  "(line 2) has no '='" },
		{ "[default]\ns3 =\n  a = 1\v b\n",
		  "cfg:3: a line in the block under 's3' (line 2) has no '='" },
	};
	struct ini ini;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ok(parse(&ini, bad[i].text, &e) == -1 && e.kind == ERR_CONFIG,
		    "block %zu is refused, as botocore refuses it", i);
		is(e.msg, bad[i].want, "message for block %zu, without the value",
		    i);
	}
	ok(parse(&ini, "[default]\nk = first\n  foo\n", &e) == 0,
	    "a continued value that starts on its key's line is no block");
	ok(!ini.e[1].nested, "and is not marked nested");
	ini_free(&ini);
	ok(parse(&ini, "[default]\ns3 =\n\nregion = r\n", &e) == 0 &&
	    !ini.e[1].nested, "an empty value followed by a blank line is empty");
	ini_free(&ini);
}

static void
test_bare_cr_ends_a_line_as_in_universal_newlines(void)
{
	struct ini ini;
	struct err e;

	ok(parse(&ini, "[default]\rregion = eu-west-1\rk = v\r\n", &e) == 0,
	    "a file with CR line ends parses");
	is(ini_get(&ini, "default", "region"), "eu-west-1",
	    "a setting after a bare CR is found");
	is(ini_get(&ini, "default", "k"), "v", "CR LF still ends one line");
	ini_free(&ini);
	memset(&e, 0, sizeof(e));
	ok(parse(&ini, "[a]\rk = 1\r\rbroken\r", &e) == -1,
	    "a bad line after bare CRs is refused");
	is(e.msg, "cfg:4: expected 'key = value'", "lines are counted at CR too");
}

static void
test_continued_values_keep_blank_lines_not_comments(void)
{
	struct ini ini;
	struct err e;

	ok(parse(&ini, "[a]\nk = v\n\n   w\n# note\n\t; other\n   x\n\n\n"
	    "next = 1\n", &e) == 0, "a continued value parses");
	is(ini_get(&ini, "a", "k"), "v\n\nw\nx",
	    "blank lines inside are kept, comments are dropped, trailing "
	    "blank lines go");
	is(ini_get(&ini, "a", "next"), "1", "the key after it");
	ini_free(&ini);
	parse(&ini, "[a]\nk = v\n[b]\n  j = 1\n", &e);
	is(ini_get(&ini, "b", "j"), "1",
	    "an indented key right after a header is a key, not a continuation");
	ini_free(&ini);
}

/* 200,000 continuation lines: seconds of work if each line copied the
 * value so far, milliseconds if the reader is linear. The watchdog kills
 * the test long before a quadratic reader would finish. */
static void
test_a_large_continued_value_parses_in_linear_time(void)
{
	size_t lines = 200000, i, len;
	char *text = malloc(lines * 12 + 64), *p = text;
	struct ini ini;
	struct err e;

	p += sprintf(p, "[default]\ns3 =\n");
	for (i = 0; i < lines; i++)
		p += sprintf(p, "  k%06zu=v\n", i);
	p += sprintf(p, "region = r\n");
	len = (size_t)(p - text);
	alarm(60);
	ok(ini_parse(&ini, "cfg", text, len, &e) == 0,
	    "a value continued over 200000 lines parses");
	alarm(0);
	ok(ini_get(&ini, "default", "s3") != NULL &&
	    strlen(ini_get(&ini, "default", "s3")) == lines * 10,
	    "and holds every line");
	is(ini_get(&ini, "default", "region"), "r", "the key after it");
	ini_free(&ini);
	free(text);
}

static void
test_repeated_sections_and_keys_are_refused(void)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "[a]\nk = 1\n[b]\nk = 2\n[a]\n",
		  "cfg:5: duplicate section [a] (first at line 1)" },
		{ "[a]\nregion = x\nj = 2\nRegion = y\n",
		  "cfg:4: duplicate key 'region' in [a] (first at line 2)" },
		{ "[a]\nk = 1\n  k = 2\nk: 3\n",
		  "cfg:4: duplicate key 'k' in [a] (first at line 2)" },
	};
	struct ini ini;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ok(parse(&ini, bad[i].text, &e) == -1 && e.kind == ERR_CONFIG,
		    "repetition %zu is refused, as configparser's strict mode "
		    "does", i);
		is(e.msg, bad[i].want, "message for repetition %zu", i);
	}
	ok(parse(&ini, "[a]\nk = 1\n[b]\nk = 2\n", &e) == 0,
	    "one key in two sections is no repetition");
	is(ini_get(&ini, "a", "k"), "1", "each section has its own");
	is(ini_get(&ini, "b", "k"), "2", "and the other its own");
	ini_free(&ini);
}

static void
test_empty_section_exists(void)
{
	struct ini ini;
	struct err e;

	parse(&ini, "[profile empty]\n[x]\n", &e);
	ok(ini_has_section(&ini, "profile empty"), "empty section exists");
	ok(!ini_has_section(&ini, "profile other"), "absent section does not");
	ini_free(&ini);
}

static void
test_malformed_lines_name_file_and_line(void)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "key = value\n", "cfg:1: setting before any [section] header" },
		{ "[default]\nregion us-east-1\n", "cfg:2: expected 'key = value'" },
		{ "[default\n", "cfg:1: malformed section header" },
		{ "[]\n", "cfg:1: malformed section header" },
		{ "[a]\n\n\n = value\n", "cfg:4: empty key" },
		{ "[a]\nk = v\0\n", "cfg: not a text file" },
	};
	struct ini ini;
	struct err e;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = strlen(bad[i].text);

		if (i == 5)
			len = 12;
		memset(&e, 0, sizeof(e));
		ok(ini_parse(&ini, "cfg", bad[i].text, len, &e) == -1 &&
		    e.kind == ERR_CONFIG, "malformed input %zu is rejected", i);
		is(e.msg, bad[i].want, "message for malformed input %zu", i);
	}
}

static void
test_hostile_input_does_not_crash(void)
{
	struct ini ini;
	struct err e;
	char *big = malloc(1 << 20), *p;
	size_t i;

	/* One long line, many sections, stray bytes: parse or fail cleanly. */
	memset(big, 'a', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	big[0] = '[';
	ok(parse(&ini, big, &e) == -1, "1 MiB unterminated header fails");
	for (p = big, i = 0; i < 20000; i++)
		p += sprintf(p, "[s%zu]\nk=\xc3\xbe%zu\n", i, i);
	ok(parse(&ini, big, &e) == 0, "20000 sections parse");
	is(ini_get(&ini, "s19999", "k"), "\xc3\xbe" "19999", "last one found");
	ini_free(&ini);
	big[200] = '\xff';
	ok(parse(&ini, big, &e) == -1, "a stray byte among them is refused");
	ok(parse(&ini, "", &e) == 0 && ini.n == 0, "empty file");
	ini_free(&ini);
	ok(parse(&ini, "[a]\nk=v", &e) == 0 && ini_get(&ini, "a", "k") != NULL,
	    "no final newline");
	ini_free(&ini);
	ok(parse(&ini, "   \n\t\n", &e) == 0, "blank lines only");
	ini_free(&ini);
	free(big);
}

static void
test_missing_file_is_empty(void)
{
	struct ini ini;
	struct err e;

	ok(ini_load(&ini, "/nonexistent/iamdb/config", &e) == 0 && ini.n == 0,
	    "a missing file reads as empty");
	ini_free(&ini);
	ok(ini_load(&ini, "/", &e) == 0 && ini.n == 0,
	    "a directory reads as no file, as botocore's isfile check has it");
	ini_free(&ini);
	ok(ini_load(&ini, "/dev/null", &e) == 0 && ini.n == 0,
	    "so does /dev/null");
	ini_free(&ini);
}

int
main(void)
{
	test_basic_sections_and_keys();
	test_comments_and_whitespace();
	test_text_that_is_not_utf8_is_refused();
	test_unicode_white_space_is_stripped_as_python_strips();
	test_keys_fold_case_sections_do_not();
	test_default_section_applies_to_every_section();
	test_nested_subsections_are_skipped();
	test_bare_cr_ends_a_line_as_in_universal_newlines();
	test_continued_values_keep_blank_lines_not_comments();
	test_a_large_continued_value_parses_in_linear_time();
	test_repeated_sections_and_keys_are_refused();
	test_nested_block_lines_need_an_equals_sign();
	test_empty_section_exists();
	test_malformed_lines_name_file_and_line();
	test_hostile_input_does_not_crash();
	test_missing_file_is_empty();
	return tap_done();
}
