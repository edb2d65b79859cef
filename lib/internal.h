/*
 * internal.h: what the library's modules share and the tools never see.
 * Names here are omsi_ (internal); public ones are oms_.
 */
#ifndef OMS_INTERNAL_H
#define OMS_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <sqlite3.h>

#include <oms/oms.h>
#include <oms/order.h>
#include <oms/pg.h>

struct oms_node;
struct omsi_prices;

/*
 * A statement of the storage layer (lib/db.c), the one place where a
 * module's work meets the database: modules step it and read its columns
 * only through the omsi_ functions below, never through a driver's own,
 * so that a second driver (lib/pg.c, PostgreSQL) can sit beside SQLite's.
 * Cached ones are kept for the life of the handle, found by their SQL's
 * address; omsi_prepare's belong to their caller.  A statement is of one
 * driver: lite on SQLite, pg on PostgreSQL (the other NULL).  PostgreSQL's
 * runs when it is bound and has read its rows by the first omsi_step, which
 * then says what the run said (pg_rc), as SQLite's first step would.
 */
struct omsi_stmt {
	const char *sql;
	sqlite3_stmt *lite;
	struct oms_pg_stmt *pg;
	int pg_rc;	/* OMS_PG_*: the result of the last run, until its first step */
};

/* What omsi_step says (SQLite's own numbers, so that nothing need translate them). */
#define OMSI_ROW SQLITE_ROW
#define OMSI_DONE SQLITE_DONE
#define OMSI_CONSTRAINT SQLITE_CONSTRAINT

#define OMSI_STMT_CACHE 64

struct oms {
	struct oms_opts opts;
	sqlite3 *db;			/* the SQLite connection, or NULL */
	struct oms_pg *pg;		/* or the PostgreSQL one */
	int64_t pg_changes;		/* rows the last PostgreSQL statement changed */
	char *db_path;			/* a file, or a URI as oms_pg_uri_shown shows it */
	struct oms_node *config;	/* the parsed oms.yaml, or NULL */
	char user[64];			/* who is acting, for the history */
	const char *tool;		/* program name, for the history */
	int in_tx;			/* a transaction is open */
	struct timespec tx_began;	/* when it began (CLOCK_MONOTONIC) */
	struct timespec tx_ended;	/* when the last one committed; 0: none yet */
	long last_tx_us;		/* how long the last one held the lock */
	/*
	 * Transactions begun, and the number of the last that committed: what
	 * a step remembers of the database from one transaction holds in the
	 * next only when its own committed (and no other writer came between:
	 * PRAGMA data_version).
	 */
	uint64_t tx_serial, tx_committed;
	struct omsi_prices *prices;	/* catalog prices read in this transaction (doc.c) */
	struct timespec wait_began;	/* when the busy handler began to wait */
	struct omsi_stmt *stmts[OMSI_STMT_CACHE];
	size_t nstmts;
};

/*
 * omsi_stmt returns a cached statement for sql (a string literal: the cache
 * keys on its address), reset and bound from types and the arguments:
 *   'i' int64_t, 'I' int, 'j' const int64_t * and 't' const char *
 *   (for these two NULL binds NULL).
 * NULL on error (reported).
 */
struct omsi_stmt *omsi_stmt(struct oms *o, const char *sql, const char *types, ...);

/*
 * omsi_step steps st: OMSI_ROW or OMSI_DONE, OMSI_CONSTRAINT for a
 * constraint the caller may want to explain (not reported), or -1 for any
 * other error (reported).
 */
int omsi_step(struct oms *o, struct omsi_stmt *st);

/*
 * omsi_each runs a query that adds up many rows: SQLite hands each row to
 * fn from within its own loop, through the aggregate omsi_each(?N, col,
 * ...), ?N being the parameter after those of types (?1 when none), and fn
 * gets the columns after it as the row's columns 0, 1, ... (omsi_row_*).
 * This saves stepping out of SQLite and a call per column for every row: a
 * third or more of reading a large table (oms-report's reports over time).  The query has no GROUP BY;
 * rows come in the order SQLite reads them.  fn returns OMS_OK, or an exit
 * status (its error reported) that stops the query and is returned.
 * OMS_OK, or OMS_ESYS on a database error (reported).
 */
struct omsi_row {
	sqlite3_value **v;		/* SQLite's: the aggregate's arguments after the first */
	struct oms_pg_stmt *pg;		/* PostgreSQL's: the statement stepped to the row */
};

static inline int64_t
omsi_row_int64(const struct omsi_row *r, int i)
{
	if (r->pg != NULL)
		return oms_pg_int64(r->pg, i);
	return sqlite3_value_int64(r->v[i]);
}

static inline const char *
omsi_row_text(const struct omsi_row *r, int i)
{
	if (r->pg != NULL)
		return oms_pg_text(r->pg, i);
	return (const char *)sqlite3_value_text(r->v[i]);
}

static inline int
omsi_row_null(const struct omsi_row *r, int i)
{
	if (r->pg != NULL)
		return oms_pg_is_null(r->pg, i);
	return sqlite3_value_type(r->v[i]) == SQLITE_NULL;
}

typedef int (*omsi_each_fn)(void *arg, const struct omsi_row *row);
int omsi_each(struct oms *o, const char *sql, omsi_each_fn fn, void *arg, const char *types, ...);

/*
 * omsi_exec runs a statement that returns no rows.  OMS_OK, or OMS_ESYS
 * with the error reported (constraint failures included).
 */
int omsi_exec(struct oms *o, const char *sql, const char *types, ...);

/*
 * omsi_order_row steps st, a query of one order by its ID (NULL: the
 * statement failed): OMS_OK on its row, which the caller reads and resets;
 * OMS_EINPUT when there is no such order, OMS_ESYS on error (reported).
 */
int omsi_order_row(struct oms *o, struct omsi_stmt *st, int64_t id);

/*
 * omsi_int runs a query whose first row's first column is a number (a
 * count, a sum) into *v.  OMS_OK, or OMS_ESYS with the error reported.
 */
int omsi_int(struct oms *o, int64_t *v, const char *sql, const char *types, ...);

/*
 * omsi_exec_script runs several statements with no parameters (migrations,
 * pragmas).  Reports and returns OMS_ESYS on error.
 */
int omsi_exec_script(struct oms *o, const char *sql);

/* omsi_db_error reports the connection's last error for what was being done. */
int omsi_db_error(struct oms *o, const char *what);

/*
 * A column of the row stepped to: as text (NULL stays NULL, never ""), as
 * a number (NULL reads as 0), or whether it is NULL.  omsi_reset ends a
 * run of a statement before its last row.
 */
static inline const char *
omsi_text(struct omsi_stmt *st, int col)
{
	if (st->pg != NULL)
		return oms_pg_text(st->pg, col);
	return (const char *)sqlite3_column_text(st->lite, col);
}

static inline int64_t
omsi_col_int64(struct omsi_stmt *st, int col)
{
	if (st->pg != NULL)
		return oms_pg_int64(st->pg, col);
	return sqlite3_column_int64(st->lite, col);
}

static inline int
omsi_col_int(struct omsi_stmt *st, int col)
{
	if (st->pg != NULL)
		return (int)oms_pg_int64(st->pg, col);
	return sqlite3_column_int(st->lite, col);
}

static inline int
omsi_col_null(struct omsi_stmt *st, int col)
{
	if (st->pg != NULL)
		return oms_pg_is_null(st->pg, col);
	return sqlite3_column_type(st->lite, col) == SQLITE_NULL;
}

static inline void
omsi_reset(struct omsi_stmt *st)
{
	if (st->pg != NULL)
		oms_pg_reset(st->pg);
	else
		sqlite3_reset(st->lite);
}

/*
 * omsi_prepare prepares sql (built at run time: not cached) with texts
 * bound to its n parameters (NULL binds NULL); the caller frees it with
 * omsi_finalize.  NULL on error (reported).
 */
struct omsi_stmt *omsi_prepare(struct oms *o, const char *sql, const char *const *texts,
    size_t n);
void omsi_finalize(struct omsi_stmt *st);

/* The row ID of the last insert, the rows the last statement changed, the last error. */
int64_t omsi_last_id(struct oms *o);
int64_t omsi_changes(struct oms *o);
const char *omsi_errmsg(struct oms *o);

/*
 * omsi_rows_to_table adds every row of st (its first ncols columns, as
 * text) to t and resets st; *nrows, when not NULL, counts them.
 */
struct oms_table;
int omsi_rows_to_table(struct oms *o, struct omsi_stmt *st, struct oms_table *t, size_t ncols,
    size_t *nrows);

/*
 * A write transaction that has run this long ends at the next order's
 * boundary, whatever its batch size, so that no writer keeps the others
 * waiting for long (oms(7), THE DATABASE).
 */
#define OMSI_TX_BUDGET_MS 250

/*
 * omsi_order_move_from is oms_order_move (lib/order.c) for a caller that
 * read the order's status (from, and held_from when held) in this
 * transaction and changed nothing of it since: the row is not read again.
 */
int omsi_order_move_from(struct oms *o, int64_t id, enum oms_status from,
    enum oms_status held_from, enum oms_status to, const char *hold_reason, const char *what,
    const char *detail);

/*
 * omsi_pick_lines_confirm marks an order's lines on open pick lists
 * confirmed (lib/pick.c), and only them: the caller counts what they hold
 * as picked in its own update of the order's lines (oms-ship's implied
 * confirm, which writes each line once).
 */
int omsi_pick_lines_confirm(struct oms *o, int64_t order);

/* omsi_tx_overdue says whether the open transaction has used its budget. */
int omsi_tx_overdue(const struct oms *o);

/* omsi_prices_free frees doc.c's cache of catalog prices (NULL: nothing). */
void omsi_prices_free(struct omsi_prices *c);

/* omsi_migrate creates or upgrades the schema (lib/schema.c). */
int omsi_migrate(struct oms *o);

/*
 * omsi_pg_migrate is omsi_migrate on PostgreSQL (lib/schema_pg.c): it
 * creates the schema in an empty database, and refuses one that is not
 * oms's or not at this build's version.
 */
int omsi_pg_migrate(struct oms *o);

/*
 * omsi_pragma runs SQLite settings (PRAGMA ...) that tune a run, not what
 * it does; PostgreSQL has none of them, and skips them.
 */
int omsi_pragma(struct oms *o, const char *sql);

/* omsi_savepoint / release / rollback_to wrap one order's work in a batch. */
int omsi_savepoint(struct oms *o);
int omsi_release(struct oms *o);
int omsi_rollback_to(struct oms *o);

/* omsi_config_load reads oms.yaml as oms(7) says where; OMS_EUSAGE when bad (reported). */
int omsi_config_load(struct oms *o);

/* omsi_strdup / omsi_xmalloc: allocation that reports "out of memory"; NULL on failure. */
char *omsi_strdup(const char *s);
void *omsi_calloc(size_t n, size_t size);

/*
 * omsi_grow makes room in an array v of *cap elements of size bytes for
 * element n (doubling it): the array, perhaps moved, or NULL when out of
 * memory (reported; v is still the caller's).
 */
void *omsi_grow(void *v, size_t *cap, size_t n, size_t size);

/* omsi_fmt_err writes a message into err (snprintf that never overflows). */
void omsi_fmt_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * omsi_dl_load loads the functions of a library that only some runs need
 * (libcurl, cairo), so that a tool does not pay for loading it at every
 * start: names[i] into *fns[i], each the address of a function pointer.
 * The library stays loaded for the life of the process, as a linked one
 * would: what it loads in turn (OpenSSL, fontconfig) keeps state that must
 * not be unloaded under it.  -1 with err naming the library and the
 * package that has it.
 */
int omsi_dl_load(const char *lib, const char *package, const char *const *names,
    void *const *fns, size_t n, char *err, size_t errlen);

/*
 * A CSV file loaded into the database whole or not at all (a catalog, a
 * cross-reference): omsi_csv_load reads all of f first (the write lock is
 * not held while a pipe is slow), then, in one transaction, gives header
 * its first row and row each of the others, which must have as many
 * fields.  Each returns OMS_OK, or an exit status after reporting, which
 * rolls everything back.  *count is the number of rows loaded.
 */
struct omsi_csv_load {
	const char *expected;	/* the header it wants, for an empty file's message */
	int (*header)(struct oms *, void *arg, char **f, size_t n, const char *name, size_t line);
	int (*row)(struct oms *, void *arg, char **f, size_t n, const char *name, size_t line,
	    const char *now);
	void *arg;
};
int omsi_csv_load(struct oms *o, FILE *f, const char *name, const struct omsi_csv_load *l,
    long *count);

/*
 * omsi_slurp reads all of f into *buf (free it after closing the stream it
 * returns), so a writer can read a slow producer's input before it takes
 * the database's write lock.  NULL on error (reported).
 */
FILE *omsi_slurp(FILE *f, const char *name, char **buf);

/*
 * omsi_pan_safe makes free text oms stores without refusing it (a history
 * entry, a reason, a reference) safe to keep: when *s holds a card number,
 * *s becomes a masked copy, left in *copy for the caller to free (else
 * *copy is NULL).  -1 when out of memory (reported).
 */
int omsi_pan_safe(const char **s, char **copy);

/*
 * omsi_shown copies outside text (a feed's, a gateway's) for a message: at
 * most len - 1 bytes, cut at a character's start, control characters as
 * '?', so that no input can write to the operator's terminal.  Returns buf.
 */
char *omsi_shown(const char *s, char *buf, size_t len);

/*
 * What oms-ship owes the gateway for an order, as SQL conditions on the
 * orders row aliased "o", for the step and for -a alike.
 * OMSI_SQL_CAPTURE_PENDING: a shipment's capture was committed and has no
 * answer (a run killed at the gateway, a gateway that did not answer);
 * sending it again sends its key.  OMSI_SQL_CAPTURE_OWED: its money is at
 * the gateway, and its shipments charged more than its captures took or
 * have in flight, theirs and those made by hand (oms-auth capture, which
 * pays for shipments too), so a new capture is to be made.
 */
/*
 * OMSI_SQL_AT_GATEWAY: order "o"'s money is at oms's gateway, as pay.c's
 * at_gateway says: a card, not paid (token-less, with a reference) at the cart.
 */
#define OMSI_SQL_AT_GATEWAY \
	"(o.payment_method = 'card' AND NOT (coalesce(o.payment_token, '') = '' AND" \
	" coalesce(o.payment_ref, '') <> ''))"
#define OMSI_SQL_CAPTURE_PENDING \
	"EXISTS (SELECT 1 FROM payments cp WHERE cp.order_id = o.id AND cp.kind = 'capture'" \
	" AND cp.status = 'pending' AND cp.shipment_id IS NOT NULL)"
#define OMSI_SQL_CAPTURE_OWED \
	"(" OMSI_SQL_AT_GATEWAY " AND (SELECT coalesce(sum(cs.charge), 0) FROM" \
	" shipments cs WHERE cs.order_id = o.id AND cs.status = 'shipped') > (SELECT" \
	" coalesce(sum(cp.amount), 0) FROM payments cp LEFT JOIN shipments cs ON cs.id =" \
	" cp.shipment_id WHERE cp.order_id = o.id AND cp.kind = 'capture' AND cp.status IN" \
	" ('succeeded', 'pending') AND (cp.shipment_id IS NULL OR cs.status = 'shipped')))"

/*
 * What each waiting order still wants of each SKU, as table waiting holds
 * it (lib/schema.c, migration 14): sku, neg_priority, placed_at,
 * order_id, qty.  Callers add
 * their own AND ... and GROUP BY o.id, l.sku (or l.sku for one order).
 */
#define OMSI_SQL_WANTS \
	"SELECT l.sku, -o.priority, o.placed_at, o.id," \
	" sum(l.qty - l.allocated - l.shipped - l.cancelled) FROM orders o" \
	" JOIN order_lines l ON l.order_id = o.id" \
	" WHERE o.status IN ('authorized', 'backordered', 'allocated', 'picking')" \
	" AND l.needs_shipping = 1 AND l.sku <> ''" \
	" AND l.qty > l.allocated + l.shipped + l.cancelled"

/*
 * What may still come back of order line "l": shipped, less returned
 * (received or claimed), less what open and received returns have
 * authorized and not received yet.
 */
#define OMSI_SQL_RETURNABLE \
    "l.shipped - l.returned - coalesce((SELECT sum(rl.qty - rl.received) FROM return_lines rl" \
    " JOIN returns r ON r.id = rl.return_id WHERE rl.line_id = l.id AND r.claim = 0 AND" \
    " r.status IN ('open', 'received')), 0)"

/*
 * omsi_collect_ids steps st and collects its first column (order IDs) in
 * a new array (*ids, the caller frees it), resetting st.
 */
int omsi_collect_ids(struct oms *o, struct omsi_stmt *st, int64_t **ids, size_t *n);

/* omsi_hash_str is a string's FNV-1a hash, for the library's hash tables. */
size_t omsi_hash_str(const char *s);

/* omsi_utf8_valid says whether s (len bytes) is valid UTF-8 with no NUL. */
int omsi_utf8_valid(const char *s, size_t len);

struct oms_import;

/*
 * omsi_import_reject_more reports one more thing wrong with an order
 * already rejected (another bad row of it): said like oms_import_reject,
 * but not counted again, so that the count is of orders.
 */
void omsi_import_reject_more(struct oms_import *imp, const char *file, size_t line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

struct oms_doc;

/*
 * omsi_doc_hash_before_line_ids writes a document's hash as oms computed it
 * before it kept the sources' line IDs (OMS_DOC_HASH_MAX bytes): an order
 * imported then, sent again now with its line IDs, is the same order.
 */
void omsi_doc_hash_before_line_ids(const struct oms_doc *d, char *out);

/*
 * omsi_doc_hash_before_cart_lines writes a document's hash as oms computed
 * it before it kept the carts' keys of SKU-less lines and which lines need
 * no shipping (an order of such lines imported then is the same order).
 */
void omsi_doc_hash_before_cart_lines(const struct oms_doc *d, char *out);

/*
 * omsi_order_take_line_ids gives order id, imported before oms kept line
 * IDs, the IDs the document d now carries (lines that have none yet, by
 * line number and SKU), stores d's hash, and notes it in the history with
 * detail.  In the caller's transaction; OMS_OK or OMS_ESYS (reported).
 */
int omsi_order_take_line_ids(struct oms *o, int64_t id, const struct oms_doc *d,
    const char *detail);

/*
 * omsi_pay_shortfall says what an order's card at oms's gateway has yet to
 * pay (*due: its total less what was captured, net of refunds) and how much
 * of that its live authorization does not cover (*shortfall; all of *due
 * when there is none).  Both 0 when the money is not at oms's gateway
 * (prepaid, invoice, a card the cart took).  OMS_OK, OMS_EINPUT (no such
 * order, reported) or OMS_ESYS.
 */
int omsi_pay_shortfall(struct oms *o, int64_t id, int64_t *due, int64_t *shortfall);

/*
 * omsi_fair_share says how many units of sku order id may reserve now by
 * allocation's rules (lib/backorder.c): what is available less what the
 * orders before it in the fair order still wait for.  OMS_OK or OMS_ESYS.
 */
int omsi_fair_share(struct oms *o, int64_t id, const char *sku, int64_t *can);

/*
 * Table waiting (lib/schema.c, migration 14) is kept by its writers, not by
 * triggers (migration 15), in lib/backorder.c.  omsi_waiting_refresh makes
 * its row for order id and sku what the order's lines say now, for a writer
 * that changes what a line of an order that may wait still wants.
 * omsi_waiting_add puts in the rows of an order that starts to wait,
 * omsi_waiting_forget takes out those of one that stops, or whose place in
 * the fair order is about to change (an edit forgets it, then adds it).
 * Each returns OMS_OK or OMS_ESYS.
 */
int omsi_waiting_add(struct oms *o, int64_t id);
int omsi_waiting_forget(struct oms *o, int64_t id);
int omsi_waiting_refresh(struct oms *o, int64_t id, const char *sku);

/*
 * omsi_ships_complete says whether an order with its own ship_complete
 * setting (-1: none) ships only complete, by the site's backorder.policy;
 * *keep_partial, when not NULL, whether such an order short of stock keeps
 * what it could reserve (backorder.keep_partial).
 */
int omsi_ships_complete(struct oms *o, int own, int *keep_partial);

/*
 * omsi_prorate is the share of due that goods worth part of base carry,
 * rounded half up (lib/money.c): what a shipment charges, and what an order
 * with lines cancelled still comes to.
 */
int64_t omsi_prorate(int64_t due, int64_t part, int64_t base);

/*
 * Finding orders (lib/find.c).  omsi_fold writes s folded for comparing
 * names into out (room for strlen(s) + 1: folding never lengthens):
 * Latin letters in lower-case ASCII without their diacritics, apostrophes
 * and full stops left out, blanks, hyphens and commas one space between
 * words.  Returns its length.
 */
size_t omsi_fold(const char *s, char *out);

/*
 * omsi_name_fold folds the names (NULLs skipped) into *out, the distinct
 * ones one a line; NULL when there is none.  OMS_OK, or OMS_ESYS.
 */
int omsi_name_fold(const char *const *names, size_t n, char **out);

/*
 * omsi_phone_key writes a phone number's key: its digits up to its first
 * letter (an extension), leading zeros left out, backwards, when there
 * are 7 to OMSI_PHONE_DIGITS; else "".  Returns how many digits it had.
 */
#define OMSI_PHONE_DIGITS 20
#define OMSI_PHONE_MAX (OMSI_PHONE_DIGITS + 1)
int omsi_phone_key(const char *s, char out[OMSI_PHONE_MAX]);

/*
 * omsi_email_key is an e-mail address's key (email_key): a 31-bit hash of
 * it with ASCII letters in lower case, so that addresses equal under
 * COLLATE NOCASE have the same key.
 */
int64_t omsi_email_key(const char *s);

/*
 * omsi_postal_key writes a postal code's key: its letters (in capitals)
 * and digits, when there are at most OMSI_POSTAL_MAX - 1; else "".
 * Returns how many it had.
 */
#define OMSI_POSTAL_MAX 17
int omsi_postal_key(const char *s, char out[OMSI_POSTAL_MAX]);

/*
 * omsi_postal_match says whether the postal code code matches a term's
 * key: the same key, or a ZIP code and a ZIP+4 code in it.
 */
int omsi_postal_match(const char *code, const char *key);

/*
 * omsi_find_functions registers oms_name_fold(name, ...), oms_phone_key(),
 * oms_email_key() and oms_postal_match() on the connection: for the migration that stored
 * the keys, for omsi_order_keys and for the queries of lib/find.c.
 */
int omsi_find_functions(struct oms *o);

/*
 * omsi_order_keys stores order id's search keys (name_fold, phone_key,
 * email_key) anew from its row: whatever changes a customer's or an
 * address's name or company, or the customer's phone or e-mail, calls it in the same transaction.
 * OMS_OK or OMS_ESYS (reported).
 */
int omsi_order_keys(struct oms *o, int64_t id);

/*
 * omsi_find_prepare writes and prepares the query of oms_order_list, bound:
 * *st is the caller's to finalize.  OMS_EUSAGE for a bad term (reported).
 */
struct oms_order_query;
int omsi_find_prepare(struct oms *o, const struct oms_order_query *q, struct omsi_stmt **st);

/*
 * Text in capitals and in ASCII (lib/utf8case.c), by table, whatever the
 * locale.  omsi_utf8_upper writes s in capitals in place (Latin, Greek and
 * Cyrillic letters; sharp s as "SS"): it never grows.  omsi_utf8_ascii
 * returns s in ASCII (Latin-1 and Latin Extended-A letters as their base
 * letters, typographic marks as their ASCII forms), *lost set when
 * something had none and was written "?"; NULL when out of memory.
 */
void omsi_utf8_upper(char *s);

/*
 * omsi_utf8_get decodes the character at s (n bytes left) into *c: its
 * length, or 0 when the bytes are not UTF-8 (overlong forms, surrogates and
 * code points past U+10FFFF included).
 */
size_t omsi_utf8_get(const unsigned char *s, size_t n, uint32_t *c);
char *omsi_utf8_ascii(const char *s, int *lost);

/*
 * Ship methods (lib/carrier.c).  omsi_ship_method_check checks one map of
 * ship.methods in oms.yaml (config.c's known_lists): match, carrier and
 * service given, the service one the carrier's files know.  Returns 0, or
 * -1 with why (room for whylen) and *at set to the node to blame.
 */
int omsi_ship_method_check(const struct oms_node *map, const struct oms_node **at, char *why,
    size_t whylen);

/*
 * omsi_ship_method_find returns the first map of ship.methods (methods:
 * the list, or NULL) whose match fits method (NULL: the order has none,
 * matched as ""), with its carrier and service; NULL when none does.
 */
const struct oms_node *omsi_ship_method_find(const struct oms_node *methods, const char *method,
    const char **carrier, const char **service);

struct oms_ship_address;

/* omsi_ship_from is the warehouse's address, ship.from in oms.yaml (country default US). */
void omsi_ship_from(const struct oms *o, struct oms_ship_address *a);

struct oms_confirm_shipment;
struct oms_confirm_line;

/*
 * omsi_asn_write writes the 856s of n shipments (sorted by source), one
 * interchange per partner, addressed as each order's 850 was; lines is
 * the array their lines point into, which it fills with the partner's
 * units and IDs, as it sets each shipment's x12.  In the caller's
 * transaction: it numbers the interchanges in x12_interchanges.
 */
int omsi_asn_write(struct oms *o, struct oms_confirm_shipment *v, size_t n,
    struct oms_confirm_line *lines, FILE *out);

/*
 * omsi_alias_put maps source's key to sku inside the caller's transaction,
 * as oms_alias_set does (resolving the lines waiting on the key); where
 * ("FILE:LINE: ") goes before a message.  For oms-stock import's alias
 * columns.
 */
/*
 * omsi_alias_source is the source under which the aliases of an order from
 * order_source are kept: an X12 partner's orders come from "x12:ID", its
 * cross-reference is under its interchange ID alone, as its people know it.
 */
const char *omsi_alias_source(const char *order_source);

int omsi_alias_put(struct oms *o, const char *source, const char *key, const char *sku,
    const char *now, const char *where);

#endif
