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
# others FILE: every line but iamdb's block
others() { sed '/^# BEGIN iamdb/,/^# END iamdb/d' "$1"; }

# --- a new file
my --file new.cnf --user u
expect_rc 0 "a new option file"
[ "$(mode new.cnf)" = "-rw-------" ]
ok $? "is created 0600"
[ "$(head -n 1 new.cnf | cut -c1-13)" = "# BEGIN iamdb" ] && [ "$(sed -n 2p new.cnf)" = "[client]" ] &&
    [ "$(tail -n 1 new.cnf)" = "# END iamdb" ]
ok $? "holds iamdb's block: the [client] group between its markers"
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

# --- an existing file: the user's own credentials are never overridden
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
expect_rc 3 "a [client] group with the user's own user and password"
has err "f: line 7: [client] already sets user, which iamdb did not write" "is refused, naming the line and the key"
has err "iamdb mycnf --group client_iamdb" "and the way forward"
! grep -q '"x"\|serverside' err
ok $? "without the user's password in the message"
cmp -s f before
ok $? "and the file is left byte for byte as it was"
for line in '[Client]' '[client ]  # the same group to mysys' '[CLIENT]'; do
	printf '%s\npassword = mine\n' "$line" >case.cnf
	cp case.cnf case.orig
	my --file case.cnf --user u
	[ $rc -eq 3 ] && cmp -s case.cnf case.orig
	ok $? "$line is [client] as mysys matches groups: refused, untouched"
done
printf '[ client]\npassword = mine\n' >sp.cnf
my --file sp.cnf --user u
expect_rc 0 "[ client] (a blank after '[') is another group to mysys"

# iamdb's own group, after the user's: --defaults-group-suffix=_iamdb
my --file f --user u --group client_iamdb --database app
expect_rc 0 "--group client_iamdb beside the user's [client]"
others f >a
cmp -s a before
ok $? "every line of the user's stays byte for byte; iamdb's block is added"
[ "$(tail -n 1 f)" = "# END iamdb" ] && grep -q '^\[client_iamdb\]$' f &&
    grep -q '^\[mysql_iamdb\]$' f && grep -q '^\[client-mariadb_iamdb\]$' f
ok $? "at the end: [client_iamdb], [client-mariadb_iamdb] and [mysql_iamdb]"
my_print_defaults --defaults-file="$HOME/f" --defaults-group-suffix=_iamdb client mysql >defaults
[ "$(grep -e '^--password=' defaults | tail -n 1)" = "--password=$(tok u)" ] &&
    [ "$(grep -e '^--user=' defaults | tail -n 1)" = --user=u ] &&
    [ "$(grep -e '^--database=' defaults | tail -n 1)" = --database=app ]
ok $? "my_print_defaults --defaults-group-suffix=_iamdb: the last user, password and database (the ones that count) are iamdb's"
[ "$(get f client user)" = old ] && [ "$(get f client password)" = x ]
ok $? "while [client] alone still has the user's own"
cp f f.prev
my --file f --user u --group client_iamdb --database app
cmp -s f f.prev
ok $? "writing again changes nothing"
my --file f --user u --group client_iamdb --remove
expect_rc 0 "--remove --group client_iamdb"
cmp -s f before
ok $? "gives the file back byte for byte"

# A group with other keys of the user's: iamdb adds its block after it.
cat >g <<'EOF'
[client]
default-character-set = utf8mb4
compress
EOF
cp g g.before
my --file g --user u
expect_rc 0 "a [client] group of the user's with keys iamdb does not write"
others g >a
cmp -s a g.before
ok $? "keeps it byte for byte"
[ "$(get g client password)" = "$(tok u)" ] && [ "$(get g client user)" = u ] &&
    [ "$(get g client port)" = 3306 ] && [ "$(get g client default-character-set)" = utf8mb4 ]
ok $? "mysys reads both: iamdb's keys and the user's"
cp g g.prev
my --file g --user u
cmp -s g g.prev
ok $? "writing again changes nothing"
my --file g --user v
[ "$(get g client user)" = v ] && [ "$(grep -c '^# BEGIN iamdb' g)" = 1 ]
ok $? "a new user replaces iamdb's block in place"

# --- --group
cp g.before h
my --file h --user u --group clientx
expect_rc 0 "--group clientx"
others h >a
cmp -s a g.before && [ "$(get h clientx password)" = "$(tok u)" ]
ok $? "leaves [client] as it was and writes the keys into [clientx]"
grep -q '^loose-ssl-verify-server-cert$' h && ! grep -q 'client-mariadb' h
ok $? "with MariaDB's key as loose- (clientx has no MariaDB group beside it)"
run mycnf --host $H --user u --group 'a]b'
expect_rc 2 "a group name with ']'"

# --- --remove
cp g.before r
my --file r --user u
(unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
 "$IAMDB" mycnf --file r --host $H --user u --remove >out 2>err)
rc=$?
expect_rc 0 "--remove, with no credentials at hand"
cmp -s r g.before
ok $? "takes out iamdb's block and nothing else"
get r client password >/dev/null
[ $? -eq 1 ]
ok $? "so no password is left"
cp before r2
my --file r2 --user u --remove
expect_rc 0 "--remove on a file with the user's own [client] credentials"
cmp -s r2 before
ok $? "leaves them: --remove removes only what iamdb wrote"
my --file missing.cnf --user u --remove
[ ! -e missing.cnf ]
ok $? "--remove on a file that does not exist does not create it"
printf '[client]\ncompress\n# BEGIN iamdb (cut short)\n[client]\nuser = "u"\n' >cut.cnf
cp cut.cnf cut.orig
my --file cut.cnf --user u
expect_rc 3 "a block of iamdb's without its end"
has err 'line 3: "# BEGIN iamdb" without "# END iamdb"' "is named, with its line"
cmp -s cut.cnf cut.orig
ok $? "and the file is left alone"

# --- CRLF
printf '[mysql]\r\nprompt=x\r\n[client]\r\ncompress\r\n' >crlf
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
printf '[client]\ncompress' >nonl
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
