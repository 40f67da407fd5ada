#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "../common/jsonout.h"
#include "../common/timeutil.h"
#include "../common/vis.h"
#include "helper.h"

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

/* A field of the token, which anyone may have written: escaped. */
static void
field(struct buf *b, const char *label, const char *v)
{
	buf_printf(b, "%-15s", label);
	vis_add(b, v, strlen(v));
	buf_addc(b, '\n');
}

static void
text(const struct dbtoken_info *t, struct buf *b)
{
	const struct service *svc;
	char signed_at[21], expires_at[21];
	time_t now = time(NULL), end = t->signed_at + t->expires;

	time_format_iso8601(t->signed_at, signed_at);
	time_format_iso8601(end, expires_at);
	buf_adds(b, "endpoint       ");
	vis_add(b, t->host, strlen(t->host));
	if (t->port)
		buf_printf(b, ":%u", t->port);
	buf_addc(b, '\n');
	svc = service_for_token(t->service, t->action);
	buf_printf(b, "service        %s (%s)\n", t->service,
	    strcmp(t->service, "rds-db") == 0 ? "RDS / Aurora" :
	    svc != NULL ? svc->title : "unknown");
	field(b, "action", t->action);
	if (t->user != NULL)
		field(b, "user", t->user);
	field(b, "region", t->region);
	field(b, "access key", t->access_key_id);
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

/* Token fields that are not UTF-8 fail the document rather than
 * dropping out of it. */
static int
json(const struct dbtoken_info *t, const struct buf *w, struct buf *b)
{
	json_t *o = json_object(), *warn = json_array();
	char signed_at[21], expires_at[21];
	const char *p = buf_str(w);
	time_t now = time(NULL), end = t->signed_at + t->expires;
	int rc = 0;

	time_format_iso8601(t->signed_at, signed_at);
	time_format_iso8601(end, expires_at);
	while (*p != '\0') {
		size_t n = strcspn(p, "\n");

		if (json_array_append_new(warn, json_stringn(p, n)) == -1)
			rc = -1;
		p += n + (p[n] == '\n');
	}
	if (o == NULL || rc == -1 ||
	    jsonout_string(o, "host", t->host) == -1 ||
	    jsonout_value(o, "port", t->port ? json_integer(t->port) :
	    json_null()) == -1 ||
	    jsonout_string(o, "service", t->service) == -1 ||
	    jsonout_string(o, "action", t->action) == -1 ||
	    jsonout_string(o, "user", t->user) == -1 ||
	    jsonout_string(o, "region", t->region) == -1 ||
	    jsonout_string(o, "access_key_id", t->access_key_id) == -1 ||
	    jsonout_bool(o, "session_token", t->session_token) == -1 ||
	    jsonout_string(o, "signed_at", signed_at) == -1 ||
	    jsonout_string(o, "expires_at", expires_at) == -1 ||
	    jsonout_integer(o, "seconds_left", now < end ?
	    (long long)(end - now) : 0) == -1 ||
	    jsonout_value(o, "warnings", json_incref(warn)) == -1 ||
	    jsonout_dump(o, JSON_PRESERVE_ORDER | JSON_INDENT(2), b) == -1)
		rc = -1;
	json_decref(warn);
	json_decref(o);
	return rc;
}

static int
run(struct args *a)
{
	struct buf in = BUF_INIT, out = BUF_INIT, w = BUF_INIT;
	struct dbtoken_info t;
	struct err e = { 0 };
	char *ep_host = NULL, *host_region;
	unsigned ep_port = 0;
	int as_json = a->format != NULL && strcmp(a->format, "json") == 0;
	int rc = EXIT_OK;
	const char *p;

	if (a->endpoint != NULL &&
	    url_endpoint(a->endpoint, &ep_host, &ep_port, &e) == -1) {
		rc = usage_fail("inspect", &e);
		goto out;
	}
	if (a->noperands > 0)
		buf_adds(&in, a->operands[0]);
	else if (read_token_stdin(&in) == -1) {
		warnf("reading the token from standard input failed or it "
		    "is too long");
		rc = EXIT_USAGE;
		goto out;
	}
	if (dbtoken_parse(buf_str(&in), &t, &e) == -1) {
		rc = fail(&e);
		goto out;
	}
	host_region = region_from_host(t.host);
	dbtoken_lint(&t, time(NULL), host_region, ep_host, ep_port, &w);
	free(host_region);
	if (!as_json)
		text(&t, &out);
	else if (json(&t, &w, &out) == -1) {
		err_set(&e, ERR_USAGE, "the token holds text that is not "
		    "UTF-8, which JSON cannot carry");
		rc = fail(&e);
	}
	if (rc == EXIT_OK && write_out(stdout, &out, "inspection", &e) == -1)
		rc = fail(&e);
	for (p = buf_str(&w); !as_json && *p != '\0';) {
		size_t n = strcspn(p, "\n");

		warnf("warning: %.*s", (int)n, p);
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

static const char *const formats[] = { "text", "json", NULL };

static const struct opt own[] = {
	{ .name = "format", .kind = OPT_CHOICE, .choices = formats,
	  .field = offsetof(struct args, format), .value = "FORMAT",
	  .help = "Lines for people, or one JSON object with the warnings "
	      "in it.",
	  .dflt = "text", .example = "--format json" },
	{ .name = "endpoint", .kind = OPT_TEXT, .check = check_endpoint,
	  .field = offsetof(struct args, endpoint), .value = "HOST:PORT",
	  .help = "The endpoint the client connects to: warn when the token "
	      "was signed for another.",
	  .example = "--endpoint mydb.123456789012.us-east-1.rds.amazonaws.com"
	      ":5432" },
	{ .name = NULL }
};

static const struct optgroup groups[] = {
	{ "Inspection", own, NULL },
	{ "Diagnostics", opts_verbose, NULL },
	{ NULL, NULL, NULL }
};

const struct command cmd_inspect = {
	.name = "inspect",
	.summary = "show what a token says, and why a database might "
	    "refuse it",
	.synopsis = "[--format text|json] [--endpoint HOST:PORT] [TOKEN]",
	.description = "Shows what a token says (endpoint, user, region, "
	    "key, times) without any secret, and warns about what makes "
	    "databases refuse tokens. Reads the token from standard input "
	    "when it is not given: prefer that for a live token, since "
	    "other users can see command lines.",
	.groups = groups,
	.operands = { 1, "TOKEN", 0 },
	.run = run,
};
