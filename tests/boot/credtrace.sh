#!/bin/bash
# tests/boot/credtrace.sh: the traced run that docs/credentials.md shows
# (section 7) is what bunshin prints. The doc's blocks after the marker
# "<!-- trace: privdemo -->" are read line by line; each must appear, in
# that order, among the lines the kernel prints when booted with
# trace=syscalls init=/demo/privdemo. Addresses (0x...) may differ from
# build to build and are compared as "some address".
. tests/lib.sh

doc=docs/credentials.md
log=$LOGDIR/credtrace.log
boot_kernel "$log" 'aslr=off trace=syscalls panic=exit init=/demo/privdemo'
if [ "$status" != 0 ]; then
    fail credtrace.boot "privdemo ended with status $status (see $log)"
    exit 0
fi
# The doc's lines: the fenced blocks that follow a marker line, up to the
# next heading.
want=$(awk '/<!-- trace: privdemo -->/ { on = 1; next }
            on && /^## / { on = 0 }
            on && /^```/ { inblock = !inblock; next }
            on && inblock { print }' "$doc")
if [ -z "$want" ]; then
    fail credtrace.doc "no trace blocks after '<!-- trace: privdemo -->' in $doc"
    exit 0
fi
# Each wanted line as a regular expression (addresses wild), matched in
# order against the log.
python3 - "$log" <<PY
import re, sys
log = [l.rstrip("\r\n") for l in open(sys.argv[1], errors="replace")]
want = """$want""".splitlines()
i, bad = 0, None
for w in want:
    pat = re.compile("^" + re.sub(r"0x[0-9a-f]+", "0x[0-9a-f]+", re.escape(w)) + "$")
    while i < len(log) and not pat.match(log[i]):
        i += 1
    if i == len(log):
        bad = w
        break
    i += 1
print("ok credtrace.doc_matches" if bad is None else
      "FAIL credtrace.doc_matches: the doc's line %r is not in the trace (in order) (see %s)" % (bad, sys.argv[1]))
PY
