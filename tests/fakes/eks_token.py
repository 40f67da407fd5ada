#!/usr/bin/env python3
"""An EKS token, for the fake API server's self-test only (iamdb eks makes
the real ones): stdlib SigV4 query signing, as aws-iam-authenticator and
`aws eks get-token` build it.

Usage: python3 eks_token.py --cluster NAME [--region R] [--expires 60]
                            [--signing-time YYYY-MM-DDTHH:MM:SSZ]
                            [--exec-credential [API_VERSION]]

The key comes from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_SESSION_TOKEN (never argv); the region from --region, else AWS_REGION,
else us-east-1. Prints k8s-aws-v1.<base64url of the presigned
GetCallerIdentity URL, with x-k8s-aws-id: NAME signed>, or with
--exec-credential a client.authentication.k8s.io ExecCredential holding it
(API_VERSION: v1beta1 by default), expiring 14 minutes after signing.
"""

import argparse
import base64
import datetime
import hashlib
import hmac
import json
import os
import sys
import urllib.parse

UTC = datetime.timezone.utc


def quote(s):
    return urllib.parse.quote(s, safe="-_.~")


def token(cluster, region, akid, secret, session, when, expires=60):
    host = "sts.%s.amazonaws.com" % region
    amzdate = when.strftime("%Y%m%dT%H%M%SZ")
    scope = "%s/%s/sts/aws4_request" % (amzdate[:8], region)
    params = [("Action", "GetCallerIdentity"), ("Version", "2011-06-15"),
              ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
              ("X-Amz-Credential", "%s/%s" % (akid, scope)),
              ("X-Amz-Date", amzdate), ("X-Amz-Expires", str(expires)),
              ("X-Amz-SignedHeaders", "host;x-k8s-aws-id")]
    if session:
        params.append(("X-Amz-Security-Token", session))
    params.sort()
    query = "&".join("%s=%s" % (quote(k), quote(v)) for k, v in params)
    canonical = "\n".join([
        "GET", "/", query, "host:%s\nx-k8s-aws-id:%s\n" % (host, cluster),
        "host;x-k8s-aws-id", hashlib.sha256(b"").hexdigest()])
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amzdate, scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    k = ("AWS4" + secret).encode()
    for part in (amzdate[:8], region, "sts", "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    url = "https://%s/?%s&X-Amz-Signature=%s" % (host, query, sig)
    return "k8s-aws-v1." + base64.urlsafe_b64encode(
        url.encode()).decode().rstrip("=")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cluster", required=True)
    ap.add_argument("--region")
    ap.add_argument("--expires", type=int, default=60)
    ap.add_argument("--signing-time")
    ap.add_argument("--exec-credential", nargs="?", const="v1beta1")
    a = ap.parse_args(argv)
    akid = os.environ.get("AWS_ACCESS_KEY_ID")
    secret = os.environ.get("AWS_SECRET_ACCESS_KEY")
    if not akid or not secret:
        sys.exit("eks_token.py: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                 "are not set")
    region = a.region or os.environ.get("AWS_REGION") or "us-east-1"
    if a.signing_time:
        when = datetime.datetime.strptime(
            a.signing_time, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    else:
        when = datetime.datetime.now(UTC).replace(microsecond=0)
    tok = token(a.cluster, region, akid, secret,
                os.environ.get("AWS_SESSION_TOKEN"), when, a.expires)
    if a.exec_credential is None:
        print(tok)
        return 0
    expiry = when + datetime.timedelta(minutes=14)
    print(json.dumps({
        "apiVersion": "client.authentication.k8s.io/" + a.exec_credential,
        "kind": "ExecCredential", "spec": {},
        "status": {"expirationTimestamp": expiry.strftime(
            "%Y-%m-%dT%H:%M:%SZ"), "token": tok}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
