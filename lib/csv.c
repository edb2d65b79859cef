/*
 * csv.c: CSV rows with the line each began on.  Our own rather than libcsv's
 * because every error must name its line, a quoted field can span lines,
 * and one bad row must not cost the rows after it.
 *
 * After a bad row the reader goes on from a point that does not depend on
 * guessing what the writer meant (csv.h says which).  The hard case is a
 * quote that went wrong: an unterminated one is only seen at the end of the
 * input or once its field outgrows the limit, and a stray one pairs with the
 * next quote in the file; either has swallowed the lines after its own by
 * then.  So the raw bytes from a quote that runs over lines are kept until
 * its row ends well (a bounded amount, RAW_MAX), and read again from the
 * line after the quote's when it does not.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <oms/csv.h>

#include "internal.h"

#define FIELD_MAX (64 * 1024)
#define FIELDS_MAX 1000
/* One quoted field's raw bytes (twice its content, for "") fit, and some fields after it. */
#define RAW_MAX (4 * FIELD_MAX)

struct oms_csv {
	FILE *f;
	const char *name;
	char delim;
	size_t expect;		/* the fields a row has (oms_csv_expect), or 0 */
	size_t line;		/* the line being read, 1-based */
	int started;		/* the byte order mark check is done */
	int done;
	int back;		/* a byte given back, or -1 */
	char *again;		/* bytes to read before f's, after a quote went wrong */
	size_t again_len, again_pos;
	char *raw;		/* bytes as read since a quote (span's, or the open one's) */
	size_t raw_len, raw_cap;
	int recording;		/* keep what is read in raw */
	int raw_lost;		/* out of memory keeping it: it cannot be read again */
	int inquote;		/* in a quoted field; its bytes start at qstart in raw */
	size_t qstart;
	int span;		/* a quoted field of the row ran over lines, from span_line */
	size_t span_line, span_field;
	char *buf;		/* the row's fields, each NUL-terminated */
	size_t len, cap;
	size_t *off;		/* where each field starts in buf */
	char **fields;
	size_t nfields, fcap;
	size_t fields_cap;	/* room in fields, which follows fcap */
	int bad;		/* the row has an error: what, at what_line */
	char what[160];
	size_t what_line;
	unsigned char special[256];	/* bytes that end a plain run (plain()) */
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
	c->back = -1;
	c->special[(unsigned char)delim] = c->special['\n'] = c->special['\r'] =
	    c->special['"'] = 1;
	return c;
}

void
oms_csv_expect(struct oms_csv *c, size_t nfields)
{
	c->expect = nfields;
}

void
oms_csv_close(struct oms_csv *c)
{
	if (c == NULL)
		return;
	free(c->again);
	free(c->raw);
	free(c->buf);
	free(c->off);
	free(c->fields);
	free(c);
}

/* grow makes room for one more byte in *p; -1 when out of memory. */
static int
grow(char **p, size_t len, size_t *cap)
{
	char *np;

	if (len < *cap)
		return 0;
	if ((np = realloc(*p, *cap ? *cap * 2 : 4096)) == NULL)
		return -1;
	*p = np;
	*cap = *cap ? *cap * 2 : 4096;
	return 0;
}

/*
 * forget_span gives up reading the row again from its spanning quote: too
 * much has been read since.  The open quoted field's own bytes stay.
 */
static void
forget_span(struct oms_csv *c)
{
	c->span = 0;
	if (c->inquote) {
		memmove(c->raw, c->raw + c->qstart, c->raw_len - c->qstart);
		c->raw_len -= c->qstart;
		c->qstart = 0;
	} else {
		c->raw_len = 0;
		c->recording = 0;
	}
}

/* next reads a byte: the one given back, then what is to be read again, then f's. */
static int
next(struct oms_csv *c)
{
	int ch;

	if (c->back >= 0) {
		ch = c->back;
		c->back = -1;
		return ch;
	}
	if (c->again_pos < c->again_len)
		ch = (unsigned char)c->again[c->again_pos++];
	else
		ch = getc_unlocked(c->f);
	if (c->recording && ch != EOF) {
		if (c->span && c->raw_len >= RAW_MAX)
			forget_span(c);
		if (!c->recording) {
			/* forget_span stopped it */
		} else if (grow(&c->raw, c->raw_len, &c->raw_cap) != 0) {
			c->recording = 0;
			c->raw_lost = 1;
		} else {
			c->raw[c->raw_len++] = (char)ch;
		}
	}
	return ch;
}

/*
 * plain reads on through an unquoted field's bytes that need no thought
 * (no delimiter, CR, LF or quote), keeping them, while nothing is to be
 * given back, read again or recorded, and at most to FIELD_MAX: nearly
 * every byte of an import is one, and next() and put() byte by byte cost
 * several times as much.  Returns the byte after them as next() would, or
 * -2 when out of memory.
 */
static int
plain(struct oms_csv *c, size_t *flen)
{
	size_t chunk, end;
	char *nb;
	int ch;

	if (c->back >= 0 || c->again_pos < c->again_len || c->recording)
		return next(c);
	while (*flen < FIELD_MAX) {
		chunk = FIELD_MAX - *flen < 256 ? FIELD_MAX - *flen : 256;
		if (c->cap - c->len < chunk) {
			if ((nb = realloc(c->buf, c->cap * 2 + chunk)) == NULL)
				return -2;
			c->buf = nb;
			c->cap = c->cap * 2 + chunk;
		}
		for (end = c->len + chunk; c->len < end; c->len++, (*flen)++) {
			ch = getc_unlocked(c->f);
			if (ch == EOF || c->special[ch])
				return ch;
			c->buf[c->len] = (char)ch;
		}
	}
	return next(c);
}

static int
put(struct oms_csv *c, int ch)
{
	if (grow(&c->buf, c->len, &c->cap) != 0)
		return -1;
	c->buf[c->len++] = (char)ch;
	return 0;
}

/* end_field closes the field being read; -1 when out of memory. */
static int
end_field(struct oms_csv *c, size_t start)
{
	size_t *no;

	if (put(c, '\0') != 0)
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

/* bad notes what is wrong with the row; the first problem is the one reported. */
static void
bad(struct oms_csv *c, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
bad(struct oms_csv *c, size_t line, const char *fmt, ...)
{
	va_list ap;

	if (c->bad)
		return;
	c->bad = 1;
	c->what_line = line;
	va_start(ap, fmt);
	vsnprintf(c->what, sizeof c->what, fmt, ap);
	va_end(ap);
}

/* skip_line reads on past the end of the line being read; -1 on a read error. */
static int
skip_line(struct oms_csv *c)
{
	int ch;

	while ((ch = next(c)) != '\n' && ch != EOF)
		;
	if (ch == '\n') {
		c->line++;
		return 0;
	}
	if (ferror(c->f))
		return -1;
	c->done = 1;
	return 0;
}

/*
 * read_again gives up on the row from the quote on line qline, whose bytes
 * raw holds: what was read after that line is read again.  -1 when out of
 * memory or on a read error.
 */
static int
read_again(struct oms_csv *c, size_t qline)
{
	char *nl, *na;
	size_t keep, rest;

	c->recording = c->inquote = c->span = 0;
	if (c->raw_lost)
		return -1;
	if (c->raw_len == 0 || (nl = memchr(c->raw, '\n', c->raw_len)) == NULL) {
		/* The quote's line has not ended yet (or the input has). */
		c->line = qline;
		return skip_line(c);
	}
	keep = c->raw_len - (size_t)(nl + 1 - c->raw);
	rest = c->again_len - c->again_pos;
	/*
	 * What is kept is a suffix of what was to be read again and of what
	 * was read since: never more than raw (RAW_MAX) or the old buffer.
	 */
	if ((na = malloc(keep + rest + 1)) == NULL)
		return -1;
	memcpy(na, nl + 1, keep);
	if (rest > 0)
		memcpy(na + keep, c->again + c->again_pos, rest);
	free(c->again);
	c->again = na;
	c->again_len = keep + rest;
	c->again_pos = 0;
	c->back = -1;		/* its byte is in raw */
	c->line = qline + 1;
	c->done = 0;
	return 0;
}

/* row_out hands the fields read so far to the caller. */
static int
row_out(struct oms_csv *c, char ***fields, size_t *nfields)
{
	size_t i;

	if (c->fields_cap < c->fcap) {
		char **nf = realloc(c->fields, c->fcap * sizeof *nf);

		if (nf == NULL)
			return -1;
		c->fields = nf;
		c->fields_cap = c->fcap;
	}
	for (i = 0; i < c->nfields; i++)
		c->fields[i] = c->buf + c->off[i];
	*fields = c->fields;
	*nfields = c->nfields;
	return 0;
}

int
oms_csv_row(struct oms_csv *c, char ***fields, size_t *nfields, size_t *line,
    char *err, size_t errlen)
{
	size_t start, flen, row_line, qline = 0;
	int ch, quoted, store, over;

	*nfields = 0;
	if (c->done)
		return 0;
	c->len = c->nfields = 0;
	c->bad = 0;
	row_line = *line = c->line;
	if (!c->started) {
		c->started = 1;
		if ((ch = next(c)) == 0xef) {
			if (next(c) != 0xbb || next(c) != 0xbf) {
				bad(c, 1, "not valid UTF-8");
				if (skip_line(c) != 0)
					goto fatal;
				goto bad;
			}
		} else if (ch != EOF) {
			c->back = ch;
		}
	}
next_row:
	c->len = c->nfields = 0;
	c->recording = c->raw_lost = c->inquote = c->span = 0;
	c->raw_len = 0;
	row_line = *line = c->line;
	for (;;) {
		start = c->len;
		flen = 0;
		quoted = over = 0;
		/* Fields past the limit are read, to find the row's end, not kept. */
		store = c->nfields < FIELDS_MAX;
		if (!store)
			bad(c, c->line, "more than %d fields", FIELDS_MAX);
		ch = next(c);
		if (ch == '"') {
			quoted = 1;
			qline = c->line;
			if (!c->recording) {
				c->raw_len = 0;
				c->recording = 1;
			}
			c->qstart = c->raw_len;
			c->inquote = 1;
			for (;;) {
				ch = next(c);
				if (ch == '"') {
					ch = next(c);
					if (ch != '"')
						break;
				}
				if (ch == EOF || flen == FIELD_MAX) {
					if (ch == EOF && ferror(c->f))
						goto ioerr;
					if (ch == EOF)
						bad(c, qline, "unterminated quoted field");
					else
						bad(c, qline, "a quoted field over 64 KiB (taken for an"
						    " unterminated quote)");
					goto requote;
				}
				if (ch == '\n')
					c->line++;
				flen++;
				if (store && put(c, ch) != 0)
					goto nomem;
			}
			c->inquote = 0;
		}
		while (ch != c->delim && ch != '\n' && ch != EOF) {
			if (ch == '\r') {
				if ((ch = next(c)) == '\n')
					break;
				c->back = ch;
				ch = '\r';
			}
			if (quoted) {
				if (c->line == qline)
					bad(c, c->line, "text after a closing quote");
				else
					bad(c, qline, "the quote opened here closes on line %zu, before"
					    " more text (a stray quote?)", c->line);
				goto requote;
			}
			if (ch == '"') {
				bad(c, c->line, "a quote inside an unquoted field");
				if (c->span)
					goto requote;
				/* What the writer meant cannot be told: the next line is read afresh. */
				if (skip_line(c) != 0)
					goto fatal;
				goto bad;
			}
			if (flen == FIELD_MAX && !over) {
				bad(c, c->line, "field %zu is over 64 KiB", c->nfields + 1);
				over = 1;
			}
			if (!over) {
				flen++;
				if (store && put(c, ch) != 0)
					goto nomem;
			}
			if (store && !over && (ch = plain(c, &flen)) == -2)
				goto nomem;
			else if (!store || over)
				ch = next(c);
		}
		if (quoted && !c->span) {
			if (c->line > qline) {
				/* Until the row ends well, this quote may be the one that went wrong. */
				c->span = 1;
				c->span_line = qline;
				c->span_field = c->nfields;
			} else {
				c->recording = 0;
				c->raw_len = 0;
			}
		}
		if (store) {
			/* A bad field is kept empty: the row's other fields still say whose it is. */
			if (over)
				c->len = start;
			else if (!omsi_utf8_valid(c->buf + start, c->len - start)) {
				bad(c, c->line, "not valid UTF-8 (or a NUL byte)");
				c->len = start;
			}
			if (end_field(c, start) != 0)
				goto nomem;
		}
		if (ch == c->delim)
			continue;
		if (ch == EOF) {
			if (ferror(c->f))
				goto ioerr;
			c->done = 1;
		} else {
			c->line++;
		}
		break;
	}
	if (!c->bad && c->nfields == 1 && c->buf[0] == '\0' && !quoted) {
		/* A blank line, or the newline after the last row. */
		if (c->done)
			return 0;
		goto next_row;
	}
	if (!c->bad && c->span && c->expect > 0 && c->nfields != c->expect) {
		/*
		 * A row of the wrong length whose quote ran over lines: the
		 * quote, not the lines it swallowed, is what is wrong.
		 */
		bad(c, row_line, "%zu fields, the header has %zu (the quote on line %zu may be"
		    " stray)", c->nfields, c->expect, c->span_line);
		goto requote;
	}
	c->recording = c->span = 0;
	if (row_out(c, fields, nfields) != 0)
		goto nomem;
	if (c->bad)
		goto bad_out;
	return 1;
requote:
	/* The fields from the quote on are not to be trusted. */
	if (c->span) {
		c->nfields = c->span_field;
		qline = c->span_line;
	}
	if (read_again(c, qline) != 0)
		goto fatal;
bad:
	if (row_out(c, fields, nfields) != 0)
		goto nomem;
bad_out:
	*line = row_line;
	omsi_fmt_err(err, errlen, "%s:%zu: %s", c->name, c->what_line, c->what);
	return -1;
fatal:
	if (ferror(c->f))
		goto ioerr;
nomem:
	omsi_fmt_err(err, errlen, "%s:%zu: out of memory", c->name, c->line);
	c->done = 1;
	return -2;
ioerr:
	omsi_fmt_err(err, errlen, "%s: %s", c->name, strerror(errno));
	c->done = 1;
	return -2;
}

const char *
oms_csv_error(const struct oms_csv *c, size_t *line)
{
	*line = c->what_line;
	return c->what;
}
