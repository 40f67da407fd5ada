# The credentials cache ($XDG_CACHE_HOME/iamdb or ~/.cache/iamdb), against
# the loopback fake (tests/fakes): what is stored, where and how, when it is
# reused, what is never trusted, and that many processes missing at once
# make one request.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/cli/fakelog.inc"
unset XDG_CACHE_HOME IAMDB_HTTP_TIMEOUT
fake_start
export AWS_ENDPOINT_URL_STS="$FAKE"

ROLE=arn:aws:iam::123456789012:role
SRC_AKID=AKIASRCEXAMPLE000001
SRC_SECRET='srcSecret/Example+Key0123456789abcdefgh'
WEB_TOKEN='eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QifQ.c2lnbmF0dXJl'
DIR=$HOME/.cache/iamdb
HOST=db.c9akciq32.us-east-1.rds.amazonaws.com

# The fake's configuration, without its closing brace.
MFA=arn:aws:iam::123456789012:mfa/dev
MFA_CODE=864209
FAKE_BASE='{"keys": {"'$SRC_AKID'": "'$SRC_SECRET'"},
 "roles": {"'$ROLE'/r": {}, "'$ROLE'/a": {}, "'$ROLE'/b": {},
           "'$ROLE'/mfa": {"require_mfa": {"serial": "'$MFA'", "code": "'$MFA_CODE'"}},
           "'$ROLE'/web": {"web_identity_token": "'$WEB_TOKEN'"}}'
fake_config "$FAKE_BASE}"

mkdir -p .aws
cat >.aws/credentials <<EOF
[src]
aws_access_key_id = $SRC_AKID
aws_secret_access_key = $SRC_SECRET
EOF
cat >.aws/config <<EOF
[profile r]
role_arn = $ROLE/r
source_profile = src
[profile r2]
role_arn = $ROLE/r
source_profile = src
role_session_name = other-session
[profile a]
role_arn = $ROLE/a
source_profile = b
[profile b]
role_arn = $ROLE/b
source_profile = src
[profile web]
role_arn = $ROLE/web
web_identity_token_file = $HOME/web.token
[profile mfa]
role_arn = $ROLE/mfa
source_profile = src
mfa_serial = $MFA
EOF
printf '%s\n' "$WEB_TOKEN" >web.token

# cred ARGS: iamdb credentials; every run's stderr is kept in stderr.all.
cred() {
	run credentials --region us-east-1 "$@"
	cat err >>stderr.all
}
akid() { sed -n 's/.*"AccessKeyId": "\([^"]*\)".*/\1/p' out; }
entry() { ls "$DIR"/*.json 2>/dev/null; }
mode() { ls -ld "$1" | cut -c1-10; }
fresh() {	# an empty cache and log, and the fake's base configuration
	rm -rf "$HOME/.cache" "$FAKE_DIR/faults.state"
	fake_config "$FAKE_BASE}"
	log_reset
}

# --- what is stored, and reused
fresh
cred --profile r
expect_rc 0 "an assumed role, cold cache"
first=$(akid)
[ "$(calls sts)" -eq 1 ]; ok $? "the first run asks STS once"
[ "$(entry | wc -l)" -eq 1 ]; ok $? "and leaves one entry"
[ "$(mode "$DIR")" = drwx------ ]; ok $? "in a directory only the user can enter (0700)"
[ "$(mode "$(entry)")" = -rw------- ]; ok $? "in a file only the user can read (0600)"
[ "$(mode "$HOME/.cache")" = drwx------ ]; ok $? "a ~/.cache iamdb creates is private too"
grep -q '"Version":1' "$(entry)" && grep -q "\"AccessKeyId\":\"$first\"" "$(entry)"
ok $? "the entry holds the role's credentials"
! grep -qF "$SRC_SECRET" "$(entry)"; ok $? "and not the source's secret"
basename "$(entry)" | grep -qE '^[0-9a-f]{64}\.json$'
ok $? "named by a SHA-256, not by the profile or role"
cred --profile r
expect_rc 0 "a second run"
[ "$(akid)" = "$first" ]; ok $? "returns the same credentials"
[ "$(calls sts)" -eq 1 ]; ok $? "without asking STS again"
cred --profile r -v
has err "cached until" "-v says they came from the cache"
cred --profile r2
[ "$(calls sts)" -eq 2 ] && [ "$(akid)" != "$first" ]
ok $? "another role_session_name is another entry"
run credentials --profile r --region us-west-2
[ "$(calls sts)" -eq 2 ] && [ "$(akid)" = "$first" ]
ok $? "another region is the same entry: the aws CLI's key has no region either"
cred --profile r
[ "$(akid)" = "$first" ]; ok $? "and the first entry is still there"

log_reset
cred --profile a
[ "$(calls sts)" -eq 2 ]; ok $? "a role chain of two asks STS twice, cold"
cred --profile a
[ "$(calls sts)" -eq 2 ]; ok $? "and not at all when its entry is warm"
cred --profile b
[ "$(calls sts)" -eq 2 ]; ok $? "the chain's inner role was cached on the way"

log_reset
cred --profile web
expect_rc 0 "web identity, cold cache"
cred --profile web
[ "$(calls sts)" -eq 1 ]; ok $? "web identity credentials are cached too"

fresh
cred --profile r --no-cache
cred --profile r --no-cache
[ "$(calls sts)" -eq 2 ]; ok $? "--no-cache asks STS every time"
[ ! -e "$HOME/.cache" ]; ok $? "and writes nothing, not even the directory"
cred --profile r
cred --profile r --no-cache
[ "$(calls sts)" -eq 4 ]; ok $? "--no-cache does not read a warm entry either"

mkdir -p xdg
XDG_CACHE_HOME=$HOME/xdg cred --profile r
[ -n "$(ls xdg/iamdb/*.json 2>/dev/null)" ]; ok $? "an absolute XDG_CACHE_HOME holds the cache"
fresh
XDG_CACHE_HOME=xdg cred --profile r
[ -n "$(entry)" ]; ok $? "a relative XDG_CACHE_HOME is ignored, as XDG asks"

# --- a HOME nothing can be written under (Lambda's: only /tmp is): mkdir
# fails there with ENOTDIR even for root, and the cache moves to $TMPDIR
fresh
: >"$HOME/file"
mkdir "$HOME/tmp"
TMPCACHE=$HOME/tmp/iamdb-$(id -u)
H0=$HOME	# the assignments before a command may see each other
ro_cred() {
	AWS_CONFIG_FILE=$H0/.aws/config \
	    AWS_SHARED_CREDENTIALS_FILE=$H0/.aws/credentials \
	    HOME=$H0/file/home TMPDIR=${RO_TMP:-$H0/tmp} cred "$@"
}
ro_cred --profile r -v
expect_rc 0 "credentials with a HOME that cannot be written"
lacks err "mkdir" "without a word about mkdir"
[ -n "$(ls "$TMPCACHE"/*.json 2>/dev/null)" ] && [ "$(mode "$TMPCACHE")" = drwx------ ]
ok $? "cached in a private directory under \$TMPDIR"
first=$(akid)
ro_cred --profile r
[ "$(calls sts)" -eq 1 ] && [ "$(akid)" = "$first" ]
ok $? "and read back from there"
RO_TMP=$H0/file ro_cred --profile r -v
expect_rc 0 "where \$TMPDIR cannot be written either, iamdb goes on without a cache"
has err "Not a directory; credentials are not cached" "and -v says why"

# --- expiry
fresh
soon=$(date -u -d '+4 min' +%Y-%m-%dT%H:%M:%SZ 2>/dev/null ||
    date -u -v+4M +%Y-%m-%dT%H:%M:%SZ)
fake_config "$FAKE_BASE, \"expiration_override\": \"$soon\"}"
cred --profile r
expect_rc 0 "credentials expiring in 4 minutes are still used"
cred --profile r
[ "$(calls sts)" -eq 2 ]; ok $? "but not reused: within 5 minutes of expiry they are fetched again"
[ -z "$(entry)" ]; ok $? "and never stored"
fresh
fake_config "$FAKE_BASE, \"expiration_override\": \"2020-01-01T00:00:00Z\"}"
cred --profile r
expect_rc 4 "STS issuing credentials that have already expired"
has err "expired at 2020-01-01T00:00:00Z" "iamdb refuses to sign with them, saying so"
[ -z "$(entry)" ]; ok $? "nor stores them"
run token --profile r --host $HOST --engine postgres --user u
expect_rc 4 "iamdb token refuses them as well"
[ ! -s out ]; ok $? "and prints no token"

# --- entries that are not trusted
fresh
cred --profile r
first=$(akid)
e=$(entry)
printf '{"Version":1,"AccessKeyId":' >"$e"
cred --profile r
expect_rc 0 "a corrupt entry"
[ "$(calls sts)" -eq 2 ] && [ "$(akid)" != "$first" ]; ok $? "is ignored"
grep -q "\"AccessKeyId\":\"$(akid)\"" "$e"; ok $? "and replaced"

chmod 644 "$e"
cred --profile r
[ "$(calls sts)" -eq 3 ]; ok $? "an entry others can read (0644) is ignored"
[ "$(mode "$e")" = -rw------- ]; ok $? "and replaced by a private one"

cp "$e" target.json
cp target.json target.orig
rm "$e"
ln -s "$HOME/target.json" "$e"
cred --profile r
[ "$(calls sts)" -eq 4 ]; ok $? "a symbolic link in place of an entry is ignored"
[ ! -h "$e" ] && [ -f "$e" ]; ok $? "and replaced by a file, not followed"
cmp -s target.json target.orig && ! cmp -s "$e" target.json
ok $? "the link's target is left alone"

fresh
mkdir -p "$DIR"
chmod 777 "$DIR"
cred --profile r -v
expect_rc 0 "a cache directory others can write"
has err "is writable by other users; credentials are not cached" "is not used, and -v says why"
cred --profile r
[ "$(calls sts)" -eq 2 ] && [ -z "$(entry)" ]; ok $? "nothing is read from it or written to it"

# --- many processes, one request
fresh
fake_config "$FAKE_BASE, \"faults\": [{\"service\": \"sts\", \"mode\": \"hang\", \"seconds\": 1, \"times\": 1}]}"
pids=
i=0
while [ $i -lt 20 ]; do
	"$IAMDB" credentials --profile r --region us-east-1 >par.$i 2>par.$i.err &
	pids="$pids $!"
	i=$((i + 1))
done
failed=0
for p in $pids; do
	wait "$p" || failed=$((failed + 1))
done
[ $failed -eq 0 ]; ok $? "20 processes at once, cold cache: all succeed"
[ "$(calls sts)" -eq 1 ]; ok $? "with exactly one AssumeRole between them"
[ "$(cat par.[0-9]* | sed -n 's/.*"AccessKeyId": "\([^"]*\)".*/\1/p' | sort -u | wc -l)" -eq 1 ]
ok $? "and identical credentials"

# --- the lock is never held across the MFA prompt
# A asks for its code on a terminal (script(1) gives it one) and gets no
# answer yet; B, with --mfa-code, must not wait for A.
if script -qec true /dev/null >/dev/null 2>&1 </dev/null; then
	fresh
	rm -f mfa.in
	mkfifo mfa.in
	script -qec "'$IAMDB' credentials --region us-east-1 --profile mfa \
	    >a.out 2>a.err" /dev/null <mfa.in >a.tty 2>&1 &
	a=$!
	exec 3>mfa.in	# held open: A's terminal reads wait, not end
	i=0
	while ! grep -q 'Enter MFA code' a.tty && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	has a.tty "Enter MFA code for $MFA" "A waits at the MFA prompt"
	# The watchdog is far below the lock's own deadline (32 s).
	IAMDB_HTTP_TIMEOUT=10 timeout 25 "$IAMDB" credentials --region \
	    us-east-1 --profile mfa --mfa-code $MFA_CODE >b.out 2>b.err
	ok $? "B, with --mfa-code, is not held up by A's prompt"
	printf '%s\n' $MFA_CODE >&3
	exec 3>&-
	wait $a
	grep -q '"AccessKeyId"' a.out; ok $? "and A goes on once answered"
	cat a.err b.err >>stderr.all
else
	for i in 1 2 3; do ok 0 "# SKIP no script(1) to give iamdb a terminal"; done
fi

# --- waiting: a holder that fails tells its waiters, so that they do not
# each try in turn behind an STS that does not answer
fresh
fake_config "$FAKE_BASE, \"faults\": [{\"service\": \"sts\", \"mode\": \"hang\", \"seconds\": 4}]}"
export IAMDB_HTTP_TIMEOUT=2	# the holder: 3 attempts of 2 s; waiters wait 8 s
"$IAMDB" credentials --profile r --region us-east-1 >hold.out 2>hold.err &
pids=$!
i=0
while [ "$(fault_hits)" -lt 1 ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
i=0
while [ $i -lt 5 ]; do
	"$IAMDB" credentials --profile r --region us-east-1 >wait.$i 2>wait.$i.err &
	pids="$pids $!"
	i=$((i + 1))
done
failed=0
for p in $pids; do
	wait "$p"
	[ $? -eq 5 ] && failed=$((failed + 1))
done
unset IAMDB_HTTP_TIMEOUT
[ $failed -eq 6 ]; ok $? "six processes behind a hanging STS all fail (exit 5)"
[ "$(fault_hits)" -eq 3 ]; ok $? "after the first one's three attempts only"
[ "$(cat wait.[0-4].err | grep -c 'another iamdb process, which held the cache.s lock, just failed so')" -eq 5 ]
ok $? "the five that waited say whose failure they report"
grep -q 'timed out' wait.0.err; ok $? "and what it was"
log_wait sts 3

# --- a lock held too long is given up on
fresh
cred --profile r
lock=$(ls "$DIR"/*.lock)
rm -f "$DIR"/*.json
python3 -c 'import fcntl, sys, time
f = open(sys.argv[1])
fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(60)' "$lock" held &
holder=$!
i=0
while [ ! -e held ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
IAMDB_HTTP_TIMEOUT=1 timeout 60 "$IAMDB" credentials --profile r \
    --region us-east-1 -v >out 2>err
rc=$?
kill $holder
expect_rc 0 "with the lock held elsewhere and never released"
has err "another iamdb process held the lock for 5 s: going on without it" \
    "iamdb goes on without it after its deadline, and -v says so"
[ "$(calls sts)" -eq 2 ]; ok $? "fetching the credentials itself"

# --- the warm path needs neither libcurl nor the network
fresh
run token --profile r --host $HOST --engine postgres --user u
expect_rc 0 "a token for an assumed role, cold cache"
LD_DEBUG=libs "$IAMDB" token --profile r --host $HOST --engine postgres \
    --user u >out 2>ld.err
rc=$?
expect_rc 0 "the same token, warm cache"
grep -q "^$HOST:5432/?.*X-Amz-Security-Token=" out
ok $? "is printed, signed with the role's session"
! grep -q libcurl ld.err; ok $? "without loading libcurl"
[ "$(calls sts)" -eq 1 ]; ok $? "or asking STS"
LD_DEBUG=libs "$IAMDB" token --profile r --host $HOST --engine postgres \
    --user u --no-cache >out 2>ld.err
grep -q libcurl ld.err; ok $? "(with --no-cache it does load libcurl: the check can see it)"
if strace -f -o /dev/null true 2>/dev/null; then
	strace -f -e trace=connect -o trace "$IAMDB" token --profile r \
	    --host $HOST --engine postgres --user u >out 2>/dev/null
	! grep -q 'connect(' trace; ok $? "and makes no connection at all (strace)"
else
	ok 0 "# SKIP strace cannot run here"
fi

# --- lock files that killed writers left behind, with the new entry in
fresh
K=0123456789abcdef0123456789abcdef0123456789abcdef0123456789a
mkdir -p "$DIR"
for t in dead0 00a00 00b00; do
	printf '{"SecretAccessKey":"left"}' >"$DIR/$K$t.json.lock"
	chmod 600 "$DIR/$K$t.json.lock"
done
touch -d '-10 min' "$DIR/${K}dead0.json.lock" "$DIR/${K}00b00.json.lock"
printf 'keep\n' >victim
ln -s "$HOME/victim" "$DIR/${K}00c00.json.lock"
mkdir "$DIR/${K}00d00.json.lock"
touch -h -d '-10 min' "$DIR/${K}00c00.json.lock" "$DIR/${K}00d00.json.lock"
# A live writer's: locked (fcntl, as iamdb's are) by a process that waits.
python3 -c '
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
open(sys.argv[2], "w").close()
time.sleep(120)' "$DIR/${K}00b00.json.lock" held.ready &
holder=$!
n=0
while [ ! -e held.ready ] && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
cred --profile r
expect_rc 0 "credentials fetched and cached beside old temp files"
[ ! -e "$DIR/${K}dead0.json.lock" ]
ok $? "a dead writer's lock file (old, unlocked) is removed"
[ -e "$DIR/${K}00a00.json.lock" ] && [ -e "$DIR/${K}00b00.json.lock" ]
ok $? "a new one, and an old one a live writer holds locked, are kept"
[ -L "$DIR/${K}00c00.json.lock" ] && [ -d "$DIR/${K}00d00.json.lock" ] &&
    [ "$(cat victim)" = keep ]
ok $? "a symlink and a directory of that name are left alone, and so is what the link points to"
[ -z "$(ls "$DIR" | grep -E '^[0-9a-f]{64}\.json\.' | grep -v "^$K")" ]
ok $? "the write itself leaves no lock file behind"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

cat par.*.err wait.*.err hold.err >>stderr.all
clean stderr.all "no run above printed a secret, a session token or an MFA code" \
    "$SRC_SECRET" "$WEB_TOKEN" "$MFA_CODE"

done_testing
