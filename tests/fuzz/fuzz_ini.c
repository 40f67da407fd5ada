/* The shared config and credentials file reader (providers/ini.c). Every
 * entry it returns can be found again by its section and key, keys are
 * lower case, and the lookups for requests and nested blocks hold up. */
#include <ctype.h>

#include "providers/ini.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ini ini;
	struct err e;
	const struct ini_entry *en;
	const char *v;
	char *sub;
	size_t i;
	const char *p;

	if (ini_parse(&ini, "fuzz", size ? (const char *)data : "", size,
	    &e) == -1) {
		must(strncmp(e.msg, "fuzz:", 5) == 0);
		must(ini.e == NULL && ini.n == 0);
		return 0;
	}
	for (i = 0; i < ini.n; i++) {
		en = &ini.e[i];
		for (p = en->key; *p; p++)
			must(!isupper((unsigned char)*p));
		if (*en->key == '\0') {
			must(strcmp(en->section, "DEFAULT") == 0 ||
			    ini_has_section(&ini, en->section));
			continue;
		}
		must(ini_find(&ini, en->section, en->key) != NULL);
		must(ini_get(&ini, en->section, en->key) != NULL);
		(void)ini_setting(&ini, en->section, en->key, INI_WORDS, &v,
		    &e);
		(void)ini_setting(&ini, en->section, en->key, INI_NONEMPTY,
		    &v, &e);
		sub = NULL;
		if (ini_nested(&ini, en->section, en->key, "endpoint_url", &sub,
		    &e) == 0)
			free(sub);
	}
	ini_free(&ini);
	return 0;
}
