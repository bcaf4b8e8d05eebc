#!/bin/sh
# tools/mkinitrd.sh OUT: build the initrd, a cpio archive in the "newc" format
# (the one Linux's initramfs uses), from root/ and the built user programs.
# File order and times are fixed, so the same tree gives the same archive.
set -e
out=$1
stage=$(dirname "$out")/initrd-root
rm -rf "$stage"
mkdir -p "$stage"
cp -R root/. "$stage"/
if [ -d build/user/bin ]; then
    mkdir -p "$stage/bin"
    cp build/user/bin/* "$stage/bin/"
fi
out_abs=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
    cpio --quiet -o -H newc --reproducible -R 0:0 > "$out_abs")
