/* capability.h: capget and capset's header and data, and their versions.
 * Linux: <linux/capability.h>
 * Linux struct: __user_cap_header_struct version pid
 * Linux struct: __user_cap_data_struct effective permitted inheritable
 */
#ifndef CAPABILITY_H
#define CAPABILITY_H

#include "types.h"

#define _LINUX_CAPABILITY_VERSION_1 0x19980330   /* one 32-bit word per set */
#define _LINUX_CAPABILITY_VERSION_2 0x20071026   /* two words (deprecated) */
#define _LINUX_CAPABILITY_VERSION_3 0x20080522   /* two words */
#define CAP_LAST_CAP                40           /* CAP_CHECKPOINT_RESTORE */

struct __user_cap_header_struct {
    uint32_t version;
    int32_t pid;
};

struct __user_cap_data_struct {
    uint32_t effective;
    uint32_t permitted;
    uint32_t inheritable;
};

#endif
