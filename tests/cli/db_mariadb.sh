# Every MySQL output mode against a real server and client: Debian's
# MariaDB on 127.0.0.1, TLS required, the client verifying the certificate
# and the host. The account's password is the token iamdb makes for fixed
# credentials and signing time, so a login proves the client read exactly
# that token, with the user, database and TLS settings, from iamdb's output.
#
# The host is 127.0.0.1, not localhost: MySQL clients take "localhost" to
# mean the Unix socket. The certificate names both.
. "$TESTS_DIR/lib.sh"

needs mariadb mariadb-admin mariadb-install-db my_print_defaults openssl \
    python3

export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION
export AWS_CONFIG_FILE="$HOME/none" AWS_SHARED_CREDENTIALS_FILE="$HOME/none"
# Whatever the caller has set for its own clients stays out.
unset MYSQL_HOST MYSQL_TCP_PORT MYSQL_PWD MYSQL_HOME MARIADB_HOME \
    MYSQL_UNIX_PORT MYSQL_GROUP_SUFFIX
# A fixed signing time, for every mode but exec's refreshed one.
T=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# A user with both quotes and '#', which an option file must quote and
# escape; a database with a space.
U="app'#\"ro"
D="iam db"
H=127.0.0.1
DB=$HOME/db
OTHER=$HOME/otherca
# Nothing here may fetch AWS's CA bundle, even where --ca-bundle is left out.
export IAMDB_CA_BUNDLE="$DB/ca.pem"

sh "$TESTS_DIR/db/testca.sh" "$DB" &&
    sh "$TESTS_DIR/db/testca.sh" "$OTHER"
ok $? "a test CA and a server certificate for localhost and 127.0.0.1"

trap 'sh "$TESTS_DIR/db/mariadb.sh" stop "$DB"' EXIT
trap 'exit 1' HUP INT TERM
start_server "MariaDB starts on 127.0.0.1 requiring TLS" out \
    sh "$TESTS_DIR/db/mariadb.sh" start "$DB"
PORT=$(cat "$DB/my/port")

sql() {
	sh "$TESTS_DIR/db/mariadb.sh" sql "$DB" "$1" >out 2>err
}

lit() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }

token() {	# token USER: the password iamdb signs for USER
	"$IAMDB" token --host $H --port "$PORT" --user "$1" \
	    --region us-east-1 --signing-time "$T"
}

sql "CREATE DATABASE \`$D\`;
    CREATE USER $(lit "$U")@'%' IDENTIFIED BY $(lit "$(token "$U")");
    GRANT ALL ON \`$D\`.* TO $(lit "$U")@'%'"
ok $? "an account whose password is the token for $H:$PORT"

# iam COMMAND [ARG ...]: iamdb COMMAND for the account, ARGs after the
# target.
iam() {
	c=$1
	shift
	"$IAMDB" "$c" --engine mariadb --host $H --port "$PORT" --user "$U" \
	    --database "$D" --region us-east-1 --signing-time "$T" \
	    --ca-bundle "$DB/ca.pem" "$@"
}

# What the client answers once connected: who, which database, and the
# TLS cipher (empty without TLS).
Q="SELECT CURRENT_USER(), DATABASE(), VARIABLE_VALUE
    FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'SSL_CIPHER'"
# Results as they are, tab-separated; --no-defaults and --defaults-file
# must come before these.
FMT="-N -B -r"
# The options a client needs beside the environment to verify the server.
VERIFY="--ssl-verify-server-cert"

connected() {	# connected DESCRIPTION: the client's answer in ./out
	tab=$(printf '\t')
	[ "$rc" -eq 0 ] && case $(cat out) in
	"$U@%$tab$D$tab"?*) true ;;
	*) false ;;
	esac
	ok $? "$1"
}

refused() {	# refused MESSAGE DESCRIPTION: the client failed, saying MESSAGE
	[ "$rc" -ne 0 ] && grep -qF -- "$1" err
	ok $? "$2"
}

# --- the server's own guards, so that the checks below mean something
direct() {	# direct PASSWORD [OPTION ...]: the client with no option file
	MYSQL_PWD=$1
	shift
	MYSQL_PWD=$MYSQL_PWD mariadb --no-defaults $FMT -h $H -P "$PORT" \
	    -u "$U" -D "$D" "$@" -e "$Q" >out 2>err
	rc=$?
	unset MYSQL_PWD
}
direct "$(token "$U")" --ssl-ca="$DB/ca.pem" $VERIFY
connected "the token as MYSQL_PWD logs in over verified TLS"
direct "$(token "$U")" --skip-ssl
# MariaDB says no more than "Access denied" to a client without TLS.
refused "Access denied" "the server refuses the same login without TLS"
direct "$(token other)" --ssl-ca="$DB/ca.pem" $VERIFY
refused "Access denied" "a token signed for another user does not log in"
direct "$(T=2020-01-01T00:00:00Z token "$U")" --ssl-ca="$DB/ca.pem" $VERIFY
refused "Access denied" "a token signed at another time does not log in"

# --- iamdb env, evaluated by sh. MySQL clients read the host, port and
# password from the environment but have no variables for the user or TLS:
# those come from IAMDB_*.
iam env >env.sh 2>err
rc=$?; expect_rc 0 "iamdb env"
(
	. ./env.sh
	[ "$MYSQL_HOST" = $H ] && [ "$MYSQL_TCP_PORT" = "$PORT" ] &&
	    [ "$IAMDB_USER" = "$U" ] || exit 9
	mariadb $FMT -u "$IAMDB_USER" -D "$IAMDB_DATABASE" \
	    --ssl-ca="$IAMDB_SSLROOTCERT" $VERIFY -e "$Q"
) >out 2>err
rc=$?; connected "eval \"\$(iamdb env)\" gives the client the host, port and token"
(
	eval "$("$IAMDB" env "mysql://app%27%23%22ro@$H:$PORT/iam%20db" \
	    --region us-east-1 --signing-time "$T" --ca-bundle "$DB/ca.pem")"
	mariadb $FMT -u "$IAMDB_USER" -D "$IAMDB_DATABASE" \
	    --ssl-ca="$IAMDB_SSLROOTCERT" $VERIFY -e "$Q"
) >out 2>err
rc=$?; connected "the same from a mysql:// URL with %-encoded user and database"
(
	eval "$(iam env --ca-bundle "$OTHER/ca.pem")"
	mariadb $FMT -u "$IAMDB_USER" --ssl-ca="$IAMDB_SSLROOTCERT" $VERIFY -e "$Q"
) >out 2>err
rc=$?; refused "TLS/SSL error" "with --ca-bundle naming another CA, the client refuses the server"

# --- iamdb json and env --format json, read by a program that runs the
# client.
iam json >conn.json 2>err
rc=$?; expect_rc 0 "iamdb json"
python3 - conn.json "$Q" >out 2>err <<'PY'
import json, os, sys
c = json.load(open(sys.argv[1]))
os.environ["MYSQL_PWD"] = c["token"]
os.execvp("mariadb", ["mariadb", "-N", "-B", "-r", "-h", c["host"],
    "-P", c["port"], "-u", c["user"], "-D", c["database"],
    "--ssl-ca", c["sslrootcert"], "--ssl-verify-server-cert",
    "-e", sys.argv[2]])
PY
rc=$?; connected "the client logs in with the fields of iamdb json"
iam env --format json >env.json 2>err
python3 - env.json "$Q" >out 2>err <<'PY'
import json, os, sys
os.environ.update(json.load(open(sys.argv[1])))
e = os.environ
os.execvp("mariadb", ["mariadb", "-N", "-B", "-r", "-u", e["IAMDB_USER"],
    "-D", e["IAMDB_DATABASE"], "--ssl-ca", e["IAMDB_SSLROOTCERT"],
    "--ssl-verify-server-cert", "-e", sys.argv[2]])
PY
rc=$?; connected "the client logs in with the variables of iamdb env --format json"

# --- iamdb uri --format mysql, taken apart by a standard URI parser
iam uri >uri 2>err
rc=$?; expect_rc 0 "iamdb uri"
python3 - uri "$Q" >out 2>err <<'PY'
import os, sys
from urllib.parse import urlsplit, unquote, parse_qs
u = urlsplit(open(sys.argv[1]).read().strip())
q = parse_qs(u.query)
assert u.scheme == "mysql" and q["ssl-mode"] == ["VERIFY_IDENTITY"], u
os.environ["MYSQL_PWD"] = unquote(u.password)
os.execvp("mariadb", ["mariadb", "-N", "-B", "-r", "-h", u.hostname,
    "-P", str(u.port), "-u", unquote(u.username), "-D", unquote(u.path[1:]),
    "--ssl-ca", q["ssl-ca"][0], "--ssl-verify-server-cert",
    "-e", sys.argv[2]])
PY
rc=$?; connected "the client logs in with the parts of iamdb uri, %-decoded"

# --- iamdb mycnf, read by the client as an option file
iam mycnf --file my.cnf >out 2>err
rc=$?; expect_rc 0 "iamdb mycnf --file"
mariadb --defaults-file=my.cnf $FMT -e "$Q" >out 2>err
rc=$?; connected "mariadb --defaults-file logs in with iamdb's [client] group alone"
[ ! -s err ]
ok $? "and the client warns about nothing in the file (no loose-ssl-mode)"
for e in mysql mariadb; do
	"$IAMDB" mycnf "$e://$(pct "$U")@$H:$PORT/$(pct "$D")" --region us-east-1 \
	    --signing-time "$T" --file $e.cnf >/dev/null 2>err &&
	    mariadb --defaults-file=$e.cnf $FMT -e "$Q" >out 2>err
	rc=$?; connected "$e:// with iamdb mycnf: the client logs in"
	[ ! -s err ]
	ok $? "$e:// with iamdb mycnf: the client prints nothing on standard error"
done
my_print_defaults --defaults-file=my.cnf client | grep -qxF -- "--user=$U"
ok $? "the option file parser reads the user back exactly: quotes and '#' survive"
iam mycnf --file my.cnf --ca-bundle "$OTHER/ca.pem" >/dev/null 2>err
mariadb --defaults-file=my.cnf $FMT -e "$Q" >out 2>err
rc=$?; refused "TLS/SSL error" "the file's ssl-ca is used: another CA is refused"
# A certificate from the right CA for another name: the file asks the
# client to check the host too.
mkdir alt && cp "$DB/ca.pem" "$DB/ca.key" alt/ &&
    sh "$TESTS_DIR/db/testca.sh" alt DNS:db.example.test &&
    cp "$DB/server.pem" "$DB/server.key" . &&
    cp alt/server.pem alt/server.key "$DB/" && sql "FLUSH SSL"
ok $? "the server now shows a certificate for db.example.test"
iam mycnf --file my.cnf >/dev/null 2>err
mariadb --defaults-file=my.cnf $FMT -e "$Q" >out 2>err
rc=$?; refused "Validation of SSL server certificate failed" "the client checks the certificate against the host iamdb wrote"
"$IAMDB" exec --engine mariadb --host $H --port "$PORT" --user "$U" \
    --region us-east-1 -- mariadb $FMT -e "$Q" >out 2>err
rc=$?; refused "Validation of SSL server certificate failed" "so does the client under iamdb exec, with its private option file"
iam exec --no-refresh -- mariadb $FMT -e "$Q" >out 2>err
rc=$?; refused "Validation of SSL server certificate failed" "and under iamdb exec --no-refresh"
cp server.pem server.key "$DB/" && sql "FLUSH SSL"
ok $? "the server shows its own certificate again"
mariadb --defaults-file=my.cnf $FMT -e "$Q" >out 2>err
rc=$?; connected "and the same file logs in"

iam mycnf --file groups.cnf --group mariadb-client >out 2>err
mariadb --defaults-file=groups.cnf $FMT -e "$Q" >out 2>err
rc=$?; connected "mycnf --group mariadb-client writes a group the client reads"

# Values the option file must quote and escape, read back by its parser.
for u in "a'b#\"c" 'a"b'"'"'#c' 'x\y' 'tail\' ' lead' 'trail ' '"q"'; do
	rm -f names.cnf
	"$IAMDB" mycnf --file names.cnf --host $H --port "$PORT" --user "$u" \
	    --database "d#$u" --region us-east-1 --ca-bundle "$DB/ca.pem" \
	    >/dev/null 2>err &&
	    my_print_defaults --defaults-file=names.cnf client >got &&
	    grep -qxF -- "--user=$u" got &&
	    my_print_defaults --defaults-file=names.cnf mysql >got &&
	    grep -qxF -- "--database=d#$u" got
	ok $? "my_print_defaults reads back user and database [$(printf '%s' "$u" |
	    sed 's/\\/<backslash>/g')] exactly"
done

# ~/.my.cnf, where iamdb mycnf writes by default.
iam mycnf >out 2>err
rc=$?; expect_rc 0 "iamdb mycnf"
[ "$(stat -c %a "$HOME/.my.cnf")" = 600 ]
ok $? "~/.my.cnf is written mode 0600"
mariadb $FMT -e "$Q" >out 2>err
rc=$?; connected "a plain mariadb logs in with ~/.my.cnf"
rm -f "$HOME/.my.cnf"

# The user's own [client] credentials are theirs: iamdb refuses to
# override them, and its own group beside them is read with
# --defaults-group-suffix=_iamdb, ahead of theirs.
printf '[client]\nuser = root\npassword = "their own"\nhost = localhost\n' >"$HOME/.my.cnf"
chmod 600 "$HOME/.my.cnf"
cp "$HOME/.my.cnf" theirs.cnf
iam mycnf >out 2>err
rc=$?; expect_rc 3 "iamdb mycnf on a ~/.my.cnf whose [client] has the user's own credentials"
cmp -s "$HOME/.my.cnf" theirs.cnf && grep -q -- "--group client_iamdb" err
ok $? "is refused, the file untouched, the way forward named"
iam mycnf --group client_iamdb >out 2>err
rc=$?; expect_rc 0 "iamdb mycnf --group client_iamdb"
mariadb --defaults-group-suffix=_iamdb $FMT -e "$Q" >out 2>err
rc=$?; connected "mariadb --defaults-group-suffix=_iamdb logs in as the IAM user, over TLS, with iamdb's group"
mariadb --defaults-group-suffix=_iamdb -e 'SELECT DATABASE()' -N >out 2>err &&
    [ "$(cat out)" = "$D" ]
ok $? "to the URL's database ([mysql_iamdb])"
my_print_defaults client >got && grep -qxF -- "--password=their own" got &&
    ! grep -q X-Amz got
ok $? "while [client] alone still has the user's own password, and nothing of iamdb's"
iam mycnf --group client_iamdb --remove >out 2>err &&
    cmp -s "$HOME/.my.cnf" theirs.cnf
ok $? "--remove gives ~/.my.cnf back byte for byte"
rm -f "$HOME/.my.cnf"

# --- iamdb exec
iam exec --no-refresh -- sh -c '
	[ -n "$MYSQL_PWD" ] || exit 9
	exec '"mariadb $FMT"' -u "$IAMDB_USER" -D "$IAMDB_DATABASE" \
	    --ssl-ca="$IAMDB_SSLROOTCERT" '"$VERIFY"' -e "$0"' "$Q" >out 2>err
rc=$?; connected "iamdb exec --no-refresh -- mariadb logs in with MYSQL_PWD"
iam exec --no-refresh -- sh -c '
	cat "$MYSQL_HOME/my.cnf" "$MARIADB_HOME/my.cnf" >settings
	exec '"mariadb $FMT"' -e "$0"' "$Q" >out 2>err
rc=$?; connected "iamdb exec --no-refresh -- mariadb, with no option, logs in as the URL's user, to its database, over verified TLS"
[ ! -s err ]
ok $? "and the client prints nothing on standard error"
! grep -q password settings && ! grep -q X-Amz settings
ok $? "the option files --no-refresh leaves for the user and TLS hold no password"

# ... and with a private option file through MYSQL_HOME, kept fresh. exec
# signs with the time it starts at and so takes no --signing-time. The
# command it runs first makes the account's password the token iamdb token
# gives for the time exec signed at (the X-Amz-Date of the token in its
# option file), then runs the client.
export DB PORT U H ACCOUNT="$(lit "$U")@'%'"
cat >signed_at_exec.sh <<'SH'
d=$(grep -o 'X-Amz-Date=[0-9]*T[0-9]*Z' "$MYSQL_HOME/my.cnf" | cut -d= -f2)
t=$(printf %s "$d" | sed 's/^\(....\)\(..\)\(..\)T\(..\)\(..\)\(..\)Z$/\1-\2-\3T\4:\5:\6Z/')
tok=$("$IAMDB" token --host "$H" --port "$PORT" --user "$U" \
    --region us-east-1 --signing-time "$t") &&
    sh "$TESTS_DIR/db/mariadb.sh" sql "$DB" \
    "ALTER USER $ACCOUNT IDENTIFIED BY '$tok'" >/dev/null || exit 70
exec "$@"
SH
iam_now() {
	c=$1
	shift
	"$IAMDB" "$c" --engine mariadb --host $H --port "$PORT" --user "$U" \
	    --database "$D" --region us-east-1 --expires 900 \
	    --ca-bundle "$DB/ca.pem" "$@"
}
iam_now exec -- sh signed_at_exec.sh sh -c '
	printf "%s\n" "$MYSQL_HOME" >home.path
	[ "$(stat -c %a "$MYSQL_HOME/my.cnf")" = 600 ] || exit 8
	exec env -u MYSQL_PWD '"mariadb $FMT"' -e "$0"' "$Q" >out 2>err
rc=$?; connected "iamdb exec -- mariadb logs in with its private option file alone (user, token, TLS)"
[ ! -s err ]
ok $? "and the client prints nothing on standard error"
for e in mysql mariadb; do
	"$IAMDB" exec "$e://$(pct "$U")@$H:$PORT/$(pct "$D")" --region us-east-1 \
	    --ca-bundle "$DB/ca.pem" -- sh signed_at_exec.sh \
	    mariadb $FMT -e "$Q" >out 2>err
	rc=$?; connected "$e:// with iamdb exec: the client logs in"
	[ ! -s err ]
	ok $? "$e:// with iamdb exec: the client prints nothing on standard error"
done
d=$(cat home.path)
[ -n "$d" ] && [ ! -e "$d/my.cnf" ] && [ ! -e "$d" ]
ok $? "the private option file and its directory are gone when the command ends"
mkdir mariadb-home
MARIADB_HOME=$PWD/mariadb-home iam_now exec -- sh signed_at_exec.sh \
    mariadb $FMT -e "$Q" >out 2>err
rc=$?; connected "a MARIADB_HOME of the caller's does not hide exec's option file"
iam_now exec --ca-bundle "$OTHER/ca.pem" -- sh signed_at_exec.sh \
    mariadb $FMT -e "$Q" >out 2>err
rc=$?; refused "TLS/SSL error" "iamdb exec keeps verification: another CA is refused"
iam_now exec -- sh signed_at_exec.sh mariadb $FMT -e "SELECT nosuchcolumn" \
    >out 2>err
rc=$?
[ $rc -eq 1 ] && grep -q 'Unknown column' err
ok $? "iamdb exec returns the client's own exit status (1 for a failed query)"
iam exec -- true >out 2>err
rc=$?; expect_rc 2 "iamdb exec refuses --signing-time without --no-refresh"

done_testing
