# iamdb json: one flat JSON object of strings, and --stdin, which speaks
# Terraform's external data source protocol (a JSON object of strings in,
# a flat JSON object of strings out, errors on stderr with a non-zero exit).
. "$TESTS_DIR/lib.sh"
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent
export IAMDB_CA_BUNDLE=$HOME/rds-ca.pem
ca_pem "$IAMDB_CA_BUNDLE"
unset AWS_CREDENTIAL_EXPIRATION AWS_SESSION_TOKEN
H=mydb.c9akciq32.us-east-1.rds.amazonaws.com
T=2016-11-07T17:39:33Z
PY=$(python3 -c 'import sys; print(sys.executable)')
tok() { "$IAMDB" token --host $H --signing-time $T "$@"; }
# fields: out as KEY=TYPE:VALUE lines in ./fields (TYPE is the JSON type);
# fails unless out is exactly one JSON object.
fields() {
	$PY -c 'import json, sys
d = json.load(open("out"))
assert isinstance(d, dict)
for k, v in d.items():
    t = "string" if isinstance(v, str) else type(v).__name__
    print("%s=%s:%s" % (k, t, v))' >fields 2>/dev/null
}
field() { grep "^$1=" fields | cut -d: -f2-; }
jin() { printf '%s' "$1" | "$IAMDB" json --stdin >out 2>err; rc=$?; }

# --- the object
run json --host $H --engine postgres --user u --database sales --signing-time $T
expect_rc 0 "iamdb json"
fields
ok $? "prints one JSON object"
[ "$(cut -d= -f1 fields | sort | tr '\n' ' ')" = "database engine expires_at host port region sslmode sslrootcert token user " ]
ok $? "with token, host, port, user, database, engine, region, expires_at, sslmode and sslrootcert"
! grep -qv '^[a-z_]*=string:' fields
ok $? "every value a string, as Terraform's external data source requires"
[ "$(field token)" = "$(tok --engine postgres --user u)" ]
ok $? "token is the token iamdb token prints"
[ "$(field host)" = $H ] && [ "$(field port)" = 5432 ] && [ "$(field user)" = u ] &&
    [ "$(field database)" = sales ] && [ "$(field engine)" = postgres ] &&
    [ "$(field region)" = us-east-1 ]
ok $? "host, port (\"5432\"), user, database, engine and region are the connection's"
[ "$(field expires_at)" = 2016-11-07T17:54:33Z ]
ok $? "expires_at is the signing time plus 900 s, ISO 8601 UTC"
[ "$(field sslmode)" = verify-full ] && [ "$(field sslrootcert)" = "$HOME/rds-ca.pem" ]
ok $? "sslmode verify-full and sslrootcert the CA bundle"
run json --host $H --engine mysql --user u --signing-time $T
fields
[ "$(field engine)" = mysql ] && [ "$(field port)" = 3306 ] && [ "$(field database)" = "" ]
ok $? "mysql: engine mysql, port \"3306\", database \"\" when none was given"
ca_pem "$HOME/system.pem"
(unset IAMDB_CA_BUNDLE; SSL_CERT_FILE=$HOME/system.pem "$IAMDB" json --host abc.dsql.us-east-1.on.aws --engine dsql --user admin >out 2>err)
fields
[ "$(field engine)" = dsql ] && [ "$(field sslrootcert)" = "$HOME/system.pem" ]
ok $? "dsql: engine dsql, sslrootcert the system's CA file"
U='o"dd \ user'
run json --host $H --engine postgres --user "$U" --signing-time $T
fields
[ "$(field user)" = "$U" ]
ok $? "a user with quotes and backslashes reads back exactly"

# --- expires_at and the credentials' expiry
now=$(date +%s)
soon=$(date -u -d "@$((now + 180))" +%Y-%m-%dT%H:%M:%SZ)
AWS_CREDENTIAL_EXPIRATION=$soon run json --host $H --engine postgres --user u
expect_rc 0 "credentials expiring in three minutes"
fields
[ "$(field expires_at)" = "$soon" ]
ok $? "expires_at is when the credentials expire, not 15 minutes on"
later=$(date -u -d "@$((now + 7200))" +%Y-%m-%dT%H:%M:%SZ)
AWS_CREDENTIAL_EXPIRATION=$later run json --host $H --engine postgres --user u --expires 600
fields
e=$(field expires_at)
want1=$(date -u -d "@$((now + 600))" +%Y-%m-%dT%H:%M:%SZ)
want2=$(date -u -d "@$((now + 601))" +%Y-%m-%dT%H:%M:%SZ)
[ "$e" = "$want1" ] || [ "$e" = "$want2" ]
ok $? "credentials that outlive the token leave expires_at at the token's end"
AWS_CREDENTIAL_EXPIRATION=$soon run env --host $H --engine postgres --user u --format dotenv
has out "IAMDB_EXPIRES_AT=\"$soon\"" "iamdb env's IAMDB_EXPIRES_AT is capped the same way"

# --- --stdin
run json --host $H --engine postgres --user u --database sales --signing-time $T
cp out byopts
jin '{"host": "'$H'", "engine": "postgres", "user": "u", "database": "sales", "signing_time": "'$T'"}'
expect_rc 0 "--stdin with a JSON object of strings"
cmp -s out byopts
ok $? "prints exactly what the same options print"
[ ! -s err ]
ok $? "and nothing on stderr"
jin '{"host": "'$H'", "port": 5433, "user": "u", "expires": 60, "signing_time": "'$T'"}'
expect_rc 0 "--stdin with numbers for port and expires"
fields
[ "$(field port)" = 5433 ] && grep -qx "port=string:5433" fields
ok $? "a number for port is taken, and given back as a string"
[ "$(field expires_at)" = 2016-11-07T17:40:33Z ]
ok $? "a number for expires is taken"
jin '{"host": "'$H'", "port": "5433", "user": "u", "expires": "60", "signing_time": "'$T'"}'
fields
[ "$(field port)" = 5433 ] && [ "$(field expires_at)" = 2016-11-07T17:40:33Z ]
ok $? "strings for port and expires, as Terraform sends them, are taken"
jin '{"url": "postgres://app%40corp@'$H':6000/hr", "signing_time": "'$T'"}'
expect_rc 0 "--stdin with a url"
fields
[ "$(field user)" = app@corp ] && [ "$(field port)" = 6000 ] && [ "$(field database)" = hr ]
ok $? "the URL's user, port and database are used"
jin '{"host": "'$H'", "engine": "postgres", "user": "u", "database": null, "profile": "", "terraform_extra": "x"}'
expect_rc 0 "--stdin with null, empty and unknown fields"
fields
[ "$(field database)" = "" ]
ok $? "null and empty fields count as not given, unknown ones are ignored"
jin '{"host": "'$H'", "engine": "postgres"}'
expect_rc 2 "--stdin without a user"
[ ! -s out ] && [ -s err ]
ok $? "a missing field is reported on stderr, with nothing on stdout"

for bad in '{"host":' '' 'null' '["host"]' '"host"' '{"host": "h"} {}' \
    '{"host": "h", "host": "i"}'; do
	jin "$bad"
	[ $rc -ne 0 ] && [ ! -s out ] && grep -q '^iamdb json: --stdin' err
	ok $? "--stdin refuses [$bad]: non-zero exit, message on stderr, nothing on stdout"
done
for bad in '{"host": "'$H'", "user": "u", "port": 5432.5}' \
    '{"host": true, "user": "u", "port": 1}' \
    '{"host": "'$H'", "user": ["u"], "port": 1}'; do
	jin "$bad"
	[ $rc -eq 2 ] && [ ! -s out ] && [ -s err ]
	ok $? "--stdin refuses a field of the wrong type [$bad]"
done
jin '{"host": "'$H'", "user": "u", "port": 70000}'
[ $rc -eq 2 ] && grep -q -- "--port '70000'" err
ok $? "a bad value is named as the option it stands for"
jin '{"host": "'$H'", "user": "u", "port": 5432}'
"$IAMDB" json --stdin --host $H --user u --port 5432 </dev/null >out 2>err
rc=$?
[ $rc -eq 2 ] && [ ! -s out ]
ok $? "--stdin with nothing on stdin is refused"
"$IAMDB" json --host $H --user u --port 5432 >/dev/full 2>err
rc=$?
expect_rc 6 "a write error on stdout"

# A value that is not UTF-8 fails the object rather than being dropped
# from it (issue 8: json --database $'d\xffb' dropped the key).
run json --host $H --engine postgres --user u --database "$(printf 'd\377b')" --signing-time $T
expect_rc 2 "a database name that is not UTF-8 is refused"
[ ! -s out ]; ok $? "and no object without the database is printed"
has err "database is not UTF-8" "naming the field"

done_testing
