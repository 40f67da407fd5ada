/* The two shared files combined as botocore combines them: which section
 * is which profile, which file a setting comes from, where the files are. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "providers/providers.h"
#include "tests/tap.h"

static char dir[] = "/tmp/iamdb-test-awsconfig.XXXXXX";
static char config[256], credentials[256];

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(text, f) == EOF || fclose(f) == EOF) {
		perror(path);
		exit(1);
	}
}

/* Loads the two files (NULL: none) for profile (NULL: not named). */
static int
load(struct awsconfig *c, const char *cfg, const char *creds,
    const char *profile, struct err *e)
{
	unlink(config);
	unlink(credentials);
	if (cfg != NULL)
		write_file(config, cfg);
	if (creds != NULL)
		write_file(credentials, creds);
	setenv("AWS_CONFIG_FILE", config, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", credentials, 1);
	memset(e, 0, sizeof(*e));
	awsconfig_init(c, profile);
	return awsconfig_check_profile(c, e);
}

static const char *
get(struct awsconfig *c, const char *profile, const char *key)
{
	return awsconfig_profile_get(c, profile, key, NULL);
}

static void
test_profile_sections_are_split_into_words_as_botocore_does(void)
{
	struct awsconfig c;
	struct err e;

	load(&c, "[profile \"a b\"]\nregion = r1\n[profile  two\tblanks]\n"
	    "region = r2\n[ profile x ]\nregion = r3\n[profile y z]\n"
	    "region = r4\n[profilesfoo bar]\nregion = r5\n[profile 'q]\n"
	    "region = r6\n[profile]\nregion = r7\n", NULL, NULL, &e);
	is(get(&c, "a b", "region"), "r1", "[profile \"a b\"] is profile 'a b'");
	ok(get(&c, "two", "region") == NULL && get(&c, "blanks", "region") ==
	    NULL, "[profile  two\\tblanks] is no profile: three words");
	ok(!awsconfig_profile_exists(&c, "x"),
	    "[ profile x ] is no profile: it does not begin with 'profile'");
	ok(!awsconfig_profile_exists(&c, "y z") && !awsconfig_profile_exists(&c,
	    "z"), "[profile y z] is no profile");
	is(get(&c, "bar", "region"), "r5",
	    "[profilesfoo bar] is profile 'bar', as botocore's prefix test has it");
	ok(!awsconfig_profile_exists(&c, "'q") && !awsconfig_profile_exists(&c,
	    "q"), "an unclosed quote makes no profile");
	ok(!awsconfig_profile_exists(&c, "profile"), "[profile] makes none");
	awsconfig_free(&c);
	load(&c, "[profile a\\ b]\nregion = e1\n[profile \"c\\\"d\\x\"]\n"
	    "region = e2\n", NULL, NULL, &e);
	is(get(&c, "a b", "region"), "e1", "a backslash escapes a blank");
	is(get(&c, "c\"d\\x", "region"), "e2",
	    "inside double quotes it escapes only '\"' and '\\'");
	awsconfig_free(&c);
}

static void
test_the_later_of_default_and_profile_default_wins_whole(void)
{
	struct awsconfig c;
	struct err e;

	load(&c, "[default]\nregion = r1\noutput = json\n[profile default]\n"
	    "region = r2\n", NULL, NULL, &e);
	is(get(&c, "default", "region"), "r2", "[profile default] after [default]");
	ok(get(&c, "default", "output") == NULL,
	    "and [default]'s other keys are gone, not mixed in");
	awsconfig_free(&c);
	load(&c, "[profile default]\nregion = r2\n[default]\nregion = r1\n",
	    NULL, NULL, &e);
	is(get(&c, "default", "region"), "r1", "[default] after [profile default]");
	awsconfig_free(&c);
	load(&c, "[profile a]\nregion = r1\nk = 1\n[profile  a]\nregion = r2\n",
	    NULL, NULL, &e);
	is(get(&c, "a", "region"), "r2", "two headers for one profile: the later");
	ok(get(&c, "a", "k") == NULL, "whole");
	awsconfig_free(&c);
}

static void
test_the_credentials_file_lies_over_the_config_file_key_by_key(void)
{
	struct awsconfig c;
	struct err e;
	const char *where;

	load(&c, "[profile a]\nregion = from-config\noutput = json\n",
	    "[a]\nregion = from-credentials\n", NULL, &e);
	is(awsconfig_profile_get(&c, "a", "region", &where), "from-credentials",
	    "a key in both files: the credentials file's");
	is(where, credentials, "and it says so");
	is(awsconfig_profile_get(&c, "a", "output", &where), "json",
	    "a key in the config file only");
	is(where, config, "from the config file");
	awsconfig_free(&c);
	load(&c, "[DEFAULT]\nregion = d1\n[profile a]\n[profile b]\n"
	    "region = own\n", "[DEFAULT]\noutput = text\n[b]\n", NULL, &e);
	is(get(&c, "a", "region"), "d1", "the config file's [DEFAULT] applies");
	is(get(&c, "b", "region"), "own", "but not over a profile's own key");
	is(get(&c, "b", "output"), "text",
	    "the credentials file's [DEFAULT] applies to its sections");
	ok(get(&c, "a", "output") == NULL,
	    "and not to profiles it does not have");
	ok(!awsconfig_profile_exists(&c, "DEFAULT"), "[DEFAULT] is no profile");
	awsconfig_free(&c);
	load(&c, NULL, "[profile a]\nregion = r\n", NULL, &e);
	ok(awsconfig_profile_exists(&c, "profile a") &&
	    !awsconfig_profile_exists(&c, "a"),
	    "in the credentials file a section's name is the profile's, as is");
	awsconfig_free(&c);
}

static void
test_a_named_profile_must_exist_even_default(void)
{
	struct awsconfig c;
	struct err e;

	unsetenv("AWS_PROFILE");
	ok(load(&c, "[profile a]\n", NULL, NULL, &e) == 0,
	    "no profile named, no default: fine");
	awsconfig_free(&c);
	ok(load(&c, "[profile a]\n", NULL, "default", &e) == -1 &&
	    e.kind == ERR_CONFIG, "--profile default without one is refused, "
	    "as the aws CLI refuses it");
	awsconfig_free(&c);
	setenv("AWS_PROFILE", "nosuch", 1);
	ok(load(&c, "[profile a]\n", NULL, NULL, &e) == -1,
	    "so is AWS_PROFILE naming none");
	awsconfig_free(&c);
	setenv("AWS_PROFILE", "a", 1);
	ok(load(&c, "[profile a]\n", NULL, NULL, &e) == 0,
	    "AWS_PROFILE naming one is fine");
	awsconfig_free(&c);
	unsetenv("AWS_PROFILE");
	ok(load(&c, "[default]\nk = 1\n[default]\n", NULL, NULL, &e) == -1 &&
	    strstr(e.msg, "duplicate section") != NULL,
	    "the files are read even when nothing needs them, as the aws CLI "
	    "reads them");
	awsconfig_free(&c);
}

static void
test_file_paths_expand_variables_and_home_as_botocore(void)
{
	struct awsconfig c;
	char want[512];

	setenv("HOME", "/home/someone/", 1);
	setenv("IAMDB_T_DIR", "/etc", 1);
	setenv("IAMDB_T_EMPTY", "", 1);
	unsetenv("IAMDB_T_UNSET");
	setenv("AWS_CONFIG_FILE", "$IAMDB_T_DIR/${IAMDB_T_DIR}x/$IAMDB_T_UNSET/"
	    "${IAMDB_T_UNSET}/$/a$IAMDB_T_EMPTY.b", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "~/creds", 1);
	awsconfig_init(&c, NULL);
	is(c.config_path, "/etc//etcx/$IAMDB_T_UNSET/${IAMDB_T_UNSET}/$/a.b",
	    "$VAR and ${VAR} are expanded, unset ones left, as expandvars does");
	is(c.credentials_path, "/home/someone/creds",
	    "~ is HOME, without its trailing slash");
	awsconfig_free(&c);
	setenv("AWS_CONFIG_FILE", "~root/x", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "$IAMDB_T_DIR~/x", 1);
	awsconfig_init(&c, NULL);
	is(c.config_path, "/root/x", "~user is the user's home");
	is(c.credentials_path, "/etc~/x", "a ~ not at the start stays");
	awsconfig_free(&c);
	setenv("AWS_CONFIG_FILE", "~/$IAMDB_T_DIR", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "~nosuchuser-iamdb/x", 1);
	awsconfig_init(&c, NULL);
	is(c.config_path, "/home/someone//etc", "variables first, then ~");
	is(c.credentials_path, "~nosuchuser-iamdb/x", "an unknown user stays");
	awsconfig_free(&c);
	unsetenv("AWS_CONFIG_FILE");
	unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	setenv("HOME", "/h", 1);
	awsconfig_init(&c, NULL);
	snprintf(want, sizeof(want), "/h/.aws/config");
	is(c.config_path, want, "the default is under HOME");
	awsconfig_free(&c);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(config, sizeof(config), "%s/config", dir);
	snprintf(credentials, sizeof(credentials), "%s/credentials", dir);
	test_profile_sections_are_split_into_words_as_botocore_does();
	test_the_later_of_default_and_profile_default_wins_whole();
	test_the_credentials_file_lies_over_the_config_file_key_by_key();
	test_a_named_profile_must_exist_even_default();
	test_file_paths_expand_variables_and_home_as_botocore();
	unlink(config);
	unlink(credentials);
	rmdir(dir);
	return tap_done();
}
