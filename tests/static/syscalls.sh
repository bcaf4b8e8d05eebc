#!/bin/bash
# tests/static/syscalls.sh: the system-call table cannot drift.
#
# For every entry  [NR] = { "name", sys_fn, "args", flags }  of
# kernel/syscall_table.c it checks that
#   - NR is Linux's i386 number for name (__NR_name in the host's
#     <asm/unistd_32.h>, from linux-libc-dev);
#   - sys_fn is defined in exactly one file, DIR/FILE.c, and declared in
#     exactly one header, DIR/FILE.h, the one next to it (so that a student
#     who finds sys_mmap2 in the table knows to look in mm/sys_mm.c);
#   - the tracer's argument letters are at most six of d u x o p s.
# And that every sys_ function the kernel defines is in the table.
. tests/lib.sh
table=kernel/syscall_table.c
unistd=/usr/include/x86_64-linux-gnu/asm/unistd_32.h
src_dirs="boot kernel mm fs drivers ipc lib"

if [ ! -f "$unistd" ]; then
    fail syscalls.unistd "no $unistd (tools/deps.sh installs linux-libc-dev)"
    exit 0
fi

entries=$(sed -n 's/^ *\[ *\([0-9]*\) *\] = { "\([a-z0-9_]*\)", \(sys_[a-z0-9_]*\), "\([a-z]*\)", \([A-Z_|0 ]*\) },.*/\1 \2 \3 \4/p' "$table")
total=$(grep -c '^ *\[ *[0-9]* *\] = {' "$table")
n=$(echo "$entries" | grep -c .)
if [ "$n" -gt 0 ] && [ "$n" = "$total" ]; then
    ok syscalls.table_parsed
else
    fail syscalls.table_parsed "read $n of the $total entries of $table (an entry in another shape?)"
fi

while read -r nr name fn args; do
    [ -n "$nr" ] || continue
    # The number.
    linux=$(sed -n "s/^#define __NR_$name[ 	][ 	]*\([0-9]*\)\$/\1/p" "$unistd")
    if [ "$linux" = "$nr" ]; then
        ok "syscalls.$name.number"
    else
        fail "syscalls.$name.number" "table has $nr, Linux's <asm/unistd_32.h> has '${linux:-none}'"
    fi
    # The definition and the declaration.
    defs=$(grep -lE "^long $fn\(struct trapframe \*tf\)\$" $(find $src_dirs -name '*.c'))
    decls=$(grep -lE "^long $fn\(struct trapframe \*tf\);" $(find $src_dirs -name '*.h'))
    if [ "$(echo "$defs" | grep -c .)" != 1 ]; then
        fail "syscalls.$name.declared" "$fn is defined in '$(echo $defs)', not in exactly one file"
    elif [ "$decls" != "${defs%.c}.h" ]; then
        fail "syscalls.$name.declared" "$fn is defined in $defs, so it belongs in ${defs%.c}.h; declared in '$(echo $decls)'"
    else
        ok "syscalls.$name.declared"
    fi
    if [ ${#args} -le 6 ] && [[ $args =~ ^[duxops]*$ ]]; then
        ok "syscalls.$name.trace_args"
    else
        fail "syscalls.$name.trace_args" "'$args': at most six of d u x o p s"
    fi
done <<<"$entries"

# Nothing defined and forgotten.
defined=$(grep -rhoE '^long sys_[a-z0-9_]+\(struct trapframe \*tf\)$' $src_dirs --include='*.c' |
          sed 's/^long \(sys_[a-z0-9_]*\).*/\1/' | sort -u)
listed=$(echo "$entries" | awk '{print $3}' | sort -u)
missing=$(comm -23 <(echo "$defined") <(echo "$listed") | tr '\n' ' ')
if [ -z "$missing" ]; then
    ok syscalls.every_sys_function_in_table
else
    fail syscalls.every_sys_function_in_table "defined but in no table entry: $missing"
fi
names=$(echo "$entries" | awk '{print $2}' | sort | uniq -d | tr '\n' ' ')
if [ -z "$names" ]; then ok syscalls.names_unique; else fail syscalls.names_unique "twice: $names"; fi
