/* Redshift's temporary database logins: GetClusterCredentials and
 * GetClusterCredentialsWithIAM (Query protocol, XML answers) for
 * provisioned clusters, redshift-serverless GetCredentials (JSON 1.1) for
 * workgroups. Requests are signed and written as botocore writes them;
 * logins are cached until near their expiration. */
#ifndef IAMDB_REDSHIFT_H
#define IAMDB_REDSHIFT_H

#include <stddef.h>
#include <time.h>

#include "../common/buf.h"
#include "providers.h"

struct redshift_request {
	int			 serverless;	/* GetCredentials */
	const char		*cluster;	/* or the workgroup */
	const char		*db_user;	/* NULL: WithIAM (provisioned) */
	const char		*db_name;	/* NULL: not sent */
	long			 duration;	/* 0: not sent (900) */
	int			 auto_create;	/* 1 true, -1 false, 0 unsent */
	const char *const	*db_groups;
	size_t			 ngroups;
};

/* The operation a request calls. */
const char *redshift_operation(const struct redshift_request *);

/* The body, the X-Amz-Target (NULL for the Query protocol) and the
 * Content-Type of a request, as botocore writes them. */
void	redshift_body(const struct redshift_request *, struct buf *body);
const char *redshift_target(const struct redshift_request *);
const char *redshift_content_type(const struct redshift_request *);

/* What an answer says: 0 with the user and password (heap strings, the
 * password wiped by redshift_login_free) and expiration; -1 with e naming
 * the code and message AWS gave, or what is missing. *throttled is set
 * when the answer asks to try again. what names the call in messages. */
struct redshift_login {
	char	*user;
	char	*password;
	time_t	 expiration;
};
int	redshift_answer(const struct redshift_request *, long status,
	    const char *body, size_t len, const char *what,
	    struct redshift_login *, int *throttled, struct err *);
void	redshift_login_free(struct redshift_login *);

/* A login for the request, signed with creds for region: from the cache
 * (keyed by the endpoint, the request and the signer's key) until
 * it is due for renewal (renew_at), else from the API, at
 * AWS_ENDPOINT_URL_REDSHIFT(_SERVERLESS), AWS_ENDPOINT_URL, the profile's
 * endpoint settings, else the region's endpoint. */
int	redshift_login(struct provider_ctx *, const struct redshift_request *,
	    const struct credentials *creds, struct redshift_login *,
	    struct err *);

#endif
