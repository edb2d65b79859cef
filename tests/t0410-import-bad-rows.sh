#!/bin/sh
# oms-import: a bad row in a delimited file rejects the order it is in, named
# by FILE:LINE, and every other order in the file goes in; exit 1.  The same
# in every format that reads rows (oms's CSV, Shopify, Amazon, WooCommerce).
. "$(dirname "$0")/lib.sh"

catalog
BIG=$(printf '%070000d' 0 | tr 0 x)	# over the 64 KiB a field may hold

# Each format's nine columns hold the same things, in the same order: the
# order number, the ship-to name, line 1, line 2, city, how it was paid,
# SKU, quantity, price.  Line 2 is where the bad text goes.
set_format() {
	FMT=$1
	case $FMT in
	csv)
		D=, PAID=invoice SRC=csv
		HDR='order_id,ship_name,ship_line1,ship_line2,ship_city,payment_method,sku,qty,price' ;;
	shopify)
		D=, PAID=paid SRC=shopify
		HDR='Name,Shipping Name,Shipping Address1,Shipping Address2,Shipping City,Financial Status,Lineitem sku,Lineitem quantity,Lineitem price' ;;
	amazon)
		D='	' PAID=USD SRC=amazon
		HDR=$(printf 'order-id\trecipient-name\tship-address-1\tship-address-2\tship-city\tcurrency\tsku\tquantity-purchased\titem-price') ;;
	woocommerce)
		D=, PAID=processing SRC=woocommerce
		HDR='Order Number,First Name (Shipping),Address 1&2 (Shipping),Address 2 (Shipping),City (Shipping),Order Status,SKU,Quantity,Item Cost' ;;
	esac
}

# row KEY SKU [LINE2 [AFTER]]: one row; AFTER is appended as it is.
row() {
	printf '%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s\n' "$1" "$D" Ann "$D" "1 Main St" "$D" "${3:-}" \
		"$D" Salem "$D" "$PAID" "$D" "$2" "$D" 1 "$D" 1.00 "${4:-}"
}

# orders PREFIX: the orders of this format numbered PREFIX-*, as the database holds them.
orders() {
	sql "SELECT group_concat(external_id, ' ') FROM (SELECT external_id FROM orders WHERE source = '$SRC' AND external_id LIKE '$1-%' ORDER BY id)"
}

# id KEY: the ID of this format's order KEY, as oms-import prints it.
id() {
	sql "SELECT coalesce((SELECT id FROM orders WHERE source = '$SRC' AND external_id = '$1'), 'no order $1')"
}

for fmt in csv shopify amazon woocommerce; do
	set_format $fmt
	F=$fmt.bad

	{ echo "$HDR"; row O-1 A1; row O-2 B2 "$BIG"; row O-3 A1; } >$F
	run oms-import -f $fmt $F
	expect 1 "$(id O-1; id O-3)" "oms-import: $F:3: order O-2: field 4 is over 64 KiB" \
		"$fmt: a row over the size limit in the middle rejects its order only"
	is "$(orders O)" "O-1 O-3" "$fmt: the orders on either side are in"

	{ echo "$HDR"; row T-1 A1; row T-2 B2 "" "$(printf '%1001s' '' | tr ' ' "$D")"; row T-3 A1; } >$F
	run oms-import -f $fmt $F
	expect 1 "$(id T-1; id T-3)" "oms-import: $F:3: order T-2: more than 1000 fields" \
		"$fmt: a row with too many fields in the middle rejects its order only"
	is "$(orders T)" "T-1 T-3" "$fmt: the orders on either side are in"

	{ echo "$HDR"; row Q-1 A1; row Q-2 B2 '"Apt 4'; row Q-3 A1; row Q-4 B2; } >$F
	run oms-import -f $fmt $F
	expect 1 "$(id Q-1; id Q-3; id Q-4)" "oms-import: $F:3: order Q-2: unterminated quoted field" \
		"$fmt: an unterminated quote in the middle rejects its order; the next line is read again"
	is "$(orders Q)" "Q-1 Q-3 Q-4" "$fmt: the orders after it are in"

	{ echo "$HDR"; row E-1 A1; row E-2 B2; printf '%s' "$(row E-3 A1 '"Apt')"; } >$F
	run oms-import -f $fmt $F
	expect 1 "$(id E-1; id E-2)" "oms-import: $F:4: order E-3: unterminated quoted field" \
		"$fmt: an unterminated quote at the end (a truncated file) rejects only the order it is in"
	is "$(orders E)" "E-1 E-2" "$fmt: the orders before it are in"

	# A bad row of a multi-row order: the whole order goes, its neighbours stay.
	{
		echo "$HDR"
		row M-1 A1; row M-1 B2
		row M-2 A1; row M-2 B2 '5" box'; row M-2 A1
		row M-3 B2
	} >$F
	run oms-import -f $fmt $F
	expect 1 "$(id M-1; id M-3)" "oms-import: $F:5: order M-2: a quote inside an unquoted field" \
		"$fmt: one bad row of an order of three rejects that order"
	is "$(orders M)" "M-1 M-3" "$fmt: the orders before and after it are in"
	is "$(sql "SELECT group_concat(l.sku, ' ') FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.source = '$SRC' AND o.external_id = 'M-1'")" \
		"A1 B2" "$fmt: whole"

	# A bad row whose order number cannot be read: its neighbours tell.
	{
		echo "$HDR"
		row K-1 A1; row "$BIG" B2; row K-1 B2
		row K-2 A1; row "" B2 '"Apt 4"x'; row K-3 A1
	} >$F
	run oms-import -f $fmt $F
	expect 1 "$(id K-2; id K-3)" "oms-import: $F:3: order K-1: field 1 is over 64 KiB
oms-import: $F:6: text after a closing quote; which order the row is in cannot be told: the row alone is rejected (it lies between orders K-2 and K-3)" \
		"$fmt: an unreadable row among an order's rows rejects that order; one between two orders only itself"
	is "$(orders K)" "K-2 K-3" "$fmt: K-2 and K-3 are in"

	# A stray quote pairs with the next quote in the file, lines later: the
	# lines it swallowed are read again, as rows.
	{ echo "$HDR"; row S-1 A1 '"Apt 4'; row S-2 B2; row S-3 A1 '"Suite 2"'; row S-4 B2; } >$F
	run oms-import -f $fmt $F
	expect 1 "$(id S-2; id S-3; id S-4)" "oms-import: $F:2: order S-1: the quote opened here closes on line 4, before more text (a stray quote?)" \
		"$fmt: a stray quote that swallows rows rejects its own order"
	is "$(orders S)" "S-2 S-3 S-4" "$fmt: the rows it swallowed are orders again"
	is "$(sql "SELECT ship_line2 FROM orders WHERE source = '$SRC' AND external_id = 'S-3'")" "Suite 2" \
		"$fmt: read as written"

	# Fixed and sent again: only the fixed order is added (exactly once).
	{ echo "$HDR"; row Q-1 A1; row Q-2 B2 'Apt 4'; row Q-3 A1; row Q-4 B2; } >$F
	before=$(sql "SELECT count(*) FROM orders")
	run oms-import -f $fmt $F
	expect 0 "$(id Q-1; id Q-2; id Q-3; id Q-4)" "" "$fmt: the file fixed imports, every ID in the file's order"
	is "$(sql "SELECT count(*) FROM orders")" $((before + 1)) "$fmt: one order more"
	is "$(orders Q)" "Q-1 Q-3 Q-4 Q-2" "$fmt: Q-2 is the one"
	is "$(sql "SELECT o.ship_line2 || ' ' || e.detail FROM orders o JOIN events e ON e.order_id = o.id AND e.what = 'created' WHERE o.source = '$SRC' AND o.external_id = 'Q-2'")" \
		"Apt 4 from $F:3" "$fmt: from its line"
done

# The formats are told from the header as well.
set_format shopify
{ echo "$HDR"; row D-1 A1; row D-2 B2 '"Apt'; row D-3 A1; } >detect.csv
run oms-import detect.csv
expect 1 "$(id D-1; id D-3)" "oms-import: detect.csv:3: order D-2: unterminated quoted field" "format detected: the same"

# A custom layout from oms.yaml reads rows the same way.
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
        payment_method: "Pay"
        sku: "Item"
        qty: "Count"
YAML
printf 'Ticket;Caller;Street;Town;Pay;Item;Count\nP-1;A;B;C;invoice;A1;1\nP-2;A;"B;C;invoice;A1;1\nP-3;A;B;C;invoice;A1;1\n' >phone.csv
run oms-import phone.csv
SRC=phonebank
expect 1 "$(id P-1; id P-3)" "oms-import: phone.csv:3: order P-2: unterminated quoted field" "a custom layout: the same"
is "$(orders P)" "P-1 P-3" "P-1 and P-3 are in"
rm oms.yaml

# Not one row more than the header has in the wrong place: a row cut short
# by a newline in an unquoted field is two bad rows, each named.
set_format csv
printf '%s\nC-1,Ann,1 Main St,,Salem,invoice,A1,1,1.00\nC-2,Ann,1 Main\nSt,,Salem,invoice,A1,1,1.00\nC-3,Ann,1 Main St,,Salem,invoice,A1,1,1.00\n' "$HDR" >cut.csv
run oms-import cut.csv
expect 1 "$(id C-1; id C-3)" "oms-import: cut.csv:3: order C-2: 3 fields, the header has 9
oms-import: cut.csv:4: order St: 7 fields, the header has 9" "a row cut in two: both halves named"
is "$(orders C)" "C-1 C-3" "C-1 and C-3 are in"

# The count of rejections is of orders.
{ echo "$HDR"; row V-1 A1; row V-2 A1 '5" box'; row V-2 B2 '6" box'; row V-3 A1; } >count.csv
run oms-import -v count.csv
expect 1 "$(id V-1; id V-3)" "oms-import: count.csv:3: order V-2: a quote inside an unquoted field
oms-import: count.csv:4: order V-2: a quote inside an unquoted field
oms-import: 2 added, 0 already there, 1 rejected" "every bad row is named; the order is counted once"

# --strict: a bad row is a rejection like any other.
{ echo "$HDR"; row X-1 A1; row X-2 A1 '"x'; row X-3 A1; } >strict.csv
run oms-import --strict strict.csv
expect 1 "" "oms-import: strict.csv:3: order X-2: unterminated quoted field
oms-import: --strict: nothing imported" "--strict: nothing"
is "$(orders X)" "" "nothing"

done_testing
