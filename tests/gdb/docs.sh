#!/bin/bash
# tests/gdb/docs.sh: the gdb sessions in docs/*.md still show what gdb prints.
# tools/gdb-doc.py boots QEMU for each session, types its commands into gdb
# and compares each command's output with the doc's transcript: one
# "ok docs.DOC.SESSION.N" or "FAIL ..." line per command. Sessions run two at
# a time. docs/README.md says how to write a session and how to update one.
#
# A doc with no session markers at all is not converted yet: it is reported
# as a skip, so that nobody takes its transcripts for checked ones. (Inside a
# converted doc, every gdb block must be under a marker.)
. tests/lib.sh
converted=()
for doc in docs/*.md; do
    if grep -q '^ *<!-- gdb ' "$doc"; then
        converted+=("$doc")
    elif grep -q '^ *(gdb) ' "$doc"; then
        skip_name=docs.$(basename "$doc" .md)
        echo "skip $skip_name: $(grep -c '^ *(gdb) ' "$doc") gdb commands not converted to replayable sessions yet"
    fi
done
[ ${#converted[@]} -gt 0 ] || exit 0
python3 tools/gdb-doc.py --jobs 2 "${converted[@]}"
