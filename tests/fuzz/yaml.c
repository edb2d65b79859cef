/* Fuzz harness: order documents in YAML. */
#include "harness.h"

static int
read_yaml(struct oms_import *imp, struct oms *o, FILE *f, const char *name, const void *arg)
{
	return oms_import_yaml(imp, f, name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_run(data, size, read_yaml, NULL);
}
