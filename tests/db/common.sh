# Shared by the server scripts here; sourced after `set -eu`.

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# watchdog DIR CLEANUP: runs the function CLEANUP after $DB_LIFETIME
# seconds (300), in case the caller is killed before its trap can;
# watchdog_cancel DIR calls it off.
watchdog() {
	(
		trap 'kill $s 2>/dev/null; exit 0' TERM
		sleep "${DB_LIFETIME:-300}" &
		s=$!
		wait $s
		"$2"
	) </dev/null >/dev/null 2>&1 &
	echo $! >"$1/watchdog.pid"
}

watchdog_cancel() {
	[ -f "$1/watchdog.pid" ] || return 0
	kill "$(cat "$1/watchdog.pid")" 2>/dev/null || :
	rm -f "$1/watchdog.pid"
}
