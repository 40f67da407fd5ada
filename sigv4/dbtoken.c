/*
 * RDS and DSQL tokens are presigned GET URLs without the scheme, e.g.
 *   host:5432/?Action=connect&DBUser=jane&X-Amz-Algorithm=...
 * The token keeps the host as given; the signed Host header is lower-cased
 * and drops port 443, as botocore derives it from https://host:port.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "dbtoken.h"

static int
valid_host(const char *h)
{
	size_t n = strlen(h), i;

	if (n == 0 || n > 253)
		return 0;
	if (h[0] == '[') {		/* IPv6 literal */
		if (n < 3 || h[n - 1] != ']')
			return 0;
		for (i = 1; i < n - 1; i++)
			if (!isxdigit((unsigned char)h[i]) && h[i] != ':' &&
			    h[i] != '.')
				return 0;
		return 1;
	}
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)h[i]) && h[i] != '.' &&
		    h[i] != '-' && h[i] != '_')
			return 0;
	return h[0] != '.' && h[0] != '-';
}

int
dbtoken_region_valid(const char *r)
{
	if (*r == '\0' || strlen(r) > 64)
		return 0;
	for (; *r; r++)
		if (!islower((unsigned char)*r) && !isdigit((unsigned char)*r) &&
		    *r != '-')
			return 0;
	return 1;
}

/* Database user names are UTF-8 text without control characters. */
static int
valid_user(const char *u)
{
	const unsigned char *p = (const unsigned char *)u;

	if (*p == '\0')
		return 0;
	while (*p) {
		int len, i;
		unsigned cp;

		if (*p < 0x80) {
			if (*p < 0x20 || *p == 0x7f)
				return 0;
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0) {
			len = 2;
			cp = *p & 0x1f;
		} else if ((*p & 0xf0) == 0xe0) {
			len = 3;
			cp = *p & 0x0f;
		} else if ((*p & 0xf8) == 0xf0) {
			len = 4;
			cp = *p & 0x07;
		} else
			return 0;
		for (i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += len;
	}
	return 1;
}

/* EKS cluster names: 1-100 of [0-9A-Za-z_-], not starting with - or _
 * (botocore's CreateCluster model). */
static int
valid_cluster(const char *c)
{
	size_t n = strlen(c), i;

	if (n == 0 || n > 100 || !isalnum((unsigned char)c[0]))
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)c[i]) && c[i] != '-' && c[i] != '_')
			return 0;
	return 1;
}

/* URL-safe base64 without padding, as the authenticator and the MSK
 * signers decode it. */
static void
base64url(struct buf *out, const unsigned char *p, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 |
		    p[i + 2];

		buf_addc(out, abc[v >> 18 & 63]);
		buf_addc(out, abc[v >> 12 & 63]);
		buf_addc(out, abc[v >> 6 & 63]);
		buf_addc(out, abc[v & 63]);
	}
	if (n - i == 1) {
		buf_addc(out, abc[p[i] >> 2]);
		buf_addc(out, abc[(p[i] & 3) << 4]);
	} else if (n - i == 2) {
		buf_addc(out, abc[p[i] >> 2]);
		buf_addc(out, abc[(p[i] & 3) << 4 | p[i + 1] >> 4]);
		buf_addc(out, abc[(p[i + 1] & 15) << 2]);
	}
}

/* application/x-www-form-urlencoded, as Python's quote_plus writes it. */
static void
form_encode(struct buf *out, const char *s)
{
	for (; *s; s++)
		if (isalnum((unsigned char)*s) || strchr("-_.~", *s) != NULL)
			buf_addc(out, *s);
		else if (*s == ' ')
			buf_addc(out, '+');
		else
			buf_printf(out, "%%%02X", (unsigned char)*s);
}

/* The service's endpoint for region: {region} and {domain} replaced. */
static void
endpoint_host(struct buf *out, const char *tmpl, const char *region)
{
	while (*tmpl != '\0') {
		if (strncmp(tmpl, "{region}", 8) == 0) {
			buf_adds(out, region);
			tmpl += 8;
		} else if (strncmp(tmpl, "{domain}", 8) == 0) {
			buf_adds(out, partition_domain(region));
			tmpl += 8;
		} else
			buf_addc(out, *tmpl++);
	}
}

static int
check_target(const struct dbtoken_target *t, const struct sigv4_credentials
    *cred, struct err *e)
{
	const struct service *svc = t->service;

	if (svc->host_form == HOST_ENDPOINT && service_needs(svc, NEEDS_HOST)) {
		if (t->host == NULL || !valid_cluster(t->host))
			return err_set(e, ERR_USAGE, "invalid %s cluster name "
			    "'%s': 1 to 100 letters, digits, '-' and '_', "
			    "beginning with a letter or digit", svc->title,
			    t->host ? t->host : "");
	} else if (service_needs(svc, NEEDS_HOST) &&
	    (t->host == NULL || !valid_host(t->host)))
		return err_set(e, ERR_USAGE, "invalid host name '%s'",
		    t->host ? t->host : "");
	if (svc->host_form == HOST_AND_PORT && (t->port < 1 || t->port > 65535))
		return err_set(e, ERR_USAGE, "port %u out of range 1-65535",
		    t->port);
	if (service_needs(svc, NEEDS_USER) &&
	    (t->user == NULL || !valid_user(t->user)))
		return err_set(e, ERR_USAGE, "invalid user name: it must be "
		    "non-empty UTF-8 without control characters");
	if (t->region == NULL || !dbtoken_region_valid(t->region))
		return err_set(e, ERR_USAGE, "invalid region '%s'",
		    t->region ? t->region : "");
	if (t->expires < 1 || t->expires > svc->max_expires)
		return err_set(e, ERR_USAGE, "expiry %ld s out of range: "
		    "%s accepts 1 to %ld seconds", t->expires, svc->title,
		    svc->max_expires);
	if (t->serverless && svc->serverless == NULL)
		return err_set(e, ERR_USAGE, "%s has no serverless caches",
		    svc->title);
	if (cred->access_key_id == NULL || *cred->access_key_id == '\0' ||
	    cred->secret_access_key == NULL || *cred->secret_access_key == '\0')
		return err_set(e, ERR_CREDENTIALS, "incomplete credentials");
	return 0;
}

int
dbtoken_make(struct sigv4_signer *signer, const struct dbtoken_target *t,
    const struct sigv4_credentials *cred, struct buf *out, struct err *e)
{
	const struct service *svc = t->service;
	int with_port = svc->host_form == HOST_AND_PORT;
	struct sigv4_param params[4];
	struct sigv4_header headers[2];
	struct sigv4_request r;
	struct buf signed_host = BUF_INIT, url = BUF_INIT;
	char port[8], *p;

	if (check_target(t, cred, e) == -1)
		return -1;

	snprintf(port, sizeof(port), ":%u", t->port);
	if (svc->host_form == HOST_ENDPOINT)
		endpoint_host(&signed_host, svc->endpoint, t->region);
	else
		buf_adds(&signed_host, t->host);
	for (p = signed_host.data; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (with_port && t->port != 443)
		buf_adds(&signed_host, port);

	memset(&r, 0, sizeof(r));
	headers[r.nheaders].name = "host";
	headers[r.nheaders++].value = buf_str(&signed_host);
	if (svc->name_header != NULL) {
		headers[r.nheaders].name = svc->name_header;
		headers[r.nheaders++].value = t->host;
	}
	params[r.nparams].key = "Action";
	params[r.nparams++].value = service_action(svc, t->user);
	if (svc->version != NULL) {
		params[r.nparams].key = "Version";
		params[r.nparams++].value = svc->version;
	}
	if (svc->user_param != NULL) {
		params[r.nparams].key = svc->user_param;
		params[r.nparams++].value = t->user;
	}
	if (t->serverless) {
		params[r.nparams].key = "ResourceType";
		params[r.nparams++].value = svc->serverless;
	}
	r.method = "GET";
	r.path = "/";
	r.params = params;
	r.headers = headers;
	r.region = t->region;
	r.service = svc->signing_name;
	r.when = t->when;
	r.expires = t->expires;

	if (svc->token_form == TOKEN_URL) {
		buf_adds(out, t->host);
		if (with_port)
			buf_adds(out, port);
		buf_adds(out, "/?");
		sigv4_presign(signer, &r, cred, out, NULL);
		buf_free(&signed_host);
		return 0;
	}
	buf_printf(&url, "https://%s/?", buf_str(&signed_host));
	sigv4_presign(signer, &r, cred, &url, NULL);
	if (svc->token_form == TOKEN_K8S)
		buf_adds(out, "k8s-aws-v1.");
	else {
		buf_adds(&url, "&User-Agent=");
		form_encode(&url, t->user_agent ? t->user_agent :
		    "iamdb/" IAMDB_VERSION);
	}
	base64url(out, (const unsigned char *)url.data, url.len);
	buf_free(&url);
	buf_free(&signed_host);
	return 0;
}
