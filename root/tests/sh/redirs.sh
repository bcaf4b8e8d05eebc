# redirs.sh: < > >> 2> 2>&1 N>&M N<&M N>&- <> and here-documents.
echo one > f
echo two >> f
cat < f
cat f > g; cat g
> empty; wc -c < empty
echo replaced > f; cat f
# Standard error to a file, or to wherever standard output goes.
ls /no/such/dir 2> err; echo "status $?"; cat err
ls /no/such/dir > out 2>&1; cat out
# Order matters: 2>&1 copies what fd 1 is at that moment.
ls /no/such/dir 2>&1 > out2 | wc -l
wc -c < out2
{ echo to-stderr >&2; echo to-stdout; } 2>/dev/null
{ echo to-stderr >&2; echo to-stdout; } 2>&1 > /dev/null | cat
# exec: redirections of the shell itself; other descriptors.
exec 3> three
echo "via fd 3" >&3
echo "again fd 3" 1>&3
ls /no/such/dir 2>&3
exec 3>&-
cat three
echo "closed fd 3" >&3 2>/dev/null; echo "write to closed fd: $?"
exec 4< f
read line <&4
echo "read from fd 4: $line"
exec 4<&-
cat <&4 2>/dev/null; echo "read from closed fd: $?"
# <> opens for reading and writing without truncating.
echo abcdef > rw
echo XY 1<> rw
cat rw
cat 0<> rw
# Redirections are applied left to right.
echo lr > a1 > a2
wc -c a1 a2
# A redirection on a loop or a group covers all of it.
for i in 1 2 3; do echo "loop $i"; done > loop
cat loop
{ echo g1; echo g2; } > group; cat group
while read x; do echo "read: $x"; done < loop
if true; then echo "if output"; fi >> group; cat group
# Here-documents: expanded, quoted, with tabs stripped.
name=world
cat <<END
hello $name
  \$name is $(echo expanded)
END
cat <<'END'
quoted: $name `echo not run`
END
cat <<-END
	tabs removed
	END
# A missing input file: the command does not run.
cat < /no/such/file 2>/dev/null; echo "status $?"
echo "end"
