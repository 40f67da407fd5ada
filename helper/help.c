/* iamdb COMMAND --help and iamdb help COMMAND, from the option tables. */
#include <string.h>

#include "helper.h"

/* Appends text as lines of at most 72 columns, each indented by pad. */
static void
wrap(struct buf *b, const char *text, int pad)
{
	const char *p = text;
	int col = 0;

	while (*p != '\0') {
		size_t word = strcspn(p, " ");

		if (col > 0 && col + 1 + (int)word > 72) {
			buf_addc(b, '\n');
			col = 0;
		}
		if (col == 0) {
			buf_printf(b, "%*s", pad, "");
			col = pad;
		} else {
			buf_addc(b, ' ');
			col++;
		}
		buf_add(b, p, word);
		col += (int)word;
		p += word;
		p += strspn(p, " ");
	}
	if (col > 0)
		buf_addc(b, '\n');
}

static void
option(struct buf *b, const struct opt *o)
{
	struct buf line = BUF_INIT;
	size_t i;

	buf_adds(&line, "  ");
	if (o->letter != 0)
		buf_printf(&line, "-%c, ", o->letter);
	buf_printf(&line, "--%s", o->name);
	if (o->kind != OPT_FLAG)
		buf_printf(&line, " %s", o->value ? o->value : "VALUE");
	if (o->alias != NULL)
		buf_printf(&line, " (or --%s)", o->alias);
	buf_addc(&line, '\n');
	buf_add(b, line.data, line.len);
	buf_free(&line);

	if (o->help != NULL)
		wrap(b, o->help, 8);
	if (o->kind == OPT_CHOICE) {
		buf_reset(&line);
		buf_adds(&line, "One of:");
		for (i = 0; o->choices[i] != NULL; i++)
			buf_printf(&line, " %s", o->choices[i]);
		buf_addc(&line, '.');
		wrap(b, buf_str(&line), 8);
		buf_free(&line);
	}
	if (o->kind == OPT_LIST)
		wrap(b, "May be given more than once.", 8);
	if (o->dflt != NULL) {
		buf_printf(&line, "Default: %s.", o->dflt);
		wrap(b, buf_str(&line), 8);
		buf_free(&line);
	}
	if (o->example != NULL)
		buf_printf(b, "        Example: %s\n", o->example);
}

void
opt_help(const struct command *c, struct buf *b)
{
	const struct optgroup *g;
	const struct opt *o;
	struct optiter it;

	buf_printf(b, "usage: iamdb %s %s\n\n", c->name, c->synopsis);
	if (c->description != NULL) {
		wrap(b, c->description, 0);
		buf_addc(b, '\n');
	}
	OPT_EACH_GROUP(c, it, g) {
		buf_printf(b, "%s:\n", g->title);
		for (o = g->opts; o->name != NULL; o++)
			option(b, o);
		buf_addc(b, '\n');
	}
	buf_adds(b, "  -h, --help\n        Print this help and exit.\n\n");
	buf_printf(b, "The manual has more: man iamdb, and its section on "
	    "'%s'.\n", c->name);
}
