/*
 * pick_pdf.c: pick lists and packing slips as PDF, each with a Code 128
 * barcode (the list's ID, or the order's) for the scanner at the pack bench.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <oms/pdf.h>
#include <oms/pick.h>
#include <oms/diag.h>

#include "internal.h"

#define MARGIN 40.0
#define LINE 14.0

/* pdf_open starts a document on out, reporting why not. */
static struct oms_pdf *
pdf_open(FILE *out, const char *name)
{
	struct oms_pdf *p;
	char err[256];

	if ((p = oms_pdf_open(out, name, err, sizeof err)) == NULL)
		oms_warnx("%s", err);
	return p;
}

/* show_pdf draws one list on pages of its own. */
static int
show_pdf(struct oms *o, struct oms_pdf *p, int64_t list, enum oms_pick_layout layout)
{
	char *text = NULL, code[32], *line, *save;
	size_t len = 0;
	double y = 0;
	FILE *buf;
	int rc, first = 1;

	/* The same rows as the text list, set in a monospace font under the barcode. */
	if ((buf = open_memstream(&text, &len)) == NULL)
		return OMS_ESYS;
	rc = oms_pick_show(o, list, layout, OMS_FMT_TEXT, buf);
	if (fclose(buf) != 0 || rc != OMS_OK) {
		free(text);
		return rc != OMS_OK ? rc : OMS_ESYS;
	}
	snprintf(code, sizeof code, "LIST-%lld", (long long)list);
	for (line = strtok_r(text, "\n", &save); line != NULL && rc == 0;
	    line = strtok_r(NULL, "\n", &save)) {
		if (first || *line == '\f' || y > OMS_PDF_HEIGHT - MARGIN) {
			if (*line == '\f')
				line++;
			if ((rc = oms_pdf_page(p)) != 0 ||
			    (rc = oms_pdf_code128(p, MARGIN, MARGIN, 40, 1.2, code)) != 0 ||
			    (rc = oms_pdf_text(p, MARGIN, MARGIN + 54, 9, 0, code)) != 0)
				break;
			y = MARGIN + 80;
			first = 0;
		}
		rc = oms_pdf_text(p, MARGIN, y, 9, strncmp(line, "PICK LIST", 9) == 0, line);
		y += LINE;
	}
	free(text);
	return rc != 0 ? OMS_ESYS : OMS_OK;
}

int
oms_pick_show_pdf(struct oms *o, int64_t first, int64_t last, enum oms_pick_layout layout,
    FILE *out, const char *name)
{
	struct oms_pdf *p;
	int64_t l;
	int rc = OMS_OK;

	if ((p = pdf_open(out, name)) == NULL)
		return OMS_ESYS;
	for (l = first; l <= last && rc == OMS_OK; l++)
		rc = show_pdf(o, p, l, layout);
	if (oms_pdf_close(p) != 0 && rc == OMS_OK)
		rc = OMS_ESYS;
	return rc;
}

int
oms_pick_slips_pdf(struct oms *o, int64_t list, FILE *out, const char *name)
{
	char *text = NULL, code[32], *slip, *line, *save, *save2;
	size_t len = 0;
	struct oms_pdf *p;
	long long order;
	double y;
	FILE *buf;
	int rc;

	if ((buf = open_memstream(&text, &len)) == NULL)
		return OMS_ESYS;
	rc = oms_pick_slips(o, list, buf);
	if (fclose(buf) != 0 || rc != OMS_OK) {
		free(text);
		return rc != OMS_OK ? rc : OMS_ESYS;
	}
	if ((p = pdf_open(out, name)) == NULL) {
		free(text);
		return OMS_ESYS;
	}
	/* One page a slip: the text slips are cut by form feeds. */
	for (slip = strtok_r(text, "\f", &save); slip != NULL && rc == 0;
	    slip = strtok_r(NULL, "\f", &save)) {
		if (sscanf(slip, "PACKING SLIP order %lld", &order) != 1 &&
		    sscanf(slip, "PACKING SLIP   order %lld", &order) != 1)
			order = 0;
		snprintf(code, sizeof code, "%lld", order);
		if ((rc = oms_pdf_page(p)) != 0 ||
		    (rc = oms_pdf_code128(p, MARGIN, MARGIN, 40, 1.5, code)) != 0)
			break;
		y = MARGIN + 70;
		for (line = strtok_r(slip, "\n", &save2); line != NULL && rc == 0;
		    line = strtok_r(NULL, "\n", &save2)) {
			rc = oms_pdf_text(p, MARGIN, y, 10, strncmp(line, "PACKING", 7) == 0, line);
			y += LINE;
		}
	}
	free(text);
	if (oms_pdf_close(p) != 0 || rc != 0)
		return OMS_ESYS;
	return OMS_OK;
}
