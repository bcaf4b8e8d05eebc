#!/bin/bash
# tests/user-host.sh: run the user-space tests on the Linux host, the reference.
#
# Every build/user/tests/t_* is a static i386 Linux program; x86-64 Linux runs
# it directly. This script builds nothing (make does; see user/user.mk). It
#   - stages the root file system bunshin would see in build/host-root:
#     root/, build/user/bin as bin/, build/user/tests as tests/, build/user/demo
#     as demo/;
#   - runs each test under our own init (build/host-root/bin/init), which asks
#     Linux to make it the reaper of orphaned descendants, as init is on
#     bunshin; with TEST_ROOT set to the staged root, TMPDIR and the working
#     directory in a scratch directory of its own, stdin from /dev/null, an
#     8 MiB stack limit (Linux's default, bunshin's limit) and a time limit;
#   - prints each check line with "linux/" added to its name:
#         ok linux/exec.bss_zero      FAIL linux/...: why      skip linux/...: why
#     and a FAIL line of its own for a test that times out, or exits non-zero
#     without saying FAIL, or prints no check at all.
# Exits 0 if nothing failed.
#
#   tests/user-host.sh                   every test
#   tests/user-host.sh t_exec t_wait     only these
#   USER_TEST_TIMEOUT=60 tests/user-host.sh
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh
TIMEOUT=${USER_TEST_TIMEOUT:-30}

mapfile -t tests < <(user_test_names "$@")
if [ ${#tests[@]} -eq 0 ]; then
    echo "FAIL linux/user: no test programs in build/user/tests (run make first)"
    exit 1
fi
if [ ! -x build/user/bin/init ]; then
    echo "FAIL linux/user: build/user/bin/init is missing (run make first)"
    exit 1
fi

# The staged root: what bunshin's initrd holds (tools/mkinitrd.sh does the same).
stage=build/host-root
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/tests" "$stage/demo"
cp -R root/. "$stage"/
cp build/user/bin/* "$stage/bin/"
cp build/user/tests/* "$stage/tests/"
cp build/user/demo/* "$stage/demo/"
root=$(cd "$stage" && pwd -P)
scratch_top=$(mkdir -p build/host-scratch && cd build/host-scratch && pwd -P)

# The stack test's limit checks need Linux's default; core files are noise.
# Only the soft core limit is 0: t_sigdefault raises it in a child to see
# the core bit of the wait status (it removes the core files Linux writes).
ulimit -s 8192 2>/dev/null
ulimit -S -c 0 2>/dev/null

failed=0
for name in "${tests[@]}"; do
    scratch=$scratch_top/$name
    rm -rf "$scratch"
    mkdir -p "$scratch/tmp"
    if [ ! -x "$root/tests/$name" ]; then
        echo "FAIL linux/$name: no such test program build/user/tests/$name"
        failed=1
        continue
    fi
    (cd "$scratch" && exec env TEST_ROOT="$root" TMPDIR="$scratch/tmp" \
        timeout -k 5 "$TIMEOUT" "$root/bin/init" "$root/tests/$name") \
        </dev/null >"$scratch/stdout" 2>"$scratch/stderr"
    code=$?

    sed -E 's/^(ok|FAIL|skip) /\1 linux\//' "$scratch/stdout"
    # Anything on stderr is shown, indented, so it cannot count as a check.
    sed 's/^/    stderr: /' "$scratch/stderr"

    fails=$(grep -c '^FAIL ' "$scratch/stdout")
    checks=$(grep -cE '^(ok|FAIL|skip) ' "$scratch/stdout")
    if [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; then
        echo "FAIL linux/$name: timed out after $TIMEOUT s"
        fails=$((fails + 1))
    elif [ "$code" -ne 0 ] && [ "$fails" -eq 0 ]; then
        # init passes on the test's status; 128 + N means signal N.
        why=""
        [ "$code" -gt 128 ] && why=" (killed by signal $((code - 128)))"
        echo "FAIL linux/$name: exited with status $code$why"
        fails=1
    fi
    if [ "$checks" -eq 0 ] && [ "$fails" -eq 0 ]; then
        echo "FAIL linux/$name: printed no check"
        fails=1
    fi
    [ "$fails" -gt 0 ] && failed=1
done
exit $failed
