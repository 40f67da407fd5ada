# The pgbouncer harness (tests/db/pgbouncer.sh) with the real pgbouncer in
# front of the local IAM-auth PostgreSQL (tests/db/iamauth.sh): clients log
# in to pgbouncer with a password of their own, pgbouncer logs in to the
# server as the forced user jane with the token its auth_file holds, over
# verified TLS. The auth_file line is written here by hand, as
# `iamdb pgbouncer` will write it; a reload brings in a new token, a stale
# one is refused by the server, and pgbouncer's own limits are pinned.
. "$TESTS_DIR/lib.sh"

needs psql openssl python3 runuser /usr/sbin/pgbouncer
needs_root "the PAM service goes in /etc/pam.d"

DB=$HOME/db
OTHER=$HOME/other
LOG=$DB/iam-postgres/verify.log
PGB=$TESTS_DIR/db/pgbouncer.sh
# The postgres system user runs both servers and must reach $DB.
chmod 711 "$HOME"
mkdir -m 711 "$DB" "$OTHER"
trap '{ sh "$PGB" stop "$OTHER"; sh "$PGB" stop "$DB"
    sh "$TESTS_DIR/db/iamauth.sh" stop postgres "$DB"; } >/dev/null 2>&1' EXIT
trap 'exit 1' HUP INT TERM
start_server "PostgreSQL starts with PAM and TLS" env.sh \
    sh "$TESTS_DIR/db/iamauth.sh" start postgres "$DB" jane
. ./env.sh
export AWS_CONFIG_FILE="$HOME/none" AWS_SHARED_CREDENTIALS_FILE="$HOME/none"
PORT=${DB_ENDPOINT##*:}
start_server "pgbouncer starts in front of it" pgb.sh \
    sh "$PGB" start "$DB" --server "$DB_ENDPOINT"
. ./pgb.sh

token() {	# token [OPTION ...]: a token for jane at localhost:PORT
	"$IAMDB" token --host localhost --port "$PORT" --user jane "$@"
}

# put_token TOKEN: jane's auth_file line holds TOKEN, replaced the way
# iamdb pgbouncer will do it (a new file with the same mode and group,
# renamed over the old one), then SIGHUP to the pidfile's process.
put_token() {
	f=$PGB_AUTH_FILE
	{ grep -v '^"jane" ' "$f"; printf '"jane" "%s"\n' "$1"; } >"$f.new" &&
	    chgrp "$(stat -c %g "$f")" "$f.new" && chmod 640 "$f.new" &&
	    mv "$f.new" "$f" && sh "$PGB" reload "$DB"
}

Q="SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
# login [PASSWORD]: psql through pgbouncer as the client user; the log of
# iamdb verify starts empty.
login() {
	: >"$LOG"
	PGPASSWORD=${1:-$(cat "$PGB_PASSFILE")} PGSSLMODE=disable psql -X -A -t \
	    -v ON_ERROR_STOP=1 -h "$PGB_HOST" -p "$PGB_PORT" -U "$PGB_USER" \
	    -d "$PGB_DATABASE" -c "$Q" >out 2>err
	rc=$?
}

servers() {	# servers: pgbouncer's server connections, one line each
	sh "$PGB" admin "$DB" 'SHOW SERVERS' >out 2>err
}

[ "$(stat -c '%a %G' "$PGB_AUTH_FILE")" = "640 postgres" ] &&
    ! grep -q '^"jane"' "$PGB_AUTH_FILE" &&
    grep -q '^"app" "SCRAM-SHA-256\$4096:' "$PGB_AUTH_FILE" &&
    ! grep -qF "$(cat "$PGB_PASSFILE")" "$PGB_AUTH_FILE"
ok $? "the auth_file is 0640 for pgbouncer's group, the client's password only as a SCRAM verifier, no line for jane yet"
grep -qF "app = host=localhost port=$PORT dbname=postgres user=jane" \
    "$DB/pgbouncer/pgbouncer.ini" &&
    grep -qx 'server_tls_sslmode = verify-full' "$DB/pgbouncer/pgbouncer.ini"
ok $? "the database forces the server user jane, TLS verify-full to the server"

login
[ "$rc" -ne 0 ] && grep -qF 'empty password returned by client' err
ok $? "without a line for jane pgbouncer sends the server an empty password"

# --- a token, by hand as iamdb pgbouncer will write it
put_token "$(token)"
ok $? "jane's token goes into the auth_file and pgbouncer reloads on SIGHUP"
login
[ "$rc" -eq 0 ] && [ "$(cat out)" = "jane|t" ] && grep -q '^\*\*\* ' "$LOG" &&
    ! grep -q refused "$LOG"
ok $? "psql through pgbouncer is jane on the server, over TLS, the token accepted by iamdb verify"
servers
[ "$(grep -c '^S|jane|app|' out)" -eq 1 ] && grep -q 'TLSv1.[23]' out
ok $? "pgbouncer holds one server connection, as jane, with TLS"
login wrong-password
[ "$rc" -ne 0 ] && grep -qF 'SASL authentication failed' err && [ ! -s "$LOG" ]
ok $? "a wrong client password is refused by pgbouncer itself"

# --- a stale token. pgbouncer 1.18 with server TLS recycles every server
# connection on each reload (sbuf.c: "To change server TLS settings all
# connections are marked as dirty"; 1.25 only when they changed), so the
# next client needs a server login with the token the file holds.
ago=$(date -u -d '-20 min' +%Y-%m-%dT%H:%M:%SZ)
put_token "$(token --signing-time "$ago")"
servers
# Closed at once if idle, else marked close_needed.
[ $? -eq 0 ] && [ "$(awk -F'|' '$1 == "S" && $13 != 1' out | wc -l)" -eq 0 ]
ok $? "after a reload no pooled server connection is left to reuse"
login
pam_refused 'FATAL:  PAM authentication failed for user "jane"' expired \
    "the next client's new server connection with the expired token is refused by the server"

# --- a fresh token after a refusal: server_login_retry (1 s) passes first
put_token "$(token)"
i=0
while :; do
	login
	[ "$rc" -eq 0 ] || [ $i -ge 50 ] || { sleep 0.2; i=$((i + 1)); continue; }
	break
done
[ "$rc" -eq 0 ] && [ "$(cat out)" = "jane|t" ] && grep -q '^\*\*\* ' "$LOG"
ok $? "a fresh token after the next reload logs in again, on a new server connection"

# --- pgbouncer 1.18's auth_file limit: passwords under 2048 bytes
# (MAX_PASSWORD), and a longer one ends the file there.
put_token "$(head -c 2047 /dev/zero | tr '\0' x)"
! grep -q 'password too long' "$DB/pgbouncer/log"
ok $? "an auth_file password of 2047 bytes loads"
good=$(token)
long=$(head -c 2048 /dev/zero | tr '\0' x)
{ printf '"long" "%s"\n' "$long"; cat "$PGB_AUTH_FILE"; } >"$PGB_AUTH_FILE.new"
chgrp postgres "$PGB_AUTH_FILE.new"
chmod 640 "$PGB_AUTH_FILE.new"
mv "$PGB_AUTH_FILE.new" "$PGB_AUTH_FILE"
put_token "$good"
login
grep -q 'ERROR password too long in auth file' "$DB/pgbouncer/log" &&
    [ "$rc" -ne 0 ] && grep -qF 'SASL authentication failed' err
ok $? "one of 2048 bytes is refused, and every line after it is lost: the client's too"
grep -v '^"long" ' "$PGB_AUTH_FILE" >"$PGB_AUTH_FILE.new"
chgrp postgres "$PGB_AUTH_FILE.new"
chmod 640 "$PGB_AUTH_FILE.new"
mv "$PGB_AUTH_FILE.new" "$PGB_AUTH_FILE"
sh "$PGB" reload "$DB"

# --- verify-full means verified: a pgbouncer that trusts another CA
sh "$TESTS_DIR/db/testca.sh" "$OTHER" >/dev/null 2>&1
sh "$PGB" start "$OTHER" --server "$DB_ENDPOINT" >other.sh 2>err
ok $? "a second pgbouncer starts, trusting another CA"
: >"$LOG"
(
	. ./other.sh
	f=$PGB_AUTH_FILE
	# pgbouncer keeps the client waiting for a server it cannot reach.
	printf '"jane" "%s"\n' "$good" >>"$f" && sh "$PGB" reload "$OTHER" &&
	    PGPASSWORD=$(cat "$PGB_PASSFILE") PGSSLMODE=disable \
	    PGCONNECT_TIMEOUT=3 psql -X -A -t \
	    -h "$PGB_HOST" -p "$PGB_PORT" -U "$PGB_USER" -d "$PGB_DATABASE" \
	    -c 'select 1'
) >out 2>err
[ $? -ne 0 ] && grep -q 'certificate verify failed' "$OTHER/pgbouncer/log" && [ ! -s "$LOG" ]
ok $? "it refuses the server's certificate and never sends the token"

sh "$PGB" stop "$DB" && sh "$PGB" stop "$OTHER" &&
    [ ! -e "$DB/pgbouncer/pid" ] && [ ! -e "$DB/pgbouncer/watchdog.pid" ]
ok $? "stop stops pgbouncer and its watchdog"

done_testing
