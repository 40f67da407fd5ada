/*
 * Files that hold tokens (.pgpass, .my.cnf, exec's private files, the CA
 * bundle) are replaced as git replaces its files: the new contents go
 * into PATH.lock, which is synced and renamed over PATH, so that readers
 * see the old file or the new one, never half of one. Unlike git's, the
 * lock is not the file's existence but a POSIX record lock on it, which
 * the kernel drops with its holder: a writer killed with SIGKILL, by the
 * OOM killer or a power cut leaves at most a PATH.lock that nobody holds,
 * and the next writer takes it over. A writer that got the lock checks
 * that PATH.lock still names the file it locked, since the last holder
 * may have renamed it away in the meantime; so live writers take turns.
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

/* The current contents and st, if any (st_mode 0 if none); refuses what
 * must not be replaced. */
static int
read_current(const char *path, struct buf *b, struct stat *out,
    struct err *e)
{
	struct stat st;
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
	if (read_fd(fd, (size_t)-1, b) == -1) {
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	*out = st;
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

/* Opens PATH.lock, refusing anything but a plain file of ours: it is
 * about to be truncated and written. */
static int
lock_open(const char *lock, struct stat *st, struct err *e)
{
	int fd;

	if ((fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC, 0600)) == -1) {
		if (errno == ELOOP)
			return err_set(e, ERR_IO, "%s is a symbolic link: "
			    "refusing to write secrets through it", lock);
		return err_set(e, ERR_IO, "%s: %s", lock, strerror(errno));
	}
	if (fstat(fd, st) == -1) {
		err_set(e, ERR_IO, "%s: %s", lock, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st->st_mode) || st->st_uid != geteuid()) {
		err_set(e, ERR_IO, "%s %s", lock, !S_ISREG(st->st_mode) ?
		    "is not a regular file" : "belongs to another user");
		close(fd);
		return -1;
	}
	return fd;
}

/* Who holds the lock on fd, for the message; 0 when unknown. */
static long
holder(int fd)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_GETLK, &fl) == -1 || fl.l_type == F_UNLCK)
		return 0;
	return (long)fl.l_pid;
}

/* Takes PATH.lock, waiting up to timeout_ms for a live holder. */
static int
lock_take(const char *path, const char *lock, long timeout_ms,
    struct err *e)
{
	struct flock fl;
	struct stat st, now;
	long waited = 0, step = 5, pid;
	int fd;

	for (;;) {
		if ((fd = lock_open(lock, &st, e)) == -1)
			return -1;
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if (fcntl(fd, F_SETLK, &fl) == 0) {
			/* Still the file we opened, not one renamed away; and
			 * no other name of it gets written through. */
			if (lstat(lock, &now) == 0 && now.st_dev == st.st_dev &&
			    now.st_ino == st.st_ino) {
				if (now.st_nlink == 1)
					return fd;
				err_set(e, ERR_IO, "%s has another hard link: "
				    "refusing to write secrets through it",
				    lock);
				close(fd);
				return -1;
			}
		} else if (errno != EACCES && errno != EAGAIN) {
			err_set(e, ERR_IO, "%s: lock: %s", lock,
			    strerror(errno));
			close(fd);
			return -1;
		} else if (waited >= timeout_ms) {
			pid = holder(fd);
			close(fd);
			if (pid > 0)
				return err_set(e, ERR_IO, "%s is being written "
				    "by process %ld, which holds %s; gave up "
				    "after %.1f s", path, pid, lock,
				    timeout_ms / 1000.0);
			return err_set(e, ERR_IO, "%s is being written by "
			    "another process, which holds %s; gave up after "
			    "%.1f s", path, lock, timeout_ms / 1000.0);
		}
		close(fd);
		nap(step);
		waited += step;
		step = step < 100 ? step * 2 : 100;
	}
}

int
secret_file_read(const char *path, struct buf *b, struct err *e)
{
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & 077) != 0)
		return err_set(e, ERR_IO, "%s is open to group or others: "
		    "not trusting it", path);
	return read_current(path, b, &st, e);
}

int
secret_file_update(const char *path, update_fn update, void *arg,
    long timeout_ms, struct err *e)
{
	return secret_file_update_flags(path, 0, update, arg, timeout_ms, e);
}

int
secret_file_update_flags(const char *path, unsigned flags, update_fn update,
    void *arg, long timeout_ms, struct err *e)
{
	struct buf lock = BUF_INIT, old = BUF_INIT, new = BUF_INIT;
	struct stat cur;
	sigset_t held, mask;
	mode_t mode = 0600;
	gid_t gid = (gid_t)-1;
	int fd, rc = -1;

	buf_printf(&lock, "%s.lock", path);
	if ((fd = lock_take(path, buf_str(&lock), timeout_ms, e)) == -1) {
		buf_free(&lock);
		return -1;
	}
	/* The kernel would release the lock, but a signal that ended the
	 * process now would leave the new contents in PATH.lock: such
	 * signals wait until the file is in place. */
	sigemptyset(&held);
	sigaddset(&held, SIGINT);
	sigaddset(&held, SIGTERM);
	sigaddset(&held, SIGHUP);
	sigaddset(&held, SIGQUIT);
	sigprocmask(SIG_BLOCK, &held, &mask);
	memset(&cur, 0, sizeof(cur));
	if (!(flags & SECRET_FILE_REPLACE) &&
	    read_current(path, &old, &cur, e) == -1)
		goto fail;
	/* A daemon that reads the file through its group keeps reading it;
	 * nobody else ever can, and its group never writes. */
	if ((flags & SECRET_FILE_KEEP_GROUP) && (cur.st_mode & S_IRGRP)) {
		mode = 0640;
		gid = cur.st_gid;
	}
	if (update(buf_str(&old), old.len, arg, &new, e) == -1) {
		if (e != NULL) {
			struct err why = *e;

			err_set(e, why.kind, "%s: %s", path, why.msg);
		}
		goto fail;
	}
	if (ftruncate(fd, 0) == -1 || fchmod(fd, 0600) == -1 ||
	    (gid != (gid_t)-1 && (fchown(fd, (uid_t)-1, gid) == -1 ||
	    fchmod(fd, mode) == -1)) ||
	    write_all(fd, new.data ? new.data : "", new.len) == -1 ||
	    fsync(fd) == -1) {
		err_set(e, ERR_IO, "%s: %s", buf_str(&lock), strerror(errno));
		goto fail;
	}
	if (rename(buf_str(&lock), path) == -1) {
		err_set(e, ERR_IO, "rename %s to %s: %s", buf_str(&lock), path,
		    strerror(errno));
		goto fail;
	}
	sync_dir(path);
	rc = 0;
	goto out;
fail:
	/* Ours while we hold it: nothing of a failed write stays behind. */
	unlink(buf_str(&lock));
out:
	/* Releases the lock, whichever name its file now has; the data is
	 * synced already. */
	close(fd);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	buf_free(&lock);
	buf_free(&old);
	buf_free(&new);
	return rc;
}
