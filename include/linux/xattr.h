/* xattr.h: setxattr's flags. Linux: <linux/xattr.h> */
#ifndef XATTR_H
#define XATTR_H

#define XATTR_CREATE  0x1      /* fail (EEXIST) if the attribute is there */
#define XATTR_REPLACE 0x2      /* fail (ENODATA) if it is not */

#endif
