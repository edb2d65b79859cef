#!/bin/sh
# The schema on PostgreSQL (lib/schema_pg.c, one script) is the schema
# SQLite's migrations build (lib/schema.c): the same tables with the same
# columns in the same order, and the same indexes, so that a migration
# written for one and not the other fails here, not at a site.  Runs under
# make check-pg, which starts a server and sets OMS_TEST_PG.
if [ -z "${OMS_TEST_PG:-}" ]; then
	echo "1..0 # SKIP no PostgreSQL server (make check-pg starts one)"
	exit 0
fi
. "$(dirname "$0")/lib.sh"

. "$TESTS_DIR/pg-lib.sh"
new_pg_db t1990
PG=$(uri_of t1990)
run oms-db init -q "$PG"
is "$rc" 0 "oms-db init makes the server's database oms's"

# What only the server has: its record of the schema (SQLite keeps it in
# PRAGMAs) and the stored sort key of bins (SQLite has a collation).
ONLY_PG="'oms_meta.application', 'oms_meta.version', 'items.bin_key', 'pick_lines.bin_key'"
is "$(psql_on t1990 "SELECT table_name || '.' || column_name FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name || '.' || column_name NOT IN ($ONLY_PG)
    ORDER BY table_name, ordinal_position")" \
   "$(sql "SELECT m.name || '.' || p.name FROM sqlite_schema m, pragma_table_info(m.name) p
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid")" \
	"the same tables, with the same columns in the same order"
# Indexes by name: the server's own for keys and UNIQUE constraints, and
# oms_meta's, are not SQLite's named ones.
is "$(psql_on t1990 "SELECT indexname FROM pg_indexes i WHERE schemaname = 'public'
    AND tablename <> 'oms_meta' AND NOT EXISTS (SELECT 1 FROM pg_constraint c
    WHERE c.conindid = format('%I', i.indexname)::regclass) ORDER BY 1")" \
   "$(sql "SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%'
    ORDER BY 1")" \
	"the same indexes"
is "$(psql_on t1990 "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")" \
   "$(($(sql "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") + 1))" \
	"and no table more than oms_meta"

done_testing
