# credential_process: the command is split like a POSIX shell would split
# it, with no expansion; its JSON (Version 1) is checked strictly; its
# failures are reported with its own stderr; and the profile's settings
# take precedence in botocore's order.
. "$TESTS_DIR/lib.sh"

unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
export AWS_CONFIG_FILE="$HOME/config" AWS_SHARED_CREDENTIALS_FILE="$HOME/credentials"
HOST=mydb.c9akciq32.us-east-1.rds.amazonaws.com
SECRET='procSecret/Value+0123456789abcdefghijklm'
TOKEN='procSessionTokenValue//+=='

# process COMMAND: makes COMMAND the default profile's credential_process.
process() {
	printf '[default]\ncredential_process = %s\n' "$1" >"$HOME/config"
}

# answer FILE JSON: a file for `cat FILE` to print as the process's output.
answer() {
	printf '%s\n' "$2" >"$HOME/$1"
}

V1='{"Version": 1, "AccessKeyId": "AKIAPROCESS000000001", "SecretAccessKey": "'$SECRET'", "SessionToken": "'$TOKEN'", "Expiration": "2099-01-02T03:04:05Z"}'

# --- the documented JSON from a small sh script
cat >"$HOME/helper.sh" <<EOF
#!/bin/sh
cat <<'JSON'
$V1
JSON
EOF
chmod +x "$HOME/helper.sh"
process "$HOME/helper.sh"
run credentials
expect_rc 0 "Version 1 JSON from a sh script"
[ "$(json_get AccessKeyId)" = AKIAPROCESS000000001 ] &&
    [ "$(json_get SecretAccessKey)" = "$SECRET" ] &&
    [ "$(json_get SessionToken)" = "$TOKEN" ] &&
    [ "$(json_get Expiration)" = 2099-01-02T03:04:05Z ]
ok $? "all four fields come through"
run credentials --explain
has err "profile: found temporary credentials valid until 2099-01-02T03:04:05Z (credential_process of profile default)" \
    "--explain names credential_process as the source"
lacks err "$SECRET" "--explain does not show the secret"
lacks err "$TOKEN" "--explain does not show the session token"
run token --host $HOST --engine postgres --user u
expect_rc 0 "iamdb token signs with credential_process credentials"
has out "X-Amz-Credential=AKIAPROCESS000000001%2F" "with the process's key id"

answer long.json '{"Version": 1, "AccessKeyId": "AKIALONGTERM00000001", "SecretAccessKey": "s"}'
process "cat $HOME/long.json"
run credentials
expect_rc 0 "SessionToken and Expiration are optional"
[ "$(json_get SessionToken)" = null ] && [ "$(json_get Expiration)" = null ]
ok $? "and stay absent"

# --- splitting the command line
mkdir -p "$HOME/dir with space"
cat >"$HOME/dir with space/print args" <<'EOF'
#!/bin/sh
for a in "$@"; do printf '<%s>\n' "$a"; done >"$HOME/args"
cat "$HOME/long.json"
EOF
chmod +x "$HOME/dir with space/print args"
touch "$HOME/glob-a" "$HOME/glob-b"
process "'$HOME/dir with space/print args' plain 'single quoted' \"double quoted\""
run credentials
expect_rc 0 "a command path with spaces in single quotes"
printf '<plain>\n<single quoted>\n<double quoted>\n' >want
cmp -s want "$HOME/args"; ok $? "quoted arguments are one word each"
process "\"$HOME/dir with space/print args\" x"
run credentials
expect_rc 0 "a command path with spaces in double quotes"
process "$HOME/dir\\ with\\ space/print\\ args x"
run credentials
expect_rc 0 "a command path with backslash-escaped spaces"
process "'$HOME/dir with space/print args' \"a \\\"b\\\" c\" 'it'\\''s' \"back\\\\slash\" 'lit\\eral' x\\\"y \"\\\$HOME\""
run credentials
expect_rc 0 "quotes inside arguments"
printf '<a "b" c>\n<it'\''s>\n<back\\slash>\n<lit\\eral>\n<x"y>\n<$HOME>\n' >want
cmp -s want "$HOME/args"
ok $? "quotes and escapes are removed as sh removes them"
process "'$HOME/dir with space/print args' \$HOME '\$HOME' \$(id) \`id\` $HOME/glob-* ~ ''"
run credentials
expect_rc 0 "no expansion of any kind"
printf '<$HOME>\n<$HOME>\n<$(id)>\n<`id`>\n<%s/glob-*>\n<~>\n<>\n' "$HOME" >want
cmp -s want "$HOME/args"
ok $? "\$HOME, \$(...), backquotes, globs and ~ stay literal; '' is an empty word"
process "'$HOME/dir with space/print args' a;b c|d e>f"
run credentials
printf '<a;b>\n<c|d>\n<e>f>\n' >want
cmp -s want "$HOME/args"; ok $? "; | > are not shell operators: no shell runs"
[ ! -e f ] && [ ! -e "$HOME/f" ]; ok $? "nothing was redirected"
process "'$HOME/dir with space/print args"
run credentials
expect_rc 3 "an unterminated quote"
has err "unterminated quote" "is reported as a configuration error"
process "\"$HOME/dir with space/print args"
run credentials
expect_rc 3 "an unterminated double quote"

# --- failures
process "sh -c 'echo process-diagnostic-text >&2; exit 3'"
run credentials
expect_rc 4 "a process that exits with status 3"
has err "process-diagnostic-text" "its stderr reaches iamdb's stderr"
has err "exited with status 3" "and its status is named"
[ ! -s out ]; ok $? "nothing is printed"
process "sh -c 'cat $HOME/long.json; exit 1'"
run credentials
expect_rc 4 "a failing process's output is not used even if valid"
process "sh -c 'kill -9 \$\$'"
run credentials
expect_rc 4 "a process killed by a signal"
has err "killed by signal 9" "the signal is named"
process "/nonexistent/iamdb-test-helper"
run credentials
expect_rc 4 "a command that does not exist"
has err "/nonexistent/iamdb-test-helper: command not found" "is named"
process "iamdb-no-such-command-on-path"
run credentials
expect_rc 4 "a command not on PATH"
has err "iamdb-no-such-command-on-path: command not found" "is named"
answer notexec.json '{}'
process "$HOME/notexec.json"
run credentials
expect_rc 4 "a file that is not executable"

answer v2.json '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "'$SECRET'"}'
process "cat $HOME/v2.json"
run credentials
expect_rc 4 "Version 2"
has err "Version must be 1" "the version is named"
answer nov.json '{"AccessKeyId": "A", "SecretAccessKey": "'$SECRET'"}'
process "cat $HOME/nov.json"
run credentials
expect_rc 4 "no Version"
answer vstr.json '{"Version": "1", "AccessKeyId": "A", "SecretAccessKey": "'$SECRET'"}'
process "cat $HOME/vstr.json"
run credentials
expect_rc 4 "Version as a string"
answer nokey.json '{"Version": 1, "SecretAccessKey": "'$SECRET'"}'
process "cat $HOME/nokey.json"
run credentials
expect_rc 4 "no AccessKeyId"
has err "no AccessKeyId and SecretAccessKey" "the missing field is named"
lacks err "$SECRET" "the secret that was there is not"
answer nosecret.json '{"Version": 1, "AccessKeyId": "A"}'
process "cat $HOME/nosecret.json"
run credentials
expect_rc 4 "no SecretAccessKey"
answer empty.json '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": ""}'
process "cat $HOME/empty.json"
run credentials
expect_rc 4 "an empty SecretAccessKey"
answer numkey.json '{"Version": 1, "AccessKeyId": 12, "SecretAccessKey": "s"}'
process "cat $HOME/numkey.json"
run credentials
expect_rc 4 "a number for AccessKeyId"
answer badexp.json '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "'$SECRET'", "Expiration": "soon"}'
process "cat $HOME/badexp.json"
run credentials
expect_rc 4 "an unreadable Expiration"
has err "unreadable Expiration" "is named"
answer expired.json '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "'$SECRET'", "SessionToken": "'$TOKEN'", "Expiration": "2001-01-01T00:00:00Z"}'
process "cat $HOME/expired.json"
run credentials
expect_rc 4 "an Expiration in the past"
has err "expired at 2001-01-01T00:00:00Z" "the expiry is named"
lacks err "$SECRET" "the secret is not on stderr"
lacks err "$TOKEN" "nor the session token"
run token --host $HOST --engine postgres --user u
expect_rc 4 "iamdb token refuses them too"

process "printf 'not json at all'"
run credentials
expect_rc 4 "output that is not JSON"
has err "not valid JSON" "is reported"
process "printf ''"
run credentials
expect_rc 4 "no output at all"
process "printf '[1, 2]'"
run credentials
expect_rc 4 "a JSON array"
has err "expected a JSON object" "is reported"
answer dup.json '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "x", "SecretAccessKey": "y"}'
process "cat $HOME/dup.json"
run credentials
expect_rc 4 "a duplicated key"
# jansson quotes up to 20 characters near a syntax error: here, a secret.
printf '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "%s' \
    "${SECRET%%+*}" >"$HOME/cut.json"
process "cat $HOME/cut.json"
run credentials
expect_rc 4 "output cut off inside the secret"
lacks err "procSecret" "the parse error does not quote the secret"
printf '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": %s}' "$SECRET" \
    >"$HOME/bare.json"
process "cat $HOME/bare.json"
run credentials
expect_rc 4 "an unquoted secret"
lacks err "procSecret" "the parse error does not quote it"
printf '{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "%s\\q"}' \
    "${SECRET%%/*}" >"$HOME/esc.json"
process "cat $HOME/esc.json"
run credentials
expect_rc 4 "an invalid escape in the secret"
lacks err "procSecret" "the parse error does not quote it"

# --- large output
python3 -c 'import json
print(json.dumps({"Version": 1, "AccessKeyId": "AKIAPADDED0000000001",
    "SecretAccessKey": "s", "Padding": "x" * 60000}))' >"$HOME/60k.json"
process "cat $HOME/60k.json"
run credentials
expect_rc 0 "60 KB of output is read whole"
python3 -c 'import json
print(json.dumps({"Version": 1, "AccessKeyId": "A",
    "SecretAccessKey": "s", "Padding": "x" * 70000}))' >"$HOME/70k.json"
process "cat $HOME/70k.json"
run credentials
expect_rc 4 "more than 64 KiB of output"
has err "output is larger than 64 KiB" "is refused with the limit named"
process "head -c 20000000 /dev/zero"
run credentials
expect_rc 4 "20 MB of output"
has err "larger than 64 KiB" "is drained and refused, not a hang or a crash"

# --- precedence within a profile, as botocore orders it
cat >"$HOME/credentials" <<EOF
[default]
aws_access_key_id = AKIACREDENTIALSFILE1
aws_secret_access_key = fromCredentialsFile
EOF
cat >"$HOME/config" <<EOF
[default]
credential_process = cat $HOME/long.json
EOF
run credentials
[ "$(json_get AccessKeyId)" = AKIACREDENTIALSFILE1 ]
ok $? "static keys in the credentials file beat credential_process"
rm "$HOME/credentials"
cat >"$HOME/config" <<EOF
[default]
aws_access_key_id = AKIACONFIGFILE000001
aws_secret_access_key = fromConfigFile
credential_process = cat $HOME/long.json
EOF
run credentials
[ "$(json_get AccessKeyId)" = AKIALONGTERM00000001 ]
ok $? "credential_process beats static keys in the config file"
cat >"$HOME/credentials" <<EOF
[default]
credential_process = cat $HOME/long.json
EOF
cat >"$HOME/config" <<EOF
[default]
aws_access_key_id = AKIACONFIGFILE000001
aws_secret_access_key = fromConfigFile
EOF
run credentials
[ "$(json_get AccessKeyId)" = AKIALONGTERM00000001 ]
ok $? "credential_process in the credentials file also beats the config file's keys"
rm "$HOME/credentials"
cat >"$HOME/config" <<EOF
[profile other]
credential_process = cat $HOME/long.json
EOF
run credentials --profile other
[ "$(json_get AccessKeyId)" = AKIALONGTERM00000001 ]
ok $? "a named profile's credential_process"
AWS_ACCESS_KEY_ID=AKIAENVIRONMENT00001 AWS_SECRET_ACCESS_KEY=e \
    AWS_PROFILE=other run credentials
[ "$(json_get AccessKeyId)" = AKIAENVIRONMENT00001 ]
ok $? "environment keys beat AWS_PROFILE's credential_process"
AWS_ACCESS_KEY_ID=AKIAENVIRONMENT00001 AWS_SECRET_ACCESS_KEY=e \
    run credentials --profile other
[ "$(json_get AccessKeyId)" = AKIALONGTERM00000001 ]
ok $? "--profile's credential_process beats environment keys"
process "sh -c 'echo ran >$HOME/ran; cat $HOME/long.json'"
rm -f "$HOME/ran"
AWS_ACCESS_KEY_ID=AKIAENVIRONMENT00001 AWS_SECRET_ACCESS_KEY=e run credentials
[ ! -e "$HOME/ran" ]; ok $? "the process is not run when the environment has keys"

done_testing
