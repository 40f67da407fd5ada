"""What every loopback fake here shares (fake_k8s, fake_lambda,
fake_secrets): a threaded HTTP(S) server on 127.0.0.1, a state directory
with a port file and a JSON-lines log, and a lifetime so that no fake
outlives its test. Stdlib only.

    python3 FAKE.py --state DIR [--port 0] [--lifetime 120] ...

DIR/port is written (tmp + rename) once the socket listens and removed at
exit. The fake exits with status 0 on SIGTERM/SIGINT, after --lifetime
seconds, or within 0.5 s of DIR being deleted.
"""

import argparse
import configparser
import http.server
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time

MAX_BODY = 1 << 20


def load_keys(path):
    """The keys file iamdb verify --keys reads: INI sections with
    aws_access_key_id, aws_secret_access_key and optionally
    aws_session_token. Returns akid -> (secret, token or None, section)."""
    cp = configparser.ConfigParser(interpolation=None)
    with open(path) as f:
        cp.read_file(f)
    keys = {}
    for name in cp.sections():
        s = cp[name]
        akid = s.get("aws_access_key_id", "").strip()
        if akid:
            keys[akid] = (s.get("aws_secret_access_key", "").strip(),
                          s.get("aws_session_token", "").strip() or None,
                          name)
    return keys


class State(object):
    def __init__(self, directory):
        self.dir = directory
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def path(self, name):
        return os.path.join(self.dir, name)

    def log(self, obj, name="requests.log"):
        """Appends obj as one compact JSON line; callers leave secrets out."""
        line = json.dumps(obj, separators=(",", ":"), sort_keys=True) + "\n"
        with self.lock:
            try:
                with open(self.path(name), "a") as f:
                    f.write(line)
            except OSError:
                pass


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake/1"
    sys_version = ""

    def log_message(self, *args):
        pass

    def version_string(self):
        return self.server_version

    @property
    def state(self):
        return self.server.state

    def read_body(self):
        """The request body (Content-Length only), at most MAX_BODY bytes;
        None when it is larger or malformed."""
        try:
            n = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return None
        if n < 0 or n > MAX_BODY:
            return None
        return self.rfile.read(n) if n else b""

    def send(self, status, body=b"", ctype="text/plain", headers=()):
        if isinstance(body, str):
            body = body.encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def send_json(self, status, obj, headers=(), ctype="application/json"):
        self.send(status, json.dumps(obj, indent=None) + "\n", ctype, headers)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass    # clients that hang up are expected; stay quiet


def arguments(description, add=None, argv=None):
    """The common options (--state, --port, --lifetime) and the fake's own,
    which add(parser) declares."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--state", required=True, help="state directory")
    ap.add_argument("--port", type=int, default=0, help="0 = any free port")
    ap.add_argument("--lifetime", type=float, default=120,
                    help="exit after this many seconds (default 120)")
    if add:
        add(ap)
    return ap.parse_args(argv)


def tls_context(cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert, key)
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


def serve(handler, args, state=None, context=None, setup=None):
    """Serves handler on 127.0.0.1 until a signal, the lifetime or the
    state directory's removal; returns the exit status. setup(server), if
    given, runs once the socket is bound and before the port is published."""
    directory = os.path.abspath(args.state)
    os.makedirs(directory, exist_ok=True)
    port_file = os.path.join(directory, "port")
    try:
        os.unlink(port_file)
    except FileNotFoundError:
        pass
    state = state or State(directory)
    server = Server(("127.0.0.1", args.port), handler)
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True,
                                            do_handshake_on_connect=False)
    server.state = state

    def on_signal(signum, frame):
        state.stop.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if setup:
        setup(server)

    t = threading.Thread(target=server.serve_forever,
                         kwargs={"poll_interval": 0.1}, daemon=True)
    t.start()
    tmp = "%s.tmp.%d" % (port_file, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.replace(tmp, port_file)

    deadline = time.monotonic() + args.lifetime
    while not state.stop.is_set():
        left = deadline - time.monotonic()
        if left <= 0 or not os.path.isdir(directory):
            break
        state.stop.wait(min(left, 0.5))
    state.stop.set()        # wakes handlers that wait
    server.shutdown()
    server.server_close()
    try:
        os.unlink(port_file)
    except OSError:
        pass
    return 0


def wait_port(directory, timeout=10.0):
    """The port a fake started on DIR publishes, or None after timeout."""
    deadline = time.monotonic() + timeout
    p = os.path.join(directory, "port")
    while time.monotonic() < deadline:
        try:
            with open(p) as f:
                s = f.read().strip()
            if s:
                return int(s)
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    return None


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


if __name__ == "__main__":
    sys.exit("loopback.py is a module for the fakes here")
