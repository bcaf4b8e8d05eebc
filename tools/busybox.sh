#!/bin/bash
# tools/busybox.sh: Debian's busybox for the image (and for tests/real/busybox.sh).
#
#   tools/busybox.sh fetch        unpack busybox-static:i386 into build/busybox/pkg
#                                 (fetched with apt-get download unless build/debs/
#                                 has it; nothing to do when it is there already).
#                                 A failure (no network, no apt) is not the build's:
#                                 it says so in one line and exits 0.
#   tools/busybox.sh install DIR  DIR/busybox and a symbolic link to it for each
#                                 applet (`busybox --list`), as Debian's busybox
#                                 package sets up /usr/bin; nothing if not fetched.
#
# The binary is Debian's (static, i386): the same file runs on the Linux host and
# in bunshin, which is what tests/real/busybox.sh compares.
. tools/debs.sh
BUSYBOX=build/busybox/pkg/bin/busybox

case $1 in
fetch)
    [ -x "$BUSYBOX" ] && exit 0
    mkdir -p build/busybox
    if ! deb_unpack busybox-static:i386 build/busybox/pkg >build/busybox/fetch.log 2>&1 ||
       [ ! -x "$BUSYBOX" ]; then
        echo "busybox: not in the image: could not fetch busybox-static:i386 ($(tail -n 1 build/busybox/fetch.log))" >&2
    fi
    ;;
install)
    [ -x "$BUSYBOX" ] || exit 0
    mkdir -p "$2"
    cp "$BUSYBOX" "$2/busybox"
    for applet in $("$BUSYBOX" --list); do
        [ "$applet" = busybox ] || ln -sf busybox "$2/$applet"
    done
    ;;
*)
    echo "usage: tools/busybox.sh fetch | install DIR" >&2
    exit 2
    ;;
esac
