/*
 * report.c: oms-report's reports.  Each reads what it needs in one read
 * transaction and fills a result (lib/report_out.c writes it).
 *
 * Reports of what is open now (inventory, orders, backorders, expiring
 * authorizations) are small and add up in SQL over the status index.
 * Reports over time (shipments, items, shipping cost, payments) read each
 * row of their range once, through the time index or, for most of a
 * table, the table in its own order (payments: their time index alone,
 * which holds all the report needs), and add up in C: a GROUP BY in
 * SQLite sorts every row it groups, which measured several times the cost
 * of reading them (oms-report(1), CAVEATS).  Their rows are handed to C
 * inside SQLite's loop (omsi_each), with only the columns their grouping
 * needs: stepping each row out and fetching its columns one call at a
 * time cost about as much again as reading it.
 *
 * Times are stored as UTC text, which sorts as time does, so ranges are
 * compared as text; periods are worked out in local time (TZ).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <oms/cmdline.h>
#include <oms/db.h>
#include <oms/diag.h>
#include <oms/report.h>
#include <oms/time.h>

#include "internal.h"
#include "report_int.h"

/* Open bounds of a range of stored times: before and after every one. */
#define TIME_FIRST ""
#define TIME_LAST "~"

/* The statuses of orders still open, in the pipeline's order (oms(7)). */
#define OPEN_STATUSES "'new','verified','authorized','backordered','allocated','picking','hold'"

/*
 * What orders wait for, per SKU: the open part of lines not reserved, in
 * orders that have been through allocation (before it nothing waits yet),
 * held ones too.  oms-order show calls this the line's backordered quantity.
 */
#define WAITING_JOIN " FROM orders o JOIN order_lines l ON l.order_id = o.id"
#define WAITING_WHERE \
    " WHERE o.status IN ('backordered','allocated','picking','hold')" \
    " AND coalesce(o.held_from, o.status) IN ('backordered','allocated','picking')" \
    " AND l.qty > l.allocated + l.shipped + l.cancelled"
#define WAITING_QTY "sum(l.qty - l.allocated - l.shipped - l.cancelled)"

struct ctx {
	struct oms *o;
	const struct oms_report_query *q;
	enum oms_report_by by;
	const char *since, *until;	/* the range as stored text, open ends TIME_FIRST/LAST */
	char since_buf[OMS_TIME_MAX], until_buf[OMS_TIME_MAX];
	time_t since_t, until_t;
	int has_since, has_until;
	time_t now;			/* the reference time: --until, OMS_NOW or the clock */
	struct period {			/* a period found, [lo, hi) as stored text */
		char lo[OMS_TIME_MAX], hi[OMS_TIME_MAX];
		time_t start;
	} *periods, *last, *prev;	/* in time order; the last two found */
	size_t nperiods, cap;
	int progress;			/* say how far a long read is, on stderr */
	int64_t nread;			/* rows read so far */
	time_t shown;			/* when that was last said */
};

typedef int (*report_fn)(struct ctx *, struct omsr_result *);

static int when(const char *, const char *, time_t *, char[OMS_TIME_MAX]);

static int inventory(struct ctx *, struct omsr_result *);
static int shipments(struct ctx *, struct omsr_result *);
static int items(struct ctx *, struct omsr_result *);
static int shipping_cost(struct ctx *, struct omsr_result *);
static int orders(struct ctx *, struct omsr_result *);
static int backorders(struct ctx *, struct omsr_result *);
static int payments(struct ctx *, struct omsr_result *);
static int returns(struct ctx *, struct omsr_result *);

enum {
	R_RANGE = 1,		/* takes --since and --until */
	R_LOW = 2,		/* --low */
	R_TOP = 4,		/* --top */
	R_EXPIRING = 8,		/* --expiring */
	R_SCAN = 16		/* reads whole tables in their order, not row by row */
};
#define B(x) (1u << (x))
#define BY_TIME (B(OMS_BY_DAY) | B(OMS_BY_WEEK) | B(OMS_BY_MONTH))
#define BY_SHIP (BY_TIME | B(OMS_BY_CARRIER) | B(OMS_BY_SERVICE))

static const struct report {
	const char *name;
	unsigned by;			/* the groupings it takes */
	enum oms_report_by dflt;
	unsigned opts;			/* the options of its own it takes (R_) */
	report_fn run;
} reports[] = {
	{ "inventory", B(OMS_BY_SKU), OMS_BY_SKU, R_LOW, inventory },
	{ "shipments", BY_SHIP, OMS_BY_DAY, R_RANGE | R_SCAN, shipments },
	{ "items", BY_TIME | B(OMS_BY_SKU), OMS_BY_SKU, R_RANGE | R_TOP | R_SCAN, items },
	{ "shipping-cost", BY_SHIP, OMS_BY_CARRIER, R_RANGE | R_SCAN, shipping_cost },
	{ "orders", B(OMS_BY_STATUS) | B(OMS_BY_SOURCE), OMS_BY_STATUS, R_RANGE, orders },
	{ "backorders", B(OMS_BY_SKU), OMS_BY_SKU, 0, backorders },
	{ "payments", BY_TIME, OMS_BY_DAY, R_RANGE | R_EXPIRING | R_SCAN, payments },
	{ "returns", BY_TIME | B(OMS_BY_SKU) | B(OMS_BY_REASON), OMS_BY_REASON, R_RANGE, returns },
};
#define NREPORTS (sizeof reports / sizeof reports[0])

static const char *const by_names[OMS_NBY] = {
	"", "day", "week", "month", "carrier", "service", "sku", "source", "status", "reason",
};

int
oms_report_by_parse(const char *s, enum oms_report_by *by)
{
	int i;

	for (i = 1; i < OMS_NBY; i++)
		if (strcmp(s, by_names[i]) == 0) {
			*by = (enum oms_report_by)i;
			return 0;
		}
	return -1;
}

static const struct report *
find_report(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < NREPORTS; i++)
		if (strcmp(reports[i].name, name) == 0)
			return &reports[i];
	return NULL;
}

/* by_list writes the groupings a report takes, "day, week, month or carrier". */
static char *
by_list(unsigned set, char *buf, size_t len)
{
	int i, n = 0, total = 0;

	for (i = 1; i < OMS_NBY; i++)
		total += (set & B(i)) != 0;
	buf[0] = '\0';
	for (i = 1; i < OMS_NBY; i++)
		if (set & B(i)) {
			n++;
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
			    n == 1 ? "" : n == total ? " or " : ", ", by_names[i]);
		}
	return buf;
}

int
oms_report_check(const struct oms_report_query *q)
{
	const struct report *r = find_report(q->report);
	char list[128], buf[OMS_TIME_MAX];
	time_t since, until, now;

	if (r == NULL) {
		const char *names[NREPORTS + 1];
		size_t i;

		for (i = 0; i < NREPORTS; i++)
			names[i] = reports[i].name;
		names[NREPORTS] = NULL;
		oms_command_unknown(q->report ? q->report : "", "report", names);
		return OMS_EUSAGE;
	}
	if (q->by != OMS_BY_DEFAULT && !(r->by & B(q->by))) {
		if ((r->by & (r->by - 1)) == 0)
			oms_warnx("--by %s: the %s report is by %s only", by_names[q->by], r->name,
			    by_list(r->by, list, sizeof list));
		else
			oms_warnx("--by %s: the %s report is by %s", by_names[q->by], r->name,
			    by_list(r->by, list, sizeof list));
		return OMS_EUSAGE;
	}
	if ((q->since || q->until) && !(r->opts & R_RANGE)) {
		oms_warnx("--%s: the %s report is of now: it takes no --since or --until",
		    q->since ? "since" : "until", r->name);
		return OMS_EUSAGE;
	}
	if (q->has_low && !(r->opts & R_LOW)) {
		oms_warnx("--low: only the inventory report takes it, not %s", r->name);
		return OMS_EUSAGE;
	}
	if (q->top && !(r->opts & R_TOP)) {
		oms_warnx("--top: only the items report takes it, not %s", r->name);
		return OMS_EUSAGE;
	}
	if (q->has_expiring && !(r->opts & R_EXPIRING)) {
		oms_warnx("--expiring: only the payments report takes it, not %s", r->name);
		return OMS_EUSAGE;
	}
	if (q->has_expiring && (q->by != OMS_BY_DEFAULT || q->since || q->until)) {
		oms_warnx("--expiring lists authorizations as of now: it takes no --by, --since"
		    " or --until");
		return OMS_EUSAGE;
	}
	if (q->chart && q->format != OMS_FMT_TEXT) {
		oms_warnx("--chart draws text: it does not go with --format");
		return OMS_EUSAGE;
	}
	/* The times too, so that a typo is a usage error even before the database is found. */
	if ((q->since && when("--since", q->since, &since, buf) != 0) ||
	    (q->until && when("--until", q->until, &until, buf) != 0) ||
	    (q->now && *q->now && when("OMS_NOW", q->now, &now, buf) != 0))
		return OMS_EUSAGE;
	if (q->since && q->until && since >= until) {
		oms_warnx("--since %s is not before --until %s", q->since, q->until);
		return OMS_EUSAGE;
	}
	return OMS_OK;
}

int
oms_tz_check(const char *zone)
{
	const char *dir = getenv("TZDIR");
	char path[PATH_MAX];
	struct stat sb;

	/* A name under the zone directory, never a path out of it. */
	if (zone == NULL || *zone == '\0' || *zone == '/' || *zone == '.' ||
	    strstr(zone, "/.") != NULL || strspn(zone, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789/_+-") != strlen(zone))
		return -1;
	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, zone) >= sizeof path)
		return -1;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) ? 0 : -1;
}

/* utc_text writes t as stored times are written. */
static char *
utc_text(time_t t, char buf[OMS_TIME_MAX])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, OMS_TIME_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

/*
 * local_midnight is the first instant of a local date.  Where a change to
 * summer time skips midnight, the day starts at the first time it has.
 */
static time_t
local_midnight(int y, int m, int d)
{
	struct tm tm;
	time_t t;
	int i;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	for (i = 0; i < 4; i++) {
		if (localtime_r(&t, &tm) == NULL)
			break;
		/* mktime may have gone back into the day before: step into this one. */
		if (tm.tm_year + 1900 > y || (tm.tm_year + 1900 == y && (tm.tm_mon + 1 > m ||
		    (tm.tm_mon + 1 == m && tm.tm_mday >= d))))
			break;
		t += 3600 - (tm.tm_min * 60 + tm.tm_sec);
	}
	return t;
}

time_t
oms_period_start(enum oms_report_by by, time_t t)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL)
		return t;	/* out of the calendar's range: a period of its own */
	if (by == OMS_BY_MONTH) {
		tm.tm_mday = 1;
	} else if (by == OMS_BY_WEEK) {
		/* Back to Monday, through mktime's reading of a day out of range. */
		tm.tm_mday -= (tm.tm_wday + 6) % 7;
		tm.tm_hour = 12;
		tm.tm_isdst = -1;
		if ((t = mktime(&tm)) == (time_t)-1 || localtime_r(&t, &tm) == NULL)
			return t;
	}
	return local_midnight(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

time_t
oms_period_next(enum oms_report_by by, time_t start)
{
	struct tm tm;
	time_t t;

	if (localtime_r(&start, &tm) == NULL)
		return start + 86400;
	if (by == OMS_BY_MONTH) {
		tm.tm_mon++;
		tm.tm_mday = 1;
	} else {
		tm.tm_mday += by == OMS_BY_WEEK ? 7 : 1;
	}
	/* At noon, mktime's normalized date is the day whatever the clocks do. */
	tm.tm_hour = 12;
	tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1 || localtime_r(&t, &tm) == NULL)
		return start + 86400;
	return local_midnight(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

char *
oms_period_label(enum oms_report_by by, time_t start, char buf[16])
{
	struct tm tm;

	if (localtime_r(&start, &tm) == NULL)
		snprintf(buf, 16, "?");
	else
		strftime(buf, 16, by == OMS_BY_MONTH ? "%Y-%m" : "%Y-%m-%d", &tm);
	return buf;
}

static int
is_time_by(enum oms_report_by by)
{
	return by == OMS_BY_DAY || by == OMS_BY_WEEK || by == OMS_BY_MONTH;
}

/*
 * period_of finds the period of a stored time.  Periods found are kept in
 * order as stored text [lo, hi), so that a row's period is found by
 * comparing text: the last two found first (rows come mostly in time
 * order, or two series of it side by side, as an authorization and the
 * capture a day later), then by bisection; only a new period is worked out
 * in local time.
 */
static int
period_of(struct ctx *c, const char *ts, time_t *start)
{
	struct period *p = c->last, *np;
	size_t lo = 0, hi = c->nperiods, mid;
	time_t t;

	if (p != NULL && strcmp(ts, p->lo) >= 0 && strcmp(ts, p->hi) < 0) {
		*start = p->start;
		return 0;
	}
	if ((p = c->prev) != NULL && strcmp(ts, p->lo) >= 0 && strcmp(ts, p->hi) < 0) {
		c->prev = c->last;
		c->last = p;
		*start = p->start;
		return 0;
	}
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (strcmp(c->periods[mid].lo, ts) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && strcmp(ts, c->periods[lo - 1].hi) < 0) {
		c->prev = c->last;
		c->last = &c->periods[lo - 1];
		*start = c->last->start;
		return 0;
	}
	if (omsr_utc_parse(ts, &t) != 0)
		return -1;
	if (c->nperiods == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		if ((np = realloc(c->periods, c->cap * sizeof *np)) == NULL) {
			oms_warnx("out of memory");
			return -2;
		}
		c->periods = np;
	}
	p = &c->periods[lo];
	memmove(p + 1, p, (c->nperiods - lo) * sizeof *p);
	c->nperiods++;
	p->start = oms_period_start(c->by, t);
	utc_text(p->start, p->lo);
	utc_text(oms_period_next(c->by, p->start), p->hi);
	c->prev = NULL;		/* moved, or freed: the array has changed */
	c->last = p;
	*start = p->start;
	return 0;
}

/*
 * counted counts a row of a long read; on a terminal a line on stderr
 * says how far it has gone, at most once a second.
 */
static void
counted(struct ctx *c)
{
	time_t now;

	if ((++c->nread & 0xffff) == 0 && c->progress && (now = time(NULL)) != c->shown) {
		c->shown = now;
		fprintf(stderr, "\r%s: %lld rows read", program_invocation_short_name,
		    (long long)c->nread);
	}
}

/* next_row steps the statement of a long read, counting its rows. */
static int
next_row(struct ctx *c, struct omsi_stmt *st)
{
	counted(c);
	return omsi_step(c->o, st);
}

/* text is column i of a row omsi_each hands over, as text (NULL stays NULL). */
static const char *
text(const struct omsi_row *v, int i)
{
	return omsi_row_text(v, i);
}

/*
 * shipped says whether a shipment's status (the last column its report
 * reads) is shipped, not void: checked here, where the row is, rather than
 * by SQLite before it, which costs more (7% of reading shipments whole).
 */
static int
shipped(const struct omsi_row *v, int i)
{
	const char *s = text(v, i);

	/* Its CHECK allows shipped or void: the first letter says which. */
	return s != NULL && s[0] == 's';
}

static int
bad_time(struct ctx *c, const char *what, int64_t id, const char *ts)
{
	char shown[64];

	oms_warnx("%s: %s %lld: time \"%s\" is not UTC ISO 8601 (YYYY-MM-DDTHH:MM:SSZ)",
	    oms_db_path(c->o), what, (long long)id, omsi_shown(ts ? ts : "", shown, sizeof shown));
	return OMS_ESYS;
}

/*
 * when reads --since, --until or OMS_NOW: a date is midnight starting it
 * in the report's zone; a time with a zone is that instant; a time without
 * one is in the report's zone.
 */
static int
when(const char *what, const char *s, time_t *t, char text[OMS_TIME_MAX])
{
	char norm[OMS_TIME_MAX];
	size_t n = strlen(s);
	struct tm tm;

	if (oms_time_parse(s, norm) != 0 || omsr_utc_parse(norm, t) != 0) {
		oms_warnx("%s: \"%s\" is not a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM:SS,"
		    " with Z or +HH:MM for a zone other than the report's)", what, s);
		return -1;
	}
	if (n > 10 && (s[n - 1] == 'Z' || s[n - 1] == 'z' || strpbrk(s + 10, "+-") != NULL)) {
		utc_text(*t, text);
		return 0;
	}
	/* No zone: the fields as written, read as local time. */
	gmtime_r(t, &tm);
	if (n == 10) {
		*t = local_midnight(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	} else {
		tm.tm_isdst = -1;
		*t = mktime(&tm);
	}
	utc_text(*t, text);
	return 0;
}

static int
setup(struct ctx *c, const struct report *r)
{
	const struct oms_report_query *q = c->q;
	char buf[OMS_TIME_MAX];

	c->by = q->by == OMS_BY_DEFAULT ? r->dflt : q->by;
	c->since = TIME_FIRST;
	c->until = TIME_LAST;
	if (q->since != NULL) {
		if (when("--since", q->since, &c->since_t, c->since_buf) != 0)
			return OMS_EUSAGE;
		c->since = c->since_buf;
		c->has_since = 1;
	}
	if (q->until != NULL) {
		if (when("--until", q->until, &c->until_t, c->until_buf) != 0)
			return OMS_EUSAGE;
		c->until = c->until_buf;
		c->has_until = 1;
	}
	/* Ages as of the end of the range, else as of OMS_NOW, else now. */
	if (c->has_until)
		c->now = c->until_t;
	else if (q->now != NULL && *q->now != '\0') {
		if (when("OMS_NOW", q->now, &c->now, buf) != 0)
			return OMS_EUSAGE;
	} else
		c->now = time(NULL);
	return OMS_OK;
}

/* ago writes the stored time days before the reference time. */
static char *
ago(const struct ctx *c, int days, char buf[OMS_TIME_MAX])
{
	return utc_text(c->now - (time_t)days * 86400, buf);
}

/* age_days is how many whole days before the reference time a stored time is. */
static int64_t
age_days(const struct ctx *c, const char *ts)
{
	time_t t;
	int64_t d;

	if (ts == NULL || omsr_utc_parse(ts, &t) != 0)
		return 0;
	d = (int64_t)(c->now - t);
	return d >= 0 ? d / 86400 : -((-d + 86399) / 86400);
}

static int
period_col(struct ctx *c, struct omsr_result *r)
{
	return omsr_col(r, by_names[c->by], OMSR_KEY);
}

/* ---------------------------------------------------------------------- */
/* Rows in the order they are shown. */

static int
cmp_opt(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
cmp_row(const void *pa, const void *pb, void *arg)
{
	const struct omsr_row *a = pa, *b = pb;
	const struct omsr_result *r = arg;
	size_t i;
	int d;

	if (a->period != b->period)
		return a->period < b->period ? -1 : 1;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	for (i = 0; i < r->ncols; i++)
		if ((r->cols[i].kind == OMSR_KEY || r->cols[i].kind == OMSR_CUR) &&
		    (d = cmp_opt(a->s[i], b->s[i])) != 0)
			return d;
	return 0;
}

static void
sort_rows(struct omsr_result *r)
{
	if (r->nrows > 1)
		qsort_r(r->rows, r->nrows, sizeof *r->rows, cmp_row, r);
}

/* ---------------------------------------------------------------------- */
/* Results from groups, and the periods between. */

/*
 * to_rows makes a row of each group: its period, its keys (kcol[i] is the
 * column of key i, -1 for none) and its figures.
 */
static int
to_rows(struct ctx *c, struct omsr_result *r, const struct omsr_groups *gs, const int kcol[4])
{
	struct omsr_row *row;
	char label[16];
	size_t i, j;

	for (i = 0; i < gs->n; i++) {
		const struct omsr_group *g = &gs->g[i];

		if ((row = omsr_row(r)) == NULL)
			return OMS_ESYS;
		row->period = g->period;
		if (is_time_by(c->by) &&
		    omsr_set(r, row, 0, oms_period_label(c->by, g->period, label)) != 0)
			return OMS_ESYS;
		for (j = 0; j < 4; j++)
			if (kcol[j] >= 0)
				row->s[kcol[j]] = omsr_str(&r->pool, g->k[j]);
		/* All figures, for the report to read; those of number columns are shown. */
		memcpy(row->v, g->v, sizeof row->v);
		for (j = 0; j < r->ncols; j++)
			if (r->cols[j].kind >= OMSR_COUNT)
				omsr_num(row, (int)j, g->v[j]);
	}
	return OMS_OK;
}

static int
cmp_time(const void *a, const void *b)
{
	time_t x = *(const time_t *)a, y = *(const time_t *)b;

	return (x > y) - (x < y);
}

/*
 * fill_periods adds a row of nothing for each period of the range without
 * one, so that a quiet day shows: from the period of --since (else the
 * first with data) to that of --until's last instant (else the later of
 * the last with data and the reference time).
 */
static int
fill_periods(struct ctx *c, struct omsr_result *r)
{
	struct omsr_row *row;
	time_t first = 0, last = 0, p, next, *have;
	size_t i, j, n = r->nrows;
	char label[16];

	if (!is_time_by(c->by))
		return OMS_OK;
	if ((have = omsi_calloc(n + 1, sizeof *have)) == NULL)
		return OMS_ESYS;
	for (i = 0; i < n; i++)
		have[i] = r->rows[i].period;
	qsort(have, n, sizeof *have, cmp_time);
	if (n > 0) {
		first = have[0];
		last = have[n - 1];
	}
	if (c->has_since)
		first = oms_period_start(c->by, c->since_t);
	if (c->has_until)
		last = oms_period_start(c->by, c->until_t - 1);
	else if ((p = oms_period_start(c->by, c->now)) > last || n == 0)
		last = p;
	if (n == 0 && !c->has_since)
		last = first - 1;	/* nothing, and nowhere to start */
	for (p = first, j = 0; p <= last; p = next) {
		/* A calendar that did not move on would never end. */
		if ((next = oms_period_next(c->by, p)) <= p)
			break;
		while (j < n && have[j] < p)
			j++;
		if (j < n && have[j] == p)
			continue;
		if ((row = omsr_row(r)) == NULL ||
		    omsr_set(r, row, 0, oms_period_label(c->by, p, label)) != 0) {
			free(have);
			return OMS_ESYS;
		}
		row->period = p;
		for (i = 0; i < r->ncols; i++)
			if (r->cols[i].kind == OMSR_COUNT || r->cols[i].kind == OMSR_GRAMS ||
			    r->cols[i].kind == OMSR_DISTINCT)
				omsr_num(row, (int)i, 0);
	}
	free(have);
	return OMS_OK;
}

/* ---------------------------------------------------------------------- */
/* Shipments of the range, and their lines. */

/* A shipment of the range: which group (or period and currency) it counts in. */
struct ship {
	int64_t id;
	time_t period;
	int32_t cur;
	int32_t group;
};

struct ships {
	struct ship *s;
	size_t n, cap;
	int sorted;
};

static int
add_ship(struct ships *sh, int64_t id, time_t period, int32_t cur, int32_t group)
{
	struct ship *ns;

	if (sh->n == sh->cap) {
		sh->cap = sh->cap ? sh->cap * 2 : 1024;
		if ((ns = realloc(sh->s, sh->cap * sizeof *ns)) == NULL) {
			oms_warnx("out of memory");
			return -1;
		}
		sh->s = ns;
	}
	if (sh->n > 0 && sh->s[sh->n - 1].id > id)
		sh->sorted = 0;
	sh->s[sh->n].id = id;
	sh->s[sh->n].period = period;
	sh->s[sh->n].cur = cur;
	sh->s[sh->n].group = group;
	sh->n++;
	return 0;
}

static int
cmp_ship(const void *a, const void *b)
{
	int64_t x = ((const struct ship *)a)->id, y = ((const struct ship *)b)->id;

	return (x > y) - (x < y);
}

/*
 * sort_ships puts the shipments found in id order, for the merge with
 * their lines (ship_of): both sides are read in order, neither looked up
 * row by row.
 */
static void
sort_ships(struct ships *sh)
{
	if (!sh->sorted)
		qsort(sh->s, sh->n, sizeof *sh->s, cmp_ship);
	sh->sorted = 1;
}

/*
 * ship_of moves *j to the shipment id, if it is one of them.  Lines come
 * in shipment order, so the merge only moves on; should SQLite ever hand
 * them over otherwise, one that goes back is looked up.
 */
static const struct ship *
ship_of(const struct ships *sh, size_t *j, int64_t id)
{
	size_t lo = 0, hi = *j, mid;

	if (*j < sh->n && sh->s[*j].id > id) {
		while (lo < hi) {
			mid = (lo + hi) / 2;
			if (sh->s[mid].id < id)
				lo = mid + 1;
			else
				hi = mid;
		}
		*j = lo;
	}
	while (*j < sh->n && sh->s[*j].id < id)
		(*j)++;
	return *j < sh->n && sh->s[*j].id == id ? &sh->s[*j] : NULL;
}

/*
 * scan hands fn each of a table's rows of the range (omsi_each): through
 * the time index for a part of the table (range_sql, ?1 and ?2 the range),
 * else the whole table in its own order, twice as fast as through the
 * index row by row, with *whole set: all_sql, or with no range at all
 * lean_sql, when not NULL, which leaves the time out (NULL in its place)
 * when nothing needs it, as each column read costs.  With a range, the
 * whole table is read with *filter set: fn keeps only the rows in range
 * (in_range).  The part is judged by time, the range against the first
 * and last times (span_sql, two lookups in the index).
 */
static int
scan(struct ctx *c, const char *range_sql, const char *all_sql, const char *lean_sql,
    const char *span_sql, omsi_each_fn fn, void *arg, int *filter, int *whole)
{
	struct omsi_stmt *st;
	time_t first, last, lo, hi;
	int most = 0;

	*filter = 0;
	*whole = 1;
	if (!c->has_since && !c->has_until)
		return omsi_each(c->o, lean_sql ? lean_sql : all_sql, fn, arg, "");
	if ((st = omsi_stmt(c->o, span_sql, "")) == NULL || omsi_step(c->o, st) < 0)
		return OMS_ESYS;
	if (omsi_text(st, 0) && omsi_text(st, 1) && omsr_utc_parse(omsi_text(st, 0), &first) == 0 &&
	    omsr_utc_parse(omsi_text(st, 1), &last) == 0) {
		lo = c->has_since && c->since_t > first ? c->since_t : first;
		hi = c->has_until && c->until_t <= last ? c->until_t : last + 1;
		most = (double)(hi - lo) * 4 >= (double)(last - first + 1);
	}
	omsi_reset(st);
	if (!most) {
		*whole = 0;
		return omsi_each(c->o, range_sql, fn, arg, "tt", c->since, c->until);
	}
	*filter = 1;
	return omsi_each(c->o, all_sql, fn, arg, "");
}

static int
in_range(const struct ctx *c, const char *ts)
{
	return strcmp(ts, c->since) >= 0 && strcmp(ts, c->until) < 0;
}

/* The first and last times of shipments, for scan. */
#define SHIP_SPAN "SELECT (SELECT min(shipped_at) FROM shipments), (SELECT max(shipped_at) FROM shipments)"

/* key_cols adds the columns of a grouping of shipments: the period, or carrier (and service). */
static void
key_cols(struct ctx *c, struct omsr_result *r, int kcol[4])
{
	kcol[0] = kcol[1] = kcol[2] = kcol[3] = -1;
	if (is_time_by(c->by)) {
		period_col(c, r);
		return;
	}
	kcol[0] = omsr_col(r, "carrier", OMSR_KEY);
	if (c->by == OMS_BY_SERVICE)
		kcol[1] = omsr_col(r, "service", OMSR_KEY);
}

/*
 * ship_key works out the group key of a shipment from its columns id,
 * shipped_at, carrier and service (v[0] to v[3]), carrier and service
 * through memo[0] and [1]; a time that is not one is reported.
 */
static int
ship_key(struct ctx *c, struct omsr_result *r, struct omsr_memo memo[2], const struct omsi_row *v,
    time_t *period, int32_t k[4])
{
	*period = 0;
	k[0] = k[1] = k[2] = k[3] = 0;
	if (is_time_by(c->by)) {
		switch (period_of(c, text(v, 1), period)) {
		case 0:
			return OMS_OK;
		case -1:
			return bad_time(c, "shipment", omsi_row_int64(v, 0), text(v, 1));
		default:
			return OMS_ESYS;
		}
	}
	if ((k[0] = omsr_intern_memo(&r->pool, &memo[0], text(v, 2))) < 0 ||
	    (c->by == OMS_BY_SERVICE && (k[1] = omsr_intern_memo(&r->pool, &memo[1], text(v, 3))) < 0))
		return OMS_ESYS;
	return OMS_OK;
}

/* What a report of shipments adds their rows up into, row by row (omsi_each). */
struct ship_scan {
	struct ctx *c;
	struct omsr_result *r;
	struct omsr_groups gs;
	struct ships sh;	/* the shipments of the range, for their lines */
	size_t j;		/* where the merge of the lines is in sh */
	int whole;		/* the whole table was read (scan) */
	int filter;		/* and only the rows of the range are kept */
	struct omsr_memo memo[3];	/* of carriers, services, currencies */
	/*
	 * Items: each SKU's (by pooled id) last group, with its period and
	 * currency, which the next line of it most often has too.
	 */
	struct sku_group { time_t period; int32_t cur; int32_t g; } *last;
	size_t nlast;
	/* the columns of its figures */
	int ships, pack, units, weight, rev, charged, cost, diff, nocost;
};

/*
 * shipments_row adds up a shipment: id, shipped_at, carrier, service,
 * order_id, packages, weight_g, status.
 */
static int
shipments_row(void *arg, const struct omsi_row *v)
{
	struct ship_scan *s = arg;
	int64_t *fig;
	int32_t k[4];
	time_t period;
	ssize_t g;
	int rc;

	counted(s->c);
	if (!shipped(v, 7) || (s->filter && !in_range(s->c, text(v, 1))))
		return OMS_OK;
	if ((rc = ship_key(s->c, s->r, s->memo, v, &period, k)) != OMS_OK)
		return rc;
	if ((g = omsr_group_recent(&s->gs, period, k)) < 0 ||
	    omsr_pair(&s->gs, g, omsi_row_int64(v, 4)) != 0 ||
	    add_ship(&s->sh, omsi_row_int64(v, 0), period, 0, (int32_t)g) != 0)
		return OMS_ESYS;
	fig = s->gs.g[g].v;
	fig[s->ships]++;
	fig[s->pack] += omsi_row_int64(v, 5);
	fig[s->weight] += omsi_row_int64(v, 6);	/* NULL, unknown, is 0 */
	return OMS_OK;
}

/* shipments_line adds up a line of one: shipment_id, qty. */
static int
shipments_line(void *arg, const struct omsi_row *v)
{
	struct ship_scan *s = arg;
	const struct ship *sp;

	counted(s->c);
	if ((sp = ship_of(&s->sh, &s->j, omsi_row_int64(v, 0))) != NULL)
		s->gs.g[sp->group].v[s->units] += omsi_row_int64(v, 1);
	return OMS_OK;
}

/*
 * scan_lines hands fn the lines of the shipments found, in shipment order:
 * those of ids ?1 to ?2, their first and last (range_sql), or, when the
 * shipments were read whole, every line (all_sql): a range is checked at
 * each row, which costs more than the few lines of shipments not shipped.
 */
static int
scan_lines(struct ship_scan *s, const char *range_sql, const char *all_sql, omsi_each_fn fn)
{
	sort_ships(&s->sh);
	s->j = 0;
	if (s->whole)
		return omsi_each(s->c->o, all_sql, fn, s, "");
	return omsi_each(s->c->o, range_sql, fn, s, "ii", s->sh.n ? s->sh.s[0].id : 1,
	    s->sh.n ? s->sh.s[s->sh.n - 1].id : 0);
}

static int
shipments(struct ctx *c, struct omsr_result *r)
{
	/* Each grouping reads only its key's columns (NULL for the others): each costs. */
#define SHIP_COLS(when, carrier, service) "id, " when ", " carrier ", " service \
	", order_id, packages, weight_g, status) FROM shipments"
	static const char q_ships[] = "SELECT omsi_each(?3, "
	    SHIP_COLS("shipped_at", "carrier", "service") " WHERE shipped_at >= ?1 AND shipped_at < ?2";
	static const char q_all[] = "SELECT omsi_each(?1, " SHIP_COLS("shipped_at", "carrier", "service");
	static const char q_time[] = "SELECT omsi_each(?3, "
	    SHIP_COLS("shipped_at", "NULL", "NULL") " WHERE shipped_at >= ?1 AND shipped_at < ?2";
	static const char q_time_all[] = "SELECT omsi_each(?1, " SHIP_COLS("shipped_at", "NULL", "NULL");
	static const char q_carrier[] = "SELECT omsi_each(?1, " SHIP_COLS("NULL", "carrier", "NULL");
	static const char q_service[] = "SELECT omsi_each(?1, " SHIP_COLS("NULL", "carrier", "service");
#undef SHIP_COLS
	static const char q_lines[] = "SELECT omsi_each(?3, shipment_id, qty) FROM shipment_lines"
	    " WHERE shipment_id BETWEEN ?1 AND ?2";
	static const char q_all_lines[] = "SELECT omsi_each(?1, shipment_id, qty) FROM shipment_lines";
	struct ship_scan s = { .c = c, .r = r, .sh = { .sorted = 1 } };
	int kcol[4], c_orders, rc;

	key_cols(c, r, kcol);
	c_orders = omsr_col(r, "orders", OMSR_DISTINCT);
	s.ships = omsr_col(r, "shipments", OMSR_COUNT);
	s.pack = omsr_col(r, "packages", OMSR_COUNT);
	s.units = omsr_col(r, "units", OMSR_COUNT);
	s.weight = omsr_col(r, "weight_kg", OMSR_GRAMS);
	r->fig = s.ships;
	if ((rc = is_time_by(c->by) ?
	    scan(c, q_time, q_time_all, NULL, SHIP_SPAN, shipments_row, &s, &s.filter, &s.whole) :
	    scan(c, q_ships, q_all, c->by == OMS_BY_SERVICE ? q_service : q_carrier, SHIP_SPAN,
	    shipments_row, &s, &s.filter, &s.whole)) == OMS_OK &&
	    (rc = scan_lines(&s, q_lines, q_all_lines, shipments_line)) == OMS_OK) {
		r->distinct_total = omsr_pairs_count(&s.gs, c_orders);
		if ((rc = to_rows(c, r, &s.gs, kcol)) == OMS_OK && (rc = fill_periods(c, r)) == OMS_OK)
			sort_rows(r);
	}
	free(s.sh.s);
	omsr_groups_free(&s.gs);
	return rc;
}

/* describe fills in the catalog's description of each row's SKU. */
static int
describe(struct ctx *c, struct omsr_result *r, int c_sku, int c_desc)
{
	struct omsi_stmt *st;
	size_t i;
	int step;

	for (i = 0; i < r->nrows; i++) {
		if (r->rows[i].s[c_sku] == NULL)
			continue;
		if ((st = omsi_stmt(c->o, "SELECT description FROM items WHERE sku = ?", "t",
		    r->rows[i].s[c_sku])) == NULL || (step = omsi_step(c->o, st)) < 0)
			return OMS_ESYS;
		if (step == OMSI_ROW && omsr_set(r, &r->rows[i], c_desc, omsi_text(st, 0)) != 0) {
			omsi_reset(st);
			return OMS_ESYS;
		}
		omsi_reset(st);
	}
	return OMS_OK;
}

/*
 * top_skus ranks the SKUs of each period by units (all currencies) and
 * keeps the first n (all when n is 0); rows are left sorted.
 */
static void
top_skus(struct omsr_result *r, int c_sku, int c_units, int64_t n)
{
	size_t i, j, k, out;
	int64_t total, rank = 0;

	/* Sorted by period and SKU first, so a SKU's rows are together. */
	for (i = 0; i < r->nrows; i++)
		r->rows[i].order = 0;
	sort_rows(r);
	for (i = 0; i < r->nrows; i = j) {
		total = 0;
		for (j = i; j < r->nrows && r->rows[j].period == r->rows[i].period &&
		    cmp_opt(r->rows[j].s[c_sku], r->rows[i].s[c_sku]) == 0; j++)
			total += r->rows[j].v[c_units];
		for (k = i; k < j; k++)
			r->rows[k].order = -total;
	}
	sort_rows(r);
	for (i = out = 0; i < r->nrows; i++) {
		if (i == 0 || r->rows[i].period != r->rows[i - 1].period)
			rank = 0;
		if (i == 0 || r->rows[i].period != r->rows[i - 1].period ||
		    cmp_opt(r->rows[i].s[c_sku], r->rows[i - 1].s[c_sku]) != 0)
			rank++;
		if (n == 0 || rank <= n)
			r->rows[out++] = r->rows[i];
	}
	r->nrows = out;
}

/* items_ship keeps a shipment's period and currency: id, shipped_at, currency, status. */
static int
items_ship(void *arg, const struct omsi_row *v)
{
	struct ship_scan *s = arg;
	time_t period = 0;
	int32_t cur;
	int found;

	counted(s->c);
	if (!shipped(v, 3) || (s->filter && !in_range(s->c, text(v, 1))))
		return OMS_OK;
	if (is_time_by(s->c->by) && (found = period_of(s->c, text(v, 1), &period)) != 0)
		return found == -1 ? bad_time(s->c, "shipment", omsi_row_int64(v, 0),
		    text(v, 1)) : OMS_ESYS;
	if ((cur = omsr_intern_memo(&s->r->pool, &s->memo[2], text(v, 2))) < 0 ||
	    add_ship(&s->sh, omsi_row_int64(v, 0), period, cur, 0) != 0)
		return OMS_ESYS;
	return OMS_OK;
}

/* items_line adds up a line: shipment_id, sku, qty, unit_price. */
static int
items_line(void *arg, const struct omsi_row *v)
{
	struct ship_scan *s = arg;
	const struct ship *sp;
	struct sku_group *last;
	int32_t k[4] = { 0 };
	int64_t qty;
	ssize_t g;

	counted(s->c);
	if ((sp = ship_of(&s->sh, &s->j, omsi_row_int64(v, 0))) == NULL)
		return OMS_OK;
	k[1] = sp->cur;
	if ((k[0] = omsr_intern(&s->r->pool, text(v, 1))) < 0)
		return OMS_ESYS;
	if ((size_t)k[0] >= s->nlast) {
		size_t n = (size_t)k[0] * 2 + 64;
		struct sku_group *nl = realloc(s->last, n * sizeof *nl);

		if (nl == NULL) {
			oms_warnx("out of memory");
			return OMS_ESYS;
		}
		memset(nl + s->nlast, 0xff, (n - s->nlast) * sizeof *nl);	/* g -1: none */
		s->last = nl;
		s->nlast = n;
	}
	last = &s->last[k[0]];
	if (last->g >= 0 && last->period == sp->period && last->cur == sp->cur)
		g = last->g;
	else if ((g = omsr_group(&s->gs, sp->period, k)) < 0)
		return OMS_ESYS;
	last->period = sp->period;
	last->cur = sp->cur;
	last->g = (int32_t)g;
	qty = omsi_row_int64(v, 2);
	s->gs.g[g].v[s->units] += qty;
	s->gs.g[g].v[s->rev] += qty * omsi_row_int64(v, 3);
	return OMS_OK;
}

static int
items(struct ctx *c, struct omsr_result *r)
{
	static const char q_ships[] = "SELECT omsi_each(?3, id, shipped_at, currency, status)"
	    " FROM shipments WHERE shipped_at >= ?1 AND shipped_at < ?2";
	static const char q_all[] = "SELECT omsi_each(?1, id, shipped_at, currency, status)"
	    " FROM shipments";
	static const char q_lean[] = "SELECT omsi_each(?1, id, NULL, currency, status) FROM shipments";
	static const char q_lines[] = "SELECT omsi_each(?3, shipment_id, sku, qty, unit_price)"
	    " FROM shipment_lines WHERE shipment_id BETWEEN ?1 AND ?2";
	static const char q_all_lines[] = "SELECT omsi_each(?1, shipment_id, sku, qty, unit_price)"
	    " FROM shipment_lines";
	struct ship_scan s = { .c = c, .r = r, .sh = { .sorted = 1 } };
	int kcol[4] = { -1, -1, -1, -1 }, c_sku, c_desc, rc;

	if (is_time_by(c->by))
		period_col(c, r);
	kcol[0] = c_sku = omsr_col(r, "sku", OMSR_KEY);
	c_desc = omsr_col(r, "description", OMSR_TEXT);
	kcol[1] = omsr_col(r, "currency", OMSR_CUR);
	s.units = omsr_col(r, "units", OMSR_COUNT);
	s.rev = omsr_col(r, "revenue", OMSR_MONEY);
	r->fig = s.units;
	if ((rc = scan(c, q_ships, q_all, is_time_by(c->by) ? NULL : q_lean, SHIP_SPAN,
	    items_ship, &s, &s.filter, &s.whole)) == OMS_OK &&
	    (rc = scan_lines(&s, q_lines, q_all_lines, items_line)) == OMS_OK &&
	    (rc = to_rows(c, r, &s.gs, kcol)) == OMS_OK &&
	    (rc = describe(c, r, c_sku, c_desc)) == OMS_OK) {
		top_skus(r, c_sku, s.units, c->q->top);
		if ((rc = fill_periods(c, r)) == OMS_OK)
			sort_rows(r);
	}
	free(s.sh.s);
	free(s.last);
	omsr_groups_free(&s.gs);
	return rc;
}

/*
 * cost_row adds up a shipment: id, shipped_at, carrier, service, currency,
 * shipping_charged, cost, status.
 */
static int
cost_row(void *arg, const struct omsi_row *v)
{
	struct ship_scan *s = arg;
	int64_t charged, cost, *fig;
	int32_t k[4];
	time_t period;
	ssize_t g;
	int rc;

	counted(s->c);
	if (!shipped(v, 7) || (s->filter && !in_range(s->c, text(v, 1))))
		return OMS_OK;
	if ((rc = ship_key(s->c, s->r, s->memo, v, &period, k)) != OMS_OK)
		return rc;
	if ((k[2] = omsr_intern_memo(&s->r->pool, &s->memo[2], text(v, 4))) < 0 ||
	    (g = omsr_group_recent(&s->gs, period, k)) < 0)
		return OMS_ESYS;
	fig = s->gs.g[g].v;
	charged = omsi_row_int64(v, 5);
	cost = omsi_row_int64(v, 6);
	fig[s->ships]++;
	fig[s->charged] += charged;
	/* A cost not known yet is not a cost of 0: counted apart, left out. */
	if (omsi_row_null(v, 6))
		fig[s->nocost]++;
	fig[s->cost] += cost;
	fig[s->diff] += charged - cost;
	return OMS_OK;
}

static int
shipping_cost(struct ctx *c, struct omsr_result *r)
{
	/* Each grouping reads only its key's columns (NULL for the others): each costs. */
#define COST_COLS(id, when, carrier, service) id ", " when ", " carrier ", " service \
	", currency, shipping_charged, cost, status) FROM shipments"
	static const char q[] = "SELECT omsi_each(?3, " COST_COLS("id", "shipped_at", "carrier",
	    "service") " WHERE shipped_at >= ?1 AND shipped_at < ?2";
	static const char q_all[] = "SELECT omsi_each(?1, " COST_COLS("id", "shipped_at", "carrier",
	    "service");
	static const char q_time[] = "SELECT omsi_each(?3, " COST_COLS("id", "shipped_at", "NULL",
	    "NULL") " WHERE shipped_at >= ?1 AND shipped_at < ?2";
	static const char q_time_all[] = "SELECT omsi_each(?1, " COST_COLS("id", "shipped_at", "NULL",
	    "NULL");
	static const char q_carrier[] = "SELECT omsi_each(?1, " COST_COLS("NULL", "NULL", "carrier",
	    "NULL");
	static const char q_service[] = "SELECT omsi_each(?1, " COST_COLS("NULL", "NULL", "carrier",
	    "service");
#undef COST_COLS
	struct ship_scan s = { .c = c, .r = r };
	int kcol[4], rc;

	key_cols(c, r, kcol);
	kcol[2] = omsr_col(r, "currency", OMSR_CUR);
	s.ships = omsr_col(r, "shipments", OMSR_COUNT);
	s.charged = omsr_col(r, "charged", OMSR_MONEY);
	s.cost = omsr_col(r, "cost", OMSR_MONEY);
	s.diff = omsr_col(r, "difference", OMSR_MONEY);
	s.nocost = omsr_col(r, "no_cost", OMSR_COUNT);
	r->fig = s.cost;
	if ((rc = is_time_by(c->by) ?
	    scan(c, q_time, q_time_all, NULL, SHIP_SPAN, cost_row, &s, &s.filter, &s.whole) :
	    scan(c, q, q_all, c->by == OMS_BY_SERVICE ? q_service : q_carrier, SHIP_SPAN, cost_row,
	    &s, &s.filter, &s.whole)) == OMS_OK &&
	    (rc = to_rows(c, r, &s.gs, kcol)) == OMS_OK && (rc = fill_periods(c, r)) == OMS_OK)
		sort_rows(r);
	omsr_groups_free(&s.gs);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* Payments. */

/* days_until counts whole days from the reference time to a stored time (negative: past). */
static int64_t
days_until(const struct ctx *c, const char *ts)
{
	time_t t;
	int64_t d;

	if (ts == NULL || omsr_utc_parse(ts, &t) != 0)
		return 0;
	d = (int64_t)(t - c->now);
	return d >= 0 ? d / 86400 : -((-d + 86399) / 86400);
}

/* expiring lists the open authorizations that end before the deadline, soonest first. */
static int
expiring(struct ctx *c, struct omsr_result *r)
{
	static const char q[] = "SELECT a.order_id, o.status, a.currency, a.amount,"
	    " (SELECT coalesce(sum(p.amount), 0) FROM payments p WHERE p.parent_id = a.id"
	    "  AND p.kind = 'capture' AND p.status = 'succeeded'), a.created_at, a.expires_at"
	    " FROM orders o JOIN payments a ON a.order_id = o.id"
	    " WHERE o.status IN (" OPEN_STATUSES ") AND a.kind = 'authorize'"
	    " AND a.status = 'succeeded' AND a.expires_at < ?1"
	    " AND NOT EXISTS (SELECT 1 FROM payments v WHERE v.parent_id = a.id"
	    "  AND v.kind = 'void' AND v.status = 'succeeded')"
	    " ORDER BY a.expires_at, a.order_id";
	char deadline[OMS_TIME_MAX];
	struct omsr_row *row;
	struct omsi_stmt *st;
	int c_order, c_status, c_auth, c_capt, c_open, c_at, c_exp, c_days, step;
	int64_t amount, captured;

	c_order = omsr_col(r, "order", OMSR_NUM);
	c_status = omsr_col(r, "status", OMSR_TEXT);
	omsr_col(r, "currency", OMSR_CUR);
	c_auth = omsr_col(r, "authorized", OMSR_MONEY);
	c_capt = omsr_col(r, "captured", OMSR_MONEY);
	c_open = omsr_col(r, "open", OMSR_MONEY);
	c_at = omsr_col(r, "authorized_at", OMSR_TIME);
	c_exp = omsr_col(r, "expires_at", OMSR_TIME);
	c_days = omsr_col(r, "days_left", OMSR_NUM);
	r->fig = c_open;
	utc_text(c->now + (time_t)c->q->expiring * 86400, deadline);
	if ((st = omsi_stmt(c->o, q, "t", deadline)) == NULL)
		return OMS_ESYS;
	while ((step = omsi_step(c->o, st)) == OMSI_ROW) {
		amount = omsi_col_int64(st, 3);
		captured = omsi_col_int64(st, 4);
		if (captured >= amount)
			continue;	/* all of it taken: nothing left to lose */
		if ((row = omsr_row(r)) == NULL || omsr_set(r, row, c_status, omsi_text(st, 1)) ||
		    omsr_set(r, row, r->cur, omsi_text(st, 2)) ||
		    omsr_set(r, row, c_at, omsi_text(st, 5)) || omsr_set(r, row, c_exp, omsi_text(st, 6))) {
			omsi_reset(st);
			return OMS_ESYS;
		}
		omsr_num(row, c_order, omsi_col_int64(st, 0));
		omsr_num(row, c_auth, amount);
		omsr_num(row, c_capt, captured);
		omsr_num(row, c_open, amount - captured);
		omsr_num(row, c_days, days_until(c, omsi_text(st, 6)));
	}
	omsi_reset(st);
	return step == OMSI_DONE ? OMS_OK : OMS_ESYS;
}

/* The figures of the payments report, in their columns' order. */
enum { AUTHS, AUTHORIZED, CAPTURED, REFUNDED, VOIDED, NET, DECLINED, NFIG };

struct pay_scan {
	struct ctx *c;
	struct omsr_result *r;
	struct omsr_groups gs;
	struct omsr_memo currency;
	int col[NFIG];
};

/*
 * bad_payment_time reports a payment's time that is not one: its id looked
 * up by the time, as the index the report reads has it only as the row's.
 */
static int
bad_payment_time(struct ctx *c, const char *ts)
{
	struct omsi_stmt *st;
	int64_t id = 0;

	if ((st = omsi_stmt(c->o, "SELECT id FROM payments WHERE created_at = ? ORDER BY id", "t",
	    ts)) == NULL)
		return OMS_ESYS;
	if (omsi_step(c->o, st) == OMSI_ROW)
		id = omsi_col_int64(st, 0);
	omsi_reset(st);
	return bad_time(c, "payment", id, ts);
}

/*
 * payments_row adds up a payment: created_at, kind, status, amount,
 * currency (no id: reading it from the index costs a tenth of the report).
 */
static int
payments_row(void *arg, const struct omsi_row *v)
{
	struct pay_scan *s = arg;
	const char *kind = text(v, 1), *status = text(v, 2);
	int32_t k[4] = { 0 };
	int64_t amount, *fig;
	time_t period;
	ssize_t g;
	int found;

	counted(s->c);
	/*
	 * Kinds and statuses are told apart by their first letters, which
	 * schema 2's CHECKs make sure of: authorize, capture, void, refund;
	 * pending, succeeded, declined, failed.  Requests still pending, or
	 * that never reached a gateway, moved no money.
	 */
	if (status[0] != 's' && !(status[0] == 'd' && kind[0] == 'a'))
		return OMS_OK;
	if ((found = period_of(s->c, text(v, 0), &period)) != 0)
		return found == -1 ? bad_payment_time(s->c, text(v, 0)) : OMS_ESYS;
	if ((k[0] = omsr_intern_memo(&s->r->pool, &s->currency, text(v, 4))) < 0 ||
	    (g = omsr_group_recent(&s->gs, period, k)) < 0)
		return OMS_ESYS;
	fig = s->gs.g[g].v;
	amount = omsi_row_int64(v, 3);
	if (status[0] == 'd')	/* declined: the only other status let through */
		fig[s->col[DECLINED]]++;
	else if (kind[0] == 'a') {
		fig[s->col[AUTHS]]++;
		fig[s->col[AUTHORIZED]] += amount;
	} else if (kind[0] == 'c') {
		fig[s->col[CAPTURED]] += amount;
		fig[s->col[NET]] += amount;
	} else if (kind[0] == 'r') {
		fig[s->col[REFUNDED]] += amount;
		fig[s->col[NET]] -= amount;
	} else if (kind[0] == 'v')
		fig[s->col[VOIDED]] += amount;
	return OMS_OK;
}

/*
 * payments reads index payments_created, which holds all it adds up
 * (schema 16), and no row of the table, three times as wide: its range,
 * or without one all of it, which saves comparing each entry to the end.
 */
static int
payments(struct ctx *c, struct omsr_result *r)
{
	static const char q[] = "SELECT omsi_each(?3, created_at, kind, status, amount, currency)"
	    " FROM payments WHERE created_at >= ?1 AND created_at < ?2";
	static const char q_all[] = "SELECT omsi_each(?1, created_at, kind, status, amount, currency)"
	    " FROM payments";
	static const char *const names[NFIG] = { "authorizations", "authorized", "captured",
		"refunded", "voided", "net", "declined" };
	struct pay_scan s = { .c = c, .r = r };
	int kcol[4] = { -1, -1, -1, -1 }, i, rc;

	if (c->q->has_expiring)
		return expiring(c, r);
	period_col(c, r);
	kcol[0] = omsr_col(r, "currency", OMSR_CUR);
	for (i = 0; i < NFIG; i++)
		s.col[i] = omsr_col(r, names[i], i == AUTHS || i == DECLINED ? OMSR_COUNT : OMSR_MONEY);
	r->fig = s.col[CAPTURED];
	if ((rc = c->has_since || c->has_until ?
	    omsi_each(c->o, q, payments_row, &s, "tt", c->since, c->until) :
	    omsi_each(c->o, q_all, payments_row, &s, "")) == OMS_OK &&
	    (rc = to_rows(c, r, &s.gs, kcol)) == OMS_OK && (rc = fill_periods(c, r)) == OMS_OK)
		sort_rows(r);
	omsr_groups_free(&s.gs);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* Returns. */

/*
 * returns adds up the returns opened in the range (cancelled ones left
 * out) by reason, SKU or period and currency: units authorized, returned
 * (received, or claimed), restocked and scrapped, their worth at the
 * order's prices, and what was refunded.  By SKU, each SKU's units shipped
 * in the range too, and the share of them returned.  Returns are few next
 * to shipments: read through their time index, added up in C.
 */
static int
returns(struct ctx *c, struct omsr_result *r)
{
	static const char q[] = "SELECT rt.id, rt.created_at, rt.reason, rt.currency, rt.claim,"
	    " rt.status, coalesce(rt.refund, 0), l.sku, l.qty, l.received, l.restocked, l.scrapped,"
	    " l.unit_price, coalesce(l.refund, 0) FROM returns rt JOIN return_lines l"
	    " ON l.return_id = rt.id WHERE rt.status != 'cancelled' AND rt.created_at >= ?1"
	    " AND rt.created_at < ?2 ORDER BY rt.id, l.id";
	static const char q_shipped[] = "SELECT coalesce(sum(sl.qty), 0) FROM shipment_lines sl"
	    " JOIN shipments s ON s.id = sl.shipment_id WHERE sl.sku = ?1 AND s.currency = ?2"
	    " AND s.status = 'shipped' AND s.shipped_at >= ?3 AND s.shipped_at < ?4";
	struct omsr_groups gs = { 0 };
	int kcol[4] = { -1, -1, -1, -1 }, c_sku = -1, c_desc = -1, c_ship = -1, c_rate = -1;
	int c_ret, c_auth, c_back, c_stock, c_scrap, c_value, c_refund, step, found;
	int rc = OMS_ESYS;
	int32_t k[4] = { 0 };
	int64_t back, last = 0, seen = 0, *v, shipped;
	const char *cur;
	struct omsi_stmt *st;
	time_t period = 0;
	ssize_t g;
	size_t i;

	if (is_time_by(c->by)) {
		period_col(c, r);
		kcol[0] = omsr_col(r, "currency", OMSR_CUR);
	} else if (c->by == OMS_BY_SKU) {
		kcol[0] = c_sku = omsr_col(r, "sku", OMSR_KEY);
		c_desc = omsr_col(r, "description", OMSR_TEXT);
		kcol[1] = omsr_col(r, "currency", OMSR_CUR);
		c_ship = omsr_col(r, "shipped", OMSR_COUNT);
	} else {
		kcol[0] = omsr_col(r, "reason", OMSR_KEY);
		kcol[1] = omsr_col(r, "currency", OMSR_CUR);
	}
	c_ret = omsr_col(r, "returns", OMSR_DISTINCT);
	c_auth = omsr_col(r, "authorized", OMSR_COUNT);
	c_back = omsr_col(r, "returned", OMSR_COUNT);
	c_stock = omsr_col(r, "restocked", OMSR_COUNT);
	c_scrap = omsr_col(r, "scrapped", OMSR_COUNT);
	if (c->by == OMS_BY_SKU)
		c_rate = omsr_col(r, "rate_pct", OMSR_RATE);
	c_value = omsr_col(r, "value", OMSR_MONEY);
	c_refund = omsr_col(r, "refunded", OMSR_MONEY);
	r->fig = c_back;
	if ((st = omsi_stmt(c->o, q, "tt", c->since, c->until)) == NULL)
		return OMS_ESYS;
	while ((step = next_row(c, st)) == OMSI_ROW) {
		if (is_time_by(c->by) && (found = period_of(c, omsi_text(st, 1), &period)) != 0) {
			if (found == -1)
				rc = bad_time(c, "return", omsi_col_int64(st, 0), omsi_text(st, 1));
			goto out;
		}
		k[0] = omsr_intern(&r->pool, is_time_by(c->by) ? omsi_text(st, 3) :
		    c->by == OMS_BY_SKU ? omsi_text(st, 7) : omsi_text(st, 2));
		k[1] = is_time_by(c->by) ? 0 : omsr_intern(&r->pool, omsi_text(st, 3));
		if (k[0] < 0 || k[1] < 0 || (g = omsr_group(&gs, period, k)) < 0 ||
		    omsr_pair(&gs, g, omsi_col_int64(st, 0)) != 0)
			goto out;
		v = gs.g[g].v;
		/* Each return has one currency: its totals count returns per currency. */
		if (omsi_col_int64(st, 0) != seen) {
			seen = omsi_col_int64(st, 0);
			cur = omsr_str(&r->pool, omsr_intern(&r->pool, omsi_text(st, 3)));
			for (i = 0; i < r->ndcur && strcmp(r->dcur[i], cur) != 0; i++)
				;
			if (i == r->ndcur) {
				const char **nc = realloc(r->dcur, (i + 1) * sizeof *nc);
				int64_t *nt;

				if (nc == NULL) {
					oms_warnx("out of memory");
					goto out;
				}
				r->dcur = nc;
				if ((nt = realloc(r->dtotal, (i + 1) * sizeof *nt)) == NULL) {
					oms_warnx("out of memory");
					goto out;
				}
				r->dtotal = nt;
				r->dcur[i] = cur;
				r->dtotal[r->ndcur++] = 0;
			}
			r->dtotal[i]++;
		}
		/* A claim's units count as returned: the customer keeps none of them. */
		back = omsi_col_int(st, 4) ? omsi_col_int64(st, 8) :
		    omsi_col_int64(st, 9);
		v[c_auth] += omsi_col_int64(st, 8);
		v[c_back] += back;
		v[c_stock] += omsi_col_int64(st, 10);
		v[c_scrap] += omsi_col_int64(st, 11);
		v[c_value] += back * omsi_col_int64(st, 12);
		if (strcmp(omsi_text(st, 5), "refunded") != 0)
			continue;
		/* By SKU, a line's share (shipping refunded is no SKU's); else the return's, once. */
		if (c->by == OMS_BY_SKU)
			v[c_refund] += omsi_col_int64(st, 13);
		else if (omsi_col_int64(st, 0) != last)
			v[c_refund] += omsi_col_int64(st, 6);
		last = omsi_col_int64(st, 0);
	}
	omsi_reset(st);
	st = NULL;
	if (step != OMSI_DONE)
		goto out;
	r->distinct_total = omsr_pairs_count(&gs, c_ret);
	if ((rc = to_rows(c, r, &gs, kcol)) != OMS_OK)
		goto out;
	if (c->by == OMS_BY_SKU) {
		rc = OMS_ESYS;
		if (describe(c, r, c_sku, c_desc) != OMS_OK)
			goto out;
		for (i = 0; i < r->nrows; i++) {
			struct omsr_row *row = &r->rows[i];

			if ((st = omsi_stmt(c->o, q_shipped, "tttt", row->s[c_sku], row->s[kcol[1]],
			    c->since, c->until)) == NULL || omsi_step(c->o, st) != OMSI_ROW)
				goto out;
			shipped = omsi_col_int64(st, 0);
			omsi_reset(st);
			st = NULL;
			omsr_num(row, c_ship, shipped);
			/* Returned of shipped, in hundredths of a percent, rounded half up. */
			if (shipped > 0)
				omsr_num(row, c_rate, (row->v[c_back] * 20000 + shipped) / (2 * shipped));
			else
				row->null |= 1u << c_rate;
		}
	}
	if ((rc = fill_periods(c, r)) == OMS_OK)
		sort_rows(r);
out:
	if (st != NULL)
		omsi_reset(st);
	omsr_groups_free(&gs);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* What is open now: orders, what they wait for, stock. */

/* The open statuses, in the order a report shows them. */
static const char *const open_statuses[] = {
	"new", "verified", "authorized", "backordered", "allocated", "picking", "hold",
};
#define NOPEN (sizeof open_statuses / sizeof open_statuses[0])

static int64_t
status_rank(const char *s)
{
	size_t i;

	for (i = 0; i < NOPEN; i++)
		if (strcmp(s, open_statuses[i]) == 0)
			return (int64_t)i;
	return (int64_t)NOPEN;
}

static int
orders(struct ctx *c, struct omsr_result *r)
{
	/*
	 * The open statuses but hold come from the status index alone; holds
	 * are few, and grouped by reason.  The bare id is the oldest order's:
	 * with one min() SQLite takes bare columns from the row it picked.
	 */
#define AGES "count(*), sum(placed_at > ?3), sum(placed_at <= ?3 AND placed_at > ?4)," \
    " sum(placed_at <= ?4 AND placed_at > ?5), sum(placed_at <= ?5), id, min(placed_at)" \
    " FROM orders WHERE placed_at >= ?1 AND placed_at < ?2 AND status"
	static const char by_status[] = "SELECT status, NULL, " AGES
	    " IN ('new','verified','authorized','backordered','allocated','picking') GROUP BY status"
	    " UNION ALL SELECT status, coalesce(hold_reason, ''), " AGES " = 'hold'"
	    " GROUP BY coalesce(hold_reason, '')";
	static const char by_source[] = "SELECT source, NULL, " AGES " IN (" OPEN_STATUSES ")"
	    " GROUP BY source";
#undef AGES
	/*
	 * A server has no bare columns and sums no booleans: the oldest's id
	 * by array_agg, the counts by FILTER, and every column grouped.
	 */
#define AGES "count(*), count(*) FILTER (WHERE placed_at > ?3)," \
    " count(*) FILTER (WHERE placed_at <= ?3 AND placed_at > ?4)," \
    " count(*) FILTER (WHERE placed_at <= ?4 AND placed_at > ?5)," \
    " count(*) FILTER (WHERE placed_at <= ?5), (array_agg(id ORDER BY placed_at, id))[1]," \
    " min(placed_at) FROM orders WHERE placed_at >= ?1 AND placed_at < ?2 AND status"
	static const char by_status_pg[] = "SELECT status, NULL, " AGES
	    " IN ('new','verified','authorized','backordered','allocated','picking') GROUP BY status"
	    " UNION ALL SELECT status, coalesce(hold_reason, ''), " AGES " = 'hold'"
	    " GROUP BY status, coalesce(hold_reason, '')";
	static const char by_source_pg[] = "SELECT source, NULL, " AGES " IN (" OPEN_STATUSES ")"
	    " GROUP BY source";
#undef AGES
	static const char *const ages[] = { "under_1d", "1d_3d", "3d_7d", "over_7d" };
	char d1[OMS_TIME_MAX], d3[OMS_TIME_MAX], d7[OMS_TIME_MAX];
	int c_key, c_reason = -1, c_n, c_age[4], c_oldest, c_placed, c_days, step, i;
	struct omsr_row *row;
	struct omsi_stmt *st;
	uint32_t seen = 0;
	size_t k;

	c_key = omsr_col(r, by_names[c->by], OMSR_KEY);
	if (c->by == OMS_BY_STATUS)
		c_reason = omsr_col(r, "reason", OMSR_KEY);
	c_n = omsr_col(r, "orders", OMSR_COUNT);
	for (i = 0; i < 4; i++)
		c_age[i] = omsr_col(r, ages[i], OMSR_COUNT);
	c_oldest = omsr_col(r, "oldest_order", OMSR_NUM);
	c_placed = omsr_col(r, "oldest_placed", OMSR_TIME);
	c_days = omsr_col(r, "oldest_age_days", OMSR_NUM);
	r->fig = c_n;
	if ((st = omsi_stmt(c->o, c->by == OMS_BY_STATUS ? (c->o->pg != NULL ? by_status_pg :
	    by_status) : c->o->pg != NULL ? by_source_pg : by_source, "ttttt",
	    c->since, c->until, ago(c, 1, d1), ago(c, 3, d3), ago(c, 7, d7))) == NULL)
		return OMS_ESYS;
	while ((step = omsi_step(c->o, st)) == OMSI_ROW) {
		if ((row = omsr_row(r)) == NULL || omsr_set(r, row, c_key, omsi_text(st, 0)) ||
		    (c_reason >= 0 && omsr_set(r, row, c_reason, omsi_text(st, 1))) ||
		    omsr_set(r, row, c_placed, omsi_text(st, 8))) {
			omsi_reset(st);
			return OMS_ESYS;
		}
		omsr_num(row, c_n, omsi_col_int64(st, 2));
		for (i = 0; i < 4; i++)
			omsr_num(row, c_age[i], omsi_col_int64(st, 3 + i));
		omsr_num(row, c_oldest, omsi_col_int64(st, 7));
		omsr_num(row, c_days, age_days(c, omsi_text(st, 8)));
		if (c->by == OMS_BY_STATUS) {
			row->order = status_rank(row->s[c_key]);
			seen |= 1u << row->order;
		}
	}
	omsi_reset(st);
	if (step != OMSI_DONE)
		return OMS_ESYS;
	/* Every step of the pipeline is shown, stuck or not. */
	for (k = 0; c->by == OMS_BY_STATUS && k < NOPEN; k++) {
		if (seen & (1u << k))
			continue;
		if ((row = omsr_row(r)) == NULL || omsr_set(r, row, c_key, open_statuses[k]))
			return OMS_ESYS;
		row->order = (int64_t)k;
		omsr_num(row, c_n, 0);
		for (i = 0; i < 4; i++)
			omsr_num(row, c_age[i], 0);
	}
	sort_rows(r);
	return OMS_OK;
}

/*
 * backorders reads the waiting lines once and adds them up per SKU in C:
 * a GROUP BY here would want a second pass for the orders counted once
 * in the total, and every pass costs a lookup per line.
 */
static int
backorders(struct ctx *c, struct omsr_result *r)
{
	static const char q[] = "SELECT l.sku, o.id, l.qty - l.allocated - l.shipped - l.cancelled,"
	    " o.placed_at" WAITING_JOIN WAITING_WHERE;
	static const char q_sku[] = "SELECT (SELECT description FROM items WHERE sku = ?1),"
	    " (SELECT on_hand - reserved FROM stock WHERE sku = ?1)";
	int c_sku, c_desc, c_wait, c_orders, c_avail, c_short, c_oldest, c_placed, c_days, step;
	int kcol[4] = { -1, -1, -1, -1 }, rc = OMS_ESYS;
	struct omsr_groups gs = { 0 };
	int32_t k[4] = { 0 };
	int64_t wait, avail;
	char placed[OMS_TIME_MAX];
	struct omsi_stmt *st;
	struct omsr_group *g;
	size_t i;
	ssize_t n;
	time_t t;

	kcol[0] = c_sku = omsr_col(r, "sku", OMSR_KEY);
	c_desc = omsr_col(r, "description", OMSR_TEXT);
	c_wait = omsr_col(r, "waiting", OMSR_COUNT);
	c_orders = omsr_col(r, "orders", OMSR_DISTINCT);
	c_avail = omsr_col(r, "available", OMSR_NUM);
	c_short = omsr_col(r, "short", OMSR_COUNT);
	c_oldest = omsr_col(r, "oldest_order", OMSR_NUM);
	c_placed = omsr_col(r, "oldest_placed", OMSR_TIME);
	c_days = omsr_col(r, "oldest_age_days", OMSR_NUM);
	r->fig = c_wait;
	if ((st = omsi_stmt(c->o, q, "")) == NULL)
		return OMS_ESYS;
	while ((step = omsi_step(c->o, st)) == OMSI_ROW) {
		if (omsr_utc_parse(omsi_text(st, 3), &t) != 0) {
			rc = bad_time(c, "order", omsi_col_int64(st, 1), omsi_text(st, 3));
			goto out;
		}
		if ((k[0] = omsr_intern(&r->pool, omsi_text(st, 0))) < 0 ||
		    (n = omsr_group(&gs, 0, k)) < 0 ||
		    omsr_pair(&gs, n, omsi_col_int64(st, 1)) != 0)
			goto out;
		g = &gs.g[n];
		g->v[c_wait] += omsi_col_int64(st, 2);
		/* The oldest order, its time kept where the figure of its column would be. */
		if (g->v[c_oldest] == 0 || t < g->v[c_placed] ||
		    (t == g->v[c_placed] && omsi_col_int64(st, 1) < g->v[c_oldest])) {
			g->v[c_oldest] = omsi_col_int64(st, 1);
			g->v[c_placed] = t;
		}
	}
	omsi_reset(st);
	st = NULL;
	if (step != OMSI_DONE)
		goto out;
	r->distinct_total = omsr_pairs_count(&gs, c_orders);
	if ((rc = to_rows(c, r, &gs, kcol)) != OMS_OK)
		goto out;
	rc = OMS_ESYS;
	for (i = 0; i < r->nrows; i++) {
		struct omsr_row *row = &r->rows[i];

		if ((st = omsi_stmt(c->o, q_sku, "t", row->s[c_sku])) == NULL ||
		    omsi_step(c->o, st) != OMSI_ROW ||
		    omsr_set(r, row, c_desc, omsi_text(st, 0)) != 0 ||
		    omsr_set(r, row, c_placed, utc_text((time_t)row->v[c_placed], placed)) != 0)
			goto out;
		wait = row->v[c_wait];
		avail = omsi_col_int64(st, 1);	/* NULL, never stocked, is 0 */
		omsi_reset(st);
		st = NULL;
		omsr_num(row, c_avail, avail);
		/* What must still come in: stock on the shelf is not short. */
		omsr_num(row, c_short, wait > avail ? wait - (avail > 0 ? avail : 0) : 0);
		omsr_num(row, c_days, age_days(c, row->s[c_placed]));
		row->order = -wait;
	}
	sort_rows(r);
	rc = OMS_OK;
out:
	if (st != NULL)
		omsi_reset(st);
	omsr_groups_free(&gs);
	return rc;
}

static int
inventory(struct ctx *c, struct omsr_result *r)
{
	static const char q[] = "SELECT i.sku, i.description, i.bin, coalesce(s.on_hand, 0),"
	    " coalesce(s.reserved, 0), coalesce(w.waiting, 0), i.currency, i.price"
	    " FROM items i LEFT JOIN stock s ON s.sku = i.sku"
	    " LEFT JOIN (SELECT l.sku AS sku, " WAITING_QTY " AS waiting" WAITING_JOIN WAITING_WHERE
	    "  GROUP BY l.sku) w ON w.sku = i.sku";
	int c_sku, c_desc, c_bin, c_hand, c_res, c_avail, c_back, c_net, c_price, c_value, step;
	int64_t on_hand, reserved, waiting, net, price, value;
	struct omsr_row *row;
	struct omsi_stmt *st;

	c_sku = omsr_col(r, "sku", OMSR_KEY);
	c_desc = omsr_col(r, "description", OMSR_TEXT);
	c_bin = omsr_col(r, "bin", OMSR_TEXT);
	c_hand = omsr_col(r, "on_hand", OMSR_COUNT);
	c_res = omsr_col(r, "reserved", OMSR_COUNT);
	c_avail = omsr_col(r, "available", OMSR_COUNT);
	c_back = omsr_col(r, "backordered", OMSR_COUNT);
	c_net = omsr_col(r, "net", OMSR_COUNT);
	omsr_col(r, "currency", OMSR_CUR);
	c_price = omsr_col(r, "price", OMSR_PRICE);
	c_value = omsr_col(r, "value", OMSR_MONEY);
	r->fig = c_avail;
	if ((st = omsi_stmt(c->o, q, "")) == NULL)
		return OMS_ESYS;
	while ((step = omsi_step(c->o, st)) == OMSI_ROW) {
		on_hand = omsi_col_int64(st, 3);
		reserved = omsi_col_int64(st, 4);
		waiting = omsi_col_int64(st, 5);
		net = on_hand - reserved - waiting;
		if (c->q->has_low && net > c->q->low)
			continue;
		if ((row = omsr_row(r)) == NULL || omsr_set(r, row, c_sku, omsi_text(st, 0)) ||
		    omsr_set(r, row, c_desc, omsi_text(st, 1)) ||
		    omsr_set(r, row, c_bin, omsi_text(st, 2)) ||
		    omsr_set(r, row, r->cur, omsi_text(st, 6))) {
			omsi_reset(st);
			return OMS_ESYS;
		}
		omsr_num(row, c_hand, on_hand);
		omsr_num(row, c_res, reserved);
		omsr_num(row, c_avail, on_hand - reserved);
		omsr_num(row, c_back, waiting);
		omsr_num(row, c_net, net);
		if (!omsi_col_null(st, 7)) {
			price = omsi_col_int64(st, 7);
			omsr_num(row, c_price, price);
			if (__builtin_mul_overflow(on_hand, price, &value)) {
				oms_warnx("%s: the value of its stock is too large to add up", row->s[c_sku]);
				omsi_reset(st);
				return OMS_ESYS;
			}
			omsr_num(row, c_value, value);
		}
		/* What to reorder first comes first. */
		row->order = c->q->has_low ? net : 0;
	}
	omsi_reset(st);
	if (step != OMSI_DONE)
		return OMS_ESYS;
	sort_rows(r);
	return OMS_OK;
}

/* ---------------------------------------------------------------------- */

int
oms_report_run(struct oms *o, const struct oms_report_query *q, FILE *out)
{
	const struct report *rep = find_report(q->report);
	struct omsr_result r;
	struct ctx c;
	int rc;

	if (rep == NULL || oms_report_check(q) != OMS_OK)
		return OMS_EUSAGE;
	memset(&c, 0, sizeof c);
	c.o = o;
	c.q = q;
	c.progress = oms_isatty_err() && !oms_opts_of(o)->quiet;
	if ((rc = setup(&c, rep)) != OMS_OK)
		return rc;
	memset(&r, 0, sizeof r);
	r.cur = -1;
	/*
	 * A table read in its order is read faster mapped into memory; rows
	 * looked up here and there are read faster without, as each page
	 * mapped costs a fault (measured: three times over 11,000 held orders).
	 */
	if ((rep->opts & R_SCAN) && !q->has_expiring &&
	    omsi_pragma(o, "PRAGMA mmap_size = 1073741824") != OMS_OK)
		return OMS_ESYS;
	/*
	 * One snapshot for all of a report's queries.  A deferred BEGIN takes
	 * no lock that would keep writers out: in WAL they go on while we read.
	 */
	if (omsi_exec_script(o, "BEGIN") != OMS_OK)
		return OMS_ESYS;
	rc = rep->run(&c, &r);
	oms_rollback(o);
	free(c.periods);
	if (c.shown)
		fputc('\n', stderr);
	if (rc == OMS_OK)
		rc = omsr_print(&r, q, out);
	omsr_free(&r);
	return rc;
}
