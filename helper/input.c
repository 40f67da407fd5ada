#include <unistd.h>

#include "helper.h"

int
read_token_stdin(struct buf *b)
{
	char c;
	ssize_t n;

	while ((n = read(0, &c, 1)) == 1 && c != '\0') {
		if (b->len >= 8192)
			return -1;
		buf_addc(b, c);
	}
	while (b->len > 0 && (b->data[b->len - 1] == '\n' ||
	    b->data[b->len - 1] == '\r' || b->data[b->len - 1] == ' '))
		b->data[--b->len] = '\0';
	return n < 0 ? -1 : 0;
}
