/* What the AWS API clients (STS, Redshift) share: a SigV4 header-signed
 * POST sent with retries, the form and XML of the Query protocol, and
 * AWS's words made fit for a message. */
#ifndef IAMDB_AWSAPI_H
#define IAMDB_AWSAPI_H

#include <time.h>

#include "http.h"
#include "providers.h"

struct api_call {
	const char	*what;		/* "STS": for messages */
	const char	*method;	/* NULL: POST */
	const char	*service;	/* the SigV4 signing name */
	const char	*region;
	const char	*url;		/* http(s)://HOST[:PORT][/PATH] */
	const char	*content_type;	/* NULL: none (a GET) */
	const char	*target;	/* X-Amz-Target; NULL: none */
	const char	*accept;	/* Accept, unsigned; NULL: none */
	const char	*body;
};

/* A signed call's header lines, "Name: value", in botocore's order;
 * list is NULL-ended. authorization is the Authorization value. */
struct api_headers {
	struct buf	 line[7];
	const char	*list[8];
	struct buf	 authorization;
};

/* Signs call at time when with creds (NULL: unsigned). -1 when the URL
 * cannot be used. */
int	api_sign(const struct api_call *, const struct credentials *,
	    time_t when, struct api_headers *, struct err *);
void	api_headers_free(struct api_headers *);

/* Sends call, signed anew at each of at most 3 attempts: again after a
 * failed connection, or when again(arg, response) says so (throttling,
 * server errors), after backing off. again sees every response and may
 * keep what it parsed of it in arg. 0 with the last response in rs; -1
 * when no response could be had. */
int	api_post(const struct api_call *, const struct credentials *,
	    int (*again)(void *, const struct http_response *), void *arg,
	    struct http_response *rs, struct err *);

/* Appends &KEY=VALUE (no & first) to a form body, encoded as SigV4
 * encodes; nothing when value is NULL. */
void	api_form_add(struct buf *, const char *key, const char *value);

/* The text of the elements named names[i] (the first of each) in an XML
 * answer, into values[i] (heap strings, NULL when absent; the caller
 * frees, wiping secrets). -1 when the answer is not XML or has a DTD. */
int	api_xml_fields(const char *body, size_t len, const char *const *names,
	    char **values, size_t n);

/* AWS's words as one line, control characters replaced, for a message
 * (s is changed in place); none when s is NULL. */
const char *api_one_line(char *s, const char *none);

/* Whether an error code is throttling, as botocore's retry rules say. */
int	api_throttled(const char *code);

#endif
