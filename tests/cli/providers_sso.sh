# Credentials from IAM Identity Center (SSO), against the loopback fake
# (tests/fakes): the token that `aws sso login` cached is exchanged at the
# portal's GetRoleCredentials; iamdb never logs in itself.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/cli/fakelog.inc"
unset XDG_CACHE_HOME IAMDB_HTTP_TIMEOUT
fake_start
export AWS_ENDPOINT_URL_SSO="$FAKE" AWS_ENDPOINT_URL_STS="$FAKE"

ACCESS_TOKEN='aoaAAAAAGexampleSsoAccessToken0123456789abcdefghij'
STALE_TOKEN='aoaAAAAAGexampleStaleAccessToken9876543210zyxwvuts'
fake_config '{"region": "us-east-1",
 "sso": {"access_token": "'"$ACCESS_TOKEN"'", "account_id": "111122223333",
         "role_name": "Developer"},
 "roles": {"arn:aws:iam::123456789012:role/deploy": {}}}'

mkdir -p .aws/sso/cache
cat >.aws/config <<EOF
[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer
region = eu-west-1
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = Developer
[profile other]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin
[profile nosession]
sso_session = gone
sso_account_id = 111122223333
sso_role_name = Developer
[profile halfset]
sso_start_url = https://legacy.awsapps.com/start
sso_account_id = 111122223333
[profile deploy]
role_arn = arn:aws:iam::123456789012:role/deploy
source_profile = dev
EOF

sha1() { printf %s "$1" | sha1sum | cut -d' ' -f1; }
CORP=.aws/sso/cache/$(sha1 corp).json
LEGACY=.aws/sso/cache/$(sha1 https://legacy.awsapps.com/start).json
later=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ 2>/dev/null ||
    date -u -v+1H +%Y-%m-%dT%H:%M:%SZ)
token_file() {	# token_file FILE TOKEN EXPIRES-AT
	printf '{"startUrl": "https://x.awsapps.com/start", "region": "us-east-1", "accessToken": "%s", "expiresAt": "%s"}\n' \
	    "$2" "$3" >"$1"
}
no_secret() { clean "$1" "$2" "$ACCESS_TOKEN" "$STALE_TOKEN"; }
# cred ARGS: iamdb credentials; every run's stderr is kept in stderr.all.
cred() {
	run credentials "$@"
	cat err >>stderr.all
}

# --- sso_session
log_reset
cred --profile dev
expect_rc 4 "an SSO profile before aws sso login"
has err "the SSO session for profile dev has no cached token: run 'aws sso login --profile dev'" \
    "says to run aws sso login for the profile"
[ "$(calls sso)" -eq 0 ]; ok $? "and does not ask the portal"

token_file "$CORP" "$ACCESS_TOKEN" "$later"
cred --profile dev
expect_rc 0 "an sso_session profile with the token in ~/.aws/sso/cache/<sha1 of the session name>.json"
grep -q '"AccessKeyId": "ASIASSOX' out; ok $? "prints the portal's role credentials"
has out '"SessionToken"' "with their session token"
has out '"Expiration"' "and their expiration"
[ "$(calls sso)" -eq 1 ]; ok $? "one GetRoleCredentials call"
grep '^{"service":"sso"' "$FAKE_DIR/requests.log" | grep -q '"query":"account_id=111122223333&role_name=Developer"'
ok $? "for the profile's account and role"
grep '^{"service":"sso"' "$FAKE_DIR/requests.log" | grep -q '"x-amz-sso_bearer_token":"<redacted>"'
ok $? "with the cached token as the bearer token"
first=$(sed -n 's/.*"AccessKeyId": "\([^"]*\)".*/\1/p' out)
cred --profile dev
[ "$(sed -n 's/.*"AccessKeyId": "\([^"]*\)".*/\1/p' out)" = "$first" ] &&
    [ "$(calls sso)" -eq 1 ]
ok $? "a second run takes them from iamdb's cache without asking the portal"
run token --profile dev --host db.eu-west-1.rds.amazonaws.com --engine postgres --user u
expect_rc 0 "a token signed with SSO credentials"
has out "X-Amz-Security-Token=" "carries their session token"

cred --profile other --no-cache
expect_rc 5 "a role the portal does not grant"
has err "SSO GetRoleCredentials for role Admin in account 111122223333 at $FAKE: HTTP 403: No access" \
    "names the role, the account, the portal and its answer"
lacks err "aws sso login" "and does not suggest logging in again, which would not help"

token_file "$CORP" "$STALE_TOKEN" "$later"
cred --profile dev --no-cache -v
expect_rc 4 "a cached token the portal no longer accepts (HTTP 401)"
has err "SSO portal refused the cached token for profile dev (HTTP 401): run 'aws sso login --profile dev'" \
    "says to log in again"
no_secret err "without showing the token"

token_file "$CORP" "$ACCESS_TOKEN" 2020-01-01T00:00:00Z
log_reset
cred --profile dev --no-cache
expect_rc 4 "an expired cached token"
has err "the SSO session for profile dev has expired or its cached token is unreadable: run 'aws sso login --profile dev'" \
    "says to log in again"
[ "$(calls sso)" -eq 0 ]; ok $? "without asking the portal"
printf '{"accessToken": "%s"' "$ACCESS_TOKEN" >"$CORP"
cred --profile dev --no-cache
expect_rc 4 "a cached token file that is not JSON"
has err "aws sso login --profile dev" "is treated as no login"
no_secret err "and its contents are not shown"
token_file "$CORP" "$ACCESS_TOKEN" "$later"

# --- legacy sso_start_url
log_reset
cred --profile legacy --no-cache
expect_rc 4 "a legacy SSO profile before login"
has err "aws sso login --profile legacy" "says to log in"
token_file "$LEGACY" "$ACCESS_TOKEN" "$later"
cred --profile legacy --no-cache
expect_rc 0 "a legacy sso_start_url profile with the token in ~/.aws/sso/cache/<sha1 of the start URL>.json"
grep -q '"AccessKeyId": "ASIASSOX' out; ok $? "prints the portal's role credentials"
[ "$(calls sso)" -eq 1 ]; ok $? "one GetRoleCredentials call"

# --- configuration errors
cred --profile nosession
expect_rc 3 "an sso_session with no [sso-session] section"
has err "no [sso-session gone]" "names the missing section"
cred --profile halfset
expect_rc 3 "a legacy SSO profile without sso_region and sso_role_name"
has err "profile halfset is configured for SSO but lacks sso_region, sso_role_name" \
    "lists what SSO lacks"

# --- SSO as the source of a role
log_reset
cred --profile deploy --region us-east-1 --no-cache
expect_rc 0 "a role whose source_profile uses SSO"
[ "$(sts_calls | cut -d' ' -f1-5)" = "AssumeRole deploy $(sed -n 's/^{"issued":{"akid":"\([^"]*\)".*"service":"sso".*/\1/p' "$FAKE_DIR/requests.log") token signed" ]
ok $? "is assumed with the SSO credentials and their session token"

# --- portal failures
rm -f "$FAKE_DIR/faults.state"
fake_config '{"sso": {"access_token": "'"$ACCESS_TOKEN"'", "account_id": "111122223333", "role_name": "Developer"},
 "faults": [{"service": "sso", "status": 500, "times": 1}]}'
log_reset
cred --profile dev --no-cache
expect_rc 0 "a portal error once, then success"
[ "$(calls sso)" -eq 2 ]; ok $? "took two calls"
rm -f "$FAKE_DIR/faults.state"
fake_config '{"sso": {"access_token": "'"$ACCESS_TOKEN"'", "account_id": "111122223333", "role_name": "Developer"},
 "faults": [{"service": "sso", "mode": "malformed"}]}'
cred --profile dev --no-cache -v
expect_rc 5 "a malformed portal answer"
has err "SSO GetRoleCredentials answer: not valid JSON" "is called invalid"
no_secret err "-v shows no token or secret"
no_secret stderr.all "no run above printed an SSO access token, a secret or a session token"

done_testing
