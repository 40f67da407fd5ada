/* Writing files: the steps every atomic replacement here shares, and the
 * locked replacement of files that hold secrets. */
#ifndef IAMDB_FILEIO_H
#define IAMDB_FILEIO_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/* Writes all n bytes, through short writes and EINTR; -1 with errno. */
int	write_all(int fd, const void *p, size_t n);

/* fsyncs a directory, so that a rename into it survives a crash; -1 with
 * errno. */
int	fsync_dir(const char *dir);

/* The one bounded reader of small files: appends what is left of fd to b,
 * through EINTR, wiping the chunks it reads through (the file may hold
 * secrets); -1 with errno, EFBIG when there is more than max bytes. */
int	read_fd(int fd, size_t max, struct buf *b);

/*
 * Replaces a file that holds secrets: takes PATH.lock (O_EXCL, as git's
 * lock files; waiting up to timeout_ms for another writer), reads the
 * current contents, lets update() compute the new ones (or fail, with e
 * set, leaving PATH as it was), writes them into
 * the lock file (0600), fsyncs and renames it over PATH. PATH must not be a
 * symlink nor belong to someone else. On any failure PATH is unchanged.
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT are held while the lock is, so that
 * none leaves it behind.
 */
typedef int (*update_fn)(const char *old, size_t len, void *arg,
	    struct buf *out, struct err *);
int	secret_file_update(const char *path, update_fn, void *arg,
	    long timeout_ms, struct err *);
/* The same; with SECRET_FILE_KEEP_GROUP an existing PATH that its group
 * may read is replaced by one of the same group, mode 0640 (for a daemon
 * such as pgbouncer that reads it as that group). */
#define SECRET_FILE_KEEP_GROUP	0x1
/* With SECRET_FILE_REPLACE, PATH is not read (update() is given nothing)
 * and whatever stands there is replaced, not refused: a symbolic link or
 * another's file in a private directory (the credential cache's) is put
 * aside by the rename, never followed. */
#define SECRET_FILE_REPLACE	0x2
int	secret_file_update_flags(const char *path, unsigned flags, update_fn,
	    void *arg, long timeout_ms, struct err *);

/* Reads a file that holds secrets, as secret_file_update does before an
 * update: 0 with nothing appended when it does not exist; -1 when it is a
 * symlink, not a regular file, someone else's or open to group or
 * others. */
int	secret_file_read(const char *path, struct buf *, struct err *);

#endif
