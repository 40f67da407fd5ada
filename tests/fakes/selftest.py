#!/usr/bin/env python3
"""Self-check of fake_aws.py: stdlib only, TAP output, exit 1 on failure.

Starts the fake (with this same interpreter) on 127.0.0.1 in temporary
state directories and talks to it with http.client.  SigV4 requests are
signed by an implementation written here, independently of the fake's
verifier; the fake's canonicalisation is also checked against the AWS SigV4
suite in ../vectors/sigv4-suite when that is present.
"""
import datetime
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(HERE, "fake_aws.py")
VECTORS = os.path.join(HERE, "..", "vectors", "sigv4-suite")
UTC = datetime.timezone.utc

n = 0
nfail = 0


def ok(cond, desc, detail=None):
    global n, nfail
    n += 1
    if cond:
        print("ok %d - %s" % (n, desc))
    else:
        nfail += 1
        print("not ok %d - %s" % (n, desc))
        if detail is not None:
            for line in str(detail).splitlines()[:15]:
                print("#   " + line)
    sys.stdout.flush()
    return cond


# ------------------------------------------------------------ fake control

class Fake(object):
    def __init__(self, lifetime=90, directory=None):
        self.dir = directory or tempfile.mkdtemp(prefix="fake-aws-test.")
        self.proc = subprocess.Popen(
            [sys.executable, FAKE, "--state", self.dir, "--port", "0",
             "--lifetime", str(lifetime)])
        self.port = None
        pf = os.path.join(self.dir, "port")
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                with open(pf) as f:
                    text = f.read()
                if text.endswith("\n"):
                    self.port = int(text)
                    break
            except (OSError, ValueError):
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        if self.port is None:
            raise RuntimeError("fake did not start")

    def config(self, cfg):
        p = os.path.join(self.dir, "config.json")
        with open(p + ".tmp", "w") as f:
            json.dump(cfg, f)
        os.replace(p + ".tmp", p)

    def conn(self, timeout=5):
        return http.client.HTTPConnection("127.0.0.1", self.port,
                                          timeout=timeout)

    def req(self, method, path, body=None, headers=None, timeout=5):
        c = self.conn(timeout)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            return (r.status, {k.lower(): v for k, v in r.getheaders()},
                    data)
        finally:
            c.close()

    def log(self):
        out = []
        try:
            with open(os.path.join(self.dir, "requests.log")) as f:
                for line in f:
                    out.append(json.loads(line))
        except OSError:
            pass
        return out

    def stop(self, sig=signal.SIGTERM, timeout=5):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


# ------------------------------------------- independent SigV4 (test side)

def enc(s):
    return urllib.parse.quote(s, safe="-_.~")


def hx(b):
    return hashlib.sha256(b).hexdigest()


def mac(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def signed_request(port, params, akid, secret, token=None, region="us-east-1",
                   when=None, query="", exclude=(), tamper=False,
                   content_sha=False, service="sts"):
    """Returns (path, body, headers) of a header-signed POST /."""
    body = urllib.parse.urlencode(params).encode()
    when = when or datetime.datetime.now(UTC)
    amz = when.strftime("%Y%m%dT%H%M%SZ")
    headers = {
        "Host": "127.0.0.1:%d" % port,
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        "X-Amz-Date": amz,
        "User-Agent": "selftest/1   (spaces  collapse)",
    }
    if token is not None:
        headers["X-Amz-Security-Token"] = token
    if content_sha:
        headers["X-Amz-Content-Sha256"] = hx(body)
    headers["Authorization"] = authorization(
        "POST", "/", query, headers, body, akid, secret, region, service,
        exclude, tamper)
    return "/" + ("?" + query if query else ""), body, headers


def authorization(method, path, query, headers, body, akid, secret, region,
                  service, exclude=(), tamper=False):
    """The SigV4 Authorization header for a request whose headers (with
    X-Amz-Date) are all signed except `exclude`; path is already encoded."""
    amz = headers["X-Amz-Date"]
    day = amz[:8]
    low = {k.lower(): v for k, v in headers.items() if k.lower() not in
           exclude}
    names = sorted(low)
    ch = "".join("%s:%s\n" % (k, " ".join(low[k].split())) for k in names)
    pairs = sorted((enc(k), enc(v)) for k, v in
                   urllib.parse.parse_qsl(query, keep_blank_values=True))
    cq = "&".join("%s=%s" % p for p in pairs)
    creq = "\n".join([method, path, cq, ch, ";".join(names), hx(body)])
    scope = "%s/%s/%s/aws4_request" % (day, region, service)
    sts = "\n".join(["AWS4-HMAC-SHA256", amz, scope, hx(creq.encode())])
    k = mac(("AWS4" + secret).encode(), day)
    for part in (region, service, "aws4_request"):
        k = mac(k, part)
    sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    if tamper:
        sig = sig[:-1] + ("0" if sig[-1] != "0" else "1")
    return ("AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, "
            "Signature=%s" % (akid, scope, ";".join(names), sig))


def xml_get(body, tag):
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    for el in root.iter():
        if el.tag == tag or el.tag.endswith("}" + tag):
            return el.text
    return None


def parse_iso(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=UTC)


# ------------------------------------------------------------------ setup

AKID = "AKIAFAKEEXAMPLE00001"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TKID = "ASIAFAKESTATIC000001"      # a configured temporary key
TSECRET = "tmpSecret/with+chars0000000000000000000"
TTOKEN = "FwoGZXIvYXdzEXAMPLE/token+with=chars=="
ACCT = "123456789012"
ROLE_A = "arn:aws:iam::%s:role/role-a" % ACCT
ROLE_B = "arn:aws:iam::%s:role/path/role-b" % ACCT
ROLE_EXT = "arn:aws:iam::%s:role/role-ext" % ACCT
ROLE_MFA = "arn:aws:iam::%s:role/role-mfa" % ACCT
ROLE_WEB = "arn:aws:iam::%s:role/role-web" % ACCT
ROLE_SHORT = "arn:aws:iam::%s:role/role-short" % ACCT
ROLE_PAST = "arn:aws:iam::%s:role/role-past" % ACCT
MFA_SERIAL = "arn:aws:iam::%s:mfa/alice" % ACCT
WEB_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl"
SSO_TOKEN = "aoaAAAAAGSSOaccessTOKENexample"
CT_AUTH = "Basic Y29udGFpbmVyLWF1dGgtdG9rZW4="

BASE = {
    "region": "us-east-1",
    "keys": {AKID: SECRET, TKID: TSECRET},
    "keys_tokens": {TKID: TTOKEN},
    "roles": {
        ROLE_A: {},
        ROLE_B: {"trust": [ROLE_A, "ASIAFAKESTATIC000001"]},
        ROLE_EXT: {"require_external_id": "xid-42"},
        ROLE_MFA: {"require_mfa": {"serial": MFA_SERIAL, "code": "123456"}},
        ROLE_WEB: {"web_identity_token": WEB_TOKEN},
        ROLE_SHORT: {"duration_max": 1800},
        ROLE_PAST: {"expiration_override": "2020-01-01T00:00:00Z"},
    },
    "sso": {"access_token": SSO_TOKEN, "account_id": "111122223333",
            "role_name": "SSORole"},
    "container": {},
    "imds": {},
}


def cfg(**over):
    c = json.loads(json.dumps(BASE))
    for k, v in over.items():
        c[k] = v
    return c


def ar(params_extra=None, role=ROLE_A, session="sess-1"):
    p = {"Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": role,
         "RoleSessionName": session}
    p.update(params_extra or {})
    return p


def sts(f, params, akid=AKID, secret=SECRET, **kw):
    path, body, headers = signed_request(f.port, params, akid, secret, **kw)
    return f.req("POST", path, body, headers)


def creds_of(body):
    return {t: xml_get(body, t) for t in ("AccessKeyId", "SecretAccessKey",
                                          "SessionToken", "Expiration")}


def expect_err(res, status, code, desc):
    st, _, body = res
    got = xml_get(body, "Code") if body.startswith(b"<") else None
    ok(st == status and got == code, "%s -> %d %s" % (desc, status, code),
       "got %s %s\n%s" % (st, got, body[:600].decode("utf-8", "replace")))


# ------------------------------------------------------------------ tests

def test_vectors():
    sys.path.insert(0, HERE)
    import fake_aws
    if not os.path.isdir(VECTORS):
        ok(True, "# SKIP no SigV4 suite at %s" % VECTORS)
        return
    lookup = {"AKIDEXAMPLE": {"secret":
                              "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                              "token": None, "expiration": None}}.get
    nhead = 0
    for case in sorted(os.listdir(VECTORS)):
        d = os.path.join(VECTORS, case)
        sr = os.path.join(d, "header-signed-request.txt")
        if not os.path.exists(sr):
            continue
        raw = open(sr, "rb").read().decode()
        head, _, body = raw.partition("\n\n")
        lines = head.split("\n")
        method, target, _ = lines[0].split(" ")
        pairs = [tuple(x.strip() if i else x for i, x in
                       enumerate(ln.split(":", 1))) for ln in lines[1:]]
        path, _, query = target.partition("?")
        try:
            fake_aws.sigv4_verify(method, path, query, pairs, body.encode(),
                                  lookup, "service", "us-east-1", True)
            good = True
        except fake_aws.SigError as e:
            good = e.message
        ok(good is True, "suite %s: fake verifier accepts it" % case, good)
        bad = [(k, v[:-1] + ("0" if v[-1] != "0" else "1"))
               if k == "Authorization" else (k, v) for k, v in pairs]
        try:
            fake_aws.sigv4_verify(method, path, query, bad, body.encode(),
                                  lookup, "service", "us-east-1", True)
            code = None
        except fake_aws.SigError as e:
            code = e.code
        ok(code == "SignatureDoesNotMatch",
           "suite %s: altered signature refused" % case, code)
        nhead += 1
    ok(nhead >= 3, "suite header-signed cases checked: %d" % nhead)
    # Canonical URI / query / headers against the query-mode cases.
    nq = 0
    for case in sorted(os.listdir(VECTORS)):
        d = os.path.join(VECTORS, case)
        cr = os.path.join(d, "query-canonical-request.txt")
        sr = os.path.join(d, "query-signed-request.txt")
        if not (os.path.exists(cr) and os.path.exists(sr)):
            continue
        ctx = json.load(open(os.path.join(d, "context.json")))
        if not ctx.get("normalize", True) or "multiline" in case:
            continue    # unnormalised paths; obsolete header line folding
        want = open(cr, "rb").read().decode()
        raw = open(sr, "rb").read().decode()
        head = raw.partition("\n\n")[0].split("\n")
        method, target, _ = head[0].split(" ")
        path, _, query = target.partition("?")
        query = "&".join(p for p in query.split("&")
                         if not p.startswith("X-Amz-Signature="))
        pairs = [(k, v.strip()) for k, v in
                 (ln.split(":", 1) for ln in head[1:])]
        signed = urllib.parse.unquote(re.search(
            r"X-Amz-SignedHeaders=([^&]*)", query).group(1)).split(";")
        if not set(signed) <= {k.lower() for k, _ in pairs}:
            continue    # token carried in the query, not as a header
        body = b""
        if ctx.get("sign_body") or method == "POST":
            body = raw.partition("\n\n")[2].encode()
        got = fake_aws.canonical_request(method, path, query, pairs, signed,
                                         payload_hash=want.split("\n")[-1])
        ok(got == want, "suite %s: canonical request" % case,
           "want:\n%s\ngot:\n%s" % (want, got))
        nq += 1
    ok(nq >= 10, "suite query-mode canonical requests checked: %d" % nq)


def test_sts(f):
    f.config(cfg())
    now = datetime.datetime.now(UTC)
    st, h, body = sts(f, ar())
    ok(st == 200, "AssumeRole signed with a long-term key -> 200",
       body[:800])
    ok(h.get("content-type", "").startswith("text/xml"), "STS answers XML")
    c = creds_of(body)
    ok(re.fullmatch(r"ASIA[A-Z0-9]{16}", c["AccessKeyId"] or ""),
       "issued AccessKeyId looks like ASIA + 16", c["AccessKeyId"])
    ok("/" in c["SecretAccessKey"] and "+" in c["SecretAccessKey"],
       "issued secret contains / and +", c["SecretAccessKey"])
    tok = c["SessionToken"] or ""
    ok(len(tok) >= 600 and "/" in tok and "+" in tok and tok.endswith("="),
       "issued session token is long base64 with / + =", len(tok))
    exp = parse_iso(c["Expiration"])
    ok(abs((exp - now).total_seconds() - 3600) < 60,
       "Expiration = now + 3600 by default", c["Expiration"])
    ok(xml_get(body, "Arn") == "arn:aws:sts::%s:assumed-role/role-a/sess-1"
       % ACCT, "AssumedRoleUser Arn", xml_get(body, "Arn"))
    ok(b'<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/'
       b'2011-06-15/">' in body and b"<RequestId>" in body,
       "AssumeRoleResponse shape")
    first = c

    st, _, body = sts(f, ar({"DurationSeconds": "900"}))
    exp = parse_iso(xml_get(body, "Expiration"))
    ok(st == 200 and abs((exp - now).total_seconds() - 900) < 60,
       "DurationSeconds=900 honoured")

    expect_err(sts(f, ar(), tamper=True), 403, "SignatureDoesNotMatch",
               "bad signature")
    st, _, body = sts(f, ar(), tamper=True)
    ok(xml_get(body, "Type") == "Sender" and b"<ErrorResponse" in body,
       "error XML has ErrorResponse/Error/Type")
    expect_err(sts(f, ar(), secret=SECRET[:-1] + "X"), 403,
               "SignatureDoesNotMatch", "wrong secret")
    expect_err(sts(f, ar(), akid="AKIAUNKNOWN000000000"), 403,
               "InvalidClientTokenId", "unknown access key")
    expect_err(sts(f, ar(), region="eu-west-1"), 403,
               "SignatureDoesNotMatch", "scope region differs from config")
    old = datetime.datetime.now(UTC) - datetime.timedelta(minutes=20)
    expect_err(sts(f, ar(), when=old), 403, "SignatureDoesNotMatch",
               "x-amz-date 20 min old")
    st, _, body = sts(f, ar(), when=old)
    ok(b"Signature expired" in body, "old date says Signature expired")
    fut = datetime.datetime.now(UTC) + datetime.timedelta(minutes=20)
    expect_err(sts(f, ar(), when=fut), 403, "SignatureDoesNotMatch",
               "x-amz-date 20 min ahead")
    expect_err(sts(f, ar(), exclude=("host",)), 403,
               "SignatureDoesNotMatch", "host not signed")
    st, _, body = sts(f, ar(), query="a-b=1&a=2&sp=x%20y&e=&plus=%2B")
    ok(st == 200, "signed query string canonicalised like AWS", body[:900])
    st, _, body = sts(f, ar(), content_sha=True)
    ok(st == 200, "x-amz-content-sha256 header accepted", body[:300])
    st, _, body = f.req("POST", "/", urllib.parse.urlencode(ar()).encode(),
                        {"Content-Type": "application/x-www-form-urlencoded"})
    expect_err((st, None, body), 403, "MissingAuthenticationToken",
               "unsigned AssumeRole")

    # GetCallerIdentity
    st, _, body = sts(f, {"Action": "GetCallerIdentity",
                          "Version": "2011-06-15"})
    ok(st == 200 and xml_get(body, "Account") == ACCT,
       "GetCallerIdentity", body[:300])

    # Validation and role rules.
    expect_err(sts(f, ar(role="arn:aws:iam::%s:role/nope" % ACCT)), 403,
               "AccessDenied", "unknown role")
    p = ar()
    del p["RoleSessionName"]
    expect_err(sts(f, p), 400, "ValidationError", "missing RoleSessionName")
    expect_err(sts(f, ar(session="a")), 400, "ValidationError",
               "1-char RoleSessionName")
    expect_err(sts(f, ar(session="has space")), 400, "ValidationError",
               "RoleSessionName with a space")
    expect_err(sts(f, ar(session="x" * 65)), 400, "ValidationError",
               "65-char RoleSessionName")
    st, _, _ = sts(f, ar(session="a+=,.@-_" + "x" * 56))
    ok(st == 200, "64-char RoleSessionName of all allowed characters")
    expect_err(sts(f, ar({"DurationSeconds": "899"})), 400,
               "ValidationError", "DurationSeconds 899")
    expect_err(sts(f, ar({"DurationSeconds": "1801"}, role=ROLE_SHORT)), 400,
               "ValidationError", "DurationSeconds over duration_max")
    st, _, _ = sts(f, ar({"DurationSeconds": "1800"}, role=ROLE_SHORT))
    ok(st == 200, "DurationSeconds = duration_max")
    expect_err(sts(f, dict(ar(), Version="2011-06-14")), 400,
               "InvalidAction", "wrong Version")
    expect_err(sts(f, ar(role=ROLE_EXT)), 403, "AccessDenied",
               "missing ExternalId")
    expect_err(sts(f, ar({"ExternalId": "xid-41"}, role=ROLE_EXT)), 403,
               "AccessDenied", "wrong ExternalId")
    st, _, _ = sts(f, ar({"ExternalId": "xid-42"}, role=ROLE_EXT))
    ok(st == 200, "right ExternalId -> 200")
    expect_err(sts(f, ar(role=ROLE_MFA)), 403, "AccessDenied", "no MFA")
    expect_err(sts(f, ar({"SerialNumber": MFA_SERIAL, "TokenCode": "654321"},
                         role=ROLE_MFA)), 403, "AccessDenied",
               "wrong MFA code")
    expect_err(sts(f, ar({"SerialNumber": MFA_SERIAL, "TokenCode": "12a"},
                         role=ROLE_MFA)), 400, "ValidationError",
               "malformed MFA code")
    st, _, _ = sts(f, ar({"SerialNumber": MFA_SERIAL, "TokenCode": "123456"},
                         role=ROLE_MFA))
    ok(st == 200, "right MFA serial and code -> 200")

    # Chaining with the issued temporary credentials.
    a = first
    st, _, body = sts(f, ar(role=ROLE_B, session="chained"),
                      akid=a["AccessKeyId"], secret=a["SecretAccessKey"],
                      token=a["SessionToken"])
    ok(st == 200, "role chaining: AssumeRole signed with issued creds",
       body[:900])
    b = creds_of(body)
    ok(b["AccessKeyId"] != a["AccessKeyId"], "chained creds are new")
    expect_err(sts(f, ar(role=ROLE_B), akid=a["AccessKeyId"],
                     secret=a["SecretAccessKey"]), 403,
               "InvalidClientTokenId", "issued creds without session token")
    expect_err(sts(f, ar(role=ROLE_B), akid=a["AccessKeyId"],
                     secret=a["SecretAccessKey"], token=b["SessionToken"]),
               403, "InvalidClientTokenId", "issued creds with another token")
    expect_err(sts(f, ar(role=ROLE_B), akid=a["AccessKeyId"],
                     secret=a["SecretAccessKey"], token=a["SessionToken"],
                     exclude=("x-amz-security-token",)), 403,
               "SignatureDoesNotMatch", "session token sent but not signed")
    expect_err(sts(f, ar(role=ROLE_B)), 403, "AccessDenied",
               "role-b does not trust the long-term key")
    st, _, _ = sts(f, ar(role=ROLE_A), akid=b["AccessKeyId"],
                   secret=b["SecretAccessKey"], token=b["SessionToken"])
    ok(st == 200, "second-level chain (role-b creds -> role-a)")
    st, _, _ = sts(f, ar(role=ROLE_B), akid=TKID, secret=TSECRET,
                   token=TTOKEN)
    ok(st == 200, "configured temporary key (keys_tokens) with its token")
    expect_err(sts(f, ar(), akid=TKID, secret=TSECRET), 403,
               "InvalidClientTokenId", "configured temporary key, no token")
    expect_err(sts(f, ar(), token="bogus"), 403, "InvalidClientTokenId",
               "long-term key with a session token")

    # Expired credentials (expiration_override in the past).
    st, _, body = sts(f, ar(role=ROLE_PAST))
    p = creds_of(body)
    ok(st == 200 and p["Expiration"] == "2020-01-01T00:00:00Z",
       "per-role expiration_override is returned", p["Expiration"])
    expect_err(sts(f, ar(), akid=p["AccessKeyId"],
                     secret=p["SecretAccessKey"], token=p["SessionToken"]),
               403, "ExpiredToken", "chaining from expired creds")
    f.config(cfg(expiration_override="2031-02-03T04:05:06Z"))
    st, _, body = sts(f, ar())
    ok(xml_get(body, "Expiration") == "2031-02-03T04:05:06Z",
       "global expiration_override")
    f.config(cfg(expiration_override="not-a-date"))
    st, _, body = sts(f, ar())
    ok(xml_get(body, "Expiration") == "not-a-date",
       "unparseable expiration_override passed through verbatim")
    f.config(cfg(skip_time_check=True))
    st, _, _ = sts(f, ar(), when=old)
    ok(st == 200, "skip_time_check accepts an old x-amz-date")
    f.config(cfg())
    return a


def test_web(f):
    f.config(cfg())

    def web(token, role=ROLE_WEB, extra=None):
        p = {"Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15",
             "RoleArn": role, "RoleSessionName": "web-sess",
             "WebIdentityToken": token}
        p.update(extra or {})
        return f.req("POST", "/", urllib.parse.urlencode(p).encode(),
                     {"Content-Type": "application/x-www-form-urlencoded"})
    st, _, body = web(WEB_TOKEN)
    ok(st == 200, "AssumeRoleWithWebIdentity (unsigned) -> 200", body[:500])
    ok(b"<AssumeRoleWithWebIdentityResponse" in body and
       b"<AssumeRoleWithWebIdentityResult>" in body and
       xml_get(body, "SubjectFromWebIdentityToken") and
       xml_get(body, "Provider") and xml_get(body, "Audience"),
       "web identity response shape")
    c = creds_of(body)
    ok(all(c.values()), "web identity credentials complete", c)
    expect_err(web(WEB_TOKEN + "x"), 400, "InvalidIdentityToken",
               "wrong web identity token")
    expect_err(web(WEB_TOKEN, role=ROLE_A), 403, "AccessDenied",
               "role without web_identity_token")
    expect_err(web(WEB_TOKEN, extra={"DurationSeconds": "50000"}), 400,
               "ValidationError", "web identity DurationSeconds 50000")
    st, _, body = sts(f, ar(), akid=c["AccessKeyId"],
                      secret=c["SecretAccessKey"], token=c["SessionToken"])
    ok(st == 200, "web identity creds chain into AssumeRole")


def test_sso(f):
    f.config(cfg())
    path = "/federation/credentials?role_name=SSORole&account_id=111122223333"
    now = time.time()
    st, h, body = f.req("GET", path, headers={
        "x-amz-sso_bearer_token": SSO_TOKEN})
    ok(st == 200, "SSO GetRoleCredentials -> 200", body[:300])
    j = json.loads(body)["roleCredentials"]
    ok(set(j) == {"accessKeyId", "secretAccessKey", "sessionToken",
                  "expiration"}, "SSO roleCredentials keys")
    ok(isinstance(j["expiration"], int) and
       abs(j["expiration"] / 1000 - now - 3600) < 60,
       "SSO expiration in epoch milliseconds", j["expiration"])
    st, h, body = f.req("GET", path, headers={
        "x-amz-sso_bearer_token": "wrong"})
    ok(st == 401 and json.loads(body) ==
       {"message": "Session token not found or invalid"} and
       h.get("x-amzn-errortype") == "UnauthorizedException",
       "SSO wrong token -> 401 UnauthorizedException", (st, h, body))
    st, _, _ = f.req("GET", path)
    ok(st == 401, "SSO missing token -> 401")
    st, h, _ = f.req("GET", path.replace("111122223333", "999999999999"),
                     headers={"x-amz-sso_bearer_token": SSO_TOKEN})
    ok(st == 403 and h.get("x-amzn-errortype") == "ForbiddenException",
       "SSO other account -> 403")
    st, _, body = sts(f, ar(), akid=j["accessKeyId"],
                      secret=j["secretAccessKey"], token=j["sessionToken"])
    ok(st == 200, "SSO creds chain into AssumeRole")


def test_container(f):
    f.config(cfg())
    st, _, body = f.req("GET", "/creds")
    j = json.loads(body) if st == 200 else {}
    ok(st == 200 and set(j) >= {"AccessKeyId", "SecretAccessKey", "Token",
                                "Expiration", "RoleArn"},
       "container /creds without auth -> ECS shape", body[:300])
    ok(parse_iso(j.get("Expiration", "x")) if st == 200 else False,
       "container Expiration is ISO-8601")
    f.config(cfg(container={"auth_token": CT_AUTH,
                            "path": "/v2/credentials/abc-123"}))
    st, _, _ = f.req("GET", "/creds/x")
    ok(st == 401, "container: missing Authorization -> 401")
    st, _, _ = f.req("GET", "/creds/x", headers={"Authorization": "nope"})
    ok(st == 401, "container: wrong Authorization -> 401")
    st, _, body = f.req("GET", "/creds/x", headers={"Authorization": CT_AUTH})
    ok(st == 200, "container: right Authorization -> 200")
    st, _, body = f.req("GET", "/v2/credentials/abc-123",
                        headers={"Authorization": CT_AUTH})
    ok(st == 200, "container: config path served")
    j = json.loads(body)
    st, _, _ = f.req("GET", "/v2/credentials/other",
                     headers={"Authorization": CT_AUTH})
    ok(st == 404, "container: other path -> 404")
    st, _, _ = sts(f, ar(), akid=j["AccessKeyId"],
                   secret=j["SecretAccessKey"], token=j["Token"])
    ok(st == 200, "container creds chain into AssumeRole")
    f.config(cfg(container={"credentials": {
        "access_key_id": "ASIAFIXEDFIXEDFIXED1",
        "secret_access_key": "fixed/secret+key", "session_token": "fixedtok",
        "expiration": "2030-01-01T00:00:00Z"}}))
    st, _, body = f.req("GET", "/creds")
    j = json.loads(body)
    ok(j["AccessKeyId"] == "ASIAFIXEDFIXEDFIXED1" and
       j["Token"] == "fixedtok" and
       j["Expiration"] == "2030-01-01T00:00:00Z",
       "container: fixed credentials from config")


def test_imds(f):
    f.config(cfg())
    st, h, tok = f.req("PUT", "/latest/api/token", headers={
        "X-aws-ec2-metadata-token-ttl-seconds": "21600"})
    tok = tok.decode()
    ok(st == 200 and tok and
       h.get("x-aws-ec2-metadata-token-ttl-seconds") == "21600",
       "IMDSv2 token PUT")
    for bad in ("0", "21601", "x"):
        st, _, _ = f.req("PUT", "/latest/api/token", headers={
            "X-aws-ec2-metadata-token-ttl-seconds": bad})
        ok(st == 400, "IMDS token TTL %r -> 400" % bad)
    st, _, _ = f.req("PUT", "/latest/api/token")
    ok(st == 400, "IMDS token PUT without TTL -> 400")
    T = {"X-aws-ec2-metadata-token": tok}
    base = "/latest/meta-data/iam/security-credentials/"
    st, _, body = f.req("GET", base, headers=T)
    ok(st == 200 and body == b"test-role", "IMDS role list", body)
    st, _, body = f.req("GET", base + "test-role", headers=T)
    j = json.loads(body) if st == 200 else {}
    ok(j.get("Code") == "Success" and j.get("Type") == "AWS-HMAC" and
       all(j.get(k) for k in ("LastUpdated", "AccessKeyId",
                              "SecretAccessKey", "Token", "Expiration")),
       "IMDS credentials JSON", body[:300])
    st, _, _ = f.req("GET", base + "other-role", headers=T)
    ok(st == 404, "IMDS unknown role -> 404")
    st, _, body = f.req("GET", "/latest/meta-data/placement/region",
                        headers=T)
    ok(st == 200 and body == b"us-west-2", "IMDS region default")
    st, _, _ = f.req("GET", base)
    ok(st == 401, "IMDSv1 (no token) refused by default")
    st, _, _ = f.req("GET", base, headers={"X-aws-ec2-metadata-token": "x"})
    ok(st == 401, "IMDS wrong token -> 401")
    st, _, _ = f.req("PUT", "/latest/api/token", headers={
        "X-aws-ec2-metadata-token-ttl-seconds": "1"})
    st, _, short = f.req("PUT", "/latest/api/token", headers={
        "X-aws-ec2-metadata-token-ttl-seconds": "1"})
    time.sleep(1.2)
    st, _, _ = f.req("GET", base, headers={
        "X-aws-ec2-metadata-token": short.decode()})
    ok(st == 401, "IMDS expired token -> 401")
    f.config(cfg(imds={"allow_v1": True, "role": "r2",
                       "region": "eu-central-1"}))
    st, _, body = f.req("GET", base)
    ok(st == 200 and body == b"r2", "IMDSv1 allowed with allow_v1; role set")
    st, _, body = f.req("GET", "/latest/meta-data/placement/region")
    ok(body == b"eu-central-1", "IMDS region from config")
    st, _, _ = f.req("GET", base, headers={"X-aws-ec2-metadata-token": "x"})
    ok(st == 401, "allow_v1 still refuses a wrong token")
    st, _, body = f.req("GET", base + "r2")
    j = json.loads(body)
    st, _, _ = sts(f, ar(), akid=j["AccessKeyId"],
                   secret=j["SecretAccessKey"], token=j["Token"])
    ok(st == 200, "IMDS creds chain into AssumeRole")
    for code in (403, 404, 405):
        f.config(cfg(imds={"allow_v1": True, "disable_token_put": code}))
        st, _, _ = f.req("PUT", "/latest/api/token", headers={
            "X-aws-ec2-metadata-token-ttl-seconds": "60"})
        st2, _, body = f.req("GET", base)
        ok(st == code and st2 == 200,
           "disable_token_put %d, then v1 fallback works" % code, (st, st2))
    f.config(cfg(imds={"role": None}))
    st, _, _ = f.req("GET", base, headers=T)
    ok(st == 404, "IMDS without a role -> 404")


def test_faults(f, static):
    def with_faults(*faults, **kw):
        f.config(cfg(faults=list(faults), **kw))

    with_faults({"service": "sts", "mode": "status", "status": 503,
                 "times": 2})
    r1 = sts(f, ar())
    with_faults({"service": "sts", "mode": "status", "status": 503,
                 "times": 2})      # rewritten: the count must survive
    r2 = sts(f, ar())
    r3 = sts(f, ar())
    ok(r1[0] == 503 and r2[0] == 503 and r3[0] == 200,
       "status 503 x2 then success, across config rewrites",
       (r1[0], r2[0], r3[0]))
    ok(xml_get(r1[2], "Code") == "ServiceUnavailable" and
       xml_get(r1[2], "Type") == "Receiver", "503 STS body is XML")
    ok(os.path.exists(os.path.join(f.dir, "faults.state")),
       "faults.state written")
    with_faults({"service": "sts", "action": "AssumeRoleWithWebIdentity",
                 "mode": "status", "status": 400, "code": "Throttling",
                 "times": 1})
    st, _, _ = sts(f, ar())
    ok(st == 200, "action filter: AssumeRole not hit")
    p = {"Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15",
         "RoleArn": ROLE_WEB, "RoleSessionName": "w",
         "WebIdentityToken": WEB_TOKEN}
    p["RoleSessionName"] = "ww"
    wb = urllib.parse.urlencode(p).encode()
    hd = {"Content-Type": "application/x-www-form-urlencoded"}
    expect_err(f.req("POST", "/", wb, hd), 400, "Throttling",
               "fault 400 Throttling on web identity")
    st, _, _ = f.req("POST", "/", wb, hd)
    ok(st == 200, "times=1: next web identity succeeds")
    with_faults({"service": "sso", "mode": "status", "status": 429,
                 "code": "TooManyRequestsException"})
    st, h, body = f.req("GET", "/federation/credentials?role_name=SSORole&"
                        "account_id=111122223333",
                        headers={"x-amz-sso_bearer_token": SSO_TOKEN})
    ok(st == 429 and h.get("x-amzn-errortype") == "TooManyRequestsException"
       and "message" in json.loads(body), "SSO 429 fault (no times: always)")
    with_faults({"service": "*", "mode": "status", "status": 500,
                 "times": 1})
    st, _, _ = f.req("PUT", "/latest/api/token", headers={
        "X-aws-ec2-metadata-token-ttl-seconds": "60"})
    st2, _, _ = f.req("PUT", "/latest/api/token", headers={
        "X-aws-ec2-metadata-token-ttl-seconds": "60"})
    ok(st == 500 and st2 == 200, "'*' fault hits IMDS once", (st, st2))

    # hang: must not block other clients.
    with_faults({"service": "container", "mode": "hang", "seconds": 3,
                 "times": 1})
    res = {}

    def slow():
        t0 = time.time()
        try:
            res["st"] = f.req("GET", "/creds", timeout=10)[0]
        except Exception as e:
            res["st"] = repr(e)
        res["t"] = time.time() - t0
    th = threading.Thread(target=slow)
    th.start()
    time.sleep(0.3)
    t0 = time.time()
    st1 = f.req("GET", "/_health")[0]
    st2 = f.req("GET", "/creds")[0]
    fast = time.time() - t0
    th.join(15)
    ok(st1 == 200 and st2 == 200 and fast < 2.0,
       "while one request hangs, others are served (%.2fs)" % fast)
    ok(res.get("st") == 200 and res.get("t", 0) >= 2.9,
       "hung request answered after the hang (%.2fs)" % res.get("t", 0),
       res)
    with_faults({"service": "container", "mode": "hang", "seconds": 1.5,
                 "times": 1})
    t0 = time.time()
    try:
        f.req("GET", "/creds", timeout=0.5)
        timed_out = False
    except OSError:
        timed_out = True
    ok(timed_out and time.time() - t0 < 1.2, "client timeout on a hang")
    time.sleep(1.5)     # let the hung handler finish and log

    with_faults({"service": "container", "mode": "malformed", "times": 1})
    st, _, body = f.req("GET", "/creds")
    try:
        json.loads(body)
        parsed = True
    except ValueError:
        parsed = False
    ok(st == 200 and body and not parsed, "malformed: 200 + garbage", body)
    with_faults({"service": "container", "mode": "malformed",
                 "body": '{"AccessKeyId": "ASIA"}', "times": 1})
    st, _, body = f.req("GET", "/creds")
    ok(body == b'{"AccessKeyId": "ASIA"}', "malformed with a given body")
    with_faults({"service": "sts", "mode": "truncated", "times": 1})
    path, body, headers = signed_request(f.port, ar(), AKID, SECRET)
    c = f.conn()
    try:
        c.request("POST", path, body, headers)
        r = c.getresponse()
        r.read()
        trunc = "read fully"
    except http.client.IncompleteRead as e:
        trunc = "incomplete" if e.partial else "incomplete-empty"
    except Exception as e:
        trunc = repr(e)
    finally:
        c.close()
    ok(trunc == "incomplete", "truncated: short body then close", trunc)
    with_faults({"service": "imds", "mode": "empty", "times": 1})
    st, h, body = f.req("PUT", "/latest/api/token", headers={
        "X-aws-ec2-metadata-token-ttl-seconds": "60"})
    ok(st == 200 and body == b"" and h.get("content-length") == "0",
       "empty: 200 with empty body")
    for mode in ("close", "reset"):
        with_faults({"service": "sso", "mode": mode, "times": 1})
        try:
            f.req("GET", "/federation/credentials?role_name=a&account_id=b")
            what = "answered"
        except (http.client.RemoteDisconnected, ConnectionError) as e:
            what = "closed"
        except Exception as e:
            what = repr(e)
        ok(what == "closed", "%s: connection dropped without response" %
           mode, what)
    st, _, _ = f.req("GET", "/federation/credentials?role_name=SSORole&"
                     "account_id=111122223333",
                     headers={"x-amz-sso_bearer_token": SSO_TOKEN})
    ok(st == 200, "after close/reset the server still serves")
    with_faults()

    # Keep-alive: two requests on one HTTP/1.1 connection.
    c = f.conn()
    c.request("GET", "/_health")
    a = c.getresponse().read()
    c.request("GET", "/_health")
    b = c.getresponse().read()
    c.close()
    ok(a == b == b"ok", "keep-alive: two requests on one connection")

    # Bad config.json -> 500, then fine again.
    with open(os.path.join(f.dir, "config.json"), "w") as fh:
        fh.write("{not json")
    st, _, body = f.req("GET", "/creds")
    ok(st == 500 and b"config.json" in body, "bad config.json -> 500")
    f.config(cfg())


# ------------------------ RDS, IAM, Redshift, Redshift Serverless, DSQL

JSON11 = "application/x-amz-json-1.1"
REGION = "eu-west-1"
RS_PASSWORD = "fixed/pass+word=="
DSQL_ID = "abcdefghijklmnopqrstuvwxyz"
DB_RES = "arn:aws:rds-db:eu-west-1:%s:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
    % ACCT
ROLE_APP = "arn:aws:iam::%s:role/app" % ACCT


def signed_call(f, method, path, body, headers, service, region=REGION,
                akid=AKID, secret=SECRET, token=None, when=None,
                tamper=False):
    """A header-signed request to the fake; returns (status, headers, body)."""
    h = dict(headers)
    h["Host"] = "127.0.0.1:%d" % f.port
    h["X-Amz-Date"] = (when or datetime.datetime.now(UTC)).strftime(
        "%Y%m%dT%H%M%SZ")
    if token is not None:
        h["X-Amz-Security-Token"] = token
    p, _, q = path.partition("?")
    h["Authorization"] = authorization(method, p, q, h, body, akid, secret,
                                       region, service, tamper=tamper)
    return f.req(method, path, body, h)


def query(f, service, params, **kw):
    version = {"rds": "2014-10-31", "iam": "2010-05-08",
               "redshift": "2012-12-01"}[service]
    p = {"Version": version}
    p.update(params)
    kw.setdefault("region", "us-east-1" if service == "iam" else REGION)
    return signed_call(f, "POST", "/", urllib.parse.urlencode(p).encode(),
                       {"Content-Type": "application/x-www-form-urlencoded; "
                                        "charset=utf-8"},
                       kw.pop("sign_as", service), **kw)


def serverless(f, obj, target="RedshiftServerless.GetCredentials",
               ctype=JSON11, **kw):
    return signed_call(f, "POST", "/", json.dumps(obj).encode(),
                       {"Content-Type": ctype, "X-Amz-Target": target},
                       kw.pop("sign_as", "redshift-serverless"), **kw)


def dsql(f, ident, **kw):
    return signed_call(f, "GET", "/cluster/" + ident, b"", {},
                       kw.pop("sign_as", "dsql"), **kw)


def xml_all(body, tag):
    """Elements named tag (any namespace) in body (bytes or an Element)."""
    try:
        root = body if isinstance(body, ET.Element) else ET.fromstring(body)
    except ET.ParseError:
        return []
    return [el for el in root.iter() if el.tag.endswith("}" + tag)]


def xml_child(el, tag):
    for c in el:
        if c.tag.endswith("}" + tag):
            return c.text
    return None


def json_err(res):
    st, h, body = res
    try:
        j = json.loads(body)
    except ValueError:
        return st, None, None
    return st, j.get("__type") or h.get("x-amzn-errortype"), j


def more_cfg(**over):
    c = cfg(
        rds={"region": REGION, "instances": [
            {"DBInstanceIdentifier": "orders", "Engine": "postgres",
             "IAMDatabaseAuthenticationEnabled": True,
             "DbiResourceId": "db-ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
            {"DBInstanceIdentifier": "legacy", "Engine": "mysql",
             "PubliclyAccessible": True,
             "Endpoint": {"Address": "legacy.example.test", "Port": 3307}},
            {"DBInstanceIdentifier": "member-1", "Engine": "aurora-mysql",
             "DBClusterIdentifier": "shop"}],
            "clusters": [{"DBClusterIdentifier": "shop",
                          "Engine": "aurora-mysql",
                          "IAMDatabaseAuthenticationEnabled": True,
                          "DBClusterMembers": [{
                              "DBInstanceIdentifier": "member-1",
                              "IsClusterWriter": True}]}]},
        iam={"principals": {ROLE_APP: {
            DB_RES + "/alice": "allowed",
            DB_RES + "/mallory": "explicitDeny",
            "arn:aws:rds-db:*:*:dbuser:*/bob": {"rds-db:connect": "allowed",
                                                "*": "explicitDeny"},
            "arn:aws:dsql:*": {"dsql:DbConnect": "allowed"}}}},
        redshift={"region": REGION, "clusters": ["examplecluster"],
                  "password": RS_PASSWORD, "iam_users": {AKID: "alice"}},
        **{"redshift-serverless": {"region": REGION,
                                   "workgroups": ["default-wg"],
                                   "iam_users": {AKID: "alice"}}},
        dsql={"region": REGION, "clusters": {DSQL_ID: {}}})
    c.update(over)
    return c


def expect_qerr(res, status, code, desc, ns=None):
    st, _, body = res
    ok(st == status and xml_get(body, "Code") == code and
       (ns is None or ('<ErrorResponse xmlns="%s">' % ns).encode() in body),
       "%s -> %d %s" % (desc, status, code),
       "got %s %s\n%s" % (st, xml_get(body, "Code"),
                          body[:600].decode("utf-8", "replace")))


def test_rds(f):
    f.config(more_cfg())
    st, h, body = query(f, "rds", {"Action": "DescribeDBInstances"})
    ok(st == 200 and h.get("content-type", "").startswith("text/xml") and
       b'<DescribeDBInstancesResponse xmlns="http://rds.amazonaws.com/doc/'
       b'2014-10-31/">' in body and b"<DescribeDBInstancesResult>" in body,
       "DescribeDBInstances answers the RDS XML shape", body[:600])
    insts = xml_all(body, "DBInstance")
    ok([xml_child(i, "DBInstanceIdentifier") for i in insts] ==
       ["orders", "legacy", "member-1"], "all configured instances, in order")
    o = insts[0]
    ep = [c for c in o if c.tag.endswith("}Endpoint")][0]
    ok(xml_child(o, "Engine") == "postgres" and
       xml_child(o, "IAMDatabaseAuthenticationEnabled") == "true" and
       xml_child(o, "PubliclyAccessible") == "false" and
       xml_child(o, "DbiResourceId") == "db-ABCDEFGHIJKLMNOPQRSTUVWXYZ" and
       xml_child(ep, "Port") == "5432" and
       xml_child(ep, "Address").endswith(".eu-west-1.rds.amazonaws.com") and
       xml_child(o, "DBInstanceArn") ==
       "arn:aws:rds:eu-west-1:%s:db:orders" % ACCT,
       "instance fields: IAM auth, endpoint, engine, public, resource id")
    leg = insts[1]
    ep = [c for c in leg if c.tag.endswith("}Endpoint")][0]
    ok(xml_child(leg, "IAMDatabaseAuthenticationEnabled") == "false" and
       xml_child(leg, "PubliclyAccessible") == "true" and
       xml_child(ep, "Address") == "legacy.example.test" and
       xml_child(ep, "Port") == "3307" and
       re.fullmatch(r"db-[A-Z0-9]{26}", xml_child(leg, "DbiResourceId")),
       "IAM auth off by default; configured endpoint; made-up resource id")
    st, _, body = query(f, "rds", {"Action": "DescribeDBInstances",
                                   "DBInstanceIdentifier": "ORDERS"})
    ok(st == 200 and len(xml_all(body, "DBInstance")) == 1,
       "DBInstanceIdentifier matches case-insensitively")
    st, _, body = query(f, "rds", {
        "Action": "DescribeDBInstances",
        "DBInstanceIdentifier": "arn:aws:rds:eu-west-1:%s:db:legacy" % ACCT})
    ok(st == 200 and xml_get(body, "DBInstanceIdentifier") == "legacy",
       "DBInstanceIdentifier takes an ARN")
    res = query(f, "rds", {"Action": "DescribeDBInstances",
                           "DBInstanceIdentifier": "nope"})
    expect_qerr(res, 404, "DBInstanceNotFound", "unknown instance",
                "http://rds.amazonaws.com/doc/2014-10-31/")
    ok(b"DBInstance nope not found." in res[2], "not-found message")
    st, _, body = query(f, "rds", {
        "Action": "DescribeDBInstances",
        "Filters.Filter.1.Name": "dbi-resource-id",
        "Filters.Filter.1.Values.Value.1": "db-ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
    ok(st == 200 and [xml_child(i, "DBInstanceIdentifier") for i in
                      xml_all(body, "DBInstance")] == ["orders"],
       "Filters: dbi-resource-id")
    st, _, body = query(f, "rds", {
        "Action": "DescribeDBInstances",
        "Filters.Filter.1.Name": "db-cluster-id",
        "Filters.Filter.1.Values.Value.1": "x",
        "Filters.Filter.1.Values.Value.2": "shop"})
    ok(st == 200 and [xml_child(i, "DBInstanceIdentifier") for i in
                      xml_all(body, "DBInstance")] == ["member-1"],
       "Filters: db-cluster-id with two values")
    expect_qerr(query(f, "rds", {"Action": "DescribeDBInstances",
                                 "Filters.Filter.1.Name": "colour",
                                 "Filters.Filter.1.Values.Value.1": "x"}),
                400, "InvalidParameterValue", "unknown filter")
    expect_qerr(query(f, "rds", {"Action": "DescribeDBInstances",
                                 "MaxRecords": "10"}),
                400, "InvalidParameterValue", "MaxRecords 10")
    f.config(more_cfg(rds=dict(more_cfg()["rds"], page_size=2)))
    st, _, body = query(f, "rds", {"Action": "DescribeDBInstances"})
    marker = xml_get(body, "Marker")
    ok(st == 200 and len(xml_all(body, "DBInstance")) == 2 and marker,
       "page_size 2: first page and a Marker", body[:300])
    st, _, body = query(f, "rds", {"Action": "DescribeDBInstances",
                                   "Marker": marker})
    ok(st == 200 and len(xml_all(body, "DBInstance")) == 1 and
       xml_get(body, "Marker") is None, "last page has no Marker")
    f.config(more_cfg())
    st, _, body = query(f, "rds", {"Action": "DescribeDBClusters"})
    cl = xml_all(body, "DBCluster")
    ok(st == 200 and len(cl) == 1 and
       xml_child(cl[0], "Endpoint").startswith("shop.cluster-") and
       xml_child(cl[0], "Port") == "3306" and
       xml_child(cl[0], "IAMDatabaseAuthenticationEnabled") == "true" and
       re.fullmatch(r"cluster-[A-Z0-9]{26}",
                    xml_child(cl[0], "DbClusterResourceId")) and
       [xml_child(m, "DBInstanceIdentifier") for m in
        xml_all(body, "DBClusterMember")] == ["member-1"],
       "DescribeDBClusters: endpoint, port, IAM auth, resource id, members",
       body[:900])
    expect_qerr(query(f, "rds", {"Action": "DescribeDBClusters",
                                 "DBClusterIdentifier": "nope"}),
                404, "DBClusterNotFoundFault", "unknown cluster")
    expect_qerr(query(f, "rds", {"Action": "DescribeDBInstances"},
                      sign_as="sts"),
                403, "SignatureDoesNotMatch", "RDS call scoped to sts")
    expect_qerr(query(f, "rds", {"Action": "DescribeDBInstances"},
                      region="us-east-1"),
                403, "SignatureDoesNotMatch", "RDS call scoped to us-east-1")
    expect_qerr(query(f, "rds", {"Action": "DescribeDBInstances"},
                      tamper=True),
                403, "SignatureDoesNotMatch", "RDS call, altered signature")
    expect_qerr(query(f, "rds", {"Action": "DescribeDBInstances",
                                 "Version": "2011-06-15"}),
                400, "InvalidAction", "RDS call with STS's Version")
    f.config(more_cfg(faults=[{"service": "rds", "status": 400,
                               "code": "Throttling", "times": 1,
                               "message": "Rate exceeded"}]))
    res = query(f, "rds", {"Action": "DescribeDBInstances"})
    expect_qerr(res, 400, "Throttling", "RDS throttling fault",
                "http://rds.amazonaws.com/doc/2014-10-31/")
    ok(xml_get(res[2], "Message") == "Rate exceeded", "fault message")
    st, _, _ = query(f, "rds", {"Action": "DescribeDBInstances"})
    ok(st == 200, "after the throttled request, success")
    f.config(more_cfg(faults=[{"service": "rds",
                               "action": "DescribeDBClusters",
                               "status": 503}]))
    st, _, _ = query(f, "rds", {"Action": "DescribeDBInstances"})
    res = query(f, "rds", {"Action": "DescribeDBClusters"})
    ok(st == 200, "action filter: DescribeDBInstances not faulted")
    expect_qerr(res, 503, "ServiceUnavailable", "DescribeDBClusters fault")
    ok(xml_get(res[2], "Type") == "Receiver", "5xx error Type Receiver")


def test_iam(f):
    f.config(more_cfg())

    def sim(actions, resources=(), arn=ROLE_APP, **kw):
        p = {"Action": "SimulatePrincipalPolicy", "PolicySourceArn": arn}
        for i, a in enumerate(actions, 1):
            p["ActionNames.member.%d" % i] = a
        for i, r in enumerate(resources, 1):
            p["ResourceArns.member.%d" % i] = r
        return query(f, "iam", p, **kw)

    def decisions(body):
        return [(xml_child(r, "EvalActionName"),
                 xml_child(r, "EvalResourceName"),
                 xml_child(r, "EvalDecision"))
                for r in xml_all(body, "member")
                if xml_child(r, "EvalDecision")]
    users = [DB_RES + "/" + u for u in ("alice", "mallory", "bob", "carol")]
    st, _, body = sim(["rds-db:connect"], users)
    ok(st == 200 and b'<SimulatePrincipalPolicyResponse xmlns="https://iam.'
       b'amazonaws.com/doc/2010-05-08/">' in body and
       xml_get(body, "IsTruncated") == "false",
       "SimulatePrincipalPolicy answers the IAM XML shape", body[:500])
    ok(decisions(body) == [
        ("rds-db:connect", users[0], "allowed"),
        ("rds-db:connect", users[1], "explicitDeny"),
        ("rds-db:connect", users[2], "allowed"),
        ("rds-db:connect", users[3], "implicitDeny")],
       "decisions: exact ARN, explicit deny, pattern, nothing -> implicit",
       decisions(body))
    evs = [r for r in xml_all(body, "member") if xml_child(r, "EvalDecision")]
    ok(len(xml_all(evs[0], "SourcePolicyId")) == 1 and
       not xml_all(evs[3], "SourcePolicyId"),
       "MatchedStatements for a match, none for implicitDeny")
    st, _, body = sim(["rds-db:connect", "rds:DescribeDBInstances"],
                      [users[2]])
    ok(decisions(body) == [
        ("rds-db:connect", users[2], "allowed"),
        ("rds:DescribeDBInstances", users[2], "explicitDeny")],
       "per-action decisions with a '*' default", decisions(body))
    cluster = "arn:aws:dsql:eu-west-1:%s:cluster/%s" % (ACCT, DSQL_ID)
    st, _, body = sim(["dsql:DbConnect", "dsql:DbConnectAdmin"], [cluster])
    ok([d for _, _, d in decisions(body)] == ["allowed", "implicitDeny"],
       "DSQL actions: DbConnect allowed, DbConnectAdmin not")
    st, _, body = sim(["rds-db:connect"])
    ok(decisions(body) == [("rds-db:connect", "*", "implicitDeny")],
       "no ResourceArns: one result for '*'", decisions(body))
    res = sim(["rds-db:connect"], arn="arn:aws:iam::%s:role/other" % ACCT)
    expect_qerr(res, 404, "NoSuchEntity", "unknown role",
                "https://iam.amazonaws.com/doc/2010-05-08/")
    ok(b"The role with name other cannot be found." in res[2],
       "NoSuchEntity names the role")
    expect_qerr(sim(["rds-db:connect"], arn="arn:aws:sts::%s:assumed-role/"
                    "app/session" % ACCT),
                400, "InvalidInput", "assumed-role (STS) ARN")
    expect_qerr(sim([]), 400, "ValidationError", "no ActionNames")
    expect_qerr(sim(["rds-db:connect"], region=REGION), 403,
                "SignatureDoesNotMatch", "IAM signed for eu-west-1")
    expect_qerr(sim(["rds-db:connect"], sign_as="rds"), 403,
                "SignatureDoesNotMatch", "IAM call scoped to rds")
    f.config(more_cfg(iam=dict(more_cfg()["iam"], region=None)))
    st, _, _ = sim(["rds-db:connect"], region=REGION)
    ok(st == 200, "iam.region null accepts any scope region")


def test_redshift(f, issued_creds):
    f.config(more_cfg())
    now = datetime.datetime.now(UTC)

    def gcc(extra=None, **kw):
        p = {"Action": "GetClusterCredentials", "DbUser": "alice",
             "DbName": "dev", "ClusterIdentifier": "examplecluster"}
        p.update(extra or {})
        return query(f, "redshift", {k: v for k, v in p.items()
                                     if v is not None}, **kw)
    st, h, body = gcc({"DbGroups.DbGroup.1": "readers",
                       "DbGroups.DbGroup.2": "etl"})
    ok(st == 200 and b'<GetClusterCredentialsResponse xmlns="http://redshift'
       b'.amazonaws.com/doc/2012-12-01/">' in body and
       b"<GetClusterCredentialsResult>" in body,
       "GetClusterCredentials answers the Redshift XML shape", body[:500])
    ok(xml_get(body, "DbUser") == "IAM:alice" and
       xml_get(body, "DbPassword") == RS_PASSWORD,
       "DbUser IAM:alice and the configured password")
    exp = xml_get(body, "Expiration") or ""
    ok(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", exp) and
       abs((parse_iso(exp[:19] + "Z") - now).total_seconds() - 900) < 60,
       "Expiration: now + 900, ISO 8601 with milliseconds", exp)
    st, _, body = gcc({"AutoCreate": "true", "DurationSeconds": "3600"})
    exp = xml_get(body, "Expiration") or "x"
    ok(xml_get(body, "DbUser") == "IAMA:alice" and
       abs((parse_iso(exp[:19] + "Z") - now).total_seconds() - 3600) < 60,
       "AutoCreate true -> IAMA:alice; DurationSeconds 3600")
    for bad in ("899", "3601", "x"):
        expect_qerr(gcc({"DurationSeconds": bad}), 400,
                    "InvalidParameterValue", "DurationSeconds %s" % bad)
    expect_qerr(gcc({"DbUser": None}), 400, "MissingParameter", "no DbUser")
    for bad in ("PUBLIC", "a:b", "a/b", "1abc", "x" * 65):
        expect_qerr(gcc({"DbUser": bad}), 400, "InvalidParameterValue",
                    "DbUser %r" % bad[:10])
    res = gcc({"ClusterIdentifier": "other"})
    expect_qerr(res, 404, "ClusterNotFound", "unknown cluster",
                "http://redshift.amazonaws.com/doc/2012-12-01/")
    ok(b"Cluster other not found." in res[2], "ClusterNotFound message")
    expect_qerr(gcc(sign_as="rds"), 403, "SignatureDoesNotMatch",
                "Redshift call scoped to rds")
    st, _, body = query(f, "redshift", {
        "Action": "GetClusterCredentialsWithIAM",
        "ClusterIdentifier": "examplecluster", "DbName": "dev"})
    ok(st == 200 and xml_get(body, "DbUser") == "IAM:alice" and
       xml_get(body, "NextRefreshTime") and
       b"<GetClusterCredentialsWithIAMResult>" in body,
       "GetClusterCredentialsWithIAM: IAM user -> IAM:alice", body[:500])
    st, _, body = query(f, "redshift", {
        "Action": "GetClusterCredentialsWithIAM",
        "ClusterIdentifier": "examplecluster"},
        akid=issued_creds["AccessKeyId"],
        secret=issued_creds["SecretAccessKey"],
        token=issued_creds["SessionToken"])
    ok(st == 200 and xml_get(body, "DbUser") == "IAMR:role-a",
       "GetClusterCredentialsWithIAM: role session -> IAMR:role-a",
       body[:500])
    f.config(more_cfg(faults=[{"service": "redshift", "status": 400,
                               "code": "Throttling", "times": 1}]))
    expect_qerr(gcc(), 400, "Throttling", "Redshift throttling fault",
                "http://redshift.amazonaws.com/doc/2012-12-01/")
    ok(gcc()[0] == 200, "then success")
    # A random password (no "password" configured) is recorded for the
    # test, never logged.
    f.config(more_cfg(redshift=dict(more_cfg()["redshift"], password=None)))
    st, _, body = gcc()
    pw = xml_get(body, "DbPassword") or ""
    ok(len(pw) >= 40 and "/" in pw and "+" in pw,
       "random DbPassword is long base64 with / and +", pw)
    rec = json.loads(f.req("GET", "/_db_credentials")[2])
    ok(rec and rec[-1]["db_password"] == pw and
       rec[-1]["db_user"] == "IAM:alice" and
       rec[-1]["cluster"] == "examplecluster" and
       rec[0]["db_groups"] == ["readers", "etl"],
       "/_db_credentials records user, password, cluster, groups", rec[-1])
    with open(os.path.join(f.dir, "db_credentials.json")) as fh:
        ok(json.load(fh) == rec, "db_credentials.json holds the same list")
    log = open(os.path.join(f.dir, "requests.log")).read()
    ok(pw not in log and RS_PASSWORD not in log and
       '"db_credentials":{"api":"GetClusterCredentials"' in log,
       "requests.log records the issue without the password")
    f.config(more_cfg())


def test_serverless(f):
    f.config(more_cfg())
    now = datetime.datetime.now(UTC)
    st, h, body = serverless(f, {"workgroupName": "default-wg",
                                 "dbName": "dev"})
    j = json.loads(body) if st == 200 else {}
    ok(st == 200 and h.get("content-type") == JSON11 and
       j.get("dbUser") == "IAM:alice" and len(j.get("dbPassword", "")) > 0
       and set(j) == {"dbUser", "dbPassword", "expiration",
                      "nextRefreshTime"},
       "GetCredentials answers JSON 1.1 dbUser/dbPassword/expiration",
       body[:400])
    ok(isinstance(j.get("expiration"), float) and
       abs(j["expiration"] - now.timestamp() - 900) < 60,
       "expiration is epoch seconds, now + 900", j.get("expiration"))
    st, _, body = serverless(f, {"workgroupName": "default-wg",
                                 "durationSeconds": 3600})
    ok(st == 200 and abs(json.loads(body)["expiration"] - now.timestamp() -
                         3600) < 60, "durationSeconds 3600")

    def expect_jerr(res, status, code, desc):
        got = json_err(res)
        ok(got[0] == status and got[1] == code,
           "%s -> %d %s" % (desc, status, code), got)
    expect_jerr(serverless(f, {"workgroupName": "nope"}), 400,
                "ResourceNotFoundException", "unknown workgroup")
    expect_jerr(serverless(f, {"workgroupName": "Bad_Name"}), 400,
                "ValidationException", "workgroup name outside [a-z0-9-]")
    expect_jerr(serverless(f, {"dbName": "dev"}), 400,
                "ValidationException", "no workgroupName")
    expect_jerr(serverless(f, {"workgroupName": "default-wg",
                               "durationSeconds": 899}), 400,
                "ValidationException", "durationSeconds 899")
    expect_jerr(serverless(f, {"workgroupName": "default-wg"},
                           ctype="application/json"), 400,
                "SerializationException", "Content-Type application/json")
    expect_jerr(serverless(f, {}, target="RedshiftServerless.ListWorkgroups"),
                400, "UnknownOperationException", "another operation")
    expect_jerr(serverless(f, {"workgroupName": "default-wg"},
                           sign_as="redshift"), 403,
                "InvalidSignatureException", "serverless call scoped to "
                "redshift")
    expect_jerr(serverless(f, {"workgroupName": "default-wg"},
                           akid="AKIAUNKNOWN000000000"), 403,
                "UnrecognizedClientException", "unknown access key")
    f.config(more_cfg(faults=[{"service": "redshift-serverless",
                               "status": 400, "code": "ThrottlingException",
                               "times": 1}]))
    expect_jerr(serverless(f, {"workgroupName": "default-wg"}), 400,
                "ThrottlingException", "serverless throttling fault")
    ok(serverless(f, {"workgroupName": "default-wg"})[0] == 200,
       "then success")
    log = [e for e in f.log() if e.get("service") == "redshift-serverless"]
    ok(log and log[-1]["action"] == "GetCredentials",
       "log: service redshift-serverless, action GetCredentials")
    f.config(more_cfg())


def test_dsql(f):
    f.config(more_cfg(dsql={"region": REGION, "clusters": {
        DSQL_ID: {"status": "IDLE", "deletionProtectionEnabled": True}}}))
    st, h, body = dsql(f, DSQL_ID)
    j = json.loads(body) if st == 200 else {}
    ok(st == 200 and j.get("identifier") == DSQL_ID and
       j.get("arn") == "arn:aws:dsql:eu-west-1:%s:cluster/%s" % (ACCT,
                                                                 DSQL_ID)
       and j.get("status") == "IDLE" and
       j.get("deletionProtectionEnabled") is True and
       isinstance(j.get("creationTime"), float),
       "GetCluster: identifier, arn, status (configured), creationTime",
       body[:400])
    st, h, body = dsql(f, "b" * 26)
    ok(st == 404 and h.get("x-amzn-errortype") ==
       "ResourceNotFoundException" and
       json.loads(body).get("resourceId") == "b" * 26,
       "unknown cluster -> 404 ResourceNotFoundException", (st, h, body))
    st, h, body = dsql(f, "Not-An-Id")
    ok(st == 400 and h.get("x-amzn-errortype") == "ValidationException",
       "malformed identifier -> 400 ValidationException")
    st, h, _ = dsql(f, DSQL_ID, sign_as="dsql-db")
    ok(st == 403 and h.get("x-amzn-errortype") ==
       "InvalidSignatureException", "GetCluster scoped to another service")
    f.config(more_cfg(faults=[{"service": "dsql", "status": 429,
                               "code": "ThrottlingException", "times": 1}]))
    st, h, _ = dsql(f, DSQL_ID)
    ok(st == 429 and h.get("x-amzn-errortype") == "ThrottlingException",
       "DSQL throttling fault -> 429")
    f.config(more_cfg())


def test_clock(f):
    def gci(**kw):
        return sts(f, {"Action": "GetCallerIdentity",
                       "Version": "2011-06-15"}, **kw)

    def date_of(h):
        import email.utils
        return email.utils.parsedate_to_datetime(h["date"])
    for off in (300, -300):
        f.config(cfg(clock_offset=off))
        st, h, body = gci()
        skew = (date_of(h) - datetime.datetime.now(UTC)).total_seconds()
        ok(st == 200 and abs(skew - off) < 30,
           "clock_offset %d: GetCallerIdentity works, Date is %+ds" % (
               off, off), (st, skew))
    f.config(cfg(clock_offset=1200))
    st, h, body = gci()
    skew = (date_of(h) - datetime.datetime.now(UTC)).total_seconds()
    ok(st == 403 and xml_get(body, "Code") == "SignatureDoesNotMatch" and
       b"Signature expired" in body and abs(skew - 1200) < 30,
       "clock_offset 1200: signed now is 'expired'; Date still 20 min ahead",
       (st, skew, body[:300]))
    st, _, _ = gci(when=datetime.datetime.now(UTC) +
                   datetime.timedelta(seconds=1200))
    ok(st == 200, "clock_offset 1200: signed on the fake's clock -> 200")
    f.config(more_cfg(clock_offset=1200))
    st, h, _ = query(f, "rds", {"Action": "DescribeDBInstances"})
    ok(st == 403 and abs((date_of(h) - datetime.datetime.now(UTC))
                         .total_seconds() - 1200) < 30,
       "the skewed clock applies to the other services too")
    f.config(cfg())


def test_log_and_stats(f, secrets_list):
    log = f.log()
    reqs = [e for e in log if "service" in e]
    issued = [e["issued"] for e in log if "issued" in e]
    ok(len(reqs) > 50 and all("status" in e and "headers" in e and
                              "method" in e and "path" in e for e in reqs),
       "requests.log: one JSON object per request (%d)" % len(reqs))
    text = open(os.path.join(f.dir, "requests.log")).read()
    leaked = [s for s in secrets_list if s and s in text]
    ok(not leaked, "requests.log contains no secret or token", leaked[:3])
    sts_lines = [e for e in reqs if e["service"] == "sts" and
                 e["action"] == "AssumeRole" and "Authorization" in
                 e["headers"]]
    ok(sts_lines and all(e["headers"]["Authorization"] == "<redacted>"
                         for e in sts_lines), "Authorization redacted")
    ok(any(e["headers"].get("X-Amz-Security-Token") == "<redacted>"
           for e in reqs), "X-Amz-Security-Token redacted")
    ok(any(e["headers"].get("x-amz-sso_bearer_token") == "<redacted>"
           for e in reqs), "x-amz-sso_bearer_token redacted")
    ok(any(e["headers"].get("X-aws-ec2-metadata-token") == "<redacted>"
           for e in reqs), "X-aws-ec2-metadata-token redacted")
    ok(issued and all(set(i) >= {"akid", "role"} for i in issued) and
       any(i["role"] == ROLE_B for i in issued),
       "issued lines map akid -> role")
    ok(any(e.get("akid", "").startswith("ASIA") for e in sts_lines),
       "log records the signing akid")
    ok(any(e.get("params", {}).get("WebIdentityToken") == "<redacted>"
           for e in reqs), "WebIdentityToken param redacted")
    st, _, body = f.req("GET", "/_stats")
    s = json.loads(body)
    by = {}
    for e in reqs:
        by[e["service"]] = by.get(e["service"], 0) + 1
    ok(all(s.get(k, 0) == by.get(k, 0) for k in
           ("sts", "sso", "container", "imds", "rds", "iam", "redshift",
            "redshift-serverless", "dsql")),
       "_stats per-service counts match the log", (s, by))
    acts = {}
    for e in reqs:
        if e["action"]:
            acts[e["action"]] = acts.get(e["action"], 0) + 1
    ok(s["actions"] == acts, "_stats per-action counts match the log",
       (s["actions"], acts))
    ok(s["issued"] == len(issued), "_stats issued count")
    before = s["sts"]
    sts(f, ar())
    s2 = json.loads(f.req("GET", "/_stats")[2])
    ok(s2["sts"] == before + 1 and s2["actions"]["AssumeRole"] ==
       s["actions"]["AssumeRole"] + 1, "_stats counts a new request")
    ok(f.req("GET", "/_health")[2] == b"ok", "_health -> ok")
    ok(not any(e["path"].startswith("/_") for e in f.log() if "path" in e),
       "control requests are not logged")


def test_restart(f, creds):
    d = f.dir
    rc = f.stop()
    ok(rc == 0, "SIGTERM -> exit 0", rc)
    ok(not os.path.exists(os.path.join(d, "port")), "port file removed")
    g = Fake(directory=d)
    st, _, body = sts(g, ar(role=ROLE_B), akid=creds["AccessKeyId"],
                      secret=creds["SecretAccessKey"],
                      token=creds["SessionToken"])
    ok(st == 200, "restarted server still accepts issued creds", body[:300])
    return g


def test_exits():
    f = Fake(lifetime=1)
    t0 = time.time()
    try:
        rc = f.proc.wait(8)
    except subprocess.TimeoutExpired:
        rc = None
    ok(rc == 0 and time.time() - t0 < 4, "--lifetime 1 -> exits 0 by itself",
       rc)
    ok(not os.path.exists(os.path.join(f.dir, "port")),
       "port file removed on lifetime exit")
    f.cleanup()
    f = Fake()
    f.config(cfg(faults=[{"service": "*", "mode": "hang", "seconds": 30}]))
    th = threading.Thread(target=lambda: _swallow(f.req, "GET", "/creds",
                                                  timeout=10))
    th.start()
    time.sleep(0.3)
    t0 = time.time()
    rc = f.stop(signal.SIGINT)
    ok(rc == 0 and time.time() - t0 < 3,
       "SIGINT -> exit 0 promptly even with a hung request", rc)
    th.join(10)
    f.cleanup()
    f = Fake()
    shutil.rmtree(f.dir)
    try:
        rc = f.proc.wait(5)
    except subprocess.TimeoutExpired:
        rc = None
    ok(rc == 0, "state dir removed -> exits", rc)
    f.cleanup()


def _swallow(fn, *a, **kw):
    try:
        fn(*a, **kw)
    except Exception:
        pass


def main():
    print("# python %s" % sys.version.split()[0])
    test_vectors()
    f = Fake()
    g = None
    try:
        pf = open(os.path.join(f.dir, "port")).read()
        ok(re.fullmatch(r"[0-9]+\n", pf) and int(pf) > 0,
           "port file holds the port")
        first = test_sts(f)
        test_web(f)
        test_sso(f)
        test_container(f)
        test_imds(f)
        test_faults(f, first)
        test_rds(f)
        test_iam(f)
        test_redshift(f, first)
        test_serverless(f)
        test_dsql(f)
        test_clock(f)
        issued = json.loads(f.req("GET", "/_issued")[2])
        secrets_list = [SECRET, TSECRET, TTOKEN, WEB_TOKEN, SSO_TOKEN,
                        CT_AUTH]
        for e in issued.values():
            secrets_list += [e["secret"], e["token"]]
        ok(len(issued) > 10, "/_issued lists issued credentials")
        test_log_and_stats(f, secrets_list)
        g = test_restart(f, first)
    finally:
        f.cleanup()
        if g:
            g.cleanup()
    test_exits()
    print("1..%d" % n)
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
