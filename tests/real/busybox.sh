#!/bin/bash
# tests/real/busybox.sh: Debian's busybox runs on bunshin as on Linux.
#
# busybox-static:i386 is the image's (tools/busybox.sh: fetched once, set up
# as Debian's busybox would be: /usr/bin/busybox and a link per applet). Its sh
# runs every case of tests/real/busybox/cases.txt (pipes, read, trap, wait,
# kill, sleep, timeout, job control in a script...) through
# tests/real/lib-run-cases.sh, first on the Linux host, the reference, then
# as init in bunshin; each case must print the same on both:
# "ok bunshin/busybox.NAME", or a FAIL with both outputs. Then its sh -i at
# a pseudo-terminal and on the console, with job control (the end of this
# file).
. tests/lib.sh
. tests/real/lib-debs.sh
out=build/busybox
mkdir -p "$out"

# The image's busybox (tools/busybox.sh, which make ran): fetched once into
# build/busybox/pkg; make said so in one line if it could not.
tools/busybox.sh fetch 2>/dev/null
if [ ! -x "$out/pkg/bin/busybox" ]; then
    fail busybox.fetch "could not fetch busybox-static:i386: $(tail -n 1 "$out/fetch.log")"
    exit 0
fi
ok busybox.fetch

# /usr/bin with a link for every applet, as in the image.
stage=$out/usr/bin
rm -rf "$stage"
tools/busybox.sh install "$stage"

# Linux: the reference, with only busybox's applets on the PATH.
tmp=$(mktemp -d)
# (Every signal at its default, as in bunshin: see tests/real/shells.sh.)
PATH=$PWD/$stage T_BASE=$tmp /usr/bin/env --default-signal "$stage/busybox" sh tests/real/lib-run-cases.sh \
    tests/real/busybox/cases.txt >"$LOGDIR/linux-busybox.log" 2>&1
rm -rf "$tmp"

# bunshin: the same run as init, the two files added to the image (and
# /usr/bin, which the image has already unless make could not fetch it).
# bunshin's init gives its program the console as controlling terminal; the
# cases run in a session of their own without one (setsid; the pipe into cat
# makes the outer sh wait for them), as on the Linux host, which has none:
# `set -m` in a script then finds no terminal on either.
links=()
for f in "$stage"/*; do links+=("$f:usr/bin/$(basename "$f")"); done
initrd_with "$out/initrd.cpio" "${links[@]}" \
    tests/real/lib-run-cases.sh:busybox-run.sh tests/real/busybox/cases.txt:busybox-cases.txt
INITRD=$out/initrd.cpio boot_kernel "$LOGDIR/bunshin-busybox.log" \
    "init=/usr/bin/busybox panic=exit -- sh -c \"PATH=/usr/bin T_BASE=/tmp/bb setsid sh /busybox-run.sh /busybox-cases.txt | cat\""
boot_ended bunshin/busybox.run "$LOGDIR/bunshin-busybox.log"
compare_cases busybox "$LOGDIR/linux-busybox.log" "$LOGDIR/bunshin-busybox.log" \
    tests/real/busybox/cases.txt

# At a terminal: busybox's sh -i on a pseudo-terminal, driven by
# /tests/bb_session (user/tests/bb_session.c) as a person would drive it:
# ^C, ^Z, jobs, bg, fg, kill %1, read, trap, a background read stopped by
# SIGTTIN. Linux first, then bunshin, with the same program.
"build/user/tests/bb_session" "$PWD/$stage/sh" -i >"$LOGDIR/linux-bbtty.log" 2>&1
sed -n 's/^\(ok\|FAIL\|skip\) \(.*\)$/\1 linux\/\2/p' "$LOGDIR/linux-bbtty.log"
INITRD=$out/initrd.cpio boot_kernel "$LOGDIR/bunshin-bbtty.log" \
    "init=/tests/bb_session panic=exit -- /usr/bin/sh -i"
sed -n 's/^\(ok\|FAIL\|skip\) \(.*\)$/\1 bunshin\/\2/p' "$LOGDIR/bunshin-bbtty.log"
if [ "$status" = 124 ]; then
    fail bunshin/bbtty.run "no end within ${TEST_TIMEOUT}s (see $LOGDIR/bunshin-bbtty.log)"
elif grep -q '^kernel panic' "$LOGDIR/bunshin-bbtty.log"; then
    fail bunshin/bbtty.run "the kernel panicked (see $LOGDIR/bunshin-bbtty.log)"
elif ! grep -q '^ok ' "$LOGDIR/bunshin-bbtty.log"; then
    fail bunshin/bbtty.run "no check ran (see $LOGDIR/bunshin-bbtty.log)"
fi

# On the console itself, as at `make qemu`: busybox's sh -i as init, the
# same keys typed on the serial line (tests/real/busybox/console.py).
QEMU=$QEMU QEMU_CPU=$QEMU_CPU QEMU_MEM=$QEMU_MEM TEST_TIMEOUT=$TEST_TIMEOUT \
    python3 tests/real/busybox/console.py "$out/initrd.cpio" "$LOGDIR/bunshin-bbconsole.log"
