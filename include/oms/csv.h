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
 * oms_csv_row reads the next row that is not blank.  Returns 1 with the
 * fields (valid until the next call) and the line the row began on, 0 at
 * the end, or -1 with "NAME:LINE: WHAT" in err: an unterminated quote, a
 * quote inside an unquoted field, invalid UTF-8, a field over 64 KiB, more
 * than 1000 fields, a read error.  After -1 the reader cannot go on.
 */
int oms_csv_row(struct oms_csv *c, char ***fields, size_t *nfields, size_t *line,
    char *err, size_t errlen);

void oms_csv_close(struct oms_csv *c);

#endif
