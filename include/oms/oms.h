/* oms.h: the handle every tool opens, its common options, and exit statuses. */
#ifndef OMS_OMS_H
#define OMS_OMS_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#define OMS_VERSION "0.1.0"

/*
 * Exit statuses, the same for every tool (oms(7), EXIT STATUS).  Library calls
 * return them too, so a tool can return what the library said.
 */
enum {
	OMS_OK = 0,	/* all good; held orders are a normal outcome */
	OMS_EINPUT = 1,	/* some input was rejected */
	OMS_EUSAGE = 2,	/* usage or configuration error */
	OMS_ESYS = 3	/* database or system error */
};

/* Listing formats shared by every tool that prints rows. */
enum oms_format { OMS_FMT_TEXT, OMS_FMT_CSV, OMS_FMT_TSV, OMS_FMT_JSON };

/* What the common options (-c -d -q -v -n -a --format) set. */
struct oms_opts {
	const char *db_path;	/* -d; NULL: $OMS_DB, else ./oms.db */
	const char *config_path; /* -c; NULL: $OMS_CONFIG, else ./oms.yaml if present */
	int verbose;		/* -v */
	int quiet;		/* -q */
	int dry_run;		/* -n: do everything, then roll back */
	int all;		/* -a: every order ready for this step */
	enum oms_format format;	/* --format */
	int readonly;		/* only reads: opened read-only, never upgraded */
	int create;		/* oms-db init: create the database when it is missing */
};

/* The long options every tool shares; a tool adds its own after these. */
#define OMS_COMMON_LONGOPTS \
	{ "config", required_argument, NULL, 'c' }, \
	{ "database", required_argument, NULL, 'd' }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "quiet", no_argument, NULL, 'q' }, \
	{ "verbose", no_argument, NULL, 'v' }, \
	{ "version", no_argument, NULL, 'V' }

/* Long option values above any character, for options with no short form. */
enum { OMS_OPT_FORMAT = 0x100, OMS_OPT_TOOL = 0x200 };

/*
 * oms_opts_handle applies one common option parsed by getopt_long (-a -c
 * -d -n -q -v --format; a tool lists in its optstring only those it takes).  Returns 1
 * when it was one (handled), 0 when it is the tool's own, -1 on a bad value
 * (reported).  oms_getopt calls it, and handles -h and -V with the tool's usage.
 */
int oms_opts_handle(struct oms_opts *opts, int c, const char *arg);

/* oms_print_version prints "PROG (oms) VERSION" on stdout. */
int oms_print_version(void);

struct option;

/*
 * oms_getopt is getopt_long for a tool: it applies the common options
 * itself (oms_opts_handle), prints the usage for -h and the version for
 * -V and exits, calls usage(stderr, OMS_EUSAGE) for a bad one, and returns
 * the next of the tool's own options, or -1 after the last.
 */
int oms_getopt(struct oms_opts *opts, int argc, char *const argv[], const char *optstring,
    const struct option *longopts, void (*usage)(FILE *f, int status));

/*
 * The handle: configuration, database connection and who is acting.  Opened
 * once by a tool's main and passed to every library call.
 */
struct oms;

/*
 * oms_open loads the configuration, opens the database (upgrading an older
 * schema unless readonly or dry_run) and returns OMS_OK, or reports why not
 * and returns OMS_EUSAGE (configuration, or no such database) or OMS_ESYS
 * (database).  Only opts->create (oms-db init) makes a new database.
 */
int oms_open(struct oms **op, const struct oms_opts *opts);

/* oms_close closes the handle; rolls back a transaction left open. */
void oms_close(struct oms *o);

/* oms_opts_of returns the options the handle was opened with. */
const struct oms_opts *oms_opts_of(const struct oms *o);

/* oms_user returns who is acting: $OMS_USER, else the login name. */
const char *oms_user(const struct oms *o);

/* oms_db_path returns the database file's name, for messages. */
const char *oms_db_path(const struct oms *o);

#endif
