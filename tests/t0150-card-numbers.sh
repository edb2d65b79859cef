#!/bin/sh
# Card numbers: every reader refuses one however it is written, ordinary
# numbers pass, and no message, 997, history entry or stored reason ever
# shows one whole (oms-import(1), CARD NUMBERS).
. "$(dirname "$0")/lib.sh"

catalog
REFUSED='holds what looks like a card number; refused (not stored)'

# pans FILE...: the card numbers in files, however separated: Luhn-valid runs of
# 13 to 19 digits with a brand's prefix, once blanks and punctuation are taken out.
pans() {
	cat "$@" 2>/dev/null | LC_ALL=C tr -d ' ./_,\n-' | LC_ALL=C tr -c '0-9' '\n' |
	awk 'length($0) >= 13 {
		for (n = 13; n <= 19 && n <= length($0); n++) {
			s = 0
			for (i = n; i >= 1; i--) { d = substr($0, i, 1) + 0; if ((n - i) % 2) { d *= 2; if (d > 9) d -= 9 } s += d }
			if (s % 10 == 0 && $0 ~ /^(4|5[1-5]|3[47]|6)/) { print substr($0, 1, n); break }
		}
	}'
}

# never_whole DESCRIPTION: the last run's messages hold no card number whole.
never_whole() {
	is "$(pans "$SCRATCH/err")" "" "$1: never whole on stderr"
}

# The ways the old check let card numbers through (issue 13), in a note.
FW4=$(printf '\357\274\224\357\274\222\357\274\224\357\274\222')	# fullwidth 4242
shapes() {
	printf '%s\n' "pay with 4242 4242 4242 4242 12/29" "4242-4242-4242-4242-123" \
	    "4242.4242.4242.4242" "4242/4242/4242/4242" "5555_5555_5555_4444" "3782,822463,10005" \
	    "4242  4242  4242  4242" "$FW4 $FW4 $FW4 $FW4" "$FW4$FW4$FW4$FW4" \
	    "42424242424242421234" "card 5555555555554444 exp 0129"
}
ok_doc='ship_to: {name: Ann, line1: 1 Main St, city: Boston, region: MA, postal_code: "02108"}
payment: {method: invoice}
lines: [{sku: A1, qty: 1}]'

# YAML (oms-add, oms-import): each shape in the notes, and a number split over two lines.
n=0
shapes >shapes.txt
while IFS= read -r s; do
	n=$((n + 1))
	printf 'notes: "%s"\n%s\n' "$s" "$ok_doc" >shape$n.yaml
	run_in shape$n.yaml oms-add
	expect 1 "" "oms-add: stdin:1: notes: $REFUSED" "oms-add refuses a card number written \"$s\""
done <shapes.txt
printf 'notes: |\n  card 4242 4242\n  4242 4242 thanks\n%s\n' "$ok_doc" >newline.yaml
run oms-import -f yaml newline.yaml
expect 1 "" "oms-import: newline.yaml:1: notes: $REFUSED" "a card number with a line break inside"
printf 'external_id: Y-1\nshipping: "4242424242424242"\n%s\n' "$ok_doc" >amount.yaml
run oms-import amount.yaml
expect 1 "" "oms-import: amount.yaml:2: shipping: $REFUSED" \
	"an amount that is a card number is refused, not stored as one"
printf 'external_id: Y-2\n%s\n' "$ok_doc" | sed 's/qty: 1/qty: "4242 4242 4242 4242"/' >qty.yaml
run oms-import qty.yaml
expect 1 "" "oms-import: qty.yaml:4: line 1: qty: $REFUSED" \
	"a quantity that is a card number is refused as one, not quoted as a bad number"
printf 'external_id: Y-3\n"4242424242424242": x\n%s\n' "$ok_doc" >key.yaml
run oms-import key.yaml
expect 1 "" "oms-import: key.yaml:2: a field's name $REFUSED" "a field's name that is a card number"
printf '[{"external_id": "J-1", "customer": {"name": "Ann", "phone": "4242.4242.4242.4242"},
  "ship_to": {"name": "Ann", "line1": "1 Main St", "city": "Boston"},
  "payment": {"method": "invoice"}, "lines": [{"sku": "A1", "qty": 1}]}]\n' >one.json
run oms-import one.json
expect 1 "" "oms-import: one.json: order 1: customer.phone: $REFUSED" "JSON: a card number as a phone number"
run oms-add --name Kim --line1 '2 Elm St' --city Reno --payment invoice --notes '3782 822463 10005' --line A1:1
expect 1 "" "oms-add: options: notes: $REFUSED" "oms-add's quick form"

# Ordinary numbers pass: phone numbers, ZIP+4, order and tracking numbers.
cat >ordinary.yaml <<YAML
external_id: "114-3941689-8772232"
customer: {name: Ann, phone: "+1 (617) 555-0100"}
ship_to: {name: Ann, line1: 1 Main St, line2: "PO Box 4242", city: Boston, region: MA, postal_code: "02108-1234"}
payment: {method: invoice, reference: "4242424242424242"}
notes: "call 617-555-0100 ext 12 or +4915112345678; replaces #1001, UPS 1Z999AA10123456784,
  FedEx 986578788855 041441760228964 61299998820821171811 9611020987654312345672,
  USPS 9400111899223197428490 and 9400 1112 0108 0805 4830 16, 420221539101026837331000039521;
  paid 1,234.56 and 3963.14, 685,629,532.49 on 2026-11-02 14:15"
lines: [{sku: A1, qty: 1, line_id: "5555555555554444"}]
YAML
# In a database of their own: the exempt identifiers are card numbers, kept as the source gave them.
sed -i 's/qty: 1, line_id/qty: 1, price: "1.00", line_id/' ordinary.yaml
oms-db init -q ordinary.db >/dev/null
run_in ordinary.yaml oms-add -d ordinary.db --allow-unknown-sku
expect 0 1 "" "ordinary numbers are not taken for card numbers; the source's identifiers are exempt"
like "$(sqlite3 ordinary.db "SELECT notes FROM orders WHERE id = 1")" "9400111899223197428490" \
	"and they are kept as written"
printf 'order_id,ship_name,ship_line1,ship_city,payment_method,payment_reference,sku,qty,price,line_id
4242424242424242,A,1 Main St,Boston,invoice,4242424242424242,A1,1,1.00,5555555555554444\n' >exempt.csv
run oms-import -d ordinary.db exempt.csv
expect 0 2 "" "CSV: the order number, payment reference and line ID are exempt"

# CSV, oms's own: any column oms reads, an amount or a quantity too; not the order, line or payment IDs.
hdr='order_id,ship_name,ship_line1,ship_city,payment_method,payment_reference,notes,sku,qty,price,line_id'
printf '%s\nC-1,A,1 Main St,Boston,invoice,,"pay with 4242 4242 4242 4242 12/29",A1,1,,\n' "$hdr" >notes.csv
printf 'C-2,A,1 Main St,Boston,invoice,,,A1,4242-4242-4242-4242,,\n' >>notes.csv
printf 'C-3,A,1 Main St,Boston,invoice,,,A1,1,5555555555554444.00,\n' >>notes.csv
run oms-import notes.csv
expect 1 "" "oms-import: notes.csv:2: order C-1: notes: $REFUSED
oms-import: notes.csv:3: order C-2: qty: $REFUSED
oms-import: notes.csv:4: order C-3: price: $REFUSED" "CSV: a card number in the notes, the quantity or the price"

# Shopify, Amazon, WooCommerce exports.
D=$DATA/import
sed '2s/Leave at the door/card 3782,822463,10005/' "$D/shopify.csv" >shopify.csv
run oms-import shopify.csv
is "$(err | head -1)" "oms-import: shopify.csv:2: order #1001: Notes: $REFUSED" "Shopify: the Notes column"
awk -F'\t' -v OFS='\t' 'NR == 2 { $18 = "5555_5555_5555_4444" } { print }' "$D/amazon.txt" >amazon.txt
run oms-import amazon.txt
is "$(err | head -1)" "oms-import: amazon.txt:2: order 111-2223334-5556667: ship-address-1: $REFUSED" \
	"Amazon: an address line"
sed '2s/"Ring twice"/"4242\/4242\/4242\/4242"/' "$D/woo.csv" >woo.csv
run oms-import -f woocommerce woo.csv
is "$(err | head -1)" "oms-import: woo.csv:2: order 5001: Customer Note: $REFUSED" \
	"WooCommerce CSV: the customer's note"

# WooCommerce JSON: what the reader only looks at (the status) too.
W=$DATA/woo
sed 's/"status": "processing"/"status": "4242 4242 4242 4242"/' "$W/order.json" >status.json
run oms-import -f woocommerce status.json
expect 1 "" "oms-import: status.json: order #1042: status: $REFUSED" "WooCommerce: a card number as the status"
sed 's/"phone": "+1 617 555 0142"/"phone": "4242  4242  4242  4242"/' "$W/order.json" >phone.json
run oms-import -f woocommerce phone.json
expect 1 "" "oms-import: phone.json: order #1042: billing.phone: $REFUSED" "WooCommerce: the billing phone"

# X12: a card number in an address, and as a quantity: refused; the 997 names the element
# but never copies a value that could be a card number, not even masked.
X=$DATA/x12
sed 's/N3\*3 Elm St/N3*4242 4242 4242 4242/' "$X/bad-qty.x12" | sed 's/PO1\*1\*x\*/PO1*1*1*/' >addr.x12
run oms-import --ack addr.997 addr.x12
expect 1 5 "oms-import: addr.x12:1: segment 6 (N3): ship-to address (N301) $REFUSED" "X12: a card number in N301"
sed 's/PO1\*1\*x\*/PO1*1*4242424242424242*/' "$X/bad-qty.x12" >qty.x12
run oms-import --ack qty.997 qty.x12
expect 1 5 "oms-import: qty.x12:1: segment 8 (PO1): quantity (PO102) $REFUSED" "X12: a card number as PO102"
like "$(cat qty.997)" 'AK4\*2\*\*6~' "the 997's AK4 names PO102 and copies nothing of it"
sed 's/PO1\*1\*x\*EA\*9.99\*/PO1*1*1*EA*5555-5555-5555-4444*/' "$X/bad-qty.x12" >price.x12
run oms-import --ack price.997 price.x12
expect 1 5 "oms-import: price.x12:1: segment 8 (PO1): unit price (PO104) $REFUSED" "X12: a card number as PO104"
like "$(cat price.997)" 'AK4\*4\*\*6~' "nor of PO104"
is "$(grep -c 5555 price.997)" 0 "no digit group of it at all"

# Masking: a message that quotes a card-number-shaped value shows 6 and 4 of its digits, never all.
printf '%s\nK-1,A,1 Main St,Boston,invoice,,,A1,x,,\n' "$hdr" | sed 's/^K-1/4242424242424242/' >key.csv
run oms-import key.csv
expect 1 "" 'oms-import: key.csv:2: order 424242******4242: qty "x" is not a positive whole number' \
	"CSV: an order number quoted in a message is masked"
never_whole "CSV"
sed '2,3s/^#1001,/4242-4242-4242-4242,/; 2s/,2,Widget,/,two,Widget,/' "$D/shopify.csv" >shopify2.csv
run oms-import shopify2.csv
like "$(err)" '^oms-import: shopify2.csv:2: order 4242-42\*\*-\*\*\*\*-4242: Lineitem quantity "two" is not a positive whole number' \
	"Shopify: masked, its separators kept"
never_whole "Shopify"
awk -F'\t' -v OFS='\t' 'NR == 2 || NR == 3 { $1 = "5555555555554444" } NR == 2 { $10 = "three" } { print }' "$D/amazon.txt" >amazon2.txt
run oms-import amazon2.txt
like "$(err)" '^oms-import: amazon2.txt:2: order 555555\*\*\*\*\*\*4444: quantity-purchased "three" is not a positive whole number' \
	"Amazon: masked"
never_whole "Amazon"
sed '2,3s/^5001,/4242 4242 4242 4242,/; 2s/,9.99,,701$/,9.x9,,701/' "$D/woo.csv" >woo2.csv
run oms-import -f woocommerce woo2.csv
like "$(err)" '^oms-import: woo2.csv:2: order 4242 42\*\* \*\*\*\* 4242: Item Cost "9.x9" is not an amount in USD' \
	"WooCommerce CSV: masked"
never_whole "WooCommerce CSV"
sed 's/"number": "1042"/"number": "4242424242424242"/; s/"status": "processing"/"status": "failed"/' \
	"$W/order.json" >num.json
run oms-import -f woocommerce num.json
like "$(err)" '^oms-import: num.json: order #424242\*\*\*\*\*\*4242: status "failed": not imported' "WooCommerce JSON: masked"
never_whole "WooCommerce JSON"
printf 'external_id: "4242424242424242"\n%s\n---\nexternal_id: "4242424242424242"\n%s\n' "$ok_doc" "$ok_doc" >twice.yaml
run oms-import --strict twice.yaml
expect 1 "" 'oms-import: twice.yaml:6: order 424242******4242 appears twice in this input (first at line 1)
oms-import: --strict: nothing imported' "YAML: masked"
never_whole "YAML"
# (Exempt identifiers are kept: these two in the database of their own.)
printf '{"external_id": "5555 5555 5555 4444", "ship_to": {"name": "Ann", "line1": "1 Main St", "city": "Boston"},
  "payment": {"method": "invoice"}, "lines": [{"sku": "A1", "qty": 1, "price": "1.00"}]}\n' >first.json
sed 's/"qty": 1/"qty": 2/' first.json >changed.json
oms-import -d ordinary.db first.json >/dev/null
run oms-import -d ordinary.db changed.json
expect 1 "" 'oms-import: changed.json: order 1: order 5555 55** **** 4444 from json was imported before with other content (order 3); left as it was' \
	"JSON: masked"
never_whole "JSON"
printf 'external_id: "4242-4242-4242-4242"\n%s\n' "$ok_doc" | sed 's/qty: 1}/qty: 1, price: "1.00"}/' >again.yaml
oms-add -d ordinary.db --allow-unknown-sku <again.yaml >/dev/null
run_in again.yaml oms-add -d ordinary.db --allow-unknown-sku
expect 1 "" 'oms-add: stdin:1: order 4242-42**-****-4242 from manual is already in the database (order 4)' "oms-add: masked"
never_whole "oms-add"
sed 's/BEG\*00\*SA\*PO-5101\*/BEG*00*SA*4242424242424242*/; s/PO1\*1\*x\*EA\*9.99\*PE\*VP\*A1~//; s/SE\*7\*0001/SE*6*0001/' \
	"$X/bad-qty.x12" >nolines.x12
run oms-import --ack nolines.997 nolines.x12
like "$(err)" '^oms-import: nolines.x12:1: transaction set 0001: order 424242\*\*\*\*\*\*4242 has no line items' "X12: masked"
never_whole "X12"
run oms-order show 4242424242424242
like "$(err)" '424242\*\*\*\*\*\*4242' "any tool's message is masked: an order ID"
never_whole "any tool's message is masked"

# Free text oms keeps as given, masked: reasons, references, every history entry.
oms-stock receive A1 10 --ref 'PO 4242 4242 4242 4242' >/dev/null
oms-stock adjust A1 -1 --reason 'damaged; card 5555-5555-5555-4444 found in the box' >/dev/null
oms-order hold --reason 'customer gave 3782 822463 10005 on the phone' 1 >/dev/null
oms-order release --reason 'ok, 4242.4242.4242.4242 not kept' 1 >/dev/null
oms-order cancel --reason "card $FW4$FW4$FW4$FW4" 1 >/dev/null
is "$(sql "SELECT ref FROM stock_moves WHERE kind = 'receive'")" 'PO 4242 42** **** 4242' "a stock receipt's reference, masked"
is "$(sql "SELECT reason FROM stock_moves WHERE kind = 'adjust'")" 'damaged; card 5555-55**-****-4444 found in the box' \
	"an adjustment's reason, masked"
is "$(sql "SELECT what || ': ' || detail FROM events WHERE order_id = 1 AND what IN ('hold', 'release', 'cancel') ORDER BY id")" \
	"hold: customer gave 3782 82**** *0005 on the phone
release: ok, 4242.42**.****.4242 not kept
cancel: card $(printf '\357\274\224\357\274\222\357\274\224\357\274\222\357\274\224\357\274\222')******$(printf '\357\274\224\357\274\222\357\274\224\357\274\222')" \
	"hold, release and cancel reasons in the history, masked"

# oms-add's editor file: never kept when it holds a card number.
mkdir tmp
cat >ed-fail.sh <<'SH'
#!/bin/sh
# A person who types a card number into the notes, then the editor fails.
echo "$1" >"$OMS_TEST_DIR/edited"
sed -i 's/^notes: $/notes: "card 4242 4242 4242 4242 exp 12\/29"/' "$1"
exit 1
SH
cat >ed-refused.sh <<'SH'
#!/bin/sh
# Saves an order with a card number in it (refused, back in the editor), then quits with :cq.
n=$(cat "$OMS_TEST_DIR/rounds" 2>/dev/null || echo 0)
n=$((n + 1)); echo $n >"$OMS_TEST_DIR/rounds"
echo "$1" >"$OMS_TEST_DIR/edited"
[ $n -eq 2 ] && exit 1
sed -i 's/^  name: $/  name: Pat/; s/^  line1: $/  line1: 9 Pine Rd/; s/^  city: $/  city: Austin/; s/^  - sku: $/  - sku: A1/; s/^notes: $/notes: "3782-822463-10005"/' "$1"
SH
cat >ed-plain.sh <<'SH'
#!/bin/sh
# Fails, with nothing secret in the file: it is kept for the person to take up again.
echo "$1" >"$OMS_TEST_DIR/edited"
sed -i 's/^notes: $/notes: "call 617-555-0100"/' "$1"
exit 1
SH
cat >ed-blank.sh <<'SH'
#!/bin/sh
# Empties the document, but for a comment with a card number in it.
echo "$1" >"$OMS_TEST_DIR/edited"
printf '# 5555 5555 5555 4444\n' >"$1"
SH
chmod +x ed-*.sh
if command -v script >/dev/null; then
	for ed in fail refused plain blank; do
		rm -f rounds edited
		OMS_TEST_DIR=$SCRATCH TMPDIR=$SCRATCH/tmp EDITOR=$SCRATCH/ed-$ed.sh \
		    script -qec "oms-add" /dev/null >ed-$ed.out 2>&1 </dev/null
		echo $? >ed-$ed.rc
		cp "$(cat edited)" ed-$ed.left 2>/dev/null
		tr -d '\r' <ed-$ed.out >ed-$ed.msg
		[ -e "$(cat edited)" ] && echo kept >ed-$ed.kept || echo removed >ed-$ed.kept
	done
	f=$(cat edited)
	is "$(cat ed-fail.rc) $(cat ed-fail.kept)" "1 removed" "an editor that fails on a card number: nothing added, the file removed"
	like "$(cat ed-fail.msg)" '^oms-add: editor ".*/ed-fail.sh" failed; nothing added \(.*/tmp/oms-......\.yaml held what looks like a card number: overwritten and removed\)$' \
		"and it says so"
	is "$(cat ed-refused.rc) $(cat ed-refused.kept) $(cat rounds 2>/dev/null || echo 2)" "1 removed 2" \
		"refused for a card number, then the editor fails: the file is removed"
	like "$(cat ed-refused.msg)" "held what looks like a card number: overwritten and removed" "and it says so"
	is "$(cat ed-plain.rc) $(cat ed-plain.kept)" "1 kept" "an editor that fails on a file with no card number: the file is kept"
	like "$(cat ed-plain.msg)" 'nothing added \(.*\.yaml kept\)$' "and it says where"
	is "$(cat ed-blank.rc) $(cat ed-blank.kept)" "1 removed" "an emptied document with a card number in a comment: removed"
	like "$(cat ed-blank.msg)" '^oms-add: empty document: nothing added \(.*held what looks like a card number: overwritten and removed\)$' \
		"and it says so"
	is "$(ls tmp | grep -c 'oms-.*\.yaml')" 1 "only the file with no card number is left in TMPDIR"
	rm -f tmp/oms-*.yaml
else
	for i in 1 2 3 4 5 6 7 8 9; do ok "# SKIP script(1) is not installed"; done
fi

# The card prompt: echo off before the prompt shows, type-ahead thrown away, the terminal restored.
card_order() {
	printf 'ship_to: {name: Pat Doe, line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: card}\nlines: [{sku: A1, qty: 2}]\n' >c.yaml
	oms-add <c.yaml
}
keyed="echo at the card number's prompt: off
went on without waiting: no
the card number on the screen: no
echo at the expiry's prompt: on
echo at the security code's prompt: off
the security code on the screen: no
echo at the end: on
ended by: exit 0"
if python3 -c 'import pty, termios' 2>/dev/null; then
	id=$(card_order)
	run python3 "$TESTS_DIR/pty-card.py" typeahead oms-auth card "$id"
	is "$(out)" "$keyed" "oms-auth card: echo off at each secret's prompt, the type-ahead thrown away, nothing shown"
	is "$(sql "SELECT card_last4 FROM orders WHERE id = $id")" 4242 "the card typed after the prompt is the one taken, not the one typed ahead"
	id=$(card_order)
	run python3 "$TESTS_DIR/pty-card.py" sigint oms-auth card "$id"
	is "$(out)" "echo at the card number's prompt: off
echo after ^C: on
ended by: SIGINT" "^C at the card prompt: oms-auth ends by the signal, with echo on again"
	run python3 "$TESTS_DIR/pty-card.py" typeahead oms-add --name Kim --line1 '2 Elm St' --city Reno \
	    --region NV --postal-code 89501 --payment card --line A1:1
	is "$(out)" "$keyed" "oms-add's quick form asks for the card the same way"
	is "$(sql "SELECT card_last4 FROM orders ORDER BY id DESC LIMIT 1")" 4242 "and takes the card typed after the prompt"
else
	for i in 1 2 3 4 5; do ok "# SKIP python3 with pty and termios is not installed"; done
fi

# A shipment voided for a reason, and a catalog's description: kept masked.
printf 'ship_to: {name: Pat Doe, line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: invoice}\nlines: [{sku: A1, qty: 1}]\n' >ship.yaml
oid=$(oms-add <ship.yaml)
oms-verify-addr -q $oid >/dev/null && oms-auth -q $oid >/dev/null && oms-backorder -q $oid >/dev/null &&
	oms-pick -q -o pick.pdf $oid >/dev/null && oms-ship -q --carrier ups --service ground --tracking 1Z999AA10123456784 $oid >/dev/null
sid=$(sql "SELECT id FROM shipments WHERE order_id = $oid")
run oms-ship -q void --reason 'wrong card 5555 5555 5555 4444 on the slip' "$sid"
is "$rc $(sql "SELECT void_reason FROM shipments WHERE id = $sid")" "0 wrong card 5555 55** **** 4444 on the slip" \
	"a shipment's void reason, masked"
printf 'sku,description\nD1,"Gift card 4242 4242 4242 4242, boxed"\n' >items2.csv
oms-stock -q import items2.csv >/dev/null
is "$(sql "SELECT description FROM items WHERE sku = 'D1'")" "Gift card 4242 42** **** 4242, boxed" "a catalog description, masked"

# Nothing whole anywhere: the database, the 997s, every message.
sqlite3 "$OMS_DB" .dump >dump.sql
cat ./*.997 >acks.txt
is "$(pans ./ed-*.msg ./ed-*.out out err)" "" "no card number in any message of the editor or the prompt"
is "$(pans dump.sql)" "" "no card number in the database (sqlite3 .dump), but the exempt identifiers"
is "$(pans acks.txt)" "" "no card number in any 997"
done_testing
