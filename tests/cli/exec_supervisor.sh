# iamdb exec as a command's parent: job control at a terminal, process 1
# of a container, what it gives the command (and what it keeps back), and
# what it does when it can no longer make a token.
. "$TESTS_DIR/lib.sh"
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent
export IAMDB_CA_BUNDLE=$HOME/ca.pem
ca_pem "$IAMDB_CA_BUNDLE"
unset XDG_RUNTIME_DIR
H=mydb.c9akciq32.us-east-1.rds.amazonaws.com
E="--host $H --engine postgres --user u"

# --- started first, collected at the end: credentials that run out.
# Environment credentials that expire in 12 s can sign for 12 s; after
# that no token can be made, and once the file's token has run out too,
# exec stops the command and says so, rather than retrying forever.
soon=$(date -u -d '+12 seconds' +%Y-%m-%dT%H:%M:%SZ)
started=$(date +%s)
AWS_CREDENTIAL_EXPIRATION=$soon "$IAMDB" exec $E -- sh -c '
	trap "echo got TERM >term.out; exit 3" TERM
	while :; do sleep 0.2; done' >expiry.out 2>expiry.err &
EXPIRY_PID=$!
AWS_CREDENTIAL_EXPIRATION=$soon "$IAMDB" pgpass --watch --file w.pgpass $E \
    >watch.out 2>watch.err &
WATCH_PID=$!
trap 'kill $EXPIRY_PID $WATCH_PID 2>/dev/null' EXIT

# --- what the command gets
"$IAMDB" exec $E --database app -- sh -c 'env >env.out; cat "$PGPASSFILE" >pgpass.out'
rc=$?; expect_rc 0 "exec with a database"
cut -d: -f3 pgpass.out >db.field
[ "$(cat db.field)" = '*' ]
ok $? "the private .pgpass line matches any database (psql -d postgres, createdb)"
grep -qx 'PGDATABASE=app' env.out; ok $? "PGDATABASE is still the URL's"
! grep -q '^IAMDB_EXPIRES_AT=' env.out && ! grep -q '^IAMDB_TOKEN=' env.out &&
    ! grep -q '^PGPASSWORD=' env.out
ok $? "no variable that would go stale: no IAMDB_EXPIRES_AT, IAMDB_TOKEN or PGPASSWORD"
"$IAMDB" exec mysql://u@$H/app -- sh -c 'env >env.out'
! grep -q '^MYSQL_PWD=' env.out && ! grep -q '^IAMDB_EXPIRES_AT=' env.out
ok $? "nor MYSQL_PWD for MySQL: the option file has the password"
"$IAMDB" exec --no-refresh $E -- sh -c 'env >env.out'
grep -q '^PGPASSWORD=' env.out && grep -q '^IAMDB_EXPIRES_AT=' env.out
ok $? "--no-refresh: the token and its end are in the environment"

# --- dispositions: what iamdb set for itself is not the command's
sigign() {	# the command's ignored signals, as a hex mask
	sed -n 's/^SigIgn:[[:space:]]*//p' "$1"
}
"$IAMDB" exec --no-refresh $E -- cat /proc/self/status >status.out
[ $(( 0x$(sigign status.out) & 0x1000 )) -eq 0 ]
ok $? "--no-refresh: SIGPIPE is not ignored in the command"
"$IAMDB" exec $E -- cat /proc/self/status >status.out
[ $(( 0x$(sigign status.out) & 0x1000 )) -eq 0 ]
ok $? "nor in a supervised command"
grep -q '^SigBlk:[[:space:]]*0*$' status.out
ok $? "and no signal is blocked in it"
"$IAMDB" exec $E -- sh -c 'ulimit -c' >core.out
[ "$(cat core.out)" != 0 ] || [ "$(ulimit -c)" = 0 ]
ok $? "the command keeps the core limit iamdb was started with"
"$IAMDB" exec $E -- sh -c 'cat /proc/$PPID/status' >parent.out
grep -q '^Uid:' parent.out
ok $? "(the supervisor's status is readable)"

# --- not dumpable, no core file: the supervisor and --watch hold
# credentials for hours. Seen as another user would see them: run as
# nobody, a process that is not dumpable has its /proc files owned by root.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	chmod 0711 "$HOME"
	mkdir nobody
	cp "$IAMDB_CA_BUNDLE" nobody/ca.pem
	chown -R 65534:65534 nobody
	as_nobody() {
		(cd nobody && HOME=$PWD IAMDB_CA_BUNDLE=$PWD/ca.pem XDG_RUNTIME_DIR= \
		    TMPDIR=$PWD exec setpriv --reuid=65534 --regid=65534 \
		    --clear-groups "$@")
	}
	# The supervisor turns it off once the command is started: wait.
	as_nobody "$IAMDB" exec $E -- sh -c 'i=0
		while [ "$(stat -c %u /proc/$PPID/environ)" != 0 ] && [ $i -lt 300 ]; do
			sleep 0.1; i=$((i + 1)); done
		stat -c %u /proc/$PPID/environ
		sed -n "s/^Max core file size *//p" /proc/$PPID/limits
		cat /proc/$PPID/environ >/dev/null 2>&1 || echo unreadable' >sup.out 2>sup.err
	rc=$?; expect_rc 0 "exec run by nobody"
	[ "$(sed -n 1p sup.out)" = 0 ] && [ "$(sed -n 3p sup.out)" = unreadable ]
	ok $? "the supervisor is not dumpable: its /proc files are root's, its environment unreadable to nobody"
	sed -n 2p sup.out | grep -q '^0 *0 *bytes'
	ok $? "and its core file size limit is 0"
	as_nobody sh -c 'echo $$ >watch.pid; exec "$0" "$@"' "$IAMDB" \
	    pgpass --watch --file w.pgpass $E >nwatch.out 2>nwatch.err &
	BG=$!
	i=0
	while [ ! -s nobody/w.pgpass ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	NW=$(cat nobody/watch.pid)
	stat -c %u /proc/$NW/environ >nwatch.owner 2>&1
	sed -n 's/^Max core file size *//p' /proc/$NW/limits >nwatch.core 2>&1
	kill $NW 2>/dev/null
	wait $BG
	[ -s nobody/w.pgpass ] && [ "$(cat nwatch.owner)" = 0 ]
	ok $? "pgpass --watch is not dumpable either"
	grep -q '^0 *0 *bytes' nwatch.core
	ok $? "and its core file size limit is 0"
else
	for i in 1 2 3 4 5; do skip "not dumpable, no core" "needs root and setpriv"; done
fi

# --- job control at a terminal
if command -v bash >/dev/null 2>&1; then
	mkdir jc
	python3 "$TESTS_DIR/cli/jobctl.py" "$IAMDB" "$PWD/jc" >jc.out 2>&1
	for step in started prompt-after-ctrl-z both-stopped job-listed-stopped \
	    both-resumed prompt-after-ctrl-c both-ended; do
		grep -q "^$step ok" jc.out
		ok $? "job control: $step"
		grep "^$step FAIL" jc.out | sed 's/^/#   /'
	done
else
	skip "job control at a terminal" "bash is not installed"
fi

# --- process 1 of a container reaps every orphan
if command -v unshare >/dev/null 2>&1 && [ "$(id -u)" = 0 ] &&
    unshare --pid --fork --mount-proc true 2>/dev/null; then
	# Until the orphans have ended (at most 60 s): a zombie left then is
	# one nobody reaps.
	unshare --pid --fork --mount-proc "$IAMDB" exec $E -- sh -c '
		for i in 1 2 3 4 5; do (sleep 0.1 &) ; done
		i=0
		while [ $i -lt 600 ]; do
			sleep 0.1
			i=$((i + 1))
			ps -eo pid,stat,comm >ps.out
			grep -q " sleep$" ps.out || break
		done
		sleep 0.5
		ps -eo pid,stat,comm >ps.out
		exit 0' >pid1.out 2>pid1.err
	rc=$?; expect_rc 0 "iamdb exec as process 1"
	awk '$1 == 1 { print $3 }' ps.out >pid1.comm
	[ "$(cat pid1.comm)" = iamdb ]
	ok $? "is process 1 of the namespace"
	! awk '{ print $2 }' ps.out | grep -q Z
	ok $? "and leaves no zombie behind: its orphans are reaped"
	grep -v '^ *PID' ps.out | sed 's/^/#   /' | head -n 8
else
	skip "iamdb exec as process 1" "needs root and unshare --pid"
	skip "is process 1 of the namespace" "needs root and unshare --pid"
	skip "and leaves no zombie behind" "needs root and unshare --pid"
fi

# --- a supervisor killed with SIGKILL cannot remove its private directory:
# the next exec does, and nothing else (a live supervisor holds a lock in
# its own).
mkdir -m 700 sweep
# until FILE: waits for FILE to be there and not empty, at most 60 s.
until_file() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
TMPDIR=$PWD/sweep "$IAMDB" exec $E -- sh -c 'echo "$PGPASSFILE" >live.file
	exec sleep 600' 2>live.err &
LIVE=$!
until_file live.file
live_dir=$(dirname "$(cat live.file)")
TMPDIR=$PWD/sweep "$IAMDB" exec $E -- sh -c 'echo $$ >killed.pid
	echo "$PGPASSFILE" >killed.file
	exec sleep 600' 2>killed.err &
KILLED=$!
until_file killed.file
killed_dir=$(dirname "$(cat killed.file)")
kill -9 $KILLED
wait $KILLED 2>/dev/null
kill "$(cat killed.pid)"	# its command, which lives on
[ -f "$killed_dir/pgpass" ]
ok $? "a supervisor killed with SIGKILL leaves its private directory ($(basename "$killed_dir"))"
# Not exec's own: a directory of its form but without a lock file, one
# named otherwise, one that others may enter.
mkdir -m 700 sweep/iamdb-exec.nolock sweep/iamdb-exec.longer1
mkdir -m 755 sweep/iamdb-exec.public
: >sweep/iamdb-exec.nolock/pgpass
: >sweep/iamdb-exec.longer1/lock
: >sweep/iamdb-exec.public/lock
chmod 600 sweep/iamdb-exec.longer1/lock sweep/iamdb-exec.public/lock
TMPDIR=$PWD/sweep "$IAMDB" -v exec $E -- true 2>sweep.err
rc=$?; expect_rc 0 "the next exec runs"
[ ! -e "$killed_dir" ]
ok $? "and removes the killed supervisor's directory"
grep -q "removed $killed_dir, left by an exec that was killed" sweep.err
ok $? "saying so with -v"
[ -f "$live_dir/pgpass" ] && [ -f "$live_dir/lock" ]
ok $? "but not the directory of a supervisor that is alive"
[ -f sweep/iamdb-exec.nolock/pgpass ] && [ -f sweep/iamdb-exec.longer1/lock ] &&
    [ -f sweep/iamdb-exec.public/lock ]
ok $? "nor one without a lock file, of another name, or open to others"
kill $LIVE
wait $LIVE
[ ! -e "$live_dir" ]
ok $? "the live supervisor removes its own when its command ends"

# --- collected: credentials that ran out
# finish PID: its exit status in $rc once it has ended, waiting at most
# 90 s (then it is killed, and $rc is 255).
finish() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 900 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -0 "$1" 2>/dev/null && kill -9 "$1"
	wait "$1"
	rc=$?
	[ $i -lt 900 ] || rc=255
}
finish $EXPIRY_PID
took=$(( $(date +%s) - started ))
expect_rc 4 "exec whose credentials ran out ends with the credentials status"
grep -q "the password file's token ran out at .* and no new one could be made: stopping sh" expiry.err
ok $? "and says why"
grep -q "expired at $soon" expiry.err
ok $? "naming the credentials' end"
[ -f term.out ]; ok $? "the command was sent SIGTERM first"
[ $took -ge 12 ]; ok $? "not before the token in the file had run out (after $took s)"
finish $WATCH_PID
expect_rc 4 "pgpass --watch whose credentials ran out ends too"
grep -q "the token in w.pgpass ran out at .* and no new one could be made: stopping" watch.err
ok $? "and says why"

done_testing
