/*
 * csv.c: CSV rows with the line each began on.  Our own rather than libcsv's
 * because every error must name its line, and a quoted field can span lines.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <oms/csv.h>

#include "internal.h"

#define FIELD_MAX (64 * 1024)
#define FIELDS_MAX 1000

struct oms_csv {
	FILE *f;
	const char *name;
	char delim;
	size_t line;		/* the line being read, 1-based */
	int started;		/* the byte order mark check is done */
	int done;
	char *buf;		/* the row's fields, each NUL-terminated */
	size_t len, cap;
	size_t *off;		/* where each field starts in buf */
	char **fields;
	size_t nfields, fcap;
	size_t fields_cap;	/* room in fields, which follows fcap */
};

struct oms_csv *
oms_csv_open(FILE *f, const char *name, char delim)
{
	struct oms_csv *c = omsi_calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	c->f = f;
	c->name = name;
	c->delim = delim;
	c->line = 1;
	return c;
}

void
oms_csv_close(struct oms_csv *c)
{
	if (c == NULL)
		return;
	free(c->buf);
	free(c->off);
	free(c->fields);
	free(c);
}

static int
put(struct oms_csv *c, int ch)
{
	char *nb;

	if (c->len == c->cap) {
		if (c->cap >= FIELDS_MAX * (size_t)FIELD_MAX)
			return -1;
		if ((nb = realloc(c->buf, c->cap ? c->cap * 2 : 4096)) == NULL)
			return -1;
		c->buf = nb;
		c->cap = c->cap ? c->cap * 2 : 4096;
	}
	c->buf[c->len++] = (char)ch;
	return 0;
}

/* end_field closes the field being read; -1 when the row has too many. */
static int
end_field(struct oms_csv *c, size_t start)
{
	size_t *no;

	if (c->nfields == FIELDS_MAX || put(c, '\0') != 0)
		return -1;
	if (c->nfields == c->fcap) {
		if ((no = realloc(c->off, (c->fcap ? c->fcap * 2 : 32) * sizeof *no)) == NULL)
			return -1;
		c->off = no;
		c->fcap = c->fcap ? c->fcap * 2 : 32;
	}
	c->off[c->nfields++] = start;
	return 0;
}

int
oms_csv_row(struct oms_csv *c, char ***fields, size_t *nfields, size_t *line,
    char *err, size_t errlen)
{
	FILE *f = c->f;
	size_t start, i, row_line;
	int ch, quoted;

	if (c->done)
		return 0;
	if (!c->started) {
		c->started = 1;
		if ((ch = getc(f)) == 0xef) {
			if (getc(f) != 0xbb || getc(f) != 0xbf) {
				omsi_fmt_err(err, errlen, "%s:1: not valid UTF-8", c->name);
				return -1;
			}
		} else if (ch != EOF) {
			ungetc(ch, f);
		}
	}
next_row:
	c->len = c->nfields = 0;
	row_line = c->line;
	for (;;) {
		start = c->len;
		quoted = 0;
		ch = getc_unlocked(f);
		if (ch == '"') {
			quoted = 1;
			for (;;) {
				ch = getc_unlocked(f);
				if (ch == EOF) {
					if (ferror(f))
						goto ioerr;
					omsi_fmt_err(err, errlen, "%s:%zu: unterminated quoted field",
					    c->name, row_line);
					return -1;
				}
				if (ch == '"') {
					ch = getc_unlocked(f);
					if (ch != '"')
						break;
				}
				if (ch == '\n')
					c->line++;
				if (c->len - start >= FIELD_MAX || put(c, ch) != 0)
					goto toolong;
			}
		}
		while (ch != c->delim && ch != '\n' && ch != EOF) {
			if (ch == '\r') {
				if ((ch = getc_unlocked(f)) == '\n')
					break;
				ungetc(ch, f);
				ch = '\r';
			}
			if (quoted || ch == '"') {
				omsi_fmt_err(err, errlen, "%s:%zu: %s", c->name, c->line, quoted ?
				    "text after a closing quote" : "a quote inside an unquoted field");
				return -1;
			}
			if (c->len - start >= FIELD_MAX || put(c, ch) != 0)
				goto toolong;
			ch = getc_unlocked(f);
		}
		if (!omsi_utf8_valid(c->buf + start, c->len - start)) {
			omsi_fmt_err(err, errlen, "%s:%zu: not valid UTF-8 (or a NUL byte)",
			    c->name, c->line);
			return -1;
		}
		if (end_field(c, start) != 0)
			goto toolong;
		if (ch == c->delim)
			continue;
		if (ch == EOF) {
			if (ferror(f))
				goto ioerr;
			c->done = 1;
			/* The newline after the last row makes no row of its own. */
			if (c->nfields == 1 && c->buf[0] == '\0' && !quoted)
				return 0;
		} else {
			c->line++;
		}
		break;
	}
	if (c->nfields == 1 && c->buf[0] == '\0' && !quoted) {
		if (c->done)
			return 0;
		goto next_row;	/* a blank line */
	}
	if (c->fields_cap < c->fcap) {
		char **nf = realloc(c->fields, c->fcap * sizeof *nf);

		if (nf == NULL)
			goto toolong;
		c->fields = nf;
		c->fields_cap = c->fcap;
	}
	for (i = 0; i < c->nfields; i++)
		c->fields[i] = c->buf + c->off[i];
	*fields = c->fields;
	*nfields = c->nfields;
	*line = row_line;
	return 1;
toolong:
	omsi_fmt_err(err, errlen, "%s:%zu: row too large (a field over 64 KiB or over 1000"
	    " fields)", c->name, c->line);
	return -1;
ioerr:
	omsi_fmt_err(err, errlen, "%s: %s", c->name, strerror(errno));
	return -1;
}
