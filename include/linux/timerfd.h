/* timerfd.h: timerfd_create's and timerfd_settime's flags.
 * Linux: <linux/timerfd.h>
 */
#ifndef LINUX_TIMERFD_H
#define LINUX_TIMERFD_H

#include "linux/fcntl.h"

#define TFD_TIMER_ABSTIME       (1 << 0)   /* the value is a time on the clock */
#define TFD_TIMER_CANCEL_ON_SET (1 << 1)   /* (the clock being set cancels it) */
#define TFD_CLOEXEC             O_CLOEXEC
#define TFD_NONBLOCK            O_NONBLOCK

#endif
