#!/bin/bash
# tests/boot/cmdline.sh: the kernel reads its command line. Good options are
# shown in the banner; unknown options and bad values are reported on the
# console, and the kernel still boots.
. tests/lib.sh
log=$LOGDIR/cmdline.log
boot_kernel "$log" 'bogus fork=maybe init=bin/sh trace=everything selftest=timer panic=exit'
check cmdline.shown            grep -q '^command line: build/kernel.elf bogus fork=maybe' "$log"
check cmdline.unknown_reported grep -q "^command line: error: unknown option 'bogus'" "$log"
check cmdline.bad_fork         grep -q '^command line: error: fork=maybe: expected fork=cow, fork=copy or fork=odf' "$log"
check cmdline.relative_init    grep -q '^command line: error: init=bin/sh: the init program needs an absolute path' "$log"
check cmdline.bad_trace        grep -q '^command line: error: trace=everything: expected trace=syscalls or trace=none' "$log"
check cmdline.boots_anyway     grep -q '^ok timer.ticks_advance' "$log"
if [ "$status" = 0 ]; then ok cmdline.exit_status; else fail cmdline.exit_status "status $status"; fi

# A clean command line reports no errors, and the init arguments after --
# keep their quoting.
log=$LOGDIR/cmdline-good.log
boot_kernel "$log" 'init=/bin/sh fork=copy selftest=timer panic=exit -- -c "ls /"'
check cmdline.no_errors_when_clean bash -c "! grep -q '^command line: error' '$log'"
check cmdline.good_boots           grep -q '^ok timer.ticks_advance' "$log"
