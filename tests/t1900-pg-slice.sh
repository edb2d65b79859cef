#!/bin/sh
# The tools on PostgreSQL, first slice: oms-db init makes a server's empty
# database oms's (and refuses one that is not, or is at another version);
# oms-stock import and receive, oms-add, oms-import and oms-order show do
# there what they do on a SQLite file, output for output.  Runs under make
# check-pg, which starts a server and sets OMS_TEST_PG; skipped without one.
if [ -z "${OMS_TEST_PG:-}" ]; then
	echo "1..0 # SKIP no PostgreSQL server (make check-pg starts one)"
	exit 0
fi
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/pg-lib.sh"
new_pg_db t1900 t1900_other t1900_empty
PG=$(uri_of t1900)

run oms-db init "$PG"
expect 0 "$PG" "" "oms-db init makes an empty database oms's and prints its URI"
is "$(psql_on t1900 'SELECT application, version FROM oms_meta')" "oms|$(sqlite3 "$LITE" 'PRAGMA user_version')" \
	"it records the application and the schema version SQLite's file has"
run oms-db init "$PG"
expect 0 "$PG" "" "again, it finds it at this version and leaves it"
run oms-db init "$PG&password=hunter2"
expect 0 "$PG&password=***" "" "a password in the URI is never printed"

run oms-db init --group root "$PG"
expect 2 "" "oms-db: $PG: --group is for a SQLite file: a server's roles share its databases" \
	"--group is for a file, not a server's database"
run oms-stock -d "$(uri_of t1900_empty)" show
expect 2 "" "oms-stock: $(uri_of t1900_empty): no such oms database, only an empty PostgreSQL database (create it with: oms-db init $(uri_of t1900_empty))" \
	"a tool other than oms-db init does not make an empty database oms's"
psql_on t1900_other 'CREATE TABLE customers (id bigint)'
run oms-db init "$(uri_of t1900_other)"
expect 3 "" "oms-db: $(uri_of t1900_other): not an oms database (left untouched)" \
	"a database with tables of its own is not oms's"
is "$(psql_on t1900_other "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")" 1 \
	"and is left as it was"
psql_on t1900 'UPDATE oms_meta SET version = version - 1'
run oms-stock -d "$PG" show
expect 3 "" "oms-stock: $PG: database schema version $(($(sqlite3 "$LITE" 'PRAGMA user_version') - 1)) is older than this oms's ($(sqlite3 "$LITE" 'PRAGMA user_version')), and PostgreSQL databases are not upgraded yet" \
	"an older PostgreSQL database is refused, not half upgraded"
psql_on t1900 'UPDATE oms_meta SET version = version + 1'

printf 'sku,description,weight,bin,price\nA1,Widget,1.5,A-01-01,9.99\nB2,"Gadget, big",24oz,A-02-10,19.50\nC3,Gizmo,100g,A-2-9,\nD4,Doohickey,,a-02-2,1.00\n' >items.csv
both oms-stock import items.csv
same "oms-stock import"
is "$lite_rc" 0 "which imported the catalog"
both oms-stock import items.csv
same "oms-stock import of the same file again (its rows updated in place)"
both oms-stock receive A1 10
same "oms-stock receive"
both oms-stock receive B2 3 --ref PO-1
same "oms-stock receive with a reference"
both oms-stock adjust B2 -1 --reason damaged
same "oms-stock adjust"
both oms-stock adjust B2 -5 --reason lost
same "oms-stock adjust below zero is refused by the database's CHECK"
isnt "$pg_rc" 0 "and fails"
both oms-stock show
same "oms-stock show"
is "$(psql_on t1900 'SELECT bin FROM items ORDER BY bin_key COLLATE "C", sku' | tr '\n' ' ')" \
	"A-01-01 a-02-2 A-2-9 A-02-10 " "bins sort in walking order by their stored key (digits as numbers, letters in any case)"

cat >two.yaml <<'YAML'
external_id: "PH-1001"
source: phone
placed_at: "2026-11-02T09:15:00-05:00"
customer:
  name: "Zoë Núñez"
  email: zoe@example.com
  phone: "+1 555 0100"
ship_to:
  name: "Zoë Núñez"
  line1: "1 Main Street"
  city: Springfield
  region: IL
  postal_code: "62701"
ship_method: ground
ship_complete: true
priority: 2
shipping: "4.95"
tax: "1.20"
payment:
  method: invoice
  terms: net 30
lines:
  - sku: A1
    qty: 2
  - sku: B2
    qty: 1
    price: "18.00"
---
external_id: "PH-1002"
source: phone
customer:
  name: "Ann Other"
ship_to:
  name: "Ann Other"
  line1: "2 Side Road"
  city: Shelbyville
  region: IL
  postal_code: "62565"
payment:
  method: prepaid
lines:
  - sku: C3
    qty: 1
    price: "5.00"
YAML
both_in two.yaml oms-add
same "oms-add of two orders"
is "$(cat "$SCRATCH/pg.out" | tr '\n' ' ')" "1 2 " "which printed their IDs"
both_in two.yaml oms-add
same "oms-add of the same orders again"
both oms-import "$DATA/import/shopify.csv"
same "oms-import of a Shopify export"
both oms-import "$DATA/import/own.csv"
same "oms-import of oms's own CSV"
both oms-import "$DATA/import/own.csv"
same "oms-import of it again (nothing new)"
for id in 1 2 3 5; do
	both oms-order show "$id"
	same "oms-order show $id"
done
both oms-order show 999
same "oms-order show of an order there is not"
is "$(psql_on t1900 "SELECT count(*) FROM events") $(psql_on t1900 "SELECT count(*) FROM order_lines")" \
	"$(sqlite3 "$LITE" "SELECT count(*) FROM events") $(sqlite3 "$LITE" "SELECT count(*) FROM order_lines")" \
	"the same history and lines on both"
is "$(psql_on t1900 "SELECT name_fold || '|' || phone_key || '|' || email_key FROM orders WHERE id = 1")" \
	"$(sqlite3 "$LITE" "SELECT name_fold || '|' || phone_key || '|' || email_key FROM orders WHERE id = 1")" \
	"and the same search keys"
printf '%s\n' 'customer: {name: "Pat Q. Doe", email: Pat@Example.com, phone: "+1 617 555 0100"}' >e.yaml
both_in e.yaml oms-order edit 2
same "oms-order edit of the customer"
is "$(psql_on t1900 "SELECT name_fold || '|' || phone_key || '|' || email_key FROM orders WHERE id = 2")" \
	"$(sqlite3 "$LITE" "SELECT name_fold || '|' || phone_key || '|' || email_key FROM orders WHERE id = 2")" \
	"whose search keys are the same on both afterwards (computed in C on a server)"
# Reports read what the slice wrote; SQLite's PRAGMAs that tune a scan are skipped on a server.
for r in inventory items shipments shipping-cost payments returns; do
	both oms-report "$r"
	same "oms-report $r"
done
is "$(psql_on t1900 "DELETE FROM events WHERE id = 1" 2>&1)" "ERROR:  events is append-only" \
	"the history is append-only on the server too"
is "$(VERBOSITY=sqlstate psql_on t1900 "UPDATE stock_moves SET d_on_hand = 0" 2>&1)" "ERROR:  23000" \
	"and its refusals are constraints (SQLSTATE 23000), as SQLite's RAISE(ABORT) is"

done_testing
