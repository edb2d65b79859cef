/* report.h: oms-report's reports: stock, shipments, items, shipping cost, orders, payments, returns. */
#ifndef OMS_REPORT_H
#define OMS_REPORT_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <oms/oms.h>

struct oms;

/* What a report's rows are grouped by (--by). */
enum oms_report_by {
	OMS_BY_DEFAULT,		/* the report's own default */
	OMS_BY_DAY,
	OMS_BY_WEEK,		/* weeks start on Monday (ISO 8601) */
	OMS_BY_MONTH,
	OMS_BY_CARRIER,
	OMS_BY_SERVICE,		/* carrier and service */
	OMS_BY_SKU,
	OMS_BY_SOURCE,
	OMS_BY_STATUS,
	OMS_BY_REASON,		/* a return's reason code */
	OMS_NBY
};

/* What oms-report was asked; zero fields are "not given". */
struct oms_report_query {
	const char *report;	/* inventory, shipments, items, shipping-cost, orders, backorders,
				   payments, returns */
	enum oms_report_by by;
	const char *since;	/* a date (midnight in the report's zone) or an ISO 8601 time */
	const char *until;	/* the same; exclusive */
	const char *now;	/* the reference time for ages (OMS_NOW), or NULL: the clock */
	int has_low;		/* inventory --low: items with at most low units free */
	int64_t low;
	int64_t top;		/* items --top: the top N SKUs per period (0: all) */
	int has_expiring;	/* payments --expiring: authorizations ending within days */
	int64_t expiring;
	int chart;		/* a bar chart of the main figure instead of the table */
	int width;		/* the chart's width in columns */
	int utf8;		/* the chart may draw with Unicode block characters */
	enum oms_format format;
};

/* oms_report_by_parse reads a --by value; -1 when it is none. */
int oms_report_by_parse(const char *s, enum oms_report_by *by);

/*
 * oms_report_check says whether the report exists and takes the options
 * given, before any database is opened: OMS_OK, or OMS_EUSAGE reported in
 * words naming the report ("--by carrier: the orders report takes status
 * or source").
 */
int oms_report_check(const struct oms_report_query *q);

/*
 * oms_tz_check says whether zone names a time zone this system knows
 * (a file under $TZDIR, else /usr/share/zoneinfo): 0, or -1.  The C
 * library takes an unknown zone for UTC without a word, so a typo would
 * give a report in the wrong zone.
 */
int oms_tz_check(const char *zone);

/*
 * oms_report_run writes the report to out in q->format: OMS_OK, OMS_EUSAGE
 * for a bad --since, --until or OMS_NOW, OMS_ESYS on a database or write
 * error.  Periods, dates and times are in the process's local time zone:
 * oms-report sets TZ (UTC unless --tz names another).
 */
int oms_report_run(struct oms *o, const struct oms_report_query *q, FILE *out);

/*
 * The calendar of periods, in local time: oms_period_start returns the
 * start of the day, week (Monday) or month holding t; oms_period_next the
 * start of the period after the one starting at start; oms_period_label
 * writes its name ("2026-11-03", the week's Monday, "2026-11").
 */
time_t oms_period_start(enum oms_report_by by, time_t t);
time_t oms_period_next(enum oms_report_by by, time_t start);
char *oms_period_label(enum oms_report_by by, time_t start, char buf[16]);

#endif
