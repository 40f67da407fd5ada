# The fake Lambda Extensions API (tests/fakes/fake_lambda.py) with a tiny
# extension written here: it registers, gets N INVOKE events and then
# SHUTDOWN in lockstep, optionally one event at a time as the test
# releases them, and the fake records what the extension did and refuses
# what Lambda refuses, with the Runtime Interface Emulator's error types.
. "$TESTS_DIR/lib.sh"

needs python3
RUN=$TESTS_DIR/fakes/run.sh

# An extension as a Lambda layer ships one: named for its file, events in
# ./events.NAME, one "TYPE REQUEST_ID DEADLINE_IN_FUTURE" line each; exits
# 0 on SHUTDOWN. MODE init-error reports an init error and exits 1.
cat >ext.py <<'PY'
import http.client, json, os, sys, time
name, mode = os.path.basename(sys.argv[0]), (sys.argv[1:] or ["run"])[0]
host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
def call(method, path, headers, body=None):
    c = http.client.HTTPConnection(host, int(port), timeout=60)
    c.request(method, "/2020-01-01/extension/" + path, body, headers)
    r = c.getresponse()
    return r.status, dict(r.getheaders()), json.loads(r.read() or b"null")
st, h, reg = call("POST", "register", {"Lambda-Extension-Name": name},
                  json.dumps({"events": ["INVOKE", "SHUTDOWN"]}))
assert st == 200, (st, reg)
xid = h["Lambda-Extension-Identifier"]
if mode == "init-error":
    call("POST", "init/error", {"Lambda-Extension-Identifier": xid,
         "Lambda-Extension-Function-Error-Type": "Extension.ConfigInvalid"},
         json.dumps({"errorMessage": "no secrets configured",
                     "errorType": "Extension.ConfigInvalid"}))
    st, _, body = call("GET", "event/next", {"Lambda-Extension-Identifier": xid})
    print(st, body["errorType"], file=sys.stderr)
    sys.exit(1)
with open("events." + name, "a") as out:
    while True:
        st, h, ev = call("GET", "event/next", {"Lambda-Extension-Identifier": xid})
        assert st == 200 and h.get("Lambda-Extension-Event-Identifier"), (st, ev)
        ahead = ev["deadlineMs"] > time.time() * 1000
        out.write("%s %s %s\n" % (ev["eventType"], ev.get("requestId", "-"), ahead))
        out.flush()
        if ev["eventType"] == "SHUTDOWN":
            sys.exit(0)
PY
cp ext.py iamdb-ext
cp ext.py other-ext

# fake DIR ARGS...: starts fake_lambda.py with state in DIR; $API is its
# host:port.
fake() {
	d=$1
	shift
	API=127.0.0.1:$(sh "$RUN" start "$d" fake_lambda.py "$@")
}

stop_fakes() {
	for d in lam*; do
		[ ! -d "$d" ] || sh "$RUN" stop "$d"
	done
}
trap stop_fakes EXIT
trap 'exit 1' HUP INT TERM

state() {	# state DIR PYTHON-EXPR: the expression on the fake's state "s"
	python3 -c 'import json, sys, urllib.request
s = json.load(urllib.request.urlopen("http://%s/_fake/state" % sys.argv[1]))
print(eval(sys.argv[2]))' "$(cat "$1/port" | sed 's/^/127.0.0.1:/')" "$2"
}

# api METHOD PATH [HEADER ...] [-- BODY]: one request; "STATUS errorType"
api() {
	python3 - "$API" "$@" <<'PY'
import http.client, json, sys
api, method, path, rest = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
body = None
if "--" in rest:
    body = rest[rest.index("--") + 1]
    rest = rest[:rest.index("--")]
h = dict(x.split(": ", 1) for x in rest)
host, port = api.split(":")
c = http.client.HTTPConnection(host, int(port), timeout=10)
c.request(method, "/2020-01-01/extension/" + path, body, h)
r = c.getresponse()
b = json.loads(r.read() or b"null")
print(r.status, b.get("errorType") or b.get("status") or "", r.getheader("Lambda-Extension-Identifier") or "")
PY
}

release() {	# release: the fake lets the next event go (--step)
	python3 -c 'import urllib.request, sys
urllib.request.urlopen(urllib.request.Request("http://%s/_fake/release" % sys.argv[1], b"", method="POST"))' "$API"
}

# --- three invokes, then SHUTDOWN
t0=$(now_ms)
fake lam1 --invokes 3
ok $? "the fake starts, in $(($(now_ms) - t0)) ms"
AWS_LAMBDA_RUNTIME_API=$API python3 iamdb-ext >out 2>err
ok $? "the extension registers, runs through the events and exits 0 on SHUTDOWN"
[ "$(cut -d ' ' -f 1 events.iamdb-ext | tr '\n' ' ')" = "INVOKE INVOKE INVOKE SHUTDOWN " ] &&
    [ "$(cut -d ' ' -f 2 events.iamdb-ext | sort -u | wc -l)" -eq 4 ] &&
    ! grep -q False events.iamdb-ext
ok $? "it got three INVOKEs with distinct request ids, then SHUTDOWN, each deadline ahead"
[ "$(state lam1 's["phase"], [(e["name"], e["state"], e["next_calls"], e["external"]) for e in s["extensions"]], s["violations"]')" = \
    "('shutdown', [('iamdb-ext', 'shutdown', 4, True)], [])" ]
ok $? "the fake's state: shut down, one external extension, four calls to next, nothing amiss"
[ "$(grep -c '"path":"/2020-01-01/extension/event/next"' lam1/requests.log)" -eq 4 ] &&
    grep -q '"name":"iamdb-ext","path":"/2020-01-01/extension/register","status":200' lam1/requests.log
ok $? "its log has the registration and the four calls to next"

# --- --step: each event waits for the test; two extensions in lockstep
fake lam2 --invokes 2 --step --extension iamdb-ext --extension other-ext
rm -f events.*
AWS_LAMBDA_RUNTIME_API=$API python3 iamdb-ext >out 2>err &
e1=$!
AWS_LAMBDA_RUNTIME_API=$API python3 other-ext >out2 2>err2 &
e2=$!
i=0
until [ "$(state lam2 's["phase"]')" = invoke ] || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ "$(state lam2 's["phase"], s["released"], [len(e["delivered"]) for e in s["extensions"]]')" = \
    "('invoke', 0, [0, 0])" ]
ok $? "with --step the init phase ends once both named extensions wait in next, and no event goes before the test says"
waitfor() {	# waitfor N: both extensions have had N events
	i=0
	until [ "$(state lam2 '[len(e["delivered"]) for e in s["extensions"]]')" = "[$1, $1]" ] ||
	    [ $i -ge 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
release
waitfor 1
[ "$(cat events.iamdb-ext events.other-ext | cut -d ' ' -f 1,2 | sort -u)" = \
    "INVOKE 00000000-0000-0000-0000-000000000001" ]
ok $? "one release: both get the same INVOKE, and the test can act while the function runs"
api POST register "Lambda-Extension-Name: late" -- '{"events":["INVOKE"]}' >out
[ "$(cat out)" = "403 Extension.RegistrationClosed " ]
ok $? "registering after the init phase: 403 Extension.RegistrationClosed"
release
release
wait "$e1" && wait "$e2"
ok $? "two more releases: the second INVOKE and SHUTDOWN, and both extensions exit 0"

# --- refusals, with the emulator's error types
fake lam3 --extension iamdb-ext
api POST register "Lambda-Extension-Name: " -- '{"events":["INVOKE"]}' >out
[ "$(cat out)" = "403 Extension.InvalidExtensionName " ]
ok $? "no name: 403 Extension.InvalidExtensionName"
api POST register "Lambda-Extension-Name: iamdb-ext" -- 'not json' >out
[ "$(cat out)" = "403 InvalidRequestFormat " ]
ok $? "a body that is not JSON: 403 InvalidRequestFormat"
api POST register "Lambda-Extension-Name: iamdb-ext" -- '{"events":["INVOKE","RESTART"]}' >out
[ "$(cat out)" = "403 Extension.InvalidEventType " ]
ok $? "an unknown event: 403 Extension.InvalidEventType"
api POST register "Lambda-Extension-Name: helper" -- '{"events":["INVOKE","SHUTDOWN"]}' >out
[ "$(cat out)" = "403 Extension.InvalidEventType " ]
ok $? "a name not in /opt/extensions is internal and may not ask for SHUTDOWN"
api POST register "Lambda-Extension-Name: iamdb-ext" "Lambda-Extension-Accept-Feature: accountId" \
    -- '{"events":["SHUTDOWN"]}' >out
set -- $(cat out)
[ "$1" = 200 ] && [ -n "${2:-}" ]
ok $? "registered for SHUTDOWN only: 200 and an identifier"
X=${2:-none}
[ "$(state lam3 's["extensions"][0]["features"]')" = "['accountId']" ]
ok $? "the accountId feature is recorded"
api POST register "Lambda-Extension-Name: iamdb-ext" -- '{"events":["SHUTDOWN"]}' >out
[ "$(cat out)" = "403 Extension.InvalidExtensionState " ]
ok $? "the same name twice: 403 Extension.InvalidExtensionState"
api GET event/next >out
[ "$(cat out)" = "403 Extension.MissingExtensionIdentifier " ]
ok $? "next without an identifier: 403 Extension.MissingExtensionIdentifier"
api GET event/next "Lambda-Extension-Identifier: nope" >out
[ "$(cat out)" = "403 Extension.InvalidExtensionIdentifier " ]
ok $? "next with a malformed identifier: 403 Extension.InvalidExtensionIdentifier"
api GET event/next "Lambda-Extension-Identifier: 00000000-0000-0000-0000-000000000000" >out
[ "$(cat out)" = "403 Extension.UnknownExtensionIdentifier " ]
ok $? "next with an unknown identifier: 403 Extension.UnknownExtensionIdentifier"
api POST exit/error "Lambda-Extension-Identifier: $X" -- '{}' >out
[ "$(cat out)" = "403 Extension.MissingHeader " ]
ok $? "exit/error without Lambda-Extension-Function-Error-Type: 403 Extension.MissingHeader"
api POST exit/error "Lambda-Extension-Identifier: $X" \
    "Lambda-Extension-Function-Error-Type: Extension.Crashed" -- '{"errorMessage":"boom"}' >out
[ "$(cat out)" = "202 OK " ] &&
    [ "$(state lam3 's["extensions"][0]["exit_error"]')" = "{'type': 'Extension.Crashed', 'body': '{\"errorMessage\":\"boom\"}'}" ]
ok $? "exit/error: 202 {\"status\": \"OK\"}, the type and body recorded"

# --- init/error: recorded; the extension may not go on
fake lam4
AWS_LAMBDA_RUNTIME_API=$API python3 iamdb-ext init-error >out 2>err
[ $? -eq 1 ] && [ "$(cat err)" = "403 Extension.InvalidExtensionState" ] &&
    [ "$(state lam4 's["extensions"][0]["init_error"]["type"], len(s["violations"])')" = "('Extension.ConfigInvalid', 1)" ]
ok $? "init/error is recorded, and next after it is refused and counted as a violation"

stop_fakes
i=0
while [ -e lam1/port ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ ! -e lam1/port ]
ok $? "the fakes stop"

done_testing
