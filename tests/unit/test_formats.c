/* The password file updaters take any bytes as the old file: they keep
 * every line that is not theirs byte for byte (stray CRs, endless lines
 * and broken escapes included), refuse a .pgpass with a NUL byte, which
 * libpq cannot be relied on to read, and put their own line where the
 * client will read it first. Their own lines are those whose password is
 * an IAM token for the endpoint and user: a password the user wrote
 * stays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/formats.h"
#include "tests/tap.h"

#define HOST	"db.example.us-east-1.rds.amazonaws.com"
/* Tokens for u at HOST:5432 signed at 2016-11-07T17:39:33Z (TOKEN) and a
 * minute later (an older iamdb's line, OLD), with fixed example keys. */
#define QUERY	"/?Action=connect&DBUser=u&X-Amz-Algorithm=AWS4-HMAC-SHA256&" \
		"X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20161107%2Fus-east-1" \
		"%2Frds-db%2Faws4_request&X-Amz-Date=20161107T17"
#define TAIL	"&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature="
#define TOKEN	HOST ":5432" QUERY "3933Z" TAIL "41c7e2aec2350a8a39cccde6ebf4" \
		"d72a8e5484f8323b5b90e52afa66acc1035c"
/* TOKEN as a pgpass field: its ':' escaped. */
#define LINE	HOST ":5432:*:u:" HOST "\\:5432" QUERY "3933Z" TAIL \
		"41c7e2aec2350a8a39cccde6ebf4d72a8e5484f8323b5b90e52afa66acc1035c"
#define OLD	HOST "\\:5432" QUERY "4033Z" TAIL "3c2238ac870c0d97ebaba7baf799" \
		"b7fd445585d100f62b3fa8d8987191501c0b"

static struct conn
conn(const char *user, const char *database)
{
	struct conn c;

	memset(&c, 0, sizeof(c));
	c.service = service_find("postgres");
	c.host = HOST;
	c.port = 5432;
	c.user = user;
	c.database = database;
	c.region = "us-east-1";
	c.token = TOKEN;
	c.sslmode = "verify-full";
	c.sslrootcert = "/ca.pem";
	return c;
}

/* pgpass_update on n bytes of old text; the result in *out. */
static void
pg(const char *old, size_t n, const struct conn *c, int remove,
    struct buf *out)
{
	struct err e;

	buf_reset(out);
	if (pgpass_update(old, n, c, remove, out, &e) == -1)
		buf_adds(out, "(refused)");
}

static int
equal(const struct buf *b, const char *want, size_t n)
{
	return b->len == n && memcmp(b->data, want, n) == 0;
}

static void
test_pgpass_line_escapes(void)
{
	struct conn c = conn("a:b\\c", "d:b");
	struct buf b = BUF_INIT;

	ok(pgpass_line(&c, &b, NULL) == 0, "pgpass_line succeeds");
	is(buf_str(&b), HOST ":5432:d\\:b:a\\:b\\\\c:" HOST
	    "\\:5432" QUERY "3933Z" TAIL "41c7e2aec2350a8a39cccde6ebf4d72a8e54"
	    "84f8323b5b90e52afa66acc1035c",
	    "pgpass_line escapes ':' and '\\' in every field");
	buf_free(&b);
}

static void
test_pgpass_degenerate_files(void)
{
	struct conn c = conn("u", NULL);
	struct buf b = BUF_INIT;

	pg("", 0, &c, 0, &b);
	is(buf_str(&b), LINE "\n", "an empty file gets the line");
	pg("\n", 1, &c, 0, &b);
	is(buf_str(&b), "\n" LINE "\n", "a lone newline is kept in front");
	pg("\r\n", 2, &c, 0, &b);
	is(buf_str(&b), "\r\n" LINE "\r\n", "a lone CRLF makes the line CRLF");
	pg("no newline", 10, &c, 0, &b);
	is(buf_str(&b), "no newline\n" LINE "\n",
	    "a last line without a newline gets one before iamdb's");
	{
		struct buf again = BUF_INIT;

		/* Found by fuzz_pgpass: one line ending in a bare CR. */
		pg("only\r", 5, &c, 0, &b);
		is(buf_str(&b), "only\r\n" LINE "\r\n", "a lone line ending "
		    "in CR is made CRLF, and so is iamdb's");
		pg(b.data, b.len, &c, 0, &again);
		ok(equal(&again, b.data, b.len), "... and updating it again "
		    "changes nothing");
		buf_free(&again);
	}
	pg("", 0, &c, 1, &b);
	ok(b.len == 0, "removing from an empty file leaves it empty");
	pg("x:1:*:y:z", 9, &c, 1, &b);
	ok(equal(&b, "x:1:*:y:z", 9),
	    "removing nothing leaves a file without a final newline as it was");
	buf_free(&b);
}

static void
test_pgpass_hostile_lines_are_kept(void)
{
	static const char *const lines[] = {
		"::::\n",
		":::::::::::::\n",
		"\\\n",
		"\\\\\\\\\\\n",
		HOST ":5432:*:u\\\n",
		HOST ":5432:*:u\n",
		HOST ":5432:*\n",
		" " HOST ":5432:*:u:leading-blank\n",
		"#" HOST ":5432:*:u:comment\n",
		HOST ":5432:*:u2:other-user\n",
		HOST ":5433:*:u:other-port\n",
		"a\rb:1:*:c:d\n",
		"\r\r\rx:1:*:y:z\n",
	};
	struct conn c = conn("u", NULL);
	struct buf old = BUF_INIT, b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		buf_reset(&old);
		buf_adds(&old, lines[i]);
		pg(old.data, old.len, &c, 0, &b);
		ok(b.len == old.len + strlen(LINE "\n") &&
		    memcmp(b.data, old.data, old.len) == 0 &&
		    strcmp(b.data + old.len, LINE "\n") == 0,
		    "line %zu, not iamdb's nor hiding it, is kept and iamdb's "
		    "goes after it", i + 1);
		pg(old.data, old.len, &c, 1, &b);
		ok(equal(&b, old.data, old.len),
		    "line %zu survives --remove", i + 1);
	}
	buf_free(&old);
	buf_free(&b);
}

static void
test_pgpass_nul_bytes_and_long_lines(void)
{
	static const char nul[] = "a:1:*:c:d\n" HOST ":5432:*:u:" OLD "\n"
	    "e\0\0:2:*:f:g\n";
	struct conn c = conn("u", NULL);
	struct buf old = BUF_INIT, b = BUF_INIT;
	struct err e;
	size_t i;

	buf_adds(&b, "untouched");
	ok(pgpass_update(nul, sizeof(nul) - 1, &c, 0, &b, &e) == -1 &&
	    strcmp(buf_str(&b), "untouched") == 0 && e.kind == ERR_CONFIG &&
	    strstr(e.msg, "line 3 holds a NUL byte") != NULL,
	    "a file with a NUL byte (after which libpq reads the following "
	    "lines as one) is refused, naming the line");
	ok(pgpass_update(nul, sizeof(nul) - 1, &c, 1, &b, &e) == -1,
	    "for --remove too");
	for (i = 0; i < 200000; i++)
		buf_addc(&old, i % 7 ? 'x' : ':');
	buf_addc(&old, '\n');
	pg(old.data, old.len, &c, 0, &b);
	ok(b.len == old.len + strlen(LINE "\n") &&
	    memcmp(b.data, old.data, old.len) == 0,
	    "a 200 kB line is kept whole");
	buf_free(&old);
	buf_free(&b);
}

static void
test_pgpass_placement(void)
{
	struct conn any = conn("u", NULL), sales = conn("u", "sales");
	struct buf b = BUF_INIT;
	const char *t;

	t = "*:*:*:*:w\n";
	pg(t, strlen(t), &any, 0, &b);
	is(buf_str(&b), LINE "\n*:*:*:*:w\n",
	    "before a line of wildcards");
	t = "x:1:*:y:z\n" HOST ":5432:hr:u:static\n";
	pg(t, strlen(t), &any, 0, &b);
	is(buf_str(&b), "x:1:*:y:z\n" LINE "\n" HOST ":5432:hr:u:static\n",
	    "for any database, before a line for one of them");
	t = HOST ":5432:hr:u:static\n";
	pg(t, strlen(t), &sales, 0, &b);
	is(buf_str(&b), HOST ":5432:hr:u:static\n" HOST ":5432:sales:u:"
	    HOST "\\:5432" QUERY "3933Z" TAIL "41c7e2aec2350a8a39cccde6ebf4d7"
	    "2a8e5484f8323b5b90e52afa66acc1035c\n",
	    "for one database, after a line for another");
	t = "a:1:*:b:c\n" HOST ":5432:*:u:" OLD "\nmid:1:*:b:c\n" HOST
	    ":5432:*:u:" OLD "\n" HOST ":5432:*:u:" OLD;
	pg(t, strlen(t), &any, 0, &b);
	is(buf_str(&b), "a:1:*:b:c\n" LINE "\nmid:1:*:b:c\n",
	    "the first copy of iamdb's line is replaced in place, the others "
	    "dropped");
	pg(t, strlen(t), &any, 1, &b);
	is(buf_str(&b), "a:1:*:b:c\nmid:1:*:b:c\n",
	    "--remove drops every copy, the last one's missing newline too");
	t = "a:1:*:b:c\n" HOST ":5432:*:u:my own password\n";
	pg(t, strlen(t), &any, 0, &b);
	is(buf_str(&b), "a:1:*:b:c\n" LINE "\n" HOST ":5432:*:u:my own "
	    "password\n", "a password the user wrote for the same fields "
	    "stays, after iamdb's line");
	pg(t, strlen(t), &any, 1, &b);
	is(buf_str(&b), t, "and --remove leaves it alone");
	t = HOST ":5432:*:u:" HOST "\\:5432/?Action=connect&DBUser=bob&"
	    "X-Amz-Signature=00\n";
	pg(t, strlen(t), &any, 1, &b);
	is(buf_str(&b), t, "so does a line whose password only looks like "
	    "a token, or is one for another user");
	t = HOST ":5432:\\*:u:" OLD "\n";
	pg(t, strlen(t), &any, 1, &b);
	is(buf_str(&b), t, "a literal \"\\*\" database is not iamdb's \"*\"");
	t = HOST ":5432:*:u:" TOKEN "\n";
	pg(t, strlen(t), &any, 1, &b);
	is(buf_str(&b), t, "nor a token with its ':' unescaped, whose password "
	    "libpq ends at that ':'");
	t = HOST ":5432:*:\\u:" OLD "\n";
	pg(t, strlen(t), &any, 1, &b);
	is(buf_str(&b), "", "an escaped ordinary character reads as itself, "
	    "as libpq has it");
	t = "db.example.us-east-1.rds.amazonaws.com\\:5432:*:u:x\n";
	pg(t, strlen(t), &any, 0, &b);
	is(buf_str(&b), "db.example.us-east-1.rds.amazonaws.com\\:5432:*:u:x\n"
	    LINE "\n", "an escaped ':' does not split a field");
	buf_free(&b);
}

static struct conn
myconn(const char *user)
{
	struct conn c = conn(user, NULL);

	c.service = service_find("mysql");
	c.port = 3306;
	return c;
}

static void
my(const char *old, const char *group, int remove, struct buf *out)
{
	struct conn c = myconn("u");
	struct err e;

	buf_reset(out);
	if (mycnf_update(old, strlen(old), &c, group, remove, out, &e) == -1)
		buf_adds(out, "(refused)");
}

/* my() with the error's message in *msg ("" when it succeeded). */
static int
my_err(const char *old, const char *group, const char *database, int remove,
    struct buf *out, struct err *e)
{
	struct conn c = myconn("u");

	c.database = database;
	buf_reset(out);
	memset(e, 0, sizeof(*e));
	return mycnf_update(old, strlen(old), &c, group, remove, out, e);
}

#define BEGIN_LINE "# BEGIN iamdb (written by iamdb mycnf, which replaces " \
		"it on every update: edit outside it)\n"

static void
test_mycnf_keeps_what_is_not_its_own(void)
{
	static const char *const theirs[] = {
		"[client]\nuser=root\npassword=secret\n",
		"[Client]\npassword=secret\n",
		"[client ]  # mine\n  password = secret\n",
		"[client]\nloose_ssl_ca=/mine.pem\n",
		"[client]\nskip-ssl-verify-server-cert\n",
		"[client]\nPort=3307\n",
		"[client-mariadb]\nssl_verify_server_cert\n",
		"[mysql]\ndatabase = mine\n",
		"[client]\n# BEGIN iamdb\n[client]\n# END iamdb\n[client]\n"
		"user=root\n",
	};
	static const char *const fine[] = {
		"[ client]\npassword=other\n",
		"[clients]\nuser=root\n",
		"[mysqld]\nuser=mysql\npassword=server\n",
		"[client]\ncompress\nsocket=/run/mysqld.sock\n# user=c\n;user=d\n",
		"[client]\n# BEGIN iamdb\n[clientx]\nuser=x\n# END iamdb\n",
	};
	struct buf b = BUF_INIT, again = BUF_INIT, want = BUF_INIT;
	struct err e;
	const char *t;
	size_t i;

	my("", "client", 0, &b);
	ok(strncmp(buf_str(&b), BEGIN_LINE "[client]\nuser = \"u\"\n",
	    strlen(BEGIN_LINE) + 20) == 0 && b.len > 12 &&
	    strcmp(buf_str(&b) + b.len - 12, "# END iamdb\n") == 0,
	    "an empty file gets iamdb's block: its [client] group between "
	    "the markers");
	my(buf_str(&b), "client", 0, &again);
	is(buf_str(&again), buf_str(&b), "updating it again changes nothing");
	buf_reset(&want);
	buf_add(&want, b.data, b.len);
	my(buf_str(&want), "client", 1, &b);
	is(buf_str(&b), "", "--remove takes the block out, leaving the file "
	    "as it was");

	/* Found by fuzz_mycnf: one line ending in a bare CR. */
	my("x\r", "client", 0, &b);
	ok(strncmp(buf_str(&b), "x\r\n# BEGIN iamdb", 16) == 0 &&
	    strstr(buf_str(&b), "\r\n[client]\r\n") != NULL,
	    "a lone line ending in CR is made CRLF, and so is iamdb's block");
	my(buf_str(&b), "client", 0, &again);
	is(buf_str(&again), buf_str(&b), "... and updating it again changes "
	    "nothing");

	for (i = 0; i < sizeof(theirs) / sizeof(theirs[0]); i++) {
		int rc = my_err(theirs[i], "client", strstr(theirs[i],
		    "database") ? "d" : NULL, 0, &b, &e);

		ok(rc == -1 && b.len == 0 && e.kind == ERR_CONFIG &&
		    strstr(e.msg, "line ") != NULL && strstr(e.msg,
		    "--group client_iamdb") != NULL && strstr(e.msg,
		    "secret") == NULL, "a key of the user's that iamdb would "
		    "override is refused with its line and the way forward "
		    "(%zu)", i);
		rc = my_err(theirs[i], "client", NULL, 1, &b, &e);
		is(rc == 0 ? buf_str(&b) : "(refused)", i == 8 ?
		    "[client]\n[client]\nuser=root\n" : theirs[i], "and --remove "
		    "leaves it as it was, iamdb's block aside (%zu)", i);
	}
	ok(my_err(theirs[0], "client", NULL, 0, &b, &e) == -1 &&
	    strstr(e.msg, "line 2: [client] already sets user") != NULL,
	    "the message names the first such line and its key");
	ok(my_err(theirs[7], "client", NULL, 0, &b, &e) == 0,
	    "the user's database stays theirs when iamdb writes none");
	for (i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
		my_err(fine[i], "client", NULL, 0, &b, &e);
		ok(strncmp(buf_str(&b), fine[i], strlen(fine[i])) == 0 &&
		    strncmp(buf_str(&b) + strlen(fine[i]), "# BEGIN iamdb",
		    13) == 0, "other groups, other keys and comments are kept "
		    "byte for byte, the block after them (%zu)", i);
		buf_reset(&again);
		buf_add(&again, b.data, b.len);
		my_err(buf_str(&again), "client", NULL, 1, &b, &e);
		is(buf_str(&b), fine[i], "and --remove gives the file back "
		    "(%zu)", i);
	}

	my_err("[client]\ncompress\n", "client_iamdb", "d", 0, &b, &e);
	ok(strstr(buf_str(&b), "\n[client_iamdb]\nuser = \"u\"\n") != NULL &&
	    strstr(buf_str(&b), "\n[client-mariadb_iamdb]\n"
	    "ssl-verify-server-cert\n[mysql_iamdb]\ndatabase = \"d\"\n")
	    != NULL, "[client_iamdb] has its MariaDB and database groups "
	    "beside it, read with --defaults-group-suffix=_iamdb");
	ok(my_err(theirs[0], "client_iamdb", "d", 0, &b, &e) == 0,
	    "so it goes where the user's own [client] is");

	t = BEGIN_LINE "[client]\nuser = \"old\"\n# END iamdb\n[mysql]\n"
	    "prompt=x\n# BEGIN iamdb\n[CLIENT]\nuser = \"older\"\n"
	    "# END iamdb\n";
	my(t, "client", 0, &b);
	ok(strstr(buf_str(&b), "old") == NULL && strstr(buf_str(&b),
	    "\n# END iamdb\n[mysql]\nprompt=x\n") != NULL &&
	    strncmp(buf_str(&b), BEGIN_LINE "[client]\nuser = \"u\"\n",
	    strlen(BEGIN_LINE) + 20) == 0, "iamdb's first block is replaced "
	    "in place, a later one dropped");
	ok(my_err("[client]\n# BEGIN iamdb\n[client]\nuser=x\n", "client",
	    NULL, 0, &b, &e) == -1 && strstr(e.msg, "line 2:") != NULL &&
	    my_err("# BEGIN iamdb\n[client]\n# BEGIN iamdb\n# END iamdb\n",
	    "client", NULL, 1, &b, &e) == -1, "a block without its end is "
	    "refused, for --remove too");
	t = "# BEGIN iamdb\n[client_iamdb]\n[mysql_iamdb]\n# END iamdb\n"
	    "# mine\ncompress\n";
	ok(my_err(t, "client_iamdb", NULL, 0, &b, &e) == -1 &&
	    strstr(e.msg, "line 6: an option right after iamdb's block, in "
	    "its group [mysql_iamdb]") != NULL && my_err(t, "client_iamdb",
	    NULL, 1, &b, &e) == -1, "an option after the block, in the group "
	    "it ends with, is refused, for --remove too (either would move "
	    "it to another group)");
	t = "[client]";
	my(t, "client", 0, &b);
	ok(strncmp(buf_str(&b), "[client]\n# BEGIN iamdb", 22) == 0,
	    "a header without a newline gets one");
	{
		static const char odd[] = "\0\0\n[client\n]\n[]\n[[x]]\n";
		struct conn c = myconn("u");

		buf_reset(&b);
		mycnf_update(odd, sizeof(odd) - 1, &c, "client", 1, &b, NULL);
		ok(equal(&b, odd, sizeof(odd) - 1),
		    "NULs and broken headers are kept as they are");
	}
	buf_free(&b);
	buf_free(&again);
	buf_free(&want);
}

/* Each value the writers put into a file, with a line break in it. */
static void
test_writers_refuse_line_breaks(void)
{
	static const char *const bad[] = { "a\nb", "a\rb", "\n", "x\r" };
	struct buf b = BUF_INIT;
	struct err e;
	size_t i;
	int f;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		for (f = 0; f < 6; f++) {
			struct conn c = conn("u", "d");
			const char *group = "client", *what;
			int pg, my;

			switch (f) {
			case 0: c.host = bad[i]; what = "the host"; break;
			case 1: c.user = bad[i]; what = "the user"; break;
			case 2: c.database = bad[i]; what = "the database";
				break;
			case 3: c.token = bad[i]; what = "the token"; break;
			case 4: c.sslrootcert = bad[i];
				what = "the CA bundle path"; break;
			default: group = bad[i]; what = "the group name";
				break;
			}
			buf_reset(&b);
			memset(&e, 0, sizeof(e));
			pg = pgpass_update("x:1:*:y:z\n", 10, &c, 0, &b, &e);
			ok(f >= 4 ? pg == 0 : pg == -1 && b.len == 0 &&
			    e.kind == ERR_USAGE && strstr(e.msg, what) != NULL,
			    "pgpass: %s with a line break (%zu) is %s", what, i,
			    f >= 4 ? "not its business" : "refused, output "
			    "untouched");
			buf_reset(&b);
			memset(&e, 0, sizeof(e));
			c.service = service_find("mysql");
			my = mycnf_update("[client]\n", 9, &c, group, 0, &b,
			    &e);
			ok(my == -1 && b.len == 0 && e.kind == ERR_USAGE &&
			    strstr(e.msg, what) != NULL && strstr(e.msg,
			    bad[i]) == NULL, "mycnf: %s with a line break (%zu) "
			    "is refused, named but not shown", what, i);
		}
	buf_free(&b);
}

/* pgbouncer_update on a NUL-terminated old file; "(refused)" if it is. */
static void
pgb(const char *old, const struct conn *c, int remove, struct buf *out)
{
	struct err e;

	buf_reset(out);
	if (pgbouncer_update(old, strlen(old), c, remove, out, &e) == -1)
		buf_adds(out, "(refused)");
}

static void
test_pgbouncer_keeps_one_line_for_the_user(void)
{
	/* Comments, blanks, a SCRAM verifier, a user whose name starts with
	 * ours, one with a quote, a broken line: all kept as they are. */
	static const char others[] =
	    "; clients\n"
	    "\"app\" \"SCRAM-SHA-256$4096:c2FsdA==$a:b\"\n"
	    "\"jane2\" \"x\"\r\n"
	    "\"ja\"\"ne\" \"y\"\n"
	    "\n"
	    "broken \"jane\" \"z\"\n";
	struct conn c = conn("jane", NULL);
	struct buf b = BUF_INIT, want = BUF_INIT, old = BUF_INIT;

	pgb("", &c, 0, &b);
	is(buf_str(&b), "\"jane\" \"" TOKEN "\"\n", "an empty file gets the "
	    "one line, both fields quoted");
	pgb(others, &c, 0, &b);
	buf_printf(&want, "%s\"jane\" \"%s\"\n", others, TOKEN);
	is(buf_str(&b), buf_str(&want), "other users' lines, comments and "
	    "lines pgbouncer cannot read are kept byte for byte, the line "
	    "added at the end");
	buf_printf(&old, "\"app\" \"p\"\n  \"jane\" \"old\" extra\n%s"
	    "\"jane\" \"older\"\n\"zed\" \"q\"", others);
	pgb(buf_str(&old), &c, 0, &b);
	buf_reset(&want);
	buf_printf(&want, "\"app\" \"p\"\n\"jane\" \"%s\"\n%s\"zed\" \"q\"",
	    TOKEN, others);
	is(buf_str(&b), buf_str(&want), "the first line for the user is "
	    "replaced in place, later ones (which pgbouncer would take) "
	    "dropped, a last line without LF left so");
	buf_reset(&old);
	buf_add(&old, b.data, b.len);
	pgb(buf_str(&old), &c, 1, &b);
	buf_reset(&want);
	buf_printf(&want, "\"app\" \"p\"\n%s\"zed\" \"q\"", others);
	is(buf_str(&b), buf_str(&want), "remove takes the line out, nothing "
	    "else");
	c.user = "o\"brien";
	pgb("\"o\"\"brien\" \"old\"\n", &c, 0, &b);
	is(buf_str(&b), "\"o\"\"brien\" \"" TOKEN "\"\n", "a '\"' in the "
	    "user is doubled, and found again doubled");
	pgb("x\r", &c, 0, &b);
	is(buf_str(&b), "x\r\n\"o\"\"brien\" \"" TOKEN "\"\r\n", "a lone "
	    "line ending in CR is made CRLF, and so is iamdb's, as pgpass "
	    "and mycnf do: the next update changes nothing");
	pgb("\"a\" \"b\"\r\n", &c, 0, &b);
	is(buf_str(&b), "\"a\" \"b\"\r\n\"o\"\"brien\" \"" TOKEN "\"\r\n",
	    "a CRLF file gets CRLF");
	buf_free(&b);
	buf_free(&want);
	buf_free(&old);
}

static void
test_pgbouncer_refuses_what_breaks_pgbouncer(void)
{
	struct conn c = conn("jane", NULL);
	struct buf b = BUF_INIT, tok = BUF_INIT, user = BUF_INIT;
	struct err e;
	int rc;

	while (tok.len < 2047)
		buf_addc(&tok, 'x');
	c.token = buf_str(&tok);
	rc = pgbouncer_line(&c, &b, &e);
	ok(rc == 0 && b.len == 2047 + 9, "a token of 2047 bytes is written");
	buf_addc(&tok, 'x');
	c.token = buf_str(&tok);
	buf_reset(&b);
	memset(&e, 0, sizeof(e));
	rc = pgbouncer_update("\"app\" \"p\"\n", 10, &c, 0, &b, &e);
	ok(rc == -1 && b.len == 0 && e.kind == ERR_CONFIG &&
	    strstr(e.msg, "2048 bytes") != NULL && strstr(e.msg, "2047") !=
	    NULL, "one of 2048, which would end pgbouncer's load, is refused "
	    "with the sizes");
	c.token = TOKEN;
	while (user.len < 127)
		buf_addc(&user, 'u');
	c.user = buf_str(&user);
	buf_reset(&b);
	ok(pgbouncer_line(&c, &b, &e) == 0, "a user of 127 bytes is written");
	buf_reset(&user);
	while (user.len < 126)
		buf_addc(&user, 'u');
	buf_addc(&user, '"');
	c.user = buf_str(&user);
	buf_reset(&b);
	ok(pgbouncer_line(&c, &b, &e) == -1 && strstr(e.msg, "128 bytes"),
	    "one of 128 as written, a quote counting two, is refused");
	c.user = "jane";
	c.token = "a\nb";
	buf_reset(&b);
	ok(pgbouncer_update("", 0, &c, 0, &b, &e) == -1 && b.len == 0 &&
	    strstr(e.msg, "the token") != NULL, "a token with a line break "
	    "is refused");
	c.token = TOKEN;
	ok(pgbouncer_update("\"a\"\0\"b\"\n", 8, &c, 0, &b, &e) == -1 &&
	    b.len == 0 && strstr(e.msg, "NUL") != NULL, "a file with a NUL "
	    "byte is left alone");
	buf_free(&b);
	buf_free(&tok);
	buf_free(&user);
}

/* Each family's clients warn about the other's spelling of verification,
 * "loose-" or not: a file for one family has its spelling alone. */
static void
test_mycnf_spells_verification_for_its_readers(void)
{
	struct conn c = myconn("u");
	struct buf b = BUF_INIT;
	struct err e;

	c.mycnf_for = MYCNF_ORACLE;
	mycnf_update("", 0, &c, "client", 0, &b, &e);
	ok(strstr(buf_str(&b), "\nssl-mode = VERIFY_IDENTITY\n") != NULL &&
	    strstr(buf_str(&b), "verify-server-cert") == NULL &&
	    strstr(buf_str(&b), "loose") == NULL,
	    "for Oracle's clients: ssl-mode = VERIFY_IDENTITY, nothing else");
	buf_reset(&b);
	c.mycnf_for = MYCNF_MARIADB;
	mycnf_update("", 0, &c, "client", 0, &b, &e);
	ok(strstr(buf_str(&b), "\nssl-verify-server-cert\n") != NULL &&
	    strstr(buf_str(&b), "ssl-mode") == NULL &&
	    strstr(buf_str(&b), "loose") == NULL,
	    "for MariaDB's clients: ssl-verify-server-cert, nothing else");
	buf_reset(&b);
	c.mycnf_for = MYCNF_BOTH;
	mycnf_update("", 0, &c, "client", 0, &b, &e);
	ok(strstr(buf_str(&b), "ssl-mode") == NULL &&
	    strstr(buf_str(&b), "loose") == NULL &&
	    strstr(buf_str(&b), "\n[client-mariadb]\nssl-verify-server-cert\n")
	    != NULL, "for both: MariaDB's key in [client-mariadb], which "
	    "Oracle's clients do not read, and no ssl-mode");
	buf_reset(&b);
	c.cleartext_option = 1;
	mycnf_update("", 0, &c, "client", 0, &b, &e);
	ok(strstr(buf_str(&b), "\nloose-ssl-mode = VERIFY_IDENTITY\n"
	    "loose-enable-cleartext-plugin\n") != NULL,
	    "for both, with Oracle's keys asked for: loose- ones");
	buf_reset(&b);
	c.cleartext_option = 0;
	mycnf_update("", 0, &c, "app", 0, &b, &e);
	ok(strstr(buf_str(&b), "\n[app]\n") != NULL &&
	    strstr(buf_str(&b), "\nloose-ssl-verify-server-cert\n") != NULL &&
	    strstr(buf_str(&b), "client-mariadb") == NULL,
	    "for both in a group of the user's: loose-ssl-verify-server-cert "
	    "there (no MariaDB-only group goes with it)");
	buf_reset(&b);
	c.sslmode = "verify-ca";
	mycnf_update("", 0, &c, "client", 0, &b, &e);
	ok(strstr(buf_str(&b), "verify-server-cert") == NULL,
	    "below verify-full, no ssl-verify-server-cert");
	buf_free(&b);
}

/* Clients are given ::1; libpq and the MySQL clients match and connect
 * to that, not to [::1] (which is what the token is signed for). */
static void
test_files_hold_the_bare_ipv6_host(void)
{
	struct conn c = conn("u", NULL);
	struct buf b = BUF_INIT;
	struct err e;

	c.host = "[::1]";
	c.bare_host = "::1";
	pgpass_update("", 0, &c, 0, &b, &e);
	ok(strncmp(buf_str(&b), "\\:\\:1:5432:*:u:", 12) == 0,
	    "pgpass: the host field is ::1, escaped");
	buf_reset(&b);
	c.service = service_find("mysql");
	mycnf_update("", 0, &c, "client", 0, &b, &e);
	ok(strstr(buf_str(&b), "\nhost = \"::1\"\n") != NULL,
	    "mycnf: host = \"::1\"");
	buf_free(&b);
}

int
main(void)
{
	test_mycnf_spells_verification_for_its_readers();
	test_files_hold_the_bare_ipv6_host();
	test_writers_refuse_line_breaks();
	test_pgpass_line_escapes();
	test_pgpass_degenerate_files();
	test_pgpass_hostile_lines_are_kept();
	test_pgpass_nul_bytes_and_long_lines();
	test_pgpass_placement();
	test_mycnf_keeps_what_is_not_its_own();
	test_pgbouncer_keeps_one_line_for_the_user();
	test_pgbouncer_refuses_what_breaks_pgbouncer();
	return tap_done();
}
