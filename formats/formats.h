/* Output protocols: how a token and its connection details reach another
 * program. They write to a stdio stream and report write errors. */
#ifndef IAMDB_FORMATS_H
#define IAMDB_FORMATS_H

#include <stdio.h>

#include "../common/err.h"

/* The token and a newline, nothing else. */
int	format_token(FILE *, const char *token, struct err *);

#endif
