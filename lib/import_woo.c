/*
 * import_woo.c: WooCommerce orders, as the store's REST API (v3) writes
 * them: from a file (one order object, or a list of them) or paged from the
 * store itself.  Each order becomes an order document, so it is checked as
 * every other document is (card numbers, control characters, lengths), and
 * goes to the importer, which adds it once.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include <oms/doc.h>
#include <oms/http.h>
#include <oms/import.h>
#include <oms/money.h>
#include <oms/node.h>
#include <oms/oms.h>
#include <oms/pan.h>
#include <oms/time.h>
#include <oms/woo.h>
#include <oms/diag.h>

#include "internal.h"

/* A file bigger than this is refused: jansson holds all of it, several times over, at once. */
#define MAX_INPUT	((size_t)64 << 20)
/* All the pages of one run, together. */
#define MAX_FETCHED	((size_t)1 << 30)
/* WooCommerce's largest page. */
#define PER_PAGE	100
/* Past this many pages a store's paging is broken, not big. */
#define MAX_PAGES	100000
/* What --from asks for unless OMS_WOO_STATUS says otherwise: paid, or waiting for payment. */
#define DEFAULT_STATUS	"processing,on-hold"

/* The external IDs one run has seen, so an order listed twice is caught. */
struct seen {
	char **ids;		/* open addressing; NULL is a free slot */
	size_t *first;		/* where each was first seen: its place in the input */
	size_t cap, n;
};

/* One run of a reader. */
struct woo {
	struct oms_import *imp;
	int store;		/* pages of a store: an order on two pages is taken once, quietly */
	struct seen seen;
	size_t count;		/* orders read so far, for struct seen */
};

/* One order being mapped: where it is, for messages. */
struct map {
	char *err;
	size_t errlen;
	const char *currency;
	int digits;		/* the currency's minor digits */
	const char *cancelled;	/* the store's status says it was cancelled or refunded */
};

/* A page fetched from a store, kept until all of them are in. */
struct page {
	char *body;
	size_t len;
};

static int
bad(struct map *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* bad writes why an order cannot be taken and returns -1. */
static int
bad(struct map *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->err, m->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* kind names a JSON value's type for messages. */
static const char *
kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "a list";
	case JSON_STRING:
		return "text";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "true or false";
	case JSON_NULL:
		return "null";
	}
	return "?";
}

/* hash is FNV-1a, for struct seen. */
static uint64_t
hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/*
 * seen_add notes an external ID at place idx: 0 when new, 1 when seen
 * before (*first says where), -1 when out of memory.
 */
static int
seen_add(struct seen *s, const char *id, size_t idx, size_t *first)
{
	size_t i, j, ncap;
	char **ids;
	size_t *fst;

	if (s->n + 1 > s->cap / 2) {
		ncap = s->cap ? s->cap * 2 : 256;
		if ((ids = calloc(ncap, sizeof *ids)) == NULL ||
		    (fst = calloc(ncap, sizeof *fst)) == NULL) {
			free(ids);
			return -1;
		}
		for (i = 0; i < s->cap; i++) {
			if (s->ids[i] == NULL)
				continue;
			for (j = hash(s->ids[i]) & (ncap - 1); ids[j] != NULL; j = (j + 1) & (ncap - 1))
				;
			ids[j] = s->ids[i];
			fst[j] = s->first[i];
		}
		free(s->ids);
		free(s->first);
		s->ids = ids;
		s->first = fst;
		s->cap = ncap;
	}
	for (i = hash(id) & (s->cap - 1); s->ids[i] != NULL; i = (i + 1) & (s->cap - 1))
		if (strcmp(s->ids[i], id) == 0) {
			*first = s->first[i];
			return 1;
		}
	if ((s->ids[i] = strdup(id)) == NULL)
		return -1;
	s->first[i] = idx;
	s->n++;
	return 0;
}

static void
seen_free(struct seen *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->ids[i]);
	free(s->ids);
	free(s->first);
	memset(s, 0, sizeof *s);
}

/*
 * card refuses a text value that holds a card number, whatever the member
 * (read for the order or only looked at, as the status is): -1 when it
 * does.  Nothing that follows can quote it then.
 */
static int
card(struct map *m, const json_t *v, const char *what)
{
	if (json_is_string(v) && oms_pan_hasn(json_string_value(v), json_string_length(v)))
		return bad(m, "%s: holds what looks like a card number; refused (not stored)", what);
	return 0;
}

/*
 * str reads a text member: 0 with *out the text, or NULL when it is
 * missing, null or empty; -1 (reported) when it is something else.
 */
static int
str(struct map *m, const json_t *obj, const char *key, const char *what, const char **out)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return bad(m, "%s: expected text, found %s", what, kind(v));
	/* The gateway's transaction ID is the cart's own identifier: exempt, as payment.reference. */
	if (strcmp(key, "transaction_id") != 0 && card(m, v, what))
		return -1;
	if (*json_string_value(v) != '\0')
		*out = json_string_value(v);
	return 0;
}

/* Flags for amount. */
enum {
	OPTIONAL = 1,	/* missing is 0 */
	SIGNED = 2	/* may be negative */
};

/*
 * amount reads a money member, exact: WooCommerce writes amounts as text
 * ("19.99"); a whole number is taken too, but never a fraction as a JSON
 * number, which could only come to us rounded.  Trailing zeros past the
 * currency's digits ("19.990") are dropped.
 */
static int
amount(struct map *m, const json_t *obj, const char *key, const char *what, int flags,
    int64_t *out)
{
	const json_t *v = json_object_get(obj, key);
	char buf[64], sh[48], *dot;
	size_t len, keep;

	*out = 0;
	if (v == NULL || json_is_null(v) || (json_is_string(v) && *json_string_value(v) == '\0')) {
		if (flags & OPTIONAL)
			return 0;
		return bad(m, "%s: missing", what);
	}
	if (card(m, v, what))
		return -1;
	if (json_is_integer(v)) {
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
		if (oms_pan_has(buf))
			return bad(m, "%s: holds what looks like a card number; refused (not stored)",
			    what);
	} else if (json_is_string(v)) {
		if (strlen(json_string_value(v)) >= sizeof buf)
			return bad(m, "%s: \"%s\" is not an amount in %s", what,
			    omsi_shown(json_string_value(v), sh, 41), m->currency);
		snprintf(buf, sizeof buf, "%s", json_string_value(v));
		if ((dot = strchr(buf, '.')) != NULL && dot[1] != '\0') {
			keep = (size_t)(dot - buf) + 1 + (size_t)m->digits;
			for (len = strlen(buf); len > keep && buf[len - 1] == '0'; len--)
				buf[len - 1] = '\0';
			/* "1500.00" in JPY: no fraction digits left, so no point. */
			if (buf[len - 1] == '.')
				buf[len - 1] = '\0';
		}
	} else {
		return bad(m, "%s: expected an amount as text (\"19.99\"), found %s", what, kind(v));
	}
	if (oms_money_parse(buf, m->currency, out) != 0)
		return bad(m, "%s: \"%s\" is not an amount in %s%s", what,
		    omsi_shown(json_is_string(v) ? json_string_value(v) : buf, sh, 41), m->currency,
		    errno == ERANGE ? " (too many digits)" : "");
	if (*out < 0 && !(flags & SIGNED))
		return bad(m, "%s: \"%s\" is negative", what, omsi_shown(buf, sh, 41));
	return 0;
}

/* put adds a text field to a document node; NULL or "" is not given and adds nothing. */
static int
put(struct map *m, struct oms_node *map, const char *key, const char *value)
{
	if (value == NULL || *value == '\0')
		return 0;
	if (oms_node_add(map, key, oms_node_new(OMS_NODE_SCALAR, value)) != 0)
		return bad(m, "out of memory");
	return 0;
}

/* full_name joins a first and a last name; NULL when both are empty, or out of memory (*nomem). */
static char *
full_name(const char *first, const char *last, int *nomem)
{
	char *s;

	if (first == NULL && last == NULL)
		return NULL;
	if (asprintf(&s, "%s%s%s", first ? first : "", first && last ? " " : "",
	    last ? last : "") < 0) {
		*nomem = 1;
		return NULL;
	}
	return s;
}

/*
 * address maps a WooCommerce billing or shipping object to an address
 * node under key; *given says whether it held anything at all (shipping is
 * empty for orders with nothing to ship, and billing stands in).
 */
static int
address(struct map *m, const json_t *src, const char *what, struct oms_node *root,
    const char *key, int *given)
{
	static const char *const from[] = { "company", "address_1", "address_2", "city", "state",
		"postcode", "country", NULL };
	static const char *const to[] = { "company", "line1", "line2", "city", "region",
		"postal_code", "country", NULL };
	const char *v[8], *first, *last;
	char what2[64], *name;
	struct oms_node *a;
	int nomem = 0;
	size_t i;

	*given = 0;
	if (src == NULL || json_is_null(src))
		return 0;
	if (!json_is_object(src))
		return bad(m, "%s: expected an object, found %s", what, kind(src));
	snprintf(what2, sizeof what2, "%s.first_name", what);
	if (str(m, src, "first_name", what2, &first))
		return -1;
	snprintf(what2, sizeof what2, "%s.last_name", what);
	if (str(m, src, "last_name", what2, &last))
		return -1;
	for (i = 0; from[i] != NULL; i++) {
		snprintf(what2, sizeof what2, "%s.%s", what, from[i]);
		if (str(m, src, from[i], what2, &v[i]))
			return -1;
		/* The store fills in its own state and country where a customer left them. */
		if (v[i] != NULL && strcmp(from[i], "state") != 0 && strcmp(from[i], "country") != 0)
			*given = 1;
	}
	if (first == NULL && last == NULL && !*given)
		return 0;
	*given = 1;
	if ((a = oms_node_new(OMS_NODE_MAP, NULL)) == NULL ||
	    oms_node_add(root, key, a) != 0)
		return bad(m, "out of memory");
	name = full_name(first, last, &nomem);
	if (nomem || put(m, a, "name", name)) {
		free(name);
		return bad(m, "out of memory");
	}
	free(name);
	for (i = 0; to[i] != NULL; i++)
		if (put(m, a, to[i], v[i]))
			return -1;
	return 0;
}

/* quantity reads a line's quantity: a whole number from 1 to 10^9 (as a number or as text). */
static int
quantity(struct map *m, const json_t *item, size_t i, int64_t *qty)
{
	const json_t *v = json_object_get(item, "quantity");
	char sh[48];

	if (v == NULL || json_is_null(v))
		return bad(m, "line_items %zu: quantity: missing", i);
	snprintf(sh, sizeof sh, "line_items %zu: quantity", i);
	if (card(m, v, sh))
		return -1;
	if (json_is_integer(v) && json_integer_value(v) >= 1 &&
	    json_integer_value(v) <= 1000000000) {
		*qty = json_integer_value(v);
		return 0;
	}
	if (json_is_string(v) && oms_qty_parse(json_string_value(v), qty) == 0 && *qty > 0)
		return 0;
	if (json_is_string(v))
		return bad(m, "line_items %zu: quantity: \"%s\" is not a positive whole number", i,
		    omsi_shown(json_string_value(v), sh, 41));
	if (json_is_integer(v))
		return bad(m, "line_items %zu: quantity: %lld is not a positive whole number", i,
		    (long long)json_integer_value(v));
	return bad(m, "line_items %zu: quantity: expected a whole number, found %s", i, kind(v));
}

/*
 * add_line adds a line {sku, qty, price, line_id} to the document's list;
 * a line without a SKU gives its key (item_key) instead.
 */
static int
add_line(struct map *m, struct oms_node *lines, const char *sku, const char *key, int64_t qty,
    int64_t price, const char *line_id)
{
	struct oms_node *l;
	char q[24], p[OMS_MONEY_MAX];

	snprintf(q, sizeof q, "%lld", (long long)qty);
	oms_money_format(p, price, m->currency);
	if ((l = oms_node_new(OMS_NODE_MAP, NULL)) == NULL || oms_node_add(lines, NULL, l) != 0 ||
	    put(m, l, "sku", sku) || put(m, l, "item_key", sku ? NULL : key) ||
	    put(m, l, "qty", q) || put(m, l, "price", p) || put(m, l, "line_id", line_id))
		return bad(m, "out of memory");
	return 0;
}

/*
 * product_key is what a line without a SKU is known by: its product_id, and
 * its variation_id after a slash when it is a variation ("93", "22/23"),
 * the IDs the store's own admin shows; -1 when it has no product_id.
 */
static int
product_key(const json_t *item, char buf[48])
{
	const json_t *p = json_object_get(item, "product_id");
	const json_t *v = json_object_get(item, "variation_id");

	if (!json_is_integer(p) || json_integer_value(p) <= 0)
		return -1;
	if (json_is_integer(v) && json_integer_value(v) > 0)
		snprintf(buf, 48, "%lld/%lld", (long long)json_integer_value(p),
		    (long long)json_integer_value(v));
	else
		snprintf(buf, 48, "%lld", (long long)json_integer_value(p));
	return 0;
}

/* line_id reads a line item's own ID, the store's order item ID; "" when it has none. */
static int
line_id(struct map *m, const json_t *item, size_t i, char buf[32])
{
	const json_t *v = json_object_get(item, "id");

	buf[0] = '\0';
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		snprintf(buf, 32, "%lld", (long long)json_integer_value(v));
		return 0;
	}
	/* A proxy or plugin that writes IDs as text says the same. */
	if (json_is_string(v) && json_string_length(v) < 32 &&
	    strlen(json_string_value(v)) == json_string_length(v)) {
		snprintf(buf, 32, "%s", json_string_value(v));
		return 0;
	}
	return bad(m, "line_items %zu: id: expected a whole number, found %s", i, kind(v));
}

/*
 * items maps line_items to lines and adds up their subtotals.  The unit
 * price is the line's subtotal (before coupons, which the order's discount
 * carries) over its quantity, exactly.  When that does not divide (tax-
 * inclusive prices, bundle pricing), the line becomes two lines of the same
 * SKU a cent apart, so that they add up to the subtotal exactly: 3 for
 * 10.00 is 2 at 3.33 and 1 at 3.34 (as the Amazon reader does).  The JSON
 * number "price" is never read: it is a float.
 */
static int
items(struct map *m, const json_t *o, struct oms_node *root, int64_t *sum)
{
	const json_t *li = json_object_get(o, "line_items"), *item;
	struct oms_node *lines;
	const char *sku, *name;
	char what[64], sh[48], id[32], key[48];
	int64_t qty, sub, unit, rem;
	size_t i;

	*sum = 0;
	if (li == NULL || json_is_null(li) || (json_is_array(li) && json_array_size(li) == 0))
		return bad(m, "line_items: the order has no lines");
	if (!json_is_array(li))
		return bad(m, "line_items: expected a list, found %s", kind(li));
	if ((lines = oms_node_new(OMS_NODE_SEQ, NULL)) == NULL ||
	    oms_node_add(root, "lines", lines) != 0)
		return bad(m, "out of memory");
	json_array_foreach(li, i, item) {
		if (!json_is_object(item))
			return bad(m, "line_items %zu: expected an object, found %s", i + 1,
			    kind(item));
		snprintf(what, sizeof what, "line_items %zu: sku", i + 1);
		if (str(m, item, "sku", what, &sku))
			return -1;
		/* The store's documented example sells one: resolved through an alias. */
		if (sku == NULL && product_key(item, key) != 0) {
			snprintf(what, sizeof what, "line_items %zu: name", i + 1);
			if (str(m, item, "name", what, &name))
				return -1;
			return bad(m, "line_items %zu (\"%s\"): neither a SKU nor a product_id",
			    i + 1, name ? omsi_shown(name, sh, 41) : "");
		}
		snprintf(what, sizeof what, "line_items %zu: subtotal", i + 1);
		if (quantity(m, item, i + 1, &qty) || amount(m, item, "subtotal", what, 0, &sub))
			return -1;
		if (__builtin_add_overflow(*sum, sub, sum))
			return bad(m, "the order's total is too large");
		if (line_id(m, item, i + 1, id))
			return -1;
		unit = sub / qty;
		rem = sub % qty;
		if (add_line(m, lines, sku, key, qty - rem, unit, id) ||
		    (rem != 0 && add_line(m, lines, sku, key, rem, unit + 1, id)))
			return -1;
	}
	return 0;
}

/* fees refuses an order with fees: an order document has no place for them. */
static int
fees(struct map *m, const json_t *o)
{
	const json_t *fl = json_object_get(o, "fee_lines"), *f;
	const char *name;
	char sh[48], what[64], a[OMS_MONEY_MAX];
	int64_t total;
	size_t i;

	if (fl == NULL || json_is_null(fl))
		return 0;
	if (!json_is_array(fl))
		return bad(m, "fee_lines: expected a list, found %s", kind(fl));
	json_array_foreach(fl, i, f) {
		if (!json_is_object(f))
			return bad(m, "fee_lines %zu: expected an object, found %s", i + 1, kind(f));
		snprintf(what, sizeof what, "fee_lines %zu: name", i + 1);
		if (str(m, f, "name", what, &name))
			return -1;
		/* A fee can be negative: a discount by another name. */
		snprintf(what, sizeof what, "fee_lines %zu: total", i + 1);
		if (amount(m, f, "total", what, OPTIONAL | SIGNED, &total))
			return -1;
		if (total != 0)
			return bad(m, "has a fee (\"%s\", %s), which oms cannot carry: not imported",
			    name ? omsi_shown(name, sh, 41) : "", oms_money_format(a, total, m->currency));
	}
	return 0;
}

/*
 * payment maps the order's status to how it is paid: processing or
 * completed with a payment date is prepaid, with the gateway's transaction
 * as the reference; on-hold, pending, or processing without a payment date
 * (cash on delivery, say) is a card still to be authorized.  Any other
 * status (cancelled, refunded, failed, trash, checkout-draft, a plugin's
 * own) is refused.
 */
static int
payment(struct map *m, const json_t *o, struct oms_node *root)
{
	const char *status, *paid, *paid_gmt, *txn;
	struct oms_node *p;
	char sh[48];
	int prepaid;

	if (str(m, o, "status", "status", &status))
		return -1;
	if (status == NULL)
		return bad(m, "status: missing");
	if (strcmp(status, "processing") == 0 || strcmp(status, "completed") == 0) {
		if (str(m, o, "date_paid_gmt", "date_paid_gmt", &paid_gmt) ||
		    str(m, o, "date_paid", "date_paid", &paid))
			return -1;
		prepaid = paid_gmt != NULL || paid != NULL;
	} else if (strcmp(status, "on-hold") == 0 || strcmp(status, "pending") == 0) {
		prepaid = 0;
	} else if (strcmp(status, "refunded") == 0 || strcmp(status, "cancelled") == 0) {
		/* Kept for the history, as cancelled: the file's other orders go on. */
		m->cancelled = strcmp(status, "refunded") == 0 ? "refunded at woocommerce" :
		    "cancelled at woocommerce";
		prepaid = strcmp(status, "refunded") == 0;
	} else {
		return bad(m, "status \"%s\": not imported (only pending, on-hold, processing,"
		    " completed, refunded and cancelled orders are)", omsi_shown(status, sh, 41));
	}
	if (str(m, o, "transaction_id", "transaction_id", &txn))
		return -1;
	if ((p = oms_node_new(OMS_NODE_MAP, NULL)) == NULL || oms_node_add(root, "payment", p) != 0)
		return bad(m, "out of memory");
	if (prepaid)
		return put(m, p, "method", "prepaid") || put(m, p, "reference", txn) ? -1 : 0;
	return put(m, p, "method", "card");
}

/* placed reads date_created_gmt, which WooCommerce writes in UTC without saying so. */
static int
placed(struct map *m, const json_t *o, struct oms_node *root)
{
	const char *s;
	char buf[64], when[OMS_TIME_MAX], sh[48];
	size_t len;

	if (str(m, o, "date_created_gmt", "date_created_gmt", &s))
		return -1;
	if (s == NULL)
		return bad(m, "date_created_gmt: missing");
	len = strlen(s);
	/* A zone already there (a file written by something else) is kept. */
	if (len > 10 && (s[len - 1] == 'Z' || strpbrk(s + 10, "+-") != NULL))
		snprintf(buf, sizeof buf, "%s", s);
	else
		snprintf(buf, sizeof buf, "%sZ", s);
	if (len >= sizeof buf - 1 || oms_time_parse(buf, when) != 0)
		return bad(m, "date_created_gmt: \"%s\" is not a date and time", omsi_shown(s, sh, 41));
	return put(m, root, "placed_at", when);
}

/*
 * map turns one WooCommerce order into an order document: 0, or -1 with
 * err saying why not (a message without the order's place, which the
 * caller puts in front).
 */
static int
map(const json_t *o, const char *external_id, const char *label, struct oms_doc *d,
    char *err, size_t errlen)
{
	struct map m = { .err = err, .errlen = errlen };
	const json_t *billing = json_object_get(o, "billing");
	const json_t *shipping = json_object_get(o, "shipping");
	const json_t *sl = json_object_get(o, "shipping_lines"), *refunds;
	struct oms_node *root, *c;
	const char *first, *last, *email, *phone, *method = NULL, *note;
	char *name = NULL, sh[48], a[OMS_MONEY_MAX], b[OMS_MONEY_MAX], msg[1024];
	int64_t sum, ship, tax, disc, total, computed, refunded;
	int given, nomem = 0, rc = -1;
	size_t n;

	memset(d, 0, sizeof *d);
	if ((root = oms_node_new(OMS_NODE_MAP, NULL)) == NULL)
		return bad(&m, "out of memory");
	/* The status first: for a cancelled order, nothing else matters. */
	if (payment(&m, o, root) || str(&m, o, "currency", "currency", &m.currency))
		goto out;
	if (m.currency == NULL) {
		bad(&m, "currency: missing");
		goto out;
	}
	if ((m.digits = oms_currency_digits(m.currency)) < 0 || strlen(m.currency) != 3) {
		bad(&m, "currency: \"%s\" is not an ISO 4217 code oms knows",
		    omsi_shown(m.currency, sh, 41));
		goto out;
	}
	if ((refunds = json_object_get(o, "refunds")) != NULL && !json_is_null(refunds) &&
	    !json_is_array(refunds)) {
		bad(&m, "refunds: expected a list, found %s", kind(refunds));
		goto out;
	}
	refunded = 0;
	for (n = 0; refunds != NULL && n < json_array_size(refunds); n++) {
		char what[48];
		int64_t r;

		snprintf(what, sizeof what, "refunds %zu: total", n + 1);
		if (!json_is_object(json_array_get(refunds, n)) ||
		    amount(&m, json_array_get(refunds, n), "total", what, SIGNED, &r)) {
			if (!json_is_object(json_array_get(refunds, n)))
				bad(&m, "refunds %zu: expected an object", n + 1);
			goto out;
		}
		/* The store writes a refund as a negative amount. */
		refunded += r < 0 ? -r : r;
	}
	if (put(&m, root, "external_id", external_id) || put(&m, root, "source", "woocommerce") ||
	    put(&m, root, "currency", m.currency) || placed(&m, o, root))
		goto out;
	if (billing != NULL && !json_is_null(billing) && !json_is_object(billing)) {
		bad(&m, "billing: expected an object, found %s", kind(billing));
		goto out;
	}
	if (str(&m, billing, "first_name", "billing.first_name", &first) ||
	    str(&m, billing, "last_name", "billing.last_name", &last) ||
	    str(&m, billing, "email", "billing.email", &email) ||
	    str(&m, billing, "phone", "billing.phone", &phone))
		goto out;
	name = full_name(first, last, &nomem);
	if (nomem || (c = oms_node_new(OMS_NODE_MAP, NULL)) == NULL ||
	    oms_node_add(root, "customer", c) != 0) {
		bad(&m, "out of memory");
		goto out;
	}
	if (put(&m, c, "name", name) || put(&m, c, "email", email) || put(&m, c, "phone", phone))
		goto out;
	if (address(&m, shipping, "shipping", root, "ship_to", &given))
		goto out;
	if (address(&m, billing, "billing", root, given ? "bill_to" : "ship_to", &given))
		goto out;
	if (sl != NULL && !json_is_null(sl)) {
		if (!json_is_array(sl)) {
			bad(&m, "shipping_lines: expected a list, found %s", kind(sl));
			goto out;
		}
		if (json_array_size(sl) > 0 && str(&m, json_array_get(sl, 0), "method_title",
		    "shipping_lines 1: method_title", &method))
			goto out;
	}
	if (str(&m, o, "customer_note", "customer_note", &note) ||
	    put(&m, root, "ship_method", method) || put(&m, root, "notes", note))
		goto out;
	if (amount(&m, o, "shipping_total", "shipping_total", OPTIONAL, &ship) ||
	    amount(&m, o, "total_tax", "total_tax", OPTIONAL, &tax) ||
	    amount(&m, o, "discount_total", "discount_total", OPTIONAL, &disc) ||
	    amount(&m, o, "total", "total", 0, &total))
		goto out;
	if (put(&m, root, "shipping", oms_money_format(a, ship, m.currency)) ||
	    put(&m, root, "tax", oms_money_format(a, tax, m.currency)) ||
	    put(&m, root, "discount", oms_money_format(a, disc, m.currency)))
		goto out;
	if (items(&m, o, root, &sum) || fees(&m, o))
		goto out;
	if (__builtin_sub_overflow(sum, disc, &computed) ||
	    __builtin_add_overflow(computed, ship, &computed) ||
	    __builtin_add_overflow(computed, tax, &computed)) {
		bad(&m, "the order's total is too large");
		goto out;
	}
	if (computed != total) {
		bad(&m, "total %s does not match the lines less discount plus shipping and tax,"
		    " which come to %s: not imported", oms_money_format(a, total, m.currency),
		    oms_money_format(b, computed, m.currency));
		goto out;
	}
	/* The document reader checks the rest as it checks any order: one set of rules. */
	if (oms_doc_from_node(root, d, label, "woocommerce", m.currency, msg, sizeof msg) != 0) {
		n = strlen(label);
		snprintf(err, errlen, "%s", strncmp(msg, label, n) == 0 && msg[n] == ':' ?
		    msg + n + 2 : msg);
		goto out;
	}
	/*
	 * Refunded whole, it is cancelled; in part, a person says which units
	 * (the order's refunds list only amounts).
	 */
	if (m.cancelled == NULL && refunded > 0 && refunded >= total)
		m.cancelled = "refunded at woocommerce";
	if ((m.cancelled != NULL && (d->cancelled = strdup(m.cancelled)) == NULL) ||
	    (m.cancelled == NULL && refunded > 0 && asprintf(&d->review, "partially refunded at"
	    " woocommerce (%s of %s): cancel what was refunded (oms-order cancel), then release"
	    " it", oms_money_format(a, refunded, m.currency), oms_money_format(b, total,
	    m.currency)) < 0)) {
		d->review = NULL;
		oms_doc_free(d);
		bad(&m, "out of memory");
		goto out;
	}
	rc = 0;
out:
	free(name);
	oms_node_free(root);
	return rc;
}

/* order_number finds the order's number: "number", else "id"; NULL when it has neither. */
static const char *
order_number(const json_t *o, char buf[32])
{
	const json_t *v = json_object_get(o, "number");
	int i;

	for (i = 0; i < 2; i++, v = json_object_get(o, "id")) {
		if (json_is_string(v) && *json_string_value(v) != '\0')
			return json_string_value(v);
		if (json_is_integer(v)) {
			snprintf(buf, 32, "%lld", (long long)json_integer_value(v));
			return buf;
		}
	}
	return NULL;
}

/* one maps and imports one order: the idx'th of a list (0: the only one). */
static int
one(struct woo *w, const json_t *o, const char *name, size_t idx)
{
	char num[32], sh[48], label[1200], err[1024], at[48] = "";
	const char *id;
	struct oms_doc d;
	size_t first;
	int rc;

	w->count++;
	id = json_is_object(o) ? order_number(o, num) : NULL;
	if (idx == 0 && id == NULL)
		snprintf(label, sizeof label, "%s", name);
	else if (idx == 0)
		snprintf(label, sizeof label, "%s: order #%s", name, omsi_shown(id, sh, 41));
	else
		snprintf(label, sizeof label, "%s: order %zu%s%s%s", name, idx, id ? " (#" : "",
		    id ? omsi_shown(id, sh, 41) : "", id ? ")" : "");
	if (!json_is_object(o)) {
		oms_import_reject(w->imp, label, 0, "expected an order (an object), found %s",
		    kind(o));
		return OMS_OK;
	}
	if (id == NULL) {
		oms_import_reject(w->imp, label, 0, "the order has no number (neither \"number\""
		    " nor \"id\")");
		return OMS_OK;
	}
	if ((rc = seen_add(&w->seen, id, w->count, &first)) < 0) {
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	if (rc > 0) {
		/* A store's pages shift when an order changes while we page: not an error there. */
		if (w->store)
			return OMS_OK;
		if (first > 0)
			snprintf(at, sizeof at, " (first as order %zu)", first);
		oms_import_reject(w->imp, label, 0, "order #%s appears twice in this input%s",
		    omsi_shown(id, sh, 41), at);
		return OMS_OK;
	}
	if (map(o, id, label, &d, err, sizeof err) != 0) {
		oms_import_reject(w->imp, label, 0, "%s", err);
		return OMS_OK;
	}
	rc = oms_import_order(w->imp, &d, label);
	oms_doc_free(&d);
	return rc == OMS_ESYS ? OMS_ESYS : OMS_OK;
}

/*
 * json_problem reports JSON that does not parse, at jansson's line and
 * column.  jansson's "near '...'" is left out: it quotes the input, which
 * may be a card number.
 */
static void
json_problem(struct oms_import *imp, const char *name, const json_error_t *e)
{
	char where[1100], text[JSON_ERROR_TEXT_LENGTH], *near;

	snprintf(text, sizeof text, "%s", e->text);
	if ((near = strstr(text, " near ")) != NULL)
		*near = '\0';
	/* The flag is jansson's business, not the reader's. */
	if ((near = strstr(text, " without JSON_ALLOW_NUL")) != NULL)
		*near = '\0';
	omsi_shown(text, text, sizeof text);
	if (e->line > 0)
		snprintf(where, sizeof where, "%s:%d:%d", name, e->line, e->column);
	else
		snprintf(where, sizeof where, "%s", name);
	oms_import_reject(imp, where, 0, "not valid JSON: %s", text);
}

/* orders imports what one JSON text holds: an order object, or a list of them. */
static int
orders(struct woo *w, const char *buf, size_t len, const char *name)
{
	json_error_t e;
	json_t *root, *o;
	size_t i;
	int rc = OMS_OK;

	/* A key twice in one object is an export gone wrong: which one would be meant? */
	if ((root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &e)) == NULL) {
		json_problem(w->imp, name, &e);
		return OMS_EINPUT;
	}
	if (json_is_array(root)) {
		json_array_foreach(root, i, o) {
			if ((rc = one(w, o, name, i + 1)) == OMS_ESYS)
				break;
			oms_import_progress(w->imp, name, i + 1);
		}
	} else {
		rc = one(w, root, name, 0);
	}
	json_decref(root);
	return rc;
}

/*
 * slurp reads all of f, up to MAX_INPUT: OMS_OK, OMS_EINPUT (too big, or
 * unreadable, as any input file; reported) or OMS_ESYS.
 */
static int
slurp(struct oms_import *imp, FILE *f, const char *name, char **buf, size_t *len)
{
	size_t cap = 0, n;
	char *b = NULL, *nb;

	*len = 0;
	do {
		if (*len == cap) {
			/* One byte past the cap is enough to know it is too big. */
			cap = cap == 0 ? 262144 : cap * 2 > MAX_INPUT + 1 ? MAX_INPUT + 1 : cap * 2;
			if ((nb = realloc(b, cap)) == NULL) {
				free(b);
				oms_warnx("%s: out of memory", name);
				return OMS_ESYS;
			}
			b = nb;
		}
		n = fread(b + *len, 1, cap - *len, f);
		*len += n;
	} while (n > 0 && *len <= MAX_INPUT);
	if (ferror(f)) {
		oms_import_reject(imp, name, 0, "%s", strerror(errno));
		free(b);
		return OMS_EINPUT;
	}
	if (*len > MAX_INPUT) {
		free(b);
		oms_import_reject(imp, name, 0, "larger than %zu MiB: split the export, or use"
		    " --from, which reads the store page by page", MAX_INPUT >> 20);
		return OMS_EINPUT;
	}
	*buf = b;
	return OMS_OK;
}

int
oms_import_woo_json(struct oms_import *imp, FILE *f, const char *name)
{
	struct woo w = { .imp = imp };
	char *buf;
	size_t len;
	int rc;

	if ((rc = slurp(imp, f, name, &buf, &len)) != OMS_OK)
		return rc == OMS_ESYS ? rc : OMS_OK;
	rc = orders(&w, buf, len, name);
	free(buf);
	seen_free(&w.seen);
	return rc == OMS_ESYS ? rc : OMS_OK;
}

/*
 * env reads an environment variable; empty counts as unset, as everywhere
 * in oms.
 */
static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

/*
 * endpoint makes the orders endpoint from the store's address (its home
 * page, or the endpoint itself): NULL, reported, when it is not an http or
 * https address without credentials, query or fragment.
 */
static char *
endpoint(const char *url)
{
	static const char path[] = "/wp-json/wc/v3/orders";
	char shown_url[1024], *ep;
	const char *rest;
	size_t len = strlen(url), plen = sizeof path - 1;

	oms_http_redact(url, shown_url, sizeof shown_url);
	omsi_shown(shown_url, shown_url, sizeof shown_url);
	if (strncasecmp(url, "https://", 8) == 0)
		rest = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		rest = url + 7;
	else {
		oms_warnx("%s: not an http or https address", shown_url);
		return NULL;
	}
	if (*rest == '\0' || *rest == '/') {
		oms_warnx("%s: no host in the address", shown_url);
		return NULL;
	}
	if (memchr(rest, '@', strcspn(rest, "/")) != NULL) {
		/* Credentials on the command line are visible to every user of the machine. */
		oms_warnx("%s: credentials in the address are refused: set OMS_WOO_KEY and"
		    " OMS_WOO_SECRET", shown_url);
		return NULL;
	}
	if (strpbrk(rest, "?# \t\r\n") != NULL) {
		oms_warnx("%s: give the store's address without a query", shown_url);
		return NULL;
	}
	switch (oms_http_secret_ok(url)) {
	case 1:
		break;
	case 0:
		oms_warnx("%s: the key would cross the network unencrypted: use https", shown_url);
		return NULL;
	default:
		oms_warnx("%s: not a valid address", shown_url);
		return NULL;
	}
	while (len > 0 && url[len - 1] == '/')
		len--;
	if (len >= plen && strncmp(url + len - plen, path, plen) == 0)
		plen = 0;
	if (asprintf(&ep, "%.*s%s", (int)len, url, plen ? path : "") < 0) {
		oms_warnx("out of memory");
		return NULL;
	}
	return ep;
}

/* server_message finds the "message" a WordPress error body carries, for a report. */
static const char *
server_message(const struct oms_http_response *r, char *buf, size_t len)
{
	json_t *root = json_loadb(r->body, r->len, 0, NULL);
	const json_t *msg = json_object_get(root, "message");

	buf[0] = '\0';
	if (json_is_string(msg))
		omsi_shown(json_string_value(msg), buf, len);
	json_decref(root);
	return buf;
}

/* total_pages reads X-WP-TotalPages: the count, or -1 when there is none that makes sense. */
static long
total_pages(const struct oms_http_response *r)
{
	const char *v = oms_http_header(r, "X-WP-TotalPages");
	long n = 0;

	if (v == NULL || *v < '0' || *v > '9')
		return -1;
	for (; *v >= '0' && *v <= '9'; v++)
		if ((n = n * 10 + (*v - '0')) > MAX_PAGES)
			return MAX_PAGES + 1;
	return *v == '\0' || *v == ' ' || *v == '\t' ? n : -1;
}

/*
 * fetch gets every page of the store's orders before any is imported, so
 * the database's write lock is never held while the store takes its time.
 * OMS_OK with the pages, or the status that stopped it (reported).
 */
static int
fetch(struct oms_import *imp, struct oms_http *h, const char *ep, const char *status,
    struct page **pages, size_t *npages)
{
	struct oms_http_response r;
	struct page *more;
	char url[2048], shown_url[2048], err[1024], msg[300];
	size_t fetched = 0;
	long page, total = -1;
	json_error_t e;
	json_t *root;
	int empty;

	*pages = NULL;
	*npages = 0;
	for (page = 1;; page++) {
		if (page > MAX_PAGES) {
			oms_warnx("%s: more than %d pages: giving up", omsi_shown(ep, shown_url, 300),
			    MAX_PAGES);
			return OMS_ESYS;
		}
		snprintf(url, sizeof url, "%s?per_page=%d&page=%ld&orderby=date&order=asc&status=%s",
		    ep, PER_PAGE, page, status);
		oms_http_redact(url, shown_url, sizeof shown_url);
		omsi_shown(shown_url, shown_url, sizeof shown_url);
		if (oms_http_get(h, url, &r, err, sizeof err) != 0) {
			oms_warnx("%s: %s", shown_url, err);
			oms_http_response_free(&r);
			return OMS_ESYS;
		}
		if (r.status != 200) {
			int rc = OMS_ESYS;

			/* Past the last page, WordPress says so with a 400: we asked one too many. */
			if (r.status == 400 && page > 1 && strstr(r.body,
			    "rest_post_invalid_page_number") != NULL) {
				oms_http_response_free(&r);
				return OMS_OK;
			}
			oms_http_status_error(&r, server_message(&r, msg, sizeof msg), err, sizeof err);
			if (r.status == 401 || r.status == 403) {
				oms_warnx("%s: %s (check OMS_WOO_KEY and OMS_WOO_SECRET)", shown_url, err);
				rc = OMS_EUSAGE;
			} else if (r.status == 404) {
				oms_warnx("%s: %s (is this a WooCommerce store's address?)", shown_url, err);
				rc = OMS_EUSAGE;
			} else if (r.status >= 300 && r.status < 400 &&
			    oms_http_header(&r, "Location") != NULL) {
				oms_http_redact(oms_http_header(&r, "Location"), msg, sizeof msg);
				oms_warnx("%s: %s: the store moved to %s; give that address", shown_url, err,
				    omsi_shown(msg, msg, sizeof msg));
			} else {
				oms_warnx("%s: %s", shown_url, err);
			}
			oms_http_response_free(&r);
			return rc;
		}
		/* Read now, to know an empty page and to stop at a bad one before importing. */
		if ((root = json_loadb(r.body, r.len, JSON_REJECT_DUPLICATES, &e)) == NULL) {
			json_problem(imp, shown_url, &e);
			oms_http_response_free(&r);
			return OMS_EINPUT;
		}
		if (!json_is_array(root)) {
			oms_import_reject(imp, shown_url, 0, "expected a list of orders, found %s",
			    kind(root));
			json_decref(root);
			oms_http_response_free(&r);
			return OMS_EINPUT;
		}
		empty = json_array_size(root) == 0;
		json_decref(root);
		if (!empty) {
			/* A cache that ignores the query answers every page with the first. */
			if (*npages > 0 && (*pages)[*npages - 1].len == r.len &&
			    memcmp((*pages)[*npages - 1].body, r.body, r.len) == 0) {
				oms_warnx("%s: the same orders as page %ld: the store (or a cache in front"
				    " of it) does not page", shown_url, page - 1);
				oms_http_response_free(&r);
				return OMS_ESYS;
			}
			if ((fetched += r.len) > MAX_FETCHED) {
				oms_warnx("%s: the store's orders come to more than %zu MiB: narrow"
				    " OMS_WOO_STATUS", shown_url, MAX_FETCHED >> 20);
				oms_http_response_free(&r);
				return OMS_ESYS;
			}
			if ((more = realloc(*pages, (*npages + 1) * sizeof *more)) == NULL) {
				oms_warnx("out of memory");
				oms_http_response_free(&r);
				return OMS_ESYS;
			}
			*pages = more;
			(*pages)[*npages].body = r.body;
			(*pages)[*npages].len = r.len;
			(*npages)++;
			r.body = NULL;
		}
		/* The count can change as we page (new orders): the latest word counts. */
		if (oms_http_header(&r, "X-WP-TotalPages") != NULL)
			total = total_pages(&r);
		oms_http_response_free(&r);
		if (empty || (total >= 0 && page >= total))
			return OMS_OK;
	}
}

int
oms_import_woo_url(struct oms_import *imp, const char *url)
{
	const char *key = env("OMS_WOO_KEY"), *secret = env("OMS_WOO_SECRET");
	const char *status = env("OMS_WOO_STATUS");
	struct woo w = { .imp = imp, .store = 1 };
	struct oms_http *h = NULL;
	struct page *pages = NULL;
	size_t npages = 0, i;
	char *ep = NULL, err[1024], name[1100], base[1024];
	int rc;

	if (key == NULL || secret == NULL) {
		oms_warnx("OMS_WOO_KEY and OMS_WOO_SECRET must be set to the store's REST API"
		    " consumer key and secret");
		return OMS_EUSAGE;
	}
	if (status == NULL)
		status = DEFAULT_STATUS;
	if (strspn(status, "abcdefghijklmnopqrstuvwxyz0123456789-_,") != strlen(status)) {
		oms_warnx("OMS_WOO_STATUS: expected order statuses separated by commas"
		    " (\"processing,on-hold\")");
		return OMS_EUSAGE;
	}
	if ((ep = endpoint(url)) == NULL)
		return OMS_EUSAGE;
	if ((h = oms_http_new(err, sizeof err)) == NULL) {
		oms_warnx("%s", err);
		free(ep);
		return OMS_ESYS;
	}
	if ((rc = oms_http_from_env(h)) != OMS_OK)
		goto out;
	if (oms_http_set_basic_auth(h, key, secret) != 0 ||
	    oms_http_add_header(h, "Accept: application/json") != 0) {
		oms_warnx("out of memory");
		rc = OMS_ESYS;
		goto out;
	}
	if ((rc = fetch(imp, h, ep, status, &pages, &npages)) != OMS_OK)
		goto out;
	oms_http_redact(url, base, sizeof base);
	omsi_shown(base, base, sizeof base);
	for (i = strlen(base); i > 0 && base[i - 1] == '/'; i--)
		base[i - 1] = '\0';
	for (i = 0; i < npages && rc != OMS_ESYS; i++) {
		snprintf(name, sizeof name, "%s page %zu", base, i + 1);
		rc = orders(&w, pages[i].body, pages[i].len, name);
	}
	if (rc != OMS_ESYS)
		rc = OMS_OK;
out:
	for (i = 0; i < npages; i++)
		free(pages[i].body);
	free(pages);
	oms_http_free(h);
	free(ep);
	seen_free(&w.seen);
	return rc;
}
