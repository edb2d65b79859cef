/* oms-verify-addr: standardize and verify ship-to addresses; hold what does not check. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <oms/cmdline.h>
#include <oms/diag.h>
#include <oms/ids.h>
#include <oms/oms.h>
#include <oms/verify.h>

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: oms-verify-addr [-anqv] [-c config] [-d db] [id ...]\n"
	    "       oms-verify-addr [-nqv] [-c config] [-d db] --accept id --reason text\n"
	    "With no id and no -a, IDs are read from stdin.  Prints the IDs of the orders\n"
	    "verified; -n prints each order's plan instead.  See oms-verify-addr(1).\n");
	exit(status);
}

enum { O_ACCEPT = OMS_OPT_TOOL, O_REASON };

static const struct option longopts[] = {
	OMS_COMMON_LONGOPTS,
	{ "all", no_argument, NULL, 'a' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "accept", required_argument, NULL, O_ACCEPT },
	{ "reason", required_argument, NULL, O_REASON },
	{ NULL, 0, NULL, 0 }
};

static const char *const commands[] = { NULL };

int
main(int argc, char *argv[])
{
	struct oms_opts opts = { 0 };
	const char *accept = NULL, *reason = NULL;
	struct oms *o;
	int64_t id = 0;
	int c, rc;

	oms_tool_init();
	while ((c = oms_getopt(&opts, argc, argv, "ac:d:hnqvV", longopts, usage)) != -1) {
		switch (c) {
		case O_ACCEPT:
			accept = optarg;
			break;
		case O_REASON:
			reason = optarg;
			break;
		default:
			usage(stderr, OMS_EUSAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (accept != NULL) {
		if (argc > 0 || opts.all) {
			oms_warnx("--accept takes one order and nothing else");
			usage(stderr, OMS_EUSAGE);
		}
		if (oms_id_parse(accept, &id) != 0) {
			oms_warnx("--accept: not an order ID: \"%s\"", accept);
			return OMS_EUSAGE;
		}
		if (reason == NULL || *reason == '\0') {
			oms_warnx("--accept needs --reason: the history says why the address stands");
			return OMS_EUSAGE;
		}
	} else if (reason != NULL) {
		oms_warnx("--reason goes with --accept");
		usage(stderr, OMS_EUSAGE);
	}
	if (oms_command(argc, argv, commands, OMS_CMD_IDS) == OMS_CMD_BAD)
		return OMS_EUSAGE;
	if (opts.all && argc > 0) {
		oms_warnx("-a and order IDs: choose one");
		usage(stderr, OMS_EUSAGE);
	}
	if ((rc = oms_open(&o, &opts)) != OMS_OK)
		return rc;
	if (accept != NULL) {
		if ((rc = oms_verify_accept(o, id, reason)) == OMS_OK)
			printf("%lld\n", (long long)id);
	} else {
		rc = oms_verify_run(o, argv, argc);
	}
	oms_close(o);
	if (oms_flush() != OMS_OK)
		return OMS_ESYS;
	return rc;
}
