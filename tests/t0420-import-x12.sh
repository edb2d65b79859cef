#!/bin/sh
# oms-import -f x12: ANSI X12 850 purchase orders in, 997 acknowledgments out;
# envelope checks, exact amounts, one rejected set never stops the others.
. "$(dirname "$0")/lib.sh"

X12=$DATA/x12
catalog
# The fixtures by their plain names, so that messages are the same wherever tests run.
cp "$X12"/*.x12 .

# norm997 FILE: a 997 one segment a line, terminators dropped, and the
# fields that carry the time it was written (ISA09, ISA10, GS04, GS05) masked.
norm997() {
	es=$(dd if="$1" bs=1 skip=3 count=1 2>/dev/null)
	st=$(dd if="$1" bs=1 skip=105 count=1 2>/dev/null)
	if [ -n "$st" ]; then tr "$st" '\n' <"$1"; else cat "$1"; fi |
	    tr -d '\r' | grep -v '^$' |
	    awk -F"$es" -v OFS="$es" '$1 == "ISA" { $10 = "YYMMDD"; $11 = "HHMM" }
		$1 == "GS" { $5 = "CCYYMMDD"; $6 = "HHMM" } { print }'
}

# ack_is FILE EXPECTED DESCRIPTION: the 997 written matches the expected one segment by segment.
ack_is() {
	is "$(norm997 "$1")" "$(norm997 "$X12/$2")" "$3: the 997, segment by segment"
}

orders() {
	sql 'SELECT count(*) FROM orders'
}

# Two purchase orders, every mapped segment.
run oms-import --ack two.997 two-orders.x12
expect 0 "1
2" "oms-import: order 1: on hold (sku): ACMEBUYER's items not in the catalog nor in its cross-reference: line 3: IN X-9, BP NEW-1" \
	"an interchange of two 850s imports two orders, one held for an item oms does not know"
is "$(sql "SELECT source, external_id, status, placed_at, currency, customer_name, customer_email,
	customer_phone, ship_name, ship_company, ship_line1, ship_line2, ship_city, ship_region,
	ship_postal_code, ship_country, bill_name, bill_line1, bill_city, bill_region,
	bill_postal_code, bill_country, ship_method, payment_method, payment_terms, subtotal, total
	FROM orders WHERE id = 1")" \
	"x12:ACMEBUYER|PO-4501|hold|2026-11-18T00:00:00Z|USD|Grace Hopper|grace@acme.example|+1 555 0142|Ada Lovelace|Analytical Engines Ltd|12 St James's Square|Suite 4|London||SW1Y 4JH|GB|Acme Corp Accounts Payable|PO Box 1|Springfield|IL|62701|US|UPS GROUND|invoice|2% 10 net 30|5048|5048" \
	"BEG, CUR, PER, ITD, TD5 and the N1 loops of ship-to and bill-to are mapped"
is "$(sql "SELECT line_no, sku, qty, unit_price FROM order_lines WHERE order_id = 1")" "1|A1|2|999
2|B2|1|1800
3||5|250" "lines: VP before UP, SK before BP, BP before IN; 18.0000 is 18.00 exactly; no SKU for the unknown item"
is "$(sql "SELECT what, coalesce(to_status, '-'), detail FROM events WHERE order_id = 1 ORDER BY id")" "created|new|from two-orders.x12:3
no sku|-|line 3: x12:ACMEBUYER \"BP:NEW-1\" (map it: oms-stock alias ACMEBUYER \"BP:NEW-1\" SKU)
hold|hold|ACMEBUYER's items not in the catalog nor in its cross-reference: line 3: IN X-9, BP NEW-1" \
	"the order's history names the line of its ST, the key the line waits under (the preferred pair), and the hold with the partner's IDs"
is "$(sql "SELECT item_key FROM order_lines WHERE order_id = 1 AND line_no = 3")" "BP:NEW-1" \
	"the line waits under its preferred qualifier and ID"
is "$(sql "SELECT hold_reason FROM orders WHERE id = 1")" sku "held for its SKU, as a cart's unresolved line is"
is "$(sql "SELECT customer_name, customer_email, customer_phone IS NULL, ship_country,
	bill_name IS NULL, ship_method IS NULL, payment_terms IS NULL, currency FROM orders WHERE id = 2")" \
	"Bob Builder|bob@acme.example|1|US|1|1|1|USD" \
	"no PER02: the customer is the ship-to; no N404: US; no CUR: USD"
is "$(sql "SELECT sku, qty, unit_price FROM order_lines WHERE order_id = 2")" "A1|1|999
B2|3|1950" "a PO1 without a price takes the catalog's"
is "$(sql "SELECT group_concat(order_id || '.' || line_no || ':' || external_line_id, ' ') FROM order_lines")" \
	"1.1:1 1.2:2 1.3:3 2.1:1 2.2:2" "PO101 is each line's ID, for the 856 to send back"
ack_is two.997 two-orders.997 "all accepted"
is "$(wc -l <two.997 | tr -d ' ')" 12 "the 997 puts a newline after each terminator, as the input did"

run oms-import --ack again.997 two-orders.x12
expect 0 "1
2" "" "importing the same file again prints the same IDs"
is "$(orders)" 2 "and adds nothing"
ack_is again.997 two-orders.997 "orders already there are accepted"

# Other delimiters: | between elements, ^ between components, a newline ends a segment.
run oms-import -f x12 --ack newline.997 newline.x12
expect 0 "3
4" "" "newline-terminated segments with other separators, two groups"
is "$(sql "SELECT external_id, currency, ship_name, ship_country, ship_method, payment_terms,
	placed_at FROM orders WHERE id IN (3, 4) ORDER BY id")" \
	"EU-77|EUR|Émile Zola|FR|DHLX|net 45|2026-12-01T00:00:00Z
EU-78|EUR|Marie Curie|FR|||2026-12-02T00:00:00Z" "CUR EUR, TD503 without TD505, ITD07 net days, UTF-8 names"
is "$(sql "SELECT sku, qty, unit_price FROM order_lines WHERE order_id = 4")" "B2|1|1950
C3|2|300" "a quantity of 2.0 is the whole number 2"
ack_is newline.997 newline.997 "one 997 group per group received"
is "$(tail -c 1 newline.997 | od -An -c | tr -d ' ')" '\n' \
	"the 997 ends its segments with a newline, as the input did"

# Several interchanges in one file, each with its own delimiters.
cat two-orders.x12 newline.x12 >both.x12
run oms-import both.x12
expect 0 "1
2
3
4" "" "two interchanges with different delimiters in one file"
is "$(orders)" 4 "already there: nothing added"

# Some networks deliver 80-column records: line ends anywhere, even inside the ISA.
tr -d '\n' <two-orders.x12 | fold -w 80 | sed 's/$/\r/' >wrapped.x12
run oms-import wrapped.x12
expect 0 "1
2" "" "an interchange wrapped at 80 columns with CR LF line ends"

# A test interchange (ISA15 T) is checked and acknowledged, never imported.
sed '1s/\*P\*:~$/*T*:~/; s/PO-45/TEST-45/' two-orders.x12 >test.x12
run oms-import --ack test.997 test.x12
expect 0 "" "oms-import: test.x12: 2 orders of test interchanges (ISA15 is T) checked, not imported" \
	"a test interchange"
is "$(orders)" 4 "adds nothing"
is "$(norm997 test.997 | sed -n '1p;9p')" "ISA*00*          *00*          *ZZ*OMSSELLER      *ZZ*ACMEBUYER      *YYMMDD*HHMM*U*00401*000000101*0*T*:
AK9*A*2*2*2" "and is acknowledged as test data"

# bad FILE STATUS STDOUT STDERR ORDERS DESCRIPTION: each bad input, its 997 and what the database holds.
bad() {
	run oms-import --ack "${1%.x12}.997" "$1"
	expect "$2" "$3" "$4" "$6"
	is "$(orders)" "$5" "$6: orders in the database"
}

bad short-isa.x12 1 "" \
	"oms-import: short-isa.x12:1: ISA segment is 95 bytes, expected 106 (ISA06 is 4 characters, expected 15); the file is not read" \
	4 "an ISA with an unpadded sender ID"
is "$(ls short-isa.997 2>&1)" "ls: cannot access 'short-isa.997': No such file or directory" \
	"nothing is acknowledged: no empty 997 is made"
printf 'ISA*00*          *00*    ~\n' >tiny.x12
bad tiny.x12 1 "" "oms-import: tiny.x12:1: ISA segment is 26 bytes, expected 106; the file is not read" 4 "an input shorter than an ISA"
printf 'GS*PO*A*B*20261120*0930*1*X*004010~\n' >nois.x12
run oms-import -f x12 nois.x12
expect 1 "" "oms-import: nois.x12:1: not an X12 interchange: it does not begin with an ISA segment" \
	"-f x12 on input that does not begin with ISA"

bad bad-se-count.x12 1 5 \
	'oms-import: bad-se-count.x12:9: SE: transaction set 0001 has 7 segments, SE01 says "9"; not imported' \
	5 "a wrong SE01 rejects its set, the next one goes on"
is "$(sql "SELECT external_id FROM orders WHERE id = 5")" PO-5002 "the set after it was imported"
ack_is bad-se-count.997 bad-se-count.997 "AK5*R*4"

bad bad-qty.x12 1 6 \
	'oms-import: bad-qty.x12:1: segment 8 (PO1): quantity "x" (PO102) is not a positive whole number' \
	6 "a bad quantity on a one-line interchange names the segment"
is "$(sql "SELECT count(*) FROM orders WHERE external_id = 'PO-5101'")" 0 "the bad order is not imported"
ack_is bad-qty.997 bad-qty.997 "AK3 and AK4 point at PO102"
is "$(wc -l <bad-qty.997 | tr -d ' ')" 0 "a one-line input gets a one-line 997"

bad negative-qty.x12 1 "" \
	'oms-import: negative-qty.x12:8: PO1: quantity "-2" (PO102) is not a positive whole number' \
	6 "a negative quantity"
ack_is negative-qty.997 negative-qty.997 "the group rejected"

bad price-digits.x12 1 7 \
	'oms-import: price-digits.x12:8: PO1: unit price "9.995" (PO104) has more decimals than USD has (2); it is not rounded' \
	7 "a price that would need rounding is refused, 9.9900 is not"
is "$(sql "SELECT o.external_id, l.unit_price FROM orders o JOIN order_lines l ON l.order_id = o.id
	WHERE o.id = 7")" "PO-5302|999" "9.9900 is 9.99 exactly"
ack_is price-digits.997 price-digits.997 "AK4 for PO104"

bad truncated.x12 1 8 \
	'oms-import: truncated.x12:10: transaction set 0002: no SE (the input ends inside it); not imported' \
	8 "a file cut short rejects the unfinished set"
is "$(sql "SELECT external_id FROM orders WHERE id = 8")" PO-5401 "the complete set before it was imported"
ack_is truncated.997 truncated.997 "AK5*R*2, AK9 with trailer missing (3)"

bad group-count.x12 1 9 \
	'oms-import: group-count.x12:10: ST: transaction set 860 is not a purchase order (850); not imported
oms-import: group-count.x12:13: GE: group 301 has 2 transaction sets, GE01 says "3"' \
	9 "an 860 among 850s, and a GE01 that counts one set too many"
is "$(sql "SELECT external_id FROM orders WHERE id = 9")" PO-5501 \
	"the complete 850 of a group with a wrong count is still imported"
ack_is group-count.997 group-count.997 "AK5*R*1 for the 860, AK9*P with code 5"

# What a partner re-sends with changes is reported, and the 997 says it was not taken,
# though its X12 was sound: accepted with errors noted (E), no AK3 or AK4.
sed 's/^PO1\*1\*2\*EA/PO1*1*7*EA/' two-orders.x12 >changed.x12
run oms-import --ack changed.997 changed.x12
expect 1 2 "oms-import: changed.x12:3: order PO-4501 from x12:ACMEBUYER was imported before with other content (order 1); left as it was" \
	"an order re-sent with other content"
is "$(norm997 changed.997 | grep -E '^AK[259]')" "AK2*850*0001
AK5*E
AK2*850*0002
AK5*A
AK9*E*2*2*2" "its 997 notes errors in that set and accepts the other"

# Card numbers and bytes that are not UTF-8 are refused with their set.
sed 's/PO-4501/PO-6001/; s/PO-4502/PO-6002/; s/Grace Hopper/4111 1111 1111 1111/; s/Bob Builder~/B\xffb~/' \
	two-orders.x12 >text.x12
run oms-import text.x12
expect 1 "" 'oms-import: text.x12:7: PER: contact name (PER02) holds what looks like a card number; refused (not stored)
oms-import: text.x12:28: N1: ship-to name (N102) is not valid UTF-8' "a card number and invalid UTF-8"
is "$(sql "SELECT count(*) FROM orders WHERE external_id LIKE 'PO-600%' OR customer_name LIKE '%4111%'")" 0 \
	"neither order was imported"

# Other shapes of trouble, made here so the fixtures stay readable.
sed 's/^BEG\*00\*SA\*PO-4501/BEG*01*SA*PO-7001/; s/^CTT\*2~/CTT*3~/; s/PO-4502/PO-7002/' two-orders.x12 >codes.x12
run oms-import codes.x12
expect 1 "" 'oms-import: codes.x12:4: BEG: purpose "01" (BEG01) is not supported: only original orders (00, or 07 duplicate) are imported
oms-import: codes.x12:34: CTT: CTT01 says "3" line items, the order has 2 PO1 segments' \
	"a cancellation is not imported as an order; CTT01 must count the PO1s"
sed 's/^PO1\*1\*2\*EA/PO1*1*2*CA/; s/PO-4501/PO-7101/; s/^N1\*ST\*Bob Builder~/N1*SF*Bob Builder~/; s/PO-4502/PO-7102/' \
	two-orders.x12 >misc.x12
run oms-import misc.x12
expect 1 "" 'oms-import: misc.x12:19: PO1: unit of measure "CA" (PO103) is not one oms can convert to eaches: set x12.partners.ACMEBUYER.units.CA in oms.yaml, or the item'"'"'s units_per_case in the catalog
oms-import: misc.x12:26: transaction set 0002: order PO-7102 has no ship-to (N1*ST); not imported' \
	"cases of no known size are not taken; an order without a ship-to"
is "$(orders)" 9 "none of them added anything"

# The 997 never claims what was not kept.
rm -f strict.997
run oms-import --strict --ack strict.997 misc.x12
is "$rc" 1 "--strict with a rejected set imports nothing"
is "$(err | tail -n 1)" "oms-import: strict.997: not written: the orders it would accept were not imported" \
	"and writes no 997, saying so"
is "$(ls strict.997 strict.997.tmp 2>/dev/null)" "" "no acknowledgment file is left behind"

# PO101 may be left out.
sed 's/PO-4501/PO-4601/; s/PO-4502/PO-4602/; s/^PO1\*1\*1\*EA/PO1**1*EA/' two-orders.x12 >noline.x12
run oms-import noline.x12
expect 0 "10
11" "oms-import: order 10: on hold (sku): ACMEBUYER's items not in the catalog nor in its cross-reference: line 3: IN X-9, BP NEW-1" \
	"an 850 with a PO1 without PO101 imports"
is "$(sql "SELECT group_concat(line_no || ':' || coalesce(external_line_id, '-'), ' ') FROM order_lines WHERE order_id = 11")" \
	"1:- 2:2" "that line has no line ID"

done_testing
