#!/bin/sh
# oms-backorder: ship complete and split, priority then age, stock arriving
# in pieces, cancellation handing stock on, unknown SKUs, dry runs, --list,
# and the invariants under concurrent runs: never oversold.
. "$(dirname "$0")/lib.sh"

catalog
# order EXT DAY PRIORITY SHIP_COMPLETE LINES: an authorized order, its ID printed.
order() {
	printf 'external_id: "%s"\nplaced_at: "2026-11-%02dT09:00:00Z"\npriority: %s\nship_complete: %s\nship_to: {name: P, line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: %s\n' \
		"$1" "$2" "$3" "$4" "$5" >o.yaml
	id=$(oms-add <o.yaml) && oms-verify-addr "$id" >/dev/null && oms-auth -q "$id"
}
invariants() {
	sql "SELECT
	  (SELECT count(*) FROM stock s WHERE on_hand != (SELECT sum(d_on_hand) FROM stock_moves m WHERE m.sku = s.sku)
	     OR reserved != (SELECT sum(d_reserved) FROM stock_moves m WHERE m.sku = s.sku)) +
	  (SELECT count(*) FROM stock WHERE reserved > on_hand OR on_hand < 0) +
	  (SELECT count(*) FROM stock s WHERE reserved != (SELECT coalesce(sum(allocated), 0) FROM order_lines l WHERE l.sku = s.sku)) +
	  (SELECT count(*) FROM order_lines WHERE allocated + shipped + cancelled > qty)"
}

oms-stock receive A1 4 >/dev/null
c1=$(order C1 1 0 true '[{sku: A1, qty: 3}, {sku: B2, qty: 2}]')
s1=$(order S1 2 0 false '[{sku: A1, qty: 3}, {sku: B2, qty: 1}]')
late=$(order L1 3 0 true '[{sku: A1, qty: 1}]')

run oms-backorder -n --all
expect 0 "ORDER  SKU  RESERVE  SHORT  PLAN
    $c1  A1         3      0  wait
    $c1  B2         0      2  wait
    $s1  A1         1      2  split
    $s1  B2         0      1  wait
    $late  A1         0      1  wait" "" "-n prints the plan"
is "$(sql "SELECT count(*) FROM stock_moves WHERE kind = 'reserve'")" 0 "and reserves nothing"

run oms-backorder --all
expect 0 "$s1" "" "a split order ships what is in stock; a ship-complete order waits"
is "$(sql "SELECT status FROM orders WHERE id IN ($c1, $s1, $late) ORDER BY id")" "backordered
allocated
backordered" "statuses: waiting, allocated (split), waiting"
is "$(sql "SELECT sku, allocated FROM order_lines WHERE order_id = $c1 ORDER BY line_no")" "A1|3
B2|0" "a waiting ship-complete order keeps what it could reserve (backorder.keep_partial)"
is "$(sql "SELECT on_hand, reserved FROM stock WHERE sku = 'A1'")" "4|4" "all of A1 is reserved, none twice"
is "$(invariants)" 0 "the invariants hold"

run oms-backorder --list --format csv
expect 0 "sku,short,orders,oldest_order,oldest_placed,age_days,available
A1,3,2,$s1,$(sql "SELECT placed_at || ',' || CAST(julianday('now') - julianday(placed_at) AS INTEGER) FROM orders WHERE id = $s1"),0
B2,3,2,$c1,$(sql "SELECT placed_at || ',' || CAST(julianday('now') - julianday(placed_at) AS INTEGER) FROM orders WHERE id = $c1"),0" "" \
	"--list: what purchasing must buy, how many orders wait, the oldest"

# A database from before table waiting (schema 13) gets it filled when upgraded.
cp "$OMS_DB" old.db
sqlite3 old.db "$OLD_LEDGER_TRIGGER DROP INDEX payments_created; CREATE INDEX payments_created ON payments (created_at); DROP TABLE waiting; PRAGMA user_version = 13"
oms-db -q init old.db >/dev/null
is "$(sqlite3 old.db "SELECT * FROM waiting")" "$(sql "SELECT * FROM waiting")" \
	"migration 14 fills table waiting from the orders already waiting"
is "$(sql "SELECT count(DISTINCT order_id) || ' ' || count(*) FROM waiting")" "3 4" "(three orders wait, one of them for two SKUs)"
run oms-db -d old.db check
expect 0 "" "" "and the upgraded database checks clean"

# Stock arrives in pieces: the earliest waiting order first, the later one never jumps it.
oms-stock receive B2 1 >/dev/null
run oms-backorder --all
expect 0 "" "" "one B2 arrives: not enough for the first order"
is "$(sql "SELECT allocated FROM order_lines WHERE order_id = $c1 AND sku = 'B2'")" 1 "it reserves it and waits for the rest"
run oms-backorder $late
expect 0 "" "" "the later order, run alone, does not take stock earlier orders need"
oms-stock receive B2 2 >/dev/null
oms-stock receive A1 2 >/dev/null
run oms-backorder --all
expect 0 "$c1" "" "stock arrives: the earliest waiting order is allocated"
is "$(sql "SELECT status FROM orders WHERE id = $c1")" allocated "the ship-complete order is whole"
is "$(sql "SELECT status FROM orders WHERE id = $late")" backordered \
	"the later order still waits: the split order before it needs the A1 that came"
is "$(invariants)" 0 "the invariants hold"

# Priority first, then age.
oms-stock receive C3 1 >/dev/null
old=$(order P1 1 0 true '[{sku: C3, qty: 1, price: "1.00"}]')
urgent=$(order P2 9 5 true '[{sku: C3, qty: 1, price: "1.00"}]')
run oms-backorder $old $urgent
expect 0 "$urgent" "" "a higher priority goes first, even when younger"

# Cancelling hands the stock to the next in line.
run oms-order cancel $urgent
is "$rc" 0 "cancel the allocated order"
is "$(sql "SELECT reserved FROM stock WHERE sku = 'C3'")" 0 "its reservation goes back"
run oms-backorder --all
expect 0 "$old" "" "and the waiting order gets it"

# Cancelling part of a line: what waits goes first, then what is reserved, to the next in line.
oms-stock receive A1 3 >/dev/null
big=$(order G1 21 0 false '[{sku: A1, qty: 6}]')
next=$(order G2 22 0 true '[{sku: A1, qty: 2}]')
oms-backorder $big $next >/dev/null
a=$(sql "SELECT allocated FROM order_lines WHERE order_id = $big")
run oms-order cancel --line A1:2 $big
expect 0 "$big" "" "cancel 2 of a line"
is "$(sql "SELECT allocated, cancelled FROM order_lines WHERE order_id = $big")" "$a|2" "the waiting part went first: the reservation stands"
run oms-order cancel --line A1:4 --reason "customer reduced the order" $big
expect 0 "$big" "" "cancel the rest of the line"
is "$(sql "SELECT allocated, cancelled, status FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE order_id = $big")" "0|6|cancelled" \
	"its reservation went back and the order, with nothing left, is cancelled"
run oms-backorder $next
expect 0 "$next" "" "the next order in line gets the stock"
run oms-order cancel --line A1:9 $next
expect 1 "" "oms-order: order $next: cannot cancel 9 of A1: 2 open" "cancelling more than is open"
is "$(invariants)" 0 "the invariants hold"

# An unknown SKU holds the order.
unk=$(printf 'external_id: "U1"\nship_to: {name: P, line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: [{sku: NOPE-1, qty: 1, price: "1.00"}]\n' >u.yaml; oms-add --allow-unknown-sku <u.yaml)
oms-verify-addr $unk >/dev/null; oms-auth -q $unk >/dev/null
run oms-backorder $unk
expect 0 "" "oms-backorder: order $unk: unknown sku: NOPE-1" "an order with an unknown SKU is held"
is "$(sql "SELECT status, hold_reason FROM orders WHERE id = $unk")" "hold|stock" "for stock"

# --split and --ship-complete override for one run.
oms-stock receive B2 4 >/dev/null
sp=$(order O1 20 0 true '[{sku: B2, qty: 5}]')
run oms-backorder --split $sp
expect 0 "$sp" "" "--split ships part of a ship-complete order"
run oms-backorder --split --ship-complete $sp
is "$rc" 2 "both is a usage error"
run oms-backorder 999
expect 1 "" "oms-backorder: order 999: no such order" "an unknown order"

# Concurrency: two allocators and an adjustment at once; then 8 racing for 100 units.
oms-stock receive B2 50 >/dev/null
i=0
while [ $i -lt 60 ]; do
	printf -- '---\nexternal_id: "K%d"\nship_to: {name: P, line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: [{sku: B2, qty: 1}]\n' $i
	i=$((i + 1))
done >k.yaml
oms-add <k.yaml | oms-verify-addr | oms-auth -q >/dev/null
oms-backorder --all >r1.out 2>r1.err &
oms-backorder --all >r2.out 2>r2.err &
oms-stock adjust B2 -5 --reason "damaged" >adj.out 2>adj.err &
wait
is "$(cat r1.err r2.err)" "" "two allocators at once: no error"
is "$(invariants)" 0 "and the invariants hold"
is "$(sql "SELECT reserved <= on_hand FROM stock WHERE sku = 'B2'")" 1 "never more reserved than on hand"

oms-stock receive C3 100 >/dev/null
i=0
while [ $i -lt 1000 ]; do
	printf -- '---\nexternal_id: "R%d"\nship_to: {name: P, line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: [{sku: C3, qty: 1, price: "1.00"}]\n' $i
	i=$((i + 1))
done >race.yaml
oms-add <race.yaml | oms-verify-addr | oms-auth -q >race.ids
is "$(wc -l <race.ids | tr -d ' ')" 1000 "1000 one-unit orders for C3"
for p in 1 2 3 4 5 6 7 8; do
	oms-backorder --all >race.$p.out 2>race.$p.err &
done
wait
is "$(sql "SELECT count(*) FROM orders WHERE external_id LIKE 'R%' AND status = 'allocated'")" 100 \
	"8 allocators racing for 100 units: exactly 100 orders allocated"
is "$(cat race.*.out | sort -u | wc -l | tr -d ' ')" 100 "and exactly those were printed"
is "$(cat race.*.err)" "" "no busy or locked error reached anyone"
is "$(sql "SELECT on_hand, reserved FROM stock WHERE sku = 'C3'")" "101|101" "C3 is all reserved, none twice"
is "$(invariants)" 0 "the invariants hold"

# A line with nothing to ship (a gift card) is never reserved: it is no
# earlier order's demand either.  (The tally that came before table
# waiting counted it, and kept the later order waiting for A1.)
fresh_db
catalog
oms-stock receive A1 1 >/dev/null
printf 'order_id,placed_at,ship_name,ship_line1,ship_city,ship_region,ship_postal_code,ship_country,payment_method,sku,needs_shipping,qty,price
NS-1,2026-11-01T09:00:00Z,P,1 Main St,Reno,NV,89501,US,prepaid,A1,false,1,5.00
NS-1,,,,,,,,,B2,true,1,5.00
NS-2,2026-11-02T09:00:00Z,P,1 Main St,Reno,NV,89501,US,prepaid,A1,true,1,5.00
' >noship.csv
oms-import -q noship.csv | oms-verify-addr | oms-auth -q >ns.ids
is "$(wc -l <ns.ids | tr -d ' ')" 2 "two orders authorized, the first with a line that needs no shipping"
ns2=$(sql "SELECT id FROM orders WHERE external_id = 'NS-2'")
run oms-backorder "$ns2"
expect 0 "$ns2" "" "the later order takes A1: the earlier one's A1 needs no stock"
is "$(sql "SELECT qty FROM waiting WHERE order_id = $ns2")" "" "and wants nothing more"
run oms-backorder --all
expect 0 "" "" "the earlier order waits for B2 alone"
is "$(sql "SELECT sku, qty FROM waiting")" "B2|1" "which is all that waits"
is "$(invariants)" 0 "the invariants hold"

# An edit that moves a waiting order in the fair order moves what it wants
# in table waiting: raised above an earlier order, it is served first.
px=$(order PX 10 0 true '[{sku: C3, qty: 1, price: "1.00"}]')
py=$(order PY 11 0 true '[{sku: C3, qty: 1, price: "1.00"}]')
oms-backorder -q --all >/dev/null 2>&1
is "$(sql "SELECT order_id, neg_priority FROM waiting WHERE sku = 'C3' ORDER BY neg_priority, placed_at, order_id")" "$px|0
$py|0" "two orders wait for C3, the earlier first"
run oms-order edit -q --priority 5 "$py"
is "$rc" 0 "the later one's priority is raised"
is "$(sql "SELECT order_id, neg_priority FROM waiting WHERE sku = 'C3' ORDER BY neg_priority, placed_at, order_id")" "$py|-5
$px|0" "and it comes first in table waiting"
oms-stock receive C3 1 >/dev/null
run oms-backorder "$px" "$py"
expect 0 "$py" "" "the one unit goes to it"
run oms-db check
expect 0 "" "" "and the database checks clean"

# A line an edit adds to a waiting order is in table waiting at once (no
# trigger on INSERT: oms-order edit writes the row).
run oms-order edit -q --line A1:2 "$px"
is "$rc" 0 "a line of A1 added to the order still waiting for C3"
is "$(sql "SELECT sku, qty FROM waiting WHERE order_id = $px ORDER BY sku")" "A1|2
C3|1" "it waits for both"
run oms-db check
expect 0 "" "" "and the database checks clean"

done_testing
