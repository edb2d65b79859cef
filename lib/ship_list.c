/*
 * ship_list.c: an order's shipments as a listing.  Apart from ship.c so
 * that oms-order, which shows them, does not link the payment gateways.
 */
#include <oms/fmt.h>
#include <oms/money.h>
#include <oms/ship.h>

#include "internal.h"

#define SHIPMENT_COLUMNS "SELECT s.id, s.order_id, s.status, s.carrier, s.service," \
    " s.tracking, (SELECT sum(qty) FROM shipment_lines WHERE shipment_id = s.id)," \
    " s.weight_g, s.cost, s.charge, s.currency, s.shipped_at FROM shipments s"

int
oms_ship_list(struct oms *o, int64_t order, enum oms_format f, FILE *out)
{
	static const struct oms_column cols[] = {
		{ "shipment", OMS_CELL_INT }, { "order", OMS_CELL_INT },
		{ "status", OMS_CELL_STR }, { "carrier", OMS_CELL_STR },
		{ "service", OMS_CELL_STR }, { "tracking", OMS_CELL_STR },
		{ "units", OMS_CELL_INT }, { "weight_g", OMS_CELL_INT },
		{ "cost", OMS_CELL_AMOUNT }, { "charge", OMS_CELL_AMOUNT },
		{ "currency", OMS_CELL_STR }, { "shipped_at", OMS_CELL_STR },
	};
	struct oms_table *t;
	struct omsi_stmt *st;
	const char *cell[12];
	char cost[OMS_MONEY_MAX], charge[OMS_MONEY_MAX];
	int i, rc;

	/*
	 * Two statements: "?1 = 0 OR s.order_id = ?1" would be planned once
	 * for both, as a scan of every shipment.
	 */
	st = order != 0 ? omsi_stmt(o, SHIPMENT_COLUMNS " WHERE s.order_id = ? ORDER BY s.id", "i",
	    order) : omsi_stmt(o, SHIPMENT_COLUMNS " ORDER BY s.id", "");
	if (st == NULL || (t = oms_table_new(out, f, cols, 12)) == NULL)
		return OMS_ESYS;
	while ((rc = omsi_step(o, st)) == OMSI_ROW) {
		for (i = 0; i < 12; i++)
			cell[i] = omsi_col_null(st, i) ? NULL :
			    omsi_text(st, i);
		cell[8] = cell[8] ? oms_money_format(cost, omsi_col_int64(st, 8),
		    cell[10]) : NULL;
		cell[9] = oms_money_format(charge, omsi_col_int64(st, 9), cell[10]);
		if (oms_table_row(t, cell) != OMS_OK) {
			rc = -1;
			break;
		}
	}
	omsi_reset(st);
	if (oms_table_end(t) != OMS_OK || rc != OMSI_DONE)
		return OMS_ESYS;
	return OMS_OK;
}
