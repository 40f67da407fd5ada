/* The default credentials chain, in the order of the AWS SDKs: the
 * environment, the profile, web identity from the environment, the
 * container endpoint, EC2 instance metadata. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/timeutil.h"
#include "cache.h"
#include "profile.h"

static const struct provider *const chain[] = {
	&provider_env,
	&provider_profile,
	&provider_web_identity,
	&provider_container,
	&provider_imds,
};

void
provider_explain(struct provider_ctx *ctx, const char *name,
    const char *fmt, ...)
{
	va_list ap;
	char line[1024];

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	buf_printf(&ctx->explain, "  %s: %s\n", name, line);
}

static void
explain_found(struct provider_ctx *ctx, const char *name,
    const struct credentials *c)
{
	char until[21];

	if (c->expiration == 0) {
		provider_explain(ctx, name, "found %s credentials (%s)",
		    c->session_token ? "temporary" : "long-term", c->source);
		return;
	}
	time_format_iso8601(c->expiration, until);
	provider_explain(ctx, name, "found temporary credentials valid until "
	    "%s (%s)", until, c->source);
}

int
credentials_resolve(struct provider_ctx *ctx, struct credentials *c,
    struct err *e)
{
	size_t i;
	int rc;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < sizeof(chain) / sizeof(chain[0]); i++) {
		rc = chain[i]->get(ctx, c, e);
		if (rc == 1) {
			explain_found(ctx, chain[i]->name, c);
			/* Never sign with credentials that have run out. */
			if (c->expiration != 0 && c->expiration <= time(NULL)) {
				char when[21];

				time_format_iso8601(c->expiration, when);
				err_set(e, ERR_CREDENTIALS, "the credentials "
				    "from %s expired at %s", c->source, when);
				credentials_free(c);
				return -1;
			}
			return 0;
		}
		if (rc == -1) {
			provider_explain(ctx, chain[i]->name, "failed: %s",
			    e->msg);
			credentials_free(c);
			return -1;
		}
	}
	return err_set(e, ERR_CREDENTIALS, "no AWS credentials found; "
	    "tried, in order:\n%.*s", (int)(ctx->explain.len ?
	    ctx->explain.len - 1 : 0), buf_str(&ctx->explain));
}

int
cached_credentials(struct provider_ctx *ctx, const char *desc,
    const char *label, fetch_fn fetch, void *arg, struct credentials *c,
    struct err *e)
{
	struct cache cache;
	struct err warning = { 0 };
	char until[21];
	int rc, hit;

	cache_open(&cache, desc, !ctx->no_cache, &warning);
	if (warning.kind != ERR_NONE)
		provider_explain(ctx, "cache", "not used: %s", warning.msg);
	/* Look, lock, look again: whoever held the lock may have filled it. */
	if (!(hit = cache_get(&cache, time(NULL), c)) && cache.dir != NULL) {
		if (cache_lock(&cache, &warning) == -1)
			provider_explain(ctx, "cache", "not locked: %s",
			    warning.msg);
		else
			hit = cache_get(&cache, time(NULL), c);
	}
	if (hit) {
		time_format_iso8601(c->expiration, until);
		provider_explain(ctx, label, "cached until %s in %s", until,
		    cache.dir);
		cache_close(&cache);
		return 0;
	}
	/* Credentials inside the refresh margin would never be read back. */
	if ((rc = fetch(ctx, arg, c, e)) == 0 && cache.dir != NULL &&
	    c->expiration > time(NULL) + CACHE_REFRESH_MARGIN &&
	    cache_put(&cache, c, &warning) == -1)
		provider_explain(ctx, "cache", "not written: %s",
		    warning.msg);
	cache_close(&cache);
	return rc;
}

void
credentials_free(struct credentials *c)
{
	wipe_str(c->access_key_id);
	wipe_str(c->secret_access_key);
	wipe_str(c->session_token);
	memset(c, 0, sizeof(*c));
}
