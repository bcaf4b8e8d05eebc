// t_aslr: address-space layout randomisation, and what "A fork() in the
// road" (Baumann et al., HotOS 2019) warns about: a fork child is a copy of
// its parent's address space, layout included, so every child of a server
// has its parent's stack, mmap and heap addresses (and its stack canary);
// only execve draws a new layout.
//
// A layout here is four things a process reads about itself at the start
// of main: the address of a local variable (the stack), where a fresh
// one-page anonymous mmap lands (the mmap base), sbrk(0) (the break), and
// its 16 AT_RANDOM bytes. The test measures its own, then
//   - forks: the child's four things are exactly the parent's;
//   - execs itself four times with the argument "report" (each child prints
//     its layout on a pipe): each child's layout differs from the parent's
//     and from the other children's, and each of stack, mmap and break
//     takes more than one value among the five processes (so a chance
//     collision of one of them, 1 in 256 for the mmap base, fails nothing);
//     the AT_RANDOM bytes all differ;
//   - on bunshin, each layout lies within the amounts of mm/vm.c's
//     vm_layout (Linux i386's): stack top 0 to 8 MiB below 0xC0000000, mmap
//     base below the stack's reach, break 0 to 32 MiB above the bss.
// On Linux, which randomises as /proc/sys/kernel/randomize_va_space says
// (2: all three; 1: not the break; 0: nothing), what it does not randomise
// is skipped.
//
// bunshin-boot: aslr=off -- aslr-off
// booted with aslr=off, the exec'd children all get the same layout, with
// the parent's mmap base and break and the stack's top at 0xC0000000.
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

extern char **environ;
extern char _end[];                     // the end of the bss (the linker's)

#define PAGE 4096ul
#define MIB (1024ul * 1024)
#define NCHILD 4

struct layout {
    unsigned long stack, mmap, brk;
    char random[33];                    // AT_RANDOM in hex
};

// The four things, as seen from here. noinline: every caller at the same
// depth of the same path gets the same frame, so fork's parent and child
// see the same stack address when the layouts are the same.
static __attribute__((noinline)) void measure(struct layout *l)
{
    volatile int local = 0;
    l->stack = (unsigned long)&local;
    void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    l->mmap = p == MAP_FAILED ? 0 : (unsigned long)p;
    if (p != MAP_FAILED)
        munmap(p, PAGE);
    l->brk = (unsigned long)sbrk(0);
    const unsigned char *r = (const unsigned char *)getauxval(AT_RANDOM);
    for (int i = 0; i < 16; i++)
        snprintf(l->random + 2 * i, 3, "%02x", r ? r[i] : 0);
}

static const char *layout_str(const struct layout *l)
{
    return tname("stack %#lx, mmap %#lx, brk %#lx, AT_RANDOM %s", l->stack, l->mmap, l->brk,
                 l->random);
}

static int same_layout(const struct layout *a, const struct layout *b)
{
    return a->stack == b->stack && a->mmap == b->mmap && a->brk == b->brk;
}

// The exec'd side: print the layout as one line and end.
static int report(void)
{
    struct layout l;
    measure(&l);
    say("layout %lx %lx %lx %32s", l.stack, l.mmap, l.brk, l.random);
    return 0;
}

// Exec this program with "report" in a child whose stdout is a pipe, and
// read its layout back. Returns 0, or -1 with a FAIL printed.
static int exec_report(int i, struct layout *l)
{
    const char *self = rootpath("/tests/t_aslr");
    char *argv[] = { (char *)self, "report", NULL };
    static char buf[256];
    int p[2];
    if (pipe(p) < 0) {
        fail(tname("aslr.exec_%d", i), "pipe: %s", errname(errno));
        return -1;
    }
    pid_t pid = xfork();
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        execve(self, argv, environ);
        _exit(100 + errno);
    }
    close(p[1]);
    ssize_t n = pid < 0 ? -1 : read_full(p[0], buf, sizeof buf - 1);
    close(p[0]);
    int st = pid < 0 ? -1 : wait_for(pid);
    buf[n > 0 ? n : 0] = 0;
    if (st != 0 || sscanf(buf, "layout %lx %lx %lx %32s", &l->stack, &l->mmap, &l->brk,
                          l->random) != 4) {
        fail(tname("aslr.exec_%d", i), "%s report: %s, printed \"%s\"", self, status_str(st),
             buf);
        return -1;
    }
    return 0;
}

// The fork child's layout against the parent's, measured by both right
// after fork().
static void fork_keeps_layout(void)
{
    int p[2];
    if (pipe(p) < 0) {
        fail("aslr.fork_pipe", "pipe: %s", errname(errno));
        return;
    }
    pid_t pid = xfork();
    struct layout l;
    measure(&l);
    if (pid == 0) {
        write_full(p[1], &l, sizeof l);
        _exit(0);
    }
    struct layout child;
    close(p[1]);
    ssize_t n = read_full(p[0], &child, sizeof child);
    close(p[0]);
    int st = pid < 0 ? -1 : wait_for(pid);
    if (n != sizeof child || st != 0) {
        fail("aslr.fork_child", "fork child: %s, %zd bytes of its layout", status_str(st), n);
        return;
    }
    check_eq("aslr.fork_same_stack", (long long)l.stack, (long long)child.stack);
    check_eq("aslr.fork_same_mmap", (long long)l.mmap, (long long)child.mmap);
    check_eq("aslr.fork_same_brk", (long long)l.brk, (long long)child.brk);
    check(strcmp(l.random, child.random) == 0, "aslr.fork_same_at_random",
          "parent %s, child %s", l.random, child.random);
}

// How many different values field takes among n layouts.
static int distinct(const struct layout *ls, int n, size_t offset)
{
    int count = 0;
    for (int i = 0; i < n; i++) {
        int seen = 0;
        for (int j = 0; j < i; j++)
            if (*(const unsigned long *)((const char *)&ls[j] + offset) ==
                *(const unsigned long *)((const char *)&ls[i] + offset))
                seen = 1;
        count += !seen;
    }
    return count;
}

// Linux's setting, or -1 (bunshin, which has no such file, randomises all
// three unless booted with aslr=off).
static int randomize_va_space(void)
{
    char buf[16];
    if (read_file("/proc/sys/kernel/randomize_va_space", buf, sizeof buf) < 0)
        return -1;
    return buf[0] - '0';
}

// Booted with aslr=on (the default): execve gives a new layout each time.
static void exec_randomises(const struct layout *self, const struct layout *kids)
{
    int level = on_bunshin() ? 2 : randomize_va_space();
    struct layout all[1 + NCHILD];
    all[0] = *self;
    memcpy(all + 1, kids, sizeof(struct layout) * NCHILD);
    const char *why = tname("Linux: randomize_va_space is %d here", level);

    if (level >= 1) {
        int differ = 1;
        for (int i = 0; i < NCHILD; i++)
            for (int j = 0; j <= i; j++)
                if (same_layout(&all[j], &kids[i]))
                    differ = 0;
        check(differ, "aslr.exec_new_layout",
              "two of the layouts are the same: parent %s; children %s | %s | %s | %s",
              layout_str(self), layout_str(&kids[0]), layout_str(&kids[1]),
              layout_str(&kids[2]), layout_str(&kids[3]));
        int s = distinct(all, 1 + NCHILD, offsetof(struct layout, stack));
        int m = distinct(all, 1 + NCHILD, offsetof(struct layout, mmap));
        check(s > 1, "aslr.exec_new_stack", "5 processes, %d stack address(es)", s);
        check(m > 1, "aslr.exec_new_mmap", "5 processes, %d mmap address(es)", m);
    } else {
        skip("aslr.exec_new_layout", "%s", why);
        skip("aslr.exec_new_stack", "%s", why);
        skip("aslr.exec_new_mmap", "%s", why);
    }
    if (level >= 2) {
        int b = distinct(all, 1 + NCHILD, offsetof(struct layout, brk));
        check(b > 1, "aslr.exec_new_brk", "5 processes, %d break(s)", b);
    } else {
        skip("aslr.exec_new_brk", "%s (2 randomises the break)", why);
    }
    // AT_RANDOM is new at every exec on both, whatever the setting.
    int same = 0;
    for (int i = 0; i < 1 + NCHILD; i++)
        for (int j = 0; j < i; j++)
            same += strcmp(all[i].random, all[j].random) == 0;
    check(same == 0, "aslr.exec_new_at_random", "%d pair(s) of processes got the same bytes",
          same);
}

// On bunshin, every layout lies within the amounts of mm/vm.c (Linux
// i386's). Linux on x86-64 gives i386 programs a different top.
static void within_amounts(const struct layout *ls, int n, int aslr)
{
    const char *names[] = { "aslr.stack_range", "aslr.mmap_range", "aslr.brk_range" };
    if (!on_bunshin()) {
        for (int k = 0; k < 3; k++)
            skip(names[k], "Linux on x86-64 lays out i386 programs below 4 GiB, not 3");
        return;
    }
    unsigned long top = 0xC0000000ul, end_page = ((unsigned long)_end + PAGE - 1) & ~(PAGE - 1);
    // The stack top moves by up to 8 MiB - 4 KiB, esp by 4 KiB more, and
    // main's frame is a few KiB below esp: 8 MiB + 64 KiB is plenty.
    unsigned long stack_low = top - (aslr ? 8 * MIB + 64 * 1024 : 64 * 1024);
    // The mmap base is below 8 MiB of random stack offset (if any), 8 MiB
    // of stack and 1 MiB of guard gap, then 0 to 255 pages lower.
    unsigned long mmap_high = top - (aslr ? 8 * MIB : 0) - 8 * MIB - 1 * MIB;
    unsigned long mmap_low = mmap_high - (aslr ? 256 * PAGE : PAGE);
    unsigned long brk_high = aslr ? end_page + 32 * MIB - PAGE : (unsigned long)_end;
    int s = 1, m = 1, b = 1;
    for (int i = 0; i < n; i++) {
        s &= ls[i].stack >= stack_low && ls[i].stack < top;
        m &= ls[i].mmap >= mmap_low && ls[i].mmap < mmap_high;
        b &= ls[i].brk >= (unsigned long)_end && ls[i].brk <= brk_high;
    }
    check(s, names[0], "a stack address outside [%#lx, %#lx): %s", stack_low, top,
          layout_str(&ls[0]));
    check(m, names[1], "an mmap address outside [%#lx, %#lx): %s ...", mmap_low, mmap_high,
          layout_str(&ls[0]));
    check(b, names[2], "a break outside [%p, %#lx]: %s ...", (void *)_end, brk_high,
          layout_str(&ls[0]));
}

// The top of the [stack] line of /proc/self/maps, or 0; and whether the
// line holds the address of a local variable.
static unsigned long maps_stack_top(int *holds_local)
{
    static char maps[8192];
    volatile int local = 0;
    unsigned long lo = 0, hi = 0;
    *holds_local = 0;
    if (read_file("/proc/self/maps", maps, sizeof maps) < 0)
        return 0;
    for (char *line = strtok(maps, "\n"); line; line = strtok(NULL, "\n"))
        if (strstr(line, "[stack]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2)
            break;
    *holds_local = (unsigned long)&local >= lo && (unsigned long)&local < hi;
    return hi;
}

// Booted with aslr=off (bunshin only): every exec gets the same layout.
static void exec_fixed(const struct layout *self, const struct layout *kids)
{
    int same = 1;
    for (int i = 1; i < NCHILD; i++)
        same &= same_layout(&kids[0], &kids[i]) && strcmp(kids[0].random, kids[i].random) != 0;
    check(same, "aslr.off_same_layout", "children %s | %s | %s | %s (AT_RANDOM must differ)",
          layout_str(&kids[0]), layout_str(&kids[1]), layout_str(&kids[2]),
          layout_str(&kids[3]));
    // The stack's addresses depend on the arguments (the parent's differ),
    // its top does not; mmap and the break depend on neither.
    check(kids[0].mmap == self->mmap && kids[0].brk == self->brk, "aslr.off_parent_layout",
          "parent %s, child %s", layout_str(self), layout_str(&kids[0]));
    int holds;
    unsigned long top = maps_stack_top(&holds);
    check_eq("aslr.off_stack_top", 0xC0000000ll, (long long)top);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "report") == 0)
        return report();
    int aslr_off = argc > 1 && strcmp(argv[1], "aslr-off") == 0;
    if (argc > 1 && !aslr_off) {
        fail("aslr.usage", "unknown argument \"%s\" (report, aslr-off or none)", argv[1]);
        return test_status();
    }

    struct layout self;
    measure(&self);                     // before anything else maps memory
    long before = memfree_start();

    fork_keeps_layout();

    struct layout kids[NCHILD];
    for (int i = 0; i < NCHILD; i++)
        if (exec_report(i, &kids[i]) < 0)
            return test_status();

    int holds;
    unsigned long top = maps_stack_top(&holds);
    check(holds, "aslr.maps_stack_holds_local", "[stack] in /proc/self/maps ends at %#lx and "
          "does not hold a local variable of main's callee", top);

    if (aslr_off) {
        if (!on_bunshin()) {
            skip("aslr.off", "aslr=off is a boot option of bunshin");
        } else {
            exec_fixed(&self, kids);
            within_amounts(kids, NCHILD, 0);
        }
    } else {
        exec_randomises(&self, kids);
        struct layout all[1 + NCHILD];
        all[0] = self;
        memcpy(all + 1, kids, sizeof kids);
        within_amounts(all, 1 + NCHILD, 1);
    }
    memfree_check("aslr.memfree_restored", before);
    return test_status();
}
