/*
 * alias.c: (source, key) -> SKU, for carts' SKU-less lines and trading
 * partners' own item numbers.  One table serves both, so that a key is
 * resolved the same way whoever sent it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <oms/alias.h>
#include <oms/db.h>
#include <oms/diag.h>
#include <oms/fmt.h>
#include <oms/order.h>
#include <oms/time.h>

#include "internal.h"

#define SOURCE_MAX 64
#define KEY_MAX 256

/* check_alias says what is wrong with a source, key and SKU, or NULL. */
static const char *
check_alias(const char *source, const char *key, const char *sku)
{
	if (*source == '\0' || strlen(source) > SOURCE_MAX || strpbrk(source, " \t\r\n"))
		return "the source must be 1 to 64 characters with no blanks";
	if (*key == '\0' || strlen(key) > KEY_MAX || strpbrk(key, "\r\n"))
		return "the key must be 1 to 256 characters on one line";
	if (*sku == '\0' || strlen(sku) >= OMS_SKU_MAX)
		return "the sku must be 1 to 64 characters";
	return NULL;
}

const char *
omsi_alias_source(const char *order_source)
{
	return strncmp(order_source, "x12:", 4) == 0 ? order_source + 4 : order_source;
}

/*
 * resolve gives the lines waiting on source's key their SKU, in the orders
 * still open, each with an event; an order held for want of SKUs that now
 * has them all goes back where it was held from, for allocation to take.
 */
static int
resolve(struct oms *o, const char *source, const char *key, const char *sku)
{
	struct omsi_stmt *st;
	int64_t *ids = NULL, *more, left;
	enum oms_status s, from;
	char detail[400];
	size_t n = 0, cap = 0, i;
	int rc;

	/* The orders whose source keeps its aliases under this one (omsi_alias_source). */
	if ((st = omsi_stmt(o, "SELECT DISTINCT l.order_id, o.source FROM order_lines l, orders o"
	    " WHERE l.sku = '' AND l.item_key = ? AND o.id = l.order_id AND"
	    " o.status != 'cancelled' ORDER BY 1", "t", key)) == NULL)
		return OMS_ESYS;
	while ((rc = omsi_step(o, st)) == OMSI_ROW) {
		if (strcmp(omsi_alias_source(omsi_text(st, 1)), source) != 0)
			continue;
		if ((more = omsi_grow(ids, &cap, n, sizeof *ids)) == NULL) {
			rc = -1;
			break;
		}
		ids = more;
		ids[n++] = omsi_col_int64(st, 0);
	}
	omsi_reset(st);
	if (rc != OMSI_DONE) {
		free(ids);
		return OMS_ESYS;
	}
	rc = OMS_OK;
	for (i = 0; i < n && rc == OMS_OK; i++) {
		snprintf(detail, sizeof detail, "%s \"%.256s\" is %s (alias)", source, key, sku);
		/* An item that never ships (items.ships 0) makes its line need no shipping. */
		if ((rc = omsi_exec(o, "UPDATE order_lines SET sku = ?1, needs_shipping ="
		    " needs_shipping AND (SELECT ships FROM items WHERE sku = ?1) WHERE order_id = ?2"
		    " AND sku = '' AND item_key = ?3", "tit", sku, ids[i], key)) != OMS_OK ||
		    (rc = omsi_waiting_refresh(o, ids[i], sku)) != OMS_OK ||
		    (rc = oms_event(o, ids[i], "sku from alias", OMS_NSTATUS, OMS_NSTATUS,
		    detail)) != OMS_OK ||
		    (rc = oms_order_status(o, ids[i], &s, &from)) != OMS_OK)
			break;
		/* Held for SKUs, with none open still to come: it goes on. */
		if (s != OMS_HOLD || (rc = omsi_int(o, &left, "SELECT hold_reason = 'sku' AND NOT"
		    " EXISTS (SELECT 1 FROM order_lines WHERE order_id = ?1 AND sku = '' AND"
		    " needs_shipping = 1 AND qty - cancelled > 0) FROM orders WHERE id = ?1", "i",
		    ids[i])) != OMS_OK || !left)
			continue;
		rc = oms_order_move(o, ids[i], from, NULL, "release", "every line has a sku now");
	}
	free(ids);
	return rc;
}

/* put writes one alias inside the caller's transaction; OMS_EINPUT for an unknown SKU. */
static int
put(struct oms *o, const char *source, const char *key, const char *sku, const char *now,
    const char *where)
{
	struct omsi_stmt *st;
	int rc;

	if ((st = omsi_stmt(o, "SELECT 1 FROM items WHERE sku = ?", "t", sku)) == NULL ||
	    (rc = omsi_step(o, st)) < 0)
		return OMS_ESYS;
	omsi_reset(st);
	if (rc != OMSI_ROW) {
		oms_warnx("%s%s: no such sku in the catalog (oms-stock import adds it)", where, sku);
		return OMS_EINPUT;
	}
	if ((rc = omsi_exec(o, "INSERT INTO item_aliases (source, key, sku, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (source, key) DO UPDATE SET"
	    " sku = excluded.sku, updated_at = excluded.updated_at", "tttt", source, key, sku,
	    now)) != OMS_OK)
		return rc;
	return resolve(o, source, key, sku);
}

int
omsi_alias_put(struct oms *o, const char *source, const char *key, const char *sku,
    const char *now, const char *where)
{
	const char *why;

	if ((why = check_alias(source, key, sku)) != NULL) {
		oms_warnx("%s%s", where, why);
		return OMS_EINPUT;
	}
	return put(o, source, key, sku, now, where);
}

int
oms_alias_set(struct oms *o, const char *source, const char *key, const char *sku)
{
	char now[OMS_TIME_MAX];
	const char *why;
	int rc;

	if ((why = check_alias(source, key, sku)) != NULL) {
		oms_warnx("alias: %s", why);
		return OMS_EUSAGE;
	}
	oms_time_now(now);
	if ((rc = oms_begin(o)) != OMS_OK)
		return rc;
	if ((rc = put(o, source, key, sku, now, "")) != OMS_OK) {
		oms_rollback(o);
		return rc;
	}
	return oms_commit(o);
}

int
oms_alias_remove(struct oms *o, const char *source, const char *key)
{
	int rc;

	if ((rc = oms_begin(o)) != OMS_OK)
		return rc;
	if ((rc = omsi_exec(o, "DELETE FROM item_aliases WHERE source = ? AND key = ?", "tt",
	    source, key)) != OMS_OK) {
		oms_rollback(o);
		return rc;
	}
	if (omsi_changes(o) == 0) {
		oms_rollback(o);
		oms_warnx("%s: %s: no such alias", source, key);
		return OMS_EINPUT;
	}
	return oms_commit(o);
}

enum { COL_SOURCE, COL_KEY, COL_SKU, NCOLS };
static const char *const alias_cols[NCOLS] = { "source", "key", "sku" };

static int
alias_header(struct oms *o, void *arg, char **f, size_t n, const char *name, size_t line)
{
	int *col = arg;
	size_t i;
	int j;

	for (j = 0; j < NCOLS; j++)
		col[j] = -1;
	for (i = 0; i < n; i++) {
		for (j = 0; j < NCOLS; j++)
			if (strcmp(f[i], alias_cols[j]) == 0)
				break;
		if (j == NCOLS) {
			oms_warnx("%s:%zu: unknown column \"%.40s\" (expected source, key, sku)", name,
			    line, f[i]);
			return OMS_EINPUT;
		}
		if (col[j] >= 0) {
			oms_warnx("%s:%zu: column \"%s\" given twice", name, line, f[i]);
			return OMS_EINPUT;
		}
		col[j] = (int)i;
	}
	for (j = 0; j < NCOLS; j++)
		if (col[j] < 0) {
			oms_warnx("%s:%zu: no %s column", name, line, alias_cols[j]);
			return OMS_EINPUT;
		}
	return OMS_OK;
}

/* alias_row sets the alias of one row of an alias file. */
static int
alias_row(struct oms *o, void *arg, char **f, size_t n, const char *name, size_t line,
    const char *now)
{
	const int *col = arg;
	char where[600];
	const char *why;

	if ((why = check_alias(f[col[COL_SOURCE]], f[col[COL_KEY]], f[col[COL_SKU]])) != NULL) {
		oms_warnx("%s:%zu: %s", name, line, why);
		return OMS_EINPUT;
	}
	snprintf(where, sizeof where, "%s:%zu: ", name, line);
	return put(o, f[col[COL_SOURCE]], f[col[COL_KEY]], f[col[COL_SKU]], now, where);
}

int
oms_alias_import(struct oms *o, FILE *f, const char *name, long *count)
{
	int col[NCOLS];
	const struct omsi_csv_load l = { "source,key,sku", alias_header, alias_row, col };

	return omsi_csv_load(o, f, name, &l, count);
}

int
oms_alias_list(struct oms *o, const char *source, enum oms_format f, FILE *out)
{
	static const struct oms_column cols[] = {
		{ "source", OMS_CELL_STR }, { "key", OMS_CELL_STR }, { "sku", OMS_CELL_STR },
		{ "updated_at", OMS_CELL_STR },
	};
	struct oms_table *t;
	struct omsi_stmt *st;
	int rc;

	if ((st = omsi_stmt(o, "SELECT source, key, sku, updated_at FROM item_aliases"
	    " WHERE ?1 IS NULL OR source = ?1 ORDER BY source, key", "t", source)) == NULL ||
	    (t = oms_table_new(out, f, cols, 4)) == NULL)
		return OMS_ESYS;
	rc = omsi_rows_to_table(o, st, t, 4, NULL);
	if (oms_table_end(t) != OMS_OK)
		return OMS_ESYS;
	return rc;
}

int
oms_alias_lookup(struct oms *o, const char *source, const char *key, char sku[OMS_SKU_MAX])
{
	struct omsi_stmt *st;
	int rc;

	if ((st = omsi_stmt(o, "SELECT sku FROM item_aliases WHERE source = ? AND key = ?",
	    "tt", source, key)) == NULL || (rc = omsi_step(o, st)) < 0)
		return -1;
	if (rc == OMSI_ROW)
		snprintf(sku, OMS_SKU_MAX, "%s", omsi_text(st, 0));
	omsi_reset(st);
	return rc == OMSI_ROW;
}
