/* signalfd.h: signalfd4's flags and what a read of a signalfd gives, one
 * struct of 128 bytes per signal taken.
 * Linux: <linux/signalfd.h>
 * Linux struct: signalfd_siginfo ssi_signo ssi_errno ssi_code ssi_pid ssi_uid ssi_fd ssi_tid ssi_band ssi_overrun ssi_trapno ssi_status ssi_int ssi_ptr ssi_utime ssi_stime ssi_addr ssi_addr_lsb ssi_syscall ssi_call_addr ssi_arch
 */
#ifndef LINUX_SIGNALFD_H
#define LINUX_SIGNALFD_H

#include "types.h"
#include "linux/fcntl.h"

#define SFD_CLOEXEC  O_CLOEXEC
#define SFD_NONBLOCK O_NONBLOCK

struct signalfd_siginfo {
    uint32_t ssi_signo;
    int32_t ssi_errno;
    int32_t ssi_code;
    uint32_t ssi_pid;              /* the sender (kill, sigqueue, a child) */
    uint32_t ssi_uid;
    int32_t ssi_fd;                /* SIGIO */
    uint32_t ssi_tid;              /* a POSIX timer's id */
    uint32_t ssi_band;
    uint32_t ssi_overrun;          /* a POSIX timer's overrun count */
    uint32_t ssi_trapno;
    int32_t ssi_status;            /* SIGCHLD: exit status or signal */
    int32_t ssi_int;               /* sigqueue's value */
    uint64_t ssi_ptr;              /* ...as a pointer */
    uint64_t ssi_utime;            /* SIGCHLD: the child's CPU time */
    uint64_t ssi_stime;
    uint64_t ssi_addr;             /* a fault's address */
    uint16_t ssi_addr_lsb;
    uint16_t pad2;
    int32_t ssi_syscall;
    uint64_t ssi_call_addr;
    uint32_t ssi_arch;
    uint8_t pad[28];
};
_Static_assert(sizeof(struct signalfd_siginfo) == 128, "signalfd_siginfo is 128 bytes");

#endif
