/* db.h: transactions and the schema version. */
#ifndef OMS_DB_H
#define OMS_DB_H

#include <oms/oms.h>

/* The schema version this build writes (PRAGMA user_version). */
int oms_db_schema_version(void);

/*
 * oms_begin starts a write transaction (BEGIN IMMEDIATE: a writer waits for
 * the lock up front instead of failing later on SQLITE_BUSY).
 */
int oms_begin(struct oms *o);

/* oms_commit commits; on failure the transaction is rolled back. */
int oms_commit(struct oms *o);

/* oms_rollback rolls back the open transaction, if any. */
void oms_rollback(struct oms *o);

/*
 * oms_db_share gives the open database and its -wal and -shm files to the
 * Unix group named (mode 0660), so that the group's members may all write
 * it (oms-db(1), SHARING).  OMS_OK, OMS_EUSAGE for an unknown group, or
 * OMS_ESYS (reported).
 */
int oms_db_share(struct oms *o, const char *group);

#endif
