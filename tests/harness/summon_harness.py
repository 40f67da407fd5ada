#!/usr/bin/env python3
"""Drives a summon provider exactly as summon (cyberark/summon) does, for
iamdb summon's tests: summon is not packaged. Stdlib only. The protocol,
with references to summon's source, is in README.md beside this file.

Usage: python3 summon_harness.py --provider PATH [--mode auto|stream|args]
           [--timeout 60] [--order shuffled|given] [--seed N] NAME=ID ...

Each NAME=ID is a secrets.yml line `NAME: !var ID`. Modes:
  stream  summon >= 0.10's first try: PATH with no arguments; every ID on
          stdin, one a line, stdin left open; one base64 value a line on
          stdout, matched to the IDs in the order written; any stderr line,
          an undecodable line, or EOF before the first value is a failure.
          Once every value is read: stdin, stdout and stderr are closed and
          the provider is killed (SIGKILL), as summon's cleanup does.
  args    summon's fallback and its only protocol before 0.10: `PATH ID`
          once per ID, all at once (in parallel, as summon's goroutines),
          stdin from /dev/null; exit 0 and stdout with white space trimmed
          is the value; otherwise "exit status N: STDERR (trimmed)".
  auto    what summon does: stream, and on any failure args for every ID.
IDs go out in a random order unless --order given (Go's map order).

Prints one JSON object: {"mode": the mode that gave the values (or null),
"values": {NAME: value}, "errors": {NAME: message}, "stream_error": why
stream mode failed (or null), "killed": true when the provider was still
running when the harness killed it}. Exit status 0 when every NAME has a
value, 1 otherwise, 2 on usage errors.
"""

import argparse
import base64
import binascii
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time


def stream(provider, pairs, timeout):
    """(values by index, error or None, killed)."""
    try:
        # Its own process group, so that nothing it started outlives the
        # harness (summon itself kills only the provider).
        p = subprocess.Popen([provider], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             start_new_session=True)
    except OSError as e:
        return {}, str(e), False
    errors = []
    write_failed = []
    values = {}
    done = threading.Event()

    # A provider that exits at once may close stdin before the ids are
    # written (summon: "interactive mode not supported"); what it printed
    # says more, so the reader decides when that is over.
    def writer():
        try:
            for _, ident in pairs:
                p.stdin.write(ident.encode() + b"\n")
                p.stdin.flush()
        except OSError:
            write_failed.append("interactive mode not supported")

    def reader():
        n = 0
        for line in iter(p.stdout.readline, b""):
            line = line.rstrip(b"\r\n")
            try:
                values[n] = base64.b64decode(line, validate=True)
            except (binascii.Error, ValueError) as e:
                errors.append("failed to decode base64 string: %s" % e)
                break
            n += 1
            if n >= len(pairs):
                break
        if n == 0:
            # Summon's goroutines race here; the stderr line says more.
            threads[2].join(1)
            if not errors:
                errors.append("interactive mode not supported")
        done.set()

    def stderr():
        for line in iter(p.stderr.readline, b""):
            errors.append(line.rstrip(b"\n").decode("utf-8", "replace"))
            done.set()

    threads = [threading.Thread(target=f, daemon=True)
               for f in (writer, reader, stderr)]
    threads[2].start()
    threads[0].start()
    threads[1].start()
    if not done.wait(timeout):
        errors.append("timed out after %g s (summon's context deadline)"
                      % timeout)
    killed = p.poll() is None
    if not killed:
        threads[2].join(1)      # what it wrote on stderr before it exited
    # summon's cleanup: close the pipes, then cancel the context, which
    # kills the process.
    try:
        p.stdin.close()
    except OSError:
        pass
    if killed:
        p.kill()
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except OSError:
        pass
    p.wait()
    for t in threads[1:]:
        t.join(5)
    p.stdout.close()
    p.stderr.close()
    errors += write_failed
    if errors:
        return {}, errors[0], killed
    return values, None, killed


def one(provider, ident, timeout):
    """(value, error) for `provider ident`."""
    try:
        r = subprocess.run([provider, ident], stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timed out after %g s" % timeout
    except OSError as e:
        return None, str(e)
    if r.returncode != 0:
        msg = ("exit status %d" % r.returncode if r.returncode > 0
               else "signal: %d" % -r.returncode)
        if r.stderr:
            msg += ": " + r.stderr.strip().decode("utf-8", "replace")
        return None, msg
    return r.stdout.strip(), None


def args_mode(provider, pairs, timeout):
    out = [None] * len(pairs)

    def run(i):
        out[i] = one(provider, pairs[i][1], timeout)
    threads = [threading.Thread(target=run, args=(i,))
               for i in range(len(pairs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def text(b):
    return b.decode("utf-8", "surrogateescape")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--provider", required=True)
    ap.add_argument("--mode", choices=("auto", "stream", "args"),
                    default="auto")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--order", choices=("shuffled", "given"),
                    default="shuffled")
    ap.add_argument("--seed", type=int)
    ap.add_argument("secrets", nargs="+", metavar="NAME=ID")
    a = ap.parse_args(argv)
    pairs = []
    for s in a.secrets:
        name, eq, ident = s.partition("=")
        if not eq or not name or "\n" in ident:
            ap.error("%r is not NAME=ID" % s)
        pairs.append((name, ident))
    if a.order == "shuffled":
        random.Random(a.seed).shuffle(pairs)
    result = {"mode": None, "values": {}, "errors": {},
              "stream_error": None, "killed": False}
    if a.mode in ("auto", "stream"):
        t0 = time.monotonic()
        values, err, killed = stream(a.provider, pairs, a.timeout)
        result["killed"] = killed
        result["stream_seconds"] = round(time.monotonic() - t0, 3)
        if err is None:
            result["mode"] = "stream"
            result["values"] = {pairs[i][0]: text(v)
                                for i, v in values.items()}
        else:
            result["stream_error"] = err
    if result["mode"] is None and a.mode in ("auto", "args"):
        result["mode"] = "args"
        for (name, _), (v, err) in zip(pairs, args_mode(
                a.provider, pairs, a.timeout)):
            if err is None:
                result["values"][name] = text(v)
            else:
                result["errors"][name] = err
    if a.mode == "stream" and result["mode"] is None:
        result["errors"] = {name: result["stream_error"]
                            for name, _ in pairs}
    json.dump(result, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")
    return 0 if len(result["values"]) == len({n for n, _ in pairs}) else 1


if __name__ == "__main__":
    sys.exit(main())
