#!/usr/bin/env python3
"""addr.py: a fake US street-address verification API for tests.

usage: addr.py [--port N] [--idle SECONDS] [--log FILE] [--id ID] [--token TOKEN]

Listens on 127.0.0.1 only (port N; 0, the default, a free one) and prints
the port on standard output once it accepts connections.  GET
/street-address?street=&secondary=&city=&state=&zipcode=&auth-id=&auth-token=
answers as a street-address API does, with a JSON list of candidates:
[{"delivery_line_1", "delivery_line_2", "components": {"city_name",
"state_abbreviation", "zipcode", "plus4_code"}, "analysis":
{"dpv_match_code"}}].  Wrong credentials get 401.  What the street holds
chooses the answer, so one run can show every case:
  INVALID   no candidate (an empty list)
  CORRECT   a corrected candidate: the street as "123 MAIN ST", ZIP+4 1234
  NOMATCH   a candidate whose match code is N (not deliverable)
  SLOW      no answer for 5 seconds
  FAIL500   HTTP 500
  BADJSON   a body that is not JSON
  anything else: the address echoed in capitals, match code Y
Each request is logged to --log as "GET street=..." (never the credentials).
It exits by itself after --idle seconds (default 60) without a request.
"""

import argparse
import json
import sys
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import loopback


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--idle", type=float, default=60)
    ap.add_argument("--log")
    ap.add_argument("--id", default="test-id")
    ap.add_argument("--token", default="test-token")
    args = ap.parse_args()
    last = [time.monotonic()]

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def send(self, status, body, ctype="application/json"):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            last[0] = time.monotonic()
            u = urlsplit(self.path)
            q = {k: v[0] for k, v in parse_qs(u.query, keep_blank_values=True).items()}
            street = q.get("street", "")
            if args.log:
                with open(args.log, "a", encoding="utf-8") as f:
                    f.write("GET street=%s\n" % street)
            if u.path != "/street-address":
                return self.send(404, "[]")
            if q.get("auth-id") != args.id or q.get("auth-token") != args.token:
                return self.send(401, '{"errors": [{"message": "Unauthorized"}]}')
            up = street.upper()
            if "SLOW" in up:
                time.sleep(5)
                return self.send(200, "[]")
            if "FAIL500" in up:
                return self.send(500, "oops", "text/plain")
            if "BADJSON" in up:
                return self.send(200, "{not json")
            if "INVALID" in up:
                return self.send(200, "[]")
            zipcode = q.get("zipcode", "")[:5]
            cand = {
                "delivery_line_1": up,
                "delivery_line_2": q.get("secondary", "").upper(),
                "components": {
                    "city_name": q.get("city", "").upper(),
                    "state_abbreviation": q.get("state", "").upper(),
                    "zipcode": zipcode,
                    "plus4_code": "",
                },
                "analysis": {"dpv_match_code": "Y"},
            }
            if "CORRECT" in up:
                cand["delivery_line_1"] = "123 MAIN ST"
                cand["components"]["plus4_code"] = "1234"
            if "NOMATCH" in up:
                cand["analysis"]["dpv_match_code"] = "N"
            return self.send(200, json.dumps([cand]))

    return loopback.serve(Handler, args.port, args.idle, lambda: last[0])

if __name__ == "__main__":
    sys.exit(main())
