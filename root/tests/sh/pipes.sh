# pipes.sh: pipelines of any length, and the end of file that ends them.
echo hello | cat
echo hello | cat | cat | cat | cat | cat | cat | cat | cat | cat | wc -c
# 500 numbered lines, through pipes both ways.
i=1
while test $i -le 500; do echo "line $i"; i=$((i + 1)); done > lines
wc -l < lines
cat lines | wc -l
cat lines | grep 'line 1' | wc -l
cat lines | grep -v 0 | grep 5 | tail -n 3
cat lines | head -n 250 | tail -n 2
cat lines lines lines lines | cat | cat | wc -l
cat lines | grep -c '^line [0-9]*7$'
grep -n 'line 42$' lines
# A loop and a group inside a pipeline.
cat lines | while read word number; do test $((number % 100)) -eq 0 && echo "$word:$number"; done
{ echo first; echo second; } | tail -n 1
for w in c b a; do echo $w; done | head -n 2
# The reader stops early: the writer ends (by SIGPIPE) and so does the pipeline.
i=0
while :; do echo "endless $i"; i=$((i + 1)); done | head -n 3
# Standard error does not go down a pipe unless told to.
ls /no/such/dir 2>/dev/null | wc -l
ls /no/such/dir 2>&1 | wc -l
# Each command of a pipeline runs in its own process: a variable set
# there stays there.
v=before
echo x | v=after
echo "v=$v"
