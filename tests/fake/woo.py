#!/usr/bin/env python3
"""woo.py: a fake WooCommerce store's REST API (GET /wp-json/wc/v3/orders) for tests.

usage: woo.py [--port N] [--mode MODE] [--control FILE] [--page-size N]
              [--key KEY] [--secret SECRET] [--log FILE] [--idle SECONDS] ORDERS.json

Listens on 127.0.0.1 only, on port N (0, the default: a free one) and
prints the port on standard output, one line, once it accepts connections.
Serves the orders in ORDERS.json (a JSON list of REST v3 orders) as the
real API does: filtered by ?status= (a comma-separated list; "any" or none
for all), ordered by date_created_gmt (?order=asc|desc), in pages of
min(?per_page, --page-size), with the X-WP-Total and X-WP-TotalPages
headers; a page past the last is an empty list.  Requests must carry HTTP
basic authentication with KEY and SECRET (default ck_test / cs_test), as
WooCommerce takes it over https; the answers to bad or missing credentials
and unknown paths are WooCommerce's own.

MODE (default normal), or the first word of the control FILE when it exists
(read at each request, so a test can change it while the fake runs):
  normal      as above
  fail-once   the first request for orders (since the mode was set) gets
              HTTP 500, the rest are normal
  always-500  every request for orders gets HTTP 500
  slow        requests for orders hang (for --idle seconds) before an answer
  malformed   page 2 is not valid JSON
  cut         the body is cut off half way and the connection closed
  die         the process dies half way through the first body
  no-total    no X-WP-Total or X-WP-TotalPages headers (the client must stop
              at an empty page)
  no-paging   every page is page 1, without those headers (a cache in front
              of the store that ignores the query)

Each request is appended to the --log FILE as one line: "METHOD PATH?QUERY
auth=ok|bad|none" (never the credentials themselves).  The fake exits by
itself after --idle seconds (default 60) without a request, so a test that
forgets it never leaves it running; tests kill it when they end.
"""

import argparse
import base64
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import loopback

ORDERS_PATH = "/wp-json/wc/v3/orders"


class State:
    """What the handlers share: the options, the orders, and what has happened."""

    def __init__(self, args):
        self.args = args
        with open(args.orders, encoding="utf-8") as f:
            self.orders = json.load(f)
        self.lock = threading.Lock()
        self.last = time.monotonic()
        self.current = None     # the mode of the last request
        self.in_mode = 0        # requests for orders since the mode last changed

    def mode(self):
        """The mode for a request for orders, and how many came in that mode before it."""
        mode = self.args.mode
        if self.args.control and os.path.exists(self.args.control):
            with open(self.args.control, encoding="utf-8") as f:
                words = f.read().split()
            if words:
                mode = words[0]
        with self.lock:
            if mode != self.current:
                self.current, self.in_mode = mode, 0
            self.in_mode += 1
            return mode, self.in_mode - 1


def wc_error(code, message, status):
    return json.dumps({"code": code, "message": message, "data": {"status": status}}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    sys_version = ""

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def auth(self):
        st = self.server.state
        h = self.headers.get("Authorization")
        if h is None:
            return "none"
        want = base64.b64encode(("%s:%s" % (st.args.key, st.args.secret)).encode()).decode()
        return "ok" if h == "Basic " + want else "bad"

    def do_GET(self):
        st = self.server.state
        with st.lock:
            st.last = time.monotonic()
        url = urlsplit(self.path)
        auth = self.auth()
        if st.args.log:
            with open(st.args.log, "a", encoding="utf-8") as f:
                f.write("GET %s auth=%s\n" % (self.path, auth))
        if url.path.rstrip("/") != ORDERS_PATH:
            return self.send(404, wc_error("rest_no_route",
                                           "No route was found matching the URL and request method.", 404))
        if auth == "none":
            return self.send(401, wc_error("woocommerce_rest_cannot_view",
                                           "Sorry, you cannot list resources.", 401))
        if auth == "bad":
            return self.send(401, wc_error("woocommerce_rest_authentication_error",
                                           "Consumer secret is invalid.", 401))
        mode, before = st.mode()
        if mode == "always-500" or (mode == "fail-once" and before == 0):
            return self.send(500, wc_error("internal_server_error",
                                           "There has been a critical error on this website.", 500))
        if mode == "slow":
            deadline = time.monotonic() + st.args.idle
            while time.monotonic() < deadline:
                time.sleep(0.05)
        q = parse_qs(url.query)
        try:
            per_page = int(q.get("per_page", ["10"])[0])
            page = int(q.get("page", ["1"])[0])
        except ValueError:
            return self.send(400, wc_error("rest_invalid_param", "Invalid parameter(s): page", 400))
        if not 1 <= per_page <= 100 or page < 1:
            return self.send(400, wc_error("rest_invalid_param", "Invalid parameter(s): per_page", 400))
        statuses = q.get("status", ["any"])[0].split(",")
        orders = [o for o in st.orders if "any" in statuses or o.get("status") in statuses]
        orders.sort(key=lambda o: o.get("date_created_gmt") or "",
                    reverse=q.get("order", ["desc"])[0] == "desc")
        if mode == "no-paging":
            page = 1
        size = min(per_page, st.args.page_size)
        pages = (len(orders) + size - 1) // size
        body = json.dumps(orders[(page - 1) * size:page * size], ensure_ascii=False).encode()
        headers = [] if mode in ("no-total", "no-paging") else [("X-WP-Total", str(len(orders))),
                                                  ("X-WP-TotalPages", str(pages))]
        if mode == "malformed" and page == 2:
            body = body[:len(body) // 2]
        if mode in ("cut", "die"):
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            if mode == "die":
                os._exit(0)
            self.close_connection = True
            return
        self.send(200, body, headers)


def main():
    p = argparse.ArgumentParser(description="A fake WooCommerce REST API for tests.")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--mode", default="normal",
                   choices=["normal", "fail-once", "always-500", "slow", "malformed", "cut", "die",
                            "no-total", "no-paging"])
    p.add_argument("--control")
    p.add_argument("--page-size", type=int, default=100)
    p.add_argument("--key", default="ck_test")
    p.add_argument("--secret", default="cs_test")
    p.add_argument("--log")
    p.add_argument("--idle", type=float, default=60.0)
    p.add_argument("orders")
    args = p.parse_args()
    if args.page_size < 1:
        p.error("--page-size must be at least 1")

    state = State(args)

    def last_seen():
        with state.lock:
            return state.last

    return loopback.serve(Handler, args.port, args.idle, last_seen, state)

if __name__ == "__main__":
    sys.exit(main())
