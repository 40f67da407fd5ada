#!/bin/sh
# iamauth.sh start|stop|sql ENGINE DIR: a throwaway PostgreSQL or MariaDB on
# 127.0.0.1 that takes IAM tokens the way RDS does: TLS only, and every TCP
# login goes through PAM, where pam_exec hands the password to
# `iamdb verify`. ENGINE is postgres or mariadb. Needs root: it writes a
# PAM service into /etc/pam.d.
#
#   start ENGINE DIR [USER ...]
#       Makes the test CA in DIR (testca.sh; kept if DIR has one), starts
#       the server (pg.sh, mariadb.sh) and makes USERs (default: jane),
#       with no password: PAM decides. State goes in DIR/iam-ENGINE:
#         keys        the one key the server accepts, new random static
#                     keys (no session token), 0600, owned by the server's
#                     user (postgres; root for MariaDB, whose PAM helper
#                     runs as root)
#         verify.log  what iamdb verify says, refusals with their reason
#         service     the PAM service, /etc/pam.d/iamdb-test-PID-ENGINE
#         env         the client's side, for sh (also printed on stdout):
#                     AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the
#                     region, IAMDB_CA_BUNDLE, DB_ENDPOINT (HOST:PORT, what
#                     tokens are signed for) and DB_URL (for the first USER)
#       PostgreSQL's endpoint is localhost:PORT: psql verifies the
#       certificate against the host name. MariaDB's is 127.0.0.1:PORT, as
#       MySQL clients take localhost for the Unix socket.
#   stop ENGINE DIR
#       Stops the server and removes the PAM service. A watchdog does the
#       same after $DB_LIFETIME seconds (300) should nobody call stop.
#   sql ENGINE DIR SQL
#       Runs SQL as the superuser over the Unix socket.
#
# iamdb is $IAMDB (default: the one at the top of this tree). It is copied
# into DIR/iam-ENGINE when the server's user cannot run it where it is.
# pam_exec gives the command only the PAM_* variables, so $ASAN_OPTIONS and
# $UBSAN_OPTIONS, when set, are passed on in the PAM line.
#
# Keys are static on purpose: pam_exec passes at most 511 bytes of password
# (PAM_MAX_RESP_SIZE less its NUL) and silently cuts longer ones. Tokens
# signed with static keys are about 300-400 bytes; with a session token,
# commonly over 1000.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
REGION=us-east-1

. "$(dirname "$0")/common.sh"

usage() {
	echo "usage: iamauth.sh start ENGINE DIR [USER ...] |" \
	    "iamauth.sh stop ENGINE DIR | iamauth.sh sql ENGINE DIR SQL" \
	    "(ENGINE: postgres or mariadb)" >&2
	exit 2
}

[ $# -ge 3 ] || usage
cmd=$1
engine=$2
case $engine in
postgres)	db=pg.sh ;;
mariadb)	db=mariadb.sh ;;
*)		usage ;;
esac
dir=$(cd "$3" && pwd) || die "$3: no such directory"
shift 3
state=$dir/iam-$engine

need_root() {
	[ "$(id -u)" = 0 ] || die "must run as root: it writes a PAM service" \
	    "into /etc/pam.d and a keys file only the database server's user" \
	    "may read"
}

# Single-quoted for sh.
quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# ident NAME: NAME as a PostgreSQL identifier; lit TEXT: an SQL string.
ident() { printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')"; }
lit() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }

# A static key pair in AWS's shapes: AKIA and 16 base32 characters; 40
# base64 characters. DB_AKID and DB_SECRET, when set, are taken instead
# (two servers that accept one key).
new_keys() {
	akid=${DB_AKID:-AKIA$(head -c 10 /dev/urandom | base32)}
	secret=${DB_SECRET:-$(head -c 30 /dev/urandom | base64)}
}

# The iamdb the server's user runs: this one where that user can run it,
# else a copy in $state.
server_iamdb() {
	bin=${IAMDB:-$top/iamdb}
	case $bin in
	/*) ;;
	*) bin=$(pwd)/$bin ;;
	esac
	[ -x "$bin" ] || die "$bin is not an executable iamdb: run make"
	case $bin in
	*[[:space:]]*) copy=1 ;;
	*) copy=0 ;;
	esac
	if [ $copy = 0 ] && [ "$engine" = postgres ] &&
	    ! runuser -u postgres -- test -x "$bin"; then
		copy=1
	fi
	if [ $copy = 1 ]; then
		cp "$bin" "$state/iamdb"
		chmod 755 "$state/iamdb"
		bin=$state/iamdb
	fi
	printf '%s\n' "$bin"
}

# The auth line's command: iamdb verify, through env(1) when sanitizer
# options are to be passed on.
verify_command() {
	c=
	for v in ASAN_OPTIONS UBSAN_OPTIONS; do
		eval "val=\${$v:-}"
		case $val in
		'') ;;
		*[[:space:]]*) die "\$$v holds blanks, which PAM cannot pass" ;;
		*) c="$c $v=$val" ;;
		esac
	done
	[ -z "$c" ] || c="/usr/bin/env$c "
	bin=$(server_iamdb) || exit 1
	printf '%s%s verify --keys %s --endpoint %s --region %s\n' "$c" \
	    "$bin" "$state/keys" "$1" "$REGION"
}

remove_service() {
	[ -f "$state/service" ] || return 0
	svc=$(cat "$state/service")
	case $svc in
	iamdb-test-*-"$engine") rm -f "/etc/pam.d/$svc" ;;
	esac
	rm -f "$state/service"
}

start() {
	need_root
	case $dir in
	*[[:space:]]*) die "$dir: PAM splits its arguments at blanks; use a" \
	    "directory without any" ;;
	esac
	pam_exec=
	for f in /lib/*/security/pam_exec.so /usr/lib/*/security/pam_exec.so \
	    /lib/security/pam_exec.so /usr/lib/security/pam_exec.so; do
		[ -f "$f" ] && pam_exec=$f
	done
	[ -n "$pam_exec" ] ||
	    die "pam_exec.so is missing: install libpam-modules (make deps)"
	[ $# -gt 0 ] || set -- jane
	if [ "$engine" = postgres ]; then
		owner=postgres
		id postgres >/dev/null 2>&1 ||
		    die "no postgres user: install postgresql (make deps)"
	else
		owner=root
	fi
	sh "$here/$db" stop "$dir" >/dev/null 2>&1 || :
	remove_service
	rm -rf "$state"
	mkdir -m 711 "$state"
	svc=iamdb-test-$$-$engine
	[ ! -e "/etc/pam.d/$svc" ] || die "/etc/pam.d/$svc exists already"

	[ -f "$dir/ca.pem" ] && [ -f "$dir/server.pem" ] ||
	    sh "$here/testca.sh" "$dir" >&2
	(
		umask 077
		new_keys
		printf '[iamdb-test]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
		    "$akid" "$secret" >"$state/keys"
		: >"$state/verify.log"
		chown "$owner:" "$state/keys" "$state/verify.log"
	)

	if [ "$engine" = postgres ]; then
		DB_PG_AUTH="pam pamservice=$svc" sh "$here/pg.sh" start "$dir" >&2
		host=localhost
		port=$(cat "$dir/pg/port")
	else
		mariadb_pam_tool
		MARIADB_OPTS="--plugin-load-add=auth_pam --pam-use-cleartext-plugin=ON" \
		    sh "$here/mariadb.sh" start "$dir" >&2
		host=127.0.0.1
		port=$(cat "$dir/my/port")
	fi
	echo "$svc" >"$state/service"
	watchdog "$state" remove_service
	verify=$(verify_command "$host:$port")
	# pam_exec runs the command as the server's user (PostgreSQL) or as
	# root (MariaDB's setuid auth_pam_tool), with stdout and stderr
	# appended to the log.
	cat >"/etc/pam.d/$svc" <<PAM
# iamdb's tests: $engine on $host:$port takes IAM tokens (tests/db/iamauth.sh
# made this; iamauth.sh stop $engine $dir removes it).
auth	required	pam_exec.so expose_authtok quiet log=$state/verify.log $verify
account	required	pam_permit.so
PAM

	first=$1
	for u in "$@"; do
		if [ "$engine" = postgres ]; then
			sql "CREATE ROLE $(ident "$u") LOGIN"
		else
			# As RDS has IAM accounts: TLS required.
			sql "CREATE USER $(lit "$u")@'%' IDENTIFIED VIA pam
			    USING $(lit "$svc") REQUIRE SSL"
		fi
	done

	enc=$(python3 -c 'import sys, urllib.parse
print(urllib.parse.quote(sys.argv[1], safe=""))' "$first")
	if [ "$engine" = postgres ]; then
		url=postgres://$enc@$host:$port/postgres
	else
		url=mariadb://$enc@$host:$port
	fi
	akid=$(sed -n 's/^aws_access_key_id = //p' "$state/keys")
	secret=$(sed -n 's/^aws_secret_access_key = //p' "$state/keys")
	(
		umask 077
		cat >"$state/env" <<ENV
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_DEFAULT_REGION
AWS_ACCESS_KEY_ID=$(quote "$akid")
AWS_SECRET_ACCESS_KEY=$(quote "$secret")
AWS_REGION=$REGION
IAMDB_CA_BUNDLE=$(quote "$dir/ca.pem")
DB_ENDPOINT=$host:$port
DB_URL=$(quote "$url")
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION IAMDB_CA_BUNDLE
ENV
	)
	cat "$state/env"
}

# auth_pam v2 authenticates in a helper, auth_pam_tool: setuid root in a
# directory only the server's user may enter when the server runs as mysql
# (Debian's postinst: chmod 0700 the directory, chmod 04755 the tool, chown
# mysql the directory). Here the server runs as root and needs neither.
mariadb_pam_tool() {
	plugin=$(/usr/sbin/mariadbd --no-defaults --help --verbose 2>/dev/null |
	    sed -n 's/^plugin-dir[[:space:]]*//p')
	: "${plugin:=/usr/lib/mysql/plugin}"
	[ -f "$plugin/auth_pam.so" ] &&
	    [ -x "$plugin/auth_pam_tool_dir/auth_pam_tool" ] ||
	    die "$plugin/auth_pam.so or auth_pam_tool_dir/auth_pam_tool is" \
	    "missing: install mariadb-server (make deps)"
}

stop() {
	watchdog_cancel "$state"
	sh "$here/$db" stop "$dir"
	[ ! -f "$state/service" ] || need_root
	remove_service
}

sql() {
	sh "$here/$db" sql "$dir" "$1" >/dev/null
}

case $cmd in
start)	start "$@" ;;
stop)	[ $# -eq 0 ] || usage; stop ;;
sql)	[ $# -eq 1 ] || usage; sh "$here/$db" sql "$dir" "$1" ;;
*)	usage ;;
esac
