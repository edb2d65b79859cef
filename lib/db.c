/* db.c: opening the database, transactions, and the statement helpers. */
#include <getopt.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <oms/csv.h>
#include <oms/db.h>
#include <oms/fmt.h>
#include <oms/node.h>
#include <oms/config.h>
#include <oms/diag.h>
#include <oms/pg.h>
#include <oms/time.h>

#include "internal.h"

/*
 * Writers wait this long for the lock: far longer than any transaction
 * holds it (OMSI_TX_BUDGET_MS), so that only a stuck writer makes another
 * give up.
 */
#define BUSY_TIMEOUT_MS 60000

int
oms_opts_handle(struct oms_opts *opts, int c, const char *arg)
{
	switch (c) {
	case 'a':
		opts->all = 1;
		return 1;
	case 'c':
		opts->config_path = arg;
		return 1;
	case 'd':
		opts->db_path = arg;
		return 1;
	case 'n':
		opts->dry_run = 1;
		return 1;
	case 'q':
		opts->quiet = 1;
		opts->verbose = 0;
		return 1;
	case 'v':
		opts->verbose++;
		opts->quiet = 0;
		return 1;
	case OMS_OPT_FORMAT:
		if (oms_format_parse(arg, &opts->format) != 0) {
			oms_warnx("--format: \"%s\" is not one of text, csv, tsv, json", arg);
			return -1;
		}
		return 1;
	}
	return 0;
}

/*
 * bad_option says what was wrong with the option getopt_long refused.  It
 * was argv[optind - 1] when that is a long option, "--name[=value]": for
 * an unknown one optopt is 0; else optopt is the option's value, refused
 * for a missing value or for one it takes none of.  A short option is
 * optopt itself.
 */
static void
bad_option(char *const argv[], const char *optstring, const struct option *longopts)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "", *eq, *p;
	size_t len;
	int i;

	if (strncmp(arg, "--", 2) == 0) {
		len = (eq = strchr(arg, '=')) ? (size_t)(eq - arg) : strlen(arg);
		if (optopt == 0) {
			oms_warnx("%.*s: unknown option", (int)len, arg);
			return;
		}
		for (i = 0; longopts[i].name != NULL; i++)
			if (longopts[i].val == optopt && strncmp(longopts[i].name, arg + 2, len - 2) == 0) {
				if (eq != NULL)
					oms_warnx("%.*s: the option takes no value", (int)len, arg);
				else
					oms_warnx("%s: the option needs a value", arg);
				return;
			}
	}
	if (optopt != ':' && (p = strchr(optstring, optopt)) != NULL && p[1] == ':')
		oms_warnx("-%c: the option needs a value", optopt);
	else
		oms_warnx("-%c: unknown option", optopt);
}

int
oms_getopt(struct oms_opts *opts, int argc, char *const argv[], const char *optstring,
    const struct option *longopts, void (*usage)(FILE *f, int status))
{
	int c, k;

	/* getopt's own messages name the tool by its path: ours name it as every message does. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		if (c == '?') {
			bad_option(argv, optstring, longopts);
			usage(stderr, OMS_EUSAGE);
		}
		if ((k = oms_opts_handle(opts, c, optarg)) < 0)
			usage(stderr, OMS_EUSAGE);
		if (k > 0)
			continue;
		if (c == 'h')
			usage(stdout, OMS_OK);
		if (c == 'V')
			exit(oms_print_version());
		return c;
	}
	return -1;
}

int
oms_print_version(void)
{
	printf("%s (oms) %s\n", program_invocation_short_name, OMS_VERSION);
	return fflush(stdout) == 0 ? OMS_OK : OMS_ESYS;
}

static void
find_user(struct oms *o)
{
	const char *u = getenv("OMS_USER");
	struct passwd *pw;

	if (u == NULL || *u == '\0')
		u = getenv("LOGNAME");
	if ((u == NULL || *u == '\0') && (pw = getpwuid(geteuid())) != NULL)
		u = pw->pw_name;
	if (u != NULL && *u != '\0')
		snprintf(o->user, sizeof o->user, "%s", u);
	else
		snprintf(o->user, sizeof o->user, "uid %ld", (long)geteuid());
}

/*
 * create_file makes a new database file mode 0600 (the umask may narrow it)
 * before SQLite sees it: SQLite would create it 0644, and its -wal and -shm
 * files take the database file's mode.
 */
static int
create_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return errno == EEXIST ? 0 : -1;
	close(fd);
	return 0;
}

/*
 * database_exists says whether path names a database to open: an empty
 * file is not one (it is what a truncated or mistyped database looks
 * like), and opening it would make it one.  -1, with errno set, when it
 * cannot be told (a directory that may not be searched is no missing file).
 */
static int
database_exists(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	return !S_ISREG(st.st_mode) || st.st_size > 0;
}

/*
 * bin_collate orders bin locations in walking order: part by part, runs of
 * digits as numbers ("A-2" before "A-10"), the rest without regard to case.
 */
static int
bin_collate(void *arg, int la, const void *va, int lb, const void *vb)
{
	const unsigned char *a = va, *b = vb, *ea = a + la, *eb = b + lb, *da, *db;
	size_t na, nb;
	int ca, cb;

	while (a < ea && b < eb) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			while (a < ea && *a == '0')
				a++;
			while (b < eb && *b == '0')
				b++;
			for (da = a; da < ea && *da >= '0' && *da <= '9'; da++)
				;
			for (db = b; db < eb && *db >= '0' && *db <= '9'; db++)
				;
			na = (size_t)(da - a);
			nb = (size_t)(db - b);
			if (na != nb)
				return na < nb ? -1 : 1;
			for (; a < da; a++, b++)
				if (*a != *b)
					return *a < *b ? -1 : 1;
			continue;
		}
		ca = *a >= 'a' && *a <= 'z' ? *a - 32 : *a;
		cb = *b >= 'a' && *b <= 'z' ? *b - 32 : *b;
		if (ca != cb)
			return ca < cb ? -1 : 1;
		a++;
		b++;
	}
	return (a < ea) - (b < eb);
}

/* What omsi_each's aggregate hands each row to; bound to its first argument. */
struct each {
	omsi_each_fn fn;
	void *arg;
	int rc;
};

static void
each_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct each *e = argc > 0 ? sqlite3_value_pointer(argv[0], "omsi_each") : NULL;
	struct omsi_row row = { argv + 1, NULL };

	if (e == NULL) {
		sqlite3_result_error(cx, "omsi_each: called without its callback", -1);
		return;
	}
	/* An error stops the statement: SQLite reads no more rows. */
	if ((e->rc = e->fn(e->arg, &row)) != OMS_OK)
		sqlite3_result_error(cx, "omsi_each: stopped", -1);
}

static void
each_final(sqlite3_context *cx)
{
	sqlite3_result_null(cx);
}

static int
set_pragmas(struct oms *o)
{
	char sql[64];
	int persist = 1;

	if (omsi_exec_script(o, "PRAGMA foreign_keys = ON;") != OMS_OK)
		return OMS_ESYS;
	/*
	 * A writer leaves the -wal and -shm files in place when it closes, so
	 * that a user who may read the database but not write its directory
	 * can still open it (sqlite.org/wal.html, read-only databases); the
	 * size limit keeps a kept -wal from staying large.
	 */
	if (!o->opts.readonly &&
	    (sqlite3_file_control(o->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist) != SQLITE_OK ||
	    omsi_exec_script(o, "PRAGMA journal_size_limit = 67108864;") != OMS_OK))
		return omsi_db_error(o, "persistent WAL");
	if (sqlite3_create_collation(o->db, "bin", SQLITE_UTF8, NULL, bin_collate) != SQLITE_OK)
		return omsi_db_error(o, "collation");
	if (omsi_find_functions(o) != OMS_OK)
		return OMS_ESYS;
	/* Only the library's own SQL may call it: it takes a pointer bound by omsi_each. */
	if (sqlite3_create_function(o->db, "omsi_each", -1, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL,
	    NULL, each_step, each_final) != SQLITE_OK)
		return omsi_db_error(o, "functions");
	/* The value was checked when oms.yaml was read. */
	snprintf(sql, sizeof sql, "PRAGMA temp_store = MEMORY; PRAGMA synchronous = %s;",
	    oms_config_str(o, "database.synchronous", "full"));
	return omsi_exec_script(o, sql);
}

static long
us_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000000L + (now.tv_nsec - t->tv_nsec) / 1000;
}

/*
 * wait_for_lock is the busy handler.  SQLite's own sleeps up to 100 ms
 * between tries, and a writer that commits and begins again within
 * microseconds then takes the lock every time: a waiter could starve for
 * as long as the other runs.  Trying every few milliseconds, with the
 * pause oms_begin leaves between a writer's transactions, lets waiters in.
 */
static int
wait_for_lock(void *arg, int tries)
{
	struct oms *o = arg;
	struct timespec ts = { 0, 0 };
	long us = tries < 4 ? 500L << tries : 4000;

	if (tries == 0)
		clock_gettime(CLOCK_MONOTONIC, &o->wait_began);
	else if (us_since(&o->wait_began) >= BUSY_TIMEOUT_MS * 1000L)
		return 0;
	ts.tv_nsec = us * 1000;
	nanosleep(&ts, NULL);
	return 1;
}

/*
 * configure_sqlite sets what SQLite takes only before its first use in the
 * process: a tool's main opens one handle, so the settings are its own.  A
 * second oms_open in one process finds them refused (SQLITE_MISUSE) and
 * keeps what the first set.
 */
static int
configure_sqlite(void)
{
	int rc;

	/*
	 * A filter takes a savepoint for each order, and SQLite copies every
	 * page the order changes into the savepoint's statement journal
	 * (shipping: about 20 pages).  That journal stays in memory up to the
	 * spill size, which is also the size of the one block it is kept in;
	 * SQLite's default spills past 64 KiB to a temporary file, and
	 * temp_store = MEMORY keeps it in 1 KiB blocks, four mallocs and frees
	 * a page (oms-ship: 16% of its instructions).  128 KiB, 32 pages: the
	 * system SQLite (3.40) fails a statement whose journal spills to its
	 * file from a block above about 140 KiB, "database or disk is full"
	 * (a migration dropping a large index, a large UPDATE; tests/t0001).
	 * The handle's temp_store = MEMORY (set_pragmas) keeps the spill off
	 * the disk, where each order's spilled journal cost oms-ship half as
	 * much again (import-tracking of 30k orders: 5.7 s, 3.9 s in memory).
	 */
	rc = sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 1 << 17);
	if (rc != SQLITE_OK && rc != SQLITE_MISUSE) {
		oms_warnx("cannot configure SQLite's statement journals");
		return OMS_ESYS;
	}
	/*
	 * Nor does SQLite count the memory in use, which oms never reads:
	 * every allocation took a mutex for it (the system SQLite has no
	 * lookaside, so each cell of each row is one).
	 */
	rc = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (rc != SQLITE_OK && rc != SQLITE_MISUSE) {
		oms_warnx("cannot configure SQLite's memory statistics");
		return OMS_ESYS;
	}
	return OMS_OK;
}

/*
 * open_pg connects to a server: o->db_path is the URI as it may be shown
 * (no password), the only form kept.  A reader's transactions are read
 * only, so that the server refuses what a reader should never write.
 */
static int
open_pg(struct oms *o, const char *uri)
{
	char shown[1024], err[512];

	oms_pg_uri_shown(uri, shown, sizeof shown);
	if ((o->db_path = omsi_strdup(shown)) == NULL)
		return OMS_ESYS;
	if (oms_pg_connect(uri, &o->pg, err, sizeof err) != 0) {
		oms_warnx("%s: cannot connect: %s", o->db_path, err);
		return OMS_ESYS;
	}
	if (o->opts.readonly && omsi_exec_script(o, "SET SESSION CHARACTERISTICS AS TRANSACTION"
	    " READ ONLY") != OMS_OK)
		return OMS_ESYS;
	return omsi_pg_migrate(o);
}

int
oms_open(struct oms **op, const struct oms_opts *opts)
{
	struct oms *o;
	const char *path;
	int rc;

	*op = NULL;
	if (configure_sqlite() != OMS_OK)
		return OMS_ESYS;
	if ((o = omsi_calloc(1, sizeof *o)) == NULL)
		return OMS_ESYS;
	o->opts = *opts;
	o->tool = program_invocation_short_name;
	find_user(o);
	if ((rc = omsi_config_load(o)) != OMS_OK) {
		oms_close(o);
		return rc;
	}
	path = opts->db_path;
	if (path == NULL || *path == '\0')
		path = getenv("OMS_DB");
	if (path == NULL || *path == '\0')
		path = "oms.db";
	if (oms_pg_is_uri(path)) {
		rc = open_pg(o, path);
		if (rc != OMS_OK) {
			oms_close(o);
			return rc;
		}
		*op = o;
		return OMS_OK;
	}
	if ((o->db_path = omsi_strdup(path)) == NULL) {
		oms_close(o);
		return OMS_ESYS;
	}
	if (!opts->create && (rc = database_exists(path)) <= 0) {
		if (rc < 0)
			oms_warn("%s", path);
		else
			oms_warnx("%s: no such oms database (create it with: oms-db init %s)", path,
			    path);
		oms_close(o);
		return rc < 0 ? OMS_ESYS : OMS_EUSAGE;
	}
	if (opts->create && create_file(path) != 0) {
		oms_warn("%s: cannot create", path);
		oms_close(o);
		return OMS_ESYS;
	}
	/* One connection, one thread: SQLite's own mutexes would only cost. */
	if (sqlite3_open_v2(path, &o->db, (opts->readonly ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		if (o->db != NULL)
			oms_warnx("%s: cannot open: %s", path, sqlite3_errmsg(o->db));
		else
			oms_warnx("%s: cannot open: out of memory", path);
		oms_close(o);
		return OMS_ESYS;
	}
	/*
	 * SQLite opens a file it may not write read-only without a word; a
	 * tool that writes would fail at its first write, half way through.
	 */
	if (!opts->readonly && sqlite3_db_readonly(o->db, "main") == 1) {
		oms_warnx("%s: you may read this database but not write it", path);
		oms_close(o);
		return OMS_ESYS;
	}
	sqlite3_extended_result_codes(o->db, 1);
	if (sqlite3_busy_handler(o->db, wait_for_lock, o) != SQLITE_OK ||
	    (rc = set_pragmas(o)) != OMS_OK || (rc = omsi_migrate(o)) != OMS_OK) {
		oms_close(o);
		return rc ? rc : OMS_ESYS;
	}
	*op = o;
	return OMS_OK;
}

void
oms_close(struct oms *o)
{
	size_t i;

	if (o == NULL)
		return;
	if (o->in_tx)
		oms_rollback(o);
	for (i = 0; i < o->nstmts; i++)
		omsi_finalize(o->stmts[i]);
	if (o->db != NULL)
		sqlite3_close(o->db);
	oms_pg_close(o->pg);
	oms_node_free(o->config);
	omsi_prices_free(o->prices);
	free(o->db_path);
	free(o);
}

const struct oms_opts *
oms_opts_of(const struct oms *o)
{
	return &o->opts;
}

const char *
oms_user(const struct oms *o)
{
	return o->user;
}

const char *
oms_db_path(const struct oms *o)
{
	return o->db_path;
}

int
omsi_db_error(struct oms *o, const char *what)
{
	if (o->pg != NULL)
		oms_warnx("%s: %s: %s", o->db_path, what, oms_pg_error(o->pg));
	else if ((sqlite3_extended_errcode(o->db) & 0xff) == SQLITE_BUSY)
		oms_warnx("%s: %s: another tool kept the database locked for over %d s;"
		    " nothing of this batch was written", o->db_path, what, BUSY_TIMEOUT_MS / 1000);
	else
		oms_warnx("%s: %s: %s", o->db_path, what, sqlite3_errmsg(o->db));
	return OMS_ESYS;
}

static struct omsi_stmt *
cached(struct oms *o, const char *sql)
{
	struct omsi_stmt *st;
	size_t i;

	for (i = 0; i < o->nstmts; i++)
		if (o->stmts[i]->sql == sql)
			return o->stmts[i];
	if ((st = calloc(1, sizeof *st)) == NULL) {
		oms_warnx("out of memory");
		return NULL;
	}
	if (o->pg != NULL ? (st->pg = oms_pg_prepare(o->pg, sql)) == NULL :
	    sqlite3_prepare_v3(o->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->lite, NULL) !=
	    SQLITE_OK) {
		omsi_db_error(o, "prepare");
		free(st);
		return NULL;
	}
	st->sql = sql;
	/* A full cache keeps working: the oldest entry makes room. */
	if (o->nstmts == OMSI_STMT_CACHE) {
		omsi_finalize(o->stmts[0]);
		memmove(o->stmts, o->stmts + 1, (OMSI_STMT_CACHE - 1) * sizeof o->stmts[0]);
		o->nstmts--;
	}
	o->stmts[o->nstmts++] = st;
	return st;
}

static struct omsi_stmt *
vstmt(struct oms *o, const char *sql, const char *types, va_list ap)
{
	struct omsi_stmt *st;
	sqlite3_stmt *lite;
	const int64_t *ip;
	const char *s;
	int i, rc = SQLITE_OK;

	if ((st = cached(o, sql)) == NULL)
		return NULL;
	if (st->pg != NULL) {
		/* It runs now: its arguments are gone once this returns (struct omsi_stmt). */
		if ((st->pg_rc = oms_pg_vrun(st->pg, types, ap)) == OMS_PG_DONE)
			o->pg_changes = oms_pg_changes(st->pg);
		return st;
	}
	lite = st->lite;
	sqlite3_reset(lite);
	sqlite3_clear_bindings(lite);
	for (i = 0; types[i] != '\0' && rc == SQLITE_OK; i++) {
		switch (types[i]) {
		case 'i':
			rc = sqlite3_bind_int64(lite, i + 1, va_arg(ap, int64_t));
			break;
		case 'I':
			rc = sqlite3_bind_int(lite, i + 1, va_arg(ap, int));
			break;
		case 'j':
			ip = va_arg(ap, const int64_t *);
			rc = ip ? sqlite3_bind_int64(lite, i + 1, *ip) : sqlite3_bind_null(lite, i + 1);
			break;
		case 't':
			s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(lite, i + 1, s, -1, SQLITE_STATIC) :
			    sqlite3_bind_null(lite, i + 1);
			break;
		default:
			abort();
		}
	}
	if (rc != SQLITE_OK) {
		omsi_db_error(o, "bind");
		return NULL;
	}
	return st;
}

struct omsi_stmt *
omsi_stmt(struct oms *o, const char *sql, const char *types, ...)
{
	struct omsi_stmt *st;
	va_list ap;

	va_start(ap, types);
	st = vstmt(o, sql, types, ap);
	va_end(ap);
	return st;
}

/* pg_step is omsi_step on PostgreSQL: the rows are read; the run's error is said at the first. */
static int
pg_step(struct oms *o, struct omsi_stmt *st)
{
	int rc = st->pg_rc;

	if (rc == OMS_PG_DONE)
		return oms_pg_step(st->pg) == OMS_PG_ROW ? OMSI_ROW : OMSI_DONE;
	st->pg_rc = OMS_PG_DONE;
	if (rc == OMS_PG_CONSTRAINT)
		return OMSI_CONSTRAINT;
	omsi_db_error(o, "query");
	return -1;
}

int
omsi_step(struct oms *o, struct omsi_stmt *st)
{
	int rc;

	if (st->pg != NULL)
		return pg_step(o, st);
	rc = sqlite3_step(st->lite);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return SQLITE_CONSTRAINT;
	omsi_db_error(o, "query");
	return -1;
}

int
omsi_each(struct oms *o, const char *sql, omsi_each_fn fn, void *arg, const char *types, ...)
{
	struct each e = { fn, arg, OMS_OK };
	struct omsi_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	st = vstmt(o, sql, types, ap);
	va_end(ap);
	if (st == NULL)
		return OMS_ESYS;
	if (st->pg != NULL) {
		/* No aggregate there: the rows were read whole, and are handed to fn here. */
		struct omsi_row row = { NULL, st->pg };

		if (st->pg_rc != OMS_PG_DONE) {
			st->pg_rc = OMS_PG_DONE;
			return omsi_db_error(o, "query");
		}
		while (e.rc == OMS_OK && oms_pg_step(st->pg) == OMS_PG_ROW)
			e.rc = fn(arg, &row);
		oms_pg_reset(st->pg);
		return e.rc;
	}
	if (sqlite3_bind_pointer(st->lite, (int)strlen(types) + 1, &e, "omsi_each", NULL) !=
	    SQLITE_OK)
		return omsi_db_error(o, "bind");
	while ((rc = sqlite3_step(st->lite)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE && e.rc == OMS_OK) {
		omsi_db_error(o, "query");
		e.rc = OMS_ESYS;
	}
	/* No pointer to this frame is left bound. */
	sqlite3_reset(st->lite);
	sqlite3_clear_bindings(st->lite);
	return e.rc;
}

int
omsi_exec(struct oms *o, const char *sql, const char *types, ...)
{
	struct omsi_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	st = vstmt(o, sql, types, ap);
	va_end(ap);
	if (st == NULL)
		return OMS_ESYS;
	if (st->pg != NULL)
		rc = st->pg_rc == OMS_PG_DONE ? SQLITE_DONE : SQLITE_ERROR;
	else
		rc = sqlite3_step(st->lite);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
		omsi_reset(st);
		return OMS_OK;
	}
	omsi_db_error(o, "update");
	omsi_reset(st);
	return OMS_ESYS;
}

/* one_row steps st to its row: 1, or 0 when it has none (reset), or -1 on error (reset). */
static int
one_row(struct oms *o, struct omsi_stmt *st)
{
	int rc;

	if (st == NULL)
		return -1;
	if ((rc = omsi_step(o, st)) == SQLITE_ROW)
		return 1;
	omsi_reset(st);
	return rc < 0 ? -1 : 0;
}

int
omsi_order_row(struct oms *o, struct omsi_stmt *st, int64_t id)
{
	switch (one_row(o, st)) {
	case 1:
		return OMS_OK;
	case 0:
		oms_warnx("order %lld: no such order", (long long)id);
		return OMS_EINPUT;
	default:
		return OMS_ESYS;
	}
}

int
omsi_int(struct oms *o, int64_t *v, const char *sql, const char *types, ...)
{
	struct omsi_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	st = vstmt(o, sql, types, ap);
	va_end(ap);
	if ((rc = one_row(o, st)) != 1) {
		if (rc == 0)
			omsi_db_error(o, "query: no row");
		return OMS_ESYS;
	}
	*v = omsi_col_int64(st, 0);
	omsi_reset(st);
	return OMS_OK;
}

int
omsi_exec_script(struct oms *o, const char *sql)
{
	char *msg = NULL;

	if (o->pg != NULL) {
		if (oms_pg_exec_script(o->pg, sql) == OMS_PG_DONE)
			return OMS_OK;
		oms_warnx("%s: %s", o->db_path, oms_pg_error(o->pg));
		return OMS_ESYS;
	}
	if (sqlite3_exec(o->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		oms_warnx("%s: %s", o->db_path, msg ? msg : sqlite3_errmsg(o->db));
		sqlite3_free(msg);
		return OMS_ESYS;
	}
	return OMS_OK;
}

int
omsi_pragma(struct oms *o, const char *sql)
{
	return o->pg != NULL ? OMS_OK : omsi_exec_script(o, sql);
}

struct omsi_stmt *
omsi_prepare(struct oms *o, const char *sql, const char *const *texts, size_t n)
{
	struct omsi_stmt *st;
	size_t i;

	if ((st = calloc(1, sizeof *st)) == NULL) {
		oms_warnx("out of memory");
		return NULL;
	}
	if (o->pg != NULL) {
		if ((st->pg = oms_pg_prepare(o->pg, sql)) == NULL) {
			omsi_db_error(o, "prepare");
			free(st);
			return NULL;
		}
		if ((st->pg_rc = oms_pg_run_texts(st->pg, texts, n)) == OMS_PG_DONE)
			o->pg_changes = oms_pg_changes(st->pg);
		return st;
	}
	if (sqlite3_prepare_v2(o->db, sql, -1, &st->lite, NULL) != SQLITE_OK) {
		omsi_db_error(o, "prepare");
		free(st);
		return NULL;
	}
	for (i = 0; i < n; i++)
		if ((texts[i] != NULL ? sqlite3_bind_text(st->lite, (int)i + 1, texts[i], -1,
		    SQLITE_TRANSIENT) : sqlite3_bind_null(st->lite, (int)i + 1)) != SQLITE_OK) {
			omsi_db_error(o, "bind");
			omsi_finalize(st);
			return NULL;
		}
	return st;
}

void
omsi_finalize(struct omsi_stmt *st)
{
	if (st == NULL)
		return;
	if (st->pg != NULL)
		oms_pg_finalize(st->pg);
	else
		sqlite3_finalize(st->lite);
	free(st);
}

int64_t
omsi_last_id(struct oms *o)
{
	int64_t id;

	if (o->pg == NULL)
		return sqlite3_last_insert_rowid(o->db);
	/* On an error (said), 0: no row has that ID, so what the caller writes with it fails. */
	if (oms_pg_last_id(o->pg, &id) != OMS_PG_DONE)
		omsi_db_error(o, "last insert");
	return id;
}

int64_t
omsi_changes(struct oms *o)
{
	return o->pg != NULL ? o->pg_changes : sqlite3_changes(o->db);
}

const char *
omsi_errmsg(struct oms *o)
{
	return o->pg != NULL ? oms_pg_error(o->pg) : sqlite3_errmsg(o->db);
}

int
oms_begin(struct oms *o)
{
	struct timespec ts = { 0, 0 };
	long pause, since;

	/*
	 * Straight after our own commit, leave the lock free a moment (a
	 * fortieth of the time we held it, 1 to 10 ms) for the writers that
	 * waited meanwhile (wait_for_lock).
	 */
	if (o->tx_ended.tv_sec != 0) {
		pause = o->last_tx_us / 40;
		pause = pause < 1000 ? 1000 : pause > 10000 ? 10000 : pause;
		if ((since = us_since(&o->tx_ended)) < pause) {
			ts.tv_nsec = (pause - since) * 1000;
			nanosleep(&ts, NULL);
		}
	}
	if (o->pg != NULL ? oms_pg_begin(o->pg, 1) != OMS_PG_DONE :
	    sqlite3_exec(o->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return omsi_db_error(o, "begin");
	clock_gettime(CLOCK_MONOTONIC, &o->tx_began);
	o->in_tx = 1;
	o->tx_serial++;
	return OMS_OK;
}

int
oms_commit(struct oms *o)
{
	if (o->pg != NULL ? oms_pg_commit(o->pg) != OMS_PG_DONE :
	    sqlite3_exec(o->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		omsi_db_error(o, "commit");
		oms_rollback(o);
		return OMS_ESYS;
	}
	o->in_tx = 0;
	o->tx_committed = o->tx_serial;
	o->last_tx_us = us_since(&o->tx_began);
	clock_gettime(CLOCK_MONOTONIC, &o->tx_ended);
	return OMS_OK;
}

int
omsi_tx_overdue(const struct oms *o)
{
	return o->in_tx && us_since(&o->tx_began) >= OMSI_TX_BUDGET_MS * 1000L;
}

void
oms_rollback(struct oms *o)
{
	/* On a server, a ROLLBACK outside a transaction is only a warning (not kept). */
	if (o->pg != NULL)
		oms_pg_rollback(o->pg);
	else if (!sqlite3_get_autocommit(o->db))
		sqlite3_exec(o->db, "ROLLBACK", NULL, NULL, NULL);
	o->in_tx = 0;
}

/* An order's savepoint is taken and released once an order: prepared once, not parsed each time. */
int
omsi_savepoint(struct oms *o)
{
	return omsi_exec(o, "SAVEPOINT one_order", "");
}

int
omsi_release(struct oms *o)
{
	return omsi_exec(o, "RELEASE one_order", "");
}

int
omsi_rollback_to(struct oms *o)
{
	if (omsi_exec(o, "ROLLBACK TO one_order", "") != OMS_OK)
		return OMS_ESYS;
	return omsi_exec(o, "RELEASE one_order", "");
}

int
omsi_rows_to_table(struct oms *o, struct omsi_stmt *st, struct oms_table *t, size_t ncols,
    size_t *nrows)
{
	const char *cells[32];
	size_t i, n = 0;
	int rc;

	if (ncols > sizeof cells / sizeof cells[0])
		abort();
	while ((rc = omsi_step(o, st)) == SQLITE_ROW) {
		for (i = 0; i < ncols; i++)
			cells[i] = omsi_text(st, (int)i);
		if (oms_table_row(t, cells) != OMS_OK) {
			rc = -1;
			break;
		}
		n++;
	}
	omsi_reset(st);
	if (nrows != NULL)
		*nrows = n;
	return rc == SQLITE_DONE ? OMS_OK : OMS_ESYS;
}

int
omsi_collect_ids(struct oms *o, struct omsi_stmt *st, int64_t **ids, size_t *n)
{
	int64_t *v = NULL, *nv;
	size_t cap = 0;
	int rc;

	*n = 0;
	while ((rc = omsi_step(o, st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((nv = realloc(v, cap * sizeof *v)) == NULL) {
				oms_warnx("out of memory");
				rc = -1;
				break;
			}
			v = nv;
		}
		v[(*n)++] = omsi_col_int64(st, 0);
	}
	omsi_reset(st);
	if (rc != SQLITE_DONE) {
		free(v);
		*n = 0;
		return OMS_ESYS;
	}
	*ids = v;
	return OMS_OK;
}

int
oms_db_share(struct oms *o, const char *group)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char path[4096];
	struct group *gr;
	size_t i;

	if (o->pg != NULL) {
		oms_warnx("%s: --group is for a SQLite file: a server's roles share its databases",
		    o->db_path);
		return OMS_EUSAGE;
	}
	errno = 0;
	if ((gr = getgrnam(group)) == NULL) {
		if (errno != 0)
			oms_warn("group %s", group);
		else
			oms_warnx("group %s: no such group", group);
		return errno != 0 ? OMS_ESYS : OMS_EUSAGE;
	}
	/* A writer made -wal and -shm when it opened; they are kept (set_pragmas). */
	if (omsi_exec_script(o, "BEGIN IMMEDIATE; COMMIT") != OMS_OK)
		return OMS_ESYS;
	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		if ((size_t)snprintf(path, sizeof path, "%s%s", o->db_path, suffix[i]) >= sizeof path) {
			oms_warnx("%s: path too long", o->db_path);
			return OMS_EUSAGE;
		}
		if (chown(path, (uid_t)-1, gr->gr_gid) != 0 || chmod(path, 0660) != 0) {
			oms_warn("%s: cannot give it to group %s", path, group);
			return OMS_ESYS;
		}
	}
	return OMS_OK;
}

int
omsi_csv_load(struct oms *o, FILE *f, const char *name, const struct omsi_csv_load *l,
    long *count)
{
	struct oms_csv *c;
	char **fields, err[512], now[OMS_TIME_MAX], *buf;
	size_t n, ncols, line;
	FILE *in;
	int r, rc;

	*count = 0;
	if ((in = omsi_slurp(f, name, &buf)) == NULL)
		return OMS_ESYS;
	if ((c = oms_csv_open(in, name, ',')) == NULL) {
		fclose(in);
		free(buf);
		return OMS_ESYS;
	}
	oms_time_now(now);
	if ((rc = oms_begin(o)) != OMS_OK)
		goto out;
	if ((r = oms_csv_row(c, &fields, &n, &line, err, sizeof err)) <= 0) {
		if (r == 0)
			oms_warnx("%s: empty file: expected a header (%s)", name, l->expected);
		else
			oms_warnx("%s", err);
		rc = OMS_EINPUT;
		goto out;
	}
	if ((rc = l->header(o, l->arg, fields, n, name, line)) != OMS_OK)
		goto out;
	ncols = n;
	while ((r = oms_csv_row(c, &fields, &n, &line, err, sizeof err)) > 0) {
		if (n != ncols) {
			oms_warnx("%s:%zu: %zu fields, the header has %zu", name, line, n, ncols);
			rc = OMS_EINPUT;
			goto out;
		}
		if ((rc = l->row(o, l->arg, fields, n, name, line, now)) != OMS_OK)
			goto out;
		(*count)++;
	}
	if (r < 0) {
		oms_warnx("%s", err);
		rc = OMS_EINPUT;
		goto out;
	}
	rc = oms_commit(o);
out:
	if (rc != OMS_OK) {
		oms_rollback(o);
		*count = 0;
	}
	oms_csv_close(c);
	fclose(in);
	free(buf);
	return rc;
}
