// t_forkroad: the claims of "A fork() in the road" (HotOS 2019), as the demo
// /demo/forkroad shows them (docs/fork-in-the-road.md), each with its way out.
// The test runs one subcommand at a time and looks for its stable lines:
//   - stdio: a buffered "hello " forked reaches the pipe twice; after
//     fflush, once;
//   - lock: a mutex held by another thread at fork is EBUSY in the child,
//     also 200 ms later; with pthread_atfork handlers the child gets it, and
//     so does a posix_spawn'd program;
//   - fds: pipe() and open() without O_CLOEXEC are open in the exec'd
//     program, pipe2(O_CLOEXEC), open(O_CLOEXEC) and fcntl(FD_CLOEXEC) are
//     closed; a reader waits for a spawned program that inherited the write
//     end, and not when it was O_CLOEXEC;
//   - aslr: the fork child has the parent's stack, mmap base and break; three
//     posix_spawn'd copies have new ones each (when the kernel randomises:
//     not on bunshin booted with aslr=off, and on Linux as
//     /proc/sys/kernel/randomize_va_space says);
//   - overcommit: the big parent's fork succeeds in heuristic mode and fails
//     with ENOMEM under overcommit=never (the second boot), and posix_spawn of
//     a small program succeeds in both;
//   - cost: a row of three times for each of 0, 4, 16 and 64 MiB (the times
//     are printed, never judged: speed is measured by make bench).
// MemFree is back where it started at the end (bunshin).
// An argument runs only that subcommand's part.
//
// bunshin-boot: overcommit=never -- overcommit
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bunshin.h"

#define TIMEOUT_MS 90000

static struct captured out;             // the last subcommand's output

// Run /demo/forkroad SUB; 1 if it ran and exited with 0.
static int run(const char *sub)
{
    char prog[4096];
    snprintf(prog, sizeof prog, "%s", rootpath("/demo/forkroad"));
    char *argv[] = { prog, (char *)sub, NULL };
    captured_free(&out);
    int r = run_capture(argv, NULL, NULL, NULL, TIMEOUT_MS, &out);
    return check(r == 0 && out.status == 0, tname("forkroad.%s_runs", sub),
                 "forkroad %s: %s%s; stderr: %s", sub,
                 r < 0 ? "could not run" : status_str(out.status),
                 out.timed_out ? " (timed out)" : "", out.err ? out.err : "");
}

// The output holds this whole line.
static int has_line(const char *name, const char *line)
{
    char want[512];
    snprintf(want, sizeof want, "%s\n", line);
    const char *o = out.out ? out.out : "";
    for (const char *p = o; (p = strstr(p, want)); p++)
        if (p == o || p[-1] == '\n')
            return check(1, name, "-");
    return check(0, name, "no line \"%s\" in:\n%s", line, o);
}

static void stdio_part(void)
{
    if (!run("stdio"))
        return;
    has_line("forkroad.stdio_twice", "stdio fork: the pipe got \"hello hello \": 2 copies");
    has_line("forkroad.stdio_fflush_once",
             "stdio fflush before fork: the pipe got \"hello \": 1 copy");
}

static void lock_part(void)
{
    if (!run("lock"))
        return;
    has_line("forkroad.lock_child_ebusy",
             "lock fork: child's trylock: EBUSY; 200 ms later: EBUSY");
    has_line("forkroad.lock_parent_free",
             "lock fork: parent's trylock after the holder let go: 0 (got it)");
    has_line("forkroad.lock_atfork_child_gets_it",
             "lock pthread_atfork: child's trylock: 0 (got it); 200 ms later: 0 (got it)");
    has_line("forkroad.lock_atfork_parent_free",
             "lock pthread_atfork: parent's trylock after the holder let go: 0 (got it)");
    has_line("forkroad.lock_spawn_free", "lock posix_spawn: the new program's trylock: 0 (got it)");
}

static void fds_part(void)
{
    if (!run("fds"))
        return;
    has_line("forkroad.fds_pipe_leaks", "fds pipe(): open in the exec'd program");
    has_line("forkroad.fds_pipe2_cloexec", "fds pipe2(O_CLOEXEC): closed in the exec'd program");
    has_line("forkroad.fds_open_leaks", "fds open(): open in the exec'd program");
    has_line("forkroad.fds_open_cloexec", "fds open(O_CLOEXEC): closed in the exec'd program");
    has_line("forkroad.fds_fcntl_cloexec", "fds fcntl(FD_CLOEXEC): closed in the exec'd program");
    has_line("forkroad.fds_leak_delays_eof",
             "fds leak pipe(): the reader saw end of file only when the spawned sleeper exited");
    has_line("forkroad.fds_cloexec_eof_at_once",
             "fds leak pipe2(O_CLOEXEC): the reader saw end of file at once");
}

// What the kernel randomises at execve: 3 (stack, mmap, break), 2 (not
// the break), 0 (nothing).
static int randomised(void)
{
    char buf[4096];
    if (on_bunshin()) {
        if (read_file("/proc/cmdline", buf, sizeof buf) >= 0 && strstr(buf, "aslr=off"))
            return 0;
        return 3;
    }
    if (read_file("/proc/sys/kernel/randomize_va_space", buf, sizeof buf) < 0)
        return -1;
    int v = atoi(buf);
    return v == 2 ? 3 : v == 1 ? 2 : 0;
}

static void aslr_part(void)
{
    if (!run("aslr"))
        return;
    has_line("forkroad.aslr_fork_same",
             "aslr fork: the child's stack, mmap and brk are the parent's: yes");
    int r = randomised();
    if (r == 3)
        has_line("forkroad.aslr_spawn_new",
                 "aslr posix_spawn: 3 copies of the program; from copy to copy the stack "
                 "moves, the mmap base moves, the break moves");
    else if (r == 2)
        has_line("forkroad.aslr_spawn_new",
                 "aslr posix_spawn: 3 copies of the program; from copy to copy the stack "
                 "moves, the mmap base moves, the break stays");
    else if (r == 0)
        has_line("forkroad.aslr_spawn_new",
                 "aslr posix_spawn: 3 copies of the program; from copy to copy the stack "
                 "stays, the mmap base stays, the break stays");
    else
        skip("forkroad.aslr_spawn_new", "cannot tell whether this kernel randomises");
}

static void overcommit_part(void)
{
    char buf[64];
    long mode = read_file("/proc/sys/vm/overcommit_memory", buf, sizeof buf) < 0 ? -1 : atol(buf);
    if (!run("overcommit"))
        return;
    if (mode == 2) {
        has_line("forkroad.overcommit_mode", "overcommit mode: 2 (never)");
        has_line("forkroad.overcommit_strict_fork_enomem",
                 "overcommit fork of the big parent: ENOMEM");
    } else {
        has_line("forkroad.overcommit_mode",
                 mode == 1 ? "overcommit mode: 1 (always)" : "overcommit mode: 0 (heuristic)");
        has_line("forkroad.overcommit_fork_succeeds", "overcommit fork of the big parent: succeeded");
    }
    has_line("forkroad.overcommit_spawn_succeeds",
             "overcommit posix_spawn of a small program by the big parent: succeeded");
}

static void cost_part(void)
{
    if (!run("cost"))
        return;
    has_line("forkroad.cost_done", "cost: done");
    // Each row: MiB, then three times, all measured (none -1).
    static const int sizes[] = { 0, 4, 16, 64 };
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int found = 0;
        long long a = -1, b = -1, c = -1;
        for (const char *p = out.out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
            int mib;
            if (sscanf(p, " %d %lld %lld %lld", &mib, &a, &b, &c) == 4 && mib == sizes[i]) {
                found = 1;
                break;
            }
        }
        check(found && a >= 0 && b >= 0 && c >= 0, tname("forkroad.cost_row_%d", sizes[i]),
              "row %d MiB: %s", sizes[i], found ? "a time is -1 (a creation failed)" : "missing");
    }
}

static const struct {
    const char *name;
    void (*part)(void);
} parts[] = {
    { "stdio", stdio_part }, { "lock", lock_part }, { "fds", fds_part },
    { "aslr", aslr_part }, { "overcommit", overcommit_part }, { "cost", cost_part },
};

int main(int argc, char **argv)
{
    // A first run, before MemFree is read, gives this process the heap
    // (malloc) and the scratch directory the frames that every run reuses.
    char *warm[] = { (char *)rootpath("/demo/forkroad"), "-nop", NULL };
    if (run_capture(warm, NULL, NULL, NULL, TIMEOUT_MS, &out) == 0)
        captured_free(&out);
    long before = memfree_start();
    for (unsigned i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (argc < 2 || !strcmp(argv[1], parts[i].name))
            parts[i].part();
    captured_free(&out);
    memfree_check("forkroad.memfree", before);
    return test_status();
}
