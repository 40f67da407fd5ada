# iamdb summon driven by tests/harness/summon_harness.py exactly as summon
# drives a provider: installed by `make install` where summon finds it,
# stream mode (every id on stdin, one base64 value a line, in order) and
# the one-run-per-secret fallback, errors included. Each value must be a
# token iamdb verify accepts for the URL's endpoint and user.
. "$TESTS_DIR/lib.sh"

needs python3 make
H=$TESTS_DIR/harness/summon_harness.py
export AWS_CONFIG_FILE="$HOME/none" AWS_SHARED_CREDENTIALS_FILE="$HOME/none"
export AWS_ACCESS_KEY_ID=AKIDSUMMON AWS_SECRET_ACCESS_KEY=summon/secret+key
export AWS_REGION=us-east-1
unset AWS_SESSION_TOKEN AWS_PROFILE
printf '[k]\naws_access_key_id = AKIDSUMMON\naws_secret_access_key = summon/secret+key\n' >keys

# --- make install puts the provider where summon looks
mkdir -p "$HOME/usr/bin"
ln -s "$IAMDB" "$HOME/usr/bin/iamdb"
make -s -C "$TESTS_DIR/.." install-summon PREFIX="$HOME/usr" \
    SUMMONDIR="$HOME/lib/summon" >out 2>err
[ $? -eq 0 ] && [ -x "$HOME/lib/summon/iamdb" ] &&
    [ "$(ls "$HOME/lib/summon")" = iamdb ]
ok $? "make install-summon (part of make install) puts an executable iamdb in SUMMONDIR"
grep -q '^SUMMONDIR *?= /usr/local/lib/summon$' "$TESTS_DIR/../Makefile"
ok $? "SUMMONDIR is /usr/local/lib/summon, summon's default, unless given"
P=$HOME/lib/summon/iamdb

harness() {	# harness ARGS...: the harness's JSON in ./out, status in $rc
	python3 "$H" --provider "$P" --timeout 30 "$@" >out 2>err
	rc=$?
}
field() {	# field PYTHON-EXPR on the harness's result "r"
	python3 -c 'import json, sys
r = json.load(open("out"))
print(eval(sys.argv[1]))' "$1"
}
verifies() {	# verifies NAME ENDPOINT USER [ENGINE]: r["values"][NAME] does
	field "r['values']['$1']" | "$IAMDB" verify --keys keys \
	    --endpoint "$2" --user "$3" --region us-east-1 ${4:+--engine "$4"}
}

A=postgres://jane@db.example.com:5432/app
B=mysql://bob@db2.example.com:3307/x
C=dsql://admin@abc.dsql.us-east-1.on.aws
# --- stream mode
harness --mode stream --seed 3 A="$A" B="$B" C="$C" AGAIN="$A"
[ "$rc" -eq 0 ] && [ "$(field 'r["mode"], r["stream_error"]')" = "('stream', None)" ]
ok $? "stream mode: one run, every id answered in base64, nothing on stderr"
verifies A db.example.com:5432 jane && verifies AGAIN db.example.com:5432 jane &&
    verifies B db2.example.com:3307 bob &&
    verifies C abc.dsql.us-east-1.on.aws:443 admin dsql
ok $? "each value is a token for its own URL, matched by the order of the ids (postgres, mysql, dsql, one twice)"
harness A="$A"
[ "$rc" -eq 0 ] && [ "$(field 'r["mode"]')" = stream ]
ok $? "summon's own order (stream first) takes stream mode"

# --- errors: in stream mode a message on stderr makes summon fall back,
# and the fallback names the one secret that failed
harness --mode stream A="$A" BAD=bogus
[ "$rc" -eq 1 ] && field 'r["errors"]["BAD"]' | grep -q "not a connection URL"
ok $? "stream mode: an id that is not a URL is an error on stderr, which ends the stream"
harness A="$A" BAD=bogus
[ "$rc" -eq 1 ] && [ "$(field 'r["mode"], "A" in r["values"]')" = "('args', True)" ] &&
    [ "$(field 'r["errors"]["BAD"]')" = "exit status 2: iamdb: 'bogus' is not a connection URL (postgres://, mysql://, mariadb:// or dsql://)" ]
ok $? "summon then asks one at a time: the good one gets its token, the bad one exit status 2 and the message"
verifies A db.example.com:5432 jane
ok $? "the fallback's value is the token, trimmed as summon trims it"
AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY= AWS_EC2_METADATA_DISABLED=true \
    harness A="$A"
[ "$rc" -eq 1 ] && field 'r["errors"]["A"]' | grep -q "^exit status 4: iamdb: no AWS credentials found"
ok $? "without credentials: exit status 4 with iamdb's message, in both modes"
harness --mode args DASH=-v
[ "$rc" -eq 1 ] && field 'r["errors"]["DASH"]' | grep -q '^exit status 2: '
ok $? "an id that starts with - is refused, not taken for an option that prints help"

# --- what summon never sees: usage
printf '' | "$IAMDB" summon >out 2>err
[ $? -eq 0 ] && [ ! -s out ] && [ ! -s err ]
ok $? "with no argument and nothing on stdin: nothing at all, exit 0, never usage"
printf '%s\r\n' "$A" | "$IAMDB" summon >out 2>err
[ $? -eq 0 ] && [ ! -s err ] && base64 -d out | "$IAMDB" verify --keys keys \
    --endpoint db.example.com:5432 --user jane --region us-east-1
ok $? "a CRLF line is an id as summon would send it"
printf '\n' | "$IAMDB" summon >out 2>err
[ $? -eq 2 ] && [ ! -s out ] && grep -q 'line 1 of standard input is not a secret id' err
ok $? "an empty line is an error, not a silent empty value"

done_testing
