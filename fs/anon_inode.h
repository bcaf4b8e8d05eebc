/* anon_inode.h: open files of an inode with no name and no file type, as
 * Linux's anonymous inodes: what eventfd, timerfd and signalfd return
 * (fs/anon_inode.c). */
#ifndef ANON_INODE_H
#define ANON_INODE_H

#include "fs/file.h"

/* A new open file (O_RDWR | nonblock) of a new inode of mode 0600 and no
 * type, with fops and priv_size zeroed bytes in its inode's priv (freed with
 * the inode), known in /proc/<pid>/fd as name ("anon_inode:[eventfd]").
 * 0 and *out, or -ENOMEM. */
int anon_inode_open(const char *name, const struct file_ops *fops, size_t priv_size,
                    uint32_t nonblock, struct file **out);

/* Put f on the caller's lowest free descriptor, close-on-exec if cloexec:
 * the descriptor, or -EMFILE (f is then closed). */
int anon_inode_install(struct file *f, bool cloexec);

#endif
