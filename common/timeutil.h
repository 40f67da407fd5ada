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

#endif
