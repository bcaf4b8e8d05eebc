# utils.sh: the core utilities, as a script uses them.
umask 022
# mkdir, ls, cat, wc
mkdir d
mkdir -p d/a/b/c
mkdir d 2>/dev/null || echo "mkdir of an existing directory fails"
mkdir -p d/a && echo "mkdir -p of an existing directory is fine"
mkdir no/such/parent 2>/dev/null || echo "mkdir without the parent fails"
ls d d/a
echo hello > d/file
ls -a d
cat d/file d/file
wc d/file
wc -l d/file
wc -w -c d/file
echo "one two three" | wc -w
echo "one two three" | wc
# cp, mv, ln
cp d/file d/copy
cat d/copy
cp d/file d/a
ls d/a
mv d/copy d/moved
ls d
mv d/moved d/a/b
ls d/a/b
ln d/file d/hard
ls -l d/file | grep -c '^-rw-r--r-- 2 [a-z0-9]* [a-z0-9]* 6 [A-Z][a-z][a-z] [ 123][0-9] [0-2][0-9]:[0-5][0-9] d/file$'
ln -s file d/soft
cat d/soft
ls -l d/soft | grep -c '^lrwxrwxrwx 1 .* d/soft -> file$'
ls -l d | grep -c '^total '
rm d/hard
ls -l d/file | grep -c '^-rw-r--r-- 1 '
# rm, rmdir
rm -r d/a
ls d
rm d/nothing 2>/dev/null || echo "rm of a missing file fails"
rm -f d/nothing && echo "rm -f of a missing file is fine"
rm d 2>/dev/null || echo "rm of a directory without -r fails"
rmdir d 2>/dev/null || echo "rmdir of a directory with files fails"
mkdir empty
rmdir empty && echo "rmdir of an empty directory works"
rm -rf d
test -e d || echo "d is gone"
# grep
cat > words <<END
apple
Banana
cherry pie
date
apple pie
END
grep apple words
grep -v apple words
grep -c pie words
grep -n pie words
grep -i banana words
grep '^[a-c]' words
grep -E 'pie$|^date' words
grep -F 'e p' words
grep nothing words; echo "grep without a match: $?"
grep -q apple words && echo "grep -q found it"
grep apple words missing 2>/dev/null; echo "grep with a missing file: $?"
# head, tail
head -n 2 words
head -1 words
tail -n 2 words
tail -1 words
head -n 0 words | wc -c
cat words | tail -n 3 | head -n 1
# echo, true, false, env, pwd, sleep, test, touch
echo -n "no newline"; echo " <- here"
env echo "the echo program"
true; echo "true: $?"
false; echo "false: $?"
env -i A=1 B=2 env
mkdir p
cd p
pwd | grep -c '/p$'
cd ..
sleep 0.1 && echo "slept"
test -f words && echo "words is a file"
test -d words || echo "words is not a directory"
test -z "" && test -n x && echo "string tests"
test 3 -lt 10 && test ! 3 -gt 10 && echo "number tests"
touch t1
wc -c t1
