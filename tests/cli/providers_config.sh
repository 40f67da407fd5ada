# What the shared files mean, case by case, where botocore (the aws CLI's
# engine) is the reference: control characters, session token keys,
# source_profile keys from each file alone, empty settings, the session
# name. tests/cli/providers_config_cases.sh runs the generated corpus.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/cli/fakelog.inc"
unset XDG_CACHE_HOME IAMDB_HTTP_TIMEOUT
fake_start
export AWS_ENDPOINT_URL_STS="$FAKE"
export AWS_CONFIG_FILE="$HOME/config" AWS_SHARED_CREDENTIALS_FILE="$HOME/credentials"

ROLE=arn:aws:iam::123456789012:role
CRED_AKID=AKIACREDSFILE0000001
CRED_SECRET='credsSecret/Example+Key0123456789abcdef'
CONF_AKID=AKIACONFIGFILE000002
CONF_SECRET='confSecret/Example+Key0123456789abcdefg'
fake_config '{"keys": {"'$CRED_AKID'": "'$CRED_SECRET'", "'$CONF_AKID'": "'$CONF_SECRET'"},
 "roles": {"'$ROLE'/r": {}}}'

# proc.sh AKID SECRET: a credential_process printing long-term keys.
cat >"$HOME/proc.sh" <<'EOF'
#!/bin/sh
printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"}\n' "$1" "$2"
EOF
chmod +x "$HOME/proc.sh"

# files CONFIG CREDENTIALS: the two files, as printf formats.
files() {
	printf "$1" >"$HOME/config"
	printf "$2" >"$HOME/credentials"
	log_reset
}
cred() {
	run credentials --region us-east-1 --no-cache "$@"
	cat err >>stderr.all
}
akid() { json_get AccessKeyId; }
hops() { sts_calls | cut -d' ' -f1-5; }

# --- 1. control characters never reach a request
files '[profile r]\nrole_arn = '$ROLE'/r\nsource_profile = s\n' \
    '[s]\naws_access_key_id = '$CRED_AKID'\n  X-Injected: yes\naws_secret_access_key = '$CRED_SECRET'\n'
cred --profile r
expect_rc 3 "a source key continued onto an indented line"
has err "$HOME/credentials:2: aws_access_key_id contains a line break (an indented line continues the value)" \
    "is refused with file:line, as botocore refuses it"
lacks err "X-Injected" "the value is not shown"
[ "$(calls sts)" -eq 0 ]; ok $? "and no AssumeRole was sent"
files '[profile r]\nrole_arn = '$ROLE'/r\nsource_profile = s\n' \
    '[s]\naws_access_key_id = '$CRED_AKID'\naws_secret_access_key = '$CRED_SECRET'\naws_session_token = tok\n\tX-Injected: yes\n'
cred --profile r
expect_rc 3 "a session token with a continuation line"
has err "$HOME/credentials:4: aws_session_token contains a line break" "is refused"
[ "$(calls sts)" -eq 0 ]; ok $? "before X-Amz-Security-Token is built"
files '[profile r]\nrole_arn = '$ROLE'/r\n X-Injected: 1\nsource_profile = s\n' \
    '[s]\naws_access_key_id = '$CRED_AKID'\naws_secret_access_key = '$CRED_SECRET'\n'
cred --profile r
expect_rc 3 "a role_arn with a continuation line"
has err "$HOME/config:2: role_arn contains a line break" "is refused too"
files '[default]\naws_access_key_id = '$CRED_AKID'\naws_secret_access_key = '$CRED_SECRET'\nregion = us-east-1\n\t\tx\n' ''
run token --host db.internal --engine postgres --user u
expect_rc 3 "a region with a continuation line"
has err "$HOME/config:4: region contains a line break" "is refused with file:line"
files '[default]\naws_access_key_id = '$CRED_AKID'\naws_secret_access_key = sec\033[2Jret\n' ''
cred
expect_rc 3 "an escape character in a secret"
has err "$HOME/config:3: aws_secret_access_key contains a control character" "is refused"
# Every STS endpoint here is the fake's, or a closed loopback port.
files '[default]\nendpoint_url = http://127.0.0.1:1/\n X: y\nrole_arn = '$ROLE'/r\nsource_profile = s\n[profile r]\nendpoint_url = '$FAKE'\nrole_arn = '$ROLE'/r\nsource_profile = s\n' \
    '[s]\naws_access_key_id = '$CRED_AKID'\naws_secret_access_key = '$CRED_SECRET'\n'
(unset AWS_ENDPOINT_URL_STS; cred --profile r; echo $rc >rc)
rc=$(cat rc)
expect_rc 0 "a broken setting of another profile does not matter"
(unset AWS_ENDPOINT_URL_STS; cred; echo $rc >rc)
rc=$(cat rc)
expect_rc 3 "but the selected profile's endpoint_url with a line break"
has err "$HOME/config:2: endpoint_url contains a line break" "is refused"
files '[profile p]\ncredential_process = /bin/sh\n   '$HOME'/proc.sh AKIAPROCESS000000001 s\n' ''
cred --profile p
expect_rc 0 "a credential_process continued onto the next line"
[ "$(akid)" = AKIAPROCESS000000001 ]; ok $? "runs as one command, as shlex splits it"

# --- 9. the session token keys
files '' '[default]\naws_access_key_id = '$CRED_AKID'\naws_secret_access_key = '$CRED_SECRET'\naws_session_token = session\naws_security_token = security\n'
cred
[ "$(json_get SessionToken)" = security ]
ok $? "aws_security_token wins over aws_session_token, as in botocore"
files '' '[default]\naws_access_key_id = '$CRED_AKID'\naws_secret_access_key = '$CRED_SECRET'\naws_security_token =\naws_session_token = session\n'
cred
[ "$(json_get SessionToken)" = null ]
ok $? "an empty aws_security_token still hides aws_session_token"

# --- 10. a source_profile's keys come from one file at a time
files '[profile r]\nrole_arn = '$ROLE'/r\nsource_profile = s\n[profile s]\naws_secret_access_key = '$CONF_SECRET'\n' \
    '[s]\naws_access_key_id = '$CONF_AKID'\n'
cred --profile r
expect_rc 4 "a source with the key id in one file and the secret in the other"
has err "$HOME/credentials: [s] has aws_access_key_id but no aws_secret_access_key" \
    "is half a set of keys, as in botocore"
[ "$(calls sts)" -eq 0 ]; ok $? "and signs nothing"
files '[profile r]\nrole_arn = '$ROLE'/r\nsource_profile = s\n[profile s]\naws_access_key_id = '$CONF_AKID'\naws_secret_access_key = '$CONF_SECRET'\n' \
    '[s]\naws_access_key_id = '$CRED_AKID'\naws_secret_access_key = '$CRED_SECRET'\n'
cred --profile r
[ "$(hops)" = "AssumeRole r $CRED_AKID notoken signed" ]
ok $? "keys in both files: the credentials file's pair signs"
files '[profile r]\nrole_arn = '$ROLE'/r\nsource_profile = s\n[profile s]\naws_access_key_id = '$CONF_AKID'\naws_secret_access_key = '$CONF_SECRET'\n' \
    '[s]\naws_secret_access_key = '$CRED_SECRET'\n'
cred --profile r
[ "$(hops)" = "AssumeRole r $CONF_AKID notoken signed" ]
ok $? "a lone secret in the credentials file is not mixed into the config file's pair"
files '[profile r]\nrole_arn = '$ROLE'/r\nsource_profile = s\n[profile s]\ncredential_process = '$HOME'/proc.sh '$CONF_AKID' '$CONF_SECRET'\naws_access_key_id = '$CRED_AKID'\naws_secret_access_key = '$CRED_SECRET'\n' ''
cred --profile r
[ "$(hops)" = "AssumeRole r $CONF_AKID notoken signed" ]
ok $? "a source's credential_process comes before its config file keys"
files '[profile r]\nrole_arn = '$ROLE'/r\nsource_profile = s\n[profile s]\nrole_arn = '$ROLE'/nosuch\naws_access_key_id = '$CONF_AKID'\naws_secret_access_key = '$CONF_SECRET'\n' ''
cred --profile r
[ "$(hops)" = "AssumeRole r $CONF_AKID notoken signed" ]
ok $? "a source's static keys win over its own role_arn"
files '[profile r]\nrole_arn = '$ROLE'/r\nsource_profile = s\n[profile s]\nrole_arn = '$ROLE'/nosuch\naws_secret_access_key = '$CONF_SECRET'\n' ''
cred --profile r
expect_rc 4 "a source with role_arn and only a secret"
has err "source_profile s has no credentials" "has no credentials, as in botocore"

# --- 13. empty settings and the session name
files '' '[default]\naws_access_key_id =\naws_secret_access_key = '$CRED_SECRET'\n'
cred
expect_rc 3 "an empty aws_access_key_id"
has err "$HOME/credentials:2: aws_access_key_id is empty" "is refused, not skipped"
files '[profile r]\nrole_arn =\nsource_profile = s\n' \
    '[s]\naws_access_key_id = '$CRED_AKID'\naws_secret_access_key = '$CRED_SECRET'\n'
cred --profile r
expect_rc 3 "an empty role_arn"
has err "$HOME/config:2: role_arn is empty" "is refused, not skipped"
files '[profile r]\nrole_arn = '$ROLE'/r\nsource_profile = s\nrole_session_name =\n' \
    '[s]\naws_access_key_id = '$CRED_AKID'\naws_secret_access_key = '$CRED_SECRET'\n'
cred --profile r
expect_rc 0 "an empty role_session_name"
sts_calls | grep -qE ' RoleSessionName=iamdb-[0-9]+$'
ok $? "is none: a generated name, as in botocore"
files '[profile r]\nrole_arn = '$ROLE'/r\nsource_profile = s\nduration_seconds = 1h\n' \
    '[s]\naws_access_key_id = '$CRED_AKID'\naws_secret_access_key = '$CRED_SECRET'\n'
cred --profile r
expect_rc 3 "a duration_seconds that is not an integer"
has err "duration_seconds '1h' is not 900 to 43200" "is refused (botocore ignores it)"
files '[profile r]\nrole_arn = '$ROLE'/r\nsource_profile = s\nexternal_id =\n' \
    '[s]\naws_access_key_id = '$CRED_AKID'\naws_secret_access_key = '$CRED_SECRET'\n'
cred --profile r
expect_rc 3 "an empty external_id"
has err "$HOME/config:4: external_id is empty" "is refused before STS would refuse it"
[ "$(calls sts)" -eq 0 ]; ok $? "without a request"

clean stderr.all "no run above printed a secret" "$CRED_SECRET" "$CONF_SECRET"
done_testing
