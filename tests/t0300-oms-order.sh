#!/bin/sh
# oms-order: show, list, hold, release, cancel, history, and the filter
# protocol every tool that acts on orders shares.
. "$(dirname "$0")/lib.sh"

catalog
oms-stock receive A1 10 >/dev/null
doc() { # doc EXTERNAL_ID EMAIL PLACED_AT SOURCE
	printf -- '---\nexternal_id: "%s"\nsource: %s\nplaced_at: "%s"\ncustomer: {name: Kim, email: "%s"}\nship_to: {name: Kim, line1: 1 A St, city: Reno, region: NV, postal_code: "89501"}\npayment: {method: invoice}\nlines: [{sku: A1, qty: 2}, {sku: B2, qty: 1}]\n' "$1" "$4" "$3" "$2"
}
{ doc E1 kim@example.com 2026-11-01T10:00:00Z phone
  doc E2 KIM@example.com 2026-11-03T10:00:00Z mail
  doc E3 lee@example.com 2026-11-05T10:00:00Z phone
  doc E4 lee@example.com 2026-11-07T10:00:00Z phone; } >orders.yaml
run_in orders.yaml oms-add
expect 0 "1
2
3
4" "" "four orders to work on"

run oms-order list
expect 0 "1
2
3
4" "" "list prints every ID, oldest first"
run oms-order list --source phone --since 2026-11-02
expect 0 "3
4" "" "list filters by source and date"
run oms-order list --until 2026-11-03T10:00:00Z
expect 0 "1" "" "--until is exclusive"
run oms-order list --email kim@EXAMPLE.com
expect 0 "1
2" "" "--email ignores case"
run oms-order list --status hold
expect 0 "" "" "no order on hold yet"
run oms-order list --status bogus
expect 2 "" 'oms-order: --status: no status "bogus" (see oms(7), ORDER STATUS)' "an unknown status is a usage error"
run oms-order list --since 2026-13-01
expect 2 "" 'oms-order: --since: "2026-13-01" is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)' "a bad date is a usage error"

# The filter protocol: arguments, or stdin with comments, blanks and junk.
run oms-order hold --reason "customer called" 1
expect 0 1 "" "hold prints the held order's ID"
is "$(sql "SELECT status, hold_reason, held_from FROM orders WHERE id = 1")" "hold|manual|new" "the order is on hold, remembering where from"
printf '# orders to hold\n2 first field only\n\nabc\n  3\n99\n1\n' >ids.txt
run_in ids.txt oms-order hold --reason "fraud check"
expect 1 "2
3
1" 'oms-order: stdin:4: not an order ID: "abc"
oms-order: order 99: no such order' "IDs come from stdin; bad lines are named and the rest goes on (status 1)"
is "$(sql "SELECT group_concat(status) FROM (SELECT status FROM orders ORDER BY id)")" "hold,hold,hold,new" "2 and 3 were held, 1 passed through untouched"
is "$(sql "SELECT count(*) FROM events WHERE what = 'hold' AND order_id = 1")" 1 "holding a held order again writes nothing"
run oms-order hold 4
expect 2 "" "oms-order: hold: --reason is required: the next person needs to know why" "hold needs a reason"
run oms-order hold --reason x 0 4x
expect 1 "" 'oms-order: argument 1: not an order ID: "0"
oms-order: argument 2: not an order ID: "4x"' "bad arguments are named"

{ head -c 100000 /dev/zero | tr '\0' 7; printf '\n1\n'; } >long.txt
run_in long.txt oms-order hold --reason "long line"
expect 1 1 "oms-order: stdin:1: line too long to be an order ID" "a line too long is reported and skipped; the next is read"

run oms-order release 1 2 4
expect 0 "1
2
4" "" "release prints the released IDs; an order not on hold passes through"
is "$(sql "SELECT group_concat(status) FROM (SELECT status FROM orders ORDER BY id)")" "new,new,hold,new" "released orders are back where they were"
is "$(sql "SELECT hold_reason IS NULL AND held_from IS NULL FROM orders WHERE id = 1")" 1 "with the hold cleared"

run oms-order -n cancel 4
expect 0 4 "" "-n prints what would be cancelled"
is "$(sql "SELECT status FROM orders WHERE id = 4")" new "and changes nothing"

# Cancel releases what the order had reserved.
sql "INSERT INTO stock_moves (at, sku, kind, d_on_hand, d_reserved, ref, tool, user) VALUES ('t', 'A1', 'reserve', 0, 2, 'order 4', 't', 't'); UPDATE order_lines SET allocated = 2 WHERE order_id = 4 AND sku = 'A1'; $STOCK_FROM_LEDGER"
run oms-order cancel --reason "customer changed mind" 4 3
expect 0 "4
3" "" "cancel prints the cancelled IDs (a held order can be cancelled)"
is "$(sql "SELECT reserved FROM stock WHERE sku = 'A1'")" 0 "the cancelled order's reservation went back to stock"
is "$(sql "SELECT kind, d_reserved, ref, reason FROM stock_moves WHERE kind = 'release'")" "release|-2|order 4|order cancelled" \
	"as a ledger row naming the order"
is "$(sql "SELECT sku, allocated, cancelled FROM order_lines WHERE order_id = 4")" "A1|0|2
B2|0|1" "its lines are cancelled"
run oms-order cancel 4
expect 0 4 "" "cancelling again passes it through"
sql "UPDATE orders SET status = 'shipped' WHERE id = 2"
run oms-order cancel 2
expect 1 "" "oms-order: order 2: cannot cancel: it is shipped" "a shipped order cannot be cancelled"
run oms-order hold --reason x 2
expect 1 "" "oms-order: order 2: cannot hold: it is shipped" "nor held"
run oms-order release 2
expect 0 2 "" "release passes a shipped order through"

run oms-order history 4
expect 0 "$(sql "SELECT 'AT                    USER    TOOL       WHAT     FROM  TO         DETAIL
' || (SELECT at FROM events WHERE order_id = 4 AND what = 'created') || '  tester  oms-add    created        new        from stdin:26
' || (SELECT at FROM events WHERE order_id = 4 AND what = 'cancel') || '  tester  oms-order  cancel   new   cancelled  customer changed mind'")" "" \
	"history lists every change with who, which tool and why"
run oms-order history 99
expect 1 "" "oms-order: order 99: no such order" "history of an unknown order"
run oms-order history
is "$rc" 2 "history needs an ID"

run oms-order show --format json 1
is "$rc" 0 "show --format json"
if command -v python3 >/dev/null && python3 -c 'import json' 2>/dev/null; then
	is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["id"], d["status"], d["external_id"], d["total"], d["lines"][0]["sku"], d["lines"][0]["qty"], d["lines"][1]["price"], d["history"][1]["what"], d["ship_to"]["postal_code"])' "$SCRATCH/out")" \
		"1 new E1 39.48 A1 2 19.50 hold 89501" "the json is the order document with id, status, totals, lines and history"
else
	is "$(grep -c '"total": "39.48"' "$SCRATCH/out")" 1 "the json carries exact totals"
fi
run oms-order show 1 99
is "$rc" 1 "show of an unknown order is status 1"
is "$(err)" "oms-order: order 99: no such order" "and names it"
like "$(out)" '^order +1' "while the known one is shown"
like "$(out)" 'total 39.48 USD' "with its exact total"

run oms-order
is "$rc" 2 "no command is a usage error"
run oms-order -h
is "$rc" 0 "-h is not an error"
like "$(out)" '^usage: oms-order ' "and prints the usage"

# A slow producer: the filter commits and passes on what it has while it waits.
doc E5 kim@example.com 2026-11-09T10:00:00Z phone >e5.yaml
oms-add <e5.yaml >/dev/null
mkfifo ids.fifo
oms-order -v hold --reason "slow feed" <ids.fifo >slow.out 2>slow.err &
filter=$!
exec 3>ids.fifo
echo 1 >&3
i=0
while [ ! -s slow.out ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
is "$(cat slow.out)" 1 "an ID is passed on before the producer is done"
is "$(sql "SELECT status FROM orders WHERE id = 1")" hold "and its change was committed before it was printed"
echo 5 >&3
exec 3>&-
wait $filter
is "$?" 0 "the filter ends when its input does"
is "$(cat slow.out)" "1
5" "having passed on both"
is "$(cat slow.err)" "oms-order: committed 1 orders, 1 passed on
oms-order: committed 1 orders, 1 passed on" "-v reports each commit"
oms-order release 1 >/dev/null

# Input that is all there is batched by batch_size, 1000 unless oms.yaml says.
i=0
while [ $i -lt 1200 ]; do echo 1; i=$((i + 1)); done >many.ids
run_in many.ids oms-order -v hold --reason "a batch"
is "$(err)" "oms-order: committed 1000 orders, 1000 passed on
oms-order: committed 200 orders, 200 passed on" "a batch is 1000 orders by default"
printf 'batch_size: 500\n' >batch.yaml
run_in many.ids oms-order -c batch.yaml -v hold --reason "a batch"
is "$(err)" "oms-order: committed 500 orders, 500 passed on
oms-order: committed 500 orders, 500 passed on
oms-order: committed 200 orders, 200 passed on" "or batch_size's orders"
oms-order release 1 >/dev/null

# A closed pipe ends a filter quietly; a full disk does not.
if [ -w /dev/full ]; then
	oms-order list >/dev/full 2>full.err
	is "$?" 3 "a write error on stdout is status 3"
	is "$(cat full.err)" "oms-order: stdout: No space left on device" "and says so"
fi
(trap '' PIPE; oms-order list --status new 2>pipe.err | head -c0)
is "$(cat pipe.err)" "" "a reader that goes away leaves no message"

# Cancelling part of an order leaves it where what is left puts it, never
# where no step would take it up again.
fresh_db
catalog
oms-stock -q receive A1 2
oms-stock -q receive B2 4
split=$(oms-add -q --payment invoice --name 'Sy Lo' --line1 '1 Main St' --city Boston --region MA \
	--postal-code 02108 --split --line A1:2 --line C3:3:1.00)
oms-verify-addr -q $split | oms-auth -q | oms-backorder -q >/dev/null
is "$(sql "SELECT status FROM orders WHERE id = $split")" allocated "a split order: A1 reserved, C3 short"
run oms-order cancel --line A1:2 --reason 'not wanted' $split
expect 0 "$split" "" "its reserved line cancelled"
is "$(sql "SELECT status FROM orders WHERE id = $split")" backordered "it waits for the rest, not allocated with nothing reserved"
part=$(oms-add -q --payment invoice --name 'Di Ma' --line1 '1 Main St' --city Boston --region MA \
	--postal-code 02108 --split --line B2:2 --line C3:3:1.00)
oms-verify-addr -q $part | oms-auth -q | oms-backorder -q | oms-pick -q >/dev/null
oms-ship -q --carrier ups --service ground --force --tracking 1Z999AA10123456784 $part >/dev/null
is "$(sql "SELECT status FROM orders WHERE id = $part")" backordered "a split order shipped in part"
run oms-order cancel --line C3:3 $part
expect 0 "$part" "" "the rest of it cancelled"
is "$(sql "SELECT status FROM orders WHERE id = $part")" shipped "it has shipped: what shipped is the order"
run oms-db check
expect 0 "" "" "and the database checks clean"

done_testing
