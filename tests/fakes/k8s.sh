#!/bin/sh
# k8s.sh start|stop|kubeconfig|runs|kubectl DIR ...: the fake EKS API server
# (fake_k8s.py) on 127.0.0.1 for kubectl, and a kubeconfig whose exec
# credential plugin is counted.
#
#   start DIR [--cluster NAME] [--max-expires SECONDS]
#       Makes the test CA in DIR (tests/db/testca.sh; kept if DIR has one)
#       and starts the fake with a new random static key. It stops itself
#       after $K8S_LIFETIME seconds (300). State goes in DIR/k8s:
#         keys          the one key the fake accepts (INI, 0600)
#         requests.log  one JSON line per request, with the refusal reason
#         env           for sh (also printed on stdout): K8S_SERVER
#                       (https://127.0.0.1:PORT), K8S_CA, K8S_CLUSTER
#                       (default test-cluster), and the client's key and
#                       region: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
#                       AWS_REGION (us-east-1)
#   kubeconfig DIR [--api-version V] -- COMMAND [ARG ...]
#       Writes DIR/k8s/kubeconfig (printed) for the fake, whose user's exec
#       plugin (apiVersion client.authentication.k8s.io/V, default
#       v1beta1; interactiveMode Never) is DIR/k8s/plugin: it appends one
#       line to DIR/k8s/plugin.runs (KUBERNETES_EXEC_INFO as kubectl gave
#       it, newlines as blanks, or "-" when unset) and runs COMMAND ARG ... in its place.
#   runs DIR    How many times kubectl ran the plugin.
#   kubectl DIR The kubectl to test with: $KUBECTL, else the one on PATH,
#               unless that is the Google Cloud SDK's dispatcher, which
#               asks the server's /version first (running the plugin once
#               more) and then runs kubectl.1.MINOR beside it: then the
#               newest of those.
#   stop DIR    Stops the fake.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../db/common.sh"

usage() {
	echo "usage: k8s.sh start DIR [--cluster NAME] [--max-expires S] |" \
	    "k8s.sh kubeconfig DIR [--api-version V] -- COMMAND [ARG ...] |" \
	    "k8s.sh runs|kubectl|stop DIR" >&2
	exit 2
}

[ $# -ge 2 ] || usage
cmd=$1
dir=$(cd "$2" && pwd) || die "$2: no such directory"
shift 2
st=$dir/k8s

# Single-quoted for sh.
quote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

start() {
	cluster=test-cluster max=60
	while [ $# -gt 0 ]; do
		[ $# -ge 2 ] || usage
		case $1 in
		--cluster)	cluster=$2 ;;
		--max-expires)	max=$2 ;;
		*)		usage ;;
		esac
		shift 2
	done
	stop
	rm -rf "$st"
	mkdir -m 700 "$st"
	[ -f "$dir/ca.pem" ] && [ -f "$dir/server.pem" ] ||
	    sh "$here/../db/testca.sh" "$dir" >&2
	akid=AKIA$(head -c 10 /dev/urandom | base32)
	secret=$(head -c 30 /dev/urandom | base64)
	(
		umask 077
		printf '[iamdb-test]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
		    "$akid" "$secret" >"$st/keys"
	)
	FAKE_LIFETIME=${K8S_LIFETIME:-300} sh "$here/run.sh" start "$st" \
	    fake_k8s.py --cert "$dir/server.pem" --key "$dir/server.key" \
	    --cluster "$cluster" --keys "$st/keys" --max-expires "$max" >/dev/null
	(
		umask 077
		cat >"$st/env" <<ENV
K8S_SERVER=https://127.0.0.1:$(cat "$st/port")
K8S_CA=$(quote "$dir/ca.pem")
K8S_CLUSTER=$(quote "$cluster")
AWS_ACCESS_KEY_ID=$akid
AWS_SECRET_ACCESS_KEY=$(quote "$secret")
AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION
ENV
	)
	cat "$st/env"
}

kubeconfig() {
	api=v1beta1
	while [ $# -gt 0 ]; do
		case $1 in
		--api-version)	[ $# -ge 2 ] || usage; api=$2; shift 2 ;;
		--)		shift; break ;;
		*)		usage ;;
		esac
	done
	[ $# -gt 0 ] || usage
	[ -s "$st/port" ] || die "$st: the fake is not running"
	line=
	for a; do
		line="$line $(quote "$a")"
	done
	cat >"$st/plugin" <<PLUGIN
#!/bin/sh
# kubectl's exec credential plugin for the fake (tests/fakes/k8s.sh).
# One line a run: kubectl ends KUBERNETES_EXEC_INFO with a newline.
printf '%s\n' "\$(printf '%s' "\${KUBERNETES_EXEC_INFO:--}" | tr '\n' ' ')" \\
    >>$(quote "$st/plugin.runs")
exec$line
PLUGIN
	chmod 755 "$st/plugin"
	: >"$st/plugin.runs"
	python3 - "$st" "$api" <<'PY'
import json, os, sys
st, api = sys.argv[1:]
port = open(os.path.join(st, "port")).read().strip()
ca = os.path.join(os.path.dirname(st), "ca.pem")
cfg = {
    "apiVersion": "v1", "kind": "Config", "preferences": {},
    "clusters": [{"name": "fake", "cluster": {
        "server": "https://127.0.0.1:%s" % port,
        "certificate-authority": ca}}],
    "users": [{"name": "iam", "user": {"exec": {
        "apiVersion": "client.authentication.k8s.io/" + api,
        "command": os.path.join(st, "plugin"), "args": [],
        "interactiveMode": "Never", "provideClusterInfo": False}}}],
    "contexts": [{"name": "fake", "context": {"cluster": "fake",
                                             "user": "iam"}}],
    "current-context": "fake"}
path = os.path.join(st, "kubeconfig")
with open(path + ".tmp", "w") as f:
    json.dump(cfg, f, indent=1)
os.chmod(path + ".tmp", 0o600)
os.replace(path + ".tmp", path)
print(path)
PY
}

kubectl_path() {
	if [ -n "${KUBECTL:-}" ]; then
		printf '%s\n' "$KUBECTL"
		return 0
	fi
	k=$(command -v kubectl) ||
	    die "kubectl is missing: install kubernetes-client (make deps)"
	if "$k" version --client 2>/dev/null | grep -q -- '-dispatcher'; then
		d=$(dirname "$(readlink -f "$k")")
		n=$(ls "$d"/kubectl.1.* 2>/dev/null | sort -V | tail -n 1)
		[ -z "$n" ] || k=$n
	fi
	printf '%s\n' "$k"
}

runs() {
	[ -f "$st/plugin.runs" ] || { echo 0; return 0; }
	wc -l <"$st/plugin.runs" | tr -d ' '
}

stop() {
	sh "$here/run.sh" stop "$st"
}

case $cmd in
start)		start "$@" ;;
kubeconfig)	kubeconfig "$@" ;;
runs)		[ $# -eq 0 ] || usage; runs ;;
kubectl)	[ $# -eq 0 ] || usage; kubectl_path ;;
stop)		[ $# -eq 0 ] || usage; stop ;;
*)		usage ;;
esac
