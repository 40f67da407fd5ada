#!/usr/bin/env python3
"""Fake AWS credential endpoints on 127.0.0.1 for iamdb's tests.

Usage: python3 fake_aws.py --state DIR [--port 0] [--lifetime 120]

One port serves all of:
  STS        POST /  (form body; AssumeRole and GetCallerIdentity must be
             SigV4 header-signed; AssumeRoleWithWebIdentity is unsigned)
  SSO portal GET /federation/credentials?role_name=R&account_id=A
  container  GET /creds...  (or config["container"]["path"])
  IMDS       PUT /latest/api/token, GET /latest/meta-data/...
  RDS        POST / Action=DescribeDBInstances|DescribeDBClusters   (rds)
  IAM        POST / Action=SimulatePrincipalPolicy                  (iam)
  Redshift   POST / Action=GetClusterCredentials[WithIAM]      (redshift)
  Redshift Serverless  POST / X-Amz-Target: RedshiftServerless.GetCredentials
  DSQL       GET /cluster/ID                                       (dsql)
             (all SigV4 header-signed, scoped to the service in brackets)
  control    GET /_health, GET /_stats, GET /_issued, GET /_db_credentials
             (never logged/counted)

State directory:
  DIR/port          written (tmp + rename) once listening; removed on exit
  DIR/config.json   read at every request (missing = defaults); write it
                    atomically (tmp + mv) when changing it mid-run
  DIR/requests.log  JSON lines, one per request, plus {"issued": ...} lines
  DIR/faults.state  per-fault hit counts (delete it to reset)
  DIR/issued.json   every credential this server issued (reloaded at start,
                    so a restarted server still accepts cached credentials)
  DIR/db_credentials.json  every Redshift user/password issued

Exits (status 0) on SIGTERM/SIGINT, after --lifetime seconds, or when DIR
disappears.  Stdlib only; see README.md for the config.json schema.
"""

import argparse
import base64
import datetime
import fnmatch
import hashlib
import hmac
import http.server
import json
import os
import re
import secrets
import signal
import socket
import struct
import sys
import threading
import time
import traceback
import urllib.parse
import uuid
from xml.sax.saxutils import escape as xml_escape

STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"
STS_VERSION = "2011-06-15"
DEFAULT_ACCOUNT = "123456789012"
REDACTED = "<redacted>"
SECRET_HEADERS = {
    "authorization",
    "x-amz-security-token",
    "x-amz-sso_bearer_token",
    "x-aws-ec2-metadata-token",
}
SECRET_PARAMS = {"WebIdentityToken", "TokenCode"}
SESSION_NAME_RE = re.compile(r"[\w+=,.@-]{2,64}", re.ASCII)
TIME_SKEW = 15 * 60
UTC = datetime.timezone.utc


# ---------------------------------------------------------------- utilities

def utcnow():
    return datetime.datetime.now(UTC).replace(microsecond=0)


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(s):
    """ISO-8601 string -> aware datetime, or None if it does not parse."""
    if not isinstance(s, str):
        return None
    try:
        dt = datetime.datetime.fromisoformat(s.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def atomic_write(path, data):
    tmp = "%s.tmp.%d.%d" % (path, os.getpid(), threading.get_ident())
    with open(tmp, "w") as f:
        f.write(data)
    os.replace(tmp, path)


# ------------------------------------------------------------------- SigV4

def uri_encode(s, keep_slash=False):
    out = []
    for b in s.encode("utf-8"):
        c = chr(b)
        if (b < 128 and c.isalnum()) or c in "-_.~" or (keep_slash and c == "/"):
            out.append(c)
        else:
            out.append("%%%02X" % b)
    return "".join(out)


def canonical_uri(raw_path):
    """Non-S3 rule: normalise the (already encoded) path, encode it again."""
    path = raw_path or "/"
    segs = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if segs:
                segs.pop()
            continue
        segs.append(seg)
    out = "/" + "/".join(uri_encode(s) for s in segs)
    if len(segs) and (path.endswith("/") or path.endswith("/.")
                      or path.endswith("/..")):
        out += "/"
    return out


def canonical_query(raw_query):
    pairs = []
    for piece in (raw_query or "").split("&"):
        if piece == "":
            continue
        k, _, v = piece.partition("=")
        pairs.append((uri_encode(urllib.parse.unquote(k)),
                      uri_encode(urllib.parse.unquote(v))))
    pairs.sort()
    return "&".join("%s=%s" % kv for kv in pairs)


def header_values(pairs, name):
    return [v for (n, v) in pairs if n.lower() == name]


def canon_value(v):
    return " ".join(v.split())


def signing_key(secret, date, region, service):
    k = ("AWS4" + secret).encode("utf-8")
    for m in (date, region, service, "aws4_request"):
        k = hmac.new(k, m.encode("utf-8"), hashlib.sha256).digest()
    return k


def canonical_request(method, raw_path, raw_query, header_pairs, signed,
                      body=b"", payload_hash=None):
    """SigV4 canonical request.  signed: header names (sorted here, as AWS
    does); the payload hash is x-amz-content-sha256 if sent, else SHA-256 of
    body, unless payload_hash is given."""
    names = sorted(set(signed))
    lines = []
    for name in names:
        vals = header_values(header_pairs, name)
        if not vals:
            raise SigError(403, "SignatureDoesNotMatch",
                           "Signed header '%s' is not in the request." % name)
        lines.append("%s:%s\n" % (name, ",".join(canon_value(v)
                                                  for v in vals)))
    if payload_hash is None:
        sha = header_values(header_pairs, "x-amz-content-sha256")
        payload_hash = (sha[0].strip() if sha
                        else hashlib.sha256(body).hexdigest())
    return "\n".join([
        method,
        canonical_uri(raw_path),
        canonical_query(raw_query),
        "".join(lines),
        ";".join(names),
        payload_hash,
    ])


class SigError(Exception):
    def __init__(self, status, code, message):
        Exception.__init__(self, message)
        self.status, self.code, self.message = status, code, message


def parse_authorization(value):
    alg, _, rest = value.strip().partition(" ")
    if alg != "AWS4-HMAC-SHA256":
        raise SigError(400, "IncompleteSignature",
                       "Unsupported AWS 'algorithm': '%s'" % alg)
    fields = {}
    for part in rest.split(","):
        k, eq, v = part.strip().partition("=")
        if eq:
            fields[k.strip()] = v.strip()
    missing = [k for k in ("Credential", "SignedHeaders", "Signature")
               if not fields.get(k)]
    if missing:
        raise SigError(400, "IncompleteSignature",
                       "Authorization header requires '%s' parameter. "
                       "Authorization=%s" % (missing[0], value))
    cred = fields["Credential"].split("/")
    if len(cred) != 5:
        raise SigError(400, "IncompleteSignature",
                       "Credential must have exactly 5 slash-delimited "
                       "elements, e.g. keyid/date/region/service/term, got "
                       "'%s'" % fields["Credential"])
    return cred, fields["SignedHeaders"], fields["Signature"]


def sigv4_verify(method, raw_path, raw_query, header_pairs, body, lookup,
                 service, region=None, skip_time_check=False, now=None):
    """Verify a SigV4 Authorization header.

    lookup(akid) -> {"secret": .., "token": .. or None,
                     "expiration": datetime or None} or None.
    Returns (akid, entry).  Raises SigError.
    """
    auth = header_values(header_pairs, "authorization")
    if not auth:
        raise SigError(403, "MissingAuthenticationToken",
                       "Request is missing Authentication Token")
    cred, signed_str, signature = parse_authorization(auth[0])
    akid, cdate, cregion, cservice, term = cred
    entry = lookup(akid)
    if entry is None:
        raise SigError(403, "InvalidClientTokenId",
                       "The security token included in the request is "
                       "invalid.")
    signed = signed_str.split(";")
    if any(h != h.lower() or not h for h in signed):
        raise SigError(403, "SignatureDoesNotMatch",
                       "SignedHeaders must be lower-case: '%s'" % signed_str)
    if "host" not in signed or not header_values(header_pairs, "host"):
        raise SigError(403, "SignatureDoesNotMatch",
                       "'Host' or ':authority' must be a 'SignedHeader' in "
                       "the AWS Authorization.")
    amzdate = header_values(header_pairs, "x-amz-date")
    if not amzdate:
        raise SigError(400, "IncompleteSignature",
                       "Authorization header requires existence of either a "
                       "'X-Amz-Date' or a 'Date' header. Authorization=%s"
                       % auth[0])
    amzdate = amzdate[0].strip()
    if "x-amz-date" not in signed:
        raise SigError(403, "SignatureDoesNotMatch",
                       "'X-Amz-Date' must be a 'SignedHeader' here.")
    try:
        req_time = datetime.datetime.strptime(
            amzdate, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise SigError(400, "IncompleteSignature",
                       "Date must be in ISO-8601 'basic format'. Got '%s'. "
                       "See http://en.wikipedia.org/wiki/ISO_8601" % amzdate)
    if cdate != amzdate[:8]:
        raise SigError(403, "SignatureDoesNotMatch",
                       "Date in Credential scope does not match YYYYMMDD from "
                       "ISO-8601 version of date from HTTP: '%s' != '%s', "
                       "from '%s'." % (cdate, amzdate[:8], amzdate))
    if cservice != service:
        raise SigError(403, "SignatureDoesNotMatch",
                       "Credential should be scoped to correct service: "
                       "'%s'. " % service)
    if term != "aws4_request":
        raise SigError(403, "SignatureDoesNotMatch",
                       "Credential should be scoped with a valid terminator: "
                       "'aws4_request', not '%s'. " % term)
    if region is not None and cregion != region:
        raise SigError(403, "SignatureDoesNotMatch",
                       "Credential should be scoped to a valid region, not "
                       "'%s'. Expected '%s'." % (cregion, region))
    # Session token: required (signed, equal) for temporary keys, refused
    # for long-term ones.
    tok = header_values(header_pairs, "x-amz-security-token")
    if entry.get("token"):
        if not tok:
            raise SigError(403, "InvalidClientTokenId",
                           "The security token included in the request is "
                           "invalid. (temporary key %s sent without "
                           "X-Amz-Security-Token)" % akid)
        if tok[0].strip() != entry["token"]:
            raise SigError(403, "InvalidClientTokenId",
                           "The security token included in the request is "
                           "invalid. (X-Amz-Security-Token does not belong "
                           "to %s)" % akid)
        if "x-amz-security-token" not in signed:
            raise SigError(403, "SignatureDoesNotMatch",
                           "X-Amz-Security-Token must be a SignedHeader.")
    elif tok:
        raise SigError(403, "InvalidClientTokenId",
                       "The security token included in the request is "
                       "invalid. (long-term key %s sent with "
                       "X-Amz-Security-Token)" % akid)
    now = now or utcnow()
    if not skip_time_check:
        if req_time < now - datetime.timedelta(seconds=TIME_SKEW):
            raise SigError(403, "SignatureDoesNotMatch",
                           "Signature expired: %s is now earlier than %s "
                           "(%s - 15 min.)" % (
                               amzdate, (now - datetime.timedelta(
                                   seconds=TIME_SKEW)).strftime(
                                   "%Y%m%dT%H%M%SZ"),
                               now.strftime("%Y%m%dT%H%M%SZ")))
        if req_time > now + datetime.timedelta(seconds=TIME_SKEW):
            raise SigError(403, "SignatureDoesNotMatch",
                           "Signature not yet current: %s is still later than "
                           "%s (%s + 15 min.)" % (
                               amzdate, (now + datetime.timedelta(
                                   seconds=TIME_SKEW)).strftime(
                                   "%Y%m%dT%H%M%SZ"),
                               now.strftime("%Y%m%dT%H%M%SZ")))
    canonical = canonical_request(method, raw_path, raw_query, header_pairs,
                                  signed, body)
    scope = "/".join([cdate, cregion, cservice, term])
    sts = "\n".join(["AWS4-HMAC-SHA256", amzdate, scope,
                     hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    want = hmac.new(signing_key(entry["secret"], cdate, cregion, cservice),
                    sts.encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(want, signature.strip().lower()) or \
            signature.strip() != signature.strip().lower():
        raise SigError(403, "SignatureDoesNotMatch",
                       "The request signature we calculated does not match "
                       "the signature you provided. Check your AWS Secret "
                       "Access Key and signing method. Consult the service "
                       "documentation for details.\n\nThe Canonical String "
                       "for this request should have been\n'%s'\n\nThe "
                       "String-to-Sign should have been\n'%s'\n" %
                       (canonical, sts))
    if entry.get("expiration") is not None and entry["expiration"] <= now:
        raise SigError(403, "ExpiredToken",
                       "The security token included in the request is "
                       "expired")
    return akid, entry


# ------------------------------------------------------------ server state

class Response(object):
    def __init__(self, status, body=b"", ctype="text/plain", headers=None):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.status = status
        self.body = body
        self.headers = [("Content-Type", ctype)] + list(headers or [])


def json_response(status, obj, headers=None):
    return Response(status, json.dumps(obj), "application/json", headers)


class State(object):
    def __init__(self, directory):
        self.dir = directory
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.issued = {}        # akid -> dict (secret, token, expiration...)
        self.counter = 0
        self.imds_tokens = {}   # token -> monotonic expiry
        self.stats = {"total": 0, "sts": 0, "sso": 0, "container": 0,
                      "imds": 0, "unknown": 0, "actions": {}, "status": {},
                      "paths": {}, "faults": 0, "issued": 0}
        self._load_issued()

    def path(self, name):
        return os.path.join(self.dir, name)

    # -- config
    def config(self):
        p = self.path("config.json")
        for attempt in range(10):
            try:
                with open(p) as f:
                    text = f.read()
            except FileNotFoundError:
                return {}
            try:
                cfg = json.loads(text) if text.strip() else {}
                if not isinstance(cfg, dict):
                    raise ValueError("config.json is not a JSON object")
                return cfg
            except ValueError:
                if attempt == 9:
                    raise
                time.sleep(0.02)    # maybe caught mid-write; retry
        return {}

    # -- log
    def log(self, obj):
        line = json.dumps(obj, separators=(",", ":")) + "\n"
        with self.lock:
            try:
                with open(self.path("requests.log"), "a") as f:
                    f.write(line)
            except OSError:
                pass

    # -- issued credentials
    def _load_issued(self):
        try:
            with open(self.path("issued.json")) as f:
                data = json.load(f)
        except (OSError, ValueError):
            return
        for akid, e in data.items():
            e = dict(e)
            e["expiration"] = parse_iso(e.get("expiration"))
            self.issued[akid] = e
        self.counter = len(self.issued)

    def _save_issued(self):
        out = {}
        for akid, e in self.issued.items():
            e = dict(e)
            e["expiration"] = iso(e["expiration"]) if e["expiration"] else None
            out[akid] = e
        try:
            atomic_write(self.path("issued.json"), json.dumps(out, indent=1))
        except OSError:
            pass

    def issue(self, service, role, duration, override=None, fixed=None):
        """Make (or take from config) credentials and register them.

        Returns dict akid, secret, token, expiration (datetime or None) and
        expiration_str (what to put on the wire)."""
        now = utcnow()
        if fixed:
            akid = fixed.get("access_key_id")
            secret = fixed.get("secret_access_key")
            token = fixed.get("session_token")
            override = fixed.get("expiration", override)
        with self.lock:
            if not fixed:
                while True:
                    self.counter += 1
                    tag = {"sts": "STSA", "web": "STSW", "sso": "SSOX",
                           "container": "ECSX", "imds": "IMDS"}.get(
                               service, "FAKE")
                    akid = "ASIA%s%012d" % (tag, self.counter)
                    if akid not in self.issued:
                        break
                raw = base64.b64encode(secrets.token_bytes(30)).decode()
                secret = raw[:10] + "/" + raw[11:25] + "+" + raw[26:]
                body = base64.b64encode(secrets.token_bytes(511)).decode()
                body = body[:40] + "/" + body[41:300] + "+" + body[301:]
                token = "IQoJb3JpZ2luX2VjE" + body.rstrip("=") + "=="
            if override is not None:
                exp = parse_iso(override)
                exp_str = iso(exp) if exp else override
            else:
                exp = now + datetime.timedelta(seconds=duration)
                exp_str = iso(exp)
            self.issued[akid] = {"secret": secret, "token": token,
                                 "expiration": exp, "role": role,
                                 "service": service}
            self.stats["issued"] += 1
            self._save_issued()
        self.log({"issued": {"akid": akid, "role": role, "service": service,
                             "expiration": exp_str}})
        return {"akid": akid, "secret": secret, "token": token,
                "expiration": exp, "expiration_str": exp_str}

    def lookup_key(self, cfg):
        keys = cfg.get("keys") or {}
        tokens = cfg.get("keys_tokens") or {}

        def lookup(akid):
            if akid in keys:
                return {"secret": keys[akid], "token": tokens.get(akid),
                        "expiration": None, "role": None}
            with self.lock:
                e = self.issued.get(akid)
            return dict(e) if e else None
        return lookup

    # -- faults
    def take_fault(self, cfg, service, action, method, path):
        faults = cfg.get("faults") or []
        for i, f in enumerate(faults):
            if not isinstance(f, dict):
                continue
            fs = f.get("service", "*")
            if fs not in ("*", service):
                continue
            if f.get("action") and f["action"] != action:
                continue
            if f.get("method") and f["method"].upper() != method:
                continue
            if f.get("path") and not path.startswith(f["path"]):
                continue
            key = str(f.get("id") or "%d:%s" % (
                i, json.dumps(f, sort_keys=True, separators=(",", ":"))))
            times = f.get("times")
            with self.lock:
                counts = {}
                try:
                    with open(self.path("faults.state")) as fh:
                        counts = json.load(fh)
                except (OSError, ValueError):
                    counts = {}
                n = counts.get(key, 0)
                if times is not None and n >= times:
                    continue
                counts[key] = n + 1
                try:
                    atomic_write(self.path("faults.state"),
                                 json.dumps(counts, indent=1))
                except OSError:
                    pass
                self.stats["faults"] += 1
            return f
        return None

    def count(self, service, action, path):
        with self.lock:
            s = self.stats
            s["total"] += 1
            s[service] = s.get(service, 0) + 1
            if action is not None:
                s["actions"][action] = s["actions"].get(action, 0) + 1
            s["paths"][path] = s["paths"].get(path, 0) + 1

    def count_status(self, status):
        with self.lock:
            k = str(status)
            self.stats["status"][k] = self.stats["status"].get(k, 0) + 1


# ------------------------------------------------------------------ STS

def sts_error(status, code, message):
    return query_error(STS_NS, status, code, message)


def default_code(status):
    return {400: "Throttling", 429: "Throttling", 500: "InternalFailure",
            502: "BadGateway", 503: "ServiceUnavailable",
            504: "GatewayTimeout"}.get(
                status, "InternalFailure" if status >= 500 else "BadRequest")


def role_parts(arn, session):
    # arn:aws:iam::123456789012:role/path/name
    m = re.match(r"arn:([^:]+):iam::(\d*):role/(?:.*/)?([^/]+)$", arn or "")
    if m:
        part, account, name = m.groups()
    else:
        part, account, name = "aws", DEFAULT_ACCOUNT, "role"
    rid = "AROA" + hashlib.sha1(arn.encode()).hexdigest()[:17].upper()
    return ("arn:%s:sts::%s:assumed-role/%s/%s" % (part, account, name,
                                                    session),
            "%s:%s" % (rid, session))


def sts_ok(action, result_xml):
    return query_ok(STS_NS, action, result_xml)


def check_common(params, cfg):
    """Validation shared by both assume actions. Returns (role, duration)."""
    arn = params.get("RoleArn")
    if not arn:
        raise SigError(400, "ValidationError",
                       "1 validation error detected: Value null at 'roleArn' "
                       "failed to satisfy constraint: Member must not be null")
    session = params.get("RoleSessionName")
    if session is None:
        raise SigError(400, "ValidationError",
                       "1 validation error detected: Value null at "
                       "'roleSessionName' failed to satisfy constraint: "
                       "Member must not be null")
    if not SESSION_NAME_RE.fullmatch(session):
        raise SigError(400, "ValidationError",
                       "1 validation error detected: Value '%s' at "
                       "'roleSessionName' failed to satisfy constraint: "
                       "Member must satisfy regular expression pattern: "
                       "[\\w+=,.@-]*" % session)
    dur = params.get("DurationSeconds")
    if dur is None:
        duration = 3600
    else:
        try:
            duration = int(dur)
        except ValueError:
            raise SigError(400, "ValidationError",
                           "Invalid value '%s' for DurationSeconds" % dur)
        if duration < 900 or duration > 43200:
            raise SigError(400, "ValidationError",
                           "1 validation error detected: Value '%d' at "
                           "'durationSeconds' failed to satisfy constraint: "
                           "Member must have value %s" % (
                               duration, "greater than or equal to 900"
                               if duration < 900 else
                               "less than or equal to 43200"))
    roles = cfg.get("roles") or {}
    role = roles.get(arn)
    return arn, session, role, duration


def assume_role(state, cfg, params, akid, entry):
    arn, session, role, duration = check_common(params, cfg)
    caller = entry.get("role") or akid
    if role is None:
        raise SigError(403, "AccessDenied",
                       "User: %s is not authorized to perform: "
                       "sts:AssumeRole on resource: %s" % (caller, arn))
    trust = role.get("trust")
    if trust is not None and akid not in trust and caller not in trust:
        raise SigError(403, "AccessDenied",
                       "User: %s is not authorized to perform: "
                       "sts:AssumeRole on resource: %s (not trusted)" % (
                           caller, arn))
    ext = role.get("require_external_id")
    if ext is not None and params.get("ExternalId") != ext:
        raise SigError(403, "AccessDenied",
                       "User: %s is not authorized to perform: "
                       "sts:AssumeRole on resource: %s (ExternalId)" % (
                           caller, arn))
    mfa = role.get("require_mfa")
    if mfa:
        serial, code = params.get("SerialNumber"), params.get("TokenCode")
        if code is not None and not re.fullmatch(r"\d{6}", code):
            raise SigError(400, "ValidationError",
                           "1 validation error detected: Value at 'tokenCode'"
                           " failed to satisfy constraint: Member must "
                           "satisfy regular expression pattern: [\\d]*")
        if not serial or code is None:
            raise SigError(403, "AccessDenied",
                           "User: %s is not authorized to perform: "
                           "sts:AssumeRole on resource: %s (MFA required)" %
                           (caller, arn))
        if serial != mfa.get("serial") or code != mfa.get("code"):
            raise SigError(403, "AccessDenied",
                           "MultiFactorAuthentication failed with invalid MFA"
                           " one time pass code. ")
    if duration > int(role.get("duration_max", 43200)):
        raise SigError(400, "ValidationError",
                       "The requested DurationSeconds exceeds the "
                       "MaxSessionDuration set for this role.")
    c = state.issue("sts", arn, duration,
                    role.get("expiration_override",
                             cfg.get("expiration_override")),
                    role.get("credentials"))
    user_arn, user_id = role_parts(arn, session)
    x = ("    <Credentials>\n"
         "      <AccessKeyId>%s</AccessKeyId>\n"
         "      <SecretAccessKey>%s</SecretAccessKey>\n"
         "      <SessionToken>%s</SessionToken>\n"
         "      <Expiration>%s</Expiration>\n"
         "    </Credentials>\n"
         "    <AssumedRoleUser>\n"
         "      <AssumedRoleId>%s</AssumedRoleId>\n"
         "      <Arn>%s</Arn>\n"
         "    </AssumedRoleUser>\n"
         "    <PackedPolicySize>6</PackedPolicySize>\n" % (
             xml_escape(c["akid"]), xml_escape(c["secret"]),
             xml_escape(c["token"]), xml_escape(c["expiration_str"]),
             xml_escape(user_id), xml_escape(user_arn)))
    return sts_ok("AssumeRole", x)


def assume_role_web(state, cfg, params):
    arn, session, role, duration = check_common(params, cfg)
    tok = params.get("WebIdentityToken")
    if tok is None:
        raise SigError(400, "ValidationError",
                       "1 validation error detected: Value null at "
                       "'webIdentityToken' failed to satisfy constraint: "
                       "Member must not be null")
    if role is None or role.get("web_identity_token") is None:
        raise SigError(403, "AccessDenied",
                       "Not authorized to perform sts:AssumeRoleWithWebIdentity")
    if tok != role["web_identity_token"]:
        raise SigError(400, "InvalidIdentityToken",
                       "Couldn't retrieve verification key from your "
                       "identity provider,  please reference "
                       "AssumeRoleWithWebIdentity documentation for "
                       "requirements")
    if duration > int(role.get("duration_max", 43200)):
        raise SigError(400, "ValidationError",
                       "The requested DurationSeconds exceeds the "
                       "MaxSessionDuration set for this role.")
    c = state.issue("web", arn, duration,
                    role.get("expiration_override",
                             cfg.get("expiration_override")),
                    role.get("credentials"))
    user_arn, user_id = role_parts(arn, session)
    x = ("    <SubjectFromWebIdentityToken>system:serviceaccount:default:"
         "test</SubjectFromWebIdentityToken>\n"
         "    <Audience>sts.amazonaws.com</Audience>\n"
         "    <AssumedRoleUser>\n"
         "      <Arn>%s</Arn>\n"
         "      <AssumedRoleId>%s</AssumedRoleId>\n"
         "    </AssumedRoleUser>\n"
         "    <Credentials>\n"
         "      <SessionToken>%s</SessionToken>\n"
         "      <SecretAccessKey>%s</SecretAccessKey>\n"
         "      <Expiration>%s</Expiration>\n"
         "      <AccessKeyId>%s</AccessKeyId>\n"
         "    </Credentials>\n"
         "    <Provider>arn:aws:iam::%s:oidc-provider/oidc.example.com"
         "</Provider>\n" % (
             xml_escape(user_arn), xml_escape(user_id),
             xml_escape(c["token"]), xml_escape(c["secret"]),
             xml_escape(c["expiration_str"]), xml_escape(c["akid"]),
             cfg.get("account_id", DEFAULT_ACCOUNT)))
    return sts_ok("AssumeRoleWithWebIdentity", x)


def get_caller_identity(cfg, akid, entry):
    account = cfg.get("account_id", DEFAULT_ACCOUNT)
    if entry.get("role"):
        arn, uid = role_parts(entry["role"], "session")
    else:
        arn, uid = "arn:aws:iam::%s:user/%s" % (account, akid), akid
    x = ("    <Arn>%s</Arn>\n    <UserId>%s</UserId>\n"
         "    <Account>%s</Account>\n" % (xml_escape(arn), xml_escape(uid),
                                         xml_escape(account)))
    return sts_ok("GetCallerIdentity", x)


def handle_sts(state, cfg, req):
    params = req.params
    action = params.get("Action")
    try:
        if action not in ("AssumeRole", "AssumeRoleWithWebIdentity",
                          "GetCallerIdentity"):
            raise SigError(400, "InvalidAction",
                           "Could not find operation %s for version %s" % (
                               action, params.get("Version",
                                                  "NO_VERSION_SPECIFIED")))
        if params.get("Version") != STS_VERSION:
            raise SigError(400, "InvalidAction",
                           "Could not find operation %s for version %s" % (
                               action, params.get("Version",
                                                  "NO_VERSION_SPECIFIED")))
        if action == "AssumeRoleWithWebIdentity":
            return assume_role_web(state, cfg, params)
        akid, entry = sigv4_verify(
            req.method, req.raw_path, req.raw_query, req.header_pairs,
            req.body, state.lookup_key(cfg), "sts", cfg.get("region"),
            bool(cfg.get("skip_time_check")), fake_now(cfg))
        req.log["akid"] = akid
        if action == "GetCallerIdentity":
            return get_caller_identity(cfg, akid, entry)
        return assume_role(state, cfg, params, akid, entry)
    except SigError as e:
        return sts_error(e.status, e.code, e.message)


# ------------------------------------------------------------------ SSO

def handle_sso(state, cfg, req):
    sso = cfg.get("sso") or {}

    def err(status, typ, msg):
        return json_response(status, {"message": msg},
                             [("x-amzn-ErrorType", typ)])
    if req.method != "GET":
        return err(405, "MethodNotAllowedException", "Method not allowed")
    q = dict(urllib.parse.parse_qsl(req.raw_query, keep_blank_values=True))
    if not q.get("role_name") or not q.get("account_id"):
        return err(400, "InvalidRequestException",
                   "role_name and account_id are required")
    tok = req.header("x-amz-sso_bearer_token")
    if tok is None or sso.get("access_token") is None or \
            tok != sso["access_token"]:
        return err(401, "UnauthorizedException",
                   "Session token not found or invalid")
    if q["account_id"] != sso.get("account_id") or \
            q["role_name"] != sso.get("role_name"):
        return err(403, "ForbiddenException", "No access")
    c = state.issue("sso", "arn:aws:iam::%s:role/%s" % (
        q["account_id"], q["role_name"]), int(sso.get("duration", 3600)),
        sso.get("expiration_override", cfg.get("expiration_override")),
        sso.get("credentials"))
    exp = (int(c["expiration"].timestamp() * 1000) if c["expiration"]
           else c["expiration_str"])
    return json_response(200, {"roleCredentials": {
        "accessKeyId": c["akid"], "secretAccessKey": c["secret"],
        "sessionToken": c["token"], "expiration": exp}})


# ------------------------------------------------------------ container

def handle_container(state, cfg, req):
    ct = cfg.get("container") or {}
    if req.method != "GET":
        return json_response(405, {"code": "MethodNotAllowed",
                                   "message": "Method not allowed"})
    want = ct.get("auth_token")
    if want is not None and req.header("authorization") != want:
        return json_response(401, {"code": "Unauthorized",
                                   "message": "invalid or missing "
                                              "Authorization token"})
    role = ct.get("role_arn",
                  "arn:aws:iam::%s:role/container-role" %
                  cfg.get("account_id", DEFAULT_ACCOUNT))
    c = state.issue("container", role, int(ct.get("duration", 3600)),
                    ct.get("expiration_override",
                           cfg.get("expiration_override")),
                    ct.get("credentials"))
    return json_response(200, {"RoleArn": role, "AccessKeyId": c["akid"],
                               "SecretAccessKey": c["secret"],
                               "Token": c["token"],
                               "Expiration": c["expiration_str"]})


# ----------------------------------------------------------------- IMDS

def handle_imds(state, cfg, req):
    im = cfg.get("imds") or {}
    path = req.raw_path
    if path == "/latest/api/token":
        if req.method != "PUT":
            return Response(405, "Method Not Allowed\n")
        dis = im.get("disable_token_put")
        if dis:
            return Response(int(dis) if dis is not True else 403,
                            "token PUT disabled\n")
        ttl = req.header("x-aws-ec2-metadata-token-ttl-seconds")
        try:
            ttl = int(ttl)
        except (TypeError, ValueError):
            ttl = 0
        if ttl < 1 or ttl > 21600:
            return Response(400, "Bad Request\n")
        tok = "AQAEA" + secrets.token_urlsafe(40)
        with state.lock:
            state.imds_tokens[tok] = time.monotonic() + ttl
        return Response(200, tok, "text/plain",
                        [("X-aws-ec2-metadata-token-ttl-seconds", str(ttl))])
    if req.method not in ("GET", "HEAD"):
        return Response(405, "Method Not Allowed\n")
    tok = req.header("x-aws-ec2-metadata-token")
    if tok is None:
        if not im.get("allow_v1"):
            return Response(401, "Unauthorized\n")
    else:
        with state.lock:
            exp = state.imds_tokens.get(tok)
        if exp is None or exp < time.monotonic():
            return Response(401, "Unauthorized\n")
    role = im.get("role", "test-role")
    region = im.get("region", "us-west-2")
    base = "/latest/meta-data/iam/security-credentials"
    if path in (base, base + "/"):
        if not role:
            return Response(404, "Not Found\n")
        return Response(200, role)
    if path.startswith(base + "/"):
        if not role or path[len(base) + 1:] != role:
            return Response(404, "Not Found\n")
        c = state.issue("imds", "arn:aws:iam::%s:role/%s" % (
            cfg.get("account_id", DEFAULT_ACCOUNT), role),
            int(im.get("duration", 21600)),
            im.get("expiration_override", cfg.get("expiration_override")),
            im.get("credentials"))
        return Response(200, json.dumps({
            "Code": "Success", "LastUpdated": iso(utcnow()),
            "Type": "AWS-HMAC", "AccessKeyId": c["akid"],
            "SecretAccessKey": c["secret"], "Token": c["token"],
            "Expiration": c["expiration_str"]}, indent=2), "text/plain")
    if path == "/latest/meta-data/placement/region":
        return Response(200, region)
    if path == "/latest/meta-data/placement/availability-zone":
        return Response(200, region + "a")
    if path == "/latest/dynamic/instance-identity/document":
        return Response(200, json.dumps({
            "accountId": cfg.get("account_id", DEFAULT_ACCOUNT),
            "region": region, "availabilityZone": region + "a",
            "instanceId": "i-0123456789abcdef0"}, indent=2), "text/plain")
    return Response(404, "Not Found\n")


# --------------------------------------------------- more AWS APIs (shared)
# RDS, IAM and Redshift speak the Query protocol, as STS does: a form body
# with Action and Version, XML answers, errors as <ErrorResponse>.
# Redshift Serverless is JSON 1.1 (X-Amz-Target), DSQL's control plane
# REST-JSON.  Every call is SigV4-verified with the service's signing name.

QUERY_ACTIONS = {
    "DescribeDBInstances": "rds",
    "DescribeDBClusters": "rds",
    "SimulatePrincipalPolicy": "iam",
    "GetClusterCredentials": "redshift",
    "GetClusterCredentialsWithIAM": "redshift",
}
QUERY_APIS = {  # service -> (Version, XML namespace)
    "rds": ("2014-10-31", "http://rds.amazonaws.com/doc/2014-10-31/"),
    "iam": ("2010-05-08", "https://iam.amazonaws.com/doc/2010-05-08/"),
    "redshift": ("2012-12-01",
                 "http://redshift.amazonaws.com/doc/2012-12-01/"),
}
SERVERLESS_TARGET = "RedshiftServerless."
JSON11 = "application/x-amz-json-1.1"
DSQL_CLUSTER_RE = re.compile(r"[a-z0-9]{26}")


def other_service(method, path, headers):
    """The services a path or header names; None leaves it to classify()."""
    target = headers.get("X-Amz-Target") or ""
    if path == "/" and method == "POST" and \
            target.startswith(SERVERLESS_TARGET):
        return "redshift-serverless"
    if path.startswith("/cluster/"):
        return "dsql"
    return None


def query_error(ns, status, code, message):
    typ = "Receiver" if status >= 500 else "Sender"
    body = ('<ErrorResponse xmlns="%s">\n  <Error>\n    <Type>%s</Type>\n'
            '    <Code>%s</Code>\n    <Message>%s</Message>\n  </Error>\n'
            '  <RequestId>%s</RequestId>\n</ErrorResponse>\n' % (
                ns, typ, xml_escape(code), xml_escape(message),
                uuid.uuid4()))
    return Response(status, body, "text/xml",
                    [("x-amzn-RequestId", str(uuid.uuid4()))])


def query_ok(ns, action, result_xml):
    body = ('<%sResponse xmlns="%s">\n  <%sResult>\n%s  </%sResult>\n'
            '  <ResponseMetadata>\n    <RequestId>%s</RequestId>\n'
            '  </ResponseMetadata>\n</%sResponse>\n' % (
                action, ns, action, result_xml, action, uuid.uuid4(),
                action))
    return Response(200, body, "text/xml",
                    [("x-amzn-RequestId", str(uuid.uuid4()))])


def json11_error(status, code, message, extra=None):
    obj = {"__type": code, "message": message}
    obj.update(extra or {})
    return Response(status, json.dumps(obj), JSON11,
                    [("x-amzn-RequestId", str(uuid.uuid4()))])


def rest_json_error(status, code, message, extra=None):
    obj = {"message": message}
    obj.update(extra or {})
    return json_response(status, obj, [("x-amzn-ErrorType", code),
                                       ("x-amzn-RequestId",
                                        str(uuid.uuid4()))])


# What JSON-protocol services call the signature errors Query ones send.
JSON_AUTH_CODES = {
    "SignatureDoesNotMatch": "InvalidSignatureException",
    "InvalidClientTokenId": "UnrecognizedClientException",
    "MissingAuthenticationToken": "MissingAuthenticationTokenException",
    "ExpiredToken": "ExpiredTokenException",
    "IncompleteSignature": "IncompleteSignatureException",
}


def service_error(service, status, code, message):
    """The error body of a service below, or None for the others."""
    if service in QUERY_APIS:
        return query_error(QUERY_APIS[service][1], status, code, message)
    if service == "redshift-serverless":
        return json11_error(status, code, message)
    if service == "dsql":
        return rest_json_error(status, code, message)
    return None


# XML list members are <member> unless the model names them otherwise.
LIST_MEMBERS = {"DBInstances": "DBInstance", "DBClusters": "DBCluster",
                "DBClusterMembers": "DBClusterMember"}


def to_xml(name, value, depth):
    pad = "  " * depth
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        if isinstance(value, dict):
            inner = "".join(to_xml(k, v, depth + 1) for k, v in value.items())
        else:
            member = LIST_MEMBERS.get(name, "member")
            inner = "".join(to_xml(member, v, depth + 1) for v in value)
        if not inner:
            return "%s<%s/>\n" % (pad, name)
        return "%s<%s>\n%s%s</%s>\n" % (pad, name, inner, pad, name)
    if isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = xml_escape(str(value))
    return "%s<%s>%s</%s>\n" % (pad, name, text, name)


def fake_now(cfg):
    """The fake's clock: real time + clock_offset seconds (a server whose
    clock disagrees with the client's)."""
    off = cfg.get("clock_offset") or 0
    return utcnow() + datetime.timedelta(seconds=float(off))


def iso_ms(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (
        dt.microsecond // 1000)


def epoch_s(dt):
    return round(dt.timestamp(), 3)


def section(cfg, service):
    s = cfg.get(service)
    return s if isinstance(s, dict) else {}


def service_region(cfg, service):
    """Required scope region: the section's "region" (null = any), else
    us-east-1 for IAM (a global service signed there), else the top-level
    "region"."""
    sec = section(cfg, service)
    if "region" in sec:
        return sec["region"]
    return "us-east-1" if service == "iam" else cfg.get("region")


def partition_of(region):
    for prefix, part in (("cn-", "aws-cn"), ("us-gov-", "aws-us-gov")):
        if (region or "").startswith(prefix):
            return part
    return "aws"


def verify_call(state, cfg, req, service):
    akid, entry = sigv4_verify(
        req.method, req.raw_path, req.raw_query, req.header_pairs, req.body,
        state.lookup_key(cfg), service, service_region(cfg, service),
        bool(cfg.get("skip_time_check")), fake_now(cfg))
    req.log["akid"] = akid
    return akid, entry


def query_list(params, prefix):
    """Values of PREFIX1, PREFIX2, ... (Query-protocol lists) in order."""
    items = []
    for k, v in params.items():
        if k.startswith(prefix) and k[len(prefix):].isdigit():
            items.append((int(k[len(prefix):]), v))
    return [v for _, v in sorted(items)]


def stable_id(alphabet, n, *parts):
    """A resource id that stays the same for the same inputs."""
    h = hashlib.sha256("/".join(parts).encode()).digest()
    return "".join(alphabet[b % len(alphabet)] for b in h[:n])


def handle_query(state, cfg, req, service):
    params = req.params
    action = params.get("Action")
    version, ns = QUERY_APIS[service]
    try:
        if params.get("Version") != version:
            raise SigError(400, "InvalidAction",
                           "Could not find operation %s for version %s" % (
                               action, params.get("Version",
                                                  "NO_VERSION_SPECIFIED")))
        akid, entry = verify_call(state, cfg, req, service)
        if service == "rds":
            return query_ok(ns, action, rds_describe(cfg, params, action,
                                                     akid))
        if service == "iam":
            return query_ok(ns, action, iam_simulate(cfg, params))
        return query_ok(ns, action, redshift_credentials(
            state, cfg, params, action, akid, entry))
    except SigError as e:
        return query_error(ns, e.status, e.code, e.message)


# ------------------------------------------------------------------ RDS

INSTANCE_ORDER = [
    "DBInstanceIdentifier", "DBInstanceClass", "Engine", "DBInstanceStatus",
    "MasterUsername", "DBName", "Endpoint", "AvailabilityZone",
    "EngineVersion", "PubliclyAccessible", "DbInstancePort",
    "DBClusterIdentifier", "DbiResourceId", "CACertificateIdentifier",
    "DBInstanceArn", "IAMDatabaseAuthenticationEnabled",
]
CLUSTER_ORDER = [
    "DBClusterIdentifier", "DatabaseName", "Status", "Endpoint",
    "ReaderEndpoint", "CustomEndpoints", "Engine", "EngineVersion", "Port",
    "MasterUsername", "DBClusterMembers", "DbClusterResourceId",
    "DBClusterArn", "IAMDatabaseAuthenticationEnabled", "EngineMode",
    "PubliclyAccessible",
]
DEFAULT_PORTS = {"mysql": 3306, "mariadb": 3306, "aurora-mysql": 3306,
                 "aurora": 3306}
RDS_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def ordered(obj, order):
    out = {k: obj[k] for k in order if k in obj}
    out.update((k, v) for k, v in obj.items() if k not in out)
    return out


def rds_suffix(region):
    return "rds.amazonaws.com.cn" if partition_of(region) == "aws-cn" \
        else "rds.amazonaws.com"


def rds_instance(inst, region, account):
    i = dict(inst)
    ident = i["DBInstanceIdentifier"]
    engine = i.setdefault("Engine", "postgres")
    port = DEFAULT_PORTS.get(engine, 5432)
    i.setdefault("DBInstanceClass", "db.t3.micro")
    i.setdefault("DBInstanceStatus", "available")
    i.setdefault("MasterUsername", "admin" if port == 3306 else "postgres")
    i.setdefault("Endpoint", {
        "Address": "%s.c%s.%s.%s" % (ident, stable_id(
            RDS_ID_CHARS.lower(), 11, account, region), region,
            rds_suffix(region)),
        "Port": port, "HostedZoneId": "Z2R2ITUGPM61AM"})
    i.setdefault("AvailabilityZone", region + "a")
    i.setdefault("PubliclyAccessible", False)
    i.setdefault("DbInstancePort", 0)
    i.setdefault("DbiResourceId", "db-" + stable_id(
        RDS_ID_CHARS, 26, account, region, ident))
    i.setdefault("CACertificateIdentifier", "rds-ca-rsa2048-g1")
    i.setdefault("DBInstanceArn", "arn:%s:rds:%s:%s:db:%s" % (
        partition_of(region), region, account, ident))
    i.setdefault("IAMDatabaseAuthenticationEnabled", False)
    return ordered(i, INSTANCE_ORDER)


def rds_cluster(cl, region, account):
    c = dict(cl)
    ident = c["DBClusterIdentifier"]
    engine = c.setdefault("Engine", "aurora-postgresql")
    host = "c" + stable_id(RDS_ID_CHARS.lower(), 11, account, region)
    c.setdefault("Status", "available")
    c.setdefault("Endpoint", "%s.cluster-%s.%s.%s" % (
        ident, host, region, rds_suffix(region)))
    c.setdefault("ReaderEndpoint", "%s.cluster-ro-%s.%s.%s" % (
        ident, host, region, rds_suffix(region)))
    c.setdefault("Port", DEFAULT_PORTS.get(engine, 5432))
    c.setdefault("MasterUsername",
                 "admin" if c["Port"] == 3306 else "postgres")
    c.setdefault("DBClusterMembers", [])
    c.setdefault("DbClusterResourceId", "cluster-" + stable_id(
        RDS_ID_CHARS, 26, account, region, ident))
    c.setdefault("DBClusterArn", "arn:%s:rds:%s:%s:cluster:%s" % (
        partition_of(region), region, account, ident))
    c.setdefault("IAMDatabaseAuthenticationEnabled", False)
    c.setdefault("EngineMode", "provisioned")
    return ordered(c, CLUSTER_ORDER)


RDS_KINDS = {  # action -> what it lists
    "DescribeDBInstances": {
        "config": "instances", "make": rds_instance, "list": "DBInstances",
        "id": "DBInstanceIdentifier", "arn": "DBInstanceArn",
        "missing": (404, "DBInstanceNotFound", "DBInstance %s not found."),
        "filters": {"db-instance-id": ("DBInstanceIdentifier",
                                       "DBInstanceArn"),
                    "db-cluster-id": ("DBClusterIdentifier",),
                    "dbi-resource-id": ("DbiResourceId",),
                    "engine": ("Engine",)}},
    "DescribeDBClusters": {
        "config": "clusters", "make": rds_cluster, "list": "DBClusters",
        "id": "DBClusterIdentifier", "arn": "DBClusterArn",
        "missing": (404, "DBClusterNotFoundFault",
                    "DBCluster %s not found."),
        "filters": {"db-cluster-id": ("DBClusterIdentifier",
                                      "DBClusterArn"),
                    "db-cluster-resource-id": ("DbClusterResourceId",),
                    "engine": ("Engine",)}},
}


def rds_describe(cfg, params, action, akid):
    kind = RDS_KINDS[action]
    sec = section(cfg, "rds")
    region = service_region(cfg, "rds") or "us-east-1"
    account = cfg.get("account_id", DEFAULT_ACCOUNT)
    items = [kind["make"](x, region, account)
             for x in sec.get(kind["config"]) or []]
    want = params.get(kind["id"])
    if want is not None:
        # Identifiers are case-insensitive; an ARN works too.
        items = [x for x in items if want.lower() in
                 (x[kind["id"]].lower(), x[kind["arn"]].lower())]
        if not items:
            raise SigError(*kind["missing"][:2],
                           kind["missing"][2] % want)
    n = 1
    while "Filters.Filter.%d.Name" % n in params:
        name = params["Filters.Filter.%d.Name" % n]
        values = query_list(params, "Filters.Filter.%d.Values.Value." % n)
        fields = kind["filters"].get(name)
        if fields is None:
            raise SigError(400, "InvalidParameterValue",
                           "Unrecognized filter name: %s" % name)
        items = [x for x in items if any(str(x.get(f)) in values
                                         for f in fields)]
        n += 1
    try:
        max_records = int(params.get("MaxRecords", 100))
    except ValueError:
        raise SigError(400, "InvalidParameterValue",
                       "Invalid value for MaxRecords")
    if not 20 <= max_records <= 100:
        raise SigError(400, "InvalidParameterValue",
                       "Invalid value %d for MaxRecords. Must be between 20 "
                       "and 100" % max_records)
    page = min(max_records, int(sec.get("page_size", 100)))
    marker = params.get("Marker")
    start = 0
    if marker is not None:
        m = re.fullmatch(r"fake-marker-(\d+)", marker)
        if not m:
            raise SigError(400, "InvalidParameterValue",
                           "Invalid marker: %s" % marker)
        start = int(m.group(1))
    out = {kind["list"]: items[start:start + page]}
    if start + page < len(items):
        out["Marker"] = "fake-marker-%d" % (start + page)
    return "".join(to_xml(k, v, 2) for k, v in out.items())


# ------------------------------------------------------------------ IAM

IAM_DECISIONS = ("allowed", "explicitDeny", "implicitDeny")


def iam_decision(rules, action, resource):
    """rules: {resource ARN or pattern: decision or {action: decision}};
    an exact ARN wins over patterns, which are tried in order."""
    rule = rules.get(resource)
    if rule is None:
        for pat, r in rules.items():
            if pat != resource and fnmatch.fnmatchcase(resource, pat):
                rule = r
                break
    if isinstance(rule, dict):
        rule = rule.get(action, rule.get("*"))
    if rule not in IAM_DECISIONS:
        rule = "implicitDeny"
    return rule


def iam_simulate(cfg, params):
    arn = params.get("PolicySourceArn")
    actions = query_list(params, "ActionNames.member.")
    if not arn or not actions:
        raise SigError(400, "ValidationError",
                       "1 validation error detected: Value null at '%s' "
                       "failed to satisfy constraint: Member must not be "
                       "null" % ("policySourceArn" if not arn else
                                 "actionNames"))
    m = re.fullmatch(r"arn:[^:]+:iam::\d{12}:(user|role|group)/(?:.*/)?"
                     r"([^/]+)", arn)
    if not m:
        raise SigError(400, "InvalidInput",
                       "ARN %s is not valid: SimulatePrincipalPolicy takes "
                       "a user, group or role ARN" % arn)
    principals = section(cfg, "iam").get("principals") or {}
    rules = principals.get(arn)
    if rules is None:
        raise SigError(404, "NoSuchEntity",
                       "The %s with name %s cannot be found." % m.groups())
    resources = query_list(params, "ResourceArns.member.") or ["*"]
    results = []
    for action in actions:
        for res in resources:
            d = iam_decision(rules, action, res)
            r = {"EvalActionName": action, "EvalResourceName": res,
                 "EvalDecision": d}
            if d != "implicitDeny":
                r["MatchedStatements"] = [{
                    "SourcePolicyId": "fake-aws-policy",
                    "SourcePolicyType": "IAM Policy",
                    "StartPosition": {"Line": 1, "Column": 1},
                    "EndPosition": {"Line": 1, "Column": 100}}]
            else:
                r["MatchedStatements"] = []
            r["MissingContextValues"] = []
            results.append(r)
    return (to_xml("IsTruncated", False, 2) +
            to_xml("EvaluationResults", results, 2))


# ------------------------------------------------------------- Redshift

DB_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_+.@-]{0,63}")


def db_password(sec):
    if sec.get("password") is not None:
        return sec["password"]
    raw = base64.b64encode(secrets.token_bytes(48)).decode()
    return raw[:20] + "/" + raw[21:40] + "+" + raw[41:]


def db_duration(value, name):
    if value is None:
        return 900
    try:
        d = int(value)
    except (TypeError, ValueError):
        d = None
    if d is None or not 900 <= d <= 3600:
        raise SigError(400, "InvalidParameterValue" if name[0].isupper()
                       else "ValidationException",
                       "%s must be between 900 and 3600 seconds, got %s" % (
                           name, value))
    return d


def iam_db_user(sec, akid, entry):
    """What Redshift maps an IAM identity to: IAMR:role for a role session,
    IAM:user for an IAM user (iam_users maps access keys to user names)."""
    if sec.get("iam_db_user"):
        return sec["iam_db_user"]
    if entry.get("role"):
        return "IAMR:" + entry["role"].rsplit("/", 1)[-1]
    return "IAM:" + (sec.get("iam_users") or {}).get(akid, akid)


def record_db_credentials(state, rec):
    """Append to DIR/db_credentials.json (GET /_db_credentials); only a
    password-free line goes to requests.log."""
    with state.lock:
        try:
            with open(state.path("db_credentials.json")) as f:
                issued = json.load(f)
        except (OSError, ValueError):
            issued = []
        issued.append(rec)
        try:
            atomic_write(state.path("db_credentials.json"),
                         json.dumps(issued, indent=1))
        except OSError:
            pass
    state.log({"db_credentials": {k: v for k, v in rec.items()
                                  if k != "db_password"}})


def redshift_credentials(state, cfg, params, action, akid, entry):
    sec = section(cfg, "redshift")
    cluster = params.get("ClusterIdentifier")
    if cluster is None and params.get("CustomDomainName") is None:
        raise SigError(400, "InvalidParameterValue",
                       "ClusterIdentifier or CustomDomainName is required")
    if cluster is not None and cluster not in (sec.get("clusters") or []):
        raise SigError(404, "ClusterNotFound",
                       "Cluster %s not found." % cluster)
    duration = db_duration(params.get("DurationSeconds"), "DurationSeconds")
    db_name = params.get("DbName")
    if db_name is not None and not DB_NAME_RE.fullmatch(db_name):
        raise SigError(400, "InvalidParameterValue",
                       "DbName %s is not valid" % db_name)
    if action == "GetClusterCredentials":
        user = params.get("DbUser")
        if user is None:
            raise SigError(400, "MissingParameter",
                           "The request must contain the parameter DbUser")
        if not DB_NAME_RE.fullmatch(user) or user.upper() == "PUBLIC":
            raise SigError(400, "InvalidParameterValue",
                           "DbUser %s is not valid" % user)
        auto = params.get("AutoCreate", "false").lower() == "true"
        db_user = ("IAMA:" if auto else "IAM:") + user
        groups = query_list(params, "DbGroups.DbGroup.")
    else:
        db_user, groups = iam_db_user(sec, akid, entry), []
    now = fake_now(cfg)
    exp = parse_iso(sec.get("expiration_override")) or \
        now + datetime.timedelta(seconds=duration)
    password = db_password(sec)
    record_db_credentials(state, {
        "api": action, "cluster": cluster, "db_user": db_user,
        "db_password": password, "db_name": db_name, "db_groups": groups,
        "expiration": iso(exp), "akid": akid})
    out = {"DbUser": db_user, "Expiration": iso_ms(exp),
           "DbPassword": password}
    if action == "GetClusterCredentialsWithIAM":
        out["NextRefreshTime"] = iso_ms(exp)
    return "".join(to_xml(k, v, 2) for k, v in out.items())


def handle_serverless(state, cfg, req):
    target = req.header("X-Amz-Target") or ""
    op = target[len(SERVERLESS_TARGET):]
    sec = section(cfg, "redshift-serverless")
    try:
        if op != "GetCredentials":
            raise SigError(400, "UnknownOperationException",
                           "Unknown operation %s" % target)
        ctype = (req.header("Content-Type") or "").split(";")[0].strip()
        if ctype != JSON11:
            raise SigError(400, "SerializationException",
                           "Content-Type must be %s, got '%s'" % (
                               JSON11, ctype))
        akid, entry = verify_call(state, cfg, req, "redshift-serverless")
        try:
            body = json.loads(req.body or b"{}")
        except ValueError:
            raise SigError(400, "SerializationException",
                           "Request body is not JSON")
        if not isinstance(body, dict):
            raise SigError(400, "SerializationException",
                           "Request body is not a JSON object")
        wg = body.get("workgroupName")
        if wg is None and body.get("customDomainName") is None:
            raise SigError(400, "ValidationException",
                           "workgroupName or customDomainName is required")
        if wg is not None and not re.fullmatch(r"[a-z0-9-]{3,64}", str(wg)):
            raise SigError(400, "ValidationException",
                           "1 validation error detected: Value '%s' at "
                           "'workgroupName' failed to satisfy constraint: "
                           "Member must satisfy regular expression pattern:"
                           " ^[a-z0-9-]+$" % wg)
        if wg is not None and wg not in (sec.get("workgroups") or []):
            return json11_error(400, "ResourceNotFoundException",
                                "Workgroup %s not found." % wg,
                                {"resourceName": wg})
        duration = db_duration(body.get("durationSeconds"),
                               "durationSeconds")
        now = fake_now(cfg)
        exp = parse_iso(sec.get("expiration_override")) or \
            now + datetime.timedelta(seconds=duration)
        db_user = iam_db_user(sec, akid, entry)
        password = db_password(sec)
        record_db_credentials(state, {
            "api": "GetCredentials", "workgroup": wg, "db_user": db_user,
            "db_password": password, "db_name": body.get("dbName"),
            "db_groups": [], "expiration": iso(exp), "akid": akid})
        return Response(200, json.dumps({
            "dbPassword": password, "dbUser": db_user,
            "expiration": epoch_s(exp), "nextRefreshTime": epoch_s(exp)}),
            JSON11, [("x-amzn-RequestId", str(uuid.uuid4()))])
    except SigError as e:
        return json11_error(e.status, JSON_AUTH_CODES.get(e.code, e.code),
                            e.message)


# ----------------------------------------------------------------- DSQL

def handle_dsql(state, cfg, req):
    sec = section(cfg, "dsql")
    ident = urllib.parse.unquote(req.raw_path[len("/cluster/"):])
    try:
        if req.method != "GET":
            raise SigError(405, "MethodNotAllowedException",
                           "Only GetCluster is faked")
        verify_call(state, cfg, req, "dsql")
        if not DSQL_CLUSTER_RE.fullmatch(ident):
            return rest_json_error(400, "ValidationException",
                                   "Invalid cluster identifier %s" % ident,
                                   {"reason": "fieldValidationFailed",
                                    "fieldList": [{
                                        "name": "identifier",
                                        "message": "must match "
                                                   "[a-z0-9]{26}"}]})
        cl = (sec.get("clusters") or {}).get(ident)
        if cl is None:
            return rest_json_error(404, "ResourceNotFoundException",
                                   "Cluster not found: %s" % ident,
                                   {"resourceId": ident,
                                    "resourceType": "cluster"})
        region = service_region(cfg, "dsql") or "us-east-1"
        account = cfg.get("account_id", DEFAULT_ACCOUNT)
        out = {
            "identifier": ident,
            "arn": "arn:%s:dsql:%s:%s:cluster/%s" % (
                partition_of(region), region, account, ident),
            "status": "ACTIVE",
            "creationTime": 1735689600.0,
            "deletionProtectionEnabled": False,
            "endpoint": "%s.dsql.%s.on.aws" % (ident, region),
            "encryptionDetails": {"encryptionType": "AWS_OWNED_KMS_KEY",
                                  "encryptionStatus": "ENABLED"},
            "tags": {},
        }
        out.update(cl)
        return json_response(200, out,
                             [("x-amzn-RequestId", str(uuid.uuid4()))])
    except SigError as e:
        return rest_json_error(e.status, JSON_AUTH_CODES.get(e.code, e.code),
                               e.message)


OTHER_HANDLERS = {
    "rds": lambda st, cfg, req: handle_query(st, cfg, req, "rds"),
    "iam": lambda st, cfg, req: handle_query(st, cfg, req, "iam"),
    "redshift": lambda st, cfg, req: handle_query(st, cfg, req, "redshift"),
    "redshift-serverless": handle_serverless,
    "dsql": handle_dsql,
}


# -------------------------------------------------------------- handler

def fault_response(service, f):
    status = int(f.get("status", 500))
    code = f.get("code") or default_code(status)
    msg = f.get("message", "fault injected by fake_aws")
    other = service_error(service, status, code, msg)
    if other is not None:
        return other
    if service == "sts":
        return sts_error(status, code, msg)
    if service == "sso":
        return json_response(status, {"message": msg},
                             [("x-amzn-ErrorType", code)])
    if service == "container":
        return json_response(status, {"code": code, "message": msg})
    return Response(status, "%s: %s\n" % (code, msg))


class Request(object):
    pass


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-aws/1"
    sys_version = ""

    def log_message(self, *args):
        pass

    def version_string(self):
        return self.server_version

    def date_time_string(self, timestamp=None):
        # The Date header follows the fake's clock (clock_offset).
        if timestamp is None:
            timestamp = time.time() + getattr(self, "clock_offset", 0)
        return http.server.BaseHTTPRequestHandler.date_time_string(
            self, timestamp)

    def do_GET(self):
        self.dispatch()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_GET

    # -- helpers
    def read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks = []
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n",
                                                             b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(chunks)
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def send(self, resp, truncate=False, counted=True):
        st = self.server.state
        try:
            self.send_response(resp.status)
            for k, v in resp.headers:
                self.send_header(k, v)
            body = resp.body
            self.send_header("Content-Length",
                             str(len(body) + (64 if truncate else 0)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body[:len(body) // 2] if truncate else body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True
        if truncate:
            self.hangup()
        if counted:
            st.count_status(resp.status)

    def hangup(self, reset=False):
        self.close_connection = True
        try:
            if reset:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.connection.close()
            else:
                self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def classify(self, cfg, method, path, raw_query):
        ct = cfg.get("container") or {}
        if path == "/" and (method == "POST" or "Action=" in raw_query):
            return "sts"
        if path.startswith("/federation/credentials"):
            return "sso"
        if path.startswith("/creds") or (ct.get("path") and
                                         path == ct["path"].split("?")[0]):
            return "container"
        if path.startswith("/latest/"):
            return "imds"
        return "unknown"

    def control(self, path):
        st = self.server.state
        if path == "/_health":
            return Response(200, "ok")
        if path == "/_stats":
            with st.lock:
                return json_response(200, json.loads(json.dumps(st.stats)))
        if path == "/_issued":
            with st.lock:
                out = {}
                for akid, e in st.issued.items():
                    e = dict(e)
                    e["expiration"] = (iso(e["expiration"])
                                       if e["expiration"] else None)
                    out[akid] = e
            return json_response(200, out)
        if path == "/_db_credentials":
            with st.lock:
                try:
                    with open(st.path("db_credentials.json")) as f:
                        return json_response(200, json.load(f))
                except (OSError, ValueError):
                    return json_response(200, [])
        return Response(404, "Not Found\n")

    def dispatch(self):
        st = self.server.state
        self.clock_offset = 0
        raw_path, _, raw_query = self.path.partition("?")
        try:
            body = self.read_body()
        except (OSError, ValueError):
            self.close_connection = True
            return
        if raw_path.startswith("/_"):
            self.send(self.control(raw_path), counted=False)
            return
        req = Request()
        req.method = self.command
        req.raw_path = raw_path
        req.raw_query = raw_query
        req.body = body
        req.header_pairs = list(self.headers.items())
        req.header = lambda n: (self.headers.get(n))
        hdrs = {}
        for k, v in req.header_pairs:
            v = REDACTED if k.lower() in SECRET_HEADERS else v
            hdrs[k] = hdrs[k] + ", " + v if k in hdrs else v
        req.log = log = {"service": None, "method": self.command,
                         "path": raw_path, "query": raw_query, "action": None,
                         "headers": hdrs}
        try:
            cfg = st.config()
        except ValueError as e:
            log["service"] = "error"
            resp = Response(500, "fake_aws: bad config.json: %s\n" % e)
            log["status"] = resp.status
            st.log(log)
            self.send(resp)
            return
        try:
            self.clock_offset = float(cfg.get("clock_offset") or 0)
        except (TypeError, ValueError):
            self.clock_offset = 0
        service = (other_service(self.command, raw_path, self.headers) or
                   self.classify(cfg, self.command, raw_path, raw_query))
        log["service"] = service
        action = None
        if service == "sts":
            params = {}
            ctype = (self.headers.get("Content-Type") or "").lower()
            if raw_query:
                params.update(urllib.parse.parse_qsl(
                    raw_query, keep_blank_values=True))
            if body and ctype.startswith("application/x-www-form-urlencoded"):
                params.update(urllib.parse.parse_qsl(
                    body.decode("utf-8", "replace"), keep_blank_values=True))
            req.params = params
            action = params.get("Action")
            service = QUERY_ACTIONS.get(action, "sts")
            log["service"] = service
            log["action"] = action
            log["params"] = {k: (REDACTED if k in SECRET_PARAMS else v)
                             for k, v in params.items()}
        elif service == "redshift-serverless":
            action = (self.headers.get("X-Amz-Target") or "")[
                len(SERVERLESS_TARGET):]
            log["action"] = action
        elif service == "dsql":
            action = "GetCluster"
            log["action"] = action
        st.count(service, action, raw_path)

        fault = st.take_fault(cfg, service, action, self.command, raw_path)
        mode = fault.get("mode", "status") if fault else None
        if fault:
            log["fault"] = mode
        try:
            if mode == "hang":
                secs = fault.get("seconds", cfg.get("hang_seconds", 30))
                st.stop.wait(float(secs))
            if mode in ("close", "reset"):
                log["status"] = None
                st.log(log)
                self.hangup(reset=(mode == "reset"))
                return
            if mode == "status":
                resp = fault_response(service, fault)
            elif mode in ("malformed", "empty"):
                b = fault.get("body")
                if b is None:
                    b = ("" if mode == "empty" else
                         '\x00<?xml garbage {"AccessKeyId": ]]>\xff\n')
                resp = Response(int(fault.get("status", 200)), b,
                                fault.get("content_type",
                                          "text/xml" if service == "sts" or
                                          service in QUERY_APIS
                                          else "application/json"))
            else:
                resp = self.route(st, cfg, service, req)
        except Exception:
            resp = Response(500, "fake_aws internal error:\n" +
                            traceback.format_exc())
        # Logged before answering: a client that has its answer may count
        # on the line being there.
        log["status"] = resp.status
        st.log(log)
        self.send(resp, truncate=(mode == "truncated"))

    def route(self, st, cfg, service, req):
        if service == "sts":
            return handle_sts(st, cfg, req)
        if service == "sso":
            return handle_sso(st, cfg, req)
        if service == "container":
            return handle_container(st, cfg, req)
        if service == "imds":
            return handle_imds(st, cfg, req)
        if service in OTHER_HANDLERS:
            return OTHER_HANDLERS[service](st, cfg, req)
        return Response(404, "fake_aws: no such endpoint\n")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass    # clients that hang up are expected; stay quiet


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--state", required=True, help="state directory")
    ap.add_argument("--port", type=int, default=0, help="0 = any free port")
    ap.add_argument("--lifetime", type=float, default=120,
                    help="exit after this many seconds (default 120)")
    args = ap.parse_args(argv)

    directory = os.path.abspath(args.state)
    os.makedirs(directory, exist_ok=True)
    port_file = os.path.join(directory, "port")
    try:
        os.unlink(port_file)
    except FileNotFoundError:
        pass
    state = State(directory)
    server = Server(("127.0.0.1", args.port), Handler)
    server.state = state

    def on_signal(signum, frame):
        state.stop.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    t = threading.Thread(target=server.serve_forever,
                         kwargs={"poll_interval": 0.1}, daemon=True)
    t.start()
    atomic_write(port_file, "%d\n" % server.server_address[1])

    deadline = time.monotonic() + args.lifetime
    while not state.stop.is_set():
        left = deadline - time.monotonic()
        if left <= 0 or not os.path.isdir(directory):
            break
        state.stop.wait(min(left, 0.5))
    state.stop.set()        # wakes hanging handlers
    server.shutdown()
    server.server_close()
    try:
        os.unlink(port_file)
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
