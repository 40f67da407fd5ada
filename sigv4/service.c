#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "service.h"

#define ALL_DB	(OUT_TOKEN | OUT_JSON | OUT_ENV | OUT_URI | OUT_EXEC)

const struct service services[] = {
	{
		.name = "postgres",
		.aliases = "postgresql aurora-postgresql",
		.title = "RDS",
		.family = FAMILY_POSTGRES,
		.signing_name = "rds-db",
		.host_form = HOST_AND_PORT,
		.action = "connect",
		.user_param = "DBUser",
		.default_port = 5432,
		.default_expires = 900,
		.max_expires = 900,
		.outputs = ALL_DB | OUT_PGPASS,
	},
	{
		.name = "mysql",
		.aliases = "aurora-mysql",
		.title = "RDS",
		.family = FAMILY_MYSQL,
		.signing_name = "rds-db",
		.host_form = HOST_AND_PORT,
		.action = "connect",
		.user_param = "DBUser",
		.default_port = 3306,
		.default_expires = 900,
		.max_expires = 900,
		.outputs = ALL_DB | OUT_MYCNF,
	},
	{
		.name = "mariadb",
		.aliases = "",
		.title = "RDS",
		.family = FAMILY_MYSQL,
		.signing_name = "rds-db",
		.host_form = HOST_AND_PORT,
		.action = "connect",
		.user_param = "DBUser",
		.default_port = 3306,
		.default_expires = 900,
		.max_expires = 900,
		.outputs = ALL_DB | OUT_MYCNF,
	},
	{
		/* The user is not in the token: DSQL takes it from the
		 * login, and the action says whether it may be admin. */
		.name = "dsql",
		.aliases = "",
		.title = "Aurora DSQL",
		.family = FAMILY_POSTGRES,
		.signing_name = "dsql",
		.host_form = HOST_ONLY,
		.action = "DbConnect",
		.admin_action = "DbConnectAdmin",
		.user_param = NULL,
		.default_port = 5432,
		.default_expires = 900,
		.max_expires = 604800,
		.outputs = ALL_DB | OUT_PGPASS,
		.public_ca = 1,
	},
	/* Issue 11: stores beyond RDS, presigned as their SDKs do. */
	{
		/* aws-samples/elasticache-iam-auth-demo-app's
		 * IAMAuthTokenRequest; the host is the cache's name. */
		.name = "elasticache",
		.aliases = "",
		.title = "ElastiCache",
		.family = FAMILY_REDIS,
		.signing_name = "elasticache",
		.host_form = HOST_NAME,
		.action = "connect",
		.user_param = "User",
		.default_port = 6379,
		.default_expires = 900,
		.max_expires = 900,
		.outputs = ALL_DB,
		.public_ca = 1,
		.serverless = "ServerlessCache",
		.needs = NEEDS_HOST | NEEDS_USER,
	},
	{
		/* Signing name memorydb, though its endpoint prefix is
		 * memory-db (botocore's model). */
		.name = "memorydb",
		.aliases = "",
		.title = "MemoryDB",
		.family = FAMILY_REDIS,
		.signing_name = "memorydb",
		.host_form = HOST_NAME,
		.action = "connect",
		.user_param = "User",
		.default_port = 6379,
		.default_expires = 900,
		.max_expires = 900,
		.outputs = ALL_DB,
		.public_ca = 1,
		.needs = NEEDS_HOST | NEEDS_USER,
	},
	{
		/* aws eks get-token: a presigned GetCallerIdentity that
		 * names the cluster in a signed header. The authenticator
		 * takes X-Amz-Expires up to 900 but holds every token to
		 * 15 minutes from its date. */
		.name = "eks",
		.aliases = "",
		.title = "EKS",
		.family = FAMILY_KUBERNETES,
		.signing_name = "sts",
		.host_form = HOST_ENDPOINT,
		.action = "GetCallerIdentity",
		.default_port = 443,
		.default_expires = 60,
		.max_expires = 900,
		.outputs = OUT_TOKEN | OUT_JSON,
		.token_form = TOKEN_K8S,
		.endpoint = "sts.{region}.{domain}",
		.name_header = "x-k8s-aws-id",
		.version = "2011-06-15",
		.needs = NEEDS_HOST,
	},
	{
		/* aws-msk-iam-sasl-signer: kafka.REGION.amazonaws.com in
		 * every partition, as both signers hard-code it. */
		.name = "msk",
		.aliases = "",
		.title = "MSK",
		.family = FAMILY_KAFKA,
		.signing_name = "kafka-cluster",
		.host_form = HOST_ENDPOINT,
		.action = "kafka-cluster:Connect",
		.default_port = 9098,
		.default_expires = 900,
		.max_expires = 900,
		.outputs = OUT_TOKEN | OUT_JSON,
		.token_form = TOKEN_BASE64_UA,
		.endpoint = "kafka.{region}.amazonaws.com",
		.needs = 0,
	},
	/* Redshift: no token is signed, the API gives a login. */
	{
		.name = "redshift",
		.aliases = "",
		.title = "Redshift",
		.family = FAMILY_POSTGRES,
		.signing_name = "redshift",
		.host_form = HOST_ONLY,
		.action = "GetClusterCredentials",
		.default_port = 5439,
		.default_expires = 900,
		.min_expires = 900,
		.max_expires = 3600,
		.outputs = ALL_DB | OUT_PGPASS,
		.public_ca = 1,
		.login_api = 1,
	},
	{
		.name = "redshift-serverless",
		.aliases = "",
		.title = "Redshift Serverless",
		.family = FAMILY_POSTGRES,
		.signing_name = "redshift-serverless",
		.host_form = HOST_ONLY,
		.action = "GetCredentials",
		.default_port = 5439,
		.default_expires = 900,
		.min_expires = 900,
		.max_expires = 3600,
		.outputs = ALL_DB | OUT_PGPASS,
		.public_ca = 1,
		.login_api = 1,
	},
};
const size_t nservices = sizeof(services) / sizeof(services[0]);

/* Whether word is one of the space-separated words of list. */
static int
listed(const char *list, const char *word)
{
	size_t n = strlen(word);

	while (*list != '\0') {
		size_t len = strcspn(list, " ");

		if (len == n && strncasecmp(list, word, n) == 0)
			return 1;
		list += len;
		list += strspn(list, " ");
	}
	return 0;
}

const struct service *
service_find(const char *name)
{
	size_t i;

	for (i = 0; i < nservices; i++)
		if (strcasecmp(services[i].name, name) == 0 ||
		    listed(services[i].aliases, name))
			return &services[i];
	return NULL;
}

const struct service *
service_for_token(const char *signing_name, const char *action)
{
	size_t i;

	for (i = 0; i < nservices; i++)
		if (!services[i].login_api &&
		    strcmp(services[i].signing_name, signing_name) == 0 &&
		    (strcmp(services[i].action, action) == 0 ||
		    (services[i].admin_action != NULL &&
		    strcmp(services[i].admin_action, action) == 0)))
			return &services[i];
	return NULL;
}

const char *
service_action(const struct service *s, const char *user)
{
	if (s->admin_action != NULL && user != NULL &&
	    strcmp(user, "admin") == 0)
		return s->admin_action;
	return s->action;
}

void
service_names(struct buf *b)
{
	size_t i;

	for (i = 0; i < nservices; i++) {
		if (i > 0)
			buf_adds(b, i + 1 == nservices ? " or " : ", ");
		buf_adds(b, services[i].name);
		if (*services[i].aliases != '\0') {
			const char *a = services[i].aliases;

			buf_adds(b, " (");
			while (*a != '\0') {
				size_t n = strcspn(a, " ");

				buf_add(b, a, n);
				a += n;
				a += strspn(a, " ");
				if (*a != '\0')
					buf_adds(b, ", ");
			}
			buf_addc(b, ')');
		}
	}
}

long
service_max_expires(void)
{
	long max = 0;
	size_t i;

	for (i = 0; i < nservices; i++)
		if (services[i].max_expires > max)
			max = services[i].max_expires;
	return max;
}

int
service_needs(const struct service *s, unsigned need)
{
	if (s->login_api)	/* Redshift: the user may be the caller's */
		return (need & NEEDS_HOST) != 0;
	if (s->token_form == TOKEN_URL && s->host_form != HOST_NAME)
		return 1;	/* RDS and DSQL: host and user */
	return (s->needs & need) != 0;
}

/* The one table of AWS partitions, found by the prefix of their regions'
 * names (aws, last, takes every other region): ARNs name the partition,
 * host names end in its DNS suffix, and IAM, a global service, has one
 * endpoint in each (botocore's endpoints.json), signed for one region. */
static const struct partition {
	const char	*prefix, *name, *domain;
	const char	*iam_host, *iam_region;
} partitions[] = {
	{ "cn-", "aws-cn", "amazonaws.com.cn",
	  "iam.cn-north-1.amazonaws.com.cn", "cn-north-1" },
	{ "us-gov-", "aws-us-gov", "amazonaws.com",
	  "iam.us-gov.amazonaws.com", "us-gov-west-1" },
	{ "us-isob-", "aws-iso-b", "sc2s.sgov.gov",
	  "iam.us-isob-east-1.sc2s.sgov.gov", "us-isob-east-1" },
	{ "us-isof-", "aws-iso-f", "csp.hci.ic.gov",
	  "iam.us-isof-south-1.csp.hci.ic.gov", "us-isof-south-1" },
	{ "us-iso-", "aws-iso", "c2s.ic.gov",
	  "iam.us-iso-east-1.c2s.ic.gov", "us-iso-east-1" },
	{ "eu-isoe-", "aws-iso-e", "cloud.adc-e.uk", NULL, NULL },
	{ "eusc-", "aws-eusc", "amazonaws.eu", NULL, NULL },
	{ "", "aws", "amazonaws.com", "iam.amazonaws.com", "us-east-1" },
};

static const struct partition *
partition_of(const char *region)
{
	size_t i;

	for (i = 0; i < sizeof(partitions) / sizeof(partitions[0]) - 1; i++)
		if (strncmp(region, partitions[i].prefix,
		    strlen(partitions[i].prefix)) == 0)
			return &partitions[i];
	return &partitions[i];
}

const char *
partition_domain_nth(size_t n)
{
	return n < sizeof(partitions) / sizeof(partitions[0]) ?
	    partitions[n].domain : NULL;
}

const char *
partition_iam_host(const char *region, const char **signing)
{
	const struct partition *p = partition_of(region);

	*signing = p->iam_region;
	return p->iam_host;
}

const char *
partition_domain(const char *region)
{
	return partition_of(region)->domain;
}

const char *
partition_name(const char *region)
{
	return partition_of(region)->name;
}

/* Whether host ends in suffix, case aside. */
static int
ends_with(const char *host, const char *suffix)
{
	size_t n = strlen(host), m = strlen(suffix);

	return n > m && strcasecmp(host + n - m, suffix) == 0;
}

/* The nth dot-separated label of host (from 0), as a heap string; NULL
 * when there are fewer. */
static char *
label(const char *host, int nth)
{
	const char *p = host;

	while (nth-- > 0) {
		if ((p = strchr(p, '.')) == NULL)
			return NULL;
		p++;
	}
	return xstrndup(p, strcspn(p, "."));
}

static int
label_is(const char *host, int nth, const char *want)
{
	char *l = label(host, nth);
	int is = l != NULL && strcasecmp(l, want) == 0;

	free(l);
	return is;
}

/*
 * ElastiCache endpoints (REGION is a short code such as use1):
 *   master.NAME.ID.REGION.cache.amazonaws.com     primary (TLS)
 *   replica.NAME.ID.REGION.cache.amazonaws.com    reader (TLS)
 *   clustercfg.NAME.ID.REGION.cache.amazonaws.com configuration
 *   NAME.ID.ng.0001.REGION.cache.amazonaws.com    primary (no TLS)
 *   NAME-ID.serverless.REGION.cache.amazonaws.com serverless
 * and MemoryDB's clustercfg.NAME.ID.memorydb.REGION.amazonaws.com. A
 * node's endpoint (NAME-0001-001.ID.0001...) names the node, whose name
 * only begins with the group's: that one cannot be told.
 */
char *
service_name_from(const struct service *s, const char *host, int *serverless,
    struct err *e)
{
	int memorydb = strcmp(s->name, "memorydb") == 0;
	char *name = NULL, *first;
	size_t n;

	*serverless = 0;
	if (strchr(host, '.') == NULL)
		return xstrdup(host);
	if (memorydb ? !ends_with(host, ".amazonaws.com") ||
	    !label_is(host, 3, "memorydb") :
	    !ends_with(host, ".cache.amazonaws.com") &&
	    !ends_with(host, ".cache.amazonaws.com.cn")) {
		err_set(e, ERR_USAGE, "--host %s is not %s endpoint: give the "
		    "%s's name", host, memorydb ? "a MemoryDB cluster's" :
		    "an ElastiCache", memorydb ? "cluster" :
		    "replication group's or serverless cache");
		return NULL;
	}
	first = label(host, 0);
	if (!memorydb && label_is(host, 1, "serverless") &&
	    (n = strlen(first)) > 0 && strrchr(first, '-') != NULL) {
		name = xstrndup(first, (size_t)(strrchr(first, '-') - first));
		*serverless = 1;
	} else if (strcasecmp(first, "clustercfg") == 0 || (!memorydb &&
	    (strcasecmp(first, "master") == 0 ||
	    strcasecmp(first, "replica") == 0)))
		name = label(host, 1);
	else if (!memorydb && label_is(host, 2, "ng") &&
	    ((n = strlen(first)) <= 3 || strcasecmp(first + n - 3, "-ro") != 0))
		name = xstrdup(first);
	free(first);
	if (name == NULL || *name == '\0') {
		free(name);
		err_set(e, ERR_USAGE, "cannot tell the %s from the endpoint %s "
		    "(a node's endpoint names the node): give --cluster NAME",
		    memorydb ? "cluster" : "replication group or serverless "
		    "cache", host);
		return NULL;
	}
	return name;
}
