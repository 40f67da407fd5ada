#!/bin/sh
# The build keeps its own flags whatever CFLAGS and LDFLAGS the caller
# passes: C11, warnings as errors, -Wformat=2 with no format check turned
# off, the hardening flags and the dependency files. Asks make what it
# would run (make -n), so nothing is built. The plain build is asked
# whatever build this test runs under: the make that runs the tests
# (make check SANITIZE=1) passes its variables down in MAKEFLAGS.
. "$TESTS_DIR/lib.sh"
top=$(cd "$TESTS_DIR/.." && pwd)

env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SANITIZE \
    make -s -n -B -C "$top" SANITIZE= CFLAGS=-O0 LDFLAGS=-s \
    build/rel/common/buf.o iamdb >out 2>err
ok $? "make -n CFLAGS=-O0 LDFLAGS=-s says what it would run"
grep -e ' -c -o build/rel/common/buf.o ' out >compile
ok $? "it would compile common/buf.c"
for f in -std=c11 -Wall -Wextra -Werror -Wformat=2 \
    -fstack-protector-strong -fPIE -D_FORTIFY_SOURCE=2 -MMD -MP -O0; do
	grep -q -e " $f " compile
	ok $? "the compile keeps $f"
done
! grep -q -e '-Wno-' compile
ok $? "no warning is turned off on the command line"
grep -e ' -o iamdb ' out >link
for f in -pie -Wl,-z,relro,-z,now -s; do
	grep -q -e " $f " link
	ok $? "the link keeps $f"
done
! grep -rqs -e 'Wno-format' -e 'GCC diagnostic' "$top/Makefile" \
    "$top/common" "$top/sigv4" "$top/providers" "$top/formats" \
    "$top/helper"
ok $? "no format check is turned off, globally or in a source file"
done_testing
