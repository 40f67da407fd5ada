/* ISO 8601 (common/timeutil.c): a time read, written and read again is
 * the same time, in both formats; and whatever the writer makes (for a
 * time taken from the input), the reader takes back. */
#include "common/timeutil.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = fuzz_in(data, size);
	char out[21], *s;
	time_t t, again;
	int64_t n = 0;
	size_t i;

	for (i = 0; i < 8; i++)
		n = (int64_t)((uint64_t)n << 8 | fuzz_byte(&in));
	if (time_format_iso8601((time_t)n, out) == 0) {
		must(strlen(out) == 20);
		must(time_parse_iso8601(out, &t) == 0 && t == (time_t)n);
	} else
		must(out[0] == '\0');

	s = fuzz_part(&in);
	if (time_parse_iso8601(s, &t) == 0) {
		must(time_format_iso8601(t, out) == 0);
		must(time_parse_iso8601(out, &again) == 0 && again == t);
	}
	if (time_parse_iso8601_basic(s, &t) == 0) {
		must(time_format_iso8601(t, out) == 0);
		must(time_parse_iso8601(out, &again) == 0 && again == t);
	}
	free(s);
	return 0;
}
