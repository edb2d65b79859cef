#!/bin/sh
# Catalog weights are stored as the catalog writes them, exactly, and
# rounded once, by the carrier's rule, when a carrier's file is written:
# 1310 x 1.5 lb is 1965 lb, not 1310 x 680 g.  A weight finer than oms
# keeps is refused, not rounded; so are a bad HS code and origin.
. "$(dirname "$0")/lib.sh"

printf 'sku,description,weight,price\nLB,Pound and a half,1.5lb,1.00\nOZ,Three and a half ounces,3.5 oz,1.00\nKG,Kilo,0.68kg,1.00\nG,Grams,100g,1.00\n' >items.csv
run oms-stock import items.csv
expect 0 "" "items.csv: 4 items" "a catalog in pounds, ounces, kilograms and grams"
is "$(sql "SELECT sku, weight_pg FROM items ORDER BY sku")" "G|100000000000000
KG|680000000000000
LB|680388555000000
OZ|99223330937500" "each stored exactly, in picograms (1.5 lb is 680.388555 g, 3.5 oz 99.2233309375 g)"

badcsv() {
	printf "$1" >bad.csv
	run oms-stock import bad.csv
	expect 1 "" "$2" "$3"
}
badcsv 'sku,weight\nZ1,1.0001oz\n' 'oms-stock: bad.csv:2: weight "1.0001oz" is finer than oms keeps (a picogram: 3 decimals of an ounce, 7 of a pound)' \
	"an ounce to 4 decimals is refused, not rounded"
badcsv 'sku,weight\nZ1,9300kg\n' 'oms-stock: bad.csv:2: weight "9300kg" is too much (at most 9,223 kg, 15 decimals)' "a weight too large"
badcsv 'sku,hs_code\nZ1,8542\n' 'oms-stock: bad.csv:2: hs_code "8542" is not a Harmonized System code (6 to 10 digits: 8542.31, 6109100012)' \
	"an HS code of 4 digits (a heading, not a code)"
badcsv 'sku,hs_code\nZ1,85A231\n' 'oms-stock: bad.csv:2: hs_code "85A231" is not a Harmonized System code (6 to 10 digits: 8542.31, 6109100012)' \
	"an HS code with a letter"
badcsv 'sku,origin\nZ1,Atlantis\n' 'oms-stock: bad.csv:2: origin "Atlantis" is not a country (an ISO 3166 code, like US or CN, or its name)' \
	"an origin that is no country"
is "$(sql "SELECT count(*) FROM items WHERE sku = 'Z1'")" 0 "none of them added"

# 1310 pounds and a half, to a carrier.
printf 'LB 2000\nOZ 100\n' | oms-stock -q receive -
cat >oms.yaml <<'EOF'
ship:
  from: {company: "Demo Fulfilment", line1: "100 Dock Rd", city: Reno, region: NV,
         postal_code: "89502"}
  methods:
    - {match: "*", carrier: ups, service: ground}
EOF
big=$(printf 'ship_to: {name: "Pat Doe", line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: [{sku: LB, qty: 1310}]\n' |
	oms-add | oms-verify-addr | oms-auth -q | oms-backorder | oms-pick -q)
run oms-ship export --format worldship $big
like "$(out | tr -d '\n ')" "<ShipmentActualWeight>1965.0</ShipmentActualWeight>" \
	"WorldShip: 1310 x 1.5 lb is 1965.0 lb (grams rounded first made it 1963.9)"
run oms-ship export --format csv $big
expect 0 "order_id,carrier,service,tracking,weight,cost
$big,ups,ground,,1965.00lb," "" "the sheet: 1965.00lb"
sed 's/carrier: ups, service: ground/carrier: usps, service: priority/' oms.yaml >usps.yaml
small=$(printf 'ship_to: {name: "Pat Doe", line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: [{sku: OZ, qty: 3}]\n' |
	oms-add | oms-verify-addr | oms-auth -q | oms-backorder | oms-pick -q)
run oms-ship -c usps.yaml export --format endicia $small
like "$(out | tr -d '\n ')" "<WeightOz>10.5</WeightOz>" "DAZzle: 3 x 3.5 oz is 10.5 oz exactly, in tenths of an ounce"
run oms-ship -q --carrier ups --service ground $big
is "$(sql "SELECT weight_g FROM shipments WHERE order_id = $big")" 891309 \
	"the shipment's weight: 1965 lb, 891309.007 g, rounded to the gram once (not 1310 x 680 g = 890800)"

done_testing
