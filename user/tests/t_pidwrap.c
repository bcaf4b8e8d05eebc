// t_pidwrap: process ids wrap around as on Linux.
//
// Pids count up to pid_max - 1 (32767: Linux's default pid_max on a 32-bit
// system is 32768), then start again from 300 (Linux keeps the pids below
// 300 for the daemons of early boot), skipping every pid still in use.
//
// The test vforks short-lived children until the pids have gone round once.
// Before that, once pids are past 300, it starts a child that stays alive
// (it blocks reading a pipe): after the wrap, the new pids must step over
// its pid. It runs on bunshin; on Linux only where pid_max is small enough
// to go round quickly (the host's is often 4194304), and there other
// processes take pids too, so only what cannot be disturbed is checked.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define PID_RESERVED 300

// The system's pid_max: /proc/sys/kernel/pid_max on Linux, 32768 on bunshin.
static long pid_max(void)
{
    char buf[32];
    if (read_file("/proc/sys/kernel/pid_max", buf, sizeof buf) > 0)
        return strtol(buf, NULL, 10);
    return on_bunshin() ? 32768 : -1;
}

// A vfork child that exits at once: its pid, or -1.
static pid_t short_child(void)
{
    pid_t pid = vfork();
    if (pid == 0)
        _exit(0);
    if (pid > 0)
        wait_for(pid);
    return pid;
}

int main(void)
{
    long max = pid_max();
    if (max < 0 || max > 65536) {
        skip("pidwrap.wraps", "pid_max is %ld here: going round would take too long", max);
        return test_status();
    }
    long before = memfree_start();
    int release[2];
    if (pipe(release) < 0) {
        fail("pidwrap.pipe", "pipe: %s", errname(errno));
        return test_status();
    }

    // Up past 300, then a child that stays.
    pid_t pid = 0;
    while ((pid = short_child()) > 0 && pid <= PID_RESERVED + 5)
        ;
    pid_t stayer = xfork();
    if (stayer == 0) {
        close(release[1]);
        char c;
        while (read(release[0], &c, 1) > 0)
            ;
        _exit(0);
    }
    close(release[0]);

    // Round once: until a pid is smaller than the one before it.
    pid_t last = stayer, first_after = -1, highest = stayer;
    int given_stayers_pid = 0, children = 0;
    for (;;) {
        pid = short_child();
        if (pid < 0)
            break;
        children++;
        given_stayers_pid += pid == stayer;
        if (pid < last && first_after < 0)
            first_after = pid;
        if (pid > highest)
            highest = pid;
        last = pid;
        // After the wrap, go on until past the stayer's pid.
        if (first_after >= 0 && pid > stayer + 2)
            break;
        if (children > 2 * max) {
            fail("pidwrap.wraps", "%d children and the pids never went round", children);
            break;
        }
    }
    check(first_after >= 0, "pidwrap.wraps", "no wrap after %d children (last pid %d)",
          children, (int)last);
    check(highest < max, "pidwrap.below_pid_max", "pid %d given, pid_max is %ld",
          (int)highest, max);
    if (on_bunshin()) {
        check(highest == max - 1, "pidwrap.up_to_pid_max", "the highest pid was %d, not %ld",
              (int)highest, max - 1);
        check_eq("pidwrap.restarts_at_300", PID_RESERVED, first_after);
    } else {
        check(first_after >= PID_RESERVED, "pidwrap.restarts_at_300",
              "the first pid after the wrap was %d", (int)first_after);
    }
    check(given_stayers_pid == 0, "pidwrap.skips_pids_in_use",
          "a new child got pid %d, which a live child still has", (int)stayer);

    close(release[1]);
    int st = wait_for(stayer);
    check(st == 0, "pidwrap.stayer_done", "the child that stayed %s", status_str(st));
    memfree_check("pidwrap.memfree", before);
    return test_status();
}
