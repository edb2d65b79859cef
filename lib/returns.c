/*
 * returns.c: returns (RMAs), exchanges and claims.  A return authorizes
 * shipped units to come back; what comes back is restocked through the
 * ledger or scrapped; the refund goes back through the order's payment
 * exactly once (lib/pay.c: intent committed, call, answer), or is recorded
 * as owed where oms holds no money.  An exchange is a new order, made by
 * the one way orders are made (oms_order_add), that the return pays for.
 * Every step is one transaction and an event in the order's history.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include <oms/config.h>
#include <oms/db.h>
#include <oms/diag.h>
#include <oms/doc.h>
#include <oms/filter.h>
#include <oms/fmt.h>
#include <oms/ids.h>
#include <oms/money.h>
#include <oms/node.h>
#include <oms/order.h>
#include <oms/pay.h>
#include <oms/returns.h>
#include <oms/stock.h>
#include <oms/time.h>

#include "internal.h"

/* The reason codes oms.yaml's returns.reasons replaces (oms.yaml(5)). */
static const char *const default_reasons[] = {
	"damaged", "defective", "wrong-item", "not-as-described", "no-longer-needed", "other",
	NULL
};

/* A return as the steps need it. */
struct ret {
	int64_t id, order, exchange, credit;
	char rma[OMS_RMA_MAX], status[12], currency[4], reason[72];
	int claim;
};

/* Room for an amount and its currency in a message. */
#define AMT_MAX (OMS_MONEY_MAX + 8)

static const char *
amt(char buf[AMT_MAX], int64_t v, const char *currency)
{
	char m[OMS_MONEY_MAX];

	snprintf(buf, AMT_MAX, "%s %s", oms_money_format(m, v, currency), currency);
	return buf;
}

char *
oms_rma_format(char buf[OMS_RMA_MAX], int64_t id)
{
	snprintf(buf, OMS_RMA_MAX, "RMA-%06lld", (long long)id);
	return buf;
}

int
oms_rma_parse(const char *s, int64_t *id)
{
	size_t n;
	int64_t v = 0;

	if (strncasecmp(s, "RMA-", 4) != 0)
		return -1;
	s += 4;
	n = strspn(s, "0123456789");
	if (n == 0 || n > 18 || s[n] != '\0')
		return -1;
	for (; *s != '\0'; s++)
		v = v * 10 + (*s - '0');
	if (v <= 0)
		return -1;
	*id = v;
	return 0;
}

int
oms_return_want_parse(char *arg, const char *opt, int disp, struct oms_return_want *w)
{
	char *colon = strrchr(arg, ':'), *cut = NULL;

	w->disp = OMS_DISP_NONE;
	if (disp && colon != NULL && colon[1] != '\0' && strspn(colon + 1, "0123456789") !=
	    strlen(colon + 1)) {
		if (strcmp(colon + 1, "restock") == 0)
			w->disp = OMS_DISP_RESTOCK;
		else if (strcmp(colon + 1, "scrap") == 0)
			w->disp = OMS_DISP_SCRAP;
		else {
			oms_warnx("%s \"%s\": \"%s\" is not restock or scrap", opt, arg, colon + 1);
			return -1;
		}
		*(cut = colon) = '\0';
		colon = strrchr(arg, ':');
	}
	if (colon == NULL || colon == arg || oms_qty_parse(colon + 1, &w->qty) != 0 ||
	    w->qty == 0) {
		if (cut != NULL)
			*cut = ':';	/* the message shows it as it was typed */
		oms_warnx("%s \"%s\": expected SKU:QTY%s with QTY at least 1", opt, arg,
		    disp ? "[:restock|scrap]" : "");
		return -1;
	}
	*colon = '\0';
	w->sku = arg;
	return 0;
}

int
oms_return_read_ids(FILE *f, const char *name, int orders, int64_t **ids, size_t *n, int *bad)
{
	char *line = NULL, *field, *save, shown[48];
	size_t cap = 0, lineno = 0;
	ssize_t len;
	int64_t id, *more;
	size_t room = 0;

	while ((len = getline(&line, &cap, f)) > 0) {
		lineno++;
		/* A NUL byte would cut the line short: what follows it is not to be lost unseen. */
		if (strlen(line) != (size_t)len)
			for (field = line; field < line + len; field++)
				if (*field == '\0')
					*field = '\x7f';
		line[strcspn(line, "\r\n")] = '\0';
		if ((field = strtok_r(line, " \t", &save)) == NULL || *field == '#')
			continue;
		if (orders ? oms_id_parse(field, &id) != 0 : oms_rma_parse(field, &id) != 0) {
			oms_warnx("%s:%zu: not %s: \"%s\"", name, lineno, orders ? "an order ID" :
			    "an RMA number", omsi_shown(field, shown, sizeof shown));
			(*bad)++;
			continue;
		}
		if (*n >= room) {
			room = room ? room * 2 : *n + 64;
			if ((more = realloc(*ids, room * sizeof *more)) == NULL) {
				oms_warnx("out of memory");
				free(line);
				return -1;
			}
			*ids = more;
		}
		(*ids)[(*n)++] = id;
	}
	free(line);
	if (ferror(f)) {
		oms_warn("%s", name);
		return -1;
	}
	return 0;
}

/* reason_ok says whether a reason code is one oms.yaml lists (or, listing none, the defaults). */
static int
reason_ok(struct oms *o, const char *reason)
{
	const struct oms_node *n = oms_config_node(o, "returns.reasons");
	char list[1024] = "";
	size_t i, len;

	if (n != NULL && n->kind == OMS_NODE_SEQ) {
		for (i = 0; i < n->nkids; i++)
			if (strcmp(n->kids[i]->value, reason) == 0)
				return 1;
		for (i = 0; i < n->nkids; i++)
			if ((len = strlen(list)) < sizeof list)
				snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
				    n->kids[i]->value);
	} else {
		for (i = 0; default_reasons[i] != NULL; i++)
			if (strcmp(default_reasons[i], reason) == 0)
				return 1;
		for (i = 0; default_reasons[i] != NULL; i++)
			if ((len = strlen(list)) < sizeof list)
				snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
				    default_reasons[i]);
	}
	oms_warnx("--reason: \"%s\" is not a reason code (%s; returns.reasons in oms.yaml)",
	    reason, list);
	return 0;
}

/*
 * prorate is what the customer paid for goods worth part of base, out of
 * due (the order's total less shipping), rounded half up: the order's
 * discount and tax follow the goods, as they do for what oms-ship charges.
 */
static int64_t
prorate(int64_t due, int64_t part, int64_t base)
{
	__int128 x;

	if (due <= 0 || part <= 0)
		return 0;
	if (base <= 0 || part >= base)
		return due;
	x = (__int128)due * part;
	return (int64_t)((2 * x + base) / (2 * (__int128)base));
}

/* load_return reads a return; OMS_EINPUT when there is none (reported). */
static int
load_return(struct oms *o, int64_t id, struct ret *r)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT order_id, status, currency, reason, claim,"
	    " coalesce(exchange_order_id, 0), exchange_credit FROM returns WHERE id = ?", "i", id);
	int rc;

	memset(r, 0, sizeof *r);
	r->id = id;
	oms_rma_format(r->rma, id);
	if (st == NULL || (rc = omsi_step(o, st)) < 0)
		return OMS_ESYS;
	if (rc != OMSI_ROW) {
		omsi_reset(st);
		oms_warnx("%s: no such return", r->rma);
		return OMS_EINPUT;
	}
	r->order = omsi_col_int64(st, 0);
	snprintf(r->status, sizeof r->status, "%s", omsi_text(st, 1));
	snprintf(r->currency, sizeof r->currency, "%s", omsi_text(st, 2));
	snprintf(r->reason, sizeof r->reason, "%s", omsi_text(st, 3));
	r->claim = omsi_col_int(st, 4);
	r->exchange = omsi_col_int64(st, 5);
	r->credit = omsi_col_int64(st, 6);
	omsi_reset(st);
	return OMS_OK;
}

/* set_status moves a return on, saying when and who. */
static int
set_status(struct oms *o, const struct ret *r, const char *status)
{
	char now[OMS_TIME_MAX];

	return omsi_exec(o, "UPDATE returns SET status = ?, updated_at = ?, updated_by = ?"
	    " WHERE id = ?", "ttti", status, oms_time_now(now), o->user, r->id);
}

/* event writes an entry in the order's history. */
static int
event(struct oms *o, int64_t order, const char *what, const char *detail)
{
	return oms_event(o, order, what, OMS_NSTATUS, OMS_NSTATUS, detail);
}

/* detail_add appends to a history entry being written. */
static void
detail_add(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
detail_add(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/* finish commits a step's transaction, or rolls it back under dry run. */
static int
finish(struct oms *o)
{
	if (o->opts.dry_run) {
		oms_rollback(o);
		return OMS_OK;
	}
	return oms_commit(o);
}

/* print_rma writes a return's number on stdout, for the next tool. */
static int
print_rma(const struct ret *r)
{
	printf("%s\n", r->rma);
	return oms_flush_committed();
}

/* ---------------------------------------------------------------------- */
/* Opening a return. */

/* An order line a return takes units of. */
struct take {
	int64_t line, qty, price;
};

/* The order's facts a return needs. */
struct order_facts {
	char currency[4], method[12], status[16];
	int64_t total, shipping, base;	/* base: every line's quantity at its price */
	int64_t shipped;		/* units shipped, all lines */
};

static int
load_order(struct oms *o, int64_t id, struct order_facts *f)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT currency, payment_method, status, total, shipping,"
	    " (SELECT coalesce(sum(qty * unit_price), 0) FROM order_lines WHERE order_id = o.id),"
	    " (SELECT coalesce(sum(shipped), 0) FROM order_lines WHERE order_id = o.id)"
	    " FROM orders o WHERE id = ?", "i", id);
	int rc;

	if ((rc = omsi_order_row(o, st, id)) != OMS_OK)
		return rc;
	snprintf(f->currency, sizeof f->currency, "%s", omsi_text(st, 0));
	snprintf(f->method, sizeof f->method, "%s", omsi_text(st, 1));
	snprintf(f->status, sizeof f->status, "%s", omsi_text(st, 2));
	f->total = omsi_col_int64(st, 3);
	f->shipping = omsi_col_int64(st, 4);
	f->base = omsi_col_int64(st, 5);
	f->shipped = omsi_col_int64(st, 6);
	omsi_reset(st);
	return OMS_OK;
}

/*
 * takes_of shares qty of a SKU over the order's lines that can return it,
 * first line first.  OMS_EINPUT when they cannot (reported).
 */
static int
takes_of(struct oms *o, int64_t order, const struct oms_return_want *w, struct take **out,
    size_t *n)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT l.id, " OMSI_SQL_RETURNABLE ", l.unit_price, l.shipped"
	    " FROM order_lines l WHERE l.order_id = ? AND l.sku = ? ORDER BY l.line_no", "it",
	    order, w->sku);
	struct take *v = NULL, *more;
	int64_t left = w->qty, can = 0, shipped = 0, k;
	size_t cap = 0;
	int rc, lines = 0;

	*n = 0;
	if (st == NULL)
		return OMS_ESYS;
	while ((rc = omsi_step(o, st)) == OMSI_ROW) {
		lines++;
		k = omsi_col_int64(st, 1);
		shipped += omsi_col_int64(st, 3);
		can += k > 0 ? k : 0;
		if (k <= 0 || left == 0)
			continue;
		if ((more = omsi_grow(v, &cap, *n, sizeof *v)) == NULL) {
			rc = -1;
			break;
		}
		v = more;
		v[*n].line = omsi_col_int64(st, 0);
		v[*n].qty = k < left ? k : left;
		v[*n].price = omsi_col_int64(st, 2);
		left -= v[(*n)++].qty;
	}
	omsi_reset(st);
	if (rc != OMSI_DONE) {
		free(v);
		return OMS_ESYS;
	}
	if (lines == 0 || left > 0) {
		if (lines == 0)
			oms_warnx("order %lld: %s is not on the order", (long long)order, w->sku);
		else if (shipped == 0)
			oms_warnx("order %lld: %s: none shipped, nothing to return", (long long)order,
			    w->sku);
		else
			oms_warnx("order %lld: %s: cannot return %lld: %lld shipped, of which %lld"
			    " %s not returned or on a return already", (long long)order, w->sku,
			    (long long)w->qty, (long long)shipped, (long long)can,
			    can == 1 ? "is" : "are");
		free(v);
		return OMS_EINPUT;
	}
	*out = v;
	return OMS_OK;
}

/* dup_of is text of a column copied for a document; *ok cleared when out of memory. */
static char *
dup_of(struct omsi_stmt *st, int col, int *ok)
{
	const char *s = omsi_text(st, col);
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = omsi_strdup(s)) == NULL)
		*ok = 0;
	return d;
}

/* exchange_price is a replacement's unit price: the order's for a SKU it had, else the catalog's. */
static int
exchange_price(struct oms *o, int64_t order, const char *sku, const char *currency,
    int64_t *price)
{
	struct omsi_stmt *st;
	int rc;

	if ((st = omsi_stmt(o, "SELECT unit_price FROM order_lines WHERE order_id = ? AND sku = ?"
	    " ORDER BY line_no LIMIT 1", "it", order, sku)) == NULL || (rc = omsi_step(o, st)) < 0)
		return OMS_ESYS;
	if (rc == OMSI_ROW)
		*price = omsi_col_int64(st, 0);
	omsi_reset(st);
	if (rc == OMSI_ROW)
		return OMS_OK;
	if ((st = omsi_stmt(o, "SELECT price, currency FROM items WHERE sku = ?", "t", sku)) == NULL ||
	    (rc = omsi_step(o, st)) < 0)
		return OMS_ESYS;
	if (rc != OMSI_ROW) {
		oms_warnx("--exchange %s: no such sku in the catalog", sku);
		rc = OMS_EINPUT;
	} else if (omsi_col_null(st, 0) ||
	    strcmp(omsi_text(st, 1), currency) != 0) {
		oms_warnx("--exchange %s: the catalog has no price for it in %s, the order's currency",
		    sku, currency);
		rc = OMS_EINPUT;
	} else {
		*price = omsi_col_int64(st, 0);
		rc = OMS_OK;
	}
	omsi_reset(st);
	return rc;
}

/*
 * make_exchange adds the replacement order: the customer and addresses of
 * the original, the replacement's lines at their prices, less a discount
 * of what the return gives back (credit, at most the lines' worth).  What
 * is left to pay goes on the original card, else on an invoice; nothing
 * left, it is paid by the return (prepaid, its reference the RMA).
 */
static int
make_exchange(struct oms *o, const struct oms_return_req *req, const struct ret *r,
    int64_t value, int64_t *xid, int64_t *credit, int64_t *due)
{
	struct omsi_stmt *st;
	struct oms_doc d;
	char err[512], brand[16] = "", last4[8] = "", exp[16] = "", note[256];
	int64_t price, subtotal = 0, line;
	size_t i;
	int ok = 1, rc, card;

	memset(&d, 0, sizeof d);
	d.ship_complete = -1;
	if ((st = omsi_stmt(o, "SELECT customer_name, customer_email, customer_phone, ship_name,"
	    " ship_company, ship_line1, ship_line2, ship_city, ship_region, ship_postal_code,"
	    " ship_country, bill_name, bill_company, bill_line1, bill_line2, bill_city,"
	    " bill_region, bill_postal_code, bill_country, ship_method, ship_complete, priority,"
	    " payment_method, coalesce(payment_token, ''), payment_terms, card_brand, card_last4,"
	    " card_exp FROM orders WHERE id = ?", "i", r->order)) == NULL ||
	    omsi_step(o, st) != OMSI_ROW) {
		if (st != NULL)
			omsi_reset(st);
		return OMS_ESYS;
	}
	d.customer_name = dup_of(st, 0, &ok);
	d.customer_email = dup_of(st, 1, &ok);
	d.customer_phone = dup_of(st, 2, &ok);
	d.ship_to.name = dup_of(st, 3, &ok);
	d.ship_to.company = dup_of(st, 4, &ok);
	d.ship_to.line1 = dup_of(st, 5, &ok);
	d.ship_to.line2 = dup_of(st, 6, &ok);
	d.ship_to.city = dup_of(st, 7, &ok);
	d.ship_to.region = dup_of(st, 8, &ok);
	d.ship_to.postal_code = dup_of(st, 9, &ok);
	d.ship_to.country = dup_of(st, 10, &ok);
	d.bill_to.name = dup_of(st, 11, &ok);
	d.bill_to.company = dup_of(st, 12, &ok);
	d.bill_to.line1 = dup_of(st, 13, &ok);
	d.bill_to.line2 = dup_of(st, 14, &ok);
	d.bill_to.city = dup_of(st, 15, &ok);
	d.bill_to.region = dup_of(st, 16, &ok);
	d.bill_to.postal_code = dup_of(st, 17, &ok);
	d.bill_to.country = dup_of(st, 18, &ok);
	d.ship_method = dup_of(st, 19, &ok);
	if (!omsi_col_null(st, 20))
		d.ship_complete = omsi_col_int(st, 20);
	d.priority = omsi_col_int64(st, 21);
	/* A card oms's gateway holds is charged the difference; anything else is invoiced. */
	card = strcmp(omsi_text(st, 22), "card") == 0 && *omsi_text(st, 23) != '\0';
	if (card) {
		d.payment_token = dup_of(st, 23, &ok);
		snprintf(brand, sizeof brand, "%s", omsi_text(st, 25) ? omsi_text(st, 25) : "");
		snprintf(last4, sizeof last4, "%s", omsi_text(st, 26) ? omsi_text(st, 26) : "");
		snprintf(exp, sizeof exp, "%s", omsi_text(st, 27) ? omsi_text(st, 27) : "");
	} else {
		d.payment_terms = dup_of(st, 24, &ok);
	}
	omsi_reset(st);
	snprintf(d.currency, sizeof d.currency, "%s", r->currency);
	snprintf(note, sizeof note, "exchange for %s of order %lld", r->rma, (long long)r->order);
	if ((d.source = omsi_strdup("exchange")) == NULL ||
	    (d.external_id = omsi_strdup(r->rma)) == NULL || (d.notes = omsi_strdup(note)) == NULL)
		ok = 0;
	rc = ok ? OMS_OK : OMS_ESYS;
	for (i = 0; i < req->nexchange && rc == OMS_OK; i++) {
		if ((rc = exchange_price(o, r->order, req->exchange[i].sku, r->currency, &price)) !=
		    OMS_OK)
			break;
		if (__builtin_mul_overflow(price, req->exchange[i].qty, &line) ||
		    __builtin_add_overflow(subtotal, line, &subtotal)) {
			oms_warnx("--exchange: the replacement's total is too large");
			rc = OMS_EINPUT;
			break;
		}
		if (oms_doc_add_line(&d, req->exchange[i].sku, req->exchange[i].qty, 1, price) != 0)
			rc = OMS_ESYS;
	}
	if (rc != OMS_OK)
		goto out;
	*credit = value < subtotal ? value : subtotal;
	*due = subtotal - *credit;
	d.discount = *credit;
	if (*due == 0) {
		free(d.payment_token);
		free(d.payment_terms);
		d.payment_token = d.payment_terms = NULL;
		d.payment_method = omsi_strdup("prepaid");
		d.payment_ref = omsi_strdup(r->rma);
		if (d.payment_method == NULL || d.payment_ref == NULL) {
			rc = OMS_ESYS;
			goto out;
		}
		card = 0;
	} else if ((d.payment_method = omsi_strdup(card ? "card" : "invoice")) == NULL ||
	    (!card && d.payment_terms == NULL &&
	    (d.payment_terms = omsi_strdup("exchange difference")) == NULL)) {
		rc = OMS_ESYS;
		goto out;
	}
	if ((rc = oms_order_add(o, &d, 0, xid, r->rma, err, sizeof err)) != OMS_OK) {
		if (rc == OMS_EINPUT)
			oms_warnx("%s", err);
		goto out;
	}
	/* The card's face, so that the exchange shows which card it is charged to. */
	if (card && *last4 && (rc = omsi_exec(o, "UPDATE orders SET card_brand = ?, card_last4 = ?,"
	    " card_exp = ? WHERE id = ?", "ttti", brand, last4, *exp ? exp : NULL, *xid)) != OMS_OK)
		goto out;
	{
		char detail[256], a[AMT_MAX], b[AMT_MAX];

		snprintf(detail, sizeof detail, "%s of order %lld: credit %s, %s to pay", r->rma,
		    (long long)r->order, amt(a, *credit, r->currency), amt(b, *due, r->currency));
		rc = event(o, *xid, "exchange", detail);
	}
out:
	oms_doc_free(&d);
	return rc;
}

int
oms_return_open(struct oms *o, const struct oms_return_req *req)
{
	char now[OMS_TIME_MAX], detail[1024], a[AMT_MAX];
	struct order_facts of;
	struct take *t = NULL;
	struct ret r;
	int64_t next, value = 0, credit = 0, due = 0, xid = 0;
	size_t i, j, k, n;
	int rc;

	if (!reason_ok(o, req->reason))
		return OMS_EUSAGE;
	for (i = 0; i < req->nlines; i++)
		for (j = 0; j < i; j++)
			if (strcmp(req->lines[i].sku, req->lines[j].sku) == 0) {
				oms_warnx("--line %s: given twice: one --line per SKU", req->lines[i].sku);
				return OMS_EUSAGE;
			}
	if ((rc = oms_begin(o)) != OMS_OK)
		return rc;
	if ((rc = load_order(o, req->order, &of)) != OMS_OK)
		goto fail;
	if (of.shipped == 0) {
		oms_warnx("order %lld: nothing of it has shipped (it is %s): cancel it instead"
		    " (oms-order cancel)", (long long)req->order, of.status);
		rc = OMS_EINPUT;
		goto fail;
	}
	/* Under the write lock: the number is the next row's, and no one else takes it. */
	if ((rc = omsi_int(o, &next, "SELECT coalesce(max(id), 0) + 1 FROM returns", "")) != OMS_OK)
		goto fail;
	memset(&r, 0, sizeof r);
	r.id = next;
	r.order = req->order;
	r.claim = req->claim;
	oms_rma_format(r.rma, next);
	snprintf(r.currency, sizeof r.currency, "%s", of.currency);
	snprintf(r.reason, sizeof r.reason, "%s", req->reason);
	oms_time_now(now);
	if ((rc = omsi_exec(o, "INSERT INTO returns (id, rma, order_id, status, reason, note, claim,"
	    " currency, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?)", "ititttIttttt", next, r.rma, r.order,
	    req->claim ? "received" : "open", req->reason, req->note, req->claim, of.currency, now,
	    o->user, now, o->user)) != OMS_OK)
		goto fail;
	snprintf(detail, sizeof detail, "%s:", r.rma);
	for (i = 0; i < req->nlines; i++) {
		if ((rc = takes_of(o, r.order, &req->lines[i], &t, &n)) != OMS_OK)
			goto fail;
		for (k = 0; k < n && rc == OMS_OK; k++) {
			value += t[k].qty * t[k].price;
			rc = omsi_exec(o, "INSERT INTO return_lines (return_id, line_id, sku, qty,"
			    " unit_price) VALUES (?, ?, ?, ?, ?)", "iitii", r.id, t[k].line,
			    req->lines[i].sku, t[k].qty, t[k].price);
			/* A claim is returned at once: nothing is to come back. */
			if (rc == OMS_OK && req->claim)
				rc = omsi_exec(o, "UPDATE order_lines SET returned = returned + ?"
				    " WHERE id = ?", "ii", t[k].qty, t[k].line);
		}
		free(t);
		t = NULL;
		if (rc != OMS_OK)
			goto fail;
		detail_add(detail, sizeof detail, "%s %s %lld", i ? "," : "", req->lines[i].sku,
		    (long long)req->lines[i].qty);
	}
	detail_add(detail, sizeof detail, "; %s%s%s%s", req->claim ? "claim, " : "", req->reason,
	    req->note ? ": " : "", req->note ? req->note : "");
	if (req->nexchange > 0) {
		if ((rc = make_exchange(o, req, &r, prorate(of.total - of.shipping, value, of.base),
		    &xid, &credit, &due)) != OMS_OK ||
		    (rc = omsi_exec(o, "UPDATE returns SET exchange_order_id = ?, exchange_credit = ?"
		    " WHERE id = ?", "iii", xid, credit, r.id)) != OMS_OK)
			goto fail;
		detail_add(detail, sizeof detail, "; exchange order %lld, credit %s", (long long)xid,
		    amt(a, credit, r.currency));
	}
	if ((rc = oms_event(o, r.order, req->claim ? "claim" : "return", OMS_NSTATUS, OMS_NSTATUS,
	    detail)) != OMS_OK || (rc = finish(o)) != OMS_OK)
		goto fail;
	if (xid != 0 && !o->opts.quiet)
		fprintf(stderr, "%s: exchange order %lld, %s to pay%s\n", r.rma, (long long)xid,
		    amt(a, due, r.currency), o->opts.dry_run ? " (dry run: not made)" : "");
	return print_rma(&r);
fail:
	free(t);
	oms_rollback(o);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* Receiving what came back. */

/* A return line with room for more to come back. */
struct rline {
	int64_t id, line, qty, received, take;
	char sku[72];
	enum oms_disposition disp;
};

static int
load_rlines(struct oms *o, int64_t id, struct rline **out, size_t *n)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT id, line_id, qty, received, sku FROM return_lines"
	    " WHERE return_id = ? ORDER BY id", "i", id);
	struct rline *v = NULL, *more;
	size_t cap = 0;
	int rc;

	*n = 0;
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
		v[*n].line = omsi_col_int64(st, 1);
		v[*n].qty = omsi_col_int64(st, 2);
		v[*n].received = omsi_col_int64(st, 3);
		snprintf(v[*n].sku, sizeof v[*n].sku, "%s", omsi_text(st, 4));
		(*n)++;
	}
	omsi_reset(st);
	if (rc != OMSI_DONE) {
		free(v);
		return OMS_ESYS;
	}
	*out = v;
	return OMS_OK;
}

/* in_catalog says whether the catalog has a SKU (stock can be had only of those). */
static int
in_catalog(struct oms *o, const char *sku)
{
	int64_t v;

	if (omsi_int(o, &v, "SELECT count(*) FROM items WHERE sku = ?", "t", sku) != OMS_OK)
		return -1;
	return v > 0;
}

/* receive_one records units of one return line coming back, and restocks them. */
static int
receive_one(struct oms *o, const struct ret *r, const struct rline *l, int64_t take,
    enum oms_disposition disp)
{
	char why[96];
	int rc;

	if ((rc = omsi_exec(o, "UPDATE return_lines SET received = received + ?1,"
	    " restocked = restocked + CASE WHEN ?2 <> 0 THEN ?1 ELSE 0 END,"
	    " scrapped = scrapped + CASE WHEN ?2 <> 0 THEN 0 ELSE ?1 END WHERE id = ?3", "iIi", take,
	    disp != OMS_DISP_SCRAP, l->id)) != OMS_OK ||
	    (rc = omsi_exec(o, "UPDATE order_lines SET returned = returned + ? WHERE id = ?", "ii",
	    take, l->line)) != OMS_OK)
		return rc;
	if (disp == OMS_DISP_SCRAP)
		return OMS_OK;
	switch (in_catalog(o, l->sku)) {
	case -1:
		return OMS_ESYS;
	case 0:
		oms_warnx("%s: %s is not in the catalog, so it cannot go back on hand: receive it"
		    " as scrap, or add it to the catalog first (oms-stock import)", r->rma, l->sku);
		return OMS_EINPUT;
	}
	snprintf(why, sizeof why, "returned: %s", r->reason);
	/* Back on hand at once: the next allocation run gives it to the orders waiting. */
	return oms_stock_move(o, l->sku, "return", take, 0, r->rma, why);
}

int
oms_return_receive(struct oms *o, int64_t id, const struct oms_return_want *w, size_t nw)
{
	struct rline *l = NULL;
	struct ret r;
	char detail[1024];
	int64_t left, room, got;
	size_t i, k, n;
	int rc;

	for (i = 0; i < nw; i++)
		for (k = 0; k < i; k++)
			if (strcmp(w[i].sku, w[k].sku) == 0 && w[i].disp == w[k].disp) {
				oms_warnx("--line %s: given twice", w[i].sku);
				return OMS_EUSAGE;
			}
	if ((rc = oms_begin(o)) != OMS_OK)
		return rc;
	if ((rc = load_return(o, id, &r)) != OMS_OK)
		goto fail;
	rc = OMS_EINPUT;
	if (r.claim) {
		oms_warnx("%s: a claim: nothing is to come back", r.rma);
		goto fail;
	}
	if (strcmp(r.status, "open") != 0 && strcmp(r.status, "received") != 0) {
		oms_warnx("%s: it is %s: nothing more is received", r.rma, r.status);
		goto fail;
	}
	if ((rc = load_rlines(o, id, &l, &n)) != OMS_OK)
		goto fail;
	snprintf(detail, sizeof detail, "%s:", r.rma);
	if (nw == 0) {
		for (k = 0, got = 0; k < n; k++)
			got += l[k].qty - l[k].received;
		if (got == 0) {
			oms_warnx("%s: everything it authorized has been received", r.rma);
			rc = OMS_EINPUT;
			goto fail;
		}
		for (k = 0; k < n && rc == OMS_OK; k++)
			if (l[k].qty > l[k].received) {
				rc = receive_one(o, &r, &l[k], l[k].qty - l[k].received, OMS_DISP_RESTOCK);
				detail_add(detail, sizeof detail, "%s %s %lld restock", k ? "," : "",
				    l[k].sku, (long long)(l[k].qty - l[k].received));
				l[k].received = l[k].qty;
			}
	}
	for (i = 0; i < nw && rc == OMS_OK; i++) {
		for (k = 0, room = 0, got = 0; k < n; k++)
			if (strcmp(l[k].sku, w[i].sku) == 0) {
				room += l[k].qty - l[k].received;
				got++;
			}
		if (got == 0 || room < w[i].qty) {
			if (got == 0)
				oms_warnx("%s: %s is not on the return", r.rma, w[i].sku);
			else
				oms_warnx("%s: %s: %lld received, but only %lld %s authorized and not"
				    " received yet", r.rma, w[i].sku, (long long)w[i].qty,
				    (long long)room, room == 1 ? "is" : "are");
			rc = OMS_EINPUT;
			break;
		}
		for (k = 0, left = w[i].qty; k < n && left > 0 && rc == OMS_OK; k++) {
			if (strcmp(l[k].sku, w[i].sku) != 0 || l[k].qty == l[k].received)
				continue;
			room = l[k].qty - l[k].received < left ? l[k].qty - l[k].received : left;
			rc = receive_one(o, &r, &l[k], room, w[i].disp);
			l[k].received += room;
			left -= room;
		}
		detail_add(detail, sizeof detail, "%s %s %lld %s", i ? "," : "", w[i].sku,
		    (long long)w[i].qty, w[i].disp == OMS_DISP_SCRAP ? "scrap" : "restock");
	}
	if (rc != OMS_OK || (rc = set_status(o, &r, "received")) != OMS_OK ||
	    (rc = event(o, r.order, "return received", detail)) != OMS_OK ||
	    (rc = finish(o)) != OMS_OK)
		goto fail;
	free(l);
	return print_rma(&r);
fail:
	free(l);
	oms_rollback(o);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* Refunds. */

/* What a refund is made of, worked out in one transaction. */
struct refund {
	int64_t goods, credit, fee, shipping, total;
	int64_t left;		/* what the order has left to give back */
	int via_gateway;
	int64_t payment;	/* its payments row, once recorded (0: none) */
};

/* money_opt reads an amount option in the return's currency (not negative). */
static int
money_opt(const struct ret *r, const char *opt, const char *text, int64_t *v)
{
	if (oms_money_parse(text, r->currency, v) != 0 || *v < 0) {
		oms_warnx("%s: %s \"%.40s\" is not an amount in %s", r->rma, opt, text, r->currency);
		return -1;
	}
	return 0;
}

/*
 * goods_value is what the customer paid for the return's units (received,
 * or claimed), with the order's discount and tax in proportion.  Worked out
 * on top of the order's earlier settled returns, so that rounding never
 * adds up: all of an order returned gives back exactly what it cost.
 */
static int
goods_value(struct oms *o, const struct ret *r, int64_t *goods)
{
	struct order_facts of;
	int64_t before, mine;
	int rc;

	if ((rc = load_order(o, r->order, &of)) != OMS_OK)
		return rc;
	if (omsi_int(o, &mine, "SELECT coalesce(sum(CASE WHEN r.claim <> 0 THEN l.qty ELSE l.received"
	    " END * l.unit_price), 0) FROM return_lines l JOIN returns r ON r.id = l.return_id"
	    " WHERE r.id = ?", "i", r->id) != OMS_OK ||
	    omsi_int(o, &before, "SELECT coalesce(sum(CASE WHEN r.claim <> 0 THEN l.qty ELSE l.received"
	    " END * l.unit_price), 0) FROM return_lines l JOIN returns r ON r.id = l.return_id"
	    " WHERE r.order_id = ? AND r.id != ? AND r.status IN ('refunded', 'closed')", "ii",
	    r->order, r->id) != OMS_OK)
		return OMS_ESYS;
	*goods = prorate(of.total - of.shipping, before + mine, of.base) -
	    prorate(of.total - of.shipping, before, of.base);
	return OMS_OK;
}

/* credit_of is what the exchange took off its price, unless it was cancelled before it shipped. */
static int
credit_of(struct oms *o, const struct ret *r, int64_t *credit)
{
	int64_t gone;

	*credit = 0;
	if (r->exchange == 0)
		return OMS_OK;
	if (omsi_int(o, &gone, "SELECT status = 'cancelled' AND (SELECT coalesce(sum(shipped), 0)"
	    " FROM order_lines WHERE order_id = o.id) = 0 FROM orders o WHERE id = ?", "i",
	    r->exchange) != OMS_OK)
		return OMS_ESYS;
	*credit = gone ? 0 : r->credit;
	return OMS_OK;
}

/*
 * work_out works out a refund in the open transaction: OMS_OK with f
 * filled, OMS_EINPUT when it cannot be made (reported).
 */
static int
work_out(struct oms *o, const struct ret *r, const struct oms_refund_req *q, int via_gateway,
    int64_t gateway_left, struct refund *f)
{
	char a[AMT_MAX], b[AMT_MAX];
	int64_t charged, given, paid;

	memset(f, 0, sizeof *f);
	f->via_gateway = via_gateway;
	if (goods_value(o, r, &f->goods) != OMS_OK || credit_of(o, r, &f->credit) != OMS_OK)
		return OMS_ESYS;
	if ((q->amount && money_opt(r, "--amount", q->amount, &f->goods) != 0) ||
	    (q->fee && money_opt(r, "--fee", q->fee, &f->fee) != 0))
		return OMS_EUSAGE;
	if (q->shipping) {
		/* What the customer paid for shipping, less what earlier returns gave back of it. */
		if (omsi_int(o, &charged, "SELECT coalesce(sum(shipping_charged), 0) FROM shipments"
		    " WHERE order_id = ? AND status = 'shipped'", "i", r->order) != OMS_OK ||
		    omsi_int(o, &given, "SELECT coalesce(sum(shipping), 0) FROM returns WHERE"
		    " order_id = ? AND id != ? AND status = 'refunded'", "ii", r->order, r->id) !=
		    OMS_OK)
			return OMS_ESYS;
		f->shipping = charged > given ? charged - given : 0;
		if (f->shipping == 0 && !o->opts.quiet)
			fprintf(stderr, "%s: --shipping: no shipping charge is left to give back\n",
			    r->rma);
	}
	f->total = f->goods - f->credit - f->fee + f->shipping;
	if (f->total < 0) {
		oms_warnx("%s: nothing to refund: the exchange and fee come to %s more than the"
		    " refund (the customer owes it)", r->rma, amt(a, -f->total, r->currency));
		f->total = 0;
	}
	if (via_gateway) {
		f->left = gateway_left;
	} else {
		/* Paid outside oms: what its shipments charged, less what returns gave back. */
		if (omsi_int(o, &charged, "SELECT coalesce(sum(charge), 0) FROM shipments WHERE"
		    " order_id = ? AND status = 'shipped'", "i", r->order) != OMS_OK ||
		    omsi_int(o, &paid, "SELECT coalesce(sum(refund), 0) FROM returns WHERE"
		    " order_id = ? AND id != ? AND status = 'refunded'", "ii", r->order, r->id) !=
		    OMS_OK)
			return OMS_ESYS;
		f->left = charged > paid ? charged - paid : 0;
	}
	if (f->total > f->left) {
		oms_warnx("%s: a refund of %s is more than order %lld has left to give back (%s)",
		    r->rma, amt(a, f->total, r->currency), (long long)r->order,
		    amt(b, f->left, r->currency));
		return OMS_EINPUT;
	}
	return OMS_OK;
}

/*
 * record_figures keeps the refund's parts on the return, and each line's
 * share of it (less shipping, by the lines' worth, adding up exactly).
 */
static int
record_figures(struct oms *o, const struct ret *r, const struct refund *f, const char *via)
{
	struct omsi_stmt *st;
	struct share {
		int64_t id, value;
	} *v = NULL, *more;
	size_t n = 0, cap = 0, i;
	int64_t total = 0, done = 0, part, cum = 0, base = f->total - f->shipping;
	int rc;

	if ((rc = omsi_exec(o, "UPDATE returns SET goods = ?, fee = ?, shipping = ?, refund = ?,"
	    " refund_via = ? WHERE id = ?", "iiiiti", f->goods, f->fee, f->shipping, f->total, via,
	    r->id)) != OMS_OK)
		return rc;
	if ((st = omsi_stmt(o, "SELECT id, CASE WHEN ? <> 0 THEN qty ELSE received END * unit_price"
	    " FROM return_lines WHERE return_id = ? ORDER BY id", "Ii", r->claim, r->id)) == NULL)
		return OMS_ESYS;
	while ((rc = omsi_step(o, st)) == OMSI_ROW) {
		if ((more = omsi_grow(v, &cap, n, sizeof *v)) == NULL) {
			rc = -1;
			break;
		}
		v = more;
		v[n].id = omsi_col_int64(st, 0);
		v[n].value = omsi_col_int64(st, 1);
		total += v[n++].value;
	}
	omsi_reset(st);
	rc = rc == OMSI_DONE ? OMS_OK : OMS_ESYS;
	for (i = 0; i < n && rc == OMS_OK; i++) {
		cum += v[i].value;
		/* The last line takes what rounding left; a refund of nothing is no one's. */
		part = base <= 0 ? 0 : total == 0 ? (i == n - 1 ? base - done : 0) :
		    prorate(base, cum, total) - done;
		done += part;
		rc = omsi_exec(o, "UPDATE return_lines SET refund = ? WHERE id = ?", "ii", part,
		    v[i].id);
	}
	free(v);
	return rc;
}

/* describe_refund writes a refund's parts for the history. */
static void
describe_refund(char *buf, size_t len, const struct ret *r, const struct refund *f)
{
	char a[AMT_MAX], m[OMS_MONEY_MAX];

	snprintf(buf, len, "%s: %s (goods %s", r->rma, amt(a, f->total, r->currency),
	    oms_money_format(m, f->goods, r->currency));
	if (f->credit)
		detail_add(buf, len, ", exchange -%s", oms_money_format(m, f->credit, r->currency));
	if (f->fee)
		detail_add(buf, len, ", fee -%s", oms_money_format(m, f->fee, r->currency));
	if (f->shipping)
		detail_add(buf, len, ", shipping %s", oms_money_format(m, f->shipping, r->currency));
	detail_add(buf, len, ")");
}

/*
 * refund_prepare is the first transaction: the refund worked out and, for
 * the gateway, its intent recorded and committed.  *send is set when a
 * request is to go to the gateway; *done when the return is settled now.
 */
static int
refund_prepare(struct oms *o, struct oms_gateway *g, struct ret *r,
    const struct oms_refund_req *q, struct refund *f, int *send, int *done)
{
	char detail[512], a[AMT_MAX];
	int64_t pending, paid, gateway_left;
	int rc, via_gateway;

	*send = *done = 0;
	if ((rc = oms_begin(o)) != OMS_OK)
		return rc;
	if ((rc = load_return(o, r->id, r)) != OMS_OK)
		goto fail;
	if (strcmp(r->status, "refunded") == 0 || strcmp(r->status, "closed") == 0) {
		/* Settled before: passed on untouched, as a filter does. */
		oms_rollback(o);
		*done = 1;
		return OMS_OK;
	}
	rc = OMS_EINPUT;
	if (strcmp(r->status, "open") == 0) {
		oms_warnx("%s: nothing has been received yet (oms-return receive first)", r->rma);
		goto fail;
	}
	if (strcmp(r->status, "received") != 0) {
		oms_warnx("%s: it is %s: nothing to refund", r->rma, r->status);
		goto fail;
	}
	if ((rc = omsi_int(o, &pending, "SELECT coalesce(max(id), 0) FROM payments WHERE"
	    " return_id = ? AND kind = 'refund' AND status = 'pending'", "i", r->id)) != OMS_OK ||
	    (rc = omsi_int(o, &paid, "SELECT coalesce(max(id), 0) FROM payments WHERE"
	    " return_id = ? AND kind = 'refund' AND status = 'succeeded'", "i", r->id)) != OMS_OK)
		goto fail;
	memset(f, 0, sizeof *f);
	if (pending != 0 || paid != 0) {
		/* Made before, its answer not recorded: its figures stand, its key is sent again. */
		struct omsi_stmt *st = omsi_stmt(o, "SELECT goods, fee, shipping, refund FROM returns"
		    " WHERE id = ?", "i", r->id);

		if (st == NULL || omsi_step(o, st) != OMSI_ROW) {
			if (st != NULL)
				omsi_reset(st);
			rc = OMS_ESYS;
			goto fail;
		}
		f->goods = omsi_col_int64(st, 0);
		f->fee = omsi_col_int64(st, 1);
		f->shipping = omsi_col_int64(st, 2);
		f->total = omsi_col_int64(st, 3);
		omsi_reset(st);
		f->via_gateway = 1;
		f->payment = pending ? pending : paid;
		if ((rc = credit_of(o, r, &f->credit)) != OMS_OK)
			goto fail;
		oms_rollback(o);
		if (o->opts.dry_run) {
			printf("%s\t%s\t%s\n", r->rma, pending ? "refund again" : "refunded",
			    amt(a, f->total, r->currency));
			*done = 2;
			return OMS_OK;
		}
		if (!o->opts.quiet && (q->amount || q->fee || q->shipping))
			fprintf(stderr, "%s: a refund of %s was made before and not settled: it is"
			    " sent again as it was, without --amount, --fee or --shipping\n", r->rma,
			    amt(a, f->total, r->currency));
		*send = pending != 0;
		return OMS_OK;
	}
	/* What is left to give back, read under the write lock: no other refund slips in. */
	if ((via_gateway = oms_pay_refundable(o, r->order, &gateway_left)) < 0) {
		rc = OMS_ESYS;
		goto fail;
	}
	if (via_gateway && g == NULL) {
		oms_warnx("%s: internal error: no gateway for a refund through one", r->rma);
		rc = OMS_ESYS;
		goto fail;
	}
	if ((rc = work_out(o, r, q, via_gateway, gateway_left, f)) != OMS_OK)
		goto fail;
	describe_refund(detail, sizeof detail, r, f);
	if (o->opts.dry_run) {
		printf("%s\t%s\t%s\n", r->rma, f->total == 0 ? "close" : via_gateway ? "refund" : "owed",
		    amt(a, f->total, r->currency));
		oms_rollback(o);
		*done = 2;
		return OMS_OK;
	}
	if (f->total == 0) {
		if ((rc = record_figures(o, r, f, NULL)) != OMS_OK ||
		    (rc = set_status(o, r, "closed")) != OMS_OK ||
		    (rc = event(o, r->order, "return closed", detail)) != OMS_OK)
			goto fail;
		*done = 1;
		if ((rc = oms_commit(o)) == OMS_OK && !o->opts.quiet)
			fprintf(stderr, "%s: closed: nothing to refund\n", r->rma);
		return rc;
	}
	if (!via_gateway) {
		/* Paid at the cart or on terms: oms records what is owed; the cart or accounts pays it. */
		detail_add(detail, sizeof detail, ", owed to the customer: not through a gateway");
		if ((rc = record_figures(o, r, f, "owed")) != OMS_OK ||
		    (rc = set_status(o, r, "refunded")) != OMS_OK ||
		    (rc = event(o, r->order, "refund owed", detail)) != OMS_OK)
			goto fail;
		*done = 1;
		if ((rc = oms_commit(o)) == OMS_OK && !o->opts.quiet)
			fprintf(stderr, "%s: %s owed to the customer: paid at the cart or on terms,"
			    " it is paid back there, not by oms\n", r->rma, amt(a, f->total, r->currency));
		return rc;
	}
	if ((rc = oms_pay_return_intent(o, g, r->order, r->id, f->total, &f->payment)) != OMS_OK)
		goto fail;
	if ((rc = record_figures(o, r, f, "gateway")) != OMS_OK)
		goto fail;
	*send = 1;
	return oms_commit(o);
fail:
	oms_rollback(o);
	return rc;
}

/* refund_settle records the gateway's answer and, approved, the return refunded: one transaction. */
static int
refund_settle(struct oms *o, struct oms_gateway *g, struct ret *r, const struct refund *f,
    const struct oms_pay_result *res)
{
	char detail[512];
	int rc;

	if ((rc = oms_begin(o)) != OMS_OK)
		return rc;
	if (res != NULL && (rc = oms_pay_return_answer(o, g, f->payment, res, r->rma)) != OMS_OK)
		goto fail;
	if (res == NULL || res->ok) {
		describe_refund(detail, sizeof detail, r, f);
		detail_add(detail, sizeof detail, ", through %s%s%s", g ? g->ops->name : "the gateway",
		    res && *res->ref ? " " : "", res ? res->ref : "");
		if ((rc = set_status(o, r, "refunded")) != OMS_OK ||
		    (rc = event(o, r->order, "return refunded", detail)) != OMS_OK)
			goto fail;
	}
	return oms_commit(o);
fail:
	oms_rollback(o);
	return rc;
}

int
oms_return_refund(struct oms *o, int64_t id, const struct oms_refund_req *q)
{
	struct oms_gateway *g = NULL;
	struct oms_pay_result res;
	struct refund f;
	struct ret r;
	int64_t left = 0;
	int rc, via, send, done;

	/* Which way the money goes, read before the write lock, to open the gateway outside it. */
	if ((rc = load_return(o, id, &r)) != OMS_OK)
		return rc;
	if ((via = oms_pay_refundable(o, r.order, &left)) < 0)
		return OMS_ESYS;
	/* Not for one settled, which can change no more; an open one may be received meanwhile. */
	if (via && (strcmp(r.status, "open") == 0 || strcmp(r.status, "received") == 0) &&
	    (rc = oms_gateway_open(o, &g)) != OMS_OK)
		return rc;
	if ((rc = refund_prepare(o, g, &r, q, &f, &send, &done)) != OMS_OK)
		goto out;
	if (done) {
		if (done == 1)
			rc = print_rma(&r);
		goto out;
	}
	if (!send) {
		/* Refunded at the gateway, and that recorded, by a run that died before the rest. */
		rc = refund_settle(o, g, &r, &f, NULL);
		if (rc == OMS_OK)
			rc = print_rma(&r);
		goto out;
	}
	if (g == NULL && (rc = oms_gateway_open(o, &g)) != OMS_OK)
		goto out;
	if ((rc = oms_pay_return_send(o, g, f.payment, &res)) != OMS_OK)
		goto out;
	if (res.transient) {
		oms_warnx("%s: payment gateway unreachable, refund left to retry (run oms-return"
		    " refund %s again): %s", r.rma, r.rma, res.message);
		rc = OMS_EINPUT;
		goto out;
	}
	if ((rc = refund_settle(o, g, &r, &f, &res)) != OMS_OK)
		goto out;
	if (!res.ok) {
		oms_warnx("%s: refund refused by the gateway: %s%s", r.rma, res.code,
		    g->test ? " (test)" : "");
		rc = OMS_EINPUT;
		goto out;
	}
	if (!o->opts.quiet) {
		char a[AMT_MAX];

		fprintf(stderr, "%s: %s refunded through %s%s\n", r.rma, amt(a, f.total, r.currency),
		    g->ops->name, g->test ? " (test: no money moved)" : "");
	}
	rc = print_rma(&r);
out:
	oms_gateway_close(g);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* Cancelling. */

int
oms_return_cancel(struct oms *o, int64_t id, const char *reason)
{
	struct oms_order_change change = { .reason = NULL };
	char detail[512], why[256];
	struct ret r;
	int64_t shipped = 0;
	enum oms_step s;
	int rc, settle = 0;

	if ((rc = oms_begin(o)) != OMS_OK)
		return rc;
	if ((rc = load_return(o, id, &r)) != OMS_OK)
		goto fail;
	if (strcmp(r.status, "cancelled") == 0) {
		oms_rollback(o);
		return print_rma(&r);
	}
	rc = OMS_EINPUT;
	if (strcmp(r.status, "refunded") == 0 || strcmp(r.status, "closed") == 0) {
		oms_warnx("%s: it is %s: a settled return is not cancelled", r.rma, r.status);
		goto fail;
	}
	if (strcmp(r.status, "received") == 0 && !r.claim) {
		oms_warnx("%s: goods of it were received: refund it, or close it without money"
		    " (oms-return refund --amount 0)", r.rma);
		goto fail;
	}
	if (r.exchange != 0) {
		if ((rc = omsi_int(o, &shipped, "SELECT coalesce(sum(shipped), 0) FROM order_lines"
		    " WHERE order_id = ?", "i", r.exchange)) != OMS_OK)
			goto fail;
		if (shipped > 0) {
			oms_warnx("%s: its exchange order %lld has shipped: it cannot be taken back"
			    " by cancelling the return", r.rma, (long long)r.exchange);
			rc = OMS_EINPUT;
			goto fail;
		}
		snprintf(why, sizeof why, "%s cancelled%s%s", r.rma, reason ? ": " : "",
		    reason ? reason : "");
		change.reason = why;
		s = oms_order_cancel_filter.step(o, r.exchange, &change);
		if (s == OMS_STEP_FAIL || s == OMS_STEP_REJECT) {
			rc = s == OMS_STEP_FAIL ? OMS_ESYS : OMS_EINPUT;
			goto fail;
		}
		settle = s == OMS_STEP_DONE;
	}
	/* A claim's units were returned when it was made: they are the customer's again. */
	if (r.claim && (rc = omsi_exec(o, "UPDATE order_lines SET returned = returned - (SELECT"
	    " sum(qty) FROM return_lines WHERE return_id = ?1 AND line_id = order_lines.id)"
	    " WHERE id IN (SELECT line_id FROM return_lines WHERE return_id = ?1)", "i",
	    r.id)) != OMS_OK)
		goto fail;
	snprintf(detail, sizeof detail, "%s%s%s", r.rma, reason ? ": " : "", reason ? reason : "");
	if (r.exchange != 0)
		detail_add(detail, sizeof detail, "; exchange order %lld cancelled",
		    (long long)r.exchange);
	if ((rc = set_status(o, &r, "cancelled")) != OMS_OK ||
	    (rc = event(o, r.order, "return cancelled", detail)) != OMS_OK ||
	    (rc = finish(o)) != OMS_OK)
		goto fail;
	/* The exchange's authorization is released as any cancelled order's is. */
	if (settle && !o->opts.dry_run && (rc = oms_pay_settle_cancelled(o)) != OMS_OK)
		return rc;
	return print_rma(&r);
fail:
	oms_rollback(o);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* Listings. */

static const char list_sql[] =
    "SELECT r.rma, r.order_id, r.status, r.reason, r.claim, sum(l.qty), sum(l.received),"
    " r.exchange_order_id, r.currency, r.refund, r.created_at, r.created_by"
    " FROM returns r JOIN return_lines l ON l.return_id = r.id"
    " WHERE (?1 IS NULL OR r.status = ?1) AND (?2 IS NULL OR r.created_at >= ?2)"
    " AND (?3 IS NULL OR r.order_id = ?3) GROUP BY r.id ORDER BY r.id";

static const char list_orders_sql[] =
    "SELECT r.order_id FROM returns r"
    " WHERE (?1 IS NULL OR r.status = ?1) AND (?2 IS NULL OR r.created_at >= ?2)"
    " AND (?3 IS NULL OR r.order_id = ?3) GROUP BY r.order_id ORDER BY min(r.id)";

/* rows_print writes the first column of every row of st, one a line. */
static int
rows_print(struct oms *o, struct omsi_stmt *st, FILE *out)
{
	int rc;

	while ((rc = omsi_step(o, st)) == OMSI_ROW)
		fprintf(out, "%s\n", omsi_text(st, 0));
	omsi_reset(st);
	return rc == OMSI_DONE ? OMS_OK : OMS_ESYS;
}

static const struct oms_column list_cols[] = {
	{ "rma", OMS_CELL_STR }, { "order", OMS_CELL_INT }, { "status", OMS_CELL_STR },
	{ "reason", OMS_CELL_STR }, { "claim", OMS_CELL_STR }, { "units", OMS_CELL_INT },
	{ "received", OMS_CELL_INT }, { "exchange", OMS_CELL_INT },
	{ "currency", OMS_CELL_STR }, { "refund", OMS_CELL_AMOUNT },
	{ "created_at", OMS_CELL_STR }, { "created_by", OMS_CELL_STR },
};
#define NLIST (sizeof list_cols / sizeof list_cols[0])

/* list_rows adds the rows of st (list_sql) to t; print instead writes numbers or order IDs. */
static int
list_rows(struct oms *o, struct omsi_stmt *st, struct oms_table *t, int print, FILE *out)
{
	char m[OMS_MONEY_MAX];
	const char *cells[NLIST];
	size_t i;
	int rc;

	while ((rc = omsi_step(o, st)) == OMSI_ROW) {
		if (print == 'r') {
			fprintf(out, "%s\n", omsi_text(st, 0));
			continue;
		}
		for (i = 0; i < NLIST; i++)
			cells[i] = omsi_text(st, (int)i);
		cells[4] = omsi_col_int(st, 4) ? "yes" : "no";
		cells[9] = omsi_col_null(st, 9) ? NULL :
		    oms_money_format(m, omsi_col_int64(st, 9), omsi_text(st, 8));
		if (oms_table_row(t, cells) != OMS_OK)
			break;
	}
	omsi_reset(st);
	return rc == OMSI_DONE ? OMS_OK : OMS_ESYS;
}

int
oms_return_list(struct oms *o, const struct oms_return_query *q, enum oms_format f, FILE *out)
{
	struct oms_table *t = NULL;
	struct omsi_stmt *st;
	size_t i = 0;
	int rc = OMS_OK;

	if (q->print == 0 && (t = oms_table_new(out, f, list_cols, NLIST)) == NULL)
		return OMS_ESYS;
	/* Orders asked for and none given: nothing; no orders asked for: every one. */
	for (; q->orders == NULL || i < q->norders; i++) {
		const int64_t *order = q->orders != NULL ? &q->orders[i] : NULL;

		if (q->print == 'o') {
			/* Each order once, in the order of its first return. */
			if ((st = omsi_stmt(o, list_orders_sql, "ttj", q->status, q->since,
			    order)) == NULL || rows_print(o, st, out) != OMS_OK) {
				rc = OMS_ESYS;
				break;
			}
			if (q->orders == NULL)
				break;
			continue;
		}
		if ((st = omsi_stmt(o, list_sql, "ttj", q->status, q->since, order)) == NULL ||
		    list_rows(o, st, t, q->print, out) != OMS_OK) {
			rc = OMS_ESYS;
			break;
		}
		if (q->orders == NULL)
			break;
	}
	if (t != NULL && oms_table_end(t) != OMS_OK)
		return OMS_ESYS;
	return rc;
}

static const char lines_sql[] =
    "SELECT l.sku, l.qty, l.received, l.restocked, l.scrapped, l.unit_price, l.refund,"
    " coalesce(i.description, '') FROM return_lines l LEFT JOIN items i ON i.sku = l.sku"
    " WHERE l.return_id = ? ORDER BY l.id";

/* The history of a return: its order's (and exchange's) events that name it. */
static const char history_sql[] =
    "SELECT at, user, tool, what, order_id, detail FROM events WHERE order_id IN (?1, ?2)"
    " AND (' ' || detail || ' ') GLOB ('*[^0-9A-Za-z]' || ?3 || '[^0-9]*') ORDER BY id";
/* A server has no GLOB: the same pattern as a regular expression, the RMA's own characters escaped. */
static const char history_pg_sql[] =
    "SELECT at, user, tool, what, order_id, detail FROM events WHERE order_id IN (?1, ?2)"
    " AND (' ' || detail || ' ') ~ ('[^0-9A-Za-z]' || regexp_replace(?3, '([^0-9A-Za-z])',"
    " '\\\\\\1', 'g') || '[^0-9]') ORDER BY id";

static const char show_sql[] =
    "SELECT rma, order_id, status, reason, note, claim, exchange_order_id, currency,"
    " exchange_credit, goods, fee, shipping, refund, refund_via, created_at, created_by,"
    " updated_at, updated_by FROM returns WHERE id = ?";

static void
field(FILE *out, const char *key, const char *v)
{
	if (v != NULL && *v != '\0')
		fprintf(out, "%-12s %s\n", key, v);
}

/* money_cell formats a column that may be NULL. */
static const char *
money_cell(struct omsi_stmt *st, int col, const char *currency, char buf[OMS_MONEY_MAX])
{
	if (omsi_col_null(st, col))
		return NULL;
	return oms_money_format(buf, omsi_col_int64(st, col), currency);
}

static json_t *
jstr(struct omsi_stmt *st, int col)
{
	const char *s = omsi_text(st, col);

	return s ? json_string(s) : json_null();
}

static json_t *
jmoney(struct omsi_stmt *st, int col, const char *currency)
{
	char buf[OMS_MONEY_MAX];

	if (omsi_col_null(st, col))
		return json_null();
	return json_string(oms_money_format(buf, omsi_col_int64(st, col), currency));
}

static json_t *
jint_or_null(struct omsi_stmt *st, int col)
{
	if (omsi_col_null(st, col))
		return json_null();
	return json_integer(omsi_col_int64(st, col));
}

static int
set(json_t *obj, const char *key, json_t *v)
{
	return v == NULL || json_object_set_new(obj, key, v) != 0 ? -1 : 0;
}

/* lines_json is a return's lines as a JSON array; NULL on error. */
static json_t *
lines_json(struct oms *o, int64_t id, const char *currency)
{
	static const char *const qk[] = { "qty", "received", "restocked", "scrapped" };
	json_t *a = json_array(), *x;
	struct omsi_stmt *st;
	int rc = -1, r = 0, i;

	if (a == NULL || (st = omsi_stmt(o, lines_sql, "i", id)) == NULL) {
		json_decref(a);
		return NULL;
	}
	while ((rc = omsi_step(o, st)) == OMSI_ROW) {
		if ((x = json_object()) == NULL || json_array_append_new(a, x) != 0) {
			r = -1;
			break;
		}
		r |= set(x, "sku", jstr(st, 0));
		for (i = 0; i < 4; i++)
			r |= set(x, qk[i], json_integer(omsi_col_int64(st, 1 + i)));
		r |= set(x, "price", jmoney(st, 5, currency));
		r |= set(x, "refund", jmoney(st, 6, currency));
	}
	omsi_reset(st);
	if (rc != OMSI_DONE || r != 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* return_json is one return (st on show_sql's row) as a JSON object; NULL on error. */
static json_t *
return_json(struct oms *o, int64_t id, struct omsi_stmt *st, int with_history)
{
	json_t *x = json_object(), *h, *e;
	char currency[4];
	int64_t order = omsi_col_int64(st, 1), exchange = omsi_col_int64(st, 6);
	struct omsi_stmt *q;
	int r = 0, rc;

	snprintf(currency, sizeof currency, "%s", omsi_text(st, 7));
	if (x == NULL)
		return NULL;
	r |= set(x, "rma", jstr(st, 0));
	r |= set(x, "order", json_integer(order));
	r |= set(x, "status", jstr(st, 2));
	r |= set(x, "reason", jstr(st, 3));
	r |= set(x, "note", jstr(st, 4));
	r |= set(x, "claim", json_boolean(omsi_col_int(st, 5)));
	r |= set(x, "exchange_order", jint_or_null(st, 6));
	r |= set(x, "currency", json_string(currency));
	r |= set(x, "exchange_credit", jmoney(st, 8, currency));
	r |= set(x, "goods", jmoney(st, 9, currency));
	r |= set(x, "fee", jmoney(st, 10, currency));
	r |= set(x, "shipping", jmoney(st, 11, currency));
	r |= set(x, "refund", jmoney(st, 12, currency));
	r |= set(x, "refund_via", jstr(st, 13));
	r |= set(x, "created_at", jstr(st, 14));
	r |= set(x, "created_by", jstr(st, 15));
	r |= set(x, "updated_at", jstr(st, 16));
	r |= set(x, "updated_by", jstr(st, 17));
	omsi_reset(st);
	r |= set(x, "lines", lines_json(o, id, currency));
	if (r == 0 && with_history) {
		char rma[OMS_RMA_MAX];
		static const char *const hk[] = { "at", "user", "tool", "what", "order", "detail" };
		int i;

		if ((h = json_array()) == NULL || set(x, "history", h) != 0 ||
		    (q = omsi_stmt(o, o->pg != NULL ? history_pg_sql : history_sql, "iit", order,
		    exchange, oms_rma_format(rma, id))) == NULL) {
			json_decref(x);
			return NULL;
		}
		while ((rc = omsi_step(o, q)) == OMSI_ROW) {
			if ((e = json_object()) == NULL || json_array_append_new(h, e) != 0) {
				r = -1;
				break;
			}
			for (i = 0; i < 6; i++)
				r |= set(e, hk[i], i == 4 ? json_integer(omsi_col_int64(q, 4)) :
				    jstr(q, i));
		}
		omsi_reset(q);
		if (rc != OMSI_DONE)
			r = -1;
	}
	if (r != 0) {
		json_decref(x);
		return NULL;
	}
	return x;
}

static int
dump(json_t *j, FILE *out)
{
	char *s;

	if (j == NULL) {
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (s == NULL) {
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	fprintf(out, "%s\n", s);
	free(s);
	return OMS_OK;
}

int
oms_return_show(struct oms *o, int64_t id, enum oms_format f, FILE *out)
{
	static const struct oms_column cols[] = {
		{ "sku", OMS_CELL_STR }, { "qty", OMS_CELL_INT }, { "received", OMS_CELL_INT },
		{ "restocked", OMS_CELL_INT }, { "scrapped", OMS_CELL_INT },
		{ "price", OMS_CELL_AMOUNT }, { "refund", OMS_CELL_AMOUNT },
		{ "description", OMS_CELL_STR },
	};
	static const struct oms_column hcols[] = {
		{ "at", OMS_CELL_STR }, { "user", OMS_CELL_STR }, { "tool", OMS_CELL_STR },
		{ "what", OMS_CELL_STR }, { "order", OMS_CELL_INT }, { "detail", OMS_CELL_STR },
	};
	char currency[4], line[512], m[4][OMS_MONEY_MAX], rma[OMS_RMA_MAX];
	const char *cells[8];
	struct oms_table *t;
	struct omsi_stmt *st = omsi_stmt(o, show_sql, "i", id), *q;
	int64_t order, exchange;
	int rc, i;

	oms_rma_format(rma, id);
	if (st == NULL || (rc = omsi_step(o, st)) < 0)
		return OMS_ESYS;
	if (rc != OMSI_ROW) {
		omsi_reset(st);
		oms_warnx("%s: no such return", rma);
		return OMS_EINPUT;
	}
	if (f == OMS_FMT_JSON)
		return dump(return_json(o, id, st, 1), out);
	snprintf(currency, sizeof currency, "%s", omsi_text(st, 7));
	order = omsi_col_int64(st, 1);
	exchange = omsi_col_int64(st, 6);
	field(out, "rma", omsi_text(st, 0));
	fprintf(out, "%-12s %lld\n", "order", (long long)order);
	field(out, "status", omsi_text(st, 2));
	snprintf(line, sizeof line, "%s%s%s%s", omsi_text(st, 3), omsi_col_int(st, 5) ?
	    " (claim: nothing comes back)" : "", omsi_text(st, 4) ? ": " : "",
	    omsi_text(st, 4) ? omsi_text(st, 4) : "");
	field(out, "reason", line);
	if (exchange != 0) {
		snprintf(line, sizeof line, "order %lld, credit %s %s", (long long)exchange,
		    oms_money_format(m[0], omsi_col_int64(st, 8), currency), currency);
		field(out, "exchange", line);
	}
	if (!omsi_col_null(st, 12)) {
		snprintf(line, sizeof line, "%s %s%s%s  goods %s  fee %s  shipping %s",
		    money_cell(st, 12, currency, m[0]), currency,
		    omsi_text(st, 13) ? " " : "", omsi_text(st, 13) ? (strcmp(omsi_text(st, 13),
		    "owed") == 0 ? "(owed: by the cart or accounts)" : "(through the gateway)") : "",
		    money_cell(st, 9, currency, m[1]) ? m[1] : "", oms_money_format(m[2],
		    omsi_col_int64(st, 10), currency), oms_money_format(m[3],
		    omsi_col_int64(st, 11), currency));
		field(out, "refund", line);
	}
	snprintf(line, sizeof line, "%s by %s", omsi_text(st, 14), omsi_text(st, 15));
	field(out, "created", line);
	snprintf(line, sizeof line, "%s by %s", omsi_text(st, 16), omsi_text(st, 17));
	field(out, "updated", line);
	omsi_reset(st);
	fputc('\n', out);
	if ((q = omsi_stmt(o, lines_sql, "i", id)) == NULL ||
	    (t = oms_table_new(out, f, cols, 8)) == NULL)
		return OMS_ESYS;
	while ((rc = omsi_step(o, q)) == OMSI_ROW) {
		for (i = 0; i < 5; i++)
			cells[i] = omsi_text(q, i);
		cells[5] = money_cell(q, 5, currency, m[0]);
		cells[6] = money_cell(q, 6, currency, m[1]);
		cells[7] = omsi_text(q, 7);
		if (oms_table_row(t, cells) != OMS_OK)
			break;
	}
	omsi_reset(q);
	if (oms_table_end(t) != OMS_OK || rc != OMSI_DONE)
		return OMS_ESYS;
	fputs("\nhistory\n", out);
	if ((q = omsi_stmt(o, o->pg != NULL ? history_pg_sql : history_sql, "iit", order, exchange,
	    rma)) == NULL ||
	    (t = oms_table_new(out, f, hcols, 6)) == NULL)
		return OMS_ESYS;
	rc = omsi_rows_to_table(o, q, t, 6, NULL);
	if (oms_table_end(t) != OMS_OK)
		return OMS_ESYS;
	return rc;
}

/* The returns of an order, for oms-order show. */
static const char order_returns_sql[] =
    "SELECT id FROM returns WHERE order_id = ? ORDER BY id";

int
oms_return_show_order(struct oms *o, int64_t order, enum oms_format f, FILE *out)
{
	static const struct oms_column cols[] = {
		{ "rma", OMS_CELL_STR }, { "status", OMS_CELL_STR }, { "reason", OMS_CELL_STR },
		{ "claim", OMS_CELL_STR }, { "units", OMS_CELL_INT }, { "received", OMS_CELL_INT },
		{ "exchange", OMS_CELL_INT }, { "refund", OMS_CELL_AMOUNT },
	};
	char m[OMS_MONEY_MAX];
	const char *cells[NLIST];
	struct oms_table *t;
	struct omsi_stmt *st;
	int64_t n;
	int rc;

	if (omsi_int(o, &n, "SELECT count(*) FROM returns WHERE order_id = ?", "i", order) != OMS_OK)
		return OMS_ESYS;
	if (n == 0)
		return OMS_OK;
	fputs("\nreturns\n", out);
	if ((st = omsi_stmt(o, list_sql, "ttj", NULL, NULL, &order)) == NULL ||
	    (t = oms_table_new(out, f, cols, 8)) == NULL)
		return OMS_ESYS;
	while ((rc = omsi_step(o, st)) == OMSI_ROW) {
		/* list_sql's columns: rma status reason claim units received exchange refund. */
		cells[0] = omsi_text(st, 0);
		cells[1] = omsi_text(st, 2);
		cells[2] = omsi_text(st, 3);
		cells[3] = omsi_col_int(st, 4) ? "yes" : "no";
		cells[4] = omsi_text(st, 5);
		cells[5] = omsi_text(st, 6);
		cells[6] = omsi_text(st, 7);
		cells[7] = omsi_col_null(st, 9) ? NULL :
		    oms_money_format(m, omsi_col_int64(st, 9), omsi_text(st, 8));
		if (oms_table_row(t, cells) != OMS_OK)
			break;
	}
	omsi_reset(st);
	if (oms_table_end(t) != OMS_OK || rc != OMSI_DONE)
		return OMS_ESYS;
	return OMS_OK;
}

json_t *
oms_return_order_json(struct oms *o, int64_t order)
{
	json_t *a = json_array(), *x;
	struct omsi_stmt *st;
	int64_t *ids = NULL;
	size_t n = 0, i;

	if (a == NULL) {
		oms_warnx("out of memory");
		return NULL;
	}
	if ((st = omsi_stmt(o, order_returns_sql, "i", order)) == NULL ||
	    omsi_collect_ids(o, st, &ids, &n) != OMS_OK) {
		json_decref(a);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if ((st = omsi_stmt(o, show_sql, "i", ids[i])) == NULL ||
		    omsi_step(o, st) != OMSI_ROW) {
			if (st != NULL)
				omsi_reset(st);
			break;
		}
		if ((x = return_json(o, ids[i], st, 0)) == NULL || json_array_append_new(a, x) != 0) {
			oms_warnx("out of memory");
			break;
		}
	}
	free(ids);
	if (i < n) {
		json_decref(a);
		return NULL;
	}
	return a;
}
