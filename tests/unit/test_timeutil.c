/* ISO 8601 times: the range that four-digit years can hold, both ways,
 * and a formatter that always leaves a terminated string. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/timeutil.h"
#include "tests/tap.h"

#define LAST	253402300799LL	/* 9999-12-31T23:59:59Z */

static void
test_format_round_trips_the_ends_of_the_range(void)
{
	char out[21];
	time_t t;

	ok(time_format_iso8601((time_t)LAST, out) == 0 &&
	    strcmp(out, "9999-12-31T23:59:59Z") == 0,
	    "the last second of year 9999 is formatted");
	ok(time_format_iso8601(0, out) == 0 &&
	    strcmp(out, "1970-01-01T00:00:00Z") == 0,
	    "the epoch is formatted");
	ok(time_format_iso8601((time_t)-62167219200LL, out) == 0 &&
	    strcmp(out, "0000-01-01T00:00:00Z") == 0,
	    "year 0 gets four digits, as ISO 8601 has it");
	ok(time_format_iso8601((time_t)-30610224000LL, out) == 0 &&
	    strcmp(out, "1000-01-01T00:00:00Z") == 0 &&
	    time_format_iso8601((time_t)-30610224001LL, out) == 0 &&
	    strcmp(out, "0999-12-31T23:59:59Z") == 0,
	    "years below 1000 are zero-padded");
	ok(time_parse_iso8601("9999-12-31T23:59:59Z", &t) == 0 &&
	    (long long)t == LAST, "9999-12-31T23:59:59Z parses");
}

static void
test_format_refuses_years_it_cannot_write(void)
{
	char out[21];

	memset(out, 'x', sizeof(out));
	ok(time_format_iso8601((time_t)LAST + 1, out) == -1 &&
	    memchr(out, '\0', sizeof(out)) != NULL && out[0] == '\0',
	    "year 10000 is refused and leaves an empty, terminated string");
	memset(out, 'x', sizeof(out));
	ok(time_format_iso8601((time_t)-62167219201LL, out) == -1 &&
	    out[0] == '\0', "a year before 0 is refused the same way");
	memset(out, 'x', sizeof(out));
	ok(time_format_iso8601((time_t)0x7fffffffffffffffLL, out) == -1 &&
	    out[0] == '\0', "a time gmtime cannot convert is refused");
}

static void
test_parse_refuses_times_past_9999(void)
{
	time_t t = 42;

	ok(time_parse_iso8601("9999-12-31T23:59:59-23:59", &t) == -1 &&
	    t == 42, "an offset that carries 9999-12-31 into year 10000 is "
	    "refused");
	ok(time_parse_iso8601("9999-12-31T23:59:59-00:01", &t) == -1,
	    "so is one minute past the end of 9999");
	ok(time_parse_iso8601("9999-12-31T23:59:59+01:00", &t) == 0 &&
	    (long long)t == LAST - 3600, "an offset that stays in 9999 is fine");
	ok(time_parse_iso8601("0000-01-01T00:00:00+00:01", &t) == -1,
	    "and one that falls before year 0 is refused");
	ok(time_parse_iso8601("2026-11-29T07:03:56.123Z", &t) == 0 &&
	    (long long)t == 1795935836LL, "an ordinary time still parses");
}

/* timegm answers -1 for this second too; found by tests/fuzz. */
static void
test_the_second_before_the_epoch_reads_back(void)
{
	time_t t = 42;

	ok(time_parse_iso8601("1969-12-31T23:59:59Z", &t) == 0 && t == -1,
	    "1969-12-31T23:59:59Z, which timegm gives as -1, parses");
	t = 42;
	ok(time_parse_iso8601_basic("19691231T235959Z", &t) == 0 && t == -1,
	    "and so does 19691231T235959Z");
	t = 42;
	ok(time_parse_iso8601("1970-01-01T00:59:59+01:00", &t) == 0 &&
	    t == -1, "and the same second with an offset");
}

/* One renewal rule for credentials, logins and written tokens. */
static void
test_renewal_is_a_third_of_the_lifetime_at_most_five_minutes(void)
{
	ok(renew_at(10000, 0) == 10000 - 300, "lifetime unknown: 5 minutes "
	    "before");
	ok(renew_at(10000, 900) == 10000 - 300, "a 15-minute token: 5 "
	    "minutes before");
	ok(renew_at(10000, 43200) == 10000 - 300, "12-hour credentials: 5 "
	    "minutes before");
	ok(renew_at(10000, 60) == 10000 - 20, "a one-minute token: 20 s "
	    "before, not at once");
}

int
main(void)
{
	test_format_round_trips_the_ends_of_the_range();
	test_format_refuses_years_it_cannot_write();
	test_the_second_before_the_epoch_reads_back();
	test_parse_refuses_times_past_9999();
	test_renewal_is_a_third_of_the_lifetime_at_most_five_minutes();
	return tap_done();
}
