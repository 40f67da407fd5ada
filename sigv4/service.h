/*
 * The kinds of IAM-authenticated store iamdb signs for, as data: what
 * differs between them (the SigV4 service, the token's host and query
 * parameters, the default port, the longest lifetime, the client family
 * and so which outputs make sense) is an entry in one table, so that a new
 * kind is an entry and its tests.
 */
#ifndef IAMDB_SERVICE_H
#define IAMDB_SERVICE_H

#include <stddef.h>

#include "../common/buf.h"
#include "../common/err.h"

/* The client side of a store: which programs connect to it and so which
 * outputs can serve them. */
enum family {
	FAMILY_POSTGRES,	/* libpq: PG* variables, .pgpass */
	FAMILY_MYSQL,		/* MySQL and MariaDB clients: option files */
	FAMILY_REDIS,		/* redis-cli, valkey-cli: REDISCLI_AUTH */
	FAMILY_KUBERNETES,	/* kubectl: an exec credential plugin */
	FAMILY_KAFKA,		/* Kafka clients: SASL OAUTHBEARER */
};

/* How the token names the endpoint. */
enum host_form {
	HOST_AND_PORT,		/* host:port; the signed Host drops :443 */
	HOST_ONLY,		/* the host alone; the port is not signed */
	HOST_NAME,		/* a name (ElastiCache's replication group),
				   not a DNS name; see service_name_from */
	HOST_ENDPOINT,		/* service.endpoint; the target is a name
				   sent in service.name_header (EKS), or
				   none (MSK) */
};

/* How the presigned URL becomes the token. */
enum token_form {
	TOKEN_URL,		/* the URL without its scheme (RDS, ...) */
	TOKEN_K8S,		/* "k8s-aws-v1." + base64url of the URL */
	TOKEN_BASE64_UA,	/* base64url of the URL with an unsigned
				   User-Agent parameter appended (MSK) */
};

/* What the token needs from the command line, for service.needs. */
enum {
	NEEDS_HOST	= 1 << 0,
	NEEDS_USER	= 1 << 1,
};

/* What a command makes of a connection, for service.outputs. */
enum {
	OUT_TOKEN	= 1 << 0,
	OUT_JSON	= 1 << 1,
	OUT_ENV		= 1 << 2,
	OUT_URI		= 1 << 3,
	OUT_EXEC	= 1 << 4,
	OUT_PGPASS	= 1 << 5,
	OUT_MYCNF	= 1 << 6,
};

struct service {
	const char	*name;		/* --engine NAME, and the URL scheme */
	const char	*aliases;	/* other names, space-separated */
	const char	*title;		/* for messages */
	enum family	 family;
	const char	*signing_name;	/* the SigV4 service: rds-db */
	enum host_form	 host_form;
	const char	*action;	/* Action= */
	const char	*admin_action;	/* Action= for the user "admin" */
	const char	*user_param;	/* the user's parameter; NULL: none */
	unsigned	 default_port;
	long		 default_expires;
	long		 max_expires;	/* the longest X-Amz-Expires taken */
	unsigned	 outputs;	/* OUT_* */
	int		 public_ca;	/* certificates from a public CA, not
					   the RDS CA */
	/* The stores beyond RDS (issue 11): all zero for RDS and DSQL. */
	enum token_form	 token_form;
	const char	*endpoint;	/* HOST_ENDPOINT: the signed host, with
					   {region} and {domain} (the
					   partition's DNS suffix) */
	const char	*name_header;	/* signed, with the target's name */
	const char	*version;	/* Version=, after Action */
	const char	*serverless;	/* ResourceType= for a serverless
					   cache; NULL: the kind has none */
	unsigned	 needs;		/* NEEDS_* (RDS and DSQL need both,
					   whatever it says) */
	/* Redshift: no token is signed; the user and password are asked of
	 * the service's API (providers/redshift.c). */
	int		 login_api;
	long		 min_expires;	/* the shortest lifetime taken */
};

extern const struct service services[];
extern const size_t nservices;

/* The service named name (or one of its aliases); NULL when none is. */
const struct service *service_find(const char *name);

/* The service whose tokens are signed for signing_name with action; NULL
 * when none is. */
const struct service *service_for_token(const char *signing_name,
	    const char *action);

/* The Action a token for user asks for. */
const char *service_action(const struct service *, const char *user);

/* The names, for messages: "postgres (postgresql, ...), mysql ..." */
void	service_names(struct buf *);

/* The longest X-Amz-Expires any service takes. */
long	service_max_expires(void);

/* Whether a token for s needs a host (a name), a user. */
int	service_needs(const struct service *, unsigned need);

/* The DNS suffix of the partition a region belongs to: amazonaws.com,
 * amazonaws.com.cn, ... */
const char *partition_domain(const char *region);
/* Its name, as ARNs have it: aws, aws-cn, aws-us-gov, aws-iso, ... */
const char *partition_name(const char *region);
/* The DNS suffix of the nth partition of the table, NULL past the last
 * (some partitions share one). */
const char *partition_domain_nth(size_t n);
/* IAM's global endpoint in a region's partition, with the region it is
 * signed for in *signing; NULL where iamdb knows none. */
const char *partition_iam_host(const char *region, const char **signing);

/* The name a HOST_NAME token is signed for, from what the user gave: the
 * name itself, or an endpoint that names it unambiguously
 * (master.NAME.ID.REGION.cache.amazonaws.com, NAME-ID.serverless...,
 * clustercfg.NAME.ID.memorydb.REGION.amazonaws.com, ...). A heap string,
 * with *serverless set for a serverless cache's endpoint; or NULL with e
 * saying why the name cannot be told. */
char	*service_name_from(const struct service *, const char *host,
	    int *serverless, struct err *e);

#endif
