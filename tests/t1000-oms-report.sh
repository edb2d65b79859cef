#!/bin/sh
# oms-report: every report against golden files over a fixed dataset built
# by the tools themselves; money per currency; periods in a time zone; the
# edges of --since and --until; an empty database; bad options.
#
# The golden files are tests/data/report/*.{txt,csv,json}.  After a change
# meant to change a report, rewrite them with
#   OMS_GOLDEN_UPDATE=1 prove tests/t1000-oms-report.sh
# and read the diff before committing it.
. "$(dirname "$0")/lib.sh"

R=$DATA/report
# A report that ran away would fill the disk: no file of this test grows past 50 MB.
ulimit -f 100000
# Ages and "now" as of a fixed instant: the golden files do not age.
export OMS_NOW=2026-11-30T12:00:00Z
unset TZ COLUMNS

# ---------------------------------------------------------------------------
# The dataset: a catalog in USD and an item in EUR, orders in both
# currencies taken through the pipeline, times fixed after the tools ran.

# id EXTERNAL_ID prints an order's ID.
id() {
	sql "SELECT id FROM orders WHERE external_id = '$1'"
}

# step DESCRIPTION CMD ARG...: a step of the build that must succeed.
step() {
	local what=$1
	shift
	"$@" >"$SCRATCH/step.out" 2>"$SCRATCH/step.err" </dev/null ||
		echo "Bail out! building the dataset: $what: $(cat "$SCRATCH/step.err")"
}

# ship ORDER AT CARRIER SERVICE TRACKING WEIGHT_G COST SKU...: ships the
# picked units of the SKUs named with oms-ship (which captures card orders
# for what shipped), then sets the shipment's and its capture's time to AT.
ship() {
	local o=$1 at=$2 carrier=$3 service=$4 tracking=$5 weight=$6 cost=$7 sku lines=
	shift 7
	for sku in "$@"; do
		lines="$lines --line $sku:$(sql "SELECT sum(picked) FROM order_lines WHERE order_id = $o AND sku = '$sku'")"
	done
	# shellcheck disable=SC2086
	oms-ship -q --carrier "$carrier" --service "$service" --tracking "$tracking" \
		--weight "${weight}g" ${cost:+--cost "$cost"} $lines "$o" >/dev/null ||
		echo "Bail out! building the dataset: shipping order $o failed"
	sql "UPDATE shipments SET shipped_at = '$at' WHERE id = (SELECT max(id) FROM shipments)"
	sql "UPDATE payments SET created_at = '$at', updated_at = '$at' WHERE id = (SELECT max(id)
	  FROM payments WHERE order_id = $o AND kind = 'capture')"
}

# paid_at ORDER KIND AT: the time of an order's latest payment of a kind.
paid_at() {
	sql "UPDATE payments SET created_at = '$3', updated_at = '$3' WHERE id =
	  (SELECT max(id) FROM payments WHERE order_id = $1 AND kind = '$2')"
}

step "catalog" oms-stock import "$R/input/catalog.csv"
printf 'currency: EUR\n' >eur.yaml
step "EUR catalog" oms-stock -c eur.yaml import "$R/input/catalog-eur.csv"
printf 'A1 20\nB2 2\nC3 10\nD4 5\nE5 10\n' >receipt.txt
step "receipt" sh -c 'oms-stock -q receive - --ref PO-1 <receipt.txt'
step "import" oms-import "$R/input/orders.csv"
step "verify" oms-verify-addr -a
step "authorize" oms-auth -q -a
r1001=$(id R-1001) r1002=$(id R-1002) r1003=$(id R-1003) r1004=$(id R-1004)
r1005=$(id R-1005) r1006=$(id R-1006) r1007=$(id R-1007) r1008=$(id R-1008)
r1010=$(id R-1010) r1011=$(id R-1011) r1012=$(id R-1012)
step "cancel" oms-order cancel --reason "customer called" "$r1012"
step "allocate" oms-backorder -a
step "pick" oms-pick -q -o list1.txt "$r1001" "$r1002" "$r1003" "$r1004" "$r1007" "$r1008"
step "confirm" oms-pick confirm 1
step "pick R-1011" oms-pick -q -o list2.txt "$r1011"

ship "$r1001" 2026-11-03T15:00:00Z ups ground 1Z999AA10000000015 680 6.50 A1
ship "$r1001" 2026-11-05T16:00:00Z ups ground 1Z999AA10000000024 680 7.00 B2
ship "$r1002" 2026-11-04T03:30:00Z fedex 2day 986578788855 400 12.10 C3
ship "$r1003" 2026-11-04T12:00:00Z ups ground 1Z999AA10000000033 680 "" A1
ship "$r1004" 2026-11-05T09:00:00Z dhl express 1234567890 1500 6.20 E5
ship "$r1007" 2026-11-09T00:00:00Z usps priority 9400111899223197428497 680 4.10 A1
ship "$r1008" 2026-11-16T00:00:00Z dhl express 1234567891 500 5.90 E5
step "refund" oms-auth -q refund --amount 1.00 --reason "scratched" "$r1007"
paid_at "$r1007" refund 2026-11-20T09:00:00Z
paid_at "$r1012" void 2026-11-14T09:00:00Z
# An authorization five minutes after the order, ending seven days later.
sql "UPDATE payments SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', o.placed_at, '+5 minutes'),
  updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', o.placed_at, '+5 minutes'),
  expires_at = CASE WHEN payments.status = 'succeeded'
    THEN strftime('%Y-%m-%dT%H:%M:%SZ', o.placed_at, '+7 days', '+5 minutes') END
  FROM orders o WHERE o.id = payments.order_id AND payments.kind = 'authorize'"
step "late orders" oms-import "$R/input/orders-late.csv"

is "$(sql "SELECT group_concat(external_id || ':' || status || coalesce(':' || hold_reason, ''), ' ')
  FROM (SELECT * FROM orders ORDER BY id)")" \
	"R-1001:shipped R-1002:shipped R-1003:shipped R-1004:shipped R-1005:backordered R-1006:hold:address R-1007:shipped R-1008:shipped R-1010:hold:payment R-1011:picking R-1012:cancelled R-1009:new R-1013:new" \
	"the dataset: orders in every step of the pipeline"


# ---------------------------------------------------------------------------
# Golden files: each report in text, csv and json, and some of their options.

# golden FILE ARG...: oms-report ARG... writes exactly tests/data/report/FILE.
golden() {
	local file=$1
	shift
	run oms-report "$@"
	[ -n "${OMS_GOLDEN_UPDATE:-}" ] && cp "$SCRATCH/out" "$R/$file"
	is "$rc $(err)" "0 " "oms-report $*: exit 0, nothing on stderr"
	if cmp -s "$SCRATCH/out" "$R/$file"; then
		ok "oms-report $*: as $file"
	else
		not_ok "oms-report $*: as $file"
		diff -u "$R/$file" "$SCRATCH/out" | sed 's/^/#   /' >&2
	fi
}

for report in inventory shipments items shipping-cost orders backorders payments; do
	golden "$report.txt" "$report"
	golden "$report.csv" "$report" --format csv
	golden "$report.json" "$report" --format json
done
golden inventory-low.txt inventory --low 4
golden shipments-by-service.txt shipments --by service
golden shipments-by-week.tsv shipments --by week --format tsv
golden items-top.txt items --by week --top 1
golden shipping-cost-by-month.txt shipping-cost --by month
golden orders-by-source.txt orders --by source
golden payments-by-month.txt payments --by month
golden payments-expiring.txt payments --expiring 3
golden payments-expiring.json payments --expiring 3 --format json
export COLUMNS=60
golden shipments-chart.txt shipments --by week --chart
LC_ALL=C
golden shipping-cost-chart.txt shipping-cost --by month --chart
LC_ALL=C.UTF-8
unset COLUMNS

# ---------------------------------------------------------------------------
# Money: per currency, never added across currencies.

run oms-report shipping-cost --by carrier --format csv
expect 0 "carrier,currency,shipments,charged,cost,difference,no_cost
dhl,EUR,2,8.00,12.10,-4.10,0
fedex,USD,1,7.50,12.10,-4.60,0
ups,USD,3,5.00,13.50,-8.50,1
usps,USD,1,3.00,4.10,-1.10,0" "" "shipping cost: charged less cost per carrier and currency, a cost not known counted apart"
run oms-report items
is "$(grep '^total' "$SCRATCH/out")" "total               EUR           4    48.00
total               USD           9    76.46" "items: a total per currency, never one across them"
run oms-report payments --by month --format csv
expect 0 "month,currency,authorizations,authorized,captured,refunded,voided,net,declined
2026-11,EUR,2,56.00,56.00,0.00,0.00,56.00,0
2026-11,USD,6,154.46,81.97,1.00,9.99,80.97,1" "" \
	"payments: authorized, captured, refunded, voided, net and declines per currency"

# ---------------------------------------------------------------------------
# The range: --since is in, --until is out, whichever way the rows are read.

# R-1007 shipped at 2026-11-09T00:00:00Z exactly, R-1008 at 2026-11-16T00:00:00Z.
run oms-report shipments --by carrier --since 2026-11-09 --until 2026-11-16 --format csv
expect 0 "carrier,orders,shipments,packages,units,weight_kg
usps,1,1,1,1,0.680" "" "a week: the shipment at --since is in, the one at --until is out"
run oms-report shipments --by carrier --since 2026-11-09T00:00:00Z --until 2026-11-09T00:00:01Z --format csv
expect 0 "carrier,orders,shipments,packages,units,weight_kg
usps,1,1,1,1,0.680" "" "one second (read through the index): the instant of --since is in"
run oms-report shipments --by carrier --since 2026-11-15T23:59:59Z --until 2026-11-16 --format csv
expect 0 "carrier,orders,shipments,packages,units,weight_kg" "" "the instant of --until is out"
run oms-report shipments --by carrier --since 2026-11-16 --until 2026-11-16T00:00:01Z --format csv
expect 0 "carrier,orders,shipments,packages,units,weight_kg
dhl,1,1,1,1,0.500" "" "and in the next range"
run oms-report payments --by day --since 2026-11-09T00:00:00+01:00 --until 2026-11-09T00:00:01+01:00 --format csv
expect 0 "day,currency,authorizations,authorized,captured,refunded,voided,net,declined
2026-11-08,,0,,,,,,0" "" "a time with a zone is that instant (here a period with no payment, shown)"

# A period with no data is a row of nothing, not a gap.
run oms-report shipments --since 2026-11-10 --until 2026-11-13 --format csv
expect 0 "day,orders,shipments,packages,units,weight_kg
2026-11-10,0,0,0,0,0.000
2026-11-11,0,0,0,0,0.000
2026-11-12,0,0,0,0,0.000" "" "days without shipments are shown as such"
run oms-report shipping-cost --by month --since 2026-12-01 --until 2027-01-01
expect 0 "MONTH    CURRENCY  SHIPMENTS  CHARGED  COST  DIFFERENCE  NO_COST
2026-12                    0                                   0
total                      0                                   0" "" "a month without shipments: no money, and no currency to show it in"
run oms-report items --by week --since 2026-11-09 --until 2026-11-23 --format json
expect 0 '[
{"week":"2026-11-09","sku":"A1","description":"Widget","currency":"USD","units":1,"revenue":"9.99"},
{"week":"2026-11-16","sku":"E5","description":"Eurowidget","currency":"EUR","units":1,"revenue":"12.00"}
]' "" "items per week, in json"

# ---------------------------------------------------------------------------
# Time zones: periods and times in the zone asked for, UTC otherwise.

# R-1002 shipped at 03:30 UTC on the 4th: the evening of the 3rd in New York.
run oms-report shipments --tz America/New_York --since 2026-11-03 --until 2026-11-05 --format csv
expect 0 "day,orders,shipments,packages,units,weight_kg
2026-11-03,2,2,2,6,1.080
2026-11-04,1,1,1,1,0.680" "" "--tz: days and the dates of --since and --until in New York"
run oms-report shipments --since 2026-11-03 --until 2026-11-05 --format csv
expect 0 "day,orders,shipments,packages,units,weight_kg
2026-11-03,1,1,1,2,0.680
2026-11-04,2,2,2,5,1.080" "" "the same in UTC"
TZ=Asia/Tokyo
export TZ
run oms-report shipments --since 2026-11-03 --until 2026-11-05 --format csv
is "$(out)" "day,orders,shipments,packages,units,weight_kg
2026-11-03,1,1,1,2,0.680
2026-11-04,2,2,2,5,1.080" "the caller's TZ does not change a report: UTC unless --tz"
unset TZ
run oms-report backorders --tz America/New_York --format csv
expect 0 "sku,description,waiting,orders,available,short,oldest_order,oldest_placed,oldest_age_days
B2,\"Gadget, big\",1,1,0,1,$r1005,2026-11-05T06:00:00-05:00,25" "" "--tz: times shown in the zone with its offset"
run oms-report orders --tz Asia/Kolkata --format csv --by source
is "$(sed -n 2p "$SCRATCH/out")" "b2b,1,0,0,1,0,$r1011,2026-11-25T15:30:00+05:30,5" "a zone half an hour off"

# Ages as of --until: the orders placed before it, aged to it.
run oms-report orders --by source --until 2026-11-10 --format csv
expect 0 "source,orders,under_1d,1d_3d,3d_7d,over_7d,oldest_order,oldest_placed,oldest_age_days
phone,1,0,0,1,0,$r1006,2026-11-06T08:00:00Z,3
web,1,0,0,1,0,$r1005,2026-11-05T11:00:00Z,4" "" "--until is the time ages are reckoned to"
OMS_NOW=2026-12-10T00:00:00Z run oms-report payments --expiring 0 --format csv
expect 0 "order,status,currency,authorized,captured,open,authorized_at,expires_at,days_left
$r1005,backordered,USD,39.00,0.00,39.00,2026-11-05T11:05:00Z,2026-11-12T11:05:00Z,-28
$r1011,picking,USD,23.50,0.00,23.50,2026-11-25T10:05:00Z,2026-12-02T10:05:00Z,-8" "" \
	"OMS_NOW: authorizations that have ended, and with them what was left on them"

# ---------------------------------------------------------------------------
# An empty database: every report, just its heading and totals of nothing.

oms-db init -q empty.db >/dev/null
oms-stock -q -d empty.db import "$R/input/catalog-eur.csv"
run oms-report -d empty.db shipments
expect 0 "DAY    ORDERS  SHIPMENTS  PACKAGES  UNITS  WEIGHT_KG
total       0          0         0      0      0.000" "" "no shipments: no days, totals of nothing"
run oms-report -d empty.db shipments --format json
expect 0 "[]" "" "in json, an empty list"
run oms-report -d empty.db payments --format csv
expect 0 "day,currency,authorizations,authorized,captured,refunded,voided,net,declined" "" "in csv, the header alone"
run oms-report -d empty.db orders --format csv
expect 0 "status,reason,orders,under_1d,1d_3d,3d_7d,over_7d,oldest_order,oldest_placed,oldest_age_days
new,,0,0,0,0,0,,,
verified,,0,0,0,0,0,,,
authorized,,0,0,0,0,0,,,
backordered,,0,0,0,0,0,,,
allocated,,0,0,0,0,0,,,
picking,,0,0,0,0,0,,,
hold,,0,0,0,0,0,,," "" "no orders: every step, with none stuck in it"
for report in inventory items shipping-cost backorders; do
	run oms-report -d empty.db "$report" --format json
	is "$rc $(out)" "0 $(if [ $report = inventory ]; then printf '[\n{"sku":"E5","description":"Eurowidget","bin":"C-01-01","on_hand":0,"reserved":0,"available":0,"backordered":0,"net":0,"currency":"USD","price":"12.00","value":"0.00"}\n]'; else echo '[]'; fi)" \
		"no orders: $report has nothing (inventory: the catalog, nothing in stock)"
done
run oms-report -d empty.db shipments --since 2026-11-01 --until 2026-11-03 --chart
expect 0 "DAY         SHIPMENTS
2026-11-01          0
2026-11-02          0" "" "a chart of nothing: no bars"

# ---------------------------------------------------------------------------
# Bad input: usage errors (2) that name what is wrong, before any database is opened.

bad() {
	local msg=$1 desc=$2
	shift 2
	run oms-report -d nonexistent.db "$@"
	expect 2 "" "oms-report: $msg" "$desc"
}
bad 'sales: unknown report (reports: inventory, shipments, items, shipping-cost, orders, backorders, payments, returns)' \
	"an unknown report" sales
bad 'shipment: unknown report (did you mean shipments?)' "a misspelt report: the nearest named" shipment
bad '--by carrier: the orders report is by source or status' "a grouping the report does not take" orders --by carrier
bad '--by day: the inventory report is by sku only' "inventory is by SKU" inventory --by day
bad '--by month: the backorders report is by sku only' "so are backorders" backorders --by month
bad '--by sku: the shipments report is by day, week, month, carrier or service' "shipments are not by SKU" shipments --by sku
bad '--by status: the payments report is by day, week or month' "payments are by period" payments --by status
bad '--by: "year" is not one of day, week, month, carrier, service, sku, source, status, reason' "an unknown grouping" shipments --by year
bad '--since: the inventory report is of now: it takes no --since or --until' "inventory is of now" inventory --since 2026-11-01
bad '--until: the backorders report is of now: it takes no --since or --until' "so are backorders" backorders --until 2026-11-01
bad '--low: only the inventory report takes it, not shipments' "--low is inventory's" shipments --low 3
bad '--top: only the items report takes it, not inventory' "--top is items'" inventory --top 3
bad '--top: "0" is not a whole number of at least 1' "--top 0" items --top 0
bad '--low: "-1" is not a whole number of at least 0' "--low below zero" inventory --low -1
bad '--expiring: only the payments report takes it, not orders' "--expiring is payments'" orders --expiring 3
bad '--expiring lists authorizations as of now: it takes no --by, --since or --until' "--expiring with a range" \
	payments --expiring 3 --since 2026-11-01
bad '--chart draws text: it does not go with --format' "--chart in csv" shipments --chart --format csv
bad '--since: "2026-11-31" is not a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM:SS, with Z or +HH:MM for a zone other than the report'"'"'s)' \
	"a date that does not exist" shipments --since 2026-11-31
bad '--until: "last week" is not a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM:SS, with Z or +HH:MM for a zone other than the report'"'"'s)' \
	"not a date" shipments --until "last week"
bad '--since 2026-11-08 is not before --until 2026-11-01' "a range the wrong way round" shipments --since 2026-11-08 --until 2026-11-01
bad '--since 2026-11-01 is not before --until 2026-11-01' "an empty range" payments --since 2026-11-01 --until 2026-11-01
bad '--tz: no time zone "Mars/Olympus" (a name such as America/New_York or UTC)' "an unknown zone" shipments --tz Mars/Olympus
bad '--tz: no time zone "../../etc/passwd" (a name such as America/New_York or UTC)' "a path is not a zone" shipments --tz ../../etc/passwd
run oms-report -d nonexistent.db shipments --format xml
is "$rc" 2 "an unknown format"
like "$(err)" '^oms-report: --format: "xml" is not one of text, csv, tsv, json' "is named"
OMS_NOW=tomorrow run oms-report -d nonexistent.db orders
expect 2 "" 'oms-report: OMS_NOW: "tomorrow" is not a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM:SS, with Z or +HH:MM for a zone other than the report'"'"'s)' "a bad OMS_NOW"
run oms-report -d nonexistent.db shipments items
is "$rc" 2 "two reports at once"
like "$(err)" '^oms-report: one report at a time: "shipments" and "items"' "are refused"
run oms-report -d nonexistent.db
is "$rc" 2 "no report"
like "$(err)" '^usage: oms-report ' "prints the usage"
run oms-report -h
is "$rc" 0 "-h is not an error"
like "$(out)" '^usage: oms-report ' "and prints the usage on stdout"
run oms-report -d nonexistent.db shipments
expect 2 "" "oms-report: nonexistent.db: no such oms database (create it with: oms-db init nonexistent.db)" "a report does not create a database"
is "$(ls nonexistent.db 2>/dev/null)" "" "and leaves no file behind"

# A stored time oms did not write is a database error, named, not a wrong report.
cp "$OMS_DB" bad.db
sqlite3 bad.db "UPDATE shipments SET shipped_at = '2026-11-07 10:00' WHERE id = 3"
run oms-report -d bad.db shipments
expect 3 "" 'oms-report: bad.db: shipment 3: time "2026-11-07 10:00" is not UTC ISO 8601 (YYYY-MM-DDTHH:MM:SSZ)' \
	"a time that is not UTC ISO 8601"
run oms-report -d bad.db shipments --by carrier --format csv
is "$rc" 0 "a report not by time does not read it"
sqlite3 bad.db "UPDATE payments SET created_at = '2026-11-07 10:00' WHERE id = 2"
run oms-report -d bad.db payments
expect 3 "" 'oms-report: bad.db: payment 2: time "2026-11-07 10:00" is not UTC ISO 8601 (YYYY-MM-DDTHH:MM:SSZ)' \
	"a payment's, named by its ID, which the report does not read"

# Reading changes nothing.
before=$(sql .dump | cksum)
for report in inventory shipments items shipping-cost orders backorders payments; do
	oms-report "$report" >/dev/null 2>&1
done
is "$(sql .dump | cksum)" "$before" "the reports write nothing"

done_testing
