#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "timeutil.h"

/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: what four digits hold. */
#define FIRST	(-62167219200LL)
#define LAST	253402300799LL

/* timegm, whose -1 is also 1969-12-31T23:59:59Z: only errno tells. */
static int
utc(struct tm *tm, time_t *t)
{
	errno = 0;
	*t = timegm(tm);
	return *t == (time_t)-1 && errno != 0 ? -1 : 0;
}

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
	    utc(&tm, &t) == -1 || tm.tm_mday != want.tm_mday)
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

/* The basic format, 20260102T030405Z, as credential_process output may
 * give it (botocore's date parser takes it): optional fractional seconds,
 * then Z, +HHMM, -HHMM, +HH:MM or -HH:MM. Self-contained on purpose. */
int
time_parse_iso8601_basic(const char *s, time_t *out)
{
	int v[6], i, sign = 0, oh = 0, om = 0;
	const char *p = s;
	struct tm tm;
	time_t t;

	if (s == NULL)
		return -1;
	for (i = 0; i < 6; i++) {
		int digits = i == 0 ? 4 : 2, n;

		if (i == 3 && *p++ != 'T')
			return -1;
		for (v[i] = 0, n = 0; n < digits; n++, p++) {
			if (*p < '0' || *p > '9')
				return -1;
			v[i] = v[i] * 10 + (*p - '0');
		}
	}
	if (*p == '.' || *p == ',')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
			return -1;
		oh = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
		if (*p == ':')
			p++;
		if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
			return -1;
		om = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
		if (oh > 23 || om > 59)
			return -1;
	} else
		return -1;
	if (*p != '\0' || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[3] > 23 ||
	    v[4] > 59 || v[5] > 60)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	if (utc(&tm, &t) == -1 || tm.tm_mday != v[2])
		return -1;
	*out = t - sign * (oh * 3600L + om * 60L);
	return 0;
}

time_t
renew_at(time_t expires, long lifetime)
{
	long margin = lifetime > 0 && lifetime / 3 < RENEW_MARGIN_MAX ?
	    lifetime / 3 : RENEW_MARGIN_MAX;

	return expires - margin;
}
