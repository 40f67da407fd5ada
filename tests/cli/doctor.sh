# iamdb doctor: a line a check, the cause of a failure and its fix. First
# what needs no server (the region, the credentials, the port), then the
# local IAM-auth PostgreSQL and MariaDB (tests/db/iamauth.sh) broken one
# thing at a time: a user that does not exist, another key, the wrong
# port, a CA that does not match, a certificate for another name.
. "$TESTS_DIR/lib.sh"

needs python3 openssl
export AWS_CONFIG_FILE="$HOME/none" AWS_SHARED_CREDENTIALS_FILE="$HOME/none"
unset AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION AWS_SESSION_TOKEN
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
CA=$TESTS_DIR/data/ca.pem
RDS=mydb.abc123.us-east-1.rds.amazonaws.com
ACCT=123456789012
RID=db-ABCDEFGHIJKLMNOPQRSTUVWXYZ

# Every AWS call goes to the loopback fake: STS, RDS, IAM.
fake_start
export AWS_ENDPOINT_URL="$FAKE"
# config [EXTRA-JSON-MEMBERS]: the fake knows the test's key.
config() {
	fake_config "{\"account_id\": \"$ACCT\",
	    \"keys\": {\"$AWS_ACCESS_KEY_ID\": \"$AWS_SECRET_ACCESS_KEY\"}${1:+, $1}}"
}
config

doctor() { "$IAMDB" doctor "$@" >out 2>err; rc=$?; }

# line STATUS NAME: the check's line, as doctor prints it.
line() { grep "^$1 *$2 " out; }

# fails NAME TEXT FIX DESCRIPTION: check NAME failed saying TEXT, and the
# next line, indented, says FIX.
fails() {
	grep -A1 "^FAIL $1 " out >fail.txt &&
	    head -n 1 fail.txt | grep -qF -- "$2" &&
	    sed -n 2p fail.txt | grep -q '^     ' &&
	    sed -n 2p fail.txt | grep -qF -- "$3"
	ok $? "$4"
}

# A free port on 127.0.0.1 where nothing listens.
CLOSED=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# --- what needs no server
doctor "postgres://jane@$RDS:$CLOSED/app?hostaddr=127.0.0.1" --region eu-west-1 \
    --ca-bundle "$CA"
expect_rc 1 "a failed check: exit 1"
fails region "signed for eu-west-1 but the host is in us-east-1" \
    "leave out --region" "a region other than the host's is named, with the fix"
line ok credentials | grep -q "long-term keys (AKIAIOSFODNN7EXAMPLE)"
ok $? "the credentials' source and key id"
line ok identity | grep -qF "account $ACCT, arn:aws:iam::$ACCT:user/AKIAIOSFODNN7EXAMPLE"
ok $? "who they are, as STS says"
line ok clock | grep -q "within .* s of STS's"
ok $? "the clock agrees with STS's Date"
fails tcp "port $CLOSED: Connection refused" "check the port" \
    "nothing listening: the port is named"
lacks out "login" "no login tried without a connection"

doctor "postgres://jane@$RDS:$CLOSED/app?hostaddr=127.0.0.1" --ca-bundle "$CA"
line ok region | grep -q "us-east-1, as the host name says"
ok $? "the region from the host name"
line ok target | grep -qF "postgres jane@$RDS:$CLOSED, region us-east-1 (from host name"
ok $? "the target and where its region came from"

AWS_SESSION_TOKEN=x AWS_CREDENTIAL_EXPIRATION=2020-01-01T00:00:00Z \
    doctor "mysql://jane@$RDS/app" --ca-bundle "$CA"
expect_rc 1 "expired credentials"
fails credentials "expired at 2020-01-01T00:00:00Z" "get fresh credentials" \
    "expired credentials are the cause, not the login"
lacks out "tcp" "and nothing is signed with them"

doctor "postgres://jane@localhost:$CLOSED/app" --ca-bundle "$CA"
fails region "" "give --region" "no region at all: says where one comes from"

U="postgres://jane@$RDS:$CLOSED/app?hostaddr=127.0.0.1"
AWS_SECRET_ACCESS_KEY=wrong doctor "$U" --ca-bundle "$CA"
fails identity "SignatureDoesNotMatch" "the secret key does not belong to the access key" \
    "a secret that is not the key's"
AWS_ACCESS_KEY_ID=AKIANOTKNOWN00000000 doctor "$U" --ca-bundle "$CA"
fails identity "InvalidClientTokenId" "the access key is not valid" \
    "a key AWS does not know"

config '"clock_offset": 1200'
doctor "$U" --ca-bundle "$CA"
fails clock "clock is 1200 s behind STS's" "NTP" \
    "a clock 20 minutes off: named, from STS's Date header"
config '"clock_offset": -900'
doctor "$U" --ca-bundle "$CA"
fails clock "clock is 900 s ahead of STS's" "NTP" "... either way"

# --describe: RDS's description of the instance and IAM's decision.
ORDERS=orders.c1.us-east-1.rds.amazonaws.com
instance() {	# instance IAM-ENABLED: the fake's RDS has "orders"
	config "\"rds\": {\"region\": \"us-east-1\", \"instances\": [
	    {\"DBInstanceIdentifier\": \"orders\", \"DbiResourceId\": \"$RID\",
	     \"IAMDatabaseAuthenticationEnabled\": $1,
	     \"Endpoint\": {\"Address\": \"$ORDERS\", \"Port\": 5432}}]},
	  \"iam\": {\"principals\": {\"arn:aws:iam::$ACCT:user/$AWS_ACCESS_KEY_ID\": {
	    \"arn:aws:rds-db:us-east-1:$ACCT:dbuser:$RID/jane\": \"allowed\",
	    \"*\": \"implicitDeny\"}}}"
}
O="postgres://jane@$ORDERS:5432/app?hostaddr=127.0.0.1"
instance false
doctor "$O" --describe --ca-bundle "$CA"
line ok rds | grep -qF "instance orders: postgres, available, $ORDERS:5432, not publicly accessible"
ok $? "--describe: the instance as RDS describes it"
fails iam-auth "disabled on orders" "--enable-iam-database-authentication" \
    "IAM authentication disabled on the instance, with the command that enables it"
instance true
doctor "$O" --describe --ca-bundle "$CA"
line ok iam-auth | grep -q "enabled on orders"
ok $? "IAM authentication enabled"
line ok policy | grep -qF "arn:aws:iam::$ACCT:user/AKIAIOSFODNN7EXAMPLE may rds-db:connect on arn:aws:rds-db:us-east-1:$ACCT:dbuser:$RID/jane"
ok $? "IAM allows rds-db:connect on the exact dbuser ARN"
doctor "postgres://bob@$ORDERS:5432/app?hostaddr=127.0.0.1" --describe --ca-bundle "$CA"
fails policy "dbuser:$RID/bob: implicitDeny" "another user or instance does not count" \
    "a policy for another user: IAM's own decision"
doctor "postgres://jane@$ORDERS:5433/app?hostaddr=127.0.0.1" --describe --ca-bundle "$CA"
fails port "signed for port 5433 but orders listens on 5432" "the database's port" \
    "the wrong port, from RDS's description"
doctor "postgres://jane@other.c1.us-east-1.rds.amazonaws.com/app?hostaddr=127.0.0.1" \
    --describe --ca-bundle "$CA"
fails rds "RDS has no instance other in us-east-1" "check the region" \
    "an instance RDS does not know"

# --describe for Aurora DSQL: GetCluster, and dsql:DbConnectAdmin for admin.
CL=abcdefghijklmnopqrstuvwxyz
config "\"dsql\": {\"region\": \"us-east-1\", \"clusters\": {\"$CL\": {\"status\": \"IDLE\"}}},
  \"iam\": {\"principals\": {\"arn:aws:iam::$ACCT:user/$AWS_ACCESS_KEY_ID\": {
    \"arn:aws:dsql:us-east-1:$ACCT:cluster/$CL\": {\"dsql:DbConnectAdmin\": \"allowed\",
      \"*\": \"implicitDeny\"}}}}"
doctor "dsql://admin@$CL.dsql.us-east-1.on.aws:$CLOSED/postgres?hostaddr=127.0.0.1" --describe
line ok dsql | grep -q "cluster $CL: IDLE"
ok $? "DSQL: the cluster as GetCluster describes it"
line ok policy | grep -qF "may dsql:DbConnectAdmin on arn:aws:dsql:us-east-1:$ACCT:cluster/$CL"
ok $? "DSQL: admin needs dsql:DbConnectAdmin, and IAM allows it"
doctor "dsql://app@$CL.dsql.us-east-1.on.aws:$CLOSED/postgres?hostaddr=127.0.0.1" --describe
fails policy "dsql:DbConnect on arn:aws:dsql:us-east-1:$ACCT:cluster/$CL: implicitDeny" \
    "iamdb setup prints" "DSQL: another role is not allowed dsql:DbConnect"
doctor "dsql://admin@zyxwvutsrqponmlkjihgfedcba.dsql.us-east-1.on.aws:$CLOSED/postgres?hostaddr=127.0.0.1" --describe
fails dsql "no cluster zyxwvutsrqponmlkjihgfedcba in us-east-1" "check the host name" \
    "DSQL: a cluster that does not exist"
config


doctor "postgres://jane@$RDS:$CLOSED/app?hostaddr=127.0.0.1" \
    --ca-bundle "$HOME/nothing.pem"
fails ca "nothing.pem" "--ca-bundle" "a CA bundle that is not there"

doctor "postgres://jane@$RDS:$CLOSED/app?hostaddr=127.0.0.1" --ca-bundle "$CA" \
    --format json
expect_rc 1 "JSON: the same exit status"
python3 - <<'EOF'
import json, sys
j = json.load(open("out"))
names = [(c["name"], c["status"]) for c in j["checks"]]
assert j["ok"] is False, j
assert names == [("target", "ok"), ("region", "ok"), ("credentials", "ok"),
                 ("identity", "ok"), ("clock", "ok"), ("ca", "ok"),
                 ("dns", "ok"), ("tcp", "fail")], names
tcp = j["checks"][-1]
assert "Connection refused" in tcp["detail"] and tcp["fix"], tcp
assert j["checks"][0]["fix"] is None
EOF
ok $? "JSON: every check with its status, detail and fix"

# --- a real IAM-auth PostgreSQL
if [ "$(id -u)" != 0 ] || ! command -v psql >/dev/null ||
    ! [ -x /usr/sbin/mariadbd ]; then
	skip "doctor against the IAM-auth PostgreSQL and MariaDB" \
	    "needs root (a PAM service in /etc/pam.d), PostgreSQL and MariaDB"
	done_testing
	exit
fi
DB=$HOME/db
chmod 711 "$HOME"
mkdir -m 711 "$DB"
trap 'fake_stop; sh "$TESTS_DIR/db/iamauth.sh" stop postgres "$DB" >/dev/null 2>&1
    sh "$TESTS_DIR/db/iamauth.sh" stop mariadb "$DB" >/dev/null 2>&1' EXIT
trap 'exit 1' HUP INT TERM
start_server "PostgreSQL with PAM and TLS" env.sh \
    sh "$TESTS_DIR/db/iamauth.sh" start postgres "$DB" jane
. ./env.sh
PG=$DB_ENDPOINT
config

doctor "postgres://jane@$PG/postgres"
expect_rc 0 "PostgreSQL: every check passes"
line ok tls | grep -q "certificate verified against $IAMDB_CA_BUNDLE, name checked"
ok $? "the TLS handshake as the client makes it, name checked"
line ok login | grep -q "logged in as jane"
ok $? "and a login with a fresh token through libpq"
lacks out FAIL "no failure"

doctor "postgres://nobody@$PG/postgres"
expect_rc 1 "a user that does not exist"
fails login 'role "nobody" does not exist' "iamdb setup prints the SQL" \
    "a user that does not exist: the server's own words, and the fix"

AWS_SECRET_ACCESS_KEY=wrong doctor "postgres://jane@$PG/postgres"
fails login "the server refused the token" "the secret key does not belong to the access key" \
    "a wrong secret: the login's refusal names the cause STS found"

doctor "postgres://jane@localhost:$CLOSED/postgres"
fails tcp "Connection refused" "check the port" "the wrong port"

sh "$TESTS_DIR/db/testca.sh" "$HOME/other" >/dev/null 2>&1
doctor "postgres://jane@$PG/postgres" --ca-bundle "$HOME/other/ca.pem"
fails tls "certificate verify failed" "CA bundle" \
    "a CA that does not match: a TLS failure, not a login failure"
lacks out "ok   login" "... and no login"

doctor "postgres://jane@db.example.test:${PG##*:}/postgres?hostaddr=127.0.0.1"
fails tls 'does not match host name "db.example.test"' "name the host" \
    "a certificate for another name"

# --- MariaDB through Connector/C, as the option files tell the clients
sh "$TESTS_DIR/db/iamauth.sh" stop postgres "$DB" >/dev/null 2>&1
start_server "MariaDB with PAM and TLS" env.sh \
    sh "$TESTS_DIR/db/iamauth.sh" start mariadb "$DB" jane
. ./env.sh	# its own keys
MY=$DB_ENDPOINT
config
doctor "mariadb://jane@$MY/mysql"
fails login "Access denied for user 'jane'@'%' to database 'mysql'" \
    "name a database that exists" "a database the user may not use: the token was taken"
doctor "mariadb://jane@$MY"
expect_rc 0 "MariaDB: every check passes"
line ok login | grep -q "logged in as jane"
ok $? "a login through MariaDB Connector/C with the clear text plugin"
line ok tls | grep -q "TLS"
ok $? "over verified TLS"
doctor "mariadb://nobody@$MY"
fails login "Access denied for user 'nobody'" "is nobody a user" \
    "MariaDB: a user that does not exist"
doctor "mariadb://jane@$MY" --ca-bundle "$HOME/other/ca.pem"
fails tls "" "CA bundle" "MariaDB: a CA that does not match"

done_testing
