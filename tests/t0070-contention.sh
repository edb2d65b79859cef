#!/bin/sh
# Several writers at once: none waits long for another, none fails on the
# lock, and a step whose next one stopped reading says so.
. "$(dirname "$0")/lib.sh"

GEN=$TESTS_DIR/../scripts/gen-orders
"$GEN" items -n 50 -s 1 >items.csv
oms-stock -q import items.csv
"$GEN" orders -n 60000 -k 50 -s 1 -f csv >big.csv

# A long import commits batch after batch.  Short writes started while it
# runs must get in between two of its batches, not wait for its end: with
# SQLite's own busy handler they waited, mostly until the import was done.
oms-import -q big.csv >import.out 2>import.err &
import=$!
i=0
while [ ! -s import.out ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.1	# into the next batch: the receipt must wait for it, not for all
# What the import had passed on when the first receipt was done: a measure
# taken after all five lost the race to a fast import (30000 orders in 0.85 s).
for k in 1 2 3 4; do
	oms-stock receive SKU-000001 1 --ref fair >>receipts.out 2>&1 || echo "exit $?" >>receipts.out
	[ "$k" -eq 1 ] && during=$(wc -l <import.out)
done
run oms-stock receive SKU-000001 1 --ref fair
wait $import
is "$?" 0 "the long import succeeds"
expect 0 "" "" "receipts during a long import"
is "$(cat receipts.out)" "" "each of them"
is "$(wc -l <import.out)" 60000 "the import passed on every order"
if [ "$during" -gt 0 ] && [ "$during" -lt 60000 ]; then
	ok "a receipt got in between the import's batches ($during of 60000 imported when it was done)"
else
	not_ok "a receipt got in between the import's batches ($during of 60000 imported when it was done)"
fi

# The pipeline over a backlog, with an allocator and receipts running
# beside it: no lock error anywhere, every step exits 0.
export OMS_DB=$SCRATCH/backlog.db
oms-db init -q "$OMS_DB" >/dev/null
oms-stock -q import items.csv
"$GEN" orders -n 4000 -k 50 -s 3 -f csv >backlog.csv
oms-import -q backlog.csv >import.out
for k in $(seq 1 10); do printf 'SKU-%06d 40\n' "$k"; done | oms-stock -q receive -
head -n 1500 import.out | oms-verify-addr -q | oms-auth -q | oms-backorder -q >/dev/null
(for i in $(seq 1 15); do oms-backorder -q -a >/dev/null 2>>bg.err || echo "backorder $?" >>bg.err; done) &
bg1=$!
(for i in $(seq 1 100); do
	oms-stock -q receive "SKU-0000$((10 + i % 40))" 2 2>>bg.err || echo "receive $?" >>bg.err
done) &
bg2=$!
oms-order list --status new >new.ids
head -n 1500 new.ids | oms-verify-addr -q 2>v.err | oms-auth -q 2>a.err | oms-backorder -q 2>b.err |
	oms-pick -q --max-orders 500 -o picks.txt 2>p.err >picked.ids
echo "$?" >pick.status
wait $bg1 $bg2
is "$(cat v.err a.err b.err p.err)" "" "the pipeline's steps said nothing"
is "$(cat pick.status)" 0 "and the last step exited 0"
is "$(cat bg.err)" "" "the allocator and the receipts beside it failed nothing"
is "$(sql "SELECT count(*) FROM orders WHERE status = 'new'")" 1000 "every order the pipeline was given left new"
is "$(sql "SELECT count(*) FROM stock WHERE reserved > on_hand OR on_hand < 0")" 0 "nothing oversold"

# A step whose reader went away says so before it ends (by SIGPIPE).
# (More IDs than a pipe holds, in batches: the reader is gone by the second.)
(oms-import -q big.csv 2>epipe.err; echo "$?" >epipe.status) | head -n 1 >/dev/null
is "$(cat epipe.status)" 141 "an import whose reader stopped ends by SIGPIPE"
is "$(cat epipe.err)" "oms-import: stdout: the next command in the pipe stopped reading; what was committed stays, the rest of the input was not read" \
	"and says so"

done_testing
