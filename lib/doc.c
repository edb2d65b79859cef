/* doc.c: the order document: read from YAML, checked, and added as a new order. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <oms/alias.h>
#include <oms/config.h>
#include <oms/db.h>
#include <oms/doc.h>
#include <oms/money.h>
#include <oms/node.h>
#include <oms/order.h>
#include <oms/pan.h>
#include <oms/time.h>
#include <oms/diag.h>

#include "internal.h"

/* Longest text field oms keeps; longer is a mistake, not an order. */
#define FIELD_MAX 1024

const char oms_doc_template[] =
    "# A new order.  Lines starting with '#' are ignored; an empty file adds nothing.\n"
    "# The fields are described in oms(7), THE ORDER DOCUMENT.\n"
    "customer:\n"
    "  name: \n"
    "  email: \n"
    "  phone: \n"
    "ship_to:\n"
    "  name: \n"
    "  company: \n"
    "  line1: \n"
    "  line2: \n"
    "  city: \n"
    "  region: \n"
    "  postal_code: \n"
    "  country: US\n"
    "# bill_to: same fields as ship_to; leave out when the same\n"
    "ship_method: ground\n"
    "# ship_complete: true     # or false to ship what is in stock\n"
    "# priority: 0\n"
    "# currency: USD\n"
    "shipping: \"0.00\"\n"
    "tax: \"0.00\"\n"
    "payment:\n"
    "  method: invoice         # card, prepaid or invoice\n"
    "  # terms: net 30\n"
    "notes: \n"
    "lines:\n"
    "  - sku: \n"
    "    qty: 1\n"
    "    # price: \"0.00\"       # default: the catalog's price\n";

struct reader {
	const char *where;
	char *err;
	size_t errlen;
};

static int
fail(struct reader *r, const struct oms_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct reader *r, const struct oms_node *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (n != NULL && n->line > 0)
		omsi_fmt_err(r->err, r->errlen, "%s:%d: %s", r->where, n->line, msg);
	else
		omsi_fmt_err(r->err, r->errlen, "%s: %s", r->where, msg);
	return -1;
}

/* keys checks that a map holds only the given keys, each once. */
static int
keys(struct reader *r, const struct oms_node *map, const char *what, const char *const *allowed)
{
	size_t i, j;

	for (i = 0; i + 1 < map->nkids; i += 2) {
		const struct oms_node *k = map->kids[i];

		if (k->kind != OMS_NODE_SCALAR)
			return fail(r, k, "%s: a key must be a plain word", what);
		for (j = 0; allowed[j] != NULL; j++)
			if (strcmp(k->value, allowed[j]) == 0)
				break;
		if (allowed[j] == NULL)
			return fail(r, k, "%s: unknown field \"%.40s\"", what, k->value);
		for (j = 0; j < i; j += 2)
			if (strcmp(map->kids[j]->value, k->value) == 0)
				return fail(r, k, "%s: \"%s\" given twice", what, k->value);
	}
	return 0;
}

/* Fields of payment that would carry card data: refused by payment() in its own words. */
static const char *const card_keys[] = { "number", "card_number", "pan", "cvv", "cvc", "cvv2",
	"card", NULL };

static const char pan_refused[] = "holds what looks like a card number; refused (not stored)";

/*
 * cards refuses a document that holds a card number anywhere: in any
 * field, known or not, well formed or not, and in any field's name.  It
 * runs before anything else reads the document, so that no other message
 * about a field ("not a positive whole number") quotes a card number, and
 * no field that is read as a number (a price) stores one.  The source's
 * own identifiers are exempt: external_id, payment.reference and a line's
 * line_id; so are payment's card fields, which payment() refuses.
 */
static int
cards(struct reader *r, const struct oms_node *n, const char *path, int in_lines)
{
	const struct oms_node *k, *v;
	char sub[160];
	size_t i;
	int line_map;

	switch (n->kind) {
	case OMS_NODE_SCALAR:
		if (oms_pan_has(n->value))
			return fail(r, n, "%s: %s", path, pan_refused);
		return 0;
	case OMS_NODE_SEQ:
		for (i = 0; i < n->nkids; i++) {
			if (in_lines)
				snprintf(sub, sizeof sub, "line %zu", i + 1);
			else
				snprintf(sub, sizeof sub, "%s %zu", path, i + 1);
			if (cards(r, n->kids[i], sub, 0))
				return -1;
		}
		return 0;
	case OMS_NODE_MAP:
		break;
	}
	line_map = strncmp(path, "line ", 5) == 0;
	for (i = 0; i + 1 < n->nkids; i += 2) {
		k = n->kids[i];
		v = n->kids[i + 1];
		if (k->kind != OMS_NODE_SCALAR)
			continue;	/* keys() refuses it */
		if (oms_pan_has(k->value))
			return fail(r, k, "%s%sa field's name %s", path, *path ? ": " : "",
			    pan_refused);
		if ((*path == '\0' && strcmp(k->value, "external_id") == 0) ||
		    (line_map && strcmp(k->value, "line_id") == 0))
			continue;
		if (strcmp(path, "payment") == 0) {
			size_t j;

			if (strcmp(k->value, "reference") == 0)
				continue;
			for (j = 0; card_keys[j] != NULL; j++)
				if (strcmp(k->value, card_keys[j]) == 0)
					break;
			if (card_keys[j] != NULL)
				continue;
		}
		if (*path == '\0')
			snprintf(sub, sizeof sub, "%.60s", k->value);
		else if (line_map)
			snprintf(sub, sizeof sub, "%s: %.60s", path, k->value);
		else
			snprintf(sub, sizeof sub, "%s.%.60s", path, k->value);
		if (cards(r, v, sub, *path == '\0' && strcmp(k->value, "lines") == 0))
			return -1;
	}
	return 0;
}

/*
 * text_problem says what is wrong with a text field, whatever reader it
 * came from, or NULL.  A card number anywhere a person or a feed puts text
 * is refused, unechoed; a cart's payment reference (pan_ok) is the cart's
 * own identifier and exempt.
 */
static const char *
text_problem(const char *v, int pan_ok)
{
	size_t i, len = strlen(v);

	if (len > FIELD_MAX)
		return "longer than 1024 bytes";
	for (i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 && v[i] != '\n' && v[i] != '\t')
			return "holds a control character";
	if (!pan_ok && oms_pan_has(v))
		return pan_refused;
	return NULL;
}

/* doc_check holds a document from any reader to text_problem's rules. */
static int
doc_check(struct reader *r, const struct oms_doc *d)
{
	const struct {
		const char *name;
		const char *v;
	} f[] = {
		{ "source", d->source },
		{ "customer.name", d->customer_name }, { "customer.email", d->customer_email },
		{ "customer.phone", d->customer_phone }, { "ship_to.name", d->ship_to.name },
		{ "ship_to.company", d->ship_to.company }, { "ship_to.line1", d->ship_to.line1 },
		{ "ship_to.line2", d->ship_to.line2 }, { "ship_to.city", d->ship_to.city },
		{ "ship_to.region", d->ship_to.region },
		{ "ship_to.postal_code", d->ship_to.postal_code },
		{ "ship_to.country", d->ship_to.country }, { "bill_to.name", d->bill_to.name },
		{ "bill_to.company", d->bill_to.company }, { "bill_to.line1", d->bill_to.line1 },
		{ "bill_to.line2", d->bill_to.line2 }, { "bill_to.city", d->bill_to.city },
		{ "bill_to.region", d->bill_to.region },
		{ "bill_to.postal_code", d->bill_to.postal_code },
		{ "bill_to.country", d->bill_to.country }, { "ship_method", d->ship_method },
		{ "payment.method", d->payment_method }, { "payment.token", d->payment_token },
		{ "payment.terms", d->payment_terms }, { "notes", d->notes },
	};
	struct oms_node at = { .line = d->line };
	const char *problem;
	size_t i;

	for (i = 0; i < sizeof f / sizeof f[0]; i++)
		if (f[i].v != NULL && (problem = text_problem(f[i].v, 0)) != NULL)
			return fail(r, &at, "%s: %s", f[i].name, problem);
	/* The cart's own identifiers are exempt from the card number test. */
	if (d->payment_ref != NULL && (problem = text_problem(d->payment_ref, 1)) != NULL)
		return fail(r, &at, "payment.reference: %s", problem);
	if (d->external_id != NULL && (problem = text_problem(d->external_id, 1)) != NULL)
		return fail(r, &at, "external_id: %s", problem);
	for (i = 0; i < d->nlines; i++) {
		const char *lid = d->lines[i].external_line_id;

		const char *key = d->lines[i].item_key;

		if ((problem = text_problem(d->lines[i].sku, 0)) != NULL ||
		    (problem = strlen(d->lines[i].sku) > 64 ? "longer than 64 bytes" : NULL))
			return fail(r, &at, "line %zu: sku: %s", i + 1, problem);
		/* A key is the source's name for a product: held to the rules of any text. */
		if (key != NULL && ((problem = text_problem(key, 0)) != NULL ||
		    (problem = strlen(key) > 256 ? "longer than 256 bytes" : NULL) ||
		    (problem = *key == '\0' ? "empty" : NULL)))
			return fail(r, &at, "line %zu: item_key: %s", i + 1, problem);
		if (*d->lines[i].sku == '\0' && key == NULL)
			return fail(r, &at, "line %zu: no sku and no item_key", i + 1);
		if (d->lines[i].cancelled < 0 || d->lines[i].cancelled > d->lines[i].qty)
			return fail(r, &at, "line %zu: more units cancelled than ordered", i + 1);
		/* A source's line ID is its identifier, as its order number is: no card test. */
		if (lid != NULL && ((problem = text_problem(lid, 1)) != NULL ||
		    (problem = strlen(lid) > 64 ? "longer than 64 bytes" : NULL)))
			return fail(r, &at, "line %zu: line_id: %s", i + 1, problem);
	}
	return 0;
}

static int
text(struct reader *r, const struct oms_node *map, const char *key, const char *what, char **out)
{
	const struct oms_node *n = oms_node_get(map, key);
	const char *problem;
	size_t len;

	*out = NULL;
	if (n == NULL || oms_node_is_null(n))
		return 0;
	if (n->kind != OMS_NODE_SCALAR)
		return fail(r, n, "%s%s%s: expected a value, found %s", what, *what ? "." : "", key,
		    oms_node_kind_name(n->kind));
	if ((problem = text_problem(n->value, (strcmp(what, "payment") == 0 &&
	    strcmp(key, "reference") == 0) || strcmp(key, "external_id") == 0 ||
	    strcmp(key, "line_id") == 0)) != NULL)
		return fail(r, n, "%s%s%s: %s", what, *what ? "." : "", key, problem);
	/* Surrounding blanks are never meant. */
	const char *s = n->value + strspn(n->value, " \t\n");
	len = strlen(s);
	while (len > 0 && strchr(" \t\n", s[len - 1]))
		len--;
	if (len == 0)
		return 0;
	if ((*out = strndup(s, len)) == NULL)
		return fail(r, n, "out of memory");
	return 0;
}

static int
boolean(struct reader *r, const struct oms_node *map, const char *key, int *out)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "YES", NULL };
	static const char *const no[] = { "false", "False", "FALSE", "no", "No", "NO", NULL };
	const struct oms_node *n = oms_node_get(map, key);
	size_t i;

	if (n == NULL || oms_node_is_null(n))
		return 0;
	if (n->kind == OMS_NODE_SCALAR)
		for (i = 0; yes[i] != NULL; i++) {
			if (strcmp(n->value, yes[i]) == 0)
				return *out = 1, 0;
			if (strcmp(n->value, no[i]) == 0)
				return *out = 0, 0;
		}
	return fail(r, n, "%s: expected true or false", key);
}

static int
priority(struct reader *r, const struct oms_node *map, int64_t *out)
{
	const struct oms_node *v = oms_node_get(map, "priority");
	long long pr;
	char *end;

	if (v == NULL || oms_node_is_null(v))
		return 0;
	errno = 0;
	pr = v->kind == OMS_NODE_SCALAR ? strtoll(v->value, &end, 10) : 0;
	if (v->kind != OMS_NODE_SCALAR || errno || *end || end == v->value || pr < -1000 ||
	    pr > 1000)
		return fail(r, v, "priority: expected a whole number from -1000 to 1000");
	*out = pr;
	return 0;
}

static int
amount(struct reader *r, const struct oms_node *n, const char *what, const char *currency,
    int64_t *out)
{
	if (n->kind != OMS_NODE_SCALAR)
		return fail(r, n, "%s: expected an amount, found %s", what,
		    oms_node_kind_name(n->kind));
	if (oms_money_parse(n->value, currency, out) != 0)
		return fail(r, n, "%s: \"%.40s\" is not an amount in %s%s", what, n->value, currency,
		    errno == ERANGE ? " (too many digits)" : "");
	if (*out < 0)
		return fail(r, n, "%s: \"%.40s\" is negative", what, n->value);
	return 0;
}

static int
address(struct reader *r, const struct oms_node *root, const char *key, struct oms_address *a)
{
	static const char *const fields[] = { "name", "company", "line1", "line2", "city",
		"region", "postal_code", "country", NULL };
	const struct oms_node *n = oms_node_get(root, key);

	if (n == NULL || oms_node_is_null(n))
		return 0;
	if (n->kind != OMS_NODE_MAP)
		return fail(r, n, "%s: expected a map, found %s", key, oms_node_kind_name(n->kind));
	if (keys(r, n, key, fields) || text(r, n, "name", key, &a->name) ||
	    text(r, n, "company", key, &a->company) || text(r, n, "line1", key, &a->line1) ||
	    text(r, n, "line2", key, &a->line2) || text(r, n, "city", key, &a->city) ||
	    text(r, n, "region", key, &a->region) ||
	    text(r, n, "postal_code", key, &a->postal_code) ||
	    text(r, n, "country", key, &a->country))
		return -1;
	return 0;
}

static int
payment(struct reader *r, const struct oms_node *root, struct oms_doc *d)
{
	static const char *const fields[] = { "method", "token", "reference", "terms", NULL };
	const struct oms_node *n = oms_node_get(root, "payment");
	size_t i, j;

	if (n == NULL || oms_node_is_null(n))
		return fail(r, root, "payment: missing (method: card, prepaid or invoice)");
	if (n->kind != OMS_NODE_MAP)
		return fail(r, n, "payment: expected a map, found %s", oms_node_kind_name(n->kind));
	/* Card data is refused before anything else, and never echoed. */
	for (i = 0; i + 1 < n->nkids; i += 2) {
		const struct oms_node *k = n->kids[i];

		for (j = 0; card_keys[j] != NULL; j++)
			if (k->kind == OMS_NODE_SCALAR && strcmp(k->value, card_keys[j]) == 0)
				return fail(r, k, "payment: card numbers and security codes are never"
				    " accepted in orders; cards are keyed at a terminal");
	}
	if (keys(r, n, "payment", fields) || text(r, n, "method", "payment", &d->payment_method) ||
	    text(r, n, "token", "payment", &d->payment_token) ||
	    text(r, n, "reference", "payment", &d->payment_ref) ||
	    text(r, n, "terms", "payment", &d->payment_terms))
		return -1;
	if (d->payment_method == NULL || (strcmp(d->payment_method, "card") != 0 &&
	    strcmp(d->payment_method, "prepaid") != 0 && strcmp(d->payment_method, "invoice") != 0))
		return fail(r, oms_node_get(n, "method") ? oms_node_get(n, "method") : n,
		    "payment.method: expected card, prepaid or invoice");
	return 0;
}

int
oms_doc_add_line(struct oms_doc *d, const char *sku, int64_t qty, int has_price, int64_t price)
{
	struct oms_doc_line *l;

	if ((d->nlines & (d->nlines - 1)) == 0) {
		l = realloc(d->lines, (d->nlines ? d->nlines * 2 : 4) * sizeof *l);
		if (l == NULL)
			return -1;
		d->lines = l;
	}
	l = &d->lines[d->nlines];
	memset(l, 0, sizeof *l);
	if ((l->sku = strdup(sku)) == NULL)
		return -1;
	l->qty = qty;
	l->has_price = has_price;
	l->price = price;
	d->nlines++;
	return 0;
}

/*
 * lines reads the order's lines.  An edit's (patch) may be empty, sets a
 * SKU's quantity (0 cancels it) rather than adding a line, so names each
 * SKU once, and has no line IDs: those are the source's.
 */
static int
lines(struct reader *r, const struct oms_node *root, struct oms_doc *d, int patch)
{
	static const char *const fields[] = { "sku", "qty", "price", "line_id", "item_key", NULL };
	static const char *const patch_fields[] = { "sku", "qty", "price", NULL };
	const struct oms_node *n = oms_node_get(root, "lines"), *l, *q, *p;
	char *sku, *line_id, *key = NULL, what[48];
	int64_t qty, price = 0;
	size_t i, j;

	if (patch && oms_node_is_null(n))
		return 0;
	if (n == NULL || oms_node_is_null(n))
		return fail(r, root, "lines: an order needs at least one line");
	if (n->kind != OMS_NODE_SEQ)
		return fail(r, n, "lines: expected a list, found %s", oms_node_kind_name(n->kind));
	if (n->nkids == 0 && !patch)
		return fail(r, n, "lines: an order needs at least one line");
	for (i = 0; i < n->nkids; i++) {
		l = n->kids[i];
		if (l->kind != OMS_NODE_MAP)
			return fail(r, l, "lines: expected a map (sku, qty, price), found %s",
			    oms_node_kind_name(l->kind));
		if (keys(r, l, "line", patch ? patch_fields : fields) ||
		    text(r, l, "sku", "line", &sku))
			return -1;
		/* A cart's line without a SKU: its key, for an alias to resolve. */
		if (!patch && text(r, l, "item_key", "line", &key)) {
			free(sku);
			return -1;
		}
		if (sku == NULL && key != NULL && (sku = strdup("")) == NULL) {
			free(key);
			return fail(r, l, "out of memory");
		}
		if (sku == NULL)
			return fail(r, l, "line %zu: sku: missing", i + 1);
		if (*sku != '\0') {
			free(key);	/* a SKU says it all */
			key = NULL;
		}
		for (j = 0; patch && j < d->nlines; j++)
			if (strcmp(d->lines[j].sku, sku) == 0) {
				free(sku);
				return fail(r, l, "line %zu: sku \"%.64s\" given twice: give its"
				    " quantity once", i + 1, d->lines[j].sku);
			}
		q = oms_node_get(l, "qty");
		if (q == NULL || q->kind != OMS_NODE_SCALAR || oms_qty_parse(q->value, &qty) != 0 ||
		    (qty == 0 && !patch)) {
			free(sku);
			if (q == NULL)
				return fail(r, l, "line %zu: qty: missing", i + 1);
			return fail(r, q, "line %zu: qty: \"%.40s\" is not %s", i + 1,
			    q->kind == OMS_NODE_SCALAR ? q->value : "", patch ?
			    "a whole number (0 cancels the line)" : "a positive whole number");
		}
		p = oms_node_get(l, "price");
		snprintf(what, sizeof what, "line %zu: price", i + 1);
		if (p != NULL && !oms_node_is_null(p) && amount(r, p, what, d->currency, &price)) {
			free(sku);
			free(key);
			return -1;
		}
		if (text(r, l, "line_id", "line", &line_id)) {
			free(sku);
			free(key);
			return -1;
		}
		if (oms_doc_add_line(d, sku, qty, p != NULL && !oms_node_is_null(p), price) != 0) {
			free(sku);
			free(line_id);
			free(key);
			return fail(r, l, "out of memory");
		}
		d->lines[d->nlines - 1].line = l->line;
		d->lines[d->nlines - 1].external_line_id = line_id;
		d->lines[d->nlines - 1].item_key = key;
		key = NULL;
		free(sku);
	}
	return 0;
}

int
oms_doc_from_node(const struct oms_node *n, struct oms_doc *d, const char *where,
    const char *dflt_source, const char *dflt_currency, char *err, size_t errlen)
{
	static const char *const fields[] = { "external_id", "source", "placed_at", "customer",
		"ship_to", "bill_to", "ship_method", "ship_complete", "priority", "currency",
		"shipping", "tax", "discount", "payment", "notes", "lines", NULL };
	static const char *const cust[] = { "name", "email", "phone", NULL };
	struct reader r = { where, err, errlen };
	const struct oms_node *c, *v;
	char *s = NULL, when[OMS_TIME_MAX];

	memset(d, 0, sizeof *d);
	d->ship_complete = -1;
	d->line = n->line;
	if (n->kind != OMS_NODE_MAP)
		return fail(&r, n, "expected an order (a map of fields), found %s",
		    oms_node_kind_name(n->kind));
	if (cards(&r, n, "", 0) != 0)
		return -1;
	if (keys(&r, n, "order", fields) || text(&r, n, "external_id", "", &d->external_id) ||
	    text(&r, n, "source", "", &d->source) || text(&r, n, "ship_method", "", &d->ship_method) ||
	    text(&r, n, "notes", "", &d->notes) || text(&r, n, "currency", "", &s))
		goto bad;
	snprintf(d->currency, sizeof d->currency, "%s", s ? s : dflt_currency);
	if (oms_currency_digits(s ? s : dflt_currency) < 0 || (s && strlen(s) != 3)) {
		fail(&r, oms_node_get(n, "currency"), "currency: \"%.40s\" is not an ISO 4217 code"
		    " oms knows", s ? s : dflt_currency);
		goto bad;
	}
	free(s);
	s = NULL;
	if (d->source == NULL && (d->source = strdup(dflt_source)) == NULL)
		goto nomem;
	if (text(&r, n, "placed_at", "", &s))
		goto bad;
	if (s != NULL) {
		if (oms_time_parse(s, when) != 0) {
			fail(&r, oms_node_get(n, "placed_at"), "placed_at: \"%.40s\" is not a date"
			    " and time (YYYY-MM-DDTHH:MM:SSZ)", s);
			goto bad;
		}
		free(s);
		s = NULL;
		if ((d->placed_at = strdup(when)) == NULL)
			goto nomem;
	}
	if ((c = oms_node_get(n, "customer")) != NULL && !oms_node_is_null(c)) {
		if (c->kind != OMS_NODE_MAP) {
			fail(&r, c, "customer: expected a map, found %s", oms_node_kind_name(c->kind));
			goto bad;
		}
		if (keys(&r, c, "customer", cust) || text(&r, c, "name", "customer", &d->customer_name) ||
		    text(&r, c, "email", "customer", &d->customer_email) ||
		    text(&r, c, "phone", "customer", &d->customer_phone))
			goto bad;
	}
	if (address(&r, n, "ship_to", &d->ship_to) || address(&r, n, "bill_to", &d->bill_to) ||
	    boolean(&r, n, "ship_complete", &d->ship_complete))
		goto bad;
	if (priority(&r, n, &d->priority))
		goto bad;
	if (((v = oms_node_get(n, "shipping")) && !oms_node_is_null(v) &&
	    amount(&r, v, "shipping", d->currency, &d->shipping)) ||
	    ((v = oms_node_get(n, "tax")) && !oms_node_is_null(v) &&
	    amount(&r, v, "tax", d->currency, &d->tax)) ||
	    ((v = oms_node_get(n, "discount")) && !oms_node_is_null(v) &&
	    amount(&r, v, "discount", d->currency, &d->discount)))
		goto bad;
	if (payment(&r, n, d) || lines(&r, n, d, 0))
		goto bad;
	return 0;
nomem:
	fail(&r, n, "out of memory");
bad:
	free(s);
	oms_doc_free(d);
	return -1;
}

/* given says whether a map names a key; a map given empty names all of them (it clears them). */
static void
given(const struct oms_node *map, const char *const *keys, unsigned char *out)
{
	size_t i;

	for (i = 0; map != NULL && keys[i] != NULL; i++)
		out[i] = oms_node_is_null(map) || oms_node_get(map, keys[i]) != NULL;
}

int
oms_doc_patch_from_node(const struct oms_node *n, struct oms_doc_patch *p, const char *where,
    const char *currency, char *err, size_t errlen)
{
	static const char *const fields[] = { "customer", "ship_to", "bill_to", "ship_method",
		"ship_complete", "priority", "shipping", "tax", "discount", "notes", "lines", NULL };
	static const char *const cust[] = { "name", "email", "phone", NULL };
	static const char *const addr[] = { "name", "company", "line1", "line2", "city",
		"region", "postal_code", "country", NULL };
	static const char *const amounts[] = { "shipping", "tax", "discount", NULL };
	struct reader r = { where, err, errlen };
	struct oms_doc *d = &p->doc;
	const struct oms_node *c, *v;
	int64_t *amt[] = { &d->shipping, &d->tax, &d->discount };
	size_t i;

	memset(p, 0, sizeof *p);
	d->ship_complete = -1;
	d->line = n->line;
	snprintf(d->currency, sizeof d->currency, "%s", currency);
	if (n->kind != OMS_NODE_MAP)
		return fail(&r, n, "expected the fields to change (a map), found %s",
		    oms_node_kind_name(n->kind));
	if (keys(&r, n, "order", fields))
		goto bad;
	if ((c = oms_node_get(n, "customer")) != NULL && !oms_node_is_null(c) &&
	    c->kind != OMS_NODE_MAP) {
		fail(&r, c, "customer: expected a map, found %s", oms_node_kind_name(c->kind));
		goto bad;
	}
	if ((c != NULL && !oms_node_is_null(c) && keys(&r, c, "customer", cust)) ||
	    text(&r, c, "name", "customer", &d->customer_name) ||
	    text(&r, c, "email", "customer", &d->customer_email) ||
	    text(&r, c, "phone", "customer", &d->customer_phone) ||
	    address(&r, n, "ship_to", &d->ship_to) || address(&r, n, "bill_to", &d->bill_to) ||
	    text(&r, n, "ship_method", "", &d->ship_method) || text(&r, n, "notes", "", &d->notes) ||
	    boolean(&r, n, "ship_complete", &d->ship_complete) || priority(&r, n, &d->priority))
		goto bad;
	for (i = 0; amounts[i] != NULL; i++)
		if ((v = oms_node_get(n, amounts[i])) != NULL && !oms_node_is_null(v) &&
		    amount(&r, v, amounts[i], d->currency, amt[i]))
			goto bad;
	if (oms_node_get(n, "lines") != NULL && lines(&r, n, d, 1))
		goto bad;
	given(c, cust, &p->given[OMS_P_CUSTOMER]);
	given(oms_node_get(n, "ship_to"), addr, &p->given[OMS_P_SHIP_TO]);
	given(oms_node_get(n, "bill_to"), addr, &p->given[OMS_P_BILL_TO]);
	given(n, fields + 3, &p->given[OMS_P_SHIP_METHOD]);
	return 0;
bad:
	oms_doc_free(d);
	return -1;
}

void
oms_address_free(struct oms_address *a)
{
	free(a->name);
	free(a->company);
	free(a->line1);
	free(a->line2);
	free(a->city);
	free(a->region);
	free(a->postal_code);
	free(a->country);
	memset(a, 0, sizeof *a);
}

void
oms_doc_free(struct oms_doc *d)
{
	size_t i;

	free(d->external_id);
	free(d->source);
	free(d->placed_at);
	free(d->customer_name);
	free(d->customer_email);
	free(d->customer_phone);
	oms_address_free(&d->ship_to);
	oms_address_free(&d->bill_to);
	free(d->ship_method);
	free(d->payment_method);
	free(d->payment_token);
	free(d->payment_ref);
	free(d->payment_terms);
	free(d->notes);
	for (i = 0; i < d->nlines; i++) {
		free(d->lines[i].sku);
		free(d->lines[i].external_line_id);
		free(d->lines[i].item_key);
	}
	free(d->lines);
	free(d->cancelled);
	free(d->review);
	free(d->fulfilled);
	memset(d, 0, sizeof *d);
	d->ship_complete = -1;
}

/* hash_str folds a field into an FNV-1a hash; NULL and "" differ. */
static uint64_t
hash_str(uint64_t h, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	h = (h ^ (s ? 1u : 2u)) * 0x100000001b3ULL;
	for (; *p != '\0'; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;
}

/* hash_int folds a number as hash_str folds its decimal text (stored hashes depend on it). */
static uint64_t
hash_int(uint64_t h, int64_t v)
{
	char buf[24], *p = buf + sizeof buf - 1;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	*p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	return hash_str(h, p);
}

static uint64_t
hash_addr(uint64_t h, const struct oms_address *a)
{
	h = hash_str(h, a->name);
	h = hash_str(h, a->company);
	h = hash_str(h, a->line1);
	h = hash_str(h, a->line2);
	h = hash_str(h, a->city);
	h = hash_str(h, a->region);
	h = hash_str(h, a->postal_code);
	return hash_str(h, a->country);
}

/*
 * doc_hash hashes a document, its lines' IDs with it or not, and the
 * carts' item keys and shipping flags with it or not.  Without them it is
 * the hash oms stored before it kept them.
 */
static void
doc_hash(const struct oms_doc *d, int line_ids, int cart_lines, char out[OMS_DOC_HASH_MAX])
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	h = hash_str(h, d->external_id);
	h = hash_str(h, d->source);
	h = hash_str(h, d->placed_at);
	h = hash_str(h, d->customer_name);
	h = hash_str(h, d->customer_email);
	h = hash_str(h, d->customer_phone);
	h = hash_addr(h, &d->ship_to);
	h = hash_addr(h, &d->bill_to);
	h = hash_str(h, d->ship_method);
	h = hash_int(h, d->ship_complete);
	h = hash_int(h, d->priority);
	h = hash_str(h, d->currency);
	h = hash_int(h, d->shipping);
	h = hash_int(h, d->tax);
	h = hash_int(h, d->discount);
	h = hash_str(h, d->payment_method);
	h = hash_str(h, d->payment_token);
	h = hash_str(h, d->payment_ref);
	h = hash_str(h, d->payment_terms);
	h = hash_str(h, d->notes);
	for (i = 0; i < d->nlines; i++) {
		/*
		 * A line the source names by its own key is the same line
		 * whatever SKU the key maps to today: a partner's order sent
		 * again after its cross-reference grew is the order it was.
		 */
		h = hash_str(h, cart_lines && d->lines[i].item_key != NULL ? "" : d->lines[i].sku);
		h = hash_int(h, d->lines[i].qty);
		h = hash_int(h, d->lines[i].has_price ? d->lines[i].price : -1);
		/* Tagged, so that an ID cannot pass for the next line's SKU. */
		if (line_ids && d->lines[i].external_line_id != NULL) {
			h = hash_str(h, "line_id");
			h = hash_str(h, d->lines[i].external_line_id);
		}
		/* Only when there: documents without them hash as they always did. */
		if (cart_lines && d->lines[i].item_key != NULL) {
			h = hash_str(h, "item_key");
			h = hash_str(h, d->lines[i].item_key);
		}
		if (cart_lines && d->lines[i].no_shipping)
			h = hash_str(h, "no_shipping");
	}
	/* As "%016llx" writes it; snprintf's parsing of its format cost more than the hash. */
	for (i = 16; i-- > 0; h >>= 4)
		out[i] = "0123456789abcdef"[h & 0xf];
	out[16] = '\0';
}

void
oms_doc_hash(const struct oms_doc *d, char out[OMS_DOC_HASH_MAX])
{
	doc_hash(d, 1, 1, out);
}

void
omsi_doc_hash_before_line_ids(const struct oms_doc *d, char *out)
{
	doc_hash(d, 0, 0, out);
}

void
omsi_doc_hash_before_cart_lines(const struct oms_doc *d, char *out)
{
	doc_hash(d, 1, 0, out);
}

int
omsi_order_take_line_ids(struct oms *o, int64_t id, const struct oms_doc *d,
    const char *detail)
{
	char hash[OMS_DOC_HASH_MAX];
	size_t i;
	int rc;

	for (i = 0; i < d->nlines; i++)
		if (d->lines[i].external_line_id != NULL && (rc = omsi_exec(o, "UPDATE order_lines"
		    " SET external_line_id = ? WHERE order_id = ? AND line_no = ? AND sku = ?"
		    " AND external_line_id IS NULL", "tiit", d->lines[i].external_line_id, id,
		    (int64_t)(i + 1), d->lines[i].sku)) != OMS_OK)
			return rc;
	oms_doc_hash(d, hash);
	if ((rc = omsi_exec(o, "UPDATE orders SET content_hash = ? WHERE id = ?", "ti", hash,
	    id)) != OMS_OK)
		return rc;
	return oms_event(o, id, "line ids", OMS_NSTATUS, OMS_NSTATUS, detail);
}

int
oms_order_find(struct oms *o, const char *source, const char *external_id, int64_t *id,
    char hash[OMS_DOC_HASH_MAX])
{
	struct omsi_stmt *st;
	int rc;

	if ((st = omsi_stmt(o, "SELECT id, coalesce(content_hash, '') FROM orders"
	    " WHERE source = ? AND external_id = ?", "tt", source, external_id)) == NULL ||
	    (rc = omsi_step(o, st)) < 0)
		return -1;
	if (rc == OMSI_ROW) {
		*id = omsi_col_int64(st, 0);
		snprintf(hash, OMS_DOC_HASH_MAX, "%s", omsi_text(st, 1));
	}
	omsi_reset(st);
	return rc == OMSI_ROW;
}

/* What the catalog says of a SKU, as line_price needs it. */
struct price {
	char *sku;
	int known;		/* the catalog has it */
	int has_price;		/* with a price (not NULL) */
	int64_t price;
	char currency[8];	/* items.currency: three letters */
	int ships;		/* items.ships: 0 for an item that never ships */
};

/*
 * The catalog prices one transaction looked up: an import prices line
 * after line of the same few hundred SKUs.  Kept per transaction, in which
 * nobody else can change the catalog; dropped at the next.
 */
struct omsi_prices {
	uint64_t tx;		/* the transaction (oms->tx_serial) they were read in */
	struct price *slot;	/* open addressing by SKU; nslot a power of two */
	size_t nslot, n;
};

void
omsi_prices_free(struct omsi_prices *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nslot; i++)
		free(c->slot[i].sku);
	free(c->slot);
	free(c);
}

/* price_slot is sku's entry in the cache, or where it goes (grown); NULL: out of memory. */
static struct price *
price_slot(struct omsi_prices *c, const char *sku)
{
	struct price *old = c->slot, *p;
	size_t i, j, n = c->nslot;

	if (2 * (c->n + 1) > c->nslot) {
		if ((c->slot = omsi_calloc(n ? 2 * n : 512, sizeof *c->slot)) == NULL) {
			c->slot = old;
			return NULL;
		}
		c->nslot = n ? 2 * n : 512;
		for (i = 0; i < n; i++) {
			if (old[i].sku == NULL)
				continue;
			for (j = omsi_hash_str(old[i].sku) & (c->nslot - 1); c->slot[j].sku != NULL;
			    j = (j + 1) & (c->nslot - 1))
				;
			c->slot[j] = old[i];
		}
		free(old);
	}
	for (i = omsi_hash_str(sku) & (c->nslot - 1); (p = &c->slot[i])->sku != NULL;
	    i = (i + 1) & (c->nslot - 1))
		if (strcmp(p->sku, sku) == 0)
			break;
	return p;
}

/* catalog_price reads what the catalog says of sku, once a transaction. */
static int
catalog_price(struct oms *o, const char *sku, const struct price **out)
{
	struct omsi_prices *c = o->prices;
	struct price *p;
	struct omsi_stmt *st;
	int rc;

	if (c == NULL || c->tx != o->tx_serial || !o->in_tx) {
		omsi_prices_free(c);
		if ((o->prices = c = omsi_calloc(1, sizeof *c)) == NULL)
			return OMS_ESYS;
		c->tx = o->tx_serial;
	}
	if ((p = price_slot(c, sku)) == NULL)
		return OMS_ESYS;
	if (p->sku == NULL) {
		if ((st = omsi_stmt(o, "SELECT price, currency, ships FROM items WHERE sku = ?", "t",
		    sku)) == NULL || (rc = omsi_step(o, st)) < 0)
			return OMS_ESYS;
		p->ships = 1;
		if ((p->known = rc == OMSI_ROW)) {
			p->has_price = !omsi_col_null(st, 0);
			p->price = omsi_col_int64(st, 0);
			snprintf(p->currency, sizeof p->currency, "%s", omsi_text(st, 1));
			p->ships = omsi_col_int(st, 2);
		}
		omsi_reset(st);
		if ((p->sku = omsi_strdup(sku)) == NULL)
			return OMS_ESYS;
		c->n++;
	}
	*out = p;
	return OMS_OK;
}

/*
 * line_price finds a line's unit price: given, or the catalog's.  sku is
 * the line's SKU, its own or its key's alias; "" for none yet, when the
 * source's price is the only one there is.
 */
static int
line_price(struct oms *o, const struct oms_doc *d, size_t i, const char *sku, int flags,
    int64_t *price, int *unknown, int *ships, struct reader *r)
{
	const struct oms_doc_line *l = &d->lines[i];
	struct oms_node at = { .line = l->line ? l->line : d->line };
	const struct price *p;

	if (*sku == '\0') {
		if (!l->has_price) {
			fail(r, &at, "line %zu: \"%.64s\" has no SKU, so it needs a price", i + 1,
			    l->item_key ? l->item_key : "");
			return OMS_EINPUT;
		}
		*price = l->price;
		return OMS_OK;
	}
	if (catalog_price(o, sku, &p) != OMS_OK)
		return OMS_ESYS;
	*ships = p->ships;
	if (!p->known) {
		if (!(flags & OMS_ADD_ALLOW_UNKNOWN_SKU)) {
			fail(r, &at, "line %zu: sku \"%.64s\" is not in the catalog"
			    " (--allow-unknown-sku takes it anyway)", i + 1, sku);
			return OMS_EINPUT;
		}
		if (!l->has_price) {
			fail(r, &at, "line %zu: sku \"%.64s\" is not in the catalog, so it needs"
			    " a price", i + 1, sku);
			return OMS_EINPUT;
		}
		*unknown = 1;
	} else if (!l->has_price) {
		if (!p->has_price) {
			fail(r, &at, "line %zu: sku \"%.64s\" has no catalog price: give one",
			    i + 1, sku);
			return OMS_EINPUT;
		}
		if (strcmp(p->currency, d->currency) != 0) {
			fail(r, &at, "line %zu: the catalog prices \"%.64s\" in %s, the order is"
			    " in %s: give a price", i + 1, sku, p->currency, d->currency);
			return OMS_EINPUT;
		}
		*price = p->price;
		return OMS_OK;
	}
	*price = l->price;
	return OMS_OK;
}

static int
required(struct reader *r, const struct oms_doc *d, const char *field, const char *v)
{
	struct oms_node at = { .line = d->line };

	if (v == NULL) {
		fail(r, &at, "%s: missing", field);
		return OMS_EINPUT;
	}
	return OMS_OK;
}

int
oms_order_add(struct oms *o, const struct oms_doc *d, int flags, int64_t *id,
    const char *where, char *err, size_t errlen)
{
	struct reader r = { where, err, errlen };
	struct oms_node at = { .line = d->line };
	int64_t *prices, subtotal = 0, total, amt;
	int *unknown, *ships = NULL, no_address = 0;
	char detail[512], (*skus)[OMS_SKU_MAX] = NULL;
	const struct oms_address *s = &d->ship_to, *b = &d->bill_to;
	char now[OMS_TIME_MAX], content_hash[OMS_DOC_HASH_MAX];
	char phone_key[OMSI_PHONE_MAX], *name_fold = NULL;
	int64_t email_key;
	const char *names[] = { d->customer_name ? d->customer_name : s->name, s->name,
	    s->company, b->name, b->company };
	struct omsi_stmt *st;
	size_t i, n;
	int rc;

	if (doc_check(&r, d) != 0)
		return OMS_EINPUT;
	/* A cart's order of digital goods or for pick-up may have nowhere to ship to. */
	if ((flags & OMS_ADD_HOLD_NO_ADDRESS) && (s->name == NULL || s->line1 == NULL ||
	    s->city == NULL))
		no_address = 1;
	else if ((rc = required(&r, d, "ship_to.name", s->name)) || (rc = required(&r, d,
	    "ship_to.line1", s->line1)) || (rc = required(&r, d, "ship_to.city", s->city)))
		return rc;
	if (d->nlines == 0) {
		fail(&r, &at, "lines: an order needs at least one line");
		return OMS_EINPUT;
	}
	if (d->external_id != NULL && !(flags & OMS_ADD_IF_NEW)) {
		if ((st = omsi_stmt(o, "SELECT id FROM orders WHERE source = ? AND external_id = ?",
		    "tt", d->source, d->external_id)) == NULL || (rc = omsi_step(o, st)) < 0)
			return OMS_ESYS;
		if (rc == OMSI_ROW) {
			fail(&r, &at, "order %s from %s is already in the database"
			    " (order %lld)", d->external_id, d->source,
			    (long long)omsi_col_int64(st, 0));
			omsi_reset(st);
			return OMS_EINPUT;
		}
		omsi_reset(st);
	}
	if ((prices = omsi_calloc(d->nlines, sizeof *prices)) == NULL)
		return OMS_ESYS;
	if ((unknown = omsi_calloc(d->nlines, sizeof *unknown)) == NULL ||
	    (ships = omsi_calloc(d->nlines, sizeof *ships)) == NULL ||
	    (skus = omsi_calloc(d->nlines, sizeof *skus)) == NULL) {
		free(prices);
		free(unknown);
		free(ships);
		return OMS_ESYS;
	}
	for (i = 0; i < d->nlines; i++) {
		/* Only a line without a SKU costs a lookup: imports stay as fast. */
		n = strnlen(d->lines[i].sku, sizeof skus[i] - 1);
		memcpy(skus[i], d->lines[i].sku, n);
		skus[i][n] = '\0';
		if (skus[i][0] == '\0' && d->lines[i].item_key != NULL &&
		    oms_alias_lookup(o, omsi_alias_source(d->source), d->lines[i].item_key,
		    skus[i]) < 0) {
			rc = OMS_ESYS;
			goto out;
		}
		ships[i] = 1;
		if ((rc = line_price(o, d, i, skus[i], flags, &prices[i], &unknown[i], &ships[i],
		    &r)) != OMS_OK)
			goto out;
		if (__builtin_mul_overflow(prices[i], d->lines[i].qty, &amt) ||
		    __builtin_add_overflow(subtotal, amt, &subtotal)) {
			fail(&r, &at, "the order's total is too large");
			rc = OMS_EINPUT;
			goto out;
		}
	}
	if (d->discount > subtotal) {
		fail(&r, &at, "discount is more than the lines add up to");
		rc = OMS_EINPUT;
		goto out;
	}
	if (__builtin_add_overflow(subtotal - d->discount, d->shipping, &total) ||
	    __builtin_add_overflow(total, d->tax, &total)) {
		fail(&r, &at, "the order's total is too large");
		rc = OMS_EINPUT;
		goto out;
	}
	oms_time_now(now);
	oms_doc_hash(d, content_hash);
	/* What oms-order find looks it up by (lib/find.c, omsi_order_keys from the row). */
	omsi_phone_key(d->customer_phone ? d->customer_phone : "", phone_key);
	if (d->customer_email != NULL)
		email_key = omsi_email_key(d->customer_email);
	if ((rc = omsi_name_fold(names, sizeof names / sizeof names[0], &name_fold)) != OMS_OK)
		goto out;
	if ((st = omsi_stmt(o, "INSERT INTO orders (source, external_id, customer_name,"
	    " customer_email, customer_phone, ship_name, ship_company, ship_line1, ship_line2,"
	    " ship_city, ship_region, ship_postal_code, ship_country, bill_name, bill_company,"
	    " bill_line1, bill_line2, bill_city, bill_region, bill_postal_code, bill_country,"
	    " ship_method, ship_complete, priority, placed_at, created_at, updated_at, currency,"
	    " subtotal, discount, shipping, tax, total, payment_method, payment_token,"
	    " payment_ref, payment_terms, notes, content_hash, name_fold, phone_key, email_key)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	    " ON CONFLICT (source, external_id) DO NOTHING",
	    "ttttttttttttttttttttttt" "i" "tttt" "iiiii" "tttttt" "tt" "j",
	    d->source, d->external_id, names[0],
	    d->customer_email, d->customer_phone, s->name, s->company, s->line1, s->line2,
	    s->city, s->region, s->postal_code, s->country ? s->country : "US",
	    b->name, b->company, b->line1, b->line2, b->city, b->region, b->postal_code,
	    b->country, d->ship_method,
	    d->ship_complete < 0 ? NULL : d->ship_complete ? "1" : "0", (int64_t)d->priority,
	    d->placed_at ? d->placed_at : now, now, now, d->currency, subtotal, d->discount,
	    d->shipping, d->tax, total, d->payment_method, d->payment_token, d->payment_ref,
	    d->payment_terms, d->notes, content_hash, name_fold,
	    phone_key[0] ? phone_key : NULL, d->customer_email != NULL ? &email_key : NULL)) ==
	    NULL || (rc = omsi_step(o, st)) < 0) {
		rc = OMS_ESYS;
		goto out;
	}
	omsi_reset(st);
	if (rc != OMSI_DONE) {
		/*
		 * Only a CHECK the checks above should have caught: nothing was
		 * written (the statement failed whole), so the caller may go on.
		 */
		fail(&r, &at, "the database refused the order: %s", omsi_errmsg(o));
		rc = OMS_EINPUT;
		goto out;
	}
	/*
	 * The unique key's own lookup tells a new order from one imported
	 * before: an import does not look it up first, a seek each new order.
	 * Without OMS_ADD_IF_NEW it was looked up above, and is new.
	 */
	if (omsi_changes(o) == 0) {
		*id = 0;
		rc = OMS_OK;
		goto out;
	}
	*id = omsi_last_id(o);
	for (i = 0; i < d->nlines; i++)
		if ((rc = omsi_exec(o, "INSERT INTO order_lines (order_id, line_no, sku, qty,"
		    " unit_price, external_line_id, item_key, needs_shipping, cancelled) VALUES"
		    " (?, ?, ?, ?, ?, ?, ?, ?, ?)", "iitiittii", *id,
		    (int64_t)(i + 1), skus[i], d->lines[i].qty, prices[i],
		    d->lines[i].external_line_id, d->lines[i].item_key,
		    (int64_t)(!d->lines[i].no_shipping && ships[i]), d->cancelled ? d->lines[i].qty :
		    d->lines[i].cancelled)) != OMS_OK)
			goto out;
	if (d->line > 0)
		snprintf(detail, sizeof detail, "from %s:%d", where, d->line);
	else
		snprintf(detail, sizeof detail, "from %s", where);
	if ((rc = oms_event(o, *id, "created", OMS_NSTATUS, OMS_NEW, detail)) != OMS_OK)
		goto out;
	/* Flagged now, held by allocation later: the catalog may learn the SKU first. */
	for (i = 0; i < d->nlines; i++) {
		if (unknown[i] && (rc = oms_event(o, *id, "unknown sku", OMS_NSTATUS, OMS_NSTATUS,
		    skus[i])) != OMS_OK)
			goto out;
		/* A line that came with its SKU (a partner's, found by its own ID) says no more. */
		if (d->lines[i].item_key == NULL || d->lines[i].sku[0] != '\0')
			continue;
		/* What the source called it, and what, if anything, that names here. */
		if (skus[i][0] != '\0')
			snprintf(detail, sizeof detail, "line %zu: %s \"%.256s\" is %s (alias)",
			    i + 1, d->source, d->lines[i].item_key, skus[i]);
		else if (d->lines[i].no_shipping)
			snprintf(detail, sizeof detail, "line %zu: %s \"%.200s\" (it needs no"
			    " shipping, nor a sku)", i + 1, d->source, d->lines[i].item_key);
		else
			snprintf(detail, sizeof detail, "line %zu: %s \"%.200s\" (map it: oms-stock"
			    " alias %s \"%.200s\" SKU)", i + 1, d->source, d->lines[i].item_key,
			    omsi_alias_source(d->source), d->lines[i].item_key);
		if ((rc = oms_event(o, *id, skus[i][0] ? "sku from alias" : "no sku",
		    OMS_NSTATUS, OMS_NSTATUS, detail)) != OMS_OK)
			goto out;
	}
	/* The source's word on the order, after its creation in the history. */
	if (d->cancelled != NULL)
		rc = oms_order_move(o, *id, OMS_CANCELLED, NULL, "cancel", d->cancelled);
	else if (no_address) {
		rc = oms_order_move(o, *id, OMS_HOLD, "address", "hold", "no shipping address");
		if (rc == OMS_OK && d->line > 0)
			oms_warnx("%s:%d: order %s: no shipping address: added on hold (address);"
			    " give it one with oms-order edit %lld", where, d->line,
			    d->external_id ? d->external_id : "", (long long)*id);
		else if (rc == OMS_OK)
			oms_warnx("%s: order %s: no shipping address: added on hold (address);"
			    " give it one with oms-order edit %lld", where,
			    d->external_id ? d->external_id : "", (long long)*id);
	} else if (d->review != NULL)
		rc = oms_order_move(o, *id, OMS_HOLD, "manual", "hold", d->review);
out:
	free(name_fold);
	free(prices);
	free(unknown);
	free(ships);
	free(skus);
	return rc;
}

int
oms_order_add_yaml(struct oms *o, FILE *f, const char *name, int flags, char *err,
    size_t errlen)
{
	struct oms_yaml *y;
	struct oms_node *n = NULL;
	struct oms_doc d;
	int64_t *ids = NULL, *nids;
	size_t nid = 0, cap = 0, i;
	char *buf = NULL;
	FILE *in;
	int r, rc;

	/* The whole input first: the write lock is not held while a person types. */
	if ((in = omsi_slurp(f, name, &buf)) == NULL)
		return OMS_ESYS;
	if ((y = oms_yaml_open(in, name)) == NULL) {
		fclose(in);
		free(buf);
		return OMS_ESYS;
	}
	/* One transaction for the whole input: a bad document adds nothing at all. */
	if ((rc = oms_begin(o)) != OMS_OK)
		goto out;
	while ((r = oms_yaml_next(y, &n, err, errlen)) > 0) {
		if (oms_node_is_null(n)) {
			/* An empty document between two "---" is nothing, not an error. */
			oms_node_free(n);
			continue;
		}
		if (oms_doc_from_node(n, &d, name, "manual", oms_config_currency(o), err,
		    errlen) != 0) {
			rc = OMS_EINPUT;
			goto out;
		}
		if (nid == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nids = realloc(ids, cap * sizeof *ids)) == NULL) {
				oms_doc_free(&d);
				oms_warnx("out of memory");
				rc = OMS_ESYS;
				goto out;
			}
			ids = nids;
		}
		rc = oms_order_add(o, &d, flags, &ids[nid], name, err, errlen);
		oms_doc_free(&d);
		if (rc != OMS_OK)
			goto out;
		nid++;
		oms_node_free(n);
		n = NULL;
	}
	if (r < 0) {
		rc = OMS_EINPUT;
		goto out;
	}
	if (nid == 0) {
		omsi_fmt_err(err, errlen, "%s: no order in the input", name);
		rc = OMS_EINPUT;
		goto out;
	}
	if (o->opts.dry_run) {
		oms_rollback(o);
	} else if ((rc = oms_commit(o)) != OMS_OK) {
		goto out;
	}
	for (i = 0; i < nid; i++)
		printf("%lld\n", (long long)ids[i]);
out:
	if (rc != OMS_OK)
		oms_rollback(o);
	oms_node_free(n);
	oms_yaml_close(y);
	fclose(in);
	free(buf);
	free(ids);
	return rc;
}
