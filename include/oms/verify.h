/* verify.h: the address step: new orders verified, or held with a reason. */
#ifndef OMS_VERIFY_H
#define OMS_VERIFY_H

#include <stdint.h>

struct oms;

/*
 * oms_verify_run runs the address step over the orders named (nids of
 * them), else stdin, or every new order under -a (oms_filter_run): each
 * new order's ship-to address is standardized and checked, by the service
 * oms.yaml names or else the embedded rules; the standardized form is
 * stored beside the original; the order moves to verified, or to
 * hold(address) with the reason.  Under dry run each order's plan is
 * printed on stdout ("ID<TAB>verify|hold<TAB>changes or reason") and
 * nothing is kept.  Returns the exit status.
 */
int oms_verify_run(struct oms *o, char **ids, int nids);

/*
 * oms_verify_accept takes an order off hold(address) as verified, as a
 * person decided: who and why go into its history.  Returns an exit status
 * (the order not on an address hold is OMS_EINPUT, reported).
 */
int oms_verify_accept(struct oms *o, int64_t id, const char *reason);

#endif
