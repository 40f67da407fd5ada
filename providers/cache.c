/* The credentials cache; see cache.h. Only a file that could have come
 * from us (ours, private, a plain file, small, well-formed) is believed:
 * anything else is a miss, since the worst a miss costs is one request. */
#include <sys/file.h>
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "../common/buf.h"
#include "../common/fileio.h"
#include "../common/timeutil.h"
#include "cache.h"

#define CACHE_VERSION	1
#define CACHE_MAX_SIZE	(64 * 1024)	/* ours are under 4 KiB */

/* $XDG_CACHE_HOME only when absolute, as the XDG spec asks. */
static char *
home_cache_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct buf b = BUF_INIT;

	if (xdg != NULL && xdg[0] == '/')
		buf_printf(&b, "%s/iamdb", xdg);
	else if (home != NULL && home[0] == '/')
		buf_printf(&b, "%s/.cache/iamdb", home);
	return b.data;
}

/* A new ~/.cache is private too. Failures show when the last directory
 * is made. */
static void
make_parents(char *path)
{
	char *p;

	for (p = path + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0700);
		*p = '/';
	}
}

/* lstat, not stat: a symlink could point into someone else's directory. */
static int
check_dir(const char *dir, struct err *e)
{
	const char *why = NULL;
	struct stat st;

	if (lstat(dir, &st) == -1)
		why = strerror(errno);
	else if (S_ISLNK(st.st_mode))
		why = "is a symbolic link";
	else if (!S_ISDIR(st.st_mode))
		why = "is not a directory";
	else if (st.st_uid != geteuid())
		why = "is owned by another user";
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		why = "is writable by other users";
	if (why == NULL)
		return 0;
	return err_set(e, ERR_IO, "%s: %s", dir, why);
}

/* DIR as a private directory of ours, made (parents too, if asked) when
 * absent. */
static int
make_private(char *dir, int parents, struct err *e)
{
	struct stat st;

	if (lstat(dir, &st) == -1 && errno == ENOENT) {
		if (parents)
			make_parents(dir);
		if (mkdir(dir, 0700) == -1 && errno != EEXIST)
			return err_set(e, ERR_IO, "%s: mkdir: %s", dir,
			    strerror(errno));
	}
	return check_dir(dir, e);
}

/* Where a read-only HOME (Lambda's, a locked-down container's) leaves the
 * caches: iamdb-UID in $TMPDIR or /tmp, private as the first choice is.
 * One that someone else made first is refused by check_dir. */
static char *
tmp_cache_dir(struct err *e)
{
	const char *tmp = getenv("TMPDIR");
	struct buf b = BUF_INIT;

	if (tmp == NULL || tmp[0] != '/')
		tmp = "/tmp";
	buf_printf(&b, "%s/iamdb-%lu", tmp, (unsigned long)geteuid());
	if (make_private(b.data, 0, e) == -1) {
		buf_free(&b);
		return NULL;
	}
	return b.data;
}

/* The directory every cache lives under: the home one when it can be
 * made and written, else the temporary one; NULL with e naming both. */
static char *
cache_dir(struct err *e)
{
	struct err home = { 0 }, tmp = { 0 };
	char *dir = home_cache_dir(), *alt;
	struct stat st;

	if (dir == NULL)
		err_set(&home, ERR_IO, "neither XDG_CACHE_HOME nor HOME is an "
		    "absolute path");
	else if (lstat(dir, &st) == 0) {
		/* One that exists is used or refused as it is: an unsafe
		 * one is a warning, not a reason to look elsewhere. */
		if (check_dir(dir, e) == -1)
			goto fail;
		if (access(dir, W_OK) == 0)
			return dir;
		err_set(&home, ERR_IO, "%s: %s", dir, strerror(errno));
	} else if (make_private(dir, 1, &home) == 0)
		return dir;
	if ((alt = tmp_cache_dir(&tmp)) != NULL) {
		free(dir);
		return alt;
	}
	err_set(e, ERR_IO, "%s; %s", home.msg, tmp.msg);
fail:
	free(dir);
	return NULL;
}

static int
hash_desc(const char *desc, char key[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int i, n;

	if (!EVP_Digest(desc, strlen(desc), md, &n, EVP_sha256(), NULL) ||
	    n != 32)
		return -1;
	for (i = 0; i < n; i++) {
		key[2 * i] = hex[md[i] >> 4];
		key[2 * i + 1] = hex[md[i] & 0xf];
	}
	key[2 * n] = '\0';
	return 0;
}

int
cache_open(struct cache *c, const char *desc, int enabled,
    struct err *warning)
{
	struct err why = { 0 };
	char *dir;

	memset(c, 0, sizeof(*c));
	c->lock_fd = -1;
	if (!enabled)
		return 0;
	if ((dir = cache_dir(&why)) == NULL) {
		err_set(warning, ERR_IO, "%s; credentials are not cached",
		    why.msg);
		return 0;
	}
	if (hash_desc(desc, c->key) == -1) {
		err_set(warning, ERR_IO, "cannot compute SHA-256; credentials "
		    "are not cached");
		free(dir);
		return 0;
	}
	c->dir = dir;
	return 0;
}

char *
cache_private_dir(const char *sub, struct err *e)
{
	struct buf b = BUF_INIT;
	char *dir;

	if ((dir = cache_dir(e)) == NULL)
		return NULL;
	buf_printf(&b, "%s/%s", dir, sub);
	free(dir);
	if (make_private(b.data, 0, e) == -1) {
		buf_free(&b);
		return NULL;
	}
	return b.data;
}

static char *
entry_path(const struct cache *c, const char *suffix)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s/%s%s", c->dir, c->key, suffix);
	return b.data;
}

/* Reads the whole file, which fstat said is size bytes, into b; -1 if it
 * holds more or less, as it would if someone were writing it in place. */
static int
read_exactly(int fd, size_t size, struct buf *b)
{
	return read_fd(fd, size, b) == 0 && b->len == size ? 0 : -1;
}

/* Absent is "none"; present must be a non-empty string, for half a set of
 * credentials is worse than a miss. */
static int
optional_string(json_t *o, const char *name, const char **out)
{
	json_t *v = json_object_get(o, name);

	*out = NULL;
	if (v == NULL)
		return 0;
	if (!json_is_string(v) || json_string_length(v) == 0)
		return -1;
	*out = json_string_value(v);
	return 0;
}

int
cache_parse_entry(const char *text, size_t len, time_t now,
    struct credentials *c)
{
	const char *akid, *secret, *token, *expiration, *source;
	json_t *o, *v;
	time_t t;
	int found = 0;

	if ((o = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return 0;
	v = json_object_get(o, "Version");
	if (json_is_object(o) && json_is_integer(v) &&
	    json_integer_value(v) == CACHE_VERSION &&
	    optional_string(o, "AccessKeyId", &akid) == 0 && akid != NULL &&
	    optional_string(o, "SecretAccessKey", &secret) == 0 &&
	    secret != NULL &&
	    optional_string(o, "SessionToken", &token) == 0 &&
	    optional_string(o, "Expiration", &expiration) == 0 &&
	    expiration != NULL && time_parse_iso8601(expiration, &t) == 0 &&
	    renew_at(t, 0) > now &&
	    optional_string(o, "Source", &source) == 0) {
		memset(c, 0, sizeof(*c));
		c->access_key_id = xstrdup(akid);
		c->secret_access_key = xstrdup(secret);
		if (token != NULL)
			c->session_token = xstrdup(token);
		c->has_expiration = 1;
		c->expiration = t;
		if (source != NULL)
			snprintf(c->source, sizeof(c->source), "%s", source);
		found = 1;
	}
	json_decref(o);
	return found;
}

int
cache_get(struct cache *c, time_t now, struct credentials *cr)
{
	struct stat st;
	struct buf text = BUF_INIT;
	char *path;
	int fd, found = 0;

	if (c->dir == NULL)
		return 0;
	path = entry_path(c, ".json");
	/* O_NONBLOCK: a FIFO put in our place must not hang us. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	free(path);
	if (fd == -1)
		return 0;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & (S_IRWXG | S_IRWXO)) ||
	    st.st_size > CACHE_MAX_SIZE) {
		close(fd);
		return 0;
	}
	if (read_exactly(fd, (size_t)st.st_size, &text) == 0)
		found = cache_parse_entry(buf_str(&text), text.len, now, cr);
	close(fd);
	buf_free(&text);
	return found;
}

int
cache_lock(struct cache *c, long wait_ms, struct err *e)
{
	struct timespec start, now, nap = { 0, 10 * 1000000L };
	char *path;
	int fd, rc;

	if (c->dir == NULL || c->lock_fd != -1)
		return 0;
	path = entry_path(c, ".lock");
	if ((fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600)) == -1) {
		err_set(e, ERR_IO, "%s: open: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((rc = flock(fd, LOCK_EX | LOCK_NB)) == -1 &&
	    (errno == EWOULDBLOCK || errno == EINTR)) {
		if (!c->waited) {
			c->waited = 1;
			clock_gettime(CLOCK_REALTIME, &c->since);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000 +
		    (now.tv_nsec - start.tv_nsec) / 1000000 >= wait_ms) {
			close(fd);
			return 0;
		}
		nanosleep(&nap, NULL);
		if (nap.tv_nsec < 200 * 1000000L)
			nap.tv_nsec *= 2;
	}
	if (rc == -1) {
		err_set(e, ERR_IO, "%s/%s.lock: flock: %s", c->dir, c->key,
		    strerror(errno));
		close(fd);
		return -1;
	}
	c->lock_fd = fd;
	return 0;
}

/* By hand rather than through jansson, so that the secrets are copied
 * only into buffers we wipe. With ascii set, bytes of 0x80 and above
 * become '?'. */
static void
add_field(struct buf *b, const char *name, const char *s, int ascii)
{
	unsigned char ch;

	buf_printf(b, ",\"%s\":\"", name);
	for (; (ch = (unsigned char)*s) != '\0'; s++) {
		if (ch == '"' || ch == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)ch);
		} else if (ch < 0x20 || ch == 0x7f)
			buf_printf(b, "\\u%04x", ch);
		else
			buf_addc(b, ascii && ch >= 0x80 ? '?' : (char)ch);
	}
	buf_addc(b, '"');
}

/* A Source cut mid-character would not parse, and every later read of
 * the entry would miss. It holds no secret, so jansson may check it. */
static int
valid_utf8(const char *s)
{
	json_t *v = json_string(s);

	json_decref(v);
	return v != NULL;
}

static void
serialize(struct buf *b, const struct credentials *c)
{
	char expiration[21];

	time_format_iso8601(c->expiration, expiration);
	buf_printf(b, "{\"Version\":%d", CACHE_VERSION);
	add_field(b, "AccessKeyId", c->access_key_id, 0);
	add_field(b, "SecretAccessKey", c->secret_access_key, 0);
	if (c->session_token != NULL && *c->session_token != '\0')
		add_field(b, "SessionToken", c->session_token, 0);
	add_field(b, "Expiration", expiration, 0);
	add_field(b, "Source", c->source, !valid_utf8(c->source));
	buf_adds(b, "}\n");
}

/* How old a writer's lock file must be before it can be taken for a
 * dead one's, its lock released aside: a live writer holds one for a few
 * milliseconds (an fsync on a busy disk: seconds). */
#define LOCK_STALE_SECONDS	60

/* Whether name is a lock file of secret_file_update's for an entry:
 * KEY.json.lock or KEY.failed.lock. */
static int
is_entry_lock(const char *name)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!isxdigit((unsigned char)name[i]))
			return 0;
	return strcmp(name + 64, ".json.lock") == 0 ||
	    strcmp(name + 64, ".failed.lock") == 0;
}

/*
 * A writer killed while it held an entry's lock file (SIGKILL, the OOM
 * killer, a power cut) may leave the new credentials in it. The next
 * write removes such files: ours, plain, a minute old, and with no live
 * writer's lock on them. Removed while locked, as secret_file_update
 * expects: a writer that opened it meanwhile finds the name gone once it
 * has the lock, and opens it again.
 */
static void
remove_stale_locks(const char *dir)
{
	struct dirent *d;
	DIR *dp;
	int dfd;

	if ((dp = opendir(dir)) == NULL)
		return;
	dfd = dirfd(dp);
	while ((d = readdir(dp)) != NULL) {
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		struct stat st, fst;
		int fd;

		if (strlen(d->d_name) < 64 || !is_entry_lock(d->d_name) ||
		    fstatat(dfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
		    st.st_mtime > time(NULL) - LOCK_STALE_SECONDS)
			continue;
		fd = openat(dfd, d->d_name, O_RDWR | O_NOFOLLOW | O_CLOEXEC |
		    O_NONBLOCK);
		if (fd == -1)
			continue;
		if (fcntl(fd, F_SETLK, &fl) == 0 && fstat(fd, &fst) == 0 &&
		    fstatat(dfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    fst.st_ino == st.st_ino && fst.st_dev == st.st_dev)
			unlinkat(dfd, d->d_name, 0);
		close(fd);
	}
	closedir(dp);
}

static int
entry_doc(const char *old, size_t len, void *arg, struct buf *out,
    struct err *e)
{
	const struct buf *doc = arg;

	(void)old;
	(void)len;
	(void)e;
	buf_add(out, doc->data, doc->len);
	return 0;
}

/* An entry written as every secret file is (common/secret_file.c): the
 * lock file, synced and renamed into place. Whatever stood at the name
 * is replaced, never followed. */
static int
replace_file(const char *dir, const char *path, const struct buf *doc,
    struct err *e)
{
	remove_stale_locks(dir);
	return secret_file_update_flags(path, SECRET_FILE_REPLACE, entry_doc,
	    (void *)doc, 2000, e);
}

int
cache_put(struct cache *c, const struct credentials *cr, struct err *e)
{
	struct buf doc = BUF_INIT;
	char *path;
	int rc;

	if (c->dir == NULL)
		return 0;
	if (!cr->has_expiration || cr->access_key_id == NULL ||
	    *cr->access_key_id == '\0' || cr->secret_access_key == NULL ||
	    *cr->secret_access_key == '\0')
		return err_set(e, ERR_INTERNAL, "only complete credentials "
		    "with an expiration can be cached");
	serialize(&doc, cr);
	path = entry_path(c, ".json");
	rc = replace_file(c->dir, path, &doc, e);
	free(path);
	buf_free(&doc);
	path = entry_path(c, ".failed");
	unlink(path);
	free(path);
	return rc;
}

#define FAILED_MAGIC	"iamdb fetch failed 1\n"

void
cache_fail(struct cache *c, const struct err *why)
{
	struct buf doc = BUF_INIT;
	struct timespec now;
	struct err ignored;
	char *path;

	if (c->dir == NULL || c->lock_fd == -1)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	buf_printf(&doc, FAILED_MAGIC "%lld.%09ld %d\n%s", (long long)now.tv_sec,
	    now.tv_nsec, (int)why->kind, why->msg);
	path = entry_path(c, ".failed");
	replace_file(c->dir, path, &doc, &ignored);
	free(path);
	buf_free(&doc);
}

int
cache_failure(struct cache *c, struct err *e)
{
	struct stat st;
	struct buf b = BUF_INIT;
	char *path, *text, *msg, *p;
	long long sec;
	long nsec;
	int fd, kind, found = 0;

	if (c->dir == NULL || !c->waited)
		return 0;
	path = entry_path(c, ".failed");
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	free(path);
	if (fd == -1)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_uid == geteuid() && !(st.st_mode & (S_IRWXG | S_IRWXO)) &&
	    (size_t)st.st_size < sizeof(e->msg) + 64 &&
	    read_exactly(fd, (size_t)st.st_size, &b) == 0) {
		text = b.data ? b.data : (char *)"";
		if (strncmp(text, FAILED_MAGIC, strlen(FAILED_MAGIC)) == 0 &&
		    sscanf(text + strlen(FAILED_MAGIC), "%lld.%ld %d", &sec,
		    &nsec, &kind) == 3 && kind > ERR_NONE &&
		    kind <= ERR_INTERNAL &&
		    (msg = strchr(text + strlen(FAILED_MAGIC), '\n')) != NULL &&
		    (sec > c->since.tv_sec || (sec == c->since.tv_sec &&
		    nsec >= c->since.tv_nsec))) {
			/* Ours, but a file: no control character reaches a
			 * terminal from it. */
			for (p = ++msg; *p != '\0'; p++)
				if ((unsigned char)*p < 0x20 || *p == 0x7f)
					*p = '?';
			err_set(e, (enum err_kind)kind, "%s (another iamdb "
			    "process, which held the cache's lock, just failed "
			    "so)", msg);
			found = 1;
		}
	}
	close(fd);
	buf_free(&b);
	return found;
}

void
cache_close(struct cache *c)
{
	/* Guarded by dir: in a zeroed struct lock_fd is 0, stdin. Closed,
	 * not LOCK_UN: a forked child's copy of the descriptor shares the
	 * lock, and unlocking there would release it for the parent. */
	if (c->dir != NULL && c->lock_fd != -1)
		close(c->lock_fd);
	free(c->dir);
	memset(c, 0, sizeof(*c));
	c->lock_fd = -1;
}
