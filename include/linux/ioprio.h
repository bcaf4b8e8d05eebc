/* ioprio.h: I/O priorities (ioprio_get, ioprio_set), with Linux's values.
 * The classes and the IOPRIO_WHO_ values are enum constants in Linux's
 * header, which tests/static/abi.sh cannot see: their lines say "bunshin:"
 * (not compared), and t_nice checks them on Linux.
 * Linux: <linux/ioprio.h> */
#ifndef LINUX_IOPRIO_H
#define LINUX_IOPRIO_H

/* A priority is a class (the top bits) and a level in it (0 is first). */
#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_CLASS_MASK  0x07
#define IOPRIO_CLASS_NONE  0     /* bunshin: an enum there. None set */
#define IOPRIO_CLASS_RT    1     /* bunshin: an enum there. Real time: privileged */
#define IOPRIO_CLASS_BE    2     /* bunshin: an enum there. Best effort, levels 0..7 */
#define IOPRIO_CLASS_IDLE  3     /* bunshin: an enum there. When the disk is idle */
#define IOPRIO_NR_LEVELS   8
#define IOPRIO_NORM        4     /* the best-effort level of "none" */

/* Whom "who" names. */
#define IOPRIO_WHO_PROCESS 1     /* bunshin: an enum there */
#define IOPRIO_WHO_PGRP    2     /* bunshin: an enum there */
#define IOPRIO_WHO_USER    3     /* bunshin: an enum there */

#endif
