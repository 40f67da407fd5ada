# The container credentials provider (ECS task roles, EKS Pod Identity)
# against the loopback fake: the authorization token and its file,
# retries, broken answers, and the refusal to fetch credentials in the
# clear from anywhere but loopback. AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
# is not tested: it always means http://169.254.170.2, which a test must
# not contact.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/cli/fakelog.inc"

unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export AWS_CONFIG_FILE="$HOME/config" AWS_SHARED_CREDENTIALS_FILE="$HOME/credentials"
AUTH='containerAuthTokenValue0123'
SECRET='containerSecret/Value+0123456789abcdefgh'
TOKEN='containerSessionTokenValue//+=='

fake_start
proxy_start
export AWS_CONTAINER_CREDENTIALS_FULL_URI="$FAKE/creds"
# Generous, so that a busy machine's slow answer is neither abandoned nor
# retried (the requests are counted); the timeout check sets its own.
export IAMDB_HTTP_TIMEOUT=30

# --- the authorization token
reset '{"container": {"auth_token": "'$AUTH'"}}'
AWS_CONTAINER_AUTHORIZATION_TOKEN=$AUTH run credentials --explain
expect_rc 0 "FULL_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN"
case $(json_get AccessKeyId) in ASIAECSX*) true ;; *) false ;; esac
ok $? "the credentials are the endpoint's"
[ "$(json_get SessionToken)" != null ] && [ "$(json_get Expiration)" != null ]
ok $? "with its Token as SessionToken and its Expiration"
has err "container: found temporary credentials" "--explain names the container endpoint"
lacks err "$AUTH" "--explain does not show the authorization token"
[ "$(requests container)" -eq 1 ]; ok $? "one request"

printf '%s\n' "$AUTH" >"$HOME/auth"
AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$HOME/auth" run credentials
expect_rc 0 "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (its newline trimmed)"
AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$HOME/auth" \
    AWS_CONTAINER_AUTHORIZATION_TOKEN=wrong run credentials
expect_rc 0 "the token file wins over a wrong token variable"
printf 'wrongFromFile\n' >"$HOME/wrongauth"
AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$HOME/wrongauth" \
    AWS_CONTAINER_AUTHORIZATION_TOKEN=$AUTH run credentials
expect_rc 5 "a wrong token file wins over the right variable"
has err "HTTP 401" "the endpoint's refusal is reported"
lacks err wrongFromFile "the token is not on stderr"

AWS_CONTAINER_AUTHORIZATION_TOKEN=wrongTokenValue run credentials
expect_rc 5 "a wrong token"
has err "container credentials endpoint: HTTP 401" "is reported as the endpoint's refusal"
lacks err wrongTokenValue "and not shown"
run credentials
expect_rc 5 "no token where one is required"

reset '{"container": {"auth_token": "'$AUTH'"}}'
AWS_CONTAINER_AUTHORIZATION_TOKEN="$AUTH
X-Injected: 1" run credentials
expect_rc 4 "a token variable with a line break"
has err "contains a line break" "is refused"
printf 'part1\npart2\n' >"$HOME/twolines"
AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$HOME/twolines" run credentials
expect_rc 4 "a token file with a line break inside"
lacks err part1 "the token is not on stderr"
[ "$(requests container)" -eq 0 ]; ok $? "the endpoint was not contacted"
AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$HOME/missing" run credentials
expect_rc 4 "a token file that does not exist"
has err "$HOME/missing" "the file is named"
: >"$HOME/emptyauth"
AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$HOME/emptyauth" run credentials
expect_rc 4 "an empty token file"

# --- where credentials may come from
# A TEST-NET-1 address that must never be contacted. The proxy variables
# are a safety net: were the check to regress, curl would go to the
# recording proxy, which forwards to loopback only, and it would show.
reset '{}'
: >"$PROXY_DIR/proxy.log"
for uri in http://192.0.2.1/creds http://192.0.2.1:80/v2/credentials \
    http://127.0.0.1@192.0.2.1/creds http://localhost:1@192.0.2.1/creds \
    http://127.0.0.1.192.0.2.1.example/creds http://127.1/creds \
    http://127.0.0.01/creds http://127.0.0.1.5/creds \
    http://[::2]:1/creds http://[::ffff:127.0.0.1]:1/creds \
    file:///etc/passwd ftp://127.0.0.1/creds "192.0.2.1/creds"; do
	http_proxy=$PROXY ALL_PROXY=$PROXY AWS_CONTAINER_CREDENTIALS_FULL_URI=$uri \
	    run credentials
	expect_rc 4 "FULL_URI $uri is refused"
	has err "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https, or http to a loopback" \
	    "with the rule stated ($uri)"
done
[ "$(proxied)" -eq 0 ] && [ "$(requests container)" -eq 0 ]
ok $? "before any connection attempt"
AWS_CONTAINER_CREDENTIALS_FULL_URI=https://127.0.0.1:1/creds run credentials
expect_rc 5 "an https FULL_URI is allowed (the closed loopback port fails to connect)"
lacks err "must be https" "https is not refused by the rule"
AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.2:1/creds run credentials
expect_rc 5 "http to any 127.0.0.0/8 address is allowed"
for uri in 'http://[::1]:1/creds' 'http://[0:0:0:0:0:0:0:1]:1/creds' \
    'http://[::0:1]:1/creds'; do
	AWS_CONTAINER_CREDENTIALS_FULL_URI=$uri run credentials
	lacks err "must be https" "the IPv6 loopback address $uri is allowed, as botocore's is_loopback allows it"
done
port=${FAKE##*:}
AWS_CONTAINER_CREDENTIALS_FULL_URI=http://localhost:$port/creds run credentials
expect_rc 0 "http to localhost is allowed"
AWS_CONTAINER_CREDENTIALS_FULL_URI=http://LocalHost:$port/creds run credentials
expect_rc 0 "in any case, as botocore compares host names"

# --- never through a proxy, which would see the authorization token
reset '{"container": {"auth_token": "'$AUTH'"}}'
: >"$PROXY_DIR/proxy.log"
http_proxy=$PROXY HTTP_PROXY=$PROXY ALL_PROXY=$PROXY all_proxy=$PROXY \
    AWS_CONTAINER_AUTHORIZATION_TOKEN=$AUTH run credentials
expect_rc 0 "with every proxy variable set"
[ "$(proxied)" -eq 0 ]; ok $? "the container endpoint is asked directly, as botocore asks it"
[ "$(requests container)" -eq 1 ]; ok $? "and answers"

# --- retries and broken answers
reset '{"faults": [{"service": "container", "status": 500, "times": 2}]}'
run credentials
expect_rc 0 "two 500s, then success: retried"
[ "$(requests container)" -eq 3 ]; ok $? "in three requests"
reset '{"faults": [{"service": "container", "status": 503}]}'
run credentials
expect_rc 5 "503 every time"
[ "$(requests container)" -eq 3 ]; ok $? "gives up after three requests"
has err "HTTP 503" "the status is reported"
reset '{"faults": [{"service": "container", "status": 404}]}'
run credentials
expect_rc 5 "404"
[ "$(requests container)" -eq 1 ]; ok $? "is not retried"
for mode in malformed empty truncated close reset; do
	reset '{"faults": [{"service": "container", "mode": "'$mode'"}]}'
	run credentials
	expect_rc 5 "a $mode answer"
	[ ! -s out ]; ok $? "prints nothing ($mode)"
done
reset '{"faults": [{"service": "container", "mode": "malformed", "body": "{\"Token\": \"t\", \"Expiration\": \"2099-01-01T00:00:00Z\"}"}]}'
run credentials
expect_rc 5 "an answer without AccessKeyId"
has err "no AccessKeyId and SecretAccessKey" "the missing field is named"
reset '{"faults": [{"service": "container", "mode": "malformed", "body": "{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"'$SECRET'\", \"Expiration\": \"2099-01-01T00:00:00Z\"}"}]}'
run credentials
expect_rc 5 "an answer without Token"
has err "no Token in the answer" "is refused, as botocore needs it"
reset '{"faults": [{"service": "container", "mode": "malformed", "body": "{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"'$SECRET'\", \"Token\": \"t\"}"}]}'
run credentials
expect_rc 5 "an answer without Expiration"
has err "no Expiration in the answer" "is refused, as botocore needs it"
reset '{"faults": [{"service": "container", "mode": "malformed", "body": "{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"'$SECRET'\", \"Expiration\": \"tomorrow\"}"}]}'
run credentials
expect_rc 5 "an unreadable Expiration"
lacks err "$SECRET" "the secret in the answer is not on stderr"
reset '{"faults": [{"service": "container", "mode": "malformed", "body": "{\"AccessKeyId\": \"A\", \"SecretAccessKey\": x'${SECRET%%/*}'}"}]}'
run credentials
expect_rc 5 "an answer that is not JSON"
lacks err "${SECRET%%/*}" "the parse error does not quote the answer"

# --- expired credentials
reset '{"container": {"credentials": {"access_key_id": "ASIACONTAINERFIXED01", "secret_access_key": "'$SECRET'", "session_token": "'$TOKEN'", "expiration": "1970-01-01T00:00:00Z"}}}'
run credentials
expect_rc 4 "credentials that expired at the epoch"
has err "expired at 1970-01-01T00:00:00Z" "are expired, not credentials that never expire"
reset '{"container": {"credentials": {"access_key_id": "ASIACONTAINERFIXED01", "secret_access_key": "'$SECRET'", "session_token": "'$TOKEN'", "expiration": "2001-01-01T00:00:00Z"}}}'
run credentials
expect_rc 4 "credentials that expired"
has err "expired at 2001-01-01T00:00:00Z" "the expiry is named"
lacks err "$SECRET" "the secret is not on stderr"
lacks err "$TOKEN" "nor the session token"
run token --host db.c9akciq32.us-east-1.rds.amazonaws.com --engine mysql --user u
expect_rc 4 "iamdb token refuses them too"
[ ! -s out ]; ok $? "and prints nothing"

# --- precedence
reset '{}'
AWS_ACCESS_KEY_ID=AKIAENVIRONMENT00001 AWS_SECRET_ACCESS_KEY=e run credentials
[ "$(json_get AccessKeyId)" = AKIAENVIRONMENT00001 ]
ok $? "environment keys beat the container endpoint"
printf '[default]\naws_access_key_id = AKIAPROFILE000000001\naws_secret_access_key = p\n' \
    >"$HOME/credentials"
run credentials
[ "$(json_get AccessKeyId)" = AKIAPROFILE000000001 ]
ok $? "the profile's keys beat the container endpoint"
[ "$(requests container)" -eq 0 ]; ok $? "which is then not contacted"
rm "$HOME/credentials"
reset '{}'
export AWS_EC2_METADATA_SERVICE_ENDPOINT=$FAKE
unset AWS_EC2_METADATA_DISABLED
run credentials
case $(json_get AccessKeyId) in ASIAECSX*) true ;; *) false ;; esac
ok $? "the container endpoint beats instance metadata"
[ "$(requests imds)" -eq 0 ]; ok $? "which is then not contacted"
export AWS_EC2_METADATA_DISABLED=true

# --- libcurl is loaded for the network, and only then
LD_DEBUG=libs "$IAMDB" credentials >out 2>err
has err "libcurl" "fetching from the endpoint loads libcurl (the LD_DEBUG check works)"

# --- an endpoint that never answers, last: the fake logs a held request
# only when it lets go of it, so it would land in a later check's count.
# The fake holds each for 60 s, far beyond any busy machine's slowness; the
# attempts are counted as they arrive.
reset '{"faults": [{"service": "container", "mode": "hang", "seconds": 60}]}'
export IAMDB_HTTP_TIMEOUT=2
timed credentials
expect_rc 5 "an endpoint that does not answer"
has err "timed out" "times out"
[ "$ms" -lt 40000 ]; ok $? "bounded by IAMDB_HTTP_TIMEOUT=2 s a request, not the 60 s the server holds each ($ms ms)"
[ "$(fault_hits)" -eq 3 ]; ok $? "in three attempts"

done_testing
