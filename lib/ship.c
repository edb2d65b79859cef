/*
 * ship.c: a shipment takes picked quantities off the shelf and out of
 * their reservation, charges the customer for what went, and moves the
 * order on.  Capture follows DESIGN §5: the intent is part of the
 * shipment's transaction, the gateway is called after it commits.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <oms/config.h>
#include <oms/db.h>
#include <oms/filter.h>
#include <oms/fmt.h>
#include <oms/ids.h>
#include <oms/money.h>
#include <oms/order.h>
#include <oms/pay.h>
#include <oms/pick.h>
#include <oms/outfile.h>
#include <oms/ship.h>
#include <oms/stock.h>
#include <oms/time.h>
#include <oms/diag.h>

#include "internal.h"

/* One shipment to record: the run's options, or one row of a tracking file. */
struct shipment {
	const char *carrier, *service, *tracking, *origin;
	int64_t weight_g;	/* -1: from the items */
	const char *cost;	/* decimal text in the order's currency; NULL unknown */
	int packages;
};

/* What a SKU:QTY asks for. */
struct want {
	char sku[65];
	int64_t qty;
};

struct ship_ctx {
	struct oms_gateway *g;	/* opened when a capture first needs it */
	/* The orders of the batch that went to the gateway: those ship_captures looks at. */
	int64_t *paying;
	size_t npaying, cappaying;
	struct shipment one;	/* for oms_ship_run */
	struct shipment *rows;	/* for a tracking file: one per ID, in order */
	size_t next;
	struct want *wants;
	int nwants;
	int confirm_required;	/* pick.confirm: required */
	int by_method;		/* no --carrier, --service: each order's from ship.methods */
	int force;		/* --force: a tracking number that fails its check */
};

/* An order line, and what of it is picked. */
struct sline {
	int64_t id, picked, price, weight_pg, take;
	int64_t confirm;	/* of picked, what open pick lists had not confirmed yet */
	int64_t open, allocated;	/* qty not shipped or cancelled; reserved */
	int has_weight, needs_shipping;
	char sku[65];
};

/* gateway opens the gateway for order id of the batch, which will pay through it. */
static int
gateway(struct oms *o, struct ship_ctx *c, int64_t id)
{
	int64_t *more;

	if (c->npaying == 0 || c->paying[c->npaying - 1] != id) {
		if ((more = omsi_grow(c->paying, &c->cappaying, c->npaying, sizeof *more)) == NULL)
			return OMS_ESYS;
		c->paying = more;
		c->paying[c->npaying++] = id;
	}
	return c->g != NULL ? OMS_OK : oms_gateway_open(o, &c->g);
}

static enum oms_step
step_of(int rc)
{
	return rc == OMS_OK ? OMS_STEP_DONE : rc == OMS_EINPUT ? OMS_STEP_REJECT : OMS_STEP_FAIL;
}

/*
 * load_lines reads an order's lines in line order, with what of each is
 * picked.  What its open pick lists hold and no one confirmed counts as
 * picked (pick.confirm: implied; required has checked there is none): the
 * ship writes it to the line in the same update as the shipment, not in
 * an update of its own before it.  *npicked counts the lines with some,
 * *nconfirm those with some to confirm; *unshipped is the value of those
 * with nothing to ship.
 */
static int
load_lines(struct oms *o, int64_t id, int confirm, struct sline **out, size_t *n,
    size_t *npicked, size_t *nconfirm, int64_t *unshipped)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT l.id, l.picked, l.unit_price, i.weight_pg, l.sku,"
	    " l.qty - l.shipped - l.cancelled, l.allocated, l.needs_shipping, l.qty - l.cancelled"
	    " FROM order_lines l LEFT JOIN items i ON i.sku = l.sku WHERE l.order_id = ?1"
	    " ORDER BY l.line_no", "i", id);
	struct sline *v = NULL, *more;
	size_t cap = 0, i;
	int64_t line;
	int rc;

	*n = *npicked = 0;
	*unshipped = 0;
	if (st == NULL)
		return OMS_ESYS;
	while ((rc = omsi_step(o, st)) == OMSI_ROW) {
		if ((more = omsi_grow(v, &cap, *n, sizeof *v)) == NULL) {
			rc = -1;
			break;
		}
		v = more;
		memset(&v[*n], 0, sizeof v[*n]);
		v[*n].id = omsi_col_int64(st, 0);
		v[*n].picked = omsi_col_int64(st, 1);
		v[*n].price = omsi_col_int64(st, 2);
		v[*n].has_weight = !omsi_col_null(st, 3);
		v[*n].weight_pg = omsi_col_int64(st, 3);
		snprintf(v[*n].sku, sizeof v[*n].sku, "%s", omsi_text(st, 4));
		v[*n].open = omsi_col_int64(st, 5);
		v[*n].allocated = omsi_col_int64(st, 6);
		v[*n].needs_shipping = omsi_col_int(st, 7);
		if (!v[*n].needs_shipping)
			*unshipped += omsi_col_int64(st, 8) * v[*n].price;
		(*n)++;
	}
	omsi_reset(st);
	/*
	 * The pick lines read once for the order, not once a line: SQLite's
	 * UPDATE ... RETURNING, which would confirm them in the same pass,
	 * costs three times the two statements.
	 */
	if (rc == OMSI_DONE && confirm) {
		if ((st = omsi_stmt(o, "SELECT p.line_id, coalesce(p.picked, p.qty) FROM"
		    " pick_lines p JOIN pick_lists k ON k.id = p.list_id WHERE p.order_id = ?1 AND"
		    " p.confirmed = 0 AND k.status = 'open'", "i", id)) == NULL) {
			free(v);
			return OMS_ESYS;
		}
		while ((rc = omsi_step(o, st)) == OMSI_ROW) {
			line = omsi_col_int64(st, 0);
			for (i = 0; i < *n && v[i].id != line; i++)
				;
			if (i < *n)
				v[i].confirm += omsi_col_int64(st, 1);
		}
		omsi_reset(st);
	}
	if (rc != OMSI_DONE) {
		free(v);
		return OMS_ESYS;
	}
	for (i = 0, *nconfirm = 0; i < *n; i++) {
		v[i].picked += v[i].confirm;
		*npicked += v[i].picked > 0;
		*nconfirm += v[i].confirm > 0;
	}
	*out = v;
	return OMS_OK;
}

/* choose sets what each line gives: everything picked, or what the wants ask. */
static int
choose(int64_t id, struct sline *l, size_t n, const struct want *w, int nw)
{
	int64_t left, have;
	size_t i;
	int k;

	if (nw == 0) {
		for (i = 0; i < n; i++)
			l[i].take = l[i].picked;
		return OMS_OK;
	}
	for (k = 0; k < nw; k++) {
		for (i = 0, have = 0; i < n; i++)
			if (strcmp(l[i].sku, w[k].sku) == 0)
				have += l[i].picked - l[i].take;
		if (have < w[k].qty) {
			oms_warnx("order %lld: --line %s:%lld: %lld of %s picked to ship", (long long)id,
			    w[k].sku, (long long)w[k].qty, (long long)have, w[k].sku);
			return OMS_EINPUT;
		}
		for (i = 0, left = w[k].qty; i < n && left > 0; i++) {
			if (strcmp(l[i].sku, w[k].sku) != 0)
				continue;
			have = l[i].picked - l[i].take < left ? l[i].picked - l[i].take : left;
			l[i].take += have;
			left -= have;
		}
	}
	return OMS_OK;
}

/* The order's facts a shipment needs. */
struct ship_order {
	enum oms_status status, held_from;
	char hold_reason[32], currency[4], method[65];
	/*
	 * base: the goods the total is for, the subtotal.  Not the lines'
	 * sum: an edit's cancelled units leave both, a cancelled line (oms-order
	 * cancel --line) neither, and the charges follow the total either way.
	 */
	int64_t total, shipping, base;
	int64_t prior_value, prior_charge;	/* of its shipments so far */
	int64_t unshipped;			/* lines with nothing to ship (load_lines) */
	int capture_pending;			/* a shipment's capture not yet answered */
	int capture_owed;			/* a capture to make (OMSI_SQL_CAPTURE_OWED) */
	int at_gateway;				/* its money is at oms's gateway (OMSI_SQL_AT_GATEWAY) */
};

/* status_of reads an order's status, a hold's origin and reason: columns 0 to 2 of st. */
static void
status_of(struct omsi_stmt *st, struct ship_order *so)
{
	oms_status_parse(omsi_text(st, 0), &so->status);
	so->held_from = OMS_NSTATUS;
	oms_status_parse(omsi_text(st, 1), &so->held_from);
	snprintf(so->hold_reason, sizeof so->hold_reason, "%s", omsi_text(st, 2));
}

static int
load_order(struct oms *o, int64_t id, struct ship_order *so)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT o.status, coalesce(o.held_from, ''),"
	    " coalesce(o.hold_reason, ''), o.currency, o.total, o.shipping, o.subtotal,"
	    " (SELECT coalesce(sum(value), 0) FROM shipments WHERE order_id = o.id AND"
	    " status = 'shipped'), (SELECT coalesce(sum(charge), 0) FROM shipments WHERE"
	    " order_id = o.id AND status = 'shipped'), coalesce(o.ship_method, ''), "
	    OMSI_SQL_CAPTURE_PENDING ", " OMSI_SQL_CAPTURE_OWED ", " OMSI_SQL_AT_GATEWAY
	    " FROM orders o WHERE o.id = ?",
	    "i", id);
	int rc;

	if ((rc = omsi_order_row(o, st, id)) != OMS_OK)
		return rc;
	status_of(st, so);
	snprintf(so->currency, sizeof so->currency, "%s", omsi_text(st, 3));
	so->total = omsi_col_int64(st, 4);
	so->shipping = omsi_col_int64(st, 5);
	so->base = omsi_col_int64(st, 6);
	so->prior_value = omsi_col_int64(st, 7);
	so->prior_charge = omsi_col_int64(st, 8);
	snprintf(so->method, sizeof so->method, "%s", omsi_text(st, 9));
	so->capture_pending = omsi_col_int(st, 10);
	so->capture_owed = omsi_col_int(st, 11);
	so->at_gateway = omsi_col_int(st, 12);
	omsi_reset(st);
	return OMS_OK;
}

/*
 * load_hold reads what a capture's answer needs of an order (its status,
 * and a hold's reason and where from), not all load_order reads: after
 * each batch's captures it is read again for every order of the batch.
 */
static int
load_hold(struct oms *o, int64_t id, struct ship_order *so)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT status, coalesce(held_from, ''),"
	    " coalesce(hold_reason, '') FROM orders WHERE id = ?", "i", id);
	int rc;

	if ((rc = omsi_order_row(o, st, id)) != OMS_OK)
		return rc;
	status_of(st, so);
	omsi_reset(st);
	return OMS_OK;
}

/*
 * tracking_taken: 0 when the number is free, 1 when this order has it
 * already (a file imported again), -1 when another order has it
 * (reported), -2 on a database error.
 */
static int
tracking_taken(struct oms *o, int64_t id, const struct shipment *s)
{
	struct omsi_stmt *st;
	int64_t other, sid;
	int rc;

	if (s->tracking == NULL)
		return 0;
	st = omsi_stmt(o, "SELECT order_id, id FROM shipments WHERE carrier = ? AND tracking = ?"
	    " AND status = 'shipped'", "tt", s->carrier, s->tracking);
	if (st == NULL || (rc = omsi_step(o, st)) < 0)
		return -2;
	if (rc != OMSI_ROW)
		return 0;
	other = omsi_col_int64(st, 0);
	sid = omsi_col_int64(st, 1);
	omsi_reset(st);
	if (other == id)
		return 1;
	oms_warnx("order %lld: %s tracking number %s is order %lld's (shipment %lld)", (long long)id,
	    s->carrier, s->tracking, (long long)other, (long long)sid);
	return -1;
}

/* unconfirmed names an open pick list with the order's lines not confirmed (0: none). */
static int64_t
unconfirmed(struct oms *o, int64_t id)
{
	int64_t list;

	if (omsi_int(o, &list, "SELECT coalesce(min(p.list_id), 0) FROM pick_lines p JOIN"
	    " pick_lists l ON l.id = p.list_id WHERE p.order_id = ? AND p.confirmed = 0 AND"
	    " l.status = 'open'", "i", id) != OMS_OK)
		return -1;
	return list;
}

/*
 * next_status says where an order stands once a shipment has left, from
 * its lines as load_lines read them less what the shipment took.
 */
static enum oms_status
next_status(const struct sline *l, size_t n)
{
	int64_t open = 0, picked = 0, allocated = 0;
	size_t i;

	/* A line with nothing to ship (a gift card) is done when the rest has left. */
	for (i = 0; i < n; i++) {
		if (!l[i].needs_shipping)
			continue;
		open += l[i].open - l[i].take;
		picked += l[i].picked - l[i].take;
		allocated += l[i].allocated - l[i].take;
	}
	if (open == 0)
		return OMS_SHIPPED;
	if (picked > 0)
		return OMS_PICKING;	/* part of what was picked is still on the bench */
	if (allocated >= open)
		return OMS_ALLOCATED;	/* the rest is reserved: pick it */
	return OMS_BACKORDERED;	/* the rest waits for stock */
}

/*
 * service_of is a shipment's service; a carrier file that leaves it out
 * means the order's: what ship.methods makes of its ship method when that
 * goes by the same carrier, else the method as written.
 */
static const char *
service_of(struct oms *o, const struct shipment *s, const struct ship_order *so)
{
	const char *carrier, *service;

	if (s->service != NULL)
		return s->service;
	if (omsi_ship_method_find(oms_config_node(o, "ship.methods"), so->method[0] ?
	    so->method : NULL, &carrier, &service) != NULL && strcmp(carrier, s->carrier) == 0)
		return service;
	return so->method[0] ? so->method : "unspecified";
}

/* record writes the shipment, its lines, the stock moves and the order's lines. */
static int
record(struct oms *o, int64_t id, const struct shipment *s, const struct ship_order *so,
    struct sline *l, size_t n, int64_t *sid, int64_t *charge, int64_t *units)
{
	char now[OMS_TIME_MAX], ref[40];
	const char *service = service_of(o, s, so);
	int64_t value = 0, weight = 0, pg = 0, w, cost = 0, shipping;
	int has_weight = 0, rc;
	size_t i;

	*units = 0;
	for (i = 0; i < n; i++) {
		value += l[i].take * l[i].price;
		*units += l[i].take;
		if (l[i].take > 0 && l[i].has_weight) {
			/* The catalog's exact weights summed, rounded once to the gram. */
			if (l[i].weight_pg > 0 && l[i].take > (INT64_MAX - pg) / l[i].weight_pg) {
				oms_warnx("order %lld: the shipment weighs over 9,223 kg: give its"
				    " weight (--weight)", (long long)id);
				return OMS_EINPUT;
			}
			pg += l[i].take * l[i].weight_pg;
			has_weight = 1;
		}
	}
	w = pg / OMS_PG_PER_G;
	weight = w + (pg % OMS_PG_PER_G >= OMS_PG_PER_G / 2);
	if (s->weight_g >= 0) {
		weight = s->weight_g;
		has_weight = 1;
	}
	if (s->cost != NULL && (oms_money_parse(s->cost, so->currency, &cost) != 0 || cost < 0)) {
		oms_warnx("%s%scost \"%.40s\" is not an amount in %s", s->origin ? s->origin : "",
		    s->origin ? ": " : "", s->cost, so->currency);
		return OMS_EINPUT;
	}
	/* The customer's shipping charge goes with the first shipment. */
	shipping = so->prior_charge == 0 && so->prior_value == 0 ? so->shipping : 0;
	/*
	 * A gift card or a download never ships: its price is charged with
	 * the first shipment, as the customer's shipping charge is, and counts
	 * in every one after, so that the charges still add up to the total.
	 */
	*charge = omsi_prorate(so->total - so->shipping, so->prior_value + value + so->unshipped,
	    so->base) + so->shipping - so->prior_charge;
	if (*charge < 0)
		*charge = 0;
	if ((rc = omsi_exec(o, "INSERT INTO shipments (order_id, carrier, service, tracking,"
	    " packages, weight_g, currency, cost, value, shipping_charged, charge, shipped_at,"
	    " shipped_by, tool, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "itttijtjiiitttt", id, s->carrier, service, s->tracking, (int64_t)s->packages,
	    has_weight ? &weight : NULL, so->currency, s->cost ? &cost : NULL, value, shipping,
	    *charge, oms_time_now(now), o->user, o->tool, s->origin)) != OMS_OK)
		return rc;
	*sid = omsi_last_id(o);
	snprintf(ref, sizeof ref, "shipment %lld", (long long)*sid);
	for (i = 0; i < n; i++) {
		if (l[i].take == 0 && l[i].confirm == 0)
			continue;
		/* What was confirmed picked now, less what left: one write of the line. */
		if ((rc = omsi_exec(o, "UPDATE order_lines SET picked = picked + ?1 - ?2, allocated ="
		    " allocated - ?2, shipped = shipped + ?2 WHERE id = ?3", "iii", l[i].confirm,
		    l[i].take, l[i].id)) != OMS_OK)
			return rc;
		if (l[i].take == 0)
			continue;
		if ((rc = omsi_exec(o, "INSERT INTO shipment_lines (shipment_id, line_id, sku, qty,"
		    " unit_price) VALUES (?, ?, ?, ?, ?)", "iitii", *sid, l[i].id, l[i].sku,
		    l[i].take, l[i].price)) != OMS_OK ||
		    (rc = oms_stock_move(o, l[i].sku, "ship", -l[i].take, -l[i].take, ref, NULL)) !=
		    OMS_OK)
			return rc;
	}
	return OMS_OK;
}

/* retry_capture takes up an order held for payment after shipping. */
static enum oms_step
retry_capture(struct oms *o, struct ship_ctx *c, int64_t id, const struct ship_order *so)
{
	char why[160];
	int due, rc;

	if (strcmp(so->hold_reason, "payment") != 0) {
		oms_warnx("order %lld: on hold (%s)", (long long)id, so->hold_reason);
		return OMS_STEP_HELD;
	}
	if ((rc = gateway(o, c, id)) != OMS_OK)
		return OMS_STEP_FAIL;
	why[0] = '\0';
	if ((rc = oms_pay_ship_due(o, c->g, id, &due, why, sizeof why)) == OMS_ESYS)
		return OMS_STEP_FAIL;
	if (rc != OMS_OK) {
		oms_warnx("order %lld: payment: %s", (long long)id, why);
		return OMS_STEP_HELD;
	}
	if (due == 0) {
		oms_warnx("order %lld: on hold (payment), and no shipment of it is owed a capture",
		    (long long)id);
		return OMS_STEP_HELD;
	}
	return OMS_STEP_DONE;	/* after the commit: the capture, then the release */
}

/*
 * take_captures takes up what an order past picking (shipped, or a split
 * order's rest waiting) owes for its shipments: a capture left pending is
 * sent with the batch, one never made (a run that died after the gateway
 * refused it and before it held the order) is made now.  Passed on; the
 * answer, after the commit, holds the order if the capture is refused.
 */
static enum oms_step
take_captures(struct oms *o, struct ship_ctx *c, int64_t id)
{
	char why[160];
	int due, rc;

	if (o->opts.dry_run)
		return OMS_STEP_PASS;
	if (gateway(o, c, id) != OMS_OK)
		return OMS_STEP_FAIL;
	why[0] = '\0';
	if ((rc = oms_pay_ship_due(o, c->g, id, &due, why, sizeof why)) == OMS_ESYS)
		return OMS_STEP_FAIL;
	if (rc == OMS_OK)
		return OMS_STEP_PASS;
	/* No authorization to take it from: for a person, as when it shipped. */
	if (oms_order_move(o, id, OMS_HOLD, "payment", "hold", why) != OMS_OK)
		return OMS_STEP_FAIL;
	oms_warnx("order %lld: shipped, held for payment: %s", (long long)id, why);
	return OMS_STEP_HELD;
}

static int check_tracking(const char *where, const char *carrier, const char *tracking,
    int force);

static enum oms_step
ship_step(struct oms *o, int64_t id, void *arg)
{
	struct ship_ctx *c = arg;
	const struct shipment *s = c->rows ? &c->rows[c->next++] : &c->one;
	const char *where = s->origin ? s->origin : "", *sep = s->origin ? ": " : "";
	struct shipment mine;
	struct ship_order so;
	struct sline *l = NULL;
	enum oms_status to;
	char detail[512], why[160], m[OMS_MONEY_MAX];
	int64_t sid, charge, units, list;
	size_t n, npicked, nconfirm;
	int rc;

	if ((rc = load_order(o, id, &so)) != OMS_OK)
		return step_of(rc);
	/*
	 * A capture committed but never sent (a run killed after its commit):
	 * the gateway is opened so that it goes with this batch's.
	 */
	if (so.capture_pending && gateway(o, c, id) != OMS_OK)
		return OMS_STEP_FAIL;
	if (so.status == OMS_HOLD)
		return retry_capture(o, c, id, &so);
	if (so.status != OMS_PICKING && so.status != OMS_CANCELLED &&
	    (so.capture_pending || so.capture_owed))
		return take_captures(o, c, id);
	if (so.status == OMS_SHIPPED)
		return OMS_STEP_PASS;
	if (c->by_method) {
		mine = *s;
		if (omsi_ship_method_find(oms_config_node(o, "ship.methods"), so.method[0] ?
		    so.method : NULL, &mine.carrier, &mine.service) == NULL) {
			if (so.method[0])
				oms_warnx("order %lld: ship method \"%s\" maps to no carrier service; add"
				    " it to ship.methods in oms.yaml, or give --carrier and --service",
				    (long long)id, so.method);
			else
				oms_warnx("order %lld: no ship method, and no ship.methods match for"
				    " none in oms.yaml: give --carrier and --service", (long long)id);
			return OMS_STEP_REJECT;
		}
		if (check_tracking("--tracking", mine.carrier, mine.tracking, c->force) != OMS_OK)
			return OMS_STEP_REJECT;
		s = &mine;
	}
	/* Recorded before under this number (a file read again, a split order's part). */
	if ((rc = tracking_taken(o, id, s)) != 0)
		return rc == 1 ? OMS_STEP_PASS : rc == -1 ? OMS_STEP_REJECT : OMS_STEP_FAIL;
	if (so.status == OMS_ALLOCATED) {
		oms_warnx("%s%sorder %lld: not picked yet (it is allocated: oms-pick first)", where,
		    sep, (long long)id);
		return OMS_STEP_REJECT;
	}
	if (so.status != OMS_PICKING) {
		oms_warnx("%s%sorder %lld: cannot ship: it is %s", where, sep, (long long)id,
		    oms_status_name(so.status));
		return OMS_STEP_REJECT;
	}
	if (c->confirm_required) {
		if ((list = unconfirmed(o, id)) < 0)
			return OMS_STEP_FAIL;
		if (list > 0) {
			oms_warnx("order %lld: pick list %lld is not confirmed (pick.confirm is required):"
			    " oms-pick confirm %lld", (long long)id, (long long)list, (long long)list);
			return OMS_STEP_REJECT;
		}
	}
	if ((rc = load_lines(o, id, !c->confirm_required, &l, &n, &npicked, &nconfirm,
	    &so.unshipped)) != OMS_OK)
		return step_of(rc);
	if (npicked == 0) {
		oms_warnx("order %lld: nothing picked to ship", (long long)id);
		free(l);
		return OMS_STEP_REJECT;
	}
	/* The lines' share of the confirm is written with the shipment (record). */
	if ((rc = choose(id, l, n, c->wants, c->nwants)) != OMS_OK ||
	    (nconfirm > 0 && (rc = omsi_pick_lines_confirm(o, id)) != OMS_OK) ||
	    (rc = record(o, id, s, &so, l, n, &sid, &charge, &units)) != OMS_OK) {
		free(l);
		return step_of(rc);
	}
	to = next_status(l, n);
	free(l);
	snprintf(detail, sizeof detail, "shipment %lld: %s %s%s%s, %lld unit%s, charge %s %s",
	    (long long)sid, s->carrier, service_of(o, s, &so), s->tracking ? " " : "",
	    s->tracking ? s->tracking : "", (long long)units, units == 1 ? "" : "s",
	    oms_money_format(m, charge, so.currency), so.currency);
	/* It is picking, as load_order read it (checked above). */
	rc = to == OMS_PICKING ? oms_event(o, id, "ship", to, to, detail) :
	    omsi_order_move_from(o, id, so.status, so.held_from, to, NULL, "ship", detail);
	if (rc != OMS_OK)
		return step_of(rc);
	/* Paid at the cart, prepaid or on terms: no capture (oms_pay_ship_intent records none). */
	if (charge == 0 || o->opts.dry_run || !so.at_gateway)
		return OMS_STEP_DONE;
	if ((rc = gateway(o, c, id)) != OMS_OK)
		return OMS_STEP_FAIL;
	why[0] = '\0';
	if ((rc = oms_pay_ship_intent(o, c->g, id, sid, charge, why, sizeof why)) == OMS_OK)
		return OMS_STEP_DONE;
	if (rc != OMS_EINPUT)
		return OMS_STEP_FAIL;
	/* The goods are gone either way: keep the shipment, hold the order for its money. */
	if (oms_order_move(o, id, OMS_HOLD, "payment", "hold", why) != OMS_OK)
		return OMS_STEP_FAIL;
	oms_warnx("order %lld: shipped (shipment %lld), held for payment: %s", (long long)id,
	    (long long)sid, why);
	return OMS_STEP_HELD;
}

/*
 * ship_captures sends the batch's committed captures.  A refusal puts the
 * order on hold(payment), shipment kept; an order held for payment whose
 * capture now went through is released.
 */
static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
ship_captures(struct oms *o, void *arg, int64_t *ids, size_t *n, int *status)
{
	struct ship_ctx *c = arg;
	struct ship_order so;
	char (*why)[160] = NULL;
	int *failed = NULL, *held = NULL;
	int64_t *pay = NULL;
	size_t i, k, m = 0;
	int rc = OMS_OK;

	/*
	 * Only the orders that went to the gateway (c->paying, which a batch
	 * rolled back may leave more in, never fewer): the others have no
	 * capture to send or answer, and need no second look.
	 */
	if (c->g == NULL || c->npaying == 0 || *n == 0) {
		c->npaying = 0;
		return OMS_OK;
	}
	qsort(c->paying, c->npaying, sizeof *c->paying, cmp_id);
	if ((pay = omsi_calloc(*n, sizeof *pay)) == NULL ||
	    (held = omsi_calloc(*n, sizeof *held)) == NULL) {
		rc = OMS_ESYS;
		goto done;
	}
	for (i = 0; i < *n; i++)
		if (bsearch(&ids[i], c->paying, c->npaying, sizeof *c->paying, cmp_id) != NULL)
			pay[m++] = ids[i];
	c->npaying = 0;
	if (m == 0)
		goto done;
	if ((failed = omsi_calloc(m, sizeof *failed)) == NULL ||
	    (why = omsi_calloc(m, sizeof *why)) == NULL) {
		rc = OMS_ESYS;
		goto done;
	}
	if ((rc = oms_pay_ship_send(o, c->g, pay, m, failed, why)) != OMS_OK ||
	    (rc = oms_begin(o)) != OMS_OK)
		goto done;
	for (i = 0; i < m && rc == OMS_OK; i++) {
		if ((rc = load_hold(o, pay[i], &so)) != OMS_OK)
			break;
		if (!failed[i] && so.status == OMS_HOLD && strcmp(so.hold_reason, "payment") == 0)
			rc = oms_order_move(o, pay[i], so.held_from, NULL, "release",
			    "captured for its shipments");
		else if (failed[i] && so.status != OMS_HOLD)
			rc = oms_order_move(o, pay[i], OMS_HOLD, "payment", "hold", why[i]);
	}
	if (rc != OMS_OK || (rc = oms_commit(o)) != OMS_OK) {
		oms_rollback(o);
		rc = rc == OMS_EINPUT ? OMS_ESYS : rc;
		goto done;
	}
	/* A hold is a business outcome, reported, not a failure: *status stays. */
	(void)status;
	/* pay is ids with the others left out: walked together, in the same order. */
	for (i = 0, k = 0; i < *n; i++)
		if (k < m && ids[i] == pay[k]) {
			held[i] = failed[k];
			if (failed[k])
				oms_warnx("order %lld: shipped, held for payment: %s", (long long)ids[i],
				    why[k]);
			k++;
		}
	for (i = 0, k = 0; i < *n; i++)
		if (!held[i])
			ids[k++] = ids[i];
	*n = k;
done:
	free(pay);
	free(held);
	free(failed);
	free(why);
	return rc;
}

static int
confirm_required(struct oms *o)
{
	return strcmp(oms_config_str(o, "pick.confirm", "implied"), "required") == 0;
}

static int
select_picking(struct oms *o, int64_t **ids, size_t *n, void *arg)
{
	return oms_select_status(o, OMS_PICKING, ids, n);
}

/*
 * select_shipping is -a for shipping: every picking order, and every order
 * with a capture to take up (what ship_step does with it).  An order held
 * for its payment is taken only with a capture in flight, whose answer
 * settles it: one whose capture was refused waits for a person to release
 * it.  Cancelled orders are oms-auth settle's.
 */
static int
select_shipping(struct oms *o, int64_t **ids, size_t *n, void *arg)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT o.id FROM orders o WHERE o.status = 'picking' OR"
	    " (o.status <> 'cancelled' AND (((o.status <> 'hold' OR o.hold_reason = 'payment') AND "
	    OMSI_SQL_CAPTURE_PENDING ") OR (o.status <> 'hold' AND " OMSI_SQL_CAPTURE_OWED ")))"
	    " ORDER BY o.priority DESC, o.placed_at, o.id", "");

	if (st == NULL)
		return OMS_ESYS;
	return omsi_collect_ids(o, st, ids, n);
}

/* carrier_name keeps a carrier's name in lower case, as the tracking checks know it. */
static int
carrier_name(const char *in, char out[33])
{
	size_t i;

	if (in == NULL || *in == '\0' || strlen(in) > 32)
		return -1;
	for (i = 0; in[i] != '\0'; i++) {
		if (!isalnum((unsigned char)in[i]) && in[i] != '-' && in[i] != '_')
			return -1;
		out[i] = (char)tolower((unsigned char)in[i]);
	}
	out[i] = '\0';
	return 0;
}

/* check_tracking refuses a tracking number its carrier could not have issued. */
static int
check_tracking(const char *where, const char *carrier, const char *tracking, int force)
{
	char why[128];

	if (tracking == NULL || oms_tracking_check(carrier, tracking, why, sizeof why) == NULL)
		return OMS_OK;
	if (force) {
		oms_warnx("%s: tracking number %s: %s (taken: --force)", where, tracking, why);
		return OMS_OK;
	}
	oms_warnx("%s: tracking number %s: %s (--force takes it anyway)", where, tracking, why);
	return OMS_EINPUT;
}

/* parse_wants reads --line SKU:QTY. */
static int
parse_wants(const struct oms_ship_opts *so, struct want **out)
{
	struct want *w;
	const char *colon;
	char *end;
	long long q;
	int k;

	*out = NULL;
	if (so->nlines == 0)
		return OMS_OK;
	if ((w = omsi_calloc((size_t)so->nlines, sizeof *w)) == NULL)
		return OMS_ESYS;
	for (k = 0; k < so->nlines; k++) {
		colon = strrchr(so->lines[k], ':');
		q = colon ? strtoll(colon + 1, &end, 10) : 0;
		if (colon == NULL || colon == so->lines[k] || (size_t)(colon - so->lines[k]) >=
		    sizeof w[k].sku || colon[1] == '\0' || *end != '\0' || q < 1) {
			oms_warnx("--line \"%s\": expected SKU:QTY with QTY at least 1", so->lines[k]);
			free(w);
			return OMS_EUSAGE;
		}
		snprintf(w[k].sku, sizeof w[k].sku, "%.*s", (int)(colon - so->lines[k]),
		    so->lines[k]);
		w[k].qty = q;
	}
	*out = w;
	return OMS_OK;
}

int
oms_ship_run(struct oms *o, const struct oms_ship_opts *so, char **ids, int nids)
{
	struct oms_filter f = { .step = ship_step, .select_all = select_shipping,
		.after_commit = ship_captures };
	struct ship_ctx c = { 0 };
	char carrier[33];
	int64_t cost;
	int rc;

	/* Neither: each order goes as ship.methods says its ship method goes. */
	c.by_method = so->carrier == NULL && so->service == NULL;
	c.force = so->force;
	if (!c.by_method && carrier_name(so->carrier, carrier) != 0) {
		oms_warnx("--carrier \"%.40s\": expected a carrier's name (ups, fedex, usps, ...)",
		    so->carrier ? so->carrier : "");
		return OMS_EUSAGE;
	}
	if (!c.by_method && (so->service == NULL || *so->service == '\0' ||
	    strlen(so->service) > 64)) {
		oms_warnx("--service: expected the carrier's service (ground, 2day, ...)");
		return OMS_EUSAGE;
	}
	c.one.carrier = c.by_method ? NULL : carrier;
	c.one.service = so->service;
	c.one.tracking = so->tracking && *so->tracking ? so->tracking : NULL;
	c.one.packages = 1;
	c.one.weight_g = -1;
	c.one.cost = so->cost;
	if (so->weight != NULL && oms_weight_parse(so->weight, "lb", &c.one.weight_g) != 0) {
		oms_warnx("--weight \"%.40s\": not a weight (2.5lb, 40oz, 1.2kg, 500g)", so->weight);
		return OMS_EUSAGE;
	}
	/* The currency is each order's; the form is checked once, here. */
	if (so->cost != NULL && (oms_decimal_parse(so->cost, 3, &cost) != 0 || cost < 0)) {
		oms_warnx("--cost \"%.40s\": not an amount", so->cost);
		return OMS_EUSAGE;
	}
	if (!c.by_method && check_tracking("--tracking", carrier, c.one.tracking, so->force) !=
	    OMS_OK)
		return OMS_EUSAGE;
	if ((rc = parse_wants(so, &c.wants)) != OMS_OK)
		return rc;
	c.nwants = so->nlines;
	c.confirm_required = confirm_required(o);
	f.arg = &c;
	rc = oms_filter_run(o, &f, ids, nids);
	oms_gateway_close(c.g);
	free(c.paying);
	free(c.wants);
	return rc;
}

/* What a tracking file's rows become: owned copies, one per row kept. */
struct rows {
	struct shipment *v;
	int64_t *ids;
	char **text;		/* every string the rows point into, to free */
	size_t n, cap, ntext, captext;
	int force, bad;
};

static const char *
keep(struct rows *r, const char *s)
{
	char **more, *d;

	if (s == NULL || *s == '\0')
		return NULL;
	if ((more = omsi_grow(r->text, &r->captext, r->ntext, sizeof *more)) == NULL)
		return NULL;
	r->text = more;
	if ((d = omsi_strdup(s)) == NULL)
		return NULL;
	return r->text[r->ntext++] = d;
}

/* take_row checks one row of a carrier's export and keeps it. */
static int
take_row(void *arg, const struct oms_tracking_row *row)
{
	struct rows *r = arg;
	struct shipment s = { .packages = row->packages > 0 ? row->packages : 1, .weight_g = -1 };
	const char *name;
	char carrier[33];
	int64_t id, cost;

	if (oms_id_parse(row->order, &id) != 0) {
		oms_warnx("%s: order \"%.40s\" is not an order ID", row->where, row->order);
		r->bad = 1;
		return 0;
	}
	if (carrier_name(row->carrier, carrier) != 0) {
		oms_warnx("%s: carrier \"%.40s\" is not a carrier's name", row->where, row->carrier);
		r->bad = 1;
		return 0;
	}
	if (strlen(row->service) > 64) {
		oms_warnx("%s: service \"%.40s...\" is longer than 64 bytes", row->where, row->service);
		r->bad = 1;
		return 0;
	}
	if (*row->weight != '\0' && oms_weight_parse(row->weight, "lb", &s.weight_g) != 0) {
		oms_warnx("%s: weight \"%.40s\" is not a weight", row->where, row->weight);
		r->bad = 1;
		return 0;
	}
	if (*row->cost != '\0' && (oms_decimal_parse(row->cost, 3, &cost) != 0 || cost < 0)) {
		oms_warnx("%s: cost \"%.40s\" is not an amount", row->where, row->cost);
		r->bad = 1;
		return 0;
	}
	if (check_tracking(row->where, carrier, *row->tracking ? row->tracking : NULL,
	    r->force) != OMS_OK) {
		r->bad = 1;
		return 0;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap;
		struct shipment *v;
		int64_t *ids;

		if ((v = omsi_grow(r->v, &cap, r->n, sizeof *v)) == NULL)
			return -1;
		r->v = v;
		if ((ids = omsi_grow(r->ids, &r->cap, r->n, sizeof *ids)) == NULL)
			return -1;
		r->ids = ids;
	}
	/* A code of our export coming back (WorldShip's GND) is oms's service again (ground). */
	if ((name = oms_carrier_service_name(carrier, row->service)) == NULL)
		name = row->service;
	if ((s.carrier = keep(r, carrier)) == NULL ||
	    (*name && (s.service = keep(r, name)) == NULL) ||
	    (*row->tracking && (s.tracking = keep(r, row->tracking)) == NULL) ||
	    (*row->cost && (s.cost = keep(r, row->cost)) == NULL) ||
	    (s.origin = keep(r, row->where)) == NULL)
		return -1;	/* out of memory, reported */
	r->v[r->n] = s;
	r->ids[r->n++] = id;
	return 0;
}

int
oms_ship_import_tracking(struct oms *o, enum oms_carrier_format f, FILE *in, const char *name,
    int force)
{
	struct oms_filter flt = { .step = ship_step, .after_commit = ship_captures };
	struct rows r = { .force = force };
	struct ship_ctx c = { 0 };
	size_t i;
	int rc;

	rc = oms_carrier_read(in, name, f, take_row, &r);
	if (rc >= 0) {
		c.rows = r.v;
		c.confirm_required = confirm_required(o);
		flt.arg = &c;
		rc = oms_filter_run_ids(o, &flt, r.ids, r.n);
		if (rc == OMS_OK && r.bad)
			rc = OMS_EINPUT;
	} else {
		rc = OMS_EINPUT;
	}
	oms_gateway_close(c.g);
	free(c.paying);
	for (i = 0; i < r.ntext; i++)
		free(r.text[i]);
	free(r.text);
	free(r.v);
	free(r.ids);
	return rc;
}

/* back_to_picking moves an order whose shipment was voided to picking, by legal steps. */
static int
back_to_picking(struct oms *o, int64_t id, const char *detail)
{
	enum oms_status s, held_from;
	int rc;

	if ((rc = oms_order_status(o, id, &s, &held_from)) != OMS_OK)
		return rc;
	if (s == OMS_HOLD) {
		if ((rc = oms_order_move(o, id, held_from, NULL, "release", detail)) != OMS_OK)
			return rc;
		s = held_from;
	}
	switch (s) {
	case OMS_PICKING:
		return oms_event(o, id, "void shipment", s, s, detail);
	case OMS_BACKORDERED:
		/* Its goods are reserved and picked again: allocated, then on the bench. */
		if ((rc = oms_order_move(o, id, OMS_ALLOCATED, NULL, "void shipment", detail)) !=
		    OMS_OK)
			return rc;
		/* FALLTHROUGH */
	case OMS_ALLOCATED:
	case OMS_SHIPPED:
		return oms_order_move(o, id, OMS_PICKING, NULL, "void shipment", detail);
	default:
		oms_warnx("order %lld: cannot void its shipment: it is %s", (long long)id,
		    oms_status_name(s));
		return OMS_EINPUT;
	}
}

/* owed_back says what a shipment's captures took and was not refunded (-1: error). */
static int64_t
owed_back(struct oms *o, int64_t sid)
{
	int64_t v;

	if (omsi_int(o, &v, "SELECT coalesce(sum(CASE kind WHEN 'capture' THEN amount ELSE"
	    " -amount END), 0) FROM payments WHERE shipment_id = ? AND status = 'succeeded' AND"
	    " kind IN ('capture', 'refund')", "i", sid) != OMS_OK)
		return -1;
	return v;
}

int
oms_ship_void(struct oms *o, int64_t sid, const char *reason)
{
	struct oms_gateway *g = NULL;
	struct omsi_stmt *st;
	char status[16], now[OMS_TIME_MAX], detail[256], ref[40], why[160], *masked;
	const char *kept;
	int64_t order, line, qty, owed, pending;
	int rc;

	if ((rc = oms_begin(o)) != OMS_OK)
		return rc;
	st = omsi_stmt(o, "SELECT order_id, status, (SELECT count(*) FROM payments WHERE"
	    " shipment_id = s.id AND status = 'pending') FROM shipments s WHERE id = ?", "i", sid);
	if (st == NULL || (rc = omsi_step(o, st)) < 0) {
		rc = OMS_ESYS;
		goto fail;
	}
	if (rc != OMSI_ROW) {
		oms_warnx("shipment %lld: no such shipment", (long long)sid);
		rc = OMS_EINPUT;
		goto fail;
	}
	order = omsi_col_int64(st, 0);
	snprintf(status, sizeof status, "%s", omsi_text(st, 1));
	pending = omsi_col_int64(st, 2);
	omsi_reset(st);
	if (pending > 0) {
		oms_warnx("shipment %lld: a payment for it is in flight: run oms-ship %lld first",
		    (long long)sid, (long long)order);
		rc = OMS_EINPUT;
		goto fail;
	}
	if (strcmp(status, "void") == 0) {
		/* Voided before, its refund perhaps not: that is what a second run is for. */
		oms_rollback(o);
		if ((owed = owed_back(o, sid)) < 0)
			return OMS_ESYS;
		if (owed == 0) {
			oms_warnx("shipment %lld: void already", (long long)sid);
			return OMS_EINPUT;
		}
		goto refund;
	}
	/* Units that came back (or are coming) left with it: it was no mistaken label. */
	st = omsi_stmt(o, "SELECT sl.sku, sl.qty - (" OMSI_SQL_RETURNABLE ") FROM shipment_lines sl"
	    " JOIN order_lines l ON l.id = sl.line_id WHERE sl.shipment_id = ? AND"
	    " sl.qty > " OMSI_SQL_RETURNABLE " ORDER BY sl.line_id LIMIT 1", "i", sid);
	if (st == NULL || (rc = omsi_step(o, st)) < 0) {
		rc = OMS_ESYS;
		goto fail;
	}
	if (rc == OMSI_ROW) {
		oms_warnx("shipment %lld: %s: %lld unit%s of it returned or on an open return:"
		    " a shipment that left is not void (oms-return lists them)", (long long)sid,
		    omsi_text(st, 0), (long long)omsi_col_int64(st, 1),
		    omsi_col_int64(st, 1) == 1 ? "" : "s");
		omsi_reset(st);
		rc = OMS_EINPUT;
		goto fail;
	}
	omsi_reset(st);
	snprintf(ref, sizeof ref, "shipment %lld", (long long)sid);
	snprintf(detail, sizeof detail, "shipment %lld voided%s%s", (long long)sid,
	    reason ? ": " : "", reason ? reason : "");
	if ((rc = back_to_picking(o, order, detail)) != OMS_OK)
		goto fail;
	/* Back on the bench: on hand and reserved again, picked for the order. */
	line = 0;
	for (;;) {
		char sku[65];

		st = omsi_stmt(o, "SELECT line_id, qty, sku FROM shipment_lines WHERE"
		    " shipment_id = ? AND line_id > ? ORDER BY line_id LIMIT 1", "ii", sid, line);
		if (st == NULL || (rc = omsi_step(o, st)) < 0) {
			rc = OMS_ESYS;
			goto fail;
		}
		if (rc != OMSI_ROW) {
			omsi_reset(st);
			break;
		}
		line = omsi_col_int64(st, 0);
		qty = omsi_col_int64(st, 1);
		snprintf(sku, sizeof sku, "%s", omsi_text(st, 2));
		omsi_reset(st);
		if ((rc = oms_stock_move(o, sku, "ship", qty, qty, ref, "shipment voided")) !=
		    OMS_OK || (rc = omsi_exec(o, "UPDATE order_lines SET shipped = shipped - ?1,"
		    " allocated = allocated + ?1, picked = picked + ?1 WHERE id = ?2", "ii", qty,
		    line)) != OMS_OK)
			goto fail;
	}
	/* The reason is a person's words, kept as the history keeps them: a card number masked. */
	kept = reason;
	if (omsi_pan_safe(&kept, &masked) != 0) {
		rc = OMS_ESYS;
		goto fail;
	}
	rc = omsi_exec(o, "UPDATE shipments SET status = 'void', voided_at = ?, voided_by = ?,"
	    " void_reason = ? WHERE id = ?", "ttti", oms_time_now(now), o->user, kept, sid);
	free(masked);
	if (rc != OMS_OK)
		goto fail;
	if (o->opts.dry_run) {
		oms_rollback(o);
		return OMS_OK;
	}
	if ((rc = oms_commit(o)) != OMS_OK)
		return rc;
	if ((owed = owed_back(o, sid)) < 0)
		return OMS_ESYS;
	if (owed == 0)
		return OMS_OK;
refund:
	if ((rc = oms_gateway_open(o, &g)) != OMS_OK)
		return rc;
	why[0] = '\0';
	snprintf(detail, sizeof detail, "shipment %lld voided", (long long)sid);
	rc = oms_pay_ship_refund(o, g, sid, detail, why, sizeof why);
	oms_gateway_close(g);
	if (rc == OMS_EINPUT)
		oms_warnx("shipment %lld: voided, but its refund is not made: %s (run this again)",
		    (long long)sid, why);
	return rc;
fail:
	oms_rollback(o);
	return rc;
}

/* What an export collects: packages, their goods and the strings they point into. */
struct export {
	struct rows text;
	struct oms_carrier_pkg *v;
	size_t n, cap;
	enum oms_carrier_format f;
	const char *from_country;	/* ship.from.country */
	const struct oms_node *methods;	/* ship.methods */
	int unmapped;		/* an order's ship method maps to nothing: no file at all */
};

/* One country for a carrier: the US with its territories and the states in free association. */
static int
us_like(const char *c)
{
	static const char *const us[] = { "US", "PR", "VI", "GU", "AS", "MP", "FM", "MH", "PW" };
	size_t i;

	for (i = 0; i < sizeof us / sizeof us[0]; i++)
		if (strcasecmp(c, us[i]) == 0)
			return 1;
	return 0;
}

/* goes_abroad says whether a package from from (ISO code) to to leaves the country. */
static int
goes_abroad(const char *from, const char *to)
{
	if (to == NULL || *to == '\0')
		return 0;
	if (from == NULL || *from == '\0')
		from = "US";
	return strcasecmp(from, to) != 0 && !(us_like(from) && us_like(to));
}

/*
 * not_ascii says which of a package's texts the carrier's software cannot
 * take (one with letters outside Latin-1 and Latin Extended-A), or NULL;
 * *bad is the text.
 */
static const char *
not_ascii(const struct oms_carrier_pkg *p, const char **bad, int *oom)
{
	const char *what[] = { "name", "company", "line1", "line2", "city", "region",
		"postal code" };
	const char *v[] = { p->to.name, p->to.company, p->to.line1, p->to.line2, p->to.city,
		p->to.region, p->to.postal_code };
	char *a;
	size_t i;
	int lost;

	*oom = 0;
	for (i = 0; i < sizeof v / sizeof v[0] + p->ngoods; i++) {
		*bad = i < sizeof v / sizeof v[0] ? v[i] : p->goods[i - sizeof v / sizeof v[0]].description;
		if (*bad == NULL)
			continue;
		if ((a = omsi_utf8_ascii(*bad, &lost)) == NULL) {
			*oom = 1;
			return NULL;
		}
		free(a);
		if (lost)
			return i < sizeof v / sizeof v[0] ? what[i] : "customs description";
	}
	return NULL;
}

/* export_goods reads an order's allocated lines into p's goods and weight. */
static int
export_goods(struct oms *o, struct export *e, int64_t id, struct oms_carrier_pkg *p)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT l.sku, l.allocated, l.unit_price, i.weight_pg,"
	    " coalesce(nullif(i.customs_description, ''), nullif(i.description, ''), l.sku),"
	    " i.hs_code, i.origin_country FROM order_lines l LEFT JOIN items i ON i.sku = l.sku"
	    " WHERE l.order_id = ? AND l.allocated > 0 ORDER BY l.line_no", "i", id);
	struct oms_carrier_goods *v = NULL, *more, *g;
	size_t cap = 0;
	int rc, over = 0;

	if (st == NULL)
		return OMS_ESYS;
	p->ngoods = 0;
	p->weight_pg = 0;
	while ((rc = omsi_step(o, st)) == OMSI_ROW) {
		if ((more = omsi_grow(v, &cap, p->ngoods, sizeof *v)) == NULL)
			break;
		v = more;
		g = &v[p->ngoods++];
		memset(g, 0, sizeof *g);
		g->qty = omsi_col_int64(st, 1);
		g->value = g->qty * omsi_col_int64(st, 2);
		/* Exact sums of exact weights, the rounding left to the carrier's file. */
		if (!omsi_col_null(st, 3)) {
			g->weight_pg = omsi_col_int64(st, 3);
			if (g->weight_pg > 0 && g->qty > INT64_MAX / g->weight_pg)
				over = 1;
			else
				g->weight_pg *= g->qty;
			if (over || p->weight_pg > INT64_MAX - g->weight_pg)
				over = 1;
			else
				p->weight_pg += g->weight_pg;
		}
		if ((g->sku = keep(&e->text, omsi_text(st, 0))) == NULL ||
		    (g->description = keep(&e->text, omsi_text(st, 4))) == NULL)
			break;
		/* keep() is NULL for "" as for no memory: only a text there is kept. */
		if ((!omsi_col_null(st, 5) && *omsi_text(st, 5) != '\0' &&
		    (g->hs_code = keep(&e->text, omsi_text(st, 5))) == NULL) ||
		    (!omsi_col_null(st, 6) && *omsi_text(st, 6) != '\0' &&
		    (g->origin = keep(&e->text, omsi_text(st, 6))) == NULL))
			break;
	}
	omsi_reset(st);
	p->goods = v;
	if (rc != OMSI_DONE)
		return OMS_ESYS;
	if (over) {
		oms_warnx("order %lld: weighs over 9,223 kg, more than a parcel carrier's file "
		    "holds: ship it by hand (oms-ship --weight)", (long long)id);
		return OMS_EINPUT;
	}
	return OMS_OK;
}

static enum oms_step
export_step(struct oms *o, int64_t id, void *arg)
{
	struct export *e = arg;
	struct oms_carrier_pkg p = { .order_id = id }, *more;
	const char *carrier, *service, *method, *fc, *what, *bad;
	char why[160], sh[48], sh2[48];
	struct omsi_stmt *st;
	const char *v[12];
	int i, rc, oom = 0;

	st = omsi_stmt(o, "SELECT o.status, o.external_id, coalesce(o.std_name, o.ship_name),"
	    " coalesce(o.std_company, o.ship_company), coalesce(o.std_line1, o.ship_line1),"
	    " coalesce(o.std_line2, o.ship_line2), coalesce(o.std_city, o.ship_city),"
	    " coalesce(o.std_region, o.ship_region), coalesce(o.std_postal_code,"
	    " o.ship_postal_code), coalesce(o.std_country, o.ship_country), o.customer_phone,"
	    " o.customer_email, o.ship_method, o.currency, (SELECT coalesce(sum(allocated *"
	    " unit_price), 0) FROM order_lines WHERE order_id = o.id) FROM orders o"
	    " WHERE o.id = ?", "i", id);
	if ((rc = omsi_order_row(o, st, id)) != OMS_OK)
		return step_of(rc);
	if (strcmp(omsi_text(st, 0), "picking") != 0) {
		oms_warnx("order %lld: not in picking (it is %s): nothing to label", (long long)id,
		    omsi_text(st, 0));
		omsi_reset(st);
		return OMS_STEP_REJECT;
	}
	for (i = 0; i < 12; i++) {
		v[i] = NULL;
		if (!omsi_col_null(st, i + 1) &&
		    (v[i] = keep(&e->text, omsi_text(st, i + 1))) == NULL &&
		    *omsi_text(st, i + 1) != '\0') {
			omsi_reset(st);
			return OMS_STEP_FAIL;
		}
	}
	p.external_id = v[0];
	p.to = (struct oms_ship_address){ .name = v[1], .company = v[2], .line1 = v[3],
		.line2 = v[4], .city = v[5], .region = v[6], .postal_code = v[7],
		.country = v[8], .phone = v[9], .email = v[10] };
	method = v[11];
	p.currency = keep(&e->text, omsi_text(st, 13));
	p.value = omsi_col_int64(st, 14);
	omsi_reset(st);
	if (p.currency == NULL)
		return OMS_STEP_FAIL;
	/* The cart's words never reach a carrier: only what ship.methods makes of them. */
	if (omsi_ship_method_find(e->methods, method, &carrier, &service) == NULL) {
		if (method != NULL)
			oms_warnx("order %lld: ship method \"%s\" maps to no carrier service; add it"
			    " to ship.methods in oms.yaml", (long long)id, omsi_shown(method, sh, 41));
		else
			oms_warnx("order %lld: no ship method, and no ship.methods match for none"
			    " in oms.yaml (add one: match: \"*\" takes every order)", (long long)id);
		e->unmapped = 1;
		return OMS_STEP_REJECT;
	}
	if ((fc = oms_carrier_format_carrier(e->f)) != NULL && strcmp(fc, carrier) != 0) {
		/* Every picking order: the others go in their own carrier's file. */
		if (o->opts.all)
			return OMS_STEP_PASS;
		oms_warnx("order %lld: ship method \"%s\" goes by %s (ship.methods in oms.yaml),"
		    " not in a file for %s", (long long)id, omsi_shown(method ? method : "", sh, 41),
		    carrier, fc);
		return OMS_STEP_REJECT;
	}
	p.carrier = carrier;
	p.service = service;
	p.abroad = goes_abroad(e->from_country, p.to.country);
	if ((p.service_code = oms_carrier_service_code(carrier, service, p.abroad, why,
	    sizeof why)) == NULL && e->f != OMS_CARRIER_CSV) {
		oms_warnx("order %lld: ship method \"%s\" maps to %s %s, but %s (to %s): map it"
		    " to another service in ship.methods in oms.yaml", (long long)id,
		    omsi_shown(method ? method : "", sh, 41), carrier, service, why,
		    omsi_shown(p.to.country ? p.to.country : "", sh2, 41));
		return OMS_STEP_REJECT;
	}
	if ((rc = export_goods(o, e, id, &p)) != OMS_OK) {
		free((void *)p.goods);
		return step_of(rc);
	}
	if (oms_carrier_ascii(e->f) && (what = not_ascii(&p, &bad, &oom)) != NULL) {
		oms_warnx("order %lld: %s \"%s\" has letters %s's software cannot take (it"
		    " takes ASCII, and oms writes Latin letters so): write it in Latin letters",
		    (long long)id, what, omsi_shown(bad, sh, 41), carrier);
		free((void *)p.goods);
		return OMS_STEP_REJECT;
	}
	if (oms_carrier_ascii(e->f) && oom) {
		free((void *)p.goods);
		return OMS_STEP_FAIL;
	}
	/* A customs declaration with lines left out would be a false one. */
	if (p.abroad && p.ngoods > OMS_CARRIER_CUSTOMS_LINES && (e->f == OMS_CARRIER_FEDEX ||
	    e->f == OMS_CARRIER_ENDICIA)) {
		oms_warnx("order %lld: %zu kinds of goods abroad, and a %s file declares %d:"
		    " split it, or ship it by hand", (long long)id, p.ngoods,
		    e->f == OMS_CARRIER_FEDEX ? "Ship Manager" : "DAZzle",
		    OMS_CARRIER_CUSTOMS_LINES);
		free((void *)p.goods);
		return OMS_STEP_REJECT;
	}
	if ((more = omsi_grow(e->v, &e->cap, e->n, sizeof *more)) == NULL) {
		free((void *)p.goods);
		return OMS_STEP_FAIL;
	}
	e->v = more;
	e->v[e->n++] = p;
	return OMS_STEP_DONE;
}

void
omsi_ship_from(const struct oms *o, struct oms_ship_address *a)
{
	a->name = oms_config_str(o, "ship.from.name", NULL);
	a->company = oms_config_str(o, "ship.from.company", NULL);
	a->line1 = oms_config_str(o, "ship.from.line1", NULL);
	a->line2 = oms_config_str(o, "ship.from.line2", NULL);
	a->city = oms_config_str(o, "ship.from.city", NULL);
	a->region = oms_config_str(o, "ship.from.region", NULL);
	a->postal_code = oms_config_str(o, "ship.from.postal_code", NULL);
	a->country = oms_config_str(o, "ship.from.country", "US");
	a->phone = oms_config_str(o, "ship.from.phone", NULL);
	a->email = oms_config_str(o, "ship.from.email", NULL);
}

int
oms_ship_export(struct oms *o, enum oms_carrier_format f, char **ids, int nids,
    struct oms_outfile *out)
{
	struct export e = { .f = f, .methods = oms_config_node(o, "ship.methods") };
	struct oms_filter flt = { .step = export_step, .select_all = select_picking, .arg = &e,
		.readonly = 1 };
	struct oms_ship_address from;
	size_t i;
	int rc, k;

	omsi_ship_from(o, &from);
	if ((from.name == NULL && from.company == NULL) || from.line1 == NULL ||
	    from.city == NULL || from.postal_code == NULL) {
		oms_warnx("ship.from in oms.yaml: a carrier file needs the warehouse's address"
		    " (name or company, line1, city, region, postal_code, country)");
		oms_outfile_abort(out);
		return OMS_EUSAGE;
	}
	e.from_country = from.country;
	rc = oms_filter_run(o, &flt, ids, nids);
	/*
	 * An order whose ship method maps to nothing stops the whole file: it
	 * is a gap in oms.yaml, which the next orders would fall through too.
	 */
	if (e.unmapped && rc == OMS_OK)
		rc = OMS_EINPUT;
	/* A write error was reported by the file (stdout's by the tool's oms_flush). */
	if (rc != OMS_ESYS && rc != OMS_EUSAGE && !e.unmapped && e.n > 0 &&
	    oms_carrier_export(oms_outfile_fp(out), f, &from, e.v, e.n) != 0) {
		if (errno == ENOMEM)
			oms_warnx("out of memory");
		rc = OMS_ESYS;
	}
	/* The rows of the orders it could export are good, though some IDs were not. */
	if (rc == OMS_ESYS || rc == OMS_EUSAGE || e.unmapped)
		oms_outfile_abort(out);
	else if ((k = oms_outfile_commit(out)) != OMS_OK)
		rc = k;
	if (o->opts.verbose && rc != OMS_ESYS)
		oms_warnx("%zu orders written", e.n);
	for (i = 0; i < e.text.ntext; i++)
		free(e.text.text[i]);
	free(e.text.text);
	for (i = 0; i < e.n; i++)
		free((void *)e.v[i].goods);
	free(e.v);
	return rc;
}

/* What a confirmation run collects, and owns. */
struct confirm {
	struct rows text;
	struct oms_confirm_shipment *v;
	struct oms_confirm_line *lines;
	size_t n, nlines;
};

static void
confirm_free(struct confirm *k)
{
	size_t i;

	for (i = 0; i < k->text.ntext; i++)
		free(k->text.text[i]);
	free(k->text.text);
	free(k->v);
	free(k->lines);
}

/* kept is keep for a column that may be NULL or blank. */
static int
kept(struct rows *r, struct omsi_stmt *st, int col, const char **out)
{
	*out = NULL;
	if (omsi_col_null(st, col) || *omsi_text(st, col) == '\0')
		return 0;
	return (*out = keep(r, omsi_text(st, col))) == NULL ? -1 : 0;
}

/*
 * confirm_load reads the shipments to confirm (source LIKE pattern; kind
 * names the confirmation), those not sent in that kind before or all
 * since since, with their lines.
 */
static int
confirm_load(struct oms *o, const char *pattern, const char *kind, const char *since,
    struct confirm *k)
{
	struct omsi_stmt *st;
	struct oms_confirm_shipment *s;
	size_t i, cap = 0, lcap = 0, first;
	int rc, bad = 0;

	st = omsi_stmt(o, "SELECT s.id, s.order_id, o.source, o.external_id, o.placed_at,"
	    " s.shipped_at, s.carrier, s.service, s.tracking, s.packages, coalesce(s.weight_g, -1),"
	    " s.currency, coalesce(o.std_name, o.ship_name), coalesce(o.std_company,"
	    " o.ship_company), coalesce(o.std_line1, o.ship_line1), coalesce(o.std_line2,"
	    " o.ship_line2), coalesce(o.std_city, o.ship_city), coalesce(o.std_region,"
	    " o.ship_region), coalesce(o.std_postal_code, o.ship_postal_code),"
	    " coalesce(o.std_country, o.ship_country) FROM shipments s JOIN orders o ON"
	    " o.id = s.order_id WHERE s.status = 'shipped' AND o.source LIKE ?1 AND CASE WHEN"
	    " ?2 IS NULL THEN NOT EXISTS (SELECT 1 FROM confirmations c WHERE c.shipment_id ="
	    " s.id AND c.format = ?3) ELSE s.shipped_at >= ?2 END"
	    /* An ASN is one interchange per partner: its shipments together. */
	    " ORDER BY CASE WHEN ?1 = 'x12:%' THEN o.source END, s.id", "ttt",
	    pattern, since, kind);
	if (st == NULL)
		return OMS_ESYS;
	while ((rc = omsi_step(o, st)) == OMSI_ROW) {
		if ((s = omsi_grow(k->v, &cap, k->n, sizeof *s)) == NULL) {
			bad = 1;
			break;
		}
		k->v = s;
		s = &k->v[k->n++];
		memset(s, 0, sizeof *s);
		s->shipment_id = omsi_col_int64(st, 0);
		s->order_id = omsi_col_int64(st, 1);
		s->packages = omsi_col_int(st, 9);
		s->weight_g = omsi_col_int64(st, 10);
		if (kept(&k->text, st, 2, &s->source) || kept(&k->text, st, 3, &s->external_id) ||
		    kept(&k->text, st, 4, &s->placed_at) || kept(&k->text, st, 5, &s->shipped_at) ||
		    kept(&k->text, st, 6, &s->carrier) || kept(&k->text, st, 7, &s->service) ||
		    kept(&k->text, st, 8, &s->tracking) || kept(&k->text, st, 11, &s->currency) ||
		    kept(&k->text, st, 12, &s->to.name) || kept(&k->text, st, 13, &s->to.company) ||
		    kept(&k->text, st, 14, &s->to.line1) || kept(&k->text, st, 15, &s->to.line2) ||
		    kept(&k->text, st, 16, &s->to.city) || kept(&k->text, st, 17, &s->to.region) ||
		    kept(&k->text, st, 18, &s->to.postal_code) ||
		    kept(&k->text, st, 19, &s->to.country)) {
			bad = 1;
			break;
		}
	}
	omsi_reset(st);
	if (bad)
		return OMS_ESYS;	/* out of memory, reported */
	if (rc != OMSI_DONE)
		return OMS_ESYS;
	/* The lines, all in one array; each shipment points at its run of them. */
	for (i = 0; i < k->n; i++) {
		st = omsi_stmt(o, "SELECT s.sku, l.external_line_id, l.line_no, s.qty, l.qty,"
		    " s.unit_price FROM shipment_lines s JOIN order_lines l ON l.id = s.line_id"
		    " WHERE s.shipment_id = ? ORDER BY l.line_no", "i", k->v[i].shipment_id);
		if (st == NULL)
			return OMS_ESYS;
		first = k->nlines;
		while ((rc = omsi_step(o, st)) == OMSI_ROW) {
			struct oms_confirm_line *l;

			if ((l = omsi_grow(k->lines, &lcap, k->nlines, sizeof *l)) == NULL) {
				bad = 1;
				break;
			}
			k->lines = l;
			l = &k->lines[k->nlines++];
			memset(l, 0, sizeof *l);
			l->line_no = omsi_col_int64(st, 2);
			l->qty = omsi_col_int64(st, 3);
			l->ordered = omsi_col_int64(st, 4);
			l->unit_price = omsi_col_int64(st, 5);
			if (kept(&k->text, st, 0, &l->sku) ||
			    kept(&k->text, st, 1, &l->external_line_id)) {
				bad = 1;
				break;
			}
		}
		omsi_reset(st);
		if (bad)
			return OMS_ESYS;	/* out of memory, reported */
		if (rc != OMSI_DONE)
			return OMS_ESYS;
		k->v[i].nlines = k->nlines - first;
	}
	/* Pointed at only now: the array moved as it grew. */
	for (i = 0, first = 0; i < k->n; first += k->v[i++].nlines)
		k->v[i].lines = k->lines + first;
	return OMS_OK;
}

/* confirm_mark records that shipments were confirmed in a form. */
static int
confirm_mark(struct oms *o, const struct oms_confirm_shipment *s, size_t n, const char *kind)
{
	char now[OMS_TIME_MAX];
	size_t i;
	int rc;

	oms_time_now(now);
	for (i = 0; i < n; i++)
		if ((rc = omsi_exec(o, "INSERT OR IGNORE INTO confirmations (shipment_id, format, at)"
		    " VALUES (?, ?, ?)", "itt", s[i].shipment_id, kind, now)) != OMS_OK)
			return rc;
	return OMS_OK;
}

/* asn_write writes one interchange per trading partner (lib/x12_asn.c). */
static int
asn_write(struct oms *o, struct confirm *k, FILE *out)
{
	return omsi_asn_write(o, k->v, k->n, k->lines, out);
}

int
oms_ship_confirm(struct oms *o, enum oms_confirm_format f, int asn, const char *since,
    struct oms_outfile *out)
{
	static const char *const kinds[] = { "amazon", "shopify", "csv" };
	static const char *const sources[] = { "amazon", "shopify", "%" };
	const char *kind = asn ? "asn" : kinds[f];
	struct confirm k = { 0 };
	FILE *fp = oms_outfile_fp(out);
	int rc;

	if ((rc = oms_begin(o)) != OMS_OK) {
		oms_outfile_abort(out);
		return rc;
	}
	if ((rc = confirm_load(o, asn ? "x12:%" : sources[f], kind, since, &k)) != OMS_OK)
		goto done;
	/*
	 * A file with nothing to confirm is not written: the one there may be
	 * the last run's, not yet taken from the hot folder.
	 */
	if (k.n == 0 && !oms_outfile_is_stdout(out))
		rc = OMS_OK;
	else if (asn)
		rc = k.n > 0 ? asn_write(o, &k, fp) : OMS_OK;
	else if (oms_confirm_write(fp, f, k.v, k.n) != 0)
		rc = OMS_ESYS;	/* reported by the file, stdout's by the tool's oms_flush */
	if (rc == OMS_OK)
		rc = confirm_mark(o, k.v, k.n, kind);
	if (o->opts.verbose)
		oms_warnx("%zu shipments confirmed", k.n);
done:
	confirm_free(&k);
	if (rc != OMS_OK) {
		oms_outfile_abort(out);
		oms_rollback(o);
		return rc;
	}
	/*
	 * The file first, then the record that it was sent, as on stdout: a
	 * crash between the two sends these again next time, never loses them.
	 */
	if ((rc = oms_outfile_commit(out)) != OMS_OK || o->opts.dry_run) {
		oms_rollback(o);
		return rc;
	}
	return oms_commit(o);
}
