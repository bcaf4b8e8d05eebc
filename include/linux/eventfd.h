/* eventfd.h: eventfd2's flags.
 * Linux: <sys/eventfd.h>
 */
#ifndef LINUX_EVENTFD_H
#define LINUX_EVENTFD_H

#include "linux/fcntl.h"

#define EFD_SEMAPHORE 1                /* a read takes 1, not the whole count */
#define EFD_CLOEXEC   O_CLOEXEC
#define EFD_NONBLOCK  O_NONBLOCK

#endif
