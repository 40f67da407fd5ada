/* The default credentials chain, in the order of botocore's resolver. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "providers.h"

static const struct provider *const chain[] = {
	&provider_env,
	&provider_shared_credentials,
	&provider_config_file,
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
			provider_explain(ctx, chain[i]->name, "found %s "
			    "credentials in %s", c->session_token ?
			    "temporary" : "long-term", c->source);
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
	    "tried, in order:\n%s", buf_str(&ctx->explain));
}

void
credentials_free(struct credentials *c)
{
	wipe_str(c->access_key_id);
	wipe_str(c->secret_access_key);
	wipe_str(c->session_token);
	memset(c, 0, sizeof(*c));
}
