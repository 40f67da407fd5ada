/* The MFA prompt: providers ask for a code through provider_ctx's
 * mfa_prompt, and this is the one the command line hands them. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "helper.h"

/* The terminal's settings while the MFA prompt hides what is typed, so
 * that a signal can put them back before the process goes. */
static struct termios tty_saved;
static volatile sig_atomic_t tty_fd = -1;

static void
tty_restore(int sig)
{
	if (tty_fd != -1)
		tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The code, asked for on the terminal without echo, as getpass(3) would;
 * the terminal's settings come back however the prompt ends. */
int
mfa_prompt(const char *serial, char *code, size_t len, struct err *e)
{
	struct sigaction sa, old_int, old_term, old_hup;
	struct termios quiet;
	char prompt[512];
	ssize_t n;
	int fd, hidden = 0;

	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return err_set(e, ERR_CREDENTIALS, "role needs an MFA code "
		    "for %s: give --mfa-code (no terminal to ask on)", serial);
	if (tcgetattr(fd, &tty_saved) == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = tty_restore;
		sigaction(SIGINT, &sa, &old_int);
		sigaction(SIGTERM, &sa, &old_term);
		sigaction(SIGHUP, &sa, &old_hup);
		quiet = tty_saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tty_fd = fd;
		hidden = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	snprintf(prompt, sizeof(prompt), "Enter MFA code for %s: ", serial);
	if (write(fd, prompt, strlen(prompt)) < 0 ||
	    (n = read(fd, code, len - 1)) <= 0)
		n = -1;
	if (tty_fd != -1) {
		if (hidden) {
			tcsetattr(fd, TCSAFLUSH, &tty_saved);
			if (write(fd, "\n", 1) < 0) {
				/* only the prompt's line end is lost */
			}
		}
		tty_fd = -1;
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGHUP, &old_hup, NULL);
	}
	close(fd);
	if (n <= 0)
		return err_set(e, ERR_CREDENTIALS, "no MFA code was entered");
	code[n] = '\0';
	code[strcspn(code, "\r\n")] = '\0';
	return 0;
}
