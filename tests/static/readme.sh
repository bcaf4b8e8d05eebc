#!/bin/bash
# tests/static/readme.sh: the README's map of the source tree matches the tree.
#
#   - every kernel source file (boot/ kernel/ mm/ fs/ drivers/ ipc/ lib/: .c and
#     .asm) is named in its folder's part of the map, and every file the map
#     names exists;
#   - in the table "Where a mechanism lives", every file exists and every
#     function to break on is defined in one of the files of its row.
. tests/lib.sh
readme=README.md

# The map: the code block after "## Map of the source tree".
map=$(sed -n '/^## Map of the source tree/,/^## /p' "$readme" | sed -n '/^```$/,/^```$/p')
# Each folder's part: from the line that starts with "DIR/" to the next such line.
part() { echo "$map" | awk -v d="$1/" 'index($0, d) == 1 { on = 1; print; next }
                                        /^[a-z]+\/ / { on = 0 } on'; }
# File names in a part; "usercopy.c + .asm" names usercopy.asm too.
names() {
    part "$1" | grep -oE '[a-z0-9_]+\.(c|asm)( \+ \.asm)?' |
        sed -E 's/^([a-z0-9_]+)\.c \+ \.asm$/\1.c\n\1.asm/'
}

for d in boot kernel mm fs drivers ipc lib; do
    listed=$(names "$d" | sort -u)
    missing=""
    for f in "$d"/*.c "$d"/*.asm; do
        [ -e "$f" ] || continue
        echo "$listed" | grep -qx "$(basename "$f")" || missing="$missing $f"
    done
    if [ -z "$missing" ]; then
        ok "readme.map_names_every_file_in_$d"
    else
        fail "readme.map_names_every_file_in_$d" "not in the README's map:$missing"
    fi
    gone=""
    for n in $listed; do [ -e "$d/$n" ] || gone="$gone $d/$n"; done
    if [ -z "$gone" ]; then
        ok "readme.map_files_exist_in_$d"
    else
        fail "readme.map_files_exist_in_$d" "named in the README's map but not there:$gone"
    fi
done

# The table: | mechanism | `file`, `file` | `function`, `function` |
rows=$(sed -n '/^Where a mechanism lives/,/^$/p; /^| mechanism/,/^$/p' "$readme" | grep '^| ' |
       grep -v '^| mechanism\|^|---')
if [ -z "$rows" ]; then
    fail readme.mechanism_table "no table 'Where a mechanism lives' in $readme"
fi
while IFS='|' read -r _ what files funcs _; do
    what=$(echo "$what" | sed 's/^ *//; s/ *$//')
    key=$(echo "$what" | tr 'A-Z' 'a-z' | tr -c 'a-z0-9\n' '_' | sed 's/__*/_/g; s/^_//; s/_$//')
    fl=$(echo "$files" | grep -oE '`[^`]+`' | tr -d '`')
    bad=""
    for f in $fl; do [ -e "$f" ] || bad="$bad $f (no such file)"; done
    for fn in $(echo "$funcs" | grep -oE '`[^`]+`' | tr -d '`'); do
        # A definition: the name at the start of a C line after its type, or an asm label.
        if ! grep -qE "^[a-z].*[ *]$fn\(|^$fn:" $fl 2>/dev/null; then
            bad="$bad $fn (not defined in $(echo $fl))"
        fi
    done
    if [ -z "$bad" ]; then ok "readme.where.$key"; else fail "readme.where.$key" "$bad"; fi
done <<<"$rows"

# The "Tests" section lists every test script.
tests_part=$(sed -n '/^## Tests/,/^## /p' "$readme")
unlisted=""
for t in tests/*/*.sh tests/*.sh; do
    case $(basename "$t") in lib.sh|lib-*.sh|run.sh) [ "$t" != tests/unit/run.sh ] && continue ;; esac
    echo "$tests_part" | grep -qF "\`$t\`" || unlisted="$unlisted $t"
done
if [ -z "$unlisted" ]; then
    ok readme.tests_lists_every_script
else
    fail readme.tests_lists_every_script "not in the README's Tests section:$unlisted"
fi
