# iamdb's Redis outputs against Debian's redis-server 7 (tests/db/redis.sh:
# TLS only on 127.0.0.1, the default user off) whose ACL user jane has as
# password an ElastiCache token made with a fixed signing time, as
# ElastiCache checks a token against its IAM user: redis-cli logs in with
# what iamdb exec, env and uri give it, and never sees the token in argv
# from exec.
. "$TESTS_DIR/lib.sh"

needs redis-cli openssl python3 /usr/bin/redis-server

DB=$HOME/db
trap 'sh "$TESTS_DIR/db/redis.sh" stop "$DB" >/dev/null 2>&1' EXIT
trap 'exit 1' HUP INT TERM
sh "$TESTS_DIR/db/testca.sh" "$DB" >/dev/null 2>&1
ok $? "a test CA and server certificate"

export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_CONFIG_FILE="$HOME/none" AWS_SHARED_CREDENTIALS_FILE="$HOME/none"
WHEN=2025-01-01T00:00:00Z
# What every command below is asked for: the cache my-cache, user jane.
set -- --engine elasticache --cluster my-cache --user jane \
    --region us-east-1 --signing-time "$WHEN"

run token "$@"
expect_rc 0 "iamdb token --engine elasticache --cluster my-cache --user jane"
tr -d '\n' <out >pw && chmod 600 pw
case $(cat pw) in
my-cache/\?Action=connect\&User=jane\&X-Amz-Algorithm=AWS4-HMAC-SHA256\&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20250101%2Fus-east-1%2Felasticache%2Faws4_request\&X-Amz-Date=20250101T000000Z\&X-Amz-Expires=900\&X-Amz-SignedHeaders=host\&X-Amz-Signature=*)
	ok 0 "the token is an ElastiCache connect URL for my-cache, without http://" ;;
*)	ok 1 "the token is an ElastiCache connect URL for my-cache, without http://" ;;
esac

start_server "redis-server starts, TLS only, jane's password the token" \
    env.sh sh "$TESTS_DIR/db/redis.sh" start "$DB" --user jane \
    --password-file pw
. ./env.sh
set -- "$@" --host "$REDIS_HOST" --port "$REDIS_PORT" \
    --ca-bundle "$REDIS_CACERT"

# --- exec: REDISCLI_AUTH and VALKEYCLI_AUTH, never argv
cat >show.sh <<'EOF'
#!/bin/sh
# The command iamdb exec runs: what it was given, then redis-cli.
printf '%s\n' "$@" >argv.seen
env | grep -E '^(REDISCLI_AUTH|VALKEYCLI_AUTH|IAMDB_[A-Z]*)=' | sort >env.seen
exec redis-cli --no-auth-warning --tls --cacert "$IAMDB_SSLROOTCERT" \
    -h "$IAMDB_HOST" -p "$IAMDB_PORT" --user "$IAMDB_USER" "$@"
EOF
chmod +x show.sh
run exec "$@" -- ./show.sh ACL WHOAMI
[ "$rc" -eq 0 ] && [ "$(cat out)" = jane ] && [ ! -s err ]
ok $? "iamdb exec -- redis-cli: logged in as jane (ACL WHOAMI)"
grep -qxF "REDISCLI_AUTH=$(cat pw)" env.seen &&
    grep -qxF "VALKEYCLI_AUTH=$(cat pw)" env.seen &&
    grep -qxF "IAMDB_HOST=$REDIS_HOST" env.seen &&
    grep -qxF "IAMDB_PORT=$REDIS_PORT" env.seen &&
    grep -qxF "IAMDB_USER=jane" env.seen
ok $? "the command gets the token in REDISCLI_AUTH and VALKEYCLI_AUTH, the endpoint in IAMDB_*"
! grep -qF "$(cat pw)" argv.seen
ok $? "and not in its arguments"
run exec "$@" -- ./show.sh SET greeting hello
run exec "$@" -- ./show.sh GET greeting
[ "$(cat out)" = hello ]
ok $? "jane writes and reads a key"

# The running redis-cli, looked at from /proc.
REDISCLI_AUTH=$(cat pw) redis-cli --no-auth-warning --tls \
    --cacert "$REDIS_CACERT" -h "$REDIS_HOST" -p "$REDIS_PORT" --user jane \
    DEL queue >/dev/null
"$IAMDB" exec "$@" -- redis-cli --no-auth-warning --tls \
    --cacert "$REDIS_CACERT" -h "$REDIS_HOST" -p "$REDIS_PORT" --user jane \
    BLPOP queue 30 >blpop.out 2>blpop.err &
bg=$!
i=0
while [ $i -lt 200 ]; do
	REDISCLI_AUTH=$(cat pw) redis-cli --no-auth-warning --tls \
	    --cacert "$REDIS_CACERT" -h "$REDIS_HOST" -p "$REDIS_PORT" \
	    --user jane CLIENT LIST >clients 2>/dev/null
	grep -q 'cmd=blpop user=jane' clients && break
	sleep 0.1
	i=$((i + 1))
done
[ "$(cat "/proc/$bg/comm" 2>/dev/null)" = redis-cli ] &&
    ! tr '\0' '\n' <"/proc/$bg/cmdline" | grep -qF "$(cat pw)" &&
    tr '\0' '\n' <"/proc/$bg/environ" | grep -qxF "REDISCLI_AUTH=$(cat pw)"
ok $? "iamdb exec becomes redis-cli (no supervisor for Redis): the token in its environment, not its argv"
REDISCLI_AUTH=$(cat pw) redis-cli --no-auth-warning --tls \
    --cacert "$REDIS_CACERT" -h "$REDIS_HOST" -p "$REDIS_PORT" --user jane \
    LPUSH queue item >/dev/null
wait "$bg"
[ "$(sed -n 2p blpop.out)" = item ]
ok $? "and it gets the item pushed"

# A token for another cache, or another user, does not log in.
run exec --engine elasticache --cluster other-cache --user jane \
    --region us-east-1 --signing-time "$WHEN" --host "$REDIS_HOST" \
    --port "$REDIS_PORT" --ca-bundle "$REDIS_CACERT" -- ./show.sh PING
grep -qF WRONGPASS err && [ "$(cat out)" != PONG ]
ok $? "a token for another cache: WRONGPASS"

# --- env
run env "$@"
expect_rc 0 "iamdb env --engine elasticache"
has out "export REDISCLI_AUTH='$(cat pw)';" "env exports REDISCLI_AUTH"
has out "export VALKEYCLI_AUTH='$(cat pw)';" "env exports VALKEYCLI_AUTH"
lacks out PGPASSWORD "env has no PostgreSQL variables for Redis"
(
	eval "$(cat out)"
	redis-cli --no-auth-warning --tls --cacert "$IAMDB_SSLROOTCERT" \
	    -h "$IAMDB_HOST" -p "$IAMDB_PORT" --user "$IAMDB_USER" PING
) >ping.out 2>&1
[ "$(cat ping.out)" = PONG ]
ok $? "eval \"\$(iamdb env ...)\"; redis-cli: PONG"
run env "$@" --format json
[ "$(json_get REDISCLI_AUTH)" = "$(cat pw)" ] &&
    [ "$(json_get IAMDB_USER)" = jane ]
ok $? "env --format json carries the same"

# --- json
run json "$@"
[ "$rc" -eq 0 ] && [ "$(json_get token)" = "$(cat pw)" ] &&
    [ "$(json_get host)" = "$REDIS_HOST" ] &&
    [ "$(json_get port)" = "$REDIS_PORT" ] &&
    [ "$(json_get user)" = jane ] && [ "$(json_get engine)" = elasticache ]
ok $? "json: the token, host, port, user and engine"

# --- uri
run uri "$@"
expect_rc 0 "iamdb uri --engine elasticache"
python3 - "$(cat pw)" "$REDIS_HOST" "$REDIS_PORT" <<'PY'
import sys, urllib.parse
tok, host, port = sys.argv[1:]
u = urllib.parse.urlsplit(open("out").read().strip())
assert u.scheme == "rediss", u
assert urllib.parse.unquote(u.username) == "jane", u
assert urllib.parse.unquote(u.password) == tok, u
assert (u.hostname, u.port) == (host, int(port)), u
assert u.path == "" and u.query == "", u
PY
ok $? "uri: rediss://jane:TOKEN@HOST:PORT, the token percent-encoded"
# On loopback with a throwaway token, the URI may go through argv once to
# show that redis-cli reads it as iamdb writes it.
redis-cli --no-auth-warning --tls --cacert "$REDIS_CACERT" \
    -u "$(cat out)" ACL WHOAMI >whoami 2>&1
[ "$(cat whoami)" = jane ]
ok $? "redis-cli -u with the URI logs in as jane"
run uri "$@" --format libpq
expect_rc 2 "uri --format libpq does not fit elasticache"
run uri "$@" --sslmode disable
[ "$rc" -ne 0 ] && grep -qF 'over TLS only' err
ok $? "uri refuses sslmode disable: IAM users need TLS"

# --- inspect names the service the token is for
run inspect "$(cat pw)"
[ "$rc" -eq 0 ] && grep -qx 'service        elasticache (ElastiCache)' out
ok $? "inspect says an ElastiCache token is ElastiCache's, not RDS's"

# --- what the Redis kinds refuse
run pgpass "$@"
expect_rc 2 "pgpass does not serve elasticache"
run token --engine memorydb --serverless --cluster c --user jane \
    --region us-east-1
[ "$rc" -eq 2 ] && grep -qF 'MemoryDB has no serverless caches' err
ok $? "--serverless with memorydb: usage error"
run token --engine elasticache --user jane --region us-east-1 \
    --host my-group-0001-001.abc123.0001.use1.cache.amazonaws.com
[ "$rc" -eq 2 ] && grep -qF 'give --cluster NAME' err && [ ! -s out ]
ok $? "a node's endpoint: no token, and the message says to give --cluster"
run token --engine elasticache --user jane --region us-east-1 \
    --host master.my-cache.abc123.use1.cache.amazonaws.com \
    --signing-time "$WHEN"
[ "$rc" -eq 0 ] && [ "$(tr -d '\n' <out)" = "$(cat pw)" ]
ok $? "the primary endpoint master.my-cache.ID.use1.cache.amazonaws.com signs for my-cache"

done_testing
