/*
 * alias.h: what others call our items.  A cart that sells a product without
 * a SKU, or a trading partner that orders by its own item number, names an
 * item by a key of its own; an alias maps (source, key) to one of our SKUs.
 * A source is a cart, as an order's source names it ("shopify",
 * "woocommerce", "amazon"), or an X12 partner's interchange ID; the trading
 * partners' word for the same table is the item cross-reference.
 */
#ifndef OMS_ALIAS_H
#define OMS_ALIAS_H

#include <stdio.h>

#include <oms/oms.h>

struct oms;

/* The longest SKU, and so the size of a buffer that holds one with its NUL. */
#define OMS_SKU_MAX 65

/*
 * oms_alias_set maps source's key to sku, a SKU of the catalog, replacing
 * what the key mapped to before; in its own transaction.
 */
int oms_alias_set(struct oms *o, const char *source, const char *key, const char *sku);

/* oms_alias_remove removes the mapping of source's key (OMS_EINPUT if there is none). */
int oms_alias_remove(struct oms *o, const char *source, const char *key);

/*
 * oms_alias_import reads a CSV file whose header names source, key and sku
 * (in any order; other columns are an error) and sets each row's alias, all
 * in one transaction: a bad row sets nothing ("NAME:LINE: WHAT").  *count is
 * the number of aliases written.
 */
int oms_alias_import(struct oms *o, FILE *f, const char *name, long *count);

/* oms_alias_list prints the aliases of source (all when NULL), by source and key. */
int oms_alias_list(struct oms *o, const char *source, enum oms_format f, FILE *out);

/*
 * oms_alias_lookup finds what source's key maps to: 1 with sku filled, 0 when
 * the key maps to nothing, -1 on error (reported).  For use inside the
 * caller's transaction.
 */
int oms_alias_lookup(struct oms *o, const char *source, const char *key,
    char sku[OMS_SKU_MAX]);

#endif
