/*
 * edit_order.c: an order changed after it was taken.  A person or a script
 * says what is to change; the consequences are the system's: reservations
 * and the ledger follow the lines at once and never oversell, the totals
 * are recomputed, a new ship-to is verified again and a card total the
 * authorization does not cover is authorized again before anything ships.
 * Each edit checks and bumps the order's version, and is one transaction
 * with one event that says what was before and after.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <oms/config.h>
#include <oms/db.h>
#include <oms/diag.h>
#include <oms/doc.h>
#include <oms/edit.h>
#include <oms/edit_order.h>
#include <oms/money.h>
#include <oms/node.h>
#include <oms/order.h>
#include <oms/stock.h>
#include <oms/time.h>

#include "internal.h"

/*
 * The text fields an edit may change, in the orders table's and the
 * edit document's order: the customer's three, the ship-to's eight, the
 * bill-to's eight (their places in oms_doc_patch.given), then two more.
 */
#define NTEXT 21
static const char *const text_names[NTEXT] = {
	"customer.name", "customer.email", "customer.phone",
	"ship_to.name", "ship_to.company", "ship_to.line1", "ship_to.line2", "ship_to.city",
	"ship_to.region", "ship_to.postal_code", "ship_to.country",
	"bill_to.name", "bill_to.company", "bill_to.line1", "bill_to.line2", "bill_to.city",
	"bill_to.region", "bill_to.postal_code", "bill_to.country",
	"ship_method", "notes",
};
enum { T_SHIP_TO = 3, T_BILL_TO = 11, T_METHOD = 19, T_NOTES = 20 };

static int
given_of(size_t k)
{
	return k == T_METHOD ? OMS_P_SHIP_METHOD : k == T_NOTES ? OMS_P_NOTES : (int)k;
}

static char **
addr_field(struct oms_address *a, size_t i)
{
	switch (i) {
	case 0: return &a->name;
	case 1: return &a->company;
	case 2: return &a->line1;
	case 3: return &a->line2;
	case 4: return &a->city;
	case 5: return &a->region;
	case 6: return &a->postal_code;
	default: return &a->country;
	}
}

/* text_field is where text field k lives in a document. */
static char **
text_field(struct oms_doc *d, size_t k)
{
	if (k == 0)
		return &d->customer_name;
	if (k == 1)
		return &d->customer_email;
	if (k == 2)
		return &d->customer_phone;
	if (k < T_BILL_TO)
		return addr_field(&d->ship_to, k - T_SHIP_TO);
	if (k < T_METHOD)
		return addr_field(&d->bill_to, k - T_BILL_TO);
	return k == T_METHOD ? &d->ship_method : &d->notes;
}

/* text_value reads text field k of a document. */
static const char *
text_value(const struct oms_doc *d, size_t k)
{
	return *text_field((struct oms_doc *)d, k);
}

/* The order as it stands. */
struct current {
	struct oms_doc doc;		/* its fields, amounts and currency */
	enum oms_status status, held_from;
	enum oms_status eff;		/* where it stands, on hold or not */
	char hold_reason[32];
	int64_t version, subtotal, total;
	int at_cart;			/* paid, or its card taken, at the cart */
};

/* One line of the order. */
struct eline {
	int64_t id, line_no, qty, allocated, picked, shipped, cancelled, price;
	int64_t on_list;		/* on an open pick list, not confirmed yet */
	int ships;			/* needs_shipping: 0 for a download, a gift card */
	char sku[80];
};

/* open_qty is what the line still orders: not cancelled. */
static int64_t
open_qty(const struct eline *l)
{
	return l->qty - l->cancelled;
}

/* waiting is what the line orders that is neither reserved nor shipped. */
static int64_t
waiting(const struct eline *l)
{
	return l->qty - l->cancelled - l->allocated - l->shipped;
}

/* loose is what may still be cancelled of a line: not picked, listed or shipped. */
static int64_t
loose(const struct eline *l)
{
	int64_t res = l->allocated - l->picked - l->on_list;

	return waiting(l) + (res > 0 ? res : 0);
}

/* An edit in progress. */
struct edit {
	struct oms *o;
	int64_t id;
	struct current cur;
	const char *val[NTEXT];		/* each text field's value after the edit */
	int ship_complete;
	int64_t priority, subtotal, discount, shipping, tax, total;
	struct eline *lines;
	size_t nlines, cap;
	char **grown;			/* SKUs more of which is ordered */
	size_t ngrown;
	int ship_to, lines_changed, policy_changed, any;
	FILE *log;			/* the event's detail */
	char *logbuf;
	size_t loglen;
	int nlog;
	char *err;
	size_t errlen;
	struct oms_edit_result *res;
};

static int
refuse(struct edit *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
refuse(struct edit *x, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	omsi_fmt_err(x->err, x->errlen, "order %lld: %s", (long long)x->id, msg);
	return OMS_EINPUT;
}

static void
notice(struct edit *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* notice adds a line for the person about what follows from the edit. */
static void
notice(struct edit *x, const char *fmt, ...)
{
	size_t len = strlen(x->res->notice);
	va_list ap;

	if (len + 2 >= sizeof x->res->notice)
		return;
	if (len > 0)
		x->res->notice[len++] = '\n';
	va_start(ap, fmt);
	vsnprintf(x->res->notice + len, sizeof x->res->notice - len, fmt, ap);
	va_end(ap);
}

/* quoted writes text for the history as the edit document would have it: "..." or ~. */
static void
quoted(FILE *f, const char *s)
{
	if (s == NULL) {
		fputc('~', f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\t')
			fputs("\\t", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void
note(struct edit *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* note adds a change to the event's detail. */
static void
note(struct edit *x, const char *fmt, ...)
{
	va_list ap;

	if (x->nlog++ > 0)
		fputs("; ", x->log);
	va_start(ap, fmt);
	vfprintf(x->log, fmt, ap);
	va_end(ap);
}

static const char *
money(char buf[OMS_MONEY_MAX], int64_t v, const struct edit *x)
{
	return oms_money_format(buf, v, x->cur.doc.currency);
}

static int
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static char *
dup_col(struct omsi_stmt *st, int col, int *bad)
{
	const char *s = omsi_text(st, col);
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*bad = 1;
	return d;
}

/* load reads the order's fields, amounts and standing. */
static int
load(struct oms *o, int64_t id, struct current *c)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT status, coalesce(held_from, ''),"
	    " coalesce(hold_reason, ''), version, currency, customer_name, customer_email,"
	    " customer_phone, ship_name, ship_company, ship_line1, ship_line2, ship_city,"
	    " ship_region, ship_postal_code, ship_country, bill_name, bill_company, bill_line1,"
	    " bill_line2, bill_city, bill_region, bill_postal_code, bill_country, ship_method,"
	    " notes, coalesce(ship_complete, -1), priority, subtotal, discount, shipping, tax,"
	    " total, payment_method = 'prepaid' OR (payment_method = 'card' AND"
	    " coalesce(payment_token, '') = '' AND coalesce(payment_ref, '') <> '')"
	    " FROM orders WHERE id = ?", "i", id);
	size_t k;
	int rc, bad = 0;

	memset(c, 0, sizeof *c);
	c->doc.ship_complete = -1;
	if ((rc = omsi_order_row(o, st, id)) != OMS_OK)
		return rc;
	oms_status_parse(omsi_text(st, 0), &c->status);
	c->held_from = OMS_NSTATUS;
	oms_status_parse(omsi_text(st, 1), &c->held_from);
	c->eff = c->status == OMS_HOLD ? c->held_from : c->status;
	snprintf(c->hold_reason, sizeof c->hold_reason, "%s", omsi_text(st, 2));
	c->version = omsi_col_int64(st, 3);
	snprintf(c->doc.currency, sizeof c->doc.currency, "%s", omsi_text(st, 4));
	for (k = 0; k < NTEXT; k++)
		*text_field(&c->doc, k) = dup_col(st, 5 + (int)k, &bad);
	c->doc.ship_complete = omsi_col_int(st, 26);
	c->doc.priority = omsi_col_int64(st, 27);
	c->subtotal = omsi_col_int64(st, 28);
	c->doc.discount = omsi_col_int64(st, 29);
	c->doc.shipping = omsi_col_int64(st, 30);
	c->doc.tax = omsi_col_int64(st, 31);
	c->total = omsi_col_int64(st, 32);
	c->at_cart = omsi_col_int(st, 33);
	omsi_reset(st);
	if (bad) {
		oms_warnx("out of memory");
		oms_doc_free(&c->doc);
		return OMS_ESYS;
	}
	return OMS_OK;
}

/* load_lines reads the order's lines, with what of each is on an open pick list. */
static int
load_lines(struct edit *x)
{
	struct omsi_stmt *st = omsi_stmt(x->o, "SELECT l.id, l.line_no, l.sku, l.qty, l.allocated,"
	    " l.picked, l.shipped, l.cancelled, l.unit_price, (SELECT"
	    " coalesce(sum(coalesce(p.picked, p.qty)), 0) FROM pick_lines p JOIN pick_lists pl ON"
	    " pl.id = p.list_id WHERE p.order_id = l.order_id AND p.line_id = l.id AND"
	    " p.confirmed = 0 AND pl.status = 'open'), l.needs_shipping FROM order_lines l"
	    " WHERE l.order_id = ? ORDER BY l.line_no", "i", x->id);
	struct eline *v;
	int rc;

	if (st == NULL)
		return OMS_ESYS;
	while ((rc = omsi_step(x->o, st)) == OMSI_ROW) {
		if ((v = omsi_grow(x->lines, &x->cap, x->nlines, sizeof *v)) == NULL) {
			omsi_reset(st);
			return OMS_ESYS;
		}
		x->lines = v;
		v = &x->lines[x->nlines++];
		v->id = omsi_col_int64(st, 0);
		v->line_no = omsi_col_int64(st, 1);
		snprintf(v->sku, sizeof v->sku, "%s", omsi_text(st, 2));
		v->qty = omsi_col_int64(st, 3);
		v->allocated = omsi_col_int64(st, 4);
		v->picked = omsi_col_int64(st, 5);
		v->shipped = omsi_col_int64(st, 6);
		v->cancelled = omsi_col_int64(st, 7);
		v->price = omsi_col_int64(st, 8);
		v->on_list = omsi_col_int64(st, 9);
		v->ships = omsi_col_int(st, 10);
	}
	omsi_reset(st);
	return rc == OMSI_DONE ? OMS_OK : OMS_ESYS;
}

/* The facts of one SKU on the order. */
struct sku_sum {
	int64_t open, loose, locked, price;
	struct eline *last;	/* its last line still ordered, or NULL */
};

static void
sku_sum(const struct edit *x, const char *sku, struct sku_sum *s)
{
	size_t i;

	memset(s, 0, sizeof *s);
	for (i = 0; i < x->nlines; i++) {
		struct eline *l = &x->lines[i];

		if (strcmp(l->sku, sku) != 0 || open_qty(l) == 0)
			continue;
		s->open += open_qty(l);
		s->loose += loose(l);
		s->last = l;
		s->price = l->price;
	}
	s->locked = s->open - s->loose;
}

/* fields takes the patch's text fields, ship_complete and priority, noting each change. */
static int
fields(struct edit *x, const struct oms_doc_patch *p, int whole)
{
	const struct oms_doc *d = &p->doc;
	struct current *c = &x->cur;
	size_t k;

	for (k = 0; k < NTEXT; k++) {
		x->val[k] = text_value(&c->doc, k);
		if (!whole && !p->given[given_of(k)])
			continue;
		x->val[k] = text_value(d, k);
		if (k == T_SHIP_TO + 7 && x->val[k] == NULL)
			x->val[k] = "US";
		if (same(x->val[k], text_value(&c->doc, k)))
			continue;
		if (x->nlog++ > 0)
			fputs("; ", x->log);
		fprintf(x->log, "%s: ", text_names[k]);
		quoted(x->log, text_value(&c->doc, k));
		fputs(" -> ", x->log);
		quoted(x->log, x->val[k]);
		x->any = 1;
		if (k >= T_SHIP_TO && k < T_BILL_TO)
			x->ship_to = 1;
		if (k == T_METHOD && c->eff == OMS_PICKING)
			return refuse(x, "ship_method: it is on a pick list, its wave made for the"
			    " method it has: cancel the pick list first (oms-pick cancel), or ship it"
			    " as it is");
	}
	/* What an order ships to and what it says must be there. */
	for (k = T_SHIP_TO; k < T_BILL_TO; k++)
		if (x->val[k] == NULL && (k == T_SHIP_TO || k == T_SHIP_TO + 2 || k == T_SHIP_TO + 4))
			return refuse(x, "%s: cannot be cleared: an order ships somewhere", text_names[k]);
	if (x->ship_to && c->eff == OMS_PICKING)
		return refuse(x, "ship_to: it is on a pick list, being picked to ship to the address it"
		    " has: cancel the pick list first (oms-pick cancel), or ship it as it is");
	x->ship_complete = c->doc.ship_complete;
	if ((whole || p->given[OMS_P_SHIP_COMPLETE]) && d->ship_complete != c->doc.ship_complete) {
		x->ship_complete = d->ship_complete;
		note(x, "ship_complete: %s -> %s", c->doc.ship_complete < 0 ? "~" :
		    c->doc.ship_complete ? "true" : "false", d->ship_complete < 0 ? "~" :
		    d->ship_complete ? "true" : "false");
		x->policy_changed = x->any = 1;
	}
	x->priority = c->doc.priority;
	if ((whole || p->given[OMS_P_PRIORITY]) && d->priority != c->doc.priority) {
		x->priority = d->priority;
		note(x, "priority: %lld -> %lld", (long long)c->doc.priority, (long long)d->priority);
		x->any = 1;
	}
	return OMS_OK;
}

/* add_line adds a line for a SKU the order does not have (open). */
static int
add_line(struct edit *x, const struct oms_doc_line *dl, size_t n)
{
	struct eline *l;
	struct omsi_stmt *st;
	int64_t price = dl->price, line_no = 0, ships;
	char m[OMS_MONEY_MAX];
	size_t i;
	int rc;

	if ((st = omsi_stmt(x->o, "SELECT price, currency FROM items WHERE sku = ?", "t",
	    dl->sku)) == NULL || (rc = omsi_step(x->o, st)) < 0)
		return OMS_ESYS;
	if (rc != OMSI_ROW)
		return refuse(x, "line %zu: sku \"%.64s\" is not in the catalog", n, dl->sku);
	if (!dl->has_price && (omsi_col_null(st, 0) ||
	    strcmp(omsi_text(st, 1), x->cur.doc.currency) != 0)) {
		omsi_reset(st);
		return refuse(x, "line %zu: sku \"%.64s\" has no catalog price in %s: give one",
		    n, dl->sku, x->cur.doc.currency);
	}
	if (!dl->has_price)
		price = omsi_col_int64(st, 0);
	omsi_reset(st);
	for (i = 0; i < x->nlines; i++)
		if (x->lines[i].line_no > line_no)
			line_no = x->lines[i].line_no;
	if ((rc = omsi_exec(x->o, "INSERT INTO order_lines (order_id, line_no, sku, qty,"
	    " unit_price, needs_shipping) VALUES (?1, ?2, ?3, ?4, ?5, coalesce((SELECT ships FROM"
	    " items WHERE sku = ?3), 1))", "iitii", x->id, line_no + 1, dl->sku, dl->qty,
	    price)) != OMS_OK)
		return rc;
	if ((l = omsi_grow(x->lines, &x->cap, x->nlines, sizeof *l)) == NULL)
		return OMS_ESYS;
	x->lines = l;
	l = &x->lines[x->nlines++];
	memset(l, 0, sizeof *l);
	l->id = omsi_last_id(x->o);
	l->line_no = line_no + 1;
	snprintf(l->sku, sizeof l->sku, "%s", dl->sku);
	l->qty = dl->qty;
	l->price = price;
	if (omsi_int(x->o, &ships, "SELECT needs_shipping FROM order_lines WHERE id = ?", "i",
	    l->id) != OMS_OK)
		return OMS_ESYS;
	l->ships = ships != 0;
	note(x, "line %s added: qty %lld at %s", dl->sku, (long long)dl->qty, money(m, price, x));
	return OMS_OK;
}

/*
 * reduce cancels n units of a SKU, last line first: what waits for stock,
 * then what is reserved and not picked, whose stock is released.
 */
static int
reduce(struct edit *x, const char *sku, int64_t n)
{
	char ref[32];
	int64_t take, release;
	size_t i;
	int rc;

	snprintf(ref, sizeof ref, "order %lld", (long long)x->id);
	for (i = x->nlines; i-- > 0 && n > 0;) {
		struct eline *l = &x->lines[i];

		if (strcmp(l->sku, sku) != 0 || (take = loose(l)) <= 0)
			continue;
		take = take < n ? take : n;
		release = take > waiting(l) ? take - waiting(l) : 0;
		if (release > 0 && (rc = oms_stock_move(x->o, sku, "release", 0, -release, ref,
		    "order edited")) != OMS_OK)
			return rc;
		l->allocated -= release;
		l->cancelled += take;
		if ((rc = omsi_exec(x->o, "UPDATE order_lines SET allocated = ?, cancelled = ?"
		    " WHERE id = ?", "iii", l->allocated, l->cancelled, l->id)) != OMS_OK)
			return rc;
		n -= take;
	}
	if (n != 0) {
		oms_warnx("order %lld: internal error: %lld of %s left to cancel", (long long)x->id,
		    (long long)n, sku);
		return OMS_ESYS;
	}
	return OMS_OK;
}

/* grew remembers a SKU more of which is ordered now, to be reserved. */
static int
grew(struct edit *x, const char *sku)
{
	char **v;

	if ((v = realloc(x->grown, (x->ngrown + 1) * sizeof *v)) == NULL) {
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	x->grown = v;
	if ((v[x->ngrown] = strdup(sku)) == NULL) {
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	x->ngrown++;
	return OMS_OK;
}

/* set_line makes a SKU's ordered quantity qty (and its price, when given). */
static int
set_line(struct edit *x, const struct oms_doc_line *dl, size_t n, int sc)
{
	struct sku_sum s;
	char m[2][OMS_MONEY_MAX];
	size_t i;
	int rc;

	sku_sum(x, dl->sku, &s);
	if (s.open == 0) {
		if (dl->qty == 0)
			return refuse(x, "line %zu: sku \"%.64s\": the order has none open to cancel",
			    n, dl->sku);
		if (x->cur.eff == OMS_PICKING && sc)
			return refuse(x, "line %zu: %s: it is on a pick list and ships complete: what"
			    " is added could not go with it; ship it first, or make a new order", n,
			    dl->sku);
		x->lines_changed = x->any = 1;
		if ((rc = add_line(x, dl, n)) != OMS_OK)
			return rc;
		return grew(x, dl->sku);
	}
	if (dl->has_price && dl->price != s.price && dl->qty > 0) {
		if (s.locked > 0)
			return refuse(x, "line %s: price: %lld of it picked, on a pick list or shipped"
			    " at %s: it cannot change now", dl->sku, (long long)s.locked,
			    money(m[0], s.price, x));
		for (i = 0; i < x->nlines; i++) {
			struct eline *l = &x->lines[i];

			if (strcmp(l->sku, dl->sku) != 0 || open_qty(l) == 0)
				continue;
			l->price = dl->price;
			if ((rc = omsi_exec(x->o, "UPDATE order_lines SET unit_price = ? WHERE id = ?",
			    "ii", l->price, l->id)) != OMS_OK)
				return rc;
		}
		note(x, "line %s price %s -> %s", dl->sku, money(m[0], s.price, x),
		    money(m[1], dl->price, x));
		x->lines_changed = x->any = 1;
	}
	if (dl->qty == s.open)
		return OMS_OK;
	if (dl->qty < s.locked)
		return refuse(x, "line %s: qty %lld: %lld of it picked, on a pick list or shipped",
		    dl->sku, (long long)dl->qty, (long long)s.locked);
	if (dl->qty > s.open && x->cur.eff == OMS_PICKING && sc)
		return refuse(x, "line %s: qty %lld: it is on a pick list and ships complete: more"
		    " could not go with it; ship it first, or make a new order", dl->sku,
		    (long long)dl->qty);
	note(x, "line %s qty %lld -> %lld", dl->sku, (long long)s.open, (long long)dl->qty);
	x->lines_changed = x->any = 1;
	if (dl->qty < s.open)
		return reduce(x, dl->sku, s.open - dl->qty);
	s.last->qty += dl->qty - s.open;
	if ((rc = omsi_exec(x->o, "UPDATE order_lines SET qty = ? WHERE id = ?", "ii",
	    s.last->qty, s.last->id)) != OMS_OK)
		return rc;
	return grew(x, dl->sku);
}

/* lines applies the patch's lines; whole: a SKU the patch leaves out is cancelled. */
static int
lines(struct edit *x, const struct oms_doc_patch *p, int whole, int sc)
{
	struct oms_doc_line gone;
	size_t i, j, n = x->nlines;
	int rc;

	for (i = 0; i < p->doc.nlines; i++)
		if ((rc = set_line(x, &p->doc.lines[i], i + 1, sc)) != OMS_OK)
			return rc;
	for (i = 0; whole && i < n; i++) {
		for (j = 0; j < p->doc.nlines; j++)
			if (strcmp(p->doc.lines[j].sku, x->lines[i].sku) == 0)
				break;
		if (j < p->doc.nlines || open_qty(&x->lines[i]) == 0)
			continue;
		memset(&gone, 0, sizeof gone);
		gone.sku = x->lines[i].sku;
		if ((rc = set_line(x, &gone, i + 1, sc)) != OMS_OK)
			return rc;
	}
	for (i = 0, j = 0; i < x->nlines; i++)
		j += x->lines[i].qty - x->lines[i].shipped - x->lines[i].cancelled > 0;
	if (j == 0)
		return refuse(x, "nothing would be left to ship: cancel it instead (oms-order cancel"
		    " %lld)", (long long)x->id);
	return OMS_OK;
}

/*
 * reserve takes stock at once for what more is ordered, when the order has
 * been through allocation, by its rules: no more than is available after
 * the orders before it in the fair order, and a ship-complete order short
 * of stock keeps what it could reserve only as backorder.keep_partial says.
 */
static int
reserve(struct edit *x, int sc)
{
	char ref[32];
	int64_t *can, want, short_by = 0, take;
	size_t i, k;
	int keep, rc = OMS_OK;

	if (x->ngrown == 0 || (x->cur.eff != OMS_BACKORDERED && x->cur.eff != OMS_ALLOCATED &&
	    x->cur.eff != OMS_PICKING))
		return OMS_OK;
	if ((can = omsi_calloc(x->ngrown, sizeof *can)) == NULL)
		return OMS_ESYS;
	for (k = 0; k < x->ngrown; k++) {
		for (i = 0, want = 0; i < x->nlines; i++)
			if (strcmp(x->lines[i].sku, x->grown[k]) == 0)
				want += waiting(&x->lines[i]);
		if ((rc = omsi_fair_share(x->o, x->id, x->grown[k], &can[k])) != OMS_OK)
			goto out;
		can[k] = can[k] < want ? can[k] : want;
		short_by += want - can[k];
	}
	omsi_ships_complete(x->o, x->ship_complete, &keep);
	snprintf(ref, sizeof ref, "order %lld", (long long)x->id);
	for (k = 0; k < x->ngrown; k++) {
		if (short_by > 0 && sc && !keep)
			can[k] = 0;
		if (can[k] > 0 && (rc = oms_stock_move(x->o, x->grown[k], "reserve", 0, can[k], ref,
		    "order edited")) != OMS_OK)
			goto out;
		for (i = 0, want = can[k]; i < x->nlines && want > 0; i++) {
			struct eline *l = &x->lines[i];

			if (strcmp(l->sku, x->grown[k]) != 0 || waiting(l) == 0)
				continue;
			take = waiting(l) < want ? waiting(l) : want;
			l->allocated += take;
			want -= take;
			if ((rc = omsi_exec(x->o, "UPDATE order_lines SET allocated = ? WHERE id = ?",
			    "ii", l->allocated, l->id)) != OMS_OK)
				goto out;
		}
		for (i = 0, want = 0; i < x->nlines; i++)
			if (strcmp(x->lines[i].sku, x->grown[k]) == 0)
				want += waiting(&x->lines[i]);
		note(x, "reserved %s %lld/%lld", x->grown[k], (long long)can[k],
		    (long long)(can[k] + want));
	}
out:
	free(can);
	return rc;
}

/* scale is v in proportion to the goods, rounded half up: the tax and discount follow them. */
static int64_t
scale(int64_t v, int64_t part, int64_t base)
{
	__int128 p = (__int128)v * part;

	if (base <= 0 || v == 0)
		return v;
	return (int64_t)((2 * p + base) / (2 * (__int128)base));
}

/* amounts recomputes the totals as oms-add computes them, noting each change. */
static int
amounts(struct edit *x, const struct oms_doc_patch *p)
{
	static const char *const names[] = { "subtotal", "discount", "shipping", "tax", "total" };
	const struct current *c = &x->cur;
	int64_t was[5], now[5], sub = 0, amt;
	char m[2][OMS_MONEY_MAX];
	size_t i;

	for (i = 0; i < x->nlines; i++)
		if (__builtin_mul_overflow(open_qty(&x->lines[i]), x->lines[i].price, &amt) ||
		    __builtin_add_overflow(sub, amt, &sub))
			return refuse(x, "the order's total would be too large");
	if (!x->lines_changed)
		sub = c->subtotal;
	x->subtotal = sub;
	x->discount = p->given[OMS_P_DISCOUNT] ? p->doc.discount :
	    scale(c->doc.discount, sub, c->subtotal);
	x->tax = p->given[OMS_P_TAX] ? p->doc.tax : scale(c->doc.tax, sub, c->subtotal);
	x->shipping = p->given[OMS_P_SHIPPING] ? p->doc.shipping : c->doc.shipping;
	if (x->discount > sub)
		return refuse(x, "discount %s is more than the lines add up to (%s)",
		    money(m[0], x->discount, x), money(m[1], sub, x));
	if (__builtin_add_overflow(sub - x->discount, x->shipping, &x->total) ||
	    __builtin_add_overflow(x->total, x->tax, &x->total))
		return refuse(x, "the order's total would be too large");
	was[0] = c->subtotal, was[1] = c->doc.discount, was[2] = c->doc.shipping;
	was[3] = c->doc.tax, was[4] = c->total;
	now[0] = x->subtotal, now[1] = x->discount, now[2] = x->shipping;
	now[3] = x->tax, now[4] = x->total;
	for (i = 0; i < 5; i++)
		if (was[i] != now[i]) {
			note(x, "%s %s -> %s", names[i], money(m[0], was[i], x),
			    money(m[1], now[i], x));
			x->any = 1;
		}
	return OMS_OK;
}

/* store writes the order's new fields and totals. */
static int
store(struct edit *x)
{
	int64_t sc = x->ship_complete;
	const char *const *v = x->val;
	int rc;

	rc = omsi_exec(x->o, "UPDATE orders SET customer_name = ?, customer_email = ?,"
	    " customer_phone = ?, ship_name = ?, ship_company = ?, ship_line1 = ?, ship_line2 = ?,"
	    " ship_city = ?, ship_region = ?, ship_postal_code = ?, ship_country = ?,"
	    " bill_name = ?, bill_company = ?, bill_line1 = ?, bill_line2 = ?, bill_city = ?,"
	    " bill_region = ?, bill_postal_code = ?, bill_country = ?, ship_method = ?, notes = ?,"
	    " ship_complete = ?, priority = ?, subtotal = ?, discount = ?, shipping = ?, tax = ?,"
	    " total = ? WHERE id = ?", "ttttttttttttttttttttt" "jiiiiiii",
	    v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
	    v[13], v[14], v[15], v[16], v[17], v[18], v[19], v[20], sc < 0 ? NULL : &sc,
	    x->priority, x->subtotal, x->discount, x->shipping, x->tax, x->total, x->id);
	/* The standardized address was the old one's: the verifier makes the new one's. */
	if (rc == OMS_OK && x->ship_to)
		rc = omsi_exec(x->o, "UPDATE orders SET std_name = NULL, std_company = NULL,"
		    " std_line1 = NULL, std_line2 = NULL, std_city = NULL, std_region = NULL,"
		    " std_postal_code = NULL, std_country = NULL WHERE id = ?", "i", x->id);
	/* Names and the phone are what oms-order find looks the order up by. */
	if (rc == OMS_OK)
		rc = omsi_order_keys(x->o, x->id);
	return rc;
}

/*
 * standing says where an order that has been through allocation stands
 * after its lines changed: allocated when it has what it needs to go
 * (everything, or under split something to pick), else backordered.
 */
static enum oms_status
standing(const struct edit *x, int sc)
{
	int64_t wait = 0, to_pick = 0;
	size_t i;

	/* A line with nothing to ship waits for no stock. */
	for (i = 0; i < x->nlines; i++) {
		if (x->lines[i].ships)
			wait += waiting(&x->lines[i]);
		to_pick += x->lines[i].allocated - x->lines[i].picked;
	}
	if (wait == 0 || (!sc && to_pick > 0))
		return OMS_ALLOCATED;
	return OMS_BACKORDERED;
}

/* consequences moves the order where the edit sends it, writing the one event. */
static int
consequences(struct edit *x, int sc, const char *reason)
{
	const struct current *c = &x->cur;
	enum oms_status to = c->eff;
	int64_t due, shortfall;
	char m[2][OMS_MONEY_MAX], now[OMS_TIME_MAX];
	int rc;

	if ((rc = omsi_pay_shortfall(x->o, x->id, &due, &shortfall)) != OMS_OK)
		return rc;
	if (x->ship_to && c->eff != OMS_NEW) {
		to = OMS_NEW;
		notice(x, "order %lld: back to new: its new ship-to is to be verified"
		    " (oms-verify-addr)", (long long)x->id);
		if (shortfall > 0 && c->eff != OMS_VERIFIED) {
			note(x, "authorization %s short", money(m[0], shortfall, x));
			notice(x, "order %lld: then its card is to be authorized for %s (oms-auth)",
			    (long long)x->id, money(m[0], due, x));
		}
	} else if (shortfall > 0 && c->eff == OMS_PICKING) {
		return refuse(x, "it is on a pick list, and its card's authorization would be %s"
		    " short of the new total: ship it as it is first, or cancel the pick list"
		    " (oms-pick cancel)", money(m[0], shortfall, x));
	} else if (shortfall > 0 && (c->eff == OMS_AUTHORIZED || c->eff == OMS_BACKORDERED ||
	    c->eff == OMS_ALLOCATED)) {
		to = OMS_VERIFIED;
		note(x, "authorization %s short", money(m[0], shortfall, x));
		notice(x, "order %lld: back to verified: its card is to be authorized for %s"
		    " (oms-auth)", (long long)x->id, money(m[0], due, x));
	} else if ((x->lines_changed || x->policy_changed) && (c->eff == OMS_ALLOCATED ||
	    c->eff == OMS_BACKORDERED)) {
		if ((to = standing(x, sc)) == OMS_BACKORDERED && c->eff != OMS_BACKORDERED)
			notice(x, "order %lld: backordered: it waits for stock (oms-backorder)",
			    (long long)x->id);
	}
	if (x->total > c->total && c->at_cart)
		notice(x, "order %lld: total up from %s to %s, and it was paid for at the cart:"
		    " collect the difference there", (long long)x->id, money(m[0], c->total, x),
		    money(m[1], x->total, x));
	if (c->status == OMS_HOLD && to != c->held_from)
		notice(x, "order %lld: still on hold (%s): released, it goes to %s", (long long)x->id,
		    c->hold_reason, oms_status_name(to));
	if (reason != NULL)
		note(x, "reason: %s", reason);
	if (fflush(x->log) != 0 || ferror(x->log)) {
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	/* A hold for the address is what a new ship-to settles: released to be verified. */
	if (c->status == OMS_HOLD && strcmp(c->hold_reason, "address") == 0 && x->ship_to &&
	    c->held_from == OMS_NEW) {
		notice(x, "order %lld: released from its address hold: its new ship-to is to be"
		    " verified (oms-verify-addr)", (long long)x->id);
		rc = oms_order_move(x->o, x->id, OMS_NEW, NULL, "edit", x->logbuf);
	} else {
		rc = oms_order_redirect(x->o, x->id, to, "edit", x->logbuf);
	}
	if (rc != OMS_OK)
		return rc;
	/* The moves count one each; an edit is one version whatever it moved. */
	x->res->version = c->version + 1;
	return omsi_exec(x->o, "UPDATE orders SET version = ?, updated_at = ? WHERE id = ?",
	    "iti", x->res->version, oms_time_now(now), x->id);
}

int
oms_order_edit_apply(struct oms *o, int64_t id, const struct oms_doc_patch *p, int whole,
    const struct oms_order_edit *e, struct oms_edit_result *r, char *err, size_t errlen)
{
	struct edit x = { .o = o, .id = id, .err = err, .errlen = errlen, .res = r };
	size_t i;
	int rc, sc;

	memset(r, 0, sizeof *r);
	if (errlen > 0)
		err[0] = '\0';
	/* No such order is reported as the filters report it. */
	if ((rc = load(o, id, &x.cur)) != OMS_OK)
		return rc;
	r->version = x.cur.version;
	if ((x.log = open_memstream(&x.logbuf, &x.loglen)) == NULL) {
		oms_warn("open_memstream");
		oms_doc_free(&x.cur.doc);
		return OMS_ESYS;
	}
	if (e->if_version > 0 && x.cur.version != e->if_version) {
		r->stale = 1;
		rc = refuse(&x, "changed since version %lld: it is at version %lld now; nothing"
		    " changed (oms-order show %lld, and edit it again)", (long long)e->if_version,
		    (long long)x.cur.version, (long long)id);
	} else if (x.cur.status == OMS_CANCELLED || x.cur.eff == OMS_SHIPPED) {
		rc = refuse(&x, "cannot edit: it is %s%s", x.cur.status == OMS_CANCELLED ?
		    "cancelled" : "shipped", x.cur.status == OMS_HOLD ? " (held for payment)" : "");
	} else if (strcmp(p->doc.currency, x.cur.doc.currency) != 0) {
		rc = refuse(&x, "internal error: amounts read in %s, the order is in %s",
		    p->doc.currency, x.cur.doc.currency);
	} else if ((rc = fields(&x, p, whole)) == OMS_OK && (rc = load_lines(&x)) == OMS_OK &&
	    (rc = omsi_waiting_forget(o, id)) == OMS_OK) {
		/*
		 * Out of table waiting while its lines, priority and status change
		 * (what it may reserve depends only on the orders before it), and
		 * back in as they end, whatever moves it made on the way.
		 */
		sc = omsi_ships_complete(o, x.ship_complete, NULL);
		if ((!p->given[OMS_P_LINES] && !whole) || (rc = lines(&x, p, whole, sc)) == OMS_OK)
			if ((rc = reserve(&x, sc)) == OMS_OK && (rc = amounts(&x, p)) == OMS_OK &&
			    x.any && (rc = store(&x)) == OMS_OK)
				rc = consequences(&x, sc, e->reason);
		if (rc == OMS_OK && (rc = omsi_waiting_forget(o, id)) == OMS_OK)
			rc = omsi_waiting_add(o, id);
	}
	r->changed = rc == OMS_OK && x.any;
	if (fclose(x.log) == 0 && r->changed && rc == OMS_OK)
		r->detail = x.logbuf;
	else
		free(x.logbuf);
	for (i = 0; i < x.ngrown; i++)
		free(x.grown[i]);
	free(x.grown);
	free(x.lines);
	oms_doc_free(&x.cur.doc);
	return rc;
}

/* put adds a quoted scalar under key to a map made for the quick options. */
static int
put(struct oms_node *map, const char *key, const char *value)
{
	return oms_node_add(map, key, oms_node_new(OMS_NODE_SCALAR, value));
}

/* quick_node turns the quick options into an edit document, read like any other. */
static struct oms_node *
quick_node(const struct oms_order_edit *e)
{
	struct oms_node *root = oms_node_new(OMS_NODE_MAP, NULL), *seq = NULL, *l;
	char *spec = NULL, *qty, *price;
	size_t i;
	int bad = root == NULL;

	if (!bad && e->ship_method != NULL)
		bad = put(root, "ship_method", e->ship_method) != 0;
	if (!bad && e->priority != NULL)
		bad = put(root, "priority", e->priority) != 0;
	if (!bad && e->nlines > 0)
		bad = (seq = oms_node_new(OMS_NODE_SEQ, NULL)) == NULL ||
		    oms_node_add(root, "lines", seq) != 0;
	for (i = 0; !bad && i < e->nlines; i++) {
		if ((spec = strdup(e->lines[i])) == NULL ||
		    (l = oms_node_new(OMS_NODE_MAP, NULL)) == NULL || oms_node_add(seq, NULL, l)) {
			bad = 1;
			break;
		}
		if ((qty = strchr(spec, ':')) != NULL)
			*qty++ = '\0';
		if (qty != NULL && (price = strchr(qty, ':')) != NULL)
			*price++ = '\0';
		else
			price = NULL;
		bad = put(l, "sku", spec) != 0 || (qty != NULL && put(l, "qty", qty) != 0) ||
		    (price != NULL && put(l, "price", price) != 0);
		free(spec);
		spec = NULL;
	}
	free(spec);
	if (bad) {
		oms_warnx("out of memory");
		oms_node_free(root);
		return NULL;
	}
	return root;
}

/* What one attempt at an edit needs: the whole transaction around oms_order_edit_apply. */
struct attempt {
	struct oms *o;
	int64_t id;
	struct oms_order_edit e;
	int whole;		/* the editor's document: the whole order */
	int stale;		/* it was refused for the version */
};

/* attempt applies an edit document in a transaction of its own; prints the ID after it commits. */
static int
attempt(struct attempt *a, const struct oms_node *n, const char *where, char *err,
    size_t errlen)
{
	struct oms_doc_patch p;
	struct oms_edit_result r;
	struct omsi_stmt *st;
	char currency[4];
	const char *s, *nl;
	int rc;

	if (oms_begin(a->o) != OMS_OK)
		return OMS_ESYS;
	/* The order's currency, to read the amounts in. */
	st = omsi_stmt(a->o, "SELECT currency FROM orders WHERE id = ?", "i", a->id);
	if ((rc = omsi_order_row(a->o, st, a->id)) != OMS_OK)
		goto out;
	snprintf(currency, sizeof currency, "%s", omsi_text(st, 0));
	omsi_reset(st);
	if (oms_doc_patch_from_node(n, &p, where, currency, err, errlen) != 0) {
		rc = OMS_EINPUT;
		goto out;
	}
	rc = oms_order_edit_apply(a->o, a->id, &p, a->whole, &a->e, &r, err, errlen);
	oms_doc_free(&p.doc);
	a->stale = r.stale;
	if (rc != OMS_OK)
		goto out;
	if (a->o->opts.dry_run || !r.changed)
		oms_rollback(a->o);
	else if ((rc = oms_commit(a->o)) != OMS_OK)
		goto out;
	if (a->o->opts.dry_run)
		printf("%lld\tedit\t%s\n", (long long)a->id, r.detail ? r.detail : "no change");
	else
		printf("%lld\n", (long long)a->id);
	if (!r.changed && !a->o->opts.quiet)
		oms_warnx("order %lld: nothing to change: it is so already", (long long)a->id);
	for (s = r.notice; *s != '\0' && !a->o->opts.quiet; s = nl + (*nl != '\0')) {
		nl = s + strcspn(s, "\n");
		oms_warnx("%.*s", (int)(nl - s), s);
	}
	free(r.detail);
	return OMS_OK;
out:
	oms_rollback(a->o);
	return rc;
}

/* from_file reads one edit document from f and applies it. */
static int
from_file(struct attempt *a, FILE *f, const char *name, char *err, size_t errlen)
{
	struct oms_node *n = NULL, *more = NULL;
	struct oms_yaml *y;
	int r, rc;

	if ((y = oms_yaml_open(f, name)) == NULL) {
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	if ((r = oms_yaml_next(y, &n, err, errlen)) > 0 &&
	    (r = oms_yaml_next(y, &more, err, errlen)) > 0) {
		omsi_fmt_err(err, errlen, "%s:%d: one order is edited at a time: a second document",
		    name, more->line);
		r = -1;
	}
	oms_yaml_close(y);
	oms_node_free(more);
	if (r < 0) {
		oms_node_free(n);
		return OMS_EINPUT;
	}
	if (n == NULL || oms_node_is_null(n)) {
		omsi_fmt_err(err, errlen, "%s: no edit document: nothing changed", name);
		oms_node_free(n);
		return OMS_EINPUT;
	}
	rc = attempt(a, n, name, err, errlen);
	oms_node_free(n);
	return rc;
}

/* template writes the whole order as an edit document, to be changed in an editor. */
static int
template(struct oms *o, int64_t id, char **text, int64_t *version, char *err, size_t errlen)
{
	static const char *const addr[] = { "name", "company", "line1", "line2", "city",
		"region", "postal_code", "country" };
	struct edit x = { .o = o, .id = id };
	struct sku_sum s;
	char m[5][OMS_MONEY_MAX];
	size_t len, i, j, k;
	FILE *f;
	int rc;

	if ((rc = load(o, id, &x.cur)) != OMS_OK)
		return rc;
	if (x.cur.status == OMS_CANCELLED || x.cur.eff == OMS_SHIPPED) {
		omsi_fmt_err(err, errlen, "order %lld: cannot edit: it is %s", (long long)id,
		    x.cur.status == OMS_CANCELLED ? "cancelled" : "shipped");
		oms_doc_free(&x.cur.doc);
		return OMS_EINPUT;
	}
	if ((rc = load_lines(&x)) != OMS_OK || (f = open_memstream(text, &len)) == NULL) {
		free(x.lines);
		oms_doc_free(&x.cur.doc);
		return OMS_ESYS;
	}
	*version = x.cur.version;
	fprintf(f, "# Order %lld, version %lld, %s.  Change what is to change and save; empty\n"
	    "# the file to change nothing.  A field left empty is cleared.  A line's qty\n"
	    "# sets how many are ordered: 0, or the line taken out, cancels it; a new SKU\n"
	    "# adds a line.  See oms-order(1), EDIT.\n"
	    "# Amounts (%s): subtotal %s, discount %s, shipping %s, tax %s, total %s.\n"
	    "# The tax and discount follow the goods; to set one, or the shipping, give it:\n"
	    "# shipping: \"%s\"\n# tax: \"%s\"\n# discount: \"%s\"\n", (long long)id,
	    (long long)x.cur.version, oms_status_name(x.cur.status), x.cur.doc.currency,
	    money(m[0], x.cur.subtotal, &x), money(m[1], x.cur.doc.discount, &x),
	    money(m[2], x.cur.doc.shipping, &x), money(m[3], x.cur.doc.tax, &x),
	    money(m[4], x.cur.total, &x), m[2], m[3], m[1]);
	fputs("customer:\n", f);
	for (k = 0; k < 3; k++) {
		fprintf(f, "  %s: ", k == 0 ? "name" : k == 1 ? "email" : "phone");
		quoted(f, text_value(&x.cur.doc, k));
		fputc('\n', f);
	}
	for (k = T_SHIP_TO; k < T_METHOD; k++) {
		if (k == T_SHIP_TO || k == T_BILL_TO)
			fprintf(f, "%s:\n", k == T_SHIP_TO ? "ship_to" : "bill_to");
		fprintf(f, "  %s: ", addr[(k - T_SHIP_TO) % 8]);
		quoted(f, text_value(&x.cur.doc, k));
		fputc('\n', f);
	}
	fputs("ship_method: ", f);
	quoted(f, x.cur.doc.ship_method);
	fprintf(f, "\nship_complete: %s\npriority: %lld\nnotes: ", x.cur.doc.ship_complete < 0 ?
	    "~" : x.cur.doc.ship_complete ? "true" : "false", (long long)x.cur.doc.priority);
	quoted(f, x.cur.doc.notes);
	fputs("\nlines:\n", f);
	/* One entry a SKU, as an edit sets it. */
	for (i = 0; i < x.nlines; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(x.lines[j].sku, x.lines[i].sku) == 0)
				break;
		sku_sum(&x, x.lines[i].sku, &s);
		if (j < i || s.open == 0)
			continue;
		if (s.locked > 0)
			fprintf(f, "  # %lld picked, on a pick list or shipped: no fewer, at this price\n",
			    (long long)s.locked);
		fputs("  - sku: ", f);
		quoted(f, x.lines[i].sku);
		fprintf(f, "\n    qty: %lld\n    price: \"%s\"\n", (long long)s.open,
		    money(m[0], s.price, &x));
	}
	free(x.lines);
	oms_doc_free(&x.cur.doc);
	if (fclose(f) != 0) {
		free(*text);
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	return OMS_OK;
}

/* edited is the editor's check: the edited order is applied, or sent back with the error. */
static int
edited(FILE *f, void *arg, char *err, size_t errlen)
{
	struct attempt *a = arg;
	int rc = from_file(a, f, "edit", err, errlen);

	/* Someone changed the order meanwhile: this text is out of date; give up. */
	if (rc == OMS_EINPUT && a->stale) {
		oms_warnx("%s", err);
		return OMS_ESYS;
	}
	return rc;
}

int
oms_order_edit_run(struct oms *o, int64_t id, const struct oms_order_edit *e)
{
	struct attempt a = { .o = o, .id = id, .e = *e };
	struct oms_node *n;
	char err[1024], *buf = NULL, *text;
	FILE *in;
	int rc;

	err[0] = '\0';
	if (e->nlines > 0 || e->ship_method != NULL || e->priority != NULL) {
		if ((n = quick_node(e)) == NULL)
			return OMS_ESYS;
		rc = attempt(&a, n, "options", err, sizeof err);
		oms_node_free(n);
	} else if (isatty(STDIN_FILENO)) {
		/* The version it was opened at: an edit of an older one is refused. */
		if ((rc = template(o, id, &text, &a.e.if_version, err, sizeof err)) != OMS_OK) {
			if (rc == OMS_EINPUT && err[0] != '\0')
				oms_warnx("%s", err);
			return rc;
		}
		if (e->if_version > 0 && e->if_version != a.e.if_version) {
			omsi_fmt_err(err, sizeof err, "order %lld: changed since version %lld: it is"
			    " at version %lld now; nothing changed", (long long)id,
			    (long long)e->if_version, (long long)a.e.if_version);
			rc = OMS_EINPUT;
		} else {
			a.whole = 1;
			rc = oms_edit(text, edited, &a);
			if (rc == OMS_ESYS && a.stale)
				return OMS_EINPUT;
		}
		free(text);
	} else {
		/* The whole input first: the write lock is not held while a pipe is slow. */
		if ((in = omsi_slurp(stdin, "stdin", &buf)) == NULL)
			return OMS_ESYS;
		rc = from_file(&a, in, "stdin", err, sizeof err);
		fclose(in);
		free(buf);
	}
	if (rc == OMS_EINPUT && err[0] != '\0')
		oms_warnx("%s", err);
	return rc;
}
