# Redshift logins against the loopback fake (tests/fakes/fake_aws.py):
# GetClusterCredentials, GetClusterCredentialsWithIAM and Redshift
# Serverless GetCredentials, signed (the fake checks every signature),
# their parameters, AWS's errors and throttling, the endpoint settings,
# the cache, and that no password reaches a message.
. "$TESTS_DIR/lib.sh"
unset XDG_CACHE_HOME IAMDB_HTTP_TIMEOUT AWS_PROFILE AWS_REGION \
    AWS_DEFAULT_REGION AWS_SESSION_TOKEN AWS_ENDPOINT_URL_STS
export AWS_CONFIG_FILE="$HOME/none" AWS_SHARED_CREDENTIALS_FILE="$HOME/none"
fake_start
. "$TESTS_DIR/cli/fakelog.inc"

AKID=AKIAREDSHIFTEXAMPLE1
SECRET='rsSecret/Example+Key0123456789abcdefghij'
PW='rs:Pass/word+0123456789abcdefghij'
PW_SL='sl-Pass/word+0123456789abcdefghij'
export AWS_ACCESS_KEY_ID=$AKID AWS_SECRET_ACCESS_KEY=$SECRET
export AWS_ENDPOINT_URL="$FAKE"
HOST=examplecluster.abc123xyz789.us-west-2.redshift.amazonaws.com
SLHOST=default-wg.123456789012.us-west-2.redshift-serverless.amazonaws.com
BASE=$(cat <<EOF
{"region": "us-west-2",
 "keys": {"$AKID": "$SECRET", "AKIAOTHEREXAMPLEKEY1": "$SECRET"},
 "redshift": {"clusters": ["examplecluster"], "password": "$PW",
              "iam_users": {"$AKID": "alice"}},
 "redshift-serverless": {"workgroups": ["default-wg"], "password": "$PW_SL",
                         "iam_users": {"$AKID": "alice"}}
EOF
)
reset "$BASE}"

# last_params: the last Redshift request's parameters, one KEY=VALUE a line.
last_params() {
	log_settle
	grep '^{"service":"redshift"' "$FAKE_DIR/requests.log" | tail -n 1 |
	    python3 -c 'import json, sys
for k, v in json.loads(sys.stdin.read())["params"].items():
    print("%s=%s" % (k, v))'
}
stderr_clean() {	# stderr_clean DESCRIPTION: ./err shows no secret
	clean err "$1" "$SECRET" "$PW" "$PW_SL"
}

# --- GetClusterCredentials, from a URL
run json --no-cache "redshift://alice@$HOST:5439/dev"
expect_rc 0 "iamdb json for redshift://alice@CLUSTER..."
[ "$(json_get user)" = "IAM:alice" ] && [ "$(json_get token)" = "$PW" ]
ok $? "the user is the answer's IAM:alice and the password the fake's"
[ "$(json_get host)" = "$HOST" ] && [ "$(json_get port)" = 5439 ] &&
    [ "$(json_get database)" = dev ] && [ "$(json_get region)" = us-west-2 ]
ok $? "host, port, database and the region from the host name"
exp=$(json_get expires_at)
now=$(date -u +%s)
e=$(date -u -d "$exp" +%s)
[ $((e - now)) -gt 800 ] && [ $((e - now)) -le 905 ]
ok $? "expires_at is the login's expiration, 900 s on (got $exp)"
last_params >params
[ "$(cat params)" = "Action=GetClusterCredentials
Version=2012-12-01
DbUser=alice
DbName=dev
ClusterIdentifier=examplecluster" ]
ok $? "the request has DbUser, DbName and the cluster from the host name, in botocore's order"
[ "$(calls redshift)" = 1 ] && grep -q '"status":200' "$FAKE_DIR/requests.log"
ok $? "one request, whose signature the fake accepted"

run env --no-cache --engine redshift --cluster examplecluster --host 127.0.0.1 \
    --port 5440 --region us-west-2 --user bob --database dev --auto-create \
    --db-groups readers,etl --expires 3600
expect_rc 0 "--engine redshift --cluster with --auto-create, --db-groups and --expires 3600"
has out "export PGUSER='IAMA:bob';" "AutoCreate gives the user IAMA:bob, in PGUSER"
has out "export PGPASSWORD='$PW';" "and the password in PGPASSWORD"
has out "export PGHOST='127.0.0.1';" "the host is the one given, not the cluster"
last_params >params
[ "$(sed -n '3,$p' params | tr '\n' ' ')" = "DbUser=bob DbName=dev ClusterIdentifier=examplecluster DurationSeconds=3600 AutoCreate=true DbGroups.DbGroup.1=readers DbGroups.DbGroup.2=etl " ]
ok $? "DurationSeconds, AutoCreate and DbGroups.DbGroup.N are sent"
run env --no-cache "redshift://bob@$HOST/dev" --db-groups readers,,etl
expect_rc 2 "an empty group in --db-groups is refused"

# --- without a user: GetClusterCredentialsWithIAM
run env --no-cache "redshift://$HOST/dev"
expect_rc 0 "redshift:// without a user"
has out "export PGUSER='IAM:alice';" "WithIAM maps the access key to IAM:alice"
[ "$(last_params | head -n 1)" = Action=GetClusterCredentialsWithIAM ]
ok $? "no user means GetClusterCredentialsWithIAM"
run env --no-cache "redshift://$HOST/dev" --auto-create
expect_rc 2 "--auto-create without a user is refused"

# --- Redshift Serverless
log_reset
run uri --no-cache "redshift-serverless://$SLHOST/dev" --expires 1200
expect_rc 0 "iamdb uri for redshift-serverless://WORKGROUP..."
has out "postgresql://IAM%3Aalice:sl-Pass%2Fword%2B0123456789abcdefghij@$SLHOST:5439/dev?sslmode=verify-full" \
    "the URI has the user and password %-encoded"
[ "$(calls redshift-serverless)" = 1 ]
ok $? "one GetCredentials request, signed for redshift-serverless"
python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))[-1]
sys.exit(not (c["api"] == "GetCredentials" and c["workgroup"] == "default-wg"
    and c["db_name"] == "dev"))' "$FAKE_DIR/db_credentials.json"
ok $? "workgroupName from the host name and dbName were sent"
run env --no-cache --workgroup default-wg --host 127.0.0.1 --region us-west-2 \
    --user alice
expect_rc 0 "--workgroup with a user the login maps to"
run env --no-cache --workgroup default-wg --host 127.0.0.1 --region us-west-2 \
    --user mallory
expect_rc 4 "a user the login does not map to is refused"
has err "logs these credentials in as IAM:alice, not mallory" "and the message names both"
run env --no-cache --workgroup default-wg --host 127.0.0.1 --region us-west-2 \
    --auto-create --user alice
expect_rc 2 "--auto-create is refused for Redshift Serverless"
run env --no-cache --workgroup default-wg --cluster c --host 127.0.0.1
expect_rc 2 "--cluster and --workgroup together are refused"

# --- limits and names
run env --no-cache "redshift://$HOST/dev" --expires 899
expect_rc 2 "--expires 899 is refused: Redshift takes 900 to 3600"
run env --no-cache "redshift://$HOST/dev" --expires 3601
expect_rc 2 "--expires 3601 is refused"
run env --no-cache --engine redshift --host 127.0.0.1 --region us-west-2
expect_rc 2 "a host that names no cluster needs --cluster"
has err "give --cluster" "and the message says so"
run env --no-cache --cluster c --host localhost --user u --region us-west-2 \
    --engine postgres
expect_rc 2 "--cluster with another engine is refused"

# --- AWS's errors, and throttling
run env --no-cache "redshift://alice@nocluster.abc123xyz789.us-west-2.redshift.amazonaws.com/dev"
expect_rc 5 "a cluster that does not exist fails"
has err "Redshift GetClusterCredentials at $FAKE: HTTP 404 ClusterNotFound: Cluster nocluster not found." \
    "the message names the call, the endpoint, AWS's code and words"
AWS_SECRET_ACCESS_KEY=wrongSecret/Example+Key0123456789abcdefg \
    run env --no-cache "redshift://alice@$HOST/dev"
expect_rc 5 "a wrong secret key fails"
has err "HTTP 403 SignatureDoesNotMatch" "with the fake's signature check's code"
stderr_clean "the failure shows no secret key or password"
log_reset
reset "$BASE, \"faults\": [{\"service\": \"redshift\", \"status\": 400, \"code\": \"Throttling\", \"message\": \"Rate exceeded\", \"times\": 2}]}"
run env --no-cache "redshift://alice@$HOST/dev"
expect_rc 0 "throttled twice, the third attempt succeeds"
[ "$(calls redshift)" = 3 ]
ok $? "after three requests"
reset "$BASE, \"faults\": [{\"service\": \"redshift\", \"status\": 400, \"code\": \"Throttling\", \"message\": \"Rate exceeded\"}]}"
run env --no-cache "redshift://alice@$HOST/dev"
expect_rc 5 "always throttled, iamdb gives up"
has err "HTTP 400 Throttling: Rate exceeded" "saying it was throttled"
[ "$(calls redshift)" = 3 ]
ok $? "after three attempts"
reset "$BASE, \"faults\": [{\"service\": \"redshift-serverless\", \"status\": 400, \"code\": \"ThrottlingException\", \"message\": \"slow down\"}]}"
run env --no-cache "redshift-serverless://$SLHOST/dev"
expect_rc 5 "Redshift Serverless always throttled"
has err "Redshift Serverless GetCredentials at $FAKE: HTTP 400 ThrottlingException: slow down" \
    "the JSON error's code and message"
[ "$(calls redshift-serverless)" = 3 ]
ok $? "after three attempts too"
log_reset
reset "$BASE, \"faults\": [{\"service\": \"redshift-serverless\", \"status\": 400, \"code\": \"ValidationException\", \"message\": \"bad\\u001b[31mred\\nsecond line\"}]}"
run env --no-cache "redshift-serverless://$SLHOST/dev"
expect_rc 5 "a ValidationException fails"
[ "$(calls redshift-serverless)" = 1 ]
ok $? "at once, without another attempt"
has err 'bad?[31mred' "a control character in AWS's message is not passed on"
lacks err "second line" "nor any line after its first"
reset "$BASE}"
run env --no-cache "redshift-serverless://nowg.123456789012.us-west-2.redshift-serverless.amazonaws.com/dev"
expect_rc 5 "a workgroup that does not exist fails"
has err "HTTP 400 ResourceNotFoundException: Workgroup nowg not found." "with the JSON error"

# --- endpoints: the service's own variable wins over AWS_ENDPOINT_URL
AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_ENDPOINT_URL_REDSHIFT="$FAKE" \
    run env --no-cache "redshift://alice@$HOST/dev"
expect_rc 0 "AWS_ENDPOINT_URL_REDSHIFT is used before AWS_ENDPOINT_URL"
AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS="$FAKE" \
    run env --no-cache "redshift-serverless://$SLHOST/dev"
expect_rc 0 "AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS likewise"
IAMDB_HTTP_TIMEOUT=5 AWS_ENDPOINT_URL=http://127.0.0.1:9 \
    AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS="$FAKE" \
    run env --no-cache "redshift://alice@$HOST/dev"
expect_rc 5 "the serverless variable does not steer provisioned calls"

# --- the cache
log_reset
run env "redshift://alice@$HOST/dev"
expect_rc 0 "a login, cached"
run env -v "redshift://alice@$HOST/dev"
expect_rc 0 "the same login again"
has out "export PGPASSWORD='$PW';" "with the same password"
has err "redshift: cached until" "from the cache, -v says"
[ "$(calls redshift)" = 1 ]
ok $? "one request for both"
f=$(grep -l -F "$PW" "$HOME/.cache/iamdb/"*.json 2>/dev/null | head -n 1)
[ -n "$f" ] && [ "$(stat -c %a "$f")" = 600 ]
ok $? "the cache entry is mode 0600"
run env "redshift://alice@$HOST/analytics"
[ "$(calls redshift)" = 2 ]
ok $? "another database is another login"
AWS_ACCESS_KEY_ID=AKIAOTHEREXAMPLEKEY1 run env "redshift://alice@$HOST/dev"
[ "$(calls redshift)" = 3 ]
ok $? "another access key is another login"
run env --no-cache "redshift://alice@$HOST/dev"
[ "$(calls redshift)" = 4 ]
ok $? "--no-cache asks again"

done_testing
