#!/bin/sh
# mariadb.sh start|stop|sql DIR: a throwaway MariaDB (Debian's) for tests.
#
#   start DIR   DIR must hold ca.pem, server.pem and server.key
#               (testca.sh DIR). Makes a data directory in DIR/my and starts
#               mariadbd on 127.0.0.1 at a free port, written to
#               DIR/my/port; its socket is DIR/my/mysqld.sock. TCP clients
#               must use TLS (require_secure_transport). Reads no option
#               file; $MARIADB_OPTS adds server options (split at blanks).
#               Gives up after $DB_START_TIMEOUT seconds (20), and the
#               server stops itself after $DB_LIFETIME seconds (300) should
#               nobody call stop.
#   stop DIR    Stops it, at once; harmless if it is not running.
#   sql DIR SQL Runs SQL as root over the socket.
set -eu

. "$(dirname "$0")/common.sh"

if [ $# -lt 2 ]; then
	echo "usage: mariadb.sh start|stop DIR | mariadb.sh sql DIR SQL" >&2
	exit 2
fi
cmd=$1
dir=$(cd "$2" && pwd) || die "$2: no such directory"
my=$dir/my

# The client and server read these; none may steer the admin connection.
unset MYSQL_HOST MYSQL_TCP_PORT MYSQL_PWD MYSQL_HOME MARIADB_HOME \
    MYSQL_UNIX_PORT LIBMYSQL_ENABLE_CLEARTEXT_PLUGIN

need() {
	command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] ||
	    die "$1 is missing: install $2 (make deps)"
}

# mariadbd refuses to run as root unless told to.
if [ "$(id -u)" = 0 ]; then
	as_user=--user=root
else
	as_user=
fi

start() {
	need /usr/sbin/mariadbd mariadb-server
	need mariadb-install-db mariadb-server
	need mariadb-admin mariadb-client
	need mariadb mariadb-client
	for f in ca.pem server.pem server.key; do
		[ -f "$dir/$f" ] || die "$dir/$f is missing: run testca.sh $dir first"
	done
	rm -rf "$my"
	mkdir -m 700 "$my"
	# --no-defaults: neither /etc/mysql nor ~/.my.cnf takes part.
	mariadb-install-db --no-defaults $as_user --datadir="$my/data" \
	    --auth-root-authentication-method=normal --skip-test-db \
	    --skip-name-resolve --innodb-log-file-size=4M \
	    --innodb-buffer-pool-size=16M >"$my/install.log" 2>&1 ||
	    { cat "$my/install.log" >&2; die "mariadb-install-db failed"; }

	timeout=${DB_START_TIMEOUT:-20}
	tries=0
	while :; do
		port=$(free_port)
		/usr/sbin/mariadbd --no-defaults $as_user --datadir="$my/data" \
		    --socket="$my/mysqld.sock" --pid-file="$my/mysqld.pid" \
		    --log-error="$my/server.log" --port="$port" \
		    --bind-address=127.0.0.1 --skip-name-resolve \
		    --ssl-ca="$dir/ca.pem" --ssl-cert="$dir/server.pem" \
		    --ssl-key="$dir/server.key" --require-secure-transport=ON \
		    --innodb-buffer-pool-size=16M --innodb-log-file-size=4M \
		    --skip-log-bin --innodb-flush-log-at-trx-commit=0 \
		    ${MARIADB_OPTS:-} </dev/null >/dev/null 2>&1 &
		pid=$!
		echo "$pid" >"$my/pid"
		waited=0
		while [ $waited -lt $((timeout * 10)) ]; do
			if mariadb-admin --no-defaults -S "$my/mysqld.sock" \
			    -u root ping >/dev/null 2>&1; then
				echo "$port" >"$my/port"
				watchdog "$my" stop_server
				only_socket_root
				return 0
			fi
			alive "$pid" || break
			sleep 0.1
			waited=$((waited + 1))
		done
		kill -9 "$pid" 2>/dev/null || :
		wait "$pid" 2>/dev/null || :
		# Another process may have taken the port in between: try
		# another; give up on anything else.
		tries=$((tries + 1))
		if [ $tries -ge 3 ] ||
		    ! grep -q 'Address already in use' "$my/server.log"; then
			cat "$my/server.log" >&2 2>/dev/null || :
			die "the server did not start (in ${timeout}s at most)"
		fi
		rm -f "$my/server.log"
	done
}

# mariadb-install-db also makes root@127.0.0.1 and others without a
# password; only root over the socket, which only its owner can reach, stays.
only_socket_root() {
	drop=$(sql "SELECT CONCAT('DROP USER ', QUOTE(user), '@', QUOTE(host),
	    ';') FROM mysql.user WHERE user = '' OR
	    (user = 'root' AND host <> 'localhost')" -N)
	[ -z "$drop" ] || sql "$drop"
}

# Running, and not just waiting as a zombie for init to reap it.
alive() {
	st=$(sed -n 's/.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

# Data are thrown away, so nothing needs a clean shutdown.
stop_server() {
	[ -f "$my/pid" ] || return 0
	pid=$(cat "$my/pid")
	kill -9 "$pid" 2>/dev/null || :
	i=0
	while alive "$pid" && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	rm -f "$my/pid"
}

stop() {
	watchdog_cancel "$my"
	stop_server
}

sql() {	# sql SQL [CLIENT-OPTION ...]
	q=$1
	shift
	mariadb --no-defaults -S "$my/mysqld.sock" -u root -B "$@" -e "$q"
}

case $cmd in
start)	start ;;
stop)	stop ;;
sql)	[ $# -eq 3 ] || die "usage: mariadb.sh sql DIR SQL"; sql "$3" ;;
*)	echo "usage: mariadb.sh start|stop DIR | mariadb.sh sql DIR SQL" >&2
	exit 2 ;;
esac
