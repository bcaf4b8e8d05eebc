# tests/real/lib-debs.sh: helpers for the tests of real programs (sourced,
# not run): Debian's packages through tools/debs.sh (deb_unpack), and
# initrd_with, the image make built plus a few files.
. tools/debs.sh

# initrd_with DEST FILE:PATH...: build/initrd-root (the image make built)
# plus each FILE installed at PATH inside (a symbolic link stays one), as
# the cpio archive DEST.
initrd_with() {
    local dest=$1 stage=$1.root spec
    shift
    rm -rf "$stage"
    cp -R build/initrd-root "$stage"
    for spec in "$@"; do
        mkdir -p "$stage/$(dirname "${spec#*:}")"
        cp -P "${spec%%:*}" "$stage/${spec#*:}"
    done
    (cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
        cpio --quiet -o -H newc --reproducible -R 0:0) >"$dest"
}

# without_inherited_fds COMMAND...: run COMMAND with only descriptors 0, 1
# and 2 open, as init's program has them in bunshin: what the test's caller
# left open must not show (a shell's `exec {fd}>` takes the lowest free
# descriptor from 10, /proc/self/fd lists them).
without_inherited_fds() {
    (
        for fd in $(ls /proc/$BASHPID/fd); do
            [ "$fd" -gt 2 ] && eval "exec $fd>&-"
        done
        "$@"
    )
}

# boot_ended NAME LOG: a FAIL for NAME unless the boot that wrote LOG (and
# set $status, tests/lib.sh's boot_kernel) ended by itself without a panic.
boot_ended() {
    if [ "$status" = 124 ]; then
        fail "$1" "no end within ${TEST_TIMEOUT}s (see $2)"
    elif grep -q '^kernel panic' "$2"; then
        fail "$1" "the kernel panicked (see $2)"
    fi
}

# case_output LOG NAME: what case NAME printed in LOG (tests/real/lib-run-cases.sh).
case_output() {
    awk -v n="== $2" '$0 == n { on = 1; next } /^== / { on = 0 } on' "$1"
}

# compare_cases PREFIX LINUX-LOG BUNSHIN-LOG: for each case that
# tests/real/lib-run-cases.sh ran on Linux (the reference), "ok
# bunshin/PREFIX.NAME" if bunshin printed the same, or a FAIL with both.
# Names come from CASES when given (a case Linux did not run is a FAIL),
# else from the Linux log.
compare_cases() {
    local prefix=$1 linux=$2 bunshin=$3 names=$4 name want got
    if [ -n "$names" ]; then
        names=$(sed -n 's/^\([a-z_0-9][a-z_0-9]*\)	.*/\1/p' "$names")
    else
        grep -q '^== end$' "$linux" || fail "linux/$prefix.run" "the run did not end (see $linux)"
        names=$(sed -n 's/^== \(.*\)$/\1/p' "$linux" | grep -vx end)
    fi
    while IFS= read -r name; do
        want=$(case_output "$linux" "$name")
        got=$(case_output "$bunshin" "$name")
        if [ -z "$want" ]; then
            fail "linux/$prefix.$name" "no output on Linux (see $linux)"
        elif [ "$want" = "$got" ]; then
            ok "bunshin/$prefix.$name"
        else
            fail "bunshin/$prefix.$name" "Linux printed [$(echo "$want" | tr '\n' '|')], bunshin [$(echo "$got" | tr '\n' '|')]"
        fi
    done <<<"$names"
}
