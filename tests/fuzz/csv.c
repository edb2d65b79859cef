/* Fuzz harness: the CSV-family readers (oms's own, Shopify, WooCommerce, Amazon). */
#include "harness.h"

static int
read_csv(struct oms_import *imp, struct oms *o, FILE *f, const char *name, const void *fmt)
{
	return oms_import_csv(imp, o, f, name, fmt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const formats[] = { "csv", "shopify", "woocommerce", "amazon" };

	/* The first byte picks the layout, so one corpus reaches all four. */
	if (size == 0)
		return 0;
	return fuzz_run(data + 1, size - 1, read_csv, formats[data[0] % 4]);
}
