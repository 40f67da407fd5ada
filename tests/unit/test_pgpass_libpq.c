/*
 * iamdb's reading of .pgpass lines against the real libpq (Debian's
 * libpq5, linked here): for thousands of generated lines (escapes, bare
 * and escaped ':', '*' and "\*", comments, CRs, empty fields), the
 * password libpq takes for a connection is the one pgpass_match says; and
 * after pgpass_update on a generated file, libpq takes iamdb's token for
 * every connection the line is meant for. libpq is asked as
 * tests/libpq_pass.h says.
 */
#include <sys/stat.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/formats.h"
#include "tests/libpq_pass.h"
#include "tests/tap.h"

static char file[512];
static uint64_t seed = 0x9e3779b97f4a7c15ULL;

static unsigned
rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

static const char *const hosts[] = { "h", "a:b", "a\\b", "*", "h h", "h\\" };
static const char *const ports[] = { "1", "2" };
static const char *const dbs[] = { "d", "*", "x:y", "\\", "d\\:" };
static const char *const users[] = { "u", "u:v", "\\u", "*", "#u" };
#define PICK(a)	(a[rnd(sizeof(a) / sizeof(a[0]))])

static void
put(const char *text, size_t len)
{
	FILE *f = fopen(file, "w");

	if (f == NULL || fwrite(text, 1, len, f) != len || fclose(f) == EOF ||
	    chmod(file, 0600) == -1)
		abort();
}

static void
add_value(struct buf *b, const char *v, int escape)
{
	for (; *v; v++) {
		if (escape && (*v == ':' || *v == '\\'))
			buf_addc(b, '\\');
		buf_addc(b, *v);
	}
}

/* A field as a person or a tool might write it; often the value the
 * connection asked about (like), so that many lines match. */
static void
add_field(struct buf *b, const char *like, const char *const *pool,
    size_t npool)
{
	static const char junk[] = "ahud1:\\* #";
	const char *v = rnd(4) ? like : pool[rnd((unsigned)npool)];
	unsigned k = rnd(8), n;

	if (k == 0)
		buf_addc(b, '*');
	else if (k == 1)
		buf_adds(b, "\\*");
	else if (k < 4)
		add_value(b, v, 0);
	else if (k < 7)
		add_value(b, v, 1);
	else
		for (n = rnd(4); n > 0; n--)
			buf_addc(b, junk[rnd(sizeof(junk) - 1)]);
}

#define FIELD(b, like, a)	add_field(b, like, a, sizeof(a) / sizeof(a[0]))

/* A line that may or may not be for host:port, database, user. */
static void
gen_line(struct buf *b, unsigned id, const char *h, const char *p,
    const char *d, const char *u)
{
	if (rnd(20) == 0)
		buf_addc(b, '#');
	FIELD(b, h, hosts);
	if (rnd(30))
		buf_addc(b, ':');
	FIELD(b, p, ports);
	buf_addc(b, ':');
	FIELD(b, d, dbs);
	if (rnd(30))
		buf_addc(b, ':');
	FIELD(b, u, users);
	if (rnd(30))
		buf_addc(b, ':');
	switch (rnd(5)) {
	case 0:
		break;			/* empty password */
	case 1:
		buf_printf(b, "p\\:w\\\\%u:rest", id);
		break;
	default:
		buf_printf(b, "pw%u", id);
	}
	if (rnd(6) == 0)
		buf_adds(b, rnd(2) ? "\r" : "\r\r");
}

static void
test_each_line_is_read_as_libpq_reads_it(void)
{
	struct buf line = BUF_INIT, text = BUF_INIT, pw = BUF_INIT;
	unsigned i, bad = 0, matched = 0;

	for (i = 0; i < 10000; i++) {
		const char *h = PICK(hosts), *p = PICK(ports), *d = PICK(dbs);
		const char *u = PICK(users);
		char *got;
		const char *want;

		buf_reset(&line);
		buf_reset(&text);
		buf_reset(&pw);
		gen_line(&line, i, h, p, d, u);
		buf_add(&text, line.data, line.len);
		buf_adds(&text, "\n*:*:*:*:(none)\n");
		put(text.data, text.len);
		got = libpq_password(file, h, p, d, u);
		if (pgpass_match(line.data, line.len, h, p, d, u, &pw)) {
			want = buf_str(&pw);
			matched++;
		} else
			want = "(none)";
		if (strcmp(got, want) != 0 && bad++ < 5)
			printf("# line [%s] for %s|%s|%s|%s: libpq [%s], "
			    "iamdb [%s]\n", buf_str(&line), h, p, d, u, got,
			    want);
		free(got);
	}
	ok(bad == 0 && matched > 1000, "pgpass_match agrees with libpq on "
	    "10000 generated lines (%u of them matching, %u disagreements)",
	    matched, bad);
	buf_free(&line);
	buf_free(&text);
	buf_free(&pw);
}

static void
test_libpq_takes_iamdbs_line_after_an_update(void)
{
	struct buf text = BUF_INIT, out = BUF_INIT, token = BUF_INIT;
	unsigned i, j, k, bad = 0, checks = 0;

	for (i = 0; i < 500; i++) {
		struct conn c;
		struct err e;
		char port[8];

		memset(&c, 0, sizeof(c));
		c.service = service_find("postgres");
		c.host = PICK(hosts);
		c.port = 1 + rnd(2);
		c.user = PICK(users);
		c.database = rnd(2) ? NULL : PICK(dbs);
		if (c.database != NULL && strcmp(c.database, "*") == 0)
			c.database = NULL;
		buf_reset(&token);
		buf_printf(&token, "tok:en\\%u", i);
		c.token = buf_str(&token);
		snprintf(port, sizeof(port), "%u", c.port);
		buf_reset(&text);
		for (k = rnd(6); k > 0; k--) {
			gen_line(&text, 100000 + k, c.host, port,
			    c.database ? c.database : PICK(dbs), c.user);
			if (k > 1 || rnd(3))
				buf_addc(&text, '\n');
		}
		buf_reset(&out);
		if (pgpass_update(text.data, text.len, &c, 0, &out, &e) == -1)
			abort();
		put(out.data, out.len);
		for (j = 0; j < (c.database ? 1 : sizeof(dbs) / sizeof(dbs[0]));
		    j++) {
			const char *d = c.database ? c.database : dbs[j];
			char *got = libpq_password(file, c.host, port, d,
			    c.user);

			checks++;
			if (strcmp(got, c.token) != 0 && bad++ < 5)
				printf("# for %s|%s|%s|%s libpq took [%s] from:\n"
				    "%s", c.host, port, d, c.user, got,
				    buf_str(&out));
			free(got);
		}
	}
	ok(bad == 0, "after 500 updates of generated files, libpq takes "
	    "iamdb's token for each of %u connections it is meant for (%u "
	    "did not)", checks, bad);
	buf_free(&text);
	buf_free(&out);
	buf_free(&token);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(file, sizeof(file), "%s/pgpass-libpq.%ld",
	    tmp != NULL && *tmp == '/' ? tmp : "/tmp", (long)getpid());
	test_each_line_is_read_as_libpq_reads_it();
	test_libpq_takes_iamdbs_line_after_an_update();
	unlink(file);
	return tap_done();
}
