#!/bin/sh
# oms-order find, and list's options that look up one field: external IDs,
# names (case, accents), e-mail, phone numbers in any format, postal codes,
# tracking numbers and RMAs; every term must match; newest first.
. "$(dirname "$0")/lib.sh"

catalog
doc() { # doc SOURCE EXTERNAL_ID PLACED_AT CUSTOMER EMAIL PHONE SHIP_NAME COMPANY POSTAL COUNTRY
	printf -- '---\nsource: %s\nexternal_id: "%s"\nplaced_at: "%s"\ncustomer: {name: "%s", email: "%s", phone: "%s"}\nship_to: {name: "%s", company: "%s", line1: 1 Main St, city: Boston, postal_code: "%s", country: %s}\npayment: {method: invoice}\nlines: [{sku: A1, qty: 2}, {sku: B2, qty: 1}]\n' "$@"
}
{ doc shopify '#1001' 2026-11-01T10:00:00Z "Åsa Åström" asa@example.se "+1 (617) 555-0100" "Åsa Åström" "" 02139-4307 US
  doc amazon 114-3941689-8772232 2026-11-03T10:00:00Z "Renée Dupré" renee@example.com "617.555.0100 x23" "Jean-Luc O'Brien" "Acme Corp" 02139 US
  doc x12 PO-77/2 2026-11-05T10:00:00Z "Kim Lee" KIM@Example.com "0044 20 7946 0958" "Kim Lee" "" "SW1A 1AA" GB
  doc manual PO-77 2026-11-07T10:00:00Z "Astrid Stromberg" kim@example.com "" "Astrid Stromberg" "" 89501 US
  doc woocommerce 1001 2026-10-30T10:00:00Z "Bo Ek" bo@example.se "08-123 456 78" "Bo Ek" "" "114 55" SE; } >orders.yaml
run_in orders.yaml oms-add
expect 0 "1
2
3
4
5" "" "five orders to find"

# find TERM... EXPECTED DESCRIPTION
finds() {
	local want=$1 what=$2
	shift 2
	run oms-order find "$@"
	expect 0 "$want" "" "$what"
}

finds "1
5" "an external ID, newest first (by when placed: order 5 is the oldest)" '#1001'
finds "1
5" "a number without its # finds the Shopify order too, and the order named so" 1001
finds 2 "an Amazon order ID" 114-3941689-8772232
finds "4
3" "a PO number finds the PO and its releases" PO-77
finds 3 "and a release by its own number" PO-77/2
finds "" "an external ID is compared exactly" po-77

finds 1 "a name without its accents" astrom
finds 1 "in capitals, with them" ÅSTRÖM
finds 1 "first and last name, in decomposed form" "$(printf 'A\314\212sa A\314\212stro\314\210m')"
finds "4
1" "part of a name" strom
finds 2 "the ship-to's name, hyphen and apostrophe aside" "jean luc obrien"
finds 2 "a ship-to company" acme
finds 2 "the customer of a gift order" "renee dupre"

finds "4
3" "an e-mail address, without regard to case" Kim@example.COM

finds "2
1" "a phone number as people write it" "(617) 555-0100"
finds "2
1" "with the country code: the number without it is the same number" "+1 617 555 0100"
finds "2
1" "digits only" 16175550100
finds 3 "a national number (trunk 0) finds the international one (00 44)" "020 7946 0958"
finds 3 "and the other way round" "+44 20 7946 0958"
finds "" "another country code is another number" "+1 20 7946 0958"
finds "2
1" "seven digits, the least a phone term has, match every number ending in them" 555-0100
finds 5 "a Swedish number with its area code" "+46 8 123 456 78"

# Postal codes narrow what another term finds: alone, one is thousands of orders.
finds "2
1" "a ZIP finds itself and the ZIP+4s in it" 617-555-0100 02139
finds "2
1" "a ZIP+4 finds itself and its ZIP" 02139-4307 "(617) 555-0100"
finds 2 "but not another ZIP+4" 617-555-0100 02139-0000
finds "" "beside a term that could be one too, neither is compared with postal codes" 555-0100 02139
finds 3 "a postcode without its space, in small letters" kim sw1a1aa
finds 5 "a Swedish postcode, beside a name" "114 55" ek
finds "" "a postal code alone is not compared with postal codes" 02139
finds "" "nor are two" 02139 02139-4307
finds "1
5" "but a lone order number that looks like one is still an order number" 1001

# Tracking numbers: as oms-ship records shipments (a voided one does not count).
sql "INSERT INTO shipments (order_id, carrier, service, tracking, currency, shipped_at, shipped_by, tool) VALUES
  (2, 'ups', 'ground', '1Z999AA10123456784', 'USD', 't', 't', 't'),
  (3, 'fedex', 'ground', '449044304137821', 'USD', 't', 't', 't');
  INSERT INTO shipments (order_id, carrier, service, tracking, currency, shipped_at, shipped_by, tool, status, voided_at, voided_by, void_reason)
  VALUES (4, 'usps', 'priority', '9400111899223197428490', 'USD', 't', 't', 't', 'void', 't', 't', 'damaged label')"
finds 2 "a UPS tracking number, typed in small letters" 1z999aa10123456784
finds 3 "a FedEx tracking number, whatever the carrier" 449044304137821
finds "" "a voided shipment's tracking number is no longer the order's" 9400111899223197428490

# RMA numbers (oms-return's returns).
finds "" "no such return: an RMA number finds nothing" RMA-000042
sql "INSERT INTO returns (rma, order_id, reason, currency, created_at, created_by, updated_at, updated_by)
  VALUES ('RMA-000042', 3, 'damaged', 'USD', '2026-11-20T00:00:00Z', 'x', '2026-11-20T00:00:00Z', 'x')"
finds 3 "with one, the order returned against it" rma-000042

finds 1 "every term must match: a name and a postal code" astrom 02139
finds "" "a name and another postal code" astrom 89501
finds 4 "a name and an e-mail address" strom kim@example.com
finds 2 "a phone number and a tracking number" 617-555-0100 1Z999AA10123456784
finds "" "terms that match different orders match none" astrom PO-77
finds "" "no order matches: nothing printed, and that is no error" nobody

oms-order hold --reason "fraud check" 4 >/dev/null
finds 4 "find takes list's options too" strom --status hold
finds 1 "and its dates" strom --until 2026-11-02

run oms-order find
is "$rc" 2 "find needs a term"
like "$(err)" "^oms-order: find: expected what to find" "and says so"
run oms-order find astrom " "
expect 2 "" "oms-order: find: argument 2: empty: nothing to find" "an empty term is a usage error"

# list: one field each, oldest first.
lists() {
	local want=$1 what=$2
	shift 2
	run oms-order list "$@"
	expect 0 "$want" "" "$what"
}
lists "5
1" "list --external-id" --external-id '#1001'
lists "1
4" "list --name" --name STROM
lists "2" "list --name compares names only" --name acme
lists "" "and a name term is not a phone number" --name 555-0100
lists "1
2" "list --phone" --phone "(617) 555-0100"
lists "1
2" "list --postal-code, alone too" --postal-code 02139
lists "2" "list --tracking" --tracking 1Z999AA10123456784
lists "3
4" "list --email, as before" --email kim@example.com
lists "3" "list's options together" --email kim@example.com --postal-code SW1A1AA
lists "3
4" "list --email, in any case" --email KIM@Example.COM
lists "" "list --email, an address only like one" --email kim@example.co
# Two addresses with one key (a hash's collision): each finds only its own orders.
key1=$(sql "SELECT email_key FROM orders WHERE id = 1")
key3=$(sql "SELECT email_key FROM orders WHERE id = 3")
sql "UPDATE orders SET customer_email = 'lee@example.com' WHERE id = 1"
sql "UPDATE orders SET email_key = $key3 WHERE id = 1"
lists "3
4" "an address whose key another address shares finds only its own orders" --email kim@example.com
sql "UPDATE orders SET customer_email = 'asa@example.se', email_key = $key1 WHERE id = 1"
lists "1" "(order 1 as it was)" --email asa@example.se
run oms-order list --phone 555-010
expect 2 "" 'oms-order: --phone: "555-010" is not a phone number: 7 to 20 digits' "a phone number has at least 7 digits"
run oms-order list --postal-code " - "
expect 2 "" 'oms-order: --postal-code: "-" is not a postal code: 1 to 16 letters and digits' "a postal code has letters or digits"
run oms-order list --name "'."
expect 2 "" "oms-order: --name: \"'.\": no letters to compare" "a name has letters"

# show: an order by the ID its source gave it.
run oms-order show 'shopify:#1001'
is "$rc" 0 "show SOURCE:EXTERNAL_ID"
is "$(out)" "$(oms-order show 1)" "shows the order its source knows by that ID"
run oms-order show 'amazon:#1001' x12:PO-77/2 nonsense
is "$rc" 1 "an ID that names no order is rejected"
is "$(err)" 'oms-order: order amazon:#1001: no such order
oms-order: argument 3: not an order ID: "nonsense"' "and named, as is an argument that is neither"
like "$(out)" '^order +3' "the others are shown"

# Totals as they stand after a cancelled line: tax and discount follow the
# goods as oms-ship charges them (19.98 of 39.48: 3688 * 1998 / 3948 is
# 18.66 for the goods, tax 240 * 1998 / 3948 is 1.21, discount what is left).
printf -- '---\nsource: manual\nexternal_id: T6\nplaced_at: "2026-11-10T10:00:00Z"\ncustomer: {name: Al Ma}\nship_to: {name: Al Ma, line1: 1 A St, city: Reno, region: NV, postal_code: "89501"}\nshipping: "5.00"\ntax: "2.40"\ndiscount: "5.00"\npayment: {method: invoice}\nlines: [{sku: A1, qty: 2}, {sku: B2, qty: 1}]\n' >t6.yaml
t6=$(oms-add <t6.yaml)
run oms-order show "$t6"
like "$(out)" 'amounts +subtotal 39.48  discount -5.00  shipping 5.00  tax 2.40  total 41.88 USD' "an order's amounts"
is "$(grep -c 'as ordered' "$SCRATCH/out")" 0 "with nothing cancelled, once"
oms-order cancel --line B2:1 "$t6" >/dev/null
run oms-order show "$t6"
like "$(out)" 'amounts +subtotal 19.98  discount -2.53  shipping 5.00  tax 1.21  total 23.66 USD' "after a line is cancelled, as they stand"
like "$(out)" 'as ordered +subtotal 39.48  discount -5.00  shipping 5.00  tax 2.40  total 41.88 USD' "and as ordered"
run oms-order show --format json "$t6"
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c=d["current"]; print(d["total"], c["subtotal"], c["discount"], c["shipping"], c["tax"], c["total"])' "$SCRATCH/out")" \
	"41.88 19.98 2.53 5.00 1.21 23.66" "json: the document's total, and the current amounts beside it"
sql "INSERT INTO payments (order_id, kind, gateway, idempotency_key, amount, currency, status, created_at, updated_at, tool, user) VALUES ($t6, 'authorize', 'test', 'k1', 4188, 'USD', 'succeeded', 't', 't', 't', 't');
  INSERT INTO payments (order_id, kind, parent_id, gateway, idempotency_key, amount, currency, status, created_at, updated_at, tool, user) VALUES ($t6, 'capture', 1, 'test', 'k2', 4188, 'USD', 'succeeded', 't', 't', 't', 't');
  INSERT INTO payments (order_id, kind, parent_id, gateway, idempotency_key, amount, currency, status, created_at, updated_at, tool, user) VALUES ($t6, 'refund', 1, 'test', 'k3', 1822, 'USD', 'succeeded', 't', 't', 't', 't');
  UPDATE order_lines SET shipped = 2, returned = 1 WHERE order_id = $t6 AND sku = 'A1'"
run oms-order show "$t6"
like "$(out)" 'money +authorized 41.88  captured 41.88  refunded 18.22' "refunds are shown from the payments"
like "$(out)" '1 +A1 +2 +0 +0 +2 +0 +1 +0 +9.99' "and returned units by line"
oms-order cancel "$t6" >/dev/null 2>&1
run oms-order show "$t6"
like "$(out)" 'amounts +subtotal 19.98  discount -2.53  shipping 5.00  tax 1.21  total 23.66 USD' "cancelled after shipping part: what shipped stays"

# JSON: one object for one order named, one array otherwise.
run oms-order show --format json 1
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(type(d).__name__, d["id"])' "$SCRATCH/out")" "dict 1" \
	"one ID: one object, as a script reading one order expects"
run oms-order show --format json 1 'x12:PO-77/2'
is "$rc" 0 "several IDs"
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(type(d).__name__, [o["id"] for o in d])' "$SCRATCH/out")" "list [1, 3]" \
	"several IDs: one JSON array"
printf '2\n' >one.txt
run_in one.txt oms-order show --format json
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(type(d).__name__, [o["id"] for o in d])' "$SCRATCH/out")" "list [2]" \
	"IDs from stdin: an array, however many there are"
run_in /dev/null oms-order show --format json
expect 0 "[]" "" "none: an empty array"
run oms-order show --format json 99 2
is "$rc" 1 "an unknown ID among several"
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print([o["id"] for o in d])' "$SCRATCH/out")" "[2]" \
	"leaves the array whole, with the others"
run oms-order show --format json 99
expect 1 "" "oms-order: order 99: no such order" "one unknown ID: nothing on stdout"

# A database from before the keys existed (schema 6) gets them when it is upgraded.
cp "$OMS_DB" old.db
# (migration 7 made them; the catalog columns of 8 after it are undone too)
sqlite3 old.db "$OLD_LEDGER_TRIGGER DROP INDEX payments_created; CREATE INDEX payments_created ON payments (created_at); DROP TABLE waiting;
  DROP INDEX orders_phone; ALTER TABLE orders DROP COLUMN name_fold;
  ALTER TABLE orders DROP COLUMN phone_key; DROP TABLE item_aliases;
  DROP TABLE x12_lines; DROP TABLE x12_orders; ALTER TABLE items DROP COLUMN units_per_case;
  ALTER TABLE items DROP COLUMN ships; ALTER TABLE items DROP COLUMN hs_code;
  ALTER TABLE items DROP COLUMN origin_country; ALTER TABLE items DROP COLUMN customs_description;
  ALTER TABLE items DROP COLUMN weight_pg; ALTER TABLE items ADD COLUMN weight_g INTEGER;
  DROP INDEX order_lines_unresolved; ALTER TABLE order_lines DROP COLUMN item_key;
  ALTER TABLE order_lines DROP COLUMN needs_shipping;
  DROP INDEX orders_email_key; ALTER TABLE orders DROP COLUMN email_key;
  CREATE INDEX orders_email ON orders (customer_email COLLATE NOCASE); PRAGMA user_version = 6"
run oms-order -d old.db find astrom
is "$rc" 2 "an older database is not upgraded by a reader"
run oms-db init -q old.db
is "$rc" 0 "oms-db init upgrades it"
is "$(sqlite3 old.db "SELECT name_fold, phone_key FROM orders WHERE id IN (1, 2) ORDER BY id")" "asa astrom|00105557161
renee dupre
jean luc obrien
acme corp|0010555716" "the keys of the orders already there are filled in"
run oms-order -d old.db find "+1 617 555 0100" astrom
expect 0 1 "" "and find finds them"
is "$(sqlite3 old.db "SELECT count(*) FROM orders WHERE (customer_email IS NULL) != (email_key IS NULL)")" 0 \
	"the e-mail keys are filled in (migration 13)"
is "$(sqlite3 old.db "SELECT count(*) FROM sqlite_schema WHERE name IN ('orders_email', 'orders_email_key')")" 1 \
	"and the index of addresses gives way to the index of their keys"
run oms-order -d old.db list --email KIM@example.com
expect 0 "3
4" "" "and find by e-mail finds them"

# The importers store the same keys (one insert path for every source).
fresh_db
catalog
run oms-import "$DATA/import/shopify.csv"
is "$rc" 0 "a Shopify export imports"
zoe=$(sql "SELECT id FROM orders WHERE customer_email = 'zoe@example.com'")
finds "$zoe" "an imported order by its customer's name, accents aside" "zoe nunez"

done_testing
