/* carrier.h: carrier software files (UPS WorldShip, FedEx Ship Manager, Endicia) and tracking numbers. */
#ifndef OMS_CARRIER_H
#define OMS_CARRIER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A postal address as a carrier file wants it; NULL or "" for a blank field. */
struct oms_ship_address {
	const char *name, *company, *line1, *line2, *city, *region, *postal_code, *country;
	const char *phone, *email;
};

/* One kind of goods in a package, for the customs declaration of one going abroad. */
struct oms_carrier_goods {
	const char *sku;
	const char *description; /* the catalog's customs description, else its description */
	const char *hs_code;	/* Harmonized System code, as the catalog has it; NULL: none */
	const char *origin;	/* country of origin, ISO 3166 alpha-2; NULL: none */
	int64_t qty;
	int64_t value;		/* of the qty units, minor units of the package's currency */
	int64_t weight_pg;	/* of the qty units, in picograms; 0: unknown */
};

/* One order to be shipped, as the carrier's software gets it. */
struct oms_carrier_pkg {
	int64_t order_id;	/* the reference that comes back with the tracking number */
	const char *external_id; /* the source's order number, a second reference; may be NULL */
	struct oms_ship_address to;	/* standardized ship-to */
	const char *carrier;	/* ups, fedex, usps: the ship method's, from ship.methods */
	const char *service;	/* oms's name for the carrier's service ("ground") */
	const char *service_code; /* the carrier file's code for it (oms_carrier_service_code) */
	int abroad;		/* to another country than the one it leaves from */
	int64_t weight_pg;	/* the items' weight in picograms; 0 when no item has one */
	int64_t value;		/* declared value, minor units of currency */
	const char *currency;
	const struct oms_carrier_goods *goods;	/* what is in it, line by line */
	size_t ngoods;
};

/*
 * The kinds of goods a FedEx Ship Manager or DAZzle file declares for
 * customs, at most (DAZzle's form has five lines); WorldShip's takes any.
 */
#define OMS_CARRIER_CUSTOMS_LINES 5

/*
 * Picograms in a gram: the unit of catalog weights, in which a pound
 * (453.59237 g), an ounce and a gram with the decimals they are written
 * with are whole numbers (oms_weight_parse_exact).
 */
#define OMS_PG_PER_G INT64_C(1000000000000)

enum oms_carrier_format {
	OMS_CARRIER_WORLDSHIP,	/* UPS WorldShip XML auto-import (OpenShipments) */
	OMS_CARRIER_FEDEX,	/* FedEx Ship Manager CSV */
	OMS_CARRIER_ENDICIA,	/* Endicia / DAZzle XML */
	OMS_CARRIER_CSV		/* oms's own: order_id,carrier,service,tracking,weight,cost */
};

/* oms_carrier_format_parse names a format ("worldship"); -1 when there is none by that name. */
int oms_carrier_format_parse(const char *name, enum oms_carrier_format *f);

/* oms_carrier_format_carrier names the carrier whose software reads f ("ups"); NULL for csv. */
const char *oms_carrier_format_carrier(enum oms_carrier_format f);

/*
 * oms_carrier_service_code gives the code by which carrier's own file
 * names one of its services, by oms's name for it (ship.methods in
 * oms.yaml(5) lists them): WorldShip's ServiceType ("GND"), FedEx Ship
 * Manager's service type ("92"), DAZzle's MailClass ("PRIORITY"), for a
 * package going abroad (to another country than the one it leaves) or
 * not; a USPS domestic mail class abroad is its international one.
 * NULL, with why, when the carrier has no such service or it does not go
 * that way.
 */
const char *oms_carrier_service_code(const char *carrier, const char *service, int abroad,
    char *why, size_t whylen);

/*
 * oms_carrier_service_check says whether service is one of carrier's: 0
 * when it is, or when oms has no table of carrier's services (a carrier
 * whose files it does not write); -1 when it is not, with why naming the
 * carrier's services.
 */
int oms_carrier_service_check(const char *carrier, const char *service, char *why,
    size_t whylen);

/*
 * oms_carrier_service_name is oms's name for the service a carrier's file
 * gives by its code (ups "GND" is ground, usps "INTLPRIORITY"
 * priority_international);
 * NULL when the code is none of the carrier's, or two services share it
 * (FedEx's 01).
 */
const char *oms_carrier_service_name(const char *carrier, const char *code);

/*
 * oms_carrier_ascii says whether format f's software takes only ASCII
 * text (every carrier's does; oms's own sheet is UTF-8).
 */
int oms_carrier_ascii(enum oms_carrier_format f);

/*
 * oms_carrier_export writes the import file of a carrier's software for n
 * packages shipped from from (NULL: blank): WorldShip's OpenShipments XML,
 * a FedEx Ship Manager CSV (its columns are listed in lib/carrier.c, for
 * the user's import map), DAZzle XML, or oms's own sheet
 * (order_id,carrier,service,tracking,weight,cost with tracking and cost
 * blank, the weight as "2.50lb").  Each package's service_code is the
 * caller's, from oms_carrier_service_code; a package abroad carries its
 * goods for customs.  Weights are rounded once, here, by the carrier's
 * rule.  Text goes out on one line each (line breaks become blanks),
 * escaped for XML or quoted for CSV, and in ASCII (oms_carrier_ascii) for
 * the carriers' software.  Returns 0, or -1 on a write error (errno).
 */
int oms_carrier_export(FILE *out, enum oms_carrier_format f, const struct oms_ship_address *from,
    const struct oms_carrier_pkg *p, size_t n);

/* One shipment read back from a carrier's export, as text; "" for a blank field. */
struct oms_tracking_row {
	const char *where;	/* "FILE:LINE", for messages */
	const char *order;	/* the reference we sent: the order ID */
	const char *carrier;	/* ups, fedex, usps, or as written */
	const char *service;
	const char *tracking;	/* the first package's */
	int packages;		/* how many tracking numbers the shipment had (>= 1) */
	const char *weight;	/* a number with its unit ("2.5lb", "1.2kg"); "" unknown */
	const char *cost;	/* decimal amount the carrier charged; "" unknown */
};

/*
 * oms_carrier_read reads a carrier's export (worldship, fedex or csv; not
 * endicia) and calls fn for each shipment in it, in file order, as it
 * reads: the row's strings last until fn returns.  A row that cannot be
 * read is reported ("FILE:LINE: WHAT") and skipped: one with no order
 * reference or no tracking number, a weight that is not one, a cost that
 * is not a plain amount, a WorldShip shipment not processed.  A weight
 * without a unit is given "lb".  fn returns 0, 1 when it reported and
 * skipped the row itself, or -1 to stop.  Returns 0 when every row was
 * read, 1 when some were skipped, -1 when the file itself is unreadable
 * (reported; rows before the fault have been passed to fn) or fn returned
 * -1.  lib/carrier.c documents which columns and elements each format's
 * reader takes.
 */
int oms_carrier_read(FILE *in, const char *name, enum oms_carrier_format f,
    int (*fn)(void *arg, const struct oms_tracking_row *r), void *arg);

/*
 * oms_tracking_check says whether a tracking number is one the carrier
 * could have issued: its form and its check digit (UPS 1Z, FedEx 12, 15,
 * 20 and 22 digits, USPS IMpb 20 to 34 digits and S10 international).
 * carrier is "ups", "fedex" or "usps" in any case; another carrier's
 * numbers are not checked (NULL).  The number must be as the carrier
 * writes it: no blanks or dashes, except that blanks are ignored in USPS
 * numbers (its labels print them in groups of four).  Letters may be
 * either case.  Returns NULL when it is good, else why not, in why ("UPS
 * check digit is 4, not 7"); with a NULL why, a fixed message.
 */
const char *oms_tracking_check(const char *carrier, const char *tracking, char *why,
    size_t whylen);

/*
 * oms_gs1_check_digit is the GS1 mod-10 check digit of the n digits at s:
 * a GTIN's, an SSCC's, a USPS IMpb's (weights 3, 1, ... from the rightmost).
 */
int oms_gs1_check_digit(const char *s, size_t n);

#endif
