/*
 * credential_process: the command is split into words as a POSIX shell
 * would quote them (no expansion, no shell), run with stderr passed
 * through, and its standard output read as the documented JSON
 * (Version 1, AccessKeyId, SecretAccessKey, SessionToken, Expiration).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "credjson.h"
#include "profile.h"

/* The documented output is a few kilobytes; more is not credentials. */
#define MAX_OUTPUT	(64 * 1024)

/* Words of s with '...', "..." and backslash quoting. */
static int
split_words(const char *s, char ***out, size_t *n, struct err *e)
{
	struct buf w = BUF_INIT;
	char **v = NULL;
	size_t count = 0;
	int in_word = 0;

	for (;;) {
		char c = *s;

		if (c == '\0' || c == ' ' || c == '\t' || c == '\n') {
			if (in_word) {
				v = xrealloc(v, (count + 2) * sizeof(*v));
				v[count++] = xstrdup(buf_str(&w));
				buf_reset(&w);
				in_word = 0;
			}
			if (c == '\0')
				break;
			s++;
			continue;
		}
		in_word = 1;
		if (c == '\'') {
			const char *end = strchr(s + 1, '\'');

			if (end == NULL)
				goto unterminated;
			buf_add(&w, s + 1, (size_t)(end - s - 1));
			s = end + 1;
		} else if (c == '"') {
			for (s++; *s != '"'; s++) {
				if (*s == '\0')
					goto unterminated;
				if (*s == '\\' && strchr("$`\"\\\n", s[1]) &&
				    s[1] != '\0')
					s++;
				buf_addc(&w, *s);
			}
			s++;
		} else if (c == '\\') {
			if (s[1] == '\0')
				goto unterminated;
			buf_addc(&w, s[1]);
			s += 2;
		} else {
			buf_addc(&w, c);
			s++;
		}
	}
	buf_free(&w);
	if (count == 0) {
		free(v);
		return err_set(e, ERR_CONFIG, "credential_process is empty");
	}
	v[count] = NULL;
	*out = v;
	*n = count;
	return 0;
unterminated:
	buf_free(&w);
	while (count > 0)
		free(v[--count]);
	free(v);
	return err_set(e, ERR_CONFIG, "credential_process: unterminated "
	    "quote or escape");
}

static int
run(char **argv, struct buf *out, int *status, struct err *e)
{
	int fds[2];
	pid_t pid;
	char chunk[4096];
	ssize_t n;

	if (pipe(fds) == -1)
		return err_set(e, ERR_CREDENTIALS, "credential_process: "
		    "pipe: %s", strerror(errno));
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return err_set(e, ERR_CREDENTIALS, "credential_process: "
		    "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv);
		_exit(errno == ENOENT ? 127 : 126);
	}
	close(fds[1]);
	while ((n = read(fds[0], chunk, sizeof(chunk))) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		/* Drain it all so that the command can finish; holding
		 * more than MAX_OUTPUT marks the output as too big. */
		if (out->len <= MAX_OUTPUT)
			buf_add(out, chunk, (size_t)n);
	}
	wipe(chunk, sizeof(chunk));
	close(fds[0]);
	while (waitpid(pid, status, 0) == -1)
		if (errno != EINTR)
			return err_set(e, ERR_CREDENTIALS, "credential_process:"
			    " wait: %s", strerror(errno));
	return 0;
}

int
process_credentials(struct provider_ctx *ctx, const char *command,
    struct credentials *c, struct err *e)
{
	struct buf out = BUF_INIT;
	char **argv = NULL;
	size_t argc = 0, i;
	json_t *doc = NULL, *version;
	int status = 0, rc = -1;

	(void)ctx;
	if (split_words(command, &argv, &argc, e) == -1)
		return -1;
	if (run(argv, &out, &status, e) == -1)
		goto out;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			err_set(e, ERR_CREDENTIALS, "credential_process: "
			    "%s: command not found", argv[0]);
		else if (WIFEXITED(status))
			err_set(e, ERR_CREDENTIALS, "credential_process %s "
			    "exited with status %d", argv[0],
			    WEXITSTATUS(status));
		else
			err_set(e, ERR_CREDENTIALS, "credential_process %s "
			    "was killed by signal %d", argv[0],
			    WTERMSIG(status));
		goto out;
	}
	if (out.len > MAX_OUTPUT) {
		err_set(e, ERR_CREDENTIALS, "credential_process %s: output is "
		    "larger than %d KiB", argv[0], MAX_OUTPUT / 1024);
		goto out;
	}
	if ((doc = json_parse(buf_str(&out), out.len, "credential_process "
	    "output", e)) == NULL)
		goto out;
	version = json_object_get(doc, "Version");
	if (!json_is_integer(version) || json_integer_value(version) != 1) {
		err_set(e, ERR_CREDENTIALS, "credential_process output: "
		    "Version must be 1");
		goto out;
	}
	if (credentials_from_json(doc, &cred_fields_process, c,
	    "credential_process output", e) == 0)
		rc = 0;
out:
	json_decref(doc);
	buf_free(&out);
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return rc;
}
