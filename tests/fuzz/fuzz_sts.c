/* The AWS Query-protocol XML answers (providers/awsapi.c: STS, RDS, IAM,
 * Redshift): any bytes parse or fail without harm, the same way twice, and
 * a document with a DOCTYPE always fails. */
#include <stdlib.h>
#include <string.h>

#include "providers/awsapi.h"
#include "tests/fuzz/fuzz.h"

static const char *const names[] = {
	"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration",
	"Code", "Message",
};
#define N	(sizeof(names) / sizeof(names[0]))

static void
clear(char **f)
{
	size_t i;

	for (i = 0; i < N; i++)
		free(f[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char dtd[] = "<!DOCTYPE r>";
	char *f[N], *g[N], *with;
	const char *body = size ? (const char *)data : "";
	size_t i;
	int a, b;

	if (size > 1024 * 1024)
		return 0;
	a = api_xml_fields(body, size, names, f, N);
	b = api_xml_fields(body, size, names, g, N);
	must(a == b);
	for (i = 0; a == 0 && i < N; i++)
		must((f[i] == NULL) == (g[i] == NULL) &&
		    (f[i] == NULL || strcmp(f[i], g[i]) == 0));
	if (a == 0) {
		clear(f);
		clear(g);
	}
	if ((with = malloc(size + sizeof(dtd))) == NULL)
		return 0;
	memcpy(with, dtd, sizeof(dtd) - 1);
	memcpy(with + sizeof(dtd) - 1, data, size);
	if (api_xml_fields(with, size + sizeof(dtd) - 1, names, f, N) == 0) {
		clear(f);
		must(0);
	}
	free(with);
	return 0;
}
