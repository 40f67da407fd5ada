#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../providers/ca.h"
#include "helper.h"

static const char usage_text[] =
"usage: iamdb ca [--region REGION] [--refresh] [-v]\n"
"\n"
"Prints the path of a verified RDS CA bundle, downloading it on first use\n"
"and refreshing it daily; IAMDB_CA_URL replaces AWS's URL. See iamdb(1).\n";

/* Whether the line at line (n bytes and its newline) came earlier in text. */
static int
seen(const char *text, const char *line, size_t n)
{
	const char *p;

	for (p = text; p < line; p = strchr(p, '\n') + 1)
		if (strncmp(p, line, n + 1) == 0)
			return 1;
	return 0;
}

/* Each warning line once, as iamdb's: a bundle just downloaded has been
 * checked already, and the check of the cached file finds the same. */
static void
print_warnings(const struct buf *w)
{
	const char *all = buf_str(w), *p, *nl;

	for (p = all; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		if (!seen(all, p, (size_t)(nl - p)))
			fprintf(stderr, "iamdb: warning: %.*s\n",
			    (int)(nl - p), p);
}

int
cmd_ca(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "region",	required_argument, NULL, 'R' },
		{ "refresh",	no_argument,	NULL, 'f' },
		{ "verbose",	no_argument,	NULL, 'v' },
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct buf warnings = BUF_INIT;
	struct err e = { 0 };
	const char *region = NULL;
	char *path = NULL;
	int ch, force = 0, rc = EXIT_OK;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'R':
			region = optarg;
			break;
		case 'f':
			force = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		default:
			return usage_error("ca", "unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("ca", "unexpected argument '%s'",
		    argv[optind]);
	if (ca_bundle(region, force, &path, &warnings, &e) == -1 ||
	    ca_check_file(path, &warnings, &e) == -1)
		rc = fail(&e);
	print_warnings(&warnings);
	if (rc == EXIT_OK && (printf("%s\n", path) < 0 ||
	    fflush(stdout) == EOF)) {
		warnx("writing the path: write error");
		rc = EXIT_IO;
	}
	free(path);
	buf_free(&warnings);
	return rc;
}
