/* x12.h: ANSI X12 850 purchase orders in, 997 functional acknowledgments out. */
#ifndef OMS_X12_H
#define OMS_X12_H

#include <stdio.h>

struct oms;
struct oms_import;

/*
 * oms_import_x12 reads X12 interchanges (one or more ISA..IEA envelopes,
 * each with its own delimiters) from f, name for messages, and hands each
 * 850 transaction set to oms_import_order as an order, its items found in
 * the catalog and the partner's cross-reference of o (oms-stock xref) and
 * its quantities converted to eaches; what the 856 must send back of it
 * (envelope IDs, ship-to code, line units and product IDs) is kept too.  Sets it cannot take
 * are reported "NAME:LINE: WHAT" and the others go on.  With ack non-NULL,
 * writes there one 997 per functional group received (other than 997s),
 * with the input's delimiters, in one outgoing interchange per interchange
 * received: sender and receiver swapped, the received control numbers
 * echoed, the current UTC date and time in ISA09, ISA10, GS04 and GS05.
 * A set that is sound X12 but that oms cannot take (a unit it cannot
 * convert, an order the database refuses) is acknowledged AK5*E, with no
 * AK3 or AK4, which are for faults of syntax only.
 * Returns OMS_OK (rejections, if any, are counted by the run), OMS_EINPUT
 * when the input is not an X12 interchange at all (reported), or OMS_ESYS
 * when the run must stop (the database, out of memory, or ack unwritable).
 */
int oms_import_x12(struct oms_import *imp, struct oms *o, FILE *f, const char *name,
    FILE *ack);

#endif
