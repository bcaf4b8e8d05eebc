// fuzz_args.c: arguments for random system calls, one kind at a time (the
// letters of fuzz_table.c). Each kind mixes values a careful program would
// pass (valid descriptors, buffers, paths) with the ones that must give a
// clean error: buffers that end at an unmapped page, NULL, kernel
// addresses, sizes that wrap, random words.
//
// What keeps the fuzzer's own world intact (a call must be able to fail in
// any way, but never aim at something outside the child):
//   - pids that can receive a signal (kind k) are the child's own, its
//     children's, or 0x7fffffff, which no process has; never 0 or -1,
//     which on bunshin mean every process (the driver and init too);
//   - paths are names without '/' and other than ".." (so they stay in the
//     child's scratch directory, its cwd), a few fixed /proc paths (which
//     the kernel must refuse to change), or bad pointers; never /bin,
//     /tests or /dev;
//   - mount(2) never mounts: its flags lose MS_BIND, MS_REMOUNT and
//     MS_MOVE, and its type is a path, never a file system's name (a made
//     one begins with a capital): a mount would outlive the child, over
//     /proc or the scratch directory;
//   - descriptors are never FUZZ_LOG_FD or FUZZ_PROGRESS_FD;
//   - path strings are made in an area of their own that no buffer
//     argument points into, so that no read() can write a '/' into one.
#include <stdint.h>
#include <string.h>

#include "fuzz.h"

#define PAGE 4096u
#define KERNEL_BASE 0xC0000000u
#define AT_FDCWD_WORD 0xFFFFFF9Cu      // -100
#define NO_SUCH_PID 0x7FFFFFFFu       // above any pid_max

extern char __executable_start[], etext[], edata[], end[];

// Names in the scratch directory, and a few that exist in /proc (for when
// the child's cwd has moved into /proc/self through a symlink or fchdir).
static const char *const names[] = {
    "a", "b", "c", "f", "sub", "link", "prog", "x.txt", "deep", ".", "",
    "status", "maps", "fd", "meminfo", "self", "0", "3",
};
// /proc paths: their files must not be removed, renamed, truncated or
// written where Linux refuses it.
static const char *const proc_paths[] = {
    "/proc", "/proc/meminfo", "/proc/self", "/proc/self/status", "/proc/self/maps",
    "/proc/self/smaps_rollup", "/proc/self/fd", "/proc/self/fd/0", "/proc/self/fd/3",
    "/proc/1", "/proc/1/status", "/proc/1/fd",
};
#define NNAMES (sizeof names / sizeof names[0])
#define NPROC_PATHS (sizeof proc_paths / sizeof proc_paths[0])

// Read-only memory for buffer arguments: the kernel may read it (a write()
// of it to the console shows dots) and must refuse to write into it. Not
// the program's own text or strings: written to the console, those could
// make lines that look like a test's "ok" or "FAIL" lines.
static const char ro_area[2 * 4096] __attribute__((aligned(4096))) = { [0 ... 8191] = '.' };

// ---- the fixed strings stay as they were ----

static uint32_t pool_sum(void)
{
    uint32_t h = 2166136261u;                   // FNV-1a over every string
    for (uint32_t i = 0; i < NNAMES; i++)
        for (const char *s = names[i]; ; s++) {
            h = (h ^ (uint8_t)*s) * 16777619u;
            if (!*s)
                break;
        }
    for (uint32_t i = 0; i < NPROC_PATHS; i++)
        for (const char *s = proc_paths[i]; ; s++) {
            h = (h ^ (uint8_t)*s) * 16777619u;
            if (!*s)
                break;
        }
    return h;
}

static uint32_t pool_expected;

// The strings are in .rodata, which no call can write into unless an
// earlier mprotect made it writable; checking them before every call makes
// sure even that cannot turn a name into a path elsewhere.
int fuzz_paths_intact(void)
{
    if (!pool_expected)
        pool_expected = pool_sum();
    return pool_sum() == pool_expected;
}

// ---- scalar kinds ----

static uint32_t pick(struct rng *r, const uint32_t *v, uint32_t n)
{
    return v[rng_below(r, n)];
}
#define PICK(r, arr) pick((r), (arr), sizeof(arr) / sizeof((arr)[0]))

static uint32_t gen_len(struct fuzz_state *st)
{
    static const uint32_t edges[] = { 4095, 4096, 4097, 8192, 65536, 65535 };
    static const uint32_t huge[] = { 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFF0,
                                     0x40000000, 0xC0000000 };
    static const uint32_t structs[] = { 4, 8, 12, 16, 24, 32, 64, 88, 96, 100, 144, 256 };
    struct rng *r = &st->rng;
    uint32_t x = rng_below(r, 100);
    if (x < 10) return 0;
    if (x < 30) return 1 + rng_below(r, 16);
    if (x < 45) return 17 + rng_below(r, 4080);
    if (x < 55) return rng_below(r, st->arena_len + 1);
    if (x < 65) return PICK(r, edges);
    if (x < 80) return PICK(r, huge);
    if (x < 90) return PICK(r, structs);
    return rng_u32(r);
}

static uint32_t gen_flags(struct rng *r)
{
    // Values that open, fcntl, ioctl, futex, mmap and wait know, so that
    // their real paths are taken too.
    static const uint32_t known[] = {
        0x5401, 0x5413, 0x541B, 0x5402, 1, 2, 3, 4, 1030, 0x42, 0x10000, 0x80000, 0x800,
        0x200, 0x100, 0x1000, 0x241, 0x400, 0xC2, 0x22, 0x32, 0x122, 0x40000000, 0x80,
        0x20000, 0x40, 0xFFFFFFFF, 0x80000000, 0x7FFFFFFF,
    };
    uint32_t x = rng_below(r, 100);
    if (x < 20) return 0;
    if (x < 40) return 1u << rng_below(r, 32);
    if (x < 55) return rng_u32(r) & rng_u32(r) & rng_u32(r);
    if (x < 70) return rng_below(r, 32);
    if (x < 90) return PICK(r, known);
    return rng_u32(r);
}

static uint32_t gen_mode(struct rng *r)
{
    static const uint32_t modes[] = { 0644, 0755, 0, 0777, 07777, 0400, 0200, 0100000 | 0644 };
    if (rng_percent(r, 80))
        return PICK(r, modes);
    return rng_percent(r, 50) ? (rng_u32(r) & 07777) : rng_u32(r);
}

static uint32_t gen_off(struct rng *r)
{
    static const uint32_t offs[] = { 0, 1, 100, 4095, 4096, 0x7FFFFFFF, 0xFFFFFFFF,
                                     0x80000000, 0x10000 };
    if (rng_percent(r, 85))
        return PICK(r, offs);
    return rng_u32(r);
}

static uint32_t gen_fd(struct fuzz_state *st)
{
    static const uint32_t odd[] = { 0xFFFFFFFF, 255, 256, 1024, 0x7FFFFFFF, 0x80000000 };
    struct rng *r = &st->rng;
    uint32_t x = rng_below(r, 100), fd;
    if (x < 65 && st->nfds > 0) {
        fd = (uint32_t)st->fds[rng_below(r, st->nfds)];
        // The console (0, 1, 2) is where a read blocks for good, ending
        // the child: drawn half as often as the other descriptors.
        if (fd <= 2 && rng_percent(r, 50))
            fd = (uint32_t)st->fds[rng_below(r, st->nfds)];
    }
    else if (x < 80)
        fd = rng_below(r, 40);
    else if (x < 88)
        fd = AT_FDCWD_WORD;
    else if (x < 95)
        fd = PICK(r, odd);
    else
        fd = rng_u32(r);
    if (fd == FUZZ_LOG_FD || fd == FUZZ_PROGRESS_FD)
        fd = FUZZ_PROGRESS_FD + 1;              // never the fuzzer's own
    return fd;
}

// A pid that may receive a signal (see the top of this file).
static uint32_t gen_kpid(struct fuzz_state *st)
{
    struct rng *r = &st->rng;
    uint32_t x = rng_below(r, 100);
    if (x < 20)
        return (uint32_t)st->pid;
    if (x < 60 && st->nkids > 0)
        return (uint32_t)st->kids[rng_below(r, st->nkids)];
    return rng_percent(r, 50) ? NO_SUCH_PID : 0x3FFFFFFF;
}

// A pid for wait4 and friends: any value is safe, they only reap the
// caller's own children.
static uint32_t gen_wpid(struct fuzz_state *st)
{
    struct rng *r = &st->rng;
    uint32_t x = rng_below(r, 100);
    if (x < 35) return 0xFFFFFFFF;
    if (x < 45) return 0;
    if (x < 70 && st->nkids > 0) return (uint32_t)st->kids[rng_below(r, st->nkids)];
    if (x < 75) return (uint32_t)st->pid;
    if (x < 80) return 0x80000000;
    if (x < 85) return (uint32_t)-st->pid;
    return rng_u32(r);
}

static uint32_t gen_sig(struct rng *r)
{
    // Six in ten are signals whose default action is to do nothing (or a
    // bare check), else most kill calls would end the child at once.
    static const uint32_t harmless[] = { 0, 17, 18, 23, 28 };
    uint32_t x = rng_below(r, 100);
    if (x < 60) return PICK(r, harmless);
    if (x < 85) return 1 + rng_below(r, 64);
    return rng_u32(r);
}

// ---- pointers ----

static uint32_t arena_at(struct fuzz_state *st, uint32_t off)
{
    return (uint32_t)st->arena + off;
}

static uint32_t gen_buf(struct fuzz_state *st)
{
    static const uint32_t kernel[] = { KERNEL_BASE, 0xC0100000, 0xC0001000, 0xC0800000,
                                       0xFFFFF000, 0xFFFFFFFF, 0xFFFFFFF0, 0xE0000000 };
    struct rng *r = &st->rng;
    uint32_t x = rng_below(r, 100);
    if (x < 40) {                                 // a valid buffer
        uint32_t off = rng_below(r, st->arena_len - 256);
        return arena_at(st, rng_percent(r, 50) ? off & ~3u : off);
    }
    if (x < 55)                                   // ends at the unmapped page
        return arena_at(st, st->arena_len - 1 - rng_below(r, rng_percent(r, 50) ? 64 : 512));
    if (x < 63) return 0;                         // NULL
    if (x < 73) return PICK(r, kernel);           // kernel addresses
    if (x < 78) return KERNEL_BASE - 1 - rng_below(r, 16);   // runs into the kernel
    if (x < 85)                                   // read-only memory
        return (uint32_t)ro_area + rng_below(r, sizeof ro_area);
    if (x < 90)                                   // unmapped: page 1, past the arena
        return rng_percent(r, 50) ? PAGE : arena_at(st, st->arena_len);
    return rng_u32(r);
}

// A short timespec in the arena, or a bad one, or now and then a long one
// (a call that then sleeps is ended by the driver's time limit).
static uint32_t gen_timespec(struct fuzz_state *st)
{
    struct rng *r = &st->rng;
    uint32_t x = rng_below(r, 100);
    if (x >= 80)
        return x < 90 ? 0 : gen_buf(st);
    uint32_t off = rng_below(r, st->arena_len - 16) & ~3u;
    uint32_t ts[2] = { 0, rng_below(r, 20 * 1000 * 1000) };   // < 20 ms
    if (x >= 65)
        ts[1] = x < 70 ? 1000000000u : x < 75 ? 0xFFFFFFFFu : 999999999u;   // bad, bad, ~1 s
    if (x >= 77)
        ts[0] = 1 + rng_below(r, 1000);                          // long
    memcpy(st->arena + off, ts, sizeof ts);
    return arena_at(st, off);
}

// An iovec array in the arena, entries of every kind of buffer.
static uint32_t gen_iovec(struct fuzz_state *st)
{
    struct rng *r = &st->rng;
    if (rng_percent(r, 20))
        return gen_buf(st);
    uint32_t n = 1 + rng_below(r, 8);
    uint32_t off = rng_below(r, st->arena_len - 8 * n) & ~3u;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t iov[2] = { gen_buf(st), rng_percent(r, 70) ? rng_below(r, 512) : gen_len(st) };
        memcpy(st->arena + off + 8 * i, iov, sizeof iov);
    }
    return arena_at(st, off);
}

// A path (see the top of this file). Made-up names go to the paths area:
// its first pages hold the names of one call, one after the other; its
// last page, the names that run up to the unmapped page after it.
static uint32_t gen_path(struct fuzz_state *st)
{
    static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789._-";
    struct rng *r = &st->rng;
    uint32_t x = rng_below(r, 100);
    if (x < 35)
        return (uint32_t)names[rng_below(r, NNAMES)];
    if (x < 47)
        return (uint32_t)proc_paths[rng_below(r, NPROC_PATHS)];
    if (x < 52) return 0;
    if (x < 57) return rng_percent(r, 50) ? KERNEL_BASE : 0xFFFFFFF0;
    if (x < 60) return 0x40000000u | (rng_u32(r) & 0x3FFFFFFF);  // unmapped space
    // The rest are made: a random name, a too-long one (NAME_MAX and
    // PATH_MAX are 255 and 4096), or one that runs into the unmapped page
    // (with or without its NUL).
    uint32_t len = 1 + rng_below(r, 16);
    if (x >= 82 && x < 90)
        len = rng_percent(r, 50) ? 255 + rng_below(r, 4) : 4090 + rng_below(r, 10);
    char *s;
    if (x >= 90) {
        int with_nul = rng_percent(r, 50);
        s = st->paths + st->paths_len - len - with_nul;
        if (with_nul)
            s[len] = 0;
    } else {
        if (st->paths_used + len + 1 > st->paths_len - PAGE)
            len = 1;                              // the call's names filled it
        s = st->paths + st->paths_used;
        st->paths_used += len + 1;
        s[len] = 0;
    }
    for (uint32_t i = 0; i < len; i++)
        s[i] = chars[rng_below(r, sizeof chars - 1)];
    if (st->nmade < FUZZ_MAX_MADE)
        st->made[st->nmade++] = s;
    return (uint32_t)s;
}

// An argv or envp: a NULL-terminated array of paths in the arena.
static uint32_t gen_argv(struct fuzz_state *st)
{
    struct rng *r = &st->rng;
    uint32_t x = rng_below(r, 100);
    if (x < 20) return 0;
    if (x < 45) return gen_buf(st);
    uint32_t n = rng_below(r, 5);
    uint32_t off = rng_below(r, st->arena_len - 4 * (n + 1)) & ~3u;
    for (uint32_t i = 0; i <= n; i++) {
        uint32_t p = i < n ? gen_path(st) : 0;
        memcpy(st->arena + off + 4 * i, &p, 4);
    }
    return arena_at(st, off);
}

// An address for brk, mmap, munmap, mprotect: mostly page-aligned.
static uint32_t gen_addr(struct fuzz_state *st)
{
    static const uint32_t top[] = { KERNEL_BASE, 0xBFFFF000, 0xFFFFF000, 0xBF800000, 0xBF700000 };
    struct rng *r = &st->rng;
    // The arena's own pages are drawn now and then only: a munmap or
    // mprotect of them makes the child's next write there fatal.
    uint32_t x = rng_below(r, 100);
    if (x < 12) return arena_at(st, rng_below(r, st->arena_len / PAGE + 1) * PAGE);
    if (x < 42) return 0x40000000u + rng_below(r, 256) * PAGE;
    if (x < 48) return 0;
    if (x < 56) return PICK(r, top);
    if (x < 70) return rng_u32(r) & ~(PAGE - 1);
    if (x < 82) return rng_u32(r);
    if (x < 95) return arena_at(st, rng_below(r, st->arena_len));
    // The child's own program, data or stack: the child may well die of it
    // (by a signal), which is one of the outcomes to see.
    uint32_t own[] = { (uint32_t)__executable_start, (uint32_t)etext & ~(PAGE - 1),
                       (uint32_t)edata & ~(PAGE - 1), (uint32_t)end & ~(PAGE - 1),
                       (uint32_t)&x & ~(PAGE - 1) };
    return PICK(r, own);
}

// A new break for brk: mostly near the current one. bunshin gives heap
// pages their frames at once, so a break far away makes brk take (and
// give back) all of memory, some 100 ms in QEMU: one draw in twenty.
static uint32_t gen_brk(struct fuzz_state *st)
{
    struct rng *r = &st->rng;
    uint32_t x = rng_below(r, 100);
    if (x < 30) return 0;                                    // where is it?
    if (x < 70) return st->brk0 + rng_below(r, 64 * PAGE);   // grow, shrink
    if (x < 80) return st->brk0 - rng_below(r, 4 * PAGE);    // below the start
    if (x < 95) return rng_percent(r, 50) ? KERNEL_BASE - rng_below(r, 2 * PAGE)
                                          : rng_u32(r) | KERNEL_BASE;
    return gen_addr(st);
}

// Clone flags: a few of the real bits, then the exit signal in the low byte.
static uint32_t gen_clone_flags(struct rng *r)
{
    static const uint32_t bits[] = {
        0x100, 0x200, 0x400, 0x800, 0x1000, 0x4000, 0x8000, 0x10000, 0x80000,
        0x100000, 0x200000, 0x1000000, 0x400000, 0x40000, 0x20000000, 0x2000,
    };
    if (rng_percent(r, 15))
        return rng_u32(r);
    uint32_t f = 0, n = rng_below(r, 5);
    for (uint32_t i = 0; i < n; i++)
        f |= PICK(r, bits);
    uint32_t x = rng_below(r, 100);
    return f | (x < 60 ? 17u : x < 75 ? 0u : rng_below(r, 65));
}

// A struct clone_args for clone3 (88 bytes: eleven 64-bit fields) in the
// arena, built with the same care as clone's arguments: clone's flag bits
// (now and then clone3's own CLONE_CLEAR_SIGHAND or CLONE_INTO_CGROUP),
// the exit signal in its own field, buffers for the pointers, a stack and
// size or none; or just any buffer. The child touches no memory anyway
// (fuzz_raw_fork).
static uint32_t gen_clone_args(struct fuzz_state *st)
{
    struct rng *r = &st->rng;
    if (rng_percent(r, 20))
        return gen_buf(st);
    uint32_t flags = gen_clone_flags(r);
    uint32_t w[22] = { 0 };
    w[0] = flags & ~0xffu;                             // flags (low half)
    w[1] = rng_percent(r, 10) ? 1u + rng_below(r, 2) : 0;   // CLEAR_SIGHAND, INTO_CGROUP
    w[2] = gen_buf(st);                                // pidfd
    w[4] = gen_buf(st);                                // child_tid
    w[6] = gen_buf(st);                                // parent_tid
    w[8] = rng_percent(r, 10) ? flags : flags & 0xffu; // exit_signal (sometimes bad)
    if (rng_percent(r, 50)) {
        w[10] = gen_buf(st);                           // stack
        w[12] = rng_percent(r, 80) ? 1 + rng_below(r, 8192) : gen_len(st);
    }
    w[14] = gen_buf(st);                               // tls
    if (rng_percent(r, 10)) {
        w[16] = gen_buf(st);                           // set_tid
        w[18] = rng_below(r, 3);                       // set_tid_size
    }
    w[20] = rng_below(r, 8);                           // cgroup
    uint32_t off = rng_below(r, st->arena_len - sizeof w) & ~7u;
    memcpy(st->arena + off, w, sizeof w);
    return arena_at(st, off);
}

// Any word: a mix of the other kinds (never a pid that can be signalled).
static uint32_t gen_word(struct fuzz_state *st)
{
    struct rng *r = &st->rng;
    static const uint32_t edges[] = { 0, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFF,
                                      0x10000, 0xC0000000, 0xFFFFFFFE };
    switch (rng_below(r, 8)) {
    case 7: return PICK(r, edges);
    case 0: return rng_below(r, 65);
    case 1: return rng_u32(r);
    case 2: return gen_fd(st);
    case 3: return gen_buf(st);
    case 4: return gen_len(st);
    case 5: return gen_path(st);
    default: return gen_flags(r);
    }
}

uint32_t fuzz_gen_buf(struct fuzz_state *st) { return gen_buf(st); }
uint32_t fuzz_gen_len(struct fuzz_state *st) { return gen_len(st); }

uint32_t fuzz_gen_kind(struct fuzz_state *st, char kind)
{
    struct rng *r = &st->rng;
    switch (kind) {
    case 'f': return gen_fd(st);
    case 'd': return rng_percent(r, 35) ? AT_FDCWD_WORD : gen_fd(st);
    case 'b': return gen_buf(st);
    case 'n': return gen_len(st);
    case 'p': return gen_path(st);
    case 'o': return gen_mode(r);
    case 'x': return gen_flags(r);
    case 'l': return gen_off(r);
    case 'k': return gen_kpid(st);
    case 'i': return gen_wpid(st);
    case 's': return gen_sig(r);
    case 'a': return gen_addr(st);
    case 'h': return gen_brk(st);
    case 'v': return gen_iovec(st);
    case 'V': return gen_argv(st);
    case 'c': return gen_clone_flags(r);
    case 'C': return gen_clone_args(st);
    case 't': return gen_timespec(st);
    case 'w': return gen_word(st);
    case 'S': return fuzz_gen_sockaddr(st, &st->last_sockaddr_len);
    case 'M': return fuzz_gen_msghdr(st);
    case 'm': return fuzz_gen_mmsghdr(st);
    case 'B': return fuzz_gen_sembuf(st);
    case 'I': return fuzz_gen_ipc_id(st);
    case 'Q': return fuzz_gen_mq_name(st);
    default:                      // '-': unused, mostly 0 (a shorter log)
        return rng_percent(r, 90) ? 0 : rng_u32(r);
    }
}

void fuzz_make_args(struct fuzz_state *st, uint32_t nr, uint32_t a[6])
{
    static const char generic[] = "fbnpxwl";
    const struct fuzz_call *c = fuzz_call_info(nr);
    st->paths_used = 0;
    st->nmade = 0;
    for (int i = 0; i < 6; i++) {
        char kind = c ? c->args[i] : generic[rng_below(&st->rng, sizeof generic - 1)];
        a[i] = fuzz_gen_kind(st, kind);
    }
    fuzz_fix_args(st, nr, a);
    // exit's status must not look like one of the child's own exit codes
    // (FUZZ_EXIT_*: 90 and up), or a random exit reads as a finding.
    if ((nr == 1 || nr == 252) && (a[0] & 0xFF) >= 90 && (a[0] & 0xFF) < 100)
        a[0] &= ~0x40u;
    if (nr == 435 && rng_percent(&st->rng, 80)) {     // clone3: mostly a version's size
        static const uint32_t sizes[] = { 64, 80, 88, 96, 63, 4097 };
        a[1] = PICK(&st->rng, sizes);
    }
    if (nr == FUZZ_NR_MOUNT) {
        a[3] &= ~(uint32_t)(0x1000 | 0x20 | 0x2000);   // MS_BIND, MS_REMOUNT, MS_MOVE
        // A made name could spell "proc" by chance: begin it with a
        // capital, which no file system's name has.
        char *type = (char *)a[2];
        if (type >= st->paths && type < st->paths + st->paths_len && *type)
            *type = 'X';
    }
    // Names that run up to the unmapped page share that page, so a later
    // one may have written over an earlier one: none may have become "..".
    for (uint32_t i = 0; i < st->nmade; i++) {
        char *s = st->made[i];
        if (s[0] == '.' && s + 1 < st->paths + st->paths_len && s[1] == '.' &&
            (s + 2 == st->paths + st->paths_len || s[2] == 0))
            s[1] = 'x';
    }
}

static int has_fd(struct fuzz_state *st, int fd)
{
    for (int i = 0; i < st->nfds; i++)
        if (st->fds[i] == fd)
            return 1;
    return 0;
}

static void add_fd(struct fuzz_state *st, long fd)
{
    if (fd < 0 || fd >= 256 || fd == FUZZ_LOG_FD || fd == FUZZ_PROGRESS_FD ||
        has_fd(st, (int)fd))
        return;
    if (st->nfds < FUZZ_MAX_FDS)
        st->fds[st->nfds++] = (int)fd;
    else
        st->fds[3 + rng_below(&st->rng, FUZZ_MAX_FDS - 3)] = (int)fd;   // keep 0, 1, 2
}

void fuzz_note_result(struct fuzz_state *st, uint32_t nr, const uint32_t a[6], long ret)
{
    if (ret < 0)
        return;
    switch (nr) {
    case 5: case 8: case 295: case 437: case 41: case 63: case 330: case 434:
    case 359: case 364: case 323: case 328: case 322: case 291: case 332: case 254:
    case 329: case 277: case 356: case 438: case 327: case 321:
        // open..., dup..., pidfd_open, socket, accept4, eventfd, timerfd,
        // inotify, epoll, mq_open, memfd_create, pidfd_getfd, signalfd
        add_fd(st, ret);
        break;
    case 102:                                     // socketcall: socket, accept
        if (a[0] == 1 || a[0] == 5 || a[0] == 18)
            add_fd(st, ret);
        break;
    case 393: case 395: case 399:                 // semget, shmget, msgget
        fuzz_note_ipc_id(st, ret);
        break;
    case 117:                                     // ipc: semget, msgget, shmget
        if (a[0] == 2 || a[0] == 13 || a[0] == 23)
            fuzz_note_ipc_id(st, ret);
        break;
    case 55: case 221:                            // fcntl: F_DUPFD, F_DUPFD_CLOEXEC
        if (a[1] == 0 || a[1] == 1030)
            add_fd(st, ret);
        break;
    case 42: case 331: case 360:                  // pipe, socketpair: fds in memory
        if (ret == 0 && a[nr == 360 ? 3 : 0] >= (uint32_t)st->arena &&
            a[nr == 360 ? 3 : 0] + 8 <= (uint32_t)st->arena + st->arena_len) {
            int p[2];
            memcpy(p, (void *)a[nr == 360 ? 3 : 0], sizeof p);
            add_fd(st, p[0]);
            add_fd(st, p[1]);
        }
        break;
    case 6:                                       // close
        for (int i = 0; i < st->nfds; i++)
            if (st->fds[i] == (int)a[0])
                st->fds[i] = st->fds[--st->nfds];
        break;
    case 2: case 190: case 120: case 435:
        if (ret > 0 && st->nkids < FUZZ_MAX_KIDS)
            st->kids[st->nkids++] = (int)ret;
        break;
    }
}
