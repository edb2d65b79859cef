/* oms-return: returns (RMAs), exchanges and claims: open, receive, refund, cancel, list, show. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <oms/cmdline.h>
#include <oms/diag.h>
#include <oms/ids.h>
#include <oms/oms.h>
#include <oms/returns.h>
#include <oms/time.h>

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: oms-return [-nqv] [-c config] [-d db] open --line SKU:QTY [--line ...]\n"
	    "                  --reason CODE [--note TEXT] [--exchange SKU:QTY ...]\n"
	    "                  [--no-return] ID\n"
	    "       oms-return [-nqv] [-c config] [-d db] receive [--line SKU:QTY[:restock|scrap]\n"
	    "                  ...] [RMA ...]\n"
	    "       oms-return [-nqv] [-c config] [-d db] refund [--amount X] [--fee X]\n"
	    "                  [--shipping] [RMA ...]\n"
	    "       oms-return [-nqv] [-c config] [-d db] cancel [--reason TEXT] [RMA ...]\n"
	    "       oms-return [-qv] [-c config] [-d db] list [--status S] [--since DATE]\n"
	    "                  [--format F | --rma | --orders] [ID ... | -]\n"
	    "       oms-return [-qv] [-c config] [-d db] show [--format F] [RMA ...]\n"
	    "With no RMA, RMA numbers are read from stdin, one per line.  See oms-return(1).\n");
	exit(status);
}

enum { O_AMOUNT = OMS_OPT_TOOL, O_EXCHANGE, O_FEE, O_LINE, O_NORETURN, O_NOTE, O_ORDERS,
	O_REASON, O_RMA, O_SHIPPING, O_SINCE, O_STATUS };

static const struct option longopts[] = {
	OMS_COMMON_LONGOPTS,
	{ "amount", required_argument, NULL, O_AMOUNT },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "exchange", required_argument, NULL, O_EXCHANGE },
	{ "fee", required_argument, NULL, O_FEE },
	{ "format", required_argument, NULL, OMS_OPT_FORMAT },
	{ "line", required_argument, NULL, O_LINE },
	{ "no-return", no_argument, NULL, O_NORETURN },
	{ "note", required_argument, NULL, O_NOTE },
	{ "orders", no_argument, NULL, O_ORDERS },
	{ "reason", required_argument, NULL, O_REASON },
	{ "rma", no_argument, NULL, O_RMA },
	{ "shipping", no_argument, NULL, O_SHIPPING },
	{ "since", required_argument, NULL, O_SINCE },
	{ "status", required_argument, NULL, O_STATUS },
	{ NULL, 0, NULL, 0 }
};

static const char *const commands[] = { "open", "receive", "refund", "cancel", "list", "show",
	NULL };

static const char *const statuses[] = { "open", "received", "refunded", "closed", "cancelled",
	NULL };

/* Options given, to tell which go with the command (bit per option, from O_AMOUNT). */
#define OPT(x) (1u << ((x) - O_AMOUNT))

/* wants keeps the --line and --exchange arguments, parsed once the command is known. */
struct wants {
	char **arg;
	struct oms_return_want *w;
	size_t n;
};

static int
keep(struct wants *v, char *arg)
{
	char **more = realloc(v->arg, (v->n + 1) * sizeof *more);

	if (more == NULL) {
		oms_warnx("out of memory");
		return -1;
	}
	v->arg = more;
	v->arg[v->n++] = arg;
	return 0;
}

static int
parse_wants(struct wants *v, const char *opt, int disp)
{
	size_t i;

	if (v->n == 0)
		return 0;
	if ((v->w = calloc(v->n, sizeof *v->w)) == NULL) {
		oms_warnx("out of memory");
		return -1;
	}
	for (i = 0; i < v->n; i++)
		if (oms_return_want_parse(v->arg[i], opt, disp, &v->w[i]) != 0)
			return -1;
	return 0;
}

/* add_id appends an ID to a list. */
static int
add_id(int64_t **ids, size_t *n, int64_t id)
{
	int64_t *more = realloc(*ids, (*n + 1) * sizeof *more);

	if (more == NULL) {
		oms_warnx("out of memory");
		return -1;
	}
	*ids = more;
	(*ids)[(*n)++] = id;
	return 0;
}

/* DONE ends main through its clean-up. */
#define DONE(status) do { rc = (status); goto out; } while (0)

int
main(int argc, char *argv[])
{
	struct oms_opts opts = { 0 };
	struct oms_return_req req = { 0 };
	struct oms_refund_req refund = { 0 };
	struct oms_return_query q = { 0 };
	struct wants lines = { 0 }, exchange = { 0 };
	const char *cmd, *reason = NULL;
	char since[OMS_TIME_MAX];
	unsigned given = 0, allowed = 0;
	int64_t *ids = NULL, id;
	size_t n = 0, i;
	struct oms *o;
	int c, k, rc, bad = 0, r;

	oms_tool_init();
	while ((c = oms_getopt(&opts, argc, argv, "c:d:hnqvV", longopts, usage)) != -1) {
		given |= c >= O_AMOUNT && c <= O_STATUS ? OPT(c) : 0;
		switch (c) {
		case O_AMOUNT:
			refund.amount = optarg;
			break;
		case O_EXCHANGE:
			if (keep(&exchange, optarg) != 0)
				DONE(OMS_ESYS);
			break;
		case O_FEE:
			refund.fee = optarg;
			break;
		case O_LINE:
			if (keep(&lines, optarg) != 0)
				DONE(OMS_ESYS);
			break;
		case O_NORETURN:
			req.claim = 1;
			break;
		case O_NOTE:
			req.note = optarg;
			break;
		case O_ORDERS:
		case O_RMA:
			if (q.print != 0 && q.print != (c == O_RMA ? 'r' : 'o')) {
				oms_warnx("--rma and --orders: choose one");
				DONE(OMS_EUSAGE);
			}
			q.print = c == O_RMA ? 'r' : 'o';
			break;
		case O_REASON:
			reason = optarg;
			break;
		case O_SHIPPING:
			refund.shipping = 1;
			break;
		case O_SINCE:
			if (oms_time_parse(optarg, since) != 0) {
				oms_warnx("--since: \"%s\" is not a date (YYYY-MM-DD or"
				    " YYYY-MM-DDTHH:MM:SSZ)", optarg);
				DONE(OMS_EUSAGE);
			}
			q.since = since;
			break;
		case O_STATUS:
			for (k = 0; statuses[k] != NULL && strcmp(statuses[k], optarg) != 0; k++)
				;
			if (statuses[k] == NULL) {
				oms_warnx("--status: \"%s\" is not one of open, received, refunded,"
				    " closed, cancelled", optarg);
				DONE(OMS_EUSAGE);
			}
			q.status = optarg;
			break;
		default:
			usage(stderr, OMS_EUSAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if ((k = oms_command(argc, argv, commands, OMS_CMD_REQUIRED)) == OMS_CMD_BAD)
		DONE(OMS_EUSAGE);
	if (k == OMS_CMD_NONE)
		usage(stderr, OMS_EUSAGE);
	cmd = commands[k];
	argv++;
	argc--;
	if (strcmp(cmd, "open") == 0)
		allowed = OPT(O_LINE) | OPT(O_REASON) | OPT(O_NOTE) | OPT(O_EXCHANGE) |
		    OPT(O_NORETURN);
	else if (strcmp(cmd, "receive") == 0)
		allowed = OPT(O_LINE);
	else if (strcmp(cmd, "refund") == 0)
		allowed = OPT(O_AMOUNT) | OPT(O_FEE) | OPT(O_SHIPPING);
	else if (strcmp(cmd, "cancel") == 0)
		allowed = OPT(O_REASON);
	else if (strcmp(cmd, "list") == 0)
		allowed = OPT(O_STATUS) | OPT(O_SINCE) | OPT(O_RMA) | OPT(O_ORDERS);
	for (i = 0; longopts[i].name != NULL; i++)
		if (longopts[i].val >= O_AMOUNT && longopts[i].val <= O_STATUS &&
		    (given & ~allowed & OPT(longopts[i].val))) {
			oms_warnx("--%s does not go with %s", longopts[i].name, cmd);
			usage(stderr, OMS_EUSAGE);
		}
	if (opts.dry_run && (strcmp(cmd, "list") == 0 || strcmp(cmd, "show") == 0)) {
		oms_warnx("-n: %s changes nothing", cmd);
		usage(stderr, OMS_EUSAGE);
	}
	if (strcmp(cmd, "open") == 0) {
		if (argc != 1 || oms_id_parse(argv[0], &req.order) != 0) {
			oms_warnx("open: expected one order ID");
			usage(stderr, OMS_EUSAGE);
		}
		if (lines.n == 0 || reason == NULL || *reason == '\0') {
			oms_warnx("open: %s is required", lines.n == 0 ? "--line SKU:QTY" :
			    "--reason CODE");
			usage(stderr, OMS_EUSAGE);
		}
		if (parse_wants(&lines, "--line", 0) != 0 ||
		    parse_wants(&exchange, "--exchange", 0) != 0)
			DONE(OMS_EUSAGE);
		req.lines = lines.w;
		req.nlines = lines.n;
		req.exchange = exchange.w;
		req.nexchange = exchange.n;
		req.reason = reason;
	} else if (strcmp(cmd, "list") == 0) {
		if (q.print != 0 && opts.format != OMS_FMT_TEXT) {
			oms_warnx("--%s prints one a line: it does not go with --format",
			    q.print == 'r' ? "rma" : "orders");
			usage(stderr, OMS_EUSAGE);
		}
		for (i = 0; i < (size_t)argc && !(argc == 1 && strcmp(argv[0], "-") == 0); i++) {
			if (oms_id_parse(argv[i], &id) != 0) {
				oms_warnx("list: \"%s\" is not an order ID", argv[i]);
				usage(stderr, OMS_EUSAGE);
			}
			if (add_id(&ids, &n, id) != 0)
				DONE(OMS_ESYS);
		}
		if (argc == 1 && strcmp(argv[0], "-") == 0 && oms_return_read_ids(stdin, "stdin", 1, &ids, &n, &bad) != 0)
			DONE(OMS_ESYS);
		/* Orders named, or none on stdin: only theirs, which may be none at all. */
		q.orders = argc > 0 ? (ids != NULL ? ids : &id) : NULL;
		q.norders = n;
	} else {
		if (parse_wants(&lines, "--line", 1) != 0)
			DONE(OMS_EUSAGE);
		if (lines.n > 0 && argc != 1) {
			oms_warnx("receive --line: name one RMA");
			usage(stderr, OMS_EUSAGE);
		}
		for (i = 0; i < (size_t)argc; i++) {
			if (oms_rma_parse(argv[i], &id) != 0) {
				oms_warnx("%s: \"%s\" is not an RMA number (RMA-000123)", cmd, argv[i]);
				usage(stderr, OMS_EUSAGE);
			}
			if (add_id(&ids, &n, id) != 0)
				DONE(OMS_ESYS);
		}
		if (argc == 0 && oms_return_read_ids(stdin, "stdin", 0, &ids, &n, &bad) != 0)
			DONE(OMS_ESYS);
	}
	opts.readonly = strcmp(cmd, "list") == 0 || strcmp(cmd, "show") == 0;
	if ((rc = oms_open(&o, &opts)) != OMS_OK)
		DONE(rc);
	if (strcmp(cmd, "open") == 0)
		rc = oms_return_open(o, &req);
	else if (strcmp(cmd, "list") == 0)
		rc = oms_return_list(o, &q, opts.format, stdout);
	else {
		/* Each RMA on its own: one that is refused does not stop the others. */
		for (i = 0, rc = OMS_OK; i < n && rc != OMS_ESYS; i++) {
			if (strcmp(cmd, "receive") == 0)
				r = oms_return_receive(o, ids[i], lines.w, lines.n);
			else if (strcmp(cmd, "refund") == 0)
				r = oms_return_refund(o, ids[i], &refund);
			else if (strcmp(cmd, "cancel") == 0)
				r = oms_return_cancel(o, ids[i], reason);
			else if ((r = oms_return_show(o, ids[i], opts.format, stdout)) == OMS_OK &&
			    opts.format == OMS_FMT_TEXT && i + 1 < n)
				putchar('\n');
			if (r > rc)
				rc = r;
		}
	}
	oms_close(o);
	if (bad && rc == OMS_OK)
		rc = OMS_EINPUT;
	if (oms_flush() != OMS_OK)
		rc = OMS_ESYS;
out:
	free(lines.arg);
	free(lines.w);
	free(exchange.arg);
	free(exchange.w);
	free(ids);
	return rc;
}
