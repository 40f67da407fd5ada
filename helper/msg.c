/* Every message iamdb prints goes through here: "iamdb: " on standard
 * error, and the exit code that goes with an error's kind. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/vis.h"
#include "helper.h"

int verbose;
int stdout_closed;

void
warnf(const char *fmt, ...)
{
	struct buf line = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&line, fmt, ap);
	va_end(ap);
	print_line("iamdb: ", buf_str(&line));
	buf_free(&line);
}

void
print_line(const char *prefix, const char *msg)
{
	struct buf b = BUF_INIT;

	/* Messages carry what peers, files and tokens said: escaped, so
	 * that no forged line and no terminal escape gets through. */
	buf_adds(&b, prefix);
	vis_add(&b, msg, strlen(msg));
	buf_addc(&b, '\n');
	fputs(buf_str(&b), stderr);
	buf_free(&b);
}

void
print_lines(const char *prefix, const char *text)
{
	const char *p, *nl;

	for (p = text; *p != '\0'; p = *nl ? nl + 1 : nl) {
		char *line;

		nl = p + strcspn(p, "\n");
		line = xstrndup(p, (size_t)(nl - p));
		print_line(prefix, line);
		free(line);
	}
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

	if (e->lines) {
		/* The first line says what failed, the others (indented)
		 * why. */
		size_t n = strcspn(e->msg, "\n");
		char *first = xstrndup(e->msg, n);

		print_line("iamdb: ", first);
		free(first);
		if (e->msg[n] == '\n')
			print_lines("", e->msg + n + 1);
	} else
		warnf("%s", e->msg);
	return codes[e->kind];
}

int
usage_fail(const char *cmd, const struct err *e)
{
	if (e->kind != ERR_USAGE)
		return fail(e);
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "iamdb%s%s: ", cmd ? " " : "",
	    cmd ? cmd : "");
	print_line(prefix, e->msg);
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
