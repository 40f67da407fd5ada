# TAP helpers for CLI tests. Sourced; each test runs in a fresh temporary
# HOME (tests/run sets it) with EC2 metadata disabled.
n=0
nfail=0

ok() {	# ok CONDITION-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		nfail=$((nfail + 1))
		echo "not ok $n - $2"
		[ -f out ] && sed 's/^/#   stdout: /' out | head -n 5
		[ -f err ] && sed 's/^/#   stderr: /' err | head -n 10
	fi
}

# run ARGS...: runs iamdb, leaving stdout in ./out, stderr in ./err and the
# exit status in $rc.
run() {
	"$IAMDB" "$@" >out 2>err
	rc=$?
}

expect_rc() {	# expect_rc WANT DESCRIPTION
	[ "$rc" -eq "$1" ]
	ok $? "$2 (exit $1, got $rc)"
}

has() {		# has FILE STRING DESCRIPTION
	grep -qF -- "$2" "$1"
	ok $? "$3"
}

lacks() {	# lacks FILE STRING DESCRIPTION
	! grep -qF -- "$2" "$1"
	ok $? "$3"
}

done_testing() {
	echo "1..$n"
	[ "$nfail" -eq 0 ]
}
