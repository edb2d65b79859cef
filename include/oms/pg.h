/*
 * pg.h: the PostgreSQL driver (lib/pg.c), the second of the storage
 * layer's two: what lib/db.c needs of a server to run the statements it
 * runs on SQLite.  libpq is loaded on first use, so that a tool on a
 * SQLite file never loads it.
 *
 * Statements are written in SQLite's dialect, as every module writes them;
 * oms_pg_sql turns one into PostgreSQL's, and refuses what has no
 * faithful translation rather than guess.
 */
#ifndef OMS_PG_H
#define OMS_PG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* oms_pg_is_uri says whether a database name is a server's URI, not a file. */
int oms_pg_is_uri(const char *db);

/*
 * oms_pg_uri_shown writes uri into buf (len bytes) with its password, in
 * the user part or as a password= parameter, replaced by "***": the only
 * form of a URI that a message, a history entry or a log may hold.
 */
const char *oms_pg_uri_shown(const char *uri, char *buf, size_t len);

/*
 * oms_pg_sql translates a statement: ?NNN and ? placeholders to $NNN (a
 * bare ? is one more than the largest before it, as SQLite numbers them),
 * lib/db.c's omsi_each(?N, col, ...) to its columns (its rows are stepped),
 * INSERT OR IGNORE to ON CONFLICT DO NOTHING, BEGIN IMMEDIATE to BEGIN,
 * SQLite's IS and IS NOT between values to IS [NOT] DISTINCT FROM, and the
 * column name user (a reserved word there) to "user".
 * String literals, quoted names and comments are copied as they are.
 * *out is malloc'd; *nparams is the largest placeholder.  -1, with err
 * saying what, for what it cannot translate (PRAGMA, GLOB, INSERT OR
 * REPLACE, ...) or when out of memory.
 */
int oms_pg_sql(const char *sql, char **out, int *nparams, char *err, size_t errlen);

/* Results of oms_pg_run and oms_pg_step. */
enum {
	OMS_PG_ERROR = -1,	/* said in the connection's error: oms_pg_error */
	OMS_PG_DONE = 0,	/* no (more) rows */
	OMS_PG_ROW = 1,		/* a row to read */
	OMS_PG_CONSTRAINT = 2,	/* a constraint refused it (SQLSTATE class 23) */
	OMS_PG_RETRY = 3	/* a serialization failure or a deadlock: run the transaction again */
};

struct oms_pg;
struct oms_pg_stmt;

/*
 * oms_pg_connect opens a connection (libpq's own rules for the URI, the
 * environment and ~/.pgpass).  0, or -1 with err saying why; err never
 * holds a password.
 */
int oms_pg_connect(const char *uri, struct oms_pg **pg, char *err, size_t errlen);
void oms_pg_close(struct oms_pg *pg);

/* oms_pg_error is the last error of the connection ("" when none). */
const char *oms_pg_error(const struct oms_pg *pg);

/* oms_pg_sqlstate is the SQLSTATE of the last error ("" when none). */
const char *oms_pg_sqlstate(const struct oms_pg *pg);

/*
 * oms_pg_prepare translates sql and makes a statement of it; it is
 * prepared on the server at its first run, when the types of its
 * parameters are known.  NULL on error (oms_pg_error).
 */
struct oms_pg_stmt *oms_pg_prepare(struct oms_pg *pg, const char *sql);
void oms_pg_finalize(struct oms_pg_stmt *st);

/*
 * oms_pg_run runs a statement with parameters as lib/db.c's omsi_stmt
 * takes them: types holds one letter a parameter, i (int64_t), I (int),
 * j (const int64_t *, NULL for NULL), t (const char *, NULL for NULL).
 * Every row is read at once, so that other statements may run while its
 * rows are stepped (a connection runs one query at a time).  OMS_PG_DONE,
 * OMS_PG_CONSTRAINT, OMS_PG_RETRY or OMS_PG_ERROR.
 */
int oms_pg_run(struct oms_pg_stmt *st, const char *types, ...);
int oms_pg_vrun(struct oms_pg_stmt *st, const char *types, va_list ap);

/* oms_pg_run_texts runs a statement with n texts for its parameters (NULL for NULL). */
int oms_pg_run_texts(struct oms_pg_stmt *st, const char *const *texts, size_t n);

/* oms_pg_reset lets go of the rows of the last run. */
void oms_pg_reset(struct oms_pg_stmt *st);

/*
 * oms_pg_last_id is the value the last insert took from an identity
 * column in this session (lastval()), for SQLite's last insert row ID: 0
 * when it was NULL.  Only after such an insert: before any, the server
 * refuses, which ends the transaction.
 */
int oms_pg_last_id(struct oms_pg *pg, int64_t *id);

/* oms_pg_step moves to the next row of the last run: OMS_PG_ROW or OMS_PG_DONE. */
int oms_pg_step(struct oms_pg_stmt *st);

/*
 * A column of the row stepped to: as a number (a boolean is 1 or 0, NULL
 * is 0, as SQLite reads them), as text (NULL for NULL), or whether NULL.
 */
int64_t oms_pg_int64(const struct oms_pg_stmt *st, int col);
const char *oms_pg_text(const struct oms_pg_stmt *st, int col);
int oms_pg_is_null(const struct oms_pg_stmt *st, int col);

/* oms_pg_changes is how many rows the last run inserted, updated or deleted. */
int64_t oms_pg_changes(const struct oms_pg_stmt *st);

/* oms_pg_exec_script runs statements with no parameters, untranslated (migrations). */
int oms_pg_exec_script(struct oms_pg *pg, const char *sql);

/*
 * oms_pg_begin begins a transaction.  A writer's also takes oms's write
 * lock (a transaction-scoped advisory lock, so a crash or a dropped
 * connection frees it): writers on any host take turns as they do on one
 * SQLite file, while readers never wait for them.
 */
int oms_pg_begin(struct oms_pg *pg, int write);
int oms_pg_commit(struct oms_pg *pg);
int oms_pg_rollback(struct oms_pg *pg);

#endif
