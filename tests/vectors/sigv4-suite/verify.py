#!/usr/bin/env python3
"""Self-consistency check of the copied SigV4 suite files (stdlib only).

For every case it recomputes the SigV4 chain

    canonical request --sha256--> string to sign --HMAC(key)--> signature

and checks it against whichever files the case has: NAME.creq, .sts and
.authz (AWS's suite, with its fixed key, region, service and time), and
MODE-canonical-request.txt, -string-to-sign.txt, -signature.txt and the
signature inside -signed-request.txt with context.json (aws-c-auth's).
Exits non-zero on any mismatch. This checks the copies, not iamdb
(tests/unit/test_sigv4_suite.c does that).
"""
import hashlib
import hmac
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = {
    "credentials": {"secret_access_key":
                    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
    "region": "us-east-1", "service": "service",
    "timestamp": "2015-08-30T12:36:00Z",
}


def read(path):
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        return f.read().decode("utf-8")


def chain(ctx, creq, sts, sigs):
    """True when the files present agree with each other and with ctx."""
    stamp = ctx["timestamp"].replace("-", "").replace(":", "")
    date = stamp[:8]
    scope = f"{date}/{ctx['region']}/{ctx['service']}/aws4_request"
    key = ("AWS4" + ctx["credentials"]["secret_access_key"]).encode()
    for m in (date, ctx["region"], ctx["service"], "aws4_request"):
        key = hmac.new(key, m.encode(), hashlib.sha256).digest()
    if sts is None:
        return not sigs
    lines = sts.split("\n")
    good = lines[:3] == ["AWS4-HMAC-SHA256", stamp, scope]
    if creq is not None:
        good &= lines[3] == hashlib.sha256(creq.encode()).hexdigest()
    sig = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
    return good and all(s == sig for s in sigs)


def main():
    failures = checked = 0
    for case in sorted(os.listdir(HERE)):
        d = os.path.join(HERE, case)
        if not os.path.isdir(d):
            continue
        notes = []
        if os.path.exists(os.path.join(d, case + ".req")):
            f = {e: read(os.path.join(d, f"{case}.{e}"))
                 for e in ("creq", "sts", "authz")}
            sigs = re.findall(r"Signature=([0-9a-f]{64})$", f["authz"] or "")
            if f["authz"] is not None and not sigs:
                sigs = ["unreadable"]
            notes.append(("aws", chain(SUITE, f["creq"], f["sts"], sigs)))
        ctx = read(os.path.join(d, "context.json"))
        for mode in ("header", "query"):
            p = {n: read(os.path.join(d, f"{mode}-{n}.txt")) for n in
                 ("canonical-request", "string-to-sign", "signature",
                  "signed-request")}
            if not any(p.values()):
                continue
            sigs = [p["signature"].strip()] if p["signature"] else []
            if p["signed-request"] is not None:
                pat = (r"X-Amz-Signature=([0-9a-f]{64})" if mode == "query"
                       else r"Signature=([0-9a-f]{64})")
                sigs += re.findall(pat, p["signed-request"])
            good = ctx is not None and chain(
                json.loads(ctx), p["canonical-request"],
                p["string-to-sign"], sigs)
            notes.append((mode, good))
        for _, good in notes:
            checked += 1
            failures += not good
        print(f"{case}: " + " ".join(f"{m}:{'ok' if g else 'FAIL'}"
                                     for m, g in notes))
    print(f"{checked} chains checked, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
