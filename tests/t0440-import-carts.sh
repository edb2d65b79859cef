#!/bin/sh
# oms-import: real cart exports (tests/data/import/real, tests/data/woo/docs-*):
# lines without a SKU keyed by what the cart calls them and resolved through
# aliases, lines with nothing to ship, refunded and cancelled orders, orders
# with no shipping address, currencies beyond the usual, and a Shopify export
# that went through a spreadsheet.
. "$(dirname "$0")/lib.sh"

R=$TESTS_DIR/data/import/real
W=$TESTS_DIR/data/woo
printf 'sku,description,weight,bin,price\nFMATTBAMB120X60,Mattress,5kg,A-1,699.00\n18174,Night light,500g,A-2,519.00\nWRAP-1,Gift wrap,10g,A-3,49.00\nld4807,Whale,300g,A-4,259.00\nACV-1,Vinegar tablets,200g,B-1,\nBar3,Ship Your Idea,300g,B-2,12.00\nWOO-1,Woo Single,100g,B-3,3.00\n' >items.csv
oms-stock -q import items.csv
printf 'FMATTBAMB120X60 5\n18174 5\nWRAP-1 5\nACV-1 10\nBar3 5\nWOO-1 5\n' | oms-stock -q receive -

### Shopify, Bangladesh: BDT, products without SKUs.
run oms-import "$R/shopify-bd.csv"
expect 0 "1
2
3" "" "a BDT export whose products have no SKUs imports every order"
is "$(sql "SELECT currency, subtotal, discount, shipping, total FROM orders WHERE id = 3")" "BDT|200000|40000|10000|170000" \
	"in taka, to the poisha"
is "$(sql "SELECT line_no, quote(sku), item_key, unit_price FROM order_lines WHERE order_id = 3 ORDER BY line_no")" \
	"1|''|Female Solid Perfume|60000
2|''|Apple Cider Vinegar Effervescent - Buy 1 Get 1 FREE - Color-free|140000" \
	"each line keyed by its Lineitem name, the cart's price kept, no SKU yet"
is "$(sql "SELECT detail FROM events WHERE order_id = 1 AND what = 'no sku'")" \
	'line 1: shopify "Apple Cider Vinegar Effervescent - Buy 1 Get 1 FREE - Color-free" (map it: oms-stock alias shopify "Apple Cider Vinegar Effervescent - Buy 1 Get 1 FREE - Color-free" SKU)' \
	"the history says what the cart called it and how to map it"
run oms-db check
expect 0 "" "" "oms-db check: an unresolved line is no inconsistency"

# An alias set later gives the waiting lines their SKU.
run oms-stock alias shopify "Apple Cider Vinegar Effervescent - Buy 1 Get 1 FREE - Color-free" ACV-1
expect 0 "" "" "an alias for the key"
is "$(sql "SELECT group_concat(order_id || ':' || sku, ' ') FROM order_lines WHERE item_key LIKE 'Apple%'")" \
	"1:ACV-1 2:ACV-1 3:ACV-1" "every line waiting on it takes the SKU"
is "$(sql "SELECT count(*) FROM events WHERE what = 'sku from alias'")" 3 "each with an event"
is "$(sql "SELECT quote(sku) FROM order_lines WHERE order_id = 3 AND line_no = 1")" "''" "a line of another key still waits"

### Shopify, South Africa: tax in the prices, gift cards, refunds, no address.
run oms-import "$R/shopify-za.csv"
expect 0 "4
5
6
8
9
10" "oms-import: $R/shopify-za.csv:13: order #13544: no shipping address: added on hold (address); give it one with oms-order edit 10" \
	"a tax-inclusive store's export imports; the refunded order is not passed on; the one with nowhere to ship to is named"
is "$(sql "SELECT external_id, status, coalesce(hold_reason, '-'), tax, total FROM orders WHERE id >= 4 ORDER BY id")" \
	"#13519|new|-|0|78400
#13522|new|-|0|322700
#13540|new|-|0|98800
#13541|cancelled|-|0|57400
#13542|hold|manual|0|120900
#13543|new|-|0|50000
#13544|hold|address|0|25900" "statuses as the cart's say; the VAT is in the prices"
is "$(sql "SELECT detail FROM events WHERE order_id = 7 AND what = 'cancel'")" "refunded at shopify 2021-05-16 08:00:00 +0200" \
	"refunded at the cart: cancelled, and the history says when"
is "$(sql "SELECT sum(qty - cancelled) FROM order_lines WHERE order_id = 7")" 0 "every unit of it cancelled"
is "$(sql "SELECT detail FROM events WHERE order_id = 8 AND what = 'hold'")" \
	"partially refunded at shopify (335.00 refunded): cancel what was refunded (oms-order cancel), then release it" \
	"partly refunded: held for a person, with the amount"
is "$(sql "SELECT line_no, quote(sku), coalesce(item_key, '-'), needs_shipping FROM order_lines WHERE order_id = 6 ORDER BY line_no")" \
	"1|'18174'|-|1
2|''|Gift wrapping - Birthday|1
3|''|Gift Card - R300|0" "a line with a SKU keeps no key; a gift card needs no shipping"
is "$(sql "SELECT detail FROM events WHERE order_id = 6 AND what = 'no sku' ORDER BY id")" \
	'line 2: shopify "Gift wrapping - Birthday" (map it: oms-stock alias shopify "Gift wrapping - Birthday" SKU)
line 3: shopify "Gift Card - R300" (it needs no shipping, nor a sku)' "the history says which line waits for a SKU"
is "$(sql "SELECT ship_name, ship_line1, ship_city, bill_name FROM orders WHERE id = 9")" \
	"Megan Smith|12 Long Street|Cape Town|Megan Smith" "no shipping address: the billing address stands in"

# Through the pipeline.
printf '4\n6\n9\n' | oms-verify-addr -q | oms-auth -q >/dev/null 2>&1
run oms-backorder 4 6 9
expect 0 "4
9" "oms-backorder: order 6: line 2: no sku for shopify's \"Gift wrapping - Birthday\" (map it: oms-stock alias shopify \"Gift wrapping - Birthday\" SKU)" \
	"allocation holds the order with a line it cannot name; the gift card alone needs no stock"
is "$(sql "SELECT status, hold_reason FROM orders WHERE id = 6")" "hold|sku" "held: sku"
is "$(sql "SELECT status, (SELECT sum(allocated) FROM order_lines WHERE order_id = 9) FROM orders WHERE id = 9")" \
	"allocated|0" "an order of a gift card alone: allocated, nothing reserved"
run oms-stock alias shopify "Gift wrapping - Birthday" WRAP-1
expect 0 "" "" "the alias comes"
is "$(sql "SELECT status, coalesce(hold_reason, '-') FROM orders WHERE id = 6")" "authorized|-" \
	"every line that ships has a SKU now: the order goes back where it was held from"
run oms-backorder 6
expect 0 6 "" "and is allocated at the next run"
is "$(sql "SELECT line_no, allocated FROM order_lines WHERE order_id = 6 ORDER BY line_no")" "1|1
2|1
3|0" "the gift card is not reserved"
run oms-pick -q 6 9
expect 0 6 "oms-pick: order 9: nothing to pick: no line of it needs shipping" "nor picked; an order of a gift card alone has nothing to pick"
is "$(sql "SELECT group_concat(sku, ' ') FROM pick_lines WHERE order_id = 6")" "18174 WRAP-1" "the pick list has what ships"
run oms-ship -q --carrier ups --service ground 6
expect 0 6 "" "it ships"
is "$(sql "SELECT status FROM orders WHERE id = 6")" shipped "shipped: the gift card had nothing to ship"
is "$(sql "SELECT s.value, s.charge, o.total FROM shipments s, orders o WHERE o.id = 6 AND s.order_id = 6")" \
	"56800|98800|98800" "the shipment carries the goods; its charge, the gift card too: all of the total"
run oms-db check
expect 0 "" "" "oms-db check: all of it consistent"

run oms-order show 9
like "$(out)" "500.00  no sku: Gift Card - R500" "oms-order show describes a line without a SKU by its key"
run oms-order show --format json 9
like "$(out)" '"item_key": "Gift Card - R500"' "and gives the key in the document"

# Refunded at the cart after it was imported: named, not changed.
sed 's/^#13540,lerato@example.co.za,paid,/#13540,lerato@example.co.za,refunded,/' "$R/shopify-za.csv" >za-later.csv
run oms-import za-later.csv
expect 0 "4
5
8
9
10" "oms-import: za-later.csv:6: order #13540: refunded at shopify since it was imported (order 6, shipped): cancel it with oms-order cancel 6" \
	"an order refunded at the cart since it was imported is named, and left to a person"

### The same export through a spreadsheet.
run oms-import "$R/shopify-excel.csv"
expect 1 "4
11
12" "oms-import: $R/shopify-excel.csv:3: order #13522: Total is 3227.00, but the lines, discount, shipping and tax come to 649.91 (is a row of the order missing? a spreadsheet may have deleted it)
oms-import: $R/shopify-excel.csv:4: order #13545: Shipping Zip 2108 read as 02108 (a spreadsheet dropped its leading zero)
oms-import: $R/shopify-excel.csv:4: order #13545: Billing Zip 2108 read as 02108 (a spreadsheet dropped its leading zero)" \
	"CRLF, TRUE/FALSE and 699 for 699.00 read as the cart wrote them; deleted rows and lost zeros explained by order"
sed -n '1p; /^#13522,/p' "$R/shopify-za.csv" | sed '2d' >firstgone.csv
run oms-import firstgone.csv
expect 1 "" "oms-import: firstgone.csv:2: order #13522: no Financial Status: the order's first row is missing (a spreadsheet may have deleted it)" \
	"an order whose first row was deleted is explained"
printf '%s\r\n' "$(head -1 "$R/shopify-excel.csv" | tr -d '\r')" >cp1252.csv
sed -n 2p "$R/shopify-excel.csv" | sed 's/^#13519,/#93519,/; s/Thandi/Thand\xefe/g' >>cp1252.csv
run oms-import cp1252.csv
expect 1 "" 'oms-import: cp1252.csv:2: order #93519: not valid UTF-8 (or a NUL byte); saved by a spreadsheet? save it as "CSV UTF-8"' \
	"a spreadsheet's Windows-1252 is refused with the way out"
is "$(sql "SELECT ship_postal_code FROM orders WHERE id IN (11, 12) ORDER BY id")" "02108
6270" "a Massachusetts ZIP gets its zero back; an Illinois one is left for address verification"

### WooCommerce: the documented order, refunds.
run oms-import "$W/docs-order.json"
expect 0 13 "" "WooCommerce's documented order imports"
is "$(sql "SELECT line_no, quote(sku), coalesce(item_key, '-'), qty, unit_price FROM order_lines WHERE order_id = 13 ORDER BY line_no")" \
	"1|''|93|2|300
2|'Bar3'|-|1|1200" "its SKU-less line keyed by its product_id"
printf 'source,key,sku\nwoocommerce,93,WOO-1\n' >aliases.csv
run oms-stock -q alias import aliases.csv
expect 0 "" "" "aliases from a file"
is "$(sql "SELECT sku FROM order_lines WHERE order_id = 13 AND line_no = 1")" WOO-1 "resolve waiting lines too"
run oms-import "$W/docs-refunds.json"
expect 0 14 "" "refunded in part: imported and held; refunded whole: cancelled, not passed on"
is "$(sql "SELECT external_id, status, coalesce(hold_reason, '-') FROM orders WHERE id IN (14, 15) ORDER BY id")" \
	"728|hold|manual
730|cancelled|-" "as the store's refunds say"
is "$(sql "SELECT sku FROM order_lines WHERE order_id = 14 AND line_no = 1")" WOO-1 \
	"an alias known at import resolves the line at once"
is "$(sql "SELECT detail FROM events WHERE order_id = 14 AND what = 'sku from alias'")" \
	'line 1: woocommerce "93" is WOO-1 (alias)' "and says so"
run oms-db check
expect 0 "" "" "oms-db check: still consistent"

### Amazon's All Orders Report: order-status, item-status, asin, no street.
run oms-import -v "$R/amazon-all-orders.txt"
expect 0 "16
17" "oms-import: $R/amazon-all-orders.txt:2: order 113-0000001-0000001: no shipping address: added on hold (address); give it one with oms-order edit 16
oms-import: $R/amazon-all-orders.txt:3: order 113-0000002-0000002: every item of it was cancelled at the source: nothing to import
oms-import: $R/amazon-all-orders.txt:4: order 113-0000003-0000003: no shipping address: added on hold (address); give it one with oms-order edit 17
oms-import: 2 added, 0 already there, 0 rejected" \
	"a report without streets: held for address, named; an order cancelled before anything was bought is passed over"
is "$(sql "SELECT line_no, quote(sku), coalesce(item_key, '-'), qty, cancelled, unit_price FROM order_lines WHERE order_id = 17 ORDER BY line_no")" \
	"1|''|B000000001|1|0|999
2|'B2'|-|1|1|0" "a row without a SKU keyed by its ASIN; a cancelled item, cancelled"
run oms-db check
expect 0 "" "" "oms-db check: consistent"

# An order imported before oms read Lineitem requires shipping hashed as one
# whose lines all ship; the same export again is the same order.
sed -n '1p; /^#13542,/p' "$R/shopify-za.csv" | sed 's/^#13542,/#93542,/' >ships.csv
run oms-import ships.csv
expect 0 18 "" "an order of lines that ship"
sed 's/,20054,true,/,20054,false,/' ships.csv >noship.csv
run oms-import noship.csv
expect 0 18 "" "the same export saying a line needs no shipping: the same order, not other content"
sed 's/sipho@example.co.za/sipho@example.org/g' noship.csv >changed.csv
run oms-import changed.csv
expect 1 "" "oms-import: changed.csv:2: order #93542 from shopify was imported before with other content (order 18); left as it was" \
	"other content is still other content"

# oms's own CSV says the same with item_key and needs_shipping.
printf 'order_id,ship_name,ship_line1,ship_city,payment_method,sku,item_key,needs_shipping,qty,price\nC-1,A,B,C,invoice,,Gift box,false,1,5.00\nC-1,,,,,WRAP-1,,,1,\n' >own.csv
run oms-import own.csv
expect 0 19 "" "oms's CSV: item_key and needs_shipping columns"
is "$(sql "SELECT quote(sku), coalesce(item_key, '-'), needs_shipping FROM order_lines WHERE order_id = 19 ORDER BY line_no")" \
	"''|Gift box|0
'WRAP-1'|-|1" "as a cart's"

### Aliases from the catalog's own file.
printf 'sku,description,price,alias:shopify,alias:amazon\nPERF-1,Solid perfume,6.00,Female Solid Perfume,\nW-1,Widget,9.99,,B000000001\n' >more.csv
run oms-stock -q import more.csv
expect 0 "" "" "oms-stock import: alias:SOURCE columns"
is "$(sql "SELECT group_concat(order_id || ':' || line_no || ':' || sku, ' ') FROM order_lines WHERE item_key IN ('Female Solid Perfume', 'B000000001')")" \
	"3:1:PERF-1 17:1:W-1" "set aliases, and the lines waiting on them take their SKUs"
printf 'sku,alias:\nX-1,x\n' >badalias.csv
run oms-stock import badalias.csv
expect 1 "" 'oms-stock: badalias.csv:1: column "alias:": at most 16 alias columns, each alias:SOURCE with a source of 1 to 64 characters' \
	"an alias column without a source"

### Shopify orders the store marked fulfilled: shipped outside oms, or by oms and confirmed.
fresh_db
catalog
fulfil() { sed "s/^\\($1,[^,]*,[^,]*,[^,]*,\\)[^,]*,[^,]*,/\\1fulfilled,$2,/" "$3"; }
fulfil '#1003' '2026-11-03 09:00:00 -0500' "$TESTS_DIR/data/import/shopify.csv" >fulfilled.csv
run oms-import fulfilled.csv
expect 0 "1
2
3" "" "an export with an order fulfilled at the store imports it"
is "$(sql "SELECT status, hold_reason FROM orders WHERE id = 3")" "hold|manual" \
	"held for a person: it may have shipped already, and must not ship twice"
is "$(sql "SELECT detail FROM events WHERE order_id = 3 AND what = 'hold'")" \
	"fulfilled at shopify 2026-11-03 09:00:00 -0500: it shipped outside oms: cancel it (oms-order cancel), or release it if it is still to ship" \
	"the hold says when the store fulfilled it and what to do"
fulfil '#1002' '2026-11-04 09:00:00 -0500' fulfilled.csv >fulfilled2.csv
run oms-import fulfilled2.csv
expect 0 1 "oms-import: fulfilled2.csv:5: order #1002: fulfilled at shopify 2026-11-04 09:00:00 -0500 since it was imported (order 2, new): if it shipped from elsewhere, cancel it with oms-order cancel 2" \
	"one fulfilled at the store since oms imported it is named, with the command, and not passed on"
is "$(sql "SELECT status FROM orders WHERE id = 2")" new "and left as it is"
oms-verify-addr -q 1 >/dev/null; oms-auth -q 1 >/dev/null
printf 'A1 10\nB2 10\n' | oms-stock -q receive -
oms-backorder -q 1 >/dev/null; oms-pick -q 1 >/dev/null
oms-ship -q --carrier ups --service ground 1 >/dev/null
fulfil '#1001' '2026-11-05 09:00:00 -0500' fulfilled2.csv >fulfilled3.csv
run oms-import fulfilled3.csv
is "$(err | grep -c '#1001')" 0 "one oms shipped, fulfilled at the store by its confirmation, is no news"
sed 's/^#1003,/#1004,/; s/^\(#1004,[^,]*,[^,]*,[^,]*,\)fulfilled,/\1partial,/' fulfilled.csv >partial.csv
run oms-import partial.csv
id=$(sql "SELECT id FROM orders WHERE external_id = '#1004'")
is "$(sql "SELECT status || '|' || hold_reason FROM orders WHERE id = $id")" "hold|manual" "one partly fulfilled at the store is held too"
is "$(sql "SELECT detail FROM events WHERE order_id = $id AND what = 'hold'")" \
	"partly fulfilled at shopify 2026-11-03 09:00:00 -0500: cancel what shipped outside oms (oms-order cancel --line), then release it" \
	"and the hold says what to do with the part that shipped"

### Items that never ship, by the catalog: WooCommerce's virtual and downloadable
### products, whose orders do not say so.
fresh_db
printf 'sku,description,price,ships\nWOO-1,Woo Single (download),3.00,no\nBar3,Ship Your Idea,12.00,yes\n' >virtual.csv
run oms-stock import virtual.csv
expect 0 "" "virtual.csv: 2 items" "the catalog's ships column"
is "$(sql "SELECT sku, ships FROM items ORDER BY sku")" "Bar3|1
WOO-1|0" "says which items never ship"
printf 'sku,ships\nBar3,maybe\n' >badships.csv
run oms-stock import badships.csv
expect 1 "" 'oms-stock: badships.csv:2: ships "maybe" is not yes or no (true, false, 1, 0)' "a ships cell that is neither"
printf 'Bar3 5\n' | oms-stock -q receive -
run oms-import "$W/docs-order.json"
expect 0 1 "" "the documented order, its SKU-less line not yet mapped"
oms-stock -q alias woocommerce 93 WOO-1
is "$(sql "SELECT line_no, sku, needs_shipping FROM order_lines WHERE order_id = 1 ORDER BY line_no")" "1|WOO-1|0
2|Bar3|1" "mapped to an item that never ships, the line needs no shipping"
run oms-import "$W/docs-refunds.json"
is "$(sql "SELECT sku, needs_shipping FROM order_lines WHERE order_id = 2 AND line_no = 1")" "WOO-1|0" \
	"nor does one that names it at import"
oms-verify-addr -q 1 >/dev/null; oms-auth -q 1 >/dev/null
run oms-backorder 1
expect 0 1 "" "allocated: the download needs no stock"
is "$(sql "SELECT count(*) FROM stock WHERE sku = 'WOO-1'")" 0 "and none is reserved for it"
is "$(sql "SELECT allocated FROM order_lines WHERE order_id = 1 AND sku = 'Bar3'")" 1 "the goods are"

done_testing
