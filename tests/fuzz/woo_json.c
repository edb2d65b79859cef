/* Fuzz harness: WooCommerce REST API order JSON (oms-import -f woocommerce FILE.json). */
#include <oms/woo.h>

#include "harness.h"

/* read_woo runs the WooCommerce JSON reader, as fuzz_run wants a reader. */
static int
read_woo(struct oms_import *imp, struct oms *o, FILE *f, const char *name, const void *arg)
{
	return oms_import_woo_json(imp, f, name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_run(data, size, read_woo, NULL);
}
