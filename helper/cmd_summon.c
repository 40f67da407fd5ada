/*
 * iamdb summon: a provider for cyberark's summon. With SECRET_ID (a URL)
 * the token on standard output, errors on standard error and a non-zero
 * exit. Without (summon 0.10's stream mode): one id a line on standard
 * input, one base64 value a line on standard output, each flushed before
 * the next id is read, since summon keeps standard input open until it
 * has every value and then kills the provider. Summon takes anything on
 * standard error in stream mode as a failure and asks again one id at a
 * time, so the first error ends the stream with its message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "helper.h"

/* The token for the URL id, appended to out. */
static int
token_for(struct args *a, char *id, struct buf *out, struct err *e)
{
	struct target t;
	struct session s;
	struct conn c;
	struct buf token = BUF_INIT;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	if (target_from_url(&t, a, id, NULL, e) == 0 &&
	    conn_open(&t, &s, &token, &c, 0, e) == 0) {
		buf_adds(out, c.token);
		rc = 0;
	}
	conn_close(&s, &token);
	target_free(&t);
	return rc;
}

static int
one(struct args *a)
{
	struct buf out = BUF_INIT;
	struct err e = { 0 };
	int rc = EXIT_OK;

	if (token_for(a, a->operands[0], &out, &e) == -1)
		rc = fail(&e);
	else {
		buf_addc(&out, '\n');
		if (write_out(stdout, &out, "token", &e) == -1)
			rc = fail(&e);
	}
	buf_free(&out);
	return rc;
}

static int
stream(struct args *a)
{
	struct buf token = BUF_INIT, out = BUF_INIT;
	struct err e = { 0 };
	char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;
	int rc = EXIT_OK;

	while ((len = getline(&line, &cap, stdin)) != -1) {
		n++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || memchr(line, '\0', (size_t)len) != NULL) {
			warnf("summon: line %zu of standard input is not a "
			    "secret id", n);
			rc = EXIT_USAGE;
			break;
		}
		buf_reset(&token);
		buf_reset(&out);
		if (token_for(a, line, &token, &e) == -1) {
			rc = fail(&e);
			break;
		}
		base64_line(&out, token.data, token.len);
		if (write_out(stdout, &out, "value", &e) == -1) {
			rc = fail(&e);
			break;
		}
	}
	if (rc == EXIT_OK && ferror(stdin)) {
		warnf("summon: reading standard input failed");
		rc = EXIT_IO;
	}
	free(line);
	buf_free(&token);
	buf_free(&out);
	return rc;
}

static int
run(struct args *a)
{
	if (stdout_closed) {
		warnf("standard output is closed: nowhere to write the token");
		return EXIT_IO;
	}
	return a->noperands == 1 ? one(a) : stream(a);
}

static const struct optgroup groups[] = {
	{ .include = optgroups_conn },
	{ NULL, NULL, NULL }
};

const struct command cmd_summon = {
	.name = "summon",
	.summary = "be a provider for summon: a token for each secret id",
	.synopsis = "[SECRET_ID] [options]",
	.description = "Speaks summon's provider protocol. SECRET_ID is a URL "
	    "as the other commands take (postgres://USER@HOST:PORT/DB, "
	    "mysql://, dsql://); its token goes to standard output. Without "
	    "it (summon 0.10's stream mode), reads one id a line and writes "
	    "one base64 value a line, in order.",
	.groups = groups,
	.operands = { 1, "SECRET_ID", 0 },
	.run = run,
};
