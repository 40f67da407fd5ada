# iamdb exec (PostgreSQL and what every engine shares): the command's
# exit status and signals, its environment, the private password file
# kept fresh while it runs and gone when it ends, and its standard streams.
. "$TESTS_DIR/lib.sh"
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent
export IAMDB_CA_BUNDLE=$HOME/rds-ca.pem
ca_pem "$IAMDB_CA_BUNDLE"
unset XDG_RUNTIME_DIR PGHOST PGUSER PGPORT PGDATABASE PGSERVICE PGHOSTADDR
H=mydb.c9akciq32.us-east-1.rds.amazonaws.com
T=2016-11-07T17:39:33Z
E="--host $H --engine postgres --user u"
PY=$(python3 -c 'import sys; print(sys.executable)')
READ="$PY $TESTS_DIR/cli/outputs_readers.py"
mode() { ls -ld "$1" | cut -c1-10; }
ex() { run exec $E "$@"; }
leftovers() { ls -d "$TMPDIR"/iamdb-exec.* 2>/dev/null | wc -l | tr -d ' '; }
waitfor() {	# waitfor FILE: up to 5 s
	i=0
	while [ ! -e "$1" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# --- started first, collected at the end: the file is refreshed while the
# command runs. The command waits (at most 14 s) for it to change. Its
# private directory goes elsewhere, so as not to count as a leftover.
mkdir rtmp
TMPDIR=$HOME/rtmp "$IAMDB" exec $E --expires 15 -- sh -c '
	cp "$PGPASSFILE" first
	i=0
	while [ $i -lt 28 ]; do
		sleep 0.5
		if ! cmp -s "$PGPASSFILE" first; then
			cp "$PGPASSFILE" second
			exit 0
		fi
		i=$((i + 1))
	done
	exit 1' >refresh.out 2>refresh.err &
REFRESH_PID=$!
trap 'kill $REFRESH_PID 2>/dev/null' EXIT

# --- exit statuses
ex -- sh -c 'exit 7'
expect_rc 7 "the command's exit status is iamdb's"
ex -- sh -c 'exit 0'
expect_rc 0 "including success"
ex -- sh -c 'kill -KILL $$'
expect_rc 137 "a command killed by SIGKILL gives 128+9"
ex -- sh -c 'kill -TERM $$'
expect_rc 143 "a command killed by SIGTERM gives 128+15"
ex -- no-such-command-iamdb
expect_rc 127 "a command that is not found"
has err "no-such-command-iamdb" "is named"
printf '#!/bin/sh\nexit 0\n' >noexec
chmod 644 noexec
ex -- ./noexec
expect_rc 126 "a command that is not executable"
has err "Permission denied" "says why"
ex -- "$HOME"
expect_rc 126 "a directory as the command"
[ "$(leftovers)" = 0 ]
ok $? "a command that could not start leaves no private directory"
ex
expect_rc 2 "no command"
has err "no command" "is explained"
ex --
expect_rc 2 "nothing after --"
run exec --engine postgres --user u -- true
expect_rc 2 "no --host"
run exec $E --signing-time $T -- true
expect_rc 2 "--signing-time without --no-refresh: a refreshed file is signed now"
run exec $E --no-refresh -- sh -c 'exit 9'
expect_rc 9 "--no-refresh: the exit status is the command's"
run exec $E --no-refresh -- no-such-command-iamdb
expect_rc 127 "--no-refresh: a command that is not found"
run exec $E --no-refresh -- ./noexec
expect_rc 126 "--no-refresh: a command that is not executable"

# --- signals
"$IAMDB" exec $E -- sh -c 'trap "echo TERM >marker; exit 3" TERM
	trap "echo USR1 >>marker1" USR1
	: >ready
	while :; do sleep 0.05; done' >sig.out 2>sig.err &
pid=$!
waitfor ready
kill -USR1 $pid
waitfor marker1
kill -TERM $pid
wait $pid 2>/dev/null
rc=$?
expect_rc 3 "iamdb exec sent SIGTERM forwards it, and returns what the command made of it"
[ "$(cat marker 2>/dev/null)" = TERM ]
ok $? "the command's SIGTERM trap ran"
[ "$(cat marker1 2>/dev/null)" = USR1 ]
ok $? "SIGUSR1 is forwarded too"
[ "$(leftovers)" = 0 ]
ok $? "the private directory is gone after a forwarded SIGTERM"
rm -f ready
"$IAMDB" exec $E -- sh -c ': >ready; while :; do sleep 0.05; done' >sig.out 2>sig.err &
pid=$!
waitfor ready
kill -TERM $pid
wait $pid 2>/dev/null
rc=$?
expect_rc 143 "a command that does not catch the forwarded SIGTERM dies of it: 128+15"

# --- the private password file
ex -- sh -c 'printf "%s\n" "$PGPASSFILE" >pf
	ls -ld "$PGPASSFILE" | cut -c1-10 >modes
	ls -ld "$(dirname "$PGPASSFILE")" | cut -c1-10 >>modes
	cp "$PGPASSFILE" copy
	printf "%s\n" "${PGPASSWORD-unset}" >pw'
expect_rc 0 "a command that looks at its password file"
PF=$(cat pf)
case $PF in "$TMPDIR"/iamdb-exec.*/pgpass) r=0 ;; *) r=1 ;; esac
ok $r "PGPASSFILE is a file in a private directory under TMPDIR"
[ "$(sed -n 1p modes)" = "-rw-------" ] && [ "$(sed -n 2p modes)" = "drwx------" ]
ok $? "the file is 0600 in a 0700 directory"
[ ! -e "$PF" ] && [ ! -e "$(dirname "$PF")" ]
ok $? "file and directory are gone once the command has ended"
TOK=$($READ pgpass copy $H 5432 anydb u)
case $TOK in "$H:5432/?Action=connect&DBUser=u&"*) r=0 ;; *) r=1 ;; esac
ok $r "libpq's rules find a token for the connection in it"
[ "$(cat pw)" = unset ]
ok $? "PGPASSWORD is not set: it would win over the file and go stale"
mkdir -m 700 run
XDG_RUNTIME_DIR=$HOME/run ex -- sh -c 'printf "%s\n" "$PGPASSFILE" >pf'
case $(cat pf) in "$HOME"/run/iamdb-exec.*/pgpass) r=0 ;; *) r=1 ;; esac
ok $r "XDG_RUNTIME_DIR is preferred for the private directory"
PGPASSFILE=$HOME/mine ex --no-refresh -- sh -c 'printf "%s\n" "${PGPASSFILE-unset}" "${PGPASSWORD-unset}" >pw'
[ "$(sed -n 1p pw)" = unset ]
ok $? "--no-refresh: no PGPASSFILE, not even the caller's"
case $(sed -n 2p pw) in "$H:5432/?Action=connect&DBUser=u&"*) r=0 ;; *) r=1 ;; esac
ok $r "--no-refresh: PGPASSWORD is the token"

# --- the environment
PGHOST=evil.example.com PGPORT=1 PGUSER=mallory PGPASSWORD=stale \
    PGPASSFILE=/etc/passwd PGHOSTADDR=10.9.9.9 PGSERVICE=prod \
    PGSSLMODE=disable PGDATABASE=other KEEP_ME=yes \
    ex --database sales -- sh -c 'env >env.out'
expect_rc 0 "a caller whose environment contradicts the connection"
grep -qx "PGHOST=$H" env.out && grep -qx PGPORT=5432 env.out &&
    grep -qx PGUSER=u env.out && grep -qx PGDATABASE=sales env.out &&
    grep -qx PGSSLMODE=verify-full env.out
ok $? "PGHOST, PGPORT, PGUSER, PGDATABASE and PGSSLMODE are the connection's"
! grep -q '^PGPASSWORD=' env.out && ! grep -q '^PGPASSFILE=/etc/passwd' env.out
ok $? "the caller's PGPASSWORD and PGPASSFILE are gone"
! grep -q '^PGHOSTADDR=' env.out && ! grep -q '^PGSERVICE=' env.out
ok $? "so are PGHOSTADDR and PGSERVICE, which would point libpq elsewhere"
grep -qx KEEP_ME=yes env.out
ok $? "the rest of the environment is passed on"
[ "$(grep -c '^PGHOST=' env.out)" = 1 ]
ok $? "each variable is there once"
grep -qx "PGSSLROOTCERT=$HOME/rds-ca.pem" env.out
ok $? "PGSSLROOTCERT is the CA bundle"
PGPASSWORD=stale ex --no-refresh -- sh -c 'env >env.out'
[ "$(grep -c '^PGPASSWORD=' env.out)" = 1 ] && ! grep -qx PGPASSWORD=stale env.out
ok $? "--no-refresh replaces the caller's PGPASSWORD with the token"
ca_pem "$HOME/system.pem"
(unset IAMDB_CA_BUNDLE; SSL_CERT_FILE=$HOME/system.pem "$IAMDB" exec \
    --host abc123.dsql.us-east-1.on.aws --engine dsql --user admin -- \
    sh -c 'env >env.out')
grep -qx "PGSSLROOTCERT=$HOME/system.pem" env.out
ok $? "Aurora DSQL: PGSSLROOTCERT is the system's CA file"

# --- standard streams
printf 'hello\n' | "$IAMDB" exec $E -- sh -c 'read x; echo "got $x"; echo oops >&2' >out 2>err
[ "$(cat out)" = "got hello" ] && [ "$(cat err)" = oops ]
ok $? "stdin, stdout and stderr are the command's"
head -c 100000 /dev/urandom >blob
"$IAMDB" exec $E -- cat <blob >blob.out 2>err
cmp -s blob blob.out
ok $? "binary data passes through unchanged"

# --- the real libpq
if command -v psql >/dev/null 2>&1; then
	mkdir pgsrv
	$READ pgserver pgsrv >pgsrv/stderr 2>&1 &
	PG_PID=$!
	waitfor pgsrv/port
	PGP=$(cat pgsrv/port)
	C="--host 127.0.0.1 --port $PGP --user app --database appdb --region us-east-1 --sslmode disable"
	"$IAMDB" token --host 127.0.0.1 --port "$PGP" --user app \
	    --region us-east-1 --signing-time $T >want.token
	PGCONNECT_TIMEOUT=5 "$IAMDB" exec $C -- psql -w -c 'select 1' >/dev/null 2>&1
	PGCONNECT_TIMEOUT=5 "$IAMDB" exec $C --no-refresh --signing-time $T \
	    -- psql -w -c 'select 1' >/dev/null 2>&1
	$PY -c 'import json, sys
want = open("want.token").read().strip()
recs = [json.loads(l) for l in open("pgsrv/passwords.log")]
prefix = "127.0.0.1:%s/?Action=connect&DBUser=app&" % sys.argv[1]
sys.exit(not (len(recs) == 2 and recs[0]["password"].startswith(prefix) and
    recs[1]["password"] == want and all(r["user"] == "app" and
    r["database"] == "appdb" for r in recs)))' "$PGP" 2>/dev/null
	ok $? "psql (libpq) run by iamdb exec sends the token, from the file and from PGPASSWORD"
	kill $PG_PID 2>/dev/null
	# IPv6: the token is signed for [::1]:PORT, libpq is given ::1, and
	# the private file's line matches ::1.
	mkdir pgsrv6
	$READ pgserver pgsrv6 ::1 >pgsrv6/stderr 2>&1 &
	PG_PID=$!
	waitfor pgsrv6/port
	PGP=$(cat pgsrv6/port)
	U6="postgres://app@[::1]:$PGP/appdb?sslmode=disable"
	PGCONNECT_TIMEOUT=5 "$IAMDB" exec "$U6" --region us-east-1 -- \
	    psql -w -c 'select 1' >/dev/null 2>psql6.err
	PGCONNECT_TIMEOUT=5 "$IAMDB" exec --host ::1 --port "$PGP" --user app \
	    --database appdb --region us-east-1 --sslmode disable -- \
	    psql -w -c 'select 1' >/dev/null 2>>psql6.err
	$PY -c 'import json, sys
recs = [json.loads(l) for l in open("pgsrv6/passwords.log")]
prefix = "[::1]:%s/?Action=connect&DBUser=app&" % sys.argv[1]
sys.exit(not (len(recs) == 2 and all(r["password"].startswith(prefix) and
    r["user"] == "app" and r["database"] == "appdb" for r in recs)))' "$PGP" 2>/dev/null
	ok $? "psql reaches postgres://app@[::1]:PORT and --host ::1, and takes the token for [::1] from the private file"
	kill $PG_PID 2>/dev/null
else
	skip "psql (libpq) run by iamdb exec sends the token" "psql is not installed"
fi

# --- collected: the refresh
wait $REFRESH_PID
rc=$?
expect_rc 0 "with --expires 15 the password file changes while the command runs"
T1=$($READ pgpass first $H 5432 anydb u)
T2=$($READ pgpass second $H 5432 anydb u)
[ -n "$T1" ] && [ -n "$T2" ] && [ "$T1" != "$T2" ]
ok $? "to a new token for the same connection"
d1=$(printf %s "$T1" | sed 's/.*X-Amz-Date=\([0-9TZ]*\).*/\1/')
d2=$(printf %s "$T2" | sed 's/.*X-Amz-Date=\([0-9TZ]*\).*/\1/')
[ "$d2" \> "$d1" ]
ok $? "signed later"
[ -z "$(ls rtmp)" ]
ok $? "and no private directory is left behind"

done_testing
