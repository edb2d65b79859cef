/*
 * stock.c: the catalog, stock and its ledger.  Stock changes only by a row
 * in stock_moves, and oms_stock_move, the ledger's one writer, keeps stock
 * its sum; stock's CHECK constraints refuse any move that would oversell.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <oms/addr.h>
#include <oms/config.h>
#include <oms/db.h>
#include <oms/fmt.h>
#include <oms/money.h>
#include <oms/stock.h>
#include <oms/time.h>
#include <oms/diag.h>

#include "internal.h"

enum {
	COL_SKU, COL_DESCRIPTION, COL_WEIGHT, COL_BIN, COL_PRICE, COL_HS_CODE, COL_ORIGIN,
	COL_CUSTOMS, COL_UNITS_PER_CASE, COL_SHIPS, NCOLS
};
static const char *const catalog_cols[NCOLS] = { "sku", "description", "weight", "bin", "price",
	"hs_code", "origin", "customs_description", "units_per_case", "ships" };

/*
 * hs_digits keeps a Harmonized System code's digits ("8542.31" is
 * 854231): 6 (the HS itself) to 10 (a national schedule's), dots and
 * blanks between them set aside.  -1 when it is not one.
 */
static int
hs_digits(const char *s, char out[11])
{
	size_t n = 0;

	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9') {
			if (n == 10)
				return -1;
			out[n++] = *s;
		} else if (*s != '.' && *s != ' ') {
			return -1;
		}
	}
	out[n] = '\0';
	return n >= 6 ? 0 : -1;
}

/* Columns "alias:SOURCE": what a cart or partner calls each row's item (lib/alias.c). */
#define ALIAS_COLS 16
struct alias_cols {
	size_t n;
	int col[ALIAS_COLS];
	char source[ALIAS_COLS][65];
};

/* catalog_header maps the header's columns to ours; -1 after reporting. */
static int
catalog_header(char **f, size_t n, const char *name, size_t line, int *col,
    struct alias_cols *ac)
{
	size_t i;
	int j;

	for (j = 0; j < NCOLS; j++)
		col[j] = -1;
	ac->n = 0;
	for (i = 0; i < n; i++) {
		if (strncmp(f[i], "alias:", 6) == 0) {
			if (ac->n == ALIAS_COLS || f[i][6] == '\0' || strlen(f[i] + 6) > 64) {
				oms_warnx("%s:%zu: column \"%.40s\": at most %d alias columns, each"
				    " alias:SOURCE with a source of 1 to 64 characters", name, line, f[i],
				    ALIAS_COLS);
				return -1;
			}
			ac->col[ac->n] = (int)i;
			snprintf(ac->source[ac->n++], sizeof ac->source[0], "%s", f[i] + 6);
			continue;
		}
		for (j = 0; j < NCOLS; j++)
			if (strcmp(f[i], catalog_cols[j]) == 0)
				break;
		if (j == NCOLS) {
			oms_warnx("%s:%zu: unknown column \"%.40s\" (expected sku, description, weight,"
			    " bin, price, hs_code, origin, customs_description, units_per_case, ships)",
			    name, line, f[i]);
			return -1;
		}
		if (col[j] >= 0) {
			oms_warnx("%s:%zu: column \"%s\" given twice", name, line, f[i]);
			return -1;
		}
		col[j] = (int)i;
	}
	if (col[COL_SKU] < 0) {
		oms_warnx("%s:%zu: no sku column", name, line);
		return -1;
	}
	return 0;
}

/* yes_no reads a yes-or-no cell as spreadsheets write it: 1, 0, or -1 for neither. */
static int
yes_no(const char *s)
{
	static const char *const yes[] = { "yes", "true", "1", "y" }, *const no[] = { "no",
		"false", "0", "n" };
	size_t i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
	for (i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	return -1;
}

static int
import_row(struct oms *o, char **f, size_t n, size_t line, const char *name, const int *col,
    const char *currency, const char *now)
{
	const char *v[NCOLS], *origin = NULL;
	int64_t weight = 0, price = 0, per_case = 0, ships = 1;
	struct omsi_stmt *st;
	char *desc, *end, hs[11];
	int j, rc;

	for (j = 0; j < NCOLS; j++)
		v[j] = col[j] >= 0 && (size_t)col[j] < n && *f[col[j]] ? f[col[j]] : NULL;
	if (v[COL_SKU] == NULL || strlen(v[COL_SKU]) > 64 || strpbrk(v[COL_SKU], " \t\r\n")) {
		oms_warnx("%s:%zu: sku \"%.64s\" must be 1 to 64 characters with no blanks", name,
		    line, v[COL_SKU] ? v[COL_SKU] : "");
		return OMS_EINPUT;
	}
	/* Stored as written, exactly: rounding is for the carrier's file, once. */
	if (v[COL_WEIGHT] && oms_weight_parse_exact(v[COL_WEIGHT], "lb", &weight) != 0) {
		if (errno == EDOM)
			oms_warnx("%s:%zu: weight \"%.40s\" is finer than oms keeps (a picogram:"
			    " 3 decimals of an ounce, 7 of a pound)", name, line, v[COL_WEIGHT]);
		else if (errno == ERANGE)
			oms_warnx("%s:%zu: weight \"%.40s\" is too much (at most 9,223 kg, 15"
			    " decimals)", name, line, v[COL_WEIGHT]);
		else
			oms_warnx("%s:%zu: weight \"%.40s\" is not a weight (1.5, 1.5lb, 24oz, 680g,"
			    " 0.68kg)", name, line, v[COL_WEIGHT]);
		return OMS_EINPUT;
	}
	if (v[COL_HS_CODE] && hs_digits(v[COL_HS_CODE], hs) != 0) {
		oms_warnx("%s:%zu: hs_code \"%.40s\" is not a Harmonized System code (6 to 10"
		    " digits: 8542.31, 6109100012)", name, line, v[COL_HS_CODE]);
		return OMS_EINPUT;
	}
	if (v[COL_ORIGIN] && (origin = oms_country_code(v[COL_ORIGIN])) == NULL) {
		oms_warnx("%s:%zu: origin \"%.40s\" is not a country (an ISO 3166 code, like US"
		    " or CN, or its name)", name, line, v[COL_ORIGIN]);
		return OMS_EINPUT;
	}
	if (v[COL_PRICE] && (oms_money_parse(v[COL_PRICE], currency, &price) != 0 || price < 0)) {
		oms_warnx("%s:%zu: price \"%.40s\" is not an amount in %s", name, line, v[COL_PRICE],
		    currency);
		return OMS_EINPUT;
	}
	/* How many eaches a case holds, for partners that order by the case (oms-import -f x12). */
	if (v[COL_UNITS_PER_CASE]) {
		errno = 0;
		per_case = strtoll(v[COL_UNITS_PER_CASE], &end, 10);
		if (errno || *end || per_case < 1 || per_case > 100000) {
			oms_warnx("%s:%zu: units_per_case \"%.40s\" is not a whole number from 1 to"
			    " 100000", name, line, v[COL_UNITS_PER_CASE]);
			return OMS_EINPUT;
		}
	}
	/* An item that never ships: a download, a gift card. */
	if (v[COL_SHIPS] && (ships = yes_no(v[COL_SHIPS])) < 0) {
		oms_warnx("%s:%zu: ships \"%.40s\" is not yes or no (true, false, 1, 0)", name, line,
		    v[COL_SHIPS]);
		return OMS_EINPUT;
	}
	/* A SKU twice in one file is a mistake; which row should win? */
	if ((st = omsi_stmt(o, "INSERT INTO import_seen (sku, line) VALUES (?, ?)", "ti",
	    v[COL_SKU], (int64_t)line)) == NULL || (rc = omsi_step(o, st)) < 0)
		return OMS_ESYS;
	omsi_reset(st);
	if (rc == OMSI_CONSTRAINT) {
		oms_warnx("%s:%zu: sku \"%s\" is given twice in this file", name, line, v[COL_SKU]);
		return OMS_EINPUT;
	}
	/* A catalog's description is kept as it is, but for a card number in it, masked. */
	if (omsi_pan_safe(&v[COL_DESCRIPTION], &desc) != 0)
		return OMS_ESYS;
	/*
	 * Columns the file does not have keep what the catalog had (items.:
	 * PostgreSQL reads a bare name as ambiguous with excluded's).
	 */
	rc = omsi_exec(o, "INSERT INTO items (sku, description, weight_pg, bin, price, currency,"
	    " updated_at, hs_code, origin_country, customs_description, units_per_case, ships)"
	    " VALUES (?1, coalesce(?2, ''), ?3, ?4, ?5, ?6, ?7, ?12, ?13, ?14, ?18, ?20)"
	    " ON CONFLICT (sku) DO UPDATE SET"
	    " ships = CASE WHEN ?21 THEN ?20 ELSE items.ships END,"
	    " units_per_case = CASE WHEN ?19 THEN ?18 ELSE items.units_per_case END,"
	    " description = CASE WHEN ?8 THEN coalesce(?2, '') ELSE items.description END,"
	    " weight_pg = CASE WHEN ?9 THEN ?3 ELSE items.weight_pg END,"
	    " bin = CASE WHEN ?10 THEN ?4 ELSE items.bin END,"
	    " price = CASE WHEN ?11 THEN ?5 ELSE items.price END,"
	    " currency = CASE WHEN ?11 THEN ?6 ELSE items.currency END, updated_at = ?7,"
	    " hs_code = CASE WHEN ?15 THEN ?12 ELSE items.hs_code END,"
	    " origin_country = CASE WHEN ?16 THEN ?13 ELSE items.origin_country END,"
	    " customs_description = CASE WHEN ?17 THEN ?14 ELSE items.customs_description END",
	    "ttjtjttIIIItttIIIjIiI", v[COL_SKU], v[COL_DESCRIPTION], v[COL_WEIGHT] ? &weight : NULL,
	    v[COL_BIN], v[COL_PRICE] ? &price : NULL, currency, now,
	    col[COL_DESCRIPTION] >= 0, col[COL_WEIGHT] >= 0, col[COL_BIN] >= 0,
	    col[COL_PRICE] >= 0, v[COL_HS_CODE] ? hs : NULL, origin, v[COL_CUSTOMS],
	    col[COL_HS_CODE] >= 0, col[COL_ORIGIN] >= 0, col[COL_CUSTOMS] >= 0,
	    v[COL_UNITS_PER_CASE] ? &per_case : NULL, col[COL_UNITS_PER_CASE] >= 0, ships,
	    col[COL_SHIPS] >= 0);
	free(desc);
	return rc;
}

/* What a catalog file's rows are read with. */
struct catalog_load {
	int col[NCOLS];
	struct alias_cols ac;
	const char *currency;
};

static int
catalog_load_header(struct oms *o, void *arg, char **f, size_t n, const char *name, size_t line)
{
	struct catalog_load *cl = arg;

	if (omsi_exec_script(o, "CREATE TEMP TABLE IF NOT EXISTS import_seen"
	    " (sku TEXT PRIMARY KEY, line INTEGER); DELETE FROM import_seen;") != OMS_OK)
		return OMS_ESYS;
	return catalog_header(f, n, name, line, cl->col, &cl->ac) != 0 ? OMS_EINPUT : OMS_OK;
}

/* catalog_load_row writes one item, and the aliases its alias: columns give it. */
static int
catalog_load_row(struct oms *o, void *arg, char **f, size_t n, const char *name, size_t line,
    const char *now)
{
	struct catalog_load *cl = arg;
	char where[600];
	size_t k;
	int rc;

	if ((rc = import_row(o, f, n, line, name, cl->col, cl->currency, now)) != OMS_OK)
		return rc;
	snprintf(where, sizeof where, "%s:%zu: ", name, line);
	for (k = 0; k < cl->ac.n; k++)
		if (*f[cl->ac.col[k]] != '\0' && (rc = omsi_alias_put(o, cl->ac.source[k],
		    f[cl->ac.col[k]], f[cl->col[COL_SKU]], now, where)) != OMS_OK)
			return rc;
	return OMS_OK;
}

/* All or nothing: a catalog half loaded is worse than none. */
int
oms_stock_import(struct oms *o, FILE *f, const char *name, long *count)
{
	struct catalog_load cl = { .currency = oms_config_currency(o) };
	const struct omsi_csv_load l = { "sku,description,weight,bin,price", catalog_load_header,
		catalog_load_row, &cl };

	return omsi_csv_load(o, f, name, &l, count);
}

/* explain_refusal says why the database refused a move, in stock's terms. */
static void
explain_refusal(struct oms *o, const char *sku, const char *kind, int64_t d_on_hand,
    int64_t d_reserved)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT on_hand, reserved FROM stock WHERE sku = ?",
	    "t", sku);
	int64_t on_hand = 0, reserved = 0;

	if (st != NULL && omsi_step(o, st) == OMSI_ROW) {
		on_hand = omsi_col_int64(st, 0);
		reserved = omsi_col_int64(st, 1);
	}
	if (st != NULL)
		omsi_reset(st);
	if (d_on_hand < 0 && on_hand + d_on_hand < 0)
		oms_warnx("%s: %s %+lld refused: only %lld on hand", sku, kind, (long long)d_on_hand,
		    (long long)on_hand);
	else if (d_reserved > 0)
		oms_warnx("%s: %s of %lld refused: only %lld available (%lld on hand, %lld reserved)",
		    sku, kind, (long long)d_reserved, (long long)(on_hand - reserved),
		    (long long)on_hand, (long long)reserved);
	else
		oms_warnx("%s: %s %+lld refused: %lld of the %lld on hand are reserved for orders",
		    sku, kind, (long long)d_on_hand, (long long)reserved, (long long)on_hand);
}

int
oms_stock_move(struct oms *o, const char *sku, const char *kind, int64_t d_on_hand,
    int64_t d_reserved, const char *ref, const char *reason)
{
	char now[OMS_TIME_MAX], *mref, *mreason;
	struct omsi_stmt *st;
	int rc;

	/* A person's reference and reason are kept, a card number in them masked. */
	if (omsi_pan_safe(&ref, &mref) != 0)
		return OMS_ESYS;
	if (omsi_pan_safe(&reason, &mreason) != 0) {
		free(mref);
		return OMS_ESYS;
	}
	/*
	 * Stock first, kept here and not by a trigger (one program fewer a
	 * move): its CHECKs refuse an oversell before the ledger has the row.
	 */
	st = omsi_stmt(o, "UPDATE stock SET on_hand = on_hand + ?, reserved = reserved + ?"
	    " WHERE sku = ?", "iit", d_on_hand, d_reserved, sku);
	rc = st == NULL ? -1 : omsi_step(o, st);
	if (st != NULL)
		omsi_reset(st);
	if (rc == OMSI_DONE && omsi_changes(o) == 0) {
		st = omsi_stmt(o, "INSERT INTO stock (sku, on_hand, reserved) VALUES (?, ?, ?)",
		    "tii", sku, d_on_hand, d_reserved);
		rc = st == NULL ? -1 : omsi_step(o, st);
		if (st != NULL)
			omsi_reset(st);
	}
	if (rc == OMSI_DONE) {
		st = omsi_stmt(o, "INSERT INTO stock_moves (at, sku, kind, d_on_hand, d_reserved,"
		    " ref, reason, tool, user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", "tttiitttt",
		    oms_time_now(now), sku, kind, d_on_hand, d_reserved, ref, reason, o->tool,
		    o->user);
		rc = st == NULL ? -1 : omsi_step(o, st);
		if (st != NULL)
			omsi_reset(st);
	}
	free(mref);
	free(mreason);
	if (rc < 0)
		return OMS_ESYS;
	if (rc == OMSI_CONSTRAINT) {
		explain_refusal(o, sku, kind, d_on_hand, d_reserved);
		return OMS_EINPUT;
	}
	return OMS_OK;
}

/* known_sku reports a SKU the catalog does not have. */
static int
known_sku(struct oms *o, const char *sku)
{
	struct omsi_stmt *st = omsi_stmt(o, "SELECT 1 FROM items WHERE sku = ?", "t", sku);
	int rc;

	if (st == NULL || (rc = omsi_step(o, st)) < 0)
		return OMS_ESYS;
	omsi_reset(st);
	if (rc != OMSI_ROW) {
		oms_warnx("%s: no such sku in the catalog (oms-stock import adds it)", sku);
		return OMS_EINPUT;
	}
	return OMS_OK;
}

/* one_move runs a single ledger move in its own transaction. */
static int
one_move(struct oms *o, const char *sku, const char *kind, int64_t d_on_hand,
    const char *ref, const char *reason)
{
	int rc;

	if ((rc = oms_begin(o)) != OMS_OK)
		return rc;
	if ((rc = known_sku(o, sku)) == OMS_OK &&
	    (rc = oms_stock_move(o, sku, kind, d_on_hand, 0, ref, reason)) == OMS_OK)
		return oms_commit(o);
	oms_rollback(o);
	return rc;
}

int
oms_stock_receive(struct oms *o, const char *sku, int64_t qty, const char *ref)
{
	return one_move(o, sku, "receive", qty, ref, NULL);
}

int
oms_stock_adjust(struct oms *o, const char *sku, int64_t delta, const char *reason)
{
	return one_move(o, sku, "adjust", delta, NULL, reason);
}

int
oms_stock_count(struct oms *o, const char *sku, int64_t n, const char *reason)
{
	struct omsi_stmt *st;
	int64_t on_hand = 0;
	int rc;

	if ((rc = oms_begin(o)) != OMS_OK)
		return rc;
	if ((rc = known_sku(o, sku)) != OMS_OK)
		goto out;
	/* Read inside the transaction: the difference must be against what is there now. */
	if ((st = omsi_stmt(o, "SELECT on_hand FROM stock WHERE sku = ?", "t", sku)) == NULL ||
	    (rc = omsi_step(o, st)) < 0) {
		rc = OMS_ESYS;
		goto out;
	}
	if (rc == OMSI_ROW)
		on_hand = omsi_col_int64(st, 0);
	omsi_reset(st);
	if ((rc = oms_stock_move(o, sku, "count", n - on_hand, 0, NULL, reason)) == OMS_OK)
		return oms_commit(o);
out:
	oms_rollback(o);
	return rc;
}

static const char show_sql[] =
    "SELECT i.sku, coalesce(s.on_hand, 0), coalesce(s.reserved, 0),"
    " coalesce(s.on_hand - s.reserved, 0), i.bin"
    " FROM items i LEFT JOIN stock s ON s.sku = i.sku WHERE ?1 IS NULL OR i.sku = ?1"
    " ORDER BY i.sku";

int
oms_stock_show(struct oms *o, char **skus, int n, enum oms_format f, FILE *out)
{
	static const struct oms_column cols[] = {
		{ "sku", OMS_CELL_STR }, { "on_hand", OMS_CELL_INT }, { "reserved", OMS_CELL_INT },
		{ "available", OMS_CELL_INT }, { "bin", OMS_CELL_STR },
	};
	struct oms_table *t = oms_table_new(out, f, cols, 5);
	struct omsi_stmt *st;
	size_t found;
	int i = 0, status = OMS_OK;

	if (t == NULL)
		return OMS_ESYS;
	do {
		if ((st = omsi_stmt(o, show_sql, "t", n ? skus[i] : NULL)) == NULL) {
			status = OMS_ESYS;
			break;
		}
		if (omsi_rows_to_table(o, st, t, 5, &found) != OMS_OK) {
			status = OMS_ESYS;
			break;
		}
		if (n && !found) {
			oms_warnx("%s: no such sku in the catalog", skus[i]);
			status = OMS_EINPUT;
		}
	} while (++i < n);
	if (oms_table_end(t) != OMS_OK)
		return OMS_ESYS;
	return status;
}

int
oms_stock_moves(struct oms *o, const char *sku, enum oms_format f, FILE *out)
{
	static const struct oms_column cols[] = {
		{ "id", OMS_CELL_INT }, { "at", OMS_CELL_STR }, { "kind", OMS_CELL_STR },
		{ "on_hand", OMS_CELL_INT }, { "reserved", OMS_CELL_INT },
		{ "on_hand_after", OMS_CELL_INT }, { "reserved_after", OMS_CELL_INT },
		{ "ref", OMS_CELL_STR }, { "reason", OMS_CELL_STR }, { "user", OMS_CELL_STR },
		{ "tool", OMS_CELL_STR },
	};
	struct oms_table *t;
	struct omsi_stmt *st;
	int rc;

	if ((rc = known_sku(o, sku)) != OMS_OK)
		return rc;
	if ((st = omsi_stmt(o, "SELECT id, at, kind, d_on_hand, d_reserved,"
	    " sum(d_on_hand) OVER w, sum(d_reserved) OVER w, ref, reason, user, tool"
	    " FROM stock_moves WHERE sku = ? WINDOW w AS (ORDER BY id) ORDER BY id",
	    "t", sku)) == NULL || (t = oms_table_new(out, f, cols, 11)) == NULL)
		return OMS_ESYS;
	rc = omsi_rows_to_table(o, st, t, 11, NULL);
	if (oms_table_end(t) != OMS_OK)
		return OMS_ESYS;
	return rc;
}

int
oms_stock_receive_lines(struct oms *o, FILE *f, const char *name, const char *ref, long *count)
{
	char *line = NULL, *sku, *q, *extra, *save;
	size_t cap = 0, lineno = 0;
	int64_t qty;
	int rc;

	*count = 0;
	/* A whole receipt (a delivery note, an ASN) is one transaction: all or nothing. */
	if ((rc = oms_begin(o)) != OMS_OK)
		return rc;
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if ((sku = strtok_r(line, " \t", &save)) == NULL || *sku == '#')
			continue;
		q = strtok_r(NULL, " \t", &save);
		extra = strtok_r(NULL, " \t", &save);
		if (q == NULL || extra != NULL || oms_qty_parse(q, &qty) != 0 || qty == 0) {
			oms_warnx("%s:%zu: expected SKU and a quantity of at least 1", name, lineno);
			rc = OMS_EINPUT;
			break;
		}
		if ((rc = known_sku(o, sku)) != OMS_OK ||
		    (rc = oms_stock_move(o, sku, "receive", qty, 0, ref, NULL)) != OMS_OK)
			break;
		(*count)++;
	}
	free(line);
	if (rc == OMS_OK && ferror(f)) {
		oms_warnx("%s: read error", name);
		rc = OMS_ESYS;
	}
	if (rc != OMS_OK) {
		oms_rollback(o);
		*count = 0;
		return rc;
	}
	return oms_commit(o);
}
