# tests/real/busybox/run.sh CASES: run each case of the file CASES (see
# tests/real/busybox/cases.txt) with busybox's sh, printing
#     == NAME
#     what it printed (stdout and stderr)
#     -- status N
# Run by busybox's own sh, on Linux and in bunshin; $T_BASE is a scratch
# directory where each case gets one of its own.
name= cmd=
run_case() {
    [ -n "$name" ] || return 0
    echo "== $name"
    T=$T_BASE/$name
    mkdir -p "$T"
    export T
    ( cd "$T" && sh -c "$cmd" ) 2>&1 </dev/null
    echo "-- status $?"
}
while IFS= read -r line; do
    case $line in
    '#'*|'') continue ;;
    "	"*) cmd="$cmd
${line#	}" ;;
    *) run_case
       name=${line%%	*}
       cmd=${line#*	} ;;
    esac
done < "$1"
run_case
echo "== end"
