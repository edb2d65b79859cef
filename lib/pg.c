/*
 * pg.c: the PostgreSQL driver.  libpq is loaded when a run first names a
 * server, as http.c loads libcurl: a tool on a SQLite file starts without
 * it.  Statements keep SQLite's dialect (oms_pg_sql translates them) and
 * lib/db.c's parameter letters, so that a module's SQL is written once.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>

#include <oms/pg.h>

#include "internal.h"

#define LIBPQ "libpq.so.5"

/* The OIDs of the two parameter types oms binds (catalog/pg_type.h). */
#define INT8OID 20
#define TEXTOID 25

/* oms's write lock: one advisory lock key, "oms\0w" as a number. */
#define WRITE_LOCK_KEY INT64_C(0x6f6d730077)

/* A statement holds at most this many parameters (the most any of oms's has is far fewer). */
#define MAX_PARAMS 64

struct pq_api {
	PGconn *(*connectdb)(const char *);
	ConnStatusType (*status)(const PGconn *);
	char *(*error_message)(const PGconn *);
	void (*finish)(PGconn *);
	PGresult *(*prepare)(PGconn *, const char *, const char *, int, const Oid *);
	PGresult *(*exec_prepared)(PGconn *, const char *, int, const char *const *,
	    const int *, const int *, int);
	PGresult *(*exec)(PGconn *, const char *);
	ExecStatusType (*result_status)(const PGresult *);
	char *(*result_error_field)(const PGresult *, int);
	char *(*result_error_message)(const PGresult *);
	int (*ntuples)(const PGresult *);
	char *(*getvalue)(const PGresult *, int, int);
	int (*getisnull)(const PGresult *, int, int);
	char *(*cmd_tuples)(PGresult *);
	void (*clear)(PGresult *);
	PQnoticeProcessor (*set_notice_processor)(PGconn *, PQnoticeProcessor, void *);
	PGTransactionStatusType (*transaction_status)(const PGconn *);
	int (*send_query_params)(PGconn *, const char *, int, const Oid *, const char *const *,
	    const int *, const int *, int);
	int (*send_query_prepared)(PGconn *, const char *, int, const char *const *,
	    const int *, const int *, int);
	PGresult *(*get_result)(PGconn *);
	int (*enter_pipeline_mode)(PGconn *);
	int (*exit_pipeline_mode)(PGconn *);
	int (*pipeline_sync)(PGconn *);
};

struct oms_pg {
	struct pq_api pq;
	PGconn *conn;
	char *password;		/* the URI's, kept only to keep it out of messages */
	unsigned nstmts;	/* for statement names */
	char error[512];
	char sqlstate[6];
};

struct oms_pg_stmt {
	struct oms_pg *pg;
	char *sql;		/* translated */
	int nparams;
	char name[24];		/* on the server, once prepared */
	char types[MAX_PARAMS + 1];	/* the letters it was prepared for */
	int prepared;
	int writes;		/* an INSERT, UPDATE or DELETE: run under a savepoint in a transaction */
	PGresult *res;
	int row, nrows;		/* row: the one stepped to, -1 before the first */
};

int
oms_pg_is_uri(const char *db)
{
	return db != NULL && (strncmp(db, "postgresql://", 13) == 0 ||
	    strncmp(db, "postgres://", 11) == 0);
}

/*
 * password_span finds the password of a URI: after user: in the part
 * before the host's @, or a password= parameter.  0 when it has none.
 */
static int
password_span(const char *uri, size_t *at, size_t *len)
{
	const char *auth, *end, *colon, *p;

	if ((auth = strstr(uri, "://")) != NULL) {
		auth += 3;
		end = auth + strcspn(auth, "/?#");
		/* The last @ before the path: a password may hold an @ of its own when escaped only. */
		for (p = end; p > auth && p[-1] != '@'; p--)
			;
		if (p > auth && (colon = memchr(auth, ':', (size_t)(p - 1 - auth))) != NULL) {
			*at = (size_t)(colon + 1 - uri);
			*len = (size_t)(p - 1 - (colon + 1));
			return 1;
		}
	}
	for (p = strchr(uri, '?'); p != NULL; p = strchr(p, '&')) {
		p++;
		if (strncmp(p, "password=", 9) == 0) {
			*at = (size_t)(p + 9 - uri);
			*len = strcspn(p + 9, "&#");
			return 1;
		}
	}
	return 0;
}

const char *
oms_pg_uri_shown(const char *uri, char *buf, size_t len)
{
	size_t at, plen;

	if (!password_span(uri, &at, &plen) || plen == 0)
		snprintf(buf, len, "%s", uri);
	else
		snprintf(buf, len, "%.*s***%s", (int)at, uri, uri + at + plen);
	return buf;
}

/* The translator's output: a growing string. */
struct out {
	char *s;
	size_t n, cap;
	int failed;
};

static void
put(struct out *b, const char *s, size_t n)
{
	char *p;

	if (b->failed)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->n + n + 1)
			cap *= 2;
		if ((p = realloc(b->s, cap)) == NULL) {
			b->failed = 1;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void
puts_(struct out *b, const char *s)
{
	put(b, s, strlen(s));
}

static int
word_char(int c)
{
	return isalnum(c) || c == '_';
}

/* skip_space returns s past white space and comments. */
static const char *
skip_space(const char *s)
{
	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (s[0] == '-' && s[1] == '-') {
			s += strcspn(s, "\n");
		} else if (s[0] == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");

			s = e ? e + 2 : s + strlen(s);
		} else {
			return s;
		}
	}
}

/* next_word says whether the next word after s (spaces skipped) is w; *after: past it. */
static int
next_word(const char *s, const char *w, const char **after)
{
	size_t n = strlen(w);

	s = skip_space(s);
	if (strncasecmp(s, w, n) != 0 || word_char((unsigned char)s[n]))
		return 0;
	if (after != NULL)
		*after = s + n;
	return 1;
}

/* quoted copies a literal or a quoted name from s (at its quote) and returns s past it. */
static const char *
quoted(struct out *b, const char *s)
{
	char q = *s;
	const char *p = s + 1;

	for (;;) {
		if (*p == '\0')
			break;
		if (*p == q) {
			if (p[1] == q) {	/* '' within '...' */
				p += 2;
				continue;
			}
			p++;
			break;
		}
		p++;
	}
	put(b, s, (size_t)(p - s));
	return p;
}

/* The statement being translated: what must be added at its end. */
struct stmt_state {
	int ignore;		/* INSERT OR IGNORE: ON CONFLICT DO NOTHING before its end */
	int depth;		/* parentheses */
	int each;		/* the depth within omsi_each( ... ), whose ) is left out; 0: none */
};

static void
end_statement(struct out *b, struct stmt_state *st)
{
	if (st->ignore) {
		/* Before the white space that ends it, so that a trailing comment stays one. */
		puts_(b, " ON CONFLICT DO NOTHING");
		st->ignore = 0;
	}
}

int
oms_pg_sql(const char *sql, char **outp, int *nparams, char *err, size_t errlen)
{
	struct out b = { 0 };
	struct stmt_state st = { 0 };
	const char *s = sql, *w, *after;
	int maxp = 0;
	long n;
	char num[16];
	size_t wl;

	*outp = NULL;
	while (*s != '\0') {
		if (*s == '\'' || *s == '"') {
			s = quoted(&b, s);
		} else if ((s[0] == '-' && s[1] == '-') || (s[0] == '/' && s[1] == '*')) {
			w = skip_space(s);
			put(&b, s, (size_t)(w - s));
			s = w;
		} else if (*s == '?') {
			s++;
			if (isdigit((unsigned char)*s)) {
				errno = 0;
				n = strtol(s, (char **)&w, 10);
				if (errno != 0 || n < 1 || n > MAX_PARAMS) {
					omsi_fmt_err(err, errlen, "placeholder ?%.8s: out of range", s);
					goto fail;
				}
				s = w;
			} else {
				n = maxp + 1;
				if (n > MAX_PARAMS) {
					omsi_fmt_err(err, errlen, "more than %d parameters", MAX_PARAMS);
					goto fail;
				}
			}
			if (n > maxp)
				maxp = (int)n;
			snprintf(num, sizeof num, "$%ld", n);
			puts_(&b, num);
		} else if (s[0] == ':' && s[1] == ':') {
			put(&b, s, 2);	/* a cast: PostgreSQL's own, written for it */
			s += 2;
		} else if ((*s == '$' || *s == ':' || *s == '@') && word_char((unsigned char)s[1])) {
			/* SQLite's named parameters: oms numbers its own (?N). */
			omsi_fmt_err(err, errlen, "named parameter %.20s: number it (?N)", s);
			goto fail;
		} else if (*s == '(') {
			st.depth++;
			put(&b, s++, 1);
		} else if (*s == ')') {
			if (st.each != 0 && st.depth == st.each)
				st.each = 0;
			else
				put(&b, s, 1);
			s++;
			st.depth--;
		} else if (*s == ';' && st.depth == 0) {
			end_statement(&b, &st);
			put(&b, s++, 1);
		} else if (word_char((unsigned char)*s)) {
			w = s;
			while (word_char((unsigned char)*s))
				s++;
			wl = (size_t)(s - w);
#define IS(k) (wl == sizeof k - 1 && strncasecmp(w, k, wl) == 0)
			if (IS("PRAGMA") || IS("GLOB") || IS("REGEXP") || IS("MATCH") ||
			    IS("VACUUM") || IS("ATTACH") || IS("ROWID")) {
				omsi_fmt_err(err, errlen, "%.*s has no PostgreSQL form here", (int)wl, w);
				goto fail;
			}
			if (IS("omsi_each") && *(after = skip_space(s)) == '(' && st.each == 0) {
				/*
				 * lib/db.c's aggregate that hands SQLite's rows to C
				 * (omsi_each(?N, col, ...)): on PostgreSQL the columns
				 * alone, stepped in C, and ?N, its callback, not bound.
				 */
				after = skip_space(after + 1);
				if (*after != '?' || !isdigit((unsigned char)after[1])) {
					omsi_fmt_err(err, errlen, "omsi_each: its first argument is ?N");
					goto fail;
				}
				after++;
				while (isdigit((unsigned char)*after))
					after++;
				after = skip_space(after);
				if (*after != ',') {
					omsi_fmt_err(err, errlen, "omsi_each: no columns");
					goto fail;
				}
				s = skip_space(after + 1);
				st.depth++;
				st.each = st.depth;
			} else if (IS("INSERT") && next_word(s, "OR", &after)) {
				if (!next_word(after, "IGNORE", &after)) {
					const char *c = skip_space(after), *e = c;

					while (word_char((unsigned char)*e))
						e++;
					omsi_fmt_err(err, errlen, "INSERT OR %.*s has no PostgreSQL form here",
					    (int)(e - c), c);
					goto fail;
				}
				put(&b, w, wl);
				st.ignore = 1;
				s = after;
			} else if (IS("REPLACE") && next_word(s, "INTO", NULL)) {
				omsi_fmt_err(err, errlen, "REPLACE INTO has no PostgreSQL form here");
				goto fail;
			} else if (IS("BEGIN") && (next_word(s, "IMMEDIATE", &after) ||
			    next_word(s, "EXCLUSIVE", &after) || next_word(s, "DEFERRED", &after))) {
				/* The write lock is oms_pg_begin's: BEGIN alone here. */
				puts_(&b, "BEGIN");
				s = after;
			} else if (IS("RETURNING") && st.depth == 0 && st.ignore) {
				/* The white space before RETURNING is out already. */
				puts_(&b, "ON CONFLICT DO NOTHING ");
				st.ignore = 0;
				put(&b, w, wl);
			} else if (IS("user")) {
				/*
				 * A column of oms's (who did it) and a reserved word of
				 * PostgreSQL's (CURRENT_USER), which oms never means.
				 */
				puts_(&b, "\"user\"");
			} else if (IS("IS")) {
				/*
				 * SQLite's IS compares any two values, NULL equal to
				 * NULL; PostgreSQL's only tests for NULL, TRUE and FALSE.
				 */
				const char *t = s;
				int neg = next_word(s, "NOT", &t);

				if (next_word(t, "NULL", NULL) || next_word(t, "TRUE", NULL) ||
				    next_word(t, "FALSE", NULL) || next_word(t, "DISTINCT", NULL) ||
				    next_word(t, "UNKNOWN", NULL)) {
					put(&b, w, wl);
				} else {
					puts_(&b, neg ? "IS DISTINCT FROM" : "IS NOT DISTINCT FROM");
					s = t;
				}
			} else {
				put(&b, w, wl);
			}
#undef IS
		} else {
			put(&b, s++, 1);
		}
	}
	/* The last statement ends at the end, before the white space after it. */
	if (st.ignore) {
		size_t keep = b.n;

		while (keep > 0 && isspace((unsigned char)b.s[keep - 1]))
			keep--;
		if (!b.failed) {
			char *tail = omsi_strdup(b.s + keep);

			if (tail == NULL)
				goto fail;
			b.n = keep;
			end_statement(&b, &st);
			puts_(&b, tail);
			free(tail);
		}
	}
	if (b.s == NULL)
		puts_(&b, "");
	if (b.failed) {
		omsi_fmt_err(err, errlen, "out of memory");
		goto fail;
	}
	*outp = b.s;
	*nparams = maxp;
	return 0;
fail:
	free(b.s);
	return -1;
}

static int
pq_load(struct pq_api *pq, char *err, size_t errlen)
{
	static const char *const names[] = {
		"PQconnectdb", "PQstatus", "PQerrorMessage", "PQfinish", "PQprepare",
		"PQexecPrepared", "PQexec", "PQresultStatus", "PQresultErrorField",
		"PQresultErrorMessage", "PQntuples", "PQgetvalue", "PQgetisnull", "PQcmdTuples",
		"PQclear", "PQsetNoticeProcessor", "PQtransactionStatus", "PQsendQueryParams",
		"PQsendQueryPrepared", "PQgetResult", "PQenterPipelineMode", "PQexitPipelineMode",
		"PQpipelineSync",
	};
	void *const fns[] = {
		&pq->connectdb, &pq->status, &pq->error_message, &pq->finish, &pq->prepare,
		&pq->exec_prepared, &pq->exec, &pq->result_status, &pq->result_error_field,
		&pq->result_error_message, &pq->ntuples, &pq->getvalue, &pq->getisnull,
		&pq->cmd_tuples, &pq->clear, &pq->set_notice_processor, &pq->transaction_status,
		&pq->send_query_params, &pq->send_query_prepared, &pq->get_result,
		&pq->enter_pipeline_mode, &pq->exit_pipeline_mode, &pq->pipeline_sync,
	};

	return omsi_dl_load(LIBPQ, "libpq5", names, fns, sizeof names / sizeof names[0],
	    err, errlen);
}

/*
 * set_error keeps a message of the server's or libpq's, one line, with the
 * password (should a message ever quote the URI) blotted out.
 */
static void
set_error(struct oms_pg *pg, const char *msg, const char *sqlstate)
{
	char *p;

	snprintf(pg->error, sizeof pg->error, "%s", msg ? msg : "unknown error");
	pg->error[strcspn(pg->error, "\n")] = '\0';
	if (pg->password != NULL && pg->password[0] != '\0')
		while ((p = strstr(pg->error, pg->password)) != NULL)
			memset(p, '*', strlen(pg->password));
	snprintf(pg->sqlstate, sizeof pg->sqlstate, "%s", sqlstate ? sqlstate : "");
}

/* Notices (a table that already exists, say) are the server's chatter, not oms's. */
static void
quiet(void *arg, const char *msg)
{
}

int
oms_pg_connect(const char *uri, struct oms_pg **out, char *err, size_t errlen)
{
	struct oms_pg *pg;
	size_t at, len;

	*out = NULL;
	if ((pg = calloc(1, sizeof *pg)) == NULL) {
		omsi_fmt_err(err, errlen, "out of memory");
		return -1;
	}
	if (pq_load(&pg->pq, err, errlen) != 0) {
		free(pg);
		return -1;
	}
	if (password_span(uri, &at, &len) &&
	    (pg->password = strndup(uri + at, len)) == NULL) {
		omsi_fmt_err(err, errlen, "out of memory");
		free(pg);
		return -1;
	}
	pg->conn = pg->pq.connectdb(uri);
	if (pg->conn == NULL || pg->pq.status(pg->conn) != CONNECTION_OK) {
		set_error(pg, pg->conn ? pg->pq.error_message(pg->conn) : "out of memory", NULL);
		omsi_fmt_err(err, errlen, "%s", pg->error);
		oms_pg_close(pg);
		return -1;
	}
	pg->pq.set_notice_processor(pg->conn, quiet, NULL);
	*out = pg;
	return 0;
}

void
oms_pg_close(struct oms_pg *pg)
{
	if (pg == NULL)
		return;
	if (pg->conn != NULL)
		pg->pq.finish(pg->conn);
	if (pg->password != NULL) {
		memset(pg->password, 0, strlen(pg->password));
		free(pg->password);
	}
	free(pg);
}

const char *
oms_pg_error(const struct oms_pg *pg)
{
	return pg->error;
}

const char *
oms_pg_sqlstate(const struct oms_pg *pg)
{
	return pg->sqlstate;
}

struct oms_pg_stmt *
oms_pg_prepare(struct oms_pg *pg, const char *sql)
{
	struct oms_pg_stmt *st;
	char err[256];

	if ((st = calloc(1, sizeof *st)) == NULL) {
		set_error(pg, "out of memory", NULL);
		return NULL;
	}
	st->pg = pg;
	st->row = -1;
	if (oms_pg_sql(sql, &st->sql, &st->nparams, err, sizeof err) != 0) {
		set_error(pg, err, NULL);
		free(st);
		return NULL;
	}
	st->writes = next_word(sql, "INSERT", NULL) || next_word(sql, "UPDATE", NULL) ||
	    next_word(sql, "DELETE", NULL) || next_word(sql, "WITH", NULL);
	return st;
}

void
oms_pg_finalize(struct oms_pg_stmt *st)
{
	if (st == NULL)
		return;
	if (st->res != NULL)
		st->pg->pq.clear(st->res);
	free(st->sql);
	free(st);
}

/*
 * result sorts out a finished command: its rows are kept for stepping, an
 * error is kept with its SQLSTATE and said as what oms does about it.
 */
static int
result(struct oms_pg *pg, PGresult *res, PGresult **keep)
{
	const char *state;
	ExecStatusType s;

	if (res == NULL) {
		set_error(pg, pg->pq.error_message(pg->conn), NULL);
		return OMS_PG_ERROR;
	}
	s = pg->pq.result_status(res);
	if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) {
		pg->error[0] = '\0';
		pg->sqlstate[0] = '\0';
		if (keep != NULL)
			*keep = res;
		else
			pg->pq.clear(res);
		return OMS_PG_DONE;
	}
	state = pg->pq.result_error_field(res, PG_DIAG_SQLSTATE);
	set_error(pg, pg->pq.result_error_message(res), state);
	pg->pq.clear(res);
	if (state != NULL && strncmp(pg->sqlstate, "23", 2) == 0)
		return OMS_PG_CONSTRAINT;
	if (strcmp(pg->sqlstate, "40001") == 0 || strcmp(pg->sqlstate, "40P01") == 0)
		return OMS_PG_RETRY;
	return OMS_PG_ERROR;
}

/*
 * mistyped says whether the server refused a statement for its
 * parameters' types: SQLite takes a text "1" for a number and a number for
 * a truth value, and modules bind as it lets them.
 */
static int
mistyped(const struct oms_pg *pg)
{
	return strcmp(pg->sqlstate, "42804") == 0 || strcmp(pg->sqlstate, "42883") == 0 ||
	    strcmp(pg->sqlstate, "42725") == 0;
}

/*
 * prepare_typed prepares st with its parameters of the types they are
 * bound as; when the server refuses those, with types it infers from where
 * they stand (the text "1" for a number, 1 for true).  A refused statement
 * would end an open transaction: a savepoint keeps it, taken only in one
 * and only for a statement's first preparation.
 */
static int
prepare_typed(struct oms_pg *pg, struct oms_pg_stmt *st, const Oid *oids, int n)
{
	static const Oid inferred[MAX_PARAMS];
	char error[sizeof pg->error], sqlstate[sizeof pg->sqlstate];
	int in_tx = pg->pq.transaction_status(pg->conn) == PQTRANS_INTRANS, rc;

	if (in_tx && oms_pg_exec_script(pg, "SAVEPOINT oms_prepare") != OMS_PG_DONE)
		return OMS_PG_ERROR;
	rc = result(pg, pg->pq.prepare(pg->conn, st->name, st->sql, n, oids), NULL);
	if (rc != OMS_PG_DONE && mistyped(pg)) {
		memcpy(error, pg->error, sizeof error);
		memcpy(sqlstate, pg->sqlstate, sizeof sqlstate);
		if (in_tx && oms_pg_exec_script(pg, "ROLLBACK TO oms_prepare") != OMS_PG_DONE)
			return OMS_PG_ERROR;
		if ((rc = result(pg, pg->pq.prepare(pg->conn, st->name, st->sql, n, inferred),
		    NULL)) != OMS_PG_DONE) {
			/* The first refusal is the one that names the statement's own types. */
			memcpy(pg->error, error, sizeof error);
			memcpy(pg->sqlstate, sqlstate, sizeof sqlstate);
		}
	}
	if (!in_tx)
		return rc;
	/* The transaction goes on whatever the server said, as SQLite's does. */
	memcpy(error, pg->error, sizeof error);
	memcpy(sqlstate, pg->sqlstate, sizeof sqlstate);
	if ((rc != OMS_PG_DONE && oms_pg_exec_script(pg, "ROLLBACK TO oms_prepare") !=
	    OMS_PG_DONE) || oms_pg_exec_script(pg, "RELEASE oms_prepare") != OMS_PG_DONE)
		return OMS_PG_ERROR;
	memcpy(pg->error, error, sizeof error);
	memcpy(pg->sqlstate, sqlstate, sizeof sqlstate);
	return rc;
}

static int
prepare_for(struct oms_pg_stmt *st, const char *types)
{
	struct oms_pg *pg = st->pg;
	Oid oids[MAX_PARAMS];
	size_t i, n = strlen(types);

	if ((int)n != st->nparams) {
		char msg[96];

		snprintf(msg, sizeof msg, "%zu parameters given, the statement has %d", n,
		    st->nparams);
		set_error(pg, msg, NULL);
		return OMS_PG_ERROR;
	}
	if (st->prepared && strcmp(st->types, types) == 0)
		return OMS_PG_DONE;
	for (i = 0; i < n; i++)
		oids[i] = types[i] == 't' ? TEXTOID : INT8OID;
	/* A name of its own each time: a server's statement cannot be prepared twice. */
	snprintf(st->name, sizeof st->name, "oms_%u", ++pg->nstmts);
	if (prepare_typed(pg, st, oids, (int)n) != OMS_PG_DONE)
		return OMS_PG_ERROR;
	memcpy(st->types, types, n + 1);
	st->prepared = 1;
	return OMS_PG_DONE;
}

/*
 * run_kept runs st under a savepoint, which it rolls back to when the
 * server refuses it.  The savepoint, the statement and the release go in
 * one pipeline, one round trip: a refusal skips the release, and costs a
 * second round trip to roll back.
 */
static int
run_kept(struct oms_pg_stmt *st, const char *const *values, int n)
{
	struct oms_pg *pg = st->pg;
	PGconn *c = pg->conn;
	PGresult *r, *mine = NULL, *refused = NULL;
	char error[sizeof pg->error], sqlstate[sizeof pg->sqlstate];
	int query = 0, nulls = 0, rc;

	if (!pg->pq.enter_pipeline_mode(c) ||
	    !pg->pq.send_query_params(c, "SAVEPOINT oms_statement", 0, NULL, NULL, NULL, NULL, 0) ||
	    !pg->pq.send_query_prepared(c, st->name, n, values, NULL, NULL, 0) ||
	    !pg->pq.send_query_params(c, "RELEASE oms_statement", 0, NULL, NULL, NULL, NULL, 0) ||
	    !pg->pq.pipeline_sync(c)) {
		set_error(pg, pg->pq.error_message(c), NULL);
		while ((r = pg->pq.get_result(c)) != NULL)
			pg->pq.clear(r);
		pg->pq.exit_pipeline_mode(c);
		return OMS_PG_ERROR;
	}
	/* Each query's results end with a NULL; the sync point ends them all. */
	for (;;) {
		if ((r = pg->pq.get_result(c)) == NULL) {
			if (++nulls > 1)
				break;	/* the connection is gone: said below */
			query++;
			continue;
		}
		nulls = 0;
		if (pg->pq.result_status(r) == PGRES_PIPELINE_SYNC) {
			pg->pq.clear(r);
			break;
		}
		if (query == 1 && mine == NULL)
			mine = r;
		else if (pg->pq.result_status(r) == PGRES_FATAL_ERROR && refused == NULL)
			refused = r;	/* the savepoint's or the release's */
		else
			pg->pq.clear(r);
	}
	pg->pq.exit_pipeline_mode(c);
	if (mine != NULL && pg->pq.result_status(mine) != PGRES_PIPELINE_ABORTED) {
		rc = result(pg, mine, &st->res);
		if (rc == OMS_PG_DONE)
			st->nrows = pg->pq.ntuples(st->res);
	} else {
		rc = result(pg, refused, NULL);	/* NULL: libpq's own error */
		refused = NULL;
		if (mine != NULL)
			pg->pq.clear(mine);
	}
	if (refused != NULL) {
		if (rc == OMS_PG_DONE)
			rc = result(pg, refused, NULL);
		else
			pg->pq.clear(refused);
	}
	if (rc == OMS_PG_DONE || pg->pq.transaction_status(c) != PQTRANS_INERROR)
		return rc;
	memcpy(error, pg->error, sizeof error);
	memcpy(sqlstate, pg->sqlstate, sizeof sqlstate);
	if (oms_pg_exec_script(pg, "ROLLBACK TO oms_statement; RELEASE oms_statement") !=
	    OMS_PG_DONE)
		return OMS_PG_ERROR;
	memcpy(pg->error, error, sizeof error);
	memcpy(pg->sqlstate, sqlstate, sizeof sqlstate);
	return rc;
}

/* run runs st with its parameters as text (NULL for NULL), prepared for types. */
static int
run(struct oms_pg_stmt *st, const char *types, const char *const *values, int n)
{
	struct oms_pg *pg = st->pg;
	int rc;

	oms_pg_reset(st);
	if ((rc = prepare_for(st, types)) != OMS_PG_DONE)
		return rc;
	/*
	 * A refused statement ends the server's transaction, where SQLite's
	 * fails alone and the caller goes on (to explain a constraint, to
	 * reject one order of a batch): a write runs under a savepoint.
	 */
	if (st->writes && pg->pq.transaction_status(pg->conn) == PQTRANS_INTRANS)
		return run_kept(st, values, n);
	rc = result(pg, pg->pq.exec_prepared(pg->conn, st->name, n, values, NULL, NULL, 0),
	    &st->res);
	if (rc == OMS_PG_DONE)
		st->nrows = pg->pq.ntuples(st->res);
	return rc;
}

int
oms_pg_vrun(struct oms_pg_stmt *st, const char *types, va_list ap)
{
	const char *values[MAX_PARAMS];
	char nums[MAX_PARAMS][24];
	const int64_t *ip;
	int i;

	for (i = 0; types[i] != '\0' && i < MAX_PARAMS; i++) {
		switch (types[i]) {
		case 'i':
			snprintf(nums[i], sizeof nums[i], "%" PRId64, va_arg(ap, int64_t));
			values[i] = nums[i];
			break;
		case 'I':
			snprintf(nums[i], sizeof nums[i], "%d", va_arg(ap, int));
			values[i] = nums[i];
			break;
		case 'j':
			ip = va_arg(ap, const int64_t *);
			if (ip != NULL)
				snprintf(nums[i], sizeof nums[i], "%" PRId64, *ip);
			values[i] = ip != NULL ? nums[i] : NULL;
			break;
		case 't':
			values[i] = va_arg(ap, const char *);
			break;
		default:
			abort();
		}
	}
	return run(st, types, values, i);
}

int
oms_pg_run_texts(struct oms_pg_stmt *st, const char *const *texts, size_t n)
{
	char types[MAX_PARAMS + 1];

	if (n > MAX_PARAMS) {
		set_error(st->pg, "too many parameters", NULL);
		return OMS_PG_ERROR;
	}
	memset(types, 't', n);
	types[n] = '\0';
	return run(st, types, texts, (int)n);
}

void
oms_pg_reset(struct oms_pg_stmt *st)
{
	if (st->res != NULL) {
		st->pg->pq.clear(st->res);
		st->res = NULL;
	}
	st->row = -1;
	st->nrows = 0;
}

int
oms_pg_last_id(struct oms_pg *pg, int64_t *id)
{
	PGresult *res = pg->pq.exec(pg->conn, "SELECT lastval()");
	int rc;

	*id = 0;
	if ((rc = result(pg, res, &res)) != OMS_PG_DONE)
		return rc;
	if (pg->pq.ntuples(res) == 1 && !pg->pq.getisnull(res, 0, 0))
		*id = strtoll(pg->pq.getvalue(res, 0, 0), NULL, 10);
	pg->pq.clear(res);
	return OMS_PG_DONE;
}

int
oms_pg_run(struct oms_pg_stmt *st, const char *types, ...)
{
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = oms_pg_vrun(st, types, ap);
	va_end(ap);
	return rc;
}

int
oms_pg_step(struct oms_pg_stmt *st)
{
	if (st->row + 1 >= st->nrows) {
		st->row = st->nrows;
		return OMS_PG_DONE;
	}
	st->row++;
	return OMS_PG_ROW;
}

static int
in_row(const struct oms_pg_stmt *st, int col)
{
	return st->res != NULL && st->row >= 0 && st->row < st->nrows && col >= 0;
}

int
oms_pg_is_null(const struct oms_pg_stmt *st, int col)
{
	return !in_row(st, col) || st->pg->pq.getisnull(st->res, st->row, col);
}

const char *
oms_pg_text(const struct oms_pg_stmt *st, int col)
{
	if (oms_pg_is_null(st, col))
		return NULL;
	return st->pg->pq.getvalue(st->res, st->row, col);
}

int64_t
oms_pg_int64(const struct oms_pg_stmt *st, int col)
{
	const char *v = oms_pg_text(st, col);

	if (v == NULL)
		return 0;
	/* Text form: booleans are t and f; a sum of bigints is numeric, and may end in .0. */
	if (v[0] == 't' && v[1] == '\0')
		return 1;
	if (v[0] == 'f' && v[1] == '\0')
		return 0;
	return strtoll(v, NULL, 10);
}

int64_t
oms_pg_changes(const struct oms_pg_stmt *st)
{
	const char *n;

	if (st->res == NULL)
		return 0;
	n = st->pg->pq.cmd_tuples(st->res);
	return n != NULL && *n != '\0' ? strtoll(n, NULL, 10) : 0;
}

int
oms_pg_exec_script(struct oms_pg *pg, const char *sql)
{
	return result(pg, pg->pq.exec(pg->conn, sql), NULL);
}

int
oms_pg_begin(struct oms_pg *pg, int write)
{
	char sql[96];
	int rc;

	if ((rc = oms_pg_exec_script(pg, "BEGIN")) != OMS_PG_DONE || !write)
		return rc;
	snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(%" PRId64 ")", WRITE_LOCK_KEY);
	if ((rc = oms_pg_exec_script(pg, sql)) != OMS_PG_DONE) {
		/* The lock's error is the one to tell: the rollback's result is not kept. */
		PGresult *res = pg->pq.exec(pg->conn, "ROLLBACK");

		if (res != NULL)
			pg->pq.clear(res);
	}
	return rc;
}

int
oms_pg_commit(struct oms_pg *pg)
{
	/*
	 * The server answers COMMIT of a transaction an error ended with a
	 * rollback and no error: what the caller took for done must not be
	 * lost without a word.
	 */
	if (pg->pq.transaction_status(pg->conn) == PQTRANS_INERROR) {
		oms_pg_rollback(pg);
		set_error(pg, "an earlier error in the transaction ended it: nothing was committed",
		    NULL);
		return OMS_PG_ERROR;
	}
	return oms_pg_exec_script(pg, "COMMIT");
}

int
oms_pg_rollback(struct oms_pg *pg)
{
	return oms_pg_exec_script(pg, "ROLLBACK");
}
