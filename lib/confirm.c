/*
 * confirm.c: telling the order sources what shipped.  Amazon and Shopify
 * get the files their bulk uploads take, anyone else oms's own CSV, and
 * X12 trading partners an 856 ship notice.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <oms/carrier.h>
#include <oms/confirm.h>
#include <oms/fmt.h>

/* Each carrier oms knows, as each source names it. */
struct carrier_names {
	const char *ours;	/* shipments.carrier */
	const char *amazon;	/* the Shipping Confirmation's carrier-code */
	const char *shopify;	/* a fulfillment's tracking company */
	const char *scac;	/* Standard Carrier Alpha Code, for TD503 */
};

static const struct carrier_names carriers[] = {
	{ "ups", "UPS", "UPS", "UPSN" },
	{ "fedex", "FedEx", "FedEx", "FDE" },
	{ "usps", "USPS", "USPS", "USPS" },
	/* DHL's SCAC depends on which DHL company carries it: none is claimed. */
	{ "dhl", "DHL", "DHL Express", NULL },
};

static const struct carrier_names *
carrier_find(const char *carrier)
{
	size_t i;

	for (i = 0; carrier != NULL && i < sizeof carriers / sizeof carriers[0]; i++)
		if (strcasecmp(carrier, carriers[i].ours) == 0)
			return &carriers[i];
	return NULL;
}

/* str is s, or "" for a blank field. */
static const char *
str(const char *s)
{
	return s != NULL ? s : "";
}

/*
 * iso_parts splits a UTC ISO 8601 time ("YYYY-MM-DDTHH:MM:SSZ", or a bare
 * date, which is midnight) into its date and time digits: date8 CCYYMMDD,
 * time4 HHMM.  -1 when it is not such a time.
 */
static int
iso_parts(const char *iso, char date8[9], char time4[5])
{
	static const char date_shape[] = "dddd-dd-dd", time_shape[] = "dd:dd";
	size_t i;

	if (iso == NULL)
		return -1;
	for (i = 0; date_shape[i] != '\0'; i++)
		if (date_shape[i] == 'd' ? iso[i] < '0' || iso[i] > '9' : iso[i] != date_shape[i])
			return -1;
	memcpy(date8, iso, 4);
	memcpy(date8 + 4, iso + 5, 2);
	memcpy(date8 + 6, iso + 8, 2);
	date8[8] = '\0';
	strcpy(time4, "0000");
	if (iso[10] == '\0')
		return 0;
	if (iso[10] != 'T' && iso[10] != ' ')
		return -1;
	for (i = 0; time_shape[i] != '\0'; i++)
		if (time_shape[i] == 'd' ? iso[11 + i] < '0' || iso[11 + i] > '9' :
		    iso[11 + i] != time_shape[i])
			return -1;
	memcpy(time4, iso + 11, 2);
	memcpy(time4 + 2, iso + 14, 2);
	return 0;
}

/* finish says how writing went: 0, or -1 with errno when out could not take it all. */
static int
finish(FILE *out)
{
	if (fflush(out) != 0 || ferror(out)) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

/* ---- Amazon ---- */

/* tsv_field writes a flat-file field: it cannot hold a tab or a line end, so they become blanks. */
static void
tsv_field(FILE *out, const char *s)
{
	for (s = str(s); *s != '\0'; s++)
		putc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, out);
}

/* amazon_row writes one row of the Shipping Confirmation; item and qty "" for the whole order. */
static void
amazon_row(FILE *out, const struct oms_confirm_shipment *s, const char *item, const char *qty)
{
	const struct carrier_names *c = carrier_find(s->carrier);
	char date8[9], time4[5], date[11] = "";

	if (iso_parts(s->shipped_at, date8, time4) == 0)
		snprintf(date, sizeof date, "%.4s-%.2s-%.2s", date8, date8 + 4, date8 + 6);
	tsv_field(out, s->external_id);
	putc('\t', out);
	tsv_field(out, item);
	putc('\t', out);
	tsv_field(out, qty);
	putc('\t', out);
	fputs(date, out);
	putc('\t', out);
	/* A carrier Amazon does not list is "Other", named in carrier-name. */
	tsv_field(out, c != NULL ? c->amazon : "Other");
	putc('\t', out);
	tsv_field(out, c != NULL ? "" : s->carrier);
	putc('\t', out);
	tsv_field(out, s->tracking);
	putc('\t', out);
	tsv_field(out, s->service);
	putc('\n', out);
}

static int
has_id(const struct oms_confirm_line *l)
{
	return l->external_line_id != NULL && *l->external_line_id != '\0';
}

/*
 * amazon_shipment writes a shipment's rows.  Amazon knows an order's items
 * by order-item-id; a line without one can only be confirmed as "the whole
 * order" (order-item-id and quantity blank), once per shipment.  Lines that
 * share an ID (one item oms split a cent apart in price) are one row with
 * their quantities summed: Amazon has the item once.
 */
static void
amazon_shipment(FILE *out, const struct oms_confirm_shipment *s)
{
	const struct oms_confirm_line *l = s->lines;
	char qty[24];
	size_t i, j;
	int64_t sum;
	int whole = 0;

	for (i = 0; i < s->nlines; i++) {
		if (!has_id(&l[i])) {
			if (!whole)
				amazon_row(out, s, "", "");
			whole = 1;
			continue;
		}
		for (j = 0; j < i; j++)
			if (has_id(&l[j]) && strcmp(l[j].external_line_id, l[i].external_line_id) == 0)
				break;
		if (j < i)
			continue;	/* counted with the first line of its ID */
		for (sum = 0, j = i; j < s->nlines; j++)
			if (has_id(&l[j]) && strcmp(l[j].external_line_id, l[i].external_line_id) == 0)
				sum += l[j].qty;
		snprintf(qty, sizeof qty, "%lld", (long long)sum);
		amazon_row(out, s, l[i].external_line_id, qty);
	}
}

/* ---- Shopify and oms's own CSV ---- */

/* csv_int writes a whole number as a CSV cell: nothing to quote, nothing to neutralize. */
static void
csv_int(FILE *out, int64_t v)
{
	fprintf(out, "%lld", (long long)v);
}

/*
 * The columns a Shopify bulk-fulfillment app maps (EZ Fulfill, Fulfill
 * Sync and the like): the order by its name ("#1001"), the tracking
 * number and company (Shopify builds the tracking link from a company it
 * knows, so the URL is left blank), the line by SKU and quantity for a
 * partial fulfillment, and whether Shopify e-mails the customer.
 */
static const char shopify_header[] =
    "Order Name,Tracking Number,Tracking Company,Tracking URL,SKU,Quantity,Notify Customer\n";

static void
shopify_shipment(FILE *out, const struct oms_confirm_shipment *s)
{
	const struct carrier_names *c = carrier_find(s->carrier);
	size_t i;

	for (i = 0; i < s->nlines; i++) {
		oms_csv_cell(out, str(s->external_id), 1);
		putc(',', out);
		oms_csv_cell(out, str(s->tracking), 1);
		putc(',', out);
		oms_csv_cell(out, c != NULL ? c->shopify : str(s->carrier), 1);
		fputs(",,", out);
		oms_csv_cell(out, str(s->lines[i].sku), 1);
		putc(',', out);
		csv_int(out, s->lines[i].qty);
		fputs(",TRUE\n", out);
	}
}

static const char csv_header[] =
    "shipment_id,order_id,source,external_id,line_no,sku,qty,carrier,service,tracking,"
    "shipped_at\n";

static void
csv_shipment(FILE *out, const struct oms_confirm_shipment *s)
{
	size_t i;

	for (i = 0; i < s->nlines; i++) {
		csv_int(out, s->shipment_id);
		putc(',', out);
		csv_int(out, s->order_id);
		putc(',', out);
		oms_csv_cell(out, str(s->source), 1);
		putc(',', out);
		oms_csv_cell(out, str(s->external_id), 1);
		putc(',', out);
		csv_int(out, s->lines[i].line_no);
		putc(',', out);
		oms_csv_cell(out, str(s->lines[i].sku), 1);
		putc(',', out);
		csv_int(out, s->lines[i].qty);
		putc(',', out);
		oms_csv_cell(out, str(s->carrier), 1);
		putc(',', out);
		oms_csv_cell(out, str(s->service), 1);
		putc(',', out);
		oms_csv_cell(out, str(s->tracking), 1);
		putc(',', out);
		oms_csv_cell(out, str(s->shipped_at), 1);
		putc('\n', out);
	}
}

int
oms_confirm_format_parse(const char *name, enum oms_confirm_format *f)
{
	static const struct {
		const char *name;
		enum oms_confirm_format f;
	} names[] = {
		{ "amazon", OMS_CONFIRM_AMAZON }, { "shopify", OMS_CONFIRM_SHOPIFY },
		{ "csv", OMS_CONFIRM_CSV },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i].name) == 0) {
			*f = names[i].f;
			return 0;
		}
	return -1;
}

int
oms_confirm_write(FILE *out, enum oms_confirm_format f, const struct oms_confirm_shipment *s,
    size_t n)
{
	size_t i;

	errno = 0;
	switch (f) {
	case OMS_CONFIRM_AMAZON:
		fputs("order-id\torder-item-id\tquantity\tship-date\tcarrier-code\tcarrier-name\t"
		    "tracking-number\tship-method\n", out);
		for (i = 0; i < n; i++)
			amazon_shipment(out, &s[i]);
		break;
	case OMS_CONFIRM_SHOPIFY:
		fputs(shopify_header, out);
		for (i = 0; i < n; i++)
			shopify_shipment(out, &s[i]);
		break;
	case OMS_CONFIRM_CSV:
		fputs(csv_header, out);
		for (i = 0; i < n; i++)
			csv_shipment(out, &s[i]);
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	return finish(out);
}

/* ---- the X12 856 ---- */

/* Our delimiters: element, component (ISA16), segment. */
#define X12_ES '*'
#define X12_CS '>'
#define X12_ST '~'

struct asn {
	FILE *out;
	size_t nseg;	/* segments written since the last ST, itself included */
};

/* x12_char is c as an element may hold it: our delimiters and control characters are blanks. */
static int
x12_char(char c)
{
	return c == X12_ES || c == X12_CS || c == X12_ST || (unsigned char)c < 0x20 ||
	    c == 0x7f ? ' ' : c;
}

/*
 * seg writes one segment: its ID and the elements up to a NULL.  A value
 * cannot end a segment early: x12_char cleans it.  Trailing blanks of a
 * value and trailing empty elements are left out, as X12 wants.
 */
static void seg(struct asn *a, const char *id, ...) __attribute__((sentinel));

static void
seg(struct asn *a, const char *id, ...)
{
	const char *v[16];
	size_t len[16], n = 0, i, k;
	va_list ap;

	va_start(ap, id);
	while (n < 16 && (v[n] = va_arg(ap, const char *)) != NULL) {
		for (len[n] = strlen(v[n]); len[n] > 0 && x12_char(v[n][len[n] - 1]) == ' ';)
			len[n]--;
		n++;
	}
	va_end(ap);
	while (n > 0 && len[n - 1] == 0)
		n--;
	fputs(id, a->out);
	for (i = 0; i < n; i++) {
		putc(X12_ES, a->out);
		for (k = 0; k < len[i]; k++)
			putc(x12_char(v[i][k]), a->out);
	}
	putc(X12_ST, a->out);
	putc('\n', a->out);
	a->nseg++;
}

/*
 * cut copies free text (a name, an address line) cut to the element's
 * maximum length, size - 1 bytes, at a character's start.  Identifiers
 * are never cut: a cut SKU or PO number would name something else.
 */
static const char *
cut(char *buf, size_t size, const char *s)
{
	size_t n = strlen(str(s));

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(buf, str(s), n);
	buf[n] = '\0';
	return buf;
}

/* pounds writes a weight in grams as pounds to the hundredth, without trailing zeros. */
static void
pounds(char *buf, size_t size, int64_t grams)
{
	/* A pound is 453.59237 g exactly. */
	int64_t h = (grams * 10000000 + 45359237 / 2) / 45359237;
	size_t n;

	snprintf(buf, size, "%lld.%02lld", (long long)(h / 100), (long long)(h % 100));
	n = strlen(buf);
	while (buf[n - 1] == '0')
		buf[--n] = '\0';
	if (buf[n - 1] == '.')
		buf[n - 1] = '\0';
}

/* td5 writes the carrier: by its SCAC when oms knows it, else by name in the routing text. */
static void
td5(struct asn *a, const struct oms_confirm_shipment *s)
{
	const struct carrier_names *c = carrier_find(s->carrier);
	const char *scac = c != NULL ? c->scac : NULL;
	char routing[36], both[160];

	if (scac != NULL && strcmp(c->ours, "fedex") == 0 && s->service != NULL &&
	    (strcasestr(s->service, "ground") != NULL || strcasestr(s->service, "home") != NULL))
		scac = "FDEG";	/* FedEx Ground is a carrier of its own */
	if (scac != NULL) {
		/* U: private parcel service. */
		seg(a, "TD5", "B", "2", scac, "U", cut(routing, sizeof routing, s->service), NULL);
		return;
	}
	snprintf(both, sizeof both, "%s%s%s", str(s->carrier), s->service ? " " : "",
	    str(s->service));
	seg(a, "TD5", "B", "", "", "", cut(routing, sizeof routing, both), NULL);
}

/*
 * prf writes the order's reference: the PO number, and the release an
 * X12 order's number carries after its last '/' ("PO/RELEASE", as the 850
 * reader wrote it), with the PO's date.
 */
static void
prf(struct asn *a, const struct oms_confirm_shipment *s)
{
	const char *id = str(s->external_id), *slash = strrchr(id, '/');
	char po[1100], date8[9] = "", time4[5];

	if (s->source == NULL || strncmp(s->source, "x12:", 4) != 0 || slash == NULL ||
	    slash == id || slash[1] == '\0' || (size_t)(slash - id) >= sizeof po)
		slash = NULL;
	snprintf(po, sizeof po, "%.*s", slash ? (int)(slash - id) : (int)strlen(id), id);
	if (iso_parts(s->placed_at, date8, time4) != 0)
		date8[0] = '\0';
	seg(a, "PRF", po, slash ? slash + 1 : "", "", date8, NULL);
}

/*
 * sscc makes the SSCC-18 of a shipment's pack: extension digit 0, the GS1
 * company prefix, the shipment's ID as serial reference (zero-padded to
 * fill 17 digits) and the GS1 mod-10 check digit.  -1 when the prefix is
 * not 6 to 11 digits or the ID does not fit beside it.
 */
static int
sscc(const char *prefix, int64_t id, char out[19])
{
	size_t n = prefix != NULL ? strlen(prefix) : 0, i;
	int64_t limit = 1;

	if (n < 6 || n > 11 || prefix[strspn(prefix, "0123456789")] != '\0' || id < 0)
		return -1;
	for (i = 0; i < 16 - n; i++)
		limit *= 10;
	if (id >= limit)
		return -1;
	{
		char buf[40];

		snprintf(buf, sizeof buf, "0%s%0*lld", prefix, (int)(16 - n), (long long)id);
		memcpy(out, buf, 17);
	}
	out[17] = (char)('0' + oms_gs1_check_digit(out, 17));
	out[18] = '\0';
	return 0;
}

/* party writes an N1 loop: N1 (with the partner's code when there is one), N2, N3, N4. */
static void
party(struct asn *a, const char *who, const struct oms_ship_address *to, const char *qual,
    const char *code)
{
	char b1[61], b2[61], b3[56], b4[56], b5[31];

	/* As the 850 reader reads them: N1 the name, N2 the company. */
	if (qual != NULL && code != NULL)
		seg(a, "N1", who, cut(b1, sizeof b1, to->name ? to->name : to->company), qual, code,
		    NULL);
	else
		seg(a, "N1", who, cut(b1, sizeof b1, to->name ? to->name : to->company), NULL);
	if (to->name != NULL && to->company != NULL && *to->company != '\0')
		seg(a, "N2", cut(b2, sizeof b2, to->company), NULL);
	if (to->line1 != NULL && *to->line1 != '\0')
		seg(a, "N3", cut(b3, sizeof b3, to->line1), cut(b4, sizeof b4, to->line2), NULL);
	if (to->city || to->region || to->postal_code || to->country)
		seg(a, "N4", cut(b5, sizeof b5, to->city), str(to->region), str(to->postal_code),
		    str(to->country), NULL);
}

/*
 * lin writes an item's LIN: the buyer's PO1 line number, then the
 * partner's own product IDs as its 850 gave them (at most 7 pairs, what
 * LIN holds beside LIN01 here), else our SKU as the seller's part number.
 */
static void
lin(struct asn *a, const struct oms_confirm_line *l)
{
	char ids[7][2][128];
	const char *p = l->product_ids, *nl;
	size_t n = 0, len, qlen;

	while (p != NULL && *p != '\0' && n < 7) {
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		qlen = strcspn(p, " ");
		if (qlen < len && qlen < sizeof ids[n][0] && len - qlen - 1 < sizeof ids[n][1]) {
			snprintf(ids[n][0], sizeof ids[n][0], "%.*s", (int)qlen, p);
			snprintf(ids[n][1], sizeof ids[n][1], "%.*s", (int)(len - qlen - 1),
			    p + qlen + 1);
			n++;
		}
		p = nl ? nl + 1 : NULL;
	}
	if (n == 0) {
		seg(a, "LIN", str(l->external_line_id), "VP", str(l->sku), NULL);
		return;
	}
	/* Unused pairs are empty, and seg() leaves trailing empty elements out. */
	for (; n < 7; n++)
		ids[n][0][0] = ids[n][1][0] = '\0';
	seg(a, "LIN", str(l->external_line_id), ids[0][0], ids[0][1], ids[1][0], ids[1][1],
	    ids[2][0], ids[2][1], ids[3][0], ids[3][1], ids[4][0], ids[4][1], ids[5][0], ids[5][1],
	    ids[6][0], ids[6][1], NULL);
}

/*
 * sn1 writes what shipped of a line against what was ordered: in the unit
 * the partner ordered in when the eaches make whole ones, else in eaches.
 */
static void
sn1(struct asn *a, const struct oms_confirm_line *l)
{
	const char *unit = "EA";
	int64_t per = 1;
	char shipped[24], ordered[24];

	if (l->unit != NULL && l->per_unit > 1 && l->qty % l->per_unit == 0 &&
	    l->ordered % l->per_unit == 0) {
		unit = l->unit;
		per = l->per_unit;
	} else if (l->unit != NULL && l->per_unit == 1) {
		unit = l->unit;
	}
	snprintf(shipped, sizeof shipped, "%lld", (long long)(l->qty / per));
	snprintf(ordered, sizeof ordered, "%lld", (long long)(l->ordered / per));
	/* SN105 and SN106 go together: the quantity ordered, when known. */
	if (l->ordered > 0)
		seg(a, "SN1", "", shipped, unit, "", ordered, unit, NULL);
	else
		seg(a, "SN1", "", shipped, unit, NULL);
}

/*
 * transaction writes one shipment as an 856 transaction set, control
 * number ctl: shipment, order, pack, items (BSN05 0001).
 */
static void
transaction(struct asn *a, const struct oms_x12_parties *p, const struct oms_confirm_shipment *s,
    const char *ctl, const char *date8, const char *time4)
{
	char bsn02[24], num[24], weight[24], ship8[9], ship4[5], hlid[24], code[19];
	const struct oms_x12_envelope *e = s->x12;
	size_t i, nhl;

	(void)iso_parts(s->shipped_at, ship8, ship4);	/* checked before the ISA */
	a->nseg = 0;
	seg(a, "ST", "856", ctl, NULL);
	/* BSN02 is at least two characters long. */
	snprintf(bsn02, sizeof bsn02, "%02lld", (long long)s->shipment_id);
	seg(a, "BSN", "00", bsn02, date8, time4, "0001", NULL);

	seg(a, "HL", "1", "", "S", NULL);
	snprintf(num, sizeof num, "%d", s->packages);
	/* Weights past a thousand tonnes are a mistake, and would overflow below. */
	if (s->weight_g > 0 && s->weight_g < INT64_C(1000000000)) {
		pounds(weight, sizeof weight, s->weight_g);
		seg(a, "TD1", "CTN25", num, "", "", "", "G", weight, "LB", NULL);
	} else {
		seg(a, "TD1", "CTN25", num, NULL);
	}
	td5(a, s);
	/* CN, the carrier's reference; some partners want parcel tracking as the bill of lading. */
	if (s->tracking != NULL && *s->tracking != '\0')
		seg(a, "REF", p->tracking_ref ? p->tracking_ref : "CN", s->tracking, NULL);
	seg(a, "DTM", "011", ship8, NULL);
	if (p->ship_from != NULL)
		party(a, "SF", p->ship_from, NULL, NULL);
	/* The partner's own code for the place, as its 850 named it. */
	party(a, "ST", &s->to, e ? e->ship_to_qual : NULL, e ? e->ship_to_code : NULL);

	seg(a, "HL", "2", "1", "O", NULL);
	prf(a, s);

	/* One pack: the shipment's, marked by its SSCC, else by the carrier's number. */
	seg(a, "HL", "3", "2", "P", NULL);
	if (p->gs1_prefix != NULL && sscc(p->gs1_prefix, s->shipment_id, code) == 0)
		seg(a, "MAN", "GM", code, NULL);
	else if (s->tracking != NULL && *s->tracking != '\0')
		seg(a, "MAN", "CP", s->tracking, NULL);

	nhl = 3;
	for (i = 0; i < s->nlines; i++) {
		const struct oms_confirm_line *l = &s->lines[i];

		snprintf(hlid, sizeof hlid, "%zu", ++nhl);
		seg(a, "HL", hlid, "3", "I", NULL);
		lin(a, l);
		sn1(a, l);
	}
	/* CTT01 counts the HL segments in an 856. */
	snprintf(num, sizeof num, "%zu", nhl);
	seg(a, "CTT", num, NULL);
	snprintf(num, sizeof num, "%zu", a->nseg + 1);
	seg(a, "SE", num, ctl, NULL);
}

/*
 * envelope_id says whether an ISA qualifier or ID fits its element: min
 * to max printable ASCII characters, none of them a delimiter.
 */
static int
envelope_id(const char *s, size_t min, size_t max)
{
	size_t n, i;

	if (s == NULL || (n = strlen(s)) < min || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e || s[i] == X12_ES || s[i] == X12_CS || s[i] == X12_ST)
			return 0;
	return 1;
}

/* isa writes the interchange header, every element at its fixed width. */
static void
isa(struct asn *a, const struct oms_x12_parties *p, const char *date8, const char *time4,
    const char *isa13)
{
	char sender[16], receiver[16], usage[2] = { p->usage, '\0' }, cs[2] = { X12_CS, '\0' };
	/* No authorization or security information; ISA14 0: no TA1 asked for. */
	const char *f[16] = { "00", "          ", "00", "          ", p->our_qual, sender,
		p->their_qual, receiver, date8 + 2, time4, "U", "00401", isa13, "0", usage, cs };
	size_t i;

	snprintf(sender, sizeof sender, "%-15s", p->our_id);
	snprintf(receiver, sizeof receiver, "%-15s", p->their_id);
	fputs("ISA", a->out);
	for (i = 0; i < 16; i++) {
		putc(X12_ES, a->out);
		fputs(f[i], a->out);
	}
	putc(X12_ST, a->out);
	putc('\n', a->out);
}

int
oms_asn_write(FILE *out, const struct oms_x12_parties *p, long ctl, const char *now,
    const struct oms_confirm_shipment *s, size_t n)
{
	struct asn a = { .out = out };
	char date8[9], time4[5], ship8[9], ship4[5], isa13[10], gs06[16], st02[24], count[24],
	    code[19];
	size_t i;

	errno = 0;
	/* An envelope the partner's translator would refuse is never begun. */
	if (ctl < 1 || ctl > 999999999 || iso_parts(now, date8, time4) != 0 ||
	    (p->usage != 'P' && p->usage != 'T') || !envelope_id(p->our_qual, 2, 2) ||
	    !envelope_id(p->our_id, 1, 15) || !envelope_id(p->their_qual, 2, 2) ||
	    !envelope_id(p->their_id, 1, 15)) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < n; i++)
		if (iso_parts(s[i].shipped_at, ship8, ship4) != 0 || (p->gs1_prefix != NULL &&
		    sscc(p->gs1_prefix, s[i].shipment_id, code) != 0)) {
			errno = EINVAL;
			return -1;
		}
	if ((p->gs_ours != NULL && !envelope_id(p->gs_ours, 2, 15)) ||
	    (p->gs_theirs != NULL && !envelope_id(p->gs_theirs, 2, 15)) ||
	    (p->tracking_ref != NULL && strcmp(p->tracking_ref, "BM") != 0 &&
	    strcmp(p->tracking_ref, "CN") != 0)) {
		errno = EINVAL;
		return -1;
	}
	if (n == 0)
		return 0;
	snprintf(isa13, sizeof isa13, "%09ld", ctl);
	snprintf(gs06, sizeof gs06, "%ld", ctl);
	isa(&a, p, date8, time4, isa13);
	seg(&a, "GS", "SH", p->gs_ours ? p->gs_ours : p->our_id,
	    p->gs_theirs ? p->gs_theirs : p->their_id, date8, time4, gs06, "X", "004010", NULL);
	for (i = 0; i < n; i++) {
		snprintf(st02, sizeof st02, "%04zu", i + 1);
		transaction(&a, p, &s[i], st02, date8, time4);
	}
	snprintf(count, sizeof count, "%zu", n);
	seg(&a, "GE", count, gs06, NULL);
	seg(&a, "IEA", "1", isa13, NULL);
	return finish(out);
}
