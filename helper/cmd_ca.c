/* iamdb ca: the path of the verified RDS CA bundle. */
#include <stdio.h>
#include <stdlib.h>

#include "../providers/ca.h"
#include "helper.h"

static int
check_region(const char *v, struct err *e)
{
	if (dbtoken_region_valid(v))
		return 0;
	return err_set(e, ERR_USAGE, "--region '%s': expected lower-case "
	    "letters, digits and '-', like us-east-1", v);
}

static int
run(struct args *a)
{
	struct buf warnings = BUF_INIT;
	struct err e = { 0 };
	char *path = NULL;
	int rc = EXIT_OK;

	if (ca_bundle(a->region, a->refresh, &path, &warnings, &e) == -1 ||
	    ca_check_file(path, &warnings, &e) == -1)
		rc = fail(&e);
	warnings_print(&warnings);
	if (rc == EXIT_OK && (printf("%s\n", path) < 0 ||
	    fflush(stdout) == EOF)) {
		warnf("writing the path: write error");
		rc = EXIT_IO;
	}
	free(path);
	buf_free(&warnings);
	return rc;
}

static const struct opt own[] = {
	{ .name = "region", .kind = OPT_TEXT, .check = check_region,
	  .flags = OPT_GLOBAL, .field = offsetof(struct args, region),
	  .value = "REGION",
	  .help = "The region's own bundle instead of the global one.",
	  .example = "--region eu-west-1" },
	{ .name = "refresh", .kind = OPT_FLAG,
	  .field = offsetof(struct args, refresh),
	  .help = "Ask the server for a newer bundle now rather than at the "
	      "daily check." },
	{ .name = NULL }
};

static const struct optgroup groups[] = {
	{ "Bundle", own, NULL },
	{ "Diagnostics", opts_verbose, NULL },
	{ NULL, NULL, NULL }
};

const struct command cmd_ca = {
	.name = "ca",
	.summary = "print the path of the verified RDS CA bundle",
	.synopsis = "[--region REGION] [--refresh]",
	.description = "Prints the path of the RDS CA bundle, downloaded "
	    "over HTTPS on first use, checked to hold only X.509 "
	    "certificates, and refreshed daily; IAMDB_CA_URL replaces AWS's "
	    "URL.",
	.groups = groups,
	.run = run,
};
