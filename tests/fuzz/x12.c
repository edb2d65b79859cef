/*
 * x12.c: libFuzzer harness for the X12 reader.  Each input is read as an
 * interchange and imported, with its 997, into a scratch database opened
 * once in dry-run mode, so nothing is ever kept and every input meets the
 * same empty database.  The reader must neither crash nor grow without
 * bound, whatever the bytes.
 *
 *   clang -fsanitize=fuzzer,address -Iinclude -Ilib tests/fuzz/x12.c \
 *       build/lib/libomscore.a $(pkg-config --libs sqlite3 yaml-0.1 jansson libcurl)
 *   ./a.out -close_fd_mask=3 tests/fuzz/corpus/x12
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <oms/import.h>
#include <oms/oms.h>
#include <oms/x12.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The scratch database's file, removed at exit. */
static char db_path[] = "/tmp/oms-fuzz-x12.XXXXXX";

/* remove_db removes the scratch database and what SQLite put beside it. */
static void
remove_db(void)
{
	char side[sizeof db_path + 8];

	unlink(db_path);
	snprintf(side, sizeof side, "%s-wal", db_path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db_path);
	unlink(side);
}

/*
 * open_once opens the database on the first call.  libFuzzer's entry point
 * takes no context, so the handle lives for the process.
 */
static struct oms *
open_once(void)
{
	static struct oms *o;
	struct oms_opts opts = { 0 };
	int fd;

	if (o != NULL)
		return o;
	if ((fd = mkstemp(db_path)) < 0) {
		perror("mkstemp");
		abort();
	}
	close(fd);
	atexit(remove_db);
	/* The IDs an import prints are of no interest, and -close_fd_mask may have closed stdout. */
	if (freopen("/dev/null", "w", stdout) == NULL)
		abort();
	opts.db_path = db_path;
	opts.quiet = 1;
	/* Made as oms-db init makes it (a dry run neither creates nor migrates), then read dry. */
	opts.create = 1;
	if (oms_open(&o, &opts) != OMS_OK)
		abort();
	oms_close(o);
	opts.create = 0;
	opts.dry_run = 1;
	if (oms_open(&o, &opts) != OMS_OK)
		abort();
	return o;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oms *o = open_once();
	struct oms_import *imp;
	char *ackbuf = NULL;
	size_t acklen = 0;
	FILE *f, *ack;
	int rc;

	/* fmemopen of nothing fails; an empty input is still worth reading. */
	if ((f = fmemopen(size ? (void *)data : (void *)"", size, "r")) == NULL)
		abort();
	if ((ack = open_memstream(&ackbuf, &acklen)) == NULL)
		abort();
	if ((imp = oms_import_begin(o, 0)) == NULL)
		abort();
	rc = oms_import_x12(imp, o, f, "fuzz", ack);
	/* A database error here is a bug of ours, not of the input. */
	if (oms_import_end(imp, rc) == OMS_ESYS)
		abort();
	fclose(f);
	fclose(ack);
	/* What the 997 says is bounded by what came in: a few dozen bytes per segment at most. */
	if (acklen > 4096 + 64 * (size_t)size)
		abort();
	free(ackbuf);
	return 0;
}
