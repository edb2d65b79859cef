#!/bin/sh
# oms-db and the database as a whole.
. "$(dirname "$0")/lib.sh"

# A database one may not reach is not a missing one.
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null; then
	chmod 711 "$SCRATCH"
	mkdir -m 700 private
	oms-db init -q private/oms.db >/dev/null
	run runuser -u nobody -- env PATH="$PATH" oms-stock -d "$SCRATCH/private/oms.db" show
	expect 3 "" "oms-stock: $SCRATCH/private/oms.db: Permission denied" \
		"a database in a directory one may not search is not called missing (exit 3)"
else
	ok "# SKIP a database out of reach: not root"
fi

done_testing
