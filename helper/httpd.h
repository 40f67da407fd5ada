/*
 * The HTTP server of iamdb serve, through GNU libmicrohttpd loaded on
 * first use (as libcurl is: no other command pays for it). One internal
 * thread serves every connection, so the handler is never entered twice
 * at once; requests and their bodies are bounded, a connection that says
 * nothing is closed, and answers are wiped when libmicrohttpd is done
 * with them.
 */
#ifndef IAMDB_HTTPD_H
#define IAMDB_HTTPD_H

#include <stddef.h>

#include "../common/buf.h"
#include "../common/err.h"

struct httpd_request {
	const char	*method;
	const char	*path;		/* without the query */
	const char	*body;		/* POST's, NUL-terminated */
	size_t		 body_len;
	int		 loopback;	/* the client is 127.0.0.0/8 or ::1 */
	void		*conn;		/* for httpd_header, httpd_query */
};

struct httpd_response {
	int		 status;
	const char	*content_type;
	struct buf	 body;		/* wiped once sent */
	const char	*amzn_error;	/* x-amzn-ErrorType, or NULL */
	int		 no_type;	/* no Content-Type (as the agent) */
};

/* A request header's or query parameter's value, or NULL. */
const char *httpd_header(const struct httpd_request *, const char *name);
const char *httpd_query(const struct httpd_request *, const char *name);
/* The name of a query parameter that is not one of allowed (NULL-ended),
 * or NULL when there is none. */
const char *httpd_query_other(const struct httpd_request *,
	    const char *const *allowed);

typedef void (*httpd_handler)(void *arg, const struct httpd_request *,
	    struct httpd_response *);

/*
 * Listens on host:port (a numeric address) and serves with handler until
 * wait returns, or (wait NULL) until SIGTERM, SIGINT or SIGHUP, which are
 * blocked in every thread either way; on_ready (when not NULL) runs once
 * the socket listens. 0 when it stopped as asked, -1 with e when it could
 * not start or wait failed.
 */
int	httpd_serve(const char *host, unsigned port, httpd_handler handler,
	    void *arg, void (*on_ready)(void *arg, unsigned port),
	    int (*wait)(void *arg, struct err *), struct err *);

#endif
