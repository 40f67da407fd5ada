#!/usr/bin/env python3
"""A fake local secrets endpoint on 127.0.0.1: what `iamdb serve` must
answer, on one port, to both kinds of client.

Usage: python3 fake_secrets.py --state DIR --keys FILE --token-file FILE
                               [--region R] [--port 0] [--lifetime 120]

Secrets are DIR/secrets.json, read at every request: {"NAME":
{"SecretString": "...", "ARN"?, "VersionId"?, "CreatedDate"? (epoch s)}}.
A secret is found by NAME or by its ARN (default
arn:aws:secretsmanager:REGION:123456789012:secret:NAME-AbCdEf).

1. The Secrets Manager API, as an AWS SDK pointed at it sends it
   (endpoint_url= / AWS_ENDPOINT_URL_SECRETS_MANAGER): POST / with
   X-Amz-Target: secretsmanager.GetSecretValue, Content-Type
   application/x-amz-json-1.1, body {"SecretId", "VersionId"?,
   "VersionStage"?}, SigV4-signed (service secretsmanager; region --region
   if given) with a key in the keys file (INI, as iamdb verify --keys).
   200: {"ARN", "Name", "VersionId", "SecretString", "VersionStages":
   ["AWSCURRENT"], "CreatedDate": epoch seconds (a number)}. Errors are
   the JSON protocol's: 400 {"__type", "Message"} with x-amzn-ErrorType:
   ResourceNotFoundException, InvalidRequestException,
   InvalidParameterException, UnknownOperationException, and for the
   signature InvalidSignatureException, UnrecognizedClientException,
   IncompleteSignatureException, MissingAuthenticationTokenException,
   ExpiredTokenException.
2. The AWS Secrets Manager Agent's API (aws/aws-secretsmanager-agent,
   src/server.rs and parse.rs), which the AWS Parameters and Secrets
   Lambda Extension also speaks:
     GET /ping                                  200 "healthy", no token
     GET /secretsmanager/get?secretId=ID[&versionId=&versionStage=
         &refreshNow=]                          (query decoded)
     GET /v1/ID[?versionId=&versionStage=&refreshNow=]  (ID as sent, not
                                                 decoded)
   each with X-Aws-Parameters-Secrets-Token or X-Vault-Token equal to the
   token file's contents (trimmed). 200: the GetSecretValue JSON with
   "CreatedDate" as a string of epoch seconds with fraction, no
   Content-Type. Otherwise, in this order, plain-text bodies:
   400 "Forwarded" (X-Forwarded-For sent), 403 "Bad Token", 405 "Not
   allowed" (not GET), 404 "Not found", 400 "unknown parameter: P",
   400 "missing parameter secretId", 400 "missing secret ID",
   400 "invalid refreshNow value"; an unknown secret is 400
   {"__type":"ResourceNotFoundException","message":"Secrets Manager
   can't find the specified secret."}.

DIR/requests.log: one JSON line per request: api (sdk, agent, ping),
method, path (no query), secret, status, error, akid. Never a token, a
signature or a secret value.
"""

import datetime
import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fake_aws   # noqa: E402  (its SigV4 header verifier)
import loopback   # noqa: E402

ACCOUNT = "123456789012"
TARGET = "secretsmanager.GetSecretValue"
NOT_FOUND = "Secrets Manager can't find the specified secret."
SIG_TYPES = {
    "SignatureDoesNotMatch": "InvalidSignatureException",
    "InvalidClientTokenId": "UnrecognizedClientException",
    "IncompleteSignature": "IncompleteSignatureException",
    "MissingAuthenticationToken": "MissingAuthenticationTokenException",
    "ExpiredToken": "ExpiredTokenException",
}
AGENT_PARAMS = ("versionId", "versionStage", "refreshNow")


class NotFound(Exception):
    pass


class Secrets(loopback.State):
    def secret(self, ident, region, stage=None, version=None):
        """The GetSecretValue fields for ident (a name or an ARN)."""
        try:
            with open(self.path("secrets.json")) as f:
                table = json.load(f)
        except FileNotFoundError:
            table = {}
        for name, s in table.items():
            arn = s.get("ARN") or "arn:aws:secretsmanager:%s:%s:secret:%s-" \
                "AbCdEf" % (region, ACCOUNT, name)
            if ident not in (name, arn):
                continue
            vid = s.get("VersionId") or "00000000-0000-4000-8000-000000000001"
            if stage not in (None, "AWSCURRENT") or version not in (None, vid):
                raise NotFound(ident)
            return {"ARN": arn, "Name": name, "VersionId": vid,
                    "SecretString": s.get("SecretString", ""),
                    "VersionStages": ["AWSCURRENT"],
                    "CreatedDate": float(s.get("CreatedDate", 1704067200))}
        raise NotFound(ident)


class Handler(loopback.Handler):
    server_version = "fake-secrets/1"

    def done(self, entry, status, body, ctype=None, headers=()):
        entry["status"] = status
        self.state.log(entry)
        if ctype is None:       # the agent sets no Content-Type
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body.encode())
            return
        self.send(status, body, ctype, headers)

    def do_POST(self):
        if self.path == "/" and self.headers.get("X-Amz-Target"):
            return self.sdk()
        self.agent()

    # -- the Secrets Manager Agent's API
    def agent(self):
        st = self.state
        u = urllib.parse.urlsplit(self.path)
        entry = {"api": "agent", "method": self.command, "path": u.path,
                 "secret": None, "error": None, "akid": None}
        # The agent's order: forwarding and token (not for /ping), method,
        # then the path.
        if u.path != "/ping":
            if "X-Forwarded-For" in self.headers:
                entry["error"] = "Forwarded"
                return self.done(entry, 400, "Forwarded")
            try:
                with open(st.token_file) as f:
                    token = f.read().strip()
            except OSError:
                token = None
            sent = [self.headers.get(h) for h in (
                "X-Aws-Parameters-Secrets-Token", "X-Vault-Token")]
            if not token or token not in sent:
                entry["error"] = "Bad Token"
                return self.done(entry, 403, "Bad Token")
        if self.command != "GET":
            entry["error"] = "Not allowed"
            return self.done(entry, 405, "Not allowed")
        if u.path == "/ping":
            entry["api"] = "ping"
            return self.done(entry, 200, "healthy")
        q = {}
        if u.path == "/secretsmanager/get":
            allowed = ("secretId",) + AGENT_PARAMS
        elif u.path.startswith("/v1/"):
            allowed = AGENT_PARAMS
            q["secretId"] = u.path[len("/v1/"):]
        else:
            entry["error"] = "Not found"
            return self.done(entry, 404, "Not found")
        for k, v in urllib.parse.parse_qsl(u.query, keep_blank_values=True):
            if k not in allowed:
                entry["error"] = "unknown parameter"
                return self.done(entry, 400, "unknown parameter: %s" % k)
            q[k] = v
        if not q.get("secretId"):
            entry["error"] = "missing"
            return self.done(entry, 400, "missing parameter secretId"
                             if u.path == "/secretsmanager/get"
                             else "missing secret ID")
        if q.get("refreshNow", "false").lower() not in ("true", "1", "false",
                                                         "0"):
            entry["error"] = "refreshNow"
            return self.done(entry, 400, "invalid refreshNow value")
        entry["secret"] = q["secretId"]
        try:
            s = st.secret(q["secretId"], st.region or "us-east-1",
                          q.get("versionStage"), q.get("versionId"))
        except NotFound:
            entry["error"] = "ResourceNotFoundException"
            return self.done(entry, 400, json.dumps(
                {"__type": "ResourceNotFoundException",
                 "message": NOT_FOUND}, separators=(",", ":")))
        s["CreatedDate"] = "%.3f" % s["CreatedDate"]
        self.done(entry, 200, json.dumps(s, separators=(",", ":")))

    do_GET = do_PUT = do_DELETE = do_PATCH = do_HEAD = agent

    # -- the Secrets Manager API, JSON 1.1, SigV4
    def sdk(self):
        st = self.state
        entry = {"api": "sdk", "method": "POST", "path": "/", "secret": None,
                 "error": None, "akid": None}

        def fail(etype, message):
            entry["error"] = etype
            self.done(entry, 400, json.dumps({"__type": etype,
                                              "Message": message}),
                      "application/x-amz-json-1.1",
                      [("x-amzn-ErrorType", etype)])
        body = self.read_body()
        if body is None:
            return fail("InvalidRequestException", "request too large")
        keys = loopback.load_keys(st.keys)

        def lookup(akid):
            k = keys.get(akid)
            return k and {"secret": k[0], "token": k[1], "expiration": None}
        try:
            akid, _ = fake_aws.sigv4_verify(
                "POST", "/", "", list(self.headers.items()), body, lookup,
                "secretsmanager", st.region)
        except fake_aws.SigError as e:
            return fail(SIG_TYPES.get(e.code, e.code), e.message)
        entry["akid"] = akid
        if self.headers.get("X-Amz-Target") != TARGET:
            return fail("UnknownOperationException", "")
        if (self.headers.get("Content-Type") or "").split(";")[0] != \
                "application/x-amz-json-1.1":
            return fail("InvalidRequestException",
                        "Content-Type is not application/x-amz-json-1.1")
        try:
            req = json.loads(body)
            ident = req["SecretId"]
            if not isinstance(ident, str) or not 1 <= len(ident) <= 2048:
                raise ValueError
        except (ValueError, KeyError, TypeError):
            return fail("InvalidParameterException",
                        "SecretId is required, 1 to 2048 characters")
        entry["secret"] = ident
        region = st.region or "us-east-1"
        try:
            s = st.secret(ident, region, req.get("VersionStage"),
                          req.get("VersionId"))
        except NotFound:
            return fail("ResourceNotFoundException", NOT_FOUND)
        self.done(entry, 200, json.dumps(s), "application/x-amz-json-1.1")


def main(argv=None):
    def add(ap):
        ap.add_argument("--keys", required=True)
        ap.add_argument("--token-file", required=True)
        ap.add_argument("--region")
    args = loopback.arguments(__doc__.splitlines()[0], add, argv)
    state = Secrets(os.path.abspath(args.state))
    state.keys = os.path.abspath(args.keys)
    state.token_file = os.path.abspath(args.token_file)
    state.region = args.region
    loopback.load_keys(state.keys)      # a broken keys file fails at start
    return loopback.serve(Handler, args, state)


if __name__ == "__main__":
    sys.exit(main())
