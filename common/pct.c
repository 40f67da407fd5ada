#include "pct.h"

static int
hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' :
	    c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int
pct_decode(const char *s, size_t n, struct buf *out)
{
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		int hi, lo;

		if (s[i] != '%')
			continue;
		buf_add(out, s + run, i - run);
		if (i + 2 >= n || (hi = hexval(s[i + 1])) < 0 ||
		    (lo = hexval(s[i + 2])) < 0 || (hi == 0 && lo == 0))
			return -1;
		buf_addc(out, (char)(hi * 16 + lo));
		i += 2;
		run = i + 1;
	}
	buf_add(out, s + run, n - run);
	return 0;
}
