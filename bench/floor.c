/*
 * The floor: the cheapest process that does what iamdb token must do at
 * minimum, start, load libcrypto, compute one HMAC-SHA256 and print it as
 * hex. iamdb token is measured against this.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

int
main(void)
{
	static const char key[] = "AWS4skid";
	static const char msg[] = "prod-instance.us-east-1.rds.amazonaws.com"
	    ":3306/?Action=connect&DBUser=someusername";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	if (HMAC(EVP_sha256(), key, (int)strlen(key),
	    (const unsigned char *)msg, strlen(msg), md, &mdlen) == NULL) {
		fputs("floor: HMAC failed\n", stderr);
		return 1;
	}
	for (i = 0; i < mdlen; i++)
		printf("%02x", md[i]);
	putchar('\n');
	return fflush(stdout) == 0 ? 0 : 1;
}
