/* mman.h: mmap, mprotect, msync and madvise arguments, with Linux's i386
 * values.
 * Linux: <asm-generic/mman-common.h> <asm/mman.h> <linux/mman.h> */
#ifndef MMAN_H
#define MMAN_H

/* prot */
#define PROT_NONE      0x0
#define PROT_READ      0x1
#define PROT_WRITE     0x2
#define PROT_EXEC      0x4
#define PROT_GROWSDOWN 0x01000000u
#define PROT_GROWSUP   0x02000000u

/* flags: the type of the mapping... */
#define MAP_SHARED          0x01       /* writes reach the object, others see them */
#define MAP_PRIVATE         0x02       /* copy-on-write: writes stay private */
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE            0x0f
/* ...and options. */
#define MAP_FIXED           0x10       /* exactly at addr, replacing what is there */
#define MAP_ANONYMOUS       0x20       /* zeroed memory, no file */
#define MAP_GROWSDOWN       0x0100
#define MAP_DENYWRITE       0x0800
#define MAP_EXECUTABLE      0x1000
#define MAP_LOCKED          0x2000
#define MAP_NORESERVE       0x4000     /* do not count it against the commit limit */
#define MAP_POPULATE        0x8000     /* fault every page in now */
#define MAP_NONBLOCK        0x10000
#define MAP_STACK           0x20000
#define MAP_HUGETLB         0x40000
#define MAP_FIXED_NOREPLACE 0x100000   /* exactly at addr, but fail if something is there */

/* msync */
#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC       4

/* madvise */
#define MADV_NORMAL     0
#define MADV_RANDOM     1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED   3
#define MADV_DONTNEED   4      /* drop the pages: the next touch reads zeros */
#define MADV_FREE       8      /* may drop them (bunshin: does, at once) */
#define MADV_REMOVE     9
#define MADV_DONTFORK   10
#define MADV_DOFORK     11

/* mremap */
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED   2

/* mlockall */
#define MCL_CURRENT 1
#define MCL_FUTURE  2
#define MCL_ONFAULT 4

#endif
