/* import.h: orders from files and feeds, each added exactly once. */
#ifndef OMS_IMPORT_H
#define OMS_IMPORT_H

#include <stddef.h>
#include <stdio.h>

struct oms;
struct oms_doc;

/*
 * One import run.  Format readers turn their input into order documents
 * and hand each to oms_import_order, which adds it once: an order already
 * imported with the same content is passed on, one re-sent with other
 * content is reported and left as it was.  IDs are printed after each
 * batch commits.
 */
struct oms_import;

/*
 * oms_import_begin starts a run.  strict: the whole input or nothing (one
 * transaction; the first rejection dooms it).  NULL when out of memory or
 * the database fails (reported).
 */
struct oms_import *oms_import_begin(struct oms *o, int strict);

/*
 * oms_import_order takes one order a reader has parsed (the document it
 * began at, d->line, in file).  The document is the caller's to free.
 * Returns OMS_OK (added or already there), OMS_EINPUT (rejected and
 * reported, the run goes on), or OMS_ESYS (stop: the run is over).
 */
int oms_import_order(struct oms_import *imp, const struct oms_doc *d, const char *file);

/*
 * oms_import_reject reports an order a reader could not make sense of,
 * as "FILE:LINE: WHAT" ("FILE: WHAT" for line 0, the message alone for
 * file NULL), and counts it against the exit status.
 */
void oms_import_reject(struct oms_import *imp, const char *file, size_t line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* oms_import_progress notes how far a reader is, for the progress line. */
void oms_import_progress(struct oms_import *imp, const char *file, size_t line);

/*
 * oms_import_end commits what is left (or, strict and rejected, rolls it all
 * back), prints the IDs and frees the run.  Returns the exit status; status
 * is what the caller has seen so far (OMS_ESYS aborts whatever is open).
 */
int oms_import_end(struct oms_import *imp, int status);

/*
 * oms_import_file imports one file ("-" for stdin) in format, or in the
 * format its first bytes show when format is NULL; ack, for X12, receives
 * the 997.  Returns OMS_OK or the status that stopped it.
 */
int oms_import_file(struct oms_import *imp, struct oms *o, const char *path,
    const char *format, FILE *ack);

/* The readers, one per format; each returns OMS_OK or the status that stopped it. */
int oms_import_yaml(struct oms_import *imp, FILE *f, const char *name);
int oms_import_json(struct oms_import *imp, FILE *f, const char *name);

/*
 * oms_import_csv reads delimited rows in format: "csv" (oms's own),
 * "shopify", "woocommerce", "amazon", or a layout named in oms.yaml.
 */
int oms_import_csv(struct oms_import *imp, struct oms *o, FILE *f, const char *name,
    const char *format);

#endif
