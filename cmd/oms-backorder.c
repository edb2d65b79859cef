/* oms-backorder: reserve stock for orders, fairly; ship complete or split; list the demand. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <oms/backorder.h>
#include <oms/cmdline.h>
#include <oms/diag.h>
#include <oms/oms.h>

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: oms-backorder [-anqv] [-c config] [-d db] [--split | --ship-complete]\n"
	    "                     [--format format] [id ...]\n"
	    "       oms-backorder [-qv] [-c config] [-d db] --list [--format format]\n"
	    "Allocates the authorized and backordered orders named, or on stdin, or all of\n"
	    "them with -a, and prints those allocated; -n prints the plan instead.\n"
	    "See oms-backorder(1).\n");
	exit(status);
}

enum { O_LIST = OMS_OPT_TOOL, O_SHIPCOMPLETE, O_SPLIT };

static const struct option longopts[] = {
	OMS_COMMON_LONGOPTS,
	{ "all", no_argument, NULL, 'a' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "format", required_argument, NULL, OMS_OPT_FORMAT },
	{ "list", no_argument, NULL, O_LIST },
	{ "ship-complete", no_argument, NULL, O_SHIPCOMPLETE },
	{ "split", no_argument, NULL, O_SPLIT },
	{ NULL, 0, NULL, 0 }
};

/* None: the demand is --list, so that no word is ever taken for an order. */
static const char *const commands[] = { NULL };

int
main(int argc, char *argv[])
{
	struct oms_opts opts = { 0 };
	enum oms_policy policy = OMS_POLICY_ORDER;
	struct oms *o;
	int c, rc, list = 0;

	oms_tool_init();
	while ((c = oms_getopt(&opts, argc, argv, "ac:d:hnqvV", longopts, usage)) != -1) {
		switch (c) {
		case O_LIST:
			list = 1;
			break;
		case O_SHIPCOMPLETE:
		case O_SPLIT:
			if (policy != OMS_POLICY_ORDER) {
				oms_warnx("--split and --ship-complete: choose one");
				usage(stderr, OMS_EUSAGE);
			}
			policy = c == O_SPLIT ? OMS_POLICY_SPLIT : OMS_POLICY_SHIP_COMPLETE;
			break;
		default:
			usage(stderr, OMS_EUSAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (list && (argc > 0 || opts.all || policy != OMS_POLICY_ORDER || opts.dry_run)) {
		oms_warnx("--list takes no orders and no other mode");
		usage(stderr, OMS_EUSAGE);
	}
	if (oms_command(argc, argv, commands, OMS_CMD_IDS) == OMS_CMD_BAD)
		return OMS_EUSAGE;
	if (opts.all && argc > 0) {
		oms_warnx("-a and order IDs: choose one");
		usage(stderr, OMS_EUSAGE);
	}
	opts.readonly = list;
	if ((rc = oms_open(&o, &opts)) != OMS_OK)
		return rc;
	if (list)
		rc = oms_backorder_list(o, opts.format, stdout);
	else
		rc = oms_backorder_run(o, policy, argv, argc, opts.format);
	oms_close(o);
	if (oms_flush() != OMS_OK)
		return OMS_ESYS;
	return rc;
}
