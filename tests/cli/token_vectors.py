"""Runs `iamdb token` on every botocore vector, passing user names, session
tokens and hosts through argv and the environment as a user would, and
requires botocore's token byte for byte on stdout. Prints TAP."""
import json
import os
import subprocess
import sys

iamdb = os.environ["IAMDB"]
vectors = os.path.join(os.environ["TESTS_DIR"], "vectors", "tokens.jsonl")
n = failed = 0
for lineno, line in enumerate(open(vectors, encoding="utf-8"), 1):
    v = json.loads(line)
    rds = v["engine"] != "dsql"
    env = {k: val for k, val in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_EC2_METADATA_DISABLED="true",
               AWS_ACCESS_KEY_ID=v["access_key_id"],
               AWS_SECRET_ACCESS_KEY=v["secret_access_key"],
               AWS_CONFIG_FILE="/nonexistent", AWS_SHARED_CREDENTIALS_FILE="/nonexistent")
    if v["session_token"] is not None:
        env["AWS_SESSION_TOKEN"] = v["session_token"]
    args = [iamdb, "token", "--host", v["host"], "--user", v["user"],
            "--engine", v["engine"], "--region", v["region"],
            "--expires", str(v["expires"]), "--signing-time", v["signing_time"]]
    if rds:
        args += ["--port", str(v["port"])]
    p = subprocess.run(args, env=env, capture_output=True)
    n += 1
    if rds and v["expires"] > 900:
        good = p.returncode == 2 and p.stdout == b""
        what = "refused: RDS expiry %d" % v["expires"]
    else:
        good = p.returncode == 0 and p.stdout == (v["token"] + "\n").encode()
        what = "equals botocore"
    if not good:
        failed += 1
        print("not ok %d - line %d %s" % (n, lineno, what))
        print("#   exit %d, stderr: %r" % (p.returncode, p.stderr[:300]))
        print("#   got:  %r" % p.stdout[:400])
        print("#   want: %r" % v["token"][:400])
    else:
        print("ok %d - line %d %s" % (n, lineno, what))
print("1..%d" % n)
sys.exit(1 if failed else 0)
