/*
 * iamdb serve: a local Secrets Manager for programs that read their
 * database password from one. It speaks the AWS Secrets Manager Agent's
 * API (GET /secretsmanager/get?secretId=NAME and /v1/NAME, with the
 * X-Aws-Parameters-Secrets-Token header) and Secrets Manager's own
 * GetSecretValue (POST /, JSON 1.1, SigV4-signed with the credentials
 * iamdb itself resolved), and answers with an RDS-style secret whose
 * password is a fresh IAM token. Tokens are made from cached credentials
 * and reused until they are due for renewal: no STS call per request.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "../common/fileio.h"
#include "../common/jsonout.h"
#include "../common/timeutil.h"
#include "../common/vis.h"
#include "../providers/http.h"
#include "../providers/profile.h"
#include "../sigv4/service.h"
#include "../sigv4/sigv4.h"
#include "helper.h"
#include "httpd.h"

#define SSRF_HEADER	"X-Aws-Parameters-Secrets-Token"

/* One --secret: its name and connection, and the token made last. */
struct secret {
	const char	*name;
	char		*url;
	struct target	 t;
	struct session	 s;
	struct buf	 token;
	struct conn	 c;
	time_t		 renew;		/* 0: none made yet */
	char		*arn;
};

struct server {
	struct secret	 secrets[OPT_LIST_MAX];
	size_t		 n;
	char		*ssrf;		/* the agent API's token */
	struct session	 own;		/* the credentials requests are
					   signed with */
	time_t		 own_renew;
	const char	*region;	/* what SDK requests are signed for */
	const struct args *a;
	/* The HTTP thread and the credential socket's take turns. */
	pthread_mutex_t	 lock;
	int		 cred_fd;	/* --credential-socket, or -1 */
	pthread_t	 cred_thread;
};

/* Whether a header carries the agent API's token: compared in constant
 * time, as a secret is. */
static int
token_ok(const char *sent, const char *want)
{
	size_t n = strlen(want);

	return sent != NULL && strlen(sent) == n &&
	    CRYPTO_memcmp(sent, want, n) == 0;
}

/* The agent's and the extension's rule: --token-file's contents, else
 * $AWS_TOKEN, else $AWS_SESSION_TOKEN. */
static char *
ssrf_token(const struct args *a, struct err *e)
{
	const char *v;

	if (a->token_file != NULL)
		return read_secret_file(a->token_file, 4096,
		    "--token-file", e);
	if ((v = env_nonempty("AWS_TOKEN")) != NULL ||
	    (v = env_nonempty("AWS_SESSION_TOKEN")) != NULL)
		return xstrdup(v);
	err_set(e, ERR_USAGE, "no token for the %s header: give --token-file, "
	    "or set AWS_TOKEN", SSRF_HEADER);
	return NULL;
}

/* The secret's connection with a token good for minutes ahead. */
static int
fresh(struct secret *s, struct err *e)
{
	time_t now = time(NULL);

	if (s->renew != 0 && now < s->renew)
		return 0;
	conn_close(&s->s, &s->token);
	s->renew = 0;
	s->t.when = now;
	if (conn_open(&s->t, &s->s, &s->token, &s->c, 1, e) == -1)
		return -1;
	s->renew = renew_at(s->c.expires_at, s->c.lifetime);
	if (s->arn == NULL) {
		const char *r = s->s.region.name ? s->s.region.name :
		    "us-east-1";
		struct buf b = BUF_INIT;

		buf_printf(&b, "arn:%s:secretsmanager:%s:000000000000:secret:%s",
		    partition_name(r), r, s->name);
		s->arn = b.data;
	}
	return 0;
}

/* A secret by its name, or by an ARN that names it (Secrets Manager's end
 * in NAME-XXXXXX, six characters it adds). */
static struct secret *
find(struct server *sv, const char *id)
{
	const char *p;
	size_t i, n;

	for (i = 0; id != NULL && i < sv->n; i++) {
		const char *name = sv->secrets[i].name;

		if (strcmp(name, id) == 0)
			return &sv->secrets[i];
		if (strncmp(id, "arn:", 4) != 0 ||
		    (p = strstr(id, ":secret:")) == NULL)
			continue;
		p += 8;
		n = strlen(name);
		if (strncmp(p, name, n) == 0 && (p[n] == '\0' ||
		    (p[n] == '-' && strlen(p + n + 1) == 6)))
			return &sv->secrets[i];
	}
	return NULL;
}

static const char not_found[] = "Secrets Manager can't find the specified "
    "secret.";

/* An error of Secrets Manager's JSON protocol (key "Message"), or as the
 * agent passes one on (key "message", no Content-Type). */
static void
aws_error(struct httpd_response *rs, int agent, const char *code,
    const char *msg)
{
	json_t *o = json_pack("{s:s, s:s}", "__type", code, agent ? "message" :
	    "Message", msg);

	buf_reset(&rs->body);
	rs->status = 400;
	if (agent)
		rs->no_type = 1;
	else {
		rs->content_type = "application/x-amz-json-1.1";
		rs->amzn_error = code;
	}
	if (o == NULL || jsonout_text(o, JSON_COMPACT, &rs->body) == -1)
		buf_adds(&rs->body, "{}");
	json_decref(o);
}

static void
plain(struct httpd_response *rs, int status, const char *msg)
{
	rs->status = status;
	rs->no_type = 1;
	buf_adds(&rs->body, msg);
}

/* The secret's GetSecretValue answer; for the agent, CreatedDate as its
 * string of seconds, and no Content-Type. stage and version, when given,
 * must be the current one's. */
static void
answer(struct server *sv, const char *id, const char *stage,
    const char *version, int agent, struct httpd_response *rs)
{
	struct secret *s = find(sv, id);
	struct err e = { 0 };
	char current[37];

	if (s == NULL || (stage != NULL && strcmp(stage, "AWSCURRENT") != 0)) {
		aws_error(rs, agent, "ResourceNotFoundException", not_found);
		return;
	}
	if (fresh(s, &e) == -1) {
		/* Told once, here; the client learns only that it failed. */
		warnf("serve: secret %s: %s", s->name, e.msg);
		aws_error(rs, agent, "InternalFailure", "iamdb could not make "
		    "a token for this secret (see iamdb serve's log)");
		rs->status = 500;
		return;
	}
	secret_version_id(s->c.token, current);
	if (version != NULL && strcmp(version, current) != 0) {
		aws_error(rs, agent, "ResourceNotFoundException", not_found);
		return;
	}
	if (secret_value_json(&s->c, s->name, s->arn, agent, &rs->body,
	    &e) == -1) {
		warnf("serve: secret %s: %s", s->name, e.msg);
		aws_error(rs, agent, "InternalFailure", "");
		rs->status = 500;
		return;
	}
	rs->status = 200;
	if (agent)
		rs->no_type = 1;	/* as the agent sends it */
	else
		rs->content_type = "application/x-amz-json-1.1";
}

static const char *
header_of(void *arg, const char *name)
{
	return httpd_header(arg, name);
}

/* The credentials SDK requests must be signed with: iamdb's own, from the
 * first secret's profile, renewed as they near their end. */
static int
own_credentials(struct server *sv, time_t now, struct err *e)
{
	if (sv->own_renew != 0 && now < sv->own_renew)
		return 0;
	session_close(&sv->own);
	sv->own_renew = 0;
	if (session_open(&sv->own, &sv->secrets[0].t, 0, e) == -1)
		return -1;
	sv->own_renew = sv->own.creds.has_expiration ?
	    renew_at(sv->own.creds.expiration, 0) : now + 300;
	return 0;
}

/* GetSecretValue through Secrets Manager's own API (JSON 1.1, SigV4), as
 * an SDK whose endpoint is iamdb calls it. */
static void
sdk(struct server *sv, const struct httpd_request *rq,
    struct httpd_response *rs)
{
	const char *type = httpd_header(rq, "Content-Type");
	struct sigv4_credentials cr;
	struct sigv4_signed sg;
	struct sigv4_check chk;
	struct err e = { 0 };
	json_t *body, *id;
	time_t now = time(NULL);

	if (own_credentials(sv, now, &e) == -1) {
		warnf("serve: credentials: %s", e.msg);
		aws_error(rs, 0, "InternalFailure", "iamdb has no credentials "
		    "to check the signature with");
		rs->status = 500;
		return;
	}
	cr.access_key_id = sv->own.creds.access_key_id;
	cr.secret_access_key = sv->own.creds.secret_access_key;
	cr.session_token = sv->own.creds.session_token;
	memset(&sg, 0, sizeof(sg));
	sg.method = rq->method;
	sg.path = rq->path;
	sg.authorization = httpd_header(rq, "Authorization");
	sg.header = header_of;
	sg.arg = (void *)rq;
	sg.body = rq->body;
	sg.body_len = rq->body_len;
	if (sigv4_verify(&sg, &cr, "secretsmanager", now, &chk) == -1) {
		aws_error(rs, 0, chk.code, chk.message);
		return;
	}
	if (sv->region != NULL && strcmp(chk.region, sv->region) != 0) {
		aws_error(rs, 0, "InvalidSignatureException", "Credential "
		    "should be scoped to a valid region.");
		return;
	}
	if (strcmp(httpd_header(rq, "X-Amz-Target"),
	    "secretsmanager.GetSecretValue") != 0) {
		aws_error(rs, 0, "UnknownOperationException", "");
		return;
	}
	if (type == NULL || strncmp(type, "application/x-amz-json-1.1", 26) != 0
	    || (type[26] != '\0' && type[26] != ';')) {
		aws_error(rs, 0, "InvalidRequestException", "Content-Type is "
		    "not application/x-amz-json-1.1");
		return;
	}
	body = json_loadb(rq->body, rq->body_len, 0, NULL);
	id = json_object_get(body, "SecretId");
	if (!json_is_string(id) || json_string_length(id) < 1 ||
	    json_string_length(id) > 2048)
		aws_error(rs, 0, "InvalidParameterException", "SecretId is "
		    "required, 1 to 2048 characters");
	else
		answer(sv, json_string_value(id), json_string_value(
		    json_object_get(body, "VersionStage")), json_string_value(
		    json_object_get(body, "VersionId")), 0, rs);
	json_decref(body);
}

/* The AWS Secrets Manager Agent's API, in its order of checks. */
static void
agent(struct server *sv, const struct httpd_request *rq,
    struct httpd_response *rs, const char **name)
{
	static const char *const get_params[] = {
		"secretId", "versionId", "versionStage", "refreshNow", NULL
	};
	const char *token = httpd_header(rq, SSRF_HEADER);
	const char *vault = httpd_header(rq, "X-Vault-Token");
	const char *bad, *refresh;
	int path_style = strncmp(rq->path, "/v1/", 4) == 0;

	if (strcmp(rq->path, "/ping") != 0) {
		if (httpd_header(rq, "X-Forwarded-For") != NULL) {
			plain(rs, 400, "Forwarded");
			return;
		}
		if (!token_ok(token, sv->ssrf) && !token_ok(vault, sv->ssrf)) {
			plain(rs, 403, "Bad Token");
			return;
		}
	}
	if (strcmp(rq->method, "GET") != 0) {
		plain(rs, 405, "Not allowed");
		return;
	}
	if (strcmp(rq->path, "/ping") == 0) {
		plain(rs, 200, "healthy");
		return;
	}
	if (!path_style && strcmp(rq->path, "/secretsmanager/get") != 0) {
		plain(rs, 404, "Not found");
		return;
	}
	if ((bad = httpd_query_other(rq, get_params + path_style)) != NULL) {
		struct buf m = BUF_INIT;

		buf_adds(&m, "unknown parameter: ");
		vis_add(&m, bad, strlen(bad));
		plain(rs, 400, buf_str(&m));
		buf_free(&m);
		return;
	}
	*name = path_style ? rq->path + 4 : httpd_query(rq, "secretId");
	if (*name == NULL || **name == '\0') {
		plain(rs, 400, path_style ? "missing secret ID" :
		    "missing parameter secretId");
		return;
	}
	refresh = httpd_query(rq, "refreshNow");
	if (refresh != NULL && strcasecmp(refresh, "true") != 0 &&
	    strcasecmp(refresh, "false") != 0 && strcmp(refresh, "1") != 0 &&
	    strcmp(refresh, "0") != 0) {
		plain(rs, 400, "invalid refreshNow value");
		return;
	}
	answer(sv, *name, httpd_query(rq, "versionStage"),
	    httpd_query(rq, "versionId"), 1, rs);
}

static void
handle(void *arg, const struct httpd_request *rq, struct httpd_response *rs)
{
	struct server *sv = arg;
	const char *name = NULL;
	struct buf line = BUF_INIT;

	pthread_mutex_lock(&sv->lock);
	if (!rq->loopback)
		plain(rs, 403, "Forbidden: not a loopback client");
	else if (strcmp(rq->method, "POST") == 0 &&
	    strcmp(rq->path, "/") == 0 &&
	    httpd_header(rq, "X-Amz-Target") != NULL)
		sdk(sv, rq, rs);
	else
		agent(sv, rq, rs, &name);
	/* One line a request; names as escaped text, never a value. */
	if (verbose || rs->status >= 400) {
		vis_add(&line, rq->method, strlen(rq->method));
		buf_addc(&line, ' ');
		vis_add(&line, rq->path, strlen(rq->path));
		if (name != NULL) {
			buf_adds(&line, " secret ");
			vis_add(&line, name, strlen(name));
		}
		warnf("serve: %s: %d", buf_str(&line), rs->status);
		buf_free(&line);
	}
	pthread_mutex_unlock(&sv->lock);
}

/*
 * systemd's LoadCredential=ID:PATH, with PATH this AF_UNIX stream socket:
 * systemd (247 and later) connects from an abstract address that ends in
 * /unit/UNIT/ID, reads until EOF, and puts what it read in the unit's
 * credentials directory, once, when the unit starts. The answer is the
 * token of the secret named ID; for anyone else, or another ID, nothing.
 */
static const char *
credential_id(const struct sockaddr_un *sa, socklen_t len)
{
	static char id[sizeof(sa->sun_path) + 1];
	size_t n = len > offsetof(struct sockaddr_un, sun_path) ?
	    len - offsetof(struct sockaddr_un, sun_path) : 0;
	const char *p, *slash;

	if (n < 2 || sa->sun_path[0] != '\0')
		return NULL;
	memcpy(id, sa->sun_path + 1, n - 1);
	id[n - 1] = '\0';
	if ((p = strstr(id, "/unit/")) == NULL ||
	    (slash = strchr(p + 6, '/')) == NULL || slash[1] == '\0')
		return NULL;
	return slash + 1;
}

static void *
credential_socket(void *arg)
{
	struct server *sv = arg;
	struct sockaddr_un peer;
	socklen_t len;
	struct secret *s;
	struct err e = { 0 };
	const char *id;
	int fd;

	for (;;) {
		len = sizeof(peer);
		if ((fd = accept(sv->cred_fd, (struct sockaddr *)&peer,
		    &len)) == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return NULL;	/* shut down */
		}
		pthread_mutex_lock(&sv->lock);
		id = credential_id(&peer, len);
		if ((s = find(sv, id)) == NULL) {
			struct buf m = BUF_INIT;

			vis_add(&m, id ? id : "(no systemd address)",
			    strlen(id ? id : "(no systemd address)"));
			warnf("serve: credential socket: %s: no such secret",
			    buf_str(&m));
			buf_free(&m);
		} else if (fresh(s, &e) == -1)
			warnf("serve: secret %s: %s", s->name, e.msg);
		else if (write_all(fd, s->c.token, strlen(s->c.token)) == -1)
			warnf("serve: credential socket: %s", strerror(errno));
		else if (verbose)
			warnf("serve: credential %s given to systemd", s->name);
		pthread_mutex_unlock(&sv->lock);
		close(fd);
	}
}

/* Listens on path, 0600; refuses to take the place of anything but a
 * socket of ours that nobody listens on. */
static int
credential_listen(struct server *sv, const char *path, struct err *e)
{
	struct sockaddr_un sa;
	struct stat st;
	mode_t old;
	int fd, rc;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path))
		return err_set(e, ERR_USAGE, "--credential-socket: the path is "
		    "too long for a socket");
	memcpy(sa.sun_path, path, strlen(path));
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode) || st.st_uid != geteuid())
			return err_set(e, ERR_IO, "%s exists and is not a socket "
			    "of ours: not replacing it", path);
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) != -1 &&
		    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			close(fd);
			return err_set(e, ERR_IO, "%s: another server listens "
			    "on it", path);
		}
		if (fd != -1)
			close(fd);
		unlink(path);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return err_set(e, ERR_IO, "socket: %s", strerror(errno));
	old = umask(077);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc == -1 || chmod(path, 0600) == -1 || listen(fd, 16) == -1) {
		err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	sv->cred_fd = fd;
	return 0;
}

/*
 * In AWS Lambda (AWS_LAMBDA_RUNTIME_API set), iamdb serve is an external
 * extension: it registers with the Extensions API under the name of its
 * file in /opt/extensions (IAMDB_LAMBDA_EXTENSION_NAME, else "iamdb"),
 * for SHUTDOWN alone, and serves until that comes. Lambda freezes it
 * between invocations and thaws it with the function.
 */
static int
lambda_call(const char *method, const char *path, const char *header,
    const char *body, struct http_response *rs, struct err *e)
{
	struct buf url = BUF_INIT;
	const char *headers[3] = { header, "Content-Type: application/json",
	    NULL };
	struct http_request rq = { .method = method, .headers = headers,
	    .body = body, .body_len = body ? strlen(body) : 0,
	    /* event/next blocks until the next event: no timeout. */
	    .timeout_ms = 0, .connect_timeout_ms = 2000, .attempts = 1,
	    .what = "Lambda Extensions API", .proxy = HTTP_PROXY_NONE };
	int rc;

	buf_printf(&url, "http://%s/2020-01-01/extension/%s",
	    env_nonempty("AWS_LAMBDA_RUNTIME_API"), path);
	rq.url = buf_str(&url);
	if ((rc = http_do(&rq, rs, e)) == 0 && rs->status != 200) {
		rc = err_set(e, ERR_NETWORK, "Lambda Extensions API %s: HTTP "
		    "%ld", path, rs->status);
		http_response_free(rs);
	}
	buf_free(&url);
	return rc;
}

static int
lambda_wait(void *arg, struct err *e)
{
	const char *name = env_nonempty("IAMDB_LAMBDA_EXTENSION_NAME");
	struct http_response rs;
	struct buf h = BUF_INIT;
	const char *id;
	size_t len;
	json_t *ev;
	int shutdown = 0;

	(void)arg;
	buf_printf(&h, "Lambda-Extension-Name: %s", name ? name : "iamdb");
	if (lambda_call("POST", "register", buf_str(&h),
	    "{\"events\":[\"SHUTDOWN\"]}", &rs, e) == -1) {
		buf_free(&h);
		return -1;
	}
	buf_reset(&h);
	if ((id = http_header(&rs, "Lambda-Extension-Identifier", &len)) ==
	    NULL) {
		http_response_free(&rs);
		buf_free(&h);
		return err_set(e, ERR_NETWORK, "Lambda Extensions API register: "
		    "no Lambda-Extension-Identifier");
	}
	buf_adds(&h, "Lambda-Extension-Identifier: ");
	buf_add(&h, id, len);
	http_response_free(&rs);
	if (verbose)
		warnf("serve: registered as a Lambda extension");
	while (!shutdown) {
		if (lambda_call("GET", "event/next", buf_str(&h), NULL, &rs,
		    e) == -1) {
			buf_free(&h);
			return -1;
		}
		ev = json_loadb(rs.body.data, rs.body.len, 0, NULL);
		shutdown = ev != NULL && json_is_string(json_object_get(ev,
		    "eventType")) && strcmp(json_string_value(json_object_get(ev,
		    "eventType")), "SHUTDOWN") == 0;
		json_decref(ev);
		http_response_free(&rs);
	}
	if (verbose)
		warnf("serve: Lambda is shutting down");
	buf_free(&h);
	return 0;
}

static void
ready(void *arg, unsigned port)
{
	const struct server *sv = arg;

	warnf("serve: listening on port %u (%zu secret%s)", port, sv->n,
	    sv->n == 1 ? "" : "s");
}

/* HOST:PORT, [HOST]:PORT or PORT, into host (a copy) and port. */
static int
listen_address(const char *v, char **host, unsigned *port, struct err *e)
{
	const char *colon = strrchr(v, ':');
	char *end;
	long p;

	if (colon == NULL) {
		*host = xstrdup("127.0.0.1");
		colon = v - 1;
	} else if (v[0] == '[' && colon > v && colon[-1] == ']')
		*host = xstrndup(v + 1, (size_t)(colon - v - 2));
	else
		*host = xstrndup(v, (size_t)(colon - v));
	p = strtol(colon + 1, &end, 10);
	if (colon[1] < '0' || colon[1] > '9' || *end != '\0' || p < 0 ||
	    p > 65535) {
		free(*host);
		*host = NULL;
		return err_set(e, ERR_USAGE, "--listen '%s': expected HOST:PORT",
		    v);
	}
	*port = (unsigned)p;
	return 0;
}

static int
add_secret(struct server *sv, const struct args *a, const char *spec,
    struct err *e)
{
	struct secret *s = &sv->secrets[sv->n];
	const char *eq = strchr(spec, '=');
	char *name;

	if (eq == NULL || eq == spec)
		return err_set(e, ERR_USAGE, "--secret '%s': expected NAME=URL",
		    spec);
	name = xstrndup(spec, (size_t)(eq - spec));
	if (find(sv, name) != NULL) {
		err_set(e, ERR_USAGE, "--secret %s: given twice", name);
		free(name);
		return -1;
	}
	s->name = name;
	s->url = xstrdup(eq + 1);
	if (target_from_url(&s->t, a, s->url, NULL, e) == -1) {
		struct err why = *e;

		err_set(e, why.kind, "--secret %s: %s", name, why.msg);
		sv->n++;
		return -1;
	}
	sv->n++;
	if (s->t.service->family != FAMILY_POSTGRES &&
	    s->t.service->family != FAMILY_MYSQL)
		return err_set(e, ERR_USAGE, "--secret %s: %s has no database "
		    "password to serve", name, s->t.service->title);
	return 0;
}

static int
run(struct args *a)
{
	struct server sv;
	struct err e = { 0 };
	char *host = NULL;
	unsigned port = 2773;
	size_t i;
	int rc = EXIT_OK;

	memset(&sv, 0, sizeof(sv));
	sv.a = a;
	sv.cred_fd = -1;
	pthread_mutex_init(&sv.lock, NULL);
	sv.region = a->region ? a->region : env_nonempty("AWS_REGION") ?
	    env_nonempty("AWS_REGION") : env_nonempty("AWS_DEFAULT_REGION");
	if (a->secrets.n == 0) {
		rc = usage_error("serve", "give at least one --secret NAME=URL");
		goto out;
	}
	for (i = 0; i < a->secrets.n; i++)
		if (add_secret(&sv, a, a->secrets.v[i], &e) == -1) {
			rc = usage_fail("serve", &e);
			goto out;
		}
	if (a->listen != NULL && listen_address(a->listen, &host, &port,
	    &e) == -1) {
		rc = usage_fail("serve", &e);
		goto out;
	}
	if ((sv.ssrf = ssrf_token(a, &e)) == NULL) {
		rc = e.kind == ERR_USAGE ? usage_fail("serve", &e) : fail(&e);
		goto out;
	}
	/* Each secret's first token now: a bad URL or no credentials is
	 * said at start, not at the first request. */
	for (i = 0; i < sv.n; i++)
		if (fresh(&sv.secrets[i], &e) == -1) {
			warnf("serve: secret %s: %s", sv.secrets[i].name, e.msg);
			rc = fail(&e);
			goto out;
		}
	if (process_private(&e) == -1)
		warnf("warning: %s", e.msg);
	if (a->credential_socket != NULL) {
		sigset_t stop;

		if (credential_listen(&sv, a->credential_socket, &e) == -1) {
			rc = e.kind == ERR_USAGE ? usage_fail("serve", &e) :
			    fail(&e);
			goto out;
		}
		/* Its thread takes none of the signals that stop the
		 * server. */
		sigemptyset(&stop);
		sigaddset(&stop, SIGTERM);
		sigaddset(&stop, SIGINT);
		sigaddset(&stop, SIGHUP);
		pthread_sigmask(SIG_BLOCK, &stop, NULL);
		if (pthread_create(&sv.cred_thread, NULL, credential_socket,
		    &sv) != 0) {
			warnf("serve: cannot start the credential socket");
			rc = EXIT_FAIL;
			goto out;
		}
	}
	if (httpd_serve(host ? host : "127.0.0.1", port, handle, &sv, ready,
	    env_nonempty("AWS_LAMBDA_RUNTIME_API") ? lambda_wait : NULL,
	    &e) == -1)
		rc = fail(&e);
out:
	if (sv.cred_fd != -1) {
		/* Wakes its accept; then the socket goes. */
		shutdown(sv.cred_fd, SHUT_RDWR);
		if (sv.cred_thread)
			pthread_join(sv.cred_thread, NULL);
		close(sv.cred_fd);
		unlink(a->credential_socket);
	}
	pthread_mutex_destroy(&sv.lock);
	for (i = 0; i < sv.n; i++) {
		struct secret *s = &sv.secrets[i];

		conn_close(&s->s, &s->token);
		target_free(&s->t);
		free((char *)s->name);
		free(s->url);
		free(s->arn);
	}
	session_close(&sv.own);
	wipe_str(sv.ssrf);
	free(host);
	return rc;
}

static const struct opt own[] = {
	{ .name = "secret", .kind = OPT_LIST,
	  .field = offsetof(struct args, secrets), .value = "NAME=URL",
	  .help = "A secret to serve: its name, and the connection whose "
	      "token is its password.",
	  .example = "--secret prod/app=postgres://app@mydb.123456789012.us-east-1.rds.amazonaws.com/app" },
	{ .name = "listen", .kind = OPT_TEXT,
	  .field = offsetof(struct args, listen), .value = "HOST:PORT",
	  .help = "Where to listen: a loopback address, as the agent does.",
	  .dflt = "127.0.0.1:2773", .example = "--listen 127.0.0.1:2773" },
	{ .name = "credential-socket", .kind = OPT_TEXT, .flags = OPT_PATH,
	  .field = offsetof(struct args, credential_socket), .value = "PATH",
	  .help = "Also listen on this AF_UNIX socket for systemd's "
	      "LoadCredential=NAME:PATH, which gets the token of the secret "
	      "NAME, once, when its unit starts.",
	  .example = "--credential-socket /run/iamdb/credentials.sock" },
	{ .name = "token-file", .kind = OPT_TEXT, .flags = OPT_PATH,
	  .field = offsetof(struct args, token_file), .value = "FILE",
	  .help = "The value the " SSRF_HEADER " header must have.",
	  .dflt = "$AWS_TOKEN, else $AWS_SESSION_TOKEN",
	  .example = "--token-file /run/iamdb/ssrf-token" },
	{ .name = NULL }
};

static const struct optgroup groups[] = {
	{ "Serve", own, NULL },
	{ .include = optgroups_conn },
	{ NULL, NULL, NULL }
};

const struct command cmd_serve = {
	.name = "serve",
	.summary = "serve tokens as Secrets Manager secrets on localhost",
	.synopsis = "--secret NAME=URL [--secret NAME=URL ...] "
	    "[--listen HOST:PORT] [--token-file FILE] "
	    "[--credential-socket PATH] [options]",
	.description = "Answers the AWS Secrets Manager Agent's API and "
	    "Secrets Manager's GetSecretValue on a loopback address with an "
	    "RDS-style secret whose password is a fresh IAM token, for "
	    "programs that read their database password from Secrets "
	    "Manager.",
	.groups = groups,
	.operands = { 0, NULL, 0 },
	.run = run,
};
