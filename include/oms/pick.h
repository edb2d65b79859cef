/* pick.h: waves of allocated orders on pick lists, in walking order; confirmation and short picks. */
#ifndef OMS_PICK_H
#define OMS_PICK_H

#include <stdint.h>
#include <stdio.h>

#include <oms/oms.h>

struct oms;

/* How a pick list is laid out. */
enum oms_pick_layout {
	OMS_PICK_BY_BIN,	/* walking order: bin, SKU, the split per order */
	OMS_PICK_BY_SKU,	/* batch: a total per SKU */
	OMS_PICK_BY_ORDER	/* discrete: one order after another */
};

/* What a run of oms-pick puts on lists. */
struct oms_pick_opts {
	long max_orders;	/* a wave holds at most this many orders (0: no limit) */
	long max_lines;		/* ... and at most this many lines */
	const char *ship_method; /* only orders of this ship method */
};

/*
 * oms_pick_run puts the allocated orders named (nids), else on stdin, or
 * every one under -a, on new pick lists (waves, cut by the limits), moves
 * them to picking and prints their IDs.  *first and *last get the lists
 * made (0 when none).  Returns the exit status.
 */
int oms_pick_run(struct oms *o, const struct oms_pick_opts *po, char **ids, int nids,
    int64_t *first, int64_t *last);

/* oms_pick_show prints a list in a layout and format (pdf when pdf is set: to out). */
int oms_pick_show(struct oms *o, int64_t list, enum oms_pick_layout layout, enum oms_format f,
    FILE *out);

/*
 * oms_pick_show_pdf writes the lists first to last as one PDF to out (name
 * in messages), each on pages of its own under a Code 128 barcode of its ID.
 */
int oms_pick_show_pdf(struct oms *o, int64_t first, int64_t last, enum oms_pick_layout layout,
    FILE *out, const char *name);

/* oms_pick_slips writes one packing slip per order of a list, as text. */
int oms_pick_slips(struct oms *o, int64_t list, FILE *out);

/*
 * oms_pick_confirm records what was picked: everything, but for the
 * shorts ("ORDER:SKU:QTY" short by QTY).  A short pick corrects stock
 * (ledger "short pick"), releases the missing quantity, and sends the
 * order back through allocation by its policy.
 */
int oms_pick_confirm(struct oms *o, int64_t list, char **shorts, int nshorts);

/*
 * oms_pick_slips_pdf writes the slips as PDF to out (name in messages),
 * each with a Code 128 barcode of its order's ID.
 */
int oms_pick_slips_pdf(struct oms *o, int64_t list, FILE *out, const char *name);

/* oms_pick_cancel takes a list back: its orders return to allocated. */
int oms_pick_cancel(struct oms *o, int64_t list);

#endif
