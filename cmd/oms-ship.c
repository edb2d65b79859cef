/* oms-ship: shipments of picked orders; carrier files out, tracking in; confirmations; void. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <oms/carrier.h>
#include <oms/cmdline.h>
#include <oms/diag.h>
#include <oms/ids.h>
#include <oms/oms.h>
#include <oms/outfile.h>
#include <oms/ship.h>
#include <oms/time.h>

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: oms-ship [-anqv] [-c config] [-d db] [--carrier c --service s] [--tracking t]\n"
	    "                [--weight w] [--cost amount] [--line sku:qty ...] [--force] [id ...]\n"
	    "       oms-ship [-aqv] [-c config] [-d db] export --format worldship|fedex|endicia|csv\n"
	    "                [-o file] [id ...]\n"
	    "       oms-ship [-nqv] [-c config] [-d db] import-tracking --format worldship|fedex|csv\n"
	    "                [--force] file\n"
	    "       oms-ship [-nqv] [-c config] [-d db] confirm --format amazon|shopify|csv | --asn\n"
	    "                [--since time] [-o file]\n"
	    "       oms-ship [-nqv] [-c config] [-d db] void [--reason text] shipment\n"
	    "       oms-ship [-qv] [-c config] [-d db] list [--format text|csv|tsv|json] [order]\n"
	    "Records a shipment of each picking order named, or on stdin, or all with -a\n"
	    "(which also takes up captures left pending or owed), and prints their IDs.\n"
	    "See oms-ship(1).\n");
	exit(status);
}

enum { O_ASN = OMS_OPT_TOOL, O_CARRIER, O_COST, O_FORCE, O_FORMAT, O_LINE, O_REASON,
	O_SERVICE, O_SINCE, O_TRACKING, O_WEIGHT };

static const struct option longopts[] = {
	OMS_COMMON_LONGOPTS,
	{ "all", no_argument, NULL, 'a' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "asn", no_argument, NULL, O_ASN },
	{ "carrier", required_argument, NULL, O_CARRIER },
	{ "cost", required_argument, NULL, O_COST },
	{ "force", no_argument, NULL, O_FORCE },
	{ "format", required_argument, NULL, O_FORMAT },
	{ "line", required_argument, NULL, O_LINE },
	{ "output", required_argument, NULL, 'o' },
	{ "reason", required_argument, NULL, O_REASON },
	{ "service", required_argument, NULL, O_SERVICE },
	{ "since", required_argument, NULL, O_SINCE },
	{ "tracking", required_argument, NULL, O_TRACKING },
	{ "weight", required_argument, NULL, O_WEIGHT },
	{ NULL, 0, NULL, 0 }
};

static const char *const commands[] = { "export", "import-tracking", "confirm", "void", "list",
	NULL };

/* only says that an option belongs to another command, and stops. */
static void
only(int given, const char *opt, const char *cmd)
{
	if (given) {
		oms_warnx("%s goes with %s", opt, cmd);
		usage(stderr, OMS_EUSAGE);
	}
}

int
main(int argc, char *argv[])
{
	struct oms_opts opts = { 0 };
	struct oms_ship_opts so = { 0 };
	enum oms_carrier_format cf = OMS_CARRIER_CSV;
	enum oms_confirm_format kf = OMS_CONFIRM_CSV;
	const char *cmd = NULL, *format = NULL, *reason = NULL, *since = NULL, *outpath = NULL;
	char since_buf[OMS_TIME_MAX], why[600];
	int c, k, rc, asn = 0;
	int64_t id = 0;
	struct oms_outfile *out = NULL;
	struct oms *o;
	FILE *in;

	/* No more --line than arguments: room for them on the stack. */
	char *lines[argc];

	oms_tool_init();
	so.lines = lines;
	while ((c = oms_getopt(&opts, argc, argv, "ac:d:hno:qvV", longopts, usage)) != -1) {
		switch (c) {
		case 'o':
			outpath = optarg;
			break;
		case O_ASN:
			asn = 1;
			break;
		case O_CARRIER:
			so.carrier = optarg;
			break;
		case O_COST:
			so.cost = optarg;
			break;
		case O_FORCE:
			so.force = 1;
			break;
		case O_FORMAT:
			format = optarg;
			break;
		case O_LINE:
			lines[so.nlines++] = optarg;
			break;
		case O_REASON:
			reason = optarg;
			break;
		case O_SERVICE:
			so.service = optarg;
			break;
		case O_SINCE:
			if (oms_time_parse(optarg, since_buf) != 0) {
				oms_warnx("--since: \"%s\" is not a date or time (YYYY-MM-DD[THH:MM:SS])",
				    optarg);
				return OMS_EUSAGE;
			}
			since = since_buf;
			break;
		case O_TRACKING:
			so.tracking = optarg;
			break;
		case O_WEIGHT:
			so.weight = optarg;
			break;
		default:
			usage(stderr, OMS_EUSAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if ((k = oms_command(argc, argv, commands, OMS_CMD_IDS)) == OMS_CMD_BAD)
		return OMS_EUSAGE;
	if (k >= 0) {
		cmd = commands[k];
		argc--;
		argv++;
	}
	/* What each command takes; anything else said is a mistake worth stopping for. */
	only(cmd != NULL && (so.carrier || so.service || so.tracking || so.weight || so.cost ||
	    so.nlines), "--carrier, --service, --tracking, --weight, --cost and --line",
	    "shipping (no command)");
	only(cmd != NULL && so.force && strcmp(cmd, "import-tracking") != 0, "--force",
	    "shipping and import-tracking");
	only(cmd == NULL && format != NULL, "--format", "export, import-tracking, confirm and list");
	/* A service mistyped would be recorded, and refused by every export after. */
	if (so.carrier != NULL && so.service != NULL &&
	    oms_carrier_service_check(so.carrier, so.service, why, sizeof why) != 0) {
		oms_warnx("--service: %s", why);
		return OMS_EUSAGE;
	}
	if (cmd != NULL && (strcmp(cmd, "export") == 0 || strcmp(cmd, "import-tracking") == 0)) {
		if (format == NULL || oms_carrier_format_parse(format, &cf) != 0 ||
		    (cf == OMS_CARRIER_ENDICIA && strcmp(cmd, "export") != 0)) {
			oms_warnx("%s: --format: expected %s", cmd, strcmp(cmd, "export") == 0 ?
			    "worldship, fedex, endicia or csv" : "worldship, fedex or csv");
			return OMS_EUSAGE;
		}
	}
	if (cmd != NULL && strcmp(cmd, "confirm") == 0 && asn == (format != NULL)) {
		oms_warnx("confirm: --format amazon|shopify|csv, or --asn");
		return OMS_EUSAGE;
	}
	if (cmd != NULL && strcmp(cmd, "confirm") == 0 && format != NULL &&
	    oms_confirm_format_parse(format, &kf) != 0) {
		oms_warnx("confirm: --format: expected amazon, shopify or csv");
		return OMS_EUSAGE;
	}
	if (cmd != NULL && strcmp(cmd, "list") == 0 && format != NULL &&
	    oms_opts_handle(&opts, OMS_OPT_FORMAT, format) < 0)
		return OMS_EUSAGE;
	only(asn && (cmd == NULL || strcmp(cmd, "confirm") != 0), "--asn", "confirm");
	only(since && (cmd == NULL || strcmp(cmd, "confirm") != 0), "--since", "confirm");
	only(reason && (cmd == NULL || strcmp(cmd, "void") != 0), "--reason", "void");
	only(outpath && (cmd == NULL || (strcmp(cmd, "export") != 0 && strcmp(cmd, "confirm") != 0)),
	    "-o", "export and confirm");
	if (cmd == NULL && opts.all && argc > 0) {
		oms_warnx("-a and order IDs: choose one");
		usage(stderr, OMS_EUSAGE);
	}
	if (cmd == NULL && opts.all && so.tracking != NULL) {
		oms_warnx("--tracking names one shipment: not with -a");
		return OMS_EUSAGE;
	}
	if (cmd != NULL && strcmp(cmd, "void") == 0 && (argc != 1 || oms_id_parse(argv[0], &id))) {
		oms_warnx("void: expected one shipment ID");
		usage(stderr, OMS_EUSAGE);
	}
	if (cmd != NULL && strcmp(cmd, "list") == 0 && (argc > 1 ||
	    (argc == 1 && oms_id_parse(argv[0], &id)))) {
		oms_warnx("list: expected at most one order ID");
		usage(stderr, OMS_EUSAGE);
	}
	if (cmd != NULL && strcmp(cmd, "import-tracking") == 0 && argc != 1) {
		oms_warnx("import-tracking: expected one file (- for stdin)");
		usage(stderr, OMS_EUSAGE);
	}
	if (cmd != NULL && strcmp(cmd, "confirm") == 0 && argc != 0)
		usage(stderr, OMS_EUSAGE);
	opts.readonly = cmd != NULL && (strcmp(cmd, "list") == 0 || strcmp(cmd, "export") == 0);
	if ((rc = oms_open(&o, &opts)) != OMS_OK)
		return rc;
	/* Refused, or started, before anything is done: never the database, never half. */
	if (cmd != NULL && (strcmp(cmd, "export") == 0 || strcmp(cmd, "confirm") == 0) &&
	    (rc = oms_outfile_open(o, outpath, &out)) != OMS_OK) {
		oms_close(o);
		return rc;
	}
	if (cmd == NULL) {
		rc = oms_ship_run(o, &so, argv, argc);
	} else if (strcmp(cmd, "export") == 0) {
		rc = oms_ship_export(o, cf, argv, argc, out);
	} else if (strcmp(cmd, "import-tracking") == 0) {
		if (strcmp(argv[0], "-") == 0) {
			rc = oms_ship_import_tracking(o, cf, stdin, "stdin", so.force);
		} else if ((in = fopen(argv[0], "r")) == NULL) {
			oms_warn("%s", argv[0]);
			rc = OMS_EINPUT;
		} else {
			rc = oms_ship_import_tracking(o, cf, in, argv[0], so.force);
			fclose(in);
		}
	} else if (strcmp(cmd, "confirm") == 0) {
		rc = oms_ship_confirm(o, kf, asn, since, out);
	} else if (strcmp(cmd, "void") == 0) {
		rc = oms_ship_void(o, id, reason);
	} else {
		rc = oms_ship_list(o, id, opts.format, stdout);
	}
	oms_close(o);
	if (oms_flush() != OMS_OK)
		return OMS_ESYS;
	return rc;
}
