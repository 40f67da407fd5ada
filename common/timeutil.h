/* ISO 8601 times as AWS writes them: 2026-11-29T07:03:56Z, with optional
 * fractional seconds and a Z or +HH:MM / -HH:MM offset. */
#ifndef IAMDB_TIMEUTIL_H
#define IAMDB_TIMEUTIL_H

#include <time.h>

/* Times outside years 0000 to 9999 (after the offset) are refused: no
 * four-digit year could say them again. */
int	time_parse_iso8601(const char *, time_t *);
/* Writes YYYY-MM-DDTHH:MM:SSZ (21 bytes with the NUL); -1, and "" in out,
 * for a time outside years 0000 to 9999. */
int	time_format_iso8601(time_t, char out[21]);
/* The basic format, 20260102T030405Z (see timeutil.c). */
int	time_parse_iso8601_basic(const char *, time_t *);

/*
 * The one rule for renewing what runs out (cached credentials and logins,
 * the tokens --watch and exec keep written): lifetime / 3 before it
 * expires, at most RENEW_MARGIN_MAX; lifetime 0 when it is not known. So a
 * client is always handed something good for minutes ahead, and a short
 * token is not renewed as soon as it is made.
 */
#define RENEW_MARGIN_MAX	300
time_t	renew_at(time_t expires, long lifetime);

#endif
