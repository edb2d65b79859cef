"""loopback.py: what every fake service in tests/fake shares.

serve() listens on 127.0.0.1 only (a port of 0 takes a free one), prints the
port on standard output once it accepts connections, and ends the process
when no request has come for `idle` seconds, so that a test that forgets a
fake never leaves it running.
"""

import os
import threading
import time
from http.server import ThreadingHTTPServer


def serve(handler, port, idle, last_seen, state=None):
    """Serve until idle; last_seen() gives the monotonic time of the last request."""
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    server.state = state

    def watchdog():
        while True:
            time.sleep(0.2)
            if time.monotonic() - last_seen() > idle:
                os._exit(0)

    threading.Thread(target=watchdog, daemon=True).start()
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    return 0
