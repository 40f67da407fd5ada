# iamdb ca and the RDS CA bundle, against a loopback HTTPS truststore
# (tests/fakes/ca_server.py) whose certificate comes from a test CA made
# here with the openssl CLI: where the bundle is kept, when it is fetched
# again, what is refused, what happens offline, and which bundle the other
# commands hand to clients.
. "$TESTS_DIR/lib.sh"
unset XDG_CACHE_HOME IAMDB_CA_BUNDLE IAMDB_CA_URL IAMDB_HTTP_TIMEOUT
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent
HOST=mydb.c9akciq32.us-east-1.rds.amazonaws.com
DIR=$HOME/.cache/iamdb/ca
GLOBAL=$DIR/global-bundle.pem

# --- certificates: the TLS CA that signs the server's certificate, and
# the "RDS" CAs the bundle is made of (one of them about to expire).
mkdir pki
newcert() {	# newcert NAME DAYS CN: a self-signed EC certificate
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -days "$2" -subj "/CN=$3" -keyout "pki/$1.key" \
	    -out "pki/$1.pem" 2>/dev/null
}
newcert tls-ca 30 "iamdb test TLS CA"
newcert other-ca 30 "some other CA"
newcert rds-a 3650 "Test RDS Root CA A"
newcert rds-b 3650 "Test RDS Root CA B"
newcert soon 10 "Test RDS Root CA Soon"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -subj /CN=127.0.0.1 -keyout pki/server.key -out pki/server.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >pki/san.ext
openssl x509 -req -in pki/server.csr -CA pki/tls-ca.pem -CAkey pki/tls-ca.key \
    -CAcreateserial -days 30 -extfile pki/san.ext -out pki/server.pem 2>/dev/null
[ -s pki/server.pem ] && [ -s pki/soon.pem ]
ok $? "the openssl CLI made a test CA, a server certificate and bundle CAs"

# --- the fake truststore
SRV=$HOME/truststore
mkdir "$SRV"
cat pki/rds-a.pem >"$SRV/bundle.pem"
python3 "$TESTS_DIR/fakes/ca_server.py" --state "$SRV" --cert pki/server.pem \
    --key pki/server.key --lifetime 60 >"$SRV/stderr" 2>&1 &
SRV_PID=$!
trap 'kill $SRV_PID 2>/dev/null' EXIT
i=0
while [ ! -s "$SRV/port" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
PORT=$(cat "$SRV/port")
URL=https://127.0.0.1:$PORT/global/global-bundle.pem
export IAMDB_CA_URL=$URL CURL_CA_BUNDLE=$HOME/pki/tls-ca.pem
: >"$SRV/requests.log"

requests() { wc -l <"$SRV/requests.log" | tr -d ' '; }
last() { tail -n 1 "$SRV/requests.log"; }
mode() { ls -ld "$1" | cut -c1-10; }
serve() { cat "$@" >"$SRV/bundle.tmp" && mv "$SRV/bundle.tmp" "$SRV/bundle.pem"; }
age() {		# age REGION: the last check of that bundle was two days ago
	sed 's/"checked": *[0-9]*/"checked": '$(($(date +%s) - 172800))'/' \
	    "$DIR/$1-bundle.json" >"$DIR/$1-bundle.json.new" &&
	    mv "$DIR/$1-bundle.json.new" "$DIR/$1-bundle.json"
}
prefixed() {	# every line of err is iamdb's
	! grep -qv '^iamdb: ' err
	ok $? "$1"
}

# --- first download
run ca
expect_rc 0 "iamdb ca downloads the bundle on first use"
[ "$(cat out)" = "$GLOBAL" ]
ok $? "it prints the path of the cached bundle, ~/.cache/iamdb/ca/global-bundle.pem"
cmp -s "$GLOBAL" "$SRV/bundle.pem"
ok $? "the cached bundle is the served one byte for byte"
[ "$(mode "$GLOBAL")" = "-rw-------" ]
ok $? "the cached bundle is 0600"
[ "$(mode "$DIR")" = "drwx------" ] && [ "$(mode "$HOME/.cache/iamdb")" = "drwx------" ]
ok $? "in a 0700 directory"
[ "$(requests)" = 1 ] && last | grep -q '^GET /global/global-bundle.pem 200 inm=- ims=-$'
ok $? "with one unconditional GET of IAMDB_CA_URL"
[ ! -s err ]
ok $? "and nothing on stderr"
ls "$DIR" | grep -q lock
[ $? -ne 0 ]
ok $? "no lock file is left behind"

# --- caching and conditional requests
run ca
expect_rc 0 "a second run within a day"
[ "$(cat out)" = "$GLOBAL" ] && [ "$(requests)" = 1 ]
ok $? "prints the same path without any request"
ETAG=$(sed -n 's/.*"etag": *"\(\\"[^\\]*\\"\)".*/\1/p' "$DIR/global-bundle.json" | tr -d '\\')
LM=$(sed -n 's/.*"last_modified": *"\([^"]*\)".*/\1/p' "$DIR/global-bundle.json")
run ca --refresh
expect_rc 0 "--refresh"
[ -n "$ETAG" ] && [ -n "$LM" ] && [ "$(requests)" = 2 ] &&
    last | grep -qF "304 inm=$ETAG ims=$LM"
ok $? "--refresh asks again with the ETag and Last-Modified it kept as If-None-Match and If-Modified-Since, answered 304"
cmp -s "$GLOBAL" "$SRV/bundle.pem" && [ "$(cat out)" = "$GLOBAL" ]
ok $? "a 304 keeps the cached bundle"
age global
run ca
[ "$(requests)" = 3 ] && last | grep -q ' 304 inm="'
ok $? "a bundle last checked over a day ago is checked again on its own"
run ca
[ "$(requests)" = 3 ]
ok $? "and that check counts as today's: the next run asks nothing"
serve pki/rds-a.pem pki/rds-b.pem
run ca --refresh
expect_rc 0 "a bundle changed on the server"
last | grep -q ' 200 inm="' && cmp -s "$GLOBAL" "$SRV/bundle.pem"
ok $? "is downloaded in full and replaces the cached copy"

# What a writer killed with SIGKILL in the middle of a refresh leaves: its
# lock files, half written, and no process holding them.
serve pki/rds-b.pem
printf 'half a bundle' >"$DIR/global-bundle.pem.lock"
printf '{"url": "https://evil' >"$DIR/global-bundle.json.lock"
run ca --refresh
expect_rc 0 "lock files left by a killed writer do not stop the next refresh"
cmp -s "$GLOBAL" "$SRV/bundle.pem" && [ "$(cat out)" = "$GLOBAL" ]
ok $? "which keeps the bundle whole"
ls "$DIR" | grep -q lock
[ $? -ne 0 ]
ok $? "and leaves no lock file"

# --- certificates about to expire
serve pki/rds-a.pem pki/soon.pem
run ca --refresh
expect_rc 0 "a bundle with a certificate expiring within 30 days is accepted"
has err "Test RDS Root CA Soon expires within 30 days" "with a warning naming that certificate"
[ "$(grep -c 'Root CA Soon' err)" = 1 ]
ok $? "given once, not once per check"
lacks err "Root CA A" "certificates far from expiry are not mentioned"
prefixed "every warning line starts with 'iamdb: '"
run ca
has err "Root CA Soon expires within 30 days" "the warning is repeated when the cached bundle is used"

# --- bodies that are not a bundle of certificates
GOOD=$(cat "$GLOBAL")
for body in html empty key truncated; do
	case $body in
	html)	printf '<html><body>captive portal</body></html>\n' >"$SRV/bad" ;;
	empty)	: >"$SRV/bad" ;;
	key)	cat pki/rds-a.pem pki/rds-a.key >"$SRV/bad" ;;
	truncated) head -n 5 pki/rds-b.pem | cat pki/rds-a.pem - >"$SRV/bad" ;;
	esac
	serve "$SRV/bad"
	run ca --region us-west-2
	expect_rc 5 "a $body body is refused when nothing is cached"
	has err "is not a bundle of PEM X.509 certificates" "the $body body is explained"
	[ ! -e "$DIR/us-west-2-bundle.pem" ] && [ ! -s out ]
	ok $? "no file is written for the $body body and no path printed"
done
ls "$DIR" | grep -q lock
[ $? -ne 0 ]
ok $? "refused bodies leave no lock file behind"
run ca --refresh
expect_rc 0 "a refused body on refresh falls back to the cached copy"
[ "$(cat "$GLOBAL")" = "$GOOD" ]
ok $? "which is left as it was"
has err "could not refresh the CA bundle" "with a warning"
printf '404\n' >"$SRV/status"
run ca --region us-west-2
expect_rc 5 "an HTTP error with nothing cached"
has err "HTTP 404" "names the status"
rm -f "$SRV/status"

# --- regions
serve pki/rds-b.pem
run ca --region eu-west-1
expect_rc 0 "--region eu-west-1"
[ "$(cat out)" = "$DIR/eu-west-1-bundle.pem" ] &&
    cmp -s "$DIR/eu-west-1-bundle.pem" pki/rds-b.pem
ok $? "keeps that region's bundle in its own file"
[ "$(cat "$GLOBAL")" = "$GOOD" ]
ok $? "and leaves the global one alone"
run ca --region 'eu west 1'
expect_rc 2 "an invalid --region"
run ca extra
expect_rc 2 "a stray argument"
run ca --bogus
expect_rc 2 "an unknown option"

# --- TLS verification stays on
before=$(requests)
CURL_CA_BUNDLE=$HOME/pki/other-ca.pem run ca --region ap-south-1
expect_rc 5 "a server certificate not signed by CURL_CA_BUNDLE's CA is refused"
has err "certificate" "the TLS failure is explained"
[ ! -e "$DIR/ap-south-1-bundle.pem" ] && [ "$(requests)" = "$before" ]
ok $? "nothing is fetched or written through an unverified connection"
(unset CURL_CA_BUNDLE; "$IAMDB" ca --region ap-south-1 >out 2>err)
rc=$?
expect_rc 5 "without CURL_CA_BUNDLE the system's CAs are used, which do not know the test CA"
IAMDB_CA_URL=http://127.0.0.1:$PORT/global/global-bundle.pem run ca --region ap-south-1
expect_rc 3 "a plain http:// IAMDB_CA_URL is refused"
has err "https" "the refusal says HTTPS is needed"
[ "$(requests)" = "$before" ]
ok $? "and no request is made"

# --- the other commands use the bundle
serve pki/rds-a.pem
before=$(requests)
run env --host $HOST --engine postgres --user u
expect_rc 0 "iamdb env without --ca-bundle"
has out "export PGSSLROOTCERT='$GLOBAL';" "sets PGSSLROOTCERT to the cached bundle"
has out "export PGSSLMODE='verify-full';" "with sslmode verify-full"
[ "$(requests)" = "$before" ]
ok $? "without a request while the cached bundle is fresh"
rm -rf "$HOME/.cache"
run env --host $HOST --engine postgres --user u --format dotenv
expect_rc 0 "iamdb env with no bundle cached"
has out "PGSSLROOTCERT=\"$GLOBAL\"" "fetches it and points PGSSLROOTCERT at it"
[ "$(requests)" = $((before + 1)) ] && cmp -s "$GLOBAL" pki/rds-a.pem
ok $? "with one download"
run json --host $HOST --engine postgres --user u
has out "\"sslrootcert\": \"$GLOBAL\"" "iamdb json gives the same path"
run uri --host $HOST --engine postgres --user u
has out "sslrootcert=$(printf %s "$GLOBAL" | sed 's,/,%2F,g')" "and so does iamdb uri"
before=$(requests)
rm -rf "$HOME/.cache"
run env --host $HOST --engine postgres --user u --sslmode require
expect_rc 0 "sslmode require"
lacks out PGSSLROOTCERT "needs no CA bundle"
[ "$(requests)" = "$before" ] && [ ! -e "$GLOBAL" ]
ok $? "so none is fetched"
ca_pem "$HOME/my-ca.pem"
ca_pem "$HOME/env-ca.pem"
run env --host $HOST --engine postgres --user u --ca-bundle "$HOME/my-ca.pem"
has out "export PGSSLROOTCERT='$HOME/my-ca.pem';" "--ca-bundle wins"
IAMDB_CA_BUNDLE=$HOME/env-ca.pem run env --host $HOST --engine postgres --user u
has out "export PGSSLROOTCERT='$HOME/env-ca.pem';" "so does IAMDB_CA_BUNDLE"
run env --host $HOST --engine postgres --user u --ca-bundle "$HOME/nonexistent.pem"
expect_rc 6 "a --ca-bundle that does not exist"
has err "nonexistent.pem" "is named when iamdb runs, not when the client fails"
printf 'not a certificate\n' >"$HOME/junk.pem"
run env --host $HOST --engine postgres --user u --ca-bundle "$HOME/junk.pem"
expect_rc 3 "a --ca-bundle that is not PEM"
has err "is not a bundle of PEM X.509 certificates" "is refused as such"
run env --host $HOST --engine postgres --user u --sslmode verify-ca --ca-bundle "$HOME/my-ca.pem"
has err "warning: sslmode verify-ca: the client will not check that the certificate names the server" \
    "a weaker --sslmode is honoured with a warning"
ca_pem "$HOME/system.pem"
SSL_CERT_FILE=$HOME/system.pem run env --host abc123.dsql.us-east-1.on.aws --engine dsql --user admin
expect_rc 0 "Aurora DSQL"
has out "export PGSSLROOTCERT='$HOME/system.pem';" \
    "gets the system's CAs as a file that libpq 15 and pgjdbc take"
[ "$(requests)" = "$before" ] && [ ! -e "$GLOBAL" ]
ok $? "and fetches no RDS bundle for them"
SSL_CERT_FILE=$HOME/junk.pem run env --host abc123.dsql.us-east-1.on.aws --engine dsql --user admin
expect_rc 3 "Aurora DSQL where the system's CAs are unusable"
has err "install ca-certificates, or give --ca-bundle" "names the remedies"
SSL_CERT_FILE=$HOME/system.pem run env --host $HOST --engine postgres --user u --ca-bundle system
has out "export PGSSLROOTCERT='$HOME/system.pem';" "--ca-bundle system is the system's file too"

# --- a HOME nothing can be written under (Lambda's): mkdir fails there
# with ENOTDIR even for root, and the bundle is kept under $TMPDIR instead
: >"$HOME/file"
mkdir "$HOME/tmp"
RO="HOME=$HOME/file/home TMPDIR=$HOME/tmp"
TMPCA=$HOME/tmp/iamdb-$(id -u)/ca/global-bundle.pem
env $RO "$IAMDB" ca >out 2>err
rc=$?
expect_rc 0 "iamdb ca with a HOME that cannot be written"
[ "$(cat out)" = "$TMPCA" ] && cmp -s "$TMPCA" "$SRV/bundle.pem"
ok $? "keeps the bundle in a private directory under \$TMPDIR"
[ "$(mode "$HOME/tmp/iamdb-$(id -u)")" = "drwx------" ] && [ "$(mode "$TMPCA")" = "-rw-------" ]
ok $? "which is 0700, the bundle 0600"
lacks err "mkdir" "without a word about mkdir"
env $RO "$IAMDB" env --host $HOST --engine postgres --user u >out 2>err
rc=$?
expect_rc 0 "iamdb env with that HOME"
has out "export PGSSLROOTCERT='$TMPCA';" "hands the client the bundle under \$TMPDIR"
env $RO "$IAMDB" exec --host $HOST --engine postgres --user u -- \
    sh -c 'echo "$PGSSLROOTCERT"' >out 2>err
rc=$?
expect_rc 0 "iamdb exec with that HOME"
[ "$(cat out)" = "$TMPCA" ]
ok $? "and so does exec"
env HOME=$HOME/file/home TMPDIR=$HOME/file "$IAMDB" env --host $HOST \
    --engine postgres --user u >out 2>err
rc=$?
expect_rc 6 "when \$TMPDIR cannot be written either"
has err "$HOME/file/home/.cache/iamdb: Not a directory; $HOME/file/iamdb-$(id -u): Not a directory" \
    "the error names both places"
has err "give --ca-bundle FILE or IAMDB_CA_BUNDLE, or install AWS's global-bundle.pem as /etc/ssl/rds/global-bundle.pem" \
    "and the remedies"
mkdir -p "$HOME/tmp2/iamdb-$(id -u)"
if [ "$(id -u)" = 0 ]; then
	chown 65534 "$HOME/tmp2/iamdb-0"
	env HOME=$HOME/file/home TMPDIR=$HOME/tmp2 "$IAMDB" ca >out 2>err
	rc=$?
	expect_rc 6 "a directory under \$TMPDIR that another user made first"
	has err "$HOME/tmp2/iamdb-0: is owned by another user" "is refused, not used"
else
	skip "a directory under \$TMPDIR that another user made first" "needs root to chown"
	skip "is refused, not used" "needs root to chown"
fi

# --- offline
run ca
expect_rc 0 "the bundle is cached again"
kill $SRV_PID
wait $SRV_PID 2>/dev/null
run ca --refresh
expect_rc 0 "with the server down, --refresh still succeeds"
[ "$(cat out)" = "$GLOBAL" ]
ok $? "serving the cached copy"
has err "could not refresh the CA bundle" "with a warning"
has err "using the copy from" "that says a cached copy is used"
prefixed "and is iamdb's"
age global
run env --host $HOST --engine postgres --user u
expect_rc 0 "iamdb env with a day-old bundle and the server down"
has out "export PGSSLROOTCERT='$GLOBAL';" "uses the cached copy"
has err "could not refresh the CA bundle" "and says so"
run env --host $HOST --engine postgres --user u
[ $rc -eq 0 ] && [ ! -s err ]
ok $? "after a failed check the next command does not try again at once"
run ca --region sa-east-1
expect_rc 5 "no cached copy and the server down"
has err "127.0.0.1:$PORT" "names the server it could not reach"
[ ! -s out ]
ok $? "and prints no path"
rm -rf "$HOME/.cache"
run env --host $HOST --engine postgres --user u
expect_rc 5 "iamdb env with no bundle to be had"
[ ! -s out ]
ok $? "prints no variables"
has err "give --ca-bundle FILE or IAMDB_CA_BUNDLE, or install AWS's global-bundle.pem as /etc/ssl/rds/global-bundle.pem" \
    "names the remedies"

# --- no egress: a bundle installed at a well-known path serves without
# any request (the server is down, and a proxy that is not there would
# catch any request to AWS); a private mount namespace lends us
# /etc/ssl/rds and /opt/rds
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	cp pki/rds-a.pem installed.pem
	cp pki/rds-b.pem regional.pem
	cat >installed.sh <<EOF
mount -t tmpfs tmpfs /etc/ssl && mount -t tmpfs tmpfs /opt || exit 99
mkdir /etc/ssl/rds /opt/rds
cp installed.pem /etc/ssl/rds/global-bundle.pem
cp regional.pem /opt/rds/eu-west-1-bundle.pem
unset IAMDB_CA_URL
export https_proxy=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9
"$IAMDB" env --host $HOST --engine postgres --user u >inst.env 2>inst.env.err
echo "env \$?" >inst.rc
"$IAMDB" ca --region eu-west-1 >inst.ca 2>inst.ca.err
echo "ca \$?" >>inst.rc
printf 'not a certificate\n' >/etc/ssl/rds/global-bundle.pem
"$IAMDB" ca >inst.junk 2>inst.junk.err
echo "junk \$?" >>inst.rc
EOF
	rm -rf "$HOME/.cache"
	unshare -m sh installed.sh
	grep -qx 'env 0' inst.rc && grep -qF "export PGSSLROOTCERT='/etc/ssl/rds/global-bundle.pem';" inst.env
	ok $? "iamdb env offline uses /etc/ssl/rds/global-bundle.pem"
	[ ! -e "$HOME/.cache" ]
	ok $? "without downloading or caching anything"
	grep -qx 'ca 0' inst.rc && [ "$(cat inst.ca)" = /opt/rds/eu-west-1-bundle.pem ]
	ok $? "a region's installed bundle comes before the global one (/opt/rds, a Lambda layer's place)"
	grep -qx 'junk 3' inst.rc && grep -qF "/etc/ssl/rds/global-bundle.pem" inst.junk.err
	ok $? "an installed file that is not a bundle is refused, naming it"
	[ -s inst.rc ] || sed 's/^/#   /' inst.*.err
else
	for i in 1 2 3 4; do skip "an installed bundle" "needs root and unshare -m"; done
fi

done_testing
