#!/bin/bash
# tests/boot/ttypoll.sh: poll on the terminal, with characters typed on the
# serial line. Boots /tests/tty_poll as init's program with QEMU's serial
# line on this script's pipes, and types what it asks for: "ab" (a partial
# line, not readable yet), then "c" and Enter (the poll wakes, from the
# serial interrupt), then ^D (end of file). Passes on the program's own
# ok/FAIL lines.
. tests/lib.sh
log=$LOGDIR/ttypoll.log
fifo=$LOGDIR/ttypoll.in
rm -f "$log" "$fifo"
mkfifo "$fifo"
timeout --foreground -k 5 "$TEST_TIMEOUT" "$QEMU" -cpu "$QEMU_CPU" -m "$QEMU_MEM" -no-reboot \
    -display none -monitor none -serial stdio \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel build/kernel.elf -initrd build/initrd.cpio \
    -append "init=/tests/tty_poll panic=exit" <"$fifo" >"$log" 2>"$log.stderr" &
qemu=$!
exec 3>"$fifo"                 # QEMU's input: open until the end

# type TEXT when the program prints PROMPT, and a moment later, so that the
# program is asleep in its poll by then and the typing has to wake it (if
# not, the checks still hold; they just test less).
type_after() {
    if wait_for_line "$log" "$1" "$TEST_TIMEOUT"; then
        sleep 0.3
        printf '%b' "$2" >&3
    else
        fail "ttypoll.prompt" "no line '$1' from tty_poll (see $log)"
    fi
}
type_after '^ttypoll: waiting for a partial line' 'ab'
type_after '^ttypoll: waiting for the line' 'c\r'
type_after '^ttypoll: waiting for end of file' '\004'
wait "$qemu"
exec 3>&-
rm -f "$fifo"
# The terminal's echo of what was typed may start a line: take each check
# from wherever it starts.
tr -d '\r' <"$log" | sed -n 's/^.*\(\(ok\|FAIL\|skip\) ttypoll\.\)/\1/p'
if ! tr -d '\r' <"$log" | grep -q 'ok ttypoll.eof_read'; then
    fail ttypoll.finished "tty_poll did not get to its last check (see $log)"
fi
