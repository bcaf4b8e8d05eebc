#!/bin/sh
# tools/deps.sh: install the Debian packages bunshin needs to build, boot and test.
#
# Run by `make qemu`, `make test` and .ci/run before anything else. It checks for each
# tool first, so on a machine that has everything it does nothing and prints nothing.
# As root it installs what is missing with apt-get; otherwise it prints the one command
# a person should run, and fails.
set -e

# tool-on-PATH : Debian package that provides it
NEEDS="
i686-linux-gnu-gcc:gcc-i686-linux-gnu
i686-linux-gnu-ld:binutils-i686-linux-gnu
nasm:nasm
qemu-system-i386:qemu-system-x86
grub-mkrescue:grub-common
xorriso:xorriso
mformat:mtools
cpio:cpio
gdb:gdb
python3:python3
gcc:gcc
make:make
apt-get:apt
dpkg-deb:dpkg
"
# apt-get and dpkg-deb fetch and unpack Debian's busybox-static:i386 for the
# image (tools/busybox.sh); i386 is enabled below for musl-tools:i386, which
# busybox's package needs too.
# grub-mkrescue needs the i386-pc modules to build a BIOS-bootable ISO; they have no
# command of their own, so look for the directory instead.
GRUB_PC_DIR=/usr/lib/grub/i386-pc

missing=""
for pair in $NEEDS; do
    tool=${pair%%:*}
    pkg=${pair#*:}
    if ! command -v "$tool" >/dev/null 2>&1; then
        missing="$missing $pkg"
    fi
done
if [ ! -d "$GRUB_PC_DIR" ]; then
    missing="$missing grub-pc-bin"
fi
# Headers, which have no command either: the C library's for the host unit
# tests (gcc only recommends them), and Linux's own uapi headers, which
# tests/static/abi.sh compares include/linux/ with.
if [ ! -f /usr/include/stdio.h ]; then
    missing="$missing libc6-dev"
fi
if [ ! -f /usr/include/linux/futex.h ]; then
    missing="$missing linux-libc-dev"
fi
# User programs are built with musl from Debian's i386 packages; the
# i386-linux-musl-gcc wrapper drives the i686 cross compiler above.
need_i386=no
if ! command -v i386-linux-musl-gcc >/dev/null 2>&1; then
    missing="$missing musl-tools:i386"
    need_i386=yes
fi

[ -z "$missing" ] && exit 0

# apt-get install takes each package once; remove repeats for a tidy message.
missing=$(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ')

# musl-tools:i386 comes from the i386 architecture, which dpkg must know first.
add_arch=""
if [ $need_i386 = yes ] && ! dpkg --print-foreign-architectures | grep -qx i386 &&
   [ "$(dpkg --print-architecture)" != i386 ]; then
    add_arch="dpkg --add-architecture i386 && "
fi

if [ "$(id -u)" != 0 ]; then
    echo "bunshin needs these Debian packages:$missing" >&2
    echo "install them with:" >&2
    if [ -n "$add_arch" ]; then
        echo "    sudo sh -c '${add_arch}apt-get update && apt-get install -y $missing'" >&2
    else
        echo "    sudo sh -c 'apt-get update && apt-get install -y $missing'" >&2
    fi
    exit 1
fi

echo "tools/deps.sh: installing $missing" >&2
export DEBIAN_FRONTEND=noninteractive
if [ -n "$add_arch" ]; then
    dpkg --add-architecture i386
fi
apt-get update -q >&2
apt-get install -y -q --no-install-recommends $missing >&2
