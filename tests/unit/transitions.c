/* Unit tests for the order status table: every legal move, and the illegal ones. */
#include <oms/order.h>

#include "tap.h"

int
main(void)
{
	/* The table as oms(7) documents it; anything not listed is illegal. */
	static const struct {
		enum oms_status from, to;
	} legal[] = {
		{ OMS_NEW, OMS_VERIFIED },
		{ OMS_VERIFIED, OMS_AUTHORIZED },
		{ OMS_AUTHORIZED, OMS_ALLOCATED },
		{ OMS_AUTHORIZED, OMS_BACKORDERED },
		{ OMS_BACKORDERED, OMS_ALLOCATED },
		{ OMS_ALLOCATED, OMS_PICKING },
		{ OMS_ALLOCATED, OMS_BACKORDERED },
		{ OMS_PICKING, OMS_SHIPPED },
		{ OMS_PICKING, OMS_BACKORDERED },
		{ OMS_PICKING, OMS_ALLOCATED },
		/* The rest of a partly shipped order cancelled (oms-order cancel --line). */
		{ OMS_BACKORDERED, OMS_SHIPPED },
		{ OMS_ALLOCATED, OMS_SHIPPED },
		/* A shipment whose capture failed: held for payment, released back. */
		{ OMS_SHIPPED, OMS_HOLD },
		{ OMS_HOLD, OMS_SHIPPED },
		/* A shipment voided before pickup: its goods are on the bench again. */
		{ OMS_SHIPPED, OMS_PICKING },
		/*
		 * An edit before picking: a new ship-to is verified again, a card
		 * total the authorization does not cover authorized again.
		 */
		{ OMS_VERIFIED, OMS_NEW },
		{ OMS_AUTHORIZED, OMS_NEW },
		{ OMS_AUTHORIZED, OMS_VERIFIED },
		{ OMS_BACKORDERED, OMS_NEW },
		{ OMS_BACKORDERED, OMS_VERIFIED },
		{ OMS_ALLOCATED, OMS_NEW },
		{ OMS_ALLOCATED, OMS_VERIFIED },
	};
	enum oms_status s, t, open[] = { OMS_NEW, OMS_VERIFIED, OMS_AUTHORIZED,
		OMS_BACKORDERED, OMS_ALLOCATED, OMS_PICKING };
	size_t i;
	int bad = 0, want;

	for (i = 0; i < sizeof legal / sizeof legal[0]; i++)
		ok(oms_transition_ok(legal[i].from, legal[i].to), "%s -> %s is legal",
		    oms_status_name(legal[i].from), oms_status_name(legal[i].to));
	for (i = 0; i < sizeof open / sizeof open[0]; i++) {
		ok(oms_transition_ok(open[i], OMS_HOLD), "%s -> hold", oms_status_name(open[i]));
		ok(oms_transition_ok(open[i], OMS_CANCELLED), "%s -> cancelled",
		    oms_status_name(open[i]));
		ok(oms_transition_ok(OMS_HOLD, open[i]), "hold -> %s (where it was held from)",
		    oms_status_name(open[i]));
	}
	ok(oms_transition_ok(OMS_HOLD, OMS_CANCELLED), "hold -> cancelled");
	/* Everything else is refused: count the surprises over the whole square. */
	for (s = 0; s < OMS_NSTATUS; s++)
		for (t = 0; t < OMS_NSTATUS; t++) {
			want = 0;
			for (i = 0; i < sizeof legal / sizeof legal[0]; i++)
				want |= legal[i].from == s && legal[i].to == t;
			for (i = 0; i < sizeof open / sizeof open[0]; i++)
				want |= (open[i] == s && (t == OMS_HOLD || t == OMS_CANCELLED)) ||
				    (s == OMS_HOLD && (open[i] == t || t == OMS_CANCELLED));
			if (oms_transition_ok(s, t) != want) {
				printf("# %s -> %s: table says %d\n", oms_status_name(s),
				    oms_status_name(t), oms_transition_ok(s, t));
				bad++;
			}
		}
	ok(bad == 0, "no other move is legal (cancelled is final; shipped only to a payment hold or a void)");
	ok(!oms_transition_ok(OMS_SHIPPED, OMS_CANCELLED), "a shipped order cannot be cancelled");
	ok(!oms_transition_ok(OMS_NEW, OMS_SHIPPED), "new cannot skip to shipped");
	ok(!oms_transition_ok(OMS_PICKING, OMS_NEW), "an order on a pick list is not sent back");
	ok(!oms_transition_ok(OMS_NSTATUS, OMS_NEW), "an out-of-range status is refused");

	for (s = 0; s < OMS_NSTATUS; s++)
		ok(oms_status_parse(oms_status_name(s), &t) == 0 && t == s, "%s round-trips",
		    oms_status_name(s));
	ok(oms_status_parse("shipping", &t) == -1, "an unknown name is refused");
	return done_testing();
}
