#!/bin/sh
# Carrier files for a package going abroad: the catalog's HS codes,
# countries of origin and customs descriptions, the goods' value, each
# carrier's form of the country (DAZzle by name), a USPS class abroad as
# its international class; text in the ASCII the carriers' software takes,
# and an address it cannot carry refused.
. "$(dirname "$0")/lib.sh"

run oms-stock import "$DATA/carrier/catalog-customs.csv"
expect 0 "" "$DATA/carrier/catalog-customs.csv: 3 items" "a catalog with customs columns"
is "$(sql "SELECT sku, hs_code, origin_country, customs_description FROM items ORDER BY sku")" \
	"BOOK-3|||
MUG-1|691200|PT|Ceramic mug
TEE-2|6109100012|PT|Cotton T-shirt, café" \
	"HS codes as their digits, origins as ISO codes (Portugal is PT), descriptions as written"
printf 'MUG-1 50\nTEE-2 50\nBOOK-3 50\n' | oms-stock -q receive -
cat >oms.yaml <<'EOF'
ship:
  from: {company: "Demo Fulfilment", line1: "100 Dock Rd", city: Reno, region: NV,
         postal_code: "89502", country: US}
  methods:
    - {match: "International Economy", carrier: usps, service: priority}
    - {match: "International Express", carrier: ups, service: worldwide_saver}
    - {match: "International Priority", carrier: fedex, service: international_priority}
EOF
# abroad METHOD CITY: an order to Spain of 2 mugs and a tee, picking; prints its ID.
abroad() {
	printf 'external_id: W-%s\nship_to: {name: "José Muñoz", line1: "Calle Mayor 1", city: "%s", region: GR, postal_code: "18690", country: ES}\nship_method: "%s"\npayment: {method: prepaid}\nlines: [{sku: MUG-1, qty: 2}, {sku: TEE-2, qty: 1}]\n' \
		"$3" "$2" "$1" | oms-add | oms-verify-addr | oms-auth -q | oms-backorder | oms-pick -q
}
usps=$(abroad "International Economy" "Almuñécar" 1)
ups=$(abroad "International Express" "Almuñécar" 2)
fedex=$(abroad "International Priority" "Almuñécar" 3)
is "$(sql "SELECT std_city FROM orders WHERE id = $usps")" "ALMUÑÉCAR" "the city standardized in capitals, accents and all"

run oms-ship export --format endicia $usps
is "$rc" 0 "DAZzle: an order to Spain"
out | sed "s/ID=\"$usps\"/ID=\"1\"/; s/>$usps</>1</" >got.xml
if cmp -s got.xml "$DATA/carrier/dazzle-abroad.xml"; then
	ok "the DAZzle package: Priority Mail International, Spain by name, a customs line per kind of goods, in ASCII"
else
	not_ok "the DAZzle package: Priority Mail International, Spain by name, a customs line per kind of goods, in ASCII"
	diff "$DATA/carrier/dazzle-abroad.xml" got.xml | sed 's/^/# /'
fi

run oms-ship export --format worldship $ups
is "$rc" 0 "WorldShip: the same order by UPS Worldwide Saver"
out | sed "s/>$ups</>2</" >got.xml
if cmp -s got.xml "$DATA/carrier/worldship-abroad.xml"; then
	ok "the OpenShipment: SV, ES, the invoice's currency and a Goods per line with tariff code and origin"
else
	not_ok "the OpenShipment: SV, ES, the invoice's currency and a Goods per line with tariff code and origin"
	diff "$DATA/carrier/worldship-abroad.xml" got.xml | sed 's/^/# /'
fi

run oms-ship export --format fedex $fedex
is "$rc" 0 "Ship Manager: by FedEx International Priority"
is "$(out | sed -n 2p | tr -d '\r')" \
	"Jose Munoz,,Calle Mayor 1,,ALMUNECAR,GR,18690,ES,,,01,3.4,$fedex,W-3,39.00,USD,Ceramic mug,2,12.00,691200,PT,\"Cotton T-shirt, cafe\",1,15.00,6109100012,PT,,,,,,,,,,,,,,," \
	"the row: FedEx's 01 abroad, the customs value and currency, a commodity per line"

# A domestic service's class abroad, and one that has none.
printf '    - {match: "Media", carrier: usps, service: media}\n' >>oms.yaml
media=$(abroad "Media" "Granada" 4)
run oms-ship export --format endicia $media
expect 1 "" "oms-ship: order $media: ship method \"Media\" maps to usps media, but usps media does not go abroad (to ES): map it to another service in ship.methods in oms.yaml" \
	"Media Mail does not go abroad: refused"

# More kinds of goods than the customs lines of DAZzle's form.
printf 'sku,description,weight,price\nK1,One,1oz,1.00\nK2,Two,1oz,1.00\nK3,Three,1oz,1.00\nK4,Four,1oz,1.00\nK5,Five,1oz,1.00\nK6,Six,1oz,1.00\n' >six.csv
oms-stock -q import six.csv
printf 'K1 9\nK2 9\nK3 9\nK4 9\nK5 9\nK6 9\n' | oms-stock -q receive -
six=$(printf 'ship_to: {name: "Ana Ruiz", line1: "Calle Mayor 2", city: Granada, postal_code: "18001", country: ES}\nship_method: "International Economy"\npayment: {method: prepaid}\nlines: [{sku: K1, qty: 1}, {sku: K2, qty: 1}, {sku: K3, qty: 1}, {sku: K4, qty: 1}, {sku: K5, qty: 1}, {sku: K6, qty: 1}]\n' |
	oms-add | oms-verify-addr | oms-auth -q | oms-backorder | oms-pick -q)
run oms-ship export --format endicia $six
expect 1 "" "oms-ship: order $six: 6 kinds of goods abroad, and a DAZzle file declares 5: split it, or ship it by hand" \
	"six kinds of goods abroad: refused for DAZzle rather than declared in part"

# Letters the carriers' software cannot take.
moscow=$(printf 'ship_to: {name: "Ivan Petrov", line1: "Tverskaya 1", city: "Москва", postal_code: "125009", country: RU}\nship_method: "International Economy"\npayment: {method: prepaid}\nlines: [{sku: BOOK-3, qty: 1}]\n' |
	oms-add | oms-verify-addr | oms-auth -q | oms-backorder | oms-pick -q)
is "$(sql "SELECT std_city FROM orders WHERE id = $moscow")" "МОСКВА" "a Cyrillic city in capitals"
run oms-ship export --format endicia $moscow
expect 1 "" "oms-ship: order $moscow: city \"МОСКВА\" has letters usps's software cannot take (it takes ASCII, and oms writes Latin letters so): write it in Latin letters" \
	"a city in Cyrillic is refused for DAZzle, not written as question marks"
run oms-ship export --format csv $moscow
expect 0 "order_id,carrier,service,tracking,weight,cost
$moscow,usps,priority,,1.50lb," "" "oms's own sheet is UTF-8: it takes the order"

done_testing
