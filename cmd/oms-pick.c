/* oms-pick: allocated orders onto pick lists in waves; show, slips, confirm, cancel. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <oms/cmdline.h>
#include <oms/diag.h>
#include <oms/ids.h>
#include <oms/oms.h>
#include <oms/outfile.h>
#include <oms/pick.h>

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: oms-pick [-anqv] [-c config] [-d db] [--max-orders n] [--max-lines n]\n"
	    "                [--ship-method m] [--by bin|sku|order] [-o file] [id ...]\n"
	    "       oms-pick [-qv] [-c config] [-d db] show [--by bin|sku|order]\n"
	    "                [--format text|csv|tsv|json|pdf] [-o file] list\n"
	    "       oms-pick [-qv] [-c config] [-d db] slips [-o file] list\n"
	    "       oms-pick [-nqv] [-c config] [-d db] confirm [--short order:sku:qty ...] list\n"
	    "       oms-pick [-nqv] [-c config] [-d db] cancel list\n"
	    "Puts the allocated orders named, or on stdin, or all with -a, on new pick\n"
	    "lists and prints their IDs.  See oms-pick(1).\n");
	exit(status);
}

enum { O_BY = OMS_OPT_TOOL, O_MAXLINES, O_MAXORDERS, O_SHIPMETHOD, O_SHORT, O_FORMAT };

static const struct option longopts[] = {
	OMS_COMMON_LONGOPTS,
	{ "all", no_argument, NULL, 'a' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "by", required_argument, NULL, O_BY },
	{ "format", required_argument, NULL, O_FORMAT },
	{ "max-lines", required_argument, NULL, O_MAXLINES },
	{ "max-orders", required_argument, NULL, O_MAXORDERS },
	{ "output", required_argument, NULL, 'o' },
	{ "ship-method", required_argument, NULL, O_SHIPMETHOD },
	{ "short", required_argument, NULL, O_SHORT },
	{ NULL, 0, NULL, 0 }
};

static const char *const commands[] = { "show", "slips", "confirm", "cancel", NULL };

static long
count_arg(const char *opt, const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end != '\0' || end == s || v < 1 || v > 1000000) {
		oms_warnx("%s: \"%s\" is not a whole number from 1 to 1000000", opt, s);
		exit(OMS_EUSAGE);
	}
	return v;
}

/* pdf_name says whether a file name asks for PDF. */
static int
pdf_name(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return n > 4 && strcmp(path + n - 4, ".pdf") == 0;
}

/* lists writes the pick lists of a run, first to last, to the file. */
static int
lists(struct oms *o, int64_t first, int64_t last, enum oms_pick_layout layout, int pdf,
    struct oms_outfile *of)
{
	FILE *f = oms_outfile_fp(of);
	int64_t l;
	int rc = OMS_OK;

	if (pdf)
		return oms_pick_show_pdf(o, first, last, layout, f, oms_outfile_name(of));
	for (l = first; l <= last && rc == OMS_OK; l++) {
		if (l > first)
			fputc('\f', f);
		rc = oms_pick_show(o, l, layout, OMS_FMT_TEXT, f);
	}
	return rc;
}

int
main(int argc, char *argv[])
{
	struct oms_opts opts = { 0 };
	struct oms_pick_opts po = { 0 };
	enum oms_pick_layout layout = OMS_PICK_BY_BIN;
	const char *out = NULL, *cmd = NULL, *format = NULL;
	int nshorts = 0, c, k, rc, wrc = OMS_OK, pdf = 0, printing;
	int64_t list = 0, first = 0, last = 0;
	struct oms_outfile *of = NULL;
	struct oms *o;
	FILE *f;

	/* No more --short than arguments: room for them on the stack. */
	char *shorts[argc];

	oms_tool_init();
	while ((c = oms_getopt(&opts, argc, argv, "ac:d:hno:qvV", longopts, usage)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case O_BY:
			if (strcmp(optarg, "bin") == 0)
				layout = OMS_PICK_BY_BIN;
			else if (strcmp(optarg, "sku") == 0)
				layout = OMS_PICK_BY_SKU;
			else if (strcmp(optarg, "order") == 0)
				layout = OMS_PICK_BY_ORDER;
			else {
				oms_warnx("--by: \"%s\" is not bin, sku or order", optarg);
				return OMS_EUSAGE;
			}
			break;
		case O_FORMAT:
			format = optarg;
			break;
		case O_MAXLINES:
			po.max_lines = count_arg("--max-lines", optarg);
			break;
		case O_MAXORDERS:
			po.max_orders = count_arg("--max-orders", optarg);
			break;
		case O_SHIPMETHOD:
			po.ship_method = optarg;
			break;
		case O_SHORT:
			shorts[nshorts++] = optarg;
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
		if (argc != 2 || oms_id_parse(argv[1], &list) != 0) {
			oms_warnx("%s: expected one pick list ID", cmd);
			usage(stderr, OMS_EUSAGE);
		}
	}
	if (format != NULL) {
		if (strcmp(format, "pdf") == 0)
			pdf = 1;
		else if (oms_opts_handle(&opts, OMS_OPT_FORMAT, format) < 0)
			return OMS_EUSAGE;
	}
	pdf |= pdf_name(out);
	if (pdf && out == NULL) {
		oms_warnx("PDF goes to a file: name it with -o");
		return OMS_EUSAGE;
	}
	printing = cmd != NULL && (strcmp(cmd, "show") == 0 || strcmp(cmd, "slips") == 0);
	if (out != NULL && cmd != NULL && !printing) {
		oms_warnx("-o goes with picking (no command), show and slips");
		usage(stderr, OMS_EUSAGE);
	}
	if (out != NULL && cmd == NULL && strcmp(out, "-") == 0) {
		oms_warnx("-o -: the IDs picked go to standard output; name a file for the lists");
		return OMS_EUSAGE;
	}
	if (nshorts > 0 && (cmd == NULL || strcmp(cmd, "confirm") != 0)) {
		oms_warnx("--short goes with confirm");
		usage(stderr, OMS_EUSAGE);
	}
	if (cmd == NULL && opts.all && argc > 0) {
		oms_warnx("-a and order IDs: choose one");
		usage(stderr, OMS_EUSAGE);
	}
	opts.readonly = printing;
	if ((rc = oms_open(&o, &opts)) != OMS_OK)
		return rc;
	/* Refused, or started, before anything is done: never the database, never half. */
	if ((printing || out != NULL) && (rc = oms_outfile_open(o, out, &of)) != OMS_OK) {
		oms_close(o);
		return rc;
	}
	f = of != NULL ? oms_outfile_fp(of) : stdout;
	if (cmd == NULL) {
		/* The lists are committed first; the file follows, put in place once whole. */
		if ((rc = oms_pick_run(o, &po, argv, argc, &first, &last)) == OMS_OK ||
		    rc == OMS_EINPUT) {
			if (of != NULL && first != 0)
				wrc = lists(o, first, last, layout, pdf, of);
			if (!opts.quiet && first == last && first != 0)
				oms_warnx("pick list %lld", (long long)first);
			else if (!opts.quiet && first != 0)
				oms_warnx("pick lists %lld to %lld", (long long)first, (long long)last);
		}
	} else if (strcmp(cmd, "show") == 0) {
		rc = wrc = pdf ? oms_pick_show_pdf(o, list, list, layout, f,
		    oms_outfile_name(of)) :
		    oms_pick_show(o, list, layout, opts.format, f);
	} else if (strcmp(cmd, "slips") == 0) {
		rc = wrc = pdf ? oms_pick_slips_pdf(o, list, f, oms_outfile_name(of)) :
		    oms_pick_slips(o, list, f);
	} else if (strcmp(cmd, "confirm") == 0) {
		rc = oms_pick_confirm(o, list, shorts, nshorts);
	} else {
		rc = oms_pick_cancel(o, list);
	}
	if (of != NULL && wrc == OMS_OK)
		wrc = oms_outfile_commit(of);
	else if (of != NULL)
		oms_outfile_abort(of);
	if (wrc != OMS_OK && cmd == NULL)
		oms_warnx("%s: not written; print the lists with oms-pick show -o", out);
	if (wrc > rc)
		rc = wrc;
	oms_close(o);
	if (oms_flush() != OMS_OK)
		return OMS_ESYS;
	return rc;
}
