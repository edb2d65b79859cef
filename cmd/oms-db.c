/* oms-db: the database as a whole: create it, check it, back it up, describe it. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <oms/cmdline.h>
#include <oms/db.h>
#include <oms/dbcheck.h>
#include <oms/diag.h>
#include <oms/oms.h>

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: oms-db [-qv] [-c config] [-d db] init [--group GROUP] [FILE]\n"
	    "       oms-db [-qv] [-c config] [-d db] check [--format F] [--pending-hours N]\n"
	    "       oms-db [-qv] [-c config] [-d db] backup FILE\n"
	    "       oms-db [-qv] [-c config] [-d db] info [--format text|json]\n"
	    "Formats: text, csv, tsv, json.  See oms-db(1).\n");
	exit(status);
}

enum { O_GROUP = OMS_OPT_TOOL, O_PENDING };

static const struct option longopts[] = {
	OMS_COMMON_LONGOPTS,
	{ "format", required_argument, NULL, OMS_OPT_FORMAT },
	{ "group", required_argument, NULL, O_GROUP },
	{ "pending-hours", required_argument, NULL, O_PENDING },
	{ NULL, 0, NULL, 0 }
};

/* init creates the database, or upgrades an older one, and prints its path. */
static int
init(struct oms_opts *opts, const char *group)
{
	char real[PATH_MAX];
	struct oms *o;
	int rc;

	opts->create = 1;
	if ((rc = oms_open(&o, opts)) != OMS_OK)
		return rc;
	if (group != NULL)
		rc = oms_db_share(o, group);
	if (rc == OMS_OK)
		printf("%s\n", realpath(oms_db_path(o), real) ? real : oms_db_path(o));
	oms_close(o);
	return rc;
}

static int
check(struct oms_opts *opts, long hours)
{
	struct oms *o;
	long n;
	int rc;

	opts->readonly = 1;
	if ((rc = oms_open(&o, opts)) != OMS_OK)
		return rc;
	rc = oms_db_check(o, hours, opts->format, stdout, &n);
	if (rc == OMS_EINPUT && !opts->quiet)
		oms_warnx("%s: %ld problem%s found", oms_db_path(o), n, n == 1 ? "" : "s");
	else if (rc == OMS_OK && opts->verbose)
		oms_warnx("%s: no problems found", oms_db_path(o));
	oms_close(o);
	return rc;
}

static int
backup(struct oms_opts *opts, const char *file)
{
	char real[PATH_MAX];
	struct oms *o;
	int rc;

	opts->readonly = 1;
	if ((rc = oms_open(&o, opts)) != OMS_OK)
		return rc;
	if ((rc = oms_db_backup(o, file)) == OMS_OK)
		printf("%s\n", realpath(file, real) ? real : file);
	oms_close(o);
	return rc;
}

static int
info(struct oms_opts *opts)
{
	struct oms *o;
	int rc;

	opts->readonly = 1;
	if ((rc = oms_open(&o, opts)) != OMS_OK)
		return rc;
	rc = oms_db_info(o, opts->format, stdout);
	oms_close(o);
	return rc;
}

static const char *const commands[] = { "init", "check", "backup", "info", NULL };

int
main(int argc, char *argv[])
{
	struct oms_opts opts = { 0 };
	const char *group = NULL, *cmd, *pending = NULL;
	long hours = 24;
	char *end;
	int c, k, rc, formatted = 0;

	oms_tool_init();
	while ((c = oms_getopt(&opts, argc, argv, "c:d:hqvV", longopts, usage)) != -1) {
		switch (c) {
		case O_GROUP:
			group = optarg;
			break;
		case O_PENDING:
			pending = optarg;
			break;
		default:
			usage(stderr, OMS_EUSAGE);
		}
	}
	formatted = opts.format != OMS_FMT_TEXT;
	argc -= optind;
	argv += optind;
	if ((k = oms_command(argc, argv, commands, OMS_CMD_REQUIRED)) == OMS_CMD_BAD)
		return OMS_EUSAGE;
	if (k == OMS_CMD_NONE)
		usage(stderr, OMS_EUSAGE);
	cmd = commands[k];
	if (group != NULL && strcmp(cmd, "init") != 0) {
		oms_warnx("%s: --group is for init", cmd);
		usage(stderr, OMS_EUSAGE);
	}
	if (pending != NULL && strcmp(cmd, "check") != 0) {
		oms_warnx("%s: --pending-hours is for check", cmd);
		usage(stderr, OMS_EUSAGE);
	}
	if (formatted && strcmp(cmd, "check") != 0 && strcmp(cmd, "info") != 0) {
		oms_warnx("%s: --format is for check and info", cmd);
		usage(stderr, OMS_EUSAGE);
	}
	if (strcmp(cmd, "info") == 0 && formatted && opts.format != OMS_FMT_JSON) {
		oms_warnx("info: --format is text or json");
		usage(stderr, OMS_EUSAGE);
	}
	if (pending != NULL) {
		errno = 0;
		hours = strtol(pending, &end, 10);
		/* A year of hours and more would be no threshold at all. */
		if (errno || end == pending || *end || hours < 0 || hours > 24 * 366 * 100) {
			oms_warnx("--pending-hours: \"%s\" is not a number of hours", pending);
			usage(stderr, OMS_EUSAGE);
		}
	}
	if (strcmp(cmd, "init") == 0) {
		if (argc > 2)
			usage(stderr, OMS_EUSAGE);
		if (argc == 2)
			opts.db_path = argv[1];
		rc = init(&opts, group);
	} else if (strcmp(cmd, "backup") == 0) {
		if (argc != 2) {
			oms_warnx("backup: name the file to copy the database to");
			usage(stderr, OMS_EUSAGE);
		}
		rc = backup(&opts, argv[1]);
	} else {
		if (argc != 1)
			usage(stderr, OMS_EUSAGE);
		rc = strcmp(cmd, "check") == 0 ? check(&opts, hours) : info(&opts);
	}
	if (oms_flush() != OMS_OK)
		return OMS_ESYS;
	return rc;
}
