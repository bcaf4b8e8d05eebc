/* fork.h: how fork gives a child its memory (mm/fork.c).
 *
 * fork (clone without CLONE_VM) needs a new address space that looks
 * exactly like the parent's. There is more than one way to make one, and the
 * boot option fork= picks the way, so that a class can compare them. */
#ifndef FORK_H
#define FORK_H

struct mm;

enum fork_mode {
    FORK_COW,      /* share every frame read-only, copy a page at its first
                      write (copy-on-write: the default) */
    FORK_COPY,     /* copy every page now (fork=copy: the eager way) */
    FORK_ODF,      /* share the page tables themselves, copy a table at
                      the first write under it (fork=odf: on-demand fork) */
};

/* A new address space for a fork child: the same regions, break and
 * program name as old, with its pages given the way mode says. Returns it
 * with one reference, or NULL if memory ran out (nothing leaked; old may be
 * left with pages marked copy-on-write, which is harmless). */
struct mm *mm_fork(struct mm *old, enum fork_mode mode);

#endif
