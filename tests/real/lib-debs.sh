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
