/* pdf.c: PDF pages over cairo, and Code 128 barcodes for the pack bench's scanners. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>

#include <oms/pdf.h>
#include <oms/diag.h>

#include "internal.h"

#define FONT	"DejaVu Sans Mono"

/*
 * cairo is loaded when a tool first draws a PDF, not linked: with fontconfig,
 * freetype and pixman it is twenty libraries to load at every start of
 * oms-pick, most of whose runs print text.
 */
#define LIBCAIRO "libcairo.so.2"

struct cairo_api {
	cairo_t *(*create)(cairo_surface_t *);
	void (*destroy)(cairo_t *);
	void (*fill)(cairo_t *);
	void (*line_to)(cairo_t *, double, double);
	void (*move_to)(cairo_t *, double, double);
	void (*new_path)(cairo_t *);
	cairo_surface_t *(*pdf_surface_create_for_stream)(cairo_write_func_t, void *, double,
	    double);
	void (*pdf_surface_set_metadata)(cairo_surface_t *, cairo_pdf_metadata_t, const char *);
	void (*rectangle)(cairo_t *, double, double, double, double);
	void (*select_font_face)(cairo_t *, const char *, cairo_font_slant_t,
	    cairo_font_weight_t);
	void (*set_font_size)(cairo_t *, double);
	void (*set_line_width)(cairo_t *, double);
	void (*show_page)(cairo_t *);
	void (*show_text)(cairo_t *, const char *);
	cairo_status_t (*status)(cairo_t *);
	const char *(*status_to_string)(cairo_status_t);
	void (*stroke)(cairo_t *);
	void (*surface_destroy)(cairo_surface_t *);
	void (*surface_finish)(cairo_surface_t *);
	cairo_status_t (*surface_status)(cairo_surface_t *);
	void (*text_extents)(cairo_t *, const char *, cairo_text_extents_t *);
};

/* cairo_load fills c from cairo; -1 with err when it cannot be loaded. */
static int
cairo_load(struct cairo_api *c, char *err, size_t errlen)
{
	static const char *const names[] = {
		"cairo_create", "cairo_destroy", "cairo_fill", "cairo_line_to", "cairo_move_to",
		"cairo_new_path", "cairo_pdf_surface_create_for_stream",
		"cairo_pdf_surface_set_metadata", "cairo_rectangle", "cairo_select_font_face",
		"cairo_set_font_size", "cairo_set_line_width", "cairo_show_page", "cairo_show_text",
		"cairo_status", "cairo_status_to_string", "cairo_stroke", "cairo_surface_destroy",
		"cairo_surface_finish", "cairo_surface_status", "cairo_text_extents",
	};
	void *const fns[] = {
		&c->create, &c->destroy, &c->fill, &c->line_to, &c->move_to, &c->new_path,
		&c->pdf_surface_create_for_stream, &c->pdf_surface_set_metadata, &c->rectangle,
		&c->select_font_face, &c->set_font_size, &c->set_line_width, &c->show_page,
		&c->show_text, &c->status, &c->status_to_string, &c->stroke, &c->surface_destroy,
		&c->surface_finish, &c->surface_status, &c->text_extents,
	};

	return omsi_dl_load(LIBCAIRO, "libcairo2", names, fns, sizeof names / sizeof names[0],
	    err, errlen);
}

struct oms_pdf {
	struct cairo_api c;
	char *path;		/* for messages */
	FILE *fp;		/* the caller's */
	int werrno;		/* errno of a failed write: the document has failed */
	cairo_surface_t *surface;
	cairo_t *cr;
	int started;		/* a page has been drawn on or asked for */
	int failed;		/* reported; every later call fails */
};

/*
 * Code 128 symbols 0..106 as module widths, bar first: bar, space, bar,
 * space, bar, space (11 modules); the stop adds its closing 2-module bar
 * (13).  The value is the index; set B's character c is value c - 32 and
 * set C's pair "dd" is value dd.
 */
static const char *const c128[107] = {
	"212222", "222122", "222221", "121223", "121322",	/*   0 */
	"131222", "122213", "122312", "132212", "221213",	/*   5 */
	"221312", "231212", "112232", "122132", "122231",	/*  10 */
	"113222", "123122", "123221", "223211", "221132",	/*  15 */
	"221231", "213212", "223112", "312131", "311222",	/*  20 */
	"321122", "321221", "312212", "322112", "322211",	/*  25 */
	"212123", "212321", "232121", "111323", "131123",	/*  30 */
	"131321", "112313", "132113", "132311", "211313",	/*  35 */
	"231113", "231311", "112133", "112331", "132131",	/*  40 */
	"113123", "113321", "133121", "313121", "211331",	/*  45 */
	"231131", "213113", "213311", "213131", "311123",	/*  50 */
	"311321", "331121", "312113", "312311", "332111",	/*  55 */
	"314111", "221411", "431111", "111224", "111422",	/*  60 */
	"121124", "121421", "141122", "141221", "112214",	/*  65 */
	"112412", "122114", "122411", "142112", "142211",	/*  70 */
	"241211", "221114", "413111", "241112", "134111",	/*  75 */
	"111242", "121142", "121241", "114212", "124112",	/*  80 */
	"124211", "411212", "421112", "421211", "212141",	/*  85 */
	"214121", "412121", "111143", "111341", "131141",	/*  90 */
	"114113", "114311", "411113", "411311", "113141",	/*  95 */
	"114131", "311141", "411131", "211412", "211214",	/* 100 */
	"211232", "2331112"					/* 105 */
};

enum {
	C128_CODE_C = 99,	/* in set B: switch to set C */
	C128_CODE_B = 100,	/* in set C: switch to set B */
	C128_START_B = 104,
	C128_START_C = 105,
	C128_STOP = 106,
	C128_QUIET = 10		/* modules of blank either side, the minimum the spec asks */
};

/* Appends a symbol value, counting past the end so the caller learns the size needed. */
static void
put(int *values, size_t cap, size_t *n, int v)
{
	if (*n < cap)
		values[*n] = v;
	(*n)++;
}

/* How many digits start s. */
static size_t
digit_run(const char *s)
{
	size_t n = 0;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

int
oms_code128_encode(const char *data, int *values, size_t *n)
{
	size_t cap = *n, len, i, k, run, pairs, odd, cost_c;
	int sum;

	len = strlen(data);
	if (len == 0 || len > OMS_CODE128_MAXDATA) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < len; i++)
		if (data[i] < 32 || data[i] > 126) {
			errno = EINVAL;
			return -1;
		}

	/*
	 * Set C carries two digits a symbol but costs a symbol to switch into
	 * and one to switch out of; use it only where that comes out strictly
	 * shorter, so a symbol never grows past one symbol a character.  An
	 * odd digit goes in set B: after the run when set C starts the
	 * symbol, before it otherwise.
	 */
	*n = 0;
	i = 0;
	run = digit_run(data);
	pairs = run / 2;
	odd = run % 2;
	cost_c = pairs + (odd || run < len) + odd;
	if (run >= 2 && cost_c < run) {
		put(values, cap, n, C128_START_C);
		for (k = 0; k < pairs; k++, i += 2)
			put(values, cap, n, (data[i] - '0') * 10 + data[i + 1] - '0');
		if (i < len)
			put(values, cap, n, C128_CODE_B);
	} else
		put(values, cap, n, C128_START_B);
	while (i < len) {
		run = digit_run(data + i);
		pairs = run / 2;
		odd = run % 2;
		cost_c = odd + 1 + pairs + (i + run < len);
		if (run < 2 || cost_c >= run) {
			put(values, cap, n, data[i++] - 32);
			continue;
		}
		if (odd)
			put(values, cap, n, data[i++] - 32);
		put(values, cap, n, C128_CODE_C);
		for (k = 0; k < pairs; k++, i += 2)
			put(values, cap, n, (data[i] - '0') * 10 + data[i + 1] - '0');
		if (i < len)
			put(values, cap, n, C128_CODE_B);
	}

	if (*n + 2 > cap) {
		*n += 2;
		errno = ENOSPC;
		return -1;
	}
	/* The start counts once, each later symbol times its position. */
	sum = values[0];
	for (k = 1; k < *n; k++)
		sum += (int)k * values[k];
	put(values, cap, n, sum % 103);
	put(values, cap, n, C128_STOP);
	return 0;
}

/* Modules in an encoding: 11 a symbol, 13 for the stop, and the quiet zones. */
static size_t
c128_modules(size_t nsyms)
{
	return 2 * C128_QUIET + 11 * (nsyms - 1) + 13;
}

double
oms_pdf_code128_width(double module, const char *data)
{
	int v[OMS_CODE128_MAXSYMS];
	size_t n = sizeof v / sizeof v[0];

	if (oms_code128_encode(data, v, &n) == -1)
		return -1;
	return module * (double)c128_modules(n);
}

/*
 * Reports the first cairo failure, naming the file, and makes it stick:
 * cairo's own errors stick to the context already, ours (bad arguments)
 * do not, and a half-drawn document is no use either way.  A write error
 * is the stream's to report (an oms_outfile says it as it happens): it
 * only fails the document here.
 */
static int
check(struct oms_pdf *p)
{
	cairo_status_t st;

	if (p->failed)
		return -1;
	st = p->c.status(p->cr);
	if (st == CAIRO_STATUS_SUCCESS)
		st = p->c.surface_status(p->surface);
	if (st == CAIRO_STATUS_SUCCESS && p->werrno == 0)
		return 0;
	if (p->werrno == 0)
		oms_warnx("%s: %s", p->path, p->c.status_to_string(st));
	p->failed = 1;
	return -1;
}

/* Fails the document with a message of our own, for arguments cairo would choke on. */
static int
fail(struct oms_pdf *p, const char *what)
{
	if (!p->failed)
		oms_warnx("%s: %s", p->path, what);
	p->failed = 1;
	return -1;
}

/*
 * cairo's output callback: the bytes to the caller's stream.  cairo 1.16
 * loses some write errors it is told of (the file is then silently
 * short), so the first one is kept here and checked too.
 */
static cairo_status_t
write_out(void *closure, const unsigned char *data, unsigned int len)
{
	struct oms_pdf *p = closure;

	if (p->werrno != 0)
		return CAIRO_STATUS_WRITE_ERROR;
	if (fwrite(data, 1, len, p->fp) != len) {
		p->werrno = errno != 0 ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

struct oms_pdf *
oms_pdf_open(FILE *fp, const char *path, char *err, size_t errlen)
{
	struct oms_pdf *p;
	cairo_status_t st;

	if ((p = calloc(1, sizeof *p)) == NULL || (p->path = strdup(path)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(p);
		return NULL;
	}
	/*
	 * The caller's stream rather than a file of cairo's: the caller puts
	 * the file in place only once it is whole, and errno survives.
	 */
	p->fp = fp;
	if (cairo_load(&p->c, err, errlen) != 0)
		goto fail;
	p->surface = p->c.pdf_surface_create_for_stream(write_out, p, OMS_PDF_WIDTH,
	    OMS_PDF_HEIGHT);
	if ((st = p->c.surface_status(p->surface)) != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "%s: %s", path, p->c.status_to_string(st));
		goto fail;
	}
	p->c.pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR,
	    "oms " OMS_VERSION);
	p->cr = p->c.create(p->surface);
	if ((st = p->c.status(p->cr)) != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "%s: %s", path, p->c.status_to_string(st));
		goto fail;
	}
	return p;
fail:
	if (p->cr != NULL)
		p->c.destroy(p->cr);
	if (p->surface != NULL)
		p->c.surface_destroy(p->surface);
	free(p->path);
	free(p);
	return NULL;
}

int
oms_pdf_page(struct oms_pdf *p)
{
	if (check(p) == -1)
		return -1;
	/* cairo's surface always has a page open: the first call just claims it. */
	if (p->started)
		p->c.show_page(p->cr);
	p->started = 1;
	return check(p);
}

/* Whether every argument is a finite number: cairo turns a NaN into a dead context. */
static int
finite4(double a, double b, double c, double d)
{
	return isfinite(a) && isfinite(b) && isfinite(c) && isfinite(d);
}

/* Sets the monospace face in the wanted weight and size. */
static void
set_font(struct oms_pdf *p, double size, int bold)
{
	p->c.select_font_face(p->cr, FONT, CAIRO_FONT_SLANT_NORMAL,
	    bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	p->c.set_font_size(p->cr, size);
}

/*
 * Returns utf8 if it is valid, else a copy in *copy with '?' for every byte
 * past ASCII: cairo fails the whole context on invalid UTF-8, and one bad
 * customer name must not cost the pick list.  NULL when out of memory.
 */
static const char *
printable(const char *utf8, char **copy)
{
	size_t i, len = strlen(utf8);

	*copy = NULL;
	if (omsi_utf8_valid(utf8, len))
		return utf8;
	if ((*copy = strdup(utf8)) == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		if ((unsigned char)(*copy)[i] >= 0x80)
			(*copy)[i] = '?';
	return *copy;
}

int
oms_pdf_text(struct oms_pdf *p, double x, double y, double size, int bold, const char *utf8)
{
	const char *s;
	char *copy;

	if (check(p) == -1)
		return -1;
	if (!finite4(x, y, size, 0) || size <= 0)
		return fail(p, "text at a position or size that is not a number");
	if ((s = printable(utf8, &copy)) == NULL)
		return fail(p, strerror(errno));
	p->started = 1;
	set_font(p, size, bold);
	p->c.move_to(p->cr, x, y);
	p->c.show_text(p->cr, s);
	p->c.new_path(p->cr);
	free(copy);
	return check(p);
}

double
oms_pdf_text_width(struct oms_pdf *p, double size, int bold, const char *utf8)
{
	cairo_text_extents_t ext;
	const char *s;
	char *copy;

	if (check(p) == -1)
		return -1;
	if (!finite4(size, 0, 0, 0) || size <= 0)
		return fail(p, "text size that is not a positive number");
	if ((s = printable(utf8, &copy)) == NULL)
		return fail(p, strerror(errno));
	set_font(p, size, bold);
	p->c.text_extents(p->cr, s, &ext);
	free(copy);
	if (check(p) == -1)
		return -1;
	return ext.x_advance;
}

int
oms_pdf_rule(struct oms_pdf *p, double x1, double y1, double x2, double y2)
{
	if (check(p) == -1)
		return -1;
	if (!finite4(x1, y1, x2, y2))
		return fail(p, "rule at a position that is not a number");
	p->started = 1;
	p->c.set_line_width(p->cr, 0.5);
	p->c.move_to(p->cr, x1, y1);
	p->c.line_to(p->cr, x2, y2);
	p->c.stroke(p->cr);
	return check(p);
}

int
oms_pdf_code128(struct oms_pdf *p, double x, double y, double height, double module,
    const char *data)
{
	int v[OMS_CODE128_MAXSYMS];
	size_t n = sizeof v / sizeof v[0], i, len, bad;
	const char *w;
	double bx;
	int bar;

	if (check(p) == -1)
		return -1;
	if (!finite4(x, y, height, module) || height <= 0 || module <= 0)
		return fail(p, "barcode at a position or size that is not a positive number");
	/* Bad data is the caller's to handle (an odd ID), not a broken document. */
	if (oms_code128_encode(data, v, &n) == -1) {
		len = strlen(data);
		bad = 0;
		while (bad < len && data[bad] >= 32 && data[bad] <= 126)
			bad++;
		if (bad < len)
			oms_warnx("%s: barcode \"%.*s\": character %zu (0x%02x) is not printable"
			    " ASCII", p->path, (int)bad, data, bad + 1, (unsigned char)data[bad]);
		else
			oms_warnx("%s: barcode data must be 1 to %d characters, not %zu", p->path,
			    OMS_CODE128_MAXDATA, len);
		return -1;
	}
	p->started = 1;
	bx = x + C128_QUIET * module;
	for (i = 0; i < n; i++) {
		bar = 1;
		for (w = c128[v[i]]; *w != '\0'; w++) {
			if (bar)
				p->c.rectangle(p->cr, bx, y, (*w - '0') * module, height);
			bx += (*w - '0') * module;
			bar = !bar;
		}
	}
	p->c.fill(p->cr);
	return check(p);
}

int
oms_pdf_close(struct oms_pdf *p)
{
	int rc;

	if (p == NULL)
		return 0;
	rc = check(p);
	p->c.destroy(p->cr);
	/* Finishing writes the last page and the trailer: its errors show only here. */
	p->c.surface_finish(p->surface);
	if (rc == 0 && p->werrno != 0)
		rc = -1;
	if (rc == 0 && p->c.surface_status(p->surface) != CAIRO_STATUS_SUCCESS) {
		oms_warnx("%s: %s", p->path,
		    p->c.status_to_string(p->c.surface_status(p->surface)));
		rc = -1;
	}
	p->c.surface_destroy(p->surface);
	/* Flushed here, so that a full disk is this document's failure. */
	if ((fflush(p->fp) == EOF || ferror(p->fp)) && rc == 0)
		rc = -1;
	free(p->path);
	free(p);
	return rc;
}
