# fds.sh: the descriptors each command gets, as /proc/self/fd lists them.
# ls has one more of its own: the directory it reads (the lowest free one).
# Every pipe end the shell made is closed where it does not belong.
ls /proc/self/fd
echo "--- last in a pipeline"
cat /dev/null | ls /proc/self/fd
echo "--- first in a pipeline"
ls /proc/self/fd | cat
echo "--- in the middle"
echo x | ls /proc/self/fd | cat
echo "--- with 3 and 5 redirected"
ls /proc/self/fd 3>/dev/null 5>/dev/null
echo "--- with 7 opened by exec"
exec 7>/dev/null
ls /proc/self/fd
exec 7>&-
echo "--- with stdin closed"
ls /proc/self/fd <&-
echo "--- with stderr closed, in a group"
{ ls /proc/self/fd; } 2>&-
echo "--- a subshell in a pipeline"
echo x | (ls /proc/self/fd) | cat
