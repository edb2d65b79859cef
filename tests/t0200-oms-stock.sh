#!/bin/sh
# oms-stock: the catalog and stock, and the ledger that always sums to it.
. "$(dirname "$0")/lib.sh"

printf '\357\273\277sku,description,weight,bin,price\r\nA1,Widget,1.5,A-01-01,9.99\r\nB2,"Gadget, big",24oz,A-02-10,19.50\r\n"C3","=HYPERLINK(""x"")",100g,B-01-02,\r\n\r\n' >items.csv
run oms-stock import items.csv
expect 0 "" "items.csv: 3 items" "a catalog with a BOM, CRLF, quotes and a blank line imports"
is "$(sql "SELECT sku, description, weight_pg, bin, price FROM items ORDER BY sku")" 'A1|Widget|680388555000000|A-01-01|999
B2|Gadget, big|680388555000000|A-02-10|1950
C3|=HYPERLINK("x")|100000000000000|B-01-02|' "items are stored exactly (picograms, minor units, no price)"

printf 'price,sku\n10.00,A1\n' >update.csv
run oms-stock -q import update.csv
expect 0 "" "" "an import updates by SKU (-q: no count)"
is "$(sql "SELECT description, weight_pg, bin, price FROM items WHERE sku = 'A1'")" "Widget|680388555000000|A-01-01|1000" \
	"columns the file lacks keep their values"

# Units per case, for trading partners that order by the case (oms-import -f x12).
printf 'sku,units_per_case\nA1,12\nB2,\n' >cases.csv
run oms-stock -q import cases.csv
expect 0 "" "" "a catalog may say how many eaches a case holds"
is "$(sql "SELECT sku, coalesce(units_per_case, '-'), price FROM items WHERE sku IN ('A1', 'B2') ORDER BY sku")" "A1|12|1000
B2|-|1950" "kept per SKU (blank: none), other columns as they were"
run oms-stock -q import update.csv
is "$(sql "SELECT units_per_case FROM items WHERE sku = 'A1'")" 12 "a file without the column keeps it"

# Bad catalogs: exit 1, the file and line named, nothing changed.
before=$(sql "SELECT * FROM items ORDER BY sku")
badcsv() {
	printf "$1" >bad.csv
	run oms-stock import bad.csv
	expect 1 "" "$2" "$3"
	is "$(sql "SELECT * FROM items ORDER BY sku")" "$before" "$3: the catalog is unchanged"
}
badcsv 'sku,colour\nA1,red\n' 'oms-stock: bad.csv:1: unknown column "colour" (expected sku, description, weight, bin, price, hs_code, origin, customs_description, units_per_case, ships)' "an unknown column"
badcsv 'description\nthing\n' 'oms-stock: bad.csv:1: no sku column' "no sku column"
badcsv 'sku,price\nZ1,1.00\nZ2,abc\n' 'oms-stock: bad.csv:3: price "abc" is not an amount in USD' "a bad price (the good row before it is not kept)"
badcsv 'sku,price\nZ1,1.999\n' 'oms-stock: bad.csv:2: price "1.999" is not an amount in USD' "too many decimals"
badcsv 'sku,units_per_case\nZ1,0\n' 'oms-stock: bad.csv:2: units_per_case "0" is not a whole number from 1 to 100000' "no eaches in a case"
badcsv 'sku,units_per_case\nZ1,1.5\n' 'oms-stock: bad.csv:2: units_per_case "1.5" is not a whole number from 1 to 100000' "half a case"
badcsv 'sku,weight\nZ1,heavy\n' 'oms-stock: bad.csv:2: weight "heavy" is not a weight (1.5, 1.5lb, 24oz, 680g, 0.68kg)' "a bad weight"
badcsv 'sku,description\nZ1,"unterminated\nZ2,x\n' 'oms-stock: bad.csv:2: unterminated quoted field' "an unterminated quote"
badcsv 'sku,description\nZ1,a"b\n' 'oms-stock: bad.csv:2: a quote inside an unquoted field' "a stray quote"
badcsv 'sku,description\nZ1,"multi\nline"\nZ1,again\n' 'oms-stock: bad.csv:4: sku "Z1" is given twice in this file' "a SKU twice (line counted across an embedded newline)"
badcsv 'sku,description\nZ1,\377\n' 'oms-stock: bad.csv:2: not valid UTF-8 (or a NUL byte)' "invalid UTF-8"
badcsv 'sku\nhas space\n' 'oms-stock: bad.csv:2: sku "has space" must be 1 to 64 characters with no blanks' "a SKU with a blank"
badcsv 'sku,price\nZ1,1.00,extra\n' 'oms-stock: bad.csv:2: 3 fields, the header has 2' "a row longer than the header"
badcsv 'sku,price\nZ1\n' 'oms-stock: bad.csv:2: 1 fields, the header has 2' "a row shorter than the header"
badcsv '\n\nsku,colour\n' 'oms-stock: bad.csv:3: unknown column "colour" (expected sku, description, weight, bin, price, hs_code, origin, customs_description, units_per_case, ships)' "the header's line is named when blank lines come first"
badcsv '' 'oms-stock: bad.csv: empty file: expected a header (sku,description,weight,bin,price)' "an empty file"
run oms-stock import nonexistent.csv
expect 1 "" "oms-stock: nonexistent.csv: No such file or directory" "a missing file"

run oms-stock receive A1 10 --ref PO-77
expect 0 "" "" "receive adds stock"
run oms-stock receive B2 4
run oms-stock adjust A1 -3 --reason "dropped a box"
expect 0 "" "" "adjust takes a negative change"
run oms-stock adjust A1 +1 --reason found
expect 0 "" "" "and a positive one"
run oms-stock count B2 6 --reason "cycle count"
expect 0 "" "" "count sets on hand"
run oms-stock show
expect 0 "SKU  ON_HAND  RESERVED  AVAILABLE  BIN
A1         8         0          8  A-01-01
B2         6         0          6  A-02-10
C3         0         0          0  B-01-02" "" "show lists every item aligned"
run oms-stock show --format json B2
expect 0 '[
{"sku":"B2","on_hand":6,"reserved":0,"available":6,"bin":"A-02-10"}
]' "" "show --format json has the keys sku, on_hand, reserved, available, bin"
run oms-stock moves --format csv A1
expect 0 "id,at,kind,on_hand,reserved,on_hand_after,reserved_after,ref,reason,user,tool
$(sql "SELECT id || ',' || at || ',receive,10,0,10,0,PO-77,,tester,oms-stock' FROM stock_moves WHERE id = 1")
$(sql "SELECT id || ',' || at || ',adjust,-3,0,7,0,,dropped a box,tester,oms-stock' FROM stock_moves WHERE id = 3")
$(sql "SELECT id || ',' || at || ',adjust,1,0,8,0,,found,tester,oms-stock' FROM stock_moves WHERE id = 4")" "" \
	"moves lists the ledger with running totals"
is "$(sql "SELECT d_on_hand, reason FROM stock_moves WHERE kind = 'count'")" "2|cycle count" "a count records the difference"
is "$(sql "SELECT count(*) FROM stock s WHERE on_hand != (SELECT sum(d_on_hand) FROM stock_moves m WHERE m.sku = s.sku)")" 0 \
	"the ledger sums to on hand for every SKU"

run oms-stock show --format csv C3
expect 0 "sku,on_hand,reserved,available,bin
C3,0,0,0,B-01-02" "" "csv has a header row"
sql "UPDATE items SET bin = '=cmd|x' WHERE sku = 'C3'"
run oms-stock show --format csv C3
expect 0 "sku,on_hand,reserved,available,bin
C3,0,0,0,\"'=cmd|x\"" "" "a cell a spreadsheet would run as a formula is escaped"
run oms-stock show --format tsv C3
expect 0 "sku	on_hand	reserved	available	bin
C3	0	0	0	'=cmd|x" "" "in tsv too"

run oms-stock adjust A1 -9 --reason oops
expect 1 "" "oms-stock: A1: adjust -9 refused: only 8 on hand" "stock never goes below zero"
run oms-stock count A1 -1
expect 2 "" 'oms-stock: count: "-1" is not a whole number' "a negative count is a usage error"
run oms-stock adjust A1 -2
expect 2 "" "oms-stock: adjust: --reason is required: the ledger says why stock changed" "adjust needs a reason"
run oms-stock adjust A1 0 --reason x
expect 2 "" "oms-stock: adjust: a change of 0 changes nothing" "a zero adjustment is refused"
run oms-stock receive A1 0
expect 2 "" "oms-stock: receive: the quantity must be at least 1" "receiving nothing is refused"
run oms-stock receive A1 -4
expect 2 "" 'oms-stock: receive: "-4" is not a whole number' "receiving a negative is refused"
run oms-stock receive A1 2x
expect 2 "" 'oms-stock: receive: "2x" is not a whole number' "a quantity must be a number"
run oms-stock receive NOPE 1
expect 1 "" "oms-stock: NOPE: no such sku in the catalog (oms-stock import adds it)" "an unknown SKU"
run oms-stock receive A1
is "$rc" 2 "a missing operand is a usage error"
run oms-stock frobnicate
is "$rc" 2 "an unknown command is a usage error"
like "$(err)" '^oms-stock: frobnicate: unknown command \(commands: import, receive' "and says which, and what the commands are"
run oms-stock show NOPE A1
is "$rc" 1 "show of an unknown SKU is status 1"
is "$(err)" "oms-stock: NOPE: no such sku in the catalog" "and names it"
is "$(out)" "SKU  ON_HAND  RESERVED  AVAILABLE  BIN
A1         8         0          8  A-01-01" "while the known ones are shown"
run oms-stock moves NOPE
expect 1 "" "oms-stock: NOPE: no such sku in the catalog (oms-stock import adds it)" "moves of an unknown SKU"

# Reserved stock cannot be adjusted or counted away.
sql "INSERT INTO stock_moves (at, sku, kind, d_on_hand, d_reserved, tool, user) VALUES ('t', 'A1', 'reserve', 0, 5, 't', 't'); $STOCK_FROM_LEDGER"
run oms-stock adjust A1 -4 --reason shrink
expect 1 "" "oms-stock: A1: adjust -4 refused: 5 of the 8 on hand are reserved for orders" "reserved stock cannot be adjusted away"
run oms-stock count A1 4
expect 1 "" "oms-stock: A1: count -4 refused: 5 of the 8 on hand are reserved for orders" "nor counted away"
is "$(sql "SELECT on_hand, reserved FROM stock WHERE sku = 'A1'")" "8|5" "stock is as it was"

run oms-stock receive A1 1 --ref -12
is "$(sql "SELECT ref FROM stock_moves ORDER BY id DESC LIMIT 1")" "-12" "an option's value that looks like a negative number stays as written"
run oms-stock adjust A1 -1 --reason -1
is "$(sql "SELECT d_on_hand, reason FROM stock_moves ORDER BY id DESC LIMIT 1")" "-1|-1" "a negative change and a reason that looks like one"

printf '# delivery PO-9\nA1 2\n\nB2 3\n' >delivery.txt
before=$(sql "SELECT group_concat(on_hand) FROM (SELECT on_hand FROM stock ORDER BY sku)")
run_in delivery.txt oms-stock receive - --ref PO-9
expect 0 "" "stdin: 2 receipts" "receive - takes a whole delivery from stdin"
is "$(sql "SELECT count(*) FROM stock_moves WHERE ref = 'PO-9' AND kind = 'receive'")" 2 "each line a ledger row with the reference"
printf 'A1 1\nNOPE 1\n' >bad-delivery.txt
run_in bad-delivery.txt oms-stock receive -
expect 1 "" "oms-stock: NOPE: no such sku in the catalog (oms-stock import adds it)" "a delivery with an unknown SKU"
printf 'A1 x\n' >bad-delivery.txt
run_in bad-delivery.txt oms-stock receive -
expect 1 "" "oms-stock: stdin:1: expected SKU and a quantity of at least 1" "a delivery with a bad quantity"
is "$(sql "SELECT count(*) FROM stock_moves WHERE ref IS NULL AND kind = 'receive' AND id > (SELECT max(id) FROM stock_moves WHERE ref = 'PO-9')")" 0 \
	"a bad delivery receives nothing at all"

run oms-stock -h
is "$rc" 0 "-h is not an error"
like "$(out)" '^usage: oms-stock ' "and prints the usage on stdout"

done_testing
