# iamdb setup: the SQL, the IAM policy, the master user's lockdown and the
# client settings for one database user; then the SQL as printed runs on
# the real servers: PostgreSQL (with an rds_iam role made for the test) and
# MariaDB (the lockdown statements it accepts).
. "$TESTS_DIR/lib.sh"

needs python3
export AWS_CONFIG_FILE="$HOME/none" AWS_SHARED_CREDENTIALS_FILE="$HOME/none"
unset AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION
H=mydb.abc123.us-east-1.rds.amazonaws.com
ACCT=123456789012
RID=db-ABCDEFGHIJKLMNOPQRSTUVWXY0
# What the options leave out comes from AWS: the loopback fake's STS and RDS.
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
fake_start
export AWS_ENDPOINT_URL="$FAKE"
KEY=AKIAIOSFODNN7EXAMPLE SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
ORDERS=orders.c1.us-east-1.rds.amazonaws.com
fake_config "{\"account_id\": \"210987654321\", \"keys\": {\"$KEY\": \"$SECRET\"},
    \"rds\": {\"region\": \"us-east-1\", \"instances\": [
      {\"DBInstanceIdentifier\": \"orders\", \"DbiResourceId\": \"db-FROMRDS\",
       \"Endpoint\": {\"Address\": \"$ORDERS\", \"Port\": 5432}}],
     \"clusters\": [{\"DBClusterIdentifier\": \"shop\",
       \"DbClusterResourceId\": \"cluster-FROMRDS\", \"Engine\": \"aurora-mysql\"}]}}"

setup() { "$IAMDB" setup "$@" >out 2>err; rc=$?; }

# py EXPR: EXPR over the JSON in ./out as j, printed.
py() { python3 -c "import json,sys; j=json.load(open('out')); print($1)"; }

# --- PostgreSQL
setup "postgres://jane@$H/app" --account $ACCT --resource-id $RID
expect_rc 0 "setup for PostgreSQL"
has out 'CREATE USER "jane";' "the user, quoted as an identifier"
has out 'GRANT rds_iam TO "jane";' "granted rds_iam"
has out "\"Resource\": \"arn:aws:rds-db:us-east-1:$ACCT:dbuser:$RID/jane\"" \
    "the policy names the resource id and the user"
has out '"Action": "rds-db:connect"' "for rds-db:connect"
has out "no per-user" "PostgreSQL's lockdown says plainly what RDS lacks"
has out "iamdb pgpass 'postgres://jane@$H:5432/app'" "the client command"

setup "postgres://jane@$H/app" --account $ACCT --resource-id $RID \
    --format json
expect_rc 0 "setup --format json"
[ "$(py "j['policy']['Statement'][0]['Resource']")" = \
    "arn:aws:rds-db:us-east-1:$ACCT:dbuser:$RID/jane" ]
ok $? "JSON: the policy's Resource"
[ "$(py "j['sql']")" = "['CREATE USER \"jane\";', 'GRANT rds_iam TO \"jane\";']" ]
ok $? "JSON: the SQL, a statement an element"
[ "$(py "j['region'], j['account'], j['master'], j['sslmode']")" = \
    "us-east-1 $ACCT postgres verify-full" ]
ok $? "JSON: region, account, master user, TLS mode"

# Partitions name their ARNs.
setup "postgres://jane@db.x.cn-north-1.rds.amazonaws.com.cn" \
    --account $ACCT --resource-id $RID
has out "arn:aws-cn:rds-db:cn-north-1:$ACCT:dbuser:$RID/jane" "aws-cn ARN"
setup "postgres://jane@db.x.us-gov-west-1.rds.amazonaws.com" \
    --account $ACCT --resource-id $RID
has out "arn:aws-us-gov:rds-db:us-gov-west-1:" "aws-us-gov ARN"

# A name that needs quoting: "" inside identifiers, percent-encoding and
# shell quoting in the commands.
setup "postgres://ja%22n%27e@$H/app" --account $ACCT --resource-id $RID
has out 'CREATE USER "ja""n'"'"'e";' "a double quote doubled in the identifier"
has out "iamdb exec 'postgres://ja%22n%27e@$H:5432/app' -- psql" \
    "... and encoded and shell-quoted in the command"

# --- MySQL and MariaDB
setup "mysql://jane@$H/app" --account $ACCT --resource-id $RID
expect_rc 0 "setup for MySQL"
has out "CREATE USER 'jane'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;" \
    "the user with RDS's plugin, TLS required"
has out 'GRANT SELECT ON `app`.* TO '"'jane'@'%';" "a GRANT to adjust"
has out "give --vpc-cidr" "without --vpc-cidr, says how to lock the master down"
has out "iamdb mycnf 'mysql://jane@$H:3306/app'" "the client command"

for c in "10.0.0.0/16 '10.0.%'" "10.1.2.0/24 '10.1.2.%'" "10.0.0.0/8 '10.%'" \
    "10.1.2.3/32 '10.1.2.3'" "10.0.16.0/20 '10.0.16.0/255.255.240.0'" \
    "0.0.0.0/0 '%'"; do
	cidr=${c%% *} host=${c#* }
	setup "mariadb://jane@$H" --account $ACCT --resource-id $RID \
	    --vpc-cidr "$cidr" --master root2
	has out "RENAME USER 'root2'@'%' TO 'root2'@$host;" \
	    "--vpc-cidr $cidr: the master's host is $host"
done

setup "mysql://ja%27ne@$H/a%60b" --account $ACCT --resource-id $RID
has out "CREATE USER 'ja''ne'@'%'" "a quote doubled in a MySQL string"
has out 'ON `a``b`.*' "a backtick doubled in a MySQL identifier"

# --- Aurora DSQL: the cluster id from the host, the admin action.
DH=abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws
setup "dsql://admin@$DH" --account $ACCT
expect_rc 0 "setup for DSQL admin"
has out '"Action": "dsql:DbConnectAdmin"' "admin needs DbConnectAdmin"
has out "arn:aws:dsql:us-east-1:$ACCT:cluster/abcdefghijklmnopqrstuvwxyz" \
    "the cluster ARN from the host name"
setup "dsql://app@$DH" --account $ACCT
has out '"Action": "dsql:DbConnect"' "other users DbConnect"
has out 'AWS IAM GRANT "app" TO' "and DSQL's IAM GRANT"

# --- Looked up: the account from STS, the resource id from RDS.
AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET \
    setup "postgres://jane@$ORDERS/app" --format json
expect_rc 0 "no --account nor --resource-id: looked up"
[ "$(py "j['account'], j['resource_id']")" = "210987654321 db-FROMRDS" ]
ok $? "the account from GetCallerIdentity, DbiResourceId from DescribeDBInstances"
has out "arn:aws:rds-db:us-east-1:210987654321:dbuser:db-FROMRDS/jane" \
    "... in the policy's Resource"
AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET \
    setup "mysql://jane@shop.cluster-c1.us-east-1.rds.amazonaws.com" --account $ACCT
has out "dbuser:cluster-FROMRDS/jane" \
    "an Aurora cluster endpoint: DbClusterResourceId from DescribeDBClusters"
AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET \
    setup "postgres://jane@gone.c1.us-east-1.rds.amazonaws.com" --account $ACCT
expect_rc 3 "an instance RDS does not know"
has err "RDS has no instance gone in us-east-1" "... says so, with the way out"
has err "give --resource-id" "... and the way out"
AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET \
    setup "postgres://jane@localhost" --account $ACCT --region us-east-1
expect_rc 2 "no --resource-id and a host RDS cannot be asked about"
has err "localhost is no RDS endpoint name" "... says why"

# --- Refusals name what is wrong.
setup "postgres://jane@$H"
expect_rc 4 "no --account and no credentials to ask STS with"
setup "postgres://jane@$H" --account 12345
expect_rc 2 "an account of other than 12 digits"
has err "expected 12 digits" "... says so"
setup "postgres://jane@$H" --account $ACCT
expect_rc 4 "no --resource-id, and no credentials to ask RDS with"
setup "mysql://jane@$H" --account $ACCT --resource-id $RID --vpc-cidr 10.0.0.1/16
expect_rc 2 "a CIDR with host bits"
has err "the network is 10.0.0.0/16" "... names the network"
setup "mysql://jane@$H" --account $ACCT --resource-id $RID --vpc-cidr 10.0.0.0
expect_rc 2 "a CIDR without a prefix length"
setup "mysql://ja%5Cne@$H" --account $ACCT --resource-id $RID
expect_rc 2 "a backslash in a MySQL user"
has err "sql_mode" "... says why"
setup "postgres://ja%0Ane@$H" --account $ACCT --resource-id $RID
expect_rc 2 "a control character in the user"
lacks out "CREATE" "... and nothing printed"
setup "postgres://jane@$H" --account $ACCT --resource-id 'db;x'
expect_rc 2 "a resource id that is not one"

# --- The SQL runs on the real servers as printed.
if [ "$(id -u)" != 0 ] || ! command -v psql >/dev/null ||
    ! [ -x /usr/sbin/mariadbd ]; then
	skip "setup's SQL on PostgreSQL and MariaDB" \
	    "the real servers need root, psql and mariadb-server"
	done_testing
	exit
fi
DB=$HOME/db
chmod 711 "$HOME"
mkdir -m 711 "$DB"
sh "$TESTS_DIR/db/testca.sh" "$DB"
ok $? "a test CA"
trap 'fake_stop; sh "$TESTS_DIR/db/pg.sh" stop "$DB"; sh "$TESTS_DIR/db/mariadb.sh" stop "$DB"' EXIT
trap 'exit 1' HUP INT TERM
start_server "PostgreSQL starts" out sh "$TESTS_DIR/db/pg.sh" start "$DB"
start_server "MariaDB starts" out sh "$TESTS_DIR/db/mariadb.sh" start "$DB"

# What RDS has: the rds_iam role. Then setup's SQL, as printed.
sh "$TESTS_DIR/db/pg.sh" sql "$DB" "CREATE ROLE rds_iam" >/dev/null 2>&1
setup "postgres://ja%22ne@$H/app" --account $ACCT --resource-id $RID \
    --format json
py "'\n'.join(j['sql'])" >sql
sh "$TESTS_DIR/db/pg.sh" sql "$DB" "$(cat sql)" >/dev/null 2>err &&
sh "$TESTS_DIR/db/pg.sh" sql "$DB" "SELECT pg_has_role('ja\"ne', 'rds_iam', 'member')" >out 2>>err
has out " t" "PostgreSQL: the user exists and is a member of rds_iam"

sh "$TESTS_DIR/db/mariadb.sh" sql "$DB" "CREATE USER 'admin'@'%' IDENTIFIED BY 'x'" &&
setup "mariadb://jane@$H" --account $ACCT --resource-id $RID \
    --vpc-cidr 10.0.16.0/20 --format json &&
py "'\n'.join(j['lockdown'])" >sql &&
sh "$TESTS_DIR/db/mariadb.sh" sql "$DB" "$(cat sql)" &&
sh "$TESTS_DIR/db/mariadb.sh" sql "$DB" "SELECT host FROM mysql.user WHERE user='admin'" >out 2>err
has out "10.0.16.0/255.255.240.0" "MariaDB takes the lockdown: the master only from the VPC"
setup "mariadb://jane@$H" --account $ACCT --resource-id $RID \
    --vpc-cidr 10.0.0.0/16 --master admin --format json &&
sh "$TESTS_DIR/db/mariadb.sh" sql "$DB" "RENAME USER 'admin'@'10.0.16.0/255.255.240.0' TO 'admin'@'%'" &&
py "'\n'.join(j['lockdown'])" >sql &&
sh "$TESTS_DIR/db/mariadb.sh" sql "$DB" "$(cat sql)" &&
sh "$TESTS_DIR/db/mariadb.sh" sql "$DB" "SELECT host FROM mysql.user WHERE user='admin'" >out 2>err
has out "10.0.%" "... and the octet-aligned wildcard form"

# --- --apply: the SQL run as an admin user whose password the client
# library finds itself (never on iamdb's command line).
PGPORT=$(cat "$DB/pg/port")
ADMIN_PW='Adm1n-s3cret-pw'
sh "$TESTS_DIR/db/pg.sh" sql "$DB" "CREATE ROLE boss SUPERUSER LOGIN PASSWORD '$ADMIN_PW'" >/dev/null 2>&1
ok $? "PostgreSQL: an admin user with a password"
ADMIN="postgres://boss@127.0.0.1:$PGPORT/postgres"
apply() {	# apply URL ADMIN_URL [OPTION ...]
	u=$1 adm=$2
	shift 2
	setup "$u" --account $ACCT --resource-id $RID --ca-bundle "$DB/ca.pem" \
	    --apply "$adm" "$@"
}
PGPASSWORD=$ADMIN_PW apply "postgres://app1@$H/app" "$ADMIN"
expect_rc 0 "setup --apply with PGPASSWORD"
has out "-- 5. Applied as boss at 127.0.0.1:$PGPORT (PostgreSQL" "says as whom and where"
has out '-- ok      CREATE USER "app1";' "the user is made"
has out '-- ok      GRANT rds_iam TO "app1";' "and granted rds_iam"
sh "$TESTS_DIR/db/pg.sh" sql "$DB" "SELECT pg_has_role('app1', 'rds_iam', 'member')" >got 2>/dev/null
has got " t" "PostgreSQL has the user, a member of rds_iam"
! grep -q "$ADMIN_PW" out err
ok $? "the admin's password is in no output"

PGPASSWORD=$ADMIN_PW apply "postgres://app1@$H/app" "$ADMIN"
expect_rc 1 "applied again: the server refuses the first statement"
has out '-- fail    CREATE USER "app1";' "which is marked"
has out 'role "app1" already exists' "with the server's own words"
has out '-- skipped GRANT rds_iam TO "app1";' "and what follows is not run"
has err "the server refused a statement" "stderr says so"

printf '127.0.0.1:%s:*:boss:%s\n' "$PGPORT" "$ADMIN_PW" >"$HOME/.pgpass"
chmod 600 "$HOME/.pgpass"
apply "postgres://app2@$H/app" "$ADMIN" --format json
expect_rc 0 "setup --apply with the password from ~/.pgpass"
[ "$(py "j['applied']['as'] + ' ' + ','.join(s['result'] for s in j['applied']['statements'])")" = "boss ok,ok" ]
ok $? "--format json has what was applied"
rm -f "$HOME/.pgpass"

PGPASSWORD=wrong apply "postgres://app3@$H/app" "$ADMIN"
expect_rc 1 "a wrong admin password"
has out "could not log in" "is said"
has err "password authentication failed" "in libpq's words"

PGPASSWORD=$ADMIN_PW AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET \
    apply "postgres://app3@$H/app" "$ADMIN" --admin-auth iam --region us-east-1
expect_rc 1 "--admin-auth iam logs in with a token, not PGPASSWORD"
has err "password authentication failed for user \"boss\"" "(which this server does not take)"

apply "postgres://app3@$H/app" "mysql://boss@127.0.0.1:$PGPORT"
expect_rc 2 "an admin URL of another kind of database"
apply "postgres://app3@$H/app" "postgres://"
expect_rc 2 "an admin URL without host or user"
has err "--apply:" "is named"

# MariaDB: the admin's password from ~/.my.cnf; MariaDB has no
# AWSAuthenticationPlugin, so the server's refusal comes back.
MYPORT=$(cat "$DB/my/port")
sh "$TESTS_DIR/db/mariadb.sh" sql "$DB" "CREATE USER 'boss'@'%' IDENTIFIED BY '$ADMIN_PW'; GRANT ALL ON *.* TO 'boss'@'%' WITH GRANT OPTION" >/dev/null 2>&1
ok $? "MariaDB: an admin user with a password"
printf '[client]\npassword = "%s"\n' "$ADMIN_PW" >"$HOME/.my.cnf"
chmod 600 "$HOME/.my.cnf"
apply "mariadb://app1@$H/app" "mariadb://boss@127.0.0.1:$MYPORT"
expect_rc 1 "setup --apply on MariaDB"
has out "-- 5. Applied as boss at 127.0.0.1:$MYPORT" "logs in with the option file's password"
has out "-- fail    CREATE USER 'app1'@'%' IDENTIFIED WITH AWSAuthenticationPlugin" "MariaDB refuses RDS's plugin"
has out "AWSAuthenticationPlugin" "in its own words"
lacks out "-- ok      GRANT" "the GRANT placeholder is never run"
rm -f "$HOME/.my.cnf"
MYSQL_PWD=$ADMIN_PW apply "mariadb://app1@$H/app" "mariadb://boss@127.0.0.1:$MYPORT"
has out "-- fail    CREATE USER" "or with MYSQL_PWD's"
apply "mariadb://app1@$H/app" "mariadb://boss@127.0.0.1:$MYPORT"
expect_rc 1 "without a password anywhere"
has out "could not log in" "it cannot log in"

done_testing
