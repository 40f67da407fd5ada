#include <errno.h>
#include <string.h>

#include "formats.h"

int
format_token(FILE *f, const char *token, struct err *e)
{
	if (fputs(token, f) == EOF || fputc('\n', f) == EOF ||
	    fflush(f) == EOF)
		return err_set(e, ERR_IO, "writing the token: %s",
		    strerror(errno));
	return 0;
}
