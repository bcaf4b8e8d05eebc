/* utsname.h: what uname(2) fills in (Linux's struct new_utsname), and the
 * two older layouts of olduname (109) and oldolduname (59).
 * Linux: <linux/utsname.h> */
#ifndef UTSNAME_H
#define UTSNAME_H

#define __OLD_UTS_LEN 8
#define __NEW_UTS_LEN 64

/* oldolduname's: five fields of 9 bytes (8 characters and a NUL). */
struct oldold_utsname {
    char sysname[9];
    char nodename[9];
    char release[9];
    char version[9];
    char machine[9];
};

/* olduname's: new_utsname without the domain name. */
struct old_utsname {
    char sysname[65];
    char nodename[65];
    char release[65];
    char version[65];
    char machine[65];
};

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
