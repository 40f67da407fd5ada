/* The MySQL option file writer (mycnf_update in formats/format_mycnf.c).
 * The input is a flag byte, a group, host, user, database and token each
 * ended by a NUL, then the file. Updating twice gives what updating once
 * gave; removing only drops lines, keeping the others byte for byte and
 * in order, and drops nothing from a file without iamdb's block; an
 * update keeps every line of the user's (the lines left by a removal are
 * the same before and after it); and what an update adds, a removal
 * takes out again. */
#include "formats/formats.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/lines.h"

/* Whether the n bytes at s hold iamdb's marker anywhere. */
static int
has_marker(const char *s, size_t n)
{
	static const char mark[] = "# BEGIN iamdb";
	size_t i, m = sizeof(mark) - 1;

	for (i = 0; i + m <= n; i++)
		if (memcmp(s + i, mark, m) == 0)
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const modes[] = { "verify-full", "verify-ca",
	    "require", "prefer" };
	struct fuzz_in in = fuzz_in(data, size);
	unsigned flags = fuzz_byte(&in);
	char *group = fuzz_part(&in), *host = fuzz_part(&in);
	char *user = fuzz_part(&in), *db = fuzz_part(&in);
	char *token = fuzz_part(&in);
	const char *text = in.p ? in.p : "";
	struct buf once = BUF_INIT, twice = BUF_INIT, rm = BUF_INIT;
	struct buf rm2 = BUF_INIT;
	struct conn c;
	struct err e;

	memset(&c, 0, sizeof(c));
	c.service = service_find("mysql");
	c.host = c.bare_host = host;
	c.port = 3306;
	c.user = user;
	c.database = flags & 1 ? db : NULL;
	c.token = token;
	c.sslmode = modes[(flags >> 1) % 4];
	c.sslrootcert = flags & 8 ? "/etc/ssl/rds.pem" : "system";
	c.cleartext_option = (flags & 16) != 0;
	/* What --group takes (group_name_ok; mycnf_update checks it too). */
	if (group_name_ok(group, NULL) == -1)
		goto out;
	if (mycnf_update(text, in.n, &c, group, 0, &once, &e) == -1)
		goto out;
	must(mycnf_update(buf_str(&once), once.len, &c, group, 0, &twice,
	    &e) == 0);
	must(once.len == twice.len &&
	    memcmp(buf_str(&once), buf_str(&twice), once.len) == 0);

	must(mycnf_update(text, in.n, &c, group, 1, &rm, &e) == 0);
	must(lines_within(buf_str(&rm), rm.len, text, in.n, NULL, NULL));
	must(mycnf_update(buf_str(&once), once.len, &c, group, 1, &rm2,
	    &e) == 0);
	must(lines_within(buf_str(&rm2), rm2.len, buf_str(&once), once.len,
	    NULL, NULL));
	must(lines_within(buf_str(&rm), rm.len, buf_str(&rm2), rm2.len, NULL,
	    NULL));
	must(lines_within(buf_str(&rm2), rm2.len, buf_str(&rm), rm.len, NULL,
	    NULL));
	if (!has_marker(text, in.n))
		must(rm.len == in.n && memcmp(buf_str(&rm), text, in.n) == 0);
out:
	buf_free(&once);
	buf_free(&twice);
	buf_free(&rm);
	buf_free(&rm2);
	free(group);
	free(host);
	free(user);
	free(db);
	free(token);
	return 0;
}
