"""Runs `iamdb credentials -v` on every case of tests/vectors/config_cases.jsonl
(gen_config_cases.py: botocore's answers) in a fresh HOME and requires
botocore's access key, secret, session token and region, its refusal, or,
where the case marks a deliberate difference, what the man page says iamdb
does instead. Cases with roles go to the loopback fake STS at $FAKE (state
in $FAKE_DIR), and iamdb's AssumeRole calls must be botocore's: the role,
the key that signs (a long-term key or the key a role was issued), whether
a session token is sent, the session name, DurationSeconds, ExternalId.
Prints TAP."""
import base64
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

iamdb = os.environ["IAMDB"]
cases = os.path.join(os.environ["TESTS_DIR"], "vectors", "config_cases.jsonl")
REGION = re.compile(rb"^iamdb: region (\S+) \(from ", re.M)


def run(c, home):
    for path, text in c["files"].items():
        full = os.path.join(home, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if text.startswith("b64:"):
            data = base64.b64decode(text[4:])
        else:
            data = text.encode("utf-8")
        with open(full, "wb") as fh:
            fh.write(data)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "IAMDB_"))}
    env.update(HOME=home, AWS_EC2_METADATA_DISABLED="true",
               XDG_CACHE_HOME=os.path.join(home, "cache"))
    for k, v in c["env"].items():
        env[k] = v.replace("@HOME@", home)
    if "sts_keys" in c:
        env["AWS_ENDPOINT_URL_STS"] = os.environ["FAKE"]
        open(os.path.join(FAKE_DIR, "requests.log"), "w").close()
    args = [iamdb, "credentials", "--no-cache", "-v"]
    if c["profile"] is not None:
        args += ["--profile", c["profile"]]
    return subprocess.run(args, env=env, capture_output=True, timeout=60)


def fake_log(want):
    """The fake's log once it holds want STS calls and ends with no
    credentials still being issued (it logs a call just after answering),
    or after 10 s: (the calls, akid -> "issued:ROLE")."""
    deadline = time.monotonic() + 10
    while True:
        with open(os.path.join(FAKE_DIR, "requests.log")) as fh:
            lines = [json.loads(x) for x in fh if x.strip()]
        calls = [x for x in lines if x.get("service") == "sts"]
        settled = not lines or "issued" not in lines[-1]
        if (len(calls) >= want and settled) or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    issued = {x["issued"]["akid"]: "issued:" + x["issued"]["role"].rsplit("/", 1)[-1]
              for x in lines if "issued" in x}
    return calls, issued


def sts_calls(want):
    calls, issued = fake_log(want)
    out = []
    for x in calls:
        q = x.get("params") or {}
        d = q.get("DurationSeconds")
        out.append({
            "role": q.get("RoleArn", "").rsplit("/", 1)[-1],
            "signer": issued.get(x.get("akid"), x.get("akid")),
            "token": any(k.lower() == "x-amz-security-token"
                         for k in x.get("headers") or {}),
            "session": q.get("RoleSessionName"),
            "duration": int(d) if d is not None else None,
            "external_id": q.get("ExternalId")})
    return out, issued


def check_sts(c, p, want):
    b = c["botocore"]
    refused = "exit" in want or "error" in b
    got, issued = sts_calls(0 if refused else len(b["sts"]))
    if refused:
        if got:
            return "asked STS %r" % got
        return None
    if p.returncode != 0:
        return "exit %d, want credentials" % p.returncode
    for g, w in zip(got, b["sts"]):
        w = dict(w)
        if w["session"] == "botocore-session-*":
            w["session"] = want.get("session", w["session"])
        if not fnmatch.fnmatchcase(g["session"] or "", w["session"]):
            return "RoleSessionName %r, want %r" % (g["session"], w["session"])
        g, w = dict(g, session=None), dict(w, session=None)
        if g != w:
            return "AssumeRole %r, want %r" % (g, w)
    if len(got) != len(b["sts"]):
        return "%d AssumeRole calls, want %d" % (len(got), len(b["sts"]))
    akid = issued.get(json.loads(p.stdout).get("AccessKeyId"))
    if akid != b["credentials"]["akid"]:
        return "credentials %r, want %r" % (akid, b["credentials"]["akid"])
    return None


def check(c, p):
    """What is wrong with iamdb's answer, or None."""
    want = c.get("iamdb", {})
    b = c["botocore"]
    if "credentials" in want:  # iamdb finds these where botocore fails
        b = {"credentials": want["credentials"], "region": want["region"]}
    m = REGION.search(p.stderr)
    region = m.group(1).decode() if m else None
    if "sts_keys" in c:
        wrong = check_sts(c, p, want)
        if wrong:
            return wrong
    if "exit" in want:
        if p.returncode != want["exit"]:
            return "exit %d, want %d" % (p.returncode, want["exit"])
        if "stderr" in want and want["stderr"].encode() not in p.stderr:
            return "stderr lacks %r" % want["stderr"]
        return None
    if "error" in b:
        if p.returncode not in (3, 4) or p.stdout:
            return "exit %d, want a refusal as botocore's %s" % (
                p.returncode, b["error"])
        return None
    want_region = want.get("region", b.get("region"))
    if region != want_region:
        return "region %r, want %r" % (region, want_region)
    if "sts" in b:
        return None
    if b["credentials"] is None:
        if p.returncode != 4:
            return "exit %d, want 4 (no credentials)" % p.returncode
        return None
    if p.returncode != 0:
        return "exit %d, want credentials" % p.returncode
    got = json.loads(p.stdout)
    cr = dict(b["credentials"])
    # botocore sends no session token when it is empty (auth.py adds
    # X-Amz-Security-Token only when the token is true), nor does iamdb.
    cr["token"] = cr["token"] or None
    for field, key in (("AccessKeyId", "akid"), ("SecretAccessKey", "secret"),
                       ("SessionToken", "token")):
        if got.get(field) != cr[key]:
            return "%s %r, want %r" % (field, got.get(field), cr[key])
    return None


FAKE_DIR = os.environ.get("FAKE_DIR")
ROLES = ("r", "r2", "t")
all_cases = [json.loads(line) for line in open(cases, encoding="utf-8")]
keys, tokens = {}, {}
for c in all_cases:
    keys.update(c.get("sts_keys", {}))
    tokens.update(c.get("sts_tokens", {}))
if keys:
    with open(os.path.join(FAKE_DIR, "config.json.tmp"), "w") as fh:
        json.dump({"keys": keys, "keys_tokens": tokens, "roles": {
            "arn:aws:iam::123456789012:role/" + r: {} for r in ROLES}}, fh)
    os.rename(os.path.join(FAKE_DIR, "config.json.tmp"),
              os.path.join(FAKE_DIR, "config.json"))

n = failed = 0
top = tempfile.mkdtemp(dir=os.environ.get("HOME"))
for c in all_cases:
    home = os.path.join(top, str(c["id"]))
    os.mkdir(home)
    p = run(c, home)
    wrong = check(c, p)
    shutil.rmtree(home)
    n += 1
    what = "case %d (category %s)" % (c["id"], c["category"])
    what += " differs on purpose" if "iamdb" in c else " as botocore"
    if wrong:
        failed += 1
        print("not ok %d - %s: %s" % (n, what, wrong))
        print("#   files: %r env: %r profile: %r" % (
            c["files"], c["env"], c["profile"]))
        print("#   stderr: %r" % p.stderr[-400:])
    else:
        print("ok %d - %s" % (n, what))
shutil.rmtree(top)
print("1..%d" % n)
sys.exit(1 if failed else 0)
