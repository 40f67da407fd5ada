"""Runs `iamdb credentials -v` on every case of tests/vectors/config_cases.jsonl
(gen_config_cases.py: botocore's answers) in a fresh HOME and requires
botocore's access key, secret, session token and region, its refusal, or,
where the case marks a deliberate difference, what the man page says iamdb
does instead. Prints TAP."""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

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
    args = [iamdb, "credentials", "--no-cache", "-v"]
    if c["profile"] is not None:
        args += ["--profile", c["profile"]]
    return subprocess.run(args, env=env, capture_output=True, timeout=60)


def check(c, p):
    """What is wrong with iamdb's answer, or None."""
    want = c.get("iamdb", {})
    b = c["botocore"]
    if "credentials" in want:  # iamdb finds these where botocore fails
        b = {"credentials": want["credentials"], "region": want["region"]}
    m = REGION.search(p.stderr)
    region = m.group(1).decode() if m else None
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


n = failed = 0
top = tempfile.mkdtemp(dir=os.environ.get("HOME"))
for line in open(cases, encoding="utf-8"):
    c = json.loads(line)
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
