/* Where requests go and how long they may take: the endpoint settings
 * botocore reads (AWS_ENDPOINT_URL_<SERVICE>, [services], endpoint_url),
 * a region's endpoint in its partition, IAMDB_HTTP_TIMEOUT. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../sigv4/service.h"
#include "endpoint.h"
#include "profile.h"

long
http_timeout_ms_or(long unset_ms)
{
	const char *v = getenv("IAMDB_HTTP_TIMEOUT");
	char *end;
	double s;

	if (v == NULL || *v == '\0')
		return unset_ms;
	s = strtod(v, &end);
	if (*end != '\0' || s <= 0 || s > 600)
		return unset_ms;
	return (long)(s * 1000);
}

long
http_timeout_ms(void)
{
	return http_timeout_ms_or(10000);
}

int
is_true(const char *v)
{
	return v != NULL && strcasecmp(v, "true") == 0;
}

int
endpoint_override(struct provider_ctx *ctx, const char *service, char **url,
    struct err *e)
{
	struct awsconfig *cfg = ctx->cfg;
	const char *v, *name, *section;
	struct buf var = BUF_INIT;
	char *p;

	*url = NULL;
	if (env_setting("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", &v, e) == -1 ||
	    (v == NULL && awsconfig_setting(cfg, cfg->profile,
	    "ignore_configured_endpoint_urls", 0, &v, e) == -1))
		return -1;
	if (is_true(v))
		return 0;
	buf_printf(&var, "AWS_ENDPOINT_URL_%s", service);
	for (p = var.data; *p != '\0'; p++)
		*p = (char)toupper((unsigned char)*p);
	if (env_setting(buf_str(&var), &v, e) == -1 ||
	    (v == NULL && env_setting("AWS_ENDPOINT_URL", &v, e) == -1)) {
		buf_free(&var);
		return -1;
	}
	buf_free(&var);
	if (v != NULL) {
		*url = xstrdup(v);
		return 0;
	}
	if (awsconfig_setting(cfg, cfg->profile, "services", 0, &name,
	    e) == -1)
		return -1;
	if (name != NULL) {
		if ((section = awsconfig_services_section(cfg, name)) == NULL)
			return err_set(e, ERR_CONFIG, "profile %s: services "
			    "'%s' names no [services %s] in %s", cfg->profile,
			    name, name, cfg->config_path);
		if (ini_nested(&cfg->config, section, service, "endpoint_url",
		    url, e) == -1)
			return -1;
		if (*url != NULL && **url != '\0')
			return 0;
		free(*url);
		*url = NULL;
	}
	if (awsconfig_setting(cfg, cfg->profile, "endpoint_url", 0, &v,
	    e) == -1)
		return -1;
	if (v != NULL && *v != '\0')
		*url = xstrdup(v);
	return 0;
}

char *
endpoint_for_region(const char *prefix, const char *region)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "https://%s.%s.%s", prefix, region,
	    partition_domain(region));
	return b.data;
}
