# The Redis harness (tests/db/redis.sh) with Debian's redis-server 7 and
# redis-cli: TLS only on 127.0.0.1, an ACL user whose password comes from
# a file (as an ElastiCache IAM user's is a token), the default user off.
# The password reaches redis-cli only through REDISCLI_AUTH, never argv.
# What redis-cli does and does not check is pinned here too.
. "$TESTS_DIR/lib.sh"

needs redis-cli openssl python3 /usr/bin/redis-server

DB=$HOME/db
OTHER=$HOME/other
trap 'sh "$TESTS_DIR/db/redis.sh" stop "$DB" >/dev/null 2>&1
    sh "$TESTS_DIR/db/redis.sh" stop "$OTHER" >/dev/null 2>&1' EXIT
trap 'exit 1' HUP INT TERM
sh "$TESTS_DIR/db/testca.sh" "$DB" && sh "$TESTS_DIR/db/testca.sh" "$OTHER" \
    DNS:elsewhere.example
ok $? "test CAs, one with a server certificate for another name"

# A password shaped like a token: & = % / + and 300-odd bytes.
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_CONFIG_FILE="$HOME/none" AWS_SHARED_CREDENTIALS_FILE="$HOME/none"
"$IAMDB" token --host my-cache --port 6379 --user jane --region us-east-1 \
    --signing-time 2025-01-01T00:00:00Z >pw.raw &&
    tr -d '\n' <pw.raw >pw && rm pw.raw && chmod 600 pw
ok $? "a token-shaped password in a file"

start_server "redis-server starts, TLS only, jane's password from the file" \
    env.sh sh "$TESTS_DIR/db/redis.sh" start "$DB" --password-file pw
. ./env.sh

cli() {		# cli PASSWORD [OPTION ...] COMMAND...: redis-cli as jane over TLS
	p=$1
	shift
	REDISCLI_AUTH=$p redis-cli --no-auth-warning --tls \
	    --cacert "$REDIS_CACERT" -h "$REDIS_HOST" -p "$REDIS_PORT" \
	    --user "$REDIS_USER" "$@" >out 2>err
	rc=$?
}

! grep -qF "$(cat pw)" "$DB/redis/users.acl" "$DB/redis/redis.conf" &&
    grep -qx 'user default off' "$DB/redis/users.acl" &&
    grep -qx 'port 0' "$DB/redis/redis.conf"
ok $? "the ACL file holds the password's SHA-256 only, the default user is off, no plain TCP port"

cli "$(cat pw)" PING
[ "$rc" -eq 0 ] && [ "$(cat out)" = PONG ]
ok $? "redis-cli --tls --user jane with REDISCLI_AUTH: PING answers PONG"
cli "$(cat pw)" ACL WHOAMI
[ "$(cat out)" = jane ]
ok $? "the connection is jane's"

# redis-cli reports a failed AUTH on stderr, runs the command anyway, and
# exits 0: callers must read the answer, not the exit status.
cli wrong-password PING
[ "$rc" -eq 0 ] && grep -qF 'AUTH failed: WRONGPASS' err &&
    grep -qF 'NOAUTH Authentication required' out
ok $? "a wrong password: WRONGPASS, then NOAUTH for the command (and redis-cli exits 0)"
REDISCLI_AUTH=$(cat pw) redis-cli --no-auth-warning -h 127.0.0.1 \
    -p "$REDIS_PORT" --user jane PING >out 2>err
[ "$(cat out)" != PONG ]
ok $? "without TLS the server answers nothing"
cli "$(cat pw)" --cacert "$OTHER/ca.pem" PING
grep -qF 'certificate verify failed' err && [ "$(cat out)" != PONG ]
ok $? "a server certificate from another CA is refused"

# --- no password in argv: a redis-cli that waits, looked at from /proc
REDISCLI_AUTH=$(cat pw) redis-cli --no-auth-warning --tls \
    --cacert "$REDIS_CACERT" -h "$REDIS_HOST" -p "$REDIS_PORT" \
    --user jane BLPOP queue 30 >blpop.out 2>blpop.err &
bg=$!
# Until the server has it blocked, authenticated as jane.
i=0
while [ $i -lt 100 ]; do
	cli "$(cat pw)" CLIENT LIST
	grep -q 'cmd=blpop user=jane' out && break
	sleep 0.1
	i=$((i + 1))
done
pid=$bg
[ "$(cat "/proc/$pid/comm")" = redis-cli ] && grep -q 'cmd=blpop user=jane' out &&
    ! tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qF "$(cat pw)" &&
    tr '\0' '\n' <"/proc/$pid/environ" | grep -qxF "REDISCLI_AUTH=$(cat pw)"
ok $? "the running redis-cli has the password in its environment, not in its argv"

# --- a new password: new connections need it, the old connection lives on
head -c 4096 /dev/urandom | base64 -w 0 | head -c 4096 >pw2
sh "$TESTS_DIR/db/redis.sh" password "$DB" pw2 >/dev/null 2>&1
ok $? "jane's password changes to a 4096-byte one"
REDISCLI_AUTH=$(cat pw2) redis-cli --no-auth-warning --tls \
    --cacert "$REDIS_CACERT" -h "$REDIS_HOST" -p "$REDIS_PORT" \
    --user jane LPUSH queue item >push.out 2>&1
wait "$bg"
[ "$(cat push.out)" = 1 ] && [ "$(sed -n 2p blpop.out)" = item ]
ok $? "the 4096-byte password logs in, and the connection made before the change still works"
cli "$(cat pw)" PING
grep -qF WRONGPASS err
ok $? "the old password no longer logs in"

# --- what redis-cli does not check: the server's name
start_server "a second redis-server with a certificate for elsewhere.example" \
    other.sh sh "$TESTS_DIR/db/redis.sh" start "$OTHER"
(
	. ./other.sh
	REDISCLI_AUTH=$(cat "$OTHER/redis/password") redis-cli --no-auth-warning \
	    --tls --cacert "$REDIS_CACERT" -h 127.0.0.1 -p "$REDIS_PORT" \
	    --user jane PING
) >out 2>err
[ "$(cat out)" = PONG ]
ok $? "redis-cli 7 checks the chain but not the host name: elsewhere.example passes for 127.0.0.1"

sh "$TESTS_DIR/db/redis.sh" stop "$DB" && [ ! -e "$DB/redis/pid" ] &&
    [ ! -e "$DB/redis/watchdog.pid" ]
ok $? "stop stops the server and its watchdog"

done_testing
