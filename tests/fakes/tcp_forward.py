#!/usr/bin/env python3
"""A TCP forwarder between loopback addresses, for tests that need a server
under another address than its certificate names (a TLS name mismatch)
without a second server.

Usage: python3 tcp_forward.py --state DIR --to HOST:PORT
                              [--listen 127.0.0.2] [--port 0] [--lifetime 120]

Listens on --listen (a 127.0.0.0/8 address; Linux answers on all of them
without setup), forwards every connection to --to (which must be loopback
too) byte for byte, and writes DIR/port once listening. Exits on
SIGTERM/SIGINT, after --lifetime seconds, or once DIR is gone. Stdlib only.
"""

import argparse
import ipaddress
import os
import selectors
import signal
import socket
import sys
import threading
import time


def loopback(host):
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def pipe(a, b):
    sel = selectors.DefaultSelector()
    sel.register(a, selectors.EVENT_READ, b)
    sel.register(b, selectors.EVENT_READ, a)
    try:
        while True:
            for key, _ in sel.select(timeout=60):
                data = key.fileobj.recv(65536)
                if not data:
                    return
                key.data.sendall(data)
    except OSError:
        pass
    finally:
        a.close()
        b.close()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--state", required=True)
    ap.add_argument("--to", required=True)
    ap.add_argument("--listen", default="127.0.0.2")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--lifetime", type=float, default=120)
    a = ap.parse_args(argv)
    host, _, port = a.to.rpartition(":")
    if not loopback(host) or not loopback(a.listen):
        sys.exit("tcp_forward.py: loopback addresses only")
    directory = os.path.abspath(a.state)
    os.makedirs(directory, exist_ok=True)
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((a.listen, a.port))
    ls.listen(64)
    ls.settimeout(0.5)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    pf = os.path.join(directory, "port")
    with open(pf + ".tmp", "w") as f:
        f.write("%d\n" % ls.getsockname()[1])
    os.replace(pf + ".tmp", pf)
    deadline = time.monotonic() + a.lifetime
    while not stop.is_set() and time.monotonic() < deadline and \
            os.path.isdir(directory):
        try:
            c, _ = ls.accept()
        except socket.timeout:
            continue
        except OSError:
            break
        try:
            s = socket.create_connection((host, int(port)), timeout=10)
        except OSError:
            c.close()
            continue
        s.settimeout(None)
        c.settimeout(None)
        threading.Thread(target=pipe, args=(c, s), daemon=True).start()
    ls.close()
    try:
        os.unlink(pf)
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
