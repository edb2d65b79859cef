#!/bin/sh
# oms-ship -a takes up the captures a crash left behind, as oms-db(5)
# promises: one pending at the gateway when oms-ship was killed (sent again
# with its key, so the fake Stripe acts on it once), and one owed that was
# never made; never one that was paid another way, nor for an order
# prepaid.
. "$(dirname "$0")/lib.sh"

unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
catalog
printf 'A1 20\n' | oms-stock -q receive -
fake_start stripe.py --idle 60 --hang 30 --log stripe.log --control control --key sk_test_fake
URL=http://127.0.0.1:$FAKE_PORT
printf 'payment:\n  gateway: stripe\n  stripe:\n    url: "%s"\n' "$URL" >stripe.yaml
export OMS_STRIPE_KEY=sk_test_fake OMS_HTTP_TRIES=1
S="oms-ship: payment gateway stripe in TEST MODE: no real money moves"
T="oms-ship: payment gateway test in TEST MODE: no real money moves"
# order CONFIG PAYMENT: an order taken to picking, its ID printed; CONFIG
# "" for the test gateway.
order() {
	printf 'ship_to: {name: Pat Doe, line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: %s\nshipping: "5.00"\nlines: [{sku: A1, qty: 1}]\n' "$2" >o.yaml
	oms-add <o.yaml | oms-verify-addr | oms-auth -q ${1:+-c "$1"} | oms-backorder | oms-pick -q
}
stats() {
	python3 -c 'import json,sys,urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1]))[sys.argv[2]])' "$URL/_stats" "$1"
}
captures() {
	sql "SELECT count(*) || ':' || group_concat(status) FROM payments WHERE order_id = $1 AND kind = 'capture'"
}
card='{method: card, token: pm_card_visa}'

# kill -9 while the capture is at the gateway: it acted, oms-ship never heard.
for mode in hang die; do
	id=$(order stripe.yaml "$card")
	before=$(stats captures)
	echo $mode >control
	: >stripe.log
	oms-ship -c stripe.yaml --carrier ups --service ground $id >kill.out 2>kill.err &
	pid=$!
	if [ $mode = hang ]; then
		i=0
		while ! grep -q "capture.*mode=hang" stripe.log && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 $pid
	fi
	wait $pid
	key=$(sql "SELECT idempotency_key FROM payments WHERE order_id = $id AND kind = 'capture'")
	is "$(captures $id) $(stats captures)" "1:pending $((before + 1))" \
		"$mode: the shipment stands, its capture pending here and made at Stripe"
	state=$(sql "SELECT status FROM orders WHERE id = $id")
	echo normal >control
	: >stripe.log
	run oms-ship -c stripe.yaml -a --carrier ups --service ground
	expect 0 "$id" "$S" "$mode: oms-ship -a sends the pending capture ($state) and passes the order on"
	is "$(grep -c "capture key=$key .*replayed\$" stripe.log) $(grep -c capture stripe.log)" "1 1" \
		"$mode: sent once, with its first key: Stripe replays its answer"
	is "$(captures $id) $(stats captures)" "1:succeeded $((before + 1))" \
		"$mode: one capture, here and at Stripe"
	is "$(sql "SELECT status FROM orders WHERE id = $id")" shipped "$mode: the order is shipped"
	: >stripe.log
	run oms-ship -c stripe.yaml -a --carrier ups --service ground
	expect 0 "" "" "$mode: run again, -a has nothing to do"
	is "$(cat stripe.log)" "" "$mode: and asks Stripe nothing"
done

# A capture owed and never made: a run that died after the gateway refused
# the capture and before it held the order (made here by hand: the refusal
# recorded, the order left shipped).
o=$(order "" "$card")
OMS_TEST_GATEWAY=down oms-ship -q --carrier ups --service ground $o 2>/dev/null
sql "UPDATE payments SET status = 'declined', code = 'card_declined' WHERE order_id = $o AND kind = 'capture'"
sql "UPDATE orders SET status = 'shipped', hold_reason = NULL, held_from = NULL WHERE id = $o"
p=$(order "" '{method: prepaid, reference: "ch_1"}')
run oms-ship -q --carrier ups --service ground $p
expect 0 "$p" "" "a prepaid order ships: its charge is recorded, nothing is owed at a gateway"
run oms-ship -a --carrier ups --service ground
expect 0 "$o" "$T" "oms-ship -a takes up the owed capture of a shipped order, and passes it"
is "$(captures $o)" "2:declined,succeeded" "a new capture is made for what the shipment is owed"
is "$(sql "SELECT sum(amount) FROM payments WHERE order_id = $o AND kind = 'capture' AND status = 'succeeded'") $(sql "SELECT charge FROM shipments WHERE order_id = $o")" \
	"1499 1499" "for its charge"
run oms-ship $o --carrier ups --service ground
expect 0 "$o" "" "named again, a shipped order that is paid passes through"
is "$(captures $o)" "2:declined,succeeded" "and nothing more is captured"

# Paid by hand (oms-auth capture) after a refused capture: not owed.
h=$(order "" "$card")
OMS_TEST_GATEWAY=down oms-ship -q --carrier ups --service ground $h 2>/dev/null
sql "UPDATE payments SET status = 'declined', code = 'card_declined' WHERE order_id = $h AND kind = 'capture'"
oms-order -q release $h >/dev/null
is "$(sql "SELECT status FROM orders WHERE id = $h")" shipped "released by hand, the order is shipped again"
oms-auth -q capture $h >/dev/null
is "$(captures $h)" "2:declined,succeeded" "and captured by hand"
run oms-ship -a --carrier ups --service ground
expect 0 "" "" "oms-ship -a leaves an order paid by hand, and a prepaid one, alone"
is "$(captures $h)" "2:declined,succeeded" "nothing is captured twice"

# Held for payment and paid by hand: shipping it again owes nothing more.
h2=$(order "" "$card")
OMS_TEST_GATEWAY=down oms-ship -q --carrier ups --service ground $h2 2>/dev/null
sql "UPDATE payments SET status = 'declined', code = 'card_declined' WHERE order_id = $h2 AND kind = 'capture'"
oms-auth -q capture $h2 >/dev/null
run oms-ship -q --carrier ups --service ground $h2
expect 0 "" "oms-ship: order $h2: on hold (payment), and no shipment of it is owed a capture" \
	"a capture by hand paid for the shipment: no second capture is tried"
is "$(captures $h2)" "2:declined,succeeded" "nothing is captured twice"

# A capture refused at the gateway holds the order for a person: -a does
# not try the card again and again.
r=$(order "" "$card")
OMS_TEST_GATEWAY=down oms-ship -q --carrier ups --service ground $r 2>/dev/null
sql "UPDATE payments SET status = 'declined', code = 'card_declined' WHERE order_id = $r AND kind = 'capture'"
run oms-ship -a --carrier ups --service ground
expect 0 "" "" "an order held for payment after a refused capture is left to a person"
oms-order -q release $r >/dev/null
run oms-ship -a --carrier ups --service ground
expect 0 "$r" "$T" "once released, -a takes its capture up"
is "$(captures $r)" "2:declined,succeeded" "and it is paid"

done_testing
