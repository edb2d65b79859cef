/* order.h: order statuses, the transition table, and the changes every tool makes. */
#ifndef OMS_ORDER_H
#define OMS_ORDER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <oms/oms.h>

struct oms;
struct oms_filter;

/* Where the open part of an order stands (oms(7), ORDER STATUS). */
enum oms_status {
	OMS_NEW,
	OMS_VERIFIED,
	OMS_AUTHORIZED,
	OMS_BACKORDERED,
	OMS_ALLOCATED,
	OMS_PICKING,
	OMS_SHIPPED,
	OMS_HOLD,
	OMS_CANCELLED,
	OMS_NSTATUS
};

/* oms_status_name returns a status's name ("new"). */
const char *oms_status_name(enum oms_status s);

/* oms_status_parse reads a status name; -1 when there is no such status. */
int oms_status_parse(const char *name, enum oms_status *s);

/*
 * oms_transition_ok says whether an order may go from one status to another:
 * the one table of legal moves (lib/order.c).  Leaving hold is legal only
 * back to the status the order was held from; the caller passes that.
 */
int oms_transition_ok(enum oms_status from, enum oms_status to);

/*
 * oms_order_status reads an order's status (and with held_from non-NULL, the
 * status it was held from).  Reports "order N: no such order" and returns
 * OMS_EINPUT when there is none; OMS_ESYS on a database error.
 */
int oms_order_status(struct oms *o, int64_t id, enum oms_status *s, enum oms_status *held_from);

/*
 * oms_order_move changes an order's status through the transition table and
 * records the event (what, detail).  hold_reason is for moves to hold.  An
 * illegal move is a bug in the caller: reported, OMS_ESYS.
 */
int oms_order_move(struct oms *o, int64_t id, enum oms_status to,
    const char *hold_reason, const char *what, const char *detail);

/*
 * oms_order_redirect is oms_order_move for an edit, with one event (what,
 * detail) in every case: an order already in status to only gets the event,
 * and a held one stays held and is released to to instead of where it was
 * held from (a move the table must allow from there).
 */
int oms_order_redirect(struct oms *o, int64_t id, enum oms_status to, const char *what,
    const char *detail);

/*
 * oms_event records an entry in an order's history: now, this tool, this
 * user, what happened and the details.
 */
int oms_event(struct oms *o, int64_t id, const char *what,
    enum oms_status from, enum oms_status to, const char *detail);

/*
 * oms_select_status collects the IDs of the orders in status s, in the
 * order a step takes them: highest priority first, then oldest (a step's
 * --all).  *ids is the caller's to free.
 */
int oms_select_status(struct oms *o, enum oms_status s, int64_t **ids, size_t *n);

/* The oms-order steps, for oms_filter_run. */
struct oms_order_change {
	const char *reason;	/* hold and cancel: why, for the history */
	const char *sku;	/* cancel: only this much of this SKU (NULL: the whole order) */
	int64_t qty;
};
extern const struct oms_filter oms_order_hold_filter;
extern const struct oms_filter oms_order_release_filter;
extern const struct oms_filter oms_order_cancel_filter;

/*
 * What oms_order_list selects; NULL or zero fields match everything.  The
 * fields from email on are compared as oms-order(1), FINDING ORDERS, says.
 */
struct oms_order_query {
	const char *status;
	const char *since;	/* placed_at >= since (UTC ISO 8601) */
	const char *until;	/* placed_at < until */
	const char *source;
	const char *email;	/* case-insensitive */
	const char *external_id, *name, *phone, *postal_code, *tracking;
	char *const *terms;	/* oms-order find: each matches one field or another */
	size_t nterms;
	int newest_first;	/* else oldest first */
};

/*
 * oms_order_unsettled collects the cancelled orders that still have money
 * at a gateway to void or refund (oms-auth settle's work); *ids is the
 * caller's to free.
 */
int oms_order_unsettled(struct oms *o, int64_t **ids, size_t *n);

/*
 * oms_order_query_check says whether every term of q can be looked for:
 * OMS_OK, or OMS_EUSAGE (reported), before the database is opened.
 */
int oms_order_query_check(const struct oms_order_query *q);

/*
 * oms_order_list prints the IDs of the orders matching everything q asks,
 * one per line, oldest first or newest first (lib/find.c).
 */
int oms_order_list(struct oms *o, const struct oms_order_query *q);

/* oms_order_show prints everything about an order in format f. */
int oms_order_show(struct oms *o, int64_t id, enum oms_format f, FILE *out);

/*
 * oms_order_show_run is oms-order show: it prints the orders named by args,
 * order IDs or SOURCE:EXTERNAL_ID, or read from stdin when there are none,
 * in the handle's format; with json, one object for one argument, else one
 * array of them all.  Returns the exit status.
 */
int oms_order_show_run(struct oms *o, char **args, int nargs);

/* oms_order_history prints an order's history as a listing. */
int oms_order_history(struct oms *o, int64_t id, enum oms_format f, FILE *out);

#endif
