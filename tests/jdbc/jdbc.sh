#!/bin/sh
# jdbc.sh build|run DIR: JdbcProbe.java, compiled at test time, with
# Debian's JDBC drivers (libmariadb-java: MariaDB Connector/J 2.7;
# libpostgresql-jdbc-java: pgjdbc 42.5) on its class path.
#
#   build DIR   Compiles JdbcProbe into DIR/jdbc (javac, from a JDK).
#   run DIR     Runs it: the URL and NAME=VALUE properties on standard
#               input, as JdbcProbe.java says. user.home is $HOME, so
#               neither driver reads the invoking user's ~/.pgpass or
#               ~/.postgresql.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../db/common.sh"

JARS=/usr/share/java/mariadb-java-client.jar:/usr/share/java/postgresql.jar

[ $# -eq 2 ] || { echo "usage: jdbc.sh build|run DIR" >&2; exit 2; }
dir=$(cd "$2" && pwd) || die "$2: no such directory"

case $1 in
build)
	command -v javac >/dev/null 2>&1 ||
	    die "javac is missing: install default-jdk-headless (make deps)"
	for j in $(echo "$JARS" | tr ':' ' '); do
		[ -f "$j" ] || die "$j is missing: install libmariadb-java and" \
		    "libpostgresql-jdbc-java (make deps)"
	done
	mkdir -p "$dir/jdbc"
	javac -nowarn -d "$dir/jdbc" "$here/JdbcProbe.java"
	;;
run)
	[ -f "$dir/jdbc/JdbcProbe.class" ] || die "run jdbc.sh build $dir first"
	exec java -Duser.home="${HOME:-$dir}" -cp "$dir/jdbc:$JARS" JdbcProbe
	;;
*)
	echo "usage: jdbc.sh build|run DIR" >&2
	exit 2
	;;
esac
