/* Credentials in JSON answers: credential_process, the container and
 * instance metadata endpoints and the SSO portal name the same four
 * fields differently. */
#ifndef IAMDB_CREDJSON_H
#define IAMDB_CREDJSON_H

#include <jansson.h>

#include "providers.h"

struct cred_fields {
	const char	*akid;
	const char	*secret;
	const char	*token;
	const char	*expiration;
	int		 expiration_ms;	/* epoch milliseconds, not ISO 8601 */
	int		 need_expiration;
};

/* The four shapes: credential_process's output, the container and
 * instance metadata endpoints' answers (one shape), the SSO portal's
 * roleCredentials. */
extern const struct cred_fields cred_fields_process;
extern const struct cred_fields cred_fields_metadata;
extern const struct cred_fields cred_fields_sso;

/* Fills c from obj; what names the source in errors (never a value). */
int	credentials_from_json(const json_t *obj, const struct cred_fields *,
	    struct credentials *c, const char *what, struct err *);

/* The same from an answer's text: its member (NULL: the whole document)
 * read as f says. 0, or -1 with e saying why (never a value). */
int	credentials_from_answer(const char *text, size_t len,
	    const char *member, const struct cred_fields *f,
	    struct credentials *c, const char *what, struct err *);

/* Parses a JSON document of at most len bytes; errors name what. */
json_t	*json_parse(const char *text, size_t len, const char *what,
	    struct err *);

/* An expiration time in ISO 8601, extended (2026-01-02T03:04:05Z) or
 * basic (20260102T030405Z), as botocore's date parser reads both. */
int	expiration_parse(const char *, time_t *);

#endif
