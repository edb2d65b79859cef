/* confirm.h: shipping confirmations for the order sources (Amazon, Shopify, csv) and X12 856 ASNs. */
#ifndef OMS_CONFIRM_H
#define OMS_CONFIRM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <oms/carrier.h>

struct oms_confirm_line {
	const char *sku;
	const char *external_line_id;	/* the source's line ID (Amazon order-item-id, X12 PO101); may be NULL */
	int64_t line_no;		/* our line number */
	int64_t qty;			/* shipped in this shipment */
	int64_t ordered;		/* the line's quantity ordered */
	int64_t unit_price;		/* minor units */
	/* What an X12 850 said of the line (NULL, 0: nothing kept), for the 856's LIN and SN1. */
	const char *unit;		/* PO103 */
	int64_t per_unit;		/* eaches in one unit */
	const char *product_ids;	/* PO106.. pairs, one a line: "QQ ID" */
};

/* The envelope and ship-to of the 850 an order came in, as received (IDs unpadded). */
struct oms_x12_envelope {
	const char *sender_qual, *sender_id;		/* ISA05, ISA06 */
	const char *receiver_qual, *receiver_id;	/* ISA07, ISA08 */
	const char *gs_sender, *gs_receiver;		/* GS02, GS03 */
	const char *ship_to_qual, *ship_to_code;	/* N103, N104 of N1*ST; may be NULL */
};

/* One shipment, as a confirmation reports it. */
struct oms_confirm_shipment {
	int64_t shipment_id, order_id;
	const char *source;		/* "amazon", "shopify", "x12:SENDER", ... */
	const char *external_id;	/* the source's order number (X12: "PO" or "PO/RELEASE") */
	const char *placed_at;		/* UTC ISO 8601 */
	const char *shipped_at;		/* UTC ISO 8601 */
	const char *carrier, *service, *tracking;	/* tracking may be NULL */
	int packages;
	int64_t weight_g;		/* -1: unknown */
	const char *currency;
	struct oms_ship_address to;
	const struct oms_confirm_line *lines;
	size_t nlines;
	const struct oms_x12_envelope *x12;	/* the 850's; NULL: none kept */
};

enum oms_confirm_format {
	OMS_CONFIRM_AMAZON,	/* order-fulfillment flat file (tab-separated) */
	OMS_CONFIRM_SHOPIFY,	/* CSV for a Shopify bulk-fulfillment app */
	OMS_CONFIRM_CSV		/* oms's own, one row per shipment line */
};

/* oms_confirm_format_parse names a format ("amazon"); -1, f untouched, when none has that name. */
int oms_confirm_format_parse(const char *name, enum oms_confirm_format *f);

/*
 * oms_confirm_write writes n shipments in a format (the header, then a row
 * per shipment line, as oms-confirm(5) describes) and flushes out; 0, or
 * -1 with errno on a write error (EINVAL: no such format).
 */
int oms_confirm_write(FILE *out, enum oms_confirm_format f, const struct oms_confirm_shipment *s,
    size_t n);

/* Who we are and who they are in an X12 interchange. */
struct oms_x12_parties {
	const char *our_qual, *our_id;		/* ISA05/ISA06, GS02 */
	const char *their_qual, *their_id;	/* ISA07/ISA08, GS03 */
	char usage;				/* ISA15: 'P' production, 'T' test */
	const char *gs_ours, *gs_theirs;	/* GS02, GS03; NULL: the ISA IDs */
	const char *gs1_prefix;			/* GS1 company prefix for SSCCs; NULL: none */
	const char *tracking_ref;		/* REF01 of the tracking number: "BM", "CN" (NULL) */
	const struct oms_ship_address *ship_from;	/* N1*SF; NULL: none */
};

/*
 * oms_asn_write writes one interchange (ISA..IEA, one GS..GE group, one
 * ST..SE 856 per shipment: shipment / order / pack / item hierarchy,
 * the pack marked by an SSCC-18 made of p's GS1 company prefix and the
 * shipment's ID, else by the tracking number; lines with the partner's
 * own product IDs and units when the 850's were kept) with
 * control number ctl (1..999999999) and now as its date (UTC ISO 8601),
 * and flushes out; n 0 writes nothing.  Returns 0, or -1 with errno on a
 * write error, or EINVAL, before anything is written, for an envelope
 * the partner would refuse (ctl out of range, usage not P or T, a
 * qualifier not 2 characters, an ID empty, longer than 15 or holding a
 * delimiter, a GS1 prefix not of 6 to 11 digits or leaving too few digits
 * for a shipment's ID) or a time that is not one.
 */
int oms_asn_write(FILE *out, const struct oms_x12_parties *p, long ctl, const char *now,
    const struct oms_confirm_shipment *s, size_t n);

#endif
