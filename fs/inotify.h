/* inotify.h: telling inotify what happened to an inode (fs/inotify.c).
 *
 * The VFS calls fsnotify() at the few places where it changes something
 * (fs/dir.c, fs/inode.c, fs/file.c, fs/sys_*.c); inotify queues an event
 * for every watch that asked for it. With no watch anywhere a call costs a
 * test of one pointer. fs/sys_inotify.c decodes the system calls.
 */
#ifndef FS_INOTIFY_H
#define FS_INOTIFY_H

#include "types.h"
#include "fs/file.h"
#include "linux/inotify.h"

/* Something happened (mask: one IN_* event) to ip, or, when name is not
 * NULL, to the entry called name in directory ip (the caller adds IN_ISDIR
 * for a directory entry; it is added here for the events a directory
 * reports on itself, such as IN_OPEN, but not IN_*_SELF). An event on ip itself also goes, with ip's name, to the
 * watches of the directories that name it (for the events Linux reports on
 * children: access, modify, attrib, open, close). cookie: IN_MOVED_*'s. */
void fsnotify(struct inode *ip, uint32_t mask, const char *name, uint32_t cookie);
/* ip's link count changed (link, unlink, a rename that replaced it):
 * IN_ATTRIB to ip's own watches only, as Linux reports it. */
void fsnotify_link_count(struct inode *ip);
/* A new cookie to link one rename's IN_MOVED_FROM and IN_MOVED_TO. */
uint32_t fsnotify_cookie(void);
/* The inode is going (inode_put): its watches report IN_DELETE_SELF and
 * IN_IGNORED, and go. */
void fsnotify_inode_gone(struct inode *ip);

/* A new inotify instance as an open file (O_RDONLY | flags' O_NONBLOCK):
 * 0, -EMFILE (max_user_instances), -ENOMEM. */
int inotify_create(uint32_t flags, struct file **out);
/* Is f an inotify instance? */
bool file_is_inotify(struct file *f);
/* Watch ip (a reference held by the caller) for the events of mask (with
 * IN_MASK_ADD, IN_MASK_CREATE, IN_ONESHOT, IN_EXCL_UNLINK): the watch
 * descriptor, the same one for the same inode. -EEXIST, -ENOSPC, -ENOMEM. */
int inotify_watch(struct file *in, struct inode *ip, uint32_t mask);
/* Remove watch wd (IN_IGNORED is queued): 0 or -EINVAL. */
int inotify_unwatch(struct file *in, int wd);

/* The limits /proc/sys/fs/inotify shows (Linux's defaults). */
#define INOTIFY_MAX_USER_INSTANCES 128
#define INOTIFY_MAX_USER_WATCHES   8192
#define INOTIFY_MAX_QUEUED_EVENTS  16384

#endif
