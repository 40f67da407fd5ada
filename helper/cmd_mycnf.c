/* iamdb mycnf: the connection in a group of a MySQL option file. */
#include <stdlib.h>
#include <string.h>

#include "helper.h"

static char *
default_path(void)
{
	const char *home = getenv("HOME");
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s/.my.cnf", home ? home : ".");
	return b.data;
}

static int
update(const char *old, size_t len, const struct args *a,
    const struct conn *c, struct buf *out, struct err *e)
{
	struct conn cc = *c;

	cc.cleartext_option = a->cleartext_plugin;
	return mycnf_update(old, len, &cc, a->group ? a->group : "client",
	    a->remove, out, e);
}

static const struct file_kind mycnf = {
	.name = "mycnf",
	.engine = "mysql",
	.output = OUT_MYCNF,
	.want_ca = 1,
	.default_path = default_path,
	.update = update,
};

static int
run(struct args *a)
{
	return file_command(a, &mycnf);
}

static int
check_group(const char *v, struct err *e)
{
	struct err why;

	if (group_name_ok(v, &why) == -1)
		return err_set(e, ERR_USAGE, "--group: %s", why.msg);
	return 0;
}

static const struct opt own[] = {
	{ .name = "group", .kind = OPT_TEXT, .check = check_group,
	  .field = offsetof(struct args, group), .value = "NAME",
	  .help = "The option file group to write the connection into.",
	  .dflt = "client", .example = "--group client-app" },
	{ .name = "cleartext-plugin", .kind = OPT_FLAG,
	  .field = offsetof(struct args, cleartext_plugin),
	  .help = "For Oracle's mysql client: also write (loose-) ssl-mode "
	      "and enable-cleartext-plugin, which it needs to check the "
	      "host and send the token (MariaDB's client warns about "
	      "both)." },
	{ .name = NULL }
};

static const struct optgroup groups[] = {
	{ "File", opts_file, NULL },
	{ "Option file", own, NULL },
	{ .include = optgroups_conn },
	{ NULL, NULL, NULL }
};

const struct command cmd_mycnf = {
	.name = "mycnf",
	.summary = "add, refresh (--watch) or --remove a group of ~/.my.cnf",
	.synopsis = "[URL] [--file PATH] [--group NAME] [--remove] [--watch] "
	    "[--cleartext-plugin] [options]",
	.description = "Writes the connection's user, token, host, port and "
	    "TLS settings into a group of a MySQL option file, readable by "
	    "the MySQL and MariaDB clients, leaving everything else as it "
	    "was; --watch keeps them fresh.",
	.groups = groups,
	.operands = { 1, "URL", 0 },
	.run = run,
};
