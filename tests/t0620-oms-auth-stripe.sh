#!/bin/sh
# oms-auth against a fake Stripe: approve and decline through the real HTTP
# driver, and a kill -9 at each point between the request and the commit,
# healed by running again: the fake must see exactly one authorization per
# order, however the run died.
. "$(dirname "$0")/lib.sh"

unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
catalog
fake_start stripe.py --idle 60 --hang 30 --log stripe.log --control control --key sk_test_fake
URL=http://127.0.0.1:$FAKE_PORT
printf 'payment:\n  gateway: stripe\n  stripe:\n    url: "%s"\n' "$URL" >oms.yaml
export OMS_STRIPE_KEY=sk_test_fake OMS_HTTP_TRIES=1
T="oms-auth: payment gateway stripe in TEST MODE: no real money moves"

order() {
	printf 'ship_to: {name: Pat Doe, line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: card, token: %s}\nlines: [{sku: A1, qty: 2}]\n' "$1" >o.yaml
	id=$(oms-add <o.yaml) && oms-verify-addr "$id" >/dev/null && echo "$id"
}
intents() {
	python3 -c 'import json,sys,urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1]))["intents"])' "$URL/_stats"
}

ok1=$(order pm_card_visa)
no1=$(order pm_card_chargeDeclinedInsufficientFunds)
run oms-auth $ok1 $no1
expect 0 "$ok1" "$T
oms-auth: order $no1: declined: insufficient_funds (test)" "through the Stripe driver: approved and declined"
is "$(sql "SELECT status FROM orders WHERE id = $ok1"):$(sql "SELECT gateway_ref LIKE 'pi_%' FROM payments WHERE order_id = $ok1")" "authorized:1" \
	"the authorization is Stripe's payment intent"
run oms-auth capture --amount 10.00 $ok1
expect 0 "$ok1" "$T" "a partial capture at Stripe"
run oms-auth refund --amount 5.00 $ok1
expect 0 "$ok1" "$T" "and a refund"

# kill -9 while the request is at the gateway (it acted; the answer never came back).
for mode in hang die malformed; do
	id=$(order pm_card_visa)
	before=$(intents)
	echo $mode >control
	oms-auth $id >kill.out 2>kill.err &
	pid=$!
	if [ $mode = hang ]; then
		# Wait for the request to reach the fake, then kill oms-auth mid-call.
		i=0
		while ! grep -q "payment_intents.*mode=hang" stripe.log && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 $pid
	fi
	wait $pid
	is "$(sql "SELECT status FROM orders WHERE id = $id"):$(sql "SELECT status FROM payments WHERE order_id = $id")" \
		"verified:pending" "$mode: the order waits, its intent pending with its key"
	echo normal >control
	: >stripe.log
	run oms-auth $id
	expect 0 "$id" "$T" "$mode: run again, it is authorized"
	is "$(grep -c 'replayed' stripe.log)" 1 "$mode: the gateway replayed its first answer to the same key"
	is "$(intents)" $((before + 1)) "$mode: exactly one authorization at the gateway"
	is "$(sql "SELECT count(*) FROM payments WHERE order_id = $id")" 1 "$mode: one payment row"
done

# A gateway that refuses oms's key stops the run, charging nothing.
id=$(order pm_card_visa)
OMS_STRIPE_KEY=sk_test_wrong run oms-auth $id
is "$rc" 2 "a refused key is a configuration error"
is "$(sql "SELECT status FROM orders WHERE id = $id")" verified "and the order is not held as declined"
run oms-auth $id
expect 0 "$id" "$T" "with the right key it goes through"

done_testing
