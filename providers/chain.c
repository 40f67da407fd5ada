/* The default credentials chain, in botocore's order: the environment, the
 * profile's role_arn, web identity (the environment's or the profile's),
 * the profile's other sources, the container endpoint, EC2 instance
 * metadata. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/timeutil.h"
#include "../common/vis.h"
#include "cache.h"
#include "profile.h"
#include "sts.h"

static const struct provider *const chain[] = {
	&provider_env,
	&provider_assume_role,
	&provider_web_identity,
	&provider_profile,
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
	/* Escaped here, where what a peer said goes in: the list is printed
	 * line by line. */
	buf_printf(&ctx->explain, "  %s: ", name);
	vis_add(&ctx->explain, line, strlen(line));
	buf_addc(&ctx->explain, '\n');
}

static void
explain_found(struct provider_ctx *ctx, const char *name,
    const struct credentials *c)
{
	char until[21];

	if (!c->has_expiration) {
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
	int rc, found;

	memset(c, 0, sizeof(*c));
	if (imds_check_settings(ctx, e) == -1)
		return -1;
	for (i = 0; i < sizeof(chain) / sizeof(chain[0]); i++) {
		rc = chain[i]->get(ctx, c, &found, e);
		if (rc == 0 && found &&
		    credentials_check(c, c->source, e) == -1)
			rc = -1;
		if (rc == 0 && found) {
			explain_found(ctx, chain[i]->name, c);
			/* Never sign with credentials that have run out. */
			if (c->has_expiration && c->expiration <= time(NULL)) {
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
	err_set(e, ERR_CREDENTIALS, "no AWS credentials found; tried, in "
	    "order:\n%.*s", (int)(ctx->explain.len ? ctx->explain.len - 1 :
	    0), buf_str(&ctx->explain));
	e->lines = 1;
	return -1;
}

void
credentials_free(struct credentials *c)
{
	wipe_str(c->access_key_id);
	wipe_str(c->secret_access_key);
	wipe_str(c->session_token);
	memset(c, 0, sizeof(*c));
}
