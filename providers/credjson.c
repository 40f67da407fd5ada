#include <stdlib.h>
#include <string.h>

#include "../common/timeutil.h"
#include "credjson.h"
#include "profile.h"

const struct cred_fields cred_fields_process = {
	"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", 0, 0
};
const struct cred_fields cred_fields_metadata = {
	"AccessKeyId", "SecretAccessKey", "Token", "Expiration", 0, 1
};
const struct cred_fields cred_fields_sso = {
	"accessKeyId", "secretAccessKey", "sessionToken", "expiration", 1, 1
};

json_t *
json_parse(const char *text, size_t len, const char *what, struct err *e)
{
	json_error_t je;
	json_t *v;
	char *near;

	if ((v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je)) == NULL) {
		/* jansson quotes the text "near" the error: a secret, maybe. */
		if ((near = strstr(je.text, " near ")) != NULL)
			*near = '\0';
		err_set(e, ERR_CREDENTIALS, "%s: not valid JSON (line %d, "
		    "column %d: %s)", what, je.line, je.column, je.text);
		wipe(&je, sizeof(je));
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		err_set(e, ERR_CREDENTIALS, "%s: expected a JSON object", what);
		return NULL;
	}
	return v;
}

int
expiration_parse(const char *s, time_t *t)
{
	return time_parse_iso8601(s, t) == 0 ||
	    time_parse_iso8601_basic(s, t) == 0 ? 0 : -1;
}

static const char *
string_field(const json_t *obj, const char *name)
{
	const json_t *v = json_object_get(obj, name);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

int
credentials_from_json(const json_t *obj, const struct cred_fields *f,
    struct credentials *c, const char *what, struct err *e)
{
	const char *akid = string_field(obj, f->akid);
	const char *secret = string_field(obj, f->secret);
	const char *token = f->token ? string_field(obj, f->token) : NULL;
	const json_t *exp = json_object_get(obj, f->expiration);
	time_t when = 0;

	if (akid == NULL || *akid == '\0' || secret == NULL || *secret == '\0')
		return err_set(e, ERR_CREDENTIALS, "%s: no %s and %s in the "
		    "answer", what, f->akid, f->secret);
	if (exp != NULL && !json_is_null(exp)) {
		if (f->expiration_ms && json_is_integer(exp))
			when = (time_t)(json_integer_value(exp) / 1000);
		else if (!f->expiration_ms && json_is_string(exp) &&
		    expiration_parse(json_string_value(exp), &when) == 0)
			;
		else
			return err_set(e, ERR_CREDENTIALS, "%s: unreadable %s",
			    what, f->expiration);
	} else if (f->need_expiration)
		return err_set(e, ERR_CREDENTIALS, "%s: no %s in the answer",
		    what, f->expiration);
	c->access_key_id = xstrdup(akid);
	c->secret_access_key = xstrdup(secret);
	c->session_token = token && *token ? xstrdup(token) : NULL;
	c->has_expiration = exp != NULL && !json_is_null(exp);
	c->expiration = when;
	return credentials_check(c, what, e);
}

int
credentials_from_answer(const char *text, size_t len, const char *member,
    const struct cred_fields *f, struct credentials *c, const char *what,
    struct err *e)
{
	json_t *doc = json_parse(text, len, what, e);
	int rc = -1;

	if (doc != NULL)
		rc = credentials_from_json(member ? json_object_get(doc,
		    member) : doc, f, c, what, e);
	json_decref(doc);
	return rc;
}
