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
#include "harness.h"

#include <oms/x12.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oms *o = fuzz_db();
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
