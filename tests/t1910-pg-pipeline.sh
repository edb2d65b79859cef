#!/bin/sh
# The pipeline on PostgreSQL: oms-import | oms-verify-addr | oms-auth |
# oms-backorder | oms-pick | oms-ship do on a server what they do on a SQLite
# file, output for output (the same orders get the same stock in the same
# fair order); and eight allocators on eight connections, as on eight hosts,
# never reserve more than is on hand.  Runs under make check-pg.
if [ -z "${OMS_TEST_PG:-}" ]; then
	echo "1..0 # SKIP no PostgreSQL server (make check-pg starts one)"
	exit 0
fi
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/pg-lib.sh"
new_pg_db t1910 t1910_race
PG=$(uri_of t1910)
oms-db init -q "$PG" >/dev/null || echo "Bail out! oms-db init $PG failed"
GEN=$TESTS_DIR/../scripts/gen-orders

"$GEN" items -n 20 -s 1 >items.csv
both oms-stock -q import items.csv
same "the catalog"
for k in $(seq 1 12); do printf 'SKU-%06d %d\n' "$k" $((k * 4)); done >receipt.txt
both_in receipt.txt oms-stock -q receive - --ref PO-1
same "a receipt of less than the orders want"
"$GEN" orders -n 300 -k 20 -s 3 -f csv >orders.csv
both oms-import -q orders.csv
same "oms-import"
cp "$SCRATCH/lite.out" imported.ids
is "$(wc -l <imported.ids | tr -d ' ')" 300 "which passed on every order"
both_in imported.ids oms-verify-addr -q
same "oms-verify-addr"
cp "$SCRATCH/lite.out" verified.ids
both_in verified.ids oms-auth -q
same "oms-auth"
cp "$SCRATCH/lite.out" authorized.ids
both_in authorized.ids oms-backorder -q
same "oms-backorder"
cp "$SCRATCH/lite.out" allocated.ids
isnt "$(wc -l <allocated.ids | tr -d ' ')" 0 "which allocated some"
isnt "$(wc -l <allocated.ids | tr -d ' ')" "$(wc -l <authorized.ids | tr -d ' ')" "and left some short"
both oms-backorder --list
same "oms-backorder --list (what is short)"
both oms-backorder --list --format json
same "oms-backorder --list --format json"
both_in allocated.ids oms-pick -q --max-orders 40
same "oms-pick, in lists of 40 orders"
cp "$SCRATCH/lite.out" picked.ids
for by in bin sku order; do
	both oms-pick show --by $by 1
	same "oms-pick show --by $by"
done
both oms-pick show --format csv 2
same "oms-pick show --format csv"
both_in picked.ids oms-ship -q --carrier ups --service ground
same "oms-ship"
is "$(wc -l <"$SCRATCH/lite.out" | tr -d ' ')" "$(wc -l <picked.ids | tr -d ' ')" "which shipped every picked order"
# A return of a shipped order, received, refunded and shown.
ret=$(sed -n 1p picked.ids)
retsku=$(sql "SELECT sku FROM order_lines WHERE order_id = $ret AND shipped > 0 ORDER BY id LIMIT 1")
both oms-return open --line "$retsku:1" --reason damaged "$ret"
same "oms-return open"
is "$lite_rc" 0 "which opened a return"
rma=$(cat "$SCRATCH/lite.out")
for cmd in receive refund "list" show "show --format json"; do
	both oms-return $cmd "$rma"
	same "oms-return $cmd"
done

# A receipt, and an allocator over what waits: the same orders move on both.
both_in receipt.txt oms-stock -q receive - --ref PO-2
same "a second receipt"
both oms-backorder -q -a
same "oms-backorder -a"
both oms-stock show
same "oms-stock show afterwards"
# Part of a reserved line cancelled: its reservation (and pick) shrink on both.
cl=$(sql "SELECT l.order_id || ' ' || l.sku FROM order_lines l JOIN orders o ON o.id = l.order_id
  WHERE o.status = 'allocated' AND l.allocated > 0 AND l.qty = l.allocated ORDER BY l.id LIMIT 1")
both oms-order cancel --line "${cl#* }:1" --reason "customer asked" "${cl% *}"
same "oms-order cancel --line of a reserved line"
is "$lite_rc" 0 "which cancelled it"
count="SELECT status, count(*) FROM orders GROUP BY status ORDER BY status"
is "$(psql_on t1910 "$count")" "$(sql "$count")" "as many orders in each status on both"
lines="SELECT order_id, sku, allocated, shipped FROM order_lines ORDER BY id"
is "$(psql_on t1910 "$lines")" "$(sql "$lines")" "every line with the same stock allocated and shipped"
for id in 1 7 150 300; do
	both oms-order show "$id"
	same "oms-order show $id"
done
# oms-order find and list on what the pipeline left: the keys are
# computed in C on a server, and compared there as SQLite's functions do.
o2="SELECT customer_name || '|' || customer_email || '|' || customer_phone || '|' || ship_postal_code || '|' || external_id FROM orders WHERE id = 2"
IFS='|' read -r name2 email2 phone2 postal2 ext2 <<EOF2
$(sql "$o2")
EOF2
last2=${name2##* }
for terms in "$last2" "$(printf '%s' "$email2" | tr a-z A-Z)" "$phone2" "${phone2#+1 }" "$last2 $postal2" \
    "$last2 $postal2-0001" "$ext2" "${name2%% *} $last2" "nobody-at-all"; do
	both oms-order find $terms
	same "oms-order find $terms"
done
for opts in "--name $last2" "--email $email2" "--phone $phone2" "--postal-code $postal2 --name $last2" \
    "--status shipped" "--status backordered --newest-first" "--source $(sql 'SELECT source FROM orders WHERE id = 2')"; do
	both oms-order list $opts
	same "oms-order list $opts"
done

# The reports of what waits, a hold among it.
both_in authorized.ids oms-order hold --reason 'credit check'
same "oms-order hold"
for r in orders "orders --by source" backorders; do
	both oms-report $r
	same "oms-report $r"
done
both_in authorized.ids oms-order release
same "oms-order release"

both oms-db check
same "oms-db check after the pipeline"
is "$pg_rc" 0 "which finds nothing wrong on the server"
both oms-db check --format json
same "oms-db check --format json"
# What a server's check finds: the invariants that are plain SQL, and what
# would stop the server enforcing the rest itself.
psql_on t1910 "ALTER TABLE stock_moves DISABLE TRIGGER stock_moves_no_change;
    DELETE FROM stock_moves WHERE id = (SELECT min(id) FROM stock_moves WHERE sku = 'SKU-000001' AND d_on_hand > 0);
    ALTER TABLE order_lines DISABLE TRIGGER ALL; ALTER TABLE order_lines ENABLE TRIGGER ALL;
    ALTER TABLE events DISABLE TRIGGER ALL;
    UPDATE orders SET status = 'shipped' WHERE id = (SELECT min(order_id) FROM order_lines WHERE shipped = 0 AND allocated = 0)"
run oms-db -d "$PG" check
is "$rc" 1 "oms-db check on a server that was tampered with: exit 1"
like "$(out)" "^database: foreign key events_order_id_fkey of events is not enforced: its triggers are disabled$" \
	"a foreign key whose triggers are disabled"
like "$(out)" "^database: trigger events_no_change on events is disabled: what it refuses is not refused$" \
	"an append-only trigger disabled"
like "$(out)" "^database: trigger stock_moves_no_change on stock_moves is disabled" "another"
like "$(out)" "^sku SKU-000001: on hand [0-9]+, but its ledger \(stock_moves\) sums to [0-9-]+$" \
	"stock that is not its ledger's sum"
like "$(out)" "^order [0-9]+: shipped, but none of it has shipped$" "an order's status its lines deny"
like "$(out)" "its history's last change of status" "and its history"
isnt "$(out | grep -c 'order_lines')" 1 "the order lines' re-enabled triggers are not reported"
psql_on t1910 "ALTER TABLE events ENABLE TRIGGER ALL; ALTER TABLE stock_moves ENABLE TRIGGER ALL"
run oms-db -d "$PG" info
like "$(out)" "^schema_version: $(sqlite3 "$LITE" 'PRAGMA user_version')$" "oms-db info on a server: its schema version"
like "$(out)" "^orders.total: 300$" "and what is in it"
run oms-db -d "$PG" backup copy.db
expect 2 "" "oms-db: $PG: backup is for a SQLite file: back up a server's database with its own tools (pg_dump, pg_basebackup)" \
	"oms-db backup is for a file"

# Eight allocators on eight connections over one SKU with 100 units for
# 400 one-unit orders: a writer takes oms's write lock on the server
# (oms_pg_begin), so one allocates at a time, and the stock row's CHECK
# (reserved <= on_hand) would refuse an oversell if one ever got through.
RACE=$(uri_of t1910_race)
export OMS_DB=$RACE
oms-db init -q "$RACE" >/dev/null || echo "Bail out! oms-db init $RACE failed"
printf 'sku,description,weight,bin,price\nC3,Gizmo,100g,B-01-02,1.00\n' >c3.csv
oms-stock -q import c3.csv
oms-stock -q receive C3 100
i=0
while [ $i -lt 400 ]; do
	printf -- '---\nexternal_id: "R%d"\nship_to: {name: P, line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: [{sku: C3, qty: 1}]\n' $i
	i=$((i + 1))
done >race.yaml
oms-add <race.yaml | oms-verify-addr -q | oms-auth -q >race.ids
is "$(wc -l <race.ids | tr -d ' ')" 400 "400 one-unit orders for C3 on the server"
for p in 1 2 3 4 5 6 7 8; do
	oms-backorder --all >race.$p.out 2>race.$p.err &
done
wait
is "$(cat race.*.err)" "" "8 allocators at once on the server: no error reached anyone"
is "$(psql_on t1910_race "SELECT on_hand, reserved FROM stock WHERE sku = 'C3'")" "100|100" \
	"C3 is all reserved, none twice"
is "$(psql_on t1910_race "SELECT count(*) FROM orders WHERE status = 'allocated'")" 100 \
	"exactly 100 orders allocated"
is "$(cat race.*.out | sort -u | wc -l | tr -d ' ')" 100 "and exactly those were printed"
is "$(psql_on t1910_race "SELECT min(id) || ' ' || max(id) FROM orders WHERE status = 'allocated'")" "1 100" \
	"the oldest 100, in the fair order, whichever process took each"
is "$(psql_on t1910_race "SELECT count(*) FROM stock WHERE reserved > on_hand OR on_hand < 0")" 0 "nothing oversold"
VERBOSITY=sqlstate
is "$(psql_on t1910_race "UPDATE stock SET reserved = on_hand + 1 WHERE sku = 'C3'" 2>&1)" "ERROR:  23514" \
	"and the server's CHECK refuses an oversell whoever writes it"
unset VERBOSITY
run oms-db check
expect 0 "" "" "oms-db check after the race"

done_testing
