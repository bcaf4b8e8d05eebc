# status.sh: exit statuses, && || ! and the lists that use them.
true; echo "true: $?"
false; echo "false: $?"
! true; echo "! true: $?"
! false; echo "! false: $?"
true && echo "and runs"
false && echo "never printed"
false || echo "or runs"
true || echo "never printed"
false || false && echo "not this" || echo "left to right"
no_such_command_anywhere 2>/dev/null; echo "not found: $?"
(exit 42); echo "subshell exit: $?"
sh -c 'exit 7'; echo "sh -c exit: $?"
# A pipeline's status is its last command's.
false | true; echo "false | true: $?"
true | false; echo "true | false: $?"
! true | false; echo "! true | false: $?"
cat /no/such/file 2>/dev/null | cat; echo "failing first command: $?"
# A redirection that fails is the command's failure.
echo hidden > /no/such/dir/file 2>/dev/null; echo "bad redirection: $?"
# Conditions.
if grep -q b <<EOF2
abc
EOF2
then echo "grep found"; else echo "grep did not find"; fi
if test -e /no/such/file; then echo "exists"; elif test 1 -eq 1; then echo "elif taken"; fi
x=0
while test $x -lt 3; do x=$((x + 1)); done; echo "while ended with x=$x"
until test $x -eq 0; do x=$((x - 1)); done; echo "until ended with x=$x"
# Functions.
say() { echo "say: $# args, first $1"; return 3; }
say a b c; echo "function status: $?"
first_even() { for n in "$@"; do if test $((n % 2)) -eq 0; then echo "$n"; return 0; fi; done; return 1; }
first_even 1 3 6 8; echo "status $?"
first_even 1 3; echo "status $?"
# Loops: break and continue.
for i in 1 2 3 4 5; do
    if test $i -eq 2; then continue; fi
    if test $i -eq 4; then break; fi
    echo "i=$i"
done
for i in 1 2; do for j in a b c; do test $j = b && continue 2; echo "$i$j"; done; done
for i in 1 2; do for j in a b c; do test $j = c && break 2; echo "$i$j"; done; done
# The status of the last command is the script's status.
(false); echo "last: $?"
# A script without "#!" that is executable runs in a shell; one that is not
# executable does not run (126), as a name found nowhere (127).
echo 'echo "the script ran with $# args: $*"' > script
chmod +x script
./script a b; echo "script status: $?"
chmod 644 script
./script 2>/dev/null; echo "not executable: $?"
./no-such-script 2>/dev/null; echo "missing: $?"
# [ is test.
if [ 3 -gt 2 ]; then echo "[ 3 -gt 2 ] holds"; fi
[ -d / ] && [ ! -f / ] && echo "[ -d / ] holds"
[ "a b" = "a b" ]; echo "[ string = string ]: $?"
# case: the first pattern that matches.
for w in apple banana 42 "a*" other; do
    case $w in
        a\*) echo "case: a literal a*" ;;
        a*) echo "case: $w starts with a" ;;
        b*|c*) echo "case: $w starts with b or c" ;;
        [0-9]*) echo "case: $w is a number" ;;
        *) echo "case: $w is something else" ;;
    esac
done
