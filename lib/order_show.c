/* order_show.c: an order as a person reads it (text) or a program does (the order document as json). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <oms/doc.h>
#include <oms/filter.h>
#include <oms/fmt.h>
#include <oms/ids.h>
#include <oms/money.h>
#include <oms/order.h>
#include <oms/returns.h>
#include <oms/ship.h>
#include <oms/diag.h>

#include "internal.h"

/* Columns of the orders row that show reads, in this order. */
static const char order_sql[] =
    "SELECT id, status, hold_reason, held_from, source, external_id, placed_at,"
    " customer_name, customer_email, customer_phone,"
    " ship_name, ship_company, ship_line1, ship_line2, ship_city, ship_region,"
    " ship_postal_code, ship_country,"
    " bill_name, bill_company, bill_line1, bill_line2, bill_city, bill_region,"
    " bill_postal_code, bill_country,"
    " ship_method, ship_complete, priority, currency, subtotal, discount, shipping, tax,"
    " total,"
    " payment_method, payment_token, payment_ref, payment_terms, notes, version,"
    " card_brand, card_last4, card_exp,"
    " (SELECT coalesce(sum(amount), 0) FROM payments WHERE order_id = orders.id AND"
    "  kind = 'authorize' AND status = 'succeeded' AND NOT EXISTS (SELECT 1 FROM payments v"
    "  WHERE v.parent_id = payments.id AND v.kind = 'void' AND v.status = 'succeeded')),"
    " (SELECT coalesce(sum(amount), 0) FROM payments WHERE order_id = orders.id AND"
    "  kind = 'capture' AND status = 'succeeded'),"
    " (SELECT coalesce(sum(amount), 0) FROM payments WHERE order_id = orders.id AND"
    "  kind = 'refund' AND status = 'succeeded'),"
    /* What the lines come to as ordered, and less what was cancelled. */
    " (SELECT coalesce(sum(qty * unit_price), 0) FROM order_lines WHERE order_id = orders.id),"
    " (SELECT coalesce(sum((qty - cancelled) * unit_price), 0) FROM order_lines"
    "  WHERE order_id = orders.id),"
    " (SELECT coalesce(sum(qty - cancelled), 0) FROM order_lines WHERE order_id = orders.id),"
    " (SELECT coalesce(sum(cancelled), 0) FROM order_lines WHERE order_id = orders.id)"
    " FROM orders WHERE id = ?";
enum { C_ID, C_STATUS, C_HOLD, C_HELD_FROM, C_SOURCE, C_EXT, C_PLACED, C_CNAME, C_CEMAIL,
	C_CPHONE, C_SHIP, C_BILL = C_SHIP + 8, C_METHOD = C_BILL + 8, C_COMPLETE, C_PRIORITY,
	C_CURRENCY, C_SUBTOTAL, C_DISCOUNT, C_SHIPPING, C_TAX, C_TOTAL, C_PAY, C_TOKEN, C_REF, C_TERMS,
	C_NOTES, C_VERSION, C_BRAND, C_LAST4, C_EXP, C_AUTHORIZED, C_CAPTURED, C_REFUNDED,
	C_BASE, C_KEPT, C_KEPT_UNITS, C_CANCELLED };

/* An order's amounts: as ordered, or as they stand. */
struct amounts {
	int64_t subtotal, discount, shipping, tax, total;
};

/*
 * current says what the order comes to now that some of it may have been
 * cancelled: the lines at what is left of them; tax and discount following
 * the goods as oms-ship charges them (omsi_prorate), so that the total is
 * what the order's shipments charge in all once everything has shipped;
 * the discount what is left over, so that the parts add up; shipping while
 * anything is left.  With nothing cancelled, the amounts as ordered.
 */
static void
current(struct omsi_stmt *st, struct amounts *was, struct amounts *now)
{
	int64_t base = omsi_col_int64(st, C_BASE), kept = omsi_col_int64(st, C_KEPT);

	was->subtotal = omsi_col_int64(st, C_SUBTOTAL);
	was->discount = omsi_col_int64(st, C_DISCOUNT);
	was->shipping = omsi_col_int64(st, C_SHIPPING);
	was->tax = omsi_col_int64(st, C_TAX);
	was->total = omsi_col_int64(st, C_TOTAL);
	*now = *was;
	if (omsi_col_int64(st, C_CANCELLED) == 0)
		return;
	now->subtotal = kept;
	now->shipping = omsi_col_int64(st, C_KEPT_UNITS) > 0 ? was->shipping : 0;
	now->tax = omsi_prorate(was->tax, kept, base);
	now->total = omsi_prorate(was->total - was->shipping, kept, base);
	now->discount = now->subtotal + now->tax - now->total;
	now->total += now->shipping;
}

static const char *const addr_keys[] = { "name", "company", "line1", "line2", "city",
	"region", "postal_code", "country" };

/*
 * Backordered is derived: what an order that has been through allocation
 * still waits for.  Before allocation nothing is backordered yet.
 */
static const char lines_sql[] =
    "SELECT l.line_no, l.sku, l.qty, l.allocated, l.picked, l.shipped, l.cancelled, l.returned,"
    " CASE WHEN coalesce(o.held_from, o.status) IN ('backordered','allocated','picking')"
    "  THEN l.qty - l.allocated - l.shipped - l.cancelled ELSE 0 END, unit_price,"
    /* A line without a SKU yet is described by what its source calls it. */
    " CASE WHEN l.sku = '' THEN 'no sku: ' || coalesce(l.item_key, '')"
    "  ELSE coalesce(i.description, '') END, l.external_line_id, l.item_key"
    " FROM order_lines l JOIN orders o ON o.id = l.order_id"
    " LEFT JOIN items i ON i.sku = l.sku WHERE l.order_id = ? ORDER BY line_no";

static const char events_sql[] =
    "SELECT at, user, tool, what, from_status, to_status, detail FROM events"
    " WHERE order_id = ? ORDER BY id";

static const struct oms_column history_cols[] = {
	{ "at", OMS_CELL_STR }, { "user", OMS_CELL_STR }, { "tool", OMS_CELL_STR },
	{ "what", OMS_CELL_STR }, { "from", OMS_CELL_STR }, { "to", OMS_CELL_STR },
	{ "detail", OMS_CELL_STR },
};

static json_t *
jstr(struct omsi_stmt *st, int col)
{
	const char *s = omsi_text(st, col);

	return s ? json_string(s) : json_null();
}

static json_t *
jaddr(struct omsi_stmt *st, int col)
{
	json_t *a;
	size_t i;
	int any = 0;

	for (i = 0; i < 8; i++)
		any |= !omsi_col_null(st, col + (int)i);
	if (!any)
		return json_null();
	if ((a = json_object()) == NULL)
		return NULL;
	for (i = 0; i < 8; i++)
		if (json_object_set_new(a, addr_keys[i], jstr(st, col + (int)i)) != 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *
jmoney(struct omsi_stmt *st, int col, const char *currency)
{
	char buf[OMS_MONEY_MAX];

	return json_string(oms_money_format(buf, omsi_col_int64(st, col), currency));
}

static int
set(json_t *obj, const char *key, json_t *v)
{
	return v == NULL || json_object_set_new(obj, key, v) != 0 ? -1 : 0;
}

/* jamounts is an order's amounts as a JSON object. */
static json_t *
jamounts(const struct amounts *a, const char *currency)
{
	char buf[OMS_MONEY_MAX];
	json_t *x = json_object();

	if (x == NULL || set(x, "subtotal", json_string(oms_money_format(buf, a->subtotal,
	    currency))) || set(x, "discount", json_string(oms_money_format(buf, a->discount,
	    currency))) || set(x, "shipping", json_string(oms_money_format(buf, a->shipping,
	    currency))) || set(x, "tax", json_string(oms_money_format(buf, a->tax, currency))) ||
	    set(x, "total", json_string(oms_money_format(buf, a->total, currency)))) {
		json_decref(x);
		return NULL;
	}
	return x;
}

/* show_json writes the order as one JSON object, after lead and before tail. */
static int
show_json(struct oms *o, struct omsi_stmt *st, FILE *out, const char *lead, const char *tail)
{
	json_t *doc = json_object(), *x, *lines, *hist;
	struct amounts was, now;
	char currency[4];
	struct omsi_stmt *q;
	int rc = -1, r = 0;
	char *s;
	int64_t id = omsi_col_int64(st, C_ID);

	snprintf(currency, sizeof currency, "%s", omsi_text(st, C_CURRENCY));
	current(st, &was, &now);
	if (doc == NULL || (x = json_object()) == NULL)
		goto out;
	r |= set(doc, "id", json_integer(id));
	r |= set(doc, "status", jstr(st, C_STATUS));
	r |= set(doc, "hold_reason", jstr(st, C_HOLD));
	r |= set(doc, "held_from", jstr(st, C_HELD_FROM));
	r |= set(doc, "version", json_integer(omsi_col_int64(st, C_VERSION)));
	r |= set(doc, "external_id", jstr(st, C_EXT));
	r |= set(doc, "source", jstr(st, C_SOURCE));
	r |= set(doc, "placed_at", jstr(st, C_PLACED));
	r |= set(x, "name", jstr(st, C_CNAME));
	r |= set(x, "email", jstr(st, C_CEMAIL));
	r |= set(x, "phone", jstr(st, C_CPHONE));
	r |= set(doc, "customer", x);
	r |= set(doc, "ship_to", jaddr(st, C_SHIP));
	r |= set(doc, "bill_to", jaddr(st, C_BILL));
	r |= set(doc, "ship_method", jstr(st, C_METHOD));
	r |= set(doc, "ship_complete", omsi_col_null(st, C_COMPLETE) ?
	    json_null() : json_boolean(omsi_col_int(st, C_COMPLETE)));
	r |= set(doc, "priority", json_integer(omsi_col_int64(st, C_PRIORITY)));
	r |= set(doc, "currency", json_string(currency));
	r |= set(doc, "subtotal", jmoney(st, C_SUBTOTAL, currency));
	r |= set(doc, "discount", jmoney(st, C_DISCOUNT, currency));
	r |= set(doc, "shipping", jmoney(st, C_SHIPPING, currency));
	r |= set(doc, "tax", jmoney(st, C_TAX, currency));
	r |= set(doc, "total", jmoney(st, C_TOTAL, currency));
	r |= set(doc, "current", jamounts(&now, currency));
	if ((x = json_object()) == NULL)
		goto out;
	r |= set(x, "method", jstr(st, C_PAY));
	if (!omsi_col_null(st, C_TOKEN))
		r |= set(x, "token", jstr(st, C_TOKEN));
	if (!omsi_col_null(st, C_REF))
		r |= set(x, "reference", jstr(st, C_REF));
	if (!omsi_col_null(st, C_TERMS))
		r |= set(x, "terms", jstr(st, C_TERMS));
	if (!omsi_col_null(st, C_LAST4)) {
		json_t *card = json_object();

		if (card == NULL)
			goto out;
		r |= set(card, "brand", jstr(st, C_BRAND));
		r |= set(card, "last4", jstr(st, C_LAST4));
		r |= set(card, "exp", jstr(st, C_EXP));
		r |= set(x, "card", card);
	}
	/* What the gateway holds: live authorizations, captures, refunds. */
	r |= set(x, "authorized", jmoney(st, C_AUTHORIZED, currency));
	r |= set(x, "captured", jmoney(st, C_CAPTURED, currency));
	r |= set(x, "refunded", jmoney(st, C_REFUNDED, currency));
	r |= set(doc, "payment", x);
	r |= set(doc, "notes", jstr(st, C_NOTES));
	omsi_reset(st);
	if (r != 0 || (lines = json_array()) == NULL || set(doc, "lines", lines) != 0)
		goto out;
	if ((q = omsi_stmt(o, lines_sql, "i", id)) == NULL)
		goto out;
	while ((rc = omsi_step(o, q)) == OMSI_ROW) {
		static const char *const qk[] = { "qty", "allocated", "picked", "shipped",
			"cancelled", "returned", "backordered" };
		int i;

		if ((x = json_object()) == NULL || json_array_append_new(lines, x) != 0)
			break;
		r |= set(x, "sku", jstr(q, 1));
		for (i = 0; i < 7; i++)
			r |= set(x, qk[i], json_integer(omsi_col_int64(q, 2 + i)));
		r |= set(x, "price", jmoney(q, 9, currency));
		r |= set(x, "description", jstr(q, 10));
		r |= set(x, "line_id", jstr(q, 11));
		if (!omsi_col_null(q, 12))
			r |= set(x, "item_key", jstr(q, 12));
	}
	omsi_reset(q);
	if (rc != OMSI_DONE || r != 0)
		goto fail;
	if ((hist = json_array()) == NULL || set(doc, "shipments", hist) != 0 ||
	    (q = omsi_stmt(o, "SELECT id, status, carrier, service, tracking, shipped_at FROM"
	    " shipments WHERE order_id = ? ORDER BY id", "i", id)) == NULL)
		goto fail;
	while ((rc = omsi_step(o, q)) == OMSI_ROW) {
		if ((x = json_object()) == NULL || json_array_append_new(hist, x) != 0)
			break;
		r |= set(x, "id", json_integer(omsi_col_int64(q, 0)));
		r |= set(x, "status", jstr(q, 1));
		r |= set(x, "carrier", jstr(q, 2));
		r |= set(x, "service", jstr(q, 3));
		r |= set(x, "tracking", jstr(q, 4));
		r |= set(x, "shipped_at", jstr(q, 5));
	}
	omsi_reset(q);
	if (rc != OMSI_DONE || r != 0)
		goto fail;
	if (set(doc, "returns", oms_return_order_json(o, id)) != 0)
		goto fail;
	if ((hist = json_array()) == NULL || set(doc, "history", hist) != 0 ||
	    (q = omsi_stmt(o, events_sql, "i", id)) == NULL)
		goto fail;
	while ((rc = omsi_step(o, q)) == OMSI_ROW) {
		int i;

		if ((x = json_object()) == NULL || json_array_append_new(hist, x) != 0)
			break;
		for (i = 0; i < 7; i++)
			r |= set(x, history_cols[i].name, jstr(q, i));
	}
	omsi_reset(q);
	if (rc != OMSI_DONE || r != 0)
		goto fail;
	if ((s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) == NULL)
		goto fail;
	fprintf(out, "%s%s%s", lead, s, tail);
	free(s);
	rc = 0;
	goto out;
fail:
	rc = -1;
out:
	if (rc != 0 && r != 0)
		oms_warnx("out of memory");
	json_decref(doc);
	return rc == 0 ? OMS_OK : OMS_ESYS;
}

static void
field(FILE *out, const char *key, const char *v)
{
	if (v != NULL && *v != '\0')
		fprintf(out, "%-12s %s\n", key, v);
}

static void
show_address(FILE *out, const char *key, struct omsi_stmt *st, int col)
{
	const char *v[8];
	char cityline[512];
	int i;

	for (i = 0; i < 8; i++)
		v[i] = omsi_text(st, col + i);
	if (v[0] == NULL && v[2] == NULL)
		return;
	snprintf(cityline, sizeof cityline, "%s%s%s%s%s", v[4] ? v[4] : "",
	    v[5] ? " " : "", v[5] ? v[5] : "", v[6] ? "  " : "", v[6] ? v[6] : "");
	const char *rows[] = { v[0], v[1], v[2], v[3], cityline, v[7] };
	for (i = 0; i < 6; i++) {
		if (rows[i] == NULL || *rows[i] == '\0')
			continue;
		fprintf(out, "%-12s %s\n", key, rows[i]);
		key = "";
	}
}

static void
show_amounts(FILE *out, const char *key, const struct amounts *a, const char *currency)
{
	char buf[5][OMS_MONEY_MAX], line[256];

	snprintf(line, sizeof line, "subtotal %s  %s%s%sshipping %s  tax %s  total %s %s",
	    oms_money_format(buf[0], a->subtotal, currency), a->discount ? "discount -" : "",
	    a->discount ? oms_money_format(buf[4], a->discount, currency) : "",
	    a->discount ? "  " : "", oms_money_format(buf[1], a->shipping, currency),
	    oms_money_format(buf[2], a->tax, currency),
	    oms_money_format(buf[3], a->total, currency), currency);
	field(out, key, line);
}

static int
show_text(struct oms *o, struct omsi_stmt *st, enum oms_format f, FILE *out)
{
	struct amounts was, now;
	static const struct oms_column cols[] = {
		{ "line", OMS_CELL_INT }, { "sku", OMS_CELL_STR }, { "qty", OMS_CELL_INT },
		{ "allocated", OMS_CELL_INT }, { "picked", OMS_CELL_INT },
		{ "shipped", OMS_CELL_INT }, { "cancelled", OMS_CELL_INT },
		{ "returned", OMS_CELL_INT }, { "backordered", OMS_CELL_INT },
		{ "price", OMS_CELL_AMOUNT }, { "description", OMS_CELL_STR },
	};
	char currency[4], buf[5][OMS_MONEY_MAX], line[256];
	int64_t id = omsi_col_int64(st, C_ID), n;
	struct oms_table *t;
	struct omsi_stmt *q;
	const char *cells[11];
	int rc, i;

	snprintf(currency, sizeof currency, "%s", omsi_text(st, C_CURRENCY));
	snprintf(line, sizeof line, "%s%s%s%s", omsi_text(st, C_STATUS),
	    omsi_text(st, C_HOLD) ? " (" : "", omsi_text(st, C_HOLD) ? omsi_text(st, C_HOLD) : "",
	    omsi_text(st, C_HOLD) ? ")" : "");
	fprintf(out, "%-12s %lld\n", "order", (long long)id);
	field(out, "status", line);
	if (omsi_text(st, C_HELD_FROM))
		field(out, "held from", omsi_text(st, C_HELD_FROM));
	snprintf(line, sizeof line, "%s%s%s", omsi_text(st, C_SOURCE),
	    omsi_text(st, C_EXT) ? " " : "", omsi_text(st, C_EXT) ? omsi_text(st, C_EXT) : "");
	field(out, "source", line);
	field(out, "placed", omsi_text(st, C_PLACED));
	field(out, "customer", omsi_text(st, C_CNAME));
	field(out, "email", omsi_text(st, C_CEMAIL));
	field(out, "phone", omsi_text(st, C_CPHONE));
	show_address(out, "ship to", st, C_SHIP);
	show_address(out, "bill to", st, C_BILL);
	snprintf(line, sizeof line, "%s%s", omsi_text(st, C_METHOD) ? omsi_text(st, C_METHOD) : "",
	    omsi_col_null(st, C_COMPLETE) ? "" :
	    omsi_col_int(st, C_COMPLETE) ? " (ship complete)" : " (split)");
	field(out, "ship method", line);
	field(out, "priority", omsi_text(st, C_PRIORITY));
	snprintf(line, sizeof line, "%s%s%s%s%s", omsi_text(st, C_PAY),
	    omsi_text(st, C_TERMS) ? ", terms " : "", omsi_text(st, C_TERMS) ? omsi_text(st, C_TERMS) : "",
	    omsi_text(st, C_REF) ? ", reference " : "", omsi_text(st, C_REF) ? omsi_text(st, C_REF) : "");
	field(out, "payment", line);
	if (omsi_text(st, C_LAST4) != NULL) {
		snprintf(line, sizeof line, "%s ending %s, expires %s", omsi_text(st, C_BRAND),
		    omsi_text(st, C_LAST4), omsi_text(st, C_EXP) ? omsi_text(st, C_EXP) : "?");
		field(out, "card", line);
	}
	if (omsi_col_int64(st, C_AUTHORIZED) || omsi_col_int64(st, C_CAPTURED) ||
	    omsi_col_int64(st, C_REFUNDED)) {
		snprintf(line, sizeof line, "authorized %s  captured %s  refunded %s",
		    oms_money_format(buf[0], omsi_col_int64(st, C_AUTHORIZED), currency),
		    oms_money_format(buf[1], omsi_col_int64(st, C_CAPTURED), currency),
		    oms_money_format(buf[2], omsi_col_int64(st, C_REFUNDED), currency));
		field(out, "money", line);
	}
	field(out, "notes", omsi_text(st, C_NOTES));
	current(st, &was, &now);
	show_amounts(out, "amounts", &now, currency);
	if (memcmp(&was, &now, sizeof was) != 0)
		show_amounts(out, "as ordered", &was, currency);
	omsi_reset(st);
	fputc('\n', out);
	if ((q = omsi_stmt(o, lines_sql, "i", id)) == NULL ||
	    (t = oms_table_new(out, f, cols, 11)) == NULL)
		return OMS_ESYS;
	while ((rc = omsi_step(o, q)) == OMSI_ROW) {
		for (i = 0; i < 9; i++)
			cells[i] = omsi_text(q, i);
		cells[9] = oms_money_format(buf[0], omsi_col_int64(q, 9), currency);
		cells[10] = omsi_text(q, 10);
		if (oms_table_row(t, cells) != OMS_OK)
			break;
	}
	omsi_reset(q);
	if (oms_table_end(t) != OMS_OK || rc != OMSI_DONE)
		return OMS_ESYS;
	if (omsi_int(o, &n, "SELECT count(*) FROM shipments WHERE order_id = ?", "i", id) != OMS_OK)
		return OMS_ESYS;
	if (n > 0) {
		fputs("\nshipments\n", out);
		if ((rc = oms_ship_list(o, id, f, out)) != OMS_OK)
			return rc;
	}
	if ((rc = oms_return_show_order(o, id, f, out)) != OMS_OK)
		return rc;
	fputs("\nhistory\n", out);
	return oms_order_history(o, id, f, out);
}

/* show_one prints an order; JSON between lead and tail. */
static int
show_one(struct oms *o, int64_t id, enum oms_format f, FILE *out, const char *lead,
    const char *tail)
{
	struct omsi_stmt *st = omsi_stmt(o, order_sql, "i", id);
	int rc;

	if ((rc = omsi_order_row(o, st, id)) != OMS_OK)
		return rc;
	if (f == OMS_FMT_JSON)
		return show_json(o, st, out, lead, tail);
	return show_text(o, st, f, out);
}

int
oms_order_show(struct oms *o, int64_t id, enum oms_format f, FILE *out)
{
	return show_one(o, id, f, out, "", "\n");
}

/* A run of oms-order show: the orders printed so far, and whether as one JSON array. */
struct show_run {
	enum oms_format f;
	int array;
	size_t n;
};

/* show_step prints one order; a filter step that changes nothing. */
static enum oms_step
show_step(struct oms *o, int64_t id, void *arg)
{
	struct show_run *r = arg;
	int rc;

	if (r->f != OMS_FMT_JSON) {
		if ((rc = show_one(o, id, r->f, stdout, "", "")) == OMS_OK)
			putchar('\n');
	} else if (r->array) {
		rc = show_one(o, id, r->f, stdout, r->n > 0 ? ",\n" : "\n", "");
	} else {
		rc = show_one(o, id, r->f, stdout, "", "\n");
	}
	r->n += rc == OMS_OK;
	return rc == OMS_OK ? OMS_STEP_DONE : rc == OMS_EINPUT ? OMS_STEP_REJECT : OMS_STEP_FAIL;
}

/*
 * resolve reads an argument of show, an order ID or SOURCE:EXTERNAL_ID:
 * 1 with the order's ID, 0 when it names none (reported), -1 on error.
 */
static int
resolve(struct oms *o, int i, const char *arg, int64_t *id)
{
	char hash[OMS_DOC_HASH_MAX], shown[41], *source;
	const char *colon;
	int rc;

	if (oms_id_parse(arg, id) == 0)
		return 1;
	if ((colon = strchr(arg, ':')) == NULL || colon == arg || colon[1] == '\0') {
		oms_warnx("argument %d: not an order ID: \"%s\"", i + 1,
		    omsi_shown(arg, shown, sizeof shown));
		return 0;
	}
	if ((source = strndup(arg, (size_t)(colon - arg))) == NULL) {
		oms_warnx("out of memory");
		return -1;
	}
	if ((rc = oms_order_find(o, source, colon + 1, id, hash)) == 0)
		oms_warnx("order %s: no such order", omsi_shown(arg, shown, sizeof shown));
	free(source);
	return rc;
}

int
oms_order_show_run(struct oms *o, char **args, int nargs)
{
	struct show_run r = { oms_opts_of(o)->format, 0, 0 };
	struct oms_filter f = { .step = show_step, .arg = &r, .readonly = 1 };
	int64_t *ids;
	size_t n = 0;
	int i, k, rc, status = OMS_OK;

	/* An object for the one order asked for by name; else an array, [] for none. */
	r.array = r.f == OMS_FMT_JSON && nargs != 1;
	if (r.array)
		fputc('[', stdout);
	if (nargs == 0) {
		rc = oms_filter_run(o, &f, NULL, 0);
	} else {
		if ((ids = omsi_calloc((size_t)nargs, sizeof *ids)) == NULL)
			return OMS_ESYS;
		for (i = 0; i < nargs; i++) {
			if ((k = resolve(o, i, args[i], &ids[n])) < 0) {
				free(ids);
				return OMS_ESYS;
			}
			if (k == 0)
				status = OMS_EINPUT;
			n += k;
		}
		rc = oms_filter_run_ids(o, &f, ids, n);
		free(ids);
	}
	if (r.array && rc != OMS_ESYS)
		fputs(r.n > 0 ? "\n]\n" : "]\n", stdout);
	return rc > status ? rc : status;
}

int
oms_order_history(struct oms *o, int64_t id, enum oms_format f, FILE *out)
{
	struct omsi_stmt *st;
	struct oms_table *t;
	enum oms_status s;
	int rc;

	if ((rc = oms_order_status(o, id, &s, NULL)) != OMS_OK)
		return rc;
	if ((st = omsi_stmt(o, events_sql, "i", id)) == NULL ||
	    (t = oms_table_new(out, f, history_cols, 7)) == NULL)
		return OMS_ESYS;
	rc = omsi_rows_to_table(o, st, t, 7, NULL);
	if (oms_table_end(t) != OMS_OK)
		return OMS_ESYS;
	return rc;
}
