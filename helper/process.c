#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "helper.h"

int
process_private(struct err *e)
{
	struct rlimit none = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &none) == -1)
		return err_set(e, ERR_INTERNAL, "cannot turn core dumps off: "
		    "%s", strerror(errno));
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		return err_set(e, ERR_INTERNAL, "cannot make the process "
		    "undumpable: %s", strerror(errno));
	return 0;
}
