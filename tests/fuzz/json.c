/* Fuzz harness: order documents in JSON. */
#include "harness.h"

static int
read_json(struct oms_import *imp, struct oms *o, FILE *f, const char *name, const void *arg)
{
	return oms_import_json(imp, f, name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_run(data, size, read_json, NULL);
}
