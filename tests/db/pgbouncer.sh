#!/bin/sh
# pgbouncer.sh start|stop|reload|admin DIR ...: a throwaway pgbouncer
# (Debian's) on 127.0.0.1 in front of a PostgreSQL that takes IAM tokens
# (iamauth.sh), set up the way iamdb's pgbouncer recipe is:
#
#   - one database whose server user is forced: [databases] NAME =
#     host=HOST port=PORT dbname=DBNAME user=SERVER_USER, with no password=,
#     so pgbouncer logs in to the server with SERVER_USER's password from
#     the auth_file, the line `iamdb pgbouncer` keeps ("SERVER_USER" "TOKEN");
#   - server_tls_sslmode = verify-full against the CA given;
#   - clients log in to pgbouncer as another user with its own password
#     (auth_type = scram-sha-256, a SCRAM verifier in the same auth_file),
#     never with the token.
#
#   start DIR --server HOST:PORT [--ca FILE] [--database NAME[=DBNAME]]
#             [--server-user USER] [--client USER]
#       HOST:PORT is the server, as tokens are signed for it (iamauth.sh's
#       DB_ENDPOINT); --ca defaults to DIR/ca.pem (testca.sh's), --database
#       to app=postgres, --server-user to jane, --client to app. State goes
#       in DIR/pgbouncer:
#         pgbouncer.ini  the configuration
#         auth_file      the client's and the admin's SCRAM verifiers; no
#                        line for the server user until the caller writes
#                        one. Mode 0640, group of the user pgbouncer runs
#                        as: a writer that replaces it must keep both.
#         client.pass    the client's password (0600); admin.pass the
#                        admin console's (user admin)
#         pid, port, log pgbouncer's pidfile (SIGHUP it to reload), its
#                        port on 127.0.0.1 and its log
#         env            for sh (also printed on stdout): PGB_HOST, PGB_PORT,
#                        PGB_DATABASE, PGB_USER, PGB_PASSFILE, PGB_AUTH_FILE,
#                        PGB_PIDFILE, PGB_SERVER_USER
#       Gives up after $DB_START_TIMEOUT seconds (20); pgbouncer stops
#       itself after $DB_LIFETIME seconds (300) should nobody call stop.
#   stop DIR      Stops it, at once; harmless if it is not running.
#   reload DIR    SIGHUP, as `iamdb pgbouncer --pidfile` sends it: pgbouncer
#                 rereads the configuration and the auth_file (since 1.17
#                 only then). Returns once it has.
#   admin DIR SQL Runs SQL on the admin console (SHOW SERVERS, RECONNECT).
#
# pgbouncer refuses to run as root: as root it runs as the postgres user
# (its `user` setting), which must reach DIR.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
. "$here/pidfile.sh"

usage() {
	echo "usage: pgbouncer.sh start DIR --server HOST:PORT [--ca FILE]" \
	    "[--database NAME[=DBNAME]] [--server-user USER] [--client USER] |" \
	    "pgbouncer.sh stop|reload DIR | pgbouncer.sh admin DIR SQL" >&2
	exit 2
}

[ $# -ge 2 ] || usage
cmd=$1
dir=$(cd "$2" && pwd) || die "$2: no such directory"
shift 2
st=$dir/pgbouncer

# Nothing from the caller's libpq settings may steer the admin connection.
for v in $(env | sed -n 's/^\(PG[A-Z0-9_]*\)=.*/\1/p'); do
	unset "$v"
done

# A SCRAM-SHA-256 verifier for the password on stdin, as PostgreSQL stores
# it (RFC 5803), so the auth_file holds no client password in the clear.
scram_verifier() {
	python3 -c 'import base64, hashlib, hmac, os, sys
pw = sys.stdin.read().encode()
salt, it = os.urandom(16), 4096
salted = hashlib.pbkdf2_hmac("sha256", pw, salt, it)
ck = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
sk = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
b = lambda x: base64.b64encode(x).decode()
print("SCRAM-SHA-256$%d:%s$%s:%s" % (it, b(salt), b(hashlib.sha256(ck).digest()), b(sk)))'
}

# An auth_file line: both fields quoted, `"` doubled.
auth_line() {
	printf '"%s" "%s"\n' "$(printf '%s' "$1" | sed 's/"/""/g')" \
	    "$(printf '%s' "$2" | sed 's/"/""/g')"
}

new_password() {
	head -c 18 /dev/urandom | base64 | tr '+/' '-_'
}

start() {
	server= ca=$dir/ca.pem database=app=postgres suser=jane client=app
	while [ $# -gt 0 ]; do
		[ $# -ge 2 ] || usage
		case $1 in
		--server)	server=$2 ;;
		--ca)		ca=$2 ;;
		--database)	database=$2 ;;
		--server-user)	suser=$2 ;;
		--client)	client=$2 ;;
		*)		usage ;;
		esac
		shift 2
	done
	shost=${server%:*}
	sport=${server##*:}
	[ -n "$server" ] && [ -n "$shost" ] && [ "$shost" != "$server" ] ||
	    die "--server HOST:PORT is required"
	dbname=${database#*=}
	database=${database%%=*}
	[ -x /usr/sbin/pgbouncer ] ||
	    die "/usr/sbin/pgbouncer is missing: install pgbouncer (make deps)"
	command -v psql >/dev/null 2>&1 ||
	    die "psql is missing: install postgresql-client (make deps)"
	case $ca in /*) ;; *) ca=$(pwd)/$ca ;; esac
	[ -f "$ca" ] || die "$ca is missing: run testca.sh $dir first or give --ca"

	watchdog_cancel "$st"
	stop_server
	rm -rf "$st"
	mkdir -m 711 "$st"
	if [ "$(id -u)" = 0 ]; then
		id postgres >/dev/null 2>&1 ||
		    die "no postgres user: install postgresql (make deps)"
		runuser -u postgres -- test -r "$ca" ||
		    die "$ca is not readable by the postgres user"
		as_user="user = postgres"
		group=$(id -gn postgres)
		chown postgres: "$st"
	else
		as_user=
		group=$(id -gn)
	fi
	(
		umask 077
		printf '%s' "$(new_password)" >"$st/client.pass"
		printf '%s' "$(new_password)" >"$st/admin.pass"
		{
			auth_line "$client" "$(scram_verifier <"$st/client.pass")"
			auth_line admin "$(scram_verifier <"$st/admin.pass")"
		} >"$st/auth_file"
	)
	chgrp "$group" "$st/auth_file"
	chmod 640 "$st/auth_file"

	timeout=${DB_START_TIMEOUT:-20}
	tries=0
	while :; do
		port=$(free_port)
		cat >"$st/pgbouncer.ini" <<INI
; iamdb's tests (tests/db/pgbouncer.sh): clients log in as $client with a
; password of their own; pgbouncer logs in to the server as $suser with
; the password the auth_file holds for $suser (a token).
[databases]
$database = host=$shost port=$sport dbname=$dbname user=$suser

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir = $st
auth_type = scram-sha-256
auth_file = $st/auth_file
admin_users = admin
pidfile = $st/pid
logfile = $st/log
pool_mode = session
server_tls_sslmode = verify-full
server_tls_ca_file = $ca
; A refused server login blocks the pool this long (default 15 s).
server_login_retry = 1
ignore_startup_parameters = extra_float_digits
$as_user
INI
		rm -f "$st/pid"
		: >"$st/log"
		[ -z "$as_user" ] || chown postgres: "$st/log"
		/usr/sbin/pgbouncer -d -q "$st/pgbouncer.ini" </dev/null \
		    >"$st/start.log" 2>&1 || {
			cat "$st/start.log" "$st/log" >&2
			die "pgbouncer did not start"
		}
		# The daemon writes its pidfile once it listens.
		waited=0
		while [ $waited -lt $((timeout * 10)) ] && [ ! -s "$st/pid" ]; do
			grep -q 'Address already in use' "$st/log" && break
			sleep 0.1
			waited=$((waited + 1))
		done
		if [ -s "$st/pid" ] && alive "$(cat "$st/pid")"; then
			break
		fi
		stop_server
		# Another process may have taken the port in between: try
		# another; give up on anything else.
		tries=$((tries + 1))
		if [ $tries -ge 3 ] ||
		    ! grep -q 'Address already in use' "$st/log"; then
			cat "$st/start.log" "$st/log" >&2
			die "pgbouncer did not start (in ${timeout}s at most)"
		fi
	done
	echo "$port" >"$st/port"
	watchdog "$st" stop_server
	cat >"$st/env" <<ENV
PGB_HOST=127.0.0.1
PGB_PORT=$port
PGB_DATABASE=$database
PGB_USER=$client
PGB_PASSFILE=$st/client.pass
PGB_AUTH_FILE=$st/auth_file
PGB_PIDFILE=$st/pid
PGB_SERVER_USER=$suser
ENV
	cat "$st/env"
}

# SIGTERM is pgbouncer's immediate shutdown.
stop_server() {
	stop_pidfile "$st/pid" TERM
}

stop() {
	watchdog_cancel "$st"
	[ -d "$st" ] || return 0
	stop_server
}

# Returns once pgbouncer has reread everything: it logs the signal, then
# reloads before it serves anything else, such as the admin console. Its
# answer, even a refusal (a broken auth_file), comes after the reload.
reload() {
	[ -s "$st/pid" ] || die "$st/pid: pgbouncer is not running"
	n=$(grep -c 'got SIGHUP' "$st/log" || :)
	kill -HUP "$(cat "$st/pid")"
	i=0
	while [ "$(grep -c 'got SIGHUP' "$st/log" || :)" -le "$n" ]; do
		[ $i -lt 100 ] || die "pgbouncer did not reload in 10 s"
		sleep 0.1
		i=$((i + 1))
	done
	admin 'SHOW VERSION' >/dev/null 2>&1 || :
}

admin() {
	PGPASSWORD=$(cat "$st/admin.pass") PGSSLMODE=disable psql -X -A -t \
	    -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(cat "$st/port")" -U admin \
	    -d pgbouncer -c "$1"
}

case $cmd in
start)	start "$@" ;;
stop)	[ $# -eq 0 ] || usage; stop ;;
reload)	[ $# -eq 0 ] || usage; reload ;;
admin)	[ $# -eq 1 ] || usage; admin "$1" ;;
*)	usage ;;
esac
