/* The small checks and readers every provider shares: a profile's setting,
 * an environment variable, a secret file's text, and what no credential
 * may hold (control characters, which would end a header). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/fileio.h"
#include "profile.h"

int
profile_setting(struct provider_ctx *ctx, const char *profile,
    const char *key, int flags, const char **value, struct err *e)
{
	return awsconfig_setting(ctx->cfg, profile, key, flags, value, e);
}

int
control_char(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

int
credentials_check(const struct credentials *c, const char *what,
    struct err *e)
{
	const char *bad = NULL;

	if (control_char(c->access_key_id))
		bad = "access key ID";
	else if (control_char(c->secret_access_key))
		bad = "secret access key";
	else if (control_char(c->session_token))
		bad = "session token";
	if (bad == NULL)
		return 0;
	return err_set(e, ERR_CREDENTIALS, "%s: the %s contains a control "
	    "character", what, bad);
}

int
env_setting(const char *name, const char **value, struct err *e)
{
	*value = env_nonempty(name);
	if (control_char(*value)) {
		*value = NULL;
		return err_set(e, ERR_CONFIG, "%s contains a control character",
		    name);
	}
	return 0;
}

char *
read_secret_file(const char *path, size_t max, const char *what,
    struct err *e)
{
	struct buf b = BUF_INIT;
	size_t start = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		err_set(e, ERR_CREDENTIALS, "%s %s: %s", what, path,
		    strerror(errno));
		return NULL;
	}
	if (read_fd(fd, max, &b) == -1) {
		err_set(e, ERR_CREDENTIALS, "%s %s: %s", what, path,
		    errno == EFBIG ? "too large" : strerror(errno));
		close(fd);
		buf_free(&b);
		return NULL;
	}
	close(fd);
	while (b.len > 0 && strchr(" \t\r\n", b.data[b.len - 1]) != NULL)
		b.data[--b.len] = '\0';
	while (start < b.len && strchr(" \t\r\n", b.data[start]) != NULL)
		start++;
	if (start == b.len) {
		err_set(e, ERR_CREDENTIALS, "%s %s is empty", what, path);
		buf_free(&b);
		return NULL;
	}
	{
		char *s = xstrdup(b.data + start);

		buf_free(&b);
		return s;
	}
}
