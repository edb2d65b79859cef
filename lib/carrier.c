/*
 * carrier.c: the files a carrier's own shipping software imports, and the
 * files it writes back with tracking numbers.
 *
 * Out: UPS WorldShip's XML auto-import (an OpenShipments document, the
 * element names of WorldShip's OpenShipments.xdr), a CSV for FedEx Ship
 * Manager Software's import (whose columns the user maps to FedEx fields
 * once, in its import map: the software has no fixed layout), Endicia
 * DAZzle's XML, and oms's own sheet for a person to fill in.  Every text
 * field goes out on one line: the carriers' forms have no multi-line field,
 * so line breaks and tabs become blanks and other control characters are
 * dropped.
 *
 * In: the OpenShipments document WorldShip writes after processing an
 * auto-import, a FedEx CSV export, and oms's sheet filled in.  What each
 * reader takes is documented above it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>

#include <oms/carrier.h>
#include <oms/csv.h>
#include <oms/fmt.h>
#include <oms/money.h>
#include <oms/diag.h>

#include "internal.h"

#define GRAMS_PER_LB_X100000 45359237	/* 453.59237 g, the pound's definition */
#define FIELD_MAX 256			/* longest value kept from a carrier's file */
#define XML_DEPTH_MAX 64		/* WorldShip's documents nest 5 deep */

int
oms_carrier_format_parse(const char *name, enum oms_carrier_format *f)
{
	static const struct {
		const char *name;
		enum oms_carrier_format f;
	} formats[] = {
		{ "worldship", OMS_CARRIER_WORLDSHIP }, { "fedex", OMS_CARRIER_FEDEX },
		{ "endicia", OMS_CARRIER_ENDICIA }, { "csv", OMS_CARRIER_CSV },
	};
	size_t i;

	for (i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (strcmp(name, formats[i].name) == 0) {
			*f = formats[i].f;
			return 0;
		}
	return -1;
}

static const char *
blank(const char *s)
{
	return s != NULL ? s : "";
}

/*
 * line_char says what a byte of one-line text becomes: itself (1), a blank
 * for a line break or tab (2), or nothing for another control character
 * (0).  *skip is set to the bytes it takes (a C1 control is two in UTF-8).
 */
static int
line_char(const char *s, size_t *skip)
{
	unsigned char c = (unsigned char)*s;

	*skip = 1;
	if (c == '\t' || c == '\n' || c == '\r')
		return 2;
	if (c < 0x20 || c == 0x7f)
		return 0;
	if (c == 0xc2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9f) {
		*skip = 2;
		return 0;
	}
	return 1;
}

/* one_line copies s as one line of text (a CRLF is one blank); NULL when out of memory. */
static char *
one_line(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	size_t skip;
	int k, was_break = 0;

	if (out == NULL)
		return NULL;
	for (; *s != '\0'; s += skip) {
		k = line_char(s, &skip);
		if (k == 1)
			*o++ = *s;
		else if (k == 2 && !was_break)
			*o++ = ' ';
		was_break = k == 2;
	}
	*o = '\0';
	return out;
}

/* xml_text writes s as one line of XML character data, the markup characters escaped. */
static void
xml_text(FILE *out, const char *s)
{
	size_t skip;
	int k, was_break = 0;

	for (; *s != '\0'; s += skip) {
		k = line_char(s, &skip);
		if (k == 2 && !was_break)
			fputc(' ', out);
		was_break = k == 2;
		if (k != 1)
			continue;
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

static void
xml_elem(FILE *out, int indent, const char *name, const char *value)
{
	fprintf(out, "%*s<%s>", indent, "", name);
	xml_text(out, blank(value));
	fprintf(out, "</%s>\n", name);
}

/*
 * per_lb_scaled converts grams to a unit of 1/m pound (m = 10 for tenths of
 * a pound, 160 for tenths of an ounce), rounded up or to the nearest.
 * Exact: g * m * 100000 / 45359237, split so that nothing overflows.
 */
static int64_t
per_lb_scaled(int64_t g, int64_t m, int up)
{
	const int64_t n = GRAMS_PER_LB_X100000;
	int64_t q, r;

	if (g <= 0)
		return 0;
	m *= 100000;
	q = g / n;
	r = g % n;
	return q * m + (r * m + (up ? n - 1 : n / 2)) / n;
}

/* A weight in tenths, rounded up (a carrier bills by the weight begun), at least 0.1. */
static char *
tenths_up(char *buf, size_t len, int64_t g, int64_t m)
{
	int64_t t = per_lb_scaled(g, m, 1);

	if (t < 1)
		t = 1;
	snprintf(buf, len, "%lld.%lld", (long long)(t / 10), (long long)(t % 10));
	return buf;
}

/* norm_service lowercases s and keeps only its letters and digits, for matching. */
static void
norm_service(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	for (; *s != '\0' && n + 1 < len; s++)
		if (isalnum((unsigned char)*s))
			buf[n++] = (char)tolower((unsigned char)*s);
	buf[n] = '\0';
}

struct service_word {
	const char *ours;	/* normalized: lower case, letters and digits only */
	const char *theirs;
};

/*
 * map_service finds a ship method's word in the carrier's vocabulary; one it
 * does not know goes through as written for the operator to see.  A
 * leading carrier name ("UPS Ground") is ignored.
 */
static const char *
map_service(const char *service, const struct service_word *w, size_t nw)
{
	char norm[64];
	const char *p = norm;
	size_t i;

	if (service == NULL)
		return "";
	norm_service(service, norm, sizeof norm);
	if (strncmp(p, "ups", 3) == 0)
		p += 3;
	else if (strncmp(p, "usps", 4) == 0)
		p += 4;
	for (i = 0; i < nw; i++)
		if (strcmp(p, w[i].ours) == 0)
			return w[i].theirs;
	return service;
}

/* WorldShip's ServiceType codes (OpenShipments.xdr), for the names a ship method may have. */
static const struct service_word worldship_services[] = {
	{ "ground", "GND" }, { "gnd", "GND" },
	{ "nextdayair", "1DA" }, { "nextday", "1DA" }, { "overnight", "1DA" }, { "1da", "1DA" },
	{ "nextdayairsaver", "1DP" }, { "1dp", "1DP" },
	{ "nextdayairearly", "1DM" }, { "nextdayairearlyam", "1DM" }, { "1dm", "1DM" },
	{ "2nddayair", "2DA" }, { "seconddayair", "2DA" }, { "2day", "2DA" },
	{ "twoday", "2DA" }, { "2da", "2DA" },
	{ "2nddayairam", "2DM" }, { "2dm", "2DM" },
	{ "3dayselect", "3DS" }, { "3day", "3DS" }, { "threeday", "3DS" }, { "3ds", "3DS" },
	{ "worldwideexpress", "ES" }, { "worldwideexpressplus", "EP" },
	{ "worldwideexpedited", "EX" }, { "worldwidesaver", "SV" }, { "expresssaver", "SV" },
	{ "surepost", "USG" },
};

/* DAZzle's MailClass words. */
static const struct service_word dazzle_classes[] = {
	{ "priority", "PRIORITY" }, { "prioritymail", "PRIORITY" },
	{ "priorityexpress", "EXPRESS" }, { "prioritymailexpress", "EXPRESS" },
	{ "express", "EXPRESS" }, { "expressmail", "EXPRESS" },
	{ "first", "FIRST" }, { "firstclass", "FIRST" }, { "firstclassmail", "FIRST" },
	{ "firstclasspackage", "FIRST" },
	{ "parcelselect", "PARCELSELECT" }, { "parcelpost", "PARCELPOST" },
	{ "media", "MEDIAMAIL" }, { "mediamail", "MEDIAMAIL" }, { "librarymail", "LIBRARYMAIL" },
};

#define NWORDS(a) (sizeof (a) / sizeof (a)[0])

static void
worldship_party(FILE *out, const char *elem, const struct oms_ship_address *a)
{
	const char *company = blank(a->company);

	fprintf(out, "    <%s>\n", elem);
	/* WorldShip requires CompanyOrName: a person's name when there is no company. */
	xml_elem(out, 6, "CompanyOrName", *company != '\0' ? company : a->name);
	xml_elem(out, 6, "Attention", a->name);
	xml_elem(out, 6, "Address1", a->line1);
	xml_elem(out, 6, "Address2", a->line2);
	xml_elem(out, 6, "CountryTerritory", a->country);
	xml_elem(out, 6, "PostalCode", a->postal_code);
	xml_elem(out, 6, "CityOrTown", a->city);
	xml_elem(out, 6, "StateProvinceCounty", a->region);
	xml_elem(out, 6, "Telephone", a->phone);
	xml_elem(out, 6, "EmailAddress", a->email);
	fprintf(out, "    </%s>\n", elem);
}

/*
 * One OpenShipment per package, billed to the shipper (PP), in the
 * customer's packaging (CP), its weight in pounds (WorldShip's default unit
 * in the US) with the one decimal it takes; Reference1 is the order ID,
 * which comes back with the tracking number.
 */
static void
export_worldship(FILE *out, const struct oms_ship_address *from, const struct oms_carrier_pkg *p,
    size_t n)
{
	char id[24], w[32];
	size_t i;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<OpenShipments xmlns=\"x-schema:OpenShipments.xdr\">\n", out);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%lld", (long long)p[i].order_id);
		tenths_up(w, sizeof w, p[i].weight_g, 10);
		fputs("  <OpenShipment ShipmentOption=\"\" ProcessStatus=\"\">\n", out);
		worldship_party(out, "ShipTo", &p[i].to);
		worldship_party(out, "ShipFrom", from);
		fputs("    <ShipmentInformation>\n", out);
		xml_elem(out, 6, "ServiceType", map_service(p[i].service, worldship_services,
		    NWORDS(worldship_services)));
		xml_elem(out, 6, "PackageType", "CP");
		xml_elem(out, 6, "NumberOfPackages", "1");
		xml_elem(out, 6, "ShipmentActualWeight", w);
		xml_elem(out, 6, "DescriptionOfGoods", "Merchandise");
		xml_elem(out, 6, "BillingOption", "PP");
		fputs("    </ShipmentInformation>\n", out);
		fputs("    <Package>\n", out);
		xml_elem(out, 6, "PackageType", "CP");
		xml_elem(out, 6, "Weight", w);
		xml_elem(out, 6, "Reference1", id);
		xml_elem(out, 6, "Reference2", p[i].external_id);
		fputs("    </Package>\n", out);
		fputs("  </OpenShipment>\n", out);
	}
	fputs("</OpenShipments>\n", out);
}

/*
 * FedEx Ship Manager Software imports a CSV through an import map the user
 * defines once (Integration, Define Import), binding each column to a
 * FedEx field.  Ours, in this order, and the fields to bind them to:
 *
 *   Recipient Name         Recipient contact name
 *   Recipient Company      Recipient company
 *   Recipient Address 1    Recipient address line 1
 *   Recipient Address 2    Recipient address line 2
 *   Recipient City         Recipient city
 *   Recipient State        Recipient state/province code
 *   Recipient Postal Code  Recipient postal code
 *   Recipient Country      Recipient country code
 *   Recipient Phone        Recipient phone number
 *   Recipient Email        Recipient email (for ship alerts)
 *   Service Type           Service type (the order's ship method as written;
 *                          the map's value table translates it)
 *   Package Weight         Package weight, pounds, one decimal, rounded up;
 *                          blank when unknown, for the operator to weigh
 *   Customer Reference     Customer reference: the order ID, returned with
 *                          the tracking number in FedEx's export
 *   PO Number              P.O. number: the source's order number
 *
 * Rows end in CRLF (RFC 4180); text cells that a spreadsheet would run as
 * a formula are quoted with an apostrophe, as every oms CSV is
 * (oms_csv_cell).
 */
static int
export_fedex(FILE *out, const struct oms_carrier_pkg *p, size_t n)
{
	char id[24], w[32], *line;
	const char *cells[14];
	size_t i, j;

	fputs("Recipient Name,Recipient Company,Recipient Address 1,Recipient Address 2,"
	    "Recipient City,Recipient State,Recipient Postal Code,Recipient Country,"
	    "Recipient Phone,Recipient Email,Service Type,Package Weight,Customer Reference,"
	    "PO Number\r\n", out);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%lld", (long long)p[i].order_id);
		if (p[i].weight_g > 0)
			tenths_up(w, sizeof w, p[i].weight_g, 10);
		else
			w[0] = '\0';
		cells[0] = p[i].to.name;
		cells[1] = p[i].to.company;
		cells[2] = p[i].to.line1;
		cells[3] = p[i].to.line2;
		cells[4] = p[i].to.city;
		cells[5] = p[i].to.region;
		cells[6] = p[i].to.postal_code;
		cells[7] = p[i].to.country;
		cells[8] = p[i].to.phone;
		cells[9] = p[i].to.email;
		cells[10] = p[i].service;
		cells[11] = w;
		cells[12] = id;
		cells[13] = p[i].external_id;
		for (j = 0; j < 14; j++) {
			if (j > 0)
				fputc(',', out);
			if ((line = one_line(blank(cells[j]))) == NULL) {
				errno = ENOMEM;
				return -1;
			}
			/* The weight and the ID are numbers we wrote: no formula to fear. */
			oms_csv_cell(out, line, j != 11 && j != 12);
			free(line);
		}
		fputs("\r\n", out);
	}
	return 0;
}

/*
 * Endicia's DAZzle reads a DAZzle document: one Package per order, its ID
 * and ReferenceID the order ID, the weight in ounces with one decimal,
 * rounded up.  Prompt="YES" has DAZzle show each label before it buys the
 * postage.
 */
static void
export_endicia(FILE *out, const struct oms_ship_address *from, const struct oms_carrier_pkg *p,
    size_t n)
{
	char id[24], w[32], value[OMS_MONEY_MAX];
	size_t i;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DAZzle Prompt=\"YES\">\n", out);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%lld", (long long)p[i].order_id);
		fprintf(out, "  <Package ID=\"%s\">\n", id);
		xml_elem(out, 4, "MailClass", map_service(p[i].service, dazzle_classes,
		    NWORDS(dazzle_classes)));
		if (p[i].weight_g > 0)
			xml_elem(out, 4, "WeightOz", tenths_up(w, sizeof w, p[i].weight_g, 160));
		if (p[i].value > 0 && oms_currency_digits(p[i].currency) >= 0)
			xml_elem(out, 4, "Value", oms_money_format(value, p[i].value,
			    p[i].currency));
		xml_elem(out, 4, "Description", "Merchandise");
		xml_elem(out, 4, "ReferenceID", id);
		xml_elem(out, 4, "ToName", p[i].to.name);
		xml_elem(out, 4, "ToCompany", p[i].to.company);
		xml_elem(out, 4, "ToAddress1", p[i].to.line1);
		xml_elem(out, 4, "ToAddress2", p[i].to.line2);
		xml_elem(out, 4, "ToCity", p[i].to.city);
		xml_elem(out, 4, "ToState", p[i].to.region);
		xml_elem(out, 4, "ToPostalCode", p[i].to.postal_code);
		xml_elem(out, 4, "ToCountry", p[i].to.country);
		xml_elem(out, 4, "ToPhone", p[i].to.phone);
		xml_elem(out, 4, "ToEMail", p[i].to.email);
		xml_elem(out, 4, "FromName", from->name);
		xml_elem(out, 4, "FromCompany", from->company);
		xml_elem(out, 4, "ReturnAddress1", from->line1);
		xml_elem(out, 4, "ReturnAddress2", from->line2);
		xml_elem(out, 4, "FromCity", from->city);
		xml_elem(out, 4, "FromState", from->region);
		xml_elem(out, 4, "FromPostalCode", from->postal_code);
		xml_elem(out, 4, "FromCountry", from->country);
		xml_elem(out, 4, "FromPhone", from->phone);
		xml_elem(out, 4, "FromEMail", from->email);
		fputs("  </Package>\n", out);
	}
	fputs("</DAZzle>\n", out);
}

/*
 * carrier_of names the carrier a ship method names first ("UPS Ground"),
 * or "" for a person to fill in.
 */
static const char *
carrier_of(const char *service)
{
	static const char *const names[] = { "ups", "fedex", "usps" };
	size_t i, len;

	for (i = 0; service != NULL && i < NWORDS(names); i++) {
		len = strlen(names[i]);
		if (strncasecmp(service, names[i], len) == 0 &&
		    (service[len] == '\0' || !isalnum((unsigned char)service[len])))
			return names[i];
	}
	return "";
}

/*
 * oms's sheet: a row per package with the tracking number and cost left
 * for a person; the weight in pounds to the hundredth with its unit
 * ("2.50lb"), which oms_weight_parse reads back, blank when unknown.
 */
static void
export_csv(FILE *out, const struct oms_carrier_pkg *p, size_t n)
{
	int64_t h;
	size_t i;

	fputs("order_id,carrier,service,tracking,weight,cost\n", out);
	for (i = 0; i < n; i++) {
		fprintf(out, "%lld,%s,", (long long)p[i].order_id, carrier_of(p[i].service));
		oms_csv_cell(out, blank(p[i].service), 1);
		fputs(",,", out);
		if (p[i].weight_g > 0) {
			h = per_lb_scaled(p[i].weight_g, 100, 0);
			fprintf(out, "%lld.%02lldlb", (long long)(h / 100), (long long)(h % 100));
		}
		fputs(",\n", out);
	}
}

int
oms_carrier_export(FILE *out, enum oms_carrier_format f, const struct oms_ship_address *from,
    const struct oms_carrier_pkg *p, size_t n)
{
	static const struct oms_ship_address nowhere;

	if (from == NULL)
		from = &nowhere;
	switch (f) {
	case OMS_CARRIER_WORLDSHIP:
		export_worldship(out, from, p, n);
		break;
	case OMS_CARRIER_FEDEX:
		if (export_fedex(out, p, n) != 0)
			return -1;
		break;
	case OMS_CARRIER_ENDICIA:
		export_endicia(out, from, p, n);
		break;
	case OMS_CARRIER_CSV:
		export_csv(out, p, n);
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if (fflush(out) != 0 || ferror(out))
		return -1;
	return 0;
}

/* Reading back. */

struct reader {
	const char *name;
	int (*fn)(void *, const struct oms_tracking_row *);
	void *arg;
	int skipped;	/* a row was reported and skipped */
	int stopped;	/* fn returned -1 */
};

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/*
 * deliver checks one shipment's fields and passes them to fn: an order
 * reference and a tracking number are required; a weight must be one
 * (a bare number is pounds and gets its unit); a cost must be a plain
 * decimal amount (a leading $ is dropped).  Fields are trimmed in place.
 */
static void
deliver(struct reader *rd, size_t line, char *order, const char *carrier, char *service,
    char *tracking, int packages, char *weight, char *cost)
{
	struct oms_tracking_row r;
	char where[512], sh[48], wbuf[64];
	int64_t v;
	int rc;

	snprintf(where, sizeof where, "%s:%zu", rd->name, line);
	order = trim(order);
	tracking = trim(tracking);
	weight = trim(weight);
	cost = trim(cost);
	if (*order == '\0') {
		oms_warnx("%s: no order reference", where);
		goto skip;
	}
	if (*tracking == '\0') {
		oms_warnx("%s: order %s has no tracking number", where, omsi_shown(order, sh, 41));
		goto skip;
	}
	if (*weight != '\0') {
		/* Room for the unit a bare number gets; no real weight is near as long. */
		if (strlen(weight) + 3 > sizeof wbuf || oms_weight_parse(weight, "lb", &v) != 0) {
			oms_warnx("%s: weight \"%s\" is not a weight (2.5, 2.5lb, 40oz, 1.2kg, 500g)",
			    where, omsi_shown(weight, sh, 41));
			goto skip;
		}
		if (weight[strspn(weight, "0123456789.")] == '\0') {
			snprintf(wbuf, sizeof wbuf, "%slb", weight);
			weight = wbuf;
		}
	}
	if (*cost == '$')
		cost = trim(cost + 1);
	if (*cost != '\0' && (oms_decimal_parse(cost, 4, &v) != 0 || v < 0)) {
		oms_warnx("%s: cost \"%s\" is not an amount", where, omsi_shown(cost, sh, 41));
		goto skip;
	}
	r.where = where;
	r.order = order;
	r.carrier = carrier;
	r.service = trim(service);
	r.tracking = tracking;
	r.packages = packages > 0 ? packages : 1;
	r.weight = weight;
	r.cost = cost;
	if ((rc = rd->fn(rd->arg, &r)) < 0)
		rd->stopped = 1;
	else if (rc > 0)
		rd->skipped = 1;
	return;
skip:
	rd->skipped = 1;
}

enum { C_ORDER, C_CARRIER, C_SERVICE, C_TRACKING, C_WEIGHT, C_COST, NCOLS };

/* A column's names in a header, normalized (lower case, letters and digits only). */
struct column_names {
	int col;
	const char *names[8];
};

/* oms's own sheet: exactly its names, any case. */
static const struct column_names own_columns[] = {
	{ C_ORDER, { "orderid" } }, { C_CARRIER, { "carrier" } }, { C_SERVICE, { "service" } },
	{ C_TRACKING, { "tracking" } }, { C_WEIGHT, { "weight" } }, { C_COST, { "cost" } },
};

/*
 * FedEx Ship Manager's export has the columns its export map gives it; the
 * names below are the ones its templates and reports use, matched in any
 * case and ignoring blanks and punctuation ("Tracking #" is "tracking").
 */
static const struct column_names fedex_columns[] = {
	{ C_ORDER, { "customerreference", "reference", "reference1", "order", "orderid",
	    "ordernumber" } },
	{ C_TRACKING, { "trackingnumber", "tracking", "trackingno", "trackingid" } },
	{ C_SERVICE, { "servicetype", "service" } },
	{ C_WEIGHT, { "packageweight", "weight", "shipmentweight", "totalweight" } },
	{ C_COST, { "netcharge", "totalnetcharge", "shipmentnetcharge", "totalcharge",
	    "totalcharges" } },
};

static int
header_column(const char *field, const struct column_names *cn, size_t ncn)
{
	char norm[64];
	size_t i, j;

	if (strlen(field) >= sizeof norm)
		return -1;
	norm_service(field, norm, sizeof norm);
	for (i = 0; i < ncn; i++)
		for (j = 0; j < NWORDS(cn[i].names) && cn[i].names[j] != NULL; j++)
			if (strcmp(norm, cn[i].names[j]) == 0)
				return cn[i].col;
	return -1;
}

/* The carrier as written, or its usual name when it is one we know. */
static const char *
carrier_name(const char *s)
{
	static const char *const known[] = { "ups", "fedex", "usps" };
	size_t i;

	for (i = 0; i < NWORDS(known); i++)
		if (strcasecmp(s, known[i]) == 0)
			return known[i];
	return s;
}

static int
read_csv(FILE *in, struct reader *rd, enum oms_carrier_format f)
{
	const struct column_names *cn = f == OMS_CARRIER_FEDEX ? fedex_columns : own_columns;
	size_t ncn = f == OMS_CARRIER_FEDEX ? NWORDS(fedex_columns) : NWORDS(own_columns);
	const char *expected = f == OMS_CARRIER_FEDEX ?
	    "a reference and a tracking number column" :
	    "order_id,carrier,service,tracking,weight,cost";
	struct oms_csv *c;
	char **fld, err[512], empty[NCOLS][1];
	char *v[NCOLS];
	size_t nf, line, i;
	int col[NCOLS], j, k, rc;

	if ((c = oms_csv_open(in, rd->name, ',')) == NULL)
		return -1;
	if ((rc = oms_csv_row(c, &fld, &nf, &line, err, sizeof err)) <= 0) {
		if (rc == 0)
			oms_warnx("%s: empty file: expected a header (%s)", rd->name, expected);
		else
			oms_warnx("%s", err);
		oms_csv_close(c);
		return -1;
	}
	for (j = 0; j < NCOLS; j++)
		col[j] = -1;
	for (i = 0; i < nf; i++)
		if ((k = header_column(fld[i], cn, ncn)) >= 0 && col[k] < 0)
			col[k] = (int)i;
	if (col[C_ORDER] < 0 || col[C_TRACKING] < 0) {
		oms_warnx("%s:%zu: no %s column (expected %s)", rd->name, line,
		    col[C_ORDER] < 0 ? (f == OMS_CARRIER_FEDEX ? "reference" : "order_id") :
		    (f == OMS_CARRIER_FEDEX ? "tracking number" : "tracking"), expected);
		oms_csv_close(c);
		return -1;
	}
	while (!rd->stopped && (rc = oms_csv_row(c, &fld, &nf, &line, err, sizeof err)) > 0) {
		for (j = 0; j < NCOLS; j++) {
			empty[j][0] = '\0';
			v[j] = col[j] >= 0 && (size_t)col[j] < nf ? fld[col[j]] : empty[j];
		}
		deliver(rd, line, v[C_ORDER], f == OMS_CARRIER_FEDEX ? "fedex" :
		    carrier_name(trim(v[C_CARRIER])), v[C_SERVICE], v[C_TRACKING], 1,
		    v[C_WEIGHT], v[C_COST]);
	}
	oms_csv_close(c);
	if (rc < 0) {
		oms_warnx("%s", err);
		return -1;
	}
	return 0;
}

/*
 * WorldShip's output after an XML auto-import is the OpenShipments document
 * again, each OpenShipment with ProcessStatus="Processed" (or why not, in
 * ProcessMessage/Error/ErrorDescription) and a ProcessMessage holding the
 * TrackingNumbers (one TrackingNumber per package) and ShipmentRates.
 * Read from each OpenShipment:
 *
 *   order     Package/Reference1 (the first package's), else
 *             ShipmentInformation/Reference1
 *   tracking  ProcessMessage/TrackingNumbers/TrackingNumber: the first, and
 *             how many there are
 *   service   ShipmentInformation/ServiceType
 *   weight    ShipmentInformation/ShipmentActualWeight, else the first
 *             Package/Weight; pounds when it has no unit
 *   cost      ProcessMessage/ShipmentRates/ShipmentCharges/Rate/Negotiated
 *             (what the account pays), else .../Rate/Published
 *
 * A shipment not Processed is reported and skipped.  The document may be
 * in UTF-8, ISO-8859-1 or windows-1252 (which WorldShip writes); one with
 * a DOCTYPE is refused (WorldShip writes none, and entities are how XML
 * attacks its reader).
 */

enum ws_field {
	WS_PKG_REF, WS_INFO_REF, WS_SERVICE, WS_WEIGHT, WS_PKG_WEIGHT, WS_TRACKING,
	WS_NEGOTIATED, WS_PUBLISHED, WS_ERROR, WS_NFIELDS
};

static const char *const ws_paths[WS_NFIELDS] = {
	"Package/Reference1",
	"ShipmentInformation/Reference1",
	"ShipmentInformation/ServiceType",
	"ShipmentInformation/ShipmentActualWeight",
	"Package/Weight",
	"ProcessMessage/TrackingNumbers/TrackingNumber",
	"ProcessMessage/ShipmentRates/ShipmentCharges/Rate/Negotiated",
	"ProcessMessage/ShipmentRates/ShipmentCharges/Rate/Published",
	"ProcessMessage/Error/ErrorDescription",
};

#define WS_PREFIX "OpenShipments/OpenShipment/"

struct ws {
	XML_Parser p;
	struct reader *rd;
	int failed;			/* reported; the parser was stopped */
	int depth;
	size_t lens[XML_DEPTH_MAX];	/* path's length before each open element */
	char over[XML_DEPTH_MAX];	/* the element's name did not fit in path */
	char path[1024];		/* open elements' names from the root, '/' between */
	char text[FIELD_MAX + 1];	/* the element's character data so far */
	size_t ntext;
	int text_long;
	/* The OpenShipment being read. */
	int in_ship;
	size_t line;
	char status[64];
	char f[WS_NFIELDS][FIELD_MAX + 1];
	int have[WS_NFIELDS];
	int ntracking, npackages;
	const char *too_long;		/* the first kept element over FIELD_MAX */
};

static void
ws_fail(struct ws *w, const char *fmt, const char *arg)
{
	char msg[512];

	snprintf(msg, sizeof msg, fmt, arg);
	oms_warnx("%s:%lu: %s", w->rd->name, (unsigned long)XML_GetCurrentLineNumber(w->p), msg);
	w->failed = 1;
	XML_StopParser(w->p, XML_FALSE);
}

/* local_name drops a namespace prefix ("x:OpenShipment"). */
static const char *
local_name(const char *name)
{
	const char *c = strchr(name, ':');

	return c != NULL ? c + 1 : name;
}

static void XMLCALL
ws_start(void *data, const XML_Char *qname, const XML_Char **attrs)
{
	struct ws *w = data;
	const char *name = local_name(qname);
	size_t len = strlen(w->path), i;
	char sh[48];

	if (w->failed)
		return;
	if (w->depth == 0 && strcmp(name, "OpenShipments") != 0) {
		ws_fail(w, "not a WorldShip document (its root is <%s>, not <OpenShipments>)",
		    omsi_shown(name, sh, 41));
		return;
	}
	if (w->depth == XML_DEPTH_MAX) {
		ws_fail(w, "%s", "elements nested too deep");
		return;
	}
	w->lens[w->depth] = len;
	/* Below an element whose name did not fit, no path is one we read. */
	w->over[w->depth] = (w->depth > 0 && w->over[w->depth - 1]) ||
	    len + 1 + strlen(name) >= sizeof w->path;
	if (!w->over[w->depth])
		snprintf(w->path + len, sizeof w->path - len, "%s%s", len ? "/" : "", name);
	w->depth++;
	w->ntext = 0;
	w->text_long = 0;
	if (w->over[w->depth - 1])
		return;
	if (strcmp(w->path, "OpenShipments/OpenShipment") == 0) {
		memset(w->f, 0, sizeof w->f);
		memset(w->have, 0, sizeof w->have);
		w->in_ship = 1;
		w->line = (size_t)XML_GetCurrentLineNumber(w->p);
		w->status[0] = '\0';
		w->ntracking = w->npackages = 0;
		w->too_long = NULL;
		for (i = 0; attrs[i] != NULL; i += 2)
			if (strcmp(local_name(attrs[i]), "ProcessStatus") == 0)
				snprintf(w->status, sizeof w->status, "%s", attrs[i + 1]);
	} else if (w->in_ship && strcmp(w->path, WS_PREFIX "Package") == 0) {
		w->npackages++;
	}
}

static void XMLCALL
ws_chars(void *data, const XML_Char *s, int len)
{
	struct ws *w = data;
	size_t n = (size_t)len;

	if (!w->in_ship || w->failed)
		return;
	if (w->ntext + n > FIELD_MAX) {
		n = FIELD_MAX - w->ntext;
		w->text_long = 1;
	}
	memcpy(w->text + w->ntext, s, n);
	w->ntext += n;
}

/* ws_shipment hands the OpenShipment just read to deliver. */
static void
ws_shipment(struct ws *w)
{
	struct reader *rd = w->rd;
	char *order = w->have[WS_PKG_REF] ? w->f[WS_PKG_REF] : w->f[WS_INFO_REF];
	char *weight = w->have[WS_WEIGHT] ? w->f[WS_WEIGHT] : w->f[WS_PKG_WEIGHT];
	char *cost = *trim(w->f[WS_NEGOTIATED]) != '\0' ? w->f[WS_NEGOTIATED] :
	    w->f[WS_PUBLISHED];
	char sh[48], sh2[48], shown[128], err[160];
	const char *why;

	if (w->too_long != NULL) {
		oms_warnx("%s:%zu: <%s> is over %d characters", rd->name, w->line, w->too_long,
		    FIELD_MAX);
		rd->skipped = 1;
		return;
	}
	if (strcasecmp(w->status, "Processed") != 0) {
		why = trim(w->f[WS_ERROR]);
		snprintf(err, sizeof err, ": %s", omsi_shown(why, shown, sizeof shown));
		oms_warnx("%s:%zu: order %s was not shipped (ProcessStatus \"%s\"%s)", rd->name,
		    w->line, *trim(order) ? omsi_shown(trim(order), sh, 41) : "(no reference)",
		    omsi_shown(w->status, sh2, 41), *why != '\0' ? err : "");
		rd->skipped = 1;
		return;
	}
	deliver(rd, w->line, order, "ups", w->f[WS_SERVICE], w->f[WS_TRACKING],
	    w->ntracking, weight, cost);
	if (rd->stopped)
		XML_StopParser(w->p, XML_FALSE);
}

static void XMLCALL
ws_end(void *data, const XML_Char *qname)
{
	struct ws *w = data;
	const char *rel;
	int i;

	if (w->failed)
		return;
	if (w->over[--w->depth])
		goto done;
	if (w->in_ship && strncmp(w->path, WS_PREFIX, strlen(WS_PREFIX)) == 0) {
		rel = w->path + strlen(WS_PREFIX);
		for (i = 0; i < WS_NFIELDS; i++) {
			if (strcmp(rel, ws_paths[i]) != 0)
				continue;
			if (i == WS_TRACKING && w->ntracking++ > 0)
				break;
			if (i == WS_PKG_REF && w->npackages > 1)
				break;
			if (w->text_long && i != WS_ERROR && w->too_long == NULL)
				w->too_long = ws_paths[i];
			memcpy(w->f[i], w->text, w->ntext);
			w->f[i][w->ntext] = '\0';
			w->have[i] = 1;
			break;
		}
	}
	if (w->in_ship && strcmp(w->path, "OpenShipments/OpenShipment") == 0) {
		w->in_ship = 0;
		ws_shipment(w);
	}
	w->path[w->lens[w->depth]] = '\0';
done:
	w->ntext = 0;
	w->text_long = 0;
}

static void XMLCALL
ws_doctype(void *data, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
    int has_internal_subset)
{
	ws_fail(data, "%s", "a DOCTYPE, which WorldShip never writes, is refused");
}

/* windows-1252's 0x80..0x9f (-1: no character); the rest is ISO-8859-1. */
static const int cp1252_high[32] = {
	0x20ac, -1, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, -1, 0x017d, -1,
	-1, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, -1, 0x017e, 0x0178,
};

static int XMLCALL
ws_encoding(void *data, const XML_Char *name, XML_Encoding *info)
{
	int i;

	if (strcasecmp(name, "windows-1252") != 0 && strcasecmp(name, "cp1252") != 0)
		return XML_STATUS_ERROR;
	for (i = 0; i < 256; i++)
		info->map[i] = i >= 0x80 && i < 0xa0 ? cp1252_high[i - 0x80] : i;
	info->data = NULL;
	info->convert = NULL;
	info->release = NULL;
	return XML_STATUS_OK;
}

static int
read_worldship(FILE *in, struct reader *rd)
{
	struct ws *w = omsi_calloc(1, sizeof *w);
	char buf[8192];
	size_t n, total = 0;
	int done = 0, rc = 0;

	if (w == NULL)
		return -1;
	if ((w->p = XML_ParserCreate(NULL)) == NULL) {
		oms_warnx("out of memory");
		free(w);
		return -1;
	}
	w->rd = rd;
	XML_SetUserData(w->p, w);
	XML_SetElementHandler(w->p, ws_start, ws_end);
	XML_SetCharacterDataHandler(w->p, ws_chars);
	XML_SetStartDoctypeDeclHandler(w->p, ws_doctype);
	XML_SetUnknownEncodingHandler(w->p, ws_encoding, NULL);
	while (!done) {
		n = fread(buf, 1, sizeof buf, in);
		if (ferror(in)) {
			oms_warnx("%s: %s", rd->name, strerror(errno));
			rc = -1;
			break;
		}
		done = feof(in);
		total += n;
		if (done && total == 0) {
			oms_warnx("%s: empty file: expected a WorldShip <OpenShipments> document",
			    rd->name);
			rc = -1;
			break;
		}
		if (XML_Parse(w->p, buf, (int)n, done) == XML_STATUS_ERROR) {
			if (w->failed || rd->stopped)
				;
			else if (XML_GetErrorCode(w->p) == XML_ERROR_UNKNOWN_ENCODING)
				oms_warnx("%s:%lu: an encoding oms does not read (UTF-8, UTF-16, "
				    "ISO-8859-1, US-ASCII or windows-1252)", rd->name,
				    (unsigned long)XML_GetCurrentLineNumber(w->p));
			else
				oms_warnx("%s:%lu: not well-formed XML: %s", rd->name,
				    (unsigned long)XML_GetCurrentLineNumber(w->p),
				    XML_ErrorString(XML_GetErrorCode(w->p)));
			rc = -1;
			break;
		}
	}
	XML_ParserFree(w->p);
	free(w);
	return rc;
}

int
oms_carrier_read(FILE *in, const char *name, enum oms_carrier_format f,
    int (*fn)(void *arg, const struct oms_tracking_row *r), void *arg)
{
	struct reader rd = { name, fn, arg, 0, 0 };
	int rc;

	switch (f) {
	case OMS_CARRIER_WORLDSHIP:
		rc = read_worldship(in, &rd);
		break;
	case OMS_CARRIER_FEDEX:
	case OMS_CARRIER_CSV:
		rc = read_csv(in, &rd, f);
		break;
	default:
		oms_warnx("%s: Endicia's files are not read back: use its CSV export as csv", name);
		return -1;
	}
	if (rc < 0 || rd.stopped)
		return -1;
	return rd.skipped ? 1 : 0;
}
