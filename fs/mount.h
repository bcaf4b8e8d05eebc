/* mount.h: the mount table (fs/mount.c), and the system calls that change
 * it and the process's root: mount, umount, umount2, chroot, pivot_root
 * (fs/sys_mount.c, fs/sys_mount.h).
 *
 * / with /proc and /dev is bunshin's fixed tree (made at boot, never
 * unmounted: fs.h's FS_DEV_*). mount(2) adds to it: a mount covers a
 * directory (or a file) with the root of a file system, which the path
 * walker (fs/namei.c) enters when it steps onto the covered inode.
 * A tmpfs is a tree of its own (a new in-memory root, with a device number
 * of its own, which its files inherit); proc, devtmpfs and bind mounts show
 * a tree that is also elsewhere. Mounts are keyed by inode, not (as in
 * Linux) by a (mount, directory) pair: so ".." at the top of a tmpfs goes
 * to the covered directory's parent, while ".." at the top of a bind, proc
 * or devtmpfs mount goes to the shown tree's own parent.
 */
#ifndef MOUNT_H
#define MOUNT_H

#include "fs/fs.h"

/* ---- fs/mount.c: the table, as the path walker and others see it ---- */
/* ip (a reference the caller gives up) or, if a mount covers it, the root
 * of the topmost mount there (a new reference). */
struct inode *mount_cross(struct inode *ip);
/* ip (a reference the caller gives up) or, if it is the root of a tmpfs
 * mount, the directory that mount covers (a new reference), repeated. */
struct inode *mount_up(struct inode *ip);
/* Does a mount cover ip (rmdir and rename answer EBUSY)? */
bool mount_is_covered(const struct inode *ip);
/* Is ip on a tmpfs mounted with MS_NOEXEC (execve answers EACCES)? */
bool mount_noexec(const struct inode *ip);
/* Is ip on a tmpfs mounted (or remounted) MS_RDONLY? (inode_permission
 * then refuses writing with EROFS.) */
bool mount_readonly(const struct inode *ip);
/* Is ip on a tmpfs mounted with MS_NOSUID (execve ignores set-user-ID)? */
bool mount_nosuid(const struct inode *ip);
/* The size= of the tmpfs of device number dev, in pages (0: none given). */
uint32_t mount_size_pages(uint32_t dev);
/* The pages the files of the tmpfs of device number dev hold (statfs). */
uint32_t mount_used_pages(uint32_t dev);
/* statfs's f_type for a file system of device number dev made by mount
 * (TMPFS_MAGIC or RAMFS_MAGIC), or 0 for the fixed tree's. */
uint32_t mount_magic(uint32_t dev);
/* Is ip on the root's own file system (not /proc, /dev or a mount)? */
bool mount_on_root_fs(const struct inode *ip);
/* The lines of /proc/mounts (info false) or /proc/<pid>/mountinfo (true)
 * after the fixed tree's, as procfs_put writes. */
void mount_list(char *buf, uint32_t size, uint32_t *n, bool info);

/* Mount a file system of type (tmpfs, ramfs, proc, devtmpfs), or with
 * MS_BIND the tree at source, on target; MS_REMOUNT changes a mount's
 * flags. data: tmpfs's options ("mode=755,size=1m") or NULL. 0, -EPERM,
 * -ENOENT, -ENOTDIR, -ENODEV (unknown type), -EINVAL, -ENOMEM, -ENOSPC
 * (the table is full). */
int do_mount(const char *source, const char *target, const char *type, uint32_t flags,
             const char *data);
/* Unmount what is mounted on target (MNT_* flags). -EINVAL (not a mount
 * point), -EBUSY (a process's current directory, root or open file inside,
 * or a mount on it; not with MNT_DETACH), -EPERM, -ENOENT. */
int do_umount(const char *target, uint32_t flags);

#endif
