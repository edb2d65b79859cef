/* oms-import: orders from carts, call-center feeds and EDI, each added exactly once. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <oms/diag.h>
#include <oms/import.h>
#include <oms/oms.h>
#include <oms/outfile.h>
#include <oms/woo.h>

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: oms-import [-nqv] [-c config] [-d db] [-f format] [--strict] [--ack file]\n"
	    "                  [file ...]\n"
	    "       oms-import [-nqv] [-c config] [-d db] [--strict] --from url\n"
	    "Formats: csv, shopify, woocommerce, amazon, x12, yaml, json, or one named in\n"
	    "oms.yaml; detected from the first line when -f is not given.  With no file,\n"
	    "reads stdin.  Prints the ID of every order in the input.  See oms-import(1).\n");
	exit(status);
}

enum { O_ACK = OMS_OPT_TOOL, O_FROM, O_STRICT };

static const struct option longopts[] = {
	OMS_COMMON_LONGOPTS,
	{ "dry-run", no_argument, NULL, 'n' },
	{ "format", required_argument, NULL, 'f' },
	{ "ack", required_argument, NULL, O_ACK },
	{ "from", required_argument, NULL, O_FROM },
	{ "strict", no_argument, NULL, O_STRICT },
	{ NULL, 0, NULL, 0 }
};

/* same_file says whether a and b name one file (links followed). */
static int
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	    sa.st_ino == sb.st_ino;
}

int
main(int argc, char *argv[])
{
	struct oms_opts opts = { 0 };
	const char *format = NULL, *ack_path = NULL, *from = NULL;
	char *stdin_only[] = { "-" };
	struct oms_outfile *ack = NULL;
	struct oms_import *imp;
	struct oms *o;
	int c, k, i, rc = OMS_OK, strict = 0;

	oms_tool_init();
	while ((c = oms_getopt(&opts, argc, argv, "c:d:f:hnqvV", longopts, usage)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			break;
		case O_ACK:
			ack_path = optarg;
			break;
		case O_FROM:
			from = optarg;
			break;
		case O_STRICT:
			strict = 1;
			break;
		default:
			usage(stderr, OMS_EUSAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (from != NULL && (argc > 0 || format != NULL)) {
		oms_warnx("--from takes no file and no -f: it reads the store's API");
		usage(stderr, OMS_EUSAGE);
	}
	if (argc == 0) {
		argv = stdin_only;
		argc = 1;
	}
	if ((rc = oms_open(&o, &opts)) != OMS_OK)
		return rc;
	/*
	 * The 997 is put in place only once the orders it accepts are
	 * committed: it must never claim more.
	 */
	if (ack_path != NULL && strcmp(ack_path, "-") == 0) {
		oms_warnx("--ack -: the IDs imported go to standard output; name a file for the 997");
		oms_close(o);
		return OMS_EUSAGE;
	}
	for (i = 0; ack_path != NULL && i < argc; i++)
		if (same_file(ack_path, argv[i])) {
			oms_warnx("--ack %s: is an input of this run, not a place for its 997", ack_path);
			oms_close(o);
			return OMS_EUSAGE;
		}
	if (ack_path != NULL && (rc = oms_outfile_open(o, ack_path, &ack)) != OMS_OK) {
		oms_close(o);
		return rc;
	}
	if ((imp = oms_import_begin(o, strict)) == NULL) {
		oms_outfile_abort(ack);
		oms_close(o);
		return OMS_ESYS;
	}
	if (from != NULL)
		rc = oms_import_woo_url(imp, from);
	for (i = 0; from == NULL && i < argc && rc != OMS_ESYS && rc != OMS_EUSAGE; i++)
		if ((k = oms_import_file(imp, o, argv[i], format,
		    ack != NULL ? oms_outfile_fp(ack) : NULL)) != OMS_OK)
			rc = k;
	rc = oms_import_end(imp, rc == OMS_EINPUT ? OMS_OK : rc);
	if (ack != NULL && (rc == OMS_OK || (rc == OMS_EINPUT && !strict))) {
		if ((k = oms_outfile_commit(ack)) != OMS_OK) {
			oms_warnx("%s: not written; the orders are in: import the file again"
			    " for its 997", ack_path);
			rc = k;
		}
	} else if (ack != NULL) {
		oms_outfile_abort(ack);
		if (rc == OMS_EINPUT)
			oms_warnx("%s: not written: the orders it would accept were not imported",
			    ack_path);
		else
			oms_warnx("%s: not written", ack_path);
	}
	oms_close(o);
	if (oms_flush() != OMS_OK)
		return OMS_ESYS;
	return rc;
}
