/*
 * The on-disk cache of temporary credentials (STS, SSO, web identity):
 * $XDG_CACHE_HOME/iamdb or ~/.cache/iamdb, a 0700 directory of 0600 JSON
 * files named by the SHA-256 of everything that selected the credentials.
 * An entry is reused until 5 minutes before it expires. Entries are written
 * atomically (temp file, fsync, rename) so a reader never sees half of one;
 * a writer holds a lock so that many processes that miss at once make one
 * request. A corrupt, foreign-owned, group/world-accessible or symlinked
 * entry is ignored, never trusted.
 */
#ifndef IAMDB_CACHE_H
#define IAMDB_CACHE_H

#include <time.h>

#include "../common/err.h"
#include "providers.h"

struct cache {
	char		*dir;		/* NULL: caching is off (--no-cache) */
	char		 key[65];	/* hex SHA-256 of the description */
	int		 lock_fd;	/* meaningful only while dir is set */
	int		 waited;	/* another process held the lock */
	struct timespec	 since;		/* when this one began to wait */
};

/* Opens the cache for credentials described by desc (a string naming
 * every input that selects them; it is hashed, never stored). Creates the
 * directory if needed. Always returns 0: a cache that cannot be used
 * safely is described in *warning and left off (dir NULL), and the caller
 * goes on without it; cache_lock and cache_put then do nothing. */
int	cache_open(struct cache *, const char *desc, int enabled,
	    struct err *warning);

/* 1 and all of c overwritten (source as stored) when a usable entry
 * exists (valid beyond now + margin); 0 and c untouched otherwise. */
int	cache_get(struct cache *, time_t now, struct credentials *c);

/* What cache_get does with an entry's bytes: 1 with c filled when they
 * are an entry of this version valid beyond now + margin, else 0. */
int	cache_parse_entry(const char *text, size_t len, time_t now,
	    struct credentials *c);

/* Takes the entry's exclusive lock, waiting at most wait_ms for another
 * writer: 0 with it held (lock_fd set) or, when the wait ran out, not
 * (lock_fd -1: the caller goes on without it); -1 on error. The caller
 * then checks cache_get again before fetching. */
int	cache_lock(struct cache *, long wait_ms, struct err *);

/* Stores c (which must have an expiration) atomically, mode 0600. */
int	cache_put(struct cache *, const struct credentials *c, struct err *);

/* While holding the lock: records that the fetch failed and why, for the
 * processes waiting on it (a small KEY.failed file, 0600). */
void	cache_fail(struct cache *, const struct err *why);

/* After waiting for the lock: 1 with the holder's reason in e when the
 * holder failed meanwhile, so that waiters do not each try in turn
 * behind a service that is down; else 0. */
int	cache_failure(struct cache *, struct err *);

/* SUB under the cache directory, created 0700 and checked as the cache
 * itself is; heap path, or NULL with e set. */
char	*cache_private_dir(const char *sub, struct err *);

/* Releases the lock if held and frees. */
void	cache_close(struct cache *);

#endif
