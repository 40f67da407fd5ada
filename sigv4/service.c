#include <string.h>
#include <strings.h>

#include "service.h"

#define ALL_DB	(OUT_TOKEN | OUT_JSON | OUT_ENV | OUT_URI | OUT_EXEC)

const struct service services[] = {
	{
		.name = "postgres",
		.aliases = "postgresql aurora-postgresql",
		.title = "RDS",
		.family = FAMILY_POSTGRES,
		.signing_name = "rds-db",
		.host_form = HOST_AND_PORT,
		.action = "connect",
		.user_param = "DBUser",
		.default_port = 5432,
		.default_expires = 900,
		.max_expires = 900,
		.outputs = ALL_DB | OUT_PGPASS,
	},
	{
		.name = "mysql",
		.aliases = "aurora-mysql",
		.title = "RDS",
		.family = FAMILY_MYSQL,
		.signing_name = "rds-db",
		.host_form = HOST_AND_PORT,
		.action = "connect",
		.user_param = "DBUser",
		.default_port = 3306,
		.default_expires = 900,
		.max_expires = 900,
		.outputs = ALL_DB | OUT_MYCNF,
	},
	{
		.name = "mariadb",
		.aliases = "",
		.title = "RDS",
		.family = FAMILY_MYSQL,
		.signing_name = "rds-db",
		.host_form = HOST_AND_PORT,
		.action = "connect",
		.user_param = "DBUser",
		.default_port = 3306,
		.default_expires = 900,
		.max_expires = 900,
		.outputs = ALL_DB | OUT_MYCNF,
	},
	{
		/* The user is not in the token: DSQL takes it from the
		 * login, and the action says whether it may be admin. */
		.name = "dsql",
		.aliases = "",
		.title = "Aurora DSQL",
		.family = FAMILY_POSTGRES,
		.signing_name = "dsql",
		.host_form = HOST_ONLY,
		.action = "DbConnect",
		.admin_action = "DbConnectAdmin",
		.user_param = NULL,
		.default_port = 5432,
		.default_expires = 900,
		.max_expires = 604800,
		.outputs = ALL_DB | OUT_PGPASS,
		.public_ca = 1,
	},
	{
		.name = "redshift",
		.aliases = "",
		.title = "Redshift",
		.family = FAMILY_POSTGRES,
		.signing_name = "redshift",
		.host_form = HOST_ONLY,
		.action = "GetClusterCredentials",
		.default_port = 5439,
		.default_expires = 900,
		.min_expires = 900,
		.max_expires = 3600,
		.outputs = ALL_DB | OUT_PGPASS,
		.public_ca = 1,
		.login_api = 1,
	},
	{
		.name = "redshift-serverless",
		.aliases = "",
		.title = "Redshift Serverless",
		.family = FAMILY_POSTGRES,
		.signing_name = "redshift-serverless",
		.host_form = HOST_ONLY,
		.action = "GetCredentials",
		.default_port = 5439,
		.default_expires = 900,
		.min_expires = 900,
		.max_expires = 3600,
		.outputs = ALL_DB | OUT_PGPASS,
		.public_ca = 1,
		.login_api = 1,
	},
};
const size_t nservices = sizeof(services) / sizeof(services[0]);

/* Whether word is one of the space-separated words of list. */
static int
listed(const char *list, const char *word)
{
	size_t n = strlen(word);

	while (*list != '\0') {
		size_t len = strcspn(list, " ");

		if (len == n && strncasecmp(list, word, n) == 0)
			return 1;
		list += len;
		list += strspn(list, " ");
	}
	return 0;
}

const struct service *
service_find(const char *name)
{
	size_t i;

	for (i = 0; i < nservices; i++)
		if (strcasecmp(services[i].name, name) == 0 ||
		    listed(services[i].aliases, name))
			return &services[i];
	return NULL;
}

const struct service *
service_for_token(const char *signing_name, const char *action)
{
	size_t i;

	for (i = 0; i < nservices; i++)
		if (!services[i].login_api &&
		    strcmp(services[i].signing_name, signing_name) == 0 &&
		    (strcmp(services[i].action, action) == 0 ||
		    (services[i].admin_action != NULL &&
		    strcmp(services[i].admin_action, action) == 0)))
			return &services[i];
	return NULL;
}

const char *
service_action(const struct service *s, const char *user)
{
	if (s->admin_action != NULL && user != NULL &&
	    strcmp(user, "admin") == 0)
		return s->admin_action;
	return s->action;
}

void
service_names(struct buf *b)
{
	size_t i;

	for (i = 0; i < nservices; i++) {
		if (i > 0)
			buf_adds(b, i + 1 == nservices ? " or " : ", ");
		buf_adds(b, services[i].name);
		if (*services[i].aliases != '\0') {
			const char *a = services[i].aliases;

			buf_adds(b, " (");
			while (*a != '\0') {
				size_t n = strcspn(a, " ");

				buf_add(b, a, n);
				a += n;
				a += strspn(a, " ");
				if (*a != '\0')
					buf_adds(b, ", ");
			}
			buf_addc(b, ')');
		}
	}
}

long
service_max_expires(void)
{
	long max = 0;
	size_t i;

	for (i = 0; i < nservices; i++)
		if (services[i].max_expires > max)
			max = services[i].max_expires;
	return max;
}
