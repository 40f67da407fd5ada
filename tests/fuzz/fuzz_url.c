/* Connection URLs and --endpoint (formats/url.c). The input is a URL, a
 * NUL, then an endpoint. What parses has a host, a port in range, and
 * every parameter found again by its name; an endpoint written back as
 * HOST:PORT parses to the same. */
#include "formats/url.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = fuzz_in(data, size);
	char *s = fuzz_part(&in), *host, *again;
	struct dburl u;
	struct err e;
	struct buf b = BUF_INIT;
	unsigned port, port2;
	size_t i;

	if (url_parse(s, &u, &e) == 0) {
		must(u.service != NULL && u.host != NULL);
		must(u.port <= 65535);
		for (i = 0; i < u.nparams; i++)
			must(url_param(&u, u.params[i].key) ==
			    u.params[i].value);
		url_free(&u);
	}
	free(s);

	s = fuzz_part(&in);
	if (url_endpoint(s, &host, &port, &e) == 0) {
		must(port >= 1 && port <= 65535);
		buf_printf(&b, "%s:%u", host, port);
		must(url_endpoint(buf_str(&b), &again, &port2, &e) == 0);
		must(strcmp(again, host) == 0 && port2 == port);
		free(again);
		free(host);
	}
	buf_free(&b);
	free(s);
	return 0;
}
