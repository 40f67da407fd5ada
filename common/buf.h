/* Growable byte strings. Allocation failure aborts: iamdb is a short-lived
 * process and has nothing sensible to do without memory. */
#ifndef IAMDB_BUF_H
#define IAMDB_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;	/* always NUL-terminated once anything was added */
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT { NULL, 0, 0 }

void	 buf_add(struct buf *, const void *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_addc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
void	 buf_reset(struct buf *);	/* wipes, keeps the allocation */
void	 buf_free(struct buf *);	/* wipes and frees */
const char *buf_str(const struct buf *);	/* "" when empty */

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

/* An environment variable, with empty meaning unset (as the AWS SDKs
 * read them); NULL when unset or empty. */
const char *env_nonempty(const char *);

/* Overwrite secrets before their memory is released. */
void	 wipe(void *, size_t);
void	 wipe_str(char *);		/* wipes and frees a heap string */

#endif
