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
 * dropped; and in ASCII for the carriers' software.  Services go out as
 * each carrier's code, from the one table below (services[]), by oms's
 * names, which ship.methods in oms.yaml maps the carts' words to; weights,
 * summed exactly in picograms by the caller, are rounded here, once.
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
#include <oms/node.h>

#include "internal.h"

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

#define NWORDS(a) (sizeof (a) / sizeof (a)[0])

/* Where a service goes: within the country it leaves from, abroad, or both. */
enum { HOME = 1, ABROAD = 2, BOTH = 3 };

/*
 * Every carrier service oms knows, by oms's name for it (what ship.methods
 * in oms.yaml names), with the code its carrier's file gives it:
 *
 *   ups    WorldShip's ServiceType, as OpenShipments.xdr lists them
 *   fedex  Ship Manager's service type codes (01 is Priority Overnight at
 *          home and International Priority abroad, 03 2Day and
 *          International Economy, 06 First Overnight and International
 *          First: FedEx tells them apart by the destination)
 *   usps   DAZzle's MailClass; a domestic class abroad is the
 *          international class of the same name (abroad), where there is
 *          one
 */
static const struct service {
	const char *carrier, *name, *code;
	int where;
	const char *abroad;
} services[] = {
	{ "ups", "ground", "GND", HOME, NULL },
	{ "ups", "3day", "3DS", HOME, NULL },
	{ "ups", "2day", "2DA", HOME, NULL },
	{ "ups", "2day_am", "2DM", HOME, NULL },
	{ "ups", "nextday", "1DA", HOME, NULL },
	{ "ups", "nextday_saver", "1DP", HOME, NULL },
	{ "ups", "nextday_early", "1DM", HOME, NULL },
	{ "ups", "surepost", "USG", HOME, NULL },
	{ "ups", "standard", "ST", ABROAD, NULL },
	{ "ups", "worldwide_expedited", "EX", ABROAD, NULL },
	{ "ups", "worldwide_express", "ES", ABROAD, NULL },
	{ "ups", "worldwide_express_plus", "EP", ABROAD, NULL },
	{ "ups", "worldwide_saver", "SV", ABROAD, NULL },
	{ "fedex", "ground", "92", BOTH, NULL },
	{ "fedex", "home_delivery", "90", HOME, NULL },
	{ "fedex", "express_saver", "20", HOME, NULL },
	{ "fedex", "2day", "03", HOME, NULL },
	{ "fedex", "2day_am", "49", HOME, NULL },
	{ "fedex", "standard_overnight", "05", HOME, NULL },
	{ "fedex", "priority_overnight", "01", HOME, NULL },
	{ "fedex", "first_overnight", "06", HOME, NULL },
	{ "fedex", "international_economy", "03", ABROAD, NULL },
	{ "fedex", "international_priority", "01", ABROAD, NULL },
	{ "fedex", "international_first", "06", ABROAD, NULL },
	{ "usps", "first", "FIRST", HOME, "INTLFIRST" },
	{ "usps", "priority", "PRIORITY", HOME, "INTLPRIORITY" },
	{ "usps", "priority_express", "EXPRESS", HOME, "INTLEXPRESS" },
	{ "usps", "parcel_select", "PARCELSELECT", HOME, NULL },
	{ "usps", "media", "MEDIAMAIL", HOME, NULL },
	{ "usps", "library", "LIBRARYMAIL", HOME, NULL },
	{ "usps", "first_international", "INTLFIRST", ABROAD, NULL },
	{ "usps", "priority_international", "INTLPRIORITY", ABROAD, NULL },
	{ "usps", "priority_express_international", "INTLEXPRESS", ABROAD, NULL },
};

static const char *const carriers[] = { "ups", "fedex", "usps" };

const char *
oms_carrier_format_carrier(enum oms_carrier_format f)
{
	switch (f) {
	case OMS_CARRIER_WORLDSHIP:
		return "ups";
	case OMS_CARRIER_FEDEX:
		return "fedex";
	case OMS_CARRIER_ENDICIA:
		return "usps";
	default:
		return NULL;
	}
}

int
oms_carrier_ascii(enum oms_carrier_format f)
{
	return f != OMS_CARRIER_CSV;
}

/* service_names writes carrier's service names into buf, ", " between. */
static void
service_names(const char *carrier, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < NWORDS(services) && n < len; i++)
		if (strcmp(services[i].carrier, carrier) == 0)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n > 0 ? ", " : "",
			    services[i].name);
}

static const struct service *
find_service(const char *carrier, const char *name)
{
	size_t i;

	for (i = 0; i < NWORDS(services); i++)
		if (strcmp(services[i].carrier, carrier) == 0 && strcmp(services[i].name, name) == 0)
			return &services[i];
	return NULL;
}

const char *
oms_carrier_service_code(const char *carrier, const char *service, int abroad, char *why,
    size_t whylen)
{
	const struct service *s = find_service(carrier, service);

	if (s == NULL) {
		snprintf(why, whylen, "%s has no service %s", carrier, service);
		return NULL;
	}
	if (abroad && !(s->where & ABROAD)) {
		if (s->abroad != NULL)
			return s->abroad;
		snprintf(why, whylen, "%s %s does not go abroad", carrier, service);
		return NULL;
	}
	if (!abroad && !(s->where & HOME)) {
		snprintf(why, whylen, "%s %s is for packages going abroad", carrier, service);
		return NULL;
	}
	return s->code;
}

int
oms_carrier_service_check(const char *carrier, const char *service, char *why, size_t whylen)
{
	char names[512];

	service_names(carrier, names, sizeof names);
	if (names[0] == '\0' || find_service(carrier, service) != NULL)
		return 0;
	snprintf(why, whylen, "%s has no service \"%s\" (%s)", carrier, service, names);
	return -1;
}

const char *
oms_carrier_service_name(const char *carrier, const char *code)
{
	const char *name = NULL;
	size_t i;

	for (i = 0; i < NWORDS(services); i++) {
		if (strcmp(services[i].carrier, carrier) != 0 || strcmp(services[i].code, code) != 0)
			continue;
		/* FedEx's 01 is two services, told apart by where the package went. */
		if (name != NULL)
			return NULL;
		name = services[i].name;
	}
	return name;
}

int
omsi_ship_method_check(const struct oms_node *map, const struct oms_node **at, char *why,
    size_t whylen)
{
	const struct oms_node *match = oms_node_get(map, "match");
	const struct oms_node *carrier = oms_node_get(map, "carrier");
	const struct oms_node *service = oms_node_get(map, "service");
	char names[512];
	size_t i;

	*at = map;
	if (match == NULL || carrier == NULL || service == NULL) {
		snprintf(why, whylen, "each needs match, carrier and service (no %s)",
		    match == NULL ? "match" : carrier == NULL ? "carrier" : "service");
		return -1;
	}
	for (i = 0; i < NWORDS(carriers); i++)
		if (strcmp(carrier->value, carriers[i]) == 0)
			break;
	if (i == NWORDS(carriers)) {
		*at = carrier;
		snprintf(why, whylen, "carrier \"%.40s\" is not one oms writes files for (ups, "
		    "fedex, usps)", carrier->value);
		return -1;
	}
	if (find_service(carrier->value, service->value) == NULL) {
		*at = service;
		service_names(carrier->value, names, sizeof names);
		snprintf(why, whylen, "%s has no service \"%.40s\" (%s)", carrier->value,
		    service->value, names);
		return -1;
	}
	return 0;
}

/* next_char is the length of the UTF-8 character at s (1 for a stray byte). */
static size_t
next_char(const char *s)
{
	size_t n = 1;

	while (n < 4 && (s[n] & 0xc0) == 0x80)
		n++;
	return n;
}

/* glob matches s against a pattern of *, ? (one character) and letters in any case. */
static int
glob(const char *p, const char *s)
{
	const char *star = NULL, *back = NULL;

	while (*s != '\0') {
		if (*p == '*') {
			star = ++p;
			back = s;
		} else if (*p == '?') {
			p++;
			s += next_char(s);
		} else if (*p != '\0' && tolower((unsigned char)*p) == tolower((unsigned char)*s)) {
			p++;
			s++;
		} else if (star != NULL) {
			p = star;
			s = back += next_char(back);
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

const struct oms_node *
omsi_ship_method_find(const struct oms_node *methods, const char *method, const char **carrier,
    const char **service)
{
	const struct oms_node *m, *match;
	size_t i;

	if (methods == NULL || methods->kind != OMS_NODE_SEQ)
		return NULL;
	for (i = 0; i < methods->nkids; i++) {
		m = methods->kids[i];
		if ((match = oms_node_get(m, "match")) == NULL ||
		    !glob(match->value, method != NULL ? method : ""))
			continue;
		*carrier = oms_node_get(m, "carrier")->value;
		*service = oms_node_get(m, "service")->value;
		return m;
	}
	return NULL;
}

/*
 * Weights go out rounded once, here.  Picograms in the units of the
 * carriers' files: a tenth of a pound, of an ounce, a hundredth of a
 * pound, an ounce.
 */
#define PG_TENTH_LB INT64_C(45359237000000)
#define PG_TENTH_OZ INT64_C(2834952312500)
#define PG_HUNDREDTH_LB INT64_C(4535923700000)
#define PG_OZ INT64_C(28349523125000)

/* in_units gives pg in units of per, rounded up (a carrier bills by the weight begun) or to the nearest. */
static int64_t
in_units(int64_t pg, int64_t per, int up)
{
	if (pg <= 0)
		return 0;
	return pg / per + (up ? pg % per != 0 : pg % per >= per - per / 2);
}

/* A weight in tenths, rounded up, at least 0.1. */
static char *
tenths_up(char *buf, size_t len, int64_t pg, int64_t per)
{
	int64_t t = in_units(pg, per, 1);

	if (t < 1)
		t = 1;
	snprintf(buf, len, "%lld.%lld", (long long)(t / 10), (long long)(t % 10));
	return buf;
}

/*
 * A writer of one carrier file: its stream, whether the software takes
 * only ASCII, and whether memory ran out on the way (the file is then no
 * good, and the export says so).
 */
struct writer {
	FILE *out;
	int ascii;
	int oom;
};

/* text is s as the file takes it: s itself, or in ASCII (to free, in *fr). */
static const char *
text(struct writer *w, const char *s, char **fr)
{
	int lost;

	*fr = NULL;
	if (s == NULL)
		return "";
	if (!w->ascii)
		return s;
	if ((*fr = omsi_utf8_ascii(s, &lost)) == NULL) {
		w->oom = 1;
		return "";
	}
	return *fr;
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
xml_elem(struct writer *w, int indent, const char *name, const char *value)
{
	char *fr;

	fprintf(w->out, "%*s<%s>", indent, "", name);
	xml_text(w->out, text(w, value, &fr));
	free(fr);
	fprintf(w->out, "</%s>\n", name);
}

/* xml_elem_n is xml_elem for an element numbered n (CustomsValue1). */
static void
xml_elem_n(struct writer *w, int indent, const char *name, size_t n, const char *value)
{
	char elem[64];

	snprintf(elem, sizeof elem, "%s%zu", name, n);
	xml_elem(w, indent, elem, value);
}

static void
worldship_party(struct writer *w, const char *elem, const struct oms_ship_address *a)
{
	const char *company = blank(a->company);

	fprintf(w->out, "    <%s>\n", elem);
	/* WorldShip requires CompanyOrName: a person's name when there is no company. */
	xml_elem(w, 6, "CompanyOrName", *company != '\0' ? company : a->name);
	xml_elem(w, 6, "Attention", a->name);
	xml_elem(w, 6, "Address1", a->line1);
	xml_elem(w, 6, "Address2", a->line2);
	xml_elem(w, 6, "CountryTerritory", a->country);
	xml_elem(w, 6, "PostalCode", a->postal_code);
	xml_elem(w, 6, "CityOrTown", a->city);
	xml_elem(w, 6, "StateProvinceCounty", a->region);
	xml_elem(w, 6, "Telephone", a->phone);
	xml_elem(w, 6, "EmailAddress", a->email);
	fprintf(w->out, "    </%s>\n", elem);
}

/* money writes minor units of currency as a decimal amount ("12.50"). */
static char *
money(char buf[OMS_MONEY_MAX], int64_t minor, const char *currency)
{
	if (oms_currency_digits(currency) < 0) {
		buf[0] = '\0';
		return buf;
	}
	return oms_money_format(buf, minor, currency);
}

/*
 * One OpenShipment per package, billed to the shipper (PP), in the
 * customer's packaging (CP), its weight in pounds (WorldShip's default unit
 * in the US) with the one decimal it takes; Reference1 is the order ID,
 * which comes back with the tracking number.  A package going abroad has
 * its InternationalDocumentation (the invoice's currency) and a Goods
 * element per line for the commercial invoice: part number (the SKU),
 * description, tariff code and country of origin where the catalog has
 * them, units, unit price and currency, the elements WorldShip's XML
 * auto-import takes for an invoice.
 */
static void
export_worldship(struct writer *w, const struct oms_ship_address *from,
    const struct oms_carrier_pkg *p, size_t n)
{
	char id[24], wt[32], num[24], price[OMS_MONEY_MAX];
	const struct oms_carrier_goods *g;
	size_t i, j;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<OpenShipments xmlns=\"x-schema:OpenShipments.xdr\">\n", w->out);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%lld", (long long)p[i].order_id);
		tenths_up(wt, sizeof wt, p[i].weight_pg, PG_TENTH_LB);
		fputs("  <OpenShipment ShipmentOption=\"\" ProcessStatus=\"\">\n", w->out);
		worldship_party(w, "ShipTo", &p[i].to);
		worldship_party(w, "ShipFrom", from);
		fputs("    <ShipmentInformation>\n", w->out);
		xml_elem(w, 6, "ServiceType", p[i].service_code);
		xml_elem(w, 6, "PackageType", "CP");
		xml_elem(w, 6, "NumberOfPackages", "1");
		xml_elem(w, 6, "ShipmentActualWeight", wt);
		xml_elem(w, 6, "DescriptionOfGoods", p[i].abroad && p[i].ngoods > 0 ?
		    p[i].goods[0].description : "Merchandise");
		xml_elem(w, 6, "BillingOption", "PP");
		fputs("    </ShipmentInformation>\n", w->out);
		fputs("    <Package>\n", w->out);
		xml_elem(w, 6, "PackageType", "CP");
		xml_elem(w, 6, "Weight", wt);
		xml_elem(w, 6, "Reference1", id);
		xml_elem(w, 6, "Reference2", p[i].external_id);
		fputs("    </Package>\n", w->out);
		if (p[i].abroad) {
			fputs("    <InternationalDocumentation>\n", w->out);
			xml_elem(w, 6, "InvoiceCurrencyCode", p[i].currency);
			fputs("    </InternationalDocumentation>\n", w->out);
		}
		for (j = 0; p[i].abroad && j < p[i].ngoods; j++) {
			g = &p[i].goods[j];
			snprintf(num, sizeof num, "%lld", (long long)g->qty);
			fputs("    <Goods>\n", w->out);
			xml_elem(w, 6, "PartNumber", g->sku);
			xml_elem(w, 6, "DescriptionOfGood", g->description);
			if (g->hs_code != NULL)
				xml_elem(w, 6, "Inv-NAFTA-TariffCode", g->hs_code);
			if (g->origin != NULL)
				xml_elem(w, 6, "Inv-NAFTA-CO-CountryTerritoryOfOrigin", g->origin);
			xml_elem(w, 6, "InvoiceUnits", num);
			xml_elem(w, 6, "InvoiceUnitOfMeasure", "EA");
			xml_elem(w, 6, "Invoice-SED-UnitPrice", money(price, g->qty > 0 ?
			    g->value / g->qty : 0, p[i].currency));
			xml_elem(w, 6, "InvoiceCurrencyCode", p[i].currency);
			fputs("    </Goods>\n", w->out);
		}
		fputs("  </OpenShipment>\n", w->out);
	}
	fputs("</OpenShipments>\n", w->out);
}

/* How many kinds of goods FedEx's and DAZzle's files declare (DAZzle's customs form has 5 lines). */
#define CUSTOMS_LINES OMS_CARRIER_CUSTOMS_LINES

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
 *   Recipient Country      Recipient country code (ISO 3166 alpha-2)
 *   Recipient Phone        Recipient phone number
 *   Recipient Email        Recipient email (for ship alerts)
 *   Service Type           Service type: FedEx's code (92 Ground, 03 2Day, ...)
 *   Package Weight         Package weight, pounds, one decimal, rounded up;
 *                          blank when unknown, for the operator to weigh
 *   Customer Reference     Customer reference: the order ID, returned with
 *                          the tracking number in FedEx's export
 *   PO Number              P.O. number: the source's order number
 *   Customs Value          Total customs value (abroad only)
 *   Currency               Customs currency code (abroad only)
 *   Commodity N Description, Quantity, Unit Value, Harmonized Code,
 *   Country of Manufacture
 *                          Commodity N's description, number of units,
 *                          unit value, HS code and country of manufacture,
 *                          for N of 1 to 5 (abroad only)
 *
 * Rows end in CRLF (RFC 4180); text cells that a spreadsheet would run as
 * a formula are quoted with an apostrophe, as every oms CSV is
 * (oms_csv_cell).
 */
#define FEDEX_COLS (16 + 5 * CUSTOMS_LINES)

static int
export_fedex(struct writer *w, const struct oms_carrier_pkg *p, size_t n)
{
	char id[24], wt[32], value[OMS_MONEY_MAX], qty[CUSTOMS_LINES][24];
	char unit[CUSTOMS_LINES][OMS_MONEY_MAX], *line, *fr;
	const char *cells[FEDEX_COLS];
	const struct oms_carrier_goods *g;
	size_t i, j, k;

	fputs("Recipient Name,Recipient Company,Recipient Address 1,Recipient Address 2,"
	    "Recipient City,Recipient State,Recipient Postal Code,Recipient Country,"
	    "Recipient Phone,Recipient Email,Service Type,Package Weight,Customer Reference,"
	    "PO Number,Customs Value,Currency", w->out);
	for (k = 1; k <= CUSTOMS_LINES; k++)
		fprintf(w->out, ",Commodity %zu Description,Commodity %zu Quantity,Commodity %zu "
		    "Unit Value,Commodity %zu Harmonized Code,Commodity %zu Country of Manufacture",
		    k, k, k, k, k);
	fputs("\r\n", w->out);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%lld", (long long)p[i].order_id);
		if (p[i].weight_pg > 0)
			tenths_up(wt, sizeof wt, p[i].weight_pg, PG_TENTH_LB);
		else
			wt[0] = '\0';
		memset(cells, 0, sizeof cells);
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
		cells[10] = p[i].service_code;
		cells[11] = wt;
		cells[12] = id;
		cells[13] = p[i].external_id;
		if (p[i].abroad) {
			cells[14] = money(value, p[i].value, p[i].currency);
			cells[15] = p[i].currency;
			for (j = 0; j < p[i].ngoods && j < CUSTOMS_LINES; j++) {
				g = &p[i].goods[j];
				snprintf(qty[j], sizeof qty[j], "%lld", (long long)g->qty);
				money(unit[j], g->qty > 0 ? g->value / g->qty : 0, p[i].currency);
				cells[16 + 5 * j] = g->description;
				cells[17 + 5 * j] = qty[j];
				cells[18 + 5 * j] = unit[j];
				cells[19 + 5 * j] = g->hs_code;
				cells[20 + 5 * j] = g->origin;
			}
		}
		for (j = 0; j < FEDEX_COLS; j++) {
			if (j > 0)
				fputc(',', w->out);
			if ((line = one_line(text(w, cells[j], &fr))) == NULL) {
				free(fr);
				errno = ENOMEM;
				return -1;
			}
			free(fr);
			/* The weight and the ID are numbers we wrote: no formula to fear. */
			oms_csv_cell(w->out, line, j != 11 && j != 12);
			free(line);
		}
		fputs("\r\n", w->out);
	}
	return 0;
}

/*
 * The country names DAZzle's ToCountry and CustomsCountryN take (its XML
 * interface asks for the name, as USPS's International Mail Manual writes
 * it), for the ISO 3166 codes; a country not here goes as its code.
 */
static const struct {
	const char *code, *name;
} usps_countries[] = {
	{ "AE", "United Arab Emirates" }, { "AR", "Argentina" }, { "AT", "Austria" },
	{ "AU", "Australia" }, { "BE", "Belgium" }, { "BG", "Bulgaria" }, { "BR", "Brazil" },
	{ "CA", "Canada" }, { "CH", "Switzerland" }, { "CL", "Chile" },
	{ "CN", "China" }, { "CO", "Colombia" }, { "CR", "Costa Rica" },
	{ "CY", "Cyprus" }, { "CZ", "Czech Republic" }, { "DE", "Germany" },
	{ "DK", "Denmark" }, { "DO", "Dominican Republic" }, { "EC", "Ecuador" },
	{ "EE", "Estonia" }, { "EG", "Egypt" }, { "ES", "Spain" }, { "FI", "Finland" },
	{ "FR", "France" }, { "GB", "Great Britain and Northern Ireland" }, { "GR", "Greece" },
	{ "GT", "Guatemala" }, { "HK", "Hong Kong" }, { "HR", "Croatia" }, { "HU", "Hungary" },
	{ "ID", "Indonesia" }, { "IE", "Ireland" }, { "IL", "Israel" }, { "IN", "India" },
	{ "IS", "Iceland" }, { "IT", "Italy" }, { "JM", "Jamaica" }, { "JP", "Japan" },
	{ "KR", "Korea, Republic of (South Korea)" }, { "LT", "Lithuania" },
	{ "LU", "Luxembourg" }, { "LV", "Latvia" }, { "MT", "Malta" }, { "MX", "Mexico" },
	{ "MY", "Malaysia" }, { "NL", "Netherlands" }, { "NO", "Norway" },
	{ "NZ", "New Zealand" }, { "PA", "Panama" }, { "PE", "Peru" }, { "PH", "Philippines" },
	{ "PL", "Poland" }, { "PT", "Portugal" }, { "RO", "Romania" }, { "SA", "Saudi Arabia" },
	{ "SE", "Sweden" }, { "SG", "Singapore" }, { "SI", "Slovenia" }, { "SK", "Slovak Republic" },
	{ "TH", "Thailand" }, { "TR", "Turkey" }, { "TW", "Taiwan" }, { "UA", "Ukraine" },
	{ "US", "United States" }, { "UY", "Uruguay" }, { "VN", "Vietnam" },
	{ "ZA", "South Africa" },
};

static const char *
usps_country(const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < NWORDS(usps_countries); i++)
		if (strcasecmp(code, usps_countries[i].code) == 0)
			return usps_countries[i].name;
	return code;
}

/*
 * Endicia's DAZzle reads a DAZzle document: one Package per order, its ID
 * and ReferenceID the order ID, the weight in ounces with one decimal,
 * rounded up, the countries by name.  A package going abroad declares its
 * contents as merchandise, a customs line per kind of goods (at most 5:
 * quantity, description, weight in whole ounces rounded up, value, country
 * of origin by name; DAZzle's form has no tariff number).  Prompt="YES"
 * has DAZzle show each label before it buys the postage.
 */
static void
export_endicia(struct writer *w, const struct oms_ship_address *from,
    const struct oms_carrier_pkg *p, size_t n)
{
	char id[24], wt[32], value[OMS_MONEY_MAX], num[24];
	const struct oms_carrier_goods *g;
	int64_t oz;
	size_t i, j;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DAZzle Prompt=\"YES\">\n", w->out);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%lld", (long long)p[i].order_id);
		fprintf(w->out, "  <Package ID=\"%s\">\n", id);
		xml_elem(w, 4, "MailClass", p[i].service_code);
		if (p[i].weight_pg > 0)
			xml_elem(w, 4, "WeightOz", tenths_up(wt, sizeof wt, p[i].weight_pg,
			    PG_TENTH_OZ));
		if (p[i].value > 0 && oms_currency_digits(p[i].currency) >= 0)
			xml_elem(w, 4, "Value", oms_money_format(value, p[i].value,
			    p[i].currency));
		xml_elem(w, 4, "Description", "Merchandise");
		xml_elem(w, 4, "ReferenceID", id);
		xml_elem(w, 4, "ToName", p[i].to.name);
		xml_elem(w, 4, "ToCompany", p[i].to.company);
		xml_elem(w, 4, "ToAddress1", p[i].to.line1);
		xml_elem(w, 4, "ToAddress2", p[i].to.line2);
		xml_elem(w, 4, "ToCity", p[i].to.city);
		xml_elem(w, 4, "ToState", p[i].to.region);
		xml_elem(w, 4, "ToPostalCode", p[i].to.postal_code);
		xml_elem(w, 4, "ToCountry", usps_country(p[i].to.country));
		xml_elem(w, 4, "ToPhone", p[i].to.phone);
		xml_elem(w, 4, "ToEMail", p[i].to.email);
		xml_elem(w, 4, "FromName", from->name);
		xml_elem(w, 4, "FromCompany", from->company);
		xml_elem(w, 4, "ReturnAddress1", from->line1);
		xml_elem(w, 4, "ReturnAddress2", from->line2);
		xml_elem(w, 4, "FromCity", from->city);
		xml_elem(w, 4, "FromState", from->region);
		xml_elem(w, 4, "FromPostalCode", from->postal_code);
		xml_elem(w, 4, "FromCountry", usps_country(from->country));
		xml_elem(w, 4, "FromPhone", from->phone);
		xml_elem(w, 4, "FromEMail", from->email);
		if (p[i].abroad) {
			xml_elem(w, 4, "ContentsType", "MERCHANDISE");
			for (j = 0; j < p[i].ngoods && j < CUSTOMS_LINES; j++) {
				g = &p[i].goods[j];
				snprintf(num, sizeof num, "%lld", (long long)g->qty);
				xml_elem_n(w, 4, "CustomsQuantity", j + 1, num);
				xml_elem_n(w, 4, "CustomsDescription", j + 1, g->description);
				oz = in_units(g->weight_pg, PG_OZ, 1);
				snprintf(num, sizeof num, "%lld", (long long)(oz > 0 ? oz : 1));
				xml_elem_n(w, 4, "CustomsWeight", j + 1, num);
				xml_elem_n(w, 4, "CustomsValue", j + 1, money(value, g->value,
				    p[i].currency));
				if (g->origin != NULL)
					xml_elem_n(w, 4, "CustomsCountry", j + 1,
					    usps_country(g->origin));
			}
		}
		fputs("  </Package>\n", w->out);
	}
	fputs("</DAZzle>\n", w->out);
}

/*
 * oms's sheet: a row per package with the tracking number and cost left
 * for a person; the carrier and oms's name of its service, from
 * ship.methods; the weight in pounds to the hundredth with its unit
 * ("2.50lb"), which oms_weight_parse reads back, blank when unknown.
 */
static void
export_csv(struct writer *w, const struct oms_carrier_pkg *p, size_t n)
{
	int64_t h;
	size_t i;

	fputs("order_id,carrier,service,tracking,weight,cost\n", w->out);
	for (i = 0; i < n; i++) {
		fprintf(w->out, "%lld,", (long long)p[i].order_id);
		oms_csv_cell(w->out, blank(p[i].carrier), 1);
		fputc(',', w->out);
		oms_csv_cell(w->out, blank(p[i].service), 1);
		fputs(",,", w->out);
		if (p[i].weight_pg > 0) {
			h = in_units(p[i].weight_pg, PG_HUNDREDTH_LB, 0);
			fprintf(w->out, "%lld.%02lldlb", (long long)(h / 100), (long long)(h % 100));
		}
		fputs(",\n", w->out);
	}
}

int
oms_carrier_export(FILE *out, enum oms_carrier_format f, const struct oms_ship_address *from,
    const struct oms_carrier_pkg *p, size_t n)
{
	static const struct oms_ship_address nowhere;
	struct writer w = { out, oms_carrier_ascii(f), 0 };

	if (from == NULL)
		from = &nowhere;
	switch (f) {
	case OMS_CARRIER_WORLDSHIP:
		export_worldship(&w, from, p, n);
		break;
	case OMS_CARRIER_FEDEX:
		if (export_fedex(&w, p, n) != 0)
			return -1;
		break;
	case OMS_CARRIER_ENDICIA:
		export_endicia(&w, from, p, n);
		break;
	case OMS_CARRIER_CSV:
		export_csv(&w, p, n);
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if (w.oom) {
		errno = ENOMEM;
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
