#include <string.h>

#include "pgparams.h"

/* PostgreSQL 16's libpq keywords (fe-connect.c's PQconninfoOptions) with
 * the variables of "Environment Variables" in its manual. */
static const struct pgparam params[] = {
	{ "application_name",		"PGAPPNAME" },
	{ "channel_binding",		"PGCHANNELBINDING" },
	{ "client_encoding",		"PGCLIENTENCODING" },
	{ "connect_timeout",		"PGCONNECT_TIMEOUT" },
	{ "fallback_application_name",	NULL },
	{ "gssdelegation",		"PGGSSDELEGATION" },
	{ "gssencmode",			"PGGSSENCMODE" },
	{ "gsslib",			"PGGSSLIB" },
	{ "hostaddr",			"PGHOSTADDR" },
	{ "keepalives",			NULL },
	{ "keepalives_count",		NULL },
	{ "keepalives_idle",		NULL },
	{ "keepalives_interval",	NULL },
	{ "krbsrvname",			"PGKRBSRVNAME" },
	{ "load_balance_hosts",		"PGLOADBALANCEHOSTS" },
	{ "options",			"PGOPTIONS" },
	{ "replication",		NULL },
	{ "require_auth",		"PGREQUIREAUTH" },
	{ "requirepeer",		"PGREQUIREPEER" },
	{ "ssl_max_protocol_version",	"PGSSLMAXPROTOCOLVERSION" },
	{ "ssl_min_protocol_version",	"PGSSLMINPROTOCOLVERSION" },
	{ "sslcert",			"PGSSLCERT" },
	{ "sslcertmode",		"PGSSLCERTMODE" },
	{ "sslcompression",		"PGSSLCOMPRESSION" },
	{ "sslcrl",			"PGSSLCRL" },
	{ "sslcrldir",			"PGSSLCRLDIR" },
	{ "sslkey",			"PGSSLKEY" },
	{ "sslpassword",		NULL },
	{ "sslsni",			"PGSSLSNI" },
	{ "target_session_attrs",	"PGTARGETSESSIONATTRS" },
	{ "tcp_user_timeout",		NULL },
};

const struct pgparam *
pgparam_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		if (strcmp(params[i].name, name) == 0)
			return &params[i];
	return NULL;
}
