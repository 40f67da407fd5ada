/* The command-line tool: the option tables, one file per command, and the
 * only place that turns errors into messages and exit codes. */
#ifndef IAMDB_HELPER_H
#define IAMDB_HELPER_H

#include <stddef.h>
#include <time.h>

#include "../common/err.h"
#include "../formats/formats.h"
#include "../formats/url.h"
#include "../providers/providers.h"
#include "../providers/redshift.h"
#include "../sigv4/dbtoken.h"
#include "opt.h"

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

/* Everything the command line can say; opt.h's tables point into it. */
struct args {
	const struct command	*cmd;
	int			 help;
	int			 verbose;
	/* AWS */
	const char		*profile;
	const char		*region;
	const char		*mfa_code;
	int			 no_cache;
	/* the connection */
	const char		*host;
	const char		*user;
	const char		*engine;
	const char		*database;
	const char		*ca_bundle;
	const char		*sslmode;
	const char		*cluster;	/* the store's name; Redshift's */
	int			 serverless;
	const char		*workgroup;
	const char		*db_groups;
	int			 auto_create;
	struct optnum		 port;
	struct optnum		 expires;
	struct opttime		 signing_time;
	/* commands' own */
	const char		*format;
	const char		*file;
	const char		*group;
	const char		*keys;
	const char		*endpoint;
	struct optnum		 skew;
	int			 remove;
	int			 watch;
	int			 cleartext_plugin;
	int			 no_refresh;
	int			 from_stdin;
	int			 explain;
	int			 refresh;
	/* setup */
	const char		*account;
	const char		*resource_id;
	const char		*vpc_cidr;
	const char		*master;
	const char		*apply;		/* setup --apply ADMIN_URL */
	const char		*admin_auth;	/* client, iam */
	int			 describe;
	struct optnum		 timeout;
	const char		*role_arn;	/* eks */
	int			 kubeconfig;	/* eks */
	const char		*pidfile;
	const char		*signal_name;
	const char		*template_path;
	const char		*out_path;
	const char		*on_change;
	struct optlist		 secrets;	/* serve --secret NAME=URL */
	const char		*listen;	/* serve */
	const char		*token_file;	/* serve */
	const char		*credential_socket;	/* serve */
	/* operands */
	char			*operands[16];
	size_t			 noperands;
	char			**rest;		/* after "--" */
	/* the options given, in the order first seen */
	const struct opt	*given[64];
	size_t			 ngiven;
};

/* The shared tables: AWS options (profile, region, MFA, cache), the
 * connection's, and -v. */
extern const struct opt opts_aws[];
extern const struct opt opts_conn[];
extern const struct opt opts_store[];	/* --cluster */
extern const struct opt opts_serverless[];	/* --serverless */
extern const struct opt opts_verbose[];
extern const struct opt opts_file[];	/* --file, --remove, --watch */
extern const struct opt opts_redshift[];	/* --cluster, --workgroup, ... */
/* Lists of those groups, for a command's groups to include (options.c). */
extern const struct optgroup optgroups_target[];	/* every store's */
extern const struct optgroup optgroups_conn[];	/* a database's */
extern const struct optgroup optgroups_aws[];	/* AWS, Diagnostics */
/* Checks of option values that more than one table uses. */
int	check_engine(const char *, struct err *);
void	engine_names(struct buf *);	/* for completion */
int	check_endpoint(const char *, struct err *);

/* Messages: "iamdb: ..." on standard error. */
extern int verbose;
extern int stdout_closed;	/* fd 1 was closed when iamdb started */

void	warnf(const char *, ...) __attribute__((format(printf, 1, 2)));
/* One line, or each line of text, on standard error after prefix, with
 * control characters and invalid UTF-8 escaped (common/vis.h). */
void	print_line(const char *prefix, const char *msg);
void	print_lines(const char *prefix, const char *text);

/* provider_ctx's mfa_prompt for the command line: the code for device
 * serial, asked for on /dev/tty without echo (mfa.c). */
int	mfa_prompt(const char *serial, char *code, size_t len, struct err *);
/* Prints each line of w as a warning, once, and empties it. */
void	warnings_print(struct buf *w);
/* Prints the message and returns the exit code for its kind. */
int	fail(const struct err *);
/* The same for a usage error of command cmd (NULL: iamdb itself). */
int	usage_fail(const char *cmd, const struct err *);
int	usage_error(const char *cmd, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* What every token-producing command signs for. */
struct target {
	const struct service	*service;
	const char		*host;
	unsigned		 port;
	const char		*user;
	const char		*name;		/* signed for: the cache, the
					   EKS cluster (NULL for RDS) */
	int			 serverless;
	const char		*region;
	const char		*profile;
	const char		*mfa_code;
	int			 no_cache;
	long			 expires;
	time_t			 when;
	int			 fixed_time;	/* --signing-time given */
	const char		*database;
	const char		*ca_bundle;
	const char		*sslmode;
	struct url_param	*params;	/* the URL's, for the outputs */
	size_t			 nparams;
	struct dburl		 url;		/* the URL, when one was given */
	char			*name_buf;
	char			*host_buf;
	char			*bare_buf;
	char			*ca_path;	/* the fetched CA bundle's path */
	struct redshift_request	 redshift;	/* when service->login_api */
	char			*cluster_buf;
	char			*groups_buf;
	const char		**groups;
};

/* The target from the options and the URL operand (options win over the
 * URL's parts); checks that host and user are there and fills the
 * defaults. fallback names the engine when neither says one. */
int	target_from_args(struct target *, const struct args *,
	    const char *fallback, struct err *);
/* The same with url (NULL: none) in place of a's operands: for commands
 * that take several URLs, or URLs in option values. */
int	target_from_url(struct target *, const struct args *, const char *url,
	    const char *fallback, struct err *);
/* target_from_args for command a->cmd, which makes output (OUT_*): -1
 * also when the target's kind of store has no such output. */
int	target_for(struct target *, const struct args *, unsigned output,
	    struct err *);
void	target_free(struct target *);

/* Region and credentials for a command, with -v's account of them. */
struct session {
	struct awsconfig	cfg;
	struct provider_ctx	ctx;
	struct region		region;
	struct credentials	creds;
	struct redshift_login	login;		/* Redshift's answer */
};

/* Resolves the region (required when a host is being signed for) and
 * the credentials, printing -v's account of them. */
int	session_open(struct session *, const struct target *,
	    int region_required, struct err *);
void	session_close(struct session *);

/* Resolves credentials and region, signs, and fills c (pointing into t,
 * s and token). With want_ca, sslrootcert comes from --ca-bundle,
 * IAMDB_CA_BUNDLE or the verified RDS bundle (fetched on first use); DSQL
 * uses "system". */
/* The connection's parts (host, port, database, TLS) into c, without a
 * token: what conn_sign does after signing. */
int	conn_fill(struct target *, struct conn *, const char *region,
	    int want_ca, struct err *);
/* The real client library's login for c (its token as the password;
 * NULL: the library's own sources), as doctor and setup --apply make it. */
struct dbprobe;
void	conn_probe(const struct conn *, long timeout, struct dbprobe *);
int	conn_open(struct target *, struct session *, struct buf *token,
	    struct conn *c, int want_ca, struct err *);
/* conn_open's part after session_open. */
int	conn_sign(struct target *, struct session *, struct buf *token,
	    struct conn *c, int want_ca, struct err *);
void	conn_close(struct session *, struct buf *token);
/* conn_open, then writes to standard output what format makes of the
 * connection; what names the output in messages. */
typedef int (*conn_format)(const struct conn *, void *, struct buf *,
	    struct err *);
int	conn_print(struct target *, const char *what, int want_ca,
	    conn_format, void *arg);

/* A command that prints what format makes of the connection (token,
 * json, env, uri): target_for, check (NULL: none) for what the target
 * makes of the other arguments, then conn_print with the arguments as
 * format's arg. want_ca is conn_open's, but no CA bundle is sought for
 * clients that take none (kubectl, Kafka). The exit code. */
struct printer {
	unsigned	 output;	/* OUT_* */
	const char	*what;		/* names the output in messages */
	int		 want_ca;
	int		(*check)(const struct target *, const struct args *,
			    struct err *);
	conn_format	 format;
};
int	printer_run(struct args *, const struct printer *);

/* For iamdb processes that stay to refresh tokens: no core dump, not
 * dumpable (no ptrace or /proc/PID/mem by the user's other processes). */
int	process_private(struct err *);

/* Sends sig to the process whose pid is on the first line of pidfile:
 * 0 with *sent set, or clear when there is no such file or process (the
 * daemon is not running: it reads its files when it starts); -1
 * otherwise. */
int	signal_pidfile(const char *pidfile, int sig, int *sent, struct err *);

/* When to make a token again: when it (or the credentials that signed it,
 * running out at expires_at) is due for renewal (renew_at), and never in
 * a tight loop. lifetime is how long tokens are made for. */
time_t	refresh_time(time_t expires_at, long lifetime);

/* What pgpass and mycnf differ in; file_command does the rest: write the
 * entry once, or keep it fresh with --watch, or --remove it. */
struct file_kind {
	const char	*name;		/* the command */
	const char	*engine;	/* when neither URL nor --engine says */
	unsigned	 output;	/* OUT_PGPASS, ... */
	int		 want_ca;
	char		*(*default_path)(void);
	int		(*update)(const char *old, size_t len,
			    const struct args *, const struct conn *,
			    struct buf *out, struct err *);
	unsigned	 file_flags;	/* secret_file_update_flags' */
	/* After each write: tell the reader (NULL: nothing to do). */
	int		(*after)(const struct args *, struct err *);
};
int	file_command(struct args *, const struct file_kind *);

/* What a command that stays with --watch does each round: write its file
 * once, *expires_at set to when what it wrote runs out. */
typedef int (*watch_once)(void *arg, time_t *expires_at, struct err *);
/* Runs once, and with watch again before each result runs out, until
 * SIGTERM, SIGINT or SIGHUP; a failed round is retried while the last
 * result is good. path names the file in messages. The exit code. */
int	watch_run(int watch, const char *path, long lifetime, watch_once,
	    void *arg);

/* exec's private directory (exec_files.c): a password file for libpq,
 * or for MySQL an option file for each family in its own spelling, since
 * each warns about the other's: Oracle's clients read $MYSQL_HOME/my.cnf,
 * MariaDB's $MARIADB_HOME/my.cnf instead when that is set. */
struct private_files {
	char	*dir;
	char	*sub;			/* MARIADB_HOME, or NULL */
	char	*file[3];		/* NULL-terminated */
	char	*vars[3];		/* the variables naming them */
	int	 mysql;
	int	 lock;			/* held while the supervisor lives */
};
/* Makes a new private directory with the files of c in it, after removing
 * those that killed supervisors left behind. */
int	private_open(struct private_files *, const struct conn *, struct err *);
/* Writes the files again, with c's token. */
int	private_write(struct private_files *, const struct conn *,
	    struct err *);
/* --no-refresh for MySQL: the clients have no variable for the user or
 * TLS, so they get the option files all the same, without the password
 * (MYSQL_PWD has it), in a directory named for what they hold, which the
 * next run for the same connection reuses. Nothing secret stays behind. */
int	settings_open(struct private_files *, const struct conn *,
	    struct err *);
/* Removes the files and the directory, and frees p. */
void	private_close(struct private_files *);
/* Frees p, leaving the files. */
void	private_free(struct private_files *);

extern const struct command cmd_token, cmd_credentials, cmd_json, cmd_env,
    cmd_exec, cmd_pgpass, cmd_mycnf, cmd_uri, cmd_ca, cmd_inspect, cmd_eks,
    cmd_verify, cmd_setup, cmd_doctor, cmd_pgbouncer, cmd_summon,
    cmd_render, cmd_serve, cmd_help, cmd_completion;
extern const struct command *const commands[];
extern const size_t ncommands;

/* The token on standard input: up to a NUL (pam_exec) or EOF, at most
 * 8 KiB, without trailing line ends. */
int	read_token_stdin(struct buf *);

#endif
