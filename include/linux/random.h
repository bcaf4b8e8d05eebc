/* random.h: getrandom's flags, as Linux's <linux/random.h> has them.
 * Linux: <linux/random.h>
 */
#ifndef LINUX_RANDOM_H
#define LINUX_RANDOM_H

#define GRND_NONBLOCK 0x0001      /* fail with EAGAIN rather than wait for entropy */
#define GRND_RANDOM   0x0002      /* the old /dev/random pool */
#define GRND_INSECURE 0x0004      /* never wait, even before the pool is ready */

#endif
