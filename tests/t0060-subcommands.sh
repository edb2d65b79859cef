#!/bin/sh
# Command words: a mistyped one is a usage error in every tool, named with
# the nearest command, before the database is opened and before anything
# is done (today's "oms-auth captur 8" must not authorize order 8); and the
# filter's input: a NUL byte in an ID line is not an order ID, and what a
# bad ID line or argument quotes is shown with its control bytes masked.
. "$(dirname "$0")/lib.sh"

catalog
printf 'A1 20\n' | oms-stock -q receive -
# order: adds an order, prints its ID.
order() {
	printf 'ship_to: {name: Pat Doe, line1: "1 Main St", city: Reno, region: NV, postal_code: "89501"}\npayment: {method: card, token: pm_card_visa}\nlines: [{sku: A1, qty: 1}]\n' >o.yaml
	oms-add <o.yaml
}
new=$(order)
verified=$(order | oms-verify-addr)
authorized=$(order | oms-verify-addr | oms-auth -q)
allocated=$(order | oms-verify-addr | oms-auth -q | oms-backorder)
picking=$(order | oms-verify-addr | oms-auth -q | oms-backorder | oms-pick -q)
is "$(sql "SELECT group_concat(status, ' ') FROM (SELECT status FROM orders ORDER BY id)")" \
	"new verified authorized allocated picking" "one order at each step"

# state: what any step would change.
state() {
	sql "SELECT (SELECT group_concat(id || ':' || status, ' ') FROM orders),
	    (SELECT count(*) FROM events), (SELECT count(*) FROM payments),
	    (SELECT count(*) FROM stock_moves), (SELECT sum(on_hand) || '/' || sum(reserved) FROM stock),
	    (SELECT count(*) FROM pick_lists), (SELECT count(*) FROM shipments), (SELECT count(*) FROM items)"
}
# typo STDERR DESCRIPTION TOOL ARG...: exit 2, that message, nothing on stdout, nothing changed.
typo() {
	local msg=$1 desc=$2 before
	shift 2
	before=$(state)
	run "$@"
	expect 2 "" "$msg" "$desc"
	is "$(state)" "$before" "$desc: nothing changed"
}

payments=$(sql "SELECT count(*) FROM payments")
typo "oms-db: chek: unknown command (did you mean check?)" "oms-db chek" oms-db chek
typo "oms-auth: captur: unknown command (did you mean capture?)" "oms-auth captur ID" oms-auth captur $verified
is "$(sql "SELECT status FROM orders WHERE id = $verified") $(sql "SELECT count(*) FROM payments")" "verified $payments" \
	"no authorization happened: the order is verified still, with no payment row"
typo "oms-auth: cap: unknown command (did you mean capture?)" "a prefix is suggested, never taken" \
	oms-auth cap $verified
typo "oms-auth: re: unknown command (did you mean refund or reauth?)" "a prefix of two commands names both" \
	oms-auth re $verified
typo "oms-auth: Capture: unknown command (did you mean capture?)" "commands are spelt exactly, case too" \
	oms-auth Capture $verified
typo "oms-auth: capture: a command comes before the order IDs, not after $verified" \
	"a command after the IDs is a mistake, not an ID to reject" oms-auth $verified capture
typo "oms-auth: frobnicate: unknown command (commands: capture, void, refund, reauth, card, settle)" \
	"nothing close: every command is listed" oms-auth -n frobnicate $verified
typo "oms-auth: x?[2J: unknown command (commands: capture, void, refund, reauth, card, settle)" \
	"a control character in the word is not written to the terminal" oms-auth "$(printf 'x\033[2J')" $verified
typo "oms-auth: capturre: unknown command (did you mean capture?)" "options first or last: the first operand counts" \
	oms-auth capturre --amount 5.00 $authorized

typo "oms-pick: confrim: unknown command (did you mean confirm?)" "oms-pick confrim ID" oms-pick confrim $allocated
is "$(sql "SELECT status FROM orders WHERE id = $allocated")" allocated "the allocated order was not picked"
typo "oms-pick: shw: unknown command (did you mean show?)" "oms-pick shw" oms-pick shw 1

typo "oms-backorder: lst: not an order ID (oms-backorder takes no command)" "oms-backorder lst ID" \
	oms-backorder lst $authorized
is "$(sql "SELECT status FROM orders WHERE id = $authorized")" authorized "the authorized order was not allocated"

typo "oms-verify-addr: lst: not an order ID (oms-verify-addr takes no command)" "oms-verify-addr lst ID" \
	oms-verify-addr lst $new
is "$(sql "SELECT status FROM orders WHERE id = $new")" new "the new order was not checked"

typo "oms-ship: exprot: unknown command (did you mean export?)" "oms-ship exprot ID" \
	oms-ship --carrier ups --service ground exprot $picking
is "$(sql "SELECT status FROM orders WHERE id = $picking")" picking "the picking order did not ship"
typo "oms-ship: viod: unknown command (did you mean void?)" "oms-ship viod" oms-ship viod 1
typo "oms-ship: import: unknown command (did you mean import-tracking?)" "oms-ship import" \
	oms-ship import --format csv t.csv

typo "oms-order: hodl: unknown command (did you mean hold?)" "oms-order hodl" \
	oms-order hodl --reason x $new
typo "oms-order: $new: unknown command (commands: show, find, list, hold, release, cancel, history, edit)" \
	"oms-order has no step of its own: an ID is not a command" oms-order $new
typo "oms-order: cancle: unknown command (did you mean cancel?)" "oms-order cancle" oms-order cancle $new

typo "oms-stock: recieve: unknown command (did you mean receive?)" "oms-stock recieve" oms-stock recieve A1 5
typo "oms-stock: imprt: unknown command (did you mean import?)" "oms-stock imprt" oms-stock imprt items.csv

typo "oms-report: shipment: unknown report (did you mean shipments?)" "oms-report shipment" oms-report shipment

# Before the database is opened: a mistyped command creates no database.
for t in "oms-auth captur 1" "oms-pick confrim 1" "oms-backorder lst" "oms-verify-addr lst" \
	"oms-ship --carrier ups --service ground exprot 1" "oms-order hodl --reason x 1" \
	"oms-stock recieve A1 5" "oms-report shipment"; do
	rm -f missing.db*
	run $t -d missing.db
	is "$rc $(ls missing.db* 2>/dev/null)" "2 " "$t: exit 2 before any database is opened"
done

# A number where a filter takes IDs is for the filter to judge: not a usage error.
run oms-backorder 0
expect 1 "" 'oms-backorder: argument 1: not an order ID: "0"' "a number that is no ID is rejected as input, not as a command"

# NUL bytes in an ID line: not an ID, whatever comes before them.
before=$(state)
printf '%s\0abc\n%s \0\n\0\n# a comment\0 is a comment\n' $new $new >nul.txt
run_in nul.txt oms-order hold --reason "NUL test"
expect 1 "" 'oms-order: stdin:1: not an order ID: "'$new'?abc"
oms-order: stdin:2: not an order ID: "'$new' ?"
oms-order: stdin:3: not an order ID: "?"' "a line with a NUL byte is not an ID line, and the NUL is shown masked"
is "$(state)" "$before" "and no order was held"
printf '%s\033]0;owned\007\n' $new >esc.txt
run_in esc.txt oms-order hold --reason "ESC test"
expect 1 "" 'oms-order: stdin:1: not an order ID: "'$new'?]0;owned?"' "control characters in a bad line are masked"
run oms-order hold --reason x "$(printf '1\033[2J')"
expect 1 "" 'oms-order: argument 1: not an order ID: "1?[2J"' "and in a bad argument"

done_testing
