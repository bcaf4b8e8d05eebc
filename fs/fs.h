/* fs.h: inodes, what each kind of inode does, and path lookup.
 *
 * bunshin keeps its files in memory (like Linux's ramfs): the initrd is
 * unpacked into it at boot, and programs may create files in it. Beside those
 * in-memory files, directories and symbolic links there are pipes, devices
 * and /proc. Every inode, of whatever kind, has the fields of struct inode
 * below; what a kind does differently is behind pointers, as in Linux and
 * Fiwix: ops and fops, the kind's tables of functions, and priv, its own
 * data, which only the kind's own file looks into. So a new kind of file is
 * a new .c file with its tables and its private struct, not new fields here
 * (docs/files.md lists the kinds and their files).
 *
 * Directory entries name inodes; an inode lives while a directory entry
 * names it (nlink > 0) or while the kernel holds a reference to it (refs > 0:
 * an open file, a current directory, a lookup in progress).
 */
#ifndef FS_H
#define FS_H

#include "types.h"
#include "linux/dirent.h"
#include "linux/limits.h"
#include "linux/stat.h"

struct file;
struct inode;

/* The file systems, as stat's st_dev tells them apart. Linux mounts /proc
 * and /dev as file systems of their own; bunshin's are kinds of inode in
 * one tree, but keep Linux's rules for crossing between them: a name cannot
 * be moved or linked from one to another (EXDEV), and the directory where
 * one starts, a mount point on Linux, cannot be removed or renamed (EBUSY). */
#define FS_DEV_ROOT 1              /* the in-memory file system, from the initrd */
#define FS_DEV_PROC 3              /* /proc */
#define FS_DEV_DEV  5              /* /dev (Linux's devtmpfs) */

/* Two tables, as Linux keeps them apart (inode_operations, file_operations):
 * inode_ops say what the kind is as a thing with a name and contents (find a
 * name in it, read its stored bytes at an offset, say where it links to),
 * and file_ops say what read(2), write(2) and ioctl(2) do on an open file of
 * it. They differ because an open file need not be about stored bytes: a
 * device's file_ops are its driver's (drivers/tty.c), shared by every name of
 * the device, and a pipe's read waits for a writer. execve reads a program
 * through inode_ops, without opening it. */

/* What read, write, ioctl and poll do on an open file of a device, a pipe
 * or a /proc file. An inode with no file_ops (in-memory files, directories)
 * is read and written at the open file's offset through its inode_ops. buf
 * is a user address when user is true, a kernel pointer otherwise. */
struct file_ops {
    long (*read)(struct file *f, void *buf, uint32_t n, bool user);
    long (*write)(struct file *f, const void *buf, uint32_t n, bool user);
    long (*ioctl)(struct file *f, uint32_t cmd, vaddr_t arg);
    int (*open)(struct file *f);          /* may be NULL */
    void (*release)(struct file *f);      /* last close; may be NULL */
    /* A reference went and others are left (a descriptor closed, not the
     * last); may be NULL. Sockets look for cycles then (fs/unix_gc.c). */
    void (*dropped)(struct file *f);
    /* The length of what this open file reads, where SEEK_END is (a /proc
     * file's snapshot). NULL: a stream with no position (a device, a pipe),
     * where lseek fails with ESPIPE. */
    uint64_t (*size)(struct file *f);
    /* What a read or write would do now, without waiting: POLLIN, POLLOUT,
     * POLLHUP... (linux/poll.h), for poll and select (fs/poll.c). A kind
     * whose state can change calls poll_wake() when it does, so that
     * waiting pollers look again. NULL: always ready (POLLIN | POLLOUT), as
     * for a file with no file_ops at all. */
    uint32_t (*poll)(struct file *f);
};

struct dir_entry {                 /* one name, as readdir gives it */
    char name[NAME_MAX + 1];
    uint32_t ino;
    uint8_t type;                  /* DT_REG, DT_DIR... (getdents64's d_type) */
};

/* What a kind of inode does. A NULL function is something the kind does not
 * do; the generic code (fs/inode.c, fs/dir.c) then answers with the error
 * POSIX gives. Callers hold a reference to every inode they pass. */
struct inode_ops {
    /* Directories. lookup: the inode called name (a new reference) or NULL;
     * it answers ".." as well (fs/dir.c answers "."). readdir: entry number
     * index, not counting "." and "..": 1, or 0 when there is none. */
    struct inode *(*lookup)(struct inode *dp, const char *name);
    int (*readdir)(struct inode *dp, uint32_t index, struct dir_entry *out);
    /* Directories that hold names made by programs: make a regular file or
     * a directory (by mode), or a symbolic link, called name; *out gets it
     * with a reference. The name is valid and not "." or "..". */
    int (*create)(struct inode *dp, const char *name, uint32_t mode, struct inode **out);
    int (*symlink)(struct inode *dp, const char *name, const char *target, struct inode **out);
    /* Add a name for ip (raising its nlink), remove one (lowering it), move
     * one; rename may assume that fs/dir.c checked rename(2)'s rules. */
    int (*link)(struct inode *dp, const char *name, struct inode *ip);
    int (*unlink)(struct inode *dp, const char *name);
    int (*rename)(struct inode *olddir, const char *oldname, struct inode *newdir,
                  const char *newname);
    /* Swap what the two names name (renameat2's RENAME_EXCHANGE); both
     * exist, and fs/dir.c checked the rules. */
    int (*exchange)(struct inode *adir, const char *aname, struct inode *bdir,
                    const char *bname);
    /* Files with stored bytes: read or write at off (bytes moved or -errno),
     * change the size, count the 512-byte blocks in use (for stat). */
    long (*read)(struct inode *ip, void *buf, uint64_t off, uint32_t n, bool user);
    long (*write)(struct inode *ip, const void *buf, uint64_t off, uint32_t n, bool user);
    int (*truncate)(struct inode *ip, uint64_t size);
    uint64_t (*blocks)(struct inode *ip);
    /* fallocate(2) on the stored bytes [off, off + len), mode FALLOC_FL_*
     * (linux/falloc.h), checked by the caller except for what the kind
     * cannot do (-EOPNOTSUPP). NULL: the kind does none (-EOPNOTSUPP). */
    int (*fallocate)(struct inode *ip, uint32_t mode, uint64_t off, uint64_t len);
    /* Files that can be mapped (mmap): the frame that holds page index of
     * the stored bytes, with a new reference for the caller, in *pa. A hole
     * is -ENOENT, unless create, which makes the page (zeroed). -ENOMEM. */
    int (*getpage)(struct inode *ip, uint32_t index, bool create, paddr_t *pa);
    /* lseek's SEEK_DATA (hole false) and SEEK_HOLE: the first offset at or
     * after off (< size) that is data, or in a hole (the end counts as
     * one); -ENXIO when there is none. NULL: all data (Linux's generic). */
    int64_t (*seek_data)(struct inode *ip, uint64_t off, bool hole);
    /* chmod: NULL lets the mode bits change; a kind may refuse (-EPERM, as
     * Linux's /proc/<pid> files do). */
    int (*chmod)(struct inode *ip, uint32_t mode);
    /* Symbolic links: the target, either a string the link keeps or one made
     * up into buf (size bytes). */
    const char *(*get_link)(struct inode *ip, char *buf, uint32_t size);
    /* Linux's "magic" links (/proc/<pid>/fd/N): the inode the link stands
     * for, with a new reference for the caller, which a walk goes on from
     * instead of get_link's text (the text of a pipe, "pipe:[123]", or of
     * a deleted file names nothing). NULL (or the function giving NULL):
     * follow the text. */
    struct inode *(*follow_inode)(struct inode *ip);
    /* The inode is going (no name, no reference left): free what priv holds
     * besides itself (pages, names); inode_put then frees priv. */
    void (*destroy)(struct inode *ip);
};

/* A file time: seconds since 1970 (64 bits: past 2038) and nanoseconds. */
struct fs_time {
    int64_t sec;
    uint32_t nsec;
};

struct inode {
    uint32_t ino;
    uint32_t mode;                 /* file type (S_IFREG, S_IFDIR...) and permission bits */
    uint32_t nlink;                /* directory entries naming it */
    int refs;                      /* kernel references */
    uint64_t size;
    uint32_t uid, gid;
    uint32_t rdev;                 /* device number, for S_IFCHR */
    uint32_t dev;                  /* the file system it is on (st_dev): FS_DEV_* */
    struct fs_time atime, mtime, ctime;
    const struct inode_ops *ops;   /* what its kind does; never NULL */
    const struct file_ops *fops;   /* what an open file of it does; NULL: read
                                      and write at the offset through ops */
    void *priv;                    /* the kind's own part (pages, entries...) */
    struct file_lock *locks;       /* the advisory locks on it, all kinds (fs/lock.c) */
    struct xattr *xattrs;          /* its extended attributes, all kinds (fs/xattr.c) */
};

extern struct inode *root_inode;

/* What CLONE_FS shares between processes: the current directory, the root
 * directory (chroot) and the umask. fork gives the child a copy; a thread
 * shares its creator's. */
struct fs_info {
    int refs;
    struct inode *cwd;
    struct inode *root;        /* where "/" starts and ".." stops (chroot(2)) */
    uint32_t umask;            /* permission bits that creating a file takes away */
};

/* ---- fs/inode.c: what every inode has ---- */
void fs_init(void);
/* A new inode of the kind whose table is ops, with mode, nlink 0, refs 1,
 * and priv_size zeroed bytes for the kind's private part in priv (none if
 * 0; the kind's destroy frees it). NULL: no memory, nothing taken. */
struct inode *inode_new(uint32_t mode, const struct inode_ops *ops, size_t priv_size);
struct inode *inode_get(struct inode *ip);      /* refs++ */
/* refs--; with no reference and no name left, the kind's destroy frees its
 * private part and the inode goes. */
void inode_put(struct inode *ip);
/* Read or write a file's stored bytes at off (through ops). Returns bytes
 * moved or -errno (-EINVAL: the kind stores no bytes). */
long inode_read(struct inode *ip, void *buf, uint64_t off, uint32_t n, bool user);
long inode_write(struct inode *ip, const void *buf, uint64_t off, uint32_t n, bool user);
/* Change a file's size (-EINVAL: its kind cannot). Pages cut off leave
 * every mapping of the file (mm's vm_file_cut). */
int inode_truncate(struct inode *ip, uint64_t size);
/* The frame of page index of ip's bytes, with a reference (getpage above);
 * -ENODEV if ip's kind cannot be mapped. */
int inode_page(struct inode *ip, uint32_t index, bool create, paddr_t *pa);
/* Can a file of this inode be mapped with mmap? */
bool inode_mappable(struct inode *ip);
/* Is ip /dev/zero (whose mappings are anonymous memory)? (fs/dev.c) */
bool inode_is_dev_zero(const struct inode *ip);
int inode_chmod(struct inode *ip, uint32_t mode);        /* the permission bits */
void inode_stat(struct inode *ip, struct stat64 *st);
/* A symbolic link's target: a string the link keeps or one made up in buf
 * (size bytes); NULL if ip's kind has none. */
const char *inode_link_target(struct inode *ip, char *buf, uint32_t size);
struct fs_time fs_now(void);                     /* the time for timestamps */
/* A new fs_info with root /. NULL: no memory. */
struct fs_info *fs_info_new(struct inode *cwd, uint32_t umask);
struct fs_info *fs_info_copy(struct fs_info *fs);
void fs_info_put(struct fs_info *fs);

/* ---- fs/perm.c: permission checks against the caller's ids ---- */
#define MAY_EXEC  1
#define MAY_WRITE 2
#define MAY_READ  4
/* May the caller (its fs ids) read, write or execute/search ip (mask of
 * MAY_*)? 0 or -EACCES. */
int inode_permission(const struct inode *ip, int mask);
/* Is the caller ip's owner, or root (chmod, utimes, the sticky bit)? */
bool inode_owner_or_privileged(const struct inode *ip);
/* May the caller remove or rename victim's name in dir: write and search
 * on dir (-EACCES), and the sticky bit's rule (-EPERM)? */
int inode_may_delete(const struct inode *dir, const struct inode *victim);
/* A new inode made in dir belongs to the caller's fs ids, or to dir's
 * group if dir is set-group-ID (which a new directory inherits). */
void inode_init_owner(struct inode *ip, const struct inode *dir);
/* A write by anyone but root clears set-user-ID and set-group-ID. */
void inode_kill_suid(struct inode *ip);

/* ---- fs/dir.c: directories of any kind, through their ops ---- */
/* Look name up in directory dp: returns the inode with a new reference, or
 * NULL. Handles "." here and ".." through the directory's kind. */
struct inode *dir_lookup(struct inode *dp, const char *name);
/* Entry number index of dp after "." and "..": 1, or 0 when there is none. */
int dir_readdir(struct inode *dp, uint32_t index, struct dir_entry *out);
/* Does directory dp hold no name but "." and ".."? */
bool dir_is_empty(struct inode *dp);
/* getdents64's d_type for a file of this mode. */
uint8_t dirent_type(uint32_t mode);
/* Add an entry; -EEXIST, -ENOMEM, -ENAMETOOLONG, -EPERM (dp's kind holds no
 * names of ours). Raises ip's nlink. */
int dir_link(struct inode *dp, const char *name, struct inode *ip);
/* The same without the caller's permission checks, for names the kernel
 * itself makes and removes (a pty's /dev/pts/N, made when a user opens
 * /dev/ptmx in a directory that user may not write). */
int dir_add_kernel(struct inode *dp, const char *name, struct inode *ip);
int dir_remove_kernel(struct inode *dp, const char *name);
/* Remove an entry; lowers its inode's nlink. -ENOENT if absent, -EPERM. */
int dir_unlink(struct inode *dp, const char *name);
/* The absolute path of directory dp into buf (size bytes), from the
 * caller's root: its length, or -ENOENT (removed), -ENAMETOOLONG. */
int dir_path(struct inode *dp, char *buf, uint32_t size);
/* The same, as seen from directory top (dir_path's is the caller's root,
 * which chroot moves; the real / for where a mount is, fs/mount.c). */
int dir_path_below(struct inode *dp, struct inode *top, char *buf, uint32_t size);
/* Move olddir/oldname to newdir/newname, replacing what is there as
 * rename(2) allows. 0 or -ENOENT, -EINVAL (a directory into itself),
 * -ENOTDIR, -EISDIR, -ENOTEMPTY, -EBUSY, -EXDEV, -EPERM, -ENOMEM. */
int dir_rename(struct inode *olddir, const char *oldname, struct inode *newdir,
               const char *newname);
/* Swap what adir/aname and bdir/bname name (RENAME_EXCHANGE): both must
 * exist (-ENOENT); a directory may trade places with a file. 0 or -ENOENT,
 * -EINVAL (a directory into itself), -EBUSY, -EXDEV, -EPERM, -EACCES. */
int dir_exchange(struct inode *adir, const char *aname, struct inode *bdir, const char *bname);
/* Create a regular file or a directory (by mode) called name in dp: returns
 * the new inode (with a reference). -EEXIST, -ENAMETOOLONG, -ENOMEM, and
 * -EACCES/-EPERM where dp's kind makes no files. */
int dir_create(struct inode *dp, const char *name, uint32_t mode, struct inode **out);
/* Create a symbolic link called name in dp whose target is target: the new
 * inode in *out (with a reference). Errors as dir_create. */
int dir_symlink(struct inode *dp, const char *name, const char *target, struct inode **out);

/* ---- fs/namei.c ---- */
/* Resolve path (relative paths from start, or the current directory when
 * start is NULL). follow: follow a final symbolic link. Returns 0 and *out
 * with a reference, or -ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG. */
int namei(struct inode *start, const char *path, bool follow, struct inode **out);
/* Resolve all but the last component: *dir (with a reference), and the last
 * component copied into name (NAME_MAX + 1 bytes). -EEXIST for "/" or ".". */
int namei_parent(struct inode *start, const char *path, struct inode **dir, char *name);
/* The same under openat2's RESOLVE_* flags (0: as above): NO_SYMLINKS
 * (ELOOP for a link followed), BENEATH (EXDEV for an absolute path or a
 * ".." above start), IN_ROOT (start is "/" and its own ".."), NO_XDEV
 * (EXDEV on leaving start's file system). */
int namei_resolve(struct inode *start, const char *path, bool follow, uint32_t resolve,
                  struct inode **out);
int namei_parent_resolve(struct inode *start, const char *path, uint32_t resolve,
                         struct inode **dir, char *name);

/* ---- fs/initrd.c ---- */
/* Unpack a cpio newc archive into the file system. Returns files unpacked or -errno. */
int initrd_unpack(const uint8_t *data, uint32_t size);

/* ---- fs/procfs.c, fs/dev.c ---- */
void procfs_init(void);
/* A process has been reaped: forget its /proc/<pid> directory. */
void procfs_forget(int pid);
void devfs_init(void);
/* A device node called name in directory dir (of /dev): mode S_IFCHR | perm,
 * device number rdev, its open files doing ops. 0 or -ENOMEM, -EEXIST. */
int devfs_add(struct inode *dir, const char *name, uint32_t mode, uint32_t rdev,
              const struct file_ops *ops);

#endif
