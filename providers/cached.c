/* Credentials fetched through the on-disk cache (cached_credentials, see
 * profile.h): look, lock, look again, fetch, store; waiters give up when
 * the holder's fetch failed, or go on without the cache after a deadline. */
#include <stdio.h>
#include <time.h>

#include "../common/timeutil.h"
#include "cache.h"
#include "endpoint.h"
#include "profile.h"

/* How long to wait for another process's fetch: as long as one takes at
 * worst (three attempts and their back-off), then go on without it. */
static long
lock_wait_ms(void)
{
	return 3 * http_timeout_ms() + 2000;
}

int
cached_credentials(struct provider_ctx *ctx, const struct cached_fetch *f,
    struct credentials *c, struct err *e)
{
	struct cache cache;
	struct err warning = { 0 };
	char until[21];
	int rc, hit;

	cache_open(&cache, f->desc, !ctx->no_cache, &warning);
	if (warning.kind != ERR_NONE)
		provider_explain(ctx, "cache", "not used: %s", warning.msg);
	if ((hit = cache_get(&cache, time(NULL), c)))
		goto hit;
	if (f->prepare != NULL && f->prepare(ctx, f->arg, e) == -1) {
		cache_close(&cache);
		return -1;
	}
	/* Lock, look again: whoever held the lock may have filled it. */
	if (cache.dir != NULL) {
		rc = cache_lock(&cache, lock_wait_ms(), &warning);
		if (rc == -1)
			provider_explain(ctx, "cache", "not locked: %s",
			    warning.msg);
		else if (cache.lock_fd == -1)
			provider_explain(ctx, "cache", "another iamdb process "
			    "held the lock for %ld s: going on without it",
			    lock_wait_ms() / 1000);
		else if ((hit = cache_get(&cache, time(NULL), c)))
			goto hit;
		else if (!f->personal && cache_failure(&cache, e)) {
			cache_close(&cache);
			return -1;
		}
	}
	/* Credentials inside the refresh margin would never be read back. */
	if ((rc = f->fetch(ctx, f->arg, c, e)) == 0 && cache.dir != NULL &&
	    c->has_expiration &&
	    renew_at(c->expiration, 0) > time(NULL) &&
	    cache_put(&cache, c, &warning) == -1)
		provider_explain(ctx, "cache", "not written: %s",
		    warning.msg);
	if (rc == -1)
		cache_fail(&cache, e);
	cache_close(&cache);
	return rc;
hit:
	time_format_iso8601(c->expiration, until);
	provider_explain(ctx, f->label, "cached until %s in %s", until,
	    cache.dir);
	cache_close(&cache);
	return 0;
}
