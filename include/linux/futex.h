/* futex.h: futex operations, with Linux's values.
 * Linux: <linux/futex.h>
 *
 * The operation word is a command in the low bits plus two option bits. */
#ifndef FUTEX_H
#define FUTEX_H

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

#endif
