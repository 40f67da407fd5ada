#include <stdio.h>

#include <jansson.h>

#include "../common/jsonout.h"
#include "../common/timeutil.h"
#include "formats.h"

/* All values are strings: Terraform's external data source wants exactly
 * that, and every other reader copes. The URL's libpq parameters come
 * last, under their own names. */
/* EKS and MSK tokens name no host or user a client connects with. */
static int
token_only(const struct conn *c, json_t *o, struct err *e)
{
	char when[21], ms[24];

	time_format_iso8601(c->expires_at, when);
	/* The signers' expiry: X-Amz-Date + X-Amz-Expires, in ms. */
	snprintf(ms, sizeof(ms), "%lld",
	    ((long long)c->signed_at + c->lifetime) * 1000);
	if (jsonout_string(o, "token", c->token) == -1 ||
	    jsonout_string(o, "engine", c->service->name) == -1 ||
	    (c->name != NULL && jsonout_string(o, "cluster", c->name) == -1) ||
	    jsonout_string(o, "region", c->region) == -1 ||
	    jsonout_string(o, "expires_at", when) == -1 ||
	    (c->service->family == FAMILY_KAFKA &&
	    jsonout_string(o, "expiry_ms", ms) == -1))
		return err_set(e, ERR_INTERNAL, "cannot write JSON");
	return 0;
}

int
format_json(const struct conn *c, struct buf *out, struct err *e)
{
	json_t *o = json_object();
	char port[8], when[21];
	const char *bad = NULL;
	size_t i;
	int rc = -1;

	snprintf(port, sizeof(port), "%u", c->port);
	time_format_iso8601(c->expires_at, when);
	if (o != NULL && (c->service->family == FAMILY_KUBERNETES ||
	    c->service->family == FAMILY_KAFKA)) {
		if (token_only(c, o, e) == 0 && jsonout_dump(o,
		    JSON_PRESERVE_ORDER | JSON_INDENT(2), out) == 0)
			rc = 0;
		else if (e->kind == ERR_NONE)
			err_set(e, ERR_INTERNAL, "cannot write JSON");
		json_decref(o);
		return rc;
	}
	if (o == NULL ||
	    jsonout_string(o, "token", c->token) == -1 ||
	    jsonout_string(o, "host", c->bare_host) == -1 ||
	    jsonout_string(o, "port", port) == -1)
		bad = "host";
	else if (jsonout_string(o, "user", c->user) == -1)
		bad = "user";
	else if (jsonout_string(o, "database", c->database ? c->database :
	    "") == -1)
		bad = "database";
	else if (jsonout_string(o, "engine", c->service->name) == -1 ||
	    jsonout_string(o, "region", c->region) == -1 ||
	    jsonout_string(o, "expires_at", when) == -1 ||
	    jsonout_string(o, "sslmode", c->sslmode) == -1)
		bad = "region";
	else if (jsonout_string(o, "sslrootcert", c->sslrootcert ?
	    c->sslrootcert : "") == -1)
		bad = "sslrootcert";
	for (i = 0; bad == NULL && i < c->nparams; i++)
		if (jsonout_string(o, c->params[i].key, c->params[i].value) ==
		    -1)
			bad = c->params[i].key;
	if (bad != NULL)
		err_set(e, ERR_USAGE, "the %s is not UTF-8 text, which JSON "
		    "cannot carry", bad);
	else if (jsonout_dump(o, JSON_PRESERVE_ORDER | JSON_INDENT(2), out) ==
	    -1)
		err_set(e, ERR_INTERNAL, "cannot write JSON");
	else
		rc = 0;
	json_decref(o);
	return rc;
}
