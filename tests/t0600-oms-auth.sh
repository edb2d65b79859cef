#!/bin/sh
# oms-auth with the test gateway: authorize, declines, cart payments,
# capture, refund, void on cancel, limits held by the database, an outage
# healed by running again, reauthorization, and a card keyed at a terminal
# that leaves no card number anywhere.
. "$(dirname "$0")/lib.sh"

catalog
# order PAYMENT-YAML: adds a verified order paid so, prints its ID.
order() {
	printf 'ship_to: {name: Pat Doe, line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: %s\nshipping: "5.00"\nlines: [{sku: A1, qty: 2}]\n' "$1" >o.yaml
	id=$(oms-add <o.yaml) && oms-verify-addr "$id" >/dev/null && echo "$id"
}
visa=$(order '{method: card, token: pm_card_visa}')
declined=$(order '{method: card, token: pm_card_chargeDeclined}')
funds=$(order '{method: card, token: pm_card_chargeDeclinedInsufficientFunds}')
expired=$(order '{method: card, token: pm_card_chargeDeclinedExpiredCard}')
cvc=$(order '{method: card, token: pm_card_chargeDeclinedIncorrectCvc}')
proc=$(order '{method: card, token: pm_card_chargeDeclinedProcessingError}')
prepaid=$(order '{method: prepaid, reference: "ch_cart_1"}')
invoice=$(order '{method: invoice, terms: net 30}')
atcart=$(order '{method: card, reference: "auth_cart_77"}')
nocard=$(order '{method: card}')

T="oms-auth: payment gateway test in TEST MODE: no real money moves"
run oms-auth $visa $declined $funds $expired $cvc $proc $prepaid $invoice $atcart $nocard
expect 0 "$visa
$prepaid
$invoice
$atcart" "$T
oms-auth: order $nocard: payment: no card on file: key one with oms-auth card ID
oms-auth: order $declined: declined: card_declined (test)
oms-auth: order $funds: declined: insufficient_funds (test)
oms-auth: order $expired: declined: expired_card (test)
oms-auth: order $cvc: declined: incorrect_cvc (test)
oms-auth: order $proc: declined: processing_error (test)" \
	"approved, each decline reason, cart payments, and no card: held orders are a normal outcome"
is "$(sql "SELECT status FROM orders WHERE id = $visa")" authorized "an approved card order is authorized"
is "$(sql "SELECT kind, amount, currency, status, gateway_ref LIKE 'test_auth_%', idempotency_key LIKE 'oms-authorize-$visa-%' FROM payments WHERE order_id = $visa")" \
	"authorize|2498|USD|succeeded|1|1" "the authorization is recorded with the gateway's reference and its idempotency key"
is "$(sql "SELECT status, hold_reason FROM orders WHERE id = $funds")" "hold|payment" "a declined card is held for payment"
is "$(sql "SELECT detail FROM events WHERE order_id = $funds AND what = 'hold'")" "[test] declined: insufficient_funds" "with the gateway's reason in the history, marked test"
is "$(sql "SELECT count(*) FROM payments WHERE order_id IN ($prepaid, $invoice, $atcart)")" 0 "prepaid, invoice and cart-authorized orders make no gateway call"
is "$(sql "SELECT detail FROM events WHERE order_id = $atcart AND what = 'authorize'")" "authorized at the cart, reference auth_cart_77" "the cart's authorization is kept"

run oms-auth $visa
expect 0 "$visa" "$T" "an authorized order passes through"
is "$(sql "SELECT count(*) FROM payments WHERE order_id = $visa")" 1 "without a second authorization"

# Capture, refund, and the limits the database holds.
run oms-auth capture --amount 10.00 $visa
expect 0 "$visa" "$T" "a partial capture"
run oms-auth capture --amount 20.00 $visa
expect 1 "" "$T
oms-auth: order $visa: capture of 20.00 USD refused: more than the order has authorized" "over-capture is refused"
run oms-auth refund --amount 10.01 $visa
expect 1 "" "$T
oms-auth: order $visa: refund of 10.01 USD refused: more than the order has captured" "over-refund is refused"
run oms-auth refund --amount 4.00 --reason "one arrived broken" $visa
expect 0 "$visa" "$T" "a partial refund"
run oms-auth capture $visa
expect 0 "$visa" "$T" "capture of the rest"
is "$(sql "SELECT group_concat(kind || ':' || amount || ':' || status, ' ') FROM (SELECT * FROM payments WHERE order_id = $visa ORDER BY id)")" \
	"authorize:2498:succeeded capture:1000:succeeded refund:400:succeeded capture:1498:succeeded" "the ledger of the order's money"
is "$(sql "SELECT group_concat(what, ' ') FROM (SELECT what FROM events WHERE order_id = $visa AND what IN ('capture', 'refund') ORDER BY id)")" \
	"capture refund capture" "each is in the order's history"
run oms-order show $visa
like "$(out)" "money +authorized 24.98  captured 24.98  refunded 4.00" "oms-order show says what the gateway holds"
run oms-auth void $visa
expect 1 "" "$T
oms-auth: order $visa: cannot void: money was captured already (refund it)" "a captured authorization cannot be voided"
sql "INSERT INTO payments (order_id, kind, parent_id, gateway, idempotency_key, amount, currency, status, created_at, updated_at, tool, user) SELECT order_id, 'capture', id, 'test', 'x1', 1, 'USD', 'pending', 't', 't', 't', 't' FROM payments WHERE order_id = $visa AND kind = 'authorize'" 2>/dev/null
isnt "$?" 0 "the database itself refuses a capture beyond the authorization"
sql "UPDATE payments SET amount = 1 WHERE order_id = $visa AND kind = 'authorize'" 2>/dev/null
isnt "$?" 0 "and refuses to rewrite a settled payment"
sql "INSERT INTO payments (order_id, kind, gateway, idempotency_key, amount, currency, created_at, updated_at, tool, user) VALUES ($visa, 'authorize', 'test', 'x2', 100, 'USD', 't', 't', 't', 't')"
sql "INSERT INTO payments (order_id, kind, parent_id, gateway, idempotency_key, amount, currency, created_at, updated_at, tool, user) SELECT order_id, 'capture', id, 'test', 'x3', 1, 'USD', 't', 't', 't', 't' FROM payments WHERE idempotency_key = 'x2'" 2>/dev/null
isnt "$?" 0 "and a capture of an authorization that has not succeeded (nothing to take)"

# Cancel voids the open authorization.
v2=$(order '{method: card, token: pm_card_mastercard}')
oms-auth -q $v2 >/dev/null
run oms-order cancel --reason "customer changed mind" $v2
expect 0 "$v2" "$T" "cancelling an authorized order runs oms-auth settle"
is "$(sql "SELECT kind, status FROM payments WHERE order_id = $v2 ORDER BY id DESC LIMIT 1")" "void|succeeded" "which voids its authorization"
run oms-order cancel $visa
expect 0 "$visa" "$T" "cancelling an order that was captured"
is "$(sql "SELECT kind, amount, status FROM payments WHERE order_id = $visa ORDER BY id DESC LIMIT 1")" "refund|2098|succeeded" \
	"refunds what was captured and not refunded yet"
run oms-auth settle
expect 0 "" "" "settle again: nothing left to do"

# The gateway down, then back: the same intent, the same key, one authorization.
v3=$(order '{method: card, token: pm_card_visa}')
OMS_TEST_GATEWAY=down run oms-auth $v3
expect 1 "" "$T
oms-auth: order $v3: payment gateway unreachable, left to retry: test gateway unreachable (OMS_TEST_GATEWAY=down)" \
	"a gateway that cannot be reached leaves the order to retry (status 1)"
is "$(sql "SELECT status FROM orders WHERE id = $v3")" verified "the order is still verified"
key=$(sql "SELECT idempotency_key FROM payments WHERE order_id = $v3 AND status = 'pending'")
isnt "$key" "" "the intent, with its key, was committed before the call"
run oms-auth $v3
expect 0 "$v3" "$T" "run again when the gateway is back"
is "$(sql "SELECT count(*), min(idempotency_key), min(status) FROM payments WHERE order_id = $v3")" "1|$key|succeeded" \
	"the same key was sent: one authorization"

# Reauthorization of an old authorization.
v4=$(order '{method: card, token: pm_card_visa}')
oms-auth -q $v4 >/dev/null
sql "UPDATE payments SET created_at = '2020-01-01T00:00:00Z' WHERE order_id = $v4"
run oms-auth reauth --older-than 5
expect 0 "$v4" "$T" "reauth authorizes old authorizations again"
is "$(sql "SELECT group_concat(kind || ':' || status, ' ') FROM (SELECT * FROM payments WHERE order_id = $v4 ORDER BY id)")" \
	"authorize:succeeded authorize:succeeded void:succeeded" "and voids the old one once the new one holds"

# A card keyed at a terminal: never in argv, the environment, the database or any output.
if command -v script >/dev/null; then
	# A person types after each prompt, with echo off for the secrets.
	{ sleep 1; printf '4242 4242 4242 4242\n'; sleep 0.5; printf '12/39\n'; sleep 0.5; printf '123\n'; } |
		script -qec "oms-auth card $nocard" /dev/null >card.out 2>&1
	is "$?" 0 "a card keyed at a terminal is tokenized"
	is "$(sql "SELECT payment_token, card_brand, card_last4, card_exp FROM orders WHERE id = $nocard")" \
		"tok_test_ok_4242|visa|4242|12/2039" "the order keeps the token, brand, last four digits and expiry"
	run oms-order show --format json $nocard
	like "$(out | tr -d ' \n')" '"card":\{"brand":"visa","last4":"4242","exp":"12/2039"\}' "and shows the card by its last four digits"
	oms-order release $nocard >/dev/null
	run oms-auth $nocard
	expect 0 "$nocard" "$T" "released, it is authorized with the new card"
	{ sleep 1; printf '4242 4242 4242 4241\n'; } | script -qec "oms-auth card $nocard" /dev/null >bad.out 2>&1
	like "$(cat bad.out)" "not a valid card number" "a number failing the Luhn check is refused"
	# oms-add on a terminal asks for the card of a card order, then keeps only its token.
	{ sleep 1; printf '5555555555554444\n'; sleep 0.5; printf '01/38\n'; sleep 0.5; printf '999\n'; } |
		script -qec "oms-add --name Kim --line1 '2 Elm St' --city Reno --region NV --postal-code 89501 --payment card --line A1:1" \
		/dev/null >add.out 2>&1
	is "$(sql "SELECT payment_token, card_brand, card_last4 FROM orders ORDER BY id DESC LIMIT 1")" \
		"tok_test_ok_4444|mastercard|4444" "oms-add on a terminal takes the card of a card order, as a token"
else
	for i in 1 2 3 4 5 6 7 8; do ok "# SKIP script(1) is not installed"; done
fi
run setsid -w oms-auth card $nocard
expect 2 "" "oms-auth: card: needs a terminal (/dev/tty: No such device or address)" "no terminal, no card"

# No card number anywhere: the database, its WAL, every output of this test.
# Idempotency keys go first: with their dashes taken out, an order ID and
# the random hex after it are now and then a Luhn-valid run of digits.
pans=$(cat "$OMS_DB" "$OMS_DB-wal" out err card.out add.out 2>/dev/null |
	LC_ALL=C sed 's/oms-[a-z]*-[0-9]*-[0-9a-f]\{16\}//g' | LC_ALL=C tr -d ' -' | LC_ALL=C tr -c '0-9' '\n' |
	awk 'length($0) >= 13 && length($0) <= 19 {
		s = 0; n = length($0)
		for (i = n; i >= 1; i--) { d = substr($0, i, 1) + 0; if ((n - i) % 2) { d *= 2; if (d > 9) d -= 9 } s += d }
		if (s % 10 == 0 && $0 ~ /^(4|5[1-5]|3[47]|6)/) print
	}')
is "$pans" "" "no card number in the database, its WAL, or any output (Luhn scan)"

run oms-auth capture --amount 1.00
is "$rc" 2 "capture without an order is a usage error"
run oms-auth refund 12345
expect 1 "" "oms-auth: order 12345: no such order" "refund of an unknown order"

done_testing
