/* Web identity (EKS IRSA, GitHub Actions, ...): a token file and a role,
 * exchanged by AssumeRoleWithWebIdentity, which needs no credentials. From
 * AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN and AWS_ROLE_SESSION_NAME, or a
 * profile's web_identity_token_file, role_arn and role_session_name. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "profile.h"
#include "sts.h"

char *
read_secret_file(const char *path, size_t max, const char *what,
    struct err *e)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	ssize_t n;
	size_t start = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		err_set(e, ERR_CREDENTIALS, "%s %s: %s", what, path,
		    strerror(errno));
		return NULL;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 || b.len + (size_t)n > max) {
			err_set(e, ERR_CREDENTIALS, "%s %s: %s", what, path,
			    n == -1 ? strerror(errno) : "too large");
			close(fd);
			buf_free(&b);
			wipe(chunk, sizeof(chunk));
			return NULL;
		}
		buf_add(&b, chunk, (size_t)n);
	}
	close(fd);
	wipe(chunk, sizeof(chunk));
	while (b.len > 0 && strchr(" \t\r\n", b.data[b.len - 1]) != NULL)
		b.data[--b.len] = '\0';
	while (start < b.len && strchr(" \t\r\n", b.data[start]) != NULL)
		start++;
	if (start == b.len) {
		err_set(e, ERR_CREDENTIALS, "%s %s is empty", what, path);
		buf_free(&b);
		return NULL;
	}
	{
		char *s = xstrdup(b.data + start);

		buf_free(&b);
		return s;
	}
}

struct web_identity {
	struct sts_request	 rq;
	const char		*token_file;
};

static int
fetch_web_identity(struct provider_ctx *ctx, void *arg,
    struct credentials *c, struct err *e)
{
	struct web_identity *w = arg;
	char *token;
	int rc;

	if ((token = read_secret_file(w->token_file, 64 * 1024,
	    "web identity token file", e)) == NULL)
		return -1;
	w->rq.web_identity_token = token;
	rc = sts_assume_role_with_web_identity(ctx, &w->rq, c, e);
	wipe_str(token);
	if (rc == 0)
		snprintf(c->source, sizeof(c->source), "AssumeRoleWithWeb"
		    "Identity %s", w->rq.role_arn);
	return rc;
}

int
web_identity_credentials(struct provider_ctx *ctx, const char *role_arn,
    const char *session_name, const char *token_file,
    struct credentials *c, struct err *e)
{
	const char *override = endpoint_override(ctx, "AWS_ENDPOINT_URL_STS");
	struct web_identity w;
	struct buf desc = BUF_INIT;
	char session[64];
	int rc;

	memset(&w, 0, sizeof(w));
	if (role_arn == NULL)
		return err_set(e, ERR_CONFIG, "web identity token file %s "
		    "needs a role ARN", token_file);
	if (session_name == NULL) {
		snprintf(session, sizeof(session), "iamdb-%lld",
		    (long long)time(NULL));
		session_name = session;
	}
	w.rq.role_arn = role_arn;
	w.rq.session_name = session_name;
	w.token_file = token_file;
	buf_printf(&desc, "web-identity\nrole_arn=%s\nsession=%s\n"
	    "token_file=%s\nregion=%s\nendpoint=%s\n", role_arn,
	    session_name == session ? "" : session_name, token_file,
	    ctx->region ? ctx->region : "", override ? override : "");
	rc = cached_credentials(ctx, buf_str(&desc), "web identity",
	    fetch_web_identity, &w, c, e);
	buf_free(&desc);
	return rc;
}

static int
web_identity_get(struct provider_ctx *ctx, struct credentials *c,
    struct err *e)
{
	const char *file = env_nonempty("AWS_WEB_IDENTITY_TOKEN_FILE");
	const char *role = env_nonempty("AWS_ROLE_ARN");

	if (file == NULL || role == NULL) {
		provider_explain(ctx, "web identity", "%s is not set", file ?
		    "AWS_ROLE_ARN" : "AWS_WEB_IDENTITY_TOKEN_FILE");
		return 0;
	}
	return web_identity_credentials(ctx, role,
	    env_nonempty("AWS_ROLE_SESSION_NAME"), file, c, e) == 0 ? 1 : -1;
}

const struct provider provider_web_identity = {
	"web identity", web_identity_get
};
