"""Runs `iamdb token` on every botocore vector, passing user names, session
tokens and hosts through argv and the environment as a user would, and
requires botocore's token byte for byte on stdout: tokens.jsonl (RDS,
DSQL), elasticache.jsonl, memorydb.jsonl, eks.jsonl and msk.jsonl (those
signed with iamdb's own User-Agent; `iamdb json` must give their expiry in
milliseconds too). Prints TAP."""
import json
import os
import subprocess
import sys

iamdb = os.environ["IAMDB"]
vectors = os.path.join(os.environ["TESTS_DIR"], "vectors")
version = subprocess.run([iamdb, "--version"], capture_output=True,
                         text=True).stdout.split()[-1]
n = failed = 0


def env_for(v):
    env = {k: val for k, val in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_EC2_METADATA_DISABLED="true",
               AWS_ACCESS_KEY_ID=v["access_key_id"],
               AWS_SECRET_ACCESS_KEY=v["secret_access_key"],
               AWS_CONFIG_FILE="/nonexistent",
               AWS_SHARED_CREDENTIALS_FILE="/nonexistent")
    if v["session_token"] is not None:
        env["AWS_SESSION_TOKEN"] = v["session_token"]
    return env


def report(good, name, p, want):
    global n, failed
    n += 1
    if good:
        print("ok %d - %s" % (n, name))
        return
    failed += 1
    print("not ok %d - %s" % (n, name))
    print("#   exit %d, stderr: %r" % (p.returncode, p.stderr[:300]))
    print("#   got:  %r" % p.stdout[:400])
    print("#   want: %r" % want[:400])


for lineno, line in enumerate(open(os.path.join(vectors, "tokens.jsonl"),
                                   encoding="utf-8"), 1):
    v = json.loads(line)
    rds = v["engine"] != "dsql"
    args = [iamdb, "token", "--host", v["host"], "--user", v["user"],
            "--engine", v["engine"], "--region", v["region"],
            "--expires", str(v["expires"]), "--signing-time", v["signing_time"]]
    if rds:
        args += ["--port", str(v["port"])]
    p = subprocess.run(args, env=env_for(v), capture_output=True)
    if rds and v["expires"] > 900:
        good = p.returncode == 2 and p.stdout == b""
        what = "refused: RDS expiry %d" % v["expires"]
    else:
        good = p.returncode == 0 and p.stdout == (v["token"] + "\n").encode()
        what = "equals botocore"
    report(good, "line %d %s" % (lineno, what), p, v["token"])

# The other stores, with exactly the spellings of issue 11.
for name in ("elasticache", "memorydb", "eks", "msk"):
    for lineno, line in enumerate(open(os.path.join(vectors, name + ".jsonl"),
                                       encoding="utf-8"), 1):
        v = json.loads(line)
        args = [iamdb, "token", "--engine", name, "--region", v["region"],
                "--signing-time", v["signing_time"]]
        if name in ("elasticache", "memorydb"):
            args += ["--host", v["host"], "--user", v["user"]]
            if v["serverless"]:
                args.append("--serverless")
        elif name == "eks":
            args += ["--host", v["cluster"]]
        elif v["user_agent"] != "iamdb/" + version:
            continue        # another signer's User-Agent: the unit test's
        default = 60 if name == "eks" else 900
        if v["expires"] != default:
            args += ["--expires", str(v["expires"])]
        p = subprocess.run(args, env=env_for(v), capture_output=True)
        if v["expires"] < 1:
            report(p.returncode == 2 and p.stdout == b"",
                   "%s line %d refused: expiry %d" % (name, lineno,
                                                      v["expires"]), p, "")
            continue
        report(p.returncode == 0 and p.stdout == (v["token"] + "\n").encode(),
               "%s line %d equals botocore" % (name, lineno), p, v["token"])
        if name == "msk":
            args[1] = "json"
            p = subprocess.run(args, env=env_for(v), capture_output=True)
            try:
                got = json.loads(p.stdout)
            except ValueError:
                got = {}
            report(p.returncode == 0 and got.get("token") == v["token"] and
                   got.get("expiry_ms") == str(v["expiry_ms"]),
                   "msk line %d: iamdb json gives the token and expiry_ms %d"
                   % (lineno, v["expiry_ms"]), p, str(v["expiry_ms"]))
# MSK tokens name no broker: a --host is refused, not ignored.
p = subprocess.run([iamdb, "token", "--engine", "msk", "--region", "us-east-1",
                    "--host", "b-1.kafka.example"], env=env_for(v),
                   capture_output=True)
report(p.returncode == 2 and p.stdout == b"" and b"name no host" in p.stderr,
       "msk with --host: usage error", p, "exit 2")
print("1..%d" % n)
sys.exit(1 if failed else 0)
