#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

int
signal_pidfile(const char *path, int sig, int *sent, struct err *e)
{
	char text[32], *end;
	ssize_t n;
	long pid;
	int fd;

	*sent = 0;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC))
	    == -1) {
		if (errno == ENOENT)
			return 0;
		return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	}
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n == -1)
		return err_set(e, ERR_IO, "%s: %s", path, strerror(errno));
	text[n] = '\0';
	errno = 0;
	pid = strtol(text, &end, 10);
	if (end == text || errno != 0 || pid <= 1 ||
	    (*end != '\0' && *end != '\n'))
		return err_set(e, ERR_CONFIG, "%s does not hold a process id",
		    path);
	if (kill((pid_t)pid, sig) == -1) {
		if (errno == ESRCH)
			return 0;
		return err_set(e, ERR_IO, "cannot signal process %ld (from "
		    "%s): %s", pid, path, strerror(errno));
	}
	*sent = 1;
	return 0;
}
