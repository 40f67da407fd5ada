"""Readers that parse iamdb's outputs the way their consumers do, for the
outputs_*.sh tests (not a test itself: tests/run runs only *.sh).

  pgpass FILE HOST PORT DB USER   the password libpq takes from a .pgpass
                                  file (fe-connect.c passwordFromFile);
                                  exit 1 when no line matches
  mycnf FILE GROUP...             a MySQL option file as mysys reads it
                                  (my_default.cc): JSON [[key, value], ...]
                                  for the groups, value null for a bare key
  mycnf-get FILE GROUP KEY        the last value of KEY in GROUP; exit 1
                                  when it has none
  fish FILE                       `set -gx NAME 'value';` lines as fish reads
                                  single quotes: JSON {name: value}
  dotenv FILE                     NAME="value" lines as Ruby's dotenv (and
                                  godotenv, Docker Compose's) reads double
                                  quotes: JSON {name: value}
  pgserver DIR [ADDRESS]          a PostgreSQL server on 127.0.0.1 (or
                                  ADDRESS, such as ::1) that asks
                                  for a cleartext password, appends
                                  {"user", "database", "password"} as a JSON
                                  line to DIR/passwords.log and refuses;
                                  DIR/port once listening; exits after 60 s
                                  or when DIR disappears
"""
import json
import os
import re
import socket
import socketserver
import struct
import sys
import threading
import time


def pgpass(path, host, port, db, user):
    """libpq: the first line whose four fields match wins; '*' alone
    matches anything; '\\' escapes the next character; the password runs
    to the next unescaped ':'; lines starting '#' and empty ones are
    skipped; trailing CR and LF are removed."""
    def match(buf, token):
        # pwdfMatchesString: the rest of the line after a matching field
        if buf.startswith("*:"):
            return buf[2:]
        i = 0
        t = 0
        while i < len(buf):
            bslash = False
            if buf[i] == "\\" and i + 1 < len(buf):
                i += 1
                bslash = True
            if buf[i] == ":" and t == len(token) and not bslash:
                return buf[i + 1:]
            if t == len(token) or buf[i] != token[t]:
                return None
            i += 1
            t += 1
        return None

    with open(path, encoding="utf-8", newline="") as f:
        data = f.read()
    for line in data.split("\n"):
        line = line.rstrip("\r\n")
        if line == "" or line.startswith("#"):
            continue
        rest = line
        for want in (host, port, db, user):
            rest = match(rest, want)
            if rest is None:
                break
        if rest is None:
            continue
        out = []
        i = 0
        while i < len(rest) and rest[i] != ":":
            if rest[i] == "\\" and i + 1 < len(rest):
                i += 1
            out.append(rest[i])
            i += 1
        sys.stdout.write("".join(out))
        return 0
    return 1


def mycnf(path, groups, out=None):
    """mysys: [group] headers; '#' and ';' lines are comments; a '#' ends
    a line outside quotes; key[=value] with blanks trimmed; one pair of
    matching outer quotes is removed; \\n \\t \\r \\b \\s \\" \\' \\\\
    are decoded and other backslashes kept."""
    def end_comment(s):
        quote = None
        escape = False
        for i, c in enumerate(s):
            if c in "'\"" and not escape:
                if quote is None:
                    quote = c
                elif quote == c:
                    quote = None
            if quote is None and c == "#":
                return s[:i]
            escape = quote is not None and c == "\\" and not escape
        return s

    escapes = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "s": " ",
               '"': '"', "'": "'", "\\": "\\"}
    pairs = []
    current = None
    with open(path, encoding="utf-8", newline="") as f:
        data = f.read()
    for line in data.split("\n"):
        line = line.rstrip("\r").lstrip()
        if line == "" or line[0] in "#;":
            continue
        if line[0] == "[":
            end = line.find("]")
            # blanks before ']' are dropped, not those after '[';
            # names compare without regard to case
            current = line[1:end].rstrip().lower() if end > 0 else None
            continue
        if line[0] == "!":
            continue
        if current not in [g.lower() for g in groups]:
            continue
        line = end_comment(line)
        if "=" not in line:
            pairs.append([line.strip(), None])
            continue
        key, value = line.split("=", 1)
        key = key.strip()
        value = value.strip()
        if len(value) > 1 and value[0] in "'\"" and value[0] == value[-1]:
            value = value[1:-1]
        decoded = []
        i = 0
        while i < len(value):
            c = value[i]
            if c == "\\" and i + 1 < len(value):
                i += 1
                decoded.append(escapes.get(value[i], "\\" + value[i]))
            else:
                decoded.append(c)
            i += 1
        pairs.append([key, "".join(decoded)])
    if out is not None:
        out.extend(pairs)
        return 0
    json.dump(pairs, sys.stdout)
    return 0


def mycnf_get(path, group, key):
    pairs = []
    mycnf(path, [group], pairs)
    values = [v for k, v in pairs if k == key]
    if not values or values[-1] is None:
        return 1
    sys.stdout.write(values[-1])
    return 0


def fish(path):
    """fish: inside single quotes, \\' is a quote and \\\\ a backslash;
    every other character, backslashes included, stands for itself."""
    out = {}
    pat = re.compile(r"set -gx ([A-Za-z_][A-Za-z0-9_]*) '((?:[^'\\]|\\.)*)';")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    pos = 0
    while pos < len(text):
        m = pat.match(text, pos)
        if m is None:
            sys.stderr.write("fish: cannot read %r\n" % text[pos:pos + 40])
            return 1
        raw = m.group(2)
        val = []
        i = 0
        while i < len(raw):
            if raw[i] == "\\" and i + 1 < len(raw) and raw[i + 1] in "'\\":
                i += 1
            val.append(raw[i])
            i += 1
        out[m.group(1)] = "".join(val)
        pos = m.end()
        if text.startswith("\n", pos):
            pos += 1
    json.dump(out, sys.stdout)
    return 0


def dotenv(path):
    """Ruby dotenv: in double quotes \\n is a newline, \\$ a dollar sign
    (not expanded) and a backslash before any other character stands for
    that character."""
    out = {}
    pat = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"\n')
    with open(path, encoding="utf-8") as f:
        text = f.read()
    pos = 0
    while pos < len(text):
        m = pat.match(text, pos)
        if m is None:
            sys.stderr.write("dotenv: cannot read %r\n" % text[pos:pos + 40])
            return 1
        raw = m.group(2)
        if re.search(r"(?<!\\)(?:\\\\)*\$", raw):
            sys.stderr.write("dotenv: unescaped $ in %s\n" % m.group(1))
            return 1
        val = re.sub(r"\\(.)", lambda x: "\n" if x.group(1) == "n"
                     else x.group(1), raw)
        out[m.group(1)] = val
        pos = m.end()
    json.dump(out, sys.stdout)
    return 0


class PgHandler(socketserver.BaseRequestHandler):
    def recv_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.request.recv(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def handle(self):
        try:
            while True:
                (length,) = struct.unpack("!i", self.recv_exact(4))
                body = self.recv_exact(length - 4)
                (code,) = struct.unpack("!i", body[:4])
                if code in (80877103, 80877104):  # SSL, GSS: no
                    self.request.sendall(b"N")
                    continue
                break
            parts = body[4:].split(b"\0")
            params = dict(zip(parts[0::2], parts[1::2]))
            self.request.sendall(b"R" + struct.pack("!ii", 8, 3))
            kind = self.recv_exact(1)
            (length,) = struct.unpack("!i", self.recv_exact(4))
            password = self.recv_exact(length - 4).rstrip(b"\0")
        except (EOFError, OSError):
            return
        if kind != b"p":
            return
        rec = {"user": params.get(b"user", b"").decode(),
               "database": params.get(b"database", b"").decode(),
               "password": password.decode()}
        with self.server.lock:
            with open(os.path.join(self.server.state, "passwords.log"),
                      "a") as f:
                f.write(json.dumps(rec) + "\n")
        msg = b"SFATAL\0VFATAL\0C28P01\0Mfake server: password noted\0\0"
        self.request.sendall(b"E" + struct.pack("!i", len(msg) + 4) + msg)


def pgserver(state, address="127.0.0.1"):
    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True
        address_family = socket.AF_INET6 if ":" in address else \
            socket.AF_INET

    server = Server((address, 0), PgHandler)
    server.state = os.path.abspath(state)
    server.lock = threading.Lock()

    def watchdog():
        end = time.monotonic() + 60
        while time.monotonic() < end and os.path.isdir(server.state):
            time.sleep(0.5)
        server.shutdown()

    threading.Thread(target=watchdog, daemon=True).start()
    port = os.path.join(server.state, "port")
    with open(port + ".tmp", "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(port + ".tmp", port)
    server.serve_forever(poll_interval=0.2)
    return 0


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "pgpass":
        return pgpass(*args)
    if cmd == "mycnf":
        return mycnf(args[0], args[1:])
    if cmd == "mycnf-get":
        return mycnf_get(*args)
    if cmd == "fish":
        return fish(args[0])
    if cmd == "dotenv":
        return dotenv(args[0])
    if cmd == "pgserver":
        return pgserver(*args)
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
