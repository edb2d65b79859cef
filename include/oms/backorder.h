/* backorder.h: allocation: stock reserved for orders by priority, then age; never oversold. */
#ifndef OMS_BACKORDER_H
#define OMS_BACKORDER_H

#include <stdio.h>

#include <oms/oms.h>

struct oms;

/* The policy for an order that is short (oms-backorder(1), POLICIES). */
enum oms_policy {
	OMS_POLICY_ORDER,		/* each order's own, else backorder.policy */
	OMS_POLICY_SHIP_COMPLETE,	/* the whole order waits */
	OMS_POLICY_SPLIT		/* what is in stock goes now, the rest later */
};

/*
 * oms_backorder_run allocates the authorized and backordered orders named
 * (nids), else on stdin, or every one under -a, in fair order.  Orders fully
 * reserved (or, split, partly) become allocated and are printed; short
 * ship-complete orders wait as backordered; orders with SKUs the catalog
 * lacks are held.  Under dry run the plan is printed in format f instead.
 * Returns the exit status.
 */
int oms_backorder_run(struct oms *o, enum oms_policy policy, char **ids, int nids,
    enum oms_format f);

/* oms_backorder_list prints the outstanding demand per SKU, for purchasing. */
int oms_backorder_list(struct oms *o, enum oms_format f, FILE *out);

#endif
