/* utsname.h: what uname(2) fills in (Linux's struct new_utsname).
 * Linux: <linux/utsname.h> */
#ifndef UTSNAME_H
#define UTSNAME_H

#define __NEW_UTS_LEN 64

struct new_utsname {
    char sysname[__NEW_UTS_LEN + 1];
    char nodename[__NEW_UTS_LEN + 1];
    char release[__NEW_UTS_LEN + 1];
    char version[__NEW_UTS_LEN + 1];
    char machine[__NEW_UTS_LEN + 1];
    char domainname[__NEW_UTS_LEN + 1];
};
_Static_assert(sizeof(struct new_utsname) == 390, "struct new_utsname is 6 x 65 bytes");

#endif
