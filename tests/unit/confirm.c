/* Unit tests for shipping confirmations (Amazon, Shopify, csv) and the X12 856. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <oms/confirm.h>
#include <oms/csv.h>

#include "tap.h"

/* What a writer wrote, and what it returned. */
struct written {
	char *text;
	size_t len;
	int rc;
};

static void
confirm(struct written *w, enum oms_confirm_format f, const struct oms_confirm_shipment *s,
    size_t n)
{
	FILE *out = open_memstream(&w->text, &w->len);

	if (out == NULL) {
		perror("open_memstream");
		exit(2);
	}
	w->rc = oms_confirm_write(out, f, s, n);
	fclose(out);
}

static void
asn(struct written *w, const struct oms_x12_parties *p, long ctl, const char *now,
    const struct oms_confirm_shipment *s, size_t n)
{
	FILE *out = open_memstream(&w->text, &w->len);

	if (out == NULL) {
		perror("open_memstream");
		exit(2);
	}
	w->rc = oms_asn_write(out, p, ctl, now, s, n);
	fclose(out);
}

/*
 * rows_are reads what was written with oms's own RFC 4180 reader and
 * compares it field by field with want (rows of ncols fields, the header
 * first).  A value quoted wrongly comes back other than it went in.
 */
static void
rows_are(const char *what, const struct written *w, char delim, const char *const *want,
    size_t nrows, size_t ncols)
{
	FILE *in = fmemopen(w->text, w->len, "r");
	struct oms_csv *c = in ? oms_csv_open(in, what, delim) : NULL;
	char **f, err[256] = "";
	size_t n, line, r, i;
	int got;

	if (c == NULL) {
		ok(0, "%s: readable", what);
		return;
	}
	for (r = 0; (got = oms_csv_row(c, &f, &n, &line, err, sizeof err)) == 1; r++) {
		if (r >= nrows) {
			ok(0, "%s: row %zu is one too many", what, r + 1);
			break;
		}
		ok(n == ncols, "%s: row %zu has %zu fields", what, r + 1, ncols);
		for (i = 0; i < n && i < ncols; i++)
			is_str(f[i], want[r * ncols + i], "%s: row %zu, %s", what, r + 1, want[i]);
	}
	ok(got == 0, "%s: read to the end without error %s", what, err);
	ok(r == nrows, "%s: %zu rows (%zu)", what, nrows, r);
	oms_csv_close(c);
	fclose(in);
}

/* lines_are compares the text line by line with the lines of want. */
static void
lines_are(const char *what, const struct written *w, const char *want)
{
	const char *g = w->text, *e = want, *gn, *en;
	char gl[512], el[512];
	int n = 1;

	while (*g != '\0' || *e != '\0') {
		gn = g + strcspn(g, "\n");
		en = e + strcspn(e, "\n");
		snprintf(gl, sizeof gl, "%.*s", (int)(gn - g), g);
		snprintf(el, sizeof el, "%.*s", (int)(en - e), e);
		is_str(gl, el, "%s: line %d exactly", what, n);
		g = *gn ? gn + 1 : gn;
		e = *en ? en + 1 : en;
		n++;
	}
	ok(w->len > 0 && w->text[w->len - 1] == '\n', "%s: ends with a newline", what);
}

/* ---- Amazon ---- */

static const struct oms_confirm_line amz1_lines[] = {
	{ .sku = "A1", .external_line_id = NULL, .line_no = 1, .qty = 2, .ordered = 3 },
};
static const struct oms_confirm_line amz2_lines[] = {
	{ .sku = "B2", .external_line_id = "22345678901234", .line_no = 1, .qty = 1, .ordered = 1 },
	{ .sku = "C3", .external_line_id = "22345678901235", .line_no = 2, .qty = 4, .ordered = 4 },
};
static const struct oms_confirm_shipment amz[] = {
	{ .shipment_id = 41, .order_id = 17, .source = "amazon",
	  .external_id = "111-2223334-5556667", .shipped_at = "2026-11-24T16:05:00Z",
	  .carrier = "ups", .service = "Standard", .tracking = "1Z999AA10123456784",
	  .packages = 1, .weight_g = -1, .lines = amz1_lines, .nlines = 1 },
	{ .shipment_id = 42, .order_id = 18, .source = "amazon",
	  .external_id = "222-0000000-0000001", .shipped_at = "2026-11-25T01:30:00Z",
	  .carrier = "OnTrac", .service = "Ground\tSaver\n", .tracking = NULL,
	  .packages = 1, .weight_g = -1, .lines = amz2_lines, .nlines = 2 },
};

static const char *const amz_want[] = {
	"order-id", "order-item-id", "quantity", "ship-date", "carrier-code", "carrier-name",
	"tracking-number", "ship-method",
	/* No order-item-id: the whole order, so no quantity either. */
	"111-2223334-5556667", "", "", "2026-11-24", "UPS", "", "1Z999AA10123456784", "Standard",
	/* A carrier Amazon does not list is Other, named; a tab and a newline are blanks. */
	"222-0000000-0000001", "22345678901234", "1", "2026-11-25", "Other", "OnTrac", "",
	"Ground Saver ",
	"222-0000000-0000001", "22345678901235", "4", "2026-11-25", "Other", "OnTrac", "",
	"Ground Saver ",
};

static void
test_amazon(void)
{
	static const struct oms_confirm_line split[] = {
		{ .sku = "A1", .external_line_id = "12345678901234", .line_no = 1, .qty = 2 },
		{ .sku = "A1", .external_line_id = "12345678901234", .line_no = 2, .qty = 1 },
		{ .sku = "B2", .external_line_id = NULL, .line_no = 3, .qty = 1 },
		{ .sku = "C3", .external_line_id = "", .line_no = 4, .qty = 1 },
		{ .sku = "D4", .external_line_id = "12345678901236", .line_no = 5, .qty = 7 },
	};
	struct oms_confirm_shipment one = amz[0];
	struct written w;

	confirm(&w, OMS_CONFIRM_AMAZON, amz, 2);
	ok(w.rc == 0, "amazon: written");
	lines_are("amazon", &w,
	    "order-id\torder-item-id\tquantity\tship-date\tcarrier-code\tcarrier-name\t"
	    "tracking-number\tship-method\n"
	    "111-2223334-5556667\t\t\t2026-11-24\tUPS\t\t1Z999AA10123456784\tStandard\n"
	    "222-0000000-0000001\t22345678901234\t1\t2026-11-25\tOther\tOnTrac\t\tGround Saver \n"
	    "222-0000000-0000001\t22345678901235\t4\t2026-11-25\tOther\tOnTrac\t\tGround Saver \n");
	rows_are("amazon", &w, '\t', amz_want, 4, 8);
	free(w.text);

	/*
	 * Two lines of one item (split a cent apart at import) are one row;
	 * lines without an ID are the whole order, once.
	 */
	one.lines = split;
	one.nlines = 5;
	one.carrier = "USPS";
	confirm(&w, OMS_CONFIRM_AMAZON, &one, 1);
	ok(w.rc == 0, "amazon, merged lines: written");
	lines_are("amazon, merged lines", &w,
	    "order-id\torder-item-id\tquantity\tship-date\tcarrier-code\tcarrier-name\t"
	    "tracking-number\tship-method\n"
	    "111-2223334-5556667\t12345678901234\t3\t2026-11-24\tUSPS\t\t1Z999AA10123456784\tStandard\n"
	    "111-2223334-5556667\t\t\t2026-11-24\tUSPS\t\t1Z999AA10123456784\tStandard\n"
	    "111-2223334-5556667\t12345678901236\t7\t2026-11-24\tUSPS\t\t1Z999AA10123456784\tStandard\n");
	free(w.text);
}

/* ---- Shopify and csv ---- */

static const struct oms_confirm_line shop1_lines[] = {
	{ .sku = "A1", .line_no = 1, .qty = 2, .ordered = 2 },
	{ .sku = "=HYPERLINK(\"http://x\")", .line_no = 2, .qty = 1, .ordered = 1 },
};
static const struct oms_confirm_line shop2_lines[] = {
	{ .sku = "Widget \"XL\"", .line_no = 3, .qty = 3, .ordered = 5 },
};
static const struct oms_confirm_shipment shop[] = {
	{ .shipment_id = 7, .order_id = 1, .source = "shopify", .external_id = "#1001",
	  .shipped_at = "2026-11-24T16:05:00Z", .carrier = "fedex", .service = "Home Delivery",
	  .tracking = "123456789012", .packages = 1, .weight_g = 900, .lines = shop1_lines,
	  .nlines = 2 },
	{ .shipment_id = 8, .order_id = 2, .source = "shopify", .external_id = "#1002, rush",
	  .shipped_at = "2026-11-25T01:30:00Z", .carrier = "Canpar", .service = "2nd Day, AM",
	  .tracking = NULL, .packages = 1, .weight_g = -1, .lines = shop2_lines, .nlines = 1 },
};

static const char *const shop_want[] = {
	"Order Name", "Tracking Number", "Tracking Company", "Tracking URL", "SKU", "Quantity",
	"Notify Customer",
	"#1001", "123456789012", "FedEx", "", "A1", "2", "TRUE",
	/* A spreadsheet would run it: an apostrophe makes it text. */
	"#1001", "123456789012", "FedEx", "", "'=HYPERLINK(\"http://x\")", "1", "TRUE",
	"#1002, rush", "", "Canpar", "", "Widget \"XL\"", "3", "TRUE",
};

static const char *const csv_want[] = {
	"shipment_id", "order_id", "source", "external_id", "line_no", "sku", "qty", "carrier",
	"service", "tracking", "shipped_at",
	"7", "1", "shopify", "#1001", "1", "A1", "2", "fedex", "Home Delivery", "123456789012",
	"2026-11-24T16:05:00Z",
	"7", "1", "shopify", "#1001", "2", "'=HYPERLINK(\"http://x\")", "1", "fedex",
	"Home Delivery", "123456789012", "2026-11-24T16:05:00Z",
	"8", "2", "shopify", "#1002, rush", "3", "Widget \"XL\"", "3", "Canpar", "2nd Day, AM", "",
	"2026-11-25T01:30:00Z",
};

static void
test_csv(void)
{
	struct written w;

	confirm(&w, OMS_CONFIRM_SHOPIFY, shop, 2);
	ok(w.rc == 0, "shopify: written");
	lines_are("shopify", &w,
	    "Order Name,Tracking Number,Tracking Company,Tracking URL,SKU,Quantity,Notify Customer\n"
	    "#1001,123456789012,FedEx,,A1,2,TRUE\n"
	    "#1001,123456789012,FedEx,,\"'=HYPERLINK(\"\"http://x\"\")\",1,TRUE\n"
	    "\"#1002, rush\",,Canpar,,\"Widget \"\"XL\"\"\",3,TRUE\n");
	rows_are("shopify", &w, ',', shop_want, 4, 7);
	free(w.text);

	confirm(&w, OMS_CONFIRM_CSV, shop, 2);
	ok(w.rc == 0, "csv: written");
	lines_are("csv", &w,
	    "shipment_id,order_id,source,external_id,line_no,sku,qty,carrier,service,tracking,"
	    "shipped_at\n"
	    "7,1,shopify,#1001,1,A1,2,fedex,Home Delivery,123456789012,2026-11-24T16:05:00Z\n"
	    "7,1,shopify,#1001,2,\"'=HYPERLINK(\"\"http://x\"\")\",1,fedex,Home Delivery,"
	    "123456789012,2026-11-24T16:05:00Z\n"
	    "8,2,shopify,\"#1002, rush\",3,\"Widget \"\"XL\"\"\",3,Canpar,\"2nd Day, AM\",,"
	    "2026-11-25T01:30:00Z\n");
	rows_are("csv", &w, ',', csv_want, 4, 11);
	free(w.text);

	confirm(&w, OMS_CONFIRM_CSV, shop, 0);
	ok(w.rc == 0 && strcmp(w.text, "shipment_id,order_id,source,external_id,line_no,sku,qty,"
	    "carrier,service,tracking,shipped_at\n") == 0, "no shipments: the header alone");
	free(w.text);
}

static void
test_parse(void)
{
	enum oms_confirm_format f = OMS_CONFIRM_CSV;

	ok(oms_confirm_format_parse("amazon", &f) == 0 && f == OMS_CONFIRM_AMAZON, "\"amazon\"");
	ok(oms_confirm_format_parse("shopify", &f) == 0 && f == OMS_CONFIRM_SHOPIFY, "\"shopify\"");
	ok(oms_confirm_format_parse("csv", &f) == 0 && f == OMS_CONFIRM_CSV, "\"csv\"");
	f = OMS_CONFIRM_AMAZON;
	ok(oms_confirm_format_parse("Amazon", &f) == -1 && f == OMS_CONFIRM_AMAZON,
	    "names are lower case; a miss leaves the format alone");
	ok(oms_confirm_format_parse("", &f) == -1, "\"\" is no format");
}

/* ---- the 856 ---- */

static const struct oms_confirm_line po4502_lines[] = {
	{ .sku = "A1", .external_line_id = "1", .line_no = 1, .qty = 1, .ordered = 1,
	  .unit_price = 999 },
};
/* As an 850 gave them: A1 in cases of 2, B2 by the buyer's and our numbers. */
static const struct oms_confirm_line po4501_lines[] = {
	{ .sku = "A1", .external_line_id = "1", .line_no = 1, .qty = 2, .ordered = 2,
	  .unit_price = 999, .unit = "CA", .per_unit = 2,
	  .product_ids = "UP 012345678905\nVN W-100" },
	{ .sku = "B2", .external_line_id = "2", .line_no = 2, .qty = 1, .ordered = 3,
	  .unit_price = 1800, .unit = "EA", .per_unit = 1, .product_ids = "BP BUY-77\nSK B2" },
	{ .sku = "NEW-1", .external_line_id = NULL, .line_no = 3, .qty = 5, .ordered = 0,
	  .unit_price = 250 },
};
static const struct oms_x12_envelope acme_850 = {
	.sender_qual = "ZZ", .sender_id = "ACMEBUYER", .receiver_qual = "ZZ",
	.receiver_id = "OMSSELLER", .gs_sender = "ACMEBUYER", .gs_receiver = "OMSSELLER",
	.ship_to_qual = "92", .ship_to_code = "0042",
};
static const struct oms_confirm_shipment x12[] = {
	{ .shipment_id = 5, .order_id = 2, .source = "x12:ACMEBUYER", .external_id = "PO-4502",
	  .placed_at = "2026-11-19T00:00:00Z", .shipped_at = "2026-11-24T16:05:00Z",
	  .carrier = "usps", .service = "Priority Mail", .tracking = "9400111899223197428490",
	  .packages = 1, .weight_g = -1, .currency = "USD",
	  .to = { .name = "Bob Builder", .line1 = "2 Oak Ave", .city = "Portland", .region = "OR",
	    .postal_code = "97201", .country = "US" },
	  .lines = po4502_lines, .nlines = 1 },
	{ .shipment_id = 12, .order_id = 1, .source = "x12:ACMEBUYER",
	  .external_id = "PO-4501/R2", .placed_at = "2026-11-18T00:00:00Z",
	  .shipped_at = "2026-11-25T01:30:00Z", .carrier = "fedex", .service = "Ground",
	  .tracking = "123456789012", .packages = 2, .weight_g = 2495, .currency = "USD",
	  .to = { .name = "Ada *Lovelace~", .company = "Analytical Engines Ltd",
	    .line1 = "12 St James's Square", .line2 = "Suite 4", .city = "London",
	    .postal_code = "SW1Y 4JH", .country = "GB" },
	  .lines = po4501_lines, .nlines = 3, .x12 = &acme_850 },
};

static const char *const x12_want[] = {
	("ISA*00*          *00*          *ZZ*OMSSELLER      *01*123456789      *261125*0930*U*"
	 "00401*000000042*0*T*>"),
	"GS*SH*OMSSELLER*123456789*20261125*0930*42*X*004010",
	"ST*856*0001",
	"BSN*00*05*20261125*0930*0001",
	"HL*1**S",
	"TD1*CTN25*1",
	"TD5*B*2*USPS*U*Priority Mail",
	"REF*CN*9400111899223197428490",
	"DTM*011*20261124",
	"N1*ST*Bob Builder",
	"N3*2 Oak Ave",
	"N4*Portland*OR*97201*US",
	"HL*2*1*O",
	"PRF*PO-4502***20261119",
	"HL*3*2*P",
	"MAN*CP*9400111899223197428490",
	"HL*4*3*I",
	"LIN*1*VP*A1",
	"SN1**1*EA**1*EA",
	"CTT*4",
	"SE*19*0001",
	"ST*856*0002",
	"BSN*00*12*20261125*0930*0001",
	"HL*1**S",
	"TD1*CTN25*2****G*5.5*LB",
	"TD5*B*2*FDEG*U*Ground",
	"REF*CN*123456789012",
	"DTM*011*20261125",
	"N1*ST*Ada  Lovelace*92*0042",
	"N2*Analytical Engines Ltd",
	"N3*12 St James's Square*Suite 4",
	"N4*London**SW1Y 4JH*GB",
	"HL*2*1*O",
	"PRF*PO-4501*R2**20261118",
	"HL*3*2*P",
	"MAN*CP*123456789012",
	"HL*4*3*I",
	"LIN*1*UP*012345678905*VN*W-100",
	"SN1**1*CA**1*CA",
	"HL*5*3*I",
	"LIN*2*BP*BUY-77*SK*B2",
	"SN1**1*EA**3*EA",
	"HL*6*3*I",
	"LIN**VP*NEW-1",
	"SN1**5*EA",
	"CTT*6",
	"SE*26*0002",
	"GE*2*42",
	"IEA*1*000000042",
};

#define NSEG_MAX 128

/* segments splits an interchange on '~', dropping the newline after each. */
static size_t
segments(char *text, char **seg)
{
	size_t n = 0;
	char *p = text, *t;

	while ((t = strchr(p, '~')) != NULL && n < NSEG_MAX) {
		*t = '\0';
		seg[n++] = p;
		p = t + 1;
		if (*p == '\n')
			p++;
	}
	return *p == '\0' ? n : 0;
}

/* element copies element i of a segment (0 is its ID) into buf. */
static const char *
element(const char *seg, int i, char *buf, size_t size)
{
	size_t k;

	for (; i > 0 && seg != NULL; i--)
		if ((seg = strchr(seg, '*')) != NULL)
			seg++;
	if (seg == NULL)
		return "";
	k = strcspn(seg, "*");
	snprintf(buf, size, "%.*s", (int)k, seg);
	return buf;
}

/*
 * envelope_counts counts what the trailers count, independently of the
 * expected text: SE01 the segments from ST to SE, CTT01 the HLs, GE01 the
 * sets, IEA01 the groups; and the control numbers must pair up.
 */
static void
envelope_counts(char **seg, size_t n)
{
	char a[64], b[64];
	size_t i, st = 0, nseg = 0, nhl = 0, nsets = 0, ngroups = 0;

	for (i = 0; i < n; i++) {
		if (strncmp(seg[i], "ST*", 3) == 0) {
			st = i;
			nhl = 0;
			nsets++;
		}
		if (strncmp(seg[i], "HL*", 3) == 0)
			nhl++;
		if (strncmp(seg[i], "CTT*", 4) == 0)
			ok((size_t)atoi(element(seg[i], 1, a, sizeof a)) == nhl,
			    "set %zu: CTT01 is its %zu HL segments", nsets, nhl);
		if (strncmp(seg[i], "SE*", 3) == 0) {
			nseg = i - st + 1;
			ok((size_t)atoi(element(seg[i], 1, a, sizeof a)) == nseg,
			    "set %zu: SE01 is its %zu segments, ST and SE included", nsets, nseg);
			is_str(element(seg[i], 2, a, sizeof a), element(seg[st], 2, b, sizeof b),
			    "set %zu: SE02 is its ST02", nsets);
		}
		if (strncmp(seg[i], "GE*", 3) == 0) {
			ngroups++;
			ok((size_t)atoi(element(seg[i], 1, a, sizeof a)) == nsets,
			    "GE01 is the %zu sets", nsets);
			is_str(element(seg[i], 2, a, sizeof a), element(seg[1], 6, b, sizeof b),
			    "GE02 is GS06");
		}
		if (strncmp(seg[i], "IEA*", 4) == 0) {
			ok((size_t)atoi(element(seg[i], 1, a, sizeof a)) == ngroups,
			    "IEA01 is the %zu groups", ngroups);
			is_str(element(seg[i], 2, a, sizeof a), element(seg[0], 13, b, sizeof b),
			    "IEA02 is ISA13, zero-padded alike");
		}
	}
}

static void
test_asn(void)
{
	static const struct oms_x12_parties p = { .our_qual = "ZZ", .our_id = "OMSSELLER",
		.their_qual = "01", .their_id = "123456789", .usage = 'T' };
	static const struct oms_ship_address dock = { .name = "OMS Seller Dock 2",
		.line1 = "1 Warehouse Way", .city = "Atlanta", .region = "GA",
		.postal_code = "30384", .country = "US" };
	struct oms_x12_parties bad, gs1;
	struct oms_confirm_shipment other = x12[0];
	const size_t nwant = sizeof x12_want / sizeof x12_want[0];
	char *seg[NSEG_MAX];
	struct written w;
	size_t n, i;

	asn(&w, &p, 42, "2026-11-25T09:30:00Z", x12, 2);
	ok(w.rc == 0, "856: written");
	ok(w.len > 2 && w.text[w.len - 2] == '~' && w.text[w.len - 1] == '\n',
	    "856: ends with the terminator and a newline");
	ok(strchr(w.text, '~') - w.text == 105, "856: the ISA is 106 characters, its terminator"
	    " included");
	n = segments(w.text, seg);
	ok(n == nwant, "856: %zu segments (%zu), each ended by ~ and a newline", nwant, n);
	for (i = 0; i < n && i < nwant; i++)
		is_str(seg[i], x12_want[i], "856: segment %zu exactly", i + 1);
	envelope_counts(seg, n);
	free(w.text);

	/* A carrier without a SCAC oms knows is named in the routing. */
	other.carrier = "Acme Freight";
	other.service = "LTL";
	other.tracking = NULL;
	other.to.company = "Builders Inc";
	other.to.name = NULL;
	asn(&w, &p, 999999999, "2026-11-25T23:59:59Z", &other, 1);
	n = segments(w.text, seg);
	ok(w.rc == 0 && n == 21, "856, other carrier: written, 21 segments (%zu)", n);
	if (n == 21) {
		is_str(seg[0] + 90, "999999999*0*T*>", "the largest control number fills ISA13");
		is_str(seg[6], "TD5*B****Acme Freight LTL", "TD505 names the carrier and service");
		is_str(seg[7], "DTM*011*20261124", "no tracking number: no REF*CN");
		is_str(seg[8], "N1*ST*Builders Inc", "no name: the company is the ship-to's name");
		is_str(seg[9], "N3*2 Oak Ave", "and no N2");
		is_str(seg[13], "HL*3*2*P", "a pack level");
		is_str(seg[14], "HL*4*3*I", "with no MAN: no tracking, no GS1 prefix");
		is_str(seg[19], "GE*1*999999999", "GE02 unpadded");
		is_str(seg[20], "IEA*1*999999999", "IEA02");
	}
	free(w.text);

	/*
	 * With a GS1 company prefix the pack is marked by its SSCC-18: 0, the
	 * prefix, the shipment's ID, the check digit (as GS1's own example,
	 * 0 0614141 000000005 0, computed by hand).  A ship-from, and the GS
	 * IDs the partner's 850 used.
	 */
	gs1 = p;
	gs1.gs1_prefix = "0614141";
	gs1.ship_from = &dock;
	gs1.gs_ours = "OMSGS";
	gs1.gs_theirs = "ACMEGS";
	asn(&w, &gs1, 7, "2026-11-25T09:30:00Z", x12, 1);
	n = segments(w.text, seg);
	ok(w.rc == 0 && n == 26, "856 with a GS1 prefix: written, 26 segments (%zu)", n);
	if (n == 26) {
		is_str(seg[1], "GS*SH*OMSGS*ACMEGS*20261125*0930*7*X*004010", "GS02 and GS03 as given");
		is_str(seg[9], "N1*SF*OMS Seller Dock 2", "N1*SF: the ship-from");
		is_str(seg[10], "N3*1 Warehouse Way", "its street");
		is_str(seg[11], "N4*Atlanta*GA*30384*US", "its city");
		is_str(seg[18], "MAN*GM*006141410000000050", "MAN*GM: the SSCC-18");
	}
	envelope_counts(seg, n);
	free(w.text);
	bad = gs1;
	bad.gs1_prefix = "06141410000";	/* 11 digits leave 5 for the ID: 12 does not fit */
	{
		struct oms_confirm_shipment big = x12[0];

		big.shipment_id = 123456;
		asn(&w, &bad, 7, "2026-11-25T09:30:00Z", &big, 1);
		ok(w.rc == -1 && errno == EINVAL && w.len == 0,
		    "a shipment ID that does not fit beside the GS1 prefix is refused, unwritten");
		free(w.text);
	}
	{
		/*
		 * GS1's published example SSCC (00) 3 7610425 002123456 9 with
		 * our extension digit 0 instead of 3: the check digit moves by
		 * 3 x 3, from 9 to 8.
		 */
		struct oms_confirm_shipment one = x12[0];

		bad = gs1;
		bad.gs1_prefix = "7610425";
		one.shipment_id = 2123456;
		asn(&w, &bad, 7, "2026-11-25T09:30:00Z", &one, 1);
		n = segments(w.text, seg);
		ok(n == 26, "the GS1 example: 26 segments (%zu)", n);
		if (n == 26)
			is_str(seg[18], "MAN*GM*076104250021234568", "the GS1 example's SSCC, check digit and all");
		free(w.text);
	}
}

/* A writer says when its output could not take what it wrote. */
static void
test_write_error(void)
{
	static const struct oms_x12_parties p = { .our_qual = "ZZ", .our_id = "OMSSELLER",
		.their_qual = "01", .their_id = "123456789", .usage = 'P' };
	FILE *full = fopen("/dev/full", "w");

	if (full == NULL) {
		ok(1, "# SKIP no /dev/full");
		return;
	}
	setvbuf(full, NULL, _IOFBF, 64);
	ok(oms_confirm_write(full, OMS_CONFIRM_AMAZON, amz, 2) == -1 && errno == ENOSPC,
	    "a full disk is a write error, with its errno");
	clearerr(full);
	ok(oms_asn_write(full, &p, 1, "2026-11-25T09:30:00Z", x12, 2) == -1,
	    "the 856 too");
	fclose(full);
}

int
main(void)
{
	test_parse();
	test_amazon();
	test_csv();
	test_asn();
	test_write_error();
	return done_testing();
}
