"""A recording HTTP proxy on 127.0.0.1, stdlib only: it forwards
absolute-form requests (GET http://127.0.0.1:PORT/... HTTP/1.1) to loopback
targets and nowhere else, and logs each request to DIR/proxy.log, so that a
test can tell which of iamdb's requests went through a proxy.

    python3 proxy.py --state DIR [--lifetime 120]

DIR/proxy.port holds the port once it listens. Each log line is JSON:
{"method", "url", "authorization": true if an Authorization or
X-aws-ec2-metadata-token header came through (never its value)}. CONNECT
is logged and refused with 403: no tunnel is made. A target that is not
127.0.0.1 or localhost gets 403 too, so a test can never reach further.
"""
import argparse
import http.client
import http.server
import json
import os
import threading
import time
import urllib.parse


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--state", required=True)
    ap.add_argument("--lifetime", type=float, default=120)
    args = ap.parse_args()
    lock = threading.Lock()

    def log(obj):
        with lock, open(os.path.join(args.state, "proxy.log"), "a") as f:
            f.write(json.dumps(obj, separators=(",", ":")) + "\n")

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def refuse(self):
            self.send_response(403)
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()

        def relay(self):
            secret = any(h.lower() in ("authorization",
                                       "x-aws-ec2-metadata-token")
                         for h in self.headers)
            log({"method": self.command, "url": self.path,
                 "authorization": secret})
            u = urllib.parse.urlsplit(self.path)
            if self.command == "CONNECT" or u.scheme != "http" or \
                    u.hostname not in ("127.0.0.1", "localhost"):
                self.refuse()
                return
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else None
            hdrs = {k: v for k, v in self.headers.items()
                    if k.lower() not in ("proxy-connection", "connection")}
            path = u.path + ("?" + u.query if u.query else "")
            try:
                c = http.client.HTTPConnection(u.hostname, u.port or 80,
                                               timeout=30)
                c.request(self.command, path or "/", body, hdrs)
                r = c.getresponse()
                data = r.read()
            except OSError:
                self.send_response(502)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(r.status)
            for k, v in r.getheaders():
                if k.lower() not in ("transfer-encoding", "connection",
                                     "content-length"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_PUT = do_POST = do_CONNECT = relay

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port = os.path.join(args.state, "proxy.port")
    with open(port + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(port + ".tmp", port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    end = time.time() + args.lifetime
    try:
        while time.time() < end and os.path.isdir(args.state):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    server.shutdown()
    try:
        os.unlink(port)
    except OSError:
        pass


if __name__ == "__main__":
    main()
