/* edit.h: a document a person edits until it checks. */
#ifndef OMS_EDIT_H
#define OMS_EDIT_H

#include <stddef.h>
#include <stdio.h>

/*
 * Checks (and acts on) the edited text, read from f.  Returns OMS_OK when
 * done, OMS_EINPUT with a message in err to send the person back to the
 * editor, or another status to give up.
 */
typedef int (*oms_edit_check)(FILE *f, void *arg, char *err, size_t errlen);

/*
 * oms_edit writes template to a private temporary file and opens it in
 * $VISUAL, else $EDITOR, else vi, until check accepts it.  Each rejection
 * re-opens the file with the error written in at the top as comments.  An
 * empty file (only comments and blanks) gives up with OMS_EINPUT.
 */
int oms_edit(const char *template, oms_edit_check check, void *arg);

#endif
