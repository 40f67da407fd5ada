#!/usr/bin/env python3
"""Generate config_cases.jsonl: what botocore makes of small shared files.

A DATA GENERATOR only, like gen_services.py: it needs botocore (written
against botocore 1.43.x, the pyenv python3) and is never run at test time.
Each case is a config file, a credentials file and an environment, built
from issue 9's categories; botocore resolves the credentials and the region
from them with every network source off, and its answer is written down:

    python3 tests/vectors/gen_config_cases.py          # rewrites the file
    python3 tests/vectors/gen_config_cases.py --check  # exit 1 if it would change

tests/cli/providers_config_cases.sh (through config_cases.py) runs
`iamdb credentials -v` on every case and compares.  Where iamdb differs on
purpose, the case says so ("iamdb": what iamdb does instead, "why": the
reason, as man/iamdb.1's "Differences from the AWS CLI" gives it).

Keys of a line: id, category (the issue's number), files (path under HOME:
text; "b64:" prefixes a file that is not UTF-8), env (values may hold
@HOME@), profile (as --profile / Session(profile=...), or null), and
botocore: {"credentials": {"akid", "secret", "token"}, "region"} (null
where unset; "credentials": null when botocore found none) or {"error":
exception class, "region": ...}; with roles, "sts": botocore's AssumeRole
calls, answered by a stand-in (_assume_role) instead of STS.  A case that
makes botocore open a connection aborts the run.  The README beside this
file describes every key.
"""
import os
import sys

# botocore opens the files in the locale's encoding: make it UTF-8, as the
# aws CLI's users have it, whatever the generating machine's locale.
if not sys.flags.utf8_mode:
    os.execv(sys.executable, [sys.executable, "-X", "utf8"] + sys.argv)

for _k in list(os.environ):
    if _k.startswith("AWS_"):
        del os.environ[_k]
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import base64  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

import socket  # noqa: E402

import botocore  # noqa: E402
import botocore.credentials  # noqa: E402
import botocore.session  # noqa: E402


class NetworkAttempt(BaseException):
    """A case that made botocore reach for the network: the answer would
    not be botocore's reading of the files alone. Aborts the run."""


def _no_network(*args, **kwargs):
    raise NetworkAttempt(repr(args))


socket.create_connection = _no_network
socket.socket.connect = _no_network

# AssumeRole without STS: each call is written down (the role, the key that
# signs it, its parameters) and answered with a key named for the role, so
# that a chained call shows which role's key signed it.
STS_CALLS = []
ISSUED = {}


def _assume_role(self):
    kw = self._assume_role_kwargs()
    src = self._source_credentials.get_frozen_credentials()
    role = kw["RoleArn"].rsplit("/", 1)[-1]
    call = {"role": role, "signer": ISSUED.get(src.access_key, src.access_key),
            "token": bool(src.token), "session": kw.get("RoleSessionName"),
            "duration": kw.get("DurationSeconds"),
            "external_id": kw.get("ExternalId")}
    if call["session"].startswith("botocore-session-"):
        call["session"] = "botocore-session-*"
    STS_CALLS.append(call)
    akid = "ASIAISSUED%010d" % len(ISSUED)
    ISSUED[akid] = "issued:" + role
    return {"Credentials": {
        "AccessKeyId": akid, "SecretAccessKey": "issuedSecret",
        "SessionToken": "issuedToken", "Expiration": "2099-01-01T00:00:00Z"}}


botocore.credentials.AssumeRoleCredentialFetcher._get_credentials = _assume_role

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "config_cases.jsonl")

K1, S1 = "AKIAEXAMPLE000000001", "secretOne/Example+Key000000000000000001"
K2, S2 = "AKIAEXAMPLE000000002", "secretTwo/Example+Key000000000000000002"
K3, S3 = "AKIAEXAMPLE000000003", "secretThree/Example+Key00000000000000003"
K4, S4 = "AKIAEXAMPLE000000004", "secretFour/Example+Key0000000000000000004"
T1, T2 = "tokenOne", "tokenTwo"

# What iamdb does on purpose where botocore does otherwise (the man page's
# "Differences from the AWS CLI").
WHY_CONTROL = ("a value with a control character is refused when the file "
               "is read; botocore takes it and fails only when a request "
               "would carry it, but iamdb prints credentials for other "
               "programs to send")
WHY_EMPTY_KEY = ("an empty aws_access_key_id or aws_secret_access_key is "
                 "refused; botocore takes it as a key and signs with it")
WHY_AWS_REGION = ("AWS_REGION is read before AWS_DEFAULT_REGION, as the "
                  "other AWS SDKs and the aws CLI v2 read it; botocore "
                  "reads only AWS_DEFAULT_REGION")
WHY_EMPTY_REGION = ("an empty region (AWS_DEFAULT_REGION= or region =) counts as "
                    "unset, as an empty variable does; botocore takes the "
                    "empty name and fails to build an endpoint with it")
WHY_BAD_REGION = ("a region that is not lower-case letters, digits and '-' "
                  "is refused when it is resolved; botocore refuses it only "
                  "when a client is made")
WHY_VERSION = ("credential_process output is read strictly: Version must "
               "be the number 1, values strings, and no key may repeat")

cases = []


def case(cat, config="", credentials="", env=None, profile=None,
         files=None, iamdb=None, why=None):
    f = {}
    if config is not None:
        f["config"] = config
    if credentials is not None:
        f["credentials"] = credentials
    f.update(files or {})
    e = {"AWS_CONFIG_FILE": "@HOME@/config",
         "AWS_SHARED_CREDENTIALS_FILE": "@HOME@/credentials"}
    e.update(env or {})
    c = {"category": cat, "files": f,
         "env": {k: v for k, v in e.items() if v is not None},
         "profile": profile}
    if iamdb is not None:
        c["iamdb"] = iamdb
        c["why"] = why
    cases.append(c)


def keys(k=K1, s=S1, t=None):
    out = "aws_access_key_id = %s\naws_secret_access_key = %s\n" % (k, s)
    if t is not None:
        out += "aws_session_token = %s\n" % t
    return out


def resolve(c):
    home = tempfile.mkdtemp()
    saved = dict(os.environ)
    del STS_CALLS[:]
    try:
        for path, text in c["files"].items():
            full = os.path.join(home, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            if text.startswith("b64:"):
                data = base64.b64decode(text[4:])
            else:
                data = text.encode("utf-8")
            with open(full, "wb") as fh:
                fh.write(data)
        os.environ["HOME"] = home
        for k, v in c["env"].items():
            os.environ[k] = v.replace("@HOME@", home)
        s = botocore.session.Session(profile=c["profile"])
        ans = {}
        try:
            ans["region"] = s.get_config_variable("region")
        except Exception as e:  # noqa: BLE001 -- the answer is the class
            ans["region_error"] = type(e).__name__
        try:
            cr = s.get_credentials()
        except Exception as e:  # noqa: BLE001
            ans["error"] = type(e).__name__
            return ans
        if cr is None:
            ans["credentials"] = None
            return ans
        try:
            f = cr.get_frozen_credentials()
        except Exception as e:  # noqa: BLE001
            ans["error"] = type(e).__name__
            return ans
        if STS_CALLS:
            ans["sts"] = list(STS_CALLS)
            ans["credentials"] = {"akid": ISSUED[f.access_key]}
        else:
            ans["credentials"] = {"akid": f.access_key,
                                  "secret": f.secret_key, "token": f.token}
        return ans
    finally:
        os.environ.clear()
        os.environ.update(saved)
        shutil.rmtree(home)


# --- 1. control characters
for key, line in (("aws_access_key_id", 2), ("aws_secret_access_key", 3)):
    for cont in ("  X-Injected: yes", "\tX: y", " more"):
        body = keys().replace("%s = " % key, "%s = " % key, 1)
        lines = body.splitlines()
        lines.insert(line - 1, cont)
        text = "[default]\n" + "\n".join(lines) + "\n"
        for where in ("config", "credentials"):
            case(1, **{where: text},
                 iamdb={"exit": 3, "stderr": "%s contains a line break" % key},
                 why=WHY_CONTROL)
for where in ("config", "credentials"):
    case(1, **{where: "[default]\n" + keys(t=T1) + "  X-Injected: yes\n"},
         iamdb={"exit": 3, "stderr": "aws_session_token contains a line break"},
         why=WHY_CONTROL)
    for ch in ("\x1b[2J", "\x07", "\x7f"):
        case(1, **{where: "[default]\n" + keys(s="sec" + ch + "ret")},
             iamdb={"exit": 3,
                    "stderr": "aws_secret_access_key contains a control character"},
             why=WHY_CONTROL)
case(1, config="[default]\n" + keys() + "region = us-east-1\n  x\n",
     iamdb={"exit": 3, "stderr": "region contains a line break"},
     why=WHY_CONTROL)
case(1, config="[default]\ncredential_process = echo\n  '{\"Version\": 1, "
     "\"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\"}'\n" % (K1, S1))

# --- 2. duplicates
for where in ("config", "credentials"):
    case(2, **{where: "[default]\n" + keys() + "[default]\nregion = eu-west-1\n"})
    case(2, **{where: "[default]\n" + keys() + "aws_access_key_id = %s\n" % K2})
    case(2, **{where: "[default]\n" + keys() + "AWS_ACCESS_KEY_ID = %s\n" % K2})
    case(2, **{where: "[default]\n" + keys() + "region = a\nRegion = b\n"})
    case(2, **{where: "[default]\n" + keys() + "[other]\nx = 1\nx=2\n"})
    case(2, **{where: "[default]\n" + keys() + "[a]\n[a]\n"})
    case(2, **{where: "[default]\n" + keys() + "[profile a]\n[profile  a]\n"})
    case(2, **{where: "[default]\n" + keys() + "[a]\nk = 1\n[b]\nk = 1\n"})
case(2, config="[default]\nregion = eu-west-1\n",
     credentials="[default]\n" + keys() + "region = us-west-2\n")
case(2, config="[default]\n" + keys(K2, S2), credentials="[default]\n" + keys())

# --- 3. nested blocks
for body in ("s3 =\n  foo\n", "s3 =\n  a: b\n", "s3 =\n  addressing_style = path\n",
             "s3 =\n  addressing_style = path\n  bad\n", "s3 =\n\n  a = b\n",
             "s3 = x\n  foo\n", "s3 =\n  a = b\n  c = d\n",
             "s3=\n  a=b\n  [x]\n"):
    case(3, config="[default]\n" + keys() + body + "region = us-east-2\n")
    case(3, config="[default]\n" + body + keys() + "region = us-east-2\n")

# --- 4. encoding
for ws in ("\u00a0", "\u2003", "\u3000", "\u205f", "\x1c", "\x1f", "\x85",
           "\x0b", "\x0c", "\u2028", " \t "):
    case(4, config="[default]\nregion = eu-west-1" + ws + "\n" + keys())
    case(4, credentials="[default]\naws_access_key_id = " + ws + K1 + ws +
         "\naws_secret_access_key = " + S1 + "\n")
for raw in (b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\xaf",
            b"\xf8\x88\x80\x80\x80"):
    for where in ("config", "credentials"):
        body = b"[default]\n" + keys().encode() + b"# caf" + raw + b"\n"
        case(4, files={where: "b64:" + base64.b64encode(body).decode()},
             **{where: None})
for where in ("config", "credentials"):
    case(4, **{where: "\ufeff[default]\n" + keys()})
    case(4, **{where: "[default]\n" + keys() + "note = caf\u00e9 \u2603\n"})
case(4, config="[default]\nregion = \u00e9u-west-1\n" + keys(),
     iamdb={"exit": 3, "stderr": "invalid region"}, why=WHY_BAD_REGION)
case(4, config="[default]\n\u00a0region = eu-west-1\n" + keys())

# --- 5. line ends
for nl in ("\r", "\r\n", "\n\r"):
    for where in ("config", "credentials"):
        text = ("[default]\n" + keys() + "region = eu-north-1\n").replace("\n", nl)
        case(5, **{where: text})
case(5, config="[default]\r\n" + keys() + "region = eu-north-1\r")
case(5, config="[default]\n" + keys() + "s3 =\n  a = b\n\n  c = d\nregion = sa-east-1\n")
case(5, config="[default]\ncredential_process = echo\n\n  '{\"Version\": 1, "
     "\"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\"}'\n" % (K1, S1))
case(5, config="[default]\n" + keys() + "region = eu-north-1")
case(5, config="[default]\r\n\r\n" + keys().replace("\n", "\r\n"))

# --- 6. section headers
for hdr in ("[ default ]", "[default ]", "[ default]", "[profile default]",
            "[ profile default ]", "[profile  default]", "[profile\tdefault]",
            "[profile \"default\"]", "[profile 'default']", "[Default]",
            "[default] # c", "[default];c", "[[default]]", "[default]]"):
    case(6, config=hdr + "\n" + keys() + "region = ca-central-1\n")
    case(6, credentials=hdr + "\n" + keys())
for hdr, prof in (("[profile x y]", "x y"), ("[profile \"x y\"]", "x y"),
                  ("[profile 'x y']", "x y"), ("[profile x\\ y]", "x y"),
                  ("[profile \"x\"]", "x"), ("[profile x]", "x"),
                  ("[ profile x ]", "x"), ("[profile  x ]", "x"),
                  ("[profile x ]", "x"), ("[profilex]", "profilex"),
                  ("[x]", "x"), ("[profile \"unclosed]", "\"unclosed"),
                  ("[profile a\"b\"c]", "abc"), ("[profile x]", "profile x")):
    case(6, config=hdr + "\n" + keys() + "region = ap-south-1\n", profile=prof)
    case(6, credentials=hdr + "\n" + keys(), profile=prof)

# --- 7. [DEFAULT]
for where in ("config", "credentials"):
    case(7, **{where: "[DEFAULT]\nregion = eu-west-3\n[default]\n" + keys()})
    case(7, **{where: "[DEFAULT]\n" + keys() + "[default]\n"})
    case(7, **{where: "[DEFAULT]\n" + keys() + "[default]\naws_access_key_id = %s\n" % K2})
    case(7, **{where: "[DEFAULT]\n" + keys() + "[profile p]\n[p]\n"}, profile="p")
    case(7, **{where: "[DEFAULT]\n" + keys()})
    case(7, **{where: "[DEFAULT]\n" + keys()}, profile="nosuch")
    case(7, **{where: "[default]\n[DEFAULT]\naws_secret_access_key = %s\n"
               "[x]\naws_access_key_id = %s\n" % (S2, K2)}, profile="x")
case(7, config="[DEFAULT]\n" + keys(), credentials="[default]\naws_access_key_id = %s\n" % K2)
case(7, config="[DEFAULT]\nregion = eu-west-3\n[profile p]\n",
     credentials="[p]\n" + keys(), profile="p")

# --- 8. [default] and [profile default]
for order in ((0, 1), (1, 0)):
    parts = ["[default]\n" + keys(K1, S1) + "region = us-east-1\n",
             "[profile default]\naws_access_key_id = %s\n" % K2]
    case(8, config=parts[order[0]] + parts[order[1]])
    parts = ["[default]\nregion = us-east-1\n",
             "[profile default]\n" + keys(K2, S2)]
    case(8, config=parts[order[0]] + parts[order[1]])
    case(8, config=parts[order[0]] + parts[order[1]], profile="default")
    case(8, config=parts[order[0]] + parts[order[1]],
         env={"AWS_PROFILE": "default"})
case(8, config="[profile default]\n" + keys(K2, S2))
case(8, config="[profile default]\nregion = us-east-1\n",
     credentials="[default]\n" + keys())

# --- 9. session token keys
for where in ("config", "credentials"):
    for toks in (("aws_session_token", T1), ("aws_security_token", T2),
                 ("aws_session_token", T1, "aws_security_token", T2),
                 ("aws_security_token", T2, "aws_session_token", T1),
                 ("aws_security_token", "", "aws_session_token", T1),
                 ("aws_session_token", "", "aws_security_token", T2),
                 ("aws_session_token", "")):
        extra = "".join("%s = %s\n" % (toks[i], toks[i + 1])
                        for i in range(0, len(toks), 2))
        case(9, **{where: "[default]\n" + keys() + extra})
for envs in ({"AWS_SESSION_TOKEN": T1}, {"AWS_SECURITY_TOKEN": T2},
             {"AWS_SESSION_TOKEN": T1, "AWS_SECURITY_TOKEN": T2},
             {"AWS_SESSION_TOKEN": "", "AWS_SECURITY_TOKEN": T2}):
    e = {"AWS_ACCESS_KEY_ID": K3, "AWS_SECRET_ACCESS_KEY": S3}
    e.update(envs)
    case(9, env=e)

# --- 10. static keys split across the files (the role half is in
# providers_config.sh: it needs STS)
case(10, config="[default]\naws_secret_access_key = %s\n" % S2,
     credentials="[default]\naws_access_key_id = %s\n" % K1)
case(10, config="[default]\naws_access_key_id = %s\n" % K2,
     credentials="[default]\naws_secret_access_key = %s\n" % S1)
case(10, config="[default]\n" + keys(K2, S2),
     credentials="[default]\naws_secret_access_key = %s\n" % S1)
case(10, config="[default]\n" + keys(K2, S2, T2),
     credentials="[default]\n" + keys())
case(10, config="[default]\naws_session_token = %s\n" % T2,
     credentials="[default]\n" + keys())
case(10, config="[profile p]\n" + keys(K2, S2),
     credentials="[p]\naws_access_key_id = %s\n" % K1, profile="p")
case(10, config="[profile p]\ncredential_process = echo '{\"Version\": 1, "
     "\"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\"}'\n" % (K3, S3) + keys(K2, S2),
     credentials="", profile="p")
case(10, config="[profile p]\ncredential_process = echo '{\"Version\": 1, "
     "\"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\"}'\n" % (K3, S3),
     credentials="[p]\n" + keys(), profile="p")

# --- 11. paths
for cfg in ("$D/c", "${D}/c", "~/d/c", "$D/../d/c", "${D}${N}", "~", "$UNSET/c",
            "@HOME@/d/c", "$D//c"):
    env = {"AWS_CONFIG_FILE": cfg, "D": "@HOME@/d", "N": "/c"}
    case(11, config=None, credentials=None,
         files={"d/c": "[default]\n" + keys() + "region = me-south-1\n"}, env=env)
    env = {"AWS_SHARED_CREDENTIALS_FILE": cfg, "D": "@HOME@/d", "N": "/c"}
    case(11, config=None, credentials=None,
         files={"d/c": "[default]\n" + keys()}, env=env)
case(11, config=None, credentials=None,
     files={".aws/config": "[default]\nregion = il-central-1\n",
            ".aws/credentials": "[default]\n" + keys()},
     env={"AWS_CONFIG_FILE": None, "AWS_SHARED_CREDENTIALS_FILE": None})
case(11, config=None, credentials=None, files={"d/c/x": ""},
     env={"AWS_CONFIG_FILE": "@HOME@/d/c", "AWS_ACCESS_KEY_ID": K1,
          "AWS_SECRET_ACCESS_KEY": S1})

# --- 12. credential_process output
def proc(obj):
    return "[default]\ncredential_process = echo '%s'\n" % obj


base = '"AccessKeyId": "%s", "SecretAccessKey": "%s"' % (K1, S1)
for exp in ("2099-01-01T00:00:00Z", "20990101T000000Z", "2099-01-01T00:00:00+00:00",
            "2099-01-01T00:00:00.123Z", "20990101T000000+0000"):
    case(12, config=proc('{"Version": 1, %s, "SessionToken": "t", "Expiration": "%s"}'
                         % (base, exp)))
for obj, refusal in (('{"Version": 1, %s}' % base, None),
                     ('{"Version": 2, %s}' % base, None),
                     ('{%s}' % base, None),
                     ('{"Version": true, %s}' % base, "Version must be 1"),
                     ('{"Version": 1.0, %s}' % base, "Version must be 1"),
                     ('{"Version": 1, %s, "AccessKeyId": "%s"}' % (base, K2),
                      "duplicate object key"),
                     ('{"Version": 1, "AccessKeyId": 123, "SecretAccessKey": "%s"}' % S1,
                      "no AccessKeyId and SecretAccessKey"),
                     ('{"Version": 1, "AccessKeyId": "%s"}' % K1, None),
                     ('{"Version": 1, %s, "SessionToken": null}' % base, None),
                     ('[1]', None), ('not json', None)):
    if refusal is None:
        case(12, config=proc(obj))
    else:
        case(12, config=proc(obj), iamdb={"exit": 4, "stderr": refusal},
             why=WHY_VERSION)

# --- 13. empty settings, and the environment's
for where in ("config", "credentials"):
    case(13, **{where: "[default]\naws_access_key_id =\naws_secret_access_key = %s\n" % S1},
         iamdb={"exit": 3, "stderr": "aws_access_key_id is empty"}, why=WHY_EMPTY_KEY)
    case(13, **{where: "[default]\naws_access_key_id = %s\naws_secret_access_key =\n" % K1},
         iamdb={"exit": 3, "stderr": "aws_secret_access_key is empty"}, why=WHY_EMPTY_KEY)
    case(13, **{where: "[default]\n" + keys() + "aws_session_token =\n"})
case(13, config="[default]\nregion =\n" + keys(),
     iamdb={"region": None}, why=WHY_EMPTY_REGION)
case(13, config="[default]\nregion =\n" + keys(), env={"AWS_DEFAULT_REGION": "us-west-1"})
case(13, config="[default]\nregion = eu-west-2\n" + keys(), env={"AWS_DEFAULT_REGION": ""},
     iamdb={"region": "eu-west-2"}, why=WHY_EMPTY_REGION)
case(13, config="[default]\nregion = eu-west-2\n" + keys(), env={"AWS_DEFAULT_REGION": "us-west-1"})
case(13, config="[default]\nregion = eu-west-2\n" + keys(), env={"AWS_REGION": "us-west-1"},
     iamdb={"region": "us-west-1"}, why=WHY_AWS_REGION)
case(13, config="[default]\n" + keys(), env={"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": S2})
case(13, config="[default]\n" + keys(), env={"AWS_ACCESS_KEY_ID": K2})
case(13, config="[default]\n" + keys(), env={"AWS_ACCESS_KEY_ID": K2, "AWS_SECRET_ACCESS_KEY": ""})
case(13, config="[default]\n" + keys(), env={"AWS_ACCESS_KEY_ID": K2, "AWS_SECRET_ACCESS_KEY": S2})
case(13, config="[default]\n" + keys(), env={"AWS_ACCESS_KEY_ID": K2, "AWS_SECRET_ACCESS_KEY": S2},
     profile="default")
case(13, config="[profile p]\n" + keys(K2, S2), credentials="[default]\n" + keys(),
     env={"AWS_PROFILE": "p"})
case(13, config="[profile p]\n" + keys(K2, S2), credentials="[default]\n" + keys(),
     env={"AWS_DEFAULT_PROFILE": "p"})
case(13, config="[profile p]\n" + keys(K2, S2), credentials="[default]\n" + keys(),
     env={"AWS_PROFILE": "", "AWS_DEFAULT_PROFILE": "p"})
case(13, config="[profile p]\n" + keys(K2, S2), credentials="[default]\n" + keys(),
     env={"AWS_PROFILE": "nosuch"})
case(13, config="", credentials="")
case(13, config="[default]\n", credentials="[default]\n")

# --- the sources the issue's side-by-side run did not reach ("d"), where
# botocore answers without the network: instance metadata settings (read
# before any source, so a bad one fails the chain even with keys at hand),
# web identity and SSO configurations that are incomplete.
WHY_EMPTY_IMDS = ("an empty instance metadata setting counts as unset; "
                  "botocore refuses an empty mode or number")
WHY_IMDS_RANGE = ("metadata_service_timeout must be 1 to 600 seconds and "
                  "metadata_service_num_attempts 1 to 10; botocore takes "
                  "any integer, 0 or negative too")
ENV_KEYS = {"AWS_ACCESS_KEY_ID": K3, "AWS_SECRET_ACCESS_KEY": S3}
for key, var, vals in (
        ("ec2_metadata_service_endpoint_mode",
         "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
         ("ipv5", "IPv6", "ipv4", "IPV6", "v6", "")),
        ("metadata_service_timeout", "AWS_METADATA_SERVICE_TIMEOUT",
         ("x", "1.5", "5", "0", "-1", "")),
        ("metadata_service_num_attempts", "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
         ("x", "3", "1.0", "0", "")),
        ("ec2_metadata_service_endpoint", "AWS_EC2_METADATA_SERVICE_ENDPOINT",
         ("not a url", "http://[fd00:ec2::254]", "http://169.254.169.254/",
          "")),
        ("imds_use_ipv6", "AWS_IMDS_USE_IPV6", ("yes", "true")),
        ("ec2_metadata_v1_disabled", "AWS_EC2_METADATA_V1_DISABLED", ("x",))):
    for v in vals:
        # Three ways: the profile's key with the profile's keys, with the
        # environment's keys, and the variable with the profile's keys.
        for where in ("profile", "env keys", "variable"):
            if where == "variable":
                cfg, env = "[default]\n" + keys(), {var: v}
            else:
                cfg = "[default]\n%s = %s\n" % (key, v)
                cfg += keys() if where == "profile" else ""
                env = ENV_KEYS if where == "env keys" else {}
            why = iamdb = None
            if v == "" and key != "ec2_metadata_service_endpoint":
                k, sec = (K3, S3) if where == "env keys" else (K1, S1)
                why = WHY_EMPTY_IMDS
                iamdb = {"credentials": {"akid": k, "secret": sec,
                                         "token": None}, "region": None}
            elif v in ("0", "-1"):
                why = WHY_IMDS_RANGE
                iamdb = {"exit": 3, "stderr": "is not a whole number from 1 to"}
            case("d", config=cfg, env=env, iamdb=iamdb, why=why)

case("d", config="[default]\n" + keys(),
     files={"tok": "eyJhbGciOi.token.sig"},
     env={"AWS_WEB_IDENTITY_TOKEN_FILE": "@HOME@/tok"})
case("d", config="[default]\nweb_identity_token_file = @HOME@/tok\n",
     files={"tok": "eyJhbGciOi.token.sig"})
case("d", config="[default]\n" + keys(), env={"AWS_WEB_IDENTITY_TOKEN_FILE": ""})
case("d", config="[default]\n" + keys(),
     env={"AWS_WEB_IDENTITY_TOKEN_FILE": "@HOME@/tok", "AWS_ROLE_ARN": ""},
     files={"tok": "eyJhbGciOi.token.sig"})
case("d", config="[profile p]\n" + keys(), profile="p",
     env={"AWS_WEB_IDENTITY_TOKEN_FILE": "@HOME@/tok",
          "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/w"},
     files={"tok": "eyJhbGciOi.token.sig"})
SSO = ("sso_start_url = https://example.awsapps.com/start\n"
       "sso_region = us-east-1\n")
for prof in ("sso_account_id = 123456789012\n",
             "sso_role_name = r\n",
             "sso_account_id = 123456789012\nsso_role_name = r\n",
             SSO + "sso_account_id = 123456789012\n",
             SSO + "sso_account_id = 123456789012\nsso_role_name = r\n",
             "sso_session = s\nsso_account_id = 123456789012\nsso_role_name = r\n",
             "sso_session = nosuch\nsso_account_id = 123456789012\nsso_role_name = r\n",
             "sso_session = s\nsso_region = eu-west-1\n"
             "sso_account_id = 123456789012\nsso_role_name = r\n",
             "sso_session = s\nsso_region = us-east-1\n"
             "sso_account_id = 123456789012\nsso_role_name = r\n",
             "sso_start_url = https://example.awsapps.com/start\n" + keys()):
    case("d", config="[default]\n" + prof + keys(K2, S2) +
         "[sso-session s]\n" + SSO)
    case("d", config="[default]\n" + prof + "[sso-session s]\n" + SSO,
         credentials="[default]\n" + keys())


# --- 10 and 13 with roles: which key signs AssumeRole, and with what.
# tests/cli/providers_config_cases.sh answers iamdb's calls with the
# loopback fake STS.
WHY_SESSION = ("the default session name is iamdb-<epoch>, botocore's "
               "botocore-session-<epoch>: each SDK names its sessions after "
               "itself")
WHY_DURATION = ("a duration_seconds that is not an integer is refused; "
                "botocore ignores it and asks for the default hour")
ROLE = "arn:aws:iam::123456789012:role/"


def role_case(cat, config="", credentials="", env=None, profile="r",
              iamdb=None, why=None):
    if iamdb is None and "role_session_name = mine" not in config:
        iamdb, why = {"session": "iamdb-*"}, WHY_SESSION
    case(cat, config=config, credentials=credentials, env=env,
         profile=profile, iamdb=iamdb, why=why)
    # The long-term keys the fake STS is to know.
    cases[-1]["sts_keys"] = {K1: S1, K2: S2, K3: S3, K4: S4}
    cases[-1]["sts_tokens"] = {K4: T1}


R = "[profile r]\nrole_arn = %sr\nsource_profile = s\n" % ROLE
for cfg, cred in (
        ("", "[s]\n" + keys()),
        ("[profile s]\n" + keys(K2, S2), ""),
        ("[profile s]\n" + keys(K2, S2), "[s]\n" + keys()),
        ("[profile s]\naws_secret_access_key = %s\n" % S2,
         "[s]\naws_access_key_id = %s\n" % K1),
        ("[profile s]\n" + keys(K2, S2), "[s]\naws_secret_access_key = %s\n" % S1),
        ("[profile s]\n" + keys(K2, S2), "[s]\naws_access_key_id = %s\n" % K1),
        ("[profile s]\ncredential_process = echo '{\"Version\": 1, "
         "\"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\"}'\n" % (K3, S3)
         + keys(K2, S2), ""),
        ("[profile s]\ncredential_process = echo '{\"Version\": 1, "
         "\"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\"}'\n" % (K3, S3),
         "[s]\n" + keys()),
        ("[profile s]\nrole_arn = %sr2\nsource_profile = t\n[profile t]\n" % ROLE
         + keys(K2, S2), ""),
        ("[profile s]\nrole_arn = %sr2\n" % ROLE + keys(K2, S2), ""),
        ("[profile s]\nrole_arn = %sr2\naws_secret_access_key = %s\n" % (ROLE, S2), ""),
        ("[profile s]\nrole_arn = %sr2\nsource_profile = s\n" % ROLE + keys(K2, S2), ""),
        ("[profile s]\nrole_arn = %sr2\nsource_profile = s\n" % ROLE, ""),
        ("[profile s]\nrole_arn = %sr2\nsource_profile = r\n" % ROLE, "[r]\n" + keys()),
        ("[profile s]\nrole_arn = %sr2\nsource_profile = t\n[profile t]\n"
         "role_arn = %st\ncredential_source = Environment\n" % (ROLE, ROLE), ""),
        ("", ""),
        ("[profile s]\n", ""),
        ("[profile s]\nregion = eu-west-1\n", "[s]\n" + keys(K4, S4, T1)),
        ("[DEFAULT]\n" + keys(K2, S2) + "[profile s]\n", ""),
        ("[default]\n" + keys(K2, S2), "")):
    role_case(10, config=R + cfg, credentials=cred)
    role_case(10, config=R + cfg, credentials=cred,
              env={"AWS_ACCESS_KEY_ID": K3, "AWS_SECRET_ACCESS_KEY": S3})
role_case(10, config="[profile r]\nrole_arn = %sr\n" % ROLE + keys())
role_case(10, config="[profile r]\nrole_arn = %sr\nsource_profile = r\n" % ROLE + keys())
role_case(10, config="[profile r]\nrole_arn = %sr\nsource_profile = s\n"
          "credential_source = Environment\n[profile s]\n" % ROLE + keys())
for src, env in (("Environment", {"AWS_ACCESS_KEY_ID": K3, "AWS_SECRET_ACCESS_KEY": S3}),
                 ("Environment", {}), ("Environment", {"AWS_ACCESS_KEY_ID": K3}),
                 ("environment", {"AWS_ACCESS_KEY_ID": K3, "AWS_SECRET_ACCESS_KEY": S3}),
                 ("Nosuch", {})):
    role_case(10, config="[profile r]\nrole_arn = %sr\ncredential_source = %s\n"
              % (ROLE, src), env=env)
S = "[profile s]\n" + keys()
for extra, iamdb, why in (
        ("role_session_name = mine\n", None, None),
        ("role_session_name =\n", None, None),
        ("duration_seconds = 1800\n", None, None),
        ("duration_seconds = 1h\n", {"exit": 3, "stderr": "duration_seconds '1h'"},
         WHY_DURATION),
        ("duration_seconds = 1800.0\n", {"exit": 3, "stderr": "duration_seconds"},
         WHY_DURATION),
        ("duration_seconds = \n", {"exit": 3, "stderr": "duration_seconds is empty"},
         WHY_DURATION),
        ("external_id = ext-1\n", None, None),
        ("external_id =\n", {"exit": 3, "stderr": "external_id is empty"},
         "an empty external_id is refused; botocore sends it"),
        ("role_arn = %sr2\n" % ROLE, None, None)):
    role_case(13, config=R + extra + S if "role_arn" not in extra else
              "[profile r]\nsource_profile = s\n" + extra + S,
              iamdb=iamdb, why=why)
role_case(13, config="[profile r]\nrole_arn =\nsource_profile = s\n" + S,
          iamdb={"exit": 3, "stderr": "role_arn is empty"},
          why="an empty role_arn is refused; botocore sends it")


def main():
    lines = []
    for i, c in enumerate(cases, 1):
        c = dict(c, id=i, botocore=resolve(c))
        lines.append(json.dumps(c, sort_keys=True, ensure_ascii=True) + "\n")
    text = "".join(lines)
    if "--check" in sys.argv[1:]:
        with open(OUT, encoding="utf-8") as fh:
            sys.exit(0 if fh.read() == text else 1)
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write(text)
    print("%d cases, botocore %s" % (len(lines), botocore.__version__))


if __name__ == "__main__":
    main()
