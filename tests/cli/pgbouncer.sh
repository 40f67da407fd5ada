# iamdb pgbouncer with Debian's pgbouncer (tests/db/pgbouncer.sh) in front
# of the local IAM-auth PostgreSQL (tests/db/iamauth.sh): iamdb keeps the
# forced server user's line in the auth_file, keeps the file readable by
# pgbouncer's group and every other line as it was, and SIGHUPs pgbouncer;
# with --watch, across several refresh cycles of short tokens, clients get
# in and each new server connection logs in with the new token (the old
# one having run out); once nobody refreshes it, the stale file is
# refused by the server.
. "$TESTS_DIR/lib.sh"

needs psql openssl python3 runuser /usr/sbin/pgbouncer
needs_root "the PAM service goes in /etc/pam.d"

DB=$HOME/db
LOG=$DB/iam-postgres/verify.log
PGB=$TESTS_DIR/db/pgbouncer.sh
WATCH=
chmod 711 "$HOME"
mkdir -m 711 "$DB"
trap '{ [ -z "$WATCH" ] || kill "$WATCH"; sh "$PGB" stop "$DB"
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
URL=postgres://jane@localhost:$PORT/postgres
cp "$PGB_AUTH_FILE" clients

Q="SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
login() {	# psql through pgbouncer as the client; verify.log starts empty
	: >"$LOG"
	PGPASSWORD=$(cat "$PGB_PASSFILE") PGSSLMODE=disable psql -X -A -t \
	    -v ON_ERROR_STOP=1 -h "$PGB_HOST" -p "$PGB_PORT" -U "$PGB_USER" \
	    -d "$PGB_DATABASE" -c "$Q" >out 2>err
	rc=$?
}
logged_in() {	# the last login got in, over a new server login with TLS
	[ "$rc" -eq 0 ] && [ "$(cat out)" = "jane|t" ] &&
	    grep -q '^\*\*\* ' "$LOG" && ! grep -q refused "$LOG"
}
sighups() {
	grep -c 'got SIGHUP' "$DB/pgbouncer/log" || :
}
wait_sighups() {	# wait_sighups N: until pgbouncer has had N (60 s)
	i=0
	while [ "$(sighups)" -lt "$1" ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	# It reloads before it serves the admin console again.
	sh "$PGB" admin "$DB" 'SHOW VERSION' >/dev/null 2>&1
	[ "$(sighups)" -ge "$1" ]
}
jane() {	# jane's password in the auth_file
	sed -n 's/^"jane" "\(.*\)"$/\1/p' "$PGB_AUTH_FILE"
}
signed() {	# signed TOKEN: when it was signed, in seconds since 1970
	date -u -d "$(printf '%s' "$1" | sed -n \
	    's/.*X-Amz-Date=\([0-9]\{8\}\)T\([0-9][0-9]\)\([0-9][0-9]\)\([0-9][0-9]\)Z.*/\1 \2:\3:\4/p')" +%s
}
others_kept() {	# every line but jane's is the file pgbouncer.sh wrote
	grep -v '^"jane" ' "$PGB_AUTH_FILE" | cmp -s - clients
}

# --- once
h=$(sighups)
run pgbouncer "$URL" --auth-file "$PGB_AUTH_FILE" --pidfile "$PGB_PIDFILE"
[ "$rc" -eq 0 ] && [ "$(grep -c '^"jane" ' "$PGB_AUTH_FILE")" -eq 1 ] &&
    others_kept && [ "$(stat -c '%a %G' "$PGB_AUTH_FILE")" = "640 postgres" ]
ok $? "one \"jane\" \"TOKEN\" line is added, the client's and admin's lines byte for byte, the file still 0640 for pgbouncer's group"
wait_sighups $((h + 1))
ok $? "and pgbouncer got SIGHUP from the pid in --pidfile"
login
logged_in
ok $? "a client gets in through pgbouncer, which logs in to the server as jane with the token"
run pgbouncer "$URL" --auth-file "$PGB_AUTH_FILE" --pidfile "$PGB_PIDFILE"
[ "$rc" -eq 0 ] && [ "$(grep -c '^"jane" ' "$PGB_AUTH_FILE")" -eq 1 ] &&
    others_kept && [ ! -e "$PGB_AUTH_FILE.lock" ]
ok $? "run again, the line is replaced, still one, no lock file left"

# --- what would break pgbouncer is refused or said
cp "$PGB_AUTH_FILE" before
AWS_SESSION_TOKEN=$(head -c 1900 /dev/zero | tr '\0' S) run pgbouncer "$URL" \
    --auth-file "$PGB_AUTH_FILE"
[ "$rc" -eq 3 ] && grep -q 'pgbouncer (1.17 to 1.25) takes at most 2047' err &&
    cmp -s before "$PGB_AUTH_FILE" && ! grep -q SSSS err
ok $? "a token over 2047 bytes, which would end pgbouncer's load, is refused, the file unchanged, the token not shown"
AWS_SESSION_TOKEN=$(head -c 800 /dev/zero | tr '\0' S) run pgbouncer "$URL" \
    --auth-file "$PGB_AUTH_FILE"
[ "$rc" -eq 0 ] && grep -q 'pgbouncer 1.17 or later is needed (1.16 takes at most 995)' err
ok $? "one over 995 bytes is written with a warning that pgbouncer 1.16 cannot take it"
cp before "$PGB_AUTH_FILE"
echo garbage >badpid
run pgbouncer "$URL" --auth-file "$PGB_AUTH_FILE" --pidfile badpid
[ "$rc" -eq 3 ] && grep -q 'badpid does not hold a process id' err
ok $? "a pidfile without a process id is an error"
run pgbouncer "$URL" --auth-file "$PGB_AUTH_FILE" --pidfile "$HOME/none.pid"
[ "$rc" -eq 0 ] && grep -q 'pgbouncer is not running' err
ok $? "no pidfile yet: the file is written, and iamdb says pgbouncer will read it when it starts"
run pgbouncer "$URL" --pidfile "$PGB_PIDFILE"
[ "$rc" -eq 2 ] && grep -q -- '--auth-file is required' err
ok $? "--auth-file is required"

# --- --watch across refresh cycles. Tokens of 24 s are made again 8 s
# before they run out: each cycle's old token runs out 8 s before the
# next refresh, and a client then gets in only with the new one.
h=$(sighups)
"$IAMDB" pgbouncer "$URL" --auth-file "$PGB_AUTH_FILE" \
    --pidfile "$PGB_PIDFILE" --expires 24 --watch 2>watch.err &
WATCH=$!
wait_sighups $((h + 1))
prev=$(jane)
cycle=1
while [ $cycle -le 3 ]; do
	# A new token, and the SIGHUP after it (60 s at most).
	h=$(sighups)
	i=0
	while [ "$(jane)" = "$prev" ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	new=$(jane)
	wait_sighups $((h + 1))
	# Until the old one has run out.
	until=$(($(signed "$prev") + 24 + 1))
	while [ "$(date +%s)" -lt "$until" ]; do
		sleep 0.2
	done
	login
	logged_in && [ "$new" != "$prev" ] && others_kept &&
	    [ "$(stat -c '%a %G' "$PGB_AUTH_FILE")" = "640 postgres" ]
	ok $? "cycle $cycle: the watcher wrote a new token and reloaded pgbouncer; with the old one expired a client gets in on a new server connection"
	prev=$new
	cycle=$((cycle + 1))
done
kill "$WATCH"
wait "$WATCH"
rc=$?
WATCH=
[ "$rc" -eq 0 ] && [ ! -s watch.err ]
ok $? "the watcher stops cleanly on SIGTERM, having said nothing"

# --- nobody refreshes the file: once its token runs out it is refused
last=$(jane)
until=$(($(signed "$last") + 24 + 1))
while [ "$(date +%s)" -lt "$until" ]; do
	sleep 0.2
done
sh "$PGB" reload "$DB"
login
pam_refused 'FATAL:  PAM authentication failed for user "jane"' expired \
    "a stale auth_file: the next server login with its token is refused by the server"

done_testing
