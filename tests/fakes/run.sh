#!/bin/sh
# run.sh start DIR FAKE [ARG ...] | run.sh stop DIR: one of the stdlib
# fakes here (fake_lambda.py, fake_secrets.py, fake_k8s.py,
# tcp_forward.py, ...) in the background with its state in DIR.
#
#   start  Runs python3 FAKE --state DIR --lifetime $FAKE_LIFETIME (120)
#          ARG ..., its output in DIR/stderr and its pid in DIR/pid, and
#          prints its port once DIR/port exists (10 s at most). The fake
#          exits by itself after its lifetime or once DIR is gone.
#   stop   Stops it; harmless if it is not running.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../db/common.sh"
. "$here/../db/pidfile.sh"

usage() {
	echo "usage: run.sh start DIR FAKE [ARG ...] | run.sh stop DIR" >&2
	exit 2
}

[ $# -ge 2 ] || usage
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
shift 2

case $cmd in
start)
	[ $# -ge 1 ] || usage
	fake=$1
	shift
	case $fake in */*) ;; *) fake=$here/$fake ;; esac
	stop_pidfile "$dir/pid" TERM
	rm -f "$dir/port"
	python3 "$fake" --state "$dir" --lifetime "${FAKE_LIFETIME:-120}" "$@" \
	    </dev/null >"$dir/stderr" 2>&1 &
	echo $! >"$dir/pid"
	i=0
	while [ ! -s "$dir/port" ]; do
		if [ $i -ge 100 ] || ! alive "$(cat "$dir/pid")"; then
			cat "$dir/stderr" >&2
			die "${fake##*/} did not start"
		fi
		sleep 0.1
		i=$((i + 1))
	done
	cat "$dir/port"
	;;
stop)
	[ $# -eq 0 ] || usage
	stop_pidfile "$dir/pid" TERM
	;;
*)
	usage
	;;
esac
