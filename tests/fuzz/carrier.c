/*
 * carrier.c: libFuzzer harness for the carrier readers (WorldShip's XML,
 * FedEx's and oms's CSV).  The first byte picks the format, so one corpus
 * reaches all three; the rest is the file.  The readers need no database.
 * Whatever the bytes, a reader must not crash, must give fn only whole
 * rows (every field a string, the required ones not blank) and must
 * return one of its three results.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <oms/carrier.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
check_row(void *arg, const struct oms_tracking_row *r)
{
	if (r->where == NULL || r->order == NULL || r->carrier == NULL || r->service == NULL ||
	    r->tracking == NULL || r->weight == NULL || r->cost == NULL)
		abort();
	if (*r->order == '\0' || *r->tracking == '\0' || r->packages < 1)
		abort();
	/* Touch every byte, so that a field past its buffer shows under ASan. */
	*(size_t *)arg += strlen(r->where) + strlen(r->order) + strlen(r->carrier) +
	    strlen(r->service) + strlen(r->tracking) + strlen(r->weight) + strlen(r->cost);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum oms_carrier_format formats[] = {
		OMS_CARRIER_WORLDSHIP, OMS_CARRIER_FEDEX, OMS_CARRIER_CSV,
	};
	size_t total = 0;
	FILE *f;
	int rc;

	if (size == 0)
		return 0;
	if ((f = fmemopen(size > 1 ? (void *)(data + 1) : (void *)"", size - 1, "r")) == NULL)
		return 0;
	rc = oms_carrier_read(f, "fuzz", formats[data[0] % 3], check_row, &total);
	fclose(f);
	if (rc < -1 || rc > 1)
		abort();
	return 0;
}
