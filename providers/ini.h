/* The AWS shared config and credentials file format, read as botocore reads
 * it (Python's configparser): [sections], "key = value" or "key: value",
 * full-line # and ; comments, keys case-insensitive, lines indented deeper
 * than their key continue its value, blank lines
 * inside a continued value are kept, and CR LF, CR or LF end a line. A
 * repeated section, or a key repeated in a section, is an error, as in
 * configparser's strict mode. A value whose first line is empty is a
 * nested block ("s3 =" then indented "key = value" lines); a line in it
 * without '=' is an error, as in botocore. A section's name is what stands
 * between the brackets, spaces included; the keys of [DEFAULT] apply to
 * every section that does not set them. */
#ifndef IAMDB_INI_H
#define IAMDB_INI_H

#include <stddef.h>

#include "../common/err.h"

/* In file order; a section header is an entry with the key "". */
struct ini_entry {
	char	*section;
	char	*key;		/* lower case */
	char	*value;		/* may hold a secret: wiped by ini_free */
	int	 line;
	int	 nested;	/* a block: "key =" then indented lines */
};

struct ini {
	char			*path;
	struct ini_entry	*e;
	size_t			 n, cap;
	size_t			*slot;		/* index by section and key */
	size_t			 nslot;
};

/* Parses text; errors read "path:line: what". */
int	ini_parse(struct ini *, const char *path, const char *text,
	    size_t len, struct err *);

/* Reads and parses a file. A missing file, or one that is not a regular
 * file (a directory, /dev/null), is an empty ini, as botocore reads only
 * what os.path.isfile accepts. */
int	ini_load(struct ini *, const char *path, struct err *);

/* The entry of key in section, or the [DEFAULT] section's if the section
 * exists and lacks it; NULL when neither. */
const struct ini_entry *ini_find(const struct ini *, const char *section,
	    const char *key);
/* Its value, or NULL. */
const char *ini_get(const struct ini *, const char *section,
	    const char *key);
/* The value of key in section for use in a request, a header or a file
 * name: 0 with *value (NULL when absent), or -1 when it is a nested block
 * or holds a control character (e names file:line, never the value). */
#define INI_WORDS	1	/* a command line: tab and LF separate words */
#define INI_NONEMPTY	2	/* an empty value is an error too */
int	ini_setting(const struct ini *, const char *section, const char *key,
	    int flags, const char **value, struct err *);
/* A key's value in the nested block under key: 0 with *value (a heap
 * string, NULL when absent), -1 when it holds a control character. */
int	ini_nested(const struct ini *, const char *section, const char *key,
	    const char *subkey, char **value, struct err *);
/* Whether the file has the section; [DEFAULT] is no section. */
int	ini_has_section(const struct ini *, const char *section);
void	ini_free(struct ini *);

#endif
