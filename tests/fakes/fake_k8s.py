#!/usr/bin/env python3
"""A fake Kubernetes API server on 127.0.0.1 (HTTPS) that takes EKS tokens.

Usage: python3 fake_k8s.py --state DIR --cert PEM --key PEM --cluster NAME
                           --keys FILE [--max-expires 60] [--port 0]
                           [--lifetime 120]

It serves /version, /api, /api/v1, /apis and /api/v1/namespaces (JSON, or
a Table when kubectl asks for one) to requests that carry

    Authorization: Bearer k8s-aws-v1.<base64url, no padding, of a presigned
                   https://sts.REGION.amazonaws.com/?Action=GetCallerIdentity
                   &Version=2011-06-15&X-Amz-...>

and only when that presigned URL verifies as EKS would have STS verify it:
the parameters aws-iam-authenticator allows, once each; Action and Version;
X-Amz-Expires at most --max-expires (aws eks get-token and the
authenticator send 60; the authenticator accepts up to 900); X-Amz-Date
within 15 minutes of now (STS's window, whatever X-Amz-Expires says);
host and x-k8s-aws-id signed, with x-k8s-aws-id taken as NAME (so a token
for another cluster fails its signature); the scope .../REGION/sts/
aws4_request matching the STS host's region (us-east-1 for the global
sts.amazonaws.com); and the SigV4 signature correct for a key in FILE.
FILE is an INI file of sections with aws_access_key_id,
aws_secret_access_key and optionally aws_session_token (which the URL's
X-Amz-Security-Token must then equal), the shape iamdb verify --keys reads.
Everything else gets 401 with the reason in the Status message.

DIR/requests.log gets one JSON line per request: method, path, status,
reason (null when accepted), akid and arn (arn:aws:iam::123456789012:user/
SECTION) of the key that signed; never a token or a signature.
"""

import base64
import configparser
import datetime
import hashlib
import hmac
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fake_aws   # noqa: E402  (its SigV4 canonical query and signing key)
import loopback   # noqa: E402

PREFIX = "k8s-aws-v1."
MAX_TOKEN = 4096          # aws-iam-authenticator's maxTokenLenBytes
WINDOW = 15 * 60          # a presigned STS URL lives 15 min from its date
ACCOUNT = "123456789012"
ALLOWED = {"action", "version", "x-amz-algorithm", "x-amz-credential",
           "x-amz-date", "x-amz-expires", "x-amz-security-token",
           "x-amz-signature", "x-amz-signedheaders"}
STS_HOST = re.compile(r"^sts(\.([a-z0-9-]+))?\.amazonaws\.com(\.cn)?$")
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
UTC = datetime.timezone.utc


class Refused(Exception):
    pass


def verify(token, cluster, keys, now, max_expires=60):
    """The akid and section name that signed token, else Refused(reason)."""
    if len(token) > MAX_TOKEN:
        raise Refused("token is over %d bytes" % MAX_TOKEN)
    if not token.startswith(PREFIX):
        raise Refused("token is missing the %s prefix" % PREFIX)
    b64 = token[len(PREFIX):]
    if "=" in b64 or not re.fullmatch(r"[A-Za-z0-9_-]*", b64):
        raise Refused("token is not base64url without padding")
    try:
        url = base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raise Refused("token does not decode")
    u = urllib.parse.urlsplit(url)
    if u.scheme != "https":
        raise Refused("presigned URL scheme is not https")
    host = u.netloc.lower()
    m = STS_HOST.match(host)
    if not m:
        raise Refused("presigned URL host %r is not an STS endpoint" % host)
    host_region = m.group(2) or "us-east-1"
    if u.path != "/":
        raise Refused("presigned URL path is not /")
    if u.fragment:
        raise Refused("presigned URL has a fragment")
    params = {}
    for piece in u.query.split("&"):
        k, eq, v = piece.partition("=")
        k = urllib.parse.unquote(k)
        if not eq or k.lower() not in ALLOWED:
            raise Refused("query parameter %r is not allowed" % k)
        if k.lower() in params:
            raise Refused("query parameter %r is repeated" % k)
        params[k.lower()] = urllib.parse.unquote(v)
    if params.get("action") != "GetCallerIdentity":
        raise Refused("Action is not GetCallerIdentity")
    if params.get("version") != "2011-06-15":
        raise Refused("Version is not 2011-06-15")
    if params.get("x-amz-algorithm") != "AWS4-HMAC-SHA256":
        raise Refused("X-Amz-Algorithm is not AWS4-HMAC-SHA256")
    signed = params.get("x-amz-signedheaders", "").split(";")
    if "host" not in signed or "x-k8s-aws-id" not in signed:
        raise Refused("host and x-k8s-aws-id are not both signed")
    if sorted(set(signed)) != signed:
        raise Refused("X-Amz-SignedHeaders is not sorted")
    if set(signed) - {"host", "x-k8s-aws-id"}:
        raise Refused("signed headers other than host and x-k8s-aws-id")
    expires = params.get("x-amz-expires", "")
    if not expires.isdigit() or int(expires) > max_expires:
        raise Refused("X-Amz-Expires %r is not 0..%d" % (expires, max_expires))
    try:
        date = datetime.datetime.strptime(
            params.get("x-amz-date", ""), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise Refused("X-Amz-Date is malformed")
    age = (now - date).total_seconds()
    if age > WINDOW:
        raise Refused("X-Amz-Date is over 15 minutes old: expired")
    if age < -WINDOW:
        raise Refused("X-Amz-Date is over 15 minutes ahead")
    cred = params.get("x-amz-credential", "").split("/")
    if len(cred) != 5:
        raise Refused("X-Amz-Credential is malformed")
    akid, cdate, cregion, cservice, term = cred
    if cdate != params["x-amz-date"][:8]:
        raise Refused("credential date is not X-Amz-Date's")
    if cservice != "sts" or term != "aws4_request":
        raise Refused("credential scope is not .../sts/aws4_request")
    if cregion != host_region:
        raise Refused("signed for region %s at %s" % (cregion, host))
    if akid not in keys:
        raise Refused("unknown access key %s" % akid)
    secret, session, name = keys[akid]
    if (params.get("x-amz-security-token") or None) != session:
        raise Refused("session token missing, unexpected or wrong for %s"
                      % akid)
    query = "&".join(p for p in u.query.split("&")
                     if urllib.parse.unquote(p.partition("=")[0]).lower()
                     != "x-amz-signature")
    canonical = "\n".join([
        "GET", "/", fake_aws.canonical_query(query),
        "host:%s\nx-k8s-aws-id:%s\n" % (host, cluster),
        ";".join(signed), EMPTY_SHA256])
    scope = "/".join(cred[1:])
    sts = "\n".join(["AWS4-HMAC-SHA256", params["x-amz-date"], scope,
                     hashlib.sha256(canonical.encode()).hexdigest()])
    want = hmac.new(fake_aws.signing_key(secret, cdate, cregion, "sts"),
                    sts.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(want, params.get("x-amz-signature", "")):
        raise Refused("the signature does not match (signed for another "
                      "cluster than %s, or with another secret)" % cluster)
    return akid, name


def version():
    return {"major": "1", "minor": "29", "gitVersion": "v1.29.0-fake",
            "gitCommit": "0" * 40, "gitTreeState": "clean",
            "buildDate": "2024-01-01T00:00:00Z", "goVersion": "go1.21",
            "compiler": "gc", "platform": "linux/amd64"}


NAMESPACES = ["default", "kube-system"]
CREATED = "2024-01-01T00:00:00Z"


def namespace(name):
    return {"kind": "Namespace", "apiVersion": "v1",
            "metadata": {"name": name, "uid": hashlib.md5(
                name.encode()).hexdigest(), "resourceVersion": "1",
                "creationTimestamp": CREATED},
            "spec": {"finalizers": ["kubernetes"]},
            "status": {"phase": "Active"}}


def namespaces(as_table):
    if not as_table:
        return {"kind": "NamespaceList", "apiVersion": "v1",
                "metadata": {"resourceVersion": "1"},
                "items": [namespace(n) for n in NAMESPACES]}
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1",
            "metadata": {"resourceVersion": "1"},
            "columnDefinitions": [
                {"name": "Name", "type": "string", "format": "name",
                 "description": "Name", "priority": 0},
                {"name": "Status", "type": "string", "format": "",
                 "description": "Phase", "priority": 0}],
            "rows": [{"cells": [n, "Active"], "object": {
                "kind": "PartialObjectMetadata",
                "apiVersion": "meta.k8s.io/v1",
                "metadata": namespace(n)["metadata"]}} for n in NAMESPACES]}


def resources(port):
    return {
        "/api": {"kind": "APIVersions", "versions": ["v1"],
                 "serverAddressByClientCIDRs": [{
                     "clientCIDR": "0.0.0.0/0",
                     "serverAddress": "127.0.0.1:%d" % port}]},
        "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": []},
        "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1",
                    "resources": [{"name": "namespaces",
                                   "singularName": "namespace",
                                   "namespaced": False, "kind": "Namespace",
                                   "verbs": ["get", "list"],
                                   "shortNames": ["ns"]}]},
        "/version": version(),
    }


def status(code, reason, message):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {},
            "status": "Failure", "message": message, "reason": reason,
            "code": code}


class Handler(loopback.Handler):
    server_version = "fake-k8s/1"

    def do_GET(self):
        st = self.state
        path = urllib.parse.urlsplit(self.path).path
        entry = {"method": self.command, "path": path, "akid": None,
                 "arn": None, "reason": None}
        auth = self.headers.get("Authorization") or ""
        try:
            if not auth.startswith("Bearer "):
                raise Refused("no bearer token")
            akid, name = verify(auth[len("Bearer "):].strip(), st.cluster,
                                loopback.load_keys(st.keys),
                                datetime.datetime.now(UTC), st.max_expires)
            entry["akid"] = akid
            entry["arn"] = "arn:aws:iam::%s:user/%s" % (ACCOUNT, name)
        except Refused as e:
            entry["reason"] = str(e)
        except (OSError, configparser.Error) as e:
            entry["reason"] = "keys file: %s" % e
        if entry["reason"] is not None:
            entry["status"] = 401
            st.log(entry)
            return self.send_json(401, status(
                401, "Unauthorized", "Unauthorized: %s" % entry["reason"]))
        as_table = "as=Table" in (self.headers.get("Accept") or "")
        if path == "/api/v1/namespaces":
            body = namespaces(as_table)
        else:
            body = resources(self.server.server_address[1]).get(
                path.rstrip("/") or "/")
        entry["status"] = 200 if body is not None else 404
        st.log(entry)
        if body is None:
            return self.send_json(404, status(404, "NotFound",
                                              "the server could not find "
                                              "the requested resource"))
        self.send_json(200, body)

    do_HEAD = do_GET

    def do_POST(self):
        self.state.log({"method": self.command, "path": self.path,
                        "status": 405, "reason": "read-only fake"})
        self.send_json(405, status(405, "MethodNotAllowed", "read-only fake"))

    do_PUT = do_DELETE = do_PATCH = do_POST


def main(argv=None):
    def add(ap):
        ap.add_argument("--cert", required=True)
        ap.add_argument("--key", required=True)
        ap.add_argument("--cluster", required=True)
        ap.add_argument("--keys", required=True)
        ap.add_argument("--max-expires", type=int, default=60)
    args = loopback.arguments(__doc__.splitlines()[0], add, argv)
    state = loopback.State(os.path.abspath(args.state))
    state.cluster = args.cluster
    state.keys = os.path.abspath(args.keys)
    state.max_expires = args.max_expires
    loopback.load_keys(state.keys)       # a broken keys file fails at start
    return loopback.serve(Handler, args, state,
                          loopback.tls_context(args.cert, args.key))


if __name__ == "__main__":
    sys.exit(main())
