# Sourced by pgbouncer.sh, redis.sh and ../fakes/run.sh: a server's life
# by its pidfile.

# alive PID: running, and not just waiting as a zombie to be reaped.
alive() {
	s=$(sed -n 's/.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$s" ] && [ "$s" != Z ]
}

# stop_pidfile FILE SIGNAL: sends SIGNAL to the process FILE names, waits
# up to 5 s for it to go, then SIGKILL, and removes FILE. Harmless when
# FILE is missing or the process is gone.
stop_pidfile() {
	[ -s "$1" ] || { rm -f "$1"; return 0; }
	pid=$(cat "$1")
	kill "-$2" "$pid" 2>/dev/null || :
	i=0
	while alive "$pid" && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$pid" 2>/dev/null || :
	rm -f "$1"
}
