/* diag.h: diagnostics and the checked end of standard output. */
#ifndef OMS_DIAG_H
#define OMS_DIAG_H

/*
 * oms_warnx writes a message to stderr as "oms-TOOL: WHERE: WHAT", as
 * err(3)'s warnx does; oms_warn adds ": " and errno's text.  Every tool and
 * the library report through these and nothing else.
 */
void oms_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void oms_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * oms_tool_init prepares a tool's process: SIGPIPE back to its default, so a
 * closed pipe ends the tool quietly as it ends any filter.
 */
void oms_tool_init(void);

/*
 * oms_flush flushes stdout.  A closed pipe ends the process by SIGPIPE; any
 * other write error (a full disk) is reported and gives OMS_ESYS.
 */
int oms_flush(void);

/*
 * oms_pipe_watch makes a closed stdout an error that oms_flush_committed
 * sees, instead of a silent SIGPIPE in the middle of a printf.  For tools
 * that print what they committed.
 */
void oms_pipe_watch(void);

/*
 * oms_flush_committed is oms_flush after printing the IDs of a commit: a
 * closed pipe is said on stderr before the process ends by SIGPIPE.
 */
int oms_flush_committed(void);

/* oms_isatty_err says whether stderr is a terminal (progress lines). */
int oms_isatty_err(void);

#endif
