#!/usr/bin/env python3
"""Cross-check eks.jsonl against Debian's `aws eks get-token` (awscli v2).

Not a test and never run by `make check`: a second oracle for the EKS
vectors, beside botocore.  Needs the Debian packages awscli and faketime
(the clock is frozen at each vector's signing_time with faketime; the
credentials go in through the environment, as test keys only).

    python3 tests/vectors/check_eks_awscli.py [N]   # first N vectors

Prints one line per vector and a summary; exit 1 on any difference other
than a region this awscli does not know (reported, not counted).
"""
import base64
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def get_token(v, home):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": home,
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ACCESS_KEY_ID": v["access_key_id"],
        "AWS_SECRET_ACCESS_KEY": v["secret_access_key"],
    }
    if v["session_token"] is not None:
        env["AWS_SESSION_TOKEN"] = v["session_token"]
    # faketime -f without "@" stops the clock at that instant.
    when = v["signing_time"].replace("T", " ").rstrip("Z")
    out = subprocess.run(
        ["faketime", "-f", when, "aws", "eks", "get-token", "--cluster-name",
         v["cluster"], "--region", v["region"], "--output", "json"],
        env=env, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout)["status"]


def main():
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else None
    with open(os.path.join(HERE, "eks.jsonl"), encoding="utf-8") as f:
        vectors = [json.loads(line) for line in f]
    same = differ = unknown = skipped = 0
    with tempfile.TemporaryDirectory() as home:
        for i, v in enumerate(vectors[:limit], 1):
            if v["expires"] != 60:
                skipped += 1    # get-token always presigns for 60 s
                continue
            got = get_token(v, home)
            if got["token"] == v["token"] and \
                    got["expirationTimestamp"] == v["expiration"]:
                same += 1
                print("ok %d %s %s" % (i, v["region"], v["cluster"][:30]))
                continue
            # An awscli older than the region falls back to the aws
            # partition's domain; that is its gap, not the vector's.
            pad = "=" * (-len(got["token"][11:]) % 4)
            url = base64.urlsafe_b64decode(got["token"][11:] + pad).decode()
            if not url.startswith("https://%s/" % v["sts_host"]):
                unknown += 1
                print("?  %d %s: awscli signs for %s" % (
                    i, v["region"], url.split("/")[2]))
                continue
            differ += 1
            print("NOT OK %d %s %s" % (i, v["region"], v["cluster"]))
    print("%d identical, %d different, %d regions unknown to awscli, "
          "%d skipped (expires != 60)" % (same, differ, unknown, skipped))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
