/* What a token is signed for: the options, else the URL's parts, else the
 * service's defaults. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../formats/pgparams.h"
#include "helper.h"

static int
sslmode_valid(const char *m)
{
	static const char *const modes[] = {
		"verify-full", "verify-ca", "require", "prefer", "allow",
		"disable",
	};
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(m, modes[i]) == 0)
			return 1;
	return 0;
}

/* A MySQL ssl-mode under libpq's name for it. */
static const char *
libpq_mode(const char *mysql)
{
	static const char *const modes[][2] = {
		{ "VERIFY_IDENTITY", "verify-full" },
		{ "VERIFY_CA", "verify-ca" },
		{ "REQUIRED", "require" },
		{ "PREFERRED", "prefer" },
		{ "DISABLED", "disable" },
	};
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcasecmp(mysql, modes[i][0]) == 0)
			return modes[i][1];
	return NULL;
}

/* A URL part given as a parameter, as libpq allows: where the URL has it
 * too, the same value. */
static int
url_part(const char *key, const char *value, const char *part,
    const char **field, struct err *e)
{
	if (part != NULL && strcmp(part, value) != 0)
		return err_set(e, ERR_USAGE, "URL parameter %s '%s' says "
		    "otherwise than the URL", key, value);
	*field = value;
	return 0;
}

static int
pg_param(struct target *t, const struct url_param *p, struct err *e)
{
	const char *k = p->key;

	if (strcmp(k, "sslmode") == 0) {
		if (!sslmode_valid(p->value))
			return err_set(e, ERR_USAGE, "URL parameter sslmode "
			    "'%s' is not a TLS mode", p->value);
		if (t->sslmode == NULL)
			t->sslmode = p->value;
		return 0;
	}
	if (strcmp(k, "sslrootcert") == 0) {
		if (t->ca_bundle == NULL)
			t->ca_bundle = p->value;
		return 0;
	}
	if (strcmp(k, "host") == 0)
		return url_part(k, p->value, t->url.host, &t->host, e);
	if (strcmp(k, "user") == 0)
		return url_part(k, p->value, t->url.user, &t->user, e);
	if (strcmp(k, "dbname") == 0)
		return url_part(k, p->value, t->url.database, &t->database, e);
	if (strcmp(k, "port") == 0) {
		char *end;
		long v = strtol(p->value, &end, 10);

		if (*p->value < '0' || *p->value > '9' || *end != '\0' ||
		    v < 1 || v > 65535 || (t->url.port != 0 &&
		    t->url.port != (unsigned)v))
			return err_set(e, ERR_USAGE, "URL parameter port '%s' "
			    "is not the URL's port, a number from 1 to 65535",
			    p->value);
		t->port = (unsigned)v;
		return 0;
	}
	if (strcmp(k, "password") == 0 || strcmp(k, "passfile") == 0 ||
	    strcmp(k, "service") == 0)
		return err_set(e, ERR_USAGE, "URL parameter %s: iamdb makes "
		    "the password, leave it out", k);
	if (pgparam_find(k) == NULL)
		return err_set(e, ERR_USAGE, "URL parameter '%s' is not a libpq "
		    "connection parameter", k);
	t->params[t->nparams++] = *p;
	return 0;
}

static int
mysql_param(struct target *t, const struct url_param *p, struct err *e)
{
	const char *mode;

	if (strcmp(p->key, "ssl-mode") == 0) {
		if ((mode = libpq_mode(p->value)) == NULL)
			return err_set(e, ERR_USAGE, "URL parameter ssl-mode "
			    "'%s' is not a TLS mode", p->value);
		if (t->sslmode == NULL)
			t->sslmode = mode;
		return 0;
	}
	if (strcmp(p->key, "ssl-ca") == 0) {
		if (t->ca_bundle == NULL)
			t->ca_bundle = p->value;
		return 0;
	}
	return err_set(e, ERR_USAGE, "URL parameter '%s' is not one iamdb "
	    "passes to MySQL clients (ssl-mode, ssl-ca)", p->key);
}

/* The URL's parameters: iamdb's own (TLS) are taken, libpq's others are
 * passed on to the outputs, anything else is an error. */
static int
url_params(struct target *t, struct err *e)
{
	size_t i;

	t->params = xcalloc(t->url.nparams ? t->url.nparams : 1,
	    sizeof(*t->params));
	for (i = 0; i < t->url.nparams; i++)
		if ((t->service->family == FAMILY_POSTGRES ?
		    pg_param(t, &t->url.params[i], e) :
		    mysql_param(t, &t->url.params[i], e)) == -1)
			return -1;
	return 0;
}

/* An IPv6 address as --host takes it (::1) is signed for as a URL has it
 * ([::1]). */
static const char *
bracketed(struct target *t, const char *host)
{
	struct buf b = BUF_INIT;

	if (host == NULL || host[0] == '[' || strchr(host, ':') == NULL)
		return host;
	buf_printf(&b, "[%s]", host);
	free(t->host_buf);
	free(t->bare_buf);
	t->host_buf = b.data;
	return t->host_buf;
}

/* What a store's token is signed for (issue 11): ElastiCache's and
 * MemoryDB's name, --cluster or taken from --host; the EKS cluster,
 * --cluster or --host. The host then stays what clients connect to. */
static int
store_name(struct target *t, const struct args *a, struct err *e)
{
	const struct service *s = t->service;
	int serverless = 0;

	if (a->serverless && s->serverless == NULL)
		return err_set(e, ERR_USAGE, "--serverless: %s has no "
		    "serverless caches", s->title);
	t->serverless = a->serverless;
	if (s->login_api)	/* Redshift: --cluster is the API's */
		return 0;
	if (s->host_form == HOST_ENDPOINT && s->name_header == NULL) {
		if (t->host != NULL || a->cluster != NULL)
			return err_set(e, ERR_USAGE, "%s tokens name no host "
			    "or cluster: leave out --host and --cluster",
			    s->title);
		return 0;
	}
	if (s->host_form == HOST_ENDPOINT) {
		if (a->cluster != NULL && a->host != NULL &&
		    strcmp(a->cluster, a->host) != 0)
			return err_set(e, ERR_USAGE, "--cluster and --host name "
			    "different clusters");
		t->name = a->cluster ? a->cluster : t->host;
		return 0;
	}
	if (s->host_form != HOST_NAME) {
		if (a->cluster != NULL)
			return err_set(e, ERR_USAGE, "--cluster is for "
			    "elasticache, memorydb, eks and redshift");
		return 0;
	}
	if (a->cluster != NULL) {
		t->name = a->cluster;
		if (t->host == NULL)
			t->host = a->cluster;
		return 0;
	}
	if ((t->name_buf = service_name_from(s, t->host, &serverless, e)) ==
	    NULL)
		return -1;
	t->name = t->name_buf;
	t->serverless |= serverless;
	return 0;
}


/* The first label of a Redshift endpoint's name, CLUSTER.ID.REGION.
 * redshift.DOMAIN or WORKGROUP.ACCOUNT.REGION.redshift-serverless.DOMAIN:
 * its cluster or workgroup. NULL for any other host. */
static const char *
first_label(struct target *t, const char *host, int serverless)
{
	char *region, *low, *p;
	int named;

	if (host == NULL)
		return NULL;
	region = region_from_host(host);
	free(region);
	if (region == NULL)
		return NULL;
	low = xstrdup(host);
	for (p = low; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	named = strstr(low, serverless ? ".redshift-serverless." :
	    ".redshift.") != NULL;
	free(low);
	if (!named)
		return NULL;
	free(t->cluster_buf);
	t->cluster_buf = xstrndup(host, strcspn(host, "."));
	return t->cluster_buf;
}

/* What Redshift is asked for: the cluster or workgroup, the user (none:
 * the IAM identity's own, through GetClusterCredentialsWithIAM), the
 * lifetime, and the provisioned options. */
static int
redshift_request_of(struct target *t, const struct args *a, struct err *e)
{
	struct redshift_request *r = &t->redshift;
	const char *name = r->serverless ? a->workgroup : a->cluster;
	char *p;
	size_t n;

	if ((r->serverless ? a->cluster : a->workgroup) != NULL)
		return err_set(e, ERR_USAGE, "%s is for %s", r->serverless ?
		    "--cluster" : "--workgroup", r->serverless ? "a provisioned "
		    "cluster (--engine redshift)" : "Redshift Serverless "
		    "(--engine redshift-serverless)");
	/* --host may name a tunnel's end, the URL the endpoint. */
	if (name == NULL && (name = first_label(t, t->host,
	    r->serverless)) == NULL && (name = first_label(t, t->url.host,
	    r->serverless)) == NULL)
		return err_set(e, ERR_USAGE, "give %s: host %s does not name "
		    "it", r->serverless ? "--workgroup" : "--cluster", t->host);
	if (*name == '\0')
		return err_set(e, ERR_USAGE, "the %s's name is empty",
		    r->serverless ? "workgroup" : "cluster");
	r->cluster = name;
	r->db_user = r->serverless ? NULL : t->user;
	r->db_name = t->database;
	r->duration = a->expires.set ? t->expires : 0;
	if ((a->auto_create || a->db_groups != NULL) && r->db_user == NULL)
		return err_set(e, ERR_USAGE, "--auto-create and --db-groups "
		    "are for GetClusterCredentials, which needs --user");
	r->auto_create = a->auto_create;
	if (a->db_groups == NULL)
		return 0;
	/* Each group takes a character and a comma: no more than these. */
	t->groups_buf = xstrdup(a->db_groups);
	t->groups = xcalloc(strlen(a->db_groups) / 2 + 1, sizeof(*t->groups));
	for (p = t->groups_buf;; p += n + 1) {
		int last;

		n = strcspn(p, ",");
		last = p[n] == '\0';
		p[n] = '\0';
		if (*p == '\0')
			return err_set(e, ERR_USAGE, "--db-groups '%s': a group "
			    "name is empty", a->db_groups);
		t->groups[r->ngroups++] = p;
		if (last)
			break;
	}
	r->db_groups = t->groups;
	return 0;
}

int
target_from_url(struct target *t, const struct args *a, const char *url,
    const char *fallback, struct err *e)
{
	struct args one = *a;

	one.operands[0] = (char *)url;
	one.noperands = url != NULL;
	return target_from_args(t, &one, fallback, e);
}

int
target_from_args(struct target *t, const struct args *a,
    const char *fallback, struct err *e)
{
	const struct dburl *u = &t->url;

	memset(t, 0, sizeof(*t));
	if (a->noperands > 0 && url_parse(a->operands[0], &t->url, e) == -1)
		return -1;
	t->ca_bundle = a->ca_bundle;
	t->sslmode = a->sslmode;
	if (a->engine != NULL)
		t->service = service_find(a->engine);
	else if (u->service != NULL)
		t->service = u->service;
	else if (a->cluster != NULL)
		t->service = service_find("redshift");
	else if (a->workgroup != NULL)
		t->service = service_find("redshift-serverless");
	else if (fallback != NULL)
		t->service = service_find(fallback);
	else if (a->port.set)
		t->service = service_find("postgres");
	if (t->service != NULL && url_params(t, e) == -1)
		return -1;
	/* The options, else the URL's parts, else its parameters. */
	t->host = bracketed(t, a->host ? a->host : u->host ? u->host : t->host);
	t->user = a->user ? a->user : u->user ? u->user : t->user;
	t->database = a->database ? a->database : u->database ? u->database :
	    t->database;
	t->region = a->region;
	t->profile = a->profile;
	t->mfa_code = a->mfa_code;
	t->no_cache = a->no_cache;
	if (t->service == NULL || service_needs(t->service, NEEDS_HOST)) {
		if ((t->host == NULL || *t->host == '\0') &&
		    (t->service == NULL || a->cluster == NULL))
			return err_set(e, ERR_USAGE, "--host is required");
	}
	if ((t->service == NULL || service_needs(t->service, NEEDS_USER)) &&
	    (t->user == NULL || *t->user == '\0'))
		return err_set(e, ERR_USAGE, "--user is required");
	if (t->service == NULL)
		return err_set(e, ERR_USAGE, "give --port or --engine "
		    "(postgres, mysql or dsql) to set the port");
	if (t->user != NULL && *t->user == '\0')
		t->user = NULL;
	/* --cluster is every store's that has one (store_name). */
	if (!t->service->login_api && (a->workgroup || a->auto_create ||
	    a->db_groups))
		return err_set(e, ERR_USAGE, "--workgroup, --auto-create and "
		    "--db-groups are for Redshift");
	t->port = a->port.set ? (unsigned)a->port.v : u->port != 0 ? u->port :
	    t->port != 0 ? t->port : t->service->default_port;
	t->expires = a->expires.set ? a->expires.v :
	    t->service->default_expires;
	if (t->expires > t->service->max_expires)
		return err_set(e, ERR_USAGE, "--expires %ld: %s accepts tokens "
		    "valid for at most %ld seconds", t->expires,
		    t->service->title, t->service->max_expires);
	if (store_name(t, a, e) == -1)
		return -1;
	if (t->expires < t->service->min_expires)
		return err_set(e, ERR_USAGE, "--expires %ld: %s gives logins "
		    "for at least %ld seconds", t->expires, t->service->title,
		    t->service->min_expires);
	if (t->service->login_api) {
		t->redshift.serverless = strcmp(t->service->name,
		    "redshift-serverless") == 0;
		if (redshift_request_of(t, a, e) == -1)
			return -1;
	}
	t->fixed_time = a->signing_time.set;
	t->when = t->fixed_time ? a->signing_time.t : time(NULL);
	return 0;
}

void
target_free(struct target *t)
{
	url_free(&t->url);
	free(t->params);
	free(t->name_buf);
	free(t->host_buf);
	free(t->bare_buf);
	free(t->ca_path);
	t->ca_path = NULL;
	free(t->cluster_buf);
	free(t->groups_buf);
	free(t->groups);
	t->cluster_buf = t->groups_buf = NULL;
	t->groups = NULL;
}

int
target_for(struct target *t, const struct args *a, unsigned output,
    struct err *e)
{
	if (target_from_args(t, a, NULL, e) == -1)
		return -1;
	if (t->service->outputs & output)
		return 0;
	return err_set(e, ERR_USAGE, "iamdb %s does not serve %s clients%s",
	    a->cmd->name, t->service->title,
	    t->service->family == FAMILY_KUBERNETES ?
	    ": kubectl runs iamdb eks" : "");
}
