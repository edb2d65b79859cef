/*
 * import_x12.c: ANSI X12 850 purchase orders in, 997 functional
 * acknowledgments out.
 *
 * The input is read as a stream of segments, one at a time and never all
 * at once, so memory is bounded by the longest segment we keep (64 KiB)
 * and the one order being built (at most SET_SEGS_MAX segments).  Each
 * interchange brings its own delimiters in its fixed-length ISA segment.
 * Envelope checks follow X12: SE01 counts the set's segments, SE02 repeats
 * ST02, GE01 counts the group's sets, GE02 repeats GS06, IEA01 counts the
 * interchange's groups, IEA02 repeats ISA13.
 *
 * What a trading partner is told and what oms did are the same thing: a
 * set is acknowledged accepted (AK5*A) when its order is in the database
 * (added now or before), rejected (AK5*R with the reasons, AK3 and AK4
 * pointing at the fault) when its X12 is unsound, and accepted with errors
 * noted (AK5*E, no AK3 or AK4) when it is sound X12 that oms cannot take:
 * a unit it cannot convert, an order the database refuses.  Those are
 * business matters, told on stderr, not faults of syntax to be
 * acknowledged as such.  A group whose trailer is wrong or missing still has its
 * complete sets imported, since each is vouched for by its own SE; the
 * 997 says so with AK9*E (or P) and the group error code.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <oms/alias.h>
#include <oms/carrier.h>
#include <oms/config.h>
#include <oms/db.h>
#include <oms/diag.h>
#include <oms/doc.h>
#include <oms/import.h>
#include <oms/order.h>
#include <oms/money.h>
#include <oms/oms.h>
#include <oms/pan.h>
#include <oms/time.h>
#include <oms/x12.h>

#include "internal.h"

#define ISA_LEN 106		/* the ISA segment is fixed length, terminator included */
#define SEG_MAX (64 * 1024)	/* longest segment kept; X12's own are far shorter */
#define ELEMS_MAX 128		/* elements of a segment; none we read has near that */
#define SET_SEGS_MAX 100000	/* segments in one transaction set */
#define FIELD_MAX 1024		/* longest text oms keeps (as lib/doc.c) */
#define AK_CODES 5		/* error codes an AK5 or AK9 can carry */

/* What read_segment found. */
enum { SEG_EOF, SEG_DATA, SEG_ISA, SEG_NOT_ISA, SEG_ERROR };

/* What a PO1 said that the order's lines do not keep, for the 856. */
struct x12_line {
	char unit[5];		/* PO103 ("EA" when blank) */
	int64_t per_unit;	/* eaches in one unit */
	int64_t unit_qty;	/* PO102 */
	char *ids;		/* the product ID pairs, "QQ ID" a line */
	char *unknown;		/* the pairs, when none named an item oms knows; else NULL */
};

/* Which N1 loop the segments being read belong to. */
enum party { P_NONE, P_SHIP, P_BILL, P_OTHER };

/* The transaction set (ST..SE) being read. */
struct set {
	int open;		/* between ST and SE */
	int orphan;		/* outside a usable group: read past, not imported, not acknowledged */
	size_t line;		/* of its ST */
	char id[4];		/* ST01, "850" for a purchase order */
	char ctl[10];		/* ST02, its control number */
	size_t nseg;		/* segments so far, ST included (what SE01 must say) */
	int is850;
	int bad;		/* rejected: reported once, not imported */
	int refused;		/* sound X12 that oms cannot take: acknowledged AK5*E */
	int codes[AK_CODES];	/* AK502.. error codes */
	size_t ncodes;
	/* The first segment in error, for AK3 and AK4. */
	char ak3_id[4];
	size_t ak3_pos;
	int ak3_code;
	size_t ak4_elem;
	int ak4_code;
	char ak4_copy[100];
	/* Where the 850 reading stands. */
	int has_beg, has_ship, has_bill, cur_by, detail;
	enum party party;
	size_t npo1;
	struct oms_doc doc;
	char st_qual[3], st_code[81];	/* N103, N104 of the ship-to */
	struct x12_line *xl;		/* one per line of doc */
	size_t nxl, xlcap;
};

/* The functional group (GS..GE) being read. */
struct group {
	int open;
	int skip;		/* its GS was unusable: its sets are read past */
	int acked;		/* a 997 for it is being written */
	size_t line;		/* of its GS */
	char fid[3];		/* GS01, functional identifier ("PO") */
	char sender[16];	/* GS02 */
	char receiver[16];	/* GS03 */
	char ctl[10];		/* GS06, its control number */
	char version[13];	/* GS08 */
	size_t nsets;		/* sets received (ST seen) */
	size_t accepted;	/* sets acknowledged as accepted, with errors noted or not */
	size_t noted;		/* of those, accepted with errors noted (AK5*E) */
};

/* The interchange (ISA..IEA) being read. */
struct interchange {
	int open;
	int acked;		/* our ISA for its 997s has been written */
	size_t line;		/* of its ISA */
	char sq[3], sid[16];	/* ISA05, ISA06 as received (blank-padded) */
	char rq[3], rid[16];	/* ISA07, ISA08 */
	char rep[2];		/* ISA11: standards ID or repetition separator */
	char version[6];	/* ISA12 */
	char ctl[10];		/* ISA13 */
	char usage;		/* ISA15: P production, T test */
	char source[24];	/* "x12:" and the sender ID, the orders' source */
	int xref;		/* the sender has a cross-reference: 1 yes, 0 no, -1 not looked up */
	size_t ngroups;		/* GS seen */
	size_t nacked;		/* 997 groups written */
};

/* One run of the reader over one input. */
struct x12 {
	struct oms_import *imp;
	struct oms *o;
	FILE *f, *ack;
	const char *name;
	size_t line;		/* where the reader is, 1-based */
	int line_used;		/* a segment has begun on this line */
	size_t nseg;		/* segments begun in the input */
	int es, cs, st;		/* element, component separators, terminator (-1: no ISA yet) */
	char nl[3];		/* what came after the ISA's terminator; the 997 does the same */
	int stray;		/* a misplaced segment was reported: quiet till the next envelope */
	size_t tested;		/* orders of test interchanges checked, not imported */
	/* The segment just read. */
	char seg[SEG_MAX + 1];
	size_t len;
	const char *el[ELEMS_MAX];
	size_t nel;
	int toolong, too_many, nul;
	size_t seg_line;	/* where it began */
	size_t seg_no;		/* its number in the input, ISA first */
	int seg_alone;		/* it began its line, so the line alone names it */
	struct interchange isa;
	struct group gs;
	struct set set;
	size_t ack_nseg;	/* segments of the 997 being written */
	char date6[7], date8[9], time4[5];	/* now, for the 997's envelopes */
};

/* el returns element i of the segment just read (0 is its ID), "" when it has none. */
static const char *
el(const struct x12 *x, size_t i)
{
	return i < x->nel ? x->el[i] : "";
}

/* is_digits says whether s is one or more ASCII digits. */
static int
is_digits(const char *s)
{
	return *s != '\0' && s[strspn(s, "0123456789")] == '\0';
}

/* count_is says whether s is a count (digits, at most 9 of them past leading zeros) equal to n. */
static int
count_is(const char *s, size_t n)
{
	return is_digits(s) && strlen(s + strspn(s, "0")) <= 9 &&
	    (size_t)strtoul(s, NULL, 10) == n;
}

/* same_number compares control numbers, as numbers when both are digits ("1", "000000001"). */
static int
same_number(const char *a, const char *b)
{
	if (is_digits(a) && is_digits(b)) {
		a += strspn(a, "0");
		b += strspn(b, "0");
	}
	return strcmp(a, b) == 0;
}

/*
 * show copies a value into out for a message: at most 40 bytes, cut at a
 * character, with anything unprintable or not UTF-8 shown as '?', so that
 * input bytes never reach a terminal raw.
 */
static const char *
show(const char *s, char out[64])
{
	size_t i = 0, n, len = strlen(s);

	while (*s != '\0' && i < 40) {
		unsigned char c = (unsigned char)*s;

		n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		if (n > len || i + n > 40)
			n = 1;
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && !omsi_utf8_valid(s, n))) {
			out[i++] = '?';
			n = 1;
		} else {
			memcpy(out + i, s, n);
			i += n;
		}
		s += n;
		len -= n;
	}
	if (*s != '\0' && i < 61) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
	return out;
}

/* show_char names a delimiter for a message ("~", "\n", "0x01"). */
static const char *
show_char(int c, char out[8])
{
	if (c == '\n')
		return "\\n";
	if (c == '\r')
		return "\\r";
	if (c < 0x20 || c >= 0x7f)
		snprintf(out, 8, "0x%02x", c & 0xff);
	else
		snprintf(out, 8, "%c", c);
	return out;
}

/*
 * report rejects what the current segment says: "FILE:LINE: ID: WHAT", or
 * "segment N (ID): WHAT" when other segments share its line.
 */
static void report(struct x12 *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
report(struct x12 *x, const char *fmt, ...)
{
	char msg[768], id[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	show(el(x, 0), id);
	if (x->seg_alone)
		oms_import_reject(x->imp, x->name, x->seg_line, "%s: %s", id, msg);
	else
		oms_import_reject(x->imp, x->name, x->seg_line, "segment %zu (%s): %s", x->seg_no,
		    id, msg);
}

/* valid_id says whether a segment ID looks like one: 2 or 3 capitals or digits, a capital first. */
static int
valid_id(const char *id)
{
	size_t n = strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

	return (n == 2 || n == 3) && id[n] == '\0' && id[0] >= 'A' && id[0] <= 'Z';
}

/* add_code notes an error code for an AK5 or AK9, once each. */
static void
add_code(int *codes, size_t *n, int code)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (codes[i] == code)
			return;
	if (*n < AK_CODES)
		codes[(*n)++] = code;
}

/*
 * set_fail rejects the set being read, with AK5 code ak502.  Only its first
 * problem is reported (what follows a bad segment is often its echo); later
 * ones add their code to the 997.  at_seg: the message names the current
 * segment, else the set's ST line.
 */
static int set_fail(struct x12 *x, int at_seg, int ak502, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
set_fail(struct x12 *x, int at_seg, int ak502, const char *fmt, ...)
{
	struct set *s = &x->set;
	char msg[768], ctl[64];
	va_list ap;

	add_code(s->codes, &s->ncodes, ak502);
	if (s->bad || s->orphan) {
		s->bad = 1;
		return OMS_EINPUT;
	}
	s->bad = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (at_seg)
		report(x, "%s", msg);
	else
		oms_import_reject(x->imp, x->name, s->line, "transaction set %s: %s",
		    show(s->ctl, ctl), msg);
	return OMS_EINPUT;
}

/*
 * seg_error rejects the set for the current segment (AK3 with ak304 and,
 * when elem is not 0, AK4 for that element with ak403).
 */
static int seg_error(struct x12 *x, int ak304, size_t elem, int ak403, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int
seg_error(struct x12 *x, int ak304, size_t elem, int ak403, const char *fmt, ...)
{
	struct set *s = &x->set;
	const char *v = el(x, elem);
	char msg[768];
	va_list ap;
	size_t i;

	if (!s->bad && !s->orphan) {
		/* An ID that is no ID is not echoed: AK5 alone says the set was rejected. */
		if (valid_id(el(x, 0)))
			snprintf(s->ak3_id, sizeof s->ak3_id, "%s", el(x, 0));
		s->ak3_pos = s->nseg;
		s->ak3_code = ak304;
		s->ak4_elem = elem;
		s->ak4_code = ak403;
		/* The bad value goes back to the partner only when it is plain text. */
		s->ak4_copy[0] = '\0';
		for (i = 0; v[i] > 0x1f && v[i] < 0x7f && i < sizeof s->ak4_copy - 1; i++)
			;
		/* The partner is told which value, but never one that could be a card number. */
		if (elem > 0 && v[i] == '\0' && !oms_pan_has(v))
			memcpy(s->ak4_copy, v, i + 1);
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return set_fail(x, 1, 5, "%s", msg);
}

/* elem_error rejects the set for element i of the current segment. */
#define elem_error(x, i, code, ...) seg_error((x), 8, (i), (code), __VA_ARGS__)

/*
 * refuse turns down the set being read for what it asks, not for how it
 * is written: reported (naming the current segment) like a rejection, not
 * imported, but acknowledged AK5*E with no AK3 or AK4.
 */
static int refuse(struct x12 *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
refuse(struct x12 *x, const char *fmt, ...)
{
	struct set *s = &x->set;
	char msg[768];
	va_list ap;

	if (s->bad || s->orphan) {
		s->bad = 1;
		return OMS_EINPUT;
	}
	s->bad = s->refused = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	report(x, "%s", msg);
	return OMS_EINPUT;
}

/* Flags for text(). */
enum {
	T_ID = 1,	/* the partner's identifier (PO number, line ID): exempt from the card number test */
	T_FIRST = 2	/* keep a value already given (the first one wins) */
};

/*
 * text checks element i as text oms keeps (UTF-8, no control characters,
 * at most FIELD_MAX bytes, no card number) and stores it trimmed of blanks
 * in *out; what names it in messages.  An empty element changes nothing.
 * OMS_OK, OMS_EINPUT (the set is rejected) or OMS_ESYS (out of memory).
 */
static int
text(struct x12 *x, size_t i, const char *what, int flags, char **out)
{
	const char *v = el(x, i);
	size_t len, j;
	char *s;

	v += strspn(v, " ");
	len = strlen(v);
	while (len > 0 && v[len - 1] == ' ')
		len--;
	if (len == 0)
		return OMS_OK;
	if (len > FIELD_MAX)
		return elem_error(x, i, 5, "%s is longer than %d bytes", what, FIELD_MAX);
	if (!omsi_utf8_valid(v, len))
		return elem_error(x, i, 6, "%s is not valid UTF-8", what);
	for (j = 0; j < len; j++)
		if ((unsigned char)v[j] < 0x20 || v[j] == 0x7f)
			return elem_error(x, i, 6, "%s holds a control character", what);
	if ((s = strndup(v, len)) == NULL) {
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	/* A card number is refused unechoed; a PO or line number is the partner's identifier. */
	if (!(flags & T_ID) && oms_pan_has(s)) {
		free(s);
		return elem_error(x, 0, 6, "%s holds what looks like a card number; refused (not"
		    " stored)", what);
	}
	if ((flags & T_FIRST) && *out != NULL) {
		free(s);
		return OMS_OK;
	}
	free(*out);
	*out = s;
	return OMS_OK;
}

/*
 * join appends element i to *out after sep (for address lines and names
 * that X12 splits over two elements).  Checked as text() checks.
 */
static int
join(struct x12 *x, size_t i, const char *what, const char *sep, char **out)
{
	char *add = NULL, *both;
	int rc;

	if ((rc = text(x, i, what, 0, &add)) != OMS_OK || add == NULL)
		return rc;
	if (*out == NULL) {
		*out = add;
		return OMS_OK;
	}
	if (asprintf(&both, "%s%s%s", *out, sep, add) < 0) {
		free(add);
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	free(add);
	free(*out);
	*out = both;
	if (strlen(both) > FIELD_MAX)
		return elem_error(x, i, 5, "%s makes the field longer than %d bytes", what,
		    FIELD_MAX);
	return OMS_OK;
}

/*
 * decimal reads an X12 decimal ("R": "12", "12.5", ".5") as an integer
 * scaled by 10^scale, exactly.  Zeros past the scale are harmless; other
 * digits there would need rounding, which is the partner's to do, not ours.
 * Returns 0; -1 not a number, -2 negative, -3 too many decimals, -4 too large.
 */
static int
decimal(const char *s, int scale, int64_t *out)
{
	const char *p = s, *frac = "";
	size_t ni, nf = 0;
	char buf[48];
	int neg = 0;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	ni = strspn(p, "0123456789");
	if (p[ni] == '.') {
		frac = p + ni + 1;
		nf = strspn(frac, "0123456789");
		if (frac[nf] != '\0')
			return -1;
	} else if (p[ni] != '\0') {
		return -1;
	}
	if (ni + nf == 0)
		return -1;
	if (neg)
		return -2;
	while (nf > (size_t)scale && frac[nf - 1] == '0')
		nf--;
	if (nf > (size_t)scale)
		return -3;
	while (ni > 1 && *p == '0') {
		p++;
		ni--;
	}
	if (ni > 20)
		return -4;
	snprintf(buf, sizeof buf, "%.*s%s%.*s", ni ? (int)ni : 1, ni ? p : "0", nf ? "." : "",
	    (int)nf, frac);
	if (oms_decimal_parse(buf, scale, out) != 0)
		return errno == ERANGE ? -4 : -1;
	return 0;
}

/* ---- the 997 ---- */

/*
 * ack_out writes one segment of the 997: its ID and the elements up to a
 * NULL, trailing empty ones left out as X12 wants.
 */
static void ack_out(struct x12 *x, const char *id, ...) __attribute__((sentinel));

static void
ack_out(struct x12 *x, const char *id, ...)
{
	const char *v[16];
	size_t n = 0, i;
	va_list ap;

	va_start(ap, id);
	while (n < 16 && (v[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	while (n > 0 && *v[n - 1] == '\0')
		n--;
	fputs(id, x->ack);
	for (i = 0; i < n; i++) {
		putc(x->es, x->ack);
		fputs(v[i], x->ack);
	}
	putc(x->st, x->ack);
	fputs(x->nl, x->ack);
	x->ack_nseg++;
}

/* ack_group_begin starts the 997 for the group just opened, and our ISA when it is the first. */
static void
ack_group_begin(struct x12 *x)
{
	struct interchange *i = &x->isa;
	struct group *g = &x->gs;

	if (!i->acked) {
		/* Sender and receiver swapped; no authorization or security information. */
		char usage[2] = { i->usage, '\0' }, cs[2] = { (char)x->cs, '\0' };
		const char *f[16] = { "00", "          ", "00", "          ", i->rq, i->rid, i->sq,
			i->sid, x->date6, x->time4, i->rep, i->version, i->ctl, "0", usage, cs };
		size_t k;

		fputs("ISA", x->ack);
		for (k = 0; k < 16; k++) {
			putc(x->es, x->ack);
			fputs(f[k], x->ack);
		}
		putc(x->st, x->ack);
		fputs(x->nl, x->ack);
		i->acked = 1;
	}
	ack_out(x, "GS", "FA", g->receiver, g->sender, x->date8, x->time4, g->ctl, "X",
	    g->version, NULL);
	x->ack_nseg = 0;
	ack_out(x, "ST", "997", "0001", NULL);
	ack_out(x, "AK1", g->fid, g->ctl, NULL);
	g->acked = 1;
}

/* ack_set writes the AK2 loop for the set just ended. */
static void
ack_set(struct x12 *x)
{
	struct set *s = &x->set;
	char pos[24], elem[24], c304[12], c403[12], codes[AK_CODES][12];
	size_t i;

	if (!x->gs.acked || s->orphan)
		return;
	ack_out(x, "AK2", s->id, s->ctl, NULL);
	if (s->bad && s->ncodes > 0 && s->ak3_id[0] != '\0') {
		snprintf(pos, sizeof pos, "%zu", s->ak3_pos);
		snprintf(c304, sizeof c304, "%d", s->ak3_code);
		ack_out(x, "AK3", s->ak3_id, pos, "", c304, NULL);
		if (s->ak4_elem > 0) {
			snprintf(elem, sizeof elem, "%zu", s->ak4_elem);
			snprintf(c403, sizeof c403, "%d", s->ak4_code);
			ack_out(x, "AK4", elem, "", c403, s->ak4_copy, NULL);
		}
	}
	for (i = 0; i < AK_CODES; i++)
		snprintf(codes[i], sizeof codes[i], "%d", i < s->ncodes ? s->codes[i] : 0);
	for (i = s->ncodes; i < AK_CODES; i++)
		codes[i][0] = '\0';
	ack_out(x, "AK5", s->ncodes > 0 ? "R" : s->bad ? "E" : "A", codes[0], codes[1], codes[2],
	    codes[3], codes[4], NULL);
}

/* ack_group_end closes the group's 997: AK9 with the group's error codes, SE and GE. */
static void
ack_group_end(struct x12 *x, const char *included, const int *gcodes, size_t ngcodes)
{
	struct group *g = &x->gs;
	char nrec[24], nacc[24], nseg[24], codes[AK_CODES][12];
	const char *verdict;
	size_t i;

	if (!g->acked)
		return;
	if (g->accepted == 0 && g->nsets > 0)
		verdict = "R";
	else if (g->accepted < g->nsets)
		verdict = "P";
	else
		verdict = ngcodes > 0 || g->noted > 0 ? "E" : "A";
	snprintf(nrec, sizeof nrec, "%zu", g->nsets);
	snprintf(nacc, sizeof nacc, "%zu", g->accepted);
	for (i = 0; i < AK_CODES; i++)
		snprintf(codes[i], sizeof codes[i], "%d", i < ngcodes ? gcodes[i] : 0);
	for (i = ngcodes; i < AK_CODES; i++)
		codes[i][0] = '\0';
	ack_out(x, "AK9", verdict, included ? included : nrec, nrec, nacc, codes[0], codes[1],
	    codes[2], codes[3], codes[4], NULL);
	snprintf(nseg, sizeof nseg, "%zu", x->ack_nseg + 1);
	ack_out(x, "SE", nseg, "0001", NULL);
	ack_out(x, "GE", "1", g->ctl, NULL);
	x->isa.nacked++;
	g->acked = 0;
}

/* ack_isa_end closes our interchange, if this one's groups were acknowledged. */
static void
ack_isa_end(struct x12 *x)
{
	char n[24];

	if (!x->isa.acked)
		return;
	snprintf(n, sizeof n, "%zu", x->isa.nacked);
	ack_out(x, "IEA", n, x->isa.ctl, NULL);
	x->isa.acked = 0;
}

/* ---- the 850 ---- */

static int copy_el(struct x12 *x, size_t i, char *out, size_t len);

/* one_of says whether s is one of the NULL-terminated list. */
static int
one_of(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

/* beg reads the beginning segment: purpose, PO number (and release), date. */
static int
beg(struct x12 *x)
{
	static const char *const purposes[] = { "00", "07", NULL };
	struct oms_doc *d = &x->set.doc;
	char v[64], iso[16], when[OMS_TIME_MAX];
	const char *date = el(x, 5);
	char *po = NULL, *rel = NULL;
	int rc;

	if (x->set.has_beg)
		return seg_error(x, 5, 0, 0, "a second BEG segment");
	x->set.has_beg = 1;
	if (*el(x, 1) == '\0')
		return elem_error(x, 1, 1, "purpose (BEG01) missing");
	/* A cancellation or change is not a new order, and must not become one. */
	if (!one_of(el(x, 1), purposes))
		return refuse(x, "purpose \"%s\" (BEG01) is not supported: only original orders (00,"
		    " or 07 duplicate) are imported", show(el(x, 1), v));
	if ((rc = text(x, 3, "purchase order number (BEG03)", T_ID, &po)) != OMS_OK)
		return rc;
	if (po == NULL)
		return elem_error(x, 3, 1, "purchase order number (BEG03) missing");
	if ((rc = text(x, 4, "release number (BEG04)", T_ID, &rel)) != OMS_OK) {
		free(po);
		return rc;
	}
	/* Releases against one blanket order are orders of their own. */
	if (rel != NULL) {
		free(d->external_id);
		d->external_id = NULL;
		rc = asprintf(&d->external_id, "%s/%s", po, rel);
		free(po);
		free(rel);
		if (rc < 0) {
			d->external_id = NULL;
			oms_warnx("out of memory");
			return OMS_ESYS;
		}
	} else {
		d->external_id = po;
	}
	if (*date == '\0')
		return elem_error(x, 5, 1, "purchase order date (BEG05) missing");
	if (strlen(date) == 8 && is_digits(date))
		snprintf(iso, sizeof iso, "%.4s-%.2s-%.2s", date, date + 4, date + 6);
	else
		iso[0] = '\0';
	if (oms_time_parse(iso, when) != 0)
		return elem_error(x, 5, 8, "date \"%s\" (BEG05) is not a date (CCYYMMDD)",
		    show(date, v));
	if ((d->placed_at = strdup(when)) == NULL) {
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	return OMS_OK;
}

/* cur reads the currency of the order's amounts. */
static int
cur(struct x12 *x)
{
	struct set *s = &x->set;
	const char *code = el(x, 2);
	char v[64];

	if (*code == '\0')
		return elem_error(x, 2, 1, "currency (CUR02) missing");
	if (strlen(code) != 3 || oms_currency_digits(code) < 0)
		return elem_error(x, 2, 7, "currency \"%s\" (CUR02) is not an ISO 4217 code oms"
		    " knows", show(code, v));
	if (s->detail) {
		/* Prices are read in the order's currency: one order, one currency. */
		if (strcmp(code, s->doc.currency) != 0)
			return elem_error(x, 2, 7, "a line in %s (CUR after PO1) in an order in %s"
			    " is not supported", code, s->doc.currency);
		return OMS_OK;
	}
	/* The buyer's currency is the order's; another party's counts only without it. */
	if (s->cur_by && strcmp(el(x, 1), "BY") != 0)
		return OMS_OK;
	memcpy(s->doc.currency, code, 4);
	if (strcmp(el(x, 1), "BY") == 0)
		s->cur_by = 1;
	return OMS_OK;
}

/* per reads a contact: the order's own (before any N1) or the ship-to's; the first given wins. */
static int
per(struct x12 *x)
{
	struct oms_doc *d = &x->set.doc;
	char what[32];
	size_t i;
	int rc;

	if (x->set.detail || (x->set.party != P_NONE && x->set.party != P_SHIP))
		return OMS_OK;
	if ((rc = text(x, 2, "contact name (PER02)", T_FIRST, &d->customer_name)) != OMS_OK)
		return rc;
	/* Qualifier and number pairs: PER03/PER04, PER05/PER06, PER07/PER08; fax and others pass. */
	for (i = 3; i + 1 <= 8; i += 2) {
		if (strcmp(el(x, i), "TE") == 0) {
			snprintf(what, sizeof what, "phone (PER%02zu)", i + 1);
			rc = text(x, i + 1, what, T_FIRST, &d->customer_phone);
		} else if (strcmp(el(x, i), "EM") == 0) {
			snprintf(what, sizeof what, "email (PER%02zu)", i + 1);
			rc = text(x, i + 1, what, T_FIRST, &d->customer_email);
		}
		if (rc != OMS_OK)
			return rc;
	}
	return OMS_OK;
}

/* party_addr returns the address the current N1 loop fills, or NULL. */
static struct oms_address *
party_addr(struct x12 *x, const char **who)
{
	if (x->set.detail)
		return NULL;
	if (x->set.party == P_SHIP) {
		*who = "ship-to";
		return &x->set.doc.ship_to;
	}
	if (x->set.party == P_BILL) {
		*who = "bill-to";
		return &x->set.doc.bill_to;
	}
	return NULL;
}

/* n1 begins a party's loop: ship-to and bill-to are read, the others passed over. */
static int
n1(struct x12 *x)
{
	struct set *s = &x->set;
	const char *code = el(x, 1);

	if (s->detail) {
		/* One address per order: a line shipped elsewhere cannot be honoured. */
		if (strcmp(code, "ST") == 0)
			return refuse(x, "a ship-to for one line (N1*ST after PO1) is not supported");
		s->party = P_OTHER;
		return OMS_OK;
	}
	if (strcmp(code, "ST") == 0) {
		if (s->has_ship)
			return refuse(x, "a second ship-to (N1*ST) is not supported");
		s->has_ship = 1;
		s->party = P_SHIP;
		/* The partner's code for the place (a store, a DC), which its 856 must name. */
		if (*el(x, 3) != '\0' && *el(x, 4) != '\0' &&
		    (copy_el(x, 3, s->st_qual, sizeof s->st_qual) != 0 ||
		    copy_el(x, 4, s->st_code, sizeof s->st_code) != 0))
			return elem_error(x, copy_el(x, 3, s->st_qual, sizeof s->st_qual) ? 3 : 4, 6,
			    "ship-to code qualifier (N103) of 1 or 2 and code (N104) of 1 to 80"
			    " printable characters expected");
		return text(x, 2, "ship-to name (N102)", 0, &s->doc.ship_to.name);
	}
	if (strcmp(code, "BT") == 0) {
		if (s->has_bill)
			return seg_error(x, 5, 0, 0, "a second bill-to (N1*BT)");
		s->has_bill = 1;
		s->party = P_BILL;
		return text(x, 2, "bill-to name (N102)", 0, &s->doc.bill_to.name);
	}
	s->party = P_OTHER;
	return OMS_OK;
}

/* n2 reads a party's additional name, which oms keeps as the company. */
static int
n2(struct x12 *x)
{
	struct oms_address *a;
	const char *who = "";
	char what[48];
	int rc;

	if ((a = party_addr(x, &who)) == NULL)
		return OMS_OK;
	snprintf(what, sizeof what, "%s company (N201)", who);
	if ((rc = join(x, 1, what, ", ", &a->company)) != OMS_OK)
		return rc;
	snprintf(what, sizeof what, "%s company (N202)", who);
	return join(x, 2, what, " ", &a->company);
}

/* n3 reads a party's street: the first N3 gives line 1 (and 2), a second adds to line 2. */
static int
n3(struct x12 *x)
{
	struct oms_address *a;
	const char *who = "";
	char what[48];
	int rc;

	if ((a = party_addr(x, &who)) == NULL)
		return OMS_OK;
	snprintf(what, sizeof what, "%s address (N301)", who);
	if (a->line1 == NULL) {
		if ((rc = text(x, 1, what, 0, &a->line1)) != OMS_OK)
			return rc;
	} else if ((rc = join(x, 1, what, ", ", &a->line2)) != OMS_OK) {
		return rc;
	}
	snprintf(what, sizeof what, "%s address (N302)", who);
	return join(x, 2, what, ", ", &a->line2);
}

/* n4 reads a party's city, state, postal code and country (US when not given). */
static int
n4(struct x12 *x)
{
	struct oms_address *a;
	const char *who = "";
	char what[48];
	int rc;

	if ((a = party_addr(x, &who)) == NULL)
		return OMS_OK;
	snprintf(what, sizeof what, "%s city (N401)", who);
	if ((rc = text(x, 1, what, 0, &a->city)) != OMS_OK)
		return rc;
	snprintf(what, sizeof what, "%s state (N402)", who);
	if ((rc = text(x, 2, what, 0, &a->region)) != OMS_OK)
		return rc;
	snprintf(what, sizeof what, "%s postal code (N403)", who);
	if ((rc = text(x, 3, what, 0, &a->postal_code)) != OMS_OK)
		return rc;
	snprintf(what, sizeof what, "%s country (N404)", who);
	if ((rc = text(x, 4, what, 0, &a->country)) != OMS_OK)
		return rc;
	if (a->country == NULL && (a->country = strdup("US")) == NULL) {
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	return OMS_OK;
}

/* td5 reads the routing (else the carrier's SCAC) as the ship method; the first one wins. */
static int
td5(struct x12 *x)
{
	struct oms_doc *d = &x->set.doc;
	int rc;

	if (x->set.detail)
		return OMS_OK;
	if ((rc = text(x, 5, "routing (TD505)", T_FIRST, &d->ship_method)) != OMS_OK)
		return rc;
	return text(x, 3, "carrier (TD503)", T_FIRST, &d->ship_method);
}

/* itd reads the terms of sale: their description, else the net days as "net N". */
static int
itd(struct x12 *x)
{
	struct oms_doc *d = &x->set.doc;
	char v[64];
	int rc;

	if (x->set.detail || d->payment_terms != NULL)
		return OMS_OK;
	if ((rc = text(x, 12, "terms (ITD12)", T_FIRST, &d->payment_terms)) != OMS_OK ||
	    d->payment_terms != NULL || *el(x, 7) == '\0')
		return rc;
	if (!is_digits(el(x, 7)) || strlen(el(x, 7)) > 4)
		return elem_error(x, 7, 6, "net days \"%s\" (ITD07) is not a whole number of days",
		    show(el(x, 7), v));
	if (asprintf(&d->payment_terms, "net %d", atoi(el(x, 7))) < 0) {
		d->payment_terms = NULL;
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	return OMS_OK;
}

/*
 * The product ID qualifiers oms reads (PO106, PO108, ...), in the order it
 * prefers them by default: the seller's own numbers first, then the
 * manufacturer's and the GS1 numbers, the buyer's last.  A partner's
 * x12.partners.ID.id_order (or the site's x12.id_order) replaces it.
 */
static const char default_id_order[] = "VN VP SK MG VA VC UP UK EN EA UA BP CB IN";

/* Units that are one each. */
static const char *const each_units[] = { "", "EA", "PC", "PCE", "UN", "EACH", NULL };

/* partner is the X12 partner the set came from: its interchange ID, as the xref knows it. */
static const char *
partner(const struct x12 *x)
{
	return x->isa.source + 4;	/* after "x12:" */
}

/* partner_config finds a partner's setting, else the site's: x12.partners.ID.KEY, x12.KEY. */
static const char *
partner_config(const struct x12 *x, const char *key)
{
	char path[160];
	const char *v;

	snprintf(path, sizeof path, "x12.partners.%s.%s", partner(x), key);
	if (strchr(partner(x), '.') == NULL && (v = oms_config_str(x->o, path, NULL)) != NULL)
		return v;
	snprintf(path, sizeof path, "x12.%s", key);
	return oms_config_str(x->o, path, NULL);
}

/* id_rank says where qualifier q stands in the order of preference: 1 first, 0 not used. */
static int
id_rank(const char *order, const char *q)
{
	size_t n, qlen = strlen(q);
	int rank = 1;

	for (;;) {
		order += strspn(order, " ,");
		if ((n = strcspn(order, " ,")) == 0)
			return 0;
		if (n == qlen && strncmp(order, q, n) == 0)
			return rank;
		order += n;
		rank++;
	}
}

/*
 * is_gtin says whether s is a GS1 trade item number (8, 12, 13 or 14
 * digits, the last the GS1 mod-10 check digit of the others).
 */
static int
is_gtin(const char *s)
{
	size_t n = strlen(s);

	if (!is_digits(s) || (n != 8 && n != 12 && n != 13 && n != 14))
		return 0;
	return oms_gs1_check_digit(s, n - 1) == s[n - 1] - '0';
}

/*
 * find_item looks up what a partner's product ID is: in its cross-reference
 * under "QUALIFIER:ID", then under the bare ID, then as one of our SKUs.
 * 1 with sku and *case_qty (the catalog's units per case, 0: none), 0 when
 * it is none of these, -1 on a database error.
 */
static int
find_item(struct x12 *x, const char *q, const char *id, char sku[OMS_SKU_MAX], int64_t *case_qty)
{
	char key[FIELD_MAX + 8];
	struct omsi_stmt *st;
	int rc;

	/* Most partners have none: asked once per interchange, not twice per ID. */
	if (x->isa.xref < 0) {
		if ((st = omsi_stmt(x->o, "SELECT 1 FROM item_aliases WHERE source = ? LIMIT 1", "t",
		    partner(x))) == NULL || (rc = omsi_step(x->o, st)) < 0)
			return -1;
		x->isa.xref = rc == OMSI_ROW;
		omsi_reset(st);
	}
	rc = 0;
	snprintf(key, sizeof key, "%s:%s", q, id);
	if (x->isa.xref && (rc = oms_alias_lookup(x->o, partner(x), key, sku)) == 0)
		rc = oms_alias_lookup(x->o, partner(x), id, sku);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		size_t n = strlen(id);

		if (n >= OMS_SKU_MAX)
			return 0;
		memcpy(sku, id, n + 1);
	}
	if ((st = omsi_stmt(x->o, "SELECT coalesce(units_per_case, 0) FROM items WHERE sku = ?",
	    "t", sku)) == NULL || (rc = omsi_step(x->o, st)) < 0)
		return -1;
	*case_qty = rc == OMSI_ROW ? omsi_col_int64(st, 0) : 0;
	omsi_reset(st);
	/* An xref names a SKU the catalog had when it was written; a bare ID must be one. */
	return rc == OMSI_ROW || strcmp(sku, id) != 0;
}

/*
 * unit_size says how many eaches one unit u is: 1 for the units of one,
 * else the partner's (or the site's) x12 units.U, else for cases the
 * catalog's units per case of the item, else 12 for a dozen; 0 unknown.
 */
static int64_t
unit_size(const struct x12 *x, const char *u, int64_t case_qty)
{
	char key[16];
	const char *v;

	if (one_of(u, each_units))
		return 1;
	snprintf(key, sizeof key, "units.%s", u);
	if ((v = partner_config(x, key)) != NULL)
		return atol(v);
	if ((strcmp(u, "CA") == 0 || strcmp(u, "CS") == 0) && case_qty > 0)
		return case_qty;
	return strcmp(u, "DZ") == 0 ? 12 : 0;
}

/* pairs_joined writes a list of pairs on one line, "VN 4711, UP 0123", cut to len. */
static const char *
pairs_joined(const char *ids, char *out, size_t len)
{
	size_t n = 0;

	for (; *ids != '\0' && n + 3 < len; ids++) {
		if (*ids == '\n') {
			out[n++] = ',';
			out[n++] = ' ';
		} else {
			out[n++] = *ids;
		}
	}
	out[n] = '\0';
	return out;
}

/* pairs_shown is pairs_joined for a message, as show() makes values safe to print. */
static const char *
pairs_shown(const char *ids, char out[64])
{
	char buf[64];

	return show(pairs_joined(ids, buf, sizeof buf), out);
}

/* add_pair appends "Q ID" as a line to *list. */
static int
add_pair(char **list, const char *q, const char *id)
{
	char *more;

	if (asprintf(&more, "%s%s%s %s", *list ? *list : "", *list ? "\n" : "", q, id) < 0) {
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	free(*list);
	*list = more;
	return OMS_OK;
}

/*
 * po1 reads a line item: its product by the partner's IDs, its quantity
 * converted to eaches, its unit price (per unit ordered) per each.
 */
static int
po1(struct x12 *x)
{
	static const char *const per_each[] = { "", "PE", "UM", "CP", "CT", "NT", "FX", "LE", "QE",
		"RE", "TE", "WE", NULL };
	/* The qualifiers of GS1 numbers, whose check digit tells them from a card's. */
	static const char *const gs1_quals[] = { "UP", "UK", "EN", "EA", "UA", NULL };
	struct set *s = &x->set;
	const char *order = partner_config(x, "id_order"), *q, *id;
	int64_t qty, price = 0, per = 0, case_qty = 0, each_qty, found_case = 0;
	int has_price = 0, r, rank, best = 0, found = 0;
	size_t i, klen, first, at = 0, nby = 0;
	struct {
		int rank;
		size_t at;	/* of the qualifier */
	} by[ELEMS_MAX / 2];
	char *line_id = NULL, *ids = NULL, v[64], what[40], unit[5], sku[OMS_SKU_MAX],
	    key[257];
	struct x12_line *xl;
	int rc;

	if (order == NULL)
		order = default_id_order;
	s->detail = 1;
	s->party = P_NONE;
	s->npo1++;
	/* Read as numbers, quantity and price could still carry one into the database. */
	if (oms_pan_has(el(x, 2)))
		return elem_error(x, 2, 6, "quantity (PO102) holds what looks like a card number;"
		    " refused (not stored)");
	if (oms_pan_has(el(x, 4)))
		return elem_error(x, 4, 6, "unit price (PO104) holds what looks like a card number;"
		    " refused (not stored)");
	if (*el(x, 2) == '\0')
		return elem_error(x, 2, 1, "quantity (PO102) missing");
	if (decimal(el(x, 2), 0, &qty) != 0 || qty < 1 || qty > 1000000000)
		return elem_error(x, 2, 6, "quantity \"%s\" (PO102) is not a positive whole number",
		    show(el(x, 2), v));
	if (strlen(el(x, 3)) > 4 || copy_el(x, 3, unit, sizeof unit) != 0)
		snprintf(unit, sizeof unit, "%s", *el(x, 3) == '\0' ? "EA" : "");
	if (unit[0] == '\0')
		return elem_error(x, 3, 7, "unit of measure \"%s\" (PO103) is not a unit code",
		    show(el(x, 3), v));
	if (*el(x, 4) != '\0') {
		r = decimal(el(x, 4), oms_currency_digits(s->doc.currency), &price);
		if (r == -1)
			return elem_error(x, 4, 6, "unit price \"%s\" (PO104) is not a number",
			    show(el(x, 4), v));
		if (r == -2)
			return elem_error(x, 4, 6, "unit price \"%s\" (PO104) is negative",
			    show(el(x, 4), v));
		if (r == -3)
			return elem_error(x, 4, 6, "unit price \"%s\" (PO104) has more decimals than"
			    " %s has (%d); it is not rounded", show(el(x, 4), v), s->doc.currency,
			    oms_currency_digits(s->doc.currency));
		if (r == -4)
			return elem_error(x, 4, 6, "unit price \"%s\" (PO104) is too large",
			    show(el(x, 4), v));
		has_price = 1;
	}
	/*
	 * The ID pairs begin at PO106; but a PO105 that is an ID qualifier,
	 * not a price basis, is a PO1 that left PO105 out, as some partners'
	 * translators do: its pairs begin there.
	 */
	first = 6;
	if (!one_of(el(x, 5), per_each) && id_rank(default_id_order, el(x, 5)) > 0 &&
	    id_rank(default_id_order, el(x, 6)) == 0)
		first = 5;
	else if (!one_of(el(x, 5), per_each))
		return refuse(x, "price basis \"%s\" (PO105) is not supported: only prices per unit"
		    " (PE)", show(el(x, 5), v));
	/*
	 * Each pair, checked as text oms keeps; a GS1 number under a GS1
	 * qualifier is not taken for a card number.
	 */
	for (i = first; i + 1 < x->nel; i += 2) {
		char *val = NULL;

		q = el(x, i);
		if (*q == '\0' || *el(x, i + 1) == '\0')
			continue;	/* an empty pair, as some translators write */
		if (strlen(q) > 2 || !valid_id(q) || strlen(q) < 2) {
			free(ids);
			return elem_error(x, i, 7, "product ID qualifier \"%s\" (PO1%02zu) is not a"
			    " qualifier", show(q, v), i);
		}
		snprintf(what, sizeof what, "product ID (PO1%02zu)", i + 1);
		if ((rc = text(x, i + 1, what, one_of(q, gs1_quals) && is_gtin(el(x, i + 1)) ? T_ID :
		    0, &val)) != OMS_OK) {
			free(ids);
			return rc;
		}
		rc = val != NULL ? add_pair(&ids, q, val) : OMS_OK;
		free(val);
		if (rc != OMS_OK) {
			free(ids);
			return rc;
		}
	}
	if (ids == NULL)
		return elem_error(x, first, 1, "no product ID (PO1%02zu, PO1%02zu)", first, first + 1);
	/*
	 * The pairs by preference (and by place among equals), so that the
	 * first ID that names one of our items is looked up first, and the
	 * lookups stop there.
	 */
	for (i = first; i + 1 < x->nel && nby < sizeof by / sizeof by[0]; i += 2) {
		size_t k;

		if (*(el(x, i + 1) + strspn(el(x, i + 1), " ")) == '\0' ||
		    (rank = id_rank(order, el(x, i))) == 0)
			continue;
		for (k = nby; k > 0 && by[k - 1].rank > rank; k--)
			by[k] = by[k - 1];
		by[k].rank = rank;
		by[k].at = i;
		nby++;
	}
	if (nby > 0) {
		best = by[0].rank;
		at = by[0].at + 1;
	}
	for (i = 0; i < nby && !found; i++) {
		char trimmed[FIELD_MAX + 1];
		const char *val = el(x, by[i].at + 1);
		size_t n;

		val += strspn(val, " ");
		for (n = strlen(val); n > 0 && val[n - 1] == ' '; n--)
			;
		if (n > FIELD_MAX)
			continue;
		memcpy(trimmed, val, n);
		trimmed[n] = '\0';
		if ((r = find_item(x, el(x, by[i].at), trimmed, sku, &found_case)) < 0) {
			free(ids);
			return OMS_ESYS;
		}
		found = r > 0;
	}
	if (best == 0) {
		rc = refuse(x, "no product ID of a qualifier oms uses (%s; used: %s)",
		    pairs_shown(ids, v), order);
		free(ids);
		return rc;
	}
	if (!found) {
		/* Unknown: the preferred ID stands in for the SKU; keep_facts holds the order. */
		snprintf(what, sizeof what, "product ID (PO1%02zu)", at);
		id = el(x, at) + strspn(el(x, at), " ");
		if (strlen(id) >= OMS_SKU_MAX) {
			rc = refuse(x, "%s \"%s\" is not an item oms knows nor in %s's cross-reference,"
			    " and too long for a SKU", what, show(id, v), partner(x));
			free(ids);
			return rc;
		}
		/* No SKU: the line waits for the partner's cross-reference (oms-stock xref). */
		sku[0] = '\0';
		case_qty = 0;
	} else {
		case_qty = found_case;
	}
	/*
	 * The line is keyed by its preferred pair, "QUAL:ID": what an unknown
	 * line waits under, and what makes the order the same when it is sent
	 * again, whatever the cross-reference says by then.
	 */
	id = el(x, at) + strspn(el(x, at), " ");
	for (klen = strlen(id); klen > 0 && id[klen - 1] == ' '; klen--)
		;
	snprintf(key, sizeof key, "%.2s:%.*s", el(x, at - 1), klen > 253 ? 253 : (int)klen, id);
	if ((per = unit_size(x, unit, case_qty)) <= 0) {
		rc = refuse(x, "unit of measure \"%s\" (PO103) is not one oms can convert to eaches:"
		    " set x12.partners.%s.units.%s in oms.yaml%s", unit, partner(x), unit,
		    strcmp(unit, "CA") == 0 || strcmp(unit, "CS") == 0 ?
		    ", or the item's units_per_case in the catalog" : "");
		free(ids);
		return rc;
	}
	each_qty = qty * per;
	if (each_qty > 1000000000) {
		free(ids);
		return refuse(x, "%lld %s of %lld each is more than oms takes on one line",
		    (long long)qty, unit, (long long)per);
	}
	if (has_price && price % per != 0) {
		free(ids);
		return refuse(x, "unit price \"%s\" (PO104) per %s of %lld is not a whole number of"
		    " %s's minor units per each; oms keeps prices per each, exactly",
		    show(el(x, 4), v), unit, (long long)per, s->doc.currency);
	}
	/* The buyer's line number, which the 856 sends back (LIN01). */
	if ((rc = text(x, 1, "line ID (PO101)", T_ID, &line_id)) != OMS_OK) {
		free(ids);
		return rc;
	}
	if ((xl = omsi_grow(s->xl, &s->xlcap, s->nxl, sizeof *xl)) == NULL) {
		free(ids);
		free(line_id);
		return OMS_ESYS;
	}
	s->xl = xl;
	xl = &s->xl[s->nxl];
	memset(xl, 0, sizeof *xl);
	if (oms_doc_add_line(&s->doc, sku, each_qty, has_price, has_price ? price / per : 0) != 0 ||
	    (s->doc.lines[s->doc.nlines - 1].item_key = strdup(key)) == NULL ||
	    (!found && (xl->unknown = strdup(ids)) == NULL)) {
		free(ids);
		free(line_id);
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	s->nxl++;
	memcpy(xl->unit, unit, sizeof xl->unit);
	xl->per_unit = per;
	xl->unit_qty = qty;
	xl->ids = ids;
	s->doc.lines[s->doc.nlines - 1].line = (int)x->seg_line;
	s->doc.lines[s->doc.nlines - 1].external_line_id = line_id;
	return OMS_OK;
}

/* ctt checks the count of line items against the PO1 segments read. */
static int
ctt(struct x12 *x)
{
	char v[64];

	if (!count_is(el(x, 1), x->set.npo1))
		return seg_error(x, 8, 1, 6, "CTT01 says \"%s\" line items, the order has %zu PO1"
		    " segments", show(el(x, 1), v), x->set.npo1);
	return OMS_OK;
}

/* segment_850 reads one segment of a purchase order into its document. */
static int
segment_850(struct x12 *x)
{
	const char *id = el(x, 0);

	if (strcmp(id, "BEG") == 0)
		return beg(x);
	if (strcmp(id, "CUR") == 0)
		return cur(x);
	if (strcmp(id, "PER") == 0)
		return per(x);
	if (strcmp(id, "N1") == 0)
		return n1(x);
	if (strcmp(id, "N2") == 0)
		return n2(x);
	if (strcmp(id, "N3") == 0)
		return n3(x);
	if (strcmp(id, "N4") == 0)
		return n4(x);
	if (strcmp(id, "TD5") == 0)
		return td5(x);
	if (strcmp(id, "ITD") == 0)
		return itd(x);
	if (strcmp(id, "PO1") == 0)
		return po1(x);
	if (strcmp(id, "CTT") == 0)
		return ctt(x);
	/* REF, DTM, PID, SAC, ...: what oms does not keep is passed over. */
	return OMS_OK;
}

/* ---- envelopes ---- */

/* copy_el copies element i into out (len bytes); -1 when it is empty, too long or not printable. */
static int
copy_el(struct x12 *x, size_t i, char *out, size_t len)
{
	const char *v = el(x, i);
	size_t j, n = strlen(v);

	out[0] = '\0';
	if (n == 0 || n >= len)
		return -1;
	for (j = 0; j < n; j++)
		if (v[j] < 0x20 || v[j] > 0x7e)
			return -1;
	memcpy(out, v, n + 1);
	return 0;
}

/* set_free_lines frees what the set kept of its PO1s for the 856. */
static void
set_free_lines(struct set *s)
{
	size_t i;

	for (i = 0; i < s->nxl; i++) {
		free(s->xl[i].ids);
		free(s->xl[i].unknown);
	}
	free(s->xl);
	s->xl = NULL;
	s->nxl = s->xlcap = 0;
}

/* set_begin starts a transaction set at an ST. */
static int
set_begin(struct x12 *x)
{
	struct set *s = &x->set;
	struct oms_doc *d = &s->doc;
	char v[64];

	set_free_lines(s);
	memset(s, 0, sizeof *s);
	s->open = 1;
	s->line = x->seg_line;
	s->nseg = 1;
	/* Echoed in the 997 only when they are what X12 allows there. */
	copy_el(x, 1, s->id, sizeof s->id);
	copy_el(x, 2, s->ctl, sizeof s->ctl);
	d->ship_complete = -1;
	d->line = (int)x->seg_line;
	memcpy(d->currency, "USD", 4);
	if ((d->source = strdup(x->isa.source)) == NULL ||
	    (d->payment_method = strdup("invoice")) == NULL) {
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	if (!x->gs.open || x->gs.skip) {
		s->orphan = 1;
		if (!x->gs.open)
			report(x, "transaction set outside a functional group (no GS before it);"
			    " not imported");
		return OMS_OK;
	}
	x->gs.nsets++;
	if (*el(x, 2) == '\0' || strlen(el(x, 2)) > 9)
		return set_fail(x, 1, 7, "control number \"%s\" (ST02) is not 1 to 9 characters;"
		    " not imported", show(el(x, 2), v));
	if (strcmp(el(x, 1), "850") != 0)
		return set_fail(x, 1, strlen(el(x, 1)) == 3 && is_digits(el(x, 1)) ? 1 : 6,
		    "transaction set %s is not a purchase order (850); not imported",
		    show(el(x, 1), v));
	s->is850 = 1;
	return OMS_OK;
}

/*
 * keep_facts keeps, for the order just imported (or found there), what its
 * 856 must send back: the envelope's IDs, the ship-to's code, and per line
 * the unit, its size and the partner's product IDs.  Written once: an
 * order sent again keeps what it had, and is not held again.
 */
static int
keep_facts(struct x12 *x)
{
	struct set *s = &x->set;
	struct interchange *i = &x->isa;
	char sid[16], rid[16], detail[1100], pairs[1000];
	int64_t id;
	size_t k;

	snprintf(sid, sizeof sid, "%s", i->sid);
	snprintf(rid, sizeof rid, "%s", i->rid);
	for (k = strlen(sid); k > 0 && sid[k - 1] == ' '; k--)
		sid[k - 1] = '\0';
	for (k = strlen(rid); k > 0 && rid[k - 1] == ' '; k--)
		rid[k - 1] = '\0';
	/* The order found by its number in the same statement: one statement per order. */
	if (omsi_exec(x->o, "INSERT OR IGNORE INTO x12_orders (order_id, sender_qual, sender_id,"
	    " receiver_qual, receiver_id, gs_sender, gs_receiver, ship_to_qual, ship_to_code)"
	    " SELECT id, ?, ?, ?, ?, ?, ?, ?, ? FROM orders WHERE source = ? AND external_id = ?",
	    "tttttttt" "tt", i->sq, sid, i->rq, rid, x->gs.sender, x->gs.receiver,
	    s->st_code[0] ? s->st_qual : NULL, s->st_code[0] ? s->st_code : NULL,
	    s->doc.source, s->doc.external_id) != OMS_OK)
		return OMS_ESYS;
	/* Nothing new: kept before (an order sent again), or a dry run's order never there. */
	if (omsi_changes(x->o) == 0)
		return OMS_OK;
	id = omsi_last_id(x->o);	/* order_id is x12_orders' rowid */
	detail[0] = '\0';
	for (k = 0; k < s->nxl && k < s->doc.nlines; k++) {
		size_t used = strlen(detail);

		if (omsi_exec(x->o, "INSERT OR IGNORE INTO x12_lines (line_id, unit, per_unit,"
		    " unit_qty, product_ids) SELECT id, ?, ?, ?, ? FROM order_lines WHERE"
		    " order_id = ? AND line_no = ?", "tiiti" "i", s->xl[k].unit, s->xl[k].per_unit,
		    s->xl[k].unit_qty, s->xl[k].ids, id, (int64_t)(k + 1)) != OMS_OK)
			return OMS_ESYS;
		if (s->xl[k].unknown != NULL)
			snprintf(detail + used, sizeof detail - used, "%sline %zu: %s", used ? "; " : "",
			    k + 1, pairs_joined(s->xl[k].unknown, pairs, sizeof pairs));
	}
	/*
	 * An item neither the catalog nor the partner's cross-reference knows
	 * holds the order (reason sku, as for a cart's unresolved line), till
	 * someone maps it (oms-stock xref) and puts the line right.
	 */
	if (detail[0] != '\0') {
		enum oms_status now, held_from;
		char why[1300];

		/* Only one not yet on its way: an order of before oms kept these may have gone on. */
		if (oms_order_status(x->o, id, &now, &held_from) != OMS_OK)
			return OMS_ESYS;
		if (now != OMS_NEW)
			return OMS_OK;

		snprintf(why, sizeof why, "%s's items not in the catalog nor in its"
		    " cross-reference: %s", partner(x), detail);
		if (oms_order_move(x->o, id, OMS_HOLD, "sku", "hold", why) != OMS_OK)
			return OMS_ESYS;
		oms_warnx("order %lld: on hold (sku): %s", (long long)id, why);
	}
	return OMS_OK;
}

/*
 * set_end ends the set being read: an 850 that checks out is imported, and
 * the 997 says what became of it.  OMS_ESYS stops the run.
 */
static int
set_end(struct x12 *x)
{
	struct set *s = &x->set;
	struct oms_doc *d = &s->doc;
	int rc = OMS_OK;

	s->open = 0;
	if (s->is850 && !s->bad) {
		if (!s->has_beg)
			set_fail(x, 0, 5, "no BEG segment (purchase order number and date);"
			    " not imported");
		else if (s->npo1 == 0)
			set_fail(x, 0, 5, "order %s has no line items (PO1); not imported",
			    d->external_id);
		else if (!s->has_ship)
			set_fail(x, 0, 5, "order %s has no ship-to (N1*ST); not imported",
			    d->external_id);
	}
	if (s->is850 && !s->bad && !s->orphan) {
		if (x->isa.usage == 'T') {
			/* Test data from a partner setting up: checked and acknowledged, not kept. */
			x->tested++;
		} else if ((rc = oms_import_order(x->imp, d, x->name)) == OMS_EINPUT) {
			/*
			 * Reported by the import; the partner must hear it was not
			 * taken, but its X12 was sound: accepted, errors noted.
			 */
			s->bad = s->refused = 1;
			rc = OMS_OK;
		} else if (rc == OMS_OK) {
			rc = keep_facts(x);
		}
	}
	if (rc == OMS_OK) {
		if (s->ncodes == 0 && !s->orphan) {
			x->gs.accepted++;
			if (s->bad)
				x->gs.noted++;
		}
		ack_set(x);
		oms_import_progress(x->imp, x->name, x->seg_line);
	}
	oms_doc_free(d);
	set_free_lines(s);
	return rc;
}

/*
 * close_inner ends what an envelope segment (or the end of the input)
 * interrupts: the open set, and with upto > 1 the open group, and with
 * upto > 2 the open interchange.  Only the innermost missing trailer is
 * reported: the ones around it are missing for the same reason.
 */
static int
close_inner(struct x12 *x, int upto, int at_eof)
{
	static const int trailer_missing[] = { 3 };
	char v[64];
	int reported = 0, rc;

	if (x->set.open) {
		if (at_eof)
			set_fail(x, 0, 2, "no SE (the input ends inside it); not imported");
		else
			set_fail(x, 1, 2, "transaction set %s (line %zu) has no SE; not imported",
			    show(x->set.ctl, v), x->set.line);
		reported = 1;
		if ((rc = set_end(x)) != OMS_OK)
			return rc;
	}
	if (upto < 2)
		return OMS_OK;
	if (x->gs.open) {
		if (!reported && at_eof)
			oms_import_reject(x->imp, x->name, x->gs.line, "group %s has no GE: the input"
			    " ends inside it", show(x->gs.ctl, v));
		else if (!reported)
			report(x, "group %s (line %zu) has no GE", show(x->gs.ctl, v), x->gs.line);
		reported = 1;
		ack_group_end(x, NULL, trailer_missing, 1);
		x->gs.open = 0;
	}
	if (upto < 3)
		return OMS_OK;
	if (x->isa.open) {
		if (!reported && at_eof)
			oms_import_reject(x->imp, x->name, x->isa.line, "interchange %s has no IEA:"
			    " the input ends inside it", x->isa.ctl);
		else if (!reported)
			report(x, "interchange %s (line %zu) has no IEA", x->isa.ctl, x->isa.line);
		ack_isa_end(x);
		x->isa.open = 0;
	}
	return OMS_OK;
}

/* gs opens a functional group. */
static int
gs(struct x12 *x)
{
	struct group *g = &x->gs;
	char v[64];
	int rc;

	if ((rc = close_inner(x, 2, 0)) != OMS_OK)
		return rc;
	memset(g, 0, sizeof *g);
	g->open = 1;
	g->line = x->seg_line;
	x->isa.ngroups++;
	if (copy_el(x, 1, g->fid, sizeof g->fid) || copy_el(x, 2, g->sender, sizeof g->sender) ||
	    copy_el(x, 3, g->receiver, sizeof g->receiver) ||
	    copy_el(x, 6, g->ctl, sizeof g->ctl) || !is_digits(g->ctl) ||
	    copy_el(x, 8, g->version, sizeof g->version)) {
		report(x, "not a usable functional group header (GS01 \"%s\", GS02 and GS03 of 1"
		    " to 15 characters, GS06 of 1 to 9 digits, GS08); its transaction sets are"
		    " not read", show(el(x, 1), v));
		g->skip = 1;
		return OMS_OK;
	}
	/* An acknowledgment is never acknowledged. */
	if (x->ack != NULL && strcmp(g->fid, "FA") != 0)
		ack_group_begin(x);
	return OMS_OK;
}

/* ge closes a functional group, checking its count and control number. */
static int
ge(struct x12 *x)
{
	struct group *g = &x->gs;
	int codes[AK_CODES];
	size_t ncodes = 0;
	char v[64];
	int rc;

	if ((rc = close_inner(x, 1, 0)) != OMS_OK)
		return rc;
	if (!g->open) {
		report(x, "GE without a GS before it");
		return OMS_OK;
	}
	if (!g->skip) {
		if (!count_is(el(x, 1), g->nsets)) {
			report(x, "group %s has %zu transaction sets, GE01 says \"%s\"", g->ctl,
			    g->nsets, show(el(x, 1), v));
			add_code(codes, &ncodes, 5);
		}
		if (!same_number(el(x, 2), g->ctl)) {
			report(x, "GE02 \"%s\" does not match GS06 \"%s\"", show(el(x, 2), v),
			    g->ctl);
			add_code(codes, &ncodes, 4);
		}
		ack_group_end(x, is_digits(el(x, 1)) && strlen(el(x, 1)) <= 6 ? el(x, 1) : NULL,
		    codes, ncodes);
	}
	g->open = 0;
	return OMS_OK;
}

/* iea closes an interchange, checking its count and control number. */
static int
iea(struct x12 *x)
{
	char v[64];
	int rc;

	if ((rc = close_inner(x, 2, 0)) != OMS_OK)
		return rc;
	if (!count_is(el(x, 1), x->isa.ngroups))
		report(x, "interchange %s has %zu functional groups, IEA01 says \"%s\"",
		    x->isa.ctl, x->isa.ngroups, show(el(x, 1), v));
	if (!same_number(el(x, 2), x->isa.ctl))
		report(x, "IEA02 \"%s\" does not match ISA13 \"%s\"", show(el(x, 2), v),
		    x->isa.ctl);
	ack_isa_end(x);
	x->isa.open = 0;
	return OMS_OK;
}

/*
 * isa_chars counts the characters of n bytes of an ISA element as
 * read_segment does: the continuation bytes of a UTF-8 character do not
 * count, any other byte does.
 */
static size_t
isa_chars(const char *b, size_t n)
{
	size_t i, count = 0;
	int pending = 0, c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)b[i];
		if (pending > 0 && c >= 0x80 && c <= 0xbf) {
			pending--;
			continue;
		}
		pending = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 :
		    c >= 0xf0 && c <= 0xf4 ? 3 : 0;
		count++;
	}
	return count;
}

/*
 * isa_check says what is wrong with the ISA segment just read (len bytes
 * of x->seg), into msg; 0 when nothing is.
 */
static int
isa_check(struct x12 *x, size_t len, char *msg, size_t msglen)
{
	static const int width[16] = { 2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1 };
	const char *b = x->seg;
	int es = (unsigned char)b[3], cs, st;
	size_t i, j, at, n, seps, end, whole = len;
	char c1[8], c2[8], c3[8];

	/* Cut short by the end of the input: the line end after it is not part of it. */
	while (len < ISA_LEN && whole > 0 && (b[whole - 1] == '\n' || b[whole - 1] == '\r'))
		whole--;
	if (len < 4) {
		snprintf(msg, msglen, "ISA segment is %zu bytes, expected %d", whole, ISA_LEN);
		return -1;
	}
	/*
	 * Where the separators really are, to say which element is off and by
	 * how much: widths are in characters, a UTF-8 one counting once.
	 */
	for (at = 4, i = 0; i < 16; i++) {
		size_t nc;

		for (n = 0; at + n < len && (unsigned char)b[at + n] != es; n++)
			if (i == 15 && n == 1)
				break;
		nc = isa_chars(b + at, n);
		if ((int)nc != width[i] || (i < 15 && at + n >= len)) {
			for (seps = 0, end = 4; end < len && seps < 15; end++)
				if ((unsigned char)b[end] == es)
					seps++;
			if (seps == 15 && end + 2 <= len && end + 2 != ISA_LEN)
				snprintf(msg, msglen, "ISA segment is %zu bytes, expected %d (ISA%02zu"
				    " is %zu characters, expected %d)", end + 2, ISA_LEN, i + 1, nc,
				    width[i]);
			else if (len < ISA_LEN)
				snprintf(msg, msglen, "ISA segment is %zu bytes, expected %d", whole,
				    ISA_LEN);
			else
				snprintf(msg, msglen, "ISA%02zu is %s%zu characters, expected %d (the"
				    " ISA segment is 106 characters)", i + 1, at + n >= len ? "more than " :
				    "", nc, width[i]);
			return -1;
		}
		for (j = at; j < at + n; j++)
			if (b[j] < 0x20 || b[j] > 0x7e) {
				char v[64], raw[64];

				snprintf(raw, sizeof raw, "%.*s", (int)(n < 63 ? n : 63), b + at);
				snprintf(msg, msglen, "ISA%02zu \"%s\" holds a %s that is not printable"
				    " ASCII, which ISA elements are", i + 1, show(raw, v),
				    omsi_utf8_valid(b + at, n) && (unsigned char)b[j] >= 0x80 ?
				    "character" : "byte");
				return -1;
			}
		at += n + 1;
	}
	cs = (unsigned char)b[104];
	st = (unsigned char)b[105];
	/* The delimiters must be told apart from data and from each other. */
	if (es == cs || es == st || cs == st || strchr(" 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz", es) || strchr(" 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz", cs) || (st != '\n' && st != '\r' &&
	    (st < 0x21 || st > 0x7e || strchr("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz", st))) || es < 0x21 || es > 0x7e) {
		snprintf(msg, msglen, "ISA: element separator \"%s\", component separator \"%s\""
		    " (ISA16) and segment terminator \"%s\" must be three different characters,"
		    " none a letter, digit or blank", show_char(es, c1), show_char(cs, c2),
		    show_char(st, c3));
		return -1;
	}
	for (i = 35; i < 50 && b[i] == ' '; i++)
		;
	if (i == 50) {
		snprintf(msg, msglen, "ISA06 (the sender ID) is blank");
		return -1;
	}
	for (i = 90; i < 99; i++)
		if (b[i] < '0' || b[i] > '9') {
			snprintf(msg, msglen, "ISA13 (the control number) \"%.9s\" is not 9 digits",
			    b + 90);
			return -1;
		}
	if (b[102] != 'P' && b[102] != 'T') {
		snprintf(msg, msglen, "ISA15 \"%c\" is neither P (production data) nor T (test"
		    " data)", b[102]);
		return -1;
	}
	return 0;
}

/*
 * isa opens an interchange from the ISA segment read_segment took raw;
 * takes its delimiters.  -1: the ISA is unusable (reported), so is the rest
 * of the input, whose delimiters it would have given.
 */
static int
isa(struct x12 *x, int first)
{
	struct interchange *i = &x->isa;
	char msg[512];
	size_t len = x->len, k;
	int c;

	if (isa_check(x, len, msg, sizeof msg) != 0) {
		/* The message says which element, so it names the segment only when it must. */
		if (x->seg_alone)
			oms_import_reject(x->imp, x->name, x->seg_line, "%s; %s", msg, first ?
			    "the file is not read" : "the rest of the file is not read");
		else
			oms_import_reject(x->imp, x->name, x->seg_line, "segment %zu: %s; the rest"
			    " of the file is not read", x->seg_no, msg);
		return -1;
	}
	x->es = (unsigned char)x->seg[3];
	x->cs = (unsigned char)x->seg[104];
	x->st = (unsigned char)x->seg[105];
	memset(i, 0, sizeof *i);
	i->open = 1;
	i->line = x->seg_line;
	memcpy(i->sq, x->seg + 32, 2);
	memcpy(i->sid, x->seg + 35, 15);
	memcpy(i->rq, x->seg + 51, 2);
	memcpy(i->rid, x->seg + 54, 15);
	i->rep[0] = x->seg[82];
	memcpy(i->version, x->seg + 84, 5);
	memcpy(i->ctl, x->seg + 90, 9);
	i->usage = x->seg[102];
	i->xref = -1;
	for (k = 15; k > 0 && i->sid[k - 1] == ' '; k--)
		;
	snprintf(i->source, sizeof i->source, "x12:%.*s", (int)k, i->sid);
	/* The 997 puts after each segment what the input put after its ISA. */
	x->nl[0] = '\0';
	if (x->st != '\n') {
		if ((c = getc(x->f)) == '\r') {
			if ((c = getc(x->f)) == '\n') {
				strcpy(x->nl, x->st == '\r' ? "\n" : "\r\n");
				x->line++;
				x->line_used = 0;
			} else if (c != EOF) {
				ungetc(c, x->f);
			}
		} else if (c == '\n') {
			strcpy(x->nl, "\n");
			x->line++;
			x->line_used = 0;
		} else if (c != EOF) {
			ungetc(c, x->f);
		}
	}
	return 0;
}

/* newline counts a newline read. */
static void
newline(struct x12 *x)
{
	x->line++;
	x->line_used = 0;
}

/*
 * read_segment reads the next segment into x->seg and splits it into
 * elements.  An ISA is read raw, 106 bytes, since it is what says where
 * segments end.  Newlines inside a segment that a newline does not end are
 * dropped (files wrapped at 80 columns).  A segment over SEG_MAX is read
 * past, its start kept and x->toolong set.
 */
static int
read_segment(struct x12 *x)
{
	char *p, *q;
	int c;

	x->len = x->nel = 0;
	x->toolong = x->too_many = x->nul = 0;
	/* Line ends after a terminator, blank lines and indentation are not data. */
	do {
		if ((c = getc(x->f)) == '\n')
			newline(x);
	} while (c == '\n' || c == '\r' || c == ' ' || c == '\t');
	if (c == EOF)
		return ferror(x->f) ? SEG_ERROR : SEG_EOF;
	x->seg_line = x->line;
	x->seg_no = ++x->nseg;
	x->seg_alone = !x->line_used;
	x->line_used = 1;
	for (; c != EOF; c = getc(x->f)) {
		if (c == x->st) {
			if (c == '\n')
				newline(x);
			break;
		}
		if (c == '\n' || c == '\r') {
			if (c == '\n')
				newline(x);
			if (!(c == '\r' && x->st == '\n'))
				continue;
		}
		if (c == '\0')
			x->nul = 1;
		if (x->len < SEG_MAX)
			x->seg[x->len++] = (char)c;
		else
			x->toolong = 1;
		if (x->len == 3 && !x->toolong) {
			if (memcmp(x->seg, "ISA", 3) == 0)
				break;
			if (x->es < 0)
				return SEG_NOT_ISA;
		}
	}
	if (x->len == 3 && memcmp(x->seg, "ISA", 3) == 0 && c != x->st) {
		/*
		 * The rest of the ISA, fixed length in characters, whatever it
		 * holds: a UTF-8 character takes its bytes, so that a field padded
		 * right by characters is read whole and named (isa_check), and
		 * the terminator is found where it is.  A line end before its
		 * last character is a file wrapped at 80 columns.
		 */
		size_t nchars = x->len;
		int pending = 0;

		while (nchars < ISA_LEN && x->len < SEG_MAX && (c = getc(x->f)) != EOF) {
			if (c == '\n')
				newline(x);
			if ((c == '\n' || c == '\r') && nchars < ISA_LEN - 1)
				continue;
			x->seg[x->len++] = (char)c;
			if (pending > 0 && c >= 0x80 && c <= 0xbf) {
				pending--;
				continue;
			}
			pending = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 :
			    c >= 0xf0 && c <= 0xf4 ? 3 : 0;
			nchars++;
		}
		x->seg[x->len] = '\0';
		if (c == EOF && ferror(x->f))
			return SEG_ERROR;
		x->el[0] = "ISA";
		x->nel = 1;
		return SEG_ISA;
	}
	if (c == EOF && ferror(x->f))
		return SEG_ERROR;
	if (x->es < 0)
		return SEG_NOT_ISA;
	if (x->st == '\n' && x->len > 0 && x->seg[x->len - 1] == '\r')
		x->len--;
	x->seg[x->len] = '\0';
	for (p = x->seg; ; p = q + 1) {
		if (x->nel == ELEMS_MAX) {
			x->too_many = 1;
			break;
		}
		x->el[x->nel++] = p;
		if ((q = strchr(p, x->es)) == NULL)
			break;
		*q = '\0';
	}
	return SEG_DATA;
}

/*
 * segment handles one segment that is not an ISA: an envelope segment, or
 * one of the transaction set being read.
 */
static int
segment(struct x12 *x)
{
	const char *id = el(x, 0);
	struct set *s = &x->set;
	char v[64];

	if (strcmp(id, "IEA") == 0 || strcmp(id, "GS") == 0 || strcmp(id, "GE") == 0 ||
	    strcmp(id, "ST") == 0 || strcmp(id, "SE") == 0) {
		x->stray = 0;
		if (!x->isa.open) {
			report(x, "not inside an interchange (no ISA before it)");
			x->stray = 1;
			return OMS_OK;
		}
		if (x->toolong || x->nul) {
			report(x, "envelope segment %s", x->toolong ? "longer than 64 KiB" :
			    "holding a NUL byte");
			return OMS_OK;
		}
	}
	if (strcmp(id, "IEA") == 0)
		return iea(x);
	if (strcmp(id, "GS") == 0)
		return gs(x);
	if (strcmp(id, "GE") == 0)
		return ge(x);
	if (strcmp(id, "ST") == 0) {
		int rc = close_inner(x, 1, 0);

		return rc != OMS_OK ? rc : set_begin(x);
	}
	if (strcmp(id, "SE") == 0) {
		if (!s->open) {
			report(x, "SE without an ST before it");
			return OMS_OK;
		}
		s->nseg++;
		if (!count_is(el(x, 1), s->nseg))
			set_fail(x, 1, 4, "transaction set %s has %zu segments, SE01 says \"%s\"; not"
			    " imported", s->ctl, s->nseg, show(el(x, 1), v));
		if (strcmp(el(x, 2), s->ctl) != 0)
			set_fail(x, 1, 3, "SE02 \"%s\" does not match ST02 \"%s\"; not imported",
			    show(el(x, 2), v), s->ctl);
		return set_end(x);
	}
	if (!s->open) {
		if (!x->stray)
			report(x, "%s", x->isa.open ? "not inside a transaction set (no ST before it)" :
			    "not inside an interchange (no ISA before it)");
		x->stray = 1;
		return OMS_OK;
	}
	if (++s->nseg > SET_SEGS_MAX)
		return set_fail(x, 1, 5, "transaction set %s has more than %d segments; not"
		    " imported", s->ctl, SET_SEGS_MAX);
	if (s->bad || s->orphan || !s->is850)
		return OMS_OK;
	if (x->toolong)
		return seg_error(x, 8, 0, 0, "the segment is longer than 64 KiB");
	if (x->nul)
		return seg_error(x, 8, 0, 0, "the segment holds a NUL byte");
	if (!valid_id(id))
		return seg_error(x, 1, 0, 0, "\"%s\" is not a segment ID (wrong delimiters?)",
		    show(id, v));
	if (x->too_many)
		return seg_error(x, 8, 0, 0, "the segment has more than %d elements",
		    ELEMS_MAX - 1);
	return segment_850(x);
}

/*
 * skip_bom passes over a UTF-8 byte order mark that a Windows editor may
 * have put first; -1 when the input starts with part of one, which no
 * interchange does.
 */
static int
skip_bom(struct x12 *x)
{
	int c = getc(x->f);

	if (c != 0xef) {
		if (c != EOF)
			ungetc(c, x->f);
		return 0;
	}
	return getc(x->f) == 0xbb && getc(x->f) == 0xbf ? 0 : -1;
}

int
oms_import_x12(struct oms_import *imp, struct oms *o, FILE *f, const char *name, FILE *ack)
{
	struct x12 *x;
	struct tm tm;
	time_t now = time(NULL);
	int r, rc = OMS_OK, first = 1;

	if ((x = omsi_calloc(1, sizeof *x)) == NULL)
		return OMS_ESYS;
	x->imp = imp;
	x->o = o;
	x->f = f;
	x->ack = ack;
	x->name = name;
	x->line = 1;
	x->es = x->cs = x->st = -1;
	gmtime_r(&now, &tm);
	strftime(x->date6, sizeof x->date6, "%y%m%d", &tm);
	strftime(x->date8, sizeof x->date8, "%Y%m%d", &tm);
	strftime(x->time4, sizeof x->time4, "%H%M", &tm);
	if (skip_bom(x) != 0) {
		oms_import_reject(imp, name, 1, "not an X12 interchange: it does not begin with an"
		    " ISA segment");
		free(x);
		return OMS_EINPUT;
	}
	while (rc == OMS_OK) {
		r = read_segment(x);
		if (r == SEG_EOF)
			break;
		if (r == SEG_ERROR) {
			oms_import_reject(imp, name, x->line, "%s", strerror(errno ? errno : EIO));
			if (first)
				rc = OMS_EINPUT;
			break;
		}
		if (r == SEG_NOT_ISA) {
			oms_import_reject(imp, name, x->seg_line, "not an X12 interchange: it does"
			    " not begin with an ISA segment");
			rc = OMS_EINPUT;
			break;
		}
		if (r == SEG_ISA) {
			if ((rc = close_inner(x, 3, 0)) != OMS_OK)
				break;
			if (isa(x, first) != 0) {
				if (first)
					rc = OMS_EINPUT;
				break;
			}
			first = 0;
			x->stray = 0;
			continue;
		}
		/* A rejected set is reported and acknowledged; the input goes on. */
		if ((rc = segment(x)) == OMS_EINPUT)
			rc = OMS_OK;
	}
	if (first && rc == OMS_OK)
		oms_import_reject(imp, name, 0, "not an X12 interchange: it is empty");
	if (rc != OMS_ESYS && !first && (r = close_inner(x, 3, 1)) != OMS_OK)
		rc = r;
	if (rc != OMS_ESYS && x->tested > 0)
		oms_warnx("%s: %zu orders of test interchanges (ISA15 is T) checked, not imported",
		    name, x->tested);
	oms_doc_free(&x->set.doc);
	set_free_lines(&x->set);
	/* The error itself is the stream's to report: oms-import's --ack names the file. */
	if (ack != NULL && rc != OMS_ESYS && (fflush(ack) != 0 || ferror(ack)))
		rc = OMS_ESYS;
	free(x);
	if (first && rc == OMS_OK)
		return OMS_EINPUT;
	return rc;
}
