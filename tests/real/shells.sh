#!/bin/bash
# tests/real/shells.sh: Debian's static shells run on bunshin as on Linux.
#
# Debian 12's static i386 shells, fetched once (tools/debs.sh) into
# build/shells/: bash-static, lksh and mksh-static from mksh (lksh is built
# with glibc, mksh-static with klibc; mksh-musl is the package's musl one),
# and zsh-static. glibc asks a kernel for more than musl does (statx,
# clone3, rseq, prlimit64, getrandom, the *_time64 calls...), and each shell
# leans on different parts of it: here-documents in temporary files,
# process substitution through /dev/fd, coproc, traps, wait -n, read -t,
# ulimit, job control in a script. Each case of tests/real/shells/cases.txt
# runs with each shell its `@shells` line names, through
# tests/real/lib-run-cases.sh: first on the Linux host, the reference, then as
# init in bunshin; each must print the same ("ok bunshin/shells.SHELL.NAME",
# or a FAIL with both outputs).
. tests/lib.sh
. tests/real/lib-debs.sh
out=build/shells
mkdir -p "$out"

# The busybox of the image (tools/busybox.sh) runs the cases' runner and
# gives them their tools (cat, sed, ls...), on Linux as in bunshin.
tools/busybox.sh fetch 2>/dev/null
if [ ! -x build/busybox/pkg/bin/busybox ]; then
    fail shells.fetch "could not fetch busybox-static:i386: $(tail -n 1 build/busybox/fetch.log)"
    exit 0
fi
# The shells: PACKAGE, then FILE-IN-PACKAGE:NAME for each shell in it.
shells=(
    "bash-static bin/bash-static:bash-static"
    "mksh bin/lksh:lksh usr/lib/klibc/bin/mksh:mksh-static usr/lib/i386-linux-musl/bin/mksh:mksh-musl"
    "zsh-static bin/zsh-static:zsh-static"
)
stage=$out/bin
rm -rf "$stage"
tools/busybox.sh install "$stage"
for entry in "${shells[@]}"; do
    set -- $entry
    pkg=$1; shift
    if ! deb_unpack "$pkg:i386" "$out/$pkg" >"$out/fetch.log" 2>&1; then
        fail shells.fetch "could not fetch $pkg:i386: $(tail -n 1 "$out/fetch.log")"
        exit 0
    fi
    for spec in "$@"; do
        cp "$out/$pkg/${spec%%:*}" "$stage/${spec#*:}"
    done
done
ok shells.fetch

# Linux: the reference, with only busybox's applets and the shells on the
# PATH, and the same few variables as in bunshin. It runs while bunshin
# boots (below): the two take about as long. The cases run in a session of their own without a controlling
# terminal, as in bunshin (setsid).
tmp=$(mktemp -d)
# (Every signal at its default first: a shell's background command, or a
# make run from a background job, inherits SIGINT and SIGQUIT ignored, and
# the traps cases would list them; bunshin's init starts with none ignored.)
without_inherited_fds env --default-signal "$stage/busybox" env -i PATH="$PWD/$stage" T_BASE="$tmp" HOME="$tmp" TZ=UTC0 \
    "$stage/busybox" setsid "$stage/busybox" sh \
    tests/real/lib-run-cases.sh tests/real/shells/cases.txt >"$LOGDIR/linux-shells.log" 2>&1 &
linux=$!
# And bash -i at a pseudo-terminal (the end of this file), as a job of its
# own (set -m): a script's background command would have SIGINT ignored,
# and so would the shell's children, which ^C must end.
bash_args="--norc --noprofile -i"
set -m
build/user/tests/bb_session "$PWD/$stage/bash-static" $bash_args >"$LOGDIR/linux-bashtty.log" 2>&1 &
linux_tty=$!
set +m

# bunshin: the same run as init, with the shells in /usr/bin beside the
# image's busybox.
links=()
for f in "$stage"/*sh*; do
    [ -L "$f" ] || links+=("$f:usr/bin/$(basename "$f")")
done
initrd_with "$out/initrd.cpio" "${links[@]}" \
    tests/real/lib-run-cases.sh:run-cases.sh tests/real/shells/cases.txt:shells-cases.txt
# Then, in the same boot, bash at a terminal (the end of this file).
INITRD=$out/initrd.cpio boot_kernel "$LOGDIR/bunshin-shells.log" \
    "init=/usr/bin/busybox panic=exit -- sh -c \"env -i PATH=/usr/bin T_BASE=/tmp/sh HOME=/tmp/sh TZ=UTC0 setsid sh /run-cases.sh /shells-cases.txt | cat; /tests/bb_session /usr/bin/bash-static $bash_args\""
wait "$linux"
rm -rf "$tmp"
boot_ended bunshin/shells.run "$LOGDIR/bunshin-shells.log"
compare_cases shells "$LOGDIR/linux-shells.log" "$LOGDIR/bunshin-shells.log"

# At a terminal: bash-static -i on a pseudo-terminal, driven by
# /tests/bb_session as busybox's sh is (tests/real/busybox.sh): ^C, ^Z, jobs,
# bg, fg, kill %1, read, trap, a background read stopped by SIGTTIN. Linux
# (which ran above, while bunshin booted), then bunshin (after the cases,
# in the same boot); the checks are named bashtty.NAME.
session_results() {   # session_results MACHINE LOG
    sed -n "s/^\(ok\|FAIL\|skip\) bbtty\.\(.*\)$/\1 $1\/bashtty.\2/p" "$2"
}
wait "$linux_tty"
session_results linux "$LOGDIR/linux-bashtty.log"
session_results bunshin "$LOGDIR/bunshin-shells.log"
grep -q '^ok bbtty\.' "$LOGDIR/bunshin-shells.log" ||
    fail bunshin/bashtty.run "no check ran (see $LOGDIR/bunshin-shells.log)"
