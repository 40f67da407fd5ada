/*
 * A profile with role_arn: the role is assumed with credentials from its
 * source_profile (itself resolved the same way, to any depth, refusing
 * cycles) or its credential_source (Environment, Ec2InstanceMetadata,
 * EcsContainer), or, with web_identity_token_file, through
 * AssumeRoleWithWebIdentity. Results go through the on-disk cache, keyed
 * as the aws CLI keys them: by the role's own settings, so a cache hit
 * needs neither the source credentials nor the network.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "profile.h"
#include "sts.h"

struct assume {
	const char		*profile;
	struct profile_path	*path;
	struct sts_request	 rq;
	const char		*source_profile;
	const char		*credential_source;
	char			 session[64];
};

static int
has_static_keys(struct provider_ctx *ctx, const char *profile)
{
	return profile_setting(ctx, profile, "aws_access_key_id") != NULL;
}

static int
source_credentials(struct provider_ctx *ctx, struct assume *a,
    struct credentials *src, struct err *e)
{
	struct profile_path *path = a->path;
	const char *cs = a->credential_source;
	size_t i;
	int rc;

	if (cs != NULL) {
		if (strcmp(cs, "Environment") == 0)
			rc = env_credentials(ctx, src, e);
		else if (strcmp(cs, "Ec2InstanceMetadata") == 0)
			rc = imds_credentials(ctx, src, e);
		else if (strcmp(cs, "EcsContainer") == 0)
			rc = container_credentials(ctx, src, e);
		else
			return err_set(e, ERR_CONFIG, "profile %s: unknown "
			    "credential_source '%s' (expected Environment, "
			    "Ec2InstanceMetadata or EcsContainer)", a->profile,
			    cs);
		if (rc == 0)
			return err_set(e, ERR_CREDENTIALS, "profile %s: "
			    "credential_source %s has no credentials",
			    a->profile, cs);
		return rc == 1 ? 0 : -1;
	}

	if (!awsconfig_profile_exists(ctx->cfg, a->source_profile))
		return err_set(e, ERR_CONFIG, "profile %s: source_profile "
		    "'%s' does not exist", a->profile, a->source_profile);
	/* A profile may name itself as its source when it has keys. */
	if (strcmp(a->source_profile, a->profile) == 0 &&
	    !has_static_keys(ctx, a->profile))
		return err_set(e, ERR_CONFIG, "profile %s: source_profile "
		    "is itself but it has no static keys", a->profile);
	for (i = 0; i < path->n; i++)
		if (strcmp(path->names[i], a->source_profile) == 0 &&
		    strcmp(a->source_profile, a->profile) != 0) {
			struct buf chain = BUF_INIT;
			size_t j;

			for (j = 0; j < path->n; j++)
				buf_printf(&chain, "%s -> ", path->names[j]);
			buf_adds(&chain, a->source_profile);
			err_set(e, ERR_CONFIG, "source_profile cycle: %s",
			    buf_str(&chain));
			buf_free(&chain);
			return -1;
		}
	if (path->n >= sizeof(path->names) / sizeof(path->names[0]))
		return err_set(e, ERR_CONFIG, "profile %s: role chain deeper "
		    "than %zu", a->profile, path->n);

	/* As botocore: static keys of the source win over its role_arn. */
	if (strcmp(a->source_profile, a->profile) == 0 ||
	    has_static_keys(ctx, a->source_profile)) {
		const char *akid = profile_setting(ctx, a->source_profile,
		    "aws_access_key_id");
		const char *secret = profile_setting(ctx, a->source_profile,
		    "aws_secret_access_key");
		const char *token = profile_setting(ctx, a->source_profile,
		    "aws_session_token");

		if (secret == NULL)
			return err_set(e, ERR_CREDENTIALS, "profile %s has "
			    "aws_access_key_id but no aws_secret_access_key",
			    a->source_profile);
		src->access_key_id = xstrdup(akid);
		src->secret_access_key = xstrdup(secret);
		src->session_token = token ? xstrdup(token) : NULL;
		snprintf(src->source, sizeof(src->source), "profile %s",
		    a->source_profile);
		return 0;
	}
	rc = profile_credentials(ctx, a->source_profile, path, src, e);
	if (rc == 0)
		return err_set(e, ERR_CREDENTIALS, "profile %s: source_profile"
		    " %s has no credentials", a->profile, a->source_profile);
	return rc == 1 ? 0 : -1;
}

/* The terminal's settings while the MFA prompt hides what is typed, so
 * that a signal can put them back before the process goes. */
static struct termios tty_saved;
static volatile sig_atomic_t tty_fd = -1;

static void
tty_restore(int sig)
{
	if (tty_fd != -1)
		tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* An MFA code from --mfa-code, else asked for on the terminal, without
 * echo, as getpass(3) would. */
static int
mfa_code(struct provider_ctx *ctx, const char *serial, char *code,
    size_t len, struct err *e)
{
	struct sigaction sa, old_int, old_term, old_hup;
	struct termios quiet;
	char prompt[512];
	ssize_t n;
	int fd, hidden = 0;

	if (ctx->mfa_code != NULL) {
		snprintf(code, len, "%s", ctx->mfa_code);
		return 0;
	}
	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return err_set(e, ERR_CREDENTIALS, "role needs an MFA code "
		    "for %s: give --mfa-code (no terminal to ask on)", serial);
	if (tcgetattr(fd, &tty_saved) == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = tty_restore;
		sigaction(SIGINT, &sa, &old_int);
		sigaction(SIGTERM, &sa, &old_term);
		sigaction(SIGHUP, &sa, &old_hup);
		quiet = tty_saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tty_fd = fd;
		hidden = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	snprintf(prompt, sizeof(prompt), "Enter MFA code for %s: ", serial);
	if (write(fd, prompt, strlen(prompt)) < 0 ||
	    (n = read(fd, code, len - 1)) <= 0)
		n = -1;
	if (tty_fd != -1) {
		if (hidden) {
			tcsetattr(fd, TCSAFLUSH, &tty_saved);
			if (write(fd, "\n", 1) < 0) {
				/* only the prompt's line end is lost */
			}
		}
		tty_fd = -1;
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGHUP, &old_hup, NULL);
	}
	close(fd);
	if (n <= 0)
		return err_set(e, ERR_CREDENTIALS, "no MFA code was entered");
	code[n] = '\0';
	code[strcspn(code, "\r\n")] = '\0';
	return 0;
}

static int
fetch_assumed(struct provider_ctx *ctx, void *arg, struct credentials *c,
    struct err *e)
{
	struct assume *a = arg;
	struct credentials src;
	char code[64];
	int rc;

	memset(&src, 0, sizeof(src));
	a->path->names[a->path->n++] = a->profile;
	rc = source_credentials(ctx, a, &src, e);
	a->path->n--;
	if (rc == -1)
		return -1;
	if (src.expiration != 0 && src.expiration <= time(NULL)) {
		credentials_free(&src);
		return err_set(e, ERR_CREDENTIALS, "profile %s: the source "
		    "credentials have expired", a->profile);
	}
	if (a->rq.mfa_serial != NULL) {
		if (mfa_code(ctx, a->rq.mfa_serial, code, sizeof(code), e)) {
			credentials_free(&src);
			return -1;
		}
		a->rq.mfa_code = code;
	}
	provider_explain(ctx, "assume-role", "profile %s: AssumeRole %s with "
	    "credentials from %s", a->profile, a->rq.role_arn, src.source);
	rc = sts_assume_role(ctx, &a->rq, &src, c, e);
	wipe(code, sizeof(code));
	credentials_free(&src);
	if (rc == 0)
		snprintf(c->source, sizeof(c->source), "AssumeRole %s "
		    "(profile %s)", a->rq.role_arn, a->profile);
	return rc;
}

static int
duration(struct provider_ctx *ctx, const char *profile, long *out,
    struct err *e)
{
	const char *v = profile_setting(ctx, profile, "duration_seconds");
	char *end;
	long d;

	*out = 0;
	if (v == NULL)
		return 0;
	d = strtol(v, &end, 10);
	if (*end != '\0' || d < 900 || d > 43200)
		return err_set(e, ERR_CONFIG, "profile %s: duration_seconds "
		    "'%s' is not 900 to 43200", profile, v);
	*out = d;
	return 0;
}

int
assume_role_credentials(struct provider_ctx *ctx, const char *profile,
    struct profile_path *path, struct credentials *c, struct err *e)
{
	const char *token_file = profile_setting(ctx, profile,
	    "web_identity_token_file");
	const char *override = endpoint_override(ctx, "AWS_ENDPOINT_URL_STS");
	struct assume a;
	struct buf desc = BUF_INIT;
	const char *name;
	int rc;

	memset(&a, 0, sizeof(a));
	a.profile = profile;
	a.path = path;
	a.rq.role_arn = profile_setting(ctx, profile, "role_arn");
	a.source_profile = profile_setting(ctx, profile, "source_profile");
	a.credential_source = profile_setting(ctx, profile, "credential_source");
	if ((name = profile_setting(ctx, profile, "role_session_name")) == NULL) {
		snprintf(a.session, sizeof(a.session), "iamdb-%lld",
		    (long long)time(NULL));
		name = a.session;
	}
	a.rq.session_name = name;

	if (token_file != NULL)
		return web_identity_credentials(ctx, a.rq.role_arn,
		    profile_setting(ctx, profile, "role_session_name"), token_file, c, e);
	if (a.source_profile != NULL && a.credential_source != NULL)
		return err_set(e, ERR_CONFIG, "profile %s: source_profile and "
		    "credential_source are mutually exclusive", profile);
	if (a.source_profile == NULL && a.credential_source == NULL)
		return err_set(e, ERR_CONFIG, "profile %s: role_arn needs "
		    "source_profile, credential_source or "
		    "web_identity_token_file", profile);
	a.rq.external_id = profile_setting(ctx, profile, "external_id");
	a.rq.mfa_serial = profile_setting(ctx, profile, "mfa_serial");
	if (duration(ctx, profile, &a.rq.duration, e) == -1)
		return -1;

	buf_printf(&desc, "assume-role\nprofile=%s\nrole_arn=%s\n"
	    "session=%s\nexternal_id=%s\nmfa_serial=%s\nduration=%ld\n"
	    "source_profile=%s\ncredential_source=%s\nregion=%s\n"
	    "endpoint=%s\nconfig=%s\ncredentials=%s\n", profile,
	    a.rq.role_arn, profile_setting(ctx, profile, "role_session_name") ?
	    name : "", a.rq.external_id ? a.rq.external_id : "",
	    a.rq.mfa_serial ? a.rq.mfa_serial : "", a.rq.duration,
	    a.source_profile ? a.source_profile : "",
	    a.credential_source ? a.credential_source : "",
	    ctx->region ? ctx->region : "", override ? override : "",
	    ctx->cfg->config_path, ctx->cfg->credentials_path);
	rc = cached_credentials(ctx, buf_str(&desc), "assume-role",
	    fetch_assumed, &a, c, e);
	buf_free(&desc);
	return rc;
}
