/*
 * Unit tests for carrier files: each export for two packages, one of them
 * with every awkward character, compared whole; the readers on the
 * samples in tests/data/carrier (run from the top of the tree), with what
 * fn received and what was reported; a WorldShip round trip.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <oms/carrier.h>
#include <oms/money.h>

#include "tap.h"

static const struct oms_ship_address from = {
	"Shipping Dept", "Acme Widgets", "100 Main St", NULL, "Springfield", "IL", "62701", "US",
	"2175550100", "ship@acme.example",
};

#define PG(g) ((int64_t)(g) * OMS_PG_PER_G)

static const struct oms_carrier_pkg pkgs[2] = {
	{ .order_id = 42, .external_id = "A-1001", .to = { "Pat Smith", NULL, "1 Elm St", "Apt 2",
	    "Portland", "OR", "97201", "US", "5035550199", "pat@example.com" }, .carrier = "ups",
	    .service = "ground", .service_code = "GND", .weight_pg = PG(1134), .value = 2500,
	    .currency = "USD" },
	{ .order_id = 43, .external_id = "PO <7>", .to = { "Lee \"Q\" O'Neil", "Smith & Sons, Ltd.",
	    "5 Oak Rd\r\nBack door", "=HYPERLINK(\"x\")", "Austin\a", "TX", "73301", "US",
	    "+1 512 555 0100", "" }, .carrier = "usps", .service = "priority",
	    .service_code = "PRIORITY", .currency = "USD" },
};

/* What a ship-to or ship-from holds, in WorldShip's order, for the expected documents. */
#define WS_PARTY(elem, company, attention, a1, a2, country, zip, city, state, tel, email) \
	"    <" elem ">\n" \
	"      <CompanyOrName>" company "</CompanyOrName>\n" \
	"      <Attention>" attention "</Attention>\n" \
	"      <Address1>" a1 "</Address1>\n" \
	"      <Address2>" a2 "</Address2>\n" \
	"      <CountryTerritory>" country "</CountryTerritory>\n" \
	"      <PostalCode>" zip "</PostalCode>\n" \
	"      <CityOrTown>" city "</CityOrTown>\n" \
	"      <StateProvinceCounty>" state "</StateProvinceCounty>\n" \
	"      <Telephone>" tel "</Telephone>\n" \
	"      <EmailAddress>" email "</EmailAddress>\n" \
	"    </" elem ">\n"

#define WS_FROM WS_PARTY("ShipFrom", "Acme Widgets", "Shipping Dept", "100 Main St", "", "US", \
	"62701", "Springfield", "IL", "2175550100", "ship@acme.example")

static const char worldship_want[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<OpenShipments xmlns=\"x-schema:OpenShipments.xdr\">\n"
	"  <OpenShipment ShipmentOption=\"\" ProcessStatus=\"\">\n"
	WS_PARTY("ShipTo", "Pat Smith", "Pat Smith", "1 Elm St", "Apt 2", "US", "97201", "Portland",
	    "OR", "5035550199", "pat@example.com")
	WS_FROM
	"    <ShipmentInformation>\n"
	"      <ServiceType>GND</ServiceType>\n"
	"      <PackageType>CP</PackageType>\n"
	"      <NumberOfPackages>1</NumberOfPackages>\n"
	"      <ShipmentActualWeight>2.6</ShipmentActualWeight>\n"
	"      <DescriptionOfGoods>Merchandise</DescriptionOfGoods>\n"
	"      <BillingOption>PP</BillingOption>\n"
	"    </ShipmentInformation>\n"
	"    <Package>\n"
	"      <PackageType>CP</PackageType>\n"
	"      <Weight>2.6</Weight>\n"
	"      <Reference1>42</Reference1>\n"
	"      <Reference2>A-1001</Reference2>\n"
	"    </Package>\n"
	"  </OpenShipment>\n"
	"  <OpenShipment ShipmentOption=\"\" ProcessStatus=\"\">\n"
	WS_PARTY("ShipTo", "Smith &amp; Sons, Ltd.", "Lee &quot;Q&quot; O&apos;Neil",
	    "5 Oak Rd Back door", "=HYPERLINK(&quot;x&quot;)", "US", "73301", "Austin", "TX",
	    "+1 512 555 0100", "")
	WS_FROM
	"    <ShipmentInformation>\n"
	"      <ServiceType>PRIORITY</ServiceType>\n"
	"      <PackageType>CP</PackageType>\n"
	"      <NumberOfPackages>1</NumberOfPackages>\n"
	"      <ShipmentActualWeight>0.1</ShipmentActualWeight>\n"
	"      <DescriptionOfGoods>Merchandise</DescriptionOfGoods>\n"
	"      <BillingOption>PP</BillingOption>\n"
	"    </ShipmentInformation>\n"
	"    <Package>\n"
	"      <PackageType>CP</PackageType>\n"
	"      <Weight>0.1</Weight>\n"
	"      <Reference1>43</Reference1>\n"
	"      <Reference2>PO &lt;7&gt;</Reference2>\n"
	"    </Package>\n"
	"  </OpenShipment>\n"
	"</OpenShipments>\n";

#define COMMODITY(n) ",Commodity " #n " Description,Commodity " #n " Quantity,Commodity " #n \
	" Unit Value,Commodity " #n " Harmonized Code,Commodity " #n " Country of Manufacture"
#define NO_GOODS ",,,,,,,,,,,,,,,,,,,,,,,,,"

static const char fedex_want[] =
	"Recipient Name,Recipient Company,Recipient Address 1,Recipient Address 2,"
	"Recipient City,Recipient State,Recipient Postal Code,Recipient Country,"
	"Recipient Phone,Recipient Email,Service Type,Package Weight,Customer Reference,"
	"PO Number,Customs Value,Currency" COMMODITY(1) COMMODITY(2) COMMODITY(3) COMMODITY(4)
	COMMODITY(5) "\r\n"
	"Pat Smith,,1 Elm St,Apt 2,Portland,OR,97201,US,5035550199,pat@example.com,GND,"
	"2.6,42,A-1001,," NO_GOODS "\r\n"
	"\"Lee \"\"Q\"\" O'Neil\",\"Smith & Sons, Ltd.\",5 Oak Rd Back door,"
	"\"'=HYPERLINK(\"\"x\"\")\",Austin,TX,73301,US,\"'+1 512 555 0100\",,PRIORITY,"
	",43,PO <7>,," NO_GOODS "\r\n";

static const char endicia_want[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<DAZzle Prompt=\"YES\">\n"
	"  <Package ID=\"42\">\n"
	"    <MailClass>GND</MailClass>\n"
	"    <WeightOz>40.1</WeightOz>\n"
	"    <Value>25.00</Value>\n"
	"    <Description>Merchandise</Description>\n"
	"    <ReferenceID>42</ReferenceID>\n"
	"    <ToName>Pat Smith</ToName>\n"
	"    <ToCompany></ToCompany>\n"
	"    <ToAddress1>1 Elm St</ToAddress1>\n"
	"    <ToAddress2>Apt 2</ToAddress2>\n"
	"    <ToCity>Portland</ToCity>\n"
	"    <ToState>OR</ToState>\n"
	"    <ToPostalCode>97201</ToPostalCode>\n"
	"    <ToCountry>United States</ToCountry>\n"
	"    <ToPhone>5035550199</ToPhone>\n"
	"    <ToEMail>pat@example.com</ToEMail>\n"
	"    <FromName>Shipping Dept</FromName>\n"
	"    <FromCompany>Acme Widgets</FromCompany>\n"
	"    <ReturnAddress1>100 Main St</ReturnAddress1>\n"
	"    <ReturnAddress2></ReturnAddress2>\n"
	"    <FromCity>Springfield</FromCity>\n"
	"    <FromState>IL</FromState>\n"
	"    <FromPostalCode>62701</FromPostalCode>\n"
	"    <FromCountry>United States</FromCountry>\n"
	"    <FromPhone>2175550100</FromPhone>\n"
	"    <FromEMail>ship@acme.example</FromEMail>\n"
	"  </Package>\n"
	"  <Package ID=\"43\">\n"
	"    <MailClass>PRIORITY</MailClass>\n"
	"    <Description>Merchandise</Description>\n"
	"    <ReferenceID>43</ReferenceID>\n"
	"    <ToName>Lee &quot;Q&quot; O&apos;Neil</ToName>\n"
	"    <ToCompany>Smith &amp; Sons, Ltd.</ToCompany>\n"
	"    <ToAddress1>5 Oak Rd Back door</ToAddress1>\n"
	"    <ToAddress2>=HYPERLINK(&quot;x&quot;)</ToAddress2>\n"
	"    <ToCity>Austin</ToCity>\n"
	"    <ToState>TX</ToState>\n"
	"    <ToPostalCode>73301</ToPostalCode>\n"
	"    <ToCountry>United States</ToCountry>\n"
	"    <ToPhone>+1 512 555 0100</ToPhone>\n"
	"    <ToEMail></ToEMail>\n"
	"    <FromName>Shipping Dept</FromName>\n"
	"    <FromCompany>Acme Widgets</FromCompany>\n"
	"    <ReturnAddress1>100 Main St</ReturnAddress1>\n"
	"    <ReturnAddress2></ReturnAddress2>\n"
	"    <FromCity>Springfield</FromCity>\n"
	"    <FromState>IL</FromState>\n"
	"    <FromPostalCode>62701</FromPostalCode>\n"
	"    <FromCountry>United States</FromCountry>\n"
	"    <FromPhone>2175550100</FromPhone>\n"
	"    <FromEMail>ship@acme.example</FromEMail>\n"
	"  </Package>\n"
	"</DAZzle>\n";

static const char csv_want[] =
	"order_id,carrier,service,tracking,weight,cost\n"
	"42,ups,ground,,2.50lb,\n"
	"43,usps,priority,,,\n";

/* export returns what oms_carrier_export wrote (free it), or NULL when it failed. */
static char *
export(enum oms_carrier_format f, const struct oms_carrier_pkg *p, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int rc;

	if (out == NULL)
		return NULL;
	rc = oms_carrier_export(out, f, &from, p, n);
	fclose(out);
	if (rc != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Each row fn received, one line: where|order|carrier|service|tracking|packages|weight|cost. */
struct got {
	char rows[4096];
	int calls, stop_after, verdict;
};

static int
collect(void *arg, const struct oms_tracking_row *r)
{
	struct got *g = arg;
	size_t len = strlen(g->rows);

	snprintf(g->rows + len, sizeof g->rows - len, "%s|%s|%s|%s|%s|%d|%s|%s\n", r->where,
	    r->order, r->carrier, r->service, r->tracking, r->packages, r->weight, r->cost);
	if (++g->calls == g->stop_after)
		return -1;
	return g->verdict;
}

/*
 * read_text runs oms_carrier_read on text (or on the file path when text
 * is NULL), with what it reported on stderr in msgs.
 */
static int
read_text(const char *text, const char *path, const char *name, enum oms_carrier_format f,
    struct got *g, char *msgs, size_t msglen)
{
	FILE *in, *err = tmpfile();
	int saved, rc;
	size_t n;

	if (text != NULL)
		in = fmemopen((void *)text, strlen(text), "r");
	else
		in = fopen(path, "r");
	if (in == NULL || err == NULL) {
		printf("# cannot open %s\n", text ? "a memory stream" : path);
		return -9;
	}
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(err), 2);
	rc = oms_carrier_read(in, name, f, collect, g);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fclose(in);
	rewind(err);
	n = fread(msgs, 1, msglen - 1, err);
	msgs[n] = '\0';
	fclose(err);
	return rc;
}

/* reported says whether msgs has the line "carrier: what". */
static int
reported(const char *msgs, const char *what)
{
	char line[512];

	snprintf(line, sizeof line, "carrier: %s\n", what);
	if (strstr(msgs, line) != NULL)
		return 1;
	printf("#   not reported: %s# messages were:\n# %s\n", line, msgs);
	return 0;
}

/* replace_all returns s with every from replaced by to (free it). */
static char *
replace_all(const char *s, const char *from_, const char *to)
{
	size_t flen = strlen(from_), tlen = strlen(to), n = 0;
	const char *p;
	char *out, *o;

	for (p = s; (p = strstr(p, from_)) != NULL; p += flen)
		n++;
	if ((out = malloc(strlen(s) + n * tlen + 1)) == NULL)
		abort();
	for (o = out, p = s; *p != '\0';) {
		if (strncmp(p, from_, flen) == 0) {
			memcpy(o, to, tlen);
			o += tlen;
			p += flen;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

static void
exports(void)
{
	enum oms_carrier_format f;
	char *got;

	ok(oms_carrier_format_parse("worldship", &f) == 0 && f == OMS_CARRIER_WORLDSHIP &&
	    oms_carrier_format_parse("fedex", &f) == 0 && f == OMS_CARRIER_FEDEX &&
	    oms_carrier_format_parse("endicia", &f) == 0 && f == OMS_CARRIER_ENDICIA &&
	    oms_carrier_format_parse("csv", &f) == 0 && f == OMS_CARRIER_CSV,
	    "the four formats have their names");
	ok(oms_carrier_format_parse("ups", &f) == -1 && oms_carrier_format_parse("", &f) == -1,
	    "no other name is a format");

	got = export(OMS_CARRIER_WORLDSHIP, pkgs, 2);
	is_str(got, worldship_want, "worldship: OpenShipments with ShipTo, ShipFrom, "
	    "ShipmentInformation and Package, every text escaped and on one line");
	free(got);
	got = export(OMS_CARRIER_FEDEX, pkgs, 2);
	is_str(got, fedex_want, "fedex: a header and a CRLF row per package, quoted, "
	    "formulas neutralized, line breaks flattened");
	free(got);
	got = export(OMS_CARRIER_ENDICIA, pkgs, 2);
	is_str(got, endicia_want, "endicia: a DAZzle Package per order, ounces rounded up, "
	    "the declared value when there is one");
	free(got);
	got = export(OMS_CARRIER_CSV, pkgs, 2);
	is_str(got, csv_want, "csv: the sheet, weight in pounds with its unit");
	free(got);
	got = export(OMS_CARRIER_CSV, pkgs, 0);
	is_str(got, "order_id,carrier,service,tracking,weight,cost\n", "no packages: the header");
	free(got);
	got = export(OMS_CARRIER_WORLDSHIP, pkgs, 0);
	is_str(got, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<OpenShipments xmlns=\"x-schema:OpenShipments.xdr\">\n</OpenShipments>\n",
	    "no packages: an empty OpenShipments");
	free(got);
}

/* The code a carrier's file gives one of its services, at home and abroad. */
static void
service_codes(void)
{
	char why[128];

	is_str(oms_carrier_service_code("ups", "ground", 0, why, sizeof why), "GND",
	    "ups ground is WorldShip's GND");
	is_str(oms_carrier_service_code("ups", "worldwide_saver", 1, why, sizeof why), "SV",
	    "ups worldwide_saver is SV");
	is_str(oms_carrier_service_code("fedex", "2day", 0, why, sizeof why), "03",
	    "fedex 2day is Ship Manager's 03");
	is_str(oms_carrier_service_code("fedex", "ground", 1, why, sizeof why), "92",
	    "fedex ground goes abroad too (92)");
	is_str(oms_carrier_service_code("usps", "priority", 0, why, sizeof why), "PRIORITY",
	    "usps priority is DAZzle's PRIORITY");
	is_str(oms_carrier_service_code("usps", "priority", 1, why, sizeof why), "INTLPRIORITY",
	    "usps priority abroad is Priority Mail International");
	ok(oms_carrier_service_code("ups", "ground", 1, why, sizeof why) == NULL &&
	    strcmp(why, "ups ground does not go abroad") == 0, "ups ground abroad: none (%s)",
	    why);
	ok(oms_carrier_service_code("usps", "media", 1, why, sizeof why) == NULL,
	    "media mail does not go abroad");
	ok(oms_carrier_service_code("ups", "standard", 0, why, sizeof why) == NULL &&
	    strcmp(why, "ups standard is for packages going abroad") == 0,
	    "ups standard is for abroad only (%s)", why);
	ok(oms_carrier_service_code("ups", "Ground", 0, why, sizeof why) == NULL &&
	    strcmp(why, "ups has no service Ground") == 0, "names are oms's, exactly (%s)", why);
	is_str(oms_carrier_format_carrier(OMS_CARRIER_ENDICIA), "usps", "DAZzle is for usps");
	ok(oms_carrier_format_carrier(OMS_CARRIER_CSV) == NULL, "the sheet is for any carrier");
}

static void
weights(void)
{
	struct oms_carrier_pkg p = pkgs[0];
	char *got;
	int64_t pg;

	p.weight_pg = PG(454);	/* 1.0009 lb: begun, so 1.1 */
	got = export(OMS_CARRIER_WORLDSHIP, &p, 1);
	ok(got && strstr(got, "<ShipmentActualWeight>1.1</ShipmentActualWeight>"),
	    "a weight just over a tenth of a pound is rounded up");
	free(got);
	p.weight_pg = INT64_C(4535923700000000000);	/* exactly 10000 lb */
	got = export(OMS_CARRIER_WORLDSHIP, &p, 1);
	ok(got && strstr(got, "<Weight>10000.0</Weight>"), "an exact weight stays exact");
	free(got);
	ok(oms_weight_parse_exact("1.5lb", NULL, &pg) == 0, "1.5 lb is read exactly");
	p.weight_pg = 1310 * pg;
	got = export(OMS_CARRIER_WORLDSHIP, &p, 1);
	ok(got && strstr(got, "<Weight>1965.0</Weight>"),
	    "1310 x 1.5 lb is 1965 lb, not 1310 x 680 g rounded (1963.9)");
	free(got);
	got = export(OMS_CARRIER_FEDEX, &p, 1);
	ok(got && strstr(got, ",GND,1965.0,42,"), "and so for FedEx");
	free(got);
	ok(oms_weight_parse_exact("3.5 oz", NULL, &pg) == 0 && pg == INT64_C(99223330937500),
	    "3.5 oz is 99.2233309375 g, exactly");
	p.weight_pg = 2 * pg;
	got = export(OMS_CARRIER_ENDICIA, &p, 1);
	ok(got && strstr(got, "<WeightOz>7.0</WeightOz>"), "two of 3.5 oz are 7.0 oz for DAZzle");
	free(got);
	ok(oms_weight_parse_exact("1.0001oz", NULL, &pg) == -1 && errno == EDOM,
	    "an ounce to 4 decimals is finer than a picogram: refused, not rounded");
	ok(oms_weight_parse_exact("1.0000001lb", NULL, &pg) == 0 &&
	    pg == INT64_C(453592415359237), "a pound to 7 decimals is exact");
	ok(oms_weight_parse_exact("9224kg", NULL, &pg) == -1 && errno == ERANGE,
	    "over 9,223 kg is too much");
	p.weight_pg = PG(1);
	got = export(OMS_CARRIER_CSV, &p, 1);
	ok(got && strstr(got, ",,0.00lb,\n"), "a gram is 0.00lb on the sheet (nearest hundredth)");
	free(got);
	p.weight_pg = PG(227);	/* 0.50045 lb */
	got = export(OMS_CARRIER_CSV, &p, 1);
	ok(got && strstr(got, ",,0.50lb,\n"), "227 g is 0.50lb");
	free(got);
}

/* A package abroad: customs goods in each carrier's form, text in ASCII. */
static void
abroad(void)
{
	static const struct oms_carrier_goods goods[2] = {
		{ "MUG-1", "Ceramic mug", "691200", "PT", 2, 2400, INT64_C(680388555000000) },
		{ "TEE-2", "Cotton T-shirt, café", NULL, NULL, 1, 1500, 0 },
	};
	struct oms_carrier_pkg p = {
		.order_id = 77, .external_id = "W-77", .to = { "Jos\xc3\xa9 Mu\xc3\xb1oz", NULL,
		"Calle Mayor 1", NULL, "ALMU\xc3\x91\xc3\x89" "CAR", "GR", "18690", "ES", NULL, NULL },
		.carrier = "usps", .service = "priority", .service_code = "INTLPRIORITY", .abroad = 1,
		.weight_pg = INT64_C(680388555000000), .value = 3900, .currency = "USD",
		.goods = goods, .ngoods = 2,
	};
	char *got;

	got = export(OMS_CARRIER_ENDICIA, &p, 1);
	ok(got && strstr(got, "    <ToCity>ALMUNECAR</ToCity>\n    <ToState>GR</ToState>\n"
	    "    <ToPostalCode>18690</ToPostalCode>\n    <ToCountry>Spain</ToCountry>\n"),
	    "endicia: the city in ASCII, the country by name");
	ok(got && strstr(got, "<ToName>Jose Munoz</ToName>"), "endicia: the name in ASCII");
	ok(got && strstr(got, "    <ContentsType>MERCHANDISE</ContentsType>\n"
	    "    <CustomsQuantity1>2</CustomsQuantity1>\n"
	    "    <CustomsDescription1>Ceramic mug</CustomsDescription1>\n"
	    "    <CustomsWeight1>24</CustomsWeight1>\n"
	    "    <CustomsValue1>24.00</CustomsValue1>\n"
	    "    <CustomsCountry1>Portugal</CustomsCountry1>\n"
	    "    <CustomsQuantity2>1</CustomsQuantity2>\n"
	    "    <CustomsDescription2>Cotton T-shirt, cafe</CustomsDescription2>\n"
	    "    <CustomsWeight2>1</CustomsWeight2>\n"
	    "    <CustomsValue2>15.00</CustomsValue2>\n  </Package>"),
	    "endicia: a customs line per kind of goods, weights in whole ounces rounded up");
	free(got);
	p.carrier = "ups";
	p.service_code = "SV";
	got = export(OMS_CARRIER_WORLDSHIP, &p, 1);
	ok(got && strstr(got, "<CountryTerritory>ES</CountryTerritory>") &&
	    strstr(got, "<CityOrTown>ALMUNECAR</CityOrTown>"),
	    "worldship: the country's code, the city in ASCII");
	ok(got && strstr(got, "    <InternationalDocumentation>\n"
	    "      <InvoiceCurrencyCode>USD</InvoiceCurrencyCode>\n"
	    "    </InternationalDocumentation>\n"
	    "    <Goods>\n"
	    "      <PartNumber>MUG-1</PartNumber>\n"
	    "      <DescriptionOfGood>Ceramic mug</DescriptionOfGood>\n"
	    "      <Inv-NAFTA-TariffCode>691200</Inv-NAFTA-TariffCode>\n"
	    "      <Inv-NAFTA-CO-CountryTerritoryOfOrigin>PT</Inv-NAFTA-CO-CountryTerritoryOfOrigin>\n"
	    "      <InvoiceUnits>2</InvoiceUnits>\n"
	    "      <InvoiceUnitOfMeasure>EA</InvoiceUnitOfMeasure>\n"
	    "      <Invoice-SED-UnitPrice>12.00</Invoice-SED-UnitPrice>\n"
	    "      <InvoiceCurrencyCode>USD</InvoiceCurrencyCode>\n"
	    "    </Goods>\n"
	    "    <Goods>\n"
	    "      <PartNumber>TEE-2</PartNumber>\n"
	    "      <DescriptionOfGood>Cotton T-shirt, cafe</DescriptionOfGood>\n"
	    "      <InvoiceUnits>1</InvoiceUnits>\n"),
	    "worldship: the invoice's currency, a Goods per line with tariff code and origin where known");
	free(got);
	p.carrier = "fedex";
	p.service_code = "01";
	got = export(OMS_CARRIER_FEDEX, &p, 1);
	ok(got && strstr(got, "\r\nJose Munoz,,Calle Mayor 1,,ALMUNECAR,GR,18690,ES,,,01,1.5,77,"
	    "W-77,39.00,USD,Ceramic mug,2,12.00,691200,PT,\"Cotton T-shirt, cafe\",1,15.00,,"
	    ",,,,," ",,,,," ",,,,,\r\n"), "fedex: customs value and currency, a commodity per line");
	free(got);
	p.carrier = "usps";
	got = export(OMS_CARRIER_CSV, &p, 1);
	is_str(got, "order_id,carrier,service,tracking,weight,cost\n77,usps,priority,,1.50lb,\n",
	    "csv: the sheet has no customs");
	free(got);
}

static void
reads(void)
{
	struct got g;
	char msgs[4096];
	int rc;

	memset(&g, 0, sizeof g);
	rc = read_text(NULL, "tests/data/carrier/worldship.xml", "worldship.xml",
	    OMS_CARRIER_WORLDSHIP, &g, msgs, sizeof msgs);
	ok(rc == 1, "worldship: some shipments skipped: 1 (got %d)", rc);
	is_str(g.rows,
	    "worldship.xml:3|1001|ups|GND|1Z999AA10123456784|1|2.6lb|11.20\n"
	    "worldship.xml:40|1002|ups|2DA|1Z5R89390357567127|2|10.4lb|31.07\n"
	    "worldship.xml:104|1006|ups|3DS|1Z999AA10123456784|1|3lb|\n",
	    "worldship: references, tracking numbers, weights and charges as WorldShip wrote");
	ok(reported(msgs, "worldship.xml:68: order 1003 was not shipped (ProcessStatus "
	    "\"Error\": The postal code is not valid for the state.)"),
	    "worldship: a shipment in error is reported with WorldShip's reason");
	ok(reported(msgs, "worldship.xml:79: no order reference"),
	    "worldship: a shipment with no reference is reported");
	ok(reported(msgs, "worldship.xml:92: weight \"heavy\" is not a weight (2.5, 2.5lb, 40oz, "
	    "1.2kg, 500g)"), "worldship: a weight that is not one is reported");

	memset(&g, 0, sizeof g);
	rc = read_text(NULL, "tests/data/carrier/fedex.csv", "fedex.csv", OMS_CARRIER_FEDEX, &g,
	    msgs, sizeof msgs);
	ok(rc == 1, "fedex: some rows skipped: 1 (got %d)", rc);
	is_str(g.rows,
	    "fedex.csv:2|1001|fedex|FedEx Ground|794644790138|1|2.6lb|9.41\n"
	    "fedex.csv:3|1002|fedex|FedEx 2Day|986578788855|1|10.4 LBS|31.07\n"
	    "fedex.csv:8|1006|fedex|FedEx Priority Overnight|790535312317|1|0.5lb|27.90\n"
	    "fedex.csv:9|1007|fedex||974367662710|1||\n",
	    "fedex: columns found by their names, a short row's missing fields blank");
	ok(reported(msgs, "fedex.csv:4: no order reference"), "fedex: no reference is reported");
	ok(reported(msgs, "fedex.csv:5: weight \"abc\" is not a weight (2.5, 2.5lb, 40oz, 1.2kg, "
	    "500g)"), "fedex: a bad weight is reported");
	ok(reported(msgs, "fedex.csv:6: order 1005 has no tracking number"),
	    "fedex: no tracking number is reported");

	memset(&g, 0, sizeof g);
	rc = read_text(NULL, "tests/data/carrier/tracking.csv", "tracking.csv", OMS_CARRIER_CSV,
	    &g, msgs, sizeof msgs);
	ok(rc == 1, "csv: some rows skipped: 1 (got %d)", rc);
	is_str(g.rows,
	    "tracking.csv:2|1001|ups|GND|1Z999AA10123456784|1|2.50lb|11.20\n"
	    "tracking.csv:3|1002|fedex|Ground|986578788855|1|3lb|7.5\n"
	    "tracking.csv:4|1003|usps|Priority Mail|9400111201080805483016|1|40oz|\n"
	    "tracking.csv:8|1007|DHL|Express|1Z410E7W0392751591|1||\n",
	    "csv: columns in any order, extra ones ignored, known carriers' names in lower case");
	ok(reported(msgs, "tracking.csv:5: order 1004 has no tracking number"),
	    "csv: no tracking number is reported");
	ok(reported(msgs, "tracking.csv:6: cost \"12.5.0\" is not an amount"),
	    "csv: a bad cost is reported");
	ok(reported(msgs, "tracking.csv:7: no order reference"), "csv: no order is reported");
}

static void
unreadable(void)
{
	struct got g;
	char msgs[4096];
	int rc;

	memset(&g, 0, sizeof g);
	rc = read_text("", NULL, "e.xml", OMS_CARRIER_WORLDSHIP, &g, msgs, sizeof msgs);
	ok(rc == -1 && reported(msgs, "e.xml: empty file: expected a WorldShip <OpenShipments> "
	    "document"), "worldship: an empty file is unreadable");
	rc = read_text("", NULL, "e.csv", OMS_CARRIER_CSV, &g, msgs, sizeof msgs);
	ok(rc == -1 && reported(msgs, "e.csv: empty file: expected a header "
	    "(order_id,carrier,service,tracking,weight,cost)"), "csv: an empty file is unreadable");
	rc = read_text("42,ups,GND,1Z999AA10123456784,1lb,\n", NULL, "h.csv", OMS_CARRIER_CSV,
	    &g, msgs, sizeof msgs);
	ok(rc == -1 && reported(msgs, "h.csv:1: no order_id column (expected "
	    "order_id,carrier,service,tracking,weight,cost)"), "csv: the header is required");
	rc = read_text("Customer Reference,Weight\n1,2\n", NULL, "f.csv", OMS_CARRIER_FEDEX, &g,
	    msgs, sizeof msgs);
	ok(rc == -1 && reported(msgs, "f.csv:1: no tracking number column (expected a reference "
	    "and a tracking number column)"), "fedex: a tracking number column is required");
	rc = read_text("order_id,tracking\n1,\"1Z\n", NULL, "q.csv", OMS_CARRIER_CSV, &g, msgs,
	    sizeof msgs);
	ok(rc == -1 && reported(msgs, "q.csv:2: unterminated quoted field"),
	    "csv: a broken quote makes the file unreadable, named by its line");
	rc = read_text("<OpenShipments>\n<OpenShipment ProcessStatus=\"Processed\">\n"
	    "</OpenShipments>\n", NULL, "b.xml", OMS_CARRIER_WORLDSHIP, &g, msgs, sizeof msgs);
	ok(rc == -1 && reported(msgs, "b.xml:3: not well-formed XML: mismatched tag"),
	    "worldship: XML that is not well-formed is unreadable");
	rc = read_text("<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aaaa\">]>\n"
	    "<OpenShipments/>\n", NULL, "d.xml", OMS_CARRIER_WORLDSHIP, &g, msgs, sizeof msgs);
	ok(rc == -1 && reported(msgs, "d.xml:2: a DOCTYPE, which WorldShip never writes, is "
	    "refused"), "worldship: a DOCTYPE (and its entities) is refused");
	rc = read_text("<DAZzle><Package ID=\"1\"/></DAZzle>\n", NULL, "z.xml",
	    OMS_CARRIER_WORLDSHIP, &g, msgs, sizeof msgs);
	ok(rc == -1 && reported(msgs, "z.xml:1: not a WorldShip document (its root is <DAZzle>, "
	    "not <OpenShipments>)"), "worldship: another document is refused");
	rc = read_text("<?xml version=\"1.0\" encoding=\"EBCDIC-US\"?>\n<OpenShipments/>\n",
	    NULL, "x.xml", OMS_CARRIER_WORLDSHIP, &g, msgs, sizeof msgs);
	ok(rc == -1 && reported(msgs, "x.xml:1: an encoding oms does not read (UTF-8, "
	    "UTF-16, ISO-8859-1, US-ASCII or windows-1252)"), "worldship: an encoding we do not read is refused");
	rc = read_text("x", NULL, "n.xml", OMS_CARRIER_ENDICIA, &g, msgs, sizeof msgs);
	ok(rc == -1 && reported(msgs, "n.xml: Endicia's files are not read back: use its CSV "
	    "export as csv"), "endicia files are not read");
	ok(g.calls == 0, "fn saw no row from any unreadable file");
}

static void
verdicts(void)
{
	struct got g;
	char msgs[4096];
	int rc;

	memset(&g, 0, sizeof g);
	g.stop_after = 1;
	rc = read_text(NULL, "tests/data/carrier/tracking.csv", "tracking.csv", OMS_CARRIER_CSV,
	    &g, msgs, sizeof msgs);
	ok(rc == -1 && g.calls == 1, "fn's -1 stops the reading and is returned");
	memset(&g, 0, sizeof g);
	g.stop_after = 2;
	rc = read_text(NULL, "tests/data/carrier/worldship.xml", "worldship.xml",
	    OMS_CARRIER_WORLDSHIP, &g, msgs, sizeof msgs);
	ok(rc == -1 && g.calls == 2 && msgs[0] == '\0',
	    "in a WorldShip document too, and with nothing reported");
	memset(&g, 0, sizeof g);
	g.verdict = 1;
	rc = read_text("order_id,tracking\n1,1Z999AA10123456784\n", NULL, "v.csv",
	    OMS_CARRIER_CSV, &g, msgs, sizeof msgs);
	ok(rc == 1 && g.calls == 1, "a row fn skipped makes the result 1");
	memset(&g, 0, sizeof g);
	rc = read_text("order_id,tracking\n1,1Z999AA10123456784\n", NULL, "v.csv",
	    OMS_CARRIER_CSV, &g, msgs, sizeof msgs);
	ok(rc == 0 && g.calls == 1 && msgs[0] == '\0', "every row read: 0");
	memset(&g, 0, sizeof g);
	rc = read_text("order_id,tracking,weight\n1,1Z999AA10123456784,"
	    "1.0000000000000000000000000000000000000000000000000000000000000000000\n", NULL,
	    "w.csv", OMS_CARRIER_CSV, &g, msgs, sizeof msgs);
	ok(rc == 1 && g.calls == 0 && reported(msgs, "w.csv:2: weight "
	    "\"1.00000000000000000000000000000000000000\" is not a weight (2.5, 2.5lb, 40oz, "
	    "1.2kg, 500g)"), "a weight too long to be one is refused, not cut");
}

/* WorldShip's own text, however long, reaches the operator cut, not past a buffer. */
static void
long_error(void)
{
	char doc[1024], msgs[4096], want[256];
	struct got g;
	int rc;

	snprintf(doc, sizeof doc, "<OpenShipments><OpenShipment ProcessStatus=\"Error\">"
	    "<Package><Reference1>7</Reference1></Package><ProcessMessage><Error>"
	    "<ErrorDescription>%0300d</ErrorDescription></Error></ProcessMessage>"
	    "</OpenShipment></OpenShipments>", 0);
	snprintf(want, sizeof want, "l.xml:1: order 7 was not shipped (ProcessStatus \"Error\": "
	    "%0127d)\n", 0);
	memset(&g, 0, sizeof g);
	rc = read_text(doc, NULL, "l.xml", OMS_CARRIER_WORLDSHIP, &g, msgs, sizeof msgs);
	ok(rc == 1 && g.calls == 0 && strstr(msgs, want) != NULL,
	    "a long ErrorDescription is cut to 127 bytes in the message");
}

/* A WorldShip export, processed as WorldShip would, read back. */
static void
round_trip(void)
{
	static const char *const process[][2] = {
		{ "ProcessStatus=\"\"", "ProcessStatus=\"Processed\"" },
		{ "  </OpenShipment>\n", "    <ProcessMessage>\n"
		    "      <ShipmentRates><ShipmentCharges><Rate><Published>9.99</Published>"
		    "</Rate></ShipmentCharges></ShipmentRates>\n"
		    "      <TrackingNumbers><TrackingNumber>TRACKING</TrackingNumber>"
		    "</TrackingNumbers>\n"
		    "    </ProcessMessage>\n  </OpenShipment>\n" },
	};
	struct got g;
	char msgs[4096], *doc, *next, *t;
	size_t i;
	int rc;

	doc = export(OMS_CARRIER_WORLDSHIP, pkgs, 2);
	if (doc == NULL)
		abort();
	for (i = 0; i < 2; i++) {
		next = replace_all(doc, process[i][0], process[i][1]);
		free(doc);
		doc = next;
	}
	/* Each shipment its own number, as WorldShip assigns them. */
	t = strstr(doc, "TRACKING");
	memcpy(t, "1Z999AA1", 8);
	next = replace_all(doc, "1Z999AA1", "1Z999AA10123456784");
	free(doc);
	doc = replace_all(next, "TRACKING", "1Z5R89390357567127");
	free(next);
	memset(&g, 0, sizeof g);
	rc = read_text(doc, NULL, "ws.out", OMS_CARRIER_WORLDSHIP, &g, msgs, sizeof msgs);
	ok(rc == 0, "round trip: every shipment read (got %d)", rc);
	is_str(g.rows,
	    "ws.out:3|42|ups|GND|1Z999AA10123456784|1|2.6lb|9.99\n"
	    "ws.out:47|43|ups|PRIORITY|1Z5R89390357567127|1|0.1lb|9.99\n",
	    "round trip: each order back with its tracking number, service, weight and charge");
	is_str(msgs, "", "round trip: nothing reported");
	free(doc);
}

int
main(void)
{
	exports();
	service_codes();
	weights();
	abroad();
	reads();
	unreadable();
	verdicts();
	long_error();
	round_trip();
	return done_testing();
}
