#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/pct.h"
#include "url.h"

/* A decoded copy of s[0..n), or NULL after setting e. */
static char *
part(const char *s, size_t n, const char *what, struct err *e)
{
	struct buf b = BUF_INIT;

	if (pct_decode(s, n, &b) == -1) {
		buf_free(&b);
		err_set(e, ERR_USAGE, "bad %%-escape in the URL's %s", what);
		return NULL;
	}
	return b.data ? b.data : xstrdup("");
}

/* The scheme's service: SCHEME:// with a service's name or alias. */
static const char *
scheme(const char *url, const struct service **svc, struct err *e)
{
	const char *sep = strstr(url, "://");
	char *name;

	if (sep == NULL || sep == url)
		goto bad;
	name = xstrndup(url, (size_t)(sep - url));
	*svc = service_find(name);
	free(name);
	if (*svc != NULL)
		return sep + 3;
bad:
	err_set(e, ERR_USAGE, "'%s' is not a connection URL (postgres://, "
	    "mysql://, mariadb:// or dsql://)", url);
	return NULL;
}

static int
port_number(const char *s, size_t n, unsigned *out, struct err *e)
{
	unsigned long v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]) || (v = v * 10 +
		    (unsigned long)(s[i] - '0')) > 65535)
			return err_set(e, ERR_USAGE, "the URL's port '%.*s' is "
			    "not a number from 1 to 65535", (int)n, s);
	}
	if (n == 0 || v == 0)
		return err_set(e, ERR_USAGE, "the URL's port '%.*s' is not a "
		    "number from 1 to 65535", (int)n, s);
	*out = (unsigned)v;
	return 0;
}

/* HOST[:PORT] or [V6][:PORT] */
static int
authority(struct dburl *u, const char *s, size_t n, struct err *e)
{
	const char *colon;

	if (n > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (close == NULL)
			return err_set(e, ERR_USAGE, "unterminated [ in the "
			    "URL's host");
		colon = (size_t)(close + 1 - s) < n ? close + 1 : NULL;
		if (colon != NULL && *colon != ':')
			return err_set(e, ERR_USAGE, "junk after the URL's "
			    "]");
		u->host = xstrndup(s, (size_t)(close + 1 - s));
	} else {
		colon = memchr(s, ':', n);
		if ((u->host = part(s, colon ? (size_t)(colon - s) : n,
		    "host", e)) == NULL)
			return -1;
	}
	if (colon != NULL && port_number(colon + 1, n - (size_t)(colon + 1 -
	    s), &u->port, e) == -1)
		return -1;
	return 0;
}

static int
query(struct dburl *u, const char *q, struct err *e)
{
	while (*q != '\0') {
		size_t n = strcspn(q, "&");
		const char *eq = memchr(q, '=', n);
		struct url_param p;
		size_t i;

		if (n == 0) {
			q++;
			continue;
		}
		if (eq == NULL || eq == q)
			return err_set(e, ERR_USAGE, "URL parameter '%.*s' is "
			    "not NAME=VALUE", (int)n, q);
		if ((p.key = part(q, (size_t)(eq - q), "parameters", e)) ==
		    NULL)
			return -1;
		if ((p.value = part(eq + 1, n - (size_t)(eq + 1 - q),
		    "parameters", e)) == NULL) {
			free(p.key);
			return -1;
		}
		for (i = 0; i < u->nparams; i++)
			if (strcmp(u->params[i].key, p.key) == 0) {
				err_set(e, ERR_USAGE, "URL parameter %s is given "
				    "twice", p.key);
				free(p.key);
				free(p.value);
				return -1;
			}
		u->params = xrealloc(u->params, (u->nparams + 1) *
		    sizeof(*u->params));
		u->params[u->nparams++] = p;
		q += n;
	}
	return 0;
}

int
url_parse(const char *url, struct dburl *u, struct err *e)
{
	const char *p, *at, *end, *slash, *q;

	memset(u, 0, sizeof(*u));
	if ((p = scheme(url, &u->service, e)) == NULL)
		return -1;
	if (strchr(p, '#') != NULL)
		return err_set(e, ERR_USAGE, "the URL has a #fragment, which "
		    "means nothing here");
	end = p + strcspn(p, "?");
	q = *end == '?' ? end + 1 : NULL;
	slash = memchr(p, '/', (size_t)(end - p));
	if (slash == NULL)
		slash = end;
	/* The last @ before the path ends the user: it may hold a %40. */
	for (at = slash; at > p && at[-1] != '@'; at--)
		;
	if (at > p) {
		if (memchr(p, ':', (size_t)(at - 1 - p)) != NULL) {
			err_set(e, ERR_USAGE, "the URL carries a password: "
			    "iamdb makes the password, leave it out");
			goto fail;
		}
		if ((u->user = part(p, (size_t)(at - 1 - p), "user", e)) ==
		    NULL)
			goto fail;
		p = at;
	}
	if (authority(u, p, (size_t)(slash - p), e) == -1)
		goto fail;
	if (slash < end && slash + 1 < end &&
	    (u->database = part(slash + 1, (size_t)(end - slash - 1),
	    "database", e)) == NULL)
		goto fail;
	if (q != NULL && query(u, q, e) == -1)
		goto fail;
	return 0;
fail:
	url_free(u);
	return -1;
}

void
url_free(struct dburl *u)
{
	size_t i;

	free(u->user);
	free(u->host);
	free(u->database);
	for (i = 0; i < u->nparams; i++) {
		free(u->params[i].key);
		free(u->params[i].value);
	}
	free(u->params);
	memset(u, 0, sizeof(*u));
}

const char *
url_param(const struct dburl *u, const char *key)
{
	size_t i;

	for (i = 0; i < u->nparams; i++)
		if (strcmp(u->params[i].key, key) == 0)
			return u->params[i].value;
	return NULL;
}

int
url_endpoint(const char *s, char **host, unsigned *port, struct err *e)
{
	const char *colon = strrchr(s, ':');
	struct err ignored;

	if (colon == NULL || colon == s || (s[0] == '[' && colon[-1] != ']') ||
	    (s[0] != '[' && memchr(s, ':', (size_t)(colon - s)) != NULL) ||
	    port_number(colon + 1, strlen(colon + 1), port, &ignored) == -1)
		return err_set(e, ERR_USAGE, "--endpoint '%s': expected "
		    "HOST:PORT", s);
	*host = xstrndup(s, (size_t)(colon - s));
	return 0;
}
