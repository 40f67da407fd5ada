/*
 * make bench's HTTP part, beside iamdb serve:
 *   httpbench floor PORTFILE   a trivial responder ("healthy") on
 *                              127.0.0.1 with libmicrohttpd set up as
 *                              iamdb serve sets it up (one internal
 *                              thread); writes its port to PORTFILE and
 *                              serves until killed
 *   httpbench get PORT PATH HEADER N
 *                              N sequential GETs of PATH (HEADER: "Name:
 *                              value", or "-") over one keep-alive
 *                              connection; prints "RPS P50_US P99_US"
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

static enum MHD_Result
healthy(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *data, size_t *len,
    void **state)
{
	static int seen;
	struct MHD_Response *r;
	enum MHD_Result ok;

	(void)cls; (void)url; (void)method; (void)version; (void)data;
	(void)len;
	if (*state == NULL) {
		*state = &seen;
		return MHD_YES;
	}
	r = MHD_create_response_from_buffer(7, (void *)"healthy",
	    MHD_RESPMEM_PERSISTENT);
	ok = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return ok;
}

static int
floor_server(const char *portfile)
{
	struct sockaddr_in sa;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *di;
	FILE *f;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL,
	    0, NULL, NULL, healthy, NULL, MHD_OPTION_SOCK_ADDR, &sa,
	    MHD_OPTION_END);
	if (d == NULL)
		return 1;
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if ((f = fopen(portfile, "w")) == NULL)
		return 1;
	fprintf(f, "%u\n", di->port);
	fclose(f);
	for (;;)
		pause();
}

static double
now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One response: headers, then Content-Length bytes of body. */
static int
read_response(int fd, char *buf, size_t cap)
{
	size_t have = 0, body, want;
	char *end, *cl;
	ssize_t n;

	for (;;) {
		if ((n = read(fd, buf + have, cap - 1 - have)) <= 0)
			return -1;
		have += (size_t)n;
		buf[have] = '\0';
		if ((end = strstr(buf, "\r\n\r\n")) != NULL)
			break;
	}
	if (strncmp(buf, "HTTP/1.1 200", 12) != 0 ||
	    (cl = strcasestr(buf, "Content-Length:")) == NULL)
		return -1;
	want = strtoul(cl + 15, NULL, 10);
	body = have - (size_t)(end + 4 - buf);
	while (body < want) {
		if ((n = read(fd, buf, cap)) <= 0)
			return -1;
		body += (size_t)n;
	}
	return 0;
}

static int
get(int port, const char *path, const char *header, int n)
{
	static char buf[1 << 16];
	struct sockaddr_in sa;
	char req[1024];
	double *lat = calloc((size_t)n, sizeof(double)), t0, t;
	int fd, one = 1, i, len;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lat == NULL || (fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1)
		return 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	len = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1"
	    "\r\n%s%s\r\n", path, strcmp(header, "-") ? header : "",
	    strcmp(header, "-") ? "\r\n" : "");
	t0 = now_us();
	for (i = 0; i < n; i++) {
		t = now_us();
		if (write(fd, req, (size_t)len) != len ||
		    read_response(fd, buf, sizeof(buf)) == -1) {
			fprintf(stderr, "httpbench: request %d failed\n", i);
			return 1;
		}
		lat[i] = now_us() - t;
	}
	t = now_us() - t0;
	qsort(lat, (size_t)n, sizeof(double), cmp);
	printf("%.0f %.0f %.0f\n", n / (t / 1e6), lat[n / 2],
	    lat[(int)(n * 0.99)]);
	close(fd);
	free(lat);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "floor") == 0)
		return floor_server(argv[2]);
	if (argc == 6 && strcmp(argv[1], "get") == 0)
		return get(atoi(argv[2]), argv[3], argv[4], atoi(argv[5]));
	fprintf(stderr, "usage: httpbench floor PORTFILE | "
	    "httpbench get PORT PATH HEADER N\n");
	return 2;
}
