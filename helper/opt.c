/*
 * The one argument parser. Long options (--name VALUE, --name=VALUE),
 * single-letter flags (-v, -h, grouped as -vh), operands anywhere among
 * the options, and "--" before a command's own arguments, as getopt_long
 * reads them, but driven by the tables in opt.h so that every value is
 * checked in one place.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helper.h"

static const struct opt help_opt = {
	.name = "help", .letter = 'h', .kind = OPT_FLAG,
	.field = offsetof(struct args, help),
	.help = "print this help and exit",
};

const struct optgroup *
opt_group_next(const struct command *c, struct optiter *it)
{
	const struct optgroup *g = it->at == NULL ? c->groups : it->at + 1;

	while (g != NULL) {
		if (g->include != NULL && it->back == NULL) {
			it->back = g;
			g = g->include;
		} else if (g->title != NULL) {
			it->at = g;
			return g;
		} else if (it->back != NULL) {
			g = it->back + 1;
			it->back = NULL;
		} else
			break;
	}
	it->at = NULL;
	return NULL;
}

static const struct opt *
find_long(const struct command *c, const char *name, size_t len)
{
	const struct optgroup *g;
	const struct opt *o;
	struct optiter it;

	if (len == 4 && strncmp(name, "help", 4) == 0)
		return &help_opt;
	OPT_EACH(c, it, g, o)
		if ((strlen(o->name) == len &&
		    strncmp(o->name, name, len) == 0) ||
		    (o->alias != NULL && strlen(o->alias) == len &&
		    strncmp(o->alias, name, len) == 0))
			return o;
	return NULL;
}

static const struct opt *
find_letter(const struct command *c, char letter)
{
	const struct optgroup *g;
	const struct opt *o;
	struct optiter it;

	if (letter == 'h')
		return &help_opt;
	OPT_EACH(c, it, g, o)
		if (o->letter == letter)
			return o;
	return NULL;
}

static int
number(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* YYYY-MM-DDTHH:MM:SSZ, always UTC. */
static int
utc_time(const char *s, time_t *out)
{
	struct tm tm, want;
	const char *end;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (strlen(s) != 20 || (end = strptime(s, "%Y-%m-%dT%H:%M:%SZ",
	    &tm)) == NULL || *end != '\0')
		return -1;
	/* strptime takes 2016-02-31, which timegm would roll over. */
	want = tm;
	if ((t = timegm(&tm)) == (time_t)-1 || tm.tm_mday != want.tm_mday ||
	    tm.tm_mon != want.tm_mon || tm.tm_hour != want.tm_hour)
		return -1;
	*out = t;
	return 0;
}

static void
list_choices(const struct opt *o, struct buf *b)
{
	size_t i;

	for (i = 0; o->choices[i] != NULL; i++) {
		if (i > 0)
			buf_adds(b, o->choices[i + 1] == NULL ? " or " : ", ");
		buf_adds(b, o->choices[i]);
	}
}

/* Checks value against o and stores it in a. */
static int
store(const struct opt *o, const char *value, struct args *a, struct err *e)
{
	char *field = (char *)a + o->field;
	struct buf b = BUF_INIT;
	size_t i;
	long v;

	switch (o->kind) {
	case OPT_FLAG:
		*(int *)(void *)field = 1;
		return 0;
	case OPT_TEXT:
		if (*value == '\0')
			return err_set(e, ERR_USAGE, "--%s: the value is empty",
			    o->name);
		break;
	case OPT_NUMBER:
		if (number(value, o->min, o->max, &v) == -1)
			return err_set(e, ERR_USAGE, "--%s '%s': expected a "
			    "whole number from %ld to %ld", o->name, value,
			    o->min, o->max);
		((struct optnum *)(void *)field)->v = v;
		((struct optnum *)(void *)field)->set = 1;
		return 0;
	case OPT_CHOICE:
		for (i = 0; o->choices[i] != NULL; i++)
			if (strcmp(value, o->choices[i]) == 0)
				break;
		if (o->choices[i] == NULL) {
			list_choices(o, &b);
			err_set(e, ERR_USAGE, "--%s '%s': expected %s",
			    o->name, value, buf_str(&b));
			buf_free(&b);
			return -1;
		}
		value = o->choices[i];
		break;
	case OPT_TIME:
		if (utc_time(value, &((struct opttime *)(void *)field)->t)
		    == -1)
			return err_set(e, ERR_USAGE, "--%s '%s': expected "
			    "YYYY-MM-DDTHH:MM:SSZ (UTC)", o->name, value);
		((struct opttime *)(void *)field)->set = 1;
		return 0;
	case OPT_LIST: {
		struct optlist *l = (struct optlist *)(void *)field;

		if (*value == '\0')
			return err_set(e, ERR_USAGE, "--%s: the value is empty",
			    o->name);
		if (o->check != NULL && o->check(value, e) == -1)
			return -1;
		if (l->n == OPT_LIST_MAX)
			return err_set(e, ERR_USAGE, "--%s: at most %d", o->name,
			    OPT_LIST_MAX);
		l->v[l->n++] = value;
		return 0;
	}
	}
	if (o->check != NULL && o->check(value, e) == -1)
		return -1;
	*(const char **)(void *)field = value;
	return 0;
}

static void
note_given(struct args *a, const struct opt *o)
{
	size_t i;

	for (i = 0; i < a->ngiven; i++)
		if (a->given[i] == o)
			return;
	if (a->ngiven < sizeof(a->given) / sizeof(a->given[0]))
		a->given[a->ngiven++] = o;
}

int
opt_given(const struct args *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->ngiven; i++)
		if (strcmp(a->given[i]->name, name) == 0)
			return 1;
	return 0;
}

/* The long names of c's options, for suggestions. */
static size_t
long_names(const struct command *c, const char **names, size_t max)
{
	const struct optgroup *g;
	const struct opt *o;
	struct optiter it;
	size_t n = 0;

	if (n < max)
		names[n++] = "help";
	OPT_EACH(c, it, g, o) {
		if (n < max)
			names[n++] = o->name;
		if (o->alias != NULL && n < max)
			names[n++] = o->alias;
	}
	return n;
}

static int
unknown_option(const struct command *c, const char *arg, size_t len,
    struct err *e)
{
	const char *names[128], *near;
	char *word = xstrndup(arg, len);
	size_t n = long_names(c, names, sizeof(names) / sizeof(names[0]));

	near = word[0] == '-' && word[1] == '-' ?
	    opt_nearest(word + 2, names, n) : NULL;
	if (near != NULL)
		err_set(e, ERR_USAGE, "unknown option '%s' (did you mean "
		    "'--%s'?)", word, near);
	else
		err_set(e, ERR_USAGE, "unknown option '%s'", word);
	free(word);
	return -1;
}

static int
operand(const struct command *c, char *word, struct args *a, struct err *e)
{
	if (a->noperands >= c->operands.max) {
		if (c->operands.max == 0)
			return err_set(e, ERR_USAGE, "unexpected argument "
			    "'%s'", word);
		return err_set(e, ERR_USAGE, "unexpected argument '%s': give "
		    "one %s", word, c->operands.name);
	}
	a->operands[a->noperands++] = word;
	return 0;
}

/* --name, --name=value; *i moves past a separate value. */
static int
long_option(const struct command *c, int argc, char **argv, int *i,
    struct args *a, struct err *e)
{
	const char *arg = argv[*i], *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct opt *o = find_long(c, arg + 2, len - 2);
	const char *value;

	if (o == NULL)
		return unknown_option(c, arg, len, e);
	if (o->kind == OPT_FLAG) {
		if (eq != NULL)
			return err_set(e, ERR_USAGE, "--%s takes no value",
			    o->name);
		value = "";
	} else if (eq != NULL)
		value = eq + 1;
	else if (*i + 1 < argc)
		value = argv[++*i];
	else
		return err_set(e, ERR_USAGE, "missing value for --%s",
		    o->name);
	note_given(a, o);
	return store(o, value, a, e);
}

/* -v, -vh, -xVALUE or -x VALUE. */
static int
letters(const struct command *c, int argc, char **argv, int *i,
    struct args *a, struct err *e)
{
	const char *p;

	for (p = argv[*i] + 1; *p != '\0'; p++) {
		const struct opt *o = find_letter(c, *p);
		char name[3] = { '-', *p, '\0' };

		if (o == NULL)
			return unknown_option(c, name, 2, e);
		note_given(a, o);
		if (o->kind == OPT_FLAG) {
			store(o, "", a, e);
			continue;
		}
		if (p[1] != '\0')
			return store(o, p + 1, a, e);
		if (*i + 1 >= argc)
			return err_set(e, ERR_USAGE, "missing value for -%c",
			    *p);
		return store(o, argv[++*i], a, e);
	}
	return 0;
}

int
opt_parse(const struct command *c, int argc, char **argv, struct args *a,
    struct err *e)
{
	size_t k;
	int i;

	a->cmd = c;
	/* Options given before the command name must be the command's. */
	for (k = 0; k < a->ngiven; k++)
		if (find_long(c, a->given[k]->name,
		    strlen(a->given[k]->name)) == NULL)
			return err_set(e, ERR_USAGE, "--%s does not apply to "
			    "'%s'", a->given[k]->name, c->name);
	for (i = 1; i < argc; i++) {
		char *arg = argv[i];

		if (strcmp(arg, "--") == 0) {
			if (c->operands.rest) {
				a->rest = argv + i + 1;
				return 0;
			}
			/* Everything after it is an operand. */
			for (i++; i < argc; i++)
				if (operand(c, argv[i], a, e) == -1)
					return -1;
			return 0;
		}
		if (arg[0] == '-' && arg[1] == '-') {
			if (long_option(c, argc, argv, &i, a, e) == -1)
				return -1;
		} else if (arg[0] == '-' && arg[1] != '\0') {
			if (letters(c, argc, argv, &i, a, e) == -1)
				return -1;
		} else if (operand(c, arg, a, e) == -1)
			return -1;
		if (a->help)
			return 0;
	}
	return 0;
}

int
opt_set(const struct command *c, const char *name, const char *value,
    struct args *a, struct err *e)
{
	const struct opt *o = find_long(c, name, strlen(name));

	if (o == NULL || o == &help_opt)
		return err_set(e, ERR_USAGE, "no option --%s", name);
	note_given(a, o);
	return store(o, value, a, e);
}

static const struct opt global_opts[] = {
	{ .name = "verbose", .letter = 'v', .kind = OPT_FLAG,
	  .field = offsetof(struct args, verbose) },
	{ .name = "profile", .kind = OPT_TEXT,
	  .field = offsetof(struct args, profile) },
	{ .name = "region", .kind = OPT_TEXT,
	  .field = offsetof(struct args, region) },
	{ .name = NULL }
};
static const struct optgroup global_groups[] = {
	{ "global", global_opts, NULL },
	{ NULL, NULL, NULL }
};
static const struct command global = { .name = "iamdb",
	.groups = global_groups };

int
opt_parse_global(int argc, char **argv, int *next, struct args *a,
    struct err *e)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0' &&
	    strcmp(argv[i], "--") != 0; i++) {
		const char *arg = argv[i];
		size_t len = strcspn(arg, "=");

		/* --help, --version and the like are main's. */
		if ((arg[1] == '-' && find_long(&global, arg + 2, len - 2) ==
		    NULL) || (arg[1] != '-' && strspn(arg + 1, "v") !=
		    strlen(arg + 1)))
			break;
		if (strcmp(arg, "--help") == 0)
			break;
		if (arg[1] == '-') {
			if (long_option(&global, argc, argv, &i, a, e) == -1)
				return -1;
		} else if (letters(&global, argc, argv, &i, a, e) == -1)
			return -1;
	}
	/* -v applies to every command; the others must be taken by it. */
	for (size_t k = 0; k < a->ngiven; k++)
		if (strcmp(a->given[k]->name, "verbose") == 0) {
			a->given[k] = a->given[--a->ngiven];
			break;
		}
	*next = i;
	return 0;
}

/* Restricted Damerau-Levenshtein distance: a swap of two neighbours
 * counts once, as it is the commonest slip. */
static size_t
distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b), i, j, d;
	size_t *row0, *row1, *row2, *t;

	if (n > 64 || m > 64)
		return (size_t)-1;
	row0 = xcalloc(m + 1, sizeof(*row0));
	row1 = xcalloc(m + 1, sizeof(*row1));
	row2 = xcalloc(m + 1, sizeof(*row2));
	for (j = 0; j <= m; j++)
		row1[j] = j;
	for (i = 1; i <= n; i++) {
		row2[0] = i;
		for (j = 1; j <= m; j++) {
			size_t cost = a[i - 1] != b[j - 1];

			d = row1[j - 1] + cost;
			if (row1[j] + 1 < d)
				d = row1[j] + 1;
			if (row2[j - 1] + 1 < d)
				d = row2[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && row0[j - 2] + 1 < d)
				d = row0[j - 2] + 1;
			row2[j] = d;
		}
		t = row0;
		row0 = row1;
		row1 = row2;
		row2 = t;
	}
	d = row1[m];
	free(row0);
	free(row1);
	free(row2);
	return d;
}

const char *
opt_nearest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t i, bestd = (size_t)-1, len = strlen(word);
	/* Near enough: a slip or two, fewer for short words. */
	size_t limit = len < 4 ? 1 : len < 8 ? 2 : 3;

	for (i = 0; i < n; i++) {
		size_t d = distance(word, candidates[i]);

		/* A prefix of a longer name is a likely abbreviation. */
		if (len >= 3 && strncmp(candidates[i], word, len) == 0)
			d = 1;
		if (d < bestd) {
			bestd = d;
			best = candidates[i];
		}
	}
	return bestd <= limit && bestd > 0 ? best : NULL;
}
