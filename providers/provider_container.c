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

#include "credjson.h"
#include "http.h"
#include "profile.h"
#include "sts.h"

/* The host of an http:// URL is loopback, ECS's or EKS's address. */
static int
allowed_http_host(const char *url)
{
	static const char *const hosts[] = {
		"169.254.170.2", "169.254.170.23", "[fd00:ec2::23]",
		"localhost", "[::1]",
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
		if (strlen(hosts[i]) == n && strncmp(h, hosts[i], n) == 0)
			return 1;
	/* 127.0.0.0/8 */
	if (n >= 9 && strncmp(h, "127.", 4) == 0) {
		for (i = 4; i < n; i++)
			if (!(h[i] >= '0' && h[i] <= '9') && h[i] != '.')
				return 0;
		return 1;
	}
	return 0;
}

int
container_credentials(struct provider_ctx *ctx, struct credentials *c,
    struct err *e)
{
	static const struct cred_fields fields = {
		"AccessKeyId", "SecretAccessKey", "Token", "Expiration", 0, 0
	};
	const char *rel = env_nonempty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = env_nonempty("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	const char *token_file = env_nonempty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *headers[3] = { "Accept: application/json", NULL, NULL };
	struct buf url = BUF_INIT, auth = BUF_INIT;
	struct http_request rq;
	struct http_response rs;
	char *token = NULL;
	json_t *doc = NULL;
	int rc = -1;

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

	if (token_file != NULL) {
		if ((token = read_secret_file(token_file, 16 * 1024,
		    "container authorization token file", e)) == NULL)
			goto out;
	} else if (env_nonempty("AWS_CONTAINER_AUTHORIZATION_TOKEN") != NULL)
		token = xstrdup(env_nonempty("AWS_CONTAINER_AUTHORIZATION_TOKEN"));
	if (token != NULL) {
		if (strpbrk(token, "\r\n") != NULL) {
			err_set(e, ERR_CREDENTIALS, "the container "
			    "authorization token contains a line break");
			goto out;
		}
		buf_printf(&auth, "Authorization: %s", token);
		headers[1] = buf_str(&auth);
	}

	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.url = buf_str(&url);
	rq.headers = headers;
	rq.timeout_ms = 2000 < http_timeout_ms() ? 2000 : http_timeout_ms();
	rq.attempts = 3;
	rq.what = "container credentials endpoint";
	if (http_do(&rq, &rs, e) == -1)
		goto out;
	if (rs.status != 200)
		err_set(e, ERR_NETWORK, "container credentials endpoint: HTTP "
		    "%ld", rs.status);
	else if ((doc = json_parse(buf_str(&rs.body), rs.body.len,
	    "container credentials answer", e)) != NULL &&
	    credentials_from_json(doc, &fields, c, "container credentials "
	    "answer", e) == 0) {
		snprintf(c->source, sizeof(c->source), "container credentials "
		    "endpoint");
		rc = 1;
	} else
		e->kind = ERR_NETWORK;
	http_response_free(&rs);
out:
	json_decref(doc);
	wipe_str(token);
	buf_free(&url);
	buf_free(&auth);
	return rc;
}

static int
container_get(struct provider_ctx *ctx, struct credentials *c,
    struct err *e)
{
	return container_credentials(ctx, c, e);
}

const struct provider provider_container = { "container", container_get };
