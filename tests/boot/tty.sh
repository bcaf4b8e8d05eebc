#!/bin/bash
# tests/boot/tty.sh: the console as a terminal, typed on the PS/2 keyboard
# through QEMU's monitor (sendkey), with /bin/sh started by init as the
# leader of a session whose controlling terminal is the console:
#   - a key that waits in the keyboard controller from the kernel's start
#     on reaches the shell: keyboard_init takes it rather than throwing it
#     away. (QEMU drops keys sent while the machine is stopped, and the
#     firmware empties the controller, so gdb stops the kernel at kmain
#     and the monitor puts the scan code of "e" in the controller's output
#     buffer with its command 0xD2; the rest of "echo first" is typed
#     later);
#   - Ctrl-C and Ctrl-\ end a foreground program (SIGINT, SIGQUIT to the
#     terminal's foreground group); the shell, which ignores them, goes on;
#   - job control (user/tests/tty_fg.c): Ctrl-Z stops a child that tty_fg
#     put in front with tcsetpgrp (SIGTSTP), its read in the background
#     stops it again (SIGTTIN), in front again it reads a typed line, and
#     Ctrl-C ends it; none of the keys reaches a group in the background;
#   - a program in non-canonical mode reads the arrows and the editing keys
#     as the escape sequences Linux's console sends (ESC [ A, ESC [ 3 ~...);
#   - the VGA screen obeys the ANSI sequences a full-screen program writes
#     (user/tests/tty_screen.c): its memory is read through the monitor;
#   - in a second boot, bytes sent on the serial line before the kernel
#     runs all reach the shell.
# Every wait is for a line the programs print, never for a length of time.
# (An echoed ^C or ^Z has no newline after it, as on Linux: the next line
# printed follows it on the same line.)
. tests/lib.sh
port=$(free_port)
gport=$(free_port)
log=$LOGDIR/tty.log
mon=$LOGDIR/tty-monitor.log
rm -f "$log" "$mon"
"$QEMU" -cpu "$QEMU_CPU" -m "$QEMU_MEM" -no-reboot -display none -S -gdb tcp::"$gport" \
    -monitor tcp:127.0.0.1:"$port",server,nowait -serial file:"$log" \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel build/kernel.elf -initrd build/initrd.cpio -append 'panic=exit' </dev/null 2>/dev/null &
qemu=$!
# Stopped at kmain: scan code 0x12 ("e" pressed) into the controller. gdb
# tries again while QEMU's stub is not listening yet.
for _ in $(seq 1 50); do
    timeout "$TEST_TIMEOUT" gdb -q -batch -nx -ex 'file build/kernel.elf' \
        -ex "target remote :$gport" -ex 'hbreak kmain' -ex 'continue' \
        -ex 'monitor o /b 0x64 0xd2' -ex 'monitor o /b 0x60 0x12' \
        -ex 'delete' -ex 'detach' >"$LOGDIR/tty-gdb.log" 2>&1
    grep -q 'Connection refused' "$LOGDIR/tty-gdb.log" || break
    sleep 0.1
done
reader=
finish() {
    kill "$qemu" 2>/dev/null
    [ -n "$reader" ] && kill "$reader" 2>/dev/null
    exec 3>&-
}
for _ in $(seq 1 50); do
    { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null && break
    sleep 0.1
done
if ! { true >&3; } 2>/dev/null; then
    fail tty.monitor "cannot reach QEMU's monitor on port $port"
    finish
    exit 0
fi
cat <&3 >"$mon" &
reader=$!

keys() {
    for key in "$@"; do
        echo "sendkey $key" >&3
        sleep 0.1
    done
}
# count PATTERN: how many lines of the serial log match the extended regex.
count() {
    tr -d '\r' <"$log" | grep -Ec "$1"
}
# wait_count PATTERN N: until the log has N lines matching PATTERN (20 s).
wait_count() {
    for _ in $(seq 1 200); do
        [ "$(count "$1")" -ge "$2" ] && return 0
        sleep 0.1
    done
    return 1
}
# vga_cell ROW COL: the 16-bit cell (colour << 8 | character) of the screen,
# 0-based, read with the monitor's xp from physical memory at 0xB8000.
vga_cell() {
    local addr
    addr=$(printf '%x' $((0xb8000 + ($1 * 80 + $2) * 2)))
    echo "xp /1hx 0x$addr" >&3
    for _ in $(seq 1 100); do
        v=$(tr -d '\r' <"$mon" | grep -ao "0*$addr: 0x[0-9a-f]*" | tail -1 | sed 's/.*: //')
        [ -n "$v" ] && { echo "$v"; return; }
        sleep 0.1
    done
    echo none
}
# check_cell NAME ROW COL VALUE: the cell holds VALUE (e.g. 0x0741, grey "A").
check_cell() {
    local got
    got=$(vga_cell "$2" "$3")
    if [ "$got" = "$4" ]; then ok "$1"; else fail "$1" "cell $2,$3 is $got, expected $4"; fi
}

if ! wait_for_line "$log" '^initrd:' "$TEST_TIMEOUT"; then
    fail tty.boot "no initrd line within ${TEST_TIMEOUT}s (see $log and tty-gdb.log)"
    finish
    exit 0
fi
keys c h o spc f i r s t ret
check tty.first_key_kept wait_count '(^|\$ )first$' 1

# Ctrl-C and Ctrl-\ to a foreground program that waits in pause().
keys slash t e s t s slash t t y shift-minus f g spc p a u s e ret
if wait_count '^fg: pausing' 1; then
    keys ctrl-c
    check tty.ctrl_c_ends_program wait_count 'killed by signal 2 \(SIGINT\)' 1
    check tty.ctrl_c_echo grep -q '\^C' "$log"
else
    fail tty.ctrl_c_ends_program "tty_fg pause did not start (see $log)"
fi
keys slash t e s t s slash t t y shift-minus f g spc p a u s e ret
if wait_count '^fg: pausing' 2; then
    keys ctrl-backslash
    check tty.ctrl_backslash_ends_program wait_count 'killed by signal 3 \(SIGQUIT\)' 1
else
    fail tty.ctrl_backslash_ends_program "tty_fg pause did not start (see $log)"
fi
keys e c h o spc s h e l l spc o k ret
check tty.shell_goes_on wait_count '^shell ok$' 1

# Job control: Ctrl-Z, SIGTTIN, a line read in front, Ctrl-C.
keys slash t e s t s slash t t y shift-minus f g ret
if wait_count '^fg: child reading' 1; then
    keys ctrl-z
    check tty.ctrl_z_stops_fg_child wait_count 'fg: stopped by SIGTSTP' 1
    check tty.ctrl_z_echo grep -q '\^Z' "$log"
    check tty.bg_read_sigttin wait_count '^fg: stopped by SIGTTIN' 1
    if wait_count '^fg: child in front again' 1; then
        keys h e l l o ret
        check tty.fg_child_reads_line wait_count "^fg: child read 'hello'" 1
        keys ctrl-c
        check tty.ctrl_c_ends_fg_child wait_count 'fg: killed by signal 2 \(SIGINT\)' 1
        check tty.fg_done wait_count '^fg: done' 1
    else
        fail tty.fg_child_reads_line "tty_fg did not bring its child back (see $log)"
    fi
else
    fail tty.ctrl_z_stops_fg_child "tty_fg did not start (see $log)"
fi
keys e c h o spc a g a i n ret
check tty.shell_in_front_again wait_count '^again$' 1

keys slash t e s t s slash t t y shift-minus k e y s ret
if wait_count '^keys: ready' 1; then
    keys up down right left home end insert delete pgup pgdn a q
    wait_count '^keys: 71$' 1
    check tty.raw_up wait_count '^keys: 1b 5b 41$' 1
    check tty.raw_down wait_count '^keys: 1b 5b 42$' 1
    check tty.raw_right wait_count '^keys: 1b 5b 43$' 1
    check tty.raw_left wait_count '^keys: 1b 5b 44$' 1
    check tty.raw_home wait_count '^keys: 1b 5b 31 7e$' 1
    check tty.raw_end wait_count '^keys: 1b 5b 34 7e$' 1
    check tty.raw_insert wait_count '^keys: 1b 5b 32 7e$' 1
    check tty.raw_delete wait_count '^keys: 1b 5b 33 7e$' 1
    check tty.raw_pgup wait_count '^keys: 1b 5b 35 7e$' 1
    check tty.raw_pgdn wait_count '^keys: 1b 5b 36 7e$' 1
    check tty.raw_no_echo wait_count '^keys: 61$' 1
else
    fail tty.raw_program "tty_keys did not start (see $log)"
fi

keys slash t e s t s slash t t y shift-minus s c r e e n ret
if wait_count 'screen: ready' 1; then
    check_cell tty.vga_cursor_position 4 9 0x0741       # "A" at row 5, column 10
    check_cell tty.vga_erase_line_keeps 4 10 0x0742     # "B" before the cursor
    check_cell tty.vga_erase_line 4 11 0x0720           # "C" erased...
    check_cell tty.vga_erase_line_to_end 4 12 0x0720    # ...and "D"
    check_cell tty.vga_clear_screen 0 0 0x0720          # the boot's first line gone
    check_cell tty.vga_delete_char 6 1 0x077a           # "xyz" less "y": "xz"
    check_cell tty.vga_delete_char_tail 6 2 0x0720
    check_cell tty.vga_colour 6 9 0x0c52                # bright red "R"
    check_cell tty.vga_colour_reset 6 10 0x074e         # grey "N"
    check_cell tty.vga_last_column 8 79 0x0761          # "wra" ends row 9...
    check_cell tty.vga_pending_wrap 9 0 0x0770          # ...and "p" starts row 10
    keys ret
else
    fail tty.vga_program "tty_screen did not start (see $log)"
fi

keys e x i t spc 4 ret
for _ in $(seq 1 100); do kill -0 "$qemu" 2>/dev/null || break; sleep 0.1; done
finish
check tty.exit_status wait_for_line "$log" '^bunshin: init exited with status 4' 1

# The serial line: bytes sent before the kernel runs (QEMU waits for this
# connection before it starts the machine) all reach the shell, the first
# one included.
sport=$(free_port)
slog=$LOGDIR/tty-serial.log
rm -f "$slog"
"$QEMU" -cpu "$QEMU_CPU" -m "$QEMU_MEM" -no-reboot -display none -monitor none \
    -chardev socket,id=ser,host=127.0.0.1,port="$sport",server=on,wait=on \
    -serial chardev:ser -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel build/kernel.elf -initrd build/initrd.cpio -append 'panic=exit' </dev/null 2>/dev/null &
qemu=$!
for _ in $(seq 1 50); do
    { exec 4<>"/dev/tcp/127.0.0.1/$sport"; } 2>/dev/null && break
    sleep 0.1
done
if { printf 'echo early\r' >&4; } 2>/dev/null; then
    cat <&4 >"$slog" &
    sreader=$!
    check tty.serial_early_bytes_kept wait_for_line "$slog" '(^|\$ )early$' "$TEST_TIMEOUT"
    printf 'exit 5\r' >&4
    for _ in $(seq 1 100); do kill -0 "$qemu" 2>/dev/null || break; sleep 0.1; done
    check tty.serial_exit_status wait_for_line "$slog" '^bunshin: init exited with status 5' 5
    kill "$sreader" 2>/dev/null
else
    fail tty.serial_early_bytes_kept "cannot reach QEMU's serial line on port $sport"
fi
kill "$qemu" 2>/dev/null
exec 4>&-
