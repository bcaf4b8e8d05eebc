#!/bin/bash
# tests/static/abi.sh: bunshin's Linux ABI headers say what Linux says.
#
# Every header in include/linux/ mirrors part of the Linux i386 ABI and names,
# in its top comment, the Linux headers it follows:
#     * Linux: <linux/futex.h>
# For each such header this script
#   - lists the constants it defines (object-like #defines; a line that says
#     "bunshin:" is the kernel's own name for something, and is not compared),
#   - builds two small i386 programs with the musl cross compiler: one prints
#     each constant from bunshin's header, the other from Linux's own headers
#     (the host's linux-libc-dev, compiled for i386, so that i386-only values
#     such as RLIM_INFINITY = ~0UL come out as on a 32-bit kernel),
#   - runs both on the host and compares: "ok abi.NAME" or
#     "FAIL abi.NAME: bunshin V, Linux W".
# A header may also name structs it lays out as Linux does, one line each:
#     * Linux struct: pollfd fd events revents
# (the struct's tag, then members): the programs then print the struct's
# size and each member's offset, compared the same way (abi.struct_pollfd.size,
# abi.struct_pollfd.events...).
# It also checks that each constant is defined once: in one header of
# include/linux/, and nowhere else in the kernel or its unit tests.
. tests/lib.sh
CC=${USER_CC:-i386-linux-musl-gcc}
out=build/abi
mkdir -p "$out"

if ! command -v "$CC" >/dev/null 2>&1; then
    fail abi.compiler "$CC is missing (tools/deps.sh installs musl-tools:i386)"
    exit 0
fi

# NAME for every constant a header defines, one per line.
constants() {
    sed -n '/bunshin:/d; s/^#define \([A-Za-z_][A-Za-z0-9_]*\)[ 	][ 	]*[^ 	].*/\1/p' "$1"
}

# "TAG MEMBER..." for every "Linux struct:" line of a header.
structs() {
    sed -n 's/^ \* Linux struct: \(.*\)$/\1/p' "$1"
}

# A C program that prints "NAME VALUE" for each name, after the includes,
# then "struct_TAG.size VALUE" and "struct_TAG.MEMBER OFFSET" for each line
# of $struct_lines.
program() {
    includes=$1; shift
    printf '%s\n' "$includes"
    printf '#include <stddef.h>\n#include <stdio.h>\nint main(void)\n{\n'
    for n in "$@"; do
        printf '#ifdef %s\n    printf("%s %%lld\\n", (long long)(%s));\n' "$n" "$n" "$n"
        printf '#else\n    printf("%s undefined\\n");\n#endif\n' "$n"
    done
    while read -r tag members; do
        [ -n "$tag" ] || continue
        printf '    printf("struct_%s.size %%lld\\n", (long long)sizeof(struct %s));\n' "$tag" "$tag"
        for m in $members; do
            printf '    printf("struct_%s.%s %%lld\\n", (long long)offsetof(struct %s, %s));\n' \
                "$tag" "$m" "$tag" "$m"
        done
    done <<<"$struct_lines"
    printf '    return 0;\n}\n'
}

declare -A home          # NAME -> the header that defines it
for h in include/linux/*.h; do
    refs=$(sed -n 's/^ \* Linux: \(.*\)$/\1/p' "$h" | sed 's| \*/$||' | head -1)
    [ -n "$refs" ] || continue              # not an ABI header (types.h, param.h...)
    base=$(basename "$h" .h)
    mapfile -t names < <(constants "$h")
    for n in "${names[@]}"; do
        if [ -n "${home[$n]}" ]; then
            fail "abi.$n.once" "defined in ${home[$n]} and in $h"
        fi
        home[$n]=$h
    done

    struct_lines=$(structs "$h")
    program "#include \"$h\"" "${names[@]}" >"$out/$base.bunshin.c"
    inc=""
    for r in $refs; do inc="$inc#include $r"$'\n'; done
    program "$inc" "${names[@]}" >"$out/$base.linux.c"
    # Linux's headers after musl's own, so that musl's stdio.h is musl's;
    # the x86 directory holds the <asm/...> headers for both i386 and x86-64.
    if ! "$CC" -static -iquote . -iquote include "$out/$base.bunshin.c" -o "$out/$base.bunshin" \
            >"$out/$base.bunshin.log" 2>&1; then
        fail "abi.$base.builds" "$h does not compile on its own: $(head -3 "$out/$base.bunshin.log")"
        continue
    fi
    if ! "$CC" -static -w -idirafter /usr/include -idirafter /usr/include/x86_64-linux-gnu \
            "$out/$base.linux.c" -o "$out/$base.linux" >"$out/$base.linux.log" 2>&1; then
        fail "abi.$base.reference" "Linux's $refs do not compile: $(head -3 "$out/$base.linux.log")"
        continue
    fi
    "$out/$base.bunshin" >"$out/$base.bunshin.out"
    "$out/$base.linux" >"$out/$base.linux.out"
    while read -r name ours && read -r _ theirs <&3; do
        if [ "$theirs" = undefined ]; then
            fail "abi.$name" "$h defines it ($ours), $refs do not"
        elif [ "$ours" = "$theirs" ]; then
            ok "abi.$name"
        else
            fail "abi.$name" "bunshin $ours, Linux $theirs ($h vs $refs)"
        fi
    done <"$out/$base.bunshin.out" 3<"$out/$base.linux.out"
done

# Defined once: no kernel or unit-test file outside include/linux/ defines a
# name that include/linux/ defines (it would be a second copy that can drift).
pattern=$(printf '%s\n' "${!home[@]}" | sed 's/^/^[ \t]*#[ \t]*define[ \t]+/; s/$/([ \t(]|$)/' | paste -sd'|')
dups=$(grep -rnE "$pattern" boot kernel mm fs drivers ipc lib tests/unit --include='*.c' --include='*.h' \
       --include='*.asm' 2>/dev/null)
if [ -z "$dups" ]; then
    ok abi.defined_once
else
    fail abi.defined_once "defined again outside include/linux/: $(echo "$dups" | head -5 | tr '\n' ' ')"
fi
