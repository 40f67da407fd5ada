# The local secrets endpoint's consumers (tests/harness/boto3_get_secret.py
# with Debian's boto3, tests/harness/agent_get.py) against
# tests/fakes/fake_secrets.py, which answers as iamdb serve must: boto3's
# SigV4-signed GetSecretValue, and the Secrets Manager Agent's API with its
# SSRF token, status codes and bodies.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/cli/secrets_checks.inc"

needs python3 /usr/bin/python3
if ! /usr/bin/python3 -c 'import boto3' 2>/dev/null; then
	echo "not ok 1 - boto3 is installed (python3-boto3; make deps)"
	exit 1
fi
BOTO=$TESTS_DIR/harness/boto3_get_secret.py
AGENT=$TESTS_DIR/harness/agent_get.py
S=$HOME/secrets
mkdir -p "$S"

AKID=AKIA$(head -c 10 /dev/urandom | base32)
SECRET=$(head -c 30 /dev/urandom | base64)
printf '[iamdb-test]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
    "$AKID" "$SECRET" >keys
head -c 24 /dev/urandom | base64 >token
# An RDS-style secret, as iamdb serve will make with a fresh token.
VALUE='{"engine":"postgres","host":"localhost","port":5432,"username":"jane","password":"localhost:5432/?Action=connect&DBUser=jane&X-Amz-Signature=00","dbname":"app"}'
python3 -c 'import json, sys
json.dump({"db/app": {"SecretString": sys.argv[1]}}, open(sys.argv[2], "w"))' \
    "$VALUE" "$S/secrets.json"

RUN=$TESTS_DIR/fakes/run.sh
t0=$(now_ms)
trap 'sh "$RUN" stop "$S"' EXIT
trap 'exit 1' HUP INT TERM
PORT=$(sh "$RUN" start "$S" fake_secrets.py --keys keys --token-file token \
    --region us-east-1)
ok $? "the fake starts, in $(($(now_ms) - t0)) ms"
URL=http://127.0.0.1:$PORT

export AWS_ACCESS_KEY_ID=$AKID AWS_SECRET_ACCESS_KEY=$SECRET AWS_REGION=us-east-1
export AWS_CONFIG_FILE="$HOME/none" AWS_SHARED_CREDENTIALS_FILE="$HOME/none"
unset AWS_SESSION_TOKEN

boto() {	# boto ARGS...: the boto3 harness, out and err, status in $rc
	/usr/bin/python3 "$BOTO" "$@" >out 2>err
	rc=$?
}

# --- boto3
boto --endpoint-url "$URL" db/app
[ "$rc" -eq 0 ] && [ "$(cat out)" = "$VALUE" ]
ok $? "boto3 get_secret_value through endpoint_url= gets the SecretString"
tail -n 1 "$S/requests.log" | grep -qF "\"akid\":\"$AKID\",\"api\":\"sdk\",\"error\":null,\"method\":\"POST\",\"path\":\"/\",\"secret\":\"db/app\",\"status\":200"
ok $? "the fake verified boto3's SigV4 signature (service secretsmanager) for the test key"
! grep -qF "$SECRET" "$S/requests.log" && ! grep -qF 'X-Amz-Signature=00' "$S/requests.log"
ok $? "the log holds no key, signature or secret value"
AWS_ENDPOINT_URL_SECRETS_MANAGER=$URL boto db/app
[ "$rc" -eq 0 ] && [ "$(cat out)" = "$VALUE" ]
ok $? "the harness takes AWS_ENDPOINT_URL_SECRETS_MANAGER and passes it as endpoint_url="
AWS_ENDPOINT_URL_SECRETS_MANAGER=$URL boto --where db/app
[ "$(cat out)" = "https://secretsmanager.us-east-1.amazonaws.com/" ]
ok $? "boto3 1.26 alone ignores AWS_ENDPOINT_URL_SECRETS_MANAGER (it would go to AWS; nothing was sent)"
/usr/bin/python3 -c 'import boto3; print(boto3.session.Session().region_name)' >out 2>err
[ "$(cat out)" = None ] &&
    [ "$(AWS_DEFAULT_REGION=eu-west-1 /usr/bin/python3 -c 'import boto3; print(boto3.session.Session().region_name)')" = eu-west-1 ]
ok $? "boto3 1.26 reads AWS_DEFAULT_REGION, not AWS_REGION (the harness passes AWS_REGION on)"
boto --endpoint-url "$URL" "arn:aws:secretsmanager:us-east-1:123456789012:secret:db/app-AbCdEf"
[ "$rc" -eq 0 ] && [ "$(cat out)" = "$VALUE" ]
ok $? "by ARN too"
sdk_shape "$URL"
sdk_refusals "$URL"
boto --endpoint-url http://secrets.example.invalid:2773 db/app
[ "$rc" -ne 0 ] && grep -qF 'a loopback endpoint URL is required' err
ok $? "the harness refuses an endpoint that is not on loopback"

# --- the agent's API
agent() {	# agent ARGS...: the agent client, out, status in $rc
	AWS_TOKEN=${TOK-$(cat token)} python3 "$AGENT" --port "$PORT" "$@" >out 2>err
	rc=$?
}
body() { sed -n '2,$p' out; }

agent db/app
[ "$rc" -eq 0 ] && [ "$(head -n 1 out)" = 200 ] && [ "$(body)" = "$VALUE" ]
ok $? "GET /secretsmanager/get?secretId= with X-Aws-Parameters-Secrets-Token"
agent --path-style db/app
[ "$rc" -eq 0 ] && [ "$(body)" = "$VALUE" ]
ok $? "GET /v1/NAME, the path style"
agent --header X-Vault-Token db/app
[ "$rc" -eq 0 ]
ok $? "X-Vault-Token is taken as well"
agent_checks

sh "$RUN" stop "$S"
[ ! -e "$S/port" ] && [ ! -e "$S/pid" ]
ok $? "the fake stops"

done_testing
