/*
 * Strings that come from a peer or a token (a DBUser, an IMDS role name, a
 * server's message) made safe to print on a terminal or into a log, in the
 * manner of vis(3) with VIS_CSTYLE | VIS_OCTAL: so that no forged log line
 * and no terminal escape gets through.
 *
 * Kept: printable ASCII and valid UTF-8. Escaped: '\' as "\\"; BEL, BS,
 * TAB, LF, VT, FF and CR as "\a" "\b" "\t" "\n" "\v" "\f" "\r"; every other
 * byte of a control character (C0, DEL, C1 such as U+009B CSI, the line and
 * paragraph separators, bidi overrides, isolates and marks) and every byte
 * of invalid UTF-8 (overlong, surrogate, cut short, past U+10FFFF) as
 * three octal digits, "\033". The result is unambiguous: strunvis(3)
 * reads it back.
 */
#ifndef IAMDB_VIS_H
#define IAMDB_VIS_H

#include <stddef.h>

#include "buf.h"

/* Appends n bytes of s, escaped. */
void	vis_add(struct buf *, const char *s, size_t n);

/* The length of the valid UTF-8 sequence at s (at most n bytes, n > 0),
 * 0 if there is none; its code point in *cp. */
size_t	utf8_len(const unsigned char *s, size_t n, unsigned long *cp);

/* s escaped, in a new heap string; "(null)" for NULL. */
char	*vis_str(const char *s);

#endif
