/* futex.h: futex operations, with Linux's values.
 * Linux: <linux/futex.h>
 * Linux struct: robust_list_head list futex_offset list_op_pending
 *
 * The operation word is a command in the low bits plus two option bits. */
#ifndef FUTEX_H
#define FUTEX_H

#include "types.h"

#define FUTEX_WAIT            0    /* sleep if *uaddr == val */
#define FUTEX_WAKE            1    /* wake up to val sleepers */
#define FUTEX_FD              2    /* removed from Linux in 2.6.26 */
#define FUTEX_REQUEUE         3
#define FUTEX_CMP_REQUEUE     4
#define FUTEX_WAKE_OP         5
#define FUTEX_LOCK_PI         6
#define FUTEX_UNLOCK_PI       7
#define FUTEX_TRYLOCK_PI      8
#define FUTEX_WAIT_BITSET     9
#define FUTEX_WAKE_BITSET     10
#define FUTEX_WAIT_REQUEUE_PI 11
#define FUTEX_CMP_REQUEUE_PI  12
#define FUTEX_LOCK_PI2        13

#define FUTEX_PRIVATE_FLAG    128  /* the word is not shared with other processes */
#define FUTEX_CLOCK_REALTIME  256  /* WAIT_BITSET's deadline is on CLOCK_REALTIME */
#define FUTEX_CMD_MASK        (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

#define FUTEX_BITSET_MATCH_ANY 0xFFFFFFFFu   /* plain WAIT and WAKE: every bit */

/* A robust mutex's word: the owner's thread id in the low bits, and two
 * flags the kernel sets when the owner dies holding it. */
#define FUTEX_WAITERS    0x80000000u   /* someone sleeps on it: wake one */
#define FUTEX_OWNER_DIED 0x40000000u   /* the owner ended without unlocking */
#define FUTEX_TID_MASK   0x3fffffffu

/* The list of robust mutexes a thread holds (set_robust_list): a ring of
 * user addresses, each the "next" member inside a mutex, through which the
 * kernel finds the lock word at futex_offset from it. list_op_pending is a
 * lock being taken or given back at this moment. The low bit of an
 * address marks a priority-inheritance mutex. At most ROBUST_LIST_LIMIT
 * entries are looked at, so that a ring gone round in circles ends. */
struct robust_list {
    uint32_t next;
};
struct robust_list_head {
    struct robust_list list;
    int32_t futex_offset;
    uint32_t list_op_pending;
};
#define ROBUST_LIST_LIMIT 2048

#endif
