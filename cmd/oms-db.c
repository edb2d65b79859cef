/* oms-db: the database as a whole: create it. */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <oms/db.h>
#include <oms/diag.h>
#include <oms/oms.h>

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: oms-db [-qv] [-c config] [-d db] init [--group GROUP] [FILE]\n"
	    "See oms-db(1).\n");
	exit(status);
}

enum { O_GROUP = OMS_OPT_TOOL };

static const struct option longopts[] = {
	OMS_COMMON_LONGOPTS,
	{ "group", required_argument, NULL, O_GROUP },
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

int
main(int argc, char *argv[])
{
	struct oms_opts opts = { 0 };
	const char *group = NULL, *cmd;
	int c, rc;

	oms_tool_init();
	while ((c = oms_getopt(&opts, argc, argv, "c:d:hqvV", longopts, usage)) != -1) {
		switch (c) {
		case O_GROUP:
			group = optarg;
			break;
		default:
			usage(stderr, OMS_EUSAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage(stderr, OMS_EUSAGE);
	cmd = argv[0];
	if (strcmp(cmd, "init") == 0) {
		if (argc > 2)
			usage(stderr, OMS_EUSAGE);
		if (argc == 2)
			opts.db_path = argv[1];
		rc = init(&opts, group);
	} else {
		oms_warnx("%s: unknown command", cmd);
		usage(stderr, OMS_EUSAGE);
	}
	if (oms_flush() != OMS_OK)
		return OMS_ESYS;
	return rc;
}
