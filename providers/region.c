#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../sigv4/dbtoken.h"
#include "profile.h"

/* The services whose endpoints name their region that way. */
static const char *const labels[] = {
	".rds", ".redshift", ".redshift-serverless",
};

static int
region_like(const char *s, size_t n)
{
	size_t i;
	int dash = 0, digit = 0;

	if (n < 4 || n > 32)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '-')
			dash = 1;
		else if (isdigit((unsigned char)s[i]))
			digit = 1;
		else if (!islower((unsigned char)s[i]))
			return 0;
	}
	return dash && digit;
}

/* The label that ends just before host[end]. */
static char *
label_before(const char *host, size_t end)
{
	size_t start = end;

	while (start > 0 && host[start - 1] != '.')
		start--;
	if (start == 0 || !region_like(host + start, end - start))
		return NULL;
	return xstrndup(host + start, end - start);
}

char *
region_from_host(const char *host)
{
	char *h = xstrdup(host), *p, *region = NULL;
	const char *domain;
	size_t n = strlen(h), i, j, plen, slen;

	for (p = h; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (n && h[n - 1] == '.')	/* a fully qualified name */
		h[--n] = '\0';

	/* CLUSTER.dsql.REGION.on.aws */
	if (n > 7 && strcmp(h + n - 7, ".on.aws") == 0) {
		size_t end = n - 7, start = end;

		while (start > 0 && h[start - 1] != '.')
			start--;
		if (start >= 6 && strncmp(h + start - 6, ".dsql.", 6) == 0 &&
		    region_like(h + start, end - start))
			region = xstrndup(h + start, end - start);
		free(h);
		return region;
	}
	/* NAME.ID.REGION.SERVICE.PARTITION-DOMAIN (rds, redshift,
	 * redshift-serverless), and MemoryDB's
	 * clustercfg.NAME.ID.memorydb.REGION.PARTITION-DOMAIN */
	for (i = 0; (domain = partition_domain_nth(i)) != NULL; i++) {
		plen = strlen(domain) + 1;
		if (n <= plen || h[n - plen] != '.' ||
		    strcmp(h + n - plen + 1, domain) != 0)
			continue;
		for (j = 0; j < sizeof(labels) / sizeof(labels[0]); j++) {
			slen = strlen(labels[j]);
			if (n > plen + slen && strncmp(h + n - plen - slen,
			    labels[j], slen) == 0) {
				region = label_before(h, n - plen - slen);
				break;
			}
		}
		if (region == NULL && j == sizeof(labels) / sizeof(labels[0]) &&
		    (region = label_before(h, n - plen)) != NULL) {
			size_t start = n - plen - strlen(region);

			if (start < 10 || strncmp(h + start - 10, ".memorydb.",
			    10) != 0) {
				free(region);
				region = NULL;
			}
		}
		break;
	}
	free(h);
	return region;
}

static int
resolved(struct region *r, char *name, const char *source, struct err *e)
{
	r->name = name;
	r->source = xstrdup(source);
	if (dbtoken_region_valid(name))
		return 0;
	err_set(e, strcmp(source, "--region") == 0 ? ERR_USAGE : ERR_CONFIG,
	    "invalid region '%s' from %s: expected lower-case letters, "
	    "digits and '-', like us-east-1", name, source);
	region_free(r);
	return -1;
}

int
region_resolve(struct region *r, const char *cli_region, const char *host,
    struct provider_ctx *ctx, int required, struct err *e)
{
	struct awsconfig *cfg = ctx->cfg;
	char *imds;
	char *from_host = host ? region_from_host(host) : NULL;
	const char *v, *where;

	memset(r, 0, sizeof(*r));
	if (cli_region != NULL) {
		if (resolved(r, xstrdup(cli_region), "--region", e) == -1) {
			free(from_host);
			return -1;
		}
		if (from_host != NULL && strcmp(from_host, cli_region) != 0) {
			struct buf w = BUF_INIT;

			buf_printf(&w, "--region %s differs from the region in "
			    "host name %s (%s): the database will reject the "
			    "token unless it is signed for its own region",
			    cli_region, host, from_host);
			r->warning = xstrdup(buf_str(&w));
			buf_free(&w);
		}
		free(from_host);
		return 0;
	}
	if (from_host != NULL)
		return resolved(r, from_host, "host name", e);
	if ((v = env_nonempty("AWS_REGION")) != NULL)
		return resolved(r, xstrdup(v), "AWS_REGION", e);
	if ((v = env_nonempty("AWS_DEFAULT_REGION")) != NULL)
		return resolved(r, xstrdup(v), "AWS_DEFAULT_REGION", e);
	if (awsconfig_load(cfg, e) == -1)
		return -1;
	if (awsconfig_setting(cfg, cfg->profile, "region", 0, &v, e) == -1)
		return -1;
	if (v != NULL && *v != '\0') {
		awsconfig_get(cfg, "region", &where);
		return resolved(r, xstrdup(v), where, e);
	}
	/* Asking instance metadata costs a request, up to a second off EC2:
	 * only worth it when a region is needed to sign. */
	if (!required)
		return 0;
	if ((imds = imds_region(ctx)) != NULL)
		return resolved(r, imds, "instance metadata", e);
	return err_set(e, ERR_CONFIG, "no region: use --region, an AWS "
	    "endpoint host name, AWS_REGION, or 'region' in profile '%s'",
	    cfg->profile);
}

void
region_free(struct region *r)
{
	free(r->name);
	free(r->source);
	free(r->warning);
	memset(r, 0, sizeof(*r));
}
