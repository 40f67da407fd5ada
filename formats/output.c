#include <errno.h>
#include <string.h>

#include <openssl/evp.h>

#include "formats.h"

int
write_out(FILE *f, const struct buf *b, const char *what, struct err *e)
{
	if ((b->len > 0 && fwrite(b->data, 1, b->len, f) != b->len) ||
	    fflush(f) == EOF)
		return err_set(e, ERR_IO, "writing the %s: %s", what,
		    strerror(errno));
	return 0;
}

const char *
conn_client_host(const struct conn *c)
{
	return c->bare_host != NULL ? c->bare_host : c->host;
}

const char *
mysql_ssl_mode(const char *sslmode)
{
	static const struct {
		const char *libpq, *mysql;
	} modes[] = {
		{ "verify-full",	"VERIFY_IDENTITY" },
		{ "verify-ca",		"VERIFY_CA" },
		{ "require",		"REQUIRED" },
		{ "prefer",		"PREFERRED" },
		{ "allow",		"PREFERRED" },
		{ "disable",		"DISABLED" },
	};
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(sslmode, modes[i].libpq) == 0)
			return modes[i].mysql;
	return "VERIFY_IDENTITY";
}

int
value_one_line(const char *what, const char *v, struct err *e)
{
	if (v != NULL && strpbrk(v, "\r\n") != NULL)
		return err_set(e, ERR_USAGE, "%s holds a line break, which "
		    "cannot go into the file", what);
	return 0;
}

void
base64_line(struct buf *b, const char *v, size_t n)
{
	unsigned char chunk[4 * 48 / 3 + 1];
	size_t i, k;

	/* In whole groups of three bytes, so that only the end is padded. */
	for (i = 0; i < n; i += k) {
		k = n - i < 48 ? n - i : 48;
		buf_add(b, chunk, (size_t)EVP_EncodeBlock(chunk,
		    (const unsigned char *)v + i, (int)k));
	}
	wipe(chunk, sizeof(chunk));
	buf_addc(b, '\n');
}

const char *
file_eol(const char *text, size_t len)
{
	const char *first = memchr(text, '\n', len);

	if ((first != NULL && first > text && first[-1] == '\r') ||
	    (first == NULL && len > 0 && text[len - 1] == '\r'))
		return "\r\n";
	return "\n";
}

void
keep_line(struct buf *out, const char *p, size_t n, int more,
    const char *eol)
{
	buf_add(out, p, n);
	if (more && n > 0 && p[n - 1] != '\n')
		buf_adds(out, p[n - 1] == '\r' && eol[0] == '\r' ? "\n" :
		    eol);
}
