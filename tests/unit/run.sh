#!/bin/sh
# shellcheck disable=SC2046,SC2086  # the flag and source lists are meant to split
# tests/unit/run.sh: build and run the host unit tests of pure kernel code.
#
# Each tests/unit/test_NAME.c is built with the host gcc, together with the
# kernel sources it tests, into build/unit/test_NAME, and run. The test names
# those sources itself, in a line of its own (there may be several):
#     // unit-sources: boot/cmdline.c lib/format.c
# so a new test_NAME.c is found and built without editing this script. A
# test of headers alone says "// unit-sources:" with nothing after it.
#
# Its "ok ..." / "FAIL ..." lines pass straight through; tests/run.sh counts
# them, so there is no total here. A program that does not build (no
# unit-sources line, a source that does not exist, a compiler error), or does
# not finish cleanly (a crash, a sanitizer report, a non-zero exit), adds one
# "FAIL unit.NAME: ..." line, and the compiler's messages are shown.
# Exits non-zero if anything failed.
#
#   tests/unit/run.sh                  every test
#   tests/unit/run.sh format elf       only test_format.c and test_elf.c
#                                      (test_format and test_format.c work too)
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

# A test that hangs must not hang `make test`.
limit=
if command -v timeout >/dev/null 2>&1; then
    limit="timeout 120"
fi

# unit_sources SRC: the kernel sources named by SRC's "// unit-sources:"
# lines, on one line. Fails, printing why instead, when there is no such line
# or a named file does not exist: a test must not build without the code it
# means to test (or pass against a file that has moved away).
unit_sources() {
    if ! grep -q '^// unit-sources:' "$1"; then
        echo "$1 has no line '// unit-sources: FILE...' naming the kernel sources it tests"
        return 1
    fi
    list=$(sed -n 's|^// unit-sources:||p' "$1")
    for f in $list; do
        if [ ! -f "$f" ]; then
            echo "its unit-sources line names $f, which does not exist"
            return 1
        fi
    done
    echo $list
}

# Which tests: every tests/unit/test_*.c, or the ones named on the command line.
if [ $# -eq 0 ]; then
    set -- tests/unit/test_*.c
fi

status=0
for arg in "$@"; do
    name=$(basename "$arg" .c)
    name=${name#test_}
    src=tests/unit/test_$name.c
    bin=$out/test_$name
    if [ ! -f "$src" ]; then
        echo "FAIL unit.$name: there is no $src; the unit tests are:" \
            $(for f in tests/unit/test_*.c; do basename "$f" .c; done | sed 's/^test_//')
        status=1
        continue
    fi

    if ! sources=$(unit_sources "$src"); then
        echo "FAIL unit.$name: $sources"
        status=1
        continue
    fi
    if ! $CC $CFLAGS $SAN "$src" $sources -o "$bin" >"$out/$name.build.log" 2>&1; then
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
