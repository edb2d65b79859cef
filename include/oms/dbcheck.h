/* dbcheck.h: the database as a whole: its integrity checked, backed up, described. */
#ifndef OMS_DBCHECK_H
#define OMS_DBCHECK_H

#include <stdio.h>

#include <oms/oms.h>

/*
 * oms_db_check checks SQLite's integrity and foreign keys, then every
 * invariant of the data (oms-db(1), CHECKS), in one read transaction, and
 * writes one problem per line on out (text), or one row per problem with
 * the columns kind, order, sku, payment and message (csv, tsv, json).
 * Payments pending longer than pending_hours are problems too.  *nproblems
 * counts them.  OMS_OK when there were none, OMS_EINPUT when there were,
 * OMS_ESYS when the database could not be read (reported).
 */
int oms_db_check(struct oms *o, long pending_hours, enum oms_format f, FILE *out,
    long *nproblems);

/*
 * oms_db_backup copies the open database to path with SQLite's online
 * backup, from one read snapshot, so that writers go on meanwhile.  The
 * copy is written to a new file mode 0600 in path's directory, checked with
 * PRAGMA integrity_check, and only then renamed to path: a failed backup
 * leaves no partial copy and path as it was.  Refuses path when it is the
 * database or its -wal, -shm or -journal file (OMS_EUSAGE).  OMS_OK, or
 * OMS_EUSAGE / OMS_ESYS (reported).
 */
int oms_db_backup(struct oms *o, const char *path);

/*
 * oms_db_info writes what an operator wants at a glance: the files and
 * their sizes, the schema, counts of orders by status, of held orders by
 * reason, of pending payments, stock and activity.  As "name: value"
 * lines (text) or one JSON object (json; other formats are refused by the
 * caller).
 */
int oms_db_info(struct oms *o, enum oms_format f, FILE *out);

#endif
