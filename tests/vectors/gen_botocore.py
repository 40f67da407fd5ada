#!/usr/bin/env python3
"""Generate tests/vectors/tokens.jsonl from botocore.

This script is a DATA GENERATOR only: it needs botocore (tested with
botocore 1.43.x) and is never run at test time.  The output is fully
deterministic: a seeded RNG picks the inputs and botocore's signing clock
is frozen to each vector's signing_time.

    python3 tests/vectors/gen_botocore.py            # rewrites tokens.jsonl
    python3 tests/vectors/gen_botocore.py --check    # verify file is current

Each output line is one JSON object with keys, in this order:
  engine, host, port, user, region, access_key_id, secret_access_key,
  session_token, signing_time, expires, token
"""
import os
import sys

# Keep botocore away from any real configuration, credentials or network
# before it is imported.
for _k in list(os.environ):
    if _k.startswith("AWS_"):
        del os.environ[_k]
os.environ["AWS_CONFIG_FILE"] = "/dev/null"
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import base64  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402

import botocore  # noqa: E402
import botocore.auth  # noqa: E402
import botocore.session  # noqa: E402
from botocore.awsrequest import prepare_request_dict  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "tokens.jsonl")

# ---------------------------------------------------------------------------
# Frozen clock.  botocore.auth does `from botocore.compat import
# get_current_datetime` and calls get_current_datetime() inside
# SigV4Auth.add_auth / SigV4QueryAuth, so the name in botocore.auth is
# what has to be patched.
# ---------------------------------------------------------------------------
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
_CLIENTS = {}


def client_for(service, region, akid, secret, token):
    key = (service, region, akid, secret, token)
    c = _CLIENTS.get(key)
    if c is None:
        c = _SESSION.create_client(
            service,
            region_name=region,
            aws_access_key_id=akid,
            aws_secret_access_key=secret,
            aws_session_token=token,
        )
        _CLIENTS[key] = c
    return c


def rds_token_with_expiry(client, host, port, user, region, expires):
    """Exact copy of botocore.signers.generate_db_auth_token, except that
    expires_in is a parameter instead of the hard-coded 900."""
    params = {"Action": "connect", "DBUser": user}
    request_dict = {
        "url_path": "/",
        "query_string": "",
        "headers": {},
        "body": params,
        "method": "GET",
    }
    scheme = "https://"
    endpoint_url = f"{scheme}{host}:{port}"
    prepare_request_dict(request_dict, endpoint_url)
    presigned_url = client._request_signer.generate_presigned_url(
        operation_name="connect",
        request_dict=request_dict,
        region_name=region,
        expires_in=expires,
        signing_name="rds-db",
    )
    return presigned_url[len(scheme):]


BAD_HOST_CHARS = set("/?#@ \t[]%\\:")


def make_token(v):
    host = v["host"]
    assert host and not (set(host) & BAD_HOST_CHARS), host
    t = datetime.datetime.strptime(v["signing_time"], "%Y-%m-%dT%H:%M:%SZ")
    _FROZEN[0] = t
    try:
        if v["engine"] in ("postgres", "mysql"):
            c = client_for("rds", v["region"], v["access_key_id"],
                           v["secret_access_key"], v["session_token"])
            tok = rds_token_with_expiry(c, host, v["port"], v["user"],
                                        v["region"], v["expires"])
            if v["expires"] == 900:
                ref = c.generate_db_auth_token(host, v["port"], v["user"],
                                               Region=v["region"])
                assert ref == tok, (ref, tok)
            assert tok.startswith(f"{host}:{v['port']}/?Action=connect&DBUser="), tok
        else:
            assert v["engine"] == "dsql" and v["port"] == 0
            c = client_for("dsql", v["region"], v["access_key_id"],
                           v["secret_access_key"], v["session_token"])
            if v["user"] == "admin":
                tok = c.generate_db_connect_admin_auth_token(
                    host, Region=v["region"], ExpiresIn=v["expires"])
                assert tok.startswith(f"{host}/?Action=DbConnectAdmin&"), tok
            else:
                tok = c.generate_db_connect_auth_token(
                    host, Region=v["region"], ExpiresIn=v["expires"])
                assert tok.startswith(f"{host}/?Action=DbConnect&"), tok
    finally:
        _FROZEN[0] = None
    # The frozen clock really was used.
    assert "&X-Amz-Date=" + t.strftime("%Y%m%dT%H%M%SZ") + "&" in tok, tok
    assert f"&X-Amz-Expires={v['expires']}&" in tok, tok
    assert (v["session_token"] is None) == ("X-Amz-Security-Token=" not in tok)
    return tok


# ---------------------------------------------------------------------------
# Input material
# ---------------------------------------------------------------------------
rng = random.Random(20240229)

LOWER = "abcdefghijklmnopqrstuvwxyz"
DIGITS = "0123456789"
UPPER = LOWER.upper()
B64 = UPPER + LOWER + DIGITS + "+/"

REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
    "eu-south-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1",
    "ap-northeast-2", "ap-south-1", "sa-east-1", "me-south-1",
    "af-south-1", "il-central-1",
]
CN_REGIONS = ["cn-north-1", "cn-northwest-1"]
GOV_REGIONS = ["us-gov-west-1", "us-gov-east-1"]
DSQL_REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1",
                "eu-west-2", "eu-west-3", "ap-northeast-1", "ap-northeast-2",
                "ap-northeast-3"]

SIGNING_TIMES = [
    "2016-11-07T17:39:33Z",
    "1999-12-31T23:59:59Z",
    "2000-01-01T00:00:00Z",
    "2019-06-30T23:59:59Z",
    "2019-07-01T00:00:00Z",
    "2020-02-29T00:00:00Z",
    "2023-12-31T23:59:59Z",
    "2024-01-01T00:00:00Z",
    "2024-01-31T23:59:59Z",
    "2024-02-28T23:59:59Z",
    "2024-02-29T00:00:00Z",
    "2024-02-29T12:34:56Z",
    "2024-02-29T23:59:59Z",
    "2024-03-01T00:00:00Z",
    "2024-12-31T23:59:59Z",
    "2025-01-01T00:00:01Z",
    "2025-04-30T23:59:59Z",
    "2025-09-09T09:09:09Z",
    "2025-11-30T23:59:59Z",
    "2025-12-01T00:00:00Z",
    "2026-01-15T08:05:03Z",
    "2038-01-19T03:14:08Z",
    "2099-12-31T23:59:59Z",
]


def rand_str(alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


def rand_akid(temporary):
    return ("ASIA" if temporary else "AKIA") + rand_str(UPPER + "234567", 16)


def rand_secret():
    # realistic 40-char secret; make sure most contain '/' or '+'
    s = rand_str(B64, 40)
    if rng.random() < 0.5 and "/" not in s:
        i = rng.randrange(40)
        s = s[:i] + "/" + s[i + 1:]
    if rng.random() < 0.5 and "+" not in s:
        i = rng.randrange(40)
        s = s[:i] + "+" + s[i + 1:]
    return s


def rand_long_session_token():
    # STS session tokens look like base64 of a binary blob, 800..1000 chars.
    n = rng.randrange(600, 751)
    raw = bytes(rng.randrange(256) for _ in range(n))
    return "IQoJb3JpZ2luX2Vj" + base64.b64encode(raw).decode()


SHORT_TOKENS = [
    "token", "a/b+c=", "////", "++++", "====", "x=", "AQoD/+==", "A+B/C=D",
    "FwoGZXIvYXdzEBYaDHhtZXN0aW5nL3Rva2VuIgd+/=",
]


def rand_session_token():
    r = rng.random()
    if r < 0.6:
        return rand_long_session_token()
    if r < 0.8:
        return rng.choice(SHORT_TOKENS)
    return rand_str(B64, rng.randrange(20, 200)) + "=" * rng.randrange(3)


def rand_creds(token_mode=None):
    """token_mode: None=random, True=with token, False=without."""
    with_token = rng.random() < 0.5 if token_mode is None else token_mode
    tok = rand_session_token() if with_token else None
    return rand_akid(with_token), rand_secret(), tok


def rand_id(n=12):
    return rand_str(LOWER + DIGITS, n)


def rand_name():
    return rng.choice(["mydb", "prod", "orders-db", "analytics", "db1",
                       "app-primary", "reporting", "x", "test-instance"])


def rds_host(region, kind=None):
    kind = kind or rng.choice(["instance", "cluster", "cluster-ro", "proxy",
                               "cluster-custom"])
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    name = rand_name()
    cid = rand_id()
    if kind == "instance":
        return f"{name}.{cid}.{region}.rds.{suffix}"
    if kind == "proxy":
        return f"{name}.proxy-{cid}.{region}.rds.{suffix}"
    return f"{name}.{kind}-{cid}.{region}.rds.{suffix}"


def dsql_host(region):
    return f"{rand_str(LOWER + DIGITS, 26)}.dsql.{region}.on.aws"


def rand_port(engine):
    return rng.choice({"postgres": [5432, 5432, 5432, 6432, 443],
                       "mysql": [3306, 3306, 3306, 3307, 443]}[engine])


def rand_user():
    return rng.choice(["postgres", "admin", "app_user", "iam_user",
                       "readonly", "db_user", "someusername"])


VECTORS = []


def add(engine, host, port, user, region, creds, signing_time, expires):
    akid, secret, tok = creds
    VECTORS.append({
        "engine": engine,
        "host": host,
        "port": port if engine != "dsql" else 0,
        "user": user,
        "region": region,
        "access_key_id": akid,
        "secret_access_key": secret,
        "session_token": tok,
        "signing_time": signing_time,
        "expires": expires,
    })


def rand_rds(engine=None, **kw):
    engine = engine or rng.choice(["postgres", "mysql"])
    region = kw.get("region") or rng.choice(REGIONS)
    add(engine,
        kw.get("host") or rds_host(region),
        kw.get("port") or rand_port(engine),
        kw.get("user") if "user" in kw else rand_user(),
        region,
        kw.get("creds") or rand_creds(kw.get("token_mode")),
        kw.get("signing_time") or rng.choice(SIGNING_TIMES),
        kw.get("expires") or 900)


def rand_dsql(**kw):
    region = kw.get("region") or rng.choice(DSQL_REGIONS)
    add("dsql",
        kw.get("host") or dsql_host(region),
        0,
        kw.get("user") or rng.choice(["admin", "admin", "app_user", "reader"]),
        region,
        kw.get("creds") or rand_creds(kw.get("token_mode")),
        kw.get("signing_time") or rng.choice(SIGNING_TIMES),
        kw.get("expires") or rng.choice([900, 900, 3600, 1, 604800]))


# ---------------------------------------------------------------------------
# 1. botocore's published vector (tests/unit/test_signers.py)
# ---------------------------------------------------------------------------
add("mysql", "prod-instance.us-east-1.rds.amazonaws.com", 3306,
    "someusername", "us-east-1", ("akid", "skid", None),
    "2016-11-07T17:39:33Z", 900)
# Same inputs as postgres / with a session token / on 5432.
add("postgres", "prod-instance.us-east-1.rds.amazonaws.com", 3306,
    "someusername", "us-east-1", ("akid", "skid", None),
    "2016-11-07T17:39:33Z", 900)
add("mysql", "prod-instance.us-east-1.rds.amazonaws.com", 3306,
    "someusername", "us-east-1", ("akid", "skid", "token"),
    "2016-11-07T17:39:33Z", 900)
add("postgres", "prod-instance.us-east-1.rds.amazonaws.com", 5432,
    "someusername", "us-east-1", ("akid", "skid", None),
    "2016-11-07T17:39:33Z", 900)

# ---------------------------------------------------------------------------
# 2. user names
# ---------------------------------------------------------------------------
SPECIAL_USERS = [
    "user@example.com", "a+b", "path/user", "x=y", "100%", "50%25", "a:b",
    "müller", "ü", "日本語ユーザー", "日", "john smith", "a b c",
    " leading", "trailing ", "  both  ", " ",
    "u" * 200, ("ab@+/=%:ü日 " * 20)[:200],
    "admin", "0", "12345", "007", "~", ".", "-", "_", "~.-_", "a~b.c-d_e",
    "user@domain+tag/x=y%z:w", "ü@日 +/=%:", "Mixed_Case_User",
    "UPPER", "a&b", "a?b", "a#b", "a;b", "a,b", "a*b", "a!b", "a'b",
    "a\"b", "a\\b", "(paren)", "[br]", "{cu}", "<lt>", "a|b", "a^b",
    "a`b", "$var", "€uro", "emoji😀", "Ωmega", "naïve café",
    "rds_iam", "iam-user.with.dots", "a" * 63, "aws:rds/user",
    "user%20name", "%", "=", "+", "/", "@", ":", "%%", "==", "++",
]
for i, u in enumerate(SPECIAL_USERS):
    rand_rds(engine="postgres" if i % 2 == 0 else "mysql", user=u)
# A second pass with the other engine / always with a session token.
for i, u in enumerate(SPECIAL_USERS[:40]):
    rand_rds(engine="mysql" if i % 2 == 0 else "postgres", user=u,
             token_mode=True)

# ---------------------------------------------------------------------------
# 3. session tokens
# ---------------------------------------------------------------------------
for t in SHORT_TOKENS:
    rand_rds(creds=(rand_akid(True), rand_secret(), t))
for _ in range(12):
    rand_rds(creds=(rand_akid(True), rand_secret(), rand_long_session_token()))
for _ in range(6):
    rand_rds(token_mode=False)

# ---------------------------------------------------------------------------
# 4. ports
# ---------------------------------------------------------------------------
PORTS = [1, 80, 443, 1433, 3306, 5432, 8443, 65535]
for p in PORTS:
    for engine in ("postgres", "mysql"):
        rand_rds(engine=engine, port=p)
for _ in range(8):  # extra 443 coverage (dropped from the signed Host)
    rand_rds(port=443)
for _ in range(8):
    rand_rds(port=rng.randrange(1, 65536))

# ---------------------------------------------------------------------------
# 5. hosts
# ---------------------------------------------------------------------------
for region in REGIONS:
    rand_rds(region=region)
for region in CN_REGIONS + GOV_REGIONS:
    for kind in ("instance", "cluster", "proxy"):
        rand_rds(region=region, host=rds_host(region, kind))
for kind in ("instance", "cluster", "cluster-ro", "proxy", "cluster-custom"):
    rand_rds(host=rds_host("us-east-1", kind), region="us-east-1")
OTHER_HOSTS = ["10.0.0.5", "127.0.0.1", "192.168.1.100", "172.31.255.254",
               "db.internal", "localhost", "postgres", "my-db.corp.example.com",
               "a", "db-1.local", "xn--mnchen-3ya.example"]
for h in OTHER_HOSTS:
    rand_rds(host=h)
    rand_rds(host=h, port=443)
MIXED_HOSTS = [
    "PROD-INSTANCE.US-EAST-1.RDS.AMAZONAWS.COM",
    "Prod-Instance.Us-East-1.Rds.Amazonaws.Com",
    "MyDB.cluster-ABCDEFGHIJKL.eu-west-1.rds.amazonaws.com",
    "mydb.CLUSTER-RO-abc123.ap-southeast-2.RDS.amazonaws.com",
    "LOCALHOST", "Db.Internal", "DB1.Proxy-xyz.us-gov-west-1.rds.amazonaws.com",
    "mydb.abc.cn-north-1.RDS.AMAZONAWS.COM.CN",
]
for h in MIXED_HOSTS:
    region = next((r for r in REGIONS + CN_REGIONS + GOV_REGIONS
                   if r in h.lower()), "us-east-1")
    rand_rds(host=h, region=region)
    rand_rds(host=h, region=region, port=443)
# The published vector with an upper-case host: the signed Host header is
# lowercased, so the signature equals line 1's while the token keeps the case.
add("mysql", "PROD-INSTANCE.us-east-1.rds.amazonaws.com", 3306,
    "someusername", "us-east-1", ("akid", "skid", None),
    "2016-11-07T17:39:33Z", 900)

# ---------------------------------------------------------------------------
# 6. signing times
# ---------------------------------------------------------------------------
for st in SIGNING_TIMES:
    rand_rds(signing_time=st)
    rand_dsql(signing_time=st)

# ---------------------------------------------------------------------------
# 7. RDS expiry other than 900 (generate_db_auth_token logic, expires_in set)
# ---------------------------------------------------------------------------
for e in (1, 60, 300, 899, 901, 3600, 43200, 604800):
    rand_rds(expires=e)

# ---------------------------------------------------------------------------
# 8. DSQL
# ---------------------------------------------------------------------------
add("dsql", "abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws", 0, "admin",
    "us-east-1", ("akid", "skid", None), "2016-11-07T17:39:33Z", 900)
add("dsql", "abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws", 0, "app",
    "us-east-1", ("akid", "skid", None), "2016-11-07T17:39:33Z", 900)
add("dsql", "abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws", 0, "admin",
    "us-east-1", ("akid", "skid", "token"), "2016-11-07T17:39:33Z", 900)
add("dsql", "abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws", 0, "app",
    "us-east-1", ("akid", "skid", "token"), "2016-11-07T17:39:33Z", 900)
for e in (1, 900, 3600, 604800, 60, 43200, 86400, 604799):
    for u in ("admin", "app_user"):
        rand_dsql(expires=e, user=u)
        rand_dsql(expires=e, user=u,
                  host="abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws",
                  region="us-east-1")
for region in DSQL_REGIONS:
    rand_dsql(region=region, user="admin")
    rand_dsql(region=region, user="reader")
for u in ("admin", "user@example.com", "ü日", "a b", "Admin", "ADMIN",
          "admin ", "postgres"):
    rand_dsql(user=u)
for h in ("ABCDEFGHIJKLMNOPQRSTUVWXYZ.DSQL.US-EAST-1.ON.AWS",
          "AbCdEfGhIjKlMnOpQrStUvWxYz.dsql.us-east-1.on.aws",
          "localhost", "10.0.0.5"):
    rand_dsql(host=h, region="us-east-1", user="admin")
    rand_dsql(host=h, region="us-east-1", user="app")
for _ in range(6):
    rand_dsql(creds=(rand_akid(True), rand_secret(), rand_long_session_token()))
    rand_dsql(token_mode=False)

# ---------------------------------------------------------------------------
# 9. random fill
# ---------------------------------------------------------------------------
for _ in range(40):
    rand_rds()
for _ in range(20):
    rand_dsql()


def independent_token(v):
    """Re-derive the token with hashlib/hmac only, spelling out the rules a
    C implementation has to follow; asserted equal to botocore's output."""
    import hashlib
    import hmac
    from urllib.parse import quote

    def enc(s):  # RFC 3986: only A-Z a-z 0-9 - _ . ~ unescaped, UTF-8
        return quote(s, safe="-_.~")

    t = datetime.datetime.strptime(v["signing_time"], "%Y-%m-%dT%H:%M:%SZ")
    amz_date = t.strftime("%Y%m%dT%H%M%SZ")
    date = amz_date[:8]
    if v["engine"] == "dsql":
        service = "dsql"
        op = [("Action", "DbConnectAdmin" if v["user"] == "admin"
               else "DbConnect")]
        authority = v["host"]
        signed_host = v["host"].lower()
    else:
        service = "rds-db"
        op = [("Action", "connect"), ("DBUser", v["user"])]
        authority = f"{v['host']}:{v['port']}"
        signed_host = v["host"].lower()
        if v["port"] != 443:  # https default port is left out of Host
            signed_host += f":{v['port']}"
    scope = f"{date}/{v['region']}/{service}/aws4_request"
    auth = [
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
        ("X-Amz-Credential", f"{v['access_key_id']}/{scope}"),
        ("X-Amz-Date", amz_date),
        ("X-Amz-Expires", str(v["expires"])),
        ("X-Amz-SignedHeaders", "host"),
    ]
    if v["session_token"] is not None:
        auth.append(("X-Amz-Security-Token", v["session_token"]))
    pairs = [(enc(k), enc(val)) for k, val in op + auth]
    canonical_qs = "&".join(f"{k}={val}" for k, val in sorted(pairs))
    canonical_request = "\n".join([
        "GET", "/", canonical_qs, f"host:{signed_host}", "", "host",
        hashlib.sha256(b"").hexdigest(),
    ])
    sts = "\n".join([
        "AWS4-HMAC-SHA256", amz_date, scope,
        hashlib.sha256(canonical_request.encode()).hexdigest(),
    ])
    k = ("AWS4" + v["secret_access_key"]).encode()
    for m in (date, v["region"], service, "aws4_request"):
        k = hmac.new(k, m.encode(), hashlib.sha256).digest()
    sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    # The token keeps the insertion order (operation params, then auth
    # params in the order above), not the sorted canonical order.
    qs = "&".join(f"{k}={val}" for k, val in pairs)
    return f"{authority}/?{qs}&X-Amz-Signature={sig}"


def render():
    lines = []
    for v in VECTORS:
        v = dict(v)
        v["token"] = make_token(v)
        assert v["token"] == independent_token(v), v
        line = json.dumps(v, ensure_ascii=False, separators=(", ", ": "))
        # Only \" and \\ escapes may appear (no control chars, no \uXXXX).
        stripped = line.replace("\\\\", "").replace('\\"', "")
        assert "\\" not in stripped, line
        lines.append(line)
    # botocore's published signature (tests/unit/test_signers.py).
    first = json.loads(lines[0])
    assert first["token"].endswith(
        "&X-Amz-Signature="
        "d1138cdbc0ca63eec012ec0fc6c2267e03642168f5884a7795320d4c18374c61"
    ), first["token"]
    assert first["token"] == (
        "prod-instance.us-east-1.rds.amazonaws.com:3306/?Action=connect"
        "&DBUser=someusername&X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=akid%2F20161107%2Fus-east-1%2Frds-db%2F"
        "aws4_request&X-Amz-Date=20161107T173933Z&X-Amz-Expires=900"
        "&X-Amz-SignedHeaders=host&X-Amz-Signature="
        "d1138cdbc0ca63eec012ec0fc6c2267e03642168f5884a7795320d4c18374c61"
    )
    return "".join(line + "\n" for line in lines)


def main():
    data = render().encode("utf-8")
    if "--check" in sys.argv[1:]:
        with open(OUT, "rb") as f:
            if f.read() != data:
                sys.exit(f"{OUT} is out of date (botocore {botocore.__version__})")
        print(f"{OUT}: up to date")
        return
    with open(OUT, "wb") as f:
        f.write(data)
    n = data.count(b"\n")
    print(f"wrote {n} vectors to {OUT} (botocore {botocore.__version__})")


if __name__ == "__main__":
    main()
