/* doc.h: the order document, the one shape an order has outside the database. */
#ifndef OMS_DOC_H
#define OMS_DOC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct oms;
struct oms_node;

struct oms_address {
	char *name, *company, *line1, *line2, *city, *region, *postal_code, *country;
};

struct oms_doc_line {
	char *sku;
	int64_t qty;		/* ordered, > 0 */
	int64_t price;		/* unit price in minor units */
	int has_price;		/* 0: take the catalog's price */
	int line;		/* where it was written, for messages (0: unknown) */
	char *external_line_id;	/* the source's own line ID (order-item-id, PO101); NULL: none */
	/*
	 * The source's key for an item it sold without a SKU (sku is then
	 * ""): resolved through an alias (oms_alias_lookup) as the order is
	 * added, else left for one.  NULL when the line has a SKU.
	 */
	char *item_key;
	int no_shipping;	/* 1: nothing to ship (gift card, download): not reserved, not picked */
	int64_t cancelled;	/* units the source already cancelled or refunded, at most qty */
};

/* An order as written by a person or a feed, before it has an ID. */
struct oms_doc {
	char *external_id;	/* the source's own order number; NULL for none */
	char *source;		/* where it came from: "manual", "shopify", ... */
	char *placed_at;	/* UTC ISO 8601; NULL: now */
	char *customer_name, *customer_email, *customer_phone;
	struct oms_address ship_to, bill_to;
	char *ship_method;
	int ship_complete;	/* 1 ship complete, 0 split, -1 the site's default */
	int64_t priority;	/* higher goes first */
	char currency[4];	/* ISO 4217 */
	int64_t shipping, tax;	/* minor units */
	int64_t discount;	/* off the subtotal, minor units */
	char *payment_method;	/* card, prepaid or invoice */
	char *payment_token;	/* gateway token of a card keyed earlier */
	char *payment_ref;	/* cart's payment reference */
	char *payment_terms;	/* invoice terms ("net 30") */
	char *notes;
	struct oms_doc_line *lines;
	size_t nlines;
	int line;		/* where the document starts (0: unknown) */
	/*
	 * What a cart reader says beyond the document: the order was
	 * cancelled or refunded whole at the source (it is added cancelled,
	 * for the history, with this reason), or needs a person's look (it
	 * is added on hold, manual, with this reason: a partial refund).
	 * fulfilled: the source shipped it, or part of it ("fulfilled at
	 * shopify ..."), which an order imported before is told of.  None
	 * counts in the content hash.
	 */
	char *cancelled, *review, *fulfilled;
};

/*
 * oms_doc_from_node reads an order document.  where names the input for
 * messages; errors are written to err as "WHERE:LINE: WHAT".  Defaults
 * (currency, source) come from the arguments.  Returns 0 or -1.
 */
int oms_doc_from_node(const struct oms_node *n, struct oms_doc *d, const char *where,
    const char *dflt_source, const char *dflt_currency, char *err, size_t errlen);

/*
 * The fields an edit document may change (oms-order edit), as indexes of
 * oms_doc_patch.given: the customer's three, then each address's eight in
 * struct oms_address's order, then the order's own.
 */
enum oms_patch_field {
	OMS_P_CUSTOMER = 0,			/* name, email, phone */
	OMS_P_SHIP_TO = OMS_P_CUSTOMER + 3,	/* name, company, ..., country */
	OMS_P_BILL_TO = OMS_P_SHIP_TO + 8,
	OMS_P_SHIP_METHOD = OMS_P_BILL_TO + 8,
	OMS_P_SHIP_COMPLETE,
	OMS_P_PRIORITY,
	OMS_P_SHIPPING,
	OMS_P_TAX,
	OMS_P_DISCOUNT,
	OMS_P_NOTES,
	OMS_P_LINES,
	OMS_P_NFIELDS
};

/* An edit: what a partial order document says, and which fields it names. */
struct oms_doc_patch {
	/*
	 * The values.  A field named empty is cleared: NULL text, -1
	 * ship_complete, 0 priority or amount.  Lines set each SKU's
	 * quantity (0 cancels it); a SKU is named once.
	 */
	struct oms_doc doc;
	unsigned char given[OMS_P_NFIELDS];	/* 1: the document names the field */
};

/*
 * oms_doc_patch_from_node reads an edit document: any of customer, ship_to,
 * bill_to, ship_method, ship_complete, priority, shipping, tax, discount,
 * notes and lines, held to the rules of oms_doc_from_node (a card number
 * anywhere is refused).  Amounts are in currency.  Returns 0, or -1 with
 * "WHERE:LINE: WHAT" in err; p->doc is the caller's to free.
 */
int oms_doc_patch_from_node(const struct oms_node *n, struct oms_doc_patch *p, const char *where,
    const char *currency, char *err, size_t errlen);

/* oms_address_free frees an address's fields and leaves them NULL. */
void oms_address_free(struct oms_address *a);

/* oms_doc_free frees what a document owns (not the struct itself). */
void oms_doc_free(struct oms_doc *d);

/*
 * oms_doc_add_line appends a line (sku copied).  Returns 0, or -1 when out
 * of memory.
 */
int oms_doc_add_line(struct oms_doc *d, const char *sku, int64_t qty, int has_price, int64_t price);

/* Flags for oms_order_add. */
enum {
	OMS_ADD_ALLOW_UNKNOWN_SKU = 1,	/* take SKUs the catalog lacks (with a price) */
	/*
	 * an order already there under the same (source, external_id) is left
	 * as it is, not refused: OMS_OK with *id 0, for the caller to compare
	 */
	OMS_ADD_IF_NEW = 2,
	/* no shipping address: add the order held (address), reported, not refused */
	OMS_ADD_HOLD_NO_ADDRESS = 4
};

/*
 * oms_order_add validates a document against the catalog and the database
 * (known SKUs unless allowed, prices, a unique (source, external_id)) and
 * inserts it as a new order, in the caller's transaction.  Validation errors
 * are written to err ("WHERE:LINE: WHAT") with OMS_EINPUT; database errors
 * are reported and give OMS_ESYS.
 */
int oms_order_add(struct oms *o, const struct oms_doc *d, int flags, int64_t *id,
    const char *where, char *err, size_t errlen);

/*
 * oms_order_add_yaml reads order documents from f (name for messages) and
 * adds them all in one transaction, or none: the first bad one is written
 * to err with OMS_EINPUT.  Prints each new order's ID after the commit.
 * Under dry run nothing is kept and the IDs printed are those it would
 * have had.
 */
int oms_order_add_yaml(struct oms *o, FILE *f, const char *name, int flags,
    char *err, size_t errlen);

/* Room for a document's content hash in hex, with its NUL. */
#define OMS_DOC_HASH_MAX 17

/*
 * oms_doc_hash writes a hash of everything the document says, so an import
 * can tell an order sent again from one sent again with changes.  A line's
 * external ID counts only when it has one: documents without line IDs hash
 * as they did before oms kept them.
 */
void oms_doc_hash(const struct oms_doc *d, char out[OMS_DOC_HASH_MAX]);

/*
 * oms_order_find looks up the order a source knows as external_id: 1 with
 * its ID and content hash, 0 when there is
 * none, -1 on a database error (reported).
 */
int oms_order_find(struct oms *o, const char *source, const char *external_id, int64_t *id,
    char hash[OMS_DOC_HASH_MAX]);

/* The commented template oms-add opens in an editor. */
extern const char oms_doc_template[];

#endif
