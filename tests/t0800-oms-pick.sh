#!/bin/sh
# oms-pick: waves of allocated orders on pick lists in walking order,
# layouts, printed again the same, PDF with barcodes, slips, confirm with
# short picks under each policy, cancel.
. "$(dirname "$0")/lib.sh"

printf 'sku,description,bin,price\nA1,Widget,A-10-01,1.00\nB2,Gadget,A-2-05,2.00\nC3,Gizmo,B-01-01,3.00\n' >items.csv
oms-stock -q import items.csv
printf 'A1 20\nB2 20\nC3 20\n' | oms-stock -q receive -
# order EXT SHIP_COMPLETE QTY_A1: an allocated order, its ID printed.
order() {
	printf 'external_id: "%s"\nship_complete: %s\nship_method: "%s"\nship_to: {name: "Pat %s", line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: [{sku: A1, qty: %s}, {sku: B2, qty: 1}, {sku: C3, qty: 1}]\n' \
		"$1" "$2" "${4:-ground}" "$1" "$3" >o.yaml
	oms-add <o.yaml | oms-verify-addr | oms-auth -q | oms-backorder
}
a=$(order E1 true 1)
b=$(order E2 false 2)
c=$(order E3 true 3)
d=$(order E4 true 1 next-day)

run oms-pick --max-orders 2 --ship-method ground -o lists.txt $a $b $c $d
expect 0 "$a
$b
$c" "oms-pick: pick lists 1 to 2" "a wave of at most 2 orders: two lists; the next-day order is left for its own wave"
is "$(sql "SELECT group_concat(status) FROM (SELECT status FROM orders ORDER BY id)")" "picking,picking,picking,allocated" \
	"the orders on lists are picking"
is "$(sed -n 4,6p lists.txt)" "A-2-05   B2     2  ${a}x1 ${b}x1
A-10-01  A1     3  ${a}x1 ${b}x2
B-01-01  C3     2  ${a}x1 ${b}x1" "bins in walking order (A-2 before A-10), with each order's share"
run oms-pick show 1
is "$(out)" "$(sed -n '1,/^B-01-01/p' lists.txt)" "a list printed again is the same"
run oms-pick show --by sku --format csv 1
expect 0 "sku,bin,qty,orders
A1,A-10-01,3,2
B2,A-2-05,2,2
C3,B-01-01,2,2" "" "--by sku: a total per SKU (batch picking)"
run oms-pick show --by order --format json 2
expect 0 "[
{\"order\":$c,\"bin\":\"A-2-05\",\"sku\":\"B2\",\"qty\":1},
{\"order\":$c,\"bin\":\"A-10-01\",\"sku\":\"A1\",\"qty\":3},
{\"order\":$c,\"bin\":\"B-01-01\",\"sku\":\"C3\",\"qty\":1}
]" "" "--by order: one order after another (discrete picking)"
if command -v pdftotext >/dev/null; then
	run oms-pick show -o list1.pdf 1
	is "$rc" 0 "the list as PDF"
	like "$(pdftotext -layout list1.pdf - | tr -s ' \n' '  ')" "LIST-1.*A-2-05 B2 2 .*A-10-01 A1 3 " \
		"pdftotext reads back the barcode's text, the bins and quantities"
	run oms-pick slips -o slips.pdf 1
	is "$(pdftotext slips.pdf - | grep -c 'PACKING SLIP')" 2 "one packing slip per order"
else
	for i in 1 2 3; do ok "# SKIP pdftotext is not installed"; done
fi
run oms-pick slips 1
like "$(out)" "PACKING SLIP   order $a   manual E1   pick list 1" "text slips name the order"
like "$(out)" "1 MAIN ST" "and ship to the standardized address"

# Short picks: ship complete waits whole; split ships what was picked.
run oms-pick confirm --short $a:A1:1 --short $b:A1:1 1
expect 0 "" "" "confirm with two short picks"
is "$(sql "SELECT status FROM orders WHERE id = $a")" backordered "the ship-complete order goes back to wait"
is "$(sql "SELECT status FROM orders WHERE id = $b")" picking "the split order goes on with what was picked"
is "$(sql "SELECT d_on_hand, d_reserved, reason FROM stock_moves WHERE kind = 'short pick' ORDER BY id LIMIT 1")" "-1|-1|short pick" \
	"a short pick corrects stock and releases the reservation, as a count would"
is "$(sql "SELECT allocated, picked FROM order_lines WHERE order_id = $b AND sku = 'A1'")" "1|1" "the split order's line: 1 allocated and picked"
run oms-pick confirm 1
expect 1 "" "oms-pick: pick list 1: it is confirmed already" "a list is confirmed once"
run oms-pick confirm --short $c:A1:9 2
expect 1 "" "oms-pick: pick list 2: order $c: short 9 of A1, but only 3 were to be picked" "a short larger than the pick"
run oms-pick confirm --short $a:A1:1 2
expect 1 "" "oms-pick: pick list 2: order $a has no A1 on it" "a short for an order not on the list"

run oms-pick cancel 2
expect 0 "$c" "" "cancel a list: its orders go back"
is "$(sql "SELECT status FROM orders WHERE id = $c")" allocated "to allocated"
run oms-pick cancel 2
expect 1 "" "oms-pick: pick list 2: it is cancelled: only an open list can be cancelled" "and once"
run oms-pick show 99
expect 1 "" "oms-pick: pick list 99: no such list" "an unknown list"
run oms-pick $a
expect 1 "" "oms-pick: order $a: cannot pick: it is backordered" "an order not allocated"

run oms-pick --max-lines 3 --ship-method next-day -o wave.txt $d
expect 0 "$d" "oms-pick: pick list 3" "a wave by ship method"
is "$(sql "SELECT ship_method FROM pick_lists WHERE id = 3")" next-day "the list says which"
is "$(sql "SELECT (SELECT sum(reserved) FROM stock) = (SELECT sum(allocated) FROM order_lines)")" 1 \
	"reservations still match what orders hold"

# Split, and nothing of it on the shelf: the order waits for stock, not on
# a list with nothing to ship.
fresh_db
oms-stock -q import items.csv
oms-stock -q receive A1 5
lone=$(printf 'external_id: "S1"\nship_complete: false\nship_to: {name: "Pat S", line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: [{sku: A1, qty: 2}]\n' |
	oms-add | oms-verify-addr | oms-auth -q | oms-backorder | oms-pick -q)
run oms-pick confirm --short $lone:A1:2 1
expect 0 "" "" "a split order short of all it was to pick"
is "$(sql "SELECT status FROM orders WHERE id = $lone")" backordered "waits for stock, not picking with nothing to ship"
run oms-db check
expect 0 "" "" "and the database checks clean"

# A dry run whose input pauses between orders rolls back the batch before
# the pause, pick list and all; the order after it goes on a list of its
# own, not the one rolled back (it failed with a foreign key error).
printf 'A1 10\nB2 10\nC3 10\n' | oms-stock -q receive -
p1=$(order P1 true 1)
p2=$(order P2 true 1)
lists=$(sql "SELECT count(*) FROM pick_lists")
(echo "$p1"; sleep 1; echo "$p2") | oms-pick -n -v >"$SCRATCH/out" 2>"$SCRATCH/err"
rc=$?
expect 0 "$p1
$p2" "oms-pick: rolled back 1 orders, 1 passed on
oms-pick: rolled back 1 orders, 1 passed on" "a dry run over a pause in its input: two batches, each rolled back"
is "$(sql "SELECT count(*) FROM pick_lists") $(sql "SELECT group_concat(status) FROM orders WHERE id IN ($p1, $p2)")" \
	"$lists allocated,allocated" "and nothing of it is left"

done_testing
