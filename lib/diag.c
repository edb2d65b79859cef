/* diag.c: messages on stderr, and the end of a filter's output, checked. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <oms/diag.h>
#include <oms/oms.h>

/*
 * say writes one message.  Every message of every tool passes here, so this
 * is the one place where what a message quotes is made safe to show.
 */
static void
say(const char *fmt, va_list ap, int errnum)
{
	char buf[2048];

	vsnprintf(buf, sizeof buf, fmt, ap);
	if (errnum != 0)
		fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, buf,
		    strerror(errnum));
	else
		fprintf(stderr, "%s: %s\n", program_invocation_short_name, buf);
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
