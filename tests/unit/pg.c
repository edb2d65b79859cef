/*
 * The PostgreSQL driver: its translation of SQLite's dialect and its URIs
 * always; with OMS_TEST_PG set (make check-pg starts a server and sets
 * it), the driver against that server: parameters of each kind, NULLs,
 * constraints, statements stepped while others run, and the write lock
 * between two connections.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <oms/pg.h>

#include "tap.h"

/* tr translates sql, or says why not ("ERR: ..."), into a buffer of the caller's. */
static const char *
tr(const char *sql, char *buf, size_t len, int *np)
{
	char err[128], *out;
	int n = -1;

	if (oms_pg_sql(sql, &out, &n, err, sizeof err) != 0) {
		snprintf(buf, len, "ERR: %s", err);
	} else {
		snprintf(buf, len, "%s", out);
		free(out);
	}
	if (np != NULL)
		*np = n;
	return buf;
}

static void
translation(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "SELECT a FROM t WHERE x = ? AND y = ?", "SELECT a FROM t WHERE x = $1 AND y = $2" },
		{ "SELECT ?2, ?, ?1", "SELECT $2, $3, $1" },
		{ "SELECT '?', \"a?b\", 'it''s ?' -- ?\n FROM t WHERE x = ?",
		  "SELECT '?', \"a?b\", 'it''s ?' -- ?\n FROM t WHERE x = $1" },
		{ "SELECT /* ? */ ?", "SELECT /* ? */ $1" },
		{ "INSERT OR IGNORE INTO t (a) VALUES (?)",
		  "INSERT INTO t (a) VALUES ($1) ON CONFLICT DO NOTHING" },
		{ "insert or ignore into t (a) values (?)\n",
		  "insert into t (a) values ($1) ON CONFLICT DO NOTHING\n" },
		{ "INSERT OR IGNORE INTO t (a) VALUES (1);",
		  "INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING;" },
		{ "INSERT OR IGNORE INTO t (a) SELECT b FROM u WHERE (c) RETURNING id",
		  "INSERT INTO t (a) SELECT b FROM u WHERE (c) ON CONFLICT DO NOTHING RETURNING id" },
		{ "SELECT 1 WHERE a IS ?", "SELECT 1 WHERE a IS NOT DISTINCT FROM $1" },
		{ "SELECT 1 WHERE a IS NOT b", "SELECT 1 WHERE a IS DISTINCT FROM b" },
		{ "SELECT 1 WHERE a IS NULL AND b IS NOT NULL AND c IS TRUE",
		  "SELECT 1 WHERE a IS NULL AND b IS NOT NULL AND c IS TRUE" },
		{ "BEGIN IMMEDIATE", "BEGIN" },
		{ "INSERT INTO events (tool, user) VALUES (?, ?)",
		  "INSERT INTO events (tool, \"user\") VALUES ($1, $2)" },
		{ "SELECT e.user, 'user', \"user\" FROM events e",
		  "SELECT e.\"user\", 'user', \"user\" FROM events e" },
		{ "SELECT replace(a, 'x', 'y'), '12:30', x::text FROM t",
		  "SELECT replace(a, 'x', 'y'), '12:30', x::text FROM t" },
		{ "PRAGMA user_version", "ERR: PRAGMA has no PostgreSQL form here" },
		{ "SELECT 1 WHERE a GLOB 'x*'", "ERR: GLOB has no PostgreSQL form here" },
		{ "INSERT OR REPLACE INTO t VALUES (1)",
		  "ERR: INSERT OR REPLACE has no PostgreSQL form here" },
		{ "REPLACE INTO t VALUES (1)", "ERR: REPLACE INTO has no PostgreSQL form here" },
		{ "SELECT :name", "ERR: named parameter :name: number it (?N)" },
		{ "SELECT ?0", "ERR: placeholder ?0: out of range" },
		{ "SELECT omsi_each(?3, id, coalesce(a, ?1), (b)) FROM t WHERE x > ?2",
		  "SELECT id, coalesce(a, $1), (b) FROM t WHERE x > $2" },
		{ "SELECT omsi_each( ?1 , NULL, sum(x)) FROM t", "SELECT NULL, sum(x) FROM t" },
		{ "SELECT omsi_each(id) FROM t", "ERR: omsi_each: its first argument is ?N" },
	};
	char buf[256], name[256];
	size_t i;
	int n;


	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		/* A test's name is one TAP line. */
		snprintf(name, sizeof name, "%s", cases[i].in);
		name[strcspn(name, "\n")] = '\0';
		is_str(tr(cases[i].in, buf, sizeof buf, NULL), cases[i].want, "translates: %s", name);
	}
	tr("SELECT ?3, ?", buf, sizeof buf, &n);
	ok(n == 4, "the number of parameters is the largest placeholder (%d)", n);
	tr("SELECT 1", buf, sizeof buf, &n);
	ok(n == 0, "a statement without placeholders has none (%d)", n);
}

static void
uris(void)
{
	char buf[256];

	ok(oms_pg_is_uri("postgresql://db/oms") && oms_pg_is_uri("postgres://db/oms"),
	    "postgresql:// and postgres:// name a server");
	ok(!oms_pg_is_uri("oms.db") && !oms_pg_is_uri("/var/lib/oms/postgresql.db") &&
	    !oms_pg_is_uri(NULL), "a path names a file");
	is_str(oms_pg_uri_shown("postgresql://oms:s3cret@db.internal/oms", buf, sizeof buf),
	    "postgresql://oms:***@db.internal/oms", "a password in the URI is not shown");
	is_str(oms_pg_uri_shown("postgresql://oms:p%40ss@db:5432/oms?sslmode=require", buf,
	    sizeof buf), "postgresql://oms:***@db:5432/oms?sslmode=require",
	    "nor one with an escaped @, beside a port and parameters");
	is_str(oms_pg_uri_shown("postgresql:///oms?host=/run/pg&password=pw&user=oms", buf,
	    sizeof buf), "postgresql:///oms?host=/run/pg&password=***&user=oms",
	    "nor one given as a parameter");
	is_str(oms_pg_uri_shown("postgresql://oms@db/oms", buf, sizeof buf),
	    "postgresql://oms@db/oms", "a URI without a password is shown as it is");
}

static int
exec(struct oms_pg *pg, const char *sql)
{
	int rc = oms_pg_exec_script(pg, sql);

	if (rc != OMS_PG_DONE)
		printf("# %s: %s\n", sql, oms_pg_error(pg));
	return rc;
}

static void
server(const char *uri)
{
	struct oms_pg *pg, *pg2, *bad;
	struct oms_pg_stmt *ins, *sel, *upd, *cnt;
	char err[512], baduri[512];
	int64_t id1 = 0, id2 = 0, seven = 7, sum = 0;
	int rc, rows, nested_ok;

	if (oms_pg_connect(uri, &pg, err, sizeof err) != 0) {
		ok(0, "connects to the test server: %s", err);
		return;
	}
	ok(1, "connects to the test server");
	snprintf(baduri, sizeof baduri, "%s&password=hunter2&dbname=no_such_db", uri);
	rc = oms_pg_connect(baduri, &bad, err, sizeof err);
	ok(rc != 0 && strstr(err, "no_such_db") != NULL && strstr(err, "hunter2") == NULL,
	    "a failed connection says why, without the password: %s", err);

	ok(exec(pg, "CREATE TEMP TABLE t (id bigserial PRIMARY KEY, name text UNIQUE,"
	    " qty bigint NOT NULL CHECK (qty >= 0), note text, ok boolean NOT NULL DEFAULT true)")
	    == OMS_PG_DONE, "runs a script");

	ins = oms_pg_prepare(pg, "INSERT INTO t (name, qty, note) VALUES (?, ?, ?) RETURNING id");
	ok(ins != NULL, "prepares an insert");
	if (ins == NULL)
		return;
	rc = oms_pg_run(ins, "tIt", "a", 5, "first");
	if (rc == OMS_PG_DONE && oms_pg_step(ins) == OMS_PG_ROW)
		id1 = oms_pg_int64(ins, 0);
	ok(id1 > 0, "inserts with text and int parameters, and reads what it returns (%lld)",
	    (long long)id1);
	ok(oms_pg_step(ins) == OMS_PG_DONE, "one row, then done");
	rc = oms_pg_run(ins, "tjt", "b", &seven, NULL);
	if (rc == OMS_PG_DONE && oms_pg_step(ins) == OMS_PG_ROW)
		id2 = oms_pg_int64(ins, 0);
	ok(id2 > id1,
	    "again, the same statement, with a pointer to a number and a NULL");
	rc = oms_pg_run(ins, "tIt", "a", 1, NULL);
	ok(rc == OMS_PG_CONSTRAINT && strcmp(oms_pg_sqlstate(pg), "23505") == 0,
	    "a duplicate is a constraint's refusal (%s)", oms_pg_sqlstate(pg));
	rc = oms_pg_run(ins, "tIt", "c", -1, NULL);
	ok(rc == OMS_PG_CONSTRAINT && strcmp(oms_pg_sqlstate(pg), "23514") == 0,
	    "so is a CHECK's (%s)", oms_pg_sqlstate(pg));
	rc = oms_pg_run(ins, "tI", "c", 1);
	ok(rc == OMS_PG_ERROR && strstr(oms_pg_error(pg), "2 parameters given") != NULL,
	    "too few parameters are an error of oms's: %s", oms_pg_error(pg));
	oms_pg_finalize(ins);

	ins = oms_pg_prepare(pg, "INSERT OR IGNORE INTO t (name, qty) VALUES (?1, ?2)");
	rc = ins ? oms_pg_run(ins, "ti", "a", (int64_t)9) : OMS_PG_ERROR;
	ok(rc == OMS_PG_DONE && oms_pg_changes(ins) == 0,
	    "INSERT OR IGNORE of a duplicate changes nothing and is no error");
	rc = ins ? oms_pg_run(ins, "ti", "d", (int64_t)9) : OMS_PG_ERROR;
	ok(rc == OMS_PG_DONE && oms_pg_changes(ins) == 1, "and inserts what is new");
	oms_pg_finalize(ins);

	sel = oms_pg_prepare(pg, "SELECT id, name, note, ok, qty > 6 FROM t WHERE qty >= ? ORDER BY id");
	upd = oms_pg_prepare(pg, "UPDATE t SET qty = qty + 1 WHERE id = ?");
	ok(sel != NULL && upd != NULL, "prepares a select and an update");
	if (sel == NULL || upd == NULL)
		return;
	rows = 0;
	nested_ok = 1;
	if (oms_pg_run(sel, "i", (int64_t)0) == OMS_PG_DONE)
		while (oms_pg_step(sel) == OMS_PG_ROW) {
			rows++;
			if (oms_pg_run(upd, "i", oms_pg_int64(sel, 0)) != OMS_PG_DONE ||
			    oms_pg_changes(upd) != 1)
				nested_ok = 0;
			if (rows == 1)
				ok(strcmp(oms_pg_text(sel, 1), "a") == 0 &&
				    strcmp(oms_pg_text(sel, 2), "first") == 0 &&
				    oms_pg_int64(sel, 3) == 1 && oms_pg_int64(sel, 4) == 0,
				    "reads text, and booleans as 1 and 0");
			if (rows == 2)
				ok(oms_pg_text(sel, 2) == NULL && oms_pg_is_null(sel, 2) &&
				    oms_pg_int64(sel, 2) == 0 && oms_pg_int64(sel, 4) == 1,
				    "a NULL is NULL as text and 0 as a number");
		}
	ok(rows == 3 && nested_ok, "steps a select's rows while other statements run (%d rows)",
	    rows);
	oms_pg_finalize(sel);
	oms_pg_finalize(upd);

	cnt = oms_pg_prepare(pg, "SELECT sum(qty), count(*) FROM t WHERE note IS ?");
	rows = -1;
	if (cnt != NULL && oms_pg_run(cnt, "t", NULL) == OMS_PG_DONE && oms_pg_step(cnt) == OMS_PG_ROW) {
		sum = oms_pg_int64(cnt, 0);
		rows = (int)oms_pg_int64(cnt, 1);
	}
	ok(sum == 18 && rows == 2,
	    "IS compares with a NULL parameter as SQLite does; a sum is a number (%lld)",
	    (long long)sum);
	oms_pg_finalize(cnt);

	/* In a transaction: what SQLite lets a module bind, and a refusal that ends nothing. */
	ok(oms_pg_begin(pg, 0) == OMS_PG_DONE, "begins a transaction");
	ins = oms_pg_prepare(pg, "INSERT INTO t (name, qty) VALUES (?, ?)");
	rc = ins ? oms_pg_run(ins, "tt", "e", "4") : OMS_PG_ERROR;
	ok(rc == OMS_PG_DONE && oms_pg_changes(ins) == 1,
	    "a number bound as text goes into a number's column, as on SQLite (%s)",
	    oms_pg_error(pg));
	rc = ins ? oms_pg_run(ins, "tt", "f", "-4") : OMS_PG_ERROR;
	ok(rc == OMS_PG_CONSTRAINT, "a CHECK refuses a write in the transaction");
	cnt = oms_pg_prepare(pg, "SELECT CASE WHEN ? THEN 'yes' ELSE 'no' END, count(*) FROM t"
	    " WHERE name = 'e'");
	rc = cnt ? oms_pg_run(cnt, "I", 1) : OMS_PG_ERROR;
	ok(rc == OMS_PG_DONE && oms_pg_step(cnt) == OMS_PG_ROW &&
	    strcmp(oms_pg_text(cnt, 0), "yes") == 0 && oms_pg_int64(cnt, 1) == 1,
	    "and the transaction goes on, with what it wrote; a number is a truth value (%s)",
	    oms_pg_error(pg));
	ok(oms_pg_rollback(pg) == OMS_PG_DONE, "rolls back");
	oms_pg_finalize(ins);
	oms_pg_finalize(cnt);
	ok(oms_pg_begin(pg, 0) == OMS_PG_DONE && exec(pg, "SELECT 1/0") == OMS_PG_ERROR &&
	    oms_pg_commit(pg) == OMS_PG_ERROR && strstr(oms_pg_error(pg), "nothing was committed"),
	    "a commit after an error in the transaction is an error, not a quiet rollback (%s)",
	    oms_pg_error(pg));

	/* The write lock: a second writer waits, a reader does not. */
	if (oms_pg_connect(uri, &pg2, err, sizeof err) != 0) {
		ok(0, "a second connection: %s", err);
		oms_pg_close(pg);
		return;
	}
	ok(oms_pg_begin(pg, 1) == OMS_PG_DONE, "a writer takes the write lock");
	ok(exec(pg2, "SET lock_timeout = '200ms'") == OMS_PG_DONE &&
	    oms_pg_begin(pg2, 1) == OMS_PG_ERROR && strcmp(oms_pg_sqlstate(pg2), "55P03") == 0,
	    "a second writer on another connection waits for it (%s)", oms_pg_sqlstate(pg2));
	ok(oms_pg_begin(pg2, 0) == OMS_PG_DONE && oms_pg_rollback(pg2) == OMS_PG_DONE,
	    "a reader does not wait");
	ok(oms_pg_commit(pg) == OMS_PG_DONE && oms_pg_begin(pg2, 1) == OMS_PG_DONE &&
	    oms_pg_commit(pg2) == OMS_PG_DONE, "the lock is free at commit");
	oms_pg_close(pg2);
	oms_pg_close(pg);
}

int
main(void)
{
	const char *uri = getenv("OMS_TEST_PG");

	translation();
	uris();
	if (uri != NULL && *uri != '\0')
		server(uri);
	else
		printf("# OMS_TEST_PG is not set: the server's tests run under make check-pg\n");
	return done_testing();
}
