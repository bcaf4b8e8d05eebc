/* mount.h: the flags of mount(2) and umount2(2).
 * Linux: <linux/mount.h>
 * (umount2's MNT_* flags are in no uapi header of Linux, only in the C
 * library's <sys/mount.h>: the lines marked bunshin: are not compared.)
 */
#ifndef LINUX_MOUNT_H
#define LINUX_MOUNT_H

#define MS_RDONLY      1           /* writes refused (EROFS) */
#define MS_NOSUID      2           /* set-user-ID bits ignored */
#define MS_NODEV       4           /* device files cannot be opened */
#define MS_NOEXEC      8           /* programs cannot be run (EACCES) */
#define MS_REMOUNT     32          /* change the flags of a mount */
#define MS_NOATIME     1024
#define MS_NODIRATIME  2048
#define MS_BIND        4096        /* show a tree at a second place */
#define MS_MOVE        8192
#define MS_REC         16384
#define MS_SILENT      32768
#define MS_RELATIME    (1 << 21)
#define MS_STRICTATIME (1 << 24)
#define MS_MGC_VAL     0xC0ED0000  /* an old magic in the top half of flags */
#define MS_MGC_MSK     0xffff0000

#define MNT_FORCE       1          /* bunshin: umount2: even if busy (Linux: only NFS...) */
#define MNT_DETACH      2          /* bunshin: umount2: take it out of the tree now */
#define MNT_EXPIRE      4          /* bunshin: umount2: mark for expiry */
#define UMOUNT_NOFOLLOW 8          /* bunshin: umount2: a final symbolic link is not followed */

#endif
