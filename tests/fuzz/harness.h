/*
 * harness.h: what every import fuzz harness shares: one scratch database,
 * made once as oms-db init makes it and then opened in dry-run mode, so
 * that each input's work is rolled back and every input meets the same
 * empty database,
 * and a run of one reader over the bytes.  scripts/fuzz runs them with
 * -close_fd_mask=3: the readers' messages are not what is being tested.
 */
#ifndef OMS_FUZZ_HARNESS_H
#define OMS_FUZZ_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <oms/import.h>
#include <oms/oms.h>

static char fuzz_path[] = "/tmp/oms-fuzz-XXXXXX";

/* fuzz_cleanup removes the scratch database and its WAL files at exit. */
static void
fuzz_cleanup(void)
{
	char p[sizeof fuzz_path + 8];

	unlink(fuzz_path);
	snprintf(p, sizeof p, "%s-wal", fuzz_path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", fuzz_path);
	unlink(p);
}

static struct oms *
fuzz_db(void)
{
	static struct oms *o;
	char *path = fuzz_path;
	struct oms_opts opts = { 0 };
	int fd;

	if (o != NULL)
		return o;
	if ((fd = mkstemp(path)) < 0)
		abort();
	close(fd);
	atexit(fuzz_cleanup);
	/* The IDs an import prints are of no interest, and -close_fd_mask may have closed stdout. */
	if (freopen("/dev/null", "w", stdout) == NULL)
		abort();
	opts.db_path = path;
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

/* fuzz_run feeds the bytes to one reader inside an import that keeps nothing. */
static inline int
fuzz_run(const uint8_t *data, size_t size,
    int (*reader)(struct oms_import *, struct oms *, FILE *, const char *, const void *),
    const void *arg)
{
	struct oms *o = fuzz_db();
	struct oms_import *imp;
	FILE *f;
	int rc;

	if ((f = fmemopen(size ? (void *)data : (void *)"", size, "r")) == NULL)
		return 0;
	if ((imp = oms_import_begin(o, 0)) == NULL)
		abort();
	rc = reader(imp, o, f, "fuzz", arg);
	oms_import_end(imp, rc == OMS_EINPUT ? OMS_OK : rc);
	fclose(f);
	return 0;
}

#endif
