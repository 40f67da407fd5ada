# Every PostgreSQL output mode against a real server and psql: Debian's
# PostgreSQL on 127.0.0.1, TLS only, the client verifying the certificate
# and the host name. The role's password is the token iamdb makes for fixed
# credentials and signing time, so a login proves psql read exactly that
# token, with the user, database and TLS settings, from iamdb's output.
. "$TESTS_DIR/lib.sh"

needs psql openssl python3 runuser

export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_REGION AWS_DEFAULT_REGION
export AWS_CONFIG_FILE="$HOME/none" AWS_SHARED_CREDENTIALS_FILE="$HOME/none"
# A fixed signing time, for every mode but exec's refreshed one.
T=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# A user that needs quoting in sh, escaping in .pgpass and encoding in URIs;
# a database with a space.
U="jane:o'db"
D="iam db"
DB=$HOME/db
OTHER=$HOME/otherca
# Nothing here may fetch AWS's CA bundle, even where --ca-bundle is left out.
export IAMDB_CA_BUNDLE="$DB/ca.pem"

# The postgres system user runs the server and must reach $DB.
chmod 711 "$HOME"
mkdir -m 711 "$DB"
sh "$TESTS_DIR/db/testca.sh" "$DB" &&
    sh "$TESTS_DIR/db/testca.sh" "$OTHER"
ok $? "a test CA and a server certificate for localhost and 127.0.0.1"

trap 'sh "$TESTS_DIR/db/pg.sh" stop "$DB"' EXIT
trap 'exit 1' HUP INT TERM
start_server "PostgreSQL starts on 127.0.0.1 with TLS" out \
    sh "$TESTS_DIR/db/pg.sh" start "$DB"
PORT=$(cat "$DB/pg/port")

sql() {
	sh "$TESTS_DIR/db/pg.sh" sql "$DB" "$1" >out 2>err
}

# ident NAME: NAME as an SQL identifier; lit TEXT: as a string literal.
ident() { printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')"; }
lit() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }

token() {	# token USER [HOST]: the password iamdb signs for USER
	"$IAMDB" token --host "${2:-localhost}" --port "$PORT" --user "$1" \
	    --region us-east-1 --signing-time "$T"
}

role() {	# role NAME: a login role whose password is its token
	sql "CREATE ROLE $(ident "$1") LOGIN PASSWORD $(lit "$(token "$1")");
	    GRANT ALL ON DATABASE $(ident "$D") TO $(ident "$1")"
}

sql "CREATE DATABASE $(ident "$D")" && role "$U"
ok $? "a role whose password is the token for localhost:$PORT"

# exec refreshes its file with tokens signed at the time, and so takes no
# --signing-time. The command it runs first makes the role's password the
# token iamdb token gives for the time exec signed at (the X-Amz-Date of
# the token in its password file), then runs the client.
export DB PORT U ROLE="$(ident "$U")"
cat >signed_at_exec.sh <<'SH'
d=$(grep -o 'X-Amz-Date=[0-9]*T[0-9]*Z' "$PGPASSFILE" | cut -d= -f2)
t=$(printf %s "$d" | sed 's/^\(....\)\(..\)\(..\)T\(..\)\(..\)\(..\)Z$/\1-\2-\3T\4:\5:\6Z/')
tok=$("$IAMDB" token --host localhost --port "$PORT" --user "$U" \
    --region us-east-1 --signing-time "$t") &&
    sh "$TESTS_DIR/db/pg.sh" sql "$DB" "ALTER ROLE $ROLE PASSWORD '$tok'" \
    >/dev/null || exit 70
exec "$@"
SH

# iam COMMAND [ARG ...]: iamdb COMMAND for the role, ARGs after the target.
iam() {
	c=$1
	shift
	"$IAMDB" "$c" --host localhost --port "$PORT" --user "$U" \
	    --database "$D" --region us-east-1 --signing-time "$T" \
	    --ca-bundle "$DB/ca.pem" "$@"
}

# What psql answers once connected: who, whether over TLS, which database.
Q="SELECT current_user, ssl, current_database() FROM pg_stat_ssl
    WHERE pid = pg_backend_pid()"
WANT="$U|t|$D"
PSQL="psql -X -A -t -v ON_ERROR_STOP=1"

# verified [VAR=value ...] COMMAND: runs COMMAND with libpq pointed at the
# server, verifying it, and the VARs.
verified() {
	env PGHOST=localhost PGPORT="$PORT" PGDATABASE="$D" \
	    PGSSLMODE=verify-full PGSSLROOTCERT="$DB/ca.pem" "$@"
}

connected() {	# connected DESCRIPTION: psql's answer in ./out is WANT
	[ "$rc" -eq 0 ] && [ "$(cat out)" = "$WANT" ]
	ok $? "$1"
}

refused() {	# refused MESSAGE DESCRIPTION: psql failed, saying MESSAGE
	[ "$rc" -ne 0 ] && grep -qF -- "$1" err
	ok $? "$2"
}

# --- the server's own guards, so that the checks below mean something
verified PGUSER="$U" PGPASSWORD="$(token "$U")" $PSQL -c "$Q" >out 2>err
rc=$?; connected "the token as PGPASSWORD logs in over verified TLS"
verified PGUSER="$U" PGPASSWORD="$(token "$U")" PGSSLMODE=disable \
    $PSQL -c "$Q" >out 2>err
rc=$?; refused "no encryption" "the server refuses the same login without TLS"
verified PGUSER="$U" PGPASSWORD="$(token other)" $PSQL -c "$Q" >out 2>err
rc=$?; refused "password authentication failed" "a token signed for another user does not log in as $U"
verified PGUSER="$U" PGPASSWORD="$(T=2020-01-01T00:00:00Z token "$U")" \
    $PSQL -c "$Q" >out 2>err
rc=$?; refused "password authentication failed" "a token signed at another time does not log in"

# --- iamdb env, evaluated by sh
iam env >env.sh 2>err
rc=$?; expect_rc 0 "iamdb env"
(
	. ./env.sh
	[ "$PGUSER" = "$U" ] && [ "$PGSSLMODE" = verify-full ] &&
	    [ "$PGSSLROOTCERT" = "$DB/ca.pem" ] || exit 9
	$PSQL -c "$Q"
) >out 2>err
rc=$?; connected "eval \"\$(iamdb env)\" gives psql the user, token, database and verify-full"
(
	eval "$("$IAMDB" env "postgres://jane%3Ao%27db@localhost:$PORT/iam%20db" \
	    --region us-east-1 --signing-time "$T" --ca-bundle "$DB/ca.pem")"
	$PSQL -c "$Q"
) >out 2>err
rc=$?; connected "the same from a postgres:// URL with %-encoded user and database"
(
	eval "$(iam env --ca-bundle "$OTHER/ca.pem")"
	$PSQL -c "$Q"
) >out 2>err
rc=$?; refused "certificate verify failed" "with --ca-bundle naming another CA, psql refuses the server"
# The host name psql checks is the one iamdb signed for; PGHOSTADDR
# sends it to 127.0.0.1 all the same.
(
	eval "$("$IAMDB" env --host db.example.test --port "$PORT" --user "$U" \
	    --database "$D" --region us-east-1 --ca-bundle "$DB/ca.pem")"
	PGHOSTADDR=127.0.0.1 $PSQL -c "$Q"
) >out 2>err
rc=$?; refused "does not match host name" "psql checks the certificate against the host name iamdb gave"
(
	eval "$(iam env --sslmode disable)"
	$PSQL -c "$Q"
) >out 2>err
rc=$?; refused "no encryption" "--sslmode disable reaches psql (and the server refuses it)"

# --- iamdb exec
iam exec --no-refresh -- sh -c '
	[ -z "${PGPASSFILE+set}" ] && [ -n "$PGPASSWORD" ] || exit 9
	exec '"$PSQL"' -c "$0"' "$Q" >out 2>err
rc=$?; connected "iamdb exec --no-refresh -- psql logs in with PGPASSWORD"

# ... and with a private password file kept fresh
iam_now() {
	c=$1
	shift
	"$IAMDB" "$c" --host localhost --port "$PORT" --user "$U" \
	    --database "$D" --region us-east-1 --expires 900 \
	    --ca-bundle "$DB/ca.pem" "$@"
}
iam_now exec -- sh signed_at_exec.sh sh -c '
	printf "%s\n" "$PGPASSFILE" >passfile.path
	[ -z "${PGPASSWORD+set}" ] || { echo "PGPASSWORD is set" >&2; exit 9; }
	[ "$(stat -c %a "$PGPASSFILE")" = 600 ] || exit 8
	exec '"$PSQL"' -c "$0"' "$Q" >out 2>err
rc=$?; connected "iamdb exec -- psql logs in through the private PGPASSFILE"
pf=$(cat passfile.path)
[ -n "$pf" ] && [ ! -e "$pf" ] && [ ! -e "$(dirname "$pf")" ]
ok $? "the private password file and its directory are gone when the command ends"
iam_now exec -- sh signed_at_exec.sh $PSQL -c "SELECT 1/0" >out 2>err
rc=$?
[ $rc -eq 1 ] && grep -q 'division by zero' err
ok $? "iamdb exec returns psql's own exit status (1 for a failed query)"
iam_now exec --ca-bundle "$OTHER/ca.pem" -- sh signed_at_exec.sh \
    $PSQL -c "$Q" >out 2>err
rc=$?; refused "certificate verify failed" "iamdb exec keeps verify-full: another CA is refused"
iam exec -- true >out 2>err
rc=$?; expect_rc 2 "iamdb exec refuses --signing-time without --no-refresh"
sql "ALTER ROLE $ROLE PASSWORD $(lit "$(token "$U")")"
ok $? "the role's password is the token for the fixed time again"

# --- iamdb pgpass, read by libpq
iam pgpass --file pgpass >out 2>err
rc=$?; expect_rc 0 "iamdb pgpass --file"
verified PGUSER="$U" PGPASSFILE="$PWD/pgpass" $PSQL -c "$Q" >out 2>err
rc=$?; connected "psql logs in with the line iamdb pgpass wrote (':' and '\\' escaped)"
printf '# mine\notherhost:5432:*:bob:x\n*:*:*:*:not-the-token\n' >pgpass.mixed
chmod 600 pgpass.mixed
iam pgpass --file pgpass.mixed >out 2>err
rc=$?; expect_rc 0 "iamdb pgpass into a file with lines of its own"
verified PGUSER="$U" PGPASSFILE="$PWD/pgpass.mixed" $PSQL -c "$Q" >out 2>err
rc=$?; connected "iamdb's line goes before a catch-all line libpq would otherwise take"
grep -qx '# mine' pgpass.mixed && grep -qx 'otherhost:5432:\*:bob:x' pgpass.mixed &&
    grep -qx '\*:\*:\*:\*:not-the-token' pgpass.mixed
ok $? "and the file's other lines stay"
iam pgpass --file pgpass.mixed --remove >/dev/null 2>err
verified PGUSER="$U" PGPASSFILE="$PWD/pgpass.mixed" $PSQL -c "$Q" >out 2>err
rc=$?; refused "password authentication failed" "after --remove, libpq falls back to the catch-all line"

# ~/.pgpass, where iamdb pgpass writes by default.
iam pgpass >out 2>err
rc=$?; expect_rc 0 "iamdb pgpass"
[ "$(stat -c %a "$HOME/.pgpass")" = 600 ]
ok $? "~/.pgpass is written mode 0600"
verified PGUSER="$U" $PSQL -c "$Q" >out 2>err
rc=$?; connected "a plain psql logs in with ~/.pgpass"
rm -f "$HOME/.pgpass"

# Names with the characters .pgpass escapes, all in one file.
for u in 'a\b' 'x:y\:z' 'tail\'; do
	role "$u" || echo "# could not create role $u"
	"$IAMDB" pgpass --file pgpass.names --host localhost --port "$PORT" \
	    --user "$u" --region us-east-1 --signing-time "$T" \
	    --ca-bundle "$DB/ca.pem" >/dev/null 2>&1
done
for u in 'a\b' 'x:y\:z' 'tail\'; do
	verified PGUSER="$u" PGPASSFILE="$PWD/pgpass.names" \
	    $PSQL -c "SELECT current_user" >out 2>err
	[ $? -eq 0 ] && [ "$(cat out)" = "$u" ]
	ok $? "libpq finds the password of user $(printf '%s' "$u" |
	    sed 's/\\/<backslash>/g') in iamdb's .pgpass"
done

# --- iamdb uri, given to psql as it is
iam uri >uri 2>err
rc=$?; expect_rc 0 "iamdb uri"
$PSQL "$(cat uri)" -c "$Q" >out 2>err
rc=$?; connected "psql \"\$(iamdb uri)\" logs in: user, token, database and TLS settings decode"
grep -q '^postgresql://jane%3Ao%27db:' uri && grep -q 'sslmode=verify-full' uri
ok $? "the URI carries the user %-encoded and sslmode=verify-full"
$PSQL "$(iam uri --ca-bundle "$OTHER/ca.pem")" -c "$Q" >out 2>err
rc=$?; refused "certificate verify failed" "the URI's sslrootcert is used: another CA is refused"

done_testing
