/* Region resolution: --region, then the endpoint host name, then the
 * environment, then the profile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "providers/providers.h"
#include "sigv4/service.h"
#include "tests/tap.h"

/* One partition table (sigv4/service.c) gives names, DNS suffixes and
 * IAM's global endpoint. */
static void
test_partitions(void)
{
	static const struct {
		const char *region, *name, *iam, *signing;
	} cases[] = {
		{ "eu-west-1", "aws", "iam.amazonaws.com", "us-east-1" },
		{ "cn-northwest-1", "aws-cn", "iam.cn-north-1.amazonaws.com.cn",
		    "cn-north-1" },
		{ "us-gov-east-1", "aws-us-gov", "iam.us-gov.amazonaws.com",
		    "us-gov-west-1" },
		{ "us-iso-west-1", "aws-iso", "iam.us-iso-east-1.c2s.ic.gov",
		    "us-iso-east-1" },
		{ "us-isob-east-1", "aws-iso-b",
		    "iam.us-isob-east-1.sc2s.sgov.gov", "us-isob-east-1" },
		{ "us-isof-east-1", "aws-iso-f",
		    "iam.us-isof-south-1.csp.hci.ic.gov", "us-isof-south-1" },
		{ "eu-isoe-west-1", "aws-iso-e", NULL, NULL },
	};
	const char *d, *signing;
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *iam = partition_iam_host(cases[i].region, &signing);

		ok(strcmp(partition_name(cases[i].region), cases[i].name) == 0 &&
		    (cases[i].iam == NULL ? iam == NULL : iam != NULL &&
		    strcmp(iam, cases[i].iam) == 0 &&
		    strcmp(signing, cases[i].signing) == 0),
		    "%s: partition %s, IAM at %s", cases[i].region,
		    cases[i].name, cases[i].iam ? cases[i].iam : "(none known)");
	}
	for (i = 0; (d = partition_domain_nth(i)) != NULL; i++) {
		char host[128], *r;

		snprintf(host, sizeof(host), "db.abc.xx-test-1.rds.%s", d);
		r = region_from_host(host);
		n += r != NULL && strcmp(r, "xx-test-1") == 0;
		free(r);
	}
	ok(i >= 8 && n == (int)i, "every partition's DNS suffix names the "
	    "region of an RDS endpoint (%zu suffixes)", i);
}

static void
test_region_from_endpoint_names(void)
{
	static const struct {
		const char *host, *want;
	} cases[] = {
		{ "mydb.c9akciq32.us-east-1.rds.amazonaws.com", "us-east-1" },
		{ "MyDB.C9AKCIQ32.EU-West-2.RDS.AmazonAWS.com", "eu-west-2" },
		{ "mydb.c9akciq32.us-east-1.rds.amazonaws.com.", "us-east-1" },
		{ "c.cluster-ro-abc.ap-southeast-2.rds.amazonaws.com",
		    "ap-southeast-2" },
		{ "p.proxy-abc.ca-central-1.rds.amazonaws.com", "ca-central-1" },
		{ "mydb.abc.cn-north-1.rds.amazonaws.com.cn", "cn-north-1" },
		{ "mydb.abc.us-gov-west-1.rds.amazonaws.com", "us-gov-west-1" },
		{ "mydb.abc.us-iso-east-1.rds.c2s.ic.gov", "us-iso-east-1" },
		{ "mydb.abc.us-isob-east-1.rds.sc2s.sgov.gov",
		    "us-isob-east-1" },
		{ "abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws",
		    "us-east-1" },
		{ "x.dsql.eu-central-1.on.aws", "eu-central-1" },
		{ "clustercfg.my-cluster.abc123.memorydb.us-east-1.amazonaws.com",
		    "us-east-1" },
		{ "clustercfg.c.abc.memorydb.cn-north-1.amazonaws.com.cn",
		    "cn-north-1" },
		{ "examplecluster.abc123xyz789.us-west-2.redshift.amazonaws.com",
		    "us-west-2" },
		{ "default-wg.123456789012.eu-west-1.redshift-serverless."
		    "amazonaws.com", "eu-west-1" },
		{ "c.abc.cn-north-1.redshift.amazonaws.com.cn", "cn-north-1" },
	};
	static const char *const none[] = {
		"localhost", "127.0.0.1", "db.internal", "rds.amazonaws.com",
		"us-east-1.rds.amazonaws.com.evil.example",
		"mydb.abc.notaregion.rds.amazonaws.com",
		"x.dsql.on.aws", "x.us-east-1.on.aws", "[::1]", "",
		"x.US_EAST_1.rds.amazonaws.com",
		"x.abc.us-east-1.amazonaws.com", "memorydb.us-east-1.amazonaws.com",
		"master.g.abc.use1.cache.amazonaws.com",
		"redshift.amazonaws.com", "x.us-east-1.xredshift.amazonaws.com",
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *r = region_from_host(cases[i].host);

		is(r, cases[i].want, "region of %s", cases[i].host);
		free(r);
	}
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		char *r = region_from_host(none[i]);

		ok(r == NULL, "no region in '%s'", none[i]);
		free(r);
	}
}

static const char *
resolve(const char *cli, const char *host, struct region *r, struct err *e)
{
	struct awsconfig cfg;
	struct provider_ctx ctx;
	int rc;

	awsconfig_init(&cfg, NULL);
	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = &cfg;
	memset(e, 0, sizeof(*e));
	rc = region_resolve(r, cli, host, &ctx, 1, e);
	awsconfig_free(&cfg);
	buf_free(&ctx.explain);
	return rc == 0 ? r->name : NULL;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

static void
test_precedence(void)
{
	struct region r;
	struct err e;

	write_file("config", "[default]\nregion = ap-northeast-1\n"
	    "[profile other]\nregion = sa-east-1\n");
	setenv("AWS_CONFIG_FILE", "config", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent", 1);
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	unsetenv("AWS_PROFILE");

	is(resolve(NULL, "db.internal", &r, &e), "ap-northeast-1",
	    "the profile's region is the last resort");
	ok(r.source != NULL && strcmp(r.source, "config") == 0,
	    "source names the config file");
	region_free(&r);
	setenv("AWS_PROFILE", "other", 1);
	is(resolve(NULL, "db.internal", &r, &e), "sa-east-1",
	    "AWS_PROFILE selects the profile");
	region_free(&r);
	setenv("AWS_DEFAULT_REGION", "eu-north-1", 1);
	is(resolve(NULL, "db.internal", &r, &e), "eu-north-1",
	    "AWS_DEFAULT_REGION beats the profile");
	region_free(&r);
	setenv("AWS_REGION", "eu-south-1", 1);
	is(resolve(NULL, "db.internal", &r, &e), "eu-south-1",
	    "AWS_REGION beats AWS_DEFAULT_REGION");
	region_free(&r);
	is(resolve(NULL, "a.b.us-west-1.rds.amazonaws.com", &r, &e),
	    "us-west-1", "the host name beats the environment");
	ok(r.warning == NULL, "no warning without --region");
	region_free(&r);
	is(resolve("us-west-2", "a.b.us-west-2.rds.amazonaws.com", &r, &e),
	    "us-west-2", "--region agreeing with the host");
	ok(r.warning == NULL, "agreement gives no warning");
	region_free(&r);
	is(resolve("us-east-2", "a.b.us-west-1.rds.amazonaws.com", &r, &e),
	    "us-east-2", "--region wins over the host name");
	ok(r.warning != NULL && strstr(r.warning, "us-west-1") != NULL,
	    "a disagreeing --region is warned about");
	region_free(&r);

	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	setenv("AWS_PROFILE", "missing", 1);
	ok(resolve(NULL, "db.internal", &r, &e) == NULL &&
	    e.kind == ERR_CONFIG && strstr(e.msg, "no region") != NULL,
	    "no region anywhere is a configuration error");
	write_file("config", "[default]\nregion\n");
	unsetenv("AWS_PROFILE");
	ok(resolve(NULL, "db.internal", &r, &e) == NULL &&
	    strcmp(e.msg, "config:2: expected 'key = value'") == 0,
	    "a malformed config file is reported with its line");
}

int
main(void)
{
	test_region_from_endpoint_names();
	test_precedence();
	test_partitions();
	return tap_done();
}
