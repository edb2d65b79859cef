# tests/pg-lib.sh: what the t19xx-pg tests share, sourced after lib.sh.
# make check-pg starts a server and sets OMS_TEST_PG; each test makes
# databases of its own on it and runs the tools on SQLite's file ($LITE)
# and on the server ($PG), comparing what they did.

PSQL=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | tail -n 1)
# psql_on DB SQL: runs SQL as the server's superuser on database DB of the test server.
psql_on() {
	"$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -v VERBOSITY="${VERBOSITY:-terse}" "$(uri_of "$1")" -c "$2"
}
# uri_of DB: the test server's URI for database DB.
uri_of() {
	printf '%s' "$OMS_TEST_PG" | sed "s|/oms?|/$1?|"
}
# new_pg_db DB...: empty databases of these names on the test server.
new_pg_db() {
	for db in "$@"; do
		psql_on oms "DROP DATABASE IF EXISTS $db" 2>/dev/null && psql_on oms "CREATE DATABASE $db" ||
			echo "Bail out! cannot create database $db"
	done
}
LITE=$OMS_DB

# both CMD ARG...: runs a tool on the SQLite file and on the server; the same status, output and messages.
both() {
	OMS_DB=$LITE "$@" >"$SCRATCH/lite.out" 2>"$SCRATCH/lite.err" </dev/null
	lite_rc=$?
	OMS_DB=$PG "$@" >"$SCRATCH/pg.out" 2>"$SCRATCH/pg.err" </dev/null
	pg_rc=$?
}
# both_in FILE CMD ARG...: the same with stdin from FILE.
both_in() {
	in=$1
	shift
	OMS_DB=$LITE "$@" >"$SCRATCH/lite.out" 2>"$SCRATCH/lite.err" <"$in"
	lite_rc=$?
	OMS_DB=$PG "$@" >"$SCRATCH/pg.out" 2>"$SCRATCH/pg.err" <"$in"
	pg_rc=$?
}
# same WHAT: the two runs did the same; the times of now (a second apart at most) aside.
now="$(date -u +%Y-%m-%d)T[0-9:]*Z"
same() {
	is "$pg_rc $(sed "s/$now/NOW/g" "$SCRATCH/pg.out")" "$lite_rc $(sed "s/$now/NOW/g" "$SCRATCH/lite.out")" \
		"$1: status and output"
	is "$(sed "s|$PG|DB|g" "$SCRATCH/pg.err")" "$(sed "s|$LITE|DB|g" "$SCRATCH/lite.err")" "$1: messages"
}
