/*
 * Query plans on the per-order paths: one order taken through every step
 * (verify, authorize, allocate, pick, ship) and shown, each by the
 * library as the tools call it, then every statement each step prepared
 * (the handle's statement cache) explained with EXPLAIN QUERY PLAN.  A
 * step on one order must read that order's rows by an index: a SCAN of a
 * table (or of a whole index) is work that grows with the database, not
 * with the batch.
 */
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <oms/backorder.h>
#include <oms/order.h>
#include <oms/pay.h>
#include <oms/pick.h>
#include <oms/ship.h>
#include <oms/verify.h>

#include "internal.h"
#include "tap.h"

static const char setup[] =
    "INSERT INTO items (sku, description, weight_pg, bin, price, currency, updated_at)"
    "  VALUES ('A1', 'Widget', 500000000000000, 'A-01-01', 999, 'USD', '2026-11-01T00:00:00Z'),"
    "  ('B2', 'Gadget', 700000000000000, 'A-02-01', 1950, 'USD', '2026-11-01T00:00:00Z');"
    "INSERT INTO stock_moves (at, sku, kind, d_on_hand, d_reserved, tool, user)"
    "  VALUES ('2026-11-01T00:00:00Z', 'A1', 'receive', 10, 0, 'plans', 'tester'),"
    "  ('2026-11-01T00:00:00Z', 'B2', 'receive', 10, 0, 'plans', 'tester');"
    "INSERT INTO stock (sku, on_hand) VALUES ('A1', 10), ('B2', 10);"
    "INSERT INTO orders (id, source, external_id, ship_name, ship_line1, ship_city, ship_region,"
    "  ship_postal_code, ship_country, placed_at, created_at, updated_at, currency, subtotal,"
    "  total, payment_method) VALUES (1, 'phone', 'P1', 'Pat Doe', '1 Main St', 'Reno', 'NV',"
    "  '89501', 'US', '2026-11-02T09:00:00Z', '2026-11-02T09:00:00Z', '2026-11-02T09:00:00Z',"
    "  'USD', 3948, 3948, 'prepaid');"
    "INSERT INTO order_lines (order_id, line_no, sku, qty, unit_price)"
    "  VALUES (1, 1, 'A1', 2, 999), (1, 2, 'B2', 1, 1950);"
    "INSERT INTO events (order_id, at, tool, user, what, to_status)"
    "  VALUES (1, '2026-11-02T09:00:00Z', 'plans', 'tester', 'created', 'new');";

static char dbpath[256];

static struct oms *
open_db(int create)
{
	struct oms_opts opts = { .db_path = dbpath, .quiet = 1, .create = create };
	struct oms *o;

	if (oms_open(&o, &opts) != OMS_OK)
		errx(1, "cannot open %s", dbpath);
	return o;
}

/*
 * check explains every statement the step prepared, says whether any
 * scans, and closes the handle (the next step starts with no statements).
 */
static void
check(struct oms *o, const char *step, int rc)
{
	sqlite3_stmt *st;
	char sql[8192];
	const char *d;
	size_t i;
	int scans = 0;

	ok(rc == OMS_OK, "%s: exit status 0 (%d)", step, rc);
	ok(o->nstmts > 0, "%s: prepared %zu statements", step, o->nstmts);
	for (i = 0; i < o->nstmts; i++) {
		snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", o->stmts[i]->sql);
		if (sqlite3_prepare_v2(o->db, sql, -1, &st, NULL) != SQLITE_OK)
			errx(1, "%s: %s", sqlite3_errmsg(o->db), sql);
		while (sqlite3_step(st) == SQLITE_ROW) {
			d = (const char *)sqlite3_column_text(st, 3);
			/* A subquery run once, or a row of constants, is no scan of a table. */
			if (strncmp(d, "SCAN ", 5) != 0 || strcmp(d, "SCAN CONSTANT ROW") == 0)
				continue;
			scans++;
			printf("#   %s: %s\n#     in: %s\n", step, d, o->stmts[i]->sql);
		}
		sqlite3_finalize(st);
	}
	ok(scans == 0, "%s: no statement scans a table", step);
	oms_close(o);
}

/*
 * plan_of writes into buf the plan of the cached statement whose SQL has
 * needle (its rows' details joined by "; "); "" when none has it.
 */
static void
plan_of(struct oms *o, const char *needle, char *buf, size_t len)
{
	sqlite3_stmt *st;
	char sql[8192];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < o->nstmts; i++) {
		if (strstr(o->stmts[i]->sql, needle) == NULL)
			continue;
		snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", o->stmts[i]->sql);
		if (sqlite3_prepare_v2(o->db, sql, -1, &st, NULL) != SQLITE_OK)
			errx(1, "%s: %s", sqlite3_errmsg(o->db), sql);
		while (sqlite3_step(st) == SQLITE_ROW && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "; " : "",
			    (const char *)sqlite3_column_text(st, 3));
		sqlite3_finalize(st);
		return;
	}
}

/*
 * explain_body explains one statement of a trigger, with each NEW.x and
 * OLD.x (outside quotes) made a parameter: the plan is the one the
 * trigger's program runs, given one row.  It counts the scans it finds.
 */
static int
explain_body(struct oms *o, const char *name, const char *prefix, const char *text, size_t len)
{
	char sql[8192];
	sqlite3_stmt *st;
	size_t i, n;
	int quoted = 0, scans = 0;
	const char *d;

	/* RAISE() is for trigger programs only, and reads nothing. */
	if (memmem(text, len, "RAISE(", 6) != NULL)
		return 0;
	n = (size_t)snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", prefix);
	for (i = 0; i < len && n < sizeof sql - 2; i++) {
		if (text[i] == '\'')
			quoted = !quoted;
		if (!quoted && (i == 0 || !(text[i - 1] == '_' || (text[i - 1] >= 'a' &&
		    text[i - 1] <= 'z'))) && (strncmp(text + i, "NEW.", 4) == 0 ||
		    strncmp(text + i, "OLD.", 4) == 0)) {
			sql[n++] = '?';
			for (i += 4; i < len && (text[i] == '_' || (text[i] >= 'a' && text[i] <= 'z'));
			    i++)
				;
			i--;
			continue;
		}
		sql[n++] = text[i];
	}
	sql[n] = '\0';
	if (sqlite3_prepare_v2(o->db, sql, -1, &st, NULL) != SQLITE_OK)
		errx(1, "trigger %s: %s: %s", name, sqlite3_errmsg(o->db), sql);
	while (sqlite3_step(st) == SQLITE_ROW) {
		d = (const char *)sqlite3_column_text(st, 3);
		if (strncmp(d, "SCAN ", 5) != 0 || strcmp(d, "SCAN CONSTANT ROW") == 0)
			continue;
		scans++;
		printf("#   trigger %s: %s\n#     in: %s\n", name, d, sql);
	}
	sqlite3_finalize(st);
	return scans;
}

/*
 * check_triggers explains what every trigger runs, its WHEN and each
 * statement of its body: a trigger runs on every write of its table's
 * rows, so what it reads must be by an index as much as the step's own
 * statements.
 */
static void
check_triggers(void)
{
	struct oms *o = open_db(0);
	sqlite3_stmt *st;
	const char *name, *sql, *when, *begin, *end, *p, *q;
	int scans = 0, ntriggers = 0, nwaiting = 0;

	if (sqlite3_prepare_v2(o->db, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'"
	    " ORDER BY name", -1, &st, NULL) != SQLITE_OK)
		errx(1, "%s", sqlite3_errmsg(o->db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		name = (const char *)sqlite3_column_text(st, 0);
		sql = (const char *)sqlite3_column_text(st, 1);
		ntriggers++;
		nwaiting += strncmp(name, "waiting_", 8) == 0;
		/* The schema writes BEGIN after a blank or a newline, END last. */
		if ((begin = strstr(sql, " BEGIN")) == NULL && (begin = strstr(sql, "\nBEGIN")) == NULL)
			errx(1, "trigger %s: no BEGIN", name);
		if ((end = strstr(begin, "END")) == NULL)
			errx(1, "trigger %s: no END", name);
		for (q = end; (p = strstr(q + 3, "END")) != NULL; q = p)
			;
		end = q;
		if ((when = strstr(sql, "\nWHEN ")) != NULL && when < begin)
			scans += explain_body(o, name, "SELECT ", when + 6, (size_t)(begin - when - 6));
		for (p = begin + 6; p < end; p = q + 1) {
			for (q = p; q < end && *q != ';'; q++)
				;
			if (strspn(p, " \n") < (size_t)(q - p))
				scans += explain_body(o, name, "", p, (size_t)(q - p));
		}
	}
	sqlite3_finalize(st);
	/* Its writers keep table waiting (migration 15): no write of an order pays for a trigger. */
	ok(nwaiting == 0, "table waiting has no triggers (%d of %d)", nwaiting, ntriggers);
	ok(scans == 0, "no statement of a trigger scans a table");
	oms_close(o);
}

/* The steps print the IDs they pass on: not into the TAP stream. */
static int saved_out = -1, devnull = -1;

static void
mute(void)
{
	fflush(stdout);
	if ((saved_out < 0 && (saved_out = dup(STDOUT_FILENO)) < 0) ||
	    (devnull < 0 && (devnull = open("/dev/null", O_WRONLY)) < 0) ||
	    dup2(devnull, STDOUT_FILENO) < 0)
		err(1, "/dev/null");
}

static void
unmute(void)
{
	fflush(stdout);
	if (dup2(saved_out, STDOUT_FILENO) < 0)
		err(1, "dup2");
}

/* status reads order 1's status. */
static int
status_is(const char *want)
{
	struct oms *o = open_db(0);
	sqlite3_stmt *st;
	int is;

	if (sqlite3_prepare_v2(o->db, "SELECT status FROM orders WHERE id = 1", -1, &st,
	    NULL) != SQLITE_OK)
		errx(1, "%s", sqlite3_errmsg(o->db));
	is = sqlite3_step(st) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(st, 0), want) == 0;
	sqlite3_finalize(st);
	oms_close(o);
	return is;
}

int
main(void)
{
	static const char *const leftovers[] = { "oms.db", "oms.db-wal", "oms.db-shm" };
	struct oms_pick_opts po = { 0 };
	struct oms_ship_opts so = { .carrier = "ups", .service = "ground" };
	char dir[] = "/tmp/oms-plans.XXXXXX", *ids[] = { "1" }, plan[1024];
	struct oms *o;
	int64_t first, last;
	size_t i;
	int rc;

	if (mkdtemp(dir) == NULL || chdir(dir) != 0)
		err(1, "%s", dir);
	snprintf(dbpath, sizeof dbpath, "%s/oms.db", dir);
	unsetenv("OMS_CONFIG");
	setenv("OMS_USER", "tester", 1);
	o = open_db(1);
	if (omsi_exec_script(o, setup) != OMS_OK)
		errx(1, "setup failed");
	oms_close(o);

	o = open_db(0);
	mute();
	rc = oms_verify_run(o, ids, 1);
	unmute();
	check(o, "verify", rc);
	o = open_db(0);
	mute();
	rc = oms_auth_run(o, ids, 1);
	unmute();
	check(o, "authorize", rc);
	o = open_db(0);
	mute();
	rc = oms_backorder_run(o, OMS_POLICY_ORDER, ids, 1, OMS_FMT_TEXT);
	unmute();
	/* What earlier orders want: a range of the fair order's key, read from its front. */
	plan_of(o, "FROM waiting", plan, sizeof plan);
	is_str(plan, "SEARCH waiting USING PRIMARY KEY (sku=? AND"
	    " (neg_priority,placed_at,order_id)<(?,?,?))", "allocate: the demand before an order"
	    " is a search of table waiting's key");
	check(o, "allocate", rc);
	o = open_db(0);
	mute();
	rc = oms_pick_run(o, &po, ids, 1, &first, &last);
	unmute();
	check(o, "pick", rc);
	o = open_db(0);
	mute();
	rc = oms_ship_run(o, &so, ids, 1);
	unmute();
	check(o, "ship", rc);
	ok(status_is("shipped"), "the order went all the way: shipped");
	o = open_db(0);
	mute();
	rc = oms_order_show(o, 1, OMS_FMT_TEXT, stdout);
	unmute();
	check(o, "show", rc);
	o = open_db(0);
	mute();
	rc = oms_order_history(o, 1, OMS_FMT_TEXT, stdout);
	unmute();
	check(o, "history", rc);
	check_triggers();

	for (i = 0; i < sizeof leftovers / sizeof leftovers[0]; i++)
		unlink(leftovers[i]);
	if (chdir("/") != 0 || rmdir(dir) != 0)
		warn("rmdir %s", dir);
	return done_testing();
}
