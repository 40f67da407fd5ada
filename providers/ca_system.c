/* The system's trust store as a file that every client can be handed:
 * libpq before 16 and pgjdbc take no "sslrootcert=system". */
#include <stdlib.h>

#include <openssl/x509.h>

#include "ca.h"

int
ca_system_bundle(const char **path, struct buf *warnings, struct err *e)
{
	const char *env = getenv(X509_get_default_cert_file_env());
	const char *file = env != NULL && *env != '\0' ? env :
	    X509_get_default_cert_file();
	struct err why = { 0 };

	if (ca_check_file(file, warnings, &why) == -1)
		return err_set(e, ERR_CONFIG, "the system's CA certificates "
		    "(%s) are not usable: %s; install ca-certificates, or give "
		    "--ca-bundle", file, why.msg);
	*path = file;
	return 0;
}
