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

int
dbtoken_make(struct sigv4_signer *signer, const struct dbtoken_target *t,
    const struct sigv4_credentials *cred, struct buf *out, struct err *e)
{
	const struct service *svc = t->service;
	int with_port = svc->host_form == HOST_AND_PORT;
	struct sigv4_param params[2];
	struct sigv4_header host;
	struct sigv4_request r;
	struct buf signed_host = BUF_INIT;
	char port[8], *p;

	if (t->host == NULL || !valid_host(t->host))
		return err_set(e, ERR_USAGE, "invalid host name '%s'",
		    t->host ? t->host : "");
	if (with_port && (t->port < 1 || t->port > 65535))
		return err_set(e, ERR_USAGE, "port %u out of range 1-65535",
		    t->port);
	if (t->user == NULL || !valid_user(t->user))
		return err_set(e, ERR_USAGE, "invalid user name: it must be "
		    "non-empty UTF-8 without control characters");
	if (t->region == NULL || !dbtoken_region_valid(t->region))
		return err_set(e, ERR_USAGE, "invalid region '%s'",
		    t->region ? t->region : "");
	if (t->expires < 1 || t->expires > svc->max_expires)
		return err_set(e, ERR_USAGE, "expiry %ld s out of range: "
		    "%s accepts 1 to %ld seconds", t->expires, svc->title,
		    svc->max_expires);
	if (cred->access_key_id == NULL || *cred->access_key_id == '\0' ||
	    cred->secret_access_key == NULL || *cred->secret_access_key == '\0')
		return err_set(e, ERR_CREDENTIALS, "incomplete credentials");

	snprintf(port, sizeof(port), ":%u", t->port);
	buf_adds(&signed_host, t->host);
	for (p = signed_host.data; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (with_port && t->port != 443)
		buf_adds(&signed_host, port);
	host.name = "host";
	host.value = buf_str(&signed_host);

	memset(&r, 0, sizeof(r));
	params[r.nparams].key = "Action";
	params[r.nparams++].value = service_action(svc, t->user);
	if (svc->user_param != NULL) {
		params[r.nparams].key = svc->user_param;
		params[r.nparams++].value = t->user;
	}
	r.method = "GET";
	r.path = "/";
	r.params = params;
	r.headers = &host;
	r.nheaders = 1;
	r.region = t->region;
	r.service = svc->signing_name;
	r.when = t->when;
	r.expires = t->expires;

	buf_adds(out, t->host);
	if (with_port)
		buf_adds(out, port);
	buf_adds(out, "/?");
	sigv4_presign(signer, &r, cred, out, NULL);
	buf_free(&signed_host);
	return 0;
}
