#!/bin/bash
# tools/bench.sh (make bench): what fork, vfork, execve and posix_spawn cost on
# bunshin, with each of its three forks (copy-on-write, fork=copy, fork=odf), and on Debian's i386
# Linux kernel, in the same QEMU with the same memory and options.
#
# One static i386 program, user/bench/bench.c, does the measuring (rdtsc
# cycles, medians of several runs; see the top of that file). It runs
#   - on bunshin as init=/bench/bench (started by /bin/init), once with the
#     default copy-on-write fork, once with the boot option fork=copy and
#     once with fork=odf (page tables shared), all with aslr=off (the same addresses in every run);
#   - as the init (rdinit=/bench/bench) of Debian's linux-image-686 kernel,
#     with transparent_hugepage=never (4 KiB pages, like bunshin) and, as a
#     fourth column, transparent_hugepage=always.
# QEMU runs in its deterministic instruction-counting mode (-icount shift=0):
# the guest's time-stamp counter then counts instructions, so a "cycle" is an
# instruction and the figures repeat exactly, however busy the host is.
#
# It also measures memory on demand (the first write and the first read of a
# fresh anonymous page, a 1 GiB MAP_NORESERVE reservation and the frames it
# takes) and fork of a parent whose 64 MiB are shared rather than private.
#
# Prints a table (rows: benchmark x parent size; columns: the kernels), then
# the issue's targets read off it, and writes
#   build/bench/table.txt     the table and the targets, as printed
#   build/bench/results.txt   every figure (median, min, n), one per line
#   build/bench/fork.png      latency against parent size, log-log (gnuplot)
#   build/bench/*.log         what each QEMU run printed on its serial line
# A slow figure never fails; the script fails only when something could not
# run at all (a build, the Linux kernel's download, a QEMU run that printed no
# figure), and says why.
#
# Settings (environment):
#   BENCH_MODE=icount|tcg  icount (default): -icount shift=0, deterministic;
#                          tcg: plain TCG, wall-clock time-stamp counter
#   BENCH_MEM=1G           guest memory (a 256 MiB parent with fork=copy needs
#                          ~600 MiB; bunshin uses memory up to 896 MiB)
#   BENCH_CPU=MODEL        -cpu MODEL for every run (default: QEMU's own, qemu32,
#                          which the non-PAE -686 kernel boots on)
#   BENCH_ARGS="-s 0,1,4 -n 3"  options for the bench program (sizes, repetitions,
#                          -b only these benchmarks)
#   BENCH_TIMEOUT=600      seconds one QEMU run may take before it is stopped
#   BENCH_LINUX=0          skip the Linux columns; BENCH_THP=0 skips only THP
#   BENCH_LINUX_KERNEL=F   boot this i386 bzImage instead of fetching linux-image-686
#   BENCH_JOBS=2           QEMU runs at a time in icount mode (tcg: always 1,
#                          so that runs do not slow each other down)
set -u
cd "$(dirname "$0")/.."

MODE=${BENCH_MODE:-icount}
MEM=${BENCH_MEM:-1G}
CPU=${BENCH_CPU:-}
ARGS=${BENCH_ARGS:-}
TIMEOUT=${BENCH_TIMEOUT:-600}
WANT_LINUX=${BENCH_LINUX:-1}
WANT_THP=${BENCH_THP:-1}
JOBS=${BENCH_JOBS:-2}
QEMU=${QEMU:-qemu-system-i386}
OUT=build/bench
CC=${USER_CC:-i386-linux-musl-gcc}

say()  { echo "bench: $*"; }
warn() { echo "bench: warning: $*" >&2; }
die()  { echo "bench: error: $*" >&2; exit 1; }

case $MODE in
icount) ACCEL=(-icount shift=0) ;;
tcg)    ACCEL=(-accel tcg); JOBS=1 ;;
*)      die "BENCH_MODE=$MODE: expected icount or tcg" ;;
esac
CPU_OPT=()
[ -n "$CPU" ] && CPU_OPT=(-cpu "$CPU")

mkdir -p "$OUT"
started=$(date +%s)
failures=()

# --- 1. build -----------------------------------------------------------------

command -v "$QEMU" >/dev/null || die "$QEMU not found: run tools/deps.sh (make deps)"
command -v "$CC" >/dev/null || die "$CC not found: run tools/deps.sh (make deps)"
command -v cpio >/dev/null || die "cpio not found: run tools/deps.sh (make deps)"

# The kernel and /bin/init (up to date when run by make bench).
# The demos of fork's uses (docs/fork-uses.md) print figures of their own.
FORK_USES=(zygote forkserver snapshot)
env -u MAKEFLAGS -u MAKELEVEL make --no-print-directory -s build/kernel.elf build/user/bin/init \
    "${FORK_USES[@]/#/build/user/demo/}" >"$OUT/make.log" 2>&1 || { cat "$OUT/make.log"; die "building the kernel failed"; }

BENCH_CFLAGS=(-static -O2 -g -Wall -Wextra -Werror -std=gnu11)
for prog in bench nop; do
    src=user/bench/$prog.c bin=$OUT/$prog
    if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
        echo "  CC      $src"
        "$CC" "${BENCH_CFLAGS[@]}" -o "$bin" "$src" || die "building $src failed"
    fi
done

# cpio_dir DIR OUT: a "newc" archive of DIR, as tools/mkinitrd.sh makes it.
cpio_dir() {
    local out_abs
    out_abs=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
    (cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
        cpio --quiet -o -H newc --reproducible -R 0:0 >"$out_abs")
}

# bunshin's initrd: root/, the programs of /bin (init...), and /bench.
stage=$OUT/root-bunshin
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/bench" "$stage/tmp"
cp -R root/. "$stage"/
cp build/user/bin/* "$stage/bin/"
cp "$OUT/bench" "$OUT/nop" "$stage/bench/"
cp "${FORK_USES[@]/#/build/user/demo/}" "$stage/bench/"
chmod 1777 "$stage/tmp"
cpio_dir "$stage" "$OUT/initrd-bunshin.cpio" || die "cannot make $OUT/initrd-bunshin.cpio"

# --- 2. Debian's i386 Linux kernel ---------------------------------------------

LINUX_KERNEL=
LINUX_VERSION=
fetch_linux() {
    local dir=$OUT/linux
    if [ -n "${BENCH_LINUX_KERNEL:-}" ]; then
        [ -f "$BENCH_LINUX_KERNEL" ] || { echo "BENCH_LINUX_KERNEL=$BENCH_LINUX_KERNEL: no such file"; return 1; }
        LINUX_KERNEL=$BENCH_LINUX_KERNEL
        LINUX_VERSION=$(basename "$BENCH_LINUX_KERNEL")
        return 0
    fi
    mkdir -p "$dir"
    # Kept from an earlier run?
    local have
    have=$(ls "$dir"/pkg/boot/vmlinuz-*-686 2>/dev/null | head -n 1)
    if [ -z "$have" ]; then
        command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
            { echo "apt-get and dpkg-deb are needed to fetch linux-image-686"; return 1; }
        if ! dpkg --print-foreign-architectures 2>/dev/null | grep -qx i386 &&
           [ "$(dpkg --print-architecture 2>/dev/null)" != i386 ]; then
            echo "Debian's i386 packages are not enabled here: as root, run"
            echo "  dpkg --add-architecture i386 && apt-get update   (tools/deps.sh does it)"
            return 1
        fi
        # linux-image-686 is a meta package; the kernel is in the package it
        # depends on (linux-image-6.1.0-NN-686).
        local pkg
        pkg=$(apt-cache depends linux-image-686:i386 2>/dev/null |
              sed -n 's/^ *Depends: \(linux-image-[^ ]*\).*/\1/p' | head -n 1)
        if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
            say "apt-get update (to find linux-image-686)"
            apt-get update >"$dir/apt-update.log" 2>&1 || true
            pkg=$(apt-cache depends linux-image-686:i386 2>/dev/null |
                  sed -n 's/^ *Depends: \(linux-image-[^ ]*\).*/\1/p' | head -n 1)
        fi
        [ -n "$pkg" ] || { echo "apt-cache knows no linux-image-686:i386 (run apt-get update as root)"; return 1; }
        case $pkg in *:*) ;; *) pkg=$pkg:i386 ;; esac
        say "fetching $pkg (Debian's i386 kernel, about 50 MB)"
        rm -f "$dir"/*.deb
        # apt's sandbox user must be able to write where it downloads.
        chmod 777 "$dir" 2>/dev/null
        (cd "$dir" && apt-get download "$pkg") >"$dir/apt-download.log" 2>&1 ||
            { cat "$dir/apt-download.log"; echo "apt-get download $pkg failed"; return 1; }
        rm -rf "$dir/pkg"
        dpkg-deb -x "$dir"/*.deb "$dir/pkg" || { echo "dpkg-deb -x failed"; return 1; }
        rm -f "$dir"/*.deb
        have=$(ls "$dir"/pkg/boot/vmlinuz-*-686 2>/dev/null | head -n 1)
        [ -n "$have" ] || { echo "the package holds no /boot/vmlinuz-*-686"; return 1; }
        # Keep only the kernel image and its config.
        find "$dir/pkg" -mindepth 1 -maxdepth 1 ! -name boot -exec rm -rf {} +
    fi
    LINUX_KERNEL=$have
    LINUX_VERSION=$(basename "$have" | sed 's/^vmlinuz-//')
}

if [ "$WANT_LINUX" = 1 ]; then
    say "Linux: Debian's linux-image-686 (fetched once, then kept in $OUT/linux)"
    if ! fetch_linux >"$OUT/fetch-linux.log" 2>&1; then
        sed 's/^/bench: /' "$OUT/fetch-linux.log" >&2
        failures+=("Linux: could not get Debian's linux-image-686 (see above; BENCH_LINUX=0 skips Linux)")
        WANT_LINUX=0
    else
        cat "$OUT/fetch-linux.log"
    fi
fi

if [ "$WANT_LINUX" = 1 ]; then
    # The initramfs: /bench/bench as init, nop beside it, a /proc to mount,
    # a /dev with the console (the program mounts devtmpfs if it is missing).
    stage=$OUT/root-linux
    rm -rf "$stage"
    mkdir -p "$stage/bench" "$stage/proc" "$stage/dev" "$stage/tmp"
    cp "$OUT/bench" "$OUT/nop" "$stage/bench/"
    cp "${FORK_USES[@]/#/build/user/demo/}" "$stage/bench/"
    mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true
    chmod 1777 "$stage/tmp"
    cpio_dir "$stage" "$OUT/initrd-linux.cpio" || die "cannot make $OUT/initrd-linux.cpio"
fi

# --- 3. the runs ------------------------------------------------------------------

RUNS=(bunshin-cow bunshin-copy bunshin-odf)
if [ "$WANT_LINUX" = 1 ]; then
    RUNS+=(linux)
    [ "$WANT_THP" = 1 ] && RUNS+=(linux-thp)
fi
title() {
    case $1 in
    bunshin-cow)  echo "bunshin cow" ;;
    bunshin-copy) echo "bunshin copy" ;;
    bunshin-odf)  echo "bunshin odf" ;;
    linux)        echo "Linux 4K" ;;
    linux-thp)    echo "Linux THP" ;;
    esac
}

# run_one NAME: boot one kernel with the bench program as init; the serial
# output goes to $OUT/NAME.log, the figures to $OUT/NAME.txt, and a one-line
# verdict to $OUT/NAME.status.
run_one() {
    local name=$1 kernel initrd append
    case $name in
    bunshin-cow|bunshin-copy|bunshin-odf)
        kernel=build/kernel.elf initrd=$OUT/initrd-bunshin.cpio
        # aslr=off: the same layout in every run, so that figures compare.
        # (A random break or stack can need one page table more, which fork
        # then copies.)
        append="aslr=off init=/bench/bench"
        [ "$name" = bunshin-copy ] && append="fork=copy $append"
        [ "$name" = bunshin-odf ] && append="fork=odf $append"
        ;;
    linux|linux-thp)
        kernel=$LINUX_KERNEL initrd=$OUT/initrd-linux.cpio
        local thp=never
        [ "$name" = linux-thp ] && thp=always
        # panic=-1: should init die, reboot at once, and -no-reboot ends QEMU.
        append="console=ttyS0 transparent_hugepage=$thp rdinit=/bench/bench panic=-1 quiet"
        ;;
    esac
    [ -n "$ARGS" ] && append="$append -- $ARGS"
    local t0=$SECONDS
    timeout --foreground -k 10 "$TIMEOUT" "$QEMU" -m "$MEM" "${CPU_OPT[@]}" "${ACCEL[@]}" \
        -no-reboot -display none -monitor none -serial stdio -nic none \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel "$kernel" -initrd "$initrd" -append "$append" \
        </dev/null 2>"$OUT/$name.stderr" | tr -d '\r' >"$OUT/$name.log"
    local code=${PIPESTATUS[0]} secs=$((SECONDS - t0))
    grep -E '^(bench|info) ' "$OUT/$name.log" >"$OUT/$name.txt"
    local figures status
    figures=$(grep -cE '^bench .* median=' "$OUT/$name.txt")
    case $code in
    124|137) status="stopped after ${TIMEOUT}s (BENCH_TIMEOUT)" ;;
    1)       status="exit status 0" ;;        # isa-debug-exit: (0 << 1) | 1
    0)       status="powered off" ;;
    *)       if [ $((code % 2)) -eq 1 ]; then status="exit status $((code / 2))"
             else status="QEMU failed ($code): $(head -c 300 "$OUT/$name.stderr")"; fi ;;
    esac
    local verdict=ok
    if [ "$figures" -eq 0 ]; then
        verdict=failed
    elif ! grep -qx 'bench done' "$OUT/$name.txt"; then
        verdict=partial
    fi
    echo "$verdict $figures figures in ${secs}s, $status" >"$OUT/$name.status"
}

say "mode $MODE, -m $MEM${CPU:+, -cpu $CPU}, time limit ${TIMEOUT}s per run, ${#RUNS[@]} runs: ${RUNS[*]}"
rm -f "$OUT"/*.status
running=0
for name in "${RUNS[@]}"; do
    say "running $(title "$name")..."
    run_one "$name" &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait
for name in "${RUNS[@]}"; do
    st=$(cat "$OUT/$name.status" 2>/dev/null || echo "failed: no status")
    say "$(printf '%-13s' "$(title "$name")") $st (log: $OUT/$name.log)"
    case $st in
    failed*) failures+=("$(title "$name"): no figure at all (${st#failed 0 figures in }); the end of $OUT/$name.log:
$(tail -n 8 "$OUT/$name.log" | sed 's/^/    /')") ;;
    partial*) warn "$(title "$name") did not finish: the figures it printed are shown" ;;
    esac
done

# --- 4. results.txt ------------------------------------------------------------------

{
    echo "# make bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $("$QEMU" --version | head -n 1)"
    echo "# mode $MODE (${ACCEL[*]}), -m $MEM${CPU:+ -cpu $CPU}, bunshin $(git describe --always --dirty 2>/dev/null || echo unknown)${LINUX_VERSION:+, Linux $LINUX_VERSION}"
    echo "# RUN bench NAME size_mib=MiB median=CYCLES min=CYCLES n=REPETITIONS (frames_per_fork, frames_shared, reserve_frames: unit=frames)"
    for name in "${RUNS[@]}"; do
        sed "s/^/$name /" "$OUT/$name.txt"
    done
} >"$OUT/results.txt"

# --- 5. the table ----------------------------------------------------------------------

titles=()
for name in "${RUNS[@]}"; do titles+=("$(title "$name")"); done
awk -v runs="${RUNS[*]}" -v titles="$(IFS='|'; echo "${titles[*]}")" '
function fmt(v) {
    if (v == "") return "-"
    if (v !~ /^[0-9]+$/) return v
    if (v >= 1e6) return sprintf("%.2fM", v / 1e6)
    if (v >= 1e4) return sprintf("%.1fk", v / 1e3)
    return v
}
BEGIN {
    nr = split(runs, run, " "); split(titles, tit, "|")
    nb = split("fork_exit_wait vfork_exit_wait fork_execve vfork_execve posix_spawn fork_write_all frames_per_fork fork_shared frames_shared cow_fault cow_reuse first_touch first_read mmap_small reserve_1g munmap_1g reserve_frames rdtsc signal_self signal_siginfo zygote_worker zygote_exec_worker forkserver_input forkserver_exec_input snapshot_fork snapshot_bgsave", bn, " ")
}
/^#/ { next }
$2 == "bench" && $3 != "done" {
    r = $1; b = $3; size = ""; val = ""
    for (i = 4; i <= NF; i++) {
        split($i, kv, "=")
        if (kv[1] == "size_mib") size = kv[2]
        else if (kv[1] == "median") val = kv[2]
        else if (kv[1] == "error") val = "err:" kv[2]
        else if (kv[1] == "unit" && kv[2] == "frames") frames[b] = 1
    }
    key = b SUBSEP size
    if (!(key in seen)) { seen[key] = 1; sizes[b] = sizes[b] " " size }
    fig[r, b, size] = val
}
END {
    printf "%-21s %5s", "cycles (median)", "MiB"
    for (j = 1; j <= nr; j++) printf " %13s", tit[j]
    if (index(runs, "linux")) printf " %10s", "cow/Linux"
    printf "\n"
    for (k = 1; k <= nb; k++) {
        b = bn[k]; n = split(sizes[b], sz, " ")
        if (n == 0) continue
        for (s = 1; s <= n; s++) {
            printf "%-21s %5s", (s == 1 ? b : ""), sz[s]
            for (j = 1; j <= nr; j++)
                printf " %13s", (b in frames && fig[run[j], b, sz[s]] ~ /^[0-9]+$/) ? fig[run[j], b, sz[s]] : fmt(fig[run[j], b, sz[s]])
            c = fig["bunshin-cow", b, sz[s]]; l = fig["linux", b, sz[s]]
            if (index(runs, "linux") && c ~ /^[0-9]+$/ && l ~ /^[0-9]+$/ && l > 0)
                printf " %10.2f", c / l
            printf "\n"
        }
    }
}' "$OUT/results.txt" | tee "$OUT/table.txt"
if [ "$MODE" = icount ]; then
    echo "(k = thousand, M = million; -icount shift=0: a cycle is one guest instruction."
else
    echo "(k = thousand, M = million; plain TCG: host time-stamp cycles, emulation included,"
    echo " so they vary from run to run and do not compare with -icount figures."
fi
echo " Medians; min and n are in $OUT/results.txt. frames_per_fork: 4 KiB frames taken by"
echo " one fork whose child waits in read(): MemFree on bunshin, /proc/vmstat on Linux."
echo " fork_shared, frames_shared: fork_exit_wait and frames_per_fork with the 64 MiB shared"
echo " (MAP_SHARED|MAP_ANONYMOUS) instead of private."
echo " fork_write_all: fork, then the child writes one byte in every page of the parent's"
echo " memory and exits: the copying that copy-on-write defers, done in full."
echo " cow_fault: the child's first write to a shared page; cow_reuse: the parent's, after"
echo " the child exited; first_touch, first_read: the first write, the first read, of a page"
echo " of a fresh anonymous mapping (a zeroed frame; the zero page); mmap_small: mmap of one"
echo " page; reserve_1g, munmap_1g: mmap of 1 GiB MAP_NORESERVE, munmap of it untouched;"
echo " reserve_frames: the 4 KiB frames that mmap takes; rdtsc: the clock's own cost,"
echo " included in every figure;"
echo " signal_self, signal_siginfo: kill(getpid()) to a handler and back through sigreturn,"
echo " with the old frame and with the SA_SIGINFO one."
echo " zygote_worker, zygote_exec_worker: one request answered by a worker forked from a zygote"
echo " holding 8 MiB of tables, or by fork + execve of a worker that builds them again;"
echo " forkserver_input, forkserver_exec_input: one input run by a child forked from an"
echo " initialised target, or by fork + execve + init; snapshot_fork, snapshot_bgsave: the fork"
echo " alone, and fork to the saving child reaped, of a BGSAVE of a 64 MiB table"
echo " (docs/fork-uses.md).)"

# --- 6. the targets of issues 4 and 14, read off the table (never fail) ------------------------

awk -v mode="$MODE" '
/^#/ { next }
$2 == "bench" {
    size = ""; val = ""
    for (i = 4; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "size_mib") size = kv[2]; if (kv[1] == "median") val = kv[2] }
    if (val != "") fig[$1, $3, size] = val
}
function have(r, b, s) { return ((r, b, s) in fig) }
function line(ok, what) { printf "  %-6s %s\n", ok ? "met" : "MISSED", what }
END {
    print "targets (issues 4 and 14; read off, not asserted" (mode == "icount" ? "" : "; set for -icount shift=0, so only indicative here") "):"
    if (have("bunshin-cow", "fork_exit_wait", 0) && have("linux", "fork_exit_wait", 0)) {
        r = fig["bunshin-cow", "fork_exit_wait", 0] / fig["linux", "fork_exit_wait", 0]
        line(r <= 0.25, sprintf("fork+exit+wait, 0 MiB: bunshin/Linux = %.2f (target <= 0.25)", r))
    }
    if (have("bunshin-cow", "fork_exit_wait", 256) && have("linux", "fork_exit_wait", 256)) {
        r = fig["bunshin-cow", "fork_exit_wait", 256] / fig["linux", "fork_exit_wait", 256]
        line(r <= 0.5, sprintf("fork+exit+wait, 256 MiB: bunshin/Linux = %.2f (target <= 0.5)", r))
    }
    if (have("bunshin-cow", "fork_exit_wait", 64) && have("bunshin-copy", "fork_exit_wait", 64)) {
        r = fig["bunshin-copy", "fork_exit_wait", 64] / fig["bunshin-cow", "fork_exit_wait", 64]
        line(r >= 10, sprintf("fork+exit+wait, 64 MiB: fork=copy/cow = %.1f (target >= 10)", r))
    }
    split("vfork_execve posix_spawn", fl, " ")
    for (i = 1; i <= 2; i++) {
        if (have("bunshin-cow", fl[i], 0) && have("bunshin-cow", fl[i], 256)) {
            r = fig["bunshin-cow", fl[i], 256] / fig["bunshin-cow", fl[i], 0]
            line(r <= 1.5, sprintf("%s flat: 256 MiB / 0 MiB = %.2f (target <= 1.5)", fl[i], r))
        }
    }
    if (have("bunshin-cow", "frames_per_fork", 64)) {
        f = fig["bunshin-cow", "frames_per_fork", 64]
        # 64 MiB needs 16 page tables, plus the page directory, plus the page
        # tables of text, data and stack: about 20; "a handful" more: 10.
        msg = sprintf("frames per fork, 64 MiB: %d (16 page tables for the 64 MiB + directory + text/stack tables ~ 20, + a handful)", f)
        if (have("linux", "frames_per_fork", 64)) msg = msg sprintf("; Linux: %d", fig["linux", "frames_per_fork", 64])
        line(f <= 30, msg)
    }
    # Issue 14: fork=odf, sharing the page tables.
    if (have("bunshin-odf", "fork_exit_wait", 0) && have("bunshin-odf", "fork_exit_wait", 256)) {
        r = fig["bunshin-odf", "fork_exit_wait", 256] / fig["bunshin-odf", "fork_exit_wait", 0]
        line(r <= 2, sprintf("fork=odf fork+exit+wait: 256 MiB / 0 MiB = %.2f (target <= 2)", r))
    }
    n = split("0 1 4 16 64 256", sz, " ")
    for (i = 1; i <= n; i++) {
        s = sz[i]
        if (have("bunshin-odf", "fork_exit_wait", s) && have("linux-thp", "fork_exit_wait", s)) {
            r = fig["bunshin-odf", "fork_exit_wait", s] / fig["linux-thp", "fork_exit_wait", s]
            line(r < 1, sprintf("fork=odf fork+exit+wait, %s MiB: odf/Linux THP = %.2f (target < 1)", s, r))
        }
    }
    if (have("bunshin-odf", "fork_execve", 0) && have("bunshin-odf", "fork_execve", 256)) {
        r = fig["bunshin-odf", "fork_execve", 256] / fig["bunshin-odf", "fork_execve", 0]
        line(r <= 1.5, sprintf("fork=odf fork+execve flat: 256 MiB / 0 MiB = %.2f (target <= 1.5)", r))
    }
    for (i = 1; i <= n; i++) {
        s = sz[i]
        if (have("bunshin-odf", "fork_write_all", s) && have("bunshin-cow", "fork_write_all", s) && s > 0) {
            r = fig["bunshin-odf", "fork_write_all", s] / fig["bunshin-cow", "fork_write_all", s]
            line(r <= 1.25, sprintf("fork then write every page, %s MiB: odf/cow = %.2f (target <= 1.25)", s, r))
        }
    }
}' "$OUT/results.txt" | tee -a "$OUT/table.txt"

# --- 7. the plot --------------------------------------------------------------------------

plot_ok=0
if ! command -v gnuplot >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing gnuplot-nox for the plot"
        apt-get install -y gnuplot-nox >"$OUT/apt-gnuplot.log" 2>&1 ||
            warn "apt-get install gnuplot-nox failed (see $OUT/apt-gnuplot.log)"
    else
        warn "no gnuplot, so no plot: run  sudo apt-get install gnuplot-nox  and make bench again"
    fi
fi
if command -v gnuplot >/dev/null; then
    # One data file per run: x (0 MiB drawn at 0.25) and one column per benchmark.
    for name in "${RUNS[@]}"; do
        awk -v r="$name" '
        /^#/ { next }
        $1 == r && $2 == "bench" {
            size = ""; val = ""
            for (i = 4; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "size_mib") size = kv[2]; if (kv[1] == "median") val = kv[2] }
            if (size == "" || !($3 in plotted)) next
            if (!(size in seen)) { seen[size] = 1; order[++n] = size }
            if (val != "" && val > 0) fig[$3, size] = val
        }
        BEGIN { split("fork_exit_wait fork_write_all fork_execve vfork_execve posix_spawn frames_per_fork", bn, " "); for (k = 1; k <= 6; k++) plotted[bn[k]] = 1 }
        END {
            print "# size_mib(0 as 0.25) " "fork_exit_wait fork_write_all fork_execve vfork_execve posix_spawn frames_per_fork"
            for (s = 1; s <= n; s++) {
                printf "%s", (order[s] == 0 ? 0.25 : order[s])
                for (k = 1; k <= 6; k++) printf " %s", ((bn[k], order[s]) in fig) ? fig[bn[k], order[s]] : "NaN"
                printf "\n"
            }
        }' "$OUT/results.txt" >"$OUT/plot-$name.dat"
    done
    qtitles=
    for name in "${RUNS[@]}"; do qtitles="$qtitles \"$(title "$name")\""; done
    if gnuplot -e "dir='$OUT'; runs='${RUNS[*]}'; titles='$qtitles'; out='$OUT/fork.png'; mode='$MODE'" \
            tools/bench-plot.gp 2>"$OUT/gnuplot.log"; then
        plot_ok=1
    else
        warn "gnuplot failed: $(head -n 5 "$OUT/gnuplot.log")"
    fi
fi

echo
say "raw figures: $OUT/results.txt; table: $OUT/table.txt"
[ "$plot_ok" = 1 ] && say "plot: $OUT/fork.png"
say "took $(( $(date +%s) - started ))s"
if [ "${#failures[@]}" -gt 0 ]; then
    for f in "${failures[@]}"; do echo "bench: FAILED: $f" >&2; done
    exit 1
fi
exit 0
