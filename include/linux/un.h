/* un.h: the address of a Unix-domain socket, as Linux has it.
 * Linux: <linux/un.h>
 * Linux struct: sockaddr_un sun_family sun_path
 *
 * sun_path is either a path in the file system (NUL-terminated if it is
 * shorter than the array), or, when its first byte is 0, a name in Linux's
 * abstract namespace: the bytes after the 0, as many as the address's
 * length says, with no file behind them. */
#ifndef LINUX_UN_H
#define LINUX_UN_H

#include "types.h"

#define UNIX_PATH_MAX 108

struct sockaddr_un {
    uint16_t sun_family;         /* AF_UNIX */
    char sun_path[UNIX_PATH_MAX];
};

#endif
