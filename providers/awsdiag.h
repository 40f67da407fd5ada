/*
 * The AWS calls that diagnose an IAM login (iamdb doctor) and look up what
 * its setup names (iamdb setup): who the credentials are and the server's
 * clock (STS GetCallerIdentity), the database as RDS describes it
 * (DescribeDBInstances / DescribeDBClusters), and whether IAM lets the
 * caller connect (SimulatePrincipalPolicy). Query protocol over
 * providers/awsapi.c; endpoints as every other call finds them
 * (AWS_ENDPOINT_URL_RDS, _IAM, _STS, ...).
 */
#ifndef IAMDB_AWSDIAG_H
#define IAMDB_AWSDIAG_H

#include <time.h>

#include "providers.h"

struct caller {
	char	*account;
	char	*arn;
	time_t	 server_time;	/* STS's Date header; 0 when absent */
};

/* 0 with c filled; -1 with STS's own error (code and message). */
int	aws_caller(struct provider_ctx *, const struct credentials *,
	    struct caller *, struct err *);
void	caller_free(struct caller *);

/* A database as RDS describes it: an instance or an Aurora cluster. */
struct rds_db {
	int	 cluster;
	char	*id;
	char	*engine;
	char	*status;
	char	*address;	/* the writer endpoint's name */
	char	*reader;	/* a cluster's reader endpoint, or NULL */
	unsigned port;
	int	 iam_auth;	/* IAMDatabaseAuthenticationEnabled */
	int	 publicly_accessible;
	char	*resource_id;	/* DbiResourceId, DbClusterResourceId */
};

/* The identifier RDS knows the database by, from its endpoint's name
 * (NAME.ID.REGION.rds... or NAME.cluster[-ro]-ID.REGION.rds...), with
 * whether it names a cluster; NULL when host is no RDS endpoint. */
char	*rds_identifier(const char *host, int *cluster);

/* The cluster id of an Aurora DSQL endpoint (ID.dsql.REGION.on.aws), or
 * NULL. */
char	*dsql_identifier(const char *host);

/* Describes the instance or cluster id. 0 with *found set (0: RDS does
 * not know it in this region); -1 for other errors. */
int	rds_describe(struct provider_ctx *, const struct credentials *,
	    const char *id, int cluster, struct rds_db *, int *found,
	    struct err *);
void	rds_db_free(struct rds_db *);

/* An Aurora DSQL cluster as GetCluster describes it. */
struct dsql_cluster {
	char	*arn;
	char	*status;	/* ACTIVE, IDLE, CREATING, ... */
};

/* 0 with *found set (0: no such cluster in the region); -1 for other
 * errors. */
int	dsql_describe(struct provider_ctx *, const struct credentials *,
	    const char *id, struct dsql_cluster *, int *found, struct err *);
void	dsql_cluster_free(struct dsql_cluster *);

/* IAM's decision for principal (a user or role ARN) doing action on
 * resource: "allowed", "implicitDeny" or "explicitDeny", a heap string. */
int	iam_simulate(struct provider_ctx *, const struct credentials *,
	    const char *principal, const char *action, const char *resource,
	    char **decision, struct err *);

/* The IAM ARN to simulate for a caller: a role's for an assumed-role
 * session (arn:aws:sts::A:assumed-role/R/S → arn:aws:iam::A:role/R), the
 * ARN itself otherwise. A heap string. */
char	*iam_principal(const char *caller_arn);


#endif
