/*
 * addr.c: the embedded address verifier.  Standardizes US addresses the
 * way USPS Publication 28 describes (street suffixes from Appendix C1,
 * secondary unit designators from C2, directionals, PO boxes, rural and
 * highway contract routes, military mail) and checks what can be checked
 * offline: the state, the ZIP Code's prefix against the state, postal
 * code formats of a few countries, the country itself.
 *
 * Everything works on bytes: ASCII letters are upper-cased by hand (no
 * locale), other bytes pass through untouched, so UTF-8 stays UTF-8; the
 * fields so put in capitals then get their other letters in capitals too
 * (omsi_utf8_upper, by table).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <oms/addr.h>

#include "internal.h"

/* Most words a line can hold: every word takes at least one input byte. */
#define MAXWORDS (OMS_ADDR_FIELD_MAX + 1)

/* Room for a user's value quoted in a reason: 60 bytes, "...", quotes. */
#define QUOTE_MAX 72

/* Room for a name or code reduced to a lookup key. */
#define KEY_MAX 128

/* What a delivery line turned out to be. */
enum {
	L_POBOX = 1,		/* a PO box */
	L_NOBOXNUM = 2,		/* a PO box without its number */
	L_MILITARY = 4		/* PSC, CMR or UNIT ... BOX: military mail */
};

/* A key and what it stands for; the tables are sorted on the key. */
struct pair {
	const char *key, *val;
};

/*
 * Publication 28 Appendix C1: street suffixes, every primary, common and
 * variant spelling, and the standard abbreviation.  The standard forms are
 * keys too, so an already standard suffix is found as itself.  MDW is
 * listed under both MEADOW and MEADOWS in C1; it is kept for MEADOW here,
 * as the standard abbreviation must map to itself.
 */
static const struct pair suffixes[] = {
	{ "ALLEE", "ALY" }, { "ALLEY", "ALY" }, { "ALLY", "ALY" }, { "ALY", "ALY" },
	{ "ANEX", "ANX" }, { "ANNEX", "ANX" }, { "ANNX", "ANX" }, { "ANX", "ANX" },
	{ "ARC", "ARC" }, { "ARCADE", "ARC" }, { "AV", "AVE" }, { "AVE", "AVE" },
	{ "AVEN", "AVE" }, { "AVENU", "AVE" }, { "AVENUE", "AVE" }, { "AVN", "AVE" },
	{ "AVNUE", "AVE" }, { "BAYOO", "BYU" }, { "BAYOU", "BYU" }, { "BCH", "BCH" },
	{ "BEACH", "BCH" }, { "BEND", "BND" }, { "BG", "BG" }, { "BGS", "BGS" },
	{ "BLF", "BLF" }, { "BLFS", "BLFS" }, { "BLUF", "BLF" }, { "BLUFF", "BLF" },
	{ "BLUFFS", "BLFS" }, { "BLVD", "BLVD" }, { "BND", "BND" }, { "BOT", "BTM" },
	{ "BOTTM", "BTM" }, { "BOTTOM", "BTM" }, { "BOUL", "BLVD" },
	{ "BOULEVARD", "BLVD" }, { "BOULV", "BLVD" }, { "BR", "BR" }, { "BRANCH", "BR" },
	{ "BRDGE", "BRG" }, { "BRG", "BRG" }, { "BRIDGE", "BRG" }, { "BRK", "BRK" },
	{ "BRKS", "BRKS" }, { "BRNCH", "BR" }, { "BROOK", "BRK" }, { "BROOKS", "BRKS" },
	{ "BTM", "BTM" }, { "BURG", "BG" }, { "BURGS", "BGS" }, { "BYP", "BYP" },
	{ "BYPA", "BYP" }, { "BYPAS", "BYP" }, { "BYPASS", "BYP" }, { "BYPS", "BYP" },
	{ "BYU", "BYU" }, { "CAMP", "CP" }, { "CANYN", "CYN" }, { "CANYON", "CYN" },
	{ "CAPE", "CPE" }, { "CAUSEWAY", "CSWY" }, { "CAUSWA", "CSWY" }, { "CEN", "CTR" },
	{ "CENT", "CTR" }, { "CENTER", "CTR" }, { "CENTERS", "CTRS" }, { "CENTR", "CTR" },
	{ "CENTRE", "CTR" }, { "CIR", "CIR" }, { "CIRC", "CIR" }, { "CIRCL", "CIR" },
	{ "CIRCLE", "CIR" }, { "CIRCLES", "CIRS" }, { "CIRS", "CIRS" }, { "CLB", "CLB" },
	{ "CLF", "CLF" }, { "CLFS", "CLFS" }, { "CLIFF", "CLF" }, { "CLIFFS", "CLFS" },
	{ "CLUB", "CLB" }, { "CMN", "CMN" }, { "CMNS", "CMNS" }, { "CMP", "CP" },
	{ "CNTER", "CTR" }, { "CNTR", "CTR" }, { "CNYN", "CYN" }, { "COMMON", "CMN" },
	{ "COMMONS", "CMNS" }, { "COR", "COR" }, { "CORNER", "COR" },
	{ "CORNERS", "CORS" }, { "CORS", "CORS" }, { "COURSE", "CRSE" }, { "COURT", "CT" },
	{ "COURTS", "CTS" }, { "COVE", "CV" }, { "COVES", "CVS" }, { "CP", "CP" },
	{ "CPE", "CPE" }, { "CRCL", "CIR" }, { "CRCLE", "CIR" }, { "CREEK", "CRK" },
	{ "CRES", "CRES" }, { "CRESCENT", "CRES" }, { "CREST", "CRST" }, { "CRK", "CRK" },
	{ "CROSSING", "XING" }, { "CROSSROAD", "XRD" }, { "CROSSROADS", "XRDS" },
	{ "CRSE", "CRSE" }, { "CRSENT", "CRES" }, { "CRSNT", "CRES" },
	{ "CRSSNG", "XING" }, { "CRST", "CRST" }, { "CSWY", "CSWY" }, { "CT", "CT" },
	{ "CTR", "CTR" }, { "CTRS", "CTRS" }, { "CTS", "CTS" }, { "CURV", "CURV" },
	{ "CURVE", "CURV" }, { "CV", "CV" }, { "CVS", "CVS" }, { "CYN", "CYN" },
	{ "DALE", "DL" }, { "DAM", "DM" }, { "DIV", "DV" }, { "DIVIDE", "DV" },
	{ "DL", "DL" }, { "DM", "DM" }, { "DR", "DR" }, { "DRIV", "DR" },
	{ "DRIVE", "DR" }, { "DRIVES", "DRS" }, { "DRS", "DRS" }, { "DRV", "DR" },
	{ "DV", "DV" }, { "DVD", "DV" }, { "EST", "EST" }, { "ESTATE", "EST" },
	{ "ESTATES", "ESTS" }, { "ESTS", "ESTS" }, { "EXP", "EXPY" }, { "EXPR", "EXPY" },
	{ "EXPRESS", "EXPY" }, { "EXPRESSWAY", "EXPY" }, { "EXPW", "EXPY" },
	{ "EXPY", "EXPY" }, { "EXT", "EXT" }, { "EXTENSION", "EXT" },
	{ "EXTENSIONS", "EXTS" }, { "EXTN", "EXT" }, { "EXTNSN", "EXT" },
	{ "EXTS", "EXTS" }, { "FALL", "FALL" }, { "FALLS", "FLS" }, { "FERRY", "FRY" },
	{ "FIELD", "FLD" }, { "FIELDS", "FLDS" }, { "FLAT", "FLT" }, { "FLATS", "FLTS" },
	{ "FLD", "FLD" }, { "FLDS", "FLDS" }, { "FLS", "FLS" }, { "FLT", "FLT" },
	{ "FLTS", "FLTS" }, { "FORD", "FRD" }, { "FORDS", "FRDS" }, { "FOREST", "FRST" },
	{ "FORESTS", "FRST" }, { "FORG", "FRG" }, { "FORGE", "FRG" }, { "FORGES", "FRGS" },
	{ "FORK", "FRK" }, { "FORKS", "FRKS" }, { "FORT", "FT" }, { "FRD", "FRD" },
	{ "FRDS", "FRDS" }, { "FREEWAY", "FWY" }, { "FREEWY", "FWY" }, { "FRG", "FRG" },
	{ "FRGS", "FRGS" }, { "FRK", "FRK" }, { "FRKS", "FRKS" }, { "FRRY", "FRY" },
	{ "FRST", "FRST" }, { "FRT", "FT" }, { "FRWAY", "FWY" }, { "FRWY", "FWY" },
	{ "FRY", "FRY" }, { "FT", "FT" }, { "FWY", "FWY" }, { "GARDEN", "GDN" },
	{ "GARDENS", "GDNS" }, { "GARDN", "GDN" }, { "GATEWAY", "GTWY" },
	{ "GATEWY", "GTWY" }, { "GATWAY", "GTWY" }, { "GDN", "GDN" }, { "GDNS", "GDNS" },
	{ "GLEN", "GLN" }, { "GLENS", "GLNS" }, { "GLN", "GLN" }, { "GLNS", "GLNS" },
	{ "GRDEN", "GDN" }, { "GRDN", "GDN" }, { "GRDNS", "GDNS" }, { "GREEN", "GRN" },
	{ "GREENS", "GRNS" }, { "GRN", "GRN" }, { "GRNS", "GRNS" }, { "GROV", "GRV" },
	{ "GROVE", "GRV" }, { "GROVES", "GRVS" }, { "GRV", "GRV" }, { "GRVS", "GRVS" },
	{ "GTWAY", "GTWY" }, { "GTWY", "GTWY" }, { "HARB", "HBR" }, { "HARBOR", "HBR" },
	{ "HARBORS", "HBRS" }, { "HARBR", "HBR" }, { "HAVEN", "HVN" }, { "HBR", "HBR" },
	{ "HBRS", "HBRS" }, { "HEIGHTS", "HTS" }, { "HIGHWAY", "HWY" },
	{ "HIGHWY", "HWY" }, { "HILL", "HL" }, { "HILLS", "HLS" }, { "HIWAY", "HWY" },
	{ "HIWY", "HWY" }, { "HL", "HL" }, { "HLLW", "HOLW" }, { "HLS", "HLS" },
	{ "HOLLOW", "HOLW" }, { "HOLLOWS", "HOLW" }, { "HOLW", "HOLW" },
	{ "HOLWS", "HOLW" }, { "HRBOR", "HBR" }, { "HT", "HTS" }, { "HTS", "HTS" },
	{ "HVN", "HVN" }, { "HWAY", "HWY" }, { "HWY", "HWY" }, { "INLET", "INLT" },
	{ "INLT", "INLT" }, { "IS", "IS" }, { "ISLAND", "IS" }, { "ISLANDS", "ISS" },
	{ "ISLE", "ISLE" }, { "ISLES", "ISLE" }, { "ISLND", "IS" }, { "ISLNDS", "ISS" },
	{ "ISS", "ISS" }, { "JCT", "JCT" }, { "JCTION", "JCT" }, { "JCTN", "JCT" },
	{ "JCTNS", "JCTS" }, { "JCTS", "JCTS" }, { "JUNCTION", "JCT" },
	{ "JUNCTIONS", "JCTS" }, { "JUNCTN", "JCT" }, { "JUNCTON", "JCT" },
	{ "KEY", "KY" }, { "KEYS", "KYS" }, { "KNL", "KNL" }, { "KNLS", "KNLS" },
	{ "KNOL", "KNL" }, { "KNOLL", "KNL" }, { "KNOLLS", "KNLS" }, { "KY", "KY" },
	{ "KYS", "KYS" }, { "LAKE", "LK" }, { "LAKES", "LKS" }, { "LAND", "LAND" },
	{ "LANDING", "LNDG" }, { "LANE", "LN" }, { "LCK", "LCK" }, { "LCKS", "LCKS" },
	{ "LDG", "LDG" }, { "LDGE", "LDG" }, { "LF", "LF" }, { "LGT", "LGT" },
	{ "LGTS", "LGTS" }, { "LIGHT", "LGT" }, { "LIGHTS", "LGTS" }, { "LK", "LK" },
	{ "LKS", "LKS" }, { "LN", "LN" }, { "LNDG", "LNDG" }, { "LNDNG", "LNDG" },
	{ "LOAF", "LF" }, { "LOCK", "LCK" }, { "LOCKS", "LCKS" }, { "LODG", "LDG" },
	{ "LODGE", "LDG" }, { "LOOP", "LOOP" }, { "LOOPS", "LOOP" }, { "MALL", "MALL" },
	{ "MANOR", "MNR" }, { "MANORS", "MNRS" }, { "MDW", "MDW" }, { "MDWS", "MDWS" },
	{ "MEADOW", "MDW" }, { "MEADOWS", "MDWS" }, { "MEDOWS", "MDWS" },
	{ "MEWS", "MEWS" }, { "MILL", "ML" }, { "MILLS", "MLS" }, { "MISSION", "MSN" },
	{ "MISSN", "MSN" }, { "ML", "ML" }, { "MLS", "MLS" }, { "MNR", "MNR" },
	{ "MNRS", "MNRS" }, { "MNT", "MT" }, { "MNTAIN", "MTN" }, { "MNTN", "MTN" },
	{ "MNTNS", "MTNS" }, { "MOTORWAY", "MTWY" }, { "MOUNT", "MT" },
	{ "MOUNTAIN", "MTN" }, { "MOUNTAINS", "MTNS" }, { "MOUNTIN", "MTN" },
	{ "MSN", "MSN" }, { "MSSN", "MSN" }, { "MT", "MT" }, { "MTIN", "MTN" },
	{ "MTN", "MTN" }, { "MTNS", "MTNS" }, { "MTWY", "MTWY" }, { "NCK", "NCK" },
	{ "NECK", "NCK" }, { "OPAS", "OPAS" }, { "ORCH", "ORCH" }, { "ORCHARD", "ORCH" },
	{ "ORCHRD", "ORCH" }, { "OVAL", "OVAL" }, { "OVERPASS", "OPAS" },
	{ "OVL", "OVAL" }, { "PARK", "PARK" }, { "PARKS", "PARK" }, { "PARKWAY", "PKWY" },
	{ "PARKWAYS", "PKWY" }, { "PARKWY", "PKWY" }, { "PASS", "PASS" },
	{ "PASSAGE", "PSGE" }, { "PATH", "PATH" }, { "PATHS", "PATH" }, { "PIKE", "PIKE" },
	{ "PIKES", "PIKE" }, { "PINE", "PNE" }, { "PINES", "PNES" }, { "PKWAY", "PKWY" },
	{ "PKWY", "PKWY" }, { "PKWYS", "PKWY" }, { "PKY", "PKWY" }, { "PL", "PL" },
	{ "PLACE", "PL" }, { "PLAIN", "PLN" }, { "PLAINS", "PLNS" }, { "PLAZA", "PLZ" },
	{ "PLN", "PLN" }, { "PLNS", "PLNS" }, { "PLZ", "PLZ" }, { "PLZA", "PLZ" },
	{ "PNE", "PNE" }, { "PNES", "PNES" }, { "POINT", "PT" }, { "POINTS", "PTS" },
	{ "PORT", "PRT" }, { "PORTS", "PRTS" }, { "PR", "PR" }, { "PRAIRIE", "PR" },
	{ "PRK", "PARK" }, { "PRR", "PR" }, { "PRT", "PRT" }, { "PRTS", "PRTS" },
	{ "PSGE", "PSGE" }, { "PT", "PT" }, { "PTS", "PTS" }, { "RAD", "RADL" },
	{ "RADIAL", "RADL" }, { "RADIEL", "RADL" }, { "RADL", "RADL" }, { "RAMP", "RAMP" },
	{ "RANCH", "RNCH" }, { "RANCHES", "RNCH" }, { "RAPID", "RPD" },
	{ "RAPIDS", "RPDS" }, { "RD", "RD" }, { "RDG", "RDG" }, { "RDGE", "RDG" },
	{ "RDGS", "RDGS" }, { "RDS", "RDS" }, { "REST", "RST" }, { "RIDGE", "RDG" },
	{ "RIDGES", "RDGS" }, { "RIV", "RIV" }, { "RIVER", "RIV" }, { "RIVR", "RIV" },
	{ "RNCH", "RNCH" }, { "RNCHS", "RNCH" }, { "ROAD", "RD" }, { "ROADS", "RDS" },
	{ "ROUTE", "RTE" }, { "ROW", "ROW" }, { "RPD", "RPD" }, { "RPDS", "RPDS" },
	{ "RST", "RST" }, { "RTE", "RTE" }, { "RUE", "RUE" }, { "RUN", "RUN" },
	{ "RVR", "RIV" }, { "SHL", "SHL" }, { "SHLS", "SHLS" }, { "SHOAL", "SHL" },
	{ "SHOALS", "SHLS" }, { "SHOAR", "SHR" }, { "SHOARS", "SHRS" }, { "SHORE", "SHR" },
	{ "SHORES", "SHRS" }, { "SHR", "SHR" }, { "SHRS", "SHRS" }, { "SKWY", "SKWY" },
	{ "SKYWAY", "SKWY" }, { "SMT", "SMT" }, { "SPG", "SPG" }, { "SPGS", "SPGS" },
	{ "SPNG", "SPG" }, { "SPNGS", "SPGS" }, { "SPRING", "SPG" }, { "SPRINGS", "SPGS" },
	{ "SPRNG", "SPG" }, { "SPRNGS", "SPGS" }, { "SPUR", "SPUR" }, { "SPURS", "SPUR" },
	{ "SQ", "SQ" }, { "SQR", "SQ" }, { "SQRE", "SQ" }, { "SQRS", "SQS" },
	{ "SQS", "SQS" }, { "SQU", "SQ" }, { "SQUARE", "SQ" }, { "SQUARES", "SQS" },
	{ "ST", "ST" }, { "STA", "STA" }, { "STATION", "STA" }, { "STATN", "STA" },
	{ "STN", "STA" }, { "STR", "ST" }, { "STRA", "STRA" }, { "STRAV", "STRA" },
	{ "STRAVEN", "STRA" }, { "STRAVENUE", "STRA" }, { "STRAVN", "STRA" },
	{ "STREAM", "STRM" }, { "STREET", "ST" }, { "STREETS", "STS" },
	{ "STREME", "STRM" }, { "STRM", "STRM" }, { "STRT", "ST" }, { "STRVN", "STRA" },
	{ "STRVNUE", "STRA" }, { "STS", "STS" }, { "SUMIT", "SMT" }, { "SUMITT", "SMT" },
	{ "SUMMIT", "SMT" }, { "TER", "TER" }, { "TERR", "TER" }, { "TERRACE", "TER" },
	{ "THROUGHWAY", "TRWY" }, { "TPKE", "TPKE" }, { "TRACE", "TRCE" },
	{ "TRACES", "TRCE" }, { "TRACK", "TRAK" }, { "TRACKS", "TRAK" },
	{ "TRAFFICWAY", "TRFY" }, { "TRAIL", "TRL" }, { "TRAILER", "TRLR" },
	{ "TRAILS", "TRL" }, { "TRAK", "TRAK" }, { "TRCE", "TRCE" }, { "TRFY", "TRFY" },
	{ "TRK", "TRAK" }, { "TRKS", "TRAK" }, { "TRL", "TRL" }, { "TRLR", "TRLR" },
	{ "TRLRS", "TRLR" }, { "TRLS", "TRL" }, { "TRNPK", "TPKE" }, { "TRWY", "TRWY" },
	{ "TUNEL", "TUNL" }, { "TUNL", "TUNL" }, { "TUNLS", "TUNL" }, { "TUNNEL", "TUNL" },
	{ "TUNNELS", "TUNL" }, { "TUNNL", "TUNL" }, { "TURNPIKE", "TPKE" },
	{ "TURNPK", "TPKE" }, { "UN", "UN" }, { "UNDERPASS", "UPAS" }, { "UNION", "UN" },
	{ "UNIONS", "UNS" }, { "UNS", "UNS" }, { "UPAS", "UPAS" }, { "VALLEY", "VLY" },
	{ "VALLEYS", "VLYS" }, { "VALLY", "VLY" }, { "VDCT", "VIA" }, { "VIA", "VIA" },
	{ "VIADCT", "VIA" }, { "VIADUCT", "VIA" }, { "VIEW", "VW" }, { "VIEWS", "VWS" },
	{ "VILL", "VLG" }, { "VILLAG", "VLG" }, { "VILLAGE", "VLG" },
	{ "VILLAGES", "VLGS" }, { "VILLE", "VL" }, { "VILLG", "VLG" },
	{ "VILLIAGE", "VLG" }, { "VIS", "VIS" }, { "VIST", "VIS" }, { "VISTA", "VIS" },
	{ "VL", "VL" }, { "VLG", "VLG" }, { "VLGS", "VLGS" }, { "VLLY", "VLY" },
	{ "VLY", "VLY" }, { "VLYS", "VLYS" }, { "VST", "VIS" }, { "VSTA", "VIS" },
	{ "VW", "VW" }, { "VWS", "VWS" }, { "WALK", "WALK" }, { "WALKS", "WALK" },
	{ "WALL", "WALL" }, { "WAY", "WAY" }, { "WAYS", "WAYS" }, { "WELL", "WL" },
	{ "WELLS", "WLS" }, { "WL", "WL" }, { "WLS", "WLS" }, { "WY", "WAY" },
	{ "XING", "XING" }, { "XRD", "XRD" }, { "XRDS", "XRDS" },
};

/* Publication 28 Appendix C2: secondary unit designators. */
static const struct unit {
	const char *key, *abbr;
	int range;		/* 1: takes a number or letter after it (APT 4) */
} units[] = {
	{ "APARTMENT", "APT", 1 }, { "APT", "APT", 1 }, { "BASEMENT", "BSMT", 0 },
	{ "BLDG", "BLDG", 1 }, { "BSMT", "BSMT", 0 }, { "BUILDING", "BLDG", 1 },
	{ "DEPARTMENT", "DEPT", 1 }, { "DEPT", "DEPT", 1 }, { "FL", "FL", 1 },
	{ "FLOOR", "FL", 1 }, { "FRNT", "FRNT", 0 }, { "FRONT", "FRNT", 0 },
	{ "HANGAR", "HNGR", 1 }, { "HNGR", "HNGR", 1 }, { "KEY", "KEY", 1 },
	{ "LBBY", "LBBY", 0 }, { "LOBBY", "LBBY", 0 }, { "LOT", "LOT", 1 },
	{ "LOWER", "LOWR", 0 }, { "LOWR", "LOWR", 0 }, { "OFC", "OFC", 0 },
	{ "OFFICE", "OFC", 0 }, { "PENTHOUSE", "PH", 0 }, { "PH", "PH", 0 },
	{ "PIER", "PIER", 1 }, { "REAR", "REAR", 0 }, { "RM", "RM", 1 },
	{ "ROOM", "RM", 1 }, { "SIDE", "SIDE", 0 }, { "SLIP", "SLIP", 1 },
	{ "SPACE", "SPC", 1 }, { "SPC", "SPC", 1 }, { "STE", "STE", 1 },
	{ "STOP", "STOP", 1 }, { "SUITE", "STE", 1 }, { "TRAILER", "TRLR", 1 },
	{ "TRLR", "TRLR", 1 }, { "UNIT", "UNIT", 1 }, { "UPPER", "UPPR", 0 },
	{ "UPPR", "UPPR", 0 },
};

/* Directionals (Publication 28 section 233). */
static const struct pair directionals[] = {
	{ "E", "E" }, { "EAST", "E" }, { "N", "N" }, { "NE", "NE" }, { "NORTH", "N" },
	{ "NORTHEAST", "NE" }, { "NORTHWEST", "NW" }, { "NW", "NW" }, { "S", "S" },
	{ "SE", "SE" }, { "SOUTH", "S" }, { "SOUTHEAST", "SE" }, { "SOUTHWEST", "SW" },
	{ "SW", "SW" }, { "W", "W" }, { "WEST", "W" },
};

/*
 * USPS state and territory codes: the 50 states, DC, the territories and
 * freely associated states the USPS serves, and the armed forces "states".
 */
static const char *const states[] = {
	"AA", "AE", "AK", "AL", "AP", "AR", "AS", "AZ", "CA", "CO", "CT", "DC", "DE", "FL",
	"FM", "GA", "GU", "HI", "IA", "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME",
	"MH", "MI", "MN", "MO", "MP", "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV",
	"NY", "OH", "OK", "OR", "PA", "PR", "PW", "RI", "SC", "SD", "TN", "TX", "UT", "VA",
	"VI", "VT", "WA", "WI", "WV", "WY",
};

/* State and territory names as written out, reduced to lookup keys. */
static const struct pair state_names[] = {
	{ "ALABAMA", "AL" }, { "ALASKA", "AK" }, { "AMERICAN SAMOA", "AS" },
	{ "ARIZONA", "AZ" }, { "ARKANSAS", "AR" }, { "ARMED FORCES AFRICA", "AE" },
	{ "ARMED FORCES AMERICA", "AA" }, { "ARMED FORCES AMERICAS", "AA" },
	{ "ARMED FORCES CANADA", "AE" }, { "ARMED FORCES EUROPE", "AE" },
	{ "ARMED FORCES MIDDLE EAST", "AE" }, { "ARMED FORCES PACIFIC", "AP" },
	{ "CALIFORNIA", "CA" }, { "COLORADO", "CO" },
	{ "COMMONWEALTH OF THE NORTHERN MARIANA ISLANDS", "MP" }, { "CONNECTICUT", "CT" },
	{ "DELAWARE", "DE" }, { "DISTRICT OF COLUMBIA", "DC" },
	{ "FEDERATED STATES OF MICRONESIA", "FM" }, { "FLORIDA", "FL" },
	{ "GEORGIA", "GA" }, { "GUAM", "GU" }, { "HAWAII", "HI" }, { "IDAHO", "ID" },
	{ "ILLINOIS", "IL" }, { "INDIANA", "IN" }, { "IOWA", "IA" }, { "KANSAS", "KS" },
	{ "KENTUCKY", "KY" }, { "LOUISIANA", "LA" }, { "MAINE", "ME" },
	{ "MARSHALL ISLANDS", "MH" }, { "MARYLAND", "MD" }, { "MASSACHUSETTS", "MA" },
	{ "MICHIGAN", "MI" }, { "MICRONESIA", "FM" }, { "MINNESOTA", "MN" },
	{ "MISSISSIPPI", "MS" }, { "MISSOURI", "MO" }, { "MONTANA", "MT" },
	{ "NEBRASKA", "NE" }, { "NEVADA", "NV" }, { "NEW HAMPSHIRE", "NH" },
	{ "NEW JERSEY", "NJ" }, { "NEW MEXICO", "NM" }, { "NEW YORK", "NY" },
	{ "NORTH CAROLINA", "NC" }, { "NORTH DAKOTA", "ND" },
	{ "NORTHERN MARIANA ISLANDS", "MP" }, { "NORTHERN MARIANAS", "MP" },
	{ "OHIO", "OH" }, { "OKLAHOMA", "OK" }, { "OREGON", "OR" }, { "PALAU", "PW" },
	{ "PENNSYLVANIA", "PA" }, { "PUERTO RICO", "PR" }, { "RHODE ISLAND", "RI" },
	{ "SOUTH CAROLINA", "SC" }, { "SOUTH DAKOTA", "SD" }, { "TENNESSEE", "TN" },
	{ "TEXAS", "TX" }, { "U S VIRGIN ISLANDS", "VI" },
	{ "UNITED STATES VIRGIN ISLANDS", "VI" }, { "US VIRGIN ISLANDS", "VI" },
	{ "UTAH", "UT" }, { "VERMONT", "VT" }, { "VIRGIN ISLANDS", "VI" },
	{ "VIRGIN ISLANDS OF THE UNITED STATES", "VI" }, { "VIRGINIA", "VA" },
	{ "WASHINGTON", "WA" }, { "WASHINGTON D C", "DC" }, { "WASHINGTON DC", "DC" },
	{ "WASHINGTON DISTRICT OF COLUMBIA", "DC" }, { "WEST VIRGINIA", "WV" },
	{ "WISCONSIN", "WI" }, { "WYOMING", "WY" },
};

/*
 * Which state each range of ZIP Codes belongs to, by 3-digit prefix (the
 * sectional center) and, where one prefix serves several, by 5 digits.
 * Sorted, no overlaps; a ZIP in no range is not in use.  Military mail:
 * AE 090-098, AA 340, AP 962-966.
 */
static const struct zip_range {
	const char *lo, *hi, *state;
} zips[] = {
	{ "00500", "00599", "NY" }, { "00600", "00799", "PR" }, { "00800", "00899", "VI" },
	{ "00900", "00999", "PR" }, { "01000", "02799", "MA" }, { "02800", "02999", "RI" },
	{ "03000", "03899", "NH" }, { "03900", "04999", "ME" }, { "05000", "05499", "VT" },
	{ "05500", "05599", "MA" }, { "05600", "05999", "VT" }, { "06000", "06389", "CT" },
	{ "06390", "06390", "NY" }, { "06391", "06999", "CT" }, { "07000", "08999", "NJ" },
	{ "09000", "09899", "AE" }, { "10000", "14999", "NY" }, { "15000", "19699", "PA" },
	{ "19700", "19999", "DE" }, { "20000", "20099", "DC" }, { "20100", "20199", "VA" },
	{ "20200", "20599", "DC" }, { "20600", "21999", "MD" }, { "22000", "24699", "VA" },
	{ "24700", "26899", "WV" }, { "27000", "28999", "NC" }, { "29000", "29999", "SC" },
	{ "30000", "31999", "GA" }, { "32000", "33999", "FL" }, { "34000", "34099", "AA" },
	{ "34100", "34999", "FL" }, { "35000", "36999", "AL" }, { "37000", "38599", "TN" },
	{ "38600", "39799", "MS" }, { "39800", "39999", "GA" }, { "40000", "42799", "KY" },
	{ "43000", "45999", "OH" }, { "46000", "47999", "IN" }, { "48000", "49999", "MI" },
	{ "50000", "52899", "IA" }, { "53000", "54999", "WI" }, { "55000", "56799", "MN" },
	{ "56900", "56999", "DC" }, { "57000", "57799", "SD" }, { "58000", "58899", "ND" },
	{ "59000", "59999", "MT" }, { "60000", "62999", "IL" }, { "63000", "65899", "MO" },
	{ "66000", "67999", "KS" }, { "68000", "69399", "NE" }, { "70000", "71499", "LA" },
	{ "71600", "72999", "AR" }, { "73000", "73199", "OK" }, { "73300", "73399", "TX" },
	{ "73400", "74999", "OK" }, { "75000", "79999", "TX" }, { "80000", "81699", "CO" },
	{ "82000", "83199", "WY" }, { "83200", "83899", "ID" }, { "84000", "84799", "UT" },
	{ "85000", "86599", "AZ" }, { "87000", "88499", "NM" }, { "88500", "88599", "TX" },
	{ "88900", "89899", "NV" }, { "90000", "96199", "CA" }, { "96200", "96699", "AP" },
	{ "96700", "96798", "HI" }, { "96799", "96799", "AS" }, { "96800", "96899", "HI" },
	{ "96910", "96932", "GU" }, { "96939", "96940", "PW" }, { "96941", "96944", "FM" },
	{ "96950", "96952", "MP" }, { "96960", "96970", "MH" }, { "97000", "97999", "OR" },
	{ "98000", "99499", "WA" }, { "99500", "99999", "AK" },
};

/* ISO 3166-1: every alpha-2 code with its alpha-3 code, sorted on alpha-2. */
static const struct pair countries[] = {
	{ "AD", "AND" }, { "AE", "ARE" }, { "AF", "AFG" }, { "AG", "ATG" },
	{ "AI", "AIA" }, { "AL", "ALB" }, { "AM", "ARM" }, { "AO", "AGO" },
	{ "AQ", "ATA" }, { "AR", "ARG" }, { "AS", "ASM" }, { "AT", "AUT" },
	{ "AU", "AUS" }, { "AW", "ABW" }, { "AX", "ALA" }, { "AZ", "AZE" },
	{ "BA", "BIH" }, { "BB", "BRB" }, { "BD", "BGD" }, { "BE", "BEL" },
	{ "BF", "BFA" }, { "BG", "BGR" }, { "BH", "BHR" }, { "BI", "BDI" },
	{ "BJ", "BEN" }, { "BL", "BLM" }, { "BM", "BMU" }, { "BN", "BRN" },
	{ "BO", "BOL" }, { "BQ", "BES" }, { "BR", "BRA" }, { "BS", "BHS" },
	{ "BT", "BTN" }, { "BV", "BVT" }, { "BW", "BWA" }, { "BY", "BLR" },
	{ "BZ", "BLZ" }, { "CA", "CAN" }, { "CC", "CCK" }, { "CD", "COD" },
	{ "CF", "CAF" }, { "CG", "COG" }, { "CH", "CHE" }, { "CI", "CIV" },
	{ "CK", "COK" }, { "CL", "CHL" }, { "CM", "CMR" }, { "CN", "CHN" },
	{ "CO", "COL" }, { "CR", "CRI" }, { "CU", "CUB" }, { "CV", "CPV" },
	{ "CW", "CUW" }, { "CX", "CXR" }, { "CY", "CYP" }, { "CZ", "CZE" },
	{ "DE", "DEU" }, { "DJ", "DJI" }, { "DK", "DNK" }, { "DM", "DMA" },
	{ "DO", "DOM" }, { "DZ", "DZA" }, { "EC", "ECU" }, { "EE", "EST" },
	{ "EG", "EGY" }, { "EH", "ESH" }, { "ER", "ERI" }, { "ES", "ESP" },
	{ "ET", "ETH" }, { "FI", "FIN" }, { "FJ", "FJI" }, { "FK", "FLK" },
	{ "FM", "FSM" }, { "FO", "FRO" }, { "FR", "FRA" }, { "GA", "GAB" },
	{ "GB", "GBR" }, { "GD", "GRD" }, { "GE", "GEO" }, { "GF", "GUF" },
	{ "GG", "GGY" }, { "GH", "GHA" }, { "GI", "GIB" }, { "GL", "GRL" },
	{ "GM", "GMB" }, { "GN", "GIN" }, { "GP", "GLP" }, { "GQ", "GNQ" },
	{ "GR", "GRC" }, { "GS", "SGS" }, { "GT", "GTM" }, { "GU", "GUM" },
	{ "GW", "GNB" }, { "GY", "GUY" }, { "HK", "HKG" }, { "HM", "HMD" },
	{ "HN", "HND" }, { "HR", "HRV" }, { "HT", "HTI" }, { "HU", "HUN" },
	{ "ID", "IDN" }, { "IE", "IRL" }, { "IL", "ISR" }, { "IM", "IMN" },
	{ "IN", "IND" }, { "IO", "IOT" }, { "IQ", "IRQ" }, { "IR", "IRN" },
	{ "IS", "ISL" }, { "IT", "ITA" }, { "JE", "JEY" }, { "JM", "JAM" },
	{ "JO", "JOR" }, { "JP", "JPN" }, { "KE", "KEN" }, { "KG", "KGZ" },
	{ "KH", "KHM" }, { "KI", "KIR" }, { "KM", "COM" }, { "KN", "KNA" },
	{ "KP", "PRK" }, { "KR", "KOR" }, { "KW", "KWT" }, { "KY", "CYM" },
	{ "KZ", "KAZ" }, { "LA", "LAO" }, { "LB", "LBN" }, { "LC", "LCA" },
	{ "LI", "LIE" }, { "LK", "LKA" }, { "LR", "LBR" }, { "LS", "LSO" },
	{ "LT", "LTU" }, { "LU", "LUX" }, { "LV", "LVA" }, { "LY", "LBY" },
	{ "MA", "MAR" }, { "MC", "MCO" }, { "MD", "MDA" }, { "ME", "MNE" },
	{ "MF", "MAF" }, { "MG", "MDG" }, { "MH", "MHL" }, { "MK", "MKD" },
	{ "ML", "MLI" }, { "MM", "MMR" }, { "MN", "MNG" }, { "MO", "MAC" },
	{ "MP", "MNP" }, { "MQ", "MTQ" }, { "MR", "MRT" }, { "MS", "MSR" },
	{ "MT", "MLT" }, { "MU", "MUS" }, { "MV", "MDV" }, { "MW", "MWI" },
	{ "MX", "MEX" }, { "MY", "MYS" }, { "MZ", "MOZ" }, { "NA", "NAM" },
	{ "NC", "NCL" }, { "NE", "NER" }, { "NF", "NFK" }, { "NG", "NGA" },
	{ "NI", "NIC" }, { "NL", "NLD" }, { "NO", "NOR" }, { "NP", "NPL" },
	{ "NR", "NRU" }, { "NU", "NIU" }, { "NZ", "NZL" }, { "OM", "OMN" },
	{ "PA", "PAN" }, { "PE", "PER" }, { "PF", "PYF" }, { "PG", "PNG" },
	{ "PH", "PHL" }, { "PK", "PAK" }, { "PL", "POL" }, { "PM", "SPM" },
	{ "PN", "PCN" }, { "PR", "PRI" }, { "PS", "PSE" }, { "PT", "PRT" },
	{ "PW", "PLW" }, { "PY", "PRY" }, { "QA", "QAT" }, { "RE", "REU" },
	{ "RO", "ROU" }, { "RS", "SRB" }, { "RU", "RUS" }, { "RW", "RWA" },
	{ "SA", "SAU" }, { "SB", "SLB" }, { "SC", "SYC" }, { "SD", "SDN" },
	{ "SE", "SWE" }, { "SG", "SGP" }, { "SH", "SHN" }, { "SI", "SVN" },
	{ "SJ", "SJM" }, { "SK", "SVK" }, { "SL", "SLE" }, { "SM", "SMR" },
	{ "SN", "SEN" }, { "SO", "SOM" }, { "SR", "SUR" }, { "SS", "SSD" },
	{ "ST", "STP" }, { "SV", "SLV" }, { "SX", "SXM" }, { "SY", "SYR" },
	{ "SZ", "SWZ" }, { "TC", "TCA" }, { "TD", "TCD" }, { "TF", "ATF" },
	{ "TG", "TGO" }, { "TH", "THA" }, { "TJ", "TJK" }, { "TK", "TKL" },
	{ "TL", "TLS" }, { "TM", "TKM" }, { "TN", "TUN" }, { "TO", "TON" },
	{ "TR", "TUR" }, { "TT", "TTO" }, { "TV", "TUV" }, { "TW", "TWN" },
	{ "TZ", "TZA" }, { "UA", "UKR" }, { "UG", "UGA" }, { "UM", "UMI" },
	{ "US", "USA" }, { "UY", "URY" }, { "UZ", "UZB" }, { "VA", "VAT" },
	{ "VC", "VCT" }, { "VE", "VEN" }, { "VG", "VGB" }, { "VI", "VIR" },
	{ "VN", "VNM" }, { "VU", "VUT" }, { "WF", "WLF" }, { "WS", "WSM" },
	{ "YE", "YEM" }, { "YT", "MYT" }, { "ZA", "ZAF" }, { "ZM", "ZMB" },
	{ "ZW", "ZWE" },
};

/* ISO 3166-1 alpha-3 codes to alpha-2, sorted on alpha-3. */
static const struct pair alpha3[] = {
	{ "ABW", "AW" }, { "AFG", "AF" }, { "AGO", "AO" }, { "AIA", "AI" },
	{ "ALA", "AX" }, { "ALB", "AL" }, { "AND", "AD" }, { "ARE", "AE" },
	{ "ARG", "AR" }, { "ARM", "AM" }, { "ASM", "AS" }, { "ATA", "AQ" },
	{ "ATF", "TF" }, { "ATG", "AG" }, { "AUS", "AU" }, { "AUT", "AT" },
	{ "AZE", "AZ" }, { "BDI", "BI" }, { "BEL", "BE" }, { "BEN", "BJ" },
	{ "BES", "BQ" }, { "BFA", "BF" }, { "BGD", "BD" }, { "BGR", "BG" },
	{ "BHR", "BH" }, { "BHS", "BS" }, { "BIH", "BA" }, { "BLM", "BL" },
	{ "BLR", "BY" }, { "BLZ", "BZ" }, { "BMU", "BM" }, { "BOL", "BO" },
	{ "BRA", "BR" }, { "BRB", "BB" }, { "BRN", "BN" }, { "BTN", "BT" },
	{ "BVT", "BV" }, { "BWA", "BW" }, { "CAF", "CF" }, { "CAN", "CA" },
	{ "CCK", "CC" }, { "CHE", "CH" }, { "CHL", "CL" }, { "CHN", "CN" },
	{ "CIV", "CI" }, { "CMR", "CM" }, { "COD", "CD" }, { "COG", "CG" },
	{ "COK", "CK" }, { "COL", "CO" }, { "COM", "KM" }, { "CPV", "CV" },
	{ "CRI", "CR" }, { "CUB", "CU" }, { "CUW", "CW" }, { "CXR", "CX" },
	{ "CYM", "KY" }, { "CYP", "CY" }, { "CZE", "CZ" }, { "DEU", "DE" },
	{ "DJI", "DJ" }, { "DMA", "DM" }, { "DNK", "DK" }, { "DOM", "DO" },
	{ "DZA", "DZ" }, { "ECU", "EC" }, { "EGY", "EG" }, { "ERI", "ER" },
	{ "ESH", "EH" }, { "ESP", "ES" }, { "EST", "EE" }, { "ETH", "ET" },
	{ "FIN", "FI" }, { "FJI", "FJ" }, { "FLK", "FK" }, { "FRA", "FR" },
	{ "FRO", "FO" }, { "FSM", "FM" }, { "GAB", "GA" }, { "GBR", "GB" },
	{ "GEO", "GE" }, { "GGY", "GG" }, { "GHA", "GH" }, { "GIB", "GI" },
	{ "GIN", "GN" }, { "GLP", "GP" }, { "GMB", "GM" }, { "GNB", "GW" },
	{ "GNQ", "GQ" }, { "GRC", "GR" }, { "GRD", "GD" }, { "GRL", "GL" },
	{ "GTM", "GT" }, { "GUF", "GF" }, { "GUM", "GU" }, { "GUY", "GY" },
	{ "HKG", "HK" }, { "HMD", "HM" }, { "HND", "HN" }, { "HRV", "HR" },
	{ "HTI", "HT" }, { "HUN", "HU" }, { "IDN", "ID" }, { "IMN", "IM" },
	{ "IND", "IN" }, { "IOT", "IO" }, { "IRL", "IE" }, { "IRN", "IR" },
	{ "IRQ", "IQ" }, { "ISL", "IS" }, { "ISR", "IL" }, { "ITA", "IT" },
	{ "JAM", "JM" }, { "JEY", "JE" }, { "JOR", "JO" }, { "JPN", "JP" },
	{ "KAZ", "KZ" }, { "KEN", "KE" }, { "KGZ", "KG" }, { "KHM", "KH" },
	{ "KIR", "KI" }, { "KNA", "KN" }, { "KOR", "KR" }, { "KWT", "KW" },
	{ "LAO", "LA" }, { "LBN", "LB" }, { "LBR", "LR" }, { "LBY", "LY" },
	{ "LCA", "LC" }, { "LIE", "LI" }, { "LKA", "LK" }, { "LSO", "LS" },
	{ "LTU", "LT" }, { "LUX", "LU" }, { "LVA", "LV" }, { "MAC", "MO" },
	{ "MAF", "MF" }, { "MAR", "MA" }, { "MCO", "MC" }, { "MDA", "MD" },
	{ "MDG", "MG" }, { "MDV", "MV" }, { "MEX", "MX" }, { "MHL", "MH" },
	{ "MKD", "MK" }, { "MLI", "ML" }, { "MLT", "MT" }, { "MMR", "MM" },
	{ "MNE", "ME" }, { "MNG", "MN" }, { "MNP", "MP" }, { "MOZ", "MZ" },
	{ "MRT", "MR" }, { "MSR", "MS" }, { "MTQ", "MQ" }, { "MUS", "MU" },
	{ "MWI", "MW" }, { "MYS", "MY" }, { "MYT", "YT" }, { "NAM", "NA" },
	{ "NCL", "NC" }, { "NER", "NE" }, { "NFK", "NF" }, { "NGA", "NG" },
	{ "NIC", "NI" }, { "NIU", "NU" }, { "NLD", "NL" }, { "NOR", "NO" },
	{ "NPL", "NP" }, { "NRU", "NR" }, { "NZL", "NZ" }, { "OMN", "OM" },
	{ "PAK", "PK" }, { "PAN", "PA" }, { "PCN", "PN" }, { "PER", "PE" },
	{ "PHL", "PH" }, { "PLW", "PW" }, { "PNG", "PG" }, { "POL", "PL" },
	{ "PRI", "PR" }, { "PRK", "KP" }, { "PRT", "PT" }, { "PRY", "PY" },
	{ "PSE", "PS" }, { "PYF", "PF" }, { "QAT", "QA" }, { "REU", "RE" },
	{ "ROU", "RO" }, { "RUS", "RU" }, { "RWA", "RW" }, { "SAU", "SA" },
	{ "SDN", "SD" }, { "SEN", "SN" }, { "SGP", "SG" }, { "SGS", "GS" },
	{ "SHN", "SH" }, { "SJM", "SJ" }, { "SLB", "SB" }, { "SLE", "SL" },
	{ "SLV", "SV" }, { "SMR", "SM" }, { "SOM", "SO" }, { "SPM", "PM" },
	{ "SRB", "RS" }, { "SSD", "SS" }, { "STP", "ST" }, { "SUR", "SR" },
	{ "SVK", "SK" }, { "SVN", "SI" }, { "SWE", "SE" }, { "SWZ", "SZ" },
	{ "SXM", "SX" }, { "SYC", "SC" }, { "SYR", "SY" }, { "TCA", "TC" },
	{ "TCD", "TD" }, { "TGO", "TG" }, { "THA", "TH" }, { "TJK", "TJ" },
	{ "TKL", "TK" }, { "TKM", "TM" }, { "TLS", "TL" }, { "TON", "TO" },
	{ "TTO", "TT" }, { "TUN", "TN" }, { "TUR", "TR" }, { "TUV", "TV" },
	{ "TWN", "TW" }, { "TZA", "TZ" }, { "UGA", "UG" }, { "UKR", "UA" },
	{ "UMI", "UM" }, { "URY", "UY" }, { "USA", "US" }, { "UZB", "UZ" },
	{ "VAT", "VA" }, { "VCT", "VC" }, { "VEN", "VE" }, { "VGB", "VG" },
	{ "VIR", "VI" }, { "VNM", "VN" }, { "VUT", "VU" }, { "WLF", "WF" },
	{ "WSM", "WS" }, { "YEM", "YE" }, { "ZAF", "ZA" }, { "ZMB", "ZM" },
	{ "ZWE", "ZW" },
};

/*
 * Country names as people write them (ISO short names, long forms, local
 * names, old names), reduced to lookup keys.
 */
static const struct pair country_names[] = {
	{ "AFGHANISTAN", "AF" }, { "ALAND ISLANDS", "AX" }, { "ALBANIA", "AL" },
	{ "ALEMANIA", "DE" }, { "ALGERIA", "DZ" }, { "ALLEMAGNE", "DE" },
	{ "AMERICAN SAMOA", "AS" }, { "ANDORRA", "AD" }, { "ANGOLA", "AO" },
	{ "ANGUILLA", "AI" }, { "ANTARCTICA", "AQ" }, { "ANTIGUA AND BARBUDA", "AG" },
	{ "ARGENTINA", "AR" }, { "ARMENIA", "AM" }, { "ARUBA", "AW" },
	{ "AUSTRALIA", "AU" }, { "AUSTRIA", "AT" }, { "AZERBAIJAN", "AZ" },
	{ "BAHAMAS", "BS" }, { "BAHRAIN", "BH" }, { "BANGLADESH", "BD" },
	{ "BARBADOS", "BB" }, { "BELARUS", "BY" }, { "BELGIUM", "BE" }, { "BELIZE", "BZ" },
	{ "BENIN", "BJ" }, { "BERMUDA", "BM" }, { "BHARAT", "IN" }, { "BHUTAN", "BT" },
	{ "BOLIVARIAN REPUBLIC OF VENEZUELA", "VE" }, { "BOLIVIA", "BO" },
	{ "BOLIVIA PLURINATIONAL STATE OF", "BO" }, { "BONAIRE", "BQ" },
	{ "BONAIRE SINT EUSTATIUS AND SABA", "BQ" }, { "BOSNIA", "BA" },
	{ "BOSNIA AND HERZEGOVINA", "BA" }, { "BOTSWANA", "BW" },
	{ "BOUVET ISLAND", "BV" }, { "BRASIL", "BR" }, { "BRAZIL", "BR" },
	{ "BRITAIN", "GB" }, { "BRITISH INDIAN OCEAN TERRITORY", "IO" },
	{ "BRITISH VIRGIN ISLANDS", "VG" }, { "BRUNEI", "BN" },
	{ "BRUNEI DARUSSALAM", "BN" }, { "BULGARIA", "BG" }, { "BURKINA FASO", "BF" },
	{ "BURMA", "MM" }, { "BURUNDI", "BI" }, { "BVI", "VG" }, { "CABO VERDE", "CV" },
	{ "CAMBODIA", "KH" }, { "CAMEROON", "CM" }, { "CANADA", "CA" },
	{ "CAPE VERDE", "CV" }, { "CARIBBEAN NETHERLANDS", "BQ" },
	{ "CAYMAN ISLANDS", "KY" }, { "CENTRAL AFRICAN REPUBLIC", "CF" },
	{ "CESKA REPUBLIKA", "CZ" }, { "CESKO", "CZ" }, { "CHAD", "TD" },
	{ "CHILE", "CL" }, { "CHINA", "CN" }, { "CHINESE TAIPEI", "TW" },
	{ "CHRISTMAS ISLAND", "CX" }, { "COCOS ISLANDS", "CC" },
	{ "COCOS KEELING ISLANDS", "CC" }, { "COLOMBIA", "CO" }, { "COMOROS", "KM" },
	{ "CONFOEDERATIO HELVETICA", "CH" }, { "CONGO", "CG" },
	{ "CONGO BRAZZAVILLE", "CG" }, { "CONGO DEMOCRATIC REPUBLIC OF THE", "CD" },
	{ "CONGO KINSHASA", "CD" }, { "COOK ISLANDS", "CK" }, { "COSTA RICA", "CR" },
	{ "COTE DIVOIRE", "CI" }, { "CROATIA", "HR" }, { "CUBA", "CU" },
	{ "CURACAO", "CW" }, { "CYPRUS", "CY" }, { "CZECH REPUBLIC", "CZ" },
	{ "CZECHIA", "CZ" }, { "DANMARK", "DK" },
	{ "DEMOCRATIC PEOPLES REPUBLIC OF KOREA", "KP" },
	{ "DEMOCRATIC REPUBLIC OF CONGO", "CD" },
	{ "DEMOCRATIC REPUBLIC OF THE CONGO", "CD" }, { "DENMARK", "DK" },
	{ "DEUTSCHLAND", "DE" }, { "DJIBOUTI", "DJ" }, { "DOMINICA", "DM" },
	{ "DOMINICAN REPUBLIC", "DO" }, { "DPRK", "KP" }, { "DR CONGO", "CD" },
	{ "DRC", "CD" }, { "EAST TIMOR", "TL" }, { "ECUADOR", "EC" }, { "EESTI", "EE" },
	{ "EGYPT", "EG" }, { "EIRE", "IE" }, { "EL SALVADOR", "SV" }, { "ELLADA", "GR" },
	{ "EMIRATES", "AE" }, { "ENGLAND", "GB" }, { "EQUATORIAL GUINEA", "GQ" },
	{ "ERITREA", "ER" }, { "ESPAGNE", "ES" }, { "ESPANA", "ES" },
	{ "ESTADOS UNIDOS", "US" }, { "ESTADOS UNIDOS DE AMERICA", "US" },
	{ "ESTADOS UNIDOS MEXICANOS", "MX" }, { "ESTONIA", "EE" }, { "ESWATINI", "SZ" },
	{ "ETATS UNIS", "US" }, { "ETATS UNIS DAMERIQUE", "US" }, { "ETHIOPIA", "ET" },
	{ "FAEROE ISLANDS", "FO" }, { "FALKLAND ISLANDS", "FK" },
	{ "FALKLAND ISLANDS MALVINAS", "FK" }, { "FALKLANDS", "FK" },
	{ "FAROE ISLANDS", "FO" }, { "FAROES", "FO" },
	{ "FEDERAL REPUBLIC OF GERMANY", "DE" },
	{ "FEDERATED STATES OF MICRONESIA", "FM" }, { "FIJI", "FJ" }, { "FINLAND", "FI" },
	{ "FRANCE", "FR" }, { "FRANCIA", "FR" }, { "FRANKREICH", "FR" },
	{ "FRENCH GUIANA", "GF" }, { "FRENCH POLYNESIA", "PF" },
	{ "FRENCH SOUTHERN TERRITORIES", "TF" }, { "GABON", "GA" }, { "GAMBIA", "GM" },
	{ "GEORGIA", "GE" }, { "GERMANY", "DE" }, { "GHANA", "GH" }, { "GIBRALTAR", "GI" },
	{ "GREAT BRITAIN", "GB" }, { "GREECE", "GR" }, { "GREENLAND", "GL" },
	{ "GRENADA", "GD" }, { "GUADELOUPE", "GP" }, { "GUAM", "GU" },
	{ "GUATEMALA", "GT" }, { "GUERNSEY", "GG" }, { "GUINEA", "GN" },
	{ "GUINEA BISSAU", "GW" }, { "GUYANA", "GY" }, { "HAITI", "HT" },
	{ "HEARD ISLAND AND MCDONALD ISLANDS", "HM" }, { "HELLAS", "GR" },
	{ "HOLLAND", "NL" }, { "HOLY SEE", "VA" }, { "HONDURAS", "HN" },
	{ "HONG KONG", "HK" }, { "HRVATSKA", "HR" }, { "HUNGARY", "HU" },
	{ "ICELAND", "IS" }, { "INDIA", "IN" }, { "INDONESIA", "ID" }, { "IRAN", "IR" },
	{ "IRAN ISLAMIC REPUBLIC OF", "IR" }, { "IRAQ", "IQ" }, { "IRELAND", "IE" },
	{ "ISLAMIC REPUBLIC OF IRAN", "IR" }, { "ISLAND", "IS" }, { "ISLE OF MAN", "IM" },
	{ "ISRAEL", "IL" }, { "ITALIA", "IT" }, { "ITALIE", "IT" }, { "ITALIEN", "IT" },
	{ "ITALY", "IT" }, { "IVORY COAST", "CI" }, { "JAMAICA", "JM" }, { "JAPAN", "JP" },
	{ "JAPON", "JP" }, { "JERSEY", "JE" }, { "JORDAN", "JO" }, { "KANADA", "CA" },
	{ "KAZAKHSTAN", "KZ" }, { "KEELING ISLANDS", "CC" }, { "KENYA", "KE" },
	{ "KINGDOM OF SAUDI ARABIA", "SA" }, { "KIRIBATI", "KI" }, { "KOREA", "KR" },
	{ "KOREA DEMOCRATIC PEOPLES REPUBLIC OF", "KP" }, { "KOREA REPUBLIC OF", "KR" },
	{ "KSA", "SA" }, { "KUWAIT", "KW" }, { "KYRGYZSTAN", "KG" }, { "LAO PDR", "LA" },
	{ "LAO PEOPLES DEMOCRATIC REPUBLIC", "LA" }, { "LAOS", "LA" }, { "LATVIA", "LV" },
	{ "LATVIJA", "LV" }, { "LEBANON", "LB" }, { "LESOTHO", "LS" }, { "LIBERIA", "LR" },
	{ "LIBYA", "LY" }, { "LIECHTENSTEIN", "LI" }, { "LIETUVA", "LT" },
	{ "LITHUANIA", "LT" }, { "LUXEMBOURG", "LU" }, { "MACAO", "MO" },
	{ "MACAU", "MO" }, { "MACEDONIA", "MK" }, { "MADAGASCAR", "MG" },
	{ "MAGYARORSZAG", "HU" }, { "MALAWI", "MW" }, { "MALAYSIA", "MY" },
	{ "MALDIVES", "MV" }, { "MALI", "ML" }, { "MALTA", "MT" }, { "MALVINAS", "FK" },
	{ "MARSHALL ISLANDS", "MH" }, { "MARTINIQUE", "MQ" }, { "MAURITANIA", "MR" },
	{ "MAURITIUS", "MU" }, { "MAYOTTE", "YT" }, { "MEXICO", "MX" }, { "MEXIKO", "MX" },
	{ "MEXIQUE", "MX" }, { "MICRONESIA", "FM" },
	{ "MICRONESIA FEDERATED STATES OF", "FM" }, { "MOLDOVA", "MD" },
	{ "MOLDOVA REPUBLIC OF", "MD" }, { "MONACO", "MC" }, { "MONGOLIA", "MN" },
	{ "MONTENEGRO", "ME" }, { "MONTSERRAT", "MS" }, { "MOROCCO", "MA" },
	{ "MOZAMBIQUE", "MZ" }, { "MYANMAR", "MM" }, { "NAMIBIA", "NA" },
	{ "NAURU", "NR" }, { "NEDERLAND", "NL" }, { "NEPAL", "NP" },
	{ "NETHERLANDS", "NL" }, { "NEW CALEDONIA", "NC" }, { "NEW ZEALAND", "NZ" },
	{ "NICARAGUA", "NI" }, { "NIEDERLANDE", "NL" }, { "NIGER", "NE" },
	{ "NIGERIA", "NG" }, { "NIHON", "JP" }, { "NIPPON", "JP" }, { "NIUE", "NU" },
	{ "NORFOLK ISLAND", "NF" }, { "NORGE", "NO" }, { "NORTH KOREA", "KP" },
	{ "NORTH MACEDONIA", "MK" }, { "NORTHERN IRELAND", "GB" },
	{ "NORTHERN MARIANA ISLANDS", "MP" }, { "NORWAY", "NO" }, { "OESTERREICH", "AT" },
	{ "OMAN", "OM" }, { "OSTERREICH", "AT" }, { "PAISES BAJOS", "NL" },
	{ "PAKISTAN", "PK" }, { "PALAU", "PW" }, { "PALESTINE", "PS" },
	{ "PALESTINE STATE OF", "PS" }, { "PALESTINIAN TERRITORIES", "PS" },
	{ "PANAMA", "PA" }, { "PAPUA NEW GUINEA", "PG" }, { "PARAGUAY", "PY" },
	{ "PAYS BAS", "NL" }, { "PEOPLES REPUBLIC OF CHINA", "CN" }, { "PERU", "PE" },
	{ "PHILIPPINES", "PH" }, { "PITCAIRN", "PN" },
	{ "PLURINATIONAL STATE OF BOLIVIA", "BO" }, { "POLAND", "PL" }, { "POLSKA", "PL" },
	{ "PORTUGAL", "PT" }, { "PRC", "CN" }, { "PUERTO RICO", "PR" }, { "QATAR", "QA" },
	{ "REINO UNIDO", "GB" }, { "REPUBLIC OF CHINA", "TW" },
	{ "REPUBLIC OF CONGO", "CG" }, { "REPUBLIC OF IRELAND", "IE" },
	{ "REPUBLIC OF KOREA", "KR" }, { "REPUBLIC OF MOLDOVA", "MD" },
	{ "REPUBLIC OF NORTH MACEDONIA", "MK" }, { "REPUBLIC OF THE CONGO", "CG" },
	{ "REPUBLICA DOMINICANA", "DO" }, { "REPUBLIK OSTERREICH", "AT" },
	{ "REUNION", "RE" }, { "ROMANIA", "RO" }, { "ROSSIYA", "RU" },
	{ "ROYAUME UNI", "GB" }, { "RUSSIA", "RU" }, { "RUSSIAN FEDERATION", "RU" },
	{ "RWANDA", "RW" }, { "SAINT BARTHELEMY", "BL" }, { "SAINT HELENA", "SH" },
	{ "SAINT HELENA ASCENSION AND TRISTAN DA CUNHA", "SH" }, { "SAINT KITTS", "KN" },
	{ "SAINT KITTS AND NEVIS", "KN" }, { "SAINT LUCIA", "LC" },
	{ "SAINT MARTIN", "MF" }, { "SAINT MARTIN FRENCH PART", "MF" },
	{ "SAINT PIERRE AND MIQUELON", "PM" }, { "SAINT VINCENT", "VC" },
	{ "SAINT VINCENT AND THE GRENADINES", "VC" }, { "SAMOA", "WS" },
	{ "SAN MARINO", "SM" }, { "SAO TOME AND PRINCIPE", "ST" },
	{ "SAUDI ARABIA", "SA" }, { "SCHWEIZ", "CH" }, { "SCOTLAND", "GB" },
	{ "SENEGAL", "SN" }, { "SERBIA", "RS" }, { "SEYCHELLES", "SC" },
	{ "SIERRA LEONE", "SL" }, { "SINGAPORE", "SG" }, { "SINT MAARTEN", "SX" },
	{ "SINT MAARTEN DUTCH PART", "SX" }, { "SLOVAK REPUBLIC", "SK" },
	{ "SLOVAKIA", "SK" }, { "SLOVENIA", "SI" }, { "SLOVENIJA", "SI" },
	{ "SLOVENSKO", "SK" }, { "SOLOMON ISLANDS", "SB" }, { "SOMALIA", "SO" },
	{ "SOUTH AFRICA", "ZA" }, { "SOUTH GEORGIA AND THE SOUTH SANDWICH ISLANDS", "GS" },
	{ "SOUTH KOREA", "KR" }, { "SOUTH SUDAN", "SS" }, { "SPAIN", "ES" },
	{ "SPANIEN", "ES" }, { "SRI LANKA", "LK" }, { "ST HELENA", "SH" },
	{ "ST KITTS", "KN" }, { "ST KITTS AND NEVIS", "KN" }, { "ST LUCIA", "LC" },
	{ "ST VINCENT AND THE GRENADINES", "VC" }, { "STATE OF PALESTINE", "PS" },
	{ "SUDAN", "SD" }, { "SUISSE", "CH" }, { "SUOMI", "FI" }, { "SURINAME", "SR" },
	{ "SVALBARD AND JAN MAYEN", "SJ" }, { "SVERIGE", "SE" }, { "SVIZZERA", "CH" },
	{ "SWAZILAND", "SZ" }, { "SWEDEN", "SE" }, { "SWITZERLAND", "CH" },
	{ "SYRIA", "SY" }, { "SYRIAN ARAB REPUBLIC", "SY" }, { "TAIWAN", "TW" },
	{ "TAIWAN PROVINCE OF CHINA", "TW" }, { "TAJIKISTAN", "TJ" }, { "TANZANIA", "TZ" },
	{ "TANZANIA UNITED REPUBLIC OF", "TZ" }, { "THAILAND", "TH" },
	{ "TIMOR LESTE", "TL" }, { "TOBAGO", "TT" }, { "TOGO", "TG" }, { "TOKELAU", "TK" },
	{ "TONGA", "TO" }, { "TRINIDAD", "TT" }, { "TRINIDAD AND TOBAGO", "TT" },
	{ "TUNISIA", "TN" }, { "TURKEI", "TR" }, { "TURKEY", "TR" }, { "TURKIYE", "TR" },
	{ "TURKIYE CUMHURIYETI", "TR" }, { "TURKMENISTAN", "TM" },
	{ "TURKS AND CAICOS ISLANDS", "TC" }, { "TURQUIE", "TR" }, { "TUVALU", "TV" },
	{ "U K", "GB" }, { "U S", "US" }, { "U S A", "US" }, { "UAE", "AE" },
	{ "UGANDA", "UG" }, { "UK", "GB" }, { "UKRAINE", "UA" },
	{ "UNITED ARAB EMIRATES", "AE" }, { "UNITED KINGDOM", "GB" },
	{ "UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND", "GB" },
	{ "UNITED MEXICAN STATES", "MX" }, { "UNITED REPUBLIC OF TANZANIA", "TZ" },
	{ "UNITED STATES", "US" }, { "UNITED STATES AMERICA", "US" },
	{ "UNITED STATES MINOR OUTLYING ISLANDS", "UM" },
	{ "UNITED STATES OF AMERICA", "US" }, { "UNITED STATES VIRGIN ISLANDS", "VI" },
	{ "URUGUAY", "UY" }, { "US OF A", "US" }, { "US VIRGIN ISLANDS", "VI" },
	{ "USA", "US" }, { "USVI", "VI" }, { "UZBEKISTAN", "UZ" }, { "VANUATU", "VU" },
	{ "VATICAN", "VA" }, { "VATICAN CITY", "VA" }, { "VATICAN CITY STATE", "VA" },
	{ "VENEZUELA", "VE" }, { "VENEZUELA BOLIVARIAN REPUBLIC OF", "VE" },
	{ "VEREINIGTE STAATEN", "US" }, { "VEREINIGTE STAATEN VON AMERIKA", "US" },
	{ "VEREINIGTES KONIGREICH", "GB" }, { "VIET NAM", "VN" }, { "VIETNAM", "VN" },
	{ "VIRGIN ISLANDS BRITISH", "VG" }, { "VIRGIN ISLANDS U S", "VI" },
	{ "VIRGIN ISLANDS US", "VI" }, { "WALES", "GB" }, { "WALLIS AND FUTUNA", "WF" },
	{ "WESTERN SAHARA", "EH" }, { "YEMEN", "YE" }, { "ZAMBIA", "ZM" },
	{ "ZIMBABWE", "ZW" },
};

/* Canadian provinces and territories, by code and name. */
static const struct pair provinces[] = {
	{ "AB", "AB" }, { "ALBERTA", "AB" }, { "BC", "BC" }, { "BRITISH COLUMBIA", "BC" },
	{ "COLOMBIE BRITANNIQUE", "BC" }, { "ILE DU PRINCE EDOUARD", "PE" },
	{ "MANITOBA", "MB" }, { "MB", "MB" }, { "NB", "NB" }, { "NEW BRUNSWICK", "NB" },
	{ "NEWFOUNDLAND", "NL" }, { "NEWFOUNDLAND AND LABRADOR", "NL" }, { "NF", "NL" },
	{ "NL", "NL" }, { "NORTHWEST TERRITORIES", "NT" }, { "NOUVEAU BRUNSWICK", "NB" },
	{ "NOUVELLE ECOSSE", "NS" }, { "NOVA SCOTIA", "NS" }, { "NS", "NS" },
	{ "NT", "NT" }, { "NU", "NU" }, { "NUNAVUT", "NU" }, { "ON", "ON" },
	{ "ONTARIO", "ON" }, { "PE", "PE" }, { "PQ", "QC" },
	{ "PRINCE EDWARD ISLAND", "PE" }, { "QC", "QC" }, { "QUEBEC", "QC" },
	{ "SASKATCHEWAN", "SK" }, { "SK", "SK" }, { "TERRE NEUVE ET LABRADOR", "NL" },
	{ "TERRITOIRES DU NORD OUEST", "NT" }, { "YT", "YT" }, { "YUKON", "YT" },
	{ "YUKON TERRITORY", "YT" },
};

/*
 * The Latin-1 letters (U+00C0 to U+00FF, UTF-8 C3 80 to C3 BF) folded to
 * ASCII, so "España" and "Québec" find their keys.  Used for lookups only:
 * what is stored keeps its accents.
 */
static const char *const latin1_fold[64] = {
	"A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
	"D", "N", "O", "O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "TH", "SS",
	"A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
	"D", "N", "O", "O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "TH", "Y",
};

/* What kind of delivery a designator introduces. */
enum { F_POBOX, F_RURAL, F_HC, F_MILITARY, F_GENERAL };

/* Flags of a designator. */
enum {
	F_STRICT = 1,		/* a bare word (BOX, DRAWER): only a whole line "BOX 12" */
	F_NEEDBOX = 2		/* ROUTE 2, UNIT 2050: only with a BOX after the number */
};

/* A way of writing a delivery designator, and its Publication 28 form. */
struct form {
	const char *w[4];	/* its words, NULL-terminated */
	const char *std;
	int kind, flags;
};

/*
 * Designators that make the whole line something other than a street:
 * PO boxes (section 28, with CALLER, DRAWER, LOCKBOX, BIN made PO BOX as
 * 283 says), rural routes (24: RR, with RFD and RD made RR), highway
 * contract routes (25: HC, with STAR ROUTE made HC), military (225/238),
 * general delivery (26).
 */
static const struct form delivery[] = {
	{ { "PO", "BOX", NULL }, "PO BOX", F_POBOX, 0 },
	{ { "P", "O", "BOX", NULL }, "PO BOX", F_POBOX, 0 },
	{ { "POST", "OFFICE", "BOX", NULL }, "PO BOX", F_POBOX, 0 },
	{ { "POST", "BOX", NULL }, "PO BOX", F_POBOX, 0 },
	{ { "POBOX", NULL }, "PO BOX", F_POBOX, 0 },
	{ { "POB", NULL }, "PO BOX", F_POBOX, 0 },
	{ { "P", "O", "B", NULL }, "PO BOX", F_POBOX, 0 },
	{ { "PO", "BX", NULL }, "PO BOX", F_POBOX, 0 },
	{ { "PO", "DRAWER", NULL }, "PO BOX", F_POBOX, 0 },
	{ { "POST", "OFFICE", "DRAWER", NULL }, "PO BOX", F_POBOX, 0 },
	{ { "FIRM", "CALLER", NULL }, "PO BOX", F_POBOX, F_STRICT },
	{ { "CALLER", NULL }, "PO BOX", F_POBOX, F_STRICT },
	{ { "DRAWER", NULL }, "PO BOX", F_POBOX, F_STRICT },
	{ { "LOCKBOX", NULL }, "PO BOX", F_POBOX, F_STRICT },
	{ { "BIN", NULL }, "PO BOX", F_POBOX, F_STRICT },
	{ { "BOX", NULL }, "PO BOX", F_POBOX, F_STRICT },
	{ { "RR", NULL }, "RR", F_RURAL, 0 },
	{ { "R", "R", NULL }, "RR", F_RURAL, 0 },
	{ { "RURAL", "ROUTE", NULL }, "RR", F_RURAL, 0 },
	{ { "RURAL", "RTE", NULL }, "RR", F_RURAL, 0 },
	{ { "RURAL", "RT", NULL }, "RR", F_RURAL, 0 },
	{ { "RFD", NULL }, "RR", F_RURAL, 0 },
	{ { "R", "F", "D", NULL }, "RR", F_RURAL, 0 },
	{ { "RURAL", "FREE", "DELIVERY", NULL }, "RR", F_RURAL, 0 },
	{ { "RD", NULL }, "RR", F_RURAL, F_NEEDBOX },
	{ { "ROUTE", NULL }, "RR", F_RURAL, F_NEEDBOX },
	{ { "RTE", NULL }, "RR", F_RURAL, F_NEEDBOX },
	{ { "RT", NULL }, "RR", F_RURAL, F_NEEDBOX },
	{ { "HC", NULL }, "HC", F_HC, 0 },
	{ { "HCR", NULL }, "HC", F_HC, 0 },
	{ { "H", "C", NULL }, "HC", F_HC, 0 },
	{ { "HIGHWAY", "CONTRACT", NULL }, "HC", F_HC, 0 },
	{ { "HWY", "CONTRACT", NULL }, "HC", F_HC, 0 },
	{ { "HIGHWAY", "CONTRACT", "ROUTE", NULL }, "HC", F_HC, 0 },
	{ { "HWY", "CONTRACT", "ROUTE", NULL }, "HC", F_HC, 0 },
	{ { "STAR", "ROUTE", NULL }, "HC", F_HC, 0 },
	{ { "STAR", "RTE", NULL }, "HC", F_HC, 0 },
	{ { "PSC", NULL }, "PSC", F_MILITARY, 0 },
	{ { "CMR", NULL }, "CMR", F_MILITARY, 0 },
	{ { "UNIT", NULL }, "UNIT", F_MILITARY, F_NEEDBOX },
	{ { "GENERAL", "DELIVERY", NULL }, "GENERAL DELIVERY", F_GENERAL, 0 },
};

/* Flags of a highway name. */
enum { H_COUNTY = 1 };		/* takes a lettered number too (COUNTY ROAD K) */

/*
 * Highways as the street name, followed by their number.  The name is
 * spelled out as the ZIP+4 file has it (US HIGHWAY 1, STATE HIGHWAY 20,
 * COUNTY ROAD 5); HWY is the C1 abbreviation of HIGHWAY as a suffix only
 * (PACIFIC COAST HWY).  SR is left alone: it is STATE ROAD in some states
 * and STATE ROUTE in others.
 */
static const struct form highways[] = {
	{ { "HWY", NULL }, "HIGHWAY", 0, 0 },
	{ { "HIGHWAY", NULL }, "HIGHWAY", 0, 0 },
	{ { "HIGHWY", NULL }, "HIGHWAY", 0, 0 },
	{ { "HIWAY", NULL }, "HIGHWAY", 0, 0 },
	{ { "HIWY", NULL }, "HIGHWAY", 0, 0 },
	{ { "HWAY", NULL }, "HIGHWAY", 0, 0 },
	{ { "US", NULL }, "US HIGHWAY", 0, 0 },
	{ { "US", "HWY", NULL }, "US HIGHWAY", 0, 0 },
	{ { "US", "HIGHWAY", NULL }, "US HIGHWAY", 0, 0 },
	{ { "US", "HIWAY", NULL }, "US HIGHWAY", 0, 0 },
	{ { "US", "RTE", NULL }, "US ROUTE", 0, 0 },
	{ { "US", "ROUTE", NULL }, "US ROUTE", 0, 0 },
	{ { "STATE", "HWY", NULL }, "STATE HIGHWAY", 0, 0 },
	{ { "STATE", "HIGHWAY", NULL }, "STATE HIGHWAY", 0, 0 },
	{ { "ST", "HWY", NULL }, "STATE HIGHWAY", 0, 0 },
	{ { "ST", "HIGHWAY", NULL }, "STATE HIGHWAY", 0, 0 },
	{ { "SH", NULL }, "STATE HIGHWAY", 0, 0 },
	{ { "STATE", "RD", NULL }, "STATE ROAD", 0, 0 },
	{ { "STATE", "ROAD", NULL }, "STATE ROAD", 0, 0 },
	{ { "ST", "RD", NULL }, "STATE ROAD", 0, 0 },
	{ { "STATE", "RTE", NULL }, "STATE ROUTE", 0, 0 },
	{ { "STATE", "ROUTE", NULL }, "STATE ROUTE", 0, 0 },
	{ { "ST", "RTE", NULL }, "STATE ROUTE", 0, 0 },
	{ { "COUNTY", "RD", NULL }, "COUNTY ROAD", 0, H_COUNTY },
	{ { "COUNTY", "ROAD", NULL }, "COUNTY ROAD", 0, H_COUNTY },
	{ { "CNTY", "RD", NULL }, "COUNTY ROAD", 0, H_COUNTY },
	{ { "CO", "RD", NULL }, "COUNTY ROAD", 0, H_COUNTY },
	{ { "CR", NULL }, "COUNTY ROAD", 0, H_COUNTY },
	{ { "COUNTY", "HWY", NULL }, "COUNTY HIGHWAY", 0, H_COUNTY },
	{ { "COUNTY", "HIGHWAY", NULL }, "COUNTY HIGHWAY", 0, H_COUNTY },
	{ { "CNTY", "HWY", NULL }, "COUNTY HIGHWAY", 0, H_COUNTY },
	{ { "CO", "HWY", NULL }, "COUNTY HIGHWAY", 0, H_COUNTY },
	{ { "INTERSTATE", NULL }, "INTERSTATE", 0, 0 },
	{ { "INTERSTATE", "HWY", NULL }, "INTERSTATE", 0, 0 },
	{ { "INTERSTATE", "HIGHWAY", NULL }, "INTERSTATE", 0, 0 },
	{ { "I", NULL }, "INTERSTATE", 0, 0 },
	{ { "ROUTE", NULL }, "ROUTE", 0, 0 },
	{ { "RTE", NULL }, "ROUTE", 0, 0 },
	{ { "RT", NULL }, "ROUTE", 0, 0 },
};

/* US-style countries: the USPS delivers there with US addresses and ZIP Codes. */
static const char *const us_countries[] = { "AS", "FM", "GU", "MH", "MP", "PR", "PW", "US", "VI" };

/* Where there is no city to name: the country is the city. */
static const char *const city_states[] = { "GI", "HK", "MC", "MO", "SG", "VA" };

/* A line cut into words; the words live in buf, each NUL-terminated. */
struct words {
	char buf[3 * OMS_ADDR_FIELD_MAX + 2];
	char *w[MAXWORDS];
	size_t n;
};

/* Words on their way out: into a struct words, or constants. */
struct out {
	const char *w[3 * MAXWORDS];
	size_t n;
};

/* How split_words treats punctuation. */
enum { S_LINE, S_CITY };

/* The address fields in the order they are checked and reported. */
static const struct field {
	const char *name;
	size_t off;
} fields[] = {
	{ "name", offsetof(struct oms_address, name) },
	{ "company", offsetof(struct oms_address, company) },
	{ "line1", offsetof(struct oms_address, line1) },
	{ "line2", offsetof(struct oms_address, line2) },
	{ "city", offsetof(struct oms_address, city) },
	{ "region", offsetof(struct oms_address, region) },
	{ "postal_code", offsetof(struct oms_address, postal_code) },
	{ "country", offsetof(struct oms_address, country) },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* field_in reads field i of an address. */
static const char *
field_in(const struct oms_address *a, size_t i)
{
	return *(char *const *)(const void *)((const char *)a + fields[i].off);
}

/* field_out is where field i of an address is stored. */
static char **
field_out(struct oms_address *a, size_t i)
{
	return (char **)(void *)((char *)a + fields[i].off);
}

/* Character classes of ASCII only: bytes of UTF-8 sequences are never letters here. */
static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* is_alpha is true for ASCII letters. */
static int
is_alpha(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* is_alnum is true for ASCII letters and digits. */
static int
is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

/* up upper-cases an ASCII letter and leaves every other byte alone. */
static int
up(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/* cmp_key compares a key with the first member (a string) of a table entry, for bsearch. */
static int
cmp_key(const void *key, const void *entry)
{
	return strcmp(key, *(const char *const *)entry);
}

/* find looks a key up in a sorted table of pairs. */
static const char *
find(const struct pair *t, size_t n, const char *key)
{
	const struct pair *p = bsearch(key, t, n, sizeof t[0], cmp_key);

	return p != NULL ? p->val : NULL;
}

/* in_list says whether s is one of a sorted list of strings. */
static int
in_list(const char *const *list, size_t n, const char *s)
{
	return s != NULL && bsearch(s, list, n, sizeof list[0], cmp_key) != NULL;
}

/* unit_find looks up a secondary unit designator. */
static const struct unit *
unit_find(const char *w)
{
	return bsearch(w, units, NELEM(units), sizeof units[0], cmp_key);
}

/*
 * quote copies a user's value into a reason, cut at a character boundary
 * so a long value neither swamps the reason nor leaves half a character.
 */
static const char *
quote(char buf[QUOTE_MAX], const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0, len;
	uint32_t cp;

	if (s == NULL) {
		snprintf(buf, QUOTE_MAX, "(none)");
		return buf;
	}
	while (p[n] != '\0') {
		len = p[n] < 0x80 ? 1 : omsi_utf8_get(p + n, strlen(s + n), &cp);
		if (len == 0 || n + len > 60)
			break;
		n += len;
	}
	snprintf(buf, QUOTE_MAX, "\"%.*s%s\"", (int)n, s, p[n] != '\0' ? "..." : "");
	return buf;
}

/* fail records why the address is not verified; the first problem found is the one told. */
static void __attribute__((format(printf, 2, 3)))
fail(struct oms_addr_result *res, const char *fmt, ...)
{
	va_list ap;

	if (res->reason[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof res->reason, fmt, ap);
	va_end(ap);
}

/*
 * bytes_ok says whether a field can be read at all: not too long, valid
 * UTF-8, no control characters (C0, DEL, C1).  A field that fails is not
 * standardized: guessing at what a broken field meant helps nobody.
 */
static int
bytes_ok(const char *what, const char *s, struct oms_addr_result *res)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, i, len;
	uint32_t cp;

	if (s == NULL)
		return 1;
	/* strnlen: a runaway field is not read past what could be allowed. */
	if ((n = strnlen(s, OMS_ADDR_FIELD_MAX + 1)) > OMS_ADDR_FIELD_MAX) {
		fail(res, "%s is longer than %d bytes", what, OMS_ADDR_FIELD_MAX);
		return 0;
	}
	for (i = 0; i < n; i += len) {
		if (p[i] < 0x80) {
			if (p[i] < 0x20 || p[i] == 0x7f) {
				fail(res, "%s contains a control character (0x%02x) at byte %zu",
				    what, p[i], i + 1);
				return 0;
			}
			len = 1;
			continue;
		}
		if ((len = omsi_utf8_get(p + i, n - i, &cp)) == 0) {
			fail(res, "%s is not valid UTF-8 (byte %zu)", what, i + 1);
			return 0;
		}
		if (cp >= 0x80 && cp <= 0x9f) {
			fail(res, "%s contains a control character (U+%04lX) at byte %zu", what,
			    (unsigned long)cp, i + 1);
			return 0;
		}
	}
	return 1;
}

/*
 * make_key reduces a name or code to the form the lookup tables use:
 * upper case, Latin-1 accents folded, periods and apostrophes dropped
 * ("U.S.A." is USA), "&" made AND, other punctuation a blank, blanks
 * collapsed, a leading THE dropped.  Returns 0, or -1 when the key does
 * not fit or holds a character no table has (it then matches nothing).
 */
static int
make_key(const char *s, char key[KEY_MAX])
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0, i;
	const char *add;
	char one[2] = { 0, 0 };

	for (i = 0; p[i] != '\0'; i++) {
		if (is_alnum(p[i])) {
			one[0] = (char)up(p[i]);
			add = one;
		} else if (p[i] == 0xc3 && p[i + 1] >= 0x80 && p[i + 1] <= 0xbf) {
			add = latin1_fold[p[++i] - 0x80];
		} else if (p[i] == '.' || p[i] == '\'')
			continue;
		else if (p[i] == 0xe2 && p[i + 1] == 0x80 && p[i + 2] == 0x99) {
			i += 2;		/* ’, the apostrophe word processors type */
			continue;
		} else if (p[i] >= 0x80)
			return -1;
		else
			add = p[i] == '&' ? " AND " : " ";
		for (; *add != '\0'; add++) {
			if (*add == ' ' && (n == 0 || key[n - 1] == ' '))
				continue;
			if (n + 1 >= KEY_MAX)
				return -1;
			key[n++] = *add;
		}
	}
	while (n > 0 && key[n - 1] == ' ')
		n--;
	key[n] = '\0';
	if (strncmp(key, "THE ", 4) == 0)
		memmove(key, key + 4, n - 3);
	return 0;
}

/*
 * oms_country_code: alpha-2 codes first, so "CA" is Canada however else
 * the letters could be read; then alpha-3, then names.
 */
const char *
oms_country_code(const char *s)
{
	char key[KEY_MAX];
	const char *c;

	if (s == NULL || make_key(s, key) != 0 || key[0] == '\0')
		return NULL;
	if (strlen(key) == 2) {
		const struct pair *p = bsearch(key, countries, NELEM(countries),
		    sizeof countries[0], cmp_key);

		if (p != NULL)
			return p->key;
	}
	if (strlen(key) == 3 && (c = find(alpha3, NELEM(alpha3), key)) != NULL)
		return c;
	return find(country_names, NELEM(country_names), key);
}

/* us_state returns the USPS code for a state or territory code or name, or NULL. */
static const char *
us_state(const char *s)
{
	char key[KEY_MAX];
	const char *const *p;

	if (s == NULL || make_key(s, key) != 0)
		return NULL;
	if ((p = bsearch(key, states, NELEM(states), sizeof states[0], cmp_key)) != NULL)
		return *p;
	return find(state_names, NELEM(state_names), key);
}

/* ca_province returns the code of a Canadian province or territory, or NULL. */
static const char *
ca_province(const char *s)
{
	char key[KEY_MAX];

	if (s == NULL || make_key(s, key) != 0)
		return NULL;
	return find(provinces, NELEM(provinces), key);
}

/* zip_state returns the state a 5-digit ZIP Code belongs to, or NULL when it is not in use. */
static const char *
zip_state(const char *zip5)
{
	size_t lo = 0, hi = NELEM(zips), mid;

	/* The last range starting at or before the ZIP, if it reaches that far. */
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (strncmp(zips[mid].lo, zip5, 5) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || strncmp(zip5, zips[lo - 1].hi, 5) > 0)
		return NULL;
	return zips[lo - 1].state;
}

/* blank says whether a field has nothing in it but blanks. */
static int
blank(const char *s)
{
	if (s == NULL)
		return 1;
	while (*s == ' ')
		s++;
	return *s == '\0';
}

/*
 * collapse copies s with its ends trimmed and runs of blanks made one,
 * ASCII letters upper-cased when upper is set.  *out is NULL when nothing
 * is left.  Returns 0, or -1 when out of memory.
 */
static int
collapse(const char *s, int upper, char **out)
{
	size_t n = 0;
	char *d;

	*out = NULL;
	if (blank(s))
		return 0;
	if ((d = malloc(strlen(s) + 1)) == NULL)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s == ' ' && (n == 0 || d[n - 1] == ' '))
			continue;
		d[n++] = upper ? (char)up((unsigned char)*s) : *s;
	}
	while (n > 0 && d[n - 1] == ' ')
		n--;
	d[n] = '\0';
	*out = d;
	return 0;
}

/* dup copies a string that may be NULL.  Returns 0, or -1 when out of memory. */
static int
dup(const char *s, char **out)
{
	*out = NULL;
	if (s == NULL)
		return 0;
	if ((*out = strdup(s)) == NULL)
		return -1;
	return 0;
}

/*
 * split_words cleans a US delivery line (or, with S_CITY, a city) into
 * upper-case words.  Publication 28 keeps punctuation only where it means
 * something: the hyphen of a house number (123-45) and of a highway
 * (I-95), the slash of a fraction (1/2), the period of a grid address
 * (39.2 RD).  Periods inside initials are dropped (P.O. is PO, N.W. is NW)
 * but part words (ST.LOUIS); "#" becomes a word of its own; apostrophes
 * vanish in street names (OBRIEN) and leave a blank in cities, as the
 * City State file writes them (COEUR D ALENE).  Bytes of UTF-8 sequences
 * are copied as they are.
 */
static void
split_words(const char *s, int mode, struct words *l)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, run = 0, i;
	int c, prev, next, sep;
	char *b = l->buf, *q;

	for (i = 0; p[i] != '\0' && o + 4 < sizeof l->buf; i++) {
		c = p[i];
		prev = o > 0 ? (unsigned char)b[o - 1] : ' ';
		next = p[i + 1];
		sep = 0;
		if (c >= 0x80 || is_alnum(c)) {
			if (c == 0xc2 && next == 0xa0) {
				i++;	/* a no-break space is a blank */
				sep = 1;
			} else {
				b[o++] = (char)up(c);
				run++;
			}
		} else if (c == '.') {
			if (is_digit(prev) && is_digit(next) && mode == S_LINE)
				b[o++] = '.';
			else if (run == 1 && is_alpha(prev))
				run = 0;	/* P.O.: the next letter joins on */
			else
				sep = 1;
		} else if (c == '-' && mode == S_LINE && is_alnum(prev) && is_alnum(next) &&
		    (is_digit(prev) || is_digit(next))) {
			b[o++] = '-';
		} else if (c == '/' && mode == S_LINE && is_alnum(prev) && is_alnum(next)) {
			b[o++] = '/';
		} else if ((c == '#' || c == '&') && mode == S_LINE) {
			if (o > 0 && b[o - 1] != ' ')
				b[o++] = ' ';
			/* "##" says no more than "#" */
			if (c != '#' || !(o >= 2 && b[o - 2] == '#' && (o == 2 || b[o - 3] == ' ')))
				b[o++] = (char)c;
			sep = 1;
		} else if ((c == '\'' || c == '`') && mode == S_LINE) {
			continue;
		} else
			sep = 1;
		if (sep) {
			if (o > 0 && b[o - 1] != ' ')
				b[o++] = ' ';
			run = 0;
		}
	}
	while (o > 0 && b[o - 1] == ' ')
		o--;
	b[o] = '\0';
	l->n = 0;
	for (q = b; *q != '\0' && l->n < NELEM(l->w);) {
		l->w[l->n++] = q;
		if ((q = strchr(q, ' ')) == NULL)
			break;
		*q++ = '\0';
	}
	/* A "#" at the end numbers nothing. */
	if (mode == S_LINE && l->n > 0 && strcmp(l->w[l->n - 1], "#") == 0)
		l->n--;
}

/* emit adds a word to what goes out. */
static void
emit(struct out *o, const char *w)
{
	if (o->n < NELEM(o->w))
		o->w[o->n++] = w;
}

/*
 * join makes the words one string, blank-separated; *s is NULL for no
 * words.  Returns 0, or -1 when out of memory.
 */
static int
join(const struct out *o, char **s)
{
	size_t len = 0, i;
	char *d;

	*s = NULL;
	if (o->n == 0)
		return 0;
	for (i = 0; i < o->n; i++)
		len += strlen(o->w[i]) + 1;
	if ((d = malloc(len)) == NULL)
		return -1;
	*s = d;
	for (i = 0; i < o->n; i++) {
		len = strlen(o->w[i]);
		memcpy(d, o->w[i], len);
		d += len;
		*d++ = i + 1 < o->n ? ' ' : '\0';
	}
	return 0;
}

/* has_digit says whether a word has a digit in it. */
static int
has_digit(const char *w)
{
	for (; *w != '\0'; w++)
		if (is_digit((unsigned char)*w))
			return 1;
	return 0;
}

/* all_digits says whether a word is a number. */
static int
all_digits(const char *w)
{
	if (*w == '\0')
		return 0;
	for (; *w != '\0'; w++)
		if (!is_digit((unsigned char)*w))
			return 0;
	return 1;
}

/*
 * ordinal returns how many digits start an ordinal like 3RD or 42ND, or 0
 * when the word is not one.
 */
static size_t
ordinal(const char *w)
{
	size_t n = strspn(w, "0123456789");

	if (n == 0)
		return 0;
	if (strcmp(w + n, "ST") == 0 || strcmp(w + n, "ND") == 0 || strcmp(w + n, "RD") == 0 ||
	    strcmp(w + n, "TH") == 0)
		return n;
	return 0;
}

/* is_range says whether a word can number a unit or box: 4, 4B, B4, 100-A, B. */
static int
is_range(const char *w)
{
	return has_digit(w) || (is_alpha((unsigned char)w[0]) && w[1] == '\0');
}

/* is_primary says whether a word is a house number: 123, 123A, 123-45 (not 3RD). */
static int
is_primary(const char *w)
{
	return is_digit((unsigned char)w[0]) && ordinal(w) == 0;
}

/* is_fraction says whether a word is a fraction like 1/2. */
static int
is_fraction(const char *w)
{
	size_t n = strspn(w, "0123456789");

	return n > 0 && w[n] == '/' && all_digits(w + n + 1);
}

/* skip_no steps over a "#", NO or NUMBER between a designator and its number. */
static size_t
skip_no(const struct words *l, size_t i)
{
	if (i + 1 < l->n && (strcmp(l->w[i], "#") == 0 || strcmp(l->w[i], "NO") == 0 ||
	    strcmp(l->w[i], "NUMBER") == 0 || strcmp(l->w[i], "NUM") == 0))
		return i + 1;
	return i;
}

/* no_zeros drops the leading zeros of a route number (242, 252: RR 02 is RR 2). */
static const char *
no_zeros(const char *w)
{
	while (w[0] == '0' && w[1] != '\0' && all_digits(w))
		w++;
	return w;
}

/* match finds the longest form whose words start at word at; *len is how many words. */
static const struct form *
match(const struct words *l, size_t at, const struct form *t, size_t nt, size_t *len)
{
	const struct form *best = NULL;
	size_t i, k;

	*len = 0;
	for (i = 0; i < nt; i++) {
		for (k = 0; t[i].w[k] != NULL; k++)
			if (at + k >= l->n || strcmp(l->w[at + k], t[i].w[k]) != 0)
				break;
		if (t[i].w[k] == NULL && k > *len) {
			best = &t[i];
			*len = k;
		}
	}
	return best;
}

/*
 * starts_unit says whether a secondary unit starts at word i: a C2
 * designator with its number (APT 4, STE #100), one that needs none at
 * the end of the line (REAR), "#" and a number, or an ordinal floor
 * (3RD FLOOR).
 */
static int
starts_unit(const struct words *l, size_t i)
{
	const struct unit *u;
	size_t k;

	if (i >= l->n)
		return 0;
	if (strcmp(l->w[i], "#") == 0)
		return i + 1 < l->n && is_range(l->w[i + 1]);
	if (ordinal(l->w[i]) > 0)
		return i + 1 < l->n && (u = unit_find(l->w[i + 1])) != NULL &&
		    strcmp(u->abbr, "FL") == 0;
	if ((u = unit_find(l->w[i])) == NULL)
		return 0;
	k = skip_no(l, i + 1);
	if (k < l->n && is_range(l->w[k]))
		return 1;
	return !u->range && (i + 1 == l->n || starts_unit(l, i + 1));
}

/*
 * put_units standardizes secondary units from word i to the end: C2
 * designators abbreviated (APARTMENT 4 is APT 4), "#4" written "# 4" with
 * the blank section 213 asks for, a "#" after a designator dropped (APT
 * #4 is APT 4), 3RD FLOOR made FL 3.  A word that is none of these is
 * kept as it is.
 */
static void
put_units(struct words *l, size_t i, struct out *o)
{
	const struct unit *u;
	size_t k, n;

	while (i < l->n) {
		if (strcmp(l->w[i], "#") == 0 && i + 1 < l->n && is_range(l->w[i + 1])) {
			emit(o, "#");
			emit(o, l->w[i + 1]);
			i += 2;
			continue;
		}
		if ((n = ordinal(l->w[i])) > 0 && i + 1 < l->n &&
		    (u = unit_find(l->w[i + 1])) != NULL && strcmp(u->abbr, "FL") == 0) {
			l->w[i][n] = '\0';
			emit(o, "FL");
			emit(o, l->w[i]);
			i += 2;
			continue;
		}
		if ((u = unit_find(l->w[i])) != NULL) {
			k = skip_no(l, i + 1);
			if (k < l->n && is_range(l->w[k])) {
				emit(o, u->abbr);
				emit(o, l->w[k]);
				i = k + 1;
				continue;
			}
			if (!u->range && (i + 1 == l->n || starts_unit(l, i + 1))) {
				emit(o, u->abbr);
				i++;
				continue;
			}
		}
		emit(o, l->w[i++]);
	}
}

/*
 * put_highway writes a highway name and its number if the street name at
 * word a is one (HWY 20, US 1, I-95, COUNTY RD K), returning the first
 * word after it; otherwise it returns a and writes nothing.
 */
static size_t
put_highway(struct words *l, size_t a, size_t end, struct out *o)
{
	const struct form *f;
	const char *w = l->w[a], *num;
	size_t k, i, n;

	f = match(l, a, highways, NELEM(highways), &k);
	if (f != NULL && a + k < end) {
		num = l->w[a + k];
		if (is_digit((unsigned char)num[0]) ||
		    ((f->flags & H_COUNTY) && strlen(num) <= 3 && strspn(num,
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen(num))) {
			emit(o, f->std);
			emit(o, num);
			return a + k + 1;
		}
	}
	/* One word with its number hyphened on: I-95, US-1, HWY-20. */
	n = strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	if (n == 0 || w[n] != '-' || !is_digit((unsigned char)w[n + 1]))
		return a;
	for (i = 0; i < NELEM(highways); i++) {
		f = &highways[i];
		if (f->w[1] == NULL && strlen(f->w[0]) == n && strncmp(f->w[0], w, n) == 0) {
			l->w[a][n] = '\0';
			emit(o, f->std);
			emit(o, w + n + 1);
			return a + 1;
		}
	}
	return a;
}

/* dir finds a directional. */
static const char *
dir(const char *w)
{
	return find(directionals, NELEM(directionals), w);
}

/*
 * dir2 makes two directional words one (233: NORTH WEST is NW), or
 * returns NULL when they are not a pair like that.
 */
static const char *
dir2(const char *a, const char *b)
{
	static const char *const two[2][2] = { { "NE", "NW" }, { "SE", "SW" } };
	const char *x = dir(a), *y = dir(b);

	if (x == NULL || y == NULL || x[1] != '\0' || y[1] != '\0' ||
	    (x[0] != 'N' && x[0] != 'S') || (y[0] != 'E' && y[0] != 'W'))
		return NULL;
	return two[x[0] == 'S'][y[0] == 'W'];
}

/*
 * put_street standardizes a street name, words a to end: a predirectional,
 * the name, a suffix, a postdirectional.  Only the last word can be the
 * suffix (234.2: COURT STREET is COURT ST; AVENUE OF THE AMERICAS keeps
 * its AVENUE), and a directional or suffix is left as written when it is
 * all there is of the name (NORTH ST, 123 PARK, EAST WEST HWY).  Highways
 * get their Publication 28 names.  Words spelling a number stay words:
 * USPS does not renumber (ONE HUNDRED MAIN).
 */
static void
put_street(struct words *l, size_t a, size_t end, struct out *o)
{
	const char *pre = NULL, *suf = NULL, *post = NULL;
	size_t core = end, name = a, name_end, i;

	if (a >= end)
		return;
	if (end - a >= 3 && (post = dir2(l->w[end - 2], l->w[end - 1])) != NULL)
		core = end - 2;
	else if (end - a >= 2 && (post = dir(l->w[end - 1])) != NULL &&
	    !(end - a == 2 && dir(l->w[a]) != NULL))
		core = end - 1;
	else
		post = NULL;
	name_end = core;
	if (core - a >= 2 && (suf = find(suffixes, NELEM(suffixes), l->w[core - 1])))
		name_end = core - 1;
	if (name_end - a >= 3 && (pre = dir2(l->w[a], l->w[a + 1])) != NULL)
		name = a + 2;
	else if (name_end - a >= 2 && (pre = dir(l->w[a])) != NULL &&
	    !(name_end - a == 2 && dir(l->w[a + 1]) != NULL))
		name = a + 1;
	else
		pre = NULL;
	if (pre != NULL)
		emit(o, pre);
	i = name < name_end ? put_highway(l, name, name_end, o) : name;
	for (; i < name_end; i++)
		emit(o, l->w[i]);
	if (suf != NULL)
		emit(o, suf);
	if (post != NULL)
		emit(o, post);
}

/*
 * put_delivery writes a line that is a PO box, a rural or highway
 * contract route, a military PSC/CMR/UNIT box or general delivery, and
 * returns 1; it returns 0 (and writes nothing) for any other line.
 */
static int
put_delivery(struct words *l, struct out *o, int *kind)
{
	const struct form *f;
	const char *num, *box = NULL;
	size_t i, k;

	if ((f = match(l, 0, delivery, NELEM(delivery), &k)) == NULL)
		return 0;
	i = skip_no(l, k);
	switch (f->kind) {
	case F_GENERAL:
		emit(o, f->std);
		break;
	case F_POBOX:
		if (i >= l->n || !is_range(l->w[i])) {
			if (f->flags & F_STRICT)
				return 0;
			emit(o, f->std);
			*kind |= L_POBOX | L_NOBOXNUM;
			break;
		}
		if ((f->flags & F_STRICT) && (i + 1 != l->n || !has_digit(l->w[i])))
			return 0;
		emit(o, f->std);
		emit(o, l->w[i++]);
		*kind |= L_POBOX;
		break;
	default:
		if (i >= l->n || !has_digit(l->w[i]))
			return 0;
		num = l->w[i++];
		if (i < l->n && (strcmp(l->w[i], "BOX") == 0 || strcmp(l->w[i], "BX") == 0)) {
			k = skip_no(l, i + 1);
			if (k < l->n && is_range(l->w[k])) {
				box = l->w[k];
				i = k + 1;
			}
		}
		if ((f->flags & F_NEEDBOX) && box == NULL)
			return 0;
		emit(o, f->std);
		emit(o, f->kind == F_MILITARY ? num : no_zeros(num));
		if (box != NULL) {
			emit(o, "BOX");
			emit(o, box);
		}
		if (f->kind == F_MILITARY)
			*kind |= L_MILITARY;
		break;
	}
	put_units(l, i, o);
	return 1;
}

/*
 * std_line standardizes a US delivery line into *out (NULL when empty) and
 * says in *kind what it is.  A unit found in the line stays at its end,
 * where section 213 prefers it; nothing is moved between lines.  Returns
 * 0, or -1 when out of memory.
 */
static int
std_line(const char *s, char **out, int *kind)
{
	struct words l;
	struct out o;
	size_t i = 0, u;

	*out = NULL;
	if (s == NULL)
		return 0;
	split_words(s, S_LINE, &l);
	o.n = 0;
	if (l.n == 0)
		return 0;
	if (!put_delivery(&l, &o, kind)) {
		if (!is_primary(l.w[0]) && starts_unit(&l, 0)) {
			put_units(&l, 0, &o);
		} else {
			if (is_primary(l.w[0])) {
				emit(&o, l.w[i++]);
				if (i < l.n && is_fraction(l.w[i]))
					emit(&o, l.w[i++]);
			}
			/* The secondary part starts after at least one word of street. */
			for (u = i + 1; u < l.n && !starts_unit(&l, u); u++)
				;
			if (u > l.n)
				u = l.n;
			put_street(&l, i, u, &o);
			put_units(&l, u, &o);
		}
	}
	return join(&o, out);
}

/* std_city upper-cases a US city and drops its punctuation (ST. LOUIS is ST LOUIS). */
static int
std_city(const char *s, struct words *l, char **out)
{
	struct out o;
	size_t i;

	*out = NULL;
	if (s == NULL) {
		l->n = 0;
		return 0;
	}
	split_words(s, S_CITY, l);
	o.n = 0;
	for (i = 0; i < l->n; i++)
		emit(&o, l->w[i]);
	return join(&o, out);
}

/*
 * std_zip standardizes a ZIP Code: 12345, 12345-6789, and the ZIP+4
 * written without its hyphen (123456789, 12345 6789).  Returns 0 with the
 * standard form in out, or -1 when it is none of these.
 */
static int
std_zip(const char *s, char out[11])
{
	char d[10];
	size_t n = 0, b = 0, e = strlen(s), i;
	int sep = 0;

	while (b < e && s[b] == ' ')
		b++;
	while (e > b && s[e - 1] == ' ')
		e--;
	for (i = b; i < e; i++) {
		if (is_digit((unsigned char)s[i]) && n < 9)
			d[n++] = s[i];
		else if ((s[i] == '-' || s[i] == ' ') && n == 5 && !sep)
			sep = 1;
		else
			return -1;
	}
	if (n == 5 && !sep) {
		memcpy(out, d, 5);
		out[5] = '\0';
		return 0;
	}
	if (n == 9) {
		memcpy(out, d, 5);
		out[5] = '-';
		memcpy(out + 6, d + 5, 4);
		out[10] = '\0';
		return 0;
	}
	return -1;
}

/*
 * packed copies a postal code upper-cased without blanks or hyphens, into
 * at most max bytes.  Returns its length, or -1 when it does not fit.
 */
static int
packed(const char *s, char *d, size_t max)
{
	size_t n = 0;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '-')
			continue;
		if (n == max)
			return -1;
		d[n++] = (char)up((unsigned char)*s);
	}
	d[n] = '\0';
	return (int)n;
}

/* in_set says whether c is one of the letters of set (never the NUL). */
static int
in_set(int c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

/*
 * ca_postal checks a Canadian postal code (A1A 1A1: no D, F, I, O, Q or U
 * anywhere, no W or Z first) and writes it with its blank.
 */
static int
ca_postal(const char *s, char out[8])
{
	char c[7];

	if (packed(s, c, 6) != 6 || !in_set(c[0], "ABCEGHJKLMNPRSTVXY") ||
	    !is_digit((unsigned char)c[1]) || !in_set(c[2], "ABCEGHJKLMNPRSTVWXYZ") ||
	    !is_digit((unsigned char)c[3]) || !in_set(c[4], "ABCEGHJKLMNPRSTVWXYZ") ||
	    !is_digit((unsigned char)c[5]))
		return -1;
	snprintf(out, 8, "%.3s %.3s", c, c + 3);
	return 0;
}

/*
 * gb_postal checks a UK postcode: an outward code (A9, A99, AA9, AA99,
 * A9A, AA9A, with the letters each position allows) and an inward code
 * (9AA, no C, I, K, M, O or V), or GIR 0AA; it writes it with its blank.
 */
static int
gb_postal(const char *s, char out[9])
{
	char c[8], pat[5];
	int n, i, out_len;

	if ((n = packed(s, c, 7)) < 5)
		return -1;
	if (strcmp(c, "GIR0AA") == 0) {
		strcpy(out, "GIR 0AA");
		return 0;
	}
	out_len = n - 3;
	if (!is_digit((unsigned char)c[out_len]) ||
	    !in_set(c[out_len + 1], "ABDEFGHJLNPQRSTUWXYZ") ||
	    !in_set(c[out_len + 2], "ABDEFGHJLNPQRSTUWXYZ"))
		return -1;
	for (i = 0; i < out_len; i++)
		pat[i] = is_digit((unsigned char)c[i]) ? '9' :
		    is_alpha((unsigned char)c[i]) ? 'A' : '?';
	pat[out_len] = '\0';
	if (strcmp(pat, "A9") != 0 && strcmp(pat, "A99") != 0 && strcmp(pat, "AA9") != 0 &&
	    strcmp(pat, "AA99") != 0 && strcmp(pat, "A9A") != 0 && strcmp(pat, "AA9A") != 0)
		return -1;
	if (in_set(c[0], "QVX") || (pat[1] == 'A' && in_set(c[1], "IJZ")) ||
	    (strcmp(pat, "A9A") == 0 && !in_set(c[2], "ABCDEFGHJKPSTUW")) ||
	    (strcmp(pat, "AA9A") == 0 && !in_set(c[3], "ABEHMNPRVWXY")))
		return -1;
	snprintf(out, 9, "%.*s %s", out_len, c, c + out_len);
	return 0;
}

/* digits_postal checks a postal code of exactly n digits (blanks ignored). */
static int
digits_postal(const char *s, size_t n, char out[8])
{
	char c[8];

	if (packed(s, c, 7) != (int)n || !all_digits(c))
		return -1;
	strcpy(out, c);
	return 0;
}

/* jp_postal checks a Japanese postal code, 7 digits, and writes it 123-4567. */
static int
jp_postal(const char *s, char out[9])
{
	char c[8];

	if (packed(s, c, 7) != 7 || !all_digits(c))
		return -1;
	snprintf(out, 9, "%.3s-%.4s", c, c + 3);
	return 0;
}

/* nl_postal checks a Dutch postcode (1234 AB, no SA, SD or SS) and writes it with its blank. */
static int
nl_postal(const char *s, char out[8])
{
	char c[7];

	if (packed(s, c, 6) != 6 || c[0] < '1' || c[0] > '9' || !is_digit((unsigned char)c[1]) ||
	    !is_digit((unsigned char)c[2]) || !is_digit((unsigned char)c[3]) ||
	    !is_alpha((unsigned char)c[4]) || !is_alpha((unsigned char)c[5]) ||
	    strcmp(c + 4, "SA") == 0 || strcmp(c + 4, "SD") == 0 || strcmp(c + 4, "SS") == 0)
		return -1;
	snprintf(out, 8, "%.4s %.2s", c, c + 4);
	return 0;
}

/* What a country's postal codes look like, for the few this checks. */
static const struct postal {
	char country[3];
	const char *what;	/* for the reason: "a Canadian postal code (A1A 1A1)" */
} postals[] = {
	{ "AU", "an Australian postcode (4 digits)" },
	{ "CA", "a Canadian postal code (A1A 1A1)" },
	{ "DE", "a German postal code (5 digits)" },
	{ "FR", "a French postal code (5 digits)" },
	{ "GB", "a UK postcode (like SW1A 1AA)" },
	{ "JP", "a Japanese postal code (123-4567)" },
	{ "MX", "a Mexican postal code (5 digits)" },
	{ "NL", "a Dutch postcode (1234 AB)" },
};

/*
 * check_postal checks and standardizes the postal code of a country it
 * knows into out.  Returns 1 when it is good, 0 when it is not, -1 when
 * the country's codes are not checked here.
 */
static int
check_postal(const char *country, const char *s, char out[12])
{
	if (strcmp(country, "CA") == 0)
		return ca_postal(s, out) == 0;
	if (strcmp(country, "GB") == 0)
		return gb_postal(s, out) == 0;
	if (strcmp(country, "DE") == 0 || strcmp(country, "FR") == 0 ||
	    strcmp(country, "MX") == 0)
		return digits_postal(s, 5, out) == 0;
	if (strcmp(country, "AU") == 0)
		return digits_postal(s, 4, out) == 0;
	if (strcmp(country, "JP") == 0)
		return jp_postal(s, out) == 0;
	if (strcmp(country, "NL") == 0)
		return nl_postal(s, out) == 0;
	return -1;
}

/* ca_postal_province says which province a Canadian postal code's first letter belongs to. */
static const char *
ca_postal_province(int c)
{
	static const struct {
		char letter;
		const char *prov;
	} t[] = {
		{ 'A', "NL" }, { 'B', "NS" }, { 'C', "PE" }, { 'E', "NB" }, { 'G', "QC" },
		{ 'H', "QC" }, { 'J', "QC" }, { 'K', "ON" }, { 'L', "ON" }, { 'M', "ON" },
		{ 'N', "ON" }, { 'P', "ON" }, { 'R', "MB" }, { 'S', "SK" }, { 'T', "AB" },
		{ 'V', "BC" }, { 'X', "NT" }, { 'Y', "YT" },
	};
	size_t i;

	for (i = 0; i < NELEM(t); i++)
		if (t[i].letter == c)
			return t[i].prov;
	return NULL;
}

/* is_military_city says whether a city is a military post office. */
static int
is_military_city(const char *s)
{
	return s != NULL && (strcmp(s, "APO") == 0 || strcmp(s, "FPO") == 0 ||
	    strcmp(s, "DPO") == 0);
}

/* is_military_state says whether a state is one of the armed forces "states". */
static int
is_military_state(const char *s)
{
	return s != NULL && (strcmp(s, "AA") == 0 || strcmp(s, "AE") == 0 ||
	    strcmp(s, "AP") == 0);
}

/*
 * check_us standardizes and checks an address the USPS delivers: the
 * states, DC, the territories, the freely associated states, APO/FPO/DPO.
 */
static int
check_us(const struct oms_address *in, const char *country, int no_country,
    struct oms_addr_result *res)
{
	struct oms_address *std = &res->std;
	struct words city;
	char q1[QUOTE_MAX], q2[QUOTE_MAX], zip[11];
	const char *region = NULL, *city_region = NULL, *zst;
	int k1 = 0, k2 = 0, mil_city, mil_state;

	if (std_line(in->line1, &std->line1, &k1) != 0 ||
	    std_line(in->line2, &std->line2, &k2) != 0 ||
	    std_city(in->city, &city, &std->city) != 0)
		return -1;
	if (std->line1 == NULL && std->line2 != NULL) {
		std->line1 = std->line2;
		std->line2 = NULL;
		k1 = k2;
		k2 = 0;
	}
	/* "APO AE" typed into the city: the state was put in the wrong box. */
	if (city.n == 2 && is_military_city(city.w[0]) && is_military_state(city.w[1]) &&
	    (blank(in->region) || (us_state(in->region) != NULL &&
	    strcmp(us_state(in->region), city.w[1]) == 0))) {
		std->city[3] = '\0';
		city_region = city.w[1];
	}
	if (!blank(in->region))
		region = us_state(in->region);
	else if (city_region != NULL)
		region = city_region;
	else if (strcmp(country, "US") != 0)
		region = country;	/* Puerto Rico's state is PR */
	if (region != NULL) {
		if ((std->region = strdup(region)) == NULL)
			return -1;
	} else if (collapse(in->region, 1, &std->region) != 0)
		return -1;
	if (!blank(in->postal_code) && std_zip(in->postal_code, zip) == 0) {
		if ((std->postal_code = strdup(zip)) == NULL)
			return -1;
	} else if (collapse(in->postal_code, 1, &std->postal_code) != 0)
		return -1;
	if ((std->country = strdup(country)) == NULL)
		return -1;
	res->po_box = ((k1 | k2) & L_POBOX) != 0;
	mil_city = is_military_city(std->city);
	mil_state = is_military_state(region);
	res->military = mil_city || mil_state;

	/* One chain: only the first problem is told, and later tests lean on earlier ones. */
	if (std->line1 == NULL)
		fail(res, "no street address");
	else if ((k1 | k2) & L_NOBOXNUM)
		fail(res, "PO BOX without a box number");
	else if (std->city == NULL)
		fail(res, "no city");
	else if (region == NULL && blank(in->region))
		fail(res, "no state");
	else if (region == NULL)
		fail(res, "unknown %sstate %s%s", no_country ? "US " : "", quote(q1, in->region),
		    no_country ? " (no country given, so the address was read as US)" : "");
	else if (mil_city && !mil_state)
		fail(res, "%s mail takes state AA, AE or AP, not %s", std->city, region);
	else if (mil_state && !mil_city)
		fail(res, "state %s is for APO, FPO and DPO mail; the city must be APO, FPO or "
		    "DPO, not %s", region, quote(q1, std->city));
	else if (((k1 | k2) & L_MILITARY) && !mil_city)
		fail(res, "%s is a military delivery line; the city must be APO, FPO or DPO",
		    quote(q1, (k1 & L_MILITARY) ? std->line1 : std->line2));
	else if (strcmp(country, "US") != 0 && strcmp(region, country) != 0)
		fail(res, "country %s takes state %s, not %s", country, country, region);
	else if (blank(in->postal_code))
		fail(res, "no ZIP Code");
	else if (std_zip(in->postal_code, zip) != 0 && all_digits(std->postal_code) &&
	    (strlen(std->postal_code) == 4 || strlen(std->postal_code) == 8))
		fail(res, "ZIP Code %s has %zu digits, not %d: was a leading zero lost? "
		    "Check the original", std->postal_code, strlen(std->postal_code),
		    strlen(std->postal_code) == 4 ? 5 : 9);
	else if (std_zip(in->postal_code, zip) != 0)
		fail(res, "ZIP Code %s is not 5 digits or ZIP+4 (12345-6789)",
		    quote(q2, in->postal_code));
	else if ((zst = zip_state(zip)) == NULL)
		fail(res, "ZIP %.5s is not in use", zip);
	else if (strcmp(zst, region) != 0)
		fail(res, "ZIP %.5s is in %s, not %s", zip, zst, region);
	return 0;
}

/*
 * foreign_pobox says whether a line outside the US is a post office box:
 * the English forms, and the German Postfach and the French boîte postale.
 */
static int
foreign_pobox(const char *s)
{
	struct words l;
	struct out o;
	int kind = 0;

	if (s == NULL)
		return 0;
	split_words(s, S_LINE, &l);
	o.n = 0;
	if (l.n >= 2 && (strcmp(l.w[0], "POSTFACH") == 0 || strcmp(l.w[0], "BP") == 0) &&
	    has_digit(l.w[1]))
		return 1;
	return put_delivery(&l, &o, &kind) && (kind & L_POBOX);
}

/*
 * check_foreign standardizes and checks an address outside the USPS's
 * reach: blanks collapsed everywhere, the city, region and postal code in
 * capitals as the UPU asks of the last lines, postal codes of the
 * countries it knows checked and written their way.  The street lines
 * keep their case: their conventions are the destination's.
 */
static int
check_foreign(const struct oms_address *in, const char *country, struct oms_addr_result *res)
{
	struct oms_address *std = &res->std;
	char q1[QUOTE_MAX], postal[12];
	const char *prov = NULL, *pp, *what = NULL;
	size_t i;
	int r = -1;

	if (collapse(in->line1, 0, &std->line1) != 0 || collapse(in->line2, 0, &std->line2) != 0 ||
	    collapse(in->city, 1, &std->city) != 0)
		return -1;
	if (std->line1 == NULL && std->line2 != NULL) {
		std->line1 = std->line2;
		std->line2 = NULL;
	}
	if (country != NULL && strcmp(country, "CA") == 0 && (prov = ca_province(in->region)))
		std->region = strdup(prov);
	else if (collapse(in->region, 1, &std->region) != 0)
		return -1;
	if (prov != NULL && std->region == NULL)
		return -1;
	if (country != NULL && !blank(in->postal_code))
		r = check_postal(country, in->postal_code, postal);
	if (r == 1)
		std->postal_code = strdup(postal);
	else if (collapse(in->postal_code, 1, &std->postal_code) != 0)
		return -1;
	if (r == 1 && std->postal_code == NULL)
		return -1;
	if (country != NULL)
		std->country = strdup(country);
	else if (collapse(in->country, 0, &std->country) != 0)
		return -1;
	if (std->country == NULL)
		return -1;
	res->po_box = foreign_pobox(std->line1) || foreign_pobox(std->line2);

	for (i = 0; i < NELEM(postals); i++)
		if (country != NULL && strcmp(postals[i].country, country) == 0)
			what = postals[i].what;
	if (std->line1 == NULL)
		fail(res, "no street address");
	else if (country == NULL)
		;		/* the unknown country is the reason */
	else if (std->city == NULL && !in_list(city_states, NELEM(city_states), country))
		fail(res, "no city");
	else if (strcmp(country, "CA") == 0 && blank(in->region))
		fail(res, "no province");
	else if (strcmp(country, "CA") == 0 && prov == NULL)
		fail(res, "unknown Canadian province %s", quote(q1, in->region));
	else if (what != NULL && blank(in->postal_code))
		fail(res, "no postal code");
	else if (what != NULL && r == 0)
		fail(res, "postal code %s is not %s", quote(q1, in->postal_code), what);
	else if (r == 1 && prov != NULL && (pp = ca_postal_province(postal[0])) != NULL &&
	    strcmp(pp, prov) != 0 && !(postal[0] == 'X' && strcmp(prov, "NU") == 0))
		fail(res, "postal code %s is in %s, not %s", postal, pp, prov);
	return 0;
}

/*
 * add_change appends "what: from -> to" to the list of changes, or "..."
 * when it no longer fits (and nothing after that).  NULL and "" are the
 * same: no value.
 */
static void
add_change(struct oms_addr_result *res, int *full, const char *what, const char *from,
    const char *to)
{
	size_t len = strlen(res->changes), need;
	const char *f = !blank(from) ? from : NULL;
	const char *t = !blank(to) ? to : NULL;

	if (*full || (f == NULL && t == NULL) || (f != NULL && t != NULL && strcmp(f, t) == 0))
		return;
	if (f == NULL)
		f = "(none)";
	if (t == NULL)
		t = "(none)";
	need = (len > 0 ? 2 : 0) + strlen(what) + 2 + strlen(f) + 4 + strlen(t);
	if (len + need + 4 >= sizeof res->changes) {
		/* Whole entries or none: a cut one could split a character in two. */
		snprintf(res->changes + len, sizeof res->changes - len, "%s...",
		    len > 0 ? "; " : "");
		*full = 1;
		return;
	}
	snprintf(res->changes + len, sizeof res->changes - len, "%s%s: %s -> %s",
	    len > 0 ? "; " : "", what, f, t);
}

/* upper_utf8 puts a field's letters in capitals, all of them, in place (NULL: none). */
static void
upper_utf8(char *s)
{
	if (s != NULL)
		omsi_utf8_upper(s);
}

/* oms_addr_result_free leaves res empty, so freeing it twice is harmless. */
void
oms_addr_result_free(struct oms_addr_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < NELEM(fields); i++) {
		free(*field_out(&res->std, i));
		*field_out(&res->std, i) = NULL;
	}
}

/*
 * oms_addr_check: bytes first (nothing is read as an address until every
 * field is text), then the country decides which rules apply.
 */
int
oms_addr_check(const struct oms_address *in, struct oms_addr_result *res)
{
	static const struct oms_address none;
	const char *country = NULL;
	char q[QUOTE_MAX];
	size_t i;
	int ok = 1, full = 0, r, us;

	memset(res, 0, sizeof *res);
	if (in == NULL)
		in = &none;
	for (i = 0; i < NELEM(fields) && ok; i++)
		ok = bytes_ok(fields[i].name, field_in(in, i), res);
	if (!ok) {
		/* Nothing is standardized from bytes that cannot be read as text. */
		for (i = 0; i < NELEM(fields); i++)
			if (dup(field_in(in, i), field_out(&res->std, i)) != 0)
				goto oom;
		return 0;
	}
	if (dup(in->name, &res->std.name) != 0 || dup(in->company, &res->std.company) != 0)
		goto oom;
	if (blank(in->country))
		country = "US";
	else if ((country = oms_country_code(in->country)) == NULL)
		fail(res, "unknown country %s (write its ISO 3166 code, like US or GB, or its "
		    "name)", quote(q, in->country));
	us = country != NULL && in_list(us_countries, NELEM(us_countries), country);
	if (us)
		r = check_us(in, country, blank(in->country), res);
	else
		r = check_foreign(in, country, res);
	if (r != 0)
		goto oom;
	/*
	 * What the rules above put in capitals, they did in ASCII; the other
	 * letters follow (Almuñécar is ALMUÑÉCAR, not ALMUñéCAR): US street
	 * lines and city, and everywhere the city, region and postal code.
	 */
	if (us) {
		upper_utf8(res->std.line1);
		upper_utf8(res->std.line2);
	}
	upper_utf8(res->std.city);
	upper_utf8(res->std.region);
	upper_utf8(res->std.postal_code);
	for (i = 2; i < NELEM(fields); i++)
		add_change(res, &full, fields[i].name, field_in(in, i), *field_out(&res->std, i));
	res->verified = res->reason[0] == '\0';
	return 0;
oom:
	oms_addr_result_free(res);
	return -1;
}
