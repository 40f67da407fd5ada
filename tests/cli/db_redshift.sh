# Redshift logins end to end: the loopback fake's GetClusterCredentials
# gives user IAM:alice and a password; a real PostgreSQL (TLS only, the
# client verifying it) holds role "IAM:alice" with that password, so a
# login proves psql read exactly the user and password the API gave from
# each of iamdb's outputs, ':' in the user and all; and iamdb exec fetches
# a new login before the old one expires.
. "$TESTS_DIR/lib.sh"

needs psql openssl python3 runuser

unset XDG_CACHE_HOME IAMDB_HTTP_TIMEOUT AWS_PROFILE AWS_REGION \
    AWS_DEFAULT_REGION AWS_SESSION_TOKEN
export AWS_CONFIG_FILE="$HOME/none" AWS_SHARED_CREDENTIALS_FILE="$HOME/none"
AKID=AKIAREDSHIFTEXAMPLE1
SECRET='rsSecret/Example+Key0123456789abcdefghij'
export AWS_ACCESS_KEY_ID=$AKID AWS_SECRET_ACCESS_KEY=$SECRET
# Passwords with what .pgpass escapes (':' and '\') and URIs encode.
PW='rs:Pass\word/+0123456789abcdefghij'
PW2='rs2:Pass\word/+0123456789abcdefghij'
ROLE='"IAM:alice"'
DB=$HOME/db
chmod 711 "$HOME"
mkdir -m 711 "$DB"
sh "$TESTS_DIR/db/testca.sh" "$DB"
ok $? "a test CA and a server certificate for localhost and 127.0.0.1"

trap 'sh "$TESTS_DIR/db/pg.sh" stop "$DB"; fake_stop' EXIT
trap 'exit 1' HUP INT TERM
start_server "PostgreSQL starts on 127.0.0.1 with TLS" out \
    sh "$TESTS_DIR/db/pg.sh" start "$DB"
PORT=$(cat "$DB/pg/port")
sql() {
	sh "$TESTS_DIR/db/pg.sh" sql "$DB" "$1" >out 2>err
}
lit() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }

fake_start
trap 'sh "$TESTS_DIR/db/pg.sh" stop "$DB"; fake_stop' EXIT
export AWS_ENDPOINT_URL="$FAKE"
# config PASSWORD [EXPIRATION]: what the fake's Redshift gives.
config() {
	fake_config "{\"region\": \"us-west-2\", \"keys\": {\"$AKID\": \"$SECRET\"},
	    \"redshift\": {\"clusters\": [\"examplecluster\"],
	    \"password\": $(printf '%s' "$1" | python3 -c 'import json, sys
print(json.dumps(sys.stdin.read()))')${2:+, \"expiration_override\": \"$2\"}}}"
}
config "$PW"

sql "CREATE DATABASE dev" &&
    sql "CREATE ROLE $ROLE LOGIN PASSWORD $(lit "$PW");
	GRANT ALL ON DATABASE dev TO $ROLE"
ok $? "role \"IAM:alice\" with the fake's password"

# iam COMMAND [ARG ...]: iamdb COMMAND for alice on the local server.
iam() {
	c=$1
	shift
	"$IAMDB" "$c" --engine redshift --cluster examplecluster \
	    --host localhost --port "$PORT" --user alice --database dev \
	    --region us-west-2 --ca-bundle "$DB/ca.pem" "$@"
}
Q="SELECT current_user, ssl, current_database() FROM pg_stat_ssl
    WHERE pid = pg_backend_pid()"
WANT="IAM:alice|t|dev"
PSQL="psql -X -A -t -v ON_ERROR_STOP=1"
connected() {	# connected DESCRIPTION: psql's answer in ./out is WANT
	[ "$rc" -eq 0 ] && [ "$(cat out)" = "$WANT" ]
	ok $? "$1"
}

# --- the server's own guard
env PGHOST=localhost PGPORT="$PORT" PGDATABASE=dev PGUSER=IAM:alice \
    PGPASSWORD=wrong PGSSLMODE=verify-full PGSSLROOTCERT="$DB/ca.pem" \
    $PSQL -c "$Q" >out 2>err
rc=$?
[ $rc -ne 0 ] && grep -q "password authentication failed" err
ok $? "another password does not log in as IAM:alice"

# --- env
(
	eval "$(iam env)" || exit 9
	[ "$PGUSER" = IAM:alice ] && [ "$PGPASSWORD" = "$PW" ] || exit 9
	$PSQL -c "$Q"
) >out 2>err
rc=$?; connected "eval \"\$(iamdb env)\": psql logs in as IAM:alice over verified TLS"
(
	eval "$("$IAMDB" env --ca-bundle "$DB/ca.pem" --host localhost \
	    --region us-west-2 \
	    --port "$PORT" "redshift://alice@examplecluster.abc123xyz789.us-west-2.redshift.amazonaws.com/dev")"
	$PSQL -c "$Q"
) >out 2>err
rc=$?; connected "the same from a redshift:// URL: its cluster, the host given"

# --- pgpass
iam pgpass --file pgpass >out 2>err
rc=$?; expect_rc 0 "iamdb pgpass --file"
grep -qF 'IAM\:alice:rs\:Pass\\word/' pgpass
ok $? "the line has the user and password with ':' and '\\' escaped"
env PGHOST=localhost PGPORT="$PORT" PGDATABASE=dev PGUSER=IAM:alice \
    PGPASSFILE="$PWD/pgpass" PGSSLMODE=verify-full \
    PGSSLROOTCERT="$DB/ca.pem" $PSQL -c "$Q" >out 2>err
rc=$?; connected "psql logs in with the line iamdb pgpass wrote"

# --- uri
iam uri >uri 2>err
rc=$?; expect_rc 0 "iamdb uri"
grep -q '^postgresql://IAM%3Aalice:rs%3APass%5Cword%2F%2B' uri
ok $? "the URI has user and password %-encoded"
$PSQL "$(cat uri)" -c "$Q" >out 2>err
rc=$?; connected "psql \"\$(iamdb uri)\" logs in"

# --- json
iam json >out 2>err
rc=$?; expect_rc 0 "iamdb json"
[ "$(json_get user)" = IAM:alice ] && [ "$(json_get token)" = "$PW" ] &&
    [ "$(json_get engine)" = redshift ]
ok $? "json gives the user, the password and the engine"
u=$(json_get user) p=$(json_get token)
env PGHOST=localhost PGPORT="$PORT" PGDATABASE=dev PGUSER="$u" \
    PGPASSWORD="$p" PGSSLMODE=verify-full PGSSLROOTCERT="$DB/ca.pem" \
    $PSQL -c "$Q" >out 2>err
rc=$?; connected "psql logs in with json's user and password"

# --- exec
iam exec --no-refresh -- sh -c '
	[ -n "$PGPASSWORD" ] && [ "$PGUSER" = IAM:alice ] || exit 9
	exec '"$PSQL"' -c "$0"' "$Q" >out 2>err
rc=$?; connected "iamdb exec --no-refresh -- psql logs in with PGPASSWORD"
iam exec -- sh -c '
	[ -z "${PGPASSWORD+set}" ] && [ -n "$PGPASSFILE" ] || exit 9
	exec '"$PSQL"' -c "$0"' "$Q" >out 2>err
rc=$?; connected "iamdb exec -- psql logs in through its private PGPASSFILE"

# exec asks for a new login before the old one expires. The first expires
# in 312 s: refreshed 5 minutes before, 12 s on. The command then makes
# the fake give, and the role take, another password, waits until exec
# has written it (up to 90 s), and logs in with it.
export DB PW2 ROLE TESTS_DIR FAKE_DIR
cat >refreshed.sh <<'SH'
$PSQL -c "$Q" >first || exit 8
cat "$PGPASSFILE" >passfile.first
sh "$TESTS_DIR/db/pg.sh" sql "$DB" "ALTER ROLE $ROLE PASSWORD '$(printf %s "$PW2" | sed "s/'/''/g")'" >/dev/null || exit 7
sed 's/"password": "[^"]*"/"password": "rs2:Pass\\\\word\/+0123456789abcdefghij"/' \
    "$FAKE_DIR/config.json" >"$FAKE_DIR/config.json.tmp" &&
    mv "$FAKE_DIR/config.json.tmp" "$FAKE_DIR/config.json" || exit 6
i=0
while ! grep -qF 'rs2\:' "$PGPASSFILE" && [ $i -lt 900 ]; do
	sleep 0.1
	i=$((i + 1))
done
exec $PSQL -c "$Q"
SH
export PSQL Q
config "$PW" "$(date -u -d '+312 seconds' +%Y-%m-%dT%H:%M:%SZ)"
# A cache of its own: the logins above are cached for 900 s.
XDG_CACHE_HOME="$HOME/cache.exec" iam exec -- sh refreshed.sh >out 2>err
rc=$?; connected "iamdb exec: psql logs in with the login fetched before the first expired"
[ "$(cat first 2>/dev/null)" = "$WANT" ] && grep -qF 'rs\:Pass' passfile.first
ok $? "and had logged in with the first one"
grep -c '"action":"GetClusterCredentials"' "$FAKE_DIR/requests.log" >count
[ "$(cat count)" -ge 2 ]
ok $? "exec asked Redshift again ($(cat count) requests in all)"

done_testing
