/* pdf.h: printable pages (pick lists, packing slips) as PDF, with Code 128 barcodes. */
#ifndef OMS_PDF_H
#define OMS_PDF_H

#include <stddef.h>
#include <stdio.h>

/*
 * A PDF being written.  Pages are US Letter (612 x 792 points), origin at
 * the top left, y downwards.  Every drawing call returns 0, or -1 once
 * cairo has failed (reported with warnx naming the file, once) or a write
 * to the stream has (the stream's owner reports that: an oms_outfile does
 * as it happens); after a failure every later call fails too and
 * oms_pdf_close still frees.
 */
struct oms_pdf;

#define OMS_PDF_WIDTH	612.0
#define OMS_PDF_HEIGHT	792.0

/*
 * oms_pdf_open starts a document written to fp (the caller's: an
 * oms_outfile's stream, so that a failed document never replaces a
 * file), named path in messages.  NULL with a message naming path in err
 * on failure.
 */
struct oms_pdf *oms_pdf_open(FILE *fp, const char *path, char *err, size_t errlen);

/*
 * oms_pdf_page ends the current page, if one was started, and starts a new
 * one.  Drawing before the first call draws on the first page.
 */
int oms_pdf_page(struct oms_pdf *p);

/*
 * oms_pdf_text draws utf8 with its baseline at y, starting at x, size
 * points high, in a monospace font (DejaVu Sans Mono) so columns align.
 * Invalid UTF-8 is drawn with '?' for every non-ASCII byte rather than
 * failing the whole document.
 */
int oms_pdf_text(struct oms_pdf *p, double x, double y, double size, int bold,
    const char *utf8);

/* oms_pdf_text_width is how far oms_pdf_text would advance; -1 on failure. */
double oms_pdf_text_width(struct oms_pdf *p, double size, int bold, const char *utf8);

/* oms_pdf_rule draws a thin (0.5 point) line. */
int oms_pdf_rule(struct oms_pdf *p, double x1, double y1, double x2, double y2);

/*
 * oms_pdf_code128 draws data as a Code 128 barcode: its top-left corner at
 * (x, y), including the 10-module quiet zone on the left, bars height
 * points high and module points per narrowest bar (0.75 or more scans
 * well from paper).  data is printable ASCII (32..126), 1 to
 * OMS_CODE128_MAXDATA characters; anything else is -1 (reported).
 */
int oms_pdf_code128(struct oms_pdf *p, double x, double y, double height, double module,
    const char *data);

/*
 * oms_pdf_code128_width is the width in points oms_pdf_code128 uses for
 * data, quiet zones included (to centre or right-align a barcode); -1
 * when data cannot be encoded.
 */
double oms_pdf_code128_width(double module, const char *data);

/*
 * oms_pdf_close finishes the document, flushes its stream (which stays
 * open) and frees p (NULL is a no-op).  0, or -1 when anything failed
 * since the open (reported); what was written is then not a usable PDF.
 */
int oms_pdf_close(struct oms_pdf *p);

/* Longest data oms_code128_encode takes; longer would not fit a page anyway. */
#define OMS_CODE128_MAXDATA	80

/* Symbol values one encoding needs at most: start, one per character, check, stop. */
#define OMS_CODE128_MAXSYMS	(OMS_CODE128_MAXDATA + 3)

/*
 * oms_code128_encode turns data into Code 128 symbol values: a start code
 * (104 for set B, 105 for set C), the data in set B with runs of digits
 * in set C where that is shorter, the check symbol and the stop (106).
 * *n is the room in values on entry and the count on return.  -1 with
 * errno EINVAL for an empty, too long or non-printable-ASCII data, ENOSPC
 * when values is too small (*n is then the count needed).
 */
int oms_code128_encode(const char *data, int *values, size_t *n);

#endif
