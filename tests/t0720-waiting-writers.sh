#!/bin/sh
# Table waiting has no triggers (migration 15): each tool that changes what
# an order wants writes it.  Every such path here, each followed by
# oms-db check, which compares the table with the orders' lines.
. "$(dirname "$0")/lib.sh"

catalog
add() {
	oms-add -q --payment invoice --name 'Sy Lo' --line1 '1 Main St' --city Boston --region MA \
		--postal-code 02108 "$@"
}
wants() {
	sql "SELECT group_concat(sku || ':' || qty, ' ') FROM (SELECT sku, qty FROM waiting
	  WHERE order_id = $1 ORDER BY sku)"
}
clean() {
	run oms-db check
	expect 0 "" "" "$1: the database checks clean"
}

oms-stock -q receive A1 3
s=$(add --split --line A1:2 --line B2:2 --line C3:1:1.00)
c=$(add --line A1:2 --line B2:1)
is "$(wants $s)" "" "a new order wants nothing yet"
oms-verify-addr -q $s $c | oms-auth -q >/dev/null
is "$(wants $s)" "A1:2 B2:2 C3:1" "authorized: it waits for its lines"
clean "authorized"

oms-backorder -q $s $c >/dev/null
is "$(wants $s) / $(wants $c)" "B2:2 C3:1 / A1:1 B2:1" "allocated in part: what is left waits, a SKU taken whole is gone"
clean "allocation"

oms-order hold -q --reason x $c >/dev/null
is "$(wants $c)" "" "held: out of the fair order"
clean "hold"
oms-order release -q $c >/dev/null
is "$(wants $c)" "A1:1 B2:1" "released: back in it"
clean "release"

run oms-order cancel --line B2:1 $s
is "$(wants $s)" "B2:1 C3:1" "a cancelled unit is wanted no more"
clean "a cancelled line"

oms-pick -q -o pick.txt $s >/dev/null
run oms-pick confirm --short $s:A1:1 1
is "$(wants $s)" "A1:1 B2:1 C3:1" "a short pick: what the shelf did not have is wanted again"
clean "a short pick"

oms-ship -q --carrier ups --service ground --tracking 1Z999AA10123456784 $s >/dev/null
is "$(sql "SELECT status FROM orders WHERE id = $s") $(wants $s)" "backordered A1:1 B2:1 C3:1" \
	"shipped in part: the rest still waits"
clean "a shipment"
oms-order cancel -q --line A1:1 $s >/dev/null
oms-order cancel -q --line B2:1 $s >/dev/null
run oms-order cancel --line C3:1 $s
is "$(sql "SELECT status FROM orders WHERE id = $s")/$(wants $s)" "shipped/" "the rest cancelled: shipped, wanting nothing"
clean "the rest cancelled"

run oms-order edit -q --line A1:3 --line C3:2:1.00 --priority 4 $c
is "$(sql "SELECT group_concat(sku || ':' || qty || ':' || neg_priority, ' ') FROM waiting WHERE order_id = $c")" \
	"A1:2:-4 B2:1:-4 C3:2:-4" "an edit: more wanted, a new line, a new place in the fair order"
clean "an edit"

run oms-order cancel $c
is "$(wants $c)" "" "cancelled whole: wants nothing"
clean "a cancelled order"

# An authorized order whose line has no SKU yet (a cart's product) waits
# for it once an alias names it.
printf 'order_id,placed_at,ship_name,ship_line1,ship_city,ship_region,ship_postal_code,ship_country,payment_method,sku,item_key,qty,price
K-1,2026-11-01T09:00:00Z,P,1 Main St,Reno,NV,89501,US,prepaid,,Blue Mug,2,5.00
' >key.csv
k=$(oms-import -q key.csv | oms-verify-addr | oms-auth -q)
is "$(sql "SELECT status FROM orders WHERE id = '$k'")/$(wants "$k")" "authorized/" "a line without a SKU: nothing in table waiting"
oms-stock -q alias csv "Blue Mug" B2
is "$(wants "$k")" "B2:2" "the alias names it: it waits for it"
clean "an alias"

done_testing
