/* file.h: open file descriptions and file-descriptor tables.
 *
 * Three layers, as in Unix: a descriptor (a small number, an index in the
 * process's fdtable) names an open file description (struct file: the
 * offset, the access mode and status flags), which names an inode. dup and
 * fork make a second descriptor for the same description, so the offset is
 * shared; open makes a new description. The close-on-exec flag belongs to the
 * descriptor slot, not to the description.
 */
#ifndef FILE_H
#define FILE_H

#include "types.h"
#include "param.h"
#include "fs/fs.h"

struct epitem;

struct file {
    int refs;                      /* descriptors (in any process) naming it */
    struct inode *inode;
    uint64_t pos;                  /* the shared offset */
    uint32_t flags;                /* O_ACCMODE | O_APPEND | O_NONBLOCK ... */
    const struct file_ops *ops;    /* the inode's fops, or NULL (in-memory files) */
    char *path;                    /* the absolute path it was opened by, or NULL
                                      (for /proc/<pid>/fd) */
    void *priv;                    /* the kind's own part for this open file (a /proc
                                      file's snapshot): made by ops->open, freed by
                                      ops->release */
    struct epitem *watchers;       /* the epoll entries watching it (fs/epoll.c) */
};

struct fdtable {
    int refs;                      /* processes sharing it (CLONE_FILES) */
    struct file *fd[NOFILE];
    bool cloexec[NOFILE];
};

/* Open inode ip with flags: a new description (takes a new inode reference). */
int file_open(struct inode *ip, uint32_t flags, struct file **out);
/* Remember the path f was opened by: path if absolute, else relative to
 * directory dir. Best effort: without memory, f just has no path. */
void file_set_path(struct file *f, struct inode *dir, const char *path);
/* A new open file (O_RDWR) of a new in-memory regular file with no name,
 * size bytes of zeros, known by name (an absolute-looking string such as
 * "/dev/zero" or "/memfd:x") in /proc: the memory behind MAP_SHARED |
 * MAP_ANONYMOUS and memfd_create. 0 or -ENOMEM. */
int anon_file_open(uint64_t size, const char *name, struct file **out);
/* What /proc shows for f (its fd link, its mappings in maps): the path it
 * was opened by, with " (deleted)" once it has no name left, "pipe:[ino]",
 * "socket:[ino]",
 * or "anon_inode:[ino]". Into buf (size bytes); returns buf. */
const char *file_describe(struct file *f, char *buf, uint32_t size);
struct file *file_get(struct file *f);          /* refs++ */
void file_put(struct file *f);                  /* refs--; last one releases */
long file_read(struct file *f, void *buf, uint32_t n, bool user);
long file_write(struct file *f, const void *buf, uint32_t n, bool user);

/* A new pipe: *rd and *wr are its read and write ends (fs/pipe.c). flags may
 * hold O_NONBLOCK. 0 or -ENOMEM. */
int pipe_create(uint32_t flags, struct file **rd, struct file **wr);
/* A new named pipe's inode (a FIFO: mknod), with the permission bits of
 * mode, not yet in a directory; NULL without memory (fs/pipe.c). */
struct inode *fifo_new(uint32_t mode);

/* For splice, tee and vmsplice (fs/splice.c), on an open end of a pipe:
 * is f one? Wait (unless nonblock) until f's pipe holds bytes: how many,
 * 0 if it is empty with no writer left, -EAGAIN, -ERESTARTSYS. Wait until
 * it has room: how much, -EPIPE (and SIGPIPE) with no reader left, -EAGAIN,
 * -ERESTARTSYS. Copy up to n bytes after the first skip into the kernel
 * buffer buf without taking them out: how many. */
bool file_is_pipe(const struct file *f);
/* fcntl(F_GETPIPE_SZ): how many bytes a pipe or FIFO holds (its buffer is
 * fixed: 16 KiB, where Linux's is 64 KiB unless F_SETPIPE_SZ changed it);
 * -EBADF for any other file, as Linux. */
long pipe_capacity(struct file *f);
long pipe_wait_data(struct file *f, bool nonblock);
long pipe_wait_room(struct file *f, bool nonblock);
uint32_t pipe_peek(struct file *f, void *buf, uint32_t skip, uint32_t n);

struct fdtable *fdtable_new(void);
/* A copy sharing every description (fork). NULL if out of memory. */
struct fdtable *fdtable_copy(struct fdtable *t);
void fdtable_put(struct fdtable *t);
/* The lowest free slot >= min and below limit (the caller's RLIMIT_NOFILE,
 * at most NOFILE), or -EMFILE. */
int fd_lowest_free(struct fdtable *t, int min, int limit);
/* Put f in the lowest free slot >= min and below limit: returns the
 * descriptor or -EMFILE. Takes over the caller's reference to f. */
int fd_install(struct fdtable *t, struct file *f, int min, int limit, bool cloexec);
/* The description behind fd, or NULL. */
struct file *fd_lookup(struct fdtable *t, int fd);
/* Make newfd name the same description as oldfd (dup2/dup3): newfd is
 * closed first if open, in the same step. -EBADF if oldfd is not open or
 * newfd is out of range (negative, or at or above limit, the caller's
 * RLIMIT_NOFILE); nothing is closed then. */
int fd_dup_to(struct fdtable *t, int oldfd, int newfd, int limit, bool cloexec);
/* Close fd: 0 or -EBADF. */
int fd_close(struct fdtable *t, int fd);
/* Close every close-on-exec descriptor (execve). */
void fd_close_on_exec(struct fdtable *t);

#endif
