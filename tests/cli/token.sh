# iamdb token: options, defaults, errors and exit codes of the real binary.
. "$TESTS_DIR/lib.sh"

AKID=AKIAIOSFODNN7EXAMPLE
SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
HOST=mydb.c9akciq32.us-east-1.rds.amazonaws.com
T=2016-11-07T17:39:33Z
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
export AWS_CONFIG_FILE="$HOME/config" AWS_SHARED_CREDENTIALS_FILE="$HOME/credentials"

# --- help, version, usage errors
run --help;			expect_rc 0 "iamdb --help"
has out "iamdb token" "top-level help lists the token command"
run token --help;		expect_rc 0 "iamdb token --help"
has out "--signing-time" "token help lists --signing-time"
run --version;			expect_rc 0 "iamdb --version"
grep -qE '^iamdb [0-9]+\.[0-9]+\.[0-9]+$' out; ok $? "version line format"
run;				expect_rc 2 "no arguments"
run frobnicate;			expect_rc 2 "unknown command"
has err "unknown command 'frobnicate'" "unknown command is named"
run token --user u --port 1;	expect_rc 2 "missing --host"
has err "--host is required" "missing --host is explained"
run token --host h --port 1;	expect_rc 2 "missing --user"
run token --host h --user u;	expect_rc 2 "neither --port nor --engine"
has err "give --port or --engine" "missing port is explained"
run token --host h --user u --port abc;	expect_rc 2 "non-numeric port"
run token --host h --user u --port 0;	expect_rc 2 "port 0"
run token --host h --user u --port 65536; expect_rc 2 "port 65536"
run token --host h --user u --engine oracle; expect_rc 2 "unknown engine"
run token --host h --user u --port 1 --expires 901 --region us-east-1
expect_rc 2 "RDS --expires over 900"
has err "at most 900" "the RDS limit is named"
run token --host h --user u --port 1 --expires -5; expect_rc 2 "negative --expires"
run token --host h --user u --port 1 --signing-time 2016-11-07; expect_rc 2 "date without time"
run token --host h --user u --port 1 --signing-time 2016-02-30T00:00:00Z
expect_rc 2 "impossible date"
run token --host h --user u --port 1 --bogus; expect_rc 2 "unknown option"
has err "unknown option '--bogus'" "unknown option is named once"
[ "$(wc -l <err)" -eq 2 ]; ok $? "and getopt adds no message of its own"
run token --host h --user u --port 1 extra; expect_rc 2 "stray argument"

# --- the published botocore vector through the CLI
export AWS_ACCESS_KEY_ID=akid AWS_SECRET_ACCESS_KEY=skid
run token --host prod-instance.us-east-1.rds.amazonaws.com --port 3306 \
    --user someusername --signing-time $T
expect_rc 0 "published vector"
[ "$(cat out)" = "prod-instance.us-east-1.rds.amazonaws.com:3306/?Action=connect&DBUser=someusername&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=akid%2F20161107%2Fus-east-1%2Frds-db%2Faws4_request&X-Amz-Date=20161107T173933Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=d1138cdbc0ca63eec012ec0fc6c2267e03642168f5884a7795320d4c18374c61" ]
ok $? "stdout is exactly botocore's token"
[ "$(wc -l <out)" -eq 1 ] && [ ! -s err ]; ok $? "one line on stdout, nothing on stderr"

# --- engines and ports
run token --host $HOST --engine postgres --user u --signing-time $T
grep -q "^$HOST:5432/?" out; ok $? "postgres defaults to 5432"
run token --host $HOST --engine mysql --user u --signing-time $T
grep -q "^$HOST:3306/?" out; ok $? "mysql defaults to 3306"
run token --host $HOST --engine mariadb --port 3307 --user u --signing-time $T
grep -q "^$HOST:3307/?" out; ok $? "--port beats the engine default"
run token --host c.dsql.us-east-1.on.aws --engine dsql --user admin --expires 3600 --signing-time $T
expect_rc 0 "dsql with an hour's expiry"
grep -q '^c.dsql.us-east-1.on.aws/?Action=DbConnectAdmin&.*X-Amz-Expires=3600&' out
ok $? "dsql admin token has no port and DbConnectAdmin"

# --- region
run token --host $HOST --engine postgres --user u --region us-west-2 --signing-time $T
expect_rc 0 "disagreeing --region still signs"
has out "%2Fus-west-2%2Frds-db" "--region wins"
has err "warning: --region us-west-2 differs" "and is warned about"
run token --host db.internal --engine postgres --user u
expect_rc 3 "no region anywhere"
has err "no region" "missing region is explained"
AWS_REGION=eu-west-1 run token --host db.internal --engine postgres --user u
has out "%2Feu-west-1%2F" "AWS_REGION is used for non-AWS hosts"

# --- credentials
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
run token --host $HOST --engine postgres --user u
expect_rc 4 "no credentials"
has err "AWS_ACCESS_KEY_ID is not set" "the environment was tried"
has err "profile: no [default] in $HOME/credentials, no [profile default] in $HOME/config" "the profile was tried"
has err "web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set" "web identity was tried"
has err "container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" "the container endpoint was tried"
has err "instance metadata: disabled by AWS_EC2_METADATA_DISABLED" "instance metadata was tried"

AWS_ACCESS_KEY_ID=$AKID run token --host $HOST --engine postgres --user u
expect_rc 4 "half-set environment"
has err "AWS_SECRET_ACCESS_KEY is not" "half-set environment is explained"

printf '[default]\naws_access_key_id = FROMCREDS\naws_secret_access_key = %s\n[dev]\naws_access_key_id=DEVKEY\naws_secret_access_key=devsecret\naws_session_token=tok/en+=\n' "$SECRET" >credentials
printf '[default]\naws_access_key_id = FROMCONFIG\naws_secret_access_key = x\n[profile cfgonly]\naws_access_key_id = CFGKEY\naws_secret_access_key = cfgsecret\nregion = ap-south-1\n' >config
run token --host $HOST --engine postgres --user u
has out "Credential=FROMCREDS%2F" "credentials file beats config file"
run token --host $HOST --engine postgres --user u --profile dev
has out "Credential=DEVKEY%2F" "--profile selects [dev]"
has out "X-Amz-Security-Token=tok%2Fen%2B%3D&" "profile session token is used and encoded"
AWS_PROFILE=cfgonly run token --host db.internal --engine postgres --user u
has out "Credential=CFGKEY%2F20" "AWS_PROFILE selects [profile cfgonly] in config"
has out "%2Fap-south-1%2Frds-db" "the profile's region is used"
export AWS_ACCESS_KEY_ID=ENVKEY AWS_SECRET_ACCESS_KEY=envsecret
AWS_PROFILE=dev run token --host $HOST --engine postgres --user u
has out "Credential=ENVKEY%2F" "environment beats AWS_PROFILE"
run token --host $HOST --engine postgres --user u --profile dev
has out "Credential=DEVKEY%2F" "--profile beats the environment, as in the aws CLI"
run token --host $HOST --engine postgres --user u --profile nosuch
expect_rc 3 "unknown profile"
has err "profile 'nosuch' not found" "unknown profile is named"
AWS_PROFILE=nosuch run token --host $HOST --engine postgres --user u
expect_rc 3 "AWS_PROFILE naming no profile, even with environment keys"
has err "profile 'nosuch' not found" "as the aws CLI refuses it"
run token --host db.internal --engine postgres --user u --profile nosuch
has err "profile 'nosuch' not found" "unknown profile is named before the region is looked for"
AWS_REGION=US-EAST-1 run token --host db.internal --engine postgres --user u
expect_rc 3 "invalid AWS_REGION is a configuration error"
has err "invalid region 'US-EAST-1' from AWS_REGION" "invalid region names its source"
run token --host db.internal --engine postgres --user u --region 'us east'
expect_rc 2 "invalid --region is a usage error"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY

printf '[default]\naws_access_key_id = A\n' >credentials
run token --host $HOST --engine postgres --user u
expect_rc 4 "key id without secret in a profile"
has err "has aws_access_key_id but no aws_secret_access_key" "half-set profile is explained"
printf '[default]\nthis is not ini\n' >credentials
run token --host $HOST --engine postgres --user u
expect_rc 3 "malformed credentials file"
has err "$HOME/credentials:2: expected 'key = value'" "malformed file is reported as file:line"

# --- secrets stay out of stderr, even with -v
printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = SESSIONSECRET\n' "$AKID" "$SECRET" >credentials
run token --host $HOST --engine postgres --user u --region eu-west-3 -v
expect_rc 0 "-v"
has err "credentials, in the order tried" "-v explains the chain"
lacks err "$SECRET" "-v never prints the secret key"
lacks err "SESSIONSECRET" "-v never prints the session token"
lacks err "X-Amz-Signature" "-v never prints the token"

# --- output errors
"$IAMDB" token --host $HOST --engine postgres --user u >/dev/full 2>err
rc=$?; expect_rc 6 "write error on stdout"
has err "writing the token" "write error is explained"
"$IAMDB" token --host $HOST --engine postgres --user u >&- 2>err
rc=$?; expect_rc 6 "closed stdout"
has err "standard output is closed" "closed stdout is explained"

done_testing
