#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "../sigv4/sigv4.h"
#include "awsapi.h"
#include "profile.h"
#include "sts.h"

/* Splits http(s)://host[:port][/path] into the Host header value (no
 * default port) and the path. */
static int
split_url(const char *url, struct buf *host, struct buf *path)
{
	const char *p, *slash, *dflt;
	size_t n;

	if (strncmp(url, "https://", 8) == 0) {
		dflt = ":443";
		p = url + 8;
	} else if (strncmp(url, "http://", 7) == 0) {
		dflt = ":80";
		p = url + 7;
	} else
		return -1;
	slash = strchr(p, '/');
	buf_add(host, p, slash ? (size_t)(slash - p) : strlen(p));
	if (host->len == 0 || strpbrk(buf_str(host), "@?#") != NULL)
		return -1;
	n = host->len;
	if (n > strlen(dflt) && strcmp(host->data + n - strlen(dflt),
	    dflt) == 0) {
		host->len -= strlen(dflt);
		host->data[host->len] = '\0';
	}
	for (char *c = host->data; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	buf_adds(path, slash ? slash : "/");
	if (strpbrk(buf_str(path), "?#") != NULL)
		return -1;
	return 0;
}

static const char *
line(struct api_headers *h, size_t *n, const char *name, const char *value)
{
	struct buf *b = &h->line[*n];

	buf_reset(b);
	buf_printf(b, "%s: %s", name, value);
	h->list[(*n)++] = buf_str(b);
	return buf_str(b);
}

int
api_sign(const struct api_call *call, const struct credentials *creds,
    time_t when, struct api_headers *h, struct err *e)
{
	struct buf host = BUF_INIT, path = BUF_INIT;
	struct sigv4_header sh[5];
	struct sigv4_request sr;
	struct sigv4_credentials sc;
	char stamp[17], hash[65];
	size_t n = 0, ns = 0;

	if (split_url(call->url, &host, &path) == -1) {
		buf_free(&host);
		buf_free(&path);
		return err_set(e, ERR_CONFIG, "%s endpoint '%s' is not an "
		    "http(s) URL", call->what, call->url);
	}
	line(h, &n, "Host", buf_str(&host));
	if (call->target != NULL)
		line(h, &n, "X-Amz-Target", call->target);
	if (call->content_type != NULL)
		line(h, &n, "Content-Type", call->content_type);
	if (call->accept != NULL)
		line(h, &n, "Accept", call->accept);
	if (creds != NULL) {
		sigv4_amz_date(when, stamp);
		/* In the canonical order: sorted by name. */
		if (call->content_type != NULL) {
			sh[ns].name = "content-type";
			sh[ns++].value = call->content_type;
		}
		sh[ns].name = "host";
		sh[ns++].value = buf_str(&host);
		sh[ns].name = "x-amz-date";
		sh[ns++].value = stamp;
		if (creds->session_token != NULL) {
			sh[ns].name = "x-amz-security-token";
			sh[ns++].value = creds->session_token;
		}
		if (call->target != NULL) {
			sh[ns].name = "x-amz-target";
			sh[ns++].value = call->target;
		}
		sigv4_sha256_hex(call->body, strlen(call->body), hash);
		memset(&sr, 0, sizeof(sr));
		sr.method = call->method ? call->method : "POST";
		sr.path = buf_str(&path);
		sr.headers = sh;
		sr.nheaders = ns;
		sr.payload_hash = hash;
		sr.region = call->region;
		sr.service = call->service;
		sr.when = when;
		sc.access_key_id = creds->access_key_id;
		sc.secret_access_key = creds->secret_access_key;
		sc.session_token = creds->session_token;
		buf_reset(&h->authorization);
		sigv4_sign_headers(NULL, &sr, &sc, &h->authorization, NULL,
		    NULL);
		line(h, &n, "X-Amz-Date", stamp);
		if (creds->session_token != NULL)
			line(h, &n, "X-Amz-Security-Token",
			    creds->session_token);
		line(h, &n, "Authorization", buf_str(&h->authorization));
	}
	h->list[n] = NULL;
	buf_free(&host);
	buf_free(&path);
	return 0;
}

void
api_headers_free(struct api_headers *h)
{
	size_t i;

	for (i = 0; i < sizeof(h->line) / sizeof(h->line[0]); i++)
		buf_free(&h->line[i]);
	buf_free(&h->authorization);
	memset(h, 0, sizeof(*h));
}

int
api_post(const struct api_call *call, const struct credentials *creds,
    int (*again)(void *, const struct http_response *), void *arg,
    struct http_response *rs, struct err *e)
{
	struct api_headers h;
	struct http_request rq;
	int attempt, rc;

	/* The signer's key and token go into headers. */
	if (creds != NULL && credentials_check(creds, creds->source, e) == -1)
		return -1;
	memset(&h, 0, sizeof(h));
	for (attempt = 1;; attempt++) {
		/* One reading of the clock: the X-Amz-Date header and the date
		 * in the signature must agree. */
		if ((rc = api_sign(call, creds, time(NULL), &h, e)) == -1)
			break;
		memset(&rq, 0, sizeof(rq));
		rq.method = call->method ? call->method : "POST";
		rq.url = call->url;
		rq.headers = h.list;
		/* A GET has no body; its payload hash is the empty one. */
		if (call->method == NULL || strcmp(call->method, "GET") != 0) {
			rq.body = call->body;
			rq.body_len = strlen(call->body);
		}
		rq.timeout_ms = http_timeout_ms();
		rq.connect_timeout_ms = rq.timeout_ms < 3000 ? rq.timeout_ms :
		    3000;
		rq.attempts = 1;
		rq.what = call->what;
		if ((rc = http_do(&rq, rs, e)) == -1) {
			http_response_free(rs);
			if (attempt < 3) {
				http_backoff(attempt);
				continue;
			}
			break;
		}
		if (!again(arg, rs) || attempt >= 3)
			break;
		http_response_free(rs);
		http_backoff(attempt);
	}
	api_headers_free(&h);
	return rc;
}

void
api_form_add(struct buf *b, const char *key, const char *value)
{
	if (value == NULL)
		return;
	if (b->len)
		buf_addc(b, '&');
	sigv4_uri_encode(b, key, strlen(key), 0);
	buf_addc(b, '=');
	sigv4_uri_encode(b, value, strlen(value), 0);
}

struct xml_fields {
	struct buf		 text;
	const char *const	*names;
	char			**values;
	size_t			 n;
	int			 doctype;
};

static void XMLCALL
xml_start(void *arg, const XML_Char *name, const XML_Char **attrs)
{
	struct xml_fields *x = arg;

	(void)name;
	(void)attrs;
	buf_reset(&x->text);
}

static void XMLCALL
xml_end(void *arg, const XML_Char *name)
{
	struct xml_fields *x = arg;
	size_t i;

	for (i = 0; i < x->n; i++)
		if (x->values[i] == NULL && strcmp(name, x->names[i]) == 0)
			x->values[i] = xstrdup(buf_str(&x->text));
	buf_reset(&x->text);
}

static void XMLCALL
xml_text(void *arg, const XML_Char *s, int len)
{
	struct xml_fields *x = arg;

	if (x->text.len + (size_t)len < 64 * 1024)
		buf_add(&x->text, s, (size_t)len);
}

/* AWS never sends a DTD; one here is a sign of a hostile or wrong peer. */
static void XMLCALL
xml_doctype(void *arg, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int internal)
{
	struct xml_fields *x = arg;

	(void)name;
	(void)sysid;
	(void)pubid;
	(void)internal;
	x->doctype = 1;
}

int
api_xml_fields(const char *body, size_t len, const char *const *names,
    char **values, size_t n)
{
	struct xml_fields x;
	XML_Parser p;
	int ok;

	memset(&x, 0, sizeof(x));
	memset(values, 0, n * sizeof(*values));
	x.names = names;
	x.values = values;
	x.n = n;
	if ((p = XML_ParserCreate("UTF-8")) == NULL)
		return -1;
	XML_SetUserData(p, &x);
	XML_SetElementHandler(p, xml_start, xml_end);
	XML_SetCharacterDataHandler(p, xml_text);
	XML_SetStartDoctypeDeclHandler(p, xml_doctype);
	XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
	ok = XML_Parse(p, body, (int)len, 1) == XML_STATUS_OK && !x.doctype;
	XML_ParserFree(p);
	buf_free(&x.text);
	if (!ok) {
		/* What was read before the document failed. */
		for (size_t i = 0; i < n; i++) {
			wipe_str(values[i]);
			values[i] = NULL;
		}
		return -1;
	}
	return 0;
}

/* After its first line a SignatureDoesNotMatch message quotes the
 * canonical request, session token included, and a peer's control
 * characters must not reach the terminal. */
const char *
api_one_line(char *s, const char *none)
{
	size_t n;

	if (s == NULL)
		return none;
	s[strcspn(s, "\r\n")] = '\0';
	for (n = 0; s[n] != '\0'; n++)
		if ((unsigned char)s[n] < 0x20 || s[n] == 0x7f)
			s[n] = '?';
	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

int
api_throttled(const char *code)
{
	static const char *const codes[] = {
		"Throttling", "ThrottlingException", "ThrottledException",
		"RequestThrottledException", "TooManyRequestsException",
		"ProvisionedThroughputExceededException",
		"TransactionInProgressException", "RequestLimitExceeded",
		"BandwidthLimitExceeded", "LimitExceededException",
		"RequestThrottled", "SlowDown", "PriorRequestNotComplete",
		"EC2ThrottledException",
	};
	size_t i;

	for (i = 0; code != NULL && i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(code, codes[i]) == 0)
			return 1;
	return 0;
}
