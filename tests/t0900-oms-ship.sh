#!/bin/sh
# oms-ship: full and split shipments, stock and ledger, captures matching
# what shipped (test gateway), a capture that fails and is retried,
# tracking checks, pick.confirm, void, and bad input.
. "$(dirname "$0")/lib.sh"

catalog
printf 'sku,description,weight,bin,price\nD4,Doohickey,8oz,C-01-01,5.00\n' >d4.csv
oms-stock -q import d4.csv
printf 'A1 20\nB2 20\nD4 1\n' | oms-stock -q receive -
T="oms-ship: payment gateway test in TEST MODE: no real money moves"
UPS=1Z999AA10123456784
# order SHIP_COMPLETE PAYMENT LINES [EXTRA]: an order taken to picking, its ID printed.
order() {
	printf 'ship_complete: %s\nship_to: {name: "Pat Doe", line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: %s\nshipping: "5.00"\nlines: %s\n%s\n' \
		"$1" "$2" "$3" "${4:-}" >o.yaml
	oms-add <o.yaml | oms-verify-addr | oms-auth -q | oms-backorder | oms-pick -q
}
card='{method: card, token: pm_card_visa}'

# A whole order, by UPS, paid by card.
a=$(order true "$card" '[{sku: A1, qty: 2}, {sku: B2, qty: 1}]')
is "$(sql "SELECT status FROM orders WHERE id = $a")" picking "an order on a pick list is picking"
run oms-ship --carrier UPS --service ground --tracking $UPS --weight 3.2lb --cost 11.40 $a
expect 0 "$a" "$T" "a picked order ships"
is "$(sql "SELECT status FROM orders WHERE id = $a")" shipped "nothing left open: shipped"
is "$(sql "SELECT order_id, status, carrier, service, tracking, packages, weight_g, cost, value, shipping_charged, charge, currency, shipped_by, tool FROM shipments")" \
	"$a|shipped|ups|ground|$UPS|1|1451|1140|3948|500|4448|USD|tester|oms-ship" \
	"the shipment: carrier in lower case, weight in grams, cost, value, shipping, charge"
is "$(sql "SELECT sku, qty, unit_price FROM shipment_lines ORDER BY sku")" "A1|2|999
B2|1|1950" "its lines"
is "$(sql "SELECT group_concat(qty || '/' || allocated || '/' || picked || '/' || shipped) FROM order_lines WHERE order_id = $a")" \
	"2/0/0/2,1/0/0/1" "the order's lines: shipped, nothing reserved or picked"
is "$(sql "SELECT sku, on_hand, reserved FROM stock WHERE sku IN ('A1', 'B2') ORDER BY sku")" "A1|18|0
B2|19|0" "stock: on hand down, the reservation released"
is "$(sql "SELECT sku, kind, d_on_hand, d_reserved, ref FROM stock_moves WHERE kind = 'ship' ORDER BY sku")" \
	"A1|ship|-2|-2|shipment 1
B2|ship|-1|-1|shipment 1" "both as ledger rows naming the shipment"
is "$(sql "SELECT kind, amount, status, shipment_id, idempotency_key LIKE 'oms-capture-$a-%' FROM payments WHERE order_id = $a AND kind = 'capture'")" \
	"capture|4448|succeeded|1|1" "captured: the goods, tax and shipping, all of the total, for shipment 1"
like "$(sql "SELECT what, from_status, to_status, detail FROM events WHERE order_id = $a AND what IN ('ship', 'capture') ORDER BY id")" \
	"^ship\|picking\|shipped\|shipment 1: ups ground $UPS, 3 units, charge 44.48 USD
capture\|\|\|\[test\] 44.48 USD test_capture_[0-9a-f]+ \(shipment 1\)$" \
	"the history: the shipment, then the capture"
run oms-order show $a
is "$(out | sed -n '/^shipments$/,/^$/p' | sed 's/  *20[0-9T:Z-]*$//')" "shipments
SHIPMENT  ORDER  STATUS   CARRIER  SERVICE  TRACKING            UNITS  WEIGHT_G   COST  CHARGE  CURRENCY  SHIPPED_AT
       1      $a  shipped  ups      ground   $UPS      3      1451  11.40   44.48  USD" \
	"oms-order show lists the order's shipments, with tracking"
run oms-order show --format json $a
like "$(out | tr -d ' \n')" "\"shipments\":\[\{\"id\":1,\"status\":\"shipped\",\"carrier\":\"ups\",\"service\":\"ground\",\"tracking\":\"$UPS\"" \
	"and in json"
run oms-ship --carrier ups --service ground --tracking $UPS $a
expect 0 "$a" "" "shipping a shipped order again passes it through untouched (no gateway opened)"
is "$(sql "SELECT count(*) FROM shipments")" 1 "and records nothing"

# A split order: what is in stock now, the rest when it comes.
b=$(order false "$card" '[{sku: A1, qty: 1}, {sku: D4, qty: 3}]')
is "$(sql "SELECT group_concat(allocated) FROM order_lines WHERE order_id = $b")" "1,1" "split: one D4 of three in stock"
run oms-ship --carrier usps --service priority $b
expect 0 "$b" "$T" "the first part ships"
is "$(sql "SELECT status FROM orders WHERE id = $b")" backordered "the rest waits for stock: backordered"
is "$(sql "SELECT value, shipping_charged, charge FROM shipments WHERE order_id = $b")" "1499|500|1999" \
	"the first shipment takes its goods and the shipping"
printf 'D4 5\n' | oms-stock -q receive -
run oms-backorder -q $b
is "$(out)" "$b" "the rest is allocated when stock comes"
oms-pick -q $b >/dev/null
run oms-ship --carrier usps --service priority $b
expect 0 "$b" "$T" "the second part ships"
is "$(sql "SELECT status FROM orders WHERE id = $b")" shipped "and now the order is shipped"
is "$(sql "SELECT group_concat(charge) FROM (SELECT charge FROM shipments WHERE order_id = $b ORDER BY id)")" "1999,1000" \
	"the later shipment captures the rest"
is "$(sql "SELECT group_concat(amount) FROM (SELECT amount FROM payments WHERE order_id = $b AND kind = 'capture' AND status = 'succeeded' ORDER BY id)")" \
	"1999,1000" "two captures of the one authorization, summing to the total"
is "$(sql "SELECT total FROM orders WHERE id = $b")" 2999 "(the order's total)"

# A split order's rest cancelled after its first shipment: what shipped stays paid.
printf 'sku,description,price\nE5,Thing,3.00\n' >e5.csv
oms-stock -q import e5.csv
x=$(order false "$card" '[{sku: A1, qty: 1}, {sku: E5, qty: 2}]')
oms-ship -q --carrier ups --service ground $x >/dev/null
is "$(sql "SELECT status FROM orders WHERE id = $x") $(sql "SELECT charge FROM shipments WHERE order_id = $x")" \
	"backordered 1499" "the part in stock shipped and was charged"
run oms-order cancel --reason "no longer wanted" $x
is "$rc $(sql "SELECT status FROM orders WHERE id = $x")" "0 cancelled" "the rest is cancelled"
is "$(sql "SELECT count(*) FROM payments WHERE order_id = $x AND kind IN ('refund', 'void')")" 0 \
	"nothing of what the shipment was charged is refunded, and the capture is not voided"

# Tax follows the goods, rounded on the running total: parts add up exactly.
t=$(order false "$card" '[{sku: A1, qty: 1}, {sku: B2, qty: 1}]' 'tax: "2.35"')
run oms-ship --carrier fedex --service ground --line A1:1 $t
expect 0 "$t" "$T" "--line ships part of what was picked"
is "$(sql "SELECT status FROM orders WHERE id = $t")" picking "the rest is still picked: picking"
is "$(sql "SELECT group_concat(picked || '/' || allocated || '/' || shipped, ' ') FROM (SELECT * FROM
    order_lines WHERE order_id = $t ORDER BY line_no)") $(sql "SELECT count(*) FROM pick_lines
    WHERE order_id = $t AND confirmed = 0")" "0/0/1 1/1/0 0" \
	"implied confirm with --line: the line left counts as picked, both pick lines are confirmed"
is "$(sql "SELECT charge FROM shipments WHERE order_id = $t")" 1579 \
	"its charge: 9.99 of 29.49 of goods is 10.79 of 31.84 (goods and tax), plus 5.00 shipping"
run oms-ship --carrier fedex --service ground --line B2:2 $t
expect 1 "" "oms-ship: order $t: --line B2:2: 1 of B2 picked to ship" "more than was picked is refused"
run oms-ship --carrier fedex --service ground --line Z9:1 $t
expect 1 "" "oms-ship: order $t: --line Z9:1: 0 of Z9 picked to ship" "a SKU not picked is refused"
run oms-ship --carrier fedex --service ground $t
expect 0 "$t" "$T" "the rest ships"
is "$(sql "SELECT group_concat(charge) FROM (SELECT charge FROM shipments WHERE order_id = $t ORDER BY id)") $(sql "SELECT total FROM orders WHERE id = $t")" \
	"1579,2105 3684" "the two charges add up to the total"

# A capture the gateway does not answer: the shipment stands, the order is held.
c=$(order true "$card" '[{sku: A1, qty: 1}]')
OMS_TEST_GATEWAY=down run oms-ship --carrier ups --service ground $c
expect 0 "" "$T
oms-ship: order $c: payment gateway unreachable, capture left to retry: test gateway unreachable (OMS_TEST_GATEWAY=down)
oms-ship: order $c: shipped, held for payment: capture not answered: gateway unreachable" \
	"a capture not answered: held, reported, not passed on"
is "$(sql "SELECT status, hold_reason, held_from FROM orders WHERE id = $c")" "hold|payment|shipped" "held for payment, from shipped"
is "$(sql "SELECT count(*) FROM shipments WHERE order_id = $c")" 1 "the shipment is kept"
is "$(sql "SELECT on_hand FROM stock WHERE sku = 'A1'")" 14 "and its stock has left"
key=$(sql "SELECT idempotency_key FROM payments WHERE order_id = $c AND kind = 'capture'")
run oms-order cancel $c
expect 1 "" "oms-order: order $c: cannot cancel: it has shipped (held for payment)" "a shipped order held for payment cannot be cancelled"
run oms-order hold --reason "check it" $a
expect 1 "" "oms-order: order $a: cannot hold: it is shipped" "nor can a shipped order be held by hand"
run oms-ship --service ground $c
expect 2 "" "oms-ship: --carrier \"\": expected a carrier's name (ups, fedex, usps, ...)" "(a service needs its carrier)"
before=$(sql "SELECT count(*) FROM shipments")
run oms-ship --carrier ups --service gorund $c
expect 2 "" "oms-ship: --service: ups has no service \"gorund\" (ground, 3day, 2day, 2day_am, nextday, nextday_saver, nextday_early, surepost, standard, worldwide_expedited, worldwide_express, worldwide_express_plus, worldwide_saver)" \
	"a service the carrier does not have is refused, its services named"
is "$(sql "SELECT count(*) FROM shipments")" "$before" "and nothing is recorded"
run oms-ship --carrier ups --service ground $c
expect 0 "$c" "$T" "run again, the capture goes through"
is "$(sql "SELECT status FROM orders WHERE id = $c")" shipped "and the order is released to shipped"
is "$(sql "SELECT count(*), min(idempotency_key) = '$key', min(status) FROM payments WHERE order_id = $c AND kind = 'capture'")" \
	"1|1|succeeded" "one capture, with the key it was first sent with"

# A run killed between its commit and the gateway leaves the capture pending
# on a shipped order (made here by taking the hold off by hand): running
# oms-ship on the order again sends it.
c2=$(order true "$card" '[{sku: A1, qty: 1}]')
OMS_TEST_GATEWAY=down oms-ship -q --carrier ups --service ground $c2 2>/dev/null
sql "UPDATE orders SET status = 'shipped', hold_reason = NULL, held_from = NULL WHERE id = $c2"
run oms-ship -q --carrier ups --service ground $c2
expect 0 "$c2" "" "a shipped order with a capture in flight passes through"
is "$(sql "SELECT count(*), min(status) FROM payments WHERE order_id = $c2 AND kind = 'capture'")" "1|succeeded" \
	"and its capture is sent with the batch"

# No authorization to take it from.
v=$(order true "$card" '[{sku: B2, qty: 1}]')
oms-auth -q void $v
run oms-ship --carrier ups --service ground $v
expect 0 "" "$T
oms-ship: order $v: shipped (shipment $(sql 'SELECT max(id) FROM shipments')), held for payment: no open authorization to capture 24.50 USD from" \
	"no open authorization: shipped and held for payment"
is "$(sql "SELECT status, hold_reason FROM orders WHERE id = $v")" "hold|payment" "held"
run oms-ship -q --carrier ups --service ground $v
expect 0 "" "oms-ship: order $v: payment: no open authorization to capture 24.50 USD from" \
	"run again, the capture is tried again for what the shipment is owed, and the order stays held"
is "$(sql "SELECT count(*) FROM shipments WHERE order_id = $v")" 1 "with no second shipment"

# Orders that need no capture.
p=$(order true '{method: prepaid, reference: "ch_1"}' '[{sku: A1, qty: 1}]')
run oms-ship -q --carrier ups --service ground $p
expect 0 "$p" "" "a prepaid order ships without a gateway"
is "$(sql "SELECT charge FROM shipments WHERE order_id = $p") $(sql "SELECT count(*) FROM payments WHERE order_id = $p")" "1499 0" \
	"its charge is recorded, nothing is captured"

# Tracking numbers.
e=$(order true '{method: prepaid}' '[{sku: A1, qty: 1}]')
run oms-ship --carrier ups --service ground --tracking 1Z999AA10123456785 $e
expect 2 "" "oms-ship: --tracking: tracking number 1Z999AA10123456785: UPS check digit is 4, not 5 (--force takes it anyway)" \
	"a UPS number with a wrong check digit is refused"
run oms-ship --carrier fedex --service ground --tracking 123456789013 $e
is "$rc" 2 "so is a FedEx number"
run oms-ship --carrier ups --service ground --tracking $UPS $e
expect 1 "" "oms-ship: order $e: ups tracking number $UPS is order $a's (shipment 1)" "another order's tracking number is refused"
run oms-ship -q --carrier ups --service ground --tracking 1Z999AA10123456785 --force $e
expect 0 "$e" "oms-ship: --tracking: tracking number 1Z999AA10123456785: UPS check digit is 4, not 5 (taken: --force)" "--force takes it, and says so"
run oms-ship --carrier ups --service ground --weight heavy $e
expect 2 "" "oms-ship: --weight \"heavy\": not a weight (2.5lb, 40oz, 1.2kg, 500g)" "a weight that is not one"
run oms-ship --carrier ups --service ground --cost 'ten dollars' $e
expect 2 "" "oms-ship: --cost \"ten dollars\": not an amount" "a cost that is not one"
run oms-ship --carrier ups --service ground -a --tracking $UPS
expect 2 "" "oms-ship: --tracking names one shipment: not with -a" "one tracking number is not for -a"

# Bad input.
f=$(order true '{method: prepaid}' '[{sku: B2, qty: 1}]')
g=$(printf 'ship_to: {name: "Pat Doe", line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: [{sku: B2, qty: 1}]\n' | oms-add | oms-verify-addr | oms-auth -q | oms-backorder)
run oms-ship -q --carrier ups --service ground 99999 $g $f abc
expect 1 "$f" "oms-ship: order 99999: no such order
oms-ship: order $g: not picked yet (it is allocated: oms-pick first)
oms-ship: argument 4: not an order ID: \"abc\"" "unknown, unpicked and malformed IDs are reported; the good one ships"
n=$(printf 'ship_to: {name: "Pat Doe", line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: [{sku: B2, qty: 1}]\n' | oms-add)
run oms-ship -q --carrier ups --service ground $n
expect 1 "" "oms-ship: order $n: cannot ship: it is new" "an order early in the pipeline is refused, naming its status"
run oms-ship export --format worldship
is "$rc" 2 "export without ship.from in oms.yaml is a configuration error"

# pick.confirm: required.
printf 'pick:\n  confirm: required\n' >required.yaml
h=$(order true '{method: prepaid}' '[{sku: B2, qty: 1}]')
list=$(sql "SELECT list_id FROM pick_lines WHERE order_id = $h")
run oms-ship -q -c required.yaml --carrier ups --service ground $h
expect 1 "" "oms-ship: order $h: pick list $list is not confirmed (pick.confirm is required): oms-pick confirm $list" \
	"required: an unconfirmed list is refused"
oms-pick confirm $list
run oms-ship -q -c required.yaml --carrier ups --service ground $h
expect 0 "$h" "" "once confirmed it ships"
# implied: shipping confirms the order's lines, and the list's confirmation later does not count them twice.
i=$(order true '{method: prepaid}' '[{sku: B2, qty: 1}]')
j=$(oms-add <o.yaml | oms-verify-addr | oms-auth -q | oms-backorder)
oms-pick -q $j >/dev/null
oms-ship -q --carrier ups --service ground $i >/dev/null
list=$(sql "SELECT list_id FROM pick_lines WHERE order_id = $i")
is "$(sql "SELECT confirmed, picked FROM pick_lines WHERE order_id = $i")" "1|1" "implied: shipping confirmed the order's pick line"
run oms-pick confirm $list
is "$rc" 0 "the list is confirmed afterwards"
is "$(sql "SELECT picked, shipped FROM order_lines WHERE order_id = $i")" "0|1" "without counting the shipped order's units again"

# Dry run and -a.
k=$(order true '{method: prepaid}' '[{sku: B2, qty: 1}]')
run oms-ship -n --carrier ups --service ground $k
expect 0 "$k" "" "-n says what would ship"
is "$(sql "SELECT count(*) FROM shipments WHERE order_id = $k")" 0 "and records nothing"
run oms-ship -q -a --carrier ups --service ground
is "$(out | sort -n | tr '\n' ' ')" "$j $k " "-a ships every picking order"

# Void: the goods come back, the capture is refunded.
before=$(sql "SELECT on_hand || '/' || reserved FROM stock WHERE sku = 'A1'")
run oms-ship void --reason "label reprinted" 1
expect 0 "" "$T" "a shipment is voided"
is "$(sql "SELECT status, voided_by, void_reason FROM shipments WHERE id = 1")" "void|tester|label reprinted" "kept as void, with who and why"
is "$(sql "SELECT status FROM orders WHERE id = $a")" picking "its order is picking again"
is "$(sql "SELECT on_hand || '/' || reserved FROM stock WHERE sku = 'A1'")" \
	"$((${before%/*} + 2))/$((${before#*/} + 2))" "its units are on hand and reserved again"
is "$(sql "SELECT group_concat(qty || '/' || allocated || '/' || picked || '/' || shipped) FROM order_lines WHERE order_id = $a")" \
	"2/2/2/0,1/1/1/0" "and picked for the order"
is "$(sql "SELECT kind, amount, status, shipment_id FROM payments WHERE order_id = $a AND kind = 'refund'")" \
	"refund|4448|succeeded|1" "what it captured is refunded"
run oms-ship void 1
expect 1 "" "oms-ship: shipment 1: void already" "a void shipment cannot be voided again"
run oms-ship void 999
expect 1 "" "oms-ship: shipment 999: no such shipment" "an unknown shipment"
run oms-ship --carrier ups --service ground --tracking $UPS $a
expect 0 "" "$T
oms-ship: order $a: shipped (shipment $(sql 'SELECT max(id) FROM shipments')), held for payment: capture of 44.48 USD is more than the authorization has left" \
	"shipped again under the voided number: the gateway captures once, so the order is held for payment"
run oms-ship list $a
expect 0 "SHIPMENT  ORDER  STATUS   CARRIER  SERVICE  TRACKING            UNITS  WEIGHT_G   COST  CHARGE  CURRENCY  SHIPPED_AT
       1      $a  void     ups      ground   $UPS      3      1451  11.40   44.48  USD       $(sql 'SELECT shipped_at FROM shipments WHERE id = 1')
      $(sql 'SELECT max(id) FROM shipments')      $a  shipped  ups      ground   $UPS      3      2041          44.48  USD       $(sql 'SELECT max(shipped_at) FROM shipments')" "" \
	"list: an order's shipments (the catalog's weights, 3 x 1.5 lb, summed exactly: 2041.17 g, not 3 x 680)"

# One run, an order whose capture is not answered between two that take none:
# only the card's is held, the others go on (ship_captures looks at the card's only).
oms-stock -q receive A1 3
p1=$(order true '{method: prepaid}' '[{sku: A1, qty: 1}]')
c2=$(order true "$card" '[{sku: A1, qty: 1}]')
p3=$(order true '{method: prepaid}' '[{sku: A1, qty: 1}]')
OMS_TEST_GATEWAY=down run oms-ship --carrier ups --service ground $p1 $c2 $p3
expect 0 "$p1
$p3" "$T
oms-ship: order $c2: payment gateway unreachable, capture left to retry: test gateway unreachable (OMS_TEST_GATEWAY=down)
oms-ship: order $c2: shipped, held for payment: capture not answered: gateway unreachable" \
	"a batch with a capture not answered: that order held, the prepaid ones passed on"
is "$(sql "SELECT group_concat(status || '/' || coalesce(hold_reason, '-'), ' ') FROM (SELECT status,
    hold_reason FROM orders WHERE id IN ($p1, $c2, $p3) ORDER BY id)")" \
	"shipped/- hold/payment shipped/-" "and only it is on hold"

run oms-ship -h
like "$rc $(out | head -n 1)" "^0 usage: oms-ship " "-h prints the usage on stdout"
run oms-ship --bogus
is "$rc" 2 "an unknown option is a usage error"
run oms-ship -V
expect 0 "oms-ship (oms) 0.1.0" "" "-V prints the version"

done_testing
