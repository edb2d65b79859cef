/*
 * import.c: the part of every import that is not about a format: exactly
 * once, atomic per order (or per input under --strict), batches of one
 * transaction, IDs out after commit, a progress line on a terminal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include <oms/config.h>
#include <oms/db.h>
#include <oms/diag.h>
#include <oms/doc.h>
#include <oms/import.h>
#include <oms/node.h>
#include <oms/order.h>
#include <oms/woo.h>
#include <oms/x12.h>

#include "internal.h"

struct oms_import {
	struct oms *o;
	int strict;
	int status;		/* OMS_EINPUT once anything was rejected */
	size_t batch;		/* orders per transaction */
	int64_t *ids;		/* passed on in this batch, printed after commit */
	size_t nids;
	size_t added, existing, rejected;
	int progress;		/* stderr is a terminal */
	time_t shown;		/* when the progress line was last drawn */
	int64_t first_new;	/* orders from this ID on were added by this run (or a concurrent one) */
	int resent;		/* the last order was there already: look the next one up first */
};

struct oms_import *
oms_import_begin(struct oms *o, int strict)
{
	struct oms_import *imp = omsi_calloc(1, sizeof *imp);
	struct omsi_stmt *st;

	if (imp == NULL)
		return NULL;
	imp->o = o;
	imp->strict = strict;
	/* Bigger batches than the pipeline steps: an import is one producer reading a file. */
	imp->batch = (size_t)atol(oms_config_str(o, "import.batch_size", "5000"));
	imp->progress = oms_isatty_err() && !o->opts.quiet;
	oms_pipe_watch();
	/*
	 * Lines land in indexes keyed by SKU, all over them: a page cache of a
	 * fixed 16 MiB keeps those pages at hand.  Fixed, so memory does not
	 * grow with the input.  And the WAL is copied back into the database
	 * when it reaches 64 MiB (journal_size_limit), not 4 MiB: every batch
	 * rewrites the same index pages (e-mail, phone), and a checkpoint after
	 * each commit wrote each of them to the database once a batch, with a
	 * sync; now once in several.  What a commit syncs is unchanged.
	 */
	if (omsi_pragma(o, "PRAGMA cache_size = -16384; PRAGMA wal_autocheckpoint = 16384")
	    != OMS_OK) {
		free(imp);
		return NULL;
	}
	if ((imp->ids = omsi_calloc(imp->batch, sizeof *imp->ids)) == NULL ||
	    (st = omsi_stmt(o, "SELECT coalesce(max(id), 0) FROM orders", "")) == NULL ||
	    omsi_step(o, st) != OMSI_ROW) {
		free(imp->ids);
		free(imp);
		return NULL;
	}
	imp->first_new = omsi_col_int64(st, 0) + 1;
	omsi_reset(st);
	return imp;
}

/* commit ends the batch and prints what it passed on. */
static int
commit(struct oms_import *imp)
{
	size_t i;
	int rc;

	if (!imp->o->in_tx)
		return OMS_OK;
	if (imp->o->opts.dry_run)
		oms_rollback(imp->o);
	else if ((rc = oms_commit(imp->o)) != OMS_OK)
		return rc;
	for (i = 0; i < imp->nids; i++)
		printf("%lld\n", (long long)imp->ids[i]);
	imp->nids = 0;
	return oms_flush_committed();
}

void
oms_import_progress(struct oms_import *imp, const char *file, size_t line)
{
	time_t now;

	if (!imp->progress || (now = time(NULL)) == imp->shown)
		return;
	imp->shown = now;
	fprintf(stderr, "\r%s: %s:%zu: %zu added, %zu already there, %zu rejected",
	    program_invocation_short_name, file, line, imp->added, imp->existing, imp->rejected);
}

/* reported says a message that already says where ("FILE:LINE: WHAT"). */
static void
reported(struct oms_import *imp, const char *msg)
{
	if (imp->progress && imp->shown)
		fputc('\n', stderr);
	imp->shown = 0;
	oms_warnx("%s", msg);
	imp->status = OMS_EINPUT;
}

static void
rejected(struct oms_import *imp, const char *msg)
{
	reported(imp, msg);
	imp->rejected++;
}

static void
vreject(struct oms_import *imp, int count, const char *file, size_t line, const char *fmt,
    va_list ap)
{
	char msg[1024], full[1200];

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (file == NULL)
		snprintf(full, sizeof full, "%s", msg);
	else if (line > 0)
		snprintf(full, sizeof full, "%s:%zu: %s", file, line, msg);
	else
		snprintf(full, sizeof full, "%s: %s", file, msg);
	if (count)
		rejected(imp, full);
	else
		reported(imp, full);
}

void
oms_import_reject(struct oms_import *imp, const char *file, size_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreject(imp, 1, file, line, fmt, ap);
	va_end(ap);
}

void
omsi_import_reject_more(struct oms_import *imp, const char *file, size_t line,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreject(imp, 0, file, line, fmt, ap);
	va_end(ap);
}

/* pass_on queues an order's ID, committing when the batch is full. */
static int
pass_on(struct oms_import *imp, int64_t id)
{
	imp->ids[imp->nids++] = id;
	if (!imp->strict && (imp->nids == imp->batch || omsi_tx_overdue(imp->o)))
		return commit(imp);
	return OMS_OK;
}

/*
 * added_from tells whether an order this run added came from file, by its
 * history ("from FILE:LINE"): 0 with the line when it did, 1 when it did not
 * (a concurrent import added it), -1 on a database error.
 */
/*
 * input_name is how much of where (an order's place in its input, as the
 * readers name it) names the input itself: "FILE" of "FILE: order N", as
 * the JSON reader names an order it has no line for; all of it otherwise.
 */
static size_t
input_name(const char *where)
{
	const char *p = strstr(where, ": order ");

	if (p != NULL && p[8] != '\0' && strspn(p + 8, "0123456789") == strlen(p + 8))
		return (size_t)(p - where);
	return strlen(where);
}

/*
 * added_from says whether order id was added from the input at where,
 * as its "created" event tells: 0, with where in it (*at: "line 2",
 * "order 1"), when it was; 1 when not; -1 on error (reported).
 */
static int
added_from(struct oms_import *imp, int64_t id, const char *where, char *at, size_t atlen)
{
	struct omsi_stmt *st = omsi_stmt(imp->o, "SELECT detail FROM events WHERE order_id = ?"
	    " AND what = 'created'", "i", id);
	const char *detail, *rest;
	size_t n = input_name(where);
	int rc;

	if (st == NULL || (rc = omsi_step(imp->o, st)) < 0)
		return -1;
	rc = 1;
	if ((detail = omsi_text(st, 0)) != NULL && strncmp(detail, "from ", 5) == 0 &&
	    strncmp(detail + 5, where, n) == 0) {
		rest = detail + 5 + n;
		if (rest[0] == ':' && rest[1] >= '0' && rest[1] <= '9') {
			snprintf(at, atlen, "at line %llu", strtoull(rest + 1, NULL, 10));
			rc = 0;
		} else if (strncmp(rest, ": order ", 8) == 0) {
			snprintf(at, atlen, "as order %llu", strtoull(rest + 8, NULL, 10));
			rc = 0;
		}
	}
	omsi_reset(st);
	return rc;
}

/*
 * changed_at_source says so when an order imported before, open here, comes
 * again cancelled, refunded or fulfilled at its source: cancelling it here
 * is a person's call (it may be on a pick list, its payment to settle), so
 * it is named, not changed.  *said: it was named, or is held already for a
 * person to look at; either way not passed on.
 */
static int
changed_at_source(struct oms_import *imp, int64_t id, const struct oms_doc *d, const char *file,
    int *said)
{
	enum oms_status s;
	char at[32] = "";
	int rc;

	*said = 0;
	if ((rc = oms_order_status(imp->o, id, &s, NULL)) != OMS_OK)
		return rc == OMS_EINPUT ? OMS_OK : OMS_ESYS;
	/* Shipped here and confirmed to the store, its export says fulfilled: all is well. */
	if (s == OMS_CANCELLED || (d->cancelled == NULL && s == OMS_SHIPPED))
		return OMS_OK;
	*said = 1;
	/* Held, a person has it in hand already (one that came in fulfilled is). */
	if (d->cancelled == NULL && s == OMS_HOLD)
		return OMS_OK;
	if (d->line > 0)
		snprintf(at, sizeof at, ":%d", d->line);
	if (imp->progress && imp->shown)
		fputc('\n', stderr);
	imp->shown = 0;
	oms_warnx("%s%s: order %s: %s since it was imported (order %lld, %s): %s with"
	    " oms-order cancel %lld", file, at, d->external_id, d->cancelled ? d->cancelled :
	    d->fulfilled, (long long)id, oms_status_name(s), d->cancelled ? "cancel it" :
	    "if it shipped from elsewhere, cancel it", (long long)id);
	return OMS_OK;
}

/*
 * known_order takes an order that is in the database already, as order id
 * with content hash had: sent again, as it was or with what oms reads of
 * it now, passed on; with other content, or twice in this input, refused.
 */
static int
known_order(struct oms_import *imp, const struct oms_doc *d, const char *file, int64_t id,
    const char *had)
{
	struct oms *o = imp->o;
	char hash[OMS_DOC_HASH_MAX], pre[OMS_DOC_HASH_MAX], first[48];
	int rc, said;

	if (id >= imp->first_new && (rc = added_from(imp, id, file, first, sizeof first)) <= 0) {
		if (rc < 0)
			return OMS_ESYS;
		/* The same order twice in one input is a broken export, not a re-send. */
		oms_import_reject(imp, file, (size_t)d->line, "order %s appears twice in this input"
		    " (first %s)", d->external_id, first);
		return OMS_EINPUT;
	}
	oms_doc_hash(d, hash);
	omsi_doc_hash_before_cart_lines(d, pre);
	if (strcmp(hash, had) != 0 && strcmp(pre, had) == 0) {
		/*
		 * Imported before oms read which lines need no shipping: the
		 * same order.  It keeps its lines as they were (they may be
		 * reserved); it takes the hash, so as to be known next time.
		 */
		if (omsi_exec(o, "UPDATE orders SET content_hash = ? WHERE id = ?", "ti", hash, id)
		    != OMS_OK)
			return OMS_ESYS;
	} else if (strcmp(hash, had) != 0) {
		char bare[OMS_DOC_HASH_MAX], detail[300];

		/*
		 * Imported before oms kept the sources' line IDs, it is the
		 * same order: it takes them now, for its confirmations.
		 */
		omsi_doc_hash_before_line_ids(d, bare);
		if (strcmp(bare, had) != 0) {
			oms_import_reject(imp, file, (size_t)d->line, "order %s from %s was"
			    " imported before with other content (order %lld); left as it was",
			    d->external_id, d->source, (long long)id);
			return OMS_EINPUT;
		}
		if (d->line > 0)
			snprintf(detail, sizeof detail, "from %s:%d", file, d->line);
		else
			snprintf(detail, sizeof detail, "from %s", file);
		if (omsi_order_take_line_ids(o, id, d, detail) != OMS_OK)
			return OMS_ESYS;
	}
	imp->existing++;
	/* Cancelled or shipped at the source: not passed on, for a person to look at. */
	if (d->cancelled != NULL)
		return changed_at_source(imp, id, d, file, &said);
	if (d->fulfilled != NULL && ((rc = changed_at_source(imp, id, d, file, &said)) !=
	    OMS_OK || said))
		return rc;
	return pass_on(imp, id);
}

int
oms_import_order(struct oms_import *imp, const struct oms_doc *d, const char *file)
{
	struct oms *o = imp->o;
	char had[OMS_DOC_HASH_MAX], msg[1024];
	int64_t id;
	int rc, found;

	if (imp->strict && imp->status != OMS_OK)
		return OMS_EINPUT;	/* doomed: nothing will be kept, so stop adding */
	if (d->external_id == NULL) {
		oms_import_reject(imp, file, (size_t)d->line, "the order has no order number");
		return OMS_EINPUT;
	}
	if (!o->in_tx && (rc = oms_begin(o)) != OMS_OK)
		return rc;
	if (imp->strict && imp->nids == imp->batch) {
		int64_t *more = realloc(imp->ids, imp->batch * 2 * sizeof *more);

		if (more == NULL) {
			oms_warnx("out of memory");
			return OMS_ESYS;
		}
		imp->ids = more;
		imp->batch *= 2;
	}
	/*
	 * An input's orders come in runs: all new, or a file sent again.  In a
	 * run of new ones the unique key's own lookup, in oms_order_add, tells
	 * that an order is there already, and a lookup of its own would cost
	 * each of them; in a file sent again, looking first spares each order
	 * what oms_order_add does before its insert.  So the last order says
	 * which comes first.
	 */
	if (imp->resent) {
		if ((found = oms_order_find(o, d->source, d->external_id, &id, had)) < 0)
			return OMS_ESYS;
		if (found)
			return known_order(imp, d, file, id, had);
	}
	/*
	 * Carts sell what they sell: unknown SKUs and lines without one come
	 * in flagged, for allocation to hold, and an order with nowhere to
	 * ship to comes in held.  No savepoint is needed: oms_order_add
	 * refuses before it writes anything, and after that only the
	 * database fails.  An order already there goes to known_order, also
	 * when this copy of it would not pass as a new one.
	 */
	rc = oms_order_add(o, d, OMS_ADD_ALLOW_UNKNOWN_SKU | OMS_ADD_IF_NEW |
	    OMS_ADD_HOLD_NO_ADDRESS, &id, file, msg, sizeof msg);
	if (rc == OMS_ESYS)
		return OMS_ESYS;
	if ((rc == OMS_EINPUT || id == 0) && !imp->resent) {
		if ((found = oms_order_find(o, d->source, d->external_id, &id, had)) < 0)
			return OMS_ESYS;
		if (found) {
			imp->resent = 1;
			return known_order(imp, d, file, id, had);
		}
	}
	if (rc == OMS_EINPUT) {
		rejected(imp, msg);
		return OMS_EINPUT;
	}
	if (id == 0) {
		oms_warnx("order %s from %s: neither added nor found", d->external_id, d->source);
		return OMS_ESYS;
	}
	imp->resent = 0;
	imp->added++;
	if (d->cancelled != NULL)
		return !imp->strict && omsi_tx_overdue(o) ? commit(imp) : OMS_OK;
	return pass_on(imp, id);
}

int
oms_import_end(struct oms_import *imp, int status)
{
	int rc = OMS_OK;

	if (imp->progress && imp->shown)
		fputc('\n', stderr);
	if (status == OMS_ESYS || (imp->strict && imp->status != OMS_OK)) {
		oms_rollback(imp->o);
		if (imp->strict && imp->status != OMS_OK && status != OMS_ESYS)
			oms_warnx("--strict: nothing imported");
	} else {
		rc = commit(imp);
	}
	if (imp->o->opts.verbose)
		oms_warnx("%zu added, %zu already there, %zu rejected", imp->added, imp->existing,
		    imp->rejected);
	if (rc == OMS_OK)
		rc = status != OMS_OK ? status : imp->status;
	free(imp->ids);
	free(imp);
	return rc;
}

int
oms_import_yaml(struct oms_import *imp, FILE *f, const char *name)
{
	struct oms_yaml *y = oms_yaml_open(f, name);
	struct oms_node *n;
	struct oms_doc d;
	char msg[1024];
	int r, rc = OMS_OK;

	if (y == NULL)
		return OMS_ESYS;
	while (rc != OMS_ESYS && (r = oms_yaml_next(y, &n, msg, sizeof msg)) > 0) {
		if (!oms_node_is_null(n)) {
			if (oms_doc_from_node(n, &d, name, "yaml", oms_config_currency(imp->o), msg,
			    sizeof msg) != 0) {
				rejected(imp, msg);
			} else {
				rc = oms_import_order(imp, &d, name);
				oms_doc_free(&d);
			}
			oms_import_progress(imp, name, (size_t)n->line);
		}
		oms_node_free(n);
	}
	if (rc != OMS_ESYS && r < 0) {
		/* After a YAML syntax error the rest of the stream cannot be trusted. */
		rejected(imp, msg);
	}
	oms_yaml_close(y);
	return rc == OMS_ESYS ? rc : OMS_OK;
}

/* A stream that gives back the bytes read to tell the format, then the rest. */
struct peeked {
	FILE *f;
	char head[4096];
	size_t n, pos;
};

static ssize_t
peeked_read(void *cookie, char *buf, size_t size)
{
	struct peeked *p = cookie;
	size_t k;

	if (p->pos < p->n) {
		k = p->n - p->pos < size ? p->n - p->pos : size;
		memcpy(buf, p->head + p->pos, k);
		p->pos += k;
		return (ssize_t)k;
	}
	k = fread(buf, 1, size, p->f);
	return k == 0 && ferror(p->f) ? -1 : (ssize_t)k;
}

static int
peeked_close(void *cookie)
{
	struct peeked *p = cookie;
	int rc = p->f == stdin ? 0 : fclose(p->f);

	free(p);
	return rc;
}

/* first_line copies the header line of head, for telling CSV layouts apart. */
static void
first_line(const char *head, size_t n, char *line, size_t len)
{
	size_t k = strcspn(head, "\r\n");

	if (k > n)
		k = n;
	if (k >= len)
		k = len - 1;
	memcpy(line, head, k);
	line[k] = '\0';
}

/* has_all says whether a header line names every column of a custom layout. */
static int
has_all(const char *line, const struct oms_node *cols)
{
	size_t i;

	if (cols == NULL || cols->kind != OMS_NODE_MAP || cols->nkids == 0)
		return 0;
	for (i = 1; i < cols->nkids; i += 2)
		if (strstr(line, cols->kids[i]->value) == NULL)
			return 0;
	return 1;
}

/* detect names the format that the first bytes of an input show, or NULL. */
static const char *
detect(struct oms *o, const char *head, size_t n)
{
	const struct oms_node *fmts = oms_config_node(o, "import.formats");
	const char *p = head;
	char line[4096];
	size_t i;

	if (n >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	/* Blank lines and indentation before an interchange are not data (X12 reads past them). */
	p += strspn(p, " \t\r\n");
	if (strncmp(p, "ISA", 3) == 0)
		return "x12";
	if (*p == '{' || *p == '[')
		return strstr(head, "\"line_items\"") != NULL ? "woocommerce" : "json";
	if (strncmp(p, "---", 3) == 0 || strncmp(p, "%YAML", 5) == 0)
		return "yaml";
	first_line(p, n - (size_t)(p - head), line, sizeof line);
	if (strstr(line, "Lineitem sku") || strstr(line, "Lineitem quantity"))
		return "shopify";
	if (strstr(line, "order-id") && strchr(line, '\t'))
		return "amazon";
	if ((strstr(line, "Order Number") || strstr(line, "Order ID")) &&
	    (strstr(line, "(Shipping)") || strstr(line, "Item Cost")))
		return "woocommerce";
	if (strstr(line, "order_id") && strstr(line, "sku"))
		return "csv";
	for (i = 0; fmts != NULL && fmts->kind == OMS_NODE_MAP && i + 1 < fmts->nkids; i += 2)
		if (has_all(line, oms_node_get(fmts->kids[i + 1], "columns")))
			return fmts->kids[i]->value;
	/* A YAML document without "---" starts with a key. */
	if (strspn(line, "abcdefghijklmnopqrstuvwxyz_") > 0 &&
	    line[strspn(line, "abcdefghijklmnopqrstuvwxyz_")] == ':')
		return "yaml";
	return NULL;
}

int
oms_import_file(struct oms_import *imp, struct oms *o, const char *path, const char *format,
    FILE *ack)
{
	cookie_io_functions_t io = { .read = peeked_read, .close = peeked_close };
	const char *name = strcmp(path, "-") == 0 ? "stdin" : path;
	struct peeked *p;
	const char *s;
	FILE *f;
	int rc;

	if ((p = omsi_calloc(1, sizeof *p)) == NULL)
		return OMS_ESYS;
	if (strcmp(path, "-") == 0) {
		p->f = stdin;
	} else if ((p->f = fopen(path, "r")) == NULL) {
		oms_import_reject(imp, name, 0, "%s", strerror(errno));
		free(p);
		return OMS_EINPUT;
	}
	p->n = fread(p->head, 1, sizeof p->head - 1, p->f);
	if (ferror(p->f)) {
		oms_import_reject(imp, name, 0, "%s", strerror(errno));
		peeked_close(p);
		return OMS_EINPUT;
	}
	if (format == NULL && (format = detect(o, p->head, p->n)) == NULL) {
		oms_import_reject(imp, name, 0, p->n == 0 ? "empty input" :
		    "cannot tell the format from the first line; name it with -f");
		peeked_close(p);
		return OMS_EINPUT;
	}
	if ((f = fopencookie(p, "r", io)) == NULL) {
		oms_warnx("%s: %s", name, strerror(errno));
		peeked_close(p);
		return OMS_ESYS;
	}
	s = p->head + strspn(p->head, " \t\r\n");
	if (strcmp(format, "x12") == 0)
		rc = oms_import_x12(imp, o, f, name, ack);
	else if (strcmp(format, "yaml") == 0)
		rc = oms_import_yaml(imp, f, name);
	else if (strcmp(format, "json") == 0)
		rc = oms_import_json(imp, f, name);
	else if (strcmp(format, "woocommerce") == 0 && (*s == '{' || *s == '['))
		rc = oms_import_woo_json(imp, f, name);
	else
		rc = oms_import_csv(imp, o, f, name, format);
	if (fclose(f) != 0 && rc == OMS_OK) {
		oms_warnx("%s: %s", name, strerror(errno));
		rc = OMS_ESYS;
	}
	return rc;
}

int
oms_import_json(struct oms_import *imp, FILE *f, const char *name)
{
	json_error_t jerr;
	json_t *root, *one;
	struct oms_node *n;
	struct oms_doc d;
	char msg[1024], where[300];
	size_t i, count;
	int rc = OMS_OK;

	if ((root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
		oms_import_reject(imp, name, (size_t)(jerr.line > 0 ? jerr.line : 0), "%s",
		    jerr.text);
		return OMS_EINPUT;
	}
	count = json_is_array(root) ? json_array_size(root) : 1;
	for (i = 0; i < count && rc != OMS_ESYS; i++) {
		one = json_is_array(root) ? json_array_get(root, i) : root;
		snprintf(where, sizeof where, "%s: order %zu", name, i + 1);
		if ((n = oms_node_from_json(one, msg, sizeof msg)) == NULL) {
			oms_import_reject(imp, where, 0, "%s", msg);
			continue;
		}
		if (oms_doc_from_node(n, &d, where, "json", oms_config_currency(imp->o), msg,
		    sizeof msg) != 0) {
			rejected(imp, msg);
		} else {
			rc = oms_import_order(imp, &d, where);
			oms_doc_free(&d);
		}
		oms_node_free(n);
	}
	json_decref(root);
	return rc == OMS_ESYS ? rc : OMS_OK;
}
