#!/bin/bash
# tests/boot/protect.sh: the kernel's protections of itself fire, with a
# report that says which one (docs/hardening.md). Each self test breaks one
# rule on purpose and must end in a panic (status 70 with panic=exit):
#   smap    the kernel reads a user page outside the copy functions (SMAP)
#   smep    the kernel jumps into a user page (SMEP)
#   rotext  the kernel writes into its own code (read-only text, CR0.WP)
#   stack   a kernel stack overflows into its guard page (double fault)
# QEMU's CPU model (QEMU_CPU in tests/lib.sh) has SMEP and SMAP.
. tests/lib.sh

# protection NAME SELFTEST PATTERN...: boot selftest=SELFTEST; every
# extended regular expression must match a line of the report.
protection() {
    name=$1; suite=$2; shift 2
    log=$LOGDIR/protect-$suite.log
    boot_kernel "$log" "selftest=$suite panic=exit"
    if [ "$status" = 70 ]; then ok "protect.$name.panics"; else
        fail "protect.$name.panics" "status $status, expected the panic's 70 (see $log)"; fi
    for pattern in "$@"; do
        if ! grep -Eq "$pattern" "$log"; then
            fail "protect.$name.report" "no line like '$pattern' in $log"
            return
        fi
    done
    ok "protect.$name.report"
}

protection smap smap '^  error code 0x1 \(protection violation, read, kernel\)$' \
    '^  cr2 40000000 ' '^  SMAP: the kernel touched a user page outside' \
    '^kernel panic: Page fault \(#PF\) in the kernel'
protection smep smep '^  error code 0x11 \(protection violation, instruction fetch, kernel\)$' \
    '^  SMEP: the kernel jumped into a user page$' '^  eip 40000000 ' \
    '^kernel panic: Page fault \(#PF\) in the kernel at eip 40000000'
protection rotext rotext '^  error code 0x3 \(protection violation, write, kernel\)$' \
    "^  a write to the kernel's read-only code or constants$" \
    '^kernel panic: Page fault \(#PF\) in the kernel'
protection stack stack '^Double fault \(#DF\), vector 8' \
    '^  kernel stack overflow: slot 0 .* used all 8192 bytes of its$' \
    '^  kernel stack \[f8001000, f8003000\) and ran into the guard page below it$' \
    '^  backtrace:( c01[0-9a-f]{5}){3,}' '^kernel panic: Double fault \(#DF\) in the kernel'

# What the kernel says at boot about SMEP and SMAP.
log=$LOGDIR/protect-boot.log
boot_kernel "$log" "selftest=timer panic=exit"
check protect.banner grep -q '^protection: SMEP on, SMAP on' "$log"
