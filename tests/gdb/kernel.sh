#!/bin/bash
# tests/gdb/kernel.sh: debugging the kernel with gdb works as the README says.
# QEMU starts halted with its gdb stub; gdb (in batch mode) loads the kernel's
# symbols, stops at kmain with a hardware breakpoint, then at frames_init with
# a software one, and reads variables the kernel has just set.
. tests/lib.sh
port=$(free_port)
log=$LOGDIR/gdb.log
serial=$LOGDIR/gdb-serial.log
rm -f "$serial"
"$QEMU" -cpu "$QEMU_CPU" -m "$QEMU_MEM" -no-reboot -display none -monitor none \
    -serial file:"$serial" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel build/kernel.elf -initrd build/initrd.cpio \
    -append 'init=/bin/gdb-was-here fork=copy' -S -gdb tcp::"$port" </dev/null 2>/dev/null &
qemu=$!
sleep 0.5

# The same .gdbinit `make gdb` uses, pointed at this test's port.
sed "s/@GDBPORT@/$port/" tools/gdbinit.in >build/test-gdbinit
timeout "$TEST_TIMEOUT" gdb -q -batch -nx -x build/test-gdbinit \
    -ex 'hbreak kmain' -ex 'continue' \
    -ex 'echo ==bt-kmain==\n' -ex 'bt' \
    -ex 'echo ==magic==\n' -ex 'p/x magic' \
    -ex 'delete' -ex 'break frames_init' -ex 'continue' \
    -ex 'echo ==bt-frames_init==\n' -ex 'bt' \
    -ex 'echo ==init==\n' -ex 'p boot_options.init' \
    -ex 'echo ==fork==\n' -ex 'p boot_options.fork_mode' \
    -ex 'finish' \
    -ex 'echo ==nfree==\n' -ex 'p nfree' \
    -ex 'echo ==cr0==\n' -ex 'p/x $cr0' \
    -ex 'kill' >"$log" 2>&1
kill "$qemu" 2>/dev/null
wait "$qemu" 2>/dev/null

# after MARK: the first line after the line ==MARK== in the gdb log.
after() { sed -n "/^==$1==\$/{n;p;q}" "$log"; }
# frames MARK: the function names of the backtrace printed after ==MARK==.
frames() { sed -n "/^==$1==\$/,/^==/p" "$log" | sed -n 's/^#[0-9]* *\(0x[0-9a-f]* in \)\{0,1\}\([a-z_]*\) .*/\2/p' | tr '\n' ' '; }

if grep -q '^Breakpoint 1, kmain' "$log" || grep -q 'Hardware assisted breakpoint 1, kmain' "$log"; then
    ok gdb.hbreak_kmain_hit
else
    fail gdb.hbreak_kmain_hit "gdb did not stop in kmain (see $log)"
fi
bt=$(frames bt-kmain)
case $bt in kmain*) ok gdb.bt_kmain ;; *) fail gdb.bt_kmain "backtrace was '$bt'" ;; esac
m=$(after magic)
case $m in *0x2badb002*) ok gdb.multiboot_magic_argument ;; *) fail gdb.multiboot_magic_argument "magic read as '$m'" ;; esac
bt=$(frames bt-frames_init)
case $bt in "frames_init memory_init kmain "*) ok gdb.bt_frames_init ;; *) fail gdb.bt_frames_init "backtrace was '$bt'" ;; esac
v=$(after init)
case $v in *'"/bin/gdb-was-here"'*) ok gdb.variable_init_path ;; *) fail gdb.variable_init_path "boot_options.init read as '$v'" ;; esac
v=$(after fork)
case $v in *FORK_COPY*) ok gdb.variable_fork_mode ;; *) fail gdb.variable_fork_mode "boot_options.fork_mode read as '$v'" ;; esac
v=$(after nfree | sed -n 's/^\$[0-9]* = \([0-9]*\)$/\1/p')
if [ -n "$v" ] && [ "$v" -gt 1000 ]; then ok gdb.variable_nfree; else fail gdb.variable_nfree "nfree read as '$(after nfree)'"; fi
v=$(after cr0)
# PG (bit 31), WP (bit 16) and AM (bit 18, alignment checks in ring 3).
cr0=$(printf '%s' "$v" | sed -n 's/.*= *\(0x[0-9a-f]*\).*/\1/p')
if [ -n "$cr0" ] && [ $((cr0 & 0x80050000)) -eq $((0x80050000)) ]; then
    ok gdb.cr0_paging_and_wp
else
    fail gdb.cr0_paging_and_wp "cr0 read as '$v' (PG, WP and AM should be set)"
fi
