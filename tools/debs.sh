# tools/debs.sh: fetch and unpack Debian packages (sourced, not run). Used by
# the build (tools/busybox.sh puts Debian's busybox in the image) and by the
# tests of real programs (tests/real/lib-debs.sh). The programs these
# packages hold were built by Debian, not here; they are fetched with
# apt-get download (no root needed once tools/deps.sh has enabled Debian's
# i386 packages) into build/debs/, kept there between runs (make clean
# removes them), and unpacked where the caller asks.

DEBS=build/debs

# deb_unpack PKG DEST: unpack Debian package PKG (name[:arch]) into DEST,
# fetching it first unless build/debs/ has it. Prints why on failure.
deb_unpack() {
    local pkg=$1 dest=$2 name=${1%%:*} deb
    mkdir -p "$DEBS"
    deb=$(ls "$DEBS/${name}"_*.deb 2>/dev/null | head -n 1)
    if [ -z "$deb" ]; then
        command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
            { echo "apt-get and dpkg-deb are needed to fetch $pkg"; return 1; }
        # apt's sandbox user must be able to write where it downloads.
        chmod 777 "$DEBS" 2>/dev/null
        if ! (cd "$DEBS" && apt-get download "$pkg") >"$DEBS/$name.log" 2>&1; then
            cat "$DEBS/$name.log"
            echo "apt-get download $pkg failed (Debian's i386 packages enabled? tools/deps.sh does it)"
            return 1
        fi
        deb=$(ls "$DEBS/${name}"_*.deb 2>/dev/null | head -n 1)
    fi
    mkdir -p "$dest"
    dpkg-deb -x "$deb" "$dest" || { echo "dpkg-deb -x $deb failed"; return 1; }
}
