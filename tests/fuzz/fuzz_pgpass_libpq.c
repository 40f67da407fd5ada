/* iamdb's .pgpass matcher (pgpass_match) against libpq's own, linked:
 * the input is a line, then a host, database and user each ended by a
 * NUL, and a byte for the port. The password libpq takes from a file of
 * that line (and a catch-all after it) is the one pgpass_match says. */
#include <sys/stat.h>

#include <unistd.h>

#include "formats/formats.h"
#include "tests/fuzz/fuzz.h"
#include "tests/libpq_pass.h"

static char file[512];

/* libpq would not use these as given: a '/' host is a socket directory
 * (the lookup then uses "localhost"), a ',' separates hosts, and an empty
 * value falls back to a default. */
static int
usable(const char *s, int host)
{
	return *s != '\0' && (!host || (*s != '/' && strchr(s, ',') == NULL));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = fuzz_in(data, size);
	char *line = fuzz_part(&in), *host = fuzz_part(&in);
	char *db = fuzz_part(&in), *user = fuzz_part(&in), *got;
	const char *port = fuzz_byte(&in) & 1 ? "1" : "2";
	struct buf pw = BUF_INIT;
	const char *want;
	FILE *f;

	if (*file == '\0') {
		snprintf(file, sizeof(file), "%s/iamdb-fuzz-pgpass.%ld",
		    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		    (long)getpid());
	}
	line[strcspn(line, "\n")] = '\0';
	if (!usable(host, 1) || !usable(db, 0) || !usable(user, 0))
		goto out;
	if ((f = fopen(file, "w")) == NULL ||
	    fprintf(f, "%s\n*:*:*:*:(none)\n", line) < 0 || fclose(f) == EOF ||
	    chmod(file, 0600) == -1)
		abort();
	got = libpq_password(file, host, port, db, user);
	want = pgpass_match(line, strlen(line), host, port, db, user, &pw) ?
	    buf_str(&pw) : "(none)";
	if (strcmp(got, want) != 0)
		fprintf(stderr, "line [%s] for %s|%s|%s|%s: libpq [%s], iamdb "
		    "[%s]\n", line, host, port, db, user, got, want);
	must(strcmp(got, want) == 0);
	free(got);
	unlink(file);
out:
	buf_free(&pw);
	free(line);
	free(host);
	free(db);
	free(user);
	return 0;
}
