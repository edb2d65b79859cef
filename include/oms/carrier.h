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

/* One order to be shipped, as the carrier's software gets it. */
struct oms_carrier_pkg {
	int64_t order_id;	/* the reference that comes back with the tracking number */
	const char *external_id; /* the source's order number, a second reference; may be NULL */
	struct oms_ship_address to;	/* standardized ship-to */
	const char *service;	/* the order's ship method as written (may be NULL) */
	int64_t weight_g;	/* the items' weight; 0 when no item has one */
	int64_t value;		/* declared value, minor units of currency */
	const char *currency;
};

enum oms_carrier_format {
	OMS_CARRIER_WORLDSHIP,	/* UPS WorldShip XML auto-import (OpenShipments) */
	OMS_CARRIER_FEDEX,	/* FedEx Ship Manager CSV */
	OMS_CARRIER_ENDICIA,	/* Endicia / DAZzle XML */
	OMS_CARRIER_CSV		/* oms's own: order_id,carrier,service,tracking,weight,cost */
};

/* oms_carrier_format_parse names a format ("worldship"); -1 when there is none by that name. */
int oms_carrier_format_parse(const char *name, enum oms_carrier_format *f);

/*
 * oms_carrier_export writes the import file of a carrier's software for n
 * packages shipped from from (NULL: blank): WorldShip's OpenShipments XML,
 * a FedEx Ship Manager CSV (its columns are listed in lib/carrier.c, for
 * the user's import map), DAZzle XML, or oms's own sheet
 * (order_id,carrier,service,tracking,weight,cost with tracking and cost
 * blank, the weight as "2.50lb").  Text goes out on one line each (line
 * breaks become blanks), escaped for XML or quoted for CSV.  Returns 0, or
 * -1 on a write error (errno).
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

#endif
