/* AWS STS: AssumeRole (a SigV4-signed POST) and AssumeRoleWithWebIdentity
 * (unsigned), against the regional endpoint of the region's partition or an
 * endpoint the user configured. Responses are parsed with expat. */
#ifndef IAMDB_STS_H
#define IAMDB_STS_H

#include "endpoint.h"
#include "providers.h"

struct sts_request {
	const char	*role_arn;
	const char	*session_name;
	const char	*external_id;		/* may be NULL */
	const char	*mfa_serial;		/* may be NULL */
	const char	*mfa_code;
	const char	*web_identity_token;	/* web identity only */
	long		 duration;		/* 0: STS's default */
};

int	sts_assume_role(struct provider_ctx *, const struct sts_request *,
	    const struct credentials *source, struct credentials *,
	    struct err *);
int	sts_assume_role_with_web_identity(struct provider_ctx *,
	    const struct sts_request *, struct credentials *, struct err *);

#endif
