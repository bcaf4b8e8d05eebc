/* inotify.h: inotify's event bits, flags and event record, as Linux's
 * <linux/inotify.h> has them.
 * Linux: <linux/inotify.h>
 * Linux struct: inotify_event wd mask cookie len name
 *
 * A program watches files and directories by path (inotify_add_watch) and
 * reads what happened to them from an inotify descriptor: one struct
 * inotify_event per event, followed by len bytes holding the name of the
 * entry concerned in a watched directory (NUL-padded), or none.
 */
#ifndef LINUX_INOTIFY_H
#define LINUX_INOTIFY_H

#include "types.h"

/* Events, in a watch's mask and in a read event. */
#define IN_ACCESS        0x00000001   /* read */
#define IN_MODIFY        0x00000002   /* written, truncated */
#define IN_ATTRIB        0x00000004   /* mode, owner, times, link count */
#define IN_CLOSE_WRITE   0x00000008   /* closed, having been open for writing */
#define IN_CLOSE_NOWRITE 0x00000010   /* closed, having been open read-only */
#define IN_OPEN          0x00000020
#define IN_MOVED_FROM    0x00000040   /* an entry renamed away from the directory */
#define IN_MOVED_TO      0x00000080   /* an entry renamed into it */
#define IN_CREATE        0x00000100   /* an entry made in it */
#define IN_DELETE        0x00000200   /* an entry removed from it */
#define IN_DELETE_SELF   0x00000400   /* the watched inode itself went */
#define IN_MOVE_SELF     0x00000800   /* the watched inode itself was renamed */
#define IN_ALL_EVENTS    0x00000fff

/* Sent whether asked for or not. */
#define IN_UNMOUNT       0x00002000
#define IN_Q_OVERFLOW    0x00004000   /* events were lost (wd -1) */
#define IN_IGNORED       0x00008000   /* the watch is gone */

/* inotify_add_watch's flags, and IN_ISDIR in events. */
#define IN_ONLYDIR       0x01000000   /* fail (ENOTDIR) unless a directory */
#define IN_DONT_FOLLOW   0x02000000   /* a final symbolic link is watched itself */
#define IN_EXCL_UNLINK   0x04000000   /* no events for unlinked children */
#define IN_MASK_CREATE   0x10000000   /* EEXIST if the inode is watched already */
#define IN_MASK_ADD      0x20000000   /* add to the mask instead of replacing it */
#define IN_ISDIR         0x40000000   /* the event is about a directory */
#define IN_ONESHOT       0x80000000   /* one event, then the watch goes */

/* inotify_init1's flags: O_CLOEXEC's and O_NONBLOCK's values. */
#define IN_CLOEXEC       02000000
#define IN_NONBLOCK      04000

/* The record read gives; name[len] follows it. */
struct inotify_event {
    int32_t wd;
    uint32_t mask;
    uint32_t cookie;               /* links IN_MOVED_FROM with its IN_MOVED_TO */
    uint32_t len;                  /* bytes of name, with NUL padding */
    char name[];
};

_Static_assert(sizeof(struct inotify_event) == 16, "struct inotify_event is 16 bytes");

#endif
