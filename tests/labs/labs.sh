#!/bin/bash
# tests/labs/labs.sh: every lab can be handed out, is solvable, and is not
# solved already (docs/labs/README.md).
#
# First the markers: every region marked LAB NAME REGION in the sources has
# its stub in labs/NAME/, and the other way round (tools/handout.py --check).
# Then for each lab, in its own directory build/labs/NAME:
#   - make its handout (tools/handout.py);
#   - build it: the kernel with -Werror, so a stub that leaves a warning
#     fails here. The objects and programs of this tree's build are copied in
#     first, with their times (the handout keeps the times of the files it
#     did not change), so only what the stubs touch is compiled again;
#   - boot it: /bin/sh runs a command and says so;
#   - grade it with --quick (it stops at the first check that loses
#     points): it must score less than full marks, or the lab is solved
#     already.
# Two handouts are worked on at a time, in the background, while this tree
# is graded on every lab, one after the other (the grades of one tree share
# its build/ and must not overlap): full marks on each, or the lab cannot be
# solved. A check two labs share runs once (GRADE_CACHE).
. tests/lib.sh

# handout_checks LAB: the checks of one lab's handout; prints ok/FAIL lines.
handout_checks() {
    local lab=$1 out=build/labs/$1
    if ! python3 tools/handout.py "$lab" "$out" >"build/labs/$lab.log" 2>&1; then
        fail "labs.$lab.handout" "tools/handout.py $lab failed: $(tail -n 1 "build/labs/$lab.log")"
        return
    fi
    ok "labs.$lab.handout"
    mkdir -p "$out/build"
    for d in boot kernel mm fs drivers lib user version.h initrd.cpio; do
        [ -e "build/$d" ] && cp -a "build/$d" "$out/build/"
    done
    if ! (cd "$out" && make build/kernel.elf build/initrd.cpio) >"build/labs/$lab.build.log" 2>&1; then
        fail "labs.$lab.builds" "the handout does not build: $(grep -m 1 -E 'error|warning' "build/labs/$lab.build.log")"
        return
    fi
    ok "labs.$lab.builds"
    (cd "$out" && boot_kernel "build/boot-shell.log" \
        'init=/bin/sh panic=exit -- -c "echo the handout runs its shell"')
    check "labs.$lab.boots_to_shell" grep -q '^the handout runs its shell' "$out/build/boot-shell.log"
    if (cd "$out" && bash tools/grade.sh --quick) >"build/labs/$lab.handout-grade.log" 2>&1; then
        fail "labs.$lab.handout_not_solved" "the handout scores full marks: $(grep '^Score' "build/labs/$lab.handout-grade.log")"
    else
        ok "labs.$lab.handout_not_solved"
    fi
}

python3 tools/handout.py --check
labs=$(python3 tools/handout.py --list)
rm -rf build/labs
mkdir -p build/labs

# The handouts, two at a time, in the background.
(
    running=0
    for lab in $labs; do
        handout_checks "$lab" >"build/labs/$lab.checks" 2>&1 &
        running=$((running + 1))
        if [ "$running" -ge 2 ]; then
            wait -n
            running=$((running - 1))
        fi
    done
    wait
) &
handouts=$!

# Meanwhile this tree, lab after lab.
export GRADE_CACHE=build/labs/cache
for lab in $labs; do
    if bash tools/grade.sh "$lab" >"build/labs/$lab.grade.log" 2>&1; then
        ok "labs.$lab.full_marks"
    else
        fail "labs.$lab.full_marks" "this tree scores $(grep '^Score' "build/labs/$lab.grade.log" | cut -d' ' -f2) (see build/labs/$lab.grade.log)"
    fi
done

wait "$handouts"
for lab in $labs; do
    cat "build/labs/$lab.checks"
done
