#!/bin/bash
# tests/gdb/user.sh: gdb stops in a user program too. Every program is
# linked at 0x08048000, so a breakpoint on a user address would fire in
# whichever process reaches it first (init, the shell...): the breakpoint is
# a hardware one, conditional on the kernel's idea of the running process.
. tests/lib.sh
port=$(free_port)
log=$LOGDIR/gdb-user.log
serial=$LOGDIR/gdb-user-serial.log
rm -f "$serial"
"$QEMU" -cpu "$QEMU_CPU" -m "$QEMU_MEM" -no-reboot -display none -monitor none \
    -serial file:"$serial" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel build/kernel.elf -initrd build/initrd.cpio \
    -append 'init=/bin/echo -- hello gdb' -S -gdb tcp::"$port" </dev/null 2>/dev/null &
qemu=$!
sleep 0.5
sed "s/@GDBPORT@/$port/" tools/gdbinit.in >build/test-gdbinit-user
timeout "$TEST_TIMEOUT" gdb -q -batch -nx -x build/test-gdbinit-user \
    -ex 'add-symbol-file build/user/bin/echo' \
    -ex 'hbreak main if $_streq(current->name, "echo")' -ex 'continue' \
    -ex 'echo ==argc==\n' -ex 'p argc' \
    -ex 'echo ==argv1==\n' -ex 'p argv[1]' \
    -ex 'echo ==cs==\n' -ex 'p/x $cs' \
    -ex 'echo ==name==\n' -ex 'p current->name' \
    -ex 'kill' >"$log" 2>&1
kill "$qemu" 2>/dev/null
wait "$qemu" 2>/dev/null

after() { sed -n "/^==$1==\$/{n;p;q}" "$log"; }
check gdb_user.stopped_in_main grep -q 'Breakpoint 1, main (argc=3' "$log"
v=$(after argc)
case $v in *'= 3') ok gdb_user.argc ;; *) fail gdb_user.argc "argc read as '$v'" ;; esac
v=$(after argv1)
case $v in *'"hello"') ok gdb_user.argv ;; *) fail gdb_user.argv "argv[1] read as '$v'" ;; esac
v=$(after cs)
case $v in *0x1b) ok gdb_user.ring3 ;; *) fail gdb_user.ring3 "cs read as '$v' (user code is 0x1b)" ;; esac
v=$(after name)
case $v in *'"echo'*) ok gdb_user.kernel_knows_process ;; *) fail gdb_user.kernel_knows_process "current->name read as '$v'" ;; esac
