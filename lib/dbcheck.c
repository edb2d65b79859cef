/*
 * dbcheck.c: the database as a whole.  oms-db check holds the data to what
 * the tools keep true of it, one set-based query per invariant, all read
 * from one snapshot while others write; backup copies it from a snapshot
 * too; info says what is in it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include <oms/db.h>
#include <oms/dbcheck.h>
#include <oms/diag.h>
#include <oms/fmt.h>
#include <oms/money.h>

#include "internal.h"

/* What a check run has found so far, and where it goes. */
struct checker {
	struct oms *o;
	FILE *out;
	struct oms_table *t;	/* csv, tsv, json: one row per problem; NULL for text */
	long n;			/* problems found */
};

/*
 * problem reports one problem of kind, naming the order, SKU and payment
 * it is about (0 and NULL for none).  The message is the whole text line.
 */
static int problem(struct checker *c, const char *kind, int64_t order, const char *sku,
    int64_t payment, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int
problem(struct checker *c, const char *kind, int64_t order, const char *sku, int64_t payment,
    const char *fmt, ...)
{
	char msg[1024], ord[24], pay[24];
	const char *cells[5];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->n++;
	if (c->t == NULL) {
		if (fprintf(c->out, "%s\n", msg) < 0) {
			oms_warn("stdout");
			return OMS_ESYS;
		}
		return OMS_OK;
	}
	snprintf(ord, sizeof ord, "%lld", (long long)order);
	snprintf(pay, sizeof pay, "%lld", (long long)payment);
	cells[0] = kind;
	cells[1] = order ? ord : NULL;
	cells[2] = sku;
	cells[3] = payment ? pay : NULL;
	cells[4] = msg;
	return oms_table_row(c->t, cells);
}

/* shown is a SKU or other stored text made safe for a terminal, in buf. */
static const char *
shown(struct omsi_stmt *st, int col, char *buf, size_t len)
{
	const char *s = omsi_text(st, col);

	return omsi_shown(s ? s : "", buf, len);
}

static int64_t
col64(struct omsi_stmt *st, int col)
{
	return omsi_col_int64(st, col);
}

/* units writes "1 unit is" or "N units are". */
static const char *
units(char *buf, size_t len, int64_t n, const char *one, const char *many)
{
	snprintf(buf, len, "%lld unit%s %s", (long long)n, n == 1 ? "" : "s", n == 1 ? one : many);
	return buf;
}

/*
 * finish ends a query's loop: OMS_OK when it ran to its end.  Its errors
 * were reported: a query's by omsi_step, a write's by problem, memory by
 * oms_table_end.
 */
static int
finish(struct omsi_stmt *st, int rc)
{
	omsi_reset(st);
	return rc == OMSI_DONE ? OMS_OK : OMS_ESYS;
}

/* next steps st, or stops the loop (-2) when the last problem could not be written. */
#define NEXT(c, st, prc) ((prc) != OMS_OK ? -2 : omsi_step((c)->o, (st)))

static int
check_integrity(struct checker *c)
{
	struct omsi_stmt *st = omsi_stmt(c->o, "PRAGMA integrity_check", "");
	const char *s, *e;
	char buf[512];
	size_t n;
	int rc, prc = OMS_OK;

	if (st == NULL)
		return OMS_ESYS;
	while ((rc = NEXT(c, st, prc)) == OMSI_ROW) {
		if ((s = omsi_text(st, 0)) == NULL || strcmp(s, "ok") == 0)
			continue;
		/* A row may hold several findings, a line each, under a heading. */
		for (; *s != '\0' && prc == OMS_OK; s = *e ? e + 1 : e) {
			e = s + strcspn(s, "\n");
			n = (size_t)(e - s) < sizeof buf ? (size_t)(e - s) : sizeof buf - 1;
			memcpy(buf, s, n);
			buf[n] = '\0';
			if (n == 0 || strncmp(buf, "*** in database ", 16) == 0)
				continue;
			omsi_shown(buf, buf, sizeof buf);
			prc = problem(c, "integrity", 0, NULL, 0, "database: %s", buf);
		}
	}
	return finish(st, rc);
}

/*
 * A server has no integrity_check: it checks its pages itself (data
 * checksums, amcheck for a DBA), and enforces the schema's constraints,
 * foreign keys and append-only triggers at every write.  What can turn
 * that off is a constraint added NOT VALID or a trigger disabled
 * (ALTER TABLE ... DISABLE TRIGGER, which a foreign key's are too): those
 * are what check reports.
 */
static int
check_enforced(struct checker *c)
{
	struct omsi_stmt *st = omsi_stmt(c->o, "SELECT 'constraint ' || c.conname || ' of '"
	    " || r.relname || ' is not validated (added NOT VALID)' FROM pg_constraint c"
	    " JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace"
	    " WHERE n.nspname = current_schema() AND NOT c.convalidated"
	    " UNION SELECT 'trigger ' || t.tgname || ' on ' || r.relname || ' is disabled:"
	    " what it refuses is not refused' FROM pg_trigger t"
	    " JOIN pg_class r ON r.oid = t.tgrelid JOIN pg_namespace n ON n.oid = r.relnamespace"
	    " WHERE n.nspname = current_schema() AND t.tgenabled = 'D' AND NOT t.tgisinternal"
	    /* A foreign key's triggers are the server's own, on both its tables. */
	    " UNION SELECT 'foreign key ' || c.conname || ' of ' || r.relname || ' is not"
	    " enforced: its triggers are disabled' FROM pg_trigger t"
	    " JOIN pg_constraint c ON c.oid = t.tgconstraint JOIN pg_class r ON r.oid = c.conrelid"
	    " JOIN pg_namespace n ON n.oid = r.relnamespace"
	    " WHERE n.nspname = current_schema() AND t.tgenabled = 'D' AND t.tgisinternal"
	    " ORDER BY 1", "");
	char buf[512];
	int rc, prc = OMS_OK;

	if (st == NULL)
		return OMS_ESYS;
	while ((rc = NEXT(c, st, prc)) == OMSI_ROW)
		prc = problem(c, "integrity", 0, NULL, 0, "database: %s", shown(st, 0, buf, sizeof buf));
	return finish(st, rc);
}

static int
check_foreign_keys(struct checker *c)
{
	struct omsi_stmt *st = omsi_stmt(c->o, "PRAGMA foreign_key_check", "");
	char table[64], parent[64];
	int rc, prc = OMS_OK;

	if (st == NULL)
		return OMS_ESYS;
	while ((rc = NEXT(c, st, prc)) == OMSI_ROW) {
		shown(st, 0, table, sizeof table);
		shown(st, 2, parent, sizeof parent);
		/* Tables without a rowid (shipment_lines, confirmations) have no row number. */
		if (omsi_col_null(st, 1))
			prc = problem(c, "foreign_key", 0, NULL, 0,
			    "%s: a row refers to a row of %s that does not exist", table, parent);
		else
			prc = problem(c, "foreign_key", 0, NULL, 0,
			    "%s row %lld: refers to a row of %s that does not exist", table,
			    (long long)col64(st, 1), parent);
	}
	return finish(st, rc);
}

/* Stock is its ledger's sum: oms_stock_move keeps it so. */
static int
check_ledger(struct checker *c)
{
	struct omsi_stmt *st = omsi_stmt(c->o, "WITH m AS (SELECT sku, sum(d_on_hand) AS h,"
	    " sum(d_reserved) AS r FROM stock_moves GROUP BY sku)"
	    " SELECT s.sku, 1, s.on_hand, s.reserved, coalesce(m.h, 0), coalesce(m.r, 0)"
	    " FROM stock s LEFT JOIN m ON m.sku = s.sku"
	    " WHERE s.on_hand IS NOT coalesce(m.h, 0) OR s.reserved IS NOT coalesce(m.r, 0)"
	    " UNION ALL SELECT m.sku, 0, 0, 0, m.h, m.r FROM m"
	    " WHERE NOT EXISTS (SELECT 1 FROM stock s WHERE s.sku = m.sku)"
	    " ORDER BY 1", "");
	char sku[80];
	int rc, prc = OMS_OK;

	if (st == NULL)
		return OMS_ESYS;
	while ((rc = NEXT(c, st, prc)) == OMSI_ROW) {
		shown(st, 0, sku, sizeof sku);
		if (col64(st, 1) == 0) {
			prc = problem(c, "stock", 0, omsi_text(st, 0), 0, "sku %s: no stock row, but"
			    " its ledger (stock_moves) sums to %lld on hand, %lld reserved", sku,
			    (long long)col64(st, 4), (long long)col64(st, 5));
			continue;
		}
		if (col64(st, 2) != col64(st, 4))
			prc = problem(c, "stock", 0, omsi_text(st, 0), 0, "sku %s: on hand %lld, but"
			    " its ledger (stock_moves) sums to %lld", sku, (long long)col64(st, 2),
			    (long long)col64(st, 4));
		if (prc == OMS_OK && col64(st, 3) != col64(st, 5))
			prc = problem(c, "stock", 0, omsi_text(st, 0), 0, "sku %s: reserved %lld, but"
			    " its ledger (stock_moves) sums to %lld", sku, (long long)col64(st, 3),
			    (long long)col64(st, 5));
	}
	if (finish(st, rc) != OMS_OK)
		return OMS_ESYS;
	/*
	 * stock's CHECK constraints, which integrity_check does not test on a
	 * database opened read-only.
	 */
	if ((st = omsi_stmt(c->o, "SELECT sku, on_hand, reserved FROM stock WHERE on_hand < 0"
	    " OR reserved < 0 OR reserved > on_hand ORDER BY sku", "")) == NULL)
		return OMS_ESYS;
	prc = OMS_OK;
	while ((rc = NEXT(c, st, prc)) == OMSI_ROW) {
		shown(st, 0, sku, sizeof sku);
		if (col64(st, 1) < 0 || col64(st, 2) < 0)
			prc = problem(c, "stock", 0, omsi_text(st, 0), 0, "sku %s: below zero (on hand"
			    " %lld, reserved %lld)", sku, (long long)col64(st, 1),
			    (long long)col64(st, 2));
		else
			prc = problem(c, "stock", 0, omsi_text(st, 0), 0, "sku %s: reserved %lld, more"
			    " than the %lld on hand", sku, (long long)col64(st, 2),
			    (long long)col64(st, 1));
	}
	return finish(st, rc);
}

/*
 * What is reserved is what order lines hold allocated: allocated counts
 * what is picked and not yet shipped too (picked is part of allocated),
 * and a shipment takes its units off both.
 */
static int
check_reserved(struct checker *c)
{
	struct omsi_stmt *st = omsi_stmt(c->o, "WITH l AS (SELECT sku, sum(allocated) AS a"
	    " FROM order_lines WHERE allocated != 0 GROUP BY sku)"
	    " SELECT s.sku, 1, s.reserved, coalesce(l.a, 0) FROM stock s LEFT JOIN l"
	    " ON l.sku = s.sku WHERE s.reserved IS NOT coalesce(l.a, 0)"
	    " UNION ALL SELECT l.sku, 0, 0, l.a FROM l"
	    " WHERE NOT EXISTS (SELECT 1 FROM stock s WHERE s.sku = l.sku)"
	    " ORDER BY 1", "");
	char sku[80];
	int rc, prc = OMS_OK;

	if (st == NULL)
		return OMS_ESYS;
	while ((rc = NEXT(c, st, prc)) == OMSI_ROW)
		prc = problem(c, "reserved", 0, omsi_text(st, 0), 0, "sku %s: reserved %lld%s, but"
		    " order lines hold %lld allocated", shown(st, 0, sku, sizeof sku),
		    (long long)col64(st, 2), col64(st, 1) ? "" : " (no stock row)",
		    (long long)col64(st, 3));
	return finish(st, rc);
}

/*
 * A line's quantities, as the schema's CHECK constraints and the tools
 * keep them (integrity_check does not test CHECK constraints on a database
 * opened read-only).
 */
static int
check_lines(struct checker *c)
{
#define LINES_SQL(MIN) "SELECT order_id, line_no, sku, qty, allocated," \
	    " picked, shipped, cancelled, returned FROM order_lines" \
	    " WHERE allocated + shipped + cancelled > qty OR picked > allocated" \
	    " OR returned > shipped OR " MIN "(qty - 1, allocated, picked, shipped, cancelled," \
	    " returned) < 0 ORDER BY order_id, line_no"
	/* SQLite's min() of several is LEAST on a server. */
	static const char lite_sql[] = LINES_SQL("min"), pg_sql[] = LINES_SQL("LEAST");
#undef LINES_SQL
	struct omsi_stmt *st = omsi_stmt(c->o, c->o->pg != NULL ? pg_sql : lite_sql, "");
	char sku[80];
	int64_t id, no, qty, a, p, s, x, r;
	int rc, prc = OMS_OK;

	if (st == NULL)
		return OMS_ESYS;
	while ((rc = NEXT(c, st, prc)) == OMSI_ROW) {
		id = col64(st, 0);
		no = col64(st, 1);
		shown(st, 2, sku, sizeof sku);
		qty = col64(st, 3);
		a = col64(st, 4);
		p = col64(st, 5);
		s = col64(st, 6);
		x = col64(st, 7);
		r = col64(st, 8);
		if (a + s + x > qty)
			prc = problem(c, "line", id, omsi_text(st, 2), 0, "order %lld: line %lld (%s):"
			    " allocated %lld + shipped %lld + cancelled %lld is %lld, more than the"
			    " %lld ordered", (long long)id, (long long)no, sku, (long long)a,
			    (long long)s, (long long)x, (long long)(a + s + x), (long long)qty);
		if (prc == OMS_OK && p > a)
			prc = problem(c, "line", id, omsi_text(st, 2), 0, "order %lld: line %lld (%s):"
			    " picked %lld, more than the %lld allocated", (long long)id,
			    (long long)no, sku, (long long)p, (long long)a);
		if (prc == OMS_OK && r > s)
			prc = problem(c, "line", id, omsi_text(st, 2), 0, "order %lld: line %lld (%s):"
			    " returned %lld, more than the %lld shipped", (long long)id,
			    (long long)no, sku, (long long)r, (long long)s);
		if (prc == OMS_OK && (qty <= 0 || a < 0 || p < 0 || s < 0 || x < 0 || r < 0))
			prc = problem(c, "line", id, omsi_text(st, 2), 0, "order %lld: line %lld (%s):"
			    " a quantity out of range (ordered %lld, allocated %lld, picked %lld,"
			    " shipped %lld, cancelled %lld, returned %lld)", (long long)id,
			    (long long)no, sku, (long long)qty, (long long)a, (long long)p,
			    (long long)s, (long long)x, (long long)r);
	}
	return finish(st, rc);
}

/*
 * Table waiting is what its writers keep it (lib/backorder.c, omsi_waiting_*):
 * per waiting order (authorized, backordered, allocated, picking) and SKU,
 * what its lines that take stock want, neither allocated, shipped nor
 * cancelled, keyed by the order's priority and time.  Allocation trusts
 * it to leave earlier orders their stock; a row wrong or missing lets a
 * later order take what an earlier one needs, or keeps it from stock.
 */
static int
check_waiting(struct checker *c)
{
	struct omsi_stmt *st = omsi_stmt(c->o, "WITH v (sku, neg_priority, placed_at, order_id, qty)"
	    " AS (" OMSI_SQL_WANTS " GROUP BY o.id, l.sku)"
	    " SELECT v.order_id, v.sku, v.qty, w.qty, v.neg_priority, v.placed_at,"
	    " w.neg_priority, w.placed_at FROM v LEFT JOIN waiting w"
	    " ON w.order_id = v.order_id AND w.sku = v.sku"
	    " WHERE w.qty IS NULL OR w.qty IS NOT v.qty OR w.neg_priority IS NOT v.neg_priority"
	    " OR w.placed_at IS NOT v.placed_at"
	    " UNION ALL SELECT w.order_id, w.sku, NULL, w.qty, NULL, NULL, w.neg_priority,"
	    " w.placed_at FROM waiting w WHERE NOT EXISTS (SELECT 1 FROM v"
	    " WHERE v.order_id = w.order_id AND v.sku = w.sku)"
	    " ORDER BY 1, 2", "");
	char sku[80], at[64], was[64];
	int64_t id;
	int rc, prc = OMS_OK;

	if (st == NULL)
		return OMS_ESYS;
	while ((rc = NEXT(c, st, prc)) == OMSI_ROW) {
		id = col64(st, 0);
		shown(st, 1, sku, sizeof sku);
		if (omsi_col_null(st, 3))
			prc = problem(c, "waiting", id, omsi_text(st, 1), 0, "order %lld: waits for"
			    " %lld of %s, but table waiting does not say so", (long long)id,
			    (long long)col64(st, 2), sku);
		else if (omsi_col_null(st, 2))
			prc = problem(c, "waiting", id, omsi_text(st, 1), 0, "order %lld: table"
			    " waiting says it waits for %lld of %s, but it waits for none",
			    (long long)id, (long long)col64(st, 3), sku);
		else if (col64(st, 2) != col64(st, 3))
			prc = problem(c, "waiting", id, omsi_text(st, 1), 0, "order %lld: waits for"
			    " %lld of %s, but table waiting says %lld", (long long)id,
			    (long long)col64(st, 2), sku, (long long)col64(st, 3));
		else
			prc = problem(c, "waiting", id, omsi_text(st, 1), 0, "order %lld: table"
			    " waiting has its %s at priority %lld, placed %s, but the order is at"
			    " priority %lld, placed %s", (long long)id, sku,
			    -(long long)col64(st, 6), shown(st, 7, was, sizeof was),
			    -(long long)col64(st, 4), shown(st, 5, at, sizeof at));
	}
	return finish(st, rc);
}

/*
 * A line without a SKU (sku '', lib/schema.c migration 9) says what its
 * source called the item, and nothing of it was reserved, picked or
 * shipped: there is no stock to take it from until an alias names one.
 */
static int
check_unresolved(struct checker *c)
{
	struct omsi_stmt *st = omsi_stmt(c->o, "SELECT order_id, line_no, item_key IS NULL,"
	    " allocated + picked + shipped FROM order_lines WHERE sku = ''"
	    " AND (item_key IS NULL OR allocated + picked + shipped > 0)"
	    " ORDER BY order_id, line_no", "");
	int64_t id, no;
	int rc, prc = OMS_OK;

	if (st == NULL)
		return OMS_ESYS;
	while ((rc = NEXT(c, st, prc)) == OMSI_ROW) {
		id = col64(st, 0);
		no = col64(st, 1);
		if (omsi_col_int(st, 2))
			prc = problem(c, "line", id, NULL, 0, "order %lld: line %lld has neither a"
			    " sku nor the source's key for one", (long long)id, (long long)no);
		else
			prc = problem(c, "line", id, NULL, 0, "order %lld: line %lld has no sku, but"
			    " %lld units of it were reserved, picked or shipped", (long long)id,
			    (long long)no, (long long)col64(st, 3));
	}
	return finish(st, rc);
}

/* What a line has shipped is what its shipments that are not void carried. */
static int
check_shipped(struct checker *c)
{
	struct omsi_stmt *st = omsi_stmt(c->o, "SELECT l.order_id, l.line_no, l.sku, l.shipped,"
	    " coalesce(x.q, 0) FROM order_lines l LEFT JOIN (SELECT sl.line_id, sum(sl.qty) AS q"
	    " FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id"
	    " WHERE s.status = 'shipped' GROUP BY sl.line_id) x ON x.line_id = l.id"
	    " WHERE l.shipped IS NOT coalesce(x.q, 0) ORDER BY l.order_id, l.line_no", "");
	char sku[80];
	int rc, prc = OMS_OK;

	if (st == NULL)
		return OMS_ESYS;
	while ((rc = NEXT(c, st, prc)) == OMSI_ROW)
		prc = problem(c, "shipment", col64(st, 0), omsi_text(st, 2), 0,
		    "order %lld: line %lld (%s): shipped %lld but shipment lines say %lld",
		    (long long)col64(st, 0), (long long)col64(st, 1), shown(st, 2, sku, sizeof sku),
		    (long long)col64(st, 3), (long long)col64(st, 4));
	return finish(st, rc);
}

/*
 * What oms kept of an X12 850 belongs to the order imported from it: the
 * order's source is the 850's sender ("x12:" and ISA06), and a line's
 * units and IDs are those of an order that has its envelope kept.  (Its
 * quantity is not held to the 850's: oms-order edit may change it.)
 */
static int
check_x12(struct checker *c)
{
	struct omsi_stmt *st = omsi_stmt(c->o, "SELECT o.id, 0, NULL, 'kept as from an X12 850 of '"
	    " || x.sender_id || ', but its source is ' || o.source FROM x12_orders x JOIN orders o"
	    " ON o.id = x.order_id WHERE o.source IS NOT 'x12:' || x.sender_id"
	    " UNION ALL SELECT l.order_id, l.line_no, l.sku, 'line ' || l.line_no || ' (' || l.sku"
	    " || ') has the units and IDs of an 850, but the order has no 850 envelope kept'"
	    " FROM x12_lines x JOIN order_lines l ON l.id = x.line_id WHERE NOT EXISTS"
	    " (SELECT 1 FROM x12_orders e WHERE e.order_id = l.order_id) ORDER BY 1, 2", "");
	char msg[400];
	int rc, prc = OMS_OK;

	if (st == NULL)
		return OMS_ESYS;
	while ((rc = NEXT(c, st, prc)) == OMSI_ROW)
		prc = problem(c, "x12", col64(st, 0), omsi_text(st, 2), 0, "order %lld: %s",
		    (long long)col64(st, 0), shown(st, 3, msg, sizeof msg));
	return finish(st, rc);
}

/*
 * Per authorization, only succeeded rows moved money (oms-db(5),
 * payments): captures at most what it authorized, none at all of one that
 * did not succeed, refunds at most what was captured.
 */
static int
check_payments(struct checker *c)
{
	struct omsi_stmt *st = omsi_stmt(c->o, "SELECT a.id, a.order_id, a.amount, a.currency,"
	    " a.status, coalesce(x.cap, 0), coalesce(x.ref, 0) FROM payments a JOIN (SELECT"
	    " parent_id, sum(CASE kind WHEN 'capture' THEN amount END) AS cap,"
	    " sum(CASE kind WHEN 'refund' THEN amount END) AS ref FROM payments"
	    " WHERE status = 'succeeded' AND parent_id IS NOT NULL GROUP BY parent_id) x"
	    " ON x.parent_id = a.id WHERE a.kind = 'authorize' AND (coalesce(x.cap, 0) >"
	    " CASE a.status WHEN 'succeeded' THEN a.amount ELSE 0 END"
	    " OR coalesce(x.ref, 0) > coalesce(x.cap, 0)) ORDER BY a.id", "");
	char cur[8], status[16], pkind[16], m1[OMS_MONEY_MAX], m2[OMS_MONEY_MAX];
	int64_t id, order, amount, cap, ref;
	int rc, prc = OMS_OK;

	if (st == NULL)
		return OMS_ESYS;
	while ((rc = NEXT(c, st, prc)) == OMSI_ROW) {
		id = col64(st, 0);
		order = col64(st, 1);
		amount = col64(st, 2);
		shown(st, 3, cur, sizeof cur);
		shown(st, 4, status, sizeof status);
		cap = col64(st, 5);
		ref = col64(st, 6);
		if (strcmp(status, "succeeded") != 0 && cap > 0)
			prc = problem(c, "payment", order, NULL, id, "payment %lld (order %lld):"
			    " captured %s %s of an authorization that is %s", (long long)id,
			    (long long)order, oms_money_format(m1, cap, cur), cur, status);
		else if (cap > amount)
			prc = problem(c, "payment", order, NULL, id, "payment %lld (order %lld):"
			    " captured %s %s, more than the %s authorized", (long long)id,
			    (long long)order, oms_money_format(m1, cap, cur), cur,
			    oms_money_format(m2, amount, cur));
		if (prc == OMS_OK && ref > cap)
			prc = problem(c, "payment", order, NULL, id, "payment %lld (order %lld):"
			    " refunded %s %s, more than the %s captured", (long long)id,
			    (long long)order, oms_money_format(m1, ref, cur), cur,
			    oms_money_format(m2, cap, cur));
	}
	if (finish(st, rc) != OMS_OK)
		return OMS_ESYS;
	/* A capture, void or refund acts on an authorization of its own order. */
	st = omsi_stmt(c->o, "SELECT p.id, p.order_id, p.kind, a.id, a.kind, a.order_id"
	    " FROM payments p JOIN payments a ON a.id = p.parent_id"
	    " WHERE a.kind != 'authorize' OR a.order_id != p.order_id ORDER BY p.id", "");
	if (st == NULL)
		return OMS_ESYS;
	prc = OMS_OK;
	while ((rc = NEXT(c, st, prc)) == OMSI_ROW) {
		shown(st, 2, status, sizeof status);
		shown(st, 4, pkind, sizeof pkind);
		if (strcmp(pkind, "authorize") != 0)
			prc = problem(c, "payment", col64(st, 1), NULL, col64(st, 0), "payment %lld"
			    " (order %lld): a %s of payment %lld, which is a %s, not an authorization",
			    (long long)col64(st, 0), (long long)col64(st, 1), status,
			    (long long)col64(st, 3), pkind);
		else
			prc = problem(c, "payment", col64(st, 1), NULL, col64(st, 0), "payment %lld"
			    " (order %lld): a %s of payment %lld, which is order %lld's",
			    (long long)col64(st, 0), (long long)col64(st, 1), status,
			    (long long)col64(st, 3), (long long)col64(st, 5));
	}
	return finish(st, rc);
}

/* A request with no answer for long: a crash, or a gateway that never answered. */
static int
check_pending(struct checker *c, long hours)
{
	char cutoff[32], kind[16], cur[8], tool[64], at[32], m[OMS_MONEY_MAX];
	time_t t = time(NULL) - (time_t)hours * 3600;
	struct tm tm;
	struct omsi_stmt *st;
	int rc, prc = OMS_OK;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(cutoff, sizeof cutoff, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		oms_warnx("--pending-hours: %ld hours ago is not a time", hours);
		return OMS_ESYS;
	}
	/* Times are UTC ISO 8601 text, which compares as it sorts. */
	if ((st = omsi_stmt(c->o, "SELECT id, order_id, kind, amount, currency, created_at,"
	    " tool FROM payments WHERE status = 'pending' AND created_at <= ? ORDER BY id",
	    "t", cutoff)) == NULL)
		return OMS_ESYS;
	while ((rc = NEXT(c, st, prc)) == OMSI_ROW) {
		shown(st, 2, kind, sizeof kind);
		shown(st, 4, cur, sizeof cur);
		prc = problem(c, "pending", col64(st, 1), NULL, col64(st, 0), "payment %lld"
		    " (order %lld): %s of %s %s pending since %s, %ld hours or more with no answer"
		    " from the gateway recorded (written by %s)", (long long)col64(st, 0),
		    (long long)col64(st, 1), kind, oms_money_format(m, col64(st, 3), cur), cur,
		    shown(st, 5, at, sizeof at), hours, shown(st, 6, tool, sizeof tool));
	}
	return finish(st, rc);
}

/*
 * status_text says where the order in st's columns col (status) and col + 1
 * (held_from) stands: "allocated", or "on hold from allocated".
 */
static const char *
status_text(char *buf, size_t len, struct omsi_stmt *st, int col)
{
	char status[16], held[16];

	shown(st, col, status, sizeof status);
	if (strcmp(status, "hold") == 0)
		snprintf(buf, len, "on hold from %s", shown(st, col + 1, held, sizeof held));
	else
		snprintf(buf, len, "%s", status);
	return buf;
}

/*
 * An order's status agrees with its lines.  A held order is held to the
 * status it was held from.  Before allocation nothing is reserved or
 * shipped, unless an edit sent the order back; an open order has something open; an allocated or picking one
 * has something reserved (else no tool would move it on); a backordered
 * one has nothing picked (picked goods make it picking); a shipped one has
 * nothing open and something shipped; a cancelled one nothing reserved and
 * nothing open.
 */
static int
check_status(struct checker *c)
{
#define STATUS_SQL(MAX) "SELECT id, status, coalesce(held_from, '')," \
	    " coalesce(e, ''), n, a, p, s, open, sopen FROM (SELECT o.id AS id, o.status AS status," \
	    " o.held_from AS held_from," \
	    " CASE o.status WHEN 'hold' THEN o.held_from ELSE o.status END AS e," \
	    " count(l.id) AS n, coalesce(sum(l.allocated), 0) AS a," \
	    " coalesce(sum(l.picked), 0) AS p, coalesce(sum(l.shipped), 0) AS s," \
	    /* A line shipped or cancelled beyond its quantity is check_lines' to report. */ \
	    " coalesce(sum(" MAX "(l.qty - l.shipped - l.cancelled, 0)), 0) AS open," \
	    /* What there is to ship: a line that needs no shipping waits for nothing. */ \
	    " coalesce(sum(CASE WHEN l.needs_shipping = 1 THEN " MAX "(l.qty - l.shipped" \
	    " - l.cancelled, 0) ELSE 0 END), 0) AS sopen," \
	    " EXISTS (SELECT 1 FROM events v WHERE v.order_id = o.id AND v.what = 'edit') AS edited" \
	    " FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id GROUP BY o.id) AS t" \
	    " WHERE n = 0" \
	    " OR (e IN ('new', 'verified', 'authorized') AND (a != 0 OR s != 0) AND NOT edited)" \
	    " OR (e IN ('new', 'verified', 'authorized', 'backordered', 'allocated', 'picking')" \
	    "  AND open <= 0)" \
	    " OR (e = 'backordered' AND p != 0)" \
	    " OR (e IN ('allocated', 'picking') AND a <= 0 AND sopen > 0)" \
	    " OR (e = 'shipped' AND (sopen != 0 OR s <= 0))" \
	    " OR (e = 'cancelled' AND (a != 0 OR open != 0))" \
	    " ORDER BY id"
	/* SQLite's max() of two is GREATEST on a server. */
	static const char lite_sql[] = STATUS_SQL("max"), pg_sql[] = STATUS_SQL("GREATEST");
#undef STATUS_SQL
	struct omsi_stmt *st = omsi_stmt(c->o, c->o->pg != NULL ? pg_sql : lite_sql, "");
	char what[64], e[16], u[48];
	int64_t id, n, a, p, s, open, sopen;
	int rc, prc = OMS_OK, before, edited;

	if (st == NULL)
		return OMS_ESYS;
	while ((rc = NEXT(c, st, prc)) == OMSI_ROW) {
		id = col64(st, 0);
		status_text(what, sizeof what, st, 1);
		snprintf(e, sizeof e, "%s", omsi_text(st, 3));
		n = col64(st, 4);
		a = col64(st, 5);
		p = col64(st, 6);
		s = col64(st, 7);
		open = col64(st, 8);
		sopen = col64(st, 9);
		/*
		 * An edit sends an order back for its address or its card and
		 * keeps what it holds and what shipped (oms-order(1), EDIT).
		 */
		before = strcmp(e, "new") == 0 || strcmp(e, "verified") == 0 ||
		    strcmp(e, "authorized") == 0;
		edited = omsi_col_int(st, 10);
#define P(...) (prc = prc == OMS_OK ? problem(c, "status", id, NULL, 0, __VA_ARGS__) : prc)
		if (n == 0) {
			P("order %lld: %s, but it has no lines", (long long)id, what);
			continue;
		}
		if (before && !edited && a != 0)
			P("order %lld: %s, but %s allocated", (long long)id, what,
			    units(u, sizeof u, a, "is", "are"));
		if (before && !edited && s != 0)
			P("order %lld: %s, but %s shipped", (long long)id, what,
			    units(u, sizeof u, s, "has", "have"));
		if ((before || strcmp(e, "backordered") == 0 || strcmp(e, "allocated") == 0 ||
		    strcmp(e, "picking") == 0) && open <= 0)
			P("order %lld: %s, but nothing of it is open: every unit has shipped or"
			    " been cancelled", (long long)id, what);
		if (strcmp(e, "backordered") == 0 && p != 0)
			P("order %lld: %s, but %s picked", (long long)id, what,
			    units(u, sizeof u, p, "is", "are"));
		if ((strcmp(e, "allocated") == 0 || strcmp(e, "picking") == 0) && a <= 0 && sopen > 0)
			P("order %lld: %s, but nothing is reserved for it", (long long)id, what);
		if (strcmp(e, "shipped") == 0 && sopen != 0)
			P("order %lld: %s, but %s still open", (long long)id, what,
			    units(u, sizeof u, sopen, "is", "are"));
		if (strcmp(e, "shipped") == 0 && s <= 0)
			P("order %lld: %s, but none of it has shipped", (long long)id, what);
		if (strcmp(e, "cancelled") == 0 && a != 0)
			P("order %lld: %s, but %s still allocated", (long long)id, what,
			    units(u, sizeof u, a, "is", "are"));
		if (strcmp(e, "cancelled") == 0 && open != 0)
			P("order %lld: %s, but %s neither shipped nor cancelled", (long long)id, what,
			    units(u, sizeof u, open, "is", "are"));
#undef P
	}
	return finish(st, rc);
}

/*
 * Every change of status writes an event (lib/order.c): an order's status
 * is the to_status of its latest event that has one, and a held order was
 * held from that event's from_status.
 */
static int
check_history(struct checker *c)
{
	struct omsi_stmt *st = omsi_stmt(c->o, "SELECT o.id, o.status, coalesce(o.held_from, ''),"
	    " e.id, coalesce(e.from_status, ''), e.to_status, e.what FROM orders o"
	    " LEFT JOIN events e ON e.id = (SELECT x.id FROM events x WHERE x.order_id = o.id"
	    " AND x.to_status IS NOT NULL ORDER BY x.id DESC LIMIT 1)"
	    " WHERE e.id IS NULL OR e.to_status IS NOT o.status"
	    " OR (o.status = 'hold' AND e.from_status IS NOT o.held_from) ORDER BY o.id", "");
	char what[64], ev[64], to[16], from[16];
	int64_t id;
	int rc, prc = OMS_OK;

	if (st == NULL)
		return OMS_ESYS;
	while ((rc = NEXT(c, st, prc)) == OMSI_ROW) {
		id = col64(st, 0);
		status_text(what, sizeof what, st, 1);
		if (omsi_col_null(st, 3)) {
			prc = problem(c, "history", id, NULL, 0, "order %lld: %s, but no event in its"
			    " history gives it a status", (long long)id, what);
			continue;
		}
		shown(st, 4, from, sizeof from);
		shown(st, 5, to, sizeof to);
		shown(st, 6, ev, sizeof ev);
		if (strcmp(to, omsi_text(st, 1)) != 0)
			prc = problem(c, "history", id, NULL, 0, "order %lld: %s, but its history's"
			    " last change of status (event %lld, %s) is to %s", (long long)id, what,
			    (long long)col64(st, 3), ev, to);
		else
			prc = problem(c, "history", id, NULL, 0, "order %lld: %s, but its history's"
			    " hold (event %lld) is from %s", (long long)id, what,
			    (long long)col64(st, 3), *from ? from : "no status");
	}
	return finish(st, rc);
}

int
oms_db_check(struct oms *o, long pending_hours, enum oms_format f, FILE *out, long *nproblems)
{
	static const struct oms_column cols[] = {
		{ "kind", OMS_CELL_STR }, { "order", OMS_CELL_INT }, { "sku", OMS_CELL_STR },
		{ "payment", OMS_CELL_INT }, { "message", OMS_CELL_STR },
	};
	struct checker c = { .o = o, .out = out };
	int rc;

	*nproblems = 0;
	if (f != OMS_FMT_TEXT && (c.t = oms_table_new(out, f, cols, 5)) == NULL)
		return OMS_ESYS;
	/*
	 * One snapshot: what others commit meanwhile is not half seen (a
	 * server's transaction has one only at REPEATABLE READ).  The server
	 * enforces foreign keys itself while check_enforced finds it does.
	 */
	if ((rc = omsi_exec_script(o, o->pg != NULL ? "BEGIN ISOLATION LEVEL REPEATABLE READ"
	    " READ ONLY" : "BEGIN")) == OMS_OK) {
		if ((rc = o->pg != NULL ? check_enforced(&c) : check_integrity(&c)) == OMS_OK &&
		    (o->pg != NULL || (rc = check_foreign_keys(&c)) == OMS_OK) &&
		    (rc = check_ledger(&c)) == OMS_OK &&
		    (rc = check_reserved(&c)) == OMS_OK &&
		    (rc = check_lines(&c)) == OMS_OK &&
		    (rc = check_waiting(&c)) == OMS_OK &&
		    (rc = check_unresolved(&c)) == OMS_OK &&
		    (rc = check_shipped(&c)) == OMS_OK &&
		    (rc = check_payments(&c)) == OMS_OK &&
		    (rc = check_pending(&c, pending_hours)) == OMS_OK &&
		    (rc = check_status(&c)) == OMS_OK &&
		    (rc = check_history(&c)) == OMS_OK)
			rc = check_x12(&c);
		oms_rollback(o);
	}
	if (c.t != NULL && oms_table_end(c.t) != OMS_OK && rc == OMS_OK)
		rc = OMS_ESYS;
	*nproblems = c.n;
	if (rc != OMS_OK)
		return OMS_ESYS;
	return c.n > 0 ? OMS_EINPUT : OMS_OK;
}

/*
 * own_file says whether path is the database or one of SQLite's files
 * beside it (-wal, -shm, -journal): the same file (links followed) or,
 * for one that does not exist now, the same name in the same directory.
 * Writes which into *which.
 */
static int
own_file(struct oms *o, const char *path, const char **which)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char name[PATH_MAX + 16], dir[PATH_MAX], real[PATH_MAX], want[PATH_MAX + 16];
	const char *base, *slash;
	struct stat a, b;
	size_t i;

	if (realpath(oms_db_path(o), real) == NULL)
		snprintf(real, sizeof real, "%s", oms_db_path(o));
	/* The name path would have, with its directory resolved. */
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + (slash == path) : 1,
	    slash ? path : ".");
	if (realpath(dir, want) == NULL)
		snprintf(want, sizeof want, "%s", dir);
	snprintf(want + strlen(want), sizeof want - strlen(want), "/%s", base);
	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		*which = suffix[i];
		snprintf(name, sizeof name, "%s%s", oms_db_path(o), suffix[i]);
		if (stat(path, &a) == 0 && stat(name, &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			return 1;
		snprintf(name, sizeof name, "%s%s", real, suffix[i]);
		if (strcmp(name, want) == 0)
			return 1;
	}
	return 0;
}

/* remove_copy takes away a copy that did not come out whole, and SQLite's files beside it. */
static void
remove_copy(const char *tmp)
{
	static const char *const suffix[] = { "", "-journal", "-wal", "-shm" };
	char name[PATH_MAX + 16];
	size_t i;

	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(name, sizeof name, "%s%s", tmp, suffix[i]);
		unlink(name);
	}
}

/* sync_path makes what was written to path (a file or a directory) durable. */
static int
sync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* copy_pages runs the backup into dst, from one snapshot of o's database. */
static int
copy_pages(struct oms *o, sqlite3 *dst, const char *path)
{
	sqlite3_backup *b;
	int rc, tries = 0;

	/*
	 * A read transaction held over every step: in WAL mode it does not
	 * stop writers, and the copy does not start over each time one
	 * commits, as it would between steps without it.
	 */
	if (omsi_exec_script(o, "BEGIN; SELECT count(*) FROM sqlite_schema;") != OMS_OK)
		return OMS_ESYS;
	if ((b = sqlite3_backup_init(dst, "main", o->db, "main")) == NULL) {
		oms_warnx("%s: backup: %s", path, sqlite3_errmsg(dst));
		oms_rollback(o);
		return OMS_ESYS;
	}
	do {
		rc = sqlite3_backup_step(b, 1024);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(10);
	} while (rc == SQLITE_OK || ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && ++tries < 6000));
	if (sqlite3_backup_finish(b) != SQLITE_OK && rc == SQLITE_DONE)
		rc = sqlite3_errcode(dst);
	oms_rollback(o);
	if (rc != SQLITE_DONE) {
		oms_warnx("%s: backup: %s", path, sqlite3_errstr(rc));
		return OMS_ESYS;
	}
	return OMS_OK;
}

/* verify_copy runs PRAGMA integrity_check on the copy: OMS_OK when it says ok. */
static int
verify_copy(sqlite3 *dst, const char *path)
{
	sqlite3_stmt *st;
	const char *s;
	char buf[256];
	int rc;

	if (sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
		oms_warnx("%s: backup: check: %s", path, sqlite3_errmsg(dst));
		return OMS_ESYS;
	}
	rc = sqlite3_step(st);
	s = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	if (s == NULL || strcmp(s, "ok") != 0) {
		oms_warnx("%s: backup: the copy fails its integrity check: %s", path,
		    s ? omsi_shown(s, buf, sizeof buf) : sqlite3_errmsg(dst));
		sqlite3_finalize(st);
		return OMS_ESYS;
	}
	sqlite3_finalize(st);
	return OMS_OK;
}

int
oms_db_backup(struct oms *o, const char *path)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	const char *slash = strrchr(path, '/'), *which;
	sqlite3 *dst = NULL;
	struct stat sb;
	int fd, rc;

	if (o->pg != NULL) {
		oms_warnx("%s: backup is for a SQLite file: back up a server's database with its own"
		    " tools (pg_dump, pg_basebackup)", oms_db_path(o));
		return OMS_EUSAGE;
	}
	if (*path == '\0') {
		oms_warnx("backup: the name of the copy is empty");
		return OMS_EUSAGE;
	}
	if (own_file(o, path, &which)) {
		oms_warnx("%s: is the database%s%s itself: the backup needs a name of its own",
		    path, *which ? "'s " : "", which);
		return OMS_EUSAGE;
	}
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		oms_warnx("%s: not a regular file", path);
		return OMS_EUSAGE;
	}
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + (slash == path) : 1,
	    slash ? path : ".");
	/* In the same directory, so that the rename is atomic; hidden, so never taken for a copy. */
	if ((size_t)snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, slash ? slash + 1 : path) >=
	    sizeof tmp) {
		oms_warnx("%s: path too long", path);
		return OMS_EUSAGE;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		oms_warn("%s: cannot create a file in %s", path, dir);
		return OMS_ESYS;
	}
	/* 0600 whatever the umask: a copy holds everything the database does. */
	if (fchmod(fd, 0600) != 0) {
		oms_warn("%s: chmod", tmp);
		close(fd);
		remove_copy(tmp);
		return OMS_ESYS;
	}
	close(fd);
	rc = OMS_ESYS;
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		oms_warnx("%s: cannot open: %s", tmp, dst ? sqlite3_errmsg(dst) : "out of memory");
		goto fail;
	}
	if (copy_pages(o, dst, path) != OMS_OK || verify_copy(dst, path) != OMS_OK)
		goto fail;
	if (sqlite3_close(dst) != SQLITE_OK) {
		oms_warnx("%s: close: %s", tmp, sqlite3_errmsg(dst));
		goto fail;
	}
	dst = NULL;
	if (sync_path(tmp, O_RDONLY) != 0) {
		oms_warn("%s: fsync", tmp);
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		oms_warn("%s: cannot rename %s to it", path, tmp);
		goto fail;
	}
	/* The rename itself survives a crash once the directory is synced. */
	if (sync_path(dir, O_RDONLY | O_DIRECTORY) != 0) {
		oms_warn("%s: fsync", dir);
		return OMS_ESYS;
	}
	return OMS_OK;
fail:
	if (dst != NULL)
		sqlite3_close(dst);
	remove_copy(tmp);
	return rc;
}

/* info_int runs a query of one number into obj under key: 0 or -1 (reported). */
static int
info_int(struct oms *o, json_t *obj, const char *key, const char *sql)
{
	int64_t v;

	if (omsi_int(o, &v, sql, "") != OMS_OK)
		return -1;
	return json_object_set_new(obj, key, json_integer(v));
}

/* info_text runs a query of one text (or NULL) into obj under key. */
static int
info_text(struct oms *o, json_t *obj, const char *key, const char *sql)
{
	struct omsi_stmt *st = omsi_stmt(o, sql, "");
	const char *s;
	int rc;

	if (st == NULL || omsi_step(o, st) != OMSI_ROW) {
		if (st != NULL)
			omsi_reset(st);
		return -1;
	}
	s = omsi_text(st, 0);
	rc = json_object_set_new(obj, key, s ? json_string(s) : json_null());
	omsi_reset(st);
	return rc;
}

/* info_counts fills obj with every name from names at 0, then the query's (name, count) rows. */
static int
info_counts(struct oms *o, json_t *obj, const char *const *names, const char *sql)
{
	struct omsi_stmt *st;
	int rc;

	for (; names != NULL && *names != NULL; names++)
		if (json_object_set_new(obj, *names, json_integer(0)) != 0)
			return -1;
	if ((st = omsi_stmt(o, sql, "")) == NULL)
		return -1;
	while ((rc = omsi_step(o, st)) == OMSI_ROW)
		if (json_object_set_new(obj, omsi_text(st, 0) ? omsi_text(st, 0) : "",
		    json_integer(omsi_col_int64(st, 1))) != 0) {
			rc = -1;
			break;
		}
	omsi_reset(st);
	return rc == OMSI_DONE ? 0 : -1;
}

static json_t *
info_object(json_t *parent, const char *key)
{
	json_t *obj = json_object();

	if (obj == NULL || json_object_set_new(parent, key, obj) != 0)
		return NULL;
	return obj;
}

/* file_size is a file's size in bytes, 0 when it is not there. */
static int64_t
file_size(const char *db, const char *suffix)
{
	char name[PATH_MAX + 8];
	struct stat sb;

	snprintf(name, sizeof name, "%s%s", db, suffix);
	return stat(name, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

/* info_build reads everything info shows into doc, from one snapshot. */
static int
info_build(struct oms *o, json_t *doc)
{
	static const char *const statuses[] = { "new", "verified", "authorized", "backordered",
	    "allocated", "picking", "shipped", "hold", "cancelled", NULL };
	char real[PATH_MAX];
	json_t *x;

	/* A server's: its URI as shown (no password), its version, the database's size. */
	if (o->pg != NULL) {
		if (json_object_set_new(doc, "uri", json_string(oms_db_path(o))) != 0 ||
		    info_int(o, doc, "schema_version", "SELECT version FROM oms_meta") != 0 ||
		    info_text(o, doc, "server_version", "SELECT current_setting('server_version')") ||
		    info_int(o, doc, "db_bytes", "SELECT pg_database_size(current_database())") != 0)
			return -1;
	} else if (json_object_set_new(doc, "path", json_string(realpath(oms_db_path(o), real) ?
	    real : oms_db_path(o))) != 0 ||
	    info_int(o, doc, "schema_version", "PRAGMA user_version") != 0 ||
	    json_object_set_new(doc, "sqlite_version", json_string(sqlite3_libversion())) != 0 ||
	    info_text(o, doc, "journal_mode", "PRAGMA journal_mode") != 0 ||
	    json_object_set_new(doc, "db_bytes", json_integer(file_size(oms_db_path(o), ""))) ||
	    json_object_set_new(doc, "wal_bytes",
	    json_integer(file_size(oms_db_path(o), "-wal"))) != 0 ||
	    info_int(o, doc, "page_size", "PRAGMA page_size") != 0 ||
	    info_int(o, doc, "page_count", "PRAGMA page_count") != 0 ||
	    info_int(o, doc, "freelist_count", "PRAGMA freelist_count") != 0)
		return -1;
	if ((x = info_object(doc, "orders")) == NULL ||
	    info_int(o, x, "total", "SELECT count(*) FROM orders") != 0 ||
	    info_counts(o, x, statuses, "SELECT status, count(*) FROM orders GROUP BY status") ||
	    info_text(o, x, "oldest_open", "SELECT min(placed_at) FROM orders WHERE status"
	    " NOT IN ('shipped', 'cancelled')") != 0 ||
	    info_text(o, x, "last_placed", "SELECT max(placed_at) FROM orders") != 0)
		return -1;
	if ((x = info_object(doc, "held")) == NULL ||
	    info_counts(o, x, NULL, "SELECT coalesce(hold_reason, '?'), count(*) FROM orders"
	    " WHERE status = 'hold' GROUP BY 1 ORDER BY 1") != 0)
		return -1;
	if ((x = info_object(doc, "stock")) == NULL ||
	    info_int(o, x, "skus", "SELECT count(*) FROM items") != 0 ||
	    info_int(o, x, "on_hand", "SELECT coalesce(sum(on_hand), 0) FROM stock") != 0 ||
	    info_int(o, x, "reserved", "SELECT coalesce(sum(reserved), 0) FROM stock") != 0 ||
	    info_int(o, x, "backordered", "SELECT coalesce(sum(l.qty - l.allocated - l.shipped"
	    " - l.cancelled), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE"
	    " o.status IN ('authorized', 'backordered', 'allocated', 'picking')") != 0 ||
	    info_int(o, x, "moves", "SELECT coalesce(max(id), 0) FROM stock_moves") != 0)
		return -1;
	if ((x = info_object(doc, "payments")) == NULL ||
	    info_int(o, x, "total", "SELECT count(*) FROM payments") != 0 ||
	    info_int(o, x, "pending", "SELECT count(*) FROM payments WHERE status = 'pending'") ||
	    info_text(o, x, "oldest_pending", "SELECT min(created_at) FROM payments"
	    " WHERE status = 'pending'") != 0)
		return -1;
	if ((x = info_object(doc, "pick_lists")) == NULL ||
	    info_int(o, x, "open", "SELECT count(*) FROM pick_lists WHERE status = 'open'") != 0)
		return -1;
	if ((x = info_object(doc, "shipments")) == NULL ||
	    info_int(o, x, "shipped", "SELECT count(*) FROM shipments WHERE status = 'shipped'") ||
	    info_int(o, x, "void", "SELECT count(*) FROM shipments WHERE status = 'void'") != 0 ||
	    info_text(o, x, "last", "SELECT max(shipped_at) FROM shipments") != 0)
		return -1;
	if ((x = info_object(doc, "events")) == NULL ||
	    info_int(o, x, "total", "SELECT coalesce(max(id), 0) FROM events") != 0 ||
	    info_text(o, x, "last", "SELECT at FROM events ORDER BY id DESC LIMIT 1") != 0)
		return -1;
	return 0;
}

/* info_print writes obj as "key: value" lines, nested keys joined by dots. */
static void
info_print(FILE *out, const char *prefix, json_t *obj)
{
	char key[128], buf[PATH_MAX];
	const char *k;
	json_t *v;

	json_object_foreach(obj, k, v) {
		snprintf(key, sizeof key, "%s%s%s", prefix, *prefix ? "." : "", k);
		if (json_is_object(v))
			info_print(out, key, v);
		else if (json_is_integer(v))
			fprintf(out, "%s: %lld\n", key, (long long)json_integer_value(v));
		else if (json_is_string(v))
			fprintf(out, "%s: %s\n", key, omsi_shown(json_string_value(v), buf, sizeof buf));
		else
			fprintf(out, "%s: -\n", key);
	}
}

int
oms_db_info(struct oms *o, enum oms_format f, FILE *out)
{
	json_t *doc = json_object();
	int rc = OMS_ESYS;

	if (doc == NULL) {
		oms_warnx("out of memory");
		return OMS_ESYS;
	}
	/* Numbers that add up: all from one snapshot. */
	if (omsi_exec_script(o, o->pg != NULL ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" :
	    "BEGIN") != OMS_OK)
		goto out;
	if (info_build(o, doc) != 0) {
		oms_rollback(o);
		/* A failed query was reported; a failed json call was memory. */
		oms_warnx("%s: info: could not read it all", oms_db_path(o));
		goto out;
	}
	oms_rollback(o);
	if (f == OMS_FMT_JSON) {
		if (json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
			goto out;
		fputc('\n', out);
	} else {
		info_print(out, "", doc);
	}
	rc = ferror(out) ? OMS_ESYS : OMS_OK;
out:
	json_decref(doc);
	return rc;
}
