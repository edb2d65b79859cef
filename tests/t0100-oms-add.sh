#!/bin/sh
# oms-add: orders from YAML on stdin, from options, and from an editor;
# all or nothing; strict about amounts, quantities, SKUs and card data.
. "$(dirname "$0")/lib.sh"

catalog

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
  line2: "Apt 4"
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
ship_to: {name: Bob, line1: 2 Oak Ave, city: Portland, region: OR, postal_code: "97201"}
payment: {method: prepaid, reference: "ch_123"}
lines:
  - {sku: A1, qty: 1}
YAML

run_in two.yaml oms-add
expect 0 "1
2" "" "two documents on stdin add two orders and print their IDs"
is "$(sql "SELECT source, external_id, status, customer_name, placed_at, subtotal, shipping, tax, total, currency, ship_complete, priority FROM orders WHERE id = 1")" \
	"phone|PH-1001|new|Zoë Núñez|2026-11-02T14:15:00Z|3798|495|120|4413|USD|1|2" \
	"the order is stored exactly: UTC time, minor units, catalog price where none was given"
is "$(sql "SELECT line_no, sku, qty, unit_price FROM order_lines WHERE order_id = 1")" "1|A1|2|999
2|B2|1|1800" "its lines are stored with their prices"
is "$(sql "SELECT source, customer_name, ship_country, ship_complete IS NULL FROM orders WHERE id = 2")" \
	"manual|Bob|US|1" "defaults: source manual, customer from ship_to, country US, the site's ship-complete policy"
is "$(sql "SELECT what, to_status, user, tool FROM events WHERE order_id = 2")" "created|new|tester|oms-add" \
	"the history records who created it with which tool"

run_in two.yaml oms-add
expect 1 "" 'oms-add: stdin:1: order PH-1001 from phone is already in the database (order 1)' \
	"the same external order twice is refused"
is "$(sql 'SELECT count(*) FROM orders')" 2 "and nothing of that input was added (not even the second document)"

# Each bad document: exit 1, the message with its line, and nothing added.
bad() {
	printf '%s\n' "$1" >bad.yaml
	run_in bad.yaml oms-add
	expect 1 "" "$2" "$3"
	is "$(sql 'SELECT count(*) FROM orders')" 2 "$3: nothing added"
}
ok_doc='ship_to: {name: A, line1: B, city: C}
payment: {method: invoice}'
bad "$ok_doc
lines: [{sku: A1, qty: 0}]" 'oms-add: stdin:3: line 1: qty: "0" is not a positive whole number' "a zero quantity"
bad "$ok_doc
lines: [{sku: A1, qty: -2}]" 'oms-add: stdin:3: line 1: qty: "-2" is not a positive whole number' "a negative quantity"
bad "$ok_doc
lines: [{sku: A1, qty: 1.5}]" 'oms-add: stdin:3: line 1: qty: "1.5" is not a positive whole number' "a fractional quantity"
bad "$ok_doc
lines: [{sku: A1, qty: 1, price: 1e3}]" 'oms-add: stdin:3: line 1: price: "1e3" is not an amount in USD' "an exponent is not an amount"
bad "$ok_doc
lines: [{sku: A1, qty: 1, price: \"9.999\"}]" 'oms-add: stdin:3: line 1: price: "9.999" is not an amount in USD (too many digits)' "too many decimals for USD"
bad "$ok_doc
shipping: \"12,50\"
lines: [{sku: A1, qty: 1}]" 'oms-add: stdin:3: shipping: "12,50" is not an amount in USD' "a decimal comma"
bad "$ok_doc
tax: \"-1.00\"
lines: [{sku: A1, qty: 1}]" 'oms-add: stdin:3: tax: "-1.00" is negative' "a negative tax"
bad "$ok_doc
currency: JPY
lines: [{sku: A1, qty: 1, price: \"100.5\"}]" 'oms-add: stdin:4: line 1: price: "100.5" is not an amount in JPY (too many digits)' "yen have no minor unit"
bad "$ok_doc
lines: [{sku: NOPE, qty: 1}]" 'oms-add: stdin:3: line 1: sku "NOPE" is not in the catalog (--allow-unknown-sku takes it anyway)' "an unknown SKU"
bad "$ok_doc
lines: [{sku: C3, qty: 1}]" 'oms-add: stdin:3: line 1: sku "C3" has no catalog price: give one' "a catalog item without a price needs one"
bad "$ok_doc
lines: []" 'oms-add: stdin:3: lines: an order needs at least one line' "no lines"
bad "$ok_doc" 'oms-add: stdin:1: lines: an order needs at least one line' "lines missing"
bad "ship_to: {name: A, line1: B, city: C}
lines: [{sku: A1, qty: 1}]" 'oms-add: stdin:1: payment: missing (method: card, prepaid or invoice)' "no payment method"
bad "payment: {method: invoice}
lines: [{sku: A1, qty: 1}]" 'oms-add: stdin:1: ship_to.name: missing' "no address"
bad "$ok_doc
shiping: \"1.00\"
lines: [{sku: A1, qty: 1}]" 'oms-add: stdin:3: order: unknown field "shiping"' "a misspelt field is refused, not ignored"
bad "$ok_doc
placed_at: yesterday
lines: [{sku: A1, qty: 1}]" 'oms-add: stdin:3: placed_at: "yesterday" is not a date and time (YYYY-MM-DDTHH:MM:SSZ)' "a bad date"
bad "ship_to: {name: A, line1: B, city: C}
payment: {method: card, number: \"4242424242424242\", cvv: \"123\"}
lines: [{sku: A1, qty: 1}]" 'oms-add: stdin:2: payment: card numbers and security codes are never accepted in orders; cards are keyed at a terminal' "a card number field is refused"
bad "ship_to: {name: A, line1: B, city: C}
payment: {method: card, token: \"4111 1111 1111 1111\"}
lines: [{sku: A1, qty: 1}]" 'oms-add: stdin:2: payment.token: holds what looks like a card number; refused (not stored)' "a card number in a payment token is refused"
bad "$ok_doc
notes: \"card 5555-5555-5555-4444 exp 12/29\"
lines: [{sku: A1, qty: 1}]" 'oms-add: stdin:3: notes: holds what looks like a card number; refused (not stored)' "a card number in the notes is refused"
is "$(sql "SELECT count(*) FROM orders WHERE payment_token LIKE '%4111%' OR notes LIKE '%5555%'")" 0 "no card number reached the database"
printf '%s\nnotes: "PO 4111111111111111 is our reference"\n' "$ok_doc" >x.yaml
run_in x.yaml oms-add
is "$(err)" "oms-add: stdin:3: notes: holds what looks like a card number; refused (not stored)" "the message never echoes the number"
bad "ship_to: [name, line1]
payment: {method: invoice}
lines: [{sku: A1, qty: 1}]" 'oms-add: stdin:1: ship_to: expected a map, found a list' "a list where a map belongs"
bad "$ok_doc
lines:
  - {sku: A1, qty: 1
  - {sku: B2, qty: 1}" "oms-add: stdin:5:5: did not find expected ',' or '}' while parsing a flow mapping begun on line 4" "malformed YAML names its line and column"
bad "x: &a [1]
y: *a" "oms-add: stdin:1:4: anchors and aliases are not supported" "anchors are refused (no alias bombs)"
printf 'ship_to: {name: "\377", line1: B, city: C}\n' >bad.yaml
run_in bad.yaml oms-add
is "$rc" 1 "invalid UTF-8 is refused"
like "$(err)" '^oms-add: stdin:1:[0-9]+: ' "and the message names the line"

# A bad document after good ones: none of them is added.
{ cat two.yaml | sed 's/PH-1001/PH-2002/'; printf -- '---\n%s\nlines: [{sku: A1, qty: x}]\n' "$ok_doc"; } >mixed.yaml
run_in mixed.yaml oms-add
is "$rc" 1 "a bad third document fails the input"
is "$(sql 'SELECT count(*) FROM orders')" 2 "and the two good documents before it were not added either"

printf '%s\nlines: [{sku: NEW-1, qty: 3, price: "2.50"}]\n' "$ok_doc" >unknown.yaml
run_in unknown.yaml oms-add --allow-unknown-sku
expect 0 3 "" "--allow-unknown-sku takes a SKU the catalog lacks, with a price"

run_in two.yaml oms-add -n
is "$rc" 1 "-n still checks (the duplicate is refused)"
sed 's/PH-1001/PH-3003/' two.yaml >dry.yaml
run_in dry.yaml oms-add -n
expect 0 "4
5" "" "-n prints the IDs the orders would have had"
is "$(sql 'SELECT count(*) FROM orders')" 3 "and adds nothing"

: >empty.yaml
run_in empty.yaml oms-add
expect 1 "" "oms-add: stdin: no order in the input" "empty input is an error, not silence"

# The quick form.
run oms-add --name "Ann Lee" --line1 "5 Elm St" --city Boston --region MA --postal-code 02108 \
	--email ann@example.com --payment invoice --terms "net 15" --line A1:2 --line B2:1:15.00 --shipping 5.00
expect 0 4 "" "the quick form adds an order from options"
is "$(sql "SELECT customer_name, ship_postal_code, subtotal, shipping, total, payment_terms FROM orders WHERE id = 4")" \
	"Ann Lee|02108|3498|500|3998|net 15" "with the ZIP's leading zero and exact amounts"
run oms-add --name X --line1 Y --city Z --payment invoice --line A1:0
expect 1 "" 'oms-add: options: line 1: qty: "0" is not a positive whole number' "the quick form checks quantities"
run oms-add --name X --line1 Y --city Z --payment invoice --line A1:1:abc
expect 1 "" 'oms-add: options: line 1: price: "abc" is not an amount in USD' "and prices"
run oms-add --name X --line1 Y --city Z --line A1:1
expect 1 "" "oms-add: options: payment: missing (method: card, prepaid or invoice)" "and needs a payment method"
run oms-add --name "  " --line1 Y --city Z --payment invoice --line A1:1
expect 1 "" "oms-add: options: ship_to.name: missing" "a blank name is no name"
run oms-add --name X --line1 Y --city Z --payment invoice --line A1:1 --split --ship-complete
is "$rc" 2 "--split with --ship-complete is a usage error"
run oms-add --name X --city Z --payment invoice --line A1:1
expect 1 "" "oms-add: options: ship_to.line1: missing" "and an address"
run oms-add --name X
expect 2 "" "oms-add: the quick form needs at least one --line SKU:QTY[:PRICE]" "options without a line are a usage error"
run oms-add stray
is "$rc" 2 "an operand is a usage error"
is "$(sql 'SELECT count(*) FROM orders')" 4 "none of the refused quick orders was added"

# The editor, on a terminal: the error is written into the file and it opens again.
cat >editor.sh <<'SH'
#!/bin/sh
# A scripted person: first saves an order with a bad quantity, then fixes it.
n=$(cat "$OMS_TEST_DIR/rounds" 2>/dev/null || echo 0)
n=$((n + 1)); echo $n >"$OMS_TEST_DIR/rounds"
cp "$1" "$OMS_TEST_DIR/seen.$n"
if [ $n -eq 1 ]; then
	sed -i 's/^  name: $/  name: Pat/; s/^  line1: $/  line1: 9 Pine Rd/; s/^  city: $/  city: Austin/; s/^  - sku: $/  - sku: A1/; s/^    qty: 1$/    qty: none/' "$1"
else
	sed -i 's/qty: none/qty: 3/' "$1"
fi
SH
chmod +x editor.sh
if command -v script >/dev/null; then
	OMS_TEST_DIR=$SCRATCH EDITOR=$SCRATCH/editor.sh script -qec "oms-add" /dev/null >tty.out 2>&1 </dev/null
	is "$?" 0 "on a terminal oms-add opens the editor and adds the order once it checks"
	is "$(cat rounds)" 2 "the editor opened twice: once more after the error"
	like "$(head -1 seen.2)" '^# ERROR: order:[0-9]+: line 1: qty: "none" is not a positive whole number$' \
		"the second time the error stands at the top of the file"
	is "$(sql "SELECT customer_name, ship_city FROM orders WHERE id = 5")" "Pat|Austin" "the edited order is stored"
	is "$(sql "SELECT qty FROM order_lines WHERE order_id = 5")" 3 "as fixed"

	printf '#!/bin/sh\nprintf "# nothing\\n" >"$1"\n' >blank.sh
	chmod +x blank.sh
	EDITOR=$SCRATCH/blank.sh script -qec "oms-add" /dev/null >tty.out 2>&1 </dev/null
	is "$?" 1 "emptying the file adds nothing (status 1)"
	like "$(cat tty.out)" "empty document: nothing added" "and says so"
else
	for i in 1 2 3 4 5 6 7; do ok "# SKIP script(1) is not installed"; done
fi

# Eight at once on one database: every order lands, nobody sees "locked".
for i in 1 2 3 4 5 6 7 8; do
	j=1
	while [ $j -le 25 ]; do
		printf -- '---\nexternal_id: "C%d-%d"\n%s\nlines: [{sku: A1, qty: 1}]\n' $i $j "$ok_doc"
		j=$((j + 1))
	done >conc.$i.yaml
done
for i in 1 2 3 4 5 6 7 8; do
	oms-add -q <conc.$i.yaml >conc.$i.out 2>conc.$i.err &
done
wait
is "$(cat conc.*.out | wc -l | tr -d ' ')" 200 "8 concurrent oms-add print 200 IDs"
is "$(cat conc.*.err)" "" "and no error reached anyone (no busy, no locked)"
is "$(sql "SELECT count(*) FROM orders WHERE external_id LIKE 'C%'")" 200 "all 200 orders are in the database"
is "$(cat conc.*.out | sort -u | wc -l | tr -d ' ')" 200 "each with its own ID"

done_testing
