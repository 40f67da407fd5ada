# iamdb pgpass: the line it writes, where it goes, what it leaves alone
# (byte for byte), what it refuses to write through, how writers share the
# file, and --watch. Files are read back as libpq reads them
# (outputs_readers.py pgpass) and, when psql is installed, by libpq itself
# talking to a loopback server that notes the password it is sent.
. "$TESTS_DIR/lib.sh"
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent
export IAMDB_CA_BUNDLE=$HOME/rds-ca.pem
ca_pem "$IAMDB_CA_BUNDLE"
unset PGPASSFILE
H=mydb.c9akciq32.us-east-1.rds.amazonaws.com
T=2016-11-07T17:39:33Z
# python3 itself, not a wrapper script that may stand in for it
PY=$(python3 -c 'import sys; print(sys.executable)')
READ="$PY $TESTS_DIR/cli/outputs_readers.py"
mode() { ls -ld "$1" | cut -c1-10; }
# tok USER [OPTIONS]: the token iamdb pgpass writes for H with --signing-time T
tok() {
	u=$1
	shift
	"$IAMDB" token --host $H --port 5432 --user "$u" --signing-time $T "$@"
}
# esc TEXT: TEXT with ':' and '\' escaped as in a pgpass field
esc() { printf %s "$1" | sed 's/\\/\\\\/g; s/:/\\:/g'; }
# pg ARGS: iamdb pgpass for H at T
pg() { run pgpass --host $H --port 5432 --signing-time $T "$@"; }
# pw FILE USER [DB]: the password libpq would take from FILE
pw() { $READ pgpass "$1" $H 5432 "${3:-anydb}" "$2"; }

# hold_lock FILE: a live writer, as far as iamdb can tell: a process that
# holds the POSIX lock on FILE (FILE.held has its pid once it does) until
# it is killed; its pid in $HOLDER.
hold_lock() {
	rm -f "$1.held"
	$PY -c 'import fcntl, os, sys, time
f = open(sys.argv[1], "a")
fcntl.lockf(f, fcntl.LOCK_EX)
open(sys.argv[1] + ".held", "w").write(str(os.getpid()))
time.sleep(120)' "$1" &
	HOLDER=$!
	i=0
	while [ ! -s "$1.held" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# --- long-running checks, started first and collected at the end
printf 'a:1:*:b:c\n' >locked.pgpass
cp locked.pgpass locked.orig
hold_lock locked.pgpass.lock
LOCK_HOLDER=$HOLDER
start=$(date +%s)
"$IAMDB" pgpass --file locked.pgpass --host $H --port 5432 --user u \
    >locked.out 2>locked.err &
LOCKED_PID=$!
"$IAMDB" pgpass --watch --expires 15 --file watch.pgpass --host $H \
    --port 5432 --user w >watch.out 2>watch.err &
WATCH_PID=$!
trap 'kill $WATCH_PID $LOCKED_PID $LOCK_HOLDER ${HOLDER:-} 2>/dev/null' EXIT
i=0
while [ ! -s watch.pgpass ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
first=$($READ pgpass watch.pgpass $H 5432 db w)

# --- a new file
pg --file new.pgpass --user u
expect_rc 0 "a new password file"
printf '%s:5432:*:u:%s\n' $H "$(esc "$(tok u)")" >want
cmp -s new.pgpass want
ok $? "holds exactly host:port:*:user:token and a newline"
[ "$(mode new.pgpass)" = "-rw-------" ]
ok $? "is created 0600"
[ ! -s out ] && [ ! -s err ]
ok $? "and nothing is printed"
[ "$(pw new.pgpass u)" = "$(tok u)" ]
ok $? "libpq's rules give the token for any database"
pg --user u
[ -f .pgpass ] && [ "$(pw .pgpass u)" = "$(tok u)" ]
ok $? "the default file is ~/.pgpass"
PGPASSFILE=$HOME/env.pgpass pg --user u
[ -f env.pgpass ]
ok $? "PGPASSFILE names the default file"
chmod 644 new.pgpass
pg --file new.pgpass --user u
[ "$(mode new.pgpass)" = "-rw-------" ]
ok $? "a file libpq would ignore as too open is made 0600"

# --- an existing file: only iamdb's line changes. Its older copies are
# the lines whose password is a token for the same endpoint and user.
TOK=$(tok u)
LINE="$H:5432:*:u:$(esc "$TOK")"
OLD1=$(esc "$(tok u --signing-time 2016-11-07T17:00:00Z)")
OLD2=$(esc "$(tok u --signing-time 2016-11-07T16:00:00Z)")
printf '# my passwords\r\n\r\nother.example.com:5432:*:bob:bobpw\r\n' >f
printf '%s:5432:*:u:%s\r\n' $H "$OLD1" >>f
printf '%s:5433:*:u:otherport\r\n%s:5432:*:u2:otheruser\r\n' $H $H >>f
printf '*:*:*:*:wildcard\r\n' >>f
printf '%s:5432:*:u:%s\r\nlast:1:db:user:pw' $H "$OLD2" >>f
cp f before
pg --file f --user u
expect_rc 0 "a file with comments, blank lines, CRLF, other entries, a wildcard, older copies of iamdb's line and no final newline"
{
	printf '# my passwords\r\n\r\nother.example.com:5432:*:bob:bobpw\r\n'
	printf '%s\r\n' "$LINE"
	printf '%s:5433:*:u:otherport\r\n%s:5432:*:u2:otheruser\r\n' $H $H
	printf '*:*:*:*:wildcard\r\nlast:1:db:user:pw'
} >want
cmp -s f want
ok $? "iamdb's line replaces its first copy in place with CRLF, later copies go, every other byte stays"
[ "$(grep -c ":u:" f)" = 2 ] && [ "$(grep -cF "$(esc "$TOK")" f)" = 1 ]
ok $? "exactly one line carries the token"
[ "$(pw f u)" = "$TOK" ]
ok $? "and libpq takes it"
pg --file f --user u
cmp -s f want
ok $? "writing again changes nothing"

printf 'a:1:*:b:c\n\000\nx:1:*:y:z\n' >f
cp f before
pg --file f --user u
expect_rc 3 "a file with a NUL byte, after which libpq misreads the lines that follow"
has err "line 2 holds a NUL byte" "is refused, naming the line"
cmp -s f before
ok $? "and left as it was"

# A password the user wrote for the very same host, port, database and
# user is theirs: iamdb's line goes before it, and --remove leaves it.
printf 'x:1:*:y:z\n%s:5432:*:u:my-own-password\n' $H >f
cp f before
pg --file f --user u
printf 'x:1:*:y:z\n%s\n%s:5432:*:u:my-own-password\n' "$LINE" $H >want
cmp -s f want
ok $? "a user's own password for the same fields is kept, after iamdb's line"
pg --file f --user u --remove
cmp -s f before
ok $? "and --remove takes out iamdb's line alone, not the user's"

printf '# c\n*:*:*:*:wildcard\n' >f
pg --file f --user u
printf '# c\n%s\n*:*:*:*:wildcard\n' "$LINE" >want
cmp -s f want
ok $? "iamdb's line goes before a *:*:*:*:x line that would hide it"
[ "$(pw f u)" = "$TOK" ]
ok $? "so libpq takes the token, not the wildcard's password"
printf 'x:1:*:y:z\n*:5432:*:u:hostwild\n' >f
pg --file f --user u
printf 'x:1:*:y:z\n%s\n*:5432:*:u:hostwild\n' "$LINE" >want
cmp -s f want
ok $? "and before a line with a wildcard host for the same port and user"
printf '%s:5432:sales:u:static\n' $H >f
pg --file f --user u
printf '%s\n%s:5432:sales:u:static\n' "$LINE" $H >want
cmp -s f want
ok $? "without --database, before a line for one database of the same host and user"
[ "$(pw f u sales)" = "$TOK" ]
ok $? "so that database gets the token too"
printf '%s:5432:sales:u:static\n' $H >f
pg --file f --user u --database hr
printf '%s:5432:sales:u:static\n%s:5432:hr:u:%s\n' $H $H "$(esc "$(tok u)")" >want
cmp -s f want
ok $? "with --database, after a line for another database"
printf 'a:1:*:b:c\nno final newline' >f
pg --file f --user u
printf 'a:1:*:b:c\nno final newline\n%s\n' "$LINE" >want
cmp -s f want
ok $? "after a last line without a newline, a newline comes first"
printf '\n\n# only comments\n' >f
pg --file f --user u
printf '\n\n# only comments\n%s\n' "$LINE" >want
cmp -s f want
ok $? "blank lines and comments stay in front"

# --- escaping
U='a:b\c'
D='d:b\x'
TOK2=$(tok "$U")
pg --file esc --user "$U" --database "$D"
expect_rc 0 "a user and a database holding colons and backslashes"
printf '%s:5432:d\\:b\\\\x:a\\:b\\\\c:%s\n' $H "$(esc "$TOK2")" >want
cmp -s esc want
ok $? "are written with each colon and backslash escaped by a backslash, as are the token's colons"
[ "$(pw esc "$U" "$D")" = "$TOK2" ]
ok $? "libpq's rules read the token back for that user and database"
pw esc "$U" other >/dev/null
[ $? -eq 1 ]
ok $? "and for no other database"
pg --file esc --user "$U" --database "$D"
[ "$(wc -l <esc)" -eq 1 ]
ok $? "an escaped line is recognised as iamdb's own when written again"
NL='a
b'
pg --file esc --user "$NL"
expect_rc 2 "a user with a line break"
has err "without control characters" "is refused as no user name"

printf 'x:1:*:y:z\n' >nl.pgpass
cp nl.pgpass nl.orig
pg --file nl.pgpass --user u --database "$(printf 'db\r*:*:*:*:x')"
expect_rc 2 "a database with a carriage return"
has err "line break" "is refused"
cmp -s nl.pgpass nl.orig
ok $? "and the file is left as it was"

# --- the real libpq
if command -v psql >/dev/null 2>&1; then
	mkdir pgsrv
	$READ pgserver pgsrv >pgsrv/stderr 2>&1 &
	PG_PID=$!
	i=0
	while [ ! -s pgsrv/port ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	PGP=$(cat pgsrv/port)
	PU='we:ird\user'
	run pgpass --file libpq.pgpass --host 127.0.0.1 --port "$PGP" \
	    --user "$PU" --region us-east-1 --signing-time $T
	printf '*:*:*:*:wildcard\n' >>libpq.pgpass
	PGPASSFILE=$HOME/libpq.pgpass PGSSLMODE=disable PGCONNECT_TIMEOUT=5 \
	    psql -w -h 127.0.0.1 -p "$PGP" -U "$PU" -d somedb -c 'select 1' \
	    >psql.out 2>&1
	"$IAMDB" token --host 127.0.0.1 --port "$PGP" --user "$PU" \
	    --region us-east-1 --signing-time $T >libpq.token
	$PY -c 'import json,sys; r = json.loads(open("pgsrv/passwords.log").readline()); sys.exit(not (r["password"] == open("libpq.token").read().strip() and r["user"] == sys.argv[1]))' "$PU" 2>/dev/null
	ok $? "psql (libpq) sends the token from iamdb's line for a user with a colon and a backslash"
	kill $PG_PID 2>/dev/null
else
	skip "psql (libpq) sends the token from iamdb's line" "psql is not installed"
fi

# --- --remove
printf '# keep\r\nx:1:*:y:z\r\n%s\r\n*:*:*:*:w\r\n%s\r\nlast' "$LINE" "$LINE" >f
printf '# keep\r\nx:1:*:y:z\r\n*:*:*:*:w\r\nlast' >want
(unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
 "$IAMDB" pgpass --file f --host $H --port 5432 --user u --remove >out 2>err)
rc=$?
expect_rc 0 "--remove, with no credentials at hand"
cmp -s f want
ok $? "takes out every copy of iamdb's line and nothing else"
pg --file f --user u --remove
cmp -s f want
ok $? "removing again changes nothing"
pg --file missing.pgpass --user u --remove
expect_rc 0 "--remove on a file that does not exist"
[ ! -e missing.pgpass ]
ok $? "does not create it"

# --- what is refused
printf 'target:1:*:x:y\n' >target
cp target target.orig
ln -s target link
pg --file link --user u
expect_rc 6 "a symlinked password file"
has err "symbolic link" "is refused as a symbolic link"
cmp -s target target.orig && [ -L link ]
ok $? "and neither the link nor its target is touched"
[ ! -e link.lock ]
ok $? "and no lock is left"
if [ "$(id -u)" = 0 ]; then
	cp target.orig theirs
	chown 65534 theirs
	pg --file theirs --user u
	expect_rc 6 "a file owned by another user"
	has err "belongs to another user" "is refused"
	cmp -s theirs target.orig
	ok $? "and left as it was"
else
	skip "a file owned by another user is refused" "needs root to chown"
fi
mkdir adir
pg --file adir --user u
expect_rc 6 "a directory"
pg --file nodir/f --user u
expect_rc 6 "a file in a directory that does not exist"
# A .pgpass line holds no connection parameters: said, not dropped.
run pgpass --file params "postgres://u@$H:5432/app?application_name=etl&connect_timeout=5&sslmode=require" --signing-time $T
expect_rc 0 "a URL with libpq parameters"
has err "params holds no connection parameters: give application_name, connect_timeout, sslmode to the client itself" \
    "warns that the client must be given them"
[ "$(pw params u app)" = "$(tok u)" ]
ok $? "and writes the line"
run pgpass --file params "postgres://u@$H:5432/app?dbname=app" --signing-time $T
[ ! -s err ]
ok $? "the URL's own parts given as parameters draw no warning"
run pgpass --file params "postgres://u@$H:5432/app?connect_timeout=5" --remove
[ "$rc" -eq 0 ] && [ ! -s err ]
ok $? "nor does --remove"
run pgpass --host $H --port 5432 --user u --group g
expect_rc 2 "--group is for mycnf"
run pgpass --host $H --port 5432 --user u --watch --remove
expect_rc 2 "--watch with --remove"
run pgpass --host $H --port 5432 --user u --watch --signing-time $T
expect_rc 2 "--watch with --signing-time"

hold_lock stuck.pgpass.lock
"$IAMDB" pgpass --file stuck.pgpass --host $H --port 5432 --user u >/dev/null 2>&1 &
pid=$!
sleep 0.3
kill -TERM $pid
wait $pid 2>/dev/null
rc=$?
[ $rc -eq 143 ]
ok $? "waiting for a live writer's lock can be cut short with SIGTERM (exit $rc)"
[ -e stuck.pgpass.lock ] && [ ! -e stuck.pgpass ] && kill -0 $HOLDER
ok $? "which leaves that lock and its holder alone"
kill $HOLDER
wait $HOLDER 2>/dev/null

# --- what a killed writer leaves: its lock file, with half the new
# contents in it, and no process holding the lock
printf 'a:1:*:b:c\n' >killed.pgpass
printf 'a:1:*:b:c\n%s:5432:*:u:half-writ' $H >killed.pgpass.lock
pg --file killed.pgpass --user u
expect_rc 0 "a lock file left by a writer killed with SIGKILL does not block the next writer"
printf 'a:1:*:b:c\n%s\n' "$LINE" >want
cmp -s killed.pgpass want && [ ! -e killed.pgpass.lock ]
ok $? "which writes its line, keeps none of the dead writer's half and leaves no lock"
printf 'x' >killed.pgpass.lock
"$IAMDB" pgpass --watch --file killed.pgpass --host $H --port 5432 --user w \
    >/dev/null 2>killed.err &
pid=$!
i=0
while ! grep -q ':w:' killed.pgpass && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
grep -q ':w:' killed.pgpass && kill -0 $pid 2>/dev/null
ok $? "so does pgpass --watch"
kill -TERM $pid
wait $pid 2>/dev/null

# --- 20 writers at once, each for its own user
i=1
pids=
while [ $i -le 20 ]; do
	"$IAMDB" pgpass --file many.pgpass --host $H --port 5432 \
	    --user "user$i" --signing-time $T 2>>many.err &
	pids="$pids $!"
	i=$((i + 1))
done
bad=0
for p in $pids; do
	wait "$p" || bad=$((bad + 1))
done
[ $bad -eq 0 ]
ok $? "20 concurrent writers all succeed"
missing=0
i=1
while [ $i -le 20 ]; do
	[ "$(pw many.pgpass "user$i")" = "$(tok "user$i")" ] ||
	    missing=$((missing + 1))
	i=$((i + 1))
done
[ $missing -eq 0 ] && [ "$(wc -l <many.pgpass)" -eq 20 ]
ok $? "and all 20 lines are in the file, none lost, none twice"
[ ! -e many.pgpass.lock ] && [ "$(mode many.pgpass)" = "-rw-------" ]
ok $? "the lock is gone and the file is 0600"

# --- collected: the live writer's lock
wait $LOCKED_PID
rc=$?
expect_rc 6 "a lock that a live writer holds makes iamdb wait, then fail"
[ $(($(date +%s) - start)) -ge 9 ]
ok $? "after waiting for the lock for about ten seconds"
grep -qF "locked.pgpass.lock" locked.err && grep -qF "process $LOCK_HOLDER" locked.err
ok $? "naming the lock file and the process that holds it"
cmp -s locked.pgpass locked.orig && [ -e locked.pgpass.lock ]
ok $? "leaving the file, and the lock it does not own, as they were"
kill $LOCK_HOLDER

# --- collected: --watch
[ -n "$first" ] && [ "$(mode watch.pgpass)" = "-rw-------" ]
ok $? "--watch writes the line at once"
changed=1
while [ $(($(date +%s) - start)) -lt 25 ]; do
	now=$($READ pgpass watch.pgpass $H 5432 db w)
	if [ -n "$now" ] && [ "$now" != "$first" ]; then
		changed=0
		break
	fi
	sleep 0.5
done
ok $changed "--watch --expires 15 rewrites the token before it expires"
kill -TERM $WATCH_PID
wait $WATCH_PID
rc=$?
expect_rc 0 "SIGTERM stops --watch cleanly"
[ ! -e watch.pgpass.lock ] && [ -n "$($READ pgpass watch.pgpass $H 5432 db w)" ]
ok $? "leaving the file and no lock"

done_testing
