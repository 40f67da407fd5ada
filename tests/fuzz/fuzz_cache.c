/* Cache entries (cache_parse_entry in providers/cache.c), as cache_get
 * reads a file's bytes: an entry taken is whole and valid beyond the
 * refresh margin; anything else is a miss that leaves the credentials
 * untouched. */
#include "common/timeutil.h"
#include "providers/cache.h"
#include "providers/credjson.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const time_t now = 1700000000;
	struct credentials c;

	memset(&c, 0x5a, sizeof(c));
	if (cache_parse_entry(size ? (const char *)data : "", size, now,
	    &c) == 1) {
		must(c.access_key_id != NULL && *c.access_key_id != '\0');
		must(c.secret_access_key != NULL &&
		    *c.secret_access_key != '\0');
		must(c.has_expiration &&
		    c.expiration > now + RENEW_MARGIN_MAX);
		must(memchr(c.source, '\0', sizeof(c.source)) != NULL);
		credentials_free(&c);
	} else
		must(c.has_expiration == 0x5a5a5a5a);
	return 0;
}
