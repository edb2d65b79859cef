/* diag.h: diagnostics and the checked end of standard output. */
#ifndef OMS_DIAG_H
#define OMS_DIAG_H

/*
 * Messages go to stderr as "oms-TOOL: WHERE: WHAT" through err(3)'s warnx,
 * which prefixes the program name.  These add what a filter needs besides.
 */

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

/* oms_isatty_err says whether stderr is a terminal (progress lines). */
int oms_isatty_err(void);

#endif
