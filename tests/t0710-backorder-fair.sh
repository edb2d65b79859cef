#!/bin/sh
# oms-backorder: the whole allocation of a seeded scenario, compared with a
# golden record made by the allocator that asked the database, line by
# line, what earlier orders still need.  Whatever replaces that query must
# allocate exactly the same: priority, then age, then ID; a later order
# never takes what an earlier waiting one needs, in the run or not.
#
# The scenario: 300 generated orders over 12 SKUs (priorities 0 to 2, ship
# complete and split), four more placed at the same second (the ID
# decides), one with an unknown SKU; a quarter of the stock they need;
# orders on hold and orders left out of a run; runs by stdin in several
# batches, out of order, by arguments, -a, --split, --ship-complete, keep
# partial or not, a dry run, and split orders on pick lists.
. "$(dirname "$0")/lib.sh"

GEN=$TESTS_DIR/../scripts/gen-orders
GOLDEN=$DATA/backorder/fair.golden

# Small batches: a run takes many transactions, as a pipeline's does.
printf 'batch_size: 7\n' >oms.yaml
"$GEN" items -n 12 -s 5 >items.csv
oms-stock -q import items.csv
"$GEN" orders -f csv -n 300 -s 5 -k 12 >orders.csv
oms-import -q orders.csv >ids
i=0
while [ $i -lt 4 ]; do
	printf -- '---\nexternal_id: "TIE%d"\nplaced_at: "2026-10-20T12:00:00Z"\npriority: 1\nship_complete: %s\nship_to: {name: P, line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: [{sku: SKU-000003, qty: %d}, {sku: SKU-000001, qty: 2}]\n' \
		$i "$([ $((i % 2)) = 0 ] && echo true || echo false)" $((i + 3))
	i=$((i + 1))
done >tie.yaml
oms-add <tie.yaml >>ids
printf 'external_id: "UNK"\nplaced_at: "2026-10-02T00:00:00Z"\nship_to: {name: P, line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: [{sku: SKU-000002, qty: 1}, {sku: NOPE, qty: 1, price: "1.00"}]\n' >unk.yaml
oms-add --allow-unknown-sku <unk.yaml >>ids
oms-verify-addr -q --all >/dev/null
oms-auth -q --all >/dev/null
is "$(sql "SELECT count(*) FROM orders WHERE status = 'authorized'")" 305 "305 orders authorized"

# receive N: every SKU k gets a seeded share of what its orders want.
receive() {
	k=1
	while [ $k -le 12 ]; do
		printf 'SKU-%06d %d\n' $k $(((k * 53 + $1 * 31) % 40 + 5))
		k=$((k + 1))
	done | oms-stock -q receive - --ref "PO-$1"
}
# record NAME: what a run did, for the golden record.
record() {
	{
		echo "== $1: exit $rc"
		cat out
		sed 's/^/stderr: /' err
	} >>got
}
# pick_ids MOD REM [SHUF]: the order IDs whose ID % MOD != REM, shuffled by a
# fixed multiplier, so that later orders come before earlier ones.
pick_ids() {
	awk -v m="$1" -v r="$2" -v s="${3:-0}" '$1 % m != r { print ($1 * 7919 + s) % 1009, $1 }' ids |
		sort -n | cut -d' ' -f2
}
: >got

# Some orders wait on hold, and are nobody's demand.
awk 'NR % 13 == 0' ids >held
oms-order -q hold --reason "customer called" <held >/dev/null
receive 1

# Stdin, out of the fair order, two thirds of the orders: the rest wait and come first where due.
pick_ids 3 0 >run1
run_in run1 oms-backorder
record "stdin, out of order, a third left out"

receive 2
# A dry run: the plan, and nothing kept.
pick_ids 5 1 3 | head -n 40 >run2
run_in run2 oms-backorder -n --format csv
record "dry run"

# By arguments, late ones first, under --split.
run oms-backorder --split $(awk 'NR % 4 == 1' ids | sort -rn)
record "arguments, newest first, --split"

# Split orders with a remainder go on pick lists: still demand, for what they lack.
sql "SELECT o.id FROM orders o WHERE o.status = 'allocated' AND EXISTS (SELECT 1 FROM order_lines l
    WHERE l.order_id = o.id AND l.qty > l.allocated + l.shipped + l.cancelled) ORDER BY o.id LIMIT 15" >topick
oms-pick -q <topick >/dev/null
oms-order -q release <held >/dev/null
receive 3

# Short ship-complete orders give back what they could reserve (keep_partial false), -a.
printf 'batch_size: 7\nbackorder:\n  keep_partial: false\n' >oms.yaml
run oms-backorder -a
record "-a, keep_partial false"
printf 'batch_size: 7\n' >oms.yaml

receive 4
# Stdin again: everything, shuffled, with IDs past the step, on hold, unknown.
{
	pick_ids 1000000 -1 5
	echo 999999
} >run4
awk 'NR % 17 == 0' ids | oms-order -q hold --reason "check address" >/dev/null
run_in run4 oms-backorder --ship-complete
record "stdin, everything, --ship-complete"

receive 5
run_in run4 oms-backorder
record "stdin, everything, again"

{
	echo "== orders"
	sql "SELECT id, status, coalesce(hold_reason, '') FROM orders ORDER BY id"
	echo "== lines"
	sql "SELECT order_id, line_no, sku, qty, allocated FROM order_lines ORDER BY order_id, line_no"
	echo "== stock"
	sql "SELECT sku, on_hand, reserved FROM stock ORDER BY sku"
	echo "== allocation history"
	sql "SELECT order_id, what, coalesce(from_status, ''), coalesce(to_status, ''), coalesce(detail, '')
	    FROM events WHERE tool = 'oms-backorder' ORDER BY id"
} >>got

if [ -n "${OMS_GOLDEN_WRITE:-}" ]; then
	cp got "$GOLDEN"
fi
if cmp -s got "$GOLDEN"; then
	ok "the allocation is the golden one ($(wc -l <got | tr -d ' ') lines)"
else
	not_ok "the allocation is the golden one"
	diff "$GOLDEN" got | head -n 40 | sed 's/^/#   /' >&2
fi
is "$(sql "SELECT count(*) FROM stock s WHERE reserved != (SELECT coalesce(sum(allocated), 0)
    FROM order_lines l WHERE l.sku = s.sku)")" 0 "every reservation is an order line's"
like "$(sql "SELECT count(DISTINCT status) FROM orders")" '^[4-9]$' "the scenario reaches several statuses"

# Between two batches of a run others write: what they did counts in the next batch.
fresh_db
printf 'batch_size: 1\n' >oms.yaml
catalog
# order EXT DAY PRIORITY QTY: a verified order for QTY of A1, its ID printed.
order() {
	printf 'external_id: "%s"\nplaced_at: "2026-11-%02dT09:00:00Z"\npriority: %s\nship_complete: true\nship_to: {name: P, line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: prepaid}\nlines: [{sku: A1, qty: %s}]\n' \
		"$1" "$2" "$3" "$4" >o.yaml
	oms-add <o.yaml | oms-verify-addr
}
# slow_run ARG...: oms-backorder ARG... reading the FIFO "feed", in the background.
slow_run() {
	rm -f feed slow.out slow.err
	mkfifo feed
	oms-backorder "$@" <feed >slow.out 2>slow.err &
	slow=$!
	exec 3>feed
}
# passed N: waits until the slow run has printed N lines.
passed() {
	i=0
	while [ "$(wc -l <slow.out | tr -d ' ')" -lt "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
slow_end() {
	exec 3>&-
	wait $slow
	rc=$?
}
oms-stock receive A1 3 >/dev/null
first=$(order F1 1 0 1)
urgent=$(order U1 9 5 2)
late=$(order L1 10 0 1)
oms-auth -q $first $late >/dev/null
slow_run
echo $first >&3
passed 1
oms-auth -q $urgent >/dev/null
echo $late >&3
slow_end
is "$rc.$(cat slow.out).$(cat slow.err)" "0.$first." "a run that took stock, then waited for its input"
is "$(sql "SELECT status FROM orders WHERE id = $late")" backordered \
	"an urgent order authorized meanwhile goes before a later one: the run saw it"

fresh_db
catalog
oms-stock receive A1 2 >/dev/null
hold=$(order H1 2 0 1)
urgent=$(order U1 9 5 2)
late=$(order L1 10 0 1)
late2=$(order L2 11 0 1)
late3=$(order L3 12 0 1)
oms-auth -q $hold $urgent $late $late2 $late3 >/dev/null
oms-order -q hold --reason "customer called" $urgent >/dev/null
slow_run
echo $late >&3
passed 1
oms-order -q hold --reason "customer called" $hold >/dev/null
oms-order -q release $urgent >/dev/null
oms-stock receive A1 2 >/dev/null
echo $late2 >&3
passed 2
echo $late3 >&3
slow_end
is "$rc.$(cat slow.out)" "0.$late
$late2" "orders held and released between two batches: held, one needs nothing; released, it needs again"
is "$(sql "SELECT status FROM orders WHERE id = $late3")" backordered \
	"the last order leaves the urgent one, released meanwhile, the two it needs"

# A dry run's batches are rolled back: the next batch does not see what the last would have taken.
fresh_db
catalog
oms-stock receive A1 1 >/dev/null
first=$(order F1 1 0 1)
late=$(order L1 2 0 1)
oms-auth -q $first $late >/dev/null
slow_run -n --format csv
echo $first >&3
passed 2
echo $late >&3
slow_end
is "$rc.$(cat slow.out)" "0.order,sku,reserve,short,plan
$first,A1,1,0,allocate
$late,A1,0,1,wait" "a dry run fed slowly: the first order still waits, and the later one leaves it its unit"
done_testing
