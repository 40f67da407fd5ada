# iamdb serve against its real consumers on loopback: Debian's boto3
# (GetSecretValue, SigV4 with the keys iamdb serve itself resolved), a
# plain client of the Secrets Manager Agent's API (its SSRF token, status
# codes and bodies, as tests/fakes/fake_secrets.py pins them), then
# psycopg2 logging in to the local IAM-auth PostgreSQL with what it got,
# across a token's renewal.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/cli/secrets_checks.inc"

needs python3 /usr/bin/python3 psql openssl runuser
if ! /usr/bin/python3 -c 'import boto3, psycopg2, pymysql' 2>/dev/null; then
	echo "not ok 1 - boto3, psycopg2 and pymysql are installed (make deps)"
	exit 1
fi
needs_root "the IAM-auth PostgreSQL's PAM service goes in /etc/pam.d"
BOTO=$TESTS_DIR/harness/boto3_get_secret.py
AGENT=$TESTS_DIR/harness/agent_get.py
DB=$HOME/db
chmod 711 "$HOME"
mkdir -m 711 "$DB"
trap 'kill $SERVE 2>/dev/null; sh "$TESTS_DIR/fakes/run.sh" stop "$HOME/lam" 2>/dev/null; sh "$TESTS_DIR/db/iamauth.sh" stop postgres "$DB" >/dev/null 2>&1; sh "$TESTS_DIR/db/iamauth.sh" stop mariadb "$DB" >/dev/null 2>&1' EXIT
trap 'exit 1' HUP INT TERM
start_server "PostgreSQL starts with PAM and TLS, user jane" env.sh \
    sh "$TESTS_DIR/db/iamauth.sh" start postgres "$DB" jane
. ./env.sh
PG_ENDPOINT=$DB_ENDPOINT
start_server "MariaDB starts with PAM and TLS, user jane, the same key" my.env \
    env DB_AKID="$AWS_ACCESS_KEY_ID" DB_SECRET="$AWS_SECRET_ACCESS_KEY" \
    sh "$TESTS_DIR/db/iamauth.sh" start mariadb "$DB" jane
MY_ENDPOINT=$(sed -n "s/^DB_ENDPOINT='*\([^']*\)'*$/\1/p" my.env)
DB_ENDPOINT=$PG_ENDPOINT
export AWS_CONFIG_FILE="$HOME/none" AWS_SHARED_CREDENTIALS_FILE="$HOME/none"
unset AWS_SESSION_TOKEN AWS_TOKEN
export AWS_REGION=us-east-1
head -c 24 /dev/urandom | base64 >token
URL="postgres://jane@$DB_ENDPOINT/postgres"

# serve ARGS...: iamdb serve in the background on a free port: $SERVE,
# $PORT, its log in serve.log.
serve() {
	: >serve.log
	"$IAMDB" serve --listen 127.0.0.1:0 --token-file token "$@" \
	    2>serve.log &
	SERVE=$!
	i=0
	while ! grep -q 'listening on port' serve.log && [ $i -lt 300 ] &&
	    kill -0 $SERVE 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	PORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' serve.log)
}
serve --secret "db/app=$URL" --secret "db/other=postgres://bob@$DB_ENDPOINT/x" \
    --secret "db/my=mariadb://jane@$MY_ENDPOINT"
[ -n "$PORT" ]
ok $? "iamdb serve listens on a loopback port it was given"
EP=http://127.0.0.1:$PORT

boto() {	# boto ARGS...: the boto3 harness, out and err, status in $rc
	/usr/bin/python3 "$BOTO" "$@" >out 2>err
	rc=$?
}
field() { python3 -c "import json,sys; print(json.load(open('out'))$1)"; }

# --- boto3, as an application pointed at iamdb serve
boto --endpoint-url "$EP" db/app
expect_rc 0 "boto3 get_secret_value through endpoint_url="
field '["username"]' >got && [ "$(cat got)" = jane ] &&
    [ "$(field '["engine"]')" = postgres ] && [ "$(field '["port"]')" = "${DB_ENDPOINT##*:}" ] &&
    [ "$(field '["host"]')" = localhost ] && [ "$(field '["dbname"]')" = postgres ] &&
    [ "$(field '["sslmode"]')" = verify-full ] && [ "$(field '["sslrootcert"]')" = "$IAMDB_CA_BUNDLE" ]
ok $? "the SecretString is RDS's shape: engine, host, port, username, dbname, with TLS"
field '["password"]' >pw
"$IAMDB" inspect "$(cat pw)" >/dev/null 2>&1 && grep -q "^localhost:${DB_ENDPOINT##*:}/?Action=connect&DBUser=jane&" pw
ok $? "and its password is an IAM token for jane at the endpoint"
sdk_shape "$EP"
boto --endpoint-url "$EP" "arn:aws:secretsmanager:us-east-1:123456789012:secret:db/app-AbCdEf"
expect_rc 0 "by the ARN of the secret it stands in for"
sdk_refusals "$EP"

# --- the agent's API
agent() {	# agent ARGS...: the agent client, out, status in $rc
	AWS_TOKEN=${TOK-$(cat token)} python3 "$AGENT" --port "$PORT" "$@" >out 2>err
	rc=$?
}
body() { sed -n '2,$p' out; }
agent db/app
[ "$rc" -eq 0 ] && [ "$(head -n 1 out)" = 200 ] && body | grep -q '"username":"jane"'
ok $? "GET /secretsmanager/get?secretId= with X-Aws-Parameters-Secrets-Token"
agent --path-style db/app
expect_rc 0 "GET /v1/NAME, the path style"
agent --header X-Vault-Token db/app
expect_rc 0 "X-Vault-Token is taken as well"
agent_checks
! grep -qF "$AWS_SECRET_ACCESS_KEY" serve.log && ! grep -q "X-Amz-Signature\|$(cat token)" serve.log
ok $? "the log holds no key, token or secret value"

# --- psycopg2 logs in with what it got, from either API
LOGIN=$(cat <<'PY'
import boto3, json, os, sys, urllib.request
import psycopg2
if sys.argv[1] == "sdk":
    s = json.loads(boto3.client("secretsmanager", endpoint_url=sys.argv[2],
        region_name="us-east-1").get_secret_value(SecretId="db/app")["SecretString"])
else:
    rq = urllib.request.Request(sys.argv[2] + "/secretsmanager/get?secretId=db/app",
        headers={"X-Aws-Parameters-Secrets-Token": sys.argv[3]})
    s = json.loads(json.load(urllib.request.urlopen(rq))["SecretString"])
c = psycopg2.connect(host=s["host"], port=s["port"], user=s["username"],
    password=s["password"], dbname=s["dbname"], sslmode=s["sslmode"],
    sslrootcert=s["sslrootcert"])
cur = c.cursor()
cur.execute("SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
print("%s|%s" % cur.fetchone())
PY
)
/usr/bin/python3 -c "$LOGIN" sdk "$EP" >out 2>err
[ "$(cat out)" = "jane|True" ]
ok $? "psycopg2 logs in as jane over verified TLS with boto3's secret"
/usr/bin/python3 -c "$LOGIN" agent "$EP" "$(cat token)" >out 2>err
[ "$(cat out)" = "jane|True" ]
ok $? "and with the agent API's"
/usr/bin/python3 - "$EP" >out 2>err <<'PY'
import boto3, json, sys
import pymysql
s = json.loads(boto3.client("secretsmanager", endpoint_url=sys.argv[1],
    region_name="us-east-1").get_secret_value(SecretId="db/my")["SecretString"])
c = pymysql.connect(host=s["host"], port=s["port"], user=s["username"],
    password=s["password"], ssl_ca=s["sslrootcert"], ssl_verify_cert=True,
    ssl_verify_identity=True)
cur = c.cursor()
cur.execute("SELECT CURRENT_USER()")
user = cur.fetchone()[0]
cur.execute("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
print(s["engine"], "%s|%s" % (user, bool(cur.fetchone()[1])))
PY
[ "$(cat out)" = "mariadb jane@%|True" ]
ok $? "PyMySQL logs in as jane to MariaDB over verified TLS with its secret"
kill $SERVE; wait $SERVE 2>/dev/null
! kill -0 $SERVE 2>/dev/null
ok $? "SIGTERM stops it"

# Tokens of 30 s are renewed 10 s before they run out: a new one after
# 20 s, which logs in too.
serve --secret "db/app=$URL" --expires 30
boto --endpoint-url "http://127.0.0.1:$PORT" db/app
field '["password"]' >pw1
sleep 21
boto --endpoint-url "http://127.0.0.1:$PORT" db/app
field '["password"]' >pw2
! cmp -s pw1 pw2
ok $? "a token near its end is renewed"
/usr/bin/python3 -c "$LOGIN" sdk "http://127.0.0.1:$PORT" >out 2>err
[ "$(cat out)" = "jane|True" ]
ok $? "and the new one logs in"
kill $SERVE; wait $SERVE 2>/dev/null

# --- systemd's LoadCredential= from an AF_UNIX socket, as systemd asks:
# from an abstract address ending in /unit/UNIT/ID, reading until EOF.
serve --secret "dbapp=$URL" --credential-socket "$HOME/cred.sock"
[ "$(stat -c %a "$HOME/cred.sock")" = 600 ]
ok $? "the credential socket is the user's alone (0600)"
loadcred() {	# loadcred ID [BIND]: what systemd would read for ID
	python3 - "$HOME/cred.sock" "$1" "${2-x}" <<'PY'
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
if sys.argv[3] == "x":
    s.bind("\0" + os.urandom(8).hex() + "/unit/app.service/" + sys.argv[2])
s.connect(sys.argv[1])
data = b""
while True:
    b = s.recv(4096)
    if not b:
        break
    data += b
sys.stdout.write(data.decode())
PY
}
loadcred dbapp >cred
grep -q "^localhost:${DB_ENDPOINT##*:}/?Action=connect&DBUser=jane&" cred
ok $? "systemd's connection for credential dbapp gets its token"
PGPASSWORD=$(cat cred) psql -X -A -t "host=localhost port=${DB_ENDPOINT##*:} user=jane dbname=postgres sslmode=verify-full sslrootcert=$IAMDB_CA_BUNDLE" -c 'SELECT current_user' >out 2>err
[ "$(cat out)" = jane ]
ok $? "which logs in"
loadcred nosuch >cred
[ ! -s cred ] && grep -q "credential socket: nosuch: no such secret" serve.log
ok $? "another credential id gets nothing, and is logged"
loadcred dbapp plain >cred
[ ! -s cred ]
ok $? "a client that is not systemd (no abstract address) gets nothing"
kill $SERVE; wait $SERVE 2>/dev/null
[ ! -e "$HOME/cred.sock" ]
ok $? "the socket goes with the server"
printf 'mine\n' >"$HOME/not-a-socket"
run serve --listen 127.0.0.1:0 --secret "dbapp=$URL" --token-file token --credential-socket "$HOME/not-a-socket"
[ "$rc" -ne 0 ] && [ "$(cat "$HOME/not-a-socket")" = mine ]
ok $? "a file in the socket's place is refused and left alone ($rc)"

# --- in AWS Lambda: an external extension, serving until SHUTDOWN
RUN=$TESTS_DIR/fakes/run.sh
LAM=$HOME/lam
LPORT=$(sh "$RUN" start "$LAM" fake_lambda.py --invokes 1 --step --extension iamdb)
ok $? "the fake Lambda Extensions API starts"
lstate() {	# lstate EXPR: EXPR over the fake's state s
	python3 -c 'import json, sys, urllib.request
s = json.load(urllib.request.urlopen("http://127.0.0.1:%s/_fake/state" % sys.argv[1]))
print(eval(sys.argv[2]))' "$LPORT" "$1"
}
AWS_LAMBDA_RUNTIME_API=127.0.0.1:$LPORT serve --secret "db/app=$URL"
i=0
until [ "$(lstate 's["phase"]')" = invoke ] || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ "$(lstate '[(e["name"], e["external"], e["events"]) for e in s["extensions"]]')" = "[('iamdb', True, ['SHUTDOWN'])]" ]
ok $? "it registers as the external extension iamdb, for SHUTDOWN, and the init phase ends"
/usr/bin/python3 -c "$LOGIN" agent "http://127.0.0.1:$PORT" "$(cat token)" >out 2>err
[ "$(cat out)" = "jane|True" ]
ok $? "while the function runs, it logs in with the agent API's secret"
python3 -c 'import urllib.request, sys
for _ in range(2):
    urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:%s/_fake/release" % sys.argv[1], b"", method="POST"))' "$LPORT"
i=0
while kill -0 $SERVE 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
wait $SERVE
rc=$?
expect_rc 0 "on SHUTDOWN it stops, exit 0"
[ "$(lstate 's["phase"], [e["state"] for e in s["extensions"]], s["violations"]')" = "('shutdown', ['shutdown'], [])" ]
ok $? "the fake saw it through to shutdown, nothing amiss"
sh "$RUN" stop "$LAM"

# --- refusals at start
run serve --listen 127.0.0.1:0
expect_rc 2 "no --secret"
run serve --listen 127.0.0.1:0 --secret "x=$URL" --secret "x=$URL" --token-file token
expect_rc 2 "a name given twice"
(unset AWS_TOKEN; "$IAMDB" serve --listen 127.0.0.1:0 --secret "x=$URL" >out 2>err)
rc=$?
expect_rc 2 "no SSRF token anywhere"
has err "give --token-file, or set AWS_TOKEN" "says where one comes from"
run serve --listen nowhere:1 --secret "x=$URL" --token-file token
expect_rc 2 "--listen that is no address"
run serve --listen 127.0.0.1:0 --secret "x=nosuch://jane@$DB_ENDPOINT/x" --token-file token
expect_rc 2 "a secret whose URL is not one"
has err "--secret x:" "is named"

done_testing
