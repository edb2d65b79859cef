# tests/lib.sh: small TAP helpers.  Each test script sources this, gets a
# scratch directory of its own as its working directory and a fresh database
# path in $OMS_DB, runs the real tools, and ends with done_testing.
#
# The tool under test is never piped: run() keeps stdout, stderr and the exit
# status apart, so every test can assert each of them exactly.

set -u
: "${OMS_BIN:=$(cd "$(dirname "$0")/.." && pwd)/build/bin}"
PATH=$OMS_BIN:$PATH
TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
DATA=$TESTS_DIR/data
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/oms-test.XXXXXX")
FAKE_PIDS=
cleanup() {
	[ -n "$FAKE_PIDS" ] && kill $FAKE_PIDS 2>/dev/null && wait $FAKE_PIDS 2>/dev/null
	rm -rf "$SCRATCH"
}
trap cleanup EXIT
cd "$SCRATCH" || exit 1
export OMS_DB=$SCRATCH/oms.db OMS_USER=tester
unset OMS_CONFIG VISUAL EDITOR
export LC_ALL=C.UTF-8
# fresh_db: a new, empty database at $OMS_DB (only oms-db init makes one).
fresh_db() {
	rm -f "$OMS_DB" "$OMS_DB-wal" "$OMS_DB-shm"
	oms-db init -q "$OMS_DB" >/dev/null || echo "Bail out! oms-db init failed"
}
fresh_db

test_count=0
test_failed=0

ok() {
	test_count=$((test_count + 1))
	echo "ok $test_count - $1"
}

not_ok() {
	test_count=$((test_count + 1))
	test_failed=$((test_failed + 1))
	echo "not ok $test_count - $1"
}

# run CMD ARG...: runs a command; $rc, $SCRATCH/out and $SCRATCH/err hold what it did.
run() {
	"$@" >"$SCRATCH/out" 2>"$SCRATCH/err" </dev/null
	rc=$?
}

# run_in FILE CMD ARG...: the same with stdin from FILE.
run_in() {
	local in=$1
	shift
	"$@" >"$SCRATCH/out" 2>"$SCRATCH/err" <"$in"
	rc=$?
}

# is GOT EXPECTED DESCRIPTION
is() {
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3"
		# On stderr, so that prove shows why without -v.
		printf '%s\n' "# expected:" "$2" "# got:" "$1" | sed 's/^/#   /' >&2
	fi
}

# isnt GOT UNEXPECTED DESCRIPTION
isnt() {
	if [ "$1" != "$2" ]; then
		ok "$3"
	else
		not_ok "$3"
		echo "#   got $1, which it should not be" >&2
	fi
}

# like GOT PATTERN DESCRIPTION: GOT matches the extended regular expression.
like() {
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		ok "$3"
	else
		not_ok "$3"
		printf '%s\n' "# expected to match: $2" "# got:" "$1" | sed 's/^/#   /' >&2
	fi
}

# expect STATUS STDOUT STDERR DESCRIPTION: checks the last run() exactly.
expect() {
	is "$rc" "$1" "$4: exit status $1"
	is "$(cat "$SCRATCH/out")" "$2" "$4: stdout"
	is "$(cat "$SCRATCH/err")" "$3" "$4: stderr"
}

out() { cat "$SCRATCH/out"; }
err() { cat "$SCRATCH/err"; }

# sql QUERY: reads the test database directly, as an ops engineer would.
# (sqlite3 waits for a lock as oms does: a writer checkpointing as it
# closes holds one for a moment.)
sql() {
	sqlite3 -batch -cmd '.timeout 30000' "$OMS_DB" "$@"
}

# catalog: a small catalog with stock, for tests that need orders.
catalog() {
	printf 'sku,description,weight,bin,price\nA1,Widget,1.5,A-01-01,9.99\nB2,"Gadget, big",24oz,A-02-10,19.50\nC3,Gizmo,100g,B-01-02,\n' >"$SCRATCH/items.csv"
	oms-stock -q import "$SCRATCH/items.csv" >/dev/null || echo "Bail out! catalog import failed"
}

# fake_start SCRIPT ARG...: runs a fake outside service from tests/fake on
# a free loopback port and waits until it listens; $FAKE_PORT is its port
# and $FAKE_PID its process.  Every fake is stopped when the test ends.
fake_start() {
	local script=$1 i=0
	shift
	rm -f "$SCRATCH/fake.port"
	python3 "$TESTS_DIR/fake/$script" "$@" >"$SCRATCH/fake.port" 2>"$SCRATCH/fake.err" &
	FAKE_PID=$!
	FAKE_PIDS="$FAKE_PIDS $FAKE_PID"
	while [ ! -s "$SCRATCH/fake.port" ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ -s "$SCRATCH/fake.port" ] || echo "Bail out! $script did not start: $(cat "$SCRATCH/fake.err")"
	FAKE_PORT=$(cat "$SCRATCH/fake.port")
}

done_testing() {
	echo "1..$test_count"
	[ "$test_failed" -eq 0 ]
}

# The trigger that kept stock the ledger's sum up to schema 16 (migration
# 17 drops it), for a test's database of an older schema made by hand.
OLD_LEDGER_TRIGGER="CREATE TRIGGER stock_moves_apply AFTER INSERT ON stock_moves BEGIN
  INSERT OR IGNORE INTO stock (sku) VALUES (NEW.sku);
  UPDATE stock SET on_hand = on_hand + NEW.d_on_hand,
    reserved = reserved + NEW.d_reserved WHERE sku = NEW.sku;
END;"
# Stock made its ledger's sum again, as the tools keep it, after a test's
# ledger rows written by hand.
STOCK_FROM_LEDGER="INSERT OR IGNORE INTO stock (sku) SELECT DISTINCT sku FROM stock_moves;
  UPDATE stock SET on_hand = (SELECT sum(d_on_hand) FROM stock_moves m WHERE m.sku = stock.sku),
    reserved = (SELECT sum(d_reserved) FROM stock_moves m WHERE m.sku = stock.sku);"
