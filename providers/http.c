#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/rand.h>

#include "http.h"

/* The few libcurl entry points iamdb uses, resolved at first use. */
static struct {
	int		  loaded;
	CURL		*(*easy_init)(void);
	CURLcode	 (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode	 (*easy_perform)(CURL *);
	CURLcode	 (*easy_getinfo)(CURL *, CURLINFO, ...);
	void		 (*easy_cleanup)(CURL *);
	const char	*(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void		 (*slist_free_all)(struct curl_slist *);
	CURLcode	 (*global_init)(long);
} curl;

static int
load_curl(struct err *e)
{
	void *h;

	if (curl.loaded)
		return 0;
	if ((h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL)) == NULL)
		return err_set(e, ERR_NETWORK, "cannot load libcurl: %s "
		    "(install libcurl4)", dlerror());
#define SYM(field, name) \
	if ((*(void **)&curl.field = dlsym(h, name)) == NULL) \
		return err_set(e, ERR_NETWORK, "libcurl lacks %s", name)
	SYM(easy_init, "curl_easy_init");
	SYM(easy_setopt, "curl_easy_setopt");
	SYM(easy_perform, "curl_easy_perform");
	SYM(easy_getinfo, "curl_easy_getinfo");
	SYM(easy_cleanup, "curl_easy_cleanup");
	SYM(easy_strerror, "curl_easy_strerror");
	SYM(slist_append, "curl_slist_append");
	SYM(slist_free_all, "curl_slist_free_all");
	SYM(global_init, "curl_global_init");
#undef SYM
	if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return err_set(e, ERR_NETWORK, "cannot initialise libcurl");
	curl.loaded = 1;
	return 0;
}

static size_t
collect_header(char *data, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;

	if (b->len + size * n > 64 * 1024)
		return 0;
	buf_add(b, data, size * n);
	return size * n;
}

static size_t
collect(char *data, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;

	/* Bodies here are small documents; refuse anything absurd. */
	if (b->len + size * n > 8 << 20)
		return 0;
	buf_add(b, data, size * n);
	return size * n;
}

int
http_retryable(long status)
{
	return status == 429 || status >= 500;
}

void
http_backoff(int n)
{
	unsigned int r = 0;
	long cap = 100L << (n < 5 ? n : 5), ms;
	struct timespec ts;

	RAND_bytes((unsigned char *)&r, sizeof(r));
	ms = (long)(r % (unsigned long)cap);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

/* The URL without its query and user info, for messages. */
static void
safe_url(const char *url, char *out, size_t len)
{
	const char *q = strpbrk(url, "?#"), *at, *scheme;
	size_t n = q ? (size_t)(q - url) : strlen(url);

	scheme = strstr(url, "://");
	at = memchr(url, '@', n);
	if (scheme != NULL && at != NULL && at > scheme) {
		snprintf(out, len, "%.*s://%.*s", (int)(scheme - url), url,
		    (int)(n - (size_t)(at + 1 - url)), at + 1);
		return;
	}
	snprintf(out, len, "%.*s", (int)n, url);
}

/* botocore's proxy for a URL: the scheme's variable, lower case first
 * (an empty one means none), as urllib's getproxies reads them; never
 * ALL_PROXY. HTTP_PROXY is ignored under CGI, where a client could set it
 * (httpoxy), as urllib does. no_proxy is left to curl. */
static const char *
botocore_proxy(const char *url)
{
	int https = strncasecmp(url, "https:", 6) == 0;
	const char *v = getenv(https ? "https_proxy" : "http_proxy");

	if (v != NULL)
		return v;
	if (!https && getenv("REQUEST_METHOD") != NULL)
		return "";
	v = getenv(https ? "HTTPS_PROXY" : "HTTP_PROXY");
	return v != NULL ? v : "";
}

/* Where libcurl stops here, the message names the option, not the value. */
#define SET(opt, val) do {						\
	if ((rc = curl.easy_setopt(c, opt, val)) != CURLE_OK) {		\
		*what = #opt;						\
		return rc;						\
	}								\
} while (0)

/* Every option of one request: https or http only, no redirects, TLS
 * verified, the proxy rule asked for, timeouts, and where the answer
 * goes. CURLE_OK, or the code of the first option libcurl refused (named
 * in *what). */
static CURLcode
configure(CURL *c, const struct http_request *rq, struct http_response *rs,
    struct curl_slist *hdrs, char *errbuf, const char **what)
{
	const char *cafile;
	CURLcode rc;

	SET(CURLOPT_URL, rq->url);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "https");
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	/* As the curl tool does: another CA file to verify peers with (tests
	 * use their own CA); verification itself stays on. */
	if ((cafile = getenv("CURL_CA_BUNDLE")) != NULL && *cafile != '\0')
		SET(CURLOPT_CAINFO, cafile);
	if (rq->proxy == HTTP_PROXY_NONE)
		SET(CURLOPT_PROXY, "");
	else if (rq->proxy == HTTP_PROXY_BOTOCORE)
		SET(CURLOPT_PROXY, botocore_proxy(rq->url));
	SET(CURLOPT_HTTPHEADER, hdrs);
	SET(CURLOPT_CUSTOMREQUEST, rq->method);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_TIMEOUT_MS, rq->timeout_ms);
	SET(CURLOPT_CONNECTTIMEOUT_MS,
	    rq->connect_timeout_ms ? rq->connect_timeout_ms : rq->timeout_ms);
	SET(CURLOPT_USERAGENT, "iamdb/" IAMDB_VERSION);
	SET(CURLOPT_ERRORBUFFER, errbuf);
	SET(CURLOPT_WRITEFUNCTION, collect);
	SET(CURLOPT_WRITEDATA, &rs->body);
	SET(CURLOPT_HEADERFUNCTION, collect_header);
	SET(CURLOPT_HEADERDATA, &rs->headers);
	if (rq->body != NULL) {
		SET(CURLOPT_POSTFIELDS, rq->body);
		SET(CURLOPT_POSTFIELDSIZE, (long)rq->body_len);
	} else if (strcmp(rq->method, "PUT") == 0 ||
	    strcmp(rq->method, "POST") == 0) {
		SET(CURLOPT_POSTFIELDS, "");
		SET(CURLOPT_POSTFIELDSIZE, 0L);
	}
	return CURLE_OK;
}

static int
perform(const struct http_request *rq, struct http_response *rs,
    struct err *e)
{
	struct curl_slist *hdrs = NULL;
	const char *const *h;
	char where[512], errbuf[CURL_ERROR_SIZE] = "";
	const char *what = NULL;
	curl_off_t connect_us = 0;
	CURLcode rc;
	CURL *c;

	rs->connected = 0;
	safe_url(rq->url, where, sizeof(where));
	/* A header is one line: what ends it early would start another. */
	for (h = rq->headers; h != NULL && *h != NULL; h++)
		if (strpbrk(*h, "\r\n") != NULL)
			return err_set(e, ERR_INTERNAL, "%s %s: refused a "
			    "header with a line break", rq->what ? rq->what :
			    "HTTP", where);
	if ((c = curl.easy_init()) == NULL)
		return err_set(e, ERR_NETWORK, "cannot create a curl handle");
	for (h = rq->headers; h != NULL && *h != NULL; h++)
		hdrs = curl.slist_append(hdrs, *h);
	/* libcurl adds "Expect: 100-continue" to POSTs; AWS needs none. */
	hdrs = curl.slist_append(hdrs, "Expect:");
	if ((rc = configure(c, rq, rs, hdrs, errbuf, &what)) != CURLE_OK) {
		curl.easy_cleanup(c);
		curl.slist_free_all(hdrs);
		return err_set(e, ERR_NETWORK, "%s %s: libcurl refused %s: %s",
		    rq->what ? rq->what : "HTTP", where, what,
		    curl.easy_strerror(rc));
	}
	buf_reset(&rs->body);
	buf_reset(&rs->headers);
	rs->status = 0;
	rc = curl.easy_perform(c);
	if (curl.easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connect_us) ==
	    CURLE_OK)
		rs->connected = connect_us > 0;
	if (rc == CURLE_OK &&
	    curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &rs->status) !=
	    CURLE_OK)
		rs->status = 0;
	curl.easy_cleanup(c);
	curl.slist_free_all(hdrs);
	if (rc != CURLE_OK) {
		/* No response: drop what arrived of one (half a body may
		 * hold half a secret). */
		buf_free(&rs->body);
		buf_free(&rs->headers);
		return err_set(e, ERR_NETWORK, "%s %s: %s",
		    rq->what ? rq->what : "HTTP", where,
		    *errbuf ? errbuf : curl.easy_strerror(rc));
	}
	return 0;
}

#undef SET

int
http_do(const struct http_request *rq, struct http_response *rs,
    struct err *e)
{
	int attempt, attempts = rq->attempts > 0 ? rq->attempts : 1;

	memset(rs, 0, sizeof(*rs));
	if (load_curl(e) == -1)
		return -1;
	for (attempt = 1;; attempt++) {
		int rc = perform(rq, rs, e);

		if (rc == 0 && !http_retryable(rs->status))
			return 0;
		if (attempt >= attempts)
			return rc;
		http_backoff(attempt);
	}
}

const char *
http_header(const struct http_response *r, const char *name, size_t *len)
{
	const char *p = buf_str(&r->headers);
	size_t n = strlen(name);

	/* Several responses (a redirect, a 100) may be stacked: the last
	 * one's header counts. */
	const char *found = NULL;
	size_t flen = 0;

	while (*p != '\0') {
		size_t line = strcspn(p, "\r\n");

		if (line > n && strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;

			while (*v == ' ' || *v == '\t')
				v++;
			found = v;
			flen = line - (size_t)(v - p);
		} else if (strncmp(p, "HTTP/", 5) == 0)
			found = NULL;
		p += line;
		while (*p == '\r' || *p == '\n')
			p++;
	}
	if (found != NULL)
		*len = flen;
	return found;
}

void
http_response_free(struct http_response *r)
{
	buf_free(&r->headers);
	buf_free(&r->body);
	r->status = 0;
}
