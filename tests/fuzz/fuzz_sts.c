/* The STS XML answer (providers/sts.c): any bytes parse or fail without
 * harm, and a document with a DOCTYPE always fails. */
#include "providers/sts.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sts_reply r, again;
	const char *body = size ? (const char *)data : "";

	if (size > 1024 * 1024)
		return 0;
	if (sts_parse_reply(body, size, &r) == 0)
		must(!r.doctype);
	if (r.doctype) {
		must(sts_parse_reply(body, size, &again) == -1);
		sts_reply_free(&again);
	}
	sts_reply_free(&r);
	return 0;
}
