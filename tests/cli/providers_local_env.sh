# The environment provider and what `iamdb credentials` prints: JSON for
# credential_process, export lines a POSIX shell reads back exactly, the
# --explain account, and the token path's independence from libcurl.
. "$TESTS_DIR/lib.sh"

unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export AWS_CONFIG_FILE="$HOME/config" AWS_SHARED_CREDENTIALS_FILE="$HOME/credentials"
HOST=mydb.c9akciq32.us-east-1.rds.amazonaws.com
AKID=AKIAENVEXAMPLE000001
SECRET='envSecret/Value+0123456789abcdefghijklm'
TOKEN='envSessionTokenValue//+=='

# --- environment variables
export AWS_ACCESS_KEY_ID=$AKID AWS_SECRET_ACCESS_KEY=$SECRET
run credentials
expect_rc 0 "long-term keys from the environment"
[ "$(json_get Version)" = 1 ] && [ "$(json_get AccessKeyId)" = "$AKID" ] &&
    [ "$(json_get SecretAccessKey)" = "$SECRET" ]
ok $? "JSON has Version 1, the key id and the secret"
[ "$(json_get SessionToken)" = null ] && [ "$(json_get Expiration)" = null ]
ok $? "long-term keys have no SessionToken and no Expiration"
[ ! -s err ]; ok $? "nothing on stderr without --explain"

AWS_SESSION_TOKEN=$TOKEN run credentials
[ "$(json_get SessionToken)" = "$TOKEN" ]; ok $? "AWS_SESSION_TOKEN becomes SessionToken"
AWS_SECURITY_TOKEN=legacyToken run credentials
[ "$(json_get SessionToken)" = legacyToken ]
ok $? "the older AWS_SECURITY_TOKEN is read when AWS_SESSION_TOKEN is not set"
AWS_SESSION_TOKEN=$TOKEN AWS_SECURITY_TOKEN=legacyToken run credentials
[ "$(json_get SessionToken)" = legacyToken ]
ok $? "AWS_SECURITY_TOKEN wins over AWS_SESSION_TOKEN, as in botocore"
AWS_SESSION_TOKEN=$TOKEN AWS_SECURITY_TOKEN= run credentials
[ "$(json_get SessionToken)" = "$TOKEN" ]
ok $? "an empty AWS_SECURITY_TOKEN counts as unset"

AWS_SESSION_TOKEN=$TOKEN AWS_CREDENTIAL_EXPIRATION=2099-12-31T23:59:59Z \
    run credentials
expect_rc 0 "AWS_CREDENTIAL_EXPIRATION in the future"
[ "$(json_get Expiration)" = 2099-12-31T23:59:59Z ]
ok $? "and the JSON shows it as Expiration"
AWS_SESSION_TOKEN=$TOKEN AWS_CREDENTIAL_EXPIRATION=2099-12-31T23:59:59Z \
    run token --host $HOST --engine postgres --user u
expect_rc 0 "iamdb token signs with unexpired environment credentials"
AWS_SESSION_TOKEN=$TOKEN AWS_CREDENTIAL_EXPIRATION=2001-02-03T04:05:06Z \
    run credentials
expect_rc 4 "AWS_CREDENTIAL_EXPIRATION in the past"
has err "expired at 2001-02-03T04:05:06Z" "the expiry is named"
[ ! -s out ]; ok $? "and nothing is printed"
lacks err "$SECRET" "the secret is not on stderr"
lacks err "$TOKEN" "nor the session token"
AWS_SESSION_TOKEN=$TOKEN AWS_CREDENTIAL_EXPIRATION=2001-02-03T04:05:06Z \
    run token --host $HOST --engine postgres --user u
expect_rc 4 "iamdb token refuses expired environment credentials"
[ ! -s out ]; ok $? "and prints no token"
AWS_CREDENTIAL_EXPIRATION='next tuesday' run credentials
expect_rc 4 "malformed AWS_CREDENTIAL_EXPIRATION"
has err "AWS_CREDENTIAL_EXPIRATION 'next tuesday' is not an ISO 8601 time" \
    "the variable and its value are named"
lacks err "$SECRET" "the secret is not on stderr"
AWS_CREDENTIAL_EXPIRATION=2099-02-30T00:00:00Z run credentials
expect_rc 4 "an impossible AWS_CREDENTIAL_EXPIRATION date"

AWS_SECRET_ACCESS_KEY= run credentials
expect_rc 4 "AWS_ACCESS_KEY_ID without AWS_SECRET_ACCESS_KEY"
has err "AWS_SECRET_ACCESS_KEY is not" "the missing half is named"
AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY=$SECRET run credentials
expect_rc 4 "a secret without a key id is not credentials"
lacks err "$SECRET" "and the lone secret is not on stderr"

# --- --format, --explain, where the output goes
run credentials --format yaml
expect_rc 2 "unknown --format"
has err "--format 'yaml': expected json or env" "the bad format is named"
[ ! -s out ]; ok $? "and no credentials are printed"

AWS_SESSION_TOKEN=$TOKEN run credentials --format env
expect_rc 0 "--format env"
[ "$(sed -n 1p out)" = "export AWS_ACCESS_KEY_ID='$AKID'" ]
ok $? "lines are export NAME='value'"
run credentials --format env
has out "unset AWS_SESSION_TOKEN" \
    "long-term keys unset a session token left in the shell"
lacks out AWS_CREDENTIAL_EXPIRATION "and set no expiration"

AWS_SESSION_TOKEN=$TOKEN run credentials --explain
expect_rc 0 "--explain"
[ "$(json_get AccessKeyId)" = "$AKID" ]; ok $? "still prints the JSON on stdout"
has err "environment: found temporary credentials (environment variables)" \
    "stderr says where the credentials came from"
lacks err "$SECRET" "--explain does not show the secret"
lacks err "$TOKEN" "--explain does not show the session token"
lacks err "instance metadata" \
    "no region is needed to print credentials: metadata is not asked"
AWS_SESSION_TOKEN=$TOKEN run credentials -v
has err "environment: found" "-v is --explain"

"$IAMDB" credentials >&- 2>err
rc=$?
expect_rc 6 "stdout closed"
has err "standard output is closed" "the closed stdout is named"
lacks err "$SECRET" "and the secret does not land on stderr instead"
if [ -w /dev/full ]; then
	"$IAMDB" credentials >/dev/full 2>err
	rc=$?
	expect_rc 6 "stdout full"
	has err "writing the credentials" "the failed write is named"
fi

# --- secrets that need quoting, round-tripped through a shell
S1='q'\''uote "dq" $HOME \back slash `tick` $(id) *'
T1='tok with spaces, '\'' and \ and ; &'
export AWS_SECRET_ACCESS_KEY="$S1" AWS_SESSION_TOKEN="$T1"
run credentials --format env
expect_rc 0 "--format env with hostile characters in the secret"
(
	unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
	eval "$(cat out)" &&
	[ "$AWS_ACCESS_KEY_ID" = "$AKID" ] &&
	[ "$AWS_SECRET_ACCESS_KEY" = "$S1" ] &&
	[ "$AWS_SESSION_TOKEN" = "$T1" ]
)
ok $? "sh evaluates the export lines back to exactly the same values"
[ "$(sh -c 'eval "$(cat out)"; env' | grep -c '^AWS_')" -ge 3 ]
ok $? "and exports them to child processes"
run credentials
[ "$(json_get SecretAccessKey)" = "$S1" ] &&
    [ "$(json_get SessionToken)" = "$T1" ]
ok $? "JSON carries the same values exactly"
export AWS_SECRET_ACCESS_KEY=$SECRET
unset AWS_SESSION_TOKEN

# --- control characters: refused before any request, the value unsaid
for v in AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN \
    AWS_SECURITY_TOKEN; do
	(export $v="hostileValue7
X-Injected: 1"; run credentials; echo $rc >rc)
	rc=$(cat rc)
	expect_rc 4 "$v with a line break is refused"
	has err "$v contains a control character" "naming the variable ($v)"
	lacks err hostileValue7 "and not the value ($v)"
done
AWS_SESSION_TOKEN="$(printf 'tok\tab')" run credentials
expect_rc 4 "a tab in AWS_SESSION_TOKEN is refused too"

# --- the token path loads no libcurl
fake_start
export AWS_EC2_METADATA_SERVICE_ENDPOINT=$FAKE
LD_DEBUG=libs "$IAMDB" token --host $HOST --engine postgres --user u \
    >out 2>err
rc=$?
expect_rc 0 "token with environment credentials under LD_DEBUG=libs"
has err "libcrypto" "the loader's trace is there (libcrypto is loaded)"
lacks err "libcurl" "libcurl is not loaded"
unset AWS_EC2_METADATA_DISABLED
LD_DEBUG=libs "$IAMDB" token --host $HOST --engine postgres --user u \
    >out 2>err
rc=$?
expect_rc 0 "the same with instance metadata enabled"
lacks err "libcurl" "environment credentials stop the chain before any network provider"
LD_DEBUG=libs "$IAMDB" credentials >out 2>err
rc=$?
lacks err "libcurl" "iamdb credentials with environment keys loads no libcurl either"
[ "$(requests imds)" -eq 0 ]; ok $? "and instance metadata was never asked"

# A secret that is not UTF-8 cannot be carried in JSON: a clear error and
# a non-zero exit, never a document without SecretAccessKey (issue 8).
AWS_SECRET_ACCESS_KEY="$(printf 'ab\377cd')" run credentials
expect_rc 4 "credentials whose secret is not UTF-8 fail"
[ ! -s out ]; ok $? "and print no JSON document"
has err "not UTF-8" "saying why"
lacks err "$(printf 'ab\377cd')" "without the secret in the message"
AWS_ACCESS_KEY_ID="$(printf 'AKIA\377')" run credentials
expect_rc 4 "a key id that is not UTF-8 fails too"
[ ! -s out ]; ok $? "and prints nothing"

done_testing
