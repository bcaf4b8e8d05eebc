#!/bin/sh
# shellcheck disable=SC2046,SC2086  # the flag and source lists are meant to split
# tests/unit/run.sh: build and run the host unit tests of pure kernel code.
#
# Each tests/unit/test_NAME.c is built with the host gcc, together with the
# kernel sources it tests, into build/unit/test_NAME, and run. Its
# "ok ..." / "FAIL ..." lines pass straight through; tests/run.sh counts
# them, so there is no total here. A program that does not build, or does
# not finish cleanly (a crash, a sanitizer report, a non-zero exit), adds
# one "FAIL unit.NAME: ..." line, and the compiler's messages are shown.
# Exits non-zero if anything failed.
cd "$(dirname "$0")/../.." || exit 1

out=build/unit
mkdir -p "$out" || exit 1

CC=${HOSTCC:-gcc}
# -iquote: the kernel's "string.h" and "types.h" for the kernel files, while
# <string.h> in the tests is still the C library's.
CFLAGS="-std=gnu11 -Wall -Wextra -Werror -g -iquote include -iquote ."

# The sanitizers catch out-of-bounds accesses and undefined behaviour that
# would otherwise pass unseen; not every host gcc has them.
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
printf 'int main(void) { return 0; }\n' >"$out/san.c"
if ! $CC $SAN "$out/san.c" -o "$out/san" >/dev/null 2>&1 || ! "$out/san" >/dev/null 2>&1; then
    echo "note: the host gcc has no working sanitizers; building without them" >&2
    SAN=
fi

# The kernel sources each test needs besides itself.
sources() {
    case $1 in
    format)  echo lib/format.c ;;
    cmdline) echo boot/cmdline.c lib/format.c ;;
    frame)   echo mm/frame.c ;;
    elf)     echo kernel/elf_check.c ;;
    cpio)    echo fs/cpio.c ;;
    *)       echo "" ;;
    esac
}

# A test that hangs must not hang `make test`.
limit=
if command -v timeout >/dev/null 2>&1; then
    limit="timeout 120"
fi

status=0
for src in tests/unit/test_*.c; do
    name=$(basename "$src" .c)
    name=${name#test_}
    bin=$out/test_$name

    if ! $CC $CFLAGS $SAN "$src" $(sources "$name") -o "$bin" >"$out/$name.build.log" 2>&1; then
        cat "$out/$name.build.log"
        echo "FAIL unit.$name: does not compile (see the messages above)"
        status=1
        continue
    fi
    # Warnings are errors, so a log here is only a note; show it anyway.
    cat "$out/$name.build.log"

    $limit "$bin" >"$out/$name.out"
    code=$?
    cat "$out/$name.out"
    if grep -q '^FAIL ' "$out/$name.out"; then
        status=1
    fi
    if [ $code -ne 0 ]; then
        if [ -n "$limit" ] && [ $code -eq 124 ]; then
            why="still running after 120 seconds"
        elif [ $code -gt 128 ]; then
            why="killed by signal $((code - 128))"
        else
            why="exited with status $code"
        fi
        echo "FAIL unit.$name: $why before finishing (messages above)"
        status=1
    fi
done
exit $status
