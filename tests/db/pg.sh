#!/bin/sh
# pg.sh start|stop|sql DIR: a throwaway PostgreSQL (Debian's) for tests.
#
#   start DIR   DIR must hold server.pem and server.key (testca.sh DIR).
#               Makes a cluster in DIR/pg and starts it on 127.0.0.1 at a
#               free port, written to DIR/pg/port; its Unix socket is in
#               DIR/pg. TLS only: the one host line is hostssl with
#               $DB_PG_AUTH (scram-sha-256; "pam pamservice=NAME" for PAM).
#               Gives up after $DB_START_TIMEOUT seconds (20), and the
#               server stops itself after $DB_LIFETIME seconds (300) should
#               nobody call stop.
#   stop DIR    Stops it, at once; harmless if it is not running.
#   sql DIR SQL Runs SQL as the superuser over the Unix socket.
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the
# postgres system user and every server command runs as that user; DIR
# must then be reachable by it.
set -eu

# The newest server installed, as Debian lays them out (15 on Debian 12),
# unless $POSTGRES_BIN names another.
if [ -z "${POSTGRES_BIN:-}" ]; then
	POSTGRES_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null |
	    sort -V | tail -n 1)
	: "${POSTGRES_BIN:=/usr/lib/postgresql/15/bin}"
fi

. "$(dirname "$0")/common.sh"

if [ $# -lt 2 ]; then
	echo "usage: pg.sh start|stop DIR | pg.sh sql DIR SQL" >&2
	exit 2
fi
cmd=$1
dir=$(cd "$2" && pwd) || die "$2: no such directory"
pg=$dir/pg

# Nothing from the caller's libpq settings may steer the admin connection.
for v in $(env | sed -n 's/^\(PG[A-Z0-9_]*\)=.*/\1/p'); do
	unset "$v"
done

if [ "$(id -u)" = 0 ]; then
	as() { runuser -u postgres -- "$@"; }
else
	as() { "$@"; }
fi

start() {
	for b in initdb pg_ctl postgres; do
		[ -x "$POSTGRES_BIN/$b" ] ||
		    die "$POSTGRES_BIN/$b is missing: install postgresql (make deps)"
	done
	for f in server.pem server.key; do
		[ -f "$dir/$f" ] ||
		    die "$dir/$f is missing: run testca.sh $dir first"
	done
	if [ "$(id -u)" = 0 ]; then
		id postgres >/dev/null 2>&1 ||
		    die "no postgres user: install postgresql (make deps)"
		as test -x "$dir" || die "$dir is not reachable by the" \
		    "postgres user: make it and its parents searchable"
	fi
	rm -rf "$pg"
	mkdir -m 700 "$pg"
	cp "$dir/server.pem" "$dir/server.key" "$pg/"
	chmod 600 "$pg/server.key"
	[ "$(id -u)" != 0 ] || chown -R postgres: "$pg"

	as "$POSTGRES_BIN/initdb" -D "$pg/data" -U postgres -A trust -E UTF8 \
	    --locale=C --no-sync >"$pg/initdb.log" 2>&1 ||
	    { cat "$pg/initdb.log" >&2; die "initdb failed"; }
	as sh -c "cat >'$pg/data/pg_hba.conf'" <<HBA
# The superuser over the Unix socket, which only its owner can reach.
local	all	postgres			trust
# Everyone else over TCP with TLS, and only so.
hostssl	all	all		127.0.0.1/32	${DB_PG_AUTH:-scram-sha-256}
HBA
	timeout=${DB_START_TIMEOUT:-20}
	tries=0
	while :; do
		port=$(free_port)
		as sh -c "cat >>'$pg/data/postgresql.conf'" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$pg'
unix_socket_permissions = 0700
ssl = on
ssl_cert_file = '$pg/server.pem'
ssl_key_file = '$pg/server.key'
password_encryption = 'scram-sha-256'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 16MB
max_connections = 20
log_connections = on
CONF
		if as "$POSTGRES_BIN/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w \
		    -t "$timeout" start >"$pg/pg_ctl.log" 2>&1; then
			break
		fi
		as "$POSTGRES_BIN/pg_ctl" -D "$pg/data" -m immediate stop \
		    >/dev/null 2>&1 || :
		# Another process may have taken the port in between: try
		# another; give up on anything else.
		tries=$((tries + 1))
		if [ $tries -ge 3 ] ||
		    ! grep -q 'could not bind' "$pg/server.log" 2>/dev/null; then
			cat "$pg/pg_ctl.log" "$pg/server.log" >&2 2>/dev/null || :
			die "the server did not start (in ${timeout}s at most)"
		fi
	done
	echo "$port" >"$pg/port"
	watchdog "$pg" stop_server
}

stop_server() {
	[ -f "$pg/data/postmaster.pid" ] || return 0
	as "$POSTGRES_BIN/pg_ctl" -D "$pg/data" -m immediate -w -t 10 stop \
	    >/dev/null 2>&1 || :
}

stop() {
	watchdog_cancel "$pg"
	[ -d "$pg" ] || return 0
	stop_server
}

sql() {
	psql=$(command -v psql) ||
	    die "psql is missing: install postgresql-client (make deps)"
	as "$psql" -X -q -v ON_ERROR_STOP=1 -h "$pg" -p "$(cat "$pg/port")" \
	    -U postgres -d postgres -c "$1"
}

case $cmd in
start)	start ;;
stop)	stop ;;
sql)	[ $# -eq 3 ] || die "usage: pg.sh sql DIR SQL"; sql "$3" ;;
*)	echo "usage: pg.sh start|stop DIR | pg.sh sql DIR SQL" >&2; exit 2 ;;
esac
