/*
 * filter.c: the filter protocol (oms(7)): order IDs in, the step applied in
 * batches of one transaction, the IDs that went through out after commit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <oms/config.h>
#include <oms/db.h>
#include <oms/diag.h>
#include <oms/filter.h>
#include <oms/ids.h>

#include "internal.h"

struct batch {
	struct oms *o;
	const struct oms_filter *f;
	int64_t *out;		/* IDs to print after commit */
	size_t nout, n, size;	/* n counts every order applied in the batch */
	size_t cap;		/* room in out */
	int status;		/* the exit status so far */
};

/* flush commits (or, dry, rolls back) the batch, then prints what went through. */
static int
flush(struct batch *b)
{
	size_t i;
	int rc;

	if (!b->o->in_tx)
		return OMS_OK;
	if (b->o->opts.dry_run)
		oms_rollback(b->o);
	else if ((rc = oms_commit(b->o)) != OMS_OK)
		return rc;
	else if (b->f->after_commit != NULL &&
	    (rc = b->f->after_commit(b->o, b->f->arg, b->out, &b->nout, &b->status)) != OMS_OK)
		return rc;
	for (i = 0; i < b->nout; i++)
		printf("%lld\n", (long long)b->out[i]);
	if (b->o->opts.verbose)
		oms_warnx("%s %zu orders, %zu passed on", b->o->opts.dry_run ? "rolled back" :
		    "committed", b->n, b->nout);
	b->nout = b->n = 0;
	return oms_flush_committed();
}

static int
apply(struct batch *b, int64_t id)
{
	enum oms_step r;
	int rc;

	if (b->f->readonly) {
		r = b->f->step(b->o, id, b->f->arg);
		if (r == OMS_STEP_REJECT)
			b->status = OMS_EINPUT;
		return r == OMS_STEP_FAIL ? OMS_ESYS : oms_flush();
	}
	if (!b->o->in_tx && (rc = oms_begin(b->o)) != OMS_OK)
		return rc;
	if (omsi_savepoint(b->o) != OMS_OK)
		return OMS_ESYS;
	r = b->f->step(b->o, id, b->f->arg);
	switch (r) {
	case OMS_STEP_DONE:
	case OMS_STEP_PASS:
		if (b->nout == b->cap) {
			int64_t *more = realloc(b->out, b->cap * 2 * sizeof *more);

			if (more == NULL) {
				oms_warnx("out of memory");
				return OMS_ESYS;
			}
			b->out = more;
			b->cap *= 2;
		}
		b->out[b->nout++] = id;
		/* FALLTHROUGH */
	case OMS_STEP_HELD:
		if (omsi_release(b->o) != OMS_OK)
			return OMS_ESYS;
		break;
	case OMS_STEP_REJECT:
		if (omsi_rollback_to(b->o) != OMS_OK)
			return OMS_ESYS;
		b->status = OMS_EINPUT;
		break;
	case OMS_STEP_FAIL:
		return OMS_ESYS;
	}
	if (++b->n == b->size || omsi_tx_overdue(b->o))
		return flush(b);
	return OMS_OK;
}

static int
run_ids(struct batch *b, const int64_t *ids, size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		if ((rc = apply(b, ids[i])) != OMS_OK)
			return rc;
	return flush(b);
}

static int
run_args(struct batch *b, char **args, int nargs)
{
	char shown[41];
	int64_t id;
	int i, rc;

	for (i = 0; i < nargs; i++) {
		if (oms_id_parse(args[i], &id) != 0) {
			oms_warnx("argument %d: not an order ID: \"%s\"", i + 1,
			    omsi_shown(args[i], shown, sizeof shown));
			b->status = OMS_EINPUT;
			continue;
		}
		if ((rc = apply(b, id)) != OMS_OK)
			return rc;
	}
	return flush(b);
}

static int
run_stdin(struct batch *b)
{
	struct oms_lines *r = oms_lines_open(STDIN_FILENO);
	size_t lineno = 0;
	char *line, *field, shown[41];
	int64_t id;
	int rc = OMS_OK, err, k;

	if (r == NULL)
		return OMS_ESYS;
	for (;;) {
		/* Commit what we have rather than wait on a slow producer. */
		if (b->n > 0 && !oms_lines_ready(r) && (rc = flush(b)) != OMS_OK)
			break;
		if ((line = oms_lines_next(r, &lineno, &err)) == NULL) {
			if (err == EOVERFLOW) {
				oms_warnx("stdin:%zu: line too long to be an order ID", lineno);
				b->status = OMS_EINPUT;
				continue;
			}
			if (err != 0) {
				oms_warnx("stdin:%zu: %s", lineno + 1, strerror(err));
				rc = OMS_ESYS;
			}
			break;
		}
		if ((k = oms_id_line(line, &id, &field)) == 0)
			continue;
		if (k < 0) {
			oms_warnx("stdin:%zu: not an order ID: \"%s\"", lineno,
			    omsi_shown(field, shown, sizeof shown));
			b->status = OMS_EINPUT;
			continue;
		}
		if ((rc = apply(b, id)) != OMS_OK)
			break;
	}
	oms_lines_close(r);
	if (rc == OMS_OK)
		rc = flush(b);
	return rc;
}

static int filter_run(struct oms *o, const struct oms_filter *f, char **args, int nargs,
    const int64_t *given, size_t ngiven);

int
oms_filter_run(struct oms *o, const struct oms_filter *f, char **args, int nargs)
{
	return filter_run(o, f, args, nargs, NULL, 0);
}

int
oms_filter_run_ids(struct oms *o, const struct oms_filter *f, const int64_t *ids, size_t n)
{
	return filter_run(o, f, NULL, 0, ids, n);
}

/* filter_run takes the IDs from given (ngiven of them), args, -a or stdin. */
static int
filter_run(struct oms *o, const struct oms_filter *f, char **args, int nargs,
    const int64_t *given, size_t ngiven)
{
	struct batch b = { .o = o, .f = f };
	int64_t *ids = NULL;
	size_t nids = 0;
	int rc;

	/*
	 * A step reads order after order all over the file: mapped, those
	 * reads cost no system call.  Not for one-off reads (show), where
	 * setting up the map costs more than it saves, and not for imports,
	 * whose resident memory must not grow with the file.  (Each order's
	 * savepoint keeps the pages it changes in a statement journal: in
	 * memory, in one piece, as oms_open configures it.)
	 */
	if (!f->readonly)
		oms_pipe_watch();
	if (!f->readonly && omsi_pragma(o, "PRAGMA mmap_size = 1073741824;") != OMS_OK)
		return OMS_ESYS;
	b.size = (size_t)atol(oms_config_str(o, "batch_size", "1000"));
	/*
	 * With -a, or a whole file read up front, nobody waits downstream for
	 * the first IDs: fewer, larger commits.
	 */
	if ((o->opts.all && nargs == 0) || given != NULL) {
		b.size *= 10;
		/*
		 * And pages enough to hold such a batch's changes: SQLite's
		 * default 2 MiB spills them to the WAL before the commit
		 * (import-tracking of 20k orders: 3.7 s, 3.0 s with 64 MiB).
		 * And the WAL copied back at 64 MiB, as oms-import does: each
		 * batch rewrites the same index pages (stock, waiting, the
		 * ledger's), and a checkpoint after each commit wrote them
		 * once a batch, with a sync (oms-backorder -a of 200k orders:
		 * 12% fewer writes, half the syncs).
		 */
		if (!f->readonly && omsi_pragma(o, "PRAGMA cache_size = -65536;"
		    " PRAGMA wal_autocheckpoint = 16384") != OMS_OK)
			return OMS_ESYS;
	}
	if (f->batch != 0)
		b.size = f->batch;
	b.cap = b.size < 4096 ? b.size : 4096;
	if ((b.out = omsi_calloc(b.cap, sizeof *b.out)) == NULL)
		return OMS_ESYS;
	if (given != NULL) {
		rc = run_ids(&b, given, ngiven);
	} else if (nargs > 0) {
		rc = run_args(&b, args, nargs);
	} else if (o->opts.all) {
		if (f->select_all == NULL) {
			oms_warnx("--all is not supported here");
			rc = OMS_EUSAGE;
		} else if ((rc = f->select_all(o, &ids, &nids, f->arg)) == OMS_OK) {
			rc = run_ids(&b, ids, nids);
		}
	} else {
		rc = run_stdin(&b);
	}
	if (o->in_tx)
		oms_rollback(o);
	free(ids);
	free(b.out);
	return rc != OMS_OK ? rc : b.status;
}
