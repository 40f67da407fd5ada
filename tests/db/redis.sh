#!/bin/sh
# redis.sh start|stop|password DIR ...: a throwaway Redis (Debian's
# redis-server 7) on 127.0.0.1, TLS only, with one ACL user whose password
# the caller gives, as ElastiCache's IAM users take a token as password.
#
#   start DIR [--user USER] [--password-file FILE]
#       DIR must hold ca.pem, server.pem and server.key (testca.sh DIR).
#       Listens with TLS only (no plain TCP port) at a free port on
#       127.0.0.1; clients need not present a certificate. USER (default
#       jane) gets every command on every key, with the password read from
#       FILE (default: a new random one, kept in DIR/redis/password). The
#       default user is off. State goes in DIR/redis:
#         users.acl    the ACL file: passwords only as SHA-256 (#...)
#         admin.pass   the password of user admin, which may only run ACL
#                      commands and PING, over the Unix socket DIR/redis/sock
#         port, pid, log
#         env          for sh (also printed on stdout): REDIS_HOST,
#                      REDIS_PORT, REDIS_USER, REDIS_CACERT (the test CA)
#       Gives up after $DB_START_TIMEOUT seconds (20); the server stops
#       itself after $DB_LIFETIME seconds (300) should nobody call stop.
#   stop DIR    Stops it, at once; harmless if it is not running.
#   password DIR FILE [USER]
#       USER's password is now FILE's contents (ACL SETUSER, then ACL
#       SAVE); connections already authenticated stay so, as with
#       ElastiCache when a token expires.
#
# Passwords never reach argv: redis-cli gets them through REDISCLI_AUTH,
# and the ACL file holds their SHA-256 only.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
. "$here/pidfile.sh"

usage() {
	echo "usage: redis.sh start DIR [--user USER] [--password-file FILE] |" \
	    "redis.sh stop DIR | redis.sh password DIR FILE [USER]" >&2
	exit 2
}

[ $# -ge 2 ] || usage
cmd=$1
dir=$(cd "$2" && pwd) || die "$2: no such directory"
shift 2
st=$dir/redis

unset REDISCLI_AUTH REDISCLI_HISTFILE REDISCLI_RCFILE

# The SHA-256 of FILE's bytes, as the ACL file's #HEX password.
sha256_of() {
	sha256sum <"$1" | cut -d ' ' -f 1
}

# The ACL file: USER with the password in FILE, admin with its own, the
# default user off. Replaced whole, as ACL LOAD reads it whole.
write_acl() {	# write_acl USER FILE
	case $1 in
	''|*[!A-Za-z0-9_.@:-]*) die "$1: not a user name this script takes" ;;
	esac
	[ "$1" != admin ] && [ "$1" != default ] || die "$1: reserved here"
	umask 077
	cat >"$st/users.acl.new" <<ACL
user default off
user admin on #$(sha256_of "$st/admin.pass") resetchannels -@all +acl +ping
user $1 on #$(sha256_of "$2") ~* &* +@all
ACL
	mv "$st/users.acl.new" "$st/users.acl"
}

admin() {	# admin COMMAND...: over the Unix socket, as admin
	REDISCLI_AUTH=$(cat "$st/admin.pass") redis-cli --no-auth-warning \
	    -s "$st/sock" --user admin "$@"
}

start() {
	user=jane pwfile=
	while [ $# -gt 0 ]; do
		[ $# -ge 2 ] || usage
		case $1 in
		--user)		user=$2 ;;
		--password-file) pwfile=$2 ;;
		*)		usage ;;
		esac
		shift 2
	done
	[ -x /usr/bin/redis-server ] ||
	    die "/usr/bin/redis-server is missing: install redis-server (make deps)"
	command -v redis-cli >/dev/null 2>&1 ||
	    die "redis-cli is missing: install redis-tools (make deps)"
	for f in ca.pem server.pem server.key; do
		[ -f "$dir/$f" ] || die "$dir/$f is missing: run testca.sh $dir first"
	done
	[ -z "$pwfile" ] || [ -r "$pwfile" ] || die "$pwfile: cannot read it"

	watchdog_cancel "$st"
	stop_server
	rm -rf "$st"
	mkdir -m 700 "$st"
	(
		umask 077
		head -c 24 /dev/urandom | base64 | tr -d '\n' >"$st/admin.pass"
		if [ -z "$pwfile" ]; then
			pwfile=$st/password
			head -c 24 /dev/urandom | base64 | tr -d '\n' >"$pwfile"
		fi
		write_acl "$user" "$pwfile"
	)

	timeout=${DB_START_TIMEOUT:-20}
	tries=0
	while :; do
		port=$(free_port)
		cat >"$st/redis.conf" <<CONF
# iamdb's tests (tests/db/redis.sh): TLS only, on loopback.
bind 127.0.0.1
port 0
tls-port $port
tls-cert-file $dir/server.pem
tls-key-file $dir/server.key
tls-ca-cert-file $dir/ca.pem
tls-auth-clients no
unixsocket $st/sock
unixsocketperm 700
aclfile $st/users.acl
dir $st
save ""
appendonly no
daemonize no
supervised no
logfile $st/log
protected-mode yes
CONF
		: >"$st/log"
		/usr/bin/redis-server "$st/redis.conf" </dev/null >/dev/null 2>&1 &
		pid=$!
		echo "$pid" >"$st/pid"
		waited=0
		while [ $waited -lt $((timeout * 10)) ]; do
			if [ "$(admin PING 2>/dev/null)" = PONG ]; then
				echo "$port" >"$st/port"
				watchdog "$st" stop_server
				cat >"$st/env" <<ENV
REDIS_HOST=127.0.0.1
REDIS_PORT=$port
REDIS_USER=$user
REDIS_CACERT=$dir/ca.pem
ENV
				cat "$st/env"
				return 0
			fi
			alive "$pid" || break
			sleep 0.1
			waited=$((waited + 1))
		done
		stop_server
		# Another process may have taken the port in between: try
		# another; give up on anything else.
		tries=$((tries + 1))
		if [ $tries -ge 3 ] ||
		    ! grep -q 'Address already in use' "$st/log"; then
			cat "$st/log" >&2
			die "the server did not start (in ${timeout}s at most)"
		fi
	done
}

# Data are thrown away, so nothing needs a clean shutdown.
stop_server() {
	stop_pidfile "$st/pid" KILL
}

stop() {
	watchdog_cancel "$st"
	stop_server
}

# ACL SETUSER rather than ACL LOAD, which would disconnect USER's clients;
# the hash alone goes through the admin client's argv.
password() {	# password FILE [USER]
	[ -r "$1" ] || die "$1: cannot read it"
	u=${2:-$(sed -n 's/^REDIS_USER=//p' "$st/env")}
	[ "$(admin ACL SETUSER "$u" resetpass "#$(sha256_of "$1")")" = OK ] &&
	    [ "$(admin ACL SAVE)" = OK ] || die "ACL SETUSER $u failed"
}

case $cmd in
start)		start "$@" ;;
stop)		[ $# -eq 0 ] || usage; stop ;;
password)	[ $# -ge 1 ] && [ $# -le 2 ] || usage; password "$@" ;;
*)		usage ;;
esac
