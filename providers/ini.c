#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/buf.h"
#include "ini.h"

static char *
trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* "[ profile   dev ]" names the same section as "[profile dev]". */
static char *
section_name(const char *s, size_t n)
{
	char *name = trimmed(s, n), *r, *w;

	for (r = w = name; *r; r++) {
		if (isspace((unsigned char)*r)) {
			if (w > name && w[-1] == ' ')
				continue;
			*w++ = ' ';
		} else
			*w++ = *r;
	}
	*w = '\0';
	return name;
}

static void
add(struct ini *ini, const char *section, char *key, char *value, int line)
{
	struct ini_entry *e;

	ini->e = xrealloc(ini->e, (ini->n + 1) * sizeof(*ini->e));
	e = &ini->e[ini->n++];
	e->section = xstrdup(section);
	e->key = key;
	e->value = value;
	e->line = line;
}

int
ini_parse(struct ini *ini, const char *path, const char *text, size_t len,
    struct err *e)
{
	const char *p = text, *end = text + len;
	char *section = NULL;
	size_t indent, key_indent = 0;
	int lineno = 0, have_key = 0;

	memset(ini, 0, sizeof(*ini));
	ini->path = xstrdup(path);
	if (memchr(text, '\0', len) != NULL)
		goto binary;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end, *s = p, *delim;
		size_t n;

		p = nl ? nl + 1 : end;
		lineno++;
		for (indent = 0; s < eol && (*s == ' ' || *s == '\t'); s++)
			indent++;
		n = (size_t)(eol - s);
		while (n && isspace((unsigned char)s[n - 1]))
			n--;
		if (n == 0 || *s == '#' || *s == ';')
			continue;
		if (have_key && indent > key_indent) {
			struct ini_entry *last = &ini->e[ini->n - 1];
			struct buf v = BUF_INIT;

			buf_adds(&v, last->value);
			buf_addc(&v, '\n');
			buf_add(&v, s, n);
			wipe_str(last->value);
			last->value = xstrdup(buf_str(&v));
			buf_free(&v);
			continue;
		}
		have_key = 0;
		if (*s == '[') {
			const char *close = NULL, *q;

			for (q = s; q < s + n; q++)
				if (*q == ']')
					close = q;
			if (close == NULL || close == s + 1) {
				err_set(e, ERR_CONFIG, "%s:%d: malformed "
				    "section header", path, lineno);
				goto fail;
			}
			free(section);
			section = section_name(s + 1, (size_t)(close - s - 1));
			/* Recorded so that an empty section still exists. */
			add(ini, section, xstrdup(""), xstrdup(""), lineno);
			continue;
		}
		for (delim = s; delim < s + n && *delim != '=' &&
		    *delim != ':'; delim++)
			;
		if (delim == s + n) {
			err_set(e, ERR_CONFIG, "%s:%d: expected 'key = value'",
			    path, lineno);
			goto fail;
		}
		if (section == NULL) {
			err_set(e, ERR_CONFIG, "%s:%d: setting before any "
			    "[section] header", path, lineno);
			goto fail;
		}
		{
			char *key = trimmed(s, (size_t)(delim - s)), *k;

			if (*key == '\0') {
				free(key);
				err_set(e, ERR_CONFIG, "%s:%d: empty key",
				    path, lineno);
				goto fail;
			}
			for (k = key; *k; k++)
				*k = (char)tolower((unsigned char)*k);
			add(ini, section, key, trimmed(delim + 1,
			    (size_t)(s + n - delim - 1)), lineno);
		}
		have_key = 1;
		key_indent = indent;
	}
	free(section);
	return 0;
binary:
	err_set(e, ERR_CONFIG, "%s: not a text file", path);
fail:
	free(section);
	ini_free(ini);
	return -1;
}

int
ini_load(struct ini *ini, const char *path, struct err *e)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	ssize_t n;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT || errno == ENOTDIR) {
			memset(ini, 0, sizeof(*ini));
			ini->path = xstrdup(path);
			return 0;
		}
		return err_set(e, ERR_CONFIG, "%s: %s", path, strerror(errno));
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			err_set(e, ERR_CONFIG, "%s: %s", path, strerror(errno));
			close(fd);
			buf_free(&b);
			wipe(chunk, sizeof(chunk));
			return -1;
		}
		buf_add(&b, chunk, (size_t)n);
	}
	close(fd);
	wipe(chunk, sizeof(chunk));
	rc = ini_parse(ini, path, buf_str(&b), b.len, e);
	buf_free(&b);
	return rc;
}

const char *
ini_get(const struct ini *ini, const char *section, const char *key)
{
	size_t i;

	for (i = ini->n; i-- > 0;)
		if (strcmp(ini->e[i].section, section) == 0 &&
		    strcmp(ini->e[i].key, key) == 0)
			return ini->e[i].value;
	return NULL;
}

int
ini_has_section(const struct ini *ini, const char *section)
{
	size_t i;

	for (i = 0; i < ini->n; i++)
		if (strcmp(ini->e[i].section, section) == 0)
			return 1;
	return 0;
}

void
ini_free(struct ini *ini)
{
	size_t i;

	for (i = 0; i < ini->n; i++) {
		free(ini->e[i].section);
		free(ini->e[i].key);
		wipe_str(ini->e[i].value);
	}
	free(ini->e);
	free(ini->path);
	memset(ini, 0, sizeof(*ini));
}
