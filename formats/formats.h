/* Output protocols: how a token and its connection details reach another
 * program. Writers to streams report write errors; file writers replace
 * files atomically under a lock and never follow symlinks. */
#ifndef IAMDB_FORMATS_H
#define IAMDB_FORMATS_H

#include <stdio.h>
#include <time.h>

#include "../common/buf.h"
#include "../common/err.h"
#include "../sigv4/dbtoken.h"
#include "url.h"

/* Which clients a MySQL option file is for: both families (Oracle's
 * keys only with cleartext_option), or one alone, in its own spelling. */
enum mycnf_reader { MYCNF_BOTH, MYCNF_MARIADB, MYCNF_ORACLE };

/* Everything a client needs to connect. */
struct conn {
	const struct service *service;
	const char	*host;		/* as signed: [::1] for IPv6 */
	const char	*bare_host;	/* as clients take it: ::1 */
	unsigned	 port;
	const char	*user;
	const char	*database;	/* may be NULL */
	const char	*region;
	const char	*token;
	time_t		 expires_at;	/* token or credentials, whichever first */
	time_t		 signed_at;
	long		 lifetime;	/* X-Amz-Expires */
	const char	*name;		/* the cache or cluster signed for; NULL
					   for RDS */
	const char	*sslmode;	/* libpq's names: verify-full, ... */
	const char	*sslrootcert;	/* CA bundle path, or "system" */
	int		 cleartext_option; /* mycnf: Oracle's keys too */
	enum mycnf_reader mycnf_for;	/* mycnf: whose spellings */
	const struct url_param *params;	/* libpq's, passed on */
	size_t		 nparams;
};

/* Writes b to f and flushes; what names the output in errors. */
int	write_out(FILE *, const struct buf *b, const char *what,
	    struct err *);

/* v in standard base64, padded, and a LF: a value in summon's stream
 * mode. */
void	base64_line(struct buf *, const char *v, size_t n);
/* The host as clients are given it: ::1, where it was signed as [::1]. */
const char *conn_client_host(const struct conn *);

/* The line end a file writer uses in text: CRLF for a file written with
 * CRLF, and for one whose only line ends in CR (which the next update
 * would read as CRLF), else LF. */
const char *file_eol(const char *text, size_t len);
/* Copies a line p[0..n) that a writer keeps; when it is the last, has no
 * LF and the writer's own lines are still to come after it, completes it
 * (eol, or only LF after its CR when eol is CRLF). */
void	keep_line(struct buf *out, const char *p, size_t n, int more,
	    const char *eol);

/* The MySQL client's name for a libpq sslmode. */
const char *mysql_ssl_mode(const char *sslmode);

/* env: the variables a client needs, in a shell's syntax. */
enum env_syntax { ENV_SH, ENV_FISH, ENV_DOTENV, ENV_JSON };
int	format_env(const struct conn *, enum env_syntax, struct buf *,
	    struct err *);

/* Appends v in single quotes for a POSIX shell ('\'' for each '). */
void	sh_quote(struct buf *, const char *v);

/* The variables as NAME=value strings, for exec. */
int	env_pairs(const struct conn *, char ***, size_t *, struct err *);
void	env_pairs_free(char **, size_t);

/* json: one object with the token and connection details; for EKS and
 * MSK the token, its kind, region and expiry (MSK's also in
 * milliseconds, expiry_ms, as its signers give it). */
int	format_json(const struct conn *, struct buf *, struct err *);

/* uri: a connection URI with the token percent-encoded. */
enum uri_style { URI_LIBPQ, URI_MYSQL, URI_JDBC, URI_REDIS };
int	format_uri(const struct conn *, enum uri_style, struct buf *,
	    struct err *);

/* A value that goes into one line of a file: -1 (ERR_USAGE, naming what,
 * never the value) if it holds a CR or LF, which would end the line and
 * start one of its own. NULL passes. Every file writer below checks each
 * value it writes with it. */
int	value_one_line(const char *what, const char *value, struct err *);

/* What libpq (15) takes from one line of a password file (without its
 * LF) for a connection to host:port, database, user: 1 with the password,
 * de-escaped, appended to pw (if not NULL); 0 if the line does not match,
 * is a comment or empty. */
int	pgpass_match(const char *line, size_t len, const char *host,
	    const char *port, const char *database, const char *user,
	    struct buf *pw);

/* A .pgpass line for the connection, with ':' and '\' escaped. */
int	pgpass_line(const struct conn *, struct buf *, struct err *);
/* Replaces or (with remove) removes iamdb's line for the connection in
 * text, keeping every other line as it was; -1 with out untouched when a
 * value cannot be written or text holds a NUL byte. */
int	pgpass_update(const char *text, size_t len, const struct conn *,
	    int remove, struct buf *out, struct err *);

/* Whether a MySQL option file group name can be written and found again:
 * printable ASCII without '[', ']' or a blank at either end. */
int	group_name_ok(const char *, struct err *);

/* The AWS Secrets Manager GetSecretValue answer for a connection, as
 * secret name: an RDS-style SecretString (engine, host, port, username,
 * password, dbname, sslmode, sslrootcert) in the GetSecretValue shape
 * (ARN, Name, VersionId, SecretString, VersionStages, CreatedDate: epoch
 * seconds, or with date_string the agent's "SECONDS.000"). -1 when a
 * value is not UTF-8 (e names which). */
int	secret_value_json(const struct conn *, const char *name,
	    const char *arn, int date_string, struct buf *out, struct err *);
/* The VersionId of a token's answer: its hash in the UUID form Secrets
 * Manager gives (the same token, the same id). */
void	secret_version_id(const char *token, char out[37]);

/* The same for a MySQL option file's group. */
int	mycnf_update(const char *text, size_t len, const struct conn *,
	    const char *group, int remove, struct buf *out, struct err *);

/* pgbouncer's auth_file: the line `"USER" "TOKEN"` for the connection's
 * user, '"' doubled; and the file with that line kept (in place of the
 * first for the user, the others dropped) or (remove) taken out, every
 * other line as it was. Fields longer than pgbouncer 1.17-1.25 takes
 * (as written, quotes doubled) are refused. */
#define PGBOUNCER_MAX_USER	127
#define PGBOUNCER_MAX_PASSWORD	2047
int	pgbouncer_line(const struct conn *, struct buf *, struct err *);
int	pgbouncer_update(const char *text, size_t len, const struct conn *,
	    int remove, struct buf *out, struct err *);

/* iamdb render's templates (the syntax: formats/template.c and iamdb(1)):
 * text with each placeholder replaced by a connection's field, escaped by
 * its filter; -1 (ERR_CONFIG, naming the line) for an unknown placeholder,
 * field, name or filter, or a value its filter cannot write, leaving out
 * as it was. A placeholder names its connection by name; with only one it
 * need not. */
struct template_conn {
	const char		*name;
	const struct conn	*conn;
};
int	template_render(const char *text, size_t len,
	    const struct template_conn *, size_t n, struct buf *out,
	    struct err *);

#endif
