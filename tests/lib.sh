# TAP helpers for CLI tests. Sourced; each test runs in a fresh temporary
# HOME (tests/run sets it) with EC2 metadata disabled.
n=0
nfail=0

ok() {	# ok CONDITION-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		nfail=$((nfail + 1))
		echo "not ok $n - $2"
		[ -f out ] && sed 's/^/#   stdout: /' out | head -n 5
		[ -f err ] && sed 's/^/#   stderr: /' err | head -n 10
	fi
}

# run ARGS...: runs iamdb, leaving stdout in ./out, stderr in ./err and the
# exit status in $rc.
run() {
	"$IAMDB" "$@" >out 2>err
	rc=$?
}

expect_rc() {	# expect_rc WANT DESCRIPTION
	[ "$rc" -eq "$1" ]
	ok $? "$2 (exit $1, got $rc)"
}

has() {		# has FILE STRING DESCRIPTION
	grep -qF -- "$2" "$1"
	ok $? "$3"
}

lacks() {	# lacks FILE STRING DESCRIPTION
	! grep -qF -- "$2" "$1"
	ok $? "$3"
}

done_testing() {
	echo "1..$n"
	[ "$nfail" -eq 0 ]
}

# --- the loopback fake of AWS's endpoints (tests/fakes/fake_aws.py)
# fake_start: starts it with state in $HOME/fake and sets $FAKE (its
# http://127.0.0.1:PORT URL). fake_config JSON: replaces its configuration.
# fake_count SERVICE [ACTION], requests SERVICE: requests it has logged.
# It is stopped when the test ends (trap), and stops itself after 120 s
# regardless.
fake_start() {
	FAKE_DIR="$HOME/fake"
	mkdir -p "$FAKE_DIR"
	rm -f "$FAKE_DIR/port"
	python3 "$TESTS_DIR/fakes/fake_aws.py" --state "$FAKE_DIR" \
	    --lifetime 120 >"$FAKE_DIR/stderr" 2>&1 &
	FAKE_PID=$!
	trap fake_stop EXIT
	i=0
	while [ ! -s "$FAKE_DIR/port" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	FAKE="http://127.0.0.1:$(cat "$FAKE_DIR/port")"
}

fake_stop() {
	[ -n "${FAKE_PID:-}" ] && kill "$FAKE_PID" 2>/dev/null
	wait "$FAKE_PID" 2>/dev/null
	FAKE_PID=
}

fake_config() {
	printf '%s\n' "$1" >"$FAKE_DIR/config.json.tmp" &&
	    mv "$FAKE_DIR/config.json.tmp" "$FAKE_DIR/config.json"
}

# requests SERVICE: how many requests to SERVICE the fake answered (or
# dropped); the fake logs each before it answers.
requests() {
	grep '"method":' "$FAKE_DIR/requests.log" 2>/dev/null |
	    grep -c "\"service\":\"$1\""
}

# reset CONFIG: a fresh fake configuration, fault counts and log.
reset() {
	rm -f "$FAKE_DIR/faults.state"
	: >"$FAKE_DIR/requests.log"
	fake_config "$1"
}

# --- small tools
# ca_pem FILE: a CA bundle that parses, for tests that hand one out but
# connect to nothing.
ca_pem() {
	mkdir -p "$(dirname "$1")" && cp "$TESTS_DIR/data/ca.pem" "$1"
}

pct() {		# pct STRING: every byte but unreserved ones percent-encoded
	printf '%s' "$1" | python3 -c 'import sys, urllib.parse
print(urllib.parse.quote(sys.stdin.read(), safe=""))'
}

json_get() {	# json_get FIELD: the field of ./out, exactly
	python3 -c 'import json, sys
v = json.load(open("out")).get(sys.argv[1])
sys.stdout.write(v if isinstance(v, str) else json.dumps(v))' "$1"
}

now_ms() {
	date +%s%3N
}

timed() {	# timed ARGS...: run, with the wall time in $ms
	t0=$(now_ms)
	run "$@"
	ms=$(($(now_ms) - t0))
}

# --- what a test cannot do everywhere
# skip_all WHY: the whole script cannot run here; tests/run reports it as
# skipped (and IAMDB_NO_SKIP=1, as in CI, as failed).
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# skip DESCRIPTION WHY: one check that cannot run here.
skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

# needs COMMAND...: tools that make deps installs.
needs() {
	for c; do
		command -v "$c" >/dev/null 2>&1 && continue
		skip_all "$c is not installed (make deps installs it)"
	done
}

needs_root() {	# needs_root WHY
	[ "$(id -u)" = 0 ] && return 0
	skip_all "needs root: $1"
}

# start_server DESCRIPTION OUT COMMAND...: runs COMMAND (stdout to OUT,
# stderr to ./err) as one check that names how long it took; the test
# ends there when it fails. The caller's trap stops the server.
start_server() {
	desc=$1
	to=$2
	shift 2
	started=$(date +%s)
	"$@" >"$to" 2>err
	rc=$?
	ok $rc "$desc, in $(( $(date +%s) - started ))s"
	if [ $rc -ne 0 ]; then
		done_testing
		exit 1
	fi
}

# pam_refused SERVER_MESSAGE REASON DESCRIPTION: the server refused the
# login with SERVER_MESSAGE, and iamdb verify's log ($LOG) gives REASON.
pam_refused() {
	[ "$rc" -ne 0 ] && grep -qF -- "$1" err &&
	    grep -qF -- "iamdb verify: refused: $2" "$LOG"
	ok $? "$3"
	[ "$rc" -ne 0 ] || return 0
	sed 's/^/#   server: /' err | head -n 2
	grep refused "$LOG" | sed 's/^/#   pam_exec log: /'
}
