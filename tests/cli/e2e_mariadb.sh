# IAM authentication end to end, the way RDS for MySQL and MariaDB does it,
# on a local MariaDB (tests/db/iamauth.sh): accounts IDENTIFIED VIA pam with
# the clear-text flow over TLS, PAM handing each password to `iamdb
# verify`, which holds the one static key. Tokens are signed at the real
# time with that key, handed over by every MySQL output mode, and used by
# the mariadb client; each refusal is the server's, and iamdb verify's
# reason is in the pam_exec log.
#
# The endpoint is 127.0.0.1, not localhost: MySQL clients take "localhost"
# to mean the Unix socket.
. "$TESTS_DIR/lib.sh"

needs mariadb mariadb-admin mariadb-install-db openssl python3
needs_root "the PAM service goes in /etc/pam.d"
unset MYSQL_HOST MYSQL_TCP_PORT MYSQL_PWD MYSQL_HOME MARIADB_HOME \
    MYSQL_UNIX_PORT MYSQL_GROUP_SUFFIX

DB=$HOME/db
IAM=$DB/iam-mariadb
LOG=$IAM/verify.log
mkdir -m 711 "$DB"
trap 'sh "$TESTS_DIR/db/iamauth.sh" stop mariadb "$DB" >/dev/null 2>&1' EXIT
trap 'exit 1' HUP INT TERM
start_server "MariaDB starts with auth_pam, clear-text PAM and TLS required, users jane and bob" \
    env.sh sh "$TESTS_DIR/db/iamauth.sh" start mariadb "$DB" jane bob
# The keys, the region and the CA, as the script gives them to clients.
. ./env.sh
export AWS_CONFIG_FILE="$HOME/none" AWS_SHARED_CREDENTIALS_FILE="$HOME/none"
H=127.0.0.1
PORT=${DB_ENDPOINT##*:}
SVC=$(cat "$IAM/service")

[ -f "/etc/pam.d/$SVC" ] && grep -qF "$IAMDB verify --keys $IAM/keys --endpoint $H:$PORT --region us-east-1" "/etc/pam.d/$SVC"
ok $? "the PAM service $SVC runs the iamdb under test for $H:$PORT"
[ "$(stat -c '%a %U' "$IAM/keys")" = "600 root" ] &&
    ! grep -q aws_session_token "$IAM/keys"
ok $? "the keys file is static keys only, 0600, root's"
sh "$TESTS_DIR/db/iamauth.sh" sql mariadb "$DB" "SELECT plugin, authentication_string,
    ssl_type FROM mysql.user WHERE user = 'jane'; SELECT @@pam_use_cleartext_plugin,
    @@require_secure_transport" >out 2>err
grep -q "^pam	$SVC	ANY$" out && grep -q '^1	1$' out
ok $? "jane is IDENTIFIED VIA pam USING '$SVC' REQUIRE SSL; clear-text PAM; TLS required"

# Who the server says we are, and the TLS cipher (empty without TLS).
Q="SELECT CURRENT_USER(), VARIABLE_VALUE FROM information_schema.SESSION_STATUS
    WHERE VARIABLE_NAME = 'SSL_CIPHER'"
FMT="-N -B -r"
VERIFY="--ssl-verify-server-cert"

token() {	# token USER [OPTION ...]: a token for USER at $H:PORT
	u=$1
	shift
	"$IAMDB" token --engine mariadb --host $H --port "$PORT" --user "$u" "$@"
}

# login USER PASSWORD [OPTION ...]: the client as USER with no option file,
# verifying the server unless OPTIONs say otherwise; the log of iamdb
# verify starts empty.
login() {
	u=$1
	p=$2
	shift 2
	[ $# -gt 0 ] || set -- --ssl-ca="$IAMDB_CA_BUNDLE" $VERIFY
	: >"$LOG"
	MYSQL_PWD=$p mariadb --no-defaults $FMT -h $H -P "$PORT" -u "$u" \
	    "$@" -e "$Q" >out 2>err
	rc=$?
}

connected() {	# connected DESCRIPTION [USER]: USER@% over TLS
	tab=$(printf '\t')
	[ "$rc" -eq 0 ] && case $(cat out) in
	"${2:-jane}@%$tab"?*) true ;;
	*) false ;;
	esac && ! grep -q refused "$LOG"
	ok $? "$1"
}

# refused REASON DESCRIPTION: the server refused the login, and iamdb
# verify gave REASON.
refused() {
	pam_refused 'Access denied for user' "$@"
}

# --- accepted: a fresh token, by every way iamdb hands it over
tok=$(token jane)
len=$(printf '%s' "$tok" | wc -c)
[ "$len" -lt 512 ]
ok $? "a token signed with the static key fits in PAM's 511 bytes ($len)"
login jane "$tok"
connected "the token from iamdb token logs in as jane, over TLS"
grep -q '^\*\*\* ' "$LOG"
ok $? "and iamdb verify ran through auth_pam_tool and pam_exec"
login bob "$(token bob)"
connected "bob's own token logs in as bob" bob

: >"$LOG"
"$IAMDB" exec "$DB_URL" -- sh -c '
	[ -f "$MYSQL_HOME/my.cnf" ] || exit 9
	exec env -u MYSQL_PWD '"mariadb $FMT"' -e "$0"' "$Q" >out 2>err
rc=$?; connected "iamdb exec -- mariadb logs in with the private option file alone"
: >"$LOG"
"$IAMDB" exec --no-refresh "$DB_URL" -- sh -c '
	[ -n "$MYSQL_PWD" ] || exit 9
	exec '"mariadb $FMT"' -u "$IAMDB_USER" --ssl-ca="$IAMDB_SSLROOTCERT" \
	    '"$VERIFY"' -e "$0"' "$Q" >out 2>err
rc=$?; connected "iamdb exec --no-refresh -- mariadb logs in with MYSQL_PWD"
: >"$LOG"
(
	eval "$("$IAMDB" env "$DB_URL")" || exit 9
	mariadb $FMT -u "$IAMDB_USER" --ssl-ca="$IAMDB_SSLROOTCERT" $VERIFY \
	    -e "$Q"
) >out 2>err
rc=$?; connected "eval \"\$(iamdb env)\"; mariadb logs in"
: >"$LOG"
"$IAMDB" mycnf "$DB_URL" --file my.cnf >/dev/null 2>err &&
    mariadb --defaults-file=my.cnf $FMT -e "$Q" >out 2>err
rc=$?; connected "mariadb --defaults-file logs in with the file of iamdb mycnf"
: >"$LOG"
"$IAMDB" uri "$DB_URL" >uri 2>err
python3 - uri "$Q" >out 2>err <<'PY'
import os, sys
from urllib.parse import urlsplit, unquote, parse_qs
u = urlsplit(open(sys.argv[1]).read().strip())
q = parse_qs(u.query)
os.environ["MYSQL_PWD"] = unquote(u.password)
os.execvp("mariadb", ["mariadb", "--no-defaults", "-N", "-B", "-r",
    "-h", u.hostname, "-P", str(u.port), "-u", unquote(u.username),
    "--ssl-ca", q["ssl-ca"][0], "--ssl-verify-server-cert", "-e", sys.argv[2]])
PY
rc=$?; connected "mariadb logs in with the parts of iamdb uri"

# --- refused, each by the server, for the reason iamdb verify gives
login bob "$(token jane)"
refused "signed for user jane, not bob" "jane's token does not log in as bob"
ago=$(date -u -d '-20 min' +%Y-%m-%dT%H:%M:%SZ)
login jane "$(token jane --signing-time "$ago")"
refused "expired" "a token signed 20 minutes ago has expired"
# The last hex digit of the signature, changed.
login jane "$(token jane | sed 's/\(.\)$/\1x/; s/0x$/1/; s/[1-9a-f]x$/0/')"
refused "the signature does not match" "a token with a changed signature is refused"
login bob "$(token jane | sed 's/DBUser=jane/DBUser=bob/')"
refused "the signature does not match" "jane's token rewritten for bob is refused"
login jane "$("$IAMDB" token --host localhost --port "$PORT" --user jane)"
refused "signed for another endpoint (localhost:$PORT), not this one ($H:$PORT)" \
    "a token for another host name is refused"
login jane "$(token jane --port $((PORT + 1)))"
refused "signed for another endpoint ($H:$((PORT + 1))), not this one ($H:$PORT)" \
    "a token for another port is refused"
login jane "$(AWS_ACCESS_KEY_ID=AKIAUNKNOWNUNKNOWN00 token jane)"
refused "unknown access key AKIAUNKNOWNUNKNOWN00" "a token signed with an unknown key is refused"

# Without TLS the server refuses the session, but only after PAM: the
# client sent the token in the clear, and iamdb verify accepted it.
# MariaDB's client sends a clear-text password whenever a server asks for
# one; it is the client that must insist on TLS (iamdb's outputs do).
login jane "$tok" --skip-ssl
[ "$rc" -ne 0 ] && grep -qF 'Access denied for user' err
ok $? "without TLS the server refuses jane, valid token or not"
grep -q '^\*\*\* ' "$LOG" && ! grep -q refused "$LOG"
ok $? "MariaDB applies its TLS rule only after PAM: iamdb verify saw the token, and accepted it"

# A token with a session token is over 1000 bytes: pam_exec passes the
# first 511 alone, and so no such token can pass. (Static keys, then.)
long=$(AWS_SESSION_TOKEN=$(head -c 600 /dev/urandom | base64 -w 0) token jane)
[ "$(printf '%s' "$long" | wc -c)" -gt 1000 ]
ok $? "a token with a session token is over 1000 bytes"
login jane "$long"
refused "malformed token" "pam_exec cuts it, and the server refuses it"
grep -qF "cut at 511 bytes" "$LOG"
ok $? "iamdb verify says it was cut at 511 bytes"

login jane "$(token jane)"
connected "jane still logs in after all that"
! grep -q Sanitizer "$LOG"
ok $? "no sanitizer report in the pam_exec log"

done_testing
