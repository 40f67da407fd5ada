/*
 * How parts below helper/ report failure: a kind (which the helper maps to
 * an exit code) and a message that never contains a secret.
 *
 * The one return convention: a function that can fail returns 0, or -1
 * with a struct err filled by the leaf that failed (what, where, why, and
 * the kind, chosen there once; callers may prefix where, not change the
 * kind). "Nothing here" is no failure and no third return value: it is an
 * out-parameter (int *found, a pointer left NULL). Predicates (is_, has_,
 * ..._match) return 1 or 0 and cannot fail. Exit codes exist only at
 * helper/'s edge (helper/msg.c: fail).
 */
#ifndef IAMDB_ERR_H
#define IAMDB_ERR_H

enum err_kind {
	ERR_NONE = 0,
	ERR_USAGE,		/* bad arguments or input values */
	ERR_CONFIG,		/* malformed files, missing region, bad profile */
	ERR_CREDENTIALS,	/* no usable credentials */
	ERR_NETWORK,		/* a service could not be reached or refused */
	ERR_IO,			/* reading or writing local files */
	ERR_INTERNAL
};

struct err {
	enum err_kind	kind;
	char		msg[4096];
	/* msg is lines, each one safe to print (what a peer said in them
	 * escaped where it was put in): printed as lines, not as one. */
	int		lines;
};

/* Fills e (if not NULL) and returns -1, so callers can `return err_set(...)`. */
int	err_set(struct err *, enum err_kind, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
