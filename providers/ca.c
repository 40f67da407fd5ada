#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "../common/fileio.h"
#include "../common/jsonout.h"
#include "../common/timeutil.h"
#include "ca.h"
#include "cache.h"
#include "../sigv4/dbtoken.h"
#include "http.h"
#include "sts.h"

#define CA_RECHECK	(24 * 60 * 60)	/* conditional GET at most daily */
#define CA_RETRY	(60 * 60)	/* after a failed one, hourly */
#define CA_WARN_DAYS	30

static char *
default_url(const char *region)
{
	struct buf b = BUF_INIT;

	if (region == NULL)
		buf_adds(&b, "https://truststore.pki.rds.amazonaws.com/global/"
		    "global-bundle.pem");
	else if (strncmp(region, "us-gov-", 7) == 0)
		buf_printf(&b, "https://truststore.pki.us-gov-west-1.rds."
		    "amazonaws.com/%s/%s-bundle.pem", region, region);
	else
		buf_printf(&b, "https://truststore.pki.rds.amazonaws.com/%s/"
		    "%s-bundle.pem", region, region);
	return b.data;
}

/* The lines that begin a PEM block, of any type; *certs: how many of
 * them begin a certificate. */
static int
pem_blocks(const char *pem, size_t len, int *certs)
{
	static const char begin[] = "-----BEGIN ", cert[] = "CERTIFICATE-----";
	const char *p = pem, *end = pem + len, *nl;
	int n = 0;

	*certs = 0;
	for (; p < end; p = nl + 1) {
		size_t line;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		line = (size_t)(nl - p);
		if (line < sizeof(begin) - 1 ||
		    memcmp(p, begin, sizeof(begin) - 1) != 0)
			continue;
		n++;
		if (line >= sizeof(begin) + sizeof(cert) - 2 &&
		    memcmp(p + sizeof(begin) - 1, cert, sizeof(cert) - 1) == 0)
			(*certs)++;
	}
	return n;
}

/* Every PEM block must be a certificate that parses; at least one. The
 * PEM reader skips blocks of other types (a private key, say) and text
 * between blocks, so the blocks are counted as well. Errors name what;
 * warnings name the file, as ca_check_file does. */
static int
check_pem(const char *pem, size_t len, const char *what, const char *file,
    struct buf *warnings, struct err *e)
{
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	time_t now = time(NULL), soon = now + CA_WARN_DAYS * 86400;
	X509 *x;
	unsigned long last;
	int n = 0, blocks, certs;

	if (bio == NULL)
		return err_set(e, ERR_INTERNAL, "out of memory");
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		char name[256] = "";

		n++;
		X509_NAME_oneline(X509_get_subject_name(x), name,
		    sizeof(name));
		if (X509_cmp_time(X509_get0_notAfter(x), &now) <= 0)
			buf_printf(warnings, "%s: certificate %s has "
			    "expired\n", file, name);
		else if (X509_cmp_time(X509_get0_notAfter(x), &soon) <= 0)
			buf_printf(warnings, "%s: certificate %s expires "
			    "within %d days\n", file, name, CA_WARN_DAYS);
		X509_free(x);
	}
	/* The loop ends at the end of the data (no start line) or at a
	 * block that does not parse. */
	last = ERR_peek_last_error();
	ERR_clear_error();
	BIO_free(bio);
	blocks = pem_blocks(pem, len, &certs);
	if (n == 0 || n != blocks || certs != blocks || (last != 0 &&
	    ERR_GET_REASON(last) != PEM_R_NO_START_LINE))
		return err_set(e, ERR_NETWORK, "%s is not a bundle of PEM "
		    "X.509 certificates", what);
	return 0;
}

int
ca_check_file(const char *path, struct buf *warnings, struct err *e)
{
	struct buf b = BUF_INIT;
	int fd, rc;

	/* The path goes into option files and messages as it is. */
	if (strpbrk(path, "\r\n") != NULL)
		return err_set(e, ERR_USAGE, "the CA bundle path holds a line "
		    "break, which cannot go into a file");
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	if (read_fd(fd, 8 << 20, &b) == -1) {
		err_set(e, ERR_IO, "%s: %s", path, errno == EFBIG ?
		    "larger than 8 MiB, no CA bundle" : strerror(errno));
		close(fd);
		buf_free(&b);
		return -1;
	}
	close(fd);
	rc = check_pem(buf_str(&b), b.len, path, path, warnings, e);
	if (rc == -1)
		e->kind = ERR_CONFIG;
	buf_free(&b);
	return rc;
}

/* What we know of the cached copy: its URL, validators, last check. */
struct meta {
	char	*url;
	char	*etag;
	char	*last_modified;
	time_t	 checked;
};

/* The cached copy of one bundle: its two files, and whether the PEM is
 * ours and came from the URL asked for. */
struct cached {
	struct buf	 file;
	struct buf	 metafile;
	struct meta	 m;
	int		 have;
	time_t		 mtime;
};

static void
meta_free(struct meta *m)
{
	free(m->url);
	free(m->etag);
	free(m->last_modified);
	memset(m, 0, sizeof(*m));
}

static void
meta_read(const char *path, struct meta *m)
{
	json_t *j = json_load_file(path, 0, NULL);
	const char *v;

	memset(m, 0, sizeof(*m));
	if (j == NULL)
		return;
	if ((v = json_string_value(json_object_get(j, "url"))) != NULL)
		m->url = xstrdup(v);
	if ((v = json_string_value(json_object_get(j, "etag"))) != NULL)
		m->etag = xstrdup(v);
	if ((v = json_string_value(json_object_get(j, "last_modified"))))
		m->last_modified = xstrdup(v);
	m->checked = (time_t)json_integer_value(json_object_get(j,
	    "checked"));
	json_decref(j);
}

static int
put_text(const char *old, size_t len, void *arg, struct buf *out,
    struct err *e)
{
	(void)old;
	(void)len;
	(void)e;
	buf_adds(out, arg);
	return 0;
}

/* A validator jansson refuses (not UTF-8) is left out: the next check is
 * then unconditional, which costs a download, never a wrong bundle. */
static int
meta_write(const char *path, const struct meta *m, struct err *e)
{
	json_t *j = json_object();
	struct buf text = BUF_INIT;
	int rc = -1;

	if (j != NULL && m->etag != NULL)
		(void)jsonout_string(j, "etag", m->etag);
	if (j != NULL && m->last_modified != NULL)
		(void)jsonout_string(j, "last_modified", m->last_modified);
	if (j == NULL || jsonout_string(j, "url", m->url) == -1 ||
	    jsonout_integer(j, "checked", (long long)m->checked) == -1 ||
	    jsonout_dump(j, JSON_PRESERVE_ORDER, &text) == -1)
		err_set(e, ERR_INTERNAL, "%s: cannot write JSON", path);
	else
		rc = secret_file_update(path, put_text, (void *)buf_str(&text),
		    10000, e);
	json_decref(j);
	buf_free(&text);
	return rc;
}

static char *
header_copy(const struct http_response *rs, const char *name)
{
	size_t n;
	const char *v = http_header(rs, name, &n);

	return v != NULL && n > 0 && n < 512 ? xstrndup(v, n) : NULL;
}

/* Where a bundle installed by hand or by a package is looked for, the
 * region's before the global one; a Lambda layer's files are in /opt. */
static const char *const installed_dirs[] = {
	"/etc/ssl/rds", "/etc/pki/rds", "/opt/rds",
};

/* 0 with *path set when an installed bundle exists (and is checked), left
 * NULL when none does; -1 when one exists but is not a bundle. */
static int
installed_bundle(const char *region, char **path, struct buf *warnings,
    struct err *e)
{
	struct buf b = BUF_INIT;
	struct stat st;
	size_t i;
	int pass;

	for (pass = region != NULL ? 0 : 1; pass < 2; pass++)
		for (i = 0; i < sizeof(installed_dirs) /
		    sizeof(installed_dirs[0]); i++) {
			buf_reset(&b);
			buf_printf(&b, "%s/%s-bundle.pem", installed_dirs[i],
			    pass == 0 ? region : "global");
			if (stat(buf_str(&b), &st) == -1)
				continue;
			if (ca_check_file(buf_str(&b), warnings, e) == -1) {
				buf_free(&b);
				return -1;
			}
			*path = xstrdup(buf_str(&b));
			buf_free(&b);
			return 0;
		}
	buf_free(&b);
	return 0;
}

/* What to do when there is no bundle at all: say every way to have one. */
static int
no_bundle(const struct err *why, struct err *e)
{
	return err_set(e, why->kind == ERR_NONE ? ERR_NETWORK : why->kind,
	    "%s; give --ca-bundle FILE or "
	    "IAMDB_CA_BUNDLE, or install AWS's global-bundle.pem as %s/"
	    "global-bundle.pem", why->msg, installed_dirs[0]);
}

static int
cached_open(struct cached *c, const char *region, const char *url,
    struct err *e)
{
	struct err why = { 0 };
	struct stat st;
	char *dir;

	memset(c, 0, sizeof(*c));
	if ((dir = cache_private_dir("ca", &why)) == NULL)
		return no_bundle(&why, e);
	buf_printf(&c->file, "%s/%s-bundle.pem", dir, region ? region :
	    "global");
	buf_printf(&c->metafile, "%s/%s-bundle.json", dir, region ? region :
	    "global");
	free(dir);
	meta_read(buf_str(&c->metafile), &c->m);
	c->have = lstat(buf_str(&c->file), &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_uid == geteuid() && c->m.url != NULL &&
	    strcmp(c->m.url, url) == 0;
	c->mtime = c->have ? st.st_mtime : 0;
	return 0;
}

static void
cached_close(struct cached *c)
{
	meta_free(&c->m);
	buf_free(&c->file);
	buf_free(&c->metafile);
}

static int
cached_fresh(const struct cached *c)
{
	time_t now = time(NULL);

	return c->have && now - c->m.checked < CA_RECHECK &&
	    c->m.checked <= now;
}

/* A 200's body: checked, then kept with the validators that came with
 * it. -1 with *neterr set when the body is refused (the cached copy may
 * still serve), with e set when it could not be written. */
static int
keep_body(struct cached *c, const char *url, const struct http_response *rs,
    struct buf *warnings, struct err *neterr, struct err *e)
{
	struct buf fresh = BUF_INIT;

	/* A refused body's warnings would be about certificates nobody
	 * will use: keep them only for a body that is kept. */
	if (check_pem(buf_str(&rs->body), rs->body.len, url,
	    buf_str(&c->file), &fresh, neterr) == -1 ||
	    secret_file_update(buf_str(&c->file), put_text,
	    (void *)buf_str(&rs->body), 10000, e) == -1) {
		buf_free(&fresh);
		return -1;
	}
	buf_add(warnings, fresh.data, fresh.len);
	buf_free(&fresh);
	meta_free(&c->m);
	c->m.url = xstrdup(url);
	c->m.etag = header_copy(rs, "ETag");
	c->m.last_modified = header_copy(rs, "Last-Modified");
	c->m.checked = time(NULL);
	meta_write(buf_str(&c->metafile), &c->m, neterr);
	return 0;
}

/* The conditional GET. -1 with *neterr set when the network or the
 * server failed us, with e set when the local files did. */
static int
download(struct cached *c, const char *url, struct buf *warnings,
    struct err *neterr, struct err *e)
{
	struct buf h1 = BUF_INIT, h2 = BUF_INIT;
	const char *headers[3] = { NULL, NULL, NULL };
	struct http_request rq;
	struct http_response rs;
	int nh = 0, rc = -1;

	if (c->have && c->m.etag != NULL) {
		buf_printf(&h1, "If-None-Match: %s", c->m.etag);
		headers[nh++] = buf_str(&h1);
	}
	if (c->have && c->m.last_modified != NULL) {
		buf_printf(&h2, "If-Modified-Since: %s", c->m.last_modified);
		headers[nh++] = buf_str(&h2);
	}
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.url = url;
	rq.headers = headers;
	rq.timeout_ms = http_timeout_ms();
	rq.attempts = 2;
	rq.what = "RDS CA bundle";
	if (http_do(&rq, &rs, neterr) == 0) {
		if (rs.status == 304 && c->have) {
			c->m.checked = time(NULL);
			meta_write(buf_str(&c->metafile), &c->m, neterr);
			rc = 0;
		} else if (rs.status == 200)
			rc = keep_body(c, url, &rs, warnings, neterr, e);
		else
			err_set(neterr, ERR_NETWORK, "%s: HTTP %ld", url,
			    rs.status);
	}
	http_response_free(&rs);
	buf_free(&h1);
	buf_free(&h2);
	return rc;
}

/* Offline, the cached copy serves with a warning, and every command
 * would wait on the network again: the next try is in an hour. */
static int
serve_stale(struct cached *c, const struct err *neterr,
    struct buf *warnings)
{
	struct err ignored;
	char when[21];

	if (time_format_iso8601(c->mtime, when) == -1)
		snprintf(when, sizeof(when), "before");
	buf_printf(warnings, "could not refresh the CA bundle (%s); using "
	    "the copy from %s\n", neterr->msg, when);
	c->m.checked = time(NULL) - CA_RECHECK + CA_RETRY;
	meta_write(buf_str(&c->metafile), &c->m, &ignored);
	return 0;
}

int
ca_bundle(const char *region, int force, char **path, struct buf *warnings,
    struct err *e)
{
	const char *over = getenv("IAMDB_CA_URL");
	struct err neterr = { 0 };
	struct cached c;
	char *url;
	int rc;

	*path = NULL;
	if (region != NULL && !dbtoken_region_valid(region))
		return err_set(e, ERR_USAGE, "invalid region '%s'", region);
	/* The bundle is what every later connection trusts: it must not
	 * come over a channel anyone on the path could rewrite. */
	if (over != NULL && *over != '\0' && strncmp(over, "https://", 8) != 0)
		return err_set(e, ERR_CONFIG, "IAMDB_CA_URL '%s': the CA bundle "
		    "must be fetched over https://", over);
	/* An installed bundle is whoever installed it's to keep current;
	 * a URL of one's own, or --refresh, asks for the download. */
	if ((over == NULL || *over == '\0') && !force) {
		*path = NULL;
		if (installed_bundle(region, path, warnings, e) == -1)
			return -1;
		if (*path != NULL)
			return 0;
	}
	url = over != NULL && *over != '\0' ? xstrdup(over) :
	    default_url(region);
	if (cached_open(&c, region, url, e) == -1) {
		free(url);
		return -1;
	}
	rc = 0;
	if ((force || !cached_fresh(&c)) &&
	    download(&c, url, warnings, &neterr, e) == -1)
		rc = neterr.kind == ERR_NONE ? -1 :	/* e says why */
		    c.have ? serve_stale(&c, &neterr, warnings) :
		    no_bundle(&neterr, e);
	if (rc == 0)
		*path = xstrdup(buf_str(&c.file));
	cached_close(&c);
	free(url);
	return rc;
}
