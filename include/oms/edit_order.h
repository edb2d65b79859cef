/* edit_order.h: an order changed after it was taken, safely while others work (oms-order edit). */
#ifndef OMS_EDIT_ORDER_H
#define OMS_EDIT_ORDER_H

#include <stddef.h>
#include <stdint.h>

struct oms;
struct oms_doc_patch;

/* How to edit, from oms-order edit's options. */
struct oms_order_edit {
	int64_t if_version;	/* refuse unless the order is at this version; 0: any */
	const char *reason;	/* why, for the history; NULL: none */
	const char *const *lines;	/* --line SKU:QTY[:PRICE] */
	size_t nlines;
	const char *ship_method;	/* --ship-method; NULL: not given */
	const char *priority;		/* --priority, as given; NULL: not given */
};

/* What an edit did. */
struct oms_edit_result {
	int changed;		/* something changed (else nothing was written) */
	int stale;		/* refused: the order was not at the version asked for */
	int64_t version;	/* the order's version after the edit */
	char *detail;		/* what changed, as the history has it (the caller frees it) */
	char notice[768];	/* what follows from it, lines for the person; "" for nothing */
};

/*
 * oms_order_edit_apply applies the edit p to order id in the caller's
 * transaction: the fields it names, each SKU of its lines set to its
 * quantity (0 cancels what is open of it; a new SKU adds a line), with
 * the consequences of oms-order(1), EDIT: reservations and the ledger
 * adjusted at once, totals recomputed, the order sent back to new for a
 * new ship-to or to verified for a card total its authorization does not
 * cover, and one event.  whole: p is the whole order (an editor's): a SKU
 * it leaves out is cancelled.  A refusal is written to err with
 * OMS_EINPUT (r->stale when it is e->if_version's), and the caller rolls
 * back; OMS_ESYS on a database error (reported).
 */
int oms_order_edit_apply(struct oms *o, int64_t id, const struct oms_doc_patch *p, int whole,
    const struct oms_order_edit *e, struct oms_edit_result *r, char *err, size_t errlen);

/*
 * oms_order_edit_run edits order id as oms-order edit does: by e's quick
 * options when it has any, else by the edit document on standard input,
 * else (standard input a terminal) in $VISUAL or $EDITOR on the whole
 * order, refused if the order changed while it was open.  One
 * transaction; prints the ID after the commit (under dry run, the ID and
 * what would change) and reports the consequences on standard error.
 * Returns the exit status.
 */
int oms_order_edit_run(struct oms *o, int64_t id, const struct oms_order_edit *e);

#endif
