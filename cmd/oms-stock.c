/* oms-stock: the item catalog and inventory: import, receive, adjust, count, show, moves, alias. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <oms/alias.h>
#include <oms/cmdline.h>
#include <oms/diag.h>
#include <oms/money.h>
#include <oms/oms.h>
#include <oms/stock.h>

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: oms-stock [-qv] [-c config] [-d db] import FILE.csv ...\n"
	    "       oms-stock [-qv] [-c config] [-d db] receive SKU QTY [--ref REF]\n"
	    "       oms-stock [-qv] [-c config] [-d db] receive - [--ref REF] < delivery\n"
	    "       oms-stock [-qv] [-c config] [-d db] adjust SKU +N|-N --reason TEXT\n"
	    "       oms-stock [-qv] [-c config] [-d db] count SKU N [--reason TEXT]\n"
	    "       oms-stock [-qv] [-c config] [-d db] show [--format F] [SKU ...]\n"
	    "       oms-stock [-qv] [-c config] [-d db] moves [--format F] SKU\n"
	    "       oms-stock [-qv] [-c config] [-d db] alias SOURCE KEY SKU\n"
	    "       oms-stock [-qv] [-c config] [-d db] alias --remove SOURCE KEY\n"
	    "       oms-stock [-qv] [-c config] [-d db] alias import FILE.csv ...\n"
	    "       oms-stock [-qv] [-c config] [-d db] alias [--format F] [SOURCE]\n"
	    "xref is another name for alias.  "
	    "Formats: text, csv, tsv, json.  See oms-stock(1).\n");
	exit(status);
}

enum { O_REASON = OMS_OPT_TOOL, O_REF, O_REMOVE };

static const struct option longopts[] = {
	OMS_COMMON_LONGOPTS,
	{ "format", required_argument, NULL, OMS_OPT_FORMAT },
	{ "reason", required_argument, NULL, O_REASON },
	{ "ref", required_argument, NULL, O_REF },
	{ "remove", no_argument, NULL, O_REMOVE },
	{ NULL, 0, NULL, 0 }
};

static const char *const commands[] = { "import", "receive", "adjust", "count", "show", "moves",
	"alias", "xref", NULL };

/* A delta such as "-5" must reach us as an operand, not an option. */
#define NEG_MARK '\x1f'

static void
protect_negative_numbers(int argc, char *argv[])
{
	int i;

	/* After an option ("--reason -5") it is the option's value: leave it. */
	for (i = 2; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1] != '\0' && argv[i - 1][0] != '-' &&
		    strspn(argv[i] + 1, "0123456789") == strlen(argv[i] + 1))
			argv[i][0] = NEG_MARK;
}

/* open_each runs load over each file named (- for stdin), saying how many it read. */
static int
open_each(struct oms *o, char **files, int n, const char *what,
    int (*load)(struct oms *, FILE *, const char *, long *))
{
	const char *name;
	FILE *f;
	long count;
	int i, rc;

	for (i = 0; i < n; i++) {
		name = strcmp(files[i], "-") == 0 ? "stdin" : files[i];
		if (strcmp(files[i], "-") == 0) {
			f = stdin;
		} else if ((f = fopen(files[i], "r")) == NULL) {
			oms_warnx("%s: %s", files[i], strerror(errno));
			return OMS_EINPUT;
		}
		rc = load(o, f, name, &count);
		if (f != stdin)
			fclose(f);
		if (rc != OMS_OK)
			return rc;
		if (!oms_opts_of(o)->quiet)
			fprintf(stderr, "%s: %ld %s\n", name, count, what);
	}
	return OMS_OK;
}

static int
import(struct oms *o, char **files, int n)
{
	if (n == 0) {
		oms_warnx("import: name a catalog CSV file (- for stdin)");
		return OMS_EUSAGE;
	}
	return open_each(o, files, n, "items", oms_stock_import);
}

/* alias_args_ok says whether alias's operands are one of its four forms. */
static int
alias_args_ok(char **argv, int argc, int remove)
{
	if (remove)
		return argc == 2;
	if (argc >= 1 && strcmp(argv[0], "import") == 0)
		return argc >= 2;
	return argc <= 1 || argc == 3;
}

/* alias runs alias (or xref): set, remove, import or list. */
static int
alias(struct oms *o, char **argv, int argc, int remove)
{
	if (remove)
		return oms_alias_remove(o, argv[0], argv[1]);
	if (argc >= 1 && strcmp(argv[0], "import") == 0)
		return open_each(o, argv + 1, argc - 1, "aliases", oms_alias_import);
	if (argc == 3)
		return oms_alias_set(o, argv[0], argv[1], argv[2]);
	return oms_alias_list(o, argc ? argv[0] : NULL, oms_opts_of(o)->format, stdout);
}

/* quantity reads a count operand; signed allows +N and -N. */
static int
quantity(const char *what, const char *s, int sign, int64_t *v)
{
	int neg = s[0] == '-', plus = s[0] == '+';

	if (oms_qty_parse(s + (sign && (neg || plus)), v) != 0) {
		oms_warnx("%s: \"%s\" is not a %swhole number", what, s, sign ? "signed " : "");
		return -1;
	}
	if (neg)
		*v = -*v;
	return 0;
}

int
main(int argc, char *argv[])
{
	struct oms_opts opts = { 0 };
	const char *reason = NULL, *ref = NULL, *cmd;
	struct oms *o;
	int64_t n;
	int c, i, k, rc, receive_lines = 0, remove = 0;

	oms_tool_init();
	protect_negative_numbers(argc, argv);
	while ((c = oms_getopt(&opts, argc, argv, "c:d:hqvV", longopts, usage)) != -1) {
		switch (c) {
		case O_REASON:
			reason = optarg;
			break;
		case O_REF:
			ref = optarg;
			break;
		case O_REMOVE:
			remove = 1;
			break;
		default:
			usage(stderr, OMS_EUSAGE);
		}
	}
	argc -= optind;
	argv += optind;
	for (i = 0; i < argc; i++)
		if (argv[i][0] == NEG_MARK)
			argv[i][0] = '-';
	if ((k = oms_command(argc, argv, commands, OMS_CMD_REQUIRED)) == OMS_CMD_BAD)
		return OMS_EUSAGE;
	if (k == OMS_CMD_NONE)
		usage(stderr, OMS_EUSAGE);
	cmd = commands[k];
	argv++;
	argc--;
	if (strcmp(cmd, "receive") == 0 && argc == 1 && strcmp(argv[0], "-") == 0) {
		receive_lines = 1;
	} else if ((strcmp(cmd, "receive") == 0 || strcmp(cmd, "adjust") == 0 ||
	    strcmp(cmd, "count") == 0) && argc != 2) {
		oms_warnx("%s: expected SKU and a quantity", cmd);
		usage(stderr, OMS_EUSAGE);
	}
	if (strcmp(cmd, "adjust") == 0 && (reason == NULL || *reason == '\0')) {
		oms_warnx("adjust: --reason is required: the ledger says why stock changed");
		return OMS_EUSAGE;
	}
	if (strcmp(cmd, "moves") == 0 && argc != 1) {
		oms_warnx("moves: expected one SKU");
		usage(stderr, OMS_EUSAGE);
	}
	if (strcmp(cmd, "xref") == 0)
		cmd = "alias";
	if (remove && strcmp(cmd, "alias") != 0) {
		oms_warnx("%s: --remove is for alias", cmd);
		usage(stderr, OMS_EUSAGE);
	}
	if (strcmp(cmd, "alias") == 0 && !alias_args_ok(argv, argc, remove)) {
		oms_warnx("alias: expected SOURCE KEY SKU, --remove SOURCE KEY, import FILE ..."
		    " or at most a SOURCE to list");
		usage(stderr, OMS_EUSAGE);
	}
	if (!receive_lines && (strcmp(cmd, "receive") == 0 || strcmp(cmd, "count") == 0 ||
	    strcmp(cmd, "adjust") == 0) && quantity(cmd, argv[1], *cmd == 'a', &n) != 0)
		return OMS_EUSAGE;
	if (!receive_lines && strcmp(cmd, "receive") == 0 && n == 0) {
		oms_warnx("receive: the quantity must be at least 1");
		return OMS_EUSAGE;
	}
	if (strcmp(cmd, "adjust") == 0 && n == 0) {
		oms_warnx("adjust: a change of 0 changes nothing");
		return OMS_EUSAGE;
	}

	opts.readonly = strcmp(cmd, "show") == 0 || strcmp(cmd, "moves") == 0 ||
	    (strcmp(cmd, "alias") == 0 && !remove && argc < 2);
	if ((rc = oms_open(&o, &opts)) != OMS_OK)
		return rc;
	if (strcmp(cmd, "import") == 0)
		rc = import(o, argv, argc);
	else if (receive_lines) {
		long count;

		if ((rc = oms_stock_receive_lines(o, stdin, "stdin", ref, &count)) == OMS_OK &&
		    !opts.quiet)
			fprintf(stderr, "stdin: %ld receipts\n", count);
	} else if (strcmp(cmd, "receive") == 0)
		rc = oms_stock_receive(o, argv[0], n, ref);
	else if (strcmp(cmd, "adjust") == 0)
		rc = oms_stock_adjust(o, argv[0], n, reason);
	else if (strcmp(cmd, "count") == 0)
		rc = oms_stock_count(o, argv[0], n, reason);
	else if (strcmp(cmd, "alias") == 0)
		rc = alias(o, argv, argc, remove);
	else if (strcmp(cmd, "show") == 0)
		rc = oms_stock_show(o, argv, argc, opts.format, stdout);
	else
		rc = oms_stock_moves(o, argv[0], opts.format, stdout);
	oms_close(o);
	if (oms_flush() != OMS_OK)
		return OMS_ESYS;
	return rc;
}
