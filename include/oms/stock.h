/* stock.h: the item catalog, stock on hand and reserved, and the ledger of every move. */
#ifndef OMS_STOCK_H
#define OMS_STOCK_H

#include <stdint.h>
#include <stdio.h>

#include <oms/oms.h>

struct oms;

/*
 * oms_stock_import reads the catalog CSV (header naming sku, description,
 * weight, bin, price in any order; sku required) and adds or updates each
 * item, all in one transaction: a bad row adds nothing, and is reported as
 * "NAME:LINE: WHAT".  *count is the number of items written.
 */
int oms_stock_import(struct oms *o, FILE *f, const char *name, long *count);

/*
 * oms_stock_move writes one ledger row; stock follows from the ledger (a
 * trigger), and the database refuses a move that would take on hand below
 * zero or below what is reserved.  Such a refusal is reported in the
 * caller's words and gives OMS_EINPUT.  ref is what the move was for (an
 * order, a receipt), reason why (free text); either may be NULL.
 */
int oms_stock_move(struct oms *o, const char *sku, const char *kind,
    int64_t d_on_hand, int64_t d_reserved, const char *ref, const char *reason);

/* oms_stock_receive adds qty (> 0) units of a known SKU to on hand. */
int oms_stock_receive(struct oms *o, const char *sku, int64_t qty, const char *ref);

/*
 * oms_stock_receive_lines receives a whole delivery: lines "SKU QTY" (blank
 * lines and # comments skipped), all in one transaction, or none when a
 * line is bad or a SKU unknown ("NAME:LINE: WHAT").
 */
int oms_stock_receive_lines(struct oms *o, FILE *f, const char *name, const char *ref,
    long *count);

/* oms_stock_adjust changes on hand by delta (!= 0) for the reason given. */
int oms_stock_adjust(struct oms *o, const char *sku, int64_t delta, const char *reason);

/* oms_stock_count records a cycle count: on hand becomes n, the ledger records the difference. */
int oms_stock_count(struct oms *o, const char *sku, int64_t n, const char *reason);

/* oms_stock_show prints on hand, reserved, available and bin of the SKUs (all when n is 0). */
int oms_stock_show(struct oms *o, char **skus, int n, enum oms_format f, FILE *out);

/* oms_stock_moves prints a SKU's ledger, oldest first. */
int oms_stock_moves(struct oms *o, const char *sku, enum oms_format f, FILE *out);

#endif
