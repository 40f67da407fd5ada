#include <string.h>

#include "vis.h"

size_t
utf8_len(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	if (s[0] < 0xe0) {
		len = 2;
		*cp = s[0] & 0x1f;
	} else if (s[0] < 0xf0) {
		len = 3;
		*cp = s[0] & 0x0f;
		if (s[0] == 0xe0)
			lo = 0xa0;		/* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;		/* surrogates */
	} else {
		len = 4;
		*cp = s[0] & 0x07;
		if (s[0] == 0xf0)
			lo = 0x90;		/* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;		/* past U+10FFFF */
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	return len;
}

/* Code points that move text about or end a line without being a
 * control character of C0: C1, the separators, bidi controls. */
static int
hidden(unsigned long cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

static void
octal(struct buf *b, unsigned char c)
{
	buf_addc(b, '\\');
	buf_addc(b, (char)('0' + (c >> 6)));
	buf_addc(b, (char)('0' + (c >> 3 & 7)));
	buf_addc(b, (char)('0' + (c & 7)));
}

/* C's own escape for c, or 0. */
static char
named(unsigned char c)
{
	switch (c) {
	case '\a':	return 'a';
	case '\b':	return 'b';
	case '\t':	return 't';
	case '\n':	return 'n';
	case '\v':	return 'v';
	case '\f':	return 'f';
	case '\r':	return 'r';
	case '\\':	return '\\';
	}
	return 0;
}

void
vis_add(struct buf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned long cp;
	size_t i = 0, len, k;
	char c;

	buf_add(b, "", 0);
	while (i < n) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
			buf_addc(b, (char)s[i++]);
		else if ((c = named(s[i])) != 0) {
			buf_addc(b, '\\');
			buf_addc(b, c);
			i++;
		} else if (s[i] < 0x80 ||
		    (len = utf8_len(s + i, n - i, &cp)) == 0)
			octal(b, s[i++]);
		else
			for (k = 0; k < len; k++, i++)
				if (hidden(cp))
					octal(b, s[i]);
				else
					buf_addc(b, (char)s[i]);
	}
}

char *
vis_str(const char *s)
{
	struct buf b = BUF_INIT;

	if (s == NULL)
		s = "(null)";
	vis_add(&b, s, strlen(s));
	return b.data;
}
