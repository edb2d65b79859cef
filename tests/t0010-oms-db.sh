#!/bin/sh
# oms-db check, backup and info: a database made by the tools checks clean;
# every invariant, broken behind oms's back, is reported as what it is; a
# backup taken while others write is whole; a group shares one database and
# a user who may only read it can read it.
. "$(dirname "$0")/lib.sh"

# A realistic day: receipts and an adjustment, card, prepaid and invoiced
# orders, a hold, a split order shipped in part, a cancellation (its
# reservation released, its authorization voided), a short pick, and a
# shipment voided (its stock back on the shelf, its capture refunded).
printf 'sku,description,weight,bin,price\nA1,Widget,1.5,A-01-01,9.99\nB2,"Gadget, big",24oz,A-02-10,19.50\nC3,Gizmo,100g,B-01-02,3.00\n' >items.csv
oms-stock -q import items.csv
printf 'A1 10\nB2 5\nC3 2\n' | oms-stock -q receive -
oms-stock -q adjust B2 -1 --reason 'damaged in receiving'
card='{method: card, token: pm_card_visa}'
doc() {
	printf 'ship_complete: %s\nship_to: {name: "Pat Doe", line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: %s\nshipping: "5.00"\nlines: %s\n' \
		"$1" "$2" "$3"
}
{
	doc true "$card" '[{sku: A1, qty: 2}, {sku: B2, qty: 1}]' | oms-add
	doc false '{method: prepaid}' '[{sku: A1, qty: 1}, {sku: C3, qty: 4}]' | oms-add
	doc true "$card" '[{sku: B2, qty: 2}]' | oms-add
	doc true '{method: invoice, terms: net30}' '[{sku: A1, qty: 3}]' | oms-add
	doc true "$card" '[{sku: A1, qty: 1}, {sku: B2, qty: 1}]' | oms-add
	doc true '{method: prepaid}' '[{sku: C3, qty: 1}]' | oms-add
	doc true '{method: prepaid}' '[{sku: A1, qty: 2}]' | oms-add
} >added.ids
is "$(cat added.ids | tr '\n' ' ')" "1 2 3 4 5 6 7 " "seven orders"
printf '1\n2\n3\n4\n5\n7\n' | oms-verify-addr | oms-auth -q >authorized.ids 2>auth.err
oms-order hold -q --reason 'credit check' 4 >/dev/null
oms-backorder -q <authorized.ids >/dev/null 2>&1
oms-order cancel -q --reason 'customer changed their mind' 3 >/dev/null 2>&1
oms-pick -q -o pick1.txt 1 2 5 >/dev/null
oms-pick -q -o pick2.txt 7 >/dev/null
oms-pick -q confirm 2 --short 7:A1:1
oms-ship -q --carrier ups --service ground --tracking 1Z999AA10123456784 1 >/dev/null
oms-ship -q --carrier usps --service priority 2 5 >/dev/null
oms-ship -q void --reason 'label reprinted' 3 >/dev/null 2>&1
oms-stock -q count C3 0 --reason 'cycle count'
is "$(sql "SELECT group_concat(id || ':' || status || coalesce(':' || held_from, ''), ' ') FROM orders")" \
	"1:shipped 2:backordered 3:cancelled 4:hold:authorized 5:picking 6:new 7:backordered" \
	"the orders stand where the day left them"
is "$(sql "SELECT group_concat(kind || ':' || status, ' ') FROM (SELECT kind, status FROM payments ORDER BY id)")" \
	"authorize:succeeded authorize:succeeded authorize:succeeded void:succeeded capture:succeeded capture:succeeded refund:succeeded" \
	"authorizations, a void, captures and a refund"

run oms-db check
expect 0 "" "" "a database made by the tools checks clean"
run oms-db -v check
expect 0 "" "oms-db: $OMS_DB: no problems found" "-v says so"
run oms-db check --format json
expect 0 "[]" "" "clean in json: an empty array"
run oms-db check --pending-hours 0
expect 0 "" "" "no payment is pending at all"

# broken SQL: b.db, a copy of the clean database, changed behind oms's back.
broken() {
	rm -f b.db b.db-wal b.db-shm
	oms-db -q backup b.db >/dev/null && sqlite3 -batch b.db "$1" ||
		echo "Bail out! could not break b.db: $1"
}
json_rows() {
	python3 -c 'import json, sys
for p in json.load(sys.stdin):
    print("|".join("" if p[k] is None else str(p[k]) for k in ("kind", "order", "sku", "payment", "message")))'
}
# found DESCRIPTION LINES FIELDS [OPTION]: oms-db check of b.db finds exactly
# the problems LINES, one a line, exits 1, and says how many; in json the
# same, with FIELDS (kind|order|sku|payment, a line each) before each message.
found() {
	printf '%s\n' "$2" >want.txt
	printf '%s\n' "$3" >fields.txt
	n=$(wc -l <want.txt)
	run oms-db -d b.db check ${4:-}
	expect 1 "$2" "oms-db: b.db: $n problem$([ "$n" = 1 ] || echo s) found" "$1"
	run oms-db -d b.db check --format json ${4:-}
	is "$rc" 1 "$1: json: exit status 1"
	is "$(out | json_rows)" "$(paste -d '|' fields.txt want.txt)" "$1: json"
}

broken "UPDATE stock SET on_hand = on_hand + 2 WHERE sku = 'A1'"
found "stock that is not its ledger's sum (on hand)" \
	"sku A1: on hand 8, but its ledger (stock_moves) sums to 6" "stock||A1|"
broken "INSERT INTO stock_moves (at, sku, kind, d_on_hand, d_reserved, tool, user) VALUES ('t', 'B2', 'receive', 4, 0, 'x', 'y');
  INSERT INTO items (sku, currency, updated_at) VALUES ('D4', 'USD', 't');
  INSERT INTO stock_moves (at, sku, kind, d_on_hand, d_reserved, tool, user) VALUES ('t', 'D4', 'receive', 3, 0, 'x', 'y')"
found "a ledger row that stock never took (written by hand, not by the tools)" \
	"sku B2: on hand 3, but its ledger (stock_moves) sums to 7
sku D4: no stock row, but its ledger (stock_moves) sums to 3 on hand, 0 reserved" "stock||B2|
stock||D4|"
broken "UPDATE stock SET reserved = 1 WHERE sku = 'A1'"
found "stock that is not its ledger's sum (reserved), nor what lines hold" \
	"sku A1: reserved 1, but its ledger (stock_moves) sums to 2
sku A1: reserved 1, but order lines hold 2 allocated" "stock||A1|
reserved||A1|"

broken "PRAGMA ignore_check_constraints = ON;
  INSERT INTO stock_moves (at, sku, kind, d_on_hand, d_reserved, tool, user) VALUES ('t', 'C3', 'reserve', 0, 5, 'x', 'y');
  INSERT INTO stock_moves (at, sku, kind, d_on_hand, d_reserved, tool, user) VALUES ('t', 'B2', 'adjust', -4, 0, 'x', 'y');
  $STOCK_FROM_LEDGER"
found "stock below zero, or reserved beyond on hand (its CHECK constraints)" \
	"sku B2: below zero (on hand -1, reserved 1)
sku C3: reserved 5, more than the 0 on hand
sku C3: reserved 5, but order lines hold 0 allocated" "stock||B2|
stock||C3|
reserved||C3|"

broken "INSERT INTO stock_moves (at, sku, kind, d_on_hand, d_reserved, ref, tool, user) VALUES ('t', 'B2', 'reserve', 0, 2, 'order 6', 'x', 'y');
  $STOCK_FROM_LEDGER"
found "a reservation no order line holds" \
	"sku B2: reserved 3, but order lines hold 1 allocated" "reserved||B2|"
broken "UPDATE order_lines SET qty = 2 WHERE order_id = 5 AND sku = 'A1';
  UPDATE order_lines SET allocated = 2, picked = 2 WHERE order_id = 5 AND sku = 'A1'"
found "a line holding more than was reserved" \
	"sku A1: reserved 2, but order lines hold 3 allocated" "reserved||A1|"

broken "PRAGMA ignore_check_constraints = ON; UPDATE order_lines SET cancelled = 1 WHERE order_id = 1 AND sku = 'A1'"
found "a line with allocated + shipped + cancelled more than ordered" \
	"order 1: line 1 (A1): allocated 0 + shipped 2 + cancelled 1 is 3, more than the 2 ordered" "line|1|A1|"
broken "PRAGMA ignore_check_constraints = ON; UPDATE order_lines SET picked = 2 WHERE order_id = 5 AND sku = 'B2';
  UPDATE order_lines SET returned = 3 WHERE order_id = 1 AND sku = 'A1'"
found "a line picked beyond what it holds, and one returned beyond what it shipped" \
	"order 1: line 1 (A1): returned 3, more than the 2 shipped
order 5: line 2 (B2): picked 2, more than the 1 allocated" "line|1|A1|
line|5|B2|"

# Table waiting, behind its writers' back: what allocation leaves earlier orders.
broken "UPDATE order_lines SET cancelled = 1 WHERE order_id = 2 AND sku = 'C3';
  INSERT INTO waiting VALUES ('C3', 0, 't', 6, 1);
  UPDATE orders SET priority = 2 WHERE id = 7"
placed=$(sql "SELECT placed_at FROM orders WHERE id = 7")
found "what waiting orders want, wrong in table waiting: a quantity, an order that does not wait, a priority" \
	"order 2: waits for 1 of C3, but table waiting says 2
order 6: table waiting says it waits for 1 of C3, but it waits for none
order 7: table waiting has its A1 at priority 0, placed $placed, but the order is at priority 2, placed $placed" "waiting|2|C3|
waiting|6|C3|
waiting|7|A1|"
broken "DELETE FROM waiting WHERE order_id = 7"
found "a waiting order missing from table waiting" \
	"order 7: waits for 1 of A1, but table waiting does not say so" "waiting|7|A1|"

broken "UPDATE shipments SET status = 'void', voided_at = 't' WHERE id = 1"
found "shipped units that no shipment carried" \
	"order 1: line 1 (A1): shipped 2 but shipment lines say 0
order 1: line 2 (B2): shipped 1 but shipment lines say 0" "shipment|1|A1|
shipment|1|B2|"
broken "UPDATE order_lines SET shipped = 1, cancelled = 1 WHERE order_id = 2 AND sku = 'C3'"
found "a line that says less shipped than its shipment carried" \
	"order 2: line 2 (C3): shipped 1 but shipment lines say 2" "shipment|2|C3|"

broken "DROP TRIGGER payments_capture_limit;
  INSERT INTO payments (order_id, kind, parent_id, gateway, idempotency_key, amount, currency, status, created_at, updated_at, tool, user)
  VALUES (1, 'capture', 1, 'test', 'k1', 100, 'USD', 'succeeded', 't', 't', 'x', 'y')"
found "a capture beyond the authorization" \
	"payment 1 (order 1): captured 45.48 USD, more than the 44.48 authorized" "payment|1||1"
broken "DROP TRIGGER payments_refund_limit;
  INSERT INTO payments (order_id, kind, parent_id, gateway, idempotency_key, amount, currency, status, created_at, updated_at, tool, user)
  VALUES (1, 'refund', 1, 'test', 'k1', 4449, 'USD', 'succeeded', 't', 't', 'x', 'y')"
found "a refund beyond what was captured" \
	"payment 1 (order 1): refunded 44.49 USD, more than the 44.48 captured" "payment|1||1"
broken "DROP TRIGGER payments_capture_limit; DROP TRIGGER payments_final;
  UPDATE payments SET status = 'declined' WHERE id = 3;
  INSERT INTO payments (order_id, kind, parent_id, gateway, idempotency_key, amount, currency, status, created_at, updated_at, tool, user)
  VALUES (2, 'capture', 1, 'test', 'k1', 100, 'USD', 'pending', 't', 't', 'x', 'y')"
found "a capture of a declined authorization, and one of another order's" \
	"payment 3 (order 5): captured 34.49 USD of an authorization that is declined
payment 8 (order 2): a capture of payment 1, which is order 1's" "payment|5||3
payment|2||8"

at=$(date -u -d '30 hours ago' +%Y-%m-%dT%H:%M:%SZ)
broken "INSERT INTO payments (order_id, kind, gateway, idempotency_key, amount, currency, created_at, updated_at, tool, user)
  VALUES (6, 'authorize', 'test', 'k1', 800, 'USD', '$at', '$at', 'oms-auth', 'y')"
found "a payment intent pending for 30 hours" \
	"payment 8 (order 6): authorize of 8.00 USD pending since $at, 24 hours or more with no answer from the gateway recorded (written by oms-auth)" \
	"pending|6||8"
found "--pending-hours sets the threshold" \
	"payment 8 (order 6): authorize of 8.00 USD pending since $at, 29 hours or more with no answer from the gateway recorded (written by oms-auth)" \
	"pending|6||8" "--pending-hours 29"
run oms-db -d b.db check --pending-hours 31
expect 0 "" "" "and one pending for less is no problem"

# Status against lines, kept consistent with stock so that only the status is wrong.
broken "UPDATE order_lines SET allocated = 1 WHERE order_id = 4;
  INSERT INTO stock_moves (at, sku, kind, d_on_hand, d_reserved, ref, tool, user) VALUES ('t', 'A1', 'reserve', 0, 1, 'order 4', 'x', 'y');
  $STOCK_FROM_LEDGER"
found "units allocated to an order held before allocation" \
	"order 4: on hold from authorized, but 1 unit is allocated" "status|4||"
broken "UPDATE order_lines SET cancelled = 1 WHERE order_id = 3"
found "a cancelled order with a unit left open" \
	"order 3: cancelled, but 1 unit is neither shipped nor cancelled" "status|3||"
broken "UPDATE order_lines SET picked = 1 WHERE order_id = 7"
found "a backordered order with units picked" \
	"order 7: backordered, but 1 unit is picked" "status|7||"
broken "UPDATE order_lines SET allocated = 0, picked = 0 WHERE order_id = 5;
  INSERT INTO stock_moves (at, sku, kind, d_on_hand, d_reserved, ref, tool, user) VALUES ('t', 'A1', 'release', 0, -1, 'order 5', 'x', 'y');
  INSERT INTO stock_moves (at, sku, kind, d_on_hand, d_reserved, ref, tool, user) VALUES ('t', 'B2', 'release', 0, -1, 'order 5', 'x', 'y');
  $STOCK_FROM_LEDGER
  INSERT INTO waiting SELECT l.sku, -o.priority, o.placed_at, o.id, sum(l.qty - l.shipped - l.cancelled)
    FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.id = 5 GROUP BY l.sku"
found "a picking order that nothing is reserved for" \
	"order 5: picking, but nothing is reserved for it" "status|5||"
broken "UPDATE order_lines SET cancelled = 1 WHERE order_id = 6"
found "an open order with nothing open" \
	"order 6: new, but nothing of it is open: every unit has shipped or been cancelled" "status|6||"
broken "DROP TRIGGER shipment_lines_no_delete; DELETE FROM shipment_lines WHERE shipment_id = 1 AND sku = 'B2';
  UPDATE order_lines SET shipped = 0 WHERE order_id = 1 AND sku = 'B2'"
found "a shipped order with a unit still open" \
	"order 1: shipped, but 1 unit is still open" "status|1||"

# Status against history.
broken "UPDATE orders SET status = 'verified' WHERE id = 6"
found "a status no event gave" \
	"order 6: verified, but its history's last change of status (event $(sql "SELECT max(id) FROM events WHERE order_id = 6"), created) is to new" \
	"history|6||"
broken "UPDATE orders SET held_from = 'verified' WHERE id = 4"
found "a hold from another status than its event says" \
	"order 4: on hold from verified, but its history's hold (event $(sql "SELECT max(id) FROM events WHERE order_id = 4 AND what = 'hold'")) is from authorized" \
	"history|4||"
broken "INSERT INTO orders (id, source, external_id, status, placed_at, created_at, updated_at, currency, subtotal, total, payment_method)
  VALUES (8, 'manual', 'X-8', 'new', 't', 't', 't', 'USD', 0, 0, 'prepaid');
  INSERT INTO order_lines (order_id, line_no, sku, qty, unit_price) VALUES (8, 1, 'A1', 1, 0)"
found "an order with no history at all" \
	"order 8: new, but no event in its history gives it a status" "history|8||"
broken "INSERT INTO orders (id, source, external_id, status, placed_at, created_at, updated_at, currency, subtotal, total, payment_method)
  VALUES (8, 'manual', 'X-8', 'new', 't', 't', 't', 'USD', 0, 0, 'prepaid');
  INSERT INTO events (order_id, at, tool, user, what, to_status) VALUES (8, 't', 'x', 'y', 'created', 'new')"
found "an order with no lines" "order 8: new, but it has no lines" "status|8||"

# SQLite's own checks.
broken "INSERT INTO events (order_id, at, tool, user, what) VALUES (99, 't', 'x', 'y', 'note')"
found "a dangling reference" \
	"events row $(sql "SELECT max(id) + 1 FROM events"): refers to a row of orders that does not exist" "foreign_key|||"
broken "PRAGMA writable_schema = ON;
  UPDATE sqlite_schema SET sql = replace(sql, '(sku, id)', '(kind, id)') WHERE name = 'stock_moves_sku'"
run oms-db -d b.db check
is "$rc" 1 "a damaged index: exit status 1"
like "$(out)" "^database: (row [0-9]+ missing from index stock_moves_sku|wrong # of entries in index stock_moves_sku)" \
	"integrity_check's words, as the database's problem"
run oms-db -d b.db check --format csv
like "$(out | sed -n 2p)" "^integrity,,,," "csv, the kind first"

# Could not read: exit 3, and what was found before is still written.
rm -f b.db b.db-wal b.db-shm
oms-db -q backup b.db >/dev/null
pages=$(sqlite3 b.db 'PRAGMA page_count')
dd if=/dev/urandom of=b.db bs=4096 seek=2 count=$((pages - 2)) conv=notrunc 2>/dev/null
run oms-db -d b.db check
is "$rc" 3 "a database too damaged to read: exit status 3"
like "$(err)" "^oms-db: b.db: .*(malformed|not a database)" "and says why"
rm -f b.db b.db-wal b.db-shm
oms-db -q backup b.db >/dev/null
dd if=/dev/urandom of=b.db bs=4096 seek=$((pages / 2)) count=3 conv=notrunc 2>/dev/null
run oms-db -d b.db check
is "$rc" 3 "damaged pages that a check needs: exit status 3"
like "$(out)" "^database: Page [0-9]+: " "what integrity_check found is printed first, a finding a line"
like "$(err)" "^oms-db: b.db: query: database disk image is malformed$" "then why it stopped"
run oms-db -d missing.db check
expect 2 "" "oms-db: missing.db: no such oms database (create it with: oms-db init missing.db)" \
	"a missing database is not checked into being"
is "$(ls missing.db 2>/dev/null)" "" "nor made"

# Usage.
run oms-db check --pending-hours soon
expect 2 "" "oms-db: --pending-hours: \"soon\" is not a number of hours
$(oms-db -h)" "--pending-hours takes a number"
run oms-db check extra
is "$rc" 2 "check takes no operand"
run oms-db info --format csv
is "$rc" 2 "info is text or json"
run oms-db backup --pending-hours 3 x.db
is "$rc" 2 "--pending-hours is for check"
run oms-db chek
expect 2 "" "oms-db: chek: unknown command (did you mean check?)" "an unknown command is a usage error"

# Backup: while others write, a whole, checked copy, mode 0600.
oms-stock -q receive A1 100 --ref PO-1
# The sqlite3 shell does not wait for a lock unless told to.
moves() { sqlite3 -batch -cmd '.timeout 20000' "$OMS_DB" 'SELECT count(*) FROM stock_moves'; }
moves=$(moves)
(
	i=0
	while [ $i -lt 200 ]; do
		oms-stock receive A1 1 --ref PO-2 || echo "receive $i failed"
		i=$((i + 1))
	done
) >writers.out 2>&1 &
writers=$!
i=0
while [ "$(moves)" -lt $((moves + 10)) ] && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
copies=
for n in 1 2 3 4 5; do
	run oms-db backup copy$n.db
	copies="$copies $rc:$(out)"
done
during=$(moves)
wait $writers
is "$copies" " 0:$SCRATCH/copy1.db 0:$SCRATCH/copy2.db 0:$SCRATCH/copy3.db 0:$SCRATCH/copy4.db 0:$SCRATCH/copy5.db" \
	"backups while a writer loops print each copy's path"
is "$(cat writers.out)" "" "and the writer was never refused"
isnt "$during" "$(moves)" "(the writer was still writing after the last backup)"
is "$(stat -c %a copy1.db copy5.db | tr '\n' ' ')" "600 600 " "a copy is mode 0600"
run oms-db -d copy5.db check
expect 0 "" "" "a copy checks clean"
for n in 1 2 3 4 5; do
	sqlite3 copy$n.db "SELECT 'copy$n.db: ' || on_hand || ' on hand, ledger ' || (SELECT sum(d_on_hand)
	  FROM stock_moves m WHERE m.sku = s.sku) FROM stock s WHERE sku = 'A1' AND on_hand != (SELECT
	  sum(d_on_hand) FROM stock_moves m WHERE m.sku = s.sku)"
done >copies.txt
is "$(cat copies.txt)" "" "each copy is of one moment: its stock and its ledger agree"
is "$(sqlite3 copy1.db 'PRAGMA application_id; PRAGMA user_version')" "1330467633
$(sql 'PRAGMA user_version')" "and an oms database of this schema"
is "$(ls -a | grep -c '^\.copy')" 0 "no temporary file is left"
(umask 0277 && oms-db -q backup narrow.db >/dev/null)
is "$(stat -c %a narrow.db)" 600 "0600 whatever the umask"
echo keep >old.bak
chmod 644 old.bak
run oms-db backup old.bak
is "$rc $(stat -c %a old.bak) $(sqlite3 old.bak 'PRAGMA application_id')" "0 600 1330467633" \
	"a backup replaces an older file of that name whole"
sum=$(sha256sum "$OMS_DB")
for f in "$OMS_DB" "$OMS_DB-wal" "$OMS_DB-shm" "$OMS_DB-journal" "./oms.db"; do
	run oms-db backup "$f"
	is "$rc" 2 "the database's own file is refused as a backup: $f"
done
like "$(err)" "^oms-db: \./oms\.db: is the database itself: the backup needs a name of its own$" "with a message"
ln -s oms.db link.db
run oms-db backup link.db
expect 2 "" "oms-db: link.db: is the database itself: the backup needs a name of its own" "a link to it too"
is "$(sha256sum "$OMS_DB")" "$sum" "and the database is untouched"
mkdir adir
run oms-db backup adir
expect 2 "" "oms-db: adir: not a regular file" "a directory is refused"
run oms-db backup nodir/x.db
expect 3 "" "oms-db: nodir/x.db: cannot create a file in nodir: No such file or directory" \
	"a directory that is not there is an error"
chmod 555 adir
if [ "$(id -u)" != 0 ]; then
	run oms-db backup adir/x.db
	is "$rc $(ls adir)" "3 " "an unwritable directory is an error, and nothing is left in it"
else
	ok "# SKIP an unwritable directory (root writes everywhere)"
fi

# Info.
run oms-db info
is "$rc" 0 "info: exit status 0"
is "$(out | grep -E '^(path|schema_version|journal_mode|orders\.[a-z_]+|held\.[a-z]+|payments\.(total|pending)|pick_lists\.open|shipments\.(shipped|void)):')" \
	"path: $OMS_DB
schema_version: $(sql 'PRAGMA user_version')
journal_mode: wal
orders.total: 7
orders.new: 1
orders.verified: 0
orders.authorized: 0
orders.backordered: 2
orders.allocated: 0
orders.picking: 1
orders.shipped: 1
orders.hold: 1
orders.cancelled: 1
orders.oldest_open: $(sql "SELECT min(placed_at) FROM orders WHERE id IN (2, 4, 5, 6, 7)")
orders.last_placed: $(sql "SELECT max(placed_at) FROM orders")
held.manual: 1
payments.total: 7
payments.pending: 0
pick_lists.open: 1
shipments.shipped: 2
shipments.void: 1" "info: the files, the schema and the counts"
is "$(out | grep -E '^(db_bytes|page_size|page_count|stock\.skus|stock\.reserved|events\.total):' | sed 's/: .*//' | tr '\n' ' ')" \
	"db_bytes page_size page_count stock.skus stock.reserved events.total " "sizes, stock and the history too"
is "$(out | sed -n 's/^db_bytes: //p')" "$(stat -c %s "$OMS_DB")" "db_bytes is the file's size"
is "$(out | sed -n 's/^stock.reserved: //p')" "$(sql 'SELECT sum(reserved) FROM stock')" "stock.reserved is what stock holds"
run oms-db info --format json
is "$rc" 0 "info --format json: exit status 0"
is "$(out | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["schema_version"], d["orders"]["total"], d["orders"]["hold"], d["held"], d["payments"]["pending"], d["payments"]["oldest_pending"])')" \
	"$(sql 'PRAGMA user_version') 7 1 {'manual': 1} 0 None" "json: one object, nested by subject"
rm -f b.db*
oms-db -q backup b.db >/dev/null
sqlite3 b.db "INSERT INTO payments (order_id, kind, gateway, idempotency_key, amount, currency, created_at, updated_at, tool, user)
  VALUES (6, 'authorize', 'test', 'k1', 800, 'USD', '2026-01-02T03:04:05Z', 't', 'oms-auth', 'y')"
run oms-db -d b.db info
is "$(out | grep '^payments\.')" "payments.total: 8
payments.pending: 1
payments.oldest_pending: 2026-01-02T03:04:05Z" "info counts pending intents, and the oldest"

# A database one may not reach is not a missing one.
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null; then
	chmod 711 "$SCRATCH"
	mkdir -m 700 private
	oms-db init -q private/oms.db >/dev/null
	run runuser -u nobody -- env PATH="$PATH" oms-stock -d "$SCRATCH/private/oms.db" show
	expect 3 "" "oms-stock: $SCRATCH/private/oms.db: Permission denied" \
		"a database in a directory one may not search is not called missing (exit 3)"
else
	ok "# SKIP a database out of reach: not root"
fi

# A user who may read the files but not write them or their directory.
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null; then
	chmod 711 "$SCRATCH"
	mkdir -m 755 ro
	oms-db -q backup ro/oms.db >/dev/null
	# A writer keeps -wal and -shm in place; the reader needs them there.
	oms-stock -q -d ro/oms.db receive C3 1
	chmod 644 ro/oms.db ro/oms.db-wal ro/oms.db-shm
	sum=$(cat ro/oms.db ro/oms.db-wal | sha256sum)
	as_nobody() {
		runuser -u nobody -- env -u OMS_USER PATH="$PATH" OMS_DB="$SCRATCH/ro/oms.db" "$@"
	}
	for c in "oms-order list" "oms-order show 2" "oms-report orders" "oms-stock show" "oms-db check" "oms-db info"; do
		$c -d ro/oms.db >want.out 2>&1
		run as_nobody $c
		is "$rc $(cat "$SCRATCH/err")" "0 " "nobody may read: $c"
		is "$(out | grep -v '^path:')" "$(grep -v '^path:' want.out)" "and sees what the owner sees: $c"
	done
	run as_nobody oms-stock receive A1 1
	expect 3 "" "oms-stock: $SCRATCH/ro/oms.db: you may read this database but not write it" \
		"a write by nobody fails, saying why, with exit status 3"
	run as_nobody oms-order hold --reason 'x' 6
	expect 3 "" "oms-order: $SCRATCH/ro/oms.db: you may read this database but not write it" \
		"so does a step of the pipeline"
	run as_nobody oms-db init
	expect 3 "" "oms-db: $SCRATCH/ro/oms.db: you may read this database but not write it" \
		"oms-db init by a user who may not write the database says so"
	run as_nobody oms-db backup "$SCRATCH/ro/copy.db"
	is "$rc $(ls ro)" "3 oms.db
oms.db-shm
oms.db-wal" "a backup into a directory nobody may write fails, leaving nothing"
	is "$(cat ro/oms.db ro/oms.db-wal | sha256sum)" "$sum" "the reader changed nothing"
	is "$(sqlite3 ro/oms.db "SELECT status FROM orders WHERE id = 6")" new "and held nothing"
else
	ok "# SKIP a read-only user: not root"
fi

# Several people, one database: a group, a setgid directory, two users.
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null && command -v useradd >/dev/null &&
    command -v groupadd >/dev/null; then
	g=omsck$$g
	u1=omsck$$a
	u2=omsck$$b
	trap 'userdel "$u1" 2>/dev/null; userdel "$u2" 2>/dev/null; groupdel "$g" 2>/dev/null; cleanup' EXIT
	groupadd --system "$g"
	useradd --system -M -N -g nogroup -G "$g" -s /usr/sbin/nologin "$u1"
	useradd --system -M -N -g nogroup -G "$g" -s /usr/sbin/nologin "$u2"
	chmod 711 "$SCRATCH"
	chmod 644 items.csv
	install -d -m 2770 -g "$g" shared
	as() {
		u=$1
		shift
		runuser -u "$u" -- env -u OMS_USER -u OMS_DB PATH="$PATH" "$@"
	}
	run as "$u1" oms-db init --group "$g" "$SCRATCH/shared/oms.db"
	expect 0 "$SCRATCH/shared/oms.db" "" "a member makes the shared database"
	run as "$u1" oms-stock -q -d "$SCRATCH/shared/oms.db" import "$SCRATCH/items.csv"
	is "$rc" 0 "the first member writes it"
	run as "$u2" oms-stock -d "$SCRATCH/shared/oms.db" receive A1 5 --ref PO-9
	is "$rc $(err)" "0 " "so does the second"
	doc true '{method: prepaid}' '[{sku: A1, qty: 2}]' >shared.yaml
	chmod 644 shared.yaml
	run as "$u2" sh -c "oms-add -d '$SCRATCH/shared/oms.db' <'$SCRATCH/shared.yaml'"
	is "$rc $(out)" "0 1" "the second adds an order"
	run as "$u1" oms-verify-addr -d "$SCRATCH/shared/oms.db" 1
	is "$rc $(out)" "0 1" "the first verifies it"
	is "$(cd shared && stat -c '%n %a %G' oms.db oms.db-wal oms.db-shm)" "oms.db 660 $g
oms.db-wal 660 $g
oms.db-shm 660 $g" "the database, its -wal and -shm are the group's, mode 0660"
	is "$(sqlite3 shared/oms.db "SELECT group_concat(what || ':' || user, ' ') FROM events")" \
		"created:$u2 verify:$u1" "the history names each member by login name"
	is "$(sqlite3 shared/oms.db "SELECT group_concat(kind || ':' || user, ' ') FROM stock_moves")" \
		"receive:$u2" "so does the ledger"
	run as "$u1" oms-db -d "$SCRATCH/shared/oms.db" check
	expect 0 "" "" "and it checks clean"
	run as nobody oms-db -d "$SCRATCH/shared/oms.db" info
	expect 3 "" "oms-db: $SCRATCH/shared/oms.db: Permission denied" "someone outside the group may not even read it, and is told so"
else
	ok "# SKIP sharing with a group: not root, or no useradd"
fi

done_testing
