/* filter.h: the one loop every tool that acts on orders runs (oms(7), THE FILTER PROTOCOL). */
#ifndef OMS_FILTER_H
#define OMS_FILTER_H

#include <stddef.h>
#include <stdint.h>

struct oms;

/* What a step did with one order. */
enum oms_step {
	OMS_STEP_DONE,	 /* completed the step: passed on */
	OMS_STEP_PASS,	 /* already past the step, untouched: passed on */
	OMS_STEP_HELD,	 /* put on hold or left waiting, reported: not passed on */
	OMS_STEP_REJECT, /* bad input (unknown ID, wrong status), reported: undone, exit 1 */
	OMS_STEP_FAIL	 /* database or system error, reported: the batch is undone, exit 3 */
};

struct oms_filter {
	/* Applies the step to one order inside the batch's transaction. */
	enum oms_step (*step)(struct oms *o, int64_t id, void *arg);
	/*
	 * For -a/--all: the IDs of every order ready for the step, in the
	 * order to take them.  Returns OMS_OK or an exit status (reported).
	 */
	int (*select_all)(struct oms *o, int64_t **ids, size_t *n, void *arg);
	void *arg;
	/*
	 * The step only reads and prints (oms-order show): no transaction,
	 * and the loop prints no IDs.
	 */
	int readonly;
	/*
	 * Called after each batch commits, before its IDs are printed, with
	 * those IDs: for work that must not run inside a transaction (a
	 * payment gateway, after its intents are durable).  It may drop IDs
	 * from the list (*n) and raise *status; returns OMS_OK or OMS_ESYS.
	 * Not called under dry run.
	 */
	int (*after_commit)(struct oms *o, void *arg, int64_t *ids, size_t *n, int *status);
	/* Orders per transaction; 0: batch_size from oms.yaml. */
	size_t batch;
};

/*
 * oms_filter_run reads order IDs from args (nargs of them), else from stdin,
 * or takes select_all's under opts->all, and applies the step to each in
 * batches of one transaction.  After each commit it prints the IDs passed on
 * and flushes.  Under opts->dry_run every batch is rolled back, and the IDs
 * that would have passed are printed.  Returns the exit status.
 */
int oms_filter_run(struct oms *o, const struct oms_filter *f, char **args, int nargs);

/*
 * oms_filter_run_ids applies the step to the n IDs given, in that order,
 * each once (a step may keep a cursor into its own per-ID data).
 */
int oms_filter_run_ids(struct oms *o, const struct oms_filter *f, const int64_t *ids, size_t n);

#endif
