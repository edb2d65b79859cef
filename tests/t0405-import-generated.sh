#!/bin/sh
# The generator's data (scripts/gen-orders, which the bench feeds the tools):
# its Shopify export is what oms-import -f shopify takes whole, the same
# orders as its own CSV.
. "$(dirname "$0")/lib.sh"

GEN=$TESTS_DIR/../scripts/gen-orders
"$GEN" items -n 40 -s 9 >items.csv
oms-stock -q import items.csv
"$GEN" orders -f shopify -n 300 -s 9 -k 40 >shop.csv
run oms-import -f shopify shop.csv
is "$rc.$(err)" "0." "300 generated Shopify orders import without a complaint"
is "$(out | wc -l | tr -d ' ')" 300 "every one of them"
is "$(sql "SELECT count(*) FROM orders WHERE source = 'shopify' AND external_id LIKE '#1%'")" 300 \
	"under Shopify's names (#1001 on)"
is "$(sql "SELECT payment_method, count(payment_ref) > 0 FROM orders GROUP BY 1 ORDER BY 1")" "card|1
prepaid|0" "paid at the cart, or authorized there"
is "$(sql "SELECT count(*) FROM orders WHERE payment_method = 'card' AND payment_ref IS NULL")" 0 \
	"each authorized one with the reference its capture needs"
like "$(sql "SELECT count(*) FROM orders WHERE payment_method = 'card'")" '^[1-9][0-9]$' "some authorized, most paid"

# The same orders as the generator's own CSV: lines, quantities, prices, totals.
fresh_db
oms-stock -q import items.csv
"$GEN" orders -f csv -n 300 -s 9 -k 40 >own.csv
oms-import -q own.csv >/dev/null
sql "SELECT o.id, l.line_no, l.sku, l.qty, l.unit_price, o.subtotal, o.shipping, o.tax, o.total
    FROM orders o JOIN order_lines l ON l.order_id = o.id ORDER BY o.id, l.line_no" >own.rows
fresh_db
oms-stock -q import items.csv
oms-import -q -f shopify shop.csv >/dev/null
sql "SELECT o.id, l.line_no, l.sku, l.qty, l.unit_price, o.subtotal, o.shipping, o.tax, o.total
    FROM orders o JOIN order_lines l ON l.order_id = o.id ORDER BY o.id, l.line_no" >shop.rows
if cmp -s own.rows shop.rows; then
	ok "the Shopify export holds the orders of the generator's CSV ($(wc -l <own.rows | tr -d ' ') lines)"
else
	not_ok "the Shopify export holds the orders of the generator's CSV"
	diff own.rows shop.rows | head -n 10 | sed 's/^/#   /' >&2
fi
done_testing
