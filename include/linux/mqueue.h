/* mqueue.h: POSIX message queues' limits and attributes, as Linux's
 * <linux/mqueue.h> has them for i386 (a long is 32 bits).
 * Linux: <linux/mqueue.h>
 * Linux struct: mq_attr mq_flags mq_maxmsg mq_msgsize mq_curmsgs
 *
 * A queue holds up to mq_maxmsg messages of up to mq_msgsize bytes each,
 * each with a priority below MQ_PRIO_MAX; a receive takes the oldest
 * message of the highest priority.
 */
#ifndef LINUX_MQUEUE_H
#define LINUX_MQUEUE_H

#include "types.h"

#define MQ_PRIO_MAX  32768
#define MQ_BYTES_MAX 819200        /* RLIMIT_MSGQUEUE's default, bytes per user */

struct mq_attr {
    int32_t mq_flags;              /* O_NONBLOCK, of the open queue */
    int32_t mq_maxmsg;
    int32_t mq_msgsize;
    int32_t mq_curmsgs;            /* messages in the queue now */
    int32_t reserved[4];           /* ignored when read, zeroed when written */
};

_Static_assert(sizeof(struct mq_attr) == 32, "struct mq_attr is 32 bytes");

#endif
