// fuzz_run.h: the fuzzer driver's tools (user/lib/fuzz_run.c).
#ifndef FUZZ_RUN_H
#define FUZZ_RUN_H

#include <stdint.h>
#include <sys/types.h>

#include "fuzz.h"

// Waiting for one child with a time limit.
struct fuzz_wait {
    // Set by the caller:
    int progress_fd;      // read end (non-blocking) of the progress pipe, or -1
    long stall_ms;        // kill after this long without progress (0: never)
    long limit_ms;        // kill after this long in all
    uint8_t *seen;        // bitmap of the numbers called (FUZZ_MAX_NR + 1 bits)
    // Results:
    int status;           // its wait status
    int killed;           // the driver sent SIGKILL (a time limit was reached)
    int stalled;          // ... because no progress came for stall_ms
    int unkillable;       // it was still there 5 s after SIGKILL
    uint32_t calls;       // progress messages received
    uint32_t last_index;  // the last call it announced
    uint32_t last_nr;
};
// Wait for child pid, reading its progress and killing it at the limits.
// 0 when it was reaped (w->status), -1 if it could not be (w->unkillable,
// or waitpid failed).
int fuzz_wait_child(pid_t pid, struct fuzz_wait *w);

// The pids under /proc now (at most max). -1 if /proc cannot be read.
int fuzz_list_pids(int *pids, int max);

#define FUZZ_MAX_LEFT 8
struct fuzz_strays {
    int found;            // processes that were there and should not have been
    int reaped;           // children of the driver's own that it reaped
    int nleft;            // still there 5 s after SIGKILL
    int left[FUZZ_MAX_LEFT];
};
// Kill every process that is not the caller and not in keep[], reap the
// caller's own ended children, and wait (5 s at most) until /proc shows
// none of them. Returns s->nleft.
int fuzz_clear_strays(const int *keep, int nkeep, struct fuzz_strays *s);

// "pid 12 (state Z (zombie), parent 1)", from /proc/12/status.
const char *fuzz_describe_pid(int pid);

#endif
