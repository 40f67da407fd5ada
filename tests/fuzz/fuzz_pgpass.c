/* The .pgpass writer (pgpass_update in formats/format_pgpass.c). The
 * input is a flag byte, a host, user and database each ended by a NUL,
 * then the file. For a real token for the connection:
 *   - updating twice gives what updating once gave;
 *   - the first line iamdb's matcher (libpq's reading, see
 *     tests/unit/test_pgpass_libpq.c) takes for the connection after an
 *     update is iamdb's token;
 *   - removing only drops lines: what is left are the file's own lines,
 *     byte for byte, in order, none of them iamdb's;
 *   - the update's lines less iamdb's are the removal's. */
#include "formats/formats.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/lines.h"

static int
ours(const char *s, size_t n, void *arg)
{
	const struct buf *line = arg;

	return n == line->len && memcmp(s, line->data, n) == 0;
}

/* The password of the first line that matches, or NULL. */
static char *
first_match(const struct buf *file, const char *host, const char *port,
    const char *db, const char *user)
{
	const char *p = buf_str(file), *end = p + file->len, *s;
	struct buf pw = BUF_INIT;
	size_t n;
	char *found = NULL;

	while (found == NULL && next_line(&p, end, &s, &n))
		if (pgpass_match(s, n, host, port, db, user, &pw))
			found = xstrdup(buf_str(&pw));
	buf_free(&pw);
	return found;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct sigv4_credentials cred = { "AKIAIOSFODNN7EXAMPLE",
	    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", NULL };
	struct fuzz_in in = fuzz_in(data, size);
	unsigned flags = fuzz_byte(&in);
	char *host = fuzz_part(&in), *user = fuzz_part(&in);
	char *db = fuzz_part(&in), *got;
	struct buf token = BUF_INIT, once = BUF_INIT, twice = BUF_INIT;
	struct buf rm = BUF_INIT, line = BUF_INIT;
	struct dbtoken_target tg;
	struct conn c;
	struct err e;
	char port[8];

	memset(&tg, 0, sizeof(tg));
	tg.service = service_find("postgres");
	tg.host = host;
	tg.port = flags & 1 ? 5432 : 5433;
	tg.user = user;
	tg.region = "us-east-1";
	tg.expires = 900;
	tg.when = 1700000000;
	memset(&c, 0, sizeof(c));
	c.service = tg.service;
	c.host = c.bare_host = host;
	c.port = tg.port;
	c.user = user;
	c.database = flags & 2 && *db ? db : NULL;
	c.region = tg.region;
	snprintf(port, sizeof(port), "%u", c.port);
	if (dbtoken_make(NULL, &tg, &cred, &token, &e) == -1)
		goto out;
	c.token = buf_str(&token);
	if (pgpass_line(&c, &line, &e) == -1)
		goto out;
	if (pgpass_update(in.p ? in.p : "", in.n, &c, 0, &once, &e) == -1) {
		must(pgpass_update(in.p ? in.p : "", in.n, &c, 1, &rm, &e) ==
		    -1);
		goto out;
	}
	must(pgpass_update(buf_str(&once), once.len, &c, 0, &twice, &e) == 0);
	must(once.len == twice.len &&
	    memcmp(buf_str(&once), buf_str(&twice), once.len) == 0);

	got = first_match(&once, host, port, *db ? db : "postgres", user);
	must(got != NULL && strcmp(got, c.token) == 0);
	free(got);

	must(pgpass_update(in.p ? in.p : "", in.n, &c, 1, &rm, &e) == 0);
	must(lines_within(buf_str(&rm), rm.len, in.p ? in.p : "", in.n, NULL,
	    NULL));
	got = first_match(&rm, host, port, *db ? db : "postgres", user);
	must(got == NULL || strcmp(got, c.token) != 0);
	free(got);
	must(lines_within(buf_str(&once), once.len, buf_str(&rm), rm.len,
	    ours, &line));
	must(lines_within(buf_str(&rm), rm.len, buf_str(&once), once.len,
	    NULL, NULL));
out:
	buf_free(&token);
	buf_free(&once);
	buf_free(&twice);
	buf_free(&rm);
	buf_free(&line);
	free(host);
	free(user);
	free(db);
	return 0;
}
