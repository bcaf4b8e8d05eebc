#!/bin/bash
# tests/real/go.sh: a Go program runs on bunshin as on Linux.
#
# Go's runtime asks a lot of a kernel (user/go/gocheck.go says what), and
# its binaries are static, so the same file runs on both. The program is
# built here with Debian's Go toolchain (golang-go's compiler and standard
# library, fetched once into build/debs/ and unpacked in build/go/; nothing
# is installed) for GOARCH=386 without cgo, run on the Linux host first (the
# reference: "ok linux/go.NAME"), then as init in bunshin ("ok
# bunshin/go.NAME"). Go's 386 port needs SSE2, which the default CPU model
# of the tests (qemu32) lacks, so this boot adds it.
. tests/lib.sh
. tests/real/lib-debs.sh
out=build/go
mkdir -p "$out"

# The toolchain: golang-go names the versioned package (golang-1.19-go on
# Debian 12), which needs its standard library's sources (golang-1.19-src).
goroot=$(ls -d "$out"/toolchain/usr/lib/go-* 2>/dev/null | head -n 1)
if [ -z "$goroot" ]; then
    ver=$(apt-cache depends golang-go 2>/dev/null | sed -n 's/^ *Depends: \(golang-[0-9.]*-go\).*/\1/p' | head -n 1)
    if [ -z "$ver" ]; then
        fail go.toolchain "apt-cache knows no golang-go (run apt-get update as root)"
        exit 0
    fi
    for pkg in "$ver" "${ver%-go}-src"; do
        if ! deb_unpack "$pkg" "$out/toolchain" >"$out/fetch.log" 2>&1; then
            fail go.toolchain "could not fetch $pkg: $(tail -n 1 "$out/fetch.log")"
            exit 0
        fi
    done
    goroot=$(ls -d "$out"/toolchain/usr/lib/go-* 2>/dev/null | head -n 1)
fi
ok go.toolchain

if ! (cd user/go && GOROOT="$PWD/../../$goroot" GOCACHE="$PWD/../../$out/cache" \
      GOPATH="$PWD/../../$out/path" GO111MODULE=off GOARCH=386 CGO_ENABLED=0 \
      "../../$goroot/bin/go" build -trimpath -o ../../$out/gocheck gocheck.go) >"$out/build.log" 2>&1; then
    fail go.build "go build failed: $(head -n 3 "$out/build.log")"
    exit 0
fi
ok go.build

# Linux: the reference.
"$out/gocheck" >"$LOGDIR/linux-go.log" 2>&1
hs=$?
sed -n 's/^\(ok\|FAIL\|skip\) \(.*\)$/\1 linux\/\2/p' "$LOGDIR/linux-go.log"
[ "$hs" = 0 ] || fail linux/go.exit "gocheck exited with $hs on Linux (see $LOGDIR/linux-go.log)"

# bunshin: gocheck as init, in the image with /bin/echo, /bin/sh... beside it.
initrd_with "$out/initrd.cpio" "$out/gocheck:bin/gocheck"
INITRD=$out/initrd.cpio QEMU_CPU="$QEMU_CPU,+sse,+sse2" \
    boot_kernel "$LOGDIR/bunshin-go.log" "init=/bin/gocheck panic=exit"
sed -n 's/^\(ok\|FAIL\|skip\) \(.*\)$/\1 bunshin\/\2/p' "$LOGDIR/bunshin-go.log"
if [ "$status" = 124 ]; then
    fail bunshin/go.exit "no end within ${TEST_TIMEOUT}s (see $LOGDIR/bunshin-go.log)"
elif grep -q '^kernel panic' "$LOGDIR/bunshin-go.log"; then
    fail bunshin/go.exit "the kernel panicked (see $LOGDIR/bunshin-go.log)"
else
    check bunshin/go.exit [ "$status" = 0 ]
fi
# Every check Linux passed, bunshin passed too (none went missing).
missing=$(comm -23 <(sed -n 's/^ok //p' "$LOGDIR/linux-go.log" | sort) \
                   <(sed -n 's/^ok //p' "$LOGDIR/bunshin-go.log" | sort) | tr '\n' ' ')
if [ -n "$missing" ]; then fail bunshin/go.same_as_linux "not passed in bunshin: $missing"; else ok bunshin/go.same_as_linux; fi
