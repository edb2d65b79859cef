/*
 * pick.c: pick lists.  Allocated orders go on lists in waves, each list
 * the stock to walk off the shelves in bin order; a confirmation records
 * what was really there, and a short pick goes back to allocation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <oms/backorder.h>
#include <oms/config.h>
#include <oms/db.h>
#include <oms/filter.h>
#include <oms/fmt.h>
#include <oms/ids.h>
#include <oms/money.h>
#include <oms/order.h>
#include <oms/pick.h>
#include <oms/stock.h>
#include <oms/time.h>
#include <oms/diag.h>

#include "internal.h"

struct wave {
	const struct oms_pick_opts *po;
	int64_t list;		/* the list being filled, 0 before the first */
	uint64_t list_tx;	/* the transaction it was last seen in (oms->tx_serial) */
	long orders, lines;	/* what it holds */
	int64_t first, last;
};

/* open_list starts a new pick list (a wave). */
static int
open_list(struct oms *o, struct wave *w)
{
	char now[OMS_TIME_MAX];
	int rc;

	if ((rc = omsi_exec(o, "INSERT INTO pick_lists (ship_method, created_at, created_by)"
	    " VALUES (?, ?, ?)", "ttt", w->po->ship_method, oms_time_now(now), o->user)) != OMS_OK)
		return rc;
	w->list = omsi_last_id(o);
	w->list_tx = o->tx_serial;
	w->orders = w->lines = 0;
	if (w->first == 0)
		w->first = w->list;
	w->last = w->list;
	return OMS_OK;
}

/*
 * list_kept forgets the wave's list when the transaction that made it was
 * rolled back (a dry run's batch, ended by the time budget or by a pause
 * of standard input): the next order starts a list of its own rather than
 * name one that is not there.
 */
static int
list_kept(struct oms *o, struct wave *w)
{
	int64_t n;

	if (omsi_int(o, &n, "SELECT count(*) FROM pick_lists WHERE id = ?", "i", w->list) != OMS_OK)
		return OMS_ESYS;
	if (n == 0)
		w->list = 0;
	w->list_tx = o->tx_serial;
	return OMS_OK;
}

static enum oms_step
pick_step(struct oms *o, int64_t id, void *arg)
{
	struct wave *w = arg;
	enum oms_status s;
	struct omsi_stmt *st;
	long nlines;
	char detail[64];
	int rc, same;

	/* The order's row read once: its status, and what a wave needs of it. */
	st = omsi_stmt(o, "SELECT status, (SELECT count(*) FROM order_lines WHERE order_id = ?1 AND"
	    " allocated > picked), coalesce(ship_method, '') = coalesce(?2, ship_method, '')"
	    " FROM orders WHERE id = ?1", "it", id, w->po->ship_method);
	if ((rc = omsi_order_row(o, st, id)) != OMS_OK)
		return rc == OMS_EINPUT ? OMS_STEP_REJECT : OMS_STEP_FAIL;
	if (oms_status_parse(omsi_text(st, 0), &s) != 0) {
		oms_warnx("order %lld: unknown status \"%s\"", (long long)id, omsi_text(st, 0));
		omsi_reset(st);
		return OMS_STEP_FAIL;
	}
	nlines = (long)omsi_col_int64(st, 1);
	same = omsi_col_int(st, 2);
	omsi_reset(st);
	if (s == OMS_PICKING || s == OMS_SHIPPED)
		return OMS_STEP_PASS;
	if (s == OMS_HOLD) {
		oms_warnx("order %lld: on hold", (long long)id);
		return OMS_STEP_HELD;
	}
	if (s != OMS_ALLOCATED) {
		oms_warnx("order %lld: cannot pick: it is %s", (long long)id, oms_status_name(s));
		return OMS_STEP_REJECT;
	}
	/* Another carrier's wave: left for its own run, not an error. */
	if (!same)
		return OMS_STEP_HELD;
	if (w->list != 0 && w->list_tx != o->tx_serial && (rc = list_kept(o, w)) != OMS_OK)
		return OMS_STEP_FAIL;
	/* Lines that need no shipping are never reserved, so never picked. */
	if (nlines == 0) {
		oms_warnx("order %lld: nothing to pick: no line of it needs shipping", (long long)id);
		return OMS_STEP_HELD;
	}
	if (w->list == 0 || (w->po->max_orders > 0 && w->orders >= w->po->max_orders) ||
	    (w->po->max_lines > 0 && w->lines > 0 && w->lines + nlines > w->po->max_lines))
		if ((rc = open_list(o, w)) != OMS_OK)
			return OMS_STEP_FAIL;
	if ((rc = omsi_exec(o, "INSERT INTO pick_lines (list_id, order_id, line_id, sku, bin, qty)"
	    " SELECT ?, l.order_id, l.id, l.sku, i.bin, l.allocated - l.picked FROM order_lines l"
	    " LEFT JOIN items i ON i.sku = l.sku WHERE l.order_id = ? AND l.allocated > l.picked",
	    "ii", w->list, id)) != OMS_OK)
		return OMS_STEP_FAIL;
	w->orders++;
	w->lines += nlines;
	snprintf(detail, sizeof detail, "pick list %lld", (long long)w->list);
	/* Allocated, as read above: not read again. */
	if (omsi_order_move_from(o, id, OMS_ALLOCATED, OMS_NSTATUS, OMS_PICKING, NULL, "pick",
	    detail) != OMS_OK)
		return OMS_STEP_FAIL;
	return OMS_STEP_DONE;
}

static int
select_allocated(struct oms *o, int64_t **ids, size_t *n, void *arg)
{
	return oms_select_status(o, OMS_ALLOCATED, ids, n);
}

int
oms_pick_run(struct oms *o, const struct oms_pick_opts *po, char **ids, int nids,
    int64_t *first, int64_t *last)
{
	struct wave w = { .po = po };
	struct oms_filter f = { .step = pick_step, .select_all = select_allocated, .arg = &w };
	int rc;

	/* A wave is one transaction unless its input pauses or the lock's budget runs out. */
	f.batch = (size_t)-1;
	rc = oms_filter_run(o, &f, ids, nids);
	*first = o->opts.dry_run ? 0 : w.first;
	*last = o->opts.dry_run ? 0 : w.last;
	return rc;
}

/* list_status reads a list's status; OMS_EINPUT, reported, when there is none. */
static int
list_status(struct oms *o, int64_t list, char status[16])
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT status FROM pick_lists WHERE id = ?", "i", list);
	int rc;

	if (st == NULL || (rc = omsi_step(o, st)) < 0)
		return OMS_ESYS;
	if (rc != OMSI_ROW) {
		oms_warnx("pick list %lld: no such list", (long long)list);
		return OMS_EINPUT;
	}
	snprintf(status, 16, "%s", omsi_text(st, 0));
	omsi_reset(st);
	return OMS_OK;
}

/* The rows of a list in each layout, in walking order. */
static const char by_bin_sql[] =
    "SELECT coalesce(bin, ''), sku, sum(qty), group_concat(order_id || 'x' || qty, ' ')"
    " FROM (SELECT bin, sku, order_id, sum(qty) AS qty FROM pick_lines WHERE list_id = ?"
    " GROUP BY bin, sku, order_id ORDER BY order_id)"
    " GROUP BY bin, sku ORDER BY coalesce(bin, '~') COLLATE bin, sku";
/*
 * On a server: no collation of oms's, but the key it stores beside each bin
 * (oms_bin_key, lib/schema_pg.c) sorts byte by byte in the same order, and
 * string_agg where SQLite has group_concat.
 */
static const char by_bin_pg_sql[] =
    "SELECT coalesce(bin, ''), sku, sum(qty), string_agg(order_id || 'x' || qty, ' ' ORDER BY order_id)"
    " FROM (SELECT bin, bin_key, sku, order_id, sum(qty) AS qty FROM pick_lines WHERE list_id = ?"
    " GROUP BY bin, bin_key, sku, order_id) AS l"
    " GROUP BY bin, bin_key, sku ORDER BY coalesce(bin_key, '~') COLLATE \"C\", sku";
static const char by_sku_sql[] =
    "SELECT sku, coalesce(min(bin), ''), sum(qty), count(DISTINCT order_id) FROM pick_lines"
    " WHERE list_id = ? GROUP BY sku ORDER BY sku";
static const char by_order_sql[] =
    "SELECT order_id, coalesce(bin, ''), sku, sum(qty) FROM pick_lines WHERE list_id = ?"
    " GROUP BY order_id, bin, sku ORDER BY order_id, coalesce(bin, '~') COLLATE bin, sku";
static const char by_order_pg_sql[] =
    "SELECT order_id, coalesce(bin, ''), sku, sum(qty) FROM pick_lines WHERE list_id = ?"
    " GROUP BY order_id, bin, bin_key, sku ORDER BY order_id, coalesce(bin_key, '~') COLLATE \"C\", sku";

static const struct oms_column bin_cols[] = {
	{ "bin", OMS_CELL_STR }, { "sku", OMS_CELL_STR }, { "qty", OMS_CELL_INT },
	{ "orders", OMS_CELL_STR },
};
static const struct oms_column sku_cols[] = {
	{ "sku", OMS_CELL_STR }, { "bin", OMS_CELL_STR }, { "qty", OMS_CELL_INT },
	{ "orders", OMS_CELL_INT },
};
static const struct oms_column order_cols[] = {
	{ "order", OMS_CELL_INT }, { "bin", OMS_CELL_STR }, { "sku", OMS_CELL_STR },
	{ "qty", OMS_CELL_INT },
};

/* Lines on a printed page, for a line printer. */
#define PAGE_LINES 60

int
oms_pick_show(struct oms *o, int64_t list, enum oms_pick_layout layout, enum oms_format f,
    FILE *out)
{
	const char *sql = layout == OMS_PICK_BY_SKU ? by_sku_sql :
	    layout == OMS_PICK_BY_ORDER ? (o->pg != NULL ? by_order_pg_sql : by_order_sql) :
	    o->pg != NULL ? by_bin_pg_sql : by_bin_sql;
	const struct oms_column *cols = layout == OMS_PICK_BY_SKU ? sku_cols :
	    layout == OMS_PICK_BY_ORDER ? order_cols : bin_cols;
	struct oms_table *t;
	struct omsi_stmt *st, *h;
	char status[16], *text = NULL;
	size_t len = 0, n = 0;
	int rc, page = 1, lines;
	FILE *buf;

	if ((rc = list_status(o, list, status)) != OMS_OK)
		return rc;
	if ((st = omsi_stmt(o, sql, "i", list)) == NULL)
		return OMS_ESYS;
	if (f != OMS_FMT_TEXT) {
		if ((t = oms_table_new(out, f, cols, 4)) == NULL)
			return OMS_ESYS;
		rc = omsi_rows_to_table(o, st, t, 4, NULL);
		return oms_table_end(t) != OMS_OK ? OMS_ESYS : rc;
	}
	/* Text: the aligned table, cut into pages with the list's header on each. */
	if ((buf = open_memstream(&text, &len)) == NULL || (t = oms_table_new(buf, f, cols, 4)) ==
	    NULL) {
		if (buf != NULL)
			fclose(buf);
		free(text);
		return OMS_ESYS;
	}
	rc = omsi_rows_to_table(o, st, t, 4, &n);
	if (oms_table_end(t) != OMS_OK || fclose(buf) != 0 || rc != OMS_OK) {
		free(text);
		return OMS_ESYS;
	}
	if ((h = omsi_stmt(o, "SELECT created_at, created_by, (SELECT count(DISTINCT order_id)"
	    " FROM pick_lines WHERE list_id = ?1), (SELECT count(*) FROM pick_lines WHERE"
	    " list_id = ?1), coalesce(ship_method, '') FROM pick_lists WHERE id = ?1", "i",
	    list)) == NULL || omsi_step(o, h) != OMSI_ROW) {
		free(text);
		return OMS_ESYS;
	}
	char head[256], colhead[512];
	const char *p = text, *nl;

	snprintf(head, sizeof head, "PICK LIST %lld  %s  %lld orders, %lld lines%s%s  made %s by %s",
	    (long long)list, status, (long long)omsi_col_int64(h, 2),
	    (long long)omsi_col_int64(h, 3), *omsi_text(h, 4) ? "  " : "", omsi_text(h, 4),
	    omsi_text(h, 0), omsi_text(h, 1));
	omsi_reset(h);
	nl = strchr(p, '\n');
	snprintf(colhead, sizeof colhead, "%.*s", (int)(nl - p), p);
	p = nl + 1;
	lines = PAGE_LINES;
	while (*p != '\0') {
		if (lines >= PAGE_LINES) {
			fprintf(out, "%s%s  page %d\n\n%s\n", page > 1 ? "\f" : "", head, page, colhead);
			page++;
			lines = 3;
		}
		nl = strchr(p, '\n');
		fprintf(out, "%.*s\n", (int)(nl - p), p);
		p = nl + 1;
		lines++;
	}
	if (n == 0)
		fprintf(out, "%s  page 1\n\n%s\n", head, colhead);
	free(text);
	return ferror(out) ? OMS_ESYS : OMS_OK;
}

/* A short pick as given: ORDER:SKU:QTY. */
struct shortpick {
	int64_t order, qty;
	char sku[80];
};

static int
parse_short(const char *s, struct shortpick *sp)
{
	char buf[128], *a, *b;

	snprintf(buf, sizeof buf, "%s", s);
	if ((a = strchr(buf, ':')) == NULL || (b = strrchr(buf, ':')) == a)
		return -1;
	*a++ = '\0';
	*b++ = '\0';
	if (oms_id_parse(buf, &sp->order) != 0 || oms_qty_parse(b, &sp->qty) != 0 ||
	    sp->qty == 0 || *a == '\0')
		return -1;
	snprintf(sp->sku, sizeof sp->sku, "%s", a);
	return 0;
}

/* short_one records one short pick: stock corrected, the reservation released. */
static int
short_one(struct oms *o, int64_t list, const struct shortpick *sp)
{
	struct omsi_stmt *st;
	char ref[32];
	int64_t on_list, pl, line, left = sp->qty, take;
	int rc;

	st = omsi_stmt(o, "SELECT coalesce(sum(qty), 0) FROM pick_lines WHERE list_id = ? AND"
	    " order_id = ? AND sku = ? AND confirmed = 0", "iit", list, sp->order, sp->sku);
	if (st == NULL || omsi_step(o, st) != OMSI_ROW)
		return OMS_ESYS;
	on_list = omsi_col_int64(st, 0);
	omsi_reset(st);
	if (on_list == 0) {
		oms_warnx("pick list %lld: order %lld has no %s on it", (long long)list,
		    (long long)sp->order, sp->sku);
		return OMS_EINPUT;
	}
	if (sp->qty > on_list) {
		oms_warnx("pick list %lld: order %lld: short %lld of %s, but only %lld were to be picked",
		    (long long)list, (long long)sp->order, (long long)sp->qty, sp->sku,
		    (long long)on_list);
		return OMS_EINPUT;
	}
	snprintf(ref, sizeof ref, "pick list %lld", (long long)list);
	/* The shelf held fewer than the books said: that is a count, and the order gets less. */
	if ((rc = oms_stock_move(o, sp->sku, "short pick", -sp->qty, -sp->qty, ref,
	    "short pick")) != OMS_OK)
		return rc;
	while (left > 0) {
		st = omsi_stmt(o, "SELECT id, line_id FROM pick_lines WHERE list_id = ? AND order_id = ? AND sku = ? AND"
		    " confirmed = 0 AND coalesce(picked, qty) > 0 ORDER BY id LIMIT 1", "iit", list,
		    sp->order, sp->sku);
		if (st == NULL || omsi_step(o, st) != OMSI_ROW)
			return OMS_ESYS;
		pl = omsi_col_int64(st, 0);
		line = omsi_col_int64(st, 1);
		omsi_reset(st);
		st = omsi_stmt(o, "SELECT coalesce(picked, qty) FROM pick_lines WHERE id = ?", "i", pl);
		if (st == NULL || omsi_step(o, st) != OMSI_ROW)
			return OMS_ESYS;
		take = omsi_col_int64(st, 0) < left ? omsi_col_int64(st, 0) : left;
		omsi_reset(st);
		if ((rc = omsi_exec(o, "UPDATE pick_lines SET picked = coalesce(picked, qty) - ?"
		    " WHERE id = ?", "ii", take, pl)) != OMS_OK ||
		    (rc = omsi_exec(o, "UPDATE order_lines SET allocated = allocated - ? WHERE id = ?",
		    "ii", take, line)) != OMS_OK)
			return rc;
		left -= take;
	}
	/* What the shelf did not have the order wants again. */
	return omsi_waiting_refresh(o, sp->order, sp->sku);
}

/*
 * confirm_lines counts the unconfirmed lines of a list as picked: what a
 * short left, else all.  A line is confirmed once, so an order shipped off
 * an open list (its lines confirmed by oms-ship: omsi_pick_lines_confirm)
 * is not counted again when the list is confirmed.
 */
static int
confirm_lines(struct oms *o, int64_t list)
{
	int rc;

	if ((rc = omsi_exec(o, "UPDATE order_lines SET picked = picked + (SELECT"
	    " coalesce(sum(coalesce(p.picked, p.qty)), 0) FROM pick_lines p WHERE"
	    " p.list_id = ?1 AND p.line_id = order_lines.id AND p.confirmed = 0) WHERE id IN"
	    " (SELECT line_id FROM pick_lines WHERE list_id = ?1 AND confirmed = 0)", "i",
	    list)) != OMS_OK)
		return rc;
	return omsi_exec(o, "UPDATE pick_lines SET picked = coalesce(picked, qty),"
	    " confirmed = 1 WHERE list_id = ? AND confirmed = 0", "i", list);
}

int
omsi_pick_lines_confirm(struct oms *o, int64_t order)
{
	/* Each line's list looked up by its key: an IN list of open lists grows with the day. */
	return omsi_exec(o, "UPDATE pick_lines SET picked = coalesce(picked, qty), confirmed = 1"
	    " WHERE order_id = ?1 AND confirmed = 0 AND EXISTS (SELECT 1 FROM pick_lists l"
	    " WHERE l.id = pick_lines.list_id AND l.status = 'open')", "i", order);
}

int
oms_pick_confirm(struct oms *o, int64_t list, char **shorts, int nshorts)
{
	struct shortpick sp;
	struct omsi_stmt *st;
	char status[16], now[OMS_TIME_MAX], detail[96];
	int64_t *ids = NULL, shortfall;
	size_t n = 0, i;
	int k, rc, complete;

	for (k = 0; k < nshorts; k++)
		if (parse_short(shorts[k], &sp) != 0) {
			oms_warnx("--short \"%s\": expected ORDER:SKU:QTY with QTY at least 1", shorts[k]);
			return OMS_EUSAGE;
		}
	if ((rc = oms_begin(o)) != OMS_OK)
		return rc;
	if ((rc = list_status(o, list, status)) != OMS_OK)
		goto fail;
	if (strcmp(status, "open") != 0) {
		oms_warnx("pick list %lld: it is %s already", (long long)list, status);
		rc = OMS_EINPUT;
		goto fail;
	}
	for (k = 0; k < nshorts; k++) {
		parse_short(shorts[k], &sp);
		if ((rc = short_one(o, list, &sp)) != OMS_OK)
			goto fail;
	}
	/* Everything else was there as listed. */
	if ((rc = confirm_lines(o, list)) != OMS_OK)
		goto fail;
	if ((st = omsi_stmt(o, "SELECT DISTINCT p.order_id FROM pick_lines p JOIN orders o ON"
	    " o.id = p.order_id WHERE p.list_id = ? AND o.status = 'picking' ORDER BY 1", "i",
	    list)) == NULL || (rc = omsi_collect_ids(o, st, &ids, &n)) != OMS_OK) {
		rc = OMS_ESYS;
		goto fail;
	}
	for (i = 0; i < n; i++) {
		st = omsi_stmt(o, "SELECT coalesce(sum(qty - picked), 0), coalesce(o.ship_complete,"
		    " ?2 != 'split') FROM pick_lines, orders o WHERE list_id = ?1 AND order_id = ?3"
		    " AND o.id = ?3", "iti", list, oms_config_str(o, "backorder.policy",
		    "ship-complete"), ids[i]);
		if (st == NULL || omsi_step(o, st) != OMSI_ROW) {
			rc = OMS_ESYS;
			goto fail;
		}
		shortfall = omsi_col_int64(st, 0);
		complete = omsi_col_int(st, 1);
		omsi_reset(st);
		snprintf(detail, sizeof detail, "pick list %lld%s", (long long)list,
		    shortfall ? ", short" : "");
		if (shortfall > 0 && complete) {
			/* Ship complete: the whole order waits; what was picked goes back to its bins. */
			if ((rc = omsi_exec(o, "UPDATE order_lines SET picked = 0 WHERE order_id = ?",
			    "i", ids[i])) != OMS_OK ||
			    (rc = oms_order_move(o, ids[i], OMS_BACKORDERED, NULL, "short pick",
			    detail)) != OMS_OK)
				goto fail;
		} else if ((rc = oms_event(o, ids[i], shortfall ? "short pick" : "picked",
		    OMS_NSTATUS, OMS_NSTATUS, detail)) != OMS_OK) {
			goto fail;
		} else if (shortfall > 0) {
			int64_t held;

			/* Split, and nothing of it was on the shelf: nothing to ship, it waits. */
			if ((rc = omsi_int(o, &held, "SELECT coalesce(sum(allocated), 0) FROM"
			    " order_lines WHERE order_id = ?", "i", ids[i])) != OMS_OK ||
			    (held == 0 && (rc = oms_order_move(o, ids[i], OMS_BACKORDERED, NULL,
			    "short pick", "nothing was picked: it waits for stock")) != OMS_OK))
				goto fail;
		}
	}
	if ((rc = omsi_exec(o, "UPDATE pick_lists SET status = 'confirmed', confirmed_at = ?,"
	    " confirmed_by = ? WHERE id = ?", "tti", oms_time_now(now), o->user, list)) != OMS_OK)
		goto fail;
	free(ids);
	if (o->opts.dry_run) {
		oms_rollback(o);
		return OMS_OK;
	}
	return oms_commit(o);
fail:
	free(ids);
	oms_rollback(o);
	return rc;
}

int
oms_pick_cancel(struct oms *o, int64_t list)
{
	struct omsi_stmt *st;
	char status[16], detail[64];
	int64_t *ids = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = oms_begin(o)) != OMS_OK)
		return rc;
	if ((rc = list_status(o, list, status)) != OMS_OK)
		goto fail;
	if (strcmp(status, "open") != 0) {
		oms_warnx("pick list %lld: it is %s: only an open list can be cancelled", (long long)list,
		    status);
		rc = OMS_EINPUT;
		goto fail;
	}
	if ((st = omsi_stmt(o, "SELECT DISTINCT p.order_id FROM pick_lines p JOIN orders o ON"
	    " o.id = p.order_id WHERE p.list_id = ? AND o.status = 'picking' ORDER BY 1", "i",
	    list)) == NULL || (rc = omsi_collect_ids(o, st, &ids, &n)) != OMS_OK) {
		rc = OMS_ESYS;
		goto fail;
	}
	snprintf(detail, sizeof detail, "pick list %lld cancelled", (long long)list);
	for (i = 0; i < n; i++)
		if ((rc = oms_order_move(o, ids[i], OMS_ALLOCATED, NULL, "unpick", detail)) != OMS_OK)
			goto fail;
	if ((rc = omsi_exec(o, "UPDATE pick_lists SET status = 'cancelled' WHERE id = ?", "i",
	    list)) != OMS_OK)
		goto fail;
	for (i = 0; i < n; i++)
		printf("%lld\n", (long long)ids[i]);
	free(ids);
	if (o->opts.dry_run) {
		oms_rollback(o);
		return OMS_OK;
	}
	return oms_commit(o);
fail:
	free(ids);
	oms_rollback(o);
	return rc;
}

int
oms_pick_slips(struct oms *o, int64_t list, FILE *out)
{
	struct omsi_stmt *st, *l;
	char status[16];
	int64_t *ids = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = list_status(o, list, status)) != OMS_OK)
		return rc;
	if ((st = omsi_stmt(o, "SELECT DISTINCT order_id FROM pick_lines WHERE list_id = ?"
	    " ORDER BY 1", "i", list)) == NULL || omsi_collect_ids(o, st, &ids, &n) != OMS_OK)
		return OMS_ESYS;
	for (i = 0; i < n; i++) {
		st = omsi_stmt(o, "SELECT coalesce(external_id, ''), source,"
		    " coalesce(std_name, ship_name), coalesce(std_company, ship_company, ''),"
		    " coalesce(std_line1, ship_line1), coalesce(std_line2, ship_line2, ''),"
		    " coalesce(std_city, ship_city), coalesce(std_region, ship_region, ''),"
		    " coalesce(std_postal_code, ship_postal_code, ''), coalesce(std_country,"
		    " ship_country, ''), coalesce(ship_method, '') FROM orders WHERE id = ?", "i", ids[i]);
		if (st == NULL || omsi_step(o, st) != OMSI_ROW) {
			free(ids);
			return OMS_ESYS;
		}
		fprintf(out, "%sPACKING SLIP   order %lld   %s %s   pick list %lld\n\n", i ? "\f" : "",
		    (long long)ids[i], omsi_text(st, 1), omsi_text(st, 0), (long long)list);
		fprintf(out, "Ship to:  %s\n", omsi_text(st, 2));
		for (int k = 3; k <= 5; k++)
			if (*omsi_text(st, k))
				fprintf(out, "          %s\n", omsi_text(st, k));
		fprintf(out, "          %s %s  %s\n          %s\n", omsi_text(st, 6), omsi_text(st, 7),
		    omsi_text(st, 8), omsi_text(st, 9));
		if (*omsi_text(st, 10))
			fprintf(out, "Ship via: %s\n", omsi_text(st, 10));
		omsi_reset(st);
		fprintf(out, "\n%-20s %-40s %6s\n", "SKU", "DESCRIPTION", "QTY");
		if ((l = omsi_stmt(o, "SELECT p.sku, coalesce(i.description, ''), sum(coalesce(p.picked,"
		    " p.qty)) FROM pick_lines p LEFT JOIN items i ON i.sku = p.sku WHERE p.list_id = ?"
		    " AND p.order_id = ? GROUP BY p.sku ORDER BY p.sku", "ii", list, ids[i])) == NULL) {
			free(ids);
			return OMS_ESYS;
		}
		while ((rc = omsi_step(o, l)) == OMSI_ROW)
			fprintf(out, "%-20s %-40.40s %6lld\n", omsi_text(l, 0), omsi_text(l, 1),
			    (long long)omsi_col_int64(l, 2));
		omsi_reset(l);
		if (rc != OMSI_DONE) {
			free(ids);
			return OMS_ESYS;
		}
	}
	free(ids);
	return ferror(out) ? OMS_ESYS : OMS_OK;
}
