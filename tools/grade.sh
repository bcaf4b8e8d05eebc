#!/bin/bash
# tools/grade.sh (make grade): a lab's score, from its checks, run headless.
#
#   tools/grade.sh LAB            in the full tree, or in a handout
#   tools/grade.sh                in a handout: the lab its .lab file names
#   tools/grade.sh --quick LAB    stop at the first check that loses points
#                                 (tests/labs: a handout must score less)
#
# labs/LAB/lab.conf lists the checks, one a line:
#     check POINTS NAME WHAT
# NAME is anything `make test T=NAME` takes: a user test (t_fork: on the
# Linux host first, the reference, then in bunshin, with the test's extra
# boots), bunshin/t_fork (bunshin only), a boot or gdb script (selftest,
# gdb/user). A check earns its points when tests/run.sh NAME passes: at
# least one "ok", no "FAIL", within the time limit (GRADE_TIMEOUT seconds,
# 600 by default; each QEMU boot has its own TEST_TIMEOUT). Each check's
# lines go to build/grade/LAB/NAME.log.
#
# GRADE_CACHE=DIR keeps each check's result in DIR and takes it from there
# when another lab has the same check (tests/labs grades every lab of one
# tree in a row).
#
# Prints one line per check and "Score: N/M"; exits 0 only with full marks.
# The kernel must be built first (make grade does that).
set -u
cd "$(dirname "$0")/.." || exit 1

quick=0
if [ "${1:-}" = --quick ]; then
    quick=1
    shift
fi
lab=${1:-}
if [ -z "$lab" ] && [ -f .lab ]; then
    lab=$(cat .lab)
fi
conf=labs/$lab/lab.conf
if [ -z "$lab" ] || [ ! -f "$conf" ]; then
    echo "grade: no lab '$lab': make grade LAB=NAME, NAME one of: $(ls labs 2>/dev/null | tr '\n' ' ')" >&2
    exit 2
fi
limit=${GRADE_TIMEOUT:-600}
logs=build/grade/$lab
mkdir -p "$logs"

title=$(sed -n 's/^title  *//p' "$conf")
echo "Grading lab $lab: $title"
score=0
total=0
lost=0
while read -r word points name what; do
    [ "$word" = check ] || continue
    total=$((total + points))
    if [ "$quick" = 1 ] && [ "$lost" = 1 ]; then
        printf '  %-6s %3s/%-3s %-22s %s\n' "--" - "$points" "$name" "not run (--quick)"
        continue
    fi
    log=$logs/$(echo "$name" | tr / -).log
    t0=$SECONDS
    cached=${GRADE_CACHE:+$GRADE_CACHE/$(echo "$name" | tr / -)}
    if [ -n "$cached" ] && [ -f "$cached.code" ]; then
        cp "$cached.log" "$log"
        code=$(cat "$cached.code")
    else
        timeout --foreground -k 10 "$limit" tests/run.sh "$name" >"$log" 2>&1
        code=$?
        if [ -n "$cached" ]; then
            mkdir -p "$GRADE_CACHE"
            cp "$log" "$cached.log"
            echo "$code" >"$cached.code"
        fi
    fi
    secs=$((SECONDS - t0))
    if [ "$code" = 0 ]; then
        score=$((score + points))
        printf '  %-6s %3s/%-3s %-22s %s (%ss)\n' ok "$points" "$points" "$name" "$what" "$secs"
    else
        lost=1
        if [ "$code" = 124 ] || [ "$code" = 137 ]; then
            why="no end within ${limit}s"
        else
            why=$(grep -m 1 '^FAIL ' "$log" | cut -c1-150)
            [ -n "$why" ] || why="no check passed"
        fi
        printf '  %-6s %3s/%-3s %-22s %s\n' FAIL 0 "$points" "$name" "$what"
        printf '         %s (see %s)\n' "$why" "$log"
    fi
done <"$conf"
echo "Score: $score/$total"
[ "$score" = "$total" ] && [ "$total" -gt 0 ]
