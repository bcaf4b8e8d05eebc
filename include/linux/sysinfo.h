/* sysinfo.h: what sysinfo(2) fills in, laid out as on i386.
 * Linux: <linux/sysinfo.h>
 * Linux struct: sysinfo uptime loads totalram freeram sharedram bufferram totalswap freeswap procs totalhigh freehigh mem_unit
 */
#ifndef LINUX_SYSINFO_H
#define LINUX_SYSINFO_H

#include "types.h"

#define SI_LOAD_SHIFT 16          /* loads[] are fixed point with 16 bits of fraction */

struct sysinfo {
    int32_t uptime;               /* seconds since boot */
    uint32_t loads[3];            /* load averages over 1, 5 and 15 minutes */
    uint32_t totalram, freeram;   /* memory, in units of mem_unit bytes */
    uint32_t sharedram, bufferram;
    uint32_t totalswap, freeswap;
    uint16_t procs;               /* processes (threads) there are */
    uint16_t pad;
    uint32_t totalhigh, freehigh;
    uint32_t mem_unit;
    char _f[8];
};
_Static_assert(sizeof(struct sysinfo) == 64, "struct sysinfo is 64 bytes on i386");

#endif
