# jobs.sh: background commands (&), wait, $!, kill and ps.
sleep 0.2 &
pid=$!
test "$pid" -gt 0 && echo "\$! is a number"
wait $pid; echo "wait status: $?"
(exit 3) & wait $!; echo "status of a background job: $?"
false & true & wait; echo "wait with no operand: $?"
echo "written in the background" > bgfile & wait
cat bgfile
# A background command does not read the terminal: its stdin is /dev/null.
cat & wait; echo "cat in the background got end of file"
# Several at once.
for i in 1 2 3; do (sleep 0.1; echo "job $i" > job$i) & done
wait
cat job1 job2 job3
# kill with the default signal (TERM), with a name, with a number.
sleep 10 & pid=$!
kill $pid; wait $pid; echo "killed by SIGTERM: $?"
sleep 10 & pid=$!
kill -KILL $pid; wait $pid; echo "killed by SIGKILL: $?"
sleep 10 & pid=$!
kill -s TERM $pid; wait $pid; echo "kill -s TERM: $?"
sleep 10 & pid=$!
kill -9 $pid; wait $pid; echo "kill -9: $?"
sleep 0 & pid=$!
wait $pid
kill $pid 2>/dev/null || echo "kill of a process that has ended fails"
# ps lists this shell with its parent, and itself running (after USER, whose
# name depends on who runs the test).
ps > psout
head -n 1 psout
grep -c "^[^ ]* *$$ *$PPID [RS] *[0-9][0-9]* *[0-9][0-9]* " psout
grep -c '^[^ ]* *[0-9]* *[0-9]* R .*ps$' psout
