/* ramfs.h: the kinds of inode of the in-memory file system, between their
 * files (inside fs/ only). Each returns a new inode with nlink 0 and one
 * reference, or NULL when out of memory; the caller gives it a name.
 *
 *   fs/ramfs_dir.c      directories: a list of names
 *   fs/ramfs_file.c     regular files: their bytes in pages
 *   fs/ramfs_symlink.c  symbolic links: the target
 */
#ifndef RAMFS_H
#define RAMFS_H

#include "fs/fs.h"

/* A directory whose ".." is parent (NULL: itself, for the root). nlink is 1,
 * for its own "."; the parent keeps a reference while the directory lives. */
struct inode *ramfs_dir_new(struct inode *parent, uint32_t mode);
/* Remove every name in directory dp and, depth first, in its
 * subdirectories (unmounting a tmpfs): each inode goes when nothing else
 * holds it. */
void ramfs_dir_clear(struct inode *dp);
/* The largest size of a file: Linux's MAX_LFS_FILESIZE on i386 (page
 * indexes are 32 bits), 16 TiB less a page. */
#define RAMFS_MAX_BYTES 0xFFFFFFFF000ull

/* An empty regular file with mode (S_IFREG and permission bits). */
struct inode *ramfs_file_new(uint32_t mode);
/* A symbolic link to target (copied). */
struct inode *ramfs_symlink_new(const char *target);

#endif
