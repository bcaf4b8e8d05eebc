#!/bin/bash
# tests/boot/selftest.sh: boot the real kernel with the boot option
# `selftest` and pass on its checks (frames, paging, tables, heap, timer). The kernel
# leaves QEMU with status 0 when every check passed.
. tests/lib.sh
log=$LOGDIR/selftest.log
boot_kernel "$log" "selftest panic=exit"
grep -E '^(ok|FAIL) ' "$log"
if [ "$status" = 124 ]; then
    fail selftest.finished "no result within ${TEST_TIMEOUT}s (see $log)"
elif ! grep -q '^bunshin: self tests done' "$log"; then
    fail selftest.finished "the kernel stopped before the end, status $status (see $log)"
else
    ok selftest.finished
    if [ "$status" = 0 ]; then ok selftest.exit_status; else fail selftest.exit_status "status $status"; fi
fi
# Each suite must have produced checks: a suite that silently ran nothing is a failure.
for suite in frames paging tables heap timer; do
    n=$(grep -cE "^(ok|FAIL) $suite\." "$log")
    if [ "$n" -ge 1 ]; then ok "selftest.$suite.ran"; else fail "selftest.$suite.ran" "no checks from the $suite suite"; fi
done
