# IAM authentication end to end, the way RDS does it, on a local
# PostgreSQL (tests/db/iamauth.sh): the server sends every TCP password
# through PAM to `iamdb verify`, which holds the one static key. Tokens are
# signed at the real time with that key, handed over by every PostgreSQL
# output mode, and used by psql and by a psycopg2 program; each refusal is
# the server's, and iamdb verify's reason is in the pam_exec log.
. "$TESTS_DIR/lib.sh"

needs psql openssl python3 runuser /usr/bin/python3
if ! /usr/bin/python3 -c 'import psycopg2' 2>/dev/null; then
	echo "not ok 1 - psycopg2 is installed (python3-psycopg2; make deps)"
	exit 1
fi
needs_root "the PAM service goes in /etc/pam.d"

DB=$HOME/db
IAM=$DB/iam-postgres
LOG=$IAM/verify.log
# The postgres system user runs the server and must reach $DB.
chmod 711 "$HOME"
mkdir -m 711 "$DB"
trap 'sh "$TESTS_DIR/db/iamauth.sh" stop postgres "$DB" >/dev/null 2>&1' EXIT
trap 'exit 1' HUP INT TERM
start_server "PostgreSQL starts with PAM and TLS, users jane and bob" env.sh \
    sh "$TESTS_DIR/db/iamauth.sh" start postgres "$DB" jane bob
# The keys, the region and the CA, as the script gives them to clients.
. ./env.sh
export AWS_CONFIG_FILE="$HOME/none" AWS_SHARED_CREDENTIALS_FILE="$HOME/none"
PORT=${DB_ENDPOINT##*:}
SVC=$(cat "$IAM/service")

[ -f "/etc/pam.d/$SVC" ] && grep -qF "$IAMDB verify --keys $IAM/keys --endpoint localhost:$PORT --region us-east-1" "/etc/pam.d/$SVC"
ok $? "the PAM service $SVC runs the iamdb under test for localhost:$PORT"
[ "$(stat -c '%a %U' "$IAM/keys")" = "600 postgres" ] &&
    ! grep -q aws_session_token "$IAM/keys"
ok $? "the keys file is static keys only, 0600, the postgres user's"

Q="SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
PSQL="psql -X -A -t -v ON_ERROR_STOP=1"

token() {	# token USER [OPTION ...]: a token for USER at localhost:PORT
	u=$1
	shift
	"$IAMDB" token --host localhost --port "$PORT" --user "$u" "$@"
}

# login USER PASSWORD [VAR=value ...]: psql as USER, verifying the server;
# the log of iamdb verify starts empty.
login() {
	: >"$LOG"
	env PGHOST=localhost PGPORT="$PORT" PGDATABASE=postgres PGUSER="$1" \
	    PGPASSWORD="$2" PGSSLMODE=verify-full \
	    PGSSLROOTCERT="$IAMDB_CA_BUNDLE" ${3:+"$3"} $PSQL -c "$Q" >out 2>err
	rc=$?
}

connected() {	# connected DESCRIPTION [USER]: psql's answer is USER|t
	[ "$rc" -eq 0 ] && [ "$(cat out)" = "${2:-jane}|t" ] &&
	    ! grep -q refused "$LOG"
	ok $? "$1"
}

# refused REASON DESCRIPTION: the server refused the login through PAM, and
# iamdb verify gave REASON.
refused() {
	pam_refused 'FATAL:  PAM authentication failed' "$@"
}

# --- accepted: a fresh token, by every way iamdb hands it over
tok=$(token jane)
len=$(printf '%s' "$tok" | wc -c)
[ "$len" -lt 512 ]
ok $? "a token signed with the static key fits in PAM's 511 bytes ($len)"
login jane "$tok"
connected "the token from iamdb token logs in as jane, over TLS"
grep -q '^\*\*\* ' "$LOG"
ok $? "and iamdb verify ran through pam_exec"
login bob "$(token bob)"
connected "bob's own token logs in as bob" bob

: >"$LOG"
"$IAMDB" exec "$DB_URL" -- sh -c '
	[ -n "$PGPASSFILE" ] && [ -z "${PGPASSWORD+set}" ] || exit 9
	exec '"$PSQL"' -c "$0"' "$Q" >out 2>err
rc=$?; connected "iamdb exec -- psql logs in with the private PGPASSFILE"
: >"$LOG"
"$IAMDB" exec --no-refresh "$DB_URL" -- $PSQL -c "$Q" >out 2>err
rc=$?; connected "iamdb exec --no-refresh -- psql logs in with PGPASSWORD"
: >"$LOG"
(
	eval "$("$IAMDB" env "$DB_URL")" || exit 9
	[ "$PGSSLMODE" = verify-full ] || exit 8
	$PSQL -c "$Q"
) >out 2>err
rc=$?; connected "eval \"\$(iamdb env)\"; psql logs in, verify-full"
: >"$LOG"
"$IAMDB" pgpass "$DB_URL" --file pgpass >/dev/null 2>err &&
    env PGHOST=localhost PGPORT="$PORT" PGUSER=jane PGDATABASE=postgres \
    PGSSLMODE=verify-full PGSSLROOTCERT="$IAMDB_CA_BUNDLE" \
    PGPASSFILE="$PWD/pgpass" $PSQL -c "$Q" >out 2>err
rc=$?; connected "psql logs in with the line of iamdb pgpass"
: >"$LOG"
$PSQL "$("$IAMDB" uri "$DB_URL")" -c "$Q" >out 2>err
rc=$?; connected "psql \"\$(iamdb uri)\" logs in"

# An ETL job as one is written: libpq takes the connection, the password
# file included, from the environment iamdb sets up.
cat >etl.py <<'PY'
import psycopg2

with psycopg2.connect("") as conn, conn.cursor() as cur:
    cur.execute("SELECT current_user, ssl FROM pg_stat_ssl"
                " WHERE pid = pg_backend_pid()")
    user, ssl = cur.fetchone()
    cur.execute("CREATE TEMP TABLE staging (id int, name text)")
    cur.executemany("INSERT INTO staging VALUES (%s, %s)",
                    [(1, "a"), (2, "b"), (3, "c")])
    cur.execute("SELECT count(*) FROM staging")
    (rows,) = cur.fetchone()
print("%s|%s|%d" % (user, "t" if ssl else "f", rows))
PY
: >"$LOG"
"$IAMDB" exec "$DB_URL" -- /usr/bin/python3 etl.py >out 2>err
[ $? -eq 0 ] && [ "$(cat out)" = "jane|t|3" ] && ! grep -q refused "$LOG"
ok $? "iamdb exec -- python3 etl.py: psycopg2 logs in as jane over TLS and loads rows"
: >"$LOG"
(
	eval "$("$IAMDB" env "$DB_URL")" || exit 9
	exec /usr/bin/python3 etl.py
) >out 2>err
[ $? -eq 0 ] && [ "$(cat out)" = "jane|t|3" ]
ok $? "the same after eval \"\$(iamdb env)\""

# --- refused, each by the server, for the reason iamdb verify gives
login bob "$(token jane)"
refused "signed for user jane, not bob" "jane's token does not log in as bob"
ago=$(date -u -d '-20 min' +%Y-%m-%dT%H:%M:%SZ)
login jane "$(token jane --signing-time "$ago")"
refused "expired" "a token signed 20 minutes ago has expired"
# The last hex digit of the signature, changed.
login jane "$(token jane | sed 's/\(.\)$/\1x/; s/0x$/1/; s/[1-9a-f]x$/0/')"
refused "the signature does not match" "a token with a changed signature is refused"
login bob "$(token jane | sed 's/DBUser=jane/DBUser=bob/')"
refused "the signature does not match" "jane's token rewritten for bob is refused"
login jane "$("$IAMDB" token --host 127.0.0.1 --port "$PORT" --user jane)"
refused "signed for another endpoint (127.0.0.1:$PORT), not this one (localhost:$PORT)" \
    "a token for another host name is refused"
login jane "$(token jane --port $((PORT + 1)))"
refused "signed for another endpoint (localhost:$((PORT + 1))), not this one (localhost:$PORT)" \
    "a token for another port is refused"
login jane "$(token jane --region eu-west-1)"
refused "signed for region eu-west-1, not us-east-1" "a token for another region is refused"
login jane "$(AWS_ACCESS_KEY_ID=AKIAUNKNOWNUNKNOWN00 token jane)"
refused "unknown access key AKIAUNKNOWNUNKNOWN00" "a token signed with an unknown key is refused"
login jane "$tok" PGSSLMODE=disable
[ "$rc" -ne 0 ] && grep -qF 'no pg_hba.conf entry' err &&
    grep -qF 'no encryption' err && [ ! -s "$LOG" ]
ok $? "without TLS no pg_hba.conf line matches: the token never reaches PAM"

# A token with a session token is over 1000 bytes: pam_exec passes the
# first 511 alone, and so no such token can pass. (Static keys, then.)
long=$(AWS_SESSION_TOKEN=$(head -c 600 /dev/urandom | base64 -w 0) token jane)
[ "$(printf '%s' "$long" | wc -c)" -gt 1000 ]
ok $? "a token with a session token is over 1000 bytes"
login jane "$long"
refused "malformed token" "pam_exec cuts it, and the server refuses it"
grep -qF "cut at 511 bytes" "$LOG"
ok $? "iamdb verify says it was cut at 511 bytes"

: >"$LOG"
login jane "$(token jane)"
connected "jane still logs in after all that"
! grep -q Sanitizer "$LOG"
ok $? "no sanitizer report in the pam_exec log"

done_testing
