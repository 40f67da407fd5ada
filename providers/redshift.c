#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../common/jsonout.h"
#include "../common/timeutil.h"
#include "awsapi.h"
#include "cache.h"
#include "credjson.h"
#include "profile.h"
#include "redshift.h"
#include "sts.h"

#define QUERY_TYPE	"application/x-www-form-urlencoded; charset=utf-8"
#define JSON11_TYPE	"application/x-amz-json-1.1"

const char *
redshift_operation(const struct redshift_request *r)
{
	if (r->serverless)
		return "GetCredentials";
	return r->db_user != NULL ? "GetClusterCredentials" :
	    "GetClusterCredentialsWithIAM";
}

const char *
redshift_target(const struct redshift_request *r)
{
	return r->serverless ? "RedshiftServerless.GetCredentials" : NULL;
}

const char *
redshift_content_type(const struct redshift_request *r)
{
	return r->serverless ? JSON11_TYPE : QUERY_TYPE;
}

/* Python's json.dumps, as botocore serializes JSON 1.1: the members in the
 * order given, ", " and ": " between them, non-ASCII as \uXXXX. */
static void
serverless_body(const struct redshift_request *r, struct buf *b)
{
	json_t *o = json_object();
	if (o == NULL)
		abort();
	if (json_object_set_new(o, "workgroupName",
	    json_string(r->cluster)) == -1 || (r->db_name != NULL &&
	    json_object_set_new(o, "dbName", json_string(r->db_name)) == -1) ||
	    (r->duration > 0 && json_object_set_new(o, "durationSeconds",
	    json_integer(r->duration)) == -1) ||
	    jsonout_text(o, JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII, b) == -1)
		abort();
	json_decref(o);
}

void
redshift_body(const struct redshift_request *r, struct buf *b)
{
	char n[48];
	size_t i;

	if (r->serverless) {
		serverless_body(r, b);
		return;
	}
	/* The model's member order. */
	api_form_add(b, "Action", redshift_operation(r));
	api_form_add(b, "Version", "2012-12-01");
	api_form_add(b, "DbUser", r->db_user);
	api_form_add(b, "DbName", r->db_name);
	api_form_add(b, "ClusterIdentifier", r->cluster);
	if (r->duration > 0) {
		snprintf(n, sizeof(n), "%ld", r->duration);
		api_form_add(b, "DurationSeconds", n);
	}
	if (r->db_user == NULL)
		return;
	if (r->auto_create != 0)
		api_form_add(b, "AutoCreate", r->auto_create > 0 ? "true" :
		    "false");
	for (i = 0; i < r->ngroups; i++) {
		snprintf(n, sizeof(n), "DbGroups.DbGroup.%zu", i + 1);
		api_form_add(b, n, r->db_groups[i]);
	}
}

void
redshift_login_free(struct redshift_login *l)
{
	free(l->user);
	wipe_str(l->password);
	memset(l, 0, sizeof(*l));
}

/* The Query protocol's answer and error fields. */
static const char *const xml_names[] = {
	"DbUser", "DbPassword", "Expiration", "Code", "Message",
};
enum { X_USER, X_PASSWORD, X_EXPIRATION, X_CODE, X_MESSAGE, X_N };

static int
query_answer(long status, const char *body, size_t len, const char *what,
    struct redshift_login *l, int *throttled, struct err *e)
{
	char *f[X_N];
	int rc = -1;

	if (api_xml_fields(body, len, xml_names, f, X_N) == -1) {
		*throttled = http_retryable(status);
		err_set(e, ERR_NETWORK, "%s: HTTP %ld with %s answer", what,
		    status, len == 0 ? "an empty" : "an unreadable (not XML)");
		goto out;
	}
	if (status != 200) {
		*throttled = http_retryable(status) ||
		    api_throttled(f[X_CODE]);
		/* peer text */
		err_set(e, ERR_NETWORK, "%s: HTTP %ld %s: %s", what, status,
		    api_one_line(f[X_CODE], "(no code)"),
		    api_one_line(f[X_MESSAGE], "(no message)"));
	} else if (f[X_USER] == NULL || *f[X_USER] == '\0' ||
	    f[X_PASSWORD] == NULL || *f[X_PASSWORD] == '\0' ||
	    f[X_EXPIRATION] == NULL)
		err_set(e, ERR_NETWORK, "%s: the answer lacks DbUser, "
		    "DbPassword or Expiration", what);
	else if (expiration_parse(f[X_EXPIRATION], &l->expiration) == -1)
		/* peer text */
		err_set(e, ERR_NETWORK, "%s: unreadable Expiration '%s'", what,
		    api_one_line(f[X_EXPIRATION], ""));
	else {
		l->user = f[X_USER];
		l->password = f[X_PASSWORD];
		f[X_USER] = f[X_PASSWORD] = NULL;
		rc = 0;
	}
out:
	free(f[X_USER]);
	wipe_str(f[X_PASSWORD]);
	free(f[X_EXPIRATION]);
	free(f[X_CODE]);
	free(f[X_MESSAGE]);
	return rc;
}

static const char *
json_text(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* JSON 1.1: {"__type": "...#CODE", "message": ...} on errors. */
static int
json_answer(long status, const char *body, size_t len, const char *what,
    struct redshift_login *l, int *throttled, struct err *e)
{
	struct err ignored;
	const char *code, *msg, *user, *password, *hash;
	json_t *o, *exp;
	char *c = NULL, *m = NULL;
	int rc = -1;

	if ((o = json_parse(body, len, what, &ignored)) == NULL) {
		*throttled = http_retryable(status);
		return err_set(e, ERR_NETWORK, "%s: HTTP %ld with %s answer",
		    what, status, len == 0 ? "an empty" :
		    "an unreadable (not JSON)");
	}
	if (status != 200) {
		code = json_text(o, "__type");
		if (code != NULL && (hash = strrchr(code, '#')) != NULL)
			code = hash + 1;
		if ((msg = json_text(o, "message")) == NULL)
			msg = json_text(o, "Message");
		c = code ? xstrdup(code) : NULL;
		m = msg ? xstrdup(msg) : NULL;
		*throttled = http_retryable(status) || api_throttled(c);
		/* peer text */
		err_set(e, ERR_NETWORK, "%s: HTTP %ld %s: %s", what, status,
		    api_one_line(c, "(no code)"), api_one_line(m,
		    "(no message)"));
		free(c);
		free(m);
		goto out;
	}
	user = json_text(o, "dbUser");
	password = json_text(o, "dbPassword");
	exp = json_object_get(o, "expiration");
	if (user == NULL || *user == '\0' || password == NULL ||
	    *password == '\0' || !json_is_number(exp))
		err_set(e, ERR_NETWORK, "%s: the answer lacks dbUser, "
		    "dbPassword or expiration", what);
	else if (json_number_value(exp) < 1 || json_number_value(exp) > 4e10)
		err_set(e, ERR_NETWORK, "%s: expiration %g is not a time",
		    what, json_number_value(exp));
	else {
		l->user = xstrdup(user);
		l->password = xstrdup(password);
		l->expiration = (time_t)json_number_value(exp);
		rc = 0;
	}
out:
	json_decref(o);
	return rc;
}

int
redshift_answer(const struct redshift_request *r, long status,
    const char *body, size_t len, const char *what,
    struct redshift_login *l, int *throttled, struct err *e)
{
	int rc;

	memset(l, 0, sizeof(*l));
	*throttled = 0;
	rc = r->serverless ? json_answer(status, body, len, what, l,
	    throttled, e) : query_answer(status, body, len, what, l,
	    throttled, e);
	if (rc == 0 && (strpbrk(l->user, "\r\n") != NULL ||
	    strpbrk(l->password, "\r\n") != NULL)) {
		redshift_login_free(l);
		/* a line break would forge lines in every output */
		return err_set(e, ERR_NETWORK, "%s: the answer's user or "
		    "password has a line break", what);
	}
	return rc;
}

struct call_state {
	const struct redshift_request	*r;
	const struct credentials	*creds;
	const char			*what;
	struct api_call			 call;
	struct redshift_login		 login;
	struct err			 e;
	int				 rc;
};

/* api_post's judge: parses each answer and asks again when it says so. */
static int
again(void *arg, const struct http_response *rs)
{
	struct call_state *s = arg;
	int throttled;

	redshift_login_free(&s->login);
	memset(&s->e, 0, sizeof(s->e));
	s->rc = redshift_answer(s->r, rs->status, buf_str(&rs->body),
	    rs->body.len, s->what, &s->login, &throttled, &s->e);
	return s->rc == -1 && throttled;
}

/* The cache's fetch: the login travels in the credentials' fields (user
 * as the key ID, password as the secret), with its expiration. */
static int
fetch(struct provider_ctx *ctx, void *arg, struct credentials *c,
    struct err *e)
{
	struct call_state *s = arg;
	struct http_response rs;
	char until[21];

	s->rc = -1;
	if (api_post(&s->call, s->creds, again, s, &rs, e) == -1)
		return -1;
	http_response_free(&rs);
	if (s->rc == -1) {
		*e = s->e;
		return -1;
	}
	time_format_iso8601(s->login.expiration, until);
	provider_explain(ctx, s->call.service, "%s: user %s until %s", s->what,
	    s->login.user, until);
	memset(c, 0, sizeof(*c));
	c->access_key_id = s->login.user;
	c->secret_access_key = s->login.password;
	c->has_expiration = 1;
	c->expiration = s->login.expiration;
	snprintf(c->source, sizeof(c->source), "%s", s->what);
	memset(&s->login, 0, sizeof(s->login));
	return 0;
}

int
redshift_login(struct provider_ctx *ctx, const struct redshift_request *r,
    const struct credentials *creds, struct redshift_login *l,
    struct err *e)
{
	struct call_state s;
	struct cached_fetch f;
	struct credentials c;
	struct buf body = BUF_INIT, what = BUF_INIT, desc = BUF_INIT;
	const char *prefix = r->serverless ? "redshift-serverless" :
	    "redshift";
	char *url = NULL;
	int rc = -1;

	memset(l, 0, sizeof(*l));
	memset(&c, 0, sizeof(c));
	if (endpoint_override(ctx, r->serverless ? "redshift_serverless" :
	    "redshift", &url, e) == -1)
		return -1;
	if (url == NULL)
		url = endpoint_for_region(prefix, ctx->region);
	redshift_body(r, &body);
	buf_printf(&what, "%s %s at %s", r->serverless ?
	    "Redshift Serverless" : "Redshift", redshift_operation(r), url);

	memset(&s, 0, sizeof(s));
	s.r = r;
	s.creds = creds;
	s.what = buf_str(&what);
	s.call.what = r->serverless ? "Redshift Serverless" : "Redshift";
	s.call.service = prefix;
	s.call.region = ctx->region;
	s.call.url = url;
	s.call.content_type = redshift_content_type(r);
	s.call.target = redshift_target(r);
	s.call.body = buf_str(&body);
	/* Who asks matters as much as what is asked: another key may map to
	 * another database user. */
	buf_printf(&desc, "redshift login 1\n%s\n%s\n%s\n%s\n%s", url,
	    ctx->region, creds->access_key_id, creds->source, buf_str(&body));
	memset(&f, 0, sizeof(f));
	f.desc = buf_str(&desc);
	f.label = prefix;
	f.fetch = fetch;
	f.arg = &s;
	if (cached_credentials(ctx, &f, &c, e) == 0) {
		l->user = c.access_key_id;
		l->password = c.secret_access_key;
		l->expiration = c.expiration;
		c.access_key_id = c.secret_access_key = NULL;
		rc = 0;
	}
	credentials_free(&c);
	redshift_login_free(&s.login);
	free(url);
	buf_free(&body);
	buf_free(&what);
	buf_free(&desc);
	return rc;
}
