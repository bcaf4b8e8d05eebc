# vars.sh: variables, export and the environment of commands.
unset X Y
X=shell-only
env | grep '^X='; echo "not exported: $?"
export X
env | grep '^X='
export Y=exported-at-once
env | grep '^Y='
Y=changed
env | grep '^Y='
unset Y
env | grep '^Y='; echo "unset: $?"
# NAME=value before a command: for that command only.
Z=for-env-only env | grep '^Z='
echo "Z is [$Z]"
# Assignments without a command change the shell.
A=1 B=2
echo "$A $B"
A=$B B=$A
echo "$A $B"
# A subshell and a pipeline get copies.
(A=in-subshell; echo "$A")
echo "$A"
# $0, $#, $@ in sh -c.
sh -c 'echo "$0 has $# args: $1 and $2"' name first second
sh -c 'for a in "$@"; do echo "arg <$a>"; done' name "with space" "" last
# $$ is the shell's pid, the same in a subshell; $PPID its parent's.
test $$ -gt 0 && echo "pid is a number"
test "$(echo $$)" = "$$" && echo "same in a subshell"
inner=$(sh -c 'echo $PPID')
test "$inner" = "$$" && echo "a child shell's PPID is this shell"
# Parts of values.
file=dir/sub/name.tar.gz
echo "${file#*/} ${file##*/} ${file%.*} ${file%%.*}"
# cd and pwd.
mkdir -p sub/dir
cd sub/dir
here=$(pwd)
echo "in ${here##*/}"
cd ../..
test -d sub && echo "back"
cd /no/such/dir 2>/dev/null || echo "cd failed"
# PATH: searched in order; a command in no directory of it is not found.
(PATH=/no/such/dir; ls / > /dev/null 2>&1; echo "ls with PATH=/no/such/dir: $?")
(PATH=/no/such/dir:$PATH; ls / > /dev/null && echo "ls found after a missing directory")
