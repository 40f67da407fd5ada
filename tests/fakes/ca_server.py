#!/usr/bin/env python3
"""A loopback HTTPS server standing in for AWS's RDS CA truststore.

Usage: python3 ca_server.py --state DIR --cert PEM --key PEM [--lifetime 60]

Every GET (any path) is answered with the bytes of DIR/bundle.pem, read
afresh at each request, with an ETag (a hash of those bytes) and a
Last-Modified (the file's mtime). A request whose If-None-Match names the
current ETag gets 304 Not Modified; so does one with If-Modified-Since at
or after the mtime and no If-None-Match. DIR/status, when present, holds
a status code that replaces every answer (e.g. 500), and a missing
bundle.pem is a 404.

State directory:
  DIR/port          written (tmp + rename) once listening; removed on exit
  DIR/requests.log  one line per request that got past TLS:
                    METHOD PATH STATUS inm=VALUE|- ims=VALUE|-

TLS uses --cert (with its chain) and --key; clients verify it against the
test CA that signed it. A client that refuses the certificate is not
logged. Exits (status 0) on SIGTERM/SIGINT, after --lifetime seconds, or
within 0.5 s of DIR disappearing. Stdlib only.
"""

import argparse
import email.utils
import hashlib
import http.server
import os
import signal
import ssl
import sys
import threading
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-truststore/1"

    def setup(self):
        # The handshake happens here, in the request's thread, so a client
        # that rejects the certificate cannot stall the accept loop.
        self.request = self.server.tls.wrap_socket(self.request,
                                                   server_side=True)
        super().setup()

    def log_message(self, fmt, *args):
        pass

    def log(self, status):
        line = "%s %s %d inm=%s ims=%s\n" % (
            self.command, self.path, status,
            self.headers.get("If-None-Match") or "-",
            self.headers.get("If-Modified-Since") or "-")
        with self.server.lock:
            with open(os.path.join(self.server.state, "requests.log"),
                      "a") as f:
                f.write(line)

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if status != 304:
            self.send_header("Content-Type", "application/x-pem-file")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)
        self.log(status)

    def do_GET(self):
        state = self.server.state
        try:
            with open(os.path.join(state, "status")) as f:
                forced = int(f.read().strip())
        except (OSError, ValueError):
            forced = None
        if forced is not None:
            return self.answer(forced, b"forced status\n")
        path = os.path.join(state, "bundle.pem")
        try:
            with open(path, "rb") as f:
                body = f.read()
            mtime = os.stat(path).st_mtime
        except OSError:
            return self.answer(404, b"no bundle\n")
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        modified = email.utils.formatdate(mtime, usegmt=True)
        validators = (("ETag", etag), ("Last-Modified", modified))
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if inm is not None:
            if etag in [t.strip() for t in inm.split(",")] or inm == "*":
                return self.answer(304, headers=validators)
        elif ims is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                since = None
            if since is not None and int(mtime) <= since:
                return self.answer(304, headers=validators)
        self.answer(200, body, validators)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Refused handshakes are expected (tests check that verification
        # is on); anything else goes to stderr.
        exc = sys.exc_info()[1]
        if not isinstance(exc, (ssl.SSLError, ConnectionError)):
            super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--state", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--lifetime", type=float, default=60)
    args = ap.parse_args()

    server = Server(("127.0.0.1", args.port), Handler)
    server.state = os.path.abspath(args.state)
    server.lock = threading.Lock()
    server.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.tls.load_cert_chain(args.cert, args.key)
    portfile = os.path.join(server.state, "port")

    def stop(*_):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def watchdog():
        end = time.monotonic() + args.lifetime
        while time.monotonic() < end and os.path.isdir(server.state):
            time.sleep(0.5)
        stop()

    threading.Thread(target=watchdog, daemon=True).start()
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(portfile + ".tmp", portfile)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        try:
            os.unlink(portfile)
        except OSError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
