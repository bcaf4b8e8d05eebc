#!/bin/bash
# tests/run.sh: run every bunshin test and add up the results (`make test`).
#
# Each test script prints one line per check, "ok NAME" or "FAIL NAME: why"
# (or "skip NAME: why" where the subject does not exist, e.g. on Linux).
# This runner shows those lines, counts them, and ends with the line
#     N passed, N failed, N skipped
# It exits non-zero if anything failed or no check ran at all. A script that
# dies without saying why counts as a failure of its own.
#
#   TEST_TIMEOUT=300 make test     more time for each QEMU boot (default 120 s)
#   tests/run.sh tests/boot/iso.sh run only the named scripts
cd "$(dirname "$0")/.." || exit 1
mkdir -p build/test-logs

scripts=("$@")
if [ ${#scripts[@]} -eq 0 ]; then
    scripts=(
        tests/unit/run.sh        # host unit tests of pure kernel code
        tests/static/abi.sh      # the ABI headers against Linux's own
        tests/static/syscalls.sh # the system-call table against Linux and the headers
        tests/boot/trace.sh      # trace=syscalls
        tests/boot/selftest.sh   # in-kernel self tests in QEMU
        tests/boot/panic.sh      # the exception report and panic
        tests/boot/cmdline.sh    # command-line options and errors
        tests/boot/iso.sh        # the GRUB ISO boots
        tests/boot/keyboard.sh   # typing on the PS/2 keyboard reaches the shell
        tests/gdb/kernel.sh      # gdb against QEMU's stub
        tests/gdb/user.sh        # ...stopping in a user program
        tests/user-host.sh       # user tests on the Linux host: the reference
        tests/user-bunshin.sh    # the same binaries inside bunshin
    )
fi

passed=0
failed=0
skipped=0
for script in "${scripts[@]}"; do
    name=$(basename "$(dirname "$script")")/$(basename "$script" .sh)
    echo "== $name"
    out=build/test-logs/$(echo "$name" | tr / -).out
    bash "$script" >"$out" 2>&1
    code=$?
    # Show the checks, and anything else the script said (compiler errors...).
    cat "$out"
    p=$(grep -c '^ok ' "$out")
    f=$(grep -c '^FAIL ' "$out")
    k=$(grep -c '^skip ' "$out")
    if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $name: the script exited with status $code"
        f=1
    fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $name: the script ran no check"
        f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + k))
done

# "skip" lines are checks whose subject does not exist where they ran
# (a bunshin-only switch, on Linux): neither passed nor failed.
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
