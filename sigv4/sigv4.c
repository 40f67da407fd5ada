/*
 * SigV4 presigning, following
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 * and botocore's SigV4QueryAuth, whose output iamdb must reproduce byte for
 * byte.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "sigv4.h"

/*
 * Fetching an algorithm from OpenSSL 3's provider store costs more than the
 * hashing itself, so HMAC-SHA256 and SHA-256 are fetched once per process.
 */
static EVP_MD *sha256_md;
static EVP_MAC_CTX *hmac_template;
static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;

static void
crypto_fetch(void)
{
	OSSL_PARAM params[2];
	EVP_MAC *mac;

	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (sha256_md == NULL || mac == NULL)
		abort();
	hmac_template = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (hmac_template == NULL ||
	    !EVP_MAC_CTX_set_params(hmac_template, params))
		abort();
}

/*
 * A signer keeps its OpenSSL contexts and the last derived key between
 * signatures: deriving the key takes four HMACs, and re-keying an HMAC
 * context costs more than the hashing itself. Sign many tokens with one
 * signer and each costs one SHA-256 and one HMAC.
 */
struct sigv4_signer {
	EVP_MAC_CTX	*kdf;		/* re-keyed for each derivation step */
	EVP_MAC_CTX	*sig;		/* keyed with the derived key */
	EVP_MD_CTX	*md;
	char		*secret;	/* what sig is keyed for */
	char		*region;
	char		*service;
	char		 date[9];
};

struct sigv4_signer *
sigv4_signer_new(void)
{
	struct sigv4_signer *s = xcalloc(1, sizeof(*s));

	pthread_once(&crypto_once, crypto_fetch);
	if ((s->kdf = EVP_MAC_CTX_dup(hmac_template)) == NULL ||
	    (s->sig = EVP_MAC_CTX_dup(hmac_template)) == NULL ||
	    (s->md = EVP_MD_CTX_new()) == NULL)
		abort();
	return s;
}

void
sigv4_signer_free(struct sigv4_signer *s)
{
	if (s == NULL)
		return;
	EVP_MAC_CTX_free(s->kdf);
	EVP_MAC_CTX_free(s->sig);
	EVP_MD_CTX_free(s->md);
	wipe_str(s->secret);
	free(s->region);
	free(s->service);
	free(s);
}

static void
hmac_sha256(EVP_MAC_CTX *ctx, const unsigned char *key, size_t keylen,
    const void *msg, size_t len, unsigned char out[32])
{
	size_t outlen;

	if (!EVP_MAC_init(ctx, key, keylen, NULL) ||
	    !EVP_MAC_update(ctx, msg, len) ||
	    !EVP_MAC_final(ctx, out, &outlen, 32))
		abort();
}

static void derive_key(EVP_MAC_CTX *, const char *, const char *,
    const char *, const char *, unsigned char[32]);

static int
same(const char *a, const char *b)
{
	return a != NULL && strcmp(a, b) == 0;
}

/* Keys s->sig for this secret, day, region and service. */
static void
signer_key(struct sigv4_signer *s, const char *secret, const char *date,
    const char *region, const char *service)
{
	unsigned char key[32];

	if (same(s->secret, secret) && strcmp(s->date, date) == 0 &&
	    same(s->region, region) && same(s->service, service))
		return;
	derive_key(s->kdf, secret, date, region, service, key);
	if (!EVP_MAC_init(s->sig, key, sizeof(key), NULL))
		abort();
	wipe(key, sizeof(key));
	wipe_str(s->secret);
	free(s->region);
	free(s->service);
	s->secret = xstrdup(secret);
	s->region = xstrdup(region);
	s->service = xstrdup(service);
	memcpy(s->date, date, sizeof(s->date));
}

static void
hex32(const unsigned char md[32], char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

static void
sha256_hex(EVP_MD_CTX *ctx, const void *msg, size_t len, char hex[65])
{
	unsigned char md[32];

	if (!EVP_DigestInit_ex(ctx, sha256_md, NULL) ||
	    !EVP_DigestUpdate(ctx, msg, len) ||
	    !EVP_DigestFinal_ex(ctx, md, NULL))
		abort();
	hex32(md, hex);
}

/* kSigning = HMAC chain over the date, region, service, "aws4_request". */
static void
derive_key(EVP_MAC_CTX *ctx, const char *secret, const char *yyyymmdd,
    const char *region, const char *service, unsigned char key[32])
{
	struct buf k = BUF_INIT;

	buf_adds(&k, "AWS4");
	buf_adds(&k, secret);
	hmac_sha256(ctx, (unsigned char *)k.data, k.len, yyyymmdd,
	    strlen(yyyymmdd), key);
	buf_free(&k);
	hmac_sha256(ctx, key, 32, region, strlen(region), key);
	hmac_sha256(ctx, key, 32, service, strlen(service), key);
	hmac_sha256(ctx, key, 32, "aws4_request", 12, key);
}

/* 1: A-Z a-z 0-9 - _ . ~ pass unencoded; 2: '/', kept in paths. */
static const unsigned char unreserved[256] = {
	['-'] = 1, ['.'] = 1, ['_'] = 1, ['~'] = 1, ['/'] = 2,
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
};

void
sigv4_uri_encode(struct buf *b, const char *s, size_t len, int keep_slash)
{
	static const char digits[] = "0123456789ABCDEF";
	unsigned char pass = keep_slash ? 3 : 1;
	size_t i, run = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (unreserved[c] & pass)
			continue;
		buf_add(b, s + run, i - run);
		char e[3] = { '%', digits[c >> 4], digits[c & 15] };
		buf_add(b, e, 3);
		run = i + 1;
	}
	buf_add(b, s + run, len - run);
}

/*
 * The path as botocore signs it for every service but S3: dot segments
 * removed (RFC 3986 section 5.2.4) and, as AWS requires, empty segments
 * too, so "//a//" becomes "/a/". Each kept segment is written as "/seg".
 */
static char *
normalized_path(const char *path)
{
	size_t n = strlen(path), o = 0, len;
	char *out;
	const char *p = path, *seg;

	if (n == 0)
		return xstrdup("/");
	out = xmalloc(n + 2);
	while (*p != '\0') {
		p += strspn(p, "/");
		seg = p;
		len = strcspn(p, "/");
		p += len;
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			while (o > 0 && out[--o] != '/')
				;
			continue;
		}
		out[o++] = '/';
		memcpy(out + o, seg, len);
		o += len;
	}
	if (o > 0 && path[n - 1] == '/')
		out[o++] = '/';
	if (o == 0 && path[0] == '/')
		out[o++] = '/';
	out[o] = '\0';
	if (path[0] != '/' && o > 0)
		memmove(out, out + 1, o);	/* relative: no leading slash */
	return out;
}

/* A parameter inside the encoded query string: data[off..off+len). */
struct qparam {
	const char	*base;
	size_t		 off;
	size_t		 keylen;
	size_t		 len;
};

static int
qparam_cmp(const void *a, const void *b)
{
	const struct qparam *x = a, *y = b;
	const char *xs = x->base + x->off, *ys = y->base + y->off;
	size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
	int c = memcmp(xs, ys, n);

	if (c != 0)
		return c;
	if (x->keylen != y->keylen)
		return x->keylen < y->keylen ? -1 : 1;
	n = x->len < y->len ? x->len : y->len;
	if ((c = memcmp(xs + x->keylen, ys + y->keylen, n - x->keylen)) != 0)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

static void
add_param(struct buf *query, struct qparam *q, const char *key,
    const char *value)
{
	if (query->len)
		buf_addc(query, '&');
	q->off = query->len;
	sigv4_uri_encode(query, key, strlen(key), 0);
	q->keylen = query->len - q->off;
	buf_addc(query, '=');
	sigv4_uri_encode(query, value, strlen(value), 0);
	q->len = query->len - q->off;
}

struct hdr {
	char	*name;		/* lower case */
	char	*value;		/* trimmed, inner runs of spaces folded */
};

static int
hdr_cmp(const void *a, const void *b)
{
	return strcmp(((const struct hdr *)a)->name,
	    ((const struct hdr *)b)->name);
}

static char *
fold_value(const char *v)
{
	struct buf b = BUF_INIT;
	int space = 0;
	size_t n = strlen(v);

	if (n == 0 || (v[0] != ' ' && v[n - 1] != ' ' && !strchr(v, '\t') &&
	    !strstr(v, "  ")))
		return xstrdup(v);
	while (*v == ' ' || *v == '\t')
		v++;
	for (; *v; v++) {
		if (*v == ' ' || *v == '\t') {
			space = 1;
			continue;
		}
		if (space && b.len)
			buf_addc(&b, ' ');
		space = 0;
		buf_addc(&b, *v);
	}
	return b.data ? b.data : xstrdup("");
}

/*
 * Headers with the same name are joined with commas, in the order given,
 * as the canonical form requires.
 */
static size_t
canonical_headers(const struct sigv4_request *r, struct hdr **out)
{
	struct hdr *h = xcalloc(r->nheaders ? r->nheaders : 1, sizeof(*h));
	size_t i, j, n = 0;

	for (i = 0; i < r->nheaders; i++) {
		char *name = xstrdup(r->headers[i].name), *p;
		char *value = fold_value(r->headers[i].value);

		for (p = name; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		for (j = 0; j < n && strcmp(h[j].name, name) != 0; j++)
			;
		if (j < n) {
			struct buf b = BUF_INIT;

			buf_printf(&b, "%s,%s", h[j].value, value);
			free(h[j].value);
			free(value);
			free(name);
			h[j].value = b.data;
		} else {
			h[n].name = name;
			h[n].value = value;
			n++;
		}
	}
	qsort(h, n, sizeof(*h), hdr_cmp);
	*out = h;
	return n;
}

static void
format_time(time_t when, char date[9], char stamp[17])
{
	struct tm tm;
	int f[6], i;

	/* By hand: strftime costs more than a signature's hashing. */
	gmtime_r(&when, &tm);
	f[0] = tm.tm_year + 1900;
	f[1] = tm.tm_mon + 1;
	f[2] = tm.tm_mday;
	f[3] = tm.tm_hour;
	f[4] = tm.tm_min;
	f[5] = tm.tm_sec;
	for (i = 3; i >= 0; i--, f[0] /= 10)
		stamp[i] = (char)('0' + f[0] % 10);
	for (i = 1; i < 6; i++) {
		int at = 4 + 2 * (i - 1) + (i >= 3);

		stamp[at] = (char)('0' + f[i] / 10);
		stamp[at + 1] = (char)('0' + f[i] % 10);
	}
	stamp[8] = 'T';
	stamp[15] = 'Z';
	stamp[16] = '\0';
	memcpy(date, stamp, 8);
	date[8] = '\0';
}

/*
 * What presigning and header signing share: the canonical request (over
 * the already-encoded query in `query`), the string to sign and the
 * signature.
 */
struct signing {
	char		 date[9];
	char		 stamp[17];
	struct buf	 scope;		/* DATE/REGION/SERVICE/aws4_request */
	struct buf	 signed_headers;
	struct hdr	*h;
	size_t		 nh;
};

static void
signing_start(struct signing *g, const struct sigv4_request *r)
{
	size_t i;

	memset(g, 0, sizeof(*g));
	format_time(r->when, g->date, g->stamp);
	buf_adds(&g->scope, g->date);
	buf_addc(&g->scope, '/');
	buf_adds(&g->scope, r->region);
	buf_addc(&g->scope, '/');
	buf_adds(&g->scope, r->service);
	buf_adds(&g->scope, "/aws4_request");
	g->nh = canonical_headers(r, &g->h);
	for (i = 0; i < g->nh; i++) {
		if (i)
			buf_addc(&g->signed_headers, ';');
		buf_adds(&g->signed_headers, g->h[i].name);
	}
}

static void
signing_end(struct signing *g)
{
	size_t i;

	for (i = 0; i < g->nh; i++) {
		free(g->h[i].name);
		free(g->h[i].value);
	}
	free(g->h);
	buf_free(&g->scope);
	buf_free(&g->signed_headers);
}

static void
sign(struct sigv4_signer *signer, const struct sigv4_request *r,
    const struct sigv4_credentials *cred, struct signing *g,
    const struct buf *query, struct qparam *q, size_t nq, char sig[65],
    struct sigv4_trace *trace)
{
	static const char empty_hash[] =
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	struct buf creq = BUF_INIT, sts = BUF_INIT;
	struct sigv4_signer *own = NULL;
	unsigned char mac[32];
	size_t i, maclen;
	char hash[65], *path;

	if (signer == NULL)
		signer = own = sigv4_signer_new();
	for (i = 0; i < nq; i++)
		q[i].base = query->data;
	qsort(q, nq, sizeof(*q), qparam_cmp);

	buf_adds(&creq, r->method);
	buf_addc(&creq, '\n');
	path = r->normalize_path ? normalized_path(r->path) :
	    xstrdup(r->path);
	sigv4_uri_encode(&creq, path, strlen(path), 1);
	free(path);
	buf_addc(&creq, '\n');
	for (i = 0; i < nq; i++) {
		if (i)
			buf_addc(&creq, '&');
		buf_add(&creq, query->data + q[i].off, q[i].len);
	}
	buf_addc(&creq, '\n');
	for (i = 0; i < g->nh; i++) {
		buf_adds(&creq, g->h[i].name);
		buf_addc(&creq, ':');
		buf_adds(&creq, g->h[i].value);
		buf_addc(&creq, '\n');
	}
	buf_addc(&creq, '\n');
	buf_add(&creq, g->signed_headers.data, g->signed_headers.len);
	buf_addc(&creq, '\n');
	buf_adds(&creq, r->payload_hash ? r->payload_hash : empty_hash);

	sha256_hex(signer->md, creq.data, creq.len, hash);
	buf_adds(&sts, "AWS4-HMAC-SHA256\n");
	buf_adds(&sts, g->stamp);
	buf_addc(&sts, '\n');
	buf_add(&sts, g->scope.data, g->scope.len);
	buf_addc(&sts, '\n');
	buf_add(&sts, hash, 64);

	signer_key(signer, cred->secret_access_key, g->date, r->region,
	    r->service);
	/* A NULL key restarts the MAC with the key it already holds. */
	if (!EVP_MAC_init(signer->sig, NULL, 0, NULL) ||
	    !EVP_MAC_update(signer->sig, (unsigned char *)sts.data, sts.len) ||
	    !EVP_MAC_final(signer->sig, mac, &maclen, sizeof(mac)))
		abort();
	hex32(mac, sig);
	sigv4_signer_free(own);

	if (trace != NULL) {
		buf_add(&trace->canonical_request, creq.data, creq.len);
		buf_add(&trace->string_to_sign, sts.data, sts.len);
		memcpy(trace->signature, sig, 65);
	}
	buf_free(&creq);
	buf_free(&sts);
}

void
sigv4_presign(struct sigv4_signer *signer, const struct sigv4_request *r,
    const struct sigv4_credentials *cred, struct buf *out,
    struct sigv4_trace *trace)
{
	struct buf query = BUF_INIT, credential = BUF_INIT;
	struct qparam qstack[16], *q;
	struct signing g;
	size_t nq = 0, i;
	char expires[24], sig[65];

	signing_start(&g, r);
	snprintf(expires, sizeof(expires), "%ld", r->expires);
	buf_adds(&credential, cred->access_key_id);
	buf_addc(&credential, '/');
	buf_add(&credential, g.scope.data, g.scope.len);

	/* The URL keeps botocore's order; the canonical form sorts. */
	q = r->nparams + 6 <= 16 ? qstack :
	    xcalloc(r->nparams + 6, sizeof(*q));
	for (i = 0; i < r->nparams; i++)
		add_param(&query, &q[nq++], r->params[i].key,
		    r->params[i].value);
	add_param(&query, &q[nq++], "X-Amz-Algorithm", "AWS4-HMAC-SHA256");
	add_param(&query, &q[nq++], "X-Amz-Credential", buf_str(&credential));
	add_param(&query, &q[nq++], "X-Amz-Date", g.stamp);
	add_param(&query, &q[nq++], "X-Amz-Expires", expires);
	add_param(&query, &q[nq++], "X-Amz-SignedHeaders",
	    buf_str(&g.signed_headers));
	if (cred->session_token != NULL)
		add_param(&query, &q[nq++], "X-Amz-Security-Token",
		    cred->session_token);

	sign(signer, r, cred, &g, &query, q, nq, sig, trace);
	buf_add(out, query.data, query.len);
	buf_adds(out, "&X-Amz-Signature=");
	buf_add(out, sig, 64);

	if (q != qstack)
		free(q);
	signing_end(&g);
	buf_free(&query);
	buf_free(&credential);
}

void
sigv4_sign_headers(struct sigv4_signer *signer,
    const struct sigv4_request *r, const struct sigv4_credentials *cred,
    struct buf *authorization, struct buf *query,
    struct sigv4_trace *trace)
{
	struct buf q_enc = BUF_INIT;
	struct qparam *q;
	struct signing g;
	size_t i;
	char sig[65];

	signing_start(&g, r);
	q = xcalloc(r->nparams ? r->nparams : 1, sizeof(*q));
	for (i = 0; i < r->nparams; i++)
		add_param(&q_enc, &q[i], r->params[i].key, r->params[i].value);
	if (query != NULL)
		buf_add(query, q_enc.data, q_enc.len);
	sign(signer, r, cred, &g, &q_enc, q, r->nparams, sig, trace);
	buf_adds(authorization, "AWS4-HMAC-SHA256 Credential=");
	buf_adds(authorization, cred->access_key_id);
	buf_addc(authorization, '/');
	buf_add(authorization, g.scope.data, g.scope.len);
	buf_adds(authorization, ", SignedHeaders=");
	buf_add(authorization, g.signed_headers.data, g.signed_headers.len);
	buf_adds(authorization, ", Signature=");
	buf_add(authorization, sig, 64);
	free(q);
	signing_end(&g);
	buf_free(&q_enc);
}

void
sigv4_sha256_hex(const void *msg, size_t len, char hex[65])
{
	EVP_MD_CTX *ctx;

	pthread_once(&crypto_once, crypto_fetch);
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		abort();
	sha256_hex(ctx, msg, len, hex);
	EVP_MD_CTX_free(ctx);
}

void
sigv4_amz_date(time_t when, char stamp[17])
{
	char date[9];

	format_time(when, date, stamp);
}

void
sigv4_trace_free(struct sigv4_trace *t)
{
	buf_free(&t->canonical_request);
	buf_free(&t->string_to_sign);
}
