#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "../common/timeutil.h"
#include "helper.h"

static const char usage_text[] =
"usage: iamdb inspect [--format text|json] [--endpoint HOST:PORT] [TOKEN]\n"
"\n"
"Shows what a token says (endpoint, user, region, key, times) without any\n"
"secret, and warns about what makes databases refuse tokens. Reads the\n"
"token from standard input when it is not given. See iamdb(1).\n";

/* Up to 8 KiB of standard input, ending at a NUL (pam_exec sends one) or
 * EOF, without trailing line ends. */
int
read_token_stdin(struct buf *b)
{
	char c;
	ssize_t n;

	while ((n = read(0, &c, 1)) == 1 && c != '\0') {
		if (b->len >= 8192)
			return -1;
		buf_addc(b, c);
	}
	while (b->len > 0 && (b->data[b->len - 1] == '\n' ||
	    b->data[b->len - 1] == '\r' || b->data[b->len - 1] == ' '))
		b->data[--b->len] = '\0';
	return n < 0 ? -1 : 0;
}

/* HOST:PORT or [V6]:PORT. */
int
parse_endpoint(const char *s, char **host, unsigned *port)
{
	const char *colon = strrchr(s, ':');
	char *end;
	long p;

	if (colon == NULL || colon == s || (s[0] == '[' && colon[-1] != ']'))
		return -1;
	p = strtol(colon + 1, &end, 10);
	if (*end != '\0' || p < 1 || p > 65535)
		return -1;
	*host = xstrndup(s, (size_t)(colon - s));
	*port = (unsigned)p;
	return 0;
}

static void
duration(struct buf *b, long s)
{
	if (s >= 3600)
		buf_printf(b, "%ldh%02ldm%02lds", s / 3600, s / 60 % 60, s % 60);
	else if (s >= 60)
		buf_printf(b, "%ldm%02lds", s / 60, s % 60);
	else
		buf_printf(b, "%lds", s);
}

/* The usual causes of "PAM authentication failed". */
static void
warnings(const struct dbtoken_info *t, const char *ep_host, unsigned ep_port,
    struct buf *w)
{
	time_t now = time(NULL);
	char *host_region = region_from_host(t->host);

	if (now > t->signed_at + t->expires)
		buf_printf(w, "expired %ld s ago\n",
		    (long)(now - t->signed_at - t->expires));
	if (t->signed_at > now + 60)
		buf_printf(w, "signed %ld s in the future: this machine's "
		    "clock or the signer's is wrong\n",
		    (long)(t->signed_at - now));
	if (strcmp(t->service, "rds-db") == 0 && t->expires > 900)
		buf_printf(w, "valid for %ld s, but RDS accepts at most "
		    "900\n", t->expires);
	if (host_region != NULL && strcmp(host_region, t->region) != 0)
		buf_printf(w, "signed for region %s, but the host is in %s\n",
		    t->region, host_region);
	if (ep_host != NULL && (strcasecmp(ep_host, t->host) != 0 ||
	    (t->port != 0 && ep_port != t->port)))
		buf_printf(w, "signed for %s:%u, but the client connects to "
		    "%s:%u: the host and port must be exactly the ones the "
		    "client uses\n", t->host, t->port, ep_host, ep_port);
	free(host_region);
}

static void
text(const struct dbtoken_info *t, struct buf *b)
{
	char signed_at[21], expires_at[21];
	time_t now = time(NULL), end = t->signed_at + t->expires;

	time_format_iso8601(t->signed_at, signed_at);
	time_format_iso8601(end, expires_at);
	if (t->port)
		buf_printf(b, "endpoint       %s:%u\n", t->host, t->port);
	else
		buf_printf(b, "endpoint       %s\n", t->host);
	buf_printf(b, "service        %s (%s)\n", t->service,
	    strcmp(t->service, "dsql") == 0 ? "Aurora DSQL" :
	    "RDS / Aurora");
	buf_printf(b, "action         %s\n", t->action);
	if (t->user != NULL)
		buf_printf(b, "user           %s\n", t->user);
	buf_printf(b, "region         %s\n", t->region);
	buf_printf(b, "access key     %s\n", t->access_key_id);
	buf_printf(b, "session token  %s\n", t->session_token ? "yes" : "no");
	buf_printf(b, "signed at      %s\n", signed_at);
	buf_printf(b, "expires at     %s\n", expires_at);
	buf_adds(b, "time left      ");
	if (now < end)
		duration(b, (long)(end - now));
	else
		buf_adds(b, "none (expired)");
	buf_addc(b, '\n');
}

static void
json(const struct dbtoken_info *t, const struct buf *w, struct buf *b)
{
	json_t *o = json_object(), *warn = json_array();
	char signed_at[21], expires_at[21], *s;
	const char *p = buf_str(w);
	time_t now = time(NULL), end = t->signed_at + t->expires;

	time_format_iso8601(t->signed_at, signed_at);
	time_format_iso8601(end, expires_at);
	json_object_set_new(o, "host", json_string(t->host));
	json_object_set_new(o, "port", t->port ? json_integer(t->port) :
	    json_null());
	json_object_set_new(o, "service", json_string(t->service));
	json_object_set_new(o, "action", json_string(t->action));
	json_object_set_new(o, "user", t->user ? json_string(t->user) :
	    json_null());
	json_object_set_new(o, "region", json_string(t->region));
	json_object_set_new(o, "access_key_id",
	    json_string(t->access_key_id));
	json_object_set_new(o, "session_token",
	    json_boolean(t->session_token));
	json_object_set_new(o, "signed_at", json_string(signed_at));
	json_object_set_new(o, "expires_at", json_string(expires_at));
	json_object_set_new(o, "seconds_left", json_integer(now < end ?
	    (json_int_t)(end - now) : 0));
	while (*p != '\0') {
		size_t n = strcspn(p, "\n");

		json_array_append_new(warn, json_stringn(p, n));
		p += n + (p[n] == '\n');
	}
	json_object_set_new(o, "warnings", warn);
	s = json_dumps(o, JSON_PRESERVE_ORDER | JSON_INDENT(2));
	buf_adds(b, s);
	buf_addc(b, '\n');
	free(s);
	json_decref(o);
}

int
cmd_inspect(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format",	required_argument, NULL, 'f' },
		{ "endpoint",	required_argument, NULL, 'e' },
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct buf in = BUF_INIT, out = BUF_INIT, w = BUF_INIT;
	struct dbtoken_info t;
	struct err e = { 0 };
	char *ep_host = NULL;
	unsigned ep_port = 0;
	int ch, as_json = 0, rc = EXIT_OK;
	const char *p;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "json") != 0 &&
			    strcmp(optarg, "text") != 0) {
				rc = usage_error("inspect", "--format '%s': "
				    "expected text or json", optarg);
				goto out;
			}
			as_json = strcmp(optarg, "json") == 0;
			break;
		case 'e':
			free(ep_host);
			if (parse_endpoint(optarg, &ep_host, &ep_port) == -1) {
				ep_host = NULL;
				rc = usage_error("inspect", "--endpoint '%s': "
				    "expected HOST:PORT", optarg);
				goto out;
			}
			break;
		case 'h':
			fputs(usage_text, stdout);
			goto out;
		default:
			rc = usage_error("inspect", "unknown option '%s'",
			    argv[optind - 1]);
			goto out;
		}
	}
	if (argc - optind > 1) {
		rc = usage_error("inspect", "give one token");
		goto out;
	}
	if (optind < argc)
		buf_adds(&in, argv[optind]);
	else if (read_token_stdin(&in) == -1) {
		warnx("reading the token from standard input failed or it "
		    "is too long");
		rc = EXIT_USAGE;
		goto out;
	}
	if (dbtoken_parse(buf_str(&in), &t, &e) == -1) {
		rc = fail(&e);
		goto out;
	}
	warnings(&t, ep_host, ep_port, &w);
	if (as_json)
		json(&t, &w, &out);
	else
		text(&t, &out);
	if (write_out(stdout, &out, "inspection", &e) == -1)
		rc = fail(&e);
	for (p = buf_str(&w); !as_json && *p != '\0';) {
		size_t n = strcspn(p, "\n");

		warnx("warning: %.*s", (int)n, p);
		p += n + (p[n] == '\n');
	}
	dbtoken_info_free(&t);
out:
	free(ep_host);
	buf_free(&in);
	buf_free(&out);
	buf_free(&w);
	return rc;
}
