#!/bin/bash
# tests/boot/panic.sh: a fault in the kernel is reported readably, then
# panics. selftest=panic divides by zero in the kernel on purpose; the report
# must name the exception and show eip, the registers and a backtrace, and the
# kernel must leave QEMU with the panic status (70) because of panic=exit.
. tests/lib.sh
log=$LOGDIR/panic.log
boot_kernel "$log" "selftest=panic panic=exit"
check panic.exception_named    grep -q '^Divide error (#DE), vector 0, in kernel mode' "$log"
check panic.eip_shown          grep -Eq '^  eip c01[0-9a-f]{5}  cs 0008  eflags [0-9a-f]{8}$' "$log"
check panic.registers_shown    grep -Eq '^  eax [0-9a-f]{8}  ebx [0-9a-f]{8}  ecx 00000000  edx 00000000$' "$log"
check panic.backtrace_shown    grep -Eq '^  backtrace:( c01[0-9a-f]{5}){2,}' "$log"
check panic.panic_line         grep -q '^kernel panic: Divide error (#DE) in the kernel at eip c01' "$log"
check panic.nothing_after      bash -c "! grep -q '^FAIL panic.divide' '$log'"
if [ "$status" = 70 ]; then ok panic.exit_status; else fail panic.exit_status "status $status, expected 70"; fi

# The backtrace's first return address must be inside the function that
# faulted's caller chain: resolve it against the kernel's symbols.
eip=$(sed -n 's/^  eip \(c01[0-9a-f]*\) .*/\1/p' "$log" | head -1)
if [ -n "$eip" ] && i686-linux-gnu-addr2line -f -e build/kernel.elf "0x$eip" | grep -q '^test_panic_suite$'; then
    ok panic.eip_in_faulting_function
else
    fail panic.eip_in_faulting_function "eip '$eip' is not in test_panic_suite"
fi
