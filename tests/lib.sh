# tests/lib.sh: helpers shared by the test scripts (sourced, not run).
#
# Every test prints one line per check, "ok NAME" or "FAIL NAME: why";
# tests/run.sh adds them up. These helpers boot the kernel in QEMU and read
# what it printed on the serial line.

# Seconds one QEMU boot may take before it counts as hung. Generous, because
# CI machines are slow and QEMU emulates every instruction; raise it with
# TEST_TIMEOUT=300 make test.
TEST_TIMEOUT=${TEST_TIMEOUT:-120}
QEMU=${QEMU:-qemu-system-i386}
QEMU_MEM=${QEMU_MEM:-128M}
# The CPU model: make test passes the Makefile's (qemu32 with SMEP and SMAP).
QEMU_CPU=${QEMU_CPU:-qemu32,+smep,+smap}
LOGDIR=${LOGDIR:-build/test-logs}
mkdir -p "$LOGDIR"

ok()   { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }

# check NAME CONDITION-COMMAND... : ok if the command succeeds.
check() {
    name=$1; shift
    if "$@" >/dev/null 2>&1; then ok "$name"; else fail "$name" "'$*' did not hold"; fi
}

# boot_kernel LOG ARGS : boot build/kernel.elf with the command line ARGS
# under QEMU's own Multiboot loader, serial output to LOG (carriage returns
# removed), with the initrd $INITRD (default build/initrd.cpio). Sets
# $status to the kernel's exit status (QEMU's code decoded), or 124 on
# time-out.
boot_kernel() {
    log=$1; args=$2
    timeout --foreground -k 5 "$TEST_TIMEOUT" "$QEMU" -cpu "$QEMU_CPU" -m "$QEMU_MEM" -no-reboot \
        -display none -monitor none -serial stdio \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel build/kernel.elf -initrd "${INITRD:-build/initrd.cpio}" \
        -append "$args" </dev/null 2>"$log.stderr" | tr -d '\r' >"$log"
    code=${PIPESTATUS[0]}
    status=$(decode_status "$code")
}

# QEMU exits with (status << 1) | 1 when the kernel writes status to the
# isa-debug-exit port; timeout(1) exits with 124 (or 137 after a kill).
decode_status() {
    case $1 in
    124|137) echo 124 ;;
    *) if [ $(($1 % 2)) -eq 1 ]; then echo $(($1 / 2)); else echo "qemu-$1"; fi ;;
    esac
}

# wait_for_line LOG PATTERN SECONDS : wait until LOG has a line matching the
# extended regular expression PATTERN. Returns 1 on time-out.
wait_for_line() {
    for _ in $(seq 1 $(($3 * 10))); do
        if [ -f "$1" ] && tr -d '\r' <"$1" | grep -Eq "$2"; then return 0; fi
        sleep 0.1
    done
    return 1
}

# A TCP port for a gdb stub that nothing is listening on.
free_port() {
    for _ in $(seq 1 50); do
        p=$((20000 + RANDOM % 20000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
    echo 23456
}

# user_test_names NAME... : the user tests to run, one per line: the names
# given, or else every user test that is built (build/user/tests/t_*).
user_test_names() {
    if [ $# -gt 0 ]; then
        printf '%s\n' "$@"
        return
    fi
    for t in build/user/tests/t_*; do
        [ -x "$t" ] && basename "$t"
    done
}
