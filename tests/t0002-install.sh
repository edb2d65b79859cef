#!/bin/sh
# make install puts the tools, the library, its headers and the man pages
# under DESTDIR/PREFIX, and the installed tools run.
. "$(dirname "$0")/lib.sh"

top=$(cd "$TESTS_DIR/.." && pwd)
build=$(dirname "$OMS_BIN")
root=$SCRATCH/root
run make -s -C "$top" B="$build" install DESTDIR="$root" PREFIX=/opt/oms
is "$rc" 0 "make install succeeds"
for t in "$top"/cmd/oms-*.c; do
	t=$(basename "$t" .c)
	is "$(test -x "$root/opt/oms/bin/$t" && echo yes)" yes "$t is installed"
	is "$(test -f "$root/opt/oms/share/man/man1/$t.1" && echo yes)" yes "$t.1 is installed"
done
is "$(test -f "$root/opt/oms/lib/libomscore.a" && echo yes)" yes "the library is installed"
is "$(test -f "$root/opt/oms/include/oms/order.h" && echo yes)" yes "its headers are installed"
is "$(test -f "$root/opt/oms/share/man/man7/oms.7" && echo yes)" yes "oms.7 is installed"
is "$(test -f "$root/opt/oms/share/man/man5/oms.yaml.5" && echo yes)" yes "oms.yaml.5 is installed"
# libcurl and cairo are loaded by the runs that use them, not by every start.
for t in "$OMS_BIN"/oms-*; do
	is "$(readelf -d "$t" | grep -E 'NEEDED.*(libcurl|libcairo)')" "" \
		"$(basename "$t") starts without libcurl or cairo"
done
run "$root/opt/oms/bin/oms-order" -V
expect 0 "oms-order (oms) 0.1.0" "" "an installed tool runs"

done_testing
