#!/bin/bash
# shellcheck disable=SC2046  # the lists of names are meant to split
# tests/run.sh: run bunshin's tests and add up the results (`make test`).
#
# Each test script prints one line per check, "ok NAME" or "FAIL NAME: why"
# (or "skip NAME: why" where the subject does not exist, e.g. on Linux).
# This runner shows those lines, counts them, and ends with the line
#     N passed, N failed, N skipped
# It exits non-zero if anything failed or no check ran at all. A script that
# dies without saying why counts as a failure of its own.
#
# The test scripts are found, not listed (see all_scripts below): a new
# tests/DIR/NAME.sh runs with the others without editing anything.
#
#   tests/run.sh                   everything, in the order of all_scripts
#   tests/run.sh NAME...           only these (make test T="NAME..."); a NAME
#                                  is a kind, a script, a unit test or a user
#                                  test, and commas separate names as spaces do:
#       unit boot gdb ...          every script of the folder tests/DIR/
#       user / host / bunshin      the user tests on Linux and in bunshin /
#                                  on Linux only / in bunshin only
#       selftest, gdb/user         one script (tests/boot/selftest.sh,
#       tests/boot/iso.sh          tests/gdb/user.sh) or any script's path
#       unit/format, test_format   one unit test (tests/unit/test_format.c)
#       t_fork, t_fork.c           one user test, on Linux then in bunshin
#       host/t_fork, bunshin/t_fork  one user test on one side only
#   tests/run.sh --list            what there is to run
#   TEST_TIMEOUT=300 make test     more time for each QEMU boot (default 120 s)
#
# A NAME that names nothing is an error that lists what there is: a typo must
# never look like a run that passed.
caller_dir=$PWD
cd "$(dirname "$0")/.." || exit 1
mkdir -p build/test-logs

# The runners of the user tests, which are found by those scripts themselves.
HOST=tests/user-host.sh
BUNSHIN=tests/user-bunshin.sh

# all_scripts: every test script, one a line, in the order a full run takes
# them: tests/unit/ first (quick, no QEMU, and the base the rest stands on),
# then every other folder tests/DIR/ in alphabetical order, each folder's
# *.sh in alphabetical order, then the user tests, on Linux (the reference)
# before bunshin. Files named lib.sh or lib-*.sh are helpers (sourced, or run
# by another script),
# never tests.
all_scripts() {
    local f
    for f in tests/unit/*.sh; do [ -f "$f" ] && echo "$f"; done
    for f in $(printf '%s\n' tests/*/*.sh | LC_ALL=C sort); do
        case $f in
        tests/unit/*|*/lib.sh|*/lib-*.sh) ;;
        *) [ -f "$f" ] && echo "$f" ;;
        esac
    done
    echo "$HOST"
    echo "$BUNSHIN"
}

# stray_scripts: scripts directly in tests/ that all_scripts leaves out. A
# test script must live in a folder; one put beside run.sh would never run.
stray_scripts() {
    local f
    for f in tests/*.sh; do
        case $f in
        tests/run.sh|tests/lib.sh|"$HOST"|"$BUNSHIN") ;;
        *) echo "$f" ;;
        esac
    done
}

# short_name SCRIPT: how a script is named in T=, its log and its "==" line:
# DIR/NAME for tests/DIR/NAME.sh, NAME for tests/NAME.sh.
short_name() {
    local s=${1#tests/}
    echo "${s%.sh}"
}

unit_tests() { for f in tests/unit/test_*.c; do [ -f "$f" ] && basename "$f" .c; done; }
user_tests() { for f in user/tests/t_*.c; do [ -f "$f" ] && basename "$f" .c; done; }
kinds() {
    all_scripts | sed -n 's|^tests/\([^/]*\)/.*|\1|p' | uniq
    printf '%s\n' user host bunshin
}

# listing LABEL WORDS...: one entry of the list below, wrapped.
listing() {
    local label=$1
    shift
    echo "$*" | fold -s -w 62 | sed "s/ *$//; 1s/^/  $(printf '%-12s' "$label") /; 2,\$s/^/               /"
}

# show_what_exists: every NAME tests/run.sh (and make test T=) takes.
show_what_exists() {
    echo "What there is to run (make test T=NAME, or tests/run.sh NAME...):"
    listing everything: "make test, or tests/run.sh with no NAME"
    listing kinds: $(kinds)
    listing scripts: $(for s in $(all_scripts); do short_name "$s"; done) \
        "(NAME alone where it is unique: selftest)"
    listing "unit tests:" $(unit_tests | sed 's|^test_|unit/|')
    listing "user tests:" $(user_tests) "(host/t_NAME or bunshin/t_NAME: on one side only)"
}

# What to run: whole[SCRIPT]=1 runs the whole script; only[SCRIPT] holds the
# test names to hand to a runner that takes them (unit, host, bunshin).
declare -A whole only
extra_scripts=()    # scripts named by a path outside all_scripts, in the order given

select_whole() { whole[$1]=1; }
select_only()  { only[$1]+=" $2"; }

# select_name NAME: mark what NAME names to be run. Fails, with the reason
# in $why, if NAME names nothing (or several scripts at once).
select_name() {
    local name=$1 s matches=() path
    # A path, from where tests/run.sh was called or from the top of the tree.
    for path in "$caller_dir/$name" "$name"; do
        [ -f "$path" ] || continue
        path=$(realpath --relative-to=. "$path")
        case $path in
        tests/unit/test_*.c) select_only tests/unit/run.sh "$(basename "$path" .c)"; return ;;
        user/tests/t_*.c)    name=$(basename "$path" .c); break ;;
        *.sh)
            if ! all_scripts | grep -qxF "$path" && [ -z "${whole[$path]}" ]; then
                extra_scripts+=("$path")
            fi
            select_whole "$path"
            return ;;
        esac
    done

    case $name in
    user)    select_whole "$HOST"; select_whole "$BUNSHIN"; return ;;
    host)    select_whole "$HOST"; return ;;
    bunshin) select_whole "$BUNSHIN"; return ;;
    unit/*|test_*)
        name=${name#unit/}; name=${name%.c}; name=test_${name#test_}
        if [ -f "tests/unit/$name.c" ]; then select_only tests/unit/run.sh "$name"; return; fi
        why="there is no unit test tests/unit/$name.c"; return 1 ;;
    t_*|host/t_*|bunshin/t_*)
        local side=${name%%/*} test=${name#*/}
        test=${test%.c}
        if [ ! -f "user/tests/$test.c" ]; then why="there is no user test user/tests/$test.c"; return 1; fi
        [ "$side" = bunshin ] || select_only "$HOST" "$test"
        [ "$side" = host ] || select_only "$BUNSHIN" "$test"
        return ;;
    esac

    # A kind: a folder tests/DIR/ runs all of its scripts.
    if kinds | grep -qxF "$name"; then
        for s in $(all_scripts); do
            case $s in "tests/$name/"*) select_whole "$s" ;; esac
        done
        return
    fi
    # A script: DIR/NAME, or NAME alone where only one script has it.
    for s in $(all_scripts); do
        case $(short_name "$s") in "$name"|*/"$name") matches+=("$s") ;; esac
    done
    if [ ${#matches[@]} -eq 1 ]; then select_whole "${matches[0]}"; return; fi
    if [ ${#matches[@]} -gt 1 ]; then
        why="it could be any of ${matches[*]}; say which with DIR/NAME"
        return 1
    fi
    why="no test, script or kind is called that"
    return 1
}

# run_script SCRIPT ARGS...: run one script, show and count its lines.
run_script() {
    local script=$1 name out code p f k
    shift
    name=$(short_name "$script")
    echo "== $name${*:+ $*}"
    out=build/test-logs/$(echo "$name" | tr / -).out
    bash "$script" "$@" >"$out" 2>&1
    code=$?
    # Show the checks, and anything else the script said (compiler errors...).
    cat "$out"
    p=$(grep -c '^ok ' "$out")
    f=$(grep -c '^FAIL ' "$out")
    k=$(grep -c '^skip ' "$out")
    if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $name: the script exited with status $code"
        f=1
    fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $name: the script ran no check"
        f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + k))
}

passed=0
failed=0
skipped=0

if [ "$1" = --list ]; then
    show_what_exists
    exit 0
fi

# Names may come as separate arguments, or several in one with spaces or
# commas (make test T="t_fork,t_vfork").
names=()
for arg in "$@"; do
    IFS=', ' read -r -a words <<<"$arg"
    for w in "${words[@]}"; do [ -n "$w" ] && names+=("$w"); done
done

if [ ${#names[@]} -eq 0 ]; then
    for s in $(all_scripts); do select_whole "$s"; done
    for s in $(stray_scripts); do
        echo "FAIL run/$s: never run: a test script lives in a folder, tests/DIR/NAME.sh"
        failed=$((failed + 1))
    done
else
    for name in "${names[@]}"; do
        if ! select_name "$name"; then
            echo "FAIL run/$name: $why"
            failed=$((failed + 1))
        fi
    done
    # Everything or nothing: a typo among several names runs none of them.
    if [ "$failed" -gt 0 ]; then
        show_what_exists
        echo "$passed passed, $failed failed, $skipped skipped"
        exit 1
    fi
fi

# In the order of a full run; a runner given test names runs only those.
for s in $(all_scripts) "${extra_scripts[@]}"; do
    if [ -n "${whole[$s]}" ]; then
        run_script "$s"
    elif [ -n "${only[$s]}" ]; then
        # shellcheck disable=SC2086  # the names are meant to split
        run_script "$s" $(printf '%s\n' ${only[$s]} | awk '!seen[$0]++')
    fi
done

# "skip" lines are checks whose subject does not exist where they ran
# (a bunshin-only switch, on Linux): neither passed nor failed.
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
