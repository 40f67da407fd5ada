/* Credentials in JSON answers (providers/credjson.c), in each of the
 * shapes the providers read: credential_process output, the container and
 * instance metadata endpoints, SSO's roleCredentials. The first byte picks
 * the shape; after the document, a NUL and a time for expiration_parse.
 * Credentials read are whole. */
#include "providers/credjson.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct cred_fields *const shapes[] = { &cred_fields_process,
	    &cred_fields_metadata, &cred_fields_sso };
	struct fuzz_in in = fuzz_in(data, size);
	const struct cred_fields *f = shapes[fuzz_byte(&in) % 3];
	struct credentials c;
	struct err e;
	json_t *doc, *obj;
	time_t t;
	char *text, *s;

	text = fuzz_part(&in);
	doc = json_parse(text, strlen(text), "fuzz", &e);
	free(text);
	if (doc == NULL) {
		must(strncmp(e.msg, "fuzz: ", 6) == 0);
		return 0;
	}
	obj = f == &cred_fields_sso ? json_object_get(doc, "roleCredentials") :
	    doc;
	memset(&c, 0, sizeof(c));
	if (credentials_from_json(obj, f, &c, "fuzz", &e) == 0) {
		must(c.access_key_id != NULL && *c.access_key_id != '\0');
		must(c.secret_access_key != NULL &&
		    *c.secret_access_key != '\0');
		must(c.has_expiration || !f->need_expiration);
	} else
		must(strncmp(e.msg, "fuzz", 4) == 0);
	credentials_free(&c);
	json_decref(doc);

	s = fuzz_part(&in);
	(void)expiration_parse(s, &t);
	free(s);
	return 0;
}
