#!/bin/sh
# oms-verify-addr: new orders standardized and verified, or held with a
# reason; --accept; -n; and the outside verification service, with its
# failures.  (The standardization rules themselves: tests/unit/addr.c.)
. "$(dirname "$0")/lib.sh"

catalog
# order LINE1 CITY REGION ZIP COUNTRY METHOD: adds an order, prints its ID.
order() {
	printf 'ship_to: {name: Test, line1: "%s", city: "%s", region: "%s", postal_code: "%s", country: "%s"}\nship_method: "%s"\npayment: {method: invoice}\nlines: [{sku: A1, qty: 1}]\n' \
		"$1" "$2" "$3" "$4" "$5" "$6" >o.yaml
	oms-add <o.yaml
}
a=$(order "123 Main Street Apartment 4" Springfield Illinois 62701 US ground)
b=$(order "P.O. Box 12" Reno NV 89501 US "UPS Ground")
c=$(order "1 Main St" "New York" CA 10001 US ground)
d=$(order "10 Bay St" Toronto ON "m5j 2n8" Canada ground)
e=$(order "Post Office Box 9" Reno NV 89501 US usps)

run oms-verify-addr -n --all
expect 0 "$a	verify	line1: 123 Main Street Apartment 4 -> 123 MAIN ST APT 4; city: Springfield -> SPRINGFIELD; region: Illinois -> IL
$b	hold	a PO box, and UPS Ground does not deliver to PO boxes
$c	hold	ZIP 10001 is in NY, not CA
$d	verify	city: Toronto -> TORONTO; postal_code: m5j 2n8 -> M5J 2N8; country: Canada -> CA
$e	verify	line1: Post Office Box 9 -> PO BOX 9; city: Reno -> RENO" "" "-n prints each order's plan"
is "$(sql "SELECT count(*) FROM orders WHERE status != 'new' OR std_line1 IS NOT NULL")" 0 "and writes nothing"

run oms-verify-addr $a $b $c $d $e
expect 0 "$a
$d
$e" "oms-verify-addr: order $b: address: a PO box, and UPS Ground does not deliver to PO boxes
oms-verify-addr: order $c: address: ZIP 10001 is in NY, not CA" \
	"verified orders are passed on; the others are held with the reason (a normal outcome: status 0)"
is "$(sql "SELECT status, ship_line1, std_line1, std_city, std_region, std_postal_code, std_country FROM orders WHERE id = $a")" \
	"verified|123 Main Street Apartment 4|123 MAIN ST APT 4|SPRINGFIELD|IL|62701|US" \
	"the original is kept and the standardized address stored beside it"
is "$(sql "SELECT what, to_status, detail FROM events WHERE order_id = $a AND what = 'verify'")" \
	"verify|verified|line1: 123 Main Street Apartment 4 -> 123 MAIN ST APT 4; city: Springfield -> SPRINGFIELD; region: Illinois -> IL" \
	"the history records what changed"
is "$(sql "SELECT status, hold_reason, held_from FROM orders WHERE id = $c")" "hold|address|new" "a wrong ZIP is held for its address"
is "$(sql "SELECT detail FROM events WHERE order_id = $c AND what = 'hold'")" "ZIP 10001 is in NY, not CA" "with the reason in the history"

run oms-verify-addr $a
expect 0 "$a" "" "an order already verified passes through"
run oms-verify-addr $c
expect 0 "" "oms-verify-addr: order $c: on hold: release it, or --accept it if the hold is the address" \
	"a held order is not passed on"
run oms-verify-addr 999
expect 1 "" "oms-verify-addr: order 999: no such order" "an unknown order"

run oms-verify-addr --accept $c
expect 2 "" "oms-verify-addr: --accept needs --reason: the history says why the address stands" "--accept needs a reason"
OMS_USER=dana run oms-verify-addr --accept $c --reason "customer confirmed by phone"
expect 0 "$c" "" "--accept takes the order off its address hold, verified"
is "$(sql "SELECT status, hold_reason IS NULL FROM orders WHERE id = $c")" "verified|1" "it is verified"
is "$(sql "SELECT what || '|' || user || '|' || detail FROM events WHERE order_id = $c AND what = 'accept'")" \
	"accept|dana|accepted by dana: customer confirmed by phone" "the history says who accepted it and why"
run oms-verify-addr --accept $a --reason x
expect 1 "" "oms-verify-addr: order $a: not on hold for its address" "only an address hold can be accepted"

# no_po_box in oms.yaml says which methods cannot deliver to a PO box.
f=$(order "POB 77" Reno NV 89501 US "fedex home")
g=$(order "POB 78" Reno NV 89501 US "ups ground")
printf 'address:\n  no_po_box: "fedex"\n' >oms.yaml
run oms-verify-addr $f $g
expect 0 "$g" "oms-verify-addr: order $f: address: a PO box, and fedex home does not deliver to PO boxes" \
	"address.no_po_box names the carriers (first word) or methods"
rm oms.yaml

# Bad input: each held with a reason a person can act on, nothing crashes.
long=$(head -c 10240 /dev/zero | tr '\0' x)
h=$(order "$long" Reno NV 89501 US ground)
i=$(printf 'ship_to: {name: T, line1: "1 A St", city: "Reno", region: "ZZ", postal_code: "89501"}\npayment: {method: invoice}\nlines: [{sku: A1, qty: 1}]\n' >o.yaml; oms-add <o.yaml)
run oms-verify-addr $i
expect 0 "" "oms-verify-addr: order $i: address: unknown state \"ZZ\"" "an unknown state"
is "$h" "" "a 10 KB address line is refused when the order is added"

# The outside service: valid, corrected, invalid, not deliverable, slow, 500, malformed.
fake_start addr.py --idle 30 --log svc.log
cat >svc.yaml <<YAML
address:
  on_error: hold
  service:
    url: "http://127.0.0.1:$FAKE_PORT/street-address"
    params: {street: line1, secondary: line2, city: city, state: region, zipcode: postal_code}
    credentials: {auth-id: OMS_TEST_ADDR_ID, auth-token: OMS_TEST_ADDR_TOKEN}
    result:
      line1: 0.delivery_line_1
      line2: 0.delivery_line_2
      city: 0.components.city_name
      region: 0.components.state_abbreviation
      postal_code: 0.components.zipcode
      plus4: 0.components.plus4_code
      match: 0.analysis.dpv_match_code
    match_ok: "Y, S, D"
YAML
export OMS_TEST_ADDR_ID=test-id OMS_TEST_ADDR_TOKEN=test-token OMS_HTTP_TIMEOUT=1 OMS_HTTP_TRIES=2
s1=$(order "9 Elm St" Reno NV 89501 US ground)
s2=$(order "9 correct st" Reno NV 89501 US ground)
s3=$(order "1 INVALID Rd" Reno NV 89501 US ground)
s4=$(order "1 NOMATCH Rd" Reno NV 89501 US ground)
run oms-verify-addr -c svc.yaml $s1 $s2 $s3 $s4
expect 0 "$s1
$s2" "oms-verify-addr: order $s3: address: the address service does not know this address
oms-verify-addr: order $s4: address: the address service could not confirm it is deliverable (match code N)" \
	"the service's answers: valid, corrected, unknown, not deliverable"
is "$(sql "SELECT std_line1, std_postal_code FROM orders WHERE id = $s2")" "123 MAIN ST|89501-1234" "a corrected address is stored as the service wrote it, with ZIP+4"
is "$(sql "SELECT detail FROM events WHERE order_id = $s2 AND what = 'verify'")" "line1: 9 correct st -> 123 MAIN ST; city: Reno -> RENO; postal_code: 89501 -> 89501-1234" \
	"and the history says what the service changed"
is "$(grep -c 'test-token' svc.log err 2>/dev/null | awk -F: '{s += $2} END {print s}')" 0 "the credential appears in no log and no message"

s5=$(order "1 SLOW Rd" Reno NV 89501 US ground)
s6=$(order "1 FAIL500 Rd" Reno NV 89501 US ground)
s7=$(order "1 BADJSON Rd" Reno NV 89501 US ground)
run oms-verify-addr -c svc.yaml $s5 $s6 $s7
is "$rc" 0 "a service that is down holds the orders (on_error: hold)"
like "$(err)" "order $s5: address: address service unavailable: .*(timed out|timeout).*
.*order $s6: address: address service unavailable: HTTP 500.*
.*order $s7: address: address service unavailable: the answer is not JSON" "saying why: timeout, HTTP 500, malformed JSON"
is "$(sql "SELECT group_concat(status) FROM (SELECT status FROM orders WHERE id IN ($s5, $s6, $s7) ORDER BY id)")" "hold,hold,hold" "all three held"

sed 's/on_error: hold/on_error: offline/' svc.yaml >offline.yaml
s8=$(order "1 FAIL500 Rd" Reno NV 89501 US ground)
run oms-verify-addr -c offline.yaml $s8
expect 0 "$s8" "oms-verify-addr: order $s8: address service unavailable (HTTP 500 Internal Server Error (2 tries)): checked offline" \
	"on_error: offline falls back to the embedded verifier"

unset OMS_TEST_ADDR_TOKEN
run oms-verify-addr -c svc.yaml $s8
expect 2 "" "oms-verify-addr: OMS_TEST_ADDR_TOKEN is not set: the address service's auth-token comes from it" \
	"a missing credential is a configuration error"

run oms-verify-addr -a 5
is "$rc" 2 "-a with IDs is a usage error"

done_testing
