/* secret_file_update: the lock dies with its holder, live writers take
 * turns, and what the lock file might be made to point at is refused.
 * Writers here are forked children running the real function; one of
 * them is killed with SIGKILL while it holds the lock. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fileio.h"
#include "tests/tap.h"

static char dir[256], path[300], lockpath[300];

/* Appends arg (a line) to the old contents. */
static int
append(const char *old, size_t len, void *arg, struct buf *out,
    struct err *e)
{
	(void)e;
	buf_add(out, old, len);
	buf_adds(out, arg);
	return 0;
}

static int ready[2];

/* Appends, tells the parent it holds the lock, and waits to be killed. */
static int
append_and_hang(const char *old, size_t len, void *arg, struct buf *out,
    struct err *e)
{
	append(old, len, arg, out, e);
	if (write(ready[1], "x", 1) != 1)
		_exit(3);
	for (;;)
		pause();
}

static int
refuse(const char *old, size_t len, void *arg, struct buf *out,
    struct err *e)
{
	(void)old;
	(void)len;
	(void)arg;
	buf_adds(out, "never written");
	return err_set(e, ERR_USAGE, "refused by update");
}

static char *
slurp(const char *p)
{
	static char text[65536];
	ssize_t n;
	int fd;

	if ((fd = open(p, O_RDONLY)) == -1)
		return NULL;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[n < 0 ? 0 : n] = '\0';
	return text;
}

static void
put(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");

	if (f == NULL || fputs(text, f) == EOF || fclose(f) == EOF)
		abort();
}

/* Forks a writer that takes the lock and hangs; returns its pid once it
 * holds the lock (with its new contents half done, as far as anyone
 * can tell). */
static pid_t
hanging_writer(void)
{
	char c;
	pid_t pid;

	if (pipe(ready) == -1 || (pid = fork()) == -1)
		abort();
	if (pid == 0) {
		close(ready[0]);
		secret_file_update(path, append_and_hang, "hung\n", 10000,
		    NULL);
		_exit(2);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		abort();
	close(ready[0]);
	return pid;
}

static void
test_a_killed_writer_does_not_block_the_next(void)
{
	struct err e = { 0 };
	pid_t pid;
	int rc;

	put(path, "old\n");
	pid = hanging_writer();
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ok(access(lockpath, F_OK) == 0, "a writer killed with SIGKILL leaves "
	    "its lock file behind");
	rc = secret_file_update(path, append, "next\n", 20000, &e);
	if (rc == -1)
		printf("# %s\n", e.msg);
	ok(rc == 0, "the next writer gets the lock, the kernel having "
	    "released it");
	is(slurp(path), "old\nnext\n", "and writes what it means to, nothing "
	    "of the killed writer's");
	ok(access(lockpath, F_OK) == -1 && errno == ENOENT,
	    "no lock file is left, nor the killed writer's half");
}

static void
test_a_live_writer_is_waited_for_and_named(void)
{
	struct err e = { 0 };
	char want[64];
	pid_t pid;
	int rc;

	put(path, "old\n");
	pid = hanging_writer();
	rc = secret_file_update(path, append, "second\n", 300, &e);
	snprintf(want, sizeof(want), "process %ld", (long)pid);
	printf("# %s\n", e.msg);
	ok(rc == -1 && e.kind == ERR_IO && strstr(e.msg, lockpath) != NULL &&
	    strstr(e.msg, want) != NULL, "a writer that holds the lock is "
	    "waited for, then named with its lock");
	is(slurp(path), "old\n", "and the file is left as it was");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ok(secret_file_update(path, append, "third\n", 3000, &e) == 0 &&
	    strcmp(slurp(path), "old\nthird\n") == 0,
	    "once it is gone, the next writer goes ahead");
}

static void
test_twenty_writers_take_turns(void)
{
	pid_t pids[20];
	char line[32];
	const char *text;
	int i, bad = 0, status;

	put(path, "");
	for (i = 0; i < 20; i++) {
		if ((pids[i] = fork()) == -1)
			abort();
		if (pids[i] == 0) {
			snprintf(line, sizeof(line), "writer %d\n", i);
			_exit(secret_file_update(path, append, line, 30000,
			    NULL) == 0 ? 0 : 1);
		}
	}
	for (i = 0; i < 20; i++)
		if (waitpid(pids[i], &status, 0) == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			bad++;
	ok(bad == 0, "20 concurrent writers all succeed");
	text = slurp(path);
	for (i = 0; i < 20; i++) {
		snprintf(line, sizeof(line), "writer %d\n", i);
		if (strstr(text, line) == NULL)
			bad++;
	}
	ok(bad == 0 && strlen(text) == 20 * 9 + 10,
	    "and every line is in the file exactly once");
	ok(access(lockpath, F_OK) == -1, "with no lock file left");
}

static void
test_what_the_lock_file_must_not_be(void)
{
	char other[300 + 32];
	struct err e = { 0 };
	struct stat st;
	int rc;

	snprintf(other, sizeof(other), "%s/other", dir);
	put(other, "precious\n");
	put(path, "old\n");
	if (symlink(other, lockpath) == -1)
		abort();
	rc = secret_file_update(path, append, "x\n", 300, &e);
	ok(rc == -1 && strstr(e.msg, lockpath) != NULL &&
	    strstr(e.msg, "symbolic link") != NULL, "a symlink in the lock "
	    "file's place is not followed");
	is(slurp(other), "precious\n", "and what it points at is untouched");
	unlink(lockpath);
	if (link(other, lockpath) == -1)
		abort();
	rc = secret_file_update(path, append, "x\n", 300, &e);
	ok(rc == -1 && strstr(e.msg, "hard link") != NULL, "nor is a hard "
	    "link to another file written through");
	is(slurp(other), "precious\n", "which is left as it was");
	unlink(lockpath);
	if (geteuid() == 0) {
		put(lockpath, "");
		if (chown(lockpath, 65534, 65534) == -1)
			abort();
		rc = secret_file_update(path, append, "x\n", 300, &e);
		ok(rc == -1 && strstr(e.msg, "another user") != NULL,
		    "a lock file of another user's is refused");
		unlink(lockpath);
	} else
		ok(1, "a lock file of another user's is refused # SKIP "
		    "needs root to chown");
	is(slurp(path), "old\n", "the file itself is unchanged throughout");
	rc = secret_file_update(path, refuse, NULL, 300, &e);
	snprintf(other, sizeof(other), "%s: refused by update", path);
	ok(rc == -1 && strcmp(e.msg, other) == 0 &&
	    strcmp(slurp(path), "old\n") == 0 && access(lockpath, F_OK) == -1 &&
	    stat(path, &st) == 0, "an update that fails leaves the file and "
	    "no lock behind, its reason prefixed with the file's name");
}

static void
test_a_group_readable_file_keeps_its_group_only_when_asked(void)
{
	struct err e = { 0 };
	struct stat st;
	gid_t gid = getegid();
	int rc;

	/* As root the file can be given a group iamdb is not in. */
	if (geteuid() == 0)
		gid = 65534;
	put(path, "old\n");
	if (chown(path, (uid_t)-1, gid) == -1 || chmod(path, 0664) == -1)
		abort();
	rc = secret_file_update_flags(path, SECRET_FILE_KEEP_GROUP, append,
	    "x\n", 300, &e);
	ok(rc == 0 && stat(path, &st) == 0 && (st.st_mode & 07777) == 0640 &&
	    st.st_gid == gid, "with KEEP_GROUP a group-readable file stays "
	    "readable by its group, which never gets write, others nothing");
	rc = secret_file_update(path, append, "y\n", 300, &e);
	ok(rc == 0 && stat(path, &st) == 0 && (st.st_mode & 07777) == 0600,
	    "without it the file is 0600 again");
	rc = secret_file_update_flags(path, SECRET_FILE_KEEP_GROUP, append,
	    "z\n", 300, &e);
	ok(rc == 0 && stat(path, &st) == 0 && (st.st_mode & 07777) == 0600,
	    "and a file its group cannot read gets no group read either");
	is(slurp(path), "old\nx\ny\nz\n", "the contents follow each update");
	unlink(path);
}

/* read_fd, the one bounded reader: all of it, through chunk borders, and
 * no more than max. */
static void
test_read_fd_reads_up_to_its_bound(void)
{
	struct buf b = BUF_INIT, want = BUF_INIT;
	char name[320];
	int fd;

	while (want.len < 10000)
		buf_printf(&want, "%zu,", want.len);
	snprintf(name, sizeof(name), "%s/bounded", dir);
	fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd == -1 || write_all(fd, want.data, want.len) == -1)
		abort();
	lseek(fd, 0, SEEK_SET);
	ok(read_fd(fd, want.len, &b) == 0 && b.len == want.len &&
	    memcmp(b.data, want.data, b.len) == 0, "a file of exactly max "
	    "bytes is read whole, across chunks");
	lseek(fd, 0, SEEK_SET);
	buf_reset(&b);
	errno = 0;
	ok(read_fd(fd, want.len - 1, &b) == -1 && errno == EFBIG,
	    "one byte more than max is EFBIG");
	close(fd);
	buf_reset(&b);
	fd = open(name, O_RDONLY);
	ok(read_fd(fd, 0, &b) == -1 && errno == EFBIG && b.len == 0,
	    "max 0 takes nothing");
	close(fd);
	unlink(name);
	buf_free(&b);
	buf_free(&want);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/secret-file.XXXXXX",
	    tmp != NULL && *tmp == '/' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/pgpass", dir);
	snprintf(lockpath, sizeof(lockpath), "%s/pgpass.lock", dir);
	test_read_fd_reads_up_to_its_bound();
	test_a_killed_writer_does_not_block_the_next();
	test_a_live_writer_is_waited_for_and_named();
	test_twenty_writers_take_turns();
	test_what_the_lock_file_must_not_be();
	test_a_group_readable_file_keeps_its_group_only_when_asked();
	unlink(path);
	unlink(lockpath);
	snprintf(path, sizeof(path), "%s/other", dir);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
