#!/bin/sh
# oms-order edit: each field, each line change with its reservations and
# ledger rows, never an oversell, a new ship-to verified again, a larger
# card total authorized again, what a pick list or a shipment forbids,
# versions (--if-version, two people at once, the editor), an edit racing
# an allocation run, and the history that says what was before and after.
. "$(dirname "$0")/lib.sh"

catalog
printf 'A1 100\nB2 50\n' | oms-stock -q receive -
T="oms-auth: payment gateway test in TEST MODE: no real money moves"
S="oms-ship: payment gateway test in TEST MODE: no real money moves"
# order PAYMENT LINES [EXTRA]: an order taken through allocation, its ID printed.
order() {
	printf 'ship_to: {name: "Pat Doe", line1: "1 Main St", city: Boston, region: MA, postal_code: "02101"}\npayment: %s\nshipping: "5.00"\nlines: %s\n%s\n' \
		"$1" "$2" "${3:-}" >o.yaml
	oms-add <o.yaml | oms-verify-addr | oms-auth -q | oms-backorder -q
}
# edit TEXT ARG...: oms-order edit with TEXT on stdin.
edit() {
	printf '%s\n' "$1" >e.yaml
	shift
	run_in e.yaml oms-order edit "$@"
}
ver() { sql "SELECT version FROM orders WHERE id = $1"; }
last_edit() { sql "SELECT coalesce(from_status, '') || '|' || coalesce(to_status, '') || '|' || detail FROM events WHERE order_id = $1 AND what = 'edit' ORDER BY id DESC LIMIT 1"; }
# consistent: stock is the ledger's sum and what the order lines hold reserved.
consistent() {
	sql "SELECT count(*) FROM stock s WHERE on_hand != (SELECT sum(d_on_hand) FROM stock_moves m WHERE m.sku = s.sku)
	  OR reserved != (SELECT sum(d_reserved) FROM stock_moves m WHERE m.sku = s.sku)
	  OR reserved != (SELECT coalesce(sum(allocated), 0) FROM order_lines l WHERE l.sku = s.sku)
	  OR reserved > on_hand"
}
invoice='{method: invoice}'
card='{method: card, token: pm_card_visa}'

# The fields, on an allocated order paid on terms: no consequence but the history.
a=$(order "$invoice" '[{sku: A1, qty: 2}]')
is "$(sql "SELECT status, version FROM orders WHERE id = $a")" "allocated|4" "an allocated order at version 4"
run oms-order show --format json $a
like "$(out | tr -d ' \n')" '"version":4,' "show --format json gives its version, for --if-version"
edit 'customer: {name: "Pat Q. Doe", email: pat@example.com, phone: "+1 617 555 0100"}
bill_to: {name: "Acme Inc", line1: "9 Bay Rd", city: Salem, region: MA, postal_code: "01970"}
ship_method: "2-day"
priority: 5
notes: "leave at the back door"' --reason "customer called" $a
expect 0 "$a" "" "customer, bill-to, ship method, priority and notes change"
is "$(sql "SELECT customer_name, customer_email, customer_phone, bill_name, bill_line1, bill_city, bill_country IS NULL, ship_method, priority, notes, status, version FROM orders WHERE id = $a")" \
	"Pat Q. Doe|pat@example.com|+1 617 555 0100|Acme Inc|9 Bay Rd|Salem|1|2-day|5|leave at the back door|allocated|5" \
	"stored; the order stays allocated, its version one up"
is "$(last_edit $a)" '||customer.name: "Pat Doe" -> "Pat Q. Doe"; customer.email: ~ -> "pat@example.com"; customer.phone: ~ -> "+1 617 555 0100"; bill_to.name: ~ -> "Acme Inc"; bill_to.line1: ~ -> "9 Bay Rd"; bill_to.city: ~ -> "Salem"; bill_to.region: ~ -> "MA"; bill_to.postal_code: ~ -> "01970"; ship_method: ~ -> "2-day"; notes: ~ -> "leave at the back door"; priority: 0 -> 5; reason: customer called' \
	"one event, each field before and after, and the reason"
run oms-order find "q doe" 617-555-0100
expect 0 "$a" "" "oms-order find finds it by its new name and phone"
run oms-order find acme
expect 0 "$a" "" "and by its new bill-to company"
run oms-order find PAT@example.com
expect 0 "$a" "" "and by its new e-mail, in any case (its key is stored anew)"
is "$(sql "SELECT user, tool FROM events WHERE order_id = $a AND what = 'edit'")" "tester|oms-order" "with who and which tool"
edit 'bill_to: {line1: "10 Bay Rd"}
notes: ~' $a
expect 0 "$a" "" "fields left out keep their value; a field given empty is cleared"
is "$(sql "SELECT bill_name, bill_line1, notes IS NULL FROM orders WHERE id = $a")" "Acme Inc|10 Bay Rd|1" "bill-to merged field by field, the notes cleared"
is "$(last_edit $a)" '||bill_to.line1: "9 Bay Rd" -> "10 Bay Rd"; notes: "leave at the back door" -> ~' "the history says so"
edit 'priority: 5' $a
expect 0 "$a" "oms-order: order $a: nothing to change: it is so already" "an edit that changes nothing says so"
is "$(ver $a) $(sql "SELECT count(*) FROM events WHERE order_id = $a AND what = 'edit'")" "6 2" "and writes nothing: no version, no event"
run oms-order edit --ship-method ground --priority -3 $a
expect 0 "$a" "" "the quick options"
is "$(last_edit $a)" '||ship_method: "2-day" -> "ground"; priority: 5 -> -3' "change what they say"
edit 'ship_to: {line1: ~}' $a
expect 1 "" "oms-order: order $a: ship_to.line1: cannot be cleared: an order ships somewhere" "a required field cannot be cleared"
edit 'payment: {method: card}' $a
expect 1 "" 'oms-order: stdin:1: order: unknown field "payment"' "what an edit cannot change is refused by name"
edit 'notes: "card 4242 4242 4242 4242 exp 12/30"' $a
expect 1 "" "oms-order: stdin:1: notes: holds what looks like a card number; refused (not stored)" \
	"a card number in edited text is refused, and not echoed"
is "$(sql "SELECT count(*) FROM orders WHERE notes LIKE '%4242%'") $(sql "SELECT count(*) FROM events WHERE detail LIKE '%4242%'")" "0 0" "nor stored anywhere"
run oms-order edit --line A1:x $a
expect 1 "" 'oms-order: options: line 1: qty: "x" is not a whole number (0 cancels the line)' "a bad quantity is refused"

# Lines: set, cancelled, added, repriced; the reservation and the ledger at once.
is "$(consistent)" 0 "(stock agrees with the ledger and the lines)"
run oms-order edit --line A1:3 $a
expect 0 "$a" "" "a larger quantity"
is "$(sql "SELECT qty, allocated, cancelled FROM order_lines WHERE order_id = $a")" "3|3|0" "is reserved at once"
is "$(sql "SELECT kind, d_on_hand, d_reserved, ref, reason FROM stock_moves ORDER BY id DESC LIMIT 1")" "reserve|0|1|order $a|order edited" \
	"by a ledger row naming the order"
is "$(sql "SELECT subtotal, total FROM orders WHERE id = $a")" "2997|3497" "the totals follow"
run oms-order edit --line A1:1 $a
expect 0 "$a" "" "a smaller quantity"
is "$(sql "SELECT qty, allocated, cancelled FROM order_lines WHERE order_id = $a")" "3|1|2" \
	"is cancelled from the line, as oms-order cancel --line does, and the history of it kept"
is "$(sql "SELECT kind, d_reserved, reason FROM stock_moves ORDER BY id DESC LIMIT 1")" "release|-2|order edited" "its reservation released"
is "$(last_edit $a)" "||line A1 qty 3 -> 1; subtotal 29.97 -> 9.99; total 34.97 -> 14.99" "the history says how many before and after"
run oms-order edit --line B2:2 --line A1:0 $a
expect 0 "$a" "" "a line added and one taken out"
is "$(sql "SELECT line_no, sku, qty, allocated, cancelled, unit_price FROM order_lines WHERE order_id = $a ORDER BY line_no")" "1|A1|3|0|3|999
2|B2|2|2|0|1950" "the new SKU is a new line at the catalog's price, reserved; the old one all cancelled"
is "$(last_edit $a)" "||line B2 added: qty 2 at 19.50; line A1 qty 1 -> 0; reserved B2 2/2; subtotal 9.99 -> 39.00; total 14.99 -> 44.00" "in one event"
run oms-order edit --line B2:2:18.00 $a
expect 0 "$a" "" "a new price"
is "$(sql "SELECT unit_price FROM order_lines WHERE order_id = $a AND sku = 'B2'") $(sql "SELECT total FROM orders WHERE id = $a")" "1800 4100" "applies to the line and the totals"
run oms-order edit --line C3:1 $a
expect 1 "" 'oms-order: order '$a': line 1: sku "C3" has no catalog price in USD: give one' "a SKU without a price needs one"
run oms-order edit --line Z9:1:1.00 $a
expect 1 "" 'oms-order: order '$a': line 1: sku "Z9" is not in the catalog' "an unknown SKU is refused"
run oms-order edit --line A1:0 $a
expect 1 "" 'oms-order: order '$a': line 1: sku "A1": the order has none open to cancel' "a line cancelled already cannot be cancelled again"
run oms-order edit --line B2:0 $a
expect 1 "" "oms-order: order $a: nothing would be left to ship: cancel it instead (oms-order cancel $a)" \
	"an edit that would leave nothing to ship is a cancellation: refused"
is "$(consistent)" 0 "stock still agrees with the ledger and the lines"

# Tax and discount follow the goods; given, they are what is given.
t=$(order "$invoice" '[{sku: A1, qty: 2}]' 'tax: "1.60"
discount: "2.00"')
run oms-order edit --line A1:4 $t
is "$(sql "SELECT subtotal, discount, shipping, tax, total FROM orders WHERE id = $t")" "3996|400|500|320|4416" "doubled goods, doubled tax and discount"
edit 'tax: "3.00"
shipping: "7.50"' $t
is "$(sql "SELECT discount, shipping, tax, total FROM orders WHERE id = $t")" "400|750|300|4646" "a tax or shipping given is taken as given"
edit 'discount: "99.00"' $t
expect 1 "" "oms-order: order $t: discount 99.00 is more than the lines add up to (39.96)" "a discount over the goods is refused"

# Never an oversell, and the fair order kept: a later order's edit does not
# take what an earlier waiting order needs.
printf 'sku,description,price\nD4,Doohickey,5.00\nE5,Thing,3.00\n' >more.csv
oms-stock -q import more.csv
printf 'D4 3\nE5 1\n' | oms-stock -q receive -
w=$(printf 'ship_to: {name: Lee, line1: "2 Elm St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: invoice}\nlines: [{sku: D4, qty: 5}]\n' |
	oms-add | oms-verify-addr | oms-auth -q | oms-backorder -q)
w=$(sql "SELECT max(id) FROM orders")
is "$(sql "SELECT status, allocated FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.id = $w")" "backordered|3" \
	"(an earlier ship-complete order waits for 2 D4, holding the 3 there are)"
x=$(order "$invoice" '[{sku: A1, qty: 1}]')
run oms-order edit --line D4:2 $x
expect 0 "$x" "oms-order: order $x: backordered: it waits for stock (oms-backorder)" \
	"more than is available: nothing oversold, and a ship-complete order waits"
is "$(sql "SELECT status FROM orders WHERE id = $x") $(sql "SELECT allocated FROM order_lines WHERE order_id = $x AND sku = 'D4'") $(sql "SELECT on_hand, reserved FROM stock WHERE sku = 'D4'")" \
	"backordered 0 3|3" "it reserved none: the stock is the earlier order's"
is "$(last_edit $x)" "allocated|backordered|line D4 added: qty 2 at 5.00; reserved D4 0/2; subtotal 9.99 -> 19.99; total 14.99 -> 24.99" \
	"the move is in the edit's one event"
printf 'D4 2\n' | oms-stock -q receive -
run oms-order edit --line D4:3 $x
is "$(sql "SELECT allocated FROM order_lines WHERE order_id = $x AND sku = 'D4'")" 0 "stock that came in is still the earlier order's"
run oms-order edit --line D4:1000000000 $x
expect 0 "$x" "" "a billion more"
is "$(sql "SELECT on_hand, reserved FROM stock WHERE sku = 'D4'") $(sql "SELECT allocated FROM order_lines WHERE order_id = $x AND sku = 'D4'")" "5|3 0" "oversells nothing"
run oms-order edit --line D4:0 $x
expect 0 "$x" "" "the line that waited taken out"
is "$(sql "SELECT status FROM orders WHERE id = $x")" allocated "the order has all it needs again: allocated"
y=$(order "$invoice" '[{sku: A1, qty: 1}]' 'ship_complete: false')
run oms-order edit --line E5:3 $y
expect 0 "$y" "" "split: more than is in stock"
is "$(sql "SELECT status FROM orders WHERE id = $y") $(sql "SELECT allocated FROM order_lines WHERE order_id = $y AND sku = 'E5'")" "allocated 1" \
	"the one in stock reserved, the rest waits, the order goes on: allocated"
run oms-order edit --line D4:1 $y
is "$(sql "SELECT allocated FROM order_lines WHERE order_id = $y AND sku = 'D4'")" 0 "D4 is still the earlier order's"
run oms-backorder -q -a
is "$(sql "SELECT status FROM orders WHERE id = $w")" allocated "allocation gives the earlier order what came in"
is "$(consistent)" 0 "stock agrees with the ledger and the lines"

# A new ship-to: back to new, its reservations kept, verified again.
c=$(order "$card" '[{sku: A1, qty: 1}]')
reserved=$(sql "SELECT reserved FROM stock WHERE sku = 'A1'")
edit 'ship_to: {line1: "5 Oak Ave", city: Cambridge, postal_code: "02139"}' --reason "customer moved" $c
expect 0 "$c" "oms-order: order $c: back to new: its new ship-to is to be verified (oms-verify-addr)" "a new ship-to"
is "$(sql "SELECT status, ship_line1, ship_city, std_line1 IS NULL, std_city IS NULL FROM orders WHERE id = $c")" "new|5 Oak Ave|Cambridge|1|1" \
	"sends the order back to new, the old standardized address forgotten"
is "$(sql "SELECT allocated FROM order_lines WHERE order_id = $c") $(sql "SELECT reserved FROM stock WHERE sku = 'A1'")" "1 $reserved" "its reservation kept"
is "$(last_edit $c)" 'allocated|new|ship_to.line1: "1 Main St" -> "5 Oak Ave"; ship_to.city: "Boston" -> "Cambridge"; ship_to.postal_code: "02101" -> "02139"; reason: customer moved' \
	"the history has the old address and the new"
run oms-pick $c
is "$rc" 1 "it cannot be picked before it is verified again"
oms-verify-addr -q $c | oms-auth -q | oms-backorder -q >/dev/null
is "$(sql "SELECT status FROM orders WHERE id = $c") $(sql "SELECT count(*) FROM payments WHERE order_id = $c")" "allocated 1" \
	"verified, its authorization still covers it, allocated with what it kept"
is "$(sql "SELECT detail FROM events WHERE order_id = $c AND what = 'allocate' ORDER BY id DESC LIMIT 1")" "reserved already" \
	"allocation says it had nothing more to reserve"
is "$(sql "SELECT std_city FROM orders WHERE id = $c")" CAMBRIDGE "the new address standardized"
h=$(printf 'ship_to: {name: Kim, line1: "1 A St", city: Reno, region: CA, postal_code: "10001"}\npayment: {method: invoice}\nlines: [{sku: A1, qty: 1}]\n' | oms-add)
oms-verify-addr -q $h >/dev/null 2>&1
is "$(sql "SELECT status, hold_reason FROM orders WHERE id = $h")" "hold|address" "(an order held for its address)"
edit 'ship_to: {city: "New York", region: NY}' $h
expect 0 "$h" "oms-order: order $h: released from its address hold: its new ship-to is to be verified (oms-verify-addr)" \
	"a new ship-to settles an address hold"
is "$(sql "SELECT status, hold_reason IS NULL FROM orders WHERE id = $h")" "new|1" "the order is new, to be verified"
oms-order hold -q --reason "fraud check" $x >/dev/null
edit 'ship_to: {line2: "Apt 4"}' $x
expect 0 "$x" "oms-order: order $x: back to new: its new ship-to is to be verified (oms-verify-addr)
oms-order: order $x: still on hold (manual): released, it goes to new" "a held order's new ship-to"
is "$(sql "SELECT status, held_from FROM orders WHERE id = $x")" "hold|new" "stays held, to be released to new"
oms-order release -q $x >/dev/null
is "$(sql "SELECT status FROM orders WHERE id = $x")" new "and is"
run oms-order edit --line A1:3 $h
expect 0 "$h" "" "more on an order not yet allocated"
is "$(sql "SELECT status FROM orders WHERE id = $h") $(sql "SELECT qty, allocated FROM order_lines WHERE order_id = $h")" "new 3|0" \
	"reserves nothing yet: allocation does that when the order gets there"
pp=$(order '{method: prepaid, reference: "ch_cart_9"}' '[{sku: A1, qty: 1}]')
run oms-order edit --line A1:2 $pp
expect 0 "$pp" "oms-order: order $pp: total up from 14.99 to 24.98, and it was paid for at the cart: collect the difference there" \
	"a prepaid order that costs more: said, the difference is the cart's to collect"
is "$(sql "SELECT status FROM orders WHERE id = $pp")" allocated "and it goes on"
run oms-order edit $pp
expect 1 "" "oms-order: stdin: no edit document: nothing changed" "no edit document on stdin: nothing to do (status 1)"
printf 'notes: x\n---\nnotes: y\n' >two.yaml
run_in two.yaml oms-order edit $pp
expect 1 "" "oms-order: stdin:3: one order is edited at a time: a second document" "one document only"

# A larger card total: authorized again, for all of it, before it may ship.
r=$(order "$card" '[{sku: A1, qty: 1}]')
run oms-order edit --line A1:2 $r
expect 0 "$r" "oms-order: order $r: back to verified: its card is to be authorized for 24.98 (oms-auth)" \
	"a total the authorization does not cover"
is "$(sql "SELECT status FROM orders WHERE id = $r") $(sql "SELECT allocated FROM order_lines WHERE order_id = $r")" "verified 2" \
	"goes back to verified, the new unit reserved at once"
is "$(last_edit $r)" "allocated|verified|line A1 qty 1 -> 2; reserved A1 1/1; subtotal 9.99 -> 19.98; total 14.99 -> 24.98; authorization 9.99 short" \
	"the history says how short"
run oms-pick $r
is "$rc" 1 "it cannot be picked"
run oms-auth $r
expect 0 "$r" "$T" "oms-auth authorizes it"
is "$(sql "SELECT group_concat(kind || ':' || amount || ':' || status || ':' || coalesce(parent_id, '-'), ' ') FROM (SELECT * FROM payments WHERE order_id = $r ORDER BY id)")" \
	"authorize:1499:succeeded:- authorize:2498:succeeded:- void:1499:succeeded:$(sql "SELECT min(id) FROM payments WHERE order_id = $r")" \
	"anew for the whole total (no driver raises one in place), the old one voided once the new holds"
oms-backorder -q $r | oms-pick -q >/dev/null
run oms-ship --carrier ups --service ground $r
expect 0 "$r" "$S" "it ships"
is "$(sql "SELECT amount, parent_id = (SELECT max(id) FROM payments WHERE order_id = $r AND kind = 'authorize') FROM payments WHERE order_id = $r AND kind = 'capture'")" "2498|1" \
	"and the new authorization is captured for the new total"
run oms-auth $r
is "$(sql "SELECT count(*) FROM payments WHERE order_id = $r")" 4 "(nothing more)"

# An authorization left pending by a run that died, its order edited since:
# the gateway's answer to it is taken, and the rest authorized after.
q=$(printf 'ship_to: {name: Lee, line1: "2 Elm St", city: Reno, region: NV, postal_code: "89501"}\npayment: %s\nlines: [{sku: A1, qty: 1}]\n' "$card" |
	oms-add | oms-verify-addr -q)
sql "INSERT INTO payments (order_id, kind, gateway, idempotency_key, amount, currency, created_at, updated_at, tool, user) VALUES ($q, 'authorize', 'test', 'oms-authorize-$q-died', 999, 'USD', 't', 't', 'oms-auth', 'tester')"
run oms-order edit --line A1:2 $q
expect 0 "$q" "" "a verified order, not authorized yet, edited"
run oms-auth $q
expect 1 "" "$T
oms-auth: order $q: authorized for less than its total, edited since: left to authorize the rest on the next run" \
	"the intent it had is sent as it was (its key), and found short: the order stays verified"
is "$(sql "SELECT status FROM orders WHERE id = $q")" verified "(verified)"
run oms-auth $q
expect 0 "$q" "$T" "the next run authorizes it"
is "$(sql "SELECT group_concat(kind || ':' || amount || ':' || status, ' ') FROM (SELECT * FROM payments WHERE order_id = $q ORDER BY id)")" \
	"authorize:999:succeeded authorize:1998:succeeded void:999:succeeded" "for its whole total, the short one voided"

# A smaller total is settled when it ships: the capture takes the goods' share.
m=$(order "$card" '[{sku: A1, qty: 2}, {sku: B2, qty: 1}]')
run oms-order edit --line B2:0 $m
expect 0 "$m" "" "a smaller card total"
is "$(sql "SELECT status, total FROM orders WHERE id = $m")" "allocated|2498" "stays allocated: the authorization covers it"
oms-pick -q $m >/dev/null
oms-ship -q --carrier ups --service ground $m >/dev/null
is "$(sql "SELECT charge FROM shipments WHERE order_id = $m") $(sql "SELECT amount FROM payments WHERE order_id = $m AND kind = 'capture'")" "2498 2498" \
	"the shipment charges, and the card is captured for, the new total, not the authorization"

# Partly shipped: a larger total asks the card for what is not paid yet.
p=$(order "$card" '[{sku: A1, qty: 1}, {sku: E5, qty: 2}]' 'ship_complete: false')
oms-pick -q $p >/dev/null
oms-ship -q --carrier ups --service ground $p >/dev/null
is "$(sql "SELECT status FROM orders WHERE id = $p") $(sql "SELECT sum(charge) FROM shipments WHERE order_id = $p")" "backordered 1499" "(a split order, its first part shipped)"
run oms-order edit --line B2:1 $p
expect 0 "$p" "oms-order: order $p: back to verified: its card is to be authorized for 25.50 (oms-auth)" \
	"what is left to pay: 40.49 less the 14.99 captured"
oms-auth -q $p >/dev/null
is "$(sql "SELECT group_concat(kind || ':' || amount, ' ') FROM (SELECT * FROM payments WHERE order_id = $p ORDER BY id)")" \
	"authorize:2099 capture:1499 authorize:2550" "a new authorization for it; the old one, captured from, is left be"
run oms-backorder $p
expect 0 "$p" "" "split, allocation passes it on"
is "$(sql "SELECT status FROM orders WHERE id = $p")" allocated "with the B2 its edit reserved to go now, the E5 to wait"
oms-pick -q $p >/dev/null
oms-ship -q --carrier ups --service ground $p >/dev/null
printf 'E5 4\n' | oms-stock -q receive -
oms-backorder -q $p | oms-pick -q >/dev/null
oms-ship -q --carrier ups --service ground $p >/dev/null
is "$(sql "SELECT status, total FROM orders WHERE id = $p") $(sql "SELECT sum(amount) FROM payments WHERE order_id = $p AND kind = 'capture' AND status = 'succeeded'")" \
	"shipped|4049 4049" "the rest ships, and the captures add up to the total"

# An order on a pick list changes only what is not picked.
k=$(order "$invoice" '[{sku: A1, qty: 2}]')
oms-pick -q $k >/dev/null
run oms-order edit --line A1:1 $k
expect 1 "" "oms-order: order $k: line A1: qty 1: 2 of it picked, on a pick list or shipped" "what is on the pick list cannot be taken off"
edit 'ship_to: {city: Salem}' $k
expect 1 "" "oms-order: order $k: ship_to: it is on a pick list, being picked to ship to the address it has: cancel the pick list first (oms-pick cancel), or ship it as it is" \
	"nor can its ship-to change"
run oms-order edit --ship-method overnight $k
expect 1 "" "oms-order: order $k: ship_method: it is on a pick list, its wave made for the method it has: cancel the pick list first (oms-pick cancel), or ship it as it is" \
	"nor its ship method"
run oms-order edit --line B2:1 $k
expect 1 "" "oms-order: order $k: line 1: B2: it is on a pick list and ships complete: what is added could not go with it; ship it first, or make a new order" \
	"nor, shipping complete, can it grow"
is "$(ver $k) $(sql "SELECT count(*) FROM order_lines WHERE order_id = $k")" "5 1" "all refused: nothing changed"
edit 'notes: "gift wrap"' $k
expect 0 "$k" "" "what is not picked may change"
j=$(order "$invoice" '[{sku: A1, qty: 1}]' 'ship_complete: false')
oms-pick -q $j >/dev/null
run oms-order edit --line A1:3 --line B2:1 $j
expect 0 "$j" "" "a split order on a pick list may grow"
is "$(sql "SELECT status FROM orders WHERE id = $j") $(sql "SELECT group_concat(qty || '/' || allocated, ' ') FROM order_lines WHERE order_id = $j")" "picking 3/3 1/1" \
	"reserved at once; it stays on its pick list"
oms-ship -q --carrier ups --service ground $j >/dev/null
is "$(sql "SELECT status FROM orders WHERE id = $j") $(sql "SELECT group_concat(qty || '/' || shipped, ' ') FROM order_lines WHERE order_id = $j")" "allocated 3/1 1/0" \
	"what was picked ships; the rest is to be picked next"
oms-ship -q --carrier ups --service ground $k >/dev/null
run oms-order edit --priority 1 $k
expect 1 "" "oms-order: order $k: cannot edit: it is shipped" "a shipped order cannot be edited"
oms-order cancel -q $y >/dev/null
run oms-order edit --priority 1 $y
expect 1 "" "oms-order: order $y: cannot edit: it is cancelled" "nor a cancelled one"
run oms-order edit --priority 1 9999
expect 1 "" "oms-order: order 9999: no such order" "nor one that is not there"
is "$(consistent)" 0 "stock agrees with the ledger and the lines"

# Versions: an edit of an order someone changed meanwhile is refused.
v=$(ver $a)
edit 'notes: "ring twice"' --if-version $((v - 1)) $a
expect 1 "" "oms-order: order $a: changed since version $((v - 1)): it is at version $v now; nothing changed (oms-order show $a, and edit it again)" \
	"--if-version of an older version: refused, naming the current one"
is "$(ver $a) $(sql "SELECT notes IS NULL FROM orders WHERE id = $a") $(sql "SELECT count(*) FROM events WHERE order_id = $a AND detail LIKE '%ring twice%'")" "$v 1 0" \
	"and nothing changed"
edit 'notes: "ring twice"' --if-version $v $a
expect 0 "$a" "" "--if-version of the version it is at"
is "$(ver $a)" $((v + 1)) "one version up"
run oms-order -n edit --line B2:5 $a
expect 0 "$a	edit	line B2 qty 2 -> 5; reserved B2 3/3; subtotal 36.00 -> 90.00; total 41.00 -> 95.00" "" "-n says what would change"
is "$(ver $a) $(sql "SELECT qty FROM order_lines WHERE order_id = $a AND sku = 'B2'")" "$((v + 1)) 2" "and changes nothing"

# Two people at once, both from the same version: one wins, the other is told.
v=$(ver $a)
edits=$(sql "SELECT count(*) FROM events WHERE order_id = $a AND what = 'edit'")
printf 'notes: "from Ann"\n' >ann.yaml
printf 'priority: 7\n' >bob.yaml
oms-order edit --if-version $v $a <ann.yaml >ann.out 2>ann.err &
ann=$!
oms-order edit --if-version $v $a <bob.yaml >bob.out 2>bob.err &
bob=$!
wait $ann
ann=$?
wait $bob
bob=$?
is "$(echo $ann $bob | tr ' ' '\n' | sort | tr '\n' ' ')" "0 1 " "one edit wins, the other is refused"
if [ $ann -eq 0 ]; then loser=bob; else loser=ann; fi
is "$(cat $loser.err)" "oms-order: order $a: changed since version $v: it is at version $((v + 1)) now; nothing changed (oms-order show $a, and edit it again)" \
	"the one refused is told why"
is "$(ver $a) $(sql "SELECT count(*) FROM events WHERE order_id = $a AND what = 'edit'")" "$((v + 1)) $((edits + 1))" \
	"one edit is in the order and its history"
run_in $loser.yaml oms-order edit --if-version $((v + 1)) $a
expect 0 "$a" "" "done again from the new version"
is "$(sql "SELECT notes, priority FROM orders WHERE id = $a")" "from Ann|7" "and nothing is lost"

# An edit racing an allocation run: never an oversell, stock always the ledger's.
printf 'sku,description,price\nF6,Fidget,1.00\n' >f6.csv
oms-stock -q import f6.csv
printf 'F6 6\n' | oms-stock -q receive -
race=
for i in 1 2 3 4 5 6 7 8; do
	race="$race $(order "$invoice" '[{sku: A1, qty: 1}]')"
done
(for i in $(seq 1 12); do
	oms-backorder -q -a >/dev/null 2>>race.err || echo "backorder $?" >>race.err
	oms-stock -q receive F6 1 2>>race.err || echo "receive $?" >>race.err
done) &
bg=$!
for i in 1 2 3; do
	for id in $race; do
		oms-order edit -q --line F6:$(( (id + i) % 4 + 1 )) $id >/dev/null 2>>edit.err ||
			echo "edit $id $?" >>edit.err
	done
done
wait $bg
is "$(cat race.err 2>/dev/null)" "" "the allocation runs all succeed"
is "$(cat edit.err 2>/dev/null)" "" "and so do the edits"
is "$(consistent)" 0 "stock is the ledger's sum and what the lines reserve; nothing oversold"
is "$(sql "SELECT count(*) FROM orders o WHERE status = 'allocated' AND coalesce(ship_complete, 1) = 1 AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.qty > l.allocated + l.shipped + l.cancelled)")" 0 \
	"no ship-complete order is allocated with something still waiting"

# The editor, on a terminal: the whole order, the version it was opened at.
cat >editor.sh <<'SH'
#!/bin/sh
# A scripted person: a card number first, sent back; then the fix.
n=$(cat "$OMS_TEST_DIR/rounds" 2>/dev/null || echo 0)
n=$((n + 1)); echo $n >"$OMS_TEST_DIR/rounds"
cp "$1" "$OMS_TEST_DIR/seen.$n"
if [ $n -eq 1 ]; then
	sed -i 's/^  city: "Boston"$/  city: "Lowell"/; s/^notes: .*/notes: "card 4242424242424242"/' "$1"
else
	sed -i 's/^notes: .*/notes: "call first"/; /sku: "B2"/,+2d' "$1"
fi
SH
chmod +x editor.sh
e=$(order "$invoice" '[{sku: A1, qty: 2}, {sku: B2, qty: 1}]')
if command -v script >/dev/null; then
	OMS_TEST_DIR=$SCRATCH EDITOR=$SCRATCH/editor.sh script -qec "oms-order edit --reason 'by phone' $e" /dev/null >tty.out 2>&1 </dev/null
	is "$?" 0 "on a terminal, edit opens the editor on the order and takes it once it checks"
	is "$(sed -n 1p seen.1)" "# Order $e, version 4, allocated.  Change what is to change and save; empty" "the file says which order, at which version"
	is "$(sed -n '/^lines:/,$p' seen.1)" 'lines:
  - sku: "A1"
    qty: 2
    price: "9.99"
  - sku: "B2"
    qty: 1
    price: "19.50"' "with every line"
	like "$(sed -n 1p seen.2)" '^# ERROR: edit:[0-9]+: notes: holds what looks like a card number; refused \(not stored\)$' \
		"a card number sends it back, with the error at the top"
	is "$(sql "SELECT ship_city, notes, version FROM orders WHERE id = $e")" "Lowell|call first|5" "the edit is stored"
	is "$(sql "SELECT qty, cancelled FROM order_lines WHERE order_id = $e AND sku = 'B2'")" "1|1" "a line taken out is cancelled"
	like "$(last_edit $e)" '^allocated\|new\|ship_to.city: "Boston" -> "Lowell"; notes: ~ -> "call first"; line B2 qty 1 -> 0; subtotal 39.48 -> 19.98; total 44.48 -> 24.98; reason: by phone$' \
		"one event with all of it"
	cat >stale.sh <<SH
#!/bin/sh
# Someone else edits the order while this one is open.
oms-order edit -q --priority 9 $e >/dev/null
sed -i 's/^notes: .*/notes: "mine"/' "\$1"
SH
	chmod +x stale.sh
	EDITOR=$SCRATCH/stale.sh script -qec "oms-order edit $e" /dev/null >tty.out 2>&1 </dev/null
	is "$?" 1 "an order changed while it was open in the editor: refused (status 1)"
	like "$(cat tty.out)" "order $e: changed since version 5: it is at version 6 now; nothing changed" "naming the version it is at"
	is "$(sql "SELECT notes, priority FROM orders WHERE id = $e")" "call first|9" "the other's edit stands, this one changed nothing"
	printf '#!/bin/sh\nprintf "# nothing\\n" >"$1"\n' >blank.sh
	chmod +x blank.sh
	EDITOR=$SCRATCH/blank.sh script -qec "oms-order edit $e" /dev/null >tty.out 2>&1 </dev/null
	is "$? $(ver $e)" "1 6" "emptying the file changes nothing (status 1)"
else
	for i in $(seq 1 11); do ok "# SKIP script(1) is not installed"; done
fi

# The history shows each edit, before and after.
run oms-order history $e
like "$(out)" "oms-order +edit +allocated +new +ship_to.city: \"Boston\" -> \"Lowell\"" "oms-order history shows the edit"
run oms-order history --format json $e
like "$(out)" '"what":"edit"' "in every format"

# Usage.
run oms-order edit
expect 2 "" "$(printf 'oms-order: edit: expected one order ID\n'; oms-order -h)" "edit takes one ID"
run oms-order edit --if-version x $a
expect 2 "" 'oms-order: --if-version: "x" is not a version (1, 2, ...)' "a version is a number"
run oms-order hold --reason x --priority 1 $a
expect 2 "" "$(printf 'oms-order: --if-version, --ship-method and --priority go with edit\n'; oms-order -h)" "edit's options go with edit"

# The database is consistent after all of it.
run oms-db check
expect 0 "" "" "oms-db check finds nothing wrong"
is "$(consistent)" 0 "stock agrees with the ledger and the lines"

# A line with nothing to ship (an item the catalog says never ships) waits for
# no stock: an edit of the order's other lines leaves it allocated.
fresh_db
printf 'sku,description,price,ships\nGC,Gift card,25.00,no\nGC2,E-book,5.00,no\nA1,Widget,10.00,yes\n' >ships.csv
oms-stock -q import ships.csv
printf 'A1 10\n' | oms-stock -q receive -
printf 'ship_to: {name: "Pat Doe", line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: [{sku: A1, qty: 3}, {sku: GC, qty: 1}]\n' >gc.yaml
gc=$(oms-add <gc.yaml | oms-verify-addr | oms-auth -q | oms-backorder)
is "$(sql "SELECT status FROM orders WHERE id = $gc")" allocated "an order of goods and a gift card is allocated"
run oms-order edit --line A1:2 --reason "one less" $gc
expect 0 "$gc" "" "an edit of its goods"
is "$(sql "SELECT status FROM orders WHERE id = $gc")" allocated "leaves it allocated: the gift card waits for nothing"
run oms-order edit --line GC2:1 --reason "an e-book too" $gc
expect 0 "$gc" "oms-order: order $gc: total up from 45.00 to 50.00, and it was paid for at the cart: collect the difference there" \
	"a line added for an item that never ships"
is "$(sql "SELECT needs_shipping FROM order_lines WHERE order_id = $gc AND sku = 'GC2'")" 0 "needs no shipping"
is "$(sql "SELECT status FROM orders WHERE id = $gc")" allocated "and the order stays allocated"

done_testing
