#!/bin/bash
# tests/boot/user.sh: the boot option user=NAME. The kernel passes
# BUNSHIN_USER=NAME to init, which runs its program as NAME through
# setpriv --user (user/bin/init.c); so /bin/id as init's program prints
# user's ids and groups from the image's /etc/passwd and /etc/group. A
# second boot checks what the user's shell gets: its environment, a home
# of its own made by init, and no way to write where only root may.
. tests/lib.sh

log=$LOGDIR/user.log
boot_kernel "$log" 'user=user panic=exit init=/bin/id'
if grep -q "^command line: error: unknown option 'user" "$log"; then
    fail user.option_accepted "the kernel does not know user= (see $log)"
else
    ok user.option_accepted
fi
check user.id_on_console   grep -qx \
    'uid=1000(user) gid=1000(user) groups=1000(user),100(users)' "$log"
if [ "$status" = 0 ]; then ok user.exit_status; else fail user.exit_status "status $status"; fi

log=$LOGDIR/user-shell.log
script='echo HOME=$HOME USER=$USER LOGNAME=$LOGNAME; echo BUNSHIN_USER=${BUNSHIN_USER-unset}; '
script+='cd && touch mine && ls -l mine; touch /etc/x 2>/dev/null || echo refused'
boot_kernel "$log" "user=user panic=exit init=/bin/sh -- -c \"$script\""
check user.shell_environment grep -qx 'HOME=/home/user USER=user LOGNAME=user' "$log"
check user.variable_dropped  grep -qx "BUNSHIN_USER=unset" "$log"
check user.home_is_own       grep -qE '^-rw-r--r-- 1 user user 0 .* mine$' "$log"
check user.root_files_refused grep -qx 'refused' "$log"
