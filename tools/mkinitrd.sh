#!/bin/sh
# tools/mkinitrd.sh OUT: build the initrd, a cpio archive in the "newc" format
# (the one Linux's initramfs uses), from root/ and the built user programs
# (build/user/bin -> /bin, build/user/tests -> /tests, build/user/demo -> /demo)
# and, when the build could fetch it, Debian's busybox in /usr/bin
# (tools/busybox.sh); musl's dynamic loader in /lib.
# File order and times are fixed, so the same tree gives the same archive.
set -e
out=$1
stage=$(dirname "$out")/initrd-root
rm -rf "$stage"
mkdir -p "$stage"
cp -R root/. "$stage"/
# Built user programs go to /bin, test programs to /tests, the docs' example
# programs to /demo.
for dir in bin tests demo; do
    if [ -d "build/user/$dir" ] && [ -n "$(ls "build/user/$dir")" ]; then
        mkdir -p "$stage/$dir"
        cp "build/user/$dir"/* "$stage/$dir/"
    fi
done
# /usr/bin: busybox and a link per applet (vi, less, top, find, tar, awk...).
# bunshin's own programs stay in /bin, as examples to read, and win where the
# names clash: init and bunshin's sh search PATH=/bin:/usr/bin.
tools/busybox.sh install "$stage/usr/bin"
# /lib/ld-musl-i386.so.1: musl's dynamic loader (its libc.so, from the
# musl:i386 package that musl-tools:i386 brings), so that a program linked
# against musl's shared library runs, as on Debian (kernel/elf_interp.c).
for lib in /usr/lib/i386-linux-musl/libc.so /lib/i386-linux-musl/libc.so; do
    if [ -f "$lib" ]; then
        mkdir -p "$stage/lib"
        cp "$lib" "$stage/lib/ld-musl-i386.so.1"
        break
    fi
done
# /tmp: scratch space for programs and tests, writable by all (sticky).
mkdir -p "$stage/tmp"
chmod 1777 "$stage/tmp"
out_abs=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
    cpio --quiet -o -H newc --reproducible -R 0:0 > "$out_abs")
