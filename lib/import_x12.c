/* import_x12.c: X12 850 in, 997 out.  (Being written.) */
#include <err.h>

#include <oms/import.h>
#include <oms/oms.h>
#include <oms/x12.h>

int
oms_import_x12(struct oms_import *imp, FILE *f, const char *name, FILE *ack)
{
	warnx("%s: x12 is not supported yet", name);
	return OMS_EUSAGE;
}
