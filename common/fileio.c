#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fileio.h"

int
write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = write(fd, c, n);

		if (w == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int
fsync_dir(const char *dir)
{
	int fd, rc, saved;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	rc = fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

int
read_fd(int fd, size_t max, struct buf *b)
{
	char chunk[4096];
	size_t got = 0;
	ssize_t n;
	int rc = 0;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			rc = -1;
			break;
		}
		if ((size_t)n > max - got) {
			errno = EFBIG;
			rc = -1;
			break;
		}
		buf_add(b, chunk, (size_t)n);
		got += (size_t)n;
	}
	wipe(chunk, sizeof(chunk));
	return rc;
}
