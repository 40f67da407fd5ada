/*
 * rss [-n runs] command [arg ...]
 *
 * Runs command (standard input and output on /dev/null) runs times and
 * prints the largest peak resident set size of any run in KiB, as
 * wait4(2) reports it in ru_maxrss. Fails if any run exits non-zero.
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void
usage(void)
{
	fputs("usage: rss [-n runs] command [arg ...]\n", stderr);
	exit(2);
}

static void
child(char **argv)
{
	int fd;

	if ((fd = open("/dev/null", O_RDWR)) == -1)
		err(127, "/dev/null");
	if (dup2(fd, STDIN_FILENO) == -1 || dup2(fd, STDOUT_FILENO) == -1)
		err(127, "dup2");
	if (fd > STDERR_FILENO)
		close(fd);
	execvp(argv[0], argv);
	err(127, "%s", argv[0]);
}

static long
run(char **argv)
{
	struct rusage ru;
	pid_t pid;
	int status;

	fflush(NULL);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0)
		child(argv);
	if (wait4(pid, &status, 0, &ru) == -1)
		err(1, "wait4");
	if (WIFSIGNALED(status))
		errx(1, "%s: killed by signal %d", argv[0], WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		errx(1, "%s: exit status %d", argv[0], WEXITSTATUS(status));
	return ru.ru_maxrss;
}

int
main(int argc, char *argv[])
{
	char *end;
	long runs = 3, i, kib, max = 0;
	int ch;

	while ((ch = getopt(argc, argv, "+n:")) != -1) {
		switch (ch) {
		case 'n':
			runs = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || runs < 1 ||
			    runs > 1000)
				errx(2, "bad number: %s", optarg);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();

	for (i = 0; i < runs; i++)
		if ((kib = run(argv)) > max)
			max = kib;
	printf("%ld\n", max);
	return 0;
}
