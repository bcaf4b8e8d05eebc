/* fs.h: inodes, the in-memory file system, and path lookup.
 *
 * bunshin has one file system, kept in memory (like Linux's ramfs): the
 * initrd is unpacked into it at boot, and programs may create files in it.
 * An inode is a file, a directory, a symbolic link or a device. Directory
 * entries name inodes; an inode lives while a directory entry names it
 * (nlink > 0) or while the kernel holds a reference to it (refs > 0: an open
 * file, a current directory, a lookup in progress).
 */
#ifndef FS_H
#define FS_H

#include "types.h"
#include "linux/dirent.h"
#include "linux/limits.h"
#include "linux/stat.h"

struct file;
struct inode;

/* What a device or special file does for read, write and ioctl. buf is a
 * user address when user is true, a kernel pointer otherwise. */
struct file_ops {
    long (*read)(struct file *f, void *buf, uint32_t n, bool user);
    long (*write)(struct file *f, const void *buf, uint32_t n, bool user);
    long (*ioctl)(struct file *f, uint32_t cmd, vaddr_t arg);
    int (*open)(struct file *f);          /* may be NULL */
    void (*release)(struct file *f);      /* last close; may be NULL */
};

struct dirent_node {                       /* one name in a directory */
    char *name;
    struct inode *inode;
    struct dirent_node *next;
};

struct inode {
    uint32_t ino;
    uint32_t mode;                 /* file type (S_IFREG, S_IFDIR...) and permission bits */
    uint32_t nlink;                /* directory entries naming it */
    int refs;                      /* kernel references */
    uint64_t size;
    uint32_t uid, gid;
    uint32_t rdev;                 /* device number, for S_IFCHR */
    uint32_t atime, mtime, ctime;  /* seconds since 1970 */
    const struct file_ops *fops;   /* devices and /proc files; NULL = ramfs */

    /* Regular files: contents in pages of PAGE_SIZE, allocated as written. */
    uint8_t **pages;
    uint32_t npages;               /* slots in pages[] */
    /* Directories: the entries, and the parent for "..". */
    struct dirent_node *entries;
    struct inode *parent;
    /* Symbolic links: the target. */
    char *link;
    /* /proc files: writes the text a read returns into buf (size bytes) and
     * returns its full length, as ksnprintf does, or -errno. */
    int (*generate)(struct inode *ip, char *buf, uint32_t size);
    int proc_pid;                  /* /proc/<pid>/...: whose */
    /* Directories whose entries are made up as they are looked at (/proc):
     * lookup finds a name the list does not have; list gives the index-th
     * such name (0 when there is none). */
    struct inode *(*lookup)(struct inode *dp, const char *name);
    int (*list)(struct inode *dp, uint32_t index, char *name, uint32_t *ino, uint8_t *type);
    /* Symbolic links whose target is made up when followed (/proc/self). */
    void (*link_target)(struct inode *ip, char *buf, uint32_t size);
    int proc_fd;                   /* /proc/<pid>/fd/<n>: which descriptor */
    /* Pipes: the buffer and its counts (fs/pipe.c). */
    struct pipe *pipe;
};

extern struct inode *root_inode;

/* What CLONE_FS shares between processes: the current directory and the
 * umask. fork gives the child a copy; a thread shares its creator's. */
struct fs_info {
    int refs;
    struct inode *cwd;
    uint32_t umask;            /* permission bits that creating a file takes away */
};

/* ---- fs/inode.c ---- */
void fs_init(void);
/* A new inode with mode, nlink 0, refs 1. NULL if out of memory. */
struct inode *inode_new(uint32_t mode);
struct inode *inode_get(struct inode *ip);      /* refs++ */
void inode_put(struct inode *ip);               /* refs--; frees if unused */
/* Read or write a regular file's bytes at off. Returns bytes moved or -errno. */
long inode_read(struct inode *ip, void *buf, uint64_t off, uint32_t n, bool user);
long inode_write(struct inode *ip, const void *buf, uint64_t off, uint32_t n, bool user);
int inode_truncate(struct inode *ip, uint64_t size);
void inode_stat(struct inode *ip, struct stat64 *st);
uint32_t fs_now(void);                           /* the time for timestamps */
struct fs_info *fs_info_new(struct inode *cwd, uint32_t umask);   /* NULL: no memory */
struct fs_info *fs_info_copy(struct fs_info *fs);
void fs_info_put(struct fs_info *fs);

/* ---- fs/dir.c ---- */
/* Look name up in directory dp: returns the inode with a new reference, or
 * NULL. Handles "." and "..". */
struct inode *dir_lookup(struct inode *dp, const char *name);
/* Add an entry; -EEXIST, -ENOMEM, -ENAMETOOLONG. Raises ip's nlink. */
int dir_link(struct inode *dp, const char *name, struct inode *ip);
/* Remove an entry; lowers its inode's nlink. -ENOENT if absent. */
int dir_unlink(struct inode *dp, const char *name);
/* The absolute path of directory dp into buf (size bytes): its length, or
 * -ENOENT (removed), -ENAMETOOLONG. */
int dir_path(struct inode *dp, char *buf, uint32_t size);
/* Move olddir/oldname to newdir/newname, replacing what is there as
 * rename(2) allows. 0 or -ENOENT, -EINVAL (a directory into itself),
 * -ENOTDIR, -EISDIR, -ENOTEMPTY, -EBUSY, -ENOMEM. */
int dir_rename(struct inode *olddir, const char *oldname, struct inode *newdir,
               const char *newname);
/* Create name in dp with mode: returns the new inode (with a reference). */
int dir_create(struct inode *dp, const char *name, uint32_t mode, struct inode **out);

/* ---- fs/namei.c ---- */
/* Resolve path (relative paths from start, or the current directory when
 * start is NULL). follow: follow a final symbolic link. Returns 0 and *out
 * with a reference, or -ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG. */
int namei(struct inode *start, const char *path, bool follow, struct inode **out);
/* Resolve all but the last component: *dir (with a reference), and the last
 * component copied into name (NAME_MAX + 1 bytes). -EEXIST for "/" or ".". */
int namei_parent(struct inode *start, const char *path, struct inode **dir, char *name);

/* ---- fs/initrd.c ---- */
/* Unpack a cpio newc archive into the file system. Returns files unpacked or -errno. */
int initrd_unpack(const uint8_t *data, uint32_t size);

/* ---- fs/procfs.c, fs/dev.c ---- */
void procfs_init(void);
/* A process has been reaped: forget its /proc/<pid> directory. */
void procfs_forget(int pid);
void devfs_init(void);

#endif
