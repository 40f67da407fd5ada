# The fake EKS API server (tests/fakes/fake_k8s.py, k8s.sh) with the real
# kubectl: a kubeconfig whose exec credential plugin prints an
# ExecCredential with a token made by tests/fakes/eks_token.py; the fake
# lets it in only when the presigned GetCallerIdentity URL verifies. What
# kubectl does with the plugin (how often it runs it, what it tells it) is
# pinned here for iamdb eks.
. "$TESTS_DIR/lib.sh"

needs python3 openssl
K8S=$TESTS_DIR/fakes/k8s.sh
KUBECTL=$(sh "$K8S" kubectl "$HOME") || {
	echo "not ok 1 - kubectl is installed (make deps installs it)"
	exit 1
}
minor=$("$KUBECTL" version --client -o json 2>/dev/null |
    python3 -c 'import json, sys
print(int(json.load(sys.stdin)["clientVersion"]["minor"].rstrip("+")))') ||
    minor=0
[ "$minor" -gt 0 ]
ok $? "kubectl $KUBECTL is 1.$minor"

trap 'sh "$K8S" stop "$HOME"' EXIT
trap 'exit 1' HUP INT TERM
start_server "the fake API server starts on 127.0.0.1 with TLS" env.sh \
    sh "$K8S" start "$HOME" --cluster test-cluster
. ./env.sh
export AWS_CONFIG_FILE="$HOME/none" AWS_SHARED_CREDENTIALS_FILE="$HOME/none"
LOG=$HOME/k8s/requests.log
EKS_TOKEN=$TESTS_DIR/fakes/eks_token.py

# plugin [--api-version V] EKS_TOKEN_ARGS...: the kubeconfig's plugin runs
# eks_token.py with these arguments.
plugin() {
	a=
	if [ "$1" = --api-version ]; then
		a="--api-version $2"
		shift 2
	fi
	KUBECONFIG=$(sh "$K8S" kubeconfig "$HOME" $a -- python3 "$EKS_TOKEN" \
	    "$@")
	export KUBECONFIG
}

kube() {	# kube ARGS...: kubectl, the request log and run count afresh
	: >"$LOG"
	: >"$HOME/k8s/plugin.runs"
	"$KUBECTL" "$@" >out 2>err
	rc=$?
}

runs() {
	sh "$K8S" runs "$HOME"
}

# raw TOKEN PATH: the fake's answer to a bare HTTPS GET, as "STATUS MESSAGE"
raw() {
	printf '%s' "$1" | python3 -c 'import http.client, json, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[1])
c = http.client.HTTPSConnection("127.0.0.1", int(sys.argv[2]), context=ctx)
tok = sys.stdin.read()
c.request("GET", sys.argv[3], headers={"Authorization": "Bearer " + tok} if tok else {})
r = c.getresponse()
body = json.loads(r.read())
print(r.status, body.get("message", ""))' "$K8S_CA" "${K8S_SERVER##*:}" "$2" >out 2>err
}

token() {	# token EKS_TOKEN_ARGS...: a token for test-cluster
	python3 "$EKS_TOKEN" --cluster test-cluster "$@"
}

# --- the published vector: eks_token.py and the fake's verifier agree
# with aws-iam-authenticator (pkg/token/token_test.go, TestGetWithSTS).
python3 - "$TESTS_DIR/fakes" <<'PY' >out 2>err
import datetime, sys
sys.path.insert(0, sys.argv[1])
import eks_token, fake_k8s
akid, secret = "ASIAR2TG44V6AS3ZZE7C", "4KD5cntGcVmLWRdF5wvNRuzNL5Qxmp6OKVY6Fz/Q"
t = datetime.datetime.fromtimestamp(1682640000, datetime.timezone.utc)
tok = eks_token.token("test-cluster", "us-west-2", akid, secret, None, t)
url = fake_k8s.base64.urlsafe_b64decode(tok[11:] + "==").decode()
assert url.endswith("&X-Amz-Signature=e211dba77aba9dc44b0b6be38b8eaad092599c5157f6314444c5b9d85747f5ce"), url
assert fake_k8s.verify(tok, "test-cluster", {akid: (secret, None, "v")},
                       t + datetime.timedelta(minutes=14)) == (akid, "v")
for cluster, when in (("other", 1), ("test-cluster", 16)):
    try:
        fake_k8s.verify(tok, cluster, {akid: (secret, None, "v")},
                        t + datetime.timedelta(minutes=when))
        raise SystemExit("accepted for %s after %d min" % (cluster, when))
    except fake_k8s.Refused:
        pass
print("ok")
PY
[ "$(cat out)" = ok ]
ok $? "aws-iam-authenticator's published token: made byte for byte, verified, refused for another cluster and after 15 min"

# --- kubectl through the exec plugin
plugin --cluster test-cluster --exec-credential
kube get --raw /version
[ "$rc" -eq 0 ] && grep -qF '"gitVersion": "v1.29.0-fake"' out
ok $? "kubectl get --raw /version gets in with the plugin's token"
[ "$(runs)" -eq 1 ] &&
    grep -qF "\"akid\":\"$AWS_ACCESS_KEY_ID\",\"arn\":\"arn:aws:iam::123456789012:user/iamdb-test\",\"method\":\"GET\",\"path\":\"/version\",\"reason\":null,\"status\":200" "$LOG"
ok $? "the plugin ran once; the fake logged who signed"
! grep -qF 'k8s-aws-v1' "$LOG" && ! grep -qi 'signature=' "$LOG"
ok $? "the log holds neither tokens nor signatures"
info=$(head -n 1 "$HOME/k8s/plugin.runs")
printf '%s' "$info" | python3 -c 'import json, sys
i = json.load(sys.stdin)
assert i["kind"] == "ExecCredential", i
assert i["apiVersion"] == "client.authentication.k8s.io/v1beta1", i
assert i.get("spec", {}).get("interactive", False) is False, i'
ok $? "KUBERNETES_EXEC_INFO names the kubeconfig's apiVersion, not interactive: $info"

kube get namespaces
[ "$rc" -eq 0 ] && grep -q '^default  *Active' out &&
    grep -q '^kube-system  *Active' out && [ "$(runs)" -eq 1 ]
ok $? "kubectl get namespaces lists them, with one plugin run for all its requests ($(grep -c . "$LOG"))"

# --- kubectl caches the credential for one invocation only, until its
# expirationTimestamp: one already past means a run before every request.
cat >stale.sh <<EOF
#!/bin/sh
python3 '$EKS_TOKEN' --cluster test-cluster --exec-credential |
    sed 's/"expirationTimestamp": "[^"]*"/"expirationTimestamp": "2000-01-01T00:00:00Z"/'
EOF
chmod +x stale.sh
KUBECONFIG=$(sh "$K8S" kubeconfig "$HOME" -- "$HOME/stale.sh")
rm -rf "$HOME/.kube/cache"
kube get namespaces
[ "$rc" -eq 0 ] && [ "$(runs)" -eq "$(grep -c . "$LOG")" ] && [ "$(runs)" -gt 1 ]
ok $? "with an expirationTimestamp in the past kubectl runs the plugin for each request ($(runs))"
plugin --cluster test-cluster --exec-credential
kube get --raw /version
"$KUBECTL" get --raw /version >out 2>err
[ $? -eq 0 ] && [ "$(runs)" -eq 2 ]
ok $? "two kubectl invocations, two plugin runs: nothing is kept between them"

# --- refusals: kubectl fails with the fake's reason
plugin --cluster other-cluster --exec-credential
kube get --raw /version
[ "$rc" -ne 0 ] && grep -qF 'You must be logged in to the server (Unauthorized: the signature does not match' err &&
    grep -q '"status":401' "$LOG"
ok $? "a token for another cluster: 401, and kubectl says so"
[ "$(runs)" -eq 2 ] && [ "$(grep -c '"status":401' "$LOG")" -eq 1 ]
ok $? "after a 401 kubectl runs the plugin once more, for later requests, and does not retry"

raw "" /version
[ "$(cat out)" = "401 Unauthorized: no bearer token" ]
ok $? "no token: 401"
raw "$(token --expires 900)" /version
grep -qF "401 Unauthorized: X-Amz-Expires '900' is not 0..60" out
ok $? "X-Amz-Expires over 60: 401"
raw "$(token --signing-time "$(date -u -d '-16 min' +%Y-%m-%dT%H:%M:%SZ)")" /version
grep -qF '401 Unauthorized: X-Amz-Date is over 15 minutes old: expired' out
ok $? "signed 16 minutes ago: 401, expired"
raw "$(token --region eu-west-1 | python3 -c 'import base64, sys
t = sys.stdin.read().strip()[11:]
u = base64.urlsafe_b64decode(t + "==").decode().replace("sts.eu-west-1.", "sts.us-east-1.")
print("k8s-aws-v1." + base64.urlsafe_b64encode(u.encode()).decode().rstrip("="))')" /version
grep -qF '401 Unauthorized: signed for region eu-west-1 at sts.us-east-1.amazonaws.com' out
ok $? "signed for one region, sent to another region's STS: 401"
raw "$(AWS_SECRET_ACCESS_KEY=wrong token)" /version
grep -qF '401 Unauthorized: the signature does not match' out
ok $? "another secret: 401"
raw "$(AWS_ACCESS_KEY_ID=AKIAUNKNOWNUNKNOWN00 token)" /version
grep -qF '401 Unauthorized: unknown access key AKIAUNKNOWNUNKNOWN00' out
ok $? "an unknown key: 401"
raw "$(AWS_SESSION_TOKEN=session token)" /version
grep -qF '401 Unauthorized: session token missing, unexpected or wrong' out
ok $? "a session token the key does not have: 401"
raw "$(token)" /nowhere
grep -qF '404 the server could not find the requested resource' out
ok $? "a valid token on an unknown path: 404"

# --- the ExecCredential apiVersion: v1 needs kubectl 1.22 or later
plugin --api-version v1 --cluster test-cluster --exec-credential v1
kube get --raw /version
if [ "$minor" -ge 22 ]; then
	[ "$rc" -eq 0 ] && [ "$(runs)" -eq 1 ]
	ok $? "kubectl 1.$minor takes client.authentication.k8s.io/v1"
else
	[ "$rc" -ne 0 ] && [ "$(runs)" -eq 0 ] &&
	    grep -qF 'invalid apiVersion "client.authentication.k8s.io/v1"' err
	ok $? "kubectl 1.$minor refuses client.authentication.k8s.io/v1 before running the plugin"
fi

sh "$K8S" stop "$HOME" && [ ! -e "$HOME/k8s/port" ]
ok $? "stop stops the fake"

done_testing
