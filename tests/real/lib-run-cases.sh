# tests/real/lib-run-cases.sh CASES: run each case of the file CASES (see
# tests/real/busybox/cases.txt, tests/real/shells/cases.txt), printing
#     == NAME
#     what it printed (stdout and stderr)
#     -- status N
# One case a line: NAME, a tab, then the command; a line that starts with a
# tab continues the command before it. A case runs with `sh -c`, unless a
# line `@shells SHELL...` came before it: then it runs once with each
# `SHELL -c`, printed as == SHELL.NAME. Run by busybox's own sh, on Linux and
# in bunshin, never by tests/run.sh itself (a lib-*.sh file); $T_BASE is a scratch directory where each case gets one of its
# own ($T).
name= cmd= shells=
run_one() {   # run_one SHELL TITLE
    echo "== $2"
    T=$T_BASE/$2
    mkdir -p "$T"
    export T
    ( cd "$T" && "$1" -c "$cmd" ) 2>&1 </dev/null
    echo "-- status $?"
}
run_case() {
    [ -n "$name" ] || return 0
    if [ -z "$shells" ]; then
        run_one sh "$name"
    else
        for s in $shells; do run_one "$s" "$s.$name"; done
    fi
}
while IFS= read -r line; do
    case $line in
    '#'*|'') continue ;;
    "	"*) cmd="$cmd
${line#	}" ;;
    '@shells '*) run_case
       name=
       shells=${line#@shells } ;;
    *) run_case
       name=${line%%	*}
       cmd=${line#*	} ;;
    esac
done < "$1"
run_case
echo "== end"
