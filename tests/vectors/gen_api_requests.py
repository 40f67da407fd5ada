#!/usr/bin/env python3
"""Generate tests/vectors/api_requests.jsonl: the exact signed requests
botocore sends for the API calls iamdb makes itself (Redshift credentials;
RDS, IAM, STS and DSQL lookups for doctor/setup).

A DATA GENERATOR only (botocore 1.43.x), never run at test time.  The
clock is frozen at each vector's signing_time and the request is caught
in botocore's before-send event, so nothing leaves the process; inputs
are fixed or come from a seeded RNG.

    python3 tests/vectors/gen_api_requests.py          # rewrite the file
    python3 tests/vectors/gen_api_requests.py --check  # exit 1 if stale

Each request is also re-signed with plain hashlib/hmac (independent_sign)
and must carry the same Authorization header.  README.md lists the keys.
"""
import os
import sys

for _k in list(os.environ):
    if _k.startswith("AWS_"):
        del os.environ[_k]
os.environ["AWS_CONFIG_FILE"] = "/dev/null"
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import datetime  # noqa: E402
import hashlib  # noqa: E402
import hmac  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
from urllib.parse import quote, urlsplit  # noqa: E402

import botocore  # noqa: E402
import botocore.auth  # noqa: E402
import botocore.session  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "api_requests.jsonl")
TIME_FMT = "%Y-%m-%dT%H:%M:%SZ"

_FROZEN = [None]


def _frozen_now(remove_tzinfo=True):
    dt = _FROZEN[0]
    if dt is None:
        raise RuntimeError("signing clock not frozen")
    if not remove_tzinfo:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return dt


botocore.auth.get_current_datetime = _frozen_now
_SESSION = botocore.session.get_session()


class Caught(Exception):
    pass


def capture(v):
    """The request botocore would send for v, caught before sending."""
    c = _SESSION.create_client(
        v["service"], region_name=v["region"],
        aws_access_key_id=v["access_key_id"],
        aws_secret_access_key=v["secret_access_key"],
        aws_session_token=v["session_token"])
    seen = {}

    def before_send(request, **kwargs):
        seen["request"] = request
        raise Caught()
    c.meta.events.register("before-send", before_send)
    _FROZEN[0] = datetime.datetime.strptime(v["signing_time"], TIME_FMT)
    try:
        getattr(c, botocore.xform_name(v["operation"]))(**v["params"])
    except Caught:
        pass
    finally:
        _FROZEN[0] = None
    return seen["request"]


def text(b):
    return b.decode("utf-8") if isinstance(b, bytes) else (b or "")


def finish(v):
    req = capture(v)
    headers = {k: text(val) for k, val in req.headers.items()}
    auth = headers["Authorization"]
    signed = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
    out = dict(v)
    out["method"] = req.method
    out["url"] = req.url
    # The headers botocore signed (Host comes from the URL), in its order,
    # plus X-Amz-Target, which JSON services need.
    out["headers"] = {k: val for k, val in headers.items()
                      if k.lower() in signed or k.lower() == "x-amz-target"}
    out["body"] = text(req.body)
    out["signing_region"] = auth.split("Credential=")[1].split("/")[2]
    out["authorization"] = auth
    assert independent_sign(out) == auth, (independent_sign(out), auth)
    return out


def enc(s, safe="-_.~"):
    return quote(s, safe=safe)


def independent_sign(v):
    """Header signing, spelled out: lower-case sorted header names, values
    trimmed; the URL's path and query canonicalised; SHA-256 of the body."""
    u = urlsplit(v["url"])
    t = datetime.datetime.strptime(v["signing_time"], TIME_FMT)
    amz = t.strftime("%Y%m%dT%H%M%SZ")
    hdrs = {k.lower(): " ".join(val.split()) for k, val in
            v["headers"].items()}
    hdrs["host"] = u.hostname
    names = sorted(hdrs)
    pairs = []
    for piece in filter(None, u.query.split("&")):
        k, _, val = piece.partition("=")
        pairs.append((k, val))
    creq = "\n".join([
        v["method"], enc(u.path or "/", safe="-_.~/"),
        "&".join("%s=%s" % p for p in sorted(pairs)),
        "".join("%s:%s\n" % (n, hdrs[n]) for n in names),
        ";".join(names), hashlib.sha256(v["body"].encode()).hexdigest()])
    scope = "%s/%s/%s/aws4_request" % (amz[:8], v["signing_region"],
                                       v["signing_name"])
    sts = "\n".join(["AWS4-HMAC-SHA256", amz, scope,
                     hashlib.sha256(creq.encode()).hexdigest()])
    k = ("AWS4" + v["secret_access_key"]).encode()
    for m in (amz[:8], v["signing_region"], v["signing_name"],
              "aws4_request"):
        k = hmac.new(k, m.encode(), hashlib.sha256).digest()
    sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    return ("AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, "
            "Signature=%s" % (v["access_key_id"], scope, ";".join(names),
                              sig))


rng = random.Random(20250102)
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
B64 = UPPER + UPPER.lower() + "0123456789+/"
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1",
           "us-gov-west-1"]
TIMES = ["2025-01-01T00:00:00Z", "2024-02-29T23:59:59Z",
         "2026-01-15T08:05:03Z"]
SIGNING_NAMES = {"redshift": "redshift",
                 "redshift-serverless": "redshift-serverless",
                 "rds": "rds", "iam": "iam", "sts": "sts", "dsql": "dsql"}
VECTORS = []


def creds(token):
    akid = ("ASIA" if token else "AKIA") + "".join(
        rng.choice(UPPER + "234567") for _ in range(16))
    secret = list("".join(rng.choice(B64) for _ in range(40)))
    secret[rng.randrange(40)] = "/"
    tok = None
    if token:
        tok = "IQoJb3JpZ2luX2Vj" + "".join(rng.choice(B64) for _ in
                                           range(rng.randrange(200, 700)))
    return akid, "".join(secret), tok


def add(service, operation, params, region=None, token=None, when=None):
    region = region or rng.choice(REGIONS)
    token = rng.random() < 0.5 if token is None else token
    akid, secret, tok = creds(token)
    VECTORS.append({
        "service": service, "signing_name": SIGNING_NAMES[service],
        "operation": operation, "params": params, "region": region,
        "access_key_id": akid, "secret_access_key": secret,
        "session_token": tok, "signing_time": when or rng.choice(TIMES)})


# Redshift (Query): the parameters iamdb sends, alone and together.
for r in REGIONS:
    add("redshift", "GetClusterCredentials",
        {"DbUser": "alice", "ClusterIdentifier": "examplecluster"}, r)
add("redshift", "GetClusterCredentials",
    {"DbUser": "alice", "DbName": "dev", "ClusterIdentifier":
     "examplecluster", "DurationSeconds": 3600, "AutoCreate": True,
     "DbGroups": ["readers", "etl"]}, "eu-west-1", True,
    "2025-01-01T00:00:00Z")
add("redshift", "GetClusterCredentials",
    {"DbUser": "bob.smith@example", "DbName": "analytics",
     "ClusterIdentifier": "prod-cluster-1", "DurationSeconds": 900,
     "AutoCreate": False}, "us-east-1", False)
for r in REGIONS[:3]:
    add("redshift", "GetClusterCredentialsWithIAM",
        {"ClusterIdentifier": "examplecluster"}, r)
add("redshift", "GetClusterCredentialsWithIAM",
    {"DbName": "dev", "ClusterIdentifier": "examplecluster",
     "DurationSeconds": 1800}, "eu-west-1", True)

# Redshift Serverless (JSON 1.1).
for r in REGIONS:
    add("redshift-serverless", "GetCredentials",
        {"workgroupName": "default-wg"}, r)
add("redshift-serverless", "GetCredentials",
    {"workgroupName": "default-wg", "dbName": "dev", "durationSeconds": 3600},
    "eu-west-1", True, "2025-01-01T00:00:00Z")

# RDS (Query): finding an instance or cluster by host needs the full list,
# paged; or one identifier; or a filter.
add("rds", "DescribeDBInstances", {}, "eu-west-1", False)
add("rds", "DescribeDBInstances", {"DBInstanceIdentifier": "orders"})
add("rds", "DescribeDBInstances", {"MaxRecords": 100,
                                   "Marker": "marker/with+chars="})
add("rds", "DescribeDBInstances", {"Filters": [
    {"Name": "db-cluster-id", "Values": ["shop", "other"]}]})
add("rds", "DescribeDBClusters", {}, "cn-north-1")
add("rds", "DescribeDBClusters", {"DBClusterIdentifier": "shop"})

# IAM (Query, global: botocore signs for the partition's IAM region).
for r in REGIONS:
    add("iam", "SimulatePrincipalPolicy", {
        "PolicySourceArn": "arn:aws:iam::123456789012:role/app",
        "ActionNames": ["rds-db:connect"],
        "ResourceArns": ["arn:aws:rds-db:%s:123456789012:dbuser:"
                         "db-ABCDEFGHIJKLMNOPQRSTUVWXYZ/alice" % r]}, r)
add("iam", "SimulatePrincipalPolicy", {
    "PolicySourceArn": "arn:aws:iam::123456789012:user/path/alice",
    "ActionNames": ["dsql:DbConnect", "dsql:DbConnectAdmin"],
    "ResourceArns": ["arn:aws:dsql:us-east-1:123456789012:cluster/"
                     "abcdefghijklmnopqrstuvwxyz"]}, "us-east-1", True)

# STS GetCallerIdentity (who am I, and the server's Date).
for r in REGIONS:
    add("sts", "GetCallerIdentity", {}, r)

# DSQL control plane (REST-JSON).
for r in ("us-east-1", "eu-west-1", "ap-northeast-1"):
    add("dsql", "GetCluster", {"identifier": "abcdefghijklmnopqrstuvwxyz"}, r)


def render():
    lines = []
    for v in VECTORS:
        line = json.dumps(finish(v), ensure_ascii=False,
                          separators=(", ", ": "))
        assert "\\" not in line.replace("\\\\", "").replace('\\"', ""), line
        lines.append(line)
    return "".join(line + "\n" for line in lines).encode("utf-8")


def main():
    data = render()
    if "--check" in sys.argv[1:]:
        with open(OUT, "rb") as f:
            if f.read() != data:
                sys.exit("%s is out of date (botocore %s)" % (
                    OUT, botocore.__version__))
        print("%s: up to date" % OUT)
        return
    with open(OUT, "wb") as f:
        f.write(data)
    print("wrote %d requests to %s (botocore %s)" % (
        data.count(b"\n"), OUT, botocore.__version__))


if __name__ == "__main__":
    main()
