#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../providers/providers.h"
#include "helper.h"

int
session_open(struct session *s, const struct target *t, int region_required)
{
	struct err e = { 0 };
	int rc = EXIT_OK;

	memset(s, 0, sizeof(*s));
	awsconfig_init(&s->cfg, t->profile);
	s->ctx.cfg = &s->cfg;
	s->ctx.now = time(NULL);
	s->ctx.mfa_code = t->mfa_code;
	s->ctx.no_cache = t->no_cache;

	if (awsconfig_check_profile(&s->cfg, &e) == -1 ||
	    region_resolve(&s->region, t->region, t->host, &s->ctx,
	    region_required, &e) == -1)
		return fail(&e);
	if (s->region.warning != NULL)
		warnx("warning: %s", s->region.warning);
	if (verbose && s->region.name != NULL)
		warnx("region %s (from %s)", s->region.name,
		    s->region.source);
	s->ctx.region = s->region.name;

	if (credentials_resolve(&s->ctx, &s->creds, &e) == -1)
		rc = fail(&e);
	if (verbose && rc == EXIT_OK)
		fprintf(stderr, "iamdb: credentials, in the order tried:\n%s",
		    buf_str(&s->ctx.explain));
	else if (verbose && e.kind != ERR_CREDENTIALS)
		fprintf(stderr, "iamdb: credentials tried:\n%s",
		    buf_str(&s->ctx.explain));
	return rc;
}

void
session_close(struct session *s)
{
	credentials_free(&s->creds);
	region_free(&s->region);
	buf_free(&s->ctx.explain);
	awsconfig_free(&s->cfg);
}
