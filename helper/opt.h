/*
 * Command-line options as data. Each command declares its options in
 * tables (the connection and AWS options are tables that commands
 * include); one parser reads every command's arguments from them, checks
 * every value, and the same tables make --help, the suggestions for
 * mistyped names and the shell completions.
 */
#ifndef IAMDB_OPT_H
#define IAMDB_OPT_H

#include <stddef.h>
#include <time.h>

#include "../common/buf.h"
#include "../common/err.h"

struct args;

enum opt_kind {
	OPT_FLAG,	/* int, set to 1 */
	OPT_TEXT,	/* const char *, never empty */
	OPT_NUMBER,	/* struct optnum: a whole number from min to max */
	OPT_CHOICE,	/* const char *: one of choices */
	OPT_TIME,	/* struct opttime: YYYY-MM-DDTHH:MM:SSZ, UTC */
	OPT_LIST,	/* struct optlist: every value given, in order */
};

struct optnum {
	long	v;
	int	set;
};

struct opttime {
	time_t	t;
	int	set;
};

#define OPT_LIST_MAX	32
struct optlist {
	const char	*v[OPT_LIST_MAX];
	size_t		 n;
};

#define OPT_GLOBAL	0x1	/* may also come before the command name */
#define OPT_PATH	0x2	/* its value is a file name (completion) */

struct opt {
	const char		*name;		/* --name */
	const char		*alias;		/* another --name, or NULL */
	char			 letter;	/* -x, or 0 */
	enum opt_kind		 kind;
	size_t			 field;		/* offsetof(struct args, ...) */
	const char		*value;		/* the value in help: HOST */
	const char		*help;
	const char		*dflt;		/* for help; NULL: none */
	const char		*example;	/* for help; NULL: none */
	long			 min, max;	/* OPT_NUMBER */
	const char *const	*choices;	/* OPT_CHOICE, NULL-ended */
	/* Further checks of a value; the message says what is wrong. */
	int			(*check)(const char *, struct err *);
	/* The values to offer in completions, space-separated, for an
	 * option that is not OPT_CHOICE. */
	void			(*values)(struct buf *);
	unsigned		 flags;
};

/* A titled table of options, or, with include set, a list of groups
 * (more than one command's) taken in its place. A list ends with an entry
 * that has neither title nor include. */
struct optgroup {
	const char		*title;
	const struct opt	*opts;		/* ended by a NULL name */
	const struct optgroup	*include;	/* one level deep */
};

/* Where opt_group_next is in a command's groups. */
struct optiter {
	const struct optgroup	*at;
	const struct optgroup	*back;		/* the include being read */
};

/* What a command takes besides options. */
struct operands {
	size_t		 max;		/* how many words at most */
	const char	*name;		/* for messages: "URL", "TOKEN" */
	int		 rest;		/* takes COMMAND ... after "--" */
};

struct command {
	const char		*name;
	const char		*summary;	/* one line, for iamdb --help */
	const char		*synopsis;	/* after "iamdb NAME" */
	const char		*description;	/* for NAME --help */
	const struct optgroup	*groups;	/* ended by a NULL title */
	struct operands		 operands;
	int			(*run)(struct args *);
};

/* The next titled group of c (the first when it is zeroed), the included
 * lists read in their place; NULL after the last. */
const struct optgroup *opt_group_next(const struct command *c,
	    struct optiter *);

#define OPT_EACH_GROUP(c, it, g)					\
	for ((it) = (struct optiter){ NULL, NULL },			\
	    (g) = opt_group_next((c), &(it)); (g) != NULL;		\
	    (g) = opt_group_next((c), &(it)))
/* Each option of c, in the order of its groups. */
#define OPT_EACH(c, it, g, o)						\
	OPT_EACH_GROUP(c, it, g)					\
		for ((o) = (g)->opts; (o)->name != NULL; (o)++)

/*
 * Parses argv (argv[0] is the command name) into a. Returns 0, with
 * a->help set when --help was asked for, or -1 with e saying what is
 * wrong (an ERR_USAGE). Options that were already given (before the
 * command name) must be ones the command takes.
 */
int	opt_parse(const struct command *, int argc, char **argv,
	    struct args *a, struct err *e);

/* Sets option name of command c as --name value would. */
int	opt_set(const struct command *c, const char *name, const char *value,
	    struct args *a, struct err *e);

/* The options that may come before the command name: -v, --profile,
 * --region. Parses them from argv[1...] and sets *next to the first
 * argument that is not one. */
int	opt_parse_global(int argc, char **argv, int *next, struct args *a,
	    struct err *e);

/* iamdb NAME --help: the synopsis, the description and each option with
 * its default and an example. */
void	opt_help(const struct command *, struct buf *);

/* The nearest of the candidates to word, if one is near enough; for "did
 * you mean". */
const char *opt_nearest(const char *word, const char *const *candidates,
	    size_t n);

/* Completion scripts for bash, zsh and fish, from the tables. */
int	opt_completion(const struct command *const *, size_t,
	    const char *shell, struct buf *, struct err *);

/* Whether option name (without "--") was given. */
int	opt_given(const struct args *, const char *name);

#endif
