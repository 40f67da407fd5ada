# iamdb mycnf: the keys it owns in one group of a MySQL option file, and
# everything it leaves alone byte for byte. Files are read back as mysys
# reads them (outputs_readers.py mycnf) and, when installed, by the
# clients' own my_print_defaults.
. "$TESTS_DIR/lib.sh"
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent
export IAMDB_CA_BUNDLE=$HOME/rds-ca.pem
ca_pem "$IAMDB_CA_BUNDLE"
H=mydb.c9akciq32.us-east-1.rds.amazonaws.com
T=2016-11-07T17:39:33Z
# python3 itself, not a wrapper script that may stand in for it
PY=$(python3 -c 'import sys; print(sys.executable)')
READ="$PY $TESTS_DIR/cli/outputs_readers.py"
mode() { ls -ld "$1" | cut -c1-10; }
tok() { "$IAMDB" token --host $H --engine mysql --user "$1" --signing-time $T; }
my() { run mycnf --host $H --signing-time $T "$@"; }
# get FILE GROUP KEY: the last value mysys reads for KEY in GROUP
get() { $READ mycnf-get "$@"; }
# others FILE GROUP: every line but the keys iamdb owns in GROUP and, for
# [client], the [client-mariadb] group it adds (with the blank line before
# it) for MariaDB's ssl-verify-server-cert
others() {
	awk -v g="$2" '
	function out(s) {
		if (pend)
			print blank
		pend = 0
		print s
	}
	{ line = $0; sub(/\r$/, "", line) }
	line ~ /^[ \t]*\[/ {
		name = line
		sub(/^[ \t]*\[/, "", name)
		sub(/\].*/, "", name)
		in_g = name == g
		in_m = g == "client" && name == "client-mariadb"
		if (in_m) {
			pend = 0
			next
		}
		out($0)
		next
	}
	in_m && line ~ /^ssl-verify-server-cert$/ { next }
	in_g {
		k = line
		sub(/^[ \t]*/, "", k)
		sub(/[ \t=].*/, "", k)
		k = tolower(k)
		gsub(/_/, "-", k)
		sub(/^loose-/, "", k)
		if (k ~ /^(user|password|host|port|database|ssl-ca|ssl-mode|ssl-verify-server-cert|enable-cleartext-plugin)$/)
			next
	}
	line == "" && !pend { blank = $0; pend = 1; next }
	{ out($0) }
	END { if (pend) print blank }' "$1"
}

# --- a new file
my --file new.cnf --user u
expect_rc 0 "a new option file"
[ "$(mode new.cnf)" = "-rw-------" ]
ok $? "is created 0600"
[ "$(head -n 1 new.cnf)" = "[client]" ]
ok $? "starts with the [client] group"
[ "$(get new.cnf client password)" = "$(tok u)" ]
ok $? "whose password is the token"
[ "$(get new.cnf client user)" = u ] && [ "$(get new.cnf client host)" = $H ] &&
    [ "$(get new.cnf client port)" = 3306 ]
ok $? "with user, host and port"
[ "$(get new.cnf client ssl-ca)" = "$HOME/rds-ca.pem" ]
ok $? "and ssl-ca set to the CA bundle"
my --user u
[ -f .my.cnf ] && [ "$(get .my.cnf client user)" = u ]
ok $? "the default file is ~/.my.cnf"

# --- an existing file
cat >f <<'EOF'
# options for everything
[mysqld]
user = mysql
password = serverside

[client]
user=old
password="x"
# a comment inside the group
default-character-set = utf8mb4
loose_ssl_ca=/old/ca.pem
Port = 3307

[mysql]
prompt = \u@\h>\_
host = elsewhere
EOF
cp f before
my --file f --user u
expect_rc 0 "an existing file with other groups and other keys"
others before client >a
others f client >b
cmp -s a b
ok $? "every line but the owned keys of [client] stays byte for byte"
[ "$(get f client password)" = "$(tok u)" ] && [ "$(get f client user)" = u ] &&
    [ "$(get f client port)" = 3306 ]
ok $? "the owned keys (user, password, port, ssl-ca) are replaced"
[ "$(grep -c '^user=old' f)" = 0 ] && [ "$(grep -c 'ssl_ca' f)" = 0 ]
ok $? "and their old lines are gone, whatever their spelling"
[ "$(get f client default-character-set)" = utf8mb4 ]
ok $? "other keys of [client] are kept"
[ "$(get f mysqld user)" = mysql ] && [ "$(get f mysqld password)" = serverside ] &&
    [ "$(get f mysql host)" = elsewhere ]
ok $? "keys of the same names in other groups are not touched"
cp f f.prev
my --file f --user u
cmp -s f f.prev
ok $? "writing again changes nothing"

# --- --group
cp before g
my --file g --user u --group clientx
expect_rc 0 "--group clientx"
{ cat before; printf '\n[clientx]\n'; } >a
others g clientx >b
cmp -s a b
ok $? "leaves every other group, [client] included, as it was, and adds [clientx] at the end"
[ "$(get g clientx password)" = "$(tok u)" ] && [ "$(get g client user)" = old ]
ok $? "and writes the keys into [clientx]"
run mycnf --host $H --user u --group 'a]b'
expect_rc 2 "a group name with ']'"

# --- --remove
cp f r
(unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
 "$IAMDB" mycnf --file r --host $H --user u --remove >out 2>err)
rc=$?
expect_rc 0 "--remove, with no credentials at hand"
others f client >a
others r client >b
cmp -s a b && ! grep -q ssl-verify-server-cert r
ok $? "takes out the owned keys of [client] and [client-mariadb] and nothing else"
get r client password >/dev/null
[ $? -eq 1 ]
ok $? "so no password is left"
my --file missing.cnf --user u --remove
[ ! -e missing.cnf ]
ok $? "--remove on a file that does not exist does not create it"

# --- CRLF
printf '[mysql]\r\nprompt=x\r\n[client]\r\nuser=old\r\ncompress\r\n' >crlf
my --file crlf --user u
expect_rc 0 "a file with CRLF line ends"
[ "$(grep -c "$(printf '\r')\$" crlf)" = "$(wc -l <crlf | tr -d ' ')" ]
ok $? "gets CRLF on every line iamdb writes"
printf '[mysql]\r\nprompt=x\r\n[client]\r\ncompress\r\n' >want
others crlf client >b
cmp -s want b
ok $? "and keeps the others byte for byte"
[ "$(get crlf client password)" = "$(tok u)" ]
ok $? "and the token reads back without a stray CR"
printf '[client]\nuser=old' >nonl
my --file nonl --user u
[ "$(get nonl client password)" = "$(tok u)" ] && [ "$(tail -c 1 nonl | od -An -c | tr -d ' ')" = '\n' ]
ok $? "a file without a final newline is ended properly"

# --- quoting
for U in "o'brien" 'say"hi' 'hash#tag' 'back\slash' 'both"and'"'"'#x' ' lead'; do
	my --file q --user "$U"
	[ "$(get q client user)" = "$U" ] && [ "$(get q client password)" = "$(tok "$U")" ]
	ok $? "user [$U] reads back exactly as mysys reads it"
done
my --file q --user u --database 'my "db" #1'
[ "$(get q mysql database)" = 'my "db" #1' ] && [ -z "$(get q client database)" ]
ok $? "so does a database name with quotes and '#', in [mysql] (not [client], where mysqldump would read --databases)"
my --file q --user u --database 'a
b'
expect_rc 2 "a database name with a line break is refused"

# A line break in any value would end iamdb's line and start one of the
# caller's choosing: a new group, a host, a second password.
printf '[client]\ncompress\n' >nl.cnf
cp nl.cnf nl.orig
my --file nl.cnf --user u --ca-bundle "$(printf '/ca.pem\n[client]\nhost = evil.example.com')"
expect_rc 2 "--ca-bundle with a line break"
has err "the CA bundle path holds a line break" "is refused, naming the value (not its contents)"
cmp -s nl.cnf nl.orig && ! grep -q evil nl.cnf
ok $? "and the file is left as it was"
IAMDB_CA_BUNDLE="$(printf '/ca.pem\r[mysql]')" my --file nl.cnf --user u
expect_rc 2 "IAMDB_CA_BUNDLE with a carriage return, which no option parser checked"
cmp -s nl.cnf nl.orig
ok $? "is refused by the writer itself"
my --file nl.cnf --user u --group "$(printf 'a\nb')"
expect_rc 2 "a --group with a line break"
cmp -s nl.cnf nl.orig
ok $? "leaves the file alone"

if command -v my_print_defaults >/dev/null 2>&1; then
	U='both"and'"'"'#x\y'
	my --file real.cnf --user "$U"
	my_print_defaults --defaults-file="$HOME/real.cnf" client >defaults 2>&1
	grep -qxF -- "--user=$U" defaults && grep -qxF -- "--password=$(tok "$U")" defaults
	ok $? "my_print_defaults (the clients' own parser) reads the user and token back"
else
	skip "my_print_defaults reads the user and token back" "not installed"
fi

# --- refusals shared with pgpass
printf '[client]\n' >target
ln -s target link
my --file link --user u
expect_rc 6 "a symlinked option file is refused"
[ "$(cat target)" = "[client]" ]
ok $? "and its target is untouched"
run mycnf --host $H --user u --watch --remove
expect_rc 2 "--watch with --remove"

# --- the clear text plugin, for Oracle's MySQL client only when asked
rm -f ct.cnf
my --file ct.cnf --user u
! grep -q "cleartext" ct.cnf
ok $? "no enable-cleartext-plugin by default (MariaDB's client warns about it on stdout)"
my --file ct.cnf --user u --cleartext-plugin
expect_rc 0 "mycnf --cleartext-plugin"
[ "$(grep -c '^loose-enable-cleartext-plugin$' ct.cnf)" -eq 1 ]
ok $? "writes loose-enable-cleartext-plugin once, in a form both clients parse"
my --file ct.cnf --user u
! grep -q "cleartext" ct.cnf
ok $? "and a later write without it takes it out again"
run pgpass --host $H --user u --cleartext-plugin
expect_rc 2 "--cleartext-plugin is for mycnf only"

done_testing
