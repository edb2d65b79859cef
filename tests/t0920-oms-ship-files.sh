#!/bin/sh
# oms-ship and the carriers' software: a WorldShip export round-tripped
# into shipments, a FedEx Ship Manager export and our own csv read back
# (garbage rows, unknown orders, orders not picking), a file read twice;
# the confirmations to Amazon and an X12 856 for the orders' sources.
. "$(dirname "$0")/lib.sh"

catalog
printf 'A1 100\nB2 100\n' | oms-stock -q receive -
cat >oms.yaml <<'EOF'
ship:
  from: {company: "Demo Fulfilment", line1: "100 Dock Rd", city: Reno, region: NV,
         postal_code: "89502", phone: "775-555-0100"}
  methods:
    - {match: priority, carrier: usps, service: priority}
    - {match: "*", carrier: ups, service: ground}
x12:
  id: OMSSELLER
EOF
oms-import -q "$DATA/import/amazon.txt" "$DATA/x12/two-orders.x12" >/dev/null
oms-verify-addr -q -a >/dev/null
oms-auth -q -a >/dev/null
oms-backorder -q -a >/dev/null 2>&1
oms-pick -q -a >/dev/null
amz=$(sql "SELECT id FROM orders WHERE external_id = '111-2223334-5556667'")
amz2=$(sql "SELECT id FROM orders WHERE external_id = '222-0000000-0000001'")
po=$(sql "SELECT id FROM orders WHERE external_id = 'PO-4502'")
held=$(sql "SELECT id FROM orders WHERE external_id = 'PO-4501'")
is "$(sql "SELECT group_concat(status) FROM (SELECT status FROM orders WHERE id IN ($amz, $amz2, $po) ORDER BY id)")" \
	"picking,picking,picking" "two Amazon orders and an X12 850 are picking"

# WorldShip: export, label (WorldShip writes the same file back, processed), import.
run oms-ship export --format worldship $amz $po
is "$rc" 0 "export for WorldShip"
out >ws.xml
is "$(grep -c '<OpenShipment ' ws.xml)" 2 "one OpenShipment per order"
is "$(grep -o '<Reference1>[0-9]*</Reference1>' ws.xml | tr -d '\n')" \
	"<Reference1>$amz</Reference1><Reference1>$po</Reference1>" "each carries its order ID as the first reference"
like "$(tr -d '\n ' <ws.xml)" "<ShipTo><CompanyOrName>JoseGarcia</CompanyOrName><Attention>JoseGarcia</Attention><Address1>10CALLEREAL</Address1>" \
	"ship-to is the standardized address, in the ASCII WorldShip takes"
is "$(grep -o '<ServiceType>[^<]*</ServiceType>' ws.xml | sort -u)" "<ServiceType>GND</ServiceType>" \
	"Amazon's \"Standard\" and the 850's no method at all go as ship.methods says: UPS Ground, GND"
like "$(tr -d '\n ' <ws.xml)" "<ShipFrom><CompanyOrName>DemoFulfilment</CompanyOrName>.*<Address1>100DockRd</Address1>" \
	"ship-from is the warehouse of oms.yaml"
like "$(tr -d '\n ' <ws.xml)" "<ShipmentActualWeight>6.0</ShipmentActualWeight>" \
	"the weight is the items' (3 x 1.5 lb and 24 oz, in pounds, rounded up)"
awk '/ProcessStatus=""/ { sub(/ProcessStatus=""/, "ProcessStatus=\"Processed\"") }
/<\/Package>/ {
	print; n++
	printf "    <ProcessMessage>\n      <ShipmentRates><ShipmentCharges><Rate><Published>14.85</Published><Negotiated>11.20</Negotiated></Rate></ShipmentCharges></ShipmentRates>\n"
	printf "      <TrackingNumbers><TrackingNumber>%s</TrackingNumber></TrackingNumbers>\n    </ProcessMessage>\n", n == 1 ? "1Z999AA10123456784" : "1Z12345E0205271686"
	next
}
{ print }' ws.xml >done.xml
run oms-ship -q import-tracking --format worldship done.xml
expect 0 "$amz
$po" "" "WorldShip's processed file: both orders shipped"
is "$(sql "SELECT order_id, carrier, service, tracking, cost, weight_g, origin FROM shipments ORDER BY id")" \
	"$amz|ups|ground|1Z999AA10123456784|1120|2722|done.xml:3
$po|ups|ground|1Z12345E0205271686|1120|2722|done.xml:47" \
	"each with its tracking number, the negotiated charge, the weight, the row it came from, and oms's name of WorldShip's GND"
is "$(sql "SELECT group_concat(status) FROM (SELECT status FROM orders WHERE id IN ($amz, $po) ORDER BY id)")" "shipped,shipped" \
	"and the orders are shipped"
run oms-ship -q import-tracking --format worldship done.xml
expect 0 "$amz
$po" "" "the same file again: the orders pass through"
is "$(sql "SELECT count(*) FROM shipments")" 2 "and nothing is recorded twice"

# FedEx Ship Manager's export, by header name.
f1=$(printf 'ship_to: {name: "Pat Doe", line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: [{sku: B2, qty: 1}]\n' |
	oms-add | oms-verify-addr | oms-auth -q | oms-backorder | oms-pick -q)
printf 'Tracking Number,Customer Reference,Service Type,Package Weight,Net Charge,Recipient Name\n986578788855,%s,FedEx Ground,2.6,9.41,Pat Doe\n' "$f1" >fedex.csv
run oms-ship -q import-tracking --format fedex fedex.csv
expect 0 "$f1" "" "a FedEx Ship Manager export"
is "$(sql "SELECT carrier, service, tracking, weight_g, cost FROM shipments WHERE order_id = $f1")" \
	"fedex|FedEx Ground|986578788855|1179|941" "recorded with FedEx's service, weight and net charge"

# Our own csv: good rows, garbage rows, unknown orders, orders not picking.
c1=$(printf 'ship_to: {name: "Pat Doe", line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: [{sku: A1, qty: 1}]\n' |
	oms-add | oms-verify-addr | oms-auth -q | oms-backorder | oms-pick -q)
c2=$(printf 'ship_to: {name: "Pat Doe", line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: [{sku: A1, qty: 1}]\n' |
	oms-add | oms-verify-addr | oms-auth -q | oms-backorder)
cat >tracking.csv <<EOF
order_id,carrier,service,tracking,weight,cost
$c1,usps,priority,9400111899223197428497,12oz,7.95
abc,ups,ground,1Z999AA10123456784,1lb,1.00
$c1,ups,ground,1Z999AA10123456785,1lb,1.00
99999,ups,ground,1Z999AA10000000015,1lb,1.00
$c2,ups,ground,1Z999AA10000000024,1lb,1.00
$c1,ups,ground,1Z999AA10000000033,heavy,1.00
$c1,ups,ground,1Z999AA10000000042,1lb,ten
EOF
run oms-ship -q import-tracking --format csv tracking.csv
expect 1 "$c1" "oms-ship: tracking.csv:3: order \"abc\" is not an order ID
oms-ship: tracking.csv:4: tracking number 1Z999AA10123456785: UPS check digit is 4, not 5 (--force takes it anyway)
oms-ship: tracking.csv:7: weight \"heavy\" is not a weight (2.5, 2.5lb, 40oz, 1.2kg, 500g)
oms-ship: tracking.csv:8: cost \"ten\" is not an amount
oms-ship: order 99999: no such order
oms-ship: tracking.csv:6: order $c2: not picked yet (it is allocated: oms-pick first)" \
	"garbage rows, an unknown order and an order not picking are reported and skipped; the good row is recorded"
is "$(sql "SELECT carrier, service, tracking, weight_g, cost FROM shipments WHERE order_id = $c1")" \
	"usps|priority|9400111899223197428497|340|795" "the good row: a USPS shipment"

# Our own sheet, FedEx's and DAZzle's files for an order still picking;
# the sheet filled in and read back.
s1=$(printf 'ship_to: {name: "Pat Doe", line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nship_method: priority\nlines: [{sku: B2, qty: 2}]\n' |
	oms-add | oms-verify-addr | oms-auth -q | oms-backorder | oms-pick -q)
run oms-ship export --format csv $s1
expect 0 "order_id,carrier,service,tracking,weight,cost
$s1,usps,priority,,3.00lb," "" "export csv: a sheet to fill in (tracking, cost), the carrier and service from ship.methods, the weight from the catalog"
run oms-ship export --format fedex $s1
expect 1 "" "oms-ship: order $s1: ship method \"priority\" goes by usps (ship.methods in oms.yaml), not in a file for fedex" \
	"export fedex: an order that goes by another carrier is refused"
sed 's/carrier: usps, service: priority/carrier: fedex, service: 2day/' oms.yaml >fedex.yaml
run oms-ship -c fedex.yaml export --format fedex $s1
like "$(out | sed -n 2p)" "^Pat Doe,,1 MAIN ST,,RENO,NV,89501,US,.*,03,3\.0,$s1," "export fedex: the recipient, FedEx's code of the service, weight and the order as reference"
run oms-ship export --format endicia $s1
like "$(out | tr -d '\n')" "<Package ID=\"$s1\">    <MailClass>PRIORITY</MailClass>.*<ReferenceID>$s1</ReferenceID>" "export endicia: a DAZzle package per order"
oms-ship export --format csv $s1 | sed "s/^$s1,usps,priority,,3.00lb,\$/$s1,usps,priority,9400111899223197428503,3.00lb,5.10/" >sheet.csv
run oms-ship -q import-tracking --format csv sheet.csv
expect 0 "$s1" "" "the filled-in sheet read back"
is "$(sql "SELECT carrier, service, tracking, weight_g, cost FROM shipments WHERE order_id = $s1")" \
	"usps|priority|9400111899223197428503|1361|510" "as a shipment"

# Confirmations for the carts.
run oms-ship confirm --format shopify
expect 0 "Order Name,Tracking Number,Tracking Company,Tracking URL,SKU,Quantity,Notify Customer" "" \
	"shopify: only Shopify's orders (there are none here)"
run oms-ship confirm --format amazon
date=$(sql "SELECT substr(shipped_at, 1, 10) FROM shipments WHERE order_id = $amz")
expect 0 "$(printf 'order-id\torder-item-id\tquantity\tship-date\tcarrier-code\tcarrier-name\ttracking-number\tship-method
111-2223334-5556667\t12345678901234\t3\t%s\tUPS\t\t1Z999AA10123456784\tground
111-2223334-5556667\t12345678901235\t1\t%s\tUPS\t\t1Z999AA10123456784\tground' "$date" "$date")" "" \
	"Amazon's shipping confirmation: one row per item, with Amazon's order-item-id"
run oms-ship confirm --format amazon
expect 0 "$(printf 'order-id\torder-item-id\tquantity\tship-date\tcarrier-code\tcarrier-name\ttracking-number\tship-method')" "" \
	"confirmed once: the next run has nothing new"
run oms-ship confirm --format amazon --since 2020-01-01
is "$(out | wc -l)" 3 "--since sends them again"
run oms-ship confirm --format csv -n
is "$(out | wc -l)" 9 "csv: every source's shipments, a row per line (8 and the header)"
run oms-ship confirm --format csv
is "$(out | wc -l)" 9 "-n recorded nothing"

# The 856 for the order that came as an X12 850.
run oms-ship confirm --asn
is "$rc" 0 "an ASN for the X12 order"
out | tr '~' '\n' | sed '/^$/d; s/^ *//' >asn.txt
ymd=$(sql "SELECT replace(substr(shipped_at, 1, 10), '-', '') FROM shipments WHERE order_id = $po")
is "$(sed -n 1p asn.txt | cut -d'*' -f1-10)" "ISA*00*          *00*          *ZZ*OMSSELLER      *ZZ*ACMEBUYER      *$(echo "$ymd" | cut -c3-8)" \
	"ISA: from us (oms.yaml x12.id) to the partner the 850 came from"
is "$(sed -n 1p asn.txt | cut -d'*' -f14)" 000000001 "with control number 1"
is "$(grep -E '^(ST|HL|REF|PRF|MAN|LIN|SN1)\*' asn.txt)" "ST*856*0001
HL*1**S
REF*CN*1Z12345E0205271686
HL*2*1*O
PRF*PO-4502***20261119
HL*3*2*P
MAN*CP*1Z12345E0205271686
HL*4*3*I
LIN*1*VP*A1
SN1**1*EA**1*EA
HL*5*3*I
LIN*2*VP*B2
SN1**3*EA**3*EA" "the shipment, order, pack and item levels with the tracking number, PO and quantities"
is "$(tail -n 4 asn.txt)" "CTT*5
SE*25*0001
GE*1*1
IEA*1*000000001" "the counts: 5 HL segments, 25 segments in the set (N1*SF, N3 and N4 of ship.from among them), 1 set, 1 group"
run oms-ship confirm --asn --since 2020-01-01
is "$(out | tr '~' '\n' | sed -n 1p | cut -d'*' -f14)" 000000002 "sent again, the next control number"
printf 'ship:\n  from: {company: "X", line1: "1 A St", city: Reno, postal_code: "89502"}\n' >nox12.yaml
run oms-ship -c nox12.yaml confirm --asn --since 2020-01-01
is "$rc" 0 "the 850's envelope addresses the ASN: x12.id is not needed"
# An order imported before oms kept the 850's envelope is addressed from oms.yaml.
sql "DELETE FROM x12_lines; DELETE FROM x12_orders" >/dev/null
run oms-ship -c nox12.yaml confirm --asn --since 2020-01-01
expect 2 "" "oms-ship: x12.id in oms.yaml: an ASN for order $po (imported before oms kept its 850's envelope) needs our own interchange ID" "an ASN needs our interchange ID"

# Usage.
run oms-ship export --format dazzle
expect 2 "" "oms-ship: export: --format: expected worldship, fedex, endicia or csv" "an unknown export format"
run oms-ship import-tracking --format endicia done.xml
expect 2 "" "oms-ship: import-tracking: --format: expected worldship, fedex or csv" "endicia is for export only"
run oms-ship confirm
expect 2 "" "oms-ship: confirm: --format amazon|shopify|csv, or --asn" "confirm needs a format"
run oms-ship -q import-tracking --format csv missing.csv
expect 1 "" "oms-ship: missing.csv: No such file or directory" "a missing file"

done_testing
