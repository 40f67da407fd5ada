#include <stdarg.h>
#include <stdio.h>

#include "helper.h"

int verbose;
int stdout_closed;

void
warnx(const char *fmt, ...)
{
	va_list ap;

	fputs("iamdb: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
fail(const struct err *e)
{
	static const int codes[] = {
		[ERR_NONE] = EXIT_FAIL,
		[ERR_USAGE] = EXIT_USAGE,
		[ERR_CONFIG] = EXIT_CONFIG,
		[ERR_CREDENTIALS] = EXIT_CREDENTIALS,
		[ERR_NETWORK] = EXIT_NETWORK,
		[ERR_IO] = EXIT_IO,
		[ERR_INTERNAL] = EXIT_FAIL,
	};

	warnx("%s", e->msg);
	return codes[e->kind];
}

int
usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "iamdb%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'iamdb %s%s--help'.\n", cmd ? cmd : "",
	    cmd ? " " : "");
	return EXIT_USAGE;
}
