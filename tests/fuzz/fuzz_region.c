/* The region in an endpoint's host name (providers/region.c): what it
 * finds is a valid region, whatever the case of the name and whether it
 * ends in a dot. */
#include <ctype.h>

#include "providers/providers.h"
#include "sigv4/dbtoken.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = fuzz_in(data, size);
	char *host = fuzz_part(&in), *region, *other, *p;
	struct buf b = BUF_INIT;

	region = region_from_host(host);
	if (region != NULL)
		must(dbtoken_region_valid(region));
	for (p = host; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	other = region_from_host(host);
	must((region == NULL) == (other == NULL) &&
	    (region == NULL || strcmp(region, other) == 0));
	free(other);
	if (*host != '\0' && host[strlen(host) - 1] != '.') {
		buf_printf(&b, "%s.", host);
		other = region_from_host(buf_str(&b));
		must((region == NULL) == (other == NULL) &&
		    (region == NULL || strcmp(region, other) == 0));
		free(other);
	}
	buf_free(&b);
	free(region);
	free(host);
	return 0;
}
