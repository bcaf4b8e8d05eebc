#!/bin/bash
# tests/user-bunshin.sh: run every user test program (build/user/tests/t_*)
# inside bunshin, one boot each (or more: see "bunshin-boot" below): the
# kernel starts /bin/init, init runs the
# test, and when the test ends init leaves QEMU with its status. The test's
# own lines come out as "ok bunshin/NAME", "FAIL bunshin/NAME: ...",
# "skip bunshin/NAME: ...". The same binaries run on the Linux host in
# tests/user-host.sh, the reference.
#
#   tests/user-bunshin.sh                every test
#   tests/user-bunshin.sh t_fork t_wait  only these (with their extra boots)
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh

# boot_test NAME LABEL EXTRA: boot with init=/tests/NAME plus EXTRA on the
# command line and pass on the test's lines; LABEL names the boot in FAILs.
boot_test() {
    name=$1; label=$2; extra=$3
    log=$LOGDIR/bunshin-$label.log
    boot_kernel "$log" "init=/tests/$name panic=exit $extra"
    sed -n 's/^\(ok\|FAIL\|skip\) \(.*\)$/\1 bunshin\/\2/p' "$log"
    nfail=$(grep -c '^FAIL ' "$log")
    nchecks=$(grep -cE '^(ok|FAIL) ' "$log")
    if [ "$status" = 124 ]; then
        fail "bunshin/$label" "no end within ${TEST_TIMEOUT}s (see $log)"
    elif grep -q '^kernel panic' "$log"; then
        fail "bunshin/$label" "the kernel panicked (see $log)"
    elif [ "$status" != 0 ] && [ "$nfail" = 0 ]; then
        fail "bunshin/$label" "exited with status $status and no FAIL line (see $log)"
    elif [ "$nchecks" = 0 ]; then
        fail "bunshin/$label" "printed no check (see $log)"
    fi
}

mapfile -t tests < <(user_test_names "$@")
if [ ${#tests[@]} -eq 0 ]; then
    fail bunshin/user "no test programs in build/user/tests (run make first)"
    exit 1
fi

for name in "${tests[@]}"; do
    if [ ! -x "build/user/tests/$name" ]; then
        fail "bunshin/$name" "no such test program build/user/tests/$name"
        continue
    fi
    # A line "// bunshin-mem: SIZE" (QEMU's -m, e.g. 256M) gives every boot
    # of the test that much memory instead of $QEMU_MEM.
    mem=$(sed -n 's|^// bunshin-mem: \([0-9]*[MG]\)$|\1|p' "user/tests/$name.c" 2>/dev/null | head -n 1)
    saved_mem=$QEMU_MEM
    QEMU_MEM=${mem:-$QEMU_MEM}
    boot_test "$name" "$name" ""
    # A line "// bunshin-boot: WORDS" in the test's source asks for one more
    # boot with WORDS added to the command line (e.g. fork=copy -- ARGS).
    n=0
    while IFS= read -r extra; do
        n=$((n + 1))
        boot_test "$name" "$name.boot$n" "$extra"
    done < <(sed -n 's|^// bunshin-boot: ||p' "user/tests/$name.c" 2>/dev/null)
    QEMU_MEM=$saved_mem
done
