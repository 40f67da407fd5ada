/*
 * Checking a token as the database would: the policy behind iamdb verify
 * (and so behind a local database's PAM login) and the warnings of iamdb
 * inspect. Pure: the keys come through a callback, the time as a value.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dbtoken.h"

static const char *
presented_token(const struct dbtoken_info *t)
{
	size_t i;

	for (i = 0; i < t->nparams; i++)
		if (strcmp(t->params[i].key, "X-Amz-Security-Token") == 0)
			return t->params[i].value;
	return NULL;
}

static int
endpoint_refused(const struct dbtoken_info *t, const struct dbtoken_policy *p,
    struct err *why)
{
	char got[16] = "", want[16] = "";

	if (p->service->host_form == HOST_AND_PORT) {
		snprintf(got, sizeof(got), ":%u", t->port);
		snprintf(want, sizeof(want), ":%u", p->port);
	}
	return err_set(why, ERR_CREDENTIALS, "signed for another endpoint "
	    "(%s%s), not this one (%s%s)", t->host, got, p->host, want);
}

int
dbtoken_verify(const struct dbtoken_info *t, const struct dbtoken_policy *p,
    dbtoken_key_fn keys, void *arg, struct err *why)
{
	const struct service *svc = p->service;
	const char *secret = NULL, *session = NULL, *presented;

	if (strcmp(t->service, svc->signing_name) != 0)
		return err_set(why, ERR_CREDENTIALS, "signed for service %s, "
		    "not %s", t->service, svc->signing_name);
	if (strcmp(t->action, service_action(svc, p->user)) != 0)
		return err_set(why, ERR_CREDENTIALS, "action %s is not the "
		    "one for this user", t->action);
	if (strcasecmp(t->host, p->host) != 0 ||
	    (svc->host_form == HOST_AND_PORT && t->port != p->port))
		return endpoint_refused(t, p, why);
	if (svc->user_param != NULL &&
	    (t->user == NULL || strcmp(t->user, p->user) != 0))
		return err_set(why, ERR_CREDENTIALS, "signed for user %s, not "
		    "%s", t->user ? t->user : "(none)", p->user);
	if (p->region != NULL && strcmp(t->region, p->region) != 0)
		return err_set(why, ERR_CREDENTIALS, "signed for region %s, "
		    "not %s", t->region, p->region);
	if (t->expires > svc->max_expires)
		return err_set(why, ERR_CREDENTIALS, "valid for longer than "
		    "the service allows");
	if (t->signed_at > p->now + p->skew)
		return err_set(why, ERR_CREDENTIALS, "signed in the future "
		    "(check the clocks)");
	if (p->now > t->signed_at + t->expires)
		return err_set(why, ERR_CREDENTIALS, "expired");
	if (!keys(arg, t->access_key_id, &secret, &session) || secret == NULL)
		return err_set(why, ERR_CREDENTIALS, "unknown access key %s",
		    t->access_key_id);
	presented = presented_token(t);
	if ((session != NULL) != (presented != NULL) ||
	    (presented != NULL && strcmp(presented, session) != 0))
		return err_set(why, ERR_CREDENTIALS, "the session token does "
		    "not belong to key %s", t->access_key_id);
	if (!dbtoken_signature_ok(t, secret))
		return err_set(why, ERR_CREDENTIALS, "the signature does not "
		    "match");
	return 0;
}

void
dbtoken_lint(const struct dbtoken_info *t, time_t now,
    const char *host_region, const char *host, unsigned port,
    struct buf *w)
{
	const struct service *svc = service_for_token(t->service, t->action);

	if (now > t->signed_at + t->expires)
		buf_printf(w, "expired %ld s ago\n",
		    (long)(now - t->signed_at - t->expires));
	if (t->signed_at > now + 60)
		buf_printf(w, "signed %ld s in the future: this machine's "
		    "clock or the signer's is wrong\n",
		    (long)(t->signed_at - now));
	if (svc != NULL && t->expires > svc->max_expires)
		buf_printf(w, "valid for %ld s, but %s accepts at most %ld\n",
		    t->expires, svc->title, svc->max_expires);
	if (host_region != NULL && strcmp(host_region, t->region) != 0)
		buf_printf(w, "signed for region %s, but the host is in %s\n",
		    t->region, host_region);
	if (host != NULL && (strcasecmp(host, t->host) != 0 ||
	    (t->port != 0 && port != t->port)))
		buf_printf(w, "signed for %s:%u, but the client connects to "
		    "%s:%u: the host and port must be exactly the ones the "
		    "client uses\n", t->host, t->port, host, port);
}
