/* membarrier.h: membarrier(2)'s commands, each one bit. They are enum
 * constants in Linux's header, which the ABI check cannot see: t_sched
 * checks the values against Linux instead.
 * Linux: <linux/membarrier.h> */
#ifndef MEMBARRIER_H
#define MEMBARRIER_H   /* bunshin: an enum there */

#define MEMBARRIER_CMD_QUERY                                0   /* bunshin: an enum there */
#define MEMBARRIER_CMD_GLOBAL                               (1 << 0)   /* bunshin: an enum there */
#define MEMBARRIER_CMD_GLOBAL_EXPEDITED                     (1 << 1)   /* bunshin: an enum there */
#define MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED            (1 << 2)   /* bunshin: an enum there */
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED                    (1 << 3)   /* bunshin: an enum there */
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED           (1 << 4)   /* bunshin: an enum there */
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE          (1 << 5)   /* bunshin: an enum there */
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE (1 << 6)   /* bunshin: an enum there */
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ               (1 << 7)   /* bunshin: an enum there */
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ      (1 << 8)   /* bunshin: an enum there */
#define MEMBARRIER_CMD_GET_REGISTRATIONS                    (1 << 9)   /* bunshin: an enum there */
#define MEMBARRIER_CMD_FLAG_CPU                             (1 << 0)   /* bunshin: an enum there */

#endif
