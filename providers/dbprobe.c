#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <mariadb/mysql.h>
#include <postgresql/libpq-fe.h>

#include "dbprobe.h"

/* A client library, loaded on first use: its entry points are looked up
 * into the slots of a table. */
struct symbol {
	const char	*name;
	void		**slot;
};

struct library {
	const char		*soname;
	const char		*package;	/* Debian's, for the message */
	const char		*title;		/* for the message */
	const struct symbol	*symbols;	/* ended by a NULL name */
	int			 loaded;
};

static int
library_load(struct library *l, struct err *e)
{
	const struct symbol *s;
	void *h;

	if (l->loaded)
		return 0;
	if ((h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return err_set(e, ERR_CONFIG, "cannot load %s: %s (install %s)",
		    l->soname, dlerror(), l->package);
	for (s = l->symbols; s->name != NULL; s++)
		if ((*s->slot = dlsym(h, s->name)) == NULL)
			return err_set(e, ERR_CONFIG, "%s lacks %s", l->title,
			    s->name);
	l->loaded = 1;
	return 0;
}

/* The few libpq entry points doctor uses. */
static struct {
	PGconn		*(*connectdb_params)(const char *const *,
			    const char *const *, int);
	ConnStatusType	 (*status)(const PGconn *);
	char		*(*error_message)(const PGconn *);
	int		 (*server_version)(const PGconn *);
	int		 (*ssl_in_use)(PGconn *);
	const char	*(*ssl_attribute)(PGconn *, const char *);
	void		 (*finish)(PGconn *);
	PGresult	*(*exec)(PGconn *, const char *);
	ExecStatusType	 (*result_status)(const PGresult *);
	char		*(*result_error_message)(const PGresult *);
	void		 (*clear)(PGresult *);
} pq;

static const struct symbol pq_symbols[] = {
	{ "PQconnectdbParams", (void **)&pq.connectdb_params },
	{ "PQstatus", (void **)&pq.status },
	{ "PQerrorMessage", (void **)&pq.error_message },
	{ "PQserverVersion", (void **)&pq.server_version },
	{ "PQsslInUse", (void **)&pq.ssl_in_use },
	{ "PQsslAttribute", (void **)&pq.ssl_attribute },
	{ "PQfinish", (void **)&pq.finish },
	{ "PQexec", (void **)&pq.exec },
	{ "PQresultStatus", (void **)&pq.result_status },
	{ "PQresultErrorMessage", (void **)&pq.result_error_message },
	{ "PQclear", (void **)&pq.clear },
	{ NULL, NULL }
};

static struct library libpq = {
	"libpq.so.5", "libpq5", "pq", pq_symbols, 0
};

/* The libraries' messages end in a line end or two. */
static void
set_message(struct buf *b, const char *msg)
{
	size_t n = strlen(msg);

	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		n--;
	buf_reset(b);
	buf_add(b, msg, n);
}

/* What libpq's message says went wrong, by the words libpq 15 uses. */
static enum dbprobe_outcome
pq_outcome(const char *msg)
{
	static const struct {
		const char		*words;
		enum dbprobe_outcome	 outcome;
	} known[] = {
		{ "role \"", DBPROBE_NO_USER },	/* ... does not exist */
		{ "database \"", DBPROBE_NO_DATABASE },
		{ "permission denied for database", DBPROBE_NO_DATABASE },
		{ "certificate", DBPROBE_TLS },
		{ "SSL", DBPROBE_TLS },
		{ "authentication failed", DBPROBE_AUTH },
		{ "password", DBPROBE_AUTH },
		{ "could not translate host name", DBPROBE_NETWORK },
		{ "Connection refused", DBPROBE_NETWORK },
		{ "timeout expired", DBPROBE_NETWORK },
		{ "No route to host", DBPROBE_NETWORK },
		{ "Network is unreachable", DBPROBE_NETWORK },
		{ "could not connect", DBPROBE_NETWORK },
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strstr(msg, known[i].words) != NULL)
			return known[i].outcome;
	return DBPROBE_OTHER;
}

/* Logs in as p says; the connection, or NULL with r saying why. Without
 * a password, libpq's own sources give one (PGPASSWORD, the password
 * file), as for any libpq client. */
static PGconn *
pq_login(const struct dbprobe *p, struct dbprobe_result *r)
{
	const char *keys[24], *values[24];
	char port[8], timeout[24];
	PGconn *c;
	size_t n = 0, i;
	int v;

	snprintf(port, sizeof(port), "%u", p->port);
	snprintf(timeout, sizeof(timeout), "%ld", p->timeout);
	/* The URL's own parameters first: what follows is iamdb's and
	 * wins (libpq takes the last of a repeated keyword). */
	for (i = 0; i < p->nparams && n < 14; i++) {
		keys[n] = p->params[i].key;
		values[n++] = p->params[i].value;
	}
#define KV(k, v) do { keys[n] = (k); values[n++] = (v); } while (0)
	KV("host", p->host);
	KV("port", port);
	KV("user", p->user);
	KV("dbname", p->database ? p->database : "postgres");
	KV("sslmode", p->sslmode);
	if (p->sslrootcert != NULL)
		KV("sslrootcert", p->sslrootcert);
	KV("connect_timeout", timeout);
	if (p->password != NULL) {
		KV("password", p->password);
		/* Nothing of the caller's may stand in for the token. */
		KV("passfile", "/dev/null");
	}
#undef KV
	keys[n] = values[n] = NULL;

	if ((c = pq.connectdb_params(keys, values, 0)) == NULL) {
		r->outcome = DBPROBE_OTHER;
		set_message(&r->message, "libpq: out of memory");
		return NULL;
	}
	if (pq.status(c) != CONNECTION_OK) {
		set_message(&r->message, pq.error_message(c));
		r->outcome = pq_outcome(buf_str(&r->message));
		pq.finish(c);
		return NULL;
	}
	r->outcome = DBPROBE_OK;
	v = pq.server_version(c);
	buf_printf(&r->server, "PostgreSQL %d.%d", v / 10000, v % 10000);
	if (pq.ssl_in_use(c))
		buf_printf(&r->server, ", %s %s",
		    pq.ssl_attribute(c, "protocol"),
		    pq.ssl_attribute(c, "cipher"));
	return c;
}

/* One statement; 0, or -1 with the server's words in r. */
static int
pq_run(PGconn *c, const char *sql, struct dbprobe_result *r)
{
	PGresult *res = pq.exec(c, sql);
	ExecStatusType st = res ? pq.result_status(res) : PGRES_FATAL_ERROR;
	int rc = 0;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		set_message(&r->message, res ? pq.result_error_message(res) :
		    pq.error_message(c));
		r->outcome = DBPROBE_REFUSED;
		rc = -1;
	}
	if (res != NULL)
		pq.clear(res);
	return rc;
}

int
dbprobe_postgres(const struct dbprobe *p, struct dbprobe_result *r,
    struct err *e)
{
	size_t done;

	return dbprobe_run(p, 0, NULL, 0, r, &done, e);
}

/* MariaDB Connector/C's, the same way. */
static struct {
	MYSQL		*(*init)(MYSQL *);
	int		 (*optionsv)(MYSQL *, enum mysql_option, ...);
	MYSQL		*(*real_connect)(MYSQL *, const char *, const char *,
			    const char *, const char *, unsigned int,
			    const char *, unsigned long);
	unsigned int	 (*errno_)(MYSQL *);
	const char	*(*error)(MYSQL *);
	char		*(*server_info)(MYSQL *);
	const char	*(*ssl_cipher)(MYSQL *);
	void		 (*close)(MYSQL *);
	int		 (*real_query)(MYSQL *, const char *, unsigned long);
	MYSQL_RES	*(*store_result)(MYSQL *);
	void		 (*free_result)(MYSQL_RES *);
	int		 (*next_result)(MYSQL *);
} my;

static const struct symbol my_symbols[] = {
	{ "mysql_init", (void **)&my.init },
	{ "mysql_optionsv", (void **)&my.optionsv },
	{ "mysql_real_connect", (void **)&my.real_connect },
	{ "mysql_errno", (void **)&my.errno_ },
	{ "mysql_error", (void **)&my.error },
	{ "mysql_get_server_info", (void **)&my.server_info },
	{ "mysql_get_ssl_cipher", (void **)&my.ssl_cipher },
	{ "mysql_close", (void **)&my.close },
	{ "mysql_real_query", (void **)&my.real_query },
	{ "mysql_store_result", (void **)&my.store_result },
	{ "mysql_free_result", (void **)&my.free_result },
	{ "mysql_next_result", (void **)&my.next_result },
	{ NULL, NULL }
};

static struct library libmariadb = {
	"libmariadb.so.3", "libmariadb3", "my", my_symbols, 0
};

/* Connector/C's client error numbers (errmsg.h) and the server's. */
static enum dbprobe_outcome
my_outcome(unsigned int code, const char *msg)
{
	switch (code) {
	case 2026:	/* CR_SSL_CONNECTION_ERROR */
		return DBPROBE_TLS;
	case 1044:	/* ER_DBACCESS_DENIED_ERROR */
	case 1049:	/* ER_BAD_DB_ERROR */
		return DBPROBE_NO_DATABASE;
	case 1045:	/* ER_ACCESS_DENIED_ERROR */
	case 1698:	/* ER_ACCESS_DENIED_NO_PASSWORD_ERROR */
		return DBPROBE_AUTH;
	case 2002:	/* CR_CONNECTION_ERROR */
	case 2003:	/* CR_CONN_HOST_ERROR */
	case 2005:	/* CR_UNKNOWN_HOST */
	case 2013:	/* CR_SERVER_LOST */
		return strstr(msg, "SSL") || strstr(msg, "TLS") ?
		    DBPROBE_TLS : DBPROBE_NETWORK;
	default:
		return strstr(msg, "certificate") || strstr(msg, "TLS") ?
		    DBPROBE_TLS : DBPROBE_OTHER;
	}
}

/* Logs in as p says; the connection, or NULL with r saying why. Without
 * a password, Connector/C's own sources give one: the option files'
 * [client] group, MYSQL_PWD. */
static MYSQL *
my_login(const struct dbprobe *p, struct dbprobe_result *r)
{
	my_bool yes = 1, verify;
	unsigned int timeout = (unsigned int)p->timeout;
	const char *cipher;
	MYSQL *m;

	if ((m = my.init(NULL)) == NULL) {
		r->outcome = DBPROBE_OTHER;
		set_message(&r->message, "Connector/C: out of memory");
		return NULL;
	}
	if (p->password == NULL)
		my.optionsv(m, MYSQL_READ_DEFAULT_GROUP, "client");
	/* As iamdb's option files tell the clients: TLS, the CA, the name
	 * checked unless sslmode says otherwise, the clear text plugin. */
	verify = strcmp(p->sslmode, "verify-full") == 0;
	my.optionsv(m, MYSQL_OPT_SSL_ENFORCE, &yes);
	if (p->sslrootcert != NULL)
		my.optionsv(m, MYSQL_OPT_SSL_CA, p->sslrootcert);
	my.optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
	my.optionsv(m, MYSQL_ENABLE_CLEARTEXT_PLUGIN, &yes);
	my.optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	if (my.real_connect(m, p->host, p->user, p->password, p->database,
	    p->port, NULL, 0) == NULL) {
		set_message(&r->message, my.error(m));
		r->outcome = my_outcome(my.errno_(m), buf_str(&r->message));
		my.close(m);
		return NULL;
	}
	r->outcome = DBPROBE_OK;
	buf_adds(&r->server, my.server_info(m));
	if ((cipher = my.ssl_cipher(m)) != NULL)
		buf_printf(&r->server, ", TLS %s", cipher);
	return m;
}

/* One statement, its results (if any) read and dropped; 0, or -1 with
 * the server's words in r. */
static int
my_run(MYSQL *m, const char *sql, struct dbprobe_result *r)
{
	MYSQL_RES *res;

	if (my.real_query(m, sql, (unsigned long)strlen(sql)) != 0) {
		set_message(&r->message, my.error(m));
		r->outcome = DBPROBE_REFUSED;
		return -1;
	}
	do {
		if ((res = my.store_result(m)) != NULL)
			my.free_result(res);
	} while (my.next_result(m) == 0);
	return 0;
}

int
dbprobe_mysql(const struct dbprobe *p, struct dbprobe_result *r,
    struct err *e)
{
	size_t done;

	return dbprobe_run(p, 1, NULL, 0, r, &done, e);
}

int
dbprobe_run(const struct dbprobe *p, int mysql, const char *const *sql,
    size_t n, struct dbprobe_result *r, size_t *done, struct err *e)
{
	memset(r, 0, sizeof(*r));
	*done = 0;
	if (mysql) {
		MYSQL *m;

		if (library_load(&libmariadb, e) == -1)
			return -1;
		if ((m = my_login(p, r)) == NULL)
			return 0;
		while (*done < n && my_run(m, sql[*done], r) == 0)
			(*done)++;
		my.close(m);
	} else {
		PGconn *c;

		if (library_load(&libpq, e) == -1)
			return -1;
		if ((c = pq_login(p, r)) == NULL)
			return 0;
		while (*done < n && pq_run(c, sql[*done], r) == 0)
			(*done)++;
		pq.finish(c);
	}
	return 0;
}

void
dbprobe_result_free(struct dbprobe_result *r)
{
	buf_free(&r->message);
	buf_free(&r->server);
}
