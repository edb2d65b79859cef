#!/bin/sh
# Output files (-o, --ack): never the database, never half a file.  Every
# file a tool writes is refused when it is the database or one of SQLite's
# files beside it (by name, through links, before SQLite has made it), and
# is written beside its name, renamed into place only after a good run: a
# run with nothing to write, a rejected input, a dry run, a missing
# ship.from or x12.id and a full disk each leave the file that was there
# byte for byte, make none, and leave no temporary behind.
. "$(dirname "$0")/lib.sh"

cat >oms.yaml <<'EOF'
ship:
  from: {company: "Demo Fulfilment", line1: "100 Dock Rd", city: Reno, region: NV,
         postal_code: "89502"}
  methods:
    - {match: "*", carrier: ups, service: ground}
x12:
  id: OMSSELLER
EOF
printf 'sku,description,bin,price,weight\nA1,Widget,A-01-01,1.00,1lb\nB2,Gadget,A-02-01,2.00,1lb\nC3,Gizmo,B-01-01,3.00,1lb\n' >items.csv
oms-stock -q import items.csv
printf 'A1 10000\nB2 10000\nC3 10000\n' | oms-stock -q receive -
# orders FIRST LAST: allocated orders W-FIRST to W-LAST, three lines each.
orders() {
	{
		echo 'order_id,ship_name,ship_line1,ship_city,ship_region,ship_postal_code,payment_method,sku,qty'
		i=$1
		while [ "$i" -le "$2" ]; do
			printf 'W-%d,Pat Lee %d,%d Main St,Reno,NV,89501,prepaid,%s,1\n' $i $i $i A1 $i $i $i B2 $i $i $i C3
			i=$((i + 1))
		done
	} >orders.csv
	oms-import -q orders.csv | oms-verify-addr -q | oms-auth -q | oms-backorder -q >/dev/null ||
		echo "Bail out! orders $1 to $2 are not allocated"
}
# ids FIRST LAST: the IDs of orders W-FIRST to W-LAST.
ids() {
	sql "SELECT id FROM orders WHERE CAST(substr(external_id, 3) AS INTEGER) BETWEEN $1 AND $2 ORDER BY id"
}
orders 1 240
oms-pick -q $(ids 1 240) >/dev/null
orders 1001 1122
oms-import -q "$DATA/x12/two-orders.x12" | oms-verify-addr -q | oms-auth -q | oms-backorder -q >/dev/null 2>&1
is "$(sql "SELECT (SELECT count(*) FROM pick_lines WHERE list_id = 1) || ' ' || group_concat(status || ':' || n, ' ')
	FROM (SELECT status, count(*) n FROM orders GROUP BY 1 ORDER BY 1)")" "720 allocated:123 hold:1 picking:240" \
	"240 orders on list 1, 123 allocated (one from X12), one held"

# state: what the database is and holds.
state() {
	printf '%s %s\n' "$(sql 'PRAGMA integrity_check')" "$(sql "SELECT count(*) || ' ' || group_concat(status || ':' || n, ' ')
		FROM (SELECT status, count(*) n FROM orders GROUP BY 1 ORDER BY 1)")"
}
before=$(state)
# A 997 to acknowledge, with the order the refused runs must not import.
sed 's/PO-4501/PO-9901/; s/PO-4502/PO-9902/' "$DATA/x12/two-orders.x12" >po.x12

# 1. The database and its files, however named, are refused before anything is done.
mkdir sub
ln -s oms.db dblink
ln -s oms.db-wal walink
for p in oms.db oms.db-wal oms.db-shm oms.db-journal dblink walink sub/../oms.db "$SCRATCH/oms.db"; do
	case $p in
	*-wal|walink) what="is the database's -wal file" ;;
	*-shm) what="is the database's -shm file" ;;
	*-journal) what="is the database's -journal file" ;;
	*) what="is the database" ;;
	esac
	while IFS= read -r w; do
		set -- $(printf '%s\n' "$w" | sed "s|@|$p|")
		run "$@"
		expect 2 "" "$1: $p: $what" "$w, @ $p: refused"
		is "$(state)" "$before" "$w, @ $p: the database is intact, nothing done"
	done <<'EOF'
oms-pick -a -o @
oms-pick -a --format pdf -o @
oms-pick show -o @ 1
oms-pick show --format csv -o @ 1
oms-pick show --format json -o @ 1
oms-pick show --format pdf -o @ 1
oms-pick slips -o @ 1
oms-pick slips --format pdf -o @ 1
oms-import --ack @ po.x12
oms-ship export --format worldship -a -o @
oms-ship confirm --format csv -o @
EOF
done
ln oms.db hard.db
run oms-pick -a -o hard.db
expect 2 "" "oms-pick: hard.db: is the database" "a hard link to the database: the same file"
rm hard.db
is "$(ls -A | grep -c '^\.')" 0 "no temporary is left"
run oms-pick -a -o -
expect 2 "" "oms-pick: -o -: the IDs picked go to standard output; name a file for the lists" \
	"a run's lists do not go where its IDs go"
run oms-import --ack - po.x12
expect 2 "" "oms-import: --ack -: the IDs imported go to standard output; name a file for the 997" \
	"nor the 997"
run oms-pick -o lists.txt confirm 1
like "$(err)" "^oms-pick: -o goes with picking \(no command\), show and slips" "-o is refused where nothing is written"
run oms-ship -o x.txt list
like "$(err)" "^oms-ship: -o goes with export and confirm" "-o is for export and confirm"
run oms-pick -a -o sub
expect 2 "" "oms-pick: sub: is a directory" "a directory is refused"
run oms-pick -a -o nodir/lists.txt
expect 2 "" "oms-pick: nodir/lists.txt: No such file or directory" "a missing directory is refused"
is "$(state)" "$before" "and nothing was done"

# 2. A good run replaces the file; its mode, a link and a FIFO are kept.
mkdir dst
printf 'precious\n' >keep
# kept DESC: dst/f is as it was, and alone in dst/.
kept() {
	if cmp -s dst/f keep; then ok "$1: the file is as it was"; else not_ok "$1: the file is as it was"; fi
	is "$(ls -A dst | tr '\n' ' ')" "f " "$1: no other file, no temporary"
}
oms-pick show 1 >show.txt
cp keep dst/f
chmod 640 dst/f
run oms-pick show -o dst/f 1
expect 0 "" "" "show -o"
cmp -s dst/f show.txt && ok "the file holds the list" || not_ok "the file holds the list"
is "$(stat -c %a dst/f)" 640 "the file keeps its mode"
is "$(ls -A dst)" f "and nothing else is there"
(umask 027 && oms-pick show -o dst/new 1)
is "$(stat -c %a dst/new)" 640 "a new file is 0666 less the umask, as open(2) makes it"
rm dst/new
ln -s ../real.txt dst/link
run oms-pick show -o dst/link 1
is "$(readlink dst/link)" ../real.txt "a link stays a link"
cmp -s real.txt show.txt && ok "and the file it names is written" || not_ok "and the file it names is written"
rm dst/link real.txt
mkfifo fifo
cat fifo >fromfifo &
run oms-pick show -o fifo 1
# A tool that never opened the FIFO must not leave its reader waiting.
exec 8<>fifo
exec 8>&-
wait $!
is "$rc" 0 "a FIFO is written in place"
cmp -s fromfifo show.txt && ok "the reader gets the list" || not_ok "the reader gets the list"
[ -p fifo ] && ok "and the FIFO is still one" || not_ok "and the FIFO is still one"
run oms-pick show -o - 1
is "$(out)" "$(cat show.txt)" "-o - is standard output"
oms-ship export --format worldship $(ids 1 3) >ws.xml
run oms-ship export --format worldship -o dst/ws.xml $(ids 1 3)
expect 0 "" "" "export -o, for a hot folder"
cmp -s dst/ws.xml ws.xml && ok "the file is what standard output gets" ||
	not_ok "the file is what standard output gets"
rm dst/ws.xml
if command -v pdftotext >/dev/null; then
	run oms-pick --max-orders 1 -o dst/waves.pdf $(ids 1121 1122)
	is "$(pdftotext dst/waves.pdf - | grep -c '^PICK LIST')" 2 "waves of one run are one PDF, every wave in it"
	rm dst/waves.pdf
else
	ok "# SKIP pdftotext is not installed"
fi

# 3. Runs that fail, or have nothing to write, leave the file be.
# fails STATUS DESC CMD ARG...: the run, with @ for the file, ends STATUS,
# dst/f as it was; with a new name, none is made.
fails() {
	local status=$1 desc=$2 file n a
	shift 2
	cp keep dst/f
	for file in dst/new dst/f; do
		n=$#
		while [ $n -gt 0 ]; do
			a=$1
			shift
			[ "$a" = @ ] && a=$file
			set -- "$@" "$a"
			n=$((n - 1))
		done
		run "$@"
		is "$rc" "$status" "$desc, -o $file: exit status $status"
		n=$#
		while [ $n -gt 0 ]; do
			a=$1
			shift
			[ "$a" = $file ] && a=@
			set -- "$@" "$a"
			n=$((n - 1))
		done
	done
	kept "$desc"
}
fails 0 "pick: nothing to pick" oms-pick -a --ship-method teleport -o @
fails 1 "pick: an unknown order" oms-pick -o @ 99999
fails 0 "pick: a dry run" oms-pick -n -a -o @
is "$(err)" "oms-pick: dst/f: not written (dry run)" "a dry run says so"
is "$(sql "SELECT count(*) FROM orders WHERE status = 'allocated'")" 121 "and picks nothing"
fails 1 "show: an unknown list" oms-pick show -o @ 99
fails 1 "slips: an unknown list, PDF" oms-pick slips --format pdf -o @ 99
fails 1 "export: an unknown order" oms-ship export --format csv -o @ 99999
printf 'ship:\n  from: {company: "X"}\n' >noship.yaml
fails 2 "export: no ship.from" oms-ship -c noship.yaml export --format worldship -a -o @
fails 0 "confirm: a dry run" oms-ship -n confirm --format csv -o @
fails 0 "confirm: nothing shipped to confirm" oms-ship confirm --format amazon -o @
sed 's/\*2\*EA\*9.99/*-2*EA*9.99/' po.x12 >bad.x12
fails 1 "import: --strict, an order rejected" oms-import --strict --ack @ bad.x12
fails 0 "import: nothing to acknowledge" oms-import --ack @ orders.csv
fails 0 "import: a dry run" oms-import -n --ack @ po.x12
is "$(sql "SELECT count(*) FROM orders WHERE external_id LIKE 'PO-99%'")" 0 "and imports nothing"

# 4. A full disk: writes past a size fail with EFBIG (SIGXFSZ ignored).
# SQLite's -shm needs 32 KiB, so a limit of 33 KiB lets a tool open the
# database; what these write is larger.  (ulimit -f counts 512 bytes
# under dash and 1024 under bash; prlimit counts bytes.)
# full STATUS DESC CMD ARG...: fails, with files limited to 33 KiB.
full() {
	local status=$1 desc=$2
	shift 2
	fails "$status" "$desc" sh -c 'trap "" XFSZ; exec prlimit --fsize=33792 "$@"' sh "$@"
	like "$(err)" "^oms-[a-z]*: dst/f: File too large" "$desc: the error names the file"
}
if command -v prlimit >/dev/null; then
	full 3 "slips: a full disk" oms-pick slips -o @ 1
	full 3 "slips: a full disk, PDF" oms-pick slips --format pdf -o @ 1
	full 3 "show: a full disk, JSON" oms-pick show --by order --format json -o @ 1
	full 3 "export: a full disk" oms-ship export --format worldship -a -o @

	# A run commits its lists, then writes them: the limit comes between
	# the two, once the run has printed the IDs it committed.
	# pick_full FIRST LAST ARG...: oms-pick -o dst/f ARG... over W-FIRST to W-LAST on stdin.
	pick_full() {
		local first=$1 last=$2 pid i=0
		shift 2
		cp keep dst/f
		rm -f fifo
		mkfifo fifo
		(trap '' XFSZ; exec oms-pick -o dst/f "$@" <fifo >"$SCRATCH/out" 2>"$SCRATCH/err") &
		pid=$!
		exec 9>fifo
		ids "$first" "$last" >&9
		while [ "$(wc -l <"$SCRATCH/out")" -lt $((last - first + 1)) ] && [ $i -lt 200 ]; do
			sleep 0.05
			i=$((i + 1))
		done
		prlimit --pid "$pid" --fsize=2048
		exec 9>&-
		wait "$pid"
		rc=$?
	}
	lists=$(sql 'SELECT max(id) FROM pick_lists')
	pick_full 1001 1060 --format pdf --max-orders 20
	is "$rc" 3 "pick: a full disk, PDF: exit status 3"
	# (What LeakSanitizer says of fontconfig under make check-asan is cut.)
	is "$(err | sed '/^-----/,$d')" "oms-pick: dst/f: File too large
oms-pick: pick lists $((lists + 1)) to $((lists + 3))
oms-pick: dst/f: not written; print the lists with oms-pick show -o" \
		"pick: a full disk, PDF: the lists are made, the file is not, and what to do is said"
	kept "pick: a full disk, PDF"
	pick_full 1061 1120 --by order
	is "$rc" 3 "pick: a full disk, text: exit status 3"
	kept "pick: a full disk, text"
	is "$(sql "SELECT count(*) FROM orders WHERE status = 'allocated'")" 1 "the orders are on their lists"
else
	for i in $(seq 1 28); do ok "# SKIP prlimit is not installed"; done
fi

# 5. Confirmations: one that cannot be written is not recorded as sent.
oms-pick -q -a >/dev/null
oms-ship -q -a --carrier ups --service ground >/dev/null
shipped=$(sql 'SELECT count(*) FROM shipments')
printf 'ship:\n  from: {company: "X", line1: "1 A St", city: Reno, postal_code: "89502"}\n' >nox12.yaml
# Orders from before oms kept their 850's envelope need x12.id.
sql "DELETE FROM x12_lines; DELETE FROM x12_orders" >/dev/null
fails 2 "confirm: an ASN without x12.id" oms-ship -c nox12.yaml confirm --asn -o @
oms-ship -n confirm --format csv --since 2000-01-01 >confirm.csv
if command -v prlimit >/dev/null; then
	full 3 "confirm: a full disk" oms-ship confirm --format csv -o @
	is "$(sql 'SELECT count(*) FROM confirmations')" 0 "confirm: a full disk: nothing is recorded as sent"
else
	for i in $(seq 1 6); do ok "# SKIP prlimit is not installed"; done
fi
run oms-ship confirm --format csv -o dst/f
expect 0 "" "" "confirm -o"
cmp -s dst/f confirm.csv && ok "the file holds every confirmation" ||
	not_ok "the file holds every confirmation"
is "$(sql 'SELECT count(*) FROM confirmations')" "$shipped" "and they are recorded as sent"
cp dst/f keep
fails 0 "confirm: nothing new" oms-ship confirm --format csv -o @
printf 'precious\n' >keep

# 6. A 997 that cannot be written.
if command -v prlimit >/dev/null; then
	# A 997 of 2,000 sets, for orders already in: re-importing writes nothing but the 997.
	awk 'BEGIN {
		print "ISA*00*          *00*          *ZZ*ACMEBUYER      *ZZ*OMSSELLER      *261120*0930*U*00401*000000777*0*P*:~"
		print "GS*PO*ACMEBUYER*OMSSELLER*20261120*0930*777*X*004010~"
		for (i = 1; i <= 2000; i++) {
			printf "ST*850*%04d~\nBEG*00*SA*BIG-%d**20261118~\nN1*ST*Pat Lee~\nN3*1 Main St~\n", i, i
			printf "N4*Reno*NV*89501~\nPO1*1*1*EA*1.00**VP*A1~\nCTT*1~\nSE*8*%04d~\n", i
		}
		print "GE*2000*777~"
		print "IEA*1*000000777~"
	}' >big.x12
	oms-import -q --ack big.997 big.x12 >/dev/null
	full 3 "import: a full disk" oms-import --ack @ big.x12
	like "$(err)" "dst/f: not written" "import: a full disk: the 997 is said not to be written"
else
	for i in $(seq 1 6); do ok "# SKIP prlimit is not installed"; done
fi
cp "$DATA/x12/bad-qty.x12" po.x12
cp po.x12 po.orig
run oms-import --ack po.x12 po.x12
expect 2 "" "oms-import: --ack po.x12: is an input of this run, not a place for its 997" \
	"--ack naming the purchase order being read is refused"
is "$(cmp po.x12 po.orig && echo same)" same "and the purchase order is left as it was"
is "$(sql 'PRAGMA integrity_check')" ok "the database is sound"

done_testing
