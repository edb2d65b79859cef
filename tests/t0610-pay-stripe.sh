#!/bin/sh
# The stripe payment driver against a fake Stripe (tests/fake/stripe.py on
# loopback): tokenize, authorize, declines, capture, refund, cancel, the
# idempotency keys that make every retry safe, and each way the gateway can
# fail.  The driver's own checks are the unit test tests/unit/pay_stripe.c;
# this runs it with the fake and then looks at what the fake saw.
. "$(dirname "$0")/lib.sh"

: "${OMS_UNIT:=$(cd "$TESTS_DIR/.." && pwd)/build/tests}"
# Nothing from the caller's environment: no proxy in the way of 127.0.0.1, no real key.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
unset OMS_HTTP_TIMEOUT OMS_HTTP_CONNECT_TIMEOUT OMS_HTTP_TRIES

[ -x "$OMS_UNIT/pay_stripe" ] || echo "Bail out! $OMS_UNIT/pay_stripe is not built (make check builds it)"
: >"$SCRATCH/stripe.log"
fake_start stripe.py --idle 60 --hang 2 --log "$SCRATCH/stripe.log" \
	--control "$SCRATCH/control" --key sk_test_fake
URL=http://127.0.0.1:$FAKE_PORT
export OMS_TEST_STRIPE_URL="$URL" OMS_TEST_STRIPE_CONTROL="$SCRATCH/control" OMS_STRIPE_KEY=sk_test_fake

run "$OMS_UNIT/pay_stripe"
is "$rc" 0 "the driver's unit tests pass against the fake"
is "$(grep -c '^not ok' "$SCRATCH/out")" 0 "  none of them fails"
like "$(tail -n 1 "$SCRATCH/out")" '^1\.\.[0-9]+$' "  and they ran to the end"
is "$(err)" "" "  with nothing on stderr"
if [ "$rc" != 0 ] || grep -q '^not ok' "$SCRATCH/out"; then
	sed 's/^/# /' "$SCRATCH/out" "$SCRATCH/err"
fi

# stats NAME...: the fake's counts, one line.
stats() {
	python3 - "$URL/_stats" "$@" <<'EOF'
import json, sys, urllib.request
s = json.load(urllib.request.urlopen(sys.argv[1], timeout=5))
print(" ".join("%s=%s" % (k, s[k]) for k in sys.argv[2:]))
EOF
}
is "$(stats intents authorized declined)" "intents=14 authorized=7 declined=7" \
	"one intent per authorization key, whatever the retries: 7 authorized, 7 declined"
is "$(stats captures refunds cancels payment_methods)" \
	"captures=2 refunds=3 cancels=1 payment_methods=2" \
	"each capture, refund, cancel and tokenize acted on once"

log=$SCRATCH/stripe.log
is "$(grep -c -e 4242424242424242 -e 4000000000009995 -e 'card\[' -e 'cvc' "$log")" 0 \
	"the fake was never sent a card number or CVC where it logs"
is "$(grep -c 'sk_test_' "$log")" 0 "  nor logged the secret key"
is "$(grep -E '^POST /v1/(payment_intents|refunds)' "$log" | grep -c 'key=-')" 0 \
	"every request that moves money carries an Idempotency-Key"
is "$(grep -c '^POST /v1/payment_methods key=oms-pm-[0-9a-f]\{32\} ' "$log")" \
	"$(grep -c '^POST /v1/payment_methods' "$log")" "  and a tokenize one of its own"
is "$(grep -c '^POST /v1/payment_intents key=t-out-hang .* mode=hang$' "$log")" 1 \
	"a timed-out authorization: the first try acted..."
is "$(grep -c '^POST /v1/payment_intents key=t-out-hang .* replayed$' "$log")" 3 \
	"  ...and its retries got that answer back"
is "$(grep -c 'auth=bad' "$log")" 1 "the wrong key was refused"
is "$(grep -c 'auth=none' "$log")" 0 "  and every request carried one"

is "$(grep -c 'sk_test_fake' "$SCRATCH/out" "$SCRATCH/err" | awk -F: '{ n += $2 } END { print n }')" 0 \
	"the secret key is in nothing the test printed"

done_testing
