/* woo.h: WooCommerce orders: REST v3 order JSON, from a file or from the store itself. */
#ifndef OMS_WOO_H
#define OMS_WOO_H

#include <stdio.h>

struct oms_import;

/* oms_import_woo_json imports WooCommerce REST v3 order JSON (one object or an array). */
int oms_import_woo_json(struct oms_import *imp, FILE *f, const char *name);

/* oms_import_woo_url pulls orders from a store's REST API (oms-import(1), --from). */
int oms_import_woo_url(struct oms_import *imp, const char *url);

#endif
