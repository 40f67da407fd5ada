/* The command-line tool: argument parsing, one file per subcommand, and the
 * only place that turns errors into messages and exit codes. */
#ifndef IAMDB_HELPER_H
#define IAMDB_HELPER_H

#include <time.h>

#include "../common/err.h"
#include <getopt.h>

#include "../formats/formats.h"
#include "../providers/providers.h"
#include "../sigv4/dbtoken.h"

/* Exit codes, documented in iamdb(1). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
	EXIT_CONFIG = 3,
	EXIT_CREDENTIALS = 4,
	EXIT_NETWORK = 5,
	EXIT_IO = 6
};

extern int verbose;
extern int stdout_closed;	/* fd 1 was closed when iamdb started */

void	warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Prints the message and returns the exit code for its kind. */
int	fail(const struct err *);
int	usage_error(const char *cmd, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* What every token-producing subcommand needs to know. */
struct target {
	const char	*host;
	unsigned	 port;		/* 0: from the engine */
	const char	*user;
	const char	*engine_name;
	enum db_engine	 engine;
	const char	*region;
	const char	*profile;
	const char	*mfa_code;
	int		 no_cache;
	long		 expires;
	time_t		 when;
	int		 fixed_time;	/* --signing-time given */
	const char	*database;
	const char	*ca_bundle;
	const char	*sslmode;
	char		*url_buf;	/* what a connection URL was cut into */
	char		*ca_path;	/* the fetched CA bundle's path */
};

/* Target options for getopt_long, and a handler for them: returns 1 when
 * opt was a target option, 0 when not, -1 (after a message) when its
 * value was bad. */
#define AUTH_OPTIONS							\
	{ "region",		required_argument, NULL, 'R' },		\
	{ "profile",		required_argument, NULL, 'F' },		\
	{ "mfa-code",		required_argument, NULL, 'M' },		\
	{ "no-cache",		no_argument,	   NULL, 'N' },		\
	{ "verbose",		no_argument,	   NULL, 'v' }
#define TARGET_OPTIONS							\
	AUTH_OPTIONS,							\
	{ "host",		required_argument, NULL, 'H' },		\
	{ "port",		required_argument, NULL, 'P' },		\
	{ "user",		required_argument, NULL, 'U' },		\
	{ "engine",		required_argument, NULL, 'E' },		\
	{ "expires",		required_argument, NULL, 'X' },		\
	{ "signing-time",	required_argument, NULL, 'T' },		\
	{ "database",		required_argument, NULL, 'D' },		\
	{ "ca-bundle",		required_argument, NULL, 'C' },		\
	{ "sslmode",		required_argument, NULL, 'S' }
void	target_init(struct target *);
int	target_option(struct target *, const char *cmd, int opt,
	    const char *arg);
/* Checks that host and user are there and fills the defaults. */
int	target_finish(struct target *, const char *cmd);
/* Takes postgres://user@host:port/db, mysql://... or dsql://... ; options
 * given separately win over the URL's parts. */
int	target_url(struct target *, const char *cmd, const char *url);
void	target_free(struct target *);

/* Parses a command's arguments: the target options, the command's own
 * (handled by own(), which returns 1 when it took the option), at most one
 * connection URL, and, when rest is not NULL, everything after "--". */
int	target_args(struct target *, const char *cmd, const char *usage,
	    int argc, char **argv, const struct option *own_options,
	    int (*own)(void *, int, const char *), void *arg, char ***rest);



/* Region and credentials for a command, with -v's account of them. */
struct session {
	struct awsconfig	cfg;
	struct provider_ctx	ctx;
	struct region		region;
	struct credentials	creds;
};

/* Resolves the region (required when a host is being signed for) and
 * the credentials. Returns an exit code, having printed any error. */
int	session_open(struct session *, const struct target *,
	    int region_required);
void	session_close(struct session *);

/* Resolves credentials and region, signs, and fills c (pointing into t,
 * s and token). With want_ca, sslrootcert comes from --ca-bundle,
 * IAMDB_CA_BUNDLE or the verified RDS bundle (fetched on first use); DSQL
 * uses "system". A .pgpass line has no place for it. */
int	conn_open(struct target *, struct session *, struct buf *token,
	    struct conn *c, int want_ca);
void	conn_close(struct session *, struct buf *token);
/* conn_open, then writes to standard output what format makes of the
 * connection; what names the output in messages. */
int	conn_print(struct target *, const char *what, int want_ca,
	    void (*format)(const struct conn *, void *, struct buf *),
	    void *arg);

int	cmd_token(int, char **);
int	cmd_credentials(int, char **);
int	cmd_json(int, char **);
int	cmd_env(int, char **);
int	cmd_exec(int, char **);
int	cmd_pgpass(int, char **);
int	cmd_mycnf(int, char **);
int	cmd_uri(int, char **);
int	cmd_ca(int, char **);
int	cmd_inspect(int, char **);
int	cmd_verify(int, char **);

/* The token on standard input: up to a NUL (pam_exec) or EOF, at most
 * 8 KiB, without trailing line ends. */
int	read_token_stdin(struct buf *);
/* HOST:PORT or [V6]:PORT. */
int	parse_endpoint(const char *, char **host, unsigned *port);

#endif
