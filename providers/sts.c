#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include <expat.h>

#include "../common/timeutil.h"
#include "../sigv4/sigv4.h"
#include "credjson.h"
#include "http.h"
#include "profile.h"
#include "sts.h"

long
http_timeout_ms(void)
{
	const char *v = getenv("IAMDB_HTTP_TIMEOUT");
	char *end;
	double s;

	if (v == NULL || *v == '\0')
		return 10000;
	s = strtod(v, &end);
	if (*end != '\0' || s <= 0 || s > 600)
		return 10000;
	return (long)(s * 1000);
}

/* botocore's ensure_boolean: "true" in any case, else false. */
static int
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

/* The DNS suffix of the partition a region belongs to. */
static const char *
partition_domain(const char *region)
{
	static const struct {
		const char *prefix, *domain;
	} partitions[] = {
		{ "cn-",	"amazonaws.com.cn" },
		{ "us-isob-",	"sc2s.sgov.gov" },
		{ "us-isof-",	"csp.hci.ic.gov" },
		{ "us-iso-",	"c2s.ic.gov" },
		{ "eu-isoe-",	"cloud.adc-e.uk" },
		{ "eusc-",	"amazonaws.eu" },
	};
	size_t i;

	for (i = 0; i < sizeof(partitions) / sizeof(partitions[0]); i++)
		if (strncmp(region, partitions[i].prefix,
		    strlen(partitions[i].prefix)) == 0)
			return partitions[i].domain;
	return "amazonaws.com";
}

char *
endpoint_for_region(const char *prefix, const char *region)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "https://%s.%s.%s", prefix, region,
	    partition_domain(region));
	return b.data;
}

static void XMLCALL
xml_start(void *arg, const XML_Char *name, const XML_Char **attrs)
{
	struct sts_reply *r = arg;

	(void)name;
	(void)attrs;
	r->depth++;
	buf_reset(&r->text);
}

static void
keep(char **field, const struct buf *text)
{
	if (*field == NULL)
		*field = xstrdup(buf_str(text));
}

static void XMLCALL
xml_end(void *arg, const XML_Char *name)
{
	struct sts_reply *r = arg;

	r->depth--;
	if (strcmp(name, "AccessKeyId") == 0)
		keep(&r->akid, &r->text);
	else if (strcmp(name, "SecretAccessKey") == 0)
		keep(&r->secret, &r->text);
	else if (strcmp(name, "SessionToken") == 0)
		keep(&r->token, &r->text);
	else if (strcmp(name, "Expiration") == 0)
		keep(&r->expiration, &r->text);
	else if (strcmp(name, "Code") == 0)
		keep(&r->code, &r->text);
	else if (strcmp(name, "Message") == 0)
		keep(&r->message, &r->text);
	buf_reset(&r->text);
}

static void XMLCALL
xml_text(void *arg, const XML_Char *s, int len)
{
	struct sts_reply *r = arg;

	if (r->text.len + (size_t)len < 64 * 1024)
		buf_add(&r->text, s, (size_t)len);
}

/* STS never sends a DTD; one here is a sign of a hostile or wrong peer. */
static void XMLCALL
xml_doctype(void *arg, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int internal)
{
	struct sts_reply *r = arg;

	(void)name;
	(void)sysid;
	(void)pubid;
	(void)internal;
	r->doctype = 1;
}

int
sts_parse_reply(const char *body, size_t len, struct sts_reply *r)
{
	XML_Parser p;
	int ok;

	memset(r, 0, sizeof(*r));
	if ((p = XML_ParserCreate("UTF-8")) == NULL)
		return -1;
	XML_SetUserData(p, r);
	XML_SetElementHandler(p, xml_start, xml_end);
	XML_SetCharacterDataHandler(p, xml_text);
	XML_SetStartDoctypeDeclHandler(p, xml_doctype);
	XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
	ok = XML_Parse(p, body, (int)len, 1) == XML_STATUS_OK && !r->doctype;
	XML_ParserFree(p);
	buf_free(&r->text);
	return ok ? 0 : -1;
}

void
sts_reply_free(struct sts_reply *r)
{
	wipe_str(r->akid);
	wipe_str(r->secret);
	wipe_str(r->token);
	free(r->expiration);
	free(r->code);
	free(r->message);
	memset(r, 0, sizeof(*r));
}

/* AWS's words as one line for a message: after its first line a
 * SignatureDoesNotMatch message quotes the canonical request, session
 * token included, and a peer's control characters must not reach the
 * terminal. */
static const char *
one_line(char *s, const char *none)
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

/* Error codes STS answers with 400 that are worth another try. */
static int
throttled(const char *code)
{
	return code != NULL && (strcmp(code, "Throttling") == 0 ||
	    strcmp(code, "ThrottlingException") == 0 ||
	    strcmp(code, "RequestLimitExceeded") == 0 ||
	    strcmp(code, "IDPCommunicationError") == 0);
}

static void
form_add(struct buf *b, const char *key, const char *value)
{
	if (value == NULL)
		return;
	if (b->len)
		buf_addc(b, '&');
	sigv4_uri_encode(b, key, strlen(key), 0);
	buf_addc(b, '=');
	sigv4_uri_encode(b, value, strlen(value), 0);
}

/* Splits http(s)://host[:port][/path] into the Host header value (no
 * default port) and the path. */
static int
split_url(const char *url, struct buf *host, struct buf *path)
{
	const char *p, *slash;
	int https;

	if (strncmp(url, "https://", 8) == 0) {
		https = 1;
		p = url + 8;
	} else if (strncmp(url, "http://", 7) == 0) {
		https = 0;
		p = url + 7;
	} else
		return -1;
	slash = strchr(p, '/');
	buf_add(host, p, slash ? (size_t)(slash - p) : strlen(p));
	if (host->len == 0 || strpbrk(buf_str(host), "@?#") != NULL)
		return -1;
	{
		size_t n = host->len;
		const char *dflt = https ? ":443" : ":80";

		if (n > strlen(dflt) &&
		    strcmp(host->data + n - strlen(dflt), dflt) == 0) {
			host->len -= strlen(dflt);
			host->data[host->len] = '\0';
		}
	}
	for (char *c = host->data; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	buf_adds(path, slash ? slash : "/");
	if (strpbrk(buf_str(path), "?#") != NULL)
		return -1;
	return 0;
}

static int
sts_call(struct provider_ctx *ctx, const char *action, const char *body,
    const struct credentials *signer_creds, struct credentials *out,
    struct err *e)
{
	const char *region = ctx->region ? ctx->region : "us-east-1";
	struct buf host = BUF_INIT, path = BUF_INIT, auth = BUF_INIT;
	struct buf h_host = BUF_INIT, h_date = BUF_INIT, h_token = BUF_INIT;
	struct buf h_auth = BUF_INIT;
	const char *headers[8];
	char *url, stamp[17], hash[65];
	struct http_response rs;
	struct sts_reply reply;
	int attempt, rc = -1, nh, empty;
	long status = 0;

	if (endpoint_override(ctx, "sts", &url, e) == -1)
		return -1;
	if (url == NULL)
		url = ctx->region == NULL ? xstrdup("https://sts.amazonaws.com") :
		    endpoint_for_region("sts", region);
	if (split_url(url, &host, &path) == -1) {
		err_set(e, ERR_CONFIG, "STS endpoint '%s' is not an http(s) "
		    "URL", url);
		goto out;
	}
	/* The signer's key and token go into headers. */
	if (signer_creds != NULL && credentials_check(signer_creds,
	    signer_creds->source, e) == -1)
		goto out;
	sigv4_sha256_hex(body, strlen(body), hash);

	for (attempt = 1;; attempt++) {
		struct http_request rq;

		nh = 0;
		buf_reset(&h_host);
		buf_reset(&h_date);
		buf_reset(&h_token);
		buf_reset(&h_auth);
		buf_printf(&h_host, "Host: %s", buf_str(&host));
		headers[nh++] = buf_str(&h_host);
		headers[nh++] = "Content-Type: application/x-www-form-urlencoded;"
		    " charset=utf-8";
		headers[nh++] = "Accept: text/xml";
		if (signer_creds != NULL) {
			struct sigv4_header sh[4];
			struct sigv4_request sr;
			struct sigv4_credentials sc;
			size_t ns = 0;
			time_t now;

			/* One reading of the clock: the X-Amz-Date header and
			 * the date in the signature must agree. */
			now = time(NULL);
			sigv4_amz_date(now, stamp);
			sh[ns].name = "host";
			sh[ns++].value = buf_str(&host);
			sh[ns].name = "content-type";
			sh[ns++].value = "application/x-www-form-urlencoded; "
			    "charset=utf-8";
			sh[ns].name = "x-amz-date";
			sh[ns++].value = stamp;
			if (signer_creds->session_token != NULL) {
				sh[ns].name = "x-amz-security-token";
				sh[ns++].value = signer_creds->session_token;
			}
			memset(&sr, 0, sizeof(sr));
			sr.method = "POST";
			sr.path = buf_str(&path);
			sr.headers = sh;
			sr.nheaders = ns;
			sr.payload_hash = hash;
			sr.region = region;
			sr.service = "sts";
			sr.when = now;
			sc.access_key_id = signer_creds->access_key_id;
			sc.secret_access_key = signer_creds->secret_access_key;
			sc.session_token = signer_creds->session_token;
			buf_reset(&auth);
			sigv4_sign_headers(NULL, &sr, &sc, &auth, NULL, NULL);
			buf_printf(&h_date, "X-Amz-Date: %s", stamp);
			headers[nh++] = buf_str(&h_date);
			if (signer_creds->session_token != NULL) {
				buf_printf(&h_token, "X-Amz-Security-Token: %s",
				    signer_creds->session_token);
				headers[nh++] = buf_str(&h_token);
			}
			buf_printf(&h_auth, "Authorization: %s", buf_str(&auth));
			headers[nh++] = buf_str(&h_auth);
		}
		headers[nh] = NULL;

		memset(&rq, 0, sizeof(rq));
		rq.method = "POST";
		rq.url = url;
		rq.headers = headers;
		rq.body = body;
		rq.body_len = strlen(body);
		rq.timeout_ms = http_timeout_ms();
		rq.connect_timeout_ms = rq.timeout_ms < 3000 ? rq.timeout_ms :
		    3000;
		rq.attempts = 1;
		rq.what = "STS";
		if (http_do(&rq, &rs, e) == -1) {
			http_response_free(&rs);
			if (attempt < 3) {
				http_backoff(attempt);
				continue;
			}
			goto out;
		}
		status = rs.status;
		empty = rs.body.len == 0;
		rc = sts_parse_reply(buf_str(&rs.body), rs.body.len, &reply);
		http_response_free(&rs);
		if (rc == -1) {
			sts_reply_free(&reply);
			if (http_retryable(status) && attempt < 3) {
				http_backoff(attempt);
				continue;
			}
			err_set(e, ERR_NETWORK, "STS %s at %s: HTTP %ld with %s "
			    "answer", action, url, status, empty ? "an empty" :
			    "an unreadable (not STS XML)");
			goto out;
		}
		rc = -1;
		if (status == 200 || !(http_retryable(status) ||
		    throttled(reply.code)) || attempt >= 3)
			break;
		sts_reply_free(&reply);
		http_backoff(attempt);
	}
	if (status != 200) {
		/* peer text */
		err_set(e, ERR_NETWORK, "STS %s at %s: HTTP %ld %s: %s", action,
		    url, status, one_line(reply.code, "(no code)"),
		    one_line(reply.message, "(no message)"));
	} else if (reply.akid == NULL || reply.secret == NULL ||
	    reply.token == NULL || reply.expiration == NULL ||
	    *reply.akid == '\0' || *reply.secret == '\0') {
		err_set(e, ERR_NETWORK, "STS %s at %s: the answer lacks "
		    "credentials", action, url);
	} else if (expiration_parse(reply.expiration, &out->expiration)) {
		/* peer text */
		err_set(e, ERR_NETWORK, "STS %s at %s: unreadable Expiration "
		    "'%s'", action, url, one_line(reply.expiration, ""));
	} else {
		out->access_key_id = reply.akid;
		out->secret_access_key = reply.secret;
		out->session_token = reply.token;
		out->has_expiration = 1;
		reply.akid = reply.secret = reply.token = NULL;
		if ((rc = credentials_check(out, "the STS answer", e)) == -1) {
			e->kind = ERR_NETWORK;
			credentials_free(out);
		}
	}
	sts_reply_free(&reply);
out:
	free(url);
	buf_free(&host);
	buf_free(&path);
	buf_free(&auth);
	buf_free(&h_host);
	buf_free(&h_date);
	buf_free(&h_token);
	buf_free(&h_auth);
	return rc;
}

static void
role_form(struct buf *b, const char *action, const struct sts_request *r)
{
	char duration[24];

	form_add(b, "Action", action);
	form_add(b, "Version", "2011-06-15");
	form_add(b, "RoleArn", r->role_arn);
	form_add(b, "RoleSessionName", r->session_name);
	if (r->duration > 0) {
		snprintf(duration, sizeof(duration), "%ld", r->duration);
		form_add(b, "DurationSeconds", duration);
	}
}

int
sts_assume_role(struct provider_ctx *ctx, const struct sts_request *r,
    const struct credentials *source, struct credentials *out,
    struct err *e)
{
	struct buf body = BUF_INIT;
	int rc;

	role_form(&body, "AssumeRole", r);
	form_add(&body, "ExternalId", r->external_id);
	if (r->mfa_serial != NULL) {
		form_add(&body, "SerialNumber", r->mfa_serial);
		form_add(&body, "TokenCode", r->mfa_code);
	}
	rc = sts_call(ctx, "AssumeRole", buf_str(&body), source, out, e);
	buf_free(&body);
	return rc;
}

int
sts_assume_role_with_web_identity(struct provider_ctx *ctx,
    const struct sts_request *r, struct credentials *out, struct err *e)
{
	struct buf body = BUF_INIT;
	int rc;

	role_form(&body, "AssumeRoleWithWebIdentity", r);
	form_add(&body, "WebIdentityToken", r->web_identity_token);
	rc = sts_call(ctx, "AssumeRoleWithWebIdentity", buf_str(&body), NULL,
	    out, e);
	buf_free(&body);
	return rc;
}
