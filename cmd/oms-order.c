/* oms-order: look up, find, list, hold, release and cancel orders; read their history. */
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <oms/cmdline.h>
#include <oms/diag.h>
#include <oms/edit_order.h>
#include <oms/filter.h>
#include <oms/ids.h>
#include <oms/money.h>
#include <oms/oms.h>
#include <oms/order.h>
#include <oms/time.h>

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: oms-order [-qv] [-c config] [-d db] show [--format F]\n"
	    "                 [ID | SOURCE:EXTERNAL_ID ...]\n"
	    "       oms-order [-qv] [-c config] [-d db] find [list's options] TEXT ...\n"
	    "       oms-order [-qv] [-c config] [-d db] list [--status S] [--since DATE]\n"
	    "                 [--until DATE] [--source S] [--email E] [--external-id ID]\n"
	    "                 [--name NAME] [--phone PHONE] [--postal-code CODE] [--tracking T]\n"
	    "       oms-order [-nqv] [-c config] [-d db] hold --reason TEXT [ID ...]\n"
	    "       oms-order [-nqv] [-c config] [-d db] release [--reason TEXT] [ID ...]\n"
	    "       oms-order [-nqv] [-c config] [-d db] cancel [--reason TEXT] [--line SKU:QTY]\n"
	    "                 [ID ...]\n"
	    "       oms-order [-nqv] [-c config] [-d db] edit [--if-version N] [--reason TEXT]\n"
	    "                 [--line SKU:QTY[:PRICE] ...] [--ship-method M] [--priority N] ID\n"
	    "       oms-order [-qv] [-c config] [-d db] history [--format F] ID\n"
	    "With no ID, IDs are read from stdin, one per line.  edit reads what to change\n"
	    "on stdin, or opens $VISUAL or $EDITOR on a terminal.  See oms-order(1).\n");
	exit(status);
}

enum { O_EMAIL = OMS_OPT_TOOL, O_EXTERNAL_ID, O_LINE, O_NAME, O_PHONE, O_POSTAL_CODE, O_REASON,
	O_SINCE, O_SOURCE, O_STATUS, O_TRACKING, O_UNTIL, O_IFVERSION, O_METHOD, O_PRIORITY };

static const struct option longopts[] = {
	OMS_COMMON_LONGOPTS,
	{ "dry-run", no_argument, NULL, 'n' },
	{ "email", required_argument, NULL, O_EMAIL },
	{ "external-id", required_argument, NULL, O_EXTERNAL_ID },
	{ "format", required_argument, NULL, OMS_OPT_FORMAT },
	{ "if-version", required_argument, NULL, O_IFVERSION },
	{ "line", required_argument, NULL, O_LINE },
	{ "priority", required_argument, NULL, O_PRIORITY },
	{ "name", required_argument, NULL, O_NAME },
	{ "phone", required_argument, NULL, O_PHONE },
	{ "postal-code", required_argument, NULL, O_POSTAL_CODE },
	{ "reason", required_argument, NULL, O_REASON },
	{ "ship-method", required_argument, NULL, O_METHOD },
	{ "since", required_argument, NULL, O_SINCE },
	{ "source", required_argument, NULL, O_SOURCE },
	{ "status", required_argument, NULL, O_STATUS },
	{ "tracking", required_argument, NULL, O_TRACKING },
	{ "until", required_argument, NULL, O_UNTIL },
	{ NULL, 0, NULL, 0 }
};

static const char *const commands[] = { "show", "find", "list", "hold", "release", "cancel",
	"history", "edit", NULL };

/* settle runs "oms-auth settle" from beside this program, with the same database and configuration. */
static int
settle(const struct oms_opts *opts)
{
	char self[4096], *argv[8];
	ssize_t n;
	int argc = 0, st;
	pid_t pid;

	if ((n = readlink("/proc/self/exe", self, sizeof self - 16)) <= 0) {
		oms_warn("/proc/self/exe");
		return OMS_ESYS;
	}
	self[n] = '\0';
	snprintf(strrchr(self, '/') + 1, 16, "oms-auth");
	argv[argc++] = self;
	if (opts->db_path != NULL) {
		argv[argc++] = "-d";
		argv[argc++] = (char *)opts->db_path;
	}
	if (opts->config_path != NULL) {
		argv[argc++] = "-c";
		argv[argc++] = (char *)opts->config_path;
	}
	argv[argc++] = "settle";
	argv[argc] = NULL;
	fflush(stdout);
	if ((pid = fork()) < 0) {
		oms_warn("fork");
		return OMS_ESYS;
	}
	if (pid == 0) {
		/* Its output is not this filter's: only the cancelled IDs go down the pipe. */
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execv(self, argv);
		oms_warn("%s", self);
		_exit(OMS_ESYS);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return OMS_ESYS;
	return WIFEXITED(st) ? WEXITSTATUS(st) : OMS_ESYS;
}

static int
when(const char *opt, const char *s, char buf[OMS_TIME_MAX])
{
	if (s != NULL && oms_time_parse(s, buf) != 0) {
		oms_warnx("%s: \"%s\" is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)", opt, s);
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct oms_opts opts = { 0 };
	struct oms_order_query q = { 0 };
	struct oms_order_change change = { 0 };
	struct oms_order_edit edit = { 0 };
	const char *lines[256];	/* edit's --line: more is a document's work */
	struct oms_filter f = { 0 };
	char since[OMS_TIME_MAX], until[OMS_TIME_MAX];
	enum oms_status s;
	const char *cmd;
	char *line = NULL;
	struct oms *o;
	int64_t id;
	int c, k, rc;

	oms_tool_init();
	edit.lines = lines;
	while ((c = oms_getopt(&opts, argc, argv, "c:d:hnqvV", longopts, usage)) != -1) {
		switch (c) {
		case O_EMAIL:
			q.email = optarg;
			break;
		case O_IFVERSION:
			if (oms_id_parse(optarg, &edit.if_version) != 0) {
				oms_warnx("--if-version: \"%s\" is not a version (1, 2, ...)", optarg);
				return OMS_EUSAGE;
			}
			break;
		case O_EXTERNAL_ID:
			q.external_id = optarg;
			break;
		case O_LINE:
			if (edit.nlines == sizeof lines / sizeof lines[0]) {
				oms_warnx("--line: at most 256; give more as an edit document");
				return OMS_EUSAGE;
			}
			lines[edit.nlines++] = line = optarg;
			break;
		case O_METHOD:
			edit.ship_method = optarg;
			break;
		case O_PRIORITY:
			edit.priority = optarg;
			break;
		case O_NAME:
			q.name = optarg;
			break;
		case O_PHONE:
			q.phone = optarg;
			break;
		case O_POSTAL_CODE:
			q.postal_code = optarg;
			break;
		case O_REASON:
			edit.reason = change.reason = optarg;
			break;
		case O_SINCE:
			q.since = optarg;
			break;
		case O_SOURCE:
			q.source = optarg;
			break;
		case O_STATUS:
			if (oms_status_parse(optarg, &s) != 0) {
				oms_warnx("--status: no status \"%s\" (see oms(7), ORDER STATUS)", optarg);
				return OMS_EUSAGE;
			}
			q.status = optarg;
			break;
		case O_TRACKING:
			q.tracking = optarg;
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
	if ((k = oms_command(argc, argv, commands, OMS_CMD_REQUIRED)) == OMS_CMD_BAD)
		return OMS_EUSAGE;
	if (k == OMS_CMD_NONE)
		usage(stderr, OMS_EUSAGE);
	cmd = commands[k];
	argv++;
	argc--;
	if (strcmp(cmd, "hold") == 0) {
		f = oms_order_hold_filter;
		if (change.reason == NULL || *change.reason == '\0') {
			oms_warnx("hold: --reason is required: the next person needs to know why");
			return OMS_EUSAGE;
		}
	} else if (strcmp(cmd, "release") == 0) {
		f = oms_order_release_filter;
	} else if (strcmp(cmd, "cancel") == 0) {
		f = oms_order_cancel_filter;
		if (line != NULL) {
			char *colon = strrchr(line, ':');

			if (colon == NULL || colon == line || oms_qty_parse(colon + 1, &change.qty) != 0 ||
			    change.qty == 0) {
				oms_warnx("--line \"%s\": expected SKU:QTY with QTY at least 1", line);
				return OMS_EUSAGE;
			}
			*colon = '\0';
			change.sku = line;
		}
	} else if (strcmp(cmd, "list") == 0 || strcmp(cmd, "find") == 0) {
		q.newest_first = strcmp(cmd, "find") == 0;
		if (argc > 0 && !q.newest_first) {
			oms_warnx("list: unexpected argument \"%s\"", argv[0]);
			usage(stderr, OMS_EUSAGE);
		}
		if (argc == 0 && q.newest_first) {
			oms_warnx("find: expected what to find: an order number, a name, ...");
			usage(stderr, OMS_EUSAGE);
		}
		q.terms = argv;
		q.nterms = (size_t)argc;
		if (when("--since", q.since, since) || when("--until", q.until, until))
			return OMS_EUSAGE;
		if ((rc = oms_order_query_check(&q)) != OMS_OK)
			return rc;
		q.since = q.since ? since : NULL;
		q.until = q.until ? until : NULL;
	} else if (strcmp(cmd, "history") == 0 || strcmp(cmd, "edit") == 0) {
		if (argc != 1 || oms_id_parse(argv[0], &id) != 0) {
			oms_warnx("%s: expected one order ID", cmd);
			usage(stderr, OMS_EUSAGE);
		}
	}
	if (line != NULL && strcmp(cmd, "cancel") != 0 && strcmp(cmd, "edit") != 0) {
		oms_warnx("--line goes with cancel or edit");
		usage(stderr, OMS_EUSAGE);
	}
	if ((edit.if_version || edit.ship_method || edit.priority) && strcmp(cmd, "edit") != 0) {
		oms_warnx("--if-version, --ship-method and --priority go with edit");
		usage(stderr, OMS_EUSAGE);
	}
	f.arg = &change;
	opts.readonly = strcmp(cmd, "show") == 0 || strcmp(cmd, "list") == 0 ||
	    strcmp(cmd, "find") == 0 || strcmp(cmd, "history") == 0;
	if ((rc = oms_open(&o, &opts)) != OMS_OK)
		return rc;
	if (strcmp(cmd, "list") == 0 || strcmp(cmd, "find") == 0)
		rc = oms_order_list(o, &q);
	else if (strcmp(cmd, "history") == 0)
		rc = oms_order_history(o, id, opts.format, stdout);
	else if (strcmp(cmd, "edit") == 0)
		rc = oms_order_edit_run(o, id, &edit);
	else if (strcmp(cmd, "show") == 0)
		rc = oms_order_show_run(o, argv, argc);
	else
		rc = oms_filter_run(o, &f, argv, argc);
	/*
	 * Cancelled orders give back their money once the cancel has committed.
	 * That is oms-auth's work (it speaks to gateways), run as a tool of its
	 * own so that this one stays small and quick to start.
	 */
	if (strcmp(cmd, "cancel") == 0 && !opts.dry_run && rc != OMS_ESYS) {
		int64_t *unsettled;
		size_t n;

		if (oms_order_unsettled(o, &unsettled, &n) != OMS_OK)
			rc = OMS_ESYS;
		else if (n > 0 && (k = settle(&opts)) != OMS_OK && rc == OMS_OK)
			rc = k;
		free(unsettled);
	}
	oms_close(o);
	if (oms_flush() != OMS_OK)
		return OMS_ESYS;
	return rc;
}
