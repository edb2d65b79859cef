#!/usr/bin/env python3
"""stripe.py: a fake Stripe API (v1) for tests: payment methods, payment
intents with manual capture, refunds, and idempotency keys.

usage: stripe.py [--port N] [--key KEY] [--mode MODE] [--control FILE]
                 [--log FILE] [--idle SECONDS] [--hang SECONDS]

Listens on 127.0.0.1 only, on port N (0, the default: a free one), and
prints the port on standard output, one line, once it accepts connections.
Every /v1 request must carry the secret KEY (default sk_test_fake) as a
bearer token or as the user of HTTP basic authentication, as Stripe takes
it; anything else gets Stripe's 401.  Request bodies are form-encoded,
answers are JSON, errors are Stripe's {"error": {"type", "code",
"decline_code", "message", "param"}}.

  POST /v1/payment_methods           type=card, card[number], card[exp_month],
                                     card[exp_year], card[cvc]: a pm_ token.
                                     A bad number (Luhn), month, year or CVC is
                                     a 402 card_error, as Stripe's.
  POST /v1/payment_intents           amount, currency (lower case),
                                     payment_method, capture_method=manual,
                                     confirm=true: requires_capture, or a 402
                                     card_error carrying the failed intent.
                                     expand[]=latest_charge gives the charge
                                     as an object, with capture_before.
  GET  /v1/payment_intents/ID        the intent
  POST /v1/payment_intents/ID/capture  amount_to_capture (default: all),
                                     final_capture=false (an intent made with
                                     payment_method_options[card]
                                     [request_multicapture]: more may follow)
  POST /v1/payment_intents/ID/cancel
  POST /v1/refunds                   payment_intent, amount (default: the rest)
  GET  /_stats                       no key needed: JSON counts, {"intents",
                                     "authorized", "declined", "captures",
                                     "refunds", "cancels", "payment_methods",
                                     "requests", "replays"}

Payment methods: Stripe's test ones (pm_card_visa, pm_card_mastercard,
pm_card_amex, pm_card_discover, pm_card_chargeDeclined,
pm_card_chargeDeclinedInsufficientFunds,
pm_card_chargeDeclinedExpiredCard, pm_card_chargeDeclinedIncorrectCvc,
pm_card_chargeDeclinedProcessingError) and those it made: a card number
ending 4242 (or any other that passes Luhn) approves; Stripe's test numbers
4000000000000002, ...9995, ...0069, ...0127 and ...0119 are declined at
authorization with generic_decline (code card_declined), insufficient_funds,
expired_card, incorrect_cvc and processing_error.

Stripe's rules are kept, each broken one a Stripe-shaped 400 (404 for an
unknown ID in the path): capture only a requires_capture intent, once, at
most amount_capturable (the rest is released); cancel only one not yet
captured or canceled; refund only a captured one, at most what was received
less what was refunded.

Idempotency keys are honoured as Stripe does for API v1: a POST with an
Idempotency-Key that has been seen gets the first answer back, status and
body byte for byte, with "Idempotent-Replayed: true", and nothing is done
again; the same key with another path or other parameters is a 400
idempotency_error.  As at Stripe, an answer is kept only once the request
was acted on: a 401, a missing or malformed parameter, and the 500s of the
modes below are not kept, so the same key sent later is acted on then.

MODE (default normal), or the first word of the control FILE when it exists
(read at each request, so a test can change it while the fake runs):
  normal        as above
  decline-all   every authorization is declined (generic_decline)
  fail-500      every POST gets HTTP 500 before anything is done
  fail-once     the first POST since the mode was set gets HTTP 500 before
                anything is done; the rest are normal
  hang          every POST is acted on, then its answer waits --hang seconds
                (default 5): past the client's timeout, as when the network
                fails after the server acted
  malformed     every POST is acted on, then answered 200 with a body that
                is not JSON
  die           every POST is acted on, then the connection is closed half
                way through the answer

Each request is appended to the --log FILE as one line:
"METHOD PATH key=IDEMPOTENCY-KEY amount=AMOUNT auth=ok|bad|none mode=MODE",
with " replayed" at the end for an answer given again: never a card number,
a CVC or the secret.  The fake exits by itself after --idle seconds (default
60) without a request, so a test that forgets it never leaves it running.
"""

import argparse
import base64
import hashlib
import json
import os
import random
import socket
import string
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

import loopback

MODES = ["normal", "decline-all", "fail-500", "fail-once", "hang", "malformed", "die"]

# Stripe's declines: reason -> (code, decline_code, message), as its API gives them.
DECLINES = {
    "generic_decline": ("card_declined", "generic_decline", "Your card was declined."),
    "insufficient_funds": ("card_declined", "insufficient_funds", "Your card has insufficient funds."),
    "expired_card": ("expired_card", "expired_card", "Your card has expired."),
    "incorrect_cvc": ("incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."),
    "processing_error": ("processing_error", "processing_error",
                         "An error occurred while processing your card. Try again in a little bit."),
}
# Stripe's test payment methods: (brand, last4, decline reason); None approves.
TEST_PMS = {
    "pm_card_visa": ("visa", "4242", None),
    "pm_card_mastercard": ("mastercard", "4444", None),
    "pm_card_amex": ("amex", "8431", None),
    "pm_card_discover": ("discover", "1117", None),
    "pm_card_chargeDeclined": ("visa", "0002", "generic_decline"),
    "pm_card_chargeDeclinedInsufficientFunds": ("visa", "9995", "insufficient_funds"),
    "pm_card_chargeDeclinedExpiredCard": ("visa", "0069", "expired_card"),
    "pm_card_chargeDeclinedIncorrectCvc": ("visa", "0127", "incorrect_cvc"),
    "pm_card_chargeDeclinedProcessingError": ("visa", "0119", "processing_error"),
}
# Stripe's test card numbers that tokenize but are declined at authorization.
TEST_NUMBERS = {
    "4000000000000002": "generic_decline",
    "4000000000009995": "insufficient_funds",
    "4000000000000069": "expired_card",
    "4000000000000127": "incorrect_cvc",
    "4000000000000119": "processing_error",
}
AUTH_SECONDS = 7 * 86400
CANCELABLE = ("requires_payment_method", "requires_capture", "requires_confirmation",
              "requires_action", "processing")


class StripeError(Exception):
    """A Stripe error answer.  kept: whether an idempotency key keeps it
    (not for requests refused before they were acted on)."""

    def __init__(self, status, etype, message, code=None, param=None, decline_code=None,
                 kept=True, extra=None):
        super().__init__(message)
        self.status = status
        self.kept = kept
        self.error = {"type": etype, "message": message}
        if code:
            self.error["code"] = code
            self.error["doc_url"] = "https://stripe.com/docs/error-codes/" + code.replace("_", "-")
        if decline_code:
            self.error["decline_code"] = decline_code
        if param:
            self.error["param"] = param
        if extra:
            self.error.update(extra)


def invalid(message, code=None, param=None, status=400, kept=True):
    return StripeError(status, "invalid_request_error", message, code=code, param=param, kept=kept)


def new_id(prefix):
    # Letters only: no run of digits that could pass for a card number.
    return prefix + "".join(random.choice(string.ascii_letters) for _ in range(24))


def luhn_ok(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def brand_of(number):
    if number.startswith("4"):
        return "visa"
    two, four = int(number[:2]), int(number[:4])
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return "mastercard"
    if two in (34, 37):
        return "amex"
    if number.startswith("6011") or two == 65:
        return "discover"
    return "unknown"


def positive_int(params, name, required=True):
    v = params.get(name)
    if v is None:
        if required:
            raise invalid("Missing required param: %s." % name, "parameter_missing", name, kept=False)
        return None
    if not v.isdigit() or int(v) < 1:
        raise invalid("Invalid positive integer", "parameter_invalid_integer", name, kept=False)
    return int(v)


class State:
    """What the handlers share, under one lock: objects, kept answers, counts."""

    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.last = time.monotonic()
        self.current = None     # the mode of the last POST
        self.in_mode = 0        # POSTs since the mode last changed
        self.pms = {}
        for pm, (brand, last4, outcome) in TEST_PMS.items():
            self.pms[pm] = {"brand": brand, "last4": last4, "exp_month": 12, "exp_year": 2034,
                            "outcome": outcome}
        self.intents = {}
        self.refunded = {}      # intent ID -> amount refunded
        self.charges = {}       # intent ID -> charge ID
        self.kept = {}          # idempotency key -> (fingerprint, status, body)
        self.stats = {k: 0 for k in ("intents", "authorized", "declined", "captures", "refunds",
                                     "cancels", "payment_methods", "requests", "replays")}

    def mode(self, post):
        """The mode for this request, and whether it is the first POST in it."""
        mode = self.args.mode
        if self.args.control and os.path.exists(self.args.control):
            with open(self.args.control, encoding="utf-8") as f:
                words = f.read().split()
            if words:
                mode = words[0]
        with self.lock:
            if mode != self.current:
                self.current, self.in_mode = mode, 0
            if post:
                self.in_mode += 1
            return mode, post and self.in_mode == 1

    # The endpoints.  Each runs under the lock and returns (status, object)
    # or raises StripeError.

    def payment_method(self, p, mode):
        if p.get("type") != "card":
            raise invalid("Invalid type: must be card (this fake knows no other)", "parameter_invalid_empty",
                          "type", kept=False)
        number = p.get("card[number]", "")
        if not number.isdigit() or not 12 <= len(number) <= 19 or not luhn_ok(number):
            raise StripeError(402, "card_error", "Your card number is incorrect.", "incorrect_number",
                              "number")
        try:
            month, year = int(p.get("card[exp_month]", "")), int(p.get("card[exp_year]", ""))
        except ValueError:
            month, year = 0, 0
        now = time.gmtime()
        if not 1 <= month <= 12:
            raise StripeError(402, "card_error", "Your card's expiration month is invalid.",
                              "invalid_expiry_month", "exp_month")
        if year < now.tm_year or year > now.tm_year + 50:
            raise StripeError(402, "card_error", "Your card's expiration year is invalid.",
                              "invalid_expiry_year", "exp_year")
        if year == now.tm_year and month < now.tm_mon:
            raise StripeError(402, "card_error", "Your card's expiration month is invalid.",
                              "invalid_expiry_month", "exp_month")
        cvc = p.get("card[cvc]", "")
        if cvc and (not cvc.isdigit() or not 3 <= len(cvc) <= 4):
            raise StripeError(402, "card_error", "Your card's security code is invalid.",
                              "invalid_cvc", "cvc")
        pm = new_id("pm_")
        self.pms[pm] = {"brand": brand_of(number), "last4": number[-4:], "exp_month": month,
                        "exp_year": year, "outcome": TEST_NUMBERS.get(number)}
        self.stats["payment_methods"] += 1
        return 200, self.pm_object(pm)

    def pm_object(self, pm):
        c = self.pms[pm]
        return {"id": pm, "object": "payment_method", "type": "card", "created": int(time.time()),
                "customer": None, "livemode": False, "billing_details": {},
                "card": {"brand": c["brand"], "last4": c["last4"], "exp_month": c["exp_month"],
                         "exp_year": c["exp_year"], "funding": "credit", "country": "US",
                         "fingerprint": hashlib.sha256(pm.encode()).hexdigest()[:16]}}

    def intent_object(self, pi, expand=False):
        o = dict(self.intents[pi])
        o.pop("multicapture")   # ours; Stripe says it in payment_method_options
        if expand and o["latest_charge"]:
            c = self.pms[o["payment_method"]]
            o["latest_charge"] = {
                "id": o["latest_charge"], "object": "charge", "amount": o["amount"],
                "amount_captured": o["amount_received"],
                "amount_refunded": self.refunded.get(pi, 0),
                "captured": o["amount_received"] > 0, "currency": o["currency"],
                "payment_intent": pi,
                "status": "failed" if o["status"] == "requires_payment_method" else "succeeded",
                "payment_method_details": {"type": "card", "card": {
                    "brand": c["brand"], "last4": c["last4"],
                    "capture_before": o["created"] + AUTH_SECONDS}}}
        return o

    def create_intent(self, p, mode, expand):
        amount = positive_int(p, "amount")
        cur = p.get("currency")
        if cur is None:
            raise invalid("Missing required param: currency.", "parameter_missing", "currency", kept=False)
        if len(cur) != 3 or not cur.isalpha() or not cur.islower():
            raise invalid("Invalid currency: %s. Stripe currently supports these currencies: usd, eur, ..."
                          % cur[:10], "parameter_invalid_string", "currency", kept=False)
        pm = p.get("payment_method")
        if pm is None:
            raise invalid("Missing required param: payment_method.", "parameter_missing",
                          "payment_method", kept=False)
        capture = p.get("capture_method", "automatic")
        if capture not in ("manual", "automatic", "automatic_async"):
            raise invalid("Invalid capture_method: must be one of automatic, automatic_async, or manual",
                          "parameter_invalid_string", "capture_method", kept=False)
        if pm not in self.pms:
            raise invalid("No such PaymentMethod: '%s'" % pm[:40], "resource_missing", "payment_method")
        pi = new_id("pi_")
        now = int(time.time())
        self.intents[pi] = {
            "id": pi, "object": "payment_intent", "amount": amount, "amount_capturable": 0,
            "amount_received": 0, "capture_method": capture, "currency": cur, "created": now,
            "livemode": False, "payment_method": pm, "payment_method_types": ["card"],
            "latest_charge": None, "status": "requires_confirmation", "canceled_at": None,
            "cancellation_reason": None, "last_payment_error": None,
            "multicapture": p.get("payment_method_options[card][request_multicapture]")
            in ("if_available", "required"),
            "client_secret": pi + "_secret_" + new_id("")[:12]}
        self.stats["intents"] += 1
        o = self.intents[pi]
        if p.get("confirm") != "true":
            return 200, self.intent_object(pi)
        o["latest_charge"] = new_id("ch_")
        outcome = "generic_decline" if mode == "decline-all" else self.pms[pm]["outcome"]
        if outcome:
            code, decline, message = DECLINES[outcome]
            o["status"] = "requires_payment_method"
            err = {"type": "card_error", "code": code, "decline_code": decline, "message": message,
                   "charge": o["latest_charge"]}
            o["last_payment_error"] = err
            self.stats["declined"] += 1
            raise StripeError(402, "card_error", message, code, None, decline,
                              extra={"charge": o["latest_charge"],
                                     "payment_intent": self.intent_object(pi)})
        if capture == "manual":
            o["status"], o["amount_capturable"] = "requires_capture", amount
        else:
            o["status"], o["amount_received"] = "succeeded", amount
        self.stats["authorized"] += 1
        return 200, self.intent_object(pi, expand)

    def find(self, pi):
        if pi not in self.intents:
            raise invalid("No such payment_intent: '%s'" % pi[:40], "resource_missing", "intent", 404)
        return self.intents[pi]

    def capture(self, pi, p, mode, expand):
        o = self.find(pi)
        if o["status"] != "requires_capture":
            raise invalid("This PaymentIntent could not be captured because it has a status of %s. Only a"
                          " PaymentIntent with one of the following statuses may be captured:"
                          " requires_capture." % o["status"], "payment_intent_unexpected_state")
        amount = positive_int(p, "amount_to_capture", required=False)
        if amount is None:
            amount = o["amount_capturable"]
        if amount > o["amount_capturable"]:
            raise invalid("The amount_to_capture (%d) must be less than or equal to the amount_capturable"
                          " (%d)." % (amount, o["amount_capturable"]), "amount_too_large",
                          "amount_to_capture")
        final = p.get("final_capture", "true") != "false"
        if not final and not o["multicapture"]:
            raise invalid("final_capture=false needs a PaymentIntent created with"
                          " request_multicapture.", "parameter_invalid_string", "final_capture")
        o["amount_received"] += amount
        if final:
            # The final capture: what is not captured is released.
            o["status"], o["amount_capturable"] = "succeeded", 0
        else:
            o["amount_capturable"] -= amount
        self.stats["captures"] += 1
        return 200, self.intent_object(pi, expand)

    def cancel(self, pi, p, mode, expand):
        o = self.find(pi)
        if o["status"] not in CANCELABLE:
            raise invalid("You cannot cancel this PaymentIntent because it has a status of %s. Only a"
                          " PaymentIntent with one of the following statuses may be canceled: %s."
                          % (o["status"], ", ".join(CANCELABLE)), "payment_intent_unexpected_state")
        o["status"], o["amount_capturable"] = "canceled", 0
        o["canceled_at"] = int(time.time())
        o["cancellation_reason"] = p.get("cancellation_reason")
        self.stats["cancels"] += 1
        return 200, self.intent_object(pi, expand)

    def refund(self, p, mode):
        pi = p.get("payment_intent")
        if pi is None:
            raise invalid("Missing required param: payment_intent.", "parameter_missing", "payment_intent",
                          kept=False)
        if pi not in self.intents:
            raise invalid("No such payment_intent: '%s'" % pi[:40], "resource_missing", "payment_intent")
        o = self.intents[pi]
        if o["amount_received"] == 0:
            raise invalid("This PaymentIntent does not have a successful charge to refund (its status is"
                          " %s)." % o["status"], "payment_intent_unexpected_state", "payment_intent")
        left = o["amount_received"] - self.refunded.get(pi, 0)
        if left <= 0:
            raise invalid("Charge %s has already been refunded." % o["latest_charge"],
                          "charge_already_refunded")
        amount = positive_int(p, "amount", required=False)
        if amount is None:
            amount = left
        if amount > left:
            raise invalid("Refund amount (%d) is greater than unrefunded amount on charge (%d)"
                          % (amount, left), "amount_too_large", "amount")
        self.refunded[pi] = self.refunded.get(pi, 0) + amount
        self.stats["refunds"] += 1
        return 200, {"id": new_id("re_"), "object": "refund", "amount": amount, "currency": o["currency"],
                     "payment_intent": pi, "charge": o["latest_charge"], "status": "succeeded",
                     "reason": p.get("reason"), "created": int(time.time())}

    def route(self, method, path, p, mode):
        expand = "latest_charge" in p.get("expand[]", [])
        parts = path.strip("/").split("/")
        if method == "POST":
            if parts == ["v1", "payment_methods"]:
                return self.payment_method(p, mode)
            if parts == ["v1", "payment_intents"]:
                return self.create_intent(p, mode, expand)
            if len(parts) == 4 and parts[:2] == ["v1", "payment_intents"] and parts[3] == "capture":
                return self.capture(parts[2], p, mode, expand)
            if len(parts) == 4 and parts[:2] == ["v1", "payment_intents"] and parts[3] == "cancel":
                return self.cancel(parts[2], p, mode, expand)
            if parts == ["v1", "refunds"]:
                return self.refund(p, mode)
        elif len(parts) == 3 and parts[:2] == ["v1", "payment_intents"]:
            self.find(parts[2])
            return 200, self.intent_object(parts[2], expand)
        raise invalid("Unrecognized request URL (%s: %s)." % (method, path[:80]), kept=False, status=404)


def body_of(obj):
    return (json.dumps(obj, indent=2) + "\n").encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Request-Id", new_id("req_")[:18])
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def auth(self):
        h = self.headers.get("Authorization")
        if h is None:
            return "none"
        key = self.server.state.args.key
        if h == "Bearer " + key:
            return "ok"
        if h.startswith("Basic "):
            try:
                user = base64.b64decode(h[6:], validate=True).decode().split(":", 1)[0]
            except ValueError:
                return "bad"
            return "ok" if user == key else "bad"
        return "bad"

    def log(self, line):
        st = self.server.state
        if st.args.log:
            with st.lock, open(st.args.log, "a", encoding="utf-8") as f:
                f.write(line + "\n")

    def do_GET(self):
        self.handle_request("GET")

    def do_POST(self):
        self.handle_request("POST")

    def handle_request(self, method):
        st = self.server.state
        with st.lock:
            st.last = time.monotonic()
        path = urlsplit(self.path).path
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n > 0 else b""
        if method == "GET" and path == "/_stats":
            with st.lock:
                return self.send(200, body_of(st.stats))
        try:
            pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            pairs = []
        p = {}
        for k, v in pairs:
            if k.endswith("[]"):
                p.setdefault(k, []).append(v)
            else:
                p[k] = v
        key = self.headers.get("Idempotency-Key")
        auth = self.auth()
        mode, first = st.mode(method == "POST")
        amount = p.get("amount") or p.get("amount_to_capture") or "-"
        with st.lock:
            st.stats["requests"] += 1
        line = "%s %s key=%s amount=%s auth=%s mode=%s" % (method, path, key or "-", amount, auth, mode)
        if auth != "ok":
            self.log(line)
            if auth == "none":
                msg = ("You did not provide an API key. You need to provide your API key in the"
                       " Authorization header, using Bearer auth (e.g. 'Authorization: Bearer"
                       " YOUR_SECRET_KEY').")
            else:
                # As Stripe shows it: masked, never the whole key.
                sent = self.headers.get("Authorization", "").split(" ", 1)[-1]
                msg = "Invalid API Key provided: %s" % (sent[:8] + "*" * 12 + sent[-4:]
                                                        if len(sent) > 16 else "****")
            return self.send(401, body_of({"error": {"type": "invalid_request_error", "message": msg}}),
                             [("WWW-Authenticate", 'Basic realm="Stripe"')])
        if method == "POST" and (mode == "fail-500" or (mode == "fail-once" and first)):
            self.log(line)
            return self.send(500, body_of({"error": {"type": "api_error", "message":
                                                     "An unknown error occurred"}}))
        replayed = False
        with st.lock:
            fp = hashlib.sha256(json.dumps([method, path, sorted(pairs)]).encode()).hexdigest()
            if method == "POST" and key is not None and key in st.kept:
                kfp, status, body = st.kept[key]
                if kfp != fp:
                    status, body = 400, body_of({"error": {
                        "type": "idempotency_error",
                        "message": "Keys for idempotent requests can only be used with the same parameters"
                                   " they were first used with. Try using a key other than '%s' if you meant"
                                   " to execute a different request." % key[:60]}})
                else:
                    replayed = True
                    st.stats["replays"] += 1
            else:
                try:
                    status, obj = st.route(method, path, p, mode)
                    keep = True
                except StripeError as e:
                    status, obj, keep = e.status, {"error": e.error}, e.kept
                body = body_of(obj)
                if method == "POST" and key is not None and keep:
                    st.kept[key] = (fp, status, body)
        self.log(line + (" replayed" if replayed else ""))
        headers = [("Idempotency-Key", key)] if key is not None else []
        if replayed:
            headers.append(("Idempotent-Replayed", "true"))
        if method == "POST" and mode == "hang":
            time.sleep(st.args.hang)
        if method == "POST" and mode == "malformed":
            return self.send(200, b"<html><body>upstream answered badly</body></html>\n", headers)
        if method == "POST" and mode == "die":
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return None
        return self.send(status, body, headers)

    def handle_one_request(self):
        # A client that gave up (the hang mode) is not an error worth a trace.
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def main():
    ap = argparse.ArgumentParser(description="A fake Stripe API for tests.")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--key", default="sk_test_fake")
    ap.add_argument("--mode", default="normal", choices=MODES)
    ap.add_argument("--control")
    ap.add_argument("--log")
    ap.add_argument("--idle", type=float, default=60.0)
    ap.add_argument("--hang", type=float, default=5.0)
    args = ap.parse_args()

    state = State(args)

    def last_seen():
        with state.lock:
            return state.last

    return loopback.serve(Handler, args.port, args.idle, last_seen, state)

if __name__ == "__main__":
    sys.exit(main())
