/* The MySQL option file writer (mycnf_update in formats/format_mycnf.c).
 * The input is a flag byte, a group, host, user, database and token each
 * ended by a NUL, then the file. Updating twice gives what updating once
 * gave; removing only drops lines, keeping the others byte for byte and
 * in order; and what an update adds, a removal takes out again. */
#include "formats/formats.h"
#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/lines.h"

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
	/* What --group takes (helper/cmd_mycnf.c refuses brackets). */
	if (*group == '\0' || strpbrk(group, "[]") != NULL)
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
