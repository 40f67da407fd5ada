/* The shared config and credentials files, as botocore combines them
 * (botocore/configloader.py and Session.full_config). */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/buf.h"
#include "providers.h"

/* $NAME and ${NAME} replaced by the variable's value where it is set, as
 * os.path.expandvars does: NAME is [A-Za-z0-9_]+, an unset one stays as
 * written, and what a value holds is not expanded again. */
static void
expand_vars(const char *s, struct buf *b)
{
	const char *name, *end, *v;
	char *n;

	while (*s != '\0') {
		if (*s != '$') {
			buf_addc(b, *s++);
			continue;
		}
		if (s[1] == '{' && (end = strchr(s + 2, '}')) != NULL) {
			name = s + 2;
			n = xstrndup(name, (size_t)(end - name));
			end++;
		} else {
			for (end = s + 1; *end == '_' || (*end >= 'a' &&
			    *end <= 'z') || (*end >= 'A' && *end <= 'Z') ||
			    (*end >= '0' && *end <= '9'); end++)
				;
			if (end == s + 1) {
				buf_addc(b, *s++);
				continue;
			}
			n = xstrndup(s + 1, (size_t)(end - s - 1));
		}
		if ((v = getenv(n)) != NULL)
			buf_adds(b, v);
		else
			buf_add(b, s, (size_t)(end - s));
		free(n);
		s = end;
	}
}

/* A leading ~ or ~user, as os.path.expanduser expands it: HOME (even
 * empty) for ~, else the password database. */
static char *
expand_user(const char *path)
{
	const char *slash = strchr(path, '/'), *home;
	size_t n = slash ? (size_t)(slash - path) : strlen(path);
	struct buf b = BUF_INIT;
	struct passwd *pw;
	char *user;

	if (path[0] != '~')
		return xstrdup(path);
	if (n == 1 && (home = getenv("HOME")) != NULL)
		buf_adds(&b, home);
	else {
		user = xstrndup(path + 1, n - 1);
		pw = n == 1 ? getpwuid(getuid()) : getpwnam(user);
		free(user);
		if (pw == NULL)
			return xstrdup(path);
		buf_adds(&b, pw->pw_dir);
	}
	while (b.len > 0 && b.data[b.len - 1] == '/')
		b.data[--b.len] = '\0';
	buf_adds(&b, path + n);
	if (b.len == 0)
		buf_addc(&b, '/');
	return b.data;
}

static char *
file_path(const char *env, const char *fallback)
{
	const char *v = env_nonempty(env);
	struct buf b = BUF_INIT;
	char *path;

	expand_vars(v != NULL ? v : fallback, &b);
	path = expand_user(buf_str(&b));
	buf_free(&b);
	return path;
}

void
awsconfig_init(struct awsconfig *c, const char *cli_profile)
{
	const char *p;

	memset(c, 0, sizeof(*c));
	c->profile = "default";
	if (cli_profile != NULL) {
		c->profile = cli_profile;
		c->explicit = c->named = 1;
	} else if ((p = env_nonempty("AWS_PROFILE")) != NULL ||
	    (p = env_nonempty("AWS_DEFAULT_PROFILE")) != NULL) {
		c->profile = p;
		c->named = 1;
	}
	c->config_path = file_path("AWS_CONFIG_FILE", "~/.aws/config");
	c->credentials_path = file_path("AWS_SHARED_CREDENTIALS_FILE",
	    "~/.aws/credentials");
}

static void
free_words(char *words[3], int n)
{
	int i;

	for (i = 0; i < n && i < 3; i++)
		free(words[i]);
}

/* The words of s as Python's shlex.split splits them: blanks separate,
 * quotes group, a backslash escapes (inside double quotes only before
 * '"' or '\'). Returns how many (at most 3 are kept), or -1 when a quote
 * or an escape is left open. */
static int
shell_words(const char *s, char *words[3])
{
	struct buf w = BUF_INIT;
	int n = 0, in_word = 0;
	char quote = 0;

	for (;; s++) {
		if (quote == 0 && (*s == '\0' || strchr(" \t\r\n", *s))) {
			if (in_word) {
				if (n < 3)
					words[n] = xstrdup(buf_str(&w));
				n++;
				buf_reset(&w);
				in_word = 0;
			}
			if (*s == '\0')
				break;
			continue;
		}
		in_word = 1;
		if (*s == '\0')
			goto open;
		if (quote == 0 && (*s == '"' || *s == '\''))
			quote = *s;
		else if (quote != 0 && *s == quote)
			quote = 0;
		else if (*s == '\\' && quote != '\'') {
			if (s[1] == '\0')
				goto open;
			if (quote == '"' && s[1] != '"' && s[1] != '\\')
				buf_addc(&w, '\\');
			buf_addc(&w, *++s);
		} else
			buf_addc(&w, *s);
	}
	buf_free(&w);
	return n;
open:
	buf_free(&w);
	free_words(words, n);
	return -1;
}

/* botocore's build_profile_map: a config section whose name begins with
 * prefix and splits into two words names the second; [default] is the
 * default profile. A later section wins over an earlier one whole. */
static void
map_sections(struct awsconfig *c, const char *prefix, struct awsconfig_map *m)
{
	const struct ini *ini = &c->config;
	char *words[3];
	size_t i, j;
	int n;

	for (i = 0; i < ini->n; i++) {
		const char *section = ini->e[i].section;
		char *name = NULL;

		if (*ini->e[i].key != '\0')
			continue;
		if (strncmp(section, prefix, strlen(prefix)) == 0) {
			if ((n = shell_words(section, words)) < 0)
				continue;
			if (n == 2)
				name = xstrdup(words[1]);
			free_words(words, n);
		} else if (strcmp(prefix, "profile") == 0 &&
		    strcmp(section, "default") == 0)
			name = xstrdup("default");
		if (name == NULL)
			continue;
		for (j = 0; j < m->n; j++)
			if (strcmp(m->name[j], name) == 0)
				break;
		if (j == m->n) {
			m->name = xrealloc(m->name, (m->n + 1) * sizeof(*m->name));
			m->section = xrealloc(m->section, (m->n + 1) *
			    sizeof(*m->section));
			m->name[m->n++] = name;
		} else
			free(name);
		m->section[j] = section;
	}
}

static void
map_free(struct awsconfig_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->name[i]);
	free(m->name);
	free(m->section);
	memset(m, 0, sizeof(*m));
}

static const char *
map_get(const struct awsconfig_map *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->name[i], name) == 0)
			return m->section[i];
	return NULL;
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
	map_sections(c, "profile", &c->profiles);
	map_sections(c, "sso-session", &c->sso_sessions);
	map_sections(c, "services", &c->services);
	c->loaded = 1;
	return 0;
}

void
awsconfig_free(struct awsconfig *c)
{
	if (c->loaded) {
		ini_free(&c->config);
		ini_free(&c->credentials);
		map_free(&c->profiles);
		map_free(&c->sso_sessions);
		map_free(&c->services);
	}
	free(c->config_path);
	free(c->credentials_path);
	memset(c, 0, sizeof(*c));
}

const char *
awsconfig_config_section(struct awsconfig *c, const char *profile)
{
	return c->loaded ? map_get(&c->profiles, profile) : NULL;
}

const char *
awsconfig_sso_section(struct awsconfig *c, const char *session)
{
	return c->loaded ? map_get(&c->sso_sessions, session) : NULL;
}

const char *
awsconfig_services_section(struct awsconfig *c, const char *name)
{
	return c->loaded ? map_get(&c->services, name) : NULL;
}

/* Which file holds a profile's key: the credentials file when its [name]
 * has the key (or that file's [DEFAULT] has), as Session.full_config lays
 * the credentials file's sections over the config file's profiles. */
static const struct ini *
holder(struct awsconfig *c, const char *name, const char *key,
    const char **section)
{
	if (!c->loaded)
		return NULL;
	if (ini_find(&c->credentials, name, key) != NULL) {
		*section = name;
		return &c->credentials;
	}
	if ((*section = map_get(&c->profiles, name)) != NULL &&
	    ini_find(&c->config, *section, key) != NULL)
		return &c->config;
	return NULL;
}

const char *
awsconfig_profile_get(struct awsconfig *c, const char *name,
    const char *key, const char **where)
{
	const struct ini *ini;
	const char *section;

	if ((ini = holder(c, name, key, &section)) == NULL)
		return NULL;
	if (where != NULL)
		*where = ini->path;
	return ini_get(ini, section, key);
}

const char *
awsconfig_get(struct awsconfig *c, const char *key, const char **where)
{
	return awsconfig_profile_get(c, c->profile, key, where);
}

int
awsconfig_setting(struct awsconfig *c, const char *profile, const char *key,
    int flags, const char **value, struct err *e)
{
	const struct ini *ini;
	const char *section;

	*value = NULL;
	if ((ini = holder(c, profile, key, &section)) == NULL)
		return 0;
	return ini_setting(ini, section, key, flags, value, e);
}

int
awsconfig_has(struct awsconfig *c, const char *profile, const char *key)
{
	const char *section;

	return holder(c, profile, key, &section) != NULL;
}

int
awsconfig_profile_exists(struct awsconfig *c, const char *name)
{
	return c->loaded && (ini_has_section(&c->credentials, name) ||
	    map_get(&c->profiles, name) != NULL);
}

int
awsconfig_has_profile(struct awsconfig *c)
{
	return awsconfig_profile_exists(c, c->profile);
}

int
awsconfig_check_profile(struct awsconfig *c, struct err *e)
{
	if (awsconfig_load(c, e) == -1)
		return -1;
	if (c->named && !awsconfig_has_profile(c))
		return err_set(e, ERR_CONFIG, "profile '%s' not found in %s "
		    "or %s", c->profile, c->credentials_path, c->config_path);
	return 0;
}
