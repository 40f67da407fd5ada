# EC2 instance metadata against the loopback fake: the IMDSv2 token flow,
# the v1 fallback and its switch, bounded timeouts, an endpoint that is
# not there, the switch that turns it all off, and the region from
# placement/region. Every check points AWS_EC2_METADATA_SERVICE_ENDPOINT
# at the fake or at a closed loopback port, or disables metadata.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/cli/fakelog.inc"

unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export AWS_CONFIG_FILE="$HOME/config" AWS_SHARED_CREDENTIALS_FILE="$HOME/credentials"
SECRET='imdsSecret/Value+0123456789abcdefghijklm'
TOKEN='imdsSessionTokenValue//+=='
PATH_CREDS=/latest/meta-data/iam/security-credentials/
# Generous, so that a busy machine's slow answer is not taken for a
# metadata service that is not there; the bounded waits below set botocore's
# 1 s.
export AWS_METADATA_SERVICE_TIMEOUT=30

# counted SERVICE: requests the fake has received, answered or not yet.
counted() {
	python3 -c 'import json, sys, urllib.request
print(json.load(urllib.request.urlopen(sys.argv[1] + "/_stats"))[sys.argv[2]])' \
	    "$FAKE" "$1"
}

# logged PATTERN...: how many logged requests match every grep pattern.
logged() {
	cat "$FAKE_DIR/requests.log" >logged.tmp 2>/dev/null
	for p in "$@"; do
		grep -F -- "$p" logged.tmp >logged.next
		mv logged.next logged.tmp
	done
	grep -c '"method":' logged.tmp
}

is_imds_key() {
	case $(json_get AccessKeyId) in ASIAIMDS*) return 0 ;; esac
	return 1
}

fake_start

# --- off means off
export AWS_EC2_METADATA_SERVICE_ENDPOINT=$FAKE
reset '{}'
run credentials --explain
expect_rc 4 "AWS_EC2_METADATA_DISABLED=true and nothing else: no credentials"
has err "instance metadata: disabled by AWS_EC2_METADATA_DISABLED" "the switch is named"
AWS_REGION= run token --host db.internal --engine postgres --user u
expect_rc 3 "and no region from metadata either"
[ "$(requests imds)" -eq 0 ]; ok $? "metadata was not contacted at all"
AWS_EC2_METADATA_DISABLED=TRUE run credentials
expect_rc 4 "the switch is not case-sensitive"
[ "$(requests imds)" -eq 0 ]; ok $? "and metadata is still not contacted"
unset AWS_EC2_METADATA_DISABLED

# --- IMDSv2
reset '{"imds": {"role": "app-role", "region": "eu-north-1"}}'
run credentials --explain
expect_rc 0 "credentials from the instance role"
is_imds_key; ok $? "are the metadata service's"
[ "$(json_get SessionToken)" != null ] && [ "$(json_get Expiration)" != null ]
ok $? "with a session token and an expiration"
has err "instance metadata: found temporary credentials valid until" "--explain says so"
has err "(instance role app-role)" "and names the role"
lacks err IMDSv1 "over IMDSv2"
[ "$(logged '"method":"PUT"' '"path":"/latest/api/token"' \
    '"X-aws-ec2-metadata-token-ttl-seconds":"21600"')" -eq 1 ]
ok $? "one PUT /latest/api/token with a TTL header"
[ "$(logged '"method":"GET"' '"path":"'$PATH_CREDS'"')" -eq 1 ] &&
    [ "$(logged '"method":"GET"' '"path":"'${PATH_CREDS}app-role'"')" -eq 1 ]
ok $? "then GET the role list and the role's credentials"
[ "$(logged '"method":"GET"')" -eq \
    "$(logged '"method":"GET"' '"X-aws-ec2-metadata-token":"<redacted>"')" ]
ok $? "every GET carries the session token"
head -n 1 "$FAKE_DIR/requests.log" | grep -q '"path":"/latest/api/token"'
ok $? "the token is asked for first"
[ "$(logged placement/region)" -eq 0 ]
ok $? "iamdb credentials needs no region: placement/region is not asked"

reset '{"imds": {"role": "app-role"}}'
printf '[default]\nregion = us-east-2\n' >"$HOME/config"
run token --host db.internal --engine postgres --user u
expect_rc 0 "iamdb token with instance role credentials"
has out "X-Amz-Credential=ASIAIMDS" "signs with the role's key"
has out "X-Amz-Security-Token=" "and its session token"
rm "$HOME/config"

# --- the v1 fallback
for st in 403 404 405; do
	reset '{"imds": {"disable_token_put": '$st', "allow_v1": true}}'
	run credentials --explain
	expect_rc 0 "token PUT answered $st: IMDSv1 is used"
	is_imds_key; ok $? "and gives the role's credentials ($st)"
done
has err "no IMDSv2 token (HTTP 405): using v1" "--explain says v1 was used"
has err "(IMDSv1)" "and marks the source"
[ "$(logged '"method":"GET"' 'X-aws-ec2-metadata-token"')" -eq 0 ]
ok $? "the v1 GETs carry no token"
reset '{"imds": {"disable_token_put": 403, "allow_v1": true}}'
AWS_EC2_METADATA_V1_DISABLED=true run credentials
expect_rc 4 "AWS_EC2_METADATA_V1_DISABLED=true forbids the fallback"
has err "gave no IMDSv2 token (HTTP 403) and IMDSv1 is disabled" "and says why"
[ "$(logged '"method":"GET"')" -eq 0 ]; ok $? "no v1 request is made"
printf '[default]\nec2_metadata_v1_disabled = true\n' >"$HOME/config"
run credentials
expect_rc 4 "ec2_metadata_v1_disabled in the profile does the same"
rm "$HOME/config"
reset '{"imds": {"disable_token_put": 403, "allow_v1": false}}'
run credentials
expect_rc 4 "token refused and v1 refused too: no credentials, as in botocore"
has err "no instance role (instance metadata $PATH_CREDS: HTTP 401)" \
    "the refusal is in the account of what was tried"
[ ! -s out ]; ok $? "nothing is printed"

# --- broken or missing answers: botocore finds no credentials in them
reset '{"faults": [{"service": "imds", "method": "PUT", "status": 500}]}'
run credentials --explain
expect_rc 4 "token PUT answered 500"
has err "no IMDSv2 token (HTTP 500): using v1" "falls back to v1, as botocore does"
[ "$(logged '"method":"GET"')" -eq 1 ]; ok $? "which is asked"
reset '{"faults": [{"service": "imds", "method": "PUT", "status": 400}]}'
run credentials --explain
expect_rc 4 "token PUT answered 400"
has err "refused the token request (HTTP 400)" "is no credentials, without v1"
[ "$(logged '"method":"GET"')" -eq 0 ]; ok $? "which is not asked"
reset '{"faults": [{"service": "imds", "method": "PUT", "mode": "empty"}]}'
run credentials --explain
expect_rc 4 "an empty token"
has err "no IMDSv2 token (HTTP 200 with an empty token): using v1" \
    "is no token"
reset '{"faults": [{"service": "imds", "method": "PUT", "mode": "malformed", "body": "tok\r\nX-Injected: 1", "content_type": "text/plain"}]}'
run credentials
expect_rc 5 "a token with a line break"
[ "$(logged '"method":"GET"')" -eq 0 ]; ok $? "is never sent as a header"
reset '{"imds": {"role": null}}'
run credentials
expect_rc 4 "an instance without a role"
has err "instance metadata: no instance role (instance metadata $PATH_CREDS: HTTP 404)" \
    "has no credentials to give"
has err "no AWS credentials found" "and the chain says none were found"
[ "$(sed -n 1p err)" = "iamdb: no AWS credentials found; tried, in order:" ] &&
    grep -q '^  environment: ' err && grep -q '^  instance metadata: ' err
ok $? "one line for each source it tried, indented under the first"
reset '{"faults": [{"service": "imds", "method": "GET", "path": "'$PATH_CREDS'", "mode": "malformed", "body": "x\r\niamdb: accepted\n", "content_type": "text/plain"}]}'
run credentials
grep -q '^iamdb: accepted' err
[ $? -eq 1 ] && grep -q '^  instance metadata: ' err
ok $? "a role name with a line break in it forges no line of the list ($rc)"
reset '{"faults": [{"service": "imds", "method": "GET", "path": "'$PATH_CREDS'", "mode": "malformed", "body": "../../latest/api/token\n", "content_type": "text/plain", "times": 1}]}'
run credentials
expect_rc 4 "a role name with a slash"
has err "no usable instance role" "is refused"
[ "$(logged '"method":"GET"')" -eq 1 ]; ok $? "and not requested"
reset '{"faults": [{"service": "imds", "method": "GET", "path": "'${PATH_CREDS}test-role'", "mode": "malformed", "body": "{\"Code\": \"Success\", \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"'$SECRET'\", \"Token\": \"t\"}"}]}'
run credentials
expect_rc 4 "credentials without an Expiration"
has err "no Expiration" "are none, as in botocore"
lacks err "$SECRET" "and the secret is not on stderr"
reset '{"faults": [{"service": "imds", "method": "GET", "path": "'${PATH_CREDS}test-role'", "mode": "malformed", "body": "{\"Code\": \"AssumeRoleUnauthorizedAccess\", \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"'$SECRET'\", \"Expiration\": \"2099-01-01T00:00:00Z\"}"}]}'
run credentials
expect_rc 4 "an answer without a Token (an error Code)"
has err "no Token in the answer" "is none, as in botocore"
lacks err "$SECRET" "and the secret is not on stderr"
reset '{"faults": [{"service": "imds", "method": "GET", "path": "'${PATH_CREDS}test-role'", "mode": "truncated"}]}'
run credentials
expect_rc 4 "credentials cut off mid-answer are none"
reset '{"imds": {"credentials": {"access_key_id": "ASIAIMDSFIXED0000001", "secret_access_key": "'$SECRET'", "session_token": "'$TOKEN'", "expiration": "1970-01-01T00:00:00Z"}}}'
run credentials
expect_rc 4 "credentials that expired at the epoch"
has err "expired at 1970-01-01T00:00:00Z" "are expired, not credentials that never expire"
reset '{"imds": {"credentials": {"access_key_id": "ASIAIMDSFIXED0000001", "secret_access_key": "'$SECRET'", "session_token": "'$TOKEN'", "expiration": "2001-01-01T00:00:00Z"}}}'
run credentials
expect_rc 4 "credentials that expired"
has err "expired at 2001-01-01T00:00:00Z" "the expiry is named"
lacks err "$SECRET" "the secret is not on stderr"
lacks err "$TOKEN" "nor the session token"

# --- bounded waits: counted, not timed (the machine may be busy)
export AWS_METADATA_SERVICE_TIMEOUT=1
reset '{"faults": [{"service": "imds", "mode": "hang", "seconds": 30}]}'
before=$(counted imds)
timed credentials --explain
expect_rc 4 "a metadata service that answers nothing"
has err "no IMDSv2 token (instance metadata $FAKE/latest/api/token: " \
    "gives no token: the PUT times out"
has err "timed out" "as a timeout"
has err "no instance role" "and v1 finds nothing either, as in botocore"
[ "$(counted imds)" -eq $((before + 2)) ]; ok $? "one attempt at each, no retry"
[ "$ms" -lt 20000 ]; ok $? "bounded by the 1 s timeouts, not the 30 s hang ($ms ms)"
reset '{"faults": [{"service": "imds", "method": "GET", "mode": "hang", "seconds": 30}]}'
timed credentials
expect_rc 4 "a service that hangs after the token"
[ "$ms" -lt 20000 ]; ok $? "gives up after the 1 s timeout ($ms ms)"
printf '[default]\nmetadata_service_num_attempts = 3\nmetadata_service_timeout = 1\n' \
    >"$HOME/config"
reset '{"faults": [{"service": "imds", "method": "GET", "mode": "hang", "seconds": 30}]}'
before=$(counted imds)
run credentials
[ "$(counted imds)" -eq $((before + 4)) ]
ok $? "metadata_service_num_attempts = 3 asks the role three times"
AWS_METADATA_SERVICE_NUM_ATTEMPTS=x run credentials
expect_rc 3 "a number of attempts that is not a number"
has err "metadata_service_num_attempts 'x' is not a whole number" "is refused"
rm "$HOME/config"
reset '{"faults": [{"service": "imds", "mode": "hang", "seconds": 30}]}'
timed token --host db.internal --engine postgres --user u
expect_rc 3 "iamdb token, no region anywhere, metadata hanging"
[ "$ms" -lt 20000 ]; ok $? "gives up on the region within the timeouts ($ms ms)"
export AWS_METADATA_SERVICE_TIMEOUT=30

AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:1 run credentials --explain
expect_rc 4 "a closed port (connection refused)"
has err "instance metadata: not reachable" "metadata is skipped as not reachable"
lacks err "using v1" "without a v1 attempt that could only fail the same way"
has err "no AWS credentials found" "and the chain reports no credentials"
AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:1/ \
    AWS_ACCESS_KEY_ID=AKIAENVIRONMENT00001 AWS_SECRET_ACCESS_KEY=e \
    run token --host db.internal --engine postgres --user u
expect_rc 3 "an unreachable service yields no region"
has err "no region" "which is reported as a missing region"

# --- proxies: botocore asks metadata through http_proxy (unless no_proxy
# says not to), never through ALL_PROXY
proxy_start
reset '{"imds": {"role": "app-role"}}'
: >"$PROXY_DIR/proxy.log"
http_proxy=$PROXY run credentials
expect_rc 0 "with http_proxy set"
[ "$(proxied '"url":"http://127.0.0.1:')" -eq 3 ]
ok $? "the token PUT and both GETs go through the proxy, as in botocore"
[ "$(proxied '"authorization":true')" -eq 2 ]
ok $? "(the proxy sees the session token header on the GETs)"
: >"$PROXY_DIR/proxy.log"
HTTP_PROXY=$PROXY run credentials
[ "$(proxied)" -eq 3 ]; ok $? "so does HTTP_PROXY, as urllib reads it"
: >"$PROXY_DIR/proxy.log"
HTTP_PROXY=$PROXY REQUEST_METHOD=GET run credentials
[ "$(proxied)" -eq 0 ]; ok $? "but not under CGI (httpoxy), as urllib"
: >"$PROXY_DIR/proxy.log"
http_proxy=$PROXY no_proxy=127.0.0.1 run credentials
expect_rc 0 "no_proxy naming the endpoint"
[ "$(proxied)" -eq 0 ]; ok $? "sends it directly"
: >"$PROXY_DIR/proxy.log"
ALL_PROXY=$PROXY all_proxy=$PROXY run credentials
expect_rc 0 "ALL_PROXY alone"
[ "$(proxied)" -eq 0 ]; ok $? "is not used, as botocore does not use it"

# --- where the endpoint comes from
reset '{}'
AWS_EC2_METADATA_SERVICE_ENDPOINT=$FAKE/ run credentials
expect_rc 0 "an endpoint with a trailing slash"
[ "$(logged '"path":"/latest/api/token"')" -eq 1 ]; ok $? "is not doubled"
printf '[default]\nec2_metadata_service_endpoint = %s\n' "$FAKE" >"$HOME/config"
AWS_EC2_METADATA_SERVICE_ENDPOINT= run credentials
expect_rc 0 "ec2_metadata_service_endpoint in the profile"
printf '[default]\nec2_metadata_service_endpoint = http://127.0.0.1:1\n' >"$HOME/config"
run credentials
expect_rc 0 "AWS_EC2_METADATA_SERVICE_ENDPOINT beats the profile's endpoint"
rm "$HOME/config"
AWS_EC2_METADATA_SERVICE_ENDPOINT=ftp://127.0.0.1/ run credentials
expect_rc 3 "an endpoint that is not http(s)"
has err "is not an http(s) URL" "is a configuration error"

# --- the region from placement/region
reset '{"imds": {"region": "eu-north-1"}}'
run token --host db.internal --engine postgres --user u -v
expect_rc 0 "a host name without a region and no region configured"
has out "%2Feu-north-1%2Frds-db%2Faws4_request" "is signed for the instance's region"
has err "region eu-north-1 (from instance metadata)" "-v names where it came from"
[ "$(logged '"path":"/latest/meta-data/placement/region"' \
    '"X-aws-ec2-metadata-token":"<redacted>"')" -eq 1 ]
ok $? "asked once, with an IMDSv2 token"
AWS_ACCESS_KEY_ID=AKIAENVIRONMENT00001 AWS_SECRET_ACCESS_KEY=e \
    run token --host db.internal --engine postgres --user u -v
has out "X-Amz-Credential=AKIAENVIRONMENT00001%2F" "environment keys with the instance's region"
has out "%2Feu-north-1%2F" "the region still comes from metadata"
lacks err "instance metadata:" "the region lookup is no part of the credentials' account"
reset '{"imds": {"region": "eu-north-1"}}'
AWS_REGION=ap-south-1 run token --host db.internal --engine postgres --user u
has out "%2Fap-south-1%2F" "AWS_REGION beats instance metadata"
[ "$(logged placement/region)" -eq 0 ]; ok $? "which is then not asked for the region"
run token --host db.c9akciq32.us-east-1.rds.amazonaws.com --engine postgres --user u
has out "%2Fus-east-1%2F" "the host name's region beats instance metadata"
[ "$(logged placement/region)" -eq 0 ]; ok $? "which is again not asked"
reset '{"imds": {"region": "Not A Region"}}'
run token --host db.internal --engine postgres --user u
expect_rc 3 "a region from metadata that is not a region name"
has err "invalid region 'Not' from instance metadata" "is named with its source"
reset '{"imds": {"disable_token_put": 403, "allow_v1": true, "region": "sa-east-1"}}'
run token --host db.internal --engine postgres --user u
has out "%2Fsa-east-1%2F" "the region also comes over IMDSv1"

done_testing
