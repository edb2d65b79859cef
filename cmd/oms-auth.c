/* oms-auth: authorize payments; capture, void, refund and reauthorize them; key a card. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <oms/cmdline.h>
#include <oms/diag.h>
#include <oms/ids.h>
#include <oms/oms.h>
#include <oms/pay.h>

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: oms-auth [-anqv] [-c config] [-d db] [id ...]\n"
	    "       oms-auth [-nqv] [-c config] [-d db] capture [--amount amount] id\n"
	    "       oms-auth [-nqv] [-c config] [-d db] void [--reason text] id\n"
	    "       oms-auth [-nqv] [-c config] [-d db] refund --amount amount [--reason text] id\n"
	    "       oms-auth [-nqv] [-c config] [-d db] reauth [--older-than days]\n"
	    "       oms-auth [-qv] [-c config] [-d db] card id\n"
	    "       oms-auth [-nqv] [-c config] [-d db] settle\n"
	    "With no command, authorizes the orders named, or on stdin, or all verified\n"
	    "ones with -a, printing those authorized.  See oms-auth(1).\n");
	exit(status);
}

enum { O_AMOUNT = OMS_OPT_TOOL, O_OLDER, O_REASON };

static const struct option longopts[] = {
	OMS_COMMON_LONGOPTS,
	{ "all", no_argument, NULL, 'a' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "amount", required_argument, NULL, O_AMOUNT },
	{ "older-than", required_argument, NULL, O_OLDER },
	{ "reason", required_argument, NULL, O_REASON },
	{ NULL, 0, NULL, 0 }
};

static const char *const commands[] = { "capture", "void", "refund", "reauth", "card",
	"settle", NULL };

int
main(int argc, char *argv[])
{
	struct oms_opts opts = { 0 };
	const char *amount = NULL, *reason = NULL, *older = NULL, *cmd = NULL;
	struct oms *o;
	int64_t id = 0;
	int c, k, rc, days = -1;
	char *end;

	oms_tool_init();
	while ((c = oms_getopt(&opts, argc, argv, "ac:d:hnqvV", longopts, usage)) != -1) {
		switch (c) {
		case O_AMOUNT:
			amount = optarg;
			break;
		case O_OLDER:
			older = optarg;
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
	if ((k = oms_command(argc, argv, commands, OMS_CMD_IDS)) == OMS_CMD_BAD)
		return OMS_EUSAGE;
	if (k >= 0) {
		cmd = commands[k];
		argc--;
		argv++;
		if (strcmp(cmd, "reauth") != 0 && strcmp(cmd, "settle") != 0 &&
		    (argc != 1 || oms_id_parse(argv[0], &id) != 0)) {
			oms_warnx("%s: expected one order ID", cmd);
			usage(stderr, OMS_EUSAGE);
		}
		if ((strcmp(cmd, "reauth") == 0 || strcmp(cmd, "settle") == 0) && argc != 0)
			usage(stderr, OMS_EUSAGE);
		if (opts.all) {
			oms_warnx("%s: -a is for authorizing", cmd);
			usage(stderr, OMS_EUSAGE);
		}
	} else if (amount != NULL || reason != NULL || older != NULL) {
		oms_warnx("--amount, --reason and --older-than go with a command");
		usage(stderr, OMS_EUSAGE);
	}
	if (older != NULL) {
		days = (int)strtol(older, &end, 10);
		if (*end != '\0' || end == older || days < 0 || days > 365) {
			oms_warnx("--older-than: \"%s\" is not a number of days from 0 to 365", older);
			return OMS_EUSAGE;
		}
	}
	if ((rc = oms_open(&o, &opts)) != OMS_OK)
		return rc;
	if (cmd == NULL)
		rc = oms_auth_run(o, argv, argc);
	else if (strcmp(cmd, "capture") == 0)
		rc = oms_pay_capture(o, id, amount);
	else if (strcmp(cmd, "void") == 0)
		rc = oms_pay_void(o, id, reason);
	else if (strcmp(cmd, "refund") == 0)
		rc = oms_pay_refund(o, id, amount, reason);
	else if (strcmp(cmd, "reauth") == 0)
		rc = oms_pay_reauth(o, days >= 0 ? days : 6);
	else if (strcmp(cmd, "settle") == 0)
		rc = oms_pay_settle_cancelled(o);
	else
		rc = oms_pay_card(o, id);
	if (rc == OMS_OK && cmd != NULL && strcmp(cmd, "reauth") != 0 &&
	    strcmp(cmd, "settle") != 0 && !opts.dry_run)
		printf("%lld\n", (long long)id);
	oms_close(o);
	if (oms_flush() != OMS_OK)
		return OMS_ESYS;
	return rc;
}
