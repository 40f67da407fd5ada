/* iamdb serve's HTTP server; see httpd.h. */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "httpd.h"

#define MAX_BODY	(64 * 1024)	/* GetSecretValue's are ~100 bytes */
#define MAX_CONNECTIONS	64

static struct {
	struct MHD_Daemon	*(*start)(unsigned int, uint16_t,
				    MHD_AcceptPolicyCallback, void *,
				    MHD_AccessHandlerCallback, void *, ...);
	void			 (*stop)(struct MHD_Daemon *);
	const char		*(*lookup)(struct MHD_Connection *,
				    enum MHD_ValueKind, const char *);
	const union MHD_ConnectionInfo *(*conn_info)(struct MHD_Connection *,
				    enum MHD_ConnectionInfoType, ...);
	const union MHD_DaemonInfo *(*daemon_info)(struct MHD_Daemon *,
				    enum MHD_DaemonInfoType, ...);
	struct MHD_Response	*(*response)(size_t, void *,
				    MHD_ContentReaderFreeCallback, void *);
	int			 (*values)(struct MHD_Connection *,
				    enum MHD_ValueKind, MHD_KeyValueIterator,
				    void *);
	enum MHD_Result		 (*add_header)(struct MHD_Response *,
				    const char *, const char *);
	enum MHD_Result		 (*queue)(struct MHD_Connection *,
				    unsigned int, struct MHD_Response *);
	void			 (*destroy)(struct MHD_Response *);
	int			 loaded;
} mhd;

static int
load(struct err *e)
{
	static const struct {
		const char	*name;
		void		**slot;
	} syms[] = {
		{ "MHD_start_daemon", (void **)&mhd.start },
		{ "MHD_stop_daemon", (void **)&mhd.stop },
		{ "MHD_lookup_connection_value", (void **)&mhd.lookup },
		{ "MHD_get_connection_info", (void **)&mhd.conn_info },
		{ "MHD_get_daemon_info", (void **)&mhd.daemon_info },
		{ "MHD_create_response_from_buffer_with_free_callback_cls",
		  (void **)&mhd.response },
		{ "MHD_add_response_header", (void **)&mhd.add_header },
		{ "MHD_get_connection_values", (void **)&mhd.values },
		{ "MHD_queue_response", (void **)&mhd.queue },
		{ "MHD_destroy_response", (void **)&mhd.destroy },
	};
	void *h;
	size_t i;

	if (mhd.loaded)
		return 0;
	if ((h = dlopen("libmicrohttpd.so.12", RTLD_NOW | RTLD_LOCAL)) == NULL)
		return err_set(e, ERR_CONFIG, "cannot load libmicrohttpd.so.12: "
		    "%s (install libmicrohttpd12)", dlerror());
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
		if ((*syms[i].slot = dlsym(h, syms[i].name)) == NULL)
			return err_set(e, ERR_CONFIG, "libmicrohttpd lacks %s "
			    "(0.9.73 or later is needed)", syms[i].name);
	mhd.loaded = 1;
	return 0;
}

const char *
httpd_header(const struct httpd_request *r, const char *name)
{
	return mhd.lookup(r->conn, MHD_HEADER_KIND, name);
}

const char *
httpd_query(const struct httpd_request *r, const char *name)
{
	return mhd.lookup(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

struct other {
	const char *const	*allowed;
	const char		*found;
};

static enum MHD_Result
check_key(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct other *o = cls;
	size_t i;

	(void)kind;
	(void)value;
	for (i = 0; o->allowed[i] != NULL; i++)
		if (strcmp(key, o->allowed[i]) == 0)
			return MHD_YES;
	o->found = key;
	return MHD_NO;
}

const char *
httpd_query_other(const struct httpd_request *r, const char *const *allowed)
{
	struct other o = { allowed, NULL };

	mhd.values(r->conn, MHD_GET_ARGUMENT_KIND, check_key, &o);
	return o.found;
}

struct server {
	httpd_handler	 handler;
	void		*arg;
};

/* What a request has received of its body so far. */
struct pending {
	struct buf	 body;
	int		 too_large;
};

static int
is_loopback(const struct sockaddr *sa)
{
	if (sa == NULL)
		return 0;
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)(const void *)sa)->
		    sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr);
	return 0;
}

/* libmicrohttpd is done with an answer: wipe it. */
static void
answer_free(void *cls)
{
	struct buf *b = cls;

	buf_free(b);
	free(b);
}

static enum MHD_Result
respond(struct MHD_Connection *c, struct httpd_response *rs)
{
	struct buf *b = xcalloc(1, sizeof(*b));
	struct MHD_Response *r;
	enum MHD_Result ok;

	*b = rs->body;
	memset(&rs->body, 0, sizeof(rs->body));
	if ((r = mhd.response(b->len, b->data, answer_free, b)) == NULL) {
		answer_free(b);
		return MHD_NO;
	}
	if (!rs->no_type)
		mhd.add_header(r, "Content-Type", rs->content_type ?
		    rs->content_type : "text/plain; charset=utf-8");
	mhd.add_header(r, "Cache-Control", "no-store");
	if (rs->amzn_error != NULL)
		mhd.add_header(r, "x-amzn-ErrorType", rs->amzn_error);
	ok = mhd.queue(c, (unsigned int)rs->status, r);
	mhd.destroy(r);
	return ok;
}

static enum MHD_Result
access_handler(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_len, void **state)
{
	struct server *s = cls;
	struct pending *p = *state;
	struct httpd_request rq;
	struct httpd_response rs;
	const union MHD_ConnectionInfo *ci;
	enum MHD_Result ok;

	(void)version;
	if (p == NULL) {
		*state = xcalloc(1, sizeof(*p));
		return MHD_YES;
	}
	if (*upload_len > 0) {
		if (p->body.len + *upload_len > MAX_BODY)
			p->too_large = 1;
		else
			buf_add(&p->body, upload, *upload_len);
		*upload_len = 0;
		return MHD_YES;
	}
	memset(&rq, 0, sizeof(rq));
	memset(&rs, 0, sizeof(rs));
	rq.method = method;
	rq.path = url;
	rq.body = buf_str(&p->body);
	rq.body_len = p->body.len;
	rq.conn = c;
	ci = mhd.conn_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	rq.loopback = ci != NULL && is_loopback(ci->client_addr);
	if (p->too_large) {
		rs.status = 413;
		buf_adds(&rs.body, "Request too large");
	} else
		s->handler(s->arg, &rq, &rs);
	ok = respond(c, &rs);
	buf_free(&rs.body);
	return ok;
}

static void
completed(void *cls, struct MHD_Connection *c, void **state,
    enum MHD_RequestTerminationCode why)
{
	struct pending *p = *state;

	(void)cls;
	(void)c;
	(void)why;
	if (p != NULL) {
		buf_free(&p->body);
		free(p);
		*state = NULL;
	}
}

int
httpd_serve(const char *host, unsigned port, httpd_handler handler,
    void *arg, void (*on_ready)(void *, unsigned),
    int (*wait)(void *, struct err *), struct err *e)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in4 = (struct sockaddr_in *)(void *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)&ss;
	struct server s = { handler, arg };
	const union MHD_DaemonInfo *di;
	struct MHD_Daemon *d;
	sigset_t stop, old;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
	int sig, rc = 0;

	if (load(e) == -1)
		return -1;
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
	} else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		flags |= MHD_USE_IPv6;
	} else
		return err_set(e, ERR_USAGE, "--listen: '%s' is not an IP "
		    "address", host);
	/* The signals that stop the server wait for this thread alone. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	d = mhd.start(flags, (uint16_t)port, NULL, NULL, access_handler, &s,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)MAX_CONNECTIONS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    MHD_OPTION_END);
	if (d == NULL) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return err_set(e, ERR_IO, "cannot listen on %s port %u (in "
		    "use, or not an address of this machine)", host, port);
	}
	di = mhd.daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (on_ready != NULL)
		on_ready(arg, di != NULL ? di->port : port);
	if (wait != NULL)
		rc = wait(arg, e);
	else
		sigwait(&stop, &sig);
	/* Stops accepting, then ends the connections: a request being
	 * answered is answered first. */
	mhd.stop(d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
