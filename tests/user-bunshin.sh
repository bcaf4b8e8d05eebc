#!/bin/bash
# tests/user-bunshin.sh: run every user test program (build/user/tests/t_*)
# inside bunshin, one boot each: the kernel starts /bin/init, init runs the
# test, and when the test ends init leaves QEMU with its status. The test's
# own lines come out as "ok bunshin/NAME", "FAIL bunshin/NAME: ...",
# "skip bunshin/NAME: ...". The same binaries run on the Linux host in
# tests/user-host.sh, the reference.
. tests/lib.sh

for t in build/user/tests/t_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    log=$LOGDIR/bunshin-$name.log
    boot_kernel "$log" "init=/tests/$name panic=exit"
    sed -n 's/^\(ok\|FAIL\|skip\) \(.*\)$/\1 bunshin\/\2/p' "$log"
    nfail=$(grep -c '^FAIL ' "$log")
    nchecks=$(grep -cE '^(ok|FAIL) ' "$log")
    if [ "$status" = 124 ]; then
        fail "bunshin/$name" "no end within ${TEST_TIMEOUT}s (see $log)"
    elif grep -q '^kernel panic' "$log"; then
        fail "bunshin/$name" "the kernel panicked (see $log)"
    elif [ "$status" != 0 ] && [ "$nfail" = 0 ]; then
        fail "bunshin/$name" "exited with status $status and no FAIL line (see $log)"
    elif [ "$nchecks" = 0 ]; then
        fail "bunshin/$name" "printed no check (see $log)"
    fi
done
