/*
 * backorder.c: allocation.  Orders take stock in one fair order, priority
 * first and then age, and a later order never takes stock an earlier
 * waiting order needs, whatever orders a run was given.  Every reservation
 * is a ledger row; the database refuses to reserve more than is on hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <oms/backorder.h>
#include <oms/config.h>
#include <oms/filter.h>
#include <oms/fmt.h>
#include <oms/order.h>
#include <oms/stock.h>
#include <oms/diag.h>

#include "internal.h"

/* The statuses of orders that wait for stock, or for the rest of it. */
#define WAITING "('authorized', 'backordered', 'allocated', 'picking')"

/* What one waiting order still wants of one SKU. */
struct want {
	int64_t prio, id, qty;
	const char *placed;	/* in the tally's pool */
};

/*
 * One SKU's demand: the wants in the fair order, summed by a Fenwick tree
 * so that what comes before an order costs a logarithm, and those that
 * came since the last sort (orders other writers made to wait), unsorted.
 */
struct demand {
	char *sku;
	struct want *w;		/* sorted by the fair order, one per order */
	int64_t *fen;		/* fen[1..nw]: the Fenwick tree of w[].qty */
	size_t nw, capw;
	struct want *add;	/* not in w yet */
	size_t nadd, capadd;
};

/* More than this many wants added to a SKU are sorted into it. */
#define ADD_MAX 64

/* Strings kept as long as the tally: placed_at of its orders. */
struct pool {
	struct pool *next;
	size_t used, size;
	char buf[];
};

/*
 * The tally: what every order that waits for stock still wants, per SKU.
 * It is read in one pass the first time a run needs it, then kept: the
 * run's steps change it as they change the orders, and what other writers
 * did between two of the run's transactions is read from the history
 * (every change to an order writes an event: oms-db(5)), for the orders it
 * names.  So the demand before an order is a lookup, not a query over
 * every line of the SKU, and it is always what the database holds.
 */
struct tally {
	int loaded;
	uint64_t tx;		/* the transaction it was last true in */
	int64_t dv;		/* PRAGMA data_version then */
	int64_t last_event;	/* the history is read up to this event */
	struct demand **slot;	/* hash table by SKU, nslot a power of two */
	size_t nslot, ndemand;
	struct pool *pool;
};

struct run {
	enum oms_policy policy;
	int keep_partial;		/* ship-complete orders keep what they could reserve */
	struct oms_table *plan;		/* dry run: what would be reserved */
	struct tally t;
};

/* before says whether order (p, t, i) comes before (p2, t2, i2) in the fair order. */
static int
before(int64_t p, const char *t, int64_t i, int64_t p2, const char *t2, int64_t i2)
{
	int c;

	if (p != p2)
		return p > p2;
	/* SQLite's BINARY collation, which ORDER BY placed_at uses, is memcmp's order. */
	c = strcmp(t, t2);
	return c < 0 || (c == 0 && i < i2);
}

static int
cmp_want(const void *a, const void *b)
{
	const struct want *x = a, *y = b;

	if (x->id == y->id)
		return 0;
	return before(x->prio, x->placed, x->id, y->prio, y->placed, y->id) ? -1 : 1;
}

static const char *
pool_str(struct tally *t, const char *s)
{
	size_t len = strlen(s) + 1, size;
	struct pool *p = t->pool;

	if (p == NULL || p->size - p->used < len) {
		size = len > 65536 ? len : 65536;
		if ((p = malloc(sizeof *p + size)) == NULL) {
			oms_warnx("out of memory");
			return NULL;
		}
		p->next = t->pool;
		p->used = 0;
		p->size = size;
		t->pool = p;
	}
	memcpy(p->buf + p->used, s, len);
	p->used += len;
	return p->buf + p->used - len;
}

static void
tally_free(struct tally *t)
{
	struct pool *p;
	size_t i;

	for (i = 0; i < t->nslot; i++)
		if (t->slot[i] != NULL) {
			free(t->slot[i]->sku);
			free(t->slot[i]->w);
			free(t->slot[i]->fen);
			free(t->slot[i]->add);
			free(t->slot[i]);
		}
	free(t->slot);
	while ((p = t->pool) != NULL) {
		t->pool = p->next;
		free(p);
	}
	memset(t, 0, sizeof *t);
}

/* demand_of finds a SKU's demand, or makes it (create); NULL: none (or out of memory, reported). */
static struct demand *
demand_of(struct tally *t, const char *sku, int create)
{
	struct demand **slot, *d;
	size_t i, j, n, mask = t->nslot - 1;

	if (t->nslot > 0)
		for (i = omsi_hash_str(sku) & mask; t->slot[i] != NULL; i = (i + 1) & mask)
			if (strcmp(t->slot[i]->sku, sku) == 0)
				return t->slot[i];
	if (!create)
		return NULL;
	if (2 * (t->ndemand + 1) > t->nslot) {
		n = t->nslot ? 2 * t->nslot : 1024;
		if ((slot = omsi_calloc(n, sizeof *slot)) == NULL)
			return NULL;
		for (i = 0; i < t->nslot; i++) {
			if (t->slot[i] == NULL)
				continue;
			for (j = omsi_hash_str(t->slot[i]->sku) & (n - 1); slot[j] != NULL;
			    j = (j + 1) & (n - 1))
				;
			slot[j] = t->slot[i];
		}
		free(t->slot);
		t->slot = slot;
		t->nslot = n;
		mask = n - 1;
	}
	if ((d = omsi_calloc(1, sizeof *d)) == NULL)
		return NULL;
	if ((d->sku = omsi_strdup(sku)) == NULL) {
		free(d);
		return NULL;
	}
	for (i = omsi_hash_str(sku) & mask; t->slot[i] != NULL; i = (i + 1) & mask)
		;
	t->slot[i] = d;
	t->ndemand++;
	return d;
}

static int64_t
fen_sum(const struct demand *d, size_t k)
{
	int64_t sum = 0;

	for (; k > 0; k &= k - 1)
		sum += d->fen[k];
	return sum;
}

static void
fen_add(struct demand *d, size_t i, int64_t v)
{
	for (i++; i <= d->nw; i += i & -i)
		d->fen[i] += v;
}

/*
 * demand_sort sorts what was added into the wants, one want per order
 * (the lines of one order for one SKU are summed), drops those that want
 * nothing, and builds the sums again.
 */
static int
demand_sort(struct demand *d)
{
	struct want *w;
	size_t i, n = 0, j;

	if (d->nadd > 0) {
		if (d->nw + d->nadd > d->capw) {
			if ((w = realloc(d->w, (d->nw + d->nadd) * sizeof *w)) == NULL) {
				oms_warnx("out of memory");
				return OMS_ESYS;
			}
			d->w = w;
			d->capw = d->nw + d->nadd;
		}
		memcpy(d->w + d->nw, d->add, d->nadd * sizeof *d->add);
		d->nw += d->nadd;
		d->nadd = 0;
	}
	qsort(d->w, d->nw, sizeof *d->w, cmp_want);
	for (i = 0; i < d->nw; i = j) {
		for (j = i + 1; j < d->nw && d->w[j].id == d->w[i].id; j++)
			d->w[i].qty += d->w[j].qty;
		if (d->w[i].qty > 0)
			d->w[n++] = d->w[i];
	}
	d->nw = n;
	free(d->fen);
	if ((d->fen = omsi_calloc(n + 1, sizeof *d->fen)) == NULL)
		return OMS_ESYS;
	for (i = 1; i <= n; i++) {
		d->fen[i] += d->w[i - 1].qty;
		if ((j = i + (i & -i)) <= n)
			d->fen[j] += d->fen[i];
	}
	return OMS_OK;
}

/* first_not_before is the index of the first want that does not come before order (p, t, id). */
static size_t
first_not_before(const struct demand *d, int64_t p, const char *t, int64_t id)
{
	size_t lo = 0, hi = d->nw, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (before(d->w[mid].prio, d->w[mid].placed, d->w[mid].id, p, t, id))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* tally_add adds a want to a SKU's, unsorted: at load, or an order that came to wait. */
static int
tally_add(struct tally *t, const char *sku, int64_t p, const char *placed, int64_t id,
    int64_t qty)
{
	struct demand *d;
	struct want *w;

	if ((d = demand_of(t, sku, 1)) == NULL)
		return OMS_ESYS;
	if ((w = omsi_grow(d->add, &d->capadd, d->nadd, sizeof *w)) == NULL)
		return OMS_ESYS;
	d->add = w;
	w[d->nadd].prio = p;
	w[d->nadd].id = id;
	w[d->nadd].qty = qty;
	/* The rows of one order come together: its lines share the string. */
	if (d->nadd > 0 && w[d->nadd - 1].id == id)
		w[d->nadd].placed = w[d->nadd - 1].placed;
	else if ((w[d->nadd].placed = pool_str(t, placed)) == NULL)
		return OMS_ESYS;
	d->nadd++;
	return t->loaded && d->nadd > ADD_MAX ? demand_sort(d) : OMS_OK;
}

/* tally_set says that order (p, placed, id) now wants qty of sku. */
static int
tally_set(struct tally *t, const char *sku, int64_t p, const char *placed, int64_t id,
    int64_t qty)
{
	struct demand *d = demand_of(t, sku, 0);
	size_t i;

	if (d != NULL) {
		i = first_not_before(d, p, placed, id);
		if (i < d->nw && d->w[i].id == id) {
			fen_add(d, i, qty - d->w[i].qty);
			d->w[i].qty = qty;
			return OMS_OK;
		}
		for (i = 0; i < d->nadd; i++)
			if (d->add[i].id == id) {
				d->add[i].qty = qty;
				return OMS_OK;
			}
	}
	return qty > 0 ? tally_add(t, sku, p, placed, id, qty) : OMS_OK;
}

/* tally_need is what the waiting orders before order (p, placed, id) still want of sku. */
static int64_t
tally_need(struct tally *t, const char *sku, int64_t p, const char *placed, int64_t id)
{
	struct demand *d = demand_of(t, sku, 0);
	int64_t need;
	size_t i;

	if (d == NULL)
		return 0;
	need = fen_sum(d, first_not_before(d, p, placed, id));
	for (i = 0; i < d->nadd; i++)
		if (before(d->add[i].prio, d->add[i].placed, d->add[i].id, p, placed, id))
			need += d->add[i].qty;
	return need;
}

/*
 * tally_rows sets what each order wants from st's rows: order, priority,
 * placed_at, whether it waits, sku, open quantity.
 */
static int
tally_rows(struct oms *o, struct tally *t, sqlite3_stmt *st)
{
	int rc;

	while ((rc = omsi_step(o, st)) == SQLITE_ROW)
		if ((t->loaded ? tally_set : tally_add)(t, omsi_text(st, 4),
		    sqlite3_column_int64(st, 1), omsi_text(st, 2), sqlite3_column_int64(st, 0),
		    sqlite3_column_int(st, 3) ? sqlite3_column_int64(st, 5) : 0) != OMS_OK) {
			rc = -1;
			break;
		}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? OMS_OK : OMS_ESYS;
}

/* tally_mark notes where the tally stands: this transaction, the history read. */
static int
tally_mark(struct oms *o, struct tally *t)
{
	t->tx = o->tx_serial;
	if (omsi_int(o, &t->dv, "PRAGMA data_version", "") != OMS_OK)
		return OMS_ESYS;
	return omsi_int(o, &t->last_event, "SELECT coalesce(max(id), 0) FROM events", "");
}

/* tally_load reads what every waiting order wants, in one pass. */
static int
tally_load(struct oms *o, struct tally *t)
{
	sqlite3_stmt *st;
	size_t i;

	tally_free(t);
	if ((st = omsi_stmt(o, "SELECT o.id, o.priority, o.placed_at, 1, l.sku,"
	    " l.qty - l.allocated - l.shipped - l.cancelled FROM orders o JOIN order_lines l"
	    " ON l.order_id = o.id WHERE o.status IN " WAITING
	    " AND l.qty > l.allocated + l.shipped + l.cancelled", "")) == NULL ||
	    tally_rows(o, t, st) != OMS_OK)
		goto fail;
	for (i = 0; i < t->nslot; i++)
		if (t->slot[i] != NULL && demand_sort(t->slot[i]) != OMS_OK)
			goto fail;
	if (tally_mark(o, t) != OMS_OK)
		goto fail;
	t->loaded = 1;
	return OMS_OK;
fail:
	tally_free(t);
	return OMS_ESYS;
}

/*
 * tally_sync makes a loaded tally true in the transaction at hand: kept
 * when the last it was true in committed and nobody wrote since; brought
 * up to date from the history when others wrote; dropped, to be read
 * again, when its transaction was rolled back (a dry run's batch).
 */
static int
tally_sync(struct oms *o, struct tally *t)
{
	sqlite3_stmt *st;
	int64_t dv;

	if (!t->loaded || t->tx == o->tx_serial)
		return OMS_OK;
	if (t->tx != o->tx_committed) {
		tally_free(t);
		return OMS_OK;
	}
	if (omsi_int(o, &dv, "PRAGMA data_version", "") != OMS_OK)
		return OMS_ESYS;
	if (dv == t->dv) {
		t->tx = o->tx_serial;
		return OMS_OK;
	}
	/*
	 * An order starts or stops waiting by a move to or from a waiting
	 * status; its quantities change under a move or an event of no move.
	 */
	if ((st = omsi_stmt(o, "SELECT o.id, o.priority, o.placed_at, o.status IN " WAITING ","
	    " l.sku, sum(l.qty - l.allocated - l.shipped - l.cancelled) FROM orders o"
	    " JOIN order_lines l ON l.order_id = o.id WHERE o.id IN (SELECT order_id FROM events"
	    " WHERE id > ?1 AND (from_status IN " WAITING " OR to_status IN " WAITING
	    " OR (from_status IS NULL AND to_status IS NULL))) GROUP BY o.id, l.sku", "i",
	    t->last_event)) == NULL || tally_rows(o, t, st) != OMS_OK ||
	    tally_mark(o, t) != OMS_OK) {
		tally_free(t);
		return OMS_ESYS;
	}
	return OMS_OK;
}

/*
 * need_before is the demand for sku of the orders that come before this
 * one in the fair order and still wait for stock: what this order must
 * leave for them.
 */
static int
need_before(struct oms *o, struct run *r, const char *sku, int64_t id, int64_t prio,
    const char *placed, int64_t *need)
{
	if (!r->t.loaded && tally_load(o, &r->t) != OMS_OK)
		return OMS_ESYS;
	*need = tally_need(&r->t, sku, prio, placed, id);
	return OMS_OK;
}

/* One open line of the order being allocated. */
struct line {
	int64_t id, line_no, open, can;
	char sku[80];		/* "" while the line has no SKU (the source's key: item_key) */
	int known;
};

static int
available(struct oms *o, const char *sku, int64_t *avail)
{
	sqlite3_stmt *st = omsi_stmt(o, "SELECT coalesce(on_hand - reserved, 0) FROM stock"
	    " WHERE sku = ?", "t", sku);
	int rc;

	*avail = 0;
	if (st == NULL || (rc = omsi_step(o, st)) < 0)
		return OMS_ESYS;
	if (rc == SQLITE_ROW)
		*avail = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return OMS_OK;
}

/*
 * load_lines reads an order's open lines and whether the catalog knows each
 * SKU.  A line with nothing to ship takes no stock: it is not among them.
 */
static int
load_lines(struct oms *o, int64_t id, struct line **out, size_t *n)
{
	sqlite3_stmt *st = omsi_stmt(o, "SELECT l.id, l.line_no, l.sku,"
	    " l.qty - l.allocated - l.shipped - l.cancelled, i.sku IS NOT NULL"
	    " FROM order_lines l LEFT JOIN items i ON i.sku = l.sku WHERE l.order_id = ?"
	    " AND l.qty - l.allocated - l.shipped - l.cancelled > 0 AND l.needs_shipping = 1"
	    " ORDER BY l.line_no", "i", id);
	struct line *v = NULL, *nv;
	size_t cap = 0;
	int rc;

	*n = 0;
	if (st == NULL)
		return OMS_ESYS;
	while ((rc = omsi_step(o, st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			if ((nv = realloc(v, cap * sizeof *v)) == NULL) {
				rc = -1;
				break;
			}
			v = nv;
		}
		v[*n].id = sqlite3_column_int64(st, 0);
		v[*n].line_no = sqlite3_column_int64(st, 1);
		snprintf(v[*n].sku, sizeof v[*n].sku, "%s", omsi_text(st, 2));
		v[*n].open = sqlite3_column_int64(st, 3);
		v[*n].known = sqlite3_column_int(st, 4);
		v[*n].can = 0;
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(v);
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	*out = v;
	return OMS_OK;
}

static int
reserve(struct oms *o, int64_t id, const struct line *l)
{
	char ref[32];
	int rc;

	snprintf(ref, sizeof ref, "order %lld", (long long)id);
	if ((rc = oms_stock_move(o, l->sku, "reserve", 0, l->can, ref, NULL)) != OMS_OK)
		return rc;
	return omsi_exec(o, "UPDATE order_lines SET allocated = allocated + ? WHERE id = ?",
	    "ii", l->can, l->id);
}

int
omsi_ships_complete(struct oms *o, int own, int *keep_partial)
{
	if (keep_partial != NULL)
		*keep_partial = strcmp(oms_config_str(o, "backorder.keep_partial", "true"),
		    "false") != 0;
	if (own >= 0)
		return own;
	return strcmp(oms_config_str(o, "backorder.policy", "ship-complete"), "split") != 0;
}

/* ships_complete says whether an order ships complete: the run's override, its own, the site's. */
static int
ships_complete(struct oms *o, const struct run *r, int own)
{
	if (r->policy != OMS_POLICY_ORDER)
		return r->policy == OMS_POLICY_SHIP_COMPLETE;
	return omsi_ships_complete(o, own, NULL);
}

int
omsi_fair_share(struct oms *o, int64_t id, const char *sku, int64_t *can)
{
	sqlite3_stmt *st = omsi_stmt(o, "SELECT priority, placed_at FROM orders WHERE id = ?",
	    "i", id);
	struct run r = { 0 };	/* a tally of its own: an edit is one order */
	char placed[32];
	int64_t prio, avail, need;
	int rc;

	if (st == NULL || omsi_step(o, st) != SQLITE_ROW) {
		if (st != NULL)
			sqlite3_reset(st);
		return OMS_ESYS;
	}
	prio = sqlite3_column_int64(st, 0);
	snprintf(placed, sizeof placed, "%s", omsi_text(st, 1));
	sqlite3_reset(st);
	rc = available(o, sku, &avail) != OMS_OK ||
	    need_before(o, &r, sku, id, prio, placed, &need) != OMS_OK ? OMS_ESYS : OMS_OK;
	tally_free(&r.t);
	if (rc == OMS_OK)
		*can = avail - need > 0 ? avail - need : 0;
	return rc;
}

/*
 * note tells a loaded tally what order id wants now, from its open lines
 * and what they reserved (nothing when held), and that the history up to
 * here is the run's own.
 */
static int
note(struct oms *o, struct run *r, int64_t id, int64_t prio, const char *placed,
    const struct line *l, size_t n, int held)
{
	int64_t want;
	size_t i, j;

	if (!r->t.loaded)
		return OMS_OK;
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && strcmp(l[j].sku, l[i].sku) != 0; j++)
			;
		if (j < i)
			continue;
		for (want = 0, j = i; j < n; j++)
			if (!held && strcmp(l[j].sku, l[i].sku) == 0)
				want += l[j].open - l[j].can;
		if (tally_set(&r->t, l[i].sku, prio, placed, id, want) != OMS_OK) {
			tally_free(&r->t);
			return OMS_ESYS;
		}
	}
	return omsi_int(o, &r->t.last_event, "SELECT coalesce(max(id), 0) FROM events", "");
}

/* unresolved says what a line without a SKU waits for, and how to give it one. */
static int
unresolved(struct oms *o, const struct line *l, char *detail, size_t len)
{
	sqlite3_stmt *st = omsi_stmt(o, "SELECT o.source, l.item_key FROM order_lines l, orders o"
	    " WHERE l.id = ? AND o.id = l.order_id", "i", l->id);

	if (st == NULL || omsi_step(o, st) != SQLITE_ROW)
		return OMS_ESYS;
	snprintf(detail, len, "line %lld: no sku for %s's \"%.200s\" (map it: oms-stock alias"
	    " %s \"%.200s\" SKU)", (long long)l->line_no, omsi_text(st, 0), omsi_text(st, 1) ?
	    omsi_text(st, 1) : "", omsi_text(st, 0), omsi_text(st, 1) ? omsi_text(st, 1) : "");
	sqlite3_reset(st);
	return OMS_OK;
}

static enum oms_step
allocate_step(struct oms *o, int64_t id, void *arg)
{
	struct run *r = arg;
	struct line *lines = NULL;
	enum oms_status s;
	sqlite3_stmt *st;
	char *placed, detail[1024], qty[3][24];
	const char *cells[5];
	int64_t prio, avail, need, reserved_any = 0;
	size_t n = 0, i, len = 0;
	int own, complete = 1, sc, rc;
	enum oms_step result;

	if ((rc = oms_order_status(o, id, &s, NULL)) != OMS_OK)
		return rc == OMS_EINPUT ? OMS_STEP_REJECT : OMS_STEP_FAIL;
	switch (s) {
	case OMS_AUTHORIZED:
	case OMS_BACKORDERED:
		break;
	case OMS_ALLOCATED:
	case OMS_PICKING:
	case OMS_SHIPPED:
		return OMS_STEP_PASS;
	case OMS_HOLD:
		oms_warnx("order %lld: on hold", (long long)id);
		return OMS_STEP_HELD;
	default:
		oms_warnx("order %lld: cannot allocate: it is %s", (long long)id, oms_status_name(s));
		return OMS_STEP_REJECT;
	}
	/* Before this order changes anything: what others did since the last batch. */
	if (tally_sync(o, &r->t) != OMS_OK)
		return OMS_STEP_FAIL;
	if ((st = omsi_stmt(o, "SELECT priority, placed_at, coalesce(ship_complete, -1)"
	    " FROM orders WHERE id = ?", "i", id)) == NULL || omsi_step(o, st) != SQLITE_ROW)
		return OMS_STEP_FAIL;
	prio = sqlite3_column_int64(st, 0);
	/* Whole: the tally finds the order by it. */
	if ((placed = omsi_strdup(omsi_text(st, 1))) == NULL) {
		sqlite3_reset(st);
		return OMS_STEP_FAIL;
	}
	own = sqlite3_column_int(st, 2);
	sqlite3_reset(st);
	sc = ships_complete(o, r, own);
	if (load_lines(o, id, &lines, &n) != OMS_OK) {
		free(placed);
		return OMS_STEP_FAIL;
	}
	for (i = 0; i < n; i++)
		if (!lines[i].known) {
			/* A line the source sold without a SKU waits for an alias to name one. */
			if (lines[i].sku[0] == '\0' && unresolved(o, &lines[i], detail,
			    sizeof detail) != OMS_OK) {
				free(lines);
				free(placed);
				return OMS_STEP_FAIL;
			}
			if (lines[i].sku[0] != '\0')
				snprintf(detail, sizeof detail, "unknown sku: %s", lines[i].sku);
			rc = oms_order_move(o, id, OMS_HOLD, lines[i].sku[0] ? "stock" : "sku", "hold",
			    detail);
			/* On hold it is nobody's demand. */
			if (rc == OMS_OK)
				rc = note(o, r, id, prio, placed, lines, n, 1);
			free(lines);
			free(placed);
			if (rc != OMS_OK)
				return OMS_STEP_FAIL;
			oms_warnx("order %lld: %s", (long long)id, detail);
			return OMS_STEP_HELD;
		}
	for (i = 0; i < n; i++) {
		need = 0;
		/* With none to spare, what others need changes nothing: no need to ask. */
		if (available(o, lines[i].sku, &avail) != OMS_OK || (avail > 0 &&
		    need_before(o, r, lines[i].sku, id, prio, placed, &need) != OMS_OK)) {
			free(lines);
			free(placed);
			return OMS_STEP_FAIL;
		}
		avail -= need;
		/* The same SKU on two lines: the earlier line took its share already. */
		for (size_t j = 0; j < i; j++)
			if (strcmp(lines[j].sku, lines[i].sku) == 0)
				avail -= lines[j].can;
		lines[i].can = avail <= 0 ? 0 : avail < lines[i].open ? avail : lines[i].open;
		if (lines[i].can < lines[i].open)
			complete = 0;
	}
	/* Ship complete and short: reserve nothing, or what there is (keep_partial), and wait. */
	if (!complete && sc && !r->keep_partial)
		for (i = 0; i < n; i++)
			lines[i].can = 0;
	for (i = 0; i < n; i++) {
		if (lines[i].can > 0 && (rc = reserve(o, id, &lines[i])) != OMS_OK) {
			free(lines);
			free(placed);
			return rc == OMS_EINPUT ? OMS_STEP_REJECT : OMS_STEP_FAIL;
		}
		reserved_any += lines[i].can;
		len += (size_t)snprintf(detail + len, len < sizeof detail ? sizeof detail - len : 0,
		    "%s%s %lld/%lld", i ? ", " : "", lines[i].sku, (long long)lines[i].can,
		    (long long)lines[i].open);
		if (r->plan != NULL) {
			snprintf(qty[0], sizeof qty[0], "%lld", (long long)id);
			snprintf(qty[1], sizeof qty[1], "%lld", (long long)lines[i].can);
			snprintf(qty[2], sizeof qty[2], "%lld", (long long)(lines[i].open - lines[i].can));
			cells[0] = qty[0];
			cells[1] = lines[i].sku;
			cells[2] = qty[1];
			cells[3] = qty[2];
			cells[4] = complete ? "allocate" : sc ? "wait" : lines[i].can ? "split" : "wait";
			oms_table_row(r->plan, cells);
		}
	}
	/* Sent back by an edit with its reservations kept: nothing more to take. */
	if (n == 0)
		snprintf(detail, sizeof detail, "reserved already");
	/*
	 * Split: what is reserved goes now, whenever it was reserved (an edit
	 * reserves at once, then sends the order back through authorization).
	 */
	if (!complete && !sc && reserved_any == 0 && omsi_int(o, &reserved_any, "SELECT"
	    " coalesce(sum(allocated - picked), 0) FROM order_lines WHERE order_id = ?", "i",
	    id) != OMS_OK) {
		free(lines);
		free(placed);
		return OMS_STEP_FAIL;
	}
	if (complete || (!sc && reserved_any > 0)) {
		rc = oms_order_move(o, id, OMS_ALLOCATED, NULL, "allocate", detail);
		result = OMS_STEP_DONE;
	} else if (s != OMS_BACKORDERED) {
		rc = oms_order_move(o, id, OMS_BACKORDERED, NULL, "backorder", detail);
		result = OMS_STEP_HELD;
	} else {
		/* Still waiting: say so in the history only when something was put aside. */
		rc = reserved_any > 0 ? oms_event(o, id, "reserve", OMS_NSTATUS, OMS_NSTATUS,
		    detail) : OMS_OK;
		result = OMS_STEP_HELD;
	}
	/* What it leaves waiting, for the orders after it. */
	if (rc == OMS_OK)
		rc = note(o, r, id, prio, placed, lines, n, 0);
	free(lines);
	free(placed);
	if (rc != OMS_OK)
		return OMS_STEP_FAIL;
	return o->opts.dry_run ? OMS_STEP_HELD : result;
}

static int
select_waiting(struct oms *o, int64_t **ids, size_t *n, void *arg)
{
	sqlite3_stmt *st = omsi_stmt(o, "SELECT id FROM orders WHERE status IN"
	    " ('authorized', 'backordered') ORDER BY priority DESC, placed_at, id", "");

	if (st == NULL)
		return OMS_ESYS;
	return omsi_collect_ids(o, st, ids, n);
}

int
oms_backorder_run(struct oms *o, enum oms_policy policy, char **ids, int nids,
    enum oms_format f)
{
	static const struct oms_column plan_cols[] = {
		{ "order", OMS_CELL_INT }, { "sku", OMS_CELL_STR }, { "reserve", OMS_CELL_INT },
		{ "short", OMS_CELL_INT }, { "plan", OMS_CELL_STR },
	};
	struct run r = { .policy = policy };
	struct oms_filter flt = { .step = allocate_step, .select_all = select_waiting, .arg = &r };
	int rc;

	omsi_ships_complete(o, 0, &r.keep_partial);
	/* A plan is one transaction: later orders must see what earlier ones would take. */
	if (o->opts.dry_run) {
		flt.batch = (size_t)-1;
		if ((r.plan = oms_table_new(stdout, f, plan_cols, 5)) == NULL)
			return OMS_ESYS;
	}
	rc = oms_filter_run(o, &flt, ids, nids);
	tally_free(&r.t);
	if (r.plan != NULL && oms_table_end(r.plan) != OMS_OK && rc == OMS_OK)
		rc = OMS_ESYS;
	return rc;
}

int
oms_backorder_list(struct oms *o, enum oms_format f, FILE *out)
{
	static const struct oms_column cols[] = {
		{ "sku", OMS_CELL_STR }, { "short", OMS_CELL_INT }, { "orders", OMS_CELL_INT },
		{ "oldest_order", OMS_CELL_INT }, { "oldest_placed", OMS_CELL_STR },
		{ "age_days", OMS_CELL_INT }, { "available", OMS_CELL_INT },
	};
	struct oms_table *t;
	sqlite3_stmt *st;
	int rc;

	/* min(placed_at) picks the oldest order's row for the bare id column (SQLite). */
	if ((st = omsi_stmt(o, "SELECT l.sku, sum(l.qty - l.allocated - l.shipped - l.cancelled),"
	    " count(DISTINCT o.id), o.id, min(o.placed_at),"
	    " CAST(julianday('now') - julianday(min(o.placed_at)) AS INTEGER),"
	    " coalesce((SELECT on_hand - reserved FROM stock s WHERE s.sku = l.sku), 0)"
	    " FROM order_lines l JOIN orders o ON o.id = l.order_id"
	    " WHERE o.status IN ('authorized', 'backordered', 'allocated', 'picking')"
	    " AND l.qty - l.allocated - l.shipped - l.cancelled > 0"
	    " GROUP BY l.sku ORDER BY 2 DESC, 1", "")) == NULL ||
	    (t = oms_table_new(out, f, cols, 7)) == NULL)
		return OMS_ESYS;
	rc = omsi_rows_to_table(o, st, t, 7, NULL);
	if (oms_table_end(t) != OMS_OK)
		return OMS_ESYS;
	return rc;
}
