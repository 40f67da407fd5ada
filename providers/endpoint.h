/* Endpoints and timeouts for every network provider (endpoint.c). */
#ifndef IAMDB_ENDPOINT_H
#define IAMDB_ENDPOINT_H

#include "providers.h"

/* The endpoint URL configured for a service ("sts", "sso"), in botocore's
 * order: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, endpoint_url in
 * the service's block of the profile's [services NAME], the profile's
 * endpoint_url; none when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (else the
 * profile's ignore_configured_endpoint_urls) is true. 0 with *url (a heap
 * string, NULL for none), -1 when a setting cannot be used. */
int	endpoint_override(struct provider_ctx *, const char *service,
	    char **url, struct err *);

/* https://HOST for a service in a region, with the partition's domain. */
char	*endpoint_for_region(const char *prefix, const char *region);

/* The HTTP timeout in milliseconds: IAMDB_HTTP_TIMEOUT seconds, default 10. */
long	http_timeout_ms(void);
/* The same for a request with a default of its own (the container
 * endpoint's 2 s, botocore's): IAMDB_HTTP_TIMEOUT when it is set. */
long	http_timeout_ms_or(long unset_ms);

/* botocore's ensure_boolean: "true" in any case, else false. */
int	is_true(const char *);

#endif
