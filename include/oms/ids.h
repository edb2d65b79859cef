/* ids.h: order IDs, and the line reader the filters use on stdin. */
#ifndef OMS_IDS_H
#define OMS_IDS_H

#include <stddef.h>
#include <stdint.h>

/* oms_id_parse reads an order ID: decimal digits, 1 to 2^63-1. */
int oms_id_parse(const char *s, int64_t *id);

/*
 * A reader of lines from a file descriptor that can tell whether a line is
 * ready without blocking, so a filter commits its batch while its producer
 * is still thinking instead of waiting on it.
 */
struct oms_lines;

struct oms_lines *oms_lines_open(int fd);
void oms_lines_close(struct oms_lines *r);

/*
 * oms_lines_ready says whether a whole line (or end of input) can be had
 * without blocking.
 */
int oms_lines_ready(struct oms_lines *r);

/*
 * oms_lines_next returns the next line without its newline (NUL-terminated,
 * valid until the next call), NULL at end of input; *lineno counts lines.
 * A NUL byte inside the line comes back as DEL (0x7f), so that the string
 * is the whole line.
 * On a read error returns NULL with *err set to errno; a line over 64 KiB
 * is skipped and returns NULL with *err EOVERFLOW, after which reading
 * may go on.
 */
char *oms_lines_next(struct oms_lines *r, size_t *lineno, int *err);

/*
 * oms_id_line finds the ID in a line of a filter's input: its first
 * whitespace-separated field.  Returns 1 with *id set, 0 for a blank or
 * '#' comment line, -1 when the field is not an ID (*field points at it,
 * cut at its end) or the line held a NUL byte (*field is the line from its
 * first field on; show it with its control bytes masked).
 */
int oms_id_line(char *line, int64_t *id, char **field);

#endif
