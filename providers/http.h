/* HTTP for the network providers, through libcurl loaded on first use:
 * linking libcurl costs every start ~5 ms, which the token path with
 * static or cached credentials must not pay. TLS peer and host
 * verification are always on, and an option that cannot be set fails the
 * request.
 *
 * What libcurl keeps of a request: its own copies of the URL and of each
 * header line (curl_slist_append), a session token's among them, and its
 * buffers for the answer; all freed, but not wiped (libcurl has no hook
 * for that), before http_do returns (curl_slist_free_all,
 * curl_easy_cleanup). Every request has a handle of its own: no
 * connection, TLS session or DNS cache outlives it. The body is not
 * copied (CURLOPT_POSTFIELDS): it stays the caller's to wipe. */
#ifndef IAMDB_HTTP_H
#define IAMDB_HTTP_H

#include <stddef.h>

#include "../common/buf.h"
#include "../common/err.h"

struct http_request {
	const char		*method;	/* "GET", "PUT", "POST" */
	const char		*url;
	const char *const	*headers;	/* "Name: value", NULL-ended */
	const char		*body;		/* may be NULL */
	size_t			 body_len;
	long			 timeout_ms;	/* whole request */
	long			 connect_timeout_ms;
	int			 attempts;	/* 1 + retries on 5xx/429 */
	const char		*what;		/* "STS", "IMDS": for errors */
	enum {
		HTTP_PROXY_CURL,	/* curl's rules: *_proxy, ALL_PROXY */
		HTTP_PROXY_BOTOCORE,	/* http(s)_proxy only, as botocore */
		HTTP_PROXY_NONE		/* never: the peer is local */
	}			 proxy;
};

struct http_response {
	long		status;
	int		connected;	/* a connection was made, even if the
					   request then failed */
	struct buf	body;		/* may hold secrets: buf_free wipes */
	struct buf	headers;	/* the raw response header lines */
};

/* A response header's value (not NUL-terminated: *len bytes), or NULL. */
const char *http_header(const struct http_response *, const char *name,
	    size_t *len);

/* 0 with any HTTP status in r; -1 when no response could be had. */
int	http_do(const struct http_request *, struct http_response *,
	    struct err *);
void	http_response_free(struct http_response *);

/* Whether a status is worth retrying: throttling and server errors. */
int	http_retryable(long status);

/* Sleeps before retry number n (1, 2, ...): exponential with full jitter,
 * as the AWS SDKs back off. */
void	http_backoff(int n);

#endif
