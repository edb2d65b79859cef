/* returns.h: returns (RMAs), exchanges and claims: authorize, receive, refund, cancel. */
#ifndef OMS_RETURNS_H
#define OMS_RETURNS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <oms/oms.h>

struct oms;
struct json_t;

/* Room for an RMA number ("RMA-000123", and more digits as they come) with its NUL. */
#define OMS_RMA_MAX 24

/* What a returned unit becomes when it comes back. */
enum oms_disposition {
	OMS_DISP_NONE,		/* not said: restock */
	OMS_DISP_RESTOCK,	/* back on hand, through the ledger */
	OMS_DISP_SCRAP		/* recorded, never on hand */
};

/* A --line or --exchange: so many units of a SKU (and for a receipt, what they become). */
struct oms_return_want {
	const char *sku;
	int64_t qty;
	enum oms_disposition disp;
};

/*
 * oms_return_want_parse reads "SKU:QTY", or with disp non-zero
 * "SKU:QTY[:restock|scrap]", into w (sku points into arg, which is cut).
 * QTY is at least 1.  Returns 0, or -1 after reporting what is wrong.
 */
int oms_return_want_parse(char *arg, const char *opt, int disp, struct oms_return_want *w);

/*
 * oms_rma_parse reads an RMA number ("RMA-000123", any case, any number of
 * digits) into the return's ID.  Returns 0, or -1 when it is not one.
 */
int oms_rma_parse(const char *s, int64_t *id);

/* oms_rma_format writes a return's RMA number. */
char *oms_rma_format(char buf[OMS_RMA_MAX], int64_t id);

/*
 * oms_return_read_ids reads RMA numbers (with orders set, order IDs) from
 * f, one per line as a filter reads IDs (the first field; blank lines and
 * # comments skipped), appending them to *ids (*n of them, realloc'd).  A
 * line that is none is reported as "NAME:LINE: not an RMA number" and
 * counted in *bad.  Returns 0, or -1 on a read error or out of memory.
 */
int oms_return_read_ids(FILE *f, const char *name, int orders, int64_t **ids, size_t *n,
    int *bad);

/* What oms-return open is asked. */
struct oms_return_req {
	int64_t order;
	const struct oms_return_want *lines;	/* what comes back (or was lost) */
	size_t nlines;
	const char *reason;			/* one of returns.reasons (oms.yaml(5)) */
	const char *note;			/* NULL: none */
	const struct oms_return_want *exchange;	/* the replacement's lines */
	size_t nexchange;
	int claim;				/* --no-return */
};

/*
 * oms_return_open authorizes a return of shipped units (never more than
 * shipped less what is returned or authorized already), with its
 * exchange order when asked, in one transaction, and prints its RMA
 * number on stdout once committed.  OMS_EINPUT for what cannot be
 * returned, OMS_EUSAGE for a reason code oms.yaml does not list.
 */
int oms_return_open(struct oms *o, const struct oms_return_req *r);

/*
 * oms_return_receive records what came back of a return: the wants given
 * (n of them), or everything authorized and not yet received, restocked.
 * Restocked units go back on hand by a "return" ledger row naming the
 * RMA.  Prints the RMA number once committed.
 */
int oms_return_receive(struct oms *o, int64_t rma, const struct oms_return_want *w, size_t n);

/* What oms-return refund is asked; NULL amounts are not given. */
struct oms_refund_req {
	const char *amount;	/* instead of the goods' value */
	const char *fee;	/* a restocking fee, kept */
	int shipping;		/* give back the shipping the customer paid */
};

/*
 * oms_return_refund refunds a received return, or a claim, exactly once:
 * through the order's payment at the gateway (the intent committed, then
 * the call, then the answer), or for prepaid and invoice orders by
 * recording what is owed.  A refund sent and not answered is sent again
 * with its key.  Nothing to give back closes the return.  Prints the RMA
 * number once settled.
 */
int oms_return_refund(struct oms *o, int64_t rma, const struct oms_refund_req *r);

/*
 * oms_return_cancel cancels a return nothing of which was received (or a
 * claim not refunded), and its exchange order if that has not shipped.
 */
int oms_return_cancel(struct oms *o, int64_t rma, const char *reason);

/* What oms_return_list selects; NULL or zero fields match everything. */
struct oms_return_query {
	const char *status;
	const char *since;	/* created_at >= since (UTC ISO 8601) */
	const int64_t *orders;	/* NULL: every order's; else only these (norders may be 0) */
	size_t norders;
	int print;		/* 0: a listing; 'r': RMA numbers; 'o': order IDs */
};

/* oms_return_list lists the matching returns, oldest first. */
int oms_return_list(struct oms *o, const struct oms_return_query *q, enum oms_format f,
    FILE *out);

/* oms_return_show prints a return, its lines and its history. */
int oms_return_show(struct oms *o, int64_t rma, enum oms_format f, FILE *out);

/*
 * oms_return_show_order prints an order's returns for oms-order show (a
 * heading and a listing, nothing when it has none), and
 * oms_return_order_json gives them as a JSON array (NULL when out of
 * memory or on a database error, reported).
 */
int oms_return_show_order(struct oms *o, int64_t order, enum oms_format f, FILE *out);
struct json_t *oms_return_order_json(struct oms *o, int64_t order);

#endif
