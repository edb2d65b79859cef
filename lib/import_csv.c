/*
 * import_csv.c: orders from delimited files, one row per order line: oms's
 * own CSV, custom layouts named in oms.yaml, and the exports of Shopify,
 * WooCommerce and Amazon.  Each is a table from header names to the fields
 * of an order; the rows of one order follow each other.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <oms/config.h>
#include <oms/csv.h>
#include <oms/doc.h>
#include <oms/import.h>
#include <oms/money.h>
#include <oms/node.h>
#include <oms/pan.h>
#include <oms/time.h>
#include <oms/diag.h>

#include "internal.h"

/* What a column can hold.  Order fields come from an order's first row. */
enum field {
	F_ORDER_ID, F_SOURCE, F_PLACED_AT, F_CURRENCY,
	F_CUST_NAME, F_CUST_FIRST, F_CUST_LAST, F_CUST_EMAIL, F_CUST_PHONE,
	F_SHIP_NAME, F_SHIP_FIRST, F_SHIP_LAST, F_SHIP_COMPANY, F_SHIP_LINE1, F_SHIP_LINE2,
	F_SHIP_LINE3, F_SHIP_CITY, F_SHIP_REGION, F_SHIP_POSTAL, F_SHIP_COUNTRY, F_SHIP_PHONE,
	F_BILL_NAME, F_BILL_FIRST, F_BILL_LAST, F_BILL_COMPANY, F_BILL_LINE1, F_BILL_LINE2,
	F_BILL_CITY, F_BILL_REGION, F_BILL_POSTAL, F_BILL_COUNTRY,
	F_SHIP_METHOD, F_SHIP_COMPLETE, F_PRIORITY,
	F_SHIPPING, F_TAX, F_DISCOUNT, F_TOTAL,
	F_PAY_METHOD, F_PAY_REF, F_PAY_TOKEN, F_PAY_TERMS, F_PAY_STATUS, F_NOTES,
	F_CANCELLED_AT, F_REFUNDED, F_FULFILLMENT, F_FULFILLED_AT,
	/* Line fields. */
	F_SKU, F_QTY, F_PRICE, F_LINE_ID,
	/* What a cart calls a line's item when it has no SKU; whether it ships; its status. */
	F_ITEM_KEY, F_SHIPS, F_ITEM_STATUS,
	/* Amounts given per row and summed over the order (Amazon's report). */
	F_ROW_TOTAL, F_ROW_TAX, F_ROW_SHIPPING, F_ROW_SHIP_TAX, F_ROW_DISCOUNT,
	F_ROW_SHIP_DISCOUNT,
	NFIELDS
};

/* oms's own CSV: the header names are the fields' names (oms-import(1)). */
static const char *const own_names[NFIELDS] = {
	[F_ORDER_ID] = "order_id", [F_SOURCE] = "source", [F_PLACED_AT] = "placed_at",
	[F_CURRENCY] = "currency", [F_CUST_NAME] = "customer_name",
	[F_CUST_EMAIL] = "customer_email", [F_CUST_PHONE] = "customer_phone",
	[F_SHIP_NAME] = "ship_name", [F_SHIP_COMPANY] = "ship_company",
	[F_SHIP_LINE1] = "ship_line1", [F_SHIP_LINE2] = "ship_line2",
	[F_SHIP_CITY] = "ship_city", [F_SHIP_REGION] = "ship_region",
	[F_SHIP_POSTAL] = "ship_postal_code", [F_SHIP_COUNTRY] = "ship_country",
	[F_BILL_NAME] = "bill_name", [F_BILL_COMPANY] = "bill_company",
	[F_BILL_LINE1] = "bill_line1", [F_BILL_LINE2] = "bill_line2",
	[F_BILL_CITY] = "bill_city", [F_BILL_REGION] = "bill_region",
	[F_BILL_POSTAL] = "bill_postal_code", [F_BILL_COUNTRY] = "bill_country",
	[F_SHIP_METHOD] = "ship_method", [F_SHIP_COMPLETE] = "ship_complete",
	[F_PRIORITY] = "priority", [F_SHIPPING] = "shipping", [F_TAX] = "tax",
	[F_DISCOUNT] = "discount", [F_TOTAL] = "total", [F_PAY_METHOD] = "payment_method",
	[F_PAY_REF] = "payment_reference", [F_PAY_TOKEN] = "payment_token",
	[F_PAY_TERMS] = "payment_terms", [F_NOTES] = "notes", [F_SKU] = "sku",
	[F_QTY] = "qty", [F_PRICE] = "price", [F_LINE_ID] = "line_id",
	[F_ITEM_KEY] = "item_key", [F_SHIPS] = "needs_shipping",
};

struct column {
	enum field f;
	const char *header;
};

/* Shopify's "Export orders" CSV; later rows of an order repeat only a few order columns. */
static const struct column shopify_cols[] = {
	{ F_ORDER_ID, "Name" }, { F_CUST_EMAIL, "Email" }, { F_PAY_STATUS, "Financial Status" },
	{ F_CURRENCY, "Currency" }, { F_SHIPPING, "Shipping" }, { F_TAX, "Taxes" },
	{ F_TOTAL, "Total" }, { F_DISCOUNT, "Discount Amount" },
	{ F_SHIP_METHOD, "Shipping Method" }, { F_PLACED_AT, "Created at" },
	{ F_QTY, "Lineitem quantity" }, { F_PRICE, "Lineitem price" }, { F_SKU, "Lineitem sku" },
	{ F_BILL_NAME, "Billing Name" }, { F_BILL_LINE1, "Billing Address1" },
	{ F_BILL_LINE2, "Billing Address2" }, { F_BILL_COMPANY, "Billing Company" },
	{ F_BILL_CITY, "Billing City" }, { F_BILL_POSTAL, "Billing Zip" },
	{ F_BILL_REGION, "Billing Province" }, { F_BILL_COUNTRY, "Billing Country" },
	{ F_SHIP_NAME, "Shipping Name" }, { F_SHIP_LINE1, "Shipping Address1" },
	{ F_SHIP_LINE2, "Shipping Address2" }, { F_SHIP_COMPANY, "Shipping Company" },
	{ F_SHIP_CITY, "Shipping City" }, { F_SHIP_POSTAL, "Shipping Zip" },
	{ F_SHIP_REGION, "Shipping Province" }, { F_SHIP_COUNTRY, "Shipping Country" },
	{ F_SHIP_PHONE, "Shipping Phone" }, { F_CUST_PHONE, "Phone" }, { F_NOTES, "Notes" },
	{ F_PAY_REF, "Payment Reference" }, { F_CANCELLED_AT, "Cancelled at" },
	{ F_REFUNDED, "Refunded Amount" }, { F_FULFILLMENT, "Fulfillment Status" },
	{ F_FULFILLED_AT, "Fulfilled at" },
	/* "Product - Variant": the name a product without a SKU is known by. */
	{ F_ITEM_KEY, "Lineitem name" }, { F_SHIPS, "Lineitem requires shipping" },
};

/* Amazon Seller Central's order report: tab-delimited, amounts per item row. */
static const struct column amazon_cols[] = {
	{ F_ORDER_ID, "order-id" }, { F_ORDER_ID, "amazon-order-id" },
	{ F_LINE_ID, "order-item-id" }, { F_PAY_STATUS, "order-status" },
	{ F_ITEM_STATUS, "item-status" }, { F_ITEM_KEY, "asin" }, { F_QTY, "quantity" },
	{ F_PLACED_AT, "purchase-date" }, { F_CUST_EMAIL, "buyer-email" },
	{ F_CUST_NAME, "buyer-name" },
	{ F_CUST_PHONE, "buyer-phone-number" }, { F_SKU, "sku" },
	{ F_QTY, "quantity-purchased" }, { F_CURRENCY, "currency" },
	{ F_ROW_TOTAL, "item-price" }, { F_ROW_TAX, "item-tax" },
	{ F_ROW_SHIPPING, "shipping-price" }, { F_ROW_SHIP_TAX, "shipping-tax" },
	{ F_SHIP_METHOD, "ship-service-level" }, { F_SHIP_NAME, "recipient-name" },
	{ F_SHIP_LINE1, "ship-address-1" }, { F_SHIP_LINE2, "ship-address-2" },
	{ F_SHIP_LINE3, "ship-address-3" }, { F_SHIP_CITY, "ship-city" },
	{ F_SHIP_REGION, "ship-state" }, { F_SHIP_POSTAL, "ship-postal-code" },
	{ F_SHIP_COUNTRY, "ship-country" }, { F_SHIP_PHONE, "ship-phone-number" },
	{ F_ROW_DISCOUNT, "item-promotion-discount" },
	{ F_ROW_SHIP_DISCOUNT, "ship-promotion-discount" },
};

/*
 * WooCommerce's common one-row-per-item order export (the default fields of
 * "Advanced Order Export For WooCommerce"); address lines come joined or apart.
 */
static const struct column woo_cols[] = {
	{ F_ORDER_ID, "Order Number" }, { F_ORDER_ID, "Order ID" },
	{ F_PAY_STATUS, "Order Status" }, { F_PLACED_AT, "Order Date" },
	{ F_NOTES, "Customer Note" }, { F_BILL_FIRST, "First Name (Billing)" },
	{ F_BILL_LAST, "Last Name (Billing)" }, { F_BILL_COMPANY, "Company (Billing)" },
	{ F_BILL_LINE1, "Address 1&2 (Billing)" }, { F_BILL_LINE1, "Address 1 (Billing)" },
	{ F_BILL_LINE2, "Address 2 (Billing)" }, { F_BILL_CITY, "City (Billing)" },
	{ F_BILL_REGION, "State Code (Billing)" }, { F_BILL_POSTAL, "Postcode (Billing)" },
	{ F_BILL_COUNTRY, "Country Code (Billing)" }, { F_CUST_EMAIL, "Email (Billing)" },
	{ F_CUST_PHONE, "Phone (Billing)" }, { F_SHIP_FIRST, "First Name (Shipping)" },
	{ F_SHIP_LAST, "Last Name (Shipping)" }, { F_SHIP_COMPANY, "Company (Shipping)" },
	{ F_SHIP_LINE1, "Address 1&2 (Shipping)" }, { F_SHIP_LINE1, "Address 1 (Shipping)" },
	{ F_SHIP_LINE2, "Address 2 (Shipping)" }, { F_SHIP_CITY, "City (Shipping)" },
	{ F_SHIP_REGION, "State Code (Shipping)" }, { F_SHIP_POSTAL, "Postcode (Shipping)" },
	{ F_SHIP_COUNTRY, "Country Code (Shipping)" }, { F_PAY_METHOD, "Payment Method Title" },
	{ F_DISCOUNT, "Cart Discount Amount" }, { F_SHIP_METHOD, "Shipping Method Title" },
	{ F_SHIPPING, "Order Shipping Amount" }, { F_TOTAL, "Order Total Amount" },
	{ F_TAX, "Order Total Tax Amount" }, { F_SKU, "SKU" }, { F_QTY, "Quantity (- Refund)" },
	{ F_QTY, "Quantity" }, { F_PRICE, "Item Cost" }, { F_CURRENCY, "Order Currency" },
	/* WooCommerce's own ID of the line ("Item #" only counts the order's lines). */
	{ F_LINE_ID, "Item ID" },
};

/* How a format says the order was paid. */
enum payment_rule { PAY_FIELDS, PAY_SHOPIFY, PAY_WOO, PAY_AMAZON };

struct format {
	const char *name;
	const char *source;
	char delim;
	const struct column *cols;
	size_t ncols;
	enum payment_rule pay;
};

static const struct format builtin[] = {
	{ "shopify", "shopify", ',', shopify_cols, sizeof shopify_cols / sizeof shopify_cols[0],
	  PAY_SHOPIFY },
	{ "amazon", "amazon", '\t', amazon_cols, sizeof amazon_cols / sizeof amazon_cols[0],
	  PAY_AMAZON },
	{ "woocommerce", "woocommerce", ',', woo_cols, sizeof woo_cols / sizeof woo_cols[0],
	  PAY_WOO },
};

/* A bad row of no known order: the rows after it will tell whose it is. */
struct unread {
	size_t line;
	char what[160];
};

#define UNREAD_MAX 8

/* One order being put together from its rows. */
struct builder {
	struct oms_import *imp;
	const char *file;
	const struct format *fmt;
	const char *dflt_currency;
	int col[NFIELDS];	/* which column holds each field; -1 none */
	size_t ncols;		/* fields in the header */
	int active;		/* an order is open */
	int bad;		/* it was rejected: skip its rows */
	struct oms_doc d;
	char *key;		/* its order number as written */
	char *raw[NFIELDS];	/* order fields as first given: names, amounts, flags */
	int64_t sum[NFIELDS];	/* the per-row amounts so far */
	int priced;		/* every line has a price */
	size_t dropped;		/* rows of units the source cancelled before any was ordered */
	int verbose;		/* -v: say what is passed over, not only what is wrong */
	struct unread unread[UNREAD_MAX];	/* after the open order, in line order */
	size_t nunread;
};

static void
reset(struct builder *b)
{
	size_t i;

	oms_doc_free(&b->d);
	free(b->key);
	b->key = NULL;
	for (i = 0; i < NFIELDS; i++) {
		free(b->raw[i]);
		b->raw[i] = NULL;
		b->sum[i] = 0;
	}
	b->active = b->bad = 0;
	b->priced = 1;
	b->dropped = 0;
}

/* reject reports what is wrong with the open order and skips the rest of its rows. */
static void
reject(struct builder *b, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
reject(struct builder *b, size_t line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (b->key != NULL)
		oms_import_reject(b->imp, b->file, line, "order %s: %s", b->key, msg);
	else
		oms_import_reject(b->imp, b->file, line, "%s", msg);
	b->bad = 1;
}

/* slot is where an order field's text lands in the document (NULL: kept raw). */
static char **
slot(struct builder *b, enum field f)
{
	struct oms_doc *d = &b->d;

	switch (f) {
	case F_ORDER_ID: return &d->external_id;
	case F_SOURCE: return &d->source;
	case F_CUST_NAME: return &d->customer_name;
	case F_CUST_EMAIL: return &d->customer_email;
	case F_CUST_PHONE: return &d->customer_phone;
	case F_SHIP_NAME: return &d->ship_to.name;
	case F_SHIP_COMPANY: return &d->ship_to.company;
	case F_SHIP_LINE1: return &d->ship_to.line1;
	case F_SHIP_LINE2: return &d->ship_to.line2;
	case F_SHIP_CITY: return &d->ship_to.city;
	case F_SHIP_REGION: return &d->ship_to.region;
	case F_SHIP_POSTAL: return &d->ship_to.postal_code;
	case F_SHIP_COUNTRY: return &d->ship_to.country;
	case F_BILL_NAME: return &d->bill_to.name;
	case F_BILL_COMPANY: return &d->bill_to.company;
	case F_BILL_LINE1: return &d->bill_to.line1;
	case F_BILL_LINE2: return &d->bill_to.line2;
	case F_BILL_CITY: return &d->bill_to.city;
	case F_BILL_REGION: return &d->bill_to.region;
	case F_BILL_POSTAL: return &d->bill_to.postal_code;
	case F_BILL_COUNTRY: return &d->bill_to.country;
	case F_SHIP_METHOD: return &d->ship_method;
	case F_PAY_METHOD: return &d->payment_method;
	case F_PAY_REF: return &d->payment_ref;
	case F_PAY_TOKEN: return &d->payment_token;
	case F_PAY_TERMS: return &d->payment_terms;
	case F_NOTES: return &d->notes;
	default: return &b->raw[f];
	}
}

/* trimmed copies v without surrounding blanks; a spreadsheet's leading ' on a ZIP goes too. */
static char *
trimmed(const char *v, int postal)
{
	size_t n;

	v += strspn(v, " \t");
	if (postal && v[0] == '\'' && isdigit((unsigned char)v[1]))
		v++;
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	return strndup(v, n);
}

/* header_name is the column a field was read from, for messages. */
static const char *
header_name(const struct builder *b, enum field f, char **hdr)
{
	return b->col[f] >= 0 ? hdr[b->col[f]] : own_names[f] ? own_names[f] : "?";
}

/*
 * set_order_field takes an order field from a row: the first value given
 * counts, and a later row of the same order that gives another is an error
 * (two orders under one number, or a broken export).
 */
static int
set_order_field(struct builder *b, enum field f, const char *v, size_t line, char **hdr)
{
	char **s = slot(b, f), *t;

	if (*v == '\0')
		return 0;
	if ((t = trimmed(v, f == F_SHIP_POSTAL || f == F_BILL_POSTAL)) == NULL) {
		oms_warnx("out of memory");
		return -1;
	}
	if (*t == '\0') {
		free(t);
		return 0;
	}
	if (*s == NULL) {
		*s = t;
		return 0;
	}
	if (strcmp(*s, t) != 0)
		reject(b, line, "%s \"%.40s\" differs from the order's first row (\"%.40s\")",
		    header_name(b, f, hdr), t, *s);
	free(t);
	return 0;
}

/* money reads an amount in the order's currency; Amazon writes discounts negative. */
static int
money(struct builder *b, const char *v, size_t line, const char *what, int64_t *out,
    int allow_negative)
{
	char *t = trimmed(v, 0);
	int rc;

	if (t == NULL)
		return -1;
	rc = oms_money_parse(t, b->d.currency, out);
	if (rc != 0 || (*out < 0 && !allow_negative)) {
		reject(b, line, "%s \"%.40s\" is not an amount in %s%s", what, t, b->d.currency,
		    rc != 0 && errno == ERANGE ? " (too many digits)" : "");
		free(t);
		return 1;
	}
	free(t);
	return 0;
}

/* set_currency takes the order's currency code: at most its first 3 bytes (snprintf cost more). */
static void
set_currency(struct builder *b, const char *code)
{
	size_t n = strnlen(code, sizeof b->d.currency - 1);

	memcpy(b->d.currency, code, n);
	b->d.currency[n] = '\0';
}

/* start opens a new order at this row; -1 when out of memory (reported). */
static int
start(struct builder *b, const char *key, size_t line)
{
	const char *cur = b->col[F_CURRENCY] >= 0 ? NULL : b->dflt_currency;

	reset(b);
	if ((b->key = omsi_strdup(key)) == NULL)
		return -1;
	b->active = 1;
	b->d.line = (int)line;
	b->d.ship_complete = -1;
	set_currency(b, cur ? cur : "");
	return 0;
}

static int
add_line(struct builder *b, char **f, size_t line, char **hdr)
{
	const char *sku = b->col[F_SKU] >= 0 ? f[b->col[F_SKU]] : "";
	const char *q = b->col[F_QTY] >= 0 ? f[b->col[F_QTY]] : "";
	const char *lid = b->col[F_LINE_ID] >= 0 ? f[b->col[F_LINE_ID]] : "";
	const char *key = b->col[F_ITEM_KEY] >= 0 ? f[b->col[F_ITEM_KEY]] : "";
	const char *ships = b->col[F_SHIPS] >= 0 ? f[b->col[F_SHIPS]] : "";
	const char *status = b->col[F_ITEM_STATUS] >= 0 ? f[b->col[F_ITEM_STATUS]] : "";
	int64_t qty, price = 0, total, unit, rest;
	char *s, *line_id = NULL, *k = NULL;
	size_t first;
	int has_price = 0, rc = 0, no_shipping = 0, cancelled;

	sku += strspn(sku, " \t");
	key += strspn(key, " \t");
	if (*sku == '\0' && *q == '\0')
		return 0;	/* a row that only continues the order (Amazon's promotions) */
	if (*sku == '\0' && *key == '\0') {
		reject(b, line, "%s is empty%s", header_name(b, F_SKU, hdr), b->col[F_ITEM_KEY] >= 0 ?
		    ", and so is the name of what was sold" : "");
		return 0;
	}
	/* Amazon's cancelled item: a row with no units left, or all of them cancelled. */
	cancelled = strcasecmp(status, "Cancelled") == 0;
	if (cancelled && strcmp(q, "0") == 0) {
		b->dropped++;
		return 0;
	}
	/* A spreadsheet writes TRUE and FALSE; the cart writes true and false. */
	if (*ships != '\0') {
		if (strcasecmp(ships, "false") == 0 || strcasecmp(ships, "no") == 0 ||
		    strcmp(ships, "0") == 0)
			no_shipping = 1;
		else if (strcasecmp(ships, "true") != 0 && strcasecmp(ships, "yes") != 0 &&
		    strcmp(ships, "1") != 0) {
			reject(b, line, "%s \"%.40s\" is not true or false",
			    header_name(b, F_SHIPS, hdr), ships);
			return 0;
		}
	}
	if (oms_qty_parse(q, &qty) != 0 || qty == 0) {
		reject(b, line, "%s \"%.40s\" is not a positive whole number",
		    header_name(b, F_QTY, hdr), q);
		return 0;
	}
	if (b->col[F_PRICE] >= 0 && *f[b->col[F_PRICE]] != '\0') {
		if (money(b, f[b->col[F_PRICE]], line, header_name(b, F_PRICE, hdr), &price, 0))
			return 0;
		has_price = 1;
	}
	if ((s = trimmed(sku, 0)) == NULL)
		return -1;
	if (*s == '\0' && (k = trimmed(key, 0)) == NULL) {
		free(s);
		return -1;
	}
	first = b->d.nlines;
	if (b->col[F_ROW_TOTAL] >= 0) {
		/*
		 * The price is the total for the quantity.  When it does not divide
		 * evenly, some units carry a cent more: the order's total stays exact.
		 */
		/* A cancelled item's price may be left out: nothing of it is paid. */
		if (cancelled && *f[b->col[F_ROW_TOTAL]] == '\0')
			total = 0;
		else if (money(b, f[b->col[F_ROW_TOTAL]], line, header_name(b, F_ROW_TOTAL, hdr),
		    &total, 0)) {
			free(s);
			free(k);
			return 0;
		}
		unit = total / qty;
		rest = total % qty;
		rc = oms_doc_add_line(&b->d, s, qty - rest, 1, unit);
		if (rc == 0 && rest > 0) {
			b->d.lines[b->d.nlines - 1].line = (int)line;
			rc = oms_doc_add_line(&b->d, s, rest, 1, unit + 1);
		}
	} else {
		rc = oms_doc_add_line(&b->d, s, qty, has_price, price);
		b->priced &= has_price;
	}
	free(s);
	if (rc != 0) {
		free(k);
		oms_warnx("out of memory");
		return -1;
	}
	b->d.lines[b->d.nlines - 1].line = (int)line;
	/* A line split a cent apart is still the one line the source knows. */
	for (; first < b->d.nlines; first++) {
		struct oms_doc_line *l = &b->d.lines[first];

		l->no_shipping = no_shipping;
		l->cancelled = cancelled ? l->qty : 0;
		if (k != NULL && (l->item_key = strdup(k)) == NULL) {
			free(k);
			oms_warnx("out of memory");
			return -1;
		}
		if ((line_id = trimmed(lid, 0)) == NULL) {
			free(k);
			oms_warnx("out of memory");
			return -1;
		}
		if (*line_id == '\0') {
			free(line_id);
			line_id = NULL;
		}
		b->d.lines[first].external_line_id = line_id;
	}
	free(k);
	return 0;
}

static int
take_row(struct builder *b, char **f, size_t line, char **hdr)
{
	enum field i;
	int64_t v;

	/*
	 * A card number in any column oms reads refuses the order before any
	 * other check can quote it; the source's own identifiers are exempt.
	 */
	for (i = 0; i < NFIELDS; i++)
		if (b->col[i] >= 0 && i != F_ORDER_ID && i != F_PAY_REF && i != F_LINE_ID &&
		    *f[b->col[i]] != '\0' && oms_pan_has(f[b->col[i]])) {
			reject(b, line, "%s: holds what looks like a card number; refused (not"
			    " stored)", header_name(b, i, hdr));
			return 0;
		}
	for (i = 0; i < F_SKU && !b->bad; i++) {
		if (b->col[i] < 0 || i == F_ORDER_ID)
			continue;
		if (i == F_CURRENCY && *f[b->col[i]] != '\0' && b->d.currency[0] == '\0') {
			set_currency(b, f[b->col[i]]);
			if (strlen(f[b->col[i]]) != 3 || oms_currency_digits(b->d.currency) < 0) {
				reject(b, line, "currency \"%.40s\" is not an ISO 4217 code oms knows",
				    f[b->col[i]]);
				return 0;
			}
			continue;
		}
		if (i == F_CURRENCY)
			continue;
		if (set_order_field(b, i, f[b->col[i]], line, hdr) != 0)
			return -1;
	}
	if (b->d.currency[0] == '\0')
		set_currency(b, b->dflt_currency);
	for (i = F_ROW_TOTAL + 1; i < NFIELDS && !b->bad; i++) {
		if (b->col[i] < 0 || *f[b->col[i]] == '\0')
			continue;
		if (money(b, f[b->col[i]], line, hdr[b->col[i]], &v, 1))
			return 0;
		b->sum[i] += v < 0 ? -v : v;
	}
	if (b->bad)
		return 0;
	return add_line(b, f, line, hdr);
}

/* amount_field parses an order amount kept raw, 0 when not given. */
static int
amount_field(struct builder *b, enum field f, int64_t *out, char **hdr)
{
	*out = 0;
	if (b->raw[f] == NULL)
		return 0;
	return money(b, b->raw[f], (size_t)b->d.line, header_name(b, f, hdr), out, 0);
}

static char *
join_name(const char *first, const char *last)
{
	char *s;

	if (first == NULL && last == NULL)
		return NULL;
	if (asprintf(&s, "%s%s%s", first ? first : "", first && last ? " " : "",
	    last ? last : "") < 0)
		return NULL;
	return s;
}

/* set_note sets one of what a cart says beyond the order (d.cancelled, d.review, ...). */
static void set_note(struct builder *b, char **field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_note(struct builder *b, char **field, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		oms_warnx("out of memory");
		s = NULL;
		b->bad = 1;
	}
	free(*field);
	*field = s;
}

/* cancel says the source cancelled or refunded the whole order: it comes in cancelled. */
static void
cancel(struct builder *b, const char *why)
{
	const char *at = b->raw[F_CANCELLED_AT];

	set_note(b, &b->d.cancelled, "%s%s%s", why, at ? " " : "", at ? at : "");
}

/* review says the order comes in held for a person, and why; f holds the amount refunded. */
static void
review(struct builder *b, const char *why, enum field f)
{
	const char *v = b->raw[f];

	set_note(b, &b->d.review, "%s%s%s%s: cancel what was refunded (oms-order cancel), then"
	    " release it", why, v ? " (" : "", v ? v : "", v ? " refunded)" : "");
}

/*
 * fulfilled notes a Shopify order the store marked fulfilled, or partly:
 * shipped outside oms (or by oms, and confirmed back to the store).  One
 * oms has not seen comes in held for a person, lest it ship twice.
 */
static void
fulfilled(struct builder *b)
{
	const char *st = b->raw[F_FULFILLMENT] ? b->raw[F_FULFILLMENT] : "";
	const char *at = b->raw[F_FULFILLED_AT];
	int whole = strcmp(st, "fulfilled") == 0;

	if (!whole && strcmp(st, "partial") != 0)
		return;
	set_note(b, &b->d.fulfilled, "%sfulfilled at shopify%s%s", whole ? "" : "partly ",
	    at ? " " : "", at ? at : "");
	if (b->d.fulfilled != NULL)
		set_note(b, &b->d.review, "%s: %s", b->d.fulfilled, whole ? "it shipped outside"
		    " oms: cancel it (oms-order cancel), or release it if it is still to ship" :
		    "cancel what shipped outside oms (oms-order cancel --line), then release it");
}

/* settle_payment says how the cart was paid, in oms's terms. */
static void
settle_payment(struct builder *b)
{
	struct oms_doc *d = &b->d;
	const char *st = b->raw[F_PAY_STATUS] ? b->raw[F_PAY_STATUS] : "";
	const char *method = NULL;

	switch (b->fmt ? b->fmt->pay : PAY_FIELDS) {
	case PAY_FIELDS:
		return;
	case PAY_AMAZON:
		/* Amazon has been paid before it reports the order. */
		method = "prepaid";
		if (d->payment_ref == NULL)
			d->payment_ref = strdup(b->key);
		if (strcasecmp(st, "Cancelled") == 0)
			cancel(b, "cancelled at amazon");
		break;
	case PAY_SHOPIFY:
		/* Only an order's first row says how it was paid. */
		if (*st == '\0') {
			reject(b, (size_t)d->line, "no Financial Status: the order's first row is"
			    " missing (a spreadsheet may have deleted it)");
			return;
		}
		if (strcmp(st, "paid") == 0 || strcmp(st, "partially_paid") == 0)
			method = "prepaid";
		else if (strcmp(st, "partially_refunded") == 0) {
			method = "prepaid";
			/* Which units were refunded, the export does not say: a person does. */
			review(b, "partially refunded at shopify", F_REFUNDED);
		} else if (strcmp(st, "refunded") == 0) {
			method = "prepaid";
			cancel(b, "refunded at shopify");
		} else if (strcmp(st, "voided") == 0) {
			method = "card";
			cancel(b, "payment voided at shopify");
		} else if (strcmp(st, "authorized") == 0)
			method = "card";	/* authorized at the cart: the reference is its authorization */
		else if (strcmp(st, "pending") == 0)
			method = "card";	/* needs authorization here */
		else {
			reject(b, (size_t)d->line, "Financial Status \"%.40s\": only paid,"
			    " partially_paid, partially_refunded, refunded, voided, authorized or"
			    " pending orders are imported", st);
			return;
		}
		if (b->raw[F_CANCELLED_AT] != NULL && d->cancelled == NULL)
			cancel(b, "cancelled at shopify");
		if (d->cancelled == NULL)
			fulfilled(b);
		if (strcmp(st, "pending") == 0) {
			free(d->payment_ref);
			d->payment_ref = NULL;
		}
		break;
	case PAY_WOO:
		if (strcasecmp(st, "processing") == 0 || strcasecmp(st, "completed") == 0)
			method = "prepaid";
		else if (strcasecmp(st, "refunded") == 0 || strcasecmp(st, "cancelled") == 0) {
			method = "prepaid";
			cancel(b, strcasecmp(st, "refunded") == 0 ? "refunded at woocommerce" :
			    "cancelled at woocommerce");
		}
		else if (strcasecmp(st, "on-hold") == 0 || strcasecmp(st, "pending") == 0 ||
		    strcasecmp(st, "pending payment") == 0 || strcasecmp(st, "on hold") == 0)
			method = "card";
		else {
			reject(b, (size_t)d->line, "Order Status \"%.40s\": only processing,"
			    " completed, on-hold, pending, refunded or cancelled orders are imported",
			    st);
			return;
		}
		/* The title ("Credit Card (Stripe)") says how, not what oms should do. */
		free(d->payment_method);
		d->payment_method = NULL;
		break;
	}
	free(d->payment_method);
	d->payment_method = strdup(method);
}

/* no_address says whether an address has nowhere in it to go to. */
static int
no_address(const struct oms_address *a)
{
	return a->line1 == NULL && a->line2 == NULL && a->city == NULL &&
	    a->postal_code == NULL;
}

/* copy_address makes to (empty) a copy of from; -1 when out of memory. */
static int
copy_address(struct oms_address *to, const struct oms_address *from)
{
	char *const *src[] = { &from->name, &from->company, &from->line1, &from->line2,
	    &from->city, &from->region, &from->postal_code, &from->country };
	char **dst[] = { &to->name, &to->company, &to->line1, &to->line2, &to->city,
	    &to->region, &to->postal_code, &to->country };
	size_t i;

	for (i = 0; i < sizeof src / sizeof src[0]; i++) {
		free(*dst[i]);
		*dst[i] = NULL;
		if (*src[i] != NULL && (*dst[i] = strdup(*src[i])) == NULL)
			return -1;
	}
	return 0;
}

/*
 * lost_zero gives back the leading zero a spreadsheet takes from a US ZIP
 * Code read as a number (02108 becomes 2108), where the state says the ZIP
 * must start with 0: the New England states, New Jersey, Puerto Rico and
 * the Virgin Islands, and the armed forces in Europe.  Said on stderr,
 * naming the order.  Any other short ZIP is left for address verification
 * to explain.
 */
static int
lost_zero(struct builder *b, struct oms_address *a, enum field f, char **hdr)
{
	static const char *const zero[] = { "AE", "CT", "MA", "ME", "NH", "NJ", "PR", "RI",
		"VI", "VT", NULL };
	const char *z = a->postal_code;
	char *fixed;
	size_t i, n;

	if (z == NULL || a->region == NULL ||
	    (a->country != NULL && strcmp(a->country, "US") != 0))
		return 0;
	n = strspn(z, "0123456789");
	if (!((n == 4 && z[4] == '\0') || (n == 4 && z[4] == '-' &&
	    strspn(z + 5, "0123456789") == 4 && z[9] == '\0') || (n == 8 && z[8] == '\0')))
		return 0;
	for (i = 0; zero[i] != NULL && strcasecmp(zero[i], a->region) != 0; i++)
		;
	if (zero[i] == NULL)
		return 0;
	if (asprintf(&fixed, "0%s", z) < 0)
		return -1;
	oms_warnx("%s:%d: order %s: %s %s read as %s (a spreadsheet dropped its leading zero)",
	    b->file, b->d.line, b->key, header_name(b, f, hdr), z, fixed);
	free(a->postal_code);
	a->postal_code = fixed;
	return 0;
}

/* finish hands the open order, complete, to the importer. */
static int
finish(struct builder *b, char **hdr)
{
	struct oms_doc *d = &b->d;
	int64_t total, lines = 0;
	size_t i;
	char *s;
	int rc;

	if (!b->active)
		return OMS_OK;
	if (b->bad || d->external_id == NULL)
		goto done;
	if (d->source == NULL && (d->source = strdup(b->fmt ? b->fmt->source : "csv")) == NULL)
		goto nomem;
	if (b->raw[F_PLACED_AT] != NULL) {
		char when[OMS_TIME_MAX];

		if (oms_time_parse(b->raw[F_PLACED_AT], when) != 0) {
			reject(b, (size_t)d->line, "%s \"%.40s\" is not a date and time",
			    header_name(b, F_PLACED_AT, hdr), b->raw[F_PLACED_AT]);
			goto done;
		}
		if ((d->placed_at = strdup(when)) == NULL)
			goto nomem;
	}
	if (amount_field(b, F_SHIPPING, &d->shipping, hdr) ||
	    amount_field(b, F_TAX, &d->tax, hdr) || amount_field(b, F_DISCOUNT, &d->discount, hdr))
		goto done;
	d->shipping += b->sum[F_ROW_SHIPPING];
	d->tax += b->sum[F_ROW_TAX] + b->sum[F_ROW_SHIP_TAX];
	d->discount += b->sum[F_ROW_DISCOUNT] + b->sum[F_ROW_SHIP_DISCOUNT];
	if (b->raw[F_SHIP_COMPLETE] != NULL) {
		s = b->raw[F_SHIP_COMPLETE];
		if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 || strcmp(s, "1") == 0)
			d->ship_complete = 1;
		else if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0 ||
		    strcmp(s, "0") == 0)
			d->ship_complete = 0;
		else {
			reject(b, (size_t)d->line, "ship_complete \"%.40s\" is not true or false", s);
			goto done;
		}
	}
	if (b->raw[F_PRIORITY] != NULL) {
		char *end;
		long v = strtol(b->raw[F_PRIORITY], &end, 10);

		if (*end != '\0' || v < -1000 || v > 1000) {
			reject(b, (size_t)d->line, "priority \"%.40s\" is not a whole number from"
			    " -1000 to 1000", b->raw[F_PRIORITY]);
			goto done;
		}
		d->priority = v;
	}
	if ((d->customer_name == NULL &&
	    (b->raw[F_CUST_FIRST] || b->raw[F_CUST_LAST]) &&
	    (d->customer_name = join_name(b->raw[F_CUST_FIRST], b->raw[F_CUST_LAST])) == NULL) ||
	    (d->ship_to.name == NULL && (b->raw[F_SHIP_FIRST] || b->raw[F_SHIP_LAST]) &&
	    (d->ship_to.name = join_name(b->raw[F_SHIP_FIRST], b->raw[F_SHIP_LAST])) == NULL) ||
	    (d->bill_to.name == NULL && (b->raw[F_BILL_FIRST] || b->raw[F_BILL_LAST]) &&
	    (d->bill_to.name = join_name(b->raw[F_BILL_FIRST], b->raw[F_BILL_LAST])) == NULL))
		goto nomem;
	if (b->raw[F_SHIP_LINE3] != NULL) {
		/* A third address line has nowhere else to go. */
		if (asprintf(&s, "%s%s%s", d->ship_to.line2 ? d->ship_to.line2 : "",
		    d->ship_to.line2 ? ", " : "", b->raw[F_SHIP_LINE3]) < 0)
			goto nomem;
		free(d->ship_to.line2);
		d->ship_to.line2 = s;
	}
	if (d->customer_name == NULL && d->bill_to.name != NULL &&
	    (d->customer_name = strdup(d->bill_to.name)) == NULL)
		goto nomem;
	/* Nothing to ship to (a gift card, a pick-up): Shopify's billing address stands in. */
	if (b->fmt->pay == PAY_SHOPIFY && no_address(&d->ship_to) &&
	    !no_address(&d->bill_to) && copy_address(&d->ship_to, &d->bill_to) != 0)
		goto nomem;
	if (lost_zero(b, &d->ship_to, F_SHIP_POSTAL, hdr) != 0 ||
	    lost_zero(b, &d->bill_to, F_BILL_POSTAL, hdr) != 0)
		goto nomem;
	settle_payment(b);
	if (b->bad)
		goto done;
	if (d->nlines == 0 && b->dropped > 0) {
		/* Cancelled before anything was bought: nothing happened that oms could keep. */
		if (b->verbose)
			oms_warnx("%s:%d: order %s: every item of it was cancelled at the source:"
			    " nothing to import", b->file, d->line, b->key);
		goto done;
	}
	if (d->payment_method == NULL) {
		reject(b, (size_t)d->line, "no payment method (%s: card, prepaid or invoice)",
		    own_names[F_PAY_METHOD]);
		goto done;
	}
	if (b->raw[F_TOTAL] != NULL && b->priced) {
		/* The cart's own total must be what the lines add up to. */
		if (amount_field(b, F_TOTAL, &total, hdr))
			goto done;
		for (i = 0; i < d->nlines; i++)
			lines += d->lines[i].qty * d->lines[i].price;
		/*
		 * A store that shows prices with tax in them (VAT, GST) totals
		 * without adding its Taxes again: the tax is in the prices.
		 */
		if (b->fmt->pay == PAY_SHOPIFY && d->tax > 0 &&
		    lines - d->discount + d->shipping == total)
			d->tax = 0;
		if (lines - d->discount + d->shipping + d->tax != total) {
			char a[OMS_MONEY_MAX], c[OMS_MONEY_MAX];

			reject(b, (size_t)d->line, "%s is %s, but the lines, discount, shipping and"
			    " tax come to %s%s", header_name(b, F_TOTAL, hdr),
			    oms_money_format(a, total, d->currency), oms_money_format(c,
			    lines - d->discount + d->shipping + d->tax, d->currency),
			    lines - d->discount + d->shipping < total ? " (is a row of the order"
			    " missing? a spreadsheet may have deleted it)" : "");
			goto done;
		}
	}
	rc = oms_import_order(b->imp, d, b->file);
	reset(b);
	return rc == OMS_ESYS ? OMS_ESYS : OMS_OK;
nomem:
	oms_warnx("out of memory");
	reset(b);
	return OMS_ESYS;
done:
	reset(b);
	return OMS_OK;
}

/* reject_row rejects the open order for a bad row of it; every bad row is named. */
static void
reject_row(struct builder *b, size_t line, const char *what)
{
	if (!b->bad)
		reject(b, line, "%s", what);
	else
		omsi_import_reject_more(b->imp, b->file, line, "order %s: %s", b->key, what);
}

/* alone rejects a bad row that no order can be told to own, naming its neighbours. */
static void
alone(struct builder *b, const struct unread *u, const char *prev, const char *next)
{
	char around[200] = "";

	if (prev != NULL && next != NULL)
		snprintf(around, sizeof around, " (it lies between orders %.64s and %.64s)",
		    prev, next);
	else if (prev != NULL)
		snprintf(around, sizeof around, " (it comes after order %.64s)", prev);
	else if (next != NULL)
		snprintf(around, sizeof around, " (it comes before order %.64s)", next);
	oms_import_reject(b->imp, b->file, u->line, "%s; which order the row is in cannot be"
	    " told: the row alone is rejected%s", u->what, around);
}

/*
 * settle_unread decides whose the bad rows of no known order are, once the
 * row after them says what order it is in (next; NULL when it does not, or
 * at the end).  When the open order goes on after them they are its rows,
 * and it is rejected.  Otherwise they lie between two orders and could be
 * either's or their own: each is rejected alone, and the orders around it
 * are taken as read.
 */
static int
settle_unread(struct builder *b, const char *next, char **hdr)
{
	char *prev = NULL;
	size_t i;
	int rc;

	if (b->nunread == 0)
		return OMS_OK;
	if (next != NULL && b->active && strcmp(b->key, next) == 0) {
		for (i = 0; i < b->nunread; i++)
			reject_row(b, b->unread[i].line, b->unread[i].what);
		b->nunread = 0;
		return OMS_OK;
	}
	/* The order before them is done; its own messages come first, by line. */
	if (b->active && (prev = omsi_strdup(b->key)) == NULL)
		return OMS_ESYS;
	rc = finish(b, hdr);
	for (i = 0; i < b->nunread; i++)
		alone(b, &b->unread[i], prev, next);
	b->nunread = 0;
	free(prev);
	return rc;
}

/*
 * bad_row takes a row that could not be read as one (what is wrong with it
 * at line): the order it is in is rejected, all its rows.  key is the
 * order number the row gives, NULL when it gives none that can be read.
 */
static int
bad_row(struct builder *b, const char *key, size_t line, const char *what, char **hdr)
{
	struct unread *u;
	int rc;

	if (key == NULL) {
		if (b->nunread == UNREAD_MAX) {
			/* A run of them is no longer a row among an order's: memory stays fixed. */
			alone(b, &b->unread[0], b->active ? b->key : NULL, NULL);
			memmove(b->unread, b->unread + 1, --b->nunread * sizeof *b->unread);
		}
		u = &b->unread[b->nunread++];
		u->line = line;
		snprintf(u->what, sizeof u->what, "%s", what);
		return OMS_OK;
	}
	if ((rc = settle_unread(b, key, hdr)) != OMS_OK)
		return rc;
	if (!b->active || strcmp(b->key, key) != 0) {
		if ((rc = finish(b, hdr)) != OMS_OK)
			return rc;
		if (start(b, key, line) != 0)
			return OMS_ESYS;
	}
	reject_row(b, line, what);
	return OMS_OK;
}

/* card_column says whether a header would carry card data. */
static int
card_column(const char *h)
{
	static const char *const words[] = { "card number", "card_number", "cardnumber",
		"credit card", "creditcard", "cc number", "cc_number", "ccnum", "cvv", "cvc",
		"card code", "security code", "card_code", NULL };
	char low[128];
	size_t i;

	snprintf(low, sizeof low, "%s", h);
	for (i = 0; low[i] != '\0'; i++)
		low[i] = (char)tolower((unsigned char)low[i]);
	if (strcmp(low, "pan") == 0)
		return 1;
	for (i = 0; words[i] != NULL; i++)
		if (strstr(low, words[i]) != NULL)
			return 1;
	return 0;
}

/* map_header finds each field's column; NULL, or what is missing. */
static const char *
map_header(struct builder *b, char **hdr, size_t n, const struct column *cols, size_t ncols)
{
	size_t i, j;

	for (i = 0; i < NFIELDS; i++)
		b->col[i] = -1;
	for (j = 0; j < ncols; j++)
		for (i = 0; i < n; i++)
			if (b->col[cols[j].f] < 0 && strcmp(hdr[i], cols[j].header) == 0)
				b->col[cols[j].f] = (int)i;
	if (b->col[F_ORDER_ID] < 0)
		return "order number";
	if (b->col[F_SKU] < 0)
		return "sku";
	if (b->col[F_QTY] < 0)
		return "quantity";
	return NULL;
}

/* custom_columns reads import.formats.NAME.columns from oms.yaml into a table. */
static int
custom_columns(struct oms *o, const char *name, struct column *cols, size_t *ncols,
    char *delim, const char **source)
{
	const struct oms_node *fmt, *c, *k;
	char path[160];
	const char *d;
	size_t i, j;

	snprintf(path, sizeof path, "import.formats.%s", name);
	if ((fmt = oms_config_node(o, path)) == NULL)
		return 1;
	d = oms_config_str(o, strcat(path, ".delimiter"), ",");
	*delim = strcmp(d, "\\t") == 0 ? '\t' : d[0];
	snprintf(path, sizeof path, "import.formats.%s.source", name);
	*source = oms_config_str(o, path, name);
	*ncols = 0;
	if ((c = oms_node_get(fmt, "columns")) == NULL || c->kind != OMS_NODE_MAP) {
		oms_warnx("%s: import.formats.%s: no columns", o->opts.config_path, name);
		return -1;
	}
	for (i = 0; i + 1 < c->nkids; i += 2) {
		k = c->kids[i];
		for (j = 0; j < NFIELDS; j++)
			if (own_names[j] != NULL && strcmp(own_names[j], k->value) == 0)
				break;
		if (j == NFIELDS) {
			oms_warnx("%s:%d:%d: import.formats.%s.columns: no field \"%s\" (see"
			    " oms-import(1), THE CSV FORMAT)", o->opts.config_path, k->line, k->col,
			    name, k->value);
			return -1;
		}
		cols[*ncols].f = (enum field)j;
		cols[*ncols].header = c->kids[i + 1]->value;
		(*ncols)++;
	}
	return 0;
}

int
oms_import_csv(struct oms_import *imp, struct oms *o, FILE *f, const char *name,
    const char *format)
{
	struct builder b = { .imp = imp, .file = name, .priced = 1 };
	struct column own[NFIELDS], custom[NFIELDS];
	struct format cf = { .pay = PAY_FIELDS };
	struct oms_csv *c = NULL;
	char **row, **hdr = NULL, err[512], delim = ',';
	const char *missing;
	size_t n, line, i;
	int r, rc = OMS_OK;

	b.dflt_currency = oms_config_currency(o);
	b.verbose = o->opts.verbose;
	if (strcmp(format, "csv") == 0) {
		for (i = 0, n = 0; i < NFIELDS; i++)
			if (own_names[i] != NULL) {
				own[n].f = (enum field)i;
				own[n++].header = own_names[i];
			}
		cf.name = "csv";
		cf.source = "csv";
		cf.cols = own;
		cf.ncols = n;
		b.fmt = NULL;
	} else {
		for (i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
			if (strcmp(format, builtin[i].name) == 0)
				b.fmt = &builtin[i];
		if (b.fmt == NULL) {
			r = custom_columns(o, format, custom, &n, &delim, &cf.source);
			if (r != 0) {
				if (r > 0)
					oms_warnx("-f %s: no such format (csv, shopify, woocommerce, amazon,"
					    " x12, yaml, json, or one in oms.yaml)", format);
				return OMS_EUSAGE;
			}
			cf.name = format;
			cf.delim = delim;
			cf.cols = custom;
			cf.ncols = n;
		}
	}
	if (b.fmt == NULL) {
		cf.delim = cf.delim ? cf.delim : ',';
		b.fmt = &cf;
	}
	if ((c = oms_csv_open(f, name, b.fmt->delim)) == NULL)
		return OMS_ESYS;
	if ((r = oms_csv_row(c, &row, &n, &line, err, sizeof err)) <= 0) {
		if (r == 0)
			oms_import_reject(imp, name, 0, "empty input: expected a header row");
		else
			oms_import_reject(imp, NULL, 0, "%s", err);
		oms_csv_close(c);
		return OMS_EINPUT;
	}
	/* The header must outlive the rows, which reuse the reader's buffer. */
	if ((hdr = omsi_calloc(n, sizeof *hdr)) == NULL)
		goto nomem;
	for (i = 0; i < n; i++)
		if ((hdr[i] = strdup(row[i])) == NULL)
			goto nomem;
	b.ncols = n;
	oms_csv_expect(c, n);
	for (i = 0; i < n; i++)
		if (card_column(hdr[i])) {
			oms_import_reject(imp, name, line, "column \"%.40s\" would carry card data;"
			    " the file is refused (cards are never imported)", hdr[i]);
			rc = OMS_EINPUT;
			goto out;
		}
	if ((missing = map_header(&b, hdr, n, b.fmt->cols, b.fmt->ncols)) != NULL) {
		oms_import_reject(imp, name, line, "no %s column for the %s format", missing,
		    b.fmt->name);
		rc = OMS_EINPUT;
		goto out;
	}
	for (;;) {
		const char *key, *what;
		char count[80], hint[160];
		size_t wline;

		if ((r = oms_csv_row(c, &row, &n, &line, err, sizeof err)) == 0)
			break;
		if (r < -1) {
			/* Whatever order was open may be incomplete: it goes, with the reason. */
			oms_import_reject(imp, NULL, 0, "%s", err);
			if (b.active && !b.bad)
				reject(&b, (size_t)b.d.line, "not imported: the input could not be"
				    " read to its end");
			break;
		}
		oms_import_progress(imp, name, line);
		key = (size_t)b.col[F_ORDER_ID] < n ? row[b.col[F_ORDER_ID]] : "";
		key += strspn(key, " \t");
		if (r < 0 || n != b.ncols) {
			if (r < 0) {
				what = oms_csv_error(c, &wline);
				/* The usual cause: a spreadsheet's plain "CSV" is Windows-1252. */
				if (strstr(what, "UTF-8") != NULL) {
					snprintf(hint, sizeof hint, "%s; saved by a spreadsheet? save it as"
					    " \"CSV UTF-8\"", what);
					what = hint;
				}
			} else {
				snprintf(count, sizeof count, "%zu fields, the header has %zu", n,
				    b.ncols);
				what = count;
				wline = line;
			}
			if ((rc = bad_row(&b, *key != '\0' ? key : NULL, wline, what, hdr)) != OMS_OK)
				goto out;
			continue;
		}
		if (*key == '\0') {
			if ((rc = settle_unread(&b, NULL, hdr)) != OMS_OK ||
			    (rc = finish(&b, hdr)) != OMS_OK)
				goto out;
			oms_import_reject(imp, name, line, "no order number");
			continue;
		}
		if ((rc = settle_unread(&b, key, hdr)) != OMS_OK)
			goto out;
		if (!b.active || strcmp(b.key, key) != 0) {
			if ((rc = finish(&b, hdr)) != OMS_OK)
				goto out;
			if (start(&b, key, line) != 0) {
				rc = OMS_ESYS;
				goto out;
			}
			if (!b.bad && set_order_field(&b, F_ORDER_ID, key, line, hdr) != 0)
				goto nomem;
		}
		if (!b.bad && take_row(&b, row, line, hdr) != 0)
			goto nomem;
	}
	if ((rc = settle_unread(&b, NULL, hdr)) == OMS_OK)
		rc = finish(&b, hdr);
	goto out;
nomem:
	oms_warnx("out of memory");
	rc = OMS_ESYS;
out:
	reset(&b);
	oms_csv_close(c);
	for (i = 0; hdr != NULL && i < b.ncols; i++)
		free(hdr[i]);
	free(hdr);
	return rc;
}
