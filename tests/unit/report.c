/*
 * Unit tests for the calendar of report periods, in time zones with summer
 * time and without, and for omsi_each, which hands the reports their rows.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <oms/db.h>
#include <oms/report.h>

#include "internal.h"
#include "report_int.h"
#include "tap.h"

/* at reads a stored UTC time, for the tests' instants. */
static time_t
at(const char *s)
{
	time_t t = 0;

	if (omsr_utc_parse(s, &t) != 0)
		abort();
	return t;
}

static void
zone(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* period says that t is in the period named label, from start to next (UTC). */
static void
period(enum oms_report_by by, const char *t, const char *label, const char *start,
    const char *next)
{
	char buf[16];
	time_t s = oms_period_start(by, at(t));

	ok(strcmp(oms_period_label(by, s, buf), label) == 0, "%s is in %s (%s)", t, label, buf);
	ok(s == at(start), "%s starts at %s", label, start);
	ok(oms_period_next(by, s) == at(next), "and the next one at %s", next);
}

/* What each_row saw, and on which row it stops (0: none). */
struct seen {
	int rows, stop_at;
	int64_t sum;
	int texts_ok;
};

static int
each_row(void *arg, const struct omsi_row *v)
{
	struct seen *s = arg;

	s->rows++;
	s->sum += omsi_row_int64(v, 0);
	if (omsi_row_text(v, 1) == NULL || strcmp(omsi_row_text(v, 1), "x") != 0)
		s->texts_ok = 0;
	return s->rows == s->stop_at ? OMS_EINPUT : OMS_OK;
}

static void
each_tests(void)
{
	static const char q_all[] = "SELECT omsi_each(?1, n, 'x') FROM t";
	static const char q_over[] = "SELECT omsi_each(?2, n, 'x') FROM t WHERE n > ?1";
	const char *tmp = getenv("TMPDIR");
	char dir[256], db[300];
	struct oms_opts opts = { 0 };
	struct seen s;
	struct oms *o;

	snprintf(dir, sizeof dir, "%s/oms-report.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(db, sizeof db, "%s/oms.db", dir);
	unsetenv("OMS_CONFIG");
	opts.db_path = db;
	opts.create = 1;
	opts.quiet = 1;
	if (oms_open(&o, &opts) != OMS_OK || sqlite3_exec(o->db, "CREATE TEMP TABLE t (n);"
	    " INSERT INTO t VALUES (1), (2), (3), (4), (5);", NULL, NULL, NULL) != SQLITE_OK)
		abort();

	memset(&s, 0, sizeof s);
	s.texts_ok = 1;
	ok(omsi_each(o, q_all, each_row, &s, "") == OMS_OK && s.rows == 5 && s.sum == 15 &&
	    s.texts_ok, "omsi_each hands over every row, its columns after the callback's");
	memset(&s, 0, sizeof s);
	ok(omsi_each(o, q_over, each_row, &s, "i", (int64_t)2) == OMS_OK && s.rows == 3 &&
	    s.sum == 12, "with parameters first, the callback's after them");
	memset(&s, 0, sizeof s);
	s.stop_at = 2;
	ok(omsi_each(o, q_all, each_row, &s, "") == OMS_EINPUT && s.rows == 2,
	    "a callback's error stops the query and is what omsi_each returns");
	memset(&s, 0, sizeof s);
	ok(omsi_each(o, q_all, each_row, &s, "") == OMS_OK && s.rows == 5,
	    "and the statement runs again after it");
	ok(sqlite3_exec(o->db, "SELECT omsi_each(NULL, n) FROM t", NULL, NULL, NULL) == SQLITE_ERROR,
	    "SQL that binds no callback gets an error, not a call through nothing");
	ok(sqlite3_exec(o->db, "CREATE TABLE m (n); INSERT INTO m VALUES (1);"
	    " CREATE VIEW v AS SELECT omsi_each(NULL, n) FROM m; SELECT * FROM v", NULL, NULL,
	    NULL) == SQLITE_ERROR &&
	    strstr(sqlite3_errmsg(o->db), "unsafe use of omsi_each") != NULL,
	    "nor can a view call it (SQLITE_DIRECTONLY)");

	oms_close(o);
	unlink(db);
	snprintf(db, sizeof db, "%s/oms.db-wal", dir);
	unlink(db);
	snprintf(db, sizeof db, "%s/oms.db-shm", dir);
	unlink(db);
	rmdir(dir);
}

int
main(void)
{
	char buf[32];
	time_t t;

	zone("UTC");
	period(OMS_BY_DAY, "2026-11-03T23:59:59Z", "2026-11-03", "2026-11-03T00:00:00Z",
	    "2026-11-04T00:00:00Z");
	period(OMS_BY_WEEK, "2026-11-01T12:00:00Z", "2026-10-26", "2026-10-26T00:00:00Z",
	    "2026-11-02T00:00:00Z");
	period(OMS_BY_WEEK, "2026-11-02T00:00:00Z", "2026-11-02", "2026-11-02T00:00:00Z",
	    "2026-11-09T00:00:00Z");
	period(OMS_BY_MONTH, "2026-12-31T23:59:59Z", "2026-12", "2026-12-01T00:00:00Z",
	    "2027-01-01T00:00:00Z");
	period(OMS_BY_MONTH, "2028-02-29T10:00:00Z", "2028-02", "2028-02-01T00:00:00Z",
	    "2028-03-01T00:00:00Z");
	period(OMS_BY_WEEK, "2027-01-01T00:00:00Z", "2026-12-28", "2026-12-28T00:00:00Z",
	    "2027-01-04T00:00:00Z");
	is_str(omsr_local("2026-11-03T03:30:00Z", buf), "2026-11-03T03:30:00Z",
	    "a time in UTC is written with Z");

	zone("America/New_York");
	period(OMS_BY_DAY, "2026-11-04T03:30:00Z", "2026-11-03", "2026-11-03T05:00:00Z",
	    "2026-11-04T05:00:00Z");
	/* 2026-11-01 has 25 hours in New York, 2026-03-08 has 23. */
	period(OMS_BY_DAY, "2026-11-01T12:00:00Z", "2026-11-01", "2026-11-01T04:00:00Z",
	    "2026-11-02T05:00:00Z");
	period(OMS_BY_DAY, "2026-03-08T12:00:00Z", "2026-03-08", "2026-03-08T05:00:00Z",
	    "2026-03-09T04:00:00Z");
	period(OMS_BY_WEEK, "2026-11-02T04:59:59Z", "2026-10-26", "2026-10-26T04:00:00Z",
	    "2026-11-02T05:00:00Z");
	period(OMS_BY_MONTH, "2026-11-01T03:59:59Z", "2026-10", "2026-10-01T04:00:00Z",
	    "2026-11-01T04:00:00Z");
	is_str(omsr_local("2026-11-04T03:30:00Z", buf), "2026-11-03T22:30:00-05:00",
	    "a time in New York is written with its offset");
	is_str(omsr_local("2026-07-04T16:00:00Z", buf), "2026-07-04T12:00:00-04:00",
	    "in summer time too");

	/* Midnight does not exist in Havana on the day summer time starts. */
	zone("America/Havana");
	period(OMS_BY_DAY, "2026-03-08T12:00:00Z", "2026-03-08", "2026-03-08T05:00:00Z",
	    "2026-03-09T04:00:00Z");

	zone("Asia/Kolkata");
	period(OMS_BY_DAY, "2026-11-25T18:29:59Z", "2026-11-25", "2026-11-24T18:30:00Z",
	    "2026-11-25T18:30:00Z");
	is_str(omsr_local("2026-11-25T10:00:00Z", buf), "2026-11-25T15:30:00+05:30",
	    "an offset of half an hour");

	ok(omsr_utc_parse("2026-11-03 10:00:00", &t) == -1, "a time that is not stored so is refused");
	ok(omsr_utc_parse("2026-13-03T10:00:00Z", &t) == -1, "and a month 13");
	ok(omsr_utc_parse("1970-01-01T00:00:00Z", &t) == 0 && t == 0, "the epoch is 0");
	ok(omsr_utc_parse("2000-03-01T00:00:00Z", &t) == 0 && t == 951868800,
	    "the day after a 400-year leap day");
	ok(oms_tz_check("Europe/Berlin") == 0, "a zone is known");
	ok(oms_tz_check("Europe/Nowhere") == -1, "a zone that is not");
	ok(oms_tz_check("../../etc/passwd") == -1 && oms_tz_check("/etc/localtime") == -1,
	    "a path is not a zone");
	each_tests();
	return done_testing();
}
