# iamdb env and iamdb uri: every syntax read back by what consumes it (sh
# itself; fish's quoting rules, or fish when installed; Ruby dotenv's
# rules; a JSON parser; URL decoding and libpq) gives the exact values,
# however odd the user and database names.
. "$TESTS_DIR/lib.sh"
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent
export IAMDB_CA_BUNDLE="$HOME/my ca's \$dir/rds-ca.pem"
ca_pem "$IAMDB_CA_BUNDLE"
H=mydb.c9akciq32.us-east-1.rds.amazonaws.com
T=2016-11-07T17:39:33Z
PY=$(python3 -c 'import sys; print(sys.executable)')
READ="$PY $TESTS_DIR/cli/outputs_readers.py"
# A user name with spaces, both quotes, $, backslashes and a backtick; a
# database name with a newline and a tab as well.
U='we ird "q" '\''s $HOME \\ `id` a\b $(x) %2F'
D='d$b "x" \n 
	end\'
tok() { "$IAMDB" token --host $H --engine "$1" --user "$U" --signing-time $T; }
envf() {	# envf FORMAT [ENGINE]
	"$IAMDB" env --host $H --engine "${2:-postgres}" --user "$U" \
	    --database "$D" --signing-time $T --format "$1"
}
# same A B: two JSON objects are equal; what differs goes to stderr
same() {
	$PY -c 'import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for k in sorted(set(a) | set(b)):
    if a.get(k) != b.get(k):
        sys.stderr.write("%s: %r != %r\n" % (k, a.get(k), b.get(k)))
sys.exit(a != b)' "$1" "$2"
}

# --- json: the reference the other syntaxes are compared with
envf json >env.json
rc=$?
expect_rc 0 "iamdb env --format json"
$PY -c 'import json, sys
d = json.load(open("env.json"))
sys.exit(not (isinstance(d, dict) and all(isinstance(v, str) for v in d.values())))'
ok $? "is one JSON object of strings"
$PY -c 'import json, sys
d = json.load(open("env.json"))
want = {"PGHOST": sys.argv[1], "PGPORT": "5432", "PGUSER": sys.argv[2],
        "PGDATABASE": sys.argv[3], "PGPASSWORD": sys.argv[4],
        "PGSSLMODE": "verify-full", "PGSSLROOTCERT": sys.argv[5],
        "IAMDB_USER": sys.argv[2], "IAMDB_DATABASE": sys.argv[3],
        "IAMDB_TOKEN": sys.argv[4], "IAMDB_REGION": "us-east-1",
        "IAMDB_EXPIRES_AT": "2016-11-07T17:54:33Z"}
sys.exit(any(d.get(k) != v for k, v in want.items()))' \
    $H "$U" "$D" "$(tok postgres)" "$IAMDB_CA_BUNDLE"
ok $? "with the PG* and IAMDB_* variables holding the exact values"

# --- sh
envf sh >env.sh
(
	for v in $($PY -c 'import json; print(" ".join(json.load(open("env.json"))))'); do
		unset "$v"
	done
	eval "$(cat env.sh)"
	$PY -c 'import json, os
print(json.dumps({k: os.environ.get(k) for k in json.load(open("env.json"))}))'
) >sh.json
same env.json sh.json
ok $? "--format sh, eval'd by sh, exports exactly those values"
envf bash >env.bash
cmp -s env.sh env.bash
ok $? "--format bash is the sh syntax"
envf zsh >env.zsh
cmp -s env.sh env.zsh
ok $? "and so is --format zsh"
if command -v bash >/dev/null 2>&1; then
	bash -c 'eval "$(cat env.sh)"; printf "%s" "$PGUSER"' >bash.user
	[ "$(cat bash.user)" = "$U" ]
	ok $? "bash reads the sh syntax the same"
else
	skip "bash reads the sh syntax the same" "bash is not installed"
fi

# --- fish
envf fish >env.fish
$READ fish env.fish >fish.json
same env.json fish.json
ok $? "--format fish, read with fish's single-quote rules, gives exactly those values"
if command -v fish >/dev/null 2>&1; then
	fish -c 'source env.fish; printf "%s" "$PGUSER"' >fish.user
	[ "$(cat fish.user)" = "$U" ]
	ok $? "fish itself reads the user back"
else
	skip "fish itself reads the user back" "fish is not installed"
fi

# --- dotenv
envf dotenv >env.dotenv
$READ dotenv env.dotenv >dotenv.json
same env.json dotenv.json
ok $? "--format dotenv, read with Ruby dotenv's double-quote rules, gives exactly those values"
! grep -v '^[A-Z_]*="' env.dotenv | grep -q .
ok $? "every dotenv line is NAME=\"value\", the newline written as backslash-n"

# --- MySQL
envf json mysql >my.json
$PY -c 'import json, sys
d = json.load(open("my.json"))
sys.exit(not (d.get("MYSQL_HOST") == sys.argv[1] and
    d.get("MYSQL_TCP_PORT") == "3306" and d.get("MYSQL_PWD") == sys.argv[2] and
    d.get("LIBMYSQL_ENABLE_CLEARTEXT_PLUGIN") == "1" and
    not any(k.startswith("PG") for k in d)))' $H "$(tok mysql)"
ok $? "mysql: MYSQL_HOST, MYSQL_TCP_PORT, MYSQL_PWD and the cleartext plugin switch, no PG*"

run env --host $H --engine postgres --user u --format csh
expect_rc 2 "an unknown --format"
"$IAMDB" env --host $H --engine postgres --user u >/dev/full 2>err
rc=$?
expect_rc 6 "a write error on stdout"

# --- uri
cat >checkuri.py <<'EOF'
"""checkuri.py STYLE URI USER DB TOKEN CA: prints one line per part that
decodes to what it should, and the raw characters that should have been
encoded."""
import sys
from urllib.parse import parse_qs, unquote, urlsplit

style, uri, user, db, token, ca = sys.argv[1:7]
if style == "jdbc":
    assert uri.startswith("jdbc:")
    uri = uri[5:]
u = urlsplit(uri)
q = parse_qs(u.query, keep_blank_values=True)
got = {"host": u.hostname, "port": str(u.port),
       "db": unquote(u.path[1:])}
if style == "jdbc":
    got["user"] = q["user"][0]
    got["password"] = q["password"][0]
else:
    got["user"] = unquote(u.username)
    got["password"] = unquote(u.password)
want = {"host": "mydb.c9akciq32.us-east-1.rds.amazonaws.com",
        "user": user, "password": token, "db": db}
for k, v in want.items():
    if got[k] == v:
        print(k)
for k in ("sslrootcert", "ssl-ca", "serverSslCert"):
    if q.get(k) == [ca]:
        print("ca")
for k in ("sslmode", "ssl-mode", "sslMode"):
    if k in q:
        print("mode=" + q[k][0])
raw = uri.split("?", 1)[0].split("://", 1)[1]
if not any(c in raw for c in ' "\'$\\`\n\t'):
    print("encoded")
EOF
CA=$IAMDB_CA_BUNDLE
urich() {	# urich STYLE ENGINE [FORMAT]
	"$IAMDB" uri --host $H --engine "$2" --user "$U" --database "$3" \
	    --signing-time $T ${4:+--format $4} >uri.out 2>err
	$PY checkuri.py "$1" "$(cat uri.out)" "$U" "$3" "$(tok "$2")" "$CA" >uri.parts
}
urich pg postgres "$D"
grep -q '^postgresql://' uri.out
ok $? "iamdb uri: postgresql:// for postgres"
[ "$(grep -cxE 'host|user|password|db' uri.parts)" = 4 ]
ok $? "libpq URI: user, token and database percent-decode to the exact values"
grep -qx encoded uri.parts && grep -qx ca uri.parts && grep -qx mode=verify-full uri.parts
ok $? "libpq URI: nothing raw in user or password, sslmode and sslrootcert set"
urich my mysql appdb
grep -q '^mysql://' uri.out && [ "$(grep -cxE 'host|user|password|db' uri.parts)" = 4 ]
ok $? "mysql URI: user, token and database percent-decode to the exact values"
grep -qx mode=VERIFY_IDENTITY uri.parts && grep -qx ca uri.parts
ok $? "mysql URI: ssl-mode VERIFY_IDENTITY and ssl-ca"
urich jdbc postgres "$D" jdbc
grep -q '^jdbc:postgresql://' uri.out && [ "$(grep -cxE 'host|user|password|db' uri.parts)" = 4 ]
ok $? "JDBC (PostgreSQL): user and password parameters decode to the exact values"
"$IAMDB" uri --host $H --engine mysql --user app_1 --database app.db \
    --signing-time $T --format jdbc >uri.out 2>err
[ "$(cat uri.out)" = "jdbc:mysql://$H:3306/app.db?user=app_1&sslMode=VERIFY_IDENTITY&useSsl=true&serverSslCert=$CA&allowCleartextPasswords=true" ]
ok $? "JDBC (MySQL): no token (MariaDB Connector/J cannot read one in a URL), TLS verified in both drivers' terms, values raw"
"$IAMDB" uri --host $H --engine mysql --user u --sslmode verify-ca \
    --format jdbc >uri.out 2>/dev/null
grep -q '&sslMode=VERIFY_CA&useSsl=true&disableSslHostnameVerification=true&' uri.out
ok $? "JDBC (MySQL): verify-ca leaves out only the host name check"
run uri --host $H --engine mysql --user "$U" --format jdbc
expect_rc 2 "JDBC (MySQL): a user that the two drivers would decode differently is refused"
has err "the user has characters that MariaDB Connector/J and Oracle's Connector/J read differently" "naming what and why"
run uri --host $H --engine mysql --user u --format libpq
expect_rc 2 "a libpq URI for MySQL is refused"
ca_pem "$HOME/system.pem"
(unset IAMDB_CA_BUNDLE; SSL_CERT_FILE=$HOME/system.pem "$IAMDB" uri --host abc.dsql.us-east-1.on.aws --engine dsql --user admin >out 2>err)
grep -q "sslrootcert=$(printf %s "$HOME/system.pem" | sed 's,/,%2F,g')" out
ok $? "dsql: sslrootcert is the system's CA file"

if command -v psql >/dev/null 2>&1; then
	mkdir pgsrv
	$READ pgserver pgsrv >pgsrv/stderr 2>&1 &
	PG_PID=$!
	i=0
	while [ ! -s pgsrv/port ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	PGP=$(cat pgsrv/port)
	PU='app user:@/?#&'
	"$IAMDB" uri --host 127.0.0.1 --port "$PGP" --user "$PU" --database 'the/db?' \
	    --region us-east-1 --sslmode disable --signing-time $T >uri.out
	"$IAMDB" token --host 127.0.0.1 --port "$PGP" --user "$PU" \
	    --region us-east-1 --signing-time $T >want.token
	PGCONNECT_TIMEOUT=5 psql -w "$(cat uri.out)" -c 'select 1' >/dev/null 2>&1
	$PY -c 'import json, sys
r = json.loads(open("pgsrv/passwords.log").readline())
sys.exit(not (r["password"] == open("want.token").read().strip() and
    r["user"] == sys.argv[1] and r["database"] == "the/db?"))' "$PU" 2>/dev/null
	ok $? "psql (libpq) given the URI sends the exact user, database and token"
	kill $PG_PID 2>/dev/null
else
	skip "psql (libpq) given the URI sends the exact user, database and token" "psql is not installed"
fi

done_testing
