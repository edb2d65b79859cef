/* diag.c: the end of a filter's output, checked. */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <oms/diag.h>
#include <oms/oms.h>

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
	warnx("stdout: %s", strerror(errno ? errno : EIO));
	return OMS_ESYS;
}

int
oms_isatty_err(void)
{
	return isatty(STDERR_FILENO);
}
