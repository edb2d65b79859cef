#!/bin/sh
# The database every tool opens: created safely, upgraded by number, refused
# when it is not ours or newer than us, and held to its invariants.
. "$(dirname "$0")/lib.sh"

rm -f "$OMS_DB"
run oms-stock show
expect 2 "" "oms-stock: $OMS_DB: no such oms database (create it with: oms-db init $OMS_DB)" \
	"a command that only reads does not create a database"
is "$(ls "$OMS_DB" 2>/dev/null)" "" "and leaves no file behind"
run oms-order cancel
expect 2 "" "oms-order: $OMS_DB: no such oms database (create it with: oms-db init $OMS_DB)" \
	"nor does a command that writes"
is "$(ls "$OMS_DB" 2>/dev/null)" "" "and it leaves no file behind either"
for t in "oms-import -n x.csv" "oms-verify-addr -n 1" "oms-order hold -n --reason x 1" "oms-backorder -n 1" "oms-auth -n 1"; do
	run $t
	is "$rc" 2 "a dry run on a missing database is refused: $t"
	is "$(ls "$OMS_DB" 2>/dev/null)" "" "and writes nothing: $t"
done
mkdir mistyped
run oms-import -d mistyped/oms.bd2 x.csv
expect 2 "" "oms-import: mistyped/oms.bd2: no such oms database (create it with: oms-db init mistyped/oms.bd2)" \
	"a mistyped path is not made into a new database"
(unset OMS_DB; cd mistyped && oms-stock show >/dev/null 2>&1; echo $?) >status
is "$(cat status) $(ls mistyped)" "2 " "without OMS_DB or -d, ./oms.db is not made either"
: >empty.db
run oms-stock -d empty.db show
expect 2 "" "oms-stock: empty.db: no such oms database (create it with: oms-db init empty.db)" \
	"an empty file (a truncated database) is not opened as a new one"
sqlite3 emptysql.db 'PRAGMA user_version = 0; VACUUM'
mkdir postgresql:
# A server's URI is a server's, never a file's: one that cannot be reached is said so, its password not shown.
uri=postgresql://oms:s3cret@db.invalid/oms
shown='postgresql://oms:***@db.invalid/oms: cannot connect: '
run oms-stock -d "$uri" show
is "$rc $(sed "s/could not.*//" "$SCRATCH/err")" "3 oms-stock: $shown" "a server that cannot be reached is said so, its password not shown"
is "$(grep -c s3cret "$SCRATCH/err")" 0 "nowhere in the message"
run oms-db init "$uri"
is "$rc $(sed "s/could not.*//" "$SCRATCH/err")" "3 oms-db: $shown" "oms-db init says so too"
is "$(find postgresql: -type f)" "" "and no file is made of it"
run env OMS_DB='postgres:///oms?host=/nonexistent/pg&password=pw' oms-stock show
is "$rc $(sed "s/: connection to.*//" "$SCRATCH/err")" "3 oms-stock: postgres:///oms?host=/nonexistent/pg&password=***: cannot connect" \
	"so is one in OMS_DB, a password parameter not shown either"
is "$(grep -c '=pw' "$SCRATCH/err")" 0 "nowhere in the message"
run oms-stock -d emptysql.db receive A1 1
is "$rc" 2 "nor an empty SQLite file"

run oms-db init "$OMS_DB"
expect 0 "$OMS_DB" "" "oms-db init creates the database and prints its path"
run oms-stock show
expect 0 "SKU  ON_HAND  RESERVED  AVAILABLE  BIN" "" "a new database opens empty"
is "$(stat -c %a "$OMS_DB")" 600 "a new database is created mode 0600"
is "$(sql 'PRAGMA journal_mode')" wal "the database is in WAL mode"
is "$(sql 'PRAGMA user_version')" 17 "the schema version is recorded"
is "$(sql "SELECT count(*) FROM sqlite_schema WHERE name = 'orders' AND sql LIKE '%''picking'',''shipped''))%'")" 1 \
	"migration 4 lets a shipped order be held (for a failed capture)"
is "$(sql "SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('orders', 'stock_moves',
    'payments', 'pick_lists') AND (sql LIKE '%status IN%' OR sql LIKE '%kind IN%'
    OR sql LIKE '%payment_method IN%') ORDER BY name")" "" \
	"migration 6 tests statuses, kinds and payment methods without lists (no temporary table a write)"
is "$(sql "SELECT count(*) FROM sqlite_schema WHERE name = 'order_lines_sku'")" 0 \
	"and drops the index of lines by SKU that nothing reads"
is "$(sql 'PRAGMA integrity_check')" ok "and the file is sound after the schema edits"
is "$(sql 'PRAGMA application_id')" 1330467633 "the file is marked as an oms database"
run oms-db init "$OMS_DB"
expect 0 "$OMS_DB" "" "oms-db init on an existing database is harmless"
run oms-db init other.txt extra
is "$rc" 2 "oms-db init takes one file"

(umask 077 && oms-db init -q narrow.db >/dev/null)
is "$(stat -c %a narrow.db)" 600 "a narrower umask is respected (077)"
(umask 0277 && oms-db init -q narrower.db >/dev/null 2>&1)
is "$(stat -c %a narrower.db)" 400 "a narrower umask is respected (0277)"

sqlite3 other.db 'CREATE TABLE t (x); INSERT INTO t VALUES (42);'
sum=$(sha256sum other.db)
run oms-stock -d other.db show
expect 3 "" "oms-stock: other.db: not an oms database (left untouched)" "a foreign SQLite file is refused"
is "$(sha256sum other.db)" "$sum" "the foreign file is left byte for byte as it was"

printf 'this is not a database at all, just some text that is long enough......................................................' >text.db
run oms-stock -d text.db show
is "$rc" 3 "a file that is not SQLite is refused with status 3"
like "$(err)" '^oms-stock: text.db: .*(not a database|file is encrypted)' "and the message names the file"

cp "$OMS_DB" newer.db
sqlite3 newer.db 'PRAGMA user_version = 99'
run oms-stock -d newer.db show
expect 3 "" "oms-stock: newer.db: database schema version 99 is newer than this oms (0.1.0, version 17): upgrade oms" \
	"a database from a newer oms is refused"

# A database of schema 1 (made here by taking migration 2 off) is upgraded in place.
cp "$OMS_DB" old.db
sqlite3 old.db "$OLD_LEDGER_TRIGGER DROP TABLE waiting;
  ALTER TABLE items DROP COLUMN hs_code; ALTER TABLE items DROP COLUMN origin_country;
  ALTER TABLE items DROP COLUMN customs_description; ALTER TABLE items DROP COLUMN weight_pg;
  ALTER TABLE items ADD COLUMN weight_g INTEGER CHECK (weight_g >= 0);
  INSERT INTO items (sku, currency, updated_at, weight_g) VALUES ('OLD-1', 'USD', 't', 680);
  DROP TABLE return_lines; DROP TABLE returns; DROP TABLE confirmations; DROP TABLE x12_interchanges; DROP TABLE shipment_lines;
  DROP TABLE pick_lines; DROP TABLE pick_lists; DROP TABLE item_aliases;
  DROP TABLE x12_lines; DROP TABLE x12_orders; ALTER TABLE items DROP COLUMN units_per_case; ALTER TABLE items DROP COLUMN ships;
  ALTER TABLE order_lines DROP COLUMN external_line_id;
  DROP INDEX order_lines_unresolved; ALTER TABLE order_lines DROP COLUMN item_key;
  ALTER TABLE order_lines DROP COLUMN needs_shipping;
  DROP INDEX orders_email_key; ALTER TABLE orders DROP COLUMN email_key;
  CREATE INDEX orders_email ON orders (customer_email COLLATE NOCASE);
  DROP INDEX orders_phone; ALTER TABLE orders DROP COLUMN name_fold;
  ALTER TABLE orders DROP COLUMN phone_key;
  DROP TABLE payments; DROP TABLE shipments; ALTER TABLE orders DROP COLUMN card_brand;
  ALTER TABLE orders DROP COLUMN card_last4; ALTER TABLE orders DROP COLUMN card_exp;
  PRAGMA user_version = 1;"
run oms-stock -d old.db show OLD-1
expect 2 "" "oms-stock: old.db: database schema version 1 is older than this oms's (17); upgrade it with: oms-db init old.db" \
	"a command that only reads does not upgrade an older schema"
is "$(sqlite3 old.db 'PRAGMA user_version')" 1 "and leaves it as it was"
run oms-order -d old.db hold -n --reason x 1
is "$rc" 2 "nor does a dry run"
run oms-db init old.db
expect 0 "$SCRATCH/old.db" "" "oms-db init upgrades it"
run oms-stock -d old.db show OLD-1
expect 0 "SKU    ON_HAND  RESERVED  AVAILABLE  BIN
OLD-1        0         0          0" "" "a schema 1 database opens"
is "$(sqlite3 old.db 'PRAGMA user_version')" 17 "and is upgraded to schema 17"
is "$(sqlite3 old.db "SELECT count(*) FROM pragma_table_info('orders') WHERE name = 'card_last4'")" 1 "with migration 2's columns"
is "$(sqlite3 old.db "SELECT count(*) FROM sqlite_schema WHERE name = 'payments_created'")" 1 "and migration 4's index of payments by time"
is "$(sqlite3 old.db "SELECT group_concat(name) FROM pragma_index_info('payments_created')")" \
	"created_at,kind,status,amount,currency" "as migration 16 widened it: all the payments report reads"
is "$(sqlite3 old.db "SELECT count(*) FROM sqlite_schema WHERE name IN ('returns', 'return_lines', 'payments_return')")" 3 "and migration 5's returns"
is "$(sqlite3 old.db "SELECT weight_pg, hs_code, origin_country, customs_description FROM items WHERE sku = 'OLD-1'")" "680000000000000|||" \
	"and migration 9's catalog: the grams an item had, as picograms, and room for customs"
is "$(sqlite3 old.db "SELECT count(*) FROM pragma_table_info('items') WHERE name = 'weight_g'")" 0 \
	"without the rounded grams"
is "$(sqlite3 old.db "SELECT count(*) FROM sqlite_schema WHERE name = 'stock_moves_apply'")" 0 \
	"migration 17 drops the ledger's trigger"
run oms-stock -d old.db -q receive OLD-1 5
run oms-stock -d old.db -q receive OLD-1 2
is "$(sqlite3 old.db "SELECT on_hand, reserved FROM stock WHERE sku = 'OLD-1'")" "7|0" \
	"and stock is still the ledger's sum, counted once"
run oms-db -d old.db check
is "$rc" 0 "which oms-db check finds true"

run oms-db init /nonexistent/dir/oms.db
expect 3 "" "oms-db: /nonexistent/dir/oms.db: cannot create: No such file or directory" "an unwritable path is an error"

# The database itself refuses what would corrupt stock (the tools keep
# stock the ledger's sum: oms_stock_move, since migration 17).
catalog
oms-stock -q receive A1 5
is "$(sql 'SELECT on_hand FROM stock WHERE sku = "A1"')" 5 "stock follows the ledger"
sql "UPDATE stock SET on_hand = on_hand - 6 WHERE sku = 'A1'" 2>/dev/null
isnt "$?" 0 "a move below zero on hand is refused by the database"
sql "UPDATE stock SET reserved = reserved + 6 WHERE sku = 'A1'" 2>/dev/null
isnt "$?" 0 "a reservation beyond on hand is refused by the database"
run oms-stock adjust A1 -6
is "$rc" 2 "and by the tools, which say why"
sql "UPDATE stock_moves SET d_on_hand = 50" 2>/dev/null
isnt "$?" 0 "the ledger cannot be rewritten"
sql "DELETE FROM stock_moves" 2>/dev/null
isnt "$?" 0 "the ledger cannot be erased"
is "$(sql 'SELECT on_hand, reserved FROM stock WHERE sku = "A1"')" "5|0" "after the refusals stock is unchanged"
is "$(sql 'PRAGMA foreign_key_check')" "" "no dangling references"
sql "INSERT INTO stock_moves (at, sku, kind, d_on_hand, d_reserved, tool, user) VALUES ('t', 'A1', 'steal', 1, 0, 'x', 'y')" 2>/dev/null
isnt "$?" 0 "a move of no known kind is refused"
printf 'external_id: "K1"\nship_to: {name: P, line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: [{sku: A1, qty: 1}]\n' >k1.yaml
k1=$(oms-add <k1.yaml)
for bad in "status = 'lost'" "payment_method = 'barter'"; do
	sql "UPDATE orders SET $bad WHERE id = $k1" 2>/dev/null
	isnt "$?" 0 "an order's $bad is refused"
done
sql "INSERT INTO payments (order_id, kind, gateway, idempotency_key, amount, currency, status, created_at, updated_at, tool, user) VALUES ($k1, 'authorize', 'test', 'k', 1, 'USD', 'maybe', 't', 't', 'x', 'y')" 2>/dev/null
isnt "$?" 0 "a payment of no known status is refused"
sql "INSERT INTO pick_lists (status, created_at, created_by) VALUES ('lost', 't', 'x')" 2>/dev/null
isnt "$?" 0 "a pick list of no known status is refused"
is "$(sql "SELECT status, payment_method FROM orders WHERE id = $k1") $(sql 'SELECT count(*) FROM payments')" \
	"new|prepaid 0" "and nothing of those was written"

# Configuration.
printf 'currency: EUR\nbatch_size: 10\ndatabase:\n  synchronous: normal\n' >good.yaml
run oms-stock -c good.yaml show
is "$rc" 0 "a good oms.yaml is accepted"
printf 'currency: EUR\ncurrency: USD\n' >twice.yaml
run oms-stock -c twice.yaml show
expect 2 "" 'oms-stock: twice.yaml:2:1: "currency" is set twice' "a key set twice is refused"
printf 'currency: EUR\nbatchsize: 10\n' >typo.yaml
run oms-stock -c typo.yaml show
expect 2 "" 'oms-stock: typo.yaml:2:1: unknown key "batchsize"' "an unknown key is refused with its line and column"
printf 'database:\n  synchronous: sometimes\n' >bad.yaml
run oms-stock -c bad.yaml show
expect 2 "" 'oms-stock: bad.yaml:2:16: database.synchronous: "sometimes" is not one of full, normal, extra' "a bad value is refused"
printf 'currency: [EUR\n' >broken.yaml
run oms-stock -c broken.yaml show
is "$rc" 2 "malformed YAML is a configuration error"
like "$(err)" '^oms-stock: broken.yaml:[0-9]+:[0-9]+: ' "and names line and column"
run oms-stock -c missing.yaml show
expect 2 "" "oms-stock: missing.yaml: No such file or directory" "a named configuration file must exist"
cp typo.yaml oms.yaml
run oms-stock show
is "$rc" 2 "./oms.yaml is read when present"
OMS_CONFIG=good.yaml run oms-stock show
is "$rc" 0 "\$OMS_CONFIG names the file"
rm oms.yaml

run oms-stock -V
expect 0 "oms-stock (oms) 0.1.0" "" "-V prints the version"
run oms-stock --bogus
is "$rc" 2 "an unknown option is a usage error"
like "$(err)" '^oms-stock: --bogus: unknown option' "and says which, naming the tool as every message does"
run oms-stock -d
like "$(err)" '^oms-stock: -d: the option needs a value' "a short option without its value"
run oms-stock show --format
like "$(err)" '^oms-stock: --format: the option needs a value' "a long option without its value"
run oms-stock show --quiet=yes
like "$(err)" '^oms-stock: --quiet: the option takes no value' "a long option given a value it takes none of"
run oms-stock -Z show
like "$(err)" '^oms-stock: -Z: unknown option' "an unknown short option"

# A site's database of schema 15, payments and all, is upgraded in one
# transaction: migration 16 drops an index of 100,000 payments, more than
# SQLite keeps of a statement in memory (it spills to a file, which failed
# with "database or disk is full" while the spill size was above 128 KiB).
cp "$OMS_DB" big.db
sqlite3 big.db "$OLD_LEDGER_TRIGGER WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
  INSERT INTO payments (order_id, kind, gateway, idempotency_key, amount, currency, status,
    created_at, updated_at, tool, user)
  SELECT $k1, 'authorize', 'test', 'big' || i, i, 'USD', 'succeeded',
    strftime('%Y-%m-%dT%H:%M:%SZ', 1767225600 + i * 300, 'unixepoch'), 't', 'x', 'y' FROM n"
OMS_NOW=2026-12-01T00:00:00Z run oms-report -d big.db payments --by month --format csv
before=$(cat "$SCRATCH/out")
sqlite3 big.db "DROP INDEX payments_created; CREATE INDEX payments_created ON payments (created_at);
  PRAGMA user_version = 15"
run oms-db init -q big.db
expect 0 "$SCRATCH/big.db" "" "a schema 15 database of 100,000 payments is upgraded"
is "$(sqlite3 big.db "SELECT group_concat(name) FROM pragma_index_info('payments_created')")" \
	"created_at,kind,status,amount,currency" "its payments by time hold what the report reads"
OMS_NOW=2026-12-01T00:00:00Z run oms-report -d big.db payments --by month --format csv
is "$(cat "$SCRATCH/out")" "$before" "and the payments report, read from that index alone, is the same"
like "$before" '2026-01,USD,8927,' "(January's authorizations, one every five minutes)"

done_testing
