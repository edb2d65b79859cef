/*
 * oms-report: what is in stock, what shipped and sold, what shipping costs,
 * what is stuck, what was paid, what came back.
 */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <oms/diag.h>
#include <oms/money.h>
#include <oms/oms.h>
#include <oms/report.h>

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: oms-report [-qv] [-c config] [-d db] [--by grouping] [--chart]\n"
	    "                  [--format format] [--since date] [--until date] [--tz zone]\n"
	    "                  report\n"
	    "Reports: inventory [--low n], shipments, items [--top n], shipping-cost,\n"
	    "orders, backorders, payments [--expiring days], returns.  See oms-report(1).\n");
	exit(status);
}

enum { O_BY = OMS_OPT_TOOL, O_CHART, O_EXPIRING, O_LOW, O_SINCE, O_TOP, O_TZ, O_UNTIL };

static const struct option longopts[] = {
	OMS_COMMON_LONGOPTS,
	{ "by", required_argument, NULL, O_BY },
	{ "chart", no_argument, NULL, O_CHART },
	{ "expiring", required_argument, NULL, O_EXPIRING },
	{ "format", required_argument, NULL, OMS_OPT_FORMAT },
	{ "low", required_argument, NULL, O_LOW },
	{ "since", required_argument, NULL, O_SINCE },
	{ "top", required_argument, NULL, O_TOP },
	{ "tz", required_argument, NULL, O_TZ },
	{ "until", required_argument, NULL, O_UNTIL },
	{ NULL, 0, NULL, 0 }
};

/* count reads a whole-number option value. */
static int64_t
count(const char *opt, const char *s, int64_t min)
{
	int64_t n;

	if (oms_qty_parse(s, &n) != 0 || n < min) {
		oms_warnx("%s: \"%s\" is not a whole number of at least %lld", opt, s, (long long)min);
		exit(OMS_EUSAGE);
	}
	return n;
}

/* chart_width is how wide a chart may be: $COLUMNS, the terminal, else 80. */
static int
chart_width(void)
{
	const char *s = getenv("COLUMNS");
	struct winsize ws;
	int64_t n;

	if (s != NULL && oms_qty_parse(s, &n) == 0 && n >= 20 && n <= 1000)
		return (int)n;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

int
main(int argc, char *argv[])
{
	struct oms_opts opts = { 0 };
	struct oms_report_query q = { 0 };
	const char *tz = NULL;
	struct oms *o;
	int c, rc;

	oms_tool_init();
	setlocale(LC_CTYPE, "");
	while ((c = oms_getopt(&opts, argc, argv, "c:d:hqvV", longopts, usage)) != -1) {
		switch (c) {
		case O_BY:
			if (oms_report_by_parse(optarg, &q.by) != 0) {
				oms_warnx("--by: \"%s\" is not one of day, week, month, carrier, service,"
				    " sku, source, status, reason", optarg);
				return OMS_EUSAGE;
			}
			break;
		case O_CHART:
			q.chart = 1;
			break;
		case O_EXPIRING:
			q.expiring = count("--expiring", optarg, 0);
			q.has_expiring = 1;
			break;
		case O_LOW:
			q.low = count("--low", optarg, 0);
			q.has_low = 1;
			break;
		case O_SINCE:
			q.since = optarg;
			break;
		case O_TOP:
			q.top = count("--top", optarg, 1);
			break;
		case O_TZ:
			tz = optarg;
			break;
		case O_UNTIL:
			q.until = optarg;
			break;
		default:
			usage(stderr, OMS_EUSAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1) {
		if (argc > 1)
			oms_warnx("one report at a time: \"%s\" and \"%s\"", argv[0], argv[1]);
		usage(stderr, OMS_EUSAGE);
	}
	q.report = argv[0];
	/* Reports are in UTC unless asked otherwise, whatever the caller's TZ. */
	if (tz != NULL && oms_tz_check(tz) != 0) {
		oms_warnx("--tz: no time zone \"%s\" (a name such as America/New_York or UTC)", tz);
		return OMS_EUSAGE;
	}
	if (setenv("TZ", tz ? tz : "UTC", 1) != 0) {
		oms_warn("setenv");
		return OMS_ESYS;
	}
	tzset();
	q.now = getenv("OMS_NOW");
	q.format = opts.format;
	q.width = chart_width();
	q.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	if ((rc = oms_report_check(&q)) != OMS_OK)
		return rc;
	opts.readonly = 1;
	if ((rc = oms_open(&o, &opts)) != OMS_OK)
		return rc;
	rc = oms_report_run(o, &q, stdout);
	oms_close(o);
	if (oms_flush() != OMS_OK)
		return OMS_ESYS;
	return rc;
}
