/* The shared config format, line by line as CPython's configparser reads
 * it (RawConfigParser, as botocore uses it); see ini.h. One pass, and a
 * continued value grows in one buffer, so the work is linear in the size
 * of the file. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/buf.h"
#include "../common/fileio.h"
#include "ini.h"

struct reader {
	struct ini	*ini;
	const char	*path;
	char		*section;	/* the current one, NULL before any */
	struct buf	 value;		/* the open value, its lines joined */
	size_t		 open;		/* its entry + 1; 0: none is open */
	int		 empty;		/* the open value's first line was empty */
	size_t		 indent;	/* of the last key or header line */
	int		 lineno;
	struct badline {
		size_t	 entry;
		int	 line;
	}		*bad;		/* block lines without '=' */
	size_t		 nbad, badcap;
};

/* The length of the UTF-8 sequence at s (n bytes left) and its code point,
 * or 0 when it is not one, as strictly as Python's decoder: no overlong
 * forms, no surrogates, nothing above U+10FFFF. */
static size_t
utf8(const char *p, size_t n, unsigned long *cp)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t len, i;
	unsigned long c;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Python's str.isspace(), which str.strip() and the regular expressions
 * of configparser use. */
static int
space(unsigned long c)
{
	return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) ||
	    c == 0x85 || c == 0xa0 || c == 0x1680 ||
	    (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
	    c == 0x202f || c == 0x205f || c == 0x3000;
}

/* The white space at the start of s, in bytes; *chars counts characters. */
static size_t
leading_space(const char *s, size_t n, size_t *chars)
{
	unsigned long c;
	size_t at = 0, len;

	*chars = 0;
	while ((len = utf8(s + at, n - at, &c)) != 0 && space(c)) {
		at += len;
		(*chars)++;
	}
	return at;
}

/* Narrows *s, *n to the text without surrounding white space (valid
 * UTF-8). */
static void
strip(const char **s, size_t *n)
{
	unsigned long c;
	size_t chars, at;

	at = leading_space(*s, *n, &chars);
	*s += at;
	*n -= at;
	while (*n > 0) {
		for (at = *n - 1; at > 0 && ((unsigned char)(*s)[at] & 0xc0) ==
		    0x80; at--)
			;
		if (utf8(*s + at, *n - at, &c) == 0 || !space(c))
			break;
		*n = at;
	}
}

static char *
trimmed(const char *s, size_t n)
{
	strip(&s, &n);
	return xstrndup(s, n);
}

static size_t
hash(const char *section, const char *key)
{
	size_t h = 2166136261u;

	for (; *section; section++)
		h = (h ^ (unsigned char)*section) * 16777619u;
	h = (h ^ 0xff) * 16777619u;
	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h;
}

/* The slot of (section, key) in the index: the entry's number + 1, or 0
 * where it would go. */
static size_t *
slot(const struct ini *ini, const char *section, const char *key)
{
	size_t i = hash(section, key) & (ini->nslot - 1), *s;

	for (;; i = (i + 1) & (ini->nslot - 1)) {
		s = &ini->slot[i];
		if (*s == 0 || (strcmp(ini->e[*s - 1].section, section) == 0 &&
		    strcmp(ini->e[*s - 1].key, key) == 0))
			return s;
	}
}

/* Keeps the index at most half full. */
static void
grow_index(struct ini *ini)
{
	size_t i;

	if (ini->nslot > 2 * ini->n)
		return;
	free(ini->slot);
	ini->nslot = ini->nslot ? ini->nslot * 2 : 64;
	ini->slot = xcalloc(ini->nslot, sizeof(*ini->slot));
	for (i = 0; i < ini->n; i++)
		*slot(ini, ini->e[i].section, ini->e[i].key) = i + 1;
}

/* The section whose keys every other section of the file has too, unless
 * it sets its own: configparser's default section. */
static const char default_section[] = "DEFAULT";

static const struct ini_entry *
lookup(const struct ini *ini, const char *section, const char *key)
{
	size_t s;

	if (ini->nslot == 0 || (s = *slot(ini, section, key)) == 0)
		return NULL;
	return &ini->e[s - 1];
}

/* A section header is an entry with the key "", so that an empty section
 * exists and a repeated one is found like a repeated key. */
static size_t
add(struct ini *ini, const char *section, char *key, char *value, int line)
{
	struct ini_entry *e;

	if (ini->n == ini->cap) {
		ini->cap = ini->cap ? ini->cap * 2 : 16;
		ini->e = xrealloc(ini->e, ini->cap * sizeof(*ini->e));
	}
	e = &ini->e[ini->n];
	e->section = xstrdup(section);
	e->key = key;
	e->value = value;
	e->line = line;
	ini->n++;
	grow_index(ini);
	*slot(ini, e->section, e->key) = ini->n;
	return ini->n - 1;
}

/* The open value ends: configparser drops the blank lines it ended with. */
static void
close_value(struct reader *r)
{
	struct ini_entry *e;

	if (r->open == 0)
		return;
	e = &r->ini->e[r->open - 1];
	while (r->value.len > 0 && r->value.data[r->value.len - 1] == '\n')
		r->value.data[--r->value.len] = '\0';
	e->nested = r->value.len > 0 && r->value.data[0] == '\n';
	wipe_str(e->value);
	e->value = xstrdup(buf_str(&r->value));
	buf_reset(&r->value);
	r->open = 0;
}

/* The first '=' or ':' of a key line: the key ends there. */
static const char *
delimiter(const char *s, size_t n)
{
	for (; n > 0; s++, n--)
		if (*s == '=' || *s == ':')
			return s;
	return NULL;
}

static int
setting(struct reader *r, const char *s, size_t n, struct err *e)
{
	const struct ini_entry *first;
	const char *delim, *v;
	char *key, *k;
	size_t vn;

	if ((delim = delimiter(s, n)) == NULL)
		return err_set(e, ERR_CONFIG, "%s:%d: expected 'key = value'",
		    r->path, r->lineno);
	if (r->section == NULL)
		return err_set(e, ERR_CONFIG, "%s:%d: setting before any "
		    "[section] header", r->path, r->lineno);
	key = trimmed(s, (size_t)(delim - s));
	if (*key == '\0') {
		free(key);
		return err_set(e, ERR_CONFIG, "%s:%d: empty key", r->path,
		    r->lineno);
	}
	for (k = key; *k; k++)
		*k = (char)tolower((unsigned char)*k);
	if ((first = lookup(r->ini, r->section, key)) != NULL) {
		err_set(e, ERR_CONFIG, "%s:%d: duplicate key '%s' in [%s] "
		    "(first at line %d)", r->path, r->lineno, key, r->section,
		    first->line);
		free(key);
		return -1;
	}
	r->open = add(r->ini, r->section, key, xstrdup(""), r->lineno) + 1;
	v = delim + 1;
	vn = (size_t)(s + n - v);
	strip(&v, &vn);
	buf_add(&r->value, v, vn);
	r->empty = vn == 0;
	return 0;
}

/* A section header is the text between the '[' and the last ']' of the
 * line, exactly: "[ default ]" is not "[default]". */
static int
header(struct reader *r, const char *s, size_t n, struct err *e)
{
	const struct ini_entry *first;
	const char *close = NULL, *q;

	for (q = s; q < s + n; q++)
		if (*q == ']')
			close = q;
	if (close == NULL || close == s + 1) {
		/* configparser reads "[a = b" as a key in the section. */
		if (r->section != NULL && delimiter(s, n) != NULL)
			return setting(r, s, n, e);
		return err_set(e, ERR_CONFIG, "%s:%d: malformed section header",
		    r->path, r->lineno);
	}
	free(r->section);
	r->section = xstrndup(s + 1, (size_t)(close - s - 1));
	/* [DEFAULT] may come back; its keys may not. */
	if (strcmp(r->section, default_section) == 0)
		return 0;
	if ((first = lookup(r->ini, r->section, "")) != NULL)
		return err_set(e, ERR_CONFIG, "%s:%d: duplicate section [%s] "
		    "(first at line %d)", r->path, r->lineno, r->section,
		    first->line);
	add(r->ini, r->section, xstrdup(""), xstrdup(""), r->lineno);
	return 0;
}

/* botocore reads a value whose first line is empty as a block of
 * "key = value" lines, one per line as str.splitlines() splits them, and
 * refuses the file if one has no '='. */
static void
check_block_line(struct reader *r, const char *s, size_t n)
{
	const char *end = s + n, *eol, *next;
	unsigned long c;
	size_t len, clen;

	for (; s < end; s = next) {
		for (eol = s; eol < end; eol += clen) {
			clen = utf8(eol, (size_t)(end - eol), &c);
			if (c == 0x0b || c == 0x0c || (c >= 0x1c && c <= 0x1e) ||
			    c == 0x85 || c == 0x2028 || c == 0x2029)
				break;
		}
		next = eol < end ? eol + clen : end;
		len = (size_t)(eol - s);
		strip(&s, &len);
		if (len > 0 && memchr(s, '=', len) == NULL) {
			if (r->nbad == r->badcap) {
				r->badcap = r->badcap ? 2 * r->badcap : 4;
				r->bad = xrealloc(r->bad, r->badcap *
				    sizeof(*r->bad));
			}
			r->bad[r->nbad].entry = r->open - 1;
			r->bad[r->nbad++].line = r->lineno;
			return;
		}
	}
}

/* botocore reads the blocks of every section, and a [DEFAULT] block
 * wherever a section does not set that key itself. */
static int
check_blocks(struct reader *r, struct err *e)
{
	const struct ini *ini = r->ini;
	const struct ini_entry *en;
	size_t i, j;

	for (i = 0; i < r->nbad; i++) {
		en = &ini->e[r->bad[i].entry];
		if (strcmp(en->section, default_section) == 0) {
			for (j = 0; j < ini->n; j++)
				if (*ini->e[j].key == '\0' &&
				    lookup(ini, ini->e[j].section, en->key) ==
				    NULL)
					break;
			if (j == ini->n)
				continue;
		}
		return err_set(e, ERR_CONFIG, "%s:%d: a line in the block "
		    "under '%s' (line %d) has no '='", r->path,
		    r->bad[i].line, en->key, en->line);
	}
	return 0;
}

/* One line, without its line end. */
static int
line(struct reader *r, const char *s, size_t n, struct err *e)
{
	size_t indent, at, len;
	unsigned long c;

	for (at = 0; at < n; at += len)
		if ((len = utf8(s + at, n - at, &c)) == 0)
			return err_set(e, ERR_CONFIG, "%s:%d: not UTF-8 text",
			    r->path, r->lineno);
	if (r->lineno == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		return err_set(e, ERR_CONFIG, "%s:1: starts with a byte order "
		    "mark", r->path);
	/* Indentation counts characters, as configparser does. */
	at = leading_space(s, n, &indent);
	s += at;
	n -= at;
	strip(&s, &n);	/* the end */
	if (n > 0 && (*s == '#' || *s == ';'))
		return 0;	/* a comment neither ends nor joins a value */
	if (n == 0) {
		if (r->open)
			buf_addc(&r->value, '\n');
		return 0;
	}
	if (r->open && indent > r->indent) {
		buf_addc(&r->value, '\n');
		buf_add(&r->value, s, n);
		if (r->empty)
			check_block_line(r, s, n);
		return 0;
	}
	close_value(r);
	r->indent = indent;
	if (*s == '[')
		return header(r, s, n, e);
	return setting(r, s, n, e);
}

int
ini_parse(struct ini *ini, const char *path, const char *text, size_t len,
    struct err *e)
{
	struct reader r;
	const char *p = text, *end = text + len, *eol;
	int rc = 0;

	memset(ini, 0, sizeof(*ini));
	ini->path = xstrdup(path);
	if (memchr(text, '\0', len) != NULL) {
		ini_free(ini);
		return err_set(e, ERR_CONFIG, "%s: not a text file", path);
	}
	memset(&r, 0, sizeof(r));
	r.ini = ini;
	r.path = path;
	/* Universal newlines: CR LF, CR and LF all end a line. */
	while (rc == 0 && p < end) {
		for (eol = p; eol < end && *eol != '\n' && *eol != '\r'; eol++)
			;
		r.lineno++;
		rc = line(&r, p, (size_t)(eol - p), e);
		if (eol < end && *eol == '\r' && eol + 1 < end && eol[1] == '\n')
			eol++;
		p = eol < end ? eol + 1 : end;
	}
	if (rc == 0)
		close_value(&r);
	if (rc == 0)
		rc = check_blocks(&r, e);
	free(r.bad);
	free(r.section);
	buf_free(&r.value);
	if (rc == -1)
		ini_free(ini);
	return rc;
}

int
ini_load(struct ini *ini, const char *path, struct err *e)
{
	struct buf b = BUF_INIT;
	struct stat st;
	int fd, rc;

	memset(ini, 0, sizeof(*ini));
	/* O_NONBLOCK: a FIFO must not hang us before fstat says what it is. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1 &&
	    errno != ENOENT && errno != ENOTDIR && errno != ELOOP)
		return err_set(e, ERR_CONFIG, "%s: %s", path, strerror(errno));
	if (fd == -1 || fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		if (fd != -1)
			close(fd);
		ini->path = xstrdup(path);
		return 0;
	}
	if (read_fd(fd, (size_t)-1, &b) == -1) {
		err_set(e, ERR_CONFIG, "%s: %s", path, strerror(errno));
		close(fd);
		buf_free(&b);
		return -1;
	}
	close(fd);
	rc = ini_parse(ini, path, buf_str(&b), b.len, e);
	buf_free(&b);
	return rc;
}

const struct ini_entry *
ini_find(const struct ini *ini, const char *section, const char *key)
{
	const struct ini_entry *e = lookup(ini, section, key);

	if (e == NULL && strcmp(section, default_section) != 0 &&
	    lookup(ini, section, "") != NULL)
		e = lookup(ini, default_section, key);
	return e;
}

const char *
ini_get(const struct ini *ini, const char *section, const char *key)
{
	const struct ini_entry *e = ini_find(ini, section, key);

	return e != NULL ? e->value : NULL;
}

int
ini_has_section(const struct ini *ini, const char *section)
{
	return lookup(ini, section, "") != NULL;
}

/* C0 controls, DEL and, in UTF-8, the C1 controls U+0080 to U+009F. */
static const char *
control(const char *s, int words)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++)
		if ((*p < 0x20 && !(words && (*p == '\t' || *p == '\n'))) ||
		    *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return (const char *)p;
	return NULL;
}

int
ini_setting(const struct ini *ini, const char *section, const char *key,
    int flags, const char **value, struct err *e)
{
	const struct ini_entry *en = ini_find(ini, section, key);
	const char *c;

	*value = NULL;
	if (en == NULL)
		return 0;
	if (en->nested)
		return err_set(e, ERR_CONFIG, "%s:%d: %s is a nested block, "
		    "not a value", ini->path, en->line, key);
	if ((c = control(en->value, flags & INI_WORDS)) != NULL)
		return err_set(e, ERR_CONFIG, "%s:%d: %s contains %s",
		    ini->path, en->line, key, *c == '\n' ? "a line break (an "
		    "indented line continues the value)" :
		    "a control character");
	if ((flags & INI_NONEMPTY) && *en->value == '\0')
		return err_set(e, ERR_CONFIG, "%s:%d: %s is empty", ini->path,
		    en->line, key);
	*value = en->value;
	return 0;
}

int
ini_nested(const struct ini *ini, const char *section, const char *key,
    const char *subkey, char **value, struct err *e)
{
	const struct ini_entry *en = ini_find(ini, section, key);
	const char *s, *eol, *eq, *k;
	size_t kn, vn;

	*value = NULL;
	if (en == NULL || !en->nested)
		return 0;
	/* botocore's _parse_nested: "key = value" lines, the later of two
	 * equal keys winning, keys compared as written. */
	for (s = en->value; *s != '\0'; s = *eol ? eol + 1 : eol) {
		eol = s + strcspn(s, "\n");
		if ((eq = memchr(s, '=', (size_t)(eol - s))) == NULL)
			continue;
		k = s;
		kn = (size_t)(eq - s);
		strip(&k, &kn);
		if (kn != strlen(subkey) || memcmp(k, subkey, kn) != 0)
			continue;
		s = eq + 1;
		vn = (size_t)(eol - s);
		strip(&s, &vn);
		free(*value);
		*value = xstrndup(s, vn);
	}
	if (*value != NULL && control(*value, 0) != NULL) {
		free(*value);
		*value = NULL;
		return err_set(e, ERR_CONFIG, "%s:%d: %s in the block under %s "
		    "contains a control character", ini->path, en->line, subkey,
		    key);
	}
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
	free(ini->slot);
	free(ini->path);
	memset(ini, 0, sizeof(*ini));
}
