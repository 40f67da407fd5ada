/* What a token is signed for: the options, else the URL's parts, else the
 * service's defaults. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "helper.h"

/* The URL's TLS parameters under the names of its family's clients. */
static int
url_tls(struct target *t, struct err *e)
{
	static const char *const mysql_modes[][2] = {
		{ "VERIFY_IDENTITY", "verify-full" },
		{ "VERIFY_CA", "verify-ca" },
		{ "REQUIRED", "require" },
		{ "PREFERRED", "prefer" },
		{ "DISABLED", "disable" },
	};
	const struct dburl *u = &t->url;
	int mysql = t->service->family == FAMILY_MYSQL;
	const char *mode = url_param(u, mysql ? "ssl-mode" : "sslmode");
	const char *ca = url_param(u, mysql ? "ssl-ca" : "sslrootcert");
	size_t i;

	for (i = 0; i < u->nparams; i++)
		if (strcmp(u->params[i].key, mysql ? "ssl-mode" : "sslmode")
		    != 0 && strcmp(u->params[i].key, mysql ? "ssl-ca" :
		    "sslrootcert") != 0)
			return err_set(e, ERR_USAGE, "URL parameter '%s' is not "
			    "one iamdb knows", u->params[i].key);
	if (t->sslmode == NULL && mode != NULL) {
		for (i = 0; mysql && i < sizeof(mysql_modes) /
		    sizeof(mysql_modes[0]); i++)
			if (strcasecmp(mode, mysql_modes[i][0]) == 0)
				mode = mysql_modes[i][1];
		if (strcmp(mode, "verify-full") != 0 &&
		    strcmp(mode, "verify-ca") != 0 &&
		    strcmp(mode, "require") != 0 &&
		    strcmp(mode, "prefer") != 0 &&
		    strcmp(mode, "allow") != 0 &&
		    strcmp(mode, "disable") != 0)
			return err_set(e, ERR_USAGE, "URL parameter %s '%s' is "
			    "not a TLS mode", mysql ? "ssl-mode" : "sslmode",
			    mode);
		t->sslmode = mode;
	}
	if (t->ca_bundle == NULL && ca != NULL)
		t->ca_bundle = ca;
	return 0;
}

int
target_from_args(struct target *t, const struct args *a,
    const char *fallback, struct err *e)
{
	const struct dburl *u = &t->url;

	memset(t, 0, sizeof(*t));
	if (a->noperands > 0 && url_parse(a->operands[0], &t->url, e) == -1)
		return -1;
	t->host = a->host ? a->host : u->host;
	t->user = a->user ? a->user : u->user;
	t->database = a->database ? a->database : u->database;
	t->region = a->region;
	t->profile = a->profile;
	t->mfa_code = a->mfa_code;
	t->no_cache = a->no_cache;
	t->ca_bundle = a->ca_bundle;
	t->sslmode = a->sslmode;
	if (a->engine != NULL)
		t->service = service_find(a->engine);
	else if (u->service != NULL)
		t->service = u->service;
	else if (fallback != NULL)
		t->service = service_find(fallback);
	else if (a->port.set || u->port != 0)
		t->service = service_find("postgres");
	if (t->host == NULL || *t->host == '\0')
		return err_set(e, ERR_USAGE, "--host is required");
	if (t->user == NULL || *t->user == '\0')
		return err_set(e, ERR_USAGE, "--user is required");
	if (t->service == NULL)
		return err_set(e, ERR_USAGE, "give --port or --engine "
		    "(postgres, mysql or dsql) to set the port");
	if (u->service != NULL && url_tls(t, e) == -1)
		return -1;
	t->port = a->port.set ? (unsigned)a->port.v : u->port != 0 ? u->port :
	    t->service->default_port;
	t->expires = a->expires.set ? a->expires.v :
	    t->service->default_expires;
	if (t->expires > t->service->max_expires)
		return err_set(e, ERR_USAGE, "--expires %ld: %s accepts tokens "
		    "valid for at most %ld seconds", t->expires,
		    t->service->title, t->service->max_expires);
	t->fixed_time = a->signing_time.set;
	t->when = t->fixed_time ? a->signing_time.t : time(NULL);
	return 0;
}

void
target_free(struct target *t)
{
	url_free(&t->url);
	free(t->ca_path);
	t->ca_path = NULL;
}
