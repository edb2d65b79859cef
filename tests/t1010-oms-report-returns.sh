#!/bin/sh
# oms-report returns: against golden files over a fixed dataset built by
# the tools themselves (returns restocked, scrapped, claimed, exchanged,
# refunded through the gateway and owed, one open, one cancelled), by
# reason, SKU and month, in every format; the range; an empty database.
#
# The golden files are tests/data/report/returns*.  After a change meant to
# change the report, rewrite them with
#   OMS_GOLDEN_UPDATE=1 prove tests/t1010-oms-report-returns.sh
# and read the diff before committing it.
. "$(dirname "$0")/lib.sh"

R=$DATA/report
export OMS_NOW=2026-12-05T12:00:00Z
unset TZ COLUMNS

# step DESCRIPTION CMD ARG...: a step of the build that must succeed.
step() {
	local what=$1
	shift
	"$@" >"$SCRATCH/step.out" 2>"$SCRATCH/step.err" </dev/null ||
		echo "Bail out! building the dataset: $what: $(cat "$SCRATCH/step.err")"
}
# order CURRENCY PAYMENT LINES: an order shipped whole on 2026-11-02, its ID printed.
order() {
	printf 'placed_at: 2026-11-01T10:00:00Z\ncurrency: %s\nship_to: {name: "Pat Doe", line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: %s\nshipping: "5.00"\nlines: %s\n' \
		"$1" "$2" "$3" >o.yaml
	oms-add <o.yaml | oms-verify-addr | oms-auth -q | oms-backorder | oms-pick -q |
		oms-ship -q --carrier ups --service ground || echo "Bail out! order not shipped"
	sql "UPDATE shipments SET shipped_at = '2026-11-02T12:00:00Z' WHERE id = (SELECT max(id) FROM shipments)"
}
# opened RMA AT: the time a return was opened.
opened() {
	sql "UPDATE returns SET created_at = '$2', updated_at = '$2' WHERE rma = '$1'"
}

step "catalog" oms-stock import "$R/input/catalog.csv"
printf 'currency: EUR\n' >eur.yaml
step "EUR catalog" oms-stock -c eur.yaml import "$R/input/catalog-eur.csv"
printf 'A1 20\nB2 5\nC3 10\nE5 5\n' >receipt.txt
step "receipt" sh -c 'oms-stock -q receive - <receipt.txt'
card='{method: card, token: pm_card_visa}'
o1=$(order USD "$card" '[{sku: A1, qty: 4}, {sku: B2, qty: 1}]')
o2=$(order USD '{method: prepaid, reference: "ch_9"}' '[{sku: C3, qty: 2}]')
o3=$(order EUR "$card" '[{sku: E5, qty: 2}]')

# Opened at fixed times (a settled return no longer changes: set before).
step "R1" oms-return -q open --line A1:2 --reason damaged $o1
opened RMA-000001 2026-11-03T09:00:00Z
step "R1 in" oms-return -q receive --line A1:1:restock --line A1:1:scrap RMA-000001
step "R1 refund" oms-return -q refund RMA-000001
step "R2" oms-return -q open --line B2:1 --reason wrong-item --exchange A1:1 $o1
opened RMA-000002 2026-11-10T09:00:00Z
step "R2 in" oms-return -q receive RMA-000002
step "R2 refund" oms-return -q refund RMA-000002
step "R3" oms-return -q open --no-return --line C3:1 --reason damaged $o2
opened RMA-000003 2026-11-20T09:00:00Z
step "R3 refund" oms-return -q refund RMA-000003
step "R4" oms-return -q open --line E5:1 --reason no-longer-needed $o3
opened RMA-000004 2026-12-02T09:00:00Z
step "R5" oms-return -q open --line A1:1 --reason other $o1
opened RMA-000005 2026-11-05T09:00:00Z
step "R5 cancel" oms-return -q cancel RMA-000005
is "$(sql "SELECT group_concat(rma || ':' || status || ':' || coalesce(refund, '-'), ' ') FROM returns")" \
	"RMA-000001:refunded:1998 RMA-000002:refunded:951 RMA-000003:refunded:425 RMA-000004:open:- RMA-000005:cancelled:-" \
	"the dataset: returns refunded, owed, open and cancelled"

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
golden returns.txt returns
golden returns.csv returns --format csv
golden returns.json returns --format json
golden returns-by-sku.txt returns --by sku
golden returns-by-sku.json returns --by sku --format json
golden returns-by-month.tsv returns --by month --format tsv
export COLUMNS=60
golden returns-chart.txt returns --by sku --chart
unset COLUMNS

# The figures, worked out by hand.
run oms-report returns --by sku --format csv
expect 0 "sku,description,currency,shipped,returns,authorized,returned,restocked,scrapped,rate_pct,value,refunded
A1,Widget,USD,4,1,2,2,1,1,50.00,19.98,19.98
B2,\"Gadget, big\",USD,1,1,1,1,1,0,100.00,19.50,9.51
C3,Gizmo,USD,2,1,1,1,0,0,50.00,4.25,4.25
E5,Eurowidget,EUR,2,1,1,0,0,0,0.00,0.00,0.00" "" \
	"by SKU: shipped, returned (a claim's unit too), the rate, the worth, each line's share of its refund"

# The range: opened at --since is in, at --until out; the shipped units of the range.
run oms-report returns --since 2026-11-10T09:00:00Z --until 2026-11-20T09:00:00Z --format csv
expect 0 "reason,currency,returns,authorized,returned,restocked,scrapped,value,refunded
wrong-item,USD,1,1,1,1,0,19.50,9.51" "" "--since is in, --until is out"
run oms-report returns --by sku --since 2026-11-03 --until 2026-11-04 --format csv
expect 0 "sku,description,currency,shipped,returns,authorized,returned,restocked,scrapped,rate_pct,value,refunded
A1,Widget,USD,0,1,2,2,1,1,,19.98,19.98" "" "nothing shipped in the range: no rate"
run oms-report returns --by week --since 2026-11-30 --format csv
expect 0 "week,currency,returns,authorized,returned,restocked,scrapped,value,refunded
2026-11-30,EUR,1,1,0,0,0,0.00,0.00" "" "by week: an open return, nothing back yet"

# An empty database: the heading and totals of nothing.
oms-db init -q empty.db >/dev/null
run oms-report -d empty.db returns
expect 0 "REASON  CURRENCY  RETURNS  AUTHORIZED  RETURNED  RESTOCKED  SCRAPPED  VALUE  REFUNDED
total                   0           0         0          0         0" "" "no returns: totals of nothing"
run oms-report -d empty.db returns --by sku --format json
expect 0 "[]" "" "in json, an empty list"
run oms-report -d nonexistent.db returns --by carrier
expect 2 "" "oms-report: --by carrier: the returns report is by day, week, month, sku or reason" \
	"a grouping it does not take"
run oms-report -d nonexistent.db shipments --by reason
expect 2 "" "oms-report: --by reason: the shipments report is by day, week, month, carrier or service" \
	"nor the other reports by reason"

before=$(sql .dump | cksum)
oms-report returns >/dev/null 2>&1
oms-report returns --by sku >/dev/null 2>&1
is "$(sql .dump | cksum)" "$before" "the report writes nothing"

done_testing
