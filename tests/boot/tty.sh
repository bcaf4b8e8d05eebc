#!/bin/bash
# tests/boot/tty.sh: the console as a terminal, typed on the PS/2 keyboard
# through QEMU's monitor (sendkey), with /bin/sh started by init as the
# leader of a session whose controlling terminal is the console:
#   - keys typed as soon as the kernel has unpacked the initrd, before the
#     shell runs, all reach it: not even the first is lost;
#   - Ctrl-C and Ctrl-\ at the prompt end a foreground "sleep 100"
#     (SIGINT, SIGQUIT to the terminal's foreground group), the shell,
#     which ignores them, goes on;
#   - a program in non-canonical mode reads the arrows and the editing keys
#     as the escape sequences Linux's console sends (ESC [ A, ESC [ 3 ~...).
. tests/lib.sh
port=$(free_port)
log=$LOGDIR/tty.log
rm -f "$log"
"$QEMU" -cpu "$QEMU_CPU" -m "$QEMU_MEM" -no-reboot -display none \
    -monitor tcp:127.0.0.1:"$port",server,nowait -serial file:"$log" \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel build/kernel.elf -initrd build/initrd.cpio -append 'panic=exit' </dev/null 2>/dev/null &
qemu=$!
keys() {
    for key in "$@"; do
        echo "sendkey $key" >&3
        sleep 0.1
    done
}
for _ in $(seq 1 50); do
    exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null && break
    sleep 0.1
done
if ! wait_for_line "$log" '^initrd:' "$TEST_TIMEOUT"; then
    fail tty.boot "no initrd line within ${TEST_TIMEOUT}s (see $log)"
    kill "$qemu" 2>/dev/null
    exit 0
fi
# Straight away: the shell may not even be running yet.
keys e c h o spc f i r s t ret
wait_for_line "$log" '^first$' 20
check tty.first_keys_kept wait_for_line "$log" '^first$' 1

keys s l e e p spc 1 0 0 ret
sleep 1
keys ctrl-c
wait_for_line "$log" 'killed by signal 2' 20
check tty.ctrl_c_ends_sleep wait_for_line "$log" 'killed by signal 2 \(SIGINT\)' 1
check tty.ctrl_c_echo grep -q '\^C' "$log"
keys s l e e p spc 1 0 0 ret
sleep 1
keys ctrl-backslash
check tty.ctrl_backslash_ends_sleep wait_for_line "$log" 'killed by signal 3 \(SIGQUIT\)' 20
keys e c h o spc s h e l l spc o k ret
check tty.shell_goes_on wait_for_line "$log" '^shell ok$' 20

keys slash t e s t s slash t t y shift-minus k e y s ret
if wait_for_line "$log" '^keys: ready' 20; then
    keys up down right left home end insert delete pgup pgdn a q
    wait_for_line "$log" '^keys: 71$' 20
    tr -d '\r' <"$log" >"$log.txt"
    check tty.raw_up grep -q '^keys: 1b 5b 41$' "$log.txt"
    check tty.raw_down grep -q '^keys: 1b 5b 42$' "$log.txt"
    check tty.raw_right grep -q '^keys: 1b 5b 43$' "$log.txt"
    check tty.raw_left grep -q '^keys: 1b 5b 44$' "$log.txt"
    check tty.raw_home grep -q '^keys: 1b 5b 31 7e$' "$log.txt"
    check tty.raw_end grep -q '^keys: 1b 5b 34 7e$' "$log.txt"
    check tty.raw_insert grep -q '^keys: 1b 5b 32 7e$' "$log.txt"
    check tty.raw_delete grep -q '^keys: 1b 5b 33 7e$' "$log.txt"
    check tty.raw_pgup grep -q '^keys: 1b 5b 35 7e$' "$log.txt"
    check tty.raw_pgdn grep -q '^keys: 1b 5b 36 7e$' "$log.txt"
    check tty.raw_no_echo grep -q '^keys: 61$' "$log.txt"
else
    fail tty.raw_program "tty_keys did not start (see $log)"
fi
keys e x i t spc 4 ret
for _ in $(seq 1 100); do kill -0 "$qemu" 2>/dev/null || break; sleep 0.1; done
kill "$qemu" 2>/dev/null
exec 3>&-
tr -d '\r' <"$log" >"$log.txt"
check tty.exit_status grep -q '^bunshin: init exited with status 4' "$log.txt"
