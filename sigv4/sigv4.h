/* AWS Signature Version 4: canonical request, string to sign, key
 * derivation and query-string presigning. Pure computation, no I/O. */
#ifndef IAMDB_SIGV4_H
#define IAMDB_SIGV4_H

#include <stddef.h>
#include <time.h>

#include "../common/buf.h"

struct sigv4_credentials {
	const char	*access_key_id;
	const char	*secret_access_key;
	const char	*session_token;		/* NULL when none */
};

struct sigv4_param {			/* query parameter, not yet encoded */
	const char	*key;
	const char	*value;
};

struct sigv4_header {
	const char	*name;
	const char	*value;
};

struct sigv4_request {
	const char			*method;	/* "GET" */
	const char			*path;		/* decoded, e.g. "/" */
	int				 normalize_path; /* as for all but S3 */
	const struct sigv4_param	*params;	/* in the order to emit */
	size_t				 nparams;
	const struct sigv4_header	*headers;	/* must include host */
	size_t				 nheaders;
	const char			*payload_hash;	/* hex; NULL: empty body */
	const char			*region;
	const char			*service;
	time_t				 when;		/* signing time, UTC */
	long				 expires;	/* X-Amz-Expires, seconds */
};

/* What was signed, for tests and debugging. All optional. */
struct sigv4_trace {
	struct buf	canonical_request;
	struct buf	string_to_sign;
	char		signature[65];
};

/* Reusable signing state: OpenSSL contexts and the last derived key (so a
 * copy of the secret, wiped by sigv4_signer_free). Not thread-safe. */
struct sigv4_signer;

struct sigv4_signer *sigv4_signer_new(void);
void	sigv4_signer_free(struct sigv4_signer *);

/* Appends the presigned query string (operation params in the given order,
 * then the X-Amz-* params, X-Amz-Signature last, as botocore orders them)
 * to out. signer and trace may be NULL. */
void	sigv4_presign(struct sigv4_signer *, const struct sigv4_request *,
	    const struct sigv4_credentials *, struct buf *out,
	    struct sigv4_trace *);

/* Signs a request with an Authorization header, which is appended to
 * authorization. The headers must include host and x-amz-date (see
 * sigv4_amz_date) and, with temporary credentials, x-amz-security-token.
 * The encoded query string, when wanted, is appended to query. */
void	sigv4_sign_headers(struct sigv4_signer *,
	    const struct sigv4_request *, const struct sigv4_credentials *,
	    struct buf *authorization, struct buf *query,
	    struct sigv4_trace *);

/* Hex SHA-256, as payload hashes are written. */
void	sigv4_sha256_hex(const void *, size_t, char hex[65]);

/* The X-Amz-Date form of a time: YYYYMMDDTHHMMSSZ. */
void	sigv4_amz_date(time_t, char stamp[17]);

/* Appends s percent-encoded as SigV4 requires: everything but A-Z a-z 0-9
 * - _ . ~ is encoded; '/' too unless keep_slash. */
void	sigv4_uri_encode(struct buf *, const char *s, size_t len,
	    int keep_slash);

void	sigv4_trace_free(struct sigv4_trace *);

/* A request that came signed with an Authorization header. */
struct sigv4_signed {
	const char	*method;
	const char	*path;		/* decoded; no query string */
	const char	*authorization;	/* NULL when absent */
	/* The value of a header (any case), or NULL. */
	const char	*(*header)(void *arg, const char *name);
	void		*arg;
	const char	*body;
	size_t		 body_len;
};

/* Why a signature was refused: the AWS error code and message. */
struct sigv4_check {
	const char	*code;		/* InvalidSignatureException, ... */
	char		 message[160];
	char		 region[32];	/* the signed region, when accepted */
};

/* Checks the request as the service would, with the credentials whose key
 * it names: 0 when its signature is theirs, made within 5 minutes of now;
 * -1 with c saying why not. */
int	sigv4_verify(const struct sigv4_signed *,
	    const struct sigv4_credentials *, const char *service, time_t now,
	    struct sigv4_check *c);

#endif
