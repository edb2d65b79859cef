#!/bin/sh
# oms-stock alias (and xref): what carts and trading partners call our items.
. "$(dirname "$0")/lib.sh"

printf 'sku,description\nMUG-BL-L,Blue mug\nTEE-S,Tee\n' >items.csv
oms-stock -q import items.csv

run oms-stock alias shopify "Blue Mug - Large" MUG-BL-L
expect 0 "" "" "alias maps a cart's key to a SKU"
run oms-stock xref 5551234567 "ACME-4711" TEE-S
expect 0 "" "" "xref is the same command, in the trading partners' word"
is "$(sql "SELECT source, key, sku FROM item_aliases ORDER BY source")" '5551234567|ACME-4711|TEE-S
shopify|Blue Mug - Large|MUG-BL-L' "both are kept in the database"

run oms-stock alias shopify "Blue Mug - Large" TEE-S
expect 0 "" "" "setting a key again replaces its SKU"
is "$(sql "SELECT sku FROM item_aliases WHERE source = 'shopify'")" TEE-S "the key now maps to the new SKU"

run oms-stock alias shopify "Red Mug" NOPE
expect 1 "" "oms-stock: NOPE: no such sku in the catalog (oms-stock import adds it)" \
	"a SKU not in the catalog is refused"
run oms-stock alias "two words" k TEE-S
expect 2 "" "oms-stock: alias: the source must be 1 to 64 characters with no blanks" \
	"a source with a blank is refused"

run oms-stock alias --format csv shopify
expect 0 "source,key,sku,updated_at
shopify,Blue Mug - Large,TEE-S,$(sql "SELECT updated_at FROM item_aliases WHERE source = 'shopify'")" "" \
	"alias SOURCE lists that source's aliases"
run oms-stock alias
like "$(out)" '^SOURCE +KEY +SKU +UPDATED_AT' "alias alone lists every alias, with a header"
is "$(out | wc -l)" 3 "one line per alias"

printf 'sku,key,source\nMUG-BL-L,12/0,woo\nTEE-S,B00EXAMPLE,amazon\n' >aliases.csv
run oms-stock alias import aliases.csv
expect 0 "" "aliases.csv: 2 aliases" "alias import reads source, key and sku columns in any order"
is "$(sql "SELECT sku FROM item_aliases WHERE source = 'woo' AND key = '12/0'")" MUG-BL-L \
	"an imported alias is kept"

before=$(sql "SELECT * FROM item_aliases ORDER BY source, key")
printf 'source,key,sku\nwoo,13/0,TEE-S\nwoo,14/0,GONE\n' >bad.csv
run oms-stock alias import bad.csv
expect 1 "" "oms-stock: bad.csv:3: GONE: no such sku in the catalog (oms-stock import adds it)" \
	"a file with an unknown SKU names its line"
is "$(sql "SELECT * FROM item_aliases ORDER BY source, key")" "$before" "and sets none of its rows"
printf 'source,key\nwoo,13/0\n' >bad.csv
run oms-stock alias import bad.csv
expect 1 "" "oms-stock: bad.csv:1: no sku column" "a file without a sku column is refused"
printf 'source,key,sku,colour\n' >bad.csv
run oms-stock alias import bad.csv
expect 1 "" 'oms-stock: bad.csv:1: unknown column "colour" (expected source, key, sku)' \
	"an unknown column is refused"

run oms-stock alias --remove woo 12/0
expect 0 "" "" "--remove removes a mapping"
is "$(sql "SELECT count(*) FROM item_aliases WHERE source = 'woo'")" 0 "it is gone"
run oms-stock alias --remove woo 12/0
expect 1 "" "oms-stock: woo: 12/0: no such alias" "removing what is not there is an error"
run oms-stock alias a b
is "$rc" 2 "two operands are no form of alias"
like "$(err)" "expected SOURCE KEY SKU" "and the message lists the forms"
run oms-stock show --remove
is "$rc" 2 "--remove belongs to alias only"

done_testing
