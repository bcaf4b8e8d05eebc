#!/bin/bash
# tools/fuzz.sh: a fuzzing campaign in bunshin (make fuzz). The fuzzer is
# user/tests/t_fuzz.c (random system calls in forked children, then execve
# of mutated ELF files); `make test` runs a bounded part of it with seed 1.
# Here it runs as long as you like, with the seed you like:
#
#   make fuzz                                a new seed, 1000 children, 2000 mutants
#   make fuzz SEED=1234 N=5000 K=300         children 0..4999 of campaign 1234,
#                                            300 calls each
#   make fuzz SEED=1234 FROM=17 N=1 MUTANTS=0   child 17 alone (a replay)
#   make fuzz SEED=1234 N=0 MFROM=42 MUTANTS=1  mutant 42 alone
#
# Settings (environment or make variables): SEED (default: from the clock),
# N children (1000), K calls each (300), FROM the first child (0), MUTANTS
# (2000), MFROM the first mutant (0); CHUNK children or MCHUNK mutants per
# boot (200, 2000), HANG_SECS without a byte of output that make a boot hung
# (60), KOPTS kernel options put before the fuzzer's (e.g. KOPTS=fork=copy or
# KOPTS=fork=odf: the campaign under another fork). Logs go to build/fuzz/;
# a boot's log is kept when it found something.
#
# Each boot runs one chunk with t_fuzz as init (init=/tests/t_fuzz --
# seed=... n=... from=...). After it, this script looks for what went wrong:
# a kernel panic, a hang, a fault the kernel reported, or a FAIL of the
# fuzzer's own (a process left over, MemFree not back, a file gone...). For
# each it prints one line with a command that runs just the child or the
# mutant that did it; after a panic or a hang the campaign goes on from the
# next one. At the end: the figures (calls, numbers called, mutants, time).
#
# The random calls never run on the host: this script only boots QEMU, and
# t_fuzz refuses to start them anywhere but on bunshin.
cd "$(dirname "$0")/.." || exit 1
. tests/lib.sh

SEED=${SEED:-$(( $(date +%s) % 1000000 ))}
N=${N:-1000}
K=${K:-300}
FROM=${FROM:-0}
MUTANTS=${MUTANTS:-2000}
MFROM=${MFROM:-0}
CHUNK=${CHUNK:-200}
MCHUNK=${MCHUNK:-2000}
HANG_SECS=${HANG_SECS:-60}
KOPTS=${KOPTS:-}
case $KOPTS in
*--*) echo "make fuzz: KOPTS must not hold '--'"; exit 2 ;;
esac
for v in SEED N K FROM MUTANTS MFROM CHUNK MCHUNK HANG_SECS; do
    case ${!v} in
    ''|*[!0-9]*) echo "make fuzz: $v must be a number, not '${!v}'"; exit 2 ;;
    esac
done
if [ "$CHUNK" = 0 ] || [ "$MCHUNK" = 0 ]; then
    echo "make fuzz: CHUNK and MCHUNK must not be 0"; exit 2
fi
if [ ! -f build/kernel.elf ] || [ ! -x build/user/tests/t_fuzz ]; then
    echo "make fuzz: build/kernel.elf or build/user/tests/t_fuzz is missing (run make)"
    exit 2
fi
OUT=build/fuzz
mkdir -p "$OUT"

findings=0
calls=0
children=0
mutants=0
never="*"           # numbers no boot has called so far ("*": no boot yet)
FUZZ_NUMBERS=450    # 0..450 but reboot
start=$(date +%s)

range() { if [ "$2" = 0 ]; then echo none; else echo "$1-$(($1 + $2 - 1))"; fi; }
echo "make fuzz: seed $SEED${KOPTS:+ ($KOPTS)}, children $(range "$FROM" "$N") with $K calls each," \
     "mutants $(range "$MFROM" "$MUTANTS"); logs in $OUT/"

# boot LOG ARGS: boot with init=/tests/t_fuzz -- ARGS, the serial output in
# LOG. A boot that prints nothing for HANG_SECS is stopped. Sets $status:
# the kernel's exit status, or 124 for a hang.
boot() {
    local log=$1 args=$2 raw=$1.raw
    : >"$raw"
    "$QEMU" -cpu "$QEMU_CPU" -m "$QEMU_MEM" -no-reboot -display none -monitor none \
        -serial "file:$raw" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel build/kernel.elf -initrd build/initrd.cpio \
        -append "aslr=off $KOPTS init=/tests/t_fuzz panic=exit -- $args" </dev/null 2>"$log.stderr" &
    local qemu=$! last=-1 quiet=0 hung=0 size
    while kill -0 "$qemu" 2>/dev/null; do
        sleep 2
        size=$(stat -c %s "$raw" 2>/dev/null || echo 0)
        if [ "$size" = "$last" ]; then
            quiet=$((quiet + 2))
        else
            quiet=0
            last=$size
        fi
        if [ "$quiet" -ge "$HANG_SECS" ]; then
            kill "$qemu" 2>/dev/null
            hung=1
            break
        fi
    done
    wait "$qemu"
    local code=$?
    tr -d '\r' <"$raw" >"$log"
    rm -f "$raw"
    if [ "$hung" = 1 ]; then status=124; else status=$(decode_status "$code"); fi
}

# The last child (or mutant) the log names, and its last call: "17 9
# link(805b8e2,805ab52)" or "42". Empty if the log names none.
last_child() {
    grep -a '^fz [0-9]*:' "$1" | tail -1 |
        sed -E 's/^fz ([0-9]+):.* ([0-9]+ [#a-z0-9_]+\([0-9a-f,]*\)).*$/\1 \2/'
}
last_mutant() {
    grep -a '^fe [0-9]*:' "$1" | tail -1 | grep -aoE '(^fe |\| )[0-9]+:' | tail -1 |
        grep -oE '[0-9]+'
}

# found WHAT REPLAY: one finding.
found() {
    findings=$((findings + 1))
    echo "FOUND: $1"
    echo "  replay: $2"
}

# After a boot: what did it find? KIND is calls or elf; FIRST and COUNT the
# chunk it ran. Sets $next: where the campaign goes on (after the culprit
# of a panic or a hang, else after the chunk).
judge() {
    local log=$1 kind=$2 first=$3 count=$4 what="" culprit="" idx="" chunk
    next=$((first + count))
    if [ "$kind" = calls ]; then
        chunk="make fuzz${KOPTS:+ KOPTS=\"$KOPTS\"} SEED=$SEED FROM=$first N=$count K=$K MUTANTS=0"
    else
        chunk="make fuzz${KOPTS:+ KOPTS=\"$KOPTS\"} SEED=$SEED N=0 MFROM=$first MUTANTS=$count"
    fi
    if [ "$status" = 124 ]; then
        what="no output for ${HANG_SECS}s: a hang"
    elif grep -aq '^kernel panic' "$log"; then
        what="$(grep -a '^kernel panic' "$log" | head -1)"
    fi
    if [ "$kind" = calls ]; then
        culprit=$(last_child "$log")
        idx=${culprit%% *}
    else
        idx=$(last_mutant "$log")
        culprit=$idx
    fi
    # A culprit outside the chunk (a log that makes no sense): the chunk's first.
    if [ -n "$idx" ] && { [ "$idx" -lt "$first" ] || [ "$idx" -ge $((first + count)) ]; }; then
        idx=$first
        culprit="$first ?"
    fi
    if [ -n "$what" ]; then
        if [ -z "$idx" ]; then
            found "$what, before the first ${kind} item ($log)" "(none: look at the log)"
        elif [ "$kind" = calls ]; then
            found "$what; the last call was child ${culprit%% *}'s call ${culprit#* } ($log)" \
                "make fuzz${KOPTS:+ KOPTS=\"$KOPTS\"} SEED=$SEED FROM=$idx N=1 K=$K MUTANTS=0"
            next=$((idx + 1))
            # The boot said no figures: count from its log.
            children=$((children + idx - first + 1))
            calls=$((calls + $(grep -a '^fz [0-9]*:' "$log" |
                                 grep -aoE ' [0-9]+ [#a-z0-9_]+\(' | wc -l)))
        else
            found "$what; the last mutant was $idx ($log)" \
                "make fuzz${KOPTS:+ KOPTS=\"$KOPTS\"} SEED=$SEED N=0 MFROM=$idx MUTANTS=1"
            next=$((idx + 1))
            mutants=$((mutants + idx - first + 1))
        fi
    fi
    # A fault the kernel caught in itself and reported (a probe's fixup).
    if grep -aq 'caught by a probe' "$log"; then
        found "the kernel reported a fault of its own ($log)" "$chunk"
    fi
    # The fuzzer's own findings carry their replay command.
    local line
    while IFS= read -r line; do
        found "${line%%; replay: *}" "${line##*; replay: }"
    done < <(grep -a '^fuzz-found: ' "$log" | grep -av '%s' | sed 's/^fuzz-found: //')
    # Other FAILs (MemFree at the end, processes left...): the whole chunk.
    # (The checks whose findings came with a fuzz-found line are not repeated.)
    local reported='killable|all_reaped|memfree_each|files_kept|scratch_removed_each'
    reported="$reported|calls\.setup|elf\.must_fail|elf\.caller_intact"
    while IFS= read -r line; do
        found "$line ($log)" "$chunk"
    done < <(grep -a '^FAIL ' "$log" | grep -avE "FAIL fuzz\.($reported):")
    if [ -z "$what" ] && [ "$status" != 0 ] && ! grep -aq '^FAIL ' "$log"; then
        found "the boot ended with status $status and no FAIL ($log)" "$chunk"
    fi
    # The figures.
    local c
    c=$(grep -a '^fuzz: [0-9]* calls in' "$log" | tail -1)
    if [ -n "$c" ]; then
        calls=$((calls + $(echo "$c" | awk '{print $2}')))
        children=$((children + $(echo "$c" | awk '{print $5}')))
    fi
    c=$(grep -a '^fuzz: [0-9]* mutants:' "$log" | tail -1)
    [ -n "$c" ] && mutants=$((mutants + $(echo "$c" | awk '{print $2}')))
    c=$(grep -a '^fuzz: numbers never called:' "$log" | tail -1 | sed 's/^.*: //')
    if [ -n "$c" ] && [ "$kind" = calls ]; then
        [ "$c" = none ] && c=""
        if [ "$never" = "*" ]; then
            never=$c
        else
            never=$(comm -12 <(tr ' ' '\n' <<<"$never" | sort) <(tr ' ' '\n' <<<"$c" | sort) |
                    tr '\n' ' ')
        fi
    fi
}

# The random calls, CHUNK children per boot.
i=$FROM
while [ "$i" -lt $((FROM + N)) ]; do
    n=$((FROM + N - i))
    [ "$n" -gt "$CHUNK" ] && n=$CHUNK
    log=$OUT/$SEED-calls-$i.log
    echo "  children $i-$((i + n - 1))..."
    boot "$log" "seed=$SEED n=$n from=$i k=$K mutants=0"
    before=$findings
    judge "$log" calls "$i" "$n"
    [ "$findings" = "$before" ] && rm -f "$log" "$log.stderr"
    i=$next
done
# The ELF mutants, MCHUNK per boot.
j=$MFROM
while [ "$j" -lt $((MFROM + MUTANTS)) ]; do
    m=$((MFROM + MUTANTS - j))
    [ "$m" -gt "$MCHUNK" ] && m=$MCHUNK
    log=$OUT/$SEED-elf-$j.log
    echo "  mutants $j-$((j + m - 1))..."
    boot "$log" "seed=$SEED n=0 k=$K mutants=$m mfrom=$j"
    before=$findings
    judge "$log" elf "$j" "$m"
    [ "$findings" = "$before" ] && rm -f "$log" "$log.stderr"
    j=$next
done

secs=$(( $(date +%s) - start ))
if [ "$never" = "*" ]; then
    numbers="no numbers"
else
    missing=$(wc -w <<<"$never")
    numbers="$((FUZZ_NUMBERS - missing)) of the $FUZZ_NUMBERS numbers 0-450 but reboot"
fi
echo "make fuzz: seed $SEED: $calls calls in $children children ($numbers)," \
     "$mutants mutants, $secs s; $findings finding(s)"
[ "$findings" = 0 ]
