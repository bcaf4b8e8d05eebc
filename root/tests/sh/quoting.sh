# quoting.sh: quotes, backslashes, variables and the other expansions.
# Run by t_sh with the current directory empty and PATH set to bunshin's
# /bin; the output must be quoting.out, with /bin/sh (the reference, on
# Linux) and with bunshin's sh.

# Single quotes keep everything; double quotes allow $, ` and \ before $ ` " \.
echo 'single $HOME "x"'
echo "double 'y' \$z \" \\ \` end"
echo back\ slash\$ \'
echo "a""b"'c'd
echo a\
b
echo \# not a comment # a comment
echo x#y

# Variables.
a=hello
b="$a world"
echo "$b" '$b' ${a}x "${a}"y
empty=
echo "[$empty]" [$empty] "[${empty:-default}]" "[${notset-unset}]" "[${empty-set}]"
echo "[${a:+alternative}]" "[${notset:+alternative}]"
echo "${#b} characters"
: ${newvar:=assigned}
echo "$newvar"
unset a
echo "[${a}]"

# Field splitting happens to expansions, not to quoted ones.
v="  one   two  "
for w in $v; do echo "<$w>"; done
echo "<$v>"
IFS=:
path=a:b::c
for w in $path; do echo "field [$w]"; done
IFS=' 	
'

# Command substitution and arithmetic.
echo $(echo one; echo two) "$(echo three; echo four)"
echo `echo back` "`echo quoted`"
echo $(echo "$(echo nested "inner quotes")")
x=$(echo trailing newlines removed


)
echo "[$x]"
echo $((3 + 4 * 2)) $(( (3 + 4) * 2 )) $((7 / 2)) $((7 % 3)) $((1 < 2)) $((5 - -2))
n=5
echo $((n * 2)) $(($n + 1)) $((n > 3 && n < 10))

# Positional parameters.
set -- one "two three" four
echo "$# parameters: $1 | $2 | $3"
for p in "$@"; do echo "quoted @ <$p>"; done
for p in $*; do echo "unquoted * <$p>"; done
echo "quoted * <$*>"
shift
echo "after shift: $1"

# File names.
touch apple apricot banana .hidden
echo a*
echo "a*" a\*
echo b?nana [ab]p*
echo z*
pattern='ap*'
echo $pattern "$pattern"
echo *
