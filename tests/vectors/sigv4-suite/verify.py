#!/usr/bin/env python3
"""Self-consistency check of the copied SigV4 suite files (stdlib only).

For every case directory and each mode (query, header) it recomputes, from
context.json, the SigV4 chain

    canonical-request --sha256--> string-to-sign --HMAC(key)--> signature

and checks it against whichever of *-canonical-request.txt,
*-string-to-sign.txt, *-signature.txt and the signature inside
*-signed-request.txt the case has.  Exits non-zero on any mismatch.
This is a data check only; it is not the project's test harness.
"""
import hashlib
import hmac
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def read(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8")


def signing_key(secret, date, region, service):
    k = ("AWS4" + secret).encode()
    for m in (date, region, service, "aws4_request"):
        k = hmac.new(k, m.encode(), hashlib.sha256).digest()
    return k


def main():
    failures = 0
    checked = 0
    for case in sorted(os.listdir(HERE)):
        d = os.path.join(HERE, case)
        if not os.path.isdir(d):
            continue
        ctx = json.loads(read(os.path.join(d, "context.json")))
        ts = ctx["timestamp"]  # 2015-08-30T12:36:00Z
        amz_date = ts.replace("-", "").replace(":", "")
        date = amz_date[:8]
        scope = f"{date}/{ctx['region']}/{ctx['service']}/aws4_request"
        key = signing_key(ctx["credentials"]["secret_access_key"], date,
                          ctx["region"], ctx["service"])
        notes = []
        for mode in ("query", "header"):
            f = {n: os.path.join(d, f"{mode}-{n}.txt") for n in
                 ("canonical-request", "string-to-sign", "signature",
                  "signed-request")}
            have = {n: os.path.exists(p) for n, p in f.items()}
            if not any(have.values()):
                continue
            ok = True
            sts = None
            if have["string-to-sign"]:
                sts = read(f["string-to-sign"])
                lines = sts.split("\n")
                ok &= lines[:3] == ["AWS4-HMAC-SHA256", amz_date, scope]
            if have["canonical-request"]:
                cr = read(f["canonical-request"])
                h = hashlib.sha256(cr.encode()).hexdigest()
                if sts is not None:
                    ok &= sts.split("\n")[3] == h
                if mode == "query":
                    ok &= ("X-Amz-Expires" in cr) == (
                        "expiration_in_seconds" in ctx)
            sig = None
            if sts is not None:
                sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
            if have["signature"]:
                ok &= sig is not None and read(f["signature"]).strip() == sig
            if have["signed-request"]:
                sr = read(f["signed-request"])
                pat = (r"X-Amz-Signature=([0-9a-f]{64})" if mode == "query"
                       else r"Signature=([0-9a-f]{64})")
                found = re.findall(pat, sr)
                ok &= sig is not None and found == [sig]
            checked += 1
            parts = [n for n in have if have[n]]
            notes.append(f"{mode}[{','.join(parts)}]:{'ok' if ok else 'FAIL'}")
            failures += not ok
        print(f"{case}: {' '.join(notes)}")
    print(f"{checked} chains checked, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
