/*
 * ECS task roles and EKS Pod Identity: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
 * (under http://169.254.170.2) or AWS_CONTAINER_CREDENTIALS_FULL_URI, with
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or _TOKEN as the Authorization
 * header. A full URI must be https or one of the documented local
 * addresses, so that credentials are never fetched from elsewhere in the
 * clear.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "credjson.h"
#include "http.h"
#include "profile.h"
#include "sts.h"

/* An IPv4 address in dotted-decimal that is in 127.0.0.0/8, as Python's
 * ip_address(host).is_loopback tells it: four numbers 0-255, no leading
 * zeros. */
static int
loopback_v4(const char *h, size_t n)
{
	size_t i = 0, digits;
	int parts = 0, v;

	while (parts < 4) {
		for (v = 0, digits = 0; i < n && h[i] >= '0' && h[i] <= '9';
		    i++, digits++)
			v = v * 10 + (h[i] - '0');
		if (digits == 0 || digits > 3 || v > 255 ||
		    (digits > 1 && h[i - digits] == '0') ||
		    (parts == 0 && v != 127))
			return 0;
		if (++parts < 4 && (i >= n || h[i++] != '.'))
			return 0;
	}
	return i == n;
}

/* [::1] however it is spelt ([0:0:0:0:0:0:0:1], [::0:1]), as Python's
 * ip_address(host).is_loopback tells it. */
static int
loopback_v6(const char *h, size_t n)
{
	struct in6_addr a;
	char inner[INET6_ADDRSTRLEN];

	if (n < 2 || n - 2 >= sizeof(inner) || h[0] != '[' || h[n - 1] != ']')
		return 0;
	memcpy(inner, h + 1, n - 2);
	inner[n - 2] = '\0';
	return inet_pton(AF_INET6, inner, &a) == 1 &&
	    memcmp(&a, &in6addr_loopback, sizeof(a)) == 0;
}

/* The host of an http:// URL is loopback, ECS's or EKS's address, as
 * botocore's ContainerMetadataFetcher allows (host names compare in
 * lower case). */
static int
allowed_http_host(const char *url)
{
	static const char *const hosts[] = {
		"169.254.170.2", "169.254.170.23", "[fd00:ec2::23]",
		"localhost",
	};
	const char *h = url + 7, *end;
	size_t n, i;

	if (*h == '[')
		end = strchr(h, ']') ? strchr(h, ']') + 1 : h + strlen(h);
	else
		end = h + strcspn(h, ":/?#");
	n = (size_t)(end - h);
	if (memchr(h, '@', strcspn(h, "/?#")) != NULL)
		return 0;
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		if (strlen(hosts[i]) == n && strncasecmp(h, hosts[i], n) == 0)
			return 1;
	return loopback_v4(h, n) || loopback_v6(h, n);
}

/* botocore takes the answer's Token as required. */
static int
need_token(struct credentials *c, struct err *e)
{
	if (c->session_token != NULL)
		return 0;
	credentials_free(c);
	return err_set(e, ERR_NETWORK, "container credentials answer: no "
	    "Token in the answer");
}

/* The Authorization header line, from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
 * (EKS Pod Identity) else AWS_CONTAINER_AUTHORIZATION_TOKEN, into auth;
 * nothing when neither is set. The token is one header value: no line
 * break, no control character. */
static int
authorization(struct buf *auth, struct err *e)
{
	const char *file = env_nonempty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *var = env_nonempty("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	char *token = NULL;
	int rc = 0;

	if (file != NULL) {
		if ((token = read_secret_file(file, 16 * 1024,
		    "container authorization token file", e)) == NULL)
			return -1;
	} else if (var != NULL)
		token = xstrdup(var);
	if (token == NULL)
		return 0;
	if (control_char(token))
		rc = err_set(e, ERR_CREDENTIALS, "the container authorization "
		    "token contains a line break or another control "
		    "character");
	else
		buf_printf(auth, "Authorization: %s", token);
	wipe_str(token);
	return rc;
}

static int
container_get(struct provider_ctx *ctx, struct credentials *c,
    int *found, struct err *e)
{
	const char *rel, *full;
	const char *headers[3] = { "Accept: application/json", NULL, NULL };
	struct buf url = BUF_INIT, auth = BUF_INIT;
	struct http_request rq;
	struct http_response rs;
	int rc = -1;

	*found = 0;
	if (env_setting("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", &rel,
	    e) == -1 ||
	    env_setting("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full, e) == -1)
		return -1;
	if (rel == NULL && full == NULL) {
		provider_explain(ctx, "container", "AWS_CONTAINER_CREDENTIALS_"
		    "RELATIVE_URI and _FULL_URI are not set");
		return 0;
	}
	if (rel != NULL) {
		buf_printf(&url, "http://169.254.170.2%s%s", *rel == '/' ? "" :
		    "/", rel);
	} else if (strncmp(full, "https://", 8) == 0 ||
	    (strncmp(full, "http://", 7) == 0 && allowed_http_host(full))) {
		buf_adds(&url, full);
	} else
		return err_set(e, ERR_CREDENTIALS, "AWS_CONTAINER_CREDENTIALS_"
		    "FULL_URI must be https, or http to a loopback, ECS or "
		    "EKS Pod Identity address");

	if (authorization(&auth, e) == -1)
		goto out;
	if (auth.len > 0)
		headers[1] = buf_str(&auth);

	rq = (struct http_request){ .method = "GET", .url = buf_str(&url),
	    .headers = headers, .timeout_ms = http_timeout_ms_or(2000),
	    .attempts = 3, .what = "container credentials endpoint",
	    /* As botocore: never through a proxy, which would see the
	     * token. */
	    .proxy = HTTP_PROXY_NONE };
	if (http_do(&rq, &rs, e) == -1)
		goto out;
	if (rs.status != 200)
		err_set(e, ERR_NETWORK, "container credentials endpoint: HTTP "
		    "%ld", rs.status);
	else if (credentials_from_answer(buf_str(&rs.body), rs.body.len, NULL,
	    &cred_fields_metadata, c, "container credentials answer",
	    e) == 0 && need_token(c, e) == 0) {
		snprintf(c->source, sizeof(c->source), "container credentials "
		    "endpoint");
		*found = 1;
		rc = 0;
	} else
		e->kind = ERR_NETWORK;
	http_response_free(&rs);
out:
	buf_free(&url);
	buf_free(&auth);
	return rc;
}

const struct provider provider_container = { "container", container_get };
