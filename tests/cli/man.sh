# The manual is the reference: it must be well-formed, and every command and
# option the program has must be in it, so that the two cannot drift apart.
. "$TESTS_DIR/lib.sh"

MAN="$TESTS_DIR/../man/iamdb.1"
README="$TESTS_DIR/../README.md"
needs mandoc

mandoc -Tlint -Wwarning "$MAN" >lint 2>&1
ok $? "mandoc -Tlint finds nothing to warn about"
[ ! -s lint ] || sed 's/^/#   /' lint

# synopsis CMD: the SYNOPSIS lines of CMD, from ".Cm CMD" to the next ".Nm".
sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p' "$MAN" >synopsis
synopsis() {
	awk -v c="$1" '/^\.Nm/ { on = 0 } $0 == ".Cm " c { on = 1 } on' synopsis
}

"$IAMDB" --help >help
cmds=$(sed -n '/^Commands:/,/^$/p' help | awk 'NR > 1 && NF { print $1 }')
[ -n "$cmds" ]; ok $? "iamdb --help lists the commands"
for c in $cmds; do
	synopsis "$c" | tr -d '\\' >syn
	[ -s syn ]; ok $? "the SYNOPSIS has a line for $c"
	grep -q "^\.Ss $c\$" "$MAN"; ok $? "the manual has a section on $c"
	"$IAMDB" "$c" --help >chelp 2>&1
	missing=
	for o in $(awk '/^  (-., )?--[a-z]/ { sub(/^  (-., )?/, ""); print $1 }' chelp); do
		case $o in
		--help) continue ;;
		--verbose) f="Fl v" ;;
		*) f="Fl ${o#-}" ;;
		esac
		grep -Eq "$f( |\$)" syn || missing="$missing $o"
	done
	[ -z "$missing" ]; ok $? "the SYNOPSIS of $c names every option it takes${missing:+ (missing:$missing)}"
done

# README gives the two commands first and leaves the reference to the manual.
first=$(grep -n -m1 'make demo' "$README" | cut -d: -f1)
check=$(grep -n -m1 'make check' "$README" | cut -d: -f1)
[ -n "$first" ] && [ -n "$check" ] && [ "$first" -lt 40 ] && [ "$check" -lt 40 ]
ok $? "README gives make demo and make check near the top"
grep -q 'man iamdb' "$README"; ok $? "README points to man iamdb"

done_testing
