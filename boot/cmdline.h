/* cmdline.h: the kernel command line, parsed into boot options.
 *
 * The line comes from GRUB's "multiboot" line or QEMU's -append. QEMU puts
 * the kernel's file name first ("build/kernel.elf selftest"); GRUB 2 does not.
 * So a first word with no '=' that looks like a file name (it has a '/' or a
 * '.') is taken to be the kernel's name and skipped, as a shell skips argv[0].
 * Words are separated by spaces; double quotes group words into one.
 *
 *   init=PATH          the first program to run (default /bin/sh)
 *   -- WORDS...        everything after a lone -- becomes init's arguments
 *   fork=cow|copy      copy-on-write fork (default) or eager copying
 *   trace=syscalls     print every system call; trace=none turns it off
 *   selftest[=A,B]     run the in-kernel self tests (all, or the named ones)
 *                      and leave QEMU with the result
 *   panic=halt|exit    after a panic, halt (default) or leave QEMU
 *   aslr=on|off        randomise each new program's stack, mmap base and
 *                      break (default), or keep them at fixed addresses
 *   user=NAME          init runs its program as this user of /etc/passwd
 *                      (the kernel hands init BUNSHIN_USER=NAME)
 *   overcommit=heuristic|always|never
 *                      how much memory mmap, brk and fork may promise
 *                      (mm/commit.h; /proc/sys/vm/overcommit_memory later)
 *
 * A word that is none of these, or a value that is not allowed, is recorded
 * in errors[] and printed at boot; it is never silently ignored.
 *
 * Pure code: tests/unit builds it for the host. */
#ifndef CMDLINE_H
#define CMDLINE_H

#include "types.h"
#include "mm/fork.h"
#include "mm/commit.h"

#define CMDLINE_MAX_ARGS   16
#define CMDLINE_MAX_ERRORS 8
#define CMDLINE_ERROR_LEN  96

struct boot_options {
    char init[128];                         /* "" means the default */
    int init_argc;                          /* words after -- */
    char *init_argv[CMDLINE_MAX_ARGS + 1];  /* NULL-terminated, point into argbuf */
    char argbuf[512];
    enum fork_mode fork_mode;
    bool trace_syscalls;
    bool selftest;
    char selftest_names[128];               /* "" means every suite */
    bool panic_exit;
    bool aslr;                              /* address-space layout randomisation */
    enum overcommit_mode overcommit;
    char user[32];                          /* user=: "" means root */
    int nerrors;
    char errors[CMDLINE_MAX_ERRORS][CMDLINE_ERROR_LEN];
};

extern struct boot_options boot_options;

/* Parse line (the whole command line, perhaps with the kernel's name first)
 * into *opt, which is cleared first. Problems are listed in opt->errors; parsing goes on past them. */
void cmdline_parse(const char *line, struct boot_options *opt);

#endif
