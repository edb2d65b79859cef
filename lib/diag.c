/* diag.c: messages on stderr, and the end of a filter's output, checked. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <oms/diag.h>
#include <oms/oms.h>
#include <oms/pan.h>

/*
 * say writes one message.  Every message of every tool passes here, so this
 * is the one place where what a message quotes is made safe to show: any
 * card number in it is masked (PCI DSS 3.4.1), whoever wrote the message
 * and whatever it quotes.
 */
static void
say(const char *fmt, va_list ap, int errnum)
{
	char buf[2048], *msg = NULL;
	va_list aq;
	size_t n;

	va_copy(aq, ap);
	if (vasprintf(&msg, fmt, aq) < 0) {
		msg = NULL;
		/*
		 * Out of memory: the message is cut to fit, and a number the cut
		 * ends in goes too, lest it be the front of a card number.
		 */
		if (vsnprintf(buf, sizeof buf, fmt, ap) >= (int)sizeof buf) {
			n = strlen(buf);
			while (n > 0 && strchr("0123456789 -./,_", buf[n - 1]) != NULL)
				n--;
			buf[n] = '\0';
		}
	}
	va_end(aq);
	oms_pan_mask(msg != NULL ? msg : buf);
	if (errnum != 0)
		fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name,
		    msg != NULL ? msg : buf, strerror(errnum));
	else
		fprintf(stderr, "%s: %s\n", program_invocation_short_name, msg != NULL ? msg : buf);
	free(msg);
}

void
oms_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap, 0);
	va_end(ap);
}

void
oms_warn(const char *fmt, ...)
{
	int errnum = errno;
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap, errnum);
	va_end(ap);
}

void
oms_tool_init(void)
{
	/* A parent (cron, a shell) may have left SIGPIPE ignored. */
	signal(SIGPIPE, SIG_DFL);
}

int
oms_flush(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return OMS_OK;
	if (errno == EPIPE) {
		/* The reader went away: end as any filter would. */
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
	oms_warnx("stdout: %s", strerror(errno ? errno : EIO));
	return OMS_ESYS;
}

void
oms_pipe_watch(void)
{
	signal(SIGPIPE, SIG_IGN);
}

int
oms_flush_committed(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return OMS_OK;
	/*
	 * A pipeline whose next step failed leaves this step's input half
	 * read, and cron mails only what was said: say so before ending.
	 */
	if (errno == EPIPE)
		oms_warnx("stdout: the next command in the pipe stopped reading; what was"
		    " committed stays, the rest of the input was not read");
	return oms_flush();
}

int
oms_isatty_err(void)
{
	return isatty(STDERR_FILENO);
}
