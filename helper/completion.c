/*
 * iamdb completion bash|zsh|fish: completion scripts made from the same
 * tables the parser reads, so that they cannot fall behind. Commands,
 * their options (and aliases), the values of options with a fixed set of
 * them, and file names where a value is one.
 */
#include <string.h>

#include "helper.h"

/* The first sentence of an option's help, made safe for every shell's
 * quoting: no quotes, brackets, colons or backslashes. */
static void
summary(struct buf *b, const char *help)
{
	const char *stop = help ? strstr(help, ". ") : NULL;
	size_t n = help == NULL ? 0 : stop ? (size_t)(stop - help) :
	    strlen(help);
	size_t i;

	if (n > 0 && help[n - 1] == '.')
		n--;
	for (i = 0; i < n && i < 72; i++) {
		char c = help[i];

		buf_addc(b, strchr("'\"[]:\\`$", c) ? ' ' : c);
	}
	while (b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
}

static void
words_of(const struct opt *o, struct buf *b)
{
	size_t i;

	if (o->values != NULL) {
		o->values(b);
		return;
	}
	for (i = 0; o->choices[i] != NULL; i++)
		buf_printf(b, "%s%s", i ? " " : "", o->choices[i]);
}

/* Whether the option's values are a known set of words. */
static int
has_words(const struct opt *o)
{
	return o->kind == OPT_CHOICE || o->values != NULL;
}

static void
bash(const struct command *const *cmds, size_t n, struct buf *b)
{
	const struct optgroup *g;
	const struct opt *o;
	struct optiter it;
	size_t i;

	buf_adds(b, "# bash completion for iamdb (iamdb completion bash)\n"
	    "_iamdb() {\n"
	    "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= i opts=\n"
	    "\t[ \"$COMP_CWORD\" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	    "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	    "\t\tcase ${COMP_WORDS[i]} in\n"
	    "\t\t--profile|--region) i=$((i + 1)) ;;\n"
	    "\t\t-*) ;;\n"
	    "\t\t*) cmd=${COMP_WORDS[i]}; break ;;\n"
	    "\t\tesac\n"
	    "\tdone\n"
	    "\tif [ -z \"$cmd\" ]; then\n"
	    "\t\tCOMPREPLY=($(compgen -W \"");
	for (i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? " " : "", cmds[i]->name);
	buf_adds(b, " --help --version -v --profile --region\" -- \"$cur\"))\n"
	    "\t\treturn\n"
	    "\tfi\n"
	    "\tcase $cmd in\n");
	for (i = 0; i < n; i++) {
		buf_printf(b, "\t%s)\n\t\tcase $prev in\n", cmds[i]->name);
		OPT_EACH(cmds[i], it, g, o) {
			if (o->kind == OPT_FLAG)
				continue;
			buf_printf(b, "\t\t--%s", o->name);
			if (o->alias != NULL)
				buf_printf(b, "|--%s", o->alias);
			if (has_words(o)) {
				buf_adds(b, ") COMPREPLY=($(compgen -W \"");
				words_of(o, b);
				buf_adds(b, "\" -- \"$cur\")); return ;;\n");
			} else if (o->flags & OPT_PATH)
				buf_adds(b, ") COMPREPLY=($(compgen -f -- "
				    "\"$cur\")); return ;;\n");
			else
				buf_adds(b, ") COMPREPLY=(); return ;;\n");
		}
		buf_adds(b, "\t\tesac\n\t\topts=\"--help");
		OPT_EACH(cmds[i], it, g, o) {
			buf_printf(b, " --%s", o->name);
			if (o->alias != NULL)
				buf_printf(b, " --%s", o->alias);
		}
		buf_adds(b, "\" ;;\n");
	}
	buf_adds(b, "\tesac\n"
	    "\tcase $cur in\n"
	    "\t-*) COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")) ;;\n"
	    "\tesac\n"
	    "}\n"
	    "complete -F _iamdb iamdb\n");
}

static void
zsh_spec(struct buf *b, const struct opt *o, const char *name)
{
	buf_printf(b, " \\\n\t\t    '--%s[", name);
	summary(b, o->help);
	buf_adds(b, "]");
	if (has_words(o)) {
		buf_printf(b, ":%s:(", o->value ? o->value : "value");
		words_of(o, b);
		buf_adds(b, ")");
	} else if (o->flags & OPT_PATH)
		buf_printf(b, ":%s:_files", o->value ? o->value : "file");
	else if (o->kind != OPT_FLAG)
		buf_printf(b, ":%s: ", o->value ? o->value : "value");
	buf_adds(b, "'");
}

static void
zsh(const struct command *const *cmds, size_t n, struct buf *b)
{
	const struct optgroup *g;
	const struct opt *o;
	struct optiter it;
	size_t i;

	buf_adds(b, "#compdef iamdb\n"
	    "# zsh completion for iamdb (iamdb completion zsh)\n"
	    "_iamdb() {\n"
	    "\tlocal -a commands\n"
	    "\tcommands=(\n");
	for (i = 0; i < n; i++) {
		buf_printf(b, "\t    '%s:", cmds[i]->name);
		summary(b, cmds[i]->summary);
		buf_adds(b, "'\n");
	}
	buf_adds(b, "\t)\n"
	    "\tif (( CURRENT == 2 )); then\n"
	    "\t\t_describe command commands\n"
	    "\t\treturn\n"
	    "\tfi\n"
	    "\tlocal cmd=$words[2]\n"
	    "\tshift words\n"
	    "\t(( CURRENT-- ))\n"
	    "\tcase $cmd in\n");
	for (i = 0; i < n; i++) {
		buf_printf(b, "\t%s)\n\t\t_arguments \\\n\t\t    "
		    "'--help[print help]'", cmds[i]->name);
		OPT_EACH(cmds[i], it, g, o) {
			zsh_spec(b, o, o->name);
			if (o->alias != NULL)
				zsh_spec(b, o, o->alias);
			if (o->letter != 0) {
				buf_printf(b, " \\\n\t\t    '-%c[", o->letter);
				summary(b, o->help);
				buf_adds(b, "]'");
			}
		}
		if (cmds[i]->operands.max > 0 || cmds[i]->operands.rest)
			buf_adds(b, " \\\n\t\t    '*:argument:_default'");
		buf_adds(b, "\n\t\t;;\n");
	}
	buf_adds(b, "\tesac\n"
	    "}\n"
	    "_iamdb \"$@\"\n");
}

static void
fish_line(struct buf *b, const struct command *c, const struct opt *o,
    const char *name)
{
	buf_printf(b, "complete -c iamdb -n '__fish_seen_subcommand_from "
	    "%s' -l %s", c->name, name);
	if (o->letter != 0 && name == o->name)
		buf_printf(b, " -s %c", o->letter);
	if (has_words(o)) {
		buf_adds(b, " -x -a '");
		words_of(o, b);
		buf_adds(b, "'");
	} else if (o->flags & OPT_PATH)
		buf_adds(b, " -r -F");
	else if (o->kind != OPT_FLAG)
		buf_adds(b, " -x");
	buf_adds(b, " -d '");
	summary(b, o->help);
	buf_adds(b, "'\n");
}

static void
fish(const struct command *const *cmds, size_t n, struct buf *b)
{
	const struct optgroup *g;
	const struct opt *o;
	struct optiter it;
	size_t i;

	buf_adds(b, "# fish completion for iamdb (iamdb completion fish)\n"
	    "complete -c iamdb -f\n");
	for (i = 0; i < n; i++) {
		buf_printf(b, "complete -c iamdb -n __fish_use_subcommand "
		    "-a %s -d '", cmds[i]->name);
		summary(b, cmds[i]->summary);
		buf_adds(b, "'\n");
	}
	for (i = 0; i < n; i++) {
		buf_printf(b, "complete -c iamdb -n '__fish_seen_subcommand_"
		    "from %s' -s h -l help -d 'print help'\n", cmds[i]->name);
		OPT_EACH(cmds[i], it, g, o) {
			fish_line(b, cmds[i], o, o->name);
			if (o->alias != NULL)
				fish_line(b, cmds[i], o, o->alias);
		}
	}
}

int
opt_completion(const struct command *const *cmds, size_t n,
    const char *shell, struct buf *b, struct err *e)
{
	if (strcmp(shell, "bash") == 0)
		bash(cmds, n, b);
	else if (strcmp(shell, "zsh") == 0)
		zsh(cmds, n, b);
	else if (strcmp(shell, "fish") == 0)
		fish(cmds, n, b);
	else
		return err_set(e, ERR_USAGE, "no completion for '%s': "
		    "expected bash, zsh or fish", shell);
	return 0;
}
