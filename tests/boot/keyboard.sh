#!/bin/bash
# tests/boot/keyboard.sh: typing on the PS/2 keyboard reaches the shell.
# QEMU's monitor "sendkey" presses keys on the emulated keyboard; the kernel's
# keyboard driver turns scan codes into characters for the tty, the line
# discipline echoes them and hands the line to /bin/sh, and the console
# output (serial) shows both the echo and the command's result.
. tests/lib.sh
port=$(free_port)
log=$LOGDIR/keyboard.log
rm -f "$log"
"$QEMU" -cpu "$QEMU_CPU" -m "$QEMU_MEM" -no-reboot -display none \
    -monitor tcp:127.0.0.1:"$port",server,nowait -serial file:"$log" \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel build/kernel.elf -initrd build/initrd.cpio -append 'panic=exit' </dev/null 2>/dev/null &
qemu=$!
if ! wait_for_line "$log" '^\$ ' "$TEST_TIMEOUT"; then
    fail keyboard.prompt "no shell prompt within ${TEST_TIMEOUT}s (see $log)"
    kill "$qemu" 2>/dev/null
    exit 0
fi
ok keyboard.prompt
# Type "echo Hi" (with a typo fixed by Backspace), Enter, then "exit 3", Enter.
exec 3<>"/dev/tcp/127.0.0.1/$port"
for key in e c h o spc shift-h x backspace i ret; do
    echo "sendkey $key" >&3
    sleep 0.1
done
wait_for_line "$log" '^Hi$' 20
for key in e x i t spc 3 ret; do
    echo "sendkey $key" >&3
    sleep 0.1
done
# QEMU ends when init (the shell's parent) exits.
for _ in $(seq 1 100); do kill -0 "$qemu" 2>/dev/null || break; sleep 0.1; done
kill "$qemu" 2>/dev/null
exec 3>&-
# What a terminal shows: each backspace (sent as "\b \b") rubs out the
# character before it.
tr -d '\r' <"$log" | sed ':a;s/[^\x08]\x08//;ta' >"$log.txt"
check keyboard.echoed_and_erased grep -q '^\$ echo Hi$' "$log.txt"
check keyboard.command_ran grep -q '^Hi$' "$log.txt"
check keyboard.exit_status grep -q '^bunshin: init exited with status 3' "$log.txt"
