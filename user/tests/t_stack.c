// t_stack: the user stack grows on demand up to its limit, 8 MiB (Linux's
// default RLIMIT_STACK, and bunshin's fixed limit); beyond it the process
// is killed with SIGSEGV. Each run is a child that recurses with ~4 KiB
// frames, so the stack is touched page by page, top down; every frame
// checks on the way back that its page kept its contents.
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

#define KIB 1024ul
#define MIB (1024ul * 1024)
#define LIMIT (8 * MIB)

// Use depth frames of ~4 KiB each. Returns 0 if every frame's data survived.
static int __attribute__((noinline)) recurse(unsigned long depth)
{
    volatile unsigned char frame[4000];
    frame[0] = frame[sizeof frame - 1] = (unsigned char)depth;
    int bad = depth > 1 ? recurse(depth - 1) : 0;
    // Using the frame after the call keeps this from being a tail call.
    return bad + (frame[0] != (unsigned char)depth || frame[sizeof frame - 1] != frame[0]);
}

static void use_stack(void *arg)
{
    unsigned long bytes = (unsigned long)arg;
    _exit(recurse(bytes / 4096) ? 1 : 0);
}

// Touch one byte far below the stack pointer without touching the pages in
// between: the kernel grows the stack to any address within the limit.
static void touch_below(void *arg)
{
    volatile unsigned char here;
    volatile unsigned char *far = &here - (unsigned long)arg;
    *far = 1;
    _exit(*far == 1 ? 0 : 1);
}

static void expect_ok(const char *name, void (*fn)(void *), unsigned long bytes)
{
    int st = run_child(fn, (void *)bytes);
    check(st == 0, name, "using %lu KiB of stack: expected exit 0, got %s (1: data lost)",
          bytes / KIB, status_str(st));
}

static void expect_segv(const char *name, unsigned long bytes)
{
    int st = run_child(use_stack, (void *)bytes);
    check(st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, name,
          "using %lu KiB of stack: expected SIGSEGV, got %s", bytes / KIB, status_str(st));
}

int main(void)
{
    expect_ok("stack.grow_64k", use_stack, 64 * KIB);
    expect_ok("stack.grow_1m", use_stack, 1 * MIB);

    // The limit-specific checks hold when the limit is 8 MiB: always on
    // bunshin; on Linux only if RLIMIT_STACK says so (tests/user-host.sh
    // sets it).
    struct rlimit rl = { 0, 0 };
    int at_limit = on_bunshin() ||
                   (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur == LIMIT);
    if (at_limit) {
        expect_ok("stack.grow_7m", use_stack, 7 * MIB);
        expect_ok("stack.sparse_touch_6m", touch_below, 6 * MIB);
        expect_segv("stack.overflow_9m", 9 * MIB);
        expect_segv("stack.overflow_64m", 64 * MIB);
    } else {
        const char *why = tname("Linux: RLIMIT_STACK is %lu KiB here, not 8 MiB (run "
                                "`ulimit -s 8192` first)", (unsigned long)rl.rlim_cur / KIB);
        skip("stack.grow_7m", "%s", why);
        skip("stack.sparse_touch_6m", "%s", why);
        skip("stack.overflow_9m", "%s", why);
        skip("stack.overflow_64m", "%s", why);
    }
    // After all that, this process's own stack is fine.
    expect_ok("stack.parent_unharmed", use_stack, 256 * KIB);
    return test_status();
}
