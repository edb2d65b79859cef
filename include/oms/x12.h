/* x12.h: ANSI X12 850 purchase orders in, 997 functional acknowledgments out. */
#ifndef OMS_X12_H
#define OMS_X12_H

#include <stdio.h>

struct oms_import;

/*
 * oms_import_x12 reads an X12 interchange (one or more ISA..IEA envelopes)
 * from f and imports each 850 transaction set as an order.  With ack
 * non-NULL, writes the 997 acknowledging every transaction set there.
 * Returns OMS_OK or the status that stopped it.
 */
int oms_import_x12(struct oms_import *imp, FILE *f, const char *name, FILE *ack);

#endif
