/* The credentials cache: where it lives, what it trusts (only private,
 * well-formed files of ours that are not about to expire), that writes are
 * atomic and that one writer at a time holds an entry's lock. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/timeutil.h"
#include "providers/cache.h"
#include "tests/tap.h"

#define FUTURE	"2999-01-01T00:00:00Z"

static const char *home;

static void
open_cache(struct cache *c, const char *desc, struct err *e)
{
	memset(e, 0, sizeof(*e));
	cache_open(c, desc, 1, e);
}

static void
path_in(char *out, size_t size, const struct cache *c, const char *suffix)
{
	snprintf(out, size, "%s/%s%s", c->dir, c->key, suffix);
}

static void
write_text(const char *path, const char *text, size_t len, mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	fchmod(fd, mode);
	if (write(fd, text, len) != (ssize_t)len)
		perror(path);
	close(fd);
}

static void
write_entry(const struct cache *c, const char *text, mode_t mode)
{
	char path[4096];

	path_in(path, sizeof(path), c, ".json");
	write_text(path, text, strlen(text), mode);
}

static struct credentials
sample(const char *token, time_t expiration)
{
	struct credentials cr;

	memset(&cr, 0, sizeof(cr));
	cr.access_key_id = "ASIAEXAMPLE";
	cr.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
	cr.session_token = (char *)token;
	cr.has_expiration = 1;
	cr.expiration = expiration;
	snprintf(cr.source, sizeof(cr.source), "assume role in profile dev");
	return cr;
}

static int
put(struct cache *c, const struct credentials *cr)
{
	struct err e;

	memset(&e, 0, sizeof(e));
	return cache_put(c, cr, &e);
}

/* 1 when get hits; the credentials are freed. */
static int
hits(struct cache *c, time_t now)
{
	struct credentials got;
	int r;

	memset(&got, 0, sizeof(got));
	r = cache_get(c, now, &got);
	credentials_free(&got);
	return r;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Names in the cache dir that are neither entries nor locks. */
static int
strays(const struct cache *c)
{
	struct dirent *d;
	DIR *dir;
	int n = 0;

	if ((dir = opendir(c->dir)) == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL)
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") &&
		    !ends_with(d->d_name, ".json") &&
		    !ends_with(d->d_name, ".lock"))
			n++;
	closedir(dir);
	return n;
}

static void
test_empty_cache_is_a_miss(void)
{
	struct credentials got;
	struct cache c;
	struct err e;

	open_cache(&c, "empty", &e);
	ok(c.dir != NULL && e.kind == ERR_NONE, "cache opens in a fresh HOME");
	memset(&got, 0, sizeof(got));
	ok(cache_get(&c, time(NULL), &got) == 0, "nothing cached is a miss");
	ok(got.access_key_id == NULL, "a miss leaves the credentials alone");
	cache_close(&c);
}

static void
test_put_then_get_round_trips(void)
{
	struct credentials cr, got;
	struct cache c;
	struct err e;
	time_t now = time(NULL);

	open_cache(&c, "round trip", &e);
	cr = sample("IQoJb3JpZ2luX2VjE\"quoted\\", now + 3600);
	ok(put(&c, &cr) == 0, "put with a session token");
	memset(&got, 0, sizeof(got));
	ok(cache_get(&c, now, &got) == 1, "get after put hits");
	is(got.access_key_id, cr.access_key_id, "access key id round-trips");
	is(got.secret_access_key, cr.secret_access_key,
	    "secret key round-trips");
	is(got.session_token, cr.session_token,
	    "session token round-trips, quotes and backslashes too");
	ok(got.expiration == cr.expiration, "expiration round-trips");
	is(got.source, cr.source, "source round-trips");
	credentials_free(&got);

	cr = sample(NULL, now + 3600);
	ok(put(&c, &cr) == 0, "put without a session token");
	memset(&got, 0, sizeof(got));
	ok(cache_get(&c, now, &got) == 1 && got.session_token == NULL,
	    "no session token comes back as none");
	credentials_free(&got);
	cache_close(&c);
}

static void
test_entry_expiring_within_margin_is_a_miss(void)
{
	struct credentials cr;
	struct cache c;
	struct err e;
	time_t now = time(NULL);

	open_cache(&c, "margin", &e);
	cr = sample("TOKEN", now + RENEW_MARGIN_MAX - 1);
	put(&c, &cr);
	ok(!hits(&c, now), "entry expiring in under 5 minutes is a miss");
	cr.expiration = now + RENEW_MARGIN_MAX;
	put(&c, &cr);
	ok(!hits(&c, now), "entry expiring in exactly 5 minutes is a miss");
	cr.expiration = now + RENEW_MARGIN_MAX + 1;
	put(&c, &cr);
	ok(hits(&c, now), "entry expiring in 5 minutes and 1 second hits");
	cache_close(&c);
}

static void
test_expired_entry_is_a_miss(void)
{
	struct credentials cr;
	struct cache c;
	struct err e;
	time_t now = time(NULL);

	open_cache(&c, "expired", &e);
	cr = sample("TOKEN", now - 1);
	put(&c, &cr);
	ok(!hits(&c, now), "expired entry is a miss");
	cache_close(&c);
}

static void
test_malformed_entries_are_misses(void)
{
	static const char good[] = "{\"Version\":1,\"AccessKeyId\":\"A\","
	    "\"SecretAccessKey\":\"S\",\"SessionToken\":\"T\","
	    "\"Expiration\":\"" FUTURE "\",\"Source\":\"x\"}";
	static const char *const bad[] = {
		"",
		"{",
		"{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\","
		    "\"Expiration\":\"2999-01-",
		"[]",
		"\"string\"",
		"null",
		"1",
		"{\"Version\":2,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\","
		    "\"Expiration\":\"" FUTURE "\"}",
		"{\"Version\":\"1\",\"AccessKeyId\":\"A\",\"SecretAccessKey\":"
		    "\"S\",\"Expiration\":\"" FUTURE "\"}",
		"{\"Version\":1.0,\"AccessKeyId\":\"A\",\"SecretAccessKey\":"
		    "\"S\",\"Expiration\":\"" FUTURE "\"}",
		"{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\","
		    "\"Expiration\":\"" FUTURE "\"}",
		"{\"Version\":1,\"SecretAccessKey\":\"S\","
		    "\"Expiration\":\"" FUTURE "\"}",
		"{\"Version\":1,\"AccessKeyId\":\"\",\"SecretAccessKey\":\"S\","
		    "\"Expiration\":\"" FUTURE "\"}",
		"{\"Version\":1,\"AccessKeyId\":7,\"SecretAccessKey\":\"S\","
		    "\"Expiration\":\"" FUTURE "\"}",
		"{\"Version\":1,\"AccessKeyId\":\"A\","
		    "\"Expiration\":\"" FUTURE "\"}",
		"{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"\","
		    "\"Expiration\":\"" FUTURE "\"}",
		"{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\"}",
		"{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\","
		    "\"Expiration\":\"tomorrow\"}",
		"{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\","
		    "\"Expiration\":32503680000}",
		"{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\","
		    "\"SessionToken\":5,\"Expiration\":\"" FUTURE "\"}",
		"{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\","
		    "\"SessionToken\":\"\",\"Expiration\":\"" FUTURE "\"}",
		"{\"Version\":1,\"AccessKeyId\":\"A\",\"AccessKeyId\":\"B\","
		    "\"SecretAccessKey\":\"S\",\"Expiration\":\"" FUTURE "\"}",
		"{\"Version\":1,\"AccessKeyId\":\"A\\u0000B\","
		    "\"SecretAccessKey\":\"S\",\"Expiration\":\"" FUTURE "\"}",
		"{\"Version\":1,\"AccessKeyId\":\"A\xff\","
		    "\"SecretAccessKey\":\"S\",\"Expiration\":\"" FUTURE "\"}",
		"{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\","
		    "\"Expiration\":\"" FUTURE "\"} trailing",
	};
	struct cache c;
	struct err e;
	char *deep;
	size_t i;

	open_cache(&c, "malformed", &e);
	write_entry(&c, good, 0600);
	ok(hits(&c, time(NULL)), "a well-formed entry written by hand hits");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_entry(&c, bad[i], 0600);
		ok(!hits(&c, time(NULL)), "malformed entry %zu is a miss", i);
	}
	deep = xmalloc(60000 + 1);
	memset(deep, '[', 60000);
	deep[60000] = '\0';
	write_entry(&c, deep, 0600);
	ok(!hits(&c, time(NULL)), "deeply nested arrays are a miss");
	free(deep);
	cache_close(&c);
}

static void
test_size_limit_and_long_source(void)
{
	struct credentials got;
	struct buf b = BUF_INIT;
	struct cache c;
	struct err e;
	size_t i;

	open_cache(&c, "size", &e);
	buf_printf(&b, "{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":"
	    "\"S\",\"Expiration\":\"" FUTURE "\",\"Source\":\"");
	for (i = 0; i < 60000; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, "\"}");
	write_entry(&c, b.data, 0600);
	memset(&got, 0, sizeof(got));
	ok(cache_get(&c, time(NULL), &got) == 1 &&
	    strlen(got.source) == sizeof(got.source) - 1,
	    "a 60000-byte Source is truncated to fit");
	credentials_free(&got);
	b.len -= 2;
	for (i = 0; i < 6000; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, "\"}");
	write_entry(&c, b.data, 0600);
	ok(!hits(&c, time(NULL)), "an entry over 64 KiB is a miss");
	buf_free(&b);
	cache_close(&c);
}

static void
test_entry_readable_by_others_is_a_miss(void)
{
	struct credentials cr;
	struct cache c;
	struct err e;
	char path[4096];

	open_cache(&c, "mode", &e);
	cr = sample("TOKEN", time(NULL) + 3600);
	put(&c, &cr);
	path_in(path, sizeof(path), &c, ".json");
	chmod(path, 0644);
	ok(!hits(&c, time(NULL)), "entry with mode 0644 is a miss");
	chmod(path, 0640);
	ok(!hits(&c, time(NULL)), "entry with mode 0640 is a miss");
	chmod(path, 0601);
	ok(!hits(&c, time(NULL)), "entry with mode 0601 is a miss");
	chmod(path, 0400);
	ok(hits(&c, time(NULL)), "entry with mode 0400 hits");
	cache_close(&c);
}

static void
test_symlinked_entry_is_a_miss(void)
{
	struct credentials cr;
	struct cache c, other;
	struct err e;
	char path[4096], target[4096];

	open_cache(&c, "link", &e);
	open_cache(&other, "link target", &e);
	cr = sample("TOKEN", time(NULL) + 3600);
	put(&other, &cr);
	path_in(path, sizeof(path), &c, ".json");
	path_in(target, sizeof(target), &other, ".json");
	ok(symlink(target, path) == 0, "entry replaced by a symlink");
	ok(hits(&other, time(NULL)), "the symlink's target itself hits");
	ok(!hits(&c, time(NULL)), "a symlinked entry is a miss");
	cache_close(&c);
	cache_close(&other);
}

static void
test_fifo_entry_is_a_miss_without_blocking(void)
{
	struct cache c;
	struct err e;
	char path[4096];

	open_cache(&c, "fifo", &e);
	path_in(path, sizeof(path), &c, ".json");
	ok(mkfifo(path, 0600) == 0, "entry replaced by a FIFO");
	alarm(10);
	ok(!hits(&c, time(NULL)), "a FIFO entry is a miss, at once");
	alarm(0);
	cache_close(&c);
}

static void
test_foreign_owned_entry_is_a_miss(void)
{
	struct credentials cr;
	struct cache c;
	struct err e;
	char path[4096];

	if (geteuid() != 0) {
		ok(1, "foreign-owned entry # SKIP needs root to chown");
		return;
	}
	open_cache(&c, "foreign", &e);
	cr = sample("TOKEN", time(NULL) + 3600);
	put(&c, &cr);
	path_in(path, sizeof(path), &c, ".json");
	ok(chown(path, 65534, 65534) == 0 && !hits(&c, time(NULL)),
	    "entry owned by another user is a miss");
	cache_close(&c);
}

static void
test_xdg_cache_home_used_when_absolute(void)
{
	struct cache c;
	struct stat st;
	struct err e;
	char want[2048], parent[1024];

	snprintf(parent, sizeof(parent), "%s/xdg/deeper", home);
	snprintf(want, sizeof(want), "%s/iamdb", parent);
	setenv("XDG_CACHE_HOME", parent, 1);
	open_cache(&c, "xdg", &e);
	is(c.dir, want, "absolute XDG_CACHE_HOME holds the cache");
	ok(stat(parent, &st) == 0 && S_ISDIR(st.st_mode) &&
	    (st.st_mode & 07777) == 0700,
	    "missing XDG_CACHE_HOME is created 0700");
	cache_close(&c);

	setenv("XDG_CACHE_HOME", "relative", 1);
	snprintf(want, sizeof(want), "%s/.cache/iamdb", home);
	open_cache(&c, "xdg", &e);
	is(c.dir, want, "relative XDG_CACHE_HOME is ignored");
	ok(access("relative", F_OK) == -1, "nothing made under a relative one");
	cache_close(&c);
	unsetenv("XDG_CACHE_HOME");
}

/* Each case prepares base/iamdb; the cache must then stay off. */
static void
unsafe(const char *base, const char *what)
{
	struct credentials cr;
	struct cache c;
	struct err e;
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/iamdb", base);
	setenv("XDG_CACHE_HOME", base, 1);
	memset(&e, 0, sizeof(e));
	ok(cache_open(&c, "unsafe", 1, &e) == 0 && c.dir == NULL,
	    "cache dir that %s: cache off", what);
	ok(e.kind == ERR_IO && strstr(e.msg, dir) != NULL,
	    "cache dir that %s: warning names it", what);
	cr = sample("TOKEN", time(NULL) + 3600);
	ok(cache_lock(&c, 1000, &e) == 0 && cache_put(&c, &cr, &e) == 0 &&
	    !hits(&c, time(NULL)), "cache dir that %s: lock, put, get are no-ops",
	    what);
	cache_close(&c);
	unsetenv("XDG_CACHE_HOME");
}

static void
test_unsafe_cache_dir_turns_cache_off(void)
{
	char base[1024], dir[2048], real[1024];

	snprintf(real, sizeof(real), "%s/real", home);
	mkdir(real, 0700);

	snprintf(base, sizeof(base), "%s/u1", home);
	snprintf(dir, sizeof(dir), "%s/iamdb", base);
	mkdir(base, 0700);
	ok(symlink(real, dir) == 0, "symlink made");
	unsafe(base, "is a symlink");

	snprintf(base, sizeof(base), "%s/u2", home);
	snprintf(dir, sizeof(dir), "%s/iamdb", base);
	mkdir(base, 0700);
	mkdir(dir, 0700);
	chmod(dir, 0777);
	unsafe(base, "is world-writable");

	snprintf(base, sizeof(base), "%s/u3", home);
	snprintf(dir, sizeof(dir), "%s/iamdb", base);
	mkdir(base, 0700);
	mkdir(dir, 0700);
	chmod(dir, 0770);
	unsafe(base, "is group-writable");

	snprintf(base, sizeof(base), "%s/u4", home);
	snprintf(dir, sizeof(dir), "%s/iamdb", base);
	mkdir(base, 0700);
	write_text(dir, "", 0, 0600);
	unsafe(base, "is a file");

	if (geteuid() != 0) {
		ok(1, "foreign-owned cache dir # SKIP needs root to chown");
		return;
	}
	snprintf(base, sizeof(base), "%s/u5", home);
	snprintf(dir, sizeof(dir), "%s/iamdb", base);
	mkdir(base, 0700);
	mkdir(dir, 0700);
	ok(chown(dir, 65534, 65534) == 0, "chown made");
	unsafe(base, "belongs to another user");
}

static void
test_new_dirs_are_0700_and_entries_0600(void)
{
	struct credentials cr;
	struct cache c;
	struct stat st;
	struct err e;
	char fresh[1024], path[4096];
	mode_t old;

	/* With no umask to help, the modes must come from the code. */
	old = umask(0);
	snprintf(fresh, sizeof(fresh), "%s/fresh", home);
	mkdir(fresh, 0700);
	setenv("HOME", fresh, 1);
	open_cache(&c, "modes", &e);
	snprintf(path, sizeof(path), "%s/.cache", fresh);
	ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0700,
	    "a missing ~/.cache is created 0700");
	ok(c.dir != NULL && stat(c.dir, &st) == 0 &&
	    (st.st_mode & 07777) == 0700, "the cache dir is created 0700");
	cr = sample("TOKEN", time(NULL) + 3600);
	put(&c, &cr);
	path_in(path, sizeof(path), &c, ".json");
	ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600,
	    "an entry is written 0600");
	cache_lock(&c, 1000, &e);
	path_in(path, sizeof(path), &c, ".lock");
	ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600,
	    "a lock file is created 0600");
	cache_close(&c);
	setenv("HOME", home, 1);
	umask(old);
}

static void
test_put_replaces_and_leaves_no_temp_files(void)
{
	struct credentials cr, got;
	struct cache c;
	struct err e;
	time_t now = time(NULL);

	open_cache(&c, "replace", &e);
	cr = sample("FIRST", now + 3600);
	put(&c, &cr);
	cr = sample("SECOND", now + 7200);
	ok(put(&c, &cr) == 0, "put over an existing entry");
	memset(&got, 0, sizeof(got));
	ok(cache_get(&c, now, &got) == 1 && got.expiration == now + 7200,
	    "the new entry replaces the old");
	is(got.session_token, "SECOND", "the new session token is read back");
	credentials_free(&got);
	ok(strays(&c) == 0, "no temporary files are left behind");
	cache_close(&c);
}

static void
test_failed_put_leaves_nothing_and_names_the_file(void)
{
	struct credentials cr;
	struct cache c;
	struct err e;
	char path[4096];

	open_cache(&c, "failure", &e);
	path_in(path, sizeof(path), &c, ".json");
	mkdir(path, 0700);	/* rename cannot replace a directory */
	cr = sample("TOKEN", time(NULL) + 3600);
	memset(&e, 0, sizeof(e));
	ok(cache_put(&c, &cr, &e) == -1 && e.kind == ERR_IO,
	    "put that cannot rename fails");
	ok(strstr(e.msg, path) != NULL && strstr(e.msg, "rename") != NULL,
	    "the message names the file and the operation");
	ok(strstr(e.msg, cr.secret_access_key) == NULL &&
	    strstr(e.msg, "TOKEN") == NULL, "the message holds no secret");
	rmdir(path);
	ok(strays(&c) == 0, "a failed put leaves no temporary file");
	cache_close(&c);
}

static void
test_put_refuses_credentials_without_expiration(void)
{
	struct credentials cr;
	struct cache c;
	struct err e;

	open_cache(&c, "no expiry", &e);
	cr = sample("TOKEN", 0);
	cr.has_expiration = 0;
	memset(&e, 0, sizeof(e));
	ok(cache_put(&c, &cr, &e) == -1 && e.kind != ERR_NONE,
	    "credentials that do not expire are not cached");
	ok(!hits(&c, time(NULL)) && strays(&c) == 0, "and nothing is written");
	cache_close(&c);
}

static void
test_second_lock_waits_for_first(void)
{
	struct pollfd pfd;
	struct cache c;
	struct err e;
	pid_t pid;
	int p[2], status;
	char ch = 0;

	open_cache(&c, "lock", &e);
	ok(cache_lock(&c, 1000, &e) == 0 && c.lock_fd != -1 && !c.waited,
	    "first lock taken, without waiting");
	if (pipe(p) == -1 || (pid = fork()) == -1) {
		ok(0, "pipe and fork");
		cache_close(&c);
		return;
	}
	if (pid == 0) {
		struct cache mine;

		alarm(10);
		close(p[0]);
		/* The inherited descriptor shares the parent's lock; closing
		 * it must not release that lock. */
		cache_close(&c);
		open_cache(&mine, "lock", &e);
		if (cache_lock(&mine, 9000, &e) == 0 && mine.waited)
			ch = 'L';
		if (write(p[1], &ch, 1) != 1)
			_exit(1);
		cache_close(&mine);
		_exit(0);
	}
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	ok(poll(&pfd, 1, 300) == 0, "a second lock waits while the first "
	    "is held");
	cache_close(&c);
	ok(poll(&pfd, 1, 5000) == 1 && read(p[0], &ch, 1) == 1 && ch == 'L',
	    "the second lock is taken once the first is released");
	if (ch != 'L')
		kill(pid, SIGKILL);
	ok(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "the child finished");
	close(p[0]);
}

/* flock locks belong to open files: two opens in one process contend as
 * two processes would, so these need no fork and no timing. */
static void
test_a_waiter_gives_up_at_its_deadline(void)
{
	struct cache holder, waiter;
	struct err e;

	open_cache(&holder, "deadline", &e);
	open_cache(&waiter, "deadline", &e);
	cache_lock(&holder, 1000, &e);
	ok(cache_lock(&waiter, 50, &e) == 0 && waiter.lock_fd == -1,
	    "a lock held elsewhere is given up on at the deadline");
	ok(waiter.waited, "and the waiter knows it waited");
	cache_close(&holder);
	ok(cache_lock(&waiter, 50, &e) == 0 && waiter.lock_fd != -1,
	    "once released it is taken");
	cache_close(&waiter);
}

static void
test_waiters_learn_that_the_holder_failed(void)
{
	struct cache holder, waiter, late;
	struct credentials cr = sample("tok", time(NULL) + 7200);
	struct err e, why, got;

	open_cache(&holder, "failing", &e);
	open_cache(&waiter, "failing", &e);
	cache_lock(&holder, 1000, &e);
	cache_lock(&waiter, 20, &e);
	memset(&why, 0, sizeof(why));
	err_set(&why, ERR_NETWORK, "STS AssumeRole: timed out\n\x1b[31m");
	cache_fail(&holder, &why);
	cache_close(&holder);
	ok(cache_lock(&waiter, 1000, &e) == 0, "the waiter gets the lock");
	memset(&got, 0, sizeof(got));
	ok(cache_failure(&waiter, &got) == 1 && got.kind == ERR_NETWORK,
	    "and learns that the holder failed meanwhile, and how");
	ok(strncmp(got.msg, "STS AssumeRole: timed out??[31m (another iamdb "
	    "process", 41) == 0, "with the holder's reason, control characters "
	    "masked (%.60s)", got.msg);
	cache_close(&waiter);

	open_cache(&late, "failing", &e);
	cache_lock(&late, 1000, &e);
	memset(&got, 0, sizeof(got));
	ok(cache_failure(&late, &got) == 0 && got.kind == ERR_NONE,
	    "one that did not wait does not take an old failure");
	cache_close(&late);

	open_cache(&holder, "failing", &e);
	open_cache(&waiter, "failing", &e);
	cache_lock(&holder, 1000, &e);
	cache_fail(&holder, &why);
	cache_lock(&waiter, 20, &e);
	cache_close(&holder);
	cache_lock(&waiter, 1000, &e);
	ok(cache_failure(&waiter, &got) == 0,
	    "nor one that began waiting after the failure");
	ok(cache_put(&waiter, &cr, &e) == 0, "a success is stored");
	cache_close(&waiter);
	open_cache(&holder, "failing", &e);
	open_cache(&waiter, "failing", &e);
	cache_lock(&holder, 1000, &e);
	cache_lock(&waiter, 20, &e);
	cache_close(&holder);
	cache_lock(&waiter, 1000, &e);
	ok(cache_failure(&waiter, &got) == 0,
	    "and it clears the failure for later waiters");
	cache_close(&waiter);
}

static void
test_disabled_cache_is_off(void)
{
	struct cache c;
	struct err e;

	memset(&e, 0, sizeof(e));
	ok(cache_open(&c, "off", 0, &e) == 0 && c.dir == NULL &&
	    c.lock_fd == -1 && e.kind == ERR_NONE,
	    "--no-cache leaves the cache off without a warning");
	cache_close(&c);
}

static void
test_key_is_sha256_of_description(void)
{
	struct cache a, b;
	struct err e;

	open_cache(&a, "abc", &e);
	is(a.key, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61"
	    "f20015ad", "key is the hex SHA-256 of the description");
	open_cache(&b, "abd", &e);
	ok(strcmp(a.key, b.key) != 0, "a different description, another key");
	cache_close(&b);
	open_cache(&b, "abc", &e);
	is(b.key, a.key, "the same description, the same key");
	cache_close(&a);
	cache_close(&b);
}

static void
test_close_is_safe_when_never_opened(void)
{
	struct cache c;
	int fd;

	/* fd 0 must survive closing a zeroed struct, whose lock_fd is 0. */
	if ((fd = open("/dev/null", O_RDONLY)) != 0) {
		dup2(fd, 0);
		close(fd);
	}
	memset(&c, 0, sizeof(c));
	cache_close(&c);
	ok(fcntl(0, F_GETFD) != -1, "closing a zeroed cache closes no fd");
	cache_close(&c);
	ok(c.dir == NULL && c.lock_fd == -1, "closing twice is harmless");
}

int
main(void)
{
	home = getenv("HOME");
	unsetenv("XDG_CACHE_HOME");
	test_empty_cache_is_a_miss();
	test_put_then_get_round_trips();
	test_entry_expiring_within_margin_is_a_miss();
	test_expired_entry_is_a_miss();
	test_malformed_entries_are_misses();
	test_size_limit_and_long_source();
	test_entry_readable_by_others_is_a_miss();
	test_symlinked_entry_is_a_miss();
	test_fifo_entry_is_a_miss_without_blocking();
	test_foreign_owned_entry_is_a_miss();
	test_xdg_cache_home_used_when_absolute();
	test_unsafe_cache_dir_turns_cache_off();
	test_new_dirs_are_0700_and_entries_0600();
	test_put_replaces_and_leaves_no_temp_files();
	test_failed_put_leaves_nothing_and_names_the_file();
	test_put_refuses_credentials_without_expiration();
	test_second_lock_waits_for_first();
	test_a_waiter_gives_up_at_its_deadline();
	test_waiters_learn_that_the_holder_failed();
	test_disabled_cache_is_off();
	test_key_is_sha256_of_description();
	test_close_is_safe_when_never_opened();
	return tap_done();
}
