/*
 * exec's private directory: the password file (or the MySQL option files)
 * that the supervisor keeps fresh while the command runs, and the sweep
 * that removes the directories of supervisors that were killed before they
 * could remove their own.
 *
 * A live supervisor holds an fcntl lock on the file "lock" in its
 * directory; the kernel releases it when the process dies, however it
 * dies, so a directory whose lock can be taken is one nobody keeps (a pid
 * could have been reused, a lock cannot outlive its holder).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/fileio.h"
#include "../sigv4/sigv4.h"
#include "helper.h"

/* mkdtemp's template, in private_base(); the sweep takes only names of
 * this form. */
#define PRIVATE_PREFIX	"iamdb-exec."
#define PRIVATE_X	6
#define LOCK_NAME	"lock"

struct private_write_arg {
	const struct conn	*c;
	enum mycnf_reader	 reader;
};

static int
write_file_update(const char *old, size_t len, void *arg, struct buf *out,
    struct err *e)
{
	const struct private_write_arg *w = arg;
	struct conn c = *w->c;

	(void)old;
	(void)len;
	if (c.service->family == FAMILY_MYSQL) {
		c.mycnf_for = w->reader;
		return mycnf_update("", 0, &c, "client", 0, out, e);
	}
	/* A token is not tied to a database: the line serves every one
	 * (psql -d postgres, createdb). */
	c.database = NULL;
	return pgpass_update("", 0, &c, 0, out, e);
}

int
private_write(struct private_files *p, const struct conn *c, struct err *e)
{
	static const enum mycnf_reader readers[] = {
		MYCNF_ORACLE, MYCNF_MARIADB
	};
	struct private_write_arg w;
	size_t i;

	for (i = 0; p->file[i] != NULL; i++) {
		w.c = c;
		w.reader = readers[i];
		if (secret_file_update(p->file[i], write_file_update, &w, 5000,
		    e) == -1)
			return -1;
	}
	return 0;
}

/* A new string: a, sep and b (a path, a variable). */
static char *
joined(const char *a, const char *sep, const char *b)
{
	struct buf s = BUF_INIT;

	buf_printf(&s, "%s%s%s", a, sep, b);
	return s.data;
}

/* Where the private directory goes: the user's runtime directory, else
 * TMPDIR, else /tmp. */
static const char *
private_base(void)
{
	const char *base = getenv("XDG_RUNTIME_DIR");
	struct stat st;

	if (base == NULL || *base != '/' || stat(base, &st) == -1 ||
	    !S_ISDIR(st.st_mode))
		base = getenv("TMPDIR");
	if (base == NULL || *base != '/')
		base = "/tmp";
	return base;
}

/* Makes dir, or takes it as it is if it is a directory of the user's that
 * no one else can enter. */
static int
private_dir(const char *dir, struct err *e)
{
	struct stat st;

	if (mkdir(dir, 0700) == 0)
		return 0;
	if (errno != EEXIST || lstat(dir, &st) == -1)
		return err_set(e, ERR_IO, "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077) != 0)
		return err_set(e, ERR_IO, "%s: not a private directory of "
		    "this user's", dir);
	return 0;
}

/* The files in p->dir and the variables that name them, written. */
static int
private_fill(struct private_files *p, const struct conn *c, struct err *e)
{
	p->mysql = c->service->family == FAMILY_MYSQL;
	if (!p->mysql) {
		p->file[0] = joined(p->dir, "/", "pgpass");
		p->vars[0] = joined("PGPASSFILE", "=", p->file[0]);
		return private_write(p, c, e);
	}
	p->sub = joined(p->dir, "/", "mariadb");
	if (private_dir(p->sub, e) == -1) {
		free(p->sub);
		p->sub = NULL;
		return -1;
	}
	p->file[0] = joined(p->dir, "/", "my.cnf");
	p->file[1] = joined(p->sub, "/", "my.cnf");
	p->vars[0] = joined("MYSQL_HOME", "=", p->dir);
	p->vars[1] = joined("MARIADB_HOME", "=", p->sub);
	return private_write(p, c, e);
}

/* Whether name is one mkdtemp made from our template. */
static int
private_name(const char *name)
{
	size_t n = strlen(PRIVATE_PREFIX);

	return strncmp(name, PRIVATE_PREFIX, n) == 0 &&
	    strlen(name + n) == PRIVATE_X &&
	    strspn(name + n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789") == PRIVATE_X;
}

/* Opens what is at name in dirfd when it is this user's own and no one
 * else's to enter or write: a directory (0700) or a plain file. */
static int
open_own(int dirfd, const char *name, int dir)
{
	struct stat st;
	int fd = openat(dirfd, name, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR |
	    O_NONBLOCK) | O_NOFOLLOW | O_CLOEXEC);

	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1 || st.st_uid != geteuid() ||
	    (st.st_mode & 077) != 0 ||
	    (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Removes, in dirfd, the files a supervisor writes there. */
static void
unlink_written(int dirfd)
{
	static const char *const names[] = {
		"pgpass", "pgpass.lock", "my.cnf", "my.cnf.lock",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlinkat(dirfd, names[i], 0);
}

/* Removes base/name if the supervisor that made it is gone: its lock can
 * be taken. What is not exec's own stays, and so the directory too. */
static void
sweep_one(int basefd, const char *base, const char *name)
{
	struct flock fl;
	int dfd, lfd, sub;

	if ((dfd = open_own(basefd, name, 1)) == -1)
		return;
	/* No lock file: a supervisor still making it, or not exec's. */
	if ((lfd = open_own(dfd, LOCK_NAME, 0)) == -1) {
		close(dfd);
		return;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(lfd, F_SETLK, &fl) == 0) {
		unlink_written(dfd);
		if ((sub = open_own(dfd, "mariadb", 1)) != -1) {
			unlink_written(sub);
			close(sub);
			unlinkat(dfd, "mariadb", AT_REMOVEDIR);
		}
		unlinkat(dfd, LOCK_NAME, 0);
		if (unlinkat(basefd, name, AT_REMOVEDIR) == 0 && verbose)
			warnf("removed %s/%s, left by an exec that was killed",
			    base, name);
	}
	close(lfd);
	close(dfd);
}

static void
private_sweep(const char *base)
{
	struct dirent *de;
	DIR *d = opendir(base);

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (private_name(de->d_name))
			sweep_one(dirfd(d), base, de->d_name);
	closedir(d);
}

/* The lock a sweep must not take while this supervisor lives: made and
 * locked under another name, so that no sweep ever sees it unlocked. */
static int
private_lock(struct private_files *p, struct err *e)
{
	char *tmp = joined(p->dir, "/", LOCK_NAME ".new");
	char *lock = joined(p->dir, "/", LOCK_NAME);
	struct flock fl;
	int rc = 0;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if ((p->lock = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1 || fcntl(p->lock, F_SETLK, &fl) == -1 ||
	    rename(tmp, lock) == -1) {
		rc = err_set(e, ERR_IO, "%s: %s", lock, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	free(lock);
	return rc;
}

int
private_open(struct private_files *p, const struct conn *c, struct err *e)
{
	const char *base = private_base();
	char *tmpl = joined(base, "/", PRIVATE_PREFIX "XXXXXX");

	memset(p, 0, sizeof(*p));
	p->lock = -1;
	private_sweep(base);
	if (mkdtemp(tmpl) == NULL) {
		err_set(e, ERR_IO, "%s: %s", tmpl, strerror(errno));
		free(tmpl);
		return -1;
	}
	p->dir = tmpl;
	if (private_lock(p, e) == -1)
		return -1;
	return private_fill(p, c, e);
}

int
settings_open(struct private_files *p, const struct conn *c, struct err *e)
{
	struct conn nc = *c;
	struct buf key = BUF_INIT, dir = BUF_INIT;
	char hex[65];

	memset(p, 0, sizeof(*p));
	p->lock = -1;
	nc.token = NULL;
	buf_printf(&key, "%s\n%s\n%u\n%s\n%s\n%s", c->user, c->host, c->port,
	    c->database ? c->database : "", c->sslmode,
	    c->sslrootcert ? c->sslrootcert : "");
	sigv4_sha256_hex(key.data, key.len, hex);
	buf_free(&key);
	buf_printf(&dir, "%s/iamdb-exec-%lu-%.16s", private_base(),
	    (unsigned long)geteuid(), hex);
	p->dir = dir.data;
	if (private_dir(p->dir, e) == -1)
		return -1;
	return private_fill(p, &nc, e);
}

void
private_free(struct private_files *p)
{
	size_t i;

	free(p->sub);
	free(p->dir);
	for (i = 0; i < 2; i++) {
		free(p->file[i]);
		free(p->vars[i]);
	}
	memset(p, 0, sizeof(*p));
	p->lock = -1;
}

void
private_close(struct private_files *p)
{
	size_t i;

	for (i = 0; i < 2 && p->file[i] != NULL; i++) {
		char *lock = joined(p->file[i], "", ".lock");

		unlink(lock);
		unlink(p->file[i]);
		free(lock);
	}
	if (p->sub != NULL)
		rmdir(p->sub);
	if (p->lock != -1) {
		char *lock = joined(p->dir, "/", LOCK_NAME);

		unlink(lock);
		free(lock);
		close(p->lock);
	}
	if (p->dir != NULL)
		rmdir(p->dir);
	private_free(p);
}
