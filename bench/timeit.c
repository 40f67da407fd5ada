/*
 * timeit [-w warmup] [-n runs] command [arg ...] [::: command [arg ...]]...
 *
 * Runs each command warmup times unmeasured, then runs times measured, each
 * run with standard input and output on /dev/null, and prints one line per
 * command: the median and the minimum wall time in milliseconds. With more
 * than one command the runs are interleaved (a b c a b c ...), so a change
 * in machine load hits all of them alike. Fails if any run exits non-zero,
 * so a broken command is never timed.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SEP	":::"

extern char **environ;

struct cmd {
	char	**argv;
	double	 *t;
};

static void
usage(void)
{
	fputs("usage: timeit [-w warmup] [-n runs] command [arg ...] "
	    "[" SEP " command [arg ...]]...\n", stderr);
	exit(2);
}

static long
number(const char *s, long min)
{
	char *end;
	long n;

	n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || n < min || n > 1000000)
		errx(2, "bad number: %s", s);
	return n;
}

static double
now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		err(1, "clock_gettime");
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
run(char **argv, const posix_spawn_file_actions_t *fa)
{
	double t0, t1;
	pid_t pid;
	int e, status;

	t0 = now();
	if ((e = posix_spawnp(&pid, argv[0], fa, NULL, argv, environ)) != 0) {
		errno = e;
		err(1, "%s", argv[0]);
	}
	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	t1 = now();
	if (WIFSIGNALED(status))
		errx(1, "%s: killed by signal %d", argv[0], WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		errx(1, "%s: exit status %d", argv[0], WEXITSTATUS(status));
	return t1 - t0;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char *argv[])
{
	posix_spawn_file_actions_t fa;
	struct cmd *c;
	double *t;
	long warmup = 10, runs = 100, i;
	int ch, nc, j;

	while ((ch = getopt(argc, argv, "+n:w:")) != -1) {
		switch (ch) {
		case 'n':
			runs = number(optarg, 1);
			break;
		case 'w':
			warmup = number(optarg, 0);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;

	/* Split argv at each SEP into commands. */
	if ((c = calloc((size_t)argc + 1, sizeof(*c))) == NULL)
		err(1, NULL);
	nc = 0;
	c[nc++].argv = argv;
	for (j = 0; j < argc; j++) {
		if (strcmp(argv[j], SEP) == 0) {
			argv[j] = NULL;
			c[nc++].argv = argv + j + 1;
		}
	}
	for (j = 0; j < nc; j++) {
		if (c[j].argv[0] == NULL)
			usage();
		if ((c[j].t = calloc((size_t)runs, sizeof(double))) == NULL)
			err(1, NULL);
	}

	if (posix_spawn_file_actions_init(&fa) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
	    O_RDONLY, 0) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
	    O_WRONLY, 0) != 0)
		errx(1, "posix_spawn_file_actions");

	for (i = 0; i < warmup; i++)
		for (j = 0; j < nc; j++)
			run(c[j].argv, &fa);
	for (i = 0; i < runs; i++)
		for (j = 0; j < nc; j++)
			c[j].t[i] = run(c[j].argv, &fa);

	for (j = 0; j < nc; j++) {
		t = c[j].t;
		qsort(t, (size_t)runs, sizeof(*t), cmp);
		printf("%.3f %.3f\n", runs % 2 ? t[runs / 2] :
		    (t[runs / 2 - 1] + t[runs / 2]) / 2, t[0]);
		free(t);
	}
	posix_spawn_file_actions_destroy(&fa);
	free(c);
	return 0;
}
