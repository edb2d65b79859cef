/*
 * order.c: order statuses and the one table of legal moves between them.
 * Every status change in oms goes through oms_order_move, which writes the
 * order's history; nothing else updates orders.status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <oms/db.h>
#include <oms/filter.h>
#include <oms/fmt.h>
#include <oms/money.h>
#include <oms/order.h>
#include <oms/stock.h>
#include <oms/time.h>
#include <oms/diag.h>

#include "internal.h"

static const char *const status_names[OMS_NSTATUS] = {
	"new", "verified", "authorized", "backordered", "allocated", "picking",
	"shipped", "hold", "cancelled",
};

#define S(x) (1u << (x))
/* Orders that are still open may be held or cancelled. */
#define OPEN (S(OMS_HOLD) | S(OMS_CANCELLED))

/*
 * An edit sends an order back before it is picked (oms-order edit): a new
 * ship-to to new, to be verified again; a card total its authorization
 * does not cover to verified, to be authorized again.
 */
#define BACK (S(OMS_NEW) | S(OMS_VERIFIED))

/* next[from] is the set of statuses an order may move to (oms(7), ORDER STATUS). */
static const unsigned next[OMS_NSTATUS] = {
	[OMS_NEW] = S(OMS_VERIFIED) | OPEN,
	[OMS_VERIFIED] = S(OMS_AUTHORIZED) | S(OMS_NEW) | OPEN,
	[OMS_AUTHORIZED] = S(OMS_ALLOCATED) | S(OMS_BACKORDERED) | BACK | OPEN,
	/* The rest of a partly shipped order cancelled: it has shipped. */
	[OMS_BACKORDERED] = S(OMS_ALLOCATED) | S(OMS_SHIPPED) | BACK | OPEN,
	[OMS_ALLOCATED] = S(OMS_PICKING) | S(OMS_BACKORDERED) | S(OMS_SHIPPED) | BACK | OPEN,
	[OMS_PICKING] = S(OMS_SHIPPED) | S(OMS_BACKORDERED) | S(OMS_ALLOCATED) | OPEN,
	/*
	 * oms-ship only: shipped, but the capture failed: held for payment; a
	 * shipment voided: its goods are picked again.
	 */
	[OMS_SHIPPED] = S(OMS_HOLD) | S(OMS_PICKING),
	/* Leaving hold: back where it was held from (checked by the caller), or cancelled. */
	[OMS_HOLD] = S(OMS_NEW) | S(OMS_VERIFIED) | S(OMS_AUTHORIZED) | S(OMS_BACKORDERED) |
	    S(OMS_ALLOCATED) | S(OMS_PICKING) | S(OMS_SHIPPED) | S(OMS_CANCELLED),
	[OMS_CANCELLED] = 0,
};

const char *
oms_status_name(enum oms_status s)
{
	return (unsigned)s < OMS_NSTATUS ? status_names[s] : NULL;
}

int
oms_status_parse(const char *name, enum oms_status *s)
{
	int i;

	for (i = 0; i < OMS_NSTATUS; i++)
		if (strcmp(name, status_names[i]) == 0) {
			*s = (enum oms_status)i;
			return 0;
		}
	return -1;
}

int
oms_transition_ok(enum oms_status from, enum oms_status to)
{
	if ((unsigned)from >= OMS_NSTATUS || (unsigned)to >= OMS_NSTATUS)
		return 0;
	return (next[from] & S(to)) != 0;
}

int
oms_order_status(struct oms *o, int64_t id, enum oms_status *s, enum oms_status *held_from)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT status, held_from FROM orders WHERE id = ?",
	    "i", id);
	const char *held;
	int rc;

	if ((rc = omsi_order_row(o, st, id)) != OMS_OK)
		return rc;
	if (oms_status_parse(omsi_text(st, 0), s) != 0) {
		oms_warnx("order %lld: unknown status \"%s\"", (long long)id, omsi_text(st, 0));
		omsi_reset(st);
		return OMS_ESYS;
	}
	held = omsi_text(st, 1);
	if (held_from != NULL)
		*held_from = held ? (oms_status_parse(held, held_from), *held_from) : OMS_NSTATUS;
	omsi_reset(st);
	return OMS_OK;
}

int
oms_event(struct oms *o, int64_t id, const char *what, enum oms_status from,
    enum oms_status to, const char *detail)
{
	char now[OMS_TIME_MAX], *masked;
	int rc;

	/*
	 * Every entry of every order's history is written here: a card number
	 * in what a person or a gateway said (a reason, a reference) is kept
	 * masked.
	 */
	if (omsi_pan_safe(&detail, &masked) != 0)
		return OMS_ESYS;
	rc = omsi_exec(o, "INSERT INTO events (order_id, at, tool, user, what, from_status,"
	    " to_status, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "ittttttt",
	    id, oms_time_now(now), o->tool, o->user, what, oms_status_name(from),
	    oms_status_name(to), detail);
	free(masked);
	return rc;
}

int
oms_order_move(struct oms *o, int64_t id, enum oms_status to, const char *hold_reason,
    const char *what, const char *detail)
{
	enum oms_status from, held_from;
	int rc;

	if ((rc = oms_order_status(o, id, &from, &held_from)) != OMS_OK)
		return rc;
	return omsi_order_move_from(o, id, from, held_from, to, hold_reason, what, detail);
}

/* waits says whether an order in status s takes part in the fair order (table waiting). */
static int
waits(enum oms_status s)
{
	return s == OMS_AUTHORIZED || s == OMS_BACKORDERED || s == OMS_ALLOCATED ||
	    s == OMS_PICKING;
}

int
omsi_order_move_from(struct oms *o, int64_t id, enum oms_status from, enum oms_status held_from,
    enum oms_status to, const char *hold_reason, const char *what, const char *detail)
{
	char now[OMS_TIME_MAX];
	int rc;

	if (!oms_transition_ok(from, to) ||
	    (from == OMS_HOLD && to != OMS_CANCELLED && to != held_from)) {
		oms_warnx("order %lld: internal error: no move from %s to %s", (long long)id,
		    oms_status_name(from), oms_status_name(to));
		return OMS_ESYS;
	}
	rc = omsi_exec(o, "UPDATE orders SET status = ?, hold_reason = ?, held_from = ?,"
	    " version = version + 1, updated_at = ? WHERE id = ?", "tttti",
	    oms_status_name(to), to == OMS_HOLD ? hold_reason : NULL,
	    to == OMS_HOLD ? oms_status_name(from) : NULL, oms_time_now(now), id);
	if (rc == OMS_OK && waits(from) != waits(to))
		rc = waits(to) ? omsi_waiting_add(o, id) : omsi_waiting_forget(o, id);
	if (rc != OMS_OK)
		return rc;
	return oms_event(o, id, what, from, to, detail);
}

int
oms_order_redirect(struct oms *o, int64_t id, enum oms_status to, const char *what,
    const char *detail)
{
	enum oms_status from, held_from;
	char now[OMS_TIME_MAX];
	int rc;

	if ((rc = oms_order_status(o, id, &from, &held_from)) != OMS_OK)
		return rc;
	if (from != OMS_HOLD)
		return from == to ? oms_event(o, id, what, OMS_NSTATUS, OMS_NSTATUS, detail) :
		    oms_order_move(o, id, to, NULL, what, detail);
	if (held_from == to)
		return oms_event(o, id, what, OMS_NSTATUS, OMS_NSTATUS, detail);
	/* Held: it stays held, and its release is the move it would make now. */
	if (!oms_transition_ok(held_from, to)) {
		oms_warnx("order %lld: internal error: no move from %s to %s", (long long)id,
		    oms_status_name(held_from), oms_status_name(to));
		return OMS_ESYS;
	}
	if ((rc = omsi_exec(o, "UPDATE orders SET held_from = ?, version = version + 1,"
	    " updated_at = ? WHERE id = ?", "tti", oms_status_name(to), oms_time_now(now), id)) !=
	    OMS_OK)
		return rc;
	return oms_event(o, id, what, OMS_HOLD, OMS_HOLD, detail);
}

static enum oms_step
step_result(int rc)
{
	return rc == OMS_OK ? OMS_STEP_DONE : rc == OMS_EINPUT ? OMS_STEP_REJECT : OMS_STEP_FAIL;
}

static enum oms_step
hold_step(struct oms *o, int64_t id, void *arg)
{
	const struct oms_order_change *c = arg;
	enum oms_status s;
	int rc;

	if ((rc = oms_order_status(o, id, &s, NULL)) != OMS_OK)
		return step_result(rc);
	if (s == OMS_HOLD)
		return OMS_STEP_PASS;
	if (s == OMS_SHIPPED || !oms_transition_ok(s, OMS_HOLD)) {
		oms_warnx("order %lld: cannot hold: it is %s", (long long)id, oms_status_name(s));
		return OMS_STEP_REJECT;
	}
	return step_result(oms_order_move(o, id, OMS_HOLD, "manual", "hold", c->reason));
}

static enum oms_step
release_step(struct oms *o, int64_t id, void *arg)
{
	const struct oms_order_change *c = arg;
	enum oms_status s, from;
	int rc;

	if ((rc = oms_order_status(o, id, &s, &from)) != OMS_OK)
		return step_result(rc);
	if (s != OMS_HOLD)
		return OMS_STEP_PASS;
	return step_result(oms_order_move(o, id, from, NULL, "release", c->reason));
}

/* release_reservations gives back what an order's open lines hold in stock. */
static int
release_reservations(struct oms *o, int64_t id)
{
	static const char q[] = "SELECT sku, allocated, id FROM order_lines"
	    " WHERE order_id = ? AND allocated > 0 ORDER BY line_no";
	struct omsi_stmt *st;
	char ref[32], *sku;
	int64_t n, line;
	int rc;

	snprintf(ref, sizeof ref, "order %lld", (long long)id);
	/* One at a time: the move writes through the same connection. */
	for (;;) {
		if ((st = omsi_stmt(o, q, "i", id)) == NULL || (rc = omsi_step(o, st)) < 0)
			return OMS_ESYS;
		if (rc != OMSI_ROW)
			return OMS_OK;
		n = omsi_col_int64(st, 1);
		line = omsi_col_int64(st, 2);
		if ((sku = omsi_strdup(omsi_text(st, 0))) == NULL)
			return OMS_ESYS;
		omsi_reset(st);
		rc = oms_stock_move(o, sku, "release", 0, -n, ref, "order cancelled");
		if (rc == OMS_OK)
			rc = omsi_exec(o, "UPDATE order_lines SET allocated = 0, picked = 0"
			    " WHERE id = ?", "i", line);
		free(sku);
		if (rc != OMS_OK)
			return rc;
	}
}

/*
 * cancel_settle moves an order whose lines cancel_part changed to where
 * what is left puts it, so that no step finds it with nothing to do: the
 * rest of a partly shipped order cancelled, it has shipped; an allocated
 * or picking order left with nothing reserved waits for stock.  A held
 * order stays held and is released there (oms_order_redirect).
 */
static int
cancel_settle(struct oms *o, int64_t id, enum oms_status s, int64_t open, int64_t allocated)
{
	enum oms_status eff = s, held_from, to;
	int rc;

	if (s == OMS_HOLD && (rc = oms_order_status(o, id, &s, &held_from)) == OMS_OK)
		eff = held_from;
	else if (s == OMS_HOLD)
		return rc;
	if (eff != OMS_ALLOCATED && eff != OMS_BACKORDERED && eff != OMS_PICKING)
		return OMS_OK;
	if (open == 0)
		to = OMS_SHIPPED;
	else if (allocated == 0 && eff != OMS_BACKORDERED)
		to = OMS_BACKORDERED;
	else
		return OMS_OK;
	return oms_order_redirect(o, id, to, "cancel line", open == 0 ?
	    "the rest cancelled: what shipped is the order" : "nothing left reserved: waits for stock");
}

/*
 * cancel_part cancels qty of one SKU's open quantity: what waits for stock
 * first, then what is reserved, whose stock goes back.  An order with
 * nothing left open and nothing shipped is cancelled whole.
 */
static enum oms_step
cancel_part(struct oms *o, int64_t id, enum oms_status s, const struct oms_order_change *c)
{
	struct omsi_stmt *st;
	char ref[32], detail[256];
	int64_t line, qty, allocated, shipped, cancelled, take, release, left = c->qty, open;
	int rc;

	snprintf(ref, sizeof ref, "order %lld", (long long)id);
	st = omsi_stmt(o, "SELECT coalesce(sum(qty - shipped - cancelled), 0) FROM order_lines"
	    " WHERE order_id = ? AND sku = ?", "it", id, c->sku);
	if (st == NULL || omsi_step(o, st) != OMSI_ROW)
		return OMS_STEP_FAIL;
	open = omsi_col_int64(st, 0);
	omsi_reset(st);
	if (open < c->qty) {
		oms_warnx("order %lld: cannot cancel %lld of %s: %lld open", (long long)id,
		    (long long)c->qty, c->sku, (long long)open);
		return OMS_STEP_REJECT;
	}
	while (left > 0) {
		st = omsi_stmt(o, "SELECT id, qty, allocated, shipped, cancelled FROM order_lines"
		    " WHERE order_id = ? AND sku = ? AND qty - shipped - cancelled > 0"
		    " ORDER BY line_no DESC LIMIT 1", "it", id, c->sku);
		if (st == NULL || omsi_step(o, st) != OMSI_ROW)
			return OMS_STEP_FAIL;
		line = omsi_col_int64(st, 0);
		qty = omsi_col_int64(st, 1);
		allocated = omsi_col_int64(st, 2);
		shipped = omsi_col_int64(st, 3);
		cancelled = omsi_col_int64(st, 4);
		omsi_reset(st);
		take = qty - shipped - cancelled < left ? qty - shipped - cancelled : left;
		/* Only what the waiting part cannot cover comes out of the reservation. */
		release = allocated + shipped + cancelled + take - qty;
		if (release > 0 && ((rc = oms_stock_move(o, c->sku, "release", 0, -release, ref,
		    "line cancelled")) != OMS_OK || (rc = omsi_exec(o, "UPDATE order_lines SET"
		    " allocated = allocated - ?1, picked = CASE WHEN picked < allocated - ?1 THEN"
		    " picked ELSE allocated - ?1 END WHERE id = ?2", "ii", release, line)) != OMS_OK))
			return step_result(rc);
		if ((rc = omsi_exec(o, "UPDATE order_lines SET cancelled = cancelled + ? WHERE id = ?",
		    "ii", take, line)) != OMS_OK)
			return step_result(rc);
		left -= take;
	}
	if ((rc = omsi_waiting_refresh(o, id, c->sku)) != OMS_OK)
		return step_result(rc);
	snprintf(detail, sizeof detail, "%s %lld of %lld%s%s", c->sku, (long long)c->qty,
	    (long long)open, c->reason ? ": " : "", c->reason ? c->reason : "");
	if ((rc = oms_event(o, id, "cancel line", s, s, detail)) != OMS_OK)
		return step_result(rc);
	st = omsi_stmt(o, "SELECT sum(qty - shipped - cancelled), sum(shipped), sum(allocated)"
	    " FROM order_lines WHERE order_id = ?", "i", id);
	if (st == NULL || omsi_step(o, st) != OMSI_ROW)
		return OMS_STEP_FAIL;
	open = omsi_col_int64(st, 0);
	shipped = omsi_col_int64(st, 1);
	allocated = omsi_col_int64(st, 2);
	omsi_reset(st);
	if (open == 0 && shipped == 0)
		return step_result(oms_order_move(o, id, OMS_CANCELLED, NULL, "cancel",
		    "every line cancelled"));
	return step_result(cancel_settle(o, id, s, open, allocated));
}

static enum oms_step
cancel_step(struct oms *o, int64_t id, void *arg)
{
	const struct oms_order_change *c = arg;
	enum oms_status s, held_from;
	int rc;

	if ((rc = oms_order_status(o, id, &s, &held_from)) != OMS_OK)
		return step_result(rc);
	if (s == OMS_CANCELLED)
		return OMS_STEP_PASS;
	if (s == OMS_HOLD && held_from == OMS_SHIPPED) {
		oms_warnx("order %lld: cannot cancel: it has shipped (held for payment)", (long long)id);
		return OMS_STEP_REJECT;
	}
	if (!oms_transition_ok(s, OMS_CANCELLED)) {
		oms_warnx("order %lld: cannot cancel: it is %s", (long long)id, oms_status_name(s));
		return OMS_STEP_REJECT;
	}
	if (c->sku != NULL)
		return cancel_part(o, id, s, c);
	if ((rc = release_reservations(o, id)) != OMS_OK ||
	    (rc = omsi_exec(o, "UPDATE order_lines SET cancelled = qty - shipped"
	    " WHERE order_id = ?", "i", id)) != OMS_OK)
		return step_result(rc);
	return step_result(oms_order_move(o, id, OMS_CANCELLED, NULL, "cancel", c->reason));
}

const struct oms_filter oms_order_hold_filter = { .step = hold_step };
const struct oms_filter oms_order_release_filter = { .step = release_step };
const struct oms_filter oms_order_cancel_filter = { .step = cancel_step };

int
oms_select_status(struct oms *o, enum oms_status s, int64_t **ids, size_t *n)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT id FROM orders WHERE status = ?"
	    " ORDER BY priority DESC, placed_at, id", "t", oms_status_name(s));

	if (st == NULL)
		return OMS_ESYS;
	return omsi_collect_ids(o, st, ids, n);
}

int
oms_order_unsettled(struct oms *o, int64_t **ids, size_t *n)
{
	/*
	 * Cancelled, with an authorization not voided, and either nothing
	 * captured and nothing shipped (a void is due) or less refunded than
	 * captured beyond what its shipments charged (goods that left before
	 * the rest was cancelled stay paid for).
	 */
	struct omsi_stmt *st = omsi_stmt(o, "SELECT DISTINCT o.id FROM orders o JOIN payments a ON"
	    " a.order_id = o.id WHERE o.status = 'cancelled' AND a.kind = 'authorize' AND"
	    " a.status = 'succeeded' AND NOT EXISTS (SELECT 1 FROM payments v WHERE"
	    " v.parent_id = a.id AND v.kind = 'void' AND v.status = 'succeeded') AND"
	    " CASE WHEN EXISTS (SELECT 1 FROM payments c WHERE c.parent_id = a.id AND"
	    " c.kind = 'capture' AND c.status = 'succeeded') THEN (SELECT coalesce(sum(amount), 0)"
	    " FROM payments r WHERE r.parent_id = a.id AND r.kind = 'refund' AND"
	    " r.status = 'succeeded') < (SELECT coalesce(sum(amount), 0) FROM payments c WHERE"
	    " c.parent_id = a.id AND c.kind = 'capture' AND c.status = 'succeeded') -"
	    " (SELECT coalesce(sum(charge), 0) FROM shipments s WHERE s.order_id = o.id AND"
	    " s.status = 'shipped') ELSE NOT EXISTS (SELECT 1 FROM shipments s WHERE"
	    " s.order_id = o.id AND s.status = 'shipped') END ORDER BY o.id", "");

	if (st == NULL)
		return OMS_ESYS;
	return omsi_collect_ids(o, st, ids, n);
}
