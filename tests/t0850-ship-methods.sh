#!/bin/sh
# ship.methods: the carts' free-text ship methods mapped to a carrier and
# one of its services, and written to each carrier's file as the
# carrier's own code; an order whose method maps to nothing stops the
# export (exit 1, no file); an order for another carrier is refused, or
# left for its own file under -a; oms.yaml's list of maps checked.
. "$(dirname "$0")/lib.sh"

catalog
printf 'A1 100\nB2 100\n' | oms-stock -q receive -
cat >oms.yaml <<'EOF'
ship:
  from: {company: "Demo Fulfilment", line1: "100 Dock Rd", city: Reno, region: NV,
         postal_code: "89502"}
  methods:
    - match: "Free Ground Shipping*"
      carrier: ups
      service: ground
    - {match: standard, carrier: usps, service: priority}
    - {match: Expedited, carrier: fedex, service: 2day}
    - {match: "Next Day*", carrier: ups, service: nextday}
EOF
# order METHOD: an order for A1 picking, by that ship method ("" for none); prints its ID.
order() {
	if [ -n "$1" ]; then m="ship_method: \"$1\""; else m=; fi
	printf 'ship_to: {name: "Pat Doe", line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\n%s\npayment: {method: prepaid}\nlines: [{sku: A1, qty: 1}]\n' "$m" |
		oms-add | oms-verify-addr | oms-auth -q | oms-backorder | oms-pick -q
}
free=$(order 'Free Ground Shipping Over $100')
std=$(order Standard)
exp=$(order Expedited)
next=$(order 'Next Day Air')

run oms-ship export --format worldship $free $next
is "$rc" 0 "WorldShip: the orders that go by UPS"
is "$(out | grep -o '<ServiceType>[^<]*</ServiceType>' | tr -d '\n')" \
	"<ServiceType>GND</ServiceType><ServiceType>1DA</ServiceType>" \
	"a glob's match (\"Free Ground Shipping*\") is GND, \"Next Day Air\" 1DA: WorldShip's codes"
run oms-ship export --format endicia $std
like "$(out | tr -d '\n')" "<MailClass>PRIORITY</MailClass>" \
	"\"Standard\" matches \"standard\" (case aside): usps priority, DAZzle's PRIORITY"
run oms-ship export --format fedex $exp
like "$(out | sed -n 2p)" "^Pat Doe,,1 MAIN ST,,RENO,NV,89501,US,,,03,1\.5,$exp," \
	"\"Expedited\": fedex 2day, Ship Manager's 03"
run oms-ship export --format csv $free $std $exp
expect 0 "order_id,carrier,service,tracking,weight,cost
$free,ups,ground,,1.50lb,
$std,usps,priority,,1.50lb,
$exp,fedex,2day,,1.50lb," "" "oms's sheet: the carrier and oms's name of the service"
for f in worldship fedex endicia csv; do
	oms-ship export --format $f -a >all.$f 2>/dev/null
done
if grep -il 'free ground\|expedited\|standard\|next day' all.worldship all.fedex all.endicia all.csv; then
	not_ok "no carrier file holds a cart's free-text method"
else
	ok "no carrier file holds a cart's free-text method"
fi

# Another carrier's order: refused by name, left out under -a.
run oms-ship export --format worldship $free $std
is "$rc" 1 "an order that goes by USPS is not put in WorldShip's file: exit 1"
is "$(err)" "oms-ship: order $std: ship method \"Standard\" goes by usps (ship.methods in oms.yaml), not in a file for ups" \
	"an order that goes by USPS is not put in WorldShip's file: the message"
like "$(out)" "<Reference1>$free</Reference1>" "the UPS order's file is written"
run oms-ship export --format worldship -a
is "$rc" 0 "-a: every picking order for UPS, the others left for their own carrier's file"
is "$(out | grep -o '<Reference1>[0-9]*</Reference1>' | tr -d '\n')" \
	"<Reference1>$free</Reference1><Reference1>$next</Reference1>" "only the UPS orders"

# A method that maps to nothing: no file at all.
odd=$(order 'Pony Express')
none=$(order '')
echo old >ws.xml
run oms-ship export --format worldship -o ws.xml $free $odd
expect 1 "" "oms-ship: order $odd: ship method \"Pony Express\" maps to no carrier service; add it to ship.methods in oms.yaml" \
	"an unmapped method is refused with its text and the fix"
is "$(cat ws.xml)" old "and the file is not written, not even with the good order"
run oms-ship export --format csv $free $none
expect 1 "" "oms-ship: order $none: no ship method, and no ship.methods match for none in oms.yaml (add one: match: \"*\" takes every order)" \
	"an order with no ship method at all: the same, nothing written"
run oms-ship export --format worldship -a
is "$rc" 1 "-a with an unmapped order: exit 1"
is "$(out)" "" "and no file at all"
printf '    - {match: "*", carrier: ups, service: ground}\n' >>oms.yaml
run oms-ship export --format worldship $odd $none
is "$rc" 0 "a catch-all \"*\" at the end takes the rest"
is "$(out | grep -c '<ServiceType>GND</ServiceType>')" 2 "both as UPS Ground"

# A service that does not go where the package goes.
abroad=$(printf 'ship_to: {name: "Kim Lee", line1: "10 Bay St", city: Toronto, region: ON, postal_code: "M5J 2N8", country: CA}\nship_method: "Free Ground Shipping"\npayment: {method: prepaid}\nlines: [{sku: A1, qty: 1}]\n' |
	oms-add | oms-verify-addr | oms-auth -q | oms-backorder | oms-pick -q)
run oms-ship export --format worldship $abroad
expect 1 "" "oms-ship: order $abroad: ship method \"Free Ground Shipping\" maps to ups ground, but ups ground does not go abroad (to CA): map it to another service in ship.methods in oms.yaml" \
	"UPS Ground to Canada: refused, with the fix"

# WorldShip's processed file: its code is oms's service again.
run oms-ship export --format worldship $free
out | sed 's/ProcessStatus=""/ProcessStatus="Processed"/; s|</Package>|</Package><ProcessMessage><TrackingNumbers><TrackingNumber>1Z999AA10123456784</TrackingNumber></TrackingNumbers></ProcessMessage>|' >done.xml
run oms-ship -q import-tracking --format worldship done.xml
expect 0 "$free" "" "the processed file read back"
is "$(sql "SELECT carrier, service FROM shipments WHERE order_id = $free")" "ups|ground" \
	"the shipment's service is oms's name (ground), not WorldShip's GND"

# Shipping with no --carrier and --service: each order's from ship.methods.
run oms-ship -q --tracking 986578788855 $exp
expect 0 "$exp" "" "an order shipped by its ship method: no --carrier, --service"
is "$(sql "SELECT carrier, service, tracking FROM shipments WHERE order_id = $exp")" "fedex|2day|986578788855" \
	"recorded as ship.methods maps \"Expedited\": fedex 2day, its tracking number checked as FedEx's"
run oms-ship -q --tracking 1Z999AA10123456785 $std
expect 1 "" "oms-ship: --tracking: tracking number 1Z999AA10123456785: not a USPS tracking number (20, 22 or 26 digits, after a 420 ZIP routing code or not, or S10: 2 letters, 9 digits, 2 letters) (--force takes it anyway)" \
	"a tracking number not of the mapped carrier (usps) is refused"
sed '/match: "\*"/d' oms.yaml >nocatch.yaml
run oms-ship -q -c nocatch.yaml $odd
expect 1 "" "oms-ship: order $odd: ship method \"Pony Express\" maps to no carrier service; add it to ship.methods in oms.yaml, or give --carrier and --service" \
	"an unmapped method: refused, with the fix"
run oms-ship -q -c nocatch.yaml --carrier usps --service priority $odd
expect 0 "$odd" "" "or shipped as named"
printf 'order_id,carrier,tracking\n%s,ups,1Z12345E0205271686\n' "$next" >sheet.csv
run oms-ship -q import-tracking --format csv sheet.csv
is "$rc" 0 "a sheet with no service"
is "$(sql "SELECT carrier, service FROM shipments WHERE order_id = $next")" "ups|nextday" \
	"the service the order's ship method maps to (\"Next Day Air\" is ups nextday), not the cart's words"

# A PO box: the carrier the method maps to is the one that does not deliver there.
pobox=$(printf 'ship_to: {name: "Pat Doe", line1: "PO Box 12", city: Reno, region: NV, postal_code: "89501"}\nship_method: "Free Ground Shipping Over $100"\npayment: {method: prepaid}\nlines: [{sku: A1, qty: 1}]\n' | oms-add)
run oms-verify-addr -n $pobox
expect 0 "$pobox	hold	a PO box, and Free Ground Shipping Over \$100 does not deliver to PO boxes" "" \
	"a method mapped to UPS is held for a PO box, as \"UPS Ground\" is"

# oms.yaml's ship.methods is checked when it is read.
badyaml() {
	printf 'ship:\n  methods:\n%s\n' "$1" >bad.yaml
	run oms-ship -c bad.yaml export --format csv $free
	expect 2 "" "$2" "$3"
}
badyaml '    - {match: x, carrier: ups}' \
	'oms-ship: bad.yaml:3:7: ship.methods: each needs match, carrier and service (no service)' "a map without its service"
badyaml '    - {match: x, carrier: dhl, service: ground}' \
	'oms-ship: bad.yaml:3:27: ship.methods: carrier "dhl" is not one oms writes files for (ups, fedex, usps)' "an unknown carrier"
badyaml '    - {match: x, carrier: ups, service: 2dy}' \
	'oms-ship: bad.yaml:3:41: ship.methods: ups has no service "2dy" (ground, 3day, 2day, 2day_am, nextday, nextday_saver, nextday_early, surepost, standard, worldwide_expedited, worldwide_express, worldwide_express_plus, worldwide_saver)' \
	"an unknown service: the carrier's are listed"
badyaml '    - {match: x, carrier: ups, service: ground, cost: 5}' \
	'oms-ship: bad.yaml:3:49: unknown key "ship.methods[].cost"' "an unknown key in a map"
badyaml '    - ground' \
	'oms-ship: bad.yaml:3:7: ship.methods: expected a map, found a value' "a value where a map goes"
badyaml '    []' \
	'oms-ship: bad.yaml:3:5: ship.methods: expected a list of one or more maps, found an empty list' "an empty list"
printf 'ship:\n  methods: {match: x, carrier: ups, service: ground}\n' >bad.yaml
run oms-ship -c bad.yaml export --format csv $free
expect 2 "" 'oms-ship: bad.yaml:2:12: ship.methods: expected a list of one or more maps, found a map' "a map, not a list of them"

done_testing
