/* Fuzz harness: edit documents (oms-order edit), partial order documents in YAML. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <oms/doc.h>
#include <oms/node.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oms_doc_patch p;
	struct oms_node *n;
	struct oms_yaml *y;
	char err[512];
	FILE *f;

	if ((f = fmemopen(size ? (void *)data : (void *)"", size, "r")) == NULL)
		return 0;
	if ((y = oms_yaml_open(f, "fuzz")) == NULL)
		abort();
	while (oms_yaml_next(y, &n, err, sizeof err) > 0) {
		if (oms_doc_patch_from_node(n, &p, "fuzz", "USD", err, sizeof err) == 0)
			oms_doc_free(&p.doc);
		oms_node_free(n);
	}
	oms_yaml_close(y);
	fclose(f);
	return 0;
}
