/* Fuzz harness: the embedded address verifier, fields split on '|'. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <oms/addr.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oms_address a = { 0 };
	struct oms_addr_result r;
	char *buf, *f[8] = { 0 }, *s;
	int k;

	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	/* name|company|line1|line2|city|region|postal_code|country */
	for (s = buf, k = 0; k < 8 && s != NULL; k++) {
		f[k] = s;
		if ((s = strchr(s, '|')) != NULL)
			*s++ = '\0';
	}
	a.name = f[0];
	a.company = f[1];
	a.line1 = f[2];
	a.line2 = f[3];
	a.city = f[4];
	a.region = f[5];
	a.postal_code = f[6];
	a.country = f[7];
	if (oms_addr_check(&a, &r) == 0)
		oms_addr_result_free(&r);
	free(buf);
	return 0;
}
