#!/bin/sh
# oms-return: returns of shipped units (never more than shipped), receipts
# (restock through the ledger, available to waiting orders at the next
# allocation; scrap never on hand; never more than authorized), refunds
# exactly once (test gateway; owed where oms holds no money; a fee and
# shipping), claims, exchanges through the whole pipeline, cancel, the
# listings, oms-order show, the history, and bad input.
. "$(dirname "$0")/lib.sh"

catalog
printf 'sku,description,weight,bin,price\nR9,Rare part,1,C-09-09,30.00\n' >r9.csv
oms-stock -q import r9.csv
printf 'A1 50\nB2 20\nR9 1\n' | oms-stock -q receive -
T="oms-return: payment gateway test in TEST MODE: no real money moves"
card='{method: card, token: pm_card_visa}'
# order PAYMENT LINES [SHIPPING]: an order taken through the pipeline and
# shipped whole, its ID printed.
order() {
	printf 'ship_to: {name: "Pat Doe", line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: %s\nshipping: "%s"\nlines: %s\n' \
		"$1" "${3:-5.00}" "$2" >o.yaml
	oms-add <o.yaml | oms-verify-addr | oms-auth -q ${CFG:+-c "$CFG"} | oms-backorder |
		oms-pick -q | oms-ship -q ${CFG:+-c "$CFG"} --carrier ups --service ground
}
CFG=
# state: everything a step may change.
state() {
	sql "SELECT (SELECT count(*) FROM returns), (SELECT count(*) FROM return_lines),
	    (SELECT group_concat(id || ':' || status, ' ') FROM returns),
	    (SELECT count(*) FROM orders), (SELECT count(*) FROM events),
	    (SELECT count(*) FROM payments), (SELECT count(*) FROM stock_moves),
	    (SELECT sum(returned) FROM order_lines)"
}
lines_of() {
	sql "SELECT group_concat(sku || ':' || qty || '/' || received || '/' || restocked || '/' || scrapped, ' ')
	  FROM (SELECT * FROM return_lines WHERE return_id = $1 ORDER BY id)"
}
returned_of() {
	sql "SELECT group_concat(sku || ':' || returned, ' ') FROM (SELECT * FROM order_lines WHERE order_id = $1 ORDER BY line_no)"
}
on_hand() {
	sql "SELECT on_hand || '/' || reserved FROM stock WHERE sku = '$1'"
}

a=$(order "$card" '[{sku: A1, qty: 2}, {sku: B2, qty: 1}]')
is "$(sql "SELECT status || ' ' || total FROM orders WHERE id = $a")" "shipped 4448" "order A shipped: 2 A1 and a B2, 5.00 shipping"

# ---------------------------------------------------------------------------
# Usage errors: exit 2, nothing changed, before the database is opened.

# usage STDERR DESCRIPTION ARG...
usage() {
	local msg=$1 desc=$2 before
	shift 2
	before=$(state)
	run oms-return "$@"
	is "$rc" 2 "$desc: exit 2"
	is "$(sed -n 1p "$SCRATCH/err")" "$msg" "$desc: said"
	is "$(out)" "" "$desc: nothing on stdout"
	is "$(state)" "$before" "$desc: nothing changed"
}
usage "usage: oms-return [-nqv] [-c config] [-d db] open --line SKU:QTY [--line ...]" "no command" 
usage "oms-return: opne: unknown command (did you mean open?)" "a misspelt command" opne --line A1:1 --reason damaged $a
usage "oms-return: open: --line SKU:QTY is required" "open without --line" open --reason damaged $a
usage "oms-return: open: --reason CODE is required" "open without --reason" open --line A1:1 $a
usage "oms-return: open: expected one order ID" "open without an order" open --line A1:1 --reason damaged
usage "oms-return: --line \"A1\": expected SKU:QTY with QTY at least 1" "a line without a quantity" \
	open --line A1 --reason damaged $a
usage "oms-return: --line \"A1:0\": expected SKU:QTY with QTY at least 1" "a quantity of 0" \
	open --line A1:0 --reason damaged $a
usage "oms-return: --exchange \"B2:x\": expected SKU:QTY with QTY at least 1" "a bad exchange line" \
	open --line A1:1 --reason damaged --exchange B2:x $a
usage "oms-return: --amount does not go with open" "an option of another command" \
	open --line A1:1 --reason damaged --amount 5 $a
usage "oms-return: --no-return does not go with refund" "--no-return is open's" refund --no-return RMA-000001
usage "oms-return: refund: \"17\" is not an RMA number (RMA-000123)" "an order ID is not an RMA" refund 17
usage "oms-return: --line \"A1:1:shelf\": \"shelf\" is not restock or scrap" "a disposition that is none" \
	receive --line A1:1:shelf RMA-000001
usage "oms-return: receive --line: name one RMA" "receive --line takes one return" \
	receive --line A1:1 RMA-000001 RMA-000002
usage "oms-return: --status: \"shipped\" is not one of open, received, refunded, closed, cancelled" \
	"an unknown status" list --status shipped
usage "oms-return: --since: \"yesterday\" is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)" "a bad date" \
	list --since yesterday
usage "oms-return: --rma prints one a line: it does not go with --format" "--rma and a format" \
	list --rma --format json
usage "oms-return: -n: list changes nothing" "a dry run of a listing" -n list
usage "oms-return: --reason: \"broken\" is not a reason code (damaged, defective, wrong-item, not-as-described, no-longer-needed, other; returns.reasons in oms.yaml)" \
	"a reason code that is not configured" open --line A1:1 --reason broken $a
usage "oms-return: --line A1: given twice: one --line per SKU" "a SKU twice" \
	open --line A1:1 --line A1:1 --reason damaged $a
run oms-return -d nonexistent.db list
expect 2 "" "oms-return: nonexistent.db: no such oms database (create it with: oms-db init nonexistent.db)" \
	"no database: refused, not made"

# Reason codes from oms.yaml, checked where the configuration is.
printf 'returns:\n  reasons: [broken, late, other]\n' >reasons.yaml
run oms-return -n -c reasons.yaml open --line A1:1 --reason damaged $a
expect 2 "" "oms-return: --reason: \"damaged\" is not a reason code (broken, late, other; returns.reasons in oms.yaml)" \
	"returns.reasons replaces the default codes"
run oms-return -n -c reasons.yaml open --line A1:1 --reason broken $a
expect 0 "RMA-000001" "" "and its codes are taken (a dry run: nothing kept)"
is "$(sql "SELECT count(*) FROM returns")" 0 "a dry run keeps no return"
printf 'returns:\n  reasons: []\n' >bad.yaml
run oms-return -c bad.yaml list
expect 2 "" "oms-return: bad.yaml:2:12: returns.reasons: expected a list of one or more values, found an empty list" \
	"an empty list of reasons is a configuration error"
printf 'returns:\n  reasons: [late, "a b", late]\n' >bad.yaml
run oms-return -c bad.yaml list
expect 2 "" "oms-return: bad.yaml:2:19: returns.reasons: \"a b\" must be a word of 1 to 64 characters" \
	"a reason code is a word"
printf 'returns:\n  reasons: [late, other, late]\n' >bad.yaml
run oms-return -c bad.yaml list
expect 2 "" "oms-return: bad.yaml:2:26: returns.reasons: \"late\" is listed twice" "a code listed twice"
printf 'returns:\n  reasons: late\n' >bad.yaml
run oms-return -c bad.yaml list
expect 2 "" "oms-return: bad.yaml:2:12: returns.reasons: expected a list of one or more values, found a value" \
	"a single value is not a list"
printf 'returns:\n  reason: [late]\n' >bad.yaml
run oms-return -c bad.yaml list
expect 2 "" "oms-return: bad.yaml:2:3: unknown key \"returns.reason\"" "a misspelt key"

# ---------------------------------------------------------------------------
# Opening: only shipped units, never more than shipped less returned or authorized.

printf 'ship_to: {name: "Pat Doe", line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: %s\nlines: [{sku: A1, qty: 1}]\n' "$card" >o.yaml
new=$(oms-add <o.yaml)
before=$(state)
run oms-return open --line A1:3 --reason damaged $a
expect 1 "" "oms-return: order $a: A1: cannot return 3: 2 shipped, of which 2 are not returned or on a return already" \
	"a return of more than shipped is refused"
run oms-return open --line C3:1 --reason damaged $a
expect 1 "" "oms-return: order $a: C3 is not on the order" "a SKU the order does not have"
run oms-return open --line A1:1 --reason damaged 999
expect 1 "" "oms-return: order 999: no such order" "an order that does not exist"
run oms-return open --line A1:1 --reason damaged $new
expect 1 "" "oms-return: order $new: nothing of it has shipped (it is new): cancel it instead (oms-order cancel)" \
	"an order not shipped has nothing to return"
is "$(state)" "$before" "nothing was written"

run oms-return open --line A1:1 --line B2:1 --reason damaged --note "box crushed" $a
expect 0 "RMA-000001" "" "a return is authorized: its RMA number is printed"
is "$(sql "SELECT rma, order_id, status, reason, note, claim, currency, created_by FROM returns")" \
	"RMA-000001|$a|open|damaged|box crushed|0|USD|tester" "the return, by whom"
is "$(lines_of 1)" "A1:1/0/0/0 B2:1/0/0/0" "its lines: authorized, nothing received"
is "$(returned_of $a)" "A1:0 B2:0" "nothing is returned on the order yet"
run oms-return open --line A1:2 --reason other $a
expect 1 "" "oms-return: order $a: A1: cannot return 2: 2 shipped, of which 1 is not returned or on a return already" \
	"what an open return authorized cannot be returned twice"
run oms-return open --line B2:1 --reason other $a
expect 1 "" "oms-return: order $a: B2: cannot return 1: 1 shipped, of which 0 are not returned or on a return already" \
	"nor the last B2"
is "$(sql "SELECT what, detail FROM events WHERE order_id = $a AND what = 'return'")" \
	"return|RMA-000001: A1 1, B2 1; damaged: box crushed" "the history says what was authorized and why"

# ---------------------------------------------------------------------------
# Receiving: restock through the ledger, scrap never on hand, never beyond what was authorized.

run oms-return refund RMA-000001
expect 1 "" "$T
oms-return: RMA-000001: nothing has been received yet (oms-return receive first)" \
	"nothing is refunded before it comes back"
hand_a=$(on_hand A1) hand_b=$(on_hand B2)
run oms-return receive --line A1:2 RMA-000001
expect 1 "" "oms-return: RMA-000001: A1: 2 received, but only 1 is authorized and not received yet" \
	"more received than authorized is refused"
run oms-return receive --line A1:1:restock --line B2:1:scrap RMA-000001
expect 0 "RMA-000001" "" "what came back: the widget to the shelf, the gadget to the bin"
is "$(lines_of 1)" "A1:1/1/1/0 B2:1/1/0/1" "received, restocked and scrapped per line"
is "$(returned_of $a)" "A1:1 B2:1" "the order's lines count them returned"
is "$(on_hand A1) $(on_hand B2)" "$(( ${hand_a%/*} + 1 ))/0 $hand_b" "the widget is on hand again, the scrapped gadget is not"
is "$(sql "SELECT sku, kind, d_on_hand, d_reserved, ref, reason, tool, user FROM stock_moves WHERE kind = 'return'")" \
	"A1|return|1|0|RMA-000001|returned: damaged|oms-return|tester" "by a ledger row of kind return naming the RMA"
is "$(sql "SELECT status FROM returns WHERE id = 1")" received "the return is received"
before=$(state)
run oms-return receive RMA-000001
expect 1 "" "oms-return: RMA-000001: everything it authorized has been received" "a second receive is refused"
run oms-return receive --line A1:1 RMA-000001
expect 1 "" "oms-return: RMA-000001: A1: 1 received, but only 0 are authorized and not received yet" \
	"a second receive of a line is refused"
is "$(state)" "$before" "and changes nothing"

# ---------------------------------------------------------------------------
# Refunds through the gateway, exactly once.

run oms-return -n refund RMA-000001
expect 0 "RMA-000001	refund	29.49 USD" "$T" "a dry run says what would be refunded, and asks no gateway"
is "$(sql "SELECT count(*) FROM payments WHERE kind = 'refund'")" 0 "and writes nothing"
run oms-return refund --fee 1.50 RMA-000001
expect 0 "RMA-000001" "$T
RMA-000001: 27.99 USD refunded through test (test: no money moved)" "the refund: what came back, less a restocking fee"
is "$(sql "SELECT kind, amount, status, return_id, idempotency_key LIKE 'oms-refund-$a-%' FROM payments WHERE kind = 'refund'")" \
	"refund|2799|succeeded|1|1" "one refund at the gateway, tied to the return"
is "$(sql "SELECT status, goods, fee, shipping, refund, refund_via FROM returns WHERE id = 1")" \
	"refunded|2949|150|0|2799|gateway" "the return is refunded, its parts kept"
is "$(sql "SELECT group_concat(refund, ' ') FROM (SELECT refund FROM return_lines WHERE return_id = 1 ORDER BY id)")" \
	"948 1851" "each line's share of it, adding up to the refund"
run oms-return refund RMA-000001
expect 0 "RMA-000001" "" "refunded again: passed on, nothing asked of any gateway"
is "$(sql "SELECT count(*) FROM payments WHERE kind = 'refund'")" 1 "exactly one refund"
like "$(sql "SELECT group_concat(what || ': ' || detail, '
') FROM events WHERE order_id = $a AND id > (SELECT min(id) FROM events WHERE order_id = $a AND what = 'return')")" \
"^return received: RMA-000001: A1 1 restock, B2 1 scrap
refund: \[test\] 27.99 USD test_refund_oms-refund-$a-[0-9a-f]+ \(RMA-000001\)
return refunded: RMA-000001: 27.99 USD \(goods 29.49, fee -1.50\), through test test_refund_oms-refund-$a-[0-9a-f]+\$" \
	"the history: received, refunded at the gateway, the return refunded"
run sql "UPDATE returns SET refund = 1 WHERE id = 1"
like "$(err)" "a settled return does not change" "the database keeps a settled return as it is"
run sql "DELETE FROM return_lines"
like "$(err)" "returns are cancelled, not deleted" "and its lines"

# The rest of the order, and its shipping: all of it returned gives back
# exactly its total, with no cent lost to rounding.
run oms-return open --line A1:1 --reason defective $a
expect 0 "RMA-000002" "" "the last widget"
oms-return -q receive RMA-000002 >/dev/null
run oms-return refund --shipping --amount 99.00 RMA-000002
expect 1 "" "$T
oms-return: RMA-000002: a refund of 104.00 USD is more than order $a has left to give back (16.49 USD)" \
	"never more than captured less refunded"
run oms-return -q refund --shipping RMA-000002
expect 0 "RMA-000002" "" "refunded with the shipping"
is "$(sql "SELECT goods, shipping, refund FROM returns WHERE id = 2")" "999|500|1499" "the widget and the shipping"
is "$(sql "SELECT sum(amount) FROM payments WHERE order_id = $a AND kind = 'refund' AND status = 'succeeded'") $(sql "SELECT total FROM orders WHERE id = $a")" \
	"4298 4448" "the order's total, less the restocking fee kept"
run oms-return open --line A1:1 --reason other $a
expect 1 "" "oms-return: order $a: A1: cannot return 1: 2 shipped, of which 0 are not returned or on a return already" \
	"everything returned: nothing more can be"

# ---------------------------------------------------------------------------
# Restocked units are available at once to the orders waiting for them.

w1=$(order "$card" '[{sku: R9, qty: 1}]')
printf 'ship_to: {name: "Kim Lee", line1: "9 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: %s\nlines: [{sku: R9, qty: 1}]\n' "$card" >o.yaml
w2=$(oms-add <o.yaml | oms-verify-addr | oms-auth -q | oms-backorder)
is "$w2 $(sql "SELECT status FROM orders WHERE id = (SELECT max(id) FROM orders)") $(on_hand R9)" " backordered 0/0" \
	"the only R9 shipped: the next order for it waits"
w2=$(sql "SELECT max(id) FROM orders")
run oms-backorder -a
expect 0 "" "" "nothing to allocate it from"
oms-return -q open --line R9:1 --reason no-longer-needed $w1 >/dev/null
run oms-return receive RMA-000003
expect 0 "RMA-000003" "" "the R9 comes back"
is "$(on_hand R9)" "1/0" "on hand at once"
run oms-backorder -a
expect 0 "$w2" "" "the next allocation run gives it to the waiting order"
is "$(on_hand R9) $(sql "SELECT status FROM orders WHERE id = $w2")" "1/1 allocated" "reserved for it"

# ---------------------------------------------------------------------------
# Paid outside oms: the refund is recorded as owed, no gateway is asked.

p=$(order '{method: prepaid, reference: "ch_77"}' '[{sku: A1, qty: 2}]' 0.00)
oms-return -q open --line A1:2 --reason not-as-described $p >/dev/null
oms-return -q receive --line A1:1 RMA-000004 >/dev/null
payments=$(sql "SELECT count(*) FROM payments")
run oms-return refund RMA-000004
expect 0 "RMA-000004" "RMA-000004: 9.99 USD owed to the customer: paid at the cart or on terms, it is paid back there, not by oms" \
	"fewer received than authorized: the refund is for what came back, owed by the cart"
is "$(sql "SELECT status, refund, refund_via FROM returns WHERE id = 4") $(sql "SELECT count(*) FROM payments")" \
	"refunded|999|owed $payments" "recorded on the return; no payment row, no gateway"
is "$(sql "SELECT what, detail FROM events WHERE order_id = $p AND what = 'refund owed'")" \
	"refund owed|RMA-000004: 9.99 USD (goods 9.99), owed to the customer: not through a gateway" "and in the history"
run oms-return open --line A1:1 --reason other $p
expect 0 "RMA-000005" "" "the unit not received is free to be returned again once the return is settled"

# ---------------------------------------------------------------------------
# Claims: lost or damaged in transit, nothing comes back.

c=$(order "$card" '[{sku: B2, qty: 2}]' 0.00)
run oms-return open --no-return --line B2:1 --reason damaged --note "carrier lost one" $c
expect 0 "RMA-000006" "" "a claim is opened"
is "$(sql "SELECT status, claim FROM returns WHERE id = 6") $(returned_of $c) $(lines_of 6)" "received|1 B2:1 B2:1/0/0/0" \
	"received at once, its unit returned on the order, nothing received in the warehouse"
run oms-return receive RMA-000006
expect 1 "" "oms-return: RMA-000006: a claim: nothing is to come back" "nothing is received of a claim"
run oms-return cancel --reason "parcel found" RMA-000006
expect 0 "RMA-000006" "" "a claim not refunded can be cancelled"
is "$(sql "SELECT status FROM returns WHERE id = 6") $(returned_of $c)" "cancelled B2:0" "its unit is the customer's again"
run oms-return -q open --no-return --line B2:2 --reason damaged $c
expect 0 "RMA-000007" "" "both claimed"
run oms-return -q refund --amount 10.00 RMA-000007
expect 0 "RMA-000007" "" "a claim refunded without waiting, settled for part of its worth"
is "$(sql "SELECT status, goods, refund FROM returns WHERE id = 7") $(sql "SELECT amount FROM payments WHERE return_id = 7")" \
	"refunded|1000|1000 1000" "10.00 back to the card"

# ---------------------------------------------------------------------------
# Cancelling.

d=$(order "$card" '[{sku: A1, qty: 3}]')
oms-return -q open --line A1:3 --reason other $d >/dev/null
run oms-return cancel --reason "customer keeps it" RMA-000008
expect 0 "RMA-000008" "" "an open return is cancelled"
is "$(sql "SELECT status FROM returns WHERE id = 8")" cancelled "cancelled"
is "$(sql "SELECT detail FROM events WHERE order_id = $d AND what = 'return cancelled'")" "RMA-000008: customer keeps it" \
	"with the reason in the history"
run oms-return cancel RMA-000008
expect 0 "RMA-000008" "" "cancelled again: passed on"
run oms-return receive RMA-000008
expect 1 "" "oms-return: RMA-000008: it is cancelled: nothing more is received" "nothing is received of a cancelled return"
run oms-return -q open --line A1:3 --reason other $d
expect 0 "RMA-000009" "" "its units can be returned again"
oms-return -q receive --line A1:1 RMA-000009 >/dev/null
run oms-return cancel RMA-000009
expect 1 "" "oms-return: RMA-000009: goods of it were received: refund it, or close it without money (oms-return refund --amount 0)" \
	"a return with goods received is not cancelled"
run oms-return refund --amount 0 RMA-000009
expect 0 "RMA-000009" "$T
RMA-000009: closed: nothing to refund" "it is closed without money"
is "$(sql "SELECT status, refund FROM returns WHERE id = 9") $(sql "SELECT count(*) FROM payments WHERE return_id = 9")" "closed|0 0" \
	"closed, no payment"
run oms-return cancel RMA-000001
expect 1 "" "oms-return: RMA-000001: it is refunded: a settled return is not cancelled" "nor a refunded one"
run oms-return show RMA-000999
expect 1 "" "oms-return: RMA-000999: no such return" "a return that does not exist"

# ---------------------------------------------------------------------------
# Exchanges, through the whole pipeline.

e=$(order "$card" '[{sku: A1, qty: 1}]' 0.00)
run oms-return open --line A1:1 --reason wrong-item --exchange B2:1 $e
x=$(sql "SELECT max(id) FROM orders")
expect 0 "RMA-000010" "RMA-000010: exchange order $x, 9.51 USD to pay" "an exchange for a dearer item: its order is made"
is "$(sql "SELECT source, external_id, status, subtotal, discount, shipping, tax, total, payment_method, payment_token, ship_name, notes FROM orders WHERE id = $x")" \
	"exchange|RMA-000010|new|1950|999|0|0|951|card|pm_card_visa|Pat Doe|exchange for RMA-000010 of order $e" \
	"a new order: the replacement at its price, less what the return is worth, on the same card"
is "$(sql "SELECT exchange_order_id, exchange_credit FROM returns WHERE id = 10")" "$x|999" "linked to the return"
run oms-verify-addr $x
expect 0 "$x" "" "the exchange is verified"
run oms-auth $x
expect 0 "$x" "oms-auth: payment gateway test in TEST MODE: no real money moves" "authorized"
is "$(sql "SELECT amount FROM payments WHERE order_id = $x AND kind = 'authorize'")" 951 "for the difference"
run oms-backorder $x
expect 0 "$x" "" "allocated"
run oms-pick -q $x
expect 0 "$x" "" "picked"
run oms-ship -q --carrier ups --service ground $x
expect 0 "$x" "" "and shipped"
is "$(sql "SELECT status FROM orders WHERE id = $x") $(sql "SELECT amount FROM payments WHERE order_id = $x AND kind = 'capture'")" \
	"shipped 951" "the difference is charged"
oms-return -q receive RMA-000010 >/dev/null
run oms-return refund RMA-000010
expect 0 "RMA-000010" "$T
RMA-000010: closed: nothing to refund" "the returned item paid for the replacement: nothing to refund"
is "$(sql "SELECT status, goods, refund FROM returns WHERE id = 10")" "closed|999|0" "closed"
run oms-return cancel RMA-000010
expect 1 "" "oms-return: RMA-000010: it is closed: a settled return is not cancelled" "a closed return stays closed"

f=$(order "$card" '[{sku: B2, qty: 1}]' 0.00)
run oms-return -q open --line B2:1 --reason wrong-item --exchange A1:1 $f
expect 0 "RMA-000011" "" "an exchange for a cheaper item"
y=$(sql "SELECT exchange_order_id FROM returns WHERE id = 11")
is "$(sql "SELECT discount, total, payment_method, payment_ref FROM orders WHERE id = $y")" "999|0|prepaid|RMA-000011" \
	"nothing to pay: paid by the return"
run oms-return cancel RMA-000011
expect 0 "RMA-000011" "" "the return is cancelled before the replacement ships"
is "$(sql "SELECT status FROM orders WHERE id = $y")" cancelled "and its exchange order with it"
oms-return -q open --line B2:1 --reason wrong-item --exchange A1:1 $f >/dev/null
y=$(sql "SELECT exchange_order_id FROM returns WHERE id = 12")
echo $y | oms-verify-addr | oms-auth -q | oms-backorder | oms-pick -q | oms-ship -q --carrier ups --service ground >/dev/null
run oms-return cancel RMA-000012
expect 1 "" "oms-return: RMA-000012: its exchange order $y has shipped: it cannot be taken back by cancelling the return" \
	"a return whose replacement shipped is not cancelled"
oms-return -q receive RMA-000012 >/dev/null
run oms-return -q refund RMA-000012
expect 0 "RMA-000012" "" "the refund"
is "$(sql "SELECT goods, refund FROM returns WHERE id = 12")" "1950|951" "is the difference: what came back less the replacement"

# ---------------------------------------------------------------------------
# Listings, filters, show.

run oms-return list --status refunded --format csv
expect 0 "rma,order,status,reason,claim,units,received,exchange,currency,refund,created_at,created_by
$(sql "SELECT rma || ',' || order_id || ',refunded,' || reason || ',' || CASE claim WHEN 1 THEN 'yes' ELSE 'no' END || ',' || (SELECT sum(qty) FROM return_lines WHERE return_id = returns.id) || ',' || (SELECT sum(received) FROM return_lines WHERE return_id = returns.id) || ',' || coalesce(exchange_order_id, '') || ',USD,' || printf('%d.%02d', refund / 100, refund % 100) || ',' || created_at || ',tester' FROM returns WHERE status = 'refunded' ORDER BY id")" \
	"" "list --status: the refunded returns"
run oms-return list --rma --status refunded $a $c
expect 0 "RMA-000001
RMA-000002
RMA-000007" "" "list with order IDs: only theirs; --rma: their numbers"
printf '%s\n# a comment\n\n%s\n' "$c" "$a" >ids.txt
run_in ids.txt oms-return list --rma -
expect 0 "RMA-000006
RMA-000007
RMA-000001
RMA-000002" "" "order IDs on stdin, in their order"
: >empty.txt
run_in empty.txt oms-return list --rma -
expect 0 "" "" "no order IDs on stdin: no returns, not every return"
run oms-return list --orders --status cancelled
expect 0 "$c
$d
$f" "" "--orders: each order once"
run oms-return list --rma --since 2999-01-01
expect 0 "" "" "--since: none opened since"
printf 'RMA-000001\nrma-2\n17\n' >rmas.txt
run_in rmas.txt oms-return refund
expect 1 "RMA-000001
RMA-000002" "oms-return: stdin:3: not an RMA number: \"17\"" "RMA numbers on stdin, any case; a line that is none is rejected"
printf 'RMA-000002\nRMA-0\0000001\n' >nul.txt
run_in nul.txt oms-return cancel
expect 1 "" "oms-return: stdin:2: not an RMA number: \"RMA-0?0001\"
oms-return: RMA-000002: it is refunded: a settled return is not cancelled" \
	"a NUL byte in a line: not an RMA number, shown masked (stdin is read first)"
printf '%s\nx1\n' "$c" >ids.txt
run_in ids.txt oms-return list --orders -
expect 1 "$c" "oms-return: stdin:2: not an order ID: \"x1\"" "a line that is not an order ID is rejected, the others listed"
run oms-return -h
is "$rc $(sed -n 1p "$SCRATCH/out")" "0 usage: oms-return [-nqv] [-c config] [-d db] open --line SKU:QTY [--line ...]" \
	"-h: the usage on stdout, exit 0"
run oms-return show RMA-000012
is "$(out | sed -n 1,8p)" "rma          RMA-000012
order        $f
status       refunded
reason       wrong-item
exchange     order $y, credit 9.99 USD
refund       9.51 USD (through the gateway)  goods 19.50  fee 0.00  shipping 0.00
created      $(sql "SELECT created_at FROM returns WHERE id = 12") by tester
updated      $(sql "SELECT updated_at FROM returns WHERE id = 12") by tester" "show: the return"
is "$(out | sed -n '/^SKU/,/^$/p')" "SKU  QTY  RECEIVED  RESTOCKED  SCRAPPED  PRICE  REFUND  DESCRIPTION
B2     1         1          1         0  19.50    9.51  Gadget, big" "its lines"
is "$(out | sed -n '/^history$/,$p' | awk 'NR > 2 { print $4, $5 }')" "created $y
exchange $y
return $f
authorize $y
return received
refund $f
return refunded" "its history: its order's, and its exchange's (paid by it, so naming it)"
run oms-return show --format json RMA-000004
like "$(out | tr -d ' \n')" '^\{"rma":"RMA-000004","order":'$p',"status":"refunded","reason":"not-as-described","note":null,"claim":false,"exchange_order":null,"currency":"USD","exchange_credit":"0.00","goods":"9.99","fee":"0.00","shipping":"0.00","refund":"9.99","refund_via":"owed",.*"lines":\[\{"sku":"A1","qty":2,"received":1,"restocked":1,"scrapped":0,"price":"9.99","refund":"9.99"\}\],"history":\[' \
	"show in json"

run oms-order show $a
is "$(out | sed -n '/^returns$/,/^$/p')" "returns
RMA         STATUS    REASON     CLAIM  UNITS  RECEIVED  EXCHANGE  REFUND
RMA-000001  refunded  damaged    no         2         2             27.99
RMA-000002  refunded  defective  no         1         1             14.99" "oms-order show lists the order's returns"
is "$(out | sed -n '/^LINE/,/^$/p' | awk '{ print $2, $8 }')" "SKU RETURNED
A1 2
B2 1
 " "and each line's returned quantity"
run oms-order show --format json $a
like "$(out | tr -d ' \n')" '"returns":\[\{"rma":"RMA-000001","order":'$a',"status":"refunded",.*\},\{"rma":"RMA-000002",' \
	"and in json"
run oms-order show --format json $new
like "$(out | tr -d ' \n')" '"returns":\[\],' "an order with no returns has an empty list"

# ---------------------------------------------------------------------------
# Dry runs change nothing.

g=$(order "$card" '[{sku: A1, qty: 1}]')
before=$(state)
run oms-return -n open --line A1:1 --reason damaged --exchange A1:1 $g
expect 0 "RMA-000013" "RMA-000013: exchange order $(( g + 1 )), 0.00 USD to pay (dry run: not made)" \
	"a dry run of an exchange"
is "$(state)" "$before" "keeps nothing"
oms-return -q open --line A1:1 --reason damaged $g >/dev/null
before=$(state)
run oms-return -n receive RMA-000013
expect 0 "RMA-000013" "" "a dry run of a receipt"
run oms-return -n cancel RMA-000013
expect 0 "RMA-000013" "" "a dry run of a cancel"
is "$(state)" "$before" "nothing was kept"

# ---------------------------------------------------------------------------
# A refund at Stripe, the run killed between Stripe's answer and the commit
# (hang: Stripe refunded and its answer waits), or the answer cut half way
# (die): run again, the same key is sent, Stripe replays its answer, and
# there is one refund at Stripe and one here.

unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
fake_start stripe.py --idle 60 --hang 30 --log stripe.log --control control --key sk_test_fake
URL=http://127.0.0.1:$FAKE_PORT
printf 'payment:\n  gateway: stripe\n  stripe:\n    url: "%s"\n' "$URL" >stripe.yaml
export OMS_STRIPE_KEY=sk_test_fake OMS_HTTP_TRIES=1
S="oms-return: payment gateway stripe in TEST MODE: no real money moves"
stats() {
	python3 -c 'import json,sys,urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1]))[sys.argv[2]])' "$URL/_stats" "$1"
}
for mode in hang die; do
	CFG=stripe.yaml
	s=$(order "$card" '[{sku: A1, qty: 2}]')
	CFG=
	rma=$(oms-return -q open --line A1:1 --reason damaged $s | oms-return -q receive)
	ret=$(sql "SELECT id FROM returns WHERE rma = '$rma'")
	refunds=$(stats refunds)
	echo $mode >control
	: >stripe.log
	oms-return -c stripe.yaml refund $rma >kill.out 2>kill.err &
	pid=$!
	if [ $mode = hang ]; then
		i=0
		while ! grep -q "refunds.*mode=hang" stripe.log && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 $pid
	fi
	wait $pid
	status=$?
	key=$(sql "SELECT idempotency_key FROM payments WHERE return_id = $ret")
	is "$(sql "SELECT count(*) || ':' || status FROM payments WHERE return_id = $ret") $(sql "SELECT status FROM returns WHERE id = $ret") $(stats refunds)" \
		"1:pending received $((refunds + 1))" "$mode: refunded at Stripe; here the refund is pending, the return received"
	if [ $mode = die ]; then
		like "$status $(cat kill.out) $(cat kill.err)" "^1  $S
oms-return: $rma: payment gateway unreachable, refund left to retry \(run oms-return refund $rma again\): stripe: http://127.0.0.1:$FAKE_PORT/v1/refunds: .+\$" \
			"die: no answer that counts: left to retry, exit 1"
	fi
	echo normal >control
	: >stripe.log
	run oms-return -n -c stripe.yaml refund $rma
	expect 0 "$rma	refund again	9.99 USD" "$S" "$mode: a dry run says the refund would be sent again"
	is "$(cat stripe.log)" "" "$mode: and sends nothing"
	run oms-return -c stripe.yaml refund $rma
	expect 0 "$rma" "$S
$rma: 9.99 USD refunded through stripe (test: no money moved)" "$mode: run again, the refund is settled"
	is "$(grep -c "refunds key=$key .*replayed\$" stripe.log) $(grep -c refunds stripe.log)" "1 1" \
		"$mode: sent once more, with its first key: Stripe replays its answer"
	is "$(sql "SELECT count(*) || ':' || status FROM payments WHERE return_id = $ret") $(sql "SELECT status FROM returns WHERE id = $ret") $(stats refunds)" \
		"1:succeeded refunded $((refunds + 1))" "$mode: one refund, here and at Stripe"
	: >stripe.log
	run oms-return -c stripe.yaml refund $rma
	expect 0 "$rma" "" "$mode: run again, nothing to do"
	is "$(cat stripe.log)" "" "$mode: and Stripe is asked nothing"
done

# ---------------------------------------------------------------------------
# The database is consistent after all of it.

run oms-db check
expect 0 "" "" "oms-db check finds nothing wrong"
is "$(sql "SELECT count(*) FROM order_lines WHERE returned > shipped OR returned != coalesce((SELECT sum(CASE WHEN r.claim THEN rl.qty ELSE rl.received END) FROM return_lines rl JOIN returns r ON r.id = rl.return_id WHERE rl.line_id = order_lines.id AND r.status != 'cancelled'), 0)")" 0 \
	"every line's returned units are what its returns received or claimed"
is "$(sql "SELECT count(*) FROM stock s WHERE on_hand != (SELECT sum(d_on_hand) FROM stock_moves m WHERE m.sku = s.sku)")" 0 \
	"stock is its ledger's sum"
is "$(sql "SELECT count(*) FROM returns WHERE status = 'refunded' AND refund_via = 'gateway' AND refund != (SELECT sum(amount) FROM payments WHERE return_id = returns.id AND status = 'succeeded')")" 0 \
	"every refund through the gateway is one succeeded payment of its amount"

# A shipment with units returned, or on an open return, left: it cannot be voided.
v=$(order "$card" '[{sku: B2, qty: 2}]')
vs=$(sql "SELECT id FROM shipments WHERE order_id = $v")
vrma=$(oms-return open --line B2:1 --reason damaged $v)
before=$(state)
run oms-ship void --reason "label reprinted" $vs
expect 1 "" "oms-ship: shipment $vs: B2: 1 unit of it returned or on an open return: a shipment that left is not void (oms-return lists them)" \
	"voiding a shipment with units on an open return is refused, in words"
is "$(state)" "$before" "and changes nothing"
is "$(sql "SELECT status FROM shipments WHERE id = $vs")" shipped "the shipment stands"
oms-return -q cancel --reason "wrong order" "$vrma"
run oms-ship void --reason "label reprinted" $vs
is "$rc" 0 "once the return is cancelled, the shipment can be voided"
is "$(sql "SELECT status FROM shipments WHERE id = $vs")" void "and is"

done_testing
