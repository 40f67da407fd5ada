# The summon harness (tests/harness/summon_harness.py) with trivial
# providers: stream mode as summon >= 0.10 speaks it, the per-secret
# argv[1] mode it falls back to, and each way a provider makes summon fall
# back, so that iamdb summon can be held to exactly this.
. "$TESTS_DIR/lib.sh"

needs python3 base64
H=$TESTS_DIR/harness/summon_harness.py

# A provider whose secret for ID is "value of ID"; $PROVIDER_MODE picks
# how it misbehaves. It records each run in ./runs.
cat >provider <<'SH'
#!/bin/sh
echo "run $# $*" >>"$HOME/runs"
if [ $# -gt 0 ]; then
	case ${PROVIDER_MODE:-} in
	fail)	echo "no such secret: $1" >&2; exit 1 ;;
	together)
		# Waits until three runs have started: summon runs them at once.
		i=0
		while [ "$(grep -c '^run 1 ' "$HOME/runs")" -lt 3 ] && [ $i -lt 100 ]; do
			sleep 0.1; i=$((i + 1))
		done
		[ $i -lt 100 ] && echo together || echo alone
		exit 0 ;;
	esac
	printf '  value of %s  \n\n' "$1"
	exit 0
fi
case ${PROVIDER_MODE:-} in
usage)	echo "usage: provider SECRET_ID" >&2; exit 2 ;;
stdout-usage) echo "usage: provider SECRET_ID"; exit 2 ;;
eof)	ids=$(cat) ;;	# waits for an EOF summon never sends
warn)	echo "warning: something" >&2 ;;
linger)	;;
esac
while IFS= read -r id; do
	case $id in
	multi*)	printf 'line one\nline two\n' | base64 -w 0 ;;
	*)	printf 'value of %s' "$id" | base64 -w 0 ;;
	esac
	echo
done
SH
chmod +x provider
# linger: answers, then keeps running, and would leave a mark on exit.
cat >lingering <<'SH'
#!/bin/sh
while IFS= read -r id; do
	printf 'value of %s' "$id" | base64 -w 0
	echo
done
trap 'touch "$HOME/exited-cleanly"' EXIT
sleep 30
SH
chmod +x lingering

harness() {	# harness ARGS...: the harness's JSON in ./out, status in $rc
	: >runs
	python3 "$H" --provider "$HOME/${P:-provider}" --timeout 3 "$@" >out 2>err
	rc=$?
}

field() {	# field PYTHON-EXPR on the harness's result "r"
	python3 -c 'import json, sys
r = json.load(open("out"))
print(eval(sys.argv[1]))' "$1"
}

# --- stream mode
harness --seed 1 DB_PASSWORD=postgres://jane@db:5432/app OTHER=dsql://admin@x \
    SAME=postgres://jane@db:5432/app
[ "$rc" -eq 0 ] && [ "$(field 'r["mode"], r["stream_error"]')" = "('stream', None)" ] &&
    [ "$(field 'r["values"]["DB_PASSWORD"], r["values"]["OTHER"], r["values"]["SAME"]')" = \
    "('value of postgres://jane@db:5432/app', 'value of dsql://admin@x', 'value of postgres://jane@db:5432/app')" ]
ok $? "stream mode: every value, matched to its name by the order the ids were written"
[ "$(cat runs)" = "run 0 " ]
ok $? "one run of the provider, with no arguments, for all three"
harness MULTI=multi
[ "$(field 'r["values"]["MULTI"]')" = "$(printf 'line one\nline two\n')" ] &&
    [ "$(field 'repr(r["values"]["MULTI"])')" = "'line one\\nline two\\n'" ]
ok $? "a value with newlines travels whole in base64, the trailing one too"

# --- what makes summon fall back to one run per secret
PROVIDER_MODE=usage harness A=one B=two
[ "$rc" -eq 0 ] && [ "$(field 'r["mode"], r["stream_error"]')" = "('args', 'usage: provider SECRET_ID')" ] &&
    [ "$(field 'r["values"]["A"], r["values"]["B"]')" = "('value of one', 'value of two')" ]
ok $? "usage on stderr without arguments: the fallback, one run per secret, values trimmed"
[ "$(grep -c '^run 1 ' runs)" -eq 2 ] && grep -qx 'run 0 ' runs
ok $? "the fallback ran the provider once per secret with the id as argv[1]"
PROVIDER_MODE=stdout-usage harness A=one
grep -q 'failed to decode base64 string' out && [ "$(field 'r["mode"]')" = args ]
ok $? "anything but base64 on stdout: the fallback"
PROVIDER_MODE=warn harness A=one
[ "$(field 'r["mode"], r["stream_error"]')" = "('args', 'warning: something')" ]
ok $? "a warning on stderr in stream mode: the fallback (summon reads every stderr line as an error)"
PROVIDER_MODE=eof harness A=one
[ "$(field 'r["mode"]')" = args ] && grep -q 'timed out after 3 s' out
ok $? "a provider that waits for the end of stdin times out: summon keeps stdin open"
PROVIDER_MODE=usage harness --mode stream A=one
[ "$rc" -eq 1 ] && [ "$(field 'r["errors"]["A"]')" = "usage: provider SECRET_ID" ]
ok $? "--mode stream alone reports the failure instead of falling back"

# --- argv[1] mode
PROVIDER_MODE=fail harness --mode args A=nope
[ "$rc" -eq 1 ] && [ "$(field 'r["errors"]["A"]')" = "exit status 1: no such secret: nope" ]
ok $? "a failing provider: summon's error is \"exit status 1: \" and its stderr, trimmed"
PROVIDER_MODE=together harness --mode args A=1 B=2 C=3
[ "$(field 'sorted(r["values"].values())')" = "['together', 'together', 'together']" ]
ok $? "the fallback runs the provider for all secrets at once, as summon's goroutines do"
harness --mode args DASH=-v
[ "$(field 'r["values"]["DASH"]')" = "value of -v" ]
ok $? "an id that starts with - arrives as argv[1] all the same"

# --- after the last value summon closes the pipes and kills the provider
P=lingering harness A=one
[ "$(field 'r["mode"], r["killed"]')" = "('stream', True)" ] && sleep 0.2 &&
    [ ! -e exited-cleanly ]
ok $? "a provider still running after its last value is killed, its exit trap never runs"

done_testing
