/* timex.h: adjtimex and clock_adjtime: the 32-bit struct timex of i386
 * (Linux's old_timex32: 128 bytes) and the values bunshin reads back.
 * Linux: <linux/timex.h> */
#ifndef TIMEX_H
#define TIMEX_H

#include "types.h"

#define ADJ_OFFSET_SS_READ    0xa001   /* only reads, as modes 0 */
#define STA_UNSYNC            0x0040   /* the clock is not synchronized */
#define STA_NANO              0x2000   /* time.tv_usec holds nanoseconds */
#define TIME_OK               0
#define TIME_ERROR            5

struct timex32 {
    uint32_t modes;
    int32_t offset, freq, maxerror, esterror;
    int32_t status;
    int32_t constant, precision, tolerance;
    int32_t time_sec, time_usec;   /* struct old_timeval32 */
    int32_t tick;
    int32_t ppsfreq, jitter, shift, stabil, jitcnt, calcnt, errcnt, stbcnt;
    int32_t tai;
    int32_t padding[11];
};
_Static_assert(sizeof(struct timex32) == 128, "i386's struct timex is 128 bytes");

#endif
