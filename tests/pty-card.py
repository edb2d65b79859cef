#!/usr/bin/env python3
"""pty-card.py SCENARIO CMD ARG...: runs CMD on a pseudo-terminal of its own
(its controlling terminal, so /dev/tty is it) as a person keying a card
would, and prints what the terminal went through, one fact a line, for
tests/t0150-card-numbers.sh to compare:

  typeahead  a card number is typed before the tool runs (on the screen, in
             the terminal's input queue); then the card number, expiry and
             code are typed after their prompts
  sigint     ^C at the card number's prompt

The facts: whether echo was off when each prompt was on the screen, whether
the tool went on without waiting (took the typed-ahead number), whether
what was typed after a secret's prompt came back on the screen, whether
echo is on again at the end, and how the tool ended.
"""
import fcntl
import os
import select
import signal
import subprocess
import sys
import termios
import time


def read_until(master, want, timeout=10.0):
    """Reads the terminal's output until want appears; returns all of it."""
    got = b""
    end = time.time() + timeout
    while want not in got:
        left = end - time.time()
        if left <= 0:
            return got
        r, _, _ = select.select([master], [], [], left)
        if not r:
            continue
        try:
            chunk = os.read(master, 4096)
        except OSError:
            return got
        if not chunk:
            return got
        got += chunk
    return got


def quiet_for(master, seconds):
    """Reads what the tool writes in the next seconds (nothing when it waits for input)."""
    got = b""
    end = time.time() + seconds
    while True:
        left = end - time.time()
        if left <= 0:
            return got
        r, _, _ = select.select([master], [], [], left)
        if r:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return got
            if not chunk:
                return got
            got += chunk


def echo(slave):
    return "on" if termios.tcgetattr(slave)[3] & termios.ECHO else "off"


def main():
    scenario, cmd = sys.argv[1], sys.argv[2:]
    master, slave = os.openpty()
    if scenario == "typeahead":
        # Typed before the tool runs: the terminal shows it and keeps it queued.
        os.write(master, b"4111 1111 1111 1111\n")
        time.sleep(0.2)
        read_until(master, b"1111\r\n", 2)

    def ctty():
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    p = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave,
                         start_new_session=True, preexec_fn=ctty)
    first = read_until(master, b"Card number: ")
    print("echo at the card number's prompt:", echo(slave))
    if scenario == "sigint":
        time.sleep(0.3)
        os.write(master, b"\x03")
        p.wait(10)
        print("echo after ^C:", echo(slave))
        print("ended by:", "SIGINT" if p.returncode == -signal.SIGINT else
              "exit %d" % p.returncode)
        return
    more = first.split(b"Card number: ", 1)[-1] + quiet_for(master, 0.5)
    print("went on without waiting:", "yes" if b"Expiry" in more or b"valid" in more else "no")
    os.write(master, b"4242 4242 4242 4242\n")
    shown = read_until(master, b"Expiry (MM/YY): ")
    print("the card number on the screen:", "yes" if b"4242" in shown else "no")
    print("echo at the expiry's prompt:", echo(slave))
    os.write(master, b"12/39\n")
    read_until(master, b"Security code: ")
    print("echo at the security code's prompt:", echo(slave))
    os.write(master, b"737\n")
    rest = read_until(master, b"\n", 5) + quiet_for(master, 0.5)
    p.wait(10)
    print("the security code on the screen:", "yes" if b"737" in rest else "no")
    print("echo at the end:", echo(slave))
    print("ended by:", "exit %d" % p.returncode)


main()
