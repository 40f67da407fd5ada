# The JDBC harness (tests/jdbc/): JdbcProbe, compiled here, logs in with
# Debian's MariaDB Connector/J 2.7 and pgjdbc 42.5 to the local IAM-auth
# MariaDB and PostgreSQL (tests/db/iamauth.sh) with a token from iamdb
# token, TLS on and the server verified. How each driver reads the URL (no
# decoding; percent-decoding) is pinned for iamdb uri --format jdbc.
. "$TESTS_DIR/lib.sh"

needs java javac openssl python3 runuser psql mariadb
needs_root "the PAM service goes in /etc/pam.d"

DB=$HOME/db
OTHER=$HOME/other
FWD=$HOME/fwd
chmod 711 "$HOME"
mkdir -m 711 "$DB"
trap '{ sh "$TESTS_DIR/db/iamauth.sh" stop mariadb "$DB"
    sh "$TESTS_DIR/db/iamauth.sh" stop postgres "$DB"
    sh "$TESTS_DIR/fakes/run.sh" stop "$FWD"; } >/dev/null 2>&1' EXIT
trap 'exit 1' HUP INT TERM

t0=$(date +%s)
sh "$TESTS_DIR/jdbc/jdbc.sh" build "$HOME" >out 2>err
ok $? "JdbcProbe compiles against both drivers, in $(( $(date +%s) - t0 ))s"
sh "$TESTS_DIR/db/testca.sh" "$OTHER" >/dev/null 2>&1
start_server "MariaDB starts with PAM and TLS" my.env \
    sh "$TESTS_DIR/db/iamauth.sh" start mariadb "$DB" jane
start_server "PostgreSQL starts with PAM and TLS" pg.env \
    sh "$TESTS_DIR/db/iamauth.sh" start postgres "$DB" jane
export AWS_CONFIG_FILE="$HOME/none" AWS_SHARED_CREDENTIALS_FILE="$HOME/none"
CA=$DB/ca.pem

# probe URL [NAME=VALUE ...]: JdbcProbe with that input; LOG's verify
# log starts empty.
probe() {
	: >"$LOG"
	printf '%s\n' "$@" | sh "$TESTS_DIR/jdbc/jdbc.sh" run "$HOME" >out 2>err
	rc=$?
}

connected() {	# connected USER DESCRIPTION
	[ "$rc" -eq 0 ] && grep -qx "user=$1" out && grep -q '^tls=TLSv1\.[23] ' out &&
	    grep -q '^\*\*\* ' "$LOG" && ! grep -q refused "$LOG"
	ok $? "$2"
}

# never_sent DESCRIPTION: refused before the token left the client
never_sent() {
	[ "$rc" -eq 1 ] && [ ! -s "$LOG" ]
	ok $? "$1"
}

# forward PORT: a TCP forwarder from 127.0.0.2 (not in the certificate) to
# 127.0.0.1:PORT; its port in $F.
forward() {
	F=$(sh "$TESTS_DIR/fakes/run.sh" start "$FWD" tcp_forward.py \
	    --to "127.0.0.1:$1")
}

# --- MariaDB Connector/J 2.7.6
. ./my.env
LOG=$DB/iam-mariadb/verify.log
P=${DB_ENDPOINT##*:}
tok=$("$IAMDB" token --host 127.0.0.1 --port "$P" --user jane)
TLS="useSsl=true&serverSslCert=$CA"
probe "jdbc:mariadb://127.0.0.1:$P/?user=jane&$TLS" "password=$tok"
connected 'jane@%' "jdbc:mariadb:// with useSsl and serverSslCert, the token as the password property"
grep -qx 'driver=MariaDB Connector/J 2.7.6' out
ok $? "the driver is MariaDB Connector/J 2.7.6"
probe "jdbc:mysql://127.0.0.1:$P/?user=jane&$TLS" "password=$tok"
connected 'jane@%' "jdbc:mysql:// is taken as well (2.7 accepts it unless the URL says disableMariaDbDriver)"
probe "jdbc:mysql://127.0.0.1:$P/?user=jane&$TLS&disableMariaDbDriver" "password=$tok"
[ "$rc" -eq 1 ] && grep -qF 'No suitable driver found for <redacted>' err
ok $? "with disableMariaDbDriver it leaves jdbc:mysql:// alone (and the probe prints no URL)"
probe "jdbc:mariadb://127.0.0.1:$P/?user=jane&useSsl=true&serverSslCert=$OTHER/ca.pem" \
    "password=$tok"
grep -qF 'PKIX path building failed' err
never_sent "a server certificate from another CA is refused before the token is sent"
forward "$P"
probe "jdbc:mariadb://127.0.0.2:$F/?user=jane&$TLS" "password=$tok"
grep -qF 'SSL hostname verification failed' err
never_sent "a certificate without the host's name is refused before the token is sent"
probe "jdbc:mariadb://127.0.0.1:$P/?user=jane&sslMode=verify-full&serverSslCert=$CA" \
    "password=$tok"
grep -qF 'Connector use a plugin that require SSL without enabling ssl' err
never_sent "sslMode (Connector/J 3's spelling) means nothing to 2.7: no TLS, and it will not send a clear-text password"
probe "jdbc:mariadb://127.0.0.1:$P/?user=jane&$TLS&password=$tok"
[ "$rc" -eq 1 ] && grep -qF 'refused: malformed token' "$LOG"
ok $? "the token in the URL is cut at its first & (values are split on & and never decoded)"
probe "jdbc:mariadb://127.0.0.1:$P/?user=jane&$TLS&password=$(pct "$tok")"
[ "$rc" -eq 1 ] && grep -qF 'refused: malformed token' "$LOG"
ok $? "percent-encoded it is refused as well: 2.7 never decodes a value"

# iamdb uri --format jdbc: a URL for both drivers, without the token
# (no spelling of it survives 2.7), which goes in the password property.
# The second time, the CA bundle's path has a space and a quote in it,
# which the URL carries as they are.
mkdir "$HOME/ca d'ir" && cp "$CA" "$HOME/ca d'ir/ca.pem"
ca=$CA
for e in mysql mariadb; do
	"$IAMDB" uri --format jdbc "$e://jane@127.0.0.1:$P" --ca-bundle "$ca" \
	    >jdbc.url 2>err
	ca="$HOME/ca d'ir/ca.pem"
	! grep -q 'X-Amz' jdbc.url && grep -q '[?&]sslMode=VERIFY_IDENTITY&' jdbc.url
	ok $? "$e://: iamdb uri --format jdbc holds no token, and Oracle's sslMode=VERIFY_IDENTITY"
	probe "$(cat jdbc.url)" "password=$tok"
	connected 'jane@%' "$e://: MariaDB Connector/J 2.7 logs in with that URL and the token as the password property"
done
"$IAMDB" uri --format jdbc "mysql://jane@127.0.0.1:$P" --ca-bundle "$OTHER/ca.pem" \
    >jdbc.url 2>err
probe "$(cat jdbc.url)" "password=$tok"
grep -qF 'PKIX path building failed' err
never_sent "with --ca-bundle naming another CA, the driver refuses the server before the token is sent"
"$IAMDB" uri --format jdbc --host 127.0.0.2 --port "$F" --user jane \
    --engine mysql --ca-bundle "$CA" >jdbc.url 2>err
probe "$(cat jdbc.url)" "password=$tok"
grep -qF 'SSL hostname verification failed' err
never_sent "a certificate without the URL's host name is refused before the token is sent"

# --- pgjdbc 42.5.5
. ./pg.env
LOG=$DB/iam-postgres/verify.log
P=${DB_ENDPOINT##*:}
tok=$("$IAMDB" token --host localhost --port "$P" --user jane)
TLS="sslmode=verify-full&sslrootcert=$CA"
probe "jdbc:postgresql://localhost:$P/postgres?user=jane&$TLS" "password=$tok"
connected jane "jdbc:postgresql:// with sslmode=verify-full and sslrootcert, the token as the password property"
grep -qx 'driver=PostgreSQL JDBC Driver 42.5.5' out
ok $? "the driver is pgjdbc 42.5.5"
probe "jdbc:postgresql://localhost:$P/postgres?user=jane&$TLS&password=$(pct "$tok")"
connected jane "the token percent-encoded in the URL logs in (values are URL-decoded)"
probe "jdbc:postgresql://localhost:$P/postgres?user=jane&$TLS&password=$tok"
[ "$rc" -eq 1 ] && grep -qF 'refused: malformed token' "$LOG"
ok $? "the token unencoded in the URL is cut at its first &"
probe "jdbc:postgresql://localhost:$P/postgres?user=jane&$TLS&password=wrong" \
    "password=$tok"
[ "$rc" -eq 1 ] && grep -qF 'refused: malformed token' "$LOG"
ok $? "the URL's password wins over the password property"
probe "jdbc:postgresql://localhost:$P/postgres?user=jane&sslmode=verify-full&sslrootcert=$OTHER/ca.pem" \
    "password=$tok"
grep -qF 'PKIX path building failed' err
never_sent "a server certificate from another CA is refused before the token is sent"
forward "$P"
probe "jdbc:postgresql://127.0.0.2:$F/postgres?user=jane&$TLS" "password=$tok"
grep -qF 'could not be verified' err
never_sent "a certificate without the host's name is refused before the token is sent"
probe "jdbc:postgresql://localhost:$P/postgres?user=jane&$TLS&password=%zz"
[ "$rc" -eq 1 ] && grep -qF 'No suitable driver found for <redacted>' err
never_sent "a malformed percent escape makes the whole URL unacceptable to pgjdbc"

done_testing
