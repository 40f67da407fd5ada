#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "timeutil.h"

/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: what four digits hold. */
#define FIRST	(-62167219200LL)
#define LAST	253402300799LL

static int
digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
time_parse_iso8601(const char *s, time_t *out)
{
	struct tm tm, want;
	int y, mo, d, h, mi, sec, oh, om;
	long offset = 0;
	time_t t;

	if (s == NULL || strlen(s) < 19 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &sec))
		return -1;
	s += 19;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			;
	if (*s == 'Z' || *s == 'z')
		s++;
	else if (strcmp(s, "UTC") == 0)	/* older aws CLI SSO caches */
		s += 3;
	else if (*s == '+' || *s == '-') {
		if (digits(s + 1, 2, &oh) || s[3] != ':' ||
		    digits(s + 4, 2, &om))
			return -1;
		offset = (oh * 60L + om) * 60L * (*s == '+' ? 1 : -1);
		s += 6;
	} else
		return -1;
	if (*s != '\0')
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	want = tm;
	if (mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 60 ||
	    (t = timegm(&tm)) == (time_t)-1 || tm.tm_mday != want.tm_mday)
		return -1;
	if ((long long)t - offset < FIRST || (long long)t - offset > LAST)
		return -1;
	*out = t - offset;
	return 0;
}

/* By hand rather than with strftime, whose %Y neither pads years below
 * 1000 nor stops at 9999. */
int
time_format_iso8601(time_t t, char out[21])
{
	struct tm tm;

	out[0] = '\0';
	if ((long long)t < FIRST || (long long)t > LAST ||
	    gmtime_r(&t, &tm) == NULL)
		return -1;
	if (snprintf(out, 21, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec) != 20) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}
