/* csv.h: a strict RFC 4180 reader that knows which line each row began on. */
#ifndef OMS_CSV_H
#define OMS_CSV_H

#include <stddef.h>
#include <stdio.h>

struct oms_csv;

/*
 * oms_csv_open reads rows from f, fields separated by delim (',' or '\t').
 * name is used in messages.  A UTF-8 byte order mark is skipped; CRLF and LF
 * both end a row; quoted fields may hold separators, quotes ("") and newlines.
 */
struct oms_csv *oms_csv_open(FILE *f, const char *name, char delim);

/*
 * oms_csv_expect tells the reader how many fields a row has (the header's
 * count), so that a row of another length whose quote ran over lines is
 * taken for a stray quote (see below).  0, the default: any length.
 */
void oms_csv_expect(struct oms_csv *c, size_t nfields);

/*
 * oms_csv_row reads the next row that is not blank.  Returns 1 with the
 * fields (valid until the next call) and the line the row began on, 0 at
 * the end, -1 for a bad row, or -2 when the input cannot be read on (a read
 * error, out of memory), with "NAME:LINE: WHAT" (or "NAME: WHAT") in err.
 *
 * A bad row is one with an unterminated quote, a quote inside an unquoted
 * field, text after a closing quote, invalid UTF-8 or a NUL byte, a field
 * over 64 KiB, more than 1000 fields, or (with oms_csv_expect) the wrong
 * number of fields and a quoted field over lines.  It comes back with the
 * fields that could be read, so that the caller can tell whose row it was:
 * a field with bad bytes or over 64 KiB empty, at most 1000, and none from
 * the quote that went wrong on.  The next call goes on reading:
 *   - when a quote went wrong (unterminated at the end of the input, a
 *     quoted field still open after 64 KiB, text after its closing quote,
 *     or any error in a row after a quoted field ran over lines), at the
 *     line after the one that quote opened on, read again;
 *   - after another bad quote, at the next line;
 *   - after the other errors, at the row's own end.
 * Every row read from there is checked as any other.  Memory stays bounded:
 * a row holds at most 1000 fields of 64 KiB, and at most 256 KiB of what
 * was read is kept to be read again.
 */
int oms_csv_row(struct oms_csv *c, char ***fields, size_t *nfields, size_t *line,
    char *err, size_t errlen);

/*
 * oms_csv_error is what the last bad row's error was, without the name and
 * line of err (*line is set to that line), for a caller that words it its
 * own way.
 */
const char *oms_csv_error(const struct oms_csv *c, size_t *line);

void oms_csv_close(struct oms_csv *c);

#endif
