/* The GetSecretValue answer of iamdb serve; see formats.h. */
#include <stdio.h>
#include <string.h>

#include "../common/jsonout.h"
#include "../sigv4/sigv4.h"
#include "formats.h"

void
secret_version_id(const char *token, char out[37])
{
	char h[65];

	sigv4_sha256_hex(token, strlen(token), h);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12,
	    h + 16, h + 20);
}

int
secret_value_json(const struct conn *c, const char *name, const char *arn,
    int date_string, struct buf *out, struct err *e)
{
	struct buf text = BUF_INIT;
	json_t *s = json_object(), *o = json_object();
	char version[37], when[32];
	int rc = -1;

	secret_version_id(c->token, version);
	snprintf(when, sizeof(when), "%lld.000", (long long)c->signed_at);
	if (s == NULL || o == NULL)
		goto out;
	/* RDS's own secrets' keys, which the Secrets Manager rotation and
	 * JDBC wrappers read; TLS as iamdb's other outputs give it. */
	if (jsonout_string(s, "engine", c->service->name) == -1 ||
	    jsonout_string(s, "host", conn_client_host(c)) == -1 ||
	    jsonout_integer(s, "port", c->port) == -1 ||
	    jsonout_string(s, "username", c->user) == -1 ||
	    jsonout_string(s, "password", c->token) == -1 ||
	    (c->database != NULL &&
	    jsonout_string(s, "dbname", c->database) == -1) ||
	    jsonout_string(s, "sslmode", c->sslmode) == -1 ||
	    (c->sslrootcert != NULL &&
	    jsonout_string(s, "sslrootcert", c->sslrootcert) == -1) ||
	    jsonout_text(s, JSON_PRESERVE_ORDER | JSON_COMPACT, &text) == -1) {
		err_set(e, ERR_USAGE, "secret %s: a value is not UTF-8 text",
		    name);
		goto out;
	}
	if (jsonout_string(o, "ARN", arn) == -1 ||
	    jsonout_string(o, "Name", name) == -1 ||
	    jsonout_string(o, "VersionId", version) == -1 ||
	    jsonout_string(o, "SecretString", buf_str(&text)) == -1 ||
	    jsonout_value(o, "VersionStages", json_pack("[s]",
	    "AWSCURRENT")) == -1 ||
	    jsonout_value(o, "CreatedDate", date_string ? json_string(when) :
	    json_integer((json_int_t)c->signed_at)) == -1 ||
	    jsonout_text(o, JSON_PRESERVE_ORDER | JSON_COMPACT, out) == -1) {
		err_set(e, ERR_USAGE, "secret %s: the name is not UTF-8 text",
		    name);
		goto out;
	}
	rc = 0;
out:
	json_decref(s);
	json_decref(o);
	buf_free(&text);
	return rc;
}
