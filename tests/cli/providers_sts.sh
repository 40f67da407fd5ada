# Credentials from STS, against the loopback fake (tests/fakes): AssumeRole
# through source_profile and credential_source, role chains, the session
# options, MFA, web identity, STS failures, and that no failure prints a
# secret.
. "$TESTS_DIR/lib.sh"
unset XDG_CACHE_HOME IAMDB_HTTP_TIMEOUT
fake_start
export AWS_ENDPOINT_URL_STS="$FAKE"

ROLE=arn:aws:iam::123456789012:role
MFA=arn:aws:iam::123456789012:mfa/dev
SRC_AKID=AKIASRCEXAMPLE000001
SRC_SECRET='srcSecret/Example+Key0123456789abcdefgh'
WRONG_SECRET='wrongSecret/Example+Key0123456789abcdef'
CFG_AKID=AKIACFGEXAMPLE000002
CFG_SECRET='cfgSecret/Example+Key0123456789abcdefgh'
ENV_AKID=AKIAENVEXAMPLE000003
ENV_SECRET='envSecret/Example+Key0123456789abcdefgh'
TOK_AKID=ASIATOKEXAMPLE000004
TOK_SECRET='tokSecret/Example+Key0123456789abcdefgh'
TOK_TOKEN='FwoGZXIvYXdzEXAMPLEsourceSessionToken0123456789'
MFA_CODE=864209
MFA_WRONG=531970
WEB_TOKEN='eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QifQ.c2lnbmF0dXJl'

. "$TESTS_DIR/cli/fakelog.inc"
# no_secret FILE DESCRIPTION: FILE shows no secret, token or MFA code we
# gave, and nothing the fake issued.
no_secret() {
	clean "$1" "$2" "$SRC_SECRET" "$WRONG_SECRET" "$CFG_SECRET" \
	    "$ENV_SECRET" "$TOK_SECRET" "$TOK_TOKEN" "$MFA_CODE" "$MFA_WRONG" \
	    "$WEB_TOKEN"
}
# cred ARGS: iamdb credentials, uncached so that every run asks STS; every
# run's stderr is kept in stderr.all.
cred() {
	run credentials --region us-east-1 --no-cache "$@"
	cat err >>stderr.all
}
# hops: the STS calls since log_reset, without their parameters.
hops() { sts_calls | cut -d' ' -f1-5; }
akid() { sed -n 's/.*"AccessKeyId": "\([^"]*\)".*/\1/p' out; }

# The fake's configuration, without its closing brace.
FAKE_BASE=$(cat <<EOF
{"region": "us-east-1",
 "keys": {"$SRC_AKID": "$SRC_SECRET", "$CFG_AKID": "$CFG_SECRET",
          "$ENV_AKID": "$ENV_SECRET", "$TOK_AKID": "$TOK_SECRET"},
 "keys_tokens": {"$TOK_AKID": "$TOK_TOKEN"},
 "roles": {
  "$ROLE/plain": {},
  "$ROLE/a": {"trust": ["$ROLE/b"]},
  "$ROLE/b": {"trust": ["$ROLE/c"]},
  "$ROLE/c": {"trust": ["$SRC_AKID"]},
  "$ROLE/ext": {"require_external_id": "ext-7d1f"},
  "$ROLE/mfa": {"require_mfa": {"serial": "$MFA", "code": "$MFA_CODE"}},
  "$ROLE/web": {"web_identity_token": "$WEB_TOKEN"}}
EOF
)
fake_config "$FAKE_BASE}"

mkdir -p .aws
cat >.aws/credentials <<EOF
[src]
aws_access_key_id = $SRC_AKID
aws_secret_access_key = $SRC_SECRET
[wrongsrc]
aws_access_key_id = $SRC_AKID
aws_secret_access_key = $WRONG_SECRET
[tokwrong]
aws_access_key_id = $TOK_AKID
aws_secret_access_key = $WRONG_SECRET
aws_session_token = $TOK_TOKEN
EOF
cat >.aws/config <<EOF
[profile plain]
role_arn = $ROLE/plain
source_profile = src
[profile cfgkeys]
aws_access_key_id = $CFG_AKID
aws_secret_access_key = $CFG_SECRET
[profile fromcfg]
role_arn = $ROLE/plain
source_profile = cfgkeys
[profile badsecret]
role_arn = $ROLE/plain
source_profile = wrongsrc
[profile badtoken]
role_arn = $ROLE/plain
source_profile = tokwrong
[profile a]
role_arn = $ROLE/a
source_profile = b
[profile b]
role_arn = $ROLE/b
source_profile = c
[profile c]
role_arn = $ROLE/c
source_profile = src
[profile x]
role_arn = $ROLE/plain
source_profile = y
[profile y]
role_arn = $ROLE/plain
source_profile = x
[profile self]
role_arn = $ROLE/plain
source_profile = self
aws_access_key_id = $CFG_AKID
aws_secret_access_key = $CFG_SECRET
[profile selfnokeys]
role_arn = $ROLE/plain
source_profile = selfnokeys
[profile missing]
role_arn = $ROLE/plain
source_profile = nosuch
[profile both]
role_arn = $ROLE/plain
source_profile = src
credential_source = Environment
[profile neither]
role_arn = $ROLE/plain
[profile badsource]
role_arn = $ROLE/plain
credential_source = Nowhere
[profile envsrc]
role_arn = $ROLE/plain
credential_source = Environment
[profile opts]
role_arn = $ROLE/plain
source_profile = src
role_session_name = deploy-bot
duration_seconds = 1800
[profile baddur]
role_arn = $ROLE/plain
source_profile = src
duration_seconds = 60
[profile baddur2]
role_arn = $ROLE/plain
source_profile = src
duration_seconds = 1h
[profile ext]
role_arn = $ROLE/ext
source_profile = src
external_id = ext-7d1f
[profile extwrong]
role_arn = $ROLE/ext
source_profile = src
external_id = ext-0000
[profile extnone]
role_arn = $ROLE/ext
source_profile = src
[profile mfa]
role_arn = $ROLE/mfa
source_profile = src
mfa_serial = $MFA
[profile web]
role_arn = $ROLE/web
web_identity_token_file = $HOME/web.token
role_session_name = pod-1
[profile webwrong]
role_arn = $ROLE/web
web_identity_token_file = $HOME/wrong.token
[profile webmissing]
role_arn = $ROLE/web
web_identity_token_file = $HOME/nosuch.token
[profile fromweb]
role_arn = $ROLE/plain
source_profile = web
EOF
printf '%s\n' "$WEB_TOKEN" >web.token
printf 'not-the-token\n' >wrong.token

# --- AssumeRole with a source_profile's static keys
log_reset
cred --profile plain
expect_rc 0 "role with source_profile keys in the credentials file"
akid | grep -q '^ASIA'; ok $? "prints the role's temporary key, not the source's"
has out '"SessionToken"' "with its session token"
has out '"Expiration"' "and its expiration"
[ "$(hops)" = "AssumeRole plain $SRC_AKID notoken signed" ]
ok $? "one AssumeRole, signed with the source key and no session token"
cred --profile fromcfg
expect_rc 0 "role with source_profile keys in the config file"
sts_calls | tail -n 1 | grep -q "^AssumeRole plain $CFG_AKID notoken signed"
ok $? "signed with the config file's key"

log_reset
cred --profile badsecret
expect_rc 5 "a wrong source secret is refused by STS"
has err "STS AssumeRole at $FAKE" "the error names STS, the call and the endpoint"
has err "HTTP 403 SignatureDoesNotMatch" "and AWS's status and error code"
has err "The request signature we calculated does not match" "and AWS's message"
[ "$(grep -c . err)" -eq 1 ]; ok $? "on one line, without the canonical request AWS quotes"
no_secret err "the error shows no secret"
[ "$(calls sts)" -eq 1 ]; ok $? "a refused signature is not retried"
cred --profile badtoken -v
expect_rc 5 "a source with a session token and a wrong secret"
has err "SignatureDoesNotMatch" "is refused by STS"
no_secret err "the error and -v never show the source's session token"

# --- role chains
log_reset
cred --profile a
expect_rc 0 "a chain of three roles (a -> b -> c -> static keys)"
hops >chain
c_key=$(issued c)
b_key=$(issued b)
[ "$(sed -n 1p chain)" = "AssumeRole c $SRC_AKID notoken signed" ]
ok $? "the last hop is assumed first, with the static keys"
[ "$(sed -n 2p chain)" = "AssumeRole b $c_key token signed" ]
ok $? "b is assumed with c's temporary key and its session token, signed"
[ "$(sed -n 3p chain)" = "AssumeRole a $b_key token signed" ]
ok $? "a is assumed with b's temporary key and its session token, signed"
[ "$(wc -l <chain)" -eq 3 ]; ok $? "three calls in all"
[ "$(akid)" = "$(issued a)" ]; ok $? "the result is a's credentials"

cred --profile x
expect_rc 3 "a source_profile cycle"
has err "source_profile cycle: x -> y -> x" "names the cycle"
cred --profile self
expect_rc 0 "a profile may be its own source when it has static keys"
sts_calls | tail -n 1 | grep -q "^AssumeRole plain $CFG_AKID notoken signed"
ok $? "and its own keys sign the call"
cred --profile selfnokeys
expect_rc 3 "a profile naming itself without static keys"
has err "source_profile is itself but it has no static keys" "is explained"
cred --profile missing
expect_rc 3 "a source_profile that does not exist"
has err "source_profile 'nosuch' does not exist" "names the missing profile"
cred --profile both
expect_rc 3 "source_profile and credential_source together"
has err "mutually exclusive" "is explained"
cred --profile neither
expect_rc 3 "role_arn with no source"
has err "role_arn needs source_profile, credential_source or web_identity_token_file" "says what is missing"
cred --profile badsource
expect_rc 3 "an unknown credential_source"
has err "unknown credential_source 'Nowhere'" "names the value"

# --- credential_source
log_reset
AWS_ACCESS_KEY_ID=$ENV_AKID AWS_SECRET_ACCESS_KEY=$ENV_SECRET cred --profile envsrc
expect_rc 0 "credential_source = Environment"
[ "$(hops)" = "AssumeRole plain $ENV_AKID notoken signed" ]
ok $? "the environment's keys sign the call, though --profile was given"
cred --profile envsrc
expect_rc 4 "credential_source = Environment with no keys in the environment"
has err "credential_source Environment has no credentials" "is explained"

# --- session name, external ID, duration
log_reset
cred --profile opts
expect_rc 0 "role_session_name and duration_seconds"
sts_calls | grep -q ' RoleSessionName=deploy-bot DurationSeconds=1800$'
ok $? "both are sent"
cred --profile plain
sts_calls | tail -n 1 | grep -qE ' RoleSessionName=iamdb-[0-9]+$'
ok $? "without them: a generated session name and STS's default duration"
cred --profile baddur
expect_rc 3 "duration_seconds under 900"
has err "duration_seconds '60' is not 900 to 43200" "names the value and the range"
cred --profile baddur2
expect_rc 3 "duration_seconds that is not a number"
[ "$(calls sts)" -eq 2 ]; ok $? "invalid settings make no call"

log_reset
cred --profile ext
expect_rc 0 "the external ID the role requires"
sts_calls | grep -q ' ExternalId=ext-7d1f$'; ok $? "is sent"
cred --profile extwrong
expect_rc 5 "a wrong external ID"
has err "HTTP 403 AccessDenied" "is STS's AccessDenied"
cred --profile extnone
expect_rc 5 "no external ID where the role requires one"
has err "AccessDenied" "is STS's AccessDenied too"

# --- MFA
log_reset
cred --profile mfa --mfa-code $MFA_CODE
expect_rc 0 "the right MFA code"
sts_calls | grep -q " SerialNumber=$MFA\$"; ok $? "the MFA serial is sent"
cred --profile mfa --mfa-code $MFA_WRONG
expect_rc 5 "a wrong MFA code"
has err "AccessDenied" "is refused by STS"
no_secret err "the refusal does not show the code"
cred --profile mfa --mfa-code $MFA_WRONG -v
no_secret err "nor does -v"
# setsid: a new session has no controlling terminal, so no /dev/tty.
if setsid -w true </dev/null >/dev/null 2>&1; then
	setsid -w "$IAMDB" credentials --region us-east-1 --no-cache \
	    --profile mfa </dev/null >out 2>err
	rc=$?
	expect_rc 4 "MFA needed, no --mfa-code and no terminal"
	has err "role needs an MFA code for $MFA: give --mfa-code" \
	    "asks for --mfa-code"
	[ "$(calls sts)" -eq 3 ]; ok $? "and makes no call"
else
	for i in 1 2 3; do ok 0 "# SKIP no setsid(1) to take the terminal away"; done
fi
if script -qec true /dev/null >/dev/null 2>&1 </dev/null; then
	: >tty.out
	(i=0	# answer once the prompt is there
	while ! grep -q 'MFA code' tty.out && [ $i -lt 200 ]; do
		sleep 0.02
		i=$((i + 1))
	done
	printf '%s\n' $MFA_CODE) | script -qec "'$IAMDB' \
	    credentials --region us-east-1 --no-cache --profile mfa \
	    >out 2>err" /dev/null >tty.out 2>&1
	rc=$?
	expect_rc 0 "without --mfa-code, the code is asked for on the terminal"
	has tty.out "Enter MFA code for $MFA:" "with a prompt naming the device"
	lacks tty.out "$MFA_CODE" "and the code typed is not echoed"
else
	for i in 1 2 3; do ok 0 "# SKIP no script(1) to give iamdb a terminal"; done
fi

# --- web identity
log_reset
AWS_WEB_IDENTITY_TOKEN_FILE=$HOME/web.token AWS_ROLE_ARN=$ROLE/web \
    AWS_ROLE_SESSION_NAME=ci-job cred
expect_rc 0 "web identity from the environment"
[ "$(sts_calls)" = "AssumeRoleWithWebIdentity web - notoken unsigned RoleSessionName=ci-job" ]
ok $? "AssumeRoleWithWebIdentity, unsigned, with AWS_ROLE_SESSION_NAME"
[ "$(akid)" = "$(issued web)" ]; ok $? "prints the web identity role's key"
cred --profile web
expect_rc 0 "web identity from a profile's web_identity_token_file"
sts_calls | tail -n 1 | grep -q "^AssumeRoleWithWebIdentity web - notoken unsigned RoleSessionName=pod-1$"
ok $? "unsigned, with the profile's role_session_name"
cred --profile webwrong
expect_rc 5 "a token the role does not accept"
has err "HTTP 400 InvalidIdentityToken" "is STS's InvalidIdentityToken"
cred --profile webmissing
expect_rc 4 "a missing token file"
has err "$HOME/nosuch.token" "names the file"
AWS_WEB_IDENTITY_TOKEN_FILE=$HOME/wrong.token AWS_ROLE_ARN=$ROLE/web cred -v
expect_rc 5 "a wrong token from the environment"
no_secret err "the refusal does not show the token"
log_reset
cred --profile fromweb
expect_rc 0 "a role whose source_profile uses web identity"
[ "$(hops)" = "AssumeRoleWithWebIdentity web - notoken unsigned
AssumeRole plain $(issued web) token signed" ]
ok $? "is assumed with the web identity credentials"

log_reset
AWS_PROFILE=cfgkeys AWS_WEB_IDENTITY_TOKEN_FILE=$HOME/web.token \
    AWS_ROLE_ARN=$ROLE/web cred
[ "$(akid)" = "$(issued web)" ]
ok $? "web identity from the environment beats the selected profile's static keys, as in botocore"
log_reset
AWS_WEB_IDENTITY_TOKEN_FILE=$HOME/web.token AWS_ROLE_ARN=$ROLE/web \
    cred --profile cfgkeys
[ "$(akid)" = "$CFG_AKID" ] && [ "$(calls sts)" -eq 0 ]
ok $? "but --profile keeps the environment's web identity out"
AWS_PROFILE=plain AWS_WEB_IDENTITY_TOKEN_FILE=$HOME/web.token \
    AWS_ROLE_ARN=$ROLE/web cred
[ "$(hops)" = "AssumeRole plain $SRC_AKID notoken signed" ]
ok $? "and a role_arn with source_profile beats it"
log_reset
AWS_ACCESS_KEY_ID=$ENV_AKID AWS_SECRET_ACCESS_KEY=$ENV_SECRET \
    AWS_PROFILE=plain AWS_WEB_IDENTITY_TOKEN_FILE=$HOME/web.token \
    AWS_ROLE_ARN=$ROLE/web cred
[ "$(akid)" = "$ENV_AKID" ]; ok $? "keys in the environment beat every other source"
[ "$(calls sts)" -eq 0 ]; ok $? "and ask no STS"

# --- secrets: the failures above once more, with -v
for p in badsecret badtoken extwrong extnone webwrong webmissing x both \
    selfnokeys; do
	cred --profile $p -v
done
cred --profile mfa --mfa-code $MFA_WRONG -v
[ "$(grep -c 'credentials tried:' stderr.all)" -ge 8 ]
ok $? "-v lists the sources tried"

# --- STS failures
closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start=$(date +%s)
AWS_ENDPOINT_URL_STS=http://127.0.0.1:$closed cred --profile plain
expect_rc 5 "STS refusing connections"
[ $(($(date +%s) - start)) -lt 5 ]; ok $? "fails quickly"
has err "STS http://127.0.0.1:$closed" "names STS and the endpoint"

fault() {	# fault JSON...: the base configuration plus these STS faults
	rm -f "$FAKE_DIR/faults.state"
	fake_config "$FAKE_BASE, \"faults\": [$*]}"
	log_reset
}
fault '{"service": "sts", "status": 500, "times": 1}'
cred --profile plain
expect_rc 0 "HTTP 500 once, then success"
[ "$(calls sts)" -eq 2 ]; ok $? "took two calls"
fault '{"service": "sts", "status": 400, "code": "Throttling", "times": 1}'
cred --profile plain
expect_rc 0 "HTTP 400 Throttling once, then success"
[ "$(calls sts)" -eq 2 ]; ok $? "took two calls"
fault '{"service": "sts", "status": 503, "times": 3}'
cred --profile plain
expect_rc 5 "HTTP 503 three times"
[ "$(calls sts)" -eq 3 ]; ok $? "is given up after three attempts"
has err "HTTP 503 ServiceUnavailable" "and the last answer is reported"
fault '{"service": "sts", "status": 403, "code": "AccessDenied"}'
cred --profile plain
[ "$(calls sts)" -eq 1 ]; ok $? "an AccessDenied is not retried"
fault '{"service": "sts", "mode": "malformed"}'
cred --profile plain
expect_rc 5 "a malformed answer"
has err "STS AssumeRole at $FAKE: HTTP 200 with an unreadable (not STS XML) answer" \
    "is called unreadable"
fault '{"service": "sts", "mode": "empty"}'
cred --profile plain
expect_rc 5 "an empty answer"
has err "STS AssumeRole at $FAKE: HTTP 200 with an empty answer" "is called empty"
fault '{"service": "sts", "mode": "truncated"}'
cred --profile plain -v
expect_rc 5 "a truncated answer"
has err "STS $FAKE" "names STS and the endpoint"
no_secret err "the half-received answer's secrets are not shown"
fault '{"service": "sts", "mode": "malformed", "body": "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAX</AccessKeyId></Credentials></AssumeRoleResult></AssumeRoleResponse>"}'
cred --profile plain
expect_rc 5 "an answer without the secret"
has err "the answer lacks credentials" "is refused"
fault '{"service": "sts", "status": 400, "code": "ValidationError", "message": "first\tpart\nsecond line"}'
cred --profile plain
has err "HTTP 400 ValidationError: first?part" "control characters in AWS's message are not passed on"
lacks err "second line" "and only its first line is shown"
fake_config "$FAKE_BASE, \"expiration_override\": \"next Tuesday\"}"
cred --profile plain
expect_rc 5 "an Expiration that is not a time"
has err "unreadable Expiration 'next Tuesday'" "is refused, naming it"

# Held far longer than a busy machine could take, so that the bound says
# the timeout worked; the attempts are counted as they arrive.
fault '{"service": "sts", "mode": "hang", "seconds": 60}'
start=$(date +%s)
IAMDB_HTTP_TIMEOUT=2 cred --profile plain -v
expect_rc 5 "an STS that does not answer"
[ $(($(date +%s) - start)) -lt 40 ]; ok $? "is given up on, bounded by IAMDB_HTTP_TIMEOUT, not the 60 s hold"
[ "$(fault_hits)" -eq 3 ]; ok $? "after three attempts"
has err "timed out" "says it timed out"
no_secret stderr.all "no run above, with or without -v, printed a secret, a session token or an MFA code"

done_testing
