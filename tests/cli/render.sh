# iamdb render: a template filled with the connections' fields, each
# escaped by its filter so that hostile values (a user with quotes, line
# breaks, '$(...)') read back whole in JSON, YAML, a shell and a URL;
# unknown placeholders and filters are errors and write nothing; the file
# is written as the other secret files are; --watch renders again before
# the token runs out, then runs --on-change's program with its argv as
# given (no shell) or signals --pidfile's process.
. "$TESTS_DIR/lib.sh"

export AWS_CONFIG_FILE="$HOME/none" AWS_SHARED_CREDENTIALS_FILE="$HOME/none"
export AWS_ACCESS_KEY_ID=AKIDRENDER AWS_SECRET_ACCESS_KEY=render/secret+key
export AWS_REGION=us-east-1
unset AWS_SESSION_TOKEN AWS_PROFILE
ca_pem "$HOME/ca.pem"
export IAMDB_CA_BUNDLE="$HOME/ca.pem"
printf '[k]\naws_access_key_id = AKIDRENDER\naws_secret_access_key = render/secret+key\n' >keys
PY=/usr/bin/python3
# A user whose name is hostile to every syntax: quotes, a backslash,
# $(...), `...`, ': ', '#', '&', '=', '%' and UTF-8 (iamdb refuses control
# characters in a user name; tests/unit/test_template.c has them).
EVIL='o%22b%27r%5Cn%20%24(touch%20pwned)%60x%60%3A%20%23%26%3D%25%C3%A9'
URL=postgres://$EVIL@db.example.com:5432/app
evil=$(printf 'o"b'"'"'r\\n $(touch pwned)`x`: #&=%%\303\251')
# A database name with a line break.
NL=postgres://jane@db.example.com/a%0Ab

cat >all.tmpl <<'EOF2'
{"json": {{ user | json }}, "token": {{ token | json }}}
---
yaml: {{ user | yaml }}
---
sh={{ user | shell }}
---
url={{ user | url }}
EOF2
run render --template all.tmpl --out all "$URL"
[ "$rc" -eq 0 ] && [ "$(stat -c %a all)" = 600 ]
ok $? "a template with every filter renders, into a 0600 file"
awk 'BEGIN { RS = "---\n" } NR == 1' all >part.json
$PY -c 'import json, sys
d = json.load(open("part.json"))
assert d["json"] == sys.argv[1], d
open("token", "w").write(d["token"])' "$evil" &&
    "$IAMDB" verify --keys keys --endpoint db.example.com:5432 \
    --user "$evil" --region us-east-1 <token
ok $? "json: the hostile user reads back whole, and the token is one iamdb verify accepts"
awk 'BEGIN { RS = "---\n" } NR == 2' all >part.yaml
$PY -c 'import sys, yaml
assert yaml.safe_load(open("part.yaml"))["yaml"] == sys.argv[1]' "$evil"
ok $? "yaml: the hostile user reads back whole (PyYAML)"
awk 'BEGIN { RS = "---\n" } NR == 3' all >part.sh
( . ./part.sh && [ "$sh" = "$evil" ] ) && [ ! -e pwned ]
ok $? "shell: sourced by sh it is the user, nothing run"
awk 'BEGIN { RS = "---\n" } NR == 4' all >part.url
$PY -c 'import sys, urllib.parse
v = open("part.url").read().strip()
assert v.startswith("url=") and all(c.isalnum() or c in "-._~%" for c in v[4:]), v
assert urllib.parse.unquote(v[4:]) == sys.argv[1]' "$evil"
ok $? "url: only unreserved characters and escapes, decoding to the user"
echo 'user={{ user | ini }}' >ini.tmpl
echo 'db={{ database | json }}' >nl.tmpl
run render --template nl.tmpl --out nl "$NL"
[ "$rc" -eq 0 ] && [ "$(cat nl)" = 'db="a\u000ab"' ]
ok $? "json: a database name with a line break is escaped"
run render --template ini.tmpl --out ini "$URL"
[ "$rc" -eq 3 ] && grep -q 'ini.tmpl: line 1: the user cannot be written with ini' err &&
    [ ! -e ini ]
ok $? "ini: a user with a quote or a backslash is refused, nothing written"
echo 'db={{ database | ini }}' >ini.tmpl
run render --template ini.tmpl --out ini "$NL"
[ "$rc" -eq 3 ] && grep -q 'the database cannot be written with ini' err && [ ! -e ini ]
ok $? "ini: a database name with a line break, which would start a key, is refused"
echo 'user={{ user | ini }}' >ini.tmpl
run render --template ini.tmpl --out ini "postgres://jane%3B%23x@db.example.com/app"
[ "$rc" -eq 0 ] && [ "$(cat ini)" = 'user="jane;#x"' ]
ok $? "ini: ';' and '#' go inside double quotes"
echo 'db={{ database }}' >raw.tmpl
run render --template raw.tmpl --out raw "$NL"
[ "$rc" -eq 3 ] && grep -q 'the database holds a control character: give a filter' err
ok $? "without a filter a value with a line break is refused"

# --- fields, several URLs
cat >fields.tmpl <<'EOF2'
{{ app.host }} {{ app.port }} {{ app.user }} {{ app.database }} {{ app.ca }} {{ app.sslmode }}
{{ 2.host }} {{ 2.port }} {{ 2.user }} {{ 2.expires }}
\{{ not a placeholder }}
EOF2
run render --template fields.tmpl --out fields app=postgres://jane@db.example.com/app \
    mysql://bob@[::1]:3307
exp=$(sed -n 2p fields | cut -d' ' -f4)
[ "$rc" -eq 0 ] && [ "$(sed -n 1p fields)" = "db.example.com 5432 jane app $HOME/ca.pem verify-full" ] &&
    [ "$(sed -n 2p fields | cut -d' ' -f1-3)" = "::1 3307 bob" ] &&
    [ "$(sed -n 3p fields)" = "{{ not a placeholder }}" ] &&
    [ $(($(date -u -d "$exp" +%s) - $(date +%s))) -gt 800 ]
ok $? "fields of URLs named NAME=URL or by their number; the expiry in ISO 8601; \\{{ is a literal"

# --- what is refused, leaving no file
for t in '{{ tokn }}:unknown field' '{{ token | jsn }}:unknown filter' \
    '{{ x.token }}:no URL is named' '{{ token:without' '{{ 2.port }}:no URL is named'; do
	printf '%s\n' "${t%:*}" >bad.tmpl
	run render --template bad.tmpl --out bad postgres://jane@db.example.com/app
	[ "$rc" -eq 3 ] && grep -q "bad.tmpl: line 1: .*${t#*:}" err && [ ! -e bad ]
	ok $? "'${t%:*}' is an error naming the template and line, no file written"
done
echo '{{ port }}' >two.tmpl
run render --template two.tmpl --out two postgres://a@h1/x postgres://b@h2/y
[ "$rc" -eq 3 ] && grep -q "'port' of which URL" err
ok $? "a bare field with two URLs is an error"
run render --template two.tmpl --out two x=postgres://a@h1/x x=postgres://b@h2/y
[ "$rc" -eq 2 ] && grep -q "two URLs are named 'x'" err
ok $? "two URLs of one name are a usage error"
run render --template two.tmpl postgres://a@h1/x
[ "$rc" -eq 2 ] && grep -q -- '--template and --out are required' err
ok $? "--out is required"
run render --template two.tmpl --out two --pidfile p --on-change true postgres://a@h1/x
[ "$rc" -eq 2 ] && grep -q 'do not go together' err
ok $? "--pidfile and --on-change are one or the other"
run render --template two.tmpl --out two --signal USR1 postgres://a@h1/x
[ "$rc" -eq 2 ] && grep -q -- '--signal needs --pidfile' err
ok $? "--signal needs --pidfile"
run render --template two.tmpl --out two postgres://a@h1/x -- echo hi
[ "$rc" -eq 2 ] && grep -q -- "arguments after -- are for --on-change" err
ok $? "arguments after -- need --on-change"
ln -s "$HOME/elsewhere" link
run render --template two.tmpl --out link postgres://a@h1/x
[ "$rc" -eq 6 ] && grep -q 'symbolic link' err && [ ! -e elsewhere ]
ok $? "an --out that is a symlink is refused, as for every secret file"
run render --template two.tmpl --out two --on-change false postgres://a@h1/x
[ "$rc" -eq 1 ] && grep -q 'false exited with status 1' err && [ -s two ]
ok $? "a failing --on-change program is an error, after the file is written"

# --- --watch: --on-change runs after each rendering, argv as given
cat >hook <<'EOF2'
#!/bin/sh
n=$(($(cat "$HOME/runs" 2>/dev/null || echo 0) + 1))
echo "$n" >"$HOME/runs"
printf '%s\n' "$#" "$@" >"$HOME/argv.$n"
cp "$HOME/watched" "$HOME/copy.$n"
EOF2
chmod +x hook
echo 'token={{ token | url }}' >w.tmpl
"$IAMDB" render --template w.tmpl --out watched --expires 15 --watch \
    postgres://jane@db.example.com/app \
    --on-change ./hook -- 'two words' '$(touch pwned)' '' 2>watch.err &
W=$!
# A token of 15 s is made again 10 s later: three renderings take 20 s.
i=0
while [ "$(cat runs 2>/dev/null || echo 0)" -lt 3 ] && [ $i -lt 900 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill "$W"
wait "$W"
rc=$?
[ "$(cat runs)" -ge 3 ]
ok $? "--watch rendered three times and ran the program after each"
[ "$rc" -eq 0 ] && [ ! -s watch.err ]
ok $? "SIGTERM stops it cleanly, having said nothing"
printf '3\ntwo words\n$(touch pwned)\n\n' >want.argv
cmp -s want.argv argv.1 && cmp -s want.argv argv.3 && [ ! -e pwned ]
ok $? "the program gets its arguments as given, without a shell"
signed() {	# signed FILE: when the token in FILE was signed, epoch seconds
	date -u -d "$(sed -n 's/.*X-Amz-Date%3D\([0-9]\{8\}\)T\([0-9][0-9]\)\([0-9][0-9]\)\([0-9][0-9]\)Z.*/\1 \2:\3:\4/p' "$1")" +%s
}
s1=$(signed copy.1) s2=$(signed copy.2) s3=$(signed copy.3)
[ $((s2 - s1)) -ge 5 ] && [ $((s2 - s1)) -lt 15 ] &&
    [ $((s3 - s2)) -ge 5 ] && [ $((s3 - s2)) -lt 15 ]
ok $? "each rendering has a new token, made before the last one ran out ($((s2 - s1)) s, $((s3 - s2)) s)"

# --- --watch with --pidfile: the process gets the signal after each one
cat >daemon <<'EOF2'
#!/bin/sh
trap 'echo usr1 >>"$HOME/signals"' USR1
trap 'exit 0' TERM
echo $$ >"$HOME/daemon.pid"
i=0
while [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
EOF2
sh daemon &
D=$!
i=0
while [ ! -s daemon.pid ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
"$IAMDB" render --template w.tmpl --out sig --expires 15 --watch \
    --pidfile daemon.pid --signal USR1 postgres://jane@db.example.com/app \
    2>sig.err &
W=$!
i=0
nsig() { if [ -f signals ]; then wc -l <signals; else echo 0; fi; }
while [ "$(nsig)" -lt 2 ] && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill "$W"
wait "$W"
kill "$D"
wait "$D"
[ "$(wc -l <signals)" -ge 2 ] && [ ! -s sig.err ] && grep -q '^token=' sig
ok $? "with --pidfile and --signal USR1 the process in the pidfile gets USR1 after each rendering"

done_testing
