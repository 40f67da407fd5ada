/* Minimal TAP producer for unit tests: each check prints "ok N - what" or
 * "not ok N - what"; tap_done() prints the plan and returns the exit status. */
#ifndef IAMDB_TAP_H
#define IAMDB_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static int
tap_ok(int cond, const char *what)
{
	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_n, what);
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) do {						\
	char tap_what_[512];						\
	snprintf(tap_what_, sizeof(tap_what_), __VA_ARGS__);		\
	tap_ok((cond) != 0, tap_what_);					\
} while (0)

/* Compares strings and shows both on failure. */
#define is(got, want, ...) do {						\
	const char *tap_g_ = (got), *tap_w_ = (want);			\
	char tap_what_[512];						\
	snprintf(tap_what_, sizeof(tap_what_), __VA_ARGS__);		\
	if (!tap_ok(tap_g_ && tap_w_ && strcmp(tap_g_, tap_w_) == 0,	\
	    tap_what_))							\
		printf("#   got:  %s\n#   want: %s\n",			\
		    tap_g_ ? tap_g_ : "(null)", tap_w_ ? tap_w_ : "(null)");\
} while (0)

static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

#endif
