#!/bin/sh
# oms-import -f x12 on 850s laid out as real partners send them (tests/data/x12/real,
# README there): items by the partner's own IDs through its cross-reference, cases
# converted to eaches, what oms cannot take acknowledged AK5*E, not as bad syntax;
# and the 856 that goes back with the partner's own qualifiers, IDs and units.
. "$(dirname "$0")/lib.sh"

R=$DATA/x12/real
catalog
printf 'A1 100\nB2 100\nC3 400\n' | oms-stock -q receive -
printf 'sku,units_per_case\nA1,12\nC3,12\n' >cases.csv
oms-stock -q import cases.csv
# The partner form of the cross-reference: its interchange ID, its number
# (qualified "CB:..." for that qualifier only, bare for any), our SKU.
cat >xref.csv <<'EOF'
source,key,sku
987654321,CB:CAT-4711,A1
987654321,MFR-8800,B2
987654321,MG:MFR-9900,C3
EOF
run oms-stock -q xref import xref.csv
expect 0 "" "" "oms-stock xref import: a partner's item numbers"
cat >oms.yaml <<'EOF'
ship:
  from: {name: "OMS Seller Dock 2", line1: "1 Warehouse Way", city: Atlanta, region: GA,
         postal_code: "30384"}
x12:
  gs1_prefix: "0614141"
  partners:
    "987654321":
      id_order: CB UP MG VN
      units: {CA: 12}
EOF
cp "$R"/*.x12 .

# akv FILE: the AK5 and AK9 of a 997, one a line.
akv() {
	tr '~!' '\n\n' <"$1" | tr -d '\r' | grep -E '^AK[3459]'
}

# The "done when": VN, MG, CB and UP IDs, cases, through the cross-reference.
run oms-import --ack xref.997 partner-xref.x12
expect 0 1 "" "an 850 naming items by VN, MG, CB and UP, in cases, imports"
is "$(sql "SELECT line_no, sku, qty, unit_price, external_line_id FROM order_lines WHERE order_id = 1")" \
	"1|A1|24|500|1
2|B2|12|1950|2
3|C3|6|250|3" "CB:CAT-4711 (qualified), MFR-8800 (bare, under MG), MG:MFR-9900: 2 and 1 CA of 12, 60.00 a case is 5.00 each"
is "$(akv xref.997)" "AK5*A
AK9*A*1*1*1" "its 997 accepts it"
is "$(sql "SELECT sender_qual, sender_id, receiver_qual, receiver_id, gs_sender, gs_receiver,
	ship_to_qual, ship_to_code FROM x12_orders WHERE order_id = 1")" \
	"01|987654321|ZZ|OMSSELLER|987654321|OMSSELLER|92|0417" "the envelope and the ship-to's store number are kept"
is "$(sql "SELECT x.unit, x.per_unit, x.unit_qty, replace(x.product_ids, char(10), ',') FROM x12_lines x
	JOIN order_lines l ON l.id = x.line_id WHERE l.order_id = 1 ORDER BY l.line_no")" \
	"CA|12|2|VN W-100,MG MFR-7731,CB CAT-4711,UP 012345678905
CA|12|1|MG MFR-8800,CB CAT-4712,UP 012345678912
EA|1|6|CB CAT-4713,MG MFR-9900" "and each line's unit, its size and the partner's IDs, for the 856"

# The others, as the README says.
run oms-import --ack gw.997 gateway-one-line.x12
expect 0 2 "" "one line, | as component separator, an N9 over a line break"
is "$(sql "SELECT sku, qty, unit_price FROM order_lines WHERE order_id = 2")" "A1|200|212
C3|200|12" "VP before BP and UP"
run oms-import --ack books.997 bookstore-en.x12
expect 0 3 "oms-import: order 3: on hold (sku): BOOKSHOP01's items not in the catalog nor in its cross-reference: line 1: EN 9781451627299; line 2: EN 9780446583978" \
	"PO105 left out: the ID pairs begin there; an empty UP pair is passed over"
is "$(sql "SELECT sku, item_key, qty, unit_price FROM order_lines WHERE order_id = 3")" "|EN:9781451627299|3|1139
|EN:9780446583978|12|1652" "ISBNs the catalog lacks: no SKU, each line waiting under its qualifier and ID"
is "$(sql "SELECT status, hold_reason, held_from FROM orders WHERE id = 3")" "hold|sku|new" \
	"the order is imported on hold for its SKUs, not refused"
is "$(sql "SELECT detail FROM events WHERE order_id = 3 AND what = 'hold'")" \
	"BOOKSHOP01's items not in the catalog nor in its cross-reference: line 1: EN 9781451627299; line 2: EN 9780446583978" \
	"and its history names the partner's IDs"
# The partner's cross-reference, given later, names the lines and releases the order.
printf 'sku,description,price\nBK-1,A book,11.39\nBK-2,Another,16.52\n' >books.csv
oms-stock -q import books.csv
run oms-stock xref BOOKSHOP01 EN:9781451627299 BK-1
expect 0 "" "" "xref of one of the two"
is "$(sql "SELECT status, hold_reason FROM orders WHERE id = 3")" "hold|sku" "still held: a line waits yet"
run oms-stock xref BOOKSHOP01 EN:9780446583978 BK-2
is "$(sql "SELECT group_concat(sku, ' ') FROM order_lines WHERE order_id = 3")" "BK-1 BK-2" \
	"the partner's cross-reference gives the lines their SKUs"
is "$(sql "SELECT status FROM orders WHERE id = 3")" new "and the order goes on from where it was held"
run oms-import bookstore-en.x12
expect 0 3 "" "sent again: the same order, not held again"
# One imported before oms kept the 850's facts, and since gone on, gets them, not a hold.
oms-order -q release 3 >/dev/null
oms-verify-addr -q 3 >/dev/null
sql "DELETE FROM x12_lines WHERE line_id IN (SELECT id FROM order_lines WHERE order_id = 3);
  DELETE FROM x12_orders WHERE order_id = 3"
run oms-import bookstore-en.x12
expect 0 3 "" "an order of before, sent again, gone on: not held"
is "$(sql "SELECT o.status, count(x.line_id) FROM orders o JOIN order_lines l ON l.order_id = o.id
	LEFT JOIN x12_lines x ON x.line_id = l.id WHERE o.id = 3")" "verified|2" "it keeps its status and takes its lines' facts"
is "$(akv books.997)" "AK5*A
AK9*A*1*1*1" "accepted: it is in oms"
run oms-import --ack retail.997 retail-cases.x12
expect 0 4 "" "a BOM, 00501, CR LF after each terminator, cases of the catalog's units per case"
is "$(sql "SELECT sku, qty, unit_price FROM order_lines WHERE order_id = 4")" "C3|288|395
A1|24|1000" "24 CA of C3 (12 each) at 47.40, 2 CA of A1 at 120.00"
is "$(sql "SELECT ship_to_qual, ship_to_code FROM x12_orders WHERE order_id = 4")" "UL|0078742000008" \
	"the ship-to's GLN"
run oms-import --ack plant.997 plant-bang.x12
expect 0 5 "oms-import: plant-bang.x12:1: order 1103408478: no shipping address: added on hold (address); give it one with oms-order edit 5" \
	"no N4: no city, so no address to ship to: added on hold, the order named"
is "$(sql "SELECT status, hold_reason FROM orders WHERE id = 5")" "hold|address" "held for its address"
is "$(akv plant.997)" "AK5*A
AK9*A*1*1*1" "sound X12 that oms holds: accepted, no AK3 or AK4"

# Units and prices that do not convert refuse their set only (AK5*E, no AK3/AK4).
sed 's/0099123456/0099123457/; s/\*CA\*47.40\*/*CA*47.50*/' retail-cases.x12 >cents.x12
run oms-import --ack cents.997 cents.x12
expect 1 "" 'oms-import: cents.x12:10: PO1: unit price "47.50" (PO104) per CA of 12 is not a whole number of USD'"'"'s minor units per each; oms keeps prices per each, exactly' \
	"a case price that is no whole number of cents per each"
is "$(akv cents.997)" "AK5*E
AK9*E*1*1*1" "acknowledged with errors noted"
sed 's/HW-20931/HW-20932/; s/^PO1\*3\*6\*EA/PO1*3*6*BX/' partner-xref.x12 >box.x12
run oms-import --ack box.997 box.x12
expect 1 "" 'oms-import: box.x12:18: PO1: unit of measure "BX" (PO103) is not one oms can convert to eaches: set x12.partners.987654321.units.BX in oms.yaml' \
	"a unit of no known size"
is "$(akv box.997)" "AK5*E
AK9*E*1*1*1" "AK5*E"
sed 's/\*BX\*2.50\*/*BX*15.00*/' box.x12 >box6.x12
sed 's/^x12:$/x12:\n  units: {BX: 6}/' oms.yaml >site.yaml
run oms-import -c site.yaml box6.x12
expect 0 6 "" "the site's x12.units, beside the partner's"
is "$(sql "SELECT qty, unit_price FROM order_lines WHERE order_id = 6 AND line_no = 3")" "36|250" \
	"6 BX of 6 each at 15.00 a box: 36 at 2.50"
sed 's/HW-20931/HW-20933/; s/^PO1\*3\*6\*EA\*2.50/PO1*3*1*DZ*30.00/' partner-xref.x12 >dozen.x12
run oms-import dozen.x12
expect 0 7 "" "a dozen is 12, built in"
is "$(sql "SELECT sku, qty, unit_price FROM order_lines WHERE order_id = 7 AND line_no = 3")" "C3|12|250" \
	"1 DZ at 30.00 is 12 at 2.50"

# An ID oms does not use, or none: what is missing is "1", what is unknown is not a syntax error.
sed 's/HW-20931/HW-20934/; s/^PO1\*3\*6\*EA\*2.50\*\*CB\*CAT-4713\*MG\*MFR-9900/PO1*3*6*EA*2.50/' partner-xref.x12 >noid.x12
run oms-import --ack noid.997 noid.x12
expect 1 "" 'oms-import: noid.x12:18: PO1: no product ID (PO106, PO107)' "a PO1 without any product ID"
is "$(akv noid.997)" "AK3*PO1*16**8
AK4*6**1
AK5*R*5
AK9*R*1*1*0" "AK403 1: mandatory data missing, at PO106"
sed 's/HW-20931/HW-20935/; s/^PO1\*3\*6\*EA\*2.50\*\*CB\*CAT-4713\*MG\*MFR-9900/PO1*3*6*EA*2.50**ZZ*X-1/' partner-xref.x12 >zz.x12
run oms-import --ack zz.997 zz.x12
expect 1 "" 'oms-import: zz.x12:18: PO1: no product ID of a qualifier oms uses (ZZ X-1; used: CB UP MG VN)' \
	"a qualifier oms does not read"
is "$(akv zz.997)" "AK5*E
AK9*E*1*1*1" "is not a syntax error: AK5*E"
sed 's/HW-20931/HW-20936/; s/^PO1\*3\*6\*EA\*2.50\*\*CB/PO1*3*6*EA*2.50**C\&/' partner-xref.x12 >badq.x12
run oms-import --ack badq.997 badq.x12
expect 1 "" 'oms-import: badq.x12:18: PO1: product ID qualifier "C&" (PO106) is not a qualifier' \
	"a qualifier that is no code at all"
is "$(akv badq.997)" "AK3*PO1*16**8
AK4*6**7*C&
AK5*R*5
AK9*R*1*1*0" "is one: AK403 7, the value echoed"
# After a good pair too (under make check-asan, the good pair's copy must not leak).
sed 's/HW-20931/HW-20938/; s/^PO1\*3\*6\*EA\*2.50\*\*CB\*CAT-4713\*MG/PO1*3*6*EA*2.50**CB*CAT-4713*M\&/' partner-xref.x12 >badq2.x12
run oms-import badq2.x12
expect 1 "" 'oms-import: badq2.x12:18: PO1: product ID qualifier "M&" (PO108) is not a qualifier' \
	"a bad qualifier after a good one"

# A GS1 number that also passes for a card number (a GTIN-14 of 14 digits, Luhn-valid,
# as a Diners card) is the partner's item, not a card; a card number under another
# qualifier is refused, and not echoed.
sed 's/HW-20931/HW-20939/; s/^PO1\*3\*6\*EA\*2.50\*\*CB\*CAT-4713/PO1*3*6*EA*2.50**UK*30000000000087*CB*CAT-4713/' partner-xref.x12 >gtin.x12
run oms-import gtin.x12
expect 0 8 "" "a GTIN-14 that looks like a Diners card number is a GTIN"
is "$(sql "SELECT sku FROM order_lines WHERE order_id = 8 AND line_no = 3")" C3 "found by its MG"
sed 's/HW-20931/HW-20940/; s/^PO1\*3\*6\*EA\*2.50\*\*CB\*CAT-4713/PO1*3*6*EA*2.50**VN*30000000000087*CB*CAT-4713/' partner-xref.x12 >card.x12
run oms-import --ack card.997 card.x12
expect 1 "" 'oms-import: card.x12:18: PO1: product ID (PO107) holds what looks like a card number; refused (not stored)' \
	"the same digits as a vendor's item number are refused"
is "$(grep -c 30000000000087 card.997)" 0 "and the 997 does not copy them"

# A purpose oms does not take is a business matter too.
sed 's/^BEG\*00\*SA\*HW-20931/BEG*01*SA*HW-20937/' partner-xref.x12 >cancel.x12
run oms-import --ack cancel.997 cancel.x12
expect 1 "" 'oms-import: cancel.x12:4: BEG: purpose "01" (BEG01) is not supported: only original orders (00, or 07 duplicate) are imported' \
	"a cancellation"
is "$(akv cancel.997)" "AK5*E
AK9*E*1*1*1" "AK5*E, not an invalid code value"

# Leading blank lines and indentation before the ISA are not data.
{ printf '\n\n   '; cat gateway-one-line.x12; } >lead.x12
run oms-import lead.x12
expect 0 2 "" "white space before the ISA"

# ISA padding is counted in characters: a UTF-8 sender ID padded right is read whole and
# named for what it is, not taken for an ISA a byte too long.
sed '1s/\*SLRSGATEWAY    \*/*SLRSGATEWÄY    */' gateway-one-line.x12 >umlaut.x12
run oms-import umlaut.x12
expect 1 "" 'oms-import: umlaut.x12:1: ISA06 "SLRSGATEWÄY    " holds a character that is not printable ASCII, which ISA elements are; the file is not read' \
	"a non-ASCII sender ID padded to 15 characters"
sed '1s/\*SLRSGATEWAY    \*/*SLRSGATEWÄY   */' gateway-one-line.x12 >umlaut2.x12
run oms-import umlaut2.x12
expect 1 "" 'oms-import: umlaut2.x12:1: ISA06 is 14 characters, expected 15 (the ISA segment is 106 characters); the file is not read' \
	"one padded to 15 bytes: the field that is off is named"

# The 856 of the partner's order goes back the way the 850 came.  Its layout is that of
# published pack-and-item 856 samples (a reseller's vendor-guide 856 kept as an X12
# parser's test fixture; a 4010 856 in an X12 library's tests): BSN05 0001, then
# HL S (TD1, TD5, REF, DTM*011, N1*SF, N1*ST*92*store) > HL O (PRF) > HL P (MAN*GM and
# an 18-digit SSCC) > HL I (LIN with the buyer's qualifier pairs, SN1).
oms-verify-addr -q 1 >/dev/null
oms-auth -q 1 >/dev/null
oms-backorder -q 1 >/dev/null
oms-pick -q -o pick.pdf 1 >/dev/null
oms-ship -q --carrier ups --service ground --tracking 1Z999AA10123456784 1 >/dev/null
is "$(sql "SELECT status FROM orders WHERE id = 1")" shipped "the partner's order is shipped"
run oms-ship confirm --asn
is "$rc" 0 "its 856"
out | tr '~' '\n' | sed '/^$/d' >asn.txt
ship=$(sql "SELECT id FROM shipments WHERE order_id = 1")
sscc=$(python3 -c "
d = '00614141%09d' % $ship
s = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(d))
print(d + str((10 - s % 10) % 10))")
is "$(sed -n 1p asn.txt | cut -d'*' -f6-9)" "ZZ*OMSSELLER      *01*987654321      " \
	"ISA05..08: the 850's receiver qualifier and ID are ours, its sender's are theirs (01, a DUNS)"
is "$(sed -n 2p asn.txt | cut -d'*' -f1-4)" "GS*SH*OMSSELLER*987654321" "GS02, GS03 as the 850's GS03, GS02"
is "$(sed '1,2d; /^GE/,$d' asn.txt | sed 's/^BSN\*00\*\([0-9]*\)\*[0-9]*\*[0-9]*\*/BSN*00*\1*DATE*TIME*/; s/^DTM\*011\*.*/DTM*011*DATE/')" \
	"ST*856*0001
BSN*00*0$ship*DATE*TIME*0001
HL*1**S
TD1*CTN25*1****G*55.32*LB
TD5*B*2*UPSN*U*ground
REF*CN*1Z999AA10123456784
DTM*011*DATE
N1*SF*OMS Seller Dock 2
N3*1 Warehouse Way
N4*Atlanta*GA*30384*US
N1*ST*HARDWARE DEPOT 0417*92*0417
N3*4100 COMMERCE PKWY
N4*COLUMBUS*OH*43219*US
HL*2*1*O
PRF*HW-20931***20261126
HL*3*2*P
MAN*GM*$sscc
HL*4*3*I
LIN*1*VN*W-100*MG*MFR-7731*CB*CAT-4711*UP*012345678905
SN1**2*CA**2*CA
HL*5*3*I
LIN*2*MG*MFR-8800*CB*CAT-4712*UP*012345678912
SN1**1*CA**1*CA
HL*6*3*I
LIN*3*CB*CAT-4713*MG*MFR-9900
SN1**6*EA**6*EA
CTT*6
SE*28*0001" \
	"S (TD1, TD5, REF*CN, N1*SF, N1*ST with the store number) > O (PRF) > P (MAN*GM, the SSCC-18) > I (LIN with the partner's IDs, SN1 in its units)"

# A partner that wants parcel tracking as the bill of lading.
sed 's/^      units: {CA: 12}$/      units: {CA: 12}\n      tracking_ref: BM/' oms.yaml >bm.yaml
run oms-ship -c bm.yaml confirm --asn --since 2000-01-01
is "$(out | tr '~' '\n' | grep '^REF')" "REF*BM*1Z999AA10123456784" "tracking_ref BM: REF*BM carries the tracking number"
sed 's/^      units: {CA: 12}$/      units: {CA: 12}\n      tracking_ref: PRO/' oms.yaml >pro.yaml
run oms-ship -c pro.yaml confirm --asn --since 2000-01-01
expect 2 "" 'oms-ship: pro.yaml:10:21: x12.partners.987654321.tracking_ref: "PRO" is not BM (bill of lading) or CN (carrier'"'"'s reference)' \
	"any other qualifier is a configuration error"

# oms-db check holds what was kept of the 850s to their orders.
run oms-db check
expect 0 "" "" "the database checks clean"
oms-db -q backup b.db >/dev/null
sqlite3 -batch b.db "UPDATE orders SET source = 'x12:SOMEONE' WHERE id = 1;
  DELETE FROM x12_orders WHERE order_id = 2"
run oms-db -d b.db check
expect 1 "order 1: kept as from an X12 850 of 987654321, but its source is x12:SOMEONE
order 2: line 1 (A1) has the units and IDs of an 850, but the order has no 850 envelope kept
order 2: line 2 (C3) has the units and IDs of an 850, but the order has no 850 envelope kept" \
	"oms-db: b.db: 3 problems found" "an 850's envelope under another source, lines without their envelope"

done_testing
