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

/* An allocated order's remainder that still waits, in the fair order. */
struct rest {
	int64_t prio, id, qty;
	char placed[32];
};

/*
 * What earlier orders still wait for, per SKU, kept through an -a run:
 * there the orders come in the fair order, so the demand that blocks the
 * next one only grows, and need not be summed again for every line.
 */
struct waiting {
	char sku[80];
	int64_t left;		/* left unreserved by orders this run has taken */
	struct rest *rest;	/* allocated and picking orders' remainders, fair order */
	size_t nrest, next;	/* rest[0..next) rank before the order at hand */
	int64_t counted;	/* their sum */
};

struct run {
	enum oms_policy policy;
	int keep_partial;		/* ship-complete orders keep what they could reserve */
	struct oms_table *plan;		/* dry run: what would be reserved */
	struct waiting *w;		/* -a runs: per SKU, sorted by SKU */
	size_t nw;
};

/* before says whether order (p, t, i) comes before (p2, t2, i2) in the fair order. */
static int
before(int64_t p, const char *t, int64_t i, int64_t p2, const char *t2, int64_t i2)
{
	int c = strcmp(t, t2);

	return p > p2 || (p == p2 && (c < 0 || (c == 0 && i < i2)));
}

static int
cmp_waiting(const void *a, const void *b)
{
	return strcmp(((const struct waiting *)a)->sku, ((const struct waiting *)b)->sku);
}

static struct waiting *
waiting_of(struct run *r, const char *sku)
{
	struct waiting key;

	snprintf(key.sku, sizeof key.sku, "%s", sku);
	return bsearch(&key, r->w, r->nw, sizeof *r->w, cmp_waiting);
}

static void
waiting_free(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nw; i++)
		free(r->w[i].rest);
	free(r->w);
	r->w = NULL;
	r->nw = 0;
}

/* waiting_load reads, once, every SKU some line waits for and the allocated remainders. */
static int
waiting_load(struct oms *o, struct run *r)
{
	sqlite3_stmt *st;
	struct waiting *w, *nw;
	struct rest *nr;
	size_t cap = 0;
	int rc;

	if ((st = omsi_stmt(o, "SELECT DISTINCT sku FROM order_lines WHERE"
	    " qty > allocated + shipped + cancelled ORDER BY sku", "")) == NULL)
		return OMS_ESYS;
	while ((rc = omsi_step(o, st)) == SQLITE_ROW) {
		if (r->nw == cap) {
			cap = cap ? cap * 2 : 1024;
			if ((nw = realloc(r->w, cap * sizeof *nw)) == NULL) {
				rc = -1;
				break;
			}
			r->w = nw;
		}
		memset(&r->w[r->nw], 0, sizeof r->w[r->nw]);
		snprintf(r->w[r->nw].sku, sizeof r->w[r->nw].sku, "%s", omsi_text(st, 0));
		r->nw++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	/* SQLite's ORDER BY and strcmp must agree for bsearch: sort to be sure. */
	qsort(r->w, r->nw, sizeof *r->w, cmp_waiting);
	if ((st = omsi_stmt(o, "SELECT l.sku, o.priority, o.placed_at, o.id,"
	    " sum(l.qty - l.allocated - l.shipped - l.cancelled) FROM order_lines l JOIN orders o"
	    " ON o.id = l.order_id WHERE l.qty > l.allocated + l.shipped + l.cancelled AND"
	    " o.status IN ('allocated', 'picking') GROUP BY l.sku, o.id"
	    " ORDER BY l.sku, o.priority DESC, o.placed_at, o.id", "")) == NULL)
		goto fail;
	while ((rc = omsi_step(o, st)) == SQLITE_ROW) {
		if ((w = waiting_of(r, omsi_text(st, 0))) == NULL)
			continue;
		if ((w->nrest & (w->nrest + 1)) == 0 || w->rest == NULL) {
			if ((nr = realloc(w->rest, (w->nrest * 2 + 2) * sizeof *nr)) == NULL) {
				rc = -1;
				break;
			}
			w->rest = nr;
		}
		w->rest[w->nrest].prio = sqlite3_column_int64(st, 1);
		snprintf(w->rest[w->nrest].placed, sizeof w->rest[w->nrest].placed, "%s",
		    omsi_text(st, 2));
		w->rest[w->nrest].id = sqlite3_column_int64(st, 3);
		w->rest[w->nrest].qty = sqlite3_column_int64(st, 4);
		w->nrest++;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return OMS_OK;
fail:
	oms_warnx("out of memory");
	waiting_free(r);
	return OMS_ESYS;
}

/* need_kept is need_before from what an -a run has kept; -1 when it knows nothing of the SKU. */
static int64_t
need_kept(struct run *r, const char *sku, int64_t id, int64_t prio, const char *placed)
{
	struct waiting *w = waiting_of(r, sku);

	if (w == NULL)
		return -1;
	while (w->next < w->nrest && before(w->rest[w->next].prio, w->rest[w->next].placed,
	    w->rest[w->next].id, prio, placed, id))
		w->counted += w->rest[w->next++].qty;
	return w->left + w->counted;
}

/* One open line of the order being allocated. */
struct line {
	int64_t id, line_no, open, can;
	char sku[80];
	int known;
};

/*
 * need_before is the demand for sku of the orders that come before this
 * one in the fair order and still wait for stock: what this order must
 * leave for them.
 */
static int
need_before(struct oms *o, const char *sku, int64_t id, int64_t prio, const char *placed,
    int64_t *need)
{
	sqlite3_stmt *st = omsi_stmt(o, "SELECT coalesce(sum(l.qty - l.allocated - l.shipped"
	    " - l.cancelled), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id"
	    " WHERE l.sku = ?1 AND l.qty > l.allocated + l.shipped + l.cancelled"
	    " AND o.id != ?2 AND o.status IN"
	    " ('authorized', 'backordered', 'allocated', 'picking')"
	    " AND (o.priority > ?3 OR (o.priority = ?3 AND (o.placed_at < ?4"
	    " OR (o.placed_at = ?4 AND o.id < ?2))))", "tiit", sku, id, prio, placed);

	if (st == NULL || omsi_step(o, st) != SQLITE_ROW) {
		if (st != NULL)
			sqlite3_reset(st);
		return OMS_ESYS;
	}
	*need = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return OMS_OK;
}

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

/* load_lines reads an order's open lines and whether the catalog knows each SKU. */
static int
load_lines(struct oms *o, int64_t id, struct line **out, size_t *n)
{
	sqlite3_stmt *st = omsi_stmt(o, "SELECT l.id, l.line_no, l.sku,"
	    " l.qty - l.allocated - l.shipped - l.cancelled, i.sku IS NOT NULL"
	    " FROM order_lines l LEFT JOIN items i ON i.sku = l.sku WHERE l.order_id = ?"
	    " AND l.qty - l.allocated - l.shipped - l.cancelled > 0 ORDER BY l.line_no", "i", id);
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
	char placed[32];
	int64_t prio, avail, need;

	if (st == NULL || omsi_step(o, st) != SQLITE_ROW) {
		if (st != NULL)
			sqlite3_reset(st);
		return OMS_ESYS;
	}
	prio = sqlite3_column_int64(st, 0);
	snprintf(placed, sizeof placed, "%s", omsi_text(st, 1));
	sqlite3_reset(st);
	if (available(o, sku, &avail) != OMS_OK ||
	    need_before(o, sku, id, prio, placed, &need) != OMS_OK)
		return OMS_ESYS;
	*can = avail - need > 0 ? avail - need : 0;
	return OMS_OK;
}

static enum oms_step
allocate_step(struct oms *o, int64_t id, void *arg)
{
	struct run *r = arg;
	struct line *lines = NULL;
	enum oms_status s;
	sqlite3_stmt *st;
	char placed[32], detail[1024], qty[3][24];
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
	if ((st = omsi_stmt(o, "SELECT priority, placed_at, coalesce(ship_complete, -1)"
	    " FROM orders WHERE id = ?", "i", id)) == NULL || omsi_step(o, st) != SQLITE_ROW)
		return OMS_STEP_FAIL;
	prio = sqlite3_column_int64(st, 0);
	snprintf(placed, sizeof placed, "%s", omsi_text(st, 1));
	own = sqlite3_column_int(st, 2);
	sqlite3_reset(st);
	sc = ships_complete(o, r, own);
	if (load_lines(o, id, &lines, &n) != OMS_OK)
		return OMS_STEP_FAIL;
	for (i = 0; i < n; i++)
		if (!lines[i].known) {
			snprintf(detail, sizeof detail, "unknown sku: %s", lines[i].sku);
			free(lines);
			if (oms_order_move(o, id, OMS_HOLD, "stock", "hold", detail) != OMS_OK)
				return OMS_STEP_FAIL;
			oms_warnx("order %lld: %s", (long long)id, detail);
			return OMS_STEP_HELD;
		}
	for (i = 0; i < n; i++) {
		if (available(o, lines[i].sku, &avail) != OMS_OK ||
		    ((need = r->w != NULL ? need_kept(r, lines[i].sku, id, prio, placed) : -1) < 0 &&
		    need_before(o, lines[i].sku, id, prio, placed, &need) != OMS_OK)) {
			free(lines);
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
	/* An -a run remembers what this order leaves waiting, for the orders after it. */
	for (i = 0; r->w != NULL && i < n; i++) {
		struct waiting *w = waiting_of(r, lines[i].sku);

		if (w != NULL && !complete)
			w->left += lines[i].open - lines[i].can;
	}
	free(lines);
	/*
	 * Split: what is reserved goes now, whenever it was reserved (an edit
	 * reserves at once, then sends the order back through authorization).
	 */
	if (!complete && !sc && reserved_any == 0 && omsi_int(o, &reserved_any, "SELECT"
	    " coalesce(sum(allocated - picked), 0) FROM order_lines WHERE order_id = ?", "i",
	    id) != OMS_OK)
		return OMS_STEP_FAIL;
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
	if (o->opts.all && nids == 0 && waiting_load(o, &r) != OMS_OK)
		return OMS_ESYS;
	rc = oms_filter_run(o, &flt, ids, nids);
	waiting_free(&r);
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
