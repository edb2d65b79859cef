#!/bin/sh
# oms-import: WooCommerce orders, from REST API v3 JSON files and from a
# store's API (tests/fake/woo.py on loopback): mapped exactly, added once,
# every bad order refused with its reason, every network failure reported.
. "$(dirname "$0")/lib.sh"

# Nothing from the caller's environment: no proxy in the way of 127.0.0.1, no real store.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
unset OMS_WOO_KEY OMS_WOO_SECRET OMS_WOO_STATUS OMS_HTTP_TIMEOUT OMS_HTTP_CONNECT_TIMEOUT \
	OMS_HTTP_TRIES
cp "$DATA"/woo/*.json .

fake_pid=
# start_fake: runs the fake store on a free port, in pages of 2; $URL is its
# address.  mode MODE switches it (tests/fake/woo.py lists the modes).
start_fake() {
	rm -f requests.log control
	fake_start woo.py --idle 30 --log requests.log --control control --page-size 2 \
		--key ck_test --secret cs_never_shown store.json
	fake_pid=$FAKE_PID
	URL=http://127.0.0.1:$FAKE_PORT
	EP="$URL/wp-json/wc/v3/orders?per_page=100"
	Q="orderby=date&order=asc&status=processing,on-hold"
}
stop_fake() {
	if [ -n "$fake_pid" ]; then
		kill "$fake_pid" 2>/dev/null
		wait "$fake_pid" 2>/dev/null
		fake_pid=
	fi
}
mode() {
	echo "$1" >control
	: >requests.log
}

# from ARG...: oms-import --from ARG..., keeping all it wrote to look for the secret in.
from() {
	run oms-import --from "$@"
	cat "$SCRATCH/out" "$SCRATCH/err" >>everything
}
# from_env VAR=VALUE... -- ARG...: the same with those variables set for it alone.
from_env() {
	local vars=
	while [ "$1" != -- ]; do
		vars="$vars $1"
		shift
	done
	shift
	# shellcheck disable=SC2086
	run env $vars oms-import --from "$@"
	cat "$SCRATCH/out" "$SCRATCH/err" >>everything
}

# requests: the pages the fake was asked for, in order, and whether the key was right.
requests() {
	sed -e 's/.*[?&]page=\([0-9]*\).* auth=\(.*\)/\1 \2/' requests.log | tr '\n' ' '
}

### Files

run oms-import -f woocommerce order.json
expect 0 1 "" "one order object: imported, its ID printed"
is "$(sql "SELECT source, external_id, status, customer_name, customer_email, customer_phone,
	placed_at, currency, subtotal, discount, shipping, tax, total, payment_method,
	payment_token IS NULL, payment_ref, ship_method FROM orders WHERE id = 1")" \
	"woocommerce|1042|new|Zoë Ñúñez-Åberg|zoe@example.com|+1 617 555 0142|2026-11-02T14:15:09Z|USD|6448|645|500|363|6666|prepaid|1|ch_3Nk1042abc|Flat rate" \
	"paid order: UTC time, exact amounts (discount, shipping, tax), prepaid with the transaction as reference"
is "$(sql "SELECT ship_name, ship_company IS NULL, ship_line1, ship_line2, ship_city, ship_region,
	ship_postal_code, ship_country, bill_name, bill_postal_code FROM orders WHERE id = 1")" \
	"Zoë Ñúñez-Åberg|1|88 Beacon Street|Apt 3|Boston|MA|02108|US|Zoë Ñúñez-Åberg|02108" \
	"ship-to and bill-to: non-ASCII names kept, the ZIP keeps its leading zero"
is "$(sql "SELECT line_no, sku, qty, unit_price FROM order_lines WHERE order_id = 1")" \
	"1|WIDGET-1|2|1999
2|GADGET-2|1|2450" "lines: SKU, quantity, unit price from the line's subtotal"
is "$(sql "SELECT group_concat(external_line_id, ' ') FROM order_lines WHERE order_id = 1")" "501 502" \
	"each line keeps its line item's id, for the confirmation"
is "$(sql "SELECT detail FROM events WHERE order_id = 1 AND what = 'created'")" \
	"from order.json: order #1042" "the history says where the order came from"

run oms-import -f woocommerce order.json
expect 0 1 "" "the same file again: nothing added, the same ID passed on"
is "$(sql 'SELECT count(*) FROM orders')" 1 "still one order"

run_in order.json oms-import -f woocommerce
expect 0 1 "" "from stdin too"

status_refused='not imported (only pending, on-hold, processing, completed, refunded and cancelled orders are)'
run oms-import -f woocommerce orders.json
expect 0 "2
3
6
7" "" \
	"a list of orders: the cancelled and the refunded one added cancelled, not passed on"
is "$(sql "SELECT external_id, currency, subtotal, shipping, tax, total, payment_method,
	coalesce(payment_ref, '-'), status FROM orders WHERE id > 1 ORDER BY id")" \
	"1043|EUR|2518|420|559|3497|prepaid|pi_3Nk1043|new
1044|USD|1999|0|0|1999|card|-|new
1045|USD|1999|500|0|2499|card|-|cancelled
1046|USD|2450|500|0|2950|prepaid|ch_1046|cancelled
1047|USD|14396|1250|1188|16834|prepaid|ch_3Nk1047|new
1048|EUR|1679|600|0|2279|card|-|new" \
	"processing/completed and paid: prepaid; on-hold and pending: a card still to authorize"
is "$(sql "SELECT group_concat(detail, '; ') FROM events WHERE order_id IN (4, 5) AND what = 'cancel'")" \
	"cancelled at woocommerce; refunded at woocommerce" "the history says why they are cancelled"
is "$(sql "SELECT sum(qty - cancelled) FROM order_lines WHERE order_id IN (4, 5)")" 0 \
	"and every unit of them is cancelled"
is "$(sql "SELECT ship_name, ship_line1, ship_city, ship_region, ship_postal_code,
	coalesce(bill_name, '-') FROM orders WHERE external_id = '1044'")" \
	"Siobhán O'Brien|1 Hudson Place|Hoboken|NJ|07030|-" \
	"an empty shipping address: billing stands in (and is not repeated as bill-to)"
is "$(sql "SELECT ship_company, ship_line2 FROM orders WHERE external_id = '1047'")" \
	"Analytical Engines Ltd|Suite 1200" "company and second address line"
is "$(sql "SELECT notes FROM orders WHERE external_id = '1048'")" \
	"Please leave with the concierge." "the customer's note"
is "$(sql "SELECT o.external_id, l.line_no, l.qty, l.unit_price FROM order_lines l
	JOIN orders o ON o.id = l.order_id WHERE l.sku = 'MUG-3' ORDER BY l.id")" \
	"1043|1|2|839
1043|2|1|840
1048|1|1|839
1048|2|1|840" \
	"a subtotal the quantity does not divide (3 for 25.18): two lines a cent apart, exact to the cent"
is "$(sql "SELECT sum(qty * unit_price) FROM order_lines l JOIN orders o ON o.id = l.order_id
	WHERE o.external_id = '1043'")" 2518 "and they add up to the line's subtotal"
is "$(sql "SELECT group_concat(l.external_line_id, ' ') FROM order_lines l JOIN orders o ON o.id = l.order_id
	WHERE l.sku = 'MUG-3'")" "511 511 561 561" "both halves are the one line item the store knows"

run oms-import -f woocommerce orders.json
expect 0 "2
3
6
7" "" "the list again: the same IDs, nothing added"
is "$(sql 'SELECT count(*) FROM orders')" 7 "still seven orders"

run oms-import -f woocommerce bad.json
expect 1 "" "oms-import: bad.json: order 1 (#3001): total 168.43 does not match the lines less discount plus shipping and tax, which come to 168.34: not imported
oms-import: bad.json: order 2 (#3002): line_items 2 (\"Gadget, big\"): neither a SKU nor a product_id
oms-import: bad.json: order 3 (#3003): line_items 1: quantity: 0 is not a positive whole number
oms-import: bad.json: order 4 (#3004): total: expected an amount as text (\"19.99\"), found a number
oms-import: bad.json: order 5 (#3005): customer_note: holds what looks like a card number; refused (not stored)
oms-import: bad.json: order 6 (#3006): has a fee (\"Gift wrap\", 5.00), which oms cannot carry: not imported
oms-import: bad.json: order 7 (#3007): currency: \"XBT\" is not an ISO 4217 code oms knows
oms-import: bad.json: order 8 (#3001): order #3001 appears twice in this input (first as order 1)
oms-import: bad.json: order 9: expected an order (an object), found a number
oms-import: bad.json: order 10: the order has no number (neither \"number\" nor \"id\")
oms-import: bad.json: order 11 (#3011): status \"failed\": $status_refused
oms-import: bad.json: order 12 (#3012): line_items 3: subtotal: \"15.001\" is not an amount in USD (too many digits)
oms-import: bad.json: order 13 (#3013): date_created_gmt: \"yesterday\" is not a date and time
oms-import: bad.json: order 14 (#3014): customer.name: holds a control character" \
	"each bad order refused with its reason"
is "$(sql 'SELECT count(*) FROM orders')" 7 "none of them added"
run grep -c 4111 "$SCRATCH/err"
is "$(out)" 0 "the card number is not echoed"

run oms-import -f woocommerce malformed.json
expect 1 "" "oms-import: malformed.json:6:14: not valid JSON: '}' expected" \
	"JSON that does not parse: the place jansson found, nothing imported"

{ printf '['; head -c 67108864 /dev/zero | tr '\0' ' '; printf ']'; } >big.json
run oms-import -f woocommerce big.json
expect 1 "" "oms-import: big.json: larger than 64 MiB: split the export, or use --from, which reads the store page by page" \
	"a file past the size cap is refused before it is parsed"
rm -f big.json

python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))[:1] + json.load(open(sys.argv[2]))))' \
	bad.json orders.json >strict.json
n0=$(sql 'SELECT count(*) FROM orders')
run oms-import -f woocommerce --strict strict.json
expect 1 "" "oms-import: strict.json: order 1 (#3001): total 168.43 does not match the lines less discount plus shipping and tax, which come to 168.34: not imported
oms-import: --strict: nothing imported" "--strict: a refused order, and nothing of the file counts"
is "$(sql 'SELECT count(*) FROM orders')" "$n0" "nothing added"

### From the store

export OMS_DB=$SCRATCH/store.db
oms-db init -q "$OMS_DB" >/dev/null

from http://127.0.0.1:9
expect 2 "" "oms-import: OMS_WOO_KEY and OMS_WOO_SECRET must be set to the store's REST API consumer key and secret" \
	"--from without the key: a configuration error"

export OMS_WOO_KEY=ck_test OMS_WOO_SECRET=cs_never_shown

start_fake
from "$URL"
expect 0 "1
2
3
4
5" "" "--from: five orders over three pages"
is "$(requests)" "1 ok 2 ok 3 ok " "pages 1 to 3 asked for, as X-WP-TotalPages said, with the key"
is "$(sql "SELECT group_concat(external_id || ':' || payment_method, ' ') FROM orders")" \
	"2001:prepaid 2002:prepaid 2003:card 2004:prepaid 2005:prepaid" \
	"processing and on-hold orders by default, oldest first; the cancelled one not asked for"
is "$(sql "SELECT ship_name, ship_postal_code FROM orders WHERE external_id = '2003'")" \
	"Chloé Dubois|05401" "mapped as from a file"
is "$(sql "SELECT detail FROM events WHERE order_id = 5 AND what = 'created'")" "from $URL page 3: order 1 (#2005)" \
	"the history names the store and the page"

: >requests.log
from "$URL/"
expect 0 "1
2
3
4
5" "" "again: nothing added, the same IDs"
is "$(sql 'SELECT count(*) FROM orders')" 5 "still five orders"

from_env OMS_WOO_STATUS=any -- "$URL"
expect 0 "1
2
3
4
5" "" "OMS_WOO_STATUS=any: the cancelled order comes too, added cancelled, not passed on"
is "$(sql "SELECT status FROM orders WHERE external_id = '2006'")" cancelled "for the history"

from_env OMS_WOO_STATUS='processing;drop' -- "$URL"
expect 2 "" "oms-import: OMS_WOO_STATUS: expected order statuses separated by commas (\"processing,on-hold\")" \
	"a bad status filter"

: >requests.log
from_env OMS_WOO_SECRET=wrong -- "$URL"
expect 2 "" "oms-import: $EP&page=1&$Q: HTTP 401 Unauthorized: Consumer secret is invalid. (check OMS_WOO_KEY and OMS_WOO_SECRET)" \
	"a wrong secret: the store's word for it, a configuration error"
is "$(requests)" "1 bad " "asked once: a 401 is not retried"

from "$URL/shop"
expect 2 "" "oms-import: $URL/shop/wp-json/wc/v3/orders?per_page=100&page=1&$Q: HTTP 404 Not Found: No route was found matching the URL and request method. (is this a WooCommerce store's address?)" \
	"no store at that address"

from "http://ck_test:cs_never_shown@127.0.0.1:9"
expect 2 "" "oms-import: http://127.0.0.1:9: credentials in the address are refused: set OMS_WOO_KEY and OMS_WOO_SECRET" \
	"credentials in the URL are refused, and not echoed"

from "http://shop.example.com"
expect 2 "" "oms-import: http://shop.example.com: the key would cross the network unencrypted: use https" \
	"plain http to anywhere but loopback is refused before anything is sent"

from "ftp://shop.example.com"
expect 2 "" "oms-import: ftp://shop.example.com: not an http or https address" "not http"

from_env OMS_HTTP_TIMEOUT=soon -- "$URL"
expect 2 "" "oms-import: OMS_HTTP_TIMEOUT: \"soon\" is not a number of seconds (more than 0, at most 3600)" \
	"a bad timeout"
from_env OMS_HTTP_TRIES=0 -- "$URL"
expect 2 "" "oms-import: OMS_HTTP_TRIES: \"0\" is not a number of tries from 1 to 10" "bad tries"

mode no-total
from "$URL"
expect 0 "1
2
3
4
5" "" "no X-WP-TotalPages: paged until an empty page"
is "$(requests)" "1 ok 2 ok 3 ok 4 ok " "four pages asked for, the last empty"

mode no-paging
from "$URL"
expect 3 "" "oms-import: $EP&page=2&$Q: the same orders as page 1: the store (or a cache in front of it) does not page" \
	"a store that answers every page with the first: stopped at page 2, not looping"
is "$(requests)" "1 ok 2 ok " "two pages asked for"

fresh_db
mode fail-once
from "$URL"
expect 0 "1
2
3
4
5" "" "HTTP 500 once: retried, and all is well"
is "$(requests)" "1 ok 1 ok 2 ok 3 ok " "page 1 asked for twice"

fresh_db
mode always-500
from "$URL"
expect 3 "" "oms-import: $EP&page=1&$Q: HTTP 500 Internal Server Error: There has been a critical error on this website. (3 tries)" \
	"HTTP 500 every time: three tries, then a system error"
is "$(requests)" "1 ok 1 ok 1 ok " "three tries, no more"
is "$(sql 'SELECT count(*) FROM orders')" 0 "nothing imported"

mode malformed
from "$URL"
case "$(err)" in
"oms-import: $EP&page=2&$Q:1:"[0-9]*": not valid JSON: "*)
	ok "a page that is not JSON: reported with the page's address and the place" ;;
*)
	not_ok "a page that is not JSON: reported with the page's address and the place"
	err | sed 's/^/#   got: /' ;;
esac
is "$rc" 1 "malformed page: exit status 1"
is "$(out)" "" "malformed page: nothing printed"
is "$(sql 'SELECT count(*) FROM orders')" 0 "malformed page: nothing imported, not even page 1"

mode cut
from "$URL"
expect 3 "" "oms-import: $EP&page=1&$Q: the connection broke during the response (3 tries)" \
	"a response cut off: retried, then a system error"

mode slow
start=$(date +%s)
from_env OMS_HTTP_TIMEOUT=0.5 OMS_HTTP_TRIES=2 -- "$URL"
took=$(($(date +%s) - start))
expect 3 "" "oms-import: $EP&page=1&$Q: no complete response within 0.5 s (2 tries)" \
	"a store that hangs: given up after the timeout, each try"
like "$took" '^[0-3]$' "and quickly ($took s)"

mode die
from "$URL"
expect 3 "" "oms-import: $EP&page=1&$Q: cannot connect: Connection refused (3 tries)" \
	"the store dies half way through: retried, then no one answers"

stop_fake
from "$URL"
expect 3 "" "oms-import: $EP&page=1&$Q: cannot connect: Connection refused (3 tries)" \
	"nothing listening: a system error"

run grep -c cs_never_shown everything
expect 1 0 "" "the secret is in no output or message of any of these runs"

done_testing
