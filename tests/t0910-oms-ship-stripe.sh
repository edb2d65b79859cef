#!/bin/sh
# oms-ship against a fake Stripe: a split order captured shipment by
# shipment (multicapture: the earlier captures are not final), the amounts
# at the gateway matching what shipped, and a void refunded there.
. "$(dirname "$0")/lib.sh"

unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
catalog
printf 'A1 1\nB2 5\n' | oms-stock -q receive -
fake_start stripe.py --idle 60 --log stripe.log --key sk_test_fake
URL=http://127.0.0.1:$FAKE_PORT
printf 'payment:\n  gateway: stripe\n  stripe:\n    url: "%s"\n' "$URL" >oms.yaml
export OMS_STRIPE_KEY=sk_test_fake OMS_HTTP_TRIES=1
T="oms-ship: payment gateway stripe in TEST MODE: no real money moves"
# intent FIELD: the order's payment intent at the fake, one field of it.
intent() {
	python3 -c 'import json,sys,urllib.request
r = urllib.request.Request(sys.argv[1] + "/v1/payment_intents/" + sys.argv[2], headers={"Authorization": "Bearer sk_test_fake"})
print(json.load(urllib.request.urlopen(r))[sys.argv[3]])' "$URL" "$pi" "$1"
}

printf 'ship_complete: false\nship_to: {name: Pat Doe, line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: card, token: pm_card_visa}\nshipping: "5.00"\nlines: [{sku: A1, qty: 2}, {sku: B2, qty: 1}]\n' >o.yaml
id=$(oms-add <o.yaml | oms-verify-addr | oms-auth -q | oms-backorder | oms-pick -q)
pi=$(sql "SELECT gateway_ref FROM payments WHERE order_id = $id AND kind = 'authorize'")
like "$pi" "^pi_" "the order is authorized at the fake Stripe"
is "$(sql "SELECT group_concat(allocated) FROM order_lines WHERE order_id = $id")" "1,1" "split: one A1 of two in stock"

run oms-ship --carrier ups --service ground $id
expect 0 "$id" "$T" "the first part ships"
is "$(intent status) $(intent amount_received) $(intent amount_capturable)" "requires_capture 3449 999" \
	"Stripe captured 34.49 (A1, B2 and shipping) and keeps the rest capturable: the capture said it was not the final one"

printf 'A1 1\n' | oms-stock -q receive -
oms-backorder -q $id | oms-pick -q >/dev/null
run oms-ship --carrier ups --service ground $id
expect 0 "$id" "$T" "the rest ships"
is "$(intent status) $(intent amount_received)" "succeeded 4448" "the final capture: Stripe has received the order's total"
is "$(sql "SELECT group_concat(amount) FROM (SELECT amount FROM payments WHERE order_id = $id AND kind = 'capture' AND status = 'succeeded' ORDER BY id)")" \
	"3449,999" "two captures recorded, each tied to its shipment"

last=$(sql "SELECT max(id) FROM shipments")
run oms-ship void --reason "box damaged" $last
expect 0 "" "$T" "the second shipment is voided"
is "$(sql "SELECT amount, status FROM payments WHERE order_id = $id AND kind = 'refund'")" "999|succeeded" "its capture is refunded at Stripe"
is "$(python3 -c 'import json,sys,urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1]))["refunds"])' "$URL/_stats")" 1 \
	"the fake saw one refund"
is "$(sql "SELECT status FROM orders WHERE id = $id")" picking "the order is picking again"

done_testing
