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

struct run {
	enum oms_policy policy;
	int keep_partial;		/* ship-complete orders keep what they could reserve */
	struct oms_table *plan;		/* dry run: what would be reserved */
};

/*
 * need_before is the demand for sku of the orders that come before this
 * one in the fair order and still wait for stock: what this order must
 * leave for them.  Table waiting holds what each waiting order wants in
 * that order (oms-db(5)), so this is a range of its key,
 * read from the front and given up once it reaches avail, what is on hand
 * to spare: past that the order can take nothing whatever more comes
 * before it, and the rows read are bounded by the stock, not the backlog.
 * *need is exact when less than avail, else at least avail.
 */
static int
need_before(struct oms *o, const char *sku, int64_t id, int64_t prio, const char *placed,
    int64_t avail, int64_t *need)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT qty FROM waiting WHERE sku = ?1"
	    " AND (neg_priority, placed_at, order_id) < (-?2, ?3, ?4)"
	    " ORDER BY neg_priority, placed_at, order_id", "titi", sku, prio, placed, id);
	int rc = OMSI_DONE;

	*need = 0;
	if (st == NULL)
		return OMS_ESYS;
	while (*need < avail && (rc = omsi_step(o, st)) == OMSI_ROW)
		*need += omsi_col_int64(st, 0);
	omsi_reset(st);
	return rc == OMSI_ROW || rc == OMSI_DONE ? OMS_OK : OMS_ESYS;
}

/* One open line of the order being allocated. */
struct line {
	int64_t id, line_no, open, can;
	int64_t avail;		/* of its SKU, on hand and not reserved, before this order */
	char sku[80];		/* "" while the line has no SKU (the source's key: item_key) */
	int known;
};

static int
available(struct oms *o, const char *sku, int64_t *avail)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT coalesce(on_hand - reserved, 0) FROM stock"
	    " WHERE sku = ?", "t", sku);
	int rc;

	*avail = 0;
	if (st == NULL || (rc = omsi_step(o, st)) < 0)
		return OMS_ESYS;
	if (rc == OMSI_ROW)
		*avail = omsi_col_int64(st, 0);
	omsi_reset(st);
	return OMS_OK;
}

/*
 * load_lines reads an order's open lines, whether the catalog knows each
 * SKU and how much of it is available (in the same pass: nothing is
 * reserved before all the lines are read).  A line with nothing to ship
 * takes no stock: it is not among them.
 */
static int
load_lines(struct oms *o, int64_t id, struct line **out, size_t *n)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT l.id, l.line_no, l.sku,"
	    " l.qty - l.allocated - l.shipped - l.cancelled, i.sku IS NOT NULL,"
	    " coalesce((SELECT s.on_hand - s.reserved FROM stock s WHERE s.sku = l.sku), 0)"
	    " FROM order_lines l LEFT JOIN items i ON i.sku = l.sku WHERE l.order_id = ?"
	    " AND l.qty - l.allocated - l.shipped - l.cancelled > 0 AND l.needs_shipping = 1"
	    " ORDER BY l.line_no", "i", id);
	struct line *v = NULL, *nv;
	size_t cap = 0;
	int rc;

	*n = 0;
	if (st == NULL)
		return OMS_ESYS;
	while ((rc = omsi_step(o, st)) == OMSI_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			if ((nv = realloc(v, cap * sizeof *v)) == NULL) {
				rc = -1;
				break;
			}
			v = nv;
		}
		v[*n].id = omsi_col_int64(st, 0);
		v[*n].line_no = omsi_col_int64(st, 1);
		snprintf(v[*n].sku, sizeof v[*n].sku, "%s", omsi_text(st, 2));
		v[*n].open = omsi_col_int64(st, 3);
		v[*n].known = omsi_col_int(st, 4);
		v[*n].avail = omsi_col_int64(st, 5);
		v[*n].can = 0;
		(*n)++;
	}
	omsi_reset(st);
	if (rc != OMSI_DONE) {
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
	struct omsi_stmt *st = omsi_stmt(o, "SELECT priority, placed_at FROM orders WHERE id = ?",
	    "i", id);
	int64_t prio, avail, need = 0;
	char *placed;
	int rc;

	if (st == NULL || omsi_step(o, st) != OMSI_ROW) {
		if (st != NULL)
			omsi_reset(st);
		return OMS_ESYS;
	}
	prio = omsi_col_int64(st, 0);
	placed = omsi_strdup(omsi_text(st, 1));
	omsi_reset(st);
	if (placed == NULL)
		return OMS_ESYS;
	rc = available(o, sku, &avail) != OMS_OK || (avail > 0 &&
	    need_before(o, sku, id, prio, placed, avail, &need) != OMS_OK) ? OMS_ESYS : OMS_OK;
	free(placed);
	if (rc == OMS_OK)
		*can = avail > 0 && avail - need > 0 ? avail - need : 0;
	return rc;
}

int
omsi_waiting_refresh(struct oms *o, int64_t id, const char *sku)
{
	if (omsi_exec(o, "DELETE FROM waiting WHERE sku = ?2 AND (neg_priority, placed_at,"
	    " order_id) = (SELECT -priority, placed_at, id FROM orders WHERE id = ?1)", "it", id,
	    sku) != OMS_OK)
		return OMS_ESYS;
	return omsi_exec(o, "INSERT INTO waiting " OMSI_SQL_WANTS " AND o.id = ?1 AND l.sku = ?2"
	    " GROUP BY o.id, l.sku", "it", id, sku);
}

int
omsi_waiting_add(struct oms *o, int64_t id)
{
	/* By o.id too, though there is one: PostgreSQL reads o's columns only so. */
	return omsi_exec(o, "INSERT INTO waiting " OMSI_SQL_WANTS " AND o.id = ?1"
	    " GROUP BY o.id, l.sku", "i", id);
}

int
omsi_waiting_forget(struct oms *o, int64_t id)
{
	/* Its rows' keys: each SKU of its lines at its place in the fair order. */
	return omsi_exec(o, "DELETE FROM waiting WHERE sku IN (SELECT sku FROM order_lines"
	    " WHERE order_id = ?1) AND (neg_priority, placed_at, order_id) ="
	    " (SELECT -priority, placed_at, id FROM orders WHERE id = ?1)", "i", id);
}

/*
 * took tells table waiting what an allocated order's reservations leave it
 * wanting of each SKU it took some of: its lines are all its open lines
 * with a SKU, so the row's quantity is their open less what they took.
 */
static int
took(struct oms *o, int64_t id, int64_t prio, const char *placed, const struct line *lines,
    size_t n)
{
	int64_t left;
	size_t i, j;
	int rc;

	for (i = 0; i < n; i++) {
		if (lines[i].can == 0)
			continue;
		for (j = 0; j < i; j++)
			if (lines[j].can > 0 && strcmp(lines[j].sku, lines[i].sku) == 0)
				break;
		if (j < i)
			continue;
		for (j = 0, left = 0; j < n; j++)
			if (strcmp(lines[j].sku, lines[i].sku) == 0)
				left += lines[j].open - lines[j].can;
		rc = left > 0 ? omsi_exec(o, "UPDATE waiting SET qty = ?5 WHERE sku = ?1 AND"
		    " neg_priority = -?2 AND placed_at = ?3 AND order_id = ?4", "titii",
		    lines[i].sku, prio, placed, id, left) : omsi_exec(o, "DELETE FROM waiting"
		    " WHERE sku = ?1 AND neg_priority = -?2 AND placed_at = ?3 AND order_id = ?4",
		    "titi", lines[i].sku, prio, placed, id);
		if (rc != OMS_OK)
			return rc;
	}
	return OMS_OK;
}

/* unresolved says what a line without a SKU waits for, and how to give it one. */
static int
unresolved(struct oms *o, const struct line *l, char *detail, size_t len)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT o.source, l.item_key FROM order_lines l, orders o"
	    " WHERE l.id = ? AND o.id = l.order_id", "i", l->id);

	if (st == NULL || omsi_step(o, st) != OMSI_ROW)
		return OMS_ESYS;
	snprintf(detail, len, "line %lld: no sku for %s's \"%.200s\" (map it: oms-stock alias"
	    " %s \"%.200s\" SKU)", (long long)l->line_no, omsi_text(st, 0), omsi_text(st, 1) ?
	    omsi_text(st, 1) : "", omsi_text(st, 0), omsi_text(st, 1) ? omsi_text(st, 1) : "");
	omsi_reset(st);
	return OMS_OK;
}

/* not_waiting is the step for an order allocation does not take up. */
static enum oms_step
not_waiting(int64_t id, enum oms_status s)
{
	switch (s) {
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
}

static enum oms_step
allocate_step(struct oms *o, int64_t id, void *arg)
{
	struct run *r = arg;
	struct line *lines = NULL;
	enum oms_status s;
	struct omsi_stmt *st;
	char *placed, detail[1024], qty[3][24];
	const char *cells[5];
	int64_t prio, avail, need, reserved_any = 0;
	size_t n = 0, i, len = 0;
	int own, complete = 1, sc, rc;
	enum oms_step result;

	/* What allocation needs of the order in one read; a hold's held_from is not among it. */
	st = omsi_stmt(o, "SELECT status, priority, placed_at, coalesce(ship_complete, -1)"
	    " FROM orders WHERE id = ?", "i", id);
	if ((rc = omsi_order_row(o, st, id)) != OMS_OK)
		return rc == OMS_EINPUT ? OMS_STEP_REJECT : OMS_STEP_FAIL;
	if (oms_status_parse(omsi_text(st, 0), &s) != 0) {
		oms_warnx("order %lld: unknown status \"%s\"", (long long)id, omsi_text(st, 0));
		omsi_reset(st);
		return OMS_STEP_FAIL;
	}
	if (s != OMS_AUTHORIZED && s != OMS_BACKORDERED) {
		omsi_reset(st);
		return not_waiting(id, s);
	}
	prio = omsi_col_int64(st, 1);
	/* Whole: the demand before it is found by it. */
	if ((placed = omsi_strdup(omsi_text(st, 2))) == NULL) {
		omsi_reset(st);
		return OMS_STEP_FAIL;
	}
	own = omsi_col_int(st, 3);
	omsi_reset(st);
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
			rc = omsi_order_move_from(o, id, s, OMS_NSTATUS, OMS_HOLD,
			    lines[i].sku[0] ? "stock" : "sku", "hold", detail);
			free(lines);
			free(placed);
			if (rc != OMS_OK)
				return OMS_STEP_FAIL;
			oms_warnx("order %lld: %s", (long long)id, detail);
			return OMS_STEP_HELD;
		}
	for (i = 0; i < n; i++) {
		need = 0;
		avail = lines[i].avail;
		/* With none to spare, what others need changes nothing: no need to ask. */
		if (avail > 0 && need_before(o, lines[i].sku, id, prio, placed, avail, &need) !=
		    OMS_OK) {
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
	if (reserved_any > 0 && took(o, id, prio, placed, lines, n) != OMS_OK) {
		free(lines);
		free(placed);
		return OMS_STEP_FAIL;
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
		rc = omsi_order_move_from(o, id, s, OMS_NSTATUS, OMS_ALLOCATED, NULL, "allocate",
		    detail);
		result = OMS_STEP_DONE;
	} else if (s != OMS_BACKORDERED) {
		rc = omsi_order_move_from(o, id, s, OMS_NSTATUS, OMS_BACKORDERED, NULL, "backorder",
		    detail);
		result = OMS_STEP_HELD;
	} else {
		/* Still waiting: say so in the history only when something was put aside. */
		rc = reserved_any > 0 ? oms_event(o, id, "reserve", OMS_NSTATUS, OMS_NSTATUS,
		    detail) : OMS_OK;
		result = OMS_STEP_HELD;
	}
	free(lines);
	free(placed);
	if (rc != OMS_OK)
		return OMS_STEP_FAIL;
	return o->opts.dry_run ? OMS_STEP_HELD : result;
}

static int
select_waiting(struct oms *o, int64_t **ids, size_t *n, void *arg)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT id FROM orders WHERE status IN"
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
	struct omsi_stmt *st;
	int rc;

	/* min(placed_at) picks the oldest order's row for the bare id column (SQLite). */
	static const char lite_sql[] = "SELECT l.sku, sum(l.qty - l.allocated - l.shipped - l.cancelled),"
	    " count(DISTINCT o.id), o.id, min(o.placed_at),"
	    " CAST(julianday('now') - julianday(min(o.placed_at)) AS INTEGER),"
	    " coalesce((SELECT on_hand - reserved FROM stock s WHERE s.sku = l.sku), 0)"
	    " FROM order_lines l JOIN orders o ON o.id = l.order_id"
	    " WHERE o.status IN ('authorized', 'backordered', 'allocated', 'picking')"
	    " AND l.qty - l.allocated - l.shipped - l.cancelled > 0"
	    " GROUP BY l.sku ORDER BY 2 DESC, 1";
	/* A server has no bare columns nor julianday: the oldest's id by array_agg, days by epoch. */
	static const char pg_sql[] = "SELECT l.sku, sum(l.qty - l.allocated - l.shipped - l.cancelled),"
	    " count(DISTINCT o.id), (array_agg(o.id ORDER BY o.placed_at, o.id))[1], min(o.placed_at),"
	    " floor(extract(epoch FROM now() - min(o.placed_at)::timestamptz) / 86400),"
	    " coalesce((SELECT on_hand - reserved FROM stock s WHERE s.sku = l.sku), 0)"
	    " FROM order_lines l JOIN orders o ON o.id = l.order_id"
	    " WHERE o.status IN ('authorized', 'backordered', 'allocated', 'picking')"
	    " AND l.qty - l.allocated - l.shipped - l.cancelled > 0"
	    " GROUP BY l.sku ORDER BY 2 DESC, 1";

	if ((st = omsi_stmt(o, o->pg != NULL ? pg_sql : lite_sql, "")) == NULL ||
	    (t = oms_table_new(out, f, cols, 7)) == NULL)
		return OMS_ESYS;
	rc = omsi_rows_to_table(o, st, t, 7, NULL);
	if (oms_table_end(t) != OMS_OK)
		return OMS_ESYS;
	return rc;
}
