# iamdb inspect and iamdb verify on tokens iamdb itself makes.
. "$TESTS_DIR/lib.sh"

export AWS_ACCESS_KEY_ID=AKIDVERIFY AWS_SECRET_ACCESS_KEY=verify/secret+key
export AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent
EP=db.c9akciq32.eu-west-1.rds.amazonaws.com
printf '[app]\naws_access_key_id = AKIDVERIFY\naws_secret_access_key = verify/secret+key\n[other]\naws_access_key_id = AKIDSESSION\naws_secret_access_key = s2\naws_session_token = tok/en\n' >keys
chmod 600 keys
token() {	# token USER [OPTIONS]: prints a token for USER at $EP
	u=$1
	shift
	"$IAMDB" token --host "$EP" --engine postgres --user "$u" "$@"
}
past=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
future=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)

verify() {	# verify USER [ENDPOINT]: verifies the token in ./tok
	"$IAMDB" verify --keys keys --endpoint "${2:-$EP:5432}" --user "$1" \
	    <tok >out 2>err
	rc=$?
}

# --- verify: acceptance and each reason for refusal
token jane >tok; verify jane;		expect_rc 0 "a fresh token is accepted"
[ ! -s err ]; ok $? "acceptance is silent"
token jane | tr -d '\n' | { cat; printf '\0'; } >tok; verify jane
expect_rc 0 "a NUL-terminated token (pam_exec expose_authtok) is accepted"
token jane >tok
PAM_USER=jane "$IAMDB" verify --keys keys --endpoint "$EP:5432" <tok >out 2>err
rc=$?; expect_rc 0 "the user comes from PAM_USER"
token jane >tok; verify bob;		expect_rc 1 "another user is refused"
has err "signed for user jane, not bob" "the reason names both users"
token jane >tok; verify jane "$EP:5433";	expect_rc 1 "another port is refused"
has err "refused: signed for another endpoint ($EP:5432), not this one ($EP:5433)" \
    "the reason names both ports"
token jane >tok; verify jane "other.c9akciq32.eu-west-1.rds.amazonaws.com:5432"
expect_rc 1 "another host is refused"
has err "signed for another endpoint" "the reason names the endpoint"
"$IAMDB" token --host "$EP" --engine postgres --user jane --signing-time "$past" >tok; verify jane
expect_rc 1 "an expired token is refused"
has err "expired" "the reason says expired"
"$IAMDB" token --host "$EP" --engine postgres --user jane --signing-time "$future" >tok; verify jane
expect_rc 1 "a token signed an hour ahead is refused"
has err "future" "the reason says future"
token jane | sed 's/Signature=\(.\)/Signature=0\1/; s/\(Signature=.\{64\}\)./\1/' >tok; verify jane
expect_rc 1 "a tampered signature is refused"
has err "signature does not match" "the reason says the signature"
token jane | sed 's/DBUser=jane/DBUser=janf/' >tok; verify janf
expect_rc 1 "a tampered user is refused"
has err "refused: the signature does not match" "because the signature no longer matches"
AWS_ACCESS_KEY_ID=AKIDUNKNOWN token jane >tok; verify jane
expect_rc 1 "an unknown key is refused"
has err "unknown access key AKIDUNKNOWN" "the reason names the key id"
AWS_ACCESS_KEY_ID=AKIDSESSION AWS_SECRET_ACCESS_KEY=s2 AWS_SESSION_TOKEN=tok/en token jane >tok; verify jane
expect_rc 0 "a token with the key's session token is accepted"
AWS_ACCESS_KEY_ID=AKIDSESSION AWS_SECRET_ACCESS_KEY=s2 AWS_SESSION_TOKEN=forged token jane >tok; verify jane
expect_rc 1 "a token with another session token is refused"
has err "refused: the session token does not belong to key AKIDSESSION" \
    "the reason is the session token"
lacks err forged "the presented session token is not printed"
AWS_ACCESS_KEY_ID=AKIDSESSION AWS_SECRET_ACCESS_KEY=s2 token jane >tok; verify jane
expect_rc 1 "a token without the key's session token is refused"
has err "refused: the session token does not belong to key AKIDSESSION" \
    "the reason is the missing session token"
token jane --region eu-west-2 2>/dev/null >tok; verify jane
expect_rc 1 "a token for another region than the endpoint's is refused"
has err "refused: signed for region eu-west-2, not eu-west-1" "the reason names both regions"
token jane --region eu-west-2 2>/dev/null >tok
"$IAMDB" verify --keys keys --endpoint "$EP:5432" --user jane --region eu-west-2 \
    <tok >out 2>err
rc=$?; expect_rc 0 "--region overrides the endpoint's region"
token jane --expires 900 >tok
"$IAMDB" verify --keys keys --endpoint "$EP:5432" --user jane --engine dsql \
    <tok >out 2>err
rc=$?; expect_rc 1 "an RDS token checked as DSQL"
has err "refused: signed for service rds-db, not dsql" "is refused for its service"
echo 'not a token' >tok; verify jane;	expect_rc 1 "garbage is refused"
has err "malformed token" "garbage is called malformed"
"$IAMDB" token --host abc.dsql.us-east-1.on.aws --engine dsql --user admin >tok
"$IAMDB" verify --keys keys --endpoint abc.dsql.us-east-1.on.aws:5432 \
    --engine dsql --user admin <tok >out 2>err
rc=$?; expect_rc 0 "a DSQL admin token is accepted for admin"
"$IAMDB" token --host abc.dsql.us-east-1.on.aws --engine dsql --user app >tok
"$IAMDB" verify --keys keys --endpoint abc.dsql.us-east-1.on.aws:5432 \
    --engine dsql --user admin <tok >out 2>err
rc=$?; expect_rc 1 "a DbConnect token is refused for admin"
has err "refused: action DbConnect is not the one for this user" "the reason is the action"
"$IAMDB" token --host abc.dsql.us-east-1.on.aws --engine dsql --user admin >tok
"$IAMDB" verify --keys keys --endpoint abc.dsql.us-east-1.on.aws:9999 \
    --engine dsql --user admin <tok >out 2>err
rc=$?; expect_rc 0 "DSQL tokens carry no port: any port is the endpoint's"
run verify --keys keys --user jane;	expect_rc 2 "no --endpoint"
has err "--keys and --endpoint are required" "says what is required"
echo x >tok; run verify --keys keys --endpoint "$EP:5432" <tok
expect_rc 2 "no user"
has err "no user: give --user or set PAM_USER" "says where the user comes from"
head -c 600 /dev/zero | tr '\0' a >tok; verify jane
expect_rc 1 "a token cut short is refused"
has err "refused: malformed token" "as malformed"
run verify --keys keys --endpoint "$EP:5432" --user jane sometoken
expect_rc 2 "a token on the command line is refused"
has err "standard input" "and the user is told where it goes"
printf '[a]\nkey\n' >badkeys
echo x | "$IAMDB" verify --keys badkeys --endpoint "$EP:5432" --user jane >out 2>err
rc=$?; expect_rc 3 "a malformed keys file"
has err "badkeys:2" "is reported with its line"
lacks err "verify/secret+key" "no secret in any message"

# --- inspect
t=$(token jane)
run inspect "$t";			expect_rc 0 "inspect a token"
has out "endpoint       $EP:5432" "shows the endpoint"
has out "user           jane" "shows the user"
has out "region         eu-west-1" "shows the region"
has out "access key     AKIDVERIFY" "shows the access key id"
has out "session token  no" "says whether a session token is present"
lacks out "verify/secret" "shows no secret"
lacks out "X-Amz-Signature" "does not repeat the token"
[ ! -s err ]; ok $? "a good token draws no warning"
echo "$t" >tok; run inspect <tok;		expect_rc 0 "inspect reads standard input"
has out "time left      1" "shows the time left"
run inspect --format json "$t"
python3 -c 'import json,sys; d=json.load(open("out")); assert d["user"]=="jane" and d["port"]==5432 and d["warnings"]==[] and 850 < d["seconds_left"] <= 900' 2>/dev/null
ok $? "--format json has the fields and no warnings"
run inspect "$("$IAMDB" token --host "$EP" --engine postgres --user jane --signing-time "$past")"
expect_rc 0 "an expired token is still inspected"
has err "warning: expired" "and warned about"
run inspect "$("$IAMDB" token --host "$EP" --engine postgres --user jane --signing-time "$future")"
has err "in the future" "a token from the future is warned about"
run inspect "$(token jane --region eu-west-2 2>/dev/null)"
has err "signed for region eu-west-2, but the host is in eu-west-1" "a region mismatch is warned about"
run inspect --endpoint "localhost:5432" "$t"
has err "but the client connects to localhost:5432" "an endpoint mismatch is warned about"
run inspect 'garbage';			expect_rc 2 "a malformed token"
has err "malformed token" "is reported as malformed"
run inspect --format yaml "$t";		expect_rc 2 "unknown format"

# --- what a token says is printed escaped: a DBUser with a line break and a
# terminal escape forges no log line (PAM and database logs keep stderr).
S=$(printf '0%.0s' $(seq 64))
forged="$EP:5432/?Action=connect&DBUser=a%0Aiamdb%20verify%3A%20accepted%1B%5B31m&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDVERIFY%2F20260101%2Feu-west-1%2Frds-db%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=$S"
printf '%s' "$forged" >tok; verify b
expect_rc 1 "a token whose user holds a line break is refused"
[ "$(wc -l <err)" -eq 1 ]; ok $? "in one line of standard error"
has err 'signed for user a\niamdb verify: accepted\033[31m, not b' \
    "with the line break and the escape shown escaped"
! grep -q "$(printf '\033')" err; ok $? "and no escape character reaches the log"
printf '%s' "$forged" | "$IAMDB" inspect >out 2>err
has out 'user           a\niamdb verify: accepted\033[31m' \
    "inspect prints the user escaped"
! grep -q "$(printf '\033')" out; ok $? "with no escape character"
printf '%s' "$forged" | sed 's/DBUser=a%0A[^&]*/DBUser=a%FF/' |
    "$IAMDB" inspect --format json >out 2>err
rc=$?; expect_rc 2 "inspect --format json of a user that is not UTF-8 fails"
has err "not UTF-8" "saying why"
[ ! -s out ]; ok $? "rather than print JSON without the user"

done_testing
