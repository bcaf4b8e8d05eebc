#!/bin/bash
# tests/boot/iso.sh: the GRUB ISO that `make qemu` boots reaches the kernel's
# banner, with GRUB named as the loader and the initrd as a module.
. tests/lib.sh
log=$LOGDIR/iso.log
rm -f "$log"
"$QEMU" -cpu "$QEMU_CPU" -m "$QEMU_MEM" -no-reboot -display none -monitor none \
    -serial file:"$log" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -cdrom build/bunshin.iso </dev/null 2>"$log.stderr" &
qemu=$!
if wait_for_line "$log" '^timer: [0-9]+ Hz, first tick' "$TEST_TIMEOUT"; then
    ok iso.reaches_first_tick
else
    fail iso.reaches_first_tick "no first tick within ${TEST_TIMEOUT}s (see $log)"
fi
kill "$qemu" 2>/dev/null
wait "$qemu" 2>/dev/null
tr -d '\r' <"$log" >"$log.txt"
check iso.banner       grep -Eq '^bunshin [^ ]+: a teaching kernel about making processes' "$log.txt"
check iso.loader_grub  grep -q '^booted by GRUB' "$log.txt"
# The default menu entry passes no options (GRUB 2, unlike QEMU, does not put
# the kernel's file name on the command line).
check iso.cmdline      grep -q '^command line: (none)$' "$log.txt"
check iso.no_cmdline_errors bash -c "! grep -q '^command line: error' '$log.txt'"
check iso.initrd       grep -Eq '^  module 0: 0x[0-9a-f]+-0x[0-9a-f]+ \([0-9]+ bytes\) initrd$' "$log.txt"
check iso.memory       grep -Eq '^memory: [0-9]+ KiB of RAM' "$log.txt"
