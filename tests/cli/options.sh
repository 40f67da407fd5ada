# The command line: one parser for every command, from the commands'
# option tables. Missing and bad values, aliases, options before the
# command, suggestions, help and the completion scripts made from the
# same tables.
. "$TESTS_DIR/lib.sh"
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_CONFIG_FILE=$HOME/config AWS_SHARED_CREDENTIALS_FILE=$HOME/creds
H=mydb.c9akciq32.us-east-1.rds.amazonaws.com
T=2016-11-07T17:39:33Z
tok() { "$IAMDB" token --host $H --port 5432 --user jane --signing-time $T; }

# --- a missing value is called missing, whatever the command
for c in "inspect --format" "ca --region" "credentials --format" \
    "token --host" "verify --keys" "env --format" "uri --format"; do
	run $c
	expect_rc 2 "'$c' with nothing after it"
	has err "missing value for --${c#* --}" "'$c' says the value is missing"
done

# --- every value is checked where it is read
run verify --keys k --endpoint h:1 --engine anything
expect_rc 2 "verify --engine anything"
has err "--engine 'anything': expected" "says what an engine can be"
run verify --keys k --endpoint h:1 --skew ''
expect_rc 2 "verify --skew ''"
has err "--skew '': expected a whole number from 0 to 3600" "says what a skew is"
run token --host '' --user u --port 1
expect_rc 2 "an empty --host"
has err "--host: the value is empty" "is called empty"
run token --host h --user u --port 1 --sslmode bogus
expect_rc 2 "an unknown --sslmode"
has err "expected verify-full, verify-ca, require, prefer, allow or disable" \
    "lists the TLS modes"
run token --host=$H --user=jane --port=5432 --signing-time=$T
expect_rc 0 "--name=value"
[ "$(cat out)" = "$(tok)" ]; ok $? "signs the same token as --name value"
run token --host $H --user jane --port 5432 --no-cache=yes
expect_rc 2 "a flag given a value"
has err "--no-cache takes no value" "is refused"
run inspect --endpoint nocolon "$(tok)"
expect_rc 2 "--endpoint without a port"
has err "--endpoint 'nocolon': expected HOST:PORT" "is explained"

# --- the aws CLI's spellings
run token --hostname $H --username jane --port 5432 --signing-time $T
expect_rc 0 "--hostname and --username"
[ "$(cat out)" = "$(tok)" ]; ok $? "are --host and --user"
run token --host $H --user jane --port 5432 --signing-time $T --dbname app
expect_rc 0 "--dbname is --database"

# --- -v, --profile and --region before the command name
run -v token --host $H --user jane --port 5432 --signing-time $T
expect_rc 0 "iamdb -v token"
has err "credentials, in the order tried" "-v before the command is -v"
[ "$(cat out)" = "$(tok)" ]; ok $? "and the token is the same"
printf '[profile dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = s\n' >config
run --profile dev token --host $H --user jane --port 5432
has out "Credential=DEVKEY%2F" "--profile before the command selects the profile"
run --region eu-west-2 token --host db.internal --user jane --port 5432
has out "%2Feu-west-2%2Frds-db" "--region before the command is its region"
run --region eu-west-2 inspect "$(tok)"
expect_rc 2 "--region before a command that takes none"
has err "--region does not apply to 'inspect'" "is refused by name"
run --profile=dev -v token --host $H --user jane --port 5432
expect_rc 0 "--profile=NAME and -v together before the command"

# --- near misses get a suggestion
run tokne --host $H
expect_rc 2 "a misspelt command"
has err "unknown command 'tokne' (did you mean 'token'?)" "suggests the command"
run token --hots $H --user jane --port 5432
expect_rc 2 "a misspelt option"
has err "unknown option '--hots' (did you mean '--host'?)" "suggests the option"
run pgpass --wach --host $H --user jane
has err "did you mean '--watch'?" "suggests a command's own option"
run token --frobnicate
lacks err "did you mean" "nothing far off is suggested"
run token -x
has err "unknown option '-x'" "an unknown letter is named"

# --- help: every command, its options, defaults, examples, the manual
for c in token credentials json env exec pgpass mycnf uri ca inspect verify \
    help completion; do
	run $c --help
	expect_rc 0 "iamdb $c --help"
	has out "usage: iamdb $c" "$c --help starts with its usage"
	has out "man iamdb" "$c --help points to the manual"
	"$IAMDB" help $c >help.out 2>&1
	cmp -s out help.out; ok $? "iamdb help $c is iamdb $c --help"
done
run token --help
has out "Default: 900." "token --help gives --expires' default"
has out "Example: --host mydb.123456789012.us-east-1.rds.amazonaws.com" \
    "and an example for --host"
has out "--host HOST (or --hostname)" "and names the alias"
run -h
expect_rc 0 "iamdb -h"
has out "iamdb completion" "lists every command"
run help frobnicate
expect_rc 2 "help for an unknown command"
run token -vh
expect_rc 0 "-vh is -v -h"

# --- completion scripts from the same tables
run completion bash
expect_rc 0 "iamdb completion bash"
cp out iamdb.bash
complete_bash() {	# complete_bash WORD...: what bash would offer
	bash -c '. ./iamdb.bash
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _iamdb
printf "%s\n" "${COMPREPLY[@]}"' iamdb iamdb "$@"
}
complete_bash to >c.out 2>&1
grep -qx token c.out; ok $? "bash completes commands"
complete_bash token --ho >c.out 2>&1
grep -qx -- --host c.out && grep -qx -- --hostname c.out
ok $? "bash completes a command's options and aliases"
complete_bash token --engine m >c.out 2>&1
grep -qx mysql c.out && grep -qx mariadb c.out; ok $? "bash completes --engine's values"
complete_bash env --format "" >c.out 2>&1
grep -qx dotenv c.out; ok $? "bash completes --format's values"
complete_bash -v --profile p tok >c.out 2>&1
grep -qx token c.out; ok $? "bash skips options before the command"
for sh in zsh fish; do
	run completion $sh
	expect_rc 0 "iamdb completion $sh"
	if command -v $sh >/dev/null 2>&1; then
		cp out iamdb.$sh
		$sh -n iamdb.$sh 2>c.err
		ok $? "the $sh script is valid $sh"
	else
		skip "the $sh script is valid $sh" "$sh is not installed"
	fi
done
if command -v fish >/dev/null 2>&1; then
	fish -c "source iamdb.fish; complete -C 'iamdb token --eng'" >c.out 2>&1
	grep -q -- '--engine' c.out; ok $? "fish completes a command's options"
	fish -c "source iamdb.fish; complete -C 'iamdb token --engine '" >c.out 2>&1
	grep -q '^dsql' c.out; ok $? "fish completes --engine's values"
else
	skip "fish completes a command's options" "fish is not installed"
	skip "fish completes --engine's values" "fish is not installed"
fi
if command -v zsh >/dev/null 2>&1; then
	# zsh's own completion system is interactive; its two functions are
	# stood in for by ones that print what they are given.
	zsh -c 'source ./iamdb.zsh 2>/dev/null
_arguments() { printf "%s\n" "$@"; }
_describe() { print -l ${(P)2}; }
words=(iamdb token --e); CURRENT=3; _iamdb
words=(iamdb to); CURRENT=2; _iamdb' >c.out 2>&1
	grep -q "^--engine\[.*\]:ENGINE:(postgres .*dsql" c.out
	ok $? "zsh offers --engine and its values for token"
	grep -q "^token:print an IAM authentication token" c.out
	ok $? "zsh offers the commands with what they do"
else
	skip "zsh offers --engine and its values for token" "zsh is not installed"
	skip "zsh offers the commands with what they do" "zsh is not installed"
fi
run completion tcsh
expect_rc 2 "a shell without completion"

done_testing
