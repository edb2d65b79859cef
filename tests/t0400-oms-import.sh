#!/bin/sh
# oms-import: every CSV-family format, YAML and JSON; exactly once; atomic
# per order (or per input under --strict); strict about what it reads.
. "$(dirname "$0")/lib.sh"

catalog
D=$DATA/import

run oms-import "$D/shopify.csv"
expect 0 "1
2
3" "" "a Shopify export imports, format detected from its header"
is "$(sql "SELECT source, external_id, placed_at, customer_email, ship_name, ship_line2, ship_postal_code, subtotal, discount, shipping, tax, total, payment_method, payment_ref, ship_method FROM orders WHERE id = 1")" \
	"shopify|#1001|2026-11-01T15:15:32Z|zoe@example.com|Zoë Núñez|Apt 4|02108|3948|500|500|240|4188|prepaid|c123456.1|Standard Shipping" \
	"paid at the cart: prepaid, the reference kept, time in UTC, the ZIP without its apostrophe, exact amounts"
is "$(sql "SELECT notes FROM orders WHERE id = 1")" "Leave at the door,
not with the neighbour" "a quoted field with an embedded newline is kept whole"
is "$(sql "SELECT group_concat(sku || ':' || qty || ':' || unit_price, ' ') FROM order_lines WHERE order_id = 1")" "A1:2:999 B2:1:1950" \
	"a continuation row adds its line to the order"
is "$(sql "SELECT payment_method, payment_ref FROM orders WHERE id = 2")" "card|c999.2" "authorized at the cart: card, with the cart's authorization"
is "$(sql "SELECT payment_method, payment_ref IS NULL FROM orders WHERE id = 3")" "card|1" "pending: a card order that still needs authorizing"
is "$(sql "SELECT detail FROM events WHERE order_id = 3 AND what = 'unknown sku'")" "NEW-9" "a SKU the catalog lacks is accepted and flagged"
is "$(sql "SELECT detail FROM events WHERE order_id = 1 AND what = 'created'")" "from $D/shopify.csv:2" "the history says where the order came from"

run oms-import "$D/shopify.csv"
expect 0 "1
2
3" "" "importing the same file again adds nothing and passes the same IDs on"
is "$(sql "SELECT count(*) FROM orders")" 3 "still three orders"

sed 's/^#1002,bob@example.com,authorized/#1002,bob@example.com,paid/' "$D/shopify.csv" >changed.csv
run oms-import changed.csv
expect 1 "1
3" "oms-import: changed.csv:5: order #1002 from shopify was imported before with other content (order 2); left as it was" \
	"an order re-sent with other content is reported, not merged"
is "$(sql "SELECT payment_method FROM orders WHERE id = 2")" card "and left as it was"

run oms-import "$D/amazon.txt"
expect 0 "4
5" "" "an Amazon order report imports"
is "$(sql "SELECT source, external_id, customer_name, ship_postal_code, subtotal, discount, shipping, tax, total, payment_method, payment_ref FROM orders WHERE id = 4")" \
	"amazon|111-2223334-5556667|José García|78205|2950|150|599|185|3584|prepaid|111-2223334-5556667" \
	"amounts per item are summed: shipping, taxes, promotions (written negative)"
is "$(sql "SELECT group_concat(sku || ':' || qty || ':' || unit_price, ' ') FROM order_lines WHERE order_id = 4")" "A1:2:333 A1:1:334 B2:1:1950" \
	"item-price is the total for the quantity: 10.00 for 3 is 3.33, 3.33, 3.34, exactly"
is "$(sql "SELECT ship_line2, ship_postal_code FROM orders WHERE id = 5")" "Suite 200, Attn Receiving|02110-1234" "a third address line joins the second; ZIP+4 kept"
is "$(sql "SELECT group_concat(line_no || ':' || external_line_id, ' ') FROM order_lines WHERE order_id = 4")" \
	"1:12345678901234 2:12345678901234 3:12345678901235" \
	"each line keeps its order-item-id, both halves of a line split a cent apart too"
is "$(sql "SELECT external_line_id FROM order_lines WHERE order_id = 5")" 22345678901234 "for the confirmation"
run oms-order show --format json 5
is "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["lines"][0]["line_id"])' "$SCRATCH/out")" \
	22345678901234 "oms-order show writes it in the order document"
is "$(sql "SELECT count(*) FROM order_lines WHERE order_id IN (1, 2, 3) AND external_line_id IS NOT NULL")" 0 \
	"a Shopify export has no line IDs: none are stored"

run oms-import "$D/woo.csv"
expect 1 "6
7" "oms-import: $D/woo.csv:5: order 5003: Order Status \"failed\": only processing, completed, on-hold, pending, refunded or cancelled orders are imported" \
	"a WooCommerce export imports; a failed order is reported (cancelled ones: t0440)"
is "$(sql "SELECT customer_name, ship_name, ship_line1, discount, total, payment_method FROM orders WHERE id = 7")" \
	"Ned Park|Ned Park|1 Side St|100|899|card" "first and last names joined; on-hold waits for payment"
is "$(sql "SELECT group_concat(order_id || ':' || sku || ':' || external_line_id, ' ') FROM order_lines WHERE order_id IN (6, 7)")" \
	"6:A1:701 6:B2:702 7:A1:710" "the Item ID column is each line's ID"

run oms-import "$D/own.csv"
expect 0 "8
9" "" "oms's own CSV imports"
is "$(sql "SELECT source, placed_at, ship_line1, ship_postal_code, ship_complete, priority, payment_terms, subtotal, total FROM orders WHERE id = 8")" \
	"callcenter|2026-11-07T20:00:00Z|77 Lake Shore Dr
Apt 9|06010|0|1|net 30|12900|13650" "every field of oms's CSV lands, the catalog's price where the row has none"

run oms-import "$D/orders.yaml" "$D/orders.json"
expect 0 "10
11
12
13" "" "YAML and JSON order documents import, several files in one run"
is "$(sql "SELECT group_concat(coalesce(external_line_id, '-'), ' ') FROM order_lines WHERE order_id IN (10, 11, 12, 13)")" \
	"L1 - 7 -" "a document's line_id is kept, a JSON number as its digits; a line without one has none"
is "$(sql "SELECT source, external_id, shipping, total FROM orders WHERE id = 12")" "json|J-1|350|2250" "a JSON number that is an exact amount is taken"
printf '[{"external_id": "J-9", "ship_to": {"name": "A", "line1": "B", "city": "C"}, "payment": {"method": "prepaid"}, "lines": [{"sku": "A1", "qty": 1, "price": 0.1234567890123456}]}]' >inexact.json
run oms-import inexact.json
expect 1 "" "oms-import: inexact.json: order 1: the number 0.12345678901234559 is not exact: write amounts as strings (\"19.99\")" \
	"a JSON number that is not an exact amount is refused"

# From stdin, with the format named.
run_in "$D/own.csv" oms-import -f csv
expect 0 "8
9" "" "stdin, -f csv: the orders are already there"

# A custom layout from oms.yaml.
cat >oms.yaml <<'YAML'
import:
  formats:
    phone:
      source: phonebank
      delimiter: ";"
      columns:
        order_id: "Ticket"
        ship_name: "Caller"
        ship_line1: "Street"
        ship_city: "Town"
        ship_postal_code: "Zip"
        payment_method: "Pay"
        sku: "Item"
        qty: "Count"
YAML
printf 'Ticket;Caller;Street;Town;Zip;Pay;Item;Count\nT-1;Uma Roy;4 Hill St;Salem;97301;invoice;A1;2\nT-1;;;;;;B2;1\n' >phone.csv
run oms-import phone.csv
expect 0 14 "" "a layout named in oms.yaml is detected by its columns"
is "$(sql "SELECT source, external_id, ship_name, subtotal FROM orders WHERE id = 14")" "phonebank|T-1|Uma Roy|3948" "and maps them"
printf 'import:\n  formats:\n    bad:\n      columns:\n        ordr: "X"\n' >oms.yaml
run oms-import -f bad phone.csv
expect 2 "" 'oms-import: oms.yaml:5:9: import.formats.bad.columns: no field "ordr" (see oms-import(1), THE CSV FORMAT)' \
	"a custom layout naming no field of oms is a configuration error"
rm oms.yaml
run oms-import -f nosuch phone.csv
expect 2 "" "oms-import: -f nosuch: no such format (csv, shopify, woocommerce, amazon, x12, yaml, json, or one in oms.yaml)" "an unknown format"

# Bad input: each asserts status, message, and what the database holds.
n0=$(sql "SELECT count(*) FROM orders")
hdr='order_id,ship_name,ship_line1,ship_city,payment_method,sku,qty,price'
badimport() {
	printf "$hdr\\n$1" >bad.csv
	run oms-import bad.csv
	expect "$2" "$3" "$4" "$5"
}
badimport 'N-1,A,B,C,invoice,A1,-2,1.00\nN-2,A,B,C,invoice,A1,1,1.00\n' 1 15 \
	'oms-import: bad.csv:2: order N-1: qty "-2" is not a positive whole number' "a negative quantity rejects its order, the next goes in"
badimport 'N-3,A,B,C,invoice,A1,1,1.005\n' 1 "" \
	'oms-import: bad.csv:2: order N-3: price "1.005" is not an amount in USD (too many digits)' "an amount with too many digits"
badimport 'N-4,A,B,C,invoice,A1,1,1.00\nN-4,A,B,C,invoice,B2,1,2.00,extra\n' 1 "" \
	'oms-import: bad.csv:3: order N-4: 9 fields, the header has 8' "a wrong column count rejects the whole order"
badimport 'N-5,A,B,C,invoice,A1,1,"1.00\nN-6,A,B,C,invoice,A1,1,1.00\n' 1 16 \
	'oms-import: bad.csv:2: order N-5: unterminated quoted field' "an unterminated quote rejects its order, the next line is read again (more in t0410)"
badimport 'N-7,A,B,C,invoice,A1,1,1.00\nN-8,A,B,C,invoice,A1,1,1.00\nN-7,A,B,C,invoice,A1,1,1.00\n' 1 "17
18" \
	'oms-import: bad.csv:4: order N-7 appears twice in this input (first at line 2)' "the same order number twice in one file"
badimport 'N-9,A,B,C,invoice,A1,1,1.00\nN-9,Z,B,C,invoice,B2,1,1.00\n' 1 "" \
	'oms-import: bad.csv:3: order N-9: ship_name "Z" differs from the order'"'"'s first row ("A")' "two orders under one number"
badimport 'N-10,A,B,C,,A1,1,1.00\n' 1 "" \
	'oms-import: bad.csv:2: order N-10: no payment method (payment_method: card, prepaid or invoice)' "no payment method"
badimport ',A,B,C,invoice,A1,1,1.00\n' 1 "" \
	'oms-import: bad.csv:2: no order number' "no order number"
badimport 'N-11,A,B,C,invoice,A1,1,1.00\n' 0 19 "" "a good order after all that"
is "$(sql "SELECT count(*) FROM orders")" $((n0 + 5)) "only the good orders went in"

printf 'order_id,ship_name,ship_line1,ship_city,payment_method,sku,qty,Card Number\nC-1,A,B,C,card,A1,1,4242424242424242\n' >card.csv
run oms-import card.csv
expect 1 "" 'oms-import: card.csv:1: column "Card Number" would carry card data; the file is refused (cards are never imported)' \
	"a file with a card number column is refused without echoing a number"
printf 'order_id,ship_name,ship_line1,ship_city,payment_method,sku,qty,notes\nC-2,A,B,C,card,A1,1,card 4242 4242 4242 4242\n' >card2.csv
run oms-import card2.csv
expect 1 "" 'oms-import: card2.csv:2: order C-2: notes: holds what looks like a card number; refused (not stored)' \
	"a card number in any field is refused without echoing it"
is "$(sql "SELECT count(*) FROM orders WHERE external_id LIKE 'C-%'")" 0 "neither order went in"

printf 'order_id,ship_name,ship_line1,ship_city,payment_method,sku,qty\nU-1,Ann \377,B,C,invoice,A1,1\n' >utf.csv
run oms-import utf.csv
expect 1 "" "oms-import: utf.csv:2: order U-1: not valid UTF-8 (or a NUL byte); saved by a spreadsheet? save it as \"CSV UTF-8\"" "a bad byte is an error naming its line and order"

# --strict: the whole input or nothing.
printf "$hdr\\nS-1,A,B,C,invoice,A1,1,1.00\\nS-2,A,B,C,invoice,A1,x,1.00\\nS-3,A,B,C,invoice,A1,1,1.00\\n" >strict.csv
run oms-import --strict strict.csv
expect 1 "" 'oms-import: strict.csv:3: order S-2: qty "x" is not a positive whole number
oms-import: --strict: nothing imported' "--strict: one bad order and nothing is imported"
is "$(sql "SELECT count(*) FROM orders WHERE external_id LIKE 'S-%'")" 0 "not even the good ones"
run oms-import -n strict.csv
is "$rc" 1 "-n reports the same problems"
is "$(sql "SELECT count(*) FROM orders WHERE external_id LIKE 'S-%'")" 0 "and writes nothing"

# A progress line on a terminal, none elsewhere (every run above had none).
if command -v script >/dev/null; then
	cp "$D/own.csv" tty.csv
	script -qec "oms-import -f csv tty.csv >/dev/null" /dev/null </dev/null >tty.out 2>&1
	like "$(cat tty.out)" 'oms-import: tty.csv:[0-9]+: 0 added, [0-9]+ already there, 0 rejected' \
		"on a terminal, a progress line"
else
	ok "# SKIP script(1) is not installed"
fi

printf 'hello world\n' >what.txt
run oms-import what.txt
expect 1 "" "oms-import: what.txt: cannot tell the format from the first line; name it with -f" "an input of no known format"
run oms-import missing.csv
expect 1 "" "oms-import: missing.csv: No such file or directory" "a missing file"
run oms-import --from http://127.0.0.1:9/ x.csv
is "$rc" 2 "--from with a file is a usage error"

printf 'order_id,ship_name,ship_line1,ship_city,payment_method,sku,qty,line_id\nL-1,A,B,C,invoice,A1,1,4111111111111111\nL-1,A,B,C,invoice,B2,1,\n' >lineid.csv
run oms-import lineid.csv
is "$rc" 0 "oms's CSV with a line_id column"
is "$(sql "SELECT group_concat(coalesce(l.external_line_id, '-'), ' ') FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.external_id = 'L-1'")" \
	"4111111111111111 -" "a line ID is the source's identifier, not taken for a card number; an empty one is none"
printf 'order_id,ship_name,ship_line1,ship_city,payment_method,sku,qty,line_id\nL-2,A,B,C,invoice,A1,1,%s\n' \
	"$(printf '%065d' 7)" >longid.csv
run oms-import longid.csv
expect 1 "" "oms-import: longid.csv:2: line 1: line_id: longer than 64 bytes" "a line ID longer than 64 bytes is refused"

# Orders imported before oms kept the sources' line IDs (the old reader
# skipped the column, as one that does not know it does) are the same
# orders when their report comes again, and take their line IDs then.
export OMS_DB=$SCRATCH/before.db
oms-db init -q "$OMS_DB" >/dev/null
catalog
sed '1s/\torder-item-id\t/\tunknown-column\t/' "$D/amazon.txt" >before.txt
run oms-import -f amazon before.txt
expect 0 "1
2" "" "an Amazon report read without its line IDs"
is "$(sql "SELECT count(*) FROM order_lines WHERE external_line_id IS NOT NULL")" 0 "no line IDs yet"
run oms-import "$D/amazon.txt"
expect 0 "1
2" "" "the same report with its line IDs: the same orders, not orders with other content"
is "$(sql "SELECT group_concat(order_id || '.' || line_no || ':' || external_line_id, ' ') FROM order_lines")" \
	"1.1:12345678901234 1.2:12345678901234 1.3:12345678901235 2.1:22345678901234" \
	"they take the line IDs, for their confirmations"
is "$(sql "SELECT order_id || ' ' || detail FROM events WHERE what = 'line ids'")" "1 from $D/amazon.txt:2
2 from $D/amazon.txt:5" "the history says when and from where"
run oms-import "$D/amazon.txt"
expect 0 "1
2" "" "and the report is the same order again after that"
is "$(sql "SELECT count(*) FROM events WHERE what = 'line ids'")" 2 "with nothing more to note"
sed 's/12345678901235/12345678909999/' "$D/amazon.txt" >other-id.txt
run oms-import other-id.txt
expect 1 2 "oms-import: other-id.txt:2: order 111-2223334-5556667 from amazon was imported before with other content (order 1); left as it was" \
	"a line ID that changed is other content"
is "$(sql "SELECT external_line_id FROM order_lines WHERE order_id = 1 AND line_no = 3")" 12345678901235 "left as it was"

cat >twice.json <<'EOF'
[{"external_id": "J-7", "ship_to": {"name": "A", "line1": "1 Elm", "city": "Dover", "region": "DE", "postal_code": "19901"},
  "payment": {"method": "invoice"}, "lines": [{"sku": "A1", "qty": 1}]},
 {"external_id": "J-7", "ship_to": {"name": "A", "line1": "1 Elm", "city": "Dover", "region": "DE", "postal_code": "19901"},
  "payment": {"method": "invoice"}, "lines": [{"sku": "A1", "qty": 1}]}]
EOF
run oms-import -q twice.json
expect 1 "$(sql "SELECT id FROM orders WHERE external_id = 'J-7'")" \
	'oms-import: twice.json: order 2: order J-7 appears twice in this input (first as order 1)' \
	"the same order twice in one JSON file (it passed as a re-send)"

# Orders sent again and new ones mixed in one file: whichever is looked up
# first (the last order's kind decides), a known one passes on as it was
# and a new one is added, in the file's order.
ids() { for x in "$@"; do sql "SELECT id FROM orders WHERE source = 'phone' AND external_id = '$x'"; done; }
h='order_id,source,payment_method,ship_name,ship_line1,ship_city,ship_region,ship_postal_code,sku,qty'
printf '%s\nM-1,phone,invoice,Ann Lee,5 Elm St,Boston,MA,02108,A1,1\nM-2,phone,invoice,Ann Lee,5 Elm St,Boston,MA,02108,B2,1\n' "$h" >mix1.csv
run oms-import mix1.csv
expect 0 "$(ids M-1 M-2)" "" "two new orders"
printf '%s\nM-1,phone,invoice,Ann Lee,5 Elm St,Boston,MA,02108,A1,1\nM-3,phone,invoice,Bo Li,6 Elm St,Boston,MA,02108,A1,2\nM-4,phone,invoice,Bo Li,6 Elm St,Boston,MA,02108,B2,2\nM-2,phone,invoice,Ann Lee,5 Elm St,Boston,MA,02108,B2,1\nM-5,phone,invoice,Cy Ng,7 Elm St,Boston,MA,02108,B2,3\n' "$h" >mix2.csv
run oms-import -v mix2.csv
expect 0 "$(ids M-1 M-3 M-4 M-2 M-5)" "oms-import: 3 added, 2 already there, 0 rejected" \
	"known, new, new, known, new: each told apart"
is "$(sql "SELECT count(*) FROM orders WHERE source = 'phone' AND external_id LIKE 'M-%'")" 5 "five orders, none twice"
sql "UPDATE items SET price = NULL WHERE sku = 'A1'"
printf '%s\nM-1,phone,invoice,Ann Lee,5 Elm St,Boston,MA,02108,A1,1\nM-6,phone,invoice,Di Wu,8 Elm St,Boston,MA,02108,A1,1\nM-3,phone,invoice,Bo Li,6 Elm St,Boston,MA,02108,A1,2\n' "$h" >mix3.csv
run oms-import mix3.csv
expect 1 "$(ids M-1 M-3)" "oms-import: mix3.csv:3: line 1: sku \"A1\" has no catalog price: give one" \
	"an order known before its SKU lost its price is still known, first in a file or after a new one"
sql "UPDATE items SET price = 999 WHERE sku = 'A1'"

done_testing
