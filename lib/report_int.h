/*
 * report_int.h: what lib/report.c (the reports) and lib/report_out.c (their
 * rows, totals, tables and charts) share.  Names are omsr_.
 */
#ifndef OMS_REPORT_INT_H
#define OMS_REPORT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include <oms/report.h>

/* The most columns a report has. */
#define OMSR_MAXCOLS 12

/* What a column holds, which says how it is written and totalled. */
enum omsr_kind {
	OMSR_KEY,	/* what the rows are grouped by: text, the chart's label */
	OMSR_TEXT,	/* other text */
	OMSR_TIME,	/* a stored UTC time, shown in the report's zone */
	OMSR_CUR,	/* the currency of the row's money */
	OMSR_COUNT,	/* a number the totals add up */
	OMSR_NUM,	/* a number the totals leave out: an ID, an age */
	OMSR_MONEY,	/* minor units of the row's currency, added up per currency */
	OMSR_PRICE,	/* minor units of the row's currency, not added up: a unit price */
	OMSR_GRAMS,	/* a weight in grams, shown in kilograms */
	OMSR_DISTINCT,	/* a count of orders: its total is counted apart, not added */
	OMSR_RATE	/* a share in hundredths of a percent, shown as a percentage; not added */
};

struct omsr_col {
	const char *name;
	enum omsr_kind kind;
};

/* One row of a report's result. */
struct omsr_row {
	time_t period;			/* the period's start, when grouped by time */
	int64_t order;			/* what the report sorts by besides its keys */
	const char *s[OMSR_MAXCOLS];	/* text cells (in the result's pool); NULL: empty */
	int64_t v[OMSR_MAXCOLS];	/* number cells */
	uint32_t null;			/* bit per column: a number cell with no value */
};

/* Text kept once for a whole result: cells point into it. */
struct omsr_pool {
	char **str;		/* by id; id 0 is NULL */
	size_t n, cap;
	uint32_t *slot;		/* hash table of ids, 0 empty */
	size_t nslot;
};

/* A report's result: its columns and rows, and how to total and chart them. */
struct omsr_result {
	struct omsr_col cols[OMSR_MAXCOLS];
	size_t ncols;
	int cur;		/* the currency column, or -1 */
	int fig;		/* the main figure, for --chart */
	int64_t distinct_total;	/* the total of the OMSR_DISTINCT column */
	/*
	 * Or, when what it counts has one currency each (a return), its
	 * total per currency: dtotal[i] for currency dcur[i] (in the pool).
	 */
	const char **dcur;
	int64_t *dtotal;
	size_t ndcur;
	struct omsr_row *rows;
	size_t nrows, cap;
	struct omsr_pool pool;
};

/* omsr_col adds a column; returns its index. */
int omsr_col(struct omsr_result *r, const char *name, enum omsr_kind kind);

/* omsr_row adds an empty row (every number cell without a value); NULL when out of memory. */
struct omsr_row *omsr_row(struct omsr_result *r);

/* omsr_intern returns the id of s in the pool, adding it; 0 for NULL, -1 when out of memory. */
int32_t omsr_intern(struct omsr_pool *p, const char *s);

/*
 * A memo of the few texts one column of many rows takes (a currency, a
 * carrier), looked at before the pool's hash table: comparing a few short
 * texts costs less than hashing one.  Zeroed, it is empty.
 */
struct omsr_memo {
	int32_t id[4];
	unsigned next;		/* the one to replace */
};

/* omsr_intern_memo is omsr_intern, through a memo of the column's last texts. */
int32_t omsr_intern_memo(struct omsr_pool *p, struct omsr_memo *m, const char *s);

/* omsr_str returns the text of an id. */
const char *omsr_str(const struct omsr_pool *p, int32_t id);

/* omsr_set sets a text cell (copied into the pool); -1 when out of memory. */
int omsr_set(struct omsr_result *r, struct omsr_row *row, int col, const char *s);

/* omsr_num sets a number cell. */
void omsr_num(struct omsr_row *row, int col, int64_t v);

void omsr_free(struct omsr_result *r);

/*
 * A group of a streamed report: the key it is found by (a period and up
 * to four pooled texts) and the figures added up into it.
 */
struct omsr_group {
	time_t period;
	int32_t k[4];
	int64_t v[OMSR_MAXCOLS];
};

/*
 * Groups found by key in a hash table, for the reports that read every row
 * of a large table once and add up in C: SQLite sorts every row for a
 * GROUP BY, which costs more than reading them (see oms-report(1), CAVEATS).
 */
struct omsr_groups {
	struct omsr_group *g;
	size_t n, cap;
	uint32_t *slot;		/* index + 1 of a group, 0 empty */
	size_t nslot;
	/* (order, group) pairs, one per row, for counts of distinct orders */
	struct omsr_pair { int64_t order; int64_t group; } *pairs;
	size_t npairs, paircap;
	int unsorted;		/* pairs did not come in order */
	/* The last groups found (index + 1, 0 none), for omsr_group_recent. */
	uint32_t recent[4];
	unsigned next;		/* the one to replace */
};

/* omsr_group finds or adds the group of a key; -1 when out of memory. */
ssize_t omsr_group(struct omsr_groups *gs, time_t period, const int32_t k[4]);

/*
 * omsr_group_recent is omsr_group through the last groups found first, for
 * rows that come in time order with few keys at a time (shipments,
 * payments), not for those keyed by one of many (a SKU), where it misses.
 */
ssize_t omsr_group_recent(struct omsr_groups *gs, time_t period, const int32_t k[4]);

/* omsr_pair records that an order has a row in a group; -1 when out of memory. */
int omsr_pair(struct omsr_groups *gs, int64_t group, int64_t order);

/*
 * omsr_pairs_count sets column col of each group to the number of distinct
 * orders recorded in it, and returns the number of distinct orders in all.
 */
int64_t omsr_pairs_count(struct omsr_groups *gs, int col);

void omsr_groups_free(struct omsr_groups *gs);

/*
 * omsr_print writes the result: a table in format f, with a totals row per
 * currency in text, or under chart a bar chart of the main figure.
 * OMS_OK, or OMS_ESYS (reported).
 */
int omsr_print(struct omsr_result *r, const struct oms_report_query *q, FILE *out);

/*
 * omsr_local writes a stored UTC time ("YYYY-MM-DDTHH:MM:SSZ") in local
 * time with its offset ("2026-11-02T22:30:00-05:00", "Z" for UTC); a text
 * that is not such a time is copied.
 */
char *omsr_local(const char *utc, char buf[32]);

/* omsr_utc_parse reads a stored UTC time into *t: 0, or -1 when it is not one. */
int omsr_utc_parse(const char *s, time_t *t);

#endif
