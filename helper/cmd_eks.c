/*
 * iamdb eks: kubectl's exec credential plugin. Prints an ExecCredential
 * as `aws eks get-token` does, but keeps the token on disk (0600, keyed by
 * cluster, region, role and the signing key) and hands the same one out
 * until a minute before kubectl is told it expires: the second kubectl
 * call costs a process start and a file read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "../common/fileio.h"
#include "../common/jsonout.h"
#include "../common/timeutil.h"
#include "../providers/cache.h"
#include "../providers/sts.h"
#include "helper.h"

#define API_PREFIX	"client.authentication.k8s.io/"
/* kubectl is told to refresh after 14 minutes: STS holds a presigned
 * GetCallerIdentity to 15 from its date (aws eks get-token's choice). */
#define TOKEN_LIFETIME	(14 * 60)
/* A cached token is handed out until this long before that. */
#define REUSE_MARGIN	60

/* The ExecCredential apiVersion, from what kubectl says it speaks:
 * v1 and v1beta1 as given, v1alpha1 with a warning, v1beta1 when it says
 * nothing usable. NULL for a version iamdb does not speak. */
static const char *
api_version(const char **unknown)
{
	const char *info = getenv("KUBERNETES_EXEC_INFO"), *v;
	json_t *o;
	static char given[128];

	*unknown = NULL;
	if (info == NULL || *info == '\0' ||
	    (o = json_loads(info, 0, NULL)) == NULL)
		return API_PREFIX "v1beta1";
	v = json_string_value(json_object_get(o, "apiVersion"));
	if (v == NULL || *v == '\0') {
		json_decref(o);
		return API_PREFIX "v1beta1";
	}
	snprintf(given, sizeof(given), "%s", v);
	json_decref(o);
	if (strcmp(given, API_PREFIX "v1") == 0 ||
	    strcmp(given, API_PREFIX "v1beta1") == 0)
		return given;
	if (strcmp(given, API_PREFIX "v1alpha1") == 0) {
		warnf("warning: kubectl asks for %s, which Kubernetes has "
		    "deprecated: set apiVersion %sv1beta1 (or v1) in the "
		    "kubeconfig", given, API_PREFIX);
		return given;
	}
	*unknown = given;
	return NULL;
}

/* What selects a token, hashed into the cache entry's name. */
static void
cache_path(const char *dir, const struct args *a, const char *region,
    const char *akid, struct buf *path)
{
	struct buf desc = BUF_INIT;
	char hex[65];

	buf_printf(&desc, "eks\n%s\n%s\n%s\n%s\n", a->cluster, region,
	    a->role_arn ? a->role_arn : "", akid);
	sigv4_sha256_hex(desc.data, desc.len, hex);
	buf_printf(path, "%s/%s.json", dir, hex);
	buf_free(&desc);
}

/* The cached token and its expiry, when one is there and good beyond
 * now + REUSE_MARGIN. */
static int
cache_read(const char *path, time_t now, struct buf *token, time_t *until)
{
	struct buf text = BUF_INIT;
	struct err e = { 0 };
	const char *tok, *exp;
	json_t *o = NULL;
	int hit = 0;

	if (secret_file_read(path, &text, &e) == -1)
		warnf("warning: token cache: %s", e.msg);
	else if (text.len > 0 &&
	    (o = json_loadb(text.data, text.len, 0, NULL)) != NULL &&
	    (tok = json_string_value(json_object_get(o, "token"))) != NULL &&
	    (exp = json_string_value(json_object_get(o, "expiration"))) !=
	    NULL && strncmp(tok, "k8s-aws-v1.", 11) == 0 &&
	    time_parse_iso8601(exp, until) == 0 && *until - REUSE_MARGIN > now) {
		buf_adds(token, tok);
		hit = 1;
	}
	if (o != NULL) {
		/* jansson's copy of the token */
		const char *s = json_string_value(json_object_get(o, "token"));

		if (s != NULL)
			wipe((char *)s, strlen(s));
		json_decref(o);
	}
	buf_free(&text);
	return hit;
}

struct entry {
	const char	*token;
	time_t		 until;
};

static int
entry_write(const char *old, size_t len, void *arg, struct buf *out,
    struct err *e)
{
	const struct entry *en = arg;
	char when[21];
	json_t *o = json_object();
	int rc = 0;

	(void)old;
	(void)len;
	if (time_format_iso8601(en->until, when) == -1 || o == NULL ||
	    jsonout_string(o, "token", en->token) == -1 ||
	    jsonout_string(o, "expiration", when) == -1 ||
	    jsonout_dump(o, JSON_PRESERVE_ORDER, out) == -1)
		rc = err_set(e, ERR_INTERNAL, "cannot write the cache entry");
	json_decref(o);
	return rc;
}

static int
exec_credential(const char *api, const char *token, time_t until,
    struct buf *out, struct err *e)
{
	json_t *o = json_object(), *status = json_object();
	char when[21];
	int rc = 0;

	if (time_format_iso8601(until, when) == -1 || o == NULL ||
	    status == NULL ||
	    jsonout_string(o, "kind", "ExecCredential") == -1 ||
	    jsonout_string(o, "apiVersion", api) == -1 ||
	    jsonout_value(o, "spec", json_object()) == -1 ||
	    jsonout_string(status, "expirationTimestamp", when) == -1 ||
	    jsonout_string(status, "token", token) == -1 ||
	    jsonout_value(o, "status", json_incref(status)) == -1 ||
	    jsonout_dump(o, JSON_PRESERVE_ORDER | JSON_INDENT(4), out) == -1)
		rc = err_set(e, ERR_INTERNAL, "cannot write the "
		    "ExecCredential");
	json_decref(status);
	json_decref(o);
	return rc;
}

/* The users[] entry of a kubeconfig that runs this command. Values are
 * JSON strings, which YAML reads as double-quoted scalars. */
static int
kubeconfig_entry(const struct args *a, struct buf *out, struct err *e)
{
	const char *opts[][2] = {
		{ "--cluster", a->cluster }, { "--region", a->region },
		{ "--profile", a->profile }, { "--role-arn", a->role_arn },
	};
	size_t i;

	buf_printf(out, "- name: iamdb-eks-%s\n  user:\n    exec:\n"
	    "      apiVersion: " API_PREFIX "v1\n"
	    "      command: iamdb\n      args:\n      - eks\n", a->cluster);
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		struct buf q = BUF_INIT;
		json_t *s;

		if (opts[i][1] == NULL)
			continue;
		if ((s = json_string(opts[i][1])) == NULL ||
		    jsonout_text(s, JSON_ENCODE_ANY, &q) == -1) {
			json_decref(s);
			buf_free(&q);
			return err_set(e, ERR_USAGE, "%s is not UTF-8 text",
			    opts[i][0]);
		}
		buf_printf(out, "      - %s\n      - %s\n", opts[i][0],
		    buf_str(&q));
		buf_free(&q);
		json_decref(s);
	}
	if (a->no_cache)
		buf_adds(out, "      - --no-cache\n");
	buf_adds(out, "      interactiveMode: Never\n"
	    "      provideClusterInfo: false\n");
	return 0;
}

/* --role-arn: the role's credentials, from the key the chain found. */
static int
assume(struct session *s, const char *role, struct credentials *out,
    struct err *e)
{
	struct sts_request rq;
	char name[64];

	memset(&rq, 0, sizeof(rq));
	snprintf(name, sizeof(name), "iamdb-eks-%lld", (long long)time(NULL));
	rq.role_arn = role;
	rq.session_name = name;
	rq.mfa_code = s->ctx.mfa_code;
	return sts_assume_role(&s->ctx, &rq, &s->creds, out, e);
}

static int
token_for(struct args *a, struct session *s, const char *api, struct buf *out,
    struct err *e)
{
	struct target t;
	struct credentials role;
	struct sigv4_credentials sc;
	struct dbtoken_target dt;
	struct buf token = BUF_INIT, path = BUF_INIT;
	const struct credentials *cr = &s->creds;
	char *dir = NULL;
	time_t until, now = time(NULL);
	int rc = -1, cached = !a->no_cache && !a->signing_time.set;

	memset(&t, 0, sizeof(t));
	memset(&role, 0, sizeof(role));
	t.host = a->cluster;
	t.region = a->region;
	t.profile = a->profile;
	t.mfa_code = a->mfa_code;
	t.no_cache = a->no_cache;
	if (session_open(s, &t, 1, e) == -1)
		return -1;
	if (cached) {
		struct err why = { 0 };

		if ((dir = cache_private_dir("eks", &why)) == NULL) {
			warnf("warning: token cache off: %s", why.msg);
			cached = 0;
		} else
			cache_path(dir, a, s->region.name,
			    s->creds.access_key_id, &path);
	}
	if (cached && cache_read(buf_str(&path), now, &token, &until)) {
		if (verbose)
			warnf("token from the cache, %s", buf_str(&path));
		rc = exec_credential(api, buf_str(&token), until, out, e);
		goto out;
	}
	if (a->role_arn != NULL) {
		if (assume(s, a->role_arn, &role, e) == -1)
			goto out;
		cr = &role;
	}
	memset(&dt, 0, sizeof(dt));
	dt.service = service_find("eks");
	dt.host = a->cluster;
	dt.region = s->region.name;
	dt.expires = dt.service->default_expires;
	dt.when = a->signing_time.set ? a->signing_time.t : now;
	sc.access_key_id = cr->access_key_id;
	sc.secret_access_key = cr->secret_access_key;
	sc.session_token = cr->session_token;
	if (dbtoken_make(NULL, &dt, &sc, &token, e) == -1)
		goto out;
	/* The token is good no longer than the key that signed it. */
	until = dt.when + TOKEN_LIFETIME;
	if (cr->has_expiration && cr->expiration < until)
		until = cr->expiration;
	if (cached) {
		struct entry en = { buf_str(&token), until };
		struct err why = { 0 };

		if (secret_file_update(buf_str(&path), entry_write, &en, 2000,
		    &why) == -1)
			warnf("warning: token not cached: %s", why.msg);
		else if (verbose)
			warnf("token cached in %s", buf_str(&path));
	}
	rc = exec_credential(api, buf_str(&token), until, out, e);
out:
	credentials_free(&role);
	buf_free(&token);
	buf_free(&path);
	free(dir);
	return rc;
}

static int
run(struct args *a)
{
	struct session s;
	struct buf out = BUF_INIT;
	struct err e = { 0 };
	const char *api, *unknown;
	int rc;

	if (a->cluster == NULL)
		return usage_error("eks", "--cluster is required");
	if (stdout_closed) {
		warnf("standard output is closed: nowhere to write the "
		    "ExecCredential");
		return EXIT_IO;
	}
	if (a->kubeconfig) {
		rc = kubeconfig_entry(a, &out, &e) == -1 ||
		    write_out(stdout, &out, "kubeconfig entry", &e) == -1 ?
		    fail(&e) : EXIT_OK;
		buf_free(&out);
		return rc;
	}
	if ((api = api_version(&unknown)) == NULL)
		return usage_error("eks", "KUBERNETES_EXEC_INFO asks for "
		    "apiVersion %s: iamdb speaks %sv1, v1beta1 and v1alpha1",
		    unknown, API_PREFIX);
	memset(&s, 0, sizeof(s));
	if (token_for(a, &s, api, &out, &e) == -1 ||
	    write_out(stdout, &out, "ExecCredential", &e) == -1)
		rc = fail(&e);
	else
		rc = EXIT_OK;
	session_close(&s);
	buf_free(&out);
	return rc;
}

static const struct opt own[] = {
	{ .name = "cluster", .kind = OPT_TEXT,
	  .field = offsetof(struct args, cluster), .value = "NAME",
	  .help = "The EKS cluster's name (its id for an Outposts local "
	      "cluster).",
	  .example = "--cluster prod" },
	{ .name = "role-arn", .kind = OPT_TEXT,
	  .field = offsetof(struct args, role_arn), .value = "ARN",
	  .help = "Assume this role with the credentials found, and sign "
	      "as it.",
	  .example = "--role-arn arn:aws:iam::123456789012:role/eks-admin" },
	{ .name = "kubeconfig", .kind = OPT_FLAG,
	  .field = offsetof(struct args, kubeconfig),
	  .help = "Print the kubeconfig users[] entry that runs this "
	      "command, rather than a credential." },
	{ .name = "signing-time", .kind = OPT_TIME,
	  .field = offsetof(struct args, signing_time),
	  .value = "YYYY-MM-DDTHH:MM:SSZ",
	  .help = "Sign as at this time instead of now, for reproducible "
	      "tokens; the cache is neither read nor written.",
	  .example = "--signing-time 2024-01-01T00:00:00Z" },
	{ .name = NULL }
};

static const struct optgroup groups[] = {
	{ "Cluster", own, NULL },
	{ .include = optgroups_aws },
	{ NULL, NULL, NULL }
};

const struct command cmd_eks = {
	.name = "eks",
	.summary = "kubectl's credential plugin for EKS, with a token cache",
	.synopsis = "--cluster NAME [--region R] [--profile P] "
	    "[--role-arn ARN] [--no-cache] [--kubeconfig] [options]",
	.description = "Prints the client.authentication.k8s.io "
	    "ExecCredential kubectl asks its exec plugins for, with a token "
	    "for cluster NAME that expires 14 minutes after it is signed. "
	    "The token is cached (0600) and handed out again until a minute "
	    "before then. With --kubeconfig, prints the kubeconfig users[] "
	    "entry that runs iamdb eks.",
	.groups = groups,
	.operands = { 0, NULL, 0 },
	.run = run,
};
