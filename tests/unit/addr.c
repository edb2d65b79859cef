/* Unit tests for the embedded address verifier: standardization and checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <oms/addr.h>

#include "tap.h"

/* Fields of a case, in this order: line1, line2, city, region, postal_code, country. */
enum { L1, L2, CITY, REGION, POSTAL, COUNTRY, NF };

static const char *const fname[NF] = { "line1", "line2", "city", "region", "postal_code",
	"country" };

/* One address, what it should standardize to, and the verdict. */
struct tcase {
	const char *what;
	const char *in[NF];
	const char *want[NF];
	int verified, po_box, military;
	const char *reason;
};

/* Name and company ride along on every case: they must come back untouched. */
#define NAME "Pat O'Brien-Smith"
#define COMPANY "acme, inc."

static const struct tcase cases[] = {
	/* Delivery lines: suffixes, units, directionals (Publication 28 2.3). */
	{ "apartment in line1 stays there, standardized",
	    { "123 Main Street Apt 4", NULL, "Springfield", "Illinois", "62701", NULL },
	    { "123 MAIN ST APT 4", NULL, "SPRINGFIELD", "IL", "62701", "US" }, 1, 0, 0, "" },
	{ "# as a unit gets its blank",
	    { "123 Main St #4", NULL, "Chicago", "IL", "60601", "US" },
	    { "123 MAIN ST # 4", NULL, "CHICAGO", "IL", "60601", "US" }, 1, 0, 0, "" },
	{ "a # after a designator is dropped, periods and commas too",
	    { "123 Main St., Apt. #4B", NULL, "Chicago", "IL", "60601", "US" },
	    { "123 MAIN ST APT 4B", NULL, "CHICAGO", "IL", "60601", "US" }, 1, 0, 0, "" },
	{ "suite in line2",
	    { "500 West Madison Street", "Suite 1200", "Chicago", "IL", "60661", "US" },
	    { "500 W MADISON ST", "STE 1200", "CHICAGO", "IL", "60661", "US" }, 1, 0, 0, "" },
	{ "ordinal floor in line2",
	    { "500 W Madison St", "3rd Floor", "Chicago", "IL", "60661", "US" },
	    { "500 W MADISON ST", "FL 3", "CHICAGO", "IL", "60661", "US" }, 1, 0, 0, "" },
	{ "#12 alone in line2",
	    { "500 W Madison St", "#12", "Chicago", "IL", "60661", "US" },
	    { "500 W MADISON ST", "# 12", "CHICAGO", "IL", "60661", "US" }, 1, 0, 0, "" },
	{ "a designator without a number at the end (REAR)",
	    { "123 Main St Rear", NULL, "Chicago", "IL", "60601", "US" },
	    { "123 MAIN ST REAR", NULL, "CHICAGO", "IL", "60601", "US" }, 1, 0, 0, "" },
	{ "two units in a row",
	    { "123 Main St Building A Apartment 12", NULL, "Chicago", "IL", "60601", "US" },
	    { "123 MAIN ST BLDG A APT 12", NULL, "CHICAGO", "IL", "60601", "US" }, 1, 0, 0, "" },
	{ "Court Street: only the last suffix is abbreviated",
	    { "1 Court Street", NULL, "Brooklyn", "NY", "11201", "USA" },
	    { "1 COURT ST", NULL, "BROOKLYN", "NY", "11201", "US" }, 1, 0, 0, "" },
	{ "Avenue of the Americas keeps its AVENUE",
	    { "1211 Avenue of the Americas", NULL, "New York", "NY", "10036", "US" },
	    { "1211 AVENUE OF THE AMERICAS", NULL, "NEW YORK", "NY", "10036", "US" }, 1, 0, 0,
	    "" },
	{ "a number spelled out stays words",
	    { "One Hundred Main Street", NULL, "Springfield", "IL", "62701", "United States" },
	    { "ONE HUNDRED MAIN ST", NULL, "SPRINGFIELD", "IL", "62701", "US" }, 1, 0, 0, "" },
	{ "a fractional house number is kept",
	    { "123 1/2 Main St", NULL, "Springfield", "IL", "62701", NULL },
	    { "123 1/2 MAIN ST", NULL, "SPRINGFIELD", "IL", "62701", "US" }, 1, 0, 0, "" },
	{ "a hyphenated house number is kept",
	    { "123-45 Queens Boulevard", NULL, "Forest Hills", "NY", "11375", NULL },
	    { "123-45 QUEENS BLVD", NULL, "FOREST HILLS", "NY", "11375", "US" }, 1, 0, 0, "" },
	{ "postdirectional spelled out, DC by name",
	    { "1600 Pennsylvania Avenue Northwest", NULL, "Washington", "District of Columbia",
	    "20500", NULL },
	    { "1600 PENNSYLVANIA AVE NW", NULL, "WASHINGTON", "DC", "20500", "US" }, 1, 0, 0,
	    "" },
	{ "predirectional with periods, ordinal street, state by name",
	    { "456 N.W. 23rd Avenue", NULL, "Portland", "Oregon", "97210", NULL },
	    { "456 NW 23RD AVE", NULL, "PORTLAND", "OR", "97210", "US" }, 1, 0, 0, "" },
	{ "a directional that is the street name stays spelled out",
	    { "789 North Street", NULL, "Pittsfield", "MA", "01201", NULL },
	    { "789 NORTH ST", NULL, "PITTSFIELD", "MA", "01201", "US" }, 1, 0, 0, "" },
	{ "N is the street name, NW the postdirectional",
	    { "1234 N St NW", NULL, "Washington", "DC", "20005", NULL },
	    { "1234 N ST NW", NULL, "WASHINGTON", "DC", "20005", "US" }, 1, 0, 0, "" },
	{ "two directional words make one",
	    { "123 North West Main St", NULL, "Portland", "OR", "97201", NULL },
	    { "123 NW MAIN ST", NULL, "PORTLAND", "OR", "97201", "US" }, 1, 0, 0, "" },
	{ "a street named by two directionals is left alone",
	    { "123 East West Highway", NULL, "Bethesda", "MD", "20814", NULL },
	    { "123 EAST WEST HWY", NULL, "BETHESDA", "MD", "20814", "US" }, 1, 0, 0, "" },
	{ "apostrophe dropped in a street name",
	    { "123 O'Brien Road", NULL, "Chicago", "IL", "60601", NULL },
	    { "123 OBRIEN RD", NULL, "CHICAGO", "IL", "60601", "US" }, 1, 0, 0, "" },

	/* Highways, rural and highway contract routes (2.3.7, 2.4, 2.5). */
	{ "State Highway 20",
	    { "1234 State Highway 20", NULL, "Sisters", "OR", "97759", NULL },
	    { "1234 STATE HIGHWAY 20", NULL, "SISTERS", "OR", "97759", "US" }, 1, 0, 0, "" },
	{ "HWY 20 spelled out as the street name",
	    { "1234 Hwy 20", NULL, "Sisters", "OR", "97759", NULL },
	    { "1234 HIGHWAY 20", NULL, "SISTERS", "OR", "97759", "US" }, 1, 0, 0, "" },
	{ "US Hwy 1 with a postdirectional",
	    { "5 US Hwy 1 N", NULL, "Kittery", "ME", "03904", NULL },
	    { "5 US HIGHWAY 1 N", NULL, "KITTERY", "ME", "03904", "US" }, 1, 0, 0, "" },
	{ "I-35",
	    { "2100 I-35", NULL, "Austin", "TX", "78701", NULL },
	    { "2100 INTERSTATE 35", NULL, "AUSTIN", "TX", "78701", "US" }, 1, 0, 0, "" },
	{ "a lettered county road",
	    { "12 County Rd K", NULL, "Madison", "WI", "53703", NULL },
	    { "12 COUNTY ROAD K", NULL, "MADISON", "WI", "53703", "US" }, 1, 0, 0, "" },
	{ "HIGHWAY as a suffix is HWY",
	    { "1 Pacific Coast Highway", NULL, "Malibu", "CA", "90265", NULL },
	    { "1 PACIFIC COAST HWY", NULL, "MALIBU", "CA", "90265", "US" }, 1, 0, 0, "" },
	{ "RR 2 Box 152",
	    { "RR 2 Box 152", NULL, "Anytown", "KS", "67001", NULL },
	    { "RR 2 BOX 152", NULL, "ANYTOWN", "KS", "67001", "US" }, 1, 0, 0, "" },
	{ "Rural Route with a leading zero and a comma",
	    { "Rural Route 02, Box 152", NULL, "Anytown", "KS", "67001", NULL },
	    { "RR 2 BOX 152", NULL, "ANYTOWN", "KS", "67001", "US" }, 1, 0, 0, "" },
	{ "R.R. #2",
	    { "R.R. #2 Box 152", NULL, "Anytown", "KS", "67001", NULL },
	    { "RR 2 BOX 152", NULL, "ANYTOWN", "KS", "67001", "US" }, 1, 0, 0, "" },
	{ "RFD is RR",
	    { "RFD 3 Box 9", NULL, "Anytown", "KS", "67001", NULL },
	    { "RR 3 BOX 9", NULL, "ANYTOWN", "KS", "67001", "US" }, 1, 0, 0, "" },
	{ "Route N Box N is a rural route",
	    { "Route 2 Box 152", NULL, "Anytown", "KS", "67001", NULL },
	    { "RR 2 BOX 152", NULL, "ANYTOWN", "KS", "67001", "US" }, 1, 0, 0, "" },
	{ "Star Route is HC",
	    { "Star Route 3 Box 9", NULL, "Anytown", "KS", "67001", NULL },
	    { "HC 3 BOX 9", NULL, "ANYTOWN", "KS", "67001", "US" }, 1, 0, 0, "" },
	{ "Highway Contract",
	    { "Highway Contract 68 Box 23A", NULL, "Anytown", "KS", "67001", NULL },
	    { "HC 68 BOX 23A", NULL, "ANYTOWN", "KS", "67001", "US" }, 1, 0, 0, "" },

	/* PO boxes (2.8). */
	{ "P.O. Box 12",
	    { "P.O. Box 12", NULL, "Chicago", "IL", "60601", NULL },
	    { "PO BOX 12", NULL, "CHICAGO", "IL", "60601", "US" }, 1, 1, 0, "" },
	{ "Post Office Box 12",
	    { "Post Office Box 12", NULL, "Chicago", "IL", "60601", NULL },
	    { "PO BOX 12", NULL, "CHICAGO", "IL", "60601", "US" }, 1, 1, 0, "" },
	{ "POB 12",
	    { "POB 12", NULL, "Chicago", "IL", "60601", NULL },
	    { "PO BOX 12", NULL, "CHICAGO", "IL", "60601", "US" }, 1, 1, 0, "" },
	{ "P O Box #12",
	    { "P O Box #12", NULL, "Chicago", "IL", "60601", NULL },
	    { "PO BOX 12", NULL, "CHICAGO", "IL", "60601", "US" }, 1, 1, 0, "" },
	{ "a bare Box 12 line is a PO box",
	    { "Box 12", NULL, "Chicago", "IL", "60601", NULL },
	    { "PO BOX 12", NULL, "CHICAGO", "IL", "60601", "US" }, 1, 1, 0, "" },
	{ "Drawer is PO BOX",
	    { "Drawer 7", NULL, "Chicago", "IL", "60601", NULL },
	    { "PO BOX 7", NULL, "CHICAGO", "IL", "60601", "US" }, 1, 1, 0, "" },
	{ "PO box in line2 under a company line",
	    { "Acme Corp", "PO Box 99", "Chicago", "IL", "60601", NULL },
	    { "ACME CORP", "PO BOX 99", "CHICAGO", "IL", "60601", "US" }, 1, 1, 0, "" },
	{ "a PO box without its number",
	    { "PO Box", NULL, "Chicago", "IL", "60601", NULL },
	    { "PO BOX", NULL, "CHICAGO", "IL", "60601", "US" }, 0, 1, 0,
	    "PO BOX without a box number" },
	{ "Box Elder Road is a street, not a box",
	    { "12 Box Elder Road", NULL, "Chicago", "IL", "60601", NULL },
	    { "12 BOX ELDER RD", NULL, "CHICAGO", "IL", "60601", "US" }, 1, 0, 0, "" },

	/* Military (2.2.5, 2.3.8). */
	{ "APO AE with a PSC line",
	    { "PSC 1234 Box 5678", NULL, "APO", "AE", "09012", NULL },
	    { "PSC 1234 BOX 5678", NULL, "APO", "AE", "09012", "US" }, 1, 0, 1, "" },
	{ "FPO AP with a UNIT line",
	    { "Unit 2050 Box 4190", NULL, "FPO", "AP", "96278", NULL },
	    { "UNIT 2050 BOX 4190", NULL, "FPO", "AP", "96278", "US" }, 1, 0, 1, "" },
	{ "DPO AA with a CMR line",
	    { "CMR 450 Box 1", NULL, "DPO", "AA", "34038", NULL },
	    { "CMR 450 BOX 1", NULL, "DPO", "AA", "34038", "US" }, 1, 0, 1, "" },
	{ "a ship",
	    { "USCGC Hamilton", NULL, "FPO", "AP", "96667", NULL },
	    { "USCGC HAMILTON", NULL, "FPO", "AP", "96667", "US" }, 1, 0, 1, "" },
	{ "APO AE typed into the city",
	    { "PSC 3 Box 7", NULL, "APO AE", NULL, "09021", NULL },
	    { "PSC 3 BOX 7", NULL, "APO", "AE", "09021", "US" }, 1, 0, 1, "" },
	{ "Armed Forces Europe by name",
	    { "PSC 3 Box 7", NULL, "apo", "Armed Forces Europe", "09021", NULL },
	    { "PSC 3 BOX 7", NULL, "APO", "AE", "09021", "US" }, 1, 0, 1, "" },
	{ "a military state with a city",
	    { "PSC 1234 Box 5678", NULL, "Berlin", "AE", "09012", NULL },
	    { "PSC 1234 BOX 5678", NULL, "BERLIN", "AE", "09012", "US" }, 0, 0, 1,
	    "state AE is for APO, FPO and DPO mail; the city must be APO, FPO or DPO, not "
	    "\"BERLIN\"" },
	{ "APO with a state",
	    { "PSC 1234 Box 5678", NULL, "APO", "NY", "09012", NULL },
	    { "PSC 1234 BOX 5678", NULL, "APO", "NY", "09012", "US" }, 0, 0, 1,
	    "APO mail takes state AA, AE or AP, not NY" },
	{ "a PSC line in a city",
	    { "PSC 1234 Box 5678", NULL, "Chicago", "IL", "60601", NULL },
	    { "PSC 1234 BOX 5678", NULL, "CHICAGO", "IL", "60601", "US" }, 0, 0, 0,
	    "\"PSC 1234 BOX 5678\" is a military delivery line; the city must be APO, FPO or "
	    "DPO" },
	{ "an AP ZIP with state AE",
	    { "PSC 1234 Box 5678", NULL, "APO", "AE", "96201", NULL },
	    { "PSC 1234 BOX 5678", NULL, "APO", "AE", "96201", "US" }, 0, 0, 1,
	    "ZIP 96201 is in AP, not AE" },

	/* ZIP Codes. */
	{ "ZIP+4",
	    { "1 Main St", NULL, "Springfield", "IL", "62701-1234", NULL },
	    { "1 MAIN ST", NULL, "SPRINGFIELD", "IL", "62701-1234", "US" }, 1, 0, 0, "" },
	{ "ZIP+4 as 9 digits",
	    { "1 Main St", NULL, "Springfield", "IL", "627011234", NULL },
	    { "1 MAIN ST", NULL, "SPRINGFIELD", "IL", "62701-1234", "US" }, 1, 0, 0, "" },
	{ "ZIP+4 with a blank",
	    { "1 Main St", NULL, "Springfield", "IL", "62701 1234", NULL },
	    { "1 MAIN ST", NULL, "SPRINGFIELD", "IL", "62701-1234", "US" }, 1, 0, 0, "" },
	{ "4 digits: a lost leading zero is not guessed",
	    { "1 Main St", NULL, "Boston", "MA", "2108", NULL },
	    { "1 MAIN ST", NULL, "BOSTON", "MA", "2108", "US" }, 0, 0, 0,
	    "ZIP Code 2108 has 4 digits, not 5: was a leading zero lost? Check the original" },
	{ "8 digits",
	    { "1 Main St", NULL, "Boston", "MA", "21081234", NULL },
	    { "1 MAIN ST", NULL, "BOSTON", "MA", "21081234", "US" }, 0, 0, 0,
	    "ZIP Code 21081234 has 8 digits, not 9: was a leading zero lost? Check the "
	    "original" },
	{ "a letter in the ZIP",
	    { "1 Main St", NULL, "Springfield", "IL", "6270a", NULL },
	    { "1 MAIN ST", NULL, "SPRINGFIELD", "IL", "6270A", "US" }, 0, 0, 0,
	    "ZIP Code \"6270a\" is not 5 digits or ZIP+4 (12345-6789)" },
	{ "a dangling hyphen",
	    { "1 Main St", NULL, "Springfield", "IL", "62701-", NULL },
	    { "1 MAIN ST", NULL, "SPRINGFIELD", "IL", "62701-", "US" }, 0, 0, 0,
	    "ZIP Code \"62701-\" is not 5 digits or ZIP+4 (12345-6789)" },
	{ "a ZIP from the wrong state",
	    { "1 Main St", NULL, "Los Angeles", "CA", "10001", NULL },
	    { "1 MAIN ST", NULL, "LOS ANGELES", "CA", "10001", "US" }, 0, 0, 0,
	    "ZIP 10001 is in NY, not CA" },
	{ "a ZIP not in use",
	    { "1 Main St", NULL, "Nowhere", "NY", "00012", NULL },
	    { "1 MAIN ST", NULL, "NOWHERE", "NY", "00012", "US" }, 0, 0, 0,
	    "ZIP 00012 is not in use" },
	{ "96799 is American Samoa, not Hawaii",
	    { "1 Main St", NULL, "Honolulu", "HI", "96799", NULL },
	    { "1 MAIN ST", NULL, "HONOLULU", "HI", "96799", "US" }, 0, 0, 0,
	    "ZIP 96799 is in AS, not HI" },
	{ "06390 is Fishers Island, NY",
	    { "1 Main St", NULL, "Fishers Island", "NY", "06390", NULL },
	    { "1 MAIN ST", NULL, "FISHERS ISLAND", "NY", "06390", "US" }, 1, 0, 0, "" },

	/* States, territories, countries. */
	{ "Puerto Rico by name",
	    { "1 Calle Luna", NULL, "San Juan", "Puerto Rico", "00901", NULL },
	    { "1 CALLE LUNA", NULL, "SAN JUAN", "PR", "00901", "US" }, 1, 0, 0, "" },
	{ "country PR fills in state PR",
	    { "1 Calle Luna", NULL, "San Juan", NULL, "00901", "Puerto Rico" },
	    { "1 CALLE LUNA", NULL, "SAN JUAN", "PR", "00901", "PR" }, 1, 0, 0, "" },
	{ "country PR with another state",
	    { "1 Calle Luna", NULL, "San Juan", "NY", "00901", "PR" },
	    { "1 CALLE LUNA", NULL, "SAN JUAN", "NY", "00901", "PR" }, 0, 0, 0,
	    "country PR takes state PR, not NY" },
	{ "Guam",
	    { "1 Marine Corps Dr", NULL, "Hagatna", NULL, "96910", "Guam" },
	    { "1 MARINE CORPS DR", NULL, "HAGATNA", "GU", "96910", "GU" }, 1, 0, 0, "" },
	{ "a misspelt state, no country",
	    { "1 Main St", NULL, "Springfield", "Ilinois", "62701", NULL },
	    { "1 MAIN ST", NULL, "SPRINGFIELD", "ILINOIS", "62701", "US" }, 0, 0, 0,
	    "unknown US state \"Ilinois\" (no country given, so the address was read as US)" },
	{ "a misspelt state, country US",
	    { "1 Main St", NULL, "Springfield", "Ilinois", "62701", "US" },
	    { "1 MAIN ST", NULL, "SPRINGFIELD", "ILINOIS", "62701", "US" }, 0, 0, 0,
	    "unknown state \"Ilinois\"" },
	{ "no city",
	    { "1 Main St", NULL, NULL, "IL", "62701", NULL },
	    { "1 MAIN ST", NULL, NULL, "IL", "62701", "US" }, 0, 0, 0, "no city" },
	{ "no state",
	    { "1 Main St", NULL, "Springfield", " ", "62701", NULL },
	    { "1 MAIN ST", NULL, "SPRINGFIELD", NULL, "62701", "US" }, 0, 0, 0, "no state" },
	{ "no ZIP",
	    { "1 Main St", NULL, "Springfield", "IL", NULL, NULL },
	    { "1 MAIN ST", NULL, "SPRINGFIELD", "IL", NULL, "US" }, 0, 0, 0, "no ZIP Code" },
	{ "an empty address",
	    { NULL, NULL, NULL, NULL, NULL, NULL },
	    { NULL, NULL, NULL, NULL, NULL, "US" }, 0, 0, 0, "no street address" },
	{ "blank street lines",
	    { "  ", " , ", "Springfield", "IL", "62701", NULL },
	    { NULL, NULL, "SPRINGFIELD", "IL", "62701", "US" }, 0, 0, 0, "no street address" },
	{ "the street in line2 only moves up",
	    { NULL, "123 Main St", "Chicago", "IL", "60601", NULL },
	    { "123 MAIN ST", NULL, "CHICAGO", "IL", "60601", "US" }, 1, 0, 0, "" },
	{ "blanks trimmed and collapsed everywhere",
	    { "  123   Main   Street ", NULL, "  Chicago ", " il ", " 60601 ", " us " },
	    { "123 MAIN ST", NULL, "CHICAGO", "IL", "60601", "US" }, 1, 0, 0, "" },
	{ "city punctuation as the City State file has it",
	    { "1 Main St", NULL, "St. Louis", "MO", "63101", "U.S.A." },
	    { "1 MAIN ST", NULL, "ST LOUIS", "MO", "63101", "US" }, 1, 0, 0, "" },
	{ "apostrophe and hyphen in a city",
	    { "1 Main St", NULL, "Coeur d'Alene", "ID", "83814", "United States of America" },
	    { "1 MAIN ST", NULL, "COEUR D ALENE", "ID", "83814", "US" }, 1, 0, 0, "" },
	{ "Winston-Salem",
	    { "1 Main St", NULL, "Winston-Salem", "North Carolina", "27101", "usa" },
	    { "1 MAIN ST", NULL, "WINSTON SALEM", "NC", "27101", "US" }, 1, 0, 0, "" },
	{ "America is not a country",
	    { "123 Main St", NULL, "Springfield", "IL", "62701", "America" },
	    { "123 Main St", NULL, "SPRINGFIELD", "IL", "62701", "America" }, 0, 0, 0,
	    "unknown country \"America\" (write its ISO 3166 code, like US or GB, or its "
	    "name)" },
	{ "no country and a Canadian province",
	    { "1 Main St", NULL, "Toronto", "ON", "M5V 2T6", NULL },
	    { "1 MAIN ST", NULL, "TORONTO", "ON", "M5V 2T6", "US" }, 0, 0, 0,
	    "unknown US state \"ON\" (no country given, so the address was read as US)" },

	/* Outside the US: city in capitals, postal code formats. */
	{ "Canada: Montréal stays UTF-8, in capitals, province by name, postal code spaced",
	    { "1 Rue Sainte-Catherine", NULL, "Montréal", "Québec", "h3b1a7", "Canada" },
	    { "1 Rue Sainte-Catherine", NULL, "MONTRÉAL", "QC", "H3B 1A7", "CA" }, 1, 0, 0,
	    "" },
	{ "Canada: a good postal code",
	    { "80 Wellington St", NULL, "Ottawa", "ON", "K1A 0B1", "CA" },
	    { "80 Wellington St", NULL, "OTTAWA", "ON", "K1A 0B1", "CA" }, 1, 0, 0, "" },
	{ "Canada: D is never in a postal code",
	    { "80 Wellington St", NULL, "Ottawa", "ON", "D1A 0B1", "CA" },
	    { "80 Wellington St", NULL, "OTTAWA", "ON", "D1A 0B1", "CA" }, 0, 0, 0,
	    "postal code \"D1A 0B1\" is not a Canadian postal code (A1A 1A1)" },
	{ "Canada: too short",
	    { "80 Wellington St", NULL, "Ottawa", "ON", "K1A 0B", "CA" },
	    { "80 Wellington St", NULL, "OTTAWA", "ON", "K1A 0B", "CA" }, 0, 0, 0,
	    "postal code \"K1A 0B\" is not a Canadian postal code (A1A 1A1)" },
	{ "Canada: postal code from another province",
	    { "1 Main St", NULL, "Montreal", "QC", "M5V 2T6", "CA" },
	    { "1 Main St", NULL, "MONTREAL", "QC", "M5V 2T6", "CA" }, 0, 0, 0,
	    "postal code M5V 2T6 is in ON, not QC" },
	{ "Canada: no province",
	    { "1 Main St", NULL, "Toronto", NULL, "M5V 2T6", "CA" },
	    { "1 Main St", NULL, "TORONTO", NULL, "M5V 2T6", "CA" }, 0, 0, 0, "no province" },
	{ "Canada: unknown province",
	    { "1 Main St", NULL, "Toronto", "Ontari", "M5V 2T6", "CA" },
	    { "1 Main St", NULL, "TORONTO", "ONTARI", "M5V 2T6", "CA" }, 0, 0, 0,
	    "unknown Canadian province \"Ontari\"" },
	{ "UK postcode without its blank",
	    { "10 Downing Street", NULL, "London", NULL, "sw1a2aa", "United Kingdom" },
	    { "10 Downing Street", NULL, "LONDON", NULL, "SW1A 2AA", "GB" }, 1, 0, 0, "" },
	{ "UK as the country",
	    { "1 Poultry", NULL, "London", "Greater London", "EC2R 8EJ", "UK" },
	    { "1 Poultry", NULL, "LONDON", "GREATER LONDON", "EC2R 8EJ", "GB" }, 1, 0, 0, "" },
	{ "GIR 0AA",
	    { "Bootle", NULL, "Liverpool", NULL, "GIR0AA", "Great Britain" },
	    { "Bootle", NULL, "LIVERPOOL", NULL, "GIR 0AA", "GB" }, 1, 0, 0, "" },
	{ "UK: no Q first",
	    { "1 High St", NULL, "London", NULL, "Q1A 2AA", "GB" },
	    { "1 High St", NULL, "LONDON", NULL, "Q1A 2AA", "GB" }, 0, 0, 0,
	    "postal code \"Q1A 2AA\" is not a UK postcode (like SW1A 1AA)" },
	{ "UK: no C in the inward code",
	    { "1 High St", NULL, "London", NULL, "SW1A 2CA", "GB" },
	    { "1 High St", NULL, "LONDON", NULL, "SW1A 2CA", "GB" }, 0, 0, 0,
	    "postal code \"SW1A 2CA\" is not a UK postcode (like SW1A 1AA)" },
	{ "Germany by its own name",
	    { "Unter den Linden 1", NULL, "Berlin", NULL, "10117", "Deutschland" },
	    { "Unter den Linden 1", NULL, "BERLIN", NULL, "10117", "DE" }, 1, 0, 0, "" },
	{ "Germany: 4 digits",
	    { "Unter den Linden 1", NULL, "Berlin", NULL, "1011", "DE" },
	    { "Unter den Linden 1", NULL, "BERLIN", NULL, "1011", "DE" }, 0, 0, 0,
	    "postal code \"1011\" is not a German postal code (5 digits)" },
	{ "Germany: Postfach is a PO box",
	    { "Postfach 12 34", NULL, "Berlin", NULL, "10117", "DE" },
	    { "Postfach 12 34", NULL, "BERLIN", NULL, "10117", "DE" }, 1, 1, 0, "" },
	{ "Germany: no postal code",
	    { "Unter den Linden 1", NULL, "Berlin", NULL, NULL, "DE" },
	    { "Unter den Linden 1", NULL, "BERLIN", NULL, NULL, "DE" }, 0, 0, 0,
	    "no postal code" },
	{ "France",
	    { "1 rue de la Paix", NULL, "Paris", NULL, "75002", "France" },
	    { "1 rue de la Paix", NULL, "PARIS", NULL, "75002", "FR" }, 1, 0, 0, "" },
	{ "France: a letter",
	    { "1 rue de la Paix", NULL, "Paris", NULL, "7500A", "FR" },
	    { "1 rue de la Paix", NULL, "PARIS", NULL, "7500A", "FR" }, 0, 0, 0,
	    "postal code \"7500A\" is not a French postal code (5 digits)" },
	{ "Australia",
	    { "1 George St", NULL, "Sydney", "nsw", "2000", "Australia" },
	    { "1 George St", NULL, "SYDNEY", "NSW", "2000", "AU" }, 1, 0, 0, "" },
	{ "Australia: 5 digits",
	    { "1 George St", NULL, "Sydney", "NSW", "20000", "AU" },
	    { "1 George St", NULL, "SYDNEY", "NSW", "20000", "AU" }, 0, 0, 0,
	    "postal code \"20000\" is not an Australian postcode (4 digits)" },
	{ "Japan: 7 digits get their hyphen",
	    { "1-1 Chiyoda", NULL, "Tokyo", NULL, "1000001", "Japan" },
	    { "1-1 Chiyoda", NULL, "TOKYO", NULL, "100-0001", "JP" }, 1, 0, 0, "" },
	{ "Japan: 6 digits",
	    { "1-1 Chiyoda", NULL, "Tokyo", NULL, "100-001", "JP" },
	    { "1-1 Chiyoda", NULL, "TOKYO", NULL, "100-001", "JP" }, 0, 0, 0,
	    "postal code \"100-001\" is not a Japanese postal code (123-4567)" },
	{ "Netherlands: letters upper-cased and spaced",
	    { "Damrak 1", NULL, "Amsterdam", NULL, "1012lg", "The Netherlands" },
	    { "Damrak 1", NULL, "AMSTERDAM", NULL, "1012 LG", "NL" }, 1, 0, 0, "" },
	{ "Netherlands: SA is never used",
	    { "Damrak 1", NULL, "Amsterdam", NULL, "1012 SA", "NL" },
	    { "Damrak 1", NULL, "AMSTERDAM", NULL, "1012 SA", "NL" }, 0, 0, 0,
	    "postal code \"1012 SA\" is not a Dutch postcode (1234 AB)" },
	{ "Netherlands: no leading zero",
	    { "Damrak 1", NULL, "Amsterdam", NULL, "0123 AB", "NL" },
	    { "Damrak 1", NULL, "AMSTERDAM", NULL, "0123 AB", "NL" }, 0, 0, 0,
	    "postal code \"0123 AB\" is not a Dutch postcode (1234 AB)" },
	{ "Mexico with a leading zero and an accented city",
	    { "Paseo de la Reforma 1", NULL, "Ciudad de México", "CDMX", "06600", "México" },
	    { "Paseo de la Reforma 1", NULL, "CIUDAD DE MÉXICO", "CDMX", "06600", "MX" }, 1,
	    0, 0, "" },
	{ "Mexico: 3 digits",
	    { "Paseo de la Reforma 1", NULL, "Ciudad de Mexico", NULL, "660", "MX" },
	    { "Paseo de la Reforma 1", NULL, "CIUDAD DE MEXICO", NULL, "660", "MX" }, 0, 0, 0,
	    "postal code \"660\" is not a Mexican postal code (5 digits)" },
	{ "Zürich",
	    { "Bahnhofstrasse 1", NULL, "Zürich", NULL, "8001", "Schweiz" },
	    { "Bahnhofstrasse 1", NULL, "ZÜRICH", NULL, "8001", "CH" }, 1, 0, 0, "" },
	{ "São Paulo, a country without format rules",
	    { "Avenida Paulista 1000", NULL, "São Paulo", "sp", "01310-100", "Brasil" },
	    { "Avenida Paulista 1000", NULL, "SÃO PAULO", "SP", "01310-100", "BR" }, 1, 0, 0,
	    "" },
	{ "Singapore needs no city",
	    { "1 Orchard Road", NULL, NULL, NULL, "238823", "Singapore" },
	    { "1 Orchard Road", NULL, NULL, NULL, "238823", "SG" }, 1, 0, 0, "" },
	{ "a foreign address needs a city",
	    { "Via Roma 1", NULL, NULL, NULL, "00100", "Italia" },
	    { "Via Roma 1", NULL, NULL, NULL, "00100", "IT" }, 0, 0, 0, "no city" },
	{ "an unknown country",
	    { "1 Main St", NULL, "Cair Paravel", NULL, "123", "Narnia" },
	    { "1 Main St", NULL, "CAIR PARAVEL", NULL, "123", "Narnia" }, 0, 0, 0,
	    "unknown country \"Narnia\" (write its ISO 3166 code, like US or GB, or its "
	    "name)" },

	/* Bytes that are not text: refused, nothing standardized. */
	{ "a tab in line1",
	    { "123 Main\tSt", NULL, "Chicago", "IL", "60601", NULL },
	    { "123 Main\tSt", NULL, "Chicago", "IL", "60601", NULL }, 0, 0, 0,
	    "line1 contains a control character (0x09) at byte 9" },
	{ "a newline in the city",
	    { "123 Main St", NULL, "Chi\ncago", "IL", "60601", NULL },
	    { "123 Main St", NULL, "Chi\ncago", "IL", "60601", NULL }, 0, 0, 0,
	    "city contains a control character (0x0a) at byte 4" },
	{ "DEL in the ZIP",
	    { "123 Main St", NULL, "Chicago", "IL", "6060\x7f", NULL },
	    { "123 Main St", NULL, "Chicago", "IL", "6060\x7f", NULL }, 0, 0, 0,
	    "postal_code contains a control character (0x7f) at byte 5" },
	{ "a C1 control character (U+0085)",
	    { "123 Main St", NULL, "Chic\xc2\x85go", "IL", "60601", NULL },
	    { "123 Main St", NULL, "Chic\xc2\x85go", "IL", "60601", NULL }, 0, 0, 0,
	    "city contains a control character (U+0085) at byte 5" },
	{ "a Latin-1 byte, not UTF-8",
	    { "123 Main St", NULL, "Montr\xe9" "al", "QC", "H3B 1A7", "CA" },
	    { "123 Main St", NULL, "Montr\xe9" "al", "QC", "H3B 1A7", "CA" }, 0, 0, 0,
	    "city is not valid UTF-8 (byte 6)" },
	{ "an overlong UTF-8 slash",
	    { "123 Main \xc0\xaf St", NULL, "Chicago", "IL", "60601", NULL },
	    { "123 Main \xc0\xaf St", NULL, "Chicago", "IL", "60601", NULL }, 0, 0, 0,
	    "line1 is not valid UTF-8 (byte 10)" },
	{ "a UTF-16 surrogate in UTF-8",
	    { "123 Main St", "\xed\xa0\x80", "Chicago", "IL", "60601", NULL },
	    { "123 Main St", "\xed\xa0\x80", "Chicago", "IL", "60601", NULL }, 0, 0, 0,
	    "line2 is not valid UTF-8 (byte 1)" },
	{ "a cut-off UTF-8 sequence",
	    { "123 Main St", NULL, "Chicago", "IL", "60601", "Espa\xc3" },
	    { "123 Main St", NULL, "Chicago", "IL", "60601", "Espa\xc3" }, 0, 0, 0,
	    "country is not valid UTF-8 (byte 5)" },
};

/* same compares strings that may be NULL. */
static int
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* show prints a value for a failure report. */
static const char *
show(const char *s)
{
	return s != NULL ? s : "(null)";
}

/* check runs one case and asserts the whole result in one test. */
static void
check(const struct tcase *t)
{
	struct oms_address a = { NAME, COMPANY, (char *)t->in[L1], (char *)t->in[L2],
		(char *)t->in[CITY], (char *)t->in[REGION], (char *)t->in[POSTAL],
		(char *)t->in[COUNTRY] };
	struct oms_addr_result r;
	const char *got[NF];
	int rc, pass, i;

	rc = oms_addr_check(&a, &r);
	got[L1] = r.std.line1;
	got[L2] = r.std.line2;
	got[CITY] = r.std.city;
	got[REGION] = r.std.region;
	got[POSTAL] = r.std.postal_code;
	got[COUNTRY] = r.std.country;
	pass = rc == 0 && same(r.std.name, NAME) && same(r.std.company, COMPANY) &&
	    r.verified == t->verified && r.po_box == t->po_box && r.military == t->military &&
	    strcmp(r.reason, t->reason) == 0;
	for (i = 0; i < NF; i++)
		pass = pass && same(got[i], t->want[i]);
	ok(pass, "%s", t->what);
	if (!pass) {
		for (i = 0; i < NF; i++)
			if (!same(got[i], t->want[i]))
				printf("#   %s: got \"%s\", want \"%s\"\n", fname[i], show(got[i]),
				    show(t->want[i]));
		printf("#   verified %d po_box %d military %d (want %d %d %d)\n", r.verified,
		    r.po_box, r.military, t->verified, t->po_box, t->military);
		printf("#   reason: got \"%s\", want \"%s\"\n", r.reason, t->reason);
		printf("#   name \"%s\" company \"%s\" rc %d\n", show(r.std.name),
		    show(r.std.company), rc);
	}
	oms_addr_result_free(&r);
}

/* line1_is checks what one delivery line standardizes to in a good Chicago address. */
static void
line1_is(const char *line1, const char *want)
{
	struct oms_address a = { 0 };
	struct oms_addr_result r;

	a.line1 = (char *)line1;
	a.city = "Chicago";
	a.region = "IL";
	a.postal_code = "60601";
	ok(oms_addr_check(&a, &r) == 0 && same(r.std.line1, want) && r.verified,
	    "\"%s\" is \"%s\"", line1, want);
	if (!same(r.std.line1, want))
		printf("#   got \"%s\"\n", show(r.std.line1));
	oms_addr_result_free(&r);
}

/* Appendix C1: a spread of primary names, common forms and variants. */
static const char *const suffix_cases[][2] = {
	{ "Street", "ST" }, { "Str", "ST" }, { "Strt", "ST" }, { "St.", "ST" },
	{ "Avenue", "AVE" }, { "Av", "AVE" }, { "Aven", "AVE" }, { "Avenu", "AVE" },
	{ "Avn", "AVE" }, { "Avnue", "AVE" }, { "Boulevard", "BLVD" }, { "Boul", "BLVD" },
	{ "Boulv", "BLVD" }, { "Drive", "DR" }, { "Driv", "DR" }, { "Road", "RD" },
	{ "Lane", "LN" }, { "Court", "CT" }, { "Place", "PL" }, { "Terrace", "TER" },
	{ "Circle", "CIR" }, { "Crcle", "CIR" }, { "Parkway", "PKWY" }, { "Pky", "PKWY" },
	{ "Parkways", "PKWY" }, { "Expressway", "EXPY" }, { "Freeway", "FWY" },
	{ "Turnpike", "TPKE" }, { "Square", "SQ" }, { "Trail", "TRL" }, { "Trails", "TRL" },
	{ "Crossing", "XING" }, { "Crossroads", "XRDS" }, { "Centre", "CTR" },
	{ "Heights", "HTS" }, { "Mountain", "MTN" }, { "Junction", "JCT" },
	{ "Village", "VLG" }, { "Villiage", "VLG" }, { "Viaduct", "VIA" }, { "Wy", "WAY" },
	{ "Alley", "ALY" }, { "Annex", "ANX" }, { "Stravenue", "STRA" },
	{ "Meadows", "MDWS" }, { "Meadow", "MDW" }, { "Parks", "PARK" }, { "Walks", "WALK" },
	{ "Loops", "LOOP" }, { "Key", "KY" }, { "Springs", "SPGS" }, { "Hollow", "HOLW" },
	{ "Gardens", "GDNS" }, { "Plaza", "PLZ" }, { "Island", "IS" }, { "Ridge", "RDG" },
	{ "River", "RIV" }, { "Route", "RTE" }, { "Bayou", "BYU" }, { "Causeway", "CSWY" },
	{ "Extension", "EXT" }, { "Fort", "FT" }, { "Harbor", "HBR" }, { "Throughway", "TRWY" },
	{ "Trafficway", "TRFY" }, { "Underpass", "UPAS" }, { "Wells", "WLS" },
	{ "Cmn", "CMN" }, { "ALY", "ALY" },
};

/* Appendix C2: every secondary unit designator. */
static const char *const unit_cases[][3] = {
	{ "Apartment", "APT", "5" }, { "Basement", "BSMT", NULL }, { "Building", "BLDG", "5" },
	{ "Department", "DEPT", "5" }, { "Floor", "FL", "5" }, { "Front", "FRNT", NULL },
	{ "Hangar", "HNGR", "5" }, { "Key", "KEY", "5" }, { "Lobby", "LBBY", NULL },
	{ "Lot", "LOT", "5" }, { "Lower", "LOWR", NULL }, { "Office", "OFC", NULL },
	{ "Penthouse", "PH", NULL }, { "Pier", "PIER", "5" }, { "Rear", "REAR", NULL },
	{ "Room", "RM", "5" }, { "Side", "SIDE", NULL }, { "Slip", "SLIP", "5" },
	{ "Space", "SPC", "5" }, { "Stop", "STOP", "5" }, { "Suite", "STE", "5" },
	{ "Trailer", "TRLR", "5" }, { "Unit", "UNIT", "5" }, { "Upper", "UPPR", NULL },
};

/* Country names and codes to ISO 3166-1 alpha-2 (NULL: not a country). */
static const char *const country_cases[][2] = {
	{ "United States", "US" }, { "USA", "US" }, { "U.S.A.", "US" }, { "us", "US" },
	{ "U.S.", "US" }, { "United States of America", "US" }, { "America", NULL },
	{ "UK", "GB" }, { "Great Britain", "GB" }, { "United Kingdom", "GB" },
	{ "England", "GB" }, { "Deutschland", "DE" }, { "Germany", "DE" }, { "DEU", "DE" },
	{ "de", "DE" }, { "España", "ES" }, { "ÖSTERREICH", "AT" }, { "Côte d'Ivoire", "CI" },
	{ "Ivory Coast", "CI" }, { "Korea, Republic of", "KR" }, { "South Korea", "KR" },
	{ "The Netherlands", "NL" }, { "Holland", "NL" }, { "Bosnia & Herzegovina", "BA" },
	{ "Guinea-Bissau", "GW" }, { "Türkiye", "TR" }, { "Turkey", "TR" },
	{ "Viet Nam", "VN" }, { "Vietnam", "VN" }, { "Czech Republic", "CZ" },
	{ "CAN", "CA" }, { "Canada", "CA" }, { "Japan", "JP" }, { "México", "MX" },
	{ "Estados Unidos", "US" }, { "Puerto Rico", "PR" }, { "XX", NULL }, { "", NULL },
	{ "Narnia", NULL }, { "U", NULL }, { "  ", NULL },
};

/* field_limits checks the refusal of long fields, at and past the limit. */
static void
field_limits(void)
{
	struct oms_address a = { 0 };
	struct oms_addr_result r;
	char *big;

	if ((big = malloc(10241)) == NULL)
		abort();
	memset(big, 'A', 10240);
	big[10240] = '\0';
	a.line1 = "1 Main St";
	a.city = big;
	a.region = "IL";
	a.postal_code = "60601";
	ok(oms_addr_check(&a, &r) == 0 && !r.verified &&
	    strcmp(r.reason, "city is longer than 256 bytes") == 0 && same(r.std.city, big) &&
	    same(r.std.line1, "1 Main St") && r.changes[0] == '\0',
	    "a 10 KB city is refused and kept as given");
	oms_addr_result_free(&r);

	/* A line of 256 bytes is read; the worst growth ("#1" becoming "# 1") fits. */
	memcpy(big, "1 Main St ", 10);
	memset(big + 10, '#', 246);
	big[256] = '\0';
	a.line1 = big;
	a.city = "Chicago";
	ok(oms_addr_check(&a, &r) == 0 && r.verified && same(r.std.line1, "1 MAIN ST"),
	    "a 256-byte line is read (a run of # standardizes away)");
	oms_addr_result_free(&r);
	big[256] = 'x';
	big[257] = '\0';
	ok(oms_addr_check(&a, &r) == 0 && !r.verified &&
	    strcmp(r.reason, "line1 is longer than 256 bytes") == 0, "a 257-byte line is not");
	oms_addr_result_free(&r);
	free(big);
}

/* changes checks the list of what standardizing changed. */
static void
changes(void)
{
	struct oms_address a = { 0 };
	struct oms_addr_result r;
	char l1[251], l2[251];

	a.line1 = "123 Main Street";
	a.city = "SPRINGFIELD";
	a.region = "Illinois";
	a.postal_code = "62701";
	a.country = "US";
	oms_addr_check(&a, &r);
	is_str(r.changes, "line1: 123 Main Street -> 123 MAIN ST; region: Illinois -> IL",
	    "changes name each field with its old and new value");
	oms_addr_result_free(&r);

	a.line1 = "123 MAIN ST";
	a.region = "IL";
	oms_addr_check(&a, &r);
	ok(r.verified && r.changes[0] == '\0', "a standard address has no changes");
	oms_addr_result_free(&r);

	a.postal_code = "627011234";
	a.country = NULL;
	oms_addr_check(&a, &r);
	is_str(r.changes, "postal_code: 627011234 -> 62701-1234; country: (none) -> US",
	    "a ZIP+4 and the country filled in are changes too");
	oms_addr_result_free(&r);

	/* More than fits: whole entries, then "...". */
	memset(l1, 'a', 250);
	l1[0] = '1';
	l1[1] = ' ';
	l1[250] = '\0';
	memcpy(l2, l1, sizeof l2);
	l2[0] = '2';
	a.line1 = l1;
	a.line2 = l2;
	oms_addr_check(&a, &r);
	ok(strlen(r.changes) < sizeof r.changes && strncmp(r.changes, "line1: 1 aaa", 12) == 0 &&
	    strcmp(r.changes + strlen(r.changes) - 5, "; ...") == 0 &&
	    strstr(r.changes, "line2") == NULL, "changes that do not fit end in \"...\"");
	oms_addr_result_free(&r);
}

int
main(void)
{
	struct oms_addr_result r;
	char line[64];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check(&cases[i]);

	for (i = 0; i < sizeof suffix_cases / sizeof suffix_cases[0]; i++) {
		char want[64];

		snprintf(line, sizeof line, "1 Elm %s", suffix_cases[i][0]);
		snprintf(want, sizeof want, "1 ELM %s", suffix_cases[i][1]);
		line1_is(line, want);
	}
	for (i = 0; i < sizeof unit_cases / sizeof unit_cases[0]; i++) {
		char want[64];
		const char *n = unit_cases[i][2];

		snprintf(line, sizeof line, "1 Elm St %s%s%s", unit_cases[i][0], n ? " " : "",
		    n ? n : "");
		snprintf(want, sizeof want, "1 ELM ST %s%s%s", unit_cases[i][1], n ? " " : "",
		    n ? n : "");
		line1_is(line, want);
	}

	for (i = 0; i < sizeof country_cases / sizeof country_cases[0]; i++)
		is_str(oms_country_code(country_cases[i][0]), country_cases[i][1],
		    "country \"%s\" is %s", country_cases[i][0],
		    country_cases[i][1] ? country_cases[i][1] : "not known");
	ok(oms_country_code(NULL) == NULL, "no country is not a country");

	field_limits();
	changes();

	ok(oms_addr_check(NULL, &r) == 0 && !r.verified &&
	    strcmp(r.reason, "no street address") == 0 && same(r.std.country, "US") &&
	    r.std.name == NULL, "a NULL address is an empty one");
	oms_addr_result_free(&r);
	oms_addr_result_free(&r);
	oms_addr_result_free(NULL);
	ok(1, "freeing a result twice, or NULL, is harmless");
	return done_testing();
}
