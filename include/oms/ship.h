/* ship.h: shipments (stock out, capture for what shipped, status), void, tracking import, carrier files. */
#ifndef OMS_SHIP_H
#define OMS_SHIP_H

#include <stdint.h>
#include <stdio.h>

#include <oms/carrier.h>
#include <oms/confirm.h>
#include <oms/oms.h>

struct oms;
struct oms_outfile;

/* What one run of oms-ship records for each order. */
struct oms_ship_opts {
	const char *carrier;	/* ups, fedex, usps, ... (kept in lower case) */
	const char *service;	/* ground, 2day, priority, ... */
	const char *tracking;	/* NULL: none */
	const char *weight;	/* "2.5lb", "1.2kg", a bare number in pounds; NULL: the items' */
	const char *cost;	/* what the carrier charges, decimal; NULL: unknown */
	char **lines;		/* "SKU:QTY": only these (nlines of them); none: everything picked */
	int nlines;
	int force;		/* take a tracking number that fails its carrier's check */
};

/*
 * oms_ship_run records a shipment of each picking order named (nids),
 * else on stdin, or every one under -a: picked quantities (or so->lines)
 * leave stock and their reservation, payment is captured for what
 * shipped, and the order becomes shipped, or backordered/allocated while
 * a split remainder waits.  Prints the IDs shipped.  Returns the exit status.
 */
int oms_ship_run(struct oms *o, const struct oms_ship_opts *so, char **ids, int nids);

/*
 * oms_ship_import_tracking reads a carrier's export (worldship, fedex or
 * csv) and records a shipment for each row as oms_ship_run does.  Rows
 * that match no order, or an order not in picking, are reported and
 * skipped; a row recorded before (its tracking number) passes untouched.
 */
int oms_ship_import_tracking(struct oms *o, enum oms_carrier_format f, FILE *in,
    const char *name, int force);

/*
 * oms_ship_export writes the carrier software's import file for the
 * picking orders named, else on stdin, or every one under -a, to out: it
 * is committed when the rows are written (also when some IDs were
 * rejected: the others' rows are good), aborted otherwise (no ship.from
 * in oms.yaml, a write error), and freed either way.
 */
int oms_ship_export(struct oms *o, enum oms_carrier_format f, char **ids, int nids,
    struct oms_outfile *out);

/*
 * oms_ship_void undoes a shipment not yet picked up: its quantities go
 * back on the shelf and to the order as picked, the order back to
 * picking, and what was captured for it is refunded.
 */
int oms_ship_void(struct oms *o, int64_t shipment, const char *reason);

/*
 * oms_ship_confirm writes the confirmations of shipments for the carts
 * (format) or an X12 856 per partner (asn): those not confirmed in that
 * form before, or every one shipped since since (UTC ISO 8601) when given,
 * and records them as sent.  out is committed before the record (a crash
 * between sends them again rather than never), aborted on any failure,
 * and freed either way; a named file with nothing to confirm is not
 * written.
 */
int oms_ship_confirm(struct oms *o, enum oms_confirm_format f, int asn, const char *since,
    struct oms_outfile *out);

/* oms_ship_list prints an order's shipments (all when order is 0), newest last. */
int oms_ship_list(struct oms *o, int64_t order, enum oms_format f, FILE *out);

#endif
