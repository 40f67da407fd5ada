#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "providers.h"

static char *
expand_home(const char *path)
{
	const char *home = getenv("HOME");
	struct buf b = BUF_INIT;

	if (path[0] == '~' && (path[1] == '/' || path[1] == '\0') &&
	    home != NULL) {
		buf_adds(&b, home);
		buf_adds(&b, path + 1);
		return b.data;
	}
	return xstrdup(path);
}

static char *
file_path(const char *env, const char *fallback)
{
	const char *v = getenv(env);

	return expand_home(v != NULL && *v != '\0' ? v : fallback);
}

void
awsconfig_init(struct awsconfig *c, const char *cli_profile)
{
	const char *p;

	memset(c, 0, sizeof(*c));
	c->profile = "default";
	if (cli_profile != NULL) {
		c->profile = cli_profile;
		c->explicit = 1;
	} else if ((p = getenv("AWS_PROFILE")) != NULL && *p != '\0')
		c->profile = p;
	else if ((p = getenv("AWS_DEFAULT_PROFILE")) != NULL && *p != '\0')
		c->profile = p;
	c->config_path = file_path("AWS_CONFIG_FILE", "~/.aws/config");
	c->credentials_path = file_path("AWS_SHARED_CREDENTIALS_FILE",
	    "~/.aws/credentials");
}

int
awsconfig_load(struct awsconfig *c, struct err *e)
{
	if (c->loaded)
		return 0;
	if (ini_load(&c->config, c->config_path, e) == -1)
		return -1;
	if (ini_load(&c->credentials, c->credentials_path, e) == -1) {
		ini_free(&c->config);
		return -1;
	}
	c->loaded = 1;
	return 0;
}

void
awsconfig_free(struct awsconfig *c)
{
	if (c->loaded) {
		ini_free(&c->config);
		ini_free(&c->credentials);
	}
	free(c->config_path);
	free(c->credentials_path);
	memset(c, 0, sizeof(*c));
}

/* [profile NAME] in the config file; [default] also names the default. */
static const char *
config_get(struct awsconfig *c, const char *name, const char *key)
{
	struct buf section = BUF_INIT;
	const char *v;

	buf_printf(&section, "profile %s", name);
	v = ini_get(&c->config, buf_str(&section), key);
	buf_free(&section);
	if (v == NULL && strcmp(name, "default") == 0)
		v = ini_get(&c->config, "default", key);
	return v;
}

const char *
awsconfig_profile_get(struct awsconfig *c, const char *name,
    const char *key, const char **where)
{
	const char *v;

	if (!c->loaded)
		return NULL;
	if ((v = ini_get(&c->credentials, name, key)) != NULL) {
		if (where != NULL)
			*where = c->credentials_path;
		return v;
	}
	if ((v = config_get(c, name, key)) != NULL && where != NULL)
		*where = c->config_path;
	return v;
}

const char *
awsconfig_get(struct awsconfig *c, const char *key, const char **where)
{
	return awsconfig_profile_get(c, c->profile, key, where);
}

int
awsconfig_profile_exists(struct awsconfig *c, const char *name)
{
	struct buf section = BUF_INIT;
	int found;

	if (!c->loaded)
		return 0;
	buf_printf(&section, "profile %s", name);
	found = ini_has_section(&c->credentials, name) ||
	    ini_has_section(&c->config, buf_str(&section)) ||
	    (strcmp(name, "default") == 0 &&
	    ini_has_section(&c->config, "default"));
	buf_free(&section);
	return found;
}

int
awsconfig_has_profile(struct awsconfig *c)
{
	return awsconfig_profile_exists(c, c->profile);
}

int
awsconfig_check_profile(struct awsconfig *c, struct err *e)
{
	if (strcmp(c->profile, "default") == 0)
		return 0;
	if (awsconfig_load(c, e) == -1)
		return -1;
	if (!awsconfig_has_profile(c))
		return err_set(e, ERR_CONFIG, "profile '%s' not found in %s "
		    "or %s", c->profile, c->credentials_path, c->config_path);
	return 0;
}
