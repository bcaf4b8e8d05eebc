// fuzz_objs.c: arguments that name or describe the kernel's objects, so
// that calls on sockets, System V IPC and message queues get past their
// first checks and reach the code behind them:
//   S  a struct sockaddr_un (a name in the scratch directory, an abstract
//      name, a bad family or length), its length in the next argument
//   M  a struct msghdr: a name, an iovec array with now and then one bad
//      entry, and control messages (SCM_RIGHTS carrying random descriptors,
//      the socket itself among them; SCM_CREDENTIALS; bad lengths)
//   m  an array of struct mmsghdr (sendmmsg, recvmmsg)
//   I  a System V IPC id: one the child made (kept in fuzz_state), else
//      any word
//   Q  a POSIX message queue name: "fzq" and a letter, or a bad one
// and socketcall(2)'s array of arguments, made with the kinds of the call
// it stands for. The same rules hold as in fuzz_args.c: names never hold
// '/' (the scratch directory is the child's cwd).
#include <stdint.h>
#include <string.h>

#include "fuzz.h"

#define AF_UNIX_WORD 1u
#define SOL_SOCKET_WORD 1u
#define SCM_RIGHTS_WORD 1u
#define SCM_CREDENTIALS_WORD 2u

// A place for n bytes in the arena, 4-byte aligned.
static uint32_t arena_slot(struct fuzz_state *st, uint32_t n)
{
    uint32_t off = rng_below(&st->rng, st->arena_len - n) & ~3u;
    return (uint32_t)st->arena + off;
}

// Part of a struct sockaddr_un at p: its length (how many bytes count).
static uint32_t fill_sockaddr(struct fuzz_state *st, uint8_t *p)
{
    static const char *const socknames[] = { "sock", "sock2", "a", "f", "sub" };
    struct rng *r = &st->rng;
    uint32_t x = rng_below(r, 100);
    uint16_t family = x < 85 ? AF_UNIX_WORD : x < 90 ? 2 : x < 95 ? 0 : (uint16_t)rng_u32(r);
    memcpy(p, &family, 2);
    char *path = (char *)p + 2;
    uint32_t len;
    x = rng_below(r, 100);
    if (x < 60) {                                  // a name in the scratch directory
        const char *n = socknames[rng_below(r, sizeof socknames / sizeof socknames[0])];
        len = (uint32_t)strlen(n);
        memcpy(path, n, len + 1);
        len += 1;
    } else if (x < 80) {                           // an abstract name
        path[0] = 0;
        len = 1 + rng_below(r, 8);
        for (uint32_t i = 1; i < len; i++)
            path[i] = (char)('a' + rng_below(r, 3));
    } else if (x < 90) {                           // no NUL in all 108 bytes
        memset(path, 'q', 108);
        len = 108;
    } else {
        len = 0;                                   // unnamed (autobind)
    }
    return 2 + len;
}

uint32_t fuzz_gen_sockaddr(struct fuzz_state *st, uint32_t *len_out)
{
    struct rng *r = &st->rng;
    uint32_t x = rng_below(r, 100);
    if (x < 15) {
        *len_out = rng_percent(r, 50) ? 110 : fuzz_gen_len(st);
        return fuzz_gen_buf(st);
    }
    uint32_t at = arena_slot(st, 112);
    uint32_t len = fill_sockaddr(st, (uint8_t *)at);
    x = rng_below(r, 100);
    *len_out = x < 70 ? len : x < 80 ? 110 : x < 85 ? 111 : x < 90 ? 1 : fuzz_gen_len(st);
    if (rng_percent(r, 5))                         // straddles the unmapped page
        at = (uint32_t)st->arena + st->arena_len - 4 - rng_below(r, 8);
    return at;
}

// A descriptor to pass in SCM_RIGHTS: mostly the child's own (sockets
// included, so that a socket can carry itself), now and then a bad one.
static int32_t rights_fd(struct fuzz_state *st)
{
    struct rng *r = &st->rng;
    if (rng_percent(r, 85) && st->nfds > 0)
        return st->fds[rng_below(r, st->nfds)];
    static const int32_t bad[] = { -1, 255, 1024, 0x7FFFFFFF, (int32_t)0x80000000 };
    return bad[rng_below(r, sizeof bad / sizeof bad[0])];
}

// Control messages at p (room for `room` bytes): returns the length used.
static uint32_t fill_control(struct fuzz_state *st, uint8_t *p, uint32_t room)
{
    struct rng *r = &st->rng;
    uint32_t used = 0, n = 1 + rng_below(r, 3);
    for (uint32_t k = 0; k < n && used + 24 <= room; k++) {
        uint32_t h[3];
        uint32_t x = rng_below(r, 100);
        if (x < 65) {                               // SCM_RIGHTS, 1..8 descriptors
            uint32_t nfd = 1 + rng_below(r, 8);
            if (used + 12 + 4 * nfd > room)
                nfd = (room - used - 12) / 4;
            h[0] = 12 + 4 * nfd;
            h[1] = SOL_SOCKET_WORD;
            h[2] = SCM_RIGHTS_WORD;
            for (uint32_t i = 0; i < nfd; i++) {
                int32_t fd = rights_fd(st);
                memcpy(p + used + 12 + 4 * i, &fd, 4);
            }
        } else if (x < 85) {                        // SCM_CREDENTIALS: pid, uid, gid
            uint32_t cred[3] = { (uint32_t)st->pid, 0, 0 };
            if (rng_percent(r, 30))
                cred[rng_below(r, 3)] = rng_u32(r);
            h[0] = 24;
            h[1] = SOL_SOCKET_WORD;
            h[2] = SCM_CREDENTIALS_WORD;
            memcpy(p + used + 12, cred, sizeof cred);
        } else {                                    // any header
            h[0] = rng_percent(r, 50) ? rng_below(r, 40) : rng_u32(r);
            h[1] = rng_percent(r, 50) ? SOL_SOCKET_WORD : rng_u32(r);
            h[2] = rng_below(r, 5);
        }
        memcpy(p + used, h, sizeof h);
        uint32_t step = (h[0] + 3) & ~3u;
        if (step < 12 || step > room - used)
            return used + 12;
        used += step;
    }
    return used;
}

// Fill a struct msghdr (28 bytes) at m.
static void fill_msghdr(struct fuzz_state *st, uint32_t *m)
{
    struct rng *r = &st->rng;
    uint32_t x = rng_below(r, 100);
    if (x < 50) {
        m[0] = 0;
        m[1] = 0;
    } else {
        m[0] = fuzz_gen_sockaddr(st, &m[1]);
    }
    m[2] = fuzz_gen_kind(st, 'v');
    m[3] = rng_percent(r, 80) ? 1 + rng_below(r, 8) : fuzz_gen_len(st);
    x = rng_below(r, 100);
    if (x < 40) {
        m[4] = 0;
        m[5] = 0;
    } else if (x < 85) {
        uint32_t at = arena_slot(st, 128);
        m[4] = at;
        m[5] = fill_control(st, (uint8_t *)at, 128);
        if (rng_percent(r, 15))
            m[5] = rng_percent(r, 50) ? m[5] + rng_below(r, 16) : fuzz_gen_len(st);
    } else {
        m[4] = fuzz_gen_buf(st);
        m[5] = fuzz_gen_len(st);
    }
    m[6] = rng_percent(r, 80) ? 0 : rng_u32(r);
}

uint32_t fuzz_gen_msghdr(struct fuzz_state *st)
{
    if (rng_percent(&st->rng, 10))
        return fuzz_gen_buf(st);
    uint32_t at = arena_slot(st, 28), m[7];
    fill_msghdr(st, m);
    if (rng_percent(&st->rng, 5))                 // straddles the unmapped page
        at = (uint32_t)st->arena + st->arena_len - 16;
    memcpy((void *)at, m, rng_percent(&st->rng, 5) ? 16 : sizeof m);
    return at;
}

uint32_t fuzz_gen_mmsghdr(struct fuzz_state *st)
{
    struct rng *r = &st->rng;
    if (rng_percent(r, 10))
        return fuzz_gen_buf(st);
    uint32_t n = 1 + rng_below(r, 4), at = arena_slot(st, 32 * 4);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t m[8];
        fill_msghdr(st, m);
        m[7] = 0;                                 // msg_len
        memcpy((uint8_t *)at + 32 * i, m, sizeof m);
    }
    return at;
}

uint32_t fuzz_gen_ipc_id(struct fuzz_state *st)
{
    struct rng *r = &st->rng;
    if (st->nipc > 0 && rng_percent(r, 75))
        return (uint32_t)st->ipc[rng_below(r, st->nipc)];
    static const uint32_t odd[] = { 0, 1, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 32768 };
    return rng_percent(r, 50) ? odd[rng_below(r, sizeof odd / sizeof odd[0])] : rng_u32(r);
}

void fuzz_note_ipc_id(struct fuzz_state *st, long id)
{
    if (id < 0)
        return;
    for (int i = 0; i < st->nipc; i++)
        if (st->ipc[i] == (int)id)
            return;
    if (st->nipc < FUZZ_MAX_IPC)
        st->ipc[st->nipc++] = (int)id;
    else
        st->ipc[rng_below(&st->rng, FUZZ_MAX_IPC)] = (int)id;
}

uint32_t fuzz_gen_mq_name(struct fuzz_state *st)
{
    // The system call takes the name without the C library's leading '/'.
    static const char *const qnames[] = { "fzqa", "fzqb", "fzqc", "/fzqa", "", "..",
                                          "fzq/x" };
    struct rng *r = &st->rng;
    if (rng_percent(r, 85))
        return (uint32_t)qnames[rng_below(r, rng_percent(r, 80) ? 3 : 7)];
    return fuzz_gen_buf(st);
}

// After the kinds are drawn: the length that goes with an 'S' (the next
// argument, if it is an 'n') is the one made for that address.
static void fix_sockaddr_len(struct fuzz_state *st, const char *kinds, uint32_t *a)
{
    for (int i = 0; i < 5; i++)
        if (kinds[i] == 'S' && kinds[i + 1] == 'n' && rng_percent(&st->rng, 85))
            a[i + 1] = st->last_sockaddr_len;
}

// Mostly AF_UNIX and its types, SOL_SOCKET options, shutdown's three ways.
static void fix_socket_args(struct fuzz_state *st, uint32_t nr, uint32_t *a)
{
    struct rng *r = &st->rng;
    if (!rng_percent(r, 80))
        return;
    static const uint32_t types[] = { 1, 2, 5, 1 | 0x800, 2 | 0x80000, 5 | 0x800 | 0x80000, 3 };
    switch (nr) {
    case 359: case 360:                             // socket, socketpair
        a[0] = AF_UNIX_WORD;
        a[1] = types[rng_below(r, sizeof types / sizeof types[0])];
        a[2] = rng_percent(r, 90) ? 0 : rng_below(r, 3);
        break;
    case 365: case 366:                             // getsockopt, setsockopt
        a[1] = SOL_SOCKET_WORD;
        a[2] = rng_below(r, 60);
        break;
    case 373:                                       // shutdown
        a[1] = rng_below(r, 4);
        break;
    }
}

// socketcall(call, args): the number of a socket call and, in the arena,
// the arguments it takes, made with the kinds of the direct call.
static void fuzz_socketcall_args(struct fuzz_state *st, uint32_t a[6])
{
    // socketcall's numbers 1..20 and the direct calls they stand for.
    static const uint16_t direct[21] = { 0, 359, 361, 362, 363, 364 /* accept */, 367, 368,
                                         360, 369 /* send */, 371 /* recv */, 369, 371,
                                         373, 366, 365, 370, 372, 364, 337, 345 };
    struct rng *r = &st->rng;
    if (rng_percent(r, 10))
        return;                                     // the kinds of the table: any
    uint32_t call = 1 + rng_below(r, 20);
    const struct fuzz_call *c = fuzz_call_info(direct[call]);
    uint32_t w[6];
    for (int i = 0; i < 6; i++)
        w[i] = c ? fuzz_gen_kind(st, c->args[i]) : rng_u32(r);
    if (c)
        fix_sockaddr_len(st, c->args, w);
    fix_socket_args(st, direct[call], w);
    uint32_t at = arena_slot(st, sizeof w);
    memcpy((void *)at, w, sizeof w);
    a[0] = rng_percent(r, 95) ? call : rng_u32(r);
    a[1] = rng_percent(r, 95) ? at : fuzz_gen_buf(st);
}

// An array of struct sembuf (num, op, flags: three shorts) for semop and
// semtimedop: small semaphore numbers, small operations, IPC_NOWAIT and
// SEM_UNDO now and then. The count goes in the next argument.
uint32_t fuzz_gen_sembuf(struct fuzz_state *st)
{
    struct rng *r = &st->rng;
    if (rng_percent(r, 10))
        return fuzz_gen_buf(st);
    uint32_t n = 1 + rng_below(r, 4), at = arena_slot(st, 6 * 4 + 4);
    for (uint32_t i = 0; i < n; i++) {
        int16_t op[3];
        op[0] = (int16_t)(rng_percent(r, 90) ? rng_below(r, 4) : rng_u32(r));
        op[1] = (int16_t)((int)rng_below(r, 5) - 2);
        uint32_t x = rng_below(r, 4);
        op[2] = (int16_t)(x == 0 ? 0 : x == 1 ? 04000 : x == 2 ? 0x1000 : 04000 | 0x1000);
        memcpy((uint8_t *)at + 6 * i, op, sizeof op);
    }
    st->last_sembuf_count = n;
    return at;
}

// The futex word of a PI operation: 0 (free), the caller's own tid, a
// child's, or one no task has, so that lock, unlock and requeue take
// their real paths.
static void fix_futex(struct fuzz_state *st, uint32_t *a)
{
    struct rng *r = &st->rng;
    if (rng_percent(r, 50))
        a[1] = rng_below(r, 14) | (rng_percent(r, 50) ? 128u : 0);   // FUTEX_PRIVATE_FLAG
    uint32_t uaddr = a[0];
    if (uaddr < (uint32_t)st->arena || uaddr + 4 > (uint32_t)st->arena + st->arena_len ||
        (uaddr & 3) || !rng_percent(r, 70))
        return;
    uint32_t x = rng_below(r, 5), v;
    if (x == 0) v = 0;
    else if (x == 1) v = st->tid ? st->tid : (uint32_t)st->pid;
    else if (x == 2 && st->nkids) v = (uint32_t)st->kids[rng_below(r, st->nkids)];
    else if (x == 3) v = 0x7FFFFFFF;
    else v = (uint32_t)st->pid | 0x80000000u;      // FUTEX_WAITERS
    memcpy((void *)uaddr, &v, 4);
}

// struct open_how (flags, mode, resolve: three 64-bit fields) and its size.
static void fix_openat2(struct fuzz_state *st, uint32_t *a)
{
    struct rng *r = &st->rng;
    if (!rng_percent(r, 75))
        return;
    uint32_t how[8] = { fuzz_gen_kind(st, 'x'), 0, fuzz_gen_kind(st, 'o'), 0,
                        rng_percent(r, 60) ? 0 : rng_below(r, 64), 0, 0, 0 };
    if (rng_percent(r, 10))
        how[1 + 2 * rng_below(r, 3)] = rng_u32(r);  // a high half set
    uint32_t at = arena_slot(st, sizeof how);
    memcpy((void *)at, how, sizeof how);
    static const uint32_t sizes[] = { 24, 24, 24, 16, 32, 0, 4096 };
    a[2] = at;
    a[3] = sizes[rng_below(r, sizeof sizes / sizeof sizes[0])];
}

// The ipc(2) multiplexer: one of its calls, on an id the child made.
static void fix_ipc(struct fuzz_state *st, uint32_t *a)
{
    static const uint32_t calls[] = { 1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24 };
    struct rng *r = &st->rng;
    if (!rng_percent(r, 85))
        return;
    a[0] = calls[rng_below(r, sizeof calls / sizeof calls[0])];
    if (a[0] != 2 && a[0] != 13 && a[0] != 23)     // not a *get: an id
        a[1] = fuzz_gen_ipc_id(st);
    if (a[0] == 1 || a[0] == 4) {                   // semop, semtimedop
        a[4] = fuzz_gen_sembuf(st);
        a[2] = st->last_sembuf_count;
    }
}

void fuzz_fix_args(struct fuzz_state *st, uint32_t nr, uint32_t a[6])
{
    const struct fuzz_call *c = fuzz_call_info(nr);
    if (c) {
        fix_sockaddr_len(st, c->args, a);
        for (int i = 0; i < 5; i++)
            if (c->args[i] == 'B' && c->args[i + 1] == 'n' && rng_percent(&st->rng, 85))
                a[i + 1] = st->last_sembuf_count;
    }
    switch (nr) {
    case 102: fuzz_socketcall_args(st, a); break;
    case 117: fix_ipc(st, a); break;
    case 240: case 422: fix_futex(st, a); break;
    case 437: fix_openat2(st, a); break;
    case 255:                                       // epoll_ctl: ADD, DEL, MOD
        if (rng_percent(&st->rng, 80))
            a[1] = 1 + rng_below(&st->rng, 3);
        break;
    case 349:                                       // kcmp: a type, two descriptors
        if (rng_percent(&st->rng, 80))
            a[2] = rng_below(&st->rng, 9);
        break;
    default:
        fix_socket_args(st, nr, a);
    }
}
