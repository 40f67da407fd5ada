# iamdb eks: kubectl's exec credential plugin. The real kubectl runs it
# against the fake EKS API server (tests/fakes/fake_k8s.py, k8s.sh), which
# lets a request in only when its token's presigned GetCallerIdentity
# verifies against the fake's key; the plugin's runs and iamdb's signings
# are counted, so the token cache is seen to be hit.
. "$TESTS_DIR/lib.sh"

needs python3 openssl
K8S=$TESTS_DIR/fakes/k8s.sh
KUBECTL=$(sh "$K8S" kubectl "$HOME") || {
	echo "not ok 1 - kubectl is installed (make deps installs it)"
	exit 1
}
trap 'sh "$K8S" stop "$HOME"' EXIT
trap 'exit 1' HUP INT TERM
start_server "the fake API server starts on 127.0.0.1 with TLS" env.sh \
    sh "$K8S" start "$HOME" --cluster test-cluster
. ./env.sh
export AWS_CONFIG_FILE="$HOME/none" AWS_SHARED_CREDENTIALS_FILE="$HOME/none"
LOG=$HOME/k8s/requests.log
CACHE=$HOME/.cache/iamdb/eks

kube() {	# kube ARGS...: kubectl, the request log and run count afresh
	: >"$LOG"
	: >"$HOME/k8s/plugin.runs"
	"$KUBECTL" "$@" >out 2>err
	rc=$?
}

runs() {
	sh "$K8S" runs "$HOME"
}

# signed, cached: how many runs signed a token, how many took the cached
# one (iamdb -v says which, on kubectl's standard error).
signed() {
	grep -c 'iamdb: token cached in' err
}
cached() {
	grep -c 'iamdb: token from the cache' err
}

# --- the ExecCredential, exactly, for aws-iam-authenticator's vector
(
	export AWS_ACCESS_KEY_ID=ASIAR2TG44V6AS3ZZE7C
	export AWS_SECRET_ACCESS_KEY=4KD5cntGcVmLWRdF5wvNRuzNL5Qxmp6OKVY6Fz/Q
	unset KUBERNETES_EXEC_INFO
	"$IAMDB" eks --cluster test-cluster --region us-west-2 \
	    --signing-time 2023-04-28T00:00:00Z
) >out 2>err
python3 - "$TESTS_DIR/vectors/eks.jsonl" <<'PY'
import json, sys
v = json.loads(open(sys.argv[1]).readline())
want = {"kind": "ExecCredential",
        "apiVersion": "client.authentication.k8s.io/v1beta1", "spec": {},
        "status": {"expirationTimestamp": v["expiration"],
                   "token": v["token"]}}
got = json.load(open("out"))
assert got == want and list(got) == list(want), got
assert list(got["status"]) == ["expirationTimestamp", "token"], got
PY
ok $? "the published vector: kind, apiVersion v1beta1, spec, status with expirationTimestamp = signing time + 14 min and the token, in aws eks get-token's order"
[ ! -e "$CACHE" ] || [ -z "$(ls -A "$CACHE")" ]
ok $? "--signing-time neither reads nor writes the cache"

# --- apiVersion from KUBERNETES_EXEC_INFO
api() {		# api INFO: the apiVersion iamdb eks answers with
	KUBERNETES_EXEC_INFO=$1 "$IAMDB" eks --cluster test-cluster \
	    --no-cache >out 2>err
	rc=$?
	python3 -c 'import json; print(json.load(open("out"))["apiVersion"])' \
	    2>/dev/null
}
info() {
	printf '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/%s","spec":{"interactive":false}}\n' "$1"
}
[ "$(api "$(info v1)")" = client.authentication.k8s.io/v1 ] && [ ! -s err ]
ok $? "KUBERNETES_EXEC_INFO v1: apiVersion v1"
[ "$(api "$(info v1beta1)")" = client.authentication.k8s.io/v1beta1 ] &&
    [ ! -s err ]
ok $? "KUBERNETES_EXEC_INFO v1beta1: apiVersion v1beta1"
[ "$(api "$(info v1alpha1)")" = client.authentication.k8s.io/v1alpha1 ] &&
    grep -q 'warning: .*v1alpha1.*deprecated' err
ok $? "KUBERNETES_EXEC_INFO v1alpha1: apiVersion v1alpha1, with a warning"
for bad in '' '{' 'not json' '{"kind":"ExecCredential"}' '{"apiVersion":""}' '[1]'; do
	[ "$(api "$bad")" = client.authentication.k8s.io/v1beta1 ] && [ $rc -eq 0 ]
	ok $? "KUBERNETES_EXEC_INFO '$bad': apiVersion v1beta1"
done
api "$(info v2)" >/dev/null
[ $rc -eq 2 ] && [ ! -s out ] && grep -qF 'apiVersion client.authentication.k8s.io/v2' err
ok $? "an apiVersion iamdb does not speak: usage error, nothing on stdout"
run eks --region us-east-1
expect_rc 2 "--cluster is required"
run eks --cluster 'bad/name' --no-cache
expect_rc 2 "a cluster name EKS could not have"

# --- kubectl through iamdb eks, the cache between its invocations
KUBECONFIG=$(sh "$K8S" kubeconfig "$HOME" -- "$IAMDB" -v eks \
    --cluster test-cluster)
export KUBECONFIG
kube get --raw /version
[ "$rc" -eq 0 ] && grep -qF '"gitVersion": "v1.29.0-fake"' out &&
    grep -q '"status":200' "$LOG"
ok $? "kubectl get --raw /version gets in with iamdb eks's token"
[ "$(runs)" -eq 1 ] && [ "$(signed)" -eq 1 ] && [ "$(cached)" -eq 0 ]
ok $? "the first kubectl call: one plugin run, one token signed"
entry=$(ls "$CACHE"/*.json)
[ "$(stat -c %a "$CACHE")" = 700 ] && [ "$(stat -c %a "$entry")" = 600 ] &&
    [ "$(ls "$CACHE" | grep -c '\.json$')" -eq 1 ]
ok $? "the token is cached in one 0600 file in a 0700 directory"
sum=$(sha256sum <"$entry")
for i in 1 2 3; do
	kube get namespaces
	[ "$rc" -eq 0 ] && grep -q '^default  *Active' out &&
	    [ "$(runs)" -eq 1 ] && [ "$(signed)" -eq 0 ] && [ "$(cached)" -eq 1 ]
	ok $? "kubectl call $((i + 1)): the plugin ran once, and took the cached token (no signing)"
done
[ "$(sha256sum <"$entry")" = "$sum" ]
ok $? "the cache entry was not rewritten"
! grep -qF 'k8s-aws-v1' "$LOG" err
ok $? "neither the fake's log nor kubectl's stderr holds the token"

# A token within 60 s of its expirationTimestamp is not handed out.
python3 - "$entry" <<'PY'
import datetime, json, os, sys
path = sys.argv[1]
e = json.load(open(path))
soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=50)
e["expiration"] = soon.strftime("%Y-%m-%dT%H:%M:%SZ")
fd = os.open(path + ".new", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
os.write(fd, json.dumps(e).encode())
os.close(fd)
os.replace(path + ".new", path)
PY
kube get --raw /version
[ "$rc" -eq 0 ] && [ "$(signed)" -eq 1 ] && [ "$(cached)" -eq 0 ]
ok $? "a cached token 50 s from its expiry is not reused: a new one is signed"
python3 -c 'import datetime, json, sys
e = json.load(open(sys.argv[1]))
t = datetime.datetime.strptime(e["expiration"], "%Y-%m-%dT%H:%M:%SZ")
left = (t - datetime.datetime.utcnow()).total_seconds()
assert 780 <= left <= 841, left' "$entry"
ok $? "the new entry expires about 14 minutes from now"

# A cache entry others may read is not trusted.
chmod 644 "$entry"
kube get --raw /version
[ "$rc" -eq 0 ] && [ "$(signed)" -eq 1 ] && grep -q 'not trusting it' err &&
    [ "$(stat -c %a "$entry")" = 600 ]
ok $? "an entry open to others is not trusted; the new one is 0600"

# A corrupt entry, or a symbolic link in its place, is not used.
printf 'not json' >"$entry"
kube get --raw /version
[ "$rc" -eq 0 ] && [ "$(signed)" -eq 1 ] &&
    python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$entry"
ok $? "a corrupt entry is not used: a new token is signed and cached"
cp "$entry" "$HOME/elsewhere.json" && rm "$entry" &&
    ln -s "$HOME/elsewhere.json" "$entry"
kube get --raw /version
[ "$rc" -ne 0 ] || [ "$(cached)" -eq 0 ]
ok $? "a symbolic link in the entry's place is not followed for reading"
rm -f "$entry"
kube get --raw /version
[ "$rc" -eq 0 ] && [ -f "$entry" ] && [ ! -L "$entry" ]
ok $? "with the link gone, the entry is written again"

# Keyed by identity: another key, another entry (the fake refuses it, and
# kubectl runs the plugin once more after the 401).
(
	AWS_ACCESS_KEY_ID=AKIAOTHEROTHEROTHER0 kube get --raw /version
	[ "$rc" -ne 0 ] && [ "$(signed)" -eq 1 ] &&
	    ! grep -qF "iamdb: token from the cache, $entry" err
) && [ "$(ls "$CACHE" | grep -c '\.json$')" -eq 2 ]
ok $? "another access key gets its own entry, not the first key's token"
KUBECONFIG=$(sh "$K8S" kubeconfig "$HOME" -- "$IAMDB" -v eks \
    --cluster test-cluster --region eu-west-1)
kube get --raw /version
[ "$(signed)" -eq 1 ] && [ "$(ls "$CACHE" | grep -c '\.json$')" -eq 3 ]
ok $? "another region gets its own entry"

# --no-cache: every run signs, nothing is written.
rm -rf "$CACHE"
KUBECONFIG=$(sh "$K8S" kubeconfig "$HOME" -- "$IAMDB" -v eks \
    --cluster test-cluster --no-cache)
kube get --raw /version
"$KUBECTL" get --raw /version >/dev/null 2>>err
[ "$(runs)" -eq 2 ] && [ "$(signed)" -eq 0 ] && [ "$(cached)" -eq 0 ] &&
    { [ ! -e "$CACHE" ] || [ -z "$(ls -A "$CACHE")" ]; }
ok $? "--no-cache: kubectl gets in twice, and no cache is written"

# --- the kubeconfig entry iamdb prints, as the user would paste it
mkdir -p bin && ln -sf "$IAMDB" bin/iamdb
run eks --cluster test-cluster --kubeconfig
expect_rc 0 "iamdb eks --kubeconfig"
has out "apiVersion: client.authentication.k8s.io/v1" "the entry's apiVersion is v1"
has out "interactiveMode: Never" "the entry's interactiveMode is Never"
{
	cat <<EOF
apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster:
    server: $K8S_SERVER
    certificate-authority: $HOME/ca.pem
contexts:
- name: fake
  context:
    cluster: fake
    user: iamdb-eks-test-cluster
current-context: fake
users:
EOF
	cat out
} >pasted.kubeconfig
KUBECONFIG=$HOME/pasted.kubeconfig PATH="$HOME/bin:$PATH" kube get namespaces
[ "$rc" -eq 0 ] && grep -q '^kube-system  *Active' out
ok $? "kubectl with the pasted entry (apiVersion v1) lists the namespaces"
KUBECONFIG=$HOME/pasted.kubeconfig PATH="$HOME/bin:$PATH" kube get --raw /version
[ "$rc" -eq 0 ] && [ "$(ls "$CACHE" | grep -c '\.json$')" -eq 1 ]
ok $? "and its second call takes the token it cached"

# --- --role-arn: the role's credentials sign; a cached token spares STS
fake_start
trap 'fake_stop; sh "$K8S" stop "$HOME"' EXIT
ROLE=arn:aws:iam::123456789012:role/eks-admin
fake_config '{"keys": {"'"$AWS_ACCESS_KEY_ID"'": "'"$AWS_SECRET_ACCESS_KEY"'"},
 "roles": {"'$ROLE'": {"credentials": {"access_key_id": "ASIAROLEROLEROLE0001",
   "secret_access_key": "roleSecret/Example+0123456789abcdefghij",
   "session_token": "roleSessionToken/+=", "expiration": "2099-01-01T00:00:00Z"}}}}'
role() {
	AWS_ENDPOINT_URL_STS=$FAKE "$IAMDB" -v eks --cluster test-cluster \
	    --role-arn "$ROLE" >out 2>err
	rc=$?
}
role
python3 - "$TESTS_DIR/fakes" <<'PY'
import datetime, json, sys
sys.path.insert(0, sys.argv[1])
import fake_k8s
tok = json.load(open("out"))["status"]["token"]
keys = {"ASIAROLEROLEROLE0001": ("roleSecret/Example+0123456789abcdefghij",
                                 "roleSessionToken/+=", "role")}
now = datetime.datetime.now(datetime.timezone.utc)
assert fake_k8s.verify(tok, "test-cluster", keys, now) == (
    "ASIAROLEROLEROLE0001", "role")
PY
[ $? -eq 0 ] && [ "$rc" -eq 0 ] && [ "$(requests sts)" -eq 1 ] &&
    [ "$(signed)" -eq 1 ]
ok $? "--role-arn: one AssumeRole, and the token verifies as signed by the role's key and session token"
role
[ "$rc" -eq 0 ] && [ "$(requests sts)" -eq 1 ] && [ "$(cached)" -eq 1 ]
ok $? "--role-arn again: the cached token, no request to STS"

done_testing
