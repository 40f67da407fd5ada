/* Every message iamdb prints goes through here: "iamdb: " on standard
 * error, and the exit code that goes with an error's kind. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "helper.h"

int verbose;
int stdout_closed;

void
warnf(const char *fmt, ...)
{
	va_list ap;

	fputs("iamdb: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Whether the line at line (n bytes and its newline) came earlier in
 * text. */
static int
seen(const char *text, const char *line, size_t n)
{
	const char *p;

	for (p = text; p < line; p = strchr(p, '\n') + 1)
		if (strncmp(p, line, n + 1) == 0)
			return 1;
	return 0;
}

void
warnings_print(struct buf *w)
{
	const char *all = buf_str(w), *p, *nl;

	for (p = all; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		if (!seen(all, p, (size_t)(nl - p)))
			warnf("warning: %.*s", (int)(nl - p), p);
	if (*p != '\0')
		warnf("warning: %s", p);
	buf_reset(w);
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

	warnf("%s", e->msg);
	return codes[e->kind];
}

int
usage_fail(const char *cmd, const struct err *e)
{
	if (e->kind != ERR_USAGE)
		return fail(e);
	fprintf(stderr, "iamdb%s%s: %s\n", cmd ? " " : "", cmd ? cmd : "",
	    e->msg);
	fprintf(stderr, "Try 'iamdb %s%s--help'.\n", cmd ? cmd : "",
	    cmd ? " " : "");
	return EXIT_USAGE;
}

int
usage_error(const char *cmd, const char *fmt, ...)
{
	struct err e;
	va_list ap;

	e.kind = ERR_USAGE;
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	return usage_fail(cmd, &e);
}
