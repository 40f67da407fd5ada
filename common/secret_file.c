/*
 * Files that hold tokens (.pgpass, .my.cnf, exec's private files) are
 * replaced the way git replaces its files: PATH.lock is created with
 * O_EXCL, which is the lock; the new contents go into it; fsync; rename
 * over PATH, which also releases the lock. Readers see the old file or
 * the new one, never half of one, and concurrent writers take turns.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"

/* The current contents, if any; refuses what must not be replaced. */
static int
read_current(const char *path, struct buf *b, struct err *e)
{
	struct stat st;
	char chunk[4096];
	ssize_t n;
	int fd;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	}
	if (S_ISLNK(st.st_mode))
		return err_set(e, ERR_IO, "%s is a symbolic link: refusing to "
		    "write secrets through it", path);
	if (!S_ISREG(st.st_mode))
		return err_set(e, ERR_IO, "%s is not a regular file", path);
	if (st.st_uid != geteuid())
		return err_set(e, ERR_IO, "%s belongs to another user", path);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		buf_add(b, chunk, (size_t)n);
	}
	wipe(chunk, sizeof(chunk));
	close(fd);
	return 0;
}

static void
nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void
sync_dir(const char *path)
{
	char *copy = xstrdup(path);

	/* Best effort: the file itself is already synced and in place. */
	(void)fsync_dir(dirname(copy));
	free(copy);
}

int
secret_file_update(const char *path, update_fn update, void *arg,
    long timeout_ms, struct err *e)
{
	struct buf lock = BUF_INIT, old = BUF_INIT, new = BUF_INIT;
	long waited = 0, step = 5;
	sigset_t held, mask;
	int fd, rc = -1, saved;

	/* A signal that ended the process while it holds PATH.lock would
	 * leave the lock behind, and every later writer waiting for it: such
	 * signals are held from taking the lock until it is gone. */
	sigemptyset(&held);
	sigaddset(&held, SIGINT);
	sigaddset(&held, SIGTERM);
	sigaddset(&held, SIGHUP);
	sigaddset(&held, SIGQUIT);

	buf_printf(&lock, "%s.lock", path);
	for (;;) {
		sigprocmask(SIG_BLOCK, &held, &mask);
		if ((fd = open(buf_str(&lock), O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600)) != -1)
			break;
		saved = errno;
		sigprocmask(SIG_SETMASK, &mask, NULL);
		if (saved != EEXIST || waited >= timeout_ms) {
			if (saved == EEXIST)
				err_set(e, ERR_IO, "%s is locked by another "
				    "writer (if none is running, remove %s)",
				    path, buf_str(&lock));
			else
				err_set(e, ERR_IO, "%s: %s", buf_str(&lock),
				    strerror(saved));
			buf_free(&lock);
			return -1;
		}
		nap(step);
		waited += step;
		step = step < 100 ? step * 2 : 100;
	}
	if (read_current(path, &old, e) == -1)
		goto fail;
	if (update(buf_str(&old), old.len, arg, &new, e) == -1)
		goto fail;
	if (fchmod(fd, 0600) == -1 || write_all(fd, new.data ? new.data : "",
	    new.len) == -1 || fsync(fd) == -1) {
		err_set(e, ERR_IO, "%s: %s", buf_str(&lock), strerror(errno));
		goto fail;
	}
	if (close(fd) == -1) {
		fd = -1;
		err_set(e, ERR_IO, "%s: %s", buf_str(&lock), strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(buf_str(&lock), path) == -1) {
		err_set(e, ERR_IO, "rename %s to %s: %s", buf_str(&lock), path,
		    strerror(errno));
		goto fail;
	}
	sync_dir(path);
	rc = 0;
	goto out;
fail:
	if (fd != -1)
		close(fd);
	unlink(buf_str(&lock));
out:
	sigprocmask(SIG_SETMASK, &mask, NULL);
	buf_free(&lock);
	buf_free(&old);
	buf_free(&new);
	return rc;
}
