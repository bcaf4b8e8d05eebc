#!/bin/bash
# tests/boot/trace.sh: the system-call tracer (boot option trace=syscalls)
# prints every call as strace would: "[pid] name(args) = result", strings
# read from the caller, NULL for null pointers, errors by name, addresses in
# hex for the calls that return one, "= ?" for the calls that do not return,
# and "(now NAME)" after a successful execve.
. tests/lib.sh

log=$LOGDIR/trace.log
boot_kernel "$log" 'trace=syscalls panic=exit init=/bin/sh -- -c "echo hi; cat /nonexistent; exit 3"'
if [ "$status" != 3 ]; then
    fail trace.boot "the traced shell should end with status 3, got $status (see $log)"
fi
# line NAME REGEX: a traced line matching REGEX (the whole line) was printed.
line() {
    if grep -Eq "^$2\$" "$log"; then ok "trace.$1"; else fail "trace.$1" "no line like '$2' in $log"; fi
}
p='\[[0-9]+\]'
a='0x[0-9a-f]+'
line execve_now       "\[2\] execve\(\"/bin/sh\", $a, $a\) = 0 \(now sh\)"
line no_arguments     "$p getpid\(\) = [0-9]+"
line pointer_and_null "$p rt_sigprocmask\(2, $a, NULL, 8\) = 0"
line brk_address      "$p brk\(0\) = $a"
line mmap2_address    "$p mmap2\(0, 4096, 0x3, 0x22, -1, 0\) = $a"
line write_count      "$p write\(1, $a, 3\) = 3"
line string_octal_errno "$p open\(\"/nonexistent\", 0x8000, 00\) = -2 ENOENT"
line exit_no_return   "$p exit_group\(1\) = \?"
line fork_child_pid   "$p fork\(\) = [0-9]+"
line wait4_child      "$p wait4\(3, $a, 0, NULL\) = 3"
line wait4_echild     "\[1\] wait4\(-1, $a, 0x1, NULL\) = -10 ECHILD"
check trace.program_output grep -qx 'hi' "$log"

# A number that names no system call.
log=$LOGDIR/trace-enosys.log
boot_kernel "$log" 'trace=syscalls panic=exit init=/tests/t_syscall'
line unknown_number   "$p syscall_9999\(\.\.\.\) = -38 ENOSYS"
line unknown_negative "$p syscall_4294967295\(\.\.\.\) = -38 ENOSYS"

# A string argument the kernel cannot read is shown as its address.
log=$LOGDIR/trace-efault.log
boot_kernel "$log" 'trace=syscalls panic=exit init=/tests/t_efault'
line bad_string_pointer "$p open\(0x1, 0, 01\) = -14 EFAULT"
